//! The fuzzer: mutates real and invented reports and feeds them to each reader, and cell texts to
//! the number and label normalizers, looking for panics, aborts and slow inputs; and builds each
//! mutated HTML page with the fast tree builder and with html5ever, looking for texts that differ.
//!
//!     cargo build --profile dist --examples && target/dist/examples/fuzz [OPTIONS]
//!
//!   --targets txt,md,html,html-tree,docx,xlsx,pdf,number,label   which targets (default: all)
//!   --execs 1000000     executions per target
//!   --workers 2         worker processes per target (one per core)
//!   --seed 1            the mutation seed (input i of a target is a function of seed and i)
//!   --out target/fuzz   where crashing and slow inputs go
//!
//! Deterministic: execution i of a target mutates seed file i mod n with a generator seeded by
//! (seed, target, i). Workers run disjoint ranges in child processes and report progress; a
//! panic is caught and its input saved; a worker that dies (an abort, out of memory: workers
//! run with a 2 GB address-space limit) is replayed from its last report, saving each input
//! before running it, to find and save the one that killed it, and the range goes on after it.
//! Zip formats are mutated inside their XML and zipped again (and sometimes as raw bytes).
//! Prints executions, seconds, executions/s, panics, deaths, slow inputs and mismatches (the
//! `html-tree` target: the fast builder's text is not html5ever's) per target; each such input
//! is saved as `panic-`, `death-`, `slow-` or `mismatch-TARGET-I.EXT` under `--out`.
//! `tests/it/fuzz.rs` runs the same mutations for a few seconds per target in `cargo test`.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

#[path = "../tests/it/fuzzing.rs"]
mod fuzzing;

use fuzzing::Target;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

/// Runs iterations `from..to` of `target` in this process; prints `done N` every 500 and
/// `panic I` / `mismatch I` / `slow I MS` lines; with `save_each`, writes each input to `out` before it runs.
fn worker(target: Target, seed: u64, from: u64, to: u64, out: &Path, save_each: bool) {
    // An address-space limit, so a runaway allocation aborts this worker instead of the machine.
    let limit = libc::rlimit { rlim_cur: 2 << 30, rlim_max: 2 << 30 };
    // SAFETY: setrlimit with a valid struct.
    unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) };
    let corpus = fuzzing::corpus(target);
    let stdout = std::io::stdout();
    for i in from..to {
        let input = fuzzing::mutate(target, &corpus, seed, i);
        if save_each {
            std::fs::write(out.join(format!("current.{}", target.ext())), &input).expect("save input");
            let mut lock = stdout.lock();
            let _ = writeln!(lock, "start {i}");
            let _ = lock.flush();
        }
        let t = Instant::now();
        let outcome = fuzzing::run(target, &input, None);
        let ms = t.elapsed().as_millis();
        let mut lock = stdout.lock();
        if let fuzzing::Outcome::Panic { location, message } = &outcome {
            let ours = if outcome.in_our_code() { "ours" } else { "third-party" };
            let _ = writeln!(lock, "panic {i} {ours} {location} {}", message.replace('\n', " "));
        }
        if let fuzzing::Outcome::Mismatch { line, fast, html5ever } = &outcome {
            let _ = writeln!(lock, "mismatch {i} line {line}: fast {fast:?} html5ever {html5ever:?}");
        }
        if ms > 2000 {
            let _ = writeln!(lock, "slow {i} {ms}");
        }
        if (i + 1 - from).is_multiple_of(500) || i + 1 == to {
            let _ = writeln!(lock, "done {}", i + 1);
        }
        let _ = lock.flush();
    }
}

#[derive(Default)]
struct Tally {
    execs: u64,
    /// (input, in our code, location and message).
    panics: Vec<(u64, bool, String)>,
    deaths: Vec<u64>,
    slow: Vec<u64>,
    /// (input, the first line that differs).
    mismatches: Vec<(u64, String)>,
}

/// Runs a worker process over `from..to`, replaying and skipping past any input that kills it.
fn supervise(exe: &Path, target: Target, seed: u64, mut from: u64, to: u64, out: &Path) -> Tally {
    let mut tally = Tally::default();
    while from < to {
        let mut child = Command::new(exe)
            .args(["--worker", target.name(), &seed.to_string(), &from.to_string(), &to.to_string()])
            .arg(out)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("worker");
        let mut last = from;
        for line in BufReader::new(child.stdout.take().expect("stdout")).lines().map_while(Result::ok) {
            let parts: Vec<&str> = line.split_whitespace().collect();
            let n: u64 = parts.get(1).and_then(|p| p.parse().ok()).unwrap_or(0);
            match parts.first() {
                Some(&"done") => last = n,
                Some(&"panic") => tally.panics.push((n, parts.get(2) == Some(&"ours"), parts[3..].join(" "))),
                Some(&"slow") => tally.slow.push(n),
                Some(&"mismatch") => tally.mismatches.push((n, parts[2..].join(" "))),
                _ => {}
            }
        }
        let status = child.wait().expect("wait");
        tally.execs += last - from;
        if status.success() {
            break;
        }
        // It died between `last` and the next report: replay, saving each input first.
        let mut replay = Command::new(exe)
            .args(["--worker", target.name(), &seed.to_string(), &last.to_string(), &to.min(last + 500).to_string()])
            .arg(out)
            .arg("--save-each")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("replay");
        // The replay says `start I` before each input: the last one started is the killer.
        let mut dead = last;
        for line in BufReader::new(replay.stdout.take().expect("stdout")).lines().map_while(Result::ok) {
            if let Some(n) = line.strip_prefix("start ").and_then(|n| n.parse().ok()) {
                dead = n;
            }
        }
        let _ = replay.wait();
        let current = out.join(format!("current.{}", target.ext()));
        let _ = std::fs::rename(&current, out.join(format!("death-{}-{dead}.{}", target.name(), target.ext())));
        tally.deaths.push(dead);
        tally.execs += dead + 1 - last;
        from = dead + 1;
    }
    for &(i, _, _) in &tally.panics {
        let input = fuzzing::mutate(target, &fuzzing::corpus(target), seed, i);
        let _ = std::fs::write(out.join(format!("panic-{}-{i}.{}", target.name(), target.ext())), input);
    }
    for &i in &tally.slow {
        let input = fuzzing::mutate(target, &fuzzing::corpus(target), seed, i);
        let _ = std::fs::write(out.join(format!("slow-{}-{i}.{}", target.name(), target.ext())), input);
    }
    for (i, _) in &tally.mismatches {
        let input = fuzzing::mutate(target, &fuzzing::corpus(target), seed, *i);
        let _ = std::fs::write(out.join(format!("mismatch-{}-{i}.{}", target.name(), target.ext())), input);
    }
    tally
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--worker") {
        let target = Target::parse(&args[2]).expect("target");
        let (seed, from, to) = (args[3].parse().unwrap(), args[4].parse().unwrap(), args[5].parse().unwrap());
        worker(target, seed, from, to, Path::new(&args[6]), args.get(7).is_some_and(|a| a == "--save-each"));
        return;
    }
    let targets: Vec<Target> = match arg(&args, "--targets") {
        Some(list) => list.split(',').map(|t| Target::parse(t).unwrap_or_else(|| panic!("no target {t}"))).collect(),
        None => Target::ALL.to_vec(),
    };
    let execs: u64 = arg(&args, "--execs").and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let workers: u64 = arg(&args, "--workers").and_then(|v| v.parse().ok()).unwrap_or(2);
    let seed: u64 = arg(&args, "--seed").and_then(|v| v.parse().ok()).unwrap_or(1);
    let out = PathBuf::from(arg(&args, "--out").unwrap_or_else(|| "target/fuzz".into()));
    std::fs::create_dir_all(&out).expect("out folder");
    let exe = std::env::current_exe().expect("exe");
    println!("target     execs        seconds   execs/s   panics (ours)  deaths  slow (>2 s)  mismatches");
    for target in targets {
        let started = Instant::now();
        let per = execs.div_ceil(workers);
        let tallies: Vec<Tally> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..workers)
                .map(|w| {
                    let (exe, out) = (&exe, &out);
                    s.spawn(move || supervise(exe, target, seed, w * per, ((w + 1) * per).min(execs), out))
                })
                .collect();
            handles.into_iter().map(|h| h.join().expect("supervisor")).collect()
        });
        let secs = started.elapsed().as_secs_f64();
        let total: u64 = tallies.iter().map(|t| t.execs).sum();
        let count = |f: fn(&Tally) -> usize| tallies.iter().map(f).sum::<usize>();
        println!(
            "{:<9} {:>9} {:>12.1} {:>9.0} {:>8} ({:>3}) {:>7} {:>5} {:>18}",
            target.name(),
            total,
            secs,
            total as f64 / secs,
            count(|t| t.panics.len()),
            count(|t| t.panics.iter().filter(|p| p.1).count()),
            count(|t| t.deaths.len()),
            count(|t| t.slow.len()),
            count(|t| t.mismatches.len())
        );
        let mut places: Vec<&str> = tallies.iter().flat_map(|t| t.panics.iter().map(|p| p.2.as_str())).collect();
        places.sort();
        places.dedup_by(|a, b| a.split(' ').next() == b.split(' ').next());
        for place in places {
            println!("           panic at {place}");
        }
        for (i, first) in tallies.iter().flat_map(|t| t.mismatches.iter()).take(10) {
            println!("           mismatch at input {i}, {first}");
        }
    }
    let mut listing = String::new();
    for entry in std::fs::read_dir(&out).expect("out").flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if ["panic-", "death-", "slow-", "mismatch-"].iter().any(|p| name.starts_with(p)) {
            listing.push_str(&format!("  {}\n", out.join(name).display()));
        }
    }
    if !listing.is_empty() {
        print!("inputs saved:\n{listing}");
    }
    let _ = std::io::stdin().read(&mut [0u8; 0]);
}
