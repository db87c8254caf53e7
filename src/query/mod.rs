//! Query: the canned SQL files of `queries/` (embedded at build time) and ad hoc SQL, run with
//! Polars SQL over the warehouse tables. Filters (years, agency, level) restrict the registered
//! tables before any SQL runs, so query files stay plain; the views of `queries/views/` are then
//! registered on the filtered tables. The only module that knows SQL.

pub mod dialect;
pub mod emit;
pub mod eras;
pub mod explain;
pub mod export;
pub mod guard;
pub mod metrics;
pub mod reasons;
pub mod unpivot;

use polars::prelude::*;

use crate::error::Error;

pub use metrics::Flagged;

mod context;
mod session;
mod spec;

pub use context::{Selection, context, derive, labels_frame};
pub use session::{Notes, Session, run, sql};
pub use spec::{Catalogue, FILTERS, Param, ParamKind, QuerySpec, parse, spec, specs, stored_views, template, views};

/// Selection applied to the warehouse tables before a query runs, and what pooled figures
/// count.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub from: Option<i32>,
    pub to: Option<i32>,
    /// An agency key, or a substring of the canonical or printed agency name.
    pub agency: Option<String>,
    pub level: Option<crate::model::Level>,
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

    /// Checks the selection before any warehouse is read: `from` is not after `to`.
    pub fn validated(self) -> crate::error::Result<Filters> {
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            return Err(crate::error::Error::Argument(format!(
                "--from {from} is after --to {to}: no year is in that range"
            )));
        }
        Ok(self)
    }

    /// The filters as command-line flags (`--agency 上海 --level county`), one per set filter.
    pub fn flags(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(y) = self.from {
            out.push(format!("--from {y}"));
        }
        if let Some(y) = self.to {
            out.push(format!("--to {y}"));
        }
        if let Some(a) = &self.agency {
            out.push(format!("--agency {a}"));
        }
        if let Some(l) = &self.level {
            out.push(format!("--level {l}"));
        }
        out
    }

    /// How pooled figures treat flagged reports.
    pub fn flagged(&self) -> Flagged {
        if self.include_flagged { Flagged::Include } else { Flagged::LeaveOut }
    }
}
pub(crate) fn polars_err(name: &str) -> impl Fn(PolarsError) -> Error + '_ {
    move |e| Error::Query { name: name.to_string(), reason: e.to_string() }
}

/// Why the selection `filters` holds no report of the warehouse at `dir`, in one sentence: the
/// filters that select nothing on their own, or the combination, and what the warehouse holds.
pub fn why_empty(dir: &std::path::Path, filters: &Filters) -> crate::error::Result<String> {
    let all =
        Filters { include_flagged: filters.include_flagged, all_versions: filters.all_versions, ..Filters::default() };
    let total = Session::open(dir, &all)?.report_count()?;
    if total == 0 {
        return Ok(format!(
            "the warehouse {} holds no reports: ingest some first (xxgk ingest FOLDER --warehouse {})",
            dir.display(),
            dir.display()
        ));
    }
    let singles = [
        Filters { from: filters.from, to: filters.to, ..all.clone() },
        Filters { agency: filters.agency.clone(), ..all.clone() },
        Filters { level: filters.level, ..all.clone() },
    ];
    let mut empty = Vec::new();
    for single in singles.iter().filter(|f| !f.flags().is_empty()) {
        if Session::open(dir, single)?.report_count()? == 0 {
            empty.extend(single.flags());
        }
    }
    let held = format!("the warehouse holds {total} reports (xxgk agencies lists who and which years)");
    Ok(if empty.is_empty() {
        format!("no report matches {} together, though each matches some alone; {held}", filters.flags().join(" "))
    } else {
        format!("no report matches {}; {held}", empty.join(" "))
    })
}
