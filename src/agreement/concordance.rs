//! Lin's concordance correlation coefficient, with its accuracy and precision parts.

use super::continuous::check_pairs;
use crate::error::Result;
use crate::interval::{Interval, Level};
use crate::method::IntervalMethod;
use crate::outcome::{Outcome, Undefined};
use crate::paired::Paired;
use crate::ratings::CaseDeletion;
use crate::stats::PairedMoments;

/// Lin's CCC with bias correction factor, shifts, standard errors and both intervals of
/// `DescTools::CCC`. Serializes; does not deserialize (a result is computed, not read).
///
/// # Example
/// ```
/// use alliance::agreement::concordance;
/// use alliance::{Level, Outcome, Paired, Undefined};
/// // both raters gave 4 every session: no concordance to speak of, counts still reported
/// let p = Paired::with_missing(&[Some(4.0), Some(4.0), Some(4.0), None], &[Some(4.0); 4])?;
/// let c = concordance(&p, Level::default())?;
/// assert_eq!(c.coefficient, Outcome::Undefined(Undefined::ConstantValues));
/// assert_eq!((c.n, c.dropped), (3, 1));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Concordance {
    /// The concordance correlation ρc; undefined only when both raters are constant at the
    /// same value ([`Undefined::ConstantValues`]). One constant rater gives 0.
    pub coefficient: Outcome<f64>,
    /// Pearson's r (precision); undefined when either rater is constant.
    pub pearson_r: Outcome<f64>,
    /// Bias correction factor `C_b` = ρc / r (accuracy).
    pub bias_correction: Outcome<f64>,
    /// Scale shift v = `s_y` / `s_x` (second rater's SD over the first's).
    pub scale_shift: Outcome<f64>,
    /// Location shift u = (ȳ − x̄) / √(`s_x` `s_y`), with 1/n SDs.
    pub location_shift: Outcome<f64>,
    /// Asymptotic standard error of ρc (Lin 2000), on the scale of ρc; needs n ≥ 3, r ≠ 0.
    pub se: Outcome<f64>,
    /// Standard error of atanh(ρc) on Fisher's z scale, se / (1 − ρc²) (`set` in
    /// `DescTools::CCC`); [`Undefined::PerfectAssociation`] when |ρc| = 1.
    pub se_z: Outcome<f64>,
    /// Interval from the Fisher-z transform, tanh(atanh(ρc) ± z_{1−α/2} `se_z`)
    /// (`DescTools::CCC(ci = "z-transform")`, the default there).
    pub ci: Outcome<Interval>,
    /// How `ci` was computed: [`IntervalMethod::FisherZ`].
    pub ci_method: IntervalMethod,
    /// The asymptotic (untransformed) interval ρc ± z_{1−α/2} se
    /// (`DescTools::CCC(ci = "asymptotic")`, an [`IntervalMethod::Normal`] interval); like
    /// `DescTools` it is not clipped to [−1, 1].
    pub ci_asymptotic: Outcome<Interval>,
    /// Pairs used: targets (sessions) rated by both raters.
    pub n: usize,
    /// Pairs dropped because a value was missing.
    pub dropped: usize,
    /// Missing-data policy applied (listwise: a pair missing a value is dropped).
    pub missing: CaseDeletion,
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
/// se_z = se / (1 − ρc²)
/// CI (Fisher z)    = tanh(atanh(ρc) ± z_{1−α/2} se_z)
/// CI (asymptotic)  = ρc ± z_{1−α/2} se
/// ```
///
/// `s_xy` is computed directly, so one constant rater gives ρc = 0 (`DescTools` returns NA there
/// because it forms `s_xy` as r `s_x` `s_y`). The SEs and intervals need n ≥ 3, r ≠ 0; the
/// Fisher-z ones also |ρc| < 1.
///
/// # Errors
/// [`Error::TooFewPairs`](crate::Error::TooFewPairs) for fewer than 2 complete pairs.
///
/// # Example
/// ```
/// use alliance::agreement::concordance;
/// use alliance::{Level, Paired};
/// let p = Paired::new(&[5.0, 6.0, 4.5, 6.5, 5.5], &[4.5, 5.0, 4.0, 6.0, 5.5])?;
/// let c = concordance(&p, Level::default())?;
/// let (ccc, r) = (c.coefficient.value().ok_or("undefined")?, c.pearson_r.value().ok_or("undefined")?);
/// assert!(ccc > 0.0 && ccc < r); // the therapist rates lower: accuracy below precision
/// let (z, a) = (c.ci.value().ok_or("undefined")?, c.ci_asymptotic.value().ok_or("undefined")?);
/// assert!(z.contains(ccc) && a.contains(ccc));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # References
/// Lin, L. I. (1989). A concordance correlation coefficient to evaluate reproducibility.
/// *Biometrics*, 45, 255-268. Lin, L. I. (2000). A note on the concordance correlation
/// coefficient. *Biometrics*, 56, 324-325. Follows `DescTools::CCC` / `epiR::epi.ccc`
/// (`ci = "z-transform"` and `ci = "asymptotic"`), re-computed independently in numpy and
/// mpmath (R `DescTools` is not packaged for the reference machine's Debian).
pub fn concordance(paired: &Paired, level: Level) -> Result<Concordance> {
    check_pairs(paired, 2, "Lin's concordance")?;
    let (x, y) = (paired.first(), paired.second());
    let m = PairedMoments::of(x, y);
    let n = paired.n();
    let nf = m.n();
    let d = m.mean_difference;

    let denominator = m.x.ss + m.y.ss + nf * d * d;
    let coefficient = if m.overflowed() || !denominator.is_finite() {
        Outcome::Undefined(Undefined::OutOfRange)
    } else if denominator > 0.0 {
        // |CCC| <= |r| <= 1 (Lin 1989); rounding of the separate sums can step one ulp past 1
        Outcome::Defined((2.0 * m.sxy / denominator).clamp(-1.0, 1.0))
    } else {
        Outcome::Undefined(Undefined::ConstantValues)
    };
    let zero_variance = Outcome::Undefined(Undefined::ZeroVariance);
    let base = Concordance {
        coefficient,
        pearson_r: zero_variance,
        bias_correction: zero_variance,
        scale_shift: if m.x_constant {
            zero_variance
        } else {
            finite((m.y.ss / m.x.ss).sqrt())
        },
        location_shift: zero_variance,
        se: zero_variance,
        se_z: zero_variance,
        ci: Outcome::Undefined(Undefined::ZeroVariance),
        ci_method: IntervalMethod::FisherZ,
        ci_asymptotic: Outcome::Undefined(Undefined::ZeroVariance),
        n,
        dropped: paired.dropped(),
        missing: paired.missing(),
        reference: "DescTools::CCC / epiR::epi.ccc (z-transform and asymptotic); numpy and mpmath re-computation",
    };
    if m.overflowed() {
        let out = Outcome::Undefined(Undefined::OutOfRange);
        return Ok(Concordance {
            coefficient: out,
            pearson_r: out,
            bias_correction: out,
            scale_shift: out,
            location_shift: out,
            se: out,
            se_z: out,
            ci: Outcome::Undefined(Undefined::OutOfRange),
            ci_asymptotic: Outcome::Undefined(Undefined::OutOfRange),
            ..base
        });
    }
    let Outcome::Defined(p) = coefficient else {
        return Ok(base);
    };
    if m.x_constant || m.y_constant {
        return Ok(base);
    }
    let r = m.r();
    let (sx, sy) = ((m.x.ss / nf).sqrt(), (m.y.ss / nf).sqrt());
    let u = -m.mean_difference / (sx * sy).sqrt();
    let se = lin_se(p, r, u, n);
    let z = crate::stats::z_two_sided(level).map_err(|_| Undefined::OutOfRange);
    let se_z = match se {
        Outcome::Defined(_) if p.abs() >= 1.0 => Outcome::Undefined(Undefined::PerfectAssociation),
        other => match other.map(|s| s / (1.0 - p * p)) {
            Outcome::Defined(s) if !s.is_finite() => Outcome::Undefined(Undefined::OutOfRange),
            other => other,
        },
    };
    let interval = |half: Outcome<f64>, f: fn(f64) -> f64, centre: f64| -> Outcome<Interval> {
        match (half, z) {
            (Outcome::Undefined(why), _) | (_, Err(why)) => Outcome::Undefined(why),
            (Outcome::Defined(s), Ok(z)) => {
                let h = z * s;
                let (lower, upper) = (f(centre - h), f(centre + h));
                if lower.is_finite() && upper.is_finite() {
                    Outcome::Defined(Interval::new(lower, upper, level))
                } else {
                    Outcome::Undefined(Undefined::OutOfRange)
                }
            }
        }
    };
    Ok(Concordance {
        pearson_r: Outcome::Defined(r),
        bias_correction: if r == 0.0 {
            Outcome::Undefined(Undefined::ZeroDenominator)
        } else {
            // C_b = 2 / (v + 1/v + u^2) <= 1; the ratio of two rounded values can pass 1
            finite((p / r).min(1.0))
        },
        location_shift: finite(u),
        se,
        se_z,
        ci: interval(se_z, f64::tanh, p.atanh()),
        ci_asymptotic: interval(se, |v| v, p),
        ..base
    })
}

/// A value that overflowed is [`Undefined::OutOfRange`], never an infinity inside `Ok`.
fn finite(v: f64) -> Outcome<f64> {
    if v.is_finite() {
        Outcome::Defined(v)
    } else {
        Outcome::Undefined(Undefined::OutOfRange)
    }
}

/// Lin's (2000) asymptotic standard error of ρc.
fn lin_se(p: f64, r: f64, u: f64, n: usize) -> Outcome<f64> {
    if n <= 2 {
        return Outcome::Undefined(Undefined::TooFewObservations);
    }
    if r == 0.0 {
        return Outcome::Undefined(Undefined::ZeroDenominator);
    }
    let (p2, u2) = (p * p, u * u);
    let var = ((1.0 - r * r) * p2 * (1.0 - p2) / (r * r) + 2.0 * p2 * p * (1.0 - p) * u2 / r
        - 0.5 * p2 * p2 * u2 * u2 / (r * r))
        / (n as f64 - 2.0);
    if var.is_nan() || var < 0.0 {
        return Outcome::Undefined(Undefined::NonPositiveVariance);
    }
    if var.is_infinite() {
        return Outcome::Undefined(Undefined::OutOfRange);
    }
    Outcome::Defined(var.sqrt())
}
