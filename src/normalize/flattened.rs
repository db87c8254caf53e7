//! Reading a table that lost its cell boundaries (a crawler collapsed the page to one line of
//! text): the pieces every such reader needs, whatever the era.
//!
//! - [`values`]: the value tokens printed after a label (`425 1516`, `/ /`, or one run of digits
//!   with no separator, `20263542`), with the numbering of the next row (`2.`) taken off the end
//!   when it is glued on (`179533042.政府公报公开` → `17953304`, next row 2).
//! - [`split_run`]: every way a run of digits can be the printed values of `parts` cells.
//! - [`search`]: the assignments of candidate readings to cells that satisfy a set of
//!   constraints (the table's identities). A reader accepts a reading only when exactly one
//!   assignment gives it; otherwise the cell stays unreadable with a finding that says why.
//!
//! Nothing here knows a label: the caller supplies rows, candidates and constraints.

use std::sync::LazyLock;

use regex::Regex;

use super::number::fold_width;

static TOKEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d+(?:\.\d+)?|[/—–-]").expect("value token pattern"));

/// The value tokens of one flattened row.
#[derive(Debug, Clone, PartialEq)]
pub struct Values {
    /// Tokens as printed (width folded): digit runs, decimals, `/`, `—`.
    pub tokens: Vec<String>,
    /// Whether the tokens were separated by white space (a caller that knows of white space
    /// before the segment adds it).
    pub spaced: bool,
}

/// Reads the value segment of a row. `glued_numbering`: the next row's number when the segment
/// is followed by numbering punctuation (`2.`, `3、`); it must end the segment (the last token, or
/// the last digits of a run) and is taken off. `None` when the segment does not end with it.
pub fn values(segment: &str, glued_numbering: Option<u32>) -> Option<Values> {
    let folded = fold_width(segment);
    let mut text = folded.trim_end().to_string();
    if let Some(n) = glued_numbering {
        let digits = n.to_string();
        text = text.strip_suffix(&digits)?.to_string();
    }
    let tokens: Vec<String> = TOKEN.find_iter(&text).map(|m| m.as_str().to_string()).collect();
    let spaced = text.trim().contains(char::is_whitespace);
    Some(Values { tokens, spaced })
}

/// Every way to read the digit run `run` as `parts` numbers printed side by side: each part
/// non-empty and without a leading zero (a lone `0` is a number). `07` → `[[0, 7]]`;
/// `20263542` → 7 splits, of which `2|0263542` is not one (leading zero).
pub fn split_run(run: &str, parts: usize) -> Vec<Vec<u64>> {
    let digits: Vec<char> = run.chars().collect();
    if parts == 0 || digits.len() < parts || digits.iter().any(|c| !c.is_ascii_digit()) {
        return vec![];
    }
    if parts == 1 {
        return valid_part(&digits).map(|v| vec![vec![v]]).unwrap_or_default();
    }
    let mut out = Vec::new();
    for cut in 1..=digits.len() - (parts - 1) {
        let Some(head) = valid_part(&digits[..cut]) else { continue };
        let rest: String = digits[cut..].iter().collect();
        for mut tail in split_run(&rest, parts - 1) {
            tail.insert(0, head);
            out.push(tail);
        }
    }
    out
}

fn valid_part(digits: &[char]) -> Option<u64> {
    if digits.is_empty() || (digits.len() > 1 && digits[0] == '0') || digits.len() > 15 {
        return None;
    }
    digits.iter().collect::<String>().parse().ok()
}

/// A group of consecutive cells of a row. When `summed`, its last cell is the sum of the others
/// (a row's 总计, a block's 总计): a reading that splits a digit run so that a printed total
/// differs from its parts is no reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    pub cells: usize,
    pub summed: bool,
}

/// The readings of one row found by [`fill`].
#[derive(Debug, Clone, PartialEq)]
pub enum Fill {
    /// Every reading (the text of each cell, in order).
    Readings(Vec<Vec<String>>),
    /// More ways to try than the budget allows.
    TooMany,
}

/// Every way the value tokens of a row fill the cells of `blocks`, in order. A token is one cell,
/// except that, when `split`, a run of digits may be several cells printed with no separator
/// (each part without a leading zero, [`split_run`]); then a summed block whose total is
/// printed must add up. Without `split` the tokens map one to one when their count is the
/// number of cells (a printed total that differs is the report's own inconsistency, left to the
/// identity checks). `budget` bounds the steps of the search.
pub fn fill(tokens: &[String], blocks: &[Block], split: bool, budget: u64) -> Fill {
    let cells: usize = blocks.iter().map(|b| b.cells).sum();
    let splittable = |t: &str| split && !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    // The most cells the tokens from i on can fill.
    let mut capacity = vec![0usize; tokens.len() + 1];
    for i in (0..tokens.len()).rev() {
        capacity[i] = capacity[i + 1] + if splittable(&tokens[i]) { tokens[i].len() } else { 1 };
    }
    let mut filler = Filler { tokens, blocks, cells, split, capacity, steps: 0, budget, found: Vec::new() };
    match filler.walk(0, 0, &mut Vec::new()) {
        Ok(()) => Fill::Readings(filler.found),
        Err(TooMany) => Fill::TooMany,
    }
}

struct TooMany;

struct Filler<'a> {
    tokens: &'a [String],
    blocks: &'a [Block],
    cells: usize,
    split: bool,
    capacity: Vec<usize>,
    steps: u64,
    budget: u64,
    found: Vec<Vec<String>>,
}

impl Filler<'_> {
    /// Fills the next cell from token `i`, byte `offset` on.
    fn walk(&mut self, i: usize, offset: usize, row: &mut Vec<String>) -> Result<(), TooMany> {
        self.steps += 1;
        if self.steps > self.budget {
            return Err(TooMany);
        }
        let n = row.len();
        if n == self.cells {
            if i == self.tokens.len() {
                self.found.push(row.clone());
            }
            return Ok(());
        }
        if i == self.tokens.len() {
            return Ok(());
        }
        let token = &self.tokens[i][offset..];
        let run = self.split && token.bytes().all(|b| b.is_ascii_digit());
        let left = self.cells - n;
        let room = self.capacity[i + 1] + if run { token.len() } else { 1 };
        if left > room || left < self.tokens.len() - i {
            return Ok(());
        }
        let lengths: Vec<usize> = if !run {
            vec![token.len()]
        } else if let Some(total) = self.total_due(row) {
            let digits = total.to_string();
            if token.starts_with(&digits) { vec![digits.len()] } else { vec![] }
        } else if token.starts_with('0') {
            vec![1]
        } else {
            (1..=token.len()).collect()
        };
        for len in lengths {
            row.push(token[..len].to_string());
            let next = if len == token.len() { (i + 1, 0) } else { (i, offset + len) };
            let result = self.walk(next.0, next.1, row);
            row.pop();
            result?;
        }
        Ok(())
    }

    /// When the next cell closes a summed block of a split reading: the sum of its parts, which
    /// the total must print (`None` when nothing is due: not a total, or every part blank).
    fn total_due(&self, row: &[String]) -> Option<u64> {
        if !self.split {
            return None;
        }
        let mut start = 0;
        for block in self.blocks {
            let end = start + block.cells;
            if row.len() + 1 == end && block.summed {
                let parts: Vec<u64> = row[start..].iter().filter_map(|c| c.parse().ok()).collect();
                return (!parts.is_empty()).then(|| parts.iter().sum());
            }
            if row.len() < end {
                return None;
            }
            start = end;
        }
        None
    }
}

/// The outcome of a [`search`].
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    /// Satisfying assignments (index of the chosen candidate per slot), at most the limit given.
    pub found: Vec<Vec<usize>>,
    /// Whether the search stopped before trying every assignment (too many).
    pub gave_up: bool,
}

/// Tries every assignment of candidates to slots (`sizes[i]` candidates for slot `i`) and keeps
/// those `ok` accepts, up to `keep`; gives up past `budget` assignments.
pub fn search(sizes: &[usize], keep: usize, budget: u64, ok: impl Fn(&[usize]) -> bool) -> Search {
    let total: u64 = sizes.iter().map(|&s| s as u64).product();
    if total > budget {
        return Search { found: vec![], gave_up: true };
    }
    let mut found = Vec::new();
    if sizes.contains(&0) {
        return Search { found, gave_up: false };
    }
    let mut choice = vec![0usize; sizes.len()];
    loop {
        if ok(&choice) {
            found.push(choice.clone());
            if found.len() >= keep {
                return Search { found, gave_up: false };
            }
        }
        let mut i = 0;
        loop {
            if i == sizes.len() {
                return Search { found, gave_up: false };
            }
            choice[i] += 1;
            if choice[i] < sizes[i] {
                break;
            }
            choice[i] = 0;
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_glued_next_row_number_off_a_digit_run() {
        let v = values("179533042", Some(2)).unwrap();
        assert_eq!(v.tokens, ["17953304"]);
        assert!(!v.spaced);
        let v = values(" 418 1509 2", Some(2)).unwrap();
        assert_eq!(v.tokens, ["418", "1509"]);
        assert!(v.spaced);
        assert_eq!(values("18183", Some(2)), None);
        assert_eq!(values("／ ／", None).unwrap().tokens, ["/", "/"]);
        assert_eq!(values("２９４９８１９１６", None).unwrap().tokens, ["294981916"]);
    }

    #[test]
    fn splits_digit_runs_without_leading_zeros() {
        assert_eq!(split_run("07", 2), vec![vec![0, 7]]);
        assert_eq!(split_run("00", 2), vec![vec![0, 0]]);
        assert_eq!(split_run("20263542", 2).len(), 6);
        assert!(!split_run("20263542", 2).contains(&vec![2, 263542]));
        assert_eq!(split_run("7", 2), Vec::<Vec<u64>>::new());
        assert_eq!(split_run("1795", 1), vec![vec![1795]]);
        assert_eq!(split_run("012", 3), vec![vec![0, 1, 2]]);
    }

    fn run(tokens: &[&str], blocks: &[Block], split: bool) -> Vec<Vec<String>> {
        let tokens: Vec<String> = tokens.iter().map(|t| t.to_string()).collect();
        match fill(&tokens, blocks, split, 100_000) {
            Fill::Readings(r) => r,
            Fill::TooMany => panic!("too many"),
        }
    }

    #[test]
    fn fills_a_row_from_digit_runs_where_its_total_adds_up() {
        let row = [Block { cells: 7, summed: true }];
        assert_eq!(
            run(&["852350031891"], &row, true),
            vec![["852", "3", "5", "0", "0", "31", "891"], ["852", "35", "0", "0", "3", "1", "891"]]
        );
        assert_eq!(run(&["5000005"], &row, true), vec![["5", "0", "0", "0", "0", "0", "5"]]);
        assert!(run(&["5000006"], &row, true).is_empty());
        assert_eq!(run(&["12", "/", "/", "00012"], &row, true), vec![["12", "/", "/", "0", "0", "0", "12"]]);
        let spaced = run(&["1", "2", "3", "4", "5", "6", "7"], &row, false);
        assert_eq!(spaced.len(), 1, "one to one without a split, the total unchecked");
        assert!(run(&["1", "2", "3"], &row, false).is_empty());
        let appeals = [Block { cells: 5, summed: true }; 3];
        let r = run(&["147610372101410001"], &appeals, true);
        assert!(r.contains(
            &["14", "7", "6", "10", "37", "2", "1", "0", "1", "4", "1", "0", "0", "0", "1"].map(String::from).to_vec()
        ));
        let tokens = vec!["1".repeat(40)];
        assert_eq!(fill(&tokens, &[Block { cells: 20, summed: false }], true, 1000), Fill::TooMany);
    }

    #[test]
    fn search_keeps_only_satisfying_assignments() {
        let a = [1u64, 2, 3];
        let b = [3u64, 2, 1];
        let s = search(&[3, 3], 10, 100, |c| a[c[0]] + b[c[1]] == 4);
        assert_eq!(s.found.len(), 3);
        let s = search(&[3, 3], 10, 100, |c| a[c[0]] == 3 && b[c[1]] == 1);
        assert_eq!(s.found, vec![vec![2, 2]]);
        assert!(search(&[1000, 1000], 10, 1000, |_| true).gave_up);
    }
}
