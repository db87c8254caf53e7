//! Ingest: a file → a [`Document`]: its lines split into the six report sections (prose kept),
//! and each table section's lines split into raw cell rows with their line numbers. One reader
//! per format; this build reads the text forms (portal `|` exports, Markdown tables, and the
//! layout text PDF extraction produces). HTML, PDF, Word and Excel readers come later and return
//! [`Error::Unsupported`] for now, so a batch names such files and goes on.

pub mod dom;
pub mod files;
pub mod html;
mod html_chrome;
mod html_fast;
mod office;
mod pdf;
pub mod sandbox;
mod text;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

pub use text::{is_blank, is_cjk_ideograph, looks_like_value, split_cells, split_sections, trim};

/// How a raw row's cells were delimited, which decides whether positions are meaningful.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellLayout {
    /// `|`-delimited (portal export or Markdown): every cell is there, empty cells included.
    Grid,
    /// Columns aligned by spaces (PDF layout text, plain `label 97` lines): empty cells are lost.
    Spaced,
    /// A dense grid from a real table (HTML): every row has the table's full width, spans
    /// expanded, so a cell's position is its column.
    Dense,
}

/// One line of a table section, split into cells.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    /// 1-based line number in the source text.
    pub line: usize,
    pub cells: Vec<String>,
    pub layout: CellLayout,
}

/// The rows of one table section, in document order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawTable {
    pub rows: Vec<RawRow>,
}

/// One of the report's sections. `kind` is `preamble` (before the first heading), `overview`,
/// `proactive`, `requests`, `appeals`, `problems` or `other`.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub kind: &'static str,
    pub heading: String,
    /// Line of the heading (or 1 for the preamble).
    pub line: usize,
    /// Lines of text that are not table rows, with their line numbers.
    pub prose: Vec<(usize, String)>,
    /// Table rows of `proactive`, `requests` and `appeals` sections; empty elsewhere.
    pub table: RawTable,
}

/// Where a line of the text a reader rendered came from in the user's file: the geometry of
/// the source, so a fact's locator names the place the user can open.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Place {
    /// Row `row` of the `table`-th table of an HTML page (every `<table>` in document order) or
    /// of a Word document (its top-level tables), both 1-based; the line's cells are the
    /// columns 1, 2, … of the table's grid (spans expanded).
    Table { table: usize, row: usize },
    /// Row `row` (1-based, as Excel numbers it) of sheet `sheet`; the line's first cell is
    /// column `first_col` (1 = A).
    Sheet { sheet: String, row: usize, first_col: usize },
    /// Line `line` of page `page` of a PDF (or of layout text with form feeds between pages).
    Page { page: usize, line: usize },
}

impl Place {
    /// The place of cell `cell` (0-based) of this line, or of the line when `cell` is `None`,
    /// as the warehouse stores it.
    pub fn at(&self, cell: Option<usize>) -> crate::model::FilePlace {
        use crate::model::FilePlace;
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        match self {
            Place::Table { table, row } => {
                FilePlace::Table { table: n(*table), row: n(*row), column: cell.map(|c| n(c + 1)) }
            }
            Place::Sheet { sheet, row, first_col } => {
                FilePlace::Sheet { sheet: sheet.as_str().into(), row: n(*row), column: cell.map(|c| n(first_col + c)) }
            }
            Place::Page { page, line } => {
                FilePlace::Page { page: n(*page), line: n(*line), cell: cell.map(|c| n(c + 1)) }
            }
        }
    }
}

/// What a reader renders: the text the section splitter reads, and for each line it can place,
/// where in the file that line came from (1-based line of `text` → place).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    pub text: String,
    pub places: Vec<(usize, Place)>,
}

impl Rendered {
    /// Joins lines (each without a newline) into text, keeping the places of those that have one.
    pub fn from_lines(lines: Vec<(String, Option<Place>)>) -> Rendered {
        let mut text = String::new();
        let mut places = Vec::new();
        for (i, (line, place)) in lines.into_iter().enumerate() {
            text.push_str(&line);
            text.push('\n');
            if let Some(p) = place {
                places.push((i + 1, p));
            }
        }
        Rendered { text, places }
    }

    /// Text whose pages are separated by lines holding a form feed (PDF layout text, `pdftotext
    /// -layout` output): each line is placed on its page.
    pub fn paged(text: String) -> Rendered {
        let mut places = Vec::new();
        let (mut page, mut on_page) = (1, 0);
        for (i, line) in text.lines().enumerate() {
            if line.contains('\x0c') {
                page += 1;
                on_page = 0;
                continue;
            }
            on_page += 1;
            places.push((i + 1, Place::Page { page, line: on_page }));
        }
        Rendered { text, places }
    }
}

/// A report as read: text split into sections and raw tables, before any interpretation.
#[derive(Debug, Clone)]
pub struct Document {
    /// The path as the user gave it.
    pub source: PathBuf,
    /// `txt`, `md`, … (lower-case extension, or `text` for in-memory input).
    pub format: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    pub sections: Vec<Section>,
    /// Where lines of the text came from in the file (1-based line → place), for the formats
    /// that are rendered to text (HTML, Word, spreadsheets, PDF); empty for text files, whose
    /// lines are the user's own.
    pub places: std::collections::BTreeMap<usize, Place>,
}

impl Document {
    /// The first section of `kind`, if the report has one.
    pub fn section(&self, kind: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.kind == kind)
    }

    /// All prose lines of the report in order, with their line numbers.
    pub fn prose(&self) -> impl Iterator<Item = &(usize, String)> {
        self.sections.iter().flat_map(|s| s.prose.iter())
    }
}

/// File extensions read as text.
pub const TEXT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "text"];
/// File extensions read as HTML.
pub const HTML_EXTENSIONS: &[&str] = &["html", "htm", "shtml", "xhtml"];
/// File extensions read as Word documents.
pub const WORD_EXTENSIONS: &[&str] = &["docx", "docm"];
/// File extensions read as spreadsheets.
pub const SHEET_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods"];
/// File extensions read as PDF.
pub const PDF_EXTENSIONS: &[&str] = &["pdf"];
/// Report formats recognised but not read by this build.
pub const PLANNED_EXTENSIONS: &[&str] = &[];
/// Legacy binary word-processor formats: convert them first.
pub const LEGACY_EXTENSIONS: &[&str] = &["doc", "wps"];

/// What one input file may cost. Every limit has a default and a flag (`xxgk ingest --help`);
/// a file over a limit is refused with the limit named, and the batch goes on.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Bytes of one input file (`--max-file-mb`).
    pub file_bytes: u64,
    /// Decompressed bytes of one member of a .docx/.xlsx archive (`--max-unzipped-mb`).
    pub member_bytes: u64,
    /// Decompressed bytes of all members of an archive together (`--max-unzipped-mb` × 2).
    pub archive_bytes: u64,
    /// Pages of a PDF (`--max-pages`).
    pub pdf_pages: usize,
    /// Cells (rows × columns) a worksheet of a spreadsheet may span (`--max-sheet-cells`).
    pub sheet_cells: u64,
    /// Nesting depth of an HTML page's elements (`--max-depth`).
    pub html_depth: usize,
    /// Seconds a sandboxed reader may take for one file (`--timeout`).
    pub seconds: f64,
    /// Resident memory a sandboxed reader may use (`--max-memory-mb`).
    pub memory_bytes: u64,
    /// The xxgk executable that reads PDF and Office files in a child process, where the time
    /// and memory limits are enforced (a third-party parser cannot be stopped inside this
    /// process); `None` reads them in-process, where only the size, page and depth limits hold.
    pub sandbox: Option<PathBuf>,
}

const MB: u64 = 1024 * 1024;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            file_bytes: 64 * MB,
            member_bytes: 128 * MB,
            archive_bytes: 256 * MB,
            pdf_pages: 500,
            sheet_cells: 4_000_000,
            html_depth: 512,
            seconds: 60.0,
            memory_bytes: 384 * MB,
            sandbox: None,
        }
    }
}

/// Reads one report file into a [`Document`].
pub fn read(path: &Path) -> Result<Document> {
    let limits = Limits::default();
    let bytes = files::read(path, limits.file_bytes)?;
    let sha256 = sha256_hex(&bytes);
    read_bytes(path, &bytes, sha256, &limits)
}

/// Reads one report file already in memory (`sha256` is the digest of `bytes`).
pub fn read_bytes(path: &Path, bytes: &[u8], sha256: String, limits: &Limits) -> Result<Document> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let (rendered, dense) = match &limits.sandbox {
        Some(exe) if sandbox::isolated(&ext) => sandbox::to_text(exe, path, &ext, bytes, limits)?,
        _ => to_text(path, &ext, bytes, limits)?,
    };
    let mut doc = read_text(path, &rendered.text);
    doc.places = rendered.places.into_iter().collect();
    if dense {
        for row in doc.sections.iter_mut().flat_map(|s| s.table.rows.iter_mut()) {
            if row.layout == CellLayout::Grid {
                row.layout = CellLayout::Dense;
            }
        }
    }
    doc.format = ext;
    doc.sha256 = sha256;
    if doc.sections.len() < 2 && !text::has_inline_legacy_headings(&rendered.text) {
        let reason = "no report section headings found (一、总体情况 … 六、其他需要报告的事项)".to_string();
        return Err(Error::NotAReport { path: path.to_path_buf(), reason });
    }
    if doc.sections.iter().all(|s| s.prose.iter().all(|(_, l)| l.trim().is_empty()) && s.table.rows.is_empty()) {
        let reason = "the section headings are all there is: no text and no table under them".to_string();
        return Err(Error::NotAReport { path: path.to_path_buf(), reason });
    }
    Ok(doc)
}

/// Reads report text that is already in memory (e.g. layout text from a PDF extractor).
pub fn read_text(source: &Path, text: &str) -> Document {
    Document {
        source: PathBuf::from(source),
        format: "text".to_string(),
        sha256: sha256_hex(text.as_bytes()),
        sections: split_sections(text),
        places: Default::default(),
    }
}

/// SHA-256 of `bytes` as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(bytes);
    // Two digits per byte from a table: a `format!` per byte was 1% of an ingest's samples.
    digest.iter().flat_map(|b| [HEX[usize::from(b >> 4)] as char, HEX[usize::from(b & 15)] as char]).collect()
}

/// Decodes report bytes: BOM first (UTF-8, UTF-16), then strict UTF-8, then GB18030 (which
/// covers GBK and GB2312, common on Chinese portals) when that decodes without errors.
fn decode(bytes: &[u8]) -> Option<String> {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return (!had_errors).then(|| text.into_owned());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some(text.to_string());
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    (!had_errors).then(|| text.into_owned())
}

/// Why a reader stopped: the file is not a readable report, or it is over a limit.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    NotAReport(String),
    Limit(String),
}

impl Refusal {
    fn into_error(self, path: &Path) -> Error {
        match self {
            Refusal::NotAReport(reason) => Error::NotAReport { path: path.to_path_buf(), reason },
            Refusal::Limit(reason) => Error::Limit { path: path.to_path_buf(), reason },
        }
    }
}

impl From<String> for Refusal {
    fn from(reason: String) -> Refusal {
        Refusal::NotAReport(reason)
    }
}

/// The text a file is read as (HTML, Word and spreadsheets flattened, encodings decoded), and
/// whether its `|` rows come from real tables (dense grids).
pub fn to_text(path: &Path, ext: &str, bytes: &[u8], limits: &Limits) -> Result<(Rendered, bool)> {
    let failed = |refusal: Refusal| refusal.into_error(path);
    if HTML_EXTENSIONS.contains(&ext) {
        return html::render_limited(&html::decode(bytes), limits.html_depth).map(|t| (t, true)).map_err(failed);
    }
    if WORD_EXTENSIONS.contains(&ext) {
        return office::docx_to_text(bytes, limits).map(|r| (r, true)).map_err(failed);
    }
    if PDF_EXTENSIONS.contains(&ext) {
        return pdf::layout_text(bytes, limits.pdf_pages).map(|t| (Rendered::paged(t), false)).map_err(failed);
    }
    if SHEET_EXTENSIONS.contains(&ext) {
        return office::spreadsheet_to_text(bytes, limits).map(|r| (r, true)).map_err(failed);
    }
    if TEXT_EXTENSIONS.contains(&ext) {
        return decode(bytes)
            .map(|t| (Rendered { text: t, places: Vec::new() }, false))
            .ok_or_else(|| failed(Refusal::NotAReport("the bytes are neither UTF-8, UTF-16 nor GB18030 text".into())));
    }
    let reason = if LEGACY_EXTENSIONS.contains(&ext) {
        format!(
            ".{ext} is a legacy binary Word/WPS format: convert it to .docx first (e.g. `soffice --headless --convert-to docx FILE`)"
        )
    } else if PLANNED_EXTENSIONS.contains(&ext) {
        format!(".{ext} reports are not read by this build yet")
    } else if ext.is_empty() {
        "no file extension: expected .txt, .md, .html, .pdf, .docx or .xlsx".to_string()
    } else {
        format!("unknown report format .{ext}: expected .txt, .md, .html, .pdf, .docx or .xlsx")
    };
    Err(Error::Unsupported { path: path.to_path_buf(), reason })
}

/// The text a file is read as, for inspection (`examples/dump_text.rs`).
pub fn text_of(path: &Path) -> Result<String> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let limits = Limits::default();
    let bytes = files::read(path, limits.file_bytes)?;
    to_text(path, &ext, &bytes, &limits).map(|(t, _)| t.text)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_hex_is_the_digest_in_lower_case_hex() {
        // FIPS 180-2's examples.
        assert_eq!(super::sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(super::sha256_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
