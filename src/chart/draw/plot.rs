//! One plot — axes, bars or lines of one panel — in a box of the canvas. It draws the data and
//! returns the value labels it wants with the boxes they must keep clear of; the caller places
//! them (`labels::place`).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::axis::{self, XAxis};
use super::labels::{Around, Candidate, Rect, line_points};
use super::text::{Writer, axis_value, format_value};
use super::{COLORS, GREY, Options};
use crate::chart::{ChartSpec, FONT_FAMILY, Kind, NumberFormat, Panel};

/// A value label a plot asks for.
pub struct ValueLabel {
    pub text: String,
    pub color: RGBColor,
    pub size: f32,
    pub candidate: Candidate,
}

/// What a plot leaves for the label pass: its labels, the boxes they must not cover (point
/// markers) and the plot's inner box.
pub struct Plotted {
    pub labels: Vec<ValueLabel>,
    pub obstacles: Vec<Rect>,
    pub bounds: Rect,
}

/// Shared drawing inputs of every plot of a chart.
pub struct Frame<'a> {
    pub spec: &'a ChartSpec,
    pub axis: &'a XAxis,
    pub y_max: f64,
    /// Legend order of the series: a series' colour is its index here.
    pub names: &'a [&'a str],
    pub options: &'a Options,
    /// A panel of small multiples: smaller text, no axis titles, only the last value labelled.
    pub small: bool,
    /// x positions of the breaks the data crosses ([`axis::breaks`]), and the note at each.
    pub breaks: Vec<f64>,
    pub break_label: &'a str,
}

/// Draws `panel` inside `area` (pixels of `root`).
pub fn plot<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    writer: &Writer,
    frame: &Frame,
    panel: &Panel,
    area: Rect,
) -> Result<Plotted, DrawingAreaErrorKind<DB::ErrorType>> {
    let (spec, axis, o, small) = (frame.spec, frame.axis, frame.options, frame.small);
    let sub = root.clone().shrink((area.x0, area.y0), ((area.x1 - area.x0) as u32, (area.y1 - area.y0) as u32));
    let format = spec.number_format;
    let y_fmt = move |v: &f64| axis_value(format, *v);
    let tick_size = o.pt(if small { 11.0 } else { 14.0 });
    let mut chart = ChartBuilder::on(&sub)
        .y_label_area_size(o.px(if small { 46.0 } else { 64.0 }))
        .x_label_area_size(o.px(if small { 18.0 } else { 4.0 }))
        .build_cartesian_2d(axis.range.0..axis.range.1, 0f64..frame.y_max)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(if small { 4 } else { 6 })
        .max_light_lines(0)
        .label_style((FONT_FAMILY, f64::from(tick_size)))
        .y_label_formatter(&y_fmt)
        .draw()?;

    // x ticks at every slot; their texts as often as they fit.
    let (left, bottom) = chart.backend_coord(&(axis.range.0, 0.0));
    let (right, top) = chart.backend_coord(&(axis.range.1, frame.y_max));
    let slot = f64::from(right - left) / (axis.range.1 - axis.range.0).max(1.0);
    let widest = axis.ticks.iter().map(|(_, t)| writer.width(tick_size, t)).fold(0.0f32, f32::max);
    let every = ((f64::from(widest) + f64::from(o.px(6.0))) / slot.max(1.0)).ceil().max(1.0) as usize;
    for (k, (x, text)) in axis.ticks.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(*x, 0.0));
        root.draw(&PathElement::new(vec![(px, py), (px, py + o.px(4.0))], BLACK))?;
        if k % every == 0 {
            writer.put(root, text, (px, py + o.px(if small { 5.0 } else { 8.0 })), tick_size, BLACK, HPos::Center)?;
        }
    }
    if !small {
        let title = o.pt(15.0);
        writer.put(root, &spec.x_label, ((left + right) / 2, bottom + o.px(34.0)), title, GREY, HPos::Center)?;
        writer.put(root, &spec.y_label, (left - o.px(60.0), top - o.px(26.0)), title, GREY, HPos::Left)?;
    }

    let label_size = o.pt(if small { 11.0 } else { 13.0 });
    let mut out = Plotted {
        labels: Vec::new(),
        obstacles: Vec::new(),
        bounds: Rect { x0: left, y0: top, x1: right, y1: bottom },
    };
    let mut want = |text: String, color: RGBColor, anchor: (i32, i32), rank: (i32, usize), around: Around| {
        let size = (writer.width(label_size, &text).ceil() as i32, writer.height(label_size).ceil() as i32);
        out.labels.push(ValueLabel {
            text,
            color,
            size: label_size,
            candidate: Candidate { anchor, size, rank, around },
        });
    };
    let color_of = |name: &str| COLORS[frame.names.iter().position(|n| *n == name).unwrap_or(0) % COLORS.len()];
    let n = axis.positions.len();
    let k = panel.series.len().max(1);
    let mut base = vec![0.0f64; n];
    let mut markers = Vec::new();
    for (s, (name, values)) in panel.series.iter().enumerate() {
        let color = color_of(name);
        match spec.kind {
            Kind::Line | Kind::SmallMultiples => {
                let points = axis::points(axis, values);
                let width = o.px(if small { 2.0 } else { 3.0 }) as u32;
                let (runs, crossings) = axis::cut(axis::segments(&points), &frame.breaks);
                for run in runs.into_iter().filter(|r| r.len() > 1) {
                    // The line is an obstacle too: small boxes along it, so no label sits on a line.
                    let pixels: Vec<(i32, i32)> = run.iter().map(|p| chart.backend_coord(p)).collect();
                    markers.extend(pixels.windows(2).flat_map(|w| along(w[0], w[1], width as i32)));
                    chart.draw_series(LineSeries::new(run, color.stroke_width(width)))?;
                }
                // Across a break the figures change definition: a thinner dashed line.
                for [a, b] in crossings {
                    markers.extend(along(chart.backend_coord(&a), chart.backend_coord(&b), width as i32));
                    let style = color.stroke_width(width.saturating_sub(1).max(1));
                    chart.draw_series(DashedLineSeries::new([a, b], o.px(6.0), o.px(4.0), style))?;
                }
                let radius = o.px(if small { 3.0 } else { 5.0 });
                chart.draw_series(points.iter().map(|&(x, y)| Circle::new((x, y), radius, color.filled())))?;
                for &(x, y) in &points {
                    let (px, py) = chart.backend_coord(&(x, y));
                    markers.push(Rect { x0: px - radius, y0: py - radius, x1: px + radius, y1: py + radius });
                }
                let chosen =
                    if small { line_points(&points).into_iter().take(1).collect() } else { line_points(&points) };
                for (i, rank) in chosen {
                    let (x, y) = points[i];
                    want(format_value(format, y), color, chart.backend_coord(&(x, y)), (rank, s), Around::Point);
                }
            }
            Kind::StackedBar => {
                let mut rects = Vec::new();
                for (i, v) in values.iter().enumerate() {
                    let (Some(v), Some(x)) = (*v, axis.positions[i]) else { continue };
                    rects.push(Rectangle::new([(x - 0.3, base[i]), (x + 0.3, base[i] + v)], color.filled()));
                    base[i] += v;
                }
                chart.draw_series(rects)?;
            }
            Kind::GroupedBar => {
                let width = 0.76 / k as f64;
                for (i, v) in values.iter().enumerate() {
                    let (Some(v), Some(x)) = (*v, axis.positions[i]) else { continue };
                    let left = x - 0.38 + s as f64 * width;
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(left, 0.0), (left + width * 0.9, v)],
                        color.filled(),
                    )))?;
                    let anchor = chart.backend_coord(&(left + width * 0.45, v));
                    want(format_value(format, v), BLACK, anchor, (0, s), Around::BarTop);
                }
            }
        }
    }
    if spec.kind == Kind::StackedBar && format != NumberFormat::Percent {
        for (i, total) in base.iter().enumerate() {
            let Some(x) = axis.positions[i].filter(|_| *total > 0.0) else { continue };
            want(format_value(format, *total), BLACK, chart.backend_coord(&(x, *total)), (0, i), Around::BarTop);
        }
    }
    for &x in &frame.breaks {
        let (px, py_top) = chart.backend_coord(&(x, frame.y_max));
        let (_, py_bottom) = chart.backend_coord(&(x, 0.0));
        root.draw(&plotters::element::DashedPathElement::new(
            [(px, py_top), (px, py_bottom)],
            o.px(5.0),
            o.px(4.0),
            GREY.stroke_width(o.px(1.0).max(1) as u32),
        ))?;
        let size = o.pt(if small { 10.0 } else { 12.0 });
        let at = (px + o.px(4.0), py_top + o.px(2.0));
        writer.put(root, frame.break_label, at, size, GREY, HPos::Left)?;
        let (w, h) = (writer.width(size, frame.break_label).ceil() as i32, writer.height(size).ceil() as i32);
        markers.push(Rect { x0: px - 1, y0: at.1, x1: at.0 + w, y1: at.1 + h });
        markers.push(Rect { x0: px - 1, y0: py_top, x1: px + 1, y1: py_bottom });
    }
    out.obstacles = markers;
    Ok(out)
}

/// Boxes of side about `width` every few pixels along the segment `a`–`b`: the line as obstacles.
fn along(a: (i32, i32), b: (i32, i32), width: i32) -> Vec<Rect> {
    let (dx, dy) = ((b.0 - a.0) as f64, (b.1 - a.1) as f64);
    let steps = ((dx.abs().max(dy.abs())) / 3.0).ceil().max(1.0) as i32;
    let half = (width / 2).max(1);
    (0..=steps)
        .map(|k| {
            let t = k as f64 / steps as f64;
            let (x, y) = ((a.0 as f64 + dx * t).round() as i32, (a.1 as f64 + dy * t).round() as i32);
            Rect { x0: x - half, y0: y - half, x1: x + half, y1: y + half }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::labels::{Around, Candidate, place};
    use super::*;

    #[test]
    fn a_label_moves_off_a_line_that_crosses_its_first_place() {
        // A line rising to the right through the above-right place of a label at (100, 100).
        let line = along((100, 100), (160, 60), 3);
        assert!(line.iter().any(|r| r.x0 <= 130 && 130 <= r.x1 && r.y0 <= 80 && 80 <= r.y1));
        let label = Candidate { anchor: (100, 100), size: (40, 14), rank: (0, 0), around: Around::Point };
        let bounds = Rect { x0: 0, y0: 0, x1: 400, y1: 300 };
        let free = place(std::slice::from_ref(&label), bounds, &[], 6)[0].unwrap();
        let moved = place(&[label], bounds, &line, 6)[0].unwrap();
        assert!(line.iter().any(|r| r.overlaps(&free)), "the first place is on the line");
        assert!(!line.iter().any(|r| r.overlaps(&moved)), "{moved:?} is on the line");
    }
}
