//! The canonical schema of `docs/SCHEMA.md`: eras, tables, row/column/cell ids, the
//! Chinese labels and their variants (held as data in [`labels`]), the leaf/derived structure of
//! section 三 and the finding record every later stage emits.

pub mod derived;
pub mod era;
pub mod finding;
pub mod kinds;
pub mod labels;
pub mod legacy;
pub mod locator;
pub mod rules;
pub mod schema;

pub use era::Era;
pub use finding::{CorpusFinding, Finding, Severity, Superseded};
pub use kinds::{BlankKind, Level, Table};
pub use locator::{FilePlace, Locator, Placement, column_letters};
pub use rules::{RULES, Rule, Stage};
pub use schema::*;

/// Version of the reading rules, stored with every report so a warehouse says what made it.
pub const PARSER_VERSION: &str = concat!("xxgk ", env!("CARGO_PKG_VERSION"), "/rules-1");
