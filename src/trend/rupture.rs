//! Alliance ruptures (a session far below the client's own level) and their repairs.

use std::collections::VecDeque;

use crate::error::{Error, Result};
use crate::stats::Moments;
use crate::trend::Series;
use crate::trend::detect::Param;

/// Citation of the strict (2 SD) rupture criterion.
pub const STILES_2004: &str = "Stiles, W. B., Glick, M. J., Osatuke, K., Hardy, G. E., \
Shapiro, D. A., Agnew-Davies, R., Rees, A., & Barkham, M. (2004). Patterns of alliance \
development and the rupture-repair hypothesis. Journal of Counseling Psychology, 51(1), 81-92; \
both levels as recommended by Gumz, Braehler, Geyer & Erices (2012), BMC Medical Research \
Methodology, 12, 10";

/// Citation of the lenient (1 SD) rupture criterion.
pub const STRAUSS_2006: &str = "Strauss, J. L., Hayes, A. M., Johnson, S. L., Newman, C. F., \
Brown, G. K., Barber, J. P., Laurenceau, J.-P., & Beck, A. T. (2006). Journal of Consulting and \
Clinical Psychology, 74(2), 337-345; both levels as recommended by Gumz, Braehler, Geyer & \
Erices (2012), BMC Medical Research Methodology, 12, 10";

/// Citation of the repair rule (a V-shaped return towards the client's level).
pub const REPAIR_SOURCE: &str = "Stiles et al. (2004), Journal of Counseling Psychology, 51, \
81-92 (V-shaped rupture-repair sequences); Gumz et al. (2012), BMC Medical Research \
Methodology, 12, 10; return threshold m - 0.5 s as in the alliance crate's design notes";

/// Which of the client's other sessions a session is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum RuptureReference {
    /// The sessions before it: what was known when the session was scored. Verdicts never
    /// change as sessions are added; the monitor uses this (the default).
    Preceding,
    /// Every other session of the series, before and after (leave-one-out), as in
    /// retrospective studies of completed courses (Stiles et al. 2004; Gumz et al. 2012).
    /// Adding a session can change earlier verdicts, so the monitor does not accept it.
    AllOthers,
}

/// How far below the client's level a rupture went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum RuptureLevel {
    /// z at or below minus the lenient threshold (1 SD by default; Strauss et al. 2006) but
    /// above the strict one.
    Lenient,
    /// z at or below minus the strict threshold (2 SD by default; Stiles et al. 2004).
    Strict,
}

impl RuptureLevel {
    /// The literature source of this level's criterion.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{RuptureLevel, STILES_2004};
    /// assert_eq!(RuptureLevel::Strict.source(), STILES_2004);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn source(self) -> &'static str {
        match self {
            RuptureLevel::Lenient => STRAUSS_2006,
            RuptureLevel::Strict => STILES_2004,
        }
    }
}

/// Whether a rupture has been repaired.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum RepairStatus {
    /// Fewer than `repair_window` later sessions are known, and none has repaired it yet.
    Pending,
    /// A later session within the window reached the repair threshold.
    Repaired {
        /// 0-based position of the first session that did.
        index: usize,
        /// Its time.
        time: f64,
        /// Its score.
        score: f64,
    },
    /// All `repair_window` later sessions stayed below the repair threshold.
    Unrepaired,
}

/// The rule for ruptures and repairs, with checked parameters. Built with
/// [`RuptureRule::builder`].
///
/// ```text
/// m_t, s_t   mean and sample SD (n - 1) of the sessions BEFORE t (at least min_history)
/// s*_t       max(s_t, reference_sd)                      (floor: flat series raise nothing)
/// z_t        (x_t - m_t) / s*_t
/// rupture    z_t <= -lenient  (Lenient);  z_t <= -strict  (Strict)
/// repaired   at the first session u in t+1 ..= t+window with x_u >= m_t - fraction * s*_t
/// ```
///
/// "The other sessions" of the design notes are read causally: the sessions known when
/// session t is scored, i.e. those before it. So a verdict about session t never changes
/// when later sessions arrive, the detector applied to the first n sessions says exactly what
/// a streaming monitor said after session n, and a client's later recovery cannot hide an
/// earlier drop. Sessions are counted by position: a missed session does not widen the window.
/// [`RuptureReference::AllOthers`] gives the retrospective (leave-one-out) reading for
/// completed courses: `m_t` and `s_t` then come from every session but t.
///
/// With feature `serde` the rule serializes and deserializes; reading one runs its builder, so
/// a rule read back holds the same checks as one built.
///
/// # Example
/// ```
/// use alliance::trend::RuptureRule;
/// let rule = RuptureRule::builder().reference_sd(2.5).build()?;
/// assert_eq!(rule.thresholds().strict, 2.0);
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(try_from = "super::wire::RuptureRule"))]
pub struct RuptureRule {
    reference_sd: f64,
    lenient: f64,
    strict: f64,
    repair_window: usize,
    repair_fraction: f64,
    min_history: usize,
    reference: RuptureReference,
}

/// The lenient and strict rupture thresholds, in SD units below the client's level.
///
/// # Example
/// ```
/// use alliance::trend::RuptureRule;
/// let t = RuptureRule::builder().reference_sd(1.0).build()?.thresholds();
/// assert_eq!((t.lenient, t.strict), (1.0, 2.0));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RuptureThresholds {
    /// z at or below minus this is a lenient rupture (1 SD by default; Strauss et al. 2006).
    pub lenient: f64,
    /// z at or below minus this is a strict rupture (2 SD by default; Stiles et al. 2004).
    pub strict: f64,
}

/// Builds a [`RuptureRule`]: set the reference SD (required), change any default, then
/// [`build`](RuptureRuleBuilder::build), which checks every parameter.
///
/// | parameter | default | source |
/// |---|---|---|
/// | `reference_sd` | none: required | the instrument's between-client SD (Gumz et al. 2012) |
/// | `lenient_threshold` | 1 SD | Strauss et al. (2006) |
/// | `strict_threshold` | 2 SD | Stiles et al. (2004) |
/// | `repair_window` | 3 sessions | the crate's design notes (no published default) |
/// | `repair_fraction` | 0.5 of s* | the crate's design notes (no published default) |
/// | `min_history` | 3 sessions | the crate's choice: a client SD on at least 2 df |
/// | `reference` | [`RuptureReference::Preceding`] | the crate's choice: verdicts never change |
///
/// # Example
/// ```
/// use alliance::trend::RuptureRule;
/// let rule = RuptureRule::builder()
///     .reference_sd(2.5)
///     .lenient_threshold(1.5)
///     .strict_threshold(2.5)
///     .build()?;
/// assert_eq!(rule.thresholds().lenient, 1.5);
/// assert!(RuptureRule::builder().build().is_err()); // no reference SD
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// No serde: a builder is a step on the way; the rule it builds is what a program keeps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RuptureRuleBuilder {
    reference_sd: Option<f64>,
    lenient: f64,
    strict: f64,
    repair_window: usize,
    repair_fraction: f64,
    min_history: usize,
    reference: RuptureReference,
}

impl Default for RuptureRuleBuilder {
    fn default() -> RuptureRuleBuilder {
        RuptureRuleBuilder {
            reference_sd: None,
            lenient: 1.0,
            strict: 2.0,
            repair_window: 3,
            repair_fraction: 0.5,
            min_history: 3,
            reference: RuptureReference::Preceding,
        }
    }
}

const RUPTURE: &str = "rupture";

impl RuptureRuleBuilder {
    /// The SD that floors the client's own SD (required; no default), in score points: e.g.
    /// the SD of the instrument's normative sample (between-client variability, after Gumz et
    /// al. 2012). A flat series then raises nothing. Checked by `build`:
    /// `1e-100 <= reference_sd <= 1e100`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::RuptureRule;
    /// let rule = RuptureRule::builder().reference_sd(2.5).build()?;
    /// assert_eq!(rule.reference_sd(), 2.5);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn reference_sd(mut self, sd: f64) -> RuptureRuleBuilder {
        self.reference_sd = Some(sd);
        self
    }

    /// The lenient threshold in SD units (default 1; Strauss et al. 2006). Checked by
    /// `build`: positive.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::RuptureRule;
    /// let rule = RuptureRule::builder().reference_sd(1.0).lenient_threshold(1.5).build()?;
    /// assert_eq!(rule.thresholds().lenient, 1.5);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn lenient_threshold(mut self, sd_units: f64) -> RuptureRuleBuilder {
        self.lenient = sd_units;
        self
    }

    /// The strict threshold in SD units (default 2; Stiles et al. 2004). Checked by `build`:
    /// at least the lenient threshold.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::RuptureRule;
    /// let rule = RuptureRule::builder().reference_sd(1.0).strict_threshold(2.5).build()?;
    /// assert_eq!(rule.thresholds().strict, 2.5);
    /// assert!(RuptureRule::builder().reference_sd(1.0).strict_threshold(0.5).build().is_err());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn strict_threshold(mut self, sd_units: f64) -> RuptureRuleBuilder {
        self.strict = sd_units;
        self
    }

    /// How many sessions after a rupture may repair it (default 3; the crate's design notes).
    /// Checked by `build`: at least 1.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::RuptureRule;
    /// let rule = RuptureRule::builder().reference_sd(1.0).repair_window(2).build()?;
    /// assert_eq!(rule.repair_window(), 2);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn repair_window(mut self, sessions: usize) -> RuptureRuleBuilder {
        self.repair_window = sessions;
        self
    }

    /// The repair threshold's fraction of s*: a later score at or above `m_t - fraction *
    /// s*_t` repairs the rupture (default 0.5; the crate's design notes). Checked by `build`:
    /// non-negative.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::RuptureRule;
    /// let rule = RuptureRule::builder().reference_sd(1.0).repair_fraction(0.0).build()?;
    /// assert_eq!(rule.repair_fraction(), 0.0); // back to the client's mean itself
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn repair_fraction(mut self, fraction: f64) -> RuptureRuleBuilder {
        self.repair_fraction = fraction;
        self
    }

    /// How many other sessions (earlier ones, or all others) a session needs before it is
    /// assessed (default 3; a client SD on at least 2 df). Checked by `build`: at least 2.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::RuptureRule;
    /// let rule = RuptureRule::builder().reference_sd(1.0).min_history(2).build()?;
    /// assert_eq!(rule.min_history(), 2);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn min_history(mut self, sessions: usize) -> RuptureRuleBuilder {
        self.min_history = sessions;
        self
    }

    /// Which other sessions a session is compared with (default
    /// [`RuptureReference::Preceding`]).
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{RuptureReference, RuptureRule};
    /// let rule = RuptureRule::builder()
    ///     .reference_sd(1.0)
    ///     .reference(RuptureReference::AllOthers)
    ///     .build()?;
    /// assert_eq!(rule.reference(), RuptureReference::AllOthers);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn reference(mut self, reference: RuptureReference) -> RuptureRuleBuilder {
        self.reference = reference;
        self
    }

    /// The rule, with every parameter checked.
    ///
    /// # Errors
    /// [`Error::MissingRuleParameter`] without a reference SD;
    /// [`Error::InvalidRuleParameter`] unless `1e-100 <= reference_sd <= 1e100`,
    /// `0 < lenient_threshold <= 1e100`, `0 < strict_threshold <= 1e100` and
    /// `0 <= repair_fraction <= 1e100` (NaN is refused); [`Error::ThresholdsOutOfOrder`] when
    /// the strict threshold is below the lenient one; [`Error::TooFewSessions`] for a repair window of 0 or a minimum history
    /// below 2.
    ///
    /// # Example
    /// ```
    /// use alliance::Error;
    /// use alliance::trend::RuptureRule;
    /// let err = RuptureRule::builder().reference_sd(1.0).repair_window(0).build();
    /// assert!(matches!(err, Err(Error::TooFewSessions { needed: 1, .. })));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn build(self) -> Result<RuptureRule> {
        let sd = Param::new(RUPTURE, "reference SD");
        // bounded away from 0 so that z stays finite for any accepted score
        let reference_sd = sd.at_least(
            sd.required(self.reference_sd)?,
            1e-100,
            false,
            "between 1e-100 and 1e100 score points",
        )?;
        let lenient = Param::new(RUPTURE, "lenient threshold").at_least(
            self.lenient,
            0.0,
            true,
            "a number of SDs from 1e-100 to 1e100",
        )?;
        let strict = Param::new(RUPTURE, "strict threshold").at_least(
            self.strict,
            0.0,
            true,
            "a number of SDs from 1e-100 to 1e100",
        )?;
        if strict < lenient {
            return Err(Error::ThresholdsOutOfOrder { lenient, strict });
        }
        let repair_fraction = Param::new(RUPTURE, "repair fraction").at_least(
            self.repair_fraction,
            0.0,
            false,
            "0 or a fraction of the SD from 1e-100 to 1e100",
        )?;
        Param::new(RUPTURE, "repair window").sessions(self.repair_window, 1)?;
        Param::new(RUPTURE, "minimum history").sessions(self.min_history, 2)?;
        Ok(RuptureRule {
            reference_sd,
            lenient,
            strict,
            repair_window: self.repair_window,
            repair_fraction,
            min_history: self.min_history,
            reference: self.reference,
        })
    }
}

impl RuptureRule {
    /// A builder with the defaults of [`RuptureRuleBuilder`]; the reference SD must be set.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::RuptureRule;
    /// let rule = RuptureRule::builder().reference_sd(2.5).build()?;
    /// assert_eq!(rule.repair_window(), 3);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn builder() -> RuptureRuleBuilder {
        RuptureRuleBuilder::default()
    }

    /// Which other sessions a session is compared with.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{RuptureReference, RuptureRule};
    /// let rule = RuptureRule::builder().reference_sd(1.0).build()?;
    /// assert_eq!(rule.reference(), RuptureReference::Preceding);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn reference(&self) -> RuptureReference {
        self.reference
    }

    /// The reference SD that floors the client's own SD.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::RuptureRule;
    /// assert_eq!(RuptureRule::builder().reference_sd(2.5).build()?.reference_sd(), 2.5);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn reference_sd(&self) -> f64 {
        self.reference_sd
    }

    /// The lenient and strict thresholds in SD units.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::RuptureRule;
    /// let t = RuptureRule::builder().reference_sd(1.0).build()?.thresholds();
    /// assert_eq!((t.lenient, t.strict), (1.0, 2.0));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn thresholds(&self) -> RuptureThresholds {
        RuptureThresholds {
            lenient: self.lenient,
            strict: self.strict,
        }
    }

    /// The repair window in sessions.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::RuptureRule;
    /// assert_eq!(RuptureRule::builder().reference_sd(1.0).build()?.repair_window(), 3);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn repair_window(&self) -> usize {
        self.repair_window
    }

    /// The repair threshold's fraction of s*.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::RuptureRule;
    /// assert_eq!(RuptureRule::builder().reference_sd(1.0).build()?.repair_fraction(), 0.5);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn repair_fraction(&self) -> f64 {
        self.repair_fraction
    }

    /// Other sessions needed before a session is assessed.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::RuptureRule;
    /// assert_eq!(RuptureRule::builder().reference_sd(1.0).build()?.min_history(), 3);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn min_history(&self) -> usize {
        self.min_history
    }
}

/// One rupture: a session far below the client's level so far.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Rupture {
    /// 0-based position of the session.
    pub index: usize,
    /// Its time.
    pub time: f64,
    /// Its score `x_t`.
    pub score: f64,
    /// `m_t`: mean of the earlier sessions.
    pub baseline_mean: f64,
    /// `s_t`: sample SD of the earlier sessions, before flooring.
    pub baseline_sd: f64,
    /// `s*_t = max(s_t, reference SD)`, the SD the score is divided by.
    pub sd_used: f64,
    /// How many other sessions `m_t` and `s_t` rest on (the earlier ones, or all others).
    pub baseline_n: usize,
    /// `z_t = (x_t - m_t) / s*_t`.
    pub z: f64,
    /// Depth below the client's level, `m_t - x_t` (in score points).
    pub depth: f64,
    /// The most severe level reached.
    pub level: RuptureLevel,
    /// A later score at or above `m_t - fraction * s*_t` repairs the rupture.
    pub repair_threshold: f64,
    /// Whether it has been repaired.
    pub repair: RepairStatus,
}

/// All ruptures in a series. Serializes; does not deserialize (a result is computed, not
/// read).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Ruptures {
    /// The ruptures, in session order.
    pub ruptures: Vec<Rupture>,
    /// Sessions in the series (points of the [`Series`]).
    pub n: usize,
    /// Sessions that had enough history to be assessed.
    pub assessed: usize,
    /// The rule applied.
    pub rule: RuptureRule,
}

/// Ruptures and repairs in a client's series of alliance scores.
///
/// ```text
/// m_t, s_t   mean and sample SD of x_0 .. x_{t-1}   (sessions before t, >= min_history)
/// z_t        (x_t - m_t) / max(s_t, reference_sd)
/// rupture    z_t <= -1 (lenient) or <= -2 (strict, default thresholds)
/// repaired   first u in t+1 ..= t+3 with x_u >= m_t - 0.5 max(s_t, reference_sd)
/// ```
/// See [`RuptureRule`] for why "other sessions" means earlier sessions by default. Applied to
/// the first n sessions of a course it says exactly what [`crate::monitor::Monitor`] said
/// after session n. With [`RuptureReference::AllOthers`], `m_t` and `s_t` are the leave-one-out
/// mean and SD over all other sessions of the series (retrospective analysis).
///
/// # Errors
/// None on a [`Series`](crate::trend::Series), whose values are inside [`crate::domain`]; the
/// `Result` is the one shape every statistic has.
///
/// # Example
/// ```
/// use alliance::trend::{ruptures, RepairStatus, RuptureLevel, RuptureRule, Series};
/// let s = Series::from_values(vec![30.0, 31.0, 30.0, 31.0, 24.0, 29.0, 31.0])?;
/// let found = ruptures(&s, &RuptureRule::builder().reference_sd(1.0).build()?)?;
/// let r = &found.ruptures[0];
/// assert_eq!((r.index, r.level), (4, RuptureLevel::Strict));
/// assert!(matches!(r.repair, RepairStatus::Repaired { index: 6, .. }));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Stiles et al. (2004), J. Counseling Psychology 51, 81-92 (2 SD); Strauss et al. (2006),
/// J. Consulting and Clinical Psychology 74, 337-345 (1 SD); Gumz et al. (2012), BMC Medical
/// Research Methodology 12, 10 (report both; floor by between-client variability). No
/// reference implementation exists; the hand-worked cases are in
/// `tests/reference/detectors_ruptures.json`.
pub fn ruptures(series: &Series, rule: &RuptureRule) -> Result<Ruptures> {
    if rule.reference == RuptureReference::AllOthers {
        return Ok(ruptures_all_others(series, rule));
    }
    let mut tracker = RuptureTracker::default();
    let mut found: Vec<Rupture> = Vec::new();
    for (index, (&time, &score)) in series.times().iter().zip(series.values()).enumerate() {
        tracker.push(rule, index, time, score, |event| match event {
            RuptureEvent::Opened(r) => found.push(r),
            RuptureEvent::Resolved(r) => {
                if let Ok(i) = found.binary_search_by_key(&r.index, |f| f.index) {
                    found[i] = r;
                }
            }
        });
    }
    Ok(Ruptures {
        ruptures: found,
        n: series.len(),
        assessed: tracker.assessed,
        rule: *rule,
    })
}

/// Leave-one-out ruptures over the whole series ([`RuptureReference::AllOthers`]): the mean
/// and SD without session t come from the full-series moments by removing `x_t`.
fn ruptures_all_others(series: &Series, rule: &RuptureRule) -> Ruptures {
    let (times, xs) = (series.times(), series.values());
    let n = xs.len();
    let mut found = Vec::new();
    let others = n.saturating_sub(1);
    let (Some(mean), true) = (crate::stats::mean(xs), others >= rule.min_history) else {
        return Ruptures {
            ruptures: found,
            n,
            assessed: 0,
            rule: *rule,
        };
    };
    let m2 = crate::stats::sum_sq_dev(xs, mean);
    for (index, (&time, &score)) in times.iter().zip(xs).enumerate() {
        // removing x from n values: mean' = mean + (mean - x)/(n - 1),
        // M2' = M2 - (x - mean)(x - mean')  (Welford's update run backwards)
        let m = mean + (mean - score) / others as f64;
        let ss = (m2 - (score - mean) * (score - m)).max(0.0);
        let s = (ss / (others - 1) as f64).sqrt();
        let s_used = s.max(rule.reference_sd);
        let z = (score - m) / s_used;
        let level = if z <= -rule.strict {
            RuptureLevel::Strict
        } else if z <= -rule.lenient {
            RuptureLevel::Lenient
        } else {
            continue;
        };
        let repair_threshold = m - rule.repair_fraction * s_used;
        let last = index.saturating_add(rule.repair_window).min(n - 1);
        let repaired =
            (index + 1..=last).find(|&u| xs.get(u).is_some_and(|&x| x >= repair_threshold));
        let repair = match repaired {
            Some(u) => RepairStatus::Repaired {
                index: u,
                time: times.get(u).copied().unwrap_or(time),
                score: xs.get(u).copied().unwrap_or(score),
            },
            None if index.saturating_add(rule.repair_window) < n => RepairStatus::Unrepaired,
            None => RepairStatus::Pending,
        };
        found.push(Rupture {
            index,
            time,
            score,
            baseline_mean: m,
            baseline_sd: s,
            sd_used: s_used,
            baseline_n: others,
            z,
            depth: m - score,
            level,
            repair_threshold,
            repair,
        });
    }
    Ruptures {
        ruptures: found,
        n,
        assessed: n,
        rule: *rule,
    }
}

/// What one session did to the ruptures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum RuptureEvent {
    /// A new rupture at this session (repair pending).
    Opened(Rupture),
    /// An earlier rupture was repaired by this session, or its window closed unrepaired.
    Resolved(Rupture),
}

/// Streaming state of the rupture detector: O(1) per session, plus the open ruptures (at most
/// `repair_window` of them).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RuptureTracker {
    pub(crate) history: Moments,
    pub(crate) open: VecDeque<Rupture>,
    pub(crate) assessed: usize,
}

impl RuptureTracker {
    /// Feeds session `index`; events come out in order: repairs and closed windows of earlier
    /// ruptures (oldest first), then a rupture at this session.
    pub(crate) fn push(
        &mut self,
        rule: &RuptureRule,
        index: usize,
        time: f64,
        score: f64,
        mut emit: impl FnMut(RuptureEvent),
    ) {
        // Resolve open ruptures; they are in session order, so the oldest closes first.
        let mut k = 0;
        while k < self.open.len() {
            let Some(r) = self.open.get(k).copied() else {
                break;
            };
            let repaired = score >= r.repair_threshold;
            let closed = index >= r.index.saturating_add(rule.repair_window);
            if repaired || closed {
                let mut done = r;
                done.repair = if repaired {
                    RepairStatus::Repaired { index, time, score }
                } else {
                    RepairStatus::Unrepaired
                };
                self.open.remove(k);
                emit(RuptureEvent::Resolved(done));
            } else {
                k += 1;
            }
        }
        if self.history.n >= rule.min_history {
            self.assessed += 1;
            let m = self.history.mean;
            let s = self.history.sd().unwrap_or(0.0);
            let s_used = s.max(rule.reference_sd);
            let z = (score - m) / s_used;
            let level = if z <= -rule.strict {
                Some(RuptureLevel::Strict)
            } else if z <= -rule.lenient {
                Some(RuptureLevel::Lenient)
            } else {
                None
            };
            if let Some(level) = level {
                let r = Rupture {
                    index,
                    time,
                    score,
                    baseline_mean: m,
                    baseline_sd: s,
                    sd_used: s_used,
                    baseline_n: self.history.n,
                    z,
                    depth: m - score,
                    level,
                    repair_threshold: m - rule.repair_fraction * s_used,
                    repair: RepairStatus::Pending,
                };
                self.open.push_back(r);
                emit(RuptureEvent::Opened(r));
            }
        }
        self.history.push(score);
    }
}
