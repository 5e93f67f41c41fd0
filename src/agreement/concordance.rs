//! Lin's concordance correlation coefficient, with its accuracy and precision parts.

use super::continuous::{Moments, check_pairs};
use crate::error::Result;
use crate::interval::{Interval, Level};
use crate::outcome::{Outcome, Undefined};

/// Lin's CCC with bias correction factor, shifts, standard error and interval.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Concordance {
    /// The concordance correlation ρc; undefined only when both raters are constant at the
    /// same value ([`Undefined::ConstantValues`]). One constant rater gives 0.
    pub ccc: Outcome<f64>,
    /// Pearson's r (precision); undefined when either rater is constant.
    pub r: Outcome<f64>,
    /// Bias correction factor `C_b` = ρc / r (accuracy).
    pub bias_correction: Outcome<f64>,
    /// Scale shift v = `s_y` / `s_x` (second rater's SD over the first's).
    pub scale_shift: Outcome<f64>,
    /// Location shift u = (ȳ − x̄) / √(`s_x` `s_y`), with 1/n SDs.
    pub location_shift: Outcome<f64>,
    /// Asymptotic standard error of ρc (Lin 2000).
    pub se: Outcome<f64>,
    /// Interval from the Fisher-z transform of ρc with SE se / (1 − ρc²).
    pub ci: Outcome<Interval>,
    /// Pairs used.
    pub n: usize,
    /// Interval method.
    pub ci_method: &'static str,
    /// The reference implementation matched.
    pub reference: &'static str,
}

/// Lin's concordance correlation coefficient of two paired raters.
///
/// With 1/n moments `s_x²`, `s_y²`, `s_xy`:
///
/// ```text
/// ρc  = 2 s_xy / (s_x² + s_y² + (x̄ − ȳ)²)
/// C_b = ρc / r,  v = s_y / s_x,  u = (ȳ − x̄) / √(s_x s_y)
/// se² = [ (1 − r²) ρc² (1 − ρc²) / r² + 2 ρc³ (1 − ρc) u² / r − ρc⁴ u⁴ / (2 r²) ] / (n − 2)
/// CI  = tanh(atanh(ρc) ± z_{1−α/2} se / (1 − ρc²))
/// ```
///
/// `s_xy` is computed directly, so one constant rater gives ρc = 0 (`DescTools` returns NA there
/// because it forms `s_xy` as r `s_x` `s_y`). The SE and interval need n ≥ 3, r ≠ 0, |ρc| < 1.
///
/// # Errors
/// [`Error::LengthMismatch`](crate::Error::LengthMismatch) for slices of unequal length,
/// [`Error::TooFew`](crate::Error::TooFew) for fewer than 2 pairs,
/// [`Error::NonFinite`](crate::Error::NonFinite) for NaN or infinite values.
///
/// # Example
/// ```
/// use alliance::agreement::concordance;
/// use alliance::Level;
/// let client = [5.0, 6.0, 4.5, 6.5, 5.5];
/// let therapist = [4.5, 5.0, 4.0, 6.0, 5.5];
/// let c = concordance(&client, &therapist, Level::default())?;
/// let ccc = c.ccc.defined().unwrap_or(f64::NAN);
/// assert!(ccc > 0.0 && ccc < c.r.defined().unwrap_or(f64::NAN));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Lin, L. I. (1989). A concordance correlation coefficient to evaluate reproducibility.
/// *Biometrics*, 45, 255-268. Lin, L. I. (2000). A note on the concordance correlation
/// coefficient. *Biometrics*, 56, 324-325. Follows `DescTools::CCC` / `epiR::epi.ccc`
/// (`ci = "z-transform"`), re-computed independently in numpy (R `DescTools` was not installed).
pub fn concordance(x: &[f64], y: &[f64], level: Level) -> Result<Concordance> {
    check_pairs(x, y, 2)?;
    let m = Moments::of(x, y);
    let n = x.len();
    let nf = m.n;
    let d = m.mean_x - m.mean_y;

    let denominator = m.sxx + m.syy + nf * d * d;
    let ccc = if m.overflowed() || !denominator.is_finite() {
        Outcome::Undefined(Undefined::OutOfRange)
    } else if denominator > 0.0 {
        Outcome::Defined(2.0 * m.sxy / denominator)
    } else {
        Outcome::Undefined(Undefined::ConstantValues)
    };
    let base = Concordance {
        ccc,
        r: Outcome::Undefined(Undefined::ZeroVariance),
        bias_correction: Outcome::Undefined(Undefined::ZeroVariance),
        scale_shift: if m.x_constant {
            Outcome::Undefined(Undefined::ZeroVariance)
        } else {
            Outcome::Defined((m.syy / m.sxx).sqrt())
        },
        location_shift: Outcome::Undefined(Undefined::ZeroVariance),
        se: Outcome::Undefined(Undefined::ZeroVariance),
        ci: Outcome::Undefined(Undefined::ZeroVariance),
        n,
        ci_method: "Fisher z of ccc, SE of Lin (2000)",
        reference: "DescTools::CCC / epiR::epi.ccc (z-transform); numpy re-computation",
    };
    if m.overflowed() {
        let out = Outcome::Undefined(Undefined::OutOfRange);
        return Ok(Concordance {
            ccc: out,
            r: out,
            bias_correction: out,
            scale_shift: out,
            location_shift: out,
            se: out,
            ci: Outcome::Undefined(Undefined::OutOfRange),
            ..base
        });
    }
    let Outcome::Defined(p) = ccc else {
        return Ok(base);
    };
    if m.x_constant || m.y_constant {
        return Ok(base);
    }
    let r = m.r();
    let (sx, sy) = ((m.sxx / nf).sqrt(), (m.syy / nf).sqrt());
    let u = (m.mean_y - m.mean_x) / (sx * sy).sqrt();
    let (se, ci) = lin_se(p, r, u, n, level);
    Ok(Concordance {
        r: Outcome::Defined(r),
        bias_correction: if r == 0.0 {
            Outcome::Undefined(Undefined::ZeroDenominator)
        } else {
            Outcome::Defined(p / r)
        },
        location_shift: Outcome::Defined(u),
        se,
        ci,
        ..base
    })
}

fn lin_se(p: f64, r: f64, u: f64, n: usize, level: Level) -> (Outcome<f64>, Outcome<Interval>) {
    if n <= 2 {
        return (
            Outcome::Undefined(Undefined::TooFewObservations),
            Outcome::Undefined(Undefined::TooFewObservations),
        );
    }
    if r == 0.0 {
        return (
            Outcome::Undefined(Undefined::ZeroDenominator),
            Outcome::Undefined(Undefined::ZeroDenominator),
        );
    }
    let (p2, u2) = (p * p, u * u);
    let var = ((1.0 - r * r) * p2 * (1.0 - p2) / (r * r) + 2.0 * p2 * p * (1.0 - p) * u2 / r
        - 0.5 * p2 * p2 * u2 * u2 / (r * r))
        / (n as f64 - 2.0);
    if var.is_nan() || var < 0.0 {
        return (
            Outcome::Undefined(Undefined::NonPositiveVariance),
            Outcome::Undefined(Undefined::NonPositiveVariance),
        );
    }
    let se = var.sqrt();
    if p.abs() >= 1.0 {
        return (
            Outcome::Defined(se),
            Outcome::Undefined(Undefined::PerfectAssociation),
        );
    }
    let Ok(z) = crate::stats::z_two_sided(level) else {
        return (
            Outcome::Defined(se),
            Outcome::Undefined(Undefined::TooFewObservations),
        );
    };
    let h = z * se / (1.0 - p2);
    let t = p.atanh();
    (
        Outcome::Defined(se),
        Outcome::Defined(Interval::new((t - h).tanh(), (t + h).tanh(), level)),
    )
}
