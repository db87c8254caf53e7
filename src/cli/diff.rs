//! `xxgk diff`: two reports side by side.

use std::path::Path;

use super::extract::load_meta;
use super::{Outcome, OutputArgs};
use crate::error::{Error, Result};
use crate::pipeline;
use crate::query::export::{self as output, Format};

/// How `diff` reads report files.
pub(super) struct DiffFiles<'a> {
    pub meta: Option<&'a Path>,
    pub limits: crate::ingest::Limits,
}

/// `xxgk diff`: two files, two report ids, or an agency's reports of two years.
pub(super) fn diff(
    a: Option<&str>,
    b: Option<&str>,
    agency: Option<&str>,
    years: &[i32],
    warehouse: &Path,
    files: &DiffFiles,
    out: &OutputArgs,
) -> Result<Outcome> {
    use crate::corpus::diff as d;
    let meta = load_meta(files.meta)?;
    let side = |given: &str| -> Result<d::Side> {
        let path = Path::new(given);
        if path.is_file() {
            let (report, _) = pipeline::process_with(path, &meta, &files.limits)?;
            Ok(d::Side::from_report(given, &report))
        } else {
            d::stored(warehouse, given)
        }
    };
    let (a, b) = match (agency, a, b) {
        (Some(agency), _, _) => {
            let [y1, y2] = years else {
                return Err(Error::Argument(format!(
                    "--years takes two years, earlier first (e.g. 2023,2024); got {years:?}"
                )));
            };
            (
                d::stored(warehouse, &d::find(warehouse, agency, *y1)?)?,
                d::stored(warehouse, &d::find(warehouse, agency, *y2)?)?,
            )
        }
        (None, Some(a), Some(b)) => (side(a)?, side(b)?),
        _ => return Err(Error::Argument("give two reports (files or report ids), or --agency and --years".into())),
    };
    let result = d::diff(a, b);
    let err = |source| Error::Query { name: "diff".into(), reason: format!("{source}") };
    match out.format()? {
        Format::Table => {
            let mut text = format!(
                "A: {} · {} · {}\nB: {} · {} · {}\n\n",
                result.a.label,
                result.a.agency.as_deref().unwrap_or("?"),
                result.a.year.map_or("?".into(), |y| y.to_string()),
                result.b.label,
                result.b.agency.as_deref().unwrap_or("?"),
                result.b.year.map_or("?".into(), |y| y.to_string())
            );
            let sections = result.part("section").map_err(err)?;
            text += &format!(
                "repeated text (重复率: share of B in runs of ≥{} characters also in A, digits read alike)\n",
                d::RUN
            );
            text += &output::table(&sections, &[]);
            let figures = result.part("figure").map_err(err)?;
            text += &format!("\nfigures that differ ({})\n", figures.height());
            text += &output::table(&figures, &[]);
            match &out.out {
                Some(path) => {
                    std::fs::write(path, text).map_err(|source| Error::Write { path: path.clone(), source })?
                }
                None => print!("{text}"),
            }
        }
        Format::Json => {
            let text = serde_json::to_string_pretty(&result.json()).map_err(|e| Error::Argument(e.to_string()))? + "\n";
            match &out.out {
                Some(path) => {
                    std::fs::write(path, text).map_err(|source| Error::Write { path: path.clone(), source })?
                }
                None => print!("{text}"),
            }
        }
        format => output::write_about(
            &result.frame().map_err(err)?,
            format,
            out.out.as_deref(),
            out.bom(),
            &output::About { name: "diff".into(), ..Default::default() },
        )?,
    }
    Ok(Outcome::Clean)
}
