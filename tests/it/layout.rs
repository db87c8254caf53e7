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
