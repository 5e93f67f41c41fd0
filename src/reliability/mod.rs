//! Internal consistency of a multi-item scale: Cronbach's alpha (raw and standardized) with
//! Feldt's interval, alpha if an item is deleted, corrected item-total correlations, and the
//! standard error of measurement.
//!
//! Input is a respondents x items [`Ratings`] matrix (rows: respondents, columns: items).
//! Respondents with a missing answer are dropped (listwise) and every result says how many.
//! Every item is kept, a zero-variance one included (R psych drops such items silently).

use crate::error::{Error, Result};
use crate::interval::{Interval, Level};
use crate::method::IntervalMethod;
use crate::outcome::{Outcome, Undefined};
use crate::ratings::{CaseDeletion, Ratings};
use crate::stats;

mod intervals;
mod linalg;
mod moments;
mod omega;
mod pairwise;

pub use intervals::{AlphaAsymptotic, AlphaBootstrap, alpha_asymptotic, alpha_bootstrap};
pub use omega::{
    FactorMethod, Omega, omega, omega_bootstrap, omega_from_covariance, omega_subscales,
};

use moments::ItemMoments;

/// Which kind of reliability coefficient a value is: the statistics' own vocabulary, which
/// reliable change records and instruments re-use for their published coefficients.
///
/// # Example
/// ```
/// use alliance::reliability::ReliabilityKind;
/// let kind = ReliabilityKind::TestRetest; // Jacobson & Truax's original choice
/// assert_ne!(kind, ReliabilityKind::Alpha);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ReliabilityKind {
    /// Test-retest correlation (Jacobson & Truax's original choice for reliable change).
    TestRetest,
    /// Internal consistency, Cronbach's alpha (common practice).
    Alpha,
}

/// Cronbach's alpha, raw and standardized, with Feldt's interval.
///
/// Serializes; does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CronbachAlpha {
    /// Raw alpha from the sample covariances (psych's `raw_alpha`); negative values are
    /// reported.
    pub coefficient: Outcome<f64>,
    /// Standardized alpha from the inter-item correlations (psych's `std.alpha`); undefined
    /// when an item is constant ([`Undefined::ZeroVariance`]).
    pub standardized: Outcome<f64>,
    /// Feldt's interval around the raw alpha, on (m − 1, (m − 1)(k − 1)) df with m =
    /// [`CronbachAlpha::ci_n`].
    pub ci: Outcome<Interval>,
    /// The respondent count m the interval rests on: `n` after listwise deletion; with
    /// pairwise deletion the smallest pairwise count or every respondent, as chosen in
    /// [`PairwiseOptions`].
    pub ci_n: usize,
    /// Respondents used: complete rows (listwise), or the smallest number of respondents who
    /// answered both items of a pair (pairwise).
    pub n: usize,
    /// Respondents not counted in `n` because an answer was missing (`n + dropped` is every
    /// row).
    pub dropped: usize,
    /// Items (k).
    pub items: usize,
    /// Missing-data policy applied.
    pub missing: CaseDeletion,
    /// Interval method: [`IntervalMethod::Feldt`].
    pub ci_method: IntervalMethod,
    /// The reference implementations matched.
    pub reference: &'static str,
}

/// Which respondent count Feldt's interval uses under pairwise deletion.
///
/// # Example
/// ```
/// use alliance::reliability::{FeldtN, PairwiseOptions};
/// let pingouin_like = PairwiseOptions::default().with_feldt_n(FeldtN::AllRespondents);
/// assert_eq!(PairwiseOptions::default().feldt_n, FeldtN::SmallestPairwise);
/// assert_eq!(pingouin_like.feldt_n, FeldtN::AllRespondents);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum FeldtN {
    /// The smallest number of respondents who answered both items of a pair (the default):
    /// conservative, no covariance rests on more respondents than the interval claims.
    #[default]
    SmallestPairwise,
    /// Every respondent (row), missing answers or not, as `pingouin.cronbach_alpha(...,
    /// nan_policy="pairwise")` 0.6.1 and R `psych::alpha(use = "pairwise")` 2.2.9 do: narrower,
    /// and optimistic when many answers are missing.
    AllRespondents,
}

/// Options of [`cronbach_alpha_pairwise`].
///
/// # Example
/// ```
/// use alliance::reliability::{FeldtN, PairwiseOptions};
/// let options = PairwiseOptions::default().with_feldt_n(FeldtN::AllRespondents);
/// assert_eq!(options.feldt_n, FeldtN::AllRespondents);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PairwiseOptions {
    /// The respondent count of Feldt's interval (default: the smallest pairwise count).
    pub feldt_n: FeldtN,
}

impl PairwiseOptions {
    /// Use this respondent count for Feldt's interval.
    ///
    /// # Example
    /// ```
    /// use alliance::reliability::{FeldtN, PairwiseOptions};
    /// let options = PairwiseOptions::default().with_feldt_n(FeldtN::AllRespondents);
    /// assert_eq!(options.feldt_n, FeldtN::AllRespondents);
    /// ```
    #[must_use]
    pub fn with_feldt_n(mut self, feldt_n: FeldtN) -> Self {
        self.feldt_n = feldt_n;
        self
    }
}

/// Statistics of one item.
///
/// Serializes; does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ItemStatistics {
    /// 0-based column of the item.
    pub item: usize,
    /// Item mean; [`Undefined::OutOfRange`] only when its sum overflows f64.
    pub mean: Outcome<f64>,
    /// Item SD (n − 1); [`Undefined::OutOfRange`] when its sum of squares overflows f64
    /// (answers beyond about 1e150).
    pub sd: Outcome<f64>,
    /// Raw alpha of the other k − 1 items; undefined for k = 2 (one item left).
    pub alpha_if_deleted: Outcome<f64>,
    /// Correlation of the item with the sum of the other items (psych's `r.drop`).
    pub corrected_item_total: Outcome<f64>,
}

/// Alpha and per-item statistics from the same pass.
///
/// Serializes; does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ItemAnalysis {
    /// Alpha of the whole scale, raw and standardized.
    pub alpha: CronbachAlpha,
    /// One entry per item, in column order.
    pub items: Vec<ItemStatistics>,
}

/// Cronbach's alpha, raw and standardized, with Feldt's confidence interval (see
/// [`item_analysis`] for the per-item statistics).
///
/// With k items, item variances `s_j²`, total-score variance `s_T²` (n − 1 denominators) and
/// inter-item correlations `r_ij`:
///
/// ```text
/// alpha     = k/(k − 1) (1 − Σ s_j² / s_T²)
/// alpha_std = k/(k − 1) (1 − k / Σ_i Σ_j r_ij)
/// Feldt CI  = [1 − (1 − alpha) F_{1−α/2}(n − 1, (n − 1)(k − 1)),
///              1 − (1 − alpha) F_{α/2}(n − 1, (n − 1)(k − 1))]
/// ```
///
/// Integer answers are summed exactly in one pass; the standardized alpha takes one more pass
/// (it needs the item SDs first). Undefined results: every answer equal
/// ([`Undefined::ConstantValues`]); a constant total score with varying items
/// ([`Undefined::ZeroDenominator`]); the standardized alpha when an item is constant
/// ([`Undefined::ZeroVariance`]).
///
/// # Errors
/// [`Error::TooFewRespondents`] when fewer than 2 complete respondents remain.
///
/// # Example
/// ```
/// use alliance::Ratings;
/// use alliance::reliability::cronbach_alpha;
/// use alliance::{IntervalMethod, Level, Outcome, Undefined};
/// let answers = Ratings::from_rows(&[[4.0, 5.0, 4.0], [2.0, 3.0, 3.0], [5.0, 5.0, 4.0], [3.0, 2.0, 2.0]])?;
/// let a = cronbach_alpha(&answers, Level::default())?;
/// let raw = a.coefficient.value().ok_or(alliance::Error::TooFewRespondents { found: 0 })?;
/// assert!(raw > 0.8 && raw <= 1.0);
/// assert!(a.standardized.is_defined());
/// assert_eq!((a.n, a.dropped, a.ci_method), (4, 0, IntervalMethod::Feldt));
/// // every answer equal: undefined, with the counts kept
/// let same = cronbach_alpha(&Ratings::from_rows(&[[3.0, 3.0], [3.0, 3.0]])?, Level::default())?;
/// assert_eq!(same.coefficient, Outcome::Undefined(Undefined::ConstantValues));
/// assert_eq!((same.n, same.items), (2, 2));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
/// *Psychometrika*, 16, 297-334. Feldt, L. S. (1965). The approximate sampling distribution
/// of Kuder-Richardson reliability coefficient twenty. *Psychometrika*, 30, 357-370. Matches
/// `pingouin.cronbach_alpha` 0.6.1 (complete data; its interval is rounded to 3 decimals and,
/// with missing data, uses n before deletion) and `psych::alpha` 2.2.9 (`raw_alpha`,
/// `std.alpha`).
pub fn cronbach_alpha(items: &Ratings, level: Level) -> Result<CronbachAlpha> {
    Ok(ItemMoments::of(items, false)?.alpha(level))
}

/// The most items [`cronbach_alpha_pairwise`] accepts: 1024. It keeps a count and three
/// compensated sums for each of the k(k + 1)/2 pairs of items (about 29 MB at 1024 items,
/// and O(n k²) time); questionnaires have tens of items, and listwise [`cronbach_alpha`]
/// has no such limit.
pub const PAIRWISE_MAX_ITEMS: usize = 1024;

/// Cronbach's alpha with pairwise deletion: each covariance from the respondents who answered
/// both of its items (the option conventions.md asks for, labelled [`CaseDeletion::Pairwise`]).
///
/// ```text
/// c_ij  = Σ over rows answering i and j of (x_i − m_i)(x_j − m_j) / (n_ij − 1),
///         m_i, m_j the means over those rows
/// r_ij  = c_ij / √(c_ii c_jj)    (R cov2cor, as psych::alpha(use = "pairwise"))
/// alpha = k/(k − 1) (1 − Σ_i c_ii / Σ_i Σ_j c_ij)      alpha_std = k/(k − 1) (1 − k / Σ_i Σ_j r_ij)
/// Feldt CI as in cronbach_alpha, with n = min n_ij (FeldtN::SmallestPairwise, the default)
///          or every row (FeldtN::AllRespondents, as pingouin)
/// ```
///
/// The interval's n is a choice ([`PairwiseOptions::feldt_n`]): pingouin uses every row (n
/// before deletion); the smallest pairwise count is the conservative one. O(n k²).
///
/// Memory is k(k + 1)/2 sets of pairwise sums (56 bytes each), so the item count is bounded
/// by [`PAIRWISE_MAX_ITEMS`] (1024 items: about 29 MB) before anything is allocated. Time
/// is O(n k²): about 7 s for 1000 respondents at 1024 items, milliseconds at questionnaire
/// sizes (tens of items).
///
/// # Errors
/// [`Error::TooManyItems`] for more than [`PAIRWISE_MAX_ITEMS`] items;
/// [`Error::TooFewPairwise`] when some pair of items has fewer than 2 respondents answering
/// both.
///
/// # Example
/// ```
/// use alliance::{CaseDeletion, Ratings};
/// use alliance::reliability::{cronbach_alpha_pairwise, FeldtN, PairwiseOptions};
/// use alliance::Level;
/// let answers = Ratings::with_missing(4, 3, vec![
///     Some(4.0), Some(5.0), Some(4.0),  Some(2.0), None, Some(3.0),
///     Some(5.0), Some(5.0), Some(4.0),  Some(3.0), Some(2.0), Some(2.0),
/// ])?;
/// let a = cronbach_alpha_pairwise(&answers, Level::default(), PairwiseOptions::default())?;
/// assert_eq!(a.missing, CaseDeletion::Pairwise);
/// assert_eq!((a.n, a.dropped, a.ci_n), (3, 1, 3));
/// let all = PairwiseOptions::default().with_feldt_n(FeldtN::AllRespondents);
/// let b = cronbach_alpha_pairwise(&answers, Level::default(), all)?;
/// assert_eq!((b.coefficient, b.ci_n), (a.coefficient, 4));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// As [`cronbach_alpha`]; matches `psych::alpha(use = "pairwise")` 2.2.9 (`raw_alpha`,
/// `std.alpha`, and with [`FeldtN::AllRespondents`] its Feldt interval) and
/// `pingouin.cronbach_alpha(nan_policy="pairwise")` 0.6.1 (alpha; with
/// [`FeldtN::AllRespondents`] its 3-decimal interval).
pub fn cronbach_alpha_pairwise(
    items: &Ratings,
    level: Level,
    options: PairwiseOptions,
) -> Result<CronbachAlpha> {
    pairwise::alpha(items, level, options.feldt_n)
}

/// Cronbach's alpha, the standardized alpha and, per item, alpha if deleted and the corrected
/// item-total correlation: the table of `psych::alpha`.
///
/// With T₋ⱼ = T − `x_j` the total of the other items and `r_ij` the inter-item correlations:
///
/// ```text
/// alpha_std  = k/(k − 1) (1 − k / Σ_i Σ_j r_ij)
/// alpha_(−j) = (k − 1)/(k − 2) (1 − Σ_{i≠j} s_i² / s²(T₋ⱼ))
/// r_drop,j   = cov(x_j, T₋ⱼ) / (s_j s(T₋ⱼ))
/// ```
///
/// # Errors
/// [`Error::TooFewRespondents`] when fewer than 2 complete respondents remain.
///
/// # Example
/// ```
/// use alliance::Ratings;
/// use alliance::reliability::item_analysis;
/// use alliance::Level;
/// let answers = Ratings::from_rows(&[[4.0, 5.0, 4.0], [2.0, 3.0, 3.0], [5.0, 5.0, 4.0], [3.0, 2.0, 2.0]])?;
/// let ia = item_analysis(&answers, Level::default())?;
/// assert_eq!(ia.items.len(), 3);
/// assert!(ia.alpha.standardized.is_defined());
/// assert!(ia.items[0].corrected_item_total.is_defined());
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// As [`cronbach_alpha`]; matches `psych::alpha` 2.2.9 (`std.alpha`,
/// `alpha.drop$raw_alpha`, `item.stats$r.drop`).
pub fn item_analysis(items: &Ratings, level: Level) -> Result<ItemAnalysis> {
    let m = ItemMoments::of(items, true)?;
    let alpha = m.alpha(level);
    let k = m.k as f64;
    let nf = m.n as f64;
    let sum_var: f64 = stats::sum(m.var.iter().copied());
    let items = (0..m.k)
        .map(|j| {
            let vj = m.var[j];
            let rest_var = m.rest_ss[j] / (nf - 1.0);
            let cov = m.item_rest[j] / (nf - 1.0);
            let alpha_if_deleted = if m.k < 3 {
                Outcome::Undefined(Undefined::TooFewObservations)
            } else if m.rest_constant[j] {
                Outcome::Undefined(
                    if m.item_constant
                        .iter()
                        .enumerate()
                        .all(|(i, &c)| c || i == j)
                    {
                        Undefined::ConstantValues
                    } else {
                        Undefined::ZeroDenominator
                    },
                )
            } else {
                Outcome::Defined(
                    ((k - 1.0) / (k - 2.0) * (1.0 - (sum_var - vj) / rest_var)).min(1.0),
                )
            };
            let corrected_item_total = if m.item_constant[j] || m.rest_constant[j] {
                Outcome::Undefined(Undefined::ZeroVariance)
            } else {
                Outcome::Defined((cov / (vj.sqrt() * rest_var.sqrt())).clamp(-1.0, 1.0))
            };
            ItemStatistics {
                item: j,
                // sums beyond f64 (answers beyond ~1e150) are out of range, never ∞ or NaN
                mean: finite(Outcome::Defined(m.mean[j])),
                sd: finite(Outcome::Defined(vj.sqrt())),
                alpha_if_deleted: finite(alpha_if_deleted),
                corrected_item_total: finite(corrected_item_total),
            }
        })
        .collect();
    Ok(ItemAnalysis { alpha, items })
}

/// Standard error of measurement, SD √(1 − `r_xx`).
///
/// ```text
/// SEM = SD √(1 − r_xx)
/// ```
///
/// # Errors
/// [`Error::InvalidSd`] when `sd` is negative or outside [`crate::domain`];
/// [`Error::ReliabilityOutOfRange`] when `reliability` is outside [0, 1] (a negative alpha
/// gives no meaningful SEM).
///
/// # Example
/// ```
/// use alliance::reliability::standard_error_of_measurement;
/// let sem = standard_error_of_measurement(10.0, 0.91)?;
/// assert!((sem - 3.0).abs() < 1e-12);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Lord, F. M., & Novick, M. R. (1968). *Statistical theories of mental test scores*.
/// Jacobson, N. S., & Truax, P. (1991). *Journal of Consulting and Clinical Psychology*, 59,
/// 12-19.
pub fn standard_error_of_measurement(sd: f64, reliability: f64) -> Result<f64> {
    let sd_ok = sd >= 0.0 && crate::domain::contains(sd);
    if !sd_ok {
        return Err(Error::InvalidSd {
            what: "standard deviation",
            value: sd,
            expected: "0 or a positive number from 1e-100 to 1e100",
        });
    }
    if !(0.0..=1.0).contains(&reliability) {
        return Err(Error::ReliabilityOutOfRange { value: reliability });
    }
    Ok(sd * (1.0 - reliability).sqrt())
}

impl ItemMoments {
    #[allow(clippy::float_cmp)]
    fn alpha(&self, level: Level) -> CronbachAlpha {
        let k = self.k as f64;
        let overflow = !(self.total_var.is_finite() && self.var.iter().all(|v| v.is_finite()));
        let raw = if self.all_constant {
            Outcome::Undefined(Undefined::ConstantValues)
        } else if overflow {
            Outcome::Undefined(Undefined::OutOfRange)
        } else if self.total_constant {
            Outcome::Undefined(Undefined::ZeroDenominator)
        } else {
            let sum_var = stats::sum(self.var.iter().copied());
            // At most 1 (the total variance is at most k Σ s_j²); the rounding of near-equal
            // items near 1e13 gave 1 + 2^-52 and Feldt bounds in the wrong order.
            Outcome::Defined((k / (k - 1.0) * (1.0 - sum_var / self.total_var)).min(1.0))
        };
        let ci = match raw {
            Outcome::Defined(a) => feldt(a, self.n as f64, k, level),
            Outcome::Undefined(why) => Outcome::Undefined(why),
        };
        let raw = finite(raw);
        let ci = match raw {
            Outcome::Undefined(why) => Outcome::Undefined(why),
            Outcome::Defined(_) => ci,
        };
        CronbachAlpha {
            coefficient: raw,
            standardized: standardized(self.all_constant, self.z_total_var, k),
            ci,
            ci_n: self.n,
            n: self.n,
            dropped: self.dropped,
            items: self.k,
            missing: CaseDeletion::Listwise,
            ci_method: IntervalMethod::Feldt,
            reference: "pingouin.cronbach_alpha 0.6.1; psych::alpha 2.2.9 raw_alpha, std.alpha",
        }
    }
}

/// Standardized alpha from `Σ_i Σ_j r_ij` (`None`: an item is constant, its correlations 0/0).
#[allow(clippy::float_cmp)] // an exactly zero sum of correlations
pub(super) fn standardized(all_constant: bool, sum_r: Option<f64>, k: f64) -> Outcome<f64> {
    finite(match (all_constant, sum_r) {
        (true, _) => Outcome::Undefined(Undefined::ConstantValues),
        (false, None) => Outcome::Undefined(Undefined::ZeroVariance),
        (false, Some(0.0)) => Outcome::Undefined(Undefined::ZeroDenominator),
        (false, Some(v)) if v.is_finite() => Outcome::Defined(k / (k - 1.0) * (1.0 - k / v)),
        (false, Some(_)) => Outcome::Undefined(Undefined::OutOfRange),
    })
}

/// A defined value that overflowed (NaN or infinite) becomes [`Undefined::OutOfRange`].
pub(super) fn finite(o: Outcome<f64>) -> Outcome<f64> {
    match o {
        Outcome::Defined(v) if !v.is_finite() => Outcome::Undefined(Undefined::OutOfRange),
        other => other,
    }
}

pub(super) fn feldt(alpha: f64, n: f64, k: f64, level: Level) -> Outcome<Interval> {
    let (df1, df2) = (n - 1.0, (n - 1.0) * (k - 1.0));
    let tail = level.tail();
    match (
        stats::f_quantile(1.0 - tail, df1, df2),
        stats::f_quantile(tail, df1, df2),
    ) {
        (Ok(hi), Ok(lo)) => Outcome::Defined(Interval::new(
            1.0 - (1.0 - alpha) * hi,
            1.0 - (1.0 - alpha) * lo,
            level,
        )),
        _ => Outcome::Undefined(Undefined::TooFewObservations),
    }
}

/// The most answers one reliability bootstrap may draw, replicates × respondents × items:
/// 2^30 (about 1.1e9). Checked before any resampling, with
/// [`Error::ReliabilityBootstrapTooCostly`]: 2000 replicates fit up to 536,870 answers
/// (e.g. 44,739 respondents on a 12-item scale).
pub const MAX_BOOTSTRAP_DRAWS: u64 = 1 << 30;
