//! Helpers shared by the two-rater continuous methods (concordance, Bland-Altman,
//! correlations, discrepancy): the minimum-pairs check and the paired moments.

use crate::error::{Error, Result};
use crate::paired::Paired;

/// Checks that `paired` has at least `needed` complete pairs for `statistic` (the values
/// themselves were validated when the [`Paired`] was built).
pub(crate) fn check_pairs(paired: &Paired, needed: usize, statistic: &'static str) -> Result<()> {
    if paired.n() < needed {
        return Err(Error::TooFewPairs {
            statistic,
            needed,
            found: paired.n(),
        });
    }
    Ok(())
}

/// Means, 1/n-free sums of squares and cross-products of two paired slices (two passes).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Moments {
    pub(crate) n: f64,
    pub(crate) mean_x: f64,
    pub(crate) mean_y: f64,
    /// Σ (x − x̄)²
    pub(crate) sxx: f64,
    /// Σ (y − ȳ)²
    pub(crate) syy: f64,
    /// Σ (x − x̄)(y − ȳ)
    pub(crate) sxy: f64,
    /// Every x equal (exactly).
    pub(crate) x_constant: bool,
    /// Every y equal (exactly).
    pub(crate) y_constant: bool,
}

impl Moments {
    /// Caller guarantees equal non-zero lengths and finite values.
    #[allow(clippy::float_cmp)] // exact constancy tests are the point
    pub(crate) fn of(x: &[f64], y: &[f64]) -> Moments {
        use crate::stats::Sum;
        let n = x.len() as f64;
        let mean_x = crate::stats::sum(x.iter().copied()) / n;
        let mean_y = crate::stats::sum(y.iter().copied()) / n;
        let (mut sxx, mut syy, mut sxy) = (Sum::default(), Sum::default(), Sum::default());
        for (&a, &b) in x.iter().zip(y) {
            let (dx, dy) = (a - mean_x, b - mean_y);
            sxx.add(dx * dx);
            syy.add(dy * dy);
            sxy.add(dx * dy);
        }
        let x_constant = x.iter().all(|&v| v == x[0]);
        let y_constant = y.iter().all(|&v| v == y[0]);
        Moments {
            n,
            mean_x,
            mean_y,
            sxx: if x_constant { 0.0 } else { sxx.value() },
            syy: if y_constant { 0.0 } else { syy.value() },
            sxy: if x_constant || y_constant {
                0.0
            } else {
                sxy.value()
            },
            x_constant,
            y_constant,
        }
    }
}

impl Moments {
    /// Whether a sum of squares or cross-products overflowed, or a non-constant variable's
    /// sum of squares underflowed to 0.
    pub(crate) fn overflowed(&self) -> bool {
        let finite = [self.sxx, self.syy, self.sxy, self.mean_x, self.mean_y]
            .iter()
            .all(|v| v.is_finite());
        let underflow =
            (!self.x_constant && self.sxx <= 0.0) || (!self.y_constant && self.syy <= 0.0);
        !finite || underflow
    }

    /// Pearson's r; caller guarantees neither variable is constant. With two pairs r is ±1
    /// exactly; rounding can push |r| a hair past 1, which Cauchy-Schwarz forbids.
    #[allow(clippy::float_cmp)] // n is a count stored as f64
    pub(crate) fn r(&self) -> f64 {
        // NaN only from overflowing sums; callers check `overflowed` first
        if self.n == 2.0 {
            return self.sxy.signum();
        }
        let den = (self.sxx * self.syy).sqrt();
        let den = if den.is_finite() && den > 0.0 {
            den
        } else {
            self.sxx.sqrt() * self.syy.sqrt()
        };
        (self.sxy / den).clamp(-1.0, 1.0)
    }
}
