//! Where and at what level a report's agency is, from its text: the place a report names most
//! before 政府 (for a page that prints no agency), and the level from the place units of a name.

use std::sync::LazyLock;

use regex::Regex;

use super::agency::{self, Agency, Resolution};
use crate::model::Level;
use crate::model::labels::{LEVEL_MARKERS, PROVINCIAL_CITIES};

static PLACE_GOVERNMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\p{Han}{1,8}?(?:省|市|区|县|旗|镇|乡|街道))(?:人民)?政府").expect("place pattern"));

/// A place name for a report that names no agency: among the names before 政府/人民政府 that
/// are regions of the division table, the one the text repeats most (`临平区` in
/// `…门户网站可从临平区政府…`). Fragments such as `按照省` (from `按照省政府…`) are no region.
pub(super) fn infer_place(text: &str, region: Option<&str>) -> Option<(String, String, Agency)> {
    let mut best: Option<(usize, String, String, Agency)> = None;
    for caps in PLACE_GOVERNMENT.captures_iter(text) {
        let place: Vec<char> = caps[1].chars().collect();
        for len in 2..=place.len().min(8) {
            let candidate: String = place[place.len() - len..].iter().collect();
            let Some(a) = agency::resolve(&candidate, region).filter(|a| a.resolution == Resolution::Division) else {
                continue;
            };
            let count = text.matches(&candidate).count();
            let better = match &best {
                None => true,
                Some((c, b, _, _)) => count > *c || (count == *c && candidate.chars().count() < b.chars().count()),
            };
            if better {
                best = Some((count, candidate, caps[0].to_string(), a));
            }
        }
    }
    best.map(|(_, place, seen, a)| (place, seen, a))
}

/// Administrative level from the leading place names of an agency name: the last place unit
/// decides (`淮安市洪泽区人民政府` → county, `沭阳县发展和改革局` → county), a municipality
/// directly under the central government is provincial.
pub fn infer_level(agency: &str) -> Option<Level> {
    if agency.starts_with("国务院") || agency.starts_with("中华人民共和国") {
        return Some(Level::Central);
    }
    let mut rest = agency;
    let mut level = None;
    'units: loop {
        let chars: Vec<(usize, char)> = rest.char_indices().collect();
        for end in 1..chars.len().min(8) {
            let prefix_end = chars.get(end + 1).map(|(i, _)| *i).unwrap_or(rest.len());
            let unit = &rest[..prefix_end];
            if let Some((marker, l)) = LEVEL_MARKERS.iter().find(|(m, _)| unit.ends_with(m))
                && unit.chars().count() >= 3
                && unit.chars().count() > marker.chars().count()
            {
                level = if *l == Level::Prefecture && level.is_none() && PROVINCIAL_CITIES.contains(&unit) {
                    Some(Level::Province)
                } else {
                    Some(*l)
                };
                rest = &rest[prefix_end..];
                continue 'units;
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
        assert_eq!(infer_level("淮安市洪泽区人民政府"), Some(Level::County));
        assert_eq!(infer_level("沭阳县发展和改革局"), Some(Level::County));
        assert_eq!(infer_level("沭阳县市场监督管理局"), Some(Level::County));
        assert_eq!(infer_level("上海市人民政府办公厅"), Some(Level::Province));
        assert_eq!(infer_level("上海市科委"), Some(Level::Province));
        assert_eq!(infer_level("杭州市人民政府"), Some(Level::Prefecture));
        assert_eq!(infer_level("江苏省人民政府"), Some(Level::Province));
        assert_eq!(infer_level("国务院办公厅"), Some(Level::Central));
        assert_eq!(infer_level("某某镇人民政府"), Some(Level::Township));
        assert_eq!(infer_level("沭阳县城市管理局"), Some(Level::County));
    }

    #[test]
    fn infers_place_from_opening_text() {
        let text = "年报电子版可从临平区政府门户网站下载。2024年,临平区以建立目录为抓手。本年度临平区新增专题。";
        assert_eq!(infer_place(text, None).map(|p| p.0), Some("临平区".to_string()));
        let fragments = "按照省委省政府部署，根据市政府要求，按照省政府办公厅通知。";
        assert_eq!(infer_place(fragments, None).map(|p| p.0), None);
    }
}
