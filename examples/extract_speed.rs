//! Extraction speed per format: reads, normalizes and validates each given report repeatedly,
//! in-process, for about a second each, and prints reports/s and ms/report by file and by format.
//! A benchmark, not a test: `cargo run --release --example extract_speed -- FILE...`. With more
//! than 20 files each is read once and only the per-format figures are printed (a corpus sample).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    let mut by_format: BTreeMap<String, (usize, Duration)> = BTreeMap::new();
    println!("{:<64} {:>10} {:>12}", "file", "reports/s", "ms/report");
    for file in &files {
        let path = Path::new(file);
        let run = || xxgk::pipeline::process(path, &Default::default()).map(|(r, f)| r.facts.len() + f.len());
        let once = files.len() > 20;
        let start = Instant::now();
        if let Err(e) = run() {
            eprintln!("xxgk: error: {e}");
            continue;
        }
        let start = if once { start } else { Instant::now() };
        let mut n = 0usize;
        while !once && (start.elapsed() < Duration::from_secs(1) || n < 5) {
            std::hint::black_box(run().ok());
            n += 1;
        }
        if once {
            n = 1;
        }
        let elapsed = start.elapsed();
        if !once {
            println!(
                "{:<64} {:>10.0} {:>12.2}",
                file,
                n as f64 / elapsed.as_secs_f64(),
                elapsed.as_secs_f64() * 1000.0 / n as f64
            );
        }
        let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        let entry = by_format.entry(ext).or_default();
        entry.0 += n;
        entry.1 += elapsed;
    }
    println!("\nby format (file read + parse + normalize + validate, one thread):");
    for (ext, (n, elapsed)) in by_format {
        println!(
            "  .{ext:<6} {:>8.0} reports/s  {:>8.2} ms/report",
            n as f64 / elapsed.as_secs_f64(),
            elapsed.as_secs_f64() * 1000.0 / n as f64
        );
    }
}
