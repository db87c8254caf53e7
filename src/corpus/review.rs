//! What `xxgk check` shows of a warehouse: its reports, every finding — those stored with each
//! report and the corpus checks run again over what the warehouse holds now — the superseded
//! versions and the rejected files.

use std::path::Path;

use super::Corpus;
use crate::error::Result;
use crate::store::{self, Reject, StoredFinding, StoredReport};

pub struct Review {
    pub reports: Vec<StoredReport>,
    /// Findings of single reports, then the corpus findings (cross-year, versions).
    pub findings: Vec<StoredFinding>,
    pub rejects: Vec<Reject>,
    /// The corpus checks as run now.
    pub corpus: Corpus,
}

impl Review {
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.severity == "error").count()
    }
}

/// Reads the warehouse at `dir` and runs the corpus checks over it.
pub fn review(dir: &Path) -> Result<Review> {
    let (reports, mut findings, rejects) = store::load_summary(dir)?;
    let corpus = super::check(dir, &super::Scope::All)?;
    findings.extend(corpus.findings.iter().map(|c| StoredFinding {
        report_id: c.report_id.clone(),
        rule: c.finding.rule.clone(),
        identity: c.finding.identity.clone(),
        severity: c.finding.severity.id().to_string(),
        cells: c.finding.cells.join(", "),
        message: c.finding.message.clone(),
    }));
    Ok(Review { reports, findings, rejects, corpus })
}
