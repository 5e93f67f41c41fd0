//! A dyad's course, as `GET /dyads/{id}` gives it: per instrument, every stored session with
//! its scores and what the monitor saw, the trend of each alliance element, and the alerts
//! still open.
//!
//! The course is computed from the stored response records alone: each is resolved in the
//! registry (its key hash checked), scored, and fed to a fresh monitor in session order. The
//! monitor is deterministic and a restored one goes on bit for bit, so this is what the
//! replies said, session by session, as long as the monitor's configuration is unchanged.
//!
//! # Open alerts
//! An event of severity `watch` or `act` is **open** when nothing later has settled it:
//! - a decline that includes a rupture stays open until a later session of the series
//!   reports that rupture repaired, or its repair window closed without a repair (an event
//!   about the same session number, change `repair` or `unrepaired`);
//! - every other event (a decline seen by other rules only: PCOMS, a sudden drop, CUSUM,
//!   EWMA; a client-therapist divergence; a window closed without repair) is open while it
//!   belongs to the series' latest session: the next session is judged afresh, and a rule that
//!   still fires raises a new event there.
//!
//! `info` events (repairs) are never open.

use crate::config::precision;
use crate::reply::messages;
use crate::series::{self, Entry, Report, Tracked};
use crate::store::{StoreError, StoredSession};
use alliance::monitor::{AlertKind, Change, Event, Severity};
use alliance::trend::{SenOptions, Series, mann_kendall, sen_slope};
use alliance::{Date, Element, InstrumentRef, Interval, Level, Outcome, PMethod, Registry, Score};

/// An element's trend needs at least this many sessions with the element scored.
pub const MIN_TREND_SESSIONS: usize = 4;

/// The course document.
#[derive(Debug, serde::Serialize)]
pub struct Course {
    /// The dyad's id.
    pub dyad: String,
    /// One entry per instrument the dyad has sessions on, by id then version.
    pub series: Vec<SeriesCourse>,
    /// The open alerts of every series (see the module documentation), oldest first per
    /// series.
    pub open_alerts: Vec<OpenAlert>,
}

/// The sessions on one instrument.
#[derive(Debug, serde::Serialize)]
pub struct SeriesCourse {
    /// The instrument, by reference.
    pub instrument: InstrumentRef,
    /// Every stored session, by number.
    pub sessions: Vec<SessionCourse>,
    /// For each element the instrument covers, the trend of the client's element POMP.
    pub trends: Vec<ElementTrend>,
}

/// One stored session.
#[derive(Debug, serde::Serialize)]
pub struct SessionCourse {
    /// The session number.
    pub session: u32,
    /// Its date, if given.
    pub date: Option<Date>,
    /// The client's and the therapist's scores.
    pub scores: SessionScores,
    /// The most urgent event of the session's report, `null` for a quiet session.
    pub severity: Option<&'static str>,
    /// The report's messages, as in the reply.
    pub messages: Vec<String>,
}

/// The scores of a session.
#[derive(Debug, serde::Serialize)]
pub struct SessionScores {
    /// The client's.
    pub client: Score,
    /// The therapist's, if the therapist answered.
    pub therapist: Option<Score>,
}

/// The trend of one element across a series.
#[derive(Debug, serde::Serialize)]
pub struct ElementTrend {
    /// The element.
    pub element: Element,
    /// Sessions in which the element was scored.
    pub sessions: usize,
    /// The trend, when there are enough sessions.
    pub trend: Option<Trend>,
    /// Why there is no trend, when there is none.
    pub reason: Option<String>,
}

/// Sen's slope of the client's element POMP (0-100) over session numbers, with its interval,
/// and the Mann-Kendall test of a monotonic trend.
#[derive(Debug, serde::Serialize)]
pub struct Trend {
    /// `"sen_slope"`.
    pub method: &'static str,
    /// POMP points per session (the median of the pairwise slopes).
    pub slope: f64,
    /// Its 95% interval (ranked slopes), or why it is undefined.
    pub ci: Outcome<Interval>,
    /// `"mann_kendall"`.
    pub test: &'static str,
    /// The test's two-sided p-value.
    pub p: f64,
    /// How the p-value was computed (exact or normal).
    pub p_method: PMethod,
}

/// An open alert.
#[derive(Debug, serde::Serialize)]
pub struct OpenAlert {
    /// The series' instrument.
    pub instrument: InstrumentRef,
    /// The session whose post raised it.
    pub raised_by: u32,
    /// Its message, as in the reply.
    pub message: String,
    /// The event, with its alerts.
    pub event: Event<Tracked>,
}

/// The course of `dyad` from its stored sessions (as [`crate::store::load`] orders them);
/// `None` when it has none.
///
/// # Errors
/// [`StoreError::Library`] when a stored record no longer resolves or scores (a damaged
/// database).
pub fn course(
    dyad: &str,
    stored: &[StoredSession],
    registry: &Registry,
) -> Result<Option<Course>, StoreError> {
    if stored.is_empty() {
        return Ok(None);
    }
    let mut out = Course {
        dyad: dyad.to_owned(),
        series: Vec::new(),
        open_alerts: Vec::new(),
    };
    for group in stored.chunk_by(|a, b| a.instrument == b.instrument) {
        let mut instrument = None;
        let mut entries = Vec::with_capacity(group.len());
        for session in group {
            let (i, entry) = session.entry(registry)?;
            instrument = Some(i);
            entries.push(entry);
        }
        let Some(instrument) = instrument else {
            continue;
        };
        let (_, reports) = series::replay(&instrument, &entries)?;
        let reference = instrument.reference();
        let decimals = precision(&instrument);
        let numbers: Vec<u32> = entries.iter().map(|e| e.session).collect();
        out.open_alerts
            .extend(
                open_alerts(&reports, &numbers)
                    .into_iter()
                    .map(|(raised_by, event)| OpenAlert {
                        instrument: reference.clone(),
                        raised_by,
                        message: event.message(decimals),
                        event,
                    }),
            );
        let trends = Element::ALL
            .into_iter()
            .filter(|&e| instrument.element_items(e) > 0)
            .map(|e| element_trend(e, &entries))
            .collect();
        let sessions = entries
            .into_iter()
            .zip(&reports)
            .map(|(entry, report)| SessionCourse {
                session: entry.session,
                date: entry.date,
                severity: report.severity().map(|s| s.code()),
                messages: messages(&instrument, report),
                scores: SessionScores {
                    client: entry.client,
                    therapist: entry.therapist,
                },
            })
            .collect();
        out.series.push(SeriesCourse {
            instrument: reference,
            sessions,
            trends,
        });
    }
    Ok(Some(out))
}

/// The open events of one series' reports (one report per session, in order; `sessions` their
/// numbers), each with the number of the session that raised it.
fn open_alerts(reports: &[Report], sessions: &[u32]) -> Vec<(u32, Event<Tracked>)> {
    let last = reports.len().checked_sub(1);
    // (score, session number about, report index) of every repair or closed window
    let settled: Vec<(Tracked, u32, usize)> = reports
        .iter()
        .enumerate()
        .flat_map(|(k, r)| {
            r.events
                .iter()
                .filter(|e| matches!(e.change, Change::Repair | Change::Unrepaired))
                .map(move |e| (e.score, e.session, k))
        })
        .collect();
    let mut open = Vec::new();
    for ((k, report), &raised_by) in reports.iter().enumerate().zip(sessions) {
        for event in &report.events {
            if event.severity < Severity::Watch {
                continue;
            }
            let rupture = event.change == Change::Decline
                && event
                    .rules
                    .iter()
                    .any(|r| matches!(r, AlertKind::Rupture { .. }));
            let is_open = if rupture {
                !settled.iter().any(|&(score, about, j)| {
                    score == event.score && about == event.session && j > k
                })
            } else {
                Some(k) == last
            };
            if is_open {
                open.push((raised_by, event.clone()));
            }
        }
    }
    open
}

/// Sen's slope and the Mann-Kendall test of the client's POMP on `element` over the session
/// numbers of the sessions that scored it.
fn element_trend(element: Element, entries: &[Entry]) -> ElementTrend {
    let (times, values): (Vec<f64>, Vec<f64>) = entries
        .iter()
        .filter_map(|e| {
            e.client
                .profile
                .get(element)
                .map(|s| (f64::from(e.session), s.pomp))
        })
        .unzip();
    let sessions = times.len();
    let none = |reason: String| ElementTrend {
        element,
        sessions,
        trend: None,
        reason: Some(reason),
    };
    if sessions < MIN_TREND_SESSIONS {
        return none(format!(
            "a trend needs at least {MIN_TREND_SESSIONS} sessions with the element scored; \
             there are {sessions}"
        ));
    }
    let computed = Series::new(times, values).and_then(|series| {
        let sen = sen_slope(&series, Level::default(), SenOptions::default())?;
        let mk = mann_kendall(&series)?;
        Ok(Trend {
            method: "sen_slope",
            slope: sen.slope,
            ci: sen.ci,
            test: "mann_kendall",
            p: mk.p,
            p_method: mk.p_method,
        })
    });
    match computed {
        Ok(trend) => ElementTrend {
            element,
            sessions,
            trend: Some(trend),
            reason: None,
        },
        Err(e) => none(e.to_string()),
    }
}
