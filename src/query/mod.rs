//! Query: the canned SQL files of `queries/` (embedded at build time) and ad hoc SQL, run with
//! Polars SQL over the warehouse tables. Filters (years, agency, level) restrict the registered
//! tables before any SQL runs, so query files stay plain; the views of `queries/views/` are then
//! registered on the filtered tables. The only module that knows SQL.

pub mod explain;
pub mod export;
pub mod guard;
pub mod metrics;

use std::path::Path;

use polars::prelude::*;
use polars::sql::SQLContext;

use crate::error::{Error, Result};
use crate::model::labels::DISPLAY_LABELS;
use crate::store;

pub use metrics::Flagged;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_queries.rs"));
}

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
    /// The statement with metric templates expanded (flagged reports left out).
    pub sql: String,
    /// The statement as written (templates not expanded).
    pub body: String,
    /// A view computed once at ingest and stored as a warehouse table (`-- stored: yes`), rather
    /// than computed at query time.
    pub stored: bool,
}

/// Selection applied to the warehouse tables before a query runs, and what pooled figures
/// count.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub from: Option<i32>,
    pub to: Option<i32>,
    /// An agency key, or a substring of the canonical or printed agency name.
    pub agency: Option<String>,
    pub level: Option<String>,
    /// Keep reports whose error findings name a metric's inputs in its pooled figures.
    pub include_flagged: bool,
    /// Keep superseded versions of a report (by default only the current version counts).
    pub all_versions: bool,
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
        if self.include_flagged {
            parts.push("flagged reports included".to_string());
        }
        if self.all_versions {
            parts.push("all versions".to_string());
        }
        parts.join(" · ")
    }

    /// How pooled figures treat flagged reports.
    pub fn flagged(&self) -> Flagged {
        if self.include_flagged { Flagged::Include } else { Flagged::LeaveOut }
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
        body: String::new(),
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
    spec.body = body.join("\n").trim().to_string();
    spec.sql = metrics::expand(&spec.body, Flagged::LeaveOut).map_err(query_err)?;
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

impl QuerySpec {
    /// The statement with its templates expanded for `flagged`.
    pub fn sql_with(&self, flagged: Flagged) -> Result<String> {
        metrics::expand(&self.body, flagged).map_err(|reason| Error::Query { name: self.name.clone(), reason })
    }
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

/// What the selection leaves out of pooled figures, for the notes under every result: plans
/// over the reports, run only when notes are asked for.
#[derive(Clone)]
pub struct Selection {
    /// Source paths of the current reports of the selection (agency and level) whose year could
    /// not be read. They appear in no year range and as the empty year in per-year results.
    unknown_year: LazyFrame,
    /// The superseded versions of reports in the selection (not counted unless `all_versions`).
    superseded: Option<LazyFrame>,
}

impl Selection {
    /// (superseded versions, source paths of reports of unknown year).
    fn left_out(&self) -> Result<(usize, Vec<String>)> {
        let err = polars_err("notes");
        let versions = match &self.superseded {
            Some(lf) => lf
                .clone()
                .select([len()])
                .collect()
                .map_err(&err)?
                .column("len")
                .map_err(&err)?
                .get(0)
                .ok()
                .and_then(|v| v.extract::<u64>())
                .unwrap_or(0) as usize,
            None => 0,
        };
        let unknown = self.unknown_year.clone().collect().map_err(&err)?;
        let paths = unknown
            .column("source_path")
            .map_err(&err)?
            .str()
            .map_err(&err)?
            .iter()
            .flatten()
            .map(str::to_string)
            .collect();
        Ok((versions, paths))
    }
}

/// The SQL context over the warehouse at `dir`, restricted by `filters`: tables `reports` (every
/// version, with `is_current` and `superseded_by`), `facts`, `findings` (with the corpus
/// findings: cross-year identities and versions), `sections`, `rejects`, `versions`, `labels`
/// (display names of ids), the stored views (`requests_wide`, `report_wide`) and every other
/// view. All but `reports` hold current versions only (unless `all_versions`). Year filters open
/// only the year partitions they need; agency and level filters apply to the tables that carry
/// those columns directly and to the others through their report ids.
pub fn context(dir: &Path, filters: &Filters) -> Result<(SQLContext, Selection)> {
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
            let text = || lit(agency.clone());
            lf = lf.filter(
                col("agency")
                    .str()
                    .contains_literal(text())
                    .fill_null(lit(false))
                    .or(col("agency_name").str().contains_literal(text()).fill_null(lit(false)))
                    .or(col("agency_key").eq(text()).fill_null(lit(false))),
            );
        }
        if let Some(level) = &filters.level {
            lf = lf.filter(col("level").eq(lit(level.clone())));
        }
        lf
    };
    let versions_table = store::scan_years(dir, "versions", None, None)?
        .expect("a table with a known schema")
        .collect()
        .map_err(&err)?;
    let versions = versions_table.select(["report_id", "superseded_by"]).map_err(&err)?;
    let superseded = versions.column("report_id").map_err(&err)?.as_materialized_series().clone();
    let reports_all = store::scan_years(dir, "reports", None, None)?.expect("base table");
    let reports_all = if versions.height() == 0 {
        reports_all
            .with_columns([lit(true).alias("is_current"), lit(NULL).cast(DataType::String).alias("superseded_by")])
    } else {
        reports_all
            .join(versions.clone().lazy(), [col("report_id")], [col("report_id")], JoinArgs::new(JoinType::Left))
            .with_column(col("superseded_by").is_null().alias("is_current"))
    };
    let selection = Selection {
        unknown_year: by_agency(reports_all.clone())
            .filter(col("year").is_null().and(col("is_current")))
            .select([col("source_path")]),
        superseded: (versions.height() > 0)
            .then(|| by_agency(by_year(reports_all.clone())).filter(col("is_current").not())),
    };
    let reports = by_agency(by_year(reports_all));
    let ids = if filters.agency.is_some() || filters.level.is_some() {
        let df = reports.clone().select([col("report_id")]).collect().map_err(&err)?;
        Some(df.column("report_id").map_err(&err)?.as_materialized_series().clone())
    } else {
        None
    };
    let current = |mut lf: LazyFrame| {
        if let Some(ids) = &ids {
            lf = lf.filter(col("report_id").is_in(lit(ids.clone()).implode(false), false));
        }
        if !superseded.is_empty() && !filters.all_versions {
            lf = lf.filter(col("report_id").is_in(lit(superseded.clone()).implode(false), false).not());
        }
        lf
    };
    let mut ctx = SQLContext::new();
    for table in ["facts", "sections"] {
        ctx.register(table, current(by_year(store::scan_years(dir, table, from, to)?.expect("base table"))));
    }
    let findings = current(by_year(store::scan_years(dir, "findings", from, to)?.expect("base table")))
        .with_column(lit(NULL).cast(DataType::String).alias("related_report_id"));
    let corpus = current(by_year(store::scan_years(dir, "corpus_findings", from, to)?.expect("a known schema")));
    let findings = concat([findings, corpus], UnionArgs::default()).map_err(&err)?;
    ctx.register("findings", findings);
    ctx.register("rejects", store::standing_rejects(dir)?);
    ctx.register("versions", versions_table.lazy());
    ctx.register("reports", reports);
    ctx.register("labels", labels_frame().map_err(&err)?.lazy());
    let mut stored = Vec::new();
    for name in stored_views()? {
        if let Some(lf) = store::scan_years(dir, &name, from, to)? {
            ctx.register(&name, current(by_agency(by_year(lf))));
            stored.push(name);
        }
    }
    // A stored view with no file yet (an empty warehouse) is computed like any other view.
    register_views(&mut ctx, &stored, filters.flagged(), |_, lf| Ok(lf))?;
    Ok((ctx, selection))
}

/// The stored views of a batch of base-table frames (`store::batch`), computed with the view
/// SQL of `queries/views` over that batch alone: every stored view groups by report, so
/// computing it batch by batch gives the same rows as computing it over the whole warehouse.
/// Ingest uses the faster [`store::wide::derive`]; this is the definition it is tested against.
pub fn derive(frames: &[(String, DataFrame)]) -> Result<Vec<(String, DataFrame)>> {
    let mut ctx = SQLContext::new();
    for (name, df) in frames {
        ctx.register(name, df.clone().lazy());
    }
    ctx.register("labels", labels_frame().map_err(polars_err("labels"))?.lazy());
    let mut out = Vec::new();
    register_views(&mut ctx, &[], Flagged::LeaveOut, |view, lf| {
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
    flagged: Flagged,
    mut finish: impl FnMut(&QuerySpec, LazyFrame) -> Result<LazyFrame>,
) -> Result<()> {
    let mut pending: Vec<QuerySpec> = views()?.into_iter().filter(|v| !skip.contains(&v.name)).collect();
    while !pending.is_empty() {
        let before = pending.len();
        let mut last_error = None;
        let mut left = Vec::new();
        for view in pending {
            match ctx.execute(&view.sql_with(flagged)?) {
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
    flagged: Flagged,
    selection: Selection,
    /// Per metric: reports left out (over the whole selection) and the rules, once computed.
    flagged_cache: std::collections::HashMap<&'static str, (usize, Vec<String>)>,
    /// (superseded versions, reports of unknown year), once computed.
    left_out: Option<(usize, Vec<String>)>,
    /// The error findings' rules and cells, once read.
    error_rules: Option<Vec<(String, i64)>>,
}

/// What a result leaves out, and why: said under every result.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Notes {
    /// Superseded versions of reports in the selection.
    pub versions_left_out: usize,
    /// Per metric of the result: reports left out of its pooled figures because an error
    /// finding names one of its inputs, and the rules of those findings.
    pub flagged: Vec<(String, usize, Vec<String>)>,
    /// Whether flagged reports are kept (`--include-flagged`).
    pub include_flagged: bool,
    /// Source paths of current reports whose year could not be read.
    pub unknown_year: Vec<String>,
}

impl Notes {
    /// One English line per note (for terminals and standard error).
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.versions_left_out > 0 {
            out.push(format!(
                "{} superseded version(s) of reports left out: each agency and year counts its current report only (xxgk sql \"SELECT * FROM versions\")",
                self.versions_left_out
            ));
        }
        for (metric, n, rules) in &self.flagged {
            if self.include_flagged {
                out.push(format!(
                    "{metric}: {n} report(s) whose error findings name its inputs are included (--include-flagged): {}",
                    rules.join(", ")
                ));
            } else {
                out.push(format!(
                    "{metric}: {n} report(s) left out: an error finding names its inputs ({}); --include-flagged keeps them",
                    rules.join(", ")
                ));
            }
        }
        if !self.unknown_year.is_empty() {
            out.push(format!(
                "{} report(s) of unknown year, in no year range and under an empty year: {}",
                self.unknown_year.len(),
                names(&self.unknown_year)
            ));
        }
        out
    }

    /// The same notes in Chinese, for chart footers and the briefing.
    pub fn lines_zh(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.versions_left_out > 0 {
            out.push(format!("未计 {} 份重复版本（同一机关同一年度只计当前版本）", self.versions_left_out));
        }
        for (metric, n, rules) in &self.flagged {
            let name = metrics::metric(metric).map_or(metric.as_str(), |m| m.name);
            if self.include_flagged {
                out.push(format!("{name}：含 {n} 份输入有勾稽错误的报告（{}）", rules.join("、")));
            } else {
                out.push(format!("{name}：剔除 {n} 份输入有勾稽错误的报告（{}）", rules.join("、")));
            }
        }
        if !self.unknown_year.is_empty() {
            out.push(format!("{} 份报告年度不明：{}", self.unknown_year.len(), names(&self.unknown_year)));
        }
        out
    }
}

impl Notes {
    /// The notes in one short Chinese line, for chart footers: versions, the most reports any
    /// metric left out and the rules of their findings, unknown years.
    pub fn summary_zh(&self) -> String {
        let mut parts = Vec::new();
        if self.versions_left_out > 0 {
            parts.push(format!("未计 {} 份重复版本", self.versions_left_out));
        }
        if let Some(max) = self.flagged.iter().map(|(_, n, _)| *n).max() {
            let mut rules: Vec<&str> = self.flagged.iter().flat_map(|(_, _, r)| r.iter().map(String::as_str)).collect();
            rules.sort();
            rules.dedup();
            let verb = if self.include_flagged { "含" } else { "剔除" };
            let uneven = self.flagged.iter().any(|(_, n, _)| *n != max);
            parts.push(format!(
                "{verb}{} {max} 份输入有勾稽错误的报告（{}）",
                if uneven { "至多" } else { "" },
                rules.join("、")
            ));
        }
        if !self.unknown_year.is_empty() {
            parts.push(format!("{} 份报告年度不明", self.unknown_year.len()));
        }
        parts.join("；")
    }
}

/// Up to five names and how many more.
fn names(items: &[String]) -> String {
    let shown: Vec<&str> = items.iter().take(5).map(String::as_str).collect();
    if items.len() > shown.len() {
        format!("{} and {} more", shown.join(", "), items.len() - shown.len())
    } else {
        shown.join(", ")
    }
}

impl Session {
    /// Opens the warehouse at `dir` restricted by `filters`.
    pub fn open(dir: &Path, filters: &Filters) -> Result<Session> {
        let (ctx, selection) = context(dir, filters)?;
        Ok(Session {
            ctx,
            flagged: filters.flagged(),
            selection,
            flagged_cache: Default::default(),
            left_out: None,
            error_rules: None,
        })
    }

    /// Runs the canned query `name`.
    pub fn run(&mut self, name: &str) -> Result<DataFrame> {
        let spec = spec(name)?;
        let sql = spec.sql_with(self.flagged)?;
        self.execute(&spec.name, &sql)
    }

    /// Runs ad hoc SQL (metric templates allowed), confined within the default limits.
    pub fn sql(&mut self, statement: &str) -> Result<DataFrame> {
        self.sql_within(statement, &guard::SqlLimits::default())
    }

    /// Runs ad hoc SQL confined ([`guard`]): one query over the warehouse's tables and views
    /// only, of bounded size; its result at most `limits.max_rows` rows, its time at most
    /// `limits.seconds` (a query over time is left to finish in the background, and its result
    /// dropped).
    pub fn sql_within(&mut self, statement: &str, limits: &guard::SqlLimits) -> Result<DataFrame> {
        let err = |reason: String| Error::Query { name: "sql".into(), reason };
        let expanded = metrics::expand(statement, self.flagged).map_err(err)?;
        guard::check(&expanded, limits).map_err(err)?;
        let lf = self.ctx.execute(&expanded).map_err(polars_err("sql"))?.limit(limits.max_rows as IdxSize + 1);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .stack_size(64 * 1024 * 1024)
            .spawn(move || {
                let _ = tx.send(lf.collect_with_engine(Engine::Streaming));
            })
            .map_err(|e| err(format!("cannot start the query: {e}")))?;
        let df = match rx.recv_timeout(std::time::Duration::from_secs_f64(limits.seconds)) {
            Ok(result) => result.map_err(polars_err("sql"))?.unwrap_single(),
            Err(_) => {
                return Err(err(format!(
                    "the query ran longer than {} s (--timeout): narrow it (WHERE, LIMIT) or raise the limit",
                    limits.seconds
                )));
            }
        };
        if df.height() > limits.max_rows {
            return Err(err(format!(
                "the result has more than {} rows (--max-rows): add a LIMIT or a WHERE, or raise the limit",
                limits.max_rows
            )));
        }
        Ok(df)
    }

    /// What a result showing `metric_keys` leaves out: superseded versions, reports flagged on
    /// each metric's inputs (counted over the current reports of the selection), reports of
    /// unknown year.
    pub fn notes(&mut self, metric_keys: &[String]) -> Result<Notes> {
        if self.left_out.is_none() {
            self.left_out = Some(self.selection.left_out()?);
        }
        let (versions_left_out, unknown_year) = self.left_out.clone().expect("computed above");
        let mut notes = Notes {
            versions_left_out,
            include_flagged: self.flagged == Flagged::Include,
            unknown_year,
            ..Notes::default()
        };
        let err = |reason| Error::Query { name: "notes".into(), reason };
        let wanted: Vec<&metrics::Metric> =
            metric_keys.iter().filter_map(|k| metrics::metric(k)).filter(|m| !m.input_columns().is_empty()).collect();
        let missing: Vec<&metrics::Metric> =
            wanted.iter().copied().filter(|m| !self.flagged_cache.contains_key(m.key)).collect();
        if !missing.is_empty() {
            // One pass over report_wide counts every metric's left-out reports.
            let counts = missing
                .iter()
                .map(|m| {
                    metrics::ok_condition(&m.input_columns(), Flagged::LeaveOut)
                        .map(|ok| format!("SUM(CASE WHEN {ok} THEN 0 ELSE 1 END) AS \"{}\"", m.key))
                })
                .collect::<std::result::Result<Vec<_>, String>>()
                .map_err(err)?;
            let df = self.execute("notes", &format!("SELECT {} FROM report_wide", counts.join(", ")))?;
            for m in &missing {
                let n = df.column(m.key).ok().and_then(|c| c.get(0).ok()).and_then(|v| v.extract::<u64>()).unwrap_or(0);
                let mut rules = Vec::new();
                if n > 0 {
                    let mask = crate::store::wide::mask_of(&m.input_columns()).map_err(err)?;
                    rules = self
                        .error_rules()?
                        .iter()
                        .filter(|(_, cells)| cells & mask != 0)
                        .map(|(rule, _)| rule.clone())
                        .collect::<std::collections::BTreeSet<_>>()
                        .into_iter()
                        .collect();
                }
                self.flagged_cache.insert(m.key, (n as usize, rules));
            }
        }
        for m in wanted {
            if let Some((n, rules)) = self.flagged_cache.get(m.key).filter(|(n, _)| *n > 0) {
                notes.flagged.push((m.key.to_string(), *n, rules.clone()));
            }
        }
        Ok(notes)
    }

    /// (rule, flagged_mask of its cells) of the selection's distinct error findings, read once.
    fn error_rules(&mut self) -> Result<&[(String, i64)]> {
        if self.error_rules.is_none() {
            let df = self.execute("notes", "SELECT DISTINCT rule, cells FROM findings WHERE severity = 'error'")?;
            let err = polars_err("notes");
            let (rules, cells) = (
                df.column("rule").map_err(&err)?.str().map_err(&err)?,
                df.column("cells").map_err(&err)?.str().map_err(&err)?,
            );
            let found = rules
                .iter()
                .zip(cells.iter())
                .map(|(r, c)| {
                    (
                        r.unwrap_or_default().to_string(),
                        crate::store::wide::flagged_mask(&format!("|{}|", c.unwrap_or_default().replace(", ", "|"))),
                    )
                })
                .collect();
            self.error_rules = Some(found);
        }
        Ok(self.error_rules.as_deref().unwrap_or_default())
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
