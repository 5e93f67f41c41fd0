//! Statistics that can be undefined for valid input, with the reason why.

/// A trend statistic that is either a value or undefined for a stated reason.
///
/// Undefined is never encoded as NaN or as floating-point noise: a slope's standard error with
/// no residual degrees of freedom, a t statistic on constant scores, or a Sen interval whose
/// rank falls outside the slopes are [`Stat::Undefined`] with an [`Undefined`] reason the
/// caller can match on.
///
/// # Example
/// ```
/// use alliance::trend::{ols_trend, Series, Stat, Undefined};
/// use alliance::Level;
/// let two = Series::from_values(vec![3.0, 4.0])?;
/// let fit = ols_trend(&two, Level::default())?;
/// assert_eq!(fit.slope_se, Stat::Undefined(Undefined::NoResidualDegreesOfFreedom));
/// assert_eq!(fit.slope_se.value(), None);
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Stat<T = f64> {
    /// The statistic is defined and has this value.
    Value(T),
    /// The statistic is undefined for this input, for this reason.
    Undefined(Undefined),
}

impl<T: Copy> Stat<T> {
    /// The value, or `None` when undefined.
    pub fn value(&self) -> Option<T> {
        match self {
            Stat::Value(v) => Some(*v),
            Stat::Undefined(_) => None,
        }
    }

    /// Whether the statistic is defined.
    pub fn is_defined(&self) -> bool {
        matches!(self, Stat::Value(_))
    }
}

/// Why a trend statistic is undefined for valid input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum Undefined {
    /// Two points leave no residual degrees of freedom (n − 2 = 0), so there is no error
    /// variance to build a standard error from.
    NoResidualDegreesOfFreedom,
    /// Every score is the same: 0/0 (the t statistic of a zero slope with zero standard error,
    /// R², tau-b).
    ConstantScores,
    /// The variance of the statistic is zero or negative after a correction (Hamed-Rao's
    /// n/n* factor).
    NonPositiveVariance,
    /// The detrended ranks are all equal, so their autocorrelation is 0/0 (Hamed-Rao).
    ConstantDetrendedRanks,
    /// A confidence bound's rank falls outside 1..=N of the ordered pairwise slopes (Sen's
    /// interval on very short series, where scipy silently clamps).
    RankOutOfRange,
    /// Perfect reliability (`r_xx` = 1) and no change: the RCI is 0/0.
    NoChangeWithPerfectReliability,
}
