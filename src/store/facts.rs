//! The `facts` table, lean: ids as codes, provenance as parts.
//!
//! - `table`, `row_id`, `col_id`, `blank_kind` and `placed` are enums (a Parquet dictionary of the
//!   ids of [`crate::model`]: DuckDB and pandas read strings, polars an enum).
//! - `raw` is null where the cell text is the canonical rendering of its value
//!   ([`crate::model::canonical_raw`]); `label_raw` where it is the row's display label
//!   ([`crate::model::canonical_label`]).
//! - The locator is stored as its parts: `page`, `table_no`, `sheet`, `row_no`, `column_no` (the
//!   place in the user's file) beside `line` (of the text read) and `placed`.
//!
//! [`as_text`] gives the table back with every text in full (`raw`, `label_raw`, `locator`) as
//! [`crate::model::Locator::describe`] writes it; the SQL context and `xxgk explain` read facts
//! through it, and a test keeps the two renderings equal.

use std::collections::HashMap;
use std::sync::LazyLock;

use polars::prelude::*;

use crate::model::{self, BlankKind, FilePlace, Finding, Placement, Table};
use crate::normalize::{Fact, Report};

/// One id column: its ids, their codes, and the polars dtype (a categorical of 32-bit codes;
/// Parquet stores it as a dictionary of the ids).
struct Vocabulary {
    codes: HashMap<&'static str, u32, foldhash::fast::FixedState>,
    /// Codes in the order of the ids given.
    ordered: Vec<u32>,
    dtype: DataType,
}

impl Vocabulary {
    fn new(name: &str, ids: Vec<&'static str>) -> Vocabulary {
        let cats = Categories::new(format!("xxgk.facts.{name}").into(), "xxgk".into(), CategoricalPhysical::U32);
        let mapping = cats.mapping();
        let codes = ids.iter().map(|id| (*id, mapping.insert_cat(id).expect("a few ids fit 32-bit codes"))).collect();
        let ordered = ids.iter().map(|id| mapping.get_cat(id).expect("just inserted")).collect();
        Vocabulary { codes, ordered, dtype: DataType::from_categories(cats) }
    }

    /// The code of the `i`-th id the vocabulary was made from (for enums listed in `ALL` order).
    fn code_at(&self, i: usize) -> u32 {
        self.ordered[i]
    }

    fn code(&self, id: &str, column: &str) -> PolarsResult<u32> {
        self.codes.get(id).copied().ok_or_else(
            || polars_err!(ComputeError: "'{id}' is not an id of the facts column {column} (the vocabulary of src/model)"),
        )
    }

    /// The categorical column of `codes`.
    fn column(&self, name: &str, codes: Vec<u32>) -> PolarsResult<Column> {
        let codes = Series::new(name.into(), codes);
        Ok(Series::from_cats_and_dtype(&codes, &self.dtype, true)?.into_column())
    }

    /// `f(id)` of the ids of column `c` (read as text), looked up by this vocabulary's codes.
    fn lookup(&self, c: &str, f: impl Fn(&str) -> String) -> Expr {
        let size = self.codes.values().max().map_or(0, |m| *m as usize + 1);
        let mut texts = vec![String::new(); size];
        for (id, code) in &self.codes {
            texts[*code as usize] = f(id);
        }
        let codes = col(c).cast(DataType::String).cast(self.dtype.clone()).to_physical();
        lit(Series::new(c.into(), texts)).gather(codes, true)
    }
}

struct Vocabularies {
    table: Vocabulary,
    row: Vocabulary,
    col: Vocabulary,
    blank: Vocabulary,
    placed: Vocabulary,
    /// The canonical label of each row code.
    labels: Vec<&'static str>,
}

static VOCABULARIES: LazyLock<Vocabularies> = LazyLock::new(|| {
    let rows = model::fact_row_ids();
    let row = Vocabulary::new("row_id", rows.clone());
    let mut labels = vec![""; row.codes.values().max().map_or(0, |m| *m as usize + 1)];
    for id in rows {
        labels[row.codes[id] as usize] = model::canonical_label(id);
    }
    Vocabularies {
        table: Vocabulary::new("table", Table::ALL.iter().map(|t| t.id()).collect()),
        row,
        col: Vocabulary::new("col_id", model::fact_col_ids()),
        blank: Vocabulary::new("blank_kind", BlankKind::ALL.iter().map(|b| b.id()).collect()),
        placed: Vocabulary::new("placed", Placement::ALL.iter().map(|p| p.id()).collect()),
        labels,
    }
});

/// The codes of one vocabulary's ids as one batch meets them, remembered by the id's address: a
/// fact's row and column ids are `&'static str`s of the model's tables, so the few distinct
/// addresses of a batch are hashed as two words instead of hashing and comparing the text of each
/// of its 10⁵ ids (1% of an ingest's instructions). An id met at a new address (an equal text
/// elsewhere) is looked up by its text, so codes never depend on where an id lives.
struct Memo<'v> {
    vocabulary: &'v Vocabulary,
    column: &'static str,
    seen: HashMap<(usize, usize), u32, foldhash::fast::FixedState>,
}

impl<'v> Memo<'v> {
    fn new(vocabulary: &'v Vocabulary, column: &'static str) -> Memo<'v> {
        Memo { vocabulary, column, seen: HashMap::default() }
    }

    fn code(&mut self, id: &'static str) -> PolarsResult<u32> {
        let at = (id.as_ptr() as usize, id.len());
        if let Some(code) = self.seen.get(&at) {
            return Ok(*code);
        }
        let code = self.vocabulary.code(id, self.column)?;
        self.seen.insert(at, code);
        Ok(code)
    }
}

/// Parts of a place in the user's file: page, table_no, sheet, row_no, column_no.
type PlaceParts<'a> = (Option<i32>, Option<i32>, Option<&'a str>, Option<i32>, Option<i32>);

fn parts(place: &FilePlace) -> PlaceParts<'_> {
    let n = |v: u32| Some(i32::try_from(v).unwrap_or(i32::MAX));
    let o = |v: Option<u32>| v.and_then(n);
    match place {
        FilePlace::Text => (None, None, None, None, None),
        FilePlace::Table { table, row, column } => (None, n(*table), None, n(*row), o(*column)),
        FilePlace::Sheet { sheet, row, column } => (None, None, Some(sheet), n(*row), o(*column)),
        FilePlace::Page { page, line, cell } => (n(*page), None, None, n(*line), o(*cell)),
    }
}

/// Where `x` is in `all` (every variant is listed there).
fn position<T: PartialEq>(all: &[T], x: &T) -> usize {
    all.iter().position(|a| a == x).expect("every variant is in ALL")
}

/// The `facts` frame of a batch of reports.
pub fn frame(fresh: &[&(Report, Vec<Finding>)]) -> PolarsResult<DataFrame> {
    let v = &*VOCABULARIES;
    let facts: Vec<(&Report, &Fact)> = fresh.iter().flat_map(|(r, _)| r.facts.iter().map(move |f| (r, f))).collect();
    let n = facts.len();
    let (mut table, mut row, mut col, mut blank, mut placed) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let (mut raw, mut label) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut page, mut table_no, mut sheet, mut row_no, mut column_no) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let (mut row_codes, mut col_codes) = (Memo::new(&v.row, "row_id"), Memo::new(&v.col, "col_id"));
    for (_, f) in &facts {
        table.push(v.table.code_at(position(&Table::ALL, &f.table)));
        let r = row_codes.code(f.row)?;
        row.push(r);
        col.push(col_codes.code(f.col)?);
        blank.push(v.blank.code_at(position(&BlankKind::ALL, &f.blank_kind)));
        placed.push(v.placed.code_at(position(&Placement::ALL, &f.at.placed)));
        raw.push((!model::is_canonical_raw(&f.raw, f.value, f.blank_kind)).then_some(f.raw.as_str()));
        label.push((*f.label_raw != *v.labels[r as usize]).then_some(&*f.label_raw));
        let (p, t, s, rn, c) = parts(&f.at.place);
        page.push(p);
        table_no.push(t);
        sheet.push(s);
        row_no.push(rn);
        column_no.push(c);
    }
    let plain = |name: &str, s: Series| -> Column { s.with_name(name.into()).into_column() };
    DataFrame::new_infer_height(vec![
        plain("report_id", report_ids(fresh)?),
        plain("year", Series::new("".into(), facts.iter().map(|(r, _)| r.meta.year).collect::<Vec<Option<i32>>>())),
        v.table.column("table", table)?,
        v.row.column("row_id", row)?,
        v.col.column("col_id", col)?,
        plain("value", Series::new("".into(), facts.iter().map(|(_, f)| f.value).collect::<Vec<Option<f64>>>())),
        v.blank.column("blank_kind", blank)?,
        plain("raw", Series::new("".into(), raw)),
        plain("label_raw", Series::new("".into(), label)),
        plain(
            "unit",
            Series::new("".into(), facts.iter().map(|(_, f)| f.unit.as_deref()).collect::<Vec<Option<&str>>>()),
        ),
        plain("line", Series::new("".into(), facts.iter().map(|(_, f)| f.line as i32).collect::<Vec<i32>>())),
        plain("page", Series::new("".into(), page)),
        plain("table_no", Series::new("".into(), table_no)),
        plain("sheet", Series::new("".into(), sheet)),
        plain("row_no", Series::new("".into(), row_no)),
        plain("column_no", Series::new("".into(), column_no)),
        v.placed.column("placed", placed)?,
    ])
}

/// The `report_id` of every fact: one id per report, gathered to its facts, so the strings are
/// not copied once per fact (the gathered column shares the ids' buffer).
fn report_ids(fresh: &[&(Report, Vec<Finding>)]) -> PolarsResult<Series> {
    let ids = Series::new("".into(), fresh.iter().map(|(r, _)| r.report_id.as_str()).collect::<Vec<_>>());
    let at: Vec<IdxSize> =
        fresh.iter().enumerate().flat_map(|(i, (r, _))| std::iter::repeat_n(i as IdxSize, r.facts.len())).collect();
    ids.take(&IdxCa::from_vec("".into(), at))
}

/// Excel allows columns A … XFD.
const MAX_SHEET_COLUMN: usize = 16_384;

/// The facts with every text in full: the ids as strings, `raw` and `label_raw` with their
/// canonical texts put back, and `locator` as [`crate::model::Locator::describe`] writes it.
pub fn as_text(facts: LazyFrame) -> LazyFrame {
    let v = &*VOCABULARIES;
    let s = |c: &str| col(c).cast(DataType::String);
    let number = |c: &str| col(c).cast(DataType::String);
    let canonical_label = v.row.lookup("row_id", |id| model::canonical_label(id).to_string());
    let suffix = v
        .placed
        .lookup("placed", |id| Placement::ALL.iter().find(|p| p.id() == id).map_or("", |p| p.suffix()).to_string());
    let letters =
        lit(Series::new("letters".into(), (1..=MAX_SHEET_COLUMN).map(model::column_letters).collect::<Vec<_>>()));
    let text = concat_str([lit("line "), number("line"), suffix], "", false);
    let optional = |prefix: &str, c: &str| {
        when(col(c).is_null()).then(lit("")).otherwise(concat_str([lit(prefix.to_string()), number(c)], "", false))
    };
    let sheet_cell = when(col("column_no").is_null().or(col("column_no").gt(lit(MAX_SHEET_COLUMN as i32))))
        .then(concat_str([lit(", row "), number("row_no")], "", false))
        .otherwise(concat_str(
            [
                lit(", cell "),
                letters.gather((col("column_no") - lit(1)).cast(DataType::UInt32), true),
                number("row_no"),
            ],
            "",
            false,
        ));
    let place = when(col("table_no").is_not_null())
        .then(concat_str(
            [lit("table "), number("table_no"), lit(", row "), number("row_no"), optional(", column ", "column_no")],
            "",
            false,
        ))
        .when(col("sheet").is_not_null())
        .then(concat_str([lit("sheet "), col("sheet"), sheet_cell], "", false))
        .when(col("page").is_not_null())
        .then(concat_str(
            [lit("page "), number("page"), lit(", line "), number("row_no"), optional(", cell ", "column_no")],
            "",
            false,
        ))
        .otherwise(lit(NULL).cast(DataType::String));
    let locator = when(place.clone().is_null()).then(text.clone()).otherwise(concat_str(
        [place, lit(" (text "), text, lit(")")],
        "",
        false,
    ));
    let raw = when(col("raw").is_not_null())
        .then(col("raw"))
        .when(col("value").is_not_null())
        .then(col("value").cast(DataType::Int64).cast(DataType::String))
        .otherwise(lit(""));
    facts.with_columns([
        s("table").alias("table"),
        s("row_id").alias("row_id"),
        s("col_id").alias("col_id"),
        s("blank_kind").alias("blank_kind"),
        s("placed").alias("placed"),
        raw.alias("raw"),
        when(col("label_raw").is_not_null()).then(col("label_raw")).otherwise(canonical_label).alias("label_raw"),
        locator.alias("locator"),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Locator;

    fn fact(row: &'static str, col: &'static str, raw: &str, label: &str, place: FilePlace, placed: Placement) -> Fact {
        let cell = crate::normalize::number::parse_cell(raw);
        Fact {
            table: if col.is_empty() { Table::Appeals } else { Table::Requests },
            row,
            col,
            value: cell.value,
            blank_kind: cell.blank_kind,
            raw: raw.into(),
            label_raw: label.into(),
            unit: cell.unit,
            line: 40,
            at: Locator { place, placed },
        }
    }

    #[test]
    fn codes_remembered_by_address_are_the_codes_of_the_text() {
        let v = &*VOCABULARIES;
        let mut memo = Memo::new(&v.row, "row_id");
        // The same id at another address (a copy) and an id the vocabulary does not hold.
        let copy: &'static str = String::from("granted").leak();
        for id in ["granted", copy, "granted", copy, "carried_over"] {
            assert_eq!(memo.code(id).unwrap(), v.row.code(id, "row_id").unwrap(), "{id}");
        }
        assert!(memo.code(String::from("no_such_row").leak()).is_err());
    }

    #[test]
    fn the_full_texts_come_back_as_the_facts_had_them() {
        let facts = vec![
            fact("granted", "total", "12", "予以公开", FilePlace::Text, Placement::Label),
            fact("granted", "natural_person", " 1,234", "（三）予以公开", FilePlace::Text, Placement::Position),
            fact(
                "new_received",
                "total",
                "",
                "本年新收",
                FilePlace::Table { table: 3, row: 6, column: Some(10) },
                Placement::Label,
            ),
            fact(
                "carried_over",
                "total",
                "—",
                "",
                FilePlace::Table { table: 1, row: 2, column: None },
                Placement::Label,
            ),
            fact(
                "review_upheld",
                "",
                "0",
                "",
                FilePlace::Sheet { sheet: "表1".into(), row: 38, column: Some(4) },
                Placement::Detached,
            ),
            fact("review_other", "", "0", "", FilePlace::Text, Placement::Recovered),
            fact(
                "review_total",
                "",
                "3",
                "",
                FilePlace::Sheet { sheet: "S".into(), row: 2, column: Some(28) },
                Placement::Label,
            ),
            fact(
                "review_pending",
                "",
                "无",
                "",
                FilePlace::Sheet { sheet: "S".into(), row: 9, column: None },
                Placement::Label,
            ),
            fact(
                "granted",
                "total",
                "2.5",
                "x",
                FilePlace::Page { page: 1, line: 37, cell: Some(2) },
                Placement::Label,
            ),
            fact("granted", "other_org", "-3", "x", FilePlace::Page { page: 2, line: 5, cell: None }, Placement::Label),
        ];
        let report = Report::from_parts(
            "t.txt".into(),
            "txt",
            "0".repeat(64),
            Default::default(),
            crate::model::Era::Std2021,
            false,
            facts.clone(),
            vec![],
        );
        let batch = [(report, vec![])];
        let fresh: Vec<_> = batch.iter().collect();
        let stored = frame(&fresh).unwrap();
        // Canonical texts are left out: "12" for 12, "" for an empty cell, 予以公开 for granted.
        let raw = stored.column("raw").unwrap().str().unwrap().clone();
        assert_eq!(raw.get(0), None);
        assert_eq!(raw.get(1), Some(" 1,234"));
        assert_eq!(raw.get(2), None);
        assert_eq!(stored.column("label_raw").unwrap().str().unwrap().get(0), None);
        let full = as_text(stored.lazy()).collect().unwrap();
        let texts = |c: &str| -> Vec<String> {
            full.column(c).unwrap().str().unwrap().iter().map(|s| s.unwrap_or("<null>").to_string()).collect()
        };
        assert_eq!(texts("locator"), facts.iter().map(Fact::locator).collect::<Vec<_>>());
        assert_eq!(texts("raw"), facts.iter().map(|f| f.raw.clone()).collect::<Vec<_>>());
        assert_eq!(texts("label_raw"), facts.iter().map(|f| f.label_raw.to_string()).collect::<Vec<_>>());
        assert_eq!(texts("row_id"), facts.iter().map(|f| f.row.to_string()).collect::<Vec<_>>());
        assert_eq!(texts("blank_kind"), facts.iter().map(|f| f.blank_kind.id().to_string()).collect::<Vec<_>>());
    }

    #[test]
    fn every_id_of_the_model_has_a_code() {
        let v = &*VOCABULARIES;
        for r in model::REQUEST_ROWS {
            assert!(v.row.code(r.id, "row_id").is_ok(), "{}", r.id);
        }
        assert!(v.row.code("no_such_row", "row_id").is_err());
    }
}
