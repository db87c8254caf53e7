//! Accuracy against hand-checked truth, counted per field; source inconsistencies as findings.

use std::path::Path;

use xxgk::eval::compare;

use crate::common::*;

/// Compares one report with its truth file; returns (fields, mismatch lines).
fn score(report_path: &Path, truth_path: &Path, text: Option<&str>) -> (usize, Vec<String>) {
    let (report, findings) = match text {
        Some(t) => process_text(report_path, t),
        None => process(report_path),
    };
    let c = compare(&record(&report, &findings), &read_json(truth_path));
    let slug = truth_path.file_stem().unwrap().to_string_lossy().to_string();
    let lines =
        c.mismatches.iter().map(|m| format!("{slug}: {} expected {} got {}", m.field, m.expected, m.actual)).collect();
    println!("{slug}: {}/{} fields", c.matched(), c.fields);
    (c.fields, lines)
}

#[test]
fn fixture_reports_match_their_truth_files_field_by_field() {
    let truth_dir = fixtures().join("truth");
    let mut truths: Vec<_> = std::fs::read_dir(&truth_dir).unwrap().map(|e| e.unwrap().path()).collect();
    truths.sort();
    assert!(truths.len() >= 8, "expected the text and HTML reports and the layout fixtures");
    let (mut fields, mut mismatches) = (0, Vec::new());
    for truth in &truths {
        let slug = truth.file_stem().unwrap().to_string_lossy().to_string();
        let (n, bad) = score(&fixture_report(&slug), truth, None);
        assert!(n > 180, "{slug}: only {n} fields compared");
        fields += n;
        mismatches.extend(bad);
    }
    println!("total: {}/{fields} fields", fields - mismatches.len());
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
}

#[test]
fn hongze_pdfs_match_their_truth_files() {
    let Some(corpus) = shared_corpus() else {
        skip("skipped: ../shared/corpus is not here");
        return;
    };
    for slug in ["2023-huaian-hongze-district", "2024-huaian-hongze-district"] {
        let pdf = corpus.join(format!("reports/{slug}.pdf"));
        let (fields, bad) = score(&pdf, &corpus.join(format!("truth/{slug}.json")), None);
        assert!(fields > 180);
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}

#[test]
fn hongze_pdfs_as_pdftotext_layout_text_match_their_truth_files() {
    let Some(corpus) = shared_corpus() else {
        skip("skipped: ../shared/corpus (the 洪泽 PDFs) is not here");
        return;
    };
    for slug in ["2023-huaian-hongze-district", "2024-huaian-hongze-district"] {
        let pdf = corpus.join(format!("reports/{slug}.pdf"));
        let Some(text) = pdf_layout_text(&pdf) else {
            skip(&format!("skipped {slug}: pdftotext (poppler-utils) is not installed"));
            continue;
        };
        let (_, bad) = score(&pdf, &corpus.join(format!("truth/{slug}.json")), Some(&text));
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}

#[test]
fn shared_text_reports_match_the_shared_truth_files() {
    let Some(corpus) = shared_corpus() else {
        skip("skipped: ../shared/corpus is not here");
        return;
    };
    for name in [
        "2024-hangzhou-linping-district.txt",
        "2025-shuyang-county.txt",
        "2024-shanghai-science-technology-commission.md",
        "2025-shanghai-municipal-general-office.md",
    ] {
        let slug = name.rsplit_once('.').unwrap().0;
        let (_, bad) = score(&corpus.join("reports").join(name), &corpus.join(format!("truth/{slug}.json")), None);
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}

#[test]
fn hongze_2023_appeals_totals_are_error_findings() {
    let Some(corpus) = shared_corpus() else {
        skip("skipped: ../shared/corpus is not here");
        return;
    };
    let (_, findings) = process(&corpus.join("reports/2023-huaian-hongze-district.pdf"));
    assert_eq!(
        error_cells(&findings),
        vec![
            ("appeals.litigation_after_review_sum".to_string(), "appeals.litigation_after_review_total".to_string()),
            ("appeals.review_sum".to_string(), "appeals.review_total".to_string()),
        ]
    );
    let review = findings.iter().find(|f| f.rule == "appeals.review_sum").unwrap();
    assert_eq!((review.expected, review.actual), (Some(11.0), Some(0.0)));
}

#[test]
fn pdf_word_and_excel_renderings_match_their_truth_files() {
    let dir = fixtures().join("formats");
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            continue;
        }
        let slug = path.file_stem().unwrap().to_string_lossy().to_string();
        let (fields, bad) = score(&path, &dir.join(format!("{slug}.json")), None);
        assert!(fields > 180, "{slug}: {fields} fields");
        assert!(bad.is_empty(), "{}", bad.join("\n"));
        seen.push(path.extension().unwrap().to_string_lossy().to_string());
    }
    seen.sort();
    // ReportLab's PDF, Word, Excel, and LibreOffice's PDF export of the Word file laid out four
    // ways (labels wrapped, on one line, written vertically, numbers wrapped in their cells).
    assert_eq!(seen, vec!["docx", "pdf", "pdf", "pdf", "pdf", "pdf", "xlsx"]);
}

#[test]
fn printed_inconsistencies_are_error_findings_naming_their_cells() {
    let (report, findings) = process(&fixture_report("2023-example-bureau-layout-inconsistent"));
    assert_eq!(
        error_cells(&findings),
        vec![
            ("appeals.litigation_after_review_sum".to_string(), "appeals.litigation_after_review_total".to_string()),
            ("appeals.review_sum".to_string(), "appeals.review_total".to_string()),
            ("requests.outcome_sum".to_string(), "requests.processed_total.total".to_string()),
            ("requests.row_sum".to_string(), "requests.granted.total".to_string()),
        ]
    );
    // Recorded as printed, never repaired.
    assert_eq!(report.value(xxgk::model::Table::Appeals, "review_total", ""), Some(0.0));
    assert_eq!(report.value(xxgk::model::Table::Requests, "granted", "total"), Some(13.0));
}

#[test]
fn balanced_fixture_reports_have_no_error_findings() {
    for path in report_files() {
        if path.to_string_lossy().contains("inconsistent") {
            continue;
        }
        let (_, findings) = process(&path);
        assert!(error_cells(&findings).is_empty(), "{}: {:?}", path.display(), error_cells(&findings));
    }
}

#[test]
fn infers_an_unnamed_agency_and_says_how() {
    let (report, _) = process(&fixture_report("2024-hangzhou-linping-district"));
    assert_eq!(report.meta.agency.as_deref(), Some("临平区"));
    assert!(report.meta.inference.iter().any(|n| n.contains("inferred as '临平区'")), "{:?}", report.meta.inference);
    assert_eq!(report.meta.year, Some(2024));
    assert_eq!(report.meta.period_start.as_deref(), Some("2024-01-01"));
}

#[test]
fn meta_file_overrides_inferred_agency() {
    let dir = tempfile::tempdir().unwrap();
    let meta = dir.path().join("meta.csv");
    std::fs::write(&meta, "path,agency,year,level\n2024-hangzhou-linping-district.txt,杭州市临平区人民政府,,county\n")
        .unwrap();
    let overrides = xxgk::normalize::read_meta_file(&meta).unwrap();
    let (report, _) = xxgk::pipeline::process(&fixture_report("2024-hangzhou-linping-district"), &overrides).unwrap();
    assert_eq!(report.meta.agency.as_deref(), Some("杭州市临平区人民政府"));
    assert_eq!(report.meta.year, Some(2024));
    std::fs::write(&meta, "path,agency,year,level\nx.txt,,twenty,\n").unwrap();
    let err = xxgk::normalize::read_meta_file(&meta).unwrap_err().to_string();
    assert!(err.contains("line 2") && err.contains("twenty"), "{err}");
}

#[test]
fn places_a_detached_total_and_reports_the_placement() {
    let (report, findings) = process(&fixture_report("2024-shanghai-science-technology-commission"));
    let fact = report.fact(xxgk::model::Table::Requests, "carried_forward", "total").unwrap();
    assert_eq!(fact.value, Some(1.0));
    assert!(fact.locator().contains("detached"), "{}", fact.locator());
    assert!(
        findings.iter().any(|f| f.rule == "requests.placed_detached_value"
            && f.cells == vec!["requests.carried_forward.total".to_string()])
    );
    let row = report.fact(xxgk::model::Table::Requests, "partially_granted", "total").unwrap();
    assert!(row.locator().contains("row by position"), "{}", row.locator());
}

#[test]
fn flags_prose_that_disagrees_with_the_table() {
    let Some(corpus) = shared_corpus() else {
        skip("skipped: ../shared/corpus is not here");
        return;
    };
    let (_, findings) = process(&corpus.join("reports/2024-huaian-hongze-district.pdf"));
    let p1 = findings.iter().find(|f| f.rule == "prose.requests_received").expect("P1 warning");
    assert_eq!((p1.expected, p1.actual), (Some(95.0), Some(17.0)));
    assert_eq!(p1.severity, xxgk::model::Severity::Warning);
}

#[test]
fn eval_scores_every_shared_report_in_its_own_format_with_no_silent_errors() {
    let Some(corpus) = shared_corpus() else {
        skip("skipped: ../shared/corpus is not here");
        return;
    };
    let mut files: Vec<String> = std::fs::read_dir(corpus.join("reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    let mut args = vec!["eval".to_string(), "--truth".into(), corpus.join("truth").display().to_string()];
    args.extend(files.iter().cloned());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xxgk")).args(&args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains(", 0 mismatches, 0 silent errors"), "{stdout}");
    assert_eq!(stdout.lines().filter(|l| l.contains("100.00%") && l.ends_with("0 silent")).count(), files.len());
}

#[test]
fn portal_page_metadata_gives_agency_and_publication_date() {
    let (report, _) = process(&fixture_report("2023-shuyang-development-reform-bureau"));
    assert_eq!(report.meta.agency.as_deref(), Some("沭阳县发展和改革局"));
    assert_eq!(report.meta.published_date.as_deref(), Some("2024-01-17"));
    let (report, _) = process(&fixture_report("2019-shanghai-municipal-general-office"));
    assert_eq!(report.meta.published_date.as_deref(), Some("2020-01-31"));
}

#[test]
fn joins_a_number_split_by_the_pdf_layout_only_when_the_row_sum_decides() {
    let text = "测试县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n正文\n二、主动公开政府信息情况\n信息内容   本年制发件数   本年废止件数   现行有效件数\n\
                三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量   300    51    0    0    0    0    35 1\n\
                二、上年结转政府信息公开申请数量   1    1    0    0    0    0    0    11\n";
    let (report, findings) = process_text(Path::new("split.txt"), text);
    assert_eq!(report.value(xxgk::model::Table::Requests, "new_received", "total"), Some(351.0));
    assert!(findings.iter().any(|f| f.rule == "requests.split_number_joined"));
    // Two joins would balance the second row: it is not guessed, its cells are unreadable.
    assert_eq!(report.value(xxgk::model::Table::Requests, "carried_over", "total"), None);
    assert!(findings.iter().any(|f| f.rule == "requests.unreadable_row" && f.severity == xxgk::model::Severity::Error));
}

/// The fast HTML tree builder gives up or builds a tree that flattens to exactly the text of
/// html5ever's tree, on every HTML page the tests have; it does not give up on the real and
/// synthetic report pages.
#[test]
fn the_fast_html_tree_builder_agrees_with_html5ever() {
    use xxgk::ingest::html::{decode, fast_and_html5ever_text};
    let mut pages: Vec<(String, String, bool)> = Vec::new(); // (name, html, must take the fast path)
    let mut dirs: Vec<(std::path::PathBuf, bool)> = report_dirs().into_iter().map(|d| (d, true)).collect();
    dirs.push((fixtures().join("portal"), false));
    // Pages on which the two trees disagreed once (fuzzer finds).
    dirs.push((fixtures().join("hostile/html-tree"), false));
    match shared_corpus() {
        Some(corpus) => dirs.push((corpus.join("reports"), true)),
        None => skip("skipped the pages of ../shared/corpus: it is not here (the fixtures are compared)"),
    }
    for (dir, fast) in dirs {
        for path in std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()) {
            if path.extension().is_some_and(|e| e == "html") {
                pages.push((path.display().to_string(), decode(&std::fs::read(&path).unwrap()), fast));
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let options =
        xxgk::synth::Options { reports: 30, seed: 11, layouts: vec![xxgk::synth::Layout::Html], defect_rate: 0.2 };
    for path in xxgk::synth::generate(dir.path(), &options).unwrap().files {
        pages.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap(), true));
    }
    let edge_cases = [
        "<p>a<table><tr><td>1</td></tr></table>",
        "<table><tr><td>1<td>2</tr><tr><td rowspan=2 colspan='2'>x</td></table><p>after",
        "<div><span>a<p>b</span>c</div>d",
        "<b><p>x</b>y</p>",
        "<p>&nbsp;&amp;&lt;&#20013;&#x6587;&copy;</p>",
        "<table>text<tr><td>1</td></tr></table>",
        "<title>T &amp; U</title><body><p>一、总体情况</p></body>",
        "</p><br></br>x",
        "<ul><li>a<li>b</ul>",
        "<h1>a<h2>b</h1>c",
        "<html><head><meta charset=utf-8><style>p{}</style></head><body><div>一<br/>二</div></body></html>",
        "<table><tbody><tr><td>a</td></tr></tbody><tr><td>b</td></tr></table>",
        "<div>x</span>y</div><o:p></o:p>z",
        "<p>1<p>2<div>3</div></p></p>",
        "<table border=1><tr><td><p class=MsoNormal><span lang=EN-US>0<o:p></o:p></span></p></td></tr></table>",
        "<script>if (a < b) { x = '</div>'; }</script><p>t</p>",
        "a & b &c d",
        "<font><table><tr><td>x</td></tr></table></font>",
        "<td>1</td>",
        "<table><tr><td>0\u{0}</td></tr></table><p>a\u{0}b</p>",
        "<e e=\"\"=\">\">x",
        "<table><td><p ><button ></p>e",
        "<p>a<button>b</p>c</button>d",
        "<!-->-->x<!--->y<!-- a --!>b-->c",
        "<table><td>公开日期</td></p/></table><div>根",
    ];
    for (i, html) in edge_cases.iter().enumerate() {
        pages.push((format!("edge case {i}: {html}"), html.to_string(), false));
    }
    let mut fast = 0;
    for (name, html, must) in &pages {
        match fast_and_html5ever_text(html, xxgk::ingest::Limits::default().html_depth) {
            Some((text, html5ever)) => {
                assert_eq!(text, html5ever, "{name}");
                fast += 1;
            }
            None => assert!(!must, "{name}: the fast builder gave up"),
        }
    }
    println!("fast HTML tree on {fast} of {} pages", pages.len());
}
