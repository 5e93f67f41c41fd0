//! One series: a dyad's sessions on one instrument, and the monitor that watches its totals.
//!
//! The monitor is a [`DyadMonitor`] with one key, the total: each session feeds the client's
//! total, and the therapist's when the form has one (so that client-therapist divergence is
//! watched), at the session's number and date ([`Visit`]). Its state lives in the database as
//! a [`MonitorSnapshot`] between posts; [`restore`] brings it back, and [`replay`] rebuilds it
//! from the stored sessions when a snapshot cannot be used (another configuration).

use crate::config::monitor_config;
use alliance::monitor::{DyadMonitor, MonitorSnapshot, SessionReport, Visit};
use alliance::{Date, Instrument, Score};

/// The score a series' monitor watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tracked {
    /// The instrument's total, in its native metric (sum or mean).
    Total,
}

/// `total`, as messages name the score.
impl std::fmt::Display for Tracked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tracked::Total => f.write_str("total"),
        }
    }
}

/// The monitor of one series.
pub type SeriesMonitor = DyadMonitor<Tracked>;

/// What one session's push reports.
pub type Report = SessionReport<Tracked>;

/// One scored session of a series, as the monitor takes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The session number.
    pub session: u32,
    /// Its date, if known.
    pub date: Option<Date>,
    /// The client's score.
    pub client: Score,
    /// The therapist's score, if the therapist answered.
    pub therapist: Option<Score>,
}

/// A monitor that has seen no session yet.
///
/// # Errors
/// As [`monitor_config`].
pub fn fresh(instrument: &Instrument) -> Result<SeriesMonitor, alliance::Error> {
    DyadMonitor::new(&[Tracked::Total], monitor_config(instrument)?)
}

/// The monitor a stored snapshot (JSON) saved, under the instrument's configuration.
///
/// # Errors
/// The library's `snapshot_mismatch` or `invalid_snapshot` when the snapshot was made under
/// another configuration or is damaged; a JSON error is reported as `invalid_snapshot`.
pub fn restore(instrument: &Instrument, snapshot: &str) -> Result<SeriesMonitor, alliance::Error> {
    let saved: MonitorSnapshot<Tracked> = serde_json::from_str(snapshot)
        .map_err(|_| alliance::Error::InvalidSnapshot { what: "its JSON" })?;
    DyadMonitor::restore(saved, monitor_config(instrument)?)
}

/// Feeds one session; the report of the alerts it raised.
///
/// # Errors
/// The library's `not_increasing` when the session number is not after the last one,
/// `dates_out_of_order` when the date is before the last dated session's; the monitor is then
/// unchanged.
pub fn feed(monitor: &mut SeriesMonitor, entry: &Entry) -> Result<Report, alliance::Error> {
    let visit = match entry.date {
        Some(date) => Visit::new(entry.session).on(date),
        None => Visit::new(entry.session),
    };
    let client = [entry.client.total.value];
    let therapist = entry.therapist.as_ref().map(|t| [t.total.value]);
    let alerts = monitor.push_visit(visit, &client, therapist.as_ref().map(|t| &t[..]))?;
    Ok(SessionReport::new(&alerts))
}

/// A fresh monitor fed `entries` in order, with the report of each.
///
/// # Errors
/// As [`fresh`] and [`feed`] (never for sessions the service stored: it fed them in this order
/// before storing them).
pub fn replay(
    instrument: &Instrument,
    entries: &[Entry],
) -> Result<(SeriesMonitor, Vec<Report>), alliance::Error> {
    let mut monitor = fresh(instrument)?;
    let reports = entries
        .iter()
        .map(|e| feed(&mut monitor, e))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((monitor, reports))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alliance::{Rater, Response, catalog, score};

    fn entry(session: u32, answers: &[f64]) -> Entry {
        let r = Response::complete(&catalog::session_scale(), Rater::Client, answers).unwrap();
        Entry {
            session,
            date: None,
            client: score(&r).unwrap(),
            therapist: None,
        }
    }

    #[test]
    fn a_restored_monitor_goes_on_as_the_original() {
        let vas = catalog::session_scale();
        let steady = [9.0, 9.1, 9.0, 9.2];
        let entries: Vec<Entry> = (1..=5).map(|s| entry(s, &steady)).collect();
        let (mut original, _) = replay(&vas, &entries).unwrap();
        let json = serde_json::to_string(&original.snapshot()).unwrap();
        let mut restored = restore(&vas, &json).unwrap();
        let drop = entry(6, &[6.0, 6.5, 6.0, 6.0]);
        let a = feed(&mut original, &drop).unwrap();
        let b = feed(&mut restored, &drop).unwrap();
        assert_eq!(a, b);
        assert!(!a.events.is_empty());
    }

    #[test]
    fn a_damaged_snapshot_is_refused() {
        let vas = catalog::session_scale();
        assert_eq!(restore(&vas, "{}").unwrap_err().code(), "invalid_snapshot");
    }
}
