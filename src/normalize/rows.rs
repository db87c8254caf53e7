//! Raw row → label cells and value cells, shared by the three table readers.

use crate::ingest::{CellLayout, RawRow, is_blank, looks_like_value};

use std::sync::Arc;

use super::Fact;
use super::number::{Cell, parse_cell};
use crate::model::{FilePlace, Locator, Placement};

/// A raw row split at its last label cell: everything after it is a value cell.
#[derive(Debug, Clone)]
pub struct SplitRow<'a> {
    pub line: usize,
    pub layout: CellLayout,
    /// Index of the first value cell in the raw row.
    pub first_value: usize,
    pub labels: Vec<&'a str>,
    pub values: Vec<&'a str>,
}

impl<'a> SplitRow<'a> {
    /// Number of value cells that parse as numbers.
    pub fn numbers(&self) -> usize {
        self.values.iter().filter(|v| parse_cell(v).value.is_some()).count()
    }

    /// The label cells joined, as printed.
    pub fn label_text(&self) -> Arc<str> {
        self.labels.join(" ").into()
    }

    /// The value cells cut to exactly `n`: in a dense grid the last `n` cells (the value
    /// columns end the table); otherwise by dropping empty cells at the ends (merge artifacts of
    /// `|` exports). `None` when that cannot give `n` cells.
    pub fn window(&self, n: usize) -> Option<Vec<&'a str>> {
        let mut v: &[&'a str] = &self.values;
        if self.layout == CellLayout::Dense && v.len() >= n {
            return Some(v[v.len() - n..].to_vec());
        }
        while v.len() > n && v.last().is_some_and(|c| is_blank(c)) {
            v = &v[..v.len() - 1];
        }
        while v.len() > n && v.first().is_some_and(|c| is_blank(c)) {
            v = &v[1..];
        }
        (v.len() == n).then(|| v.to_vec())
    }
}

/// Splits a raw row: label cells are the non-empty cells up to the last one that is not a value.
pub fn split(row: &RawRow) -> SplitRow<'_> {
    let last_label = row.cells.iter().rposition(|c| !is_blank(c) && !looks_like_value(c));
    let (labels, values) = match last_label {
        Some(i) => (&row.cells[..=i], &row.cells[i + 1..]),
        None => (&row.cells[..0], &row.cells[..]),
    };
    SplitRow {
        line: row.line,
        layout: row.layout,
        first_value: last_label.map(|i| i + 1).unwrap_or(0),
        labels: labels.iter().map(|c| c.as_str()).filter(|c| !is_blank(c)).collect(),
        values: values.iter().map(|c| c.as_str()).collect(),
    }
}

/// Builds a fact from a cell's text.
pub fn fact(
    table: crate::model::Table,
    row: &'static str,
    col: &'static str,
    raw: &str,
    label_raw: &Arc<str>,
    line: usize,
    placed: Placement,
) -> Fact {
    let Cell { value, blank_kind, unit } = parse_cell(raw);
    Fact {
        table,
        row,
        col,
        value,
        blank_kind,
        raw: raw.into(),
        label_raw: Arc::clone(label_raw),
        unit,
        line,
        at: Locator { place: FilePlace::Text, placed },
    }
}
