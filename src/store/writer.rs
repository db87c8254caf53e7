//! The streaming writer: batches of frames go out as Parquet row groups as they come, one open
//! file per table and year partition, so memory holds one batch whatever the corpus size. A
//! commit closes the open files and names them in the manifest; until then no reader sees them.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};

use polars::io::parquet::write::BatchedWriter;
use polars::prelude::*;

use super::guard::{self, Lock};
use super::journal::Journal;
use super::manifest::{self, Entry, Manifest};
use crate::error::{Error, Result};

/// Tables written as one file per batch rather than partitioned by year.
const UNPARTITIONED: [&str; 2] = ["reports", "rejects"];

/// Rows a table partition collects before they go out as one row group. Small row groups are
/// expensive to encode (each has its own dictionaries, statistics and page headers): at 2,048
/// reports per batch spread over seven years, writing each batch's slice directly took twice the
/// Parquet time.
const ROW_GROUP_ROWS: usize = 128 * 1024;

/// Bytes all partitions may hold waiting for their row groups; above it the largest is written
/// early, so memory stays bounded however many tables and years a batch touches.
const PENDING_BYTES: usize = 96 * 1024 * 1024;

struct OpenFile {
    entry: Entry,
    tmp: PathBuf,
    writer: BatchedWriter<File>,
    /// Rows waiting for the next row group.
    pending: Vec<DataFrame>,
    pending_rows: usize,
    pending_bytes: usize,
}

impl OpenFile {
    /// Writes the pending rows as one row group.
    fn flush(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let err = |source| Error::Warehouse { path: self.tmp.clone(), source };
        let mut frames = std::mem::take(&mut self.pending).into_iter();
        let mut df = frames.next().expect("pending rows");
        for more in frames {
            df.vstack_mut_owned(more).map_err(err)?;
        }
        df.rechunk_mut_par();
        self.writer.write_batch(&df).map_err(|source| Error::Warehouse { path: self.tmp.clone(), source })?;
        self.pending_rows = 0;
        self.pending_bytes = 0;
        Ok(())
    }
}

/// Appends to a warehouse; holds its write lock until dropped.
pub struct Writer {
    dir: PathBuf,
    manifest: Manifest,
    /// Unique stem of this writer's files.
    stem: String,
    segment: usize,
    open: BTreeMap<(String, Option<i32>), OpenFile>,
    /// Whole tables written by [`Writer::replace`], waiting for the commit: (entry, written file).
    replacing: Vec<(Entry, PathBuf)>,
    journal: Journal,
    _lock: Lock,
}

fn wh_err(dir: &Path) -> impl Fn(PolarsError) -> Error + '_ {
    move |source| Error::Warehouse { path: dir.to_path_buf(), source }
}

fn unique_stem() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("{nanos:x}-{}", std::process::id())
}

/// A year partition's folder: `2024`, or `unknown`. Not hive-style `year=2024`: the files hold
/// the `year` column themselves, and pyarrow (pandas.read_parquet) refuses a folder whose hive key
/// repeats a file column with another type.
fn partition_dir(year: Option<i32>) -> String {
    year.map_or_else(|| "unknown".to_string(), |y| y.to_string())
}

fn parquet_writer(file: File) -> ParquetWriter<File> {
    ParquetWriter::new(file).with_statistics(StatisticsOptions::default()).with_compression(ParquetCompression::Zstd(
        Some(polars_parquet::write::ZstdLevel::try_new(1).expect("a zstd level")),
    ))
}

impl Writer {
    /// Opens the warehouse at `dir` for appending (creating it: a new or empty folder, never one
    /// with other files), taking its write lock (waiting for another writer with `wait`, else
    /// refusing) and deleting the files an interrupted writer journaled but did not commit.
    pub fn open(dir: &Path, wait: bool) -> Result<Writer> {
        guard::claim(dir)?;
        let lock = Lock::take(dir, wait)?;
        let manifest = Manifest::load(dir)?.unwrap_or(Manifest { layout: manifest::LAYOUT, ..Manifest::default() });
        let journal = Journal::new(dir);
        journal.clean(dir, |relative| manifest.files.iter().any(|e| e.path == relative))?;
        Ok(Writer {
            dir: dir.to_path_buf(),
            manifest,
            stem: unique_stem(),
            segment: 0,
            open: BTreeMap::new(),
            replacing: Vec::new(),
            journal,
            _lock: lock,
        })
    }

    /// The committed manifest (as of the last commit).
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Writes `frames` (table name, rows) as row groups of the open files; nothing is visible
    /// until [`Writer::commit`]. Frames with a `year` column go to their year partitions.
    pub fn append(&mut self, frames: &[(String, DataFrame)]) -> Result<()> {
        let err = wh_err(&self.dir);
        for (table, df) in frames {
            if df.height() == 0 {
                continue;
            }
            let partitioned = !UNPARTITIONED.contains(&table.as_str()) && df.schema().contains("year");
            let parts: Vec<(Option<i32>, DataFrame)> = if partitioned {
                let years = df.column("year").map_err(&err)?.i32().map_err(&err)?;
                let distinct: Vec<Option<i32>> =
                    years.iter().collect::<std::collections::BTreeSet<_>>().into_iter().collect();
                if distinct.len() == 1 {
                    vec![(distinct[0], df.clone())]
                } else {
                    distinct
                        .into_iter()
                        .map(|y| {
                            let mask = match y {
                                Some(y) => years.equal(y),
                                None => years.is_null(),
                            };
                            df.filter(&mask).map(|part| (y, part))
                        })
                        .collect::<PolarsResult<_>>()
                        .map_err(&err)?
                }
            } else {
                vec![(None, df.clone())]
            };
            for (year, part) in parts {
                let key = (table.clone(), year);
                if !self.open.contains_key(&key) {
                    let file = self.create(table, year, partitioned, part.schema())?;
                    self.open.insert(key.clone(), file);
                }
                let open = self.open.get_mut(&key).expect("opened above");
                open.entry.rows += part.height() as u64;
                open.pending_rows += part.height();
                open.pending_bytes += part.estimated_size();
                open.pending.push(part);
                if open.pending_rows >= ROW_GROUP_ROWS {
                    open.flush()?;
                }
            }
        }
        while self.open.values().map(|o| o.pending_bytes).sum::<usize>() > PENDING_BYTES {
            let largest = self.open.values_mut().max_by_key(|o| o.pending_bytes).expect("pending rows");
            largest.flush()?;
        }
        Ok(())
    }

    fn create(&self, table: &str, year: Option<i32>, partitioned: bool, schema: &Schema) -> Result<OpenFile> {
        let folder = if partitioned { format!("{table}/{}", partition_dir(year)) } else { table.to_string() };
        let name = format!("part-{}-{:04}.parquet", self.stem, self.segment);
        let rel = format!("{folder}/{name}");
        let abs = self.dir.join(&folder);
        if std::fs::symlink_metadata(&abs).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Error::NotAWarehouse {
                path: abs,
                reason: "a symlink: xxgk writes only into folders of its own inside the warehouse".into(),
            });
        }
        std::fs::create_dir_all(&abs).map_err(|source| Error::Write { path: abs.clone(), source })?;
        self.journal.note(&format!("{rel}.tmp"))?;
        self.journal.note(&rel)?;
        let tmp = abs.join(format!("{name}.tmp"));
        let file = File::create(&tmp).map_err(|source| Error::Write { path: tmp.clone(), source })?;
        let writer =
            parquet_writer(file).batched(schema).map_err(|source| Error::Warehouse { path: tmp.clone(), source })?;
        Ok(OpenFile {
            entry: Entry { table: table.to_string(), path: rel, year, partitioned, rows: 0 },
            tmp,
            writer,
            pending: Vec::new(),
            pending_rows: 0,
            pending_bytes: 0,
        })
    }

    /// Writes `df` as the whole of `table` (an unpartitioned table derived from the rest, such
    /// as `versions`): at the next commit it replaces the table's files.
    pub fn replace(&mut self, table: &str, df: &DataFrame) -> Result<()> {
        let mut open = self.create(table, None, false, df.schema())?;
        let err = |source| Error::Warehouse { path: open.tmp.clone(), source };
        if df.height() > 0 {
            open.writer.write_batch(df).map_err(err)?;
        }
        open.writer.finish().map_err(|source| Error::Warehouse { path: open.tmp.clone(), source })?;
        open.entry.rows = df.height() as u64;
        self.replacing.push((open.entry, open.tmp));
        Ok(())
    }

    /// Records, at the next commit, that the corpus tables written with it cover every report
    /// committed so far ([`manifest::CorpusChecked`]).
    pub fn corpus_checked(&mut self) {
        debug_assert!(self.open.is_empty(), "the corpus tables are written after the reports are committed");
        self.manifest.corpus_checked = Some(manifest::CorpusChecked::now(self.manifest.rows("reports")));
    }

    /// Closes the open files and commits them (and the tables replaced): after this, readers see
    /// everything appended.
    pub fn commit(&mut self) -> Result<()> {
        if self.open.is_empty() && self.replacing.is_empty() {
            return Ok(());
        }
        let mut entries = Vec::new();
        for (_, mut open) in std::mem::take(&mut self.open) {
            open.flush()?;
            open.writer.finish().map_err(|source| Error::Warehouse { path: open.tmp.clone(), source })?;
            let path = self.dir.join(&open.entry.path);
            std::fs::rename(&open.tmp, &path).map_err(|source| Error::Write { path, source })?;
            entries.push(open.entry);
        }
        let mut replaced = Vec::new();
        for (entry, tmp) in std::mem::take(&mut self.replacing) {
            let path = self.dir.join(&entry.path);
            std::fs::rename(&tmp, &path).map_err(|source| Error::Write { path, source })?;
            let (old, kept): (Vec<Entry>, Vec<Entry>) =
                std::mem::take(&mut self.manifest.files).into_iter().partition(|e| e.table == entry.table);
            self.manifest.files = kept;
            replaced.extend(old);
            entries.push(entry);
        }
        self.manifest.files.extend(entries);
        self.swap_manifest(&replaced)
    }

    /// Saves the manifest (the commit) and deletes the files it no longer names (`gone`), which
    /// are journaled first, so a crash in between leaves them to the next writer's cleanup.
    fn swap_manifest(&mut self, gone: &[Entry]) -> Result<()> {
        for entry in gone {
            self.journal.note(&entry.path)?;
        }
        self.manifest.save(&self.dir, &self.journal)?;
        self.segment += 1;
        for entry in gone {
            let _ = std::fs::remove_file(self.dir.join(&entry.path));
        }
        self.journal.clear()
    }

    /// Merges each table partition's files into one file (row groups of about 128 Ki rows),
    /// one partition at a time, then swaps the manifest and deletes the merged files.
    pub fn compact(&mut self) -> Result<CompactSummary> {
        self.commit()?;
        let mut groups: BTreeMap<(String, bool, Option<i32>), Vec<Entry>> = BTreeMap::new();
        for entry in &self.manifest.files {
            groups.entry((entry.table.clone(), entry.partitioned, entry.year)).or_default().push(entry.clone());
        }
        let mut summary = CompactSummary { files_before: self.manifest.files.len(), ..Default::default() };
        let mut kept = Vec::new();
        let mut merged_away = Vec::new();
        for ((table, partitioned, year), entries) in groups {
            if entries.len() < 2 {
                kept.extend(entries);
                continue;
            }
            let mut out: Option<OpenFile> = None;
            for entry in &entries {
                let path = self.dir.join(&entry.path);
                let file = File::open(&path).map_err(|source| Error::Read { path: path.clone(), source })?;
                let df = ParquetReader::new(file)
                    .finish()
                    .map_err(|source| Error::Warehouse { path: path.clone(), source })?;
                if out.is_none() {
                    out = Some(self.create(&table, year, partitioned, df.schema())?);
                }
                let open = out.as_mut().expect("created above");
                open.entry.rows += df.height() as u64;
                for start in (0..df.height()).step_by(ROW_GROUP_ROWS) {
                    let chunk = df.slice(start as i64, ROW_GROUP_ROWS);
                    open.pending_rows += chunk.height();
                    open.pending.push(chunk);
                    if open.pending_rows >= ROW_GROUP_ROWS {
                        open.flush()?;
                    }
                }
            }
            let mut open = out.expect("at least two files");
            open.flush()?;
            open.writer.finish().map_err(|source| Error::Warehouse { path: open.tmp.clone(), source })?;
            let path = self.dir.join(&open.entry.path);
            std::fs::rename(&open.tmp, &path).map_err(|source| Error::Write { path, source })?;
            kept.push(open.entry);
            merged_away.extend(entries);
            summary.partitions_merged += 1;
        }
        self.manifest.files = kept;
        self.swap_manifest(&merged_away)?;
        summary.files_after = self.manifest.files.len();
        Ok(summary)
    }
}

/// What a compaction did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CompactSummary {
    pub files_before: usize,
    pub files_after: usize,
    pub partitions_merged: usize,
}

/// What a warehouse already holds, so a batch adds only what is new.
#[derive(Debug, Default)]
pub struct Known {
    /// Sha256 digests of the committed reports.
    pub shas: Digests,
    /// (path, reason) of the committed rejects.
    pub rejects: HashSet<(String, String)>,
}

/// A set of SHA-256 digests written as 64 hex digits, held as their 32 bytes: the set of a
/// 10⁶-report warehouse as `String`s (an allocation and a 64-byte hash each) was about a quarter
/// of appending one report to it. A digest that is not 64 hex digits (xxgk writes none) is kept
/// as text, so every digest a warehouse holds is found again.
#[derive(Debug, Default)]
pub struct Digests {
    bytes: HashSet<[u8; 32], foldhash::fast::FixedState>,
    text: HashSet<String>,
}

impl Digests {
    /// Whether `sha` is in the set.
    pub fn contains(&self, sha: &str) -> bool {
        match digest_bytes(sha) {
            Some(bytes) => self.bytes.contains(&bytes),
            None => self.text.contains(sha),
        }
    }

    /// Adds `sha`; false when it was in the set already.
    pub fn insert(&mut self, sha: &str) -> bool {
        match digest_bytes(sha) {
            Some(bytes) => self.bytes.insert(bytes),
            None => self.text.insert(sha.to_string()),
        }
    }

    fn reserve(&mut self, additional: usize) {
        self.bytes.reserve(additional);
    }
}

/// The 32 bytes of a digest written as 64 hex digits (either case); `None` for anything else.
fn digest_bytes(sha: &str) -> Option<[u8; 32]> {
    let hex = sha.as_bytes();
    if hex.len() != 64 {
        return None;
    }
    let nibble = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        *byte = nibble(pair[0])? << 4 | nibble(pair[1])?;
    }
    Some(out)
}

/// The digests and rejects the warehouse at `dir` holds.
pub fn known(dir: &Path, manifest: &Manifest) -> Result<Known> {
    let err = wh_err(dir);
    let read = |table: &str, columns: &[&str]| -> Result<Vec<DataFrame>> {
        manifest
            .files(dir, table, None, None)
            .into_iter()
            .map(|path| {
                let file = File::open(&path).map_err(|source| Error::Read { path: path.clone(), source })?;
                ParquetReader::new(file)
                    .with_columns(Some(columns.iter().map(|c| c.to_string()).collect()))
                    .finish()
                    .map_err(|source| Error::Warehouse { path, source })
            })
            .collect()
    };
    let mut shas = Digests::default();
    for df in read("reports", &["sha256"])? {
        let column = df.column("sha256").map_err(&err)?.str().map_err(&err)?;
        shas.reserve(column.len());
        for sha in column.iter().flatten() {
            shas.insert(sha);
        }
    }
    let mut rejects = HashSet::new();
    for df in read("rejects", &["source_path", "reason"])? {
        let paths = df.column("source_path").map_err(&err)?.str().map_err(&err)?.clone();
        let reasons = df.column("reason").map_err(&err)?.str().map_err(&err)?.clone();
        for (p, r) in paths.iter().zip(reasons.iter()) {
            rejects.insert((p.unwrap_or_default().to_string(), r.unwrap_or_default().to_string()));
        }
    }
    Ok(Known { shas, rejects })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_find_again_what_they_hold_and_nothing_else() {
        let sha = crate::ingest::sha256_hex(b"report");
        let mut set = Digests::default();
        assert!(!set.contains(&sha));
        assert!(set.insert(&sha));
        assert!(!set.insert(&sha), "a digest held is not new");
        assert!(set.contains(&sha) && set.contains(&sha.to_uppercase()), "the same bytes in either case");
        assert!(!set.contains(&crate::ingest::sha256_hex(b"another report")));
        assert_eq!(digest_bytes(&sha).map(|b| b.iter().map(|x| format!("{x:02x}")).collect::<String>()), Some(sha));
        for odd in [String::new(), "abc".into(), "g".repeat(64), "a".repeat(63)] {
            assert_eq!(digest_bytes(&odd), None, "{odd:?}");
            assert!(set.insert(&odd) && set.contains(&odd) && !set.insert(&odd), "{odd:?} is kept as text");
        }
    }
}
