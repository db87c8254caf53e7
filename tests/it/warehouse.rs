//! The Parquet warehouse: idempotent ingest, documented schema, rejects.

use std::path::Path;

use polars::prelude::*;
use xxgk::cli::{Cli, Command, Outcome, run};
use xxgk::store;

use crate::common::*;

fn ingest(paths: Vec<std::path::PathBuf>, warehouse: &Path) -> Outcome {
    run(Cli { command: Command::Ingest { paths, warehouse: warehouse.to_path_buf(), meta: None } }).unwrap()
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn ingesting_the_same_folder_twice_leaves_the_warehouse_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wh");
    let first = ingest(vec![fixtures().join("reports")], &wh);
    assert_eq!(first, Outcome::ErrorFindings, "the inconsistent fixture has error findings");
    let before = snapshot(&wh);
    assert_eq!(before.len(), 5, "{:?}", before.iter().map(|f| &f.0).collect::<Vec<_>>());
    ingest(vec![fixtures().join("reports")], &wh);
    assert_eq!(snapshot(&wh), before);
    let reports = store::read_table(&wh, "reports").unwrap().unwrap();
    assert_eq!(reports.height(), 8);
}

#[test]
fn warehouse_tables_open_in_polars_with_the_documented_schema() {
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wh");
    ingest(vec![fixtures().join("reports")], &wh);
    let expect: &[(&str, &[(&str, DataType)])] = &[
        (
            "reports",
            &[
                ("report_id", DataType::String),
                ("sha256", DataType::String),
                ("source_path", DataType::String),
                ("source_format", DataType::String),
                ("agency", DataType::String),
                ("year", DataType::Int32),
                ("era", DataType::String),
                ("era_evidence", DataType::String),
                ("level", DataType::String),
                ("period_start", DataType::String),
                ("period_end", DataType::String),
                ("published_date", DataType::String),
                ("inference", DataType::String),
                ("parser_version", DataType::String),
                ("fact_count", DataType::Int64),
                ("error_count", DataType::Int64),
                ("warning_count", DataType::Int64),
            ],
        ),
        (
            "facts",
            &[
                ("report_id", DataType::String),
                ("year", DataType::Int32),
                ("table", DataType::String),
                ("row_id", DataType::String),
                ("col_id", DataType::String),
                ("value", DataType::Float64),
                ("blank_kind", DataType::String),
                ("raw", DataType::String),
                ("label_raw", DataType::String),
                ("unit", DataType::String),
                ("line", DataType::Int64),
                ("locator", DataType::String),
            ],
        ),
        (
            "findings",
            &[
                ("report_id", DataType::String),
                ("rule", DataType::String),
                ("identity", DataType::String),
                ("severity", DataType::String),
                ("cells", DataType::String),
                ("expected", DataType::Float64),
                ("actual", DataType::Float64),
                ("message", DataType::String),
            ],
        ),
        (
            "sections",
            &[
                ("report_id", DataType::String),
                ("section", DataType::String),
                ("heading", DataType::String),
                ("line", DataType::Int64),
                ("text", DataType::String),
            ],
        ),
        ("rejects", &[("source_path", DataType::String), ("sha256", DataType::String), ("reason", DataType::String)]),
    ];
    for (table, columns) in expect {
        let df = store::read_table(&wh, table).unwrap().unwrap();
        let got: Vec<(String, DataType)> = df.schema().iter().map(|(n, t)| (n.to_string(), t.clone())).collect();
        let want: Vec<(String, DataType)> = columns.iter().map(|(n, t)| (n.to_string(), t.clone())).collect();
        assert_eq!(got, want, "schema of {table}");
    }
    // A fact read back through a lazy scan: 临平区 2024 予以公开 总计 = 531, traceable to its line.
    let facts =
        LazyFrame::scan_parquet(PlRefPath::new(store::table_path(&wh, "facts").to_str().unwrap()), Default::default())
            .unwrap()
            .filter(col("row_id").eq(lit("granted")).and(col("col_id").eq(lit("total"))).and(col("year").eq(lit(2024))))
            .collect()
            .unwrap();
    let values: Vec<Option<f64>> = facts.column("value").unwrap().f64().unwrap().iter().collect();
    assert!(values.contains(&Some(531.0)), "{values:?}");
    let findings = store::read_table(&wh, "findings").unwrap().unwrap();
    let rules: Vec<Option<&str>> = findings.column("rule").unwrap().str().unwrap().iter().collect();
    assert!(rules.contains(&Some("appeals.review_sum")));
}

#[test]
fn a_batch_with_unreadable_files_finishes_and_records_them() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(fixture_report("2025-shuyang-county"), input.join("good.txt")).unwrap();
    std::fs::write(input.join("scan.pdf"), b"%PDF-1.4 not really").unwrap();
    std::fs::write(input.join("notes.txt"), "这不是年度报告。\n").unwrap();
    std::fs::write(input.join("binary.txt"), [0xff, 0xfe, 0x00, 0xd8, 0x00]).unwrap();
    let wh = dir.path().join("wh");
    assert_eq!(ingest(vec![input.clone()], &wh), Outcome::FilesFailed);
    assert_eq!(store::read_table(&wh, "reports").unwrap().unwrap().height(), 1);
    let rejects = store::read_table(&wh, "rejects").unwrap().unwrap();
    let reasons: Vec<String> =
        rejects.column("reason").unwrap().str().unwrap().iter().map(|r| r.unwrap().to_string()).collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    for name in ["scan.pdf", "notes.txt", "binary.txt"] {
        assert!(reasons.iter().any(|r| r.contains(name)), "{name} not named in {reasons:?}");
    }
    assert!(reasons.iter().any(|r| r.contains("no report section headings")));
    // Rejects are not duplicated by a second run.
    ingest(vec![input], &wh);
    assert_eq!(store::read_table(&wh, "rejects").unwrap().unwrap().height(), 3);
}

#[test]
fn rows_left_by_an_interrupted_write_are_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wh");
    ingest(vec![fixture_report("2025-shuyang-county")], &wh);
    let facts_before = store::read_table(&wh, "facts").unwrap().unwrap().height();
    // Simulate a crash after facts were renamed into place but before reports was: the facts of
    // a report that is not in `reports` are orphans.
    let (report, findings) = process(&fixture_report("2024-hangzhou-linping-district"));
    let saved_reports = std::fs::read(store::table_path(&wh, "reports")).unwrap();
    store::write(&wh, &[(report, findings)], &[]).unwrap();
    std::fs::write(store::table_path(&wh, "reports"), saved_reports).unwrap();
    assert!(store::read_table(&wh, "facts").unwrap().unwrap().height() > facts_before);
    ingest(vec![fixture_report("2024-hangzhou-linping-district")], &wh);
    let facts = store::read_table(&wh, "facts").unwrap().unwrap();
    let reports = store::read_table(&wh, "reports").unwrap().unwrap();
    assert_eq!(reports.height(), 2);
    assert_eq!(facts.height(), facts_before * 2, "orphans dropped, the report's facts written once");
}

#[test]
fn unreadable_formats_are_rejected_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    // A one-page PDF with no text layer (what a scan looks like to a text extractor).
    let pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
    let cases: [(&str, &[u8], &str); 4] = [
        ("scan.pdf", pdf, "no text layer"),
        ("old.doc", b"\xd0\xcf\x11\xe0 legacy", "convert it to .docx"),
        ("broken.docx", b"not a zip", "not a .docx"),
        ("table.csv", b"a,b\n", "unknown report format .csv"),
    ];
    for (name, bytes, reason) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = xxgk::ingest::read(&path).unwrap_err().to_string();
        assert!(err.contains(name) && err.contains(reason), "{name}: {err}");
    }
}
