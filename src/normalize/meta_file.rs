//! The `--meta` sidecar file: a CSV whose rows override the metadata xxgk infers for a report
//! (agency, year, level, division code), read with the `csv` crate.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::agency;
use crate::error::{Error, Result};
use crate::model::Level;

/// What a `--meta` file says about one report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetaOverride {
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub level: Option<Level>,
    /// 6-digit division code of the agency's region (decides an ambiguous name).
    pub division_code: Option<String>,
}

/// Reads a sidecar CSV with header `path,agency,year,level[,division_code]` (any column but
/// path may be empty). Rows are matched to reports by the path as given or by file name.
pub fn read_meta_file(path: &Path) -> Result<HashMap<String, MetaOverride>> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    let err = |line: usize, reason: String| Error::Meta { path: PathBuf::from(path), line, reason };
    let text = String::from_utf8(bytes).map_err(|_| err(1, "the file is not UTF-8 text".into()))?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let names: Vec<String> =
        reader.headers().map_err(|e| err(1, e.to_string()))?.iter().map(|h| h.to_lowercase()).collect();
    let col = |name: &str| names.iter().position(|n| n == name);
    let path_col = col("path").ok_or_else(|| {
        err(1, "the header has no 'path' column (expected path,agency,year,level,division_code)".into())
    })?;
    let mut out = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| err(line, e.to_string()))?;
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).map(str::to_string).filter(|s| !s.is_empty());
        let Some(key) = get(Some(path_col)) else { return Err(err(line, "empty path".into())) };
        let year = match get(col("year")) {
            Some(y) => Some(y.parse::<i32>().map_err(|_| err(line, format!("year '{y}' is not a number")))?),
            None => None,
        };
        let level = match get(col("level")) {
            Some(l) => Some(
                Level::parse(&l).ok_or_else(|| err(line, format!("level '{l}' is not one of {}", Level::help())))?,
            ),
            None => None,
        };
        let division_code = get(col("division_code"));
        if let Some(code) = &division_code
            && !agency::is_division(code)
        {
            return Err(err(
                line,
                format!("division_code '{code}' is not a 6-digit code of the division table (data/divisions.csv)"),
            ));
        }
        out.insert(key, MetaOverride { agency: get(col("agency")), year, level, division_code });
    }
    Ok(out)
}
