//! Dialects: where DuckDB's and Spark's SQL differ from the Polars SQL of the query files, in one
//! place. A statement is rewritten on the tree `sqlparser` parses (the parser Polars SQL uses)
//! and printed again; string literals and column types are spelled here too.

use std::ops::ControlFlow;

use polars::prelude::DataType;
use sqlparser::ast::{
    CastKind, DataType as SqlType, ExactNumberInfo, Expr, Function, FunctionArgumentClause, FunctionArguments,
    ObjectNamePart, OrderByExpr, OrderByKind, Query, Value, VisitMut, VisitorMut, WindowType,
};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;

use crate::error::{Error, Result};

/// The engines a query can be emitted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Dialect {
    /// DuckDB (`duckdb < FILE`).
    #[value(name = "duckdb")]
    DuckDb,
    /// Spark SQL (`spark-sql -f FILE`).
    Spark,
}

/// Functions of Polars SQL that a dialect spells differently (same arguments, same result).
const RENAMED: &[(Dialect, &str, &str)] = &[
    // Both interpolate linearly between the closest ranks.
    (Dialect::Spark, "QUANTILE_CONT", "PERCENTILE"),
];

/// One Polars SQL statement in `dialect`. Both: every ORDER BY says where NULLs go, as Polars
/// puts them (last ascending, first descending), and a decimal literal (`1.0`) is a DOUBLE, as in
/// Polars (DuckDB and Spark read it as DECIMAL). Spark: the functions of [`RENAMED`], `VARCHAR` as
/// `STRING`, a distinct string aggregate ordered by its value as [`distinct_string_agg`] writes it,
/// and any other aggregate's own ORDER BY (`STRING_AGG(x, ',' ORDER BY x)`) as `WITHIN GROUP
/// (ORDER BY x)`.
pub fn translate(sql: &str, dialect: Dialect) -> std::result::Result<String, String> {
    let mut statements = Parser::new(&GenericDialect {})
        .try_with_sql(sql)
        .and_then(|mut p| p.parse_statements())
        .map_err(|e| e.to_string())?;
    let [statement] = statements.as_mut_slice() else {
        return Err(format!("one statement expected, found {}", statements.len()));
    };
    let _ = statement.visit(&mut Rewrite { dialect });
    Ok(format!("{statement:#}"))
}

struct Rewrite {
    dialect: Dialect,
}

/// Nulls where Polars sorts them: after every value ascending, before every value descending.
fn polars_nulls(order: &mut [OrderByExpr]) {
    for o in order {
        if o.options.nulls_first.is_none() {
            o.options.nulls_first = Some(o.options.asc == Some(false));
        }
    }
}

impl VisitorMut for Rewrite {
    type Break = ();

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        if let Some(order) = &mut query.order_by
            && let OrderByKind::Expressions(exprs) = &mut order.kind
        {
            polars_nulls(exprs);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Expr::Function(f) = expr {
            if self.dialect == Dialect::Spark
                && let Some(set) = distinct_string_agg(f)
            {
                *expr = set;
            }
            if let Expr::Function(f) = expr {
                self.function(f);
            }
        }
        ControlFlow::Continue(())
    }

    // After the children, so that the literal inside the new CAST is not visited again.
    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Expr::Cast { data_type, .. } = expr
            && self.dialect == Dialect::Spark
            && *data_type == SqlType::Varchar(None)
        {
            // Spark's VARCHAR needs a length; its unbounded text type is STRING.
            *data_type = SqlType::String(None);
        }
        if let Expr::Value(v) = expr
            && let Value::Number(n, _) = &v.value
            && n.contains(['.', 'e', 'E'])
        {
            *expr = Expr::Cast {
                kind: CastKind::Cast,
                expr: Box::new(expr.clone()),
                data_type: SqlType::Double(ExactNumberInfo::None),
                array: false,
                format: None,
            };
        }
        ControlFlow::Continue(())
    }
}

impl Rewrite {
    fn function(&self, f: &mut Function) {
        if let Some(WindowType::WindowSpec(spec)) = &mut f.over {
            polars_nulls(&mut spec.order_by);
        }
        polars_nulls(&mut f.within_group);
        if let FunctionArguments::List(list) = &mut f.args {
            for clause in &mut list.clauses {
                if let FunctionArgumentClause::OrderBy(order) = clause {
                    polars_nulls(order);
                }
            }
            if self.dialect == Dialect::Spark {
                let (order, rest): (Vec<_>, Vec<_>) =
                    list.clauses.drain(..).partition(|c| matches!(c, FunctionArgumentClause::OrderBy(_)));
                list.clauses = rest;
                for clause in order {
                    if let FunctionArgumentClause::OrderBy(order) = clause {
                        f.within_group.extend(order);
                    }
                }
            }
        }
        if let Some(ObjectNamePart::Identifier(ident)) = f.name.0.last_mut()
            && let Some((_, _, to)) =
                RENAMED.iter().find(|(d, from, _)| *d == self.dialect && ident.value.eq_ignore_ascii_case(from))
        {
            ident.value = to.to_string();
        }
    }
}

/// `STRING_AGG(DISTINCT x, sep ORDER BY x)` as Spark writes it: the distinct values, sorted, joined
/// (`array_join(array_sort(collect_set(x)), sep)`; nulls are left out by both). Spark 4.3's own
/// `string_agg(DISTINCT x, sep) WITHIN GROUP (ORDER BY x)` failed with a ClassCastException on a
/// query with two of them (`agencies`). `None` for any other function.
fn distinct_string_agg(f: &Function) -> Option<Expr> {
    use sqlparser::ast::{DuplicateTreatment, FunctionArg, FunctionArgExpr};
    let FunctionArguments::List(list) = &f.args else { return None };
    let name = f.name.0.last().map(|p| p.to_string()).unwrap_or_default();
    if !name.eq_ignore_ascii_case("STRING_AGG") || list.duplicate_treatment != Some(DuplicateTreatment::Distinct) {
        return None;
    }
    let [FunctionArg::Unnamed(FunctionArgExpr::Expr(value)), FunctionArg::Unnamed(FunctionArgExpr::Expr(sep))] =
        list.args.as_slice()
    else {
        return None;
    };
    let ordered_by_itself = list.clauses.iter().all(|c| match c {
        FunctionArgumentClause::OrderBy(order) => {
            order.iter().all(|o| o.expr == *value && o.options.asc != Some(false))
        }
        _ => false,
    });
    if !ordered_by_itself {
        return None;
    }
    Parser::new(&GenericDialect {})
        .try_with_sql(&format!("array_join(array_sort(collect_set({value})), {sep})"))
        .and_then(|mut p| p.parse_expr())
        .ok()
}

/// A string literal: Spark reads backslash escapes inside quotes, DuckDB does not.
pub fn literal(dialect: Dialect, text: &str) -> String {
    match dialect {
        Dialect::DuckDb => format!("'{}'", text.replace('\'', "''")),
        Dialect::Spark => format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'")),
    }
}

pub fn sql_type(dialect: Dialect, dtype: &DataType) -> Result<&'static str> {
    Ok(match (dtype, dialect) {
        (DataType::String, Dialect::DuckDb) => "VARCHAR",
        (DataType::String, Dialect::Spark) => "STRING",
        (DataType::Int32, _) => "INT",
        (DataType::Int64, _) => "BIGINT",
        (DataType::Float64, _) => "DOUBLE",
        (DataType::Boolean, _) => "BOOLEAN",
        (DataType::Date, _) => "DATE",
        (DataType::Datetime(..), _) => "TIMESTAMP",
        (other, _) => {
            return Err(Error::Internal(format!("no SQL type for a column of type {other} in the emitted views")));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_what_each_dialect_spells_differently() {
        let sql = "SELECT STRING_AGG(DISTINCT a, ',' ORDER BY a) AS s, QUANTILE_CONT(x, 0.25) AS q, 1.0 - y AS z \
                   FROM t WHERE \"table\" = 'a' ORDER BY z DESC, s";
        let spark = translate(sql, Dialect::Spark).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(spark.contains("array_join(array_sort(collect_set(a)), ',') AS s"), "{spark}");
        let ordered = translate("SELECT STRING_AGG(a, ',' ORDER BY b) FROM t", Dialect::Spark).unwrap();
        assert!(ordered.contains("STRING_AGG(a, ',') WITHIN GROUP (ORDER BY b NULLS LAST)"), "{ordered}");
        assert!(spark.contains("PERCENTILE(x, CAST(0.25 AS DOUBLE))"), "{spark}");
        assert!(spark.contains("CAST(1.0 AS DOUBLE) - y"), "{spark}");
        let cast = translate("SELECT CAST(year AS VARCHAR) FROM t", Dialect::Spark).unwrap();
        assert!(cast.contains("CAST(year AS STRING)"), "{cast}");
        assert!(spark.contains("ORDER BY z DESC NULLS FIRST, s NULLS LAST"), "{spark}");
        let duckdb = translate(sql, Dialect::DuckDb).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(duckdb.contains("STRING_AGG(DISTINCT a, ',' ORDER BY a NULLS LAST)"), "{duckdb}");
        assert!(duckdb.contains("QUANTILE_CONT(x, CAST(0.25 AS DOUBLE))"), "{duckdb}");
        assert!(duckdb.contains("\"table\" = 'a'"), "{duckdb}");
    }
}
