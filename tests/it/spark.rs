//! Past one machine (issue 14): every canned query, printed as plain SQL by `xxgk query NAME
//! --emit-sql spark|duckdb`, runs on Spark in local mode and on DuckDB over the fixture
//! warehouse's Parquet files and gives xxgk's own result: same columns, same rows in the same
//! order, numbers within 1e-9 relative.

use std::path::{Path, PathBuf};

use serde_json::Value;
use xxgk::query::{self, Filters};

use crate::analytics::warehouse;
use crate::common::*;

/// Writes the script of every canned query for `dialect` into `dir` (`NAME.sql`), as the binary
/// prints it.
fn emit_all(dialect: &str, dir: &Path) -> Vec<PathBuf> {
    query::specs()
        .unwrap()
        .iter()
        .map(|spec| {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_xxgk"))
                .args(["query", &spec.name, "--emit-sql", dialect, "--warehouse"])
                .arg(warehouse())
                .env_remove("XXGK_QUERIES")
                .output()
                .unwrap();
            assert!(out.status.success(), "{}: {}", spec.name, String::from_utf8_lossy(&out.stderr));
            let path = dir.join(format!("{}.sql", spec.name));
            std::fs::write(&path, &out.stdout).unwrap();
            path
        })
        .collect()
}

/// Runs the scripts with `scripts/run_sql.py` on `engine`: {name: {columns, rows} | {error}}.
fn run_scripts(python: &Path, engine: &str, scripts: &[PathBuf], dir: &Path) -> Value {
    let out_json = dir.join(format!("{engine}.json"));
    let run = std::process::Command::new(python)
        .arg(project().join("scripts/run_sql.py"))
        .arg(engine)
        .arg(&out_json)
        .args(scripts)
        // Whatever an engine leaves in its working folder (Spark: derby.log, spark-warehouse/)
        // stays in the test's folder.
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(run.status.success(), "{engine}: {}", String::from_utf8_lossy(&run.stderr));
    read_json(&out_json)
}

/// Whether two result values agree: equal, or numbers within 1e-9 relative.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
            x == y || (x - y).abs() <= 1e-9 * x.abs().max(y.abs())
        }
        _ => a == b,
    }
}

/// How xxgk's result of query `name` differs from the engine's `theirs`; `None` when it does
/// not.
fn difference(name: &str, theirs: &Value) -> Option<String> {
    if let Some(error) = theirs["error"].as_str() {
        return Some(format!("the engine failed: {error}"));
    }
    let df = query::run(warehouse(), name, &Filters::default()).unwrap();
    let columns: Vec<String> = df.get_column_names().iter().map(|c| c.to_string()).collect();
    if theirs["columns"] != serde_json::json!(columns) {
        return Some(format!("columns {} against xxgk's {columns:?}", theirs["columns"]));
    }
    let ours = query::export::records(&df);
    let rows = theirs["rows"].as_array().cloned().unwrap_or_default();
    if rows.len() != ours.len() {
        return Some(format!("{} rows against xxgk's {}", rows.len(), ours.len()));
    }
    for (i, (row, record)) in rows.iter().zip(&ours).enumerate() {
        for (j, column) in columns.iter().enumerate() {
            if !same(&row[j], &record[column]) {
                return Some(format!("row {i}, column {column}: {} against xxgk's {}", row[j], record[column]));
            }
        }
    }
    None
}

/// Every canned query on `engine` gives xxgk's result; and the comparison tells results apart.
fn every_query_agrees(python: &Path, engine: &str) {
    let dir = tempfile::tempdir().unwrap();
    let scripts = emit_all(engine, dir.path());
    let results = run_scripts(python, engine, &scripts, dir.path());
    let specs = query::specs().unwrap();
    let differ: Vec<String> = specs
        .iter()
        .filter_map(|s| difference(&s.name, &results[&s.name]).map(|d| format!("{}: {d}", s.name)))
        .collect();
    assert!(differ.is_empty(), "{engine} {}:\n{}", results["_version"], differ.join("\n"));
    // The comparison is not vacuous: another query's result, or one changed number, differs.
    assert!(difference("disclosure_rate_by_year", &results["backlog_by_year"]).is_some());
    let mut changed = results["headline_indicators"].clone();
    let rate = changed["rows"][0][6].as_f64().expect("a disclosure rate");
    changed["rows"][0][6] = serde_json::json!(rate * (1.0 + 1e-6));
    assert!(difference("headline_indicators", &changed).is_some());
    skip(&format!("{} canned queries agree on {engine} {}", specs.len(), results["_version"].as_str().unwrap_or("?")));
}

#[test]
fn every_canned_query_gives_xxgks_result_on_spark_in_local_mode() {
    match spark_python() {
        Ok(python) => every_query_agrees(&python, "spark"),
        Err(why) => skip(&format!("skipped: {why}")),
    }
}

#[test]
fn every_canned_query_gives_xxgks_result_on_duckdb() {
    let Some(python) = interop_python() else {
        skip("skipped: no Python with the readers of scripts/interop-requirements.txt (python3 -m venv + PyPI)");
        return;
    };
    every_query_agrees(&python, "duckdb");
}

#[test]
fn emit_sql_covers_the_whole_warehouse_and_refuses_filters() {
    let xxgk = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_xxgk"))
            .args(args)
            .arg("--warehouse")
            .arg(warehouse())
            .env_remove("XXGK_QUERIES")
            .output()
            .unwrap()
    };
    let out = xxgk(&["query", "disclosure_rate_by_year", "--emit-sql", "spark", "--from", "2023"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--emit-sql covers the whole warehouse") && err.contains("--from 2023"), "{err}");
    let out = xxgk(&[
        "query",
        "disclosure_rate_by_year",
        "--emit-sql",
        "spark",
        "--location",
        "s3a://bucket/wh",
        "--include-flagged",
    ]);
    let script = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(script.contains("USING parquet OPTIONS (path 's3a://bucket/wh/report_wide/{"), "{script}");
    assert!(!script.contains(&warehouse().display().to_string()), "{script}");
    // --include-flagged: no template leaves a report out (by default they do).
    assert!(!script.contains("flagged_mask &"), "{script}");
    let out = xxgk(&["query", "disclosure_rate_by_year", "--emit-sql", "duckdb"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("flagged_mask &"));
}

#[test]
fn shards_read_together_give_the_result_of_one_warehouse_on_duckdb() {
    let Some(python) = interop_python() else {
        skip("skipped: no Python with the readers of scripts/interop-requirements.txt (python3 -m venv + PyPI)");
        return;
    };
    // One warehouse per input folder, as a sharded ingest makes them.
    let dir = tempfile::tempdir().unwrap();
    let sources: Vec<query::emit::Source> = report_dirs()
        .iter()
        .enumerate()
        .map(|(i, input)| {
            let shard = dir.path().join(format!("wh-{i}"));
            ingest_listed(input, &shard);
            query::emit::Source { dir: shard, location: None }
        })
        .collect();
    let names = ["disclosure_rate_by_year", "headline_indicators", "agency_ranking", "findings_by_rule"];
    let scripts: Vec<PathBuf> = names
        .iter()
        .map(|name| {
            let spec = query::spec(name).unwrap();
            let text = query::emit::script(&sources, query::emit::Dialect::DuckDb, &spec, &[], &Filters::default());
            let path = dir.path().join(format!("{name}.sql"));
            std::fs::write(&path, text.unwrap()).unwrap();
            path
        })
        .collect();
    let results = run_scripts(&python, "duckdb", &scripts, dir.path());
    for name in names {
        assert_eq!(difference(name, &results[name]), None, "{name}");
    }
}
