//! The drawing of a chart, generic over the PNG and SVG backends: title and subtitle, one plot or
//! a grid of small multiples (`plot.rs`), value labels placed clear of each other (`labels.rs`),
//! the legend and the footer — or 无数据 with the selection when the result is empty. Every length
//! is in points of the chart's size and multiplied by its scale, so a chart for print is the same
//! chart with more pixels.

mod axis;
mod labels;
mod plot;
mod text;

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

pub use labels::Rect;

use super::{Caption, ChartSpec, Data, Kind};
use plot::{Frame, plot};
use text::Writer;

/// Size of a chart: points wide and high, and pixels per point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    pub width: u32,
    pub height: u32,
    pub scale: f64,
    /// Panels of a small-multiples chart at most (`--max-panels`): those with the most values.
    pub max_panels: usize,
}

/// The default of `--max-panels`: a 6 × 4 grid still readable at the default size.
pub const MAX_PANELS: usize = 24;

impl Default for Options {
    fn default() -> Options {
        Options { width: 960, height: 560, scale: 1.0, max_panels: MAX_PANELS }
    }
}

impl Options {
    /// Checked options: 480–4000 points wide, 320–4000 high, scale 0.5–8.
    pub fn new(width: u32, height: u32, scale: f64) -> Result<Options, String> {
        if !(480..=4000).contains(&width) || !(320..=4000).contains(&height) {
            return Err(format!("chart size {width}x{height}: width must be 480–4000 and height 320–4000"));
        }
        if !(0.5..=8.0).contains(&scale) {
            return Err(format!("chart scale {scale}: must be 0.5–8"));
        }
        Ok(Options { width, height, scale, max_panels: MAX_PANELS })
    }

    /// The same options showing at most `n` panels (1–200).
    pub fn with_max_panels(self, n: usize) -> Result<Options, String> {
        if !(1..=200).contains(&n) {
            return Err(format!("--max-panels {n}: must be 1–200"));
        }
        Ok(Options { max_panels: n, ..self })
    }

    /// Pixels of the PNG (and user units of the SVG).
    pub fn pixels(&self) -> (u32, u32) {
        ((f64::from(self.width) * self.scale).round() as u32, (f64::from(self.height) * self.scale).round() as u32)
    }

    fn px(&self, points: f64) -> i32 {
        (points * self.scale).round() as i32
    }

    fn pt(&self, size: f32) -> f32 {
        size * self.scale as f32
    }
}

const LEGEND_WIDTH: f64 = 230.0;
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
/// Height of one footer line, in points.
const FOOTER_LINE: f64 = 17.0;

/// Draws the PNG; returns the boxes of the value labels drawn.
pub fn png(spec: &ChartSpec, data: &Data, caption: &Caption, o: &Options, path: &Path) -> Result<Vec<Rect>, String> {
    let root = BitMapBackend::new(path, o.pixels()).into_drawing_area();
    draw(root, true, spec, data, caption, o).map_err(|e| e.to_string())
}

/// Draws the SVG (the same boxes as the PNG).
pub fn svg(spec: &ChartSpec, data: &Data, caption: &Caption, o: &Options, path: &Path) -> Result<Vec<Rect>, String> {
    let root = SVGBackend::new(path, o.pixels()).into_drawing_area();
    draw(root, false, spec, data, caption, o).map_err(|e| e.to_string())
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    bitmap: bool,
    spec: &ChartSpec,
    data: &Data,
    caption: &Caption,
    o: &Options,
) -> Result<Vec<Rect>, DrawingAreaErrorKind<DB::ErrorType>> {
    let writer = Writer::new(bitmap);
    let (width, height) = (f64::from(o.width), f64::from(o.height));
    let plot_right = width - LEGEND_WIDTH;
    let center = o.px(plot_right / 2.0 + 40.0);
    root.fill(&WHITE)?;
    writer.put(&root, &spec.title, (center, o.px(14.0)), o.pt(24.0), BLACK, HPos::Center)?;
    if !caption.subtitle.is_empty() {
        writer.put(&root, &caption.subtitle, (center, o.px(48.0)), o.pt(14.0), GREY, HPos::Center)?;
    }
    // The footer's lines (coverage and formula; what the pooled figures leave out) from the bottom up.
    let limit = f64::from(o.px(width - 32.0)) as f32;
    let footer: Vec<String> = caption.footer.lines().flat_map(|l| wrap(&writer, l, o.pt(13.0), limit)).collect();
    for (i, line) in footer.iter().enumerate() {
        let y = height - 26.0 - FOOTER_LINE * (footer.len() - 1 - i) as f64;
        writer.put(&root, line, (o.px(16.0), o.px(y)), o.pt(13.0), GREY, HPos::Left)?;
    }
    let top = if caption.subtitle.is_empty() { 78.0 } else { 96.0 };
    let bottom = height - 72.0 - FOOTER_LINE * footer.len().saturating_sub(1) as f64;

    if data.is_empty() {
        let middle = (top + bottom) / 2.0;
        let x = o.px(plot_right / 2.0 + 40.0);
        writer.put(&root, "无数据", (x, o.px(middle - 40.0)), o.pt(36.0), GREY, HPos::Center)?;
        let selection = format!("筛选：{}", caption.selection);
        writer.put(&root, &selection, (x, o.px(middle + 12.0)), o.pt(16.0), GREY, HPos::Center)?;
        root.present()?;
        return Ok(Vec::new());
    }

    let axis = axis::x_axis(spec, &data.categories);
    let names = data.series_names();
    let frame = Frame {
        spec,
        axis: &axis,
        y_max: axis::y_max(spec, data),
        names: &names,
        options: o,
        small: spec.kind == Kind::SmallMultiples,
        breaks: axis::breaks(&axis, &data.categories, &data.breaks),
        break_label: spec.break_label.as_deref().unwrap_or(super::DEFAULT_BREAK_LABEL),
    };
    let region = Rect { x0: o.px(10.0), y0: o.px(top), x1: o.px(plot_right), y1: o.px(bottom) };
    let mut plotted = Vec::new();
    if frame.small {
        let n = data.panels.len().max(1);
        let cols = (n as f64).sqrt().ceil() as usize;
        let rows = n.div_ceil(cols);
        let (cell_w, cell_h) = ((region.x1 - region.x0) / cols as i32, (region.y1 - region.y0) / rows as i32);
        for (k, panel) in data.panels.iter().enumerate() {
            let (x0, y0) = (region.x0 + (k % cols) as i32 * cell_w, region.y0 + (k / cols) as i32 * cell_h);
            let cell = Rect { x0, y0: y0 + o.px(20.0), x1: x0 + cell_w - o.px(10.0), y1: y0 + cell_h - o.px(4.0) };
            writer.put(&root, &panel.name, (x0 + cell_w / 2 + o.px(20.0), y0), o.pt(13.0), BLACK, HPos::Center)?;
            let empty = !panel.series.iter().any(|(_, v)| v.iter().any(Option::is_some));
            if empty {
                let at = (x0 + cell_w / 2 + o.px(20.0), y0 + cell_h / 2 - o.px(8.0));
                writer.put(&root, "无数据", at, o.pt(14.0), GREY, HPos::Center)?;
                continue;
            }
            plotted.push(plot(&root, &writer, &frame, panel, cell)?);
        }
        let mid = (region.x0 + region.x1) / 2;
        writer.put(&root, &spec.x_label, (mid, region.y1 + o.px(8.0)), o.pt(15.0), GREY, HPos::Center)?;
        writer.put(&root, &spec.y_label, (region.x0, region.y0 - o.px(26.0)), o.pt(15.0), GREY, HPos::Left)?;
    } else {
        plotted.push(plot(&root, &writer, &frame, &data.panels[0], region)?);
    }

    let mut drawn = Vec::new();
    for p in &plotted {
        let candidates: Vec<labels::Candidate> = p.labels.iter().map(|l| l.candidate.clone()).collect();
        for (label, place) in p.labels.iter().zip(labels::place(&candidates, p.bounds, &p.obstacles, o.px(6.0))) {
            let Some(r) = place else { continue };
            writer.put(&root, &label.text, (r.x0, r.y0), label.size, label.color, HPos::Left)?;
            drawn.push(r);
        }
    }

    // Legend in its own column on the right, in series order (stack order bottom-up reversed).
    let legend_x = o.px(plot_right + 16.0);
    let stacked = spec.kind == Kind::StackedBar;
    let order: Vec<usize> = if stacked { (0..names.len()).rev().collect() } else { (0..names.len()).collect() };
    let lined = matches!(spec.kind, Kind::Line | Kind::SmallMultiples);
    for (row, s) in order.into_iter().enumerate() {
        let y = top + 6.0 + row as f64 * 24.0;
        if y + 24.0 > bottom {
            break;
        }
        let (y, color) = (o.px(y), COLORS[s % COLORS.len()]);
        if lined {
            let line = vec![(legend_x, y + o.px(8.0)), (legend_x + o.px(20.0), y + o.px(8.0))];
            root.draw(&PathElement::new(line, color.stroke_width(o.px(3.0) as u32)))?;
        } else {
            root.draw(&Rectangle::new(
                [(legend_x, y + o.px(1.0)), (legend_x + o.px(16.0), y + o.px(15.0))],
                color.filled(),
            ))?;
        }
        writer.put(&root, names[s], (legend_x + o.px(28.0), y), o.pt(14.0), BLACK, HPos::Left)?;
    }
    root.present()?;
    Ok(drawn)
}

/// A footer line broken into lines of at most `limit` pixels, at its ` · ` and `；` joints.
fn wrap(writer: &Writer, line: &str, size: f32, limit: f32) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    for part in line.split(" · ") {
        if writer.width(size, part) <= limit {
            parts.push(part.to_string());
        } else {
            let pieces: Vec<&str> = part.split('；').collect();
            let last = pieces.len() - 1;
            parts.extend(
                pieces.iter().enumerate().map(|(i, p)| if i < last { format!("{p}；") } else { p.to_string() }),
            );
        }
    }
    let mut lines: Vec<String> = Vec::new();
    for part in parts {
        match lines.last_mut() {
            Some(l) if writer.width(size, &format!("{l} · {part}")) <= limit && !l.ends_with('；') => {
                *l = format!("{l} · {part}")
            }
            Some(l) if l.ends_with('；') && writer.width(size, &format!("{l}{part}")) <= limit => l.push_str(&part),
            _ => lines.push(part),
        }
    }
    lines
}
