//! Sen's slope (Theil-Sen estimator) with its rank-based confidence interval.

use super::Series;
use super::mann_kendall;
use super::sen_select::select_ranks;
use crate::error::Result;
use crate::outcome::{Outcome, Undefined};
use crate::stats;
use crate::{Interval, Level};
use std::cell::RefCell;

/// Up to this many points the N = n(n − 1)/2 slopes are materialised (11,175 slopes);
/// above it they are selected implicitly, which is faster from about this size on (measured).
pub const MATERIALIZE_MAX_N: usize = 150;

/// Which intercept goes with Sen's slope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum SenIntercept {
    /// Conover (1980): median(y) − slope · median(t), on the times as given.
    #[default]
    Conover,
    /// Joint median: median(yᵢ − slope · tᵢ) (scipy `theilslopes(method="joint")`).
    JointMedian,
}

/// How the order statistics of the pairwise slopes are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum SenAlgorithm {
    /// Materialise up to [`MATERIALIZE_MAX_N`] points, implicit selection above.
    #[default]
    Auto,
    /// Materialise all N slopes and select (O(n²) time and memory).
    Materialize,
    /// Select without materialising the slopes: a seeded (so deterministic) random sample
    /// of slopes places the first bounds; the slopes below a bound are counted by merge sort
    /// in O(n log n), or, between nearby bounds, by re-sorting the previous order by
    /// insertion in O(n + slopes passed); bounds shrink until few enough slopes remain to
    /// list (after Dillencourt, Mount & Netanyahu 1992; Matoušek 1991). O(n log n) expected
    /// time, O(n) memory.
    Implicit,
}

/// Options of [`sen_slope`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct SenOptions {
    /// The intercept (default Conover).
    pub intercept: SenIntercept,
    /// The selection algorithm (default automatic).
    pub algorithm: SenAlgorithm,
}

impl SenOptions {
    /// Use this intercept.
    pub fn with_intercept(mut self, intercept: SenIntercept) -> Self {
        self.intercept = intercept;
        self
    }

    /// Use this selection algorithm.
    pub fn with_algorithm(mut self, algorithm: SenAlgorithm) -> Self {
        self.algorithm = algorithm;
        self
    }
}

/// Sen's slope of a series with its intercept and confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct SenSlope {
    /// Median of the pairwise slopes.
    pub slope: f64,
    /// The intercept chosen in the options.
    pub intercept: f64,
    /// Which intercept that is.
    pub intercept_method: SenIntercept,
    /// Rank-based confidence interval of the slope; undefined where a rank falls outside
    /// 1..=N.
    pub ci: Outcome<Interval>,
    /// 1-based rank of the lower bound among the ordered slopes, round((N − C)/2).
    pub lower_rank: i64,
    /// 1-based rank of the upper bound, round((N + C)/2) + 1.
    pub upper_rank: i64,
    /// C = z(1 − α/2) √Var(S), the half-width of the interval in ranks.
    pub c: f64,
    /// Tie-corrected Var(S) used for C.
    pub var_s: f64,
    /// Number of pairwise slopes N = n(n − 1)/2.
    pub pairs: u64,
    /// Number of points used.
    pub n: usize,
    /// The algorithm that ran (`Materialize` or `Implicit`).
    pub algorithm: SenAlgorithm,
    /// The reference implementations this matches.
    pub reference: &'static str,
}

/// Sen's slope: the median of all pairwise slopes on the real session times.
///
/// ```text
/// slope = median over i < j of (y_j − y_i) / (t_j − t_i)
/// intercept = median(y) − slope · median(t)          (Conover; or median(y − slope·t))
/// C = z(1 − α/2) √Var(S)                             (tie-corrected Var(S) of Mann-Kendall)
/// lower = slope of rank round((N − C)/2),  upper = slope of rank round((N + C)/2) + 1
///         (1-based ranks in the N ascending slopes, rounding half to even)
/// ```
///
/// The interval ranks follow `scipy.stats.theilslopes` and R `trend::sens.slope`. Where a
/// rank falls outside 1..=N (n ≤ 4 at 95% without ties) the interval is
/// [`Undefined::RankOutOfRange`]; scipy clamps to the extreme slopes instead. The intercept
/// uses the times as given: pymannkendall's `sens_slope` counts time from 0, so on session
/// numbers 1..n its intercept is larger by one slope. For more than
/// [`MATERIALIZE_MAX_N`] points the order statistics are selected without listing the
/// slopes ([`SenAlgorithm::Implicit`]); a selected slope is an actual pairwise slope, equal
/// to the materialised order statistic up to the rounding of the comparisons (a few ulps of
/// the scores' magnitude). The random sampling is seeded, so results are deterministic.
///
/// # Errors
/// [`crate::Error::TooFew`] for fewer than 2 points.
///
/// # Example
/// ```
/// use alliance::trend::{sen_slope, SenOptions, Series};
/// use alliance::Level;
/// let s = Series::new(vec![1.0, 2.0, 4.0, 5.0, 6.0], vec![4.0, 4.4, 4.6, 5.2, 5.0])?;
/// let sen = sen_slope(&s, Level::default(), SenOptions::default())?;
/// assert!((sen.slope - 0.2).abs() < 1e-12);
/// assert!(sen.ci.is_defined());
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Theil (1950); Sen (1968), JASA 63:1379-1389; Conover (1980); Gilbert (1987). Matches
/// `scipy.stats.theilslopes` 1.12 (slope, interval, `method="separate"` and `"joint"`
/// intercepts) and `pymannkendall.sens_slope` 1.4.3 (slope; intercept on times 0..n−1).
pub fn sen_slope(series: &Series, level: Level, options: SenOptions) -> Result<SenSlope> {
    series.require(2)?;
    let (t, y) = (series.times(), series.values());
    let n = series.len();
    let pairs = (n as u64) * (n as u64 - 1) / 2;
    // Short series (batches of many) work in stack buffers: no heap allocation.
    let mut stack_y = [0.0f64; SMALL_N];
    let mut heap_y = Vec::new();
    let sorted_y: &mut [f64] = if n <= SMALL_N {
        let v = &mut stack_y[..n];
        v.copy_from_slice(y);
        v
    } else {
        heap_y.extend_from_slice(y);
        &mut heap_y
    };
    sorted_y.sort_unstable_by(f64::total_cmp);
    let sorted_y: &[f64] = sorted_y;
    let var_s = mann_kendall::var_s_sorted(sorted_y);
    let c = z_two_sided_cached(level)? * var_s.sqrt();
    let lower_rank = ((pairs as f64 - c) / 2.0).round_ties_even() as i64;
    let upper_rank = ((pairs as f64 + c) / 2.0).round_ties_even() as i64 + 1;
    let ci_exists = lower_rank >= 1 && upper_rank <= pairs as i64;

    let algorithm = match options.algorithm {
        SenAlgorithm::Auto if n <= MATERIALIZE_MAX_N => SenAlgorithm::Materialize,
        SenAlgorithm::Auto => SenAlgorithm::Implicit,
        other => other,
    };
    let (slope, bounds) = if algorithm == SenAlgorithm::Materialize {
        let wanted = ci_exists.then(|| (lower_rank as usize - 1, upper_rank as usize - 1));
        materialized(t, y, wanted)
    } else {
        let mut ranks = vec![median_ranks(pairs)];
        if ci_exists {
            ranks.push((lower_rank as u64, false));
            ranks.push((upper_rank as u64, false));
        }
        let found = select_ranks(t, y, &ranks);
        let slope = median_of(found[0]);
        let bounds = if ci_exists {
            Some((found[1].0, found[2].0))
        } else {
            None
        };
        (slope, bounds)
    };
    let ci = match bounds {
        Some((lower, upper)) => Outcome::Defined(Interval::new(lower, upper, level)),
        None => Outcome::Undefined(Undefined::RankOutOfRange),
    };
    let intercept = intercept(t, y, sorted_y, slope, options.intercept);
    Ok(SenSlope {
        slope,
        intercept,
        intercept_method: options.intercept,
        ci,
        lower_rank,
        upper_rank,
        c,
        var_s,
        pairs,
        n,
        algorithm,
        reference: "scipy.stats.theilslopes 1.12; pymannkendall.sens_slope 1.4.3",
    })
}

/// Median pairwise slope alone (for detrending in Hamed-Rao); `t`, `y` of equal length ≥ 2.
pub(crate) fn sen_median(t: &[f64], y: &[f64]) -> f64 {
    let n = t.len();
    let pairs = (n as u64) * (n as u64).saturating_sub(1) / 2;
    if n <= MATERIALIZE_MAX_N {
        materialized(t, y, None).0
    } else {
        median_of(select_ranks(t, y, &[median_ranks(pairs)])[0])
    }
}

/// The median's rank, and whether the next rank is averaged with it (N even).
fn median_ranks(pairs: u64) -> (u64, bool) {
    if pairs % 2 == 1 {
        (pairs / 2 + 1, false)
    } else {
        (pairs / 2, true)
    }
}

fn median_of(found: (f64, Option<f64>)) -> f64 {
    match found {
        (lo, Some(hi)) => lo + (hi - lo) / 2.0,
        (v, None) => v,
    }
}

/// `stats::z_two_sided(level)`, remembering the last level asked for: a batch of short series
/// at one level then computes the normal quantile once (the value is the same function of
/// the same input, so results are unchanged).
fn z_two_sided_cached(level: Level) -> Result<f64> {
    use std::cell::Cell;
    thread_local! {
        // (level bits, z); level 0 is never a valid level, so bits 0 means "empty".
        static LAST: Cell<(u64, f64)> = const { Cell::new((0, 0.0)) };
    }
    let bits = level.value().to_bits();
    let (last_bits, last_z) = LAST.with(Cell::get);
    if last_bits == bits {
        return Ok(last_z);
    }
    let z = stats::z_two_sided(level)?;
    LAST.with(|c| c.set((bits, z)));
    Ok(z)
}

/// Up to this many points the scores are sorted in a stack buffer.
const SMALL_N: usize = 32;

/// The key of `x` in `f64::total_cmp` order: integers compare as the floats do under
/// `total_cmp`, and selection on integers is faster. The map is its own inverse.
fn total_key(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    bits ^ (((bits >> 63) as u64) >> 1) as i64
}

fn from_key(key: i64) -> f64 {
    f64::from_bits((key ^ (((key >> 63) as u64) >> 1) as i64) as u64)
}

/// Writes the [`total_key`]s of the pairwise slopes `(y_j − y_i)/(t_j − t_i)`, i < j in row
/// order, into `out` (of length N).
fn fill_slope_keys(t: &[f64], y: &[f64], out: &mut [i64]) {
    let mut k = 0;
    for (i, (&ti, &yi)) in t.iter().zip(y).enumerate() {
        for (o, (&tj, &yj)) in out[k..].iter_mut().zip(t[i + 1..].iter().zip(&y[i + 1..])) {
            *o = total_key((yj - yi) / (tj - ti));
        }
        k += t.len() - i - 1;
    }
}

// Slope keys kept per thread, so that a batch of short series allocates nothing (and zeroes
// no stack buffer) after the first.
thread_local! {
    static KEYS: RefCell<Vec<i64>> = const { RefCell::new(Vec::new()) };
}

/// Buffers above this many slopes are released after use rather than kept for the thread.
const KEEP_SLOPES: usize = 1 << 16;

/// The median of all pairwise slopes and, when `wanted`, the slopes at those two 0-based
/// ranks (the interval's bounds), from the slopes listed in full.
fn materialized(t: &[f64], y: &[f64], wanted: Option<(usize, usize)>) -> (f64, Option<(f64, f64)>) {
    let n = t.len();
    let len = n * (n - 1) / 2;
    let run = |keys: &mut Vec<i64>| {
        keys.clear();
        keys.resize(len, 0);
        fill_slope_keys(t, y, keys);
        order_statistics(keys, wanted)
    };
    KEYS.try_with(|cell| match cell.try_borrow_mut() {
        Ok(mut keys) => {
            let found = run(&mut keys);
            if keys.capacity() > KEEP_SLOPES {
                *keys = Vec::new();
            }
            found
        }
        Err(_) => run(&mut Vec::new()),
    })
    .unwrap_or_else(|_| run(&mut Vec::new()))
}

/// The median of `slopes` (non-empty) and the order statistics at the 0-based indices
/// `wanted`: one selection at the median splits the slopes, and each bound is then selected
/// within its side only.
fn order_statistics(keys: &mut [i64], wanted: Option<(usize, usize)>) -> (f64, Option<(f64, f64)>) {
    let len = keys.len();
    let mid = len / 2;
    let (left, m, right) = keys.select_nth_unstable(mid);
    let m = from_key(*m);
    let median = if len % 2 == 1 {
        m
    } else {
        let below = left.iter().copied().max().map_or(m, from_key);
        below + (m - below) / 2.0
    };
    let mut pick = |index: usize| -> f64 {
        if index < mid {
            from_key(*left.select_nth_unstable(index).1)
        } else if index == mid {
            m
        } else {
            from_key(*right.select_nth_unstable(index - mid - 1).1)
        }
    };
    let bounds = wanted.map(|(lo, hi)| (pick(lo), pick(hi)));
    (median, bounds)
}

/// Median of an ascending non-empty slice, as `stats::median_in_place` computes it.
fn sorted_median(v: &[f64]) -> f64 {
    let n = v.len();
    let upper = v[n / 2];
    if n % 2 == 1 {
        upper
    } else {
        let lower = v[n / 2 - 1];
        lower + (upper - lower) / 2.0
    }
}

/// The intercept; `sorted_y` is `y` in ascending order (times are ascending already).
fn intercept(t: &[f64], y: &[f64], sorted_y: &[f64], slope: f64, method: SenIntercept) -> f64 {
    match method {
        SenIntercept::Conover => sorted_median(sorted_y) - slope * sorted_median(t),
        SenIntercept::JointMedian => {
            let mut r: Vec<f64> = t.iter().zip(y).map(|(t, y)| y - slope * t).collect();
            stats::median_in_place(&mut r).unwrap_or(0.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys order as `f64::total_cmp` and decode to the same bits.
    #[test]
    fn total_keys_order_as_total_cmp() {
        let xs = [
            f64::NEG_INFINITY,
            -1e300,
            -1.5,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            5e-324,
            0.25,
            1.5,
            f64::INFINITY,
        ];
        for &a in &xs {
            assert_eq!(from_key(total_key(a)).to_bits(), a.to_bits());
            for &b in &xs {
                assert_eq!(total_key(a).cmp(&total_key(b)), a.total_cmp(&b));
            }
        }
    }
}
