//! Text on a chart. plotters' ab_glyph backend drops each glyph's left bearing, which puts uneven
//! gaps into Chinese text, so on bitmaps xxgk rasterizes text itself with ab_glyph (pen position
//! plus bearing); SVG keeps real `<text>` elements. Widths are measured with the embedded font, the
//! same on both, so label boxes are the boxes drawn.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::{FONT_BYTES, FONT_FAMILY, NumberFormat, glyph_safe};

/// A value as a label prints it: `75.5%`, `9,487`, `0.25`.
pub fn format_value(format: NumberFormat, v: f64) -> String {
    match format {
        NumberFormat::Percent => format!("{:.1}%", v * 100.0),
        NumberFormat::Integer => {
            let n = v.round() as i64;
            let s = n.abs().to_string();
            let mut out = String::new();
            for (i, ch) in s.chars().enumerate() {
                if i > 0 && (s.len() - i).is_multiple_of(3) {
                    out.push(',');
                }
                out.push(ch);
            }
            if n < 0 { format!("-{out}") } else { out }
        }
        NumberFormat::Decimal => format!("{v:.2}"),
    }
}

/// A value as the y axis prints it (percentages without decimals).
pub fn axis_value(format: NumberFormat, v: f64) -> String {
    match format {
        NumberFormat::Percent => format!("{:.0}%", v * 100.0),
        other => format_value(other, v),
    }
}

/// Writes text with its top edge at `y`, aligned on `x` by `h`.
pub struct Writer {
    pub bitmap: bool,
    font: FontRef<'static>,
}

impl Writer {
    pub fn new(bitmap: bool) -> Writer {
        Writer { bitmap, font: FontRef::try_from_slice(FONT_BYTES).expect("embedded font is valid") }
    }

    /// Width of `text` at `size` pixels.
    pub fn width(&self, size: f32, text: &str) -> f32 {
        let text = glyph_safe(text);
        let scaled = self.font.as_scaled(PxScale::from(size));
        let mut w = 0.0;
        let mut prev = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = prev {
                w += scaled.kern(p, id);
            }
            w += scaled.h_advance(id);
            prev = Some(id);
        }
        w
    }

    /// Height of a line of text at `size` pixels (ascent to descent).
    pub fn height(&self, size: f32) -> f32 {
        self.font.as_scaled(PxScale::from(size)).height()
    }

    pub fn put<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text: &str,
        (x, y): (i32, i32),
        size: f32,
        color: RGBColor,
        h: HPos,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let text = glyph_safe(text);
        if !self.bitmap {
            let style =
                TextStyle::from((FONT_FAMILY, size as f64).into_font()).color(&color).pos(Pos::new(h, VPos::Top));
            return area.draw_text(&text, &style, (x, y));
        }
        let width = self.width(size, &text);
        let left = match h {
            HPos::Left => x as f32,
            HPos::Center => x as f32 - width / 2.0,
            HPos::Right => x as f32 - width,
        };
        let scaled = self.font.as_scaled(PxScale::from(size));
        let baseline = y as f32 + scaled.ascent();
        let mut pen = left;
        let mut prev = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = prev {
                pen += scaled.kern(p, id);
            }
            let glyph = id.with_scale_and_position(PxScale::from(size), point(pen, baseline));
            if let Some(outline) = self.font.outline_glyph(glyph) {
                let bounds = outline.px_bounds();
                let mut pixels = Vec::new();
                outline.draw(|gx, gy, coverage| {
                    if coverage > 0.02 {
                        pixels.push((bounds.min.x as i32 + gx as i32, bounds.min.y as i32 + gy as i32, coverage));
                    }
                });
                for (px, py, coverage) in pixels {
                    area.draw_pixel((px, py), &color.mix(coverage.min(1.0) as f64))?;
                }
            }
            pen += scaled.h_advance(id);
            prev = Some(id);
        }
        Ok(())
    }
}
