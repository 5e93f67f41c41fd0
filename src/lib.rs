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
//! what was wrong and where. NaN and infinities are rejected, never propagated. A panic
//! reachable from public input is a bug.
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
mod instrument;
mod interval;
mod method;
mod outcome;
mod paired;
mod ratings;
mod response;
mod score;
mod session;
mod stats;

pub mod agreement;
pub mod caseload;
pub mod monitor;
pub mod reliability;
pub mod sample;
pub mod trend;

pub use element::{Element, ElementProfile, ElementScore};
pub use error::{Error, Result};
pub use instrument::catalog;
pub use instrument::{
    Cutoff, CutoffSide, Instrument, InstrumentBuilder, Item, Keying, MissingRule, Norm,
    Reliability, ReliabilityKind, Scale, ScoreRange, ScoringRule, Subscale,
};
pub use interval::{Interval, Level};
pub use method::{IntervalMethod, PMethod};
pub use outcome::{Outcome, Undefined};
pub use paired::Paired;
pub use ratings::{CaseDeletion, Ratings};
pub use response::{Rater, Response};
pub use score::{
    BatchScorer, BatchScores, CutoffFlag, NormScore, ScaleScore, Score, SubscaleScore, score,
};
pub use session::{Course, Date, Session};

#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
