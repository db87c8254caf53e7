//! The one error type. `Err` means a run cannot go on for that input (an unreadable file, a
//! corrupt warehouse, a bad argument); a broken identity is a [`crate::model::Finding`], never an error.

use std::path::PathBuf;

/// Everything that can stop xxgk for one input. Every variant names its subject.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },

    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },

    #[error("{path}: {reason}")]
    Unsupported { path: PathBuf, reason: String },

    #[error("{path}: not a readable report: {reason}")]
    NotAReport { path: PathBuf, reason: String },

    /// A file refused by a limit (size, decompressed size, pages, nesting, time, memory), or a
    /// reader that panicked on it: the batch goes on without it.
    #[error("{path}: refused: {reason}")]
    Limit { path: PathBuf, reason: String },

    #[error("meta file {path}, line {line}: {reason}")]
    Meta { path: PathBuf, line: usize, reason: String },

    #[error("warehouse {path}: {source}")]
    Warehouse { path: PathBuf, source: polars::error::PolarsError },

    #[error("query {name}: {reason}")]
    Query { name: String, reason: String },

    #[error("chart {name}: {reason}")]
    Chart { name: String, reason: String },

    /// A folder that is not a warehouse xxgk can read or write: missing, someone else's, of
    /// another layout, or with an unreadable marker or manifest.
    #[error("{path}: {reason}")]
    NotAWarehouse { path: PathBuf, reason: String },

    /// Another process holds the warehouse's write lock.
    #[error("warehouse {path} is being written by {holder} (lock {lock}); wait for it to finish, or pass --wait")]
    Locked { path: PathBuf, holder: String, lock: PathBuf },

    /// A name that names nothing: a query, chart, report, agency or table, with what there is.
    #[error("no {what} '{name}'{known}")]
    NotFound { what: &'static str, name: String, known: String },

    /// A result that could not be written in its format.
    #[error("cannot write {path}: {reason}")]
    Output { path: PathBuf, reason: String },

    /// Command-line arguments that do not go together or say nothing (the message names the
    /// flags and what to give instead).
    #[error("{0}")]
    Argument(String),

    /// A defect of xxgk itself (a panic of a command, a thread that could not start).
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// [`Error::NotFound`] with the names there are: `; queries: a, b, c`.
    pub fn not_found<'a>(
        what: &'static str,
        name: &str,
        plural: &str,
        known: impl IntoIterator<Item = &'a str>,
    ) -> Error {
        let known: Vec<&str> = known.into_iter().collect();
        let known = if known.is_empty() { String::new() } else { format!("; {plural}: {}", known.join(", ")) };
        Error::NotFound { what, name: name.to_string(), known }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
