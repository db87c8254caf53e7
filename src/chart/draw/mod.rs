//! The plotters drawing for each chart kind, generic over the PNG and SVG backends.
//!
//! Text: plotters' ab_glyph backend drops each glyph's left bearing, which puts uneven gaps into
//! Chinese text, so on bitmaps xxgk rasterizes text itself with ab_glyph (pen position + bearing)
//! and plotters draws only lines, bars and the numeric y ticks. SVG keeps real `<text>` elements.

use std::path::Path;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartSpec, Data, FONT_BYTES, FONT_FAMILY, Kind, NumberFormat, glyph_safe};

/// Width and height of every chart, in pixels.
pub const SIZE: (u32, u32) = (960, 560);
const LEGEND_WIDTH: u32 = 230;
const COLORS: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];
const GREY: RGBColor = RGBColor(90, 90, 90);
/// Height of one footer line.
const FOOTER_LINE: i32 = 17;

pub fn png(spec: &ChartSpec, data: &Data, footer: &str, path: &Path) -> Result<(), String> {
    let root = BitMapBackend::new(path, SIZE).into_drawing_area();
    draw(root, true, spec, data, footer).map_err(|e| e.to_string())
}

pub fn svg(spec: &ChartSpec, data: &Data, footer: &str, path: &Path) -> Result<(), String> {
    let root = SVGBackend::new(path, SIZE).into_drawing_area();
    draw(root, false, spec, data, footer).map_err(|e| e.to_string())
}

fn format_value(format: NumberFormat, v: f64) -> String {
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

fn axis_value(format: NumberFormat, v: f64) -> String {
    match format {
        NumberFormat::Percent => format!("{:.0}%", v * 100.0),
        other => format_value(other, v),
    }
}

/// Writes text with its top edge at `y`, aligned on `x` by `h`.
struct Writer {
    bitmap: bool,
    font: FontRef<'static>,
}

impl Writer {
    fn width(&self, size: f32, text: &str) -> f32 {
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

    fn put<DB: DrawingBackend>(
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

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    bitmap: bool,
    spec: &ChartSpec,
    data: &Data,
    footer: &str,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let writer = Writer { bitmap, font: FontRef::try_from_slice(FONT_BYTES).expect("embedded font is valid") };
    root.fill(&WHITE)?;
    writer.put(&root, &spec.title, ((SIZE.0 - LEGEND_WIDTH) as i32 / 2 + 40, 14), 24.0, BLACK, HPos::Center)?;
    // The footer's lines (coverage and formula; what the pooled figures leave out) from the bottom up.
    let footer_lines: Vec<&str> = footer.lines().collect();
    for (i, line) in footer_lines.iter().enumerate() {
        let y = SIZE.1 as i32 - 26 - FOOTER_LINE * (footer_lines.len() - 1 - i) as i32;
        writer.put(&root, line, (16, y), 13.0, GREY, HPos::Left)?;
    }
    let extra_footer = FOOTER_LINE as u32 * footer_lines.len().saturating_sub(1) as u32;

    let n = data.categories.len().max(1);
    let stacked = spec.kind == Kind::StackedBar;
    let top = (0..n)
        .map(|i| {
            let values = data.series.iter().filter_map(|(_, v)| v.get(i).copied().flatten());
            if stacked { values.sum::<f64>() } else { values.fold(0.0, f64::max) }
        })
        .fold(0.0, f64::max);
    let mut y_max = if top > 0.0 { top * 1.15 } else { 1.0 };
    if spec.number_format == NumberFormat::Percent && stacked && top <= 1.0 + 1e-9 {
        y_max = 1.0;
    }
    let format = spec.number_format;
    let y_fmt = move |v: &f64| axis_value(format, *v);
    let plot_area = root.margin(78, 72 + extra_footer, 10, LEGEND_WIDTH);
    let mut chart = ChartBuilder::on(&plot_area)
        .y_label_area_size(64)
        .x_label_area_size(4)
        .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..y_max)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(6)
        .max_light_lines(0)
        .label_style((FONT_FAMILY, 14))
        .y_label_formatter(&y_fmt)
        .draw()?;

    // Axis texts: categories under the axis, the x title under them, the y title above the axis.
    for (i, category) in data.categories.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(i as f64, 0.0));
        writer.put(&root, category, (px, py + 8), 14.0, BLACK, HPos::Center)?;
    }
    let (left, bottom) = chart.backend_coord(&(-0.5, 0.0));
    let (right, top_px) = chart.backend_coord(&(n as f64 - 0.5, y_max));
    writer.put(&root, &spec.x_label, ((left + right) / 2, bottom + 34), 15.0, GREY, HPos::Center)?;
    writer.put(&root, &spec.y_label, (left - 60, top_px - 26), 15.0, GREY, HPos::Left)?;

    let k = data.series.len().max(1);
    let mut base = vec![0.0f64; n];
    for (s, (_, values)) in data.series.iter().enumerate() {
        let color = COLORS[s % COLORS.len()];
        match spec.kind {
            Kind::Line => {
                let points: Vec<(f64, f64)> =
                    values.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i as f64, v))).collect();
                chart.draw_series(LineSeries::new(points.clone(), color.stroke_width(3)))?;
                chart.draw_series(points.iter().map(|&(x, y)| Circle::new((x, y), 5, color.filled())))?;
                for &(x, y) in &points {
                    let (px, py) = chart.backend_coord(&(x, y));
                    writer.put(&root, &format_value(format, y), (px + 8, py - 22), 13.0, color, HPos::Left)?;
                }
            }
            Kind::StackedBar => {
                let rects: Vec<Rectangle<(f64, f64)>> = values
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| {
                        let v = (*v)?;
                        let (x, b) = (i as f64, base[i]);
                        base[i] += v;
                        Some(Rectangle::new([(x - 0.3, b), (x + 0.3, b + v)], color.filled()))
                    })
                    .collect();
                chart.draw_series(rects)?;
            }
            Kind::GroupedBar => {
                let width = 0.76 / k as f64;
                for (i, v) in values.iter().enumerate() {
                    let Some(v) = *v else { continue };
                    let left = i as f64 - 0.38 + s as f64 * width;
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(left, 0.0), (left + width * 0.9, v)],
                        color.filled(),
                    )))?;
                    let (px, py) = chart.backend_coord(&(left + width * 0.45, v));
                    writer.put(&root, &format_value(format, v), (px, py - 18), 12.0, BLACK, HPos::Center)?;
                }
            }
        }
    }
    if stacked {
        for (i, total) in base.iter().enumerate() {
            if *total > 0.0 && spec.number_format != NumberFormat::Percent {
                let (px, py) = chart.backend_coord(&(i as f64, *total));
                writer.put(&root, &format_value(format, *total), (px, py - 18), 12.0, BLACK, HPos::Center)?;
            }
        }
    }

    // Legend in its own column on the right, in series order (stack order bottom-up reversed).
    let legend_x = (SIZE.0 - LEGEND_WIDTH + 16) as i32;
    let order: Vec<usize> =
        if stacked { (0..data.series.len()).rev().collect() } else { (0..data.series.len()).collect() };
    for (row, s) in order.into_iter().enumerate() {
        let color = COLORS[s % COLORS.len()];
        let y = 84 + row as i32 * 24;
        if spec.kind == Kind::Line {
            root.draw(&PathElement::new(vec![(legend_x, y + 8), (legend_x + 20, y + 8)], color.stroke_width(3)))?;
        } else {
            root.draw(&Rectangle::new([(legend_x, y + 1), (legend_x + 16, y + 15)], color.filled()))?;
        }
        writer.put(&root, &data.series[s].0, (legend_x + 28, y), 14.0, BLACK, HPos::Left)?;
    }
    root.present()?;
    Ok(())
}
