//! Measure the therapeutic alliance: scoring, trends across sessions, and therapist-client
//! agreement.
//!
//! The alliance is described here by four [`Element`]s: Positive Rapport, Mutual Agreement on
//! Goals, Realistic Expectations and Sharing Responsibility.
//!
//! - **Model** (validated at construction): [`Instrument`] (built-in [`catalog`] or your own
//!   via [`Instrument::builder`]), [`Response`], [`Session`], [`Course`].
//! - **Scoring**: [`score`] turns a response into a [`Score`] (total, subscales, element
//!   profile, cutoff flags, norms); [`BatchScorer`] scores millions at once.
//! - **Statistics on plain numbers**: [`trend`] across sessions and [`agreement`] between
//!   raters, which know nothing of questionnaires.
//!
//! # Which statistic answers which question
//!
//! | the question | use |
//! |---|---|
//! | How consistently do a scale's items measure one thing in this sample? | [`reliability::cronbach_alpha`], [`reliability::item_analysis`] |
//! | How precise is that alpha? | [`reliability::cronbach_alpha`] (Feldt), [`reliability::alpha_asymptotic`] (Duhachek-Iacobucci), [`reliability::alpha_bootstrap`] |
//! | How much of a (sub)scale's score does one common factor explain? | [`reliability::omega`], [`reliability::omega_subscales`], [`reliability::omega_bootstrap`] |
//! | Is an ICC above a stated value (say 0.75), not just above 0? | [`agreement::icc_test`] |
//! | Do client and therapist give the same scores, offsets included? | [`agreement::icc`] with [`agreement::IccForm::TwoWayAgreement`], [`agreement::concordance`] |
//! | By how much, and in which direction, do they differ? | [`agreement::bland_altman`], [`agreement::discrepancy`] |
//! | Do they rank sessions alike, whatever their offsets? | [`agreement::icc`] with [`agreement::IccForm::TwoWayConsistency`], [`agreement::pearson`], [`agreement::spearman`] |
//! | Do they pick the same answer on an item? | [`agreement::cohen_kappa`] (weighted for ordered answers); [`agreement::gwet_ac`] when most answers sit at the ceiling |
//! | Do several raters or coders agree, some ratings missing? | [`agreement::fleiss_kappa`], [`agreement::krippendorff_alpha`] |
//! | How reliable are ratings when some raters missed some targets? | [`agreement::icc_reml`] (REML on every observed rating, not only complete targets) |
//! | Do client and therapist ratings move together within dyads, over many sessions per dyad? | [`agreement::rm_corr`], [`agreement::bland_altman_repeated`], [`caseload::repeated_agreement`]; does their difference grow with the level? [`agreement::proportional_bias`] |
//! | Is the alliance rising or falling across sessions? | [`trend::ols_trend`], [`trend::mann_kendall`], [`trend::sen_slope`] |
//! | ...when neighbouring sessions are correlated, or a few sessions are wild? | [`trend::mann_kendall_yue_wang`], [`trend::mann_kendall_pre_whitened`], [`trend::mann_kendall_trend_free_pre_whitened`]; [`trend::siegel_slope`] |
//! | Is this client's alliance where a reference caseload's was at this session? | [`trend::expected_curve`], [`caseload::expected_curve`], [`trend::not_on_track`] (and the monitor's not-on-track rule) |
//! | Did it change reliably between two sessions? | [`trend::reliable_change`] |
//! | Was there a rupture, and was it repaired? A sudden drop? | [`trend::ruptures`], [`trend::sudden_drops`], [`trend::cusum`], [`trend::ewma`], [`trend::pcoms_flags`] |
//! | While therapy runs, session by session? | [`monitor::Monitor`], [`monitor::DyadMonitor`] |
//! | How much of the alliance lies between therapists, and between clients of one therapist? | [`multilevel::therapist_effects`] (REML, unbalanced), [`caseload::therapist_effects`]; two levels: [`multilevel::two_level`], [`multilevel::oneway_icc`] |
//!
//! # One shape for every result
//!
//! Every statistic is a function returning [`Result`]`<Stat>`. An [`Error`] means the input
//! was invalid (wrong shape, NaN, out of domain); it never means "undefined on this data".
//! Inside `Stat`, each quantity that can be undefined (a coefficient, a standard error, a test
//! statistic, a p-value, an interval) is an [`Outcome`], which carries the reason when there
//! is no value; the counts are always there: `n` (the cases used: targets, respondents,
//! pairs, units or points), `dropped` (cases dropped for missing data) and `missing` (the
//! [`CaseDeletion`] policy). The headline coefficient is `coefficient` in every result;
//! `ci_method` and `p_method` say how intervals and p-values were computed
//! ([`IntervalMethod`], [`PMethod`]), and `reference` names the implementation the numbers
//! match. Two-rater statistics take [`Paired`] values; matrices are [`Ratings`].
//!
//! # Quick start
//! ```
//! use alliance::{catalog, score, Element, Rater, Response};
//! let srs = catalog::session_scale();
//! let s = score(&Response::complete(&srs, Rater::Client, &[8.1, 9.0, 9.2, 8.8])?)?;
//! assert!(s.is_flagged()); // 35.1 is below the cutoff of 36
//! assert_eq!(s.profile.weakest(), Some(Element::Rapport));
//! # Ok::<(), alliance::Error>(())
//! ```
//!
//! # Errors and panics
//! Every function that can be handed bad data returns [`Result`], with an [`Error`] that says
//! what was wrong and where. NaN, infinities and numbers outside the stated [`domain`] (zero or
//! magnitudes from 1e-100 to 1e100) are rejected, never propagated. A panic reachable from
//! public input is a bug.
//!
//! # Crate features
//! - `serde`: model and input types (instruments and their parts, responses, sessions,
//!   courses, dates, levels, rating matrices, series, method choices) serialize and
//!   deserialize, and deserialization runs the same checks as construction; results serialize
//!   only (they are computed, not read). Types without serde say why in their docs.
//!
//! # Missing data
//! Missing answers are `None`; each instrument's [`MissingRule`] decides between prorating and
//! an error. Nothing is imputed from other respondents.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations, clippy::unwrap_used, clippy::float_cmp)]
#![doc(test(attr(deny(warnings))))]

mod element;
mod error;
mod exact_sums;
mod fingerprint;
mod instrument;
mod interval;
mod method;
mod outcome;
mod paired;
mod ratings;
mod registry;
mod response;
mod score;
mod session;
mod stats;
mod variance;

pub mod agreement;
pub mod caseload;
pub mod domain;
mod interop;
pub mod monitor;
pub mod multilevel;
pub mod reliability;
pub mod sample;
pub mod trend;

pub use element::{Element, ElementProfile, ElementScore};
pub use error::{Error, ErrorReport, Result};
pub use instrument::catalog;
pub use instrument::{
    Cutoff, CutoffSide, Instrument, InstrumentBuilder, InstrumentRef, Item, Keying, MissingRule,
    Norm, Reliability, ReliabilityKind, Scale, ScoreRange, ScoringRule, Subscale,
};
pub use interval::{Interval, Level};
pub use method::{IntervalMethod, PMethod};
pub use outcome::{Outcome, Undefined};
pub use paired::Paired;
pub use ratings::{CaseDeletion, Ratings};
pub use registry::{CourseRecord, Registry, ResponseRecord, SessionRecord};
pub use response::{Rater, Response};
pub use score::{
    BatchScorer, BatchScores, CutoffFlag, NormScore, ScaleScore, Score, ScoreCard, SubscaleScore,
    score, score_into,
};
pub use session::{Course, Date, Session};
pub use variance::VarianceComponent;

#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
