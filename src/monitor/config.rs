//! Which rules a monitor applies, with their parameters.

use crate::error::{Error, Result};
use crate::trend::{
    Baseline, CusumRule, DivergenceRule, EwmaRule, PcomsRule, RuptureReference, RuptureRule,
    SeriesEnd, SuddenDropRule,
};

/// The rules a [`Monitor`](super::Monitor) applies to each score, each optional.
///
/// [`MonitorConfig::new`] switches on the rules that need nothing but a reference SD (ruptures
/// and repairs, lower CUSUM, EWMA, all with their default parameters and a baseline of the
/// first 3 sessions); the rules whose thresholds belong to an instrument (sudden drops,
/// PCOMS cutoffs, the therapist-client bound) are added with the `with_` methods.
///
/// # Example
/// ```
/// use alliance::monitor::MonitorConfig;
/// use alliance::trend::{PcomsRule, SuddenDropRule};
/// let config = MonitorConfig::new(2.0)?
///     .with_sudden_drops(SuddenDropRule::new(5.0, 0.0)?)?
///     .with_pcoms(PcomsRule::new(36.0)?);
/// assert!(config.pcoms().is_some());
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MonitorConfig {
    rupture: Option<RuptureRule>,
    sudden: Option<SuddenDropRule>,
    cusum: Option<CusumRule>,
    ewma: Option<EwmaRule>,
    pcoms: Option<PcomsRule>,
    divergence: Option<DivergenceRule>,
}

impl MonitorConfig {
    /// Ruptures ([`RuptureRule::new`]), CUSUM ([`CusumRule::new`]) and EWMA
    /// ([`EwmaRule::new`]) with their defaults, the baseline of the charts the first 3
    /// sessions, and `reference_sd` both as the rupture floor and the charts' SD floor.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `1e-100 <= reference_sd <= 1e100`.
    pub fn new(reference_sd: f64) -> Result<MonitorConfig> {
        Ok(MonitorConfig {
            rupture: Some(RuptureRule::new(reference_sd)?),
            sudden: None,
            cusum: Some(CusumRule::new(Baseline::FirstSessions(3), reference_sd)?),
            ewma: Some(EwmaRule::new(Baseline::FirstSessions(3), reference_sd)?),
            pcoms: None,
            divergence: None,
        })
    }

    /// No rule at all; add them one by one.
    pub fn empty() -> MonitorConfig {
        MonitorConfig {
            rupture: None,
            sudden: None,
            cusum: None,
            ewma: None,
            pcoms: None,
            divergence: None,
        }
    }

    /// Applies this rupture rule (replacing any other).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for [`RuptureReference::AllOthers`]: later sessions would
    /// change verdicts already given.
    pub fn with_ruptures(mut self, rule: RuptureRule) -> Result<MonitorConfig> {
        if rule.reference() != RuptureReference::Preceding {
            return Err(Error::InvalidParameter {
                name: "rupture reference",
                value: 1.0,
                expected: "RuptureReference::Preceding in a monitor",
            });
        }
        self.rupture = Some(rule);
        Ok(self)
    }

    /// Applies these sudden-drop criteria.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for [`SeriesEnd::Truncate`]: a monitor never knows where a
    /// course ends, and a verdict on a truncated window could change with the next session.
    pub fn with_sudden_drops(mut self, rule: SuddenDropRule) -> Result<MonitorConfig> {
        if rule.end() != SeriesEnd::Wait {
            return Err(Error::InvalidParameter {
                name: "sudden-drop series end",
                value: 2.0,
                expected: "SeriesEnd::Wait in a monitor",
            });
        }
        self.sudden = Some(rule);
        Ok(self)
    }

    /// Applies this CUSUM rule.
    pub fn with_cusum(mut self, rule: CusumRule) -> MonitorConfig {
        self.cusum = Some(rule);
        self
    }

    /// Applies this EWMA rule.
    pub fn with_ewma(mut self, rule: EwmaRule) -> MonitorConfig {
        self.ewma = Some(rule);
        self
    }

    /// Applies these PCOMS session rules.
    pub fn with_pcoms(mut self, rule: PcomsRule) -> MonitorConfig {
        self.pcoms = Some(rule);
        self
    }

    /// Flags therapist-client divergence beyond this bound (for sessions pushed with a
    /// therapist score).
    pub fn with_divergence(mut self, rule: DivergenceRule) -> MonitorConfig {
        self.divergence = Some(rule);
        self
    }

    /// Stops applying ruptures.
    pub fn without_ruptures(mut self) -> MonitorConfig {
        self.rupture = None;
        self
    }

    /// Stops applying the CUSUM.
    pub fn without_cusum(mut self) -> MonitorConfig {
        self.cusum = None;
        self
    }

    /// Stops applying the EWMA.
    pub fn without_ewma(mut self) -> MonitorConfig {
        self.ewma = None;
        self
    }

    /// The rupture rule, if applied.
    pub fn rupture(&self) -> Option<RuptureRule> {
        self.rupture
    }

    /// The sudden-drop rule, if applied.
    pub fn sudden_drops(&self) -> Option<SuddenDropRule> {
        self.sudden
    }

    /// The CUSUM rule, if applied.
    pub fn cusum(&self) -> Option<CusumRule> {
        self.cusum
    }

    /// The EWMA rule, if applied.
    pub fn ewma(&self) -> Option<EwmaRule> {
        self.ewma
    }

    /// The PCOMS rule, if applied.
    pub fn pcoms(&self) -> Option<PcomsRule> {
        self.pcoms
    }

    /// The divergence rule, if applied.
    pub fn divergence(&self) -> Option<DivergenceRule> {
        self.divergence
    }
}
