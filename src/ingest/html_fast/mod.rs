//! A fast tree builder for simple, well-formed pages — the bulk of portal and Word-exported
//! reports — building the reader's tree (`super::dom`) as html5ever would build it, several
//! times faster, with names and texts borrowed from the page. It follows the
//! HTML5 tree-construction rules only for what such pages use: head/body placement, implied end
//! tags of `p`, `li`, cells and rows, implicit `tr` in tables, stray end tags, void elements,
//! raw text of `script`/`style`, RCDATA of `title`/`textarea`, and the common named entities.
//! Anything else — foster-parented content in tables, misnested formatting elements, `<p>` open
//! at a `<table>` (quirks-mode dependent), unknown entities, `<noscript>`, `<template>`,
//! `<select>` and the like — makes it give up (`None`), and the page is parsed by html5ever.
//! `tests/it/accuracy.rs` checks that both trees flatten to the same text on every HTML page
//! the tests have (real, synthetic and edge cases), and the fuzzer's `html-tree` target on
//! mutations of them. This file is the tree construction; the element classes are in
//! `classes.rs`, the tokenizer (tags, character references) in `tokens.rs`.

mod classes;
mod tokens;

use std::borrow::Cow;

use super::dom::{Data, Dom, Id};

use classes::{
    K_BAIL, K_CLOSES_P, K_FORMATTING, K_HEAD_ONLY, K_HEADINGS, K_SCOPE, K_SPECIAL, K_TABLE_CONTEXT, K_VOID, kind,
};
use tokens::{decode_entities, parse_tag};

/// Builds the tree of a simple page, or `None` when the page needs html5ever's full rules or
/// its elements open more than `max_open` deep (the open elements are scanned per tag, so a
/// deeper page would cost the square of its depth).
pub fn parse(html: &str, max_open: usize) -> Option<Dom<'_>> {
    if memchr::memchr(0, html.as_bytes()).is_some() {
        return None; // html5ever drops a NUL from text and replaces it elsewhere, by context
    }
    // One node per tag and about one per text between tags: sized once, the node vector is not
    // grown and moved as the page is read (3.8% of an ingest's samples were those moves).
    let mut doc = Dom::with_capacity(2 * memchr::memchr_iter(b'<', html.as_bytes()).count() + 8);
    let root = doc.root();
    let html_id = doc.append(root, Dom::element("html", vec![]));
    let head = doc.append(html_id, Dom::element("head", vec![]));
    // Open elements below <html>: (id, name, classes). Empty while in the head.
    let mut stack: Open = Vec::new();
    let mut body = None;
    let mut rest = html;
    macro_rules! open_body {
        () => {
            if body.is_none() {
                let id = doc.append(html_id, Dom::element("body", vec![]));
                body = Some(id);
                stack.push((id, Cow::Borrowed("body"), kind("body")));
            }
        };
    }
    // Opens an element below the body; gives up past `max_open`.
    macro_rules! open {
        ($id:expr, $name:expr) => {
            let name: Cow<str> = $name;
            let k = kind(&name);
            stack.push(($id, name, k));
            if stack.len() > max_open {
                return None;
            }
        };
    }
    while !rest.is_empty() {
        let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) else {
            let t = decode_entities(rest)?;
            let blank = crate::ingest::is_blank(&t);
            if !blank || body.is_some() {
                open_body!();
                let (top, _, k) = stack.last()?;
                if k & K_TABLE_CONTEXT != 0 && !blank {
                    return None;
                }
                let top = *top;
                doc.append(top, Data::Text(t));
            }
            break;
        };
        if lt > 0 {
            let t = decode_entities(&rest[..lt])?;
            let blank = crate::ingest::is_blank(&t);
            if !blank {
                open_body!();
            }
            if let Some((top, _, k)) = stack.last() {
                if k & K_TABLE_CONTEXT != 0 && !blank {
                    return None; // foster parenting
                }
                let top = *top;
                doc.append(top, Data::Text(t));
            }
            rest = &rest[lt..];
            continue;
        }
        // rest starts with '<'
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->")?;
            // `<!-->`, `<!--->` and `--!>` end a comment early in html5ever.
            if after.starts_with('>') || after.starts_with("->") || after[..end + 2].contains("--!>") {
                return None;
            }
            rest = &after[end + 3..];
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            let end = memchr::memchr(b'>', rest.as_bytes())?;
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
        let name: &str = &tag.name;
        // The element's classes, looked up once per tag (and kept with it while it is open).
        let k = kind(name);
        if k & K_BAIL != 0 {
            return None;
        }
        if tag.end {
            match name {
                "html" | "body" | "head" => {}
                "br" => return None,
                _ => {
                    if body.is_none() {
                        if k & K_HEAD_ONLY != 0 {
                            continue;
                        }
                        return None;
                    }
                    if !end_tag(&mut doc, &mut stack, name, k)? {
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
        if body.is_none() && k & K_HEAD_ONLY != 0 {
            let name = tag.name;
            let raw = matches!(&*name, "script" | "style" | "title");
            let id = doc.append(head, Dom::element(name.clone(), tag.attrs));
            if raw {
                rest = raw_text(&mut doc, id, &name, rest)?;
            }
            continue;
        }
        open_body!();
        let in_table = stack.last()?.2 & K_TABLE_CONTEXT != 0;
        match name {
            "td" | "th" => {
                // Close an open cell; open an implicit row in a bare table or section.
                while matches!(&*stack.last()?.1, "td" | "th") {
                    stack.pop();
                }
                let (parent, top, _) = stack.last()?;
                if matches!(&**top, "table" | "tbody" | "thead" | "tfoot") {
                    let id = doc.append(*parent, Dom::element("tr", vec![]));
                    open!(id, Cow::Borrowed("tr"));
                } else if top != "tr" {
                    return None;
                }
            }
            "tr" => {
                while matches!(&*stack.last()?.1, "td" | "th" | "tr") {
                    stack.pop();
                }
                if !matches!(&*stack.last()?.1, "table" | "tbody" | "thead" | "tfoot") {
                    return None;
                }
            }
            "tbody" | "thead" | "tfoot" => {
                while matches!(&*stack.last()?.1, "td" | "th" | "tr" | "tbody" | "thead" | "tfoot") {
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
            "li" | "form" | "button" | "a" if stack.iter().any(|(_, n, _)| n == name) => return None,
            _ => {}
        }
        if k & K_CLOSES_P != 0 && p_in_button_scope(&stack) {
            let p = stack.iter().rposition(|(_, n, _)| n == "p")?;
            if stack[p + 1..].iter().any(|(_, _, open)| open & K_FORMATTING != 0) {
                return None;
            }
            stack.truncate(p);
        }
        if k & K_HEADINGS != 0 && stack.last()?.2 & K_HEADINGS != 0 {
            return None;
        }
        let parent = stack.last()?.0;
        let name = tag.name;
        let id = doc.append(parent, Dom::element(name.clone(), tag.attrs));
        if matches!(&*name, "script" | "style" | "title" | "iframe") {
            rest = raw_text(&mut doc, id, &name, rest)?;
        } else if k & K_VOID == 0 {
            open!(id, name);
        }
    }
    if body.is_none() {
        doc.append(html_id, Dom::element("body", vec![]));
    }
    Some(doc.finish())
}

/// Whether a `p` is open with no scope boundary above it.
fn p_in_button_scope(stack: &Open) -> bool {
    for (_, n, k) in stack.iter().rev() {
        if n == "p" {
            return true;
        }
        if k & K_SCOPE != 0 || n == "button" {
            return false;
        }
    }
    false
}

/// The open elements below `<html>`: (id, name, classes as `classes::kind` gives them).
type Open<'a> = Vec<(Id, Cow<'a, str>, u16)>;

/// Applies an end tag (`name`, its classes `name_kind`) in the body; `Some(false)` when the
/// case needs html5ever.
fn end_tag<'a>(doc: &mut Dom<'a>, stack: &mut Open<'a>, name: &str, name_kind: u16) -> Option<bool> {
    if name_kind & K_FORMATTING != 0 {
        if stack.last()?.1 == name {
            stack.pop();
            return Some(true);
        }
        // Not open: ignored by html5ever too; open below other elements: adoption agency.
        return Some(!stack.iter().any(|(_, n, _)| n == name));
    }
    if name_kind & K_SPECIAL != 0 {
        let table_tag = matches!(name, "td" | "th" | "tr" | "tbody" | "thead" | "tfoot" | "table");
        let mut found = None;
        for (k, (_, open, open_kind)) in stack.iter().enumerate().rev() {
            if open == name {
                found = Some(k);
                break;
            }
            let boundary = if table_tag {
                (open == "table" && name != "table") || open == "html"
            } else {
                // `p` is looked for in button scope, `li` in list item scope.
                open_kind & K_SCOPE != 0
                    || (name == "p" && open == "button")
                    || (name == "li" && matches!(&**open, "ul" | "ol"))
            };
            if boundary {
                break;
            }
        }
        match found {
            Some(k) => {
                if stack[k + 1..].iter().any(|(_, _, above)| above & (K_FORMATTING | K_HEADINGS) != 0) {
                    return Some(false);
                }
                stack.truncate(k);
            }
            None if name == "p" => {
                let (top, _, top_kind) = stack.last()?;
                if top_kind & K_TABLE_CONTEXT != 0 {
                    return Some(false); // the empty `p` is foster-parented before the table
                }
                let top = *top;
                doc.append(top, Dom::element("p", vec![]));
            }
            None if name_kind & K_HEADINGS != 0 => {
                return Some(!stack.iter().any(|(_, _, open)| open & K_HEADINGS != 0));
            }
            None => {}
        }
        return Some(true);
    }
    // Any other end tag: the nearest open element of that name, unless a special one is nearer.
    for k in (0..stack.len()).rev() {
        if stack[k].1 == name {
            if stack[k + 1..].iter().any(|(_, _, above)| above & K_FORMATTING != 0) {
                return Some(false);
            }
            stack.truncate(k);
            return Some(true);
        }
        if stack[k].2 & K_SPECIAL != 0 {
            return Some(true); // ignored
        }
    }
    Some(true)
}

/// Reads the content of a raw-text (`script`, `style`, `iframe`) or RCDATA (`title`) element up to its
/// end tag into element `id`; returns what follows the end tag.
fn raw_text<'a>(doc: &mut Dom<'a>, id: Id, name: &str, rest: &'a str) -> Option<&'a str> {
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
    let t = if name == "title" { decode_entities(content)? } else { Cow::Borrowed(content) };
    if !t.is_empty() {
        doc.append(id, Data::Text(t));
    }
    let after = &rest[pos..];
    Some(&after[memchr::memchr(b'>', after.as_bytes())? + 1..])
}
