//! PCOMS-style session alerts: a session score below a cutoff, or a drop from the previous
//! session (the alert rules `OpenFIT` documents for the Session Rating Scale).

use crate::error::Result;
use crate::trend::Series;
use crate::trend::rupture::{check_at_least, check_bounded, check_magnitude};

/// Citation of the PCOMS session rules.
pub const PCOMS_SOURCE: &str = "Duncan, B. L., Miller, S. D., Sparks, J. A., Claud, D. A., \
Reynolds, L. R., Brown, J., & Johnson, L. D. (2003). The Session Rating Scale. Journal of Brief \
Therapy, 3(1), 3-12 (cutoff 36 of 40); alert rules as documented by OpenFIT (support.openfit.care, \
article 204000069702): below the cutoff, or at least 1 point below the previous session";

/// True when `from - to >= threshold`, allowing for the rounding of decimal scores: a
/// difference of two scores of magnitude M carries an error of about 1e-16 M, so 36.9 - 35.9
/// (0.99999999999999645 in binary) counts as a 1-point drop. The slack is 1e-12 M, far below
/// any scale's resolution.
pub(crate) fn at_least(from: f64, to: f64, threshold: f64) -> bool {
    let slack = 1e-12 * from.abs().max(to.abs());
    from - to >= threshold - slack
}

/// The session rules, with checked parameters.
///
/// ```text
/// BelowCutoff        x_t < cutoff
/// DropFromPrevious   x_{t-1} - x_t >= drop          (t >= 1)
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PcomsRule {
    cutoff: f64,
    drop: f64,
}

impl PcomsRule {
    /// Rules with the given cutoff (36 for the 0-40 Session Rating Scale) and a 1-point drop.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) unless
    /// `|cutoff| <= 1e100`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::PcomsRule;
    /// let rule = PcomsRule::new(36.0)?.with_drop(2.0)?;
    /// assert_eq!((rule.cutoff(), rule.drop()), (36.0, 2.0));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(cutoff: f64) -> Result<PcomsRule> {
        Ok(PcomsRule {
            cutoff: check_bounded("cutoff", cutoff)?,
            drop: 1.0,
        })
    }

    /// Sets the drop (in points) from the previous session that raises an alert.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter) unless
    /// `0 < drop <= 1e100`.
    pub fn with_drop(mut self, drop: f64) -> Result<PcomsRule> {
        self.drop = check_at_least("drop", drop, 0.0, true, "positive and at most 1e100")?;
        Ok(self)
    }

    /// The cutoff.
    pub fn cutoff(&self) -> f64 {
        self.cutoff
    }

    /// The drop from the previous session.
    pub fn drop(&self) -> f64 {
        self.drop
    }
}

/// Which PCOMS rule a session broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum PcomsKind {
    /// The score is below the cutoff.
    BelowCutoff,
    /// The score fell by at least the drop since the previous session.
    DropFromPrevious,
}

/// One broken rule at one session.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
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
    /// The previous session's score (for a drop).
    pub previous: Option<f64>,
    /// The threshold: the cutoff, or the drop in points.
    pub threshold: f64,
}

/// All PCOMS flags of a series.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct PcomsFlags {
    /// The flags in session order; at one session `BelowCutoff` comes before `DropFromPrevious`.
    pub flags: Vec<PcomsFlag>,
    /// The rule applied.
    pub rule: PcomsRule,
}

/// PCOMS-style flags: every session below the cutoff, and every drop of at least `drop`
/// points from the previous session.
///
/// ```text
/// BelowCutoff at t        x_t < cutoff
/// DropFromPrevious at t   x_{t-1} - x_t >= drop   (decimal rounding allowed for, 1e-12 relative)
/// ```
///
/// # Errors
/// [`Error::TooLarge`](crate::Error::TooLarge) for a score beyond ±1e100.
///
/// # Example
/// ```
/// use alliance::trend::{pcoms_flags, PcomsKind, PcomsRule, Series};
/// let s = Series::from_values(vec![38.0, 37.5, 36.9, 35.9])?;
/// let f = pcoms_flags(&s, &PcomsRule::new(36.0)?)?;
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
    check_magnitude("score", series.values())?;
    let mut tracker = PcomsTracker::default();
    let mut flags = Vec::new();
    for (index, (&time, &score)) in series.times().iter().zip(series.values()).enumerate() {
        tracker.push(rule, index, time, score, |f| flags.push(f));
    }
    Ok(PcomsFlags { flags, rule: *rule })
}

/// Streaming state: the previous score.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct PcomsTracker {
    previous: Option<f64>,
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
