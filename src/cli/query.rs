//! `xxgk query`, `xxgk sql`, `xxgk metrics` and `xxgk agencies`.

use super::{FilterArgs, Outcome, OutputArgs};
use crate::error::Result;
use crate::query;
use crate::query::export::{self as output, Format};

pub(super) fn list_queries(filters: &FilterArgs, out: &OutputArgs) -> Result<Outcome> {
    let catalogue = filters.catalogue()?;
    let origin = |s: &query::QuerySpec| s.origin.as_ref().map_or("bundled".to_string(), |p| p.display().to_string());
    if out.format()? == Format::Json {
        let list: Vec<serde_json::Value> = catalogue
            .all()
            .iter()
            .map(|s| {
                let params: Vec<serde_json::Value> = s
                    .params
                    .iter()
                    .map(|p| serde_json::json!({"name": p.name, "type": p.kind.id(), "default": p.default}))
                    .collect();
                serde_json::json!({
                    "name": s.name, "title": s.title, "about": s.about, "filters": s.filters,
                    "params": params, "metrics": s.metrics, "origin": origin(s),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&list).expect("plain data serializes"));
        return Ok(Outcome::Clean);
    }
    for spec in catalogue.all() {
        println!(
            "{}  {}{}",
            spec.name,
            spec.title,
            spec.origin.as_ref().map_or(String::new(), |p| format!("  ({})", p.display()))
        );
        println!("    {}", spec.about);
        println!("    filters: --{}", spec.filters.join(", --"));
        if !spec.params.is_empty() {
            println!("    parameters: {} (--param NAME=VALUE)", spec.params_help());
        }
        if !spec.metrics.is_empty() {
            println!("    metrics: {}", spec.metrics.join(", "));
        }
    }
    Ok(Outcome::Clean)
}

/// `xxgk query --new NAME`: a commented query file to start from, in the --queries folder (else
/// the current one); an existing file is never overwritten.
pub(super) fn new_query(name: &str, filters: &FilterArgs) -> Result<Outcome> {
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(crate::error::Error::Argument(format!(
            "query name '{name}' must be letters, digits and _ (it becomes the file name NAME.sql)"
        )));
    }
    let folder = filters.queries.clone().unwrap_or_else(|| std::path::PathBuf::from("."));
    std::fs::create_dir_all(&folder).map_err(|source| crate::error::Error::Write { path: folder.clone(), source })?;
    let path = folder.join(format!("{name}.sql"));
    let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path);
    let mut file = match file {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(crate::error::Error::Argument(format!(
                "{} exists; xxgk does not overwrite it",
                path.display()
            )));
        }
        Err(source) => return Err(crate::error::Error::Write { path, source }),
    };
    use std::io::Write as _;
    file.write_all(query::template(name).as_bytes())
        .map_err(|source| crate::error::Error::Write { path: path.clone(), source })?;
    // The template must itself be a valid query.
    query::parse(name, &query::template(name))?;
    println!("{}", path.display());
    println!("edit it, then: xxgk query {name} --queries {}", folder.display());
    Ok(Outcome::Clean)
}

pub(super) fn run_query(
    name: &str,
    params: &[(String, String)],
    filters: &FilterArgs,
    out: &OutputArgs,
) -> Result<Outcome> {
    let spec = filters.catalogue()?.get(name)?.clone();
    let format = out.format()?;
    let Some((mut session, selection)) = filters.open()? else { return Ok(Outcome::NothingMatched) };
    super::detail(|| format!("query {name}:\n{}", spec.sql_bound(selection.flagged(), params).unwrap_or_default()));
    let started = std::time::Instant::now();
    let df = session.run_with(name, params)?;
    super::detail(|| format!("query {name}: {} rows in {:.3} s", df.height(), started.elapsed().as_secs_f64()));
    let notes = session.notes(&spec.metrics)?;
    let about = output::About {
        name: spec.name.clone(),
        title: spec.title.clone(),
        metric_keys: spec.metrics.clone(),
        selection: selection.flags(),
        notes: notes.lines_zh(),
    };
    write_result(&df, format, out, &about, &notes)?;
    Ok(Outcome::Clean)
}

/// `xxgk query NAME --emit-sql DIALECT`: the query as a plain SQL script over the warehouse (and
/// its shards), on standard output.
pub(super) fn emit_sql(
    name: &str,
    dialect: query::emit::Dialect,
    params: &[(String, String)],
    location: Option<&str>,
    shards: &[String],
    filters: &FilterArgs,
) -> Result<Outcome> {
    let selection = filters.filters()?;
    let refused = selection.flags();
    if !refused.is_empty() {
        return Err(crate::error::Error::Argument(format!(
            "--emit-sql covers the whole warehouse and does not apply {}: add the condition to the emitted query (WHERE year >= 2021, …)",
            refused.join(" ")
        )));
    }
    let spec = filters.catalogue()?.get(name)?.clone();
    let mut sources =
        vec![query::emit::Source { dir: filters.warehouse.clone(), location: location.map(str::to_string) }];
    for shard in shards {
        let (dir, url) = match shard.split_once('=') {
            Some((dir, url)) => (dir, Some(url.to_string())),
            None => (shard.as_str(), None),
        };
        sources.push(query::emit::Source { dir: dir.into(), location: url });
    }
    print!("{}", query::emit::script(&sources, dialect, &spec, params, &selection)?);
    Ok(Outcome::Clean)
}

/// `xxgk sql`: one confined query over the warehouse.
pub(super) fn sql(
    statement: &str,
    filters: &FilterArgs,
    out: &OutputArgs,
    limits: &query::guard::SqlLimits,
) -> Result<Outcome> {
    let format = out.format()?;
    let Some((mut session, selection)) = filters.open()? else { return Ok(Outcome::NothingMatched) };
    let df = session.sql_within(statement, limits)?;
    let notes = session.notes(&[])?;
    let about = output::About {
        name: "sql".into(),
        title: statement.to_string(),
        selection: selection.flags(),
        notes: notes.lines_zh(),
        ..Default::default()
    };
    write_result(&df, format, out, &about, &notes).map(|_| Outcome::Clean)
}

/// Writes a result; its notes (what pooled figures left out) follow a table on standard output,
/// and go to standard error for the other formats, so files stay clean.
fn write_result(
    df: &polars::prelude::DataFrame,
    format: Format,
    out: &OutputArgs,
    about: &output::About,
    notes: &query::Notes,
) -> Result<()> {
    output::write_about(df, format, out.out.as_deref(), out.bom(), about)?;
    let lines = notes.lines();
    if format == Format::Table && out.out.is_none() {
        for line in lines {
            println!("note: {line}");
        }
    } else {
        for line in lines {
            super::note(&line);
        }
    }
    Ok(())
}

pub(super) fn list_metrics(json: bool) -> Result<Outcome> {
    if json {
        let list: Vec<serde_json::Value> = query::metrics::METRICS
            .iter()
            .map(|m| {
                serde_json::json!({
                    "key": m.key, "name": m.name, "formula": m.formula, "note": m.note,
                    "numerator": m.numerator, "denominator": m.denominator,
                })
            })
            .collect();
        let record = serde_json::json!({ "metrics": list, "min_n": query::metrics::MIN_N });
        println!("{}", serde_json::to_string_pretty(&record).expect("plain data serializes"));
        return Ok(Outcome::Clean);
    }
    for m in query::metrics::METRICS {
        println!("{:<28} {:<14} {}", m.key, m.name, m.formula);
        if !m.note.is_empty() {
            println!("{:<28} {:<14} ({})", "", "", m.note);
        }
    }
    println!("\nRates pool over units (Σ numerator ÷ Σ denominator) and are empty where the denominator is 0.");
    println!("Units with a denominator below {} are shown but not ranked ('observe').", query::metrics::MIN_N);
    Ok(Outcome::Clean)
}
