//! Which rules a monitor applies, with their parameters.

use crate::error::{Error, Result};
use crate::trend::{
    CusumRule, DivergenceRule, EwmaRule, ExpectedCurve, NotOnTrackRule, PcomsRule,
    RuptureReference, RuptureRule, SeriesEnd, SuddenDropRule,
};

/// The rules a [`Monitor`](super::Monitor) applies to each score, each optional. Built with
/// [`MonitorConfig::builder`].
///
/// Serializes; does not deserialize (build it with its builder, which checks it).
///
/// # Example
/// ```
/// use alliance::monitor::MonitorConfig;
/// use alliance::trend::{PcomsRule, SuddenDropRule};
/// let config = MonitorConfig::builder()
///     .reference_sd(2.0)
///     .sudden_drops(SuddenDropRule::builder().min_drop(5.0).build()?)
///     .pcoms(PcomsRule::builder().cutoff(36.0).build()?)
///     .build()?;
/// assert!(config.ruptures().is_some()); // switched on by the reference SD
/// assert!(config.pcoms().is_some());
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// Not `Copy` since the not-on-track rule carries its expected curve: clone it to give one
/// configuration to several monitors.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MonitorConfig {
    rupture: Option<RuptureRule>,
    sudden: Option<SuddenDropRule>,
    cusum: Option<CusumRule>,
    ewma: Option<EwmaRule>,
    pcoms: Option<PcomsRule>,
    divergence: Option<DivergenceRule>,
    /// The not-on-track rule and the expected curve it compares with (written only when set,
    /// so a configuration without it serializes as before).
    #[cfg_attr(
        feature = "serde",
        serde(skip_serializing_if = "Option::is_none", default)
    )]
    not_on_track: Option<ExpectedTrack>,
}

/// The not-on-track rule with its curve, as a configuration keeps them.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(crate) struct ExpectedTrack {
    pub(crate) curve: ExpectedCurve,
    pub(crate) rule: NotOnTrackRule,
}

/// Whether a rule that a reference SD can switch on is on, off, or given explicitly.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Choice<R> {
    /// On with its defaults when a reference SD is given.
    Default,
    /// Off, whatever the reference SD.
    Off,
    /// This rule.
    Rule(R),
}

impl<R> Choice<R> {
    fn resolve(self, default: impl FnOnce() -> Result<Option<R>>) -> Result<Option<R>> {
        match self {
            Choice::Default => default(),
            Choice::Off => Ok(None),
            Choice::Rule(r) => Ok(Some(r)),
        }
    }
}

/// Builds a [`MonitorConfig`]. With no setter called it applies no rule.
///
/// [`reference_sd`](MonitorConfigBuilder::reference_sd) switches on the rules that need
/// nothing but a reference SD, each with its documented defaults: ruptures and repairs
/// ([`RuptureRule::builder`]), the lower CUSUM ([`CusumRule::builder`]) and the EWMA chart
/// ([`EwmaRule::builder`]), their baseline the first 3 sessions and the reference SD both the
/// rupture floor and the charts' SD floor. A rule given explicitly replaces its default; a
/// `without_` setter switches it off. The rules whose thresholds belong to an instrument
/// (sudden drops, PCOMS cutoffs, the therapist-client bound) are added with their setters.
///
/// # Example
/// ```
/// use alliance::monitor::MonitorConfig;
/// let config = MonitorConfig::builder().reference_sd(2.0).without_ewma().build()?;
/// assert!(config.cusum().is_some());
/// assert!(config.ewma().is_none());
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// No serde: a builder is a step on the way; the rule it builds is what a program keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct MonitorConfigBuilder {
    reference_sd: Option<f64>,
    rupture: Choice<RuptureRule>,
    cusum: Choice<CusumRule>,
    ewma: Choice<EwmaRule>,
    sudden: Option<SuddenDropRule>,
    pcoms: Option<PcomsRule>,
    divergence: Option<DivergenceRule>,
    not_on_track: Option<ExpectedTrack>,
}

impl Default for MonitorConfigBuilder {
    fn default() -> MonitorConfigBuilder {
        MonitorConfigBuilder {
            reference_sd: None,
            rupture: Choice::Default,
            cusum: Choice::Default,
            ewma: Choice::Default,
            sudden: None,
            pcoms: None,
            divergence: None,
            not_on_track: None,
        }
    }
}

impl MonitorConfigBuilder {
    /// Switches on ruptures, CUSUM and EWMA with their defaults, `sd` (in score points) both
    /// the rupture rule's reference SD and the charts' SD floor. Checked by `build`:
    /// `1e-100 <= sd <= 1e100`.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::MonitorConfig;
    /// let config = MonitorConfig::builder().reference_sd(2.0).build()?;
    /// assert_eq!(config.ruptures().map(|r| r.reference_sd()), Some(2.0));
    /// assert_eq!(config.cusum().map(|r| r.sd_floor()), Some(2.0));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn reference_sd(mut self, sd: f64) -> MonitorConfigBuilder {
        self.reference_sd = Some(sd);
        self
    }

    /// Applies this rupture rule (replacing the default). Checked by `build`: the rule must
    /// compare with the preceding sessions.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::MonitorConfig;
    /// use alliance::trend::RuptureRule;
    /// let rule = RuptureRule::builder().reference_sd(1.0).repair_window(2).build()?;
    /// let config = MonitorConfig::builder().ruptures(rule).build()?;
    /// assert_eq!(config.ruptures(), Some(rule));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn ruptures(mut self, rule: RuptureRule) -> MonitorConfigBuilder {
        self.rupture = Choice::Rule(rule);
        self
    }

    /// Applies these sudden-drop criteria. Checked by `build`: the rule must wait for the
    /// three sessions after a drop ([`SeriesEnd::Wait`]).
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::MonitorConfig;
    /// use alliance::trend::SuddenDropRule;
    /// let rule = SuddenDropRule::builder().min_drop(5.0).build()?;
    /// let config = MonitorConfig::builder().sudden_drops(rule).build()?;
    /// assert_eq!(config.sudden_drops(), Some(rule));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn sudden_drops(mut self, rule: SuddenDropRule) -> MonitorConfigBuilder {
        self.sudden = Some(rule);
        self
    }

    /// Applies this CUSUM rule (replacing the default).
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::MonitorConfig;
    /// use alliance::trend::CusumRule;
    /// let rule = CusumRule::builder().sd_floor(1.0).decision_interval(5.0).build()?;
    /// let config = MonitorConfig::builder().cusum(rule).build()?;
    /// assert_eq!(config.cusum(), Some(rule));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn cusum(mut self, rule: CusumRule) -> MonitorConfigBuilder {
        self.cusum = Choice::Rule(rule);
        self
    }

    /// Applies this EWMA rule (replacing the default).
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::MonitorConfig;
    /// use alliance::trend::EwmaRule;
    /// let rule = EwmaRule::builder().sd_floor(1.0).lambda(0.1).build()?;
    /// let config = MonitorConfig::builder().ewma(rule).build()?;
    /// assert_eq!(config.ewma(), Some(rule));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn ewma(mut self, rule: EwmaRule) -> MonitorConfigBuilder {
        self.ewma = Choice::Rule(rule);
        self
    }

    /// Applies these PCOMS session rules.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::MonitorConfig;
    /// use alliance::trend::PcomsRule;
    /// let rule = PcomsRule::builder().cutoff(36.0).build()?;
    /// assert_eq!(MonitorConfig::builder().pcoms(rule).build()?.pcoms(), Some(rule));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn pcoms(mut self, rule: PcomsRule) -> MonitorConfigBuilder {
        self.pcoms = Some(rule);
        self
    }

    /// Flags therapist-client divergence beyond this bound (for sessions pushed with a
    /// therapist score).
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::MonitorConfig;
    /// use alliance::trend::DivergenceRule;
    /// let rule = DivergenceRule::builder().bound(4.0).build()?;
    /// assert_eq!(MonitorConfig::builder().divergence(rule).build()?.divergence(), Some(rule));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn divergence(mut self, rule: DivergenceRule) -> MonitorConfigBuilder {
        self.divergence = Some(rule);
        self
    }

    /// Flags sessions where the score is not on track: below the band of this expected
    /// curve under `rule` ([`NotOnTrackRule`]). Off unless set: the curve belongs to the
    /// clinic's reference caseload ([`expected_curve`](crate::trend::expected_curve),
    /// [`caseload::expected_curve`](crate::caseload::expected_curve)). The monitor reads the
    /// curve at each session's number ([`Visit`](super::Visit); 1, 2, 3, ... for sessions
    /// pushed with a plain time), and every key of a [`DyadMonitor`](super::DyadMonitor) is
    /// compared with the same curve: monitor an element with its own
    /// [`Monitor`](super::Monitor) and its own curve.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::MonitorConfig;
    /// use alliance::trend::{expected_curve, CurveOptions, NotOnTrackRule};
    /// let dyads: Vec<[(u32, f64); 2]> =
    ///     (0..40).map(|i| [(1, 30.0 + f64::from(i % 7)), (2, 31.0 + f64::from(i % 7))]).collect();
    /// let curve = expected_curve(&dyads, CurveOptions::default())?;
    /// let config = MonitorConfig::builder()
    ///     .not_on_track(curve, NotOnTrackRule::builder().build()?)
    ///     .build()?;
    /// assert_eq!(config.not_on_track().map(|(_, rule)| rule.below()), Some(2));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn not_on_track(
        mut self,
        curve: ExpectedCurve,
        rule: NotOnTrackRule,
    ) -> MonitorConfigBuilder {
        self.not_on_track = Some(ExpectedTrack { curve, rule });
        self
    }

    /// Applies no rupture rule, whatever the reference SD.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::MonitorConfig;
    /// let config = MonitorConfig::builder().reference_sd(2.0).without_ruptures().build()?;
    /// assert!(config.ruptures().is_none());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn without_ruptures(mut self) -> MonitorConfigBuilder {
        self.rupture = Choice::Off;
        self
    }

    /// Applies no CUSUM, whatever the reference SD.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::MonitorConfig;
    /// let config = MonitorConfig::builder().reference_sd(2.0).without_cusum().build()?;
    /// assert!(config.cusum().is_none());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn without_cusum(mut self) -> MonitorConfigBuilder {
        self.cusum = Choice::Off;
        self
    }

    /// Applies no EWMA, whatever the reference SD.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::MonitorConfig;
    /// let config = MonitorConfig::builder().reference_sd(2.0).without_ewma().build()?;
    /// assert!(config.ewma().is_none());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn without_ewma(mut self) -> MonitorConfigBuilder {
        self.ewma = Choice::Off;
        self
    }

    /// The configuration, with every rule checked for streaming.
    ///
    /// # Errors
    /// As [`RuptureRuleBuilder::build`](crate::trend::RuptureRuleBuilder::build) for a bad
    /// reference SD (unless every rule it switches on is replaced or off);
    /// [`Error::NotStreamable`] for [`RuptureReference::AllOthers`] or
    /// [`SeriesEnd::Truncate`]: a monitor never knows where a course ends, and their verdicts
    /// could change with later sessions.
    ///
    /// # Example
    /// ```
    /// use alliance::Error;
    /// use alliance::monitor::MonitorConfig;
    /// use alliance::trend::{SeriesEnd, SuddenDropRule};
    /// let truncated = SuddenDropRule::builder().min_drop(5.0).end(SeriesEnd::Truncate).build()?;
    /// let refused = MonitorConfig::builder().sudden_drops(truncated).build();
    /// assert!(matches!(refused, Err(Error::NotStreamable { .. })));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn build(self) -> Result<MonitorConfig> {
        let sd = self.reference_sd;
        let rupture = self.rupture.resolve(|| {
            sd.map(|sd| RuptureRule::builder().reference_sd(sd).build())
                .transpose()
        })?;
        let cusum = self.cusum.resolve(|| {
            sd.map(|sd| CusumRule::builder().sd_floor(sd).build())
                .transpose()
        })?;
        let ewma = self.ewma.resolve(|| {
            sd.map(|sd| EwmaRule::builder().sd_floor(sd).build())
                .transpose()
        })?;
        if rupture.is_some_and(|r| r.reference() != RuptureReference::Preceding) {
            return Err(Error::NotStreamable {
                option: "RuptureReference::AllOthers",
            });
        }
        if self.sudden.is_some_and(|r| r.end() != SeriesEnd::Wait) {
            return Err(Error::NotStreamable {
                option: "SeriesEnd::Truncate",
            });
        }
        Ok(MonitorConfig {
            rupture,
            sudden: self.sudden,
            cusum,
            ewma,
            pcoms: self.pcoms,
            divergence: self.divergence,
            not_on_track: self.not_on_track,
        })
    }
}

impl MonitorConfig {
    /// A builder that applies no rule until told to; see [`MonitorConfigBuilder`].
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::MonitorConfig;
    /// let nothing = MonitorConfig::builder().build()?;
    /// assert!(nothing.ruptures().is_none() && nothing.cusum().is_none());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn builder() -> MonitorConfigBuilder {
        MonitorConfigBuilder::default()
    }

    /// The rupture rule, if applied.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::MonitorConfig;
    /// let config = MonitorConfig::builder().reference_sd(2.0).build()?;
    /// assert_eq!(config.ruptures().map(|r| r.repair_window()), Some(3));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn ruptures(&self) -> Option<RuptureRule> {
        self.rupture
    }

    /// The sudden-drop rule, if applied.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::MonitorConfig;
    /// assert!(MonitorConfig::builder().reference_sd(2.0).build()?.sudden_drops().is_none());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn sudden_drops(&self) -> Option<SuddenDropRule> {
        self.sudden
    }

    /// The CUSUM rule, if applied.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::MonitorConfig;
    /// let config = MonitorConfig::builder().reference_sd(2.0).build()?;
    /// assert_eq!(config.cusum().map(|r| r.design().decision_interval), Some(4.0));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn cusum(&self) -> Option<CusumRule> {
        self.cusum
    }

    /// The EWMA rule, if applied.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::MonitorConfig;
    /// let config = MonitorConfig::builder().reference_sd(2.0).build()?;
    /// assert_eq!(config.ewma().map(|r| r.design().lambda), Some(0.2));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn ewma(&self) -> Option<EwmaRule> {
        self.ewma
    }

    /// The PCOMS rule, if applied.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::MonitorConfig;
    /// assert!(MonitorConfig::builder().reference_sd(2.0).build()?.pcoms().is_none());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn pcoms(&self) -> Option<PcomsRule> {
        self.pcoms
    }

    /// The divergence rule, if applied.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::MonitorConfig;
    /// assert!(MonitorConfig::builder().reference_sd(2.0).build()?.divergence().is_none());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn divergence(&self) -> Option<DivergenceRule> {
        self.divergence
    }

    /// The not-on-track rule and its expected curve, if applied.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::MonitorConfig;
    /// assert!(MonitorConfig::builder().reference_sd(2.0).build()?.not_on_track().is_none());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn not_on_track(&self) -> Option<(&ExpectedCurve, NotOnTrackRule)> {
        self.not_on_track.as_ref().map(|t| (&t.curve, t.rule))
    }

    /// Switches the not-on-track rule on (for [`InstrumentConfig::with_not_on_track`](super::InstrumentConfig::with_not_on_track)).
    pub(crate) fn set_not_on_track(&mut self, curve: ExpectedCurve, rule: NotOnTrackRule) {
        self.not_on_track = Some(ExpectedTrack { curve, rule });
    }

    /// The same configuration with the rules a format-1 snapshot knew, for its fingerprint.
    #[cfg(feature = "serde")]
    pub(crate) fn legacy_debug(&self) -> String {
        /// The configuration as it was before the not-on-track rule: its `Debug` text is the
        /// one format-1 snapshots were fingerprinted with.
        #[derive(Debug)]
        #[allow(dead_code)] // read through Debug only
        struct MonitorConfig {
            rupture: Option<RuptureRule>,
            sudden: Option<SuddenDropRule>,
            cusum: Option<CusumRule>,
            ewma: Option<EwmaRule>,
            pcoms: Option<PcomsRule>,
            divergence: Option<DivergenceRule>,
        }
        format!(
            "{:?}",
            MonitorConfig {
                rupture: self.rupture,
                sudden: self.sudden,
                cusum: self.cusum,
                ewma: self.ewma,
                pcoms: self.pcoms,
                divergence: self.divergence,
            }
        )
    }
}
