//! Bland-Altman limits of agreement.

use super::continuous::check_pairs;
use crate::error::{Error, Result};
use crate::interval::{Interval, Level};
use crate::method::IntervalMethod;
use crate::outcome::{Outcome, Undefined};
use crate::paired::Paired;
use crate::ratings::CaseDeletion;
use crate::stats;

/// How many SDs of the differences the limits of agreement lie from the bias: a positive
/// finite number, checked once at construction. The default is the conventional 1.96.
///
/// # Example
/// ```
/// use alliance::agreement::LimitMultiplier;
/// assert_eq!(LimitMultiplier::default().value(), 1.96);
/// assert_eq!(LimitMultiplier::new(2.0)?.value(), 2.0);
/// assert!(LimitMultiplier::new(0.0).is_err());
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(try_from = "f64", into = "f64"))]
pub struct LimitMultiplier(f64);

impl LimitMultiplier {
    /// The conventional 1.96 SD limits (Bland & Altman 1986), within which about 95% of the
    /// differences fall when they are normal.
    pub const CONVENTIONAL: LimitMultiplier = LimitMultiplier(1.96);

    /// Limits at ± `multiplier` SDs.
    ///
    /// # Errors
    /// [`Error::InvalidLimitMultiplier`] unless the multiplier is positive and finite.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::LimitMultiplier;
    /// use alliance::Error;
    /// assert_eq!(LimitMultiplier::new(-1.0), Err(Error::InvalidLimitMultiplier { value: -1.0 }));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(multiplier: f64) -> Result<LimitMultiplier> {
        let valid = multiplier > 0.0 && crate::domain::contains(multiplier);
        if valid {
            Ok(LimitMultiplier(multiplier))
        } else {
            Err(Error::InvalidLimitMultiplier { value: multiplier })
        }
    }

    /// The multiplier, e.g. 1.96.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::LimitMultiplier;
    /// assert_eq!(LimitMultiplier::CONVENTIONAL.value(), 1.96);
    /// ```
    pub fn value(self) -> f64 {
        self.0
    }
}

impl Default for LimitMultiplier {
    fn default() -> Self {
        LimitMultiplier::CONVENTIONAL
    }
}

impl TryFrom<f64> for LimitMultiplier {
    type Error = Error;
    fn try_from(value: f64) -> Result<LimitMultiplier> {
        LimitMultiplier::new(value)
    }
}

impl From<LimitMultiplier> for f64 {
    fn from(m: LimitMultiplier) -> f64 {
        m.0
    }
}

/// Bias and limits of agreement of paired ratings, with their confidence intervals.
///
/// The bias, SD and limits are defined for the 2 or more pairs [`bland_altman`] needs. So are
/// the intervals in practice (with n = 2 the t quantile has 1 df and they are wide, but they
/// exist; with equal differences the SD is 0 and each is a point); they are [`Outcome`]s
/// because at a confidence level within rounding of 1 the t quantile is infinite, and
/// very large differences can overflow their half-width ([`Undefined::OutOfRange`]).
/// Serializes; does not deserialize (a result is computed, not read).
///
/// # Example
/// ```
/// use alliance::agreement::{bland_altman, LimitMultiplier};
/// use alliance::{Level, Paired};
/// let p = Paired::with_missing(&[Some(5.0), Some(6.0), None], &[Some(4.0), Some(5.5), Some(3.0)])?;
/// let ba = bland_altman(&p, LimitMultiplier::default(), Level::default())?;
/// assert_eq!((ba.n, ba.dropped, ba.bias), (2, 1, 0.75));
/// assert!(ba.bias_ci.is_defined());
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct BlandAltman {
    /// Mean difference d̄ (first minus second).
    pub bias: f64,
    /// SD of the differences, n − 1 denominator.
    pub sd: f64,
    /// d̄ − multiplier · SD.
    pub lower_limit: f64,
    /// d̄ + multiplier · SD.
    pub upper_limit: f64,
    /// The multiplier used (1.96 by default).
    pub multiplier: f64,
    /// d̄ ± t(n − 1) SD / √n.
    pub bias_ci: Outcome<Interval>,
    /// Lower limit ± t(n − 1) √(3 SD² / n).
    pub lower_limit_ci: Outcome<Interval>,
    /// Upper limit ± t(n − 1) √(3 SD² / n).
    pub upper_limit_ci: Outcome<Interval>,
    /// How the intervals were computed: [`IntervalMethod::StudentT`].
    pub ci_method: IntervalMethod,
    /// Pairs used: targets (sessions) rated by both raters.
    pub n: usize,
    /// Pairs dropped because a value was missing.
    pub dropped: usize,
    /// Missing-data policy applied (listwise: a pair missing a value is dropped).
    pub missing: CaseDeletion,
    /// The reference this matches.
    pub reference: &'static str,
}

/// Bland-Altman analysis: bias and limits of agreement d̄ ± multiplier · SD, with their
/// confidence intervals.
///
/// ```text
/// d_i = x_i − y_i,  bias = d̄,  SD = √(Σ(d − d̄)² / (n − 1))
/// limits = d̄ ± multiplier · SD                      (multiplier 1.96 by default)
/// CI(bias) = d̄ ± t_{1−α/2, n−1} SD/√n;  CI(limit) = limit ± t_{1−α/2, n−1} √(3 SD²/n)
/// ```
///
/// # Errors
/// [`Error::TooFewPairs`] for fewer than 2 complete pairs; [`Error::RatingsTooLarge`] when
/// the differences overflow (values beyond about 1e150).
///
/// # Example
/// ```
/// use alliance::agreement::{bland_altman, LimitMultiplier};
/// use alliance::{Level, Paired};
/// let p = Paired::new(&[5.0, 6.0, 4.5, 6.5], &[4.5, 5.0, 4.0, 6.0])?;
/// let ba = bland_altman(&p, LimitMultiplier::default(), Level::default())?;
/// assert!((ba.bias - 0.625).abs() < 1e-12);
/// assert!(ba.lower_limit < ba.bias && ba.bias < ba.upper_limit);
/// // limits at ±2 SD
/// let wide = bland_altman(&Paired::new(&[1.0, 2.0, 3.0], &[1.0, 1.0, 1.0])?, LimitMultiplier::new(2.0)?, Level::default())?;
/// assert_eq!((wide.lower_limit, wide.upper_limit), (-1.0, 3.0));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Bland, J. M., & Altman, D. G. (1986). Statistical methods for assessing agreement between
/// two methods of clinical measurement. *Lancet*, i, 307-310; (1999) Measuring agreement in
/// method comparison studies. *Statistical Methods in Medical Research*, 8, 135-160. Checked
/// against an independent numpy/scipy re-computation (statsmodels' plot uses an n SD).
pub fn bland_altman(
    paired: &Paired,
    multiplier: LimitMultiplier,
    level: Level,
) -> Result<BlandAltman> {
    check_pairs(paired, 2, "a Bland-Altman analysis")?;
    let (x, y) = (paired.first(), paired.second());
    let multiplier = multiplier.value();
    let n = paired.n();
    let nf = n as f64;
    let bias = stats::sum(x.iter().zip(y).map(|(a, b)| a - b)) / nf;
    let ss = stats::sum(x.iter().zip(y).map(|(a, b)| {
        let e = (a - b) - bias;
        e * e
    }));
    let sd = (ss / (nf - 1.0)).sqrt();
    let (lower_limit, upper_limit) = (bias - multiplier * sd, bias + multiplier * sd);
    if ![bias, sd, lower_limit, upper_limit]
        .iter()
        .all(|v| v.is_finite())
    {
        return Err(Error::RatingsTooLarge {
            what: "differences between the paired ratings",
        });
    }
    // an error here only means the quantile is infinite (a level within rounding of 1)
    let t = stats::t_quantile(1.0 - level.tail(), nf - 1.0).ok();
    let half_bias = t.map(|t| t * sd / nf.sqrt());
    let half_limit = t.map(|t| t * (3.0 * sd * sd / nf).sqrt());
    let around = |c: f64, h: Option<f64>| match h {
        Some(h) if (c - h).is_finite() && (c + h).is_finite() => {
            Outcome::Defined(Interval::new(c - h, c + h, level))
        }
        _ => Outcome::Undefined(Undefined::OutOfRange),
    };
    Ok(BlandAltman {
        bias,
        sd,
        lower_limit,
        upper_limit,
        multiplier,
        bias_ci: around(bias, half_bias),
        lower_limit_ci: around(lower_limit, half_limit),
        upper_limit_ci: around(upper_limit, half_limit),
        ci_method: IntervalMethod::StudentT,
        n,
        dropped: paired.dropped(),
        missing: paired.missing(),
        reference: "Bland & Altman (1986, 1999); independent numpy/scipy re-computation",
    })
}
