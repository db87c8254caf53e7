//! A fast tree builder for simple, well-formed pages — the bulk of portal and Word-exported
//! reports — building the same tree html5ever builds, several times faster. It follows the
//! HTML5 tree-construction rules only for what such pages use: head/body placement, implied end
//! tags of `p`, `li`, cells and rows, implicit `tr` in tables, stray end tags, void elements,
//! raw text of `script`/`style`, RCDATA of `title`/`textarea`, and the common named entities.
//! Anything else — foster-parented content in tables, misnested formatting elements, `<p>` open
//! at a `<table>` (quirks-mode dependent), unknown entities, `<noscript>`, `<template>`,
//! `<select>` and the like — makes it give up (`None`), and the page is parsed by html5ever.
//! `tests/it/accuracy.rs` checks that both trees flatten to the same text on every HTML page
//! the tests have (real, synthetic and edge cases).

use html5ever::{Attribute, LocalName, QualName, ns};
use scraper::node::{Element, Text};
use scraper::{Html, Node, StrTendril};

// The element classes of the tree-construction rules this builder follows. `kind()` below holds
// them as one `match` (fast); its unit test checks that it says exactly what these lists say.
#[cfg(test)]
#[rustfmt::skip]
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
];
#[cfg(test)]
#[rustfmt::skip]
const HEAD_ONLY: &[&str] = &[
    "title", "meta", "link", "script", "style", "base",
];
#[cfg(test)]
#[rustfmt::skip]
const BAIL: &[&str] = &[
    "noscript", "template", "select", "option", "optgroup", "textarea", "caption", "colgroup", "col", "frameset",
    "frame", "math", "svg", "plaintext", "xmp", "noembed", "noframes", "image", "isindex", "nobr", "marquee",
    "object", "applet", "pre", "listing", "dd", "dt", "dl",
];
#[cfg(test)]
#[rustfmt::skip]
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "s", "small", "strike", "strong", "tt", "u",
];
/// Start tags that close an open `p` (in button scope).
#[cfg(test)]
#[rustfmt::skip]
const CLOSES_P: &[&str] = &[
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "figcaption",
    "figure", "footer", "form", "header", "hgroup", "main", "menu", "nav", "ol", "p", "section", "summary", "ul",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr",
];
/// The "special" elements of the HTML tree-construction rules that pages use.
#[cfg(test)]
#[rustfmt::skip]
const SPECIAL: &[&str] = &[
    "address", "article", "aside", "blockquote", "body", "br", "button", "center", "form", "details", "dir", "div",
    "embed", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup",
    "hr", "html", "img", "input", "li", "link", "main", "menu", "meta", "nav", "ol", "p", "param", "script",
    "section", "source", "style", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr",
    "track", "ul", "wbr", "area", "base",
];
#[cfg(test)]
#[rustfmt::skip]
const HEADINGS: &[&str] = &[
    "h1", "h2", "h3", "h4", "h5", "h6",
];
/// Elements that bound the scope an end tag is looked for in.
#[cfg(test)]
#[rustfmt::skip]
const SCOPE: &[&str] = &[
    "html", "table", "td", "th", "caption", "marquee", "object", "applet", "template",
];
#[cfg(test)]
#[rustfmt::skip]
const TABLE_CONTEXT: &[&str] = &[
    "table", "tbody", "thead", "tfoot", "tr",
];

const K_VOID: u16 = 1 << 0;
const K_HEAD_ONLY: u16 = 1 << 1;
const K_BAIL: u16 = 1 << 2;
const K_FORMATTING: u16 = 1 << 3;
const K_CLOSES_P: u16 = 1 << 4;
const K_SPECIAL: u16 = 1 << 5;
const K_HEADINGS: u16 = 1 << 6;
const K_SCOPE: u16 = 1 << 7;
const K_TABLE_CONTEXT: u16 = 1 << 8;

/// Whether element `name` is in the list the flag `k` stands for.
fn is(name: &str, k: u16) -> bool {
    kind(name) & k != 0
}

/// The lists above as flags, one `match` (generated from the lists; a unit test checks them).
fn kind(name: &str) -> u16 {
    match name {
        "a" => K_FORMATTING,
        "address" => K_CLOSES_P | K_SPECIAL,
        "applet" => K_BAIL | K_SCOPE,
        "area" => K_VOID | K_SPECIAL,
        "article" => K_CLOSES_P | K_SPECIAL,
        "aside" => K_CLOSES_P | K_SPECIAL,
        "b" => K_FORMATTING,
        "base" => K_VOID | K_HEAD_ONLY | K_SPECIAL,
        "big" => K_FORMATTING,
        "blockquote" => K_CLOSES_P | K_SPECIAL,
        "body" => K_SPECIAL,
        "br" => K_VOID | K_SPECIAL,
        "button" => K_SPECIAL,
        "caption" => K_BAIL | K_SCOPE,
        "center" => K_CLOSES_P | K_SPECIAL,
        "code" => K_FORMATTING,
        "col" => K_VOID | K_BAIL,
        "colgroup" => K_BAIL,
        "dd" => K_BAIL,
        "details" => K_CLOSES_P | K_SPECIAL,
        "dialog" => K_CLOSES_P,
        "dir" => K_CLOSES_P | K_SPECIAL,
        "div" => K_CLOSES_P | K_SPECIAL,
        "dl" => K_BAIL,
        "dt" => K_BAIL,
        "em" => K_FORMATTING,
        "embed" => K_VOID | K_SPECIAL,
        "figcaption" => K_CLOSES_P | K_SPECIAL,
        "figure" => K_CLOSES_P | K_SPECIAL,
        "font" => K_FORMATTING,
        "footer" => K_CLOSES_P | K_SPECIAL,
        "form" => K_CLOSES_P | K_SPECIAL,
        "frame" => K_BAIL,
        "frameset" => K_BAIL,
        "h1" => K_CLOSES_P | K_SPECIAL | K_HEADINGS,
        "h2" => K_CLOSES_P | K_SPECIAL | K_HEADINGS,
        "h3" => K_CLOSES_P | K_SPECIAL | K_HEADINGS,
        "h4" => K_CLOSES_P | K_SPECIAL | K_HEADINGS,
        "h5" => K_CLOSES_P | K_SPECIAL | K_HEADINGS,
        "h6" => K_CLOSES_P | K_SPECIAL | K_HEADINGS,
        "head" => K_SPECIAL,
        "header" => K_CLOSES_P | K_SPECIAL,
        "hgroup" => K_CLOSES_P | K_SPECIAL,
        "hr" => K_VOID | K_CLOSES_P | K_SPECIAL,
        "html" => K_SPECIAL | K_SCOPE,
        "i" => K_FORMATTING,
        "image" => K_BAIL,
        "img" => K_VOID | K_SPECIAL,
        "input" => K_VOID | K_SPECIAL,
        "isindex" => K_BAIL,
        "li" => K_SPECIAL,
        "link" => K_VOID | K_HEAD_ONLY | K_SPECIAL,
        "listing" => K_BAIL,
        "main" => K_CLOSES_P | K_SPECIAL,
        "marquee" => K_BAIL | K_SCOPE,
        "math" => K_BAIL,
        "menu" => K_CLOSES_P | K_SPECIAL,
        "meta" => K_VOID | K_HEAD_ONLY | K_SPECIAL,
        "nav" => K_CLOSES_P | K_SPECIAL,
        "nobr" => K_BAIL,
        "noembed" => K_BAIL,
        "noframes" => K_BAIL,
        "noscript" => K_BAIL,
        "object" => K_BAIL | K_SCOPE,
        "ol" => K_CLOSES_P | K_SPECIAL,
        "optgroup" => K_BAIL,
        "option" => K_BAIL,
        "p" => K_CLOSES_P | K_SPECIAL,
        "param" => K_VOID | K_SPECIAL,
        "plaintext" => K_BAIL,
        "pre" => K_BAIL,
        "s" => K_FORMATTING,
        "script" => K_HEAD_ONLY | K_SPECIAL,
        "section" => K_CLOSES_P | K_SPECIAL,
        "select" => K_BAIL,
        "small" => K_FORMATTING,
        "source" => K_VOID | K_SPECIAL,
        "strike" => K_FORMATTING,
        "strong" => K_FORMATTING,
        "style" => K_HEAD_ONLY | K_SPECIAL,
        "summary" => K_CLOSES_P | K_SPECIAL,
        "svg" => K_BAIL,
        "table" => K_SPECIAL | K_SCOPE | K_TABLE_CONTEXT,
        "tbody" => K_SPECIAL | K_TABLE_CONTEXT,
        "td" => K_SPECIAL | K_SCOPE,
        "template" => K_BAIL | K_SCOPE,
        "textarea" => K_BAIL,
        "tfoot" => K_SPECIAL | K_TABLE_CONTEXT,
        "th" => K_SPECIAL | K_SCOPE,
        "thead" => K_SPECIAL | K_TABLE_CONTEXT,
        "title" => K_HEAD_ONLY | K_SPECIAL,
        "tr" => K_SPECIAL | K_TABLE_CONTEXT,
        "track" => K_VOID | K_SPECIAL,
        "tt" => K_FORMATTING,
        "u" => K_FORMATTING,
        "ul" => K_CLOSES_P | K_SPECIAL,
        "wbr" => K_VOID | K_SPECIAL,
        "xmp" => K_BAIL,
        _ => 0,
    }
}

fn qual(name: &str) -> QualName {
    QualName::new(None, ns!(html), LocalName::from(name))
}

fn element(name: &str, attrs: Vec<(String, String)>) -> Node {
    let attrs = attrs
        .into_iter()
        .map(|(n, v)| Attribute { name: QualName::new(None, ns!(), LocalName::from(n)), value: StrTendril::from(v) })
        .collect();
    Node::Element(Element::new(qual(name), attrs))
}

fn text(s: &str) -> Node {
    Node::Text(Text { text: StrTendril::from(s) })
}

/// Decodes character references; `None` for one this builder does not know.
fn decode_entities(s: &str) -> Option<String> {
    if !s.contains('&') {
        return Some(s.to_string());
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let end = rest.find(';').filter(|&e| e <= 32);
        let starts_ref = rest.starts_with('#') || rest.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        let Some(end) = end.filter(|_| starts_ref) else {
            if starts_ref {
                return None; // a reference without ';' (legacy rules): leave it to html5ever
            }
            out.push('&');
            continue;
        };
        let name = &rest[..end];
        let c = if let Some(num) = name.strip_prefix('#') {
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            if code == 0 || (0x80..0xA0).contains(&code) {
                return None;
            }
            char::from_u32(code)?
        } else {
            match name {
                "nbsp" => '\u{a0}',
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                "quot" => '"',
                "apos" => '\'',
                "ldquo" => '“',
                "rdquo" => '”',
                "lsquo" => '‘',
                "rsquo" => '’',
                "mdash" => '—',
                "ndash" => '–',
                "hellip" => '…',
                "middot" => '·',
                "times" => '×',
                "emsp" => '\u{2003}',
                "ensp" => '\u{2002}',
                "yen" => '¥',
                "deg" => '°',
                "bull" => '•',
                _ => return None,
            }
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    end: bool,
}

/// Parses the tag starting at `s[0] == '<'`; returns it and the bytes consumed.
fn parse_tag(s: &str) -> Option<(Tag, usize)> {
    let b = s.as_bytes();
    let mut i = 1;
    let end = b.get(1) == Some(&b'/');
    if end {
        i += 1;
    }
    let start = i;
    while i < b.len() && !matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>') {
        i += 1;
    }
    let name = s[start..i].to_ascii_lowercase();
    let mut attrs: Vec<(String, String)> = Vec::new();
    loop {
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/') {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        if b[i] == b'>' {
            return Some((Tag { name, attrs, end }, i + 1));
        }
        let a = i;
        while i < b.len() && !matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>' | b'=') {
            i += 1;
        }
        let attr = s[a..i].to_ascii_lowercase();
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
            i += 1;
        }
        let mut raw = "";
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
                i += 1;
            }
            match b.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let close = s[i + 1..].find(q as char)? + i + 1;
                    raw = &s[i + 1..close];
                    i = close + 1;
                }
                Some(_) => {
                    let v = i;
                    while i < b.len() && !matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>') {
                        i += 1;
                    }
                    raw = &s[v..i];
                }
                None => return None,
            }
        }
        // Only the attributes the reader reads are kept (html5ever keeps all; the text is the same):
        // spans, and the name/content of the portal's meta tags.
        if matches!(attr.as_str(), "colspan" | "rowspan" | "name" | "content") && !attrs.iter().any(|(n, _)| *n == attr)
        {
            attrs.push((attr, decode_entities(raw)?));
        }
    }
}

/// Builds the tree of a simple page, or `None` when the page needs html5ever's full rules.
pub fn parse(html: &str) -> Option<Html> {
    if html.contains('\0') {
        return None; // html5ever drops a NUL from text and replaces it elsewhere, by context
    }
    let mut doc = Html::new_document();
    let root = doc.tree.root().id();
    let html_id = doc.tree.get_mut(root)?.append(element("html", vec![])).id();
    let head = doc.tree.get_mut(html_id)?.append(element("head", vec![])).id();
    // Open elements below <html>: (id, name). Empty while in the head.
    let mut stack = Vec::new();
    let mut body = None;
    let mut rest = html;
    macro_rules! open_body {
        () => {
            if body.is_none() {
                let id = doc.tree.get_mut(html_id)?.append(element("body", vec![])).id();
                body = Some(id);
                stack.push((id, "body".to_string()));
            }
        };
    }
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            let t = decode_entities(rest)?;
            if !t.trim().is_empty() || body.is_some() {
                open_body!();
                let (top, name) = stack.last()?;
                if is(name.as_str(), K_TABLE_CONTEXT) && !t.trim().is_empty() {
                    return None;
                }
                doc.tree.get_mut(*top)?.append(text(&t));
            }
            break;
        };
        if lt > 0 {
            let t = decode_entities(&rest[..lt])?;
            if !t.trim().is_empty() {
                open_body!();
            }
            if let Some((top, name)) = stack.last() {
                if is(name.as_str(), K_TABLE_CONTEXT) && !t.trim().is_empty() {
                    return None; // foster parenting
                }
                let top = *top;
                doc.tree.get_mut(top)?.append(text(&t));
            }
            rest = &rest[lt..];
            continue;
        }
        // rest starts with '<'
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->")?;
            rest = &after[end + 3..];
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            let end = rest.find('>')?;
            rest = &rest[end + 1..];
            continue;
        }
        let second = rest.as_bytes().get(1).copied();
        let is_tag = second.is_some_and(|c| c.is_ascii_alphabetic())
            || (second == Some(b'/') && rest.as_bytes().get(2).is_some_and(|c| c.is_ascii_alphabetic()));
        if !is_tag {
            return None; // a literal '<' or '</>' and the like
        }
        let (tag, used) = parse_tag(rest)?;
        rest = &rest[used..];
        let name = tag.name.as_str();
        if is(name, K_BAIL) {
            return None;
        }
        if tag.end {
            match name {
                "html" | "body" | "head" => {}
                "br" => return None,
                _ => {
                    if body.is_none() {
                        if is(name, K_HEAD_ONLY) {
                            continue;
                        }
                        return None;
                    }
                    if !end_tag(&mut doc, &mut stack, name)? {
                        return None;
                    }
                }
            }
            continue;
        }
        // A start tag.
        match name {
            "html" | "head" => continue,
            "body" => {
                open_body!();
                continue;
            }
            _ => {}
        }
        if body.is_none() && is(name, K_HEAD_ONLY) {
            let id = doc.tree.get_mut(head)?.append(element(name, tag.attrs)).id();
            if matches!(name, "script" | "style" | "title") {
                rest = raw_text(&mut doc, id, name, rest)?;
            }
            continue;
        }
        open_body!();
        let top_name = stack.last()?.1.clone();
        let in_table = is(top_name.as_str(), K_TABLE_CONTEXT);
        match name {
            "td" | "th" => {
                // Close an open cell; open an implicit row in a bare table or section.
                while matches!(stack.last()?.1.as_str(), "td" | "th") {
                    stack.pop();
                }
                let top = stack.last()?.1.clone();
                if matches!(top.as_str(), "table" | "tbody" | "thead" | "tfoot") {
                    let parent = stack.last()?.0;
                    let id = doc.tree.get_mut(parent)?.append(element("tr", vec![])).id();
                    stack.push((id, "tr".into()));
                } else if top != "tr" {
                    return None;
                }
            }
            "tr" => {
                while matches!(stack.last()?.1.as_str(), "td" | "th" | "tr") {
                    stack.pop();
                }
                if !matches!(stack.last()?.1.as_str(), "table" | "tbody" | "thead" | "tfoot") {
                    return None;
                }
            }
            "tbody" | "thead" | "tfoot" => {
                while matches!(stack.last()?.1.as_str(), "td" | "th" | "tr" | "tbody" | "thead" | "tfoot") {
                    stack.pop();
                }
                if stack.last()?.1 != "table" {
                    return None;
                }
            }
            "script" | "style" => {}
            "title" if !in_table => {}
            _ if in_table => return None,                        // foster parenting
            "table" if p_in_button_scope(&stack) => return None, // quirks-mode dependent
            // Nested list items, forms, buttons and links have rules of their own.
            "li" | "form" | "button" | "a" if stack.iter().any(|(_, n)| n == name) => return None,
            _ => {}
        }
        if is(name, K_CLOSES_P) && p_in_button_scope(&stack) {
            let k = stack.iter().rposition(|(_, n)| n == "p")?;
            if stack[k + 1..].iter().any(|(_, n)| is(n.as_str(), K_FORMATTING)) {
                return None;
            }
            stack.truncate(k);
        }
        if is(name, K_HEADINGS) && is(&stack.last()?.1, K_HEADINGS) {
            return None;
        }
        let parent = stack.last()?.0;
        let id = doc.tree.get_mut(parent)?.append(element(name, tag.attrs)).id();
        if matches!(name, "script" | "style" | "title" | "iframe") {
            rest = raw_text(&mut doc, id, name, rest)?;
        } else if !is(name, K_VOID) {
            stack.push((id, name.to_string()));
        }
    }
    if body.is_none() {
        doc.tree.get_mut(html_id)?.append(element("body", vec![]));
    }
    Some(doc)
}

/// Whether a `p` is open with no scope boundary above it.
fn p_in_button_scope(stack: &Open) -> bool {
    for (_, n) in stack.iter().rev() {
        if n == "p" {
            return true;
        }
        if is(n.as_str(), K_SCOPE) || n == "button" {
            return false;
        }
    }
    false
}

type Open = Vec<(ego_tree::NodeId, String)>;

/// Applies an end tag in the body; `Some(false)` when the case needs html5ever.
fn end_tag(doc: &mut Html, stack: &mut Open, name: &str) -> Option<bool> {
    if is(name, K_FORMATTING) {
        if stack.last()?.1 == name {
            stack.pop();
            return Some(true);
        }
        // Not open: ignored by html5ever too; open below other elements: adoption agency.
        return Some(!stack.iter().any(|(_, n)| n == name));
    }
    if is(name, K_SPECIAL) {
        let table_tag = matches!(name, "td" | "th" | "tr" | "tbody" | "thead" | "tfoot" | "table");
        let mut found = None;
        for (k, (_, open)) in stack.iter().enumerate().rev() {
            if open == name {
                found = Some(k);
                break;
            }
            let boundary = if table_tag {
                (open == "table" && name != "table") || open == "html"
            } else {
                is(open.as_str(), K_SCOPE) || (name == "li" && matches!(open.as_str(), "ul" | "ol"))
            };
            if boundary {
                break;
            }
        }
        match found {
            Some(k) => {
                if stack[k + 1..].iter().any(|(_, n)| is(n.as_str(), K_FORMATTING) || is(n.as_str(), K_HEADINGS)) {
                    return Some(false);
                }
                stack.truncate(k);
            }
            None if name == "p" => {
                let top = stack.last()?.0;
                doc.tree.get_mut(top)?.append(element("p", vec![]));
            }
            None if is(name, K_HEADINGS) => {
                return Some(!stack.iter().any(|(_, n)| is(n.as_str(), K_HEADINGS)));
            }
            None => {}
        }
        return Some(true);
    }
    // Any other end tag: the nearest open element of that name, unless a special one is nearer.
    for k in (0..stack.len()).rev() {
        if stack[k].1 == name {
            if stack[k + 1..].iter().any(|(_, n)| is(n.as_str(), K_FORMATTING)) {
                return Some(false);
            }
            stack.truncate(k);
            return Some(true);
        }
        if is(stack[k].1.as_str(), K_SPECIAL) {
            return Some(true); // ignored
        }
    }
    Some(true)
}

/// Reads the content of a raw-text (`script`, `style`, `iframe`) or RCDATA (`title`) element up to its
/// end tag into element `id`; returns what follows the end tag.
fn raw_text<'a>(doc: &mut Html, id: ego_tree::NodeId, name: &str, rest: &'a str) -> Option<&'a str> {
    let mut from = 0;
    let pos = loop {
        let at = from + rest[from..].find("</")?;
        let after = &rest.as_bytes()[at + 2..];
        let matches = after.len() > name.len()
            && after[..name.len()].eq_ignore_ascii_case(name.as_bytes())
            && matches!(after[name.len()], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>');
        if matches {
            break at;
        }
        from = at + 2;
    };
    let content = &rest[..pos];
    let t = if name == "title" { decode_entities(content)? } else { content.to_string() };
    if !t.is_empty() {
        doc.tree.get_mut(id)?.append(text(&t));
    }
    let after = &rest[pos..];
    Some(&after[after.find('>')? + 1..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_flags_match_the_lists() {
        let lists: [(&[&str], u16); 9] = [
            (VOID, K_VOID),
            (HEAD_ONLY, K_HEAD_ONLY),
            (BAIL, K_BAIL),
            (FORMATTING, K_FORMATTING),
            (CLOSES_P, K_CLOSES_P),
            (SPECIAL, K_SPECIAL),
            (HEADINGS, K_HEADINGS),
            (SCOPE, K_SCOPE),
            (TABLE_CONTEXT, K_TABLE_CONTEXT),
        ];
        let all: std::collections::BTreeSet<&str> = lists.iter().flat_map(|(l, _)| l.iter().copied()).collect();
        for name in all {
            let expected = lists.iter().filter(|(l, _)| l.contains(&name)).fold(0, |acc, (_, f)| acc | f);
            assert_eq!(kind(name), expected, "{name}");
        }
        assert_eq!(kind("span"), 0);
    }
}
