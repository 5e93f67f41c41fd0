//! The reply to a stored session: what was scored and what the monitor saw.
//!
//! ```json
//! {"dyad": "C02-T02", "session": 6, "date": "2026-02-09",
//!  "instrument": {"id": "VAS-4", "version": "1", "key_hash": "..."},
//!  "scores": {"client": {...}, "therapist": null},
//!  "report": {"events": [...]},
//!  "messages": ["total at session 6 (2026-02-09): at 27.9 from a mean of 35.6 (...)"],
//!  "severity": "act"}
//! ```
//!
//! The reply is written once, stored with the session, and sent again byte for byte when the
//! same form is posted again.

use crate::config::precision;
use crate::series::Report;
use alliance::{Date, Instrument, InstrumentRef, Score};

/// The scores of one session.
#[derive(Debug, serde::Serialize)]
pub struct Scores<'a> {
    /// The client's score.
    pub client: &'a Score,
    /// The therapist's, if the therapist answered.
    pub therapist: Option<&'a Score>,
}

/// The reply's document.
#[derive(Debug, serde::Serialize)]
pub struct Reply<'a> {
    /// The dyad's id, as in the path.
    pub dyad: &'a str,
    /// The session number.
    pub session: u32,
    /// Its date, if given.
    pub date: Option<Date>,
    /// The instrument by id, version and key hash.
    pub instrument: InstrumentRef,
    /// The scores.
    pub scores: Scores<'a>,
    /// The monitor's report of this session.
    pub report: &'a Report,
    /// Each event's message, numbers to the instrument's precision.
    pub messages: Vec<String>,
    /// The most urgent event's severity (`info`, `watch`, `act`), `null` for a quiet session.
    pub severity: Option<&'static str>,
}

impl<'a> Reply<'a> {
    /// The reply to a session of `dyad` on `instrument`.
    pub fn new(
        dyad: &'a str,
        session: u32,
        date: Option<Date>,
        instrument: &Instrument,
        scores: Scores<'a>,
        report: &'a Report,
    ) -> Self {
        Reply {
            dyad,
            session,
            date,
            instrument: instrument.reference(),
            scores,
            report,
            messages: messages(instrument, report),
            severity: report.severity().map(|s| s.code()),
        }
    }
}

/// Each event's message, numbers to the instrument's precision.
pub fn messages(instrument: &Instrument, report: &Report) -> Vec<String> {
    let decimals = precision(instrument);
    report.events.iter().map(|e| e.message(decimals)).collect()
}
