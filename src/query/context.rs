//! The SQL context of a selection: the warehouse tables filtered, the views registered, and
//! what the selection leaves out.

use std::path::Path;

use polars::prelude::*;
use polars::sql::SQLContext;

use super::*;
use crate::error::{Error, Result};
use crate::store;

/// What the selection leaves out of pooled figures, for the notes under every result: plans
/// over the reports, run only when notes are asked for.
#[derive(Clone)]
pub struct Selection {
    /// The agencies `--agency` matched: (agency key, canonical name), by key; `None` without it.
    pub agencies: Option<Vec<(String, String)>>,
    /// Source paths of the current reports of the selection (agency and level) whose year could
    /// not be read. They appear in no year range and as the empty year in per-year results.
    unknown_year: LazyFrame,
    /// The superseded versions of reports in the selection (not counted unless `all_versions`).
    superseded: Option<LazyFrame>,
}

impl Selection {
    /// (superseded versions, source paths of reports of unknown year).
    pub(super) fn left_out(&self) -> Result<(usize, Vec<String>)> {
        let err = polars_err("notes");
        let versions = match &self.superseded {
            Some(lf) => lf
                .clone()
                .select([len()])
                .collect()
                .map_err(&err)?
                .column("len")
                .map_err(&err)?
                .get(0)
                .ok()
                .and_then(|v| v.extract::<u64>())
                .unwrap_or(0) as usize,
            None => 0,
        };
        let unknown = self.unknown_year.clone().collect().map_err(&err)?;
        let paths = unknown
            .column("source_path")
            .map_err(&err)?
            .str()
            .map_err(&err)?
            .iter()
            .flatten()
            .map(str::to_string)
            .collect();
        Ok((versions, paths))
    }
}

/// The SQL context over the warehouse at `dir`, restricted by `filters`: tables `reports` (every
/// version, with `is_current` and `superseded_by`), `facts`, `findings` (with the corpus
/// findings: cross-year identities and versions), `sections`, `legacy`, `rejects`, `versions`, `labels`
/// (display names of ids), the stored views (`requests_wide`, `report_wide`) and every other
/// view. All but `reports` hold current versions only (unless `all_versions`). Year filters open
/// only the year partitions they need; agency and level filters apply to the tables that carry
/// those columns directly and to the others through their report ids.
pub fn context(dir: &Path, filters: &Filters) -> Result<(SQLContext, Selection)> {
    let err = polars_err("warehouse");
    let (from, to) = (filters.from, filters.to);
    let by_year = |mut lf: LazyFrame| {
        if let Some(from) = from {
            lf = lf.filter(col("year").gt_eq(lit(from)));
        }
        if let Some(to) = to {
            lf = lf.filter(col("year").lt_eq(lit(to)));
        }
        lf
    };
    let versions_table = store::scan_years(dir, "versions", None, None)?
        .expect("a table with a known schema")
        .collect()
        .map_err(&err)?;
    let versions = versions_table.select(["report_id", "superseded_by"]).map_err(&err)?;
    let superseded = versions.column("report_id").map_err(&err)?.as_materialized_series().clone();
    let reports_all = store::scan_years(dir, "reports", None, None)?.expect("base table");
    let reports_all = if versions.height() == 0 {
        reports_all
            .with_columns([lit(true).alias("is_current"), lit(NULL).cast(DataType::String).alias("superseded_by")])
    } else {
        reports_all
            .join(versions.clone().lazy(), [col("report_id")], [col("report_id")], JoinArgs::new(JoinType::Left))
            .with_column(col("superseded_by").is_null().alias("is_current"))
    };
    // --agency names agencies, not reports: every agency key that the text is, or that a report
    // of the warehouse prints or resolves to a name containing it, and then all of its reports.
    let agencies = match &filters.agency {
        Some(text) => {
            let t = || lit(text.clone());
            let matched = reports_all
                .clone()
                .filter(
                    col("agency_key")
                        .eq(t())
                        .fill_null(lit(false))
                        .or(col("agency").str().contains_literal(t()).fill_null(lit(false)))
                        .or(col("agency_name").str().contains_literal(t()).fill_null(lit(false))),
                )
                .group_by([col("agency_key")])
                .agg([col("agency_name").first()])
                .sort(["agency_key"], Default::default())
                .collect()
                .map_err(&err)?;
            let keys = matched.column("agency_key").map_err(&err)?.str().map_err(&err)?;
            let names = matched.column("agency_name").map_err(&err)?.str().map_err(&err)?;
            Some(
                keys.iter()
                    .zip(names.iter())
                    .filter_map(|(k, n)| Some((k?.to_string(), n.unwrap_or_default().to_string())))
                    .collect::<Vec<_>>(),
            )
        }
        None => None,
    };
    let agency_keys: Option<Series> = agencies
        .as_ref()
        .map(|a| Series::new("agency_key".into(), a.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>()));
    let by_agency = |mut lf: LazyFrame| {
        if let Some(keys) = &agency_keys {
            lf = lf.filter(store::one_of("agency_key", keys.clone()).fill_null(lit(false)));
        }
        if let Some(level) = filters.level {
            lf = lf.filter(col("level").eq(lit(level.id())));
        }
        lf
    };
    let selection = Selection {
        agencies,
        unknown_year: by_agency(reports_all.clone())
            .filter(col("year").is_null().and(col("is_current")))
            .select([col("source_path")]),
        superseded: (versions.height() > 0)
            .then(|| by_agency(by_year(reports_all.clone())).filter(col("is_current").not())),
    };
    let reports = by_agency(by_year(reports_all));
    let ids = if filters.agency.is_some() || filters.level.is_some() {
        let df = reports.clone().select([col("report_id")]).collect().map_err(&err)?;
        Some(df.column("report_id").map_err(&err)?.as_materialized_series().clone())
    } else {
        None
    };
    let current = |mut lf: LazyFrame| {
        if let Some(ids) = &ids {
            lf = lf.filter(store::one_of("report_id", ids.clone()));
        }
        if !superseded.is_empty() && !filters.all_versions {
            lf = lf.filter(store::one_of("report_id", superseded.clone()).not());
        }
        lf
    };
    let mut ctx = SQLContext::new();
    let facts = current(by_year(store::scan_years(dir, "facts", from, to)?.expect("base table")));
    ctx.register("facts", store::facts::as_text(facts));
    for table in ["sections", "legacy"] {
        ctx.register(table, current(by_year(store::scan_years(dir, table, from, to)?.expect("base table"))));
    }
    let findings = current(by_year(store::scan_years(dir, "findings", from, to)?.expect("base table")))
        .with_column(lit(NULL).cast(DataType::String).alias("related_report_id"));
    let corpus = current(by_year(store::scan_years(dir, "corpus_findings", from, to)?.expect("a known schema")));
    let findings = concat([findings, corpus], UnionArgs::default()).map_err(&err)?;
    ctx.register("findings", findings);
    ctx.register("rejects", store::standing_rejects(dir)?);
    ctx.register("versions", versions_table.lazy());
    ctx.register("reports", reports);
    ctx.register("labels", labels_frame().map_err(&err)?.lazy());
    let mut stored = Vec::new();
    for name in stored_views()? {
        if let Some(lf) = store::scan_years(dir, &name, from, to)? {
            ctx.register(&name, current(by_agency(by_year(lf))));
            stored.push(name);
        }
    }
    // A stored view with no file yet (an empty warehouse) is computed like any other view.
    register_views(&mut ctx, &stored, filters.flagged(), |_, lf| Ok(lf))?;
    Ok((ctx, selection))
}

/// The stored views of a batch of base-table frames (`store::batch`), computed with the view
/// SQL of `queries/views` over that batch alone: every stored view groups by report, so
/// computing it batch by batch gives the same rows as computing it over the whole warehouse.
/// Ingest uses the faster [`store::wide::derive`]; this is the definition it is tested against.
pub fn derive(frames: &[(String, DataFrame)]) -> Result<Vec<(String, DataFrame)>> {
    let mut ctx = SQLContext::new();
    for (name, df) in frames {
        let lf = df.clone().lazy();
        ctx.register(name, if name == "facts" { store::facts::as_text(lf) } else { lf });
    }
    ctx.register("labels", labels_frame().map_err(polars_err("labels"))?.lazy());
    let mut out = Vec::new();
    register_views(&mut ctx, &[], Flagged::LeaveOut, |view, lf| {
        if !view.stored {
            return Ok(lf);
        }
        let df = lf.collect().map_err(polars_err(&view.name))?;
        out.push((view.name.clone(), df.clone()));
        Ok(df.lazy())
    })?;
    Ok(out)
}

/// Registers the views of `queries/views` but those named in `skip`, each on the tables and
/// the views before it (through `finish`, which may materialize it); a view that refers to a
/// later one is retried until none is left or none can be added.
fn register_views(
    ctx: &mut SQLContext,
    skip: &[String],
    flagged: Flagged,
    mut finish: impl FnMut(&QuerySpec, LazyFrame) -> Result<LazyFrame>,
) -> Result<()> {
    let mut pending: Vec<QuerySpec> = views()?.into_iter().filter(|v| !skip.contains(&v.name)).collect();
    while !pending.is_empty() {
        let before = pending.len();
        let mut last_error = None;
        let mut left = Vec::new();
        for view in pending {
            match ctx.execute(&view.sql_with(flagged)?) {
                Ok(lf) => {
                    let lf = finish(&view, lf)?;
                    ctx.register(&view.name, lf);
                }
                Err(e) => {
                    last_error = Some(Error::Query { name: format!("view {}", view.name), reason: e.to_string() });
                    left.push(view);
                }
            }
        }
        pending = left;
        if pending.len() == before {
            return Err(last_error.expect("a view failed"));
        }
    }
    Ok(())
}

/// The `labels` table: display label, printed order and reason category of every id.
pub fn labels_frame() -> PolarsResult<DataFrame> {
    let labels = crate::model::labels::display_labels();
    df!(
        "id" => labels.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        "label" => labels.iter().map(|(_, l)| *l).collect::<Vec<_>>(),
        "ord" => (0..labels.len() as i64).collect::<Vec<_>>(),
        "category" => labels
            .iter()
            .map(|(id, _)| crate::model::request_row(id).and_then(|r| r.group).unwrap_or(""))
            .collect::<Vec<_>>()
    )
}
