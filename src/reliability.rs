//! Internal consistency of a multi-item scale: Cronbach's alpha (raw and standardized) with
//! Feldt's interval, alpha if an item is deleted, corrected item-total correlations, and the
//! standard error of measurement.
//!
//! Input is a respondents x items [`Ratings`] matrix (rows: respondents, columns: items).
//! Respondents with a missing answer are dropped (listwise) and every result says how many.
//! Every item is kept, a zero-variance one included (R psych drops such items silently).

use crate::agreement::{CaseDeletion, Degenerate, Outcome, Ratings};
use crate::error::{Error, Result};
use crate::interval::{Interval, Level};
use crate::stats::{self, Sum};

/// Cronbach's alpha with Feldt's interval.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct CronbachAlpha {
    /// Raw alpha from the sample covariances; negative values are reported.
    pub raw: Outcome<f64>,
    /// Standardized alpha from the correlations; undefined when an item is constant.
    pub standardized: Outcome<f64>,
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
    /// One entry per item, in column order.
    pub items: Vec<ItemStatistics>,
}

/// Cronbach's alpha, raw and standardized, with Feldt's confidence interval.
///
/// With k items, item variances s_j², total-score variance s_T² (n − 1 denominators) and
/// inter-item correlations r_ij:
///
/// ```text
/// alpha     = k/(k − 1) (1 − Σ s_j² / s_T²)
/// alpha_std = k/(k − 1) (1 − k / Σ_i Σ_j r_ij)
/// Feldt CI  = [1 − (1 − alpha) F_{1−α/2}(n − 1, (n − 1)(k − 1)),
///              1 − (1 − alpha) F_{α/2}(n − 1, (n − 1)(k − 1))]
/// ```
///
/// Undefined results: every answer equal ([`Degenerate::ConstantRatings`]); a constant total
/// score with varying items ([`Degenerate::ZeroDenominator`]); standardized alpha with a
/// constant item ([`Degenerate::ZeroVariance`]).
///
/// # Errors
/// [`Error::TooFew`] when fewer than 2 complete respondents remain.
///
/// # Example
/// ```
/// use alliance::agreement::Ratings;
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
/// with missing data, uses n before deletion) and `psych::alpha` 2.2.9 (`raw_alpha`,
/// `std.alpha`).
pub fn cronbach_alpha(items: &Ratings, level: Level) -> Result<CronbachAlpha> {
    Ok(Moments::of(items, false)?.alpha(level))
}

/// Cronbach's alpha plus, per item, alpha if deleted and the corrected item-total
/// correlation.
///
/// With T₋ⱼ = T − x_j the total of the other items:
///
/// ```text
/// alpha_(−j) = (k − 1)/(k − 2) (1 − Σ_{i≠j} s_i² / s²(T₋ⱼ))
/// r_drop,j   = cov(x_j, T₋ⱼ) / (s_j s(T₋ⱼ))
/// ```
///
/// # Errors
/// [`Error::TooFew`] when fewer than 2 complete respondents remain.
///
/// # Example
/// ```
/// use alliance::agreement::Ratings;
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
/// As [`cronbach_alpha`]; matches `psych::alpha` 2.2.9 (`alpha.drop$raw_alpha`,
/// `item.stats$r.drop`).
pub fn item_analysis(items: &Ratings, level: Level) -> Result<ItemAnalysis> {
    let m = Moments::of(items, true)?;
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
                Outcome::Undefined(Degenerate::TooFewObservations)
            } else if m.rest_constant[j] {
                Outcome::Undefined(if m.item_constant.iter().enumerate().all(|(i, &c)| c || i == j) {
                    Degenerate::ConstantRatings
                } else {
                    Degenerate::ZeroDenominator
                })
            } else {
                Outcome::Defined((k - 1.0) / (k - 2.0) * (1.0 - (sum_var - vj) / rest_var))
            };
            let corrected_item_total = if m.item_constant[j] || m.rest_constant[j] {
                Outcome::Undefined(Degenerate::ZeroVariance)
            } else {
                Outcome::Defined((cov / (vj.sqrt() * rest_var.sqrt())).clamp(-1.0, 1.0))
            };
            ItemStatistics {
                item: j,
                mean: m.mean[j],
                sd: vj.sqrt(),
                alpha_if_deleted,
                corrected_item_total,
            }
        })
        .collect();
    Ok(ItemAnalysis { alpha, items })
}

/// Standard error of measurement, SD √(1 − r_xx).
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

/// Rows summed plainly within a block, blocks added with compensation (fast and accurate).
const BLOCK: usize = 1024;

/// Item and total moments on the complete rows, by two passes over the data (three when the
/// standardized alpha is needed, which needs the item SDs first).
struct Moments {
    n: usize,
    k: usize,
    dropped: usize,
    mean: Vec<f64>,
    var: Vec<f64>,
    total_var: f64,
    /// Σ z_total², z the sum of standardized items (n − 1 scaled later); None if an item is
    /// constant.
    z_total_var: Option<f64>,
    item_constant: Vec<bool>,
    total_constant: bool,
    all_constant: bool,
    /// Σ (T − x_j − mean)² per item (only for item analysis).
    rest_ss: Vec<f64>,
    /// Σ d_j (T − x_j − mean) per item (only for item analysis).
    item_rest: Vec<f64>,
    rest_constant: Vec<bool>,
}

impl Moments {
    #[allow(clippy::float_cmp)] // exact constancy tests are the point
    fn of(ratings: &Ratings, with_items: bool) -> Result<Moments> {
        let k = ratings.raters();
        let rows = || ratings.complete_rows();
        let too_few = |found| Error::TooFew {
            what: "complete respondents",
            needed: 2,
            found,
        };
        let first = rows().next().ok_or(too_few(0))?;
        let first_total: f64 = first.iter().sum();
        // Pass 1: means, and exact constancy flags against the first row.
        let mut sums = vec![Sum::default(); k];
        let mut block = vec![0.0; k];
        let mut item_constant = vec![true; k];
        let mut rest_constant = vec![true; k];
        let mut total_constant = true;
        let mut n = 0usize;
        for row in rows() {
            n += 1;
            let mut t = 0.0;
            for ((b, &x), (c, &f)) in block
                .iter_mut()
                .zip(row)
                .zip(item_constant.iter_mut().zip(first))
            {
                *b += x;
                t += x;
                *c &= x == f;
            }
            total_constant &= t == first_total;
            if with_items {
                for ((rc, &x), &f) in rest_constant.iter_mut().zip(row).zip(first) {
                    *rc &= t - x == first_total - f;
                }
            }
            if n % BLOCK == 0 {
                flush(&mut sums, &mut block);
            }
        }
        flush(&mut sums, &mut block);
        if n < 2 {
            return Err(too_few(n));
        }
        let nf = n as f64;
        let mean: Vec<f64> = sums.iter().map(|s| s.value() / nf).collect();
        // Pass 2: squared deviations, total and (optionally) rest-of-scale moments.
        let mut d = vec![0.0; k];
        let mut ss = Acc::new(k);
        let mut rest_ss = Acc::new(if with_items { k } else { 0 });
        let mut item_rest = Acc::new(if with_items { k } else { 0 });
        let mut total_ss = Acc::new(1);
        for (i, row) in rows().enumerate() {
            let mut total = 0.0;
            for ((dj, &x), &m) in d.iter_mut().zip(row).zip(&mean) {
                *dj = x - m;
                total += *dj;
            }
            total_ss.block[0] += total * total;
            for (b, &dj) in ss.block.iter_mut().zip(&d) {
                *b += dj * dj;
            }
            if with_items {
                for ((r, c), &dj) in rest_ss.block.iter_mut().zip(item_rest.block.iter_mut()).zip(&d) {
                    let e = total - dj;
                    *r += e * e;
                    *c += dj * e;
                }
            }
            if (i + 1) % BLOCK == 0 {
                for acc in [&mut ss, &mut rest_ss, &mut item_rest, &mut total_ss] {
                    acc.flush();
                }
            }
        }
        let var: Vec<f64> = ss
            .values()
            .into_iter()
            .zip(&item_constant)
            .map(|(s, &c)| if c { 0.0 } else { s / (nf - 1.0) })
            .collect();
        let total_var = if total_constant {
            0.0
        } else {
            total_ss.values()[0] / (nf - 1.0)
        };
        // Pass 3: variance of the sum of standardized items, Σ_i Σ_j r_ij.
        let z_total_var = if item_constant.iter().any(|&c| c) {
            None
        } else {
            let inv_sd: Vec<f64> = var.iter().map(|v| 1.0 / v.sqrt()).collect();
            let mut zz = Acc::new(1);
            for (i, row) in rows().enumerate() {
                let mut z = 0.0;
                for ((&x, &m), &s) in row.iter().zip(&mean).zip(&inv_sd) {
                    z += (x - m) * s;
                }
                zz.block[0] += z * z;
                if (i + 1) % BLOCK == 0 {
                    zz.flush();
                }
            }
            Some(zz.values()[0] / (nf - 1.0))
        };
        let rest_ss = rest_ss.values();
        let item_rest = item_rest.values();
        let rest_ss = rest_ss
            .into_iter()
            .zip(&rest_constant)
            .map(|(s, &c)| if c { 0.0 } else { s })
            .collect();
        Ok(Moments {
            n,
            k,
            dropped: ratings.targets() - n,
            mean,
            var,
            total_var,
            z_total_var,
            all_constant: item_constant.iter().all(|&c| c),
            item_constant,
            total_constant,
            rest_ss,
            item_rest,
            rest_constant,
        })
    }

    #[allow(clippy::float_cmp)]
    fn alpha(&self, level: Level) -> CronbachAlpha {
        let k = self.k as f64;
        let raw = if self.all_constant {
            Outcome::Undefined(Degenerate::ConstantRatings)
        } else if self.total_constant {
            Outcome::Undefined(Degenerate::ZeroDenominator)
        } else {
            let sum_var = stats::sum(self.var.iter().copied());
            Outcome::Defined(k / (k - 1.0) * (1.0 - sum_var / self.total_var))
        };
        let standardized = match (self.all_constant, self.z_total_var) {
            (true, _) => Outcome::Undefined(Degenerate::ConstantRatings),
            (false, None) => Outcome::Undefined(Degenerate::ZeroVariance),
            (false, Some(v)) if v == 0.0 => Outcome::Undefined(Degenerate::ZeroDenominator),
            (false, Some(v)) => Outcome::Defined(k / (k - 1.0) * (1.0 - k / v)),
        };
        let ci = match raw {
            Outcome::Defined(a) => feldt(a, self.n as f64, k, level),
            Outcome::Undefined(why) => Outcome::Undefined(why),
        };
        CronbachAlpha {
            raw,
            standardized,
            ci,
            respondents: self.n,
            respondents_dropped: self.dropped,
            items: self.k,
            missing: CaseDeletion::Listwise,
            ci_method: "Feldt (1965) F interval, n after listwise deletion",
            reference: "pingouin.cronbach_alpha 0.6.1; psych::alpha 2.2.9 raw_alpha, std.alpha",
        }
    }
}

fn feldt(alpha: f64, n: f64, k: f64, level: Level) -> Outcome<Interval> {
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
        _ => Outcome::Undefined(Degenerate::TooFewObservations),
    }
}

fn flush(sums: &mut [Sum], block: &mut [f64]) {
    for (s, b) in sums.iter_mut().zip(block.iter_mut()) {
        s.add(*b);
        *b = 0.0;
    }
}

/// Per-column accumulators: plain within a block of rows, compensated across blocks.
struct Acc {
    block: Vec<f64>,
    sums: Vec<Sum>,
}

impl Acc {
    fn new(k: usize) -> Acc {
        Acc {
            block: vec![0.0; k],
            sums: vec![Sum::default(); k],
        }
    }

    fn flush(&mut self) {
        flush(&mut self.sums, &mut self.block);
    }

    fn values(mut self) -> Vec<f64> {
        self.flush();
        self.sums.iter().map(|s| s.value()).collect()
    }
}
