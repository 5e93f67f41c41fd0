//! Pearson and Spearman correlations of paired ratings, with t-test p and Fisher-z interval.

use super::continuous::check_pairs;
use crate::error::Result;
use crate::interval::{Interval, Level};
use crate::method::{IntervalMethod, PMethod};
use crate::outcome::{Outcome, Undefined};
use crate::paired::Paired;
use crate::ratings::CaseDeletion;
use crate::stats;
use crate::stats::PairedMoments;

/// Which correlation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum CorrelationMethod {
    /// Pearson's product-moment r.
    Pearson,
    /// Spearman's rho: Pearson's r of average ranks (ties share their mean rank).
    Spearman,
}

/// A correlation with its test and interval. Serializes; does not deserialize (a result is
/// computed, not read).
///
/// # Example
/// ```
/// use alliance::agreement::pearson;
/// use alliance::{Level, Outcome, Paired, Undefined};
/// // the therapist gave the same score every session: no correlation, counts still reported
/// let p = Paired::with_missing(&[Some(4.0), Some(5.0), None, Some(6.0)], &[Some(3.0); 4])?;
/// let c = pearson(&p, Level::default())?;
/// assert_eq!(c.coefficient, Outcome::Undefined(Undefined::ZeroVariance));
/// assert_eq!((c.n, c.dropped, c.df), (3, 1, 1.0));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Correlation {
    /// Pearson or Spearman.
    pub method: CorrelationMethod,
    /// Pearson's r, or Spearman's rho for [`spearman`]; undefined ([`Undefined::ZeroVariance`])
    /// when either rater is constant.
    pub coefficient: Outcome<f64>,
    /// t = r √((n − 2)/(1 − r²)); [`Undefined::ZeroErrorVariance`] when |r| = 1 (t would be
    /// infinite; p is then 0), [`Undefined::TooFewObservations`] for n = 2.
    pub t: Outcome<f64>,
    /// Degrees of freedom of t, n − 2.
    pub df: f64,
    /// Two-sided p of the t test (for Spearman the t approximation, as scipy and R
    /// `cor.test(exact = FALSE)`); undefined for n = 2.
    pub p: Outcome<f64>,
    /// How `p` was computed: [`PMethod::StudentT`].
    pub p_method: PMethod,
    /// Spearman only: the exact two-sided permutation p for 3 ≤ n ≤ 9 without ties (as R
    /// `cor.test(method = "spearman", exact = TRUE)`); otherwise undefined with the reason
    /// ([`Undefined::TiedValues`], [`Undefined::BeyondExactLimit`],
    /// [`Undefined::TooFewObservations`], [`Undefined::NotApplicable`] for Pearson).
    pub p_exact: Outcome<f64>,
    /// Fisher-z interval tanh(atanh r ± z_{1−α/2} / √(n − 3)); undefined for n ≤ 3; the
    /// degenerate [r, r] when |r| = 1.
    pub ci: Outcome<Interval>,
    /// How the interval was computed: [`IntervalMethod::FisherZ`].
    pub ci_method: IntervalMethod,
    /// Pairs used: targets (sessions) rated by both raters.
    pub n: usize,
    /// Pairs dropped because a value was missing.
    pub dropped: usize,
    /// Missing-data policy applied (listwise: a pair missing a value is dropped).
    pub missing: CaseDeletion,
    /// The reference implementation matched.
    pub reference: &'static str,
}

/// Pearson's correlation with t-test p and Fisher-z interval.
///
/// ```text
/// r = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² Σ(y − ȳ)²)
/// t = r √((n − 2)/(1 − r²)),  p = 2 P(T_{n−2} > |t|)
/// CI = tanh(atanh(r) ± z_{1−α/2} / √(n − 3))
/// ```
///
/// # Errors
/// [`Error::TooFewPairs`](crate::Error::TooFewPairs) for fewer than 2 complete pairs.
///
/// # Example
/// ```
/// use alliance::agreement::pearson;
/// use alliance::{Level, Paired};
/// let p = Paired::new(&[1.0, 2.0, 3.0, 4.0, 5.0], &[2.0, 1.0, 4.0, 3.0, 5.0])?;
/// let c = pearson(&p, Level::default())?;
/// let r = c.coefficient.value().ok_or("undefined")?;
/// assert!((r - 0.8).abs() < 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # References
/// Fisher, R. A. (1921). On the "probable error" of a coefficient of correlation. *Metron*,
/// 1, 3-32. Matches `scipy.stats.pearsonr` 1.12 (statistic, pvalue, `confidence_interval()`).
pub fn pearson(paired: &Paired, level: Level) -> Result<Correlation> {
    check_pairs(paired, 2, "a correlation")?;
    Ok(correlate(
        CorrelationMethod::Pearson,
        PairedMoments::of(paired.first(), paired.second()),
        paired,
        level,
        "scipy.stats.pearsonr",
    ))
}

/// Spearman's rank correlation with t-approximation p and Fisher-z interval.
///
/// ```text
/// rho = Pearson r of the average ranks of x and of y
/// t = rho √((n − 2)/(1 − rho²)),  p = 2 P(T_{n−2} > |t|)
/// CI = tanh(atanh(rho) ± z_{1−α/2} / √(n − 3))
/// ```
///
/// The p is the t approximation (as scipy and R `cor.test(exact = FALSE)`), with or without
/// ties. For 3 ≤ n ≤ 9 without ties, `p_exact` also gives the exact permutation p of R's
/// `cor.test(exact = TRUE)`.
///
/// # Errors
/// As [`pearson`].
///
/// # Example
/// ```
/// use alliance::agreement::spearman;
/// use alliance::{Level, Outcome, Paired};
/// let p = Paired::new(&[1.0, 2.0, 3.0, 4.0, 5.0], &[1.0, 4.0, 9.0, 16.0, 30.0])?;
/// let c = spearman(&p, Level::default())?;
/// assert_eq!(c.coefficient, Outcome::Defined(1.0));
/// // no ties and n <= 9: the exact permutation p (1 of 120 orderings on each side)
/// assert!((c.p_exact.value().ok_or("undefined")? - 2.0 / 120.0).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # References
/// Spearman, C. (1904). The proof and measurement of association between two things.
/// *American Journal of Psychology*, 15, 72-101. Matches `scipy.stats.spearmanr` 1.12
/// (statistic, pvalue) and the Fisher-z interval of `pingouin.corr(method="spearman")` 0.6.1
/// (which prints it rounded to 2 decimals).
pub fn spearman(paired: &Paired, level: Level) -> Result<Correlation> {
    check_pairs(paired, 2, "a correlation")?;
    let (rx, tx) = stats::average_ranks(paired.first());
    let (ry, ty) = stats::average_ranks(paired.second());
    let mut c = correlate(
        CorrelationMethod::Spearman,
        PairedMoments::of(&rx, &ry),
        paired,
        level,
        "scipy.stats.spearmanr; pingouin.corr(method='spearman') interval; R cor.test exact p",
    );
    if c.coefficient.is_defined() {
        #[allow(clippy::float_cmp)] // Σ(t³ − t) is an exact integer
        let tied = tx != 0.0 || ty != 0.0;
        c.p_exact = if tied {
            Outcome::Undefined(Undefined::TiedValues)
        } else if c.n < 3 {
            Outcome::Undefined(Undefined::TooFewObservations)
        } else if c.n > EXACT_SPEARMAN_MAX_N {
            Outcome::Undefined(Undefined::BeyondExactLimit)
        } else {
            Outcome::Defined(spearman_exact_p(&rx, &ry))
        };
    }
    Ok(c)
}

/// The largest n for which the exact permutation distribution is enumerated (9! = 362,880
/// permutations), as in R's `prho`.
const EXACT_SPEARMAN_MAX_N: usize = 9;

/// Exact two-sided p of Spearman's rho for untied ranks, n ≤ 9, by enumerating all n!
/// pairings: with S = Σ (rank of x − rank of y)² and its null mean (n³ − n)/6, the one-sided tail
/// towards the observed S (P(S ≥ s) above the mean, P(S ≤ s) at or below it), doubled and
/// capped at 1, as R's `cor.test` does. The caller guarantees 3 ≤ n ≤ 9.
fn spearman_exact_p(rx: &[f64], ry: &[f64]) -> f64 {
    let n = rx.len();
    // untied ranks are the integers 1..=n, so S is an exact integer
    let s_obs: i64 = rx
        .iter()
        .zip(ry)
        .map(|(a, b)| {
            let d = (a - b) as i64;
            d * d
        })
        .sum();
    let n64 = n as i64;
    let above_mean = 6 * s_obs > n64 * n64 * n64 - n64;
    // Heap's algorithm over the permutations of 0..n
    let mut perm: Vec<i64> = (0..n64).collect();
    let mut c = vec![0usize; n];
    let s_of = |p: &[i64]| -> i64 { p.iter().zip(0..).map(|(&v, i)| (v - i) * (v - i)).sum() };
    let in_tail = |s: i64| if above_mean { s >= s_obs } else { s <= s_obs };
    let (mut hits, mut total) = (u64::from(in_tail(s_of(&perm))), 1u64);
    let mut i = 1;
    while i < n {
        if c[i] < i {
            let j = if i % 2 == 0 { 0 } else { c[i] };
            perm.swap(j, i);
            hits += u64::from(in_tail(s_of(&perm)));
            total += 1;
            c[i] += 1;
            i = 1;
        } else {
            c[i] = 0;
            i += 1;
        }
    }
    (2.0 * hits as f64 / total as f64).min(1.0)
}

fn correlate(
    method: CorrelationMethod,
    m: PairedMoments,
    paired: &Paired,
    level: Level,
    reference: &'static str,
) -> Correlation {
    let n = paired.n();
    let df = m.n() - 2.0;
    let undefined = |why| Correlation {
        method,
        coefficient: Outcome::Undefined(why),
        t: Outcome::Undefined(why),
        df,
        p: Outcome::Undefined(why),
        p_method: PMethod::StudentT,
        p_exact: Outcome::Undefined(why),
        ci: Outcome::Undefined(why),
        ci_method: IntervalMethod::FisherZ,
        n,
        dropped: paired.dropped(),
        missing: paired.missing(),
        reference,
    };
    if m.x_constant || m.y_constant {
        return undefined(Undefined::ZeroVariance);
    }
    if m.overflowed() {
        return undefined(Undefined::OutOfRange);
    }
    let r = m.r();
    let (t, p) = if n <= 2 {
        (
            Outcome::Undefined(Undefined::TooFewObservations),
            Outcome::Undefined(Undefined::TooFewObservations),
        )
    } else {
        r_test(r, df)
    };
    Correlation {
        coefficient: Outcome::Defined(r),
        t,
        p,
        p_exact: Outcome::Undefined(match method {
            CorrelationMethod::Pearson => Undefined::NotApplicable,
            // set by `spearman`
            CorrelationMethod::Spearman => Undefined::TooFewObservations,
        }),
        ci: fisher_ci(r, n, level),
        ..undefined(Undefined::ZeroVariance)
    }
}

/// t and two-sided p of a correlation on `df` degrees of freedom (df > 0).
fn r_test(r: f64, df: f64) -> (Outcome<f64>, Outcome<f64>) {
    if r.abs() >= 1.0 {
        // no residual: t would be infinite, and p is 0
        return (
            Outcome::Undefined(Undefined::ZeroErrorVariance),
            Outcome::Defined(0.0),
        );
    }
    let t = r * (df / ((1.0 - r) * (1.0 + r))).sqrt();
    match stats::t_two_sided_p(t, df) {
        Ok(p) => (Outcome::Defined(t), Outcome::Defined(p)),
        Err(_) => (
            Outcome::Undefined(Undefined::TooFewObservations),
            Outcome::Undefined(Undefined::TooFewObservations),
        ),
    }
}

/// Fisher-z interval with standard error 1/√(n − 3).
pub(crate) fn fisher_ci(r: f64, n: usize, level: Level) -> Outcome<Interval> {
    if n <= 3 {
        return Outcome::Undefined(Undefined::TooFewObservations);
    }
    if r.abs() >= 1.0 {
        return Outcome::Defined(Interval::new(r, r, level));
    }
    // an error here only means the quantile is infinite (a level within rounding of 1)
    let Ok(z) = crate::stats::z_two_sided(level) else {
        return Outcome::Undefined(Undefined::OutOfRange);
    };
    let h = z / ((n - 3) as f64).sqrt();
    let zr = r.atanh();
    Outcome::Defined(Interval::new((zr - h).tanh(), (zr + h).tanh(), level))
}
