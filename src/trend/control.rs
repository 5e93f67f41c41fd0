//! Control charts for a falling alliance: the lower CUSUM (Page 1954) and the EWMA chart
//! (Roberts 1959), in the standard forms of Montgomery.

use crate::error::{Error, Result};
use crate::trend::Series;
use crate::trend::rupture::{check_at_least, check_bounded, check_magnitude};

/// Citation of the lower CUSUM.
pub const PAGE_1954: &str = "Page, E. S. (1954). Continuous inspection schemes. Biometrika, \
41(1/2), 100-115; lower one-sided tabular form with reset after an alarm as in Montgomery, \
Introduction to Statistical Quality Control";

/// Citation of the EWMA chart.
pub const ROBERTS_1959: &str = "Roberts, S. W. (1959). Control chart tests based on geometric \
moving averages. Technometrics, 1(3), 239-250; exact time-varying limits as in Montgomery, \
Introduction to Statistical Quality Control";

/// Where the in-control level mu0 and SD sigma come from.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum Baseline {
    /// Mean and sample SD (n - 1) of the client's first `sessions` sessions (at least 3);
    /// charting starts with the session after them.
    FirstSessions(usize),
    /// Given values (e.g. norms); charting starts with the first session.
    Given {
        /// mu0.
        mean: f64,
        /// sigma (still floored by the rule's SD floor).
        sd: f64,
    },
}

impl Baseline {
    fn check(self) -> Result<Baseline> {
        match self {
            Baseline::FirstSessions(b) if b < 3 => Err(Error::InvalidParameter {
                name: "baseline sessions",
                value: b as f64,
                expected: "at least 3 sessions",
            }),
            Baseline::FirstSessions(_) => Ok(self),
            Baseline::Given { mean, sd } => {
                check_bounded("baseline mean", mean)?;
                check_at_least("baseline SD", sd, 0.0, false, "non-negative, at most 1e100")?;
                Ok(self)
            }
        }
    }
}

/// The in-control level a chart uses, once known.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct ControlBaseline {
    /// mu0.
    pub mean: f64,
    /// The SD estimated from the baseline sessions, or given.
    pub sd: f64,
    /// sigma = max(sd, floor), the SD the chart uses.
    pub sd_used: f64,
    /// Sessions the baseline was estimated from (0 when given).
    pub sessions: usize,
}

/// Whether the chart's baseline is known yet.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum BaselineState {
    /// Still collecting baseline sessions: nothing is charted yet.
    Collecting {
        /// Sessions collected.
        have: usize,
        /// Sessions needed.
        need: usize,
    },
    /// Known: sessions after it are charted.
    Established(ControlBaseline),
}

/// Streaming baseline: collects the first sessions, then holds mu0 and sigma.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BaselineTracker {
    collected: Vec<f64>,
    state: BaselineState,
}

impl BaselineTracker {
    fn new(spec: Baseline, floor: f64) -> BaselineTracker {
        match spec {
            Baseline::FirstSessions(need) => BaselineTracker {
                collected: Vec::new(),
                state: BaselineState::Collecting { have: 0, need },
            },
            Baseline::Given { mean, sd } => BaselineTracker {
                collected: Vec::new(),
                state: BaselineState::Established(ControlBaseline {
                    mean,
                    sd,
                    sd_used: sd.max(floor),
                    sessions: 0,
                }),
            },
        }
    }

    /// Feeds a score; returns the baseline when this score is to be charted.
    fn push(&mut self, score: f64, floor: f64) -> Option<ControlBaseline> {
        match self.state {
            BaselineState::Established(b) => Some(b),
            BaselineState::Collecting { need, .. } => {
                self.collected.push(score);
                let have = self.collected.len();
                self.state = if have >= need {
                    let mean = crate::stats::mean(&self.collected).unwrap_or(score);
                    let sd = crate::stats::variance(&self.collected)
                        .unwrap_or(0.0)
                        .sqrt();
                    self.collected = Vec::new();
                    BaselineState::Established(ControlBaseline {
                        mean,
                        sd,
                        sd_used: sd.max(floor),
                        sessions: have,
                    })
                } else {
                    BaselineState::Collecting { have, need }
                };
                None
            }
        }
    }
}

/// The lower CUSUM rule, with checked parameters.
///
/// ```text
/// C_0 = 0;  C_t = max(0, C_{t-1} + (mu0 - k sigma) - x_t)
/// alarm when C_t > h sigma, then C_t = 0
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CusumRule {
    baseline: Baseline,
    sd_floor: f64,
    k: f64,
    h: f64,
}

impl CusumRule {
    /// k = 0.5 and h = 4 (Montgomery's usual design shifts by 1 sigma; h = 4 rather than 5
    /// because alliance courses are short), the baseline given, and sigma floored by
    /// `sd_floor` (e.g. the instrument's standard error of measurement or a norm SD) so that a
    /// flat baseline cannot make every small dip an alarm.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a baseline of fewer than 3 sessions, a given mean or SD
    /// that is not finite (or negative), or unless `0 < sd_floor <= 1e100`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{Baseline, CusumRule};
    /// let rule = CusumRule::new(Baseline::FirstSessions(4), 1.0)?.with_k_h(0.5, 5.0)?;
    /// assert_eq!(rule.k_h(), (0.5, 5.0));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(baseline: Baseline, sd_floor: f64) -> Result<CusumRule> {
        Ok(CusumRule {
            baseline: baseline.check()?,
            sd_floor: check_at_least("SD floor", sd_floor, 0.0, true, "positive, at most 1e100")?,
            k: 0.5,
            h: 4.0,
        })
    }

    /// Sets the reference value k and the decision interval h (in sigma units).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `0 <= k <= 1e100` and `0 < h <= 1e100`.
    pub fn with_k_h(mut self, k: f64, h: f64) -> Result<CusumRule> {
        self.k = check_at_least("CUSUM k", k, 0.0, false, "non-negative")?;
        self.h = check_at_least("CUSUM h", h, 0.0, true, "positive")?;
        Ok(self)
    }

    /// The baseline.
    pub fn baseline(&self) -> Baseline {
        self.baseline
    }

    /// The SD floor.
    pub fn sd_floor(&self) -> f64 {
        self.sd_floor
    }

    /// (k, h).
    pub fn k_h(&self) -> (f64, f64) {
        (self.k, self.h)
    }
}

/// One CUSUM alarm.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct CusumAlarm {
    /// 0-based position of the session.
    pub index: usize,
    /// Its time.
    pub time: f64,
    /// Its score.
    pub score: f64,
    /// `C_t` before the reset.
    pub statistic: f64,
    /// The decision limit h sigma.
    pub limit: f64,
    /// The baseline used.
    pub baseline: ControlBaseline,
}

/// The lower CUSUM of a series.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Cusum {
    /// Baseline state after the last session.
    pub baseline: BaselineState,
    /// `C_t` after the last session (after any reset).
    pub statistic: f64,
    /// Sessions charted.
    pub sessions_charted: usize,
    /// The alarms in session order.
    pub alarms: Vec<CusumAlarm>,
    /// The rule applied.
    pub rule: CusumRule,
}

/// Lower one-sided CUSUM: accumulates shortfalls below mu0 - k sigma and alarms when they pass
/// h sigma.
///
/// ```text
/// C_0 = 0;  C_t = max(0, C_{t-1} + (mu0 - k sigma) - x_t);  alarm if C_t > h sigma, then C_t = 0
/// sigma = max(baseline SD, floor)
/// ```
/// With [`Baseline::FirstSessions`], the baseline sessions are not charted; a series shorter
/// than the baseline gives [`BaselineState::Collecting`] and no alarms (not an error, so
/// that the first sessions of a course are a valid prefix).
///
/// # Errors
/// [`Error::TooLarge`] for a score beyond ±1e100.
///
/// # Example
/// ```
/// use alliance::trend::{cusum, Baseline, CusumRule, Series};
/// let s = Series::from_values(vec![30.0, 31.0, 29.0, 28.0, 27.0, 26.0])?;
/// let c = cusum(&s, &CusumRule::new(Baseline::FirstSessions(3), 0.5)?)?;
/// // mu0 = 30, sigma = 1: C = 1.5, then 4.0 (not above h sigma = 4), then 7.5: alarm
/// assert_eq!(c.alarms.len(), 1);
/// assert_eq!(c.alarms[0].index, 5);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Page (1954), Biometrika 41, 100-115; Montgomery, Introduction to Statistical Quality
/// Control (tabular CUSUM). Hand-worked cases: `tests/reference/detectors_cusum.json`.
pub fn cusum(series: &Series, rule: &CusumRule) -> Result<Cusum> {
    check_magnitude("score", series.values())?;
    let mut tracker = CusumTracker::new(rule);
    let mut alarms = Vec::new();
    for (index, (&time, &score)) in series.times().iter().zip(series.values()).enumerate() {
        if let Some(a) = tracker.push(rule, index, time, score) {
            alarms.push(a);
        }
    }
    Ok(Cusum {
        baseline: tracker.baseline.state,
        statistic: tracker.statistic,
        sessions_charted: tracker.charted,
        alarms,
        rule: *rule,
    })
}

/// Streaming CUSUM state.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CusumTracker {
    baseline: BaselineTracker,
    statistic: f64,
    charted: usize,
}

impl CusumTracker {
    pub(crate) fn new(rule: &CusumRule) -> CusumTracker {
        CusumTracker {
            baseline: BaselineTracker::new(rule.baseline, rule.sd_floor),
            statistic: 0.0,
            charted: 0,
        }
    }

    pub(crate) fn push(
        &mut self,
        rule: &CusumRule,
        index: usize,
        time: f64,
        score: f64,
    ) -> Option<CusumAlarm> {
        let b = self.baseline.push(score, rule.sd_floor)?;
        self.charted += 1;
        let sigma = b.sd_used;
        let c = (self.statistic + (b.mean - rule.k * sigma) - score).max(0.0);
        let limit = rule.h * sigma;
        if c > limit {
            self.statistic = 0.0;
            Some(CusumAlarm {
                index,
                time,
                score,
                statistic: c,
                limit,
                baseline: b,
            })
        } else {
            self.statistic = c;
            None
        }
    }
}

/// The EWMA rule, with checked parameters.
///
/// ```text
/// z_0 = mu0;  z_t = lambda x_t + (1 - lambda) z_{t-1}
/// LCL_t = mu0 - L sigma sqrt(lambda / (2 - lambda) (1 - (1 - lambda)^(2t)))
/// alarm when z_t < LCL_t
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EwmaRule {
    baseline: Baseline,
    sd_floor: f64,
    lambda: f64,
    l: f64,
}

impl EwmaRule {
    /// lambda = 0.2 and L = 2.7 (Montgomery's usual pairing for small shifts), the baseline
    /// given, and sigma floored by `sd_floor`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] as [`CusumRule::new`].
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{Baseline, EwmaRule};
    /// let rule = EwmaRule::new(Baseline::Given { mean: 30.0, sd: 2.0 }, 1.0)?.with_lambda_l(0.1, 2.8)?;
    /// assert_eq!(rule.lambda_l(), (0.1, 2.8));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(baseline: Baseline, sd_floor: f64) -> Result<EwmaRule> {
        Ok(EwmaRule {
            baseline: baseline.check()?,
            sd_floor: check_at_least("SD floor", sd_floor, 0.0, true, "positive, at most 1e100")?,
            lambda: 0.2,
            l: 2.7,
        })
    }

    /// Sets the smoothing weight lambda and the limit width L.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `0 < lambda <= 1` and `0 < L <= 1e100`.
    pub fn with_lambda_l(mut self, lambda: f64, l: f64) -> Result<EwmaRule> {
        let valid = lambda > 0.0 && lambda <= 1.0;
        if !valid {
            return Err(Error::InvalidParameter {
                name: "EWMA lambda",
                value: lambda,
                expected: "in (0, 1]",
            });
        }
        self.l = check_at_least("EWMA L", l, 0.0, true, "positive")?;
        self.lambda = lambda;
        Ok(self)
    }

    /// The baseline.
    pub fn baseline(&self) -> Baseline {
        self.baseline
    }

    /// The SD floor.
    pub fn sd_floor(&self) -> f64 {
        self.sd_floor
    }

    /// (lambda, L).
    pub fn lambda_l(&self) -> (f64, f64) {
        (self.lambda, self.l)
    }
}

/// One session where the EWMA is below its lower limit.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct EwmaAlarm {
    /// 0-based position of the session.
    pub index: usize,
    /// Its time.
    pub time: f64,
    /// Its score.
    pub score: f64,
    /// Charted step t (1 for the first charted session).
    pub step: usize,
    /// `z_t`.
    pub ewma: f64,
    /// `LCL_t`.
    pub lower_limit: f64,
    /// The baseline used.
    pub baseline: ControlBaseline,
}

/// The EWMA chart of a series.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Ewma {
    /// Baseline state after the last session.
    pub baseline: BaselineState,
    /// `z_t` after the last charted session (`None` before the first).
    pub ewma: Option<f64>,
    /// Sessions charted.
    pub sessions_charted: usize,
    /// Every charted session below its limit (the chart is not reset: a run of low sessions
    /// gives a run of alarms).
    pub alarms: Vec<EwmaAlarm>,
    /// The rule applied.
    pub rule: EwmaRule,
}

/// EWMA chart with exact time-varying lower limits.
///
/// ```text
/// z_0 = mu0;  z_t = lambda x_t + (1 - lambda) z_{t-1}     (t counts charted sessions)
/// LCL_t = mu0 - L sigma sqrt(lambda / (2 - lambda) (1 - (1 - lambda)^(2t)))
/// alarm at every t with z_t < LCL_t
/// ```
/// Baseline handling as [`cusum`].
///
/// # Errors
/// [`Error::TooLarge`] for a score beyond ±1e100.
///
/// # Example
/// ```
/// use alliance::trend::{ewma, Baseline, EwmaRule, Series};
/// let s = Series::from_values(vec![30.0, 25.0, 25.0])?;
/// let e = ewma(&s, &EwmaRule::new(Baseline::Given { mean: 30.0, sd: 2.0 }, 1.0)?)?;
/// // z_3 = 0.2*25 + 0.8*29 = 28.2 < 30 - 2.7*2*sqrt(0.2/1.8*(1 - 0.8^6)) = 28.454...
/// assert_eq!(e.alarms.len(), 1);
/// assert_eq!(e.alarms[0].index, 2);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Roberts (1959), Technometrics 1, 239-250; Montgomery, Introduction to Statistical Quality
/// Control. Hand-worked cases: `tests/reference/detectors_ewma.json`.
pub fn ewma(series: &Series, rule: &EwmaRule) -> Result<Ewma> {
    check_magnitude("score", series.values())?;
    let mut tracker = EwmaTracker::new(rule);
    let mut alarms = Vec::new();
    for (index, (&time, &score)) in series.times().iter().zip(series.values()).enumerate() {
        if let Some(a) = tracker.push(rule, index, time, score) {
            alarms.push(a);
        }
    }
    Ok(Ewma {
        baseline: tracker.baseline.state,
        ewma: tracker.ewma,
        sessions_charted: tracker.charted,
        alarms,
        rule: *rule,
    })
}

/// Streaming EWMA state.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EwmaTracker {
    baseline: BaselineTracker,
    ewma: Option<f64>,
    charted: usize,
    /// (1 - lambda)^(2t), kept by multiplication (exact powers are not needed: it only
    /// shrinks towards 0).
    decay: f64,
}

impl EwmaTracker {
    pub(crate) fn new(rule: &EwmaRule) -> EwmaTracker {
        EwmaTracker {
            baseline: BaselineTracker::new(rule.baseline, rule.sd_floor),
            ewma: None,
            charted: 0,
            decay: 1.0,
        }
    }

    pub(crate) fn push(
        &mut self,
        rule: &EwmaRule,
        index: usize,
        time: f64,
        score: f64,
    ) -> Option<EwmaAlarm> {
        let b = self.baseline.push(score, rule.sd_floor)?;
        self.charted += 1;
        let lambda = rule.lambda;
        let previous = self.ewma.unwrap_or(b.mean);
        let z = lambda * score + (1.0 - lambda) * previous;
        self.ewma = Some(z);
        let keep = (1.0 - lambda) * (1.0 - lambda);
        self.decay *= keep;
        let width = (lambda / (2.0 - lambda) * (1.0 - self.decay)).sqrt();
        let lower_limit = b.mean - rule.l * b.sd_used * width;
        (z < lower_limit).then_some(EwmaAlarm {
            index,
            time,
            score,
            step: self.charted,
            ewma: z,
            lower_limit,
            baseline: b,
        })
    }
}
