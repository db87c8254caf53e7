//! The reliability table of the README: hostile inputs of each kind through `xxgk ingest` (time,
//! peak memory, outcome), kill -9 during ingest and compaction (is the warehouse consistent, does
//! the next ingest finish it), and two writers at once.
//!
//!     cargo build --profile dist --bins --examples && target/dist/examples/reliability [--kills 20]
//!
//! Runs the `xxgk` binary that sits next to this example's folder (target/dist/xxgk).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn xxgk() -> PathBuf {
    let exe = std::env::current_exe().expect("exe");
    exe.parent().and_then(Path::parent).map(|d| d.join("xxgk")).expect("target dir")
}

/// Runs a command to its end: (exit code, wall seconds, peak RSS in MB of it and the children
/// it waited for, stdout + stderr).
#[allow(clippy::zombie_processes, reason = "the child is reaped by wait4, for its resource usage")]
fn measure(cmd: &mut Command) -> (Option<i32>, f64, f64, String) {
    use std::io::Read;
    let started = Instant::now();
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let pid = child.id() as libc::pid_t;
    let read = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = r.read_to_string(&mut s);
            s
        })
    };
    let out = read(Box::new(child.stdout.take().expect("stdout")));
    let err = read(Box::new(child.stderr.take().expect("stderr")));
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child with valid pointers (the Child is never waited otherwise).
    unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let seconds = started.elapsed().as_secs_f64();
    let text = format!("{}{}", out.join().unwrap_or_default(), err.join().unwrap_or_default());
    let code = if libc::WIFEXITED(status) { Some(libc::WEXITSTATUS(status)) } else { None };
    (code, seconds, usage.ru_maxrss as f64 / 1024.0, text)
}

/// Writes one member of a zip archive.
type Member = Box<dyn Fn(&mut dyn Write)>;

fn write_zip(path: &Path, members: &[(&str, Member)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).expect("create"));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, write) in members {
        zip.start_file(*name, options).expect("member");
        write(&mut zip);
    }
    zip.finish().expect("zip");
}

fn spaces(n: usize) -> Member {
    Box::new(move |w: &mut dyn Write| {
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..n {
            w.write_all(&chunk).expect("write");
        }
    })
}

/// The hostile kinds: (name, builder of the file in `dir`).
fn hostile(dir: &Path, project: &Path) -> Vec<(&'static str, PathBuf)> {
    let mut out = Vec::new();
    let p = dir.join("bomb.docx");
    write_zip(&p, &[("word/document.xml", spaces(1024))]);
    out.push(("zip bomb .docx (1 GB inflated)", p));
    let p = dir.join("bomb.xlsx");
    write_zip(
        &p,
        &[
            ("[Content_Types].xml", Box::new(|w: &mut dyn Write| w.write_all(b"<Types/>").unwrap())),
            ("xl/sharedStrings.xml", spaces(1536)),
        ],
    );
    out.push(("zip bomb .xlsx (1.5 GB inflated)", p));
    let p = dir.join("deep.html");
    std::fs::write(&p, format!("<html><body>{}x{}</body></html>", "<div>".repeat(200_000), "</div>".repeat(200_000)))
        .unwrap();
    out.push(("page nested 200,000 deep", p));
    let p = dir.join("fifo.txt");
    let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid C string.
    unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
    out.push(("FIFO in the input folder", p));
    let p = dir.join("loops");
    std::fs::create_dir_all(&p).unwrap();
    let _ = std::os::unix::fs::symlink("..", p.join("up"));
    let _ = std::os::unix::fs::symlink("../loops", p.join("again"));
    out.push(("two symlink loops", p));
    let mut regressions: Vec<std::fs::DirEntry> =
        std::fs::read_dir(project.join("tests/fixtures/hostile")).unwrap().flatten().collect();
    regressions.sort_by_key(|e| e.file_name());
    for entry in regressions {
        if entry.path().extension().is_some_and(|e| e == "pdf") {
            out.push(("PDF that panics pdf_oxide", entry.path()));
        }
        let stem = entry.path().file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
        let xlsx = match stem.as_str() {
            "xlsx-huge-cell-reference" => Some(".xlsx naming cell Fstream53"),
            "xlsx-renamed-worksheet-folder" => Some("the same, sheet folder renamed"),
            "xlsx-not-starting-with-pk" => Some("the same, first bytes not PK"),
            _ => None,
        };
        out.extend(xlsx.map(|kind| (kind, entry.path())));
    }
    for entry in std::fs::read_dir(project.join("tests/fixtures/hostile/sandbox-only")).unwrap().flatten() {
        out.push(("PDF that takes 5.6 GB in-process", entry.path()));
    }
    let p = dir.join("huge.txt");
    let mut f = std::fs::File::create(&p).unwrap();
    for _ in 0..70 {
        f.write_all(&vec![b'x'; 1 << 20]).unwrap();
    }
    out.push(("70 MB text file", p));
    let p = dir.join("garbage.txt");
    std::fs::write(&p, (0..100_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect::<Vec<u8>>())
        .unwrap();
    out.push(("random bytes as .txt", p));
    let p = dir.join("headings.txt");
    std::fs::write(&p, "一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n").unwrap();
    out.push(("headings only", p));
    out
}

fn count_reports(wh: &Path) -> Option<usize> {
    let out = Command::new(xxgk())
        .args(["sql", "SELECT COUNT(*) AS n FROM reports", "--format", "csv", "--all-versions", "--warehouse"])
        .arg(wh)
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout).lines().nth(1)?.trim().parse().ok()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let kills: usize = args
        .iter()
        .position(|a| a == "--kills")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let project = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir().expect("tempdir");
    let good = project.join("data/reports/2025-shuyang-county.txt");
    println!("xxgk reliability ({})", xxgk().display());
    println!("\nhostile input (with one good report)      exit   seconds   peak MB   outcome");
    for (n, (kind, file)) in hostile(work.path(), &project).into_iter().enumerate() {
        let input = work.path().join(format!("in-{n}"));
        let _ = std::fs::remove_dir_all(&input);
        std::fs::create_dir_all(&input).unwrap();
        std::fs::copy(&good, input.join("good.txt")).unwrap();
        let name = file.file_name().unwrap();
        if std::fs::symlink_metadata(&file).is_ok_and(|m| m.is_file()) {
            std::fs::copy(&file, input.join(name)).unwrap();
        } else {
            std::fs::rename(&file, input.join(name)).unwrap();
        }
        let wh = work.path().join(format!("wh-{}", input.file_name().unwrap().to_string_lossy()));
        let (code, secs, mb, text) =
            measure(Command::new(xxgk()).args(["ingest", "--quiet", "--warehouse"]).arg(&wh).arg(&input));
        let outcome = text
            .lines()
            .find(|l| l.contains("refused") || l.contains("skipped") || l.contains("not a readable"))
            .map(|l| l.rsplit(": ").take(2).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join(": "))
            .unwrap_or_else(|| text.lines().last().unwrap_or("").to_string());
        let landed = text.contains("1 reports added");
        println!(
            "{:<42} {:>4} {:>9.2} {:>9.0}   {}{}",
            kind,
            code.map_or("sig".into(), |c| c.to_string()),
            secs,
            mb,
            if landed { "good report in; " } else { "GOOD REPORT LOST; " },
            outcome.chars().take(90).collect::<String>()
        );
    }

    // kill -9 during ingest and compact.
    let corpus = work.path().join("synth");
    let out = Command::new(xxgk())
        .args(["synth", "--reports", "3000", "--formats", "txt,md,html", "--out"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(out.status.success(), "synth");
    let reports = corpus.join("reports");
    let mut consistent = 0;
    let mut finished = 0;
    let mut counts = Vec::new();
    for trial in 0..kills {
        let wh = work.path().join(format!("kill-{trial}"));
        let delay = Duration::from_millis(150 + (trial as u64 * 397) % 1800);
        let mut child = Command::new(xxgk())
            .args(["ingest", "--quiet", "--batch", "256", "--warehouse"])
            .arg(&wh)
            .arg(&reports)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        // What the warehouse shows after the kill: a readable manifest, or no warehouse yet.
        let before = count_reports(&wh);
        if before.is_some() || !wh.join("manifest.json").exists() {
            consistent += 1;
        }
        // The next ingest finishes the job and leaves no temporary or journaled file.
        let again =
            Command::new(xxgk()).args(["ingest", "--quiet", "--warehouse"]).arg(&wh).arg(&reports).output().unwrap();
        let after = count_reports(&wh);
        let leftovers = walk(&wh).iter().any(|p| p.to_string_lossy().ends_with(".tmp") || p.ends_with(".journal"));
        if again.status.code().is_some_and(|c| c <= 1) && after == Some(3000) && !leftovers {
            finished += 1;
        }
        counts.push(before.unwrap_or(0));
    }
    println!("\nkill -9 during ingest of 3,000 reports: {kills} trials, killed after 0.15–1.95 s");
    println!("  warehouse readable right after the kill: {consistent}/{kills} (reports committed then: {counts:?})");
    println!("  next ingest completes it (3,000 reports, no leftover file): {finished}/{kills}");
    let wh = work.path().join("compact");
    Command::new(xxgk())
        .args(["ingest", "--quiet", "--batch", "200", "--warehouse"])
        .arg(&wh)
        .arg(&reports)
        .output()
        .unwrap();
    let mut compact_ok = 0;
    for trial in 0..kills.min(10) {
        for _ in 0..2 {
            // Appends to compact again.
            let more = work.path().join(format!("more-{trial}"));
            let _ = Command::new(xxgk())
                .args(["synth", "--reports", "50", "--seed", &(100 + trial).to_string(), "--out"])
                .arg(&more)
                .output();
            let _ = Command::new(xxgk())
                .args(["ingest", "--quiet", "--warehouse"])
                .arg(&wh)
                .arg(more.join("reports"))
                .output();
        }
        let expected = count_reports(&wh);
        let mut child =
            Command::new(xxgk()).args(["compact", "--warehouse"]).arg(&wh).stdout(Stdio::null()).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(20 + trial as u64 * 37));
        let _ = child.kill();
        let _ = child.wait();
        if count_reports(&wh) == expected {
            compact_ok += 1;
        }
    }
    println!("kill -9 during compact: {compact_ok}/{} trials with every report still there", kills.min(10));

    // Two writers at once.
    let mut both = 0;
    let mut one_said_why = 0;
    let mut lost = 0;
    let halves: Vec<PathBuf> = ["a", "b"]
        .iter()
        .enumerate()
        .map(|(k, h)| {
            let dir = work.path().join(format!("half-{h}"));
            std::fs::create_dir_all(&dir).unwrap();
            for (i, f) in std::fs::read_dir(&reports).unwrap().flatten().enumerate() {
                if i % 2 == k && i < 1000 {
                    std::fs::copy(f.path(), dir.join(f.file_name())).unwrap();
                }
            }
            dir
        })
        .collect();
    for trial in 0..10 {
        let wh = work.path().join(format!("two-{trial}"));
        Command::new(xxgk()).args(["ingest", "--quiet", "--warehouse"]).arg(&wh).arg(&good).output().unwrap();
        let wait = trial % 2 == 1;
        let spawn = |dir: &Path| {
            let mut c = Command::new(xxgk());
            c.args(["ingest", "--quiet", "--warehouse"]).arg(&wh).arg(dir);
            if wait {
                c.arg("--wait");
            }
            c.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()
        };
        let (a, b) = (spawn(&halves[0]), spawn(&halves[1]));
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let landed = [&a, &b].iter().filter(|o| o.status.code().is_some_and(|c| c <= 1)).count();
        let said =
            [&a, &b].iter().filter(|o| String::from_utf8_lossy(&o.stderr).contains("is being written by")).count();
        let count = count_reports(&wh).unwrap_or(0);
        let expected = 1 + 500 * landed;
        if count != expected {
            lost += 1;
        } else if landed == 2 {
            both += 1;
        } else if landed + said == 2 {
            one_said_why += 1;
        }
    }
    println!(
        "two ingests started together (10 trials, half with --wait): both landed {both}, one refused and said why {one_said_why}, a batch lost {lost}"
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}
