//! Ordinary least-squares trend of scores on their session times.

use super::Series;
use crate::error::Result;
use crate::method::{IntervalMethod, PMethod};
use crate::outcome::{Outcome, Undefined};
use crate::stats;
use crate::{Interval, Level};

/// How well the least-squares line fits, which decides what is defined.
///
/// # Example
/// ```
/// use alliance::trend::{ols_trend, OlsFit, Series};
/// use alliance::Level;
/// let line = ols_trend(&Series::from_values(vec![1.0, 2.0, 3.0])?, Level::default())?;
/// assert_eq!(line.fit, OlsFit::ExactLine);
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum OlsFit {
    /// Some residual is non-zero: every statistic is an ordinary finite number (given n ≥ 3).
    Residuals,
    /// Scores vary and lie exactly on a line: residual SD 0, R² 1, t undefined
    /// ([`Undefined::ZeroErrorVariance`]: it would be infinite) and p 0.
    ExactLine,
    /// Every score is the same: slope 0 exactly, R², t and p undefined.
    ConstantScores,
}

/// The least-squares line y = intercept + slope·t through a series, with its inference.
///
/// Any inferential quantity whose computation overflows f64 (scores or times beyond about
/// 1e150) is [`Undefined::OutOfRange`], never ∞ or NaN.
///
/// Serializes; does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct OlsTrend {
    /// Change in score per unit of time (per session when times are session numbers).
    pub slope: f64,
    /// Fitted score at time 0.
    pub intercept: f64,
    /// Standard error of the slope; undefined with two points.
    pub slope_se: Outcome,
    /// Standard error of the intercept; undefined with two points.
    pub intercept_se: Outcome,
    /// t = slope / SE(slope) on n − 2 df; [`Undefined::ZeroErrorVariance`] on an exact line
    /// (it would be infinite), [`Undefined::ConstantValues`] on constant scores,
    /// [`Undefined::NoResidualDegreesOfFreedom`] with two points.
    pub t: Outcome,
    /// Two-sided p-value of t on n − 2 df (0 on an exact line).
    pub p: Outcome,
    /// How `p` was computed: [`PMethod::StudentT`].
    pub p_method: PMethod,
    /// Confidence interval of the slope, slope ± t(1 − α/2, n − 2)·SE.
    pub slope_ci: Outcome<Interval>,
    /// Confidence interval of the intercept.
    pub intercept_ci: Outcome<Interval>,
    /// How the intervals were computed: [`IntervalMethod::StudentT`].
    pub ci_method: IntervalMethod,
    /// Coefficient of determination; undefined on constant scores.
    pub r_squared: Outcome,
    /// Residual standard deviation √(SSE / (n − 2)); undefined with two points.
    pub residual_sd: Outcome,
    /// Residual degrees of freedom n − 2.
    pub df: f64,
    /// Number of points used (all of them: a series has no missing values).
    pub n: usize,
    /// Whether the fit is ordinary, an exact line, or on constant scores.
    pub fit: OlsFit,
    /// The reference implementations this matches.
    pub reference: &'static str,
}

/// Ordinary least-squares trend: regress scores on their (real) session times.
///
/// ```text
/// slope = Σ(t − t̄)(y − ȳ) / Σ(t − t̄)²        intercept = ȳ − slope·t̄
/// s² = Σ eᵢ² / (n − 2),  eᵢ = yᵢ − intercept − slope·tᵢ
/// SE(slope) = √(s² / Σ(t − t̄)²)               SE(intercept) = √(s² (1/n + t̄²/Σ(t − t̄)²))
/// t = slope / SE(slope),  p = 2 P(T(n−2) > |t|)
/// CI = slope ± t(1 − α/2, n − 2) SE(slope)     R² = Sxy² / (Sxx Syy)
/// ```
///
/// Undefined cases are stated, never NaN: with n = 2 the standard errors, t, p and the
/// intervals are [`Undefined::NoResidualDegreesOfFreedom`]; constant scores give slope 0
/// with t, p and R² [`Undefined::ConstantValues`]; scores exactly on a line (every residual
/// zero to within the rounding of its own evaluation, 16 ε (|yᵢ| + |ȳ| + |slope (tᵢ − t̄)|))
/// give t [`Undefined::ZeroErrorVariance`] (it would be ±∞) and p = 0 with
/// [`OlsFit::ExactLine`].
///
/// # Errors
/// [`crate::Error::TooFewPoints`] for fewer than 2 points.
///
/// # Example
/// ```
/// use alliance::trend::{ols_trend, Series};
/// use alliance::{Level, Outcome, Undefined};
/// let s = Series::new(vec![1.0, 2.0, 4.0, 5.0], vec![4.0, 4.5, 5.0, 6.0])?;
/// let fit = ols_trend(&s, Level::default())?;
/// assert!((fit.slope - 0.45).abs() < 1e-12);
/// assert!(fit.p.value().is_some_and(|p| p < 0.05));
/// assert_eq!((fit.n, fit.df), (4, 2.0));
/// // an exact line: t would be infinite, p is 0
/// let line = ols_trend(&Series::from_values(vec![2.0, 4.0, 6.0])?, Level::default())?;
/// assert_eq!(line.t, Outcome::Undefined(Undefined::ZeroErrorVariance));
/// assert_eq!(line.p, Outcome::Defined(0.0));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Standard simple linear regression (e.g. Draper & Smith 1998, ch. 1). Matches
/// `scipy.stats.linregress` (scipy 1.12) and `statsmodels.api.OLS` (statsmodels 0.15).
pub fn ols_trend(series: &Series, level: Level) -> Result<OlsTrend> {
    series.require(2)?;
    let (t, y) = (series.times(), series.values());
    let n = series.len();
    let nf = n as f64;
    let t_mean = stats::sum(t.iter().copied()) / nf;
    let y_mean = stats::sum(y.iter().copied()) / nf;
    let sxx = stats::sum(t.iter().map(|ti| (ti - t_mean) * (ti - t_mean)));
    let sxy = stats::sum(
        t.iter()
            .zip(y)
            .map(|(ti, yi)| (ti - t_mean) * (yi - y_mean)),
    );
    let syy = stats::sum(y.iter().map(|yi| (yi - y_mean) * (yi - y_mean)));
    #[allow(clippy::float_cmp)] // exactly equal scores (0.0 == -0.0), not nearly equal ones
    let constant = y.iter().all(|&v| v == y[0]);
    let slope = if constant { 0.0 } else { sxy / sxx };
    let intercept = if constant {
        y[0]
    } else {
        y_mean - slope * t_mean
    };

    let mut exact = true;
    let mut sse = stats::Sum::default();
    for (ti, yi) in t.iter().zip(y) {
        let fitted_dev = slope * (ti - t_mean);
        let e = (yi - y_mean) - fitted_dev;
        let noise = 16.0 * f64::EPSILON * (yi.abs() + y_mean.abs() + fitted_dev.abs());
        if e.abs() > noise {
            exact = false;
        }
        sse.add(e * e);
    }
    let fit = if constant {
        OlsFit::ConstantScores
    } else if exact {
        OlsFit::ExactLine
    } else {
        OlsFit::Residuals
    };
    let sse = if fit == OlsFit::Residuals {
        sse.value()
    } else {
        0.0
    };

    let r_squared = if constant {
        Outcome::Undefined(Undefined::ConstantValues)
    } else if exact {
        Outcome::Defined(1.0)
    } else {
        Outcome::Defined((sxy * sxy / (sxx * syy)).min(1.0))
    };

    let df = (n - 2) as f64;
    let no_df = Outcome::Undefined(Undefined::NoResidualDegreesOfFreedom);
    if n == 2 {
        return Ok(OlsTrend {
            slope,
            intercept,
            slope_se: no_df,
            intercept_se: no_df,
            t: no_df,
            p: no_df,
            p_method: PMethod::StudentT,
            slope_ci: Outcome::Undefined(Undefined::NoResidualDegreesOfFreedom),
            intercept_ci: Outcome::Undefined(Undefined::NoResidualDegreesOfFreedom),
            ci_method: IntervalMethod::StudentT,
            r_squared,
            residual_sd: no_df,
            df,
            n,
            fit,
            reference: REFERENCE,
        });
    }
    let dff = df;
    let s2 = sse / dff;
    let slope_se = (s2 / sxx).sqrt();
    let intercept_se = (s2 * (1.0 / nf + t_mean * t_mean / sxx)).sqrt();
    let (t_stat, p) = match fit {
        OlsFit::ConstantScores => (
            Outcome::Undefined(Undefined::ConstantValues),
            Outcome::Undefined(Undefined::ConstantValues),
        ),
        OlsFit::ExactLine => (
            Outcome::Undefined(Undefined::ZeroErrorVariance),
            Outcome::Defined(0.0),
        ),
        OlsFit::Residuals => {
            let t_value = slope / slope_se;
            if t_value.is_finite() {
                (
                    Outcome::Defined(t_value),
                    Outcome::Defined(stats::t_two_sided_p(t_value, dff)?),
                )
            } else {
                // sums of squares beyond f64 (scores or times beyond about 1e150)
                let out = Outcome::Undefined(Undefined::OutOfRange);
                (out, out)
            }
        }
    };
    let q = stats::t_quantile(1.0 - level.tail(), dff)?;
    Ok(OlsTrend {
        slope,
        intercept,
        slope_se: finite(slope_se),
        intercept_se: finite(intercept_se),
        t: t_stat,
        p,
        p_method: PMethod::StudentT,
        slope_ci: interval(slope - q * slope_se, slope + q * slope_se, level),
        intercept_ci: interval(
            intercept - q * intercept_se,
            intercept + q * intercept_se,
            level,
        ),
        ci_method: IntervalMethod::StudentT,
        r_squared: match r_squared {
            Outcome::Defined(v) => finite(v),
            undefined => undefined,
        },
        residual_sd: finite(s2.sqrt()),
        df,
        n,
        fit,
        reference: REFERENCE,
    })
}

/// A value, or [`Undefined::OutOfRange`] when it overflowed (scores or times beyond about
/// 1e150 make the sums of squares leave f64).
fn finite(v: f64) -> Outcome {
    if v.is_finite() {
        Outcome::Defined(v)
    } else {
        Outcome::Undefined(Undefined::OutOfRange)
    }
}

/// An interval, or [`Undefined::OutOfRange`] when a bound overflowed.
fn interval(lower: f64, upper: f64, level: Level) -> Outcome<Interval> {
    if lower.is_finite() && upper.is_finite() {
        Outcome::Defined(Interval::new(lower, upper, level))
    } else {
        Outcome::Undefined(Undefined::OutOfRange)
    }
}

const REFERENCE: &str = "scipy.stats.linregress (scipy 1.12); statsmodels OLS (0.15)";
