//! Synth: a deterministic synthetic corpus for tests and benchmarks. Each document is a
//! plausible annual report — an agency at a level from 国务院部门 to 乡镇, a year 2019–2025 in the
//! format era of that year, long-tailed request volumes, every identity balanced — rendered in one
//! of the layouts real reports use (portal `|` export, Markdown tables, portal HTML with
//! rowspan/colspan, Word markup and `&nbsp;` blanks), with its truth record (SCHEMA.md) beside it.
//! A share of documents carries a defect injected on purpose (a printed total that contradicts its
//! parts), listed in the truth's `source_inconsistencies` with the rule that must flag it.

mod render;
mod rng;

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::model::{APPLICANT_COLUMNS, Era, Level, REQUEST_ROWS, RowRole, appeal_cells};
use crate::normalize::{Fact, Meta, Report};
use rng::Rng;

/// Layouts a synthetic document can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Portal text export: cells joined by `|`, merged cells as empty `|` cells.
    Txt,
    /// Markdown tables (one table per section).
    Md,
    /// Portal HTML page with rowspan/colspan, Word-style spans and `&nbsp;` blanks.
    Html,
}

impl Layout {
    pub fn parse(s: &str) -> Option<Layout> {
        match s {
            "txt" => Some(Layout::Txt),
            "md" => Some(Layout::Md),
            "html" => Some(Layout::Html),
            _ => None,
        }
    }

    fn ext(self) -> &'static str {
        match self {
            Layout::Txt => "txt",
            Layout::Md => "md",
            Layout::Html => "html",
        }
    }
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    pub reports: usize,
    pub seed: u64,
    pub layouts: Vec<Layout>,
    /// Share of documents with an injected defect (0–1).
    pub defect_rate: f64,
}

/// One synthetic report's content, before rendering.
#[derive(Debug, Clone)]
pub struct Synthetic {
    pub agency: String,
    pub level: Level,
    pub year: i32,
    pub era: Era,
    /// Section 三 rows (printed ones) × 7 columns; `None` prints as a blank.
    pub requests: Vec<(&'static str, [Option<i64>; 7])>,
    /// The 15 section 四 cells.
    pub appeals: Vec<(&'static str, i64)>,
    /// Section 二: (row, [(col, value)]).
    pub proactive: Vec<(&'static str, Vec<(&'static str, f64)>)>,
    /// Injected defects: (rule that must flag it, description).
    pub defects: Vec<(String, String)>,
}

const SYLLABLES: &[&str] = &[
    "青", "安", "平", "阳", "河", "山", "东", "西", "南", "北", "新", "宁", "泰", "兴", "华", "昌", "定", "远", "江",
    "湖", "丰", "德", "桂", "林",
];
const DEPARTMENTS: &[&str] = &[
    "发展和改革局",
    "教育局",
    "公安局",
    "民政局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源局",
    "住房和城乡建设局",
    "交通运输局",
    "农业农村局",
    "卫生健康委员会",
    "市场监督管理局",
];
/// Kinds of central bodies (国家…局, 国家…委员会).
const MINISTRY_KINDS: &[&str] = &["局", "委员会", "管理局"];

/// A place name of its own for report `index` (its index in syllables, at least three): no two
/// synthetic reports name the same agency, so a synthetic corpus has one report per agency and
/// year and no versions (a real archive has one per agency-year as well).
fn unique_place(index: usize, suffix: &str) -> String {
    let base = SYLLABLES.len();
    let mut n = index + base * base;
    let mut name = String::new();
    while n > 0 {
        name.insert_str(0, SYLLABLES[n % base]);
        n /= base;
    }
    format!("{name}{suffix}")
}

fn place(rng: &mut Rng, suffix: &str) -> String {
    format!("{}{}{suffix}", rng.pick(SYLLABLES), rng.pick(SYLLABLES))
}

/// Draws one report. Deterministic for (seed, index).
pub fn draw(seed: u64, index: usize, defect_rate: f64) -> Synthetic {
    let mut rng = Rng::new(seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let year = 2019 + rng.below(7) as i32;
    let era = if year >= 2021 { Era::Std2021 } else { Era::Trial2019 };
    let (level, agency, scale) = match rng.below(100) {
        0..=1 => (Level::Central, format!("国家{}", unique_place(index, rng.pick(MINISTRY_KINDS))), 1500.0),
        2..=6 => (Level::Province, format!("{}人民政府办公厅", unique_place(index, "省")), 900.0),
        7..=21 => (Level::Prefecture, format!("{}人民政府", unique_place(index, "市")), 300.0),
        22..=51 => {
            let suffix = if rng.below(2) == 0 { "县" } else { "区" };
            let county = unique_place(index, suffix);
            (Level::County, format!("{}{county}人民政府", place(&mut rng, "市")), 60.0)
        }
        52..=79 => (Level::County, format!("{}{}", unique_place(index, "县"), rng.pick(DEPARTMENTS)), 12.0),
        _ => (Level::Township, format!("{}{}人民政府", place(&mut rng, "县"), unique_place(index, "镇")), 3.0),
    };
    let new_total = (scale * rng.lognormal(0.0, 0.9)).round().max(0.0) as i64;
    // Applicant mix: mostly natural persons.
    let mix = [0.93, 0.045, 0.004, 0.003, 0.01, 0.008];
    let new_cols = rng.multinomial(new_total, &mix);
    let carried: Vec<i64> = new_cols.iter().map(|&n| rng.binomial(n, 0.04)).collect();
    let forward: Vec<i64> = new_cols.iter().zip(&carried).map(|(&n, &c)| rng.binomial(n + c, 0.05)).collect();
    let processed: Vec<i64> = (0..6).map(|k| new_cols[k] + carried[k] - forward[k]).collect();
    let single_other = era == Era::Trial2019;
    let leaves: Vec<&'static str> = crate::model::outcome_leaves(single_other);
    let weights: Vec<f64> = leaves
        .iter()
        .map(|l| match *l {
            "granted" => 45.0,
            "partially_granted" => 10.0,
            "unavailable_not_held" => 18.0,
            "unavailable_needs_creation" => 3.0,
            "unavailable_unclear" => 2.0,
            "other_total" => 8.0,
            "other_correction_overdue" => 4.0,
            "other_fee_unpaid" => 0.5,
            "other_misc" => 3.5,
            l if l.starts_with("refused") => 0.7,
            _ => 1.2,
        })
        .collect();
    let sum: f64 = weights.iter().sum();
    let probs: Vec<f64> = weights.iter().map(|w| w / sum).collect();
    let mut leaf_values: Vec<[i64; 6]> = vec![[0; 6]; leaves.len()];
    for k in 0..6 {
        for (i, v) in rng.multinomial(processed[k], &probs).into_iter().enumerate() {
            leaf_values[i][k] = v;
        }
    }
    let with_total = |cols: &[i64]| -> [Option<i64>; 7] {
        let mut row = [None; 7];
        for k in 0..6 {
            row[k] = Some(cols[k]);
        }
        row[6] = Some(cols.iter().sum());
        row
    };
    let mut requests: Vec<(&'static str, [Option<i64>; 7])> = Vec::new();
    for r in REQUEST_ROWS {
        let row = match r.role {
            RowRole::Intake if r.id == "new_received" => with_total(&new_cols),
            RowRole::Intake => with_total(&carried),
            RowRole::Processed => with_total(&processed),
            RowRole::Forward => with_total(&forward),
            _ => match leaves.iter().position(|l| *l == r.id) {
                Some(i) => with_total(&leaf_values[i]),
                None => continue,
            },
        };
        requests.push((r.id, row));
    }
    let block = |rng: &mut Rng, mean: f64| -> [i64; 5] {
        let total = rng.poisson(mean);
        let parts = rng.multinomial(total, &[0.6, 0.1, 0.15, 0.15]);
        [parts[0], parts[1], parts[2], parts[3], total]
    };
    let intensity = (new_total as f64 / 30.0).min(60.0);
    let blocks = [block(&mut rng, intensity * 0.8), block(&mut rng, intensity * 0.2), block(&mut rng, intensity * 0.3)];
    let mut appeals: Vec<(&'static str, i64)> =
        appeal_cells().iter().copied().zip(blocks.iter().flat_map(|b| b.iter().copied())).collect();

    let decisions = |rng: &mut Rng, m: f64| (scale * 40.0 * m * rng.lognormal(0.0, 1.2)).round();
    let docs = |rng: &mut Rng| {
        let issued = rng.poisson(scale.sqrt() / 2.0) as f64;
        (issued, (issued * 0.4).round(), issued * 6.0 + rng.poisson(5.0) as f64)
    };
    let proactive = match era {
        Era::Std2021 => {
            let (i, r, f) = docs(&mut rng);
            let rules =
                if matches!(level, Level::Province | Level::Prefecture) { (1.0, 0.0, 12.0) } else { (0.0, 0.0, 0.0) };
            vec![
                ("rules", vec![("issued_count", rules.0), ("repealed_count", rules.1), ("in_force_count", rules.2)]),
                ("normative_docs", vec![("issued_count", i), ("repealed_count", r), ("in_force_count", f)]),
                ("admin_licensing", vec![("decision_count", decisions(&mut rng, 1.0))]),
                ("admin_penalty", vec![("decision_count", decisions(&mut rng, 0.3))]),
                ("admin_coercion", vec![("decision_count", decisions(&mut rng, 0.02))]),
                ("admin_fees", vec![("fee_amount", (scale * rng.lognormal(0.0, 1.0) * 100.0).round() / 100.0)]),
            ]
        }
        _ => {
            let (i, _, f) = docs(&mut rng);
            let items = |rng: &mut Rng| {
                vec![
                    ("prior_year_item_count", rng.poisson(20.0) as f64),
                    ("item_count_change", rng.below(7) as f64 - 3.0),
                    ("decision_count", decisions(rng, 1.0)),
                ]
            };
            vec![
                ("rules", vec![("new_made_count", 0.0), ("new_published_count", 0.0), ("published_total_count", 0.0)]),
                (
                    "normative_docs",
                    vec![("new_made_count", i), ("new_published_count", i), ("published_total_count", f)],
                ),
                ("admin_licensing", items(&mut rng)),
                ("other_external_services", items(&mut rng)),
                ("admin_penalty", items(&mut rng)),
                ("admin_coercion", items(&mut rng)),
                ("admin_fees", vec![("prior_year_item_count", rng.poisson(3.0) as f64), ("item_count_change", 0.0)]),
            ]
        }
    };

    let mut defects = Vec::new();
    if rng.f64() < defect_rate {
        if rng.below(2) == 0 {
            // A printed 行政复议 总计 that contradicts its parts (the Hongze 2023 defect).
            let parts: i64 = appeals[..4].iter().map(|(_, v)| v).sum();
            appeals[4].1 = parts + 1 + rng.below(3) as i64;
            defects.push((
                "appeals.review_sum".to_string(),
                format!("review_total printed as {} although its parts add up to {parts}", appeals[4].1),
            ));
        } else {
            let row = requests.iter_mut().find(|(id, _)| *id == "granted").expect("granted row");
            let printed = row.1[6].unwrap_or(0) + 1;
            row.1[6] = Some(printed);
            defects.push((
                "requests.row_sum".to_string(),
                format!("granted.total printed as {printed}, one more than its applicant columns"),
            ));
        }
    }
    Synthetic { agency, level, year, era, requests, appeals, proactive, defects }
}

impl Synthetic {
    /// The report as a reader would give it, built from the drawn values without rendering and
    /// reading a document: the straight-to-warehouse path for very large benchmark warehouses.
    /// `source` names it; its content hash is a hash of `source`.
    pub fn to_report(&self, source: &str) -> Report {
        let mut facts = Vec::new();
        let mut line = 0;
        let mut fact = |table: crate::model::Table, row: &'static str, col: &'static str, value: Option<f64>| {
            line += 1;
            let raw = value
                .map_or_else(String::new, |v| if v.fract() == 0.0 { format!("{}", v as i64) } else { format!("{v}") });
            let blank_kind = value.map_or(crate::model::BlankKind::Empty, crate::model::BlankKind::of_value);
            facts.push(Fact {
                table,
                row,
                col,
                value,
                blank_kind,
                raw: raw.into(),
                label_raw: crate::model::labels::DISPLAY_LABELS
                    .iter()
                    .find(|(id, _)| *id == row)
                    .map_or(row, |(_, l)| *l)
                    .into(),
                unit: None,
                line,
                at: Default::default(),
            });
        };
        for (row, cols) in &self.proactive {
            for (col, value) in cols {
                fact(crate::model::Table::Proactive, row, col, Some(*value));
            }
        }
        for (row, values) in &self.requests {
            for (col, value) in APPLICANT_COLUMNS.iter().zip(values) {
                fact(crate::model::Table::Requests, row, col, value.map(|v| v as f64));
            }
        }
        for (cell, value) in &self.appeals {
            fact(crate::model::Table::Appeals, cell, "", Some(*value as f64));
        }
        let meta = Meta {
            year: Some(self.year),
            level: Some(self.level),
            period_start: Some(format!("{}-01-01", self.year)),
            period_end: Some(format!("{}-12-31", self.year)),
            published_date: Some(format!("{}-01-31", self.year + 1)),
            inference: vec!["synthetic".to_string()],
            ..Meta::default()
        }
        .with_agency(&self.agency);
        let sections = ["overview", "proactive", "requests", "appeals", "problems", "other"]
            .iter()
            .enumerate()
            .map(|(i, kind)| crate::normalize::SectionText {
                kind: kind.to_string(),
                heading: String::new(),
                line: i + 1,
                text: String::new(),
            })
            .collect();
        let sha256 = crate::ingest::sha256_hex(source.as_bytes());
        let single_other = self.era == Era::Trial2019;
        Report::from_parts(source.to_string(), "synthetic", sha256, meta, self.era, single_other, facts, sections)
    }

    /// The SCHEMA.md truth record.
    pub fn truth(&self, source: &str) -> Value {
        let mut requests = Map::new();
        for (row, values) in &self.requests {
            let mut cols = Map::new();
            for (c, v) in APPLICANT_COLUMNS.iter().zip(values) {
                cols.insert(c.to_string(), v.map_or(Value::Null, |v| json!(v)));
            }
            requests.insert(row.to_string(), Value::Object(cols));
        }
        let appeals: Map<String, Value> = self.appeals.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
        let mut proactive = Map::new();
        for (row, cols) in &self.proactive {
            let m: Map<String, Value> = cols
                .iter()
                .map(|(c, v)| (c.to_string(), if v.fract() == 0.0 { json!(*v as i64) } else { json!(v) }))
                .collect();
            proactive.insert(row.to_string(), Value::Object(m));
        }
        json!({
            "source": source,
            "agency": self.agency,
            "year": self.year,
            "era": self.era.id(),
            "requests": requests,
            "appeals": appeals,
            "proactive": proactive,
            "source_inconsistencies": self.defects.iter().map(|(rule, d)| format!("{rule}: {d}")).collect::<Vec<_>>(),
        })
    }
}

/// Summary of a generation run.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub files: Vec<PathBuf>,
    pub defects: usize,
    pub bytes: u64,
}

/// Writes `options.reports` documents and their truth records into `out` (`reports/`, `truth/`).
pub fn generate(out: &Path, options: &Options) -> Result<Summary> {
    let (reports_dir, truth_dir) = (out.join("reports"), out.join("truth"));
    for dir in [&reports_dir, &truth_dir] {
        std::fs::create_dir_all(dir).map_err(|source| Error::Write { path: dir.clone(), source })?;
    }
    let layouts =
        if options.layouts.is_empty() { vec![Layout::Txt, Layout::Md, Layout::Html] } else { options.layouts.clone() };
    use rayon::prelude::*;
    let written: Vec<(PathBuf, u64, bool)> = (0..options.reports)
        .into_par_iter()
        .map(|i| -> Result<(PathBuf, u64, bool)> {
            let doc = draw(options.seed, i, options.defect_rate);
            let layout = layouts[i % layouts.len()];
            let stem = format!("synth-{:07}-{}", i, doc.year);
            let name = format!("{stem}.{}", layout.ext());
            let text = render::render(&doc, layout);
            let path = reports_dir.join(&name);
            std::fs::write(&path, &text).map_err(|source| Error::Write { path: path.clone(), source })?;
            let truth_path = truth_dir.join(format!("{stem}.json"));
            let truth =
                serde_json::to_string_pretty(&doc.truth(&format!("reports/{name}"))).expect("JSON values serialize");
            std::fs::write(&truth_path, truth).map_err(|source| Error::Write { path: truth_path.clone(), source })?;
            Ok((path, text.len() as u64, !doc.defects.is_empty()))
        })
        .collect::<Result<_>>()?;
    let mut summary = Summary::default();
    for (path, bytes, defect) in written {
        summary.bytes += bytes;
        summary.defects += usize::from(defect);
        summary.files.push(path);
    }
    Ok(summary)
}
