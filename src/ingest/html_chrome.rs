//! The chrome of a portal page — `<title>`, the portal meta tags, the metadata table (发布机构,
//! 来源, dates) and the breadcrumbs — as `key：value` lines the metadata inference reads before
//! the report's own text.

use super::dom::{Attr, Data, Dom, Id};
use super::html::{SKIP, clean};

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
pub(super) fn page_metadata(doc: &Dom) -> Vec<String> {
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
fn chrome_texts(doc: &Dom) -> ChromeTexts {
    let mut out = ChromeTexts { titles: Vec::new(), metas: Vec::new(), texts: Vec::new() };
    let mut id: Id = 0;
    while (id as usize) < doc.len() {
        let Some(e) = doc.as_element(id) else {
            id += 1;
            continue;
        };
        let name = e.name.as_ref();
        match name {
            // `<title>` lives in `<head>`, whose text `text_of` leaves out.
            "title" => out.titles.push(clean(&doc.text(id))),
            "meta" => {
                let tag = e.attr(Attr::Name).unwrap_or("").to_ascii_lowercase();
                let content = clean(e.attr(Attr::Content).unwrap_or(""));
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
                || (id + 1..doc.end(id))
                    .filter(|&d| matches!(doc.name(d), "td" | "th"))
                    .take(CHROME_TABLE_CELLS + 1)
                    .count()
                    > CHROME_TABLE_CELLS;
            // A report table or a script-like element is skipped whole.
            id = if big { doc.end(id) } else { id + 1 };
            continue;
        }
        let small = CHROME_ELEMENTS.contains(&name)
            && (name != "div" || doc.children(id).filter(|&c| doc.as_element(c).is_some()).count() <= 2);
        if small && let Some(t) = short_text(doc, id, 240).map(|t| clean(&t)).filter(|t| t.chars().count() <= 80) {
            out.texts.push(t);
        }
        id += 1;
    }
    out
}

/// The text of a small element (chrome cells and labels); `None` once it passes `cap` bytes,
/// so scanning every cell of a page stays linear in its size.
fn short_text(doc: &Dom, e: Id, cap: usize) -> Option<String> {
    let mut s = String::new();
    for d in doc.subtree(e) {
        match doc.data(d) {
            Data::Text(t) => {
                s.push_str(t);
                if s.len() > cap {
                    return None;
                }
            }
            Data::Element(el) if SKIP.contains(&el.name.as_ref()) => return None,
            Data::Element(el) if el.name == "br" || el.name == "p" => s.push(' '),
            _ => {}
        }
    }
    Some(s)
}
