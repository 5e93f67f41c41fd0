//! A variance component of a mixed model: the one shape the REML fits share
//! ([`agreement::icc_reml`](crate::agreement::icc_reml) and the
//! [`multilevel`](crate::multilevel) fits).

use crate::interval::Interval;
use crate::outcome::{Outcome, Undefined};

/// One variance component of a REML fit (targets, raters, therapists, clients, sessions,
/// residual): the estimate, its standard deviation and share of the total, whether it sits on
/// the boundary 0, and its interval when one was asked for.
///
/// Serializes; does not deserialize (a result is computed, not read).
///
/// # Example
/// ```
/// use alliance::multilevel::therapist_effects;
/// // therapist, client, rating: two therapists, two clients each, three sessions each
/// let rows = [
///     ("T1", "C1", 6.0), ("T1", "C1", 6.5), ("T1", "C1", 7.0),
///     ("T1", "C2", 5.0), ("T1", "C2", 5.5), ("T1", "C2", 5.0),
///     ("T2", "C3", 8.0), ("T2", "C3", 8.5), ("T2", "C3", 9.0),
///     ("T2", "C4", 7.0), ("T2", "C4", 7.5), ("T2", "C4", 8.0),
/// ];
/// let fit = therapist_effects(&rows)?;
/// let session = fit.session;
/// assert!(!session.boundary && session.variance.value().is_some_and(|v| v > 0.0));
/// assert_eq!(session.sd.value(), session.variance.value().map(f64::sqrt));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct VarianceComponent {
    /// The REML estimate of the variance (never negative); undefined with the fit (each fit's
    /// docs say when).
    pub variance: Outcome<f64>,
    /// Its square root, the standard deviation lme4 prints.
    pub sd: Outcome<f64>,
    /// Its share of the total variance (the components' sum).
    pub share: Outcome<f64>,
    /// The estimate is exactly 0 because the likelihood is largest on the boundary (a variance
    /// cannot be negative), as lme4 reports it (`isSingular`). It does not say that the true
    /// variance is 0, only that the data show none beyond chance.
    pub boundary: bool,
    /// Its interval (a percentile interval of the parametric bootstrap of
    /// [`agreement::icc_reml`](crate::agreement::icc_reml));
    /// [`Undefined::NotRequested`] when none was asked for or the fit offers none.
    pub ci: Outcome<Interval>,
}

impl VarianceComponent {
    /// A component from its estimate and the components' total.
    pub(crate) fn new(variance: Outcome<f64>, total: Outcome<f64>, boundary: bool) -> Self {
        let share = match (variance, total) {
            (Outcome::Defined(v), Outcome::Defined(t)) if t > 0.0 => finite(v / t),
            (Outcome::Defined(_), Outcome::Defined(_)) => {
                Outcome::Undefined(Undefined::ZeroDenominator)
            }
            (Outcome::Undefined(why), _) | (_, Outcome::Undefined(why)) => Outcome::Undefined(why),
        };
        VarianceComponent {
            variance,
            sd: variance.map(f64::sqrt),
            share,
            boundary,
            ci: Outcome::Undefined(Undefined::NotRequested),
        }
    }
}

fn finite(x: f64) -> Outcome<f64> {
    if x.is_finite() {
        Outcome::Defined(x)
    } else {
        Outcome::Undefined(Undefined::OutOfRange)
    }
}
