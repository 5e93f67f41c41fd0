//! Reliable change (Jacobson & Truax 1991) and clinical-significance categories.

use super::Series;
use crate::Level;
use crate::error::{Error, Result};
use crate::instrument::ReliabilityKind;
use crate::outcome::{Outcome, Undefined};
use crate::stats;

/// Where the standard deviation SD₁ comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum SdSource {
    /// A published normative (reference) sample.
    Norm,
    /// The study's own pre-treatment sample, SD with the n − 1 denominator.
    Sample,
}

/// Which way is better on the scale (alliance scores: higher).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
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
#[non_exhaustive]
pub struct ClinicalCutoff {
    /// The cutoff score.
    pub value: f64,
    /// Which Jacobson-Truax rule produced it, if any (`None` when given directly).
    pub rule: Option<CutoffRule>,
}

/// Jacobson-Truax cutoff rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum CutoffRule {
    /// a: two clinical SDs beyond the clinical mean, towards the functional side.
    A,
    /// b: two functional SDs from the functional mean, towards the clinical side.
    B,
    /// c: the point equally far, in SD units, from both means.
    C,
}

impl ClinicalCutoff {
    /// A cutoff given directly (e.g. a published one).
    ///
    /// # Errors
    /// [`Error::NonFinite`] for NaN or infinity.
    pub fn new(value: f64) -> Result<ClinicalCutoff> {
        stats::check_finite("clinical cutoff", &[value])?;
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
    /// [`Error::NonFinite`] for a NaN or infinite input; [`Error::InvalidParameter`] for an SD
    /// that is not positive.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{ClinicalCutoff, CutoffRule, Polarity};
    /// let c = ClinicalCutoff::jacobson_truax(CutoffRule::C, 20.0, 5.0, 30.0, 5.0,
    ///                                        Polarity::HigherIsBetter)?;
    /// assert_eq!(c.value, 25.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    ///
    /// # References
    /// Jacobson & Truax (1991), J. Consult. Clin. Psychol. 59:12-19.
    pub fn jacobson_truax(
        rule: CutoffRule,
        clinical_mean: f64,
        clinical_sd: f64,
        functional_mean: f64,
        functional_sd: f64,
        polarity: Polarity,
    ) -> Result<ClinicalCutoff> {
        stats::check_finite(
            "clinical cutoff input",
            &[clinical_mean, clinical_sd, functional_mean, functional_sd],
        )?;
        for (name, sd) in [
            ("clinical SD", clinical_sd),
            ("functional SD", functional_sd),
        ] {
            if sd <= 0.0 {
                return Err(Error::InvalidParameter {
                    name,
                    value: sd,
                    expected: "positive",
                });
            }
        }
        let sign = match polarity {
            Polarity::HigherIsBetter => 1.0,
            Polarity::LowerIsBetter => -1.0,
        };
        let value = match rule {
            CutoffRule::A => clinical_mean + sign * 2.0 * clinical_sd,
            CutoffRule::B => functional_mean - sign * 2.0 * functional_sd,
            CutoffRule::C => {
                (clinical_sd * functional_mean + functional_sd * clinical_mean)
                    / (clinical_sd + functional_sd)
            }
        };
        Ok(ClinicalCutoff {
            value,
            rule: Some(rule),
        })
    }
}

/// What the reliable change index rests on: SD₁, `r_xx`, their sources, the criterion level
/// and the scale's polarity. Checked once at construction.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ChangeCriterion {
    sd: f64,
    sd_source: SdSource,
    reliability: f64,
    reliability_kind: ReliabilityKind,
    level: Level,
    polarity: Polarity,
    cutoff: Option<ClinicalCutoff>,
}

impl ChangeCriterion {
    /// A criterion from SD₁ and `r_xx`, at the 95% level, higher scores better, no cutoff.
    ///
    /// # Errors
    /// [`Error::NonFinite`] for NaN or infinite inputs; [`Error::InvalidParameter`] when
    /// `sd` is not positive or `reliability` lies outside [0, 1].
    pub fn new(
        sd: f64,
        sd_source: SdSource,
        reliability: f64,
        reliability_kind: ReliabilityKind,
    ) -> Result<ChangeCriterion> {
        stats::check_finite("reliable change input", &[sd, reliability])?;
        if sd <= 0.0 {
            return Err(Error::InvalidParameter {
                name: "SD",
                value: sd,
                expected: "positive",
            });
        }
        if !(0.0..=1.0).contains(&reliability) {
            return Err(Error::InvalidParameter {
                name: "reliability",
                value: reliability,
                expected: "within [0, 1]",
            });
        }
        Ok(ChangeCriterion {
            sd,
            sd_source,
            reliability,
            reliability_kind,
            level: Level::NINETY_FIVE,
            polarity: Polarity::HigherIsBetter,
            cutoff: None,
        })
    }

    /// Judge |RCI| against the two-sided normal quantile at this level (default 0.95, i.e.
    /// 1.959964; Jacobson & Truax round it to 1.96).
    pub fn with_level(mut self, level: Level) -> Self {
        self.level = level;
        self
    }

    /// Which way is better on the scale.
    pub fn with_polarity(mut self, polarity: Polarity) -> Self {
        self.polarity = polarity;
        self
    }

    /// Classify clinical significance against this cutoff.
    pub fn with_cutoff(mut self, cutoff: ClinicalCutoff) -> Self {
        self.cutoff = Some(cutoff);
        self
    }

    /// SE of measurement SD₁ √(1 − `r_xx`).
    pub fn se(&self) -> f64 {
        self.sd * (1.0 - self.reliability).sqrt()
    }

    /// SD of a difference, √2 · SE.
    pub fn s_diff(&self) -> f64 {
        std::f64::consts::SQRT_2 * self.se()
    }
}

/// The reliable change between two scores.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct ReliableChange {
    /// Earlier score.
    pub x1: f64,
    /// Later score.
    pub x2: f64,
    /// x2 − x1.
    pub difference: f64,
    /// RCI = (x2 − x1)/`S_diff`; ±∞ when `r_xx` = 1 and the scores differ, undefined
    /// ([`Undefined::NoChangeWithPerfectReliability`]) when `r_xx` = 1 and they are equal.
    pub rci: Outcome,
    /// Standard error of measurement SD₁ √(1 − `r_xx`).
    pub se: f64,
    /// Standard error of the difference √(2 SE²).
    pub s_diff: f64,
    /// Critical |RCI| (1.959964 at 95%).
    pub critical: f64,
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
/// reliable when |RCI| > z(1 − α/2) (1.96 at 95%);  minimum reliable change = z · `S_diff`
/// ```
///
/// With `r_xx` = 1 the difference has no measurement error: `S_diff` = 0, any change is
/// reliable and the RCI is ±∞ (undefined when x₂ = x₁). With a [`ClinicalCutoff`] in the
/// criterion the change is classified: recovered (reliable improvement ending strictly
/// beyond the cutoff on the functional side), improved, unchanged, deteriorated.
///
/// # Errors
/// [`Error::NonFinite`] for a NaN or infinite score.
///
/// # Example
/// ```
/// use alliance::trend::{reliable_change, ChangeCriterion, SdSource};
/// use alliance::ReliabilityKind;
/// // WAI-SR mean score, SD 0.70, alpha .90 (illustration in the design notes)
/// let crit = ChangeCriterion::new(0.70, SdSource::Norm, 0.90, ReliabilityKind::Alpha)?;
/// let rc = reliable_change(4.1, 3.4, &crit)?;
/// assert!((rc.s_diff - 0.313).abs() < 5e-4);
/// assert!(rc.reliable); // a drop of 0.7 exceeds 0.61
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Jacobson & Truax (1991), J. Consult. Clin. Psychol. 59:12-19; as implemented in R
/// `suddengains::define_crit1_cutoff`.
pub fn reliable_change(x1: f64, x2: f64, criterion: &ChangeCriterion) -> Result<ReliableChange> {
    stats::check_finite("score", &[x1, x2])?;
    let se = criterion.se();
    let s_diff = criterion.s_diff();
    let critical = crate::stats::z_two_sided(criterion.level)?;
    let difference = x2 - x1;
    let rci = if s_diff > 0.0 {
        Outcome::Defined(difference / s_diff)
    } else if difference != 0.0 {
        Outcome::Defined(f64::INFINITY.copysign(difference))
    } else {
        Outcome::Undefined(Undefined::NoChangeWithPerfectReliability)
    };
    let reliable = rci.value().is_some_and(|r| r.abs() > critical);
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
/// [`Error::InvalidParameter`] when a position is outside the series or `from` is not
/// before `to`.
///
/// # Example
/// ```
/// use alliance::trend::{reliable_change_between, ChangeCriterion, SdSource, Series};
/// use alliance::ReliabilityKind;
/// let s = Series::from_values(vec![4.0, 4.2, 3.2])?;
/// let crit = ChangeCriterion::new(0.70, SdSource::Norm, 0.90, ReliabilityKind::Alpha)?;
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
        _ => Err(Error::InvalidParameter {
            name: if from < n && to < n {
                "session order"
            } else {
                "session position"
            },
            value: if from < n { to as f64 } else { from as f64 },
            expected: "positions within the series with from before to",
        }),
    }
}

/// Reliable change of every later session against the first (baseline): element i is the
/// change from session 0 to session i + 1.
///
/// # Errors
/// [`Error::TooFew`] for fewer than 2 points.
///
/// # Example
/// ```
/// use alliance::trend::{reliable_change_from_baseline, ChangeCriterion, SdSource, Series};
/// use alliance::ReliabilityKind;
/// let s = Series::from_values(vec![4.0, 4.2, 3.2])?;
/// let crit = ChangeCriterion::new(0.70, SdSource::Norm, 0.90, ReliabilityKind::Alpha)?;
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
