//! The canned queries and views: their files (embedded at build time, and the analyst's own
//! from a folder), their headers and their typed parameters.

use std::path::{Path, PathBuf};

use super::*;
use crate::error::{Error, Result};

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
    pub filters: Vec<String>,
    /// Typed parameters (`-- params: top:int=10`), bound from `--param top=5` into
    /// `{{param top}}` placeholders.
    pub params: Vec<Param>,
    /// The file it was read from; `None` for a bundled query.
    pub origin: Option<PathBuf>,
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

/// Parses a query file: `-- key: value` header lines, then one statement.
pub fn parse(name: &str, text: &str) -> Result<QuerySpec> {
    let mut spec = QuerySpec {
        name: name.to_string(),
        title: String::new(),
        about: String::new(),
        filters: vec![],
        params: vec![],
        origin: None,
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
                    "params" => {
                        let items: Vec<String> = list();
                        for item in items {
                            match item.split_once(':') {
                                Some((pname, kind)) => spec.params.push(Param::parse(name, pname, kind)?),
                                None if FILTERS.contains(&item.as_str()) => spec.filters.push(item),
                                None => {
                                    return Err(Error::Query {
                                        name: name.to_string(),
                                        reason: format!(
                                            "'-- params:' names '{item}', which is neither a filter ({}) nor a parameter NAME:TYPE[=DEFAULT] (types: int, float, text, bool)",
                                            FILTERS.join(", ")
                                        ),
                                    });
                                }
                            }
                        }
                    }
                    "metrics" => spec.metrics = list(),
                    "stored" => spec.stored = value.trim() == "yes",
                    _ => {}
                }
            }
            // Whole-line comments after the header are the author's notes, not SQL: templates
            // in them are not expanded.
            _ if line.trim_start().starts_with("--") => {}
            _ => body.push(line),
        }
    }
    let query_err = |reason: String| Error::Query { name: name.to_string(), reason };
    spec.body = body.join("\n").trim().to_string();
    for used in placeholders(&spec.body) {
        if !spec.params.iter().any(|p| p.name == used) {
            return Err(query_err(format!(
                "the statement uses {{{{param {used}}}}} but '-- params:' declares no parameter '{used}' (add {used}:int=…, say)"
            )));
        }
    }
    spec.sql = metrics::expand(&spec.bind_defaults(), Flagged::LeaveOut).map_err(query_err)?;
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
    /// The statement with its templates expanded for `flagged` and its parameters at their defaults.
    pub fn sql_with(&self, flagged: Flagged) -> Result<String> {
        self.sql_bound(flagged, &[])
    }

    /// The statement with `values` (`name`, text as typed) bound to its parameters (the others at
    /// their defaults) and its templates expanded. An unknown name, a missing required value or a
    /// value not of the parameter's type is an error naming the parameter.
    pub fn sql_bound(&self, flagged: Flagged, values: &[(String, String)]) -> Result<String> {
        let err = |reason: String| Error::Query { name: self.name.clone(), reason };
        let mut bound: Vec<(String, String)> = Vec::new();
        for (key, value) in values {
            let param = self.params.iter().find(|p| &p.name == key).ok_or_else(|| {
                err(if self.params.is_empty() {
                    format!("--param {key}: this query takes no parameters")
                } else {
                    format!("--param {key}: no such parameter; this query takes {}", self.params_help())
                })
            })?;
            bound.push((key.clone(), param.literal(value).map_err(&err)?));
        }
        for param in &self.params {
            if bound.iter().any(|(k, _)| k == &param.name) {
                continue;
            }
            let default = param.default.as_ref().ok_or_else(|| {
                err(format!("needs --param {}=… ({}): it has no default", param.name, param.kind.id()))
            })?;
            bound.push((param.name.clone(), param.literal(default).map_err(&err)?));
        }
        metrics::expand(&substitute(&self.body, &bound), flagged).map_err(err)
    }

    /// The statement with every parameter at its default (NULL when it has none): the form
    /// listings and benchmarks show.
    fn bind_defaults(&self) -> String {
        let bound: Vec<(String, String)> = self
            .params
            .iter()
            .map(|p| {
                let literal = p.default.as_deref().and_then(|d| p.literal(d).ok()).unwrap_or_else(|| "NULL".into());
                (p.name.clone(), literal)
            })
            .collect();
        substitute(&self.body, &bound)
    }

    /// `top (int, default 10), min (float)`.
    pub fn params_help(&self) -> String {
        self.params.iter().map(Param::help).collect::<Vec<_>>().join(", ")
    }
}

/// The filters a query header may name.
pub const FILTERS: [&str; 4] = ["from", "to", "agency", "level"];

/// A typed query parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub kind: ParamKind,
    /// The default as written (templates such as `{{min_n}}` expanded); `None`: required.
    pub default: Option<String>,
}

/// Parameter types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    Int,
    Float,
    Text,
    Bool,
}

impl ParamKind {
    pub fn id(self) -> &'static str {
        match self {
            ParamKind::Int => "int",
            ParamKind::Float => "float",
            ParamKind::Text => "text",
            ParamKind::Bool => "bool",
        }
    }
}

impl Param {
    /// `NAME` and `TYPE[=DEFAULT]` of a `-- params:` entry of the query `query`.
    fn parse(query: &str, name: &str, kind: &str) -> Result<Param> {
        let err = |reason: String| Error::Query { name: query.to_string(), reason };
        let name = name.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(err(format!("parameter name '{name}' is not a plain name (letters, digits, _)")));
        }
        let (kind, default) = match kind.split_once('=') {
            Some((k, d)) => (k.trim(), Some(metrics::expand(d.trim(), Flagged::LeaveOut).map_err(&err)?)),
            None => (kind.trim(), None),
        };
        let kind = match kind {
            "int" => ParamKind::Int,
            "float" => ParamKind::Float,
            "text" => ParamKind::Text,
            "bool" => ParamKind::Bool,
            other => return Err(err(format!("parameter {name}: unknown type '{other}' (int, float, text, bool)"))),
        };
        let param = Param { name: name.to_string(), kind, default };
        if let Some(d) = &param.default {
            param.literal(d).map_err(|e| err(format!("default of {e}")))?;
        }
        Ok(param)
    }

    /// The SQL literal of `value` typed as this parameter: a number, TRUE/FALSE, or a quoted string.
    pub fn literal(&self, value: &str) -> std::result::Result<String, String> {
        let v = value.trim();
        let bad = || format!("parameter {} is {}: '{value}' is not one", self.name, self.kind.id());
        match self.kind {
            ParamKind::Int => v.parse::<i64>().map(|n| n.to_string()).map_err(|_| bad()),
            ParamKind::Float => match v.parse::<f64>() {
                Ok(f) if f.is_finite() => Ok(format!("{f:?}")),
                _ => Err(bad()),
            },
            ParamKind::Bool => match v.to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" | "是" => Ok("TRUE".into()),
                "false" | "no" | "0" | "否" => Ok("FALSE".into()),
                _ => Err(bad()),
            },
            ParamKind::Text => Ok(format!("'{}'", value.replace('\'', "''"))),
        }
    }

    fn help(&self) -> String {
        match &self.default {
            Some(d) => format!("{} ({}, default {d})", self.name, self.kind.id()),
            None => format!("{} ({}, required)", self.name, self.kind.id()),
        }
    }
}

/// The names of the `{{param NAME}}` placeholders of a statement.
fn placeholders(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        let Some(end) = rest[start..].find("}}") else { break };
        if let Some(name) = rest[start + 2..start + end].trim().strip_prefix("param ") {
            out.push(name.trim().to_string());
        }
        rest = &rest[start + end + 2..];
    }
    out
}

/// `body` with each `{{param NAME}}` replaced by its literal in `bound`.
fn substitute(body: &str, bound: &[(String, String)]) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        let Some(end) = rest[start..].find("}}").map(|e| e + start) else { break };
        let inner = rest[start + 2..end].trim();
        out.push_str(&rest[..start]);
        match inner.strip_prefix("param ").and_then(|n| bound.iter().find(|(k, _)| k == n.trim())) {
            Some((_, literal)) => out.push_str(literal),
            None => out.push_str(&rest[start..end + 2]),
        }
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Every canned query, in name order.
pub fn specs() -> Result<Vec<QuerySpec>> {
    embedded::QUERY_FILES.iter().map(|(name, text)| parse(name, text)).collect()
}

/// The canned query called `name`.
pub fn spec(name: &str) -> Result<QuerySpec> {
    Catalogue::bundled()?.get(name).cloned()
}

/// The queries a session can run: the bundled ones, and the analyst's `*.sql` files of a folder
/// (`--queries DIR`, `XXGK_QUERIES`), which add queries or replace bundled ones of the same name.
#[derive(Debug, Clone)]
pub struct Catalogue {
    queries: Vec<QuerySpec>,
}

impl Catalogue {
    /// The bundled queries.
    pub fn bundled() -> Result<Catalogue> {
        Ok(Catalogue { queries: specs()? })
    }

    /// The bundled queries and those of `folder` (each `NAME.sql` in it, not its subfolders). A
    /// file that does not parse is an error naming it.
    pub fn with_folder(folder: Option<&Path>) -> Result<Catalogue> {
        let mut catalogue = Catalogue::bundled()?;
        let Some(folder) = folder else { return Ok(catalogue) };
        let entries = std::fs::read_dir(folder).map_err(|source| Error::Read { path: folder.to_path_buf(), source })?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "sql"))
            .collect();
        files.sort();
        for path in files {
            let name = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Read { path: path.clone(), source })?;
            let mut spec = parse(&name, &text).map_err(|e| match e {
                Error::Query { reason, .. } => Error::Query { name: path.display().to_string(), reason },
                other => other,
            })?;
            spec.origin = Some(path);
            match catalogue.queries.iter_mut().find(|q| q.name == name) {
                Some(bundled) => *bundled = spec,
                None => catalogue.queries.push(spec),
            }
        }
        catalogue.queries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(catalogue)
    }

    /// Every query, in name order.
    pub fn all(&self) -> &[QuerySpec] {
        &self.queries
    }

    /// The query called `name`.
    pub fn get(&self, name: &str) -> Result<&QuerySpec> {
        self.queries
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| Error::not_found("query", name, "queries", self.queries.iter().map(|s| s.name.as_str())))
    }
}

/// The commented query file `xxgk query --new NAME` writes.
pub fn template(name: &str) -> String {
    format!(
        "-- title: {name}（在此写中文标题）
-- about: What the result shows, in one or two sentences (xxgk query --list prints it).
-- params: from, to, agency, level, min_processed:int=0
-- metrics: disclosure_rate
--
-- The lines above are the header: title (required), about, params and metrics.
--   In params, name the filters this query honours (from, to, agency, level; they restrict
--   the tables before this SQL runs) and its typed parameters NAME:TYPE[=DEFAULT] (int, float,
--   text, bool), bound with --param NAME=VALUE and written {{{{param NAME}}}} in the SQL.
--   In metrics, name the registry keys (xxgk metrics) whose rates the result shows; their
--   formulas are printed under the result, and pooled figures leave out flagged reports.
-- Comment lines like these are notes for people; they are not part of the statement.
-- Tables: reports, facts, findings, sections, legacy, rejects, versions, labels; views:
-- report_wide (one row per report), requests_wide, requests_cells, reason_shares, era_series
-- (2008–2018 and 2019+ figures as one series). Templates:
-- {{{{rate KEY}}}}, {{{{num KEY}}}}, {{{{den KEY}}}} expand a metric pooled over the rows grouped.
-- Run it: xxgk query {name} --queries DIR [--param min_processed=30]
SELECT year,
  COUNT(*) AS reports,
  {{{{den disclosure_rate}}}} AS processed,
  {{{{rate disclosure_rate}}}} AS disclosure_rate
FROM report_wide
GROUP BY year
HAVING {{{{den disclosure_rate}}}} >= {{{{param min_processed}}}}
ORDER BY year
"
    )
}

/// The views of `queries/views`, in name order.
pub fn views() -> Result<Vec<QuerySpec>> {
    embedded::VIEW_FILES.iter().map(|(name, text)| parse(name, text)).collect()
}

/// Names of the views stored as warehouse tables (computed at ingest by [`derive`]).
pub fn stored_views() -> Result<Vec<String>> {
    Ok(views()?.into_iter().filter(|v| v.stored).map(|v| v.name).collect())
}
