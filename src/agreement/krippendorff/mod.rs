//! Krippendorff's alpha for any number of coders, any metric, with missing values, computed
//! from per-unit counts and sums: never a units x V x V array, and for the interval metric
//! never a V x V matrix at all, so continuous scores cost O(values).

mod bootstrap;
mod parts;

use crate::error::{Error, Result};
use crate::interval::{Interval, Level};
use crate::method::IntervalMethod;
use crate::outcome::{Outcome, Undefined};
use crate::ratings::{CaseDeletion, Ratings};
use bootstrap::bootstrap_interval;
use parts::alpha_parts;

/// The difference function δ² of Krippendorff's alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

impl Metric {
    /// The most pairs of distinct values the ratio metric may compare: 2^27 (about 1.3e8,
    /// under a second; the pooled pairs of about 16,000 distinct values). Its expected
    /// disagreement `Σ_{a≠b} n_a n_b ((a − b)/(a + b))²` couples both values through the
    /// denominator, so it does not reduce to prefix sums over sorted values as the interval
    /// metric does: it is a double sum over the V distinct values (and, within each unit,
    /// over that unit's distinct values). Counted before that work starts: the pooled
    /// V(V − 1)/2 plus each unit's own pairs, and with a bootstrap the costliest possible
    /// resample (every unit drawn as the unit with the most pairs).
    pub const RATIO_PAIRS_LIMIT: u64 = 1 << 27;
}

/// A deterministic, seeded bootstrap: how many replicates, the seed and the level. Shared by
/// every bootstrap interval of the crate: Krippendorff's alpha (below),
/// [`icc_reml`](crate::agreement::icc_reml) (a parametric bootstrap: replicates simulated
/// from the fit), and [`alpha_bootstrap`](crate::reliability::alpha_bootstrap) and
/// [`omega_bootstrap`](crate::reliability::omega_bootstrap) (respondents resampled); each
/// function's docs say what is resampled.
///
/// For Krippendorff's alpha the cost is the number of replicates times the cost of one alpha (memory: one value per
/// replicate, at most 8 MB): a million replicates on 100 units take about 5 s, so keep
/// large data sets to the conventional 1000 to 10,000 replicates.
///
/// For Krippendorff's alpha each replicate draws the pairable units with replacement
/// (`SplitMix64` from the seed) and recomputes alpha; the interval is the percentile interval of the defined replicates
/// (linear interpolation between order statistics, numpy's default). This is a plain unit
/// bootstrap, not Krippendorff's (Hayes & Krippendorff 2007) resampling of the coincidence
/// matrix: it keeps each unit's coders together and needs no distributional assumption.
///
/// Built with named settings: [`Bootstrap::new`] takes the number of replicates (2 to
/// [`Bootstrap::MAX_REPLICATES`]); the seed defaults to 0 and the level to 95%.
///
/// # Example
/// ```
/// use alliance::agreement::Bootstrap;
/// use alliance::Level;
/// let b = Bootstrap::new(2000)?.with_seed(42).with_level(Level::new(0.90)?);
/// assert_eq!((b.replicates(), b.seed(), b.level().value()), (2000, 42, 0.90));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "BootstrapData", into = "BootstrapData")
)]
pub struct Bootstrap {
    replicates: usize,
    seed: u64,
    level: Level,
}

/// The wire form of [`Bootstrap`], validated on the way in by [`Bootstrap::new`]; the seed
/// and level default as there.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct BootstrapData {
    replicates: usize,
    #[serde(default)]
    seed: u64,
    #[serde(default)]
    level: Level,
}

#[cfg(feature = "serde")]
impl TryFrom<BootstrapData> for Bootstrap {
    type Error = Error;
    fn try_from(d: BootstrapData) -> Result<Bootstrap> {
        Ok(Bootstrap::new(d.replicates)?
            .with_seed(d.seed)
            .with_level(d.level))
    }
}

#[cfg(feature = "serde")]
impl From<Bootstrap> for BootstrapData {
    fn from(b: Bootstrap) -> BootstrapData {
        BootstrapData {
            replicates: b.replicates,
            seed: b.seed,
            level: b.level,
        }
    }
}

impl Bootstrap {
    /// The most replicates accepted: one million (8 MB of replicate values), far beyond the
    /// 1,000-10,000 a percentile interval needs.
    pub const MAX_REPLICATES: usize = 1_000_000;

    /// The most values one bootstrap may draw, replicates × pairable values: 2^30 (about
    /// 1.1e9, roughly a minute). Checked before any resampling, with
    /// [`Error::BootstrapTooCostly`]: 10,000 replicates fit data of up to 107,374 pairable
    /// values, 1000 replicates up to 1,073,741.
    pub const MAX_DRAWS: u64 = 1 << 30;

    /// A bootstrap of `replicates` resamples, seed 0, 95% level.
    ///
    /// # Errors
    /// [`Error::BootstrapReplicates`] for fewer than 2 or more than
    /// [`Bootstrap::MAX_REPLICATES`] replicates.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Bootstrap;
    /// let b = Bootstrap::new(1000)?;
    /// assert_eq!((b.replicates(), b.seed(), b.level().value()), (1000, 0, 0.95));
    /// assert!(Bootstrap::new(1).is_err() && Bootstrap::new(usize::MAX).is_err());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(replicates: usize) -> Result<Bootstrap> {
        if !(2..=Self::MAX_REPLICATES).contains(&replicates) {
            return Err(Error::BootstrapReplicates {
                found: replicates,
                min: 2,
                max: Self::MAX_REPLICATES,
            });
        }
        Ok(Bootstrap {
            replicates,
            seed: 0,
            level: Level::default(),
        })
    }

    /// The same bootstrap with another seed (the same seed gives the same interval).
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Bootstrap;
    /// assert_eq!(Bootstrap::new(500)?.with_seed(7).seed(), 7);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    #[must_use]
    pub fn with_seed(self, seed: u64) -> Bootstrap {
        Bootstrap { seed, ..self }
    }

    /// The same bootstrap at another confidence level.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Bootstrap;
    /// use alliance::Level;
    /// let b = Bootstrap::new(500)?.with_level(Level::new(0.99)?);
    /// assert_eq!(b.level().value(), 0.99);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    #[must_use]
    pub fn with_level(self, level: Level) -> Bootstrap {
        Bootstrap { level, ..self }
    }

    /// Number of resamples.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Bootstrap;
    /// assert_eq!(Bootstrap::new(500)?.replicates(), 500);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn replicates(&self) -> usize {
        self.replicates
    }

    /// The seed.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Bootstrap;
    /// assert_eq!(Bootstrap::new(500)?.seed(), 0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The confidence level.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Bootstrap;
    /// use alliance::Level;
    /// assert_eq!(Bootstrap::new(500)?.level(), Level::default());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn level(&self) -> Level {
        self.level
    }
}

/// Krippendorff's alpha with its parts.
///
/// An undefined alpha (no pairable unit, or no variation among the pairable values) keeps the
/// counts, and with no variation the disagreements (both exactly 0). Serializes; does not
/// deserialize (a result is computed, not read).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Krippendorff {
    /// alpha = 1 - `D_o` / `D_e`. Negative values are reported as they are.
    pub coefficient: Outcome<f64>,
    /// Observed disagreement `D_o` (for the ordinal metric, on the mid-ranks);
    /// [`Undefined::NoPairableUnit`](crate::Undefined::NoPairableUnit) without a pairable
    /// unit, [`Undefined::OutOfRange`](crate::Undefined::OutOfRange) when it overflows f64.
    pub observed_disagreement: Outcome<f64>,
    /// Expected disagreement `D_e`, defined as `observed_disagreement`.
    pub expected_disagreement: Outcome<f64>,
    /// The metric used.
    pub metric: Metric,
    /// Pairable units: units (rows) with 2 or more values.
    pub n: usize,
    /// Pairable values: the values in pairable units (the n of Krippendorff's formulas).
    pub pairable: usize,
    /// Units dropped because they had fewer than 2 values.
    pub dropped: usize,
    /// The missing-data policy: [`CaseDeletion::AvailableRatings`] (each unit counts with the
    /// values it has).
    pub missing: CaseDeletion,
    /// Percentile bootstrap interval; [`Undefined::NotRequested`](crate::Undefined::NotRequested)
    /// without a [`Bootstrap`]; with one, alpha's own reason when alpha is undefined, and
    /// [`Undefined::TooFewObservations`](crate::Undefined::TooFewObservations) when fewer
    /// than 2 replicates had a defined alpha.
    pub ci: Outcome<Interval>,
    /// How `ci` is computed: [`IntervalMethod::PercentileBootstrap`].
    pub ci_method: IntervalMethod,
    /// Bootstrap replicates whose alpha was undefined (e.g. every resampled value identical);
    /// they are left out of the interval.
    pub undefined_replicates: usize,
    /// The reference implementation matched.
    pub reference: &'static str,
}

/// Krippendorff's alpha reliability of `ratings` (units x coders, missing allowed).
///
/// `ratings` has one row per unit and one column per coder. Data in the literature's layout,
/// one row per coder (the `reliability_data` of the Python package krippendorff, R irr's
/// `kripp.alpha`), go through [`ratings_from_coders_by_units`]; rows of units through
/// [`ratings_from_units_by_coders`] (both take `None` for a missing value), so neither layout
/// is transposed by accident.
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
/// `D_e`) alpha is [`ConstantValues`](crate::Undefined::ConstantValues), with `n`,
/// `pairable` and both disagreements (0) still reported; with no pairable unit,
/// [`NoPairableUnit`](crate::Undefined::NoPairableUnit). A single pairable unit with a
/// disagreement is defined by the formula (it gives `D_o` = `D_e`, so alpha = 0).
///
/// # Errors
/// [`Error::OutOfDomain`] for a negative value with the ratio metric (row-major index);
/// [`Error::TooManyRatioPairs`] when the ratio metric would compare more than
/// [`Metric::RATIO_PAIRS_LIMIT`] pairs of distinct values (checked before that work);
/// [`Error::BootstrapTooCostly`] when replicates × pairable values exceed
/// [`Bootstrap::MAX_DRAWS`].
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
/// assert_eq!((a.n, a.pairable), (4, 11));
/// let alpha = a.coefficient.value().expect("values vary");
/// assert!(alpha > 0.9 && alpha < 1.0);
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
) -> Result<Krippendorff> {
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
    if metric == Metric::Ratio {
        parts::check_ratio_work(ratings.rows_raw(), bootstrap.is_some())?;
    }
    if let Some(b) = bootstrap {
        let values: usize = ratings
            .rows_raw()
            .map(|u| present(u).count())
            .filter(|&m| m >= 2)
            .sum();
        let draws = (b.replicates as u64).saturating_mul(values as u64);
        if draws > Bootstrap::MAX_DRAWS {
            return Err(Error::BootstrapTooCostly {
                replicates: b.replicates,
                values,
                limit: Bootstrap::MAX_DRAWS,
            });
        }
    }
    let total_units = ratings.targets();
    let complete = (ratings.missing() == 0).then_some(ratings);
    let mut result = Krippendorff {
        coefficient: Outcome::Undefined(Undefined::NoPairableUnit),
        observed_disagreement: Outcome::Undefined(Undefined::NoPairableUnit),
        expected_disagreement: Outcome::Undefined(Undefined::NoPairableUnit),
        metric,
        n: 0,
        pairable: 0,
        dropped: total_units,
        missing: CaseDeletion::AvailableRatings,
        ci: Outcome::Undefined(Undefined::NotRequested),
        ci_method: IntervalMethod::PercentileBootstrap,
        undefined_replicates: 0,
        reference: "krippendorff 0.9.0 krippendorff.alpha; irrCAC CAC.krippendorff (nominal, interval)",
    };
    let parts = match alpha_parts(ratings.rows_raw(), metric, complete) {
        Ok(parts) => parts,
        Err(d) => {
            result.coefficient = Outcome::Undefined(d.reason);
            if bootstrap.is_some() {
                result.ci = Outcome::Undefined(d.reason);
            }
            result.n = d.units;
            result.pairable = d.values;
            result.dropped = total_units - d.units;
            if d.reason == Undefined::ConstantValues {
                // Identical values: no disagreement observed or expected, exactly.
                result.observed_disagreement = Outcome::Defined(0.0);
                result.expected_disagreement = Outcome::Defined(0.0);
            }
            return Ok(result);
        }
    };
    result.coefficient = Outcome::Defined(parts.alpha());
    result.observed_disagreement = parts.observed();
    result.expected_disagreement = parts.expected();
    result.n = parts.units;
    result.pairable = parts.values;
    result.dropped = total_units - parts.units;
    if let Some(b) = bootstrap {
        (result.ci, result.undefined_replicates) = bootstrap_interval(ratings, metric, b);
    }
    Ok(result)
}

/// A units x coders [`Ratings`] matrix from reliability data in the literature's layout: one
/// row per coder, one column per unit, `None` where a coder did not rate a unit (the
/// `reliability_data` of the Python package krippendorff, the matrix of R irr's
/// `kripp.alpha`). The result has one row per unit, as [`krippendorff_alpha`] and the
/// multi-rater kappas take it.
///
/// # Errors
/// [`Error::RaggedReliabilityData`] when the coders' rows differ in length; otherwise as
/// [`Ratings::with_missing`] (at least 2 units and 2 coders, finite values).
///
/// # Example
/// ```
/// use alliance::agreement::{Metric, krippendorff_alpha, ratings_from_coders_by_units};
/// // 2 coders (rows) x 4 units (columns)
/// let data = [
///     [Some(1.0), Some(2.0), Some(3.0), None],
///     [Some(1.0), Some(2.0), Some(2.0), Some(4.0)],
/// ];
/// let r = ratings_from_coders_by_units(&data)?;
/// assert_eq!((r.targets(), r.raters()), (4, 2));
/// assert_eq!(r.get(2, 0), Some(3.0));
/// let a = krippendorff_alpha(&r, Metric::Nominal, None)?;
/// assert_eq!((a.n, a.dropped), (3, 1));
/// # Ok::<(), alliance::Error>(())
/// ```
pub fn ratings_from_coders_by_units<R: AsRef<[Option<f64>]>>(rows: &[R]) -> Result<Ratings> {
    let units = check_rows(rows)?;
    let coders = rows.len();
    let mut cells = Vec::with_capacity(units.saturating_mul(coders));
    for u in 0..units {
        cells.extend(rows.iter().map(|r| r.as_ref().get(u).copied().flatten()));
    }
    Ratings::with_missing(units, coders, cells)
}

/// A units x coders [`Ratings`] matrix from one row per unit, one column per coder, `None`
/// where a coder did not rate the unit (the layout of [`Ratings`] itself, spelled out so the
/// choice of layout is visible beside [`ratings_from_coders_by_units`]).
///
/// # Errors
/// [`Error::RaggedReliabilityData`] when the units' rows differ in length; otherwise as
/// [`Ratings::with_missing`].
///
/// # Example
/// ```
/// use alliance::agreement::{ratings_from_coders_by_units, ratings_from_units_by_coders};
/// let by_units = ratings_from_units_by_coders(&[[Some(1.0), Some(1.0)], [Some(2.0), None], [Some(3.0), Some(2.0)]])?;
/// let by_coders = ratings_from_coders_by_units(&[[Some(1.0), Some(2.0), Some(3.0)], [Some(1.0), None, Some(2.0)]])?;
/// assert_eq!(by_units, by_coders);
/// # Ok::<(), alliance::Error>(())
/// ```
pub fn ratings_from_units_by_coders<R: AsRef<[Option<f64>]>>(rows: &[R]) -> Result<Ratings> {
    let coders = check_rows(rows)?;
    let cells = rows
        .iter()
        .flat_map(|r| r.as_ref().iter().copied())
        .collect();
    Ratings::with_missing(rows.len(), coders, cells)
}

/// The common row length.
fn check_rows<R: AsRef<[Option<f64>]>>(rows: &[R]) -> Result<usize> {
    let expected = rows.first().map_or(0, |r| r.as_ref().len());
    for (row, r) in rows.iter().enumerate() {
        let found = r.as_ref().len();
        if found != expected {
            return Err(Error::RaggedReliabilityData {
                row,
                expected,
                found,
            });
        }
    }
    Ok(expected)
}

/// Why alpha is undefined, with the counts that are still known.
#[derive(Debug)]
pub(super) struct Degenerate {
    pub(super) reason: Undefined,
    pub(super) units: usize,
    pub(super) values: usize,
}

impl Degenerate {
    pub(super) fn none_pairable() -> Degenerate {
        Degenerate {
            reason: Undefined::NoPairableUnit,
            units: 0,
            values: 0,
        }
    }
    pub(super) fn constant(units: usize, values: usize) -> Degenerate {
        Degenerate {
            reason: Undefined::ConstantValues,
            units,
            values,
        }
    }
}

/// Σ over units of the observed-disagreement sums and the expected-disagreement sum, with
/// alpha = 1 - (n - 1) `do_sum` / `de_sum`.
pub(super) struct Parts {
    do_sum: f64,
    de_sum: f64,
    values: usize,
    units: usize,
    /// The values were divided by `scale` (1 unless their squares overflowed).
    scale: f64,
}

impl Parts {
    pub(super) fn n(&self) -> f64 {
        self.values as f64
    }
    pub(super) fn alpha(&self) -> f64 {
        1.0 - (self.n() - 1.0) * self.do_sum / self.de_sum
    }
    /// `D_o` on the data's own scale.
    pub(super) fn observed(&self) -> Outcome<f64> {
        self.unscaled(self.do_sum / self.n())
    }
    /// `D_e` on the data's own scale.
    pub(super) fn expected(&self) -> Outcome<f64> {
        self.unscaled(self.de_sum / (self.n() * (self.n() - 1.0)))
    }
    fn unscaled(&self, d: f64) -> Outcome<f64> {
        let d = d * self.scale * self.scale;
        if d.is_finite() {
            Outcome::Defined(d)
        } else {
            Outcome::Undefined(Undefined::OutOfRange)
        }
    }
}

/// The present (non-NaN) values of a unit.
pub(super) fn present(unit: &[f64]) -> impl Iterator<Item = f64> + '_ {
    unit.iter().copied().filter(|x| !x.is_nan())
}
