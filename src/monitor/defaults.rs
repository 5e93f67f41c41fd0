//! A monitor configuration taken from an instrument's published numbers, saying which number
//! each rule used and which rules it left off, and why.

use std::fmt;

use super::MonitorConfig;
use crate::error::Result;
use crate::instrument::{CutoffSide, Instrument, ScoringRule};
use crate::trend::{
    CusumRule, DivergenceRule, EwmaRule, ExpectedCurve, NotOnTrackRule, PcomsRule, RuptureRule,
};

/// The PCOMS drop rule flags a fall of 1 point on the Session Rating Scale's 0-40 total
/// ([`PCOMS_SOURCE`](crate::trend::PCOMS_SOURCE)): 1/40 of the range, which is what it becomes
/// on another instrument.
const PCOMS_DROP_SHARE: f64 = 1.0 / 40.0;

/// z for a two-sided 95% interval, as in Jacobson & Truax (1991).
const Z_95: f64 = 1.959_963_984_540_054;

/// A [`MonitorConfig`] derived from an instrument by [`MonitorConfig::for_instrument`], with
/// the basis of every number in it.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct InstrumentConfig {
    /// The configuration.
    pub config: MonitorConfig,
    /// For each rule, the number it used and where that number came from, or why the rule is
    /// off.
    pub basis: Vec<Basis>,
}

/// One rule's parameter in a derived configuration, or a rule left off.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Basis {
    /// The rule (`rupture`, `sudden_drop`, `cusum`, `ewma`, `pcoms`, `divergence`,
    /// `not_on_track`).
    pub rule: &'static str,
    /// The parameter set, or `None` when the rule is off.
    pub parameter: Option<&'static str>,
    /// Its value, in the instrument's total metric.
    pub value: Option<f64>,
    /// Where the value comes from, or why the rule is off.
    pub reason: String,
}

impl InstrumentConfig {
    /// The same configuration with the not-on-track rule on, comparing with `curve` (an
    /// expected curve of this instrument's score, from the clinic's reference caseload); its
    /// basis says so.
    ///
    /// # Example
    /// ```
    /// use alliance::caseload::{expected_curve, ScoreOf};
    /// use alliance::monitor::MonitorConfig;
    /// use alliance::trend::{CurveOptions, NotOnTrackRule};
    /// use alliance::{catalog, sample, Rater};
    /// let wai = catalog::wai_sr();
    /// let options = CurveOptions::default().with_min_reference(1).with_max_half_width(0);
    /// let curve = expected_curve(&sample::caseload()?, Rater::Client, &wai, &ScoreOf::Total, options)?;
    /// let derived = MonitorConfig::for_instrument(&wai)?
    ///     .with_not_on_track(curve, NotOnTrackRule::builder().build()?);
    /// assert!(derived.config.not_on_track().is_some());
    /// assert!(derived.basis.iter().any(|b| b.rule == "not_on_track" && b.value == Some(2.0)));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    #[must_use]
    pub fn with_not_on_track(
        mut self,
        curve: ExpectedCurve,
        rule: NotOnTrackRule,
    ) -> InstrumentConfig {
        let level = curve.options().level.value();
        self.basis.retain(|b| b.rule != "not_on_track");
        self.basis.push(Basis::set(
            "not_on_track",
            "below",
            rule.below() as f64,
            &format!(
                "{} of the last {} sessions below the {}% band of the expected curve given \
                 (from the clinic's reference caseload)",
                rule.below(),
                rule.of_last(),
                level * 100.0
            ),
        ));
        self.config.set_not_on_track(curve, rule);
        self
    }
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.parameter, self.value) {
            (Some(p), Some(v)) => write!(f, "{} {p} = {v}: {}", self.rule, self.reason),
            _ => write!(f, "{} off: {}", self.rule, self.reason),
        }
    }
}

impl Basis {
    fn set(rule: &'static str, parameter: &'static str, value: f64, reason: &str) -> Basis {
        Basis {
            rule,
            parameter: Some(parameter),
            value: Some(value),
            reason: reason.to_owned(),
        }
    }

    fn off(rule: &'static str, reason: &str) -> Basis {
        Basis {
            rule,
            parameter: None,
            value: None,
            reason: reason.to_owned(),
        }
    }
}

/// The smallest change the total can record: one step of one item, on the total's metric.
fn resolution(instrument: &Instrument) -> (f64, String) {
    let scale = instrument.scale();
    let range = instrument.total_range();
    match scale.step() {
        Some(step) => {
            let k = instrument.items().len() as f64;
            let (value, metric) = match instrument.scoring() {
                ScoringRule::Sum => (step, "sum"),
                ScoringRule::Mean => (step / k, "item mean"),
            };
            (
                value,
                format!(
                    "no published SD; one scale step ({step}) of one item on the {metric}, the \
                     smallest change the total records: a floor against flat runs, not a norm"
                ),
            )
        }
        None => (
            (range.max - range.min) / 100.0,
            "no published SD and a continuous scale: 1% of the total's range, a floor against \
             flat runs, not a norm"
                .to_owned(),
        ),
    }
}

impl MonitorConfig {
    /// The monitor configuration an instrument's published numbers support, with the basis of
    /// each number ([`InstrumentConfig::basis`]).
    ///
    /// - **SD.** The instrument's norm SD ([`Instrument::norm`]) when it has one. Otherwise
    ///   the smallest change the total records (one scale step of one item, on the total's
    ///   metric): the rupture rule's reference SD and the control charts' SD floor then only
    ///   keep a flat run from giving an infinite z; each client's own SD does the rest.
    /// - **Ruptures**, **CUSUM** and **EWMA**: on, with that SD and the rules' documented
    ///   defaults (the charts' baseline from the client's first sessions).
    /// - **PCOMS** ([`PCOMS_SOURCE`](crate::trend::PCOMS_SOURCE)): on when the instrument has
    ///   a "below" cutoff, with that cutoff; the drop rule's 1 point on the 0-40 Session
    ///   Rating Scale becomes 1/40 of this instrument's range (1 point on VAS-4, 0.1 on
    ///   WAI-SR's 1-5 mean).
    /// - **Divergence**: on when the instrument has both a norm and a reliability coefficient:
    ///   bound 1.96 * sqrt(2) * SD * sqrt(1 - r), the reliable difference of two raters with
    ///   the same standard error (Jacobson & Truax 1991).
    /// - **Sudden drops** ([`TANG_DERUBEIS_1999`](crate::trend::TANG_DERUBEIS_1999)): off;
    ///   their absolute criterion is set per instrument in the literature and none is
    ///   published for these measures.
    /// - **Not on track** ([`NotOnTrackRule`]): off; it compares with an expected curve from
    ///   the clinic's own reference caseload, which no instrument publishes. Supply one with
    ///   [`InstrumentConfig::with_not_on_track`] (or
    ///   [`MonitorConfigBuilder::not_on_track`](super::MonitorConfigBuilder::not_on_track)).
    ///
    /// # Errors
    /// Only if a derived number is outside what a rule accepts (an instrument whose range is
    /// outside the numeric domain).
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// use alliance::monitor::MonitorConfig;
    /// let derived = MonitorConfig::for_instrument(&catalog::session_scale())?;
    /// let pcoms = derived.config.pcoms().expect("VAS-4 has a cutoff");
    /// assert_eq!((pcoms.cutoff(), pcoms.min_drop()), (36.0, 1.0));
    /// assert_eq!(derived.config.ruptures().map(|r| r.reference_sd()), Some(0.1));
    /// assert!(derived.basis.iter().any(|b| b.rule == "sudden_drop" && b.value.is_none()));
    /// let wai = MonitorConfig::for_instrument(&catalog::wai_sr())?;
    /// assert!(wai.config.pcoms().is_none()); // no published cutoff
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn for_instrument(instrument: &Instrument) -> Result<InstrumentConfig> {
        let mut basis = Vec::new();
        let (sd, sd_reason) = match instrument.norm() {
            Some(norm) => (norm.sd(), format!("the norm's SD ({})", norm.source())),
            None => resolution(instrument),
        };
        let rupture = RuptureRule::builder().reference_sd(sd).build()?;
        basis.push(Basis::set("rupture", "reference_sd", sd, &sd_reason));
        basis.push(Basis::off(
            "sudden_drop",
            "its absolute criterion is set per instrument (Tang & DeRubeis 1999) and none is \
             published for this one; give one with MonitorConfigBuilder::sudden_drops",
        ));
        let cusum = CusumRule::builder().sd_floor(sd).build()?;
        basis.push(Basis::set("cusum", "sd_floor", sd, &sd_reason));
        let ewma = EwmaRule::builder().sd_floor(sd).build()?;
        basis.push(Basis::set("ewma", "sd_floor", sd, &sd_reason));

        let range = instrument.total_range();
        let below = instrument
            .cutoffs()
            .iter()
            .find(|c| c.side() == CutoffSide::Below);
        let pcoms = match below {
            Some(cutoff) => {
                let drop = (range.max - range.min) * PCOMS_DROP_SHARE;
                basis.push(Basis::set(
                    "pcoms",
                    "cutoff",
                    cutoff.threshold(),
                    &format!("the instrument's cutoff ({})", cutoff.source()),
                ));
                basis.push(Basis::set(
                    "pcoms",
                    "min_drop",
                    drop,
                    "1 point on the Session Rating Scale's 0-40 range (PCOMS alert rules), as 1/40 \
                     of this instrument's range",
                ));
                Some(
                    PcomsRule::builder()
                        .cutoff(cutoff.threshold())
                        .min_drop(drop)
                        .build()?,
                )
            }
            None => {
                basis.push(Basis::off(
                    "pcoms",
                    "the instrument has no published cutoff of the form 'below x'",
                ));
                None
            }
        };

        let divergence = match (instrument.norm(), instrument.reliability()) {
            (Some(norm), Some(r)) => {
                let bound = Z_95 * std::f64::consts::SQRT_2 * norm.sd() * (1.0 - r.value()).sqrt();
                basis.push(Basis::set(
                    "divergence",
                    "bound",
                    bound,
                    &format!(
                        "1.96 * sqrt(2) * SD * sqrt(1 - r) with the norm's SD ({}) and r = {} ({})",
                        norm.source(),
                        r.value(),
                        r.source()
                    ),
                ));
                Some(DivergenceRule::builder().bound(bound).build()?)
            }
            _ => {
                basis.push(Basis::off(
                    "divergence",
                    "its reliable-difference bound needs a published SD and reliability, and \
                     the instrument lacks one or both; give one with \
                     MonitorConfigBuilder::divergence",
                ));
                None
            }
        };

        basis.push(Basis::off(
            "not_on_track",
            "it compares with an expected curve from the clinic's own reference caseload, and \
             none was supplied; give one with InstrumentConfig::with_not_on_track",
        ));

        let mut builder = MonitorConfig::builder()
            .ruptures(rupture)
            .cusum(cusum)
            .ewma(ewma);
        if let Some(rule) = pcoms {
            builder = builder.pcoms(rule);
        }
        if let Some(rule) = divergence {
            builder = builder.divergence(rule);
        }
        Ok(InstrumentConfig {
            config: builder.build()?,
            basis,
        })
    }
}
