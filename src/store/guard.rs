//! What keeps a warehouse folder xxgk's own and safe to write: the ownership marker, the
//! operating-system write lock, and the journal of files a writer creates before it commits.
//!
//! - **Marker** (`.xxgk-warehouse`): a warehouse is a folder xxgk created. A writer refuses a
//!   folder that holds anything but is not marked, so `--warehouse` pointed at other work never
//!   touches it.
//! - **Lock** (`.lock`, an advisory `flock`): one writer at a time. The lock belongs to the open
//!   file, so it ends with the process however it ends; the file staying behind means nothing.
//!
//! The journal of files a writer creates is `journal.rs`.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::manifest::{LAYOUT, MANIFEST};
use crate::error::{Error, Result};

/// The ownership marker's file name.
pub const MARKER: &str = ".xxgk-warehouse";
const LOCK: &str = ".lock";

#[derive(Debug, Serialize, Deserialize)]
struct Marker {
    format: String,
    layout: u32,
}

fn write_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Write { path: path.to_path_buf(), source }
}

/// Makes `dir` a warehouse, or checks that it is one: a new or empty folder gets the marker; a
/// folder with the marker is accepted; any other folder is refused, untouched.
pub fn claim(dir: &Path) -> Result<()> {
    let marker = dir.join(MARKER);
    match std::fs::read_to_string(&marker) {
        Ok(text) => {
            let m: Marker = serde_json::from_str(&text).map_err(|e| Error::NotAWarehouse {
                path: marker.clone(),
                reason: format!("not a readable warehouse marker ({e}); is this an xxgk warehouse?"),
            })?;
            if m.layout != LAYOUT {
                return Err(Error::NotAWarehouse {
                    path: dir.to_path_buf(),
                    reason: format!(
                        "warehouse layout {} is not the layout {LAYOUT} this xxgk writes; ingest the reports again into a new folder",
                        m.layout
                    ),
                });
            }
            return Ok(());
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => return Err(Error::Read { path: marker, source }),
    }
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if let Some(first) = entries.next() {
                let example = first.map(|e| e.file_name().to_string_lossy().to_string()).unwrap_or_default();
                let old = dir.join(MANIFEST).exists() || dir.join("reports.parquet").exists();
                let reason = if old {
                    format!("written by an older xxgk (no {MARKER} marker); ingest the reports again into a new folder")
                } else {
                    format!(
                        "not empty ({example}, …) and not an xxgk warehouse (no {MARKER} marker): xxgk writes only into a new or empty folder, or a warehouse it made; choose another --warehouse"
                    )
                };
                return Err(Error::NotAWarehouse { path: dir.to_path_buf(), reason });
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(write_err(dir))?;
        }
        Err(source) => return Err(Error::Read { path: dir.to_path_buf(), source }),
    }
    let text = serde_json::to_string_pretty(&Marker { format: "xxgk warehouse".into(), layout: LAYOUT })
        .expect("marker serializes");
    std::fs::write(&marker, text + "\n").map_err(write_err(&marker))
}

/// How long a lock that looks held is tried again before a writer is refused. A child process
/// that another thread of this process forks holds a copy of every open descriptor until it
/// executes its program, so a lock just released here can look held for a moment: measured, a
/// third of take-release-take cycles saw it while two threads started processes.
const LOCK_GRACE: std::time::Duration = std::time::Duration::from_millis(1500);

fn try_lock_within_grace(file: &File) -> std::result::Result<(), std::fs::TryLockError> {
    let started = std::time::Instant::now();
    let mut pause = std::time::Duration::from_millis(1);
    loop {
        match file.try_lock() {
            Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_GRACE => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(std::time::Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

/// The write lock of a warehouse folder: an advisory lock on `.lock`, released when the writer
/// is dropped or its process ends.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Takes the lock of the warehouse `dir`. With `wait`, blocks until the writer holding it
    /// finishes; else refuses, naming that writer's process.
    pub fn take(dir: &Path, wait: bool) -> Result<Lock> {
        let path = dir.join(LOCK);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(write_err(&path))?;
        match try_lock_within_grace(&file) {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) if wait => file.lock().map_err(write_err(&path))?,
            Err(std::fs::TryLockError::WouldBlock) => {
                let holder = std::fs::read_to_string(&path).unwrap_or_default();
                let holder = holder.trim();
                return Err(Error::Locked {
                    path: dir.to_path_buf(),
                    holder: if holder.is_empty() { "another process".to_string() } else { format!("process {holder}") },
                    lock: path,
                });
            }
            Err(std::fs::TryLockError::Error(source)) => return Err(Error::Write { path, source }),
        }
        // The holder's process id, for the message above (the lock, not the text, is what counts);
        // written over the old one before the rest is cut, so the file is never empty.
        let pid = std::process::id().to_string();
        use std::io::{Seek, SeekFrom};
        file.seek(SeekFrom::Start(0))
            .and_then(|_| file.write_all(pid.as_bytes()))
            .and_then(|_| file.set_len(pid.len() as u64))
            .map_err(write_err(&path))?;
        Ok(Lock { _file: file })
    }
}
