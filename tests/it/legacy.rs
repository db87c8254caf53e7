//! Legacy (2008–2018) reports: the statistics table read from crawler text against hand-checked
//! truth (`tests/fixtures/legacy`), every recovered fact flagged, identities as findings.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use serde_json::Value;
use xxgk::eval::{agency_matches, compare, silent_errors};
use xxgk::model::Severity;
use xxgk::model::legacy::{LEGACY_MAPPING, legacy_ids, mapping_markdown};
use xxgk::query::{self, Filters};

use crate::common::*;

fn legacy_dir() -> PathBuf {
    fixtures().join("legacy")
}

fn truths() -> Vec<PathBuf> {
    let mut t: Vec<PathBuf> =
        std::fs::read_dir(legacy_dir().join("truth")).unwrap().map(|e| e.unwrap().path()).collect();
    t.sort();
    t
}

fn report_of(truth: &Path) -> PathBuf {
    let slug = truth.file_stem().unwrap().to_string_lossy().to_string();
    legacy_dir().join("reports").join(format!("{slug}.txt"))
}

fn text_of(slug: &str) -> String {
    std::fs::read_to_string(legacy_dir().join("reports").join(format!("{slug}.txt"))).unwrap()
}

#[test]
fn every_legacy_report_reads_at_100_percent_of_its_truth_with_agency_and_year() {
    let all = truths();
    assert_eq!(all.len(), 11);
    let (mut cells, mut wrong) = (0, Vec::new());
    for truth_path in &all {
        let truth = read_json(truth_path);
        let (report, findings) = process(&report_of(truth_path));
        let record = record(&report, &findings);
        let slug = truth_path.file_stem().unwrap().to_string_lossy().to_string();
        assert!(agency_matches(truth["agency"].as_str().unwrap(), record["agency"].as_str().unwrap_or("")), "{slug}");
        assert_eq!(record["year"], truth["year"], "{slug}");
        assert_eq!(record["era"], "legacy_2008", "{slug}");
        let expected = truth["legacy"].as_object().unwrap();
        for (id, cell) in expected {
            for column in ["year", "cumulative"] {
                cells += 1;
                let got =
                    record.pointer(&format!("/legacy/{id}/{column}")).cloned().unwrap_or(Value::from("<missing>"));
                if got != cell[column] {
                    wrong.push(format!("{slug}: legacy.{id}.{column} expected {} got {got}", cell[column]));
                }
            }
        }
        for id in legacy_ids().filter(|id| !expected.contains_key(*id)) {
            assert!(record.pointer(&format!("/legacy/{id}")).is_none(), "{slug}: {id} is not printed");
        }
        let c = compare(&record, &truth);
        assert!(c.mismatches.is_empty(), "{slug}: {:?}", c.mismatches);
        assert!(silent_errors(&c, &findings).is_empty(), "{slug}");
    }
    println!("legacy cells: {}/{cells}", cells - wrong.len());
    assert!(cells > 300, "only {cells} cells compared");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_report_without_the_table_has_no_legacy_record_and_says_so() {
    let (report, findings) = process(&report_of(&legacy_dir().join("truth/2013-pingtan-local-taxation-bureau.json")));
    assert!(report.legacy.is_empty());
    assert!(record(&report, &findings).get("legacy").is_none());
    assert!(findings.iter().any(|f| f.rule == "report.legacy_era"));
}

#[test]
fn every_fact_recovered_from_flattened_text_carries_a_locator_and_a_warning_finding() {
    for truth in truths() {
        let (report, findings) = process(&report_of(&truth));
        for row in &report.legacy {
            assert!(row.locator.contains("recovered from flattened text"), "{}", row.locator);
            let name = row.cell_name();
            assert!(
                named_by_warning(&findings, "legacy.flattened", &name),
                "{name} of {} is recovered silently",
                truth.display()
            );
        }
    }
}

#[test]
fn without_the_prose_figure_an_ambiguous_run_is_left_unread_not_guessed() {
    let slug = "2015-pingtan-zonghe-shiyanqu";
    let text = text_of(slug).replace("2949条", "若干条");
    let (report, findings) = process_text(Path::new(&format!("{slug}.txt")), &text);
    let total = report.legacy.iter().find(|r| r.id == Some("proactive_total")).unwrap();
    assert_eq!(total.year.value, None);
    assert_eq!(total.year.blank_kind, xxgk::model::BlankKind::Unreadable);
    let finding = findings
        .iter()
        .find(|f| f.rule == "legacy.unreadable" && f.cells == ["legacy.proactive_total"])
        .expect("an unreadable finding for the total");
    assert!(finding.message.contains("2949 | 81916") && finding.message.contains("294 | 981916"));
    assert_eq!(finding.severity, Severity::Error);
    // The other blocks do not depend on it.
    let received = report.legacy.iter().find(|r| r.id == Some("requests_received")).unwrap();
    assert_eq!((received.year.value, received.cumulative.as_ref().unwrap().value), (Some(0.0), Some(1.0)));
}

#[test]
fn a_glued_table_that_breaks_its_channel_sum_is_read_as_printed_and_flagged() {
    let slug = "2017-pingtan-market-supervision-bureau";
    let text = text_of(slug).replace("信函、传真申请数条22对申请", "信函、传真申请数条23对申请");
    assert_ne!(text, text_of(slug));
    let (report, findings) = process_text(Path::new(&format!("{slug}.txt")), &text);
    let record = record(&report, &findings);
    assert_eq!(record.pointer("/legacy/channel_letter_fax/cumulative"), Some(&Value::from(3)));
    assert_eq!(record.pointer("/legacy/requests_received/cumulative"), Some(&Value::from(5)));
    let sum = findings.iter().find(|f| f.rule == "legacy.channel_sum").expect("channel sum finding");
    assert_eq!(sum.severity, Severity::Error);
    assert!(sum.cells.contains(&"legacy.requests_received.cumulative".to_string()));
    assert_eq!((sum.expected, sum.actual), (Some(5.0), Some(6.0)));
}

#[test]
fn a_legacy_report_whose_identities_hold_has_no_error_findings() {
    let (_, findings) = process(&report_of(&legacy_dir().join("truth/2018-pingtan-market-supervision-bureau.json")));
    let errors: Vec<_> = findings.iter().filter(|f| f.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn ingest_writes_the_legacy_table_with_values_blank_kinds_and_locators() {
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wh");
    ingest_listed(&legacy_dir().join("reports"), &wh);
    let legacy = xxgk::store::read_table(&wh, "legacy").unwrap().expect("a legacy table");
    let expected: usize = truths()
        .iter()
        .map(|t| {
            let truth = read_json(t);
            truth["legacy"].as_object().unwrap().len()
                + truth.get("legacy_other").and_then(Value::as_object).map_or(0, |o| o.len())
        })
        .sum();
    assert_eq!(legacy.height(), expected);
    let reports = xxgk::store::read_table(&wh, "reports").unwrap().unwrap();
    assert_eq!(reports.height(), 11);
    let df = xxgk::query::sql(
        &wh,
        "SELECT l.year_value, l.cumulative, l.cumulative_blank_kind, l.locator FROM legacy l JOIN reports r USING (report_id) \
         WHERE r.year = 2013 AND l.row_id = 'proactive_gazette'",
        &Default::default(),
    )
    .unwrap();
    assert_eq!(df.height(), 1);
    assert_eq!(df.column("year_value").unwrap().f64().unwrap().get(0), Some(0.0));
    assert_eq!(df.column("cumulative").unwrap().f64().unwrap().get(0), None);
    assert_eq!(df.column("cumulative_blank_kind").unwrap().str().unwrap().get(0), Some("empty"));
    assert!(df.column("locator").unwrap().str().unwrap().get(0).unwrap().contains("recovered from flattened text"));

    let e = xxgk::query::explain::explain(&wh, "2015-pingtan", "legacy.proactive_total.year").unwrap();
    assert_eq!(e.facts.height(), 1);
    assert_eq!(e.facts.column("value").unwrap().f64().unwrap().get(0), Some(2949.0));
    assert!(e.facts.column("locator").unwrap().str().unwrap().get(0).unwrap().contains("split as 2949 | 81916"));
    let rules: Vec<&str> = e.findings.column("rule").unwrap().str().unwrap().iter().flatten().collect();
    assert!(rules.contains(&"legacy.split_digit_run") && rules.contains(&"legacy.flattened"), "{rules:?}");
}

#[test]
fn cumulative_minus_last_years_cumulative_is_checked_across_years() {
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wh");
    ingest_listed(&legacy_dir().join("reports"), &wh);
    let df = xxgk::query::sql(
        &wh,
        "SELECT f.cells, f.expected, f.actual FROM findings f JOIN reports r USING (report_id) \
         WHERE f.rule = 'cross_year.legacy_cumulative' AND r.year = 2018",
        &Default::default(),
    )
    .unwrap();
    let cells: Vec<&str> = df.column("cells").unwrap().str().unwrap().iter().map(|c| c.unwrap_or("")).collect();
    // 2017: 457 | 837 printed; 2018: 389 | 1176 printed — 837 + 389 ≠ 1176.
    let total = cells.iter().position(|c| c.starts_with("legacy.proactive_total.cumulative")).expect("total flagged");
    assert_eq!(df.column("expected").unwrap().f64().unwrap().get(total), Some(1226.0));
    assert_eq!(df.column("actual").unwrap().f64().unwrap().get(total), Some(1176.0));
    // 5 received by 2017, 2 in 2018, 7 by 2018: holds.
    assert!(!cells.iter().any(|c| c.starts_with("legacy.requests_received.")), "{cells:?}");
}

#[test]
fn eval_takes_several_truth_folders_and_reports_accuracy_per_era() {
    let mut args = vec![
        "eval".to_string(),
        "--truth".into(),
        fixtures().join("truth").display().to_string(),
        "--truth".into(),
        legacy_dir().join("truth").display().to_string(),
        fixture_report("2025-shuyang-county").display().to_string(),
    ];
    args.extend(truths().iter().map(|t| report_of(t).display().to_string()));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xxgk")).args(&args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let era = |id: &str| stdout.lines().find(|l| l.starts_with(&format!("era {id}: "))).map(str::to_string);
    let legacy = era("legacy_2008").expect("a legacy_2008 line");
    assert!(legacy.contains("100.00%, 0 mismatches, 0 silent errors"), "{legacy}");
    assert!(era("std_2021").is_some(), "{stdout}");
    assert!(stdout.lines().last().unwrap().starts_with("total "), "{stdout}");
}

#[test]
fn a_table_that_kept_its_cells_is_read_by_position_and_not_marked_recovered() {
    let (report, findings) = process(&fixtures().join("portal/2013-pingtan-county-gov.html"));
    let record = record(&report, &findings);
    assert_eq!(record.pointer("/legacy/requests_received"), Some(&serde_json::json!({"year": 7, "cumulative": 28})));
    assert_eq!(record.pointer("/legacy/proactive_gazette"), Some(&serde_json::json!({"year": 0, "cumulative": 7})));
    assert_eq!(report.legacy.len(), 17);
    for row in &report.legacy {
        assert!(row.locator.starts_with("table ") && !row.locator.contains("recovered"), "{}", row.locator);
    }
    assert!(findings.iter().all(|f| !f.rule.starts_with("legacy.")), "{findings:?}");
}

/// A flattened variant of a report: every white space removed from its statistics table onward
/// (header, labels, units and numbers run together, as the crawler exports of four of the
/// reports print it). `None` when the report prints no table.
fn glued_variant(text: &str) -> Option<String> {
    let start = text.find("指标名称").or_else(|| text.find("指 标 名 称"))?;
    let (head, table) = text.split_at(start);
    Some(format!("{head}{}", table.chars().filter(|c| !c.is_whitespace()).collect::<String>()))
}

#[test]
fn glued_variants_of_every_legacy_table_recover_cells_and_never_a_wrong_one() {
    let (mut recovered, mut unread, mut wrong, mut total) = (0, 0, Vec::new(), 0);
    for truth_path in truths() {
        let truth = read_json(&truth_path);
        let slug = truth_path.file_stem().unwrap().to_string_lossy().to_string();
        let Some(text) = glued_variant(&text_of(&slug)) else { continue };
        let (report, findings) = process_text(Path::new(&format!("{slug}.txt")), &text);
        let mut expected: Vec<(String, Option<&'static str>, &Value)> = Vec::new();
        for (id, cell) in truth["legacy"].as_object().unwrap() {
            let id = legacy_ids().find(|i| i == id).unwrap();
            expected.push((id.to_string(), Some(id), cell));
        }
        for (label, cell) in truth.get("legacy_other").and_then(Value::as_object).into_iter().flatten() {
            expected.push((label.clone(), None, cell));
        }
        for (name, id, cell) in expected {
            let row = report.legacy.iter().find(|r| match id {
                Some(id) => r.id == Some(id),
                None => r.id.is_none() && r.label_raw == name,
            });
            for column in ["year", "cumulative"] {
                total += 1;
                let truth_value = cell[column].as_f64();
                let got = row.map(|r| if column == "year" { Some(&r.year) } else { r.cumulative.as_ref() });
                match got {
                    Some(Some(c)) if c.blank_kind == xxgk::model::BlankKind::Unreadable => {
                        unread += 1;
                        let cell_name = row.unwrap().cell_name();
                        assert!(
                            findings.iter().any(|f| f.rule == "legacy.unreadable" && f.cells.contains(&cell_name)),
                            "{slug}: {cell_name} unread without a finding"
                        );
                    }
                    Some(Some(c)) if c.value == truth_value => recovered += 1,
                    Some(None) if truth_value.is_none() => recovered += 1,
                    other => wrong.push(format!(
                        "{slug}: {name}.{column} expected {truth_value:?} got {:?}",
                        other.map(|c| c.map(|c| c.value))
                    )),
                }
            }
        }
    }
    println!(
        "glued variants: {recovered}/{total} cells recovered ({:.1}%), {unread} left unread with a finding, {} wrong",
        recovered as f64 * 100.0 / total as f64,
        wrong.len()
    );
    assert!(total > 300);
    assert!(wrong.is_empty(), "wrong recoveries:\n{}", wrong.join("\n"));
}

/// The 2012 county template: (id, label as printed), in printed order.
const TEMPLATE: &[(&str, &str)] = &[
    ("proactive_total", "主动公开信息数"),
    ("proactive_website", "其中：1.网站公开"),
    ("proactive_gazette", "2.政府公报公开"),
    ("requests_received", "受理依申请公开信息总数"),
    ("channel_in_person", "其中：1.当面申请数"),
    ("channel_fax", "2.传真申请数"),
    ("channel_email", "3.电子邮件申请数"),
    ("channel_online", "4.网上申请数"),
    ("channel_letter", "5.信函申请数"),
    ("channel_other", "6.其它形式申请数"),
    ("replies_total", "对申请的答复数"),
    ("replies_granted", "其中：1.同意公开答复数"),
    ("replies_partially_granted", "2.同意部分公开答复数"),
    ("replies_refused", "3.否决公开答复数"),
    ("review", "行政复议数"),
    ("litigation", "行政诉讼数"),
    ("complaints", "行政申诉数"),
];

/// A (本年度, 历年累计) pair with 本年度 ≤ 历年累计.
fn pair(max: u64) -> impl Strategy<Value = (u64, u64)> {
    (0..=max, 0..=max * 10).prop_map(|(y, extra)| (y, y + extra))
}

/// A table of the template whose identities hold: the parts sum to their totals, website +
/// gazette ≤ total.
fn consistent_table() -> impl Strategy<Value = Vec<(u64, u64)>> {
    (
        prop::collection::vec(pair(3000), 3),
        prop::collection::vec(pair(30), 6),
        prop::collection::vec(pair(30), 3),
        prop::collection::vec(pair(5), 3),
    )
        .prop_map(|(proactive, channels, replies, alone)| {
            let sum = |v: &[(u64, u64)]| v.iter().fold((0, 0), |(a, b), (y, c)| (a + y, b + c));
            // proactive[2] is the part printed elsewhere than website and gazette.
            let total = sum(&proactive);
            let mut rows = vec![total, proactive[0], proactive[1], sum(&channels)];
            rows.extend(&channels);
            rows.push(sum(&replies));
            rows.extend(&replies);
            rows.extend(&alone);
            rows
        })
}

fn render_table(rows: &[(u64, u64)], glued: bool) -> String {
    let sep = if glued { "" } else { " " };
    let mut text = format!(
        "一、 概述 二、主动公开政府信息情况 附件1：某县政府信息公开情况统计表 指标名称{sep}计量单位{sep}2012年度{sep}历年累计"
    );
    for ((_, label), (y, c)) in TEMPLATE.iter().zip(rows) {
        text.push_str(&format!("{sep}{label}{sep}条{sep}{y}{sep}{c}"));
    }
    text.push_str(" 附件下载\n");
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn a_glued_consistent_table_reads_each_cell_right_or_leaves_it_unread_with_a_finding(rows in consistent_table()) {
        let (report, findings) = process_text(Path::new("generated.txt"), &render_table(&rows, true));
        prop_assert_eq!(report.legacy.len(), TEMPLATE.len());
        for ((id, _), &(y, c)) in TEMPLATE.iter().zip(&rows) {
            let row = report.legacy.iter().find(|r| r.id == Some(*id)).expect("row");
            if row.year.blank_kind == xxgk::model::BlankKind::Unreadable {
                let name = format!("legacy.{id}");
                prop_assert!(findings.iter().any(|f| f.rule == "legacy.unreadable" && f.cells.contains(&name)));
            } else {
                prop_assert_eq!(row.year.value, Some(y as f64), "{}", id);
                prop_assert_eq!(row.cumulative.as_ref().and_then(|c| c.value), Some(c as f64), "{}", id);
            }
        }
        let errors: Vec<_> = findings.iter().filter(|f| f.severity == Severity::Error && f.rule != "legacy.unreadable").collect();
        prop_assert!(errors.is_empty(), "{:?}", errors);
    }

    #[test]
    fn a_spaced_consistent_table_reads_every_cell(rows in consistent_table()) {
        let (report, findings) = process_text(Path::new("generated.txt"), &render_table(&rows, false));
        let record = record(&report, &findings);
        for ((id, _), &(y, c)) in TEMPLATE.iter().zip(&rows) {
            prop_assert_eq!(record.pointer(&format!("/legacy/{id}")), Some(&serde_json::json!({"year": y, "cumulative": c})));
        }
        prop_assert!(findings.iter().all(|f| f.severity != Severity::Error), "{:?}", findings);
    }
}

/// A warehouse of the legacy reports and the bundled 2019+ reports (`data/reports`), built once:
/// series that cross the 2018/2019 break.
pub(crate) fn mixed_warehouse() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let wh = dir.path().join("wh");
        let listed = xxgk::ingest::files::list(&[legacy_dir().join("reports"), project().join("data/reports")]);
        let options = xxgk::pipeline::Options { progress: false, ..Default::default() };
        xxgk::pipeline::ingest(&listed.files, &wh, &Default::default(), &options).unwrap();
        (dir, wh)
    });
    path
}

#[test]
fn the_trend_across_eras_marks_legacy_figures_approximate_and_the_break_at_2019() {
    let df = query::run(mixed_warehouse(), "requests_trend_across_eras", &Filters::default()).unwrap();
    let rows = query::export::records(&df);
    let row = |year: i64, measure: &str| {
        rows.iter()
            .find(|r| r["year"] == year && r["measure"] == measure)
            .unwrap_or_else(|| panic!("no {measure} in {year}"))
            .clone()
    };
    // 2018: the one legacy report, as its truth says (2 received, 1 granted, 1 refused).
    let truth = read_json(&legacy_dir().join("truth/2018-pingtan-market-supervision-bureau.json"));
    for m in LEGACY_MAPPING {
        let r = row(2018, m.measure);
        assert_eq!(r["value"].as_f64(), truth["legacy"][m.legacy]["year"].as_f64(), "{}", m.legacy);
        assert_eq!((r["series_era"].as_str(), r["approximate"].as_bool()), (Some("legacy"), Some(true)));
        assert_eq!(r["era_break"], false);
        assert_eq!(r["measure_label"], m.label);
    }
    // 2019: the first 2019+ year — the break, exact figures.
    let y2019 = row(2019, "new_received");
    assert_eq!((y2019["series_era"].as_str(), y2019["approximate"].as_bool()), (Some("2019+"), Some(false)));
    assert_eq!(y2019["era_break"], true);
    let breaks: Vec<(i64, String)> = rows
        .iter()
        .filter(|r| r["era_break"] == true)
        .map(|r| (r["year"].as_i64().unwrap(), r["measure"].as_str().unwrap().to_string()))
        .collect();
    assert!(breaks.iter().all(|(y, _)| *y == 2019), "{breaks:?}");
    assert_eq!(breaks.len(), LEGACY_MAPPING.len(), "{breaks:?}");
    // Selected from 2019 on, nothing crosses the break.
    let after = query::run(
        mixed_warehouse(),
        "requests_trend_across_eras",
        &Filters { from: Some(2019), ..Filters::default() },
    )
    .unwrap();
    assert!(query::export::records(&after).iter().all(|r| r["era_break"] == false && r["approximate"] == false));
    // The view: every legacy figure approximate, none of the 2019+ ones; an unmapped row is absent.
    let df = query::sql(
        mixed_warehouse(),
        "SELECT series_era, approximate, COUNT(*) AS n FROM era_series GROUP BY series_era, approximate ORDER BY series_era",
        &Filters::default(),
    )
    .unwrap();
    let counts = query::export::records(&df);
    assert_eq!(counts.len(), 2, "{counts:?}");
    assert!(counts.iter().all(|r| (r["series_era"] == "legacy") == (r["approximate"] == true)), "{counts:?}");
}

#[test]
fn a_flagged_legacy_figure_is_left_out_of_the_trend_unless_flagged_reports_are_kept() {
    // 2014 实验区 with 3 applications received where its channels sum to 1: legacy.channel_sum.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let text = text_of("2014-pingtan-zonghe-shiyanqu");
    let broken = text.replacen("受理依申请公开信息总数 条 1 1", "受理依申请公开信息总数 条 3 3", 1);
    assert_ne!(broken, text);
    std::fs::write(input.join("2014-broken.txt"), broken).unwrap();
    let wh = dir.path().join("wh");
    ingest_listed(&input, &wh);
    let received = |filters: &Filters| {
        let df = query::run(&wh, "requests_trend_across_eras", filters).unwrap();
        query::export::records(&df).into_iter().find(|r| r["measure"] == "new_received").unwrap()
    };
    let left_out = received(&Filters::default());
    assert_eq!((left_out["reports"].as_i64(), left_out["flagged_left_out"].as_i64()), (Some(0), Some(1)));
    assert!(left_out["value"].is_null(), "{left_out:?}");
    let kept = received(&Filters { include_flagged: true, ..Filters::default() });
    assert_eq!((kept["value"].as_f64(), kept["flagged_left_out"].as_i64()), (Some(3.0), Some(0)));
    // Only the figure the finding names is left out: the replies of the same report stay.
    let df = query::run(&wh, "requests_trend_across_eras", &Filters::default()).unwrap();
    let granted = query::export::records(&df).into_iter().find(|r| r["measure"] == "granted").unwrap();
    assert_eq!(granted["flagged_left_out"].as_i64(), Some(0));
}

#[test]
fn fact_counts_include_the_legacy_cells() {
    let df = query::sql(
        mixed_warehouse(),
        "SELECT r.report_id, r.fact_count, COUNT(*) + COUNT(l.cumulative_blank_kind) AS cells \
         FROM reports r JOIN legacy l ON r.report_id = l.report_id GROUP BY r.report_id, r.fact_count",
        &Filters::default(),
    )
    .unwrap();
    let rows = query::export::records(&df);
    assert_eq!(rows.len(), 10, "ten legacy reports print the table");
    for r in &rows {
        assert_eq!(r["fact_count"], r["cells"], "{r:?}");
    }
    let (report, _) = process(&report_of(&legacy_dir().join("truth/2018-pingtan-market-supervision-bureau.json")));
    assert_eq!(report.fact_count(), report.facts.len() + 2 * report.legacy.len());
}

#[test]
fn schema_md_holds_the_mapping_table_generated_from_the_const() {
    let schema = std::fs::read_to_string(project().join("docs/SCHEMA.md")).unwrap();
    assert!(
        schema.contains(&mapping_markdown()),
        "docs/SCHEMA.md does not hold the table of LEGACY_MAPPING; paste it:\n{}",
        mapping_markdown()
    );
}
