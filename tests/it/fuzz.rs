//! The fuzz smoke run of `cargo test`: every target of the fuzzer (`examples/fuzz.rs`, the
//! engine in `fuzzing.rs`) for a few seconds, the same deterministic mutations as the long runs,
//! each input read as `ingest` reads a file (PDF and Office files in the sandboxed reader). A
//! panic in xxgk's own code, or a page whose fast HTML tree flattens to other text than
//! html5ever's (the `html-tree` target), fails the test and saves its input under
//! `target/fuzz-smoke/`; a panic in a third-party parser is caught and becomes a reject
//! (counted here).

use std::path::Path;
use std::time::{Duration, Instant};

use crate::fuzzing::{self, Outcome, Target};

/// Time per target: short, since CI runs the debug build.
const BUDGET: Duration = Duration::from_secs(3);

#[test]
fn fuzz_smoke_run_finds_no_panic_in_xxgks_own_code_and_no_html_tree_mismatch() {
    let out = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-smoke");
    let sandbox = Path::new(env!("CARGO_BIN_EXE_xxgk"));
    let mut ours = Vec::new();
    for target in Target::ALL {
        let corpus = fuzzing::corpus(target);
        let started = Instant::now();
        let (mut execs, mut isolated) = (0u64, 0u64);
        while started.elapsed() < BUDGET && execs < 5_000 {
            let input = fuzzing::mutate(target, &corpus, 7, execs);
            let outcome = fuzzing::run(target, &input, Some(sandbox));
            if outcome.is_defect() {
                std::fs::create_dir_all(&out).unwrap();
                let kind = if outcome.in_our_code() { "panic" } else { "mismatch" };
                let path = out.join(format!("{kind}-{}-{execs}.{}", target.name(), target.ext()));
                std::fs::write(&path, &input).unwrap();
                ours.push(format!("{}: {outcome:?}", path.display()));
            } else if matches!(outcome, Outcome::Panic { .. }) {
                isolated += 1;
            }
            execs += 1;
        }
        println!(
            "fuzz smoke: {:<7} {execs} executions in {:.1} s, {isolated} third-party panics caught",
            target.name(),
            started.elapsed().as_secs_f64()
        );
    }
    assert!(ours.is_empty(), "panics in xxgk's code or HTML tree mismatches: {ours:?}");
}
