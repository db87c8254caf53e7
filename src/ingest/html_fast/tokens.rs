//! The fast builder's tokenizer: one start or end tag with the attributes the reader reads, and
//! the character references it knows (anything else is left to html5ever: `None`).

use std::borrow::Cow;

use super::super::dom::Attr;

/// Decodes character references; `None` for one this builder does not know.
pub(super) fn decode_entities(s: &str) -> Option<Cow<'_, str>> {
    if memchr::memchr(b'&', s.as_bytes()).is_none() {
        return Some(Cow::Borrowed(s));
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = memchr::memchr(b'&', rest.as_bytes()) {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let end = memchr::memchr(b';', rest.as_bytes()).filter(|&e| e <= 32);
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
    Some(Cow::Owned(out))
}

pub(super) struct Tag<'a> {
    /// The lowercase name, borrowed from the page when it is written in lowercase.
    pub name: Cow<'a, str>,
    pub attrs: Vec<(Attr, Cow<'a, str>)>,
    pub end: bool,
}

/// `s` in ASCII lowercase, borrowed when it already is.
fn lowercase(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) { Cow::Owned(s.to_ascii_lowercase()) } else { Cow::Borrowed(s) }
}

/// Parses the tag starting at `s[0] == '<'`; returns it and the bytes consumed.
pub(super) fn parse_tag(s: &str) -> Option<(Tag<'_>, usize)> {
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
    let name = lowercase(&s[start..i]);
    let mut attrs: Vec<(Attr, Cow<str>)> = Vec::new();
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
        if i == a {
            return None; // a name starting with '=' (`<e a=""=">">`): html5ever's name takes the '=' in
        }
        let attr = Attr::of(&lowercase(&s[a..i]));
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
                    let close = memchr::memchr(q, &b[i + 1..])? + i + 1;
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
        if let Some(attr) = attr
            && !attrs.iter().any(|(n, _)| *n == attr)
        {
            attrs.push((attr, decode_entities(raw)?));
        }
    }
}
