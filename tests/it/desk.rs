//! The analyst's desk (issue 13): filters that answer back, queries as the analyst's files,
//! outputs that open right in Excel, pandas, polars and DuckDB, shell habits.

use crate::common::*;

#[test]
fn pandas_and_polars_read_every_table_folder_and_the_csv_outputs() {
    let Some(python) = interop_python() else {
        skip("skipped: no Python with the readers of scripts/interop-requirements.txt (python3 -m venv + PyPI)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let main_job = std::process::Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(["run", "--corpus"])
        .arg(project().join("data/reports"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(main_job.status.code().is_some_and(|c| c < 2), "{}", String::from_utf8_lossy(&main_job.stderr));
    let check = std::process::Command::new(&python)
        .arg(project().join("scripts/interop_check.py"))
        .arg(out.join("warehouse"))
        .arg(out.join("queries/disclosure_rate_by_year.csv"))
        .arg(out.join("queries/agencies.csv"))
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{report}\n{}", String::from_utf8_lossy(&check.stderr));
    let seen: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(seen["tables"]["facts"]["pandas_year"], "int32", "{report}");
    assert_eq!(seen["csv"]["disclosure_rate_by_year.csv"][0], "year", "{report}");
}

/// A warehouse of the fixture corpus, made once by the binary.
fn warehouse() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<(tempfile::TempDir, std::path::PathBuf)> = std::sync::OnceLock::new();
    let (_, path) = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let wh = dir.path().join("wh");
        let out = xxgk(&["ingest", "-q", "--warehouse", wh.to_str().unwrap()], &report_dirs_args());
        assert!(out.status.code().is_some_and(|c| c < 2), "{}", String::from_utf8_lossy(&out.stderr));
        (dir, wh)
    });
    path
}

fn report_dirs_args() -> Vec<String> {
    report_dirs().iter().map(|d| d.display().to_string()).collect()
}

/// Runs the binary with `args` then `more`.
fn xxgk(args: &[&str], more: &[String]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(args)
        .args(more)
        .env_remove("XXGK_WAREHOUSE")
        .env_remove("XXGK_QUERIES")
        .output()
        .unwrap()
}

/// `xxgk ARGS --warehouse <fixture warehouse>`: (exit code, stdout, stderr).
fn on_warehouse(args: &[&str]) -> (i32, String, String) {
    let out = xxgk(args, &["--warehouse".into(), warehouse().display().to_string()]);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn filters_are_checked_and_a_filter_that_selects_nothing_says_so() {
    let (code, out, err) = on_warehouse(&["query", "disclosure_rate_by_year", "--agency", "不存在"]);
    assert_eq!((code, out.as_str()), (1, ""), "{err}");
    assert!(err.contains("no report matches --agency 不存在") && err.contains("reports"), "{err}");
    let (code, _, err) = on_warehouse(&["query", "disclosure_rate_by_year", "--level", "xyz"]);
    assert_eq!(code, 2, "{err}");
    for valid in ["county (县级)", "township (乡镇)", "central (中央)", "province (省级)", "prefecture (市级)"]
    {
        assert!(err.contains(valid), "{err}");
    }
    let (code, _, err) = on_warehouse(&["query", "disclosure_rate_by_year", "--from", "2025", "--to", "2019"]);
    assert!(code == 2 && err.contains("--from 2025 is after --to 2019"), "{err}");
    // Chinese level names select what the ids select.
    let by_id = on_warehouse(&["query", "reports_catalog", "--level", "county", "--format", "csv"]);
    let by_zh = on_warehouse(&["query", "reports_catalog", "--level", "县级", "--format", "csv"]);
    assert_eq!(by_id.0, 0, "{}", by_id.2);
    assert_eq!(by_id.1, by_zh.1);
    assert!(by_id.1.lines().count() > 1, "{}", by_id.1);
    // Each filter selects something, their combination nothing: said so.
    let (code, _, err) = on_warehouse(&["query", "reports_catalog", "--agency", "上海", "--level", "县级"]);
    assert!(code == 1 && err.contains("together"), "{err}");
    // --agency names the agencies it matched, and selects every report of each.
    let (code, out, err) = on_warehouse(&["query", "reports_catalog", "--agency", "上海", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("--agency 上海 matched 2 agencies") && err.contains("310000/office"), "{err}");
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(rows.as_array().unwrap().len() >= 3, "{out}");
    // --quiet keeps the notes off standard error.
    let (_, _, err) = on_warehouse(&["query", "reports_catalog", "--agency", "上海", "--format", "json", "-q"]);
    assert_eq!(err, "");
}

#[test]
fn run_without_a_corpus_where_it_looks_stops_and_says_where_it_looked() {
    let dir = tempfile::tempdir().unwrap();
    let out =
        std::process::Command::new(env!("CARGO_BIN_EXE_xxgk")).arg("run").current_dir(dir.path()).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("no corpus at data/reports") && err.contains(&dir.path().display().to_string()), "{err}");
    assert!(!dir.path().join("out").exists(), "nothing is written");
}

#[test]
fn an_analysts_query_folder_adds_and_overrides_queries_with_typed_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("mine");
    let mine_arg = mine.display().to_string();
    // query --new writes a commented template that runs as it is, and never overwrites.
    let made = xxgk(&["query", "--new", "my_rates", "--queries", &mine_arg], &[]);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let again = xxgk(&["query", "--new", "my_rates", "--queries", &mine_arg], &[]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists"));
    let (code, out, err) = on_warehouse(&["query", "my_rates", "--queries", &mine_arg, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let all: serde_json::Value = serde_json::from_str(&out).unwrap();
    let (code, out, err) = on_warehouse(&[
        "query",
        "my_rates",
        "--queries",
        &mine_arg,
        "--format",
        "json",
        "--param",
        "min_processed=900",
    ]);
    assert_eq!(code, 0, "{err}");
    let big: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(big.as_array().unwrap().len() < all.as_array().unwrap().len(), "{out}");
    assert!(big.as_array().unwrap().iter().all(|r| r["processed"].as_i64().unwrap() >= 900), "{out}");
    // Parameters are typed and named.
    let (code, _, err) = on_warehouse(&["query", "my_rates", "--queries", &mine_arg, "--param", "min_processed=many"]);
    assert!(code == 2 && err.contains("min_processed is int"), "{err}");
    let (code, _, err) = on_warehouse(&["query", "my_rates", "--queries", &mine_arg, "--param", "top=3"]);
    assert!(code == 2 && err.contains("no such parameter") && err.contains("min_processed (int, default 0)"), "{err}");
    // A file of the folder replaces the bundled query of its name; the listing says where from.
    std::fs::write(
        mine.join("reports_catalog.sql"),
        "-- title: 我的目录\n-- params: from, to\nSELECT agency_name, year FROM reports ORDER BY year\n",
    )
    .unwrap();
    let (code, out, err) = on_warehouse(&["query", "reports_catalog", "--queries", &mine_arg, "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("agency_name,year"), "{out}");
    let listed = xxgk(&["query", "--list", "--format", "json", "--queries", &mine_arg], &[]);
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let origin = |name: &str| {
        listed.as_array().unwrap().iter().find(|q| q["name"] == name).map(|q| q["origin"].as_str().unwrap().to_string())
    };
    assert!(origin("reports_catalog").unwrap().ends_with("reports_catalog.sql"));
    assert_eq!(origin("agency_ranking").unwrap(), "bundled");
    // The folder also comes from XXGK_QUERIES.
    let by_env = std::process::Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(["query", "--list"])
        .env("XXGK_QUERIES", &mine)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&by_env.stdout).contains("my_rates"));
    // A query file that reads outside the warehouse is refused, as xxgk sql refuses it; a
    // file without a title is named.
    std::fs::write(mine.join("evil.sql"), "-- title: x\nSELECT * FROM read_csv('/etc/hostname')\n").unwrap();
    let (code, _, err) = on_warehouse(&["query", "evil", "--queries", &mine_arg]);
    assert!(code == 2 && err.contains("evil.sql") && err.contains("table function"), "{err}");
    std::fs::write(mine.join("broken.sql"), "SELECT 1\n").unwrap();
    let (code, _, err) = on_warehouse(&["query", "--list", "--queries", &mine_arg]);
    assert!(code == 2 && err.contains("broken.sql") && err.contains("title"), "{err}");
}

#[test]
fn outputs_take_their_format_from_the_file_name_and_open_right() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str| dir.path().join(name).display().to_string();
    // A workbook from the extension alone: a sheet named after the query, Chinese headers,
    // rates as percentages, and a 说明 sheet with the formulas and the filters.
    let (code, _, err) =
        on_warehouse(&["query", "disclosure_rate_by_year", "--level", "省级", "--out", &file("r.xlsx")]);
    assert_eq!(code, 0, "{err}");
    {
        use calamine::{Data, Reader, open_workbook_auto};
        let mut book = open_workbook_auto(file("r.xlsx")).unwrap();
        assert_eq!(book.sheet_names(), vec!["disclosure_rate_by_year".to_string(), "说明".to_string()]);
        let sheet = book.worksheet_range("disclosure_rate_by_year").unwrap();
        let header: Vec<String> = sheet.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
        assert_eq!(header[..4], ["年度", "报告数", "予以公开与部分公开", "办理结果总计"], "{header:?}");
        assert!(header.contains(&"实质公开率".to_string()), "{header:?}");
        assert!(matches!(sheet.rows().nth(1).unwrap()[1], Data::Float(_) | Data::Int(_)));
        let notes = book.worksheet_range("说明").unwrap();
        let text: Vec<String> =
            notes.rows().map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(" ")).collect();
        assert!(text.iter().any(|l| l.contains("disclosure_rate = (G + P) ÷ T")), "{text:?}");
        assert!(text.iter().any(|l| l.contains("--level province")), "{text:?}");
    }
    let (code, _, err) =
        on_warehouse(&["query", "disclosure_rate_by_year", "--format", "csv", "--out", &file("r.json")]);
    assert!(code == 2 && err.contains("--format csv but --out"), "{err}");
    let (code, _, err) = on_warehouse(&["query", "disclosure_rate_by_year", "--out", &file("r.dat")]);
    assert!(code == 2 && err.contains("cannot tell the format"), "{err}");
    // JSON counts are integers.
    let (_, out, _) = on_warehouse(&["query", "headline_indicators", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(rows[0]["reports"].is_i64() && rows[0]["processed"].is_i64(), "{out}");
    assert!(!out.contains(".0,") && !out.contains(".0\n"), "{out}");
    // CSV: a file starts with the byte-order mark Excel needs, standard output does not.
    on_warehouse(&["query", "disclosure_rate_by_year", "--out", &file("r.csv")]);
    assert!(std::fs::read(file("r.csv")).unwrap().starts_with(b"\xEF\xBB\xBFyear,"));
    on_warehouse(&["query", "disclosure_rate_by_year", "--out", &file("plain.csv"), "--no-bom"]);
    assert!(std::fs::read(file("plain.csv")).unwrap().starts_with(b"year,"));
    let (_, out, _) = on_warehouse(&["query", "disclosure_rate_by_year", "--format", "csv"]);
    assert!(out.starts_with("year,"), "{out}");
    // Listings as JSON.
    let (code, out, err) = on_warehouse(&["check", "--json"]);
    assert!(code < 2, "{err}");
    let check: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(check["summary"]["reports"], check["reports"].as_array().unwrap().len());
    let (_, out, _) = on_warehouse(&["agencies", "--format", "json"]);
    assert!(serde_json::from_str::<serde_json::Value>(&out).unwrap()[0]["agency_key"].is_string(), "{out}");
    let metrics = xxgk(&["metrics", "--json"], &[]);
    let metrics: serde_json::Value = serde_json::from_slice(&metrics.stdout).unwrap();
    assert_eq!(metrics["metrics"][0]["key"], "disclosure_rate");
    let rules = xxgk(&["check", "--rules", "--json"], &[]);
    assert!(serde_json::from_slice::<serde_json::Value>(&rules.stdout).unwrap().as_array().unwrap().len() > 40);
    let charts = xxgk(&["chart", "--list", "--json"], &[]);
    let charts: serde_json::Value = serde_json::from_slice(&charts.stdout).unwrap();
    assert!(
        charts.as_array().unwrap().iter().any(|c| c["name"] == "disclosure_rate_trend" && c["origin"] == "bundled")
    );
    let listed = xxgk(&["query", "--list", "--format", "json"], &[]);
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let ranking = listed.as_array().unwrap().iter().find(|q| q["name"] == "agency_ranking").unwrap();
    assert_eq!(ranking["params"][0]["default"], xxgk::query::metrics::MIN_N.to_string());
}

#[test]
fn shell_habits_completions_a_file_list_on_stdin_and_a_default_warehouse() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = xxgk(&["completions", shell], &[]);
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && script.contains("ingest") && script.contains("warehouse"), "{shell}");
    }
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wh");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(["ingest", "-", "-q"])
        .env("XXGK_WAREHOUSE", &wh)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        writeln!(
            stdin,
            "{}\n\n{}",
            fixture_report("2025-shuyang-county").display(),
            fixture_report("2024-hangzhou-linping-district").display()
        )
        .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("2 files: 2 reports added"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let catalog = std::process::Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(["query", "reports_catalog", "--format", "csv"])
        .env("XXGK_WAREHOUSE", &wh)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&catalog.stdout).lines().count(), 3);
}

#[test]
fn a_new_users_query_and_chart_in_a_folder_appear_in_the_listings_and_the_brief_without_a_build() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("mine");
    let mine_arg = mine.display().to_string();
    assert!(xxgk(&["query", "--new", "my_rates", "--queries", &mine_arg], &[]).status.success());
    std::fs::write(
        mine.join("my_chart.toml"),
        r#"title = "我的实质公开率"
query = "my_rates"
kind = "line"
x = "year"
y = ["disclosure_rate"]
series_labels = ["实质公开率"]
x_label = "年度"
y_label = "比例"
number_format = "percent"
metric = "disclosure_rate"
"#,
    )
    .unwrap();
    let queries = xxgk(&["query", "--list", "--queries", &mine_arg], &[]);
    assert!(String::from_utf8_lossy(&queries.stdout).contains("my_rates"));
    let charts = xxgk(&["chart", "--list", "--charts", &mine_arg], &[]);
    let listed = String::from_utf8_lossy(&charts.stdout);
    assert!(listed.lines().any(|l| l.starts_with("my_chart") && l.contains("my_rates")), "{listed}");
    let out = dir.path().join("brief");
    let (code, _, err) =
        on_warehouse(&["brief", "--queries", &mine_arg, "--charts", &mine_arg, "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(out.join("brief.html")).unwrap();
    assert!(html.contains("我的实质公开率"), "the analyst's chart is in the brief");
    assert!(out.join("charts/my_chart.png").exists());
}
