//! The tables the agency identity reads: China's administrative divisions
//! (`data/divisions.csv`: code, name, parent, level) and the alias table
//! (`data/agency_aliases.csv`: misprinted and former region names, short body names), embedded at
//! build time and indexed once.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::model::Level;

#[derive(Debug)]
pub(super) struct Division {
    pub(super) code: u32,
    pub(super) name: &'static str,
    pub(super) parent: Option<u32>,
    pub(super) level: Level,
}

pub(super) struct Tables {
    pub(super) divisions: Vec<Division>,
    pub(super) by_code: HashMap<u32, usize>,
    /// Full names, short names (province and prefecture) and region aliases → divisions.
    pub(super) by_name: HashMap<String, Vec<usize>>,
    /// alias name → (division, note) for the alias lines of kind `region`.
    pub(super) region_aliases: HashMap<&'static str, &'static str>,
    /// short body name → (canonical, note).
    pub(super) body_aliases: Vec<(&'static str, &'static str, &'static str)>,
    pub(super) longest_name: usize,
}

const DIVISIONS_CSV: &str = include_str!("../../data/divisions.csv");
const ALIASES_CSV: &str = include_str!("../../data/agency_aliases.csv");

/// Suffixes a province or prefecture name may be printed without (`江苏` for 江苏省).
const SHORTENABLE: &[&str] =
    &["维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "地区", "省", "市", "盟"];

fn parse_tables() -> Tables {
    let mut divisions = Vec::new();
    for line in DIVISIONS_CSV.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        let (Some(code), Some(name), Some(parent), Some(level)) = (f.first(), f.get(1), f.get(2), f.get(3)) else {
            continue;
        };
        let Ok(code) = code.parse::<u32>() else { continue };
        let level = match *level {
            "province" => Level::Province,
            "prefecture" => Level::Prefecture,
            _ => Level::County,
        };
        divisions.push(Division { code, name, parent: parent.parse().ok(), level });
    }
    let by_code: HashMap<u32, usize> = divisions.iter().enumerate().map(|(i, d)| (d.code, i)).collect();
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, d) in divisions.iter().enumerate() {
        by_name.entry(d.name.to_string()).or_default().push(i);
        if d.level != Level::County
            && let Some(short) = SHORTENABLE.iter().find_map(|s| d.name.strip_suffix(s))
            && short.chars().count() >= 2
        {
            let entry = by_name.entry(short.to_string()).or_default();
            if !entry.contains(&i) {
                entry.push(i);
            }
        }
    }
    let mut region_aliases = HashMap::new();
    let mut body_aliases = Vec::new();
    for line in ALIASES_CSV.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let mut f = line.splitn(4, ',');
        let (Some(kind), Some(alias), Some(canonical)) = (f.next(), f.next(), f.next()) else { continue };
        let note = f.next().unwrap_or("");
        match kind {
            "region" => {
                if let Some(&i) = canonical.parse::<u32>().ok().and_then(|c| by_code.get(&c)) {
                    by_name.entry(alias.to_string()).or_default().push(i);
                    region_aliases.insert(alias, note);
                }
            }
            "body" => body_aliases.push((alias, canonical, note)),
            _ => {}
        }
    }
    // Longest alias first, so `发展改革委` is tried before `改革委`-like fragments.
    body_aliases.sort_by_key(|(alias, _, _)| std::cmp::Reverse(alias.chars().count()));
    let longest_name = by_name.keys().map(|k| k.chars().count()).max().unwrap_or(0);
    Tables { divisions, by_code, by_name, region_aliases, body_aliases, longest_name }
}

pub(super) static TABLES: LazyLock<Tables> = LazyLock::new(parse_tables);

impl Tables {
    pub(super) fn division(&self, code: u32) -> Option<&Division> {
        self.by_code.get(&code).map(|&i| &self.divisions[i])
    }

    /// Whether `ancestor` is `code` or one of its parents.
    pub(super) fn within(&self, code: u32, ancestor: u32) -> bool {
        let mut current = Some(code);
        while let Some(c) = current {
            if c == ancestor {
                return true;
            }
            current = self.division(c).and_then(|d| d.parent);
        }
        false
    }

    /// The region part of a canonical name: a county with its prefecture (or province, for the
    /// districts of a municipality and the counties under a province): `淮安市洪泽区`.
    pub(super) fn region_name(&self, d: &Division) -> String {
        match (d.level, d.parent.and_then(|p| self.division(p))) {
            (Level::County, Some(parent)) => format!("{}{}", parent.name, d.name),
            _ => d.name.to_string(),
        }
    }

    pub(super) fn describe(&self, i: usize) -> String {
        let d = &self.divisions[i];
        format!("{} ({})", self.region_name(d), d.code)
    }
}
