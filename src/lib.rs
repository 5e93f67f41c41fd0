//! Measure the therapeutic alliance: scoring, trends across sessions, and therapist-client
//! agreement.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations, clippy::unwrap_used)]
#![doc(test(attr(deny(warnings))))]

mod error;
mod interval;
mod stats;

pub use error::{Error, Result};
pub use interval::{Interval, Level};

pub mod agreement;
pub mod reliability;
pub mod trend;
