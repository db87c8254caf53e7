//! Report diff: how much of a report's text repeats another's (the 重复率 analysts check when a
//! report is copied from last year's), per section, and every figure that changed.
//!
//! A character of B counts as repeated when it lies in a run of at least [`RUN`] characters that
//! A also holds (the 连续13字 rule of Chinese duplicate checking), after whitespace is removed
//! and every run of digits is read as one digit, so a sentence copied with only its figures
//! changed still counts as copied.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use polars::prelude::*;
use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::normalize::Report;
use crate::store;

/// Shortest run of characters shared with the other report that counts as repeated.
pub const RUN: usize = 13;

/// One side of a comparison: a report's section texts and cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Side {
    /// The file or report id as given, and the report's source.
    pub label: String,
    pub agency: Option<String>,
    pub year: Option<i32>,
    /// (section kind, text) in document order.
    pub sections: Vec<(String, String)>,
    /// `table.row.col` (appeals: `table.row`) → value (`None`: printed blank).
    pub cells: BTreeMap<String, Option<f64>>,
}

impl Side {
    /// A report read from a file.
    pub fn from_report(label: &str, report: &Report) -> Side {
        Side {
            label: label.to_string(),
            agency: report.meta.agency_name.clone().or(report.meta.agency.clone()),
            year: report.meta.year,
            sections: report.sections.iter().map(|s| (s.kind.clone(), s.text.clone())).collect(),
            cells: report.facts.iter().map(|f| (crate::model::cell_name(f.table, f.row, f.col), f.value)).collect(),
        }
    }
}

fn strings(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<String>>> {
    Ok(df.column(name)?.str()?.iter().map(|s| s.map(str::to_string)).collect())
}

/// A report of the warehouse at `dir`, by report id.
pub fn stored(dir: &Path, report_id: &str) -> Result<Side> {
    let err = |source| Error::Warehouse { path: dir.to_path_buf(), source };
    let one = |table: &str| -> Result<DataFrame> {
        // The report first, then its text (`as_text` over every fact is not pushed below it).
        let lf = store::scan(dir, table)?.filter(col("report_id").eq(lit(report_id.to_string())));
        let lf = if table == "facts" { store::facts::as_text(lf) } else { lf };
        lf.collect().map_err(err)
    };
    let reports = one("reports")?;
    if reports.height() == 0 {
        return Err(Error::NotFound {
            what: "file or report id",
            name: report_id.to_string(),
            known: format!(" in the warehouse {} (xxgk query reports_catalog lists them)", dir.display()),
        });
    }
    let source = strings(&reports, "source_path").map_err(err)?[0].clone().unwrap_or_default();
    let agency = strings(&reports, "agency_name").map_err(err)?[0].clone();
    let year = reports.column("year").map_err(err)?.i32().map_err(err)?.get(0);
    let sections = one("sections")?;
    let (kinds, texts) = (strings(&sections, "section").map_err(err)?, strings(&sections, "text").map_err(err)?);
    let facts = one("facts")?;
    let (tables, rows, cols) = (
        strings(&facts, "table").map_err(err)?,
        strings(&facts, "row_id").map_err(err)?,
        strings(&facts, "col_id").map_err(err)?,
    );
    let values: Vec<Option<f64>> = facts.column("value").map_err(err)?.f64().map_err(err)?.iter().collect();
    Ok(Side {
        label: format!("{report_id} ({source})"),
        agency,
        year,
        sections: kinds.into_iter().zip(texts).map(|(k, t)| (k.unwrap_or_default(), t.unwrap_or_default())).collect(),
        cells: (0..facts.height())
            .map(|i| {
                let get = |v: &Vec<Option<String>>| v[i].clone().unwrap_or_default();
                (crate::model::cell_name(get(&tables), &get(&rows), &get(&cols)), values[i])
            })
            .collect(),
    })
}

/// The current report of the agency (a key, or text of its canonical or printed name) for
/// `year`; an error naming the candidates when the text matches several agencies.
pub fn find(dir: &Path, agency: &str, year: i32) -> Result<String> {
    let err = |source| Error::Warehouse { path: dir.to_path_buf(), source };
    let versions = store::scan(dir, "versions")?.select([col("report_id")]).collect().map_err(err)?;
    let superseded = versions.column("report_id").map_err(err)?.as_materialized_series().clone();
    let text = || lit(agency.to_string());
    let df = store::scan(dir, "reports")?
        .filter(
            col("agency_key")
                .eq(text())
                .fill_null(lit(false))
                .or(col("agency_name").str().contains_literal(text()).fill_null(lit(false)))
                .or(col("agency").str().contains_literal(text()).fill_null(lit(false))),
        )
        .filter(store::one_of("report_id", superseded).not())
        .select([col("report_id"), col("agency_key"), col("year")])
        .collect()
        .map_err(err)?;
    let keys: HashSet<String> = strings(&df, "agency_key").map_err(err)?.into_iter().flatten().collect();
    if keys.is_empty() {
        return Err(Error::NotFound {
            what: "agency matching",
            name: agency.to_string(),
            known: format!(" in the warehouse {} (xxgk agencies lists them)", dir.display()),
        });
    }
    if keys.len() > 1 {
        let mut keys: Vec<String> = keys.into_iter().collect();
        keys.sort();
        return Err(Error::Argument(format!(
            "'{agency}' matches {} agencies: {}; give one of these keys (xxgk agencies)",
            keys.len(),
            keys.join(", ")
        )));
    }
    let ids = strings(&df, "report_id").map_err(err)?;
    let years: Vec<Option<i32>> = df.column("year").map_err(err)?.i32().map_err(err)?.iter().collect();
    ids.into_iter().zip(years).find(|(_, y)| *y == Some(year)).and_then(|(id, _)| id).ok_or_else(|| {
        let have: Vec<String> = {
            let mut y: Vec<i32> = df
                .column("year")
                .ok()
                .and_then(|c| c.i32().ok().map(|c| c.iter().flatten().collect()))
                .unwrap_or_default();
            y.sort();
            y.dedup();
            y.iter().map(i32::to_string).collect()
        };
        Error::NotFound {
            what: "report of the year",
            name: format!("{year} of {}", keys.iter().next().map(String::as_str).unwrap_or(agency)),
            known: format!("; its years: {}", have.join(", ")),
        }
    })
}

/// Text as compared: no whitespace, every run of digits one `#`.
fn comparable(text: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(text.len() / 3);
    let mut in_digits = false;
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}' && *c != '\u{a0}') {
        let digit = c.is_ascii_digit() || ('０'..='９').contains(&c);
        if digit {
            if !in_digits {
                out.push('#');
            }
        } else {
            out.push(c);
        }
        in_digits = digit;
    }
    out
}

/// (characters of `b`, characters of `b` in a run of [`RUN`] or more also in `a`), both counted
/// on the comparable text.
pub fn repeated(a: &str, b: &str) -> (usize, usize) {
    let (a, b) = (comparable(a), comparable(b));
    if a.len() < RUN || b.len() < RUN {
        return (b.len(), 0);
    }
    let windows: HashSet<&[char]> = a.windows(RUN).collect();
    let mut covered = vec![false; b.len()];
    for (i, w) in b.windows(RUN).enumerate() {
        if windows.contains(w) {
            covered[i..i + RUN].iter_mut().for_each(|c| *c = true);
        }
    }
    (b.len(), covered.iter().filter(|c| **c).count())
}

/// The repetition of one section (or `all`).
#[derive(Debug, Clone, PartialEq)]
pub struct SectionRepeat {
    pub section: String,
    pub chars: usize,
    pub repeated: usize,
}

impl SectionRepeat {
    /// Share of the section's characters repeated; `None` for an empty section.
    pub fn rate(&self) -> Option<f64> {
        (self.chars > 0).then(|| self.repeated as f64 / self.chars as f64)
    }
}

/// A figure that differs: a value, a blank (`Some(None)`) or not printed (`None`) on each side.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub cell: String,
    pub a: Option<Option<f64>>,
    pub b: Option<Option<f64>>,
}

/// Two reports compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    pub a: Side,
    pub b: Side,
    pub sections: Vec<SectionRepeat>,
    pub changes: Vec<Change>,
}

/// Compares B with A: per section kind of B, its text against A's section of that kind, then
/// the whole texts (`all`); and every cell printed differently.
pub fn diff(a: Side, b: Side) -> Diff {
    let text = |side: &Side, kind: Option<&str>| -> String {
        side.sections
            .iter()
            .filter(|(k, _)| kind.is_none_or(|kind| k == kind))
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut kinds: Vec<&str> = Vec::new();
    for (k, _) in &b.sections {
        if !kinds.contains(&k.as_str()) {
            kinds.push(k);
        }
    }
    let mut sections: Vec<SectionRepeat> = kinds
        .iter()
        .map(|k| {
            let (chars, repeated) = repeated(&text(&a, Some(k)), &text(&b, Some(k)));
            SectionRepeat { section: k.to_string(), chars, repeated }
        })
        .collect();
    let (chars, rep) = repeated(&text(&a, None), &text(&b, None));
    sections.push(SectionRepeat { section: "all".to_string(), chars, repeated: rep });
    let cells: std::collections::BTreeSet<&String> = a.cells.keys().chain(b.cells.keys()).collect();
    let changes = cells
        .into_iter()
        .filter(|c| a.cells.get(*c) != b.cells.get(*c))
        .map(|c| Change { cell: c.clone(), a: a.cells.get(c).copied(), b: b.cells.get(c).copied() })
        .collect();
    Diff { a, b, sections, changes }
}

fn describe(v: Option<Option<f64>>) -> &'static str {
    match v {
        None => "not printed",
        Some(None) => "blank",
        Some(Some(_)) => "",
    }
}

impl Diff {
    /// One frame: a row per section (part `section`) and per changed figure (part `figure`).
    pub fn frame(&self) -> PolarsResult<DataFrame> {
        let n = self.sections.len() + self.changes.len();
        let mut part = Vec::with_capacity(n);
        let mut id = Vec::with_capacity(n);
        let (mut chars, mut rep, mut rate) = (Vec::new(), Vec::new(), Vec::new());
        let (mut av, mut bv, mut change, mut note) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for s in &self.sections {
            part.push("section");
            id.push(s.section.clone());
            chars.push(Some(s.chars as i64));
            rep.push(Some(s.repeated as i64));
            rate.push(s.rate());
            av.push(None);
            bv.push(None);
            change.push(None);
            note.push(String::new());
        }
        for c in &self.changes {
            part.push("figure");
            id.push(c.cell.clone());
            chars.push(None);
            rep.push(None);
            rate.push(None);
            let (a, b) = (c.a.flatten(), c.b.flatten());
            av.push(a);
            bv.push(b);
            change.push(a.zip(b).map(|(a, b)| b - a));
            let notes: Vec<String> = [("A", c.a), ("B", c.b)]
                .iter()
                .filter(|(_, v)| !describe(*v).is_empty())
                .map(|(side, v)| format!("{} in {side}", describe(*v)))
                .collect();
            note.push(notes.join(", "));
        }
        DataFrame::new_infer_height(vec![
            Column::new("part".into(), part),
            Column::new("id".into(), id),
            Column::new("chars".into(), chars),
            Column::new("repeated_chars".into(), rep),
            Column::new("repeat_rate".into(), rate),
            Column::new("a".into(), av),
            Column::new("b".into(), bv),
            Column::new("change".into(), change),
            Column::new("note".into(), note),
        ])
    }

    /// The rows of one part (`section` or `figure`) with the columns that part uses.
    pub fn part(&self, part: &str) -> PolarsResult<DataFrame> {
        let columns: &[&str] = if part == "section" {
            &["id", "chars", "repeated_chars", "repeat_rate"]
        } else {
            &["id", "a", "b", "change", "note"]
        };
        let all = self.frame()?;
        let mask = all.column("part")?.str()?.equal(part);
        all.filter(&mask)?.select(columns.iter().copied())
    }

    /// The comparison as one JSON object: both reports, the sections and the changed figures.
    pub fn json(&self) -> Value {
        let side = |s: &Side| json!({"report": s.label, "agency": s.agency, "year": s.year});
        let value = |v: Option<Option<f64>>| match v {
            Some(Some(x)) if x.fract() == 0.0 && x.abs() < 9.0e15 => json!(x as i64),
            Some(Some(x)) => json!(x),
            _ => Value::Null,
        };
        json!({
            "a": side(&self.a),
            "b": side(&self.b),
            "repeat_rule": format!("runs of at least {RUN} characters, digits read alike"),
            "sections": self.sections.iter().map(|s| json!({
                "section": s.section, "chars": s.chars, "repeated_chars": s.repeated, "repeat_rate": s.rate()
            })).collect::<Vec<_>>(),
            "figures": self.changes.iter().map(|c| json!({
                "cell": c.cell, "a": value(c.a), "b": value(c.b),
                "a_printed": describe(c.a).is_empty() || c.a.is_some(), "b_printed": c.b.is_some(),
            })).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_runs_of_thirteen_characters_with_figures_read_alike() {
        let a = "2023年，本机关共收到政府信息公开申请21件，全部按时办结，未发生行政复议。";
        let b = "2024年，本机关共收到政府信息公开申请95件，全部按时办结，另有新情况说明。";
        let (chars, rep) = repeated(a, b);
        // `#年，本机关共收到政府信息公开申请#件，全部按时办结，` repeats; the tail does not.
        assert_eq!(chars, comparable(b).len());
        assert_eq!(rep, comparable("2024年，本机关共收到政府信息公开申请95件，全部按时办结，").len());
        assert_eq!(repeated("短句", "短句").1, 0);
        assert_eq!(repeated(a, a).1, comparable(a).len());
    }
}
