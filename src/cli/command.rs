//! The command line as clap reads it: every command, its arguments and its `--help` text.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use super::args::{ChartArgs, FilterArgs, LimitArgs, OutputArgs};

const EXIT_CODES: &str = "\
Exit codes:
  0  finished; no error-level findings
  1  finished; some report breaks an identity or has an unreadable cell (error findings),
     or the filters (--from, --to, --agency, --level) select no report (said on stderr)
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
  1  finished; some report breaks an identity or has an unreadable cell (error findings),
     or the filters (--from, --to, --agency, --level) select no report (said on stderr)
  2  failure: bad arguments, an unreadable warehouse, or a file that could not be read
     (a batch still finishes the other files and names each failed file and the reason)";

/// xxgk reads China's government information disclosure annual reports (政府信息公开工作年度报告),
/// checks every number against the accounting identities of the official formats, and keeps the
/// facts, with where each came from, in a Parquet warehouse.
#[derive(Debug, Parser)]
#[command(name = "xxgk", version, after_help = TOP_HELP, propagate_version = true)]
pub struct Main {
    #[command(flatten)]
    pub verbosity: Verbosity,
    #[command(flatten)]
    pub cli: Cli,
}

/// How much xxgk says on standard error, for every command.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct Verbosity {
    /// Say less: no progress line and no notes on standard error (errors are still printed;
    /// the notes under a terminal table stay, they are part of the result).
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say more on standard error: the SQL of each query as it runs, and how long it took.
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

/// A command as the library runs it (`xxgk::cli::run`).
#[derive(Debug, clap::Args)]
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
        /// Report files or folders; `-` reads a list of them from standard input, one per line
        /// (`find reports -name '*.pdf' | xxgk ingest -`).
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Warehouse folder.
        #[arg(long, default_value = "warehouse", value_name = "DIR", env = "XXGK_WAREHOUSE")]
        warehouse: PathBuf,
        /// Sidecar CSV with header path,agency,year,level overriding inferred metadata.
        #[arg(long, value_name = "FILE")]
        meta: Option<PathBuf>,
        /// Files per batch: the unit of parallel work and of a Parquet row group. Memory grows
        /// with it (about 0.1 MB per report in flight).
        #[arg(long, default_value_t = 2048, value_name = "N")]
        batch: usize,
        /// Hide the progress line (set by the global --quiet).
        #[arg(skip)]
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
        #[arg(required_unless_present_any = ["list", "new"])]
        name: Option<String>,
        /// A parameter of the query, NAME=VALUE (repeatable); --list shows each query's
        /// parameters with their types and defaults.
        #[arg(long = "param", value_name = "NAME=VALUE", value_parser = super::args::parse_param)]
        params: Vec<(String, String)>,
        /// Write a commented query file NAME.sql to start from, into the --queries folder (else
        /// the current folder).
        #[arg(long, value_name = "NAME", conflicts_with_all = ["name", "list"])]
        new: Option<String>,
        /// List every canned query: name, title, description, parameters (as JSON with
        /// --format json).
        #[arg(long)]
        list: bool,
        /// Print the query as a plain SQL script for DuckDB or Spark SQL instead of running it:
        /// a view per table over the warehouse's committed Parquet files, the views xxgk
        /// presents (current versions, findings with the corpus findings, labels,
        /// queries/views), then the query with its templates expanded (flagged reports left out
        /// unless --include-flagged; --param binds parameters). It covers the whole warehouse:
        /// --from, --to, --agency and --level are refused. Run it with `duckdb < FILE` or
        /// `spark-sql -f FILE`.
        #[arg(long, value_name = "DIALECT", conflicts_with_all = ["list", "new"])]
        emit_sql: Option<crate::query::emit::Dialect>,
        /// With --emit-sql: where the engine finds the --warehouse folder (e.g.
        /// s3a://bucket/wh after `aws s3 sync wh s3://bucket/wh`); by default its absolute path.
        #[arg(long, value_name = "URL", requires = "emit_sql")]
        location: Option<String>,
        /// With --emit-sql: another warehouse read together with --warehouse (one warehouse per
        /// ingest shard), and where the engine finds it; repeatable.
        #[arg(long = "shard", value_name = "DIR[=URL]", requires = "emit_sql")]
        shards: Vec<String>,
        #[command(flatten)]
        filters: FilterArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Run ad hoc SQL over the warehouse tables and views.
    ///
    /// Tables: reports, facts, findings, sections, legacy, rejects, versions, labels. Views:
    /// requests_cells, requests_wide, report_wide, reason_shares, era_series, era_legacy,
    /// era_current_by_year (see queries/views). Metric templates such as
    /// {{rate disclosure_rate}} are expanded. The statement is confined: one
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
    Metrics {
        /// Print the registry as JSON (with each metric's SQL numerator and denominator).
        #[arg(long)]
        json: bool,
    },
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
    /// Render charts (PNG and SVG, Chinese labels, embedded font) from chart specs.
    ///
    /// The bundled specs (charts/*.toml, embedded in the binary) and, with --charts DIR or
    /// XXGK_CHARTS, the analyst's own: a DIR/NAME.toml in the same format adds a chart or replaces
    /// the bundled one of that name; a bad file is named with the reason. Kinds: line, stacked_bar,
    /// grouped_bar, small_multiples (one panel per value of `panels`, e.g. per agency). A chart
    /// whose x column is `year` has a tick at every year, and a year with no data is a gap. A
    /// chart over several agencies says how many it pools (汇总 N 个机关); `series = "agency"`
    /// draws one line per agency. An empty result draws 无数据 and the selection.
    #[command(after_help = EXIT_CODES)]
    Chart {
        /// Chart name (file name without .toml); see --list.
        #[arg(required_unless_present_any = ["all", "list"])]
        name: Option<String>,
        /// Render every chart.
        #[arg(long)]
        all: bool,
        /// List the charts: name, kind, query, where the spec came from (bundled or its file), title.
        #[arg(long)]
        list: bool,
        /// With --list: print the list as JSON.
        #[arg(long, requires = "list")]
        json: bool,
        /// Output folder.
        #[arg(long, default_value = "out/charts", value_name = "DIR")]
        out: PathBuf,
        #[command(flatten)]
        filters: FilterArgs,
        #[command(flatten)]
        chart: ChartArgs,
    },
    /// Build the briefing: a self-contained HTML file and its Markdown twin, with charts.
    ///
    /// In Chinese: a cover with the selection and its counts (reports, agencies, years), the
    /// headline indicators with their definitions, the charts, the agency table, the identity
    /// checks and the reports read (file names only). The HTML prints on A4 (each section on a
    /// new page, no chart cut).
    #[command(after_help = EXIT_CODES)]
    Brief {
        /// Output folder (brief.html, brief.md, charts/).
        #[arg(long, default_value = "out", value_name = "DIR")]
        out: PathBuf,
        #[command(flatten)]
        filters: FilterArgs,
        #[command(flatten)]
        chart: ChartArgs,
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
        /// A folder of your own query files: each is written to OUT/queries too (see `xxgk query --new`).
        #[arg(long, value_name = "DIR", env = "XXGK_QUERIES")]
        queries: Option<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
        #[command(flatten)]
        chart: ChartArgs,
    },
    /// Measure extraction accuracy against hand-checked truth records, field by field.
    ///
    /// Each FILE is extracted and compared with DIR/<file stem>.json (a SCHEMA.md record; the
    /// first DIR that holds one when --truth is given more than once), scoring only the keys the
    /// truth holds. Prints per-report, per-era and total accuracy, every mismatch by cell id, and
    /// the silent errors: wrong fields that no finding names.
    #[command(
        after_help = "Exit codes:\n  0  every field matches\n  1  some field differs\n  2  failure (unreadable file or truth record)"
    )]
    Eval {
        /// Folder of truth records (<stem>.json); repeat for several corpora.
        #[arg(long, value_name = "DIR", required = true)]
        truth: Vec<PathBuf>,
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
    ///
    /// With --rules, prints the rule catalogue instead: every check with its id, identity,
    /// severity, stage, statement and spec reference (docs/RULES.md is the --markdown form).
    #[command(after_help = EXIT_CODES)]
    Check {
        /// Warehouse folder.
        #[arg(long, default_value = "warehouse", value_name = "DIR")]
        warehouse: PathBuf,
        /// Also list warning-level findings (prose vs table, placements).
        #[arg(long)]
        warnings: bool,
        /// Print the rule catalogue (no warehouse is read).
        #[arg(long)]
        rules: bool,
        /// With --rules: print it as the Markdown of docs/RULES.md.
        #[arg(long, requires = "rules", conflicts_with = "json")]
        markdown: bool,
        /// Print one JSON object (reports, findings, superseded versions, rejects, summary), or
        /// with --rules the catalogue as a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Show where one value of a report came from, and which findings name it.
    ///
    /// REPORT is a report id or text of its source path; CELL is TABLE.ROW.COLUMN as in
    /// SCHEMA.md (requests.granted.total, proactive.rules.issued_count), TABLE.ROW for section
    /// 四 (appeals.review_total) or for every column of a section 三 row (requests.granted);
    /// legacy.ID.year / legacy.ID.cumulative (or legacy.ID) for the 2008–2018 statistics table.
    /// Prints the cell's label and text as printed, its value and blank kind, and its place in
    /// the file — `table 3, row 6, column 4` of an HTML page or Word document, `sheet 年度报告,
    /// cell D38` of a spreadsheet, `page 2, line 14, cell 3` of a PDF, `line 40` of a text file —
    /// then every finding that names it (or its row or table).
    Explain {
        /// Report id (xxgk query reports_catalog) or text of its source path.
        #[arg(value_name = "REPORT")]
        report: String,
        /// Cell id: TABLE.ROW.COLUMN or TABLE.ROW.
        #[arg(value_name = "CELL")]
        cell: String,
        /// Warehouse folder.
        #[arg(long, default_value = "warehouse", value_name = "DIR")]
        warehouse: PathBuf,
    },
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish.
    ///
    /// bash: `xxgk completions bash > ~/.local/share/bash-completion/completions/xxgk`;
    /// zsh: `xxgk completions zsh > ~/.zfunc/_xxgk` (with `fpath+=~/.zfunc` before compinit);
    /// fish: `xxgk completions fish > ~/.config/fish/completions/xxgk.fish`;
    /// PowerShell: `xxgk completions powershell >> $PROFILE`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
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
        #[arg(long, default_value_t = u64::MAX)]
        max_data_bytes: u64,
    },
}
