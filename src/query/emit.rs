//! Emit: a canned query as one plain SQL script for another engine — DuckDB, or Spark SQL on one
//! machine or a cluster — over the warehouse's committed Parquet files. The script sets up what
//! xxgk's SQL context presents ([`super::context`]): a view per table over the files the manifest
//! names; `reports` with `is_current` and `superseded_by`; the other tables and the stored views
//! restricted to current versions; `findings` with the corpus findings; `labels`; the views of
//! `queries/views` computed at query time; then the query with its templates expanded. The
//! selection is the whole warehouse (no year, agency or level filter).
//!
//! Query files are Polars SQL; where a dialect differs, [`super::dialect`] rewrites them.

use std::path::{Path, PathBuf};

use polars::prelude::{DataType, PolarsResult};

pub use super::dialect::Dialect;
use super::dialect::{literal, sql_type, translate};
use super::*;
use crate::error::{Error, Result};
use crate::store;

/// A warehouse to read, and where the engine finds its folder: `location` (`s3a://bucket/wh`)
/// replaces the folder in every file path; without it, the folder's absolute path.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub dir: PathBuf,
    pub location: Option<String>,
}

/// The tables read from Parquet: each under `<table>_parquet`, presented by a view of its own
/// name (current versions only), except `versions`, which is presented as it is stored.
const TABLES: [&str; 10] = [
    "reports",
    "facts",
    "findings",
    "sections",
    "legacy",
    "rejects",
    "requests_wide",
    "report_wide",
    "versions",
    "corpus_findings",
];

/// The statements that make the tables and views of the warehouses `sources` in `dialect`, with
/// the flagged reports and versions treated as `filters` says (its year, agency and level are not
/// applied: the views cover the whole warehouse).
pub fn setup(sources: &[Source], dialect: Dialect, filters: &Filters) -> Result<Vec<String>> {
    let mut out = Vec::new();
    if dialect == Dialect::Spark {
        // Query files quote identifiers with double quotes ("table"), as standard SQL does.
        out.push("SET spark.sql.ansi.enabled = true".to_string());
        out.push("SET spark.sql.ansi.doubleQuotedIdentifiers = true".to_string());
    }
    let dirs = sources
        .iter()
        .map(|s| std::fs::canonicalize(&s.dir).map_err(|e| Error::Read { path: s.dir.clone(), source: e }))
        .collect::<Result<Vec<_>>>()?;
    for table in TABLES {
        let mut files = Vec::new();
        for (source, dir) in sources.iter().zip(&dirs) {
            for file in store::files(dir, table, None, None)? {
                files.push(located(dir, &file, source.location.as_deref()));
            }
        }
        let name = if table == "versions" { table.to_string() } else { format!("{table}_parquet") };
        out.push(match (files.is_empty(), store::empty(table)) {
            (false, _) => parquet_view(dialect, &name, &files),
            (true, Some(empty)) => empty_view(dialect, &name, &empty)?,
            (true, None) => {
                return Err(Error::Argument(format!(
                    "the warehouse holds no file of {table}: ingest reports first (xxgk ingest FOLDER --warehouse DIR)"
                )));
            }
        });
    }
    let current = if filters.all_versions { "TRUE" } else { "report_id NOT IN (SELECT report_id FROM versions)" };
    let view = |name: &str, sql: String| format!("CREATE OR REPLACE TEMPORARY VIEW {name} AS {sql}");
    out.push(view(
        "reports",
        "SELECT r.*, v.superseded_by, v.superseded_by IS NULL AS is_current FROM reports_parquet r \
         LEFT JOIN (SELECT report_id, superseded_by FROM versions) v ON r.report_id = v.report_id"
            .into(),
    ));
    for table in ["facts", "sections", "legacy", "requests_wide", "report_wide"] {
        out.push(view(table, format!("SELECT * FROM {table}_parquet WHERE {current}")));
    }
    // Standing rejects: a file rejected once and read later is no longer one.
    out.push(view(
        "rejects",
        "SELECT * FROM rejects_parquet WHERE source_path NOT IN (SELECT source_path FROM reports_parquet)".into(),
    ));
    let columns: Vec<String> =
        store::empty("findings").expect("a base table").get_column_names().iter().map(|c| c.to_string()).collect();
    let columns = columns.join(", ");
    out.push(view(
        "findings",
        format!(
            "SELECT {columns}, CAST(NULL AS {}) AS related_report_id FROM findings_parquet WHERE {current} \
             UNION ALL SELECT {columns}, related_report_id FROM corpus_findings_parquet WHERE {current}",
            sql_type(dialect, &DataType::String)?
        ),
    ));
    out.push(view("labels", labels_sql(dialect).map_err(polars_err("labels"))?));
    let mut pending: Vec<QuerySpec> = views()?.into_iter().filter(|v| !v.stored).collect();
    // A view after the views it reads: the engines bind a view when it is created.
    while !pending.is_empty() {
        let names: Vec<String> = pending.iter().map(|v| v.name.clone()).collect();
        let reads = |v: &QuerySpec, other: &str| {
            other != v.name && v.body.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|w| w == other)
        };
        let Some(i) = pending.iter().position(|v| !names.iter().any(|n| reads(v, n))) else {
            return Err(Error::Query { name: "views".into(), reason: format!("the views {names:?} read each other") });
        };
        let v = pending.remove(i);
        let sql = translate(&v.sql_with(filters.flagged())?, dialect)
            .map_err(|reason| Error::Query { name: format!("view {}", v.name), reason })?;
        out.push(view(&v.name, sql));
    }
    Ok(out)
}

/// The whole script of the query `spec` with `params` bound: a header saying what it is and how
/// to run it, the [`setup`] statements and the query, each ending with `;`.
pub fn script(
    sources: &[Source],
    dialect: Dialect,
    spec: &QuerySpec,
    params: &[(String, String)],
    filters: &Filters,
) -> Result<String> {
    let query = statement(spec, params, dialect, filters)?;
    let run = match dialect {
        Dialect::DuckDb => "duckdb < FILE",
        Dialect::Spark => "spark-sql -f FILE",
    };
    let read: Vec<String> =
        sources.iter().map(|s| s.location.clone().unwrap_or_else(|| s.dir.display().to_string())).collect();
    let mut text = format!(
        "-- xxgk query {}: {}\n-- over the whole warehouse {} ({}{}); written by xxgk {}\n-- run: {run}\n\n",
        spec.name,
        spec.title,
        read.join(", "),
        if filters.all_versions { "every version" } else { "current versions" },
        if filters.include_flagged {
            ", flagged reports included"
        } else {
            ", flagged reports left out of pooled figures"
        },
        env!("CARGO_PKG_VERSION"),
    );
    for s in setup(sources, dialect, filters)? {
        text.push_str(&s);
        text.push_str(";\n");
    }
    text.push('\n');
    text.push_str(&query);
    text.push_str(";\n");
    Ok(text)
}

/// The query `spec` alone, with `params` bound and its templates expanded, in `dialect`.
pub fn statement(spec: &QuerySpec, params: &[(String, String)], dialect: Dialect, filters: &Filters) -> Result<String> {
    let sql = spec.sql_bound(filters.flagged(), params)?;
    translate(&sql, dialect).map_err(|reason| Error::Query { name: spec.name.clone(), reason })
}

/// `file` of the warehouse `dir` as the engine finds it: under `location` when given.
fn located(dir: &Path, file: &Path, location: Option<&str>) -> String {
    match (location, file.strip_prefix(dir)) {
        (Some(url), Ok(relative)) => {
            let parts: Vec<String> =
                relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            format!("{}/{}", url.trim_end_matches('/'), parts.join("/"))
        }
        _ => file.display().to_string(),
    }
}

/// A view over Parquet files: DuckDB reads the list; Spark reads one path, a glob with the files
/// as alternatives after their common folder (`/wh/facts/{2023/part-1.parquet,2024/part-2.parquet}`).
/// The year folders are not hive-style: the year is a column of every file.
fn parquet_view(dialect: Dialect, name: &str, files: &[String]) -> String {
    match dialect {
        Dialect::DuckDb => {
            let list: Vec<String> = files.iter().map(|f| literal(dialect, f)).collect();
            format!(
                "CREATE OR REPLACE TEMPORARY VIEW {name} AS SELECT * FROM read_parquet([{}], hive_partitioning = false)",
                list.join(", ")
            )
        }
        Dialect::Spark => {
            let glob = if let [one] = files {
                glob_escape(one)
            } else {
                let common = files.iter().skip(1).fold(files[0].as_str(), |acc, f| {
                    let n = acc.bytes().zip(f.bytes()).take_while(|(a, b)| a == b).count();
                    &acc[..acc[..n].rfind('/').map_or(0, |i| i + 1)]
                });
                let rest: Vec<String> = files.iter().map(|f| glob_escape(&f[common.len()..])).collect();
                format!("{}{{{}}}", glob_escape(common), rest.join(","))
            };
            format!("CREATE OR REPLACE TEMPORARY VIEW {name} USING parquet OPTIONS (path {})", literal(dialect, &glob))
        }
    }
}

/// A path with the characters Hadoop's globs read specially escaped.
fn glob_escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if matches!(c, '\\' | '{' | '}' | '[' | ']' | '*' | '?' | ',') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A view with the columns of `empty` and no rows (a table with no file yet).
fn empty_view(dialect: Dialect, name: &str, empty: &polars::prelude::DataFrame) -> Result<String> {
    let columns = empty
        .columns()
        .iter()
        .map(|c| Ok(format!("CAST(NULL AS {}) AS {}", sql_type(dialect, c.dtype())?, c.name())))
        .collect::<Result<Vec<_>>>()?;
    Ok(format!("CREATE OR REPLACE TEMPORARY VIEW {name} AS SELECT {} WHERE FALSE", columns.join(", ")))
}

/// `labels` as a VALUES list.
fn labels_sql(dialect: Dialect) -> PolarsResult<String> {
    let df = labels_frame()?;
    let (id, label, ord, category) =
        (df.column("id")?.str()?, df.column("label")?.str()?, df.column("ord")?.i64()?, df.column("category")?.str()?);
    let rows: Vec<String> = (0..df.height())
        .map(|i| {
            let text = |c: &polars::prelude::StringChunked| literal(dialect, c.get(i).unwrap_or_default());
            format!("({}, {}, {}, {})", text(id), text(label), ord.get(i).unwrap_or_default(), text(category))
        })
        .collect();
    Ok(format!("SELECT * FROM (VALUES {}) AS t(id, label, ord, category)", rows.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spark_reads_the_files_as_one_glob_after_their_common_folder() {
        let files = ["/w/facts/2023/part-a.parquet".to_string(), "/w/facts/2024/part-b.parquet".to_string()];
        assert_eq!(
            parquet_view(Dialect::Spark, "facts_parquet", &files),
            "CREATE OR REPLACE TEMPORARY VIEW facts_parquet USING parquet OPTIONS (path '/w/facts/{2023/part-a.parquet,2024/part-b.parquet}')"
        );
        assert_eq!(
            located(Path::new("/tmp/wh"), Path::new("/tmp/wh/facts/2024/p.parquet"), Some("s3a://b/wh/")),
            "s3a://b/wh/facts/2024/p.parquet"
        );
        assert_eq!(literal(Dialect::Spark, r"it's a\b"), r"'it\'s a\\b'");
    }
}
