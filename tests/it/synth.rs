//! The synthetic corpus: deterministic, and its own round trip (synth → extract → compare with
//! its truth) is exact, with every injected defect flagged by the rule its truth names.

use xxgk::eval::compare;
use xxgk::synth::{Layout, Options, generate};

use crate::common::*;

fn options(reports: usize) -> Options {
    Options { reports, seed: 7, layouts: vec![Layout::Txt, Layout::Md, Layout::Html], defect_rate: 0.25 }
}

#[test]
fn synthetic_documents_round_trip_exactly_and_defects_are_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(dir.path(), &options(45)).unwrap();
    assert_eq!(summary.files.len(), 45);
    assert!(summary.defects > 3, "{} defects", summary.defects);
    let (mut fields, mut defects_seen) = (0, 0);
    for path in &summary.files {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let truth = read_json(&dir.path().join(format!("truth/{stem}.json")));
        let (report, findings) = process(path);
        let c = compare(&record(&report, &findings), &truth);
        assert!(c.mismatches.is_empty(), "{stem}: {:?}", c.mismatches);
        fields += c.fields;
        let expected: Vec<String> = truth["source_inconsistencies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().split(':').next().unwrap().to_string())
            .collect();
        let errors: Vec<String> = error_cells(&findings).into_iter().map(|(rule, _)| rule).collect();
        if expected.is_empty() {
            assert!(errors.is_empty(), "{stem}: unexpected {errors:?}");
        } else {
            defects_seen += 1;
            for rule in &expected {
                assert!(errors.contains(rule), "{stem}: {rule} not flagged ({errors:?})");
            }
        }
    }
    assert_eq!(defects_seen, summary.defects);
    assert!(fields > 45 * 190);
}

#[test]
fn the_generator_is_deterministic() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sa = generate(a.path(), &options(9)).unwrap();
    generate(b.path(), &options(9)).unwrap();
    for path in &sa.files {
        let name = path.file_name().unwrap();
        assert_eq!(std::fs::read(path).unwrap(), std::fs::read(b.path().join("reports").join(name)).unwrap());
    }
}

#[test]
fn synthetic_reports_written_straight_to_the_warehouse_query_like_the_ingested_documents() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(&dir.path().join("docs"), &options(30)).unwrap();
    let (read, direct) = (dir.path().join("read"), dir.path().join("direct"));
    let files: Vec<_> = summary.files.iter().map(|p| (p.clone(), None)).collect();
    let quiet = xxgk::pipeline::Options { batch: 7, progress: false, ..Default::default() };
    xxgk::pipeline::ingest(&files, &read, &Default::default(), &quiet).unwrap();
    let written = xxgk::pipeline::ingest_synthetic(&direct, 30, 7, 0.25, &quiet).unwrap();
    assert_eq!(written.write.reports_added, 30);
    // Every query but the catalogue (source paths and formats differ) gives the same table.
    let open = |wh: &std::path::Path| xxgk::query::Session::open(wh, &Default::default()).unwrap();
    let (mut a, mut b) = (open(&read), open(&direct));
    for spec in xxgk::query::specs().unwrap() {
        if ["reports_catalog", "findings_list", "findings_by_rule"].contains(&spec.name.as_str()) {
            continue;
        }
        let (x, y) = (a.run(&spec.name).unwrap(), b.run(&spec.name).unwrap());
        assert!(x.height() > 0, "{}", spec.name);
        assert_eq!(xxgk::query::export::table(&x, &[]), xxgk::query::export::table(&y, &[]), "{}", spec.name);
    }
    // Error findings (the injected defects) are the same; the direct path has no reader warnings.
    let errors = |s: &mut xxgk::query::Session| {
        s.sql("SELECT rule, COUNT(*) AS n FROM findings WHERE severity = 'error' GROUP BY rule ORDER BY rule").unwrap()
    };
    assert_eq!(errors(&mut a), errors(&mut b));
    // Written again: nothing added.
    let again = xxgk::pipeline::ingest_synthetic(&direct, 30, 7, 0.25, &quiet).unwrap();
    assert_eq!((again.write.reports_added, again.write.reports_already_present), (0, 30));
}
