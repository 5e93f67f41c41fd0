//! Siegel's (1982) repeated-median line: for each point the median of its slopes to every
//! other point, then the median of those medians.
//!
//! Each inner median is found by linear-time selection (`select_nth_unstable`, O(n) worst
//! case, on integer keys that order as `f64::total_cmp`) in one buffer reused for every
//! point, so the whole estimate takes O(n²) time and O(n) memory, with no allocation per
//! point. Randomized O(n log n) algorithms exist (Matoušek, Mount, Netanyahu, Piatko,
//! Silverman & Wu 1998); at 10,000 sessions the plain algorithm takes about 0.6 s (bench
//! `trend/siegel_slope`), far beyond any course of therapy.

use super::Series;
use crate::error::{Error, Result};
use crate::outcome::{Outcome, Undefined};

/// Which intercept goes with Siegel's slope (scipy's `method`).
///
/// # Example
/// ```
/// use alliance::trend::{SiegelIntercept, SiegelOptions};
/// assert_eq!(SiegelOptions::default().intercept, SiegelIntercept::Hierarchical);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum SiegelIntercept {
    /// median(yᵢ − slope · xᵢ): the intercept of the estimated slope (scipy's default,
    /// `method="hierarchical"`).
    #[default]
    Hierarchical,
    /// The repeated median of the pairwise intercepts, `median_j median_{i: xᵢ ≠ xⱼ}`
    /// `(yᵢ xⱼ − yⱼ xᵢ)/(xⱼ − xᵢ)`, estimated separately from the slope (Siegel 1982;
    /// scipy's `method="separate"`).
    Separate,
}

/// Options of [`siegel_slope`] and [`siegel_slopes`].
///
/// # Example
/// ```
/// use alliance::trend::{SiegelIntercept, SiegelOptions};
/// let options = SiegelOptions::default().with_intercept(SiegelIntercept::Separate);
/// assert_eq!(options.intercept, SiegelIntercept::Separate);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct SiegelOptions {
    /// The intercept (default hierarchical).
    pub intercept: SiegelIntercept,
}

impl SiegelOptions {
    /// Use this intercept.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{SiegelIntercept, SiegelOptions};
    /// let options = SiegelOptions::default().with_intercept(SiegelIntercept::Separate);
    /// assert_eq!(options.intercept, SiegelIntercept::Separate);
    /// ```
    #[must_use]
    pub fn with_intercept(mut self, intercept: SiegelIntercept) -> Self {
        self.intercept = intercept;
        self
    }
}

/// Siegel's repeated-median line.
///
/// Serializes; does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct SiegelSlope {
    /// The repeated-median slope; [`Undefined::ZeroVariance`] when every x is equal (no pair
    /// has a slope), [`Undefined::OutOfRange`] if it overflowed.
    pub slope: Outcome,
    /// The intercept chosen in the options; undefined with the slope, or
    /// [`Undefined::OutOfRange`] if it overflowed.
    pub intercept: Outcome,
    /// Which intercept that is.
    pub intercept_method: SiegelIntercept,
    /// Number of points used.
    pub n: usize,
    /// The reference implementation this matches.
    pub reference: &'static str,
}

const REFERENCE: &str = "scipy.stats.siegelslopes 1.17.1";

/// The most points Siegel's line accepts: 2^15 = 32,768 (about 10^9 pairwise slopes, some
/// seconds). Its cost grows with the square of the points, so a million points would take
/// an hour; beyond the limit the functions refuse at once ([`Error::TooManyPointsForSiegel`])
/// and point to Sen's slope, which takes O(n log n).
pub const SIEGEL_MAX_POINTS: usize = 1 << 15;

/// Refuses more than [`SIEGEL_MAX_POINTS`] points.
fn check_size(n: usize) -> Result<()> {
    if n > SIEGEL_MAX_POINTS {
        return Err(Error::TooManyPointsForSiegel {
            points: n,
            limit: SIEGEL_MAX_POINTS,
        });
    }
    Ok(())
}

/// Siegel's repeated-median slope of a series on its real session times.
///
/// ```text
/// slope = median_j median_{i ≠ j} (y_j − y_i)/(t_j − t_i)
/// Hierarchical intercept: median_i (y_i − slope · t_i)
/// Separate intercept:     median_j median_{i ≠ j} (y_i t_j − y_j t_i)/(t_j − t_i)
/// median of an even count: the mean of the two middle values
/// ```
///
/// The estimate has a breakdown point of 50% (Theil-Sen's is about 29%): corrupting fewer
/// than half of the sessions, however wildly, cannot carry the slope away. In finite samples:
/// when at most (n − 3)/2 points are off an exact line, every clean point keeps a majority of
/// slopes equal to the line's and the clean points are a majority, so the slope and both
/// intercepts are exactly the line's (a property test checks this); the example below has
/// 3 of 8 points off, beyond that guarantee, and still recovers the line. On a
/// series the times are distinct, so every pair has a slope; [`siegel_slopes`] takes
/// arbitrary (x, y) pairs, ties in x included. O(n²) time, O(n) memory (module doc).
///
/// # Errors
/// [`Error::TooFewPoints`] for fewer than 2 points; [`Error::TooManyPointsForSiegel`] beyond
/// [`SIEGEL_MAX_POINTS`].
///
/// # Example
/// ```
/// use alliance::trend::{siegel_slope, SiegelIntercept, SiegelOptions, Series};
/// // sessions 1-8 on the line 4 + 0.1 t, with three wild scores
/// let s = Series::from_values(vec![4.1, 4.2, 9.0, 4.4, 0.0, 4.6, 4.7, 7.5])?;
/// let line = siegel_slope(&s, SiegelOptions::default())?;
/// assert!(line.slope.value().is_some_and(|b| (b - 0.1).abs() < 1e-12));
/// assert!(line.intercept.value().is_some_and(|a| (a - 4.0).abs() < 1e-12));
/// let separate = SiegelOptions::default().with_intercept(SiegelIntercept::Separate);
/// assert_eq!(siegel_slope(&s, separate)?.slope, line.slope);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Siegel (1982), Biometrika 69:242-244. Matches `scipy.stats.siegelslopes` 1.17.1
/// (`method="hierarchical"` and `"separate"`) and exact rational arithmetic
/// (`tests/reference/siegel.py`).
pub fn siegel_slope(series: &Series, options: SiegelOptions) -> Result<SiegelSlope> {
    series.require(2)?;
    check_size(series.len())?;
    Ok(repeated_median(series.times(), series.values(), options))
}

/// Siegel's repeated-median line of y on x for arbitrary pairs, ties in x included.
///
/// As [`siegel_slope`], with scipy's convention for ties: for each point, the pairs with an
/// equal x (which have no slope) are left out of its median, and of its separate intercept.
/// The points may come in any order. When every x is equal no pair has a slope: the slope and
/// intercept are [`Undefined::ZeroVariance`] (scipy returns whatever is in memory, e.g.
/// 2.3e-310).
///
/// # Errors
/// [`Error::LengthMismatch`] when x and y differ in length; [`Error::TooFewPoints`] for fewer
/// than 2 points; [`Error::TooManyPointsForSiegel`] beyond [`SIEGEL_MAX_POINTS`];
/// [`Error::NonFinite`], [`Error::TooLarge`] or [`Error::TooSmall`] for a value
/// outside the numeric domain ([`crate::domain`]), with its position.
///
/// # Example
/// ```
/// use alliance::trend::{siegel_slopes, SiegelOptions};
/// use alliance::{Outcome, Undefined};
/// // two raters' scores at the same session number are tied in x
/// let x = [1.0, 1.0, 2.0, 3.0, 3.0];
/// let y = [4.0, 4.4, 4.1, 4.9, 5.2];
/// let line = siegel_slopes(&x, &y, SiegelOptions::default())?;
/// assert!(line.slope.value().is_some_and(|b| (b - 0.45).abs() < 1e-12));
/// let flat = siegel_slopes(&[2.0, 2.0], &[1.0, 3.0], SiegelOptions::default())?;
/// assert_eq!(flat.slope, Outcome::Undefined(Undefined::ZeroVariance));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Siegel (1982), Biometrika 69:242-244. Matches `scipy.stats.siegelslopes(y, x, method)`
/// 1.17.1.
pub fn siegel_slopes(x: &[f64], y: &[f64], options: SiegelOptions) -> Result<SiegelSlope> {
    if x.len() != y.len() {
        return Err(Error::LengthMismatch {
            what: "y values",
            expected: x.len(),
            found: y.len(),
        });
    }
    if x.len() < 2 {
        return Err(Error::TooFewPoints {
            needed: 2,
            found: x.len(),
        });
    }
    check_size(x.len())?;
    crate::domain::check("x value", x)?;
    crate::domain::check("y value", y)?;
    Ok(repeated_median(x, y, options))
}

/// The key of `x` in `f64::total_cmp` order: integers compare as the floats do under
/// `total_cmp`, and selection on integers is faster (as in Sen's slope). Its own inverse.
fn key(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    bits ^ (((bits >> 63) as u64) >> 1) as i64
}

fn unkey(k: i64) -> f64 {
    f64::from_bits((k ^ (((k >> 63) as u64) >> 1) as i64) as u64)
}

/// Median of the values whose keys are `keys` (non-empty), reordering them, by linear-time
/// selection: the mean of the two middle values for an even count, as numpy.
fn median(keys: &mut [i64]) -> f64 {
    let m = keys.len();
    let mid = m / 2;
    let (lower, upper, _) = keys.select_nth_unstable(mid);
    let upper = unkey(*upper);
    if m % 2 == 1 {
        upper
    } else {
        let below = lower.iter().copied().max().map_or(upper, unkey);
        (below + upper) / 2.0
    }
}

/// The repeated-median slope and intercept of y on x (equal lengths ≥ 2).
// Exact equality of x is the definition of a pair without a slope (scipy's `deltax != 0`).
#[allow(clippy::float_cmp)]
fn repeated_median(x: &[f64], y: &[f64], options: SiegelOptions) -> SiegelSlope {
    let n = x.len();
    let separate = options.intercept == SiegelIntercept::Separate;
    let mut out = SiegelSlope {
        slope: Outcome::Undefined(Undefined::ZeroVariance),
        intercept: Outcome::Undefined(Undefined::ZeroVariance),
        intercept_method: options.intercept,
        n,
        reference: REFERENCE,
    };
    let mut buf = Vec::with_capacity(n);
    let mut slopes: Vec<i64> = Vec::with_capacity(n);
    let mut intercepts: Vec<i64> = Vec::with_capacity(if separate { n } else { 0 });
    for j in 0..n {
        let (xj, yj) = (x[j], y[j]);
        buf.clear();
        // scipy: deltay[j, i] / deltax[j, i] over i with x_i != x_j
        buf.extend(
            x.iter()
                .zip(y)
                .filter(|&(&xi, _)| xi != xj)
                .map(|(&xi, &yi)| key((yj - yi) / (xj - xi))),
        );
        if buf.is_empty() {
            // every x equals x_j: no pair has a slope
            return out;
        }
        slopes.push(key(median(&mut buf)));
        if separate {
            buf.clear();
            buf.extend(
                x.iter()
                    .zip(y)
                    .filter(|&(&xi, _)| xi != xj)
                    .map(|(&xi, &yi)| key((yi * xj - yj * xi) / (xj - xi))),
            );
            intercepts.push(key(median(&mut buf)));
        }
    }
    let slope = median(&mut slopes);
    if !slope.is_finite() {
        out.slope = Outcome::Undefined(Undefined::OutOfRange);
        out.intercept = Outcome::Undefined(Undefined::OutOfRange);
        return out;
    }
    out.slope = Outcome::Defined(slope);
    let intercept = if separate {
        median(&mut intercepts)
    } else {
        buf.clear();
        buf.extend(x.iter().zip(y).map(|(&xi, &yi)| key(yi - slope * xi)));
        median(&mut buf)
    };
    out.intercept = if intercept.is_finite() {
        Outcome::Defined(intercept)
    } else {
        Outcome::Undefined(Undefined::OutOfRange)
    };
    out
}
