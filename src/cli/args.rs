//! Arguments several commands share: the limits of one input file, the report selection and
//! where a result goes.

use std::path::PathBuf;

use crate::chart;
use crate::error::{Error, Result};
use crate::query;
use crate::query::export::Format;

/// What one input file may cost: every limit has a default, and a file over one is refused with
/// the limit named while the batch goes on.
#[derive(Debug, Clone, clap::Args)]
pub struct LimitArgs {
    /// Largest input file, in MB.
    #[arg(long, default_value_t = 64, value_name = "MB")]
    pub max_file_mb: u64,
    /// Largest decompressed member of a .docx/.xlsx archive, in MB (all members together: twice this).
    #[arg(long, default_value_t = 128, value_name = "MB")]
    pub max_unzipped_mb: u64,
    /// Most pages of a PDF.
    #[arg(long, default_value_t = 500, value_name = "N")]
    pub max_pages: usize,
    /// Most cells (rows × columns of its farthest cell reference) a worksheet of a spreadsheet may span.
    #[arg(long, default_value_t = 4_000_000, value_name = "N")]
    pub max_sheet_cells: u64,
    /// Deepest nesting of an HTML page's elements.
    #[arg(long, default_value_t = 512, value_name = "N")]
    pub max_depth: usize,
    /// Seconds a PDF or Office file may take to read (in its sandboxed reader).
    #[arg(long, default_value_t = 60.0, value_name = "SECONDS")]
    pub timeout: f64,
    /// Memory a PDF or Office file's sandboxed reader may use, in MB (its resident memory is
    /// watched every 2 ms, so it is stopped a little above this).
    #[arg(long, default_value_t = 384, value_name = "MB")]
    pub max_memory_mb: u64,
    /// Read PDF and Office files in this process rather than in a sandboxed child process (the
    /// time and memory limits then do not hold).
    #[arg(long)]
    pub no_sandbox: bool,
}

impl Default for LimitArgs {
    fn default() -> LimitArgs {
        LimitArgs {
            max_file_mb: 64,
            max_unzipped_mb: 128,
            max_pages: 500,
            max_sheet_cells: 4_000_000,
            max_depth: 512,
            timeout: 60.0,
            max_memory_mb: 384,
            no_sandbox: false,
        }
    }
}

impl LimitArgs {
    /// The limits, with the sandbox: this executable when it is xxgk (`XXGK_SANDBOX_EXE` names
    /// another), none with `--no-sandbox` or when xxgk runs as a library.
    pub fn limits(&self) -> crate::ingest::Limits {
        let mb = 1024 * 1024;
        let sandbox = if self.no_sandbox {
            None
        } else {
            std::env::var_os("XXGK_SANDBOX_EXE")
                .map(PathBuf::from)
                .or_else(|| std::env::current_exe().ok().filter(|exe| exe.file_stem().is_some_and(|s| s == "xxgk")))
        };
        crate::ingest::Limits {
            file_bytes: self.max_file_mb * mb,
            member_bytes: self.max_unzipped_mb * mb,
            archive_bytes: self.max_unzipped_mb * 2 * mb,
            pdf_pages: self.max_pages,
            sheet_cells: self.max_sheet_cells,
            html_depth: self.max_depth,
            seconds: self.timeout,
            memory_bytes: self.max_memory_mb * mb,
            sandbox,
        }
    }
}

/// Report selection shared by the query, chart and brief commands.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// First report year to include.
    #[arg(long, value_name = "YEAR")]
    pub from: Option<i32>,
    /// Last report year to include.
    #[arg(long, value_name = "YEAR")]
    pub to: Option<i32>,
    /// Only these agencies: an agency key (xxgk agencies), or TEXT in an agency's canonical name
    /// or in any name its reports print; every report of each matched agency counts, and the
    /// agencies matched are named on standard error.
    #[arg(long, value_name = "TEXT")]
    pub agency: Option<String>,
    /// Only this administrative level: central (中央), province (省级), prefecture (市级), county
    /// (县级), township (乡镇); the English id, the Chinese name or a word such as 省, 地市, 区县, 街道.
    #[arg(long, value_name = "LEVEL")]
    pub level: Option<crate::model::Level>,
    /// Warehouse folder.
    #[arg(long, default_value = "warehouse", value_name = "DIR", env = "XXGK_WAREHOUSE")]
    pub warehouse: PathBuf,
    /// A folder of your own query files (NAME.sql, the header format of the bundled ones; see
    /// `xxgk query --new`): they add queries, or replace bundled ones of the same name.
    #[arg(long, value_name = "DIR", env = "XXGK_QUERIES")]
    pub queries: Option<PathBuf>,
    /// Keep reports whose own figures break an identity on a metric's inputs in its pooled
    /// figures (by default they are left out, and the notes say how many and why).
    #[arg(long)]
    pub include_flagged: bool,
    /// Count every version of a report (by default only the current version of each agency and
    /// year: the later publication date, else the later ingest).
    #[arg(long)]
    pub all_versions: bool,
}

impl FilterArgs {
    /// The selection, checked: an unknown level or `--from` after `--to` is an error.
    pub fn filters(&self) -> Result<query::Filters> {
        query::Filters {
            from: self.from,
            to: self.to,
            agency: self.agency.clone(),
            level: self.level,
            include_flagged: self.include_flagged,
            all_versions: self.all_versions,
        }
        .validated()
    }

    /// The bundled queries and those of `--queries`.
    pub fn catalogue(&self) -> Result<query::Catalogue> {
        query::Catalogue::with_folder(self.queries.as_deref())
    }

    /// Opens the selection over the warehouse. Names the agencies `--agency` matched on standard
    /// error; when the selection holds no report, says which filter left nothing and returns
    /// `None` (the command then exits 1).
    pub fn open(&self) -> Result<Option<(query::Session, query::Filters)>> {
        let filters = self.filters()?;
        let mut session = query::Session::open_with(&self.warehouse, &filters, self.catalogue()?)?;
        if let (Some(text), Some(agencies)) = (&filters.agency, session.agencies_matched())
            && !agencies.is_empty()
        {
            let shown: Vec<String> = agencies.iter().take(8).map(|(key, name)| format!("{name} ({key})")).collect();
            let more = agencies.len().saturating_sub(shown.len());
            super::note(&format!(
                "--agency {text} matched {} agenc{}: {}{}",
                agencies.len(),
                if agencies.len() == 1 { "y" } else { "ies" },
                shown.join(", "),
                if more > 0 { format!(" and {more} more") } else { String::new() }
            ));
        }
        if session.report_count()? == 0 {
            eprintln!("xxgk: {}", query::why_empty(&self.warehouse, &filters)?);
            return Ok(None);
        }
        Ok(Some((session, filters)))
    }
}

/// Where and how a result is written.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct OutputArgs {
    /// Output format: a readable table, or csv, json (records), xlsx (a workbook: the result
    /// with Chinese headers, and a 说明 sheet with the formulas, the filters and what was left
    /// out), parquet. Default: from the extension of --out (.csv .json .xlsx .parquet .txt),
    /// else a table.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to FILE instead of standard output (required for xlsx and parquet).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Start a CSV with a UTF-8 byte-order mark, which Excel needs to read UTF-8 (on by default
    /// for a CSV file written with --out, which is most often opened in Excel; off on standard
    /// output, which goes to other programs). pandas, polars and DuckDB skip the mark.
    #[arg(long, overrides_with = "no_bom")]
    pub bom: bool,
    /// Write a CSV file without the byte-order mark.
    #[arg(long)]
    pub no_bom: bool,
}

impl OutputArgs {
    /// The format: `--format`, else `--out`'s extension, else a table (see [`Format::resolve`]).
    pub fn format(&self) -> Result<Format> {
        Format::resolve(self.format, self.out.as_deref())
    }

    /// Whether a CSV starts with a byte-order mark: `--bom`, `--no-bom`, else when it goes to a file.
    pub fn bom(&self) -> bool {
        if self.no_bom { false } else { self.bom || self.out.is_some() }
    }
}

/// `KEY=VALUE` of `--param`.
pub fn parse_param(text: &str) -> std::result::Result<(String, String), String> {
    let (key, value) = text.split_once('=').ok_or_else(|| format!("'{text}' is not NAME=VALUE"))?;
    Ok((key.trim().to_string(), value.to_string()))
}

/// A chart size in points, as `--size` takes it: `WIDTHxHEIGHT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartSize {
    pub width: u32,
    pub height: u32,
}

fn parse_size(text: &str) -> std::result::Result<ChartSize, String> {
    let bad = || format!("'{text}': give WIDTHxHEIGHT in points, e.g. 1200x700");
    let (w, h) = text.split_once(['x', 'X', '×']).ok_or_else(bad)?;
    Ok(ChartSize { width: w.trim().parse().map_err(|_| bad())?, height: h.trim().parse().map_err(|_| bad())? })
}

/// How charts are drawn and which specs there are (chart, brief, run).
#[derive(Debug, Clone, clap::Args)]
pub struct ChartArgs {
    /// Chart size in points, WIDTHxHEIGHT (480–4000 × 320–4000).
    #[arg(long, value_name = "WxH", value_parser = parse_size, default_value = "960x560")]
    pub size: ChartSize,
    /// Pixels per point (0.5–8): 2 draws the same chart with twice the pixels each way, for print.
    #[arg(long, value_name = "F", default_value_t = 1.0)]
    pub scale: f64,
    /// Folder of the analyst's chart specs (NAME.toml, the format of the bundled charts/*.toml):
    /// each adds a chart, or replaces the bundled chart of the same name. Without the flag, the
    /// folder named by the environment variable XXGK_CHARTS, when set.
    #[arg(long, value_name = "DIR")]
    pub charts: Option<PathBuf>,
    /// Panels of a small-multiples chart (one per agency) at most, 1–200: the agencies with the
    /// most values are drawn and the subtitle says how many there are in all.
    #[arg(long, value_name = "N", default_value_t = chart::MAX_PANELS)]
    pub max_panels: usize,
}

impl Default for ChartArgs {
    fn default() -> ChartArgs {
        let o = chart::Options::default();
        ChartArgs {
            size: ChartSize { width: o.width, height: o.height },
            scale: o.scale,
            charts: None,
            max_panels: o.max_panels,
        }
    }
}

impl ChartArgs {
    /// The drawing options, checked.
    pub fn options(&self) -> Result<chart::Options> {
        chart::Options::new(self.size.width, self.size.height, self.scale)
            .and_then(|o| o.with_max_panels(self.max_panels))
            .map_err(Error::Argument)
    }

    /// The analyst's chart folder: `--charts`, else `$XXGK_CHARTS`.
    pub fn folder(&self) -> Option<PathBuf> {
        self.charts.clone().or_else(|| std::env::var_os("XXGK_CHARTS").filter(|v| !v.is_empty()).map(PathBuf::from))
    }

    /// The bundled specs with the analyst's folder over them.
    pub fn specs(&self) -> Result<Vec<chart::ChartSpec>> {
        chart::load(self.folder().as_deref())
    }
}
