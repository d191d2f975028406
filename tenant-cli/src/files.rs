//! File handling for the commands: finding documents, reading them, and
//! writing outputs so that nothing is ever half-written.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use tenant_model::Format;

/// An error that stops a command (exit status 2).
#[derive(Debug)]
pub(crate) struct Fatal(pub(crate) String);

impl std::fmt::Display for Fatal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Largest file read, in bytes; the model limits documents further.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Expands `paths`: files as given (their extension must name a format),
/// directories searched recursively for `.json`, `.yaml`, `.yml` and `.toml`
/// files, in sorted order so output is stable.
pub(crate) fn collect(paths: &[PathBuf]) -> Result<Vec<(PathBuf, Format)>, Fatal> {
    let mut out = Vec::new();
    for path in paths {
        let meta = fs::metadata(path)
            .map_err(|e| Fatal(format!("cannot read `{}`: {e}", path.display())))?;
        if meta.is_dir() {
            walk(path, &mut out, 0)?;
        } else {
            let format = Format::from_path(path).ok_or_else(|| {
                Fatal(format!(
                    "`{}` is not a .json, .yaml, .yml or .toml file",
                    path.display()
                ))
            })?;
            out.push((path.clone(), format));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<(PathBuf, Format)>, depth: usize) -> Result<(), Fatal> {
    if depth > 64 {
        return Err(Fatal(format!("`{}` is nested too deeply", dir.display())));
    }
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| Fatal(format!("cannot read directory `{}`: {e}", dir.display())))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(|e| Fatal(format!("cannot read directory `{}`: {e}", dir.display())))?;
    entries.sort();
    for path in entries {
        // Symbolic links are not followed: a link loop must not hang us.
        let meta = fs::symlink_metadata(&path)
            .map_err(|e| Fatal(format!("cannot read `{}`: {e}", path.display())))?;
        if meta.is_dir() {
            walk(&path, out, depth + 1)?;
        } else if meta.is_file()
            && let Some(format) = Format::from_path(&path)
        {
            out.push((path, format));
        }
    }
    Ok(())
}

/// Reads a document as UTF-8 text.
pub(crate) fn read(path: &Path) -> Result<String, Fatal> {
    let meta =
        fs::metadata(path).map_err(|e| Fatal(format!("cannot read `{}`: {e}", path.display())))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Fatal(format!(
            "`{}` is {} bytes; the limit is {MAX_FILE_BYTES} bytes",
            path.display(),
            meta.len()
        )));
    }
    let bytes =
        fs::read(path).map_err(|e| Fatal(format!("cannot read `{}`: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|e| {
        Fatal(format!(
            "`{}` is not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Writes `contents` to `path` through a temporary file in the same
/// directory and a rename, so a reader never sees a half-written file.
pub(crate) fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), Fatal> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&temp);
        Fatal(format!("cannot write `{}`: {e}", path.display()))
    })
}
