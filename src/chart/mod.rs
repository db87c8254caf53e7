//! Chart: a query result + a chart spec → PNG and SVG, with Chinese title, subtitle (whose figures
//! it pools), axis labels, legend and a footer that defines every symbol it prints. Specs are the
//! bundled `charts/*.toml` plus an analyst's folder (`catalogue.rs`); kinds are line, stacked and
//! grouped bars and small multiples (`draw/`); the size and scale are [`Options`]. The CJK font (a
//! GB2312 subset of Noto Sans CJK SC, SIL OFL 1.1, `assets/fonts`) is embedded, so charts render
//! the same on a machine with no fonts; the SVG names a fallback chain of CJK families.

mod catalogue;
mod draw;
mod footer;
pub mod symbols;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Once;

use polars::prelude::*;
use serde::Deserialize;

use crate::error::{Error, Result};

pub use catalogue::{Origin, find, load, parse, spec, specs};
pub use draw::{MAX_PANELS, Options, Rect};
pub use footer::{Rendered, caption, render_all, selection_zh};

/// The embedded font.
pub const FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-Regular-subset.otf");
/// Font family as registered and as written into SVG `font-family`.
pub const FONT_FAMILY: &str =
    "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif";

static REGISTER: Once = Once::new();

/// Registers the embedded font with plotters (once per process).
fn register_font() {
    REGISTER.call_once(|| {
        // The font is embedded and checked by a test; registration cannot fail at run time.
        let _ = plotters::style::register_font(FONT_FAMILY, plotters::style::FontStyle::Normal, FONT_BYTES);
    });
}

/// Chart kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Line,
    StackedBar,
    GroupedBar,
    /// One small line chart per value of the `panels` column (per agency, per level), on shared
    /// axes.
    SmallMultiples,
}

impl Kind {
    pub fn id(self) -> &'static str {
        match self {
            Kind::Line => "line",
            Kind::StackedBar => "stacked_bar",
            Kind::GroupedBar => "grouped_bar",
            Kind::SmallMultiples => "small_multiples",
        }
    }
}

/// How values are printed on the y axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum NumberFormat {
    Percent,
    #[default]
    Integer,
    Decimal,
}

/// A chart spec (`charts/<name>.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartSpec {
    #[serde(skip)]
    pub name: String,
    /// Where the spec was read from.
    #[serde(skip)]
    pub origin: Origin,
    pub title: String,
    /// Canned query that feeds the chart.
    pub query: String,
    pub kind: Kind,
    /// Column of x categories, in the order the query returns them. A column named `year` is a
    /// numeric axis: a tick at every year of the range, a gap where a year has no data.
    pub x: String,
    /// Value columns. With `series` unset each is one series (wide data).
    pub y: Vec<String>,
    /// Column naming the series (long data); then `y` holds one column. `series = "agency"`
    /// draws one line per agency.
    #[serde(default)]
    pub series: Option<String>,
    /// Column naming the panel of each row (kind `small_multiples` only): `agency`, `level_label`.
    #[serde(default)]
    pub panels: Option<String>,
    /// Display names of the `y` series (wide data), in order.
    #[serde(default)]
    pub series_labels: Vec<String>,
    pub x_label: String,
    pub y_label: String,
    #[serde(default)]
    pub number_format: NumberFormat,
    /// Registry key of the metric shown, for the footer.
    #[serde(default)]
    pub metric: Option<String>,
    /// Optional note printed in the footer (e.g. cross-era comparability); `{min_n}` is the
    /// smallest denominator of a ranked unit (`query::metrics::MIN_N`).
    #[serde(default)]
    pub note: Option<String>,
    /// Boolean column marking a break in the series (`era_break`: the first 2019+ year after
    /// legacy years): a row with it true breaks the x axis just before its x value. When the data
    /// crosses a break, the chart draws a dashed vertical line there with `break_label`, and a
    /// line that crosses it is dashed between its last point before and its first point after.
    #[serde(default)]
    pub break_column: Option<String>,
    /// The note at a break line (default [`DEFAULT_BREAK_LABEL`]).
    #[serde(default)]
    pub break_label: Option<String>,
    /// Position in listings and the briefing (lower first; then by name).
    #[serde(default = "default_order")]
    pub order: i32,
}

fn default_order() -> i32 {
    100
}

/// The note at a break line when the spec names none.
pub const DEFAULT_BREAK_LABEL: &str = "口径变化";

impl ChartSpec {
    /// Whether the chart shows agencies apart (its series or panels are agencies); every other
    /// chart pools the reports of its selection.
    pub fn per_agency(&self) -> bool {
        [&self.series, &self.panels].into_iter().flatten().any(|c| c.starts_with("agency"))
    }
}

/// The data of a chart: x categories and, per panel, named series of values over them (one
/// unnamed panel unless the kind is `small_multiples`), and the categories a break lies just
/// before (the spec's `break_column`; empty without it).
#[derive(Debug, Clone, PartialEq)]
pub struct Data {
    pub categories: Vec<String>,
    pub panels: Vec<Panel>,
    pub breaks: Vec<String>,
}

/// One panel: named series of values over the chart's categories.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    pub name: String,
    pub series: Vec<(String, Vec<Option<f64>>)>,
}

impl Data {
    /// Keeps at most `max` panels: those with the most values (ties in their order), in their
    /// order. Returns how many were left out. A small-multiples chart of every agency of a large
    /// warehouse would be one unreadable picture of 10⁵ panels (a 159 MB SVG).
    pub fn keep_panels(&mut self, max: usize) -> usize {
        if self.panels.len() <= max {
            return 0;
        }
        let values = |p: &Panel| p.series.iter().flat_map(|(_, v)| v).filter(|v| v.is_some()).count();
        let mut order: Vec<usize> = (0..self.panels.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(values(&self.panels[i])));
        let mut keep = vec![false; self.panels.len()];
        order.iter().take(max).for_each(|&i| keep[i] = true);
        let dropped = self.panels.len() - max;
        let mut keep = keep.into_iter();
        self.panels.retain(|_| keep.next().unwrap_or(false));
        dropped
    }

    /// Series names over all panels, in first-seen order (the legend, and the colour index).
    pub fn series_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for (name, _) in self.panels.iter().flat_map(|p| &p.series) {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        names
    }

    /// Whether no series has a value: the chart draws 无数据 instead of an empty frame.
    pub fn is_empty(&self) -> bool {
        !self.panels.iter().flat_map(|p| &p.series).any(|(_, v)| v.iter().any(Option::is_some))
    }
}

/// Takes the chart's columns out of a query result. Rows with the same panel, x and series are
/// summed.
pub fn data(spec: &ChartSpec, df: &DataFrame) -> Result<Data> {
    let err = |reason: String| Error::Chart { name: spec.name.clone(), reason };
    let text = |name: &str| -> Result<Vec<String>> {
        let c = df.column(name).map_err(|e| err(e.to_string()))?;
        Ok((0..df.height()).map(|i| c.get(i).map(|v| any_to_text(&v)).unwrap_or_default()).collect())
    };
    let number = |name: &str| -> Result<Vec<Option<f64>>> {
        let c = df
            .column(name)
            .map_err(|e| err(e.to_string()))?
            .cast(&DataType::Float64)
            .map_err(|e| err(e.to_string()))?;
        Ok(c.f64().map_err(|e| err(e.to_string()))?.iter().collect())
    };
    let xs = text(&spec.x)?;
    let panel_of = match &spec.panels {
        Some(col) => text(col)?,
        None => vec![String::new(); xs.len()],
    };
    // Categories, panels and series in order of first appearance, found by hash: a chart of
    // one panel per agency reads a row per agency (10⁵ rows took 29 s by linear search).
    let mut categories: Vec<String> = Vec::new();
    let mut category_at: HashMap<&str, usize> = HashMap::new();
    let x_index: Vec<usize> = xs
        .iter()
        .map(|x| {
            *category_at.entry(x.as_str()).or_insert_with(|| {
                categories.push(x.clone());
                categories.len() - 1
            })
        })
        .collect();
    let n = categories.len();
    let mut panels: Vec<Panel> = Vec::new();
    // (panel, series name) → index of the series in its panel; panel → index of the panel.
    let mut panel_at: HashMap<String, usize> = HashMap::new();
    let mut series_at: HashMap<(usize, String), usize> = HashMap::new();
    let mut add = |panel: &str, name: &str, i: usize, v: Option<f64>| {
        let p = *panel_at.entry(panel.to_string()).or_insert_with(|| {
            panels.push(Panel { name: panel.to_string(), series: Vec::new() });
            panels.len() - 1
        });
        let series = &mut panels[p].series;
        let pos = *series_at.entry((p, name.to_string())).or_insert_with(|| {
            series.push((name.to_string(), vec![None; n]));
            series.len() - 1
        });
        if let Some(v) = v {
            let cell = &mut series[pos].1[i];
            *cell = Some(cell.unwrap_or(0.0) + v);
        }
    };
    match &spec.series {
        Some(col) => {
            let names = text(col)?;
            let values = number(&spec.y[0])?;
            for (((&i, name), v), panel) in x_index.iter().zip(&names).zip(values).zip(&panel_of) {
                add(panel, name, i, v);
            }
        }
        None => {
            for (k, y) in spec.y.iter().enumerate() {
                let label = spec.series_labels.get(k).cloned().unwrap_or_else(|| y.clone());
                let values = number(y)?;
                for ((&i, v), panel) in x_index.iter().zip(values).zip(&panel_of) {
                    add(panel, &label, i, v);
                }
            }
        }
    }
    if panels.is_empty() && spec.panels.is_none() {
        panels.push(Panel { name: String::new(), series: Vec::new() });
    }
    let mut breaks: Vec<String> = Vec::new();
    if let Some(column) = &spec.break_column {
        let marked = df
            .column(column)
            .map_err(|e| err(e.to_string()))?
            .cast(&DataType::Boolean)
            .map_err(|e| err(format!("break_column {column}: {e}")))?;
        for (x, b) in xs.iter().zip(marked.bool().map_err(|e| err(e.to_string()))?.iter()) {
            if b == Some(true) && !breaks.contains(x) {
                breaks.push(x.clone());
            }
        }
    }
    Ok(Data { categories, panels, breaks })
}

/// What a chart prints besides its data.
#[derive(Debug, Clone, Default)]
pub struct Caption {
    /// Under the title: what the figures pool (`汇总 7 个机关`); empty for nothing.
    pub subtitle: String,
    /// Footer lines: coverage, the metric defined, the selection, notes.
    pub footer: String,
    /// The selection in Chinese (`全部报告` when there is none), printed under 无数据.
    pub selection: String,
}

/// The files of a rendered chart and the boxes of its value labels (pixels of the PNG).
#[derive(Debug, Clone)]
pub struct Drawn {
    pub png: PathBuf,
    pub svg: PathBuf,
    pub labels: Vec<Rect>,
}

fn any_to_text(v: &AnyValue) -> String {
    match v {
        AnyValue::Null => String::new(),
        AnyValue::String(s) => s.to_string(),
        other => other.to_string().trim_matches('"').to_string(),
    }
}

/// Renders a chart to `<out>/<name>.png` and `<out>/<name>.svg` at the size of `options`.
pub fn render(spec: &ChartSpec, data: &Data, caption: &Caption, options: &Options, out: &Path) -> Result<Drawn> {
    register_font();
    std::fs::create_dir_all(out).map_err(|source| Error::Write { path: out.to_path_buf(), source })?;
    let png = out.join(format!("{}.png", spec.name));
    let svg = out.join(format!("{}.svg", spec.name));
    let err = |e: String| Error::Chart { name: spec.name.clone(), reason: e };
    let labels = draw::png(spec, data, caption, options, &png).map_err(err)?;
    draw::svg(spec, data, caption, options, &svg).map_err(err)?;
    Ok(Drawn { png, svg, labels })
}

/// Text drawn with the embedded font: full-width brackets become ASCII (the ab_glyph backend
/// drops their left bearing and prints a gap).
pub fn glyph_safe(text: &str) -> String {
    text.replace('（', "(").replace('）', ")").replace(['–', '−'], "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_panels_with_the_most_values_in_their_order() {
        // Panel k has k % 5 values over five years.
        let panel = |k: usize| Panel {
            name: format!("机关{k}"),
            series: vec![("率".to_string(), (0..5).map(|i| (i < k % 5).then_some(0.5)).collect())],
        };
        let mut data = Data {
            categories: (2021..=2025).map(|y| y.to_string()).collect(),
            panels: (0..30).map(panel).collect(),
            breaks: vec![],
        };
        assert_eq!(data.clone().keep_panels(30), 0);
        assert_eq!(data.keep_panels(10), 20);
        let names: Vec<&str> = data.panels.iter().map(|p| p.name.as_str()).collect();
        // The six panels with 4 values (4, 9, …, 29), then the first four with 3 (3, 8, 13, 18).
        assert_eq!(
            names,
            ["机关3", "机关4", "机关8", "机关9", "机关13", "机关14", "机关18", "机关19", "机关24", "机关29"]
        );
        assert!(Options::default().with_max_panels(0).is_err());
    }
}
