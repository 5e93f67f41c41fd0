//! Statistics that can be undefined for valid input, and the reason why: one type for the
//! whole crate (scoring aside), so a caller matches on undefined results the same way
//! everywhere.

/// A statistic that is either defined or undefined for a stated reason.
///
/// Undefined is never encoded as NaN or as floating-point noise (R psych prints an ICC of
/// -7e-16 on constant ratings, pingouin NaN): it is detected exactly (an exact zero sum of
/// squares, an exact 0/0) and reported as [`Outcome::Undefined`] with an [`Undefined`] reason
/// the caller can match on. Each function documents which inputs give which reason.
///
/// # Example
/// ```
/// use alliance::agreement::{icc, IccForm, IccUnit};
/// use alliance::Ratings;
/// use alliance::trend::{ols_trend, Series};
/// use alliance::{Level, Outcome, Undefined};
/// // every rating equal: no ICC can be computed
/// let r = Ratings::from_rows(&[[3.0, 3.0], [3.0, 3.0], [3.0, 3.0]])?;
/// let res = icc(&r, IccForm::TwoWayAgreement, IccUnit::Single, Level::default())?;
/// assert_eq!(res.outcome.undefined(), Some(Undefined::ConstantValues));
/// // two points: a slope, but no standard error
/// let fit = ols_trend(&Series::from_values(vec![3.0, 4.0])?, Level::default())?;
/// assert_eq!(fit.slope_se, Outcome::Undefined(Undefined::NoResidualDegreesOfFreedom));
/// assert_eq!(fit.slope_se.value(), None);
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Outcome<T = f64> {
    /// The statistic is defined and has this value.
    Defined(T),
    /// The statistic is undefined for this input, for this reason.
    Undefined(Undefined),
}

impl<T> Outcome<T> {
    /// The value, if defined (consuming the outcome).
    pub fn defined(self) -> Option<T> {
        match self {
            Outcome::Defined(v) => Some(v),
            Outcome::Undefined(_) => None,
        }
    }

    /// A reference to the value, if defined.
    pub fn as_defined(&self) -> Option<&T> {
        match self {
            Outcome::Defined(v) => Some(v),
            Outcome::Undefined(_) => None,
        }
    }

    /// The reason, if undefined.
    pub fn undefined(&self) -> Option<Undefined> {
        match self {
            Outcome::Defined(_) => None,
            Outcome::Undefined(why) => Some(*why),
        }
    }

    /// Whether the statistic is defined.
    pub fn is_defined(&self) -> bool {
        matches!(self, Outcome::Defined(_))
    }

    /// Applies `f` to a defined value, keeping an undefined reason.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Outcome<U> {
        match self {
            Outcome::Defined(v) => Outcome::Defined(f(v)),
            Outcome::Undefined(why) => Outcome::Undefined(why),
        }
    }
}

impl<T: Copy> Outcome<T> {
    /// The value, or `None` when undefined.
    pub fn value(&self) -> Option<T> {
        self.as_defined().copied()
    }
}

/// Why a statistic is undefined for valid input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Undefined {
    /// Every value used is the same: there is no variance to partition or explain (constant
    /// ratings for an ICC or alpha, constant scores for a trend's t statistic or tau-b,
    /// identical pairable values for Krippendorff's alpha).
    ConstantValues,
    /// Every target has the same mean rating (MSR = 0), so an average-measure ICC divides by
    /// zero.
    NoTargetVariance,
    /// The F ratio is 0/0: targets do not differ and there is no error variance.
    IndeterminateF,
    /// The denominator of the coefficient is exactly zero.
    ZeroDenominator,
    /// One of the variables is constant, so a correlation is 0/0.
    ZeroVariance,
    /// Too few observations for this quantity (e.g. a correlation's interval with n = 3, or
    /// its p with n = 2).
    TooFewObservations,
    /// The coefficient is exactly ±1, so its Fisher-z interval or standard error degenerates.
    PerfectAssociation,
    /// A variance came out zero or negative: a large-sample variance formula on a tiny sample,
    /// or after a correction (Hamed-Rao's n/n* factor).
    NonPositiveVariance,
    /// Finite input whose sums of squares overflow or underflow f64 (magnitudes beyond about
    /// 1e150 or differences below about 1e-150).
    OutOfRange,
    /// Chance agreement is exactly 1 (e.g. both raters used one and the same category), so
    /// kappa = (`p_o` - `p_e`)/(1 - `p_e`) is 0/0.
    ExpectedAgreementOne,
    /// No unit or subject has two or more ratings, so nothing can be paired.
    NoPairableUnit,
    /// Two points leave no residual degrees of freedom (n − 2 = 0), so there is no error
    /// variance to build a standard error from.
    NoResidualDegreesOfFreedom,
    /// The detrended ranks are all equal, so their autocorrelation is 0/0 (Hamed-Rao).
    ConstantDetrendedRanks,
    /// A confidence bound's rank falls outside 1..=N of the ordered pairwise slopes (Sen's
    /// interval on very short series, where scipy silently clamps).
    RankOutOfRange,
    /// Perfect reliability (`r_xx` = 1) and no change: the RCI is 0/0.
    NoChangeWithPerfectReliability,
    /// The error (residual) variance is exactly zero, as on a perfect fit: the test statistic
    /// (F or t) would be infinite, so it is reported as undefined; its p-value is defined and
    /// is 0.
    ZeroErrorVariance,
    /// Tied values, where the quantity assumes none: the exact null distribution of
    /// Mann-Kendall's S is the untied one, so with tied scores only the normal approximation
    /// applies.
    TiedValues,
    /// The sample is larger than the exact distribution is computed for (Mann-Kendall's exact
    /// p beyond 49 points, where the normal approximation is accurate).
    BeyondExactRange,
}
