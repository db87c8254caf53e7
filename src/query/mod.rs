//! Query: the canned SQL files of `queries/` (embedded at build time) and ad hoc SQL, run with
//! Polars SQL over the warehouse tables. Filters (years, agency, level) restrict the registered
//! tables before any SQL runs, so query files stay plain; the views of `queries/views/` are then
//! registered on the filtered tables. The only module that knows SQL.

pub mod export;
pub mod metrics;

use std::path::Path;

use polars::prelude::*;
use polars::sql::SQLContext;

use crate::error::{Error, Result};
use crate::model::labels::DISPLAY_LABELS;
use crate::store;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

pub use embedded::CHART_FILES;

/// A canned query: its file name is its name; the header says what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct QuerySpec {
    pub name: String,
    pub title: String,
    pub about: String,
    /// Filters the query honours (`from`, `to`, `agency`, `level`).
    pub params: Vec<String>,
    /// Metric keys whose values it shows.
    pub metrics: Vec<String>,
    /// The statement with metric templates expanded.
    pub sql: String,
}

/// Selection applied to the warehouse tables before a query runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub from: Option<i32>,
    pub to: Option<i32>,
    /// Substring of the agency name.
    pub agency: Option<String>,
    pub level: Option<String>,
}

impl Filters {
    /// A short description for footers: `2023–2025 · agency ~ 上海 · level province`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        match (self.from, self.to) {
            (Some(a), Some(b)) => parts.push(format!("{a}–{b}")),
            (Some(a), None) => parts.push(format!("{a}–")),
            (None, Some(b)) => parts.push(format!("–{b}")),
            _ => {}
        }
        if let Some(a) = &self.agency {
            parts.push(format!("agency ~ {a}"));
        }
        if let Some(l) = &self.level {
            parts.push(format!("level {l}"));
        }
        parts.join(" · ")
    }
}

/// Parses a query file: `-- key: value` header lines, then one statement.
pub fn parse(name: &str, text: &str) -> Result<QuerySpec> {
    let mut spec = QuerySpec {
        name: name.to_string(),
        title: String::new(),
        about: String::new(),
        params: vec![],
        metrics: vec![],
        sql: String::new(),
    };
    let mut body = Vec::new();
    for line in text.lines() {
        match line.strip_prefix("--").map(str::trim).and_then(|h| h.split_once(':')) {
            Some((key, value)) if body.is_empty() => {
                let list = || value.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
                match key.trim() {
                    "title" => spec.title = value.trim().to_string(),
                    "about" => spec.about = value.trim().to_string(),
                    "params" => spec.params = list(),
                    "metrics" => spec.metrics = list(),
                    _ => {}
                }
            }
            _ => body.push(line),
        }
    }
    let query_err = |reason: String| Error::Query { name: name.to_string(), reason };
    spec.sql = metrics::expand(body.join("\n").trim()).map_err(query_err)?;
    if spec.title.is_empty() {
        return Err(Error::Query { name: name.to_string(), reason: "the file has no '-- title:' header".into() });
    }
    for key in &spec.metrics {
        if metrics::metric(key).is_none() {
            return Err(Error::Query {
                name: name.to_string(),
                reason: format!("header names unknown metric '{key}'"),
            });
        }
    }
    Ok(spec)
}

/// Every canned query, in name order.
pub fn specs() -> Result<Vec<QuerySpec>> {
    embedded::QUERY_FILES.iter().map(|(name, text)| parse(name, text)).collect()
}

/// The canned query called `name`.
pub fn spec(name: &str) -> Result<QuerySpec> {
    let specs = specs()?;
    specs.iter().find(|s| s.name == name).cloned().ok_or_else(|| {
        Error::Usage(format!(
            "no query named '{name}'; canned queries: {}",
            specs.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")
        ))
    })
}

fn polars_err(name: &str) -> impl Fn(PolarsError) -> Error + '_ {
    move |e| Error::Query { name: name.to_string(), reason: e.to_string() }
}

/// The SQL context over the warehouse at `dir`, restricted by `filters`: tables `reports`,
/// `facts`, `findings`, `sections`, `rejects`, `labels` (display names of ids) and every view.
pub fn context(dir: &Path, filters: &Filters) -> Result<SQLContext> {
    let err = polars_err("warehouse");
    let mut reports = store::scan(dir, "reports")?;
    if let Some(from) = filters.from {
        reports = reports.filter(col("year").gt_eq(lit(from)));
    }
    if let Some(to) = filters.to {
        reports = reports.filter(col("year").lt_eq(lit(to)));
    }
    if let Some(agency) = &filters.agency {
        reports = reports.filter(col("agency").str().contains_literal(lit(agency.clone())));
    }
    if let Some(level) = &filters.level {
        reports = reports.filter(col("level").eq(lit(level.clone())));
    }
    let reports = reports.collect().map_err(&err)?;
    let ids = reports.column("report_id").map_err(&err)?.as_materialized_series().clone();
    let mut ctx = SQLContext::new();
    for table in ["facts", "findings", "sections"] {
        let lf = store::scan(dir, table)?.filter(col("report_id").is_in(lit(ids.clone()).implode(false), false));
        ctx.register(table, lf);
    }
    ctx.register("rejects", store::scan(dir, "rejects")?);
    ctx.register("reports", reports.lazy());
    ctx.register("labels", labels_frame().map_err(&err)?.lazy());
    register_views(&mut ctx)?;
    Ok(ctx)
}

/// Registers the views of `queries/views`, each on the tables and the views before it; a view
/// that refers to a later one is retried until none is left or none can be added.
fn register_views(ctx: &mut SQLContext) -> Result<()> {
    let mut pending: Vec<QuerySpec> =
        embedded::VIEW_FILES.iter().map(|(name, text)| parse(name, text)).collect::<Result<_>>()?;
    while !pending.is_empty() {
        let before = pending.len();
        let mut last_error = None;
        pending.retain(|view| match ctx.execute(&view.sql) {
            Ok(lf) => {
                ctx.register(&view.name, lf);
                false
            }
            Err(e) => {
                last_error = Some(Error::Query { name: format!("view {}", view.name), reason: e.to_string() });
                true
            }
        });
        if pending.len() == before {
            return Err(last_error.expect("a view failed"));
        }
    }
    Ok(())
}

fn labels_frame() -> PolarsResult<DataFrame> {
    df!(
        "id" => DISPLAY_LABELS.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        "label" => DISPLAY_LABELS.iter().map(|(_, l)| *l).collect::<Vec<_>>(),
        "ord" => (0..DISPLAY_LABELS.len() as i64).collect::<Vec<_>>(),
        "category" => DISPLAY_LABELS
            .iter()
            .map(|(id, _)| crate::model::request_row(id).and_then(|r| r.group).unwrap_or(""))
            .collect::<Vec<_>>()
    )
}

/// An open selection of the warehouse: tables filtered and views registered once, for running
/// many queries (the main job, charts and the brief run dozens).
pub struct Session {
    ctx: SQLContext,
}

impl Session {
    /// Opens the warehouse at `dir` restricted by `filters`.
    pub fn open(dir: &Path, filters: &Filters) -> Result<Session> {
        Ok(Session { ctx: context(dir, filters)? })
    }

    /// Runs the canned query `name`.
    pub fn run(&mut self, name: &str) -> Result<DataFrame> {
        let spec = spec(name)?;
        self.execute(&spec.name, &spec.sql)
    }

    /// Runs ad hoc SQL (metric templates allowed).
    pub fn sql(&mut self, statement: &str) -> Result<DataFrame> {
        let expanded = metrics::expand(statement).map_err(|reason| Error::Query { name: "sql".into(), reason })?;
        self.execute("sql", &expanded)
    }

    fn execute(&mut self, name: &str, statement: &str) -> Result<DataFrame> {
        let err = polars_err(name);
        self.ctx.execute(statement).map_err(&err)?.collect().map_err(&err)
    }
}

/// Runs the canned query `name` over the warehouse at `dir`.
pub fn run(dir: &Path, name: &str, filters: &Filters) -> Result<DataFrame> {
    Session::open(dir, filters)?.run(name)
}

/// Runs ad hoc SQL (metric templates allowed) over the warehouse tables and views.
pub fn sql(dir: &Path, statement: &str, filters: &Filters) -> Result<DataFrame> {
    Session::open(dir, filters)?.sql(statement)
}
