//! Reliable change (Jacobson & Truax 1991) and clinical-significance categories.

use super::Series;
use crate::Level;
use crate::error::{Error, Result};
use crate::outcome::{Outcome, Undefined};
use crate::reliability::ReliabilityKind;
use crate::stats;

/// Where the standard deviation SD₁ comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum SdSource {
    /// A published normative (reference) sample.
    Norm,
    /// The study's own pre-treatment sample, SD with the n − 1 denominator.
    Sample,
}

/// Which way is better on the scale (alliance scores: higher).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Polarity {
    /// Higher scores are better (alliance, outcome rating scales).
    #[default]
    HigherIsBetter,
    /// Lower scores are better (symptom scales).
    LowerIsBetter,
}

/// The direction of an observed change, judged by the scale's [`Polarity`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum ChangeDirection {
    /// The score moved in the better direction.
    Improvement,
    /// The score moved in the worse direction.
    Deterioration,
    /// The score did not move.
    NoChange,
}

/// Jacobson-Truax clinical-significance category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum ClinicalCategory {
    /// Reliable improvement and the later score is beyond the cutoff on the functional side.
    Recovered,
    /// Reliable improvement without passing the cutoff.
    Improved,
    /// No reliable change.
    Unchanged,
    /// Reliable deterioration.
    Deteriorated,
}

/// A cutoff between the dysfunctional and the functional range of a scale.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ClinicalCutoff {
    /// The cutoff score.
    pub value: f64,
    /// Which Jacobson-Truax rule produced it, if any (`None` when given directly).
    pub rule: Option<CutoffRule>,
}

/// Jacobson-Truax cutoff rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum CutoffRule {
    /// a: two clinical SDs beyond the clinical mean, towards the functional side.
    A,
    /// b: two functional SDs from the functional mean, towards the clinical side.
    B,
    /// c: the point equally far, in SD units, from both means.
    C,
}

/// The mean and SD of a population (clinical or functional), for a Jacobson-Truax cutoff:
/// named fields, so the two numbers cannot be swapped.
///
/// # Example
/// ```
/// use alliance::trend::Population;
/// let clinical = Population { mean: 20.0, sd: 5.0 };
/// assert_eq!(clinical.sd, 5.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Population {
    /// The population's mean score.
    pub mean: f64,
    /// The population's standard deviation (positive).
    pub sd: f64,
}

impl ClinicalCutoff {
    /// A cutoff given directly (e.g. a published one).
    ///
    /// # Errors
    /// [`Error::NonFinite`] for NaN or infinity.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::ClinicalCutoff;
    /// let published = ClinicalCutoff::new(36.0)?;
    /// assert_eq!((published.value, published.rule), (36.0, None));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(value: f64) -> Result<ClinicalCutoff> {
        crate::domain::check("clinical cutoff", &[value])?;
        Ok(ClinicalCutoff { value, rule: None })
    }

    /// A Jacobson-Truax cutoff from the clinical and functional populations' means and SDs.
    ///
    /// ```text
    /// lower is better:  a = M_clin − 2 SD_clin    b = M_func + 2 SD_func
    /// higher is better: a = M_clin + 2 SD_clin    b = M_func − 2 SD_func
    /// c = (SD_clin · M_func + SD_func · M_clin) / (SD_clin + SD_func)
    /// ```
    ///
    /// # Errors
    /// [`Error::NonFinite`] for a NaN or infinite mean or SD; [`Error::InvalidSd`] for an SD
    /// that is not positive.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{ClinicalCutoff, CutoffRule, Polarity, Population};
    /// let c = ClinicalCutoff::jacobson_truax(
    ///     CutoffRule::C,
    ///     Population { mean: 20.0, sd: 5.0 }, // clinical
    ///     Population { mean: 30.0, sd: 5.0 }, // functional
    ///     Polarity::HigherIsBetter,
    /// )?;
    /// assert_eq!(c.value, 25.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    ///
    /// # References
    /// Jacobson & Truax (1991), J. Consult. Clin. Psychol. 59:12-19.
    pub fn jacobson_truax(
        rule: CutoffRule,
        clinical: Population,
        functional: Population,
        polarity: Polarity,
    ) -> Result<ClinicalCutoff> {
        crate::domain::check(
            "clinical cutoff input",
            &[clinical.mean, clinical.sd, functional.mean, functional.sd],
        )?;
        for (what, sd) in [
            ("clinical SD", clinical.sd),
            ("functional SD", functional.sd),
        ] {
            if sd <= 0.0 {
                return Err(Error::InvalidSd {
                    what,
                    value: sd,
                    expected: "above 0",
                });
            }
        }
        let sign = match polarity {
            Polarity::HigherIsBetter => 1.0,
            Polarity::LowerIsBetter => -1.0,
        };
        let value = match rule {
            CutoffRule::A => clinical.mean + sign * 2.0 * clinical.sd,
            CutoffRule::B => functional.mean - sign * 2.0 * functional.sd,
            CutoffRule::C => {
                (clinical.sd * functional.mean + functional.sd * clinical.mean)
                    / (clinical.sd + functional.sd)
            }
        };
        Ok(ClinicalCutoff {
            value,
            rule: Some(rule),
        })
    }
}

/// The critical |RCI| a change must exceed to be reliable.
///
/// # Example
/// ```
/// use alliance::trend::Critical;
/// use alliance::Level;
/// assert_eq!(Critical::default(), Critical::Level(Level::NINETY_FIVE));
/// let literal = Critical::JacobsonTruax; // exactly 1.96, as printed in the 1991 paper
/// # let _ = literal;
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Critical {
    /// The two-sided normal quantile z(1 − α/2) at this level (1.959964 at 95%, the default).
    Level(Level),
    /// Jacobson & Truax's (1991) literal 1.96, as printed (the 95% quantile rounded).
    JacobsonTruax,
    /// An explicit critical value (a finite number above 0, e.g. 1.645 for a one-sided 95%
    /// criterion).
    Z(f64),
}

impl Default for Critical {
    fn default() -> Self {
        Critical::Level(Level::NINETY_FIVE)
    }
}

impl Critical {
    /// The critical value itself.
    fn value(self) -> Result<f64> {
        match self {
            Critical::Level(level) => stats::z_two_sided(level),
            Critical::JacobsonTruax => Ok(1.96),
            Critical::Z(z) if z.is_finite() && z > 0.0 => Ok(z),
            Critical::Z(z) => Err(Error::InvalidCritical { value: z }),
        }
    }
}

/// The sample standard deviation (n − 1 denominator) of the pre-treatment scores: SD₁ with
/// [`SdSource::Sample`] when no normative SD is used.
///
/// ```text
/// SD = √(Σ (xᵢ − x̄)² / (n − 1))
/// ```
///
/// # Errors
/// [`Error::TooFewScores`] for fewer than 2 scores; [`Error::NonFinite`] for a NaN or
/// infinite score.
///
/// # Example
/// ```
/// use alliance::trend::sample_sd;
/// let pre = [4.0, 5.0, 6.0, 5.0];
/// assert!((sample_sd(&pre)? - (2.0f64 / 3.0).sqrt()).abs() < 1e-15);
/// assert!(sample_sd(&[4.0]).is_err());
/// # Ok::<(), alliance::Error>(())
/// ```
pub fn sample_sd(scores: &[f64]) -> Result<f64> {
    if scores.len() < 2 {
        return Err(Error::TooFewScores {
            found: scores.len(),
        });
    }
    crate::domain::check("pre-treatment score", scores)?;
    let n = scores.len() as f64;
    let mean = stats::sum(scores.iter().copied()) / n;
    let ss = stats::sum(scores.iter().map(|x| (x - mean) * (x - mean)));
    Ok((ss / (n - 1.0)).sqrt())
}

/// What the reliable change index rests on: SD₁, `r_xx`, their sources, the critical value
/// and the scale's polarity. Built by [`ChangeCriterion::builder`] and checked once there.
///
/// # Example
/// ```
/// use alliance::trend::{ChangeCriterion, Critical, SdSource};
/// use alliance::reliability::ReliabilityKind;
/// let crit = ChangeCriterion::builder()
///     .sd(0.70, SdSource::Norm)
///     .reliability(0.90, ReliabilityKind::Alpha)
///     .critical(Critical::JacobsonTruax)
///     .build()?;
/// assert!((crit.s_diff() - 0.313).abs() < 5e-4);
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChangeCriterion {
    sd: f64,
    sd_source: SdSource,
    reliability: f64,
    reliability_kind: ReliabilityKind,
    critical: Critical,
    critical_value: f64,
    polarity: Polarity,
    cutoff: Option<ClinicalCutoff>,
}

/// Builds a [`ChangeCriterion`] with named settings: SD₁ and `r_xx` are required; the
/// critical value (default z at 95%), polarity (default higher is better) and cutoff (default
/// none) are optional.
///
/// # Example
/// ```
/// use alliance::trend::{sample_sd, ChangeCriterion, Polarity, SdSource};
/// use alliance::reliability::ReliabilityKind;
/// let pre = [22.0, 18.0, 25.0, 30.0, 20.0];
/// let crit = ChangeCriterion::builder()
///     .sd(sample_sd(&pre)?, SdSource::Sample)
///     .reliability(0.85, ReliabilityKind::TestRetest)
///     .polarity(Polarity::LowerIsBetter)
///     .build()?;
/// assert!(crit.se() > 0.0);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// No serde: a builder is a step on the way; the rule it builds is what a program keeps.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ChangeCriterionBuilder {
    sd: Option<(f64, SdSource)>,
    reliability: Option<(f64, ReliabilityKind)>,
    critical: Critical,
    polarity: Polarity,
    cutoff: Option<ClinicalCutoff>,
}

impl ChangeCriterionBuilder {
    /// SD₁ (positive) and where it comes from.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{ChangeCriterion, SdSource};
    /// use alliance::reliability::ReliabilityKind;
    /// let crit = ChangeCriterion::builder()
    ///     .sd(0.70, SdSource::Norm)
    ///     .reliability(0.90, ReliabilityKind::Alpha)
    ///     .build()?;
    /// assert!((crit.se() - 0.70 * 0.1f64.sqrt()).abs() < 1e-15);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    #[must_use]
    pub fn sd(mut self, sd: f64, source: SdSource) -> Self {
        self.sd = Some((sd, source));
        self
    }

    /// The reliability coefficient `r_xx` (in [0, 1]) and its kind.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{ChangeCriterion, SdSource};
    /// use alliance::reliability::ReliabilityKind;
    /// let perfect = ChangeCriterion::builder()
    ///     .sd(1.0, SdSource::Norm)
    ///     .reliability(1.0, ReliabilityKind::TestRetest)
    ///     .build()?;
    /// assert_eq!(perfect.se(), 0.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    #[must_use]
    pub fn reliability(mut self, reliability: f64, kind: ReliabilityKind) -> Self {
        self.reliability = Some((reliability, kind));
        self
    }

    /// The critical |RCI| (default [`Critical::Level`] at 95%).
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{reliable_change, ChangeCriterion, Critical, SdSource};
    /// use alliance::reliability::ReliabilityKind;
    /// let crit = ChangeCriterion::builder()
    ///     .sd(0.70, SdSource::Norm)
    ///     .reliability(0.90, ReliabilityKind::Alpha)
    ///     .critical(Critical::JacobsonTruax)
    ///     .build()?;
    /// assert_eq!(reliable_change(4.1, 3.4, &crit)?.critical, 1.96);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    #[must_use]
    pub fn critical(mut self, critical: Critical) -> Self {
        self.critical = critical;
        self
    }

    /// Which way is better on the scale (default higher).
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{reliable_change, ChangeCriterion, ChangeDirection, Polarity, SdSource};
    /// use alliance::reliability::ReliabilityKind;
    /// let symptoms = ChangeCriterion::builder()
    ///     .sd(5.0, SdSource::Norm)
    ///     .reliability(0.8, ReliabilityKind::TestRetest)
    ///     .polarity(Polarity::LowerIsBetter)
    ///     .build()?;
    /// assert_eq!(reliable_change(27.0, 20.0, &symptoms)?.direction, ChangeDirection::Improvement);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    #[must_use]
    pub fn polarity(mut self, polarity: Polarity) -> Self {
        self.polarity = polarity;
        self
    }

    /// Classify clinical significance against this cutoff.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{reliable_change, ChangeCriterion, ClinicalCategory, ClinicalCutoff, SdSource};
    /// use alliance::reliability::ReliabilityKind;
    /// let crit = ChangeCriterion::builder()
    ///     .sd(5.0, SdSource::Norm)
    ///     .reliability(0.8, ReliabilityKind::TestRetest)
    ///     .cutoff(ClinicalCutoff::new(25.0)?)
    ///     .build()?;
    /// assert_eq!(reliable_change(20.0, 27.0, &crit)?.category, Some(ClinicalCategory::Recovered));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    #[must_use]
    pub fn cutoff(mut self, cutoff: ClinicalCutoff) -> Self {
        self.cutoff = Some(cutoff);
        self
    }

    /// The checked criterion.
    ///
    /// # Errors
    /// [`Error::MissingSetting`] without an SD or a reliability; [`Error::NonFinite`] for a
    /// NaN or infinite SD or reliability; [`Error::InvalidSd`] when the SD is not above 0;
    /// [`Error::ReliabilityOutOfRange`] outside [0, 1]; [`Error::InvalidCritical`] for an
    /// explicit critical value that is not a finite number above 0; [`Error::TooLarge`] for an
    /// SD or critical value beyond [`crate::domain::MAGNITUDE_LIMIT`].
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{ChangeCriterion, SdSource};
    /// use alliance::reliability::ReliabilityKind;
    /// use alliance::Error;
    /// let no_reliability = ChangeCriterion::builder().sd(0.7, SdSource::Norm).build();
    /// assert_eq!(no_reliability, Err(Error::MissingSetting { setting: "a reliability" }));
    /// let crit = ChangeCriterion::builder()
    ///     .sd(0.7, SdSource::Norm)
    ///     .reliability(0.9, ReliabilityKind::Alpha)
    ///     .build()?;
    /// assert!(crit.s_diff() > 0.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn build(self) -> Result<ChangeCriterion> {
        let (sd, sd_source) = self.sd.ok_or(Error::MissingSetting {
            setting: "a standard deviation",
        })?;
        let (reliability, reliability_kind) = self.reliability.ok_or(Error::MissingSetting {
            setting: "a reliability",
        })?;
        crate::domain::check("reliable change input", &[sd, reliability])?;
        if sd <= 0.0 {
            return Err(Error::InvalidSd {
                what: "standard deviation",
                value: sd,
                expected: "above 0",
            });
        }
        if !(0.0..=1.0).contains(&reliability) {
            return Err(Error::ReliabilityOutOfRange { value: reliability });
        }
        // inside the domain S_diff and the minimum reliable change cannot overflow
        crate::domain::check("critical value", &[self.critical.value()?])?;
        Ok(ChangeCriterion {
            sd,
            sd_source,
            reliability,
            reliability_kind,
            critical: self.critical,
            critical_value: self.critical.value()?,
            polarity: self.polarity,
            cutoff: self.cutoff,
        })
    }
}

impl ChangeCriterion {
    /// A builder: set [`sd`](ChangeCriterionBuilder::sd) and
    /// [`reliability`](ChangeCriterionBuilder::reliability), then
    /// [`build`](ChangeCriterionBuilder::build).
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{ChangeCriterion, SdSource};
    /// use alliance::reliability::ReliabilityKind;
    /// let crit = ChangeCriterion::builder()
    ///     .sd(0.70, SdSource::Norm)
    ///     .reliability(0.90, ReliabilityKind::Alpha)
    ///     .build()?;
    /// assert!((crit.critical_value() - 1.959_963_984_540_054).abs() < 1e-12);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn builder() -> ChangeCriterionBuilder {
        ChangeCriterionBuilder::default()
    }

    /// A builder with the instrument's published numbers already set: its norm's SD
    /// ([`SdSource::Norm`]) and its reliability coefficient, each where the instrument carries
    /// one. Set what it lacks before [`build`](ChangeCriterionBuilder::build), which otherwise
    /// names the missing setting; a value set on the builder replaces the instrument's.
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// use alliance::trend::{ChangeCriterion, SdSource};
    /// let wai = catalog::wai_sr(); // a published alpha bound (.80), no published SD
    /// let missing = ChangeCriterion::builder_for(&wai).build().unwrap_err();
    /// assert_eq!(missing.to_string(), "the reliable change criterion needs a standard deviation; set it before building");
    /// let crit = ChangeCriterion::builder_for(&wai).sd(0.70, SdSource::Sample).build()?;
    /// // SE = 0.70 * sqrt(1 - .80)
    /// assert!((crit.se() - 0.70 * 0.2f64.sqrt()).abs() < 1e-15);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn builder_for(instrument: &crate::Instrument) -> ChangeCriterionBuilder {
        let mut builder = ChangeCriterionBuilder::default();
        if let Some(norm) = instrument.norm() {
            builder = builder.sd(norm.sd(), SdSource::Norm);
        }
        if let Some(r) = instrument.reliability() {
            builder = builder.reliability(r.value(), r.kind());
        }
        builder
    }

    /// SE of measurement SD₁ √(1 − `r_xx`).
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{ChangeCriterion, SdSource};
    /// use alliance::reliability::ReliabilityKind;
    /// let crit = ChangeCriterion::builder()
    ///     .sd(10.0, SdSource::Norm)
    ///     .reliability(0.91, ReliabilityKind::Alpha)
    ///     .build()?;
    /// assert!((crit.se() - 3.0).abs() < 1e-12);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn se(&self) -> f64 {
        self.sd * (1.0 - self.reliability).sqrt()
    }

    /// SD of a difference, √2 · SE.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{ChangeCriterion, SdSource};
    /// use alliance::reliability::ReliabilityKind;
    /// let crit = ChangeCriterion::builder()
    ///     .sd(10.0, SdSource::Norm)
    ///     .reliability(0.91, ReliabilityKind::Alpha)
    ///     .build()?;
    /// assert!((crit.s_diff() - 3.0 * 2f64.sqrt()).abs() < 1e-12);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn s_diff(&self) -> f64 {
        std::f64::consts::SQRT_2 * self.se()
    }

    /// The critical |RCI| a change must exceed (1.96 for [`Critical::JacobsonTruax`]).
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{ChangeCriterion, Critical, SdSource};
    /// use alliance::reliability::ReliabilityKind;
    /// let crit = ChangeCriterion::builder()
    ///     .sd(10.0, SdSource::Norm)
    ///     .reliability(0.91, ReliabilityKind::Alpha)
    ///     .critical(Critical::Z(1.645))
    ///     .build()?;
    /// assert_eq!(crit.critical_value(), 1.645);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn critical_value(&self) -> f64 {
        self.critical_value
    }
}

/// The reliable change between two scores.
///
/// Serializes; does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ReliableChange {
    /// Earlier score.
    pub x1: f64,
    /// Later score.
    pub x2: f64,
    /// x2 − x1.
    pub difference: f64,
    /// RCI = (x2 − x1)/`S_diff`. With `r_xx` = 1 there is no measurement error: the RCI is
    /// [`Undefined::ZeroErrorVariance`] when the scores differ (it would be ±∞; the change
    /// is reliable) and [`Undefined::NoChangeWithPerfectReliability`] when they are equal.
    pub rci: Outcome,
    /// Standard error of measurement SD₁ √(1 − `r_xx`).
    pub se: f64,
    /// Standard error of the difference √(2 SE²).
    pub s_diff: f64,
    /// Critical |RCI| (1.959964 at 95%; 1.96 for [`Critical::JacobsonTruax`]).
    pub critical: f64,
    /// Where the critical value comes from.
    pub critical_rule: Critical,
    /// Smallest reliable change, critical · `S_diff`.
    pub minimum_reliable_change: f64,
    /// Whether |RCI| > critical.
    pub reliable: bool,
    /// Direction of the change by the scale's polarity.
    pub direction: ChangeDirection,
    /// Clinical-significance category, when a cutoff was given.
    pub category: Option<ClinicalCategory>,
    /// SD₁ used.
    pub sd: f64,
    /// Where SD₁ came from.
    pub sd_source: SdSource,
    /// `r_xx` used.
    pub reliability: f64,
    /// Which coefficient `r_xx` is.
    pub reliability_kind: ReliabilityKind,
    /// The reference this follows.
    pub reference: &'static str,
}

/// Jacobson-Truax reliable change index between an earlier score `x1` and a later `x2`.
///
/// ```text
/// SE = SD₁ √(1 − `r_xx`)      `S_diff` = √(2 SE²)      RCI = (x₂ − x₁) / `S_diff`
/// reliable when |RCI| > z (the criterion's critical value: z(1 − α/2), 1.959964 at 95%, or
/// Jacobson & Truax's literal 1.96);  minimum reliable change = z · `S_diff`
/// ```
///
/// With `r_xx` = 1 the difference has no measurement error: `S_diff` = 0, any change is
/// reliable and the RCI, which would be ±∞, is [`Undefined::ZeroErrorVariance`]
/// ([`Undefined::NoChangeWithPerfectReliability`] when x₂ = x₁). With a [`ClinicalCutoff`] in the
/// criterion the change is classified: recovered (reliable improvement ending strictly
/// beyond the cutoff on the functional side), improved, unchanged, deteriorated.
///
/// # Errors
/// [`Error::NonFinite`] for a NaN or infinite score; [`Error::TooLarge`] for a score beyond
/// [`crate::domain::MAGNITUDE_LIMIT`].
///
/// # Example
/// ```
/// use alliance::trend::{reliable_change, ChangeCriterion, Critical, SdSource};
/// use alliance::reliability::ReliabilityKind;
/// // WAI-SR mean score, SD 0.70, alpha .90 (illustration in the design notes)
/// let crit = ChangeCriterion::builder()
///     .sd(0.70, SdSource::Norm)
///     .reliability(0.90, ReliabilityKind::Alpha)
///     .critical(Critical::JacobsonTruax)
///     .build()?;
/// let rc = reliable_change(4.1, 3.4, &crit)?;
/// assert!((rc.s_diff - 0.313).abs() < 5e-4);
/// assert!(rc.reliable); // a drop of 0.7 exceeds 1.96 x 0.313 = 0.61
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Jacobson & Truax (1991), J. Consult. Clin. Psychol. 59:12-19; as implemented in R
/// `suddengains::define_crit1_cutoff`.
pub fn reliable_change(x1: f64, x2: f64, criterion: &ChangeCriterion) -> Result<ReliableChange> {
    // inside the domain the difference x2 - x1 cannot overflow
    crate::domain::check("score", &[x1, x2])?;
    let se = criterion.se();
    let s_diff = criterion.s_diff();
    let critical = criterion.critical_value;
    let difference = x2 - x1;
    let (rci, reliable) = if s_diff > 0.0 {
        let rci = difference / s_diff;
        if rci.is_finite() {
            (Outcome::Defined(rci), rci.abs() > critical)
        } else {
            // a difference beyond f64 (scores near ±1.8e308 of opposite sign)
            (Outcome::Undefined(Undefined::OutOfRange), true)
        }
    } else if difference != 0.0 {
        (Outcome::Undefined(Undefined::ZeroErrorVariance), true)
    } else {
        (
            Outcome::Undefined(Undefined::NoChangeWithPerfectReliability),
            false,
        )
    };
    let better = match criterion.polarity {
        Polarity::HigherIsBetter => difference,
        Polarity::LowerIsBetter => -difference,
    };
    let direction = if better > 0.0 {
        ChangeDirection::Improvement
    } else if better < 0.0 {
        ChangeDirection::Deterioration
    } else {
        ChangeDirection::NoChange
    };
    let category = criterion.cutoff.map(|c| {
        let functional = match criterion.polarity {
            Polarity::HigherIsBetter => x2 > c.value,
            Polarity::LowerIsBetter => x2 < c.value,
        };
        match (reliable, direction) {
            (true, ChangeDirection::Improvement) if functional => ClinicalCategory::Recovered,
            (true, ChangeDirection::Improvement) => ClinicalCategory::Improved,
            (true, ChangeDirection::Deterioration) => ClinicalCategory::Deteriorated,
            _ => ClinicalCategory::Unchanged,
        }
    });
    Ok(ReliableChange {
        x1,
        x2,
        difference,
        rci,
        se,
        s_diff,
        critical,
        critical_rule: criterion.critical,
        minimum_reliable_change: critical * s_diff,
        reliable,
        direction,
        category,
        sd: criterion.sd,
        sd_source: criterion.sd_source,
        reliability: criterion.reliability,
        reliability_kind: criterion.reliability_kind,
        reference: "Jacobson & Truax (1991); R suddengains::define_crit1_cutoff",
    })
}

/// Reliable change from session `from` to session `to` of a series (0-based positions).
///
/// # Errors
/// [`Error::InvalidPositions`] when a position is outside the series or `from` is not
/// before `to`; [`Error::TooLarge`] for a score beyond [`crate::domain::MAGNITUDE_LIMIT`].
///
/// # Example
/// ```
/// use alliance::trend::{reliable_change_between, ChangeCriterion, SdSource, Series};
/// use alliance::reliability::ReliabilityKind;
/// let s = Series::from_values(vec![4.0, 4.2, 3.2])?;
/// let crit = ChangeCriterion::builder()
///     .sd(0.70, SdSource::Norm)
///     .reliability(0.90, ReliabilityKind::Alpha)
///     .build()?;
/// assert!(reliable_change_between(&s, 1, 2, &crit)?.reliable);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Jacobson & Truax (1991).
pub fn reliable_change_between(
    series: &Series,
    from: usize,
    to: usize,
    criterion: &ChangeCriterion,
) -> Result<ReliableChange> {
    let n = series.len();
    let values = series.values();
    match (values.get(from), values.get(to)) {
        (Some(&x1), Some(&x2)) if from < to => reliable_change(x1, x2, criterion),
        _ => Err(Error::InvalidPositions {
            from,
            to,
            points: n,
        }),
    }
}

/// Reliable change of every later session against the first (baseline): element i is the
/// change from session 0 to session i + 1.
///
/// # Errors
/// [`Error::TooFewPoints`] for fewer than 2 points; [`Error::TooLarge`] for a score beyond
/// [`crate::domain::MAGNITUDE_LIMIT`].
///
/// # Example
/// ```
/// use alliance::trend::{reliable_change_from_baseline, ChangeCriterion, SdSource, Series};
/// use alliance::reliability::ReliabilityKind;
/// let s = Series::from_values(vec![4.0, 4.2, 3.2])?;
/// let crit = ChangeCriterion::builder()
///     .sd(0.70, SdSource::Norm)
///     .reliability(0.90, ReliabilityKind::Alpha)
///     .build()?;
/// let all = reliable_change_from_baseline(&s, &crit)?;
/// assert_eq!(all.len(), 2);
/// assert!(!all[0].reliable && all[1].reliable);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Jacobson & Truax (1991).
pub fn reliable_change_from_baseline(
    series: &Series,
    criterion: &ChangeCriterion,
) -> Result<Vec<ReliableChange>> {
    series.require(2)?;
    let values = series.values();
    let base = values[0];
    values[1..]
        .iter()
        .map(|&x| reliable_change(base, x, criterion))
        .collect()
}
