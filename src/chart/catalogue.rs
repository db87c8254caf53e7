//! Where chart specs come from: the bundled `charts/*.toml` (embedded at build time) and,
//! optionally, an analyst's folder of specs in the same format, whose files add charts or
//! replace a bundled chart of the same name.

use std::fmt;
use std::path::{Path, PathBuf};

use super::{ChartSpec, Kind};
use crate::error::{Error, Result};

/// The chart specs of `charts/*.toml`, embedded at build time.
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_charts.rs"));
}

/// Where a spec was read from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary (`charts/NAME.toml` of the source tree).
    #[default]
    Bundled,
    /// A file of the analyst's chart folder.
    File(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Bundled => f.pad("bundled"),
            Origin::File(path) => f.pad(&path.display().to_string()),
        }
    }
}

/// Reads one spec; `name` is the file stem and `origin` is named in any error.
pub fn parse(name: &str, text: &str, origin: Origin) -> Result<ChartSpec> {
    let subject = match &origin {
        Origin::Bundled => name.to_string(),
        Origin::File(path) => path.display().to_string(),
    };
    let err = |reason: String| Error::Chart { name: subject.clone(), reason };
    let mut spec: ChartSpec = toml::from_str(text).map_err(|e| err(e.to_string().trim_end().to_string()))?;
    spec.name = name.to_string();
    spec.origin = origin;
    if spec.series.is_some() && spec.y.len() != 1 {
        return Err(err("with `series`, `y` must name one column".into()));
    }
    if (spec.kind == Kind::SmallMultiples) != spec.panels.is_some() {
        return Err(err(
            "`panels` (the column naming each panel) goes with kind = \"small_multiples\", and only there".into(),
        ));
    }
    if spec.y.is_empty() {
        return Err(err("`y` names no column".into()));
    }
    if spec.break_label.is_some() && spec.break_column.is_none() {
        return Err(err("`break_label` is the note at a break: name the break's column in `break_column`".into()));
    }
    Ok(spec)
}

/// Every chart spec, in briefing order: the bundled ones, then those of `dir` (when given),
/// which replace bundled specs of the same file name.
pub fn load(dir: Option<&Path>) -> Result<Vec<ChartSpec>> {
    let mut specs: Vec<ChartSpec> =
        embedded::CHART_FILES.iter().map(|(name, text)| parse(name, text, Origin::Bundled)).collect::<Result<_>>()?;
    if let Some(dir) = dir {
        for spec in folder(dir)? {
            match specs.iter_mut().find(|s| s.name == spec.name) {
                Some(bundled) => *bundled = spec,
                None => specs.push(spec),
            }
        }
    }
    specs.sort_by(|a, b| (a.order, &a.name).cmp(&(b.order, &b.name)));
    Ok(specs)
}

/// The `*.toml` specs of an analyst's folder, by file name.
fn folder(dir: &Path) -> Result<Vec<ChartSpec>> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Read { path: dir.to_path_buf(), source })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Read { path: path.clone(), source })?;
            let name = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
            parse(&name, &text, Origin::File(path))
        })
        .collect()
}

/// The bundled chart specs, in briefing order.
pub fn specs() -> Result<Vec<ChartSpec>> {
    load(None)
}

/// The spec called `name` among `specs`.
pub fn find(specs: &[ChartSpec], name: &str) -> Result<ChartSpec> {
    specs
        .iter()
        .find(|s| s.name == name)
        .cloned()
        .ok_or_else(|| Error::not_found("chart", name, "charts", specs.iter().map(|s| s.name.as_str())))
}

/// The bundled chart spec called `name`.
pub fn spec(name: &str) -> Result<ChartSpec> {
    find(&specs()?, name)
}
