//! The command line: clap definitions and one short function per command that calls the stages
//! in order. No domain logic lives here.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::error::{Error, Result};
use crate::model::{Finding, Severity};
use crate::normalize::{self, MetaOverride, Report};
use crate::query::export as output;
use crate::{brief, chart, pipeline, query, store, validate};

const EXIT_CODES: &str = "\
Exit codes:
  0  finished; no error-level findings
  1  finished; some report breaks an identity or has an unreadable cell (error findings)
  2  failure: bad arguments, an unreadable warehouse, or a file that could not be read
     (a batch still finishes the other files and names each failed file and the reason)";

const TOP_HELP: &str = "\
Getting started:
  xxgk run                                  bundled corpus → out/warehouse, out/queries, out/charts, out/brief.html
  xxgk extract report.txt --json            one report's canonical record and findings
  xxgk ingest reports/ --warehouse wh       a folder of reports into a warehouse
  xxgk query --list                         the canned queries
  xxgk query disclosure_rate_by_year --warehouse wh --from 2021
  xxgk brief --warehouse wh --level county  a briefing for county-level agencies

Exit codes:
  0  finished; no error-level findings
  1  finished; some report breaks an identity or has an unreadable cell (error findings)
  2  failure: bad arguments, an unreadable warehouse, or a file that could not be read
     (a batch still finishes the other files and names each failed file and the reason)";

/// xxgk reads China's government information disclosure annual reports (政府信息公开工作年度报告),
/// checks every number against the accounting identities of the official formats, and keeps the
/// facts, with where each came from, in a Parquet warehouse.
#[derive(Debug, Parser)]
#[command(name = "xxgk", version, after_help = TOP_HELP, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read reports and print their canonical records (one per report).
    ///
    /// Each report is read, normalized to the canonical ids of SCHEMA.md and checked against the
    /// identities of format-spec §5. Without --json a short summary per report is printed; with
    /// --json one JSON object per line (JSON Lines), the record SCHEMA.md defines plus
    /// report_id, sha256, level, period and how the metadata was inferred.
    #[command(after_help = EXIT_CODES)]
    Extract {
        /// Report files (.txt portal exports, .md, PDF layout text saved as .txt).
        #[arg(required = true, value_name = "REPORT")]
        reports: Vec<PathBuf>,
        /// Print one JSON record per line instead of a summary.
        #[arg(long)]
        json: bool,
        /// Sidecar CSV with header path,agency,year,level overriding inferred metadata.
        #[arg(long, value_name = "FILE")]
        meta: Option<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Read report files or folders into the Parquet warehouse.
    ///
    /// Folders are walked recursively (hidden files skipped). Files are read on all cores in
    /// batches and streamed to Parquet (memory stays bounded whatever the corpus size); a progress
    /// line shows reports/s and ETA on a terminal. An ingest appends new files to the warehouse
    /// and never rewrites what is there; run `xxgk compact` after many small ingests. Re-ingesting
    /// a file with the same content adds nothing (it is not even parsed again). A file that cannot
    /// be read is named with the reason, recorded in the warehouse's `rejects` table, and the
    /// batch goes on. One ingest at a time may write a warehouse (a lock file says which).
    #[command(after_help = EXIT_CODES)]
    Ingest {
        /// Report files or folders.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Warehouse folder.
        #[arg(long, default_value = "warehouse", value_name = "DIR")]
        warehouse: PathBuf,
        /// Sidecar CSV with header path,agency,year,level overriding inferred metadata.
        #[arg(long, value_name = "FILE")]
        meta: Option<PathBuf>,
        /// Files per batch: the unit of parallel work and of a Parquet row group. Memory grows
        /// with it (about 0.1 MB per report in flight).
        #[arg(long, default_value_t = 2048, value_name = "N")]
        batch: usize,
        /// Hide the progress line.
        #[arg(long)]
        quiet: bool,
        /// When another process is writing the warehouse, wait for it to finish (default: refuse,
        /// naming that process).
        #[arg(long)]
        wait: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Merge the warehouse's small files: one file per table and year partition.
    ///
    /// Every ingest adds files; queries over thousands of small files are slower than over a
    /// few large ones. Compaction rewrites each partition that has more than one file, one
    /// partition at a time (memory holds one partition), then swaps the manifest; readers see the
    /// old files or the new ones, never a mix.
    #[command(after_help = EXIT_CODES)]
    Compact {
        /// Warehouse folder.
        #[arg(long, default_value = "warehouse", value_name = "DIR")]
        warehouse: PathBuf,
        /// When another process is writing the warehouse, wait for it to finish.
        #[arg(long)]
        wait: bool,
    },
    /// Run a canned query (a file of queries/) over the warehouse.
    ///
    /// Filters restrict the reports before the SQL runs. Rates are pooled (Σ numerator ÷ Σ
    /// denominator) and empty where the denominator is 0; the metric keys shown are listed under
    /// the result (see `xxgk metrics`).
    #[command(after_help = EXIT_CODES)]
    Query {
        /// Query name (file name without .sql); see --list.
        #[arg(required_unless_present = "list")]
        name: Option<String>,
        /// List every canned query: name, title, description, parameters.
        #[arg(long)]
        list: bool,
        #[command(flatten)]
        filters: FilterArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Run ad hoc SQL over the warehouse tables and views.
    ///
    /// Tables: reports, facts, findings, sections, rejects, versions, labels. Views:
    /// requests_cells, requests_wide, report_wide, reason_shares (see queries/views). Metric
    /// templates such as {{rate disclosure_rate}} are expanded. The statement is confined: one
    /// query (SELECT or WITH) over these tables only — table functions that read files or URLs
    /// (read_csv, read_parquet, …) are refused — with limits on its size, rows and time.
    #[command(after_help = EXIT_CODES)]
    Sql {
        /// One SQL statement (Polars SQL).
        statement: String,
        #[command(flatten)]
        filters: FilterArgs,
        #[command(flatten)]
        output: OutputArgs,
        /// Most operators (and AND/OR/WHEN) in the statement: Polars plans an expression
        /// recursively, and about 2,000 chained operators overflow its threads' stacks.
        #[arg(long, default_value_t = 1000, value_name = "N")]
        max_terms: usize,
        /// Most rows of the result.
        #[arg(long, default_value_t = 1_000_000, value_name = "N")]
        max_rows: usize,
        /// Seconds the query may run.
        #[arg(long, default_value_t = 60.0, value_name = "SECONDS")]
        timeout: f64,
    },
    /// The metric registry: key, name, formula and caveat of every indicator.
    Metrics,
    /// The agencies of the warehouse: one row per agency key with its canonical name, division
    /// code, level, the names the reports print, the years and the report counts.
    ///
    /// An agency key identifies a body across years and spellings: `320813` is the government of
    /// 淮安市洪泽区 whether a report prints 洪泽区人民政府 or 淮安市洪泽区人民政府; `310000/office`
    /// is 上海市人民政府办公厅; `321322/dept/发展和改革局` a department; `name/…` a body whose region
    /// the division table does not know (or names ambiguously: give a division_code in --meta).
    /// The same as `xxgk query agencies`.
    #[command(after_help = EXIT_CODES)]
    Agencies {
        #[command(flatten)]
        filters: FilterArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Compare two reports: the share of each section's text repeated from the other (重复率),
    /// and every figure that changed.
    ///
    /// A and B are report files (read as `extract` reads them) or report ids of the warehouse;
    /// or give --agency and --years Y1,Y2 to compare an agency's current reports of two years.
    /// A character counts as repeated when it lies in a run of at least 13 characters (the
    /// 连续13字 rule of Chinese duplicate checking) that the other report also has, after
    /// whitespace is removed and every run of digits is read as one digit (a sentence copied
    /// with only its figures changed is repeated). The rate is of B's text: how much of the later
    /// report was copied from the earlier one.
    #[command(after_help = EXIT_CODES)]
    Diff {
        /// The earlier report: a file or a report id.
        #[arg(value_name = "A", required_unless_present = "agency")]
        a: Option<String>,
        /// The later report: a file or a report id.
        #[arg(value_name = "B", required_unless_present = "agency")]
        b: Option<String>,
        /// The agency (key, or text of its name) whose reports to compare.
        #[arg(long, value_name = "AGENCY", requires = "years", conflicts_with_all = ["a", "b"])]
        agency: Option<String>,
        /// The two years to compare, earlier first: 2023,2024.
        #[arg(long, value_name = "Y1,Y2", value_delimiter = ',', num_args = 1)]
        years: Vec<i32>,
        /// Warehouse folder (for report ids and --agency).
        #[arg(long, default_value = "warehouse", value_name = "DIR")]
        warehouse: PathBuf,
        /// Sidecar CSV for report files (path,agency,year,level,division_code).
        #[arg(long, value_name = "FILE")]
        meta: Option<PathBuf>,
        #[command(flatten)]
        output: OutputArgs,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Render charts (PNG and SVG, Chinese labels, embedded font) from charts/*.toml specs.
    #[command(after_help = EXIT_CODES)]
    Chart {
        /// Chart name (file name without .toml); see --list.
        #[arg(required_unless_present_any = ["all", "list"])]
        name: Option<String>,
        /// Render every chart.
        #[arg(long)]
        all: bool,
        /// List the charts: name, kind, query, title.
        #[arg(long)]
        list: bool,
        /// Output folder.
        #[arg(long, default_value = "out/charts", value_name = "DIR")]
        out: PathBuf,
        #[command(flatten)]
        filters: FilterArgs,
    },
    /// Build the briefing: a self-contained HTML file and its Markdown twin, with charts.
    #[command(after_help = EXIT_CODES)]
    Brief {
        /// Output folder (brief.html, brief.md, charts/).
        #[arg(long, default_value = "out", value_name = "DIR")]
        out: PathBuf,
        #[command(flatten)]
        filters: FilterArgs,
    },
    /// The main job: bundled corpus → warehouse → every canned query → charts → briefing.
    ///
    /// Ingests the corpus folder (default data/reports, with data/meta.csv when present) into
    /// OUT/warehouse, writes every canned query as OUT/queries/NAME.csv, renders every chart into
    /// OUT/charts and the briefing into OUT/brief.html and OUT/brief.md.
    #[command(after_help = EXIT_CODES)]
    Run {
        /// Folder (or file) of reports.
        #[arg(long, default_value = "data/reports", value_name = "PATH")]
        corpus: PathBuf,
        /// Sidecar CSV (path,agency,year,level); data/meta.csv is used when present.
        #[arg(long, value_name = "FILE")]
        meta: Option<PathBuf>,
        /// Output folder.
        #[arg(long, default_value = "out", value_name = "DIR")]
        out: PathBuf,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Measure extraction accuracy against hand-checked truth records, field by field.
    ///
    /// Each FILE is extracted and compared with DIR/<file stem>.json (a SCHEMA.md record),
    /// scoring only the keys the truth holds. Prints per-report and total accuracy, every
    /// mismatch by cell id, and the silent errors: wrong fields that no finding names.
    #[command(
        after_help = "Exit codes:\n  0  every field matches\n  1  some field differs\n  2  failure (unreadable file or truth record)"
    )]
    Eval {
        /// Folder of truth records (<stem>.json).
        #[arg(long, value_name = "DIR")]
        truth: PathBuf,
        /// Report files.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Sidecar CSV (path,agency,year,level).
        #[arg(long, value_name = "FILE")]
        meta: Option<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Generate a deterministic synthetic corpus with a truth record per document.
    ///
    /// Writes OUT/reports/synth-NNNNNNN-YEAR.{txt,md,html} and OUT/truth/*.json (SCHEMA.md records;
    /// injected defects are listed under source_inconsistencies). Same seed, same files.
    ///
    /// With --warehouse, no documents are written: the same reports go straight into the
    /// warehouse (facts built from the drawn values, findings from the identity checks), which
    /// is how a 10⁶-report benchmark warehouse is built in minutes rather than hours.
    Synth {
        /// Number of documents.
        #[arg(long, default_value_t = 100)]
        reports: usize,
        /// Random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output folder.
        #[arg(long, default_value = "synth", value_name = "DIR")]
        out: PathBuf,
        /// Layouts, comma-separated: txt (portal | export), md (Markdown tables), html (portal page).
        #[arg(long, default_value = "txt,md,html", value_delimiter = ',')]
        formats: Vec<String>,
        /// Share of documents with an injected defect (0–1).
        #[arg(long, default_value_t = 0.05)]
        defect_rate: f64,
        /// Write the reports straight into this warehouse instead of writing documents.
        #[arg(long, value_name = "DIR", conflicts_with = "out")]
        warehouse: Option<PathBuf>,
    },
    /// Summarize the warehouse's findings: which reports break which identities.
    ///
    /// Lists every report with its error and warning counts, then the findings. The checks that
    /// need more than one report run again here over what the warehouse holds now: versions of a
    /// report (same agency key and year; the superseded ones are listed with the reason) and the
    /// cross-year identities between an agency's reports of consecutive years — carried-over
    /// applications (I3.7), regulations in force (I2.2) and jumps beyond ×5 in headline counts.
    #[command(after_help = EXIT_CODES)]
    Check {
        /// Warehouse folder.
        #[arg(long, default_value = "warehouse", value_name = "DIR")]
        warehouse: PathBuf,
        /// Also list warning-level findings (prose vs table, placements).
        #[arg(long)]
        warnings: bool,
    },
    /// Internal: read one PDF or Office file from standard input and print its text (the
    /// sandboxed reader `ingest` starts for each such file, with the limits as arguments).
    #[command(hide = true)]
    ReadText {
        #[arg(long)]
        ext: String,
        #[arg(long)]
        max_pages: usize,
        #[arg(long)]
        max_unzipped_bytes: u64,
        #[arg(long)]
        max_sheet_cells: u64,
        #[arg(long)]
        max_depth: usize,
    },
}

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
    /// Only this agency: its key (xxgk agencies), or TEXT in its canonical or printed name.
    #[arg(long, value_name = "TEXT")]
    pub agency: Option<String>,
    /// Only this administrative level (central, province, prefecture, county, township).
    #[arg(long, value_name = "LEVEL")]
    pub level: Option<String>,
    /// Warehouse folder.
    #[arg(long, default_value = "warehouse", value_name = "DIR")]
    pub warehouse: PathBuf,
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
    pub fn filters(&self) -> query::Filters {
        query::Filters {
            from: self.from,
            to: self.to,
            agency: self.agency.clone(),
            level: self.level.clone(),
            include_flagged: self.include_flagged,
            all_versions: self.all_versions,
        }
    }
}

/// Where and how a result is written.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct OutputArgs {
    /// Output format: a readable table, or csv, json (records), xlsx, parquet.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to FILE instead of standard output (required for xlsx and parquet).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
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

/// How a command finished; maps to the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    ErrorFindings,
    FilesFailed,
}

impl Outcome {
    pub fn code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::ErrorFindings => 1,
            Outcome::FilesFailed => 2,
        }
    }
}

/// Runs a parsed command.
pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Extract { reports, json, meta, limits } => extract(&reports, json, meta.as_deref(), &limits.limits()),
        Command::Ingest { paths, warehouse, meta, batch, quiet, wait, limits } => {
            let options = pipeline::Options {
                batch,
                progress: !quiet && pipeline::Options::default().progress,
                wait,
                limits: limits.limits(),
                ..Default::default()
            };
            ingest_paths(&paths, &warehouse, meta.as_deref(), &options)
        }
        Command::Compact { warehouse, wait } => {
            let started = std::time::Instant::now();
            let summary = store::compact(&warehouse, wait)?;
            println!(
                "{} files → {} ({} partitions merged) in {:.1} s: {}",
                summary.files_before,
                summary.files_after,
                summary.partitions_merged,
                started.elapsed().as_secs_f64(),
                warehouse.display()
            );
            Ok(Outcome::Clean)
        }
        Command::Check { warehouse, warnings } => check(&warehouse, warnings),
        Command::Query { name, list, filters, output } => match (list, name) {
            (true, _) => list_queries(),
            (false, Some(name)) => run_query(&name, &filters, &output),
            (false, None) => Err(Error::Usage("name a query or use --list".into())),
        },
        Command::Sql { statement, filters, output, max_terms, max_rows, timeout } => {
            let mut session = query::Session::open(&filters.warehouse, &filters.filters())?;
            let limits = query::guard::SqlLimits { max_terms, max_rows, seconds: timeout, ..Default::default() };
            let df = session.sql_within(&statement, &limits)?;
            let notes = session.notes(&[])?;
            write_result(&df, &output, &[], &notes).map(|_| Outcome::Clean)
        }
        Command::Metrics => list_metrics(),
        Command::Agencies { filters, output } => run_query("agencies", &filters, &output),
        Command::Diff { a, b, agency, years, warehouse, meta, output, limits } => {
            let files = DiffFiles { meta: meta.as_deref(), limits: limits.limits() };
            diff(a.as_deref(), b.as_deref(), agency.as_deref(), &years, &warehouse, &files, &output)
        }
        Command::Chart { name, all, list, out, filters } => {
            if list {
                for spec in chart::specs()? {
                    println!("{:<24} {:<12} {:<30} {}", spec.name, spec.kind.id(), spec.query, spec.title);
                }
                return Ok(Outcome::Clean);
            }
            let specs = match (all, name) {
                (true, _) => chart::specs()?,
                (false, Some(n)) => vec![chart::spec(&n)?],
                (false, None) => return Err(Error::Usage("name a chart, or use --all or --list".into())),
            };
            let mut session = query::Session::open(&filters.warehouse, &filters.filters())?;
            for (_, png, svg) in render_charts(&specs, &mut session, &filters.filters(), &out)? {
                println!("{}\n{}", png.display(), svg.display());
            }
            Ok(Outcome::Clean)
        }
        Command::Brief { out, filters } => {
            let mut session = query::Session::open(&filters.warehouse, &filters.filters())?;
            let (html, md) = brief(&mut session, &filters.filters(), &out)?;
            println!("{}\n{}", html.display(), md.display());
            Ok(Outcome::Clean)
        }
        Command::Run { corpus, meta, out, limits } => run_main_job(&corpus, meta.as_deref(), &out, &limits.limits()),
        Command::Eval { truth, files, meta, limits } => eval(&truth, &files, meta.as_deref(), &limits.limits()),
        Command::ReadText { ext, max_pages, max_unzipped_bytes, max_sheet_cells, max_depth } => {
            read_text(&ext, max_pages, max_unzipped_bytes, max_sheet_cells, max_depth)
        }
        Command::Synth { reports, seed, warehouse: Some(warehouse), defect_rate, .. } => {
            let options = pipeline::Options::default();
            let summary = pipeline::ingest_synthetic(&warehouse, reports, seed, defect_rate, &options)?;
            println!(
                "{} synthetic reports ({} added, {} already present) → {} in {:.1} s ({:.0} reports/s)",
                reports,
                summary.write.reports_added,
                summary.write.reports_already_present,
                warehouse.display(),
                summary.seconds,
                reports as f64 / summary.seconds.max(1e-9)
            );
            Ok(Outcome::Clean)
        }
        Command::Synth { reports, seed, out, formats, defect_rate, warehouse: None } => {
            let layouts = formats
                .iter()
                .map(|f| {
                    crate::synth::Layout::parse(f)
                        .ok_or_else(|| Error::Usage(format!("unknown format '{f}': use txt, md, html")))
                })
                .collect::<Result<Vec<_>>>()?;
            let options = crate::synth::Options { reports, seed, layouts, defect_rate };
            let summary = crate::synth::generate(&out, &options)?;
            println!(
                "{} documents ({:.1} MB, {} with an injected defect) → {}",
                summary.files.len(),
                summary.bytes as f64 / 1e6,
                summary.defects,
                out.display()
            );
            Ok(Outcome::Clean)
        }
    }
}

/// Reads, normalizes and validates one file.
pub use crate::pipeline::process;

fn load_meta(meta: Option<&Path>) -> Result<HashMap<String, MetaOverride>> {
    meta.map(normalize::read_meta_file).transpose().map(Option::unwrap_or_default)
}

fn extract(paths: &[PathBuf], json: bool, meta: Option<&Path>, limits: &crate::ingest::Limits) -> Result<Outcome> {
    let meta = load_meta(meta)?;
    let mut outcome = Outcome::Clean;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in paths {
        match pipeline::process_with(path, &meta, limits) {
            Ok((report, findings)) => {
                if validate::has_errors(&findings) && outcome == Outcome::Clean {
                    outcome = Outcome::ErrorFindings;
                }
                let written = if json {
                    writeln!(out, "{}", normalize::to_record(&report, &findings))
                } else {
                    write_summary(&mut out, &report, &findings)
                };
                written.map_err(|source| Error::Write { path: PathBuf::from("<stdout>"), source })?;
            }
            Err(e) => {
                eprintln!("xxgk: error: {e}");
                outcome = Outcome::FilesFailed;
            }
        }
    }
    Ok(outcome)
}

fn write_summary(out: &mut impl Write, report: &Report, findings: &[Finding]) -> std::io::Result<()> {
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    let m = &report.meta;
    writeln!(out, "{}", report.source)?;
    writeln!(
        out,
        "  agency {} → {} [{}] · year {} · era {} · level {}",
        m.agency.as_deref().unwrap_or("?"),
        m.agency_name.as_deref().unwrap_or("?"),
        m.agency_key.as_deref().unwrap_or("?"),
        m.year.map(|y| y.to_string()).unwrap_or_else(|| "?".into()),
        report.era.id(),
        m.level.as_deref().unwrap_or("?")
    )?;
    writeln!(out, "  {} facts · {} errors · {} warnings", report.facts.len(), errors, findings.len() - errors)?;
    for f in findings {
        writeln!(out, "  {:<7} {:<38} {}", f.severity.id(), f.rule, f.message)?;
    }
    Ok(())
}

fn ingest_paths(
    paths: &[PathBuf],
    warehouse: &Path,
    meta: Option<&Path>,
    options: &pipeline::Options,
) -> Result<Outcome> {
    let meta = load_meta(meta)?;
    let listed = crate::ingest::files::list(paths);
    for (path, why) in &listed.skipped {
        eprintln!("xxgk: note: {}: {why}", path.display());
    }
    let files = listed.files;
    let options = pipeline::Options { progress: options.progress && files.len() > 1, ..options.clone() };
    let summary = pipeline::ingest(&files, warehouse, &meta, &options)?;
    for reject in &summary.rejects {
        eprintln!("xxgk: error: {}", reject.reason);
    }
    let w = &summary.write;
    println!(
        "{} files{}: {} reports added, {} already in the warehouse, {} rejected; {} facts and {} findings added ({} error findings in this batch) → {} ({:.1} s, {:.0} reports/s)",
        summary.files,
        if listed.skipped.is_empty() {
            String::new()
        } else {
            format!(" ({} other entries skipped)", listed.skipped.len())
        },
        w.reports_added,
        w.reports_already_present,
        summary.rejects.len(),
        w.facts_added,
        w.findings_added,
        summary.error_findings,
        warehouse.display(),
        summary.seconds,
        summary.files as f64 / summary.seconds.max(1e-9)
    );
    Ok(if !summary.rejects.is_empty() {
        Outcome::FilesFailed
    } else if summary.error_findings > 0 {
        Outcome::ErrorFindings
    } else {
        Outcome::Clean
    })
}

fn check(warehouse: &Path, warnings: bool) -> Result<Outcome> {
    let (reports, mut findings, rejects) = store::load_summary(warehouse)?;
    // The corpus checks run again here, over what the warehouse holds now.
    let corpus = crate::corpus::check(warehouse)?;
    findings.extend(corpus.findings.iter().map(|c| store::StoredFinding {
        report_id: c.report_id.clone(),
        rule: c.finding.rule.clone(),
        identity: c.finding.identity.clone(),
        severity: c.finding.severity.id().to_string(),
        cells: c.finding.cells.join(", "),
        message: c.finding.message.clone(),
    }));
    let pad = query::export::pad;
    println!("{} {} {} {:>6} {:>8}  source", pad("year", 6), pad("agency", 28), pad("era", 11), "errors", "warnings");
    // A large warehouse lists only the reports with findings to show (the catalogue query lists all).
    let list_all = reports.len() <= crate::brief::TABLE_ROWS;
    let mut sorted: Vec<&store::StoredReport> =
        reports.iter().filter(|r| list_all || r.error_count > 0 || (warnings && r.warning_count > 0)).collect();
    sorted.sort_by(|a, b| (a.year, &a.agency).cmp(&(b.year, &b.agency)));
    for r in &sorted {
        println!(
            "{} {} {} {:>6} {:>8}  {}",
            pad(&r.year.map(|y| y.to_string()).unwrap_or_else(|| "?".into()), 6),
            pad(r.agency.as_deref().unwrap_or("?"), 28),
            pad(&r.era, 11),
            r.error_count,
            r.warning_count,
            r.source_path
        );
    }
    let by_id: HashMap<&str, &store::StoredReport> = reports.iter().map(|r| (r.report_id.as_str(), r)).collect();
    let shown: Vec<&store::StoredFinding> = findings.iter().filter(|f| f.severity == "error" || warnings).collect();
    if !shown.is_empty() {
        println!();
        for f in &shown {
            let r = by_id.get(f.report_id.as_str());
            let identity = if f.identity.is_empty() { String::new() } else { format!("[{}] ", f.identity) };
            println!(
                "{} {} {} {identity}{} — {} (cells: {})",
                f.severity,
                r.and_then(|r| r.year).map(|y| y.to_string()).unwrap_or_default(),
                r.and_then(|r| r.agency.clone()).unwrap_or_default(),
                f.rule,
                f.message,
                f.cells
            );
        }
    }
    if !list_all {
        println!(
            "({} reports without {} findings not listed: xxgk query reports_catalog --warehouse {})",
            reports.len() - sorted.len(),
            if warnings { "any" } else { "error" },
            warehouse.display()
        );
    }
    let paths: HashMap<&str, &str> = reports.iter().map(|r| (r.report_id.as_str(), r.source_path.as_str())).collect();
    for s in &corpus.superseded {
        println!(
            "superseded {} → {} ({}; {} {})",
            paths.get(s.report_id.as_str()).unwrap_or(&"?"),
            paths.get(s.superseded_by.as_str()).unwrap_or(&"?"),
            s.reason,
            s.agency_key,
            s.year.map(|y| y.to_string()).unwrap_or_default()
        );
    }
    for reject in &rejects {
        println!("rejected {}: {}", reject.path, reject.reason);
    }
    let errors = findings.iter().filter(|f| f.severity == "error").count();
    let warning_count = findings.len() - errors;
    println!(
        "\n{} reports ({} superseded versions), {} with error findings; {} error and {} warning findings ({} across reports); {} rejected files",
        reports.len(),
        corpus.superseded.len(),
        reports.iter().filter(|r| r.error_count > 0).count(),
        errors,
        warning_count,
        corpus.findings.len(),
        rejects.len()
    );
    Ok(if errors > 0 { Outcome::ErrorFindings } else { Outcome::Clean })
}

fn list_queries() -> Result<Outcome> {
    for spec in query::specs()? {
        println!("{}  {}", spec.name, spec.title);
        println!("    {}", spec.about);
        println!("    parameters: --{}", spec.params.join(", --"));
        if !spec.metrics.is_empty() {
            println!("    metrics: {}", spec.metrics.join(", "));
        }
    }
    Ok(Outcome::Clean)
}

fn run_query(name: &str, filters: &FilterArgs, out: &OutputArgs) -> Result<Outcome> {
    let spec = query::spec(name)?;
    let mut session = query::Session::open(&filters.warehouse, &filters.filters())?;
    let df = session.run(name)?;
    let notes = session.notes(&spec.metrics)?;
    write_result(&df, out, &spec.metrics, &notes)?;
    Ok(Outcome::Clean)
}

/// Writes a result; its notes (what pooled figures left out) follow a table on standard output,
/// and go to standard error for the other formats, so files stay clean.
fn write_result(
    df: &polars::prelude::DataFrame,
    out: &OutputArgs,
    metrics: &[String],
    notes: &query::Notes,
) -> Result<()> {
    output::write(df, out.format, out.out.as_deref(), metrics)?;
    let lines = notes.lines();
    if out.format == Format::Table && out.out.is_none() {
        for line in lines {
            println!("note: {line}");
        }
    } else {
        for line in lines {
            eprintln!("xxgk: note: {line}");
        }
    }
    Ok(())
}

fn list_metrics() -> Result<Outcome> {
    for m in query::metrics::METRICS {
        println!("{:<28} {:<14} {}", m.key, m.name, m.formula);
        if !m.note.is_empty() {
            println!("{:<28} {:<14} ({})", "", "", m.note);
        }
    }
    println!("\nRates pool over units (Σ numerator ÷ Σ denominator) and are empty where the denominator is 0.");
    println!("Units with a denominator below {} are shown but not ranked ('observe').", query::metrics::MIN_N);
    Ok(Outcome::Clean)
}

/// The footer of a chart: coverage, the metric shown and its formula, the selection.
/// The coverage line every chart footer starts with: report count and year range.
fn coverage(session: &mut query::Session) -> Result<String> {
    let head = session.run("headline_indicators")?;
    let record = query::export::records(&head).into_iter().next().unwrap_or_default();
    let int = |k: &str| record.get(k).and_then(|v| v.as_i64());
    let years = match (int("first_year"), int("last_year")) {
        (Some(a), Some(b)) if a == b => format!("{a}年"),
        (Some(a), Some(b)) => format!("{a}–{b}年"),
        _ => "无数据".into(),
    };
    Ok(format!("数据：{} 份报告，{years}", int("reports").unwrap_or(0)))
}

fn chart_footer(spec: &chart::ChartSpec, coverage: &str, filters: &query::Filters) -> String {
    let mut parts = vec![coverage.to_string()];
    if let Some(m) = spec.metric.as_deref().and_then(query::metrics::metric) {
        parts.push(format!("指标 {} = {}", m.key, m.formula));
    }
    let selection = filters.describe();
    if !selection.is_empty() {
        parts.push(format!("筛选：{selection}"));
    }
    if let Some(note) = &spec.note {
        parts.push(note.clone());
    }
    parts.push("xxgk".into());
    parts.join(" · ")
}

/// Runs each chart's query and renders it; returns (spec, png, svg) per chart.
fn render_charts(
    specs: &[chart::ChartSpec],
    session: &mut query::Session,
    filters: &query::Filters,
    out: &Path,
) -> Result<Vec<(chart::ChartSpec, PathBuf, PathBuf)>> {
    let mut done = Vec::new();
    let coverage = coverage(session)?;
    for spec in specs {
        let df = session.run(&spec.query)?;
        let data = chart::data(spec, &df)?;
        let mut footer = chart_footer(spec, &coverage, filters);
        let notes = session.notes(&query::spec(&spec.query)?.metrics)?.summary_zh();
        if !notes.is_empty() {
            footer = format!("{footer}\n{notes}");
        }
        let (png, svg) = chart::render(spec, &data, &footer, out)?;
        done.push((spec.clone(), png, svg));
    }
    Ok(done)
}

/// Renders every chart into OUT/charts and builds OUT/brief.html and OUT/brief.md.
fn brief(session: &mut query::Session, filters: &query::Filters, out: &Path) -> Result<(PathBuf, PathBuf)> {
    let charts = render_charts(&chart::specs()?, session, filters, &out.join("charts"))?;
    let headline = session.run("headline_indicators")?;
    let agencies = session.run("disclosure_rate_by_agency")?;
    let findings = session.run("findings_list")?;
    let catalog = session.run("reports_catalog")?;
    let left_out = session.notes(&query::spec("headline_indicators")?.metrics)?.lines_zh();
    let input = brief::BriefInput {
        left_out,
        selection: filters.describe(),
        headline: &headline,
        charts: charts.iter().map(|(spec, png, _)| (spec, png.clone())).collect(),
        agencies: &agencies,
        findings: &findings,
        catalog: &catalog,
    };
    brief::build(&input, out)
}

fn run_main_job(corpus: &Path, meta: Option<&Path>, out: &Path, limits: &crate::ingest::Limits) -> Result<Outcome> {
    let started = std::time::Instant::now();
    let default_meta = PathBuf::from("data/meta.csv");
    let meta = meta.map(Path::to_path_buf).or_else(|| default_meta.exists().then_some(default_meta));
    let warehouse = out.join("warehouse");
    println!("1/4 ingest {} → {}", corpus.display(), warehouse.display());
    let options = pipeline::Options { limits: limits.clone(), ..Default::default() };
    let outcome = ingest_paths(&[corpus.to_path_buf()], &warehouse, meta.as_deref(), &options)?;
    let filters = query::Filters::default();
    let query_dir = out.join("queries");
    std::fs::create_dir_all(&query_dir).map_err(|source| Error::Write { path: query_dir.clone(), source })?;
    let specs = query::specs()?;
    println!("2/4 {} canned queries → {}", specs.len(), query_dir.display());
    let mut session = query::Session::open(&warehouse, &filters)?;
    for spec in &specs {
        let df = session.run(&spec.name)?;
        query::export::write(&df, Format::Csv, Some(&query_dir.join(format!("{}.csv", spec.name))), &[])?;
    }
    println!("3/4 charts and 4/4 briefing → {}", out.display());
    let (html, md) = brief(&mut session, &filters, out)?;
    let head = session.run("headline_indicators")?;
    print!("{}", query::export::table(&head, &[]));
    for line in session.notes(&query::spec("headline_indicators")?.metrics)?.lines() {
        println!("note: {line}");
    }
    println!("briefing: {} ({}), {:.1} s", html.display(), md.display(), started.elapsed().as_secs_f64());
    Ok(outcome)
}

fn eval(truth_dir: &Path, files: &[PathBuf], meta: Option<&Path>, limits: &crate::ingest::Limits) -> Result<Outcome> {
    let meta = load_meta(meta)?;
    let (mut fields, mut wrong, mut silent, mut failed) = (0usize, 0usize, 0usize, false);
    for file in files {
        let stem = file.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
        let truth_path = truth_dir.join(format!("{stem}.json"));
        let truth: serde_json::Value = match std::fs::read_to_string(&truth_path) {
            Ok(text) => {
                serde_json::from_str(&text).map_err(|e| Error::Usage(format!("{}: {e}", truth_path.display())))?
            }
            Err(_) => {
                eprintln!("xxgk: error: no truth record {} for {}", truth_path.display(), file.display());
                failed = true;
                continue;
            }
        };
        let (report, findings) = match pipeline::process_with(file, &meta, limits) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("xxgk: error: {e}");
                failed = true;
                continue;
            }
        };
        let c = crate::eval::compare(&normalize::to_record(&report, &findings), &truth);
        let quiet = crate::eval::silent_errors(&c, &findings);
        println!(
            "{:<52} {:>4}/{:<4} {:>6.2}%  {} silent",
            file.display().to_string(),
            c.matched(),
            c.fields,
            if c.fields > 0 { c.matched() as f64 * 100.0 / c.fields as f64 } else { 100.0 },
            quiet.len()
        );
        for m in &c.mismatches {
            let flag = if quiet.iter().any(|q| q.field == m.field) { "silent" } else { "flagged" };
            println!("    {:<44} expected {} got {} ({flag})", m.field, m.expected, m.actual);
        }
        fields += c.fields;
        wrong += c.mismatches.len();
        silent += quiet.len();
    }
    println!(
        "total {}/{} fields {:.2}%, {} mismatches, {} silent errors",
        fields - wrong,
        fields,
        if fields > 0 { (fields - wrong) as f64 * 100.0 / fields as f64 } else { 100.0 },
        wrong,
        silent
    );
    Ok(if failed {
        Outcome::FilesFailed
    } else if wrong > 0 {
        Outcome::ErrorFindings
    } else {
        Outcome::Clean
    })
}

/// How `diff` reads report files.
struct DiffFiles<'a> {
    meta: Option<&'a Path>,
    limits: crate::ingest::Limits,
}

/// `xxgk diff`: two files, two report ids, or an agency's reports of two years.
fn diff(
    a: Option<&str>,
    b: Option<&str>,
    agency: Option<&str>,
    years: &[i32],
    warehouse: &Path,
    files: &DiffFiles,
    out: &OutputArgs,
) -> Result<Outcome> {
    use crate::corpus::diff as d;
    let meta = load_meta(files.meta)?;
    let side = |given: &str| -> Result<d::Side> {
        let path = Path::new(given);
        if path.is_file() {
            let (report, _) = pipeline::process_with(path, &meta, &files.limits)?;
            Ok(d::Side::from_report(given, &report))
        } else {
            d::stored(warehouse, given)
        }
    };
    let (a, b) = match (agency, a, b) {
        (Some(agency), _, _) => {
            let [y1, y2] = years else {
                return Err(Error::Usage(format!(
                    "--years takes two years, earlier first (e.g. 2023,2024); got {years:?}"
                )));
            };
            (
                d::stored(warehouse, &d::find(warehouse, agency, *y1)?)?,
                d::stored(warehouse, &d::find(warehouse, agency, *y2)?)?,
            )
        }
        (None, Some(a), Some(b)) => (side(a)?, side(b)?),
        _ => return Err(Error::Usage("give two reports (files or report ids), or --agency and --years".into())),
    };
    let result = d::diff(a, b);
    let err = |source| Error::Query { name: "diff".into(), reason: format!("{source}") };
    match out.format {
        Format::Table => {
            let mut text = format!(
                "A: {} · {} · {}\nB: {} · {} · {}\n\n",
                result.a.label,
                result.a.agency.as_deref().unwrap_or("?"),
                result.a.year.map_or("?".into(), |y| y.to_string()),
                result.b.label,
                result.b.agency.as_deref().unwrap_or("?"),
                result.b.year.map_or("?".into(), |y| y.to_string())
            );
            let sections = result.part("section").map_err(err)?;
            text += &format!(
                "repeated text (重复率: share of B in runs of ≥{} characters also in A, digits read alike)\n",
                d::RUN
            );
            text += &output::table(&sections, &[]);
            let figures = result.part("figure").map_err(err)?;
            text += &format!("\nfigures that differ ({})\n", figures.height());
            text += &output::table(&figures, &[]);
            match &out.out {
                Some(path) => {
                    std::fs::write(path, text).map_err(|source| Error::Write { path: path.clone(), source })?
                }
                None => print!("{text}"),
            }
        }
        Format::Json => {
            let text = serde_json::to_string_pretty(&result.json()).map_err(|e| Error::Usage(e.to_string()))? + "\n";
            match &out.out {
                Some(path) => {
                    std::fs::write(path, text).map_err(|source| Error::Write { path: path.clone(), source })?
                }
                None => print!("{text}"),
            }
        }
        format => output::write(&result.frame().map_err(err)?, format, out.out.as_deref(), &[])?,
    }
    Ok(Outcome::Clean)
}

/// `xxgk read-text`: the sandboxed reader. Reads a PDF or Office file from standard input and
/// prints its text; exit 3 when it is not a readable report, 4 when it is over a limit.
fn read_text(
    ext: &str,
    max_pages: usize,
    max_unzipped_bytes: u64,
    max_sheet_cells: u64,
    max_depth: usize,
) -> Result<Outcome> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes).map_err(|source| Error::Read { path: "<stdin>".into(), source })?;
    let limits = crate::ingest::Limits {
        pdf_pages: max_pages,
        member_bytes: max_unzipped_bytes,
        archive_bytes: max_unzipped_bytes.saturating_mul(2),
        sheet_cells: max_sheet_cells,
        html_depth: max_depth,
        file_bytes: u64::MAX,
        sandbox: None,
        ..Default::default()
    };
    let path = PathBuf::from(format!("stdin.{ext}"));
    match crate::ingest::to_text(&path, ext, &bytes, &limits) {
        Ok((text, _)) => {
            std::io::stdout()
                .write_all(text.as_bytes())
                .map_err(|source| Error::Write { path: "<stdout>".into(), source })?;
            Ok(Outcome::Clean)
        }
        Err(Error::NotAReport { reason, .. }) => {
            eprint!("{reason}");
            std::process::exit(crate::ingest::sandbox::EXIT_NOT_A_REPORT)
        }
        Err(Error::Limit { reason, .. }) => {
            eprint!("{reason}");
            std::process::exit(crate::ingest::sandbox::EXIT_LIMIT)
        }
        Err(e) => Err(e),
    }
}
