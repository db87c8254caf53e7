//! The canned queries and views: their files (embedded at build time) and headers.

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

/// The views of `queries/views`, in name order.
pub fn views() -> Result<Vec<QuerySpec>> {
    embedded::VIEW_FILES.iter().map(|(name, text)| parse(name, text)).collect()
}

/// Names of the views stored as warehouse tables (computed at ingest by [`derive`]).
pub fn stored_views() -> Result<Vec<String>> {
    Ok(views()?.into_iter().filter(|v| v.stored).map(|v| v.name).collect())
}
