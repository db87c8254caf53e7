//! Eval: compares an `extract --json` record with a hand-checked truth record (SCHEMA.md),
//! field by field, scoring only the keys the truth holds. `notes` and `source_inconsistencies`
//! are commentary, not fields; `source` is compared by file name.

use serde_json::Value;

/// One field where the record differs from the truth.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// `agency`, `requests.granted.total`, `appeals.review_total`, …
    pub field: String,
    pub expected: Value,
    pub actual: Value,
}

/// The result of comparing one record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Comparison {
    pub fields: usize,
    pub mismatches: Vec<Mismatch>,
}

impl Comparison {
    pub fn matched(&self) -> usize {
        self.fields - self.mismatches.len()
    }
}

const COMMENTARY: [&str; 3] = ["notes", "source_inconsistencies", "findings"];

/// Compares `record` with `truth`.
pub fn compare(record: &Value, truth: &Value) -> Comparison {
    let mut out = Comparison::default();
    if let Value::Object(fields) = truth {
        for (key, expected) in fields {
            if COMMENTARY.contains(&key.as_str()) {
                continue;
            }
            walk(key, expected, record.get(key), &mut out);
        }
    }
    out
}

fn walk(path: &str, expected: &Value, actual: Option<&Value>, out: &mut Comparison) {
    if let Value::Object(children) = expected {
        for (key, child) in children {
            walk(&format!("{path}.{key}"), child, actual.and_then(|a| a.get(key)), out);
        }
        return;
    }
    out.fields += 1;
    let actual_value = actual.cloned().unwrap_or(Value::String("<missing>".into()));
    let equal = match path {
        "agency" => match (expected.as_str(), actual.and_then(Value::as_str)) {
            (Some(e), Some(a)) => agency_matches(e, a),
            _ => false,
        },
        "source" => file_name(expected) == file_name(&actual_value),
        "era" => match (expected.as_str(), actual.and_then(Value::as_str)) {
            (Some(e), Some(a)) => era_matches(e, a),
            _ => false,
        },
        _ => values_equal(expected, &actual_value),
    };
    if !equal {
        out.mismatches.push(Mismatch { field: path.to_string(), expected: expected.clone(), actual: actual_value });
    }
}

/// Eras are equal as ids (`legacy_2008`) or when the truth names the era by the first word of
/// its id (`legacy`, as the legacy-era truth records do).
pub fn era_matches(expected: &str, actual: &str) -> bool {
    expected == actual || actual.split('_').next() == Some(expected)
}

fn file_name(v: &Value) -> Option<String> {
    v.as_str().map(|s| s.rsplit(['/', '\\']).next().unwrap_or(s).to_string())
}

fn values_equal(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        _ => a == b,
    }
}

/// Agency names are equal after removing spaces and a 人民政府/政府 suffix, or when one is the
/// other without its leading parent regions (`临平区` for `杭州市临平区人民政府`): a report that
/// never names its parent city is still the same body.
pub fn agency_matches(expected: &str, actual: &str) -> bool {
    let norm = |s: &str| {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();

        s.strip_suffix("人民政府").or_else(|| s.strip_suffix("政府")).unwrap_or(&s).to_string()
    };
    let (e, a) = (norm(expected), norm(actual));
    !e.is_empty() && !a.is_empty() && (e == a || e.ends_with(&a) || a.ends_with(&e))
}

/// Mismatched fields that no finding names: wrong values the engine did not flag.
pub fn silent_errors<'a>(comparison: &'a Comparison, findings: &[crate::model::Finding]) -> Vec<&'a Mismatch> {
    comparison
        .mismatches
        .iter()
        .filter(|m| {
            !findings.iter().any(|f| f.cells.iter().any(|c| c == &m.field || m.field.starts_with(&format!("{c}."))))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tolerates_agency_suffix_and_missing_parent_region() {
        assert!(agency_matches("杭州市临平区人民政府", "临平区"));
        assert!(agency_matches("洪泽区人民政府", "洪泽区 人民政府"));
        assert!(!agency_matches("沭阳县人民政府", "沐阳县人民政府"));
        assert!(!agency_matches("上海市科委", ""));
    }

    #[test]
    fn an_era_matches_its_id_or_the_first_word_of_it() {
        assert!(era_matches("legacy", "legacy_2008"));
        assert!(era_matches("std_2021", "std_2021"));
        assert!(!era_matches("legacy", "trial_2019"));
        assert!(!era_matches("legacy_2019", "legacy_2008"));
    }

    #[test]
    fn counts_fields_and_names_mismatched_cells() {
        let truth =
            json!({"year": 2024, "notes": ["x"], "requests": {"granted": {"total": 5, "natural_person": null}}});
        let record = json!({"year": 2024, "requests": {"granted": {"total": 6, "natural_person": null}}});
        let c = compare(&record, &truth);
        assert_eq!(c.fields, 3);
        assert_eq!(c.mismatches.len(), 1);
        assert_eq!(c.mismatches[0].field, "requests.granted.total");
    }
}

/// The truth record of `file`: `TRUTH_DIR/<file stem>.json`; `Ok(None)` when there is none.
pub fn truth_for(truth_dir: &std::path::Path, file: &std::path::Path) -> crate::error::Result<Option<Value>> {
    let stem = file.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let path = truth_dir.join(format!("{stem}.json"));
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map(Some).map_err(|e| crate::error::Error::Unsupported {
            path: path.to_path_buf(),
            reason: format!("not a truth record: {e}"),
        }),
        Err(_) => Ok(None),
    }
}

/// One file evaluated: its comparison and which mismatches no finding flags.
pub struct FileResult {
    pub comparison: Comparison,
    /// Fields of `comparison.mismatches` that no finding names (silent errors).
    pub silent: Vec<String>,
}

impl FileResult {
    pub fn new(record: &Value, truth: &Value, findings: &[crate::model::Finding]) -> FileResult {
        let comparison = compare(record, truth);
        let silent = silent_errors(&comparison, findings).into_iter().map(|m| m.field.clone()).collect();
        FileResult { comparison, silent }
    }

    /// Share of fields matched, in percent (100 with no fields).
    pub fn percent(&self) -> f64 {
        percent(self.comparison.matched(), self.comparison.fields)
    }
}

/// Totals over the files of one evaluation.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Totals {
    pub fields: usize,
    pub wrong: usize,
    pub silent: usize,
}

impl Totals {
    pub fn add(&mut self, file: &FileResult) {
        self.fields += file.comparison.fields;
        self.wrong += file.comparison.mismatches.len();
        self.silent += file.silent.len();
    }

    pub fn percent(&self) -> f64 {
        percent(self.fields - self.wrong, self.fields)
    }
}

fn percent(matched: usize, fields: usize) -> f64 {
    if fields > 0 { matched as f64 * 100.0 / fields as f64 } else { 100.0 }
}
