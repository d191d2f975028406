//! The output of a render: an ordered map from relative paths to file
//! contents, each marked secret or not, deterministic byte for byte.

use std::collections::BTreeMap;
use std::fmt;

use sha2::{Digest, Sha256};

/// One rendered file.
#[derive(Clone, PartialEq, Eq)]
pub struct File {
    contents: String,
    secret: bool,
}

impl File {
    /// The file's text.
    pub fn contents(&self) -> &str {
        &self.contents
    }

    /// Whether the file holds a resolved secret (a webhook URL, a password
    /// verifier): the caller writes it with restricted permissions and never
    /// prints it.
    pub fn is_secret(&self) -> bool {
        self.secret
    }

    /// The SHA-256 of the contents, hex-encoded.
    pub fn sha256(&self) -> String {
        hex::encode(Sha256::digest(self.contents.as_bytes()))
    }
}

impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("File");
        if self.secret {
            s.field("contents", &"<redacted>");
        } else {
            s.field("contents", &self.contents);
        }
        s.field("secret", &self.secret).finish()
    }
}

/// Every rendered file by its relative path (`/`-separated, no `..`, no
/// leading `/`), in path order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bundle {
    files: BTreeMap<String, File>,
}

/// A renderer tried to write the same path twice, or a path that is not a
/// plain relative path: a bug in tenant-kit, reported rather than hidden.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    /// The path.
    pub path: String,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "internal error: the bundle path {:?} was written twice or is not a relative path",
            self.path
        )
    }
}

impl std::error::Error for PathError {}

impl Bundle {
    /// An empty bundle.
    pub fn new() -> Self {
        Bundle::default()
    }

    /// Adds a file that holds no secret.
    pub fn insert(&mut self, path: impl Into<String>, contents: String) -> Result<(), PathError> {
        self.add(path.into(), contents, false)
    }

    /// Adds a file that holds a resolved secret.
    pub fn insert_secret(
        &mut self,
        path: impl Into<String>,
        contents: String,
    ) -> Result<(), PathError> {
        self.add(path.into(), contents, true)
    }

    /// Moves the files of `parts` into this bundle, all at once: the
    /// entries are concatenated, sorted (each part is sorted already, so
    /// this merges runs) and the map built from the sorted list, in linear
    /// time for parts that follow each other. Inserting them one by one
    /// cost two lookups of ~20 path comparisons each, per file and per
    /// merge, on one core: ~0.3 s of a 10 000-tenant render.
    ///
    /// A path in two places is an error naming it; the bundle then holds
    /// one of the two files.
    pub(crate) fn absorb(&mut self, parts: Vec<Bundle>) -> Result<(), PathError> {
        let total = self.files.len() + parts.iter().map(Bundle::len).sum::<usize>();
        let mut all: Vec<(String, File)> = Vec::with_capacity(total);
        all.extend(std::mem::take(&mut self.files));
        for part in parts {
            all.extend(part.files);
        }
        all.sort_by(|a, b| a.0.cmp(&b.0));
        let twice = all.windows(2).find_map(|pair| match pair {
            [(a, _), (b, _)] if a == b => Some(a.clone()),
            _ => None,
        });
        self.files = all.into_iter().collect();
        match twice {
            Some(path) => Err(PathError { path }),
            None => Ok(()),
        }
    }

    fn add(&mut self, path: String, contents: String, secret: bool) -> Result<(), PathError> {
        let plain = !path.is_empty()
            && !path.starts_with('/')
            && !path.ends_with('/')
            && path
                .split('/')
                .all(|part| !part.is_empty() && part != "." && part != "..")
            && path
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_'));
        if !plain || self.files.contains_key(&path) {
            return Err(PathError { path });
        }
        self.files.insert(path, File { contents, secret });
        Ok(())
    }

    /// The file at `path`.
    pub fn get(&self, path: &str) -> Option<&File> {
        self.files.get(path)
    }

    /// Every file, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &File)> {
        self.files.iter().map(|(p, f)| (p.as_str(), f))
    }

    /// The files whose path starts with `prefix`, in path order.
    pub fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a File)> {
        self.iter().filter(move |(p, _)| p.starts_with(prefix))
    }

    /// How many files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file was rendered.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// `MANIFEST.json`: every file with its sha256 and whether it is secret,
    /// in path order (the manifest does not list itself).
    ///
    /// The text is what `serde_json::to_string_pretty` writes for
    /// `{"files": [{"path", "secret", "sha256"}, ...]}` (keys sorted), but
    /// written directly, each chunk of files on a core with its hashes:
    /// paths are plain ASCII without quotes or backslashes
    /// ([`Bundle::insert`] refuses any other), so nothing needs escaping,
    /// and the key order cannot depend on serde_json's features.
    pub fn manifest(&self) -> String {
        let listed: Vec<(&String, &File)> = self
            .files
            .iter()
            .filter(|(p, _)| p.as_str() != MANIFEST)
            .collect();
        if listed.is_empty() {
            return "{\n  \"files\": []\n}\n".to_owned();
        }
        let chunks: Vec<&[(&String, &File)]> = listed.chunks(256).collect();
        let workers = crate::workers().min(chunks.len()).max(1);
        let parts: Vec<String> = crate::parallel(&chunks, workers, |chunk| {
            let mut text = String::with_capacity(chunk.len() * 160);
            for (path, file) in chunk.iter() {
                text.push_str(",\n    {\n      \"path\": \"");
                text.push_str(path);
                text.push_str("\",\n      \"secret\": ");
                text.push_str(if file.secret { "true" } else { "false" });
                text.push_str(",\n      \"sha256\": \"");
                text.push_str(&file.sha256());
                text.push_str("\"\n    }");
            }
            text
        });
        let mut text = String::with_capacity(parts.iter().map(String::len).sum::<usize>() + 32);
        text.push_str("{\n  \"files\": [");
        for (i, part) in parts.iter().enumerate() {
            // The first entry follows `[` without a comma.
            text.push_str(if i == 0 {
                part.strip_prefix(',').unwrap_or(part)
            } else {
                part
            });
        }
        text.push_str("\n  ]\n}\n");
        text
    }
}

/// The manifest's path in the bundle.
pub const MANIFEST: &str = "MANIFEST.json";

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn paths_are_plain_relative_and_written_once() {
        let mut b = Bundle::new();
        b.insert("prometheus/rules/a.rules.yml", String::new())
            .unwrap();
        for bad in [
            "prometheus/rules/a.rules.yml",
            "/etc/passwd",
            "a/../b",
            "a//b",
            "a/./b",
            "a/",
            "",
            "a b",
            "a\nb",
            "ä",
        ] {
            assert!(b.insert(bad, String::new()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn absorbing_parts_keeps_every_file_and_finds_a_path_given_twice() {
        let part = |paths: &[&str]| {
            let mut b = Bundle::new();
            for p in paths {
                b.insert(*p, format!("{p}\n")).unwrap();
            }
            b
        };
        let mut b = part(&["m/1"]);
        // Interleaved, out of order and empty parts.
        b.absorb(vec![
            part(&["z/1", "a/2"]),
            Bundle::new(),
            part(&["a/1", "m/2"]),
        ])
        .unwrap();
        let paths: Vec<&str> = b.iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["a/1", "a/2", "m/1", "m/2", "z/1"]);
        assert_eq!(b.get("m/2").unwrap().contents(), "m/2\n");
        let error = b.absorb(vec![part(&["b/1"]), part(&["m/1"])]).unwrap_err();
        assert_eq!(error.path, "m/1");
        assert_eq!(b.len(), 6, "{b:?}");
    }

    /// The manifest is the pretty JSON serde_json writes for it, for none,
    /// one and more files than a chunk.
    #[test]
    fn manifest_is_serde_jsons_pretty_text() {
        #[derive(serde::Serialize)]
        struct Entry {
            path: String,
            secret: bool,
            sha256: String,
        }
        #[derive(serde::Serialize)]
        struct Manifest {
            files: Vec<Entry>,
        }
        for n in [0, 1, 600] {
            let mut b = Bundle::new();
            for i in 0..n {
                let path = format!("d/f{i:04}.yml");
                if i % 3 == 0 {
                    b.insert_secret(path, format!("s{i}")).unwrap();
                } else {
                    b.insert(path, format!("{i}")).unwrap();
                }
            }
            let expected = Manifest {
                files: b
                    .iter()
                    .map(|(path, file)| Entry {
                        path: path.to_owned(),
                        secret: file.is_secret(),
                        sha256: file.sha256(),
                    })
                    .collect(),
            };
            let mut expected = serde_json::to_string_pretty(&expected).unwrap();
            expected.push('\n');
            assert_eq!(b.manifest(), expected, "{n} files");
        }
    }

    #[test]
    fn secret_files_are_redacted_in_debug_and_hashed_in_the_manifest() {
        let mut b = Bundle::new();
        b.insert_secret("s.url", "https://hooks.slack.com/services/T/B/x".to_owned())
            .unwrap();
        b.insert("a.yml", "a: 1\n".to_owned()).unwrap();
        let debug = format!("{b:?}");
        assert!(!debug.contains("hooks.slack.com"), "{debug}");
        let manifest: serde_json::Value = serde_json::from_str(&b.manifest()).unwrap();
        assert_eq!(manifest["files"][0]["path"], "a.yml");
        assert_eq!(manifest["files"][1]["secret"], true);
        assert!(!b.manifest().contains("hooks.slack.com"));
        // The digest as `sha256sum` prints it for the same bytes.
        assert_eq!(
            manifest["files"][0]["sha256"],
            "37b128c59f1f5097f73f82691cb519f1f568667faab5ced1b4ab979d36837eae"
        );
    }
}
