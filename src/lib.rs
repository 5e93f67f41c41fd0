//! Measure the therapeutic alliance: scoring, trends across sessions, and therapist-client
//! agreement.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations, clippy::unwrap_used)]
#![doc(test(attr(deny(warnings))))]

mod element;
mod error;
mod instrument;
mod interval;
mod response;
mod score;
mod session;
mod stats;

pub mod agreement;
pub mod sample;
pub mod trend;

pub use element::{Element, ElementProfile, ElementScore};
pub use error::{Error, Result};
pub use instrument::catalog;
pub use instrument::{
    Cutoff, CutoffSide, Instrument, InstrumentBuilder, Item, Keying, MissingRule, Norm,
    Reliability, ReliabilityKind, Scale, ScoringRule, Subscale,
};
pub use interval::{Interval, Level};
pub use response::{Rater, Response};
pub use score::{
    BatchScorer, BatchScores, CutoffFlag, NormScore, ScaleScore, Score, SubscaleScore, score,
};
pub use session::{Course, Date, Session};
