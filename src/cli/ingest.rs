//! `xxgk ingest` and `xxgk compact`.

use std::path::{Path, PathBuf};

use super::Outcome;
use super::extract::load_meta;
use crate::error::Result;
use crate::{pipeline, store};

pub(super) fn ingest_paths(
    paths: &[PathBuf],
    warehouse: &Path,
    meta: Option<&Path>,
    options: &pipeline::Options,
) -> Result<Outcome> {
    let meta = load_meta(meta)?;
    let paths = from_stdin_when_dash(paths)?;
    let listed = crate::ingest::files::list(&paths);
    for (path, why) in &listed.skipped {
        super::note(&format!("{}: {why}", path.display()));
    }
    let files = listed.files;
    let options = pipeline::Options { progress: options.progress && files.len() > 1, ..options.clone() };
    let summary = pipeline::ingest(&files, warehouse, &meta, &options)?;
    for reject in &summary.rejects {
        eprintln!("xxgk: error: {}", reject.reason);
    }
    let w = &summary.write;
    println!(
        "{} files{}: {} reports added, {} already in the warehouse, {} rejected; {} facts and {} findings added ({} error findings in this batch) → {} ({:.1} s, {:.0} reports/s)",
        summary.files,
        if listed.skipped.is_empty() {
            String::new()
        } else {
            format!(" ({} other entries skipped)", listed.skipped.len())
        },
        w.reports_added,
        w.reports_already_present,
        summary.rejects.len(),
        w.facts_added,
        w.findings_added,
        summary.error_findings,
        warehouse.display(),
        summary.seconds,
        summary.files as f64 / summary.seconds.max(1e-9)
    );
    Ok(if !summary.rejects.is_empty() {
        Outcome::FilesFailed
    } else if summary.error_findings > 0 {
        Outcome::ErrorFindings
    } else {
        Outcome::Clean
    })
}

/// `xxgk compact`: merges each partition's files into one.
pub(super) fn compact(warehouse: &Path, wait: bool) -> Result<Outcome> {
    let started = std::time::Instant::now();
    let summary = store::compact(warehouse, wait)?;
    println!(
        "{} files → {} ({} partitions merged) in {:.1} s: {}",
        summary.files_before,
        summary.files_after,
        summary.partitions_merged,
        started.elapsed().as_secs_f64(),
        warehouse.display()
    );
    Ok(Outcome::Clean)
}

/// The paths, with a lone `-` replaced by the lines of standard input (blank lines skipped).
fn from_stdin_when_dash(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    if !paths.iter().any(|p| p.as_os_str() == "-") {
        return Ok(paths.to_vec());
    }
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() != "-" {
            out.push(path.clone());
            continue;
        }
        for line in std::io::stdin().lines() {
            let line = line.map_err(|source| crate::error::Error::Read { path: "<stdin>".into(), source })?;
            let line = line.trim_end_matches('\r');
            if !line.trim().is_empty() {
                out.push(PathBuf::from(line));
            }
        }
    }
    Ok(out)
}
