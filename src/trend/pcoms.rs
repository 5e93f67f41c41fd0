//! PCOMS-style session alerts: a session score below a cutoff, or a drop from the previous
//! session (the alert rules `OpenFIT` documents for the Session Rating Scale).

use crate::error::Result;
use crate::trend::Series;
use crate::trend::detect::{Param, at_least};

/// Citation of the PCOMS session rules.
pub const PCOMS_SOURCE: &str = "Duncan, B. L., Miller, S. D., Sparks, J. A., Claud, D. A., \
Reynolds, L. R., Brown, J., & Johnson, L. D. (2003). The Session Rating Scale. Journal of Brief \
Therapy, 3(1), 3-12 (cutoff 36 of 40); alert rules as documented by OpenFIT (support.openfit.care, \
article 204000069702): below the cutoff, or at least 1 point below the previous session";

/// The session rules, with checked parameters. Built with [`PcomsRule::builder`].
///
/// ```text
/// BelowCutoff        x_t < cutoff
/// DropFromPrevious   x_{t-1} - x_t >= min_drop          (t >= 1)
/// ```
///
/// With feature `serde` the rule serializes and deserializes; reading one runs its builder, so
/// a rule read back holds the same checks as one built.
///
/// # Example
/// ```
/// use alliance::trend::PcomsRule;
/// let rule = PcomsRule::builder().cutoff(36.0).build()?;
/// assert_eq!((rule.cutoff(), rule.min_drop()), (36.0, 1.0));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(try_from = "super::wire::PcomsRule"))]
pub struct PcomsRule {
    cutoff: f64,
    drop: f64,
}

/// Builds a [`PcomsRule`]: set the cutoff (required), change the drop if needed, then
/// [`build`](PcomsRuleBuilder::build).
///
/// | parameter | default | source |
/// |---|---|---|
/// | `cutoff` | none: required | 36 for the 0-40 Session Rating Scale (Duncan et al. 2003); other scales have their own |
/// | `min_drop` | 1 point | `OpenFIT`'s documented alert rule (a drop of at least 1 point from the previous session) |
///
/// # Example
/// ```
/// use alliance::trend::PcomsRule;
/// let rule = PcomsRule::builder().cutoff(36.0).min_drop(2.0).build()?;
/// assert_eq!((rule.cutoff(), rule.min_drop()), (36.0, 2.0));
/// assert!(PcomsRule::builder().build().is_err()); // no cutoff
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// No serde: a builder is a step on the way; the rule it builds is what a program keeps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PcomsRuleBuilder {
    cutoff: Option<f64>,
    drop: f64,
}

impl Default for PcomsRuleBuilder {
    fn default() -> PcomsRuleBuilder {
        PcomsRuleBuilder {
            cutoff: None,
            drop: 1.0,
        }
    }
}

const PCOMS: &str = "PCOMS";

impl PcomsRuleBuilder {
    /// The cutoff: a session scored below it raises an alert (required; 36 for the 0-40
    /// Session Rating Scale, Duncan et al. 2003). Checked by `build`: `|cutoff| <= 1e100`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::PcomsRule;
    /// assert_eq!(PcomsRule::builder().cutoff(36.0).build()?.cutoff(), 36.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn cutoff(mut self, cutoff: f64) -> PcomsRuleBuilder {
        self.cutoff = Some(cutoff);
        self
    }

    /// The smallest fall from the previous session, in points, that raises an alert (default
    /// 1; `OpenFIT`). Checked by `build`: `0 < min_drop <= 1e100`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::PcomsRule;
    /// assert_eq!(PcomsRule::builder().cutoff(36.0).min_drop(2.0).build()?.min_drop(), 2.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn min_drop(mut self, points: f64) -> PcomsRuleBuilder {
        self.drop = points;
        self
    }

    /// The rule, with every parameter checked.
    ///
    /// # Errors
    /// [`Error::MissingRuleParameter`](crate::Error::MissingRuleParameter) without a cutoff;
    /// [`Error::InvalidRuleParameter`](crate::Error::InvalidRuleParameter) unless
    /// `|cutoff| <= 1e100` and `0 < min_drop <= 1e100`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::PcomsRule;
    /// assert!(PcomsRule::builder().cutoff(36.0).min_drop(0.0).build().is_err());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn build(self) -> Result<PcomsRule> {
        let cutoff = Param::new(PCOMS, "cutoff");
        Ok(PcomsRule {
            cutoff: cutoff.bounded(cutoff.required(self.cutoff)?)?,
            drop: Param::new(PCOMS, "minimum drop").at_least(
                self.drop,
                0.0,
                true,
                "a number of score points from 1e-100 to 1e100",
            )?,
        })
    }
}

impl PcomsRule {
    /// A builder with the defaults of [`PcomsRuleBuilder`]; the cutoff must be set.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::PcomsRule;
    /// assert_eq!(PcomsRule::builder().cutoff(36.0).build()?.min_drop(), 1.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn builder() -> PcomsRuleBuilder {
        PcomsRuleBuilder::default()
    }

    /// The cutoff.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::PcomsRule;
    /// assert_eq!(PcomsRule::builder().cutoff(36.0).build()?.cutoff(), 36.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn cutoff(&self) -> f64 {
        self.cutoff
    }

    /// The smallest fall from the previous session that raises an alert, in points.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::PcomsRule;
    /// assert_eq!(PcomsRule::builder().cutoff(36.0).build()?.min_drop(), 1.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn min_drop(&self) -> f64 {
        self.drop
    }
}

/// Which PCOMS rule a session broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum PcomsKind {
    /// The score is below the cutoff.
    BelowCutoff,
    /// The score fell by at least the drop since the previous session.
    DropFromPrevious,
}

/// One broken rule at one session.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PcomsFlag {
    /// The rule broken.
    pub kind: PcomsKind,
    /// 0-based position of the session.
    pub index: usize,
    /// Its time.
    pub time: f64,
    /// Its score.
    pub score: f64,
    /// The previous session's score; `None` at the first session, which has none (a missing
    /// datum, not an undefined statistic, so it stays an `Option`).
    pub previous: Option<f64>,
    /// The threshold: the cutoff, or the minimum drop in points.
    pub threshold: f64,
}

/// All PCOMS flags of a series. Serializes; does not deserialize (a result is computed, not
/// read).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PcomsFlags {
    /// The flags in session order; at one session `BelowCutoff` comes before `DropFromPrevious`.
    pub flags: Vec<PcomsFlag>,
    /// Sessions in the series (points of the [`Series`]).
    pub n: usize,
    /// The rule applied.
    pub rule: PcomsRule,
}

/// PCOMS-style flags: every session below the cutoff, and every drop of at least `min_drop`
/// points from the previous session.
///
/// ```text
/// BelowCutoff at t        x_t < cutoff
/// DropFromPrevious at t   x_{t-1} - x_t >= min_drop   (decimal rounding allowed for, 1e-12 relative)
/// ```
///
/// # Errors
/// [`Error::TooLarge`](crate::Error::TooLarge) for a score beyond ±1e100.
///
/// # Example
/// ```
/// use alliance::trend::{pcoms_flags, PcomsKind, PcomsRule, Series};
/// let s = Series::from_values(vec![38.0, 37.5, 36.9, 35.9])?;
/// let f = pcoms_flags(&s, &PcomsRule::builder().cutoff(36.0).build()?)?;
/// assert_eq!(f.flags.len(), 2);
/// assert_eq!(f.flags[0].kind, PcomsKind::BelowCutoff);
/// assert_eq!(f.flags[1].kind, PcomsKind::DropFromPrevious); // 36.9 -> 35.9 is 1 point
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Duncan et al. (2003), Journal of Brief Therapy 3, 3-12 (SRS cutoff 36); `OpenFIT`'s
/// documented alert rules (support.openfit.care, article 204000069702).
pub fn pcoms_flags(series: &Series, rule: &PcomsRule) -> Result<PcomsFlags> {
    crate::domain::check("score", series.values())?;
    let mut tracker = PcomsTracker::default();
    let mut flags = Vec::new();
    for (index, (&time, &score)) in series.times().iter().zip(series.values()).enumerate() {
        tracker.push(rule, index, time, score, |f| flags.push(f));
    }
    Ok(PcomsFlags {
        flags,
        n: series.len(),
        rule: *rule,
    })
}

/// Streaming state: the previous score.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct PcomsTracker {
    pub(crate) previous: Option<f64>,
}

impl PcomsTracker {
    pub(crate) fn push(
        &mut self,
        rule: &PcomsRule,
        index: usize,
        time: f64,
        score: f64,
        mut emit: impl FnMut(PcomsFlag),
    ) {
        if score < rule.cutoff {
            emit(PcomsFlag {
                kind: PcomsKind::BelowCutoff,
                index,
                time,
                score,
                previous: self.previous,
                threshold: rule.cutoff,
            });
        }
        if let Some(previous) = self.previous
            && at_least(previous, score, rule.drop)
        {
            emit(PcomsFlag {
                kind: PcomsKind::DropFromPrevious,
                index,
                time,
                score,
                previous: Some(previous),
                threshold: rule.drop,
            });
        }
        self.previous = Some(score);
    }
}
