//! A finding: an identity a report breaks, a cell that could not be read, a prose figure that
//! disagrees with a table. Findings are data (stored in the warehouse), never errors, and the
//! facts they name are never changed.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// An identity the template implies is broken, or a cell that could not be read.
    Error,
    /// Prose vs table, plausibility, a placement the reader had to decide.
    Warning,
}

impl Severity {
    pub fn id(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One finding about one report. `cells` are `table.row_id.col_id` names (SCHEMA.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Rule id of the catalogue (`src/model/rules.rs`), e.g. `requests.balance`.
    pub rule: String,
    /// Identity id of format-spec §5 (`I3.3`, `P1`), or the reader rule that raised it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub identity: String,
    pub severity: Severity,
    pub cells: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<f64>,
    pub message: String,
}

impl Finding {
    /// A finding of the catalogue's rule `rule` ([`super::rules::RULES`]), which gives its
    /// identity and severity.
    pub fn new(rule: &str, message: impl Into<String>) -> Finding {
        let rule = super::rules::rule_of(rule);
        Finding {
            rule: rule.id.to_string(),
            identity: rule.identity.to_string(),
            severity: rule.severity,
            cells: Vec::new(),
            expected: None,
            actual: None,
            message: message.into(),
        }
    }

    pub fn cells<I, S>(mut self, cells: I) -> Finding
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.cells = cells.into_iter().map(Into::into).collect();
        self
    }

    pub fn values(mut self, expected: Option<f64>, actual: Option<f64>) -> Finding {
        self.expected = expected;
        self.actual = actual;
        self
    }
}

/// A finding that needs more than one report (a cross-year identity, two versions of one
/// report): attached to `report_id`, comparing it with `related_report_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct CorpusFinding {
    pub report_id: String,
    pub year: Option<i32>,
    pub related_report_id: Option<String>,
    pub finding: Finding,
}

/// A report that a later version of the same agency and year supersedes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Superseded {
    pub report_id: String,
    pub year: Option<i32>,
    pub agency_key: String,
    /// The current version.
    pub superseded_by: String,
    /// Why the other is current: `later publication date`, `later ingest`, `same ingest, later path`.
    pub reason: String,
}
