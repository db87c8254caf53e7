//! The corpus level (issue 10): who and when a report is (agency identity from names and page
//! chrome), versions of one report, flagged reports in pooled figures, cross-year identities,
//! report diffs and peer benchmarks.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use xxgk::cli::{Cli, Command, FilterArgs, Format, OutputArgs, run};
use xxgk::model::Finding;
use xxgk::normalize::Report;
use xxgk::query::{self, Filters};

use crate::common::*;

fn ingest(paths: &[PathBuf], wh: &Path, meta: Option<PathBuf>) {
    run(Cli {
        command: Command::Ingest {
            paths: paths.to_vec(),
            warehouse: wh.to_path_buf(),
            meta,
            batch: 4,
            quiet: true,
            wait: false,
            limits: Default::default(),
        },
    })
    .unwrap();
}

fn sql(wh: &Path, statement: &str) -> Vec<Value> {
    query::export::records(&query::sql(wh, statement, &Filters::default()).unwrap())
}

/// The real reports of the development corpus the repository holds, plus the two 洪泽 PDFs when
/// `../shared` is there (printed otherwise).
fn development_corpus(into: &Path) -> Vec<PathBuf> {
    std::fs::create_dir_all(into).unwrap();
    let mut files = Vec::new();
    for slug in [
        "2019-shanghai-municipal-general-office",
        "2023-shuyang-development-reform-bureau",
        "2024-hangzhou-linping-district",
        "2024-shanghai-science-technology-commission",
        "2025-shanghai-municipal-general-office",
        "2025-shuyang-county",
    ] {
        let from = fixture_report(slug);
        let to = into.join(from.file_name().unwrap());
        std::fs::copy(&from, &to).unwrap();
        files.push(to);
    }
    match shared_corpus() {
        Some(corpus) => {
            for year in [2023, 2024] {
                let from = corpus.join(format!("reports/{year}-huaian-hongze-district.pdf"));
                let to = into.join(from.file_name().unwrap());
                std::fs::copy(&from, &to).unwrap();
                files.push(to);
            }
        }
        None => skip("skipped the 洪泽 PDFs: ../shared/corpus is not here"),
    }
    files
}

fn meta_file(dir: &Path) -> PathBuf {
    let path = dir.join("meta.csv");
    std::fs::copy(project().join("data/meta.csv"), &path).unwrap();
    path
}

fn by_file(rows: &[Value], name: &str) -> Value {
    rows.iter()
        .find(|r| r["source_path"].as_str().is_some_and(|p| p.ends_with(name)))
        .cloned()
        .unwrap_or_else(|| panic!("no report {name} in {rows:?}"))
}

#[test]
fn one_body_under_several_names_is_one_agency_key_with_its_division_code() {
    let dir = tempfile::tempdir().unwrap();
    let files = development_corpus(&dir.path().join("corpus"));
    let wh = dir.path().join("wh");
    ingest(&[dir.path().join("corpus")], &wh, Some(meta_file(dir.path())));
    let rows = sql(&wh, "SELECT source_path, agency, agency_key, division_code, year, is_current FROM reports");
    assert_eq!(rows.len(), files.len());
    let key = |name: &str| by_file(&rows, name)["agency_key"].as_str().unwrap().to_string();
    let code = |name: &str| by_file(&rows, name)["division_code"].clone();
    assert_eq!(key("2019-shanghai-municipal-general-office.html"), key("2025-shanghai-municipal-general-office.md"));
    assert_ne!(key("2024-shanghai-science-technology-commission.md"), key("2025-shanghai-municipal-general-office.md"));
    assert_eq!(code("2024-hangzhou-linping-district.txt"), "330113");
    assert_eq!(code("2023-shuyang-development-reform-bureau.html"), "321322");
    assert_eq!(code("2025-shanghai-municipal-general-office.md"), "310000");
    // The county printed 沐阳县 throughout: the alias table's misprint entry places it in 沭阳县.
    assert_eq!(key("2025-shuyang-county.txt"), "321322");
    if files.iter().any(|f| f.extension().is_some_and(|e| e == "pdf")) {
        // 洪泽区人民政府 (2023) and 淮安市洪泽区人民政府 (2024): one body.
        assert_eq!(key("2023-huaian-hongze-district.pdf"), key("2024-huaian-hongze-district.pdf"));
        assert_eq!(code("2023-huaian-hongze-district.pdf"), "320813");
        assert_ne!(
            by_file(&rows, "2023-huaian-hongze-district.pdf")["agency"],
            by_file(&rows, "2024-huaian-hongze-district.pdf")["agency"]
        );
    }
    assert!(rows.iter().all(|r| r["is_current"] == true), "{rows:?}");
    // `xxgk agencies` lists each key once, with every name the reports print.
    let agencies = query::export::records(&query::run(&wh, "agencies", &Filters::default()).unwrap());
    let office = agencies.iter().find(|a| a["agency_key"] == "310000/office").unwrap();
    assert_eq!((office["years"].as_str(), office["reports"].as_i64()), (Some("2019,2025"), Some(2)));
    assert_eq!(office["agency_name"], "上海市人民政府办公厅");
    if files.len() == 8 {
        let hongze = agencies.iter().find(|a| a["agency_key"] == "320813").unwrap();
        assert_eq!(hongze["names_as_printed"], "洪泽区人民政府 | 淮安市洪泽区人民政府");
    }
}

#[test]
fn an_ambiguous_name_is_a_finding_and_a_meta_row_decides() {
    let dir = tempfile::tempdir().unwrap();
    // A report whose title names a district two cities have.
    let text = std::fs::read_to_string(fixture_report("2025-shuyang-county"))
        .unwrap()
        .replace("沐阳县人民政府", "朝阳区人民政府");
    let path = dir.path().join("2025-chaoyang.txt");
    std::fs::write(&path, text).unwrap();
    let (report, findings) = process(&path);
    assert_eq!(report.meta.division_code, None);
    assert_eq!(report.meta.agency_resolution, Some("ambiguous"));
    let f = findings.iter().find(|f| f.rule == "meta.agency_ambiguous").expect("an ambiguity finding");
    assert!(f.message.contains("110105") && f.message.contains("220104"), "{}", f.message);
    // A --meta row with the division code decides.
    let meta = dir.path().join("meta.csv");
    std::fs::write(&meta, "path,agency,year,level,division_code\n2025-chaoyang.txt,,,,220104\n").unwrap();
    let overrides = xxgk::normalize::read_meta_file(&meta).unwrap();
    let (report, findings) = xxgk::pipeline::process(&path, &overrides).unwrap();
    assert_eq!(report.meta.division_code.as_deref(), Some("220104"));
    assert_eq!(report.meta.agency_key.as_deref(), Some("220104"));
    assert_eq!(report.meta.agency_name.as_deref(), Some("长春市朝阳区人民政府"));
    assert!(findings.iter().all(|f| f.rule != "meta.agency_ambiguous"));
    // A code that is not in the division table is refused with the line.
    std::fs::write(&meta, "path,agency,year,level,division_code\n2025-chaoyang.txt,,,,999999\n").unwrap();
    let err = xxgk::normalize::read_meta_file(&meta).unwrap_err().to_string();
    assert!(err.contains("line 2") && err.contains("999999"), "{err}");
}

#[test]
fn portal_pages_give_agency_and_year_from_their_chrome_never_a_sentence_fragment() {
    let portal = fixtures().join("portal");
    for page in std::fs::read_dir(&portal).unwrap().map(|e| e.unwrap().path()) {
        if page.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let truth = read_json(&page.with_extension("json"));
        let (report, _) = process(&page);
        let m = &report.meta;
        assert_eq!(m.agency.as_deref(), truth["agency"].as_str(), "{}: {:?}", page.display(), m.inference);
        assert_eq!(m.agency_key.as_deref(), truth["agency_key"].as_str(), "{}", page.display());
        assert_eq!(m.year, truth["year"].as_i64().map(|y| y as i32), "{}", page.display());
        // Never the portal (SiteName) nor the uploading office (来源) for another body.
        assert_ne!(m.agency.as_deref(), Some("平潭综合实验区党工委管委会"));
    }
    // Dates from the chrome: a metadata table's 公开日期, a meta tag's PubDate.
    let date = |path: PathBuf| process(&path).0.meta.published_date;
    assert_eq!(date(fixture_report("2023-shuyang-development-reform-bureau")).as_deref(), Some("2024-01-17"));
    assert_eq!(date(portal.join("2024-pingtan-zone-gov.html")).as_deref(), Some("2025-03-10"));
    // A page whose chrome names nothing and whose body speaks of other governments first.
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    let body: String = std::fs::read_to_string(fixture_report("2024-hangzhou-linping-district"))
        .unwrap()
        .lines()
        .map(|l| format!("<p>{l}</p>\n"))
        .collect();
    let html = format!(
        "<html><head><title>政务公开</title><meta name=\"SiteName\" content=\"杭州市临平区人民政府\"></head><body>\
         <div class=\"position\">当前位置：首页 &gt; 信息公开</div><p>按照省委省政府部署，根据市政府要求，现将有关情况报告如下。</p>\
         {body}</body></html>"
    );
    std::fs::write(&page, html).unwrap();
    let (report, _) = process(&page);
    assert_eq!(report.meta.agency_key.as_deref(), Some("330113"), "{:?}", report.meta);
    assert!(!matches!(report.meta.agency.as_deref(), Some("按照省" | "省委省" | "")), "{:?}", report.meta.agency);
    assert!(report.meta.inference.iter().any(|n| n.contains("low confidence")), "{:?}", report.meta.inference);
}

/// A section 二 cell of `report` whose printed text occurs once in `text`: changing it there
/// changes that figure only.
fn unique_cell<'a>(report: &'a Report, text: &str) -> &'a xxgk::normalize::Fact {
    report
        .facts
        .iter()
        .filter(|f| f.table == xxgk::model::Table::Proactive && f.value.is_some_and(|v| v >= 10.0))
        .find(|f| text.matches(f.raw.as_str()).count() == 1)
        .expect("a section 二 figure printed once")
}

/// A byte-different copy of `file` (a saved page with a line added).
fn resaved(file: &Path, into: &Path) -> PathBuf {
    let copy = into.join(format!("resaved-{}", file.file_name().unwrap().to_string_lossy()));
    let mut bytes = std::fs::read(file).unwrap();
    bytes.extend_from_slice("\n（另存为）\n".as_bytes());
    std::fs::write(&copy, bytes).unwrap();
    copy
}

#[test]
fn a_report_saved_twice_is_counted_once_whichever_is_current() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    development_corpus(&corpus);
    let meta = meta_file(dir.path());
    let copy = resaved(&fixture_report("2024-shanghai-science-technology-commission"), dir.path());
    let plain = dir.path().join("plain");
    ingest(std::slice::from_ref(&corpus), &plain, Some(meta.clone()));
    // The copy ingested first: the original (the later ingest) is current.
    let copy_first = dir.path().join("copy-first");
    ingest(std::slice::from_ref(&copy), &copy_first, Some(meta.clone()));
    ingest(std::slice::from_ref(&corpus), &copy_first, Some(meta.clone()));
    // The copy ingested last: the copy is current.
    let copy_last = dir.path().join("copy-last");
    ingest(std::slice::from_ref(&corpus), &copy_last, Some(meta.clone()));
    ingest(std::slice::from_ref(&copy), &copy_last, Some(meta.clone()));
    for (wh, copy_is_current) in [(&copy_first, false), (&copy_last, true)] {
        let rows = sql(wh, "SELECT source_path, agency_key, is_current, superseded_by FROM reports WHERE year = 2024");
        let kewei: Vec<&Value> = rows.iter().filter(|r| r["agency_key"] == "310000/dept/科学技术委员会").collect();
        assert_eq!(kewei.len(), 2, "both versions are kept: {rows:?}");
        assert_eq!(kewei.iter().filter(|r| r["is_current"] == true).count(), 1, "{kewei:?}");
        let now = kewei.iter().find(|r| r["is_current"] == true).unwrap();
        assert_eq!(now["source_path"].as_str().unwrap().contains("resaved-"), copy_is_current, "{kewei:?}");
        let versions = sql(wh, "SELECT reason FROM versions");
        assert_eq!(versions[0]["reason"], "later ingest");
    }
    // Every canned query gives the same table; with the copy current, only the columns naming
    // the document differ.
    let all_queries = |wh: &Path, drop_ids: bool| -> Vec<String> {
        let mut session = query::Session::open(wh, &Filters::default()).unwrap();
        query::specs()
            .unwrap()
            .iter()
            .map(|spec| {
                let df = session.run(&spec.name).unwrap();
                let ids: Vec<String> = df
                    .get_column_names()
                    .iter()
                    .map(|c| c.to_string())
                    .filter(|c| drop_ids && matches!(c.as_str(), "source_path" | "report_id" | "related_report_id"))
                    .collect();
                format!("{}\n{}", spec.name, query::export::csv(&df.drop_many(ids)).unwrap())
            })
            .collect()
    };
    assert_eq!(all_queries(&copy_first, false), all_queries(&plain, false), "the copy ingested first");
    assert_eq!(all_queries(&copy_last, true), all_queries(&plain, true), "the copy ingested last");
    // Every version counts with --all-versions, and the notes say what was left out.
    let all = Filters { all_versions: true, ..Filters::default() };
    let head = query::export::records(&query::run(&copy_last, "headline_indicators", &all).unwrap());
    let plain_head = query::export::records(&query::run(&plain, "headline_indicators", &Filters::default()).unwrap());
    assert_eq!(head[0]["reports"].as_i64(), plain_head[0]["reports"].as_i64().map(|n| n + 1));
    let mut session = query::Session::open(&copy_last, &Filters::default()).unwrap();
    let notes = session.notes(&[]).unwrap();
    assert_eq!(notes.versions_left_out, 1);
    assert!(notes.lines()[0].contains("1 superseded version"), "{:?}", notes.lines());
}

#[test]
fn versions_whose_figures_differ_get_a_finding_naming_every_differing_cell() {
    let dir = tempfile::tempdir().unwrap();
    let original = fixture_report("2025-shuyang-county");
    let text = std::fs::read_to_string(&original).unwrap();
    // A corrected re-publication: one figure changed (section 二, 行政处罚 decisions).
    let (report, _) = process(&original);
    let cell = unique_cell(&report, &text);
    let cell_id = format!("proactive.{}.{}", cell.row, cell.col);
    let changed = text.replacen(cell.raw.as_str(), &format!("{}", cell.value.unwrap() as i64 + 7), 1);
    assert_ne!(changed, text);
    let revised = dir.path().join("2025-shuyang-county-revised.txt");
    std::fs::write(&revised, changed).unwrap();
    let wh = dir.path().join("wh");
    ingest(std::slice::from_ref(&original), &wh, None);
    ingest(std::slice::from_ref(&revised), &wh, None);
    let found =
        sql(&wh, "SELECT rule, cells, message, related_report_id FROM findings WHERE rule = 'versions.figures_differ'");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["cells"], cell_id.as_str());
    assert!(found[0]["message"].as_str().unwrap().contains("2025-shuyang-county.txt"), "{found:?}");
    let corpus = xxgk::corpus::check(&wh, &xxgk::corpus::Scope::All).unwrap();
    assert_eq!(corpus.superseded.len(), 1);
    assert_eq!(corpus.superseded[0].report_id, found[0]["related_report_id"].as_str().unwrap());
}

#[test]
fn a_report_breaking_an_identity_on_a_metrics_inputs_is_left_out_of_that_pooled_figure() {
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wh");
    // 2023: a balanced report and one whose section 三 sums break (invented layout fixture).
    ingest(
        &[
            fixture_report("2023-shuyang-development-reform-bureau"),
            fixture_report("2023-example-bureau-layout-inconsistent"),
        ],
        &wh,
        None,
    );
    let rate = |filters: &Filters| {
        let rows = query::export::records(&query::run(&wh, "disclosure_rate_by_year", filters).unwrap());
        (
            rows[0]["reports"].as_i64().unwrap(),
            rows[0]["processed"].as_f64().unwrap(),
            rows[0]["disclosure_rate"].as_f64().unwrap(),
        )
    };
    // Left out: only the balanced report's 26 concluded applications, all disclosed.
    assert_eq!(rate(&Filters::default()), (2, 26.0, 1.0));
    // Kept: the printed figures of both (41 disclosed of 48).
    let kept = rate(&Filters { include_flagged: true, ..Filters::default() });
    assert_eq!((kept.0, kept.1), (2, 48.0));
    assert!((kept.2 - 41.0 / 48.0).abs() < 1e-12);
    // The notes say how many and why; a metric whose inputs no finding names leaves nothing out.
    let mut session = query::Session::open(&wh, &Filters::default()).unwrap();
    let notes = session.notes(&["disclosure_rate".into(), "review_correction_rate".into()]).unwrap();
    let (metric, n, rules) = &notes.flagged[0];
    assert_eq!((metric.as_str(), *n), ("disclosure_rate", 1));
    assert!(rules.contains(&"requests.outcome_sum".to_string()), "{rules:?}");
    // Its section 四 breaks I4.1 too: review_correction_rate leaves it out for that rule only.
    assert_eq!(notes.flagged[1], ("review_correction_rate".to_string(), 1, vec!["appeals.review_sum".to_string()]));
    let clean = xxgk::query::Session::open(&wh, &Filters { agency: Some("沭阳".into()), ..Filters::default() })
        .unwrap()
        .notes(&["disclosure_rate".into()])
        .unwrap();
    assert!(clean.flagged.is_empty(), "{:?}", clean.flagged);
    // The outcome structure leaves the report out of every share at once: they add up to 1.
    let rows = query::export::records(&query::run(&wh, "outcomes_by_year", &Filters::default()).unwrap());
    let shares: f64 = [
        "full_disclosure_rate",
        "partial_share",
        "refusal_rate",
        "unavailable_rate",
        "not_processed_rate",
        "other_rate",
    ]
    .iter()
    .map(|k| rows[0][*k].as_f64().unwrap_or(0.0))
    .sum();
    assert!((shares - 1.0).abs() < 1e-9, "{shares}");
    // The brief says what its pooled figures left out.
    let out = dir.path().join("brief");
    run(Cli {
        command: Command::Brief {
            out: out.clone(),
            filters: FilterArgs { warehouse: wh.clone(), ..Default::default() },
            chart: Default::default(),
        },
    })
    .unwrap();
    let md = std::fs::read_to_string(out.join("brief.md")).unwrap();
    assert!(md.contains("未计入合并指标的报告") && md.contains("实质公开率：剔除 1 份输入有勾稽错误的报告"), "{md}");
}

/// A warehouse of the 洪泽 PDFs of `years` and `more` reports; `None` (printed) without `../shared`.
fn with_hongze(years: &[i32], more: &[PathBuf]) -> Option<(tempfile::TempDir, PathBuf)> {
    let Some(corpus) = shared_corpus() else {
        skip("skipped: ../shared/corpus (the 洪泽 PDFs) is not here");
        return None;
    };
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wh");
    let mut files: Vec<PathBuf> =
        years.iter().map(|y| corpus.join(format!("reports/{y}-huaian-hongze-district.pdf"))).collect();
    files.extend_from_slice(more);
    ingest(&files, &wh, None);
    Some((dir, wh))
}

#[test]
fn the_hongze_2023_appeals_totals_do_not_drive_the_correction_rate() {
    let Some((_dir, wh)) = with_hongze(&[2023], &[fixture_report("2023-shuyang-development-reform-bureau")]) else {
        return;
    };
    let rows = query::export::records(&query::run(&wh, "appeals_outcomes_by_year", &Filters::default()).unwrap());
    let review = rows.iter().find(|r| r["block"] == "review").unwrap();
    // 洪泽 2023 prints 行政复议 总计 0 under parts that sum to 11: left out, the year keeps the other report's 1 pending case.
    assert_eq!((review["corrected"].as_f64(), review["total"].as_f64()), (Some(0.0), Some(1.0)), "{review}");
    let kept = Filters { include_flagged: true, ..Filters::default() };
    let rows = query::export::records(&query::run(&wh, "appeals_outcomes_by_year", &kept).unwrap());
    let review = rows.iter().find(|r| r["block"] == "review").unwrap();
    assert_eq!((review["corrected"].as_f64(), review["total"].as_f64()), (Some(1.0), Some(1.0)), "{review}");
    assert_eq!(review["correction_rate_all"].as_f64(), Some(1.0), "the 100% the issue saw");
}

#[test]
fn reports_of_unknown_year_are_counted_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wh");
    let mut entries: Vec<(Report, Vec<Finding>)> = Vec::new();
    for i in 0..2 {
        let doc = xxgk::synth::draw(3, i, 0.0);
        let mut report = doc.to_report(&format!("synthetic/{i}"));
        if i == 1 {
            report.meta.year = None;
        }
        let findings = xxgk::validate::check(&report);
        entries.push((report, findings));
    }
    xxgk::pipeline::write(&wh, &entries, &[]).unwrap();
    let mut session = query::Session::open(&wh, &Filters::default()).unwrap();
    let rows = query::export::records(&session.run("disclosure_rate_by_year").unwrap());
    assert!(rows.iter().any(|r| r["year"].is_null()), "the unknown year is a row of its own: {rows:?}");
    let notes = session.notes(&[]).unwrap();
    assert_eq!(notes.unknown_year, vec!["synthetic/1".to_string()]);
    assert!(
        notes.lines().iter().any(|l| l.contains("unknown year") && l.contains("synthetic/1")),
        "{:?}",
        notes.lines()
    );
    // A year range leaves them out of the rows, and the notes still name them.
    let mut ranged = query::Session::open(&wh, &Filters { from: Some(2019), ..Filters::default() }).unwrap();
    assert_eq!(ranged.notes(&[]).unwrap().unknown_year.len(), 1);
}

/// Two synthetic reports of one agency for 2023 and 2024, made to break (or keep) I3.7 and I2.2.
fn consecutive_years(break_chain: bool) -> Vec<(Report, Vec<Finding>)> {
    let mut docs: Vec<xxgk::synth::Synthetic> = (0..200)
        .map(|i| xxgk::synth::draw(21, i, 0.0))
        .filter(|d| d.era == xxgk::model::Era::Std2021)
        .filter(|d| d.requests.iter().any(|(r, v)| *r == "new_received" && v[0].unwrap_or(0) >= 3))
        .take(2)
        .collect();
    for (doc, year) in docs.iter_mut().zip([2023, 2024]) {
        doc.agency = "淮安市洪泽区人民政府".to_string();
        doc.year = year;
    }
    let forward: [Option<i64>; 7] = docs[0].requests.iter().find(|(r, _)| *r == "carried_forward").unwrap().1;
    let in_force_2023 = docs[0]
        .proactive
        .iter()
        .find(|(r, _)| *r == "normative_docs")
        .unwrap()
        .1
        .iter()
        .find(|(c, _)| *c == "in_force_count")
        .unwrap()
        .1;
    let later = &mut docs[1];
    // Carried over into 2024 = carried forward from 2023 (+1 in natural_person and total when
    // breaking it), new applications adjusted so that every 2024 identity still holds.
    let shift = if break_chain { 1 } else { 0 };
    let old_over: [Option<i64>; 7] = later.requests.iter().find(|(r, _)| *r == "carried_over").unwrap().1;
    let mut over = forward;
    for c in [0, 6] {
        over[c] = over[c].map(|v| v + shift);
    }
    for (row, values) in later.requests.iter_mut() {
        if *row == "carried_over" {
            *values = over;
        }
        if *row == "new_received" {
            for c in 0..7 {
                values[c] = Some(values[c].unwrap_or(0) + old_over[c].unwrap_or(0) - over[c].unwrap_or(0));
            }
        }
    }
    let rules_2023 = docs[0]
        .proactive
        .iter()
        .find(|(r, _)| *r == "rules")
        .unwrap()
        .1
        .iter()
        .find(|(c, _)| *c == "in_force_count")
        .unwrap()
        .1;
    let later = &mut docs[1];
    for (row, cols) in later.proactive.iter_mut() {
        if *row == "normative_docs" || *row == "rules" {
            let get = |c: &str, cols: &Vec<(&str, f64)>| cols.iter().find(|(k, _)| *k == c).unwrap().1;
            let before = if *row == "rules" { rules_2023 } else { in_force_2023 };
            let broken = break_chain && *row == "normative_docs";
            let chained =
                before + get("issued_count", cols) - get("repealed_count", cols) + if broken { 4.0 } else { 0.0 };
            for (c, v) in cols.iter_mut() {
                if *c == "in_force_count" {
                    *v = chained;
                }
            }
        }
    }
    docs.iter()
        .enumerate()
        .map(|(i, d)| {
            let report = d.to_report(&format!("synthetic/hongze-{i}"));
            let findings = xxgk::validate::check(&report);
            (report, findings)
        })
        .collect()
}

#[test]
fn cross_year_checks_name_both_reports_and_their_cells() {
    for break_chain in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let wh = dir.path().join("wh");
        let entries = consecutive_years(break_chain);
        assert!(entries.iter().all(|(_, f)| !xxgk::validate::has_errors(f)), "the adjusted reports balance");
        xxgk::pipeline::write(&wh, &entries, &[]).unwrap();
        let found = sql(
            &wh,
            "SELECT report_id, rule, identity, cells, message, related_report_id FROM findings WHERE rule LIKE 'cross_year.%' ORDER BY rule",
        );
        let rules: Vec<&str> =
            found.iter().filter_map(|f| f["rule"].as_str()).filter(|r| *r != "cross_year.jump").collect();
        if !break_chain {
            assert!(rules.is_empty(), "{found:?}");
            continue;
        }
        assert_eq!(rules, vec!["cross_year.carry_over", "cross_year.in_force_chain"], "{found:?}");
        let carry = &found[0];
        assert_eq!(carry["identity"], "I3.7");
        assert_eq!(carry["cells"], "requests.carried_over.natural_person, requests.carried_over.total");
        assert_eq!(carry["report_id"], entries[1].0.report_id.as_str());
        assert_eq!(carry["related_report_id"], entries[0].0.report_id.as_str());
        assert!(carry["message"].as_str().unwrap().contains("synthetic/hongze-0"), "{carry}");
        let chain = found.iter().find(|f| f["rule"] == "cross_year.in_force_chain").unwrap();
        assert_eq!(chain["identity"], "I2.2");
        assert!(chain["cells"].as_str().unwrap().starts_with("proactive.normative_docs.in_force_count"), "{chain}");
    }
}

/// Reports of four agencies over 2021–2024, six per agency: the first two agency-years of each
/// printed twice (versions), the rest consecutive years (cross-year identities and jumps).
fn agencies_over_years() -> Vec<(Report, Vec<Finding>)> {
    let std: Vec<xxgk::synth::Synthetic> =
        (0..400).map(|i| xxgk::synth::draw(5, i, 0.05)).filter(|d| d.era == xxgk::model::Era::Std2021).collect();
    let names: Vec<String> = std[..4].iter().map(|d| d.agency.clone()).collect();
    std[4..28]
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let mut d = d.clone();
            d.agency = names[i % 4].clone();
            d.year = 2021 + (i / 4 % 4) as i32;
            let report = d.to_report(&format!("synthetic/agencies-{i:02}"));
            let findings = xxgk::validate::check(&report);
            (report, findings)
        })
        .collect()
}

/// A table's rows as text, sorted: equal tables, whatever their row order.
fn table_rows(df: &polars::prelude::DataFrame) -> Vec<String> {
    let mut rows: Vec<String> = (0..df.height())
        .map(|i| df.get(i).unwrap().iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" | "))
        .collect();
    rows.sort();
    rows
}

/// The stored corpus tables, against a check of every agency of the same warehouse: equal but
/// for the stored rows of `rule` `stood` (none when `None`); returns (superseded, findings).
fn assert_corpus_tables_are_a_full_check(wh: &Path, stood: Option<&str>) -> (usize, usize) {
    use polars::prelude::*;
    let full = xxgk::corpus::refresh(wh, &xxgk::corpus::Scope::All).unwrap();
    for (table, checked) in &full.frames {
        let mut stored = xxgk::store::read_table(wh, table).unwrap().unwrap();
        if let (Some(rule), "corpus_findings") = (stood, table.as_str()) {
            let height = stored.height();
            stored = stored.lazy().filter(col("rule").neq(lit(rule))).collect().unwrap();
            assert_eq!(stored.height() + 1, height, "the row of {rule} stood");
        }
        assert_eq!(table_rows(&stored), table_rows(checked), "{table}");
    }
    let manifest = xxgk::store::manifest(wh).unwrap();
    assert!(manifest.corpus_current(), "{:?}", manifest.corpus_checked);
    (full.superseded, full.findings)
}

#[test]
fn an_ingest_checks_again_only_the_agencies_it_adds_reports_to() {
    use polars::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wh");
    let entries = agencies_over_years();
    // Entry i is agency i % 4 in year 2021 + i / 4 % 4. The first step brings every year of
    // agency 3; the last, versions of agency-years already there, none of agency 3.
    let steps: [Vec<usize>; 3] =
        [vec![0, 1, 2, 3, 7, 11, 15], vec![4, 5, 6, 8, 9, 10, 12, 13, 14, 19, 23], vec![16, 17, 18, 20, 21, 22]];
    let mut totals = Vec::new();
    for (n, step) in steps.iter().enumerate() {
        let batch: Vec<(Report, Vec<Finding>)> = step.iter().map(|&i| entries[i].clone()).collect();
        xxgk::pipeline::write(&wh, &batch, &[]).unwrap();
        totals.push(assert_corpus_tables_are_a_full_check(&wh, (n == 2).then_some("kept.marker")));
        if n == 1 {
            // A corpus finding on agency 3 that a check of every agency would drop: the next
            // ingest, which brings no report of agency 3, does not check it again, so it stands.
            let mut stored = xxgk::store::read_table(&wh, "corpus_findings").unwrap().unwrap();
            let marker = stored
                .head(Some(1))
                .lazy()
                .with_columns([
                    lit("kept.marker").alias("rule"),
                    lit(entries[3].0.report_id.as_str()).alias("report_id"),
                ])
                .collect()
                .unwrap();
            stored.vstack_mut(&marker).unwrap();
            let mut writer = xxgk::store::Writer::open(&wh, false).unwrap();
            writer.replace("corpus_findings", &stored).unwrap();
            writer.corpus_checked();
            writer.commit().unwrap();
            drop(writer);
            // The same warehouse, but as if its last ingest stopped before the corpus commit:
            // the next ingest checks every agency, and the marker goes.
            let stale = dir.path().join("stale");
            std::fs::create_dir(&stale).unwrap();
            for entry in walkdir::WalkDir::new(&wh).min_depth(1) {
                let entry = entry.unwrap();
                let to = stale.join(entry.path().strip_prefix(&wh).unwrap());
                if entry.file_type().is_dir() {
                    std::fs::create_dir_all(&to).unwrap();
                } else {
                    std::fs::copy(entry.path(), &to).unwrap();
                }
            }
            let manifest = stale.join("manifest.json");
            let mut json: Value = serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
            json["corpus_checked"]["reports"] = Value::from(3);
            std::fs::write(&manifest, json.to_string()).unwrap();
            let batch: Vec<(Report, Vec<Finding>)> = steps[2].iter().map(|&i| entries[i].clone()).collect();
            xxgk::pipeline::write(&stale, &batch, &[]).unwrap();
            assert_corpus_tables_are_a_full_check(&stale, None);
        }
    }
    let superseded = totals.last().unwrap().0;
    assert_eq!(superseded, 8, "two versions of 2021 and 2022 for each agency: {totals:?}");
    assert!(totals.iter().all(|(_, f)| *f > 0), "cross-year findings to compare: {totals:?}");
}

#[test]
fn the_hongze_pair_is_checked_across_years_on_the_real_reports() {
    let Some((_dir, wh)) = with_hongze(&[2023, 2024], &[]) else { return };
    let found = sql(&wh, "SELECT rule, cells, expected, actual FROM findings WHERE rule LIKE 'cross_year.%'");
    // Carried forward from 2023 (0) = carried over into 2024 (0), and 规范性文件 5 + 3 − 0 = 8 in
    // force: the identities hold. 行政许可 decisions rise from 550 to 9,487 (×17): a jump.
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["rule"], "cross_year.jump");
    assert_eq!(found[0]["cells"], "proactive.admin_licensing.decision_count");
    assert_eq!((found[0]["expected"].as_f64(), found[0]["actual"].as_f64()), (Some(550.0), Some(9487.0)));
    // `xxgk check` runs the same checks again and prints them.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(["check", "--warnings", "--warehouse"])
        .arg(&wh)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("cross_year.jump") && text.contains("(1 across reports)"), "{text}");
}

#[test]
fn diff_gives_the_repeated_share_per_section_and_every_changed_figure() {
    let dir = tempfile::tempdir().unwrap();
    let a = fixture_report("2025-shuyang-county");
    let text = std::fs::read_to_string(&a).unwrap();
    let (report, _) = process(&a);
    let cell = unique_cell(&report, &text);
    let cell_id = format!("proactive.{}.{}", cell.row, cell.col);
    let b = dir.path().join("2025-shuyang-county-b.txt");
    std::fs::write(
        &b,
        text.replacen(cell.raw.as_str(), "1", 1) + "\n本年度另有一段全新的说明文字，此前从未出现过的内容写在这里。\n",
    )
    .unwrap();
    let (rb, _) = process(&b);
    let d = xxgk::corpus::diff::diff(
        xxgk::corpus::diff::Side::from_report("a", &report),
        xxgk::corpus::diff::Side::from_report("b", &rb),
    );
    let changed: Vec<&str> = d.changes.iter().map(|c| c.cell.as_str()).collect();
    assert_eq!(changed, vec![cell_id.as_str()]);
    assert_eq!(d.changes[0].b, Some(Some(1.0)));
    let overview = d.sections.iter().find(|s| s.section == "overview").unwrap();
    assert_eq!(overview.rate(), Some(1.0), "copied verbatim");
    let all = d.sections.last().unwrap();
    assert_eq!(all.section, "all");
    assert!(all.rate().unwrap() < 1.0 && all.rate().unwrap() > 0.9, "{all:?}");
    // The command: files, JSON.
    let out = dir.path().join("diff.json");
    run(Cli {
        command: Command::Diff {
            a: Some(a.display().to_string()),
            b: Some(b.display().to_string()),
            agency: None,
            years: vec![],
            warehouse: dir.path().join("none"),
            meta: None,
            output: OutputArgs { format: Some(Format::Json), out: Some(out.clone()), ..Default::default() },
            limits: Default::default(),
        },
    })
    .unwrap();
    let json = read_json(&out);
    assert_eq!(json["figures"][0]["cell"], cell_id.as_str());
    assert!(json["sections"].as_array().unwrap().iter().any(|s| s["section"] == "all"));
    // --agency and --years over a warehouse: the 上海市人民政府办公厅 reports of 2019 and 2025.
    let wh = dir.path().join("wh");
    ingest(
        &[
            fixture_report("2019-shanghai-municipal-general-office"),
            fixture_report("2025-shanghai-municipal-general-office"),
            fixture_report("2024-shanghai-science-technology-commission"),
        ],
        &wh,
        None,
    );
    let csv_out = dir.path().join("diff.csv");
    run(Cli {
        command: Command::Diff {
            a: None,
            b: None,
            agency: Some("310000/office".into()),
            years: vec![2019, 2025],
            warehouse: wh.clone(),
            meta: None,
            output: OutputArgs { format: Some(Format::Csv), out: Some(csv_out.clone()), ..Default::default() },
            limits: Default::default(),
        },
    })
    .unwrap();
    let text = std::fs::read_to_string(&csv_out).unwrap();
    assert!(text.starts_with("\u{feff}part,id,chars,repeated_chars,repeat_rate,a,b,change,note\n"), "{text}");
    assert!(text.contains("figure,requests.new_received.total,,,,859,"), "{text}");
    // An agency text matching two agencies is refused with their keys.
    let err = xxgk::corpus::diff::find(&wh, "上海", 2019).unwrap_err().to_string();
    assert!(err.contains("310000/office") && err.contains("310000/dept/科学技术委员会"), "{err}");
    assert!(
        xxgk::corpus::diff::find(&wh, "上海市人民政府办公厅", 2024)
            .unwrap_err()
            .to_string()
            .contains("no report of the year '2024 of")
    );
}

#[test]
fn peers_are_ranked_within_level_and_year_with_the_min_n_guard() {
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wh");
    let quiet = xxgk::pipeline::Options { progress: false, ..Default::default() };
    xxgk::pipeline::ingest_synthetic(&wh, 400, 9, 0.0, &quiet).unwrap();
    let ranking = query::export::records(&query::run(&wh, "agency_ranking", &Filters::default()).unwrap());
    for r in &ranking {
        let processed = r["processed"].as_f64().unwrap_or(0.0);
        assert_eq!(
            r["status"] == "ranked",
            processed >= query::metrics::MIN_N as f64 && !r["disclosure_rate"].is_null(),
            "{r}"
        );
    }
    let bench = query::export::records(&query::run(&wh, "peer_benchmarks", &Filters::default()).unwrap());
    let mut peers: HashMap<(String, i64), i64> = HashMap::new();
    for r in ranking.iter().filter(|r| r["status"] == "ranked") {
        *peers.entry((r["level"].as_str().unwrap().to_string(), r["year"].as_i64().unwrap())).or_default() += 1;
    }
    for b in &bench {
        let key = (b["level"].as_str().unwrap().to_string(), b["year"].as_i64().unwrap());
        assert_eq!(b["ranked"].as_i64().unwrap(), peers.get(&key).copied().unwrap_or(0), "{b}");
        if let (Some(lo), Some(mid), Some(hi)) =
            (b["min_rate"].as_f64(), b["median_rate"].as_f64(), b["max_rate"].as_f64())
        {
            assert!(lo <= mid && mid <= hi, "{b}");
        }
    }
    // The chart renders from it.
    let out = dir.path().join("charts");
    run(Cli {
        command: Command::Chart {
            name: Some("peer_benchmarks".into()),
            all: false,
            list: false,
            json: false,
            out: out.clone(),
            filters: FilterArgs { warehouse: wh.clone(), ..Default::default() },
            chart: Default::default(),
        },
    })
    .unwrap();
    assert!(out.join("peer_benchmarks.png").exists() && out.join("peer_benchmarks.svg").exists());
}
