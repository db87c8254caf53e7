//! The analyst's desk (issue 13): filters that answer back, queries as the analyst's files,
//! outputs that open right in Excel, pandas, polars and DuckDB, shell habits.

use crate::common::*;

#[test]
fn pandas_and_polars_read_every_table_folder_and_the_csv_outputs() {
    let Some(python) = interop_python() else {
        println!("skipped: no Python with the readers of scripts/interop-requirements.txt (python3 -m venv + PyPI)");
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
