//! The query layer, charts and briefing on the fixture warehouse: one reviewed snapshot (insta)
//! of the CSV of every query file and of the SVG of every chart, hand-checked rates, export
//! formats and filters.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use xxgk::chart::{Caption, Options};
use xxgk::cli::{Cli, Command, Format, run};
use xxgk::query::{self, Filters};

use crate::common::*;

/// The fixture warehouse, built once per test run from the relative path the goldens name.
pub(crate) fn warehouse() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let wh = dir.path().join("wh");
        // The goldens hold source paths as given: ingest by the path relative to the project.
        assert_eq!(std::env::current_dir().unwrap().canonicalize().unwrap(), project().canonicalize().unwrap());
        run(Cli {
            command: Command::Ingest {
                paths: vec![PathBuf::from("data/reports"), PathBuf::from("tests/fixtures/reports")],
                warehouse: wh.clone(),
                meta: None,
                batch: 3,
                quiet: true,
                wait: false,
                limits: Default::default(),
            },
        })
        .unwrap();
        (dir, wh)
    });
    path
}

/// A reviewed snapshot (insta): a change fails the test and leaves `*.snap.new` beside the
/// snapshot in `tests/it/snapshots/` for review (`cargo insta review`, or compare and rename);
/// nothing is overwritten by running the tests.
fn golden(kind: &str, name: &str, actual: &str) {
    insta::assert_snapshot!(format!("{kind}__{name}"), actual);
}

#[test]
fn every_query_file_matches_its_golden_csv() {
    let specs = query::specs().unwrap();
    assert!(specs.len() >= 15, "{} queries", specs.len());
    for spec in &specs {
        assert!(!spec.title.is_empty() && !spec.about.is_empty(), "{}: header", spec.name);
        let df = query::run(warehouse(), &spec.name, &Filters::default()).unwrap();
        assert!(df.height() > 0, "{} returned no rows", spec.name);
        golden("queries", &spec.name, &query::export::csv(&df).unwrap());
    }
}

fn record_where(df: &polars::prelude::DataFrame, key: &str, value: &str) -> serde_json::Value {
    query::export::records(df)
        .into_iter()
        .find(|r| r[key].as_str() == Some(value) || r[key].as_i64().map(|v| v.to_string()).as_deref() == Some(value))
        .unwrap_or_else(|| panic!("no row with {key} = {value}"))
}

#[test]
fn rates_match_the_truth_files_by_hand() {
    // 临平区 2024 (truth: granted 531, partially_granted 133, processed_total 879).
    let by_agency = query::run(warehouse(), "disclosure_rate_by_agency", &Filters::default()).unwrap();
    let linping = record_where(&by_agency, "agency", "杭州市临平区人民政府");
    assert!((linping["disclosure_rate"].as_f64().unwrap() - (531.0 + 133.0) / 879.0).abs() < 1e-12);
    assert!((linping["full_disclosure_rate"].as_f64().unwrap() - 531.0 / 879.0).abs() < 1e-12);
    // 2024 pooled: 临平区 (531 + 133 of 879) and 上海市科委 (9 + 0 of 35) — Σ num ÷ Σ den, not a mean of rates.
    let by_year = query::run(warehouse(), "disclosure_rate_by_year", &Filters::default()).unwrap();
    let y2024 = record_where(&by_year, "year", "2024");
    assert!((y2024["disclosure_rate"].as_f64().unwrap() - (531.0 + 133.0 + 9.0) / (879.0 + 35.0)).abs() < 1e-12);
    // 上海市人民政府办公厅 2025: prose says 予以公开及部分公开 208 of 办结 1191.
    let shanghai = query::export::records(&by_agency)
        .into_iter()
        .find(|r| r["agency"] == "上海市人民政府办公厅" && r["year"] == 2025)
        .unwrap();
    assert!((shanghai["disclosure_rate"].as_f64().unwrap() - 208.0 / 1191.0).abs() < 1e-12);
    // Backlog, 沐阳县 2025: completion = 718 ÷ (713 + 36).
    let backlog =
        query::run(warehouse(), "backlog_by_year", &Filters { agency: Some("沐阳".into()), ..Filters::default() })
            .unwrap();
    let row = record_where(&backlog, "year", "2025");
    assert!((row["completion_rate"].as_f64().unwrap() - 718.0 / 749.0).abs() < 1e-12);
    // Review correction (decided cases), 沐阳县 2025: 10 ÷ (27 + 10 + 9).
    let appeals = query::run(
        warehouse(),
        "appeals_outcomes_by_year",
        &Filters { agency: Some("沐阳".into()), ..Filters::default() },
    )
    .unwrap();
    let review = record_where(&appeals, "block", "review");
    assert!((review["correction_rate"].as_f64().unwrap() - 10.0 / 46.0).abs() < 1e-12);
}

#[test]
fn zero_denominators_give_na_and_small_units_are_not_ranked() {
    let appeals = query::run(
        warehouse(),
        "appeals_outcomes_by_year",
        &Filters { from: Some(2023), to: Some(2023), ..Filters::default() },
    )
    .unwrap();
    let direct = record_where(&appeals, "block", "litigation_direct");
    assert!(direct["correction_rate"].is_null(), "{direct}");
    let ranking = query::run(warehouse(), "agency_ranking", &Filters::default()).unwrap();
    let small = record_where(&ranking, "agency", "示例市交通运输局");
    assert_eq!(small["status"], "observe");
    assert!(small["rank"].is_null());
}

#[test]
fn filters_restrict_reports_before_the_sql_runs() {
    let catalog = |f: Filters| query::run(warehouse(), "reports_catalog", &f).unwrap().height();
    assert_eq!(catalog(Filters::default()), 8);
    assert_eq!(catalog(Filters { from: Some(2024), to: Some(2024), ..Filters::default() }), 2);
    assert_eq!(catalog(Filters { agency: Some("上海".into()), ..Filters::default() }), 3);
    assert_eq!(catalog(Filters { level: Some(xxgk::model::Level::County), ..Filters::default() }), 4);
    let facts = query::sql(
        warehouse(),
        "SELECT COUNT(DISTINCT report_id) AS n FROM facts",
        &Filters { from: Some(2025), ..Filters::default() },
    )
    .unwrap();
    assert_eq!(query::export::records(&facts)[0]["n"], 2);
}

#[test]
fn ad_hoc_sql_expands_metric_templates_and_names_bad_sql() {
    let df = query::sql(
        warehouse(),
        "SELECT {{rate disclosure_rate}} AS r FROM report_wide WHERE agency_key = '330113'",
        &Filters::default(),
    )
    .unwrap();
    assert!((query::export::records(&df)[0]["r"].as_f64().unwrap() - 664.0 / 879.0).abs() < 1e-12);
    let err = query::sql(warehouse(), "SELECT nope FROM nowhere", &Filters::default()).unwrap_err().to_string();
    assert!(err.starts_with("query sql:"), "{err}");
}

#[test]
fn results_export_as_csv_json_xlsx_and_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let df = query::run(warehouse(), "disclosure_rate_by_year", &Filters::default()).unwrap();
    for (format, name) in
        [(Format::Csv, "r.csv"), (Format::Json, "r.json"), (Format::Xlsx, "r.xlsx"), (Format::Parquet, "r.parquet")]
    {
        query::export::write(&df, format, Some(&dir.path().join(name)), &[]).unwrap();
    }
    let csv = std::fs::read_to_string(dir.path().join("r.csv")).unwrap();
    // A CSV file starts with the byte-order mark Excel needs (--no-bom leaves it out).
    assert!(
        csv.starts_with("\u{feff}year,reports,disclosed,processed,disclosure_rate,full_disclosure_rate\n"),
        "{csv}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(json.as_array().unwrap().len(), df.height());
    // The workbook opens, with the header row and one row per result row.
    {
        use calamine::{Reader, open_workbook_auto};
        let mut book = open_workbook_auto(dir.path().join("r.xlsx")).unwrap();
        let sheet = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&sheet).unwrap();
        assert_eq!(range.height(), df.height() + 1, "a header row and the result rows");
        let header: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
        assert_eq!(header[0], "年度", "Chinese headers: {header:?}");
        assert_eq!(header.len(), df.width(), "{header:?}");
    }
    let file = std::fs::File::open(dir.path().join("r.parquet")).unwrap();
    use polars::prelude::SerReader;
    let back = polars::prelude::ParquetReader::new(file).finish().unwrap();
    assert_eq!(back.shape(), df.shape());
    let table = query::export::table(&df, &["disclosure_rate".to_string()]);
    assert!(table.contains("75.54%") || table.contains("73.63%"), "{table}");
    assert!(table.contains("disclosure_rate = (G + P) ÷ T"), "{table}");
}

/// Decodes a chart PNG, checks it is `size` pixels, and returns the share of its pixels that are
/// drawn (darker than light grey).
pub(crate) fn drawn_share(path: &std::path::Path, size: (u32, u32)) -> f64 {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.width, info.height), size, "{}", path.display());
    let channels = info.color_type.samples();
    let drawn = pixels[..info.buffer_size()].chunks(channels).filter(|p| p.iter().take(3).any(|&c| c < 200)).count();
    drawn as f64 / f64::from(info.width * info.height)
}

#[test]
fn charts_render_png_and_svg_matching_their_goldens() {
    let dir = tempfile::tempdir().unwrap();
    let specs = xxgk::chart::specs().unwrap();
    assert!(specs.len() >= 5);
    let (options, caption) = (Options::default(), Caption { footer: "数据：测试".into(), ..Caption::default() });
    for spec in &specs {
        let df = query::run(warehouse(), &spec.query, &Filters::default()).unwrap();
        let data = xxgk::chart::data(spec, &df).unwrap();
        let drawn = xxgk::chart::render(spec, &data, &caption, &options, dir.path()).unwrap();
        // The PNG decodes to an image of the chart's size, and its data draws more than the
        // title and 无数据 the same chart draws with no data.
        let share = drawn_share(&drawn.png, (960, 560));
        let empty = xxgk::chart::data(spec, &df.head(Some(0))).unwrap();
        assert!(empty.is_empty(), "{}", spec.name);
        let frame = xxgk::chart::render(spec, &empty, &caption, &options, &dir.path().join("empty")).unwrap();
        let frame = drawn_share(&frame.png, (960, 560));
        assert!(
            share > frame * 1.2 && share < 0.6,
            "{}: {:.1}% of the pixels drawn, {:.1}% with no data",
            spec.name,
            share * 100.0,
            frame * 100.0
        );
        let svg_text = std::fs::read_to_string(&drawn.svg).unwrap();
        for text in [&spec.title, &spec.x_label, &spec.y_label] {
            assert!(svg_text.contains(&xxgk::chart::glyph_safe(text)), "{}: '{text}' not in the SVG", spec.name);
        }
        for series in data.series_names() {
            assert!(
                svg_text.contains(&xxgk::chart::glyph_safe(series)),
                "{}: series '{series}' not in the SVG",
                spec.name
            );
        }
        golden("charts", &spec.name, &svg_text);
    }
}

#[test]
fn every_chart_character_is_in_the_embedded_font() {
    use ab_glyph::Font;
    let font = ab_glyph::FontRef::try_from_slice(xxgk::chart::FONT_BYTES).unwrap();
    let mut texts: Vec<String> =
        vec!["数据：份报告，个机关年 · 筛选 ÷ − –—%,.()0123456789 无数据全部报告汇总每一幅小图条线；起至含“”".into()];
    for spec in xxgk::chart::specs().unwrap() {
        texts.extend([spec.title, spec.x_label, spec.y_label, spec.note.unwrap_or_default()]);
        texts.extend(spec.series_labels);
    }
    texts.extend(xxgk::model::labels::DISPLAY_LABELS.iter().map(|(_, l)| l.to_string()));
    texts.extend(xxgk::query::metrics::METRICS.iter().map(xxgk::chart::symbols::definition));
    for text in texts {
        for c in xxgk::chart::glyph_safe(&text).chars().filter(|c| !c.is_whitespace()) {
            assert!(font.glyph_id(c).0 != 0, "'{c}' (U+{:04X}) in '{text}' is not in the embedded font", c as u32);
        }
    }
}

#[test]
fn the_main_job_runs_on_the_bundled_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(["run", "--out", dir.path().to_str().unwrap()])
        .current_dir(project())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    for file in [
        "brief.html",
        "brief.md",
        "charts/disclosure_rate_trend.png",
        "queries/disclosure_rate_by_year.csv",
        "warehouse/manifest.json",
    ] {
        assert!(dir.path().join(file).exists(), "{file} missing");
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("6 reports added"), "{stdout}");
}

#[test]
fn duckdb_reads_the_warehouse_to_the_same_disclosure_rates() {
    let ok = std::process::Command::new("python3").args(["-c", "import duckdb"]).status().is_ok_and(|s| s.success());
    if !ok {
        skip("skipped: python3 with duckdb is not installed (pip install duckdb)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let xxgk_csv = dir.path().join("xxgk.csv");
    let df = query::run(warehouse(), "disclosure_rate_by_year", &Filters::default()).unwrap();
    query::export::write(&df, Format::Csv, Some(&xxgk_csv), &[]).unwrap();
    let out = std::process::Command::new("python3")
        .arg(project().join("scripts/duckdb_check.py"))
        .arg(warehouse())
        .arg(&xxgk_csv)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("same disclosure_rate_by_year"), "{stdout}");
}
