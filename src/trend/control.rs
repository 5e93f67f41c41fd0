//! Control charts for a falling alliance: the lower CUSUM (Page 1954) and the EWMA chart
//! (Roberts 1959), in the standard forms of Montgomery.

use crate::error::{Error, Result};
use crate::outcome::{Outcome, Undefined};
use crate::trend::Series;
use crate::trend::detect::Param;

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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Baseline {
    /// Mean and sample SD (n - 1) of the client's first `sessions` sessions (at least 3, at
    /// most [`Baseline::MAX_SESSIONS`]); charting starts with the session after them.
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
    /// The longest baseline accepted: 1000 sessions. The baseline sessions are kept until
    /// the baseline is complete (8 bytes each), and a chart whose baseline never completes
    /// charts nothing; a client's first 1000 sessions are years of weekly therapy.
    pub const MAX_SESSIONS: usize = 1000;

    fn check(self, rule: &'static str) -> Result<Baseline> {
        match self {
            Baseline::FirstSessions(b) => {
                Param::new(rule, "baseline").sessions(b, 3)?;
                if b > Self::MAX_SESSIONS {
                    return Err(Error::InvalidRuleParameter {
                        rule,
                        parameter: "baseline",
                        value: b as f64,
                        expected: "at most 1000 sessions (Baseline::MAX_SESSIONS)",
                    });
                }
                Ok(self)
            }
            Baseline::Given { mean, sd } => {
                Param::new(rule, "baseline mean").bounded(mean)?;
                Param::new(rule, "baseline SD").at_least(
                    sd,
                    0.0,
                    false,
                    "0 or a number of score points from 1e-100 to 1e100",
                )?;
                Ok(self)
            }
        }
    }
}

/// The in-control level a chart uses, once known.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ControlBaseline {
    /// mu0.
    pub mean: f64,
    /// The SD estimated from the baseline sessions, or given.
    pub sd: f64,
    /// sigma = max(sd, floor), the SD the chart uses.
    pub sd_used: f64,
    /// Sessions the baseline was estimated from (0 when given).
    pub n: usize,
}

/// Whether the chart's baseline is known yet.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    pub(crate) collected: Vec<f64>,
    pub(crate) state: BaselineState,
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
                    n: 0,
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
                        n: have,
                    })
                } else {
                    BaselineState::Collecting { have, need }
                };
                None
            }
        }
    }
}

/// The lower CUSUM rule, with checked parameters. Built with [`CusumRule::builder`].
///
/// ```text
/// C_0 = 0;  C_t = max(0, C_{t-1} + (mu0 - k sigma) - x_t)
/// alarm when C_t > h sigma, then C_t = 0
/// ```
///
/// With feature `serde` the rule serializes and deserializes; reading one runs its builder, so
/// a rule read back holds the same checks as one built.
///
/// # Example
/// ```
/// use alliance::trend::{Baseline, CusumRule};
/// let rule = CusumRule::builder().sd_floor(1.0).build()?;
/// assert_eq!(rule.baseline(), Baseline::FirstSessions(3));
/// assert_eq!(rule.design().decision_interval, 4.0);
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(try_from = "super::wire::CusumRule"))]
pub struct CusumRule {
    baseline: Baseline,
    sd_floor: f64,
    k: f64,
    h: f64,
}

/// The design of a CUSUM chart, in sigma units (Montgomery's k and h).
///
/// # Example
/// ```
/// use alliance::trend::CusumRule;
/// let d = CusumRule::builder().sd_floor(1.0).build()?.design();
/// assert_eq!((d.reference_value, d.decision_interval), (0.5, 4.0));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CusumDesign {
    /// k, the reference value (allowance): shortfalls below mu0 - k sigma accumulate.
    pub reference_value: f64,
    /// h, the decision interval: an alarm when the CUSUM passes h sigma.
    pub decision_interval: f64,
}

/// Builds a [`CusumRule`]: set the SD floor (required), change any default, then
/// [`build`](CusumRuleBuilder::build), which checks every parameter.
///
/// | parameter | default | source |
/// |---|---|---|
/// | `sd_floor` | none: required | the instrument's standard error of measurement or a norm SD |
/// | `baseline` | [`Baseline::FirstSessions`]`(3)` | the crate's choice: the shortest baseline accepted |
/// | `reference_value` (k) | 0.5 | Montgomery: half the 1-sigma shift to detect |
/// | `decision_interval` (h) | 4 | Montgomery suggests 4 or 5; 4 because alliance courses are short |
///
/// # Example
/// ```
/// use alliance::trend::{Baseline, CusumRule};
/// let rule = CusumRule::builder()
///     .baseline(Baseline::FirstSessions(4))
///     .sd_floor(1.0)
///     .decision_interval(5.0)
///     .build()?;
/// assert_eq!(rule.design().decision_interval, 5.0);
/// assert!(CusumRule::builder().build().is_err()); // no SD floor
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// No serde: a builder is a step on the way; the rule it builds is what a program keeps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CusumRuleBuilder {
    baseline: Baseline,
    sd_floor: Option<f64>,
    k: f64,
    h: f64,
}

impl Default for CusumRuleBuilder {
    fn default() -> CusumRuleBuilder {
        CusumRuleBuilder {
            baseline: Baseline::FirstSessions(3),
            sd_floor: None,
            k: 0.5,
            h: 4.0,
        }
    }
}

const CUSUM: &str = "CUSUM";

impl CusumRuleBuilder {
    /// Where mu0 and sigma come from (default the first 3 sessions). Checked by `build`: at
    /// least 3 sessions, or a finite mean and a non-negative SD.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{Baseline, CusumRule};
    /// let given = Baseline::Given { mean: 30.0, sd: 2.0 };
    /// let rule = CusumRule::builder().baseline(given).sd_floor(1.0).build()?;
    /// assert_eq!(rule.baseline(), given);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn baseline(mut self, baseline: Baseline) -> CusumRuleBuilder {
        self.baseline = baseline;
        self
    }

    /// The floor of sigma, in score points (required; no default): e.g. the instrument's
    /// standard error of measurement or a norm SD, so that a flat baseline cannot make every
    /// small dip an alarm. Checked by `build`: `0 < sd_floor <= 1e100`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::CusumRule;
    /// assert_eq!(CusumRule::builder().sd_floor(0.5).build()?.sd_floor(), 0.5);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn sd_floor(mut self, sd: f64) -> CusumRuleBuilder {
        self.sd_floor = Some(sd);
        self
    }

    /// k, the reference value in sigma units (default 0.5; Montgomery). Checked by `build`:
    /// `0 <= k <= 1e100`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::CusumRule;
    /// let rule = CusumRule::builder().sd_floor(1.0).reference_value(0.25).build()?;
    /// assert_eq!(rule.design().reference_value, 0.25);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn reference_value(mut self, k: f64) -> CusumRuleBuilder {
        self.k = k;
        self
    }

    /// h, the decision interval in sigma units (default 4; Montgomery suggests 4 or 5).
    /// Checked by `build`: `0 < h <= 1e100`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::CusumRule;
    /// let rule = CusumRule::builder().sd_floor(1.0).decision_interval(5.0).build()?;
    /// assert_eq!(rule.design().decision_interval, 5.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn decision_interval(mut self, h: f64) -> CusumRuleBuilder {
        self.h = h;
        self
    }

    /// The rule, with every parameter checked.
    ///
    /// # Errors
    /// [`Error::MissingRuleParameter`](crate::Error::MissingRuleParameter) without an SD
    /// floor; [`Error::TooFewSessions`](crate::Error::TooFewSessions) for a baseline of fewer
    /// than 3 sessions; [`Error::InvalidRuleParameter`](crate::Error::InvalidRuleParameter)
    /// for a baseline of more than [`Baseline::MAX_SESSIONS`] sessions,
    /// for a given mean or SD that is not finite (or a negative SD), or unless
    /// `0 < sd_floor <= 1e100`, `0 <= k <= 1e100` and `0 < h <= 1e100`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{Baseline, CusumRule};
    /// let short = CusumRule::builder().baseline(Baseline::FirstSessions(2)).sd_floor(1.0);
    /// assert!(short.build().is_err());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn build(self) -> Result<CusumRule> {
        let floor = Param::new(CUSUM, "SD floor");
        Ok(CusumRule {
            baseline: self.baseline.check(CUSUM)?,
            sd_floor: floor.at_least(
                floor.required(self.sd_floor)?,
                0.0,
                true,
                "a number of score points from 1e-100 to 1e100",
            )?,
            k: Param::new(CUSUM, "reference value k").at_least(
                self.k,
                0.0,
                false,
                "0 or a number of SDs from 1e-100 to 1e100",
            )?,
            h: Param::new(CUSUM, "decision interval h").at_least(
                self.h,
                0.0,
                true,
                "a number of SDs from 1e-100 to 1e100",
            )?,
        })
    }
}

impl CusumRule {
    /// A builder with the defaults of [`CusumRuleBuilder`]; the SD floor must be set.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::CusumRule;
    /// let rule = CusumRule::builder().sd_floor(1.0).build()?;
    /// assert_eq!(rule.design().reference_value, 0.5);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn builder() -> CusumRuleBuilder {
        CusumRuleBuilder::default()
    }

    /// The baseline.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{Baseline, CusumRule};
    /// let rule = CusumRule::builder().sd_floor(1.0).build()?;
    /// assert_eq!(rule.baseline(), Baseline::FirstSessions(3));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn baseline(&self) -> Baseline {
        self.baseline
    }

    /// The SD floor.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::CusumRule;
    /// assert_eq!(CusumRule::builder().sd_floor(1.0).build()?.sd_floor(), 1.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn sd_floor(&self) -> f64 {
        self.sd_floor
    }

    /// k and h.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::CusumRule;
    /// let d = CusumRule::builder().sd_floor(1.0).build()?.design();
    /// assert_eq!((d.reference_value, d.decision_interval), (0.5, 4.0));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn design(&self) -> CusumDesign {
        CusumDesign {
            reference_value: self.k,
            decision_interval: self.h,
        }
    }
}

/// One CUSUM alarm.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

/// The lower CUSUM of a series. Serializes; does not deserialize (a result is computed, not
/// read).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Cusum {
    /// Baseline state after the last session.
    pub baseline: BaselineState,
    /// `C_t` after the last session (after any reset); 0 before the first charted session,
    /// as `C_0 = 0`.
    pub statistic: f64,
    /// Sessions in the series (points of the [`Series`]).
    pub n: usize,
    /// Sessions charted (after the baseline sessions).
    pub charted: usize,
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
/// None on a [`Series`](crate::trend::Series), whose values are inside [`crate::domain`]; the
/// `Result` is the one shape every statistic has.
///
/// # Example
/// ```
/// use alliance::trend::{cusum, CusumRule, Series};
/// let s = Series::from_values(vec![30.0, 31.0, 29.0, 28.0, 27.0, 26.0])?;
/// let c = cusum(&s, &CusumRule::builder().sd_floor(0.5).build()?)?;
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
        n: series.len(),
        charted: tracker.charted,
        alarms,
        rule: *rule,
    })
}

/// Streaming CUSUM state.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CusumTracker {
    pub(crate) baseline: BaselineTracker,
    pub(crate) statistic: f64,
    pub(crate) charted: usize,
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

/// The EWMA rule, with checked parameters. Built with [`EwmaRule::builder`].
///
/// ```text
/// z_0 = mu0;  z_t = lambda x_t + (1 - lambda) z_{t-1}
/// LCL_t = mu0 - L sigma sqrt(lambda / (2 - lambda) (1 - (1 - lambda)^(2t)))
/// alarm when z_t < LCL_t
/// ```
///
/// With feature `serde` the rule serializes and deserializes; reading one runs its builder, so
/// a rule read back holds the same checks as one built.
///
/// # Example
/// ```
/// use alliance::trend::EwmaRule;
/// let rule = EwmaRule::builder().sd_floor(1.0).build()?;
/// assert_eq!(rule.design().lambda, 0.2);
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(try_from = "super::wire::EwmaRule"))]
pub struct EwmaRule {
    baseline: Baseline,
    sd_floor: f64,
    lambda: f64,
    l: f64,
}

/// The design of an EWMA chart (Montgomery's lambda and L).
///
/// # Example
/// ```
/// use alliance::trend::EwmaRule;
/// let d = EwmaRule::builder().sd_floor(1.0).build()?.design();
/// assert_eq!((d.lambda, d.limit_width), (0.2, 2.7));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct EwmaDesign {
    /// lambda, the weight of the newest session, in (0, 1].
    pub lambda: f64,
    /// L, the width of the control limits in sigma units of the EWMA.
    pub limit_width: f64,
}

/// Builds an [`EwmaRule`]: set the SD floor (required), change any default, then
/// [`build`](EwmaRuleBuilder::build), which checks every parameter.
///
/// | parameter | default | source |
/// |---|---|---|
/// | `sd_floor` | none: required | the instrument's standard error of measurement or a norm SD |
/// | `baseline` | [`Baseline::FirstSessions`]`(3)` | the crate's choice: the shortest baseline accepted |
/// | `lambda` | 0.2 | Montgomery's usual pairing for small shifts |
/// | `limit_width` (L) | 2.7 | Montgomery's usual pairing for small shifts |
///
/// # Example
/// ```
/// use alliance::trend::{Baseline, EwmaRule};
/// let rule = EwmaRule::builder()
///     .baseline(Baseline::Given { mean: 30.0, sd: 2.0 })
///     .sd_floor(1.0)
///     .lambda(0.1)
///     .limit_width(2.8)
///     .build()?;
/// assert_eq!(rule.design().limit_width, 2.8);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// No serde: a builder is a step on the way; the rule it builds is what a program keeps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EwmaRuleBuilder {
    baseline: Baseline,
    sd_floor: Option<f64>,
    lambda: f64,
    l: f64,
}

impl Default for EwmaRuleBuilder {
    fn default() -> EwmaRuleBuilder {
        EwmaRuleBuilder {
            baseline: Baseline::FirstSessions(3),
            sd_floor: None,
            lambda: 0.2,
            l: 2.7,
        }
    }
}

const EWMA: &str = "EWMA";

impl EwmaRuleBuilder {
    /// Where mu0 and sigma come from (default the first 3 sessions). Checked by `build` as
    /// [`CusumRuleBuilder::baseline`].
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{Baseline, EwmaRule};
    /// let rule = EwmaRule::builder().baseline(Baseline::FirstSessions(5)).sd_floor(1.0).build()?;
    /// assert_eq!(rule.baseline(), Baseline::FirstSessions(5));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn baseline(mut self, baseline: Baseline) -> EwmaRuleBuilder {
        self.baseline = baseline;
        self
    }

    /// The floor of sigma, in score points (required; no default). Checked by `build`:
    /// `0 < sd_floor <= 1e100`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::EwmaRule;
    /// assert_eq!(EwmaRule::builder().sd_floor(0.5).build()?.sd_floor(), 0.5);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn sd_floor(mut self, sd: f64) -> EwmaRuleBuilder {
        self.sd_floor = Some(sd);
        self
    }

    /// lambda, the weight of the newest session (default 0.2; Montgomery). Checked by `build`:
    /// `0 < lambda <= 1`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::EwmaRule;
    /// assert_eq!(EwmaRule::builder().sd_floor(1.0).lambda(0.1).build()?.design().lambda, 0.1);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn lambda(mut self, lambda: f64) -> EwmaRuleBuilder {
        self.lambda = lambda;
        self
    }

    /// L, the width of the control limits in sigma units (default 2.7; Montgomery). Checked by
    /// `build`: `0 < L <= 1e100`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::EwmaRule;
    /// let rule = EwmaRule::builder().sd_floor(1.0).limit_width(3.0).build()?;
    /// assert_eq!(rule.design().limit_width, 3.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn limit_width(mut self, l: f64) -> EwmaRuleBuilder {
        self.l = l;
        self
    }

    /// The rule, with every parameter checked.
    ///
    /// # Errors
    /// As [`CusumRuleBuilder::build`] for the baseline and the SD floor;
    /// [`Error::InvalidRuleParameter`](crate::Error::InvalidRuleParameter) unless
    /// `0 < lambda <= 1` and `0 < L <= 1e100`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::EwmaRule;
    /// assert!(EwmaRule::builder().sd_floor(1.0).lambda(0.0).build().is_err());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn build(self) -> Result<EwmaRule> {
        let floor = Param::new(EWMA, "SD floor");
        Ok(EwmaRule {
            baseline: self.baseline.check(EWMA)?,
            sd_floor: floor.at_least(
                floor.required(self.sd_floor)?,
                0.0,
                true,
                "a number of score points from 1e-100 to 1e100",
            )?,
            lambda: Param::new(EWMA, "weight lambda").in_half_open(
                self.lambda,
                0.0,
                1.0,
                "above 0 and at most 1",
            )?,
            l: Param::new(EWMA, "limit width L").at_least(
                self.l,
                0.0,
                true,
                "a number of SDs from 1e-100 to 1e100",
            )?,
        })
    }
}

impl EwmaRule {
    /// A builder with the defaults of [`EwmaRuleBuilder`]; the SD floor must be set.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::EwmaRule;
    /// let rule = EwmaRule::builder().sd_floor(1.0).build()?;
    /// assert_eq!(rule.design().limit_width, 2.7);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn builder() -> EwmaRuleBuilder {
        EwmaRuleBuilder::default()
    }

    /// The baseline.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{Baseline, EwmaRule};
    /// let rule = EwmaRule::builder().sd_floor(1.0).build()?;
    /// assert_eq!(rule.baseline(), Baseline::FirstSessions(3));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn baseline(&self) -> Baseline {
        self.baseline
    }

    /// The SD floor.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::EwmaRule;
    /// assert_eq!(EwmaRule::builder().sd_floor(1.0).build()?.sd_floor(), 1.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn sd_floor(&self) -> f64 {
        self.sd_floor
    }

    /// lambda and L.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::EwmaRule;
    /// let d = EwmaRule::builder().sd_floor(1.0).build()?.design();
    /// assert_eq!((d.lambda, d.limit_width), (0.2, 2.7));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn design(&self) -> EwmaDesign {
        EwmaDesign {
            lambda: self.lambda,
            limit_width: self.l,
        }
    }
}

/// One session where the EWMA is below its lower limit.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

/// The EWMA chart of a series. Serializes; does not deserialize (a result is computed, not
/// read).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Ewma {
    /// Baseline state after the last session.
    pub baseline: BaselineState,
    /// `z_t` after the last charted session; [`Undefined::TooFewObservations`] while no
    /// session has been charted (the baseline is still being collected).
    pub ewma: Outcome<f64>,
    /// Sessions in the series (points of the [`Series`]).
    pub n: usize,
    /// Sessions charted (after the baseline sessions).
    pub charted: usize,
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
/// None on a [`Series`](crate::trend::Series), whose values are inside [`crate::domain`]; the
/// `Result` is the one shape every statistic has.
///
/// # Example
/// ```
/// use alliance::trend::{ewma, Baseline, EwmaRule, Series};
/// let s = Series::from_values(vec![30.0, 25.0, 25.0])?;
/// let given = Baseline::Given { mean: 30.0, sd: 2.0 };
/// let e = ewma(&s, &EwmaRule::builder().baseline(given).sd_floor(1.0).build()?)?;
/// // z_3 = 0.2*25 + 0.8*29 = 28.2 < 30 - 2.7*2*sqrt(0.2/1.8*(1 - 0.8^6)) = 28.454...
/// assert_eq!(e.alarms.len(), 1);
/// assert_eq!(e.alarms[0].index, 2);
/// assert!(e.ewma.value().is_some_and(|z| (z - 28.2).abs() < 1e-12));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Roberts (1959), Technometrics 1, 239-250; Montgomery, Introduction to Statistical Quality
/// Control. Hand-worked cases: `tests/reference/detectors_ewma.json`.
pub fn ewma(series: &Series, rule: &EwmaRule) -> Result<Ewma> {
    let mut tracker = EwmaTracker::new(rule);
    let mut alarms = Vec::new();
    for (index, (&time, &score)) in series.times().iter().zip(series.values()).enumerate() {
        if let Some(a) = tracker.push(rule, index, time, score) {
            alarms.push(a);
        }
    }
    Ok(Ewma {
        baseline: tracker.baseline.state,
        ewma: match tracker.ewma {
            Some(z) => Outcome::Defined(z),
            None => Outcome::Undefined(Undefined::TooFewObservations),
        },
        n: series.len(),
        charted: tracker.charted,
        alarms,
        rule: *rule,
    })
}

/// Streaming EWMA state.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EwmaTracker {
    pub(crate) baseline: BaselineTracker,
    pub(crate) ewma: Option<f64>,
    pub(crate) charted: usize,
    /// (1 - lambda)^(2t), kept by multiplication (exact powers are not needed: it only
    /// shrinks towards 0).
    pub(crate) decay: f64,
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
