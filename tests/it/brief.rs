//! The briefing: Chinese, self-contained, no local paths, no repeated titles, a cover with the
//! selection and counts, tables that fit A4, printable — checked in a headless browser when one
//! is installed.

use std::path::{Path, PathBuf};

use xxgk::cli::{Cli, Command, FilterArgs, run};

use crate::analytics::warehouse;
use crate::common::skip;

fn brief(out: &Path, filters: FilterArgs) {
    run(Cli { command: Command::Brief { out: out.to_path_buf(), filters, chart: Default::default() } }).unwrap();
}

#[test]
fn the_brief_is_self_contained_chinese_html_with_a_markdown_twin() {
    let dir = tempfile::tempdir().unwrap();
    brief(dir.path(), FilterArgs { warehouse: warehouse().to_path_buf(), ..Default::default() });
    let html = std::fs::read_to_string(dir.path().join("brief.html")).unwrap();
    let md = std::fs::read_to_string(dir.path().join("brief.md")).unwrap();
    assert!(html.contains("data:image/png;base64,"), "charts are inlined");
    assert!(!html.contains("src=\"http") && !html.contains("<link"), "no external resources");
    let specs = xxgk::chart::specs().unwrap();
    assert_eq!(html.matches("<img").count(), specs.len());
    for text in [
        // the cover: selection and counts, the years with the gap the fixture corpus has
        "筛选条件",
        "全部报告",
        "8 份",
        "7 个",
        "2019、2022–2025 年",
        "核心指标",
        "实质公开率",
        "(G + P) ÷ T；G 予以公开，P 部分公开，T 办理结果总计",
        "示例市交通运输局",
        "县级",
        "appeals.review_total",
        "I4.1",
        "错误级发现",
        "2023-example-bureau-layout-inconsistent.txt",
    ] {
        assert!(html.contains(text), "brief.html lacks '{text}'");
        assert!(md.contains(text), "brief.md lacks '{text}'");
    }
    // File names, never local paths; every chart title once (in the chart, not again as a heading).
    for text in [&html, &md] {
        assert!(!text.contains("tests/fixtures/") && !text.contains("data/reports/"), "a local path is printed");
        for spec in &specs {
            assert_eq!(text.matches(spec.title.as_str()).count(), 1, "'{}' printed more than once", spec.title);
        }
        for english in ["error", "warning", "county", "std_2021", "trial_2019", "the most quoted"] {
            assert!(
                !text.contains(&format!(">{english}<")) && !text.contains(&format!("| {english} |")),
                "'{english}'"
            );
        }
    }
    assert!(md.contains("](charts/disclosure_rate_trend.png)"));
    // The findings table says what each broken identity states, in Chinese (the fixture
    // warehouse holds an invented report whose sums break), not the checker's English message.
    assert!(md.contains("| I3.1 |") && md.contains("每一行：总计 = 自然人 + 五类法人或其他组织"), "{md}");
    for english in ["is printed as", "add up to", "column total"] {
        assert!(!md.contains(english) && !html.contains(english), "'{english}' in the brief");
    }
    // Fits A4 and prints: fixed table layout with column widths, print rules.
    for rule in
        ["table-layout:fixed", "<colgroup>", "@media print", "size:A4", "break-before:page", "break-inside:avoid"]
    {
        assert!(html.contains(rule), "brief.html lacks '{rule}'");
    }
}

#[test]
fn a_brief_over_many_reports_lists_the_first_rows_and_names_the_full_query() {
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wh");
    let quiet = xxgk::pipeline::Options { progress: false, ..Default::default() };
    xxgk::pipeline::ingest_synthetic(&wh, 260, 5, 0.0, &quiet).unwrap();
    let out = dir.path().join("brief");
    brief(&out, FilterArgs { warehouse: wh, ..FilterArgs::default() });
    let md = std::fs::read_to_string(out.join("brief.md")).unwrap();
    assert!(md.contains("仅列前 200 行，共 260 行；完整结果：xxgk query reports_catalog"), "{md}");
    let catalog = md.split("## 五、数据范围与来源").nth(1).unwrap();
    let rows = catalog.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| 机关 |")).count();
    assert_eq!(rows, 200);
}

/// A headless Chromium or Chrome on PATH.
fn browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

#[test]
fn the_brief_prints_to_pdf_in_a_headless_browser() {
    let Some(browser) = browser() else {
        skip("skipped: no chromium, chromium-browser or google-chrome on PATH to print the brief");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    brief(dir.path(), FilterArgs { warehouse: warehouse().to_path_buf(), ..Default::default() });
    let html = dir.path().join("brief.html").canonicalize().unwrap();
    let pdf = dir.path().join("brief.pdf");
    let out = std::process::Command::new(&browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    let bytes = std::fs::read(&pdf).unwrap_or_else(|e| {
        panic!("{} wrote no PDF ({e}): {}", browser.display(), String::from_utf8_lossy(&out.stderr))
    });
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    // Nine chart images and five sections: far more than an empty page.
    assert!(bytes.len() > 100_000, "{} bytes", bytes.len());
    let pages = bytes.windows(12).filter(|w| &w[..11] == b"/Type /Page" && w[11] != b's').count();
    assert!(pages == 0 || pages >= 5, "{pages} pages: each section starts a page");
}
