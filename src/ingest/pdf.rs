//! The PDF reader: a PDF with a text layer → layout text in the style of `pdftotext -layout`
//! (one line per visual line, table cells apart by runs of 2+ spaces), which the text reader
//! splits like any layout text. Characters and their boxes come from pdf_oxide (pure Rust);
//! lines are grouped by baseline, gaps wider than 0.8 glyph heights become 2+ spaces, and a
//! label printed vertically one glyph per line (三、本年度办理结果 in a merged cell) is pulled out
//! as one line of its own; a number too wide for its table cell, which the producer wrapped onto
//! the next line(s) of the cell (`852` printed as `8` over `5` over `2`), is joined back (see
//! [`join_wrapped_numbers`]). A PDF with no characters (a scan) is rejected: OCR is out of scope.

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
    join_wrapped_numbers(&mut lines);
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

/// Largest baseline step, in glyph heights, between two lines of one table cell: a cell's own
/// line spacing (1.34 in LibreOffice's export with a CJK font), less than the step to the next
/// row, which adds the cells' padding and the rule (2.2 there).
const WRAP_STEP: f32 = 1.6;
/// How close (in glyph heights) a wrapped remnant's left or right edge sits to the number above.
const WRAP_ALIGN: f32 = 0.3;

/// A word of a line: glyphs closer than a column gap.
fn words(line: &[Glyph]) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, g) in line.iter().enumerate() {
        match out.last_mut() {
            Some(w) if g.x - (line[i - 1].x + line[i - 1].w) <= WIDE_GAP * g.h => w.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

fn is_number(word: &[Glyph]) -> bool {
    word.iter().all(|g| g.ch.is_ascii_digit())
}

/// Joins numbers that wrapped inside their table cells. The lines under a line with numbers (the
/// head) are its numbers' remnants while each sits within a cell's line spacing ([`WRAP_STEP`])
/// under the one before and holds, right of the head's first number, only runs of digits whose
/// left or right edge lines up with one of the head's numbers (text further left — a wrapped
/// label — may share the line and stays a line of its own, unless every number of the head has a
/// run under it: that is the next row; a line of lone glyphs there, a vertical
/// label passing down its cell, may come between). Their digits are appended to those
/// numbers, so `8` over `5` over `2` reads 852; anything else leaves the lines as printed (the
/// identities judge what was read).
fn join_wrapped_numbers(lines: &mut Vec<(f32, Vec<Glyph>)>) {
    let mut out: Vec<(f32, Vec<Glyph>)> = Vec::with_capacity(lines.len());
    let mut rest = std::mem::take(lines).into_iter().peekable();
    while let Some((head_y, mut head)) = rest.next() {
        head.sort_by(|a, b| a.x.total_cmp(&b.x));
        let numbers: Vec<std::ops::Range<usize>> =
            words(&head).into_iter().filter(|w| is_number(&head[w.clone()])).collect();
        // Digits wrapped from each number, in reading order; lines left over (wrapped labels).
        let mut tails: Vec<Vec<Glyph>> = vec![Vec::new(); numbers.len()];
        let mut leftovers: Vec<(f32, Vec<Glyph>)> = Vec::new();
        let mut bottom = head_y;
        while let Some((y, line)) = rest.peek() {
            let Some((joined, left)) = wrapped_remnant(&head, &numbers, bottom, line, *y) else { break };
            for (n, glyphs) in joined {
                tails[n].extend(glyphs);
            }
            bottom = *y;
            if !left.is_empty() {
                leftovers.push((*y, left));
            }
            rest.next();
        }
        // Each number grows by its tail; what follows it moves right by as much, so every gap
        // of the line stays as printed.
        let mut line = Vec::with_capacity(head.len());
        let mut shift = 0.0;
        let mut next = 0;
        for (n, word) in numbers.iter().enumerate() {
            line.extend(head[next..word.end].iter().map(|g| Glyph { x: g.x + shift, ..*g }));
            next = word.end;
            let last = head[word.end - 1];
            let mut x = last.x + last.w + shift;
            for g in &tails[n] {
                line.push(Glyph { x, y: head_y, ..*g });
                x += g.w;
            }
            shift = x - (last.x + last.w);
        }
        line.extend(head[next..].iter().map(|g| Glyph { x: g.x + shift, ..*g }));
        out.push((head_y, line));
        out.extend(leftovers);
    }
    *lines = out;
}

/// The digits of `line` (baseline `y`) wrapped from the head's `numbers` (by number), and the
/// glyphs left of the head's first number, when the line is such a remnant: within [`WRAP_STEP`]
/// under the line above (`bottom`), every glyph right of that point a digit of a run aligned with
/// a number of the head, one run per number.
#[allow(clippy::type_complexity)]
fn wrapped_remnant(
    head: &[Glyph],
    numbers: &[std::ops::Range<usize>],
    bottom: f32,
    line: &[Glyph],
    y: f32,
) -> Option<(Vec<(usize, Vec<Glyph>)>, Vec<Glyph>)> {
    let first = head.get(numbers.first()?.start)?.x;
    let h = median(line.iter().map(|g| g.h).collect());
    let step = bottom - y;
    if line.is_empty() || step <= 0.0 || step > WRAP_STEP * h {
        return None;
    }
    let mut line = line.to_vec();
    line.sort_by(|a, b| a.x.total_cmp(&b.x));
    let cut = line.iter().position(|g| g.x + g.w >= first - WIDE_GAP * h).unwrap_or(line.len());
    let (left, digits) = line.split_at(cut);
    let mut joined: Vec<(usize, Vec<Glyph>)> = Vec::new();
    for w in words(digits) {
        let word = &digits[w];
        if !is_number(word) {
            return None;
        }
        let (l, r) = (word[0].x, word[word.len() - 1].x + word[word.len() - 1].w);
        let target = numbers.iter().position(|n| {
            let (nl, nr) = (head[n.start].x, head[n.end - 1].x + head[n.end - 1].w);
            (nl - l).abs() <= WRAP_ALIGN * h || (nr - r).abs() <= WRAP_ALIGN * h
        })?;
        if joined.iter().any(|(t, _)| *t == target) {
            return None;
        }
        joined.push((target, word.to_vec()));
    }
    // Text on the left and a number under every number of the head: the next row, not a remnant.
    if !left.is_empty() && joined.len() == numbers.len() {
        return None;
    }
    // A line of lone glyphs left of the numbers (a vertical label passing down its merged cell)
    // may sit between two lines of remnants.
    let passing = joined.is_empty() && words(left).iter().all(|w| w.len() == 1);
    (!joined.is_empty() || passing).then(|| (joined, left.to_vec()))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A line of glyphs at baseline `y`: `(text, x)` words, glyphs 7 wide (digits) or 11 (others).
    fn line(y: f32, words: &[(&str, f32)]) -> (f32, Vec<Glyph>) {
        let mut glyphs = Vec::new();
        for (text, x) in words {
            let mut x = *x;
            for ch in text.chars() {
                let w = if ch.is_ascii() { 7.0 } else { 11.0 };
                glyphs.push(Glyph { ch, x, w, y, h: 11.0 });
                x += w;
            }
        }
        (y, glyphs)
    }

    fn text(lines: &[(f32, Vec<Glyph>)]) -> Vec<String> {
        // Cells apart by two spaces, however wide the gap.
        let cells = |l: String| l.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect::<Vec<_>>().join("  ");
        lines.iter().map(|(_, l)| cells(render_line(l.clone(), 90.0, 5.5))).collect()
    }

    #[test]
    fn joins_digits_wrapped_inside_their_cells() {
        // 852 and 891 in cells one digit wide, under a row label; a wrapped label and a vertical
        // label's lone glyph share the remnant lines.
        let mut lines = vec![
            line(700.0, &[("一、本年新收", 90.0), ("8", 290.0), ("3", 306.0), ("0", 322.0), ("8", 389.0)]),
            line(685.3, &[("申请数量", 90.0), ("5", 290.0), ("5", 306.0), ("9", 389.0)]),
            line(670.6, &[("度", 90.0)]),
            line(655.9, &[("2", 290.0), ("1", 389.0)]),
            line(631.0, &[("二、上年结转", 90.0), ("3", 290.0), ("1", 306.0), ("0", 322.0), ("3", 389.0)]),
        ];
        join_wrapped_numbers(&mut lines);
        assert_eq!(text(&lines), ["一、本年新收  852  35  0  891", "申请数量", "度", "二、上年结转  3  1  0  3"]);
    }

    #[test]
    fn leaves_the_next_row_and_far_lines_alone() {
        // The next row sits within a cell's line spacing but has a number under every number.
        let mut lines = vec![
            line(700.0, &[("（一）予以公开", 90.0), ("5", 290.0), ("2", 306.0)]),
            line(685.3, &[("（二）部分公开", 90.0), ("1", 290.0), ("3", 306.0)]),
            // Aligned digits two line spacings down: a row of its own.
            line(655.0, &[("4", 290.0)]),
            // Digits not under any number.
            line(640.3, &[("9", 350.0)]),
        ];
        let before = text(&lines);
        join_wrapped_numbers(&mut lines);
        assert_eq!(text(&lines), before);
    }
}
