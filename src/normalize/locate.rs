//! A fact's locator in the user's terms. Readers of rendered formats (HTML, Word, spreadsheets,
//! PDF) say where each line of their text came from ([`crate::ingest::Place`]); here each fact
//! is matched to the cell of its line that holds its text, and its locator becomes that place —
//! `table 3, row 7, column 9`, `sheet 表1, cell I7`, `page 2, line 14, cell 3` — followed by the
//! line of the rendered text it was read from (what `examples/dump_text.rs` prints). Facts of
//! text files keep `line N`: their lines are the user's own.

use std::collections::BTreeMap;

use super::Fact;
use crate::ingest::{Document, RawRow};

/// Rewrites the locators of `facts` read from lines `doc` can place.
pub fn locate(doc: &Document, facts: &mut [Fact]) {
    if doc.places.is_empty() {
        return;
    }
    let rows: BTreeMap<usize, &RawRow> =
        doc.sections.iter().flat_map(|s| s.table.rows.iter()).map(|r| (r.line, r)).collect();
    let mut by_line: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, f) in facts.iter().enumerate() {
        by_line.entry(f.line).or_default().push(i);
    }
    for (line, indices) in by_line {
        let Some(place) = doc.places.get(&line) else { continue };
        let raws: Vec<&str> = indices.iter().map(|&i| crate::ingest::trim(&facts[i].raw)).collect();
        let cells = rows.get(&line).map(|r| cells_of(r, &raws)).unwrap_or_default();
        for (k, &i) in indices.iter().enumerate() {
            facts[i].at.place = place.at(cells.get(k).copied().flatten());
        }
    }
}

/// The cell of `row` each of `raws` (the texts of the facts read from it, in reading order) was
/// read from: the row's last cells when they hold exactly these texts (a table's value columns
/// end it), else each the first cell after the previous one, among the value cells, holding its
/// text.
fn cells_of(row: &RawRow, raws: &[&str]) -> Vec<Option<usize>> {
    let cells: Vec<&str> = row.cells.iter().map(|c| crate::ingest::trim(c)).collect();
    if let Some(start) = cells.len().checked_sub(raws.len())
        && cells[start..] == *raws
    {
        return (start..cells.len()).map(Some).collect();
    }
    let mut from = super::rows::split(row).first_value;
    raws.iter()
        .map(|raw| {
            let found = cells.iter().skip(from).position(|c| c == raw).map(|i| i + from)?;
            from = found + 1;
            Some(found)
        })
        .collect()
}
