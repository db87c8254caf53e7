//! `xxgk read-text`: the sandboxed reader the ingest of PDF and Office files starts.

use std::io::Write;
use std::path::PathBuf;

use super::Outcome;
use crate::error::{Error, Result};

/// `xxgk read-text`: the sandboxed reader. Reads a PDF or Office file from standard input and
/// prints its text; exit 3 when it is not a readable report, 4 when it is over a limit.
pub(super) fn read_text(
    ext: &str,
    max_pages: usize,
    max_unzipped_bytes: u64,
    max_sheet_cells: u64,
    max_depth: usize,
    max_data_bytes: u64,
) -> Result<Outcome> {
    use std::io::Read;
    // The backstop on this reader's data segment: a new heap mapping past it fails and the
    // process aborts, which the ingest reports as the memory limit. It counts from what the
    // process holds as it starts (its thread stacks and the allocator's first arena, about
    // 130 MB): a cap below that made every later mapping fail, at random, and refused every
    // file under a small --max-memory-mb.
    let start = data_segment_bytes().unwrap_or(0);
    let limit = start.saturating_add(max_data_bytes) as libc::rlim_t;
    let cap = libc::rlimit { rlim_cur: limit, rlim_max: limit };
    // SAFETY: setrlimit reads the struct and changes only this process's limit.
    unsafe { libc::setrlimit(libc::RLIMIT_DATA, &cap) };
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes).map_err(|source| Error::Read { path: "<stdin>".into(), source })?;
    let limits = crate::ingest::Limits {
        pdf_pages: max_pages,
        member_bytes: max_unzipped_bytes,
        archive_bytes: max_unzipped_bytes.saturating_mul(2),
        sheet_cells: max_sheet_cells,
        html_depth: max_depth,
        file_bytes: u64::MAX,
        sandbox: None,
        ..Default::default()
    };
    let path = PathBuf::from(format!("stdin.{ext}"));
    match crate::ingest::to_text(&path, ext, &bytes, &limits) {
        Ok((rendered, _)) => {
            std::io::stdout()
                .write_all(&crate::ingest::sandbox::encode(&rendered))
                .map_err(|source| Error::Write { path: "<stdout>".into(), source })?;
            Ok(Outcome::Clean)
        }
        Err(Error::NotAReport { reason, .. }) => {
            eprint!("{reason}");
            std::process::exit(crate::ingest::sandbox::EXIT_NOT_A_REPORT)
        }
        Err(Error::Limit { reason, .. }) => {
            eprint!("{reason}");
            std::process::exit(crate::ingest::sandbox::EXIT_LIMIT)
        }
        Err(e) => Err(e),
    }
}

/// This process's data segment (`VmData` of /proc/self/status: what RLIMIT_DATA counts).
fn data_segment_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmData:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb << 10)
}
