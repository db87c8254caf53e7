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
