//! The manifest (`manifest.json`): the list of committed Parquet files, replaced atomically. A
//! file the manifest does not name is not part of the warehouse (an ingest in flight, or one that
//! crashed); readers never see it, and the next writer deletes it if its journal names it
//! (`guard`).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::PARSER_VERSION;

/// Version of the on-disk layout this build reads and writes.
pub const LAYOUT: u32 = 5;
pub const MANIFEST: &str = "manifest.json";

/// One committed file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub table: String,
    /// Path relative to the warehouse folder, `/`-separated.
    pub path: String,
    /// The partition's year (`None` for unpartitioned tables and the `unknown` year partition).
    pub year: Option<i32>,
    pub partitioned: bool,
    pub rows: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub layout: u32,
    pub files: Vec<Entry>,
    /// What the corpus tables (`versions`, `corpus_findings`) covered when last written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corpus_checked: Option<CorpusChecked>,
}

/// The reports the corpus tables covered when last written, and the checks that wrote them.
/// While `reports` equals the `reports` rows held now and `by` is this build's
/// [`PARSER_VERSION`], those tables cover every report, and an ingest need only check again the
/// agencies it adds reports to. Otherwise (an ingest stopped between its commits, a warehouse of
/// another xxgk) the next ingest checks every agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorpusChecked {
    pub reports: u64,
    pub by: String,
}

impl CorpusChecked {
    /// The record of this build's checks over `reports` reports.
    pub fn now(reports: u64) -> CorpusChecked {
        CorpusChecked { reports, by: PARSER_VERSION.to_string() }
    }
}

impl Manifest {
    /// Reads the manifest of `dir`; `None` when the folder holds no warehouse.
    pub fn load(dir: &Path) -> Result<Option<Manifest>> {
        let path = dir.join(MANIFEST);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if dir.join("reports.parquet").exists() {
                    return Err(Error::NotAWarehouse {
                        path: dir.to_path_buf(),
                        reason:
                            "written by an older xxgk (one file per table); ingest the reports again into a new folder"
                                .into(),
                    });
                }
                return Ok(None);
            }
            Err(source) => return Err(Error::Read { path, source }),
        };
        let manifest: Manifest = serde_json::from_str(&text).map_err(|e| Error::NotAWarehouse {
            path: path.clone(),
            reason: format!("not a readable warehouse manifest: {e}"),
        })?;
        if manifest.layout != LAYOUT {
            return Err(Error::NotAWarehouse {
                path,
                reason: format!(
                    "warehouse layout {} is not the layout {LAYOUT} this xxgk reads; ingest the reports again into a new folder",
                    manifest.layout
                ),
            });
        }
        Ok(Some(manifest))
    }

    /// Writes the manifest to a temporary file and renames it into place (the commit).
    pub fn save(&self, dir: &Path, journal: &super::journal::Journal) -> Result<()> {
        let text = serde_json::to_string_pretty(self).expect("manifest serializes");
        super::journal::write_atomically(&dir.join(MANIFEST), text.as_bytes(), journal, dir)
    }

    /// The rows of `table` over all its committed files.
    pub fn rows(&self, table: &str) -> u64 {
        self.files.iter().filter(|e| e.table == table).map(|e| e.rows).sum()
    }

    /// Whether the corpus tables cover every committed report, as this build checks ([`CorpusChecked`]).
    pub fn corpus_current(&self) -> bool {
        self.corpus_checked.as_ref() == Some(&CorpusChecked::now(self.rows("reports")))
    }

    /// Committed files of `table` whose partition may hold years in `from..=to`, as absolute paths.
    pub fn files(&self, dir: &Path, table: &str, from: Option<i32>, to: Option<i32>) -> Vec<PathBuf> {
        self.files
            .iter()
            .filter(|e| e.table == table)
            .filter(|e| match (e.partitioned, e.year) {
                (true, Some(y)) => from.is_none_or(|f| y >= f) && to.is_none_or(|t| y <= t),
                // The unknown-year partition matches no year range.
                (true, None) => from.is_none() && to.is_none(),
                (false, _) => true,
            })
            .map(|e| dir.join(&e.path))
            .collect()
    }
}
