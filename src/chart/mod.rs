//! Chart: a query result + a `charts/*.toml` spec → PNG and SVG, with Chinese title, axis labels,
//! legend and a source footer. The CJK font (a GB2312 subset of Noto Sans CJK SC, SIL OFL 1.1,
//! `assets/fonts`) is embedded, so charts render the same on a machine with no fonts; the SVG
//! names a fallback chain of CJK families for its viewer.

mod draw;
mod footer;

use std::path::{Path, PathBuf};
use std::sync::Once;

use polars::prelude::*;
use serde::Deserialize;

use crate::error::{Error, Result};

pub use draw::SIZE;
pub use footer::{Rendered, footer, render_all};

/// The chart specs of `charts/*.toml`, embedded at build time.
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_charts.rs"));
}

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
}

impl Kind {
    pub fn id(self) -> &'static str {
        match self {
            Kind::Line => "line",
            Kind::StackedBar => "stacked_bar",
            Kind::GroupedBar => "grouped_bar",
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
    pub title: String,
    /// Canned query that feeds the chart.
    pub query: String,
    pub kind: Kind,
    /// Column of x categories, in the order the query returns them.
    pub x: String,
    /// Value columns. With `series` unset each is one series (wide data).
    pub y: Vec<String>,
    /// Column naming the series (long data); then `y` holds one column.
    #[serde(default)]
    pub series: Option<String>,
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
    /// Optional note printed in the footer (e.g. cross-era comparability).
    #[serde(default)]
    pub note: Option<String>,
    /// Position in listings and the briefing (lower first; then by name).
    #[serde(default = "default_order")]
    pub order: i32,
}

fn default_order() -> i32 {
    100
}

/// Every chart spec, in briefing order.
pub fn specs() -> Result<Vec<ChartSpec>> {
    let mut specs: Vec<ChartSpec> = embedded::CHART_FILES
        .iter()
        .map(|(name, text)| {
            let mut spec: ChartSpec =
                toml::from_str(text).map_err(|e| Error::Chart { name: name.to_string(), reason: e.to_string() })?;
            spec.name = name.to_string();
            if spec.series.is_some() && spec.y.len() != 1 {
                return Err(Error::Chart {
                    name: name.to_string(),
                    reason: "with `series`, `y` must name one column".into(),
                });
            }
            Ok(spec)
        })
        .collect::<Result<_>>()?;
    specs.sort_by(|a, b| (a.order, &a.name).cmp(&(b.order, &b.name)));
    Ok(specs)
}

/// The chart spec called `name`.
pub fn spec(name: &str) -> Result<ChartSpec> {
    let all = specs()?;
    all.iter().find(|s| s.name == name).cloned().ok_or_else(|| {
        Error::Usage(format!(
            "no chart named '{name}'; charts: {}",
            all.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")
        ))
    })
}

/// The data of a chart: x categories and named series of values over them.
#[derive(Debug, Clone, PartialEq)]
pub struct Data {
    pub categories: Vec<String>,
    pub series: Vec<(String, Vec<Option<f64>>)>,
}

/// Takes the chart's columns out of a query result. Rows with the same x (and series) are summed.
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
    let mut categories: Vec<String> = Vec::new();
    for x in &xs {
        if !categories.contains(x) {
            categories.push(x.clone());
        }
    }
    let index = |x: &String| categories.iter().position(|c| c == x).expect("category collected above");
    let mut series: Vec<(String, Vec<Option<f64>>)> = Vec::new();
    let mut add = |name: &str, i: usize, v: Option<f64>| {
        let pos = match series.iter().position(|(n, _)| n == name) {
            Some(p) => p,
            None => {
                series.push((name.to_string(), vec![None; categories.len()]));
                series.len() - 1
            }
        };
        if let Some(v) = v {
            let cell = &mut series[pos].1[i];
            *cell = Some(cell.unwrap_or(0.0) + v);
        }
    };
    match &spec.series {
        Some(col) => {
            let names = text(col)?;
            let values = number(&spec.y[0])?;
            for ((x, name), v) in xs.iter().zip(&names).zip(values) {
                add(name, index(x), v);
            }
        }
        None => {
            for (k, y) in spec.y.iter().enumerate() {
                let label = spec.series_labels.get(k).cloned().unwrap_or_else(|| y.clone());
                let values = number(y)?;
                for (x, v) in xs.iter().zip(values) {
                    add(&label, index(x), v);
                }
            }
        }
    }
    Ok(Data { categories, series })
}

fn any_to_text(v: &AnyValue) -> String {
    match v {
        AnyValue::Null => String::new(),
        AnyValue::String(s) => s.to_string(),
        other => other.to_string().trim_matches('"').to_string(),
    }
}

/// Renders a chart to `<out>/<name>.png` and `<out>/<name>.svg`; returns both paths.
pub fn render(spec: &ChartSpec, data: &Data, footer: &str, out: &Path) -> Result<(PathBuf, PathBuf)> {
    register_font();
    std::fs::create_dir_all(out).map_err(|source| Error::Write { path: out.to_path_buf(), source })?;
    let png = out.join(format!("{}.png", spec.name));
    let svg = out.join(format!("{}.svg", spec.name));
    let err = |e: String| Error::Chart { name: spec.name.clone(), reason: e };
    draw::png(spec, data, footer, &png).map_err(err)?;
    draw::svg(spec, data, footer, &svg).map_err(err)?;
    Ok((png, svg))
}

/// Text drawn with the embedded font: full-width brackets become ASCII (the ab_glyph backend
/// drops their left bearing and prints a gap).
pub fn glyph_safe(text: &str) -> String {
    text.replace('（', "(").replace('）', ")").replace(['–', '−'], "-")
}
