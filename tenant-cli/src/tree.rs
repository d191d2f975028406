//! Writing a rendered bundle as a whole tree: the files go into a new
//! directory beside `--out`, are synced, and the new directory replaces the
//! old one with two renames, so a reader (or a crash) finds either the whole
//! previous tree or the whole new one, never a mix.
//!
//! For `--out /srv/stack` the names used beside it are:
//!
//! - `/srv/stack.lock`: held with an exclusive advisory lock (`flock`) for
//!   the whole command, so two `tenantctl` at once cannot interleave; the
//!   kernel releases it when the process ends, however it ends, so a crash
//!   leaves no stale lock. The file itself stays (removing a lock file is a
//!   race).
//! - `/srv/.stack.new`: the tree being written.
//! - `/srv/.stack.old`: the previous tree, from the first rename until the
//!   swap is finished (or, for `deploy`, until the servers accepted the new
//!   one: it is what a rollback renames back).
//!
//! The crash window, honestly: between the two renames `/srv/stack` does not
//! exist for a moment (the previous tree is whole under `.stack.old`). The
//! next run, under the lock, finds `stack` missing and `.stack.old` present
//! and renames it back before anything else. A crash at any other point
//! leaves `stack` whole (old or new); a leftover `.stack.new` is removed by
//! the next run.
//!
//! A directory that is not ours is refused: `--out` must be missing, empty,
//! or hold a `MANIFEST.json` (written by a previous render).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use tenant_render::{Bundle, MANIFEST};

use crate::files::{Fatal, describe, shown};

/// The lock and the names beside `out`, for one command.
pub(crate) struct Tree {
    out: PathBuf,
    parent: PathBuf,
    new: PathBuf,
    old: PathBuf,
    /// Held until dropped: the exclusive lock on `out.lock`.
    _lock: fs::File,
}

/// A swap done, with the previous tree kept until [`Swapped::finish`] (or
/// put back by [`Swapped::rollback`]).
pub(crate) struct Swapped<'a> {
    tree: &'a Tree,
    had_previous: bool,
}

fn io(what: &str, path: &Path) -> impl FnOnce(std::io::Error) -> Fatal {
    let text = format!("cannot {what} `{}`", shown(path));
    move |e| Fatal(format!("{text}: {}", describe(&e)))
}

impl Tree {
    /// Takes the lock beside `out` (failing at once if another process
    /// holds it), repairs what a crashed run left, and refuses an `out` that
    /// is not a previous render's.
    pub(crate) fn lock(out: &Path) -> Result<Tree, Fatal> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty() && n != "." && n != "..")
            .ok_or_else(|| {
                Fatal(format!(
                    "`{}` must name a directory (not `.`, `..` or a root)",
                    shown(out)
                ))
            })?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(io("create", &parent))?;
        let lock_path = parent.join(format!("{name}.lock"));
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io("open the lock file", &lock_path))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Fatal(format!(
                    "`{}` is being written by another tenantctl (it holds `{}`); try again when it is done",
                    shown(out),
                    shown(&lock_path)
                )));
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(io("lock", &lock_path)(e));
            }
        }
        let tree = Tree {
            out: out.to_path_buf(),
            parent: parent.clone(),
            new: parent.join(format!(".{name}.new")),
            old: parent.join(format!(".{name}.old")),
            _lock: lock,
        };
        tree.repair()?;
        tree.check_ours()?;
        Ok(tree)
    }

    /// What a crashed run left: the previous tree put back if the crash
    /// came between the two renames; a half-written new tree removed.
    fn repair(&self) -> Result<(), Fatal> {
        let out_exists = fs::symlink_metadata(&self.out).is_ok();
        if !out_exists && fs::symlink_metadata(&self.old).is_ok() {
            fs::rename(&self.old, &self.out).map_err(io("restore", &self.out))?;
        }
        for leftover in [&self.new, &self.old] {
            if fs::symlink_metadata(leftover).is_ok() {
                fs::remove_dir_all(leftover).map_err(io("remove", leftover))?;
            }
        }
        Ok(())
    }

    fn check_ours(&self) -> Result<(), Fatal> {
        let meta = match fs::symlink_metadata(&self.out) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(io("read", &self.out)(e)),
        };
        if !meta.is_dir() {
            return Err(Fatal(format!(
                "`{}` is not a directory; refusing to replace it",
                shown(&self.out)
            )));
        }
        let mut entries = fs::read_dir(&self.out).map_err(io("read directory", &self.out))?;
        let empty = entries.next().is_none();
        if !empty && !self.out.join(MANIFEST).is_file() {
            return Err(Fatal(format!(
                "`{}` is not empty and has no {MANIFEST}: it was not written by tenantctl render; refusing to replace it",
                shown(&self.out)
            )));
        }
        Ok(())
    }

    /// Writes every file of `bundle` into the new tree (secret files mode
    /// 0600 from their creation), syncs files and directories, and swaps
    /// it in place of `out`.
    pub(crate) fn write(&self, bundle: &Bundle) -> Result<Swapped<'_>, Fatal> {
        let result = self.write_new(bundle);
        if let Err(e) = result {
            let _ = fs::remove_dir_all(&self.new);
            return Err(e);
        }
        let had_previous = fs::symlink_metadata(&self.out).is_ok();
        if had_previous {
            fs::rename(&self.out, &self.old).map_err(io("move away", &self.out))?;
        }
        if let Err(e) = fs::rename(&self.new, &self.out) {
            if had_previous {
                let _ = fs::rename(&self.old, &self.out);
            }
            let _ = fs::remove_dir_all(&self.new);
            return Err(io("move into place", &self.out)(e));
        }
        sync_dir(&self.parent);
        Ok(Swapped {
            tree: self,
            had_previous,
        })
    }

    fn write_new(&self, bundle: &Bundle) -> Result<(), Fatal> {
        fs::create_dir(&self.new).map_err(io("create", &self.new))?;
        let mut dirs = vec![self.new.clone()];
        for (path, file) in bundle.iter() {
            let target = self.new.join(path);
            if let Some(dir) = target.parent()
                && !dir.is_dir()
            {
                fs::create_dir_all(dir).map_err(io("create", dir))?;
                dirs.push(dir.to_path_buf());
            }
            let mut options = fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            if file.is_secret() {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let shown_path = self.out.join(path);
            let mut handle = options.open(&target).map_err(io("write", &shown_path))?;
            handle
                .write_all(file.contents().as_bytes())
                .and_then(|()| handle.sync_all())
                .map_err(io("write", &shown_path))?;
        }
        for dir in dirs.iter().rev() {
            sync_dir(dir);
        }
        Ok(())
    }
}

impl Swapped<'_> {
    /// Removes the previous tree: the swap is final.
    pub(crate) fn finish(self) -> Result<(), Fatal> {
        if self.had_previous {
            fs::remove_dir_all(&self.tree.old).map_err(io("remove", &self.tree.old))?;
        }
        Ok(())
    }

    /// Puts the previous tree back (the new one is removed); with no
    /// previous tree, `out` is removed.
    pub(crate) fn rollback(self) -> Result<(), Fatal> {
        let tree = self.tree;
        fs::rename(&tree.out, &tree.new).map_err(io("move away", &tree.out))?;
        if self.had_previous {
            fs::rename(&tree.old, &tree.out).map_err(io("restore", &tree.out))?;
        }
        sync_dir(&tree.parent);
        fs::remove_dir_all(&tree.new).map_err(io("remove", &tree.new))
    }
}

/// Syncs a directory's entries to disk (best effort: not every file system
/// can sync a directory, and the files themselves are synced already).
fn sync_dir(dir: &Path) {
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}
