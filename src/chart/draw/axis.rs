//! The axes' arithmetic: where each category sits on x (a year column is a numeric axis with a
//! tick at every year of its range, so a year with no data is a visible gap), which points a
//! line joins, and how far y reaches.

use super::super::{ChartSpec, Data, Kind, NumberFormat};

/// The x axis of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct XAxis {
    /// Position of each category of the data; `None` for a category the axis leaves off (a
    /// year that could not be read).
    pub positions: Vec<Option<f64>>,
    /// Every tick: position and text.
    pub ticks: Vec<(f64, String)>,
    pub range: (f64, f64),
}

/// The x axis for `categories`: numeric when the x column is `year`, else one slot per category
/// in data order.
pub fn x_axis(spec: &ChartSpec, categories: &[String]) -> XAxis {
    if spec.x == "year" {
        let years: Vec<Option<i32>> = categories.iter().map(|c| c.trim().parse::<i32>().ok()).collect();
        if let (Some(lo), Some(hi)) = (years.iter().flatten().min().copied(), years.iter().flatten().max().copied()) {
            return XAxis {
                positions: years.iter().map(|y| y.map(f64::from)).collect(),
                ticks: (lo..=hi).map(|y| (f64::from(y), y.to_string())).collect(),
                range: (f64::from(lo) - 0.5, f64::from(hi) + 0.5),
            };
        }
    }
    XAxis {
        positions: (0..categories.len()).map(|i| Some(i as f64)).collect(),
        ticks: categories.iter().enumerate().map(|(i, c)| (i as f64, c.clone())).collect(),
        range: (-0.5, categories.len().max(1) as f64 - 0.5),
    }
}

/// A series' points (position, value), left to right, skipping missing values.
pub fn points(axis: &XAxis, values: &[Option<f64>]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> =
        axis.positions.iter().zip(values).filter_map(|(x, v)| Some(((*x)?, (*v)?))).collect();
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    out
}

/// The runs of a line: consecutive points one slot apart are joined; a missing value or a
/// missing year between two points breaks the line.
pub fn segments(points: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    for &p in points {
        match out.last_mut() {
            Some(run) if p.0 - run.last().expect("runs are never empty").0 <= 1.0 + 1e-9 => run.push(p),
            _ => out.push(vec![p]),
        }
    }
    out
}

/// Where the breaks of `data` lie on the axis: half a slot before each break's category (none
/// before the first slot: the data does not cross it).
pub fn breaks(axis: &XAxis, categories: &[String], breaks: &[String]) -> Vec<f64> {
    let mut out: Vec<f64> = breaks
        .iter()
        .filter_map(|b| categories.iter().position(|c| c == b))
        .filter_map(|i| axis.positions[i])
        .map(|x| x - 0.5)
        .filter(|x| *x > axis.range.0 + 1e-9)
        .collect();
    out.sort_by(f64::total_cmp);
    out.dedup();
    out
}

/// Points of a line joined without a gap.
pub type Run = Vec<(f64, f64)>;

/// The runs of a line cut at the breaks (positions from [`breaks`]): the runs drawn solid, and
/// the segments that cross a break, drawn dashed.
pub fn cut(runs: Vec<Run>, breaks: &[f64]) -> (Vec<Run>, Vec<[(f64, f64); 2]>) {
    let (mut solid, mut crossing) = (Vec::new(), Vec::new());
    for run in runs {
        let mut current: Vec<(f64, f64)> = Vec::new();
        for p in run {
            if let Some(&last) = current.last()
                && breaks.iter().any(|b| last.0 < *b && *b < p.0)
            {
                crossing.push([last, p]);
                solid.push(std::mem::take(&mut current));
            }
            current.push(p);
        }
        solid.push(current);
    }
    (solid, crossing)
}

/// The top of the y axis over every panel: the highest value (or stack) plus room for labels;
/// 100% for stacked shares.
pub fn y_max(spec: &ChartSpec, data: &Data) -> f64 {
    let stacked = spec.kind == Kind::StackedBar;
    let mut top: f64 = 0.0;
    for panel in &data.panels {
        for i in 0..data.categories.len() {
            let values = panel.series.iter().filter_map(|(_, v)| v.get(i).copied().flatten());
            top = top.max(if stacked { values.sum::<f64>() } else { values.fold(0.0, f64::max) });
        }
    }
    if spec.number_format == NumberFormat::Percent && stacked && top <= 1.0 + 1e-9 && top > 0.0 {
        return 1.0;
    }
    if top > 0.0 { top * 1.15 } else { 1.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_year_breaks_the_line() {
        let pts = [(2019.0, 0.3), (2022.0, 0.6), (2023.0, 1.0), (2025.0, 0.3)];
        assert_eq!(segments(&pts), vec![vec![(2019.0, 0.3)], vec![(2022.0, 0.6), (2023.0, 1.0)], vec![(2025.0, 0.3)]]);
    }

    #[test]
    fn a_line_across_a_break_is_cut_and_the_crossing_kept_apart() {
        let pts = [(2017.0, 5.0), (2018.0, 6.0), (2019.0, 9.0), (2020.0, 8.0)];
        let (solid, crossing) = cut(segments(&pts), &[2018.5]);
        assert_eq!(solid, vec![vec![(2017.0, 5.0), (2018.0, 6.0)], vec![(2019.0, 9.0), (2020.0, 8.0)]]);
        assert_eq!(crossing, vec![[(2018.0, 6.0), (2019.0, 9.0)]]);
        // No break, or one the line does not cross: one run, nothing dashed.
        assert_eq!(cut(segments(&pts), &[]).0.len(), 1);
        assert!(cut(segments(&pts), &[2016.5]).1.is_empty());
    }
}
