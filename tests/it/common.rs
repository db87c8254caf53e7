//! Fixture paths and helpers shared by the integration tests.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use xxgk::model::Finding;
use xxgk::normalize::{self, Report};

pub fn project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    project().join("tests/fixtures")
}

/// `../shared/corpus` when it exists (a developer's or CI's machine), else `None`.
pub fn shared_corpus() -> Option<PathBuf> {
    let dir = project().join("../shared/corpus");
    dir.join("reports").is_dir().then_some(dir)
}

/// Reads, normalizes and validates a report file.
pub fn process(path: &Path) -> (Report, Vec<Finding>) {
    xxgk::pipeline::process(path, &HashMap::new()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Reads report text already in memory (PDF layout text) under a source name.
pub fn process_text(source: &Path, text: &str) -> (Report, Vec<Finding>) {
    let doc = xxgk::ingest::read_text(source, text);
    let report = normalize::report(&doc, None);
    let findings = xxgk::validate::check(&report);
    (report, findings)
}

pub fn record(report: &Report, findings: &[Finding]) -> Value {
    normalize::to_record(report, findings)
}

pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The folders of the fixture corpus: the real reports bundled in `data/reports` (one copy of
/// each, read by the main job and the tests alike) and the invented ones of
/// `tests/fixtures/reports`.
pub fn report_dirs() -> Vec<PathBuf> {
    vec![project().join("data/reports"), fixtures().join("reports")]
}

/// Every report file of the fixture corpus, in name order.
pub fn report_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = report_dirs()
        .iter()
        .flat_map(|d| std::fs::read_dir(d).unwrap_or_else(|e| panic!("{}: {e}", d.display())))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort_by_key(|p| p.file_name().map(|n| n.to_os_string()));
    files
}

/// The fixture report file whose stem is `slug`.
pub fn fixture_report(slug: &str) -> PathBuf {
    report_files()
        .into_iter()
        .find(|p| p.file_stem().is_some_and(|s| s == slug))
        .unwrap_or_else(|| panic!("no fixture report for {slug}"))
}

/// `pdftotext -layout` output for a PDF, when poppler-utils is installed.
pub fn pdf_layout_text(pdf: &Path) -> Option<String> {
    let out = std::process::Command::new("pdftotext").arg("-layout").arg(pdf).arg("-").output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// (rule, first cell) of the error findings, sorted.
pub fn error_cells(findings: &[Finding]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = findings
        .iter()
        .filter(|f| f.severity == xxgk::model::Severity::Error)
        .map(|f| (f.rule.clone(), f.cells.first().cloned().unwrap_or_default()))
        .collect();
    v.sort();
    v
}

/// Ingests every file under `input` (as `xxgk ingest` lists them) into the warehouse `wh`, in
/// this process (no sandbox), without progress output.
pub fn ingest_listed(input: &Path, wh: &Path) -> xxgk::pipeline::Summary {
    let listed = xxgk::ingest::files::list(&[input.to_path_buf()]);
    xxgk::pipeline::ingest(
        &listed.files,
        wh,
        &Default::default(),
        &xxgk::pipeline::Options { progress: false, ..Default::default() },
    )
    .unwrap()
}

/// A new folder `dir/name` holding one good report (`good.txt`), for batches that mix it with
/// hostile or unreadable files.
pub fn input_with_good_report(dir: &Path, name: &str) -> PathBuf {
    let input = dir.join(name);
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(fixture_report("2025-shuyang-county"), input.join("good.txt")).unwrap();
    input
}

/// A Python in `target/NAME/.venv` with the pinned packages of `scripts/REQUIREMENTS` (checked by
/// importing `imports`), made from that file when PyPI can be reached, once per test run; `None`
/// when it cannot be made (the caller prints that it skipped).
fn pinned_python(name: &str, requirements: &str, imports: &str) -> Option<PathBuf> {
    static MADE: std::sync::Mutex<Vec<(String, Option<PathBuf>)>> = std::sync::Mutex::new(Vec::new());
    let mut made = MADE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, found)) = made.iter().find(|(n, _)| n == name) {
        return found.clone();
    }
    let venv = project().join("target").join(name).join(".venv");
    let python = venv.join("bin/python");
    let ready = || {
        std::process::Command::new(&python)
            .args(["-c", &format!("import {imports}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !ready() {
        let quiet = |c: &mut std::process::Command| c.output().is_ok_and(|o| o.status.success());
        let _ = quiet(std::process::Command::new("python3").arg("-m").arg("venv").arg(&venv));
        let _ = quiet(
            std::process::Command::new(venv.join("bin/pip"))
                .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
                .arg(project().join("scripts").join(requirements)),
        );
    }
    let found = ready().then_some(python);
    made.push((name.to_string(), found.clone()));
    found
}

/// A Python with the pinned readers of `scripts/interop-requirements.txt` (pandas, pyarrow,
/// polars, duckdb): `target/interop/.venv`.
pub fn interop_python() -> Option<PathBuf> {
    pinned_python("interop", "interop-requirements.txt", "pandas, pyarrow, polars, duckdb")
}

/// Says that a test skipped a part, and why, on the test binary's standard error itself: the
/// test harness captures `println!` of passing tests, and a skip must show in the output of
/// `cargo test` (and CI's log).
pub fn skip(message: &str) {
    use std::io::Write;
    // The harness names each test's thread after the test.
    let test = std::thread::current().name().unwrap_or("a test").to_string();
    let _ = writeln!(std::io::stderr().lock(), "note: {test}: {message}");
}

/// A Python with the Spark of `scripts/spark-requirements.txt` (pyspark): `target/spark/.venv`,
/// when `java -version` runs. `Err` says why there is none (the caller prints that it skipped).
pub fn spark_python() -> Result<PathBuf, String> {
    let java = std::process::Command::new("java").arg("-version").output();
    if !java.is_ok_and(|o| o.status.success()) {
        return Err("no Java: `java -version` does not run (Spark needs Java 17 or later)".into());
    }
    pinned_python("spark", "spark-requirements.txt", "pyspark").ok_or_else(|| {
        "no pyspark: target/spark/.venv could not be made from scripts/spark-requirements.txt (python3 -m venv + PyPI)"
            .into()
    })
}

/// Whether a warning of `rule` names `cell`: how a recovered (not printed-as-read) value is
/// made visible.
pub fn named_by_warning(findings: &[Finding], rule: &str, cell: &str) -> bool {
    findings
        .iter()
        .any(|f| f.rule == rule && f.severity == xxgk::model::Severity::Warning && f.cells.iter().any(|c| c == cell))
}
