//! `xxgk chart` and `xxgk brief`.

use std::path::Path;

use super::{FilterArgs, Outcome};
use crate::error::{Error, Result};
use crate::{brief, chart};

/// `xxgk chart`: lists the charts, or renders one or all.
pub(super) fn chart(name: Option<&str>, all: bool, list: bool, out: &Path, filters: &FilterArgs) -> Result<Outcome> {
    if list {
        for spec in chart::specs()? {
            println!("{:<24} {:<12} {:<30} {}", spec.name, spec.kind.id(), spec.query, spec.title);
        }
        return Ok(Outcome::Clean);
    }
    let specs = match (all, name) {
        (true, _) => chart::specs()?,
        (false, Some(n)) => vec![chart::spec(n)?],
        (false, None) => return Err(Error::Usage("name a chart, or use --all or --list".into())),
    };
    let Some((mut session, selection)) = filters.open()? else { return Ok(Outcome::NothingMatched) };
    for done in chart::render_all(&specs, &mut session, &selection, out)? {
        println!("{}\n{}", done.png.display(), done.svg.display());
    }
    Ok(Outcome::Clean)
}

/// `xxgk brief`: every chart and the briefing.
pub(super) fn brief(out: &Path, filters: &FilterArgs) -> Result<Outcome> {
    let Some((mut session, selection)) = filters.open()? else { return Ok(Outcome::NothingMatched) };
    let (html, md) = brief::make(&mut session, &selection, out)?;
    println!("{}\n{}", html.display(), md.display());
    Ok(Outcome::Clean)
}
