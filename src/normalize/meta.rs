//! Report metadata: era (from label signatures), agency, year, level and period, each with how it
//! was found. Sources in order: a sidecar `--meta` CSV (path, agency, year, level), the title, the
//! 统计期限 sentence, the opening text, the file name.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use crate::error::{Error, Result};
use crate::ingest::Document;
use crate::model::Era;
use crate::model::era::{MODERN_SIGNATURES, SIGNATURES};
use crate::model::labels::{LEVEL_MARKERS, PROVINCIAL_CITIES};

static TITLE_AGENCY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\p{Han}[\p{Han}（）()]{1,40}?)(\d{4})年度?政府信息公开(?:工作)?(?:年度)?报告").expect("title pattern")
});
static TITLE_YEAR_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})年度?(\p{Han}[\p{Han}（）()]{1,40}?)政府信息公开(?:工作)?(?:年度)?报告").expect("title pattern")
});
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"统计(?:期限|周期|时限|区间|时间)[^。]{0,12}?(\d{4})年1月1日[^。]{0,8}?(?:(\d{4})年)?12月31日")
        .expect("period pattern")
});
static PLACE_GOVERNMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\p{Han}{1,8}?(?:省|市|区|县|旗|镇|乡|街道))(?:人民)?政府").expect("place pattern"));
static PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:公开日期|发布日期)[：:]\s*(\d{4})[-年./](\d{1,2})[-月./](\d{1,2})").expect("date pattern")
});
static PUBLISHER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^发布机构[：:](\p{Han}{2,40})$").expect("publisher pattern"));
static FILE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\D)((?:19|20)\d{2})(?:\D|$)").expect("year pattern"));

/// What a `--meta` file says about one report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetaOverride {
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub level: Option<String>,
}

/// Report metadata and how each field was found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub agency: Option<String>,
    pub year: Option<i32>,
    /// `central`, `province`, `prefecture`, `county`, `township`.
    pub level: Option<String>,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    /// Publication date from page metadata (公开日期/发布日期), `YYYY-MM-DD`.
    pub published_date: Option<String>,
    /// One note per inferred field: where it came from.
    pub inference: Vec<String>,
}

/// Levels a `--meta` file may give.
pub const LEVELS: [&str; 5] = ["central", "province", "prefecture", "county", "township"];

/// Reads a sidecar CSV with header `path,agency,year,level` (any column may be empty). Rows are
/// matched to reports by the path as given or by file name.
pub fn read_meta_file(path: &Path) -> Result<HashMap<String, MetaOverride>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    let err = |line: usize, reason: String| Error::Meta { path: PathBuf::from(path), line, reason };
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else { return Ok(HashMap::new()) };
    let names: Vec<String> =
        header.trim_start_matches('\u{feff}').split(',').map(|h| h.trim().to_lowercase()).collect();
    let col = |name: &str| names.iter().position(|n| n == name);
    let path_col = col("path")
        .ok_or_else(|| err(1, "the header has no 'path' column (expected path,agency,year,level)".into()))?;
    let mut out = HashMap::new();
    for (i, line) in lines {
        let fields: Vec<&str> = line.split(',').map(|f| f.trim().trim_matches('"')).collect();
        let get = |c: Option<usize>| c.and_then(|c| fields.get(c)).map(|s| s.to_string()).filter(|s| !s.is_empty());
        let Some(key) = get(Some(path_col)) else { return Err(err(i + 1, "empty path".into())) };
        let year = match get(col("year")) {
            Some(y) => Some(y.parse::<i32>().map_err(|_| err(i + 1, format!("year '{y}' is not a number")))?),
            None => None,
        };
        let level = get(col("level"));
        if let Some(l) = &level {
            if !LEVELS.contains(&l.as_str()) {
                return Err(err(i + 1, format!("level '{l}' is not one of {}", LEVELS.join(", "))));
            }
        }
        out.insert(key, MetaOverride { agency: get(col("agency")), year, level });
    }
    Ok(out)
}

/// The era from label signatures, with the signatures found. Falls back to the applicant header
/// (a 2019+ report) and the year when no signature is printed.
pub fn detect_era(doc: &Document) -> (Era, Vec<String>) {
    let text: String = doc
        .sections
        .iter()
        .flat_map(|s| s.prose.iter().map(|(_, l)| l.clone()).chain(s.table.rows.iter().map(|r| r.cells.concat())))
        .collect::<String>()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut score: HashMap<Era, usize> = HashMap::new();
    let mut evidence = Vec::new();
    for (era, signature) in SIGNATURES {
        if text.contains(signature) {
            *score.entry(*era).or_default() += 1;
            evidence.push(signature.to_string());
        }
    }
    let best = [Era::Std2021, Era::Trial2019, Era::Legacy2008]
        .into_iter()
        .filter(|e| score.get(e).copied().unwrap_or(0) > 0)
        .max_by_key(|e| score.get(e).copied().unwrap_or(0));
    if let Some(era) = best {
        return (era, evidence);
    }
    if MODERN_SIGNATURES.iter().all(|s| text.contains(s)) {
        let year = infer_year(doc).map(|(y, _)| y).unwrap_or(2021);
        let era = if year >= 2021 { Era::Std2021 } else { Era::Trial2019 };
        return (era, vec![format!("applicant header only; era by year {year}")]);
    }
    (Era::Legacy2008, vec!["no 2019+ signature".to_string()])
}

/// Infers agency, year, level and period; `overrides` win.
pub fn infer(doc: &Document, overrides: Option<&MetaOverride>) -> Meta {
    let mut meta = Meta::default();
    let title = title_text(doc);
    let opening = opening_text(doc);
    if let Some(caps) = PERIOD.captures(&opening) {
        let start: i32 = caps[1].parse().unwrap_or_default();
        let end: i32 = caps.get(2).and_then(|m| m.as_str().parse().ok()).unwrap_or(start);
        meta.period_start = Some(format!("{start}-01-01"));
        meta.period_end = Some(format!("{end}-12-31"));
    }
    if let Some((year, how)) = infer_year(doc) {
        meta.year = Some(year);
        meta.inference.push(format!("year {year} from {how}"));
    }
    meta.published_date = doc.sections.first().and_then(|s| {
        s.prose
            .iter()
            .take(8)
            .find_map(|(_, l)| PUBLISHED.captures(l.trim()).map(|c| format!("{}-{:0>2}-{:0>2}", &c[1], &c[2], &c[3])))
    });
    let publisher = doc
        .sections
        .first()
        .and_then(|s| s.prose.iter().take(8).find_map(|(_, l)| PUBLISHER.captures(l.trim()).map(|c| c[1].to_string())));
    if let Some(agency) = publisher {
        meta.agency = Some(agency);
        meta.inference.push("agency from the page's 发布机构".to_string());
    } else if let Some(caps) = TITLE_AGENCY_FIRST.captures(&title) {
        meta.agency = Some(caps[1].to_string());
        meta.inference.push("agency from the title".to_string());
    } else if let Some(caps) = TITLE_YEAR_FIRST.captures(&title) {
        meta.agency = Some(caps[2].to_string());
        meta.inference.push("agency from the title".to_string());
    } else if let Some((place, seen)) = infer_place(&opening) {
        meta.inference.push(format!(
            "agency not named in a title; inferred as '{place}' from '{seen}' in the opening text (the name may lack its parent region and 人民政府)"
        ));
        meta.agency = Some(place);
    }
    if let Some(agency) = &meta.agency {
        if let Some(level) = infer_level(agency) {
            meta.inference.push(format!("level {level} from the agency name"));
            meta.level = Some(level.to_string());
        }
    }
    if let Some(o) = overrides {
        if let Some(a) = &o.agency {
            meta.agency = Some(a.clone());
            meta.inference.push("agency from the --meta file".to_string());
        }
        if let Some(y) = o.year {
            meta.year = Some(y);
            meta.inference.push("year from the --meta file".to_string());
        }
        if let Some(l) = &o.level {
            meta.level = Some(l.clone());
            meta.inference.push("level from the --meta file".to_string());
        }
    }
    meta
}

/// The report year: the 统计期限 sentence, then the title, then the file name.
fn infer_year(doc: &Document) -> Option<(i32, &'static str)> {
    if let Some(caps) = PERIOD.captures(&opening_text(doc)) {
        return caps[1].parse().ok().map(|y| (y, "the 统计期限 sentence"));
    }
    let title = title_text(doc);
    if let Some(caps) = TITLE_AGENCY_FIRST.captures(&title) {
        return caps[2].parse().ok().map(|y| (y, "the title"));
    }
    if let Some(caps) = TITLE_YEAR_FIRST.captures(&title) {
        return caps[1].parse().ok().map(|y| (y, "the title"));
    }
    let name = doc.source.file_name()?.to_string_lossy().to_string();
    FILE_YEAR.captures(&name).and_then(|c| c[1].parse().ok()).map(|y| (y, "the file name"))
}

/// The first preamble lines up to the one naming the report (`…年度报告`), spaces removed.
fn title_text(doc: &Document) -> String {
    let mut title = String::new();
    for (_, line) in doc.sections.first().map(|s| s.prose.as_slice()).unwrap_or(&[]).iter().take(6) {
        title.extend(line.trim_start_matches('#').chars().filter(|c| !c.is_whitespace()));
        if title.contains("报告") {
            // A title, not an opening sentence that names the report.
            return if title.chars().count() <= 60 { title } else { String::new() };
        }
    }
    String::new()
}

/// Preamble and overview prose joined without line breaks (lines are wrapped mid-sentence).
fn opening_text(doc: &Document) -> String {
    doc.sections
        .iter()
        .filter(|s| s.kind == "preamble" || s.kind == "overview")
        .flat_map(|s| s.prose.iter())
        .flat_map(|(_, l)| l.chars().filter(|c| !c.is_whitespace()))
        .collect()
}

/// A place name for a report that names no agency: among the names before 政府/人民政府, the
/// suffix (3–6 characters) that the text repeats most (`临平区` in `…门户网站可从临平区政府…`).
fn infer_place(text: &str) -> Option<(String, String)> {
    let mut best: Option<(usize, String, String)> = None;
    for caps in PLACE_GOVERNMENT.captures_iter(text) {
        let place: Vec<char> = caps[1].chars().collect();
        for len in 3..=place.len().min(6) {
            let candidate: String = place[place.len() - len..].iter().collect();
            let count = text.matches(&candidate).count();
            let better = match &best {
                None => true,
                Some((c, b, _)) => count > *c || (count == *c && candidate.chars().count() < b.chars().count()),
            };
            if better {
                best = Some((count, candidate, caps[0].to_string()));
            }
        }
    }
    best.map(|(_, place, seen)| (place, seen))
}

/// Administrative level from the leading place names of an agency name: the last place unit
/// decides (`淮安市洪泽区人民政府` → county, `沭阳县发展和改革局` → county), a municipality
/// directly under the central government is provincial.
pub fn infer_level(agency: &str) -> Option<&'static str> {
    if agency.starts_with("国务院") || agency.starts_with("中华人民共和国") {
        return Some("central");
    }
    let mut rest = agency;
    let mut level = None;
    'units: loop {
        let chars: Vec<(usize, char)> = rest.char_indices().collect();
        for end in 1..chars.len().min(8) {
            let prefix_end = chars.get(end + 1).map(|(i, _)| *i).unwrap_or(rest.len());
            let unit = &rest[..prefix_end];
            if let Some((marker, l)) = LEVEL_MARKERS.iter().find(|(m, _)| unit.ends_with(m)) {
                if unit.chars().count() >= 3 && unit.chars().count() > marker.chars().count() {
                    level = if *l == "prefecture" && level.is_none() && PROVINCIAL_CITIES.contains(&unit) {
                        Some("province")
                    } else {
                        Some(*l)
                    };
                    rest = &rest[prefix_end..];
                    continue 'units;
                }
            }
        }
        break;
    }
    level
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infers_level_from_place_units() {
        assert_eq!(infer_level("淮安市洪泽区人民政府"), Some("county"));
        assert_eq!(infer_level("沭阳县发展和改革局"), Some("county"));
        assert_eq!(infer_level("沭阳县市场监督管理局"), Some("county"));
        assert_eq!(infer_level("上海市人民政府办公厅"), Some("province"));
        assert_eq!(infer_level("上海市科委"), Some("province"));
        assert_eq!(infer_level("杭州市人民政府"), Some("prefecture"));
        assert_eq!(infer_level("江苏省人民政府"), Some("province"));
        assert_eq!(infer_level("国务院办公厅"), Some("central"));
        assert_eq!(infer_level("某某镇人民政府"), Some("township"));
        assert_eq!(infer_level("沭阳县城市管理局"), Some("county"));
    }

    #[test]
    fn infers_place_from_opening_text() {
        let text = "年报电子版可从临平区政府门户网站下载。2024年,临平区以建立目录为抓手。本年度临平区新增专题。";
        assert_eq!(infer_place(text).map(|p| p.0), Some("临平区".to_string()));
    }
}
