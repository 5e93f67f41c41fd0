//! Multi-rater chance-corrected agreement on categories: Fleiss' kappa, Gwet's AC1/AC2 and
//! Brennan-Prediger, with missing ratings and the variance of Gwet (2008, 2014) as irrCAC
//! computes it.

use super::{Categories, Weighting};
use crate::error::{Error, Result};
use crate::interval::{Interval, Level};
use crate::method::{IntervalMethod, PMethod};
use crate::outcome::{Outcome, Undefined};
use crate::ratings::{CaseDeletion, Ratings};
use crate::stats::{self, Sum};

/// Which chance-agreement model a multi-rater coefficient uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum MultiRaterMethod {
    /// Fleiss' (1971) kappa, generalized to weights and missing ratings: `p_e` = Σ `w_kl` `π_k π_l`.
    Fleiss,
    /// Gwet's AC1 (unweighted) or AC2 (weighted): `p_e` = `T_w` Σ `π_k` (1 - `π_k`) / (q (q - 1)).
    Gwet,
    /// Brennan & Prediger (1981): `p_e` = `T_w` / q^2, uniform chance over the declared categories.
    BrennanPrediger,
}

/// A multi-rater agreement coefficient with Gwet's (2014) variance, as irrCAC reports it.
///
/// An undefined coefficient (no subject with two ratings, or chance agreement exactly 1)
/// leaves the counts and the agreement shares that exist defined. Serializes; does not
/// deserialize (a result is computed, not read).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct MultiRaterAgreement {
    /// Which coefficient this is.
    pub method: MultiRaterMethod,
    /// The coefficient, (`p_a` - `p_e`) / (1 - `p_e`); negative values are reported.
    pub coefficient: Outcome<f64>,
    /// Observed (weighted) agreement `p_a` over subjects with 2 or more ratings;
    /// [`Undefined::NoPairableUnit`] when there is none.
    pub observed_agreement: Outcome<f64>,
    /// Chance agreement `p_e` (always defined: it needs only the category shares).
    pub chance_agreement: f64,
    /// Standard error (Gwet 2008 linearization, no finite-population correction).
    pub se: Outcome<f64>,
    /// t = coefficient / se, referred to Student t on `df` degrees of freedom as irrCAC does
    /// (irrCAC calls it z); [`Undefined::NonPositiveVariance`] when se is 0.
    pub t: Outcome<f64>,
    /// Two-sided p-value of `t` on t(`df`).
    pub p: Outcome<f64>,
    /// How `p` is computed: [`PMethod::StudentT`].
    pub p_method: PMethod,
    /// coefficient ± t_(df, 1 - tail) se. Not clamped (irrCAC caps the upper bound at 1).
    pub ci: Outcome<Interval>,
    /// How `ci` is computed: [`IntervalMethod::StudentT`].
    pub ci_method: IntervalMethod,
    /// Degrees of freedom of `t` and `ci`, n - 1.
    pub df: f64,
    /// Fleiss, Nee & Landis (1979) standard error under kappa = 0, for unweighted Fleiss'
    /// kappa on complete data (every subject rated by every rater);
    /// [`Undefined::NotApplicable`] otherwise.
    pub se_null: Outcome<f64>,
    /// coefficient / `se_null`, referred to the standard normal (as R irr's `kappam.fleiss`).
    pub z_null: Outcome<f64>,
    /// Two-sided normal p-value of `z_null` ([`PMethod::Normal`]).
    pub p_null: Outcome<f64>,
    /// The weights used.
    pub weighting: Weighting,
    /// Number of declared categories q.
    pub categories: usize,
    /// Number of raters (columns of the ratings).
    pub raters: usize,
    /// Subjects with at least one rating (the n of the variance and of the category shares).
    pub n: usize,
    /// Subjects with at least two ratings (the n of `p_a`).
    pub pairable: usize,
    /// Subjects dropped because every rating was missing.
    pub dropped: usize,
    /// The missing-data policy: [`CaseDeletion::AvailableRatings`].
    pub missing: CaseDeletion,
    /// The reference implementation matched.
    pub reference: &'static str,
}

/// Fleiss' kappa for any number of raters, weighted or not, with missing ratings.
///
/// `ratings` holds category codes (subjects x raters); missing cells are allowed. Subjects
/// with no rating are dropped; a subject with one rating enters the category shares `π_k` but
/// not the observed agreement. With `r_ik` the number of ratings of subject i in category k,
/// `r_i` their sum, n subjects with a rating and n₂ of them with `r_i` ≥ 2:
/// ```text
/// p_a = (1/n₂) Σ_{i: r_i ≥ 2} Σ_k r_ik (Σ_l w_kl r_il - 1) / (r_i (r_i - 1))
/// π_k = (1/n) Σ_i r_ik / r_i         p_e = Σ_k Σ_l w_kl π_k π_l
/// kappa = (p_a - p_e) / (1 - p_e)
/// Var = Σ_i (kappa*_i - kappa)^2 / (n (n - 1)),  kappa*_i = kappa_i - 2 (1 - kappa) (p_e,i - p_e)/(1 - p_e)
/// kappa_i = (n/n₂) (p_a,i - p_e [r_i ≥ 2]) / (1 - p_e),  p_e,i = Σ_k r_ik (π̄w_k) / r_i,
/// π̄w = (W π + Wᵀ π) / 2
/// ```
/// Unweighted with complete data, the coefficient equals Fleiss (1971) and statsmodels'
/// `fleiss_kappa`. The standard error `se` (and its t interval) is Gwet's (2008)
/// nonparametric one, as irrCAC reports it, without a finite-population correction (irrCAC's
/// default `N = inf`: the subjects are a sample from an unlimited population). For unweighted kappa on complete data the
/// Fleiss, Nee & Landis (1979) SE under kappa = 0 is added for a z test, as R irr reports it
/// (statsmodels reports no SE):
/// ```text
/// se_null^2 = 2 [ (Σ_k π_k θ_k)^2 - Σ_k π_k θ_k (θ_k - π_k) ] / [ (Σ_k π_k θ_k)^2 n m (m - 1) ],  θ_k = 1 - π_k
/// ```
///
/// Size: O(n k log k) for n subjects of k ratings, plus the q x q weights once; q is at most
/// [`Categories::MAX`], so the weights take at most 134 MB.
///
/// # Errors
/// [`Error::UnknownCategory`] for a rating outside `categories` (row-major index);
/// [`Error::TooFewRatedSubjects`] for fewer than 2 subjects with a rating;
/// [`Error::WeightMatrixSize`] for a custom weight matrix of the wrong size.
///
/// # Undefined
/// With no subject rated twice, the coefficient and `observed_agreement` are
/// [`Undefined::NoPairableUnit`]; when chance agreement is exactly 1 (one category used,
/// or weights that credit every used pair fully), the coefficient and its inference are
/// [`Undefined::ExpectedAgreementOne`]. The counts and `chance_agreement` stay defined.
///
/// # Example
/// ```
/// use alliance::agreement::{Categories, Weighting, fleiss_kappa};
/// use alliance::Ratings;
/// use alliance::Level;
/// let r = Ratings::from_rows(&[[1.0, 1.0, 1.0], [2.0, 2.0, 3.0], [3.0, 3.0, 3.0], [1.0, 2.0, 1.0]])?;
/// let k = fleiss_kappa(&r, &Categories::range(1, 3)?, &Weighting::Unweighted, Level::default())?;
/// assert_eq!((k.n, k.pairable, k.raters), (4, 4, 3));
/// let kappa = k.coefficient.value().expect("several categories used");
/// assert!(kappa > 0.0 && kappa < 1.0);
/// // complete and unweighted: the Fleiss, Nee & Landis test of kappa = 0 is there too
/// assert!(k.z_null.is_defined());
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. *Psychological
/// Bulletin* 76, 378-382. Gwet, K. L. (2014). *Handbook of Inter-Rater Reliability*, 4th ed.
/// Matches irrCAC 0.4.4 `CAC(...).fleiss()` (all fields) and statsmodels
/// `fleiss_kappa(..., method="fleiss")` (the coefficient).
pub fn fleiss_kappa(
    ratings: &Ratings,
    categories: &Categories,
    weighting: &Weighting,
    level: Level,
) -> Result<MultiRaterAgreement> {
    multi_rater(
        ratings,
        categories,
        weighting,
        level,
        MultiRaterMethod::Fleiss,
    )
}

/// Gwet's AC1 (unweighted) or AC2 (weighted) for any number of raters, with missing ratings.
///
/// Robust to the prevalence paradox: on ceiling-bound alliance items, where nearly every
/// rating is the top category, kappa can be low while raw agreement is high; AC1 stays near
/// the raw agreement. Same `p_a`, `π_k` and variance as [`fleiss_kappa`], with
/// ```text
/// p_e = T_w Σ_k π_k (1 - π_k) / (q (q - 1)),   T_w = Σ_k Σ_l w_kl
/// p_e,i = T_w Σ_k r_ik (1 - π_k) / (r_i q (q - 1))
/// ```
///
/// Size: O(n k log k) for n subjects of k ratings, plus the q x q weights once; q is at most
/// [`Categories::MAX`], so the weights take at most 134 MB.
///
/// # Errors
/// As [`fleiss_kappa`].
///
/// # Example
/// ```
/// use alliance::agreement::{Categories, Weighting, gwet_ac};
/// use alliance::Ratings;
/// use alliance::Level;
/// // ceiling effect: almost everything is a 5
/// let r = Ratings::from_rows(&[[5.0, 5.0], [5.0, 5.0], [5.0, 5.0], [5.0, 4.0], [5.0, 5.0], [4.0, 4.0]])?;
/// let ac1 = gwet_ac(&r, &Categories::range(1, 5)?, &Weighting::Unweighted, Level::default())?;
/// assert!(ac1.coefficient.value().expect("defined") > 0.8);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Gwet, K. L. (2008). Computing inter-rater reliability and its variance in the presence of
/// high agreement. *British Journal of Mathematical and Statistical Psychology* 61, 29-48.
/// Matches irrCAC 0.4.4 `CAC(...).gwet()`.
pub fn gwet_ac(
    ratings: &Ratings,
    categories: &Categories,
    weighting: &Weighting,
    level: Level,
) -> Result<MultiRaterAgreement> {
    multi_rater(
        ratings,
        categories,
        weighting,
        level,
        MultiRaterMethod::Gwet,
    )
}

/// Brennan-Prediger coefficient for any number of raters, with missing ratings.
///
/// Chance agreement assumes each declared category is equally likely:
/// ```text
/// p_e = T_w / q^2,   Var = Σ_i (bp_i - bp)^2 / (n (n - 1)),   bp_i = (n/n₂)(p_a,i - p_e [r_i ≥ 2])/(1 - p_e)
/// ```
///
/// Size: O(n k log k) for n subjects of k ratings, plus the q x q weights once; q is at most
/// [`Categories::MAX`], so the weights take at most 134 MB.
///
/// # Errors
/// As [`fleiss_kappa`].
///
/// # Example
/// ```
/// use alliance::agreement::{Categories, Weighting, brennan_prediger};
/// use alliance::Ratings;
/// use alliance::Level;
/// let r = Ratings::from_rows(&[[1.0, 1.0], [2.0, 2.0], [3.0, 2.0], [4.0, 4.0]])?;
/// let bp = brennan_prediger(&r, &Categories::range(1, 4)?, &Weighting::Unweighted, Level::default())?;
/// assert_eq!(bp.observed_agreement.value(), Some(0.75));
/// assert_eq!(bp.chance_agreement, 0.25);
/// assert!((bp.coefficient.value().expect("defined") - (0.75 - 0.25) / 0.75).abs() < 1e-12);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Brennan, R. L. & Prediger, D. J. (1981). Coefficient kappa: some uses, misuses, and
/// alternatives. *Educational and Psychological Measurement* 41, 687-699. Matches irrCAC
/// 0.4.4 `CAC(...).bp()` (coefficient, SE, interval; irrCAC's BP p-value is one-sided, ours
/// is two-sided like its other coefficients).
pub fn brennan_prediger(
    ratings: &Ratings,
    categories: &Categories,
    weighting: &Weighting,
    level: Level,
) -> Result<MultiRaterAgreement> {
    multi_rater(
        ratings,
        categories,
        weighting,
        level,
        MultiRaterMethod::BrennanPrediger,
    )
}

/// Per-subject category counts into `counts`, and the categories used (ascending, each
/// once) into `used`; returns `r_i`. Missing cells are NaN. Only the previous subject's
/// categories are cleared, so a subject costs O(k log k) for its k ratings, not O(q): with
/// thousands of declared categories, the zero counts of unused ones are never visited (they
/// add nothing to any sum, so skipping them leaves every sum bit-identical).
fn count_row(
    row: &[f64],
    first_index: usize,
    categories: &Categories,
    counts: &mut [f64],
    used: &mut Vec<usize>,
) -> Result<f64> {
    for &k in used.iter() {
        if let Some(c) = counts.get_mut(k) {
            *c = 0.0;
        }
    }
    used.clear();
    let mut r = 0.0;
    for (j, &x) in row.iter().enumerate() {
        if x.is_nan() {
            continue;
        }
        let k = categories.locate(x, first_index + j)?;
        if let Some(c) = counts.get_mut(k) {
            if *c == 0.0 {
                used.push(k);
            }
            *c += 1.0;
        }
        r += 1.0;
    }
    used.sort_unstable();
    Ok(r)
}

/// `Σ_{k≠l} (1 − w_kl) r_k r_l`: the weighted disagreeing pairs of one subject, from
/// nonnegative terms (the diagonal weights are 1), so `1 − p_a` never cancels.
fn disagreeing_pairs(counts: &[f64], used: &[usize], w: &[f64], q: usize) -> f64 {
    let mut total = 0.0;
    for &k in used {
        let rk = counts.get(k).copied().unwrap_or(0.0);
        for &l in used {
            if l != k {
                let rl = counts.get(l).copied().unwrap_or(0.0);
                total += (1.0 - w.get(k * q + l).copied().unwrap_or(0.0)) * rk * rl;
            }
        }
    }
    total
}

fn multi_rater(
    ratings: &Ratings,
    categories: &Categories,
    weighting: &Weighting,
    level: Level,
    method: MultiRaterMethod,
) -> Result<MultiRaterAgreement> {
    let q = categories.len();
    let w = weighting.matrix(categories)?;
    let k_raters = ratings.raters();
    let mut counts = vec![0.0; q];
    let mut shares = vec![Sum::default(); q];
    let mut used: Vec<usize> = Vec::with_capacity(k_raters);
    let mut da_sum = Sum::default();
    let (mut n, mut n2, mut dropped) = (0usize, 0usize, 0usize);
    // Pass 1: category shares and observed agreement.
    for (i, row) in ratings.rows_raw().enumerate() {
        let r = count_row(row, i * k_raters, categories, &mut counts, &mut used)?;
        if r == 0.0 {
            dropped += 1;
            continue;
        }
        n += 1;
        for &k in &used {
            if let (Some(s), Some(&c)) = (shares.get_mut(k), counts.get(k)) {
                s.add(c / r);
            }
        }
        if r >= 2.0 {
            n2 += 1;
            da_sum.add(disagreeing_pairs(&counts, &used, &w, q) / (r * (r - 1.0)));
        }
    }
    if n < 2 {
        return Err(Error::TooFewRatedSubjects { found: n });
    }
    let nf = n as f64;
    let df = nf - 1.0;
    let pi: Vec<f64> = shares.iter().map(|s| s.value() / nf).collect();
    let qf = q as f64;
    let total_w = stats::sum(w.iter().copied());
    #[allow(clippy::float_cmp)]
    let all_ones = w.iter().all(|&x| x == 1.0);
    // 1 − p_e from nonnegative terms (T_d = Σ (1 − w_kl), V = Σ (π_k − 1/q)²), so weights
    // within an ulp of 1 give a coefficient rather than 0/0 when p_e rounds to 1:
    // Fleiss Σ (1 − w_kl) π_k π_l; Gwet (V T_w + T_d (q − 1)/q) / (q (q − 1)); B-P T_d / q².
    let total_d = stats::sum(w.iter().map(|x| 1.0 - x));
    let uniform_gap = stats::sum(pi.iter().map(|p| (p - 1.0 / qf) * (p - 1.0 / qf)));
    // shares equal up to their rounding count as uniform (then Gwet's p_e is 1 with unit weights)
    let uniform_gap = if uniform_gap <= qf * (8.0 * f64::EPSILON).powi(2) {
        0.0
    } else {
        uniform_gap
    };
    let chance_disagreement = match method {
        MultiRaterMethod::Fleiss => stats::sum(
            (0..q)
                .flat_map(|k| (0..q).map(move |l| (k, l)))
                .map(|(k, l)| (1.0 - w[k * q + l]) * pi[k] * pi[l]),
        ),
        MultiRaterMethod::Gwet => {
            (uniform_gap * total_w + total_d * (qf - 1.0) / qf) / (qf * (qf - 1.0))
        }
        MultiRaterMethod::BrennanPrediger => total_d / (qf * qf),
    };
    // Chance agreement, and whether it is exactly 1.
    let (pe, pe_one) = match method {
        MultiRaterMethod::Fleiss => {
            // p_e = 1 exactly iff all used categories are pairwise weight 1.
            #[allow(clippy::float_cmp)]
            let one =
                (0..q).all(|k| pi[k] == 0.0 || (0..q).all(|l| pi[l] == 0.0 || w[k * q + l] == 1.0));
            let pe = stats::sum(
                (0..q)
                    .flat_map(|k| (0..q).map(move |l| (k, l)))
                    .map(|(k, l)| w[k * q + l] * pi[k] * pi[l]),
            );
            (if one { 1.0 } else { pe }, one)
        }
        MultiRaterMethod::Gwet => {
            let pe = total_w * stats::sum(pi.iter().map(|p| p * (1.0 - p))) / (qf * (qf - 1.0));
            let one = all_ones && (pe >= 1.0 || uniform_gap == 0.0);
            (if one { 1.0 } else { pe }, one)
        }
        MultiRaterMethod::BrennanPrediger => {
            (if all_ones { 1.0 } else { total_w / (qf * qf) }, all_ones)
        }
    };
    let mut result = MultiRaterAgreement {
        method,
        coefficient: Outcome::Undefined(Undefined::NoPairableUnit),
        observed_agreement: Outcome::Undefined(Undefined::NoPairableUnit),
        chance_agreement: pe,
        se: Outcome::Undefined(Undefined::NoPairableUnit),
        t: Outcome::Undefined(Undefined::NoPairableUnit),
        p: Outcome::Undefined(Undefined::NoPairableUnit),
        p_method: PMethod::StudentT,
        ci: Outcome::Undefined(Undefined::NoPairableUnit),
        ci_method: IntervalMethod::StudentT,
        df,
        se_null: Outcome::Undefined(Undefined::NoPairableUnit),
        z_null: Outcome::Undefined(Undefined::NoPairableUnit),
        p_null: Outcome::Undefined(Undefined::NoPairableUnit),
        weighting: weighting.clone(),
        categories: q,
        raters: k_raters,
        n,
        pairable: n2,
        dropped,
        missing: CaseDeletion::AvailableRatings,
        reference: match method {
            MultiRaterMethod::Fleiss => "irrCAC CAC.fleiss; statsmodels fleiss_kappa",
            MultiRaterMethod::Gwet => "irrCAC CAC.gwet",
            MultiRaterMethod::BrennanPrediger => "irrCAC CAC.bp",
        },
    };
    if n2 == 0 {
        return Ok(result);
    }
    // p_a = 1 − D_a: the diagonal weights are 1, so agreeing and disagreeing pairs add to 1
    let disagreement = da_sum.value() / n2 as f64;
    result.observed_agreement = Outcome::Defined(1.0 - disagreement);
    // p_e = 1: decided exactly above, or D_e = 0 within rounding the exact tests cannot see
    if pe_one || chance_disagreement <= 0.0 {
        let why = Outcome::Undefined(Undefined::ExpectedAgreementOne);
        result.coefficient = why;
        result.se = why;
        result.t = why;
        result.p = why;
        result.ci = Outcome::Undefined(Undefined::ExpectedAgreementOne);
        result.se_null = why;
        result.z_null = why;
        result.p_null = why;
        return Ok(result);
    }
    // (p_a − p_e)/(1 − p_e) as 1 − D_a/D_e (see `chance_disagreement`)
    let value = 1.0 - disagreement / chance_disagreement;
    // Per-subject chance-agreement weights for the linearized variance.
    let pe_weight: Vec<f64> = match method {
        MultiRaterMethod::Fleiss => (0..q)
            .map(|k| {
                let row = stats::sum((0..q).map(|l| w[k * q + l] * pi[l]));
                let col = stats::sum((0..q).map(|l| w[l * q + k] * pi[l]));
                (row + col) / 2.0
            })
            .collect(),
        MultiRaterMethod::Gwet => pi
            .iter()
            .map(|p| total_w * (1.0 - p) / (qf * (qf - 1.0)))
            .collect(),
        MultiRaterMethod::BrennanPrediger => Vec::new(),
    };
    // Pass 2: the variance.
    let scale = nf / n2 as f64;
    let mut ss = Sum::default();
    for (i, row) in ratings.rows_raw().enumerate() {
        let r = count_row(row, i * k_raters, categories, &mut counts, &mut used)?;
        if r == 0.0 {
            continue;
        }
        // p_a,i − p_e = D_e − D_a,i for a subject with a pair, else 0
        let agreement_gap = if r >= 2.0 {
            chance_disagreement - disagreeing_pairs(&counts, &used, &w, q) / (r * (r - 1.0))
        } else {
            0.0
        };
        let mut v_i = scale * agreement_gap / chance_disagreement;
        if method != MultiRaterMethod::BrennanPrediger {
            let pe_i = stats::sum(used.iter().map(|&k| {
                counts.get(k).copied().unwrap_or(0.0) * pe_weight.get(k).copied().unwrap_or(0.0)
            })) / r;
            v_i -= 2.0 * (1.0 - value) * (pe_i - pe) / chance_disagreement;
        }
        let d = v_i - value;
        ss.add(d * d);
    }
    let se = (ss.value() / (nf * df)).sqrt();
    let tq = stats::t_quantile(1.0 - level.tail(), df)?;
    result.coefficient = Outcome::Defined(value);
    result.se = Outcome::Defined(se);
    result.ci = Outcome::Defined(Interval::new(value - tq * se, value + tq * se, level));
    if se > 0.0 {
        let t = value / se;
        result.t = Outcome::Defined(t);
        result.p = Outcome::Defined(stats::t_two_sided_p(t, df)?);
    } else {
        result.t = Outcome::Undefined(Undefined::NonPositiveVariance);
        result.p = Outcome::Undefined(Undefined::NonPositiveVariance);
    }
    let m = k_raters as f64;
    let null_applies = method == MultiRaterMethod::Fleiss
        && *weighting == Weighting::Unweighted
        && ratings.missing() == 0;
    if null_applies {
        let pq = stats::sum(pi.iter().map(|p| p * (1.0 - p)));
        let skew = stats::sum(pi.iter().map(|p| p * (1.0 - p) * (1.0 - 2.0 * p)));
        let se0 = (2.0 * (pq * pq - skew) / (pq * pq * nf * m * (m - 1.0))).sqrt();
        if se0 > 0.0 {
            let z = value / se0;
            result.se_null = Outcome::Defined(se0);
            result.z_null = Outcome::Defined(z);
            result.p_null = Outcome::Defined(stats::normal_two_sided_p(z));
        } else {
            let why = Outcome::Undefined(Undefined::NonPositiveVariance);
            result.se_null = why;
            result.z_null = why;
            result.p_null = why;
        }
    } else {
        let why = Outcome::Undefined(Undefined::NotApplicable);
        result.se_null = why;
        result.z_null = why;
        result.p_null = why;
    }
    Ok(result)
}
