//! The code's own layout (issue 12): stages import only downward, so nothing under `src/` but
//! the command line itself reaches up into `cli`.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()) {
        if entry.is_dir() {
            rust_files(&entry, out);
        } else if entry.extension().is_some_and(|e| e == "rs") {
            out.push(entry);
        }
    }
}

#[test]
fn no_stage_imports_from_the_command_line() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 20, "found only {} source files under {}", files.len(), src.display());
    let upward: Vec<String> = files
        .iter()
        .filter(|p| !p.starts_with(src.join("cli")) && !p.ends_with("main.rs"))
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            text.contains("crate::cli") || text.contains("super::cli") || text.contains("xxgk::cli")
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(upward.is_empty(), "stages that import from cli: {upward:?}");
}

#[test]
fn docs_rules_md_is_the_rule_catalogue() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/RULES.md");
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == xxgk::model::rules::markdown(),
        "{} is not the catalogue of src/model/rules.rs: regenerate it with `xxgk check --rules --markdown > docs/RULES.md`",
        path.display()
    );
}

/// Every rule of the catalogue is raised somewhere (no rule documented but never checked), and
/// every finding a check raises names a catalogued rule (`Finding::new` looks its rule up, so a
/// rule missing from the catalogue would reject the fixtures that raise it).
#[test]
fn every_catalogued_rule_is_raised_by_some_check() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let text: String = files
        .iter()
        .filter(|p| !p.ends_with("model/rules.rs"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    let prose = std::fs::read_to_string(src.join("validate/prose.rs")).unwrap();
    let mut ids = std::collections::HashSet::new();
    for rule in xxgk::model::RULES {
        assert!(ids.insert(rule.id), "rule {} is in the catalogue twice", rule.id);
        let (prefix, suffix) = rule.id.split_once('.').unwrap();
        let raised = text.contains(&format!("\"{}\"", rule.id))
            // A family raised by a pattern: `format!("{}.domain", table)`, `format!("{kind}.missing")`.
            || text.contains(&format!(".{suffix}\""))
            // Prose rules are `prose.{key}` for the keys validate/prose.rs matches.
            || (prefix == "prose" && prose.contains(&format!("\"{suffix}\"")));
        assert!(raised, "rule {} is in the catalogue but no check raises it", rule.id);
    }
}
