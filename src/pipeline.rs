//! Pipeline: report files → warehouse, streaming. Files are taken in batches; each batch is read,
//! normalized and validated on all cores (rayon) while a writer thread turns the previous batch
//! into frames, derives the stored views and appends them as Parquet row groups. Memory holds at
//! most three batches, whatever the corpus size. The writer commits every `commit_every` reports
//! and at the end, so an interrupted ingest keeps what it committed and a rerun skips it (files
//! whose content is already in the warehouse are not parsed again).

use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::model::{Finding, Severity};
use crate::normalize::{self, MetaOverride, Report};
use crate::store::{self, Reject, WriteSummary};
use crate::{corpus, ingest, validate};

/// How an ingest runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Files per batch (the unit of parallel work and of a row group).
    pub batch: usize,
    /// Commit (close the open files and name them in the manifest) every this many reports.
    pub commit_every: usize,
    /// Show a progress line with reports/s and ETA on standard error.
    pub progress: bool,
    /// Wait for another writer of the warehouse to finish, instead of refusing.
    pub wait: bool,
    /// What one file may cost.
    pub limits: ingest::Limits,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            batch: 2048,
            commit_every: 200_000,
            progress: std::io::stderr().is_terminal(),
            wait: false,
            limits: ingest::Limits::default(),
        }
    }
}

/// What an ingest did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub files: usize,
    pub write: WriteSummary,
    /// Files that could not be read (all of them, including ones already recorded).
    pub rejects: Vec<Reject>,
    /// Error findings of the reports added by this ingest.
    pub error_findings: usize,
    pub bytes: u64,
    pub seconds: f64,
    /// Busy time of the writer thread: (frames, stored views, Parquet encode + write) seconds.
    pub writer_seconds: (f64, f64, f64),
    /// After the ingest: reports superseded by a later version of the same agency and year, the
    /// corpus findings (cross-year, versions), and the seconds the corpus checks took.
    pub superseded: usize,
    pub corpus_findings: usize,
    pub corpus_seconds: f64,
}

/// Now, in microseconds since the Unix epoch: the `ingested_at` of the reports of one ingest.
fn now_micros() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_micros() as i64)
}

/// Reads, normalizes and validates one file within the default limits.
pub fn process(path: &Path, meta: &HashMap<String, MetaOverride>) -> Result<(Report, Vec<Finding>)> {
    process_with(path, meta, &ingest::Limits::default())
}

/// Reads, normalizes and validates one file within `limits`.
pub fn process_with(
    path: &Path,
    meta: &HashMap<String, MetaOverride>,
    limits: &ingest::Limits,
) -> Result<(Report, Vec<Finding>)> {
    let bytes = ingest::files::read(path, limits.file_bytes)?;
    let sha256 = ingest::sha256_hex(&bytes);
    process_bytes(path, &bytes, sha256, meta, limits)
}

/// Reads, normalizes and validates a file already in memory (its bytes), within `limits`, with
/// a panic caught as [`process_with`] does: the entry point of the fuzzer.
pub fn process_in_memory(
    path: &Path,
    bytes: &[u8],
    meta: &HashMap<String, MetaOverride>,
    limits: &ingest::Limits,
) -> Result<(Report, Vec<Finding>)> {
    process_bytes(path, bytes, ingest::sha256_hex(bytes), meta, limits)
}

thread_local! {
    /// Set while this thread reads a file inside `catch_unwind`: the panic hook of the binary
    /// stays quiet then, since the panic becomes a reject with its message.
    static ISOLATED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the current thread is reading a file whose panic becomes a reject.
pub fn reading_isolated() -> bool {
    ISOLATED.with(|c| c.get())
}

/// The message of a panic payload.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_string())
}

/// Reads, normalizes and validates one file in memory. A panic anywhere in it (a reader's bug on
/// a strange file) is caught and becomes an error naming the file: one file never stops a batch.
fn process_bytes(
    path: &Path,
    bytes: &[u8],
    sha256: String,
    meta: &HashMap<String, MetaOverride>,
    limits: &ingest::Limits,
) -> Result<(Report, Vec<Finding>)> {
    let run = || -> Result<(Report, Vec<Finding>)> {
        let doc = ingest::read_bytes(path, bytes, sha256, limits)?;
        let key_full = path.display().to_string();
        let key_name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let overrides = meta.get(&key_full).or_else(|| meta.get(&key_name));
        let report = normalize::report(&doc, overrides);
        let findings = validate::check(&report);
        Ok((report, findings))
    };
    ISOLATED.with(|c| c.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run));
    ISOLATED.with(|c| c.set(false));
    result.unwrap_or_else(|payload| {
        Err(Error::Limit {
            path: path.to_path_buf(),
            reason: format!(
                "the reader failed on this file (a panic: {}); please report it",
                panic_message(payload.as_ref())
            ),
        })
    })
}

/// One file's result: a report, a reject, or content already in the warehouse.
enum Done {
    Report(Box<(Report, Vec<Finding>)>),
    Reject(Reject),
    Known,
}

fn reject(path: &Path, sha256: Option<String>, error: &Error) -> Done {
    Done::Reject(Reject { path: path.display().to_string(), sha256, reason: error.to_string() })
}

/// Appends one batch to an open writer: base frames, the stored views derived from them.
/// Adds the time of each step to `busy` (frames, views, Parquet).
fn append(
    writer: &mut store::Writer,
    reports: &[&(Report, Vec<Finding>)],
    rejects: &[&Reject],
    ingested_at: i64,
    busy: &mut (f64, f64, f64),
) -> Result<()> {
    if reports.is_empty() && rejects.is_empty() {
        return Ok(());
    }
    // Frames are built per report year: each year partition then holds buffers of its own
    // (a slice of a whole-batch frame would keep the batch's string buffers alive until its
    // row group is written).
    let mut by_year: std::collections::BTreeMap<Option<i32>, Vec<&(Report, Vec<Finding>)>> = Default::default();
    for entry in reports {
        by_year.entry(entry.0.meta.year).or_default().push(entry);
    }
    let mut groups: Vec<Vec<&(Report, Vec<Finding>)>> = by_year.into_values().collect();
    if groups.is_empty() {
        groups.push(Vec::new()); // rejects only
    }
    for (i, group) in groups.iter().enumerate() {
        let err = |source| Error::Warehouse { path: PathBuf::from("(batch)"), source };
        let t = Instant::now();
        let mut frames = store::batch(group, if i == 0 { rejects } else { &[] }, ingested_at).map_err(err)?;
        busy.0 += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let derived = store::wide::derive(group).map_err(err)?;
        busy.1 += t.elapsed().as_secs_f64();
        // `reports` stays last in the list: derived tables go before it.
        let reports_frame = frames.pop().expect("reports frame");
        frames.extend(derived);
        frames.push(reports_frame);
        let t = Instant::now();
        writer.append(&frames)?;
        busy.2 += t.elapsed().as_secs_f64();
    }
    Ok(())
}

/// Appends reports (with their findings) and rejects to the warehouse at `dir` in one commit,
/// with their stored views. Content already in the warehouse adds nothing.
pub fn write(dir: &Path, reports: &[(Report, Vec<Finding>)], rejects: &[Reject]) -> Result<WriteSummary> {
    let mut writer = store::Writer::open(dir, false)?;
    let store::Known { mut shas, rejects: mut known_rejects } = store::known(dir, writer.manifest())?;
    let mut summary = WriteSummary::default();
    let (new_reports, new_rejects) = store::fresh(reports, rejects, &mut shas, &mut known_rejects, &mut summary);
    let mut touched = Touched::new(writer.manifest());
    touched.add(&new_reports);
    append(&mut writer, &new_reports, &new_rejects, now_micros(), &mut (0.0, 0.0, 0.0))?;
    writer.commit()?;
    if summary.reports_added > 0 {
        refresh_corpus(dir, &mut writer, touched.scope())?;
    }
    Ok(summary)
}

/// The agencies an ingest adds reports to: the scope of the corpus checks after it. Every
/// agency when the warehouse's corpus tables do not cover every report already (or it had none).
struct Touched(Option<HashSet<String>>);

impl Touched {
    fn new(before: &store::Manifest) -> Touched {
        Touched((before.rows("reports") > 0 && before.corpus_current()).then(HashSet::new))
    }

    fn add(&mut self, reports: &[&(Report, Vec<Finding>)]) {
        let Some(keys) = &mut self.0 else { return };
        for (report, _) in reports {
            if let Some(key) =
                report.meta.agency_key.as_ref().filter(|_| corpus::groupable(report.meta.agency_resolution))
            {
                keys.insert(key.clone());
            }
        }
    }

    fn scope(self) -> corpus::Scope {
        self.0.map_or(corpus::Scope::All, corpus::Scope::Agencies)
    }
}

/// Reruns the corpus checks (versions, cross-year identities) over the agencies of `scope` in
/// the committed warehouse and rewrites their tables, in one more commit.
fn refresh_corpus(dir: &Path, writer: &mut store::Writer, scope: corpus::Scope) -> Result<corpus::Refreshed> {
    let refreshed = corpus::refresh(dir, &scope)?;
    for (table, df) in &refreshed.frames {
        writer.replace(table, df)?;
    }
    writer.corpus_checked();
    writer.commit()?;
    Ok(refreshed)
}

/// Ingests `files` (path, error met while listing it) into the warehouse at `dir`.
pub fn ingest(
    files: &[(PathBuf, Option<std::io::Error>)],
    dir: &Path,
    meta: &HashMap<String, MetaOverride>,
    options: &Options,
) -> Result<Summary> {
    stream(dir, files.len(), options, |i, known, bytes_read| {
        let (path, walk_error) = &files[i];
        if let Some(e) = walk_error {
            let error = Error::Read { path: path.clone(), source: std::io::Error::new(e.kind(), e.to_string()) };
            return reject(path, None, &error);
        }
        match ingest::files::read(path, options.limits.file_bytes) {
            Err(e) => reject(path, None, &e),
            Ok(bytes) => {
                bytes_read.fetch_add(bytes.len(), Ordering::Relaxed);
                let sha256 = ingest::sha256_hex(&bytes);
                if known.contains(&sha256) {
                    return Done::Known;
                }
                match process_bytes(path, &bytes, sha256.clone(), meta, &options.limits) {
                    Ok(entry) => Done::Report(Box::new(entry)),
                    Err(e) => reject(path, Some(sha256), &e),
                }
            }
        }
    })
}

/// Writes `reports` synthetic reports (`synth::draw(seed, i)`) straight to the warehouse at
/// `dir`, without rendering and reading documents: the way to build a benchmark warehouse of
/// 10⁶ reports. Findings come from the same identity checks as an ingest.
pub fn ingest_synthetic(dir: &Path, reports: usize, seed: u64, defect_rate: f64, options: &Options) -> Result<Summary> {
    stream(dir, reports, options, |i, known, _| {
        let doc = crate::synth::draw(seed, i, defect_rate);
        let report = doc.to_report(&format!("synthetic/{seed}/{i:07}-{}", doc.year));
        if known.contains(&report.sha256) {
            return Done::Known;
        }
        let findings = validate::check(&report);
        Done::Report(Box::new((report, findings)))
    })
}

/// What the writer thread hands back: the write summary, every reject, the error findings
/// added and its busy time (frames, stored views, Parquet).
type WriterOutcome = (WriteSummary, Vec<Reject>, usize, (f64, f64, f64), Option<corpus::Refreshed>, f64);

/// The streaming ingest: items `0..total` produced in batches on all cores by `produce` (given
/// the digests already committed and a byte counter), written by a writer thread.
fn stream<F>(dir: &Path, total: usize, options: &Options, produce: F) -> Result<Summary>
where
    F: Fn(usize, &store::Digests, &AtomicUsize) -> Done + Sync,
{
    let started = Instant::now();
    let ingested_at = now_micros();
    crate::keep_freed_memory();
    crate::small_pages_only();
    let mut writer = store::Writer::open(dir, options.wait)?;
    let store::Known { shas: known_shas, rejects: known_rejects } = store::known(dir, writer.manifest())?;
    let mut touched = Touched::new(writer.manifest());
    let done_count = AtomicUsize::new(0);
    let bytes_read = AtomicUsize::new(0);
    let show = |n: usize| {
        let secs = started.elapsed().as_secs_f64().max(1e-9);
        let rate = n as f64 / secs;
        let eta = (total - n) as f64 / rate.max(1e-9);
        let mb = bytes_read.load(Ordering::Relaxed) as f64 / 1e6 / secs;
        eprint!("\r\x1b[2K[{n}/{total}] {rate:.0} reports/s, {mb:.1} MB/s, ETA {eta:.0} s");
    };
    let known_shas = &known_shas;
    let (tx, rx) = sync_channel::<Vec<Done>>(1);
    let outcome = std::thread::scope(|scope| {
        let consumer = scope.spawn(move || -> Result<WriterOutcome> {
            let mut busy = (0.0, 0.0, 0.0);
            let mut summary = WriteSummary::default();
            // Content already committed is skipped before parsing (`Done::Known`); this set
            // catches content repeated within this ingest.
            let mut shas = store::Digests::default();
            let mut recorded = known_rejects;
            let mut all_rejects = Vec::new();
            let mut error_findings = 0;
            let mut since_commit = 0;
            for batch in rx {
                let mut reports = Vec::new();
                let mut rejects = Vec::new();
                for done in batch {
                    match done {
                        Done::Report(entry) => reports.push(*entry),
                        Done::Reject(r) => rejects.push(r),
                        Done::Known => summary.reports_already_present += 1,
                    }
                }
                let (new_reports, new_rejects) =
                    store::fresh(&reports, &rejects, &mut shas, &mut recorded, &mut summary);
                error_findings += new_reports
                    .iter()
                    .map(|(_, f)| f.iter().filter(|x| x.severity == Severity::Error).count())
                    .sum::<usize>();
                touched.add(&new_reports);
                append(&mut writer, &new_reports, &new_rejects, ingested_at, &mut busy)?;
                since_commit += new_reports.len();
                if since_commit >= options.commit_every {
                    writer.commit()?;
                    since_commit = 0;
                }
                all_rejects.extend(rejects);
            }
            let t = Instant::now();
            writer.commit()?;
            busy.2 += t.elapsed().as_secs_f64();
            let t = Instant::now();
            let corpus =
                if summary.reports_added > 0 { Some(refresh_corpus(dir, &mut writer, touched.scope())?) } else { None };
            let corpus_seconds = t.elapsed().as_secs_f64();
            Ok((summary, all_rejects, error_findings, busy, corpus, corpus_seconds))
        });
        let batch = options.batch.max(1);
        for start in (0..total).step_by(batch) {
            let results: Vec<Done> = (start..(start + batch).min(total))
                .into_par_iter()
                .map(|i| {
                    let done = produce(i, known_shas, &bytes_read);
                    let n = done_count.fetch_add(1, Ordering::Relaxed) + 1;
                    if options.progress && (n.is_multiple_of(256) || n == total) {
                        show(n);
                    }
                    done
                })
                .collect();
            if tx.send(results).is_err() {
                break; // the writer stopped with an error; it is returned below
            }
        }
        drop(tx);
        consumer.join().expect("writer thread")
    });
    if options.progress && total > 0 {
        eprintln!();
    }
    let (write, rejects, error_findings, writer_seconds, corpus, corpus_seconds) = outcome?;
    Ok(Summary {
        files: total,
        write,
        rejects,
        error_findings,
        superseded: corpus.as_ref().map_or(0, |c| c.superseded),
        corpus_findings: corpus.as_ref().map_or(0, |c| c.findings),
        corpus_seconds,
        bytes: bytes_read.load(Ordering::Relaxed) as u64,
        seconds: started.elapsed().as_secs_f64(),
        writer_seconds,
    })
}
