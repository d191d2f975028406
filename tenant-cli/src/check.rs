//! `tenantctl render --check`: the bundle rendered in memory compared with
//! the tree on disk, file by file, like `cargo fmt --check`. Non-secret
//! files that differ are shown as a unified diff (on disk → rendered);
//! secret files are compared by SHA-256 and only their path is printed.

use std::collections::BTreeMap;
use std::fs;
use std::io::IsTerminal;
use std::path::Path;

use sha2::{Digest, Sha256};
use tenant_render::Bundle;

use crate::files::{Fatal, describe, escape, print_line, shown};

/// What differs between the rendered bundle and the tree.
#[derive(Debug, Default, serde::Serialize)]
pub(crate) struct Drift {
    /// Rendered but not on disk.
    pub(crate) missing: Vec<String>,
    /// On disk but no longer rendered.
    pub(crate) extra: Vec<String>,
    /// Non-secret files whose contents differ, with their unified diff.
    pub(crate) changed: Vec<Changed>,
    /// Secret files whose SHA-256 differs (never their contents).
    pub(crate) secret_changed: Vec<String>,
}

/// One changed file.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Changed {
    pub(crate) path: String,
    pub(crate) diff: String,
}

impl Drift {
    pub(crate) fn is_empty(&self) -> bool {
        self.missing.is_empty()
            && self.extra.is_empty()
            && self.changed.is_empty()
            && self.secret_changed.is_empty()
    }
}

/// Compares `bundle` with the regular files under `out` (a missing `out`
/// is an empty tree).
pub(crate) fn compare(bundle: &Bundle, out: &Path) -> Result<Drift, Fatal> {
    let mut on_disk = BTreeMap::new();
    if out.exists() {
        walk(out, "", &mut on_disk, 0)?;
    }
    let mut drift = Drift::default();
    for (path, file) in bundle.iter() {
        let Some(disk_path) = on_disk.remove(path) else {
            drift.missing.push(path.to_owned());
            continue;
        };
        let Some(bytes) = read_regular(&disk_path)? else {
            // A FIFO, device or link where a file is rendered: not ours.
            drift.missing.push(path.to_owned());
            drift.extra.push(path.to_owned());
            continue;
        };
        if file.is_secret() {
            if hex::encode(Sha256::digest(&bytes)) != file.sha256() {
                drift.secret_changed.push(path.to_owned());
            }
            continue;
        }
        if bytes != file.contents().as_bytes() {
            let old = String::from_utf8_lossy(&bytes);
            drift.changed.push(Changed {
                path: path.to_owned(),
                diff: unified(&old, file.contents(), path),
            });
        }
    }
    drift.extra.extend(on_disk.into_keys());
    drift.extra.sort();
    Ok(drift)
}

/// The bytes of a regular file (never following a link, never opening a
/// FIFO, which would block), at most [`crate::files::MAX_FILE_BYTES`];
/// `None` when the path is not a regular file.
fn read_regular(path: &Path) -> Result<Option<Vec<u8>>, Fatal> {
    use std::io::Read;
    let cannot =
        |e: std::io::Error| Fatal(format!("cannot read `{}`: {}", shown(path), describe(&e)));
    if !fs::symlink_metadata(path).map_err(cannot)?.is_file() {
        return Ok(None);
    }
    let limit = crate::files::MAX_FILE_BYTES;
    let mut bytes = Vec::new();
    fs::File::open(path)
        .map_err(cannot)?
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(Fatal(format!(
            "`{}` is larger than the limit of {limit} bytes",
            shown(path)
        )));
    }
    Ok(Some(bytes))
}

fn walk(
    dir: &Path,
    prefix: &str,
    out: &mut BTreeMap<String, std::path::PathBuf>,
    depth: usize,
) -> Result<(), Fatal> {
    if depth > 64 {
        return Err(Fatal(format!("`{}` is nested too deeply", shown(dir))));
    }
    let cannot = |e: std::io::Error| {
        Fatal(format!(
            "cannot read directory `{}`: {}",
            shown(dir),
            describe(&e)
        ))
    };
    for entry in fs::read_dir(dir).map_err(cannot)? {
        let entry = entry.map_err(cannot)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let meta = fs::symlink_metadata(entry.path()).map_err(cannot)?;
        if meta.is_dir() {
            walk(&entry.path(), &rel, out, depth + 1)?;
        } else {
            // A symbolic link, FIFO or device is never opened: at a
            // rendered path it counts as missing (no file) and extra.
            out.insert(rel, entry.path());
        }
    }
    Ok(())
}

/// A unified diff of `old` → `new` with three lines of context, headed
/// `--- a/PATH` and `+++ b/PATH` as `git diff` writes it.
pub(crate) fn unified(old: &str, new: &str, path: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Whether standard output gets colour: a terminal, and `NO_COLOR` unset
/// or empty (<https://no-color.org>).
pub(crate) fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Prints the drift as text: the diffs, then one line per missing, extra
/// or secret file, then a summary line.
pub(crate) fn print_text(drift: &Drift, out: &Path) -> Result<(), Fatal> {
    let colour = colour();
    for changed in &drift.changed {
        for line in changed.diff.lines() {
            let line = escape_line(line);
            let painted = match line.as_bytes().first() {
                Some(b'+') if colour && !line.starts_with("+++") => {
                    format!("\x1b[32m{line}\x1b[0m")
                }
                Some(b'-') if colour && !line.starts_with("---") => {
                    format!("\x1b[31m{line}\x1b[0m")
                }
                Some(b'@') if colour => format!("\x1b[36m{line}\x1b[0m"),
                _ => line,
            };
            print_line(painted)?;
        }
    }
    for path in &drift.missing {
        print_line(format_args!("missing: {}", escape(path)))?;
    }
    for path in &drift.extra {
        print_line(format_args!("extra: {}", escape(path)))?;
    }
    for path in &drift.secret_changed {
        print_line(format_args!(
            "secret differs: {} (compared by sha256; not shown)",
            escape(path)
        ))?;
    }
    if drift.is_empty() {
        print_line(format_args!("{} is up to date", shown(out)))
    } else {
        print_line(format_args!(
            "{} differs from the rendered bundle: {} changed, {} secret changed, {} missing, {} extra",
            shown(out),
            drift.changed.len(),
            drift.secret_changed.len(),
            drift.missing.len(),
            drift.extra.len()
        ))
    }
}

/// A diff line with its control characters escaped (a rendered file holds
/// none, a file edited on disk may hold a terminal escape).
fn escape_line(line: &str) -> String {
    if line.chars().any(char::is_control) {
        escape(line)
    } else {
        line.to_owned()
    }
}
