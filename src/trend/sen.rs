//! Sen's slope (Theil-Sen estimator) with its rank-based confidence interval.
//!
//! The order statistics of the n(n − 1)/2 pairwise slopes are found in one of two ways, chosen
//! by n alone (no knob: both give the same slopes): up to [`MATERIALIZE_MAX_N`] points the
//! slopes are listed and selected (the plain reference, [`materialized`]); above, the fast
//! kernel of `sen_select.rs` selects them without listing them. The tests compare the two.

use super::Series;
use super::pairs;
use super::sen_select::select_ranks;
use crate::error::{Error, Result};
use crate::method::IntervalMethod;
use crate::outcome::{Outcome, Undefined};
use crate::stats;
use crate::{Interval, Level};
use std::cell::RefCell;

/// Up to this many points the N = n(n − 1)/2 slopes are materialised (11,175 slopes);
/// above it they are selected implicitly, which is faster from about this size on (measured).
const MATERIALIZE_MAX_N: usize = 150;

/// Which intercept goes with Sen's slope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum SenIntercept {
    /// Conover (1980): median(y) − slope · median(t), on the times as given.
    #[default]
    Conover,
    /// Joint median: median(yᵢ − slope · tᵢ) (scipy `theilslopes(method="joint")`).
    JointMedian,
}

/// How the order statistics of the pairwise slopes are found (internal: chosen by n).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Algorithm {
    /// Materialise up to [`MATERIALIZE_MAX_N`] points, implicit selection above.
    Auto,
    /// Materialise all N slopes and select (O(n²) time and memory): the reference.
    #[cfg_attr(not(test), allow(dead_code))]
    Materialize,
    /// Select without materialising the slopes (`sen_select.rs`): O(n log n) expected time,
    /// O(n) memory.
    #[cfg_attr(not(test), allow(dead_code))]
    Implicit,
}

/// Options of [`sen_slope`].
///
/// # Example
/// ```
/// use alliance::trend::{SenIntercept, SenOptions};
/// use alliance::IntervalMethod;
/// let options = SenOptions::default()
///     .with_intercept(SenIntercept::JointMedian)
///     .with_ci_method(IntervalMethod::InterpolatedSlopes);
/// assert_eq!(SenOptions::default().ci_method, IntervalMethod::RankedSlopes);
/// assert_eq!(options.intercept, SenIntercept::JointMedian);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct SenOptions {
    /// The intercept (default Conover).
    pub intercept: SenIntercept,
    /// The interval: [`IntervalMethod::RankedSlopes`] (the default; scipy, R `trend`) or
    /// [`IntervalMethod::InterpolatedSlopes`] (Gilbert 1987; the `mannkendall` package).
    pub ci_method: IntervalMethod,
}

impl Default for SenOptions {
    fn default() -> Self {
        SenOptions {
            intercept: SenIntercept::Conover,
            ci_method: IntervalMethod::RankedSlopes,
        }
    }
}

impl SenOptions {
    /// Use this intercept.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{SenIntercept, SenOptions};
    /// let options = SenOptions::default().with_intercept(SenIntercept::JointMedian);
    /// assert_eq!(options.intercept, SenIntercept::JointMedian);
    /// ```
    #[must_use]
    pub fn with_intercept(mut self, intercept: SenIntercept) -> Self {
        self.intercept = intercept;
        self
    }

    /// Use this interval: [`IntervalMethod::RankedSlopes`] or
    /// [`IntervalMethod::InterpolatedSlopes`] ([`sen_slope`] refuses any other).
    ///
    /// # Example
    /// ```
    /// use alliance::trend::SenOptions;
    /// use alliance::IntervalMethod;
    /// let options = SenOptions::default().with_ci_method(IntervalMethod::InterpolatedSlopes);
    /// assert_eq!(options.ci_method, IntervalMethod::InterpolatedSlopes);
    /// ```
    #[must_use]
    pub fn with_ci_method(mut self, ci_method: IntervalMethod) -> Self {
        self.ci_method = ci_method;
        self
    }
}

/// Sen's slope of a series with its intercept and confidence interval.
///
/// Serializes; does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct SenSlope {
    /// Median of the pairwise slopes.
    pub slope: f64,
    /// The intercept chosen in the options.
    pub intercept: f64,
    /// Which intercept that is.
    pub intercept_method: SenIntercept,
    /// Confidence interval of the slope; [`Undefined::RankOutOfRange`] where a bound's rank
    /// falls outside 1..=N.
    pub ci: Outcome<Interval>,
    /// How the interval was computed ([`IntervalMethod::RankedSlopes`] or
    /// [`IntervalMethod::InterpolatedSlopes`]).
    pub ci_method: IntervalMethod,
    /// 1-based rank of the lower bound among the ordered slopes: round((N − C)/2) (ranked),
    /// or (N − C)/2, fractional, interpolated between its neighbours (interpolated).
    pub lower_rank: f64,
    /// 1-based rank of the upper bound: round((N + C)/2) + 1 (ranked), or (N + C)/2
    /// (interpolated).
    pub upper_rank: f64,
    /// C = z(1 − α/2) √Var(S), the half-width of the interval in ranks.
    pub c: f64,
    /// Tie-corrected Var(S) used for C.
    pub var_s: f64,
    /// Number of pairwise slopes N = n(n − 1)/2.
    pub slopes: u64,
    /// Number of points used.
    pub n: usize,
    /// The reference implementations this matches.
    pub reference: &'static str,
}

/// Sen's slope: the median of all pairwise slopes on the real session times.
///
/// ```text
/// slope = median over i < j of (y_j − y_i) / (t_j − t_i)
/// intercept = median(y) − slope · median(t)          (Conover; or median(y − slope·t))
/// C = z(1 − α/2) √Var(S)                             (tie-corrected Var(S) of Mann-Kendall)
/// RankedSlopes:       lower = d(round((N − C)/2)),  upper = d(round((N + C)/2) + 1)
///                     (rounding half to even)
/// InterpolatedSlopes: lower = d((N − C)/2),         upper = d((N + C)/2)
///                     d(r) = d⌊r⌋ + (r − ⌊r⌋)(d⌊r⌋₊₁ − d⌊r⌋)
/// d(r): the slope of 1-based rank r among the N ascending slopes
/// ```
///
/// The ranked interval ([`IntervalMethod::RankedSlopes`], the default) follows
/// `scipy.stats.theilslopes` and R `trend::sens.slope`. The interpolated one
/// ([`IntervalMethod::InterpolatedSlopes`]) is Gilbert's (1987, ch. 16.5) interval as the
/// `MeteoSwiss` `mannkendall` package computes it (Python 1.1.1, `mk_stats.sen_slope`, the port
/// of its R and MATLAB code; Collaud Coen et al. 2020): ranks (N ∓ C)/2 exactly, without the
/// ranked interval's rounding and without its + 1 on the upper rank, each bound interpolated
/// linearly between the two neighbouring ordered slopes. Where a rank falls outside 1..=N
/// (very short series) the interval is [`Undefined::RankOutOfRange`]; scipy and `mannkendall`
/// clamp to the extreme slopes instead. The intercept uses the times as given:
/// pymannkendall's `sens_slope` counts time from 0, so on session numbers 1..n its intercept
/// is larger by one slope. Long series are handled without listing the slopes (see the
/// module doc); a selected slope is an actual pairwise slope, equal to the listed order
/// statistic up to the rounding of the comparisons (a few ulps of the scores' magnitude).
/// The random sampling is seeded, so results are deterministic.
///
/// # Errors
/// [`Error::TooFewPoints`] for fewer than 2 points; [`Error::UnsupportedInterval`] for an
/// interval method other than the two above.
///
/// # Example
/// ```
/// use alliance::trend::{sen_slope, SenOptions, Series};
/// use alliance::{IntervalMethod, Level, Outcome, Undefined};
/// let s = Series::new(vec![1.0, 2.0, 4.0, 5.0, 6.0], vec![4.0, 4.4, 4.6, 5.2, 5.0])?;
/// let sen = sen_slope(&s, Level::default(), SenOptions::default())?;
/// assert!((sen.slope - 0.2).abs() < 1e-12);
/// assert_eq!((sen.slopes, sen.ci_method), (10, IntervalMethod::RankedSlopes));
/// assert!(sen.ci.is_defined());
/// let gilbert = SenOptions::default().with_ci_method(IntervalMethod::InterpolatedSlopes);
/// let interpolated = sen_slope(&s, Level::default(), gilbert)?;
/// assert_eq!(interpolated.slope, sen.slope);
/// // unrounded, the lower rank (10 − 8.0016)/2 = 0.9992 falls below the first slope
/// assert_eq!(interpolated.ci, Outcome::Undefined(Undefined::RankOutOfRange));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Theil (1950); Sen (1968), JASA 63:1379-1389; Conover (1980); Gilbert (1987), *Statistical
/// Methods for Environmental Pollution Monitoring*, ch. 16.5; Collaud Coen et al. (2020),
/// Atmos. Meas. Tech. 13:6945-6964. Matches `scipy.stats.theilslopes` 1.12 (slope, ranked
/// interval, `method="separate"` and `"joint"` intercepts), `pymannkendall.sens_slope` 1.4.3
/// (slope; intercept on times 0..n−1) and `mannkendall` 1.1.1 (interpolated interval).
pub fn sen_slope(series: &Series, level: Level, options: SenOptions) -> Result<SenSlope> {
    sen_slope_by(series, level, options, Algorithm::Auto)
}

/// [`sen_slope`] with the selection algorithm fixed (the tests compare the two).
fn sen_slope_by(
    series: &Series,
    level: Level,
    options: SenOptions,
    algorithm: Algorithm,
) -> Result<SenSlope> {
    let interpolated = match options.ci_method {
        IntervalMethod::RankedSlopes => false,
        IntervalMethod::InterpolatedSlopes => true,
        method => {
            return Err(Error::UnsupportedInterval {
                statistic: "Sen's slope",
                method,
                expected: "use RankedSlopes or InterpolatedSlopes",
            });
        }
    };
    series.require(2)?;
    let (t, y) = (series.times(), series.values());
    let n = series.len();
    let slopes = (n as u64) * (n as u64 - 1) / 2;
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
    let var_s = pairs::var_s_sorted(sorted_y);
    let c = z_two_sided_cached(level)? * var_s.sqrt();
    let nf = slopes as f64;
    let (lower_rank, upper_rank) = if interpolated {
        ((nf - c) / 2.0, (nf + c) / 2.0)
    } else {
        (
            ((nf - c) / 2.0).round_ties_even(),
            ((nf + c) / 2.0).round_ties_even() + 1.0,
        )
    };
    let ci_exists = lower_rank >= 1.0 && upper_rank <= nf;
    // 0-based ranks whose slopes the interval needs: the bound's rank, and the next one too
    // when a fractional rank is interpolated.
    let wanted = ci_exists.then(|| {
        let at = |r: f64| ((r - 1.0).floor() as u64, interpolated && r.fract() != 0.0);
        (at(lower_rank), at(upper_rank))
    });

    let materialize = match algorithm {
        Algorithm::Auto => n <= MATERIALIZE_MAX_N,
        Algorithm::Materialize => true,
        Algorithm::Implicit => false,
    };
    let (slope, bounds) = if materialize {
        materialized(t, y, wanted)
    } else {
        let mut ranks = vec![median_ranks(slopes)];
        if let Some((lo, hi)) = wanted {
            ranks.push((lo.0 + 1, lo.1));
            ranks.push((hi.0 + 1, hi.1));
        }
        let found = select_ranks(t, y, &ranks);
        let slope = median_of(found[0]);
        (slope, wanted.map(|_| (found[1], found[2])))
    };
    let ci = match bounds {
        Some((lower, upper)) => Outcome::Defined(Interval::new(
            interpolate(lower, lower_rank),
            interpolate(upper, upper_rank),
            level,
        )),
        None => Outcome::Undefined(Undefined::RankOutOfRange),
    };
    let intercept = intercept(t, y, sorted_y, slope, options.intercept);
    Ok(SenSlope {
        slope,
        intercept,
        intercept_method: options.intercept,
        ci,
        ci_method: options.ci_method,
        lower_rank,
        upper_rank,
        c,
        var_s,
        slopes,
        n,
        reference: if interpolated {
            "mannkendall 1.1.1 mk_stats.sen_slope (Gilbert 1987 interpolated interval); \
             scipy.stats.theilslopes 1.12 (slope)"
        } else {
            "scipy.stats.theilslopes 1.12; pymannkendall.sens_slope 1.4.3"
        },
    })
}

/// The slope at a 1-based rank `r`: the order statistic at ⌊r⌋, or, when `r` is fractional
/// and the next one was selected, linearly interpolated towards it.
fn interpolate(found: (f64, Option<f64>), r: f64) -> f64 {
    match found {
        (lo, Some(hi)) => lo + r.fract() * (hi - lo),
        (v, None) => v,
    }
}

/// Median pairwise slope alone (for detrending in Hamed-Rao); `t`, `y` of equal length ≥ 2.
pub(crate) fn sen_median(t: &[f64], y: &[f64]) -> f64 {
    let n = t.len();
    let slopes = (n as u64) * (n as u64).saturating_sub(1) / 2;
    if n <= MATERIALIZE_MAX_N {
        materialized(t, y, None).0
    } else {
        median_of(select_ranks(t, y, &[median_ranks(slopes)])[0])
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

/// A wanted 0-based rank, and whether the slope at the next rank is wanted too.
type Wanted = (u64, bool);

/// An order statistic, and the next one when it was wanted.
type Found = (f64, Option<f64>);

/// The median of all pairwise slopes and, when `wanted`, the slopes at those two 0-based
/// ranks (the interval's bounds, each with its successor when asked), from the slopes listed
/// in full: the plain reference of the implicit selection in `sen_select.rs`.
fn materialized(
    t: &[f64],
    y: &[f64],
    wanted: Option<(Wanted, Wanted)>,
) -> (f64, Option<(Found, Found)>) {
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
fn order_statistics(
    keys: &mut [i64],
    wanted: Option<(Wanted, Wanted)>,
) -> (f64, Option<(Found, Found)>) {
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
    let mut found = |(index, next): Wanted| -> Found {
        let index = index as usize;
        (pick(index), next.then(|| pick(index + 1)))
    };
    let bounds = wanted.map(|(lo, hi)| (found(lo), found(hi)));
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
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Sen's slope by one algorithm.
    fn by(s: &Series, options: SenOptions, algorithm: Algorithm) -> SenSlope {
        sen_slope_by(s, Level::default(), options, algorithm).unwrap()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()))
    }

    /// Every pairwise slope, ascending: the definition.
    fn brute_slopes(s: &Series) -> Vec<f64> {
        let (t, y) = (s.times(), s.values());
        let mut out = Vec::new();
        for i in 0..t.len() {
            for j in i + 1..t.len() {
                out.push((y[j] - y[i]) / (t[j] - t[i]));
            }
        }
        out.sort_by(f64::total_cmp);
        out
    }

    /// The slope at a 1-based rank of the brute-force list, interpolated when fractional.
    fn at_rank(slopes: &[f64], r: f64) -> f64 {
        let i = (r - 1.0).floor() as usize;
        let f = r.fract();
        if f == 0.0 {
            slopes[i]
        } else {
            slopes[i] + f * (slopes[i + 1] - slopes[i])
        }
    }

    const GILBERT: SenOptions = SenOptions {
        intercept: SenIntercept::Conover,
        ci_method: IntervalMethod::InterpolatedSlopes,
    };

    /// Both algorithms, both intervals, against scipy (ranked) on every stored reference case
    /// (`tests/reference/trend_stats.json`), to the integration tests' 1e-9.
    #[test]
    fn both_algorithms_match_scipy_theilslopes() {
        let doc: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/reference/trend_stats.json")).unwrap();
        let num = |v: &serde_json::Value| v.as_f64().unwrap();
        let check = |what: &str, ours: f64, theirs: f64| {
            let err = (ours - theirs).abs();
            let ok = if theirs == 0.0 {
                err <= 1e-15
            } else {
                err / theirs.abs() <= 1e-9
            };
            assert!(ok, "{what}: {ours:e} vs {theirs:e}");
        };
        let mut compared = 0;
        for case in doc["cases"].as_array().unwrap() {
            let name = case["name"].as_str().unwrap();
            let t = case["t"].as_array().unwrap().iter().map(num).collect();
            let y = case["y"].as_array().unwrap().iter().map(num).collect();
            let s = Series::new(t, y).unwrap();
            let ts = &case["theilslopes"];
            for algorithm in [Algorithm::Materialize, Algorithm::Implicit] {
                let sen = by(&s, SenOptions::default(), algorithm);
                check(name, sen.slope, num(&ts["slope"]));
                if let Outcome::Defined(ci) = sen.ci {
                    check(name, ci.lower, num(&ts["low"]));
                    check(name, ci.upper, num(&ts["high"]));
                }
                let joint = SenOptions::default().with_intercept(SenIntercept::JointMedian);
                check(
                    name,
                    by(&s, joint, algorithm).intercept,
                    num(&ts["intercept_joint"]),
                );
            }
            compared += 1;
        }
        assert!(compared >= 20);
    }

    /// Both algorithms, Gilbert's interpolated interval at 95% and 90%, against the `MeteoSwiss`
    /// `mannkendall` package 1.1.1 (`tests/reference/sen_interpolated.py`), to 1e-9; where
    /// its ranks leave 1..=N (it clamps) the interval is undefined here.
    #[test]
    fn interpolated_interval_matches_mannkendall() {
        let num = |v: &serde_json::Value| v.as_f64().unwrap();
        let series: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/reference/trend_stats.json")).unwrap();
        let reference: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/reference/sen_interpolated.json"))
                .unwrap();
        let (mut compared, mut undefined) = (0, 0);
        for (case, want) in series["cases"]
            .as_array()
            .unwrap()
            .iter()
            .zip(reference["cases"].as_array().unwrap())
        {
            let name = case["name"].as_str().unwrap();
            assert_eq!(Some(name), want["name"].as_str());
            let t = case["t"].as_array().unwrap().iter().map(num).collect();
            let y = case["y"].as_array().unwrap().iter().map(num).collect();
            let s = Series::new(t, y).unwrap();
            for (key, level) in [("95", 0.95), ("90", 0.9)] {
                let level = Level::new(level).unwrap();
                let g = &want[key];
                for algorithm in [Algorithm::Materialize, Algorithm::Implicit] {
                    let sen = sen_slope_by(&s, level, GILBERT, algorithm).unwrap();
                    assert_eq!(sen.ci_method, IntervalMethod::InterpolatedSlopes);
                    assert!(close_rel(sen.var_s, num(&want["var_s"])), "{name} var");
                    assert!(close_rel(sen.slope, num(&g["slope"])), "{name} slope");
                    match (sen.ci, g["in_range"].as_bool().unwrap()) {
                        (Outcome::Defined(ci), true) => {
                            assert!(close_rel(ci.lower, num(&g["lcl"])), "{name} {key} lcl");
                            assert!(close_rel(ci.upper, num(&g["ucl"])), "{name} {key} ucl");
                            compared += 1;
                        }
                        (Outcome::Undefined(Undefined::RankOutOfRange), false) => undefined += 1,
                        other => panic!("{name} {key}: {other:?}"),
                    }
                }
            }
        }
        assert!(
            compared >= 100 && undefined >= 1,
            "{compared} compared, {undefined} undefined"
        );
    }

    /// Relative 1e-9 (1e-15 absolute against an exact 0), as the integration tests.
    fn close_rel(ours: f64, theirs: f64) -> bool {
        let err = (ours - theirs).abs();
        if theirs == 0.0 {
            err <= 1e-15
        } else {
            err / theirs.abs() <= 1e-9
        }
    }

    /// 3,000 points (4.5 million slopes), with ties and gaps: the implicit selection equals
    /// the listed slopes' order statistics, for both intervals.
    #[test]
    fn implicit_sen_matches_materialized_on_long_series() {
        let n = 3000;
        let t: Vec<f64> = (0..n)
            .map(|i| i as f64 + if i % 7 == 0 { 0.5 } else { 0.0 })
            .collect();
        let y: Vec<f64> = (0..n)
            .map(|i| ((i * 7919) % 101) as f64 * 0.1 + 0.001 * i as f64)
            .collect();
        let s = Series::new(t, y).unwrap();
        for options in [SenOptions::default(), GILBERT] {
            let fast = by(&s, options, Algorithm::Auto);
            let slow = by(&s, options, Algorithm::Materialize);
            // Slopes equal in exact arithmetic (here many equal 0.001) differ in their last
            // bits after rounding; implicit selection resolves such runs up to that rounding.
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1e-300);
            assert!(
                close(fast.slope, slow.slope),
                "{} vs {}",
                fast.slope,
                slow.slope
            );
            let (f, m) = (fast.ci.value().unwrap(), slow.ci.value().unwrap());
            assert!(
                close(f.lower, m.lower) && close(f.upper, m.upper),
                "{f:?} vs {m:?}"
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Implicit selection of Sen's slope and of its interval bounds (ranked and
        /// interpolated) equals the median and the order statistics of all listed slopes
        /// (series long enough for sampling).
        #[test]
        fn implicit_sen_equals_brute_force(n in 300usize..900, seed in 0u64..1000, levels in 1u32..40, gaps in any::<bool>()) {
            let t: Vec<f64> = (0..n).map(|i| i as f64 * if gaps { 1.0 + ((i as u64 * seed) % 3) as f64 } else { 1.0 }).collect();
            let mut t2 = t.clone();
            for i in 1..n { if t2[i] <= t2[i - 1] { t2[i] = t2[i - 1] + 1.0; } }
            let y: Vec<f64> = (0..n).map(|i| (((i as u64 + 1) * (seed * 2654435761 + 97)) % u64::from(levels)) as f64 * 0.5 + 0.003 * i as f64 * (seed % 3) as f64).collect();
            let s = Series::new(t2, y)?;
            let slopes = brute_slopes(&s);
            for options in [SenOptions::default(), GILBERT] {
                let fast = by(&s, options, Algorithm::Implicit);
                let m = slopes.len();
                let median = if m % 2 == 1 { slopes[m / 2] } else { slopes[m / 2 - 1] + (slopes[m / 2] - slopes[m / 2 - 1]) / 2.0 };
                prop_assert!(close(fast.slope, median), "{} vs {}", fast.slope, median);
                if let Outcome::Defined(ci) = fast.ci {
                    prop_assert!(close(ci.lower, at_rank(&slopes, fast.lower_rank)));
                    prop_assert!(close(ci.upper, at_rank(&slopes, fast.upper_rank)));
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]

        /// Issue 14: the two algorithms disagreed (-9.58e13 against -10.84) on a series with
        /// subnormal time gaps, now outside the numeric domain. At its edges (gaps of 1e-100
        /// beside gaps of 1e95, scores of ±1e100 and ±1e-100 beside small integers) the
        /// implicit selection still equals the median of all listed slopes.
        #[test]
        fn implicit_sen_equals_brute_force_at_the_domain_edges(
            gaps in prop::collection::vec(prop_oneof![4 => Just(1.0), 1 => Just(1e-100), 1 => Just(1e95)], 160..360),
            picks in prop::collection::vec(prop_oneof![4 => (0u8..7).prop_map(f64::from), 1 => Just(1e100), 1 => Just(-1e100), 1 => Just(1e-100), 1 => Just(-1e-100)], 360),
        ) {
            let mut t = Vec::with_capacity(gaps.len());
            let mut now = 0.0;
            for g in &gaps {
                let next = now + g;
                now = if next > now { next } else { now + now * f64::EPSILON };
                t.push(now);
            }
            let y = picks[..t.len()].to_vec();
            let Ok(s) = Series::new(t, y) else { return Ok(()) };
            let slopes = brute_slopes(&s);
            let fast = by(&s, SenOptions::default(), Algorithm::Implicit);
            let m = slopes.len();
            let median = if m % 2 == 1 { slopes[m / 2] } else { slopes[m / 2 - 1] + (slopes[m / 2] - slopes[m / 2 - 1]) / 2.0 };
            prop_assert!(close(fast.slope, median), "{} vs {}", fast.slope, median);
            if let Outcome::Defined(ci) = fast.ci {
                prop_assert!(close(ci.lower, at_rank(&slopes, fast.lower_rank)), "{:?}", ci);
                prop_assert!(close(ci.upper, at_rank(&slopes, fast.upper_rank)), "{:?}", ci);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// The same on short series of few distinct scores, where long runs of equal slopes
        /// and ranks falling on either side of a counted threshold exercise every branch of
        /// the implicit selection.
        #[test]
        fn implicit_sen_equals_brute_force_with_heavy_ties(
            y in proptest::collection::vec(0u8..5, 2..70),
            gap in 1u8..4,
        ) {
            let t: Vec<f64> = (0..y.len()).map(|i| (i * usize::from(gap)) as f64).collect();
            let y: Vec<f64> = y.iter().map(|&v| f64::from(v) * 0.25).collect();
            let s = Series::new(t, y)?;
            let slopes = brute_slopes(&s);
            for options in [SenOptions::default(), GILBERT] {
                let fast = by(&s, options, Algorithm::Implicit);
                let slow = by(&s, options, Algorithm::Materialize);
                prop_assert!(close(fast.slope, slow.slope), "{} vs {}", fast.slope, slow.slope);
                prop_assert_eq!(fast.ci.is_defined(), slow.ci.is_defined());
                if let (Outcome::Defined(f), Outcome::Defined(m)) = (fast.ci, slow.ci) {
                    prop_assert!(close(f.lower, m.lower) && close(f.upper, m.upper), "{:?} vs {:?}", f, m);
                    prop_assert!(close(m.lower, at_rank(&slopes, slow.lower_rank)));
                    prop_assert!(close(m.upper, at_rank(&slopes, slow.upper_rank)));
                }
            }
        }

        /// Arbitrary finite series (huge magnitudes included) never panic either algorithm.
        #[test]
        fn no_panic_on_extreme_finite_series(y in proptest::collection::vec(-1e308f64..1e308, 1..60), step in 1e-300f64..1e300) {
            let t: Vec<f64> = (0..y.len()).map(|i| i as f64 * step).collect();
            if let Ok(s) = Series::new(t, y) {
                for algorithm in [Algorithm::Materialize, Algorithm::Implicit] {
                    for options in [SenOptions::default(), GILBERT] {
                        let _ = sen_slope_by(&s, Level::default(), options, algorithm);
                    }
                }
            }
        }
    }

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
