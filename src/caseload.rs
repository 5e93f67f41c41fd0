//! Thin links from session records to the statistics: a course's scores as a
//! [`Series`] for trend detection, and client-therapist pairs across a
//! caseload for agreement.
//!
//! Sessions without the response asked for are left out, keeping their real session times
//! (never compacted). Responses that cannot be scored (too many missing answers) are left out
//! too, and listed in `skipped` with the reason, so nothing disappears silently.

use crate::element::Element;
use crate::error::{Error, Result};
use crate::response::{Rater, Response};
use crate::score::{Score, score};
use crate::session::{Course, Session};
use crate::trend::Series;

/// Which number of a [`Score`] to take.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ScoreOf {
    /// The total in the instrument's native metric (sum or mean).
    Total,
    /// The total as POMP, 0-100: comparable across instruments.
    TotalPomp,
    /// An element's POMP score, 0-100.
    Element(Element),
    /// A native subscale by name, in the native metric.
    Subscale(String),
}

impl ScoreOf {
    /// The number from `score`; `None` when the score has no such part.
    pub fn pick(&self, score: &Score) -> Option<f64> {
        match self {
            ScoreOf::Total => Some(score.total.value),
            ScoreOf::TotalPomp => Some(score.total.pomp),
            ScoreOf::Element(e) => score.profile.get(*e).map(|s| s.pomp),
            ScoreOf::Subscale(name) => score.subscale(name).map(|s| s.value),
        }
    }
}

/// How sessions are placed in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum TimeAxis {
    /// Session numbers as recorded.
    #[default]
    SessionNumber,
    /// Days since the course's first dated session (every session used must be dated).
    Days,
}

/// A session left out of a series or a set of pairs, and why.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Skipped {
    /// The client's id.
    pub client: String,
    /// The session number.
    pub session: u32,
    /// Why it could not be used (e.g. too many missing answers).
    pub reason: Error,
}

/// One course's scores over time.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CourseSeries {
    /// The scores on their session times.
    pub series: Series,
    /// The session number of each point.
    pub sessions: Vec<u32>,
    /// Sessions with the response that could not be scored.
    pub skipped: Vec<Skipped>,
}

/// The series of one rater's scores on one instrument across a course.
///
/// # Errors
/// [`Error::TooFew`] when no session has a usable score; [`Error::InvalidParameter`] when
/// `TimeAxis::Days` is asked for and a used session has no date.
///
/// # Example
/// ```
/// use alliance::caseload::{series, ScoreOf, TimeAxis};
/// use alliance::{sample, Element, Rater};
/// let course = &sample::caseload()?[1];
/// let s = series(course, Rater::Client, "WAI-SR", &ScoreOf::Element(Element::Rapport), TimeAxis::SessionNumber)?;
/// assert_eq!(s.series.len(), 12);
/// # Ok::<(), alliance::Error>(())
/// ```
pub fn series(
    course: &Course,
    rater: Rater,
    instrument: &str,
    of: &ScoreOf,
    time: TimeAxis,
) -> Result<CourseSeries> {
    let origin = course.sessions().iter().find_map(Session::date);
    let mut times = Vec::new();
    let mut values = Vec::new();
    let mut sessions = Vec::new();
    let mut skipped = Vec::new();
    for session in course.sessions() {
        let Some(response) = session.response(rater, instrument) else {
            continue;
        };
        match pick(response, of) {
            Ok(value) => {
                times.push(session_time(session, origin, time)?);
                values.push(value);
                sessions.push(session.number());
            }
            Err(reason) => skipped.push(Skipped {
                client: course.client().to_owned(),
                session: session.number(),
                reason,
            }),
        }
    }
    if values.is_empty() {
        return Err(Error::TooFew {
            what: "scored sessions in the course",
            needed: 1,
            found: 0,
        });
    }
    Ok(CourseSeries {
        series: Series::new(times, values)?,
        sessions,
        skipped,
    })
}

/// Client and therapist scores paired by session across a caseload.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Pairs {
    /// The client's score in each paired session.
    pub client: Vec<f64>,
    /// The therapist's score in the same sessions.
    pub therapist: Vec<f64>,
    /// `(client id, session number)` of each pair.
    pub sessions: Vec<(String, u32)>,
    /// Sessions with both responses where one could not be scored.
    pub skipped: Vec<Skipped>,
}

/// Pairs the client's score on `client_instrument` with the therapist's on
/// `therapist_instrument`, session by session, across every course. Use POMP scores
/// ([`ScoreOf::TotalPomp`], [`ScoreOf::Element`]) when the two instruments differ.
///
/// # Errors
/// [`Error::TooFew`] when no session has both scores.
///
/// # Example
/// ```
/// use alliance::caseload::{pairs, ScoreOf};
/// use alliance::{sample, Element};
/// let caseload = sample::caseload()?;
/// let goals = pairs(&caseload, "HAq-II", "HAq-II", &ScoreOf::Element(Element::Goals))?;
/// assert_eq!(goals.client.len(), 30);
/// # Ok::<(), alliance::Error>(())
/// ```
pub fn pairs(
    courses: &[Course],
    client_instrument: &str,
    therapist_instrument: &str,
    of: &ScoreOf,
) -> Result<Pairs> {
    let mut out = Pairs {
        client: Vec::new(),
        therapist: Vec::new(),
        sessions: Vec::new(),
        skipped: Vec::new(),
    };
    for course in courses {
        for session in course.sessions() {
            let (Some(c), Some(t)) = (
                session.response(Rater::Client, client_instrument),
                session.response(Rater::Therapist, therapist_instrument),
            ) else {
                continue;
            };
            match pick(c, of).and_then(|c| pick(t, of).map(|t| (c, t))) {
                Ok((c, t)) => {
                    out.client.push(c);
                    out.therapist.push(t);
                    out.sessions
                        .push((course.client().to_owned(), session.number()));
                }
                Err(reason) => out.skipped.push(Skipped {
                    client: course.client().to_owned(),
                    session: session.number(),
                    reason,
                }),
            }
        }
    }
    if out.client.is_empty() {
        return Err(Error::TooFew {
            what: "sessions with both client and therapist scores",
            needed: 1,
            found: 0,
        });
    }
    Ok(out)
}

fn pick(response: &Response, of: &ScoreOf) -> Result<f64> {
    let s = score(response)?;
    of.pick(&s).ok_or(Error::InvalidParameter {
        name: "score part",
        value: 0.0,
        expected: "an element or subscale the instrument has",
    })
}

fn session_time(session: &Session, origin: Option<crate::Date>, time: TimeAxis) -> Result<f64> {
    match time {
        TimeAxis::SessionNumber => Ok(f64::from(session.number())),
        TimeAxis::Days => match (session.date(), origin) {
            (Some(d), Some(o)) => Ok(d.days_since(o) as f64),
            _ => Err(Error::InvalidParameter {
                name: "session date",
                value: f64::from(session.number()),
                expected: "a date on every session when time is measured in days",
            }),
        },
    }
}

/// Client-therapist agreement on one score across a caseload.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ScoreAgreement {
    /// The score compared.
    pub of: ScoreOf,
    /// Sessions paired.
    pub pairs: usize,
    /// ICC(A,1), two-way absolute agreement for single ratings: the meaningful form when the
    /// question is whether client and therapist give the same number.
    pub icc: crate::agreement::Icc,
    /// Lin's concordance correlation.
    pub concordance: crate::agreement::Concordance,
    /// Bland-Altman bias (client - therapist) and limits of agreement.
    pub bland_altman: crate::agreement::BlandAltman,
    /// Sessions left out, and why.
    pub skipped: Vec<Skipped>,
}

/// Client-therapist agreement on the total (POMP) and on each of the four elements, across a
/// caseload: ICC(A,1), concordance and Bland-Altman per score, on the sessions where both
/// rated. Scores are POMP (0-100), comparable even when the two instruments differ.
///
/// # Errors
/// As [`pairs`], and [`Error::TooFewPairs`] when a score has fewer than 2 paired sessions (an
/// element the instruments do not cover is left out of the result instead).
///
/// # Example
/// ```
/// use alliance::caseload::{agreement_by_element, ScoreOf};
/// use alliance::{sample, Element, Level};
/// let caseload = sample::caseload()?;
/// let all = agreement_by_element(&caseload, "HAq-II", "HAq-II", Level::NINETY_FIVE)?;
/// assert_eq!(all.len(), 5); // the total and four elements
/// assert_eq!(all[1].of, ScoreOf::Element(Element::Rapport));
/// assert_eq!(all[1].pairs, 30);
/// # Ok::<(), alliance::Error>(())
/// ```
pub fn agreement_by_element(
    courses: &[Course],
    client_instrument: &str,
    therapist_instrument: &str,
    level: crate::Level,
) -> Result<Vec<ScoreAgreement>> {
    use crate::agreement::{IccForm, IccUnit, LimitMultiplier, bland_altman, concordance, icc};
    let scores = std::iter::once(ScoreOf::TotalPomp).chain(Element::ALL.map(ScoreOf::Element));
    let mut out = Vec::new();
    for of in scores {
        let p = match pairs(courses, client_instrument, therapist_instrument, &of) {
            Ok(p) => p,
            // an element neither instrument covers: nothing to compare
            Err(Error::TooFew { .. }) if matches!(of, ScoreOf::Element(_)) => continue,
            Err(e) => return Err(e),
        };
        let paired = crate::Paired::new(&p.client, &p.therapist)?;
        // concordance first: fewer than 2 sessions is `Error::TooFewPairs`
        let concordance = concordance(&paired, level)?;
        let bland_altman = bland_altman(&paired, LimitMultiplier::default(), level)?;
        let icc = icc(
            &paired.to_ratings()?,
            IccForm::TwoWayAgreement,
            IccUnit::Single,
            level,
        )?;
        out.push(ScoreAgreement {
            pairs: paired.n(),
            icc,
            concordance,
            bland_altman,
            skipped: p.skipped,
            of,
        });
    }
    Ok(out)
}

/// The alerts a streaming [`Monitor`](crate::monitor::Monitor) raises as a course's sessions
/// arrive, session by session: what a clinic's app would have shown after each session.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SessionAlerts {
    /// The session number.
    pub session: u32,
    /// The score fed to the monitor.
    pub score: f64,
    /// The alerts this session raised (some refer to earlier sessions, e.g. a repair).
    pub alerts: Vec<crate::monitor::Alert<&'static str>>,
}

/// Walks one rater's scores on one instrument across a course through a monitor with
/// `config`, by session number. Sessions without a usable score are skipped (see
/// [`series`]).
///
/// # Errors
/// As [`series`].
///
/// # Example
/// ```
/// use alliance::caseload::{monitor_course, ScoreOf};
/// use alliance::monitor::{AlertKind, MonitorConfig};
/// use alliance::{sample, Rater};
/// let course = &sample::caseload()?[1];
/// let walk = monitor_course(course, Rater::Client, "VAS-4", &ScoreOf::Total, MonitorConfig::new(2.0)?)?;
/// let ruptured = walk.iter().find(|s| s.alerts.iter().any(|a| matches!(a.kind, AlertKind::Rupture { .. })));
/// assert_eq!(ruptured.map(|s| s.session), Some(6));
/// # Ok::<(), alliance::Error>(())
/// ```
pub fn monitor_course(
    course: &Course,
    rater: Rater,
    instrument: &str,
    of: &ScoreOf,
    config: crate::monitor::MonitorConfig,
) -> Result<Vec<SessionAlerts>> {
    let scored = series(course, rater, instrument, of, TimeAxis::SessionNumber)?;
    let mut monitor = crate::monitor::Monitor::new("score", config);
    let points = scored.series.times().iter().zip(scored.series.values());
    let mut out = Vec::with_capacity(scored.sessions.len());
    for ((&time, &score), &session) in points.zip(&scored.sessions) {
        out.push(SessionAlerts {
            session,
            score,
            alerts: monitor.push(time, score)?,
        });
    }
    Ok(out)
}
