//! The element classes of the HTML tree-construction rules the fast builder follows (void,
//! head-only, formatting, special, scope boundaries …). The lists say which elements each class
//! holds; `kind()` holds them as one `match` from name to flags (fast), and its unit test checks
//! that it says exactly what the lists say.

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

pub(super) const K_VOID: u16 = 1 << 0;
pub(super) const K_HEAD_ONLY: u16 = 1 << 1;
pub(super) const K_BAIL: u16 = 1 << 2;
pub(super) const K_FORMATTING: u16 = 1 << 3;
pub(super) const K_CLOSES_P: u16 = 1 << 4;
pub(super) const K_SPECIAL: u16 = 1 << 5;
pub(super) const K_HEADINGS: u16 = 1 << 6;
pub(super) const K_SCOPE: u16 = 1 << 7;
pub(super) const K_TABLE_CONTEXT: u16 = 1 << 8;

/// The lists above as flags, one `match` (generated from the lists; a unit test checks them).
pub(super) fn kind(name: &str) -> u16 {
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
