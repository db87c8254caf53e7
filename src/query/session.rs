//! A session over a selection: queries run, and the notes of what pooled figures left out.

use std::path::Path;

use polars::prelude::*;
use polars::sql::SQLContext;

use super::*;
use crate::error::{Error, Result};

/// An open selection of the warehouse: tables filtered and views registered once, for running
/// many queries (the main job, charts and the brief run dozens).
pub struct Session {
    ctx: SQLContext,
    catalogue: Catalogue,
    flagged: Flagged,
    all_versions: bool,
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
                out.push(format!("{name}：含 {n} 份输入有勾稽错误的报告（{}）", identities(rules)));
            } else {
                out.push(format!("{name}：剔除 {n} 份输入有勾稽错误的报告（{}）", identities(rules)));
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
            let mut rules: Vec<String> = self.flagged.iter().flat_map(|(_, _, r)| r.iter().cloned()).collect();
            rules.sort();
            rules.dedup();
            let verb = if self.include_flagged { "含" } else { "剔除" };
            let uneven = self.flagged.iter().any(|(_, n, _)| *n != max);
            parts.push(format!(
                "{verb}{} {max} 份输入有勾稽错误的报告（{}）",
                if uneven { "至多" } else { "" },
                identities(&rules)
            ));
        }
        if !self.unknown_year.is_empty() {
            parts.push(format!("{} 份报告年度不明", self.unknown_year.len()));
        }
        parts.join("；")
    }
}

/// The identities (`I3.1`) the rules of findings enforce, for Chinese notes; a rule that
/// enforces no identity by its id.
fn identities(rules: &[String]) -> String {
    let mut out: Vec<&str> = rules
        .iter()
        .map(|id| {
            crate::model::rules::RULES
                .iter()
                .find(|r| r.id == id)
                .map_or(id.as_str(), |r| if r.identity.is_empty() { r.id } else { r.identity })
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out.join("、")
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
    /// Opens the warehouse at `dir` restricted by `filters`, with the bundled queries.
    pub fn open(dir: &Path, filters: &Filters) -> Result<Session> {
        Session::open_with(dir, filters, Catalogue::bundled()?)
    }

    /// Opens the warehouse at `dir` restricted by `filters`, with the queries of `catalogue`.
    pub fn open_with(dir: &Path, filters: &Filters, catalogue: Catalogue) -> Result<Session> {
        let (ctx, selection) = context(dir, filters)?;
        Ok(Session {
            ctx,
            catalogue,
            flagged: filters.flagged(),
            all_versions: filters.all_versions,
            selection,
            flagged_cache: Default::default(),
            left_out: None,
            error_rules: None,
        })
    }

    /// How many reports the selection counts (current versions, unless `all_versions`).
    pub fn report_count(&mut self) -> Result<usize> {
        let current = if self.all_versions { "TRUE" } else { "is_current" };
        let df = self.execute("selection", &format!("SELECT COUNT(*) AS n FROM reports WHERE {current}"))?;
        Ok(df.column("n").ok().and_then(|c| c.get(0).ok()).and_then(|v| v.extract::<u64>()).unwrap_or(0) as usize)
    }

    /// The agencies `--agency` matched: (agency key, canonical name); `None` without it.
    pub fn agencies_matched(&self) -> Option<&[(String, String)]> {
        self.selection.agencies.as_deref()
    }

    /// The query called `name` in this session's catalogue.
    pub fn spec(&self, name: &str) -> Result<QuerySpec> {
        self.catalogue.get(name).cloned()
    }

    /// Every query of this session's catalogue, in name order.
    pub fn specs(&self) -> &[QuerySpec] {
        self.catalogue.all()
    }

    /// Runs the query `name` with its parameters at their defaults.
    pub fn run(&mut self, name: &str) -> Result<DataFrame> {
        self.run_with(name, &[])
    }

    /// Runs the query `name` with `params` (name, value as typed) bound. A query from the
    /// analyst's folder is confined as `xxgk sql` is (one query over the warehouse's tables).
    pub fn run_with(&mut self, name: &str, params: &[(String, String)]) -> Result<DataFrame> {
        let spec = self.spec(name)?;
        let sql = spec.sql_bound(self.flagged, params)?;
        if let Some(path) = &spec.origin {
            guard::check(&sql, &guard::SqlLimits::default())
                .map_err(|reason| Error::Query { name: path.display().to_string(), reason })?;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// SQL's `SUM` is NULL when no value is summed, in a group, a window and a whole frame: the
    /// semantics the patched `polars-sql` keeps (vendor/polars-sql/XXGK-PATCH.md) while every
    /// `SUM` of a query shares one row count.
    #[test]
    fn sum_is_null_over_no_values_in_every_context() {
        let df = df!("g" => [1, 1, 2, 2, 3], "x" => [Some(1.0), None, None, None, Some(2.5)]).unwrap();
        let mut ctx = SQLContext::new();
        ctx.register("t", df.lazy());
        let mut run = |sql: &str| -> Vec<Option<f64>> {
            let out = ctx.execute(sql).unwrap().collect_with_engine(Engine::Streaming).unwrap().unwrap_single();
            out.column("s").unwrap().cast(&DataType::Float64).unwrap().f64().unwrap().iter().collect()
        };
        assert_eq!(
            run("SELECT g, SUM(x) AS s, SUM(x * 2) AS s2, COUNT(*) AS n FROM t GROUP BY g ORDER BY g"),
            [Some(1.0), None, Some(2.5)]
        );
        assert_eq!(run("SELECT SUM(x) AS s FROM t"), [Some(3.5)]);
        assert_eq!(run("SELECT SUM(x) AS s FROM t WHERE g > 9"), [None]);
        assert_eq!(run("SELECT SUM(1) AS s FROM t WHERE g > 9"), [None], "no rows: NULL, as in SQL");
        assert_eq!(
            run("SELECT g, SUM(x) OVER (PARTITION BY g) AS s FROM t ORDER BY g"),
            [Some(1.0), Some(1.0), None, None, Some(2.5)]
        );
    }
}
