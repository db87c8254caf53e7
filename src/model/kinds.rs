//! What a cell held, as printed: the `blank_kind` of every fact (SCHEMA.md, format-spec §6).

use std::fmt;

/// What a cell held: a number, or which kind of blank (a blank is never a zero: format-spec §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlankKind {
    /// A number other than 0.
    Number,
    /// A printed 0.
    ExplicitZero,
    /// Nothing printed (or 空).
    Empty,
    /// A dash (—, -, －, –).
    Dash,
    /// A slash (/, ／): not applicable.
    Slash,
    /// 无.
    Wu,
    /// n/a.
    Na,
    /// Something that is not a number and not a blank marker (`约50`, `1 3612`).
    Unreadable,
}

impl BlankKind {
    /// The id SCHEMA.md gives it, stored in the warehouse's `blank_kind` column.
    pub const fn id(self) -> &'static str {
        match self {
            BlankKind::Number => "number",
            BlankKind::ExplicitZero => "explicit_zero",
            BlankKind::Empty => "empty",
            BlankKind::Dash => "dash",
            BlankKind::Slash => "slash",
            BlankKind::Wu => "wu",
            BlankKind::Na => "na",
            BlankKind::Unreadable => "unreadable",
        }
    }

    /// The kind of a read value: a printed 0 or another number.
    pub fn of_value(value: f64) -> BlankKind {
        if value == 0.0 { BlankKind::ExplicitZero } else { BlankKind::Number }
    }
}

impl fmt::Display for BlankKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The three tables of a report (SCHEMA.md): section 二, 三 and 四.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    /// Section 二, 主动公开政府信息情况.
    Proactive,
    /// Section 三, 收到和处理政府信息公开申请情况.
    Requests,
    /// Section 四, 政府信息公开行政复议、行政诉讼情况.
    Appeals,
}

impl Table {
    pub const ALL: [Table; 3] = [Table::Proactive, Table::Requests, Table::Appeals];

    /// The id SCHEMA.md gives it: the `table` column of `facts` and the first part of a cell id.
    pub const fn id(self) -> &'static str {
        match self {
            Table::Proactive => "proactive",
            Table::Requests => "requests",
            Table::Appeals => "appeals",
        }
    }

    /// The table with this id.
    pub fn from_id(id: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.id() == id)
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
