//! Alliance trends across sessions, on plain series of scores.
//!
//! These functions know nothing of questionnaires: they take a [`Series`] (scores on their real
//! session times), so a researcher can use them on any data.

mod series;

pub use series::Series;

// ---- change detectors (trend-detect) ------------------------------------------------------
pub(crate) mod control;
mod detect;
pub(crate) mod divergence;
pub(crate) mod expected;
pub(crate) mod pcoms;
pub(crate) mod rupture;
pub(crate) mod sudden;

pub use control::{
    Baseline, BaselineState, ControlBaseline, Cusum, CusumAlarm, CusumDesign, CusumRule,
    CusumRuleBuilder, Ewma, EwmaAlarm, EwmaDesign, EwmaRule, EwmaRuleBuilder, PAGE_1954,
    ROBERTS_1959, cusum, ewma,
};
pub use divergence::{
    DIVERGENCE_SOURCE, Divergence, DivergencePoint, DivergenceRule, DivergenceRuleBuilder,
    divergence,
};
pub use expected::{
    CurveOptions, EXPECTED_CURVE_SOURCE, ExpectedCurve, ExpectedPoint, MAX_CURVE_SESSIONS,
    MAX_NOT_ON_TRACK_WINDOW, NotOnTrack, NotOnTrackRule, NotOnTrackRuleBuilder, OffTrack,
    expected_curve, not_on_track,
};
pub use pcoms::{
    PCOMS_SOURCE, PcomsFlag, PcomsFlags, PcomsKind, PcomsRule, PcomsRuleBuilder, pcoms_flags,
};
pub use rupture::{
    REPAIR_SOURCE, RepairStatus, Rupture, RuptureLevel, RuptureReference, RuptureRule,
    RuptureRuleBuilder, RuptureThresholds, Ruptures, STILES_2004, STRAUSS_2006, ruptures,
};
pub use sudden::{
    IntervalCheck, SeriesEnd, SuddenDropRule, SuddenDropRuleBuilder, SuddenDrops,
    TANG_DERUBEIS_1999, check_interval, sudden_drops,
};

// ---- trend statistics: OLS, Mann-Kendall, Sen, reliable change --------------------------
mod batch;
mod mahonian;
mod mann_kendall;
mod ols;
mod pairs;
mod reliable_change;
mod sen;
mod sen_select;
#[cfg(feature = "serde")]
mod wire;

pub use batch::{BatchOptions, TrendSummary, mann_kendall_sen_batch};
pub use mann_kendall::{
    HamedRao, HamedRaoOptions, MannKendall, TieInfo, mann_kendall, mann_kendall_hamed_rao,
};
pub use ols::{OlsFit, OlsTrend, ols_trend};
pub use reliable_change::{
    ChangeCriterion, ChangeCriterionBuilder, ChangeDirection, ClinicalCategory, ClinicalCutoff,
    Critical, CutoffRule, Polarity, Population, ReliableChange, SdSource, reliable_change,
    reliable_change_between, reliable_change_from_baseline, sample_sd,
};
pub use sen::{SenIntercept, SenOptions, SenSlope, sen_slope};

// ---- trend: autocorrelation corrections and Siegel ---------------------------------------
mod corrections;
mod siegel;

pub use corrections::{
    CORRECTION_MIN_POINTS, PreWhitened, PreWhiteningOptions, YueWang, YueWangOptions,
    mann_kendall_pre_whitened, mann_kendall_trend_free_pre_whitened, mann_kendall_yue_wang,
};
pub use siegel::{
    SIEGEL_MAX_POINTS, SiegelIntercept, SiegelOptions, SiegelSlope, siegel_slope, siegel_slopes,
};
