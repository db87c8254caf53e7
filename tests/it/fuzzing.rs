//! The mutation engine of the fuzzer, shared by `examples/fuzz.rs` (long runs) and
//! `tests/it/fuzz.rs` (a short run in `cargo test`): targets, their seed corpora (the test
//! fixtures), deterministic mutations and one execution per input.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

/// What is fuzzed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Txt,
    Md,
    Html,
    Docx,
    Xlsx,
    Pdf,
    /// `normalize::number::parse_cell`.
    Number,
    /// `normalize::label` (label normalization and matching).
    Label,
    /// The fast HTML tree builder against html5ever: where it builds a tree, the tree must
    /// flatten to html5ever's text (`ingest::html::fast_and_html5ever_text`).
    HtmlTree,
}

impl Target {
    pub const ALL: [Target; 9] = [
        Target::Txt,
        Target::Md,
        Target::Html,
        Target::HtmlTree,
        Target::Docx,
        Target::Xlsx,
        Target::Pdf,
        Target::Number,
        Target::Label,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Target::Txt => "txt",
            Target::Md => "md",
            Target::Html => "html",
            Target::Docx => "docx",
            Target::Xlsx => "xlsx",
            Target::Pdf => "pdf",
            Target::Number => "number",
            Target::Label => "label",
            Target::HtmlTree => "html-tree",
        }
    }

    #[allow(dead_code, reason = "used by examples/fuzz.rs, not by the tests")]
    pub fn parse(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The file extension an input of the target is read as.
    pub fn ext(self) -> &'static str {
        match self {
            Target::Number | Target::Label => "txt",
            Target::HtmlTree => "html",
            t => t.name(),
        }
    }
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn files_with(dir: &Path, ext: &str) -> Vec<Vec<u8>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == ext)).collect())
        .unwrap_or_default();
    paths.sort();
    paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

/// Cell texts for the number target.
const CELLS: &[&str] = &[
    "0",
    "12",
    "1,234",
    "１２３",
    "5件",
    "251000元",
    "14900.48万元",
    "增加4",
    "减少3",
    "—",
    "-",
    "/",
    "无",
    "",
    " ",
    "22（其中修订16件）",
    "55（含自然失效29件）",
    "约50",
    "1 3612",
    "-7",
    "3.14",
    "1e5",
    "９９．５",
    "12%",
];

/// The seed inputs of a target.
pub fn corpus(target: Target) -> Vec<Vec<u8>> {
    let f = fixtures();
    // The real reports of data/reports and the invented ones of tests/fixtures/reports.
    let reports =
        |ext: &str| [files_with(&f.join("../../data/reports"), ext), files_with(&f.join("reports"), ext)].concat();
    let mut out = match target {
        Target::Txt => reports("txt"),
        Target::Md => reports("md"),
        Target::Html => [reports("html"), files_with(&f.join("portal"), "html")].concat(),
        // And the pages on which the two trees disagreed once.
        Target::HtmlTree => {
            [reports("html"), files_with(&f.join("portal"), "html"), files_with(&f.join("hostile/html-tree"), "html")]
                .concat()
        }
        Target::Docx => files_with(&f.join("formats"), "docx"),
        Target::Xlsx => files_with(&f.join("formats"), "xlsx"),
        Target::Pdf => files_with(&f.join("formats"), "pdf"),
        Target::Number => CELLS.iter().map(|c| c.as_bytes().to_vec()).collect(),
        Target::Label => xxgk::model::labels::REQUEST_ROW_LABELS
            .iter()
            .flat_map(|(_, variants)| variants.iter().map(|v| v.as_bytes().to_vec()))
            .collect(),
    };
    out.extend(
        files_with(&f.join("hostile"), target.ext())
            .into_iter()
            .filter(|_| !matches!(target, Target::Number | Target::Label)),
    );
    assert!(!out.is_empty(), "no seed inputs for {}", target.name());
    out
}

/// SplitMix64: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

/// Pieces that reach deep into the readers: markup, the labels and headings the normalizer
/// keys on, numbers at the edges, zip/XML and PDF syntax.
const TOKENS: &[&str] = &[
    "<div>",
    "</div>",
    "<table>",
    "</table>",
    "<tr>",
    "<td>",
    "</td>",
    "<th colspan=\"9999\">",
    "<td rowspan=\"9999\">",
    "<p>",
    "</p>",
    "&nbsp;",
    "&#x4e00;",
    "&#99999999;",
    "&amp",
    "<!--",
    "<script>",
    "<meta charset=gbk>",
    "|",
    "||",
    " | ",
    "\n",
    "\r\n",
    "\t",
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "（七）总计",
    "四、结转下年度继续办理",
    "（六）其他处理",
    "自然人",
    "总计",
    "99999999999999999999",
    "9007199254740993",
    "-1",
    "１２３",
    "—",
    "/",
    "无",
    "万元",
    "2024年",
    "统计期限为2023年1月1日至12月31日",
    "发布机构：",
    "<title>",
    "<w:tc>",
    "</w:tc>",
    "<w:tr>",
    "<w:tbl>",
    "<w:gridSpan w:val=\"64\"/>",
    "<w:vMerge/>",
    "<w:t>",
    "</w:t>",
    "<c r=\"XFD1048576\" t=\"s\"><v>999999</v></c>",
    "obj",
    "endobj",
    "stream",
    "endstream",
    "/Length 999999999",
    "BT",
    "ET",
    "Tj",
    "TJ",
    "/Type/Page",
    "/Kids[",
    "xref",
    "trailer",
    "%%EOF",
    "\u{200b}",
    "\u{feff}",
];

fn mutate_bytes(rng: &mut Rng, data: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    for _ in 0..1 + rng.below(6) {
        let len = data.len();
        match rng.below(9) {
            0 if len > 0 => {
                let p = rng.below(len);
                data[p] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let p = rng.below(len);
                data[p] = [0, 0xff, b'<', b'>', b'|', b'0', b'9', b'\n', 0x80, 0xe4][rng.below(10)];
            }
            2 => {
                let p = rng.below(len + 1);
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                data.splice(p..p, token.iter().copied());
            }
            3 if len > 0 => {
                let p = rng.below(len);
                let n = (1 + rng.below(64)).min(len - p);
                data.drain(p..p + n);
            }
            4 if len > 0 => {
                let p = rng.below(len);
                let n = (1 + rng.below(256)).min(len - p);
                let piece: Vec<u8> = data[p..p + n].to_vec();
                let q = rng.below(len + 1);
                data.splice(q..q, piece);
            }
            5 => {
                let other = &corpus[rng.below(corpus.len())];
                if !other.is_empty() {
                    let p = rng.below(other.len());
                    let n = (1 + rng.below(512)).min(other.len() - p);
                    let q = rng.below(len + 1);
                    data.splice(q..q, other[p..p + n].iter().copied());
                }
            }
            6 if len > 1 && rng.below(8) == 0 => data.truncate(rng.below(len)),
            7 => {
                // A run of one token: deep nesting, long lines, huge spans.
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let times = 1 + rng.below(1500);
                let p = rng.below(len + 1);
                let run: Vec<u8> = token.iter().copied().cycle().take(token.len() * times).collect();
                data.splice(p..p, run);
            }
            _ if len > 0 => {
                let p = rng.below(len);
                data[p] = rng.next() as u8;
            }
            _ => {}
        }
    }
}

/// The members of a zip archive.
fn unzip(bytes: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).ok()?;
        let mut data = Vec::new();
        file.read_to_end(&mut data).ok()?;
        out.push((file.name().ok()?.to_string(), data));
    }
    Some(out)
}

fn rezip(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in members {
        let _ = zip.start_file(name.as_str(), options);
        let _ = zip.write_all(data);
    }
    zip.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// Input `i` of `target`: a seed input mutated by a generator seeded with (seed, target, i).
pub fn mutate(target: Target, corpus: &[Vec<u8>], seed: u64, i: u64) -> Vec<u8> {
    let mut rng =
        Rng(seed ^ (target as u64).wrapping_mul(0xA24B_AED4_963E_E407) ^ i.wrapping_mul(0x9FB2_1C65_1E98_DF25));
    rng.next();
    let base = &corpus[(i % corpus.len() as u64) as usize];
    if matches!(target, Target::Docx | Target::Xlsx)
        && rng.below(5) > 0
        && let Some(mut members) = unzip(base)
    {
        // Mutate the XML that holds the text (or any member, now and then).
        let main = members.iter().position(|(n, _)| {
            n == "word/document.xml" || n.starts_with("xl/worksheets/") || n == "xl/sharedStrings.xml"
        });
        let k = match main {
            Some(k) if rng.below(4) > 0 => k,
            _ => rng.below(members.len()),
        };
        let mut data = std::mem::take(&mut members[k].1);
        mutate_bytes(&mut rng, &mut data, corpus);
        members[k].1 = data;
        return rezip(&members);
    }
    let mut data = base.clone();
    mutate_bytes(&mut rng, &mut data, corpus);
    data
}

/// What one execution gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Read (or refused with a reason: not a report, over a limit, a reader failing in its sandbox).
    Done,
    /// A panic, caught: where it was raised (`file:line`) and its message.
    Panic { location: String, message: String },
    /// The fast HTML tree builder built a tree whose text differs from html5ever's: the first
    /// line that differs (line number, the fast builder's line, html5ever's line).
    Mismatch { line: usize, fast: String, html5ever: String },
}

impl Outcome {
    /// A panic raised in xxgk's own code (`src/…`) or an invariant of this harness, not in a
    /// third-party parser.
    pub fn in_our_code(&self) -> bool {
        matches!(self, Outcome::Panic { location, .. } if location.starts_with("src/") || location.contains("fuzzing.rs"))
    }

    /// A defect of xxgk: a panic in its own code or a mismatch of the two HTML trees.
    #[allow(dead_code, reason = "used by the tests, not by examples/fuzz.rs")]
    pub fn is_defect(&self) -> bool {
        self.in_our_code() || matches!(self, Outcome::Mismatch { .. })
    }
}

thread_local! {
    static LOCATION: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

thread_local! {
    /// Whether this thread is running fuzz inputs (its panics are expected and kept quiet).
    static FUZZING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A panic hook that keeps the location of the last panic of a fuzzing thread, quietly; a panic
/// of any other thread (another test of the binary) goes to the hook before it, so its message
/// is printed as usual.
pub fn install_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !FUZZING.with(|f| f.get()) {
                return previous(info);
            }
            let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
            LOCATION.with(|c| *c.borrow_mut() = Some(at));
        }));
    });
    FUZZING.with(|f| f.set(true));
}

/// Where two texts first differ: the line, and each text's line from a little before the first
/// character that differs.
fn first_difference(fast: &str, html5ever: &str) -> Outcome {
    let (mut a, mut b) = (fast.lines(), html5ever.lines());
    let mut line = 1;
    loop {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x == y => line += 1,
            (x, y) => {
                let (x, y) = (x.unwrap_or("(end of text)"), y.unwrap_or("(end of text)"));
                let same = x.chars().zip(y.chars()).take_while(|(c, d)| c == d).count();
                let from = same.saturating_sub(20);
                let shown = |l: &str| l.chars().skip(from).take(60).collect();
                return Outcome::Mismatch { line, fast: shown(x), html5ever: shown(y) };
            }
        }
    }
}

/// One execution: the input through its reader, normalize and validate (as `ingest` reads a
/// file: panics caught; PDF and Office files in the sandboxed reader when `sandbox` names the
/// xxgk executable, else in this process), through the number or label normalizer, or (the
/// `html-tree` target) decoded as the HTML reader decodes a page and built by both HTML trees.
pub fn run(target: Target, input: &[u8], sandbox: Option<&Path>) -> Outcome {
    install_hook();
    LOCATION.with(|c| *c.borrow_mut() = None);
    let caught = std::panic::catch_unwind(|| match target {
        Target::Number => {
            let text = String::from_utf8_lossy(input);
            let cell = xxgk::normalize::number::parse_cell(&text);
            if let Some(v) = cell.value {
                assert!(v.is_finite(), "parse_cell gave {v} for {text:?}");
            }
            Outcome::Done
        }
        Target::Label => {
            let text = String::from_utf8_lossy(input);
            let _ = xxgk::normalize::label::normalize_label(&text);
            let _ = xxgk::normalize::label::match_label(&text, xxgk::model::labels::REQUEST_ROW_LABELS);
            Outcome::Done
        }
        Target::HtmlTree => {
            let html = xxgk::ingest::html::decode(input);
            let max_depth = xxgk::ingest::Limits::default().html_depth;
            match xxgk::ingest::html::fast_and_html5ever_text(&html, max_depth) {
                Some((fast, html5ever)) if fast != html5ever => first_difference(&fast, &html5ever),
                _ => Outcome::Done,
            }
        }
        _ => {
            let path = PathBuf::from(format!("fuzz.{}", target.ext()));
            let limits = xxgk::ingest::Limits { sandbox: sandbox.map(Path::to_path_buf), ..Default::default() };
            match xxgk::pipeline::process_in_memory(&path, input, &Default::default(), &limits) {
                Err(e) if e.to_string().contains("(a panic: ") => {
                    Outcome::Panic { location: String::new(), message: e.to_string() }
                }
                _ => Outcome::Done,
            }
        }
    });
    let location = || LOCATION.with(|c| c.borrow().clone()).unwrap_or_default();
    match caught {
        Ok(Outcome::Panic { message, .. }) => Outcome::Panic { location: location(), message },
        Ok(outcome) => outcome,
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()));
            Outcome::Panic { location: location(), message: message.unwrap_or_default() }
        }
    }
}
