//! Confined ad hoc SQL: a statement sees only the warehouse's tables and views. It must be one
//! query (SELECT or WITH); table functions that read files or URLs (`read_csv`, `read_parquet`,
//! …) are refused; its size, its time and its result have limits. Checked on the tokens first
//! (no recursion, so a 20,000-term expression is refused instead of overflowing a stack), then
//! on the statement parsed with `sqlparser`, the parser Polars SQL itself uses.

use std::ops::ControlFlow;

use sqlparser::ast::{Statement, TableFactor, Visit, Visitor};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer};

/// What an ad hoc statement may cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SqlLimits {
    /// Operators and logical connectives in the statement (`--max-terms`).
    pub max_terms: usize,
    /// Nesting of parentheses (`--max-terms` too: a deep nest is a large expression).
    pub max_depth: usize,
    /// Rows of the result (`--max-rows`).
    pub max_rows: usize,
    /// Seconds the query may run (`--timeout`).
    pub seconds: f64,
}

impl Default for SqlLimits {
    fn default() -> SqlLimits {
        SqlLimits { max_terms: 1000, max_depth: 64, max_rows: 1_000_000, seconds: 60.0 }
    }
}

struct NoTableFunctions;

impl Visitor for NoTableFunctions {
    type Break = String;

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<String> {
        match factor {
            TableFactor::Table { name, args: Some(_), .. } => ControlFlow::Break(format!(
                "{name}(…) is a table function, which reads files or URLs: only the warehouse's tables and views can be queried (xxgk sql --help lists them)"
            )),
            TableFactor::TableFunction { .. } | TableFactor::Function { .. } => ControlFlow::Break(
                "table functions read files or URLs: only the warehouse's tables and views can be queried".into(),
            ),
            _ => ControlFlow::Continue(()),
        }
    }
}

/// Checks an ad hoc statement (templates already expanded) against the confinement rules.
pub fn check(sql: &str, limits: &SqlLimits) -> Result<(), String> {
    let dialect = GenericDialect {};
    let tokens = Tokenizer::new(&dialect, sql).tokenize().map_err(|e| e.to_string())?;
    let (mut terms, mut depth, mut deepest) = (0usize, 0usize, 0usize);
    for token in &tokens {
        match token {
            Token::LParen => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            Token::RParen => depth = depth.saturating_sub(1),
            Token::Plus
            | Token::Minus
            | Token::Mul
            | Token::Div
            | Token::Mod
            | Token::StringConcat
            | Token::Eq
            | Token::Neq
            | Token::Lt
            | Token::Gt
            | Token::LtEq
            | Token::GtEq
            | Token::Ampersand
            | Token::Pipe
            | Token::Caret => terms += 1,
            Token::Word(w) if matches!(w.value.to_ascii_uppercase().as_str(), "AND" | "OR" | "WHEN") => terms += 1,
            _ => {}
        }
    }
    if terms > limits.max_terms {
        return Err(format!(
            "the statement has {terms} operators, over the limit of {} (--max-terms): split it, or raise the limit",
            limits.max_terms
        ));
    }
    if deepest > limits.max_depth {
        return Err(format!(
            "the statement nests parentheses {deepest} deep, over the limit of {} (--max-terms)",
            limits.max_depth
        ));
    }
    let statements =
        Parser::new(&dialect).try_with_sql(sql).and_then(|mut p| p.parse_statements()).map_err(|e| e.to_string())?;
    let [statement] = statements.as_slice() else {
        return Err(format!("give one statement, not {}", statements.len()));
    };
    if !matches!(statement, Statement::Query(_)) {
        return Err("only a query (SELECT or WITH … SELECT) can run: the warehouse is read-only to SQL".into());
    }
    match statement.visit(&mut NoTableFunctions) {
        ControlFlow::Break(reason) => Err(reason),
        ControlFlow::Continue(()) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_file_readers_other_statements_and_huge_expressions() {
        let limits = SqlLimits::default();
        assert!(check("SELECT year, COUNT(*) FROM reports GROUP BY year", &limits).is_ok());
        for sql in [
            "SELECT * FROM read_csv('/etc/hostname')",
            "SELECT * FROM reports JOIN read_parquet('x.parquet') p ON true",
            "WITH x AS (SELECT * FROM read_json('https://example.com/a.json')) SELECT * FROM x",
        ] {
            assert!(check(sql, &limits).unwrap_err().contains("table function"), "{sql}");
        }
        assert!(check("CREATE TABLE t AS SELECT * FROM reports", &limits).unwrap_err().contains("only a query"));
        assert!(check("DROP TABLE reports", &limits).unwrap_err().contains("only a query"));
        assert!(check("SELECT 1; SELECT 2", &limits).unwrap_err().contains("one statement"));
        let huge = format!("SELECT {} AS x FROM reports", vec!["1"; 20_000].join(" + "));
        assert!(check(&huge, &limits).unwrap_err().contains("--max-terms"));
        let deep = format!("SELECT {}1{} AS x", "(".repeat(500), ")".repeat(500));
        assert!(check(&deep, &limits).unwrap_err().contains("nests parentheses"));
    }
}
