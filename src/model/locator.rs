//! Where a fact was read, as data: the line of the text read, the place in the user's file that
//! line came from (a cell of an HTML or Word table, of a sheet, a line of a PDF page) and how the
//! cell was placed. The warehouse stores these parts as columns; [`Locator::describe`] is the
//! one rendering of them as text (`table 3, row 6, column 10 (text line 40)`), which the query
//! layer rebuilds with the same words (`store::facts`, tested against this one).

use std::sync::Arc;

/// The place in the user's file a line of the text read came from. Rows, columns, pages and
/// lines are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FilePlace {
    /// The text read is the user's own file (text, Markdown): its line is the place.
    #[default]
    Text,
    /// Row `row` of the `table`-th table of an HTML page or Word document; `column` of its grid.
    Table { table: u32, row: u32, column: Option<u32> },
    /// Row `row` of sheet `sheet`; `column` 1 = A.
    Sheet { sheet: Arc<str>, row: u32, column: Option<u32> },
    /// Line `line` of page `page` of a PDF; `cell` of that line.
    Page { page: u32, line: u32, cell: Option<u32> },
}

/// How a cell was placed in the canonical table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Placement {
    /// By its row label (or its place in a fixed grid).
    #[default]
    Label,
    /// By the printed order of the rows, the label being unknown.
    Position,
    /// A number printed outside any row, placed where it alone fits.
    Detached,
    /// Read from a table that lost its cell boundaries (a crawler export that printed it as
    /// running text): placed by the official row and column order and the table's identities.
    Recovered,
}

impl Placement {
    pub const ALL: [Placement; 4] = [Placement::Label, Placement::Position, Placement::Detached, Placement::Recovered];

    pub fn id(self) -> &'static str {
        match self {
            Placement::Label => "label",
            Placement::Position => "position",
            Placement::Detached => "detached",
            Placement::Recovered => "recovered",
        }
    }

    /// What the locator text adds after `line N`.
    pub fn suffix(self) -> &'static str {
        match self {
            Placement::Label => "",
            Placement::Position => ", row by position",
            Placement::Detached => ", detached value",
            Placement::Recovered => ", recovered from flattened text",
        }
    }
}

/// Where one fact was read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Locator {
    pub place: FilePlace,
    pub placed: Placement,
}

impl Locator {
    /// The locator as text, for the fact read from line `line` of the text:
    /// `line 40`, `line 40, row by position`, `table 3, row 6, column 10 (text line 40)`,
    /// `sheet 表1, cell D38 (text line 12)`, `page 1, line 37, cell 2 (text line 40)`.
    pub fn describe(&self, line: usize) -> String {
        let text = format!("line {line}{}", self.placed.suffix());
        match self.place.describe() {
            Some(place) => format!("{place} (text {text})"),
            None => text,
        }
    }
}

impl FilePlace {
    /// The place in the user's terms; `None` for a text file's own line.
    pub fn describe(&self) -> Option<String> {
        Some(match self {
            FilePlace::Text => return None,
            FilePlace::Table { table, row, column: Some(c) } => format!("table {table}, row {row}, column {c}"),
            FilePlace::Table { table, row, column: None } => format!("table {table}, row {row}"),
            FilePlace::Sheet { sheet, row, column: Some(c) } => {
                format!("sheet {sheet}, cell {}{row}", column_letters(*c as usize))
            }
            FilePlace::Sheet { sheet, row, column: None } => format!("sheet {sheet}, row {row}"),
            FilePlace::Page { page, line, cell: Some(c) } => format!("page {page}, line {line}, cell {c}"),
            FilePlace::Page { page, line, cell: None } => format!("page {page}, line {line}"),
        })
    }
}

/// Spreadsheet column letters of 1-based column `n` (1 → A, 27 → AA).
pub fn column_letters(mut n: usize) -> String {
    let mut out = Vec::new();
    while n > 0 {
        let d = (n - 1) % 26;
        out.push(b'A' + d as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_every_kind_of_place() {
        let at = |place, placed| Locator { place, placed };
        assert_eq!(at(FilePlace::Text, Placement::Label).describe(40), "line 40");
        assert_eq!(at(FilePlace::Text, Placement::Position).describe(7), "line 7, row by position");
        assert_eq!(
            at(FilePlace::Table { table: 3, row: 6, column: Some(10) }, Placement::Label).describe(40),
            "table 3, row 6, column 10 (text line 40)"
        );
        assert_eq!(
            at(FilePlace::Sheet { sheet: "表1".into(), row: 38, column: Some(4) }, Placement::Detached).describe(12),
            "sheet 表1, cell D38 (text line 12, detached value)"
        );
        assert_eq!(
            at(FilePlace::Page { page: 1, line: 37, cell: None }, Placement::Label).describe(40),
            "page 1, line 37 (text line 40)"
        );
        assert_eq!(at(FilePlace::Text, Placement::Recovered).describe(3), "line 3, recovered from flattened text");
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(703), "AAA");
    }
}
