//! Columns of a relation as rows: one row per row of the relation and key, by one cross join
//! with the list of keys. A `UNION ALL` of one select per key put a copy of the relation's plan in
//! every branch, and planning the copies cost more than running the query on small warehouses.

/// `SELECT s.KEEP…, m.KEY, CASE WHEN m.KEY = 'K' THEN s.COLUMN … END AS OUT … FROM REL s CROSS
/// JOIN (VALUES ('K'), …) AS m(KEY)`: for each output, `columns[i]` is the column of `rel` it
/// takes for `keys[i]`.
pub fn unpivot(rel: &str, keep: &[&str], key: &str, keys: &[&str], outputs: &[(&str, Vec<String>)]) -> String {
    let mut select: Vec<String> = keep.iter().map(|c| format!("s.{c}")).collect();
    select.push(format!("m.{key}"));
    for (name, columns) in outputs {
        let whens: Vec<String> =
            keys.iter().zip(columns).map(|(k, c)| format!("WHEN m.{key} = '{k}' THEN s.{c}")).collect();
        select.push(format!("CASE {} END AS {name}", whens.join(" ")));
    }
    let values: Vec<String> = keys.iter().map(|k| format!("('{k}')")).collect();
    format!("SELECT {}\nFROM {rel} s\nCROSS JOIN (VALUES {}) AS m({key})", select.join(", "), values.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_takes_its_own_columns() {
        let sql = unpivot("t", &["year"], "what", &["a", "b"], &[("n", vec!["n_a".into(), "n_b".into()])]);
        assert_eq!(
            sql,
            "SELECT s.year, m.what, CASE WHEN m.what = 'a' THEN s.n_a WHEN m.what = 'b' THEN s.n_b END AS n\n\
             FROM t s\nCROSS JOIN (VALUES ('a'), ('b')) AS m(what)"
        );
    }
}
