//! Query: the canned SQL files of `queries/` (embedded at build time) and ad hoc SQL, run with
//! Polars SQL over the warehouse tables. Filters (years, agency, level) restrict the registered
//! tables before any SQL runs, so query files stay plain; the views of `queries/views/` are then
//! registered on the filtered tables. The only module that knows SQL.

pub mod explain;
pub mod export;
pub mod guard;
pub mod metrics;

use polars::prelude::*;

use crate::error::Error;

pub use metrics::Flagged;

mod context;
mod session;
mod spec;

pub use context::{Selection, context, derive, labels_frame};
pub use session::{Notes, Session, run, sql};
pub use spec::{QuerySpec, parse, spec, specs, stored_views, views};

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
pub(crate) fn polars_err(name: &str) -> impl Fn(PolarsError) -> Error + '_ {
    move |e| Error::Query { name: name.to_string(), reason: e.to_string() }
}
