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
    let out_dir = std::env::var("OUT_DIR").unwrap();
    // The query stage embeds the queries and views; the chart stage its specs.
    let mut queries = String::new();
    table(&mut queries, "QUERY_FILES", &list(&root.join("queries"), "sql"));
    table(&mut queries, "VIEW_FILES", &list(&root.join("queries/views"), "sql"));
    std::fs::write(Path::new(&out_dir).join("embedded_queries.rs"), queries).unwrap();
    let mut charts = String::new();
    table(&mut charts, "CHART_FILES", &list(&root.join("charts"), "toml"));
    std::fs::write(Path::new(&out_dir).join("embedded_charts.rs"), charts).unwrap();
}
