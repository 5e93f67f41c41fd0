//! Intervals for Cronbach's alpha beyond Feldt's: Duhachek & Iacobucci's (2004) asymptotic
//! normal interval and a seeded percentile bootstrap over respondents.

#![allow(clippy::doc_markdown)] // math (λ_j, ψ_h, r_ij) and author names are prose, not code

use super::{Error, Result, finite};
use crate::agreement::Bootstrap;
use crate::interval::{Interval, Level};
use crate::method::IntervalMethod;
use crate::outcome::{Outcome, Undefined};
use crate::ratings::{CaseDeletion, Ratings};
use crate::stats;

/// Cronbach's alpha with Duhachek & Iacobucci's (2004) asymptotic standard error and normal
/// interval, raw and standardized.
///
/// Serializes; does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct AlphaAsymptotic {
    /// Raw alpha from the sample covariances (as [`super::cronbach_alpha`]).
    pub coefficient: Outcome<f64>,
    /// Its asymptotic standard error √(Q/n) (psych's `ase`).
    pub se: Outcome<f64>,
    /// alpha ± z se; not truncated at 1 (a normal interval, as psych prints it).
    pub ci: Outcome<Interval>,
    /// Standardized alpha (from the correlations).
    pub standardized: Outcome<f64>,
    /// Its standard error: the same Q with the correlation matrix in place of the covariance
    /// matrix (psych's `ase` of `alpha(R, n.obs = n)`); undefined when an item is constant.
    pub standardized_se: Outcome<f64>,
    /// standardized ± z `standardized_se`.
    pub standardized_ci: Outcome<Interval>,
    /// Respondents used (complete rows).
    pub n: usize,
    /// Respondents dropped for a missing answer.
    pub dropped: usize,
    /// Items (k).
    pub items: usize,
    /// Missing-data policy applied (listwise).
    pub missing: CaseDeletion,
    /// [`IntervalMethod::Normal`].
    pub ci_method: IntervalMethod,
    /// The reference matched.
    pub reference: &'static str,
}

/// Cronbach's alpha with a seeded percentile bootstrap interval over respondents.
///
/// Serializes; does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct AlphaBootstrap {
    /// Raw alpha of the data (as [`super::cronbach_alpha`]).
    pub coefficient: Outcome<f64>,
    /// Standard deviation of the defined replicates (n − 1), the bootstrap standard error.
    pub se: Outcome<f64>,
    /// Percentile interval of the defined replicates (R quantile type 7, as
    /// `psych::alpha(n.iter = )`'s `boot.ci`); undefined when fewer than 2 replicates are
    /// defined.
    pub ci: Outcome<Interval>,
    /// Replicates drawn.
    pub replicates: usize,
    /// Replicates whose alpha was undefined (a resample with a constant total score), left
    /// out of the interval.
    pub undefined_replicates: usize,
    /// The seed (the same seed and data give the same interval on every platform).
    pub seed: u64,
    /// Respondents used (complete rows).
    pub n: usize,
    /// Respondents dropped for a missing answer.
    pub dropped: usize,
    /// Items (k).
    pub items: usize,
    /// Missing-data policy applied (listwise).
    pub missing: CaseDeletion,
    /// [`IntervalMethod::PercentileBootstrap`].
    pub ci_method: IntervalMethod,
}

/// The complete rows, centred at the column means, row-major; with n, k and dropped.
pub(super) struct Centred {
    pub(super) x: Vec<f64>,
    pub(super) n: usize,
    pub(super) k: usize,
    pub(super) dropped: usize,
}

impl Centred {
    pub(super) fn of(items: &Ratings) -> Result<Centred> {
        let k = items.raters();
        let mut x = Vec::new();
        items.for_each_complete_row(|row| x.extend_from_slice(row));
        let n = x.len() / k.max(1);
        if n < 2 {
            return Err(Error::TooFewRespondents { found: n });
        }
        let mut mean = vec![0.0; k];
        for row in x.chunks_exact(k) {
            for (m, v) in mean.iter_mut().zip(row) {
                *m += v;
            }
        }
        for m in &mut mean {
            *m /= n as f64;
        }
        for row in x.chunks_exact_mut(k) {
            for (v, m) in row.iter_mut().zip(&mean) {
                *v -= m;
            }
        }
        Ok(Centred {
            x,
            n,
            k,
            dropped: items.targets() - n,
        })
    }

    /// The sample covariance matrix (n − 1), k x k row-major.
    pub(super) fn covariance(&self) -> Vec<f64> {
        let k = self.k;
        let mut c = vec![0.0; k * k];
        for row in self.x.chunks_exact(k) {
            for i in 0..k {
                let xi = row[i];
                for j in i..k {
                    c[i * k + j] += xi * row[j];
                }
            }
        }
        let d = (self.n - 1) as f64;
        for i in 0..k {
            for j in i..k {
                let v = c[i * k + j] / d;
                c[i * k + j] = v;
                c[j * k + i] = v;
            }
        }
        c
    }
}

/// Duhachek & Iacobucci's Q for a k x k (co)variance matrix C:
/// `Q = 2k² / ((k − 1)² (1'C1)³) · [(1'C1)(tr C² + (tr C)²) − 2 tr C · 1'C²1]`, as `None`
/// when 1'C1 is not positive; the bracket within rounding of 0 (Q is 0 for any rank-one C:
/// perfectly correlated items) is set to 0.
fn q_of(c: &[f64], k: usize) -> Option<f64> {
    let kf = k as f64;
    let (mut sum, mut trace, mut tr_c2, mut one_c2_one) = (0.0, 0.0, 0.0, 0.0);
    for i in 0..k {
        let row = &c[i * k..(i + 1) * k];
        let row_sum: f64 = row.iter().sum();
        sum += row_sum;
        trace += row[i];
        tr_c2 += row.iter().map(|v| v * v).sum::<f64>();
        one_c2_one += row_sum * row_sum;
    }
    if sum.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return None;
    }
    let bracket_terms = sum * (tr_c2 + trace * trace);
    let bracket = bracket_terms - 2.0 * trace * one_c2_one;
    let q = 2.0 * kf * kf / ((kf - 1.0) * (kf - 1.0) * sum * sum * sum) * bracket;
    // a rank-one C (perfectly correlated items) gives 0 exactly; leave no rounding noise
    if bracket.abs() <= 1e-12 * bracket_terms {
        return Some(0.0);
    }
    (q >= 0.0 && q.is_finite()).then_some(q)
}

fn normal_ci(estimate: Outcome<f64>, se: Outcome<f64>, z: f64, level: Level) -> Outcome<Interval> {
    match (estimate, se) {
        (Outcome::Defined(a), Outcome::Defined(s)) => {
            let (lower, upper) = (a - z * s, a + z * s);
            if lower.is_finite() && upper.is_finite() {
                Outcome::Defined(Interval::new(lower, upper, level))
            } else {
                Outcome::Undefined(Undefined::OutOfRange)
            }
        }
        (Outcome::Undefined(why), _) | (_, Outcome::Undefined(why)) => Outcome::Undefined(why),
    }
}

/// Cronbach's alpha, raw and standardized, with Duhachek & Iacobucci's (2004) asymptotic
/// standard error and normal interval.
///
/// With C the k x k sample covariance matrix (n − 1), 1 a vector of ones and n respondents:
///
/// ```text
/// Q   = 2k² / ((k − 1)² (1'C1)³) · [(1'C1)(tr C² + (tr C)²) − 2 tr C · 1'C²1]
/// se  = √(Q / n)
/// CI  = alpha ± z_{1−α/2} se
/// ```
///
/// The standardized alpha takes the same Q with the correlation matrix R in place of C
/// (`psych::alpha(R, n.obs = n)`): this treats the correlations as the covariances of
/// standardized items and ignores that R is estimated (it is the ASE psych reports, not a
/// delta-method se of the correlation-based alpha). O(n k²) for the covariance matrix.
///
/// The interval is not truncated at 1: near alpha = 1 its upper bound can pass 1, as psych
/// prints it. psych prints the bounds as `raw_alpha ± 1.96 ase`; this uses the exact normal
/// quantile of `level` (1.959964 at 95%), so the bounds differ from psych's printed ones by
/// 3.6e-5 × se; `se` matches psych's `ase` and the bounds match alpha ± `qnorm(0.975)` ase.
///
/// # Errors
/// [`Error::TooFewRespondents`] when fewer than 2 complete respondents remain.
///
/// # Example
/// ```
/// use alliance::reliability::alpha_asymptotic;
/// use alliance::{IntervalMethod, Level, Ratings};
/// let answers = Ratings::from_rows(&[[4.0, 5.0, 4.0], [2.0, 3.0, 3.0], [5.0, 5.0, 4.0],
///                                    [3.0, 2.0, 2.0], [4.0, 4.0, 5.0]])?;
/// let a = alpha_asymptotic(&answers, Level::default())?;
/// assert_eq!(a.ci_method, IntervalMethod::Normal);
/// let (alpha, ci) = (a.coefficient.value().unwrap_or(0.0), a.ci.value());
/// assert!(ci.is_some_and(|ci| ci.lower < alpha && alpha < ci.upper));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Duhachek, A., & Iacobucci, D. (2004). Alpha's standard error (ASE): an accurate and
/// precise confidence interval estimate. *Journal of Applied Psychology*, 89, 792-808.
/// van Zyl, J. M., Neudecker, H., & Nel, D. G. (2000). On the distribution of the maximum
/// likelihood estimator of Cronbach's alpha. *Psychometrika*, 65, 271-280. Matches
/// `psych::alpha` 2.2.9 (`total$ase`, from `psych:::alpha.1`'s Q with n = `nsub`, the rows).
pub fn alpha_asymptotic(items: &Ratings, level: Level) -> Result<AlphaAsymptotic> {
    let alpha = super::cronbach_alpha(items, level)?;
    let data = Centred::of(items)?;
    let (n, k) = (data.n, data.k);
    let c = data.covariance();
    let z = stats::z_two_sided(level)?;
    let nf = n as f64;
    let se_of = |q: Option<f64>| match q {
        Some(q) => finite(Outcome::Defined((q / nf).sqrt())),
        None => Outcome::Undefined(Undefined::ZeroDenominator),
    };
    let se = match alpha.coefficient {
        Outcome::Defined(_) => se_of(q_of(&c, k)),
        Outcome::Undefined(why) => Outcome::Undefined(why),
    };
    let standardized_se = match alpha.standardized {
        Outcome::Defined(_) => {
            let sd: Vec<f64> = (0..k).map(|i| c[i * k + i].sqrt()).collect();
            let r: Vec<f64> = (0..k * k)
                .map(|ij| {
                    let (i, j) = (ij / k, ij % k);
                    if i == j { 1.0 } else { c[ij] / (sd[i] * sd[j]) }
                })
                .collect();
            se_of(q_of(&r, k))
        }
        Outcome::Undefined(why) => Outcome::Undefined(why),
    };
    Ok(AlphaAsymptotic {
        coefficient: alpha.coefficient,
        se,
        ci: normal_ci(alpha.coefficient, se, z, level),
        standardized: alpha.standardized,
        standardized_se,
        standardized_ci: normal_ci(alpha.standardized, standardized_se, z, level),
        n,
        dropped: data.dropped,
        items: k,
        missing: CaseDeletion::Listwise,
        ci_method: IntervalMethod::Normal,
        reference: "psych::alpha 2.2.9 total$ase (Duhachek & Iacobucci 2004)",
    })
}

/// Cronbach's alpha with a seeded nonparametric bootstrap: respondents (rows) drawn with
/// replacement, alpha recomputed on each resample, and the percentile interval of the
/// replicates.
///
/// ```text
/// alpha*_b = alpha of n rows drawn with replacement (b = 1..B)
/// CI       = [q_{α/2}, q_{1−α/2}] of the defined alpha*_b (R quantile type 7)
/// se       = SD of the defined alpha*_b
/// ```
///
/// Why the percentile interval: it needs no standard error and no normality, stays within
/// the range alpha can take (never above 1), and is invariant under monotone transforms of
/// alpha; it is what `psych::alpha(n.iter = )` reports (`boot.ci`). BCa would correct its
/// small-sample bias at the cost of a jackknife (n more fits); the coverage test in
/// `tests/reliability_extra.rs` holds the percentile interval to its nominal level within a
/// stated tolerance. Each replicate is O(n k) (item and total sums of the drawn rows), with
/// no allocation after the first.
///
/// # Errors
/// [`Error::TooFewRespondents`] when fewer than 2 complete respondents remain;
/// [`Error::ReliabilityBootstrapTooCostly`] when replicates × n × k passes
/// [`super::MAX_BOOTSTRAP_DRAWS`].
///
/// # Example
/// ```
/// use alliance::agreement::Bootstrap;
/// use alliance::reliability::alpha_bootstrap;
/// use alliance::{IntervalMethod, Ratings};
/// let answers = Ratings::from_rows(&[[4.0, 5.0, 4.0], [2.0, 3.0, 3.0], [5.0, 5.0, 4.0],
///                                    [3.0, 2.0, 2.0], [4.0, 4.0, 5.0], [1.0, 2.0, 1.0]])?;
/// let b = alpha_bootstrap(&answers, Bootstrap::new(500)?.with_seed(7))?;
/// assert_eq!((b.replicates, b.seed, b.ci_method), (500, 7, IntervalMethod::PercentileBootstrap));
/// assert!(b.ci.value().is_some_and(|ci| ci.upper <= 1.0));
/// // the same seed gives the same interval
/// assert_eq!(alpha_bootstrap(&answers, Bootstrap::new(500)?.with_seed(7))?.ci, b.ci);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Efron, B., & Tibshirani, R. J. (1993). *An introduction to the bootstrap*, ch. 13.
/// Matches `psych::alpha(n.iter = )`'s resampling scheme and percentile definition (the
/// replicates themselves come from another generator; the interval is tested by its
/// coverage).
pub fn alpha_bootstrap(items: &Ratings, bootstrap: Bootstrap) -> Result<AlphaBootstrap> {
    let level = bootstrap.level();
    let alpha = super::cronbach_alpha(items, level)?;
    let data = Centred::of(items)?;
    let (n, k, replicates) = (data.n, data.k, bootstrap.replicates());
    let cells = n.saturating_mul(k);
    let draws = (replicates as u64).saturating_mul(cells as u64);
    if draws > super::MAX_BOOTSTRAP_DRAWS {
        return Err(Error::ReliabilityBootstrapTooCostly {
            replicates,
            cells,
            limit: super::MAX_BOOTSTRAP_DRAWS,
        });
    }
    let mut rng = stats::SplitMix64::new(bootstrap.seed());
    let (mut s1, mut s2) = (vec![0.0; k], vec![0.0; k]);
    let mut alphas = Vec::with_capacity(replicates);
    let (nf, kf) = (n as f64, k as f64);
    for _ in 0..replicates {
        s1.fill(0.0);
        s2.fill(0.0);
        let (mut t1, mut t2) = (0.0, 0.0);
        for _ in 0..n {
            let r = rng.below(n as u64) as usize;
            let row = &data.x[r * k..(r + 1) * k];
            let mut t = 0.0;
            for ((a, b), &v) in s1.iter_mut().zip(s2.iter_mut()).zip(row) {
                *a += v;
                *b += v * v;
                t += v;
            }
            t1 += t;
            t2 += t * t;
        }
        let var = |a: f64, b: f64| (b - a * a / nf).max(0.0);
        let item_ss: f64 = s1.iter().zip(&s2).map(|(&a, &b)| var(a, b)).sum();
        let total_ss = var(t1, t2);
        // a total score constant up to rounding: alpha undefined on this resample
        if total_ss > 1e-12 * t2.max(f64::MIN_POSITIVE) {
            let a = kf / (kf - 1.0) * (1.0 - item_ss / total_ss);
            if a.is_finite() {
                alphas.push(a.min(1.0));
            }
        }
    }
    let undefined_replicates = replicates - alphas.len();
    alphas.sort_unstable_by(f64::total_cmp);
    let tail = level.tail();
    let ci = match (percentile(&alphas, tail), percentile(&alphas, 1.0 - tail)) {
        (Some(lower), Some(upper)) if alphas.len() >= 2 => {
            Outcome::Defined(Interval::new(lower, upper, level))
        }
        _ => Outcome::Undefined(Undefined::TooFewObservations),
    };
    let se = if alphas.len() >= 2 {
        finite(Outcome::Defined(
            stats::variance(&alphas).map_or(f64::NAN, f64::sqrt),
        ))
    } else {
        Outcome::Undefined(Undefined::TooFewObservations)
    };
    let (ci, se) = match alpha.coefficient {
        Outcome::Undefined(why) => (Outcome::Undefined(why), Outcome::Undefined(why)),
        Outcome::Defined(_) => (ci, se),
    };
    Ok(AlphaBootstrap {
        coefficient: alpha.coefficient,
        se,
        ci,
        replicates,
        undefined_replicates,
        seed: bootstrap.seed(),
        n,
        dropped: data.dropped,
        items: k,
        missing: CaseDeletion::Listwise,
        ci_method: IntervalMethod::PercentileBootstrap,
    })
}

/// Linear interpolation between order statistics (R quantile type 7); `None` when empty.
pub(super) fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let h = last as f64 * p;
    let lo = (h.floor() as usize).min(last);
    let hi = (lo + 1).min(last);
    let (a, b) = (*sorted.get(lo)?, *sorted.get(hi)?);
    Some(a + (h - lo as f64) * (b - a))
}
