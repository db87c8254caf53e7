//! The HTML reader: portal pages, Word-exported HTML and bare fragments. The page is decoded
//! (BOM → `<meta charset>` → UTF-8 check → GB18030), parsed into the reader's tree (`dom`) by
//! the fast builder or, for a page it does not handle, by html5ever (browser rules for unclosed
//! cells and nested tables), narrowed to the report body (`<ucapcontent>` or the
//! element holding the section headings), and flattened into text: block elements become lines
//! and every table becomes `|` rows of a dense grid (rowspan/colspan expanded) that the text
//! reader splits like a portal export. A colspan leaves the spanned cells empty; a rowspan
//! repeats a label downwards (not a number). The page chrome (`<title>`, portal meta tags, the
//! metadata table's 发布机构 / 来源 / dates, breadcrumbs) is kept as `key：value` lines before
//! the report for the metadata inference. Each table row keeps its place: the table (every
//! `<table>` of the page, in document order) and its row.

use scraper::Html;

use super::dom::{Attr, Data, Dom, Id};
use super::html_chrome::page_metadata;
use super::{Place, Rendered};

/// Decodes HTML bytes: BOM, then a charset declared in the first 4 KB (a declared legacy charset
/// yields to bytes that are valid UTF-8), then UTF-8, then GB18030.
pub fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0.into_owned();
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let declared = head.find("charset=").map(|i| {
        head[i + 8..]
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect::<String>()
    });
    // Validated once (twice was 1.4% of an ingest's instructions).
    let utf8 = std::str::from_utf8(bytes).ok();
    if let Some(label) = declared.as_deref().and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes())) {
        // Bytes that are valid UTF-8 beyond ASCII are UTF-8, whatever the page declares (a page
        // saved as UTF-8 often keeps its original `charset=gbk`).
        let beyond_ascii = utf8.is_some() && !bytes.is_ascii();
        if label != encoding_rs::UTF_8 && !beyond_ascii {
            return label.decode_without_bom_handling(bytes).0.into_owned();
        }
    }
    match utf8 {
        Some(text) => text.to_string(),
        None => encoding_rs::GB18030.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "br",
    "tr",
    "center",
    "blockquote",
    "ucapcontent",
    "body",
    "dd",
    "dt",
];
pub(super) const SKIP: &[&str] =
    &["script", "style", "noscript", "head", "template", "iframe", "button", "select", "option"];

/// Flattens an HTML page into report text (see the module docs): the tree from the fast
/// builder when the page is simple enough for it, else from html5ever.
pub fn to_text(html: &str) -> String {
    flatten(&tree(html)).text
}

/// The page's tree: the fast builder's when the page is simple enough for it, else html5ever's.
fn tree(html: &str) -> Dom<'_> {
    super::html_fast::parse(html, usize::MAX).unwrap_or_else(|| html5ever_tree(html))
}

/// html5ever's tree of a page, as the reader's tree.
pub fn html5ever_tree(html: &str) -> Dom<'static> {
    Dom::from_html5ever(&Html::parse_document(html))
}

/// The page's text with the place of each table row (see [`to_text`]), for a page whose
/// elements nest at most `max_depth` deep; a deeper page is refused before html5ever parses it
/// or the flattening walks it (both grow with the depth), and the fast builder stops at the
/// limit by itself.
pub fn render_limited(html: &str, max_depth: usize) -> Result<Rendered, super::Refusal> {
    let too_deep = |depth: usize| {
        super::Refusal::Limit(format!("elements nest {depth} deep, over the limit of {max_depth} (--max-depth)"))
    };
    let doc = match super::html_fast::parse(html, max_depth) {
        Some(doc) => doc,
        None => {
            // html5ever's tree building and the flattening walk grow with the depth: a page
            // whose tags alone nest too deep is refused before html5ever reads it. (The fast
            // builder stops by itself past the limit; its tree is measured below.)
            let estimate = nesting_estimate(html);
            if estimate > max_depth {
                return Err(too_deep(estimate));
            }
            html5ever_tree(html)
        }
    };
    let depth = doc.depth();
    if depth > max_depth {
        return Err(too_deep(depth));
    }
    Ok(flatten(&doc))
}

/// Elements a page closes explicitly (no sibling or parent closes them implicitly): their open
/// count minus their close count bounds the nesting from below, before anything is parsed.
#[rustfmt::skip]
const EXPLICITLY_CLOSED: &[&str] = &[
    "div", "span", "table", "section", "article", "font", "b", "i", "u", "ul", "ol", "blockquote", "center",
    "strong", "em", "small", "big", "sub", "sup", "form", "fieldset", "nav", "header", "footer", "main", "aside",
];

/// The longest name in [`EXPLICITLY_CLOSED`].
const LONGEST_CLOSED: usize = 10;

/// The deepest nesting of explicitly closed elements, from the tags alone (one pass, no tree).
fn nesting_estimate(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off + 1;
        let close = bytes.get(i) == Some(&b'/');
        let start = if close { i + 1 } else { i };
        let end = bytes[start..].iter().position(|b| !b.is_ascii_alphanumeric()).map_or(bytes.len(), |p| start + p);
        if end == start || end - start > LONGEST_CLOSED {
            i = end;
            continue;
        }
        // Lowered into a buffer on the stack, not a copy on the heap per tag.
        let mut buf = [0u8; LONGEST_CLOSED];
        let name = &mut buf[..end - start];
        name.copy_from_slice(&bytes[start..end]);
        name.make_ascii_lowercase();
        if EXPLICITLY_CLOSED.iter().any(|n| n.as_bytes() == name) {
            let self_closing =
                bytes[end..].iter().position(|b| *b == b'>').is_some_and(|p| p > 0 && bytes[end + p - 1] == b'/');
            if close {
                depth = depth.saturating_sub(1);
            } else if !self_closing {
                depth += 1;
                max = max.max(depth);
            }
        }
        i = end;
    }
    max
}

/// The fast builder's tree of a page, `None` when the page needs html5ever (the reader then
/// builds [`html5ever_tree`]). For the parser benchmark (`examples/html_parsers.rs`).
pub fn fast_tree(html: &str) -> Option<Dom<'_>> {
    super::html_fast::parse(html, usize::MAX)
}

/// The report text of a page's tree (see [`to_text`]).
pub fn tree_text(doc: &Dom) -> String {
    flatten(doc).text
}

/// Both trees of a page flattened, for the differential check of the fast builder
/// (`tests/it/accuracy.rs`, the fuzzer's `html-tree` target): the text of the fast builder's
/// tree and the text of html5ever's tree. `None` when the builder gives up, or when the page
/// nests deeper than `max_depth`, as [`render_limited`] measures it (the reader refuses such a
/// page before flattening it).
pub fn fast_and_html5ever_text(html: &str, max_depth: usize) -> Option<(String, String)> {
    if nesting_estimate(html) > max_depth {
        return None;
    }
    let fast = super::html_fast::parse(html, max_depth)?;
    if fast.depth() > max_depth {
        return None;
    }
    Some((flatten(&fast).text, flatten(&html5ever_tree(html)).text))
}

/// Lines of the flattened page, each with its place when it is a table row.
type Lines = Vec<(String, Option<Place>)>;

fn flatten(doc: &Dom) -> Rendered {
    let mut lines: Lines = page_metadata(doc).into_iter().map(|l| (l, None)).collect();
    let root = report_root(doc);
    // Tables are numbered as the user finds them in the page: every <table>, in document order
    // (the tree's ids are in document order).
    let tables: Vec<Id> = (0..doc.len() as Id).filter(|&i| doc.name(i) == "table").collect();
    let mut current = String::new();
    walk(doc, root, &tables, &mut lines, &mut current);
    flush(&mut lines, &mut current);
    Rendered::from_lines(lines)
}

/// The element holding the report: `<ucapcontent>` when the portal has it, else the smallest
/// element whose text holds both the first and the last section heading, else the `<html>`
/// element.
fn report_root(doc: &Dom) -> Id {
    if let Some(e) = doc.first_named("ucapcontent") {
        return e;
    }
    let html = doc.children(doc.root()).find(|&c| doc.as_element(c).is_some()).unwrap_or(doc.root());
    let (mut best, mut best_len) = (html, text_of(doc, html).len());
    for e in (0..doc.len() as Id).filter(|&i| matches!(doc.name(i), "div" | "td" | "article" | "section")) {
        let text = text_of(doc, e);
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if t.contains("总体情况") && t.contains("收到和处理政府信息公开申请情况") && t.len() < best_len
        {
            (best, best_len) = (e, text.len());
        }
    }
    best
}

/// Whether the element or one above it is one whose text the reader leaves out.
fn skipped(doc: &Dom, e: Id) -> bool {
    let mut at = Some(e);
    while let Some(id) = at {
        if SKIP.contains(&doc.name(id)) {
            return true;
        }
        at = doc.parent(id);
    }
    false
}

/// The text of an element and its descendants, a space for each `<br>` and `<p>`, without the
/// text of elements the reader leaves out ([`SKIP`]).
fn text_of(doc: &Dom, e: Id) -> String {
    let mut s = String::new();
    let all_skipped = skipped(doc, e);
    let (mut i, end) = (e, doc.end(e));
    while i < end {
        match doc.data(i) {
            Data::Text(t) if !all_skipped => s.push_str(t),
            Data::Element(el) => {
                if el.name == "br" || el.name == "p" {
                    s.push(' ');
                }
                if !all_skipped && SKIP.contains(&el.name.as_ref()) {
                    // Its texts are left out; its `<br>` and `<p>` still count as spaces.
                    s.extend((i + 1..doc.end(i)).filter(|&d| matches!(doc.name(d), "br" | "p")).map(|_| ' '));
                    i = doc.end(i);
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    s
}

/// Collapses whitespace (incl. U+00A0, U+3000) and removes spaces between CJK characters.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last: Option<char> = None;
    for word in text.split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}').filter(|w| !w.is_empty()) {
        if let (Some(a), Some(b)) = (last, word.chars().next())
            && !is_cjk(a)
            && !is_cjk(b)
        {
            out.push(' ');
        }
        out.push_str(word);
        last = word.chars().next_back();
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

fn flush(lines: &mut Lines, current: &mut String) {
    let t = clean(current);
    if !t.is_empty() {
        lines.push((t, None));
    }
    current.clear();
}

fn walk(doc: &Dom, e: Id, tables: &[Id], lines: &mut Lines, current: &mut String) {
    for child in doc.children(e) {
        match doc.data(child) {
            Data::Text(t) => current.push_str(t),
            Data::Element(el) => {
                let name = el.name.as_ref();
                if SKIP.contains(&name) {
                    continue;
                }
                if name == "table" {
                    flush(lines, current);
                    let table = tables.binary_search(&child).map_or(0, |k| k + 1);
                    lines.extend(
                        table_rows(doc, child).into_iter().map(|(row, text)| (text, Some(Place::Table { table, row }))),
                    );
                    continue;
                }
                let block = BLOCKS.contains(&name);
                if block {
                    flush(lines, current);
                }
                walk(doc, child, tables, lines, current);
                if block {
                    flush(lines, current);
                }
            }
            Data::Document => {}
        }
    }
}

/// A table as `|` rows of its dense grid, each with its 1-based row in the table (rows with no
/// text are left out). Nested tables are flattened into their cell's text.
fn table_rows(doc: &Dom, table: Id) -> Vec<(usize, String)> {
    let mut rows: Vec<Id> = Vec::new();
    for child in doc.children(table) {
        match doc.name(child) {
            "tr" => rows.push(child),
            "thead" | "tbody" | "tfoot" => rows.extend(doc.children(child).filter(|&r| doc.name(r) == "tr")),
            _ => {}
        }
    }
    let mut grid: Vec<Vec<Option<String>>> = Vec::new();
    // (column, remaining rows, text) of cells spanning down.
    let mut pending: Vec<(usize, usize, String)> = Vec::new();
    for row in rows {
        let mut cells: Vec<Option<String>> = Vec::new();
        let mut col = 0;
        let place_pending =
            |cells: &mut Vec<Option<String>>, col: &mut usize, pending: &mut Vec<(usize, usize, String)>| {
                while let Some(p) = pending.iter_mut().find(|p| p.0 == *col && p.1 > 0) {
                    if cells.len() <= *col {
                        cells.resize(*col + 1, None);
                    }
                    cells[*col] = Some(p.2.clone());
                    p.1 -= 1;
                    *col += 1;
                }
            };
        for cell in doc.children(row).filter(|&c| matches!(doc.name(c), "td" | "th")) {
            place_pending(&mut cells, &mut col, &mut pending);
            let text = clean(&text_of(doc, cell)).replace('|', "｜");
            let span = |attr: Attr| {
                doc.as_element(cell)
                    .and_then(|e| e.attr(attr))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 100)
            };
            let (colspan, rowspan) = (span(Attr::Colspan), span(Attr::Rowspan));
            if cells.len() < col + colspan {
                cells.resize(col + colspan, None);
            }
            cells[col] = Some(text.clone());
            for cell in &mut cells[col + 1..col + colspan] {
                *cell = Some(String::new());
            }
            if rowspan > 1 {
                let down = if crate::ingest::looks_like_value(&text) { String::new() } else { text.clone() };
                for c in col..col + colspan {
                    pending.retain(|p| p.0 != c);
                    pending.push((c, rowspan - 1, if c == col { down.clone() } else { String::new() }));
                }
            }
            col += colspan;
        }
        place_pending(&mut cells, &mut col, &mut pending);
        grid.push(cells);
    }
    grid.into_iter()
        .map(|cells| cells.into_iter().map(Option::unwrap_or_default).collect::<Vec<_>>())
        .enumerate()
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
        .map(|(i, cells)| (i + 1, format!("| {} |", cells.join(" | "))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_rowspan_and_colspan_into_a_dense_grid() {
        let html = "<table><tr><td rowspan=2>三、本年度办理结果</td><td>（一）予以公开</td><td>5</td></tr>\
                    <tr><td>（二）部分公开</td><td>1</td></tr><tr><td colspan=2>（七）总计</td><td>6</td></tr></table>";
        let text = to_text(html);
        assert_eq!(
            text.lines().collect::<Vec<_>>(),
            vec![
                "| 三、本年度办理结果 | （一）予以公开 | 5 |",
                "| 三、本年度办理结果 | （二）部分公开 | 1 |",
                "| （七）总计 |  | 6 |"
            ]
        );
    }

    #[test]
    fn joins_split_runs_and_blanks_nbsp() {
        let html = "<p>一、<span>总体</span><font>情况</font></p><table><tr><td><p><span>1</span><span>2</span></p></td><td>&nbsp;</td><td>自然<br>人</td></tr></table>";
        let text = to_text(html);
        assert_eq!(text, "一、总体情况\n| 12 |  | 自然人 |\n");
    }

    #[test]
    fn the_nesting_estimate_buffer_holds_every_closed_name() {
        assert_eq!(EXPLICITLY_CLOSED.iter().map(|n| n.len()).max(), Some(LONGEST_CLOSED));
        assert_eq!(nesting_estimate("<DIV><Blockquote><div/><span></span></blockquote>"), 3);
    }

    #[test]
    fn decodes_declared_gbk() {
        let (bytes, _, _) = encoding_rs::GBK.encode("<meta charset=gbk><p>总计</p>");
        assert!(decode(&bytes).contains("总计"));
        // Saved as UTF-8 but still declaring gbk.
        assert!(decode("<meta charset=gbk><p>总计</p>".as_bytes()).contains("总计"));
    }
}
