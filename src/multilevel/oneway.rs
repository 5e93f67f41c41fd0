//! The one-way ANOVA estimator of the ICC for unequal group sizes.

#![allow(clippy::doc_markdown)] // author names are prose, not code

use super::nested::check_values;
use crate::error::{Error, Result};
use crate::interval::{Interval, Level};
use crate::method::{IntervalMethod, PMethod};
use crate::outcome::{Outcome, Undefined};
use crate::stats::{self, Sum};

/// The one-way random-effects ICC(1) of unbalanced groups, with its F test and interval.
///
/// Each quantity that can be undefined is an [`Outcome`] of its own; the mean squares,
/// degrees of freedom and counts are always reported. Serializes; does not deserialize (a
/// result is computed, not read).
///
/// # Example
/// ```
/// use alliance::multilevel::oneway_icc;
/// use alliance::{Level, Outcome, Undefined};
/// let rows = [(1, 4.0), (1, 4.0), (2, 4.0), (2, 4.0), (2, 4.0)];
/// let icc = oneway_icc(&rows, Level::default())?;
/// assert_eq!(icc.coefficient, Outcome::Undefined(Undefined::ConstantValues));
/// assert_eq!((icc.n, icc.groups, icc.df1, icc.df2), (5, 2, 1.0, 3.0));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct OneWayIcc {
    /// ICC(1) = (MSB − MSW) / (MSB + (n0 − 1) MSW); negative values are reported, not
    /// clamped. [`Undefined::ConstantValues`] when every value is equal.
    pub coefficient: Outcome<f64>,
    /// The between-group variance estimate (MSB − MSW) / n0 (negative when MSB < MSW).
    pub between_variance: Outcome<f64>,
    /// The within-group variance estimate, MSW.
    pub within_variance: f64,
    /// F = MSB / MSW; [`Undefined::ZeroErrorVariance`] when MSW = 0 and groups differ (p is
    /// then 0), [`Undefined::IndeterminateF`] when both are 0.
    pub f: Outcome<f64>,
    /// Numerator degrees of freedom, groups − 1.
    pub df1: f64,
    /// Denominator degrees of freedom, N − groups.
    pub df2: f64,
    /// Upper-tail p of F, the exact test of ICC = 0 in balanced and unbalanced designs alike.
    pub p: Outcome<f64>,
    /// How p was computed: [`PMethod::F`].
    pub p_method: PMethod,
    /// Confidence interval: exact when the design is balanced, approximate otherwise (see
    /// [`oneway_icc`]); undefined with the coefficient.
    pub ci: Outcome<Interval>,
    /// [`IntervalMethod::ExactF`] for equal group sizes, [`IntervalMethod::SearleN0`] for
    /// unequal ones.
    pub ci_method: IntervalMethod,
    /// Between-group mean square, Σ n_i (ȳ_i − ȳ)² / (groups − 1).
    pub ms_between: f64,
    /// Within-group mean square, Σ (y − ȳ_i)² / (N − groups).
    pub ms_within: f64,
    /// The effective group size n0 = (N − Σ n_i² / N) / (groups − 1) (the common size when
    /// balanced).
    pub n0: f64,
    /// Whether every group has the same size.
    pub balanced: bool,
    /// Observations used.
    pub n: usize,
    /// Groups.
    pub groups: usize,
    /// Groups with a single observation.
    pub groups_with_one: usize,
    /// The reference this matches.
    pub reference: &'static str,
}

/// ICC(1) of a one-way random-effects ANOVA with unequal group sizes: how much of the
/// variance of the values lies between groups (clients within therapists with one value per
/// client, or sessions within clients).
///
/// With groups i = 1..k of sizes n_i (N in all), means ȳ_i and grand mean ȳ:
///
/// ```text
/// MSB = Σ n_i (ȳ_i − ȳ)² / (k − 1)        MSW = Σ_i Σ_j (y_ij − ȳ_i)² / (N − k)
/// n0  = (N − Σ n_i² / N) / (k − 1)         (Snedecor & Cochran; Searle 1971)
/// ICC(1) = (MSB − MSW) / (MSB + (n0 − 1) MSW)      F = MSB / MSW on (k − 1, N − k)
/// ```
///
/// The F test of ICC = 0 is exact in any design. The interval with FL = F / F_{1−α/2}(k − 1,
/// N − k) and FU = F · F_{1−α/2}(N − k, k − 1),
///
/// ```text
/// L = (FL − 1) / (FL + n0 − 1)             U = (FU − 1) / (FU + n0 − 1)
/// ```
///
/// is exact when the groups are of equal size (n0 = n; Searle 1971, as `psych::ICC` and
/// `psych::statsBy`), and an approximation when they are not (n0 in place of the common
/// size: Searle 1971; reviewed by Donner 1986), reported as [`IntervalMethod::SearleN0`]: F then is not exactly a scaled F
/// variable away from ICC = 0. (`psych::statsBy` puts the mean group size N/k where n0
/// belongs, which overstates the ICC of unbalanced data.)
///
/// Undefined cases: every value equal gives [`Undefined::ConstantValues`]; groups that differ
/// with each group constant (MSW = 0) give ICC(1) = 1, F undefined
/// ([`Undefined::ZeroErrorVariance`]) with p = 0 and the interval [1, 1]; equal group means
/// (MSB = 0) give F = 0, p = 1 and ICC(1) = −1/(n0 − 1).
///
/// # Errors
/// [`Error::NonFinite`], [`Error::TooLarge`] or [`Error::TooSmall`] for a value outside the
/// [`domain`](crate::domain); [`Error::TooFewGroups`] with fewer than 2 groups;
/// [`Error::NoReplication`] when every group has one observation (no within-group variance).
///
/// # Example
/// ```
/// use alliance::multilevel::oneway_icc;
/// use alliance::{IntervalMethod, Level};
/// // therapist, a client's mean alliance: three therapists with 3, 2 and 4 clients
/// let rows = [
///     ("A", 5.5), ("A", 6.0), ("A", 5.8), ("B", 4.1), ("B", 4.6),
///     ("C", 5.0), ("C", 5.4), ("C", 4.8), ("C", 5.1),
/// ];
/// let icc = oneway_icc(&rows, Level::default())?;
/// assert!(!icc.balanced);
/// assert_eq!(icc.ci_method, IntervalMethod::SearleN0);
/// assert_eq!((icc.df1, icc.df2), (2.0, 6.0));
/// assert!(icc.coefficient.value().is_some_and(|v| v > 0.5));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Searle, S. R. (1971). *Linear Models*. Wiley (n0 and the interval). Donner, A.
/// (1986). A review of inference procedures for the intraclass correlation coefficient in
/// the one-way random effects model. *International Statistical Review*, 54, 67-82. Matches
/// R's `anova(lm(y ~ factor(group)))` for the mean squares, F and p, `psych::statsBy` 2.2.9
/// for balanced data, and an R transcription of the published formulas for n0 and the
/// interval (`tests/reference/therapist_effects.R`).
pub fn oneway_icc<G: Ord>(rows: &[(G, f64)], level: Level) -> Result<OneWayIcc> {
    check_values("value", rows.iter().map(|r| r.1))?;
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&i, &j| rows[i].0.cmp(&rows[j].0));
    let n = rows.len();
    // pass 1: the grand mean and the largest magnitude
    let mut total = Sum::default();
    let mut magnitude = 0.0f64;
    for r in rows {
        total.add(r.1);
        magnitude = magnitude.max(r.1.abs());
    }
    let grand = if n > 0 { total.value() / n as f64 } else { 0.0 };
    // pass 2, group by group: sizes, means and the within sum of squares
    let (mut ssb, mut ssw) = (Sum::default(), Sum::default());
    let (mut groups, mut groups_with_one) = (0usize, 0usize);
    let mut sizes_sq = 0.0f64;
    let mut first_size = None;
    let mut balanced = true;
    let (mut within_zero, mut constant) = (true, true);
    let mut start = 0;
    while start < n {
        let mut end = start + 1;
        while end < n && rows[order[end]].0 == rows[order[start]].0 {
            end += 1;
        }
        let members = &order[start..end];
        let size = members.len();
        groups += 1;
        groups_with_one += usize::from(size == 1);
        sizes_sq += (size as f64) * (size as f64);
        balanced &= *first_size.get_or_insert(size) == size;
        let v0 = rows[members[0]].1;
        #[allow(clippy::float_cmp)] // exact equality of input values is the point
        let same = members.iter().all(|&i| rows[i].1 == v0);
        #[allow(clippy::float_cmp)]
        {
            constant &= same && v0 == rows[order[0]].1;
        }
        let mean = if same {
            v0 - grand
        } else {
            within_zero = false;
            let mut s = Sum::default();
            for &i in members {
                s.add(rows[i].1 - grand);
            }
            let mean = s.value() / size as f64;
            for &i in members {
                let d = (rows[i].1 - grand) - mean;
                ssw.add(d * d);
            }
            mean
        };
        ssb.add(size as f64 * mean * mean);
        start = end;
    }
    if groups < 2 {
        return Err(Error::TooFewGroups {
            model: "a one-way ICC",
            level: "groups",
            needed: 2,
            found: groups,
        });
    }
    if groups_with_one == groups {
        return Err(Error::NoReplication {
            upper: "group",
            lower: "observation",
            advice: "the within-group variance needs some group with two or more observations",
        });
    }
    let (nf, kf) = (n as f64, groups as f64);
    let (df1, df2) = (kf - 1.0, nf - kf);
    let n0 = match first_size {
        Some(size) if balanced => size as f64,
        _ => (nf - sizes_sq / nf) / df1,
    };
    let ssw = if within_zero { 0.0 } else { ssw.value() };
    // SSB within its rounding bound of zero is zero: the group means are equal
    let noise = stats::RoundingNoise::new(magnitude);
    let ssb = if constant || noise.combination_is_zero(&[(1.0, ssb.value(), n)]) {
        0.0
    } else {
        ssb.value()
    };
    let (msb, msw) = (ssb / df1, ssw / df2);
    if !(msb.is_finite() && msw.is_finite()) {
        return Err(Error::RatingsTooLarge {
            what: "mean squares of the one-way ICC",
        });
    }
    let (f, p, ratio) = f_test(msb, msw, df1, df2);
    let coefficient = if constant {
        Outcome::Undefined(Undefined::ConstantValues)
    } else {
        let den = msb + (n0 - 1.0) * msw;
        if den > 0.0 {
            defined((msb - msw) / den)
        } else {
            Outcome::Undefined(Undefined::ZeroDenominator)
        }
    };
    let ci = match coefficient {
        Outcome::Undefined(why) => Outcome::Undefined(why),
        Outcome::Defined(_) => interval(ratio, df1, df2, n0, level),
    };
    Ok(OneWayIcc {
        coefficient,
        between_variance: if constant {
            Outcome::Undefined(Undefined::ConstantValues)
        } else {
            defined((msb - msw) / n0)
        },
        within_variance: msw,
        f,
        df1,
        df2,
        p,
        p_method: PMethod::F,
        ci,
        ci_method: if balanced {
            IntervalMethod::ExactF
        } else {
            IntervalMethod::SearleN0
        },
        ms_between: msb,
        ms_within: msw,
        n0,
        balanced,
        n,
        groups,
        groups_with_one,
        reference: "anova(lm(y ~ factor(group))) with Searle's n0; psych::statsBy ICC1 when \
                    balanced",
    })
}

fn defined(x: f64) -> Outcome<f64> {
    if x.is_finite() {
        Outcome::Defined(x)
    } else {
        Outcome::Undefined(Undefined::OutOfRange)
    }
}

/// F, its upper-tail p, and the ratio for the interval (+inf when only MSW is zero).
#[allow(clippy::float_cmp)] // exact zeros are set exactly above
fn f_test(msb: f64, msw: f64, df1: f64, df2: f64) -> (Outcome<f64>, Outcome<f64>, f64) {
    if msw == 0.0 && msb == 0.0 {
        let why = Outcome::Undefined(Undefined::IndeterminateF);
        return (why, why, f64::NAN);
    }
    if msw == 0.0 {
        return (
            Outcome::Undefined(Undefined::ZeroErrorVariance),
            Outcome::Defined(0.0),
            f64::INFINITY,
        );
    }
    let f = msb / msw;
    let p = stats::f_sf(f, df1, df2).map_or(Outcome::Undefined(Undefined::OutOfRange), |p| {
        Outcome::Defined(p)
    });
    (defined(f), p, f)
}

fn interval(f: f64, df1: f64, df2: f64, n0: f64, level: Level) -> Outcome<Interval> {
    if f.is_infinite() {
        return Outcome::Defined(Interval::new(1.0, 1.0, level));
    }
    if f.is_nan() {
        return Outcome::Undefined(Undefined::IndeterminateF);
    }
    let q = 1.0 - level.tail();
    let (Ok(upper_q), Ok(lower_q)) = (
        stats::f_quantile(q, df1, df2),
        stats::f_quantile(q, df2, df1),
    ) else {
        return Outcome::Undefined(Undefined::OutOfRange);
    };
    let (fl, fu) = (f / upper_q, f * lower_q);
    let (lower, upper) = ((fl - 1.0) / (fl + n0 - 1.0), (fu - 1.0) / (fu + n0 - 1.0));
    if lower.is_finite() && upper.is_finite() && lower <= upper {
        Outcome::Defined(Interval::new(lower, upper, level))
    } else {
        Outcome::Undefined(Undefined::OutOfRange)
    }
}
