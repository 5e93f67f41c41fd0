//! Order statistics of the n(n − 1)/2 pairwise slopes without listing them all.
//!
//! A slope `(y_j − y_i)/(t_j − t_i)` with `t_i < t_j` is below s exactly when `u_j < u_i` for
//! u = y − s·t, so the number of slopes below s is an inversion count of u in time order
//! (merge sort, O(n log n)). The slopes in a window (lo, hi] are the pairs whose order by
//! u(lo) and by u(hi) disagree; sorting by u(lo) and then insertion-sorting by u(hi) lists
//! them in O(n log n + their number). A seeded random sample of slopes gives the first
//! window around each wanted rank; counts at the window's ends, refined by interpolation,
//! shrink it until few enough slopes remain to list (after Dillencourt, Mount & Netanyahu
//! 1992 and Matoušek 1991: O(n log n) expected time, O(n) memory).

use super::pairs;

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

fn slope(t: &[f64], y: &[f64], a: usize, b: usize) -> f64 {
    let (i, j) = if t[a] < t[b] { (a, b) } else { (b, a) };
    (y[j] - y[i]) / (t[j] - t[i])
}

/// Reusable buffers and the data.
struct Selector<'a> {
    t: &'a [f64],
    y: &'a [f64],
    total: u64,
    scratch: Vec<f64>,
    buf: Vec<f64>,
    sample: Vec<f64>,
}

impl Selector<'_> {
    /// Numbers of slopes strictly below and at most `s` (finite).
    fn count(&mut self, s: f64) -> (u64, u64) {
        self.scratch.clear();
        self.scratch
            .extend(self.t.iter().zip(self.y).map(|(&ti, &yi)| key(s, ti, yi)));
        let below = pairs::sort_count_inversions(&mut self.scratch, &mut self.buf);
        (below, below + pairs::ties(&self.scratch).pairs)
    }

    /// Every slope in (lo, hi]: sort by u(lo) (ties by u(hi)), then insertion-sort by u(hi);
    /// each element passed over is one slope of the window. `None` past `cap` slopes.
    fn list(&self, lo: f64, hi: f64, cap: u64) -> Option<Vec<f64>> {
        let (t, y) = (self.t, self.y);
        let mut by_lo: Vec<(f64, u32)> = (0..t.len())
            .map(|i| (key(lo, t[i], y[i]), i as u32))
            .collect();
        by_lo.sort_unstable_by(|a, b| {
            a.0.total_cmp(&b.0).then_with(|| {
                let (i, j) = (a.1 as usize, b.1 as usize);
                key(hi, t[i], y[i]).total_cmp(&key(hi, t[j], y[j]))
            })
        });
        let mut items: Vec<(f64, u32)> = by_lo
            .iter()
            .map(|&(_, i)| (key(hi, t[i as usize], y[i as usize]), i))
            .collect();
        drop(by_lo);
        let mut out = Vec::new();
        for q in 1..items.len() {
            let x = items[q];
            let mut j = q;
            while j > 0 && items[j - 1].0 >= x.0 {
                out.push(slope(t, y, items[j - 1].1 as usize, x.1 as usize));
                items[j] = items[j - 1];
                j -= 1;
            }
            items[j] = x;
            if out.len() as u64 > cap {
                return None;
            }
        }
        Some(out)
    }

    /// The slopes of 1-based ranks k and (if `next`) k + 1.
    ///
    /// Keeps a window (lo, hi] holding ranks `c_lo + 1..=c_hi` around k..=k2 and shrinks it one
    /// count at a time: each count aims just outside the wanted ranks on the side with the
    /// larger gap, placed by the secant through the two latest counts (at first by the sample's
    /// density), with a safety margin proportional to the step.
    fn select(&mut self, k: u64, next: bool) -> (f64, Option<f64>) {
        let n = self.t.len() as u64;
        let k2 = if next { k + 1 } else { k };
        let total = self.total as f64;
        let (mut lo, mut hi) = (f64::NEG_INFINITY, f64::INFINITY);
        let (mut c_lo, mut c_hi) = (0u64, self.total);
        let limit = (2 * n).max(1 << 12);
        let m = self.sample.len();
        let mf = m as f64;
        // the sample's estimate of rank k and of the local density (ranks per unit slope)
        let pos = (k as f64 / total * mf).min(mf - 1.0);
        let h = mf.sqrt().max(8.0);
        let (i1, i2) = ((pos - h).max(0.0) as usize, ((pos + h) as usize).min(m - 1));
        let width = self.sample[i2] - self.sample[i1];
        let sample_density = (i2 - i1) as f64 / mf * total / width;
        let mut last: Option<(f64, f64)> = None; // latest count (slope, rank)
        let mut prev: Option<(f64, f64)> = None;
        for _ in 0..60 {
            if c_hi - c_lo <= limit {
                break;
            }
            let low_side = if !lo.is_finite() {
                true
            } else if !hi.is_finite() {
                false
            } else {
                k - c_lo >= c_hi - k2
            };
            let secant = matches!((last, prev), (Some((s1, r1)), Some((s0, r0))) if (r1 - r0).abs() > 0.0 && (s1 - s0).abs() > 0.0);
            let slack = if secant { 0.02 } else { 0.1 };
            let quarter = limit as f64 / 4.0;
            let aim = |r1: f64| {
                if low_side {
                    let base = k as f64;
                    base - quarter.max(slack * (base - r1).abs())
                } else {
                    let base = k2 as f64;
                    base + quarter.max(slack * (base - r1).abs())
                }
            };
            let mut s = match (last, prev) {
                (Some((s1, r1)), Some((s0, r0))) if secant => {
                    s1 + (aim(r1) - r1) * (s1 - s0) / (r1 - r0)
                }
                (Some((s1, r1)), _) if sample_density.is_finite() && sample_density > 0.0 => {
                    s1 + (aim(r1) - r1) / sample_density
                }
                _ => self.sample[pos as usize],
            };
            if !(s.is_finite() && s > lo && s < hi) {
                s = if lo.is_finite() && hi.is_finite() {
                    lo + (hi - lo) / 2.0
                } else if lo.is_finite() {
                    self.sample[m - 1].max(lo + lo.abs().max(1.0))
                } else if hi.is_finite() {
                    self.sample[0].min(hi - hi.abs().max(1.0))
                } else {
                    0.0
                };
                if !(s.is_finite() && s > lo && s < hi) {
                    break;
                }
            }
            let (below, at_most) = self.count(s);
            if below < k && k <= at_most {
                // rank k is a run of slopes equal to s
                if k2 <= at_most {
                    return (s, next.then_some(s));
                }
                let (v, _) = self.finish(k2, false, s, at_most, hi);
                return (s, Some(v));
            }
            if at_most < k {
                lo = s;
                c_lo = at_most;
            } else if k2 <= at_most {
                hi = s;
                c_hi = at_most;
            } else {
                // rank k below s, rank k2 = k + 1 at s: find k under s
                let (v, _) = self.finish(k, false, lo, c_lo, s);
                return (v, Some(s));
            }
            prev = last;
            last = Some((s, at_most as f64));
        }
        self.finish(k, next, lo, c_lo, hi)
    }

    fn finish(&mut self, k: u64, next: bool, lo: f64, c_lo: u64, hi: f64) -> (f64, Option<f64>) {
        let mut listed = self.list(lo, hi, u64::MAX).unwrap_or_default();
        if listed.is_empty() {
            let v = if hi.is_finite() { hi } else { lo };
            return (v, next.then_some(v));
        }
        let last = listed.len() - 1;
        let index = ((k - c_lo).saturating_sub(1) as usize).min(last);
        let (_, v, above) = listed.select_nth_unstable_by(index, f64::total_cmp);
        let v = *v;
        let w = if next {
            Some(above.iter().copied().min_by(f64::total_cmp).unwrap_or(v))
        } else {
            None
        };
        (v, w)
    }
}

/// The slopes at the given 1-based ranks (each with the next rank when its flag is set),
/// among all pairwise slopes of (t, y), t strictly increasing, n ≥ 2. Deterministic: the
/// sampling is seeded from n.
pub(crate) fn select_ranks(t: &[f64], y: &[f64], ranks: &[(u64, bool)]) -> Vec<(f64, Option<f64>)> {
    let n = t.len();
    let total = (n as u64) * (n as u64).saturating_sub(1) / 2;
    let mut rng = crate::stats::SplitMix64::new(n as u64 ^ 0x9E37_79B9_7F4A_7C15);
    let m = (2 * n).clamp(1 << 11, 1 << 20);
    let mut sample: Vec<f64> = (0..m)
        .map(|_| {
            let a = rng.below(n as u64) as usize;
            let mut b = rng.below(n as u64 - 1) as usize;
            if b >= a {
                b += 1;
            }
            slope(t, y, a, b)
        })
        .collect();
    sample.sort_unstable_by(f64::total_cmp);
    let mut selector = Selector {
        t,
        y,
        total,
        scratch: Vec::with_capacity(n),
        buf: Vec::with_capacity(n),
        sample,
    };
    ranks
        .iter()
        .map(|&(k, next)| {
            let k = k.clamp(1, total.max(1));
            let next = next && k < total;
            selector.select(k, next)
        })
        .collect()
}
