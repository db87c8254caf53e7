//! The PDF reader: a PDF with a text layer → layout text in the style of `pdftotext -layout`
//! (one line per visual line, table cells apart by runs of 2+ spaces), which the text reader
//! splits like any layout text. Characters and their boxes come from pdf_oxide (pure Rust);
//! lines are grouped by baseline, gaps wider than 0.8 glyph heights become 2+ spaces, and a
//! label printed vertically one glyph per line (三、本年度办理结果 in a merged cell) is pulled out
//! as one line of its own. A PDF with no characters (a scan) is rejected: OCR is out of scope.

use pdf_oxide::PdfDocument;
use pdf_oxide::layout::TextChar;

/// Vertical tolerance for "same line", as a fraction of the page's median glyph height.
const LINE_TOL: f32 = 0.35;
/// Horizontal gap (fraction of the line's median glyph height) above which a
/// gap is treated as a column break and rendered as 2+ spaces.
const WIDE_GAP: f32 = 0.8;
/// Horizontal gap (fraction of the line's median glyph height) above which a
/// single word space is inserted.
const SMALL_GAP: f32 = 0.15;

/// One glyph reduced to what the layout needs (PDF user space, y grows upward).
#[derive(Clone, Copy, Debug)]
struct Glyph {
    ch: char,
    x: f32,
    w: f32,
    y: f32, // baseline
    h: f32,
}

/// Turn a PDF with a text layer into layout text: one line per visual line,
/// table cells separated by runs of 2+ spaces, pages separated by a line
/// holding a single form feed (`\x0c`).
pub fn layout_text(bytes: &[u8], max_pages: usize) -> Result<String, super::Refusal> {
    let doc = PdfDocument::from_bytes(bytes.to_vec()).map_err(|e| format!("cannot open PDF: {e}"))?;
    let pages = doc.page_count().map_err(|e| format!("cannot read page count: {e}"))?;
    if pages > max_pages {
        return Err(super::Refusal::Limit(format!("{pages} pages, over the limit of {max_pages} (--max-pages)")));
    }
    let mut out = String::new();
    let mut total_glyphs = 0usize;
    for p in 0..pages {
        let chars: Vec<TextChar> =
            doc.extract_chars(p).map_err(|e| format!("cannot extract text of page {}: {e}", p + 1))?;
        let glyphs: Vec<Glyph> = chars
            .iter()
            .filter(|c| !c.char.is_whitespace() && !c.char.is_control())
            .map(|c| Glyph {
                ch: c.char,
                x: c.bbox.x,
                w: c.bbox.width.max(0.0),
                y: c.bbox.y,
                h: if c.bbox.height > 0.0 { c.bbox.height } else { c.font_size.abs() },
            })
            .filter(|g| g.x.is_finite() && g.y.is_finite() && g.h.is_finite() && g.h > 0.0)
            .collect();
        total_glyphs += glyphs.len();
        if p > 0 {
            out.push_str("\x0c\n");
        }
        out.push_str(&layout_page(glyphs));
    }
    if total_glyphs == 0 {
        return Err(super::Refusal::NotAReport(format!(
            "PDF has no text layer: no characters found on any of its {pages} page(s) \
             (scanned image PDF? OCR would be needed)"
        )));
    }
    Ok(out)
}

fn median(mut v: Vec<f32>) -> f32 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Lay out one page's glyphs; returns the page's lines, each ending in '\n'.
fn layout_page(glyphs: Vec<Glyph>) -> String {
    if glyphs.is_empty() {
        return String::new();
    }
    let page_h = median(glyphs.iter().map(|g| g.h).collect());
    let tol = LINE_TOL * page_h;
    // Width of one output column, for indentation and wide-gap padding.
    let col_w = 0.5 * page_h;
    let min_x = glyphs.iter().map(|g| g.x).fold(f32::INFINITY, f32::min);

    // Vertical text (a merged table cell written one CJK glyph per row) would
    // otherwise leak one glyph into each table row it passes; pull it out.
    let (mut glyphs, stacks) = split_vertical_stacks(glyphs, tol);

    // Group into lines: top to bottom; a glyph joins the current line while its
    // baseline stays within `tol` of the line's first baseline (anchor, so a
    // line cannot drift down the page).
    glyphs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<(f32, Vec<Glyph>)> = Vec::new();
    for g in glyphs {
        match lines.last_mut() {
            Some((anchor, line)) if (*anchor - g.y).abs() <= tol => line.push(g),
            _ => lines.push((g.y, vec![g])),
        }
    }
    // Each vertical stack becomes a line of its own, placed at its top glyph.
    for stack in stacks {
        let top = stack[0];
        let mut x = top.x;
        let flat: Vec<Glyph> = stack
            .iter()
            .map(|g| {
                let f = Glyph { x, y: top.y, ..*g };
                x += g.w;
                f
            })
            .collect();
        let at = lines.iter().position(|(y, _)| *y < top.y).unwrap_or(lines.len());
        lines.insert(at, (top.y, flat));
    }

    let mut out = String::new();
    for (_, line) in lines {
        out.push_str(&render_line(line, min_x, col_w));
        out.push('\n');
    }
    out
}

/// Render one line: indentation from the page's left edge, one space for a
/// word gap, `max(2, round(gap / col_w))` spaces for a column gap.
fn render_line(mut line: Vec<Glyph>, min_x: f32, col_w: f32) -> String {
    line.sort_by(|a, b| a.x.total_cmp(&b.x));
    let line_h = median(line.iter().map(|g| g.h).collect());
    let mut s = String::new();
    let indent = ((line[0].x - min_x) / col_w).round().max(0.0) as usize;
    s.extend(std::iter::repeat_n(' ', indent));
    let mut prev: Option<Glyph> = None;
    for g in line {
        if let Some(p) = prev {
            // Drop duplicated glyphs (fake bold / overprint): same char at ~same spot.
            if p.ch == g.ch && (g.x - p.x).abs() < 0.3 * p.w.max(1.0) {
                continue;
            }
            let gap = g.x - (p.x + p.w);
            // Geometry first for split digits (`35 1` for 351): digits closer than a cell gap
            // belong to one number.
            let digits = p.ch.is_ascii_digit() && g.ch.is_ascii_digit();
            if digits && gap <= WIDE_GAP * line_h {
            } else if gap > WIDE_GAP * line_h {
                let n = ((gap / col_w).round() as usize).max(2);
                s.extend(std::iter::repeat_n(' ', n));
            } else if gap > SMALL_GAP * line_h {
                s.push(' ');
            }
        }
        s.push(g.ch);
        prev = Some(g);
    }
    s.truncate(s.trim_end().len());
    s
}

/// Find runs of >= 3 non-ASCII glyphs that stand alone on their line (no
/// neighbour within a column gap) and sit exactly under one another (same x,
/// baseline step 0.8..1.3 glyph heights): vertical text. Returns the other
/// glyphs and the stacks (each top to bottom).
fn split_vertical_stacks(glyphs: Vec<Glyph>, tol: f32) -> (Vec<Glyph>, Vec<Vec<Glyph>>) {
    let lone: Vec<bool> = glyphs
        .iter()
        .enumerate()
        .map(|(i, g)| {
            !g.ch.is_ascii()
                && glyphs.iter().enumerate().all(|(j, o)| {
                    if i == j || (o.y - g.y).abs() > tol {
                        return true;
                    }
                    let gap = if o.x >= g.x { o.x - (g.x + g.w) } else { g.x - (o.x + o.w) };
                    gap > WIDE_GAP * g.h
                })
        })
        .collect();
    let mut cand: Vec<usize> = (0..glyphs.len()).filter(|&i| lone[i]).collect();
    cand.sort_by(|&a, &b| glyphs[b].y.total_cmp(&glyphs[a].y));
    let mut used = vec![false; glyphs.len()];
    let mut stacks = Vec::new();
    for (k, &start) in cand.iter().enumerate() {
        if used[start] {
            continue;
        }
        let mut chain = vec![start];
        for &next in &cand[k + 1..] {
            let (last, n) = (glyphs[*chain.last().expect("chain starts non-empty")], glyphs[next]);
            let dy = last.y - n.y;
            if used[next] || (n.x - last.x).abs() > 0.2 * last.h || n.ch == ' ' {
                continue;
            }
            if dy > 1.3 * last.h {
                break;
            }
            if dy >= 0.8 * last.h {
                chain.push(next);
            }
        }
        if chain.len() >= 3 {
            for &i in &chain {
                used[i] = true;
            }
            stacks.push(chain.iter().map(|&i| glyphs[i]).collect());
        }
    }
    let rest = glyphs.into_iter().zip(used).filter(|(_, u)| !u).map(|(g, _)| g).collect();
    (rest, stacks)
}
