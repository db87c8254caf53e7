//! Report metadata: era (from label signatures), agency, year, level and period, each with how it
//! was found. Sources in order: a sidecar `--meta` CSV (path, agency, year, level), the title, the
//! 统计期限 sentence, the opening text, the file name.

use std::sync::LazyLock;

use regex::Regex;

use super::agency::{self, Agency, Resolution};
use super::meta_file::MetaOverride;
use super::place::{infer_level, infer_place};
use crate::ingest::Document;
use crate::model::Level;

static TITLE_AGENCY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\p{Han}[\p{Han}（）()]{1,40}?)(\d{4})年度?(?:政府)?信息(?:公开)?(?:工作)?(?:年度)?报告")
        .expect("title pattern")
});
static TITLE_YEAR_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})年度?(\p{Han}[\p{Han}（）()]{1,40}?)(?:政府)?信息(?:公开)?(?:工作)?(?:年度)?报告")
        .expect("title pattern")
});
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"统计(?:期限|周期|时限|区间|时间)[^。]{0,12}?(\d{4})年1月1日[^。]{0,8}?(?:(\d{4})年)?12月31日")
        .expect("period pattern")
});
static PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:公开日期|发布日期|发布时间)[：:]\s*(\d{4})[-年./](\d{1,2})[-月./](\d{1,2})").expect("date pattern")
});
static FILE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\D)((?:19|20)\d{2})(?:\D|$)").expect("year pattern"));

/// Report metadata and how each field was found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    /// The agency's name as printed (or as the `--meta` file gives it).
    pub agency: Option<String>,
    /// Stable identity of the agency (see [`agency`]): `320813`, `310000/office`, `name/…`.
    pub agency_key: Option<String>,
    /// Canonical name: `淮安市洪泽区人民政府`.
    pub agency_name: Option<String>,
    /// 6-digit division code of its region; `None` when unknown or ambiguous.
    pub division_code: Option<String>,
    /// `government`, `general_office`, `department`, `township`.
    pub body: Option<&'static str>,
    /// `division`, `central`, `name`, `ambiguous`, `override`.
    pub agency_resolution: Option<&'static str>,
    /// An ambiguous name's candidate regions.
    pub agency_candidates: Vec<String>,
    pub year: Option<i32>,
    pub level: Option<Level>,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    /// Publication date from page metadata (公开日期/发布日期), `YYYY-MM-DD`.
    pub published_date: Option<String>,
    /// One note per inferred field: where it came from.
    pub inference: Vec<String>,
}

impl Meta {
    /// Whether the agency is a department of its government.
    pub fn is_department(&self) -> bool {
        self.body == Some("department")
    }

    /// Sets the agency: the name as printed and the identity derived from it (a name that is no
    /// body pattern keeps its cleaned name as key). Returns the identity's notes.
    pub fn set_agency(&mut self, printed: &str, identity: Option<Agency>) {
        self.agency = Some(printed.to_string());
        let cleaned: String = printed.chars().filter(|c| !c.is_whitespace()).collect();
        match identity {
            Some(a) => {
                for alias in &a.aliases {
                    self.inference.push(format!("agency alias {alias}"));
                }
                self.agency_key = Some(a.key);
                self.agency_name = Some(a.name);
                self.division_code = a.division_code;
                self.body = Some(a.body.id());
                self.agency_resolution = Some(a.resolution.id());
                self.agency_candidates = a.candidates;
                if let Some(level) = a.level {
                    self.level = Some(level);
                }
            }
            None => {
                self.agency_key = Some(format!("name/{cleaned}"));
                self.agency_name = Some(cleaned);
                self.division_code = None;
                self.body = None;
                self.agency_resolution = Some(Resolution::Name.id());
                self.agency_candidates = vec![];
            }
        }
    }

    /// Identity of an agency whose name is known (the synthetic generator): as `infer` derives it.
    pub fn with_agency(mut self, printed: &str) -> Meta {
        let level = self.level;
        self.set_agency(printed, agency::resolve(printed, None));
        if self.level.is_none() {
            self.level = level.or_else(|| infer_level(printed));
        }
        self
    }
}

/// Page chrome a reader put before the report (HTML: `<title>`, meta tags, the metadata
/// table, breadcrumbs; crawler exports: their header lines), as `key：value` lines.
#[derive(Debug, Default)]
struct Chrome {
    /// `<title>`, 文章标题 (ArticleTitle), a crawler's 标题.
    titles: Vec<String>,
    /// 发布机构 / 发文机关, then 来源 / 信息来源 (ContentSource).
    publishers: Vec<(String, &'static str)>,
    /// SiteName: the portal's owner.
    site: Option<String>,
    /// 当前位置 breadcrumbs.
    breadcrumbs: Vec<String>,
    /// 公开日期 / 发布日期 / 发布时间 (PubDate), then 成文日期.
    dates: Vec<String>,
}

const PUBLISHER: &str = "the page's 发布机构";
const SOURCE: &str = "the page's 来源";

/// Lines of the chrome: `key：value` among the first lines of the preamble.
static CHROME_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(标题|文章标题|网站|发布机构|发文机关|来源|信息来源|公开日期|发布日期|发布时间|成文日期|当前位置)\s*[：:]\s*(.*?)\s*$")
        .expect("chrome pattern")
});
static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})").expect("date pattern"));

/// Lines a portal page's chrome can take at the top of a document.
const CHROME_LINES: usize = 16;

fn chrome(doc: &Document) -> Chrome {
    let mut c = Chrome::default();
    let lines = doc.sections.first().map(|s| s.prose.as_slice()).unwrap_or(&[]);
    for (_, line) in lines.iter().take(CHROME_LINES) {
        let Some(caps) = CHROME_LINE.captures(line.trim()) else { continue };
        let value = caps[2].to_string();
        if value.is_empty() {
            continue;
        }
        match &caps[1] {
            "标题" | "文章标题" => c.titles.push(value),
            "网站" => c.site = Some(value),
            "发布机构" | "发文机关" => c.publishers.insert(0, (value, PUBLISHER)),
            "来源" | "信息来源" => c.publishers.push((value, SOURCE)),
            "当前位置" => c.breadcrumbs.push(value),
            key => {
                if let Some(d) = DATE.captures(&value) {
                    let date = format!("{}-{:0>2}-{:0>2}", &d[1], &d[2], &d[3]);
                    if key == "成文日期" { c.dates.push(date) } else { c.dates.insert(0, date) }
                }
            }
        }
    }
    c
}

/// Words that lead into a report's name in a sentence (`现向社会公布…`), not part of it.
const LEAD_INS: &[&str] = &[
    "现向社会公布",
    "现予公布",
    "现将",
    "特此",
    "公布",
    "发布",
    "印发",
    "关于",
    "根据",
    "按照",
    "本机关",
    "我局",
    "我委",
];

/// The agency a title (or an opening sentence) names before or after its year: the name as
/// captured, lead-in words (`现向社会公布`) removed, when it is an agency; else the longest tail
/// of it that the division table knows (`公布沭阳县发展和改革局` → `沭阳县发展和改革局`).
/// `strict` (body text) accepts only agencies of the table.
fn agency_in_title(title: &str, region: Option<&str>, strict: bool) -> Option<(String, Agency)> {
    let captured = TITLE_AGENCY_FIRST
        .captures(title)
        .map(|c| c[1].to_string())
        .or_else(|| TITLE_YEAR_FIRST.captures(title).map(|c| c[2].to_string()))?;
    let known = |a: &Agency| matches!(a.resolution, Resolution::Division | Resolution::Central | Resolution::Ambiguous);
    let mut name = captured.as_str();
    while let Some(rest) = LEAD_INS.iter().find_map(|l| name.strip_prefix(l)) {
        name = rest;
    }
    if let Some(a) = agency::resolve(name, region).filter(|a| !strict || known(a)) {
        return Some((name.to_string(), a));
    }
    let chars: Vec<char> = captured.chars().collect();
    (1..chars.len().saturating_sub(1)).find_map(|start| {
        let tail: String = chars[start..].iter().collect();
        agency::resolve(&tail, region).filter(known).map(|a| (tail, a))
    })
}

/// Infers agency, year, level and period; `overrides` win.
pub fn infer(doc: &Document, overrides: Option<&MetaOverride>) -> Meta {
    let mut meta = Meta::default();
    let chrome = chrome(doc);
    let title = title_text(doc);
    let opening = opening_text(doc);
    if let Some(caps) = PERIOD.captures(&opening) {
        let start: i32 = caps[1].parse().unwrap_or_default();
        let end: i32 = caps.get(2).and_then(|m| m.as_str().parse().ok()).unwrap_or(start);
        meta.period_start = Some(format!("{start}-01-01"));
        meta.period_end = Some(format!("{end}-12-31"));
    }
    meta.published_date = chrome.dates.first().cloned().or_else(|| {
        doc.sections.first().and_then(|s| {
            s.prose.iter().take(8).find_map(|(_, l)| {
                PUBLISHED.captures(l.trim()).map(|c| format!("{}-{:0>2}-{:0>2}", &c[1], &c[2], &c[3]))
            })
        })
    });
    if let Some((year, how)) = infer_year(doc, &chrome.titles, meta.published_date.as_deref()) {
        meta.year = Some(year);
        meta.inference.push(format!("year {year} from {how}"));
    }
    let region_override = overrides.and_then(|o| o.division_code.clone());
    let site_region = chrome.site.as_deref().and_then(agency::site_region);
    let region = region_override.clone().or(site_region.clone());
    if let Some(site) = &chrome.site
        && site_region.is_some()
    {
        meta.inference.push(format!("region context from the site name '{site}'"));
    }
    let found = infer_agency(&chrome, &title, &opening, region.as_deref());
    match (overrides.and_then(|o| o.agency.clone()), found) {
        (Some(name), _) => {
            let identity = match &region_override {
                Some(code) => agency::with_division(&name, code),
                None => agency::resolve(&name, region.as_deref()),
            };
            meta.set_agency(&name, identity);
            meta.inference.push("agency from the --meta file".to_string());
        }
        (None, Some((printed, identity, how))) => {
            let identity = match (&region_override, identity) {
                (Some(code), _) => agency::with_division(&printed, code),
                (None, identity) => identity,
            };
            meta.set_agency(&printed, identity);
            meta.inference.push(how);
        }
        (None, None) => {}
    }
    if region_override.is_some() && meta.agency.is_some() {
        meta.inference.push("division from the --meta file".to_string());
    }
    if let Some(level) = &meta.level {
        meta.inference.push(format!("level {level} from the division table"));
    } else if let Some(level) = meta.agency.as_deref().and_then(infer_level) {
        meta.level = Some(level);
        meta.inference.push(format!("level {level} from the place units of the agency name"));
    }
    if let Some(o) = overrides {
        if let Some(y) = o.year {
            meta.year = Some(y);
            meta.inference.push("year from the --meta file".to_string());
        }
        if let Some(l) = o.level {
            meta.level = Some(l);
            meta.inference.push("level from the --meta file".to_string());
        }
    }
    meta
}

/// The agency from, in order: the page's 发布机构 and 来源, its titles and the report's own
/// title, its breadcrumbs; then, with low confidence, the opening text. Every candidate must be
/// an agency (a region of the table, an alias or a body pattern), never a sentence fragment.
/// Returns the name as printed, its identity and a note of where it came from.
fn infer_agency(
    chrome: &Chrome,
    title: &str,
    opening: &str,
    region: Option<&str>,
) -> Option<(String, Option<Agency>, String)> {
    let publisher = |sources: &[&str]| {
        chrome.publishers.iter().filter(|(_, how)| sources.contains(how)).find_map(|(name, how)| {
            agency::resolve(name, region).map(|a| (name.clone(), Some(a), format!("agency from {how}")))
        })
    };
    // The report's own title names the issuing body; a page's 来源 (content source) is often the
    // office that uploaded it, and a 发布机构 that is a body inside the title's agency
    // (平潭综合实验区管委会办公室 for 平潭综合实验区) is the uploading office too.
    let titles = [(title, "the title")].into_iter().chain(chrome.titles.iter().map(|t| (t.as_str(), "the page title")));
    let in_title: Vec<_> = titles
        .filter_map(|(t, how)| {
            let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
            agency_in_title(&compact, region, false).map(|(name, a)| (name, Some(a), format!("agency from {how}")))
        })
        .collect();
    if let Some(found) = publisher(&[PUBLISHER]) {
        let inside_title_agency = in_title.first().is_some_and(|(name, _, _)| {
            let publisher: String = found.0.chars().filter(|c| !c.is_whitespace()).collect();
            publisher != *name && publisher.starts_with(name.as_str())
        });
        if !inside_title_agency {
            return Some(found);
        }
    }
    if let Some(found) = in_title.into_iter().next() {
        return Some(found);
    }
    if let Some(found) = publisher(&[SOURCE]) {
        return Some(found);
    }
    for crumbs in &chrome.breadcrumbs {
        let parts: Vec<&str> = crumbs.split(['>', '＞', '›', '»', '/', '|']).map(str::trim).collect();
        for part in parts.iter().rev() {
            if let Some(a) = agency::resolve(part, region).filter(|a| a.resolution == Resolution::Division) {
                return Some((part.to_string(), Some(a), "agency from the page's breadcrumbs".to_string()));
            }
        }
    }
    if let Some((name, a)) = agency_in_title(opening, region, true) {
        return Some((
            name.clone(),
            Some(a),
            format!("agency inferred from the opening text (low confidence): '{name}' names the report"),
        ));
    }
    let (place, seen, a) = infer_place(opening, region)?;
    let note = format!(
        "agency not named in a title; inferred as '{place}' from '{seen}' in the opening text (low confidence: the name may lack its parent region and 人民政府)"
    );
    Some((place, Some(a), note))
}

/// The report year: the 统计期限 sentence, then the titles, then the file name, then the
/// year before the publication date (reports are published by 31 January of the next year).
pub(super) fn infer_year(doc: &Document, page_titles: &[String], published: Option<&str>) -> Option<(i32, String)> {
    if let Some(caps) = PERIOD.captures(&opening_text(doc)) {
        return caps[1].parse().ok().map(|y| (y, "the 统计期限 sentence".to_string()));
    }
    let title = title_text(doc);
    for t in std::iter::once(&title).chain(page_titles) {
        let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(caps) = TITLE_AGENCY_FIRST.captures(&t) {
            return caps[2].parse().ok().map(|y| (y, "the title".to_string()));
        }
        if let Some(caps) = TITLE_YEAR_FIRST.captures(&t) {
            return caps[1].parse().ok().map(|y| (y, "the title".to_string()));
        }
    }
    let name = doc.source.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    if let Some(y) = FILE_YEAR.captures(&name).and_then(|c| c[1].parse().ok()) {
        return Some((y, "the file name".to_string()));
    }
    let date = published?;
    let y: i32 = date.get(..4)?.parse().ok()?;
    Some((y - 1, format!("the publication date {date} (low confidence: the year before it)")))
}

/// The report's title: the first preamble lines that are not page chrome, up to the one naming
/// the report (`…年度报告`), spaces removed.
fn title_text(doc: &Document) -> String {
    let mut title = String::new();
    let lines = doc.sections.first().map(|s| s.prose.as_slice()).unwrap_or(&[]);
    for (_, line) in lines.iter().filter(|(_, l)| !CHROME_LINE.is_match(l.trim())).take(6) {
        title.extend(line.trim_start_matches('#').chars().filter(|c| !c.is_whitespace()));
        if title.contains("报告") {
            // A title, not an opening sentence that names the report.
            return if title.chars().count() <= 60 { title } else { String::new() };
        }
    }
    String::new()
}

/// Preamble and overview prose joined without line breaks (lines are wrapped mid-sentence),
/// page chrome left out.
fn opening_text(doc: &Document) -> String {
    doc.sections
        .iter()
        .filter(|s| s.kind == "preamble" || s.kind == "overview")
        .flat_map(|s| s.prose.iter())
        .filter(|(_, l)| !CHROME_LINE.is_match(l.trim()))
        .flat_map(|(_, l)| l.chars().filter(|c| !c.is_whitespace()))
        .collect()
}
