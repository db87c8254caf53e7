//! Embeds the canned query files (`queries/*.sql`, `queries/views/*.sql`) and chart specs
//! (`charts/*.toml`) into the binary, so `xxgk` runs from any directory with no files beside it.

use std::fmt::Write as _;
use std::path::Path;

fn list(dir: &Path, ext: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == ext))
                .map(|p| {
                    let name = p.file_stem().unwrap().to_string_lossy().to_string();
                    (name, p.canonicalize().unwrap().display().to_string())
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn table(out: &mut String, name: &str, files: &[(String, String)]) {
    writeln!(out, "pub const {name}: &[(&str, &str)] = &[").unwrap();
    for (stem, path) in files {
        writeln!(out, "    ({stem:?}, include_str!({path:?})),").unwrap();
    }
    writeln!(out, "];").unwrap();
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    println!("cargo:rerun-if-changed=queries");
    println!("cargo:rerun-if-changed=queries/views");
    println!("cargo:rerun-if-changed=charts");
    let mut out = String::new();
    table(&mut out, "QUERY_FILES", &list(&root.join("queries"), "sql"));
    table(&mut out, "VIEW_FILES", &list(&root.join("queries/views"), "sql"));
    table(&mut out, "CHART_FILES", &list(&root.join("charts"), "toml"));
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded.rs");
    std::fs::write(dest, out).unwrap();
}
