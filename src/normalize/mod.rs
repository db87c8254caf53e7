//! Normalize: a [`Document`] → a [`Report`]: canonical facts with provenance (line, raw text,
//! label as printed, blank kind), the era from label signatures, metadata (agency, year, level,
//! period) with how each was inferred, and prose figures for the prose ↔ table checks.
//! Values stay as printed: nothing is derived into a printed cell, nothing is repaired. What the
//! reader cannot place or read becomes a [`Finding`].

pub mod agency;
mod appeals;
mod divisions;
mod era;
pub mod flattened;
pub mod label;
pub mod legacy;
mod locate;
mod meta;
mod meta_file;
pub mod number;
mod place;
mod proactive;
mod prose;
mod record;
mod requests;
mod rows;
mod running;

use std::collections::HashMap;

pub use legacy::{LegacyCell, LegacyRow};
pub use meta::Meta;
pub use meta_file::{MetaOverride, read_meta_file};
pub use prose::ProseFact;

use crate::ingest::Document;
use crate::model::{Era, Finding, Table};

/// One canonical cell of a report, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// `proactive`, `requests`, `appeals`.
    pub table: crate::model::Table,
    /// Row id (SCHEMA.md).
    pub row: &'static str,
    /// Column id; empty for `appeals` cells, which are named by `row` alone.
    pub col: &'static str,
    pub value: Option<f64>,
    /// `number`, `explicit_zero`, `empty`, `dash`, `slash`, `wu`, `na`, `unreadable`.
    pub blank_kind: crate::model::BlankKind,
    /// Cell text as printed (inline up to 24 bytes: no allocation for most cells).
    pub raw: compact_str::CompactString,
    /// Row label as printed (empty when the row was placed by position); shared by the cells
    /// of a row.
    pub label_raw: std::sync::Arc<str>,
    /// Unit printed in the cell, if any.
    pub unit: Option<String>,
    /// 1-based line of the text read.
    pub line: usize,
    /// Where the cell is in the user's file and how it was placed.
    pub at: crate::model::Locator,
}

impl Fact {
    /// The locator as text: `line 12`, `line 105, row by position`,
    /// `table 3, row 6, column 10 (text line 40)`.
    pub fn locator(&self) -> String {
        self.at.describe(self.line)
    }
}

/// (table, row, col) → index into `facts`: one flat map, one allocation per report.
/// Hashed with foldhash: lookups by cell are the identity checks' inner loop (SipHash was 1.8% of
/// an ingest's samples). A map per table and a list per row before cost an allocation per row to
/// build and to drop (2.8% of an ingest's samples with the lookups).
type CellIndex = HashMap<(crate::model::Table, &'static str, &'static str), usize, foldhash::fast::FixedState>;

/// A cell's key as a lookup borrows it: the index holds the model's `&'static str` ids, a
/// lookup may name the cell by text of any lifetime. Hashes and compares as the key tuple.
trait CellKey {
    fn key(&self) -> (crate::model::Table, &str, &str);
}

impl CellKey for (crate::model::Table, &str, &str) {
    fn key(&self) -> (crate::model::Table, &str, &str) {
        *self
    }
}

impl<'a> std::borrow::Borrow<dyn CellKey + 'a> for (crate::model::Table, &'static str, &'static str) {
    fn borrow(&self) -> &(dyn CellKey + 'a) {
        self
    }
}

impl std::hash::Hash for dyn CellKey + '_ {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl PartialEq for dyn CellKey + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for dyn CellKey + '_ {}

/// One section of a report as stored (`sections` table): its kind (`overview`, `requests`, …),
/// heading as printed, the line of the heading and the section's prose.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionText {
    pub kind: String,
    pub heading: String,
    pub line: usize,
    pub text: String,
}

/// A report in canonical form.
#[derive(Debug, Clone)]
pub struct Report {
    pub source: String,
    pub format: String,
    pub sha256: String,
    pub report_id: String,
    pub meta: Meta,
    pub era: Era,
    /// The signatures that decided the era.
    pub era_evidence: Vec<String>,
    /// Whether section 三 prints （六）其他处理 as one row (a leaf) rather than three sub-rows.
    pub single_other: bool,
    pub facts: Vec<Fact>,
    /// The legacy-era statistics table (政府信息公开情况统计表), printed rows in order; empty for
    /// 2019+ reports and legacy reports without the table.
    pub legacy: Vec<LegacyRow>,
    pub prose: Vec<ProseFact>,
    /// Sections present, with their prose.
    pub sections: Vec<SectionText>,
    /// Findings raised while reading (unreadable rows, placements). Identity checks come later.
    pub findings: Vec<Finding>,
    /// (table, row, col) → index into `facts`: lookups allocate nothing.
    index: CellIndex,
}

impl Report {
    /// How many facts the report holds: its cells of the 2019+ tables, and the cells of its
    /// legacy statistics table (本年度, and 历年累计 where the table has it). The one count the
    /// `extract` summary, the `reports` table's `fact_count` and an ingest's summary print.
    pub fn fact_count(&self) -> usize {
        self.facts.len() + self.legacy.iter().map(|row| 1 + usize::from(row.cumulative.is_some())).sum::<usize>()
    }

    /// The fact for a cell, if the report prints it.
    pub fn fact(&self, table: crate::model::Table, row: &str, col: &str) -> Option<&Fact> {
        self.position(table, row, col).map(|i| &self.facts[i])
    }

    /// The value of a cell: `None` when not printed or blank.
    pub fn value(&self, table: crate::model::Table, row: &str, col: &str) -> Option<f64> {
        self.fact(table, row, col).and_then(|f| f.value)
    }

    /// Whether any cell of `table` is printed.
    pub fn has_table(&self, table: crate::model::Table) -> bool {
        self.facts.iter().any(|f| f.table == table)
    }

    /// Replaces a cell's value (used by tests and generators to build variants of a report).
    pub fn set_value(&mut self, table: crate::model::Table, row: &str, col: &str, value: Option<f64>) -> bool {
        match self.position(table, row, col) {
            Some(i) => {
                self.facts[i].value = value;
                true
            }
            None => false,
        }
    }

    /// A report from known parts (the synthetic generator's straight-to-warehouse path); no
    /// reader findings, no prose.
    #[allow(clippy::too_many_arguments)]
    pub fn from_parts(
        source: String,
        format: &str,
        sha256: String,
        meta: Meta,
        era: Era,
        single_other: bool,
        facts: Vec<Fact>,
        sections: Vec<SectionText>,
    ) -> Report {
        let report_id = report_id(meta.agency.as_deref(), meta.year, &sha256);
        let mut report = Report {
            source,
            format: format.to_string(),
            sha256,
            report_id,
            meta,
            era,
            era_evidence: vec!["synthetic".to_string()],
            single_other,
            facts,
            legacy: vec![],
            prose: vec![],
            sections,
            findings: vec![],
            index: CellIndex::default(),
        };
        report.reindex();
        report
    }

    fn position(&self, table: crate::model::Table, row: &str, col: &str) -> Option<usize> {
        self.index.get(&(table, row, col) as &dyn CellKey).copied()
    }

    fn reindex(&mut self) {
        let mut index = CellIndex::with_capacity_and_hasher(self.facts.len(), Default::default());
        for (i, f) in self.facts.iter().enumerate() {
            // The last fact of a cell wins, as with a map keyed by cell.
            index.insert((f.table, f.row, f.col), i);
        }
        self.index = index;
    }
}

/// Normalizes a read document. `meta` overrides (from a `--meta` file) win over inference.
pub fn report(doc: &Document, overrides: Option<&MetaOverride>) -> Report {
    let (era, era_evidence) = era::detect_era(doc);
    let meta = meta::infer(doc, overrides);
    let mut findings = Vec::new();
    if meta.agency_resolution == Some(agency::Resolution::Ambiguous.id()) {
        findings.push(Finding::new(
            "meta.agency_ambiguous",
            format!(
                "the agency name '{}' matches {} regions: {}; give its division_code in a --meta row",
                meta.agency.as_deref().unwrap_or(""),
                meta.agency_candidates.len(),
                meta.agency_candidates.join(", ")
            ),
        ));
    }
    let mut facts = Vec::with_capacity(crate::model::table_cells(era));
    let mut single_other = era == Era::Trial2019;
    let mut legacy_rows = Vec::new();
    if era != Era::Legacy2008 {
        if let Some(section) = doc.section("proactive") {
            if running::is_flattened(section, Table::Proactive) {
                facts.extend(running::proactive(section, era, &mut findings));
            } else {
                facts.extend(proactive::read(section, era, &mut findings));
            }
        }
        if let Some(section) = doc.section("requests") {
            if running::is_flattened(section, Table::Requests) {
                let (read, single) = running::requests(section, era, &mut findings);
                single_other = single;
                facts.extend(read);
            } else {
                let table = requests::read(section, era, &mut findings);
                single_other = table.single_other;
                facts.extend(table.facts);
            }
        }
        if let Some(section) = doc.section("appeals") {
            if running::is_flattened(section, Table::Appeals) {
                facts.extend(running::appeals(section, &mut findings));
            } else {
                facts.extend(appeals::read(section, &mut findings));
            }
        }
        for (table, name) in [(Table::Proactive, "二"), (Table::Requests, "三"), (Table::Appeals, "四")] {
            let kind = table.id();
            if doc.section(kind).is_none() || !facts.iter().any(|f| f.table == table) {
                findings.push(
                    Finding::new(
                        &format!("{kind}.missing"),
                        format!("no section {name} table ({kind}) found in the report"),
                    )
                    .cells([kind]),
                );
            }
        }
    } else if let Some(table) = legacy::read(doc, &mut findings).filter(|t| !t.rows.is_empty()) {
        legacy_rows = table.rows;
    } else {
        findings.push(Finding::new(
            "report.legacy_era",
            "legacy (2008–2018) report with no statistics table (政府信息公开情况统计表) found: metadata and prose only",
        ));
    }
    locate::locate(doc, &mut facts);
    let prose = prose::extract(doc);
    let sections = doc
        .sections
        .iter()
        .map(|s| {
            let text = s.prose.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>().join("\n");
            SectionText { kind: s.kind.to_string(), heading: s.heading.clone(), line: s.line, text }
        })
        .collect();
    let report_id = report_id(meta.agency.as_deref(), meta.year, &doc.sha256);
    let mut report = Report {
        source: doc.source.display().to_string(),
        format: doc.format.clone(),
        sha256: doc.sha256.clone(),
        report_id,
        meta,
        era,
        era_evidence,
        single_other,
        facts,
        legacy: legacy_rows,
        prose,
        sections,
        findings,
        index: CellIndex::default(),
    };
    report.reindex();
    report
}

/// Stable report id: a hash of (agency, year, content hash), 16 hex digits.
pub fn report_id(agency: Option<&str>, year: Option<i32>, sha256: &str) -> String {
    let key =
        format!("{}\u{1f}{}\u{1f}{}", agency.unwrap_or(""), year.map(|y| y.to_string()).unwrap_or_default(), sha256);
    crate::ingest::sha256_hex(key.as_bytes())[..16].to_string()
}

pub use record::to_record;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Era, Placement, Table};

    #[test]
    fn cells_are_found_by_text_of_any_lifetime_and_the_last_fact_of_a_cell_wins() {
        let label: std::sync::Arc<str> = "".into();
        let cell = |table, row, col, raw| rows::fact(table, row, col, raw, &label, 1, Placement::Label);
        let facts = vec![
            cell(Table::Requests, "new_received", "total", "5"),
            cell(Table::Requests, "new_received", "natural_person", "3"),
            cell(Table::Appeals, "review_upheld", "", "2"),
            cell(Table::Requests, "new_received", "total", "7"),
        ];
        let report = Report::from_parts(
            "a.txt".into(),
            "txt",
            "0".repeat(64),
            Meta::default(),
            Era::Std2021,
            false,
            facts,
            vec![],
        );
        // Ids built at run time, at other addresses than the model's.
        let (row, col) = (String::from("new_") + "received", String::from("natural_") + "person");
        assert_eq!(report.value(Table::Requests, &row, &col), Some(3.0));
        assert_eq!(report.value(Table::Requests, &row, "total"), Some(7.0), "the last fact of a cell wins");
        assert_eq!(report.value(Table::Appeals, "review_upheld", ""), Some(2.0));
        assert_eq!(report.value(Table::Proactive, &row, "total"), None, "another table");
        assert_eq!(report.value(Table::Requests, &row, "other_org"), None, "a cell not printed");
        assert_eq!(report.value(Table::Requests, "new_receive", "total"), None, "a prefix of a row id");
    }
}
