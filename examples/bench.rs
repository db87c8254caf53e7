//! Benchmark harness (not a test): generates a synthetic corpus, ingests it, times every canned
//! query and the charts + brief, and — when a Python with pandas and lxml is available — runs the
//! Python baseline (`../shared/bench/baseline_extract.py`) on the same files and prints the ratio.
//! Prints figures; asserts nothing.
//!
//!     cargo run --profile dist --example bench -- [REPORTS] [--setup-python]
//!
//! `--setup-python` creates `target/bench/.venv` with pandas and lxml (from PyPI) when missing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use xxgk::cli::{Cli, Command as Cmd, FilterArgs, run};
use xxgk::query::{self, Filters};

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map(|e| e.flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum()).unwrap_or(0)
}

fn python_with_pandas(setup: bool) -> Option<PathBuf> {
    let venv = PathBuf::from("target/bench/.venv");
    let venv_python = venv.join("bin/python");
    let ok =
        |py: &Path| Command::new(py).args(["-c", "import pandas, lxml"]).output().is_ok_and(|o| o.status.success());
    if ok(&venv_python) {
        return Some(venv_python);
    }
    if ok(Path::new("python3")) {
        return Some(PathBuf::from("python3"));
    }
    if setup && Command::new("python3").args(["-m", "venv", venv.to_str()?]).status().is_ok_and(|s| s.success()) {
        let pip = venv.join("bin/pip");
        if Command::new(pip).args(["install", "-q", "pandas", "lxml"]).status().is_ok_and(|s| s.success())
            && ok(&venv_python)
        {
            return Some(venv_python);
        }
    }
    None
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let reports: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(1000);
    let setup = args.iter().any(|a| a == "--setup-python");
    let work = PathBuf::from(format!("target/bench/{reports}"));
    let _ = std::fs::remove_dir_all(&work);

    let t = Instant::now();
    let options = xxgk::synth::Options { reports, seed: 1, layouts: vec![], defect_rate: 0.05 };
    let summary = xxgk::synth::generate(&work.join("corpus"), &options).expect("synth");
    println!(
        "synth        {reports} reports, {:.1} MB in {:.2} s",
        summary.bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    let wh = work.join("warehouse");
    let t = Instant::now();
    let _ = run(Cli {
        command: Cmd::Ingest {
            paths: vec![work.join("corpus/reports")],
            warehouse: wh.clone(),
            meta: None,
            batch: 2048,
            quiet: true,
        },
    });
    let secs = t.elapsed().as_secs_f64();
    println!(
        "ingest       {:.2} s: {:.0} reports/s, {:.1} MB/s; peak RSS {:.0} MB; warehouse {:.1} MB",
        secs,
        reports as f64 / secs,
        summary.bytes as f64 / 1e6 / secs,
        peak_rss_mb(),
        dir_bytes(&wh) as f64 / 1e6
    );

    let t = Instant::now();
    let mut session = query::Session::open(&wh, &Filters::default()).expect("open warehouse");
    println!("open         {:.3} s (scan, filter, register views)", t.elapsed().as_secs_f64());
    for spec in query::specs().expect("queries") {
        let t = Instant::now();
        let rows = session.run(&spec.name).map(|df| df.height()).unwrap_or(0);
        println!("query        {:<32} {:>8.1} ms  {rows} rows", spec.name, t.elapsed().as_secs_f64() * 1000.0);
    }

    let t = Instant::now();
    let out = work.join("brief");
    let filters = FilterArgs { warehouse: wh.clone(), ..FilterArgs::default() };
    let _ = run(Cli { command: Cmd::Brief { out, filters } });
    println!("charts+brief {:.2} s", t.elapsed().as_secs_f64());

    let baseline = PathBuf::from("../shared/bench/baseline_extract.py");
    match (baseline.exists(), python_with_pandas(setup)) {
        (false, _) => println!("baseline     skipped: ../shared/bench/baseline_extract.py is not here"),
        (true, None) => println!("baseline     skipped: no Python with pandas and lxml (rerun with --setup-python)"),
        (true, Some(py)) => {
            let files: Vec<String> = summary.files.iter().map(|p| p.display().to_string()).collect();
            let t = Instant::now();
            let status = Command::new(&py).arg(&baseline).args(&files).stdout(std::process::Stdio::null()).status();
            let base = t.elapsed().as_secs_f64();
            match status {
                Ok(s) if s.success() => println!(
                    "baseline     {:.2} s: {:.0} reports/s; xxgk ingest / baseline speed = {:.1}×",
                    base,
                    reports as f64 / base,
                    base / secs
                ),
                other => println!("baseline     failed: {other:?}"),
            }
        }
    }
}
