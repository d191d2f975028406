//! File handling for the commands: finding documents, reading them with a
//! bound on the bytes actually read, writing outputs so that nothing is ever
//! half-written, and printing so that a closed pipe or a full disk is an
//! error (exit status 2), never a panic.
//!
//! What is read: a file named on the command line is read whatever it is
//! (a regular file, a FIFO, a device), but never more than
//! [`MAX_FILE_BYTES`] bytes, counted as they are read, so `/dev/zero` or a
//! FIFO that a writer floods ends with an error. Opening a FIFO waits for
//! its writer, as `cat` does. A directory walk takes regular files only:
//! FIFOs, devices, sockets and symbolic links inside it are skipped.

use std::fmt::Display;
use std::fs;
use std::io::{Read, Write};
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

/// Largest file read, in bytes; the model limits documents further (16 MiB),
/// audit trails may be longer.
pub(crate) const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A path as printed: control characters (a file name may hold a newline or
/// a terminal escape) written as `\u{...}`, so that one diagnostic stays one
/// line.
pub(crate) fn shown(path: &Path) -> String {
    escape(&path.display().to_string())
}

/// Text with its control characters (and Unicode line separators and
/// bidirectional controls) escaped, as the model escapes its problems.
pub(crate) fn escape(text: &str) -> String {
    tenant_model::escape_controls(text)
}

/// Prints one line on standard output. A write that fails (a closed pipe, a
/// full disk) is a [`Fatal`] error, so the command ends with exit status 2.
pub(crate) fn print_line(text: impl Display) -> Result<(), Fatal> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(|e| Fatal(format!("cannot write to standard output: {}", describe(&e))))
}

/// Prints one line on standard error, for notes and errors. When standard
/// error itself cannot be written there is nobody left to tell, so the
/// failure is ignored (the exit status still says what happened).
pub(crate) fn note(text: impl Display) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{text}").and_then(|()| err.flush());
}

/// An I/O error in our words: lowercase, no final period.
pub(crate) fn describe(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::BrokenPipe => "the reading end of the pipe is closed".to_owned(),
        std::io::ErrorKind::StorageFull => "no space left on the device".to_owned(),
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => {
            let text = error.to_string();
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => text,
            }
        }
    }
}

/// Expands `paths`: files as given (their extension must name a format),
/// directories searched recursively for `.json`, `.yaml`, `.yml` and `.toml`
/// files, in sorted order so output is stable.
pub(crate) fn collect(paths: &[PathBuf]) -> Result<Vec<(PathBuf, Format)>, Fatal> {
    let mut out = Vec::new();
    for path in paths {
        let meta = fs::metadata(path)
            .map_err(|e| Fatal(format!("cannot read `{}`: {}", shown(path), describe(&e))))?;
        if meta.is_dir() {
            walk(path, &mut out, 0)?;
        } else {
            let format = Format::from_path(path).ok_or_else(|| {
                Fatal(format!(
                    "`{}` is not a .json, .yaml, .yml or .toml file",
                    shown(path)
                ))
            })?;
            out.push((path.clone(), format));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<(PathBuf, Format)>, depth: usize) -> Result<(), Fatal> {
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
    // The entry's type comes with the directory listing on most file
    // systems (no `stat` per entry); it is the type of the entry itself,
    // not of what a symbolic link points to.
    let mut entries: Vec<(PathBuf, fs::FileType)> = fs::read_dir(dir)
        .map_err(cannot)?
        .map(|entry| entry.and_then(|e| Ok((e.path(), e.file_type()?))))
        .collect::<Result<_, _>>()
        .map_err(cannot)?;
    // Entries of one directory differ in their name only: comparing names
    // gives the order of comparing whole paths, without walking every
    // component of both (that was ~5 % of the instructions of validating
    // a directory of 1 000 documents).
    entries.sort_unstable_by(|a, b| a.0.file_name().cmp(&b.0.file_name()));
    for (path, kind) in entries {
        // Symbolic links are not followed: a link loop must not hang us.
        // Only regular files are read: a FIFO or device in a directory
        // would block or never end.
        if kind.is_dir() {
            walk(&path, out, depth + 1)?;
        } else if kind.is_file()
            && let Some(format) = Format::from_path(&path)
        {
            out.push((path, format));
        }
    }
    Ok(())
}

/// Reads a document as UTF-8 text, at most [`MAX_FILE_BYTES`] bytes counted
/// as they are read (not taken from the metadata, which a FIFO or a device
/// does not have, and which a growing file outruns).
pub(crate) fn read(path: &Path) -> Result<String, Fatal> {
    let cannot =
        |e: std::io::Error| Fatal(format!("cannot read `{}`: {}", shown(path), describe(&e)));
    let file = fs::File::open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if meta.is_dir() {
        return Err(Fatal(format!("`{}` is a directory", shown(path))));
    }
    // The file's size, when it has one, sizes the buffer: one allocation,
    // each byte touched once (a FIFO or device says 0 and grows as read).
    let size = meta.len();
    read_bounded_sized(file, MAX_FILE_BYTES, size).map_err(|e| match e {
        Bounded::Io(e) => cannot(e),
        Bounded::TooLarge => Fatal(format!(
            "`{}` is larger than the limit of {MAX_FILE_BYTES} bytes",
            shown(path)
        )),
        Bounded::NotUtf8(offset) => Fatal(format!(
            "`{}` is not UTF-8 text (invalid byte at offset {offset})",
            shown(path)
        )),
    })
}

/// Why a bounded read gave no text.
#[derive(Debug)]
pub(crate) enum Bounded {
    Io(std::io::Error),
    TooLarge,
    NotUtf8(usize),
}

/// Reads at most `limit` bytes of UTF-8 text: one byte more than the limit
/// is read to tell "exactly the limit" from "more".
pub(crate) fn read_bounded(reader: impl Read, limit: u64) -> Result<String, Bounded> {
    read_bounded_sized(reader, limit, 0)
}

/// [`read_bounded`] with room for `expected` bytes made first (never more
/// than the limit, whatever `expected` says).
fn read_bounded_sized(reader: impl Read, limit: u64, expected: u64) -> Result<String, Bounded> {
    // Room for the expected bytes and one more, read in as few calls as the
    // reader allows (`read_to_end` of a `Take` reads 8 KiB at a time until
    // it has seen a read fill its buffer); the end is where a read gives 0.
    let room = usize::try_from(expected.min(limit))
        .unwrap_or(0)
        .saturating_add(1);
    let mut bytes = vec![0u8; room];
    let mut filled = 0;
    let mut reader = reader.take(limit.saturating_add(1));
    loop {
        if filled == bytes.len() {
            if u64::try_from(filled).unwrap_or(u64::MAX) > limit {
                break;
            }
            // More than expected (a FIFO, a device, a growing file): grow
            // by doubling, to at most one byte past the limit.
            let cap = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
            bytes.resize(bytes.len().saturating_mul(2).max(8192).min(cap), 0);
        }
        let Some(free) = bytes.get_mut(filled..) else {
            break;
        };
        match reader.read(free) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Bounded::Io(e)),
        }
    }
    bytes.truncate(filled);
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(Bounded::TooLarge);
    }
    String::from_utf8(bytes).map_err(|e| Bounded::NotUtf8(e.utf8_error().valid_up_to()))
}

/// Writes `contents` to `path` through a temporary file in the same
/// directory and a rename, so a reader never sees a half-written file.
pub(crate) fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), Fatal> {
    write_atomically_as(path, contents, false)
}

/// [`write_atomically`], readable by the owner only when `secret` (mode
/// 0600 from the moment the file exists, so no other user can open it).
pub(crate) fn write_atomically_as(path: &Path, contents: &[u8], secret: bool) -> Result<(), Fatal> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        if secret {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        #[cfg(not(unix))]
        let _ = secret;
        let mut file = options.open(&temp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&temp);
        Fatal(format!("cannot write `{}`: {}", shown(path), describe(&e)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_bounded_by_the_bytes_read() {
        assert_eq!(read_bounded(&b"abc"[..], 3).unwrap(), "abc");
        assert!(matches!(
            read_bounded(&b"abcd"[..], 3),
            Err(Bounded::TooLarge)
        ));
        // An endless reader stops one byte past the limit.
        assert!(matches!(
            read_bounded(std::io::repeat(b'a'), 1000),
            Err(Bounded::TooLarge)
        ));
        assert!(matches!(
            read_bounded(&b"ab\xffc"[..], 10),
            Err(Bounded::NotUtf8(2))
        ));
    }

    /// Gives one byte per call and an interruption between bytes.
    struct Trickle<'a>(&'a [u8], bool);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.1 = !self.1;
            if self.1 {
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            match (self.0.split_first(), buf.first_mut()) {
                (Some((byte, rest)), Some(out)) => {
                    *out = *byte;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn a_wrong_expected_size_changes_nothing() {
        let text = "x".repeat(20_000);
        for expected in [0, 1, 8191, 19_999, 20_000, 20_001, 1 << 40] {
            for limit in [19_999, 20_000, 20_001] {
                let got = read_bounded_sized(text.as_bytes(), limit, expected);
                match got {
                    Ok(read) => {
                        assert!(limit >= 20_000, "{expected} {limit}");
                        assert_eq!(read, text);
                    }
                    Err(Bounded::TooLarge) => assert!(limit < 20_000, "{expected} {limit}"),
                    Err(e) => panic!("{e:?}"),
                }
            }
        }
        let got = read_bounded_sized(Trickle(b"abc", false), 3, 1).unwrap();
        assert_eq!(got, "abc");
        assert!(matches!(
            read_bounded_sized(Trickle(b"abcd", false), 3, 0),
            Err(Bounded::TooLarge)
        ));
    }

    #[test]
    fn shown_paths_are_one_line() {
        assert_eq!(
            shown(Path::new("a\nb\u{1b}[2J\u{202e}.yaml")),
            "a\\nb\\u{1b}[2J\\u{202e}.yaml"
        );
        assert_eq!(shown(Path::new("tenants/é.yaml")), "tenants/é.yaml");
    }
}
