//! Briefing-grade charts: size and scale, a year axis with gaps, labels that never overlap, the
//! pooled-agency subtitle, small multiples, 无数据, footers in Chinese with every symbol defined,
//! and the analyst's own chart folder.

use std::path::Path;

use clap::Parser;
use xxgk::chart::{self, Caption, Data, Options, Origin, Panel};
use xxgk::cli::{Main, run_main};
use xxgk::query::{self, Filters};

use crate::analytics::{drawn_share, warehouse};
use crate::common::project;
use crate::legacy::mixed_warehouse;

fn xxgk(args: &[&str]) -> xxgk::error::Result<xxgk::cli::Outcome> {
    let cli = Main::try_parse_from(std::iter::once("xxgk").chain(args.iter().copied()))
        .map_err(|e| xxgk::error::Error::Argument(e.to_string()))?;
    run_main(cli)
}

fn render_bundled(name: &str, filters: &Filters, out: &Path) -> (String, chart::Drawn) {
    render_bundled_from(warehouse(), name, filters, out)
}

fn render_bundled_from(wh: &Path, name: &str, filters: &Filters, out: &Path) -> (String, chart::Drawn) {
    let spec = chart::spec(name).unwrap();
    let mut session = query::Session::open(wh, filters).unwrap();
    let data = chart::data(&spec, &session.run(&spec.query).unwrap()).unwrap();
    let caption = chart::caption(&spec, &mut session, filters).unwrap();
    let drawn = chart::render(&spec, &data, &caption, &Options::default(), out).unwrap();
    (std::fs::read_to_string(&drawn.svg).unwrap(), drawn)
}

#[test]
fn size_and_scale_make_the_chart_for_print() {
    let dir = tempfile::tempdir().unwrap();
    let wh = warehouse().to_str().unwrap();
    let out = dir.path().to_str().unwrap();
    xxgk(&["chart", "disclosure_rate_trend", "--warehouse", wh, "--out", out, "--size", "1200x700"]).unwrap();
    assert!(drawn_share(&dir.path().join("disclosure_rate_trend.png"), (1200, 700)) > 0.01);
    xxgk(&["chart", "backlog_trend", "--warehouse", wh, "--out", out, "--scale", "2"]).unwrap();
    assert!(drawn_share(&dir.path().join("backlog_trend.png"), (1920, 1120)) > 0.01);
    let svg = std::fs::read_to_string(dir.path().join("backlog_trend.svg")).unwrap();
    assert!(svg.contains("width=\"1920\"") && svg.contains("height=\"1120\""), "the SVG is scaled too");
    let err = xxgk(&["chart", "backlog_trend", "--warehouse", wh, "--size", "big"]).unwrap_err().to_string();
    assert!(err.contains("WIDTHxHEIGHT"), "{err}");
    let err = xxgk(&["chart", "backlog_trend", "--warehouse", wh, "--scale", "40"]).unwrap_err().to_string();
    assert!(err.contains("scale 40"), "{err}");
}

/// The texts of an SVG's `<text>` elements.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .map(|t| t.split_once('>').unwrap().1.split("</text>").next().unwrap().trim().to_string())
        .collect()
}

/// The x extents of the data lines of an SVG (polylines of width 3 left of the legend).
fn line_segments(svg: &str) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for line in svg.lines().filter(|l| l.starts_with("<polyline") && l.contains("stroke-width=\"3\"")) {
        let points = line.split("points=\"").nth(1).unwrap().split('"').next().unwrap();
        let xs: Vec<f64> = points.split_whitespace().map(|p| p.split(',').next().unwrap().parse().unwrap()).collect();
        if xs.iter().all(|x| *x < 730.0) {
            out.extend(xs.windows(2).map(|w| (w[0], w[1])));
        }
    }
    out
}

#[test]
fn a_year_without_data_is_a_gap_on_a_numeric_year_axis() {
    // The fixture corpus has 2019 and 2022–2025: no line may cross 2020–2021.
    let dir = tempfile::tempdir().unwrap();
    let (svg, _) = render_bundled("disclosure_rate_trend", &Filters::default(), dir.path());
    let segments = line_segments(&svg);
    assert_eq!(segments.len(), 2 * 3, "two series, each joining 2022–2023–2024–2025: {segments:?}");
    let step = segments.iter().map(|(a, b)| b - a).fold(f64::MAX, f64::min);
    // (pixel coordinates are whole numbers: one year is `step` ± 1)
    assert!(
        step > 20.0 && segments.iter().all(|(a, b)| b - a <= step + 1.0),
        "a segment spans a missing year: {segments:?}"
    );
    // 2019 is still drawn (a point for each series), and every year of the range has a tick.
    assert_eq!(svg.matches("<circle").count(), 2 * 5);
    for year in 2019..=2025 {
        assert!(texts(&svg).contains(&year.to_string()), "no tick for {year}");
    }
}

#[test]
fn value_labels_never_overlap() {
    let spec = chart::parse(
        "crowded",
        "title = \"拥挤的折线\"\nquery = \"disclosure_rate_by_year\"\nkind = \"line\"\nx = \"year\"\ny = [\"v\"]\nseries = \"s\"\nx_label = \"年度\"\ny_label = \"比例\"\nnumber_format = \"percent\"\n",
        Origin::Bundled,
    )
    .unwrap();
    // Eight lines within two points of each other: their labels compete for the same places.
    let series = (0..8)
        .map(|k| {
            (format!("机关{k}"), (0..7).map(|i| Some(0.5 + 0.002 * f64::from(k) + 0.01 * f64::from(i % 2))).collect())
        })
        .collect();
    let data = Data {
        categories: (2019..=2025).map(|y| y.to_string()).collect(),
        panels: vec![Panel { name: String::new(), series }],
        breaks: vec![],
    };
    let dir = tempfile::tempdir().unwrap();
    let mut boxes =
        vec![chart::render(&spec, &data, &Caption::default(), &Options::default(), dir.path()).unwrap().labels];
    for name in
        ["disclosure_rate_trend", "backlog_trend", "appeals_outcomes", "peer_benchmarks", "agency_disclosure_panels"]
    {
        boxes.push(render_bundled(name, &Filters::default(), dir.path()).1.labels);
    }
    assert!(boxes[0].len() >= 4, "some labels are drawn: {:?}", boxes[0]);
    assert!(boxes[0].len() < 8 * 4, "the crowded labels cannot all be drawn");
    for labels in &boxes {
        for (i, a) in labels.iter().enumerate() {
            assert!(a.x0 >= 0 && a.y0 >= 0 && a.x1 <= 960 && a.y1 <= 560, "{a:?} off the chart");
            for b in &labels[i + 1..] {
                assert!(!a.overlaps(b), "label {a:?} overlaps {b:?}");
            }
        }
    }
}

#[test]
fn pooled_charts_say_how_many_agencies_and_small_multiples_draw_one_panel_each() {
    let dir = tempfile::tempdir().unwrap();
    let (svg, _) = render_bundled("disclosure_rate_trend", &Filters::default(), dir.path());
    assert!(svg.contains("汇总 7 个机关"), "the trend pools 7 agencies and says so");
    let (svg, drawn) = render_bundled("agency_disclosure_panels", &Filters::default(), dir.path());
    assert_eq!(xxgk::chart::spec("agency_disclosure_panels").unwrap().kind, chart::Kind::SmallMultiples);
    assert!(svg.contains("每个机关一幅小图"));
    let df = query::run(warehouse(), "disclosure_rate_by_agency", &Filters::default()).unwrap();
    for agency in query::export::records(&df).iter().filter_map(|r| r["agency"].as_str().map(String::from)) {
        assert!(texts(&svg).contains(&agency), "no panel titled {agency}");
    }
    // 示例市交通运输局 printed no outcome table: its panel says so.
    assert!(texts(&svg).iter().any(|t| t == "无数据"));
    assert!(drawn_share(&drawn.png, (960, 560)) > 0.02);
}

#[test]
fn an_empty_result_draws_no_data_and_the_selection() {
    let dir = tempfile::tempdir().unwrap();
    let filters = Filters { from: Some(2030), level: Some(xxgk::model::Level::County), ..Filters::default() };
    let (svg, drawn) = render_bundled("disclosure_rate_trend", &filters, dir.path());
    assert!(texts(&svg).iter().any(|t| t == "无数据"), "{svg}");
    assert!(svg.contains("筛选：2030年起 · 县级"), "the selection is named");
    assert!(!svg.contains("<circle") && line_segments(&svg).is_empty(), "no data drawn");
    assert!(!texts(&svg).iter().any(|t| t == "0%"), "no empty axes");
    assert!(drawn_share(&drawn.png, (960, 560)) > 0.002, "not blank");
}

#[test]
fn footers_are_chinese_and_define_every_symbol() {
    let mut session = query::Session::open(warehouse(), &Filters::default()).unwrap();
    for spec in chart::specs().unwrap() {
        let caption = chart::caption(&spec, &mut session, &Filters::default()).unwrap();
        // A chart of counts (the series across eras) names no metric; a metric it names exists.
        let metric = spec.metric.as_deref().map(|k| query::metrics::metric(k).unwrap());
        assert!(!caption.footer.contains('{'), "{}: a placeholder is left: {}", spec.name, caption.footer);
        let mut text = caption.footer.clone() + &caption.subtitle;
        for (symbol, name) in metric.map(chart::symbols::symbols).unwrap_or_default() {
            assert!(caption.footer.contains(&format!("{symbol} {name}")), "{}: {symbol} undefined", spec.name);
            text = text.replace(&symbol, "");
        }
        let english = text.as_bytes().windows(2).any(|w| w.iter().all(u8::is_ascii_alphabetic));
        assert!(!english, "{}: English in '{text}'", spec.name);
    }
    let spec = chart::spec("disclosure_rate_trend").unwrap();
    let caption = chart::caption(&spec, &mut session, &Filters::default()).unwrap();
    assert!(
        caption.footer.contains("实质公开率 = (G + P) ÷ T；G 予以公开，P 部分公开，T 办理结果总计"),
        "{}",
        caption.footer
    );
}

#[test]
fn the_analysts_chart_folder_adds_and_replaces_specs_and_names_a_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    let charts = dir.path().join("charts");
    std::fs::create_dir(&charts).unwrap();
    let bundled = std::fs::read_to_string(project().join("charts/disclosure_rate_trend.toml")).unwrap();
    std::fs::write(charts.join("my_trend.toml"), bundled.replace("实质公开率趋势", "我的趋势")).unwrap();
    std::fs::write(charts.join("backlog_trend.toml"), bundled.replace("政府信息公开申请实质公开率趋势", "替换的图"))
        .unwrap();
    let specs = chart::load(Some(&charts)).unwrap();
    let mine = chart::find(&specs, "my_trend").unwrap();
    assert_eq!(mine.origin, Origin::File(charts.join("my_trend.toml")));
    assert_eq!(chart::find(&specs, "backlog_trend").unwrap().title, "替换的图");
    assert_eq!(specs.len(), chart::specs().unwrap().len() + 1);

    // Through the binary: --list names the origin; XXGK_CHARTS works when --charts is absent.
    let list = |args: &[&str], env: Option<&Path>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_xxgk"));
        cmd.args(["chart", "--list"]).args(args).env_remove("XXGK_CHARTS");
        if let Some(dir) = env {
            cmd.env("XXGK_CHARTS", dir);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let by_flag = list(&["--charts", charts.to_str().unwrap()], None);
    assert_eq!(by_flag, list(&[], Some(&charts)));
    let line = by_flag.lines().find(|l| l.starts_with("my_trend ")).unwrap();
    assert!(line.contains(&charts.join("my_trend.toml").display().to_string()), "{line}");
    assert!(by_flag.lines().find(|l| l.starts_with("applicant_mix ")).unwrap().contains(" bundled "));
    assert!(!list(&[], None).contains("my_trend"));

    std::fs::write(charts.join("broken.toml"), "title = \"坏\"\nkind = \"pie\"\n").unwrap();
    let err = chart::load(Some(&charts)).unwrap_err().to_string();
    assert!(err.contains(&charts.join("broken.toml").display().to_string()) && err.contains("pie"), "{err}");
    let wh = warehouse().to_str().unwrap();
    let err = xxgk(&[
        "brief",
        "--warehouse",
        wh,
        "--charts",
        charts.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ])
    .unwrap_err()
    .to_string();
    assert!(err.contains("broken.toml"), "{err}");
}

#[test]
fn chart_brief_and_run_document_the_chart_options() {
    for command in ["chart", "brief", "run"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_xxgk")).args([command, "--help"]).output().unwrap();
        let help = String::from_utf8(out.stdout).unwrap();
        for text in ["--size <WxH>", "[default: 960x560]", "--scale <F>", "--charts <DIR>", "XXGK_CHARTS"] {
            assert!(help.contains(text), "xxgk {command} --help lacks '{text}'");
        }
    }
}

/// The dashes of an SVG's lines that cross a break: polylines of width 2 (the data lines are 3).
fn dashes(svg: &str) -> usize {
    svg.lines().filter(|l| l.starts_with("<polyline") && l.contains("stroke-width=\"2\"")).count()
}

#[test]
fn a_series_across_the_2018_2019_break_is_dashed_there_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let spec = chart::spec("requests_across_eras").unwrap();
    let note = spec.break_label.clone().unwrap();
    // Legacy reports to 2018 and 2019+ reports after: the break line, its note, dashed crossings.
    let (svg, _) = render_bundled_from(mixed_warehouse(), "requests_across_eras", &Filters::default(), dir.path());
    assert!(texts(&svg).contains(&note), "no note at the break");
    assert!(dashes(&svg) > 6, "the lines into 2019 are dashed: {} dashes", dashes(&svg));
    for year in 2011..=2025 {
        assert!(texts(&svg).contains(&year.to_string()), "no tick for {year}");
    }
    // 2019+ reports only, or a selection from 2019 on: no break, nothing dashed.
    let (svg, _) = render_bundled("requests_across_eras", &Filters::default(), dir.path());
    assert!(!texts(&svg).contains(&note) && dashes(&svg) == 0, "a break drawn where the data does not cross one");
    let from_2019 = Filters { from: Some(2019), ..Filters::default() };
    let (svg, _) = render_bundled_from(mixed_warehouse(), "requests_across_eras", &from_2019, dir.path());
    assert!(!texts(&svg).contains(&note) && dashes(&svg) == 0);
    // The option is general: any boolean column, on any spec; a note without a column is an error.
    let text = std::fs::read_to_string(project().join("charts/requests_across_eras.toml")).unwrap();
    let err = chart::parse("x", &text.replace("break_column = \"era_break\"\n", ""), Origin::Bundled).unwrap_err();
    assert!(err.to_string().contains("break_column"), "{err}");
}
