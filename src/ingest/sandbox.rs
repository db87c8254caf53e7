//! The sandbox: PDF and Office files are read by a child process (the xxgk executable, hidden
//! command `read-text`), so that the time and memory limits hold even inside third-party
//! parsers, which cannot be stopped within this process. The file's bytes go to the child on
//! standard input, its text comes back on standard output; the parent watches the child's
//! resident memory (`/proc/PID/statm`) and its time, and kills it at a limit. Exit codes: 0
//! text, 3 not a report, 4 over a limit; anything else (a panic, a signal) is a failed reader.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{Limits, PDF_EXTENSIONS, Rendered, SHEET_EXTENSIONS, WORD_EXTENSIONS};
use crate::error::{Error, Result};

/// Exit code of `read-text` for a file that is not a readable report.
pub const EXIT_NOT_A_REPORT: i32 = 3;
/// Exit code of `read-text` for a file over a limit.
pub const EXIT_LIMIT: i32 = 4;

/// Whether files of this extension are read in the sandbox (third-party parsers).
pub fn isolated(ext: &str) -> bool {
    PDF_EXTENSIONS.contains(&ext) || WORD_EXTENSIONS.contains(&ext) || SHEET_EXTENSIONS.contains(&ext)
}

/// mimalloc's arena reservation in the sandboxed reader (`MIMALLOC_ARENA_RESERVE`): well under
/// the smallest sensible `--max-memory-mb`, so the reader's RLIMIT_DATA cap holds from its start.
const CHILD_ARENA_RESERVE: &str = "32MiB";

/// The arguments of `xxgk read-text` for `limits`.
fn child_args(ext: &str, limits: &Limits) -> Vec<String> {
    vec![
        "read-text".into(),
        "--ext".into(),
        ext.into(),
        "--max-pages".into(),
        limits.pdf_pages.to_string(),
        "--max-unzipped-bytes".into(),
        limits.member_bytes.to_string(),
        "--max-sheet-cells".into(),
        limits.sheet_cells.to_string(),
        "--max-depth".into(),
        limits.html_depth.to_string(),
        "--max-data-bytes".into(),
        hard_memory_cap(limits).to_string(),
    ]
}

/// The growth of the reader's data segment allowed by its cap (`RLIMIT_DATA`, set by the child
/// itself on top of what it holds as it starts), an eighth above `--max-memory-mb`: a backstop,
/// not the limit. New heap mappings past it fail, so a single huge allocation (the runaway PDF of
/// `tests/fixtures/hostile` asks for 1.3 GB at once) aborts the reader at once. The limit is the
/// 2 ms watch of the reader's resident memory.
pub fn hard_memory_cap(limits: &Limits) -> u64 {
    limits.memory_bytes.saturating_add(limits.memory_bytes / 8)
}

/// What the Rust runtime prints when an allocation fails (then it aborts).
const ALLOCATION_FAILED: &str = "memory allocation of";

/// Resident memory of process `pid` in bytes (Linux); `None` when it cannot be read.
fn resident_bytes(pid: u32) -> Option<u64> {
    let statm = std::fs::read_to_string(format!("/proc/{pid}/statm")).ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * u64::try_from(page).unwrap_or(4096))
}

fn drain(mut from: impl Read + Send + 'static, cap: u64) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = (&mut from).take(cap).read_to_end(&mut out);
        // Whatever is past the cap is read and dropped, so the child never blocks on a full pipe.
        let _ = std::io::copy(&mut from, &mut std::io::sink());
        out
    })
}

/// What the sandboxed reader writes: the text, a NUL byte, and the places of its lines as JSON
/// (which holds no NUL, so the last NUL is the separator whatever the text holds).
pub fn encode(rendered: &Rendered) -> Vec<u8> {
    let mut out = rendered.text.clone().into_bytes();
    out.push(0);
    out.extend(serde_json::to_vec(&rendered.places).unwrap_or_else(|_| b"[]".to_vec()));
    out
}

/// The reader's output back: text and places ([`encode`]); `None` when it is not that.
fn decode(bytes: Vec<u8>) -> Option<Rendered> {
    let nul = bytes.iter().rposition(|b| *b == 0)?;
    let places = serde_json::from_slice(&bytes[nul + 1..]).ok()?;
    let mut text = bytes;
    text.truncate(nul);
    Some(Rendered { text: String::from_utf8(text).ok()?, places })
}

/// Reads `bytes` (the file at `path`) in a child process `exe read-text`, within `limits`:
/// the text and whether its `|` rows are dense grids, as [`super::to_text`] gives them.
pub fn to_text(exe: &Path, path: &Path, ext: &str, bytes: &[u8], limits: &Limits) -> Result<(Rendered, bool)> {
    let refused = |reason: String| Error::Limit { path: path.to_path_buf(), reason };
    let mut child = Command::new(exe)
        .args(child_args(ext, limits))
        // A reader that aborts prints its message, not a backtrace: symbolizing one reads the
        // program's debug information, hundreds of MB of a debug build, past the memory limit.
        .env("RUST_BACKTRACE", "0")
        .env("RUST_LIB_BACKTRACE", "0")
        // mimalloc reserves its first arena (1 GiB by default, writable) before `read-text`
        // sets its RLIMIT_DATA cap, which counts from there: small arenas keep each further
        // reservation counted, so a runaway reader cannot grow inside a large first one.
        .env("MIMALLOC_ARENA_RESERVE", CHILD_ARENA_RESERVE)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| refused(format!("cannot start the sandboxed reader {}: {e}", exe.display())))?;
    let pid = child.id();
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = bytes.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let text_cap = (limits.file_bytes.max(bytes.len() as u64)).saturating_mul(16).max(64 << 20);
    let stdout = drain(child.stdout.take().expect("piped stdout"), text_cap);
    let stderr = drain(child.stderr.take().expect("piped stderr"), 64 << 10);
    let started = Instant::now();
    let mut killed: Option<String> = None;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => {}
            Err(e) => {
                killed = Some(format!("cannot watch the sandboxed reader: {e}"));
                break None;
            }
        }
        if started.elapsed().as_secs_f64() > limits.seconds {
            killed = Some(format!("reading took longer than {} s (--timeout)", limits.seconds));
        } else if resident_bytes(pid).is_some_and(|rss| rss > limits.memory_bytes) {
            killed =
                Some(format!("the reader used more than {} MB of memory (--max-memory-mb)", limits.memory_bytes >> 20));
        }
        if killed.is_some() {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let _ = feeder.join();
    let text = stdout.join().unwrap_or_default();
    let errors = String::from_utf8_lossy(&stderr.join().unwrap_or_default()).trim().to_string();
    if let Some(reason) = killed {
        return Err(refused(reason));
    }
    let status = status.expect("the child exited");
    let dense = !PDF_EXTENSIONS.contains(&ext);
    match status.code() {
        Some(0) => decode(text)
            .map(|r| (r, dense))
            .ok_or_else(|| refused("the sandboxed reader wrote something other than UTF-8 text and its places".into())),
        Some(EXIT_NOT_A_REPORT) => Err(Error::NotAReport { path: path.to_path_buf(), reason: errors }),
        Some(EXIT_LIMIT) => Err(refused(errors)),
        _ if errors.contains(ALLOCATION_FAILED) => Err(refused(format!(
            "the reader used more than {} MB of memory (--max-memory-mb)",
            limits.memory_bytes >> 20
        ))),
        code => {
            // A panic prints "thread '…' panicked at FILE:LINE:" and then its message.
            let message = errors
                .lines()
                .skip_while(|l| !l.contains("panicked at"))
                .nth(1)
                .or_else(|| errors.lines().last())
                .unwrap_or("no message")
                .to_string();
            let how = match code {
                Some(c) => format!("exit code {c}"),
                None => "a signal".to_string(),
            };
            Err(refused(format!("the reader failed ({how}): {message}")))
        }
    }
}
