//! `xxgk run`: the main job on a corpus folder.

use std::path::{Path, PathBuf};

use super::ingest::ingest_paths;
use super::{ChartArgs, Outcome};
use crate::error::{Error, Result};
use crate::query::export::Format;
use crate::{brief, pipeline, query};

pub(super) fn run_main_job(
    corpus: &Path,
    meta: Option<&Path>,
    out: &Path,
    queries: Option<&Path>,
    limits: &crate::ingest::Limits,
    chart: &ChartArgs,
) -> Result<Outcome> {
    // A bad query file, chart spec or size stops the job before the ingest, not after it.
    let (chart_specs, chart_options) = (chart.specs()?, chart.options()?);
    let catalogue = query::Catalogue::with_folder(queries)?;
    let started = std::time::Instant::now();
    // A main job with nothing to read stops here rather than writing empty outputs.
    let looked = std::path::absolute(corpus).unwrap_or_else(|_| corpus.to_path_buf());
    if !corpus.exists() {
        return Err(Error::Argument(format!(
            "no corpus at {} (looked in {}): run xxgk from the project folder, or pass --corpus FOLDER",
            corpus.display(),
            looked.display()
        )));
    }
    if crate::ingest::files::list(&[corpus.to_path_buf()]).files.is_empty() {
        return Err(Error::Argument(format!(
            "no report files in {} (looked in {}): pass --corpus FOLDER with .txt, .md, .html, .pdf, .docx or .xlsx reports",
            corpus.display(),
            looked.display()
        )));
    }
    let default_meta = PathBuf::from("data/meta.csv");
    let meta = meta.map(Path::to_path_buf).or_else(|| default_meta.exists().then_some(default_meta));
    let warehouse = out.join("warehouse");
    println!("1/4 ingest {} → {}", corpus.display(), warehouse.display());
    let options = pipeline::Options { limits: limits.clone(), ..Default::default() };
    let outcome = ingest_paths(&[corpus.to_path_buf()], &warehouse, meta.as_deref(), &options)?;
    let filters = query::Filters::default();
    let query_dir = out.join("queries");
    std::fs::create_dir_all(&query_dir).map_err(|source| Error::Write { path: query_dir.clone(), source })?;
    let mut session = query::Session::open_with(&warehouse, &filters, catalogue)?;
    let specs = session.specs().to_vec();
    println!("2/4 {} queries → {}", specs.len(), query_dir.display());
    for spec in &specs {
        let df = session.run(&spec.name)?;
        query::export::write(&df, Format::Csv, Some(&query_dir.join(format!("{}.csv", spec.name))), &[])?;
    }
    println!("3/4 charts and 4/4 briefing → {}", out.display());
    let (html, md) = brief::make(&mut session, &filters, &chart_specs, &chart_options, out)?;
    let head = session.run("headline_indicators")?;
    print!("{}", query::export::table(&head, &[]));
    for line in session.notes(&session.spec("headline_indicators")?.metrics)?.lines() {
        println!("note: {line}");
    }
    println!("briefing: {} ({}), {:.1} s", html.display(), md.display(), started.elapsed().as_secs_f64());
    Ok(outcome)
}
