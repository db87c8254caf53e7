//! `xxgk eval`: extraction accuracy against hand-checked truth records.

use std::path::{Path, PathBuf};

use super::Outcome;
use super::extract::load_meta;
use crate::error::Result;
use crate::eval::{FileResult, Totals, truth_for};
use crate::{normalize, pipeline};

pub(super) fn eval(
    truth_dirs: &[PathBuf],
    files: &[PathBuf],
    meta: Option<&Path>,
    limits: &crate::ingest::Limits,
) -> Result<Outcome> {
    let meta = load_meta(meta)?;
    let (mut totals, mut failed) = (Totals::default(), false);
    let mut by_era: std::collections::BTreeMap<&'static str, Totals> = Default::default();
    for file in files {
        let mut truth = None;
        for dir in truth_dirs {
            if let Some(t) = truth_for(dir, file)? {
                truth = Some(t);
                break;
            }
        }
        let Some(truth) = truth else {
            let dirs: Vec<String> = truth_dirs.iter().map(|d| d.display().to_string()).collect();
            eprintln!("xxgk: error: no truth record in {} for {}", dirs.join(", "), file.display());
            failed = true;
            continue;
        };
        let (report, findings) = match pipeline::process_with(file, &meta, limits) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("xxgk: error: {e}");
                failed = true;
                continue;
            }
        };
        let result = FileResult::new(&normalize::to_record(&report, &findings), &truth, &findings);
        let c = &result.comparison;
        println!(
            "{:<52} {:>4}/{:<4} {:>6.2}%  {} silent",
            file.display().to_string(),
            c.matched(),
            c.fields,
            result.percent(),
            result.silent.len()
        );
        for m in &c.mismatches {
            let flag = if result.silent.contains(&m.field) { "silent" } else { "flagged" };
            println!("    {:<44} expected {} got {} ({flag})", m.field, m.expected, m.actual);
        }
        totals.add(&result);
        by_era.entry(report.era.id()).or_default().add(&result);
    }
    for (era, t) in &by_era {
        println!(
            "era {era}: {}/{} fields {:.2}%, {} mismatches, {} silent errors",
            t.fields - t.wrong,
            t.fields,
            t.percent(),
            t.wrong,
            t.silent
        );
    }
    println!(
        "total {}/{} fields {:.2}%, {} mismatches, {} silent errors",
        totals.fields - totals.wrong,
        totals.fields,
        totals.percent(),
        totals.wrong,
        totals.silent
    );
    Ok(if failed {
        Outcome::FilesFailed
    } else if totals.wrong > 0 {
        Outcome::ErrorFindings
    } else {
        Outcome::Clean
    })
}
