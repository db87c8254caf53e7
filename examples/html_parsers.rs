//! Measures three HTML parsers on the same pages: the reader's fast tree builder
//! (`src/ingest/html_fast/`, html5ever where it gives up, as the reader does), html5ever (through
//! scraper: the reader's fallback) and tl (a maintained fast HTML parser; a dev-dependency for
//! this measurement only).
//!
//!     cargo build --profile dist --examples && target/dist/examples/html_parsers [--synthetic 3000] [--runs 7]
//!
//! Pages: every HTML page of `data/reports` and `tests/fixtures` but the fuzzer's mutants in
//! `tests/fixtures/hostile` ("real"), and `--synthetic` portal pages of `xxgk synth` (seed 1,
//! "synthetic"). The pages are decoded first, as the reader decodes them; decoding is not timed. For each group and parser, the median of
//! `--runs` runs, each over every page of the group (the real pages several times over, so a run
//! reads at least 20 MB), of:
//!
//! - parse: the text to a DOM (dropping the DOM included);
//! - parse + text: the same, then one walk over the DOM that concatenates its text nodes in
//!   document order (tl leaves character references undecoded, so its text is not the same);
//! - parse + reader's text: the fast tree and html5ever's tree flattened as the reader does
//!   (`ingest::html::tree_text`: chrome lines, report body, table grids), html5ever's converted
//!   to the reader's tree first as the reader does. tl builds another DOM type, which the
//!   reader's flattening does not read: not measured for tl.
//!
//! Then whether the trees agree, per page: the fast builder's text against html5ever's (the
//! differential check), and tl's elements against html5ever's — each element with its parent,
//! in document order, leaving out the `html`, `head`, `body` and `tbody` html5ever implies.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use scraper::{Html, Node};
use xxgk::ingest::dom::Dom;
use xxgk::ingest::html::{decode, fast_tree, html5ever_tree, tree_text};

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html" || e == "htm" || e == "shtml"))
        .collect();
    paths.sort();
    paths
}

/// The reader's tree: the fast builder's, else html5ever's.
fn reader_tree(html: &str) -> Dom<'_> {
    fast_tree(html).unwrap_or_else(|| html5ever_tree(html))
}

fn scraper_text(doc: &Html) -> String {
    let mut out = String::new();
    for node in doc.tree.root().descendants() {
        if let Node::Text(t) = node.value() {
            out.push_str(t);
        }
    }
    out
}

fn tl_dom(html: &str) -> tl::VDom<'_> {
    tl::parse(html, tl::ParserOptions::default()).expect("tl parses any text")
}

fn tl_text(dom: &tl::VDom) -> String {
    let mut out = String::new();
    for node in dom.nodes() {
        if let tl::Node::Raw(bytes) = node {
            out.push_str(&bytes.as_utf8_str());
        }
    }
    out
}

/// Elements html5ever implies that a page need not write.
const IMPLIED: &[&str] = &["html", "head", "body", "tbody"];

/// Each element (lowercase name) with its nearest parent not in [`IMPLIED`], in document order.
fn scraper_elements(doc: &Html) -> Vec<(String, String)> {
    fn walk(node: ego_tree::NodeRef<Node>, parent: &str, out: &mut Vec<(String, String)>) {
        for child in node.children() {
            if let Node::Element(e) = child.value() {
                let name = e.name();
                if IMPLIED.contains(&name) {
                    walk(child, parent, out);
                } else {
                    out.push((name.to_string(), parent.to_string()));
                    walk(child, name, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(doc.tree.root(), "", &mut out);
    out
}

fn tl_elements(dom: &tl::VDom) -> Vec<(String, String)> {
    fn walk(handles: &[tl::NodeHandle], parser: &tl::Parser, parent: &str, out: &mut Vec<(String, String)>) {
        for handle in handles {
            if let Some(tl::Node::Tag(tag)) = handle.get(parser) {
                let name = tag.name().as_utf8_str().to_ascii_lowercase();
                if IMPLIED.contains(&name.as_str()) {
                    walk(tag.children().top().as_slice(), parser, parent, out);
                } else {
                    out.push((name.clone(), parent.to_string()));
                    walk(tag.children().top().as_slice(), parser, &name, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(dom.children(), dom.parser(), "", &mut out);
    out
}

/// One parser's work on one page.
type Parse<'a> = &'a dyn Fn(&str);

/// Median over `runs` of the time `f` takes over every page, `reps` times over.
fn median(runs: usize, reps: usize, pages: &[String], f: Parse) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..reps {
                for page in pages {
                    f(page);
                }
            }
            started.elapsed() / reps as u32
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let synthetic: usize = arg(&args, "--synthetic").and_then(|v| v.parse().ok()).unwrap_or(3000);
    let runs: usize = arg(&args, "--runs").and_then(|v| v.parse().ok()).unwrap_or(7).max(1);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let read = |paths: Vec<PathBuf>| -> Vec<String> {
        paths.iter().map(|p| decode(&std::fs::read(p).expect("read page"))).collect()
    };
    // The real and invented report pages; not the fuzzer's mutants kept in tests/fixtures/hostile.
    let fixtures: Vec<PathBuf> = html_files(&root.join("tests/fixtures"))
        .into_iter()
        .filter(|p| !p.components().any(|c| c.as_os_str() == "hostile"))
        .collect();
    let real = read([html_files(&root.join("data/reports")), fixtures].concat());
    let dir = tempfile::tempdir().expect("temporary folder");
    let options = xxgk::synth::Options {
        reports: synthetic,
        seed: 1,
        layouts: vec![xxgk::synth::Layout::Html],
        defect_rate: 0.0,
    };
    let synth = read(xxgk::synth::generate(dir.path(), &options).expect("synthetic pages").files);
    println!("median of {runs} runs; MB/s of decoded page text (MB = 10^6 bytes); ratios of MB/s");
    for (group, pages) in [("real", &real), ("synthetic", &synth)] {
        let bytes: usize = pages.iter().map(String::len).sum();
        let reps = (20_000_000 / bytes.max(1)).max(1);
        let fast_built = pages.iter().filter(|p| fast_tree(p).is_some()).count();
        let fast_agrees = pages
            .iter()
            .filter(|p| fast_tree(p).is_some_and(|t| tree_text(&t) == tree_text(&html5ever_tree(p))))
            .count();
        let tl_agrees =
            pages.iter().filter(|p| tl_elements(&tl_dom(p)) == scraper_elements(&Html::parse_document(p))).count();
        println!(
            "\n{group}: {} pages, {:.2} MB ({:.1} KB a page); the fast builder builds {fast_built} (html5ever the rest)",
            pages.len(),
            bytes as f64 / 1e6,
            bytes as f64 / 1e3 / pages.len() as f64
        );
        println!(
            "{:<26} {:>16} {:>16} {:>16} {:>9} {:>9} {:>9}",
            "", "fast builder", "html5ever", "tl", "fast/h5e", "tl/h5e", "tl/fast"
        );
        let measures: [(&str, [Option<Parse>; 3]); 3] = [
            (
                "parse",
                [
                    Some(&|p| drop(black_box(reader_tree(p)))),
                    Some(&|p| drop(black_box(Html::parse_document(p)))),
                    Some(&|p| drop(black_box(tl_dom(p)))),
                ],
            ),
            (
                "parse + text",
                [
                    Some(&|p| {
                        let dom = reader_tree(p);
                        drop(black_box(dom.text(dom.root())))
                    }),
                    Some(&|p| drop(black_box(scraper_text(&Html::parse_document(p))))),
                    Some(&|p| drop(black_box(tl_text(&tl_dom(p))))),
                ],
            ),
            (
                "parse + reader's text",
                [
                    Some(&|p| drop(black_box(tree_text(&reader_tree(p))))),
                    Some(&|p| drop(black_box(tree_text(&html5ever_tree(p))))),
                    None,
                ],
            ),
        ];
        for (measure, parsers) in measures {
            let secs: Vec<Option<f64>> =
                parsers.iter().map(|f| f.map(|f| median(runs, reps, pages, f).as_secs_f64())).collect();
            let mbs: Vec<Option<f64>> = secs.iter().map(|s| s.map(|s| bytes as f64 / 1e6 / s)).collect();
            let cell = |i: usize| mbs[i].map_or("—".to_string(), |mb| format!("{mb:7.1} MB/s"));
            let pages_cell =
                |i: usize| secs[i].map_or("—".to_string(), |s| format!("{:7.0} pages/s", pages.len() as f64 / s));
            let ratio = |a: usize, b: usize| match (mbs[a], mbs[b]) {
                (Some(x), Some(y)) => format!("{:.2}×", x / y),
                _ => "—".to_string(),
            };
            println!(
                "{:<26} {:>16} {:>16} {:>16} {:>9} {:>9} {:>9}",
                measure,
                cell(0),
                cell(1),
                cell(2),
                ratio(0, 1),
                ratio(2, 1),
                ratio(2, 0)
            );
            println!("{:<26} {:>16} {:>16} {:>16}", "", pages_cell(0), pages_cell(1), pages_cell(2));
        }
        println!(
            "same reader's text as html5ever: fast builder {fast_agrees} of {fast_built} pages it builds; \
             same elements under the same parents as html5ever: tl {tl_agrees} of {} pages",
            pages.len()
        );
    }
}
