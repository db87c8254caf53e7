//! Value labels that never overlap: each label is tried at a few places around its point, in
//! order, and takes the first that stays inside the plot and clear of the labels already placed
//! and of the point markers; a label with no free place is dropped. Labels are placed in order
//! of importance (a line's last value first, then its first, its maximum, its minimum), so what
//! is dropped is the least needed.

/// A box in pixels: `x0..x1` × `y0..y1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

impl Rect {
    /// Whether the two boxes share any area (touching edges do not).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }

    fn inside(&self, outer: &Rect) -> bool {
        self.x0 >= outer.x0 && self.x1 <= outer.x1 && self.y0 >= outer.y0 && self.y1 <= outer.y1
    }
}

/// Where a label may go relative to its anchor point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Around {
    /// Beside a line's point: above right, below right, above left, below left, above.
    Point,
    /// Above a bar's top, centred, or nowhere.
    BarTop,
}

/// A label to place: its anchor in pixels, its size in pixels, and its rank (lower first).
#[derive(Debug, Clone)]
pub struct Candidate {
    pub anchor: (i32, i32),
    pub size: (i32, i32),
    pub rank: (i32, usize),
    pub around: Around,
}

/// The box of each candidate, or `None` when it found no free place inside `bounds` clear of
/// `obstacles` and of the boxes placed before it.
pub fn place(candidates: &[Candidate], bounds: Rect, obstacles: &[Rect], gap: i32) -> Vec<Option<Rect>> {
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by_key(|&i| candidates[i].rank);
    let mut placed: Vec<Option<Rect>> = vec![None; candidates.len()];
    let mut taken: Vec<Rect> = Vec::new();
    for i in order {
        let c = &candidates[i];
        let (ax, ay) = c.anchor;
        let (w, h) = c.size;
        let at = |x0: i32, y0: i32| Rect { x0, y0, x1: x0 + w, y1: y0 + h };
        let tries: Vec<Rect> = match c.around {
            Around::Point => vec![
                at(ax + gap, ay - gap - h),
                at(ax + gap, ay + gap),
                at(ax - gap - w, ay - gap - h),
                at(ax - gap - w, ay + gap),
                at(ax - w / 2, ay - 2 * gap - h),
                at(ax - w / 2, ay + 2 * gap),
            ],
            Around::BarTop => vec![at(ax - w / 2, ay - gap / 2 - h)],
        };
        let free = tries.into_iter().find(|r| {
            r.inside(&bounds) && !obstacles.iter().any(|o| o.overlaps(r)) && !taken.iter().any(|t| t.overlaps(r))
        });
        if let Some(r) = free {
            taken.push(r);
            placed[i] = Some(r);
        }
    }
    placed
}

/// The indices of a line's points that get a label: its last, first, highest and lowest value
/// (each once), with their rank within the line.
pub fn line_points(values: &[(f64, f64)]) -> Vec<(usize, i32)> {
    if values.is_empty() {
        return Vec::new();
    }
    let last = values.len() - 1;
    let max = (0..values.len()).max_by(|&a, &b| values[a].1.total_cmp(&values[b].1)).expect("not empty");
    let min = (0..values.len()).min_by(|&a, &b| values[a].1.total_cmp(&values[b].1)).expect("not empty");
    let mut out: Vec<(usize, i32)> = Vec::new();
    for (rank, i) in [last, 0, max, min].into_iter().enumerate() {
        if !out.iter().any(|(j, _)| *j == i) {
            out.push((i, rank as i32));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_or_moves_labels_that_would_overlap() {
        let bounds = Rect { x0: 0, y0: 0, x1: 400, y1: 300 };
        let label = |x, y, k| Candidate { anchor: (x, y), size: (60, 16), rank: (0, k), around: Around::Point };
        // Five labels on nearly the same point: some move, the rest are dropped, none overlap.
        let cands: Vec<Candidate> = (0..8).map(|k| label(200, 150 + k as i32, k)).collect();
        let placed = place(&cands, bounds, &[], 6);
        let boxes: Vec<Rect> = placed.iter().flatten().copied().collect();
        assert!(boxes.len() >= 4 && boxes.len() < 8, "{boxes:?}");
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
        }
        // A label whose every place leaves the plot is dropped.
        assert_eq!(place(&[label(5, 5, 0)], Rect { x0: 0, y0: 0, x1: 40, y1: 20 }, &[], 6), vec![None]);
    }

    #[test]
    fn labels_a_line_at_its_ends_and_extremes() {
        let line = [(0.0, 0.5), (1.0, 0.9), (2.0, 0.1), (3.0, 0.6), (4.0, 0.7)];
        assert_eq!(line_points(&line), vec![(4, 0), (0, 1), (1, 2), (2, 3)]);
        assert_eq!(line_points(&[(0.0, 1.0)]), vec![(0, 0)]);
    }
}
