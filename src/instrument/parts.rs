//! The small parts an instrument is made of: keying, scoring and missing-data rules, cutoffs,
//! norms and reliability.

use crate::element::Element;
use crate::error::{Error, Result};

/// Whether an item counts as given or reversed (`min + max - x`) before scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Keying {
    /// A higher answer means a stronger alliance.
    #[default]
    Forward,
    /// A higher answer means a weaker alliance (negatively worded items).
    Reverse,
}

/// One item of an instrument, as the instrument defines it.
///
/// With feature `serde` it serializes; it does not deserialize on its own: an item is valid
/// only within its instrument (its subscale index points into the instrument's subscales), so
/// items come in through a deserialized [`Instrument`](super::Instrument), which checks them.
///
/// # Example
/// ```
/// use alliance::{catalog, Keying};
/// let item = catalog::wai_sr().item(3).copied();
/// assert_eq!(item.map(|i| (i.number(), i.keying())), Some((3, Keying::Forward)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Item {
    pub(crate) number: u16,
    pub(crate) keying: Keying,
    pub(crate) subscale: Option<usize>,
    pub(crate) element: Option<Element>,
}

impl Item {
    /// The item number as printed on the form (1-based).
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// assert_eq!(catalog::wai_sr().items()[4].number(), 5);
    /// ```
    pub fn number(&self) -> u16 {
        self.number
    }

    /// Forward or reverse keyed.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, Keying};
    /// assert_eq!(catalog::arm_5().item(3).map(|i| i.keying()), Some(Keying::Reverse));
    /// ```
    pub fn keying(&self) -> Keying {
        self.keying
    }

    /// Index of the item's native subscale in [`Instrument::subscales`](super::Instrument::subscales).
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// let wai = catalog::wai_sr();
    /// let bond = wai.item(3).and_then(|i| i.subscale()); // index into wai.subscales()
    /// assert_eq!(bond.map(|s| wai.subscales()[s].name()), Some("Bond"));
    /// ```
    pub fn subscale(&self) -> Option<usize> {
        self.subscale
    }

    /// The alliance element the item feeds, if any (each item feeds at most one).
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, Element};
    /// assert_eq!(catalog::wai_sr().item(4).and_then(|i| i.element()), Some(Element::Goals));
    /// ```
    pub fn element(&self) -> Option<Element> {
        self.element
    }
}

/// A native, published subscale (e.g. WAI-SR Bond).
///
/// With feature `serde` it serializes; it does not deserialize on its own: a subscale is
/// valid only within its instrument (its items must exist there and belong to no other
/// subscale), so subscales come in through a deserialized [`Instrument`](super::Instrument).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Subscale {
    pub(crate) name: String,
    pub(crate) items: Vec<u16>,
}

impl Subscale {
    /// The subscale's published name.
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// assert_eq!(catalog::wai_sr().subscales()[0].name(), "Task");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its item numbers, ascending.
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// assert_eq!(catalog::wai_sr().subscales()[0].items(), &[1, 2, 10, 12]);
    /// ```
    pub fn items(&self) -> &[u16] {
        &self.items
    }
}

/// How item answers combine into the instrument's native score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ScoringRule {
    /// The sum of the (keyed) answers, e.g. WAI-SR 12-60.
    #[default]
    Sum,
    /// The mean of the (keyed) answers, e.g. ARM-5 1-7.
    Mean,
}

/// What to do when answers are missing.
///
/// Scores are never imputed from other respondents. When prorating, a scope's sum is the mean
/// of its answered items times its item count, which equals the mean score scaled to the full
/// item count.
///
/// With feature `serde` it serializes and deserializes; alone it has nothing to check, and the
/// instrument that holds it checks it against its item count when built or deserialized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum MissingRule {
    /// Every item must be answered (e.g. a session scale whose cutoff is defined on complete
    /// totals).
    Complete,
    /// Prorate when few answers are missing, refuse otherwise.
    Prorate {
        /// The most items that may be missing from the total.
        max_missing: usize,
        /// The most items that may be missing from any one subscale (`None`: no per-subscale
        /// limit beyond the total's).
        max_missing_per_subscale: Option<usize>,
    },
}

impl MissingRule {
    /// The most missing items allowed in the total.
    pub(crate) fn max_total(&self) -> usize {
        match *self {
            MissingRule::Complete => 0,
            MissingRule::Prorate { max_missing, .. } => max_missing,
        }
    }

    /// The most missing items allowed in a subscale of `items` items.
    pub(crate) fn max_subscale(&self, items: usize) -> usize {
        match *self {
            MissingRule::Complete => 0,
            MissingRule::Prorate {
                max_missing,
                max_missing_per_subscale,
            } => max_missing_per_subscale.unwrap_or(max_missing).min(items),
        }
    }
}

/// Which side of a cutoff raises the flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum CutoffSide {
    /// Flag scores strictly below the threshold (e.g. a session scale total below 36).
    Below,
    /// Flag scores at or below the threshold.
    AtOrBelow,
    /// Flag scores strictly above the threshold.
    Above,
    /// Flag scores at or above the threshold.
    AtOrAbove,
}

/// A threshold on the instrument's total (in its native metric: sum or mean) that raises a flag.
///
/// # Example
/// ```
/// use alliance::Cutoff;
/// let c = Cutoff::below("alliance concern", 36.0, "Duncan et al. 2003")?;
/// assert!(c.flags(35.9));
/// assert!(!c.flags(36.0));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(try_from = "wire::Cutoff"))]
pub struct Cutoff {
    label: String,
    threshold: f64,
    side: CutoffSide,
    source: String,
}

impl Cutoff {
    /// A cutoff that flags totals on `side` of `threshold` (native metric), with the source
    /// that published it.
    ///
    /// # Errors
    /// [`Error::NonFinite`] when the threshold is NaN or infinite.
    ///
    /// # Example
    /// ```
    /// use alliance::{Cutoff, CutoffSide};
    /// let c = Cutoff::new("strong alliance", 4.5, CutoffSide::AtOrAbove, "clinic audit 2025")?;
    /// assert!(c.flags(4.5) && !c.flags(4.4));
    /// assert!(Cutoff::new("x", f64::NAN, CutoffSide::Below, "").is_err());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(
        label: impl Into<String>,
        threshold: f64,
        side: CutoffSide,
        source: impl Into<String>,
    ) -> Result<Cutoff> {
        crate::domain::check("cutoff threshold", &[threshold])?;
        Ok(Cutoff {
            label: label.into(),
            threshold,
            side,
            source: source.into(),
        })
    }

    /// Shorthand for a cutoff that flags totals strictly below `threshold`, the usual
    /// alliance alert.
    ///
    /// # Errors
    /// [`Error::NonFinite`] when the threshold is NaN or infinite.
    ///
    /// # Example
    /// ```
    /// use alliance::{Cutoff, CutoffSide};
    /// let c = Cutoff::below("alliance concern", 36.0, "Duncan et al. 2003")?;
    /// assert_eq!(c.side(), CutoffSide::Below);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn below(
        label: impl Into<String>,
        threshold: f64,
        source: impl Into<String>,
    ) -> Result<Cutoff> {
        Cutoff::new(label, threshold, CutoffSide::Below, source)
    }

    /// What the flag means, e.g. "alliance concern".
    ///
    /// # Example
    /// ```
    /// use alliance::Cutoff;
    /// assert_eq!(Cutoff::below("alliance concern", 36.0, "")?.label(), "alliance concern");
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The threshold, in the instrument's native metric.
    ///
    /// # Example
    /// ```
    /// use alliance::Cutoff;
    /// assert_eq!(Cutoff::below("alliance concern", 36.0, "")?.threshold(), 36.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// Which side raises the flag.
    ///
    /// # Example
    /// ```
    /// use alliance::{Cutoff, CutoffSide};
    /// let c = Cutoff::new("high", 50.0, CutoffSide::Above, "")?;
    /// assert_eq!(c.side(), CutoffSide::Above);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn side(&self) -> CutoffSide {
        self.side
    }

    /// Where the cutoff was published.
    ///
    /// # Example
    /// ```
    /// use alliance::Cutoff;
    /// let c = Cutoff::below("alliance concern", 36.0, "Duncan et al. 2003")?;
    /// assert_eq!(c.source(), "Duncan et al. 2003");
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether a total of `score` raises the flag.
    ///
    /// # Example
    /// ```
    /// use alliance::{Cutoff, CutoffSide};
    /// let at_or_below = Cutoff::new("low", 36.0, CutoffSide::AtOrBelow, "")?;
    /// assert!(at_or_below.flags(36.0));
    /// let below = Cutoff::below("low", 36.0, "")?;
    /// assert!(!below.flags(36.0));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn flags(&self, score: f64) -> bool {
        match self.side {
            CutoffSide::Below => score < self.threshold,
            CutoffSide::AtOrBelow => score <= self.threshold,
            CutoffSide::Above => score > self.threshold,
            CutoffSide::AtOrAbove => score >= self.threshold,
        }
    }
}

/// Normative mean and SD of the total (native metric) in a reference population, for z-scores
/// and percentiles.
///
/// # Example
/// ```
/// use alliance::Norm;
/// let n = Norm::new(4.0, 0.5, "outpatients, my clinic 2025", Some(212))?;
/// assert_eq!(n.z(5.0), 2.0);
/// assert!((n.percentile(5.0) - 97.724_986_805_182_08).abs() < 1e-10); // 100 Φ(2)
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(try_from = "wire::Norm"))]
pub struct Norm {
    mean: f64,
    sd: f64,
    source: String,
    n: Option<u32>,
}

impl Norm {
    /// A norm with its mean, SD, source and sample size.
    ///
    /// # Errors
    /// [`Error::NonFinite`], [`Error::TooLarge`] or [`Error::TooSmall`] for a mean or SD outside
    /// [`crate::domain`]; [`Error::InvalidParameter`] when
    /// the SD is not positive.
    ///
    /// # Example
    /// ```
    /// use alliance::{Error, Norm};
    /// let n = Norm::new(5.2, 1.1, "outpatients 2024", None)?;
    /// assert_eq!(n.n(), None);
    /// assert!(matches!(Norm::new(5.2, 0.0, "", None), Err(Error::InvalidParameter { .. })));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(mean: f64, sd: f64, source: impl Into<String>, n: Option<u32>) -> Result<Norm> {
        crate::domain::check("norm mean and SD", &[mean, sd])?;
        if sd <= 0.0 {
            return Err(Error::InvalidParameter {
                name: "norm SD",
                value: sd,
                expected: "positive",
            });
        }
        Ok(Norm {
            mean,
            sd,
            source: source.into(),
            n,
        })
    }

    /// Normative mean.
    ///
    /// # Example
    /// ```
    /// use alliance::Norm;
    /// assert_eq!(Norm::new(5.2, 1.1, "", None)?.mean(), 5.2);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// Normative standard deviation.
    ///
    /// # Example
    /// ```
    /// use alliance::Norm;
    /// assert_eq!(Norm::new(5.2, 1.1, "", None)?.sd(), 1.1);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn sd(&self) -> f64 {
        self.sd
    }

    /// Where the norm comes from (sample, paper).
    ///
    /// # Example
    /// ```
    /// use alliance::Norm;
    /// assert_eq!(Norm::new(5.2, 1.1, "outpatients 2024", None)?.source(), "outpatients 2024");
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Normative sample size, if known.
    ///
    /// # Example
    /// ```
    /// use alliance::Norm;
    /// assert_eq!(Norm::new(5.2, 1.1, "", Some(340))?.n(), Some(340));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn n(&self) -> Option<u32> {
        self.n
    }

    /// `(x - mean) / sd`.
    ///
    /// # Example
    /// ```
    /// use alliance::Norm;
    /// let n = Norm::new(40.0, 5.0, "", None)?;
    /// assert_eq!(n.z(30.0), -2.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn z(&self, x: f64) -> f64 {
        (x - self.mean) / self.sd
    }

    /// Percentile of `x` under a normal distribution with the norm's mean and SD, 0-100.
    ///
    /// # Example
    /// ```
    /// use alliance::Norm;
    /// let n = Norm::new(40.0, 5.0, "", None)?;
    /// assert_eq!(n.percentile(40.0), 50.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn percentile(&self, x: f64) -> f64 {
        100.0 * crate::stats::normal_cdf(self.z(x))
    }
}

// The kind of a published coefficient is the statistics' own vocabulary (instruments know
// statistics, never the other way round).
pub use crate::reliability::ReliabilityKind;

/// A published reliability coefficient of the total, for reliable-change thresholds.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(try_from = "wire::Reliability"))]
pub struct Reliability {
    value: f64,
    kind: ReliabilityKind,
    source: String,
}

impl Reliability {
    /// A reliability coefficient in [0, 1].
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `0 <= value <= 1`.
    ///
    /// # Example
    /// ```
    /// use alliance::{Reliability, ReliabilityKind};
    /// let r = Reliability::new(0.85, ReliabilityKind::TestRetest, "Hatcher & Gillaspy 2006")?;
    /// assert_eq!(r.kind(), ReliabilityKind::TestRetest);
    /// let e = Reliability::new(1.2, ReliabilityKind::Alpha, "").unwrap_err();
    /// assert_eq!(e.to_string(), "reliability must be between 0 and 1, but it is 1.2");
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(
        value: f64,
        kind: ReliabilityKind,
        source: impl Into<String>,
    ) -> Result<Reliability> {
        if !(0.0..=1.0).contains(&value) {
            return Err(Error::InvalidParameter {
                name: "reliability",
                value,
                expected: "between 0 and 1",
            });
        }
        Ok(Reliability {
            value,
            kind,
            source: source.into(),
        })
    }

    /// The coefficient.
    ///
    /// # Example
    /// ```
    /// use alliance::{Reliability, ReliabilityKind};
    /// assert_eq!(Reliability::new(0.85, ReliabilityKind::Alpha, "")?.value(), 0.85);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn value(&self) -> f64 {
        self.value
    }

    /// Test-retest or alpha.
    ///
    /// # Example
    /// ```
    /// use alliance::{Reliability, ReliabilityKind};
    /// assert_eq!(Reliability::new(0.85, ReliabilityKind::Alpha, "")?.kind(), ReliabilityKind::Alpha);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn kind(&self) -> ReliabilityKind {
        self.kind
    }

    /// Where it was published.
    ///
    /// # Example
    /// ```
    /// use alliance::{Reliability, ReliabilityKind};
    /// let r = Reliability::new(0.85, ReliabilityKind::Alpha, "Hatcher & Gillaspy 2006")?;
    /// assert_eq!(r.source(), "Hatcher & Gillaspy 2006");
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn source(&self) -> &str {
        &self.source
    }
}

#[cfg(feature = "serde")]
mod wire {
    //! Unchecked wire forms; deserialization goes through the checked constructors.
    use super::{CutoffSide, ReliabilityKind};
    use crate::error::Error;

    #[derive(serde::Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub(super) struct Cutoff {
        label: String,
        threshold: f64,
        side: CutoffSide,
        source: String,
    }

    impl TryFrom<Cutoff> for super::Cutoff {
        type Error = Error;
        fn try_from(c: Cutoff) -> Result<super::Cutoff, Error> {
            super::Cutoff::new(c.label, c.threshold, c.side, c.source)
        }
    }

    #[derive(serde::Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub(super) struct Norm {
        mean: f64,
        sd: f64,
        source: String,
        n: Option<u32>,
    }

    impl TryFrom<Norm> for super::Norm {
        type Error = Error;
        fn try_from(n: Norm) -> Result<super::Norm, Error> {
            super::Norm::new(n.mean, n.sd, n.source, n.n)
        }
    }

    #[derive(serde::Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub(super) struct Reliability {
        value: f64,
        kind: ReliabilityKind,
        source: String,
    }

    impl TryFrom<Reliability> for super::Reliability {
        type Error = Error;
        fn try_from(r: Reliability) -> Result<super::Reliability, Error> {
            super::Reliability::new(r.value, r.kind, r.source)
        }
    }
}
