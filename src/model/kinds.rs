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
    pub const ALL: [BlankKind; 8] = [
        BlankKind::Number,
        BlankKind::ExplicitZero,
        BlankKind::Empty,
        BlankKind::Dash,
        BlankKind::Slash,
        BlankKind::Wu,
        BlankKind::Na,
        BlankKind::Unreadable,
    ];

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

/// The administrative level of an agency (SCHEMA.md `level`): central, province, prefecture,
/// county, township. A department of a government has its government's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    Central,
    Province,
    Prefecture,
    County,
    Township,
}

impl Level {
    /// Every level, from the top down.
    pub const ALL: [Level; 5] = [Level::Central, Level::Province, Level::Prefecture, Level::County, Level::Township];

    /// The id SCHEMA.md gives it, stored in the warehouse's `level` column.
    pub const fn id(self) -> &'static str {
        match self {
            Level::Central => "central",
            Level::Province => "province",
            Level::Prefecture => "prefecture",
            Level::County => "county",
            Level::Township => "township",
        }
    }

    /// Its Chinese name, as tables and charts show it.
    pub const fn zh(self) -> &'static str {
        match self {
            Level::Central => "中央",
            Level::Province => "省级",
            Level::Prefecture => "市级",
            Level::County => "县级",
            Level::Township => "乡镇",
        }
    }

    /// Other words an analyst may type for it.
    const fn words(self) -> &'static [&'static str] {
        match self {
            Level::Central => &["中央级", "国家", "国家级", "部委"],
            Level::Province => &["省", "省份", "自治区", "直辖市"],
            Level::Prefecture => &["市", "地级", "地市", "地市级", "设区的市"],
            Level::County => &["县", "区县", "县区", "县市区"],
            Level::Township => &["乡镇级", "乡", "镇", "街道", "乡镇街道"],
        }
    }

    /// The level `text` names: an id (any case), a Chinese name or another of its words.
    pub fn parse(text: &str) -> Option<Level> {
        let text = text.trim();
        Level::ALL
            .into_iter()
            .find(|l| l.id().eq_ignore_ascii_case(text) || l.zh() == text || l.words().contains(&text))
    }

    /// The valid levels as a help line: `central (中央), province (省级), …`.
    pub fn help() -> String {
        Level::ALL.iter().map(|l| format!("{} ({})", l.id(), l.zh())).collect::<Vec<_>>().join(", ")
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl std::str::FromStr for Level {
    type Err = String;

    fn from_str(text: &str) -> Result<Level, String> {
        Level::parse(text).ok_or_else(|| format!("'{text}' is not a level; use one of {}", Level::help()))
    }
}
