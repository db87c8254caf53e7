//! The manifest (`manifest.json`): the list of committed Parquet files, replaced atomically. A
//! file the manifest does not name is not part of the warehouse (an ingest in flight, or one that
//! crashed); readers never see it, and the next writer deletes it. The write lock (`.lock`) keeps
//! to one writer at a time.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Version of the on-disk layout this build reads and writes.
pub const LAYOUT: u32 = 3;
pub const MANIFEST: &str = "manifest.json";
const LOCK: &str = ".lock";

/// One committed file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub table: String,
    /// Path relative to the warehouse folder, `/`-separated.
    pub path: String,
    /// The partition's year (`None` for unpartitioned tables and the `year=unknown` partition).
    pub year: Option<i32>,
    pub partitioned: bool,
    pub rows: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub layout: u32,
    pub files: Vec<Entry>,
}

impl Manifest {
    /// Reads the manifest of `dir`; `None` when the folder holds no warehouse.
    pub fn load(dir: &Path) -> Result<Option<Manifest>> {
        let path = dir.join(MANIFEST);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if dir.join("reports.parquet").exists() {
                    return Err(Error::Usage(format!(
                        "{} was written by an older xxgk (one file per table); ingest the reports again into a new folder",
                        dir.display()
                    )));
                }
                return Ok(None);
            }
            Err(source) => return Err(Error::Read { path, source }),
        };
        let manifest: Manifest = serde_json::from_str(&text)
            .map_err(|e| Error::Usage(format!("{}: not a readable warehouse manifest: {e}", path.display())))?;
        if manifest.layout != LAYOUT {
            return Err(Error::Usage(format!(
                "{}: warehouse layout {} is not the layout {LAYOUT} this xxgk reads; ingest the reports again into a new folder",
                path.display(),
                manifest.layout
            )));
        }
        Ok(Some(manifest))
    }

    /// Writes the manifest to a temporary file and renames it into place (the commit).
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = dir.join(MANIFEST);
        let tmp = dir.join(format!(".{MANIFEST}.tmp-{}", std::process::id()));
        let text = serde_json::to_string_pretty(self).expect("manifest serializes");
        std::fs::write(&tmp, text).map_err(|source| Error::Write { path: tmp.clone(), source })?;
        std::fs::rename(&tmp, &path).map_err(|source| Error::Write { path, source })
    }

    /// Committed files of `table` whose partition may hold years in `from..=to`, as absolute paths.
    pub fn files(&self, dir: &Path, table: &str, from: Option<i32>, to: Option<i32>) -> Vec<PathBuf> {
        self.files
            .iter()
            .filter(|e| e.table == table)
            .filter(|e| match (e.partitioned, e.year) {
                (true, Some(y)) => from.is_none_or(|f| y >= f) && to.is_none_or(|t| y <= t),
                // The unknown-year partition matches no year range.
                (true, None) => from.is_none() && to.is_none(),
                (false, _) => true,
            })
            .map(|e| dir.join(&e.path))
            .collect()
    }
}

/// Deletes `.parquet` files under the table folders of `dir` that the manifest does not name
/// (left by a crashed or interrupted writer). Call with the write lock held.
pub fn collect_garbage(dir: &Path, manifest: &Manifest) -> Result<usize> {
    let named: HashSet<PathBuf> = manifest.files.iter().map(|e| dir.join(&e.path)).collect();
    let mut removed = 0;
    let mut stack: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|source| Error::Read { path: dir.to_path_buf(), source })?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for path in entries.flatten().map(|e| e.path()) {
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "parquet" || x.to_string_lossy().starts_with("tmp"))
                && !named.contains(&path)
            {
                std::fs::remove_file(&path).map_err(|source| Error::Write { path: path.clone(), source })?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}

/// The write lock of a warehouse folder, released on drop.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

impl Lock {
    /// Takes the lock of `dir` (creating the folder), or says which process holds it. A lock left
    /// by a process that no longer runs is taken over.
    pub fn take(dir: &Path) -> Result<Lock> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Write { path: dir.to_path_buf(), source })?;
        let path = dir.join(LOCK);
        for _ in 0..2 {
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    use std::io::Write;
                    let _ = write!(file, "{}", std::process::id());
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path).unwrap_or_default();
                    let alive = holder
                        .trim()
                        .parse::<u32>()
                        .is_ok_and(|pid| pid != std::process::id() && Path::new(&format!("/proc/{pid}")).exists());
                    if alive {
                        return Err(Error::Usage(format!(
                            "warehouse {} is being written by process {} (lock file {}); wait for it to finish",
                            dir.display(),
                            holder.trim(),
                            path.display()
                        )));
                    }
                    let _ = std::fs::remove_file(&path);
                }
                Err(source) => return Err(Error::Write { path, source }),
            }
        }
        Err(Error::Usage(format!("cannot take the write lock {}", path.display())))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
