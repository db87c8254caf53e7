//! `xxgk chart` and `xxgk brief`.

use std::path::Path;

use super::{ChartArgs, FilterArgs, Outcome};
use crate::error::{Error, Result};
use crate::{brief, chart};

/// `xxgk chart`: lists the charts, or renders one or all.
pub(super) fn chart(
    name: Option<&str>,
    all: bool,
    list: bool,
    out: &Path,
    filters: &FilterArgs,
    args: &ChartArgs,
) -> Result<Outcome> {
    let catalogue = args.specs()?;
    if list {
        for spec in &catalogue {
            println!(
                "{:<24} {:<16} {:<28} {:<10} {}",
                spec.name,
                spec.kind.id(),
                spec.query,
                spec.origin.to_string(),
                spec.title
            );
        }
        return Ok(Outcome::Clean);
    }
    let specs = match (all, name) {
        (true, _) => catalogue,
        (false, Some(n)) => vec![chart::find(&catalogue, n)?],
        (false, None) => return Err(Error::Argument("name a chart, or use --all or --list".into())),
    };
    let options = args.options()?;
    let Some((mut session, selection)) = filters.open()? else { return Ok(Outcome::NothingMatched) };
    for done in chart::render_all(&specs, &mut session, &selection, &options, out)? {
        println!("{}\n{}", done.png.display(), done.svg.display());
    }
    Ok(Outcome::Clean)
}

/// `xxgk chart --list --json`: the charts as a JSON array.
pub(super) fn list_json(args: &ChartArgs) -> Result<Outcome> {
    let list: Vec<serde_json::Value> = args
        .specs()?
        .iter()
        .map(|s| {
            serde_json::json!({
                "name": s.name, "kind": s.kind.id(), "query": s.query, "title": s.title,
                "metric": s.metric, "origin": s.origin.to_string(),
            })
        })
        .collect();
    println!("{}", serde_json::to_string_pretty(&list).expect("plain data serializes"));
    Ok(Outcome::Clean)
}

/// `xxgk brief`: every chart and the briefing.
pub(super) fn brief(out: &Path, filters: &FilterArgs, args: &ChartArgs) -> Result<Outcome> {
    let (specs, options) = (args.specs()?, args.options()?);
    let Some((mut session, selection)) = filters.open()? else { return Ok(Outcome::NothingMatched) };
    let (html, md) = brief::make(&mut session, &selection, &specs, &options, out)?;
    println!("{}\n{}", html.display(), md.display());
    Ok(Outcome::Clean)
}
