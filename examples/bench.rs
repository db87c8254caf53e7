//! Benchmark harness (not a test: it prints figures and ratios and asserts nothing).
//!
//!     cargo build --profile dist --examples && target/dist/examples/bench [OPTIONS]
//!
//! Options:
//!   --sizes 1000,10000,100000   corpora to generate (txt/md/html layouts) and ingest end to end
//!   --queries 1000000           reports written straight to Parquet (`synth --warehouse`) for
//!                               the query, chart and brief figures at scale (0 to skip)
//!   --baseline-max 10000        at most this many files for the Python baseline per size
//!   --no-setup-python           do not create target/bench/.venv (pandas, lxml, duckdb from PyPI)
//!                               when no Python with them is found (the default creates it)
//!   --runs 3                    runs per query; the median is printed
//!   --reuse                     keep the 10⁶ warehouse of an earlier run (target/bench/qN)
//!
//! Per size: ingest reports/s and MB/s (a child process, so its peak RSS is its own; every file
//! is read once before, so xxgk and the baseline both read from the page cache), warehouse
//! size, every canned query's latency, charts + brief time; the Python baseline
//! (`../shared/bench/baseline_extract.py`) on the same files, and DuckDB on the same Parquet
//! files for every canned query DuckDB's SQL dialect takes (`scripts/duckdb_bench.py`), each
//! with its ratio. Without Python, or when the venv cannot be made (no network), those parts are
//! skipped and the harness says so.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use xxgk::cli::{Cli, Command as Cmd, FilterArgs, run};
use xxgk::query::{self, Filters};
use xxgk::{pipeline, store};

fn arg<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> T {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The sum of `size` over the files under `dir`.
fn dir_sum(dir: &Path, size: &dyn Fn(&std::fs::DirEntry) -> u64) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries.flatten().map(|e| if e.path().is_dir() { dir_sum(&e.path(), size) } else { size(&e) }).sum()
}

fn dir_bytes(dir: &Path) -> u64 {
    dir_sum(dir, &|e| e.metadata().map_or(0, |m| m.len()))
}

/// Reads every file under `dir` once and throws the bytes away, so the timed runs (xxgk's, then
/// the Python baseline's) both read the files from the page cache: without it, xxgk read a
/// corpus just generated while the kernel was still writing it out, and the baseline read it warm.
fn warm(dir: &Path) -> u64 {
    dir_sum(dir, &|e| std::fs::read(e.path()).map_or(0, |b| b.len() as u64))
}

fn vm_hwm_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

/// Runs this harness as a child in `mode` and returns (wall seconds, peak RSS MB, stdout).
fn child(mode: &str, args: &[&str]) -> (f64, f64, String) {
    let exe = std::env::current_exe().expect("current exe");
    let t = Instant::now();
    let mut c =
        Command::new(exe).arg(mode).args(args).stdout(std::process::Stdio::piped()).spawn().expect("spawn child");
    let mut peak = 0;
    while c.try_wait().expect("child").is_none() {
        peak = peak.max(vm_hwm_kb(c.id()).unwrap_or(0));
        std::thread::sleep(Duration::from_millis(20));
    }
    let secs = t.elapsed().as_secs_f64();
    let out = c.wait_with_output().expect("child output");
    (secs, peak as f64 / 1024.0, String::from_utf8_lossy(&out.stdout).to_string())
}

fn python(setup: bool) -> Option<PathBuf> {
    let venv = PathBuf::from("target/bench/.venv");
    let venv_python = venv.join("bin/python");
    let has = |py: &Path, modules: &str| {
        Command::new(py).args(["-c", &format!("import {modules}")]).output().is_ok_and(|o| o.status.success())
    };
    if has(&venv_python, "pandas, lxml, duckdb") {
        return Some(venv_python);
    }
    if has(Path::new("python3"), "pandas, lxml, duckdb") {
        return Some(PathBuf::from("python3"));
    }
    if setup && Command::new("python3").args(["-m", "venv", venv.to_str()?]).status().is_ok_and(|s| s.success()) {
        let pip = venv.join("bin/pip");
        let ok = Command::new(pip).args(["install", "-q", "pandas", "lxml", "duckdb"]).status();
        if ok.is_ok_and(|s| s.success()) && has(&venv_python, "pandas, lxml, duckdb") {
            return Some(venv_python);
        }
    }
    if has(Path::new("python3"), "duckdb") || has(Path::new("python3"), "pandas, lxml") {
        return Some(PathBuf::from("python3"));
    }
    None
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// Every canned query's median latency (ms) and row count over the warehouse `wh`.
fn xxgk_queries(wh: &Path, runs: usize) -> Vec<(String, f64, usize)> {
    let t = Instant::now();
    let mut session = query::Session::open(wh, &Filters::default()).expect("open warehouse");
    println!("  open session            {:>9.1} ms (manifest, scans, views)", t.elapsed().as_secs_f64() * 1000.0);
    query::specs()
        .expect("queries")
        .iter()
        .map(|spec| {
            let mut rows = 0;
            let times = (0..runs.max(1))
                .map(|_| {
                    let t = Instant::now();
                    rows = session.run(&spec.name).map(|df| df.height()).unwrap_or(0);
                    t.elapsed().as_secs_f64() * 1000.0
                })
                .collect();
            (spec.name.clone(), median(times), rows)
        })
        .collect()
}

/// DuckDB on the same committed files, with the script `xxgk query NAME --emit-sql duckdb`
/// prints (`query::emit`): {query: {ms, rows} | {error}}.
fn duckdb_queries(wh: &Path, py: Option<&Path>, runs: usize) -> Option<Value> {
    use query::emit::{self, Dialect, Source};
    let py = py?;
    let filters = Filters::default();
    let sources = [Source { dir: wh.to_path_buf(), location: None }];
    let setup = emit::setup(&sources, Dialect::DuckDb, &filters).ok()?;
    let queries: Vec<Value> = query::specs()
        .ok()?
        .iter()
        .map(|q| emit::statement(q, &[], Dialect::DuckDb, &filters).map(|sql| json!([q.name, sql])))
        .collect::<Result<_, _>>()
        .ok()?;
    let spec_path = wh.parent().unwrap_or(Path::new(".")).join("duckdb.json");
    let spec = json!({"setup": setup, "queries": queries, "runs": runs});
    std::fs::write(&spec_path, spec.to_string()).ok()?;
    let out = Command::new(py).arg("scripts/duckdb_bench.py").arg(&spec_path).output().ok()?;
    if !out.status.success() {
        println!("  duckdb failed: {}", String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or(""));
        return None;
    }
    serde_json::from_slice(&out.stdout).ok()
}

fn report_queries(wh: &Path, py: Option<&Path>, runs: usize) {
    let ours = xxgk_queries(wh, runs);
    let duck = duckdb_queries(wh, py, runs);
    match &duck {
        Some(d) => println!("  DuckDB {} on the same files (median of {runs})", d["_version"].as_str().unwrap_or("?")),
        None => println!("  DuckDB skipped: no Python with duckdb (and no venv could be made)"),
    }
    println!("  {:<32} {:>9} {:>9} {:>10} {:>9}", "query", "xxgk ms", "rows", "duckdb ms", "ratio");
    let (mut worst, mut slower) = (0.0f64, 0);
    for (name, ms, rows) in &ours {
        worst = worst.max(*ms);
        let d = duck.as_ref().map(|d| &d[name]);
        let (dms, ratio) = match d.and_then(|d| d["ms"].as_f64()) {
            Some(dms) => {
                slower += usize::from(*ms > dms);
                (format!("{dms:.1}"), format!("{:.2}×", ms / dms))
            }
            None => (d.and_then(|d| d["error"].as_str()).map_or("-".into(), |_| "n/a".into()), String::new()),
        };
        println!("  {name:<32} {ms:>9.1} {rows:>9} {dms:>10} {ratio:>9}");
        if let Some(e) = d.and_then(|d| d["error"].as_str()) {
            println!("      duckdb: {e}");
        }
    }
    println!("  slowest canned query {worst:.0} ms; slower than DuckDB on {slower} of {} queries", ours.len());
    let t = Instant::now();
    let out = wh.parent().unwrap_or(Path::new(".")).join("brief");
    let filters = FilterArgs { warehouse: wh.to_path_buf(), ..FilterArgs::default() };
    let _ = run(Cli { command: Cmd::Brief { out, filters, chart: Default::default() } });
    println!("  charts + brief          {:>9.2} s", t.elapsed().as_secs_f64());
}

fn baseline(files: &[PathBuf], py: Option<&Path>, xxgk_rate: f64) {
    let script = PathBuf::from("../shared/bench/baseline_extract.py");
    let ok = py.is_some_and(|p| {
        Command::new(p).args(["-c", "import pandas, lxml"]).output().is_ok_and(|o| o.status.success())
    });
    if !script.exists() {
        println!("  baseline skipped: ../shared/bench/baseline_extract.py is not here");
        return;
    }
    let Some(py) = py.filter(|_| ok) else {
        println!("  baseline skipped: no Python with pandas and lxml (and no venv could be made)");
        return;
    };
    let t = Instant::now();
    let status = Command::new(py).arg(&script).args(files).stdout(std::process::Stdio::null()).status();
    let secs = t.elapsed().as_secs_f64();
    match status {
        Ok(s) if s.success() => {
            let rate = files.len() as f64 / secs;
            println!(
                "  python baseline         {:>9.2} s for {} files: {rate:.0} reports/s; xxgk/baseline = {:.1}×",
                secs,
                files.len(),
                xxgk_rate / rate
            )
        }
        other => println!("  baseline failed: {other:?}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Child modes: run one step in its own process so its peak RSS is its own.
    match args.first().map(String::as_str) {
        Some("__ingest") => {
            let batch = std::env::var("BENCH_BATCH").ok().and_then(|b| b.parse().ok()).unwrap_or(2048);
            let options = pipeline::Options { batch, progress: false, ..Default::default() };
            let files: Vec<(PathBuf, Option<std::io::Error>)> = {
                let mut v: Vec<PathBuf> = std::fs::read_dir(&args[1]).unwrap().flatten().map(|e| e.path()).collect();
                v.sort();
                v.into_iter().map(|p| (p, None)).collect()
            };
            let s = pipeline::ingest(&files, Path::new(&args[2]), &Default::default(), &options).expect("ingest");
            let (f, v, w) = s.writer_seconds;
            println!("writer thread busy {:.2} s: frames {f:.2} s, stored views {v:.2} s, parquet {w:.2} s", f + v + w);
            return;
        }
        Some("__synth") => {
            let options = pipeline::Options { progress: false, ..Default::default() };
            let n: usize = args[1].parse().unwrap();
            let s = pipeline::ingest_synthetic(Path::new(&args[2]), n, 1, 0.05, &options).expect("synth");
            let (f, v, w) = s.writer_seconds;
            println!("writer thread busy {:.2} s: frames {f:.2} s, stored views {v:.2} s, parquet {w:.2} s", f + v + w);
            return;
        }
        Some("__compact") => {
            let s = store::compact(Path::new(&args[1]), false).expect("compact");
            println!("{} {}", s.files_before, s.files_after);
            return;
        }
        _ => {}
    }
    let sizes: Vec<usize> = arg(&args, "--sizes", "1000,10000,100000".to_string())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let at_scale: usize = arg(&args, "--queries", 1_000_000);
    let baseline_max: usize = arg(&args, "--baseline-max", 10_000);
    let runs: usize = arg(&args, "--runs", 3);
    let py = python(!args.iter().any(|a| a == "--no-setup-python"));
    println!(
        "xxgk bench: {} cores, sizes {sizes:?}, queries at {at_scale}; python: {}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        py.as_ref().map_or("none".to_string(), |p| p.display().to_string())
    );
    for &n in &sizes {
        let work = PathBuf::from(format!("target/bench/{n}"));
        let corpus = work.join("corpus");
        let marker = corpus.join(".complete");
        let t = Instant::now();
        if !marker.exists() {
            let _ = std::fs::remove_dir_all(&corpus);
            let options = xxgk::synth::Options { reports: n, seed: 1, layouts: vec![], defect_rate: 0.05 };
            xxgk::synth::generate(&corpus, &options).expect("synth");
            std::fs::write(&marker, "").unwrap();
        }
        let generated = t.elapsed().as_secs_f64();
        let bytes = warm(&corpus.join("reports"));
        let _ = Command::new("sync").status(); // the generator's writes out of the way too
        println!(
            "\n== {n} reports ({:.1} MB of txt/md/html, read once before timing; generated in {:.1} s)",
            bytes as f64 / 1e6,
            generated
        );
        let wh = work.join("warehouse");
        let _ = std::fs::remove_dir_all(&wh);
        let reports_dir = corpus.join("reports");
        let (secs, rss, out) = child("__ingest", &[reports_dir.to_str().unwrap(), wh.to_str().unwrap()]);
        let rate = n as f64 / secs;
        println!(
            "  ingest                  {secs:>9.2} s: {rate:.0} reports/s, {:.1} MB/s; peak RSS {rss:.0} MB; warehouse {:.1} MB in {} files",
            bytes as f64 / 1e6 / secs,
            dir_bytes(&wh) as f64 / 1e6,
            store::manifest(&wh).map_or(0, |m| m.files.len())
        );
        println!("  {}", out.trim());
        let mut files: Vec<PathBuf> = std::fs::read_dir(&reports_dir).unwrap().flatten().map(|e| e.path()).collect();
        files.sort();
        files.truncate(baseline_max);
        baseline(&files, py.as_deref(), rate);
        report_queries(&wh, py.as_deref(), runs);
    }
    if at_scale > 0 {
        let work = PathBuf::from(format!("target/bench/q{at_scale}"));
        let wh = work.join("warehouse");
        let reuse = args.iter().any(|a| a == "--reuse") && store::manifest(&wh).is_ok();
        if reuse {
            println!("\n== {at_scale} reports: the warehouse of an earlier run ({})", wh.display());
            report_queries(&wh, py.as_deref(), runs);
            return;
        }
        let _ = std::fs::remove_dir_all(&work);
        println!("\n== {at_scale} reports straight to Parquet (synth --warehouse), then compact");
        let (secs, rss, out) = child("__synth", &[&at_scale.to_string(), wh.to_str().unwrap()]);
        println!(
            "  written                 {secs:>9.1} s ({:.0} reports/s), peak RSS {rss:.0} MB; {:.1} MB in {} files",
            at_scale as f64 / secs,
            dir_bytes(&wh) as f64 / 1e6,
            store::manifest(&wh).map_or(0, |m| m.files.len())
        );
        println!("  {}", out.trim());
        let (secs, rss, out) = child("__compact", &[wh.to_str().unwrap()]);
        println!("  compact                 {secs:>9.1} s, peak RSS {rss:.0} MB; files before/after {}", out.trim());
        report_queries(&wh, py.as_deref(), runs);
    }
}
