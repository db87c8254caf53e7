//! 2019+ reports whose tables lost their cell boundaries: flattened variants of every real text
//! and HTML report of the repository (`data/reports`, truth in `tests/fixtures/truth`), read as
//! `xxgk extract` reads them and compared cell by cell with the truth. A cell is recovered right,
//! left unreadable with a finding, or not read with a finding that names it; a wrong value is a
//! failure. The recovery rate is printed (`cargo test --test it flattened -- --nocapture`) and held
//! as a floor.

use std::path::{Path, PathBuf};

use serde_json::Value;
use xxgk::model::{BlankKind, Finding, PROACTIVE_ROWS, Placement, Table, cell_name};
use xxgk::normalize::Report;

use crate::common::*;

/// How a variant flattens the tables.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// A crawler export: the whole report on one line, every table row's cells separated by one
    /// space (blank cells gone), headings inside the running text.
    Crawler,
    /// The same, with the numbers of a row that stand side by side run together (`852350031891`).
    JoinedDigits,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Crawler => "crawler export",
            Kind::JoinedDigits => "joined digits",
        }
    }
}

/// The real 2019+ reports with truth: (report file, truth file).
fn real_reports() -> Vec<(PathBuf, PathBuf)> {
    let mut out: Vec<(PathBuf, PathBuf)> = std::fs::read_dir(project().join("data/reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let slug = p.file_stem()?.to_string_lossy().to_string();
            let truth = fixtures().join("truth").join(format!("{slug}.json"));
            truth.exists().then_some((p, truth))
        })
        .collect();
    out.sort();
    out
}

/// The text the reader reads for a report file (HTML rendered as `|` rows).
fn text_of(path: &Path) -> String {
    xxgk::ingest::text_of(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A flattened variant of report text (see [`Kind`]).
fn flatten(text: &str, kind: Kind) -> String {
    // A crawler reads the page, not its print: no page numbers.
    let page_mark = regex::Regex::new(xxgk::model::labels::PAGE_MARK_PATTERN).unwrap();
    let mut parts: Vec<String> = Vec::new();
    for line in text.lines() {
        let t = line.trim().trim_start_matches('#').trim();
        if t.is_empty() || t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) || page_mark.is_match(t) {
            continue;
        }
        if !t.contains('|') {
            parts.push(t.split_whitespace().collect::<Vec<_>>().join(" "));
            continue;
        }
        let cells: Vec<&str> = t.split('|').map(str::trim).filter(|c| !c.is_empty()).collect();
        let mut row = String::new();
        let mut previous_digits = false;
        for cell in cells {
            let digits = cell.bytes().all(|b| b.is_ascii_digit());
            let glued = kind == Kind::JoinedDigits && digits && previous_digits;
            if !glued && !row.is_empty() {
                row.push(' ');
            }
            row.push_str(cell);
            previous_digits = digits;
        }
        parts.push(row);
    }
    format!("{}\n", parts.join(" "))
}

/// The counts of one variant kind.
#[derive(Debug, Default)]
struct Tally {
    variants: usize,
    cells: usize,
    right: usize,
    unread: usize,
    not_read: usize,
    wrong: Vec<String>,
}

impl Tally {
    fn summary(&self, what: &str) -> String {
        format!(
            "{what}: {} variants, {} cells: {} recovered right ({:.1}%), {} unreadable with a finding, {} not read (with a finding, or printed blank), {} wrong",
            self.variants,
            self.cells,
            self.right,
            self.right as f64 * 100.0 / self.cells as f64,
            self.unread,
            self.not_read,
            self.wrong.len()
        )
    }
}

/// Whether a finding names `cell` or its table.
fn named(findings: &[Finding], table: Table, cell: &str) -> bool {
    findings.iter().any(|f| f.cells.iter().any(|c| c == cell || c == table.id()))
}

/// Every truth cell of one table: (row, col, value); `col` empty for section 四.
fn truth_cells(truth: &Value, table: Table, report: &Report) -> Vec<(String, String, Option<f64>)> {
    let mut out = Vec::new();
    let Some(rows) = truth.get(table.id()).and_then(Value::as_object) else { return out };
    for (row, cells) in rows {
        match cells {
            Value::Object(cols) => {
                let era_cols = PROACTIVE_ROWS.iter().find(|r| r.id == row).map(|r| r.columns(report.era));
                for (col, v) in cols {
                    if table == Table::Proactive && !era_cols.is_some_and(|c| c.contains(&col.as_str())) {
                        continue;
                    }
                    out.push((row.clone(), col.clone(), v.as_f64()));
                }
            }
            v => out.push((row.clone(), String::new(), v.as_f64())),
        }
    }
    out
}

fn score(slug: &str, kind: Kind, truth: &Value, report: &Report, findings: &[Finding], tally: &mut Tally) {
    for fact in &report.facts {
        assert_eq!(
            fact.at.placed,
            Placement::Recovered,
            "{slug} ({}): {} not placed recovered",
            kind.name(),
            fact.locator()
        );
        assert!(fact.locator().contains("recovered from flattened text"));
        let name = cell_name(fact.table, fact.row, fact.col);
        if fact.blank_kind != BlankKind::Unreadable {
            assert!(
                named_by_warning(findings, "report.flattened_table", &name),
                "{slug} ({}): {name} recovered silently",
                kind.name()
            );
        }
    }
    for table in [Table::Proactive, Table::Requests, Table::Appeals] {
        for (row, col, expected) in truth_cells(truth, table, report) {
            tally.cells += 1;
            let name = cell_name(table, &row, &col);
            match report.fact(table, &row, &col) {
                Some(f) if f.blank_kind == BlankKind::Unreadable => {
                    assert!(named(findings, table, &name), "{slug} ({}): {name} unread without a finding", kind.name());
                    tally.unread += 1;
                }
                Some(f) if f.value == expected => tally.right += 1,
                Some(f) => tally.wrong.push(format!(
                    "{slug} ({}): {name} expected {expected:?} got {:?} ('{}')",
                    kind.name(),
                    f.value,
                    f.raw
                )),
                None if named(findings, table, &name) => tally.not_read += 1,
                None if expected.is_none() => tally.not_read += 1,
                None => tally.wrong.push(format!("{slug} ({}): {name} not read and no finding says so", kind.name())),
            }
        }
    }
}

#[test]
fn flattened_variants_of_every_real_report_recover_cells_and_never_a_wrong_one() {
    let reports = real_reports();
    assert_eq!(reports.len(), 6, "{reports:?}");
    let dir = tempfile::tempdir().unwrap();
    let mut lines = Vec::new();
    let mut all_wrong = Vec::new();
    for kind in [Kind::Crawler, Kind::JoinedDigits] {
        let mut tally = Tally::default();
        for (path, truth_path) in &reports {
            let slug = path.file_stem().unwrap().to_string_lossy().to_string();
            let truth = read_json(truth_path);
            let text = flatten(&text_of(path), kind);
            assert!(text.lines().count() == 1);
            let variant = dir.path().join(format!("{slug}.txt"));
            std::fs::write(&variant, &text).unwrap();
            // Read as `xxgk extract` reads a file: a rejection fails here.
            let (report, findings) = process(&variant);
            assert_eq!(record(&report, &findings)["era"], truth["era"], "{slug} ({})", kind.name());
            tally.variants += 1;
            let (cells, right) = (tally.cells, tally.right);
            score(&slug, kind, &truth, &report, &findings, &mut tally);
            println!(
                "  {slug} ({}): {}/{} cells recovered right",
                kind.name(),
                tally.right - right,
                tally.cells - cells
            );
        }
        let line = tally.summary(kind.name());
        println!("{line}");
        lines.push((kind, tally.right, tally.cells));
        all_wrong.extend(tally.wrong);
    }
    assert!(all_wrong.is_empty(), "wrong recoveries:\n{}", all_wrong.join("\n"));
    for (kind, right, cells) in lines {
        let floor = match kind {
            Kind::Crawler => FLOOR_CRAWLER,
            Kind::JoinedDigits => FLOOR_JOINED,
        };
        assert!(right >= floor, "{}: {right}/{cells} recovered, below the floor {floor}", kind.name());
    }
}

/// Cells recovered right, as measured when the reader was written: a regression fails.
const FLOOR_CRAWLER: usize = 316;
const FLOOR_JOINED: usize = 298;

#[test]
fn the_crawler_export_form_is_read_not_rejected() {
    let (path, _) = &real_reports()[0];
    let text = flatten(&text_of(path), Kind::Crawler);
    let dir = tempfile::tempdir().unwrap();
    let variant = dir.path().join("crawler.txt");
    std::fs::write(&variant, text).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .arg("extract")
        .arg("--json")
        .arg(&variant)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("no report section headings found"), "{stderr}");
    assert!(matches!(out.status.code(), Some(0) | Some(1)), "{stderr}");
}

/// Synthetic reports (every identity balanced, a fifth with a printed total that contradicts its
/// parts) flattened both ways: many more tables than the real corpus holds, none read wrong.
#[test]
fn flattened_variants_of_synthetic_reports_never_recover_a_wrong_cell() {
    let dir = tempfile::tempdir().unwrap();
    let options = xxgk::synth::Options {
        reports: 150,
        seed: 15,
        layouts: vec![xxgk::synth::Layout::Txt, xxgk::synth::Layout::Md, xxgk::synth::Layout::Html],
        defect_rate: 0.2,
    };
    let files = xxgk::synth::generate(&dir.path().join("corpus"), &options).unwrap().files;
    let mut wrong = Vec::new();
    for kind in [Kind::Crawler, Kind::JoinedDigits] {
        let mut tally = Tally::default();
        for path in files.iter().filter(|p| p.parent().is_some_and(|d| d.ends_with("reports"))) {
            let slug = path.file_stem().unwrap().to_string_lossy().to_string();
            let truth = read_json(&dir.path().join("corpus/truth").join(format!("{slug}.json")));
            let variant = dir.path().join(format!("{slug}.txt"));
            std::fs::write(&variant, flatten(&text_of(path), kind)).unwrap();
            let (report, findings) = process(&variant);
            tally.variants += 1;
            score(&slug, kind, &truth, &report, &findings, &mut tally);
        }
        println!("{}", tally.summary(&format!("synthetic, {}", kind.name())));
        assert!(tally.variants >= 150);
        let floor = match kind {
            Kind::Crawler => 29_848,
            Kind::JoinedDigits => 28_797,
        };
        assert!(tally.right >= floor, "{}: {} recovered right, below the floor {floor}", kind.name(), tally.right);
        wrong.extend(tally.wrong);
    }
    assert!(wrong.is_empty(), "wrong recoveries:\n{}", wrong.join("\n"));
}
