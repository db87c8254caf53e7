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

impl Format {
    /// The format a file name asks for: `.csv`, `.json`, `.xlsx`, `.parquet`, `.txt` (a table).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" => Format::Csv,
            "json" => Format::Json,
            "xlsx" => Format::Xlsx,
            "parquet" => Format::Parquet,
            "txt" => Format::Table,
            _ => return None,
        })
    }

    fn id(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
            Format::Parquet => "parquet",
        }
    }

    /// The format of a result: `--format` when given (it must agree with `--out`'s extension
    /// when that names a format), else the extension of `--out`, else a table on the terminal.
    pub fn resolve(format: Option<Format>, out: Option<&Path>) -> Result<Format> {
        let by_name = out.and_then(Format::from_path);
        match (format, by_name, out) {
            (Some(f), Some(n), Some(path)) if f != n => Err(Error::Argument(format!(
                "--format {} but --out {} names a .{} file: drop --format, or name the file .{}",
                f.id(),
                path.display(),
                n.id(),
                f.id()
            ))),
            (Some(f), _, _) => Ok(f),
            (None, Some(n), _) => Ok(n),
            (None, None, Some(path)) => Err(Error::Argument(format!(
                "cannot tell the format of {} from its name: give --format (table, csv, json, xlsx, parquet) or name it .csv, .json, .xlsx, .parquet or .txt",
                path.display()
            ))),
            (None, None, None) => Ok(Format::Table),
        }
    }
}

/// What a written result is and what it leaves out: the sheet name and notes of a workbook.
#[derive(Debug, Clone, Default)]
pub struct About {
    /// The query's name (the workbook's sheet name).
    pub name: String,
    /// The query's title.
    pub title: String,
    /// Metric keys its rate columns show.
    pub metric_keys: Vec<String>,
    /// The selection as flags (`--level county`); empty for everything.
    pub selection: Vec<String>,
    /// What pooled figures left out, one sentence each.
    pub notes: Vec<String>,
}

/// Writes `df` in `format` to `out` (standard output when `None`). `metric_keys` are listed under
/// a table so every rate shown says which registry key it is. A CSV written to a file starts
/// with a UTF-8 byte-order mark (see [`write_about`]).
pub fn write(df: &DataFrame, format: Format, out: Option<&Path>, metric_keys: &[String]) -> Result<()> {
    let about = About { metric_keys: metric_keys.to_vec(), ..About::default() };
    write_about(df, format, out, out.is_some(), &about)
}

/// Writes `df` in `format` to `out` (standard output when `None`). Whole-number float columns are
/// written as integers (JSON `275`, not `275.0`). `bom` starts a CSV with a UTF-8 byte-order mark,
/// which Excel needs to read UTF-8 (without it, Excel on Chinese Windows reads GBK and shows
/// mojibake); pandas, polars and DuckDB skip it. A workbook gets one sheet named after the query,
/// Chinese headers, column widths, percent formats for rates and a 说明 sheet from `about`.
pub fn write_about(df: &DataFrame, format: Format, out: Option<&Path>, bom: bool, about: &About) -> Result<()> {
    let stdout_path = PathBuf::from("<stdout>");
    let df = &whole_numbers_as_integers(df);
    let bytes: Vec<u8> = match format {
        Format::Table => table(df, &about.metric_keys).into_bytes(),
        Format::Csv => {
            let text = csv(df)?;
            if bom { [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat() } else { text.into_bytes() }
        }
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&records(df)).expect("JSON values serialize");
            s.push('\n');
            s.into_bytes()
        }
        Format::Xlsx | Format::Parquet => {
            let path = out.ok_or_else(|| Error::Argument(format!("--format {} needs --out FILE", format.id())))?;
            return if format == Format::Xlsx { xlsx(df, path, about) } else { store::write_frame(path, df) };
        }
    };
    match out {
        Some(path) => std::fs::write(path, bytes).map_err(io_err(path)),
        None => std::io::stdout().write_all(&bytes).map_err(io_err(&stdout_path)),
    }
}

/// `df` with every float column that is not a rate and holds only whole numbers (below 2^53)
/// cast to 64-bit integers: counts summed over floats stay counts in every output.
pub fn whole_numbers_as_integers(df: &DataFrame) -> DataFrame {
    let mut out = df.clone();
    for c in df.columns() {
        if is_rate_column(c.name()) || !matches!(c.dtype(), DataType::Float64 | DataType::Float32) {
            continue;
        }
        let Ok(values) = c.cast(&DataType::Float64) else { continue };
        let Ok(values) = values.f64() else { continue };
        if values.iter().flatten().all(|v| v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0)
            && let Ok(ints) = c.cast(&DataType::Int64)
        {
            let _ = out.with_column(ints);
        }
    }
    out
}

/// The Chinese header of a result column: a metric's name from the registry, else
/// [`COLUMN_LABELS`], else the display label of an id, else the name itself.
pub fn header_zh(column: &str) -> String {
    use crate::model::labels::{COLUMN_LABELS, display_labels};
    metrics::metric(column)
        .map(|m| m.name)
        .or_else(|| COLUMN_LABELS.iter().copied().chain(display_labels()).find(|(id, _)| *id == column).map(|(_, l)| l))
        .unwrap_or(column)
        .to_string()
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

/// A worksheet name: at most 31 characters, none of `[]:*?/\\`.
fn sheet_name(name: &str) -> String {
    let clean: String = name.chars().map(|c| if "[]:*?/\\".contains(c) { '_' } else { c }).take(31).collect();
    if clean.is_empty() { "result".into() } else { clean }
}

fn xlsx(df: &DataFrame, path: &Path, about: &About) -> Result<()> {
    use rust_xlsxwriter::{Format as CellFormat, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| Error::Output { path: path.to_path_buf(), reason: e.to_string() };
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name(if about.name.is_empty() { "result" } else { &about.name })).map_err(err)?;
    let bold = CellFormat::new().set_bold().set_text_wrap();
    let pct = CellFormat::new().set_num_format("0.00%");
    for (j, c) in df.columns().iter().enumerate() {
        let j = j as u16;
        let header = header_zh(c.name());
        let mut width = text_width(&header);
        sheet.write_string_with_format(0, j, &header, &bold).map_err(err)?;
        for i in 0..df.height() {
            let row = i as u32 + 1;
            let value = c.get(i).unwrap_or(AnyValue::Null);
            width = width.max(text_width(&display(c.name(), value.clone())));
            match value {
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
        sheet.set_column_width(j, (width as f64 * 1.1 + 2.0).clamp(6.0, 60.0)).map_err(err)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    // 说明: what the sheet is, the selection, every metric's formula, what was left out, and
    // which column id each header stands for.
    let notes = book.add_worksheet();
    notes.set_name("说明").map_err(err)?;
    let mut lines: Vec<(String, String)> = vec![
        ("结果".into(), format!("{} {}", about.name, about.title).trim().to_string()),
        ("筛选".into(), if about.selection.is_empty() { "全部报告".into() } else { about.selection.join(" ") }),
        ("行数".into(), df.height().to_string()),
    ];
    for key in &about.metric_keys {
        if let Some(m) = metrics::metric(key) {
            lines.push((
                format!("指标 {}", m.name),
                format!(
                    "{key} = {}{}",
                    m.formula,
                    if m.note.is_empty() { String::new() } else { format!("（{}）", m.note) }
                ),
            ));
        }
    }
    for note in &about.notes {
        lines.push(("说明".into(), note.clone()));
    }
    for c in df.columns() {
        lines.push((format!("列 {}", header_zh(c.name())), c.name().to_string()));
    }
    for (i, (k, v)) in lines.iter().enumerate() {
        notes.write_string_with_format(i as u32, 0, k, &bold).map_err(err)?;
        notes.write_string(i as u32, 1, v).map_err(err)?;
    }
    notes.set_column_width(0, 28).map_err(err)?;
    notes.set_column_width(1, 100).map_err(err)?;
    book.save(path).map_err(err)
}
