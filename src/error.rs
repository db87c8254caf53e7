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

    #[error("{0}")]
    Usage(String),
}

pub type Result<T> = std::result::Result<T, Error>;
