//! Internal consistency of a multi-item scale: Cronbach's alpha (raw, and standardized in the
//! item analysis) with Feldt's interval, alpha if an item is deleted, corrected item-total correlations, and the
//! standard error of measurement.
//!
//! Input is a respondents x items [`Ratings`] matrix (rows: respondents, columns: items).
//! Respondents with a missing answer are dropped (listwise) and every result says how many.
//! Every item is kept, a zero-variance one included (R psych drops such items silently).

use crate::error::{Error, Result};
use crate::interval::{Interval, Level};
use crate::outcome::{Outcome, Undefined};
use crate::ratings::{CaseDeletion, Ratings};
use crate::stats;

mod moments;
mod pairwise;

use moments::Moments;

/// Cronbach's alpha with Feldt's interval.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct CronbachAlpha {
    /// Raw alpha from the sample covariances; negative values are reported.
    pub raw: Outcome<f64>,
    /// Feldt's interval around the raw alpha, on (n − 1, (n − 1)(k − 1)) df with n after
    /// deletion.
    pub ci: Outcome<Interval>,
    /// Respondents used (complete rows).
    pub respondents: usize,
    /// Respondents dropped because an answer was missing.
    pub respondents_dropped: usize,
    /// Items (k).
    pub items: usize,
    /// Missing-data policy applied.
    pub missing: CaseDeletion,
    /// Interval method.
    pub ci_method: &'static str,
    /// The reference implementations matched.
    pub reference: &'static str,
}

/// Statistics of one item.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct ItemStatistics {
    /// 0-based column of the item.
    pub item: usize,
    /// Item mean.
    pub mean: f64,
    /// Item SD (n − 1).
    pub sd: f64,
    /// Raw alpha of the other k − 1 items; undefined for k = 2 (one item left).
    pub alpha_if_deleted: Outcome<f64>,
    /// Correlation of the item with the sum of the other items (psych's `r.drop`).
    pub corrected_item_total: Outcome<f64>,
}

/// Alpha and per-item statistics from the same pass.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct ItemAnalysis {
    /// Alpha of the whole scale.
    pub alpha: CronbachAlpha,
    /// Standardized alpha from the inter-item correlations (psych's `std.alpha`); undefined
    /// when an item is constant.
    pub standardized: Outcome<f64>,
    /// One entry per item, in column order.
    pub items: Vec<ItemStatistics>,
}

/// Cronbach's alpha with Feldt's confidence interval (one pass for integer answers; see
/// [`item_analysis`] for the standardized alpha and per-item statistics).
///
/// With k items, item variances `s_j²` and total-score variance `s_T²` (n − 1 denominators):
///
/// ```text
/// alpha     = k/(k − 1) (1 − Σ s_j² / s_T²)
/// Feldt CI  = [1 − (1 − alpha) F_{1−α/2}(n − 1, (n − 1)(k − 1)),
///              1 − (1 − alpha) F_{α/2}(n − 1, (n − 1)(k − 1))]
/// ```
///
/// Undefined results: every answer equal ([`Undefined::ConstantValues`]); a constant total
/// score with varying items ([`Undefined::ZeroDenominator`]).
///
/// # Errors
/// [`Error::TooFew`] when fewer than 2 complete respondents remain.
///
/// # Example
/// ```
/// use alliance::Ratings;
/// use alliance::reliability::cronbach_alpha;
/// use alliance::Level;
/// let answers = Ratings::from_rows(&[[4.0, 5.0, 4.0], [2.0, 3.0, 3.0], [5.0, 5.0, 4.0], [3.0, 2.0, 2.0]])?;
/// let a = cronbach_alpha(&answers, Level::default())?;
/// let raw = a.raw.defined().unwrap_or(f64::NAN);
/// assert!(raw > 0.8 && raw <= 1.0);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
/// *Psychometrika*, 16, 297-334. Feldt, L. S. (1965). The approximate sampling distribution
/// of Kuder-Richardson reliability coefficient twenty. *Psychometrika*, 30, 357-370. Matches
/// `pingouin.cronbach_alpha` 0.6.1 (complete data; its interval is rounded to 3 decimals and,
/// with missing data, uses n before deletion) and `psych::alpha` 2.2.9 (`raw_alpha`).
pub fn cronbach_alpha(items: &Ratings, level: Level) -> Result<CronbachAlpha> {
    Ok(Moments::of(items, false)?.alpha(level))
}

/// Cronbach's alpha with pairwise deletion: each covariance from the respondents who answered
/// both of its items (the option conventions.md asks for, labelled [`CaseDeletion::Pairwise`]).
///
/// ```text
/// c_ij  = Σ over rows answering i and j of (x_i − m_i)(x_j − m_j) / (n_ij − 1),
///         m_i, m_j the means over those rows
/// alpha = k/(k − 1) (1 − Σ_i c_ii / Σ_i Σ_j c_ij)
/// Feldt CI as in cronbach_alpha, with n = min n_ij (the smallest pairwise count)
/// ```
///
/// The interval's n is a choice: pingouin uses every row (n before deletion); the smallest
/// pairwise count is the conservative one. O(n k²).
///
/// # Errors
/// [`Error::TooFew`] when some pair of items has fewer than 2 respondents answering both.
///
/// # Example
/// ```
/// use alliance::{CaseDeletion, Ratings};
/// use alliance::reliability::cronbach_alpha_pairwise;
/// use alliance::Level;
/// let answers = Ratings::with_missing(4, 3, vec![
///     Some(4.0), Some(5.0), Some(4.0),  Some(2.0), None, Some(3.0),
///     Some(5.0), Some(5.0), Some(4.0),  Some(3.0), Some(2.0), Some(2.0),
/// ])?;
/// let a = cronbach_alpha_pairwise(&answers, Level::default())?;
/// assert_eq!(a.missing, CaseDeletion::Pairwise);
/// assert_eq!(a.respondents, 3);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// As [`cronbach_alpha`]; the alpha matches `pingouin.cronbach_alpha(nan_policy="pairwise")`
/// 0.6.1.
pub fn cronbach_alpha_pairwise(items: &Ratings, level: Level) -> Result<CronbachAlpha> {
    pairwise::alpha(items, level)
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
/// [`Error::TooFew`] when fewer than 2 complete respondents remain.
///
/// # Example
/// ```
/// use alliance::Ratings;
/// use alliance::reliability::item_analysis;
/// use alliance::Level;
/// let answers = Ratings::from_rows(&[[4.0, 5.0, 4.0], [2.0, 3.0, 3.0], [5.0, 5.0, 4.0], [3.0, 2.0, 2.0]])?;
/// let ia = item_analysis(&answers, Level::default())?;
/// assert_eq!(ia.items.len(), 3);
/// assert!(ia.items[0].corrected_item_total.is_defined());
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// As [`cronbach_alpha`]; matches `psych::alpha` 2.2.9 (`std.alpha`,
/// `alpha.drop$raw_alpha`, `item.stats$r.drop`).
pub fn item_analysis(items: &Ratings, level: Level) -> Result<ItemAnalysis> {
    let m = Moments::of(items, true)?;
    let alpha = m.alpha(level);
    let k = m.k as f64;
    let standardized = match (m.all_constant, m.z_total_var) {
        (true, _) => Outcome::Undefined(Undefined::ConstantValues),
        (false, None) => Outcome::Undefined(Undefined::ZeroVariance),
        (false, Some(0.0)) => Outcome::Undefined(Undefined::ZeroDenominator),
        (false, Some(v)) if v.is_finite() => Outcome::Defined(k / (k - 1.0) * (1.0 - k / v)),
        (false, Some(_)) => Outcome::Undefined(Undefined::OutOfRange),
    };
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
                Outcome::Defined((k - 1.0) / (k - 2.0) * (1.0 - (sum_var - vj) / rest_var))
            };
            let corrected_item_total = if m.item_constant[j] || m.rest_constant[j] {
                Outcome::Undefined(Undefined::ZeroVariance)
            } else {
                Outcome::Defined((cov / (vj.sqrt() * rest_var.sqrt())).clamp(-1.0, 1.0))
            };
            ItemStatistics {
                item: j,
                mean: m.mean[j],
                // an overflowing variance (values beyond ~1e150) reads as infinite, never NaN
                sd: if vj.is_nan() {
                    f64::INFINITY
                } else {
                    vj.sqrt()
                },
                alpha_if_deleted: finite(alpha_if_deleted),
                corrected_item_total: finite(corrected_item_total),
            }
        })
        .collect();
    Ok(ItemAnalysis {
        alpha,
        standardized: finite(standardized),
        items,
    })
}

/// Standard error of measurement, SD √(1 − `r_xx`).
///
/// ```text
/// SEM = SD √(1 − r_xx)
/// ```
///
/// # Errors
/// [`Error::InvalidParameter`] when `sd` is negative or not finite, or `reliability` is
/// outside [0, 1] (a negative alpha gives no meaningful SEM).
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
    let sd_ok = sd >= 0.0 && sd.is_finite();
    if !sd_ok {
        return Err(Error::InvalidParameter {
            name: "standard deviation",
            value: sd,
            expected: "non-negative and finite",
        });
    }
    if !(0.0..=1.0).contains(&reliability) {
        return Err(Error::InvalidParameter {
            name: "reliability",
            value: reliability,
            expected: "between 0 and 1",
        });
    }
    Ok(sd * (1.0 - reliability).sqrt())
}

impl Moments {
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
            Outcome::Defined(k / (k - 1.0) * (1.0 - sum_var / self.total_var))
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
            raw,
            ci,
            respondents: self.n,
            respondents_dropped: self.dropped,
            items: self.k,
            missing: CaseDeletion::Listwise,
            ci_method: "Feldt (1965) F interval, n after listwise deletion",
            reference: "pingouin.cronbach_alpha 0.6.1; psych::alpha 2.2.9 raw_alpha",
        }
    }
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
