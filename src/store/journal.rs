//! The journal (`.journal`) of files a writer creates before it commits: before a writer creates
//! a file (or deletes one after a commit) it names it here. Cleanup after a crash deletes only
//! journaled files the manifest does not name, only if they are regular files (never through a
//! symlink), and nothing else.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

const JOURNAL: &str = ".journal";

fn write_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Write { path: path.to_path_buf(), source }
}

/// The journal of files a writer created (or will delete) and has not committed yet.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
}

impl Journal {
    pub fn new(dir: &Path) -> Journal {
        Journal { path: dir.join(JOURNAL) }
    }

    /// Names `relative` (a path inside the warehouse) before the writer creates it.
    pub fn note(&self, relative: &str) -> Result<()> {
        let mut file = OpenOptions::new().create(true).append(true).open(&self.path).map_err(write_err(&self.path))?;
        writeln!(file, "{relative}").and_then(|_| file.sync_data()).map_err(write_err(&self.path))
    }

    /// Deletes the journaled files that the manifest does not name (`committed` says which it
    /// names: a writer that stopped before its commit, or files a commit left to delete) and
    /// empties the journal. Only regular files inside the warehouse are deleted, never through a
    /// symlink. Returns how many were deleted.
    pub fn clean(&self, dir: &Path, committed: impl Fn(&str) -> bool) -> Result<usize> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(source) => return Err(Error::Read { path: self.path.clone(), source }),
        };
        let mut removed = 0;
        for relative in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let inside = !relative.starts_with('/') && !relative.split('/').any(|p| p == "..");
            if !inside || committed(relative) {
                continue;
            }
            let path = dir.join(relative);
            if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file())
                && !through_symlink(dir, relative)
            {
                std::fs::remove_file(&path).map_err(write_err(&path))?;
                removed += 1;
            }
        }
        self.clear()?;
        Ok(removed)
    }

    /// Empties the journal (after a commit has named or deleted everything in it).
    pub fn clear(&self) -> Result<()> {
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(Error::Write { path: self.path.clone(), source: e })
            }
            _ => Ok(()),
        }
    }
}

/// Whether a folder on the way from `dir` to `relative` is a symlink.
fn through_symlink(dir: &Path, relative: &str) -> bool {
    let mut path = dir.to_path_buf();
    let parts: Vec<&str> = relative.split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        path.push(part);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return true;
        }
    }
    false
}

/// Writes `bytes` to `path` through a temporary file named in `journal`, then renames it into
/// place; the temporary file is removed when the write fails (a full disk leaves nothing).
pub fn write_atomically(path: &Path, bytes: &[u8], journal: &Journal, dir: &Path) -> Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    if let Ok(relative) = tmp.strip_prefix(dir) {
        journal.note(&relative.to_string_lossy())?;
    }
    let written = std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, path));
    if let Err(source) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::Write { path: path.to_path_buf(), source });
    }
    Ok(())
}
