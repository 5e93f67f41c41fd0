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
/// With feature `serde` it serializes (`{"Defined": 0.8}` or `{"Undefined": "ConstantValues"}`
/// in JSON), as part of the result that holds it, and deserializes, so that results an app
/// keeps (a monitor's alerts and reports) read back. [`Undefined`] does both too.
///
/// # Example
/// Every statistic's result holds its quantities as `Outcome`s; a caller asks for the value
/// and, when there is none, for the reason:
/// ```
/// use alliance::{Outcome, Undefined};
/// fn report(coefficient: Outcome<f64>) -> String {
///     match coefficient {
///         Outcome::Defined(v) => format!("{v:.2}"),
///         Outcome::Undefined(Undefined::ConstantValues) => "no variation to assess".into(),
///         Outcome::Undefined(why) => format!("undefined: {why:?}"),
///     }
/// }
/// assert_eq!(report(Outcome::Defined(0.8123)), "0.81");
/// assert_eq!(report(Outcome::Undefined(Undefined::ConstantValues)), "no variation to assess");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Outcome<T = f64> {
    /// The statistic is defined and has this value.
    Defined(T),
    /// The statistic is undefined for this input, for this reason.
    Undefined(Undefined),
}

impl<T> Outcome<T> {
    /// The value, if defined (consuming the outcome).
    ///
    /// # Example
    /// ```
    /// use alliance::{Outcome, Undefined};
    /// assert_eq!(Outcome::Defined(0.7).defined(), Some(0.7));
    /// assert_eq!(Outcome::<f64>::Undefined(Undefined::ZeroVariance).defined(), None);
    /// ```
    pub fn defined(self) -> Option<T> {
        match self {
            Outcome::Defined(v) => Some(v),
            Outcome::Undefined(_) => None,
        }
    }

    /// A reference to the value, if defined.
    ///
    /// # Example
    /// ```
    /// use alliance::{Outcome, Undefined};
    /// let label: Outcome<String> = Outcome::Defined("moderate".to_owned());
    /// assert_eq!(label.as_defined().map(String::as_str), Some("moderate"));
    /// let none: Outcome<String> = Outcome::Undefined(Undefined::TooFewObservations);
    /// assert_eq!(none.as_defined(), None);
    /// ```
    pub fn as_defined(&self) -> Option<&T> {
        match self {
            Outcome::Defined(v) => Some(v),
            Outcome::Undefined(_) => None,
        }
    }

    /// The reason, if undefined.
    ///
    /// # Example
    /// ```
    /// use alliance::{Outcome, Undefined};
    /// let p: Outcome = Outcome::Undefined(Undefined::TooFewObservations);
    /// assert_eq!(p.undefined(), Some(Undefined::TooFewObservations));
    /// assert_eq!(Outcome::Defined(0.03).undefined(), None);
    /// ```
    pub fn undefined(&self) -> Option<Undefined> {
        match self {
            Outcome::Defined(_) => None,
            Outcome::Undefined(why) => Some(*why),
        }
    }

    /// Whether the statistic is defined.
    ///
    /// # Example
    /// ```
    /// use alliance::{Outcome, Undefined};
    /// assert!(Outcome::Defined(1.0).is_defined());
    /// assert!(!Outcome::<f64>::Undefined(Undefined::OutOfRange).is_defined());
    /// ```
    pub fn is_defined(&self) -> bool {
        matches!(self, Outcome::Defined(_))
    }

    /// Applies `f` to a defined value, keeping an undefined reason.
    ///
    /// # Example
    /// ```
    /// use alliance::{Outcome, Undefined};
    /// let r: Outcome = Outcome::Defined(0.5);
    /// assert_eq!(r.map(|r| r * r), Outcome::Defined(0.25)); // r squared
    /// let none: Outcome = Outcome::Undefined(Undefined::ZeroVariance);
    /// assert_eq!(none.map(|r| r * r), Outcome::Undefined(Undefined::ZeroVariance));
    /// ```
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Outcome<U> {
        match self {
            Outcome::Defined(v) => Outcome::Defined(f(v)),
            Outcome::Undefined(why) => Outcome::Undefined(why),
        }
    }
}

impl<T: Copy> Outcome<T> {
    /// The value, or `None` when undefined.
    ///
    /// # Example
    /// ```
    /// use alliance::{Outcome, Undefined};
    /// let se: Outcome = Outcome::Defined(0.12);
    /// assert_eq!(se.value(), Some(0.12));
    /// let none: Outcome = Outcome::Undefined(Undefined::NoResidualDegreesOfFreedom);
    /// assert_eq!(none.value(), None);
    /// ```
    pub fn value(&self) -> Option<T> {
        self.as_defined().copied()
    }
}

/// Why a statistic is undefined for valid input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// after a correction (Hamed-Rao's n/n* factor), or an estimated variance in a
    /// coefficient's denominator (ICC(A,k) when MSR + (MSC − MSE)/n < 0, where psych prints a
    /// value above 1, and its interval when a bound's Spearman-Brown denominator is not positive;
    /// pairwise alpha when the pairwise covariances form no covariance matrix: a total variance
    /// below 0 or above k times the sum of the item variances, which is alpha above 1).
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
    /// An approximate (Satterthwaite) degrees of freedom is not positive and finite, so the F
    /// quantiles of an interval do not exist (the interval of an absolute-agreement ICC).
    DegenerateDegreesOfFreedom,
    /// Tied values, where the quantity needs distinct ones: the exact null distributions of
    /// Spearman's rho and of Mann-Kendall's S are the untied ones, so with ties only the
    /// approximate p applies.
    TiedValues,
    /// More observations than an exact enumeration covers (the exact p of Spearman's rho for
    /// n ≤ 9, as R's `cor.test`; of Mann-Kendall's S for up to 49 points, where the normal
    /// approximation is accurate); the approximate p still applies.
    BeyondExactLimit,
    /// The method has no such quantity (an exact permutation p for Pearson's r; the Fleiss,
    /// Nee & Landis null standard error, which exists only for unweighted Fleiss' kappa on
    /// complete data).
    NotApplicable,
    /// The quantity was not asked for (e.g. Krippendorff's alpha without a
    /// [`Bootstrap`](crate::agreement::Bootstrap) has no interval).
    NotRequested,
}
