//! Order statistics of the n(n − 1)/2 pairwise slopes without listing them.
//!
//! A slope (y_j − y_i)/(t_j − t_i) with t_i < t_j is below s exactly when
//! u_j < u_i for u = y − s·t, so the number of slopes below s is an inversion count of u in
//! time order (merge sort, O(n log n)). The slopes in (lo, hi] are the pairs whose order by
//! u(lo) and by u(hi) disagree: a uniform sample of them is drawn with a Fenwick tree, and
//! they are listed by merge sort once few remain. Each round narrows (lo, hi] around the
//! wanted rank by the sample's quantiles (Dillencourt, Mount & Netanyahu 1992; Matoušek 1991).

use super::pairs;

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator, so results are
/// reproducible.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix64(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..bound (bound > 0).
    fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(bound)) >> 64) as u64
    }
}

/// Ordering key of a point at threshold s: u = y − s·t, with the limits s → ∓∞ (order by
/// time, or by reversed time) for open bounds.
fn key(s: f64, t: f64, y: f64) -> f64 {
    if s == f64::NEG_INFINITY {
        t
    } else if s == f64::INFINITY {
        -t
    } else {
        y - s * t
    }
}

/// Numbers of slopes strictly below and at most `s` (finite).
fn count(t: &[f64], y: &[f64], s: f64, scratch: &mut Vec<f64>, buf: &mut Vec<f64>) -> (u64, u64) {
    scratch.clear();
    scratch.extend(t.iter().zip(y).map(|(&ti, &yi)| key(s, ti, yi)));
    let below = pairs::sort_count_inversions(scratch, buf);
    (below, below + pairs::ties(scratch).pairs)
}

fn slope(t: &[f64], y: &[f64], a: usize, b: usize) -> f64 {
    let (i, j) = if t[a] < t[b] { (a, b) } else { (b, a) };
    (y[j] - y[i]) / (t[j] - t[i])
}

/// Points ordered by u(lo) (ties by u(hi)), and for each position the rank of its u(hi)
/// (ties: earlier position ranks higher). A pair of positions p < q holds a slope in
/// (lo, hi] exactly when rank[p] > rank[q].
struct Between {
    seq: Vec<u32>,
    rank: Vec<u32>,
    pos_of_rank: Vec<u32>,
}

fn between(t: &[f64], y: &[f64], lo: f64, hi: f64) -> Between {
    let n = t.len();
    let mut items: Vec<(f64, f64, u32)> = (0..n)
        .map(|i| (key(lo, t[i], y[i]), key(hi, t[i], y[i]), i as u32))
        .collect();
    items.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let seq: Vec<u32> = items.iter().map(|x| x.2).collect();
    let mut by_hi: Vec<(f64, u32)> = items
        .iter()
        .enumerate()
        .map(|(p, x)| (x.1, p as u32))
        .collect();
    by_hi.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut rank = vec![0u32; n];
    let pos_of_rank: Vec<u32> = by_hi.iter().map(|x| x.1).collect();
    for (r, &p) in pos_of_rank.iter().enumerate() {
        rank[p as usize] = r as u32;
    }
    Between {
        seq,
        rank,
        pos_of_rank,
    }
}

/// Fenwick tree of inserted ranks.
struct Fenwick(Vec<u32>);

impl Fenwick {
    fn new(n: usize) -> Self {
        Fenwick(vec![0; n + 1])
    }
    fn insert(&mut self, r: usize) {
        let mut i = r + 1;
        while i < self.0.len() {
            self.0[i] += 1;
            i += i & i.wrapping_neg();
        }
    }
    /// Number of inserted ranks below `r`.
    fn below(&self, r: usize) -> u64 {
        let mut i = r;
        let mut c = 0u64;
        while i > 0 {
            c += u64::from(self.0[i]);
            i -= i & i.wrapping_neg();
        }
        c
    }
    /// The inserted rank with `k` inserted ranks below it (0-based order statistic).
    fn kth(&self, k: u64) -> usize {
        let n = self.0.len() - 1;
        let mut pos = 0usize;
        let mut rem = k + 1;
        let mut step = n.next_power_of_two();
        while step > 0 {
            let next = pos + step;
            if next <= n && u64::from(self.0[next]) < rem {
                pos = next;
                rem -= u64::from(self.0[next]);
            }
            step /= 2;
        }
        pos
    }
}

/// About `m` slopes drawn uniformly (with replacement) from those in (lo, hi].
fn sample_between(t: &[f64], y: &[f64], lo: f64, hi: f64, m: usize, rng: &mut SplitMix64) -> Vec<f64> {
    let n = t.len();
    let b = between(t, y, lo, hi);
    let mut fen = Fenwick::new(n);
    let mut total = 0u64;
    for (q, &r) in b.rank.iter().enumerate() {
        total += q as u64 - fen.below(r as usize);
        fen.insert(r as usize);
    }
    if total == 0 {
        return Vec::new();
    }
    let mut targets: Vec<u64> = (0..m).map(|_| rng.below(total)).collect();
    targets.sort_unstable();
    let mut out = Vec::with_capacity(m);
    let mut fen = Fenwick::new(n);
    let mut next = 0usize;
    let mut cum = 0u64;
    for (q, &r) in b.rank.iter().enumerate() {
        let below = fen.below(r as usize);
        let w = q as u64 - below;
        while next < targets.len() && targets[next] < cum + w {
            let local = targets[next] - cum;
            let p = b.pos_of_rank[fen.kth(below + local)] as usize;
            out.push(slope(t, y, b.seq[p] as usize, b.seq[q] as usize));
            next += 1;
        }
        cum += w;
        fen.insert(r as usize);
    }
    out
}

/// Every slope in (lo, hi], listed by merge sort over the ranks.
fn list_between(t: &[f64], y: &[f64], lo: f64, hi: f64, capacity: usize) -> Vec<f64> {
    let b = between(t, y, lo, hi);
    let n = t.len();
    let mut out = Vec::with_capacity(capacity);
    let mut cur: Vec<u32> = (0..n as u32).collect();
    let mut next = vec![0u32; n];
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (left, right) = (&cur[start..mid], &cur[mid..end]);
            let (mut i, mut j, mut k) = (0, 0, start);
            while i < left.len() && j < right.len() {
                let (pl, pr) = (left[i] as usize, right[j] as usize);
                if b.rank[pr] < b.rank[pl] {
                    for &pa in &left[i..] {
                        out.push(slope(t, y, b.seq[pa as usize] as usize, b.seq[pr] as usize));
                    }
                    next[k] = right[j];
                    j += 1;
                } else {
                    next[k] = left[i];
                    i += 1;
                }
                k += 1;
            }
            for &v in left[i..].iter().chain(&right[j..]) {
                next[k] = v;
                k += 1;
            }
            start = end;
        }
        std::mem::swap(&mut cur, &mut next);
        width *= 2;
    }
    out
}

/// The slope of 1-based rank `k` (1 ≤ k ≤ N) among all pairwise slopes of (t, y), t
/// strictly increasing.
pub(crate) fn select_rank(t: &[f64], y: &[f64], k: u64, rng: &mut SplitMix64) -> f64 {
    let n = t.len();
    let total = (n as u64) * (n as u64).saturating_sub(1) / 2;
    let k = k.clamp(1, total.max(1));
    let (mut lo, mut hi) = (f64::NEG_INFINITY, f64::INFINITY);
    let (mut c_lo, mut c_hi) = (0u64, total);
    let limit = (4 * n as u64).max(1 << 16);
    let mut m = n.max(1024);
    let (mut scratch, mut buf) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..64 {
        let d = c_hi - c_lo;
        if d <= limit {
            break;
        }
        let mut sample = sample_between(t, y, lo, hi, m, rng);
        if sample.is_empty() {
            break;
        }
        sample.sort_unstable_by(f64::total_cmp);
        let len = sample.len() as f64;
        let pos = (k - c_lo) as f64 / d as f64 * len;
        let spread = 2.0 * len.sqrt() + 1.0;
        let candidates = [pos - spread, pos + spread].map(|x| {
            if x < 0.0 || x >= len {
                None
            } else {
                sample.get(x as usize).copied()
            }
        });
        for s in candidates.into_iter().flatten() {
            if !(s.is_finite() && s > lo && s < hi) {
                continue;
            }
            let (below, at_most) = count(t, y, s, &mut scratch, &mut buf);
            if below < k && k <= at_most {
                return s;
            }
            if at_most < k {
                lo = s;
                c_lo = at_most;
            } else {
                hi = s;
                c_hi = at_most;
            }
        }
        if c_hi - c_lo > d / 2 {
            m = m.saturating_mul(2);
        }
    }
    let mut listed = list_between(t, y, lo, hi, (c_hi - c_lo) as usize);
    if listed.is_empty() {
        return if hi.is_finite() { hi } else { lo };
    }
    let index = ((k - c_lo).saturating_sub(1) as usize).min(listed.len() - 1);
    let (_, v, _) = listed.select_nth_unstable_by(index, f64::total_cmp);
    *v
}
