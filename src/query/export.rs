//! Writes a query result as a readable terminal table, CSV, JSON records, XLSX or Parquet, and
//! names the metric keys (with formulas) that its rate columns use.

use std::io::Write;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde_json::{Map, Value};

use super::metrics;
use crate::error::{Error, Result};
use crate::store;

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Write { path: path.to_path_buf(), source }
}

/// Result formats.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    #[default]
    Table,
    Csv,
    Json,
    Xlsx,
    Parquet,
}

/// Writes `df` in `format` to `out` (standard output when `None`). `metric_keys` are listed under
/// a table so every rate shown says which registry key it is.
pub fn write(df: &DataFrame, format: Format, out: Option<&Path>, metric_keys: &[String]) -> Result<()> {
    let stdout_path = PathBuf::from("<stdout>");
    let bytes: Vec<u8> = match format {
        Format::Table => table(df, metric_keys).into_bytes(),
        Format::Csv => csv(df)?.into_bytes(),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&records(df)).map_err(|e| Error::Usage(e.to_string()))?;
            s.push('\n');
            s.into_bytes()
        }
        Format::Xlsx | Format::Parquet => {
            let path =
                out.ok_or_else(|| Error::Usage(format!("--format {format:?} needs --out FILE").to_lowercase()))?;
            return if format == Format::Xlsx { xlsx(df, path) } else { store::write_frame(path, df) };
        }
    };
    match out {
        Some(path) => std::fs::write(path, bytes).map_err(io_err(path)),
        None => std::io::stdout().write_all(&bytes).map_err(io_err(&stdout_path)),
    }
}

/// A terminal table with rates as percentages, then the metric keys used.
pub fn table(df: &DataFrame, metric_keys: &[String]) -> String {
    let names: Vec<String> = df.get_column_names().iter().map(|n| n.to_string()).collect();
    let rows: Vec<Vec<String>> = (0..df.height())
        .map(|i| df.columns().iter().map(|c| display(c.name(), c.get(i).unwrap_or(AnyValue::Null))).collect())
        .collect();
    let width = |j: usize| {
        rows.iter().map(|r| text_width(&r[j])).chain(std::iter::once(text_width(&names[j]))).max().unwrap_or(0)
    };
    let widths: Vec<usize> = (0..names.len()).map(width).collect();
    let pad = |s: &str, w: usize, right: bool| {
        let fill = " ".repeat(w.saturating_sub(text_width(s)));
        if right { format!("{fill}{s}") } else { format!("{s}{fill}") }
    };
    let numeric: Vec<bool> = df.columns().iter().map(|c| c.dtype().is_primitive_numeric()).collect();
    let mut out = String::new();
    let line = |cells: Vec<String>| cells.join("  ").trim_end().to_string() + "\n";
    out += &line(names.iter().enumerate().map(|(j, n)| pad(n, widths[j], numeric[j])).collect());
    out += &line(widths.iter().map(|w| "─".repeat(*w)).collect());
    for r in &rows {
        out += &line(r.iter().enumerate().map(|(j, v)| pad(v, widths[j], numeric[j])).collect());
    }
    out += &format!("({} rows)\n", df.height());
    for key in metric_keys {
        if let Some(m) = metrics::metric(key) {
            out += &format!("{key} = {} ({})\n", m.formula, m.name);
        }
    }
    out
}

/// `s` padded with spaces to `width` display columns (left-aligned).
pub fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(text_width(s))))
}

/// Display width in a terminal (CJK characters take two columns), by `unicode-width`.
pub fn text_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Whether a column holds a rate or share (shown as a percentage).
pub fn is_rate_column(name: &str) -> bool {
    name.ends_with("_rate")
        || name.ends_with("_share")
        || name.ends_with("_mix")
        || name == "percentile"
        || name == "rate_all"
        || name.ends_with("_rate_all")
        || name == "share_of_processed"
}

fn display(name: &str, v: AnyValue) -> String {
    match v {
        AnyValue::Null => String::new(),
        AnyValue::Float64(f) if is_rate_column(name) => format!("{:.2}%", f * 100.0),
        AnyValue::Float64(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        AnyValue::Float64(f) => format!("{f:.2}"),
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        other => other.to_string().trim_matches('"').to_string(),
    }
}

/// CSV with a header row; floats as printed by Rust (shortest round-trip form), nulls empty.
pub fn csv(df: &DataFrame) -> Result<String> {
    let mut out = String::new();
    let names: Vec<String> = df.get_column_names().iter().map(|n| csv_field(n.as_str())).collect();
    out += &(names.join(",") + "\n");
    for i in 0..df.height() {
        let cells: Vec<String> = df
            .columns()
            .iter()
            .map(|c| match c.get(i).unwrap_or(AnyValue::Null) {
                AnyValue::Null => String::new(),
                AnyValue::String(s) => csv_field(s),
                AnyValue::StringOwned(s) => csv_field(&s),
                AnyValue::Float64(f) => format!("{f}"),
                other => csv_field(other.to_string().trim_matches('"')),
            })
            .collect();
        out += &(cells.join(",") + "\n");
    }
    Ok(out)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

/// The rows as JSON objects.
pub fn records(df: &DataFrame) -> Vec<Value> {
    (0..df.height())
        .map(|i| {
            let mut m = Map::new();
            for c in df.columns() {
                let v = match c.get(i).unwrap_or(AnyValue::Null) {
                    AnyValue::Null => Value::Null,
                    AnyValue::String(s) => Value::String(s.to_string()),
                    AnyValue::StringOwned(s) => Value::String(s.to_string()),
                    AnyValue::Float64(f) => serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null),
                    AnyValue::Float32(f) => {
                        serde_json::Number::from_f64(f as f64).map(Value::Number).unwrap_or(Value::Null)
                    }
                    AnyValue::Int64(x) => Value::from(x),
                    AnyValue::Int32(x) => Value::from(x),
                    AnyValue::UInt32(x) => Value::from(x),
                    AnyValue::UInt64(x) => Value::from(x),
                    AnyValue::Boolean(b) => Value::Bool(b),
                    other => Value::String(other.to_string()),
                };
                m.insert(c.name().to_string(), v);
            }
            Value::Object(m)
        })
        .collect()
}

fn xlsx(df: &DataFrame, path: &Path) -> Result<()> {
    use rust_xlsxwriter::{Format as CellFormat, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| Error::Usage(format!("cannot write {}: {e}", path.display()));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = CellFormat::new().set_bold();
    let pct = CellFormat::new().set_num_format("0.00%");
    for (j, c) in df.columns().iter().enumerate() {
        let j = j as u16;
        sheet.write_string_with_format(0, j, c.name().as_str(), &bold).map_err(err)?;
        for i in 0..df.height() {
            let row = i as u32 + 1;
            match c.get(i).unwrap_or(AnyValue::Null) {
                AnyValue::Null => {}
                AnyValue::String(s) => {
                    sheet.write_string(row, j, s).map_err(err)?;
                }
                AnyValue::StringOwned(s) => {
                    sheet.write_string(row, j, s.as_str()).map_err(err)?;
                }
                AnyValue::Float64(f) if is_rate_column(c.name()) => {
                    sheet.write_number_with_format(row, j, f, &pct).map_err(err)?;
                }
                AnyValue::Float64(f) => {
                    sheet.write_number(row, j, f).map_err(err)?;
                }
                AnyValue::Int64(x) => {
                    sheet.write_number(row, j, x as f64).map_err(err)?;
                }
                AnyValue::Int32(x) => {
                    sheet.write_number(row, j, x as f64).map_err(err)?;
                }
                AnyValue::UInt32(x) => {
                    sheet.write_number(row, j, x as f64).map_err(err)?;
                }
                other => {
                    sheet.write_string(row, j, other.to_string().trim_matches('"')).map_err(err)?;
                }
            }
        }
    }
    book.save(path).map_err(err)
}
