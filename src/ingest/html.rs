//! The HTML reader: portal pages, Word-exported HTML and bare fragments. The page is decoded
//! (BOM → `<meta charset>` → UTF-8 check → GB18030), parsed with html5ever (browser rules for
//! unclosed cells and nested tables), narrowed to the report body (`<ucapcontent>` or the
//! element holding the section headings), and flattened into text: block elements become lines
//! and every table becomes `|` rows of a dense grid (rowspan/colspan expanded) that the text
//! reader splits like a portal export. A colspan leaves the spanned cells empty; a rowspan
//! repeats a label downwards (not a number). The page chrome (`<title>`, portal meta tags, the
//! metadata table's 发布机构 / 来源 / dates, breadcrumbs) is kept as `key：value` lines before
//! the report for the metadata inference. Each table row keeps its place: the table (every
//! `<table>` of the page, in document order) and its row.

use std::collections::HashMap;

use scraper::{ElementRef, Html, Node, Selector};

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
    if let Some(label) = declared.as_deref().and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes())) {
        // Bytes that are valid UTF-8 beyond ASCII are UTF-8, whatever the page declares (a page
        // saved as UTF-8 often keeps its original `charset=gbk`).
        let utf8 = !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok();
        if label != encoding_rs::UTF_8 && !utf8 {
            return label.decode_without_bom_handling(bytes).0.into_owned();
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::GB18030.decode_without_bom_handling(bytes).0.into_owned(),
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
const SKIP: &[&str] = &["script", "style", "noscript", "head", "template", "iframe", "button", "select", "option"];

/// Flattens an HTML page into report text (see the module docs): the tree from the fast
/// builder when the page is simple enough for it, else from html5ever.
pub fn to_text(html: &str) -> String {
    match super::html_fast::parse(html) {
        Some(doc) => flatten(&doc).text,
        None => flatten(&Html::parse_document(html)).text,
    }
}

/// The page's text with the place of each table row (see [`to_text`]), for a page whose
/// elements nest at most `max_depth` deep; a deeper page is refused before it is parsed (tree
/// building and the flattening walk grow with the depth).
pub fn render_limited(html: &str, max_depth: usize) -> Result<Rendered, super::Refusal> {
    let too_deep = |depth: usize| {
        super::Refusal::Limit(format!("elements nest {depth} deep, over the limit of {max_depth} (--max-depth)"))
    };
    let estimate = nesting_estimate(html);
    if estimate > max_depth {
        return Err(too_deep(estimate));
    }
    let doc = super::html_fast::parse(html).unwrap_or_else(|| Html::parse_document(html));
    let depth = tree_depth(&doc);
    if depth > max_depth {
        return Err(too_deep(depth));
    }
    Ok(flatten(&doc))
}

/// Elements a page closes explicitly (no sibling or parent closes them implicitly): their open
/// count minus their close count bounds the nesting from below, before anything is parsed.
const EXPLICITLY_CLOSED: &[&str] = &[
    "div",
    "span",
    "table",
    "section",
    "article",
    "font",
    "b",
    "i",
    "u",
    "ul",
    "ol",
    "blockquote",
    "center",
    "strong",
    "em",
    "small",
    "big",
    "sub",
    "sup",
    "form",
    "fieldset",
    "nav",
    "header",
    "footer",
    "main",
    "aside",
];

/// The deepest nesting of explicitly closed elements, from the tags alone (one pass, no tree).
fn nesting_estimate(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = memchr_lt(&bytes[i..]) {
        i += off + 1;
        let close = bytes.get(i) == Some(&b'/');
        let start = if close { i + 1 } else { i };
        let end = bytes[start..].iter().position(|b| !b.is_ascii_alphanumeric()).map_or(bytes.len(), |p| start + p);
        if end == start {
            continue;
        }
        let name = html[start..end].to_ascii_lowercase();
        if EXPLICITLY_CLOSED.contains(&name.as_str()) {
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

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|b| *b == b'<')
}

/// The depth of the deepest element of a parsed page.
fn tree_depth(doc: &Html) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for edge in doc.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(_) => {
                depth += 1;
                max = max.max(depth);
            }
            ego_tree::iter::Edge::Close(_) => depth -= 1,
        }
    }
    max
}

/// The text of the fast builder's tree (`None`: the page needs html5ever). For tests.
pub fn to_text_fast(html: &str) -> Option<String> {
    super::html_fast::parse(html).map(|doc| flatten(&doc).text)
}

/// The text of html5ever's tree. For tests.
pub fn to_text_html5ever(html: &str) -> String {
    flatten(&Html::parse_document(html)).text
}

/// Lines of the flattened page, each with its place when it is a table row.
type Lines = Vec<(String, Option<Place>)>;

fn flatten(doc: &Html) -> Rendered {
    let mut lines: Lines = page_metadata(doc).into_iter().map(|l| (l, None)).collect();
    let root = report_root(doc);
    // Tables are numbered as the user finds them in the page: every <table>, in document order.
    let tables: HashMap<ego_tree::NodeId, usize> = doc
        .tree
        .root()
        .descendants()
        .filter(|n| n.value().as_element().is_some_and(|e| e.name() == "table"))
        .enumerate()
        .map(|(i, n)| (n.id(), i + 1))
        .collect();
    let mut current = String::new();
    walk(root, &tables, &mut lines, &mut current);
    flush(&mut lines, &mut current);
    Rendered::from_lines(lines)
}

fn select_first<'a>(doc: &'a Html, css: &str) -> Option<ElementRef<'a>> {
    Selector::parse(css).ok().and_then(|s| doc.select(&s).next())
}

/// Meta tags of portal pages (the 政府网站 CMS conventions) and the chrome line each becomes.
const META_TAGS: &[(&str, &str)] =
    &[("articletitle", "文章标题"), ("sitename", "网站"), ("contentsource", "来源"), ("pubdate", "发布日期")];

/// Keys of a portal's metadata table (or of `key：value` text in the page chrome).
const METADATA_KEYS: &[&str] =
    &["发布机构", "发文机关", "信息来源", "来源", "公开日期", "发布日期", "发布时间", "成文日期"];

/// A key that follows a value in the same chrome element (`来源：X 时间：Y 浏览次数：Z`).
static NEXT_KEY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"\s*(?:发布)?(?:时间|日期|浏览次数|浏览|点击|字号|作者|来源|分享)[：:]").expect("key pattern")
});

/// The page chrome as `key：value` lines for the metadata inference: every `<title>` (标题),
/// the portal meta tags (文章标题, 网站, 来源, 发布日期), the metadata table's 发布机构 / 来源 /
/// dates (a key cell followed by its value cell, or `key：value` in one element) and the
/// breadcrumbs (当前位置).
fn page_metadata(doc: &Html) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |line: String| {
        if !out.contains(&line) {
            out.push(line);
        }
    };
    let chrome = chrome_texts(doc);
    for t in chrome.titles.iter().filter(|t| !t.is_empty() && t.chars().count() <= 80) {
        push(format!("标题：{t}"));
    }
    for (key, content) in chrome.metas {
        push(format!("{key}：{content}"));
    }
    let texts = chrome.texts;
    for key in METADATA_KEYS {
        let value = texts.iter().enumerate().find_map(|(i, t)| {
            let rest = t.strip_prefix(key)?;
            let value = rest.trim_start_matches([' ', '：', ':']).trim();
            if !value.is_empty() && rest.starts_with(['：', ':']) {
                return Some(value.to_string());
            }
            // A key cell, its value in the next cell.
            rest.trim_end_matches(['：', ':']).is_empty().then(|| texts.get(i + 1).cloned()).flatten()
        });
        // `来源：…时间：…` in one element: the value ends where the next key begins.
        let value = value.map(|v| match NEXT_KEY.find(&v) {
            Some(m) if m.start() > 0 => v[..m.start()].trim().to_string(),
            _ => v,
        });
        if let Some(value) = value.filter(|v| !v.is_empty() && v.chars().count() < 40) {
            push(format!("{key}：{value}"));
        }
    }
    if let Some(crumbs) = texts.iter().find(|t| t.starts_with("当前位置")) {
        let value = crumbs.trim_start_matches("当前位置").trim_start_matches([' ', '：', ':']);
        if !value.is_empty() {
            push(format!("当前位置：{value}"));
        }
    }
    out
}

/// The element holding the report: `<ucapcontent>` when the portal has it, else the smallest
/// element whose text holds both the first and the last section heading, else the body.
fn report_root(doc: &Html) -> ElementRef<'_> {
    if let Some(e) = select_first(doc, "ucapcontent") {
        return e;
    }
    let root = doc.root_element();
    let mut best = root;
    if let Ok(all) = Selector::parse("div, td, article, section") {
        for e in doc.select(&all) {
            let t: String = text_of(e).chars().filter(|c| !c.is_whitespace()).collect();
            if t.contains("总体情况") && t.contains("收到和处理政府信息公开申请情况") && t.len() < text_of(best).len()
            {
                best = e;
            }
        }
    }
    best
}

/// Elements whose short text may be a chrome key or value.
const CHROME_ELEMENTS: &[&str] = &["td", "th", "span", "li", "p", "div", "em", "label"];
/// A table with more cells than this is a report table (the smallest, section 四, has about 30), not
/// a metadata table (索引号, 发布机构, 公开日期 … rarely 20): not scanned.
const CHROME_TABLE_CELLS: usize = 24;

/// What the chrome scan collects.
struct ChromeTexts {
    /// Every `<title>`'s text.
    titles: Vec<String>,
    /// (chrome key, content) of the portal meta tags.
    metas: Vec<(&'static str, String)>,
    /// The short texts of the page's small elements, in document order.
    texts: Vec<String>,
}

/// One pass over the page for its chrome: titles, portal meta tags and the short texts of small
/// elements. Report tables (more than [`CHROME_TABLE_CELLS`] cells) and script-like elements
/// are skipped whole, so the scan costs little beside the report's own reading.
fn chrome_texts(doc: &Html) -> ChromeTexts {
    let mut out = ChromeTexts { titles: Vec::new(), metas: Vec::new(), texts: Vec::new() };
    let mut skip: Option<ego_tree::NodeId> = None;
    for edge in doc.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) if skip.is_none() => {
                let Some(e) = ElementRef::wrap(node) else { continue };
                let name = e.value().name();
                match name {
                    // `<title>` lives in `<head>`, whose text `text_of` leaves out.
                    "title" => out.titles.push(clean(&e.text().collect::<String>())),
                    "meta" => {
                        let tag = e.value().attr("name").unwrap_or("").to_ascii_lowercase();
                        let content = clean(e.value().attr("content").unwrap_or(""));
                        if let Some((_, key)) = META_TAGS.iter().find(|(n, _)| *n == tag)
                            && !content.is_empty()
                            && content.chars().count() <= 80
                        {
                            out.metas.push((key, content));
                        }
                    }
                    _ => {}
                }
                if name == "table" || (SKIP.contains(&name) && name != "head") {
                    let big = name != "table"
                        || e.descendants()
                            .filter(|d| d.value().as_element().is_some_and(|x| matches!(x.name(), "td" | "th")))
                            .take(CHROME_TABLE_CELLS + 1)
                            .count()
                            > CHROME_TABLE_CELLS;
                    if big {
                        skip = Some(node.id());
                    }
                    continue;
                }
                if !CHROME_ELEMENTS.contains(&name)
                    || (name == "div" && e.children().filter_map(ElementRef::wrap).count() > 2)
                {
                    continue;
                }
                if let Some(t) = short_text(e, 240).map(|t| clean(&t)).filter(|t| t.chars().count() <= 80) {
                    out.texts.push(t);
                }
            }
            ego_tree::iter::Edge::Close(node) if skip == Some(node.id()) => skip = None,
            _ => {}
        }
    }
    out
}

/// The text of a small element (chrome cells and labels); `None` once it passes `cap` bytes,
/// so scanning every cell of a page stays linear in its size.
fn short_text(e: ElementRef, cap: usize) -> Option<String> {
    let mut s = String::new();
    for node in e.descendants() {
        match node.value() {
            Node::Text(t) => {
                s.push_str(t);
                if s.len() > cap {
                    return None;
                }
            }
            Node::Element(el) if SKIP.contains(&el.name()) => return None,
            Node::Element(el) if el.name() == "br" || el.name() == "p" => s.push(' '),
            _ => {}
        }
    }
    Some(s)
}

fn text_of(e: ElementRef) -> String {
    let mut s = String::new();
    for node in e.descendants() {
        match node.value() {
            Node::Text(t) => {
                if node.ancestors().any(|a| a.value().as_element().is_some_and(|el| SKIP.contains(&el.name()))) {
                    continue;
                }
                s.push_str(t);
            }
            Node::Element(el) if el.name() == "br" || el.name() == "p" => s.push(' '),
            _ => {}
        }
    }
    s
}

/// Collapses whitespace (incl. U+00A0, U+3000) and removes spaces between CJK characters.
pub fn clean(text: &str) -> String {
    let words: Vec<&str> =
        text.split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}').filter(|w| !w.is_empty()).collect();
    let mut out = String::new();
    for w in words {
        let joins = match (out.chars().last(), w.chars().next()) {
            (Some(a), Some(b)) => is_cjk(a) || is_cjk(b),
            _ => true,
        };
        if !out.is_empty() && !joins {
            out.push(' ');
        }
        out.push_str(w);
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

fn walk(e: ElementRef, tables: &HashMap<ego_tree::NodeId, usize>, lines: &mut Lines, current: &mut String) {
    for child in e.children() {
        match child.value() {
            Node::Text(t) => current.push_str(t),
            Node::Comment(_) => {}
            Node::Element(el) => {
                let name = el.name();
                if SKIP.contains(&name) {
                    continue;
                }
                let Some(child_el) = ElementRef::wrap(child) else { continue };
                if name == "table" {
                    flush(lines, current);
                    let table = tables.get(&child.id()).copied().unwrap_or(0);
                    lines.extend(
                        table_rows(child_el).into_iter().map(|(row, text)| (text, Some(Place::Table { table, row }))),
                    );
                    continue;
                }
                let block = BLOCKS.contains(&name);
                if block {
                    flush(lines, current);
                }
                walk(child_el, tables, lines, current);
                if block {
                    flush(lines, current);
                }
            }
            _ => {}
        }
    }
}

/// A table as `|` rows of its dense grid, each with its 1-based row in the table (rows with no
/// text are left out). Nested tables are flattened into their cell's text.
fn table_rows(table: ElementRef) -> Vec<(usize, String)> {
    let mut rows: Vec<ElementRef> = Vec::new();
    for child in table.children().filter_map(ElementRef::wrap) {
        match child.value().name() {
            "tr" => rows.push(child),
            "thead" | "tbody" | "tfoot" => {
                rows.extend(child.children().filter_map(ElementRef::wrap).filter(|r| r.value().name() == "tr"))
            }
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
        for cell in row.children().filter_map(ElementRef::wrap).filter(|c| matches!(c.value().name(), "td" | "th")) {
            place_pending(&mut cells, &mut col, &mut pending);
            let text = clean(&text_of(cell)).replace('|', "｜");
            let span = |attr: &str| {
                cell.value().attr(attr).and_then(|v| v.trim().parse::<usize>().ok()).unwrap_or(1).clamp(1, 100)
            };
            let (colspan, rowspan) = (span("colspan"), span("rowspan"));
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
    fn decodes_declared_gbk() {
        let (bytes, _, _) = encoding_rs::GBK.encode("<meta charset=gbk><p>总计</p>");
        assert!(decode(&bytes).contains("总计"));
        // Saved as UTF-8 but still declaring gbk.
        assert!(decode("<meta charset=gbk><p>总计</p>".as_bytes()).contains("总计"));
    }
}
