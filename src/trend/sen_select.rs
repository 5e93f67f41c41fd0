//! Order statistics of the n(n − 1)/2 pairwise slopes without listing them all.
//!
//! A slope `(y_j − y_i)/(t_j − t_i)` with `t_i < t_j` is at most s exactly when `u_j ≤ u_i` for
//! u = y − s·t, so the number of slopes at most s is the number of pairs that the order by u
//! (ties: later time first) reverses against time order: an inversion count (merge sort,
//! O(n log n)). Moving the threshold from s to s′ reverses exactly the pairs whose slope lies
//! between them, so re-sorting the previous order by insertion counts (or lists) those
//! slopes in O(n + their number): once the wanted ranks are bracketed closely, each further
//! count costs little more than a pass. A seeded random sample of slopes gives the first
//! guesses; counts at the bracket's ends, refined by interpolation, shrink it until few
//! enough slopes remain to list (after Dillencourt, Mount & Netanyahu 1992 and Matoušek 1991:
//! O(n log n) expected time, O(n) memory).
//!
//! Why it is correct: a slope is at most s exactly when its pair is reversed in the order by
//! u = y − s·t, so the count at a threshold is an inversion count, and the bracket always
//! holds the wanted ranks; the slopes finally listed are actual pairwise slopes, of which the
//! wanted order statistics are taken. The keys u are rounded, so a slope within a few ulps of
//! a threshold can be counted on the wrong side: a selected slope equals the listed order
//! statistic up to that rounding (as `sen_slope` documents). The plain reference is `sen.rs`'s `materialized` (every slope listed, then
//! selected); the unit tests there compare the two on the stored reference series, on long
//! series and by property tests, and the tests below compare the counts with brute force.

use super::pairs;

/// Ordering key of a point at threshold s: u = y − s·t, with the limits s → ∓∞ (order by
/// time, or by reversed time) for open bounds.
fn key(s: f64, t: f64, y: f64) -> f64 {
    if s == f64::NEG_INFINITY {
        t
    } else if s == f64::INFINITY {
        -t
    } else {
        // + 0.0 turns −0 into +0, so that equal keys are exactly the ties
        y - s * t + 0.0
    }
}

fn slope(t: &[f64], y: &[f64], a: usize, b: usize) -> f64 {
    let (i, j) = if t[a] < t[b] { (a, b) } else { (b, a) };
    (y[j] - y[i]) / (t[j] - t[i])
}

/// A point's key at the current threshold, and its index (its rank in time).
type Keyed = (f64, u32);

/// A move of the walker is preferred over a merge sort while it passes at most this many
/// slopes per n·log₂ n (measured: a slope passed costs about as much as one merge step).
const SWEEP_FACTOR: f64 = 2.0;

/// Order at threshold s: by key u = y − s·t, ties with the later point first. Its inversions
/// against time order are the pairs whose slope is at most s.
#[allow(clippy::float_cmp)] // equal keys are exactly the slopes equal to s
fn goes_before(a: &Keyed, b: &Keyed) -> bool {
    a.0 < b.0 || (a.0 == b.0 && a.1 > b.1)
}

/// The points in their order at one threshold, with the counts there.
#[derive(Debug, Default)]
struct Walker {
    order: Vec<Keyed>,
    buf: Vec<Keyed>,
    /// (threshold, slopes below it, slopes at most it), once positioned.
    at: Option<(f64, u64, u64)>,
}

impl Walker {
    /// Positions the walker at `s` by merge sort: O(n log n).
    fn reset(&mut self, t: &[f64], y: &[f64], s: f64) -> (u64, u64) {
        self.order.clear();
        self.order.extend(
            t.iter()
                .zip(y)
                .enumerate()
                .map(|(i, (&ti, &yi))| (key(s, ti, yi), i as u32)),
        );
        let at_most = pairs::sort_count(&mut self.order, &mut self.buf, goes_before);
        self.settle(s, at_most)
    }

    /// Moves the walker from its threshold to `s` by insertion: O(n + slopes in between),
    /// pushing each slope passed onto `listed` when given. Past `cap` slopes it gives up,
    /// restores its order and returns `None`.
    fn sweep(
        &mut self,
        t: &[f64],
        y: &[f64],
        s: f64,
        mut listed: Option<&mut Vec<f64>>,
        cap: u64,
    ) -> Option<(u64, u64)> {
        let Some((_, _, start)) = self.at else {
            return Some(self.reset(t, y, s));
        };
        let capped = cap < u64::MAX;
        if capped {
            self.buf.clear();
            self.buf.extend_from_slice(&self.order);
        }
        let mut passed = 0u64;
        let order = &mut self.order;
        for e in order.iter_mut() {
            let i = e.1 as usize;
            e.0 = key(s, t[i], y[i]);
        }
        // signed: a pair reversed by the move gains one inversion, one restored loses one
        let mut at_most = start as i64;
        for q in 1..order.len() {
            let x = order[q];
            let mut j = q;
            while j > 0 && goes_before(&x, &order[j - 1]) {
                let p = order[j - 1];
                at_most += if x.1 > p.1 { 1 } else { -1 };
                if let Some(out) = listed.as_deref_mut() {
                    out.push(slope(t, y, p.1 as usize, x.1 as usize));
                }
                order[j] = p;
                j -= 1;
            }
            order[j] = x;
            passed += (q - j) as u64;
            if passed > cap {
                self.order.copy_from_slice(&self.buf);
                return None;
            }
        }
        Some(self.settle(s, at_most.max(0) as u64))
    }

    /// Records the counts at `s`: slopes equal to s are the pairs of equal keys.
    #[allow(clippy::float_cmp)] // equal keys are exactly the slopes equal to s
    fn settle(&mut self, s: f64, at_most: u64) -> (u64, u64) {
        let mut tied = 0u64;
        let mut run = 1u64;
        for w in self.order.windows(2) {
            if w[0].0 == w[1].0 {
                tied += run;
                run += 1;
            } else {
                run = 1;
            }
        }
        let below = at_most.saturating_sub(tied);
        self.at = Some((s, below, at_most));
        (below, at_most)
    }

    fn threshold(&self) -> Option<f64> {
        self.at.map(|(s, _, _)| s)
    }
}

/// Reusable buffers and the data.
struct Selector<'a> {
    t: &'a [f64],
    y: &'a [f64],
    total: u64,
    sample: Vec<f64>,
    walker: Walker,
    /// Every threshold counted so far, with (below, at most): later ranks start from them.
    history: Vec<(f64, u64, u64)>,
    /// A move passing at most this many slopes is cheaper than a merge sort.
    sweep_max: u64,
}

impl<'a> Selector<'a> {
    fn new(t: &'a [f64], y: &'a [f64], sample: Vec<f64>) -> Selector<'a> {
        let n = t.len();
        let log_n = f64::from(usize::BITS - n.leading_zeros());
        Selector {
            t,
            y,
            total: (n as u64) * (n as u64).saturating_sub(1) / 2,
            sample,
            walker: Walker::default(),
            history: Vec::new(),
            sweep_max: (SWEEP_FACTOR * n as f64 * log_n) as u64,
        }
    }

    /// Numbers of slopes strictly below and at most `s` (expected near rank `expected`), where
    /// the bracket (lo, hi] with at-most counts `c_lo`, `c_hi` holds s. The walker moves there when
    /// it stands in the same bracket (it then passes at most `c_hi − c_lo` slopes) or when the
    /// expected rank is close to its own (giving up past a merge sort's worth of slopes);
    /// otherwise a merge sort counts afresh.
    fn count(
        &mut self,
        s: f64,
        (lo, hi): (f64, f64),
        (c_lo, c_hi): (u64, u64),
        expected: f64,
    ) -> (u64, u64) {
        let (t, y) = (self.t, self.y);
        let moved = match self.walker.at {
            Some((w, _, _)) if lo <= w && w <= hi && c_hi - c_lo <= self.sweep_max => {
                self.walker.sweep(t, y, s, None, u64::MAX)
            }
            Some((_, _, w_rank))
                if (expected - w_rank as f64).abs() <= self.sweep_max as f64 / 2.0 =>
            {
                self.walker.sweep(t, y, s, None, self.sweep_max)
            }
            _ => None,
        };
        let counts = moved.unwrap_or_else(|| self.walker.reset(t, y, s));
        self.history.push((s, counts.0, counts.1));
        counts
    }

    /// Every slope in (lo, hi]: the walker moves across the bracket, listing what it passes.
    fn list(&mut self, lo: f64, hi: f64) -> Vec<f64> {
        let (t, y) = (self.t, self.y);
        let mut out = Vec::new();
        if self.walker.threshold() == Some(hi) {
            self.walker.sweep(t, y, lo, Some(&mut out), u64::MAX);
        } else {
            if self.walker.threshold() != Some(lo) {
                self.walker.reset(t, y, lo);
            }
            self.walker.sweep(t, y, hi, Some(&mut out), u64::MAX);
        }
        out
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
        // earlier counts (for other ranks) narrow the bracket before any new one
        for &(s, below, at_most) in &self.history {
            if at_most < k && s > lo {
                (lo, c_lo) = (s, at_most);
            } else if below >= k && k2 <= at_most && s < hi {
                (hi, c_hi) = (s, at_most);
            }
        }
        let settled = self
            .history
            .iter()
            .copied()
            .find(|&(_, below, at_most)| !(at_most < k || (below >= k && k2 <= at_most)));
        if let Some((s, below, at_most)) = settled {
            return self.settle(s, (below, at_most), (k, k2, next), (lo, c_lo), hi);
        }
        // Few enough slopes to list: a listed slope reads four scattered values, cheap while
        // the data sit in cache and not beyond, where one more count is cheaper.
        let limit = if n <= 1 << 16 { n.max(1 << 12) } else { n / 16 };
        let m = self.sample.len();
        let mf = m as f64;
        // the sample's estimate of rank k and of the local density (ranks per unit slope)
        let pos = (k as f64 / total * mf).min(mf - 1.0);
        let h = mf.sqrt().max(8.0);
        let (i1, i2) = ((pos - h).max(0.0) as usize, ((pos + h) as usize).min(m - 1));
        let width = self.sample[i2] - self.sample[i1];
        let sample_density = (i2 - i1) as f64 / mf * total / width;
        // latest counts (slope, rank): the two earlier counts nearest rank k, if any, start
        // the secant
        let mut last: Option<(f64, f64)> = None;
        let mut prev: Option<(f64, f64)> = None;
        let distance = |c: u64| c.abs_diff(k);
        for &(s, _, at_most) in &self.history {
            let point = Some((s, at_most as f64));
            match last {
                Some((s1, r1)) if distance(at_most) < distance(r1 as u64) => {
                    if s.total_cmp(&s1).is_ne() && at_most != r1 as u64 {
                        prev = last;
                    }
                    last = point;
                }
                Some((s1, r1)) if s.total_cmp(&s1).is_ne() && at_most != r1 as u64 => {
                    if prev.is_none_or(|(_, r0)| distance(at_most) < distance(r0 as u64)) {
                        prev = point;
                    }
                }
                Some(_) => {}
                None => last = point,
            }
        }
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
            let (mut s, expected) = match (last, prev) {
                (Some((s1, r1)), Some((s0, r0))) if secant => {
                    (s1 + (aim(r1) - r1) * (s1 - s0) / (r1 - r0), aim(r1))
                }
                (Some((s1, r1)), _) if sample_density.is_finite() && sample_density > 0.0 => {
                    (s1 + (aim(r1) - r1) / sample_density, aim(r1))
                }
                // first guess: the sample's estimate of rank k, kept inside the bracket
                _ => {
                    let inside = self.sample.partition_point(|&v| v <= lo)
                        ..self.sample.partition_point(|&v| v < hi);
                    let guess = if inside.is_empty() {
                        f64::NAN
                    } else {
                        self.sample[(pos as usize).clamp(inside.start, inside.end - 1)]
                    };
                    (guess, k as f64)
                }
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
            let (below, at_most) = self.count(s, (lo, hi), (c_lo, c_hi), expected);
            if at_most < k {
                (lo, c_lo) = (s, at_most);
            } else if below >= k && k2 <= at_most {
                (hi, c_hi) = (s, at_most);
            } else {
                return self.settle(s, (below, at_most), (k, k2, next), (lo, c_lo), hi);
            }
            prev = last;
            last = Some((s, at_most as f64));
        }
        self.finish(k, next, lo, c_lo, hi)
    }

    /// Ranks k..=k2 when a count at s neither lies below nor above all of them: rank k is s
    /// (a run of slopes equal to s), or ranks k and k + 1 lie on either side of s.
    fn settle(
        &mut self,
        s: f64,
        (below, at_most): (u64, u64),
        (k, k2, next): (u64, u64, bool),
        (lo, c_lo): (f64, u64),
        hi: f64,
    ) -> (f64, Option<f64>) {
        if below < k {
            // rank k is s; so is k2 when the run reaches it, else k2 is the next slope above
            if k2 <= at_most {
                return (s, next.then_some(s));
            }
            let (v, _) = self.finish(k2, false, s, at_most, hi);
            return (s, Some(v));
        }
        // no slope equals s here (below = at_most = k): k is the last under s, k2 the first over
        let (v, _) = self.finish(k, false, lo, c_lo, s);
        let (w, _) = self.finish(k2, false, s, at_most, hi);
        (v, Some(w))
    }

    fn finish(&mut self, k: u64, next: bool, lo: f64, c_lo: u64, hi: f64) -> (f64, Option<f64>) {
        let mut listed = self.list(lo, hi);
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
    let m = n.clamp(1 << 10, 1 << 18);
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
    let mut selector = Selector::new(t, y, sample);
    ranks
        .iter()
        .map(|&(k, next)| {
            let k = k.clamp(1, total.max(1));
            let next = next && k < total;
            selector.select(k, next)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(t: &[f64], y: &[f64]) -> Vec<f64> {
        let mut v = Vec::new();
        for i in 0..t.len() {
            for j in i + 1..t.len() {
                v.push(slope(t, y, i, j));
            }
        }
        v.sort_by(f64::total_cmp);
        v
    }

    /// Counts by merge sort and by moves of the walker, up and down, equal the brute force.
    #[test]
    fn walker_counts_equal_brute_force() {
        let t: Vec<f64> = (0..40)
            .map(|i| f64::from(i) + if i % 3 == 0 { 0.5 } else { 0.0 })
            .collect();
        let y: Vec<f64> = (0..40).map(|i| f64::from((i * 7) % 5) * 0.5).collect();
        let slopes = brute(&t, &y);
        let mut walker = Walker::default();
        for (step, s) in [0.1, -0.3, 0.0, 0.5, 0.5, -2.0, 1e9, -0.25, 0.25]
            .into_iter()
            .enumerate()
        {
            let (below, at_most) = if step % 3 == 0 {
                walker.reset(&t, &y, s)
            } else {
                walker.sweep(&t, &y, s, None, u64::MAX).unwrap()
            };
            assert_eq!(
                below,
                slopes.iter().filter(|&&v| v < s).count() as u64,
                "s = {s}"
            );
            assert_eq!(
                at_most,
                slopes.iter().filter(|&&v| v <= s).count() as u64,
                "s = {s}"
            );
        }
    }

    /// A count falling between ranks k and k + 1 with no slope equal to it: k is the last
    /// slope under it and k + 1 the first over it.
    #[test]
    fn ranks_on_either_side_of_a_count() {
        let t: Vec<f64> = (0..12).map(f64::from).collect();
        let y: Vec<f64> = (0..12).map(|i| f64::from((i * i * 7) % 13)).collect();
        let slopes = brute(&t, &y);
        let mut selector = Selector::new(&t, &y, slopes.clone());
        // find a gap between consecutive distinct slopes
        let k = (30..slopes.len())
            .find(|&k| slopes[k - 1] < slopes[k])
            .unwrap();
        let s = slopes[k - 1] + (slopes[k] - slopes[k - 1]) / 2.0;
        let (below, at_most) = selector.walker.reset(&t, &y, s);
        assert_eq!((below, at_most), (k as u64, k as u64));
        let found = selector.settle(
            s,
            (below, at_most),
            (k as u64, k as u64 + 1, true),
            (f64::NEG_INFINITY, 0),
            f64::INFINITY,
        );
        assert_eq!(found, (slopes[k - 1], Some(slopes[k])));
    }
}
