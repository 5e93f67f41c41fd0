//! The sums behind alpha: per-unit counts, sums and sums of squares, and a small table of
//! distinct values with their counts. Never a units x V x V array.

use super::{Degenerate, Metric, Parts, present};
use crate::ratings::Ratings;
use crate::stats::Sum;

/// Pairable values whose spread is below this share of their magnitude are measured from
/// their smallest value (2^-20: there a mean's rounding reaches a millionth of the spread).
const CLUSTERED: f64 = 1.0 / 1_048_576.0;

/// The parts of alpha over `units`. `complete` is the ratings matrix when it has no missing
/// value and `units` are its rows: then the squared-difference metrics take the fast paths.
pub(super) fn alpha_parts<'a, I>(
    units: I,
    metric: Metric,
    complete: Option<&Ratings>,
) -> std::result::Result<Parts, Degenerate>
where
    I: Iterator<Item = &'a [f64]> + Clone,
{
    if metric == Metric::Interval {
        // Alpha ignores the origin. Pairable values clustered far from zero relative to
        // their spread (2 ulps apart near 1e100) are measured from the smallest of them, so
        // that means and squares are taken at the scale of the spread: from zero, the mean's
        // own rounding was as large as the spread and alpha changed sign with the unit order.
        // Clustered values are within a factor 2 of that origin, so x − origin is exact and
        // distinct values stay distinct. Other data are measured from zero, as before.
        let (lo, hi) = units
            .clone()
            .filter(|u| present(u).nth(1).is_some())
            .flat_map(present)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
                (lo.min(x), hi.max(x))
            });
        let clustered = hi > lo && hi - lo < lo.abs().max(hi.abs()) * CLUSTERED && lo * hi > 0.0;
        let origin = if clustered { lo } else { 0.0 };
        let parts = squared_differences(units.clone(), complete, |x| x - origin)?;
        if parts.alpha().is_finite() {
            return Ok(parts);
        }
        // Squares overflowed (spreads beyond the numeric domain): alpha ignores the scale too.
        let scale = units
            .clone()
            .flat_map(present)
            .fold(0.0f64, |m, x| m.max((x - origin).abs()));
        let mut parts = squared_differences(units, complete, |x| (x - origin) / scale)?;
        parts.scale = scale;
        return Ok(parts);
    }

    let (mut units_n, mut values_n) = (0usize, 0usize);
    let complete_k = complete.map(|r| r.raters() as f64);
    let mut within = Sum::default();
    let mut distinct = Distinct::default();
    let mut scratch: Vec<f64> = Vec::new();
    for u in units.clone() {
        let Some(m) = complete_k.or_else(|| pairable_count(u)) else {
            continue;
        };
        units_n += 1;
        values_n += m as usize;
        distinct.add_unit(u);
        match metric {
            Metric::Interval | Metric::Ordinal => {}
            Metric::Nominal if complete_k == Some(2.0) => {
                // Two values: 2 disagreeing ordered pairs, over m - 1 = 1.
                #[allow(clippy::float_cmp)]
                if let [a, b] = *u
                    && a != b
                {
                    within.add(2.0);
                }
            }
            Metric::Nominal => {
                let agreeing = agreeing_ordered_pairs(u, &mut scratch);
                let disagreeing = m * (m - 1.0) - agreeing;
                if disagreeing > 0.0 {
                    within.add(disagreeing / (m - 1.0));
                }
            }
            Metric::Ratio => {
                let d = unit_ratio_pairs(u, &mut scratch);
                if d > 0.0 {
                    within.add(d / (m - 1.0));
                }
            }
        }
    }
    if units_n == 0 {
        return Err(Degenerate::none_pairable());
    }
    // Distinct pairable values, compared exactly: one value means no variation.
    let (values, counts) = distinct.finish();
    if values.len() < 2 {
        return Err(Degenerate::constant(units_n, values_n));
    }
    let n = values_n as f64;
    let de_sum = match metric {
        Metric::Nominal => n * n - counts.iter().map(|c| c * c).sum::<f64>(),
        Metric::Ratio => pairwise_ratio(&values, &counts),
        Metric::Ordinal => {
            // Krippendorff's rank metric = squared difference of mid-ranks from the margins.
            let mut below = 0.0;
            let ranks: Vec<f64> = counts
                .iter()
                .map(|&c| {
                    let r = below + c / 2.0;
                    below += c;
                    r
                })
                .collect();
            // Integer codes in a modest range: rank by direct index instead of bisection.
            let dense = match (values.first(), values.last()) {
                (Some(&lo), Some(&hi))
                    if values.iter().all(|v| v.fract() == 0.0) && hi - lo < DENSE_WINDOW as f64 =>
                {
                    let mut table = vec![0.0; (hi - lo) as usize + 1];
                    for (v, r) in values.iter().zip(&ranks) {
                        if let Some(slot) = table.get_mut((v - lo) as usize) {
                            *slot = *r;
                        }
                    }
                    Some((lo, table))
                }
                _ => None,
            };
            if let Some((lo, table)) = dense {
                let rank = |x: f64| table.get((x - lo) as usize).copied().unwrap_or(0.0);
                return squared_differences(units, complete, rank);
            }
            let rank = |x: f64| {
                values
                    .binary_search_by(|d| d.total_cmp(&(x + 0.0)))
                    .ok()
                    .and_then(|i| ranks.get(i).copied())
                    .unwrap_or(0.0)
            };
            return squared_differences(units, complete, rank);
        }
        Metric::Interval => 0.0, // handled above
    };
    Ok(Parts {
        do_sum: within.value(),
        de_sum,
        values: values_n,
        units: units_n,
        scale: 1.0,
    })
}

/// Squared-difference parts on f(value), by the fastest path the data allow.
fn squared_differences<'a, I, F>(
    units: I,
    complete: Option<&Ratings>,
    f: F,
) -> std::result::Result<Parts, Degenerate>
where
    I: Iterator<Item = &'a [f64]> + Clone,
    F: Fn(f64) -> f64,
{
    match complete {
        Some(r) if r.raters() == 2 => complete_pairs_interval(r, f),
        Some(r) => complete_interval(r, f),
        None => squared_difference_parts(units, f),
    }
}

/// Interval parts for two coders and no missing value, the client-therapist case: every unit
/// has m = 2, `Σ_{i≠j}` (`v_i` - `v_j`)^2 / (m - 1) = 2 (a - b)^2, and the loops are branch-free.
fn complete_pairs_interval(
    ratings: &Ratings,
    f: impl Fn(f64) -> f64,
) -> std::result::Result<Parts, Degenerate> {
    let units = ratings.targets();
    let reference = ratings.rows_raw().next().and_then(|r| r.first().copied());
    let reference = f(reference.unwrap_or(0.0));
    let mut varies = false;
    let (mut grand, mut within) = (Sum::default(), Sum::default());
    let mut rows = ratings.rows_raw();
    loop {
        // Blocks of 1024 units: plain sums inside, compensated across blocks. (a - b)^2 is
        // exactly 0 when a = b.
        let (mut g, mut w, mut k) = (0.0, 0.0, 0);
        for row in rows.by_ref().take(1024) {
            if let [a, b] = *row {
                let (a, b) = (f(a), f(b));
                g += a + b;
                w += (a - b) * (a - b);
                #[allow(clippy::float_cmp)]
                {
                    varies |= (a != reference) | (b != reference);
                }
            }
            k += 1;
        }
        grand.add(g);
        within.add(2.0 * w);
        if k < 1024 {
            break;
        }
    }
    if !varies {
        return Err(Degenerate::constant(units, 2 * units));
    }
    let n = 2.0 * units as f64;
    let mean = grand.value() / n;
    let mut total = Sum::default();
    let mut rows = ratings.rows_raw();
    loop {
        let (mut t, mut k) = (0.0, 0);
        for row in rows.by_ref().take(1024) {
            if let [a, b] = *row {
                let (a, b) = (f(a), f(b));
                t += (a - mean) * (a - mean) + (b - mean) * (b - mean);
            }
            k += 1;
        }
        total.add(t);
        if k < 1024 {
            break;
        }
    }
    Ok(Parts {
        do_sum: within.value(),
        de_sum: 2.0 * n * total.value(),
        values: 2 * units,
        units,
        scale: 1.0,
    })
}

/// Interval parts when every unit has all k values: no missing-value tests in the loops, and
/// the total sum of squares pooled from the units' sums of squares and means,
/// `SS_total = Σ SS_u + k Σ (ȳ_u - ȳ)^2`, so the second pass reads one mean per unit.
fn complete_interval(
    ratings: &Ratings,
    f: impl Fn(f64) -> f64,
) -> std::result::Result<Parts, Degenerate> {
    let units = ratings.targets();
    let k = ratings.raters() as f64;
    let factor = 2.0 * k / (k - 1.0);
    let reference = ratings.rows_raw().next().and_then(|r| r.first().copied());
    let reference = f(reference.unwrap_or(0.0));
    let mut varies = false;
    let (mut grand, mut within) = (Sum::default(), Sum::default());
    let mut means: Vec<f64> = Vec::with_capacity(units);
    let mut rows = ratings.rows_raw();
    loop {
        let (mut g, mut w, mut count) = (0.0, 0.0, 0);
        for row in rows.by_ref().take(1024) {
            let (first, s1, s2, unit_varies) = shifted_moments(row, &f);
            // Shifted by the unit's own first value, Σd² - (Σd)²/k loses at most a factor
            // 1 + 2k in relative precision (Σd² <= (1 + 2k) SS); identical values give 0
            // exactly, and their mean is the value itself.
            if unit_varies {
                w += (s2 - s1 * s1 / k).max(0.0);
                means.push(first + s1 / k);
            } else {
                means.push(first);
            }
            #[allow(clippy::float_cmp)]
            {
                varies |= unit_varies | (first != reference);
            }
            g += k * first + s1;
            count += 1;
        }
        grand.add(g);
        within.add(w);
        if count < 1024 {
            break;
        }
    }
    if !varies {
        return Err(Degenerate::constant(units, ratings.raters() * units));
    }
    let n = k * units as f64;
    let mean = grand.value() / n;
    let mut between = Sum::default();
    for block in means.chunks(1024) {
        between.add(lane_sum(block, |m| (m - mean) * (m - mean)));
    }
    let ss_total = within.value() + k * between.value();
    Ok(Parts {
        do_sum: factor * within.value(),
        de_sum: 2.0 * n * ss_total,
        values: ratings.raters() * units,
        units,
        scale: 1.0,
    })
}

/// For a row of finite values: its first value x₀, Σ d and Σ d² with d = x - x₀ (four
/// independent accumulators), and whether any d is non-zero.
fn shifted_moments(row: &[f64], f: impl Fn(f64) -> f64) -> (f64, f64, f64, bool) {
    let x0 = f(row.first().copied().unwrap_or(0.0));
    let (mut s1, mut s2) = ([0.0; 4], [0.0; 4]);
    let mut nonzero = false;
    let chunks = row.chunks_exact(4);
    let rest = chunks.remainder();
    for c in chunks {
        for ((&x, a), b) in c.iter().zip(&mut s1).zip(&mut s2) {
            let d = f(x) - x0;
            *a += d;
            *b += d * d;
            nonzero |= d != 0.0;
        }
    }
    let (mut t1, mut t2) = (0.0, 0.0);
    for &x in rest {
        let d = f(x) - x0;
        t1 += d;
        t2 += d * d;
        nonzero |= d != 0.0;
    }
    (
        x0,
        (s1[0] + s1[1]) + (s1[2] + s1[3]) + t1,
        (s2[0] + s2[1]) + (s2[2] + s2[3]) + t2,
        nonzero,
    )
}

/// Σ f(x) over a row with four independent accumulators, so long rows are not one serial
/// chain of additions.
fn lane_sum(row: &[f64], f: impl Fn(f64) -> f64) -> f64 {
    let mut lanes = [0.0; 4];
    let chunks = row.chunks_exact(4);
    let rest = chunks.remainder();
    for c in chunks {
        if let [a, b, c, d] = *c {
            lanes[0] += f(a);
            lanes[1] += f(b);
            lanes[2] += f(c);
            lanes[3] += f(d);
        }
    }
    let mut tail = 0.0;
    for &x in rest {
        tail += f(x);
    }
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + tail
}

/// Number of present values when there are at least 2.
fn pairable_count(u: &[f64]) -> Option<f64> {
    let m = u.iter().filter(|x| !x.is_nan()).count();
    (m >= 2).then_some(m as f64)
}

/// Parts for δ² = (f(c) - f(k))^2 in two passes: per unit m, Σ f and the within-unit SS
/// (`Σ_{i≠j}` (`y_i` - `y_j`)^2 = 2 m `SS_u`), then Σ (y - ȳ)^2 over all pairable values
/// (`Σ_c` `Σ_k` `n_c` `n_k` δ² = 2 n `SS_total`). O(values), no table of distinct values.
fn squared_difference_parts<'a, I, F>(units: I, f: F) -> std::result::Result<Parts, Degenerate>
where
    I: Iterator<Item = &'a [f64]> + Clone,
    F: Fn(f64) -> f64,
{
    let (mut units_n, mut values_n) = (0usize, 0usize);
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    // Plain sums over blocks of units, compensated across blocks: accurate and branch-light.
    let (mut grand, mut within) = (Sum::default(), Sum::default());
    let (mut grand_block, mut within_block, mut in_block) = (0.0, 0.0, 0u32);
    for u in units.clone() {
        let (mut m, mut s) = (0usize, 0.0);
        let (mut ulo, mut uhi) = (f64::INFINITY, f64::NEG_INFINITY);
        for &x in u {
            if !x.is_nan() {
                let y = f(x);
                m += 1;
                s += y;
                ulo = ulo.min(y);
                uhi = uhi.max(y);
            }
        }
        if m < 2 {
            continue;
        }
        units_n += 1;
        values_n += m;
        lo = lo.min(ulo);
        hi = hi.max(uhi);
        let mf = m as f64;
        let mean = s / mf;
        let ss: f64 = present(u)
            .map(|x| {
                let d = f(x) - mean;
                d * d
            })
            .sum();
        // Identical values contribute exactly 0, whatever rounding did to their mean.
        let varies = f64::from(u8::from(ulo < uhi));
        grand_block += s;
        within_block += varies * 2.0 * mf * ss / (mf - 1.0);
        in_block += 1;
        if in_block == 1024 {
            grand.add(grand_block);
            within.add(within_block);
            (grand_block, within_block, in_block) = (0.0, 0.0, 0);
        }
    }
    grand.add(grand_block);
    within.add(within_block);
    if units_n == 0 {
        return Err(Degenerate::none_pairable());
    }
    if lo >= hi {
        return Err(Degenerate::constant(units_n, values_n));
    }
    let n = values_n as f64;
    let mean = grand.value() / n;
    let mut total = Sum::default();
    let (mut total_block, mut in_block) = (0.0, 0u32);
    for u in units {
        let (mut m, mut ss) = (0usize, 0.0);
        for &x in u {
            if !x.is_nan() {
                let d = f(x) - mean;
                m += 1;
                ss += d * d;
            }
        }
        if m >= 2 {
            total_block += ss;
            in_block += 1;
            if in_block == 1024 {
                total.add(total_block);
                (total_block, in_block) = (0.0, 0);
            }
        }
    }
    total.add(total_block);
    Ok(Parts {
        do_sum: within.value(),
        de_sum: 2.0 * n * total.value(),
        values: values_n,
        units: units_n,
        scale: 1.0,
    })
}

/// Distinct values with their counts. Integer codes within a window of `DENSE_WINDOW` are
/// counted by direct index (Likert items); other values go to a small sorted table searched by
/// bisection (one-decimal scores), and past `DISTINCT_TABLE` distinct values to a list that is
/// sorted once at the end.
#[derive(Default)]
struct Distinct {
    dense: Vec<f64>,
    dense_from: i64,
    values: Vec<f64>,
    counts: Vec<f64>,
    spill: Vec<f64>,
}

const DISTINCT_TABLE: usize = 4096;
const DENSE_WINDOW: usize = 4096;

impl Distinct {
    fn add_unit(&mut self, u: &[f64]) {
        for x in present(u) {
            self.add(x);
        }
    }

    #[inline]
    fn add(&mut self, x: f64) {
        let x = x + 0.0; // -0.0 and 0.0 are one value
        let i = x as i64; // saturating; the round trip below checks it is exact
        #[allow(clippy::float_cmp)]
        let integer = i as f64 == x && x.abs() < 1e15;
        if integer {
            // In-window integers (the common case) first, without a call.
            let offset = i.wrapping_sub(self.dense_from) as u64;
            if let Some(slot) = usize::try_from(offset)
                .ok()
                .and_then(|o| self.dense.get_mut(o))
            {
                *slot += 1.0;
                return;
            }
            if let Some(slot) = self.dense_slot(i) {
                *slot += 1.0;
                return;
            }
        }
        self.add_other(x);
    }

    fn add_other(&mut self, x: f64) {
        match self.values.binary_search_by(|d| d.total_cmp(&x)) {
            Ok(i) => {
                if let Some(c) = self.counts.get_mut(i) {
                    *c += 1.0;
                }
            }
            Err(i) if self.values.len() < DISTINCT_TABLE => {
                self.values.insert(i, x);
                self.counts.insert(i, 1.0);
            }
            Err(_) => self.spill.push(x),
        }
    }

    /// The counter of integer `i`, growing the window when it stays within `DENSE_WINDOW`.
    fn dense_slot(&mut self, i: i64) -> Option<&mut f64> {
        let offset = i.wrapping_sub(self.dense_from);
        if (offset as u64) < self.dense.len() as u64 {
            return self.dense.get_mut(offset as usize);
        }
        if self.dense.is_empty() {
            self.dense_from = i;
            self.dense.push(0.0);
        }
        let len = self.dense.len() as i64;
        let lo = self.dense_from.min(i);
        let hi = (self.dense_from + len - 1).max(i);
        if hi - lo >= DENSE_WINDOW as i64 {
            return None;
        }
        if i < self.dense_from {
            let grow = usize::try_from(self.dense_from - i).ok()?;
            self.dense.splice(0..0, std::iter::repeat_n(0.0, grow));
            self.dense_from = i;
        } else if i >= self.dense_from + len {
            self.dense
                .resize(usize::try_from(i - self.dense_from + 1).ok()?, 0.0);
        }
        self.dense
            .get_mut(usize::try_from(i - self.dense_from).ok()?)
    }

    /// Sorted distinct values and counts.
    fn finish(self) -> (Vec<f64>, Vec<f64>) {
        let dense_from = self.dense_from as f64;
        let mut all: Vec<(f64, f64)> = self
            .dense
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0.0)
            .map(|(j, &c)| (dense_from + j as f64, c))
            .chain(self.values.iter().copied().zip(self.counts.iter().copied()))
            .chain(self.spill.iter().map(|&x| (x, 1.0)))
            .collect();
        all.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let mut values: Vec<f64> = Vec::with_capacity(all.len());
        let mut counts: Vec<f64> = Vec::with_capacity(all.len());
        for (x, c) in all {
            match (values.last(), counts.last_mut()) {
                #[allow(clippy::float_cmp)]
                (Some(&v), Some(n)) if v == x => *n += c,
                _ => {
                    values.push(x);
                    counts.push(c);
                }
            }
        }
        (values, counts)
    }
}

/// `Σ_{i≠j}` [`v_i` = `v_j`] over a unit's present values.
fn agreeing_ordered_pairs(u: &[f64], scratch: &mut Vec<f64>) -> f64 {
    if u.len() <= 16 {
        let mut same = 0usize;
        for (i, &a) in u.iter().enumerate() {
            if a.is_nan() {
                continue;
            }
            #[allow(clippy::float_cmp)]
            {
                same += u.iter().skip(i + 1).filter(|&&b| b == a).count();
            }
        }
        return 2.0 * same as f64;
    }
    scratch.clear();
    scratch.extend(present(u));
    scratch.sort_unstable_by(f64::total_cmp);
    let (_, counts) = runs(scratch);
    counts.iter().map(|c| c * (c - 1.0)).sum()
}

/// `Σ_{i≠j}` `δ²_ratio(v_i, v_j)` over a unit's present values.
fn unit_ratio_pairs(u: &[f64], scratch: &mut Vec<f64>) -> f64 {
    scratch.clear();
    scratch.extend(present(u));
    scratch.sort_unstable_by(f64::total_cmp);
    let (distinct, counts) = runs(scratch);
    if distinct.len() > 1 {
        pairwise_ratio(&distinct, &counts)
    } else {
        0.0
    }
}

/// Distinct values of a sorted slice and their counts.
fn runs(sorted: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let mut distinct: Vec<f64> = Vec::new();
    let mut counts: Vec<f64> = Vec::new();
    for &x in sorted {
        match (distinct.last(), counts.last_mut()) {
            #[allow(clippy::float_cmp)]
            (Some(&d), Some(c)) if d == x => *c += 1.0,
            _ => {
                distinct.push(x);
                counts.push(1.0);
            }
        }
    }
    (distinct, counts)
}

/// Distinct values in a sorted slice (`-0.0` and `0.0` are one value, as everywhere here).
fn distinct_count(sorted: &[f64]) -> u64 {
    #[allow(clippy::float_cmp)]
    let repeats = sorted.windows(2).filter(|w| w[0] == w[1]).count();
    (sorted.len() - repeats) as u64
}

/// The pairs of distinct values the ratio metric would compare on `units` (and, with
/// `bootstrap`, on its costliest resample), or [`Error::TooManyRatioPairs`] beyond
/// [`Metric::RATIO_PAIRS_LIMIT`]. Sorting only: O(N log N), no pairwise work.
pub(super) fn check_ratio_work<'a, I>(units: I, bootstrap: bool) -> crate::Result<()>
where
    I: Iterator<Item = &'a [f64]>,
{
    let pairs = |d: u64| d.saturating_mul(d.saturating_sub(1)) / 2;
    let (mut within, mut costliest, mut pairable) = (0u64, 0u64, 0u64);
    let mut all: Vec<f64> = Vec::new();
    let mut scratch: Vec<f64> = Vec::new();
    for u in units {
        scratch.clear();
        scratch.extend(present(u));
        if scratch.len() < 2 {
            continue;
        }
        scratch.sort_unstable_by(f64::total_cmp);
        let unit = pairs(distinct_count(&scratch));
        within = within.saturating_add(unit);
        costliest = costliest.max(unit);
        pairable += 1;
        all.extend_from_slice(&scratch);
    }
    all.sort_unstable_by(f64::total_cmp);
    let pooled = pairs(distinct_count(&all));
    let mut found = pooled.saturating_add(within);
    if bootstrap {
        found = found.max(pooled.saturating_add(costliest.saturating_mul(pairable)));
    }
    if found > Metric::RATIO_PAIRS_LIMIT {
        return Err(crate::Error::TooManyRatioPairs {
            found,
            limit: Metric::RATIO_PAIRS_LIMIT,
        });
    }
    Ok(())
}

fn ratio_delta(a: f64, b: f64) -> f64 {
    let s = a + b;
    if s == 0.0 {
        0.0
    } else if s.is_infinite() {
        // Both near f64::MAX: halve first (the ratio ignores the scale).
        let r = (a / 2.0 - b / 2.0) / (a / 2.0 + b / 2.0);
        r * r
    } else {
        let r = (a - b) / s;
        r * r
    }
}

/// `Σ_{a≠b}` `n_a` `n_b` δ²(a, b) over distinct values with counts.
fn pairwise_ratio(distinct: &[f64], counts: &[f64]) -> f64 {
    let mut total = Sum::default();
    for (i, (&a, &na)) in distinct.iter().zip(counts).enumerate() {
        for (&b, &nb) in distinct.iter().zip(counts).skip(i + 1) {
            total.add(2.0 * na * nb * ratio_delta(a, b));
        }
    }
    total.value()
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::outcome::Undefined;

    /// The bisection table and its spill give the same distinct values and counts as a sort.
    #[test]
    fn distinct_table_spills_correctly() {
        // fractions, integers in a window (growing down through negatives), integers beyond it
        let xs: Vec<f64> = (0..30_000u32)
            .map(|i| f64::from((i * 7919) % 9_973) / 7.0)
            .chain((0..3_000).map(|i| f64::from(500 - i)))
            .chain((0..3_000u32).map(|i| f64::from((i * 13) % 20_000)))
            .chain([-0.0, 0.0, 1e300, -1e300])
            .collect();
        let mut d = Distinct::default();
        for &x in &xs {
            d.add(x);
        }
        assert!(!d.spill.is_empty() && !d.dense.is_empty());
        let mut sorted = xs.clone();
        sorted.sort_unstable_by(f64::total_cmp);
        assert_eq!(d.finish(), runs(&sorted));
    }

    #[test]
    fn signed_zeros_are_one_value() {
        let mut d = Distinct::default();
        for x in [0.0, -0.0, 1.0, -0.0] {
            d.add(x);
        }
        assert_eq!(d.finish(), (vec![0.0, 1.0], vec![3.0, 1.0]));
    }

    /// The fast paths see "no variation" exactly, and only when every value is the same.
    #[test]
    fn fast_paths_detect_no_variation() {
        let same3 = Ratings::from_rows(&[[0.1, 0.1, 0.1], [0.1, 0.1, 0.1]]).unwrap();
        assert!(matches!(
            complete_interval(&same3, |x| x),
            Err(Degenerate {
                reason: Undefined::ConstantValues,
                ..
            })
        ));
        let same2 = Ratings::from_rows(&[[0.1, 0.1], [0.1, 0.1]]).unwrap();
        assert!(matches!(
            complete_pairs_interval(&same2, |x| x),
            Err(Degenerate {
                reason: Undefined::ConstantValues,
                ..
            })
        ));
        // each unit constant, units differ: alpha = 1
        let rows3 = Ratings::from_rows(&[[0.1, 0.1, 0.1], [0.2, 0.2, 0.2]]).unwrap();
        assert_eq!(complete_interval(&rows3, |x| x).ok().unwrap().alpha(), 1.0);
        let rows2 = Ratings::from_rows(&[[0.1, 0.1], [0.2, 0.2]]).unwrap();
        assert_eq!(
            complete_pairs_interval(&rows2, |x| x).ok().unwrap().alpha(),
            1.0
        );
    }

    /// The complete-data fast paths agree with the general path.
    #[test]
    fn fast_paths_match_general_path() {
        for k in [2usize, 3, 7] {
            let n = 3000;
            let cells: Vec<f64> = (0..n * k)
                .map(|i| f64::from(u32::try_from((i * 7919 + i / k * 31) % 41).unwrap()) / 10.0)
                .collect();
            let r = Ratings::new(n, k, cells).unwrap();
            let fast = if k == 2 {
                complete_pairs_interval(&r, |x| x)
            } else {
                complete_interval(&r, |x| x)
            };
            let fast = fast.ok().unwrap();
            let general = squared_difference_parts(r.rows_raw(), |x| x).ok().unwrap();
            assert!((fast.alpha() - general.alpha()).abs() < 1e-13);
            assert_eq!((fast.units, fast.values), (general.units, general.values));
        }
    }
}
