//! Finding and opening report files safely: folders are walked with `walkdir` (symlinks followed,
//! loops detected and skipped), anything that is not a regular file (a FIFO, a socket, a device)
//! is skipped with a note rather than opened, and a file is read only up to its byte limit.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// What a walk found.
#[derive(Debug, Default)]
pub struct Listed {
    /// Files to read, in name order per folder, with an error met while listing them (an
    /// unreadable folder), which becomes a reject.
    pub files: Vec<(PathBuf, Option<std::io::Error>)>,
    /// Entries passed over, and why (a FIFO, a device, a symlink loop).
    pub skipped: Vec<(PathBuf, String)>,
}

/// What kind of non-regular file `meta` is, for the note that skips it.
fn kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if meta.is_dir() { "a folder" } else { "not a regular file" }
}

fn hidden(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// The report files under `paths`: files as given; folders walked recursively in name order,
/// hidden entries skipped, symlinks followed (a symlink loop is skipped with a note).
pub fn list(paths: &[PathBuf]) -> Listed {
    let mut out = Listed::default();
    for path in paths {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                out.files.push((path.clone(), Some(e)));
                continue;
            }
        };
        if meta.is_file() {
            out.files.push((path.clone(), None));
            continue;
        }
        if !meta.is_dir() {
            out.skipped.push((path.clone(), format!("skipped: {}", kind(&meta))));
            continue;
        }
        let walk = walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !hidden(e.path()));
        for entry in walk {
            match entry {
                Ok(e) if e.file_type().is_file() => out.files.push((e.into_path(), None)),
                Ok(e) if e.file_type().is_dir() => {}
                Ok(e) => {
                    let what = e.metadata().map(|m| kind(&m)).unwrap_or("not a regular file");
                    out.skipped.push((e.into_path(), format!("skipped: {what}")));
                }
                Err(e) if e.loop_ancestor().is_some() => {
                    let at = e.path().map(Path::to_path_buf).unwrap_or_else(|| path.clone());
                    let ancestor = e.loop_ancestor().map(|a| a.display().to_string()).unwrap_or_default();
                    out.skipped.push((at, format!("skipped: a symlink loop back to {ancestor}")));
                }
                Err(e) => {
                    let at = e.path().map(Path::to_path_buf).unwrap_or_else(|| path.clone());
                    let io = e.into_io_error().unwrap_or_else(|| std::io::Error::other("cannot walk"));
                    out.files.push((at, Some(io)));
                }
            }
        }
    }
    out
}

/// Reads a report file: only a regular file (a FIFO is never opened for a blocking read), and
/// at most `max_bytes` of it (a larger file is refused with the limit and the flag that raises it).
pub fn read(path: &Path, max_bytes: u64) -> Result<Vec<u8>> {
    let err = |source| Error::Read { path: path.to_path_buf(), source };
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO for reading blocks until a writer comes; O_NONBLOCK makes it return.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(err)?;
    let meta = file.metadata().map_err(err)?;
    if !meta.is_file() {
        return Err(Error::Unsupported { path: path.to_path_buf(), reason: format!("{}: not read", kind(&meta)) });
    }
    if meta.len() > max_bytes {
        return Err(Error::Limit {
            path: path.to_path_buf(),
            reason: format!("{} bytes, over the limit of {} bytes per file (--max-file-mb)", meta.len(), max_bytes),
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max_bytes + 1).read_to_end(&mut bytes).map_err(err)?;
    if bytes.len() as u64 > max_bytes {
        return Err(Error::Limit {
            path: path.to_path_buf(),
            reason: format!("over the limit of {max_bytes} bytes per file (--max-file-mb)"),
        });
    }
    Ok(bytes)
}
