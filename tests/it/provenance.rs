//! Provenance to the source cell (issue 12): every fact of an HTML page, a Word document, a
//! spreadsheet and a PDF names its place in the file in the file's own terms, and the place is
//! checked by opening the file independently of the reader (calamine for the spreadsheet, the
//! HTML and the Word XML parsed here); `xxgk explain` shows it with the findings that name it.

use std::path::Path;

use xxgk::normalize::Fact;

use crate::common::*;

/// `(table, row, column)` of a `table T, row R, column C (…)` locator.
fn table_place(locator: &str) -> Option<(usize, usize, usize)> {
    let rest = locator.strip_prefix("table ")?;
    let (place, _) = rest.split_once(" (")?;
    let nums: Vec<usize> = place.split(", ").map(|p| p.split(' ').next_back()?.parse().ok()).collect::<Option<_>>()?;
    match nums[..] {
        [t, r, c] => Some((t, r, c)),
        _ => None,
    }
}

fn facts_of(path: &Path) -> Vec<Fact> {
    let (report, _) = process(path);
    assert!(report.facts.len() > 100, "{}: only {} facts", path.display(), report.facts.len());
    report.facts
}

#[test]
fn spreadsheet_facts_name_the_cell_that_holds_them() {
    use calamine::{Data, Reader, open_workbook_auto};
    let path = fixtures().join("formats/2024-hangzhou-linping-district-xlsx.xlsx");
    let facts = facts_of(&path);
    let mut book = open_workbook_auto(&path).unwrap();
    for f in &facts {
        // `sheet NAME, cell D38 (text line 38)`
        let locator = f.locator();
        let place = locator.strip_prefix("sheet ").and_then(|r| r.split_once(" (")).map(|(p, _)| p);
        let (sheet, cell) = place.and_then(|p| p.rsplit_once(", cell ")).unwrap_or_else(|| panic!("{f:?}"));
        let letters: String = cell.chars().take_while(|c| c.is_ascii_uppercase()).collect();
        let row: u32 = cell[letters.len()..].parse().unwrap();
        let col = letters.bytes().fold(0u32, |c, b| c * 26 + u32::from(b - b'A' + 1));
        let range = book.worksheet_range(sheet).unwrap();
        let text = match range.get_value((row - 1, col - 1)) {
            Some(Data::Float(v)) if v.fract() == 0.0 => format!("{}", *v as i64),
            Some(Data::Empty) | None => String::new(),
            Some(other) => other.to_string(),
        };
        assert_eq!(text.trim(), f.raw.trim(), "{}.{}.{} at {}", f.table, f.row, f.col, f.locator());
    }
}

/// The texts of the cells of row `row` (1-based) of the `table`-th `<table>` of the page.
fn html_row(html: &str, table: usize, row: usize) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let tables = scraper::Selector::parse("table").unwrap();
    let t = doc.select(&tables).nth(table - 1).expect("the table");
    let rows: Vec<scraper::ElementRef> = t
        .children()
        .filter_map(scraper::ElementRef::wrap)
        .flat_map(|c| match c.value().name() {
            "tr" => vec![c],
            _ => c.children().filter_map(scraper::ElementRef::wrap).filter(|r| r.value().name() == "tr").collect(),
        })
        .collect();
    rows[row - 1]
        .children()
        .filter_map(scraper::ElementRef::wrap)
        .map(|c| xxgk::ingest::html::clean(&c.text().collect::<String>()))
        .collect()
}

#[test]
fn html_facts_name_their_table_row_and_column() {
    let path = fixture_report("2023-shuyang-development-reform-bureau");
    let html = xxgk::ingest::html::decode(&std::fs::read(&path).unwrap());
    let facts = facts_of(&path);
    for f in &facts {
        let (table, row, column) = table_place(&f.locator()).unwrap_or_else(|| panic!("{f:?}"));
        let cells = html_row(&html, table, row);
        assert!(column >= 1, "{f:?}");
        if !f.raw.trim().is_empty() {
            assert!(cells.iter().any(|c| c == f.raw.trim()), "{} not in table {table} row {row}: {cells:?}", f.raw);
        }
    }
    // A cell checked by hand: 予以公开, 总计 (the tenth grid column: three label columns, then
    // 自然人, five 法人或其他组织 columns, 总计).
    let granted = facts.iter().find(|f| f.row == "granted" && f.col == "total").unwrap();
    assert!(granted.locator().starts_with("table 3, row 6, column 10 "), "{}", granted.locator());
}

#[test]
fn word_facts_name_their_table_and_row() {
    use quick_xml::events::Event;
    let path = fixtures().join("formats/2024-hangzhou-linping-district-docx.docx");
    let facts = facts_of(&path);
    // The document's top-level tables as rows of cell texts, parsed here.
    let bytes = std::fs::read(&path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut tables, mut depth): (Vec<Vec<String>>, usize) = (Vec::new(), 0);
    let mut in_text = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == b"w:tbl" => {
                depth += 1;
                if depth == 1 {
                    tables.push(Vec::new());
                }
            }
            Event::End(e) if e.name().as_ref() == b"w:tbl" => depth -= 1,
            Event::Start(e) if e.name().as_ref() == b"w:tr" && depth == 1 => {
                tables.last_mut().unwrap().push(String::new())
            }
            Event::Start(e) if e.name().as_ref() == b"w:t" => in_text = true,
            Event::End(e) if e.name().as_ref() == b"w:t" => in_text = false,
            Event::End(e) if e.name().as_ref() == b"w:tc" && depth == 1 => {
                tables.last_mut().unwrap().last_mut().unwrap().push('|')
            }
            Event::Text(t) if in_text && depth >= 1 => {
                tables.last_mut().unwrap().last_mut().unwrap().push_str(&t.decode().unwrap())
            }
            Event::Eof => break,
            _ => {}
        }
    }
    for f in &facts {
        let (table, row, _) = table_place(&f.locator()).unwrap_or_else(|| panic!("{f:?}"));
        let cells: Vec<&str> = tables[table - 1][row - 1].split('|').map(str::trim).collect();
        if !f.raw.trim().is_empty() {
            assert!(cells.contains(&f.raw.trim()), "{} not in table {table} row {row}: {cells:?}", f.raw);
        }
    }
}

#[test]
fn pdf_facts_name_their_page_line_and_cell() {
    let path = fixtures().join("formats/2022-example-county-pdf.pdf");
    let facts = facts_of(&path);
    let text = xxgk::ingest::text_of(&path).unwrap();
    let pages: Vec<Vec<&str>> = text.split("\x0c\n").map(|p| p.lines().collect()).collect();
    for f in &facts {
        // `page 1, line 37, cell 2 (text line 37)`
        let locator = f.locator();
        let place = locator.split_once(" (").map(|(p, _)| p).unwrap_or_else(|| panic!("{f:?}"));
        let nums: Vec<usize> = place.split(", ").map(|p| p.rsplit(' ').next().unwrap().parse().unwrap()).collect();
        let [page, line, cell] = nums[..] else { panic!("{f:?}") };
        let (cells, _) = xxgk::ingest::split_cells(pages[page - 1][line - 1]).unwrap();
        assert_eq!(cells[cell - 1].trim(), f.raw.trim(), "{f:?}");
    }
}

#[test]
fn explain_shows_where_a_value_came_from_and_the_findings_that_name_it() {
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wh");
    ingest_listed(&fixture_report("2019-shanghai-municipal-general-office"), &wh);
    let found = xxgk::query::explain::explain(&wh, "2019-shanghai", "requests.granted.total").unwrap();
    let facts = xxgk::query::export::records(&found.facts);
    assert_eq!(facts.len(), 1);
    let locator = facts[0]["locator"].as_str().unwrap();
    assert!(locator.starts_with("table 2, row 6, column 10 (text line"), "{locator}");
    let rules: Vec<String> =
        xxgk::query::export::records(&found.findings).iter().map(|r| r["rule"].as_str().unwrap().to_string()).collect();
    assert!(rules.contains(&"prose.disclosed_total".to_string()), "{rules:?}");
    // A cell the report does not have, and a report the warehouse does not hold, are named.
    let missing = xxgk::query::explain::explain(&wh, "2019-shanghai", "requests.no_such_row.total").err().unwrap();
    assert!(missing.to_string().contains("no cell 'requests.no_such_row.total'"), "{missing}");
    let unknown = xxgk::query::explain::explain(&wh, "2031-nowhere", "requests.granted.total").err().unwrap();
    assert!(unknown.to_string().contains("no report '2031-nowhere'"), "{unknown}");
}

#[test]
fn places_come_back_from_the_sandboxed_reader_and_explain_prints_them() {
    let dir = tempfile::tempdir().unwrap();
    let wh = dir.path().join("wh");
    let xlsx = fixtures().join("formats/2024-hangzhou-linping-district-xlsx.xlsx");
    let bin = env!("CARGO_BIN_EXE_xxgk");
    let ingest = std::process::Command::new(bin)
        .args(["ingest", "--quiet", "--warehouse"])
        .arg(&wh)
        .arg(&xlsx)
        .output()
        .unwrap();
    assert!(ingest.status.success(), "{}", String::from_utf8_lossy(&ingest.stderr));
    let out = std::process::Command::new(bin)
        .args(["explain", "linping-district-xlsx", "requests.granted.natural_person", "--warehouse"])
        .arg(&wh)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("sheet 年度报告, cell D38 (text line 38)"), "{stdout}");
}
