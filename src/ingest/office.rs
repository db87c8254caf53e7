//! Word (.docx) and Excel (.xlsx, .xls, .ods) readers. Both flatten the file into report text —
//! paragraphs as lines, tables as `|` rows of a dense grid — which the text reader then splits
//! (rows marked dense, like HTML tables). DOCX is read with our own walker of
//! `word/document.xml` (`w:p`, `w:tbl`, `w:gridSpan`, `w:vMerge`); spreadsheets with calamine,
//! where a row holding one text cell is a line of text and other rows are table rows.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use super::html::clean;
use super::{Limits, Place, Refusal, Rendered, looks_like_value};

fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// The text of an entity or character reference (`&amp;`, `&#x4E2D;`), by quick-xml's own
/// resolution of the XML predefined entities and character references; an unknown one is dropped.
fn entity(reference: &quick_xml::events::BytesRef) -> Result<String, Refusal> {
    if let Some(c) = reference.resolve_char_ref().map_err(|e| Refusal::from(e.to_string()))? {
        return Ok(c.to_string());
    }
    let name = reference.decode().map_err(|e| Refusal::from(e.to_string()))?;
    Ok(quick_xml::escape::resolve_xml_entity(&name).unwrap_or_default().to_string())
}

#[derive(Default)]
struct Cell {
    text: String,
    span: usize,
    /// `Some(true)` starts a vertical merge, `Some(false)` continues one.
    vmerge: Option<bool>,
}

/// Checks an archive against the decompression limits from its directory: every member's
/// declared size within the per-member limit, and their sum within the total.
fn check_archive(bytes: &[u8], limits: &Limits, what: &str) -> Result<(), Refusal> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("not a {what} (zip) file: {e}"))?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let member = archive.by_index_raw(i).map_err(|e| format!("member {i} of the archive: {e}"))?;
        let size = member.size();
        if size > limits.member_bytes {
            return Err(Refusal::Limit(format!(
                "archive member {} inflates to {size} bytes, over the limit of {} (--max-unzipped-mb)",
                member.name().unwrap_or_default(),
                limits.member_bytes
            )));
        }
        total = total.saturating_add(size);
    }
    if total > limits.archive_bytes {
        return Err(Refusal::Limit(format!(
            "the archive inflates to {total} bytes, over the limit of {} (--max-unzipped-mb)",
            limits.archive_bytes
        )));
    }
    Ok(())
}

/// Text of a .docx file's main document; each table row placed by its table (top-level tables
/// in document order) and row.
pub fn docx_to_text(bytes: &[u8], limits: &Limits) -> Result<Rendered, Refusal> {
    check_archive(bytes, limits, ".docx")?;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("not a .docx (zip) file: {e}"))?;
    let mut raw = Vec::new();
    archive
        .by_name("word/document.xml")
        .map_err(|_| "no word/document.xml: not a Word document".to_string())?
        .take(limits.member_bytes + 1)
        .read_to_end(&mut raw)
        .map_err(|e| format!("word/document.xml: {e}"))?;
    if raw.len() as u64 > limits.member_bytes {
        // The directory understated the size: what inflates counts, not what is declared.
        return Err(Refusal::Limit(format!(
            "word/document.xml inflates past the limit of {} bytes (--max-unzipped-mb)",
            limits.member_bytes
        )));
    }
    let xml = String::from_utf8(raw).map_err(|e| format!("word/document.xml: not UTF-8: {e}"))?;
    let mut reader = quick_xml::Reader::from_reader(xml.as_bytes());
    let mut buf = Vec::new();
    let mut lines: Vec<(String, Option<Place>)> = Vec::new();
    let mut tables = 0usize;
    let mut paragraph = String::new();
    let mut depth = 0usize; // table nesting
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut cell: Option<Cell> = None;
    let mut in_text = false;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| Refusal::from(format!("word/document.xml: {e}")))?;
        match event {
            Event::Start(e) | Event::Empty(e) if depth <= 1 || e.name().as_ref() == b"w:tbl" => {
                match e.name().as_ref() {
                    b"w:tbl" => {
                        depth += 1;
                        if depth == 1 {
                            tables += 1;
                        }
                    }
                    b"w:tr" if depth == 1 => rows.push(Vec::new()),
                    b"w:tc" if depth == 1 => cell = Some(Cell { span: 1, ..Cell::default() }),
                    b"w:gridSpan" => {
                        if let Some(c) = cell.as_mut() {
                            c.span = attr(&e, b"w:val").and_then(|v| v.parse().ok()).unwrap_or(1).clamp(1, 64);
                        }
                    }
                    b"w:vMerge" => {
                        if let Some(c) = cell.as_mut() {
                            c.vmerge = Some(attr(&e, b"w:val").as_deref() == Some("restart"));
                        }
                    }
                    b"w:t" => in_text = true,
                    b"w:tab" | b"w:br" => paragraph.push(' '),
                    _ => {}
                }
            }
            Event::Start(e) if e.name().as_ref() == b"w:t" => in_text = true,
            Event::End(e) => match e.name().as_ref() {
                b"w:t" => in_text = false,
                b"w:p" => {
                    let text = std::mem::take(&mut paragraph);
                    match cell.as_mut() {
                        Some(c) => {
                            c.text.push_str(&text);
                            c.text.push(' ');
                        }
                        None => lines.push((clean(&text), None)),
                    }
                }
                b"w:tc" if depth == 1 => {
                    if let (Some(c), Some(row)) = (cell.take(), rows.last_mut()) {
                        row.push(c);
                    }
                }
                b"w:tbl" => {
                    depth -= 1;
                    if depth == 0 {
                        let table = tables;
                        lines.extend(
                            grid_lines(std::mem::take(&mut rows))
                                .into_iter()
                                .map(|(row, text)| (text, Some(Place::Table { table, row }))),
                        );
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text => paragraph.push_str(&t.decode().map_err(|e| Refusal::from(e.to_string()))?),
            Event::GeneralRef(r) if in_text => paragraph.push_str(&entity(&r)?),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(Rendered::from_lines(lines.into_iter().filter(|(l, _)| !l.is_empty()).collect()))
}

/// Table rows → `|` lines of a dense grid, each with its 1-based row: a gridSpan leaves the
/// spanned columns empty; a vMerge continuation repeats the label above it (not a number).
fn grid_lines(rows: Vec<Vec<Cell>>) -> Vec<(usize, String)> {
    let mut grid: Vec<Vec<String>> = Vec::new();
    for row in rows {
        let mut out: Vec<String> = Vec::new();
        for c in row {
            let col = out.len();
            let mut text = clean(&c.text).replace('|', "｜");
            if c.vmerge == Some(false) {
                let above = grid.last().and_then(|r| r.get(col)).cloned().unwrap_or_default();
                text = if looks_like_value(&above) { String::new() } else { above };
            }
            out.push(text);
            out.extend(std::iter::repeat_n(String::new(), c.span - 1));
        }
        grid.push(out);
    }
    grid.into_iter()
        .enumerate()
        .filter(|(_, r)| r.iter().any(|c| !c.is_empty()))
        .map(|(i, r)| (i + 1, format!("| {} |", r.join(" | "))))
        .collect()
}

/// Refuses an .xlsx whose sheets reach for cells far beyond any report table (from the cell
/// references and `<dimension>` of every XML member, before calamine reads them):
/// calamine sizes a sheet's grid from them, so a sheet naming cell XFD1048576 would take hundreds
/// of gigabytes.
fn check_sheet_extent(bytes: &[u8], limits: &Limits) -> Result<(), Refusal> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(()) };
    for i in 0..archive.len() {
        let Ok(member) = archive.by_index(i) else { continue };
        let name = member.name().map(|n| n.to_string()).unwrap_or_default();
        // Every XML member, not only `xl/worksheets/`: calamine finds a sheet through the
        // workbook's relationships, whatever its member is called (a fuzzer found `xl/wOrksheets/`).
        if !name.to_ascii_lowercase().ends_with(".xml") {
            continue;
        }
        let mut xml = Vec::new();
        member.take(limits.member_bytes).read_to_end(&mut xml).map_err(|e| Refusal::from(format!("{name}: {e}")))?;
        let (rows, cols) = sheet_extent(&xml);
        if rows.saturating_mul(cols) > limits.sheet_cells {
            return Err(Refusal::Limit(format!(
                "{name} spans {rows} rows × {cols} columns, over the limit of {} cells (--max-sheet-cells)",
                limits.sheet_cells
            )));
        }
    }
    Ok(())
}

/// The largest row and column a worksheet's XML names, in its cell references (`r`, `ref`,
/// `sqref` attributes), read as calamine reads them: letters of either case are column digits.
fn sheet_extent(xml: &[u8]) -> (u64, u64) {
    let (mut rows, mut cols) = (0u64, 0u64);
    let mut at = 0;
    while let Some(found) = xml[at..].windows(2).position(|w| w == b"=\"") {
        let eq = at + found;
        at = eq + 2;
        let name_start = xml[..eq].iter().rposition(|b| !b.is_ascii_alphabetic()).map_or(0, |p| p + 1);
        if !matches!(&xml[name_start..eq], b"r" | b"ref" | b"sqref") {
            continue;
        }
        let value = xml[at..].split(|b| *b == b'"').next().unwrap_or(&[]);
        for cell in value.split(|b| *b == b':' || b.is_ascii_whitespace()) {
            let letters = cell.iter().take_while(|b| b.is_ascii_alphabetic()).count();
            let digits = &cell[letters..];
            if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                continue;
            }
            let col = cell[..letters]
                .iter()
                .fold(0u64, |c, b| c.saturating_mul(26).saturating_add(u64::from(b.to_ascii_uppercase() - b'A' + 1)));
            let row = digits.iter().fold(0u64, |r, b| r.saturating_mul(10).saturating_add(u64::from(b - b'0')));
            rows = rows.max(row);
            cols = cols.max(col);
        }
    }
    (rows, cols)
}

/// Text of a spreadsheet (.xlsx, .xlsm, .xls, .ods): every sheet in order, each line placed by
/// its sheet, row and first column.
pub fn spreadsheet_to_text(bytes: &[u8], limits: &Limits) -> Result<Rendered, Refusal> {
    use calamine::{Data, Reader, open_workbook_auto_from_rs};
    // .xlsx/.xlsm/.ods are zip archives (calamine inflates them itself). A zip archive is read
    // from its end, so bytes that do not start with `PK` may still be one (a fuzzer found it):
    // whatever parses as an archive is checked.
    if bytes.starts_with(b"PK") || zip::ZipArchive::new(Cursor::new(bytes)).is_ok() {
        check_archive(bytes, limits, "spreadsheet")?;
        check_sheet_extent(bytes, limits)?;
    }
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| Refusal::from(format!("not a readable spreadsheet: {e}")))?;
    let mut lines: Vec<(String, Option<Place>)> = Vec::new();
    for name in book.sheet_names().to_vec() {
        let range = book.worksheet_range(&name).map_err(|e| Refusal::from(format!("sheet {name}: {e}")))?;
        // The range starts at its first used cell: row and column numbers as Excel shows them.
        let (top, left) = range.start().map_or((1, 1), |(r, c)| (r as usize + 1, c as usize + 1));
        let place = |row: usize, first_col: usize| Some(Place::Sheet { sheet: name.clone(), row, first_col });
        // A block of consecutive table rows is one table: cut it to its own width, since a sheet
        // holding several tables is as wide as the widest.
        let mut block: Vec<(usize, Vec<String>)> = Vec::new();
        let flush = |block: &mut Vec<(usize, Vec<String>)>, lines: &mut Vec<(String, Option<Place>)>| {
            let width =
                block.iter().filter_map(|(_, r)| r.iter().rposition(|c| !c.is_empty())).max().map_or(0, |w| w + 1);
            lines.extend(
                block
                    .drain(..)
                    .map(|(row, r)| (format!("| {} |", r[..width.min(r.len())].join(" | ")), place(row, left))),
            );
        };
        for (i, row) in range.rows().enumerate() {
            let cells: Vec<String> = row
                .iter()
                .map(|d| match d {
                    Data::Empty => String::new(),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                    Data::Float(f) => format!("{f}"),
                    Data::Int(i) => i.to_string(),
                    other => clean(&other.to_string()).replace('|', "｜"),
                })
                .collect();
            let filled: Vec<&String> = cells.iter().filter(|c| !c.is_empty()).collect();
            match filled.len() {
                0 => flush(&mut block, &mut lines),
                1 if !looks_like_value(filled[0]) => {
                    flush(&mut block, &mut lines);
                    let col = cells.iter().position(|c| !c.is_empty()).unwrap_or(0);
                    lines.push((filled[0].clone(), place(top + i, left + col)));
                }
                _ => block.push((top + i, cells)),
            }
        }
        flush(&mut block, &mut lines);
    }
    Ok(Rendered::from_lines(lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_predefined_entities_and_character_references() {
        let mut reader = quick_xml::Reader::from_str("<t>&amp;&#x4E2D;&#25991;&lt;&bogus;</t>");
        let mut out = String::new();
        loop {
            match reader.read_event().unwrap() {
                Event::GeneralRef(r) => out.push_str(&entity(&r).unwrap()),
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(out, "&中文<");
    }

    #[test]
    fn names_spreadsheet_columns_and_sizes_sheets_as_calamine_reads_them() {
        assert_eq!(crate::model::column_letters(1), "A");
        assert_eq!(crate::model::column_letters(28), "AB");
        assert_eq!(sheet_extent(br#"<dimension ref="A1:O70"/><c r="Fstream53">"#).0, 70);
        // Lowercase letters are column digits to calamine: `Fstream53` is far to the right.
        assert!(sheet_extent(br#"<c r="Fstream53">"#).1 > 1_000_000_000);
    }
}
