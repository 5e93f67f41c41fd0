//! The rules as they arrive on the wire (feature `serde`): every field as written, then
//! through the rule's builder, so a deserialized rule holds exactly the checks a built one
//! does.

use crate::error::Error;

#[derive(serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct RuptureRule {
    reference_sd: f64,
    lenient: f64,
    strict: f64,
    repair_window: usize,
    repair_fraction: f64,
    min_history: usize,
    reference: super::RuptureReference,
}

impl TryFrom<RuptureRule> for super::RuptureRule {
    type Error = Error;
    fn try_from(w: RuptureRule) -> Result<Self, Error> {
        super::RuptureRule::builder()
            .reference_sd(w.reference_sd)
            .lenient_threshold(w.lenient)
            .strict_threshold(w.strict)
            .repair_window(w.repair_window)
            .repair_fraction(w.repair_fraction)
            .min_history(w.min_history)
            .reference(w.reference)
            .build()
    }
}

#[derive(serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct SuddenDropRule {
    min_drop: f64,
    min_ratio: f64,
    scale_min: f64,
    end: super::SeriesEnd,
}

impl TryFrom<SuddenDropRule> for super::SuddenDropRule {
    type Error = Error;
    fn try_from(w: SuddenDropRule) -> Result<Self, Error> {
        super::SuddenDropRule::builder()
            .min_drop(w.min_drop)
            .min_ratio(w.min_ratio)
            .scale_min(w.scale_min)
            .end(w.end)
            .build()
    }
}

#[derive(serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct CusumRule {
    baseline: super::Baseline,
    sd_floor: f64,
    k: f64,
    h: f64,
}

impl TryFrom<CusumRule> for super::CusumRule {
    type Error = Error;
    fn try_from(w: CusumRule) -> Result<Self, Error> {
        super::CusumRule::builder()
            .baseline(w.baseline)
            .sd_floor(w.sd_floor)
            .reference_value(w.k)
            .decision_interval(w.h)
            .build()
    }
}

#[derive(serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct EwmaRule {
    baseline: super::Baseline,
    sd_floor: f64,
    lambda: f64,
    l: f64,
}

impl TryFrom<EwmaRule> for super::EwmaRule {
    type Error = Error;
    fn try_from(w: EwmaRule) -> Result<Self, Error> {
        super::EwmaRule::builder()
            .baseline(w.baseline)
            .sd_floor(w.sd_floor)
            .lambda(w.lambda)
            .limit_width(w.l)
            .build()
    }
}

#[derive(serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct PcomsRule {
    cutoff: f64,
    drop: f64,
}

impl TryFrom<PcomsRule> for super::PcomsRule {
    type Error = Error;
    fn try_from(w: PcomsRule) -> Result<Self, Error> {
        super::PcomsRule::builder()
            .cutoff(w.cutoff)
            .min_drop(w.drop)
            .build()
    }
}

#[derive(serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct DivergenceRule {
    bound: f64,
}

impl TryFrom<DivergenceRule> for super::DivergenceRule {
    type Error = Error;
    fn try_from(w: DivergenceRule) -> Result<Self, Error> {
        super::DivergenceRule::builder().bound(w.bound).build()
    }
}

#[derive(serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct NotOnTrackRule {
    below: usize,
    of_last: usize,
}

impl TryFrom<NotOnTrackRule> for super::NotOnTrackRule {
    type Error = Error;
    fn try_from(w: NotOnTrackRule) -> Result<Self, Error> {
        super::NotOnTrackRule::builder()
            .below(w.below)
            .of_last(w.of_last)
            .build()
    }
}

#[derive(serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct ExpectedCurve {
    options: super::CurveOptions,
    points: Vec<super::ExpectedPoint>,
}

impl TryFrom<ExpectedCurve> for super::ExpectedCurve {
    type Error = Error;
    fn try_from(w: ExpectedCurve) -> Result<Self, Error> {
        super::ExpectedCurve::checked(w.options, w.points)
    }
}
