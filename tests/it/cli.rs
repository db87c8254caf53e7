//! The binary: JSON Lines output, exit codes 0/1/2, --help.

use std::process::Command;

use crate::common::*;

fn xxgk(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xxgk")).args(args).current_dir(project()).output().unwrap()
}

#[test]
fn extract_json_prints_one_record_per_line() {
    let a = fixture_report("2024-hangzhou-linping-district");
    let b = fixture_report("2025-shuyang-county");
    let out = xxgk(&["extract", "--json", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let records: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["requests"]["granted"]["total"], 531);
    assert_eq!(records[0]["proactive"]["admin_fees"]["fee_amount"], 14900.48);
    assert_eq!(records[1]["agency"], "沐阳县人民政府");
}

#[test]
fn exit_codes_say_clean_error_findings_or_failure() {
    let clean = fixture_report("2025-shuyang-county");
    let broken = fixture_report("2023-example-bureau-layout-inconsistent");
    assert_eq!(xxgk(&["extract", clean.to_str().unwrap()]).status.code(), Some(0));
    assert_eq!(xxgk(&["extract", broken.to_str().unwrap()]).status.code(), Some(1));
    let missing = xxgk(&["extract", "no-such-report.txt"]);
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.starts_with("xxgk: error: cannot read no-such-report.txt"), "{stderr}");
    let no_warehouse = xxgk(&["check", "--warehouse", "/nonexistent/wh"]);
    assert_eq!(no_warehouse.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_warehouse.stderr).contains("run `xxgk ingest"));
}

#[test]
fn check_summarizes_findings_by_report() {
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wh");
    let dirs = report_dirs();
    let ingest =
        xxgk(&["ingest", dirs[0].to_str().unwrap(), dirs[1].to_str().unwrap(), "--warehouse", wh.to_str().unwrap()]);
    assert_eq!(ingest.status.code(), Some(1), "{}", String::from_utf8_lossy(&ingest.stderr));
    let out = xxgk(&["check", "--warehouse", wh.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("示例市交通运输局"), "{text}");
    assert!(text.contains("[I4.1] appeals.review_sum"), "{text}");
    assert!(text.contains("8 reports (0 superseded versions), 1 with error findings"), "{text}");
}

#[test]
fn help_is_a_manual_with_exit_codes() {
    for args in [vec!["--help"], vec!["extract", "--help"], vec!["ingest", "--help"], vec!["check", "--help"]] {
        let out = xxgk(&args);
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Exit codes:") && text.contains("error findings"), "{args:?}: {text}");
    }
}

#[test]
fn output_cut_short_by_a_closed_pipe_ends_quietly() {
    use std::io::Read;
    // `xxgk extract --json` of many copies of a report prints far more than a pipe buffer holds.
    let report = fixture_report("2024-hangzhou-linping-district");
    let args: Vec<String> = std::iter::once("extract".to_string())
        .chain(std::iter::once("--json".to_string()))
        .chain(std::iter::repeat_n(report.display().to_string(), 200))
        .collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(&args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap(); // read a little, then close the pipe
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{stderr}");
    assert_eq!(out.status.code(), Some(0));
}
