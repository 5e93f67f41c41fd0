//! Bland-Altman limits of agreement.

use super::continuous::check_pairs;
use crate::error::{Error, Result};
use crate::interval::{Interval, Level};
use crate::stats;

/// The multiplier of the SD in the limits of agreement used by [`bland_altman`].
pub const BLAND_ALTMAN_MULTIPLIER: f64 = 1.96;

/// Bias and limits of agreement of paired ratings, with their confidence intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
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
    pub bias_ci: Interval,
    /// Lower limit ± t(n − 1) √(3 SD² / n).
    pub lower_limit_ci: Interval,
    /// Upper limit ± t(n − 1) √(3 SD² / n).
    pub upper_limit_ci: Interval,
    /// Pairs used.
    pub n: usize,
    /// The reference this matches.
    pub reference: &'static str,
}

/// Bland-Altman analysis with the conventional 1.96 SD limits.
///
/// ```text
/// d_i = x_i − y_i,  bias = d̄,  SD = √(Σ(d − d̄)² / (n − 1))
/// limits = d̄ ± 1.96 SD
/// CI(bias) = d̄ ± t_{1−α/2, n−1} SD/√n;  CI(limit) = limit ± t_{1−α/2, n−1} √(3 SD²/n)
/// ```
///
/// # Errors
/// As [`bland_altman_with_multiplier`].
///
/// # Example
/// ```
/// use alliance::agreement::bland_altman;
/// use alliance::Level;
/// let ba = bland_altman(&[5.0, 6.0, 4.5, 6.5], &[4.5, 5.0, 4.0, 6.0], Level::default())?;
/// assert!((ba.bias - 0.625).abs() < 1e-12);
/// assert!(ba.lower_limit < ba.bias && ba.bias < ba.upper_limit);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Bland, J. M., & Altman, D. G. (1986). Statistical methods for assessing agreement between
/// two methods of clinical measurement. *Lancet*, i, 307-310; (1999) Measuring agreement in
/// method comparison studies. *Statistical Methods in Medical Research*, 8, 135-160. Checked
/// against an independent numpy/scipy re-computation (statsmodels' plot uses an n SD).
pub fn bland_altman(x: &[f64], y: &[f64], level: Level) -> Result<BlandAltman> {
    bland_altman_with_multiplier(x, y, BLAND_ALTMAN_MULTIPLIER, level)
}

/// Bland-Altman analysis with limits d̄ ± `multiplier` · SD; otherwise as [`bland_altman`].
///
/// ```text
/// limits = d̄ ± multiplier · SD
/// ```
///
/// # Errors
/// [`Error::LengthMismatch`] for slices of unequal length, [`Error::TooFew`] for fewer than 2
/// pairs, [`Error::NonFinite`] for NaN or infinite values, [`Error::InvalidParameter`] unless
/// the multiplier is positive and finite.
///
/// # Example
/// ```
/// use alliance::agreement::bland_altman_with_multiplier;
/// use alliance::Level;
/// let ba = bland_altman_with_multiplier(&[1.0, 2.0, 3.0], &[1.0, 1.0, 1.0], 2.0, Level::default())?;
/// assert_eq!((ba.bias, ba.sd), (1.0, 1.0));
/// assert_eq!((ba.lower_limit, ba.upper_limit), (-1.0, 3.0));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// As [`bland_altman`].
pub fn bland_altman_with_multiplier(
    x: &[f64],
    y: &[f64],
    multiplier: f64,
    level: Level,
) -> Result<BlandAltman> {
    let valid = multiplier > 0.0 && multiplier.is_finite();
    if !valid {
        return Err(Error::InvalidParameter {
            name: "limits-of-agreement multiplier",
            value: multiplier,
            expected: "positive and finite",
        });
    }
    check_pairs(x, y, 2)?;
    let n = x.len();
    let nf = n as f64;
    let bias = stats::sum(x.iter().zip(y).map(|(a, b)| a - b)) / nf;
    let ss = stats::sum(x.iter().zip(y).map(|(a, b)| {
        let e = (a - b) - bias;
        e * e
    }));
    let sd = (ss / (nf - 1.0)).sqrt();
    if !(bias.is_finite() && (bias.abs() + multiplier * sd).is_finite()) {
        return Err(Error::NonFinite {
            what: "SD of the differences (overflow: values beyond about 1e150)",
            index: 0,
            value: sd,
        });
    }
    let t = stats::t_quantile(1.0 - level.tail(), nf - 1.0)?;
    let (lower_limit, upper_limit) = (bias - multiplier * sd, bias + multiplier * sd);
    let half_bias = t * sd / nf.sqrt();
    let half_limit = t * (3.0 * sd * sd / nf).sqrt();
    let around = |c: f64, h: f64| Interval::new(c - h, c + h, level);
    Ok(BlandAltman {
        bias,
        sd,
        lower_limit,
        upper_limit,
        multiplier,
        bias_ci: around(bias, half_bias),
        lower_limit_ci: around(lower_limit, half_limit),
        upper_limit_ci: around(upper_limit, half_limit),
        n,
        reference: "Bland & Altman (1986, 1999); independent numpy/scipy re-computation",
    })
}
