//! Query: the canned SQL files of `queries/` (embedded at build time) and ad hoc SQL, run with
//! Polars SQL over the warehouse tables. Filters (years, agency, level) restrict the registered
//! tables before any SQL runs, so query files stay plain; the views of `queries/views/` are then
//! registered on the filtered tables. The only module that knows SQL.

pub mod export;
pub mod metrics;
pub mod wide;

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
    /// A view computed once at ingest and stored as a warehouse table (`-- stored: yes`), rather
    /// than computed at query time.
    pub stored: bool,
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
        stored: false,
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
                    "stored" => spec.stored = value.trim() == "yes",
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

/// The views of `queries/views`, in name order.
pub fn views() -> Result<Vec<QuerySpec>> {
    embedded::VIEW_FILES.iter().map(|(name, text)| parse(name, text)).collect()
}

/// Names of the views stored as warehouse tables (computed at ingest by [`derive`]).
pub fn stored_views() -> Result<Vec<String>> {
    Ok(views()?.into_iter().filter(|v| v.stored).map(|v| v.name).collect())
}

/// The SQL context over the warehouse at `dir`, restricted by `filters`: tables `reports`,
/// `facts`, `findings`, `sections`, `rejects`, `labels` (display names of ids), the stored views
/// (`requests_wide`, `report_wide`) and every other view. Year filters open only the year
/// partitions they need; agency and level filters apply to the tables that carry those columns
/// directly and to the others through their report ids.
pub fn context(dir: &Path, filters: &Filters) -> Result<SQLContext> {
    let err = polars_err("warehouse");
    let (from, to) = (filters.from, filters.to);
    let by_year = |mut lf: LazyFrame| {
        if let Some(from) = from {
            lf = lf.filter(col("year").gt_eq(lit(from)));
        }
        if let Some(to) = to {
            lf = lf.filter(col("year").lt_eq(lit(to)));
        }
        lf
    };
    let by_agency = |mut lf: LazyFrame| {
        if let Some(agency) = &filters.agency {
            lf = lf.filter(col("agency").str().contains_literal(lit(agency.clone())));
        }
        if let Some(level) = &filters.level {
            lf = lf.filter(col("level").eq(lit(level.clone())));
        }
        lf
    };
    let reports = by_agency(by_year(store::scan_years(dir, "reports", from, to)?.expect("base table")));
    let ids = if filters.agency.is_some() || filters.level.is_some() {
        let df = reports.clone().select([col("report_id")]).collect().map_err(&err)?;
        Some(df.column("report_id").map_err(&err)?.as_materialized_series().clone())
    } else {
        None
    };
    let mut ctx = SQLContext::new();
    for table in ["facts", "findings", "sections"] {
        let mut lf = by_year(store::scan_years(dir, table, from, to)?.expect("base table"));
        if let Some(ids) = &ids {
            lf = lf.filter(col("report_id").is_in(lit(ids.clone()).implode(false), false));
        }
        ctx.register(table, lf);
    }
    ctx.register("rejects", store::scan(dir, "rejects")?);
    ctx.register("reports", reports);
    ctx.register("labels", labels_frame().map_err(&err)?.lazy());
    let mut stored = Vec::new();
    for name in stored_views()? {
        if let Some(lf) = store::scan_years(dir, &name, from, to)? {
            ctx.register(&name, by_agency(by_year(lf)));
            stored.push(name);
        }
    }
    // A stored view with no file yet (an empty warehouse) is computed like any other view.
    register_views(&mut ctx, &stored, |_, lf| Ok(lf))?;
    Ok(ctx)
}

/// The stored views of a batch of base-table frames (`store::batch`), computed with the view
/// SQL of `queries/views` over that batch alone: every stored view groups by report, so
/// computing it batch by batch gives the same rows as computing it over the whole warehouse.
/// Ingest uses the faster [`wide::derive`]; this is the definition it is tested against.
pub fn derive(frames: &[(String, DataFrame)]) -> Result<Vec<(String, DataFrame)>> {
    let mut ctx = SQLContext::new();
    for (name, df) in frames {
        ctx.register(name, df.clone().lazy());
    }
    ctx.register("labels", labels_frame().map_err(polars_err("labels"))?.lazy());
    let mut out = Vec::new();
    register_views(&mut ctx, &[], |view, lf| {
        if !view.stored {
            return Ok(lf);
        }
        let df = lf.collect().map_err(polars_err(&view.name))?;
        out.push((view.name.clone(), df.clone()));
        Ok(df.lazy())
    })?;
    Ok(out)
}

/// Registers the views of `queries/views` but those named in `skip`, each on the tables and
/// the views before it (through `finish`, which may materialize it); a view that refers to a
/// later one is retried until none is left or none can be added.
fn register_views(
    ctx: &mut SQLContext,
    skip: &[String],
    mut finish: impl FnMut(&QuerySpec, LazyFrame) -> Result<LazyFrame>,
) -> Result<()> {
    let mut pending: Vec<QuerySpec> = views()?.into_iter().filter(|v| !skip.contains(&v.name)).collect();
    while !pending.is_empty() {
        let before = pending.len();
        let mut last_error = None;
        let mut left = Vec::new();
        for view in pending {
            match ctx.execute(&view.sql) {
                Ok(lf) => {
                    let lf = finish(&view, lf)?;
                    ctx.register(&view.name, lf);
                }
                Err(e) => {
                    last_error = Some(Error::Query { name: format!("view {}", view.name), reason: e.to_string() });
                    left.push(view);
                }
            }
        }
        pending = left;
        if pending.len() == before {
            return Err(last_error.expect("a view failed"));
        }
    }
    Ok(())
}

/// The `labels` table: display label, printed order and reason category of every id.
pub fn labels_frame() -> PolarsResult<DataFrame> {
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

    /// Plans the statement and runs it on Polars' streaming engine (on a 10⁶-report warehouse
    /// it ran the canned queries up to 2× faster than the in-memory engine; README, Performance).
    fn execute(&mut self, name: &str, statement: &str) -> Result<DataFrame> {
        let err = polars_err(name);
        let lf = self.ctx.execute(statement).map_err(&err)?;
        Ok(lf.collect_with_engine(Engine::Streaming).map_err(&err)?.unwrap_single())
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
