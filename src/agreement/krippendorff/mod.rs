//! Krippendorff's alpha for any number of coders, any metric, with missing values, computed
//! from per-unit counts and sums: never a units x V x V array, and for the interval metric
//! never a V x V matrix at all, so continuous scores cost O(values).

mod bootstrap;
mod parts;

use crate::error::{Error, Result};
use crate::interval::{Interval, Level};
use crate::outcome::Outcome;
use crate::ratings::Ratings;
use bootstrap::bootstrap_interval;
use parts::alpha_parts;

/// The difference function δ² of Krippendorff's alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Metric {
    /// δ²(c, k) = 0 if c = k, else 1.
    Nominal,
    /// Krippendorff's rank metric from the marginal frequencies `n_g` of the pairable values:
    /// δ²(c, k) = (`Σ_{g=c..k}` `n_g` - (`n_c` + `n_k`)/2)^2. This equals the squared difference of the
    /// mid-ranks of c and k, which is how it is computed. (irrCAC's "ordinal" weights are
    /// Gwet's rank distance instead and differ.)
    Ordinal,
    /// δ²(c, k) = (c - k)^2.
    Interval,
    /// δ²(c, k) = ((c - k)/(c + k))^2, and 0 when both are 0; values must be non-negative.
    Ratio,
}

/// A deterministic, seeded unit bootstrap for the interval of Krippendorff's alpha.
///
/// Each replicate draws the pairable units with replacement (`SplitMix64` from `seed`) and
/// recomputes alpha; the interval is the percentile interval of the defined replicates
/// (linear interpolation between order statistics, numpy's default). This is a plain unit
/// bootstrap, not Krippendorff's (Hayes & Krippendorff 2007) resampling of the coincidence
/// matrix: it keeps each unit's coders together and needs no distributional assumption.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Bootstrap {
    replicates: usize,
    seed: u64,
    level: Level,
}

impl Bootstrap {
    /// A bootstrap of `replicates` resamples from `seed` at confidence `level`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for fewer than 2 replicates.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Bootstrap;
    /// use alliance::Level;
    /// let b = Bootstrap::new(1000, 42, Level::default())?;
    /// assert_eq!(b.replicates(), 1000);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(replicates: usize, seed: u64, level: Level) -> Result<Bootstrap> {
        if replicates < 2 {
            return Err(Error::InvalidParameter {
                name: "bootstrap replicates",
                value: replicates as f64,
                expected: "at least 2",
            });
        }
        Ok(Bootstrap {
            replicates,
            seed,
            level,
        })
    }

    /// Number of resamples.
    pub fn replicates(&self) -> usize {
        self.replicates
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The confidence level.
    pub fn level(&self) -> Level {
        self.level
    }
}

/// Krippendorff's alpha with its parts.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Krippendorff {
    /// alpha = 1 - `D_o` / `D_e`. Negative values are reported as they are.
    pub value: f64,
    /// Observed disagreement `D_o`.
    pub observed: f64,
    /// Expected disagreement `D_e`.
    pub expected: f64,
    /// The metric used.
    pub metric: Metric,
    /// Pairable units (with 2 or more values).
    pub units: usize,
    /// Pairable values n (the values in pairable units).
    pub values: usize,
    /// Units dropped because they had fewer than 2 values.
    pub dropped_units: usize,
    /// Percentile bootstrap interval, when a bootstrap was requested and at least 2
    /// replicates were defined.
    pub ci: Option<Interval>,
    /// Bootstrap replicates whose alpha was undefined (e.g. every resampled value identical);
    /// they are left out of the interval.
    pub undefined_replicates: usize,
    /// The reference implementation matched.
    pub reference: &'static str,
}

/// Krippendorff's alpha reliability of `ratings` (units x coders, missing allowed).
///
/// Units with fewer than 2 values are not pairable and drop out. With `m_u` values in unit u
/// and n = Σ `m_u` pairable values:
/// ```text
/// D_o = (1/n) Σ_u 1/(m_u - 1) Σ_{i≠j in u} δ²(v_i, v_j)
/// D_e = 1/(n (n - 1)) Σ_c Σ_k n_c n_k δ²(c, k)
/// alpha = 1 - D_o / D_e
/// ```
/// Interval (and ordinal, on mid-ranks) use `Σ_{i≠j}` (`v_i` - `v_j`)^2 = 2 m Σ (`v_i` - v̄)^2, so
/// ```text
/// D_o = (2/n) Σ_u m_u SS_u / (m_u - 1),   D_e = 2 SS_total / (n - 1)
/// ```
/// in two passes over the data, with no table of values at all (one-decimal 0-40 scores or
/// truly continuous ones cost the same). Nominal uses per-unit and overall value counts
/// (`m_u^2` - Σ `n_uc^2`, n^2 - Σ `n_c^2`), kept in a small sorted table of distinct values.
/// Ordinal maps each value to its mid-rank from that table, then proceeds as interval. Ratio
/// needs the pairwise sums over distinct values: O(V^2) time in the number V of distinct
/// values, O(V) memory. Missing values are skipped per unit: a unit counts with the values it
/// has.
///
/// When every pairable value is identical (decided by comparing values, not from a computed
/// `D_e`) alpha is [`ConstantValues`](crate::Undefined::ConstantValues); with no pairable
/// unit, [`NoPairableUnit`](crate::Undefined::NoPairableUnit). A single pairable unit
/// with a disagreement is defined by the formula (it gives `D_o` = `D_e`, so alpha = 0).
///
/// # Errors
/// [`Error::OutOfDomain`] for a negative value with the ratio metric (row-major index).
///
/// # Example
/// ```
/// use alliance::agreement::{Metric, krippendorff_alpha};
/// use alliance::Ratings;
/// // 4 units, 3 coders, one missing value
/// let r = Ratings::with_missing(4, 3, vec![
///     Some(1.0), Some(1.0), None,
///     Some(2.0), Some(2.0), Some(3.0),
///     Some(3.0), Some(3.0), Some(3.0),
///     Some(4.0), Some(4.0), Some(4.0),
/// ])?;
/// let a = krippendorff_alpha(&r, Metric::Interval, None)?;
/// let a = a.defined().expect("values vary");
/// assert!(a.value > 0.9 && a.value < 1.0);
/// assert_eq!((a.units, a.values), (4, 11));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
/// Communication, University of Pennsylvania. Krippendorff, K. (2004). *Content Analysis*,
/// 2nd ed., ch. 11. Matches the Python package krippendorff 0.9.0 (`krippendorff.alpha`), and
/// irrCAC 0.4.4 `CAC(...).krippendorff()` for the nominal and interval metrics.
pub fn krippendorff_alpha(
    ratings: &Ratings,
    metric: Metric,
    bootstrap: Option<Bootstrap>,
) -> Result<Outcome<Krippendorff>> {
    if metric == Metric::Ratio {
        for (index, row) in ratings.rows_raw().enumerate() {
            for (j, &x) in row.iter().enumerate() {
                if x < 0.0 {
                    return Err(Error::OutOfDomain {
                        what: "ratio-metric value",
                        index: index * row.len() + j,
                        value: x,
                        expected: "non-negative (a ratio scale has a true zero)",
                    });
                }
            }
        }
    }
    let total_units = ratings.targets();
    let complete = (ratings.missing() == 0).then_some(ratings);
    let parts = alpha_parts(ratings.rows_raw(), metric, complete);
    let parts = match parts {
        Ok(parts) => parts,
        Err(reason) => {
            return Ok(Outcome::Undefined(reason));
        }
    };
    let (ci, undefined_replicates) = match bootstrap {
        Some(b) => bootstrap_interval(ratings, metric, b),
        None => (None, 0),
    };
    Ok(Outcome::Defined(Krippendorff {
        value: parts.alpha(),
        observed: parts.observed(),
        expected: parts.expected(),
        metric,
        units: parts.units,
        values: parts.values,
        dropped_units: total_units - parts.units,
        ci,
        undefined_replicates,
        reference: "krippendorff 0.9.0 krippendorff.alpha; irrCAC CAC.krippendorff (nominal, interval)",
    }))
}

/// Σ over units of the observed-disagreement sums and the expected-disagreement sum, with
/// alpha = 1 - (n - 1) `do_sum` / `de_sum`.
pub(super) struct Parts {
    do_sum: f64,
    de_sum: f64,
    values: usize,
    units: usize,
}

impl Parts {
    pub(super) fn n(&self) -> f64 {
        self.values as f64
    }
    pub(super) fn alpha(&self) -> f64 {
        1.0 - (self.n() - 1.0) * self.do_sum / self.de_sum
    }
    pub(super) fn observed(&self) -> f64 {
        self.do_sum / self.n()
    }
    pub(super) fn expected(&self) -> f64 {
        self.de_sum / (self.n() * (self.n() - 1.0))
    }
}

/// The present (non-NaN) values of a unit.
pub(super) fn present(unit: &[f64]) -> impl Iterator<Item = f64> + '_ {
    unit.iter().copied().filter(|x| !x.is_nan())
}
