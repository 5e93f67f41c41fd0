//! Alliance ruptures (a session far below the client's own level) and their repairs.
//!
//! Also home to the small helpers the change detectors share: the magnitude guard, parameter
//! checks and running moments.

use std::collections::VecDeque;

use crate::error::{Error, Result};
use crate::trend::Series;

/// Largest magnitude accepted for a score, a time or a scale parameter. Far above any alliance
/// scale, and low enough that no sum of squares the detectors keep can overflow, so no
/// detector can produce NaN or infinity from finite input.
pub const MAGNITUDE_LIMIT: f64 = 1e100;

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

/// Errors with [`Error::TooLarge`] for the first value beyond [`MAGNITUDE_LIMIT`].
pub(crate) fn check_magnitude(what: &'static str, xs: &[f64]) -> Result<()> {
    match xs.iter().position(|x| x.abs() > MAGNITUDE_LIMIT) {
        Some(index) => Err(Error::TooLarge {
            what,
            index,
            value: xs[index],
            limit: MAGNITUDE_LIMIT,
        }),
        None => Ok(()),
    }
}

/// A finite parameter within `lo..=MAGNITUDE_LIMIT` (`lo` excluded when `strict`).
pub(crate) fn check_at_least(
    name: &'static str,
    value: f64,
    lo: f64,
    strict: bool,
    expected: &'static str,
) -> Result<f64> {
    let above = if strict { value > lo } else { value >= lo };
    let valid = above && value <= MAGNITUDE_LIMIT;
    if valid {
        Ok(value)
    } else {
        Err(Error::InvalidParameter {
            name,
            value,
            expected,
        })
    }
}

/// A finite parameter of magnitude at most [`MAGNITUDE_LIMIT`].
pub(crate) fn check_bounded(name: &'static str, value: f64) -> Result<f64> {
    if value.abs() <= MAGNITUDE_LIMIT {
        Ok(value)
    } else {
        Err(Error::InvalidParameter {
            name,
            value,
            expected: "finite, of magnitude at most 1e100",
        })
    }
}

/// Running count, mean and sum of squared deviations (Welford 1962): stable in one pass, and
/// exact for a constant series (every deviation is exactly zero).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Moments {
    pub(crate) n: usize,
    pub(crate) mean: f64,
    pub(crate) m2: f64,
}

impl Moments {
    pub(crate) fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    /// Sample SD (n - 1); `None` below two values.
    pub(crate) fn sd(&self) -> Option<f64> {
        if self.n < 2 {
            None
        } else {
            Some((self.m2.max(0.0) / (self.n - 1) as f64).sqrt())
        }
    }
}

/// Which of the client's other sessions a session is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
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
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
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
    pub fn source(self) -> &'static str {
        match self {
            RuptureLevel::Lenient => STRAUSS_2006,
            RuptureLevel::Strict => STILES_2004,
        }
    }
}

/// Whether a rupture has been repaired.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
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

/// The rule for ruptures and repairs, with checked parameters.
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
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RuptureRule {
    reference_sd: f64,
    lenient: f64,
    strict: f64,
    repair_window: usize,
    repair_fraction: f64,
    min_history: usize,
    reference: RuptureReference,
}

impl RuptureRule {
    /// The default rule (thresholds 1 and 2 SD, repair within 3 sessions to at least
    /// m - 0.5 s, at least 3 earlier sessions) with the given reference SD, e.g. the SD of the
    /// instrument's normative sample (between-client variability, after Gumz et al. 2012).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `1e-100 <= reference_sd <= 1e100`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::RuptureRule;
    /// let rule = RuptureRule::new(2.5)?.with_thresholds(1.5, 2.5)?;
    /// assert_eq!(rule.thresholds(), (1.5, 2.5));
    /// assert!(RuptureRule::new(0.0).is_err());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(reference_sd: f64) -> Result<RuptureRule> {
        // bounded away from 0 so that z stays finite for any accepted score
        let reference_sd = check_at_least(
            "reference SD",
            reference_sd,
            1e-100,
            false,
            "between 1e-100 and 1e100",
        )?;
        Ok(RuptureRule {
            reference_sd,
            lenient: 1.0,
            strict: 2.0,
            repair_window: 3,
            repair_fraction: 0.5,
            min_history: 3,
            reference: RuptureReference::Preceding,
        })
    }

    /// Sets the lenient and strict thresholds in SD units.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `0 < lenient <= strict <= 1e100`.
    pub fn with_thresholds(mut self, lenient: f64, strict: f64) -> Result<RuptureRule> {
        self.lenient = check_at_least("lenient threshold", lenient, 0.0, true, "positive")?;
        self.strict = check_at_least(
            "strict threshold",
            strict,
            lenient,
            false,
            "at least the lenient threshold",
        )?;
        Ok(self)
    }

    /// Sets the repair window (sessions after the rupture) and the fraction of s*.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `window >= 1` and `0 <= fraction <= 1e100`.
    pub fn with_repair(mut self, window: usize, fraction: f64) -> Result<RuptureRule> {
        if window == 0 {
            return Err(Error::InvalidParameter {
                name: "repair window",
                value: 0.0,
                expected: "at least 1 session",
            });
        }
        self.repair_fraction =
            check_at_least("repair fraction", fraction, 0.0, false, "non-negative")?;
        self.repair_window = window;
        Ok(self)
    }

    /// Sets how many other sessions (earlier ones, or all others) a session needs before it
    /// is assessed.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when below 2 (a SD needs two sessions).
    pub fn with_min_history(mut self, sessions: usize) -> Result<RuptureRule> {
        if sessions < 2 {
            return Err(Error::InvalidParameter {
                name: "minimum history",
                value: sessions as f64,
                expected: "at least 2 sessions",
            });
        }
        self.min_history = sessions;
        Ok(self)
    }

    /// Sets which other sessions a session is compared with.
    pub fn with_reference(mut self, reference: RuptureReference) -> RuptureRule {
        self.reference = reference;
        self
    }

    /// Which other sessions a session is compared with.
    pub fn reference(&self) -> RuptureReference {
        self.reference
    }

    /// The reference SD that floors the client's own SD.
    pub fn reference_sd(&self) -> f64 {
        self.reference_sd
    }

    /// The (lenient, strict) thresholds in SD units.
    pub fn thresholds(&self) -> (f64, f64) {
        (self.lenient, self.strict)
    }

    /// The repair window in sessions.
    pub fn repair_window(&self) -> usize {
        self.repair_window
    }

    /// The repair threshold's fraction of s*.
    pub fn repair_fraction(&self) -> f64 {
        self.repair_fraction
    }

    /// Earlier sessions needed before a session is assessed.
    pub fn min_history(&self) -> usize {
        self.min_history
    }
}

/// One rupture: a session far below the client's level so far.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
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
    /// How many earlier sessions `m_t` and `s_t` rest on.
    pub baseline_sessions: usize,
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

/// All ruptures in a series.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Ruptures {
    /// The ruptures, in session order.
    pub ruptures: Vec<Rupture>,
    /// Sessions that had enough history to be assessed.
    pub sessions_assessed: usize,
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
/// [`Error::TooLarge`] for a score beyond ±1e100.
///
/// # Example
/// ```
/// use alliance::trend::{ruptures, RepairStatus, RuptureLevel, RuptureRule, Series};
/// let s = Series::from_values(vec![30.0, 31.0, 30.0, 31.0, 24.0, 29.0, 31.0])?;
/// let found = ruptures(&s, &RuptureRule::new(1.0)?)?;
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
    check_magnitude("score", series.values())?;
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
        sessions_assessed: tracker.assessed,
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
            sessions_assessed: 0,
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
        let last = (index + rule.repair_window).min(n - 1);
        let repaired =
            (index + 1..=last).find(|&u| xs.get(u).is_some_and(|&x| x >= repair_threshold));
        let repair = match repaired {
            Some(u) => RepairStatus::Repaired {
                index: u,
                time: times.get(u).copied().unwrap_or(time),
                score: xs.get(u).copied().unwrap_or(score),
            },
            None if index + rule.repair_window < n => RepairStatus::Unrepaired,
            None => RepairStatus::Pending,
        };
        found.push(Rupture {
            index,
            time,
            score,
            baseline_mean: m,
            baseline_sd: s,
            sd_used: s_used,
            baseline_sessions: others,
            z,
            depth: m - score,
            level,
            repair_threshold,
            repair,
        });
    }
    Ruptures {
        ruptures: found,
        sessions_assessed: n,
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
    history: Moments,
    open: VecDeque<Rupture>,
    assessed: usize,
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
            let closed = index >= r.index + rule.repair_window;
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
                    baseline_sessions: self.history.n,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_exact_on_constant() {
        let mut m = Moments::default();
        for _ in 0..10 {
            m.push(4.2);
        }
        assert_eq!(m.sd(), Some(0.0));
    }
}
