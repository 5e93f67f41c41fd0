//! Thin links from session records to the statistics: a course's scores as a
//! [`Series`] for trend detection, and client-therapist pairs across a
//! caseload for agreement.
//!
//! Sessions without the response asked for are left out, keeping their real session times
//! (never compacted). Responses that cannot be scored (too many missing answers) are left out
//! too, and listed in `skipped` with the reason, so nothing disappears silently.

use crate::element::Element;
use crate::error::{Error, Result};
use crate::instrument::Instrument;
use crate::response::{Rater, Response};
use crate::score::{Score, score};
use crate::session::{Course, Session};
use crate::trend::{CurveOptions, ExpectedCurve, Series};

/// Which number of a [`Score`] to take.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// Checks that `instrument` has this part: a subscale of that name, or items for that
    /// element (the totals always exist).
    ///
    /// # Errors
    /// [`Error::UnknownSubscale`] for a subscale name the instrument does not have (the
    /// message lists the names it has); [`Error::ElementNotCovered`] for an element the
    /// instrument has no items for.
    ///
    /// # Example
    /// ```
    /// use alliance::caseload::ScoreOf;
    /// use alliance::{catalog, Error};
    /// let wai = catalog::wai_sr();
    /// assert!(ScoreOf::Subscale("Task".into()).check(&wai).is_ok());
    /// let typo = ScoreOf::Subscale("Tsak".into()).check(&wai);
    /// assert!(matches!(typo, Err(Error::UnknownSubscale { .. })));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn check(&self, instrument: &Instrument) -> Result<()> {
        match self {
            ScoreOf::Total | ScoreOf::TotalPomp => Ok(()),
            ScoreOf::Element(e) if instrument.element_items(*e) > 0 => Ok(()),
            ScoreOf::Element(e) => Err(Error::ElementNotCovered {
                element: e.name(),
                instrument: instrument.id().to_owned(),
            }),
            ScoreOf::Subscale(name) if instrument.subscales().iter().any(|s| s.name() == name) => {
                Ok(())
            }
            ScoreOf::Subscale(name) => Err(Error::UnknownSubscale {
                subscale: name.clone(),
                instrument: instrument.id().to_owned(),
                subscales: instrument
                    .subscales()
                    .iter()
                    .map(|s| s.name().to_owned())
                    .collect(),
            }),
        }
    }

    /// The number from `score`; `None` when the score has no such part.
    ///
    /// # Example
    /// ```
    /// use alliance::caseload::ScoreOf;
    /// use alliance::{catalog, score, Rater, Response};
    /// let wai = catalog::wai_sr();
    /// let r = Response::complete(&wai, Rater::Client, &[4.0; 12])?;
    /// let s = score(&r)?;
    /// assert_eq!(ScoreOf::Total.pick(&s), Some(4.0)); // the item mean
    /// assert_eq!(ScoreOf::Subscale("Bond".into()).pick(&s), Some(4.0));
    /// assert_eq!(ScoreOf::Subscale("Tsak".into()).pick(&s), None);
    /// # Ok::<(), alliance::Error>(())
    /// ```
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum TimeAxis {
    /// Session numbers as recorded.
    #[default]
    SessionNumber,
    /// Days since the course's first dated session (every session used must be dated).
    Days,
}

/// A session left out of a series or a set of pairs, and why.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Skipped {
    /// The client's id.
    pub client: String,
    /// The session number.
    pub session: u32,
    /// Why it could not be used (e.g. too many missing answers); serialized as its message.
    #[cfg_attr(feature = "serde", serde(serialize_with = "serialize_message"))]
    pub reason: Error,
}

/// One course's scores over time.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CourseSeries {
    /// The scores on their session times.
    pub series: Series,
    /// The session number of each point.
    pub sessions: Vec<u32>,
    /// Sessions with the response that could not be scored.
    pub skipped: Vec<Skipped>,
}

/// The series of one rater's scores on one instrument across a course. A session's response
/// is found by the instrument's id.
///
/// # Errors
/// [`Error::UnknownSubscale`] or [`Error::ElementNotCovered`] when the instrument has no such
/// part (see [`ScoreOf::check`]); [`Error::InstrumentMismatch`] when a session's response
/// with this instrument's id was made on another definition; [`Error::NoScoredSession`] when
/// no session has a usable score; [`Error::MissingDate`] when `TimeAxis::Days` is asked for and a used session has no
/// date; [`Error::SameDate`] when `TimeAxis::Days` is asked for and two scored sessions share
/// a date. Two sessions on one day are valid in a [`Course`], but a series needs strictly
/// increasing times, and neither merging them (one point standing for two sessions) nor
/// spacing them by a made-up fraction of a day (which would dominate Sen's slope) is a
/// choice the library should make silently: the error names both sessions, and
/// `TimeAxis::SessionNumber` charts them as the separate sessions they are.
///
/// # Example
/// ```
/// use alliance::caseload::{series, ScoreOf, TimeAxis};
/// use alliance::{catalog, sample, Element, Rater};
/// let course = &sample::caseload()?[1];
/// let wai = catalog::wai_sr();
/// let rapport = ScoreOf::Element(Element::Rapport);
/// let s = series(course, Rater::Client, &wai, &rapport, TimeAxis::SessionNumber)?;
/// assert_eq!(s.series.len(), 12);
/// let typo = ScoreOf::Subscale("Tsak".into());
/// let err = series(course, Rater::Client, &wai, &typo, TimeAxis::SessionNumber).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "subscale 'Tsak' does not exist in 'WAI-SR'; its subscales are Task, Bond, Goal"
/// );
/// # Ok::<(), alliance::Error>(())
/// ```
pub fn series(
    course: &Course,
    rater: Rater,
    instrument: &Instrument,
    of: &ScoreOf,
    time: TimeAxis,
) -> Result<CourseSeries> {
    of.check(instrument)?;
    let origin = course.sessions().iter().find_map(Session::date);
    let mut times = Vec::new();
    let mut values = Vec::new();
    let mut sessions = Vec::new();
    let mut skipped = Vec::new();
    let mut last_day: Option<(u32, crate::Date)> = None;
    for session in course.sessions() {
        let Some(response) = session.response(rater, instrument.id()) else {
            continue;
        };
        same_instrument(response, instrument, course, session)?;
        match pick(response, of) {
            Ok(value) => {
                if time == TimeAxis::Days
                    && let Some(date) = session.date()
                {
                    if let Some((first, previous)) = last_day
                        && previous == date
                    {
                        return Err(Error::SameDate {
                            first,
                            second: session.number(),
                            date,
                        });
                    }
                    last_day = Some((session.number(), date));
                }
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
        return Err(Error::NoScoredSession {
            client: course.client().to_owned(),
            rater: rater.to_string(),
            instrument: instrument.id().to_owned(),
        });
    }
    Ok(CourseSeries {
        series: Series::new(times, values)?,
        sessions,
        skipped,
    })
}

/// The expected alliance by session number from a reference caseload: one rater's score
/// `of` on one instrument (the total, or an element's POMP score), at each course's session
/// numbers, each course one reference dyad, through [`trend::expected_curve`](crate::trend::expected_curve) (session-wise
/// quantiles; see there for the method, its validation and its sources). Build one curve per
/// score to follow (the total and each element). Courses without a scored response on the
/// instrument are left out; sessions whose response cannot be scored are left out (as in
/// [`series`]).
///
/// # Errors
/// As [`series`] (an unknown part, a response made on another definition of the instrument);
/// [`Error::NoReferenceData`] when no course has a scored session; as
/// [`trend::expected_curve`](crate::trend::expected_curve) for the options.
///
/// # Example
/// ```
/// use alliance::caseload::{expected_curve, ScoreOf};
/// use alliance::trend::CurveOptions;
/// use alliance::{catalog, sample, Element, Rater};
/// let caseload = sample::caseload()?; // three dyads: too few for a band with the defaults
/// let wai = catalog::wai_sr();
/// let curve = expected_curve(&caseload, Rater::Client, &wai, &ScoreOf::Total, CurveOptions::default())?;
/// assert_eq!(curve.at(1).map(|p| (p.n, p.band().is_some())), Some((3, false)));
/// // for a demonstration only: a band from three dyads
/// let demo = CurveOptions::default().with_min_reference(1).with_max_half_width(0);
/// let rapport = expected_curve(&caseload, Rater::Client, &wai, &ScoreOf::Element(Element::Rapport), demo);
/// assert!(rapport.is_ok());
/// # Ok::<(), alliance::Error>(())
/// ```
pub fn expected_curve(
    courses: &[Course],
    rater: Rater,
    instrument: &Instrument,
    of: &ScoreOf,
    options: CurveOptions,
) -> Result<ExpectedCurve> {
    of.check(instrument)?;
    let mut dyads: Vec<Vec<(u32, f64)>> = Vec::with_capacity(courses.len());
    for course in courses {
        match series(course, rater, instrument, of, TimeAxis::SessionNumber) {
            Ok(s) => dyads.push(
                s.sessions
                    .iter()
                    .copied()
                    .zip(s.series.values().iter().copied())
                    .collect(),
            ),
            Err(Error::NoScoredSession { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    crate::trend::expected_curve(&dyads, options)
}

/// Client and therapist scores paired by session across a caseload.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Pairs {
    /// The client's score in each paired session.
    pub client: Vec<f64>,
    /// The therapist's score in the same sessions.
    pub therapist: Vec<f64>,
    /// The client and session of each pair.
    pub sessions: Vec<PairedSession>,
    /// Sessions with both responses where one could not be scored.
    pub skipped: Vec<Skipped>,
}

/// Where one client-therapist pair comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PairedSession {
    /// The client's id.
    pub client: String,
    /// The session number.
    pub session: u32,
}

impl Pairs {
    /// The pairs as a [`Paired`](crate::Paired) input for the two-rater statistics (client
    /// first, therapist second; every pair is complete, so none is dropped).
    ///
    /// # Errors
    /// As [`Paired::new`](crate::Paired::new) (never for pairs built by [`pairs`], whose
    /// scores are finite and of equal number).
    ///
    /// # Example
    /// ```
    /// use alliance::caseload::{pairs, ScoreOf};
    /// use alliance::{catalog, sample};
    /// let haq = catalog::haq_ii();
    /// let total = pairs(&sample::caseload()?, &haq, &haq, &ScoreOf::TotalPomp)?;
    /// let paired = total.paired()?;
    /// assert_eq!((paired.n(), paired.dropped()), (30, 0));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn paired(&self) -> Result<crate::Paired> {
        crate::Paired::new(&self.client, &self.therapist)
    }
}

/// Pairs the client's score on `client_instrument` with the therapist's on
/// `therapist_instrument`, session by session, across every course. Use POMP scores
/// ([`ScoreOf::TotalPomp`], [`ScoreOf::Element`]) when the two instruments differ.
///
/// # Errors
/// [`Error::UnknownSubscale`] or [`Error::ElementNotCovered`] when either instrument has no
/// such part (see [`ScoreOf::check`]); [`Error::InstrumentMismatch`] when a response with
/// either instrument's id was made on another definition; [`Error::NoPairedSession`] when no
/// session has both scores.
///
/// # Example
/// ```
/// use alliance::caseload::{pairs, ScoreOf};
/// use alliance::{catalog, sample, Element};
/// let caseload = sample::caseload()?;
/// let haq = catalog::haq_ii();
/// let goals = pairs(&caseload, &haq, &haq, &ScoreOf::Element(Element::Goals))?;
/// assert_eq!(goals.client.len(), 30);
/// # Ok::<(), alliance::Error>(())
/// ```
pub fn pairs(
    courses: &[Course],
    client_instrument: &Instrument,
    therapist_instrument: &Instrument,
    of: &ScoreOf,
) -> Result<Pairs> {
    let mut out = Pairs {
        client: Vec::new(),
        therapist: Vec::new(),
        sessions: Vec::new(),
        skipped: Vec::new(),
    };
    out.skipped = each_pair(
        courses,
        client_instrument,
        therapist_instrument,
        of,
        |_, course, session, c, t| {
            out.client.push(c);
            out.therapist.push(t);
            out.sessions.push(PairedSession {
                client: course.client().to_owned(),
                session: session.number(),
            });
        },
    )?;
    Ok(out)
}

/// Gives `pair` every paired session of `courses` (the course's index, the course, the
/// session, the client's and the therapist's score) and returns the sessions skipped: the
/// pairing and skipping rules of [`pairs`], for it and [`repeated_agreement`].
fn each_pair(
    courses: &[Course],
    client_instrument: &Instrument,
    therapist_instrument: &Instrument,
    of: &ScoreOf,
    mut pair: impl FnMut(usize, &Course, &Session, f64, f64),
) -> Result<Vec<Skipped>> {
    of.check(client_instrument)?;
    of.check(therapist_instrument)?;
    let (mut paired, mut skipped) = (0, Vec::new());
    for (index, course) in courses.iter().enumerate() {
        for session in course.sessions() {
            let (Some(c), Some(t)) = (
                session.response(Rater::Client, client_instrument.id()),
                session.response(Rater::Therapist, therapist_instrument.id()),
            ) else {
                continue;
            };
            same_instrument(c, client_instrument, course, session)?;
            same_instrument(t, therapist_instrument, course, session)?;
            match pick(c, of).and_then(|c| pick(t, of).map(|t| (c, t))) {
                Ok((c, t)) => {
                    pair(index, course, session, c, t);
                    paired += 1;
                }
                Err(reason) => skipped.push(Skipped {
                    client: course.client().to_owned(),
                    session: session.number(),
                    reason,
                }),
            }
        }
    }
    if paired == 0 {
        return Err(Error::NoPairedSession {
            client_instrument: client_instrument.id().to_owned(),
            therapist_instrument: therapist_instrument.id().to_owned(),
        });
    }
    Ok(skipped)
}

/// A response found by id must have been made on the very instrument asked for: an
/// instrument built with a catalog id ("VAS-4" on a 0-1000 scale) must not be charted as the
/// real one.
fn same_instrument(
    response: &Response,
    instrument: &Instrument,
    course: &Course,
    session: &Session,
) -> Result<()> {
    if response.instrument() == instrument {
        Ok(())
    } else {
        Err(Error::InstrumentMismatch {
            id: instrument.id().to_owned(),
            client: course.client().to_owned(),
            session: session.number(),
        })
    }
}

fn pick(response: &Response, of: &ScoreOf) -> Result<f64> {
    let s = score(response)?;
    match of.pick(&s) {
        Some(value) => Ok(value),
        None => {
            // the response's own instrument may lack the part; else none of its items was
            // answered
            of.check(response.instrument())?;
            Err(Error::PartNotAnswered {
                part: match of {
                    ScoreOf::Element(e) => e.name().to_owned(),
                    ScoreOf::Subscale(name) => name.clone(),
                    ScoreOf::Total | ScoreOf::TotalPomp => "total".to_owned(),
                },
            })
        }
    }
}

fn session_time(session: &Session, origin: Option<crate::Date>, time: TimeAxis) -> Result<f64> {
    match time {
        TimeAxis::SessionNumber => Ok(f64::from(session.number())),
        TimeAxis::Days => match (session.date(), origin) {
            (Some(d), Some(o)) => Ok(d.days_since(o) as f64),
            _ => Err(Error::MissingDate {
                session: session.number(),
            }),
        },
    }
}

/// Client-therapist agreement on one score across a caseload.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ScoreAgreement {
    /// The score compared.
    pub of: ScoreOf,
    /// Sessions paired.
    pub n: usize,
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
/// element the instruments do not cover, or that no session pairs, is left out of the result
/// instead).
///
/// # Example
/// ```
/// use alliance::caseload::{agreement_by_element, ScoreOf};
/// use alliance::{catalog, sample, Element, Level};
/// let caseload = sample::caseload()?;
/// let haq = catalog::haq_ii();
/// let all = agreement_by_element(&caseload, &haq, &haq, Level::NINETY_FIVE)?;
/// assert_eq!(all.len(), 5); // the total and four elements
/// assert_eq!(all[1].of, ScoreOf::Element(Element::Rapport));
/// assert_eq!(all[1].n, 30);
/// # Ok::<(), alliance::Error>(())
/// ```
pub fn agreement_by_element(
    courses: &[Course],
    client_instrument: &Instrument,
    therapist_instrument: &Instrument,
    level: crate::Level,
) -> Result<Vec<ScoreAgreement>> {
    use crate::agreement::{IccForm, IccUnit, LimitMultiplier, bland_altman, concordance, icc};
    let scores = std::iter::once(ScoreOf::TotalPomp).chain(Element::ALL.map(ScoreOf::Element));
    let mut out = Vec::new();
    for of in scores {
        let p = match pairs(courses, client_instrument, therapist_instrument, &of) {
            Ok(p) => p,
            // an element neither instrument covers: nothing to compare
            Err(Error::ElementNotCovered { .. } | Error::NoPairedSession { .. })
                if matches!(of, ScoreOf::Element(_)) =>
            {
                continue;
            }
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
            n: paired.n(),
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
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
/// use alliance::{catalog, sample, Rater};
/// let course = &sample::caseload()?[1];
/// let vas = catalog::session_scale();
/// let config = MonitorConfig::builder().reference_sd(2.0).build()?;
/// let walk = monitor_course(course, Rater::Client, &vas, &ScoreOf::Total, config)?;
/// let ruptured = walk.iter().find(|s| s.alerts.iter().any(|a| matches!(a.kind, AlertKind::Rupture { .. })));
/// assert_eq!(ruptured.map(|s| s.session), Some(6));
/// # Ok::<(), alliance::Error>(())
/// ```
pub fn monitor_course(
    course: &Course,
    rater: Rater,
    instrument: &Instrument,
    of: &ScoreOf,
    config: crate::monitor::MonitorConfig,
) -> Result<Vec<SessionAlerts>> {
    let scored = series(course, rater, instrument, of, TimeAxis::SessionNumber)?;
    let mut monitor = crate::monitor::Monitor::new("score", config.clone());
    let mut out = Vec::with_capacity(scored.sessions.len());
    for (&score, &session) in scored.series.values().iter().zip(&scored.sessions) {
        let mut visit = crate::monitor::Visit::new(session);
        visit.date = course
            .sessions()
            .iter()
            .find(|s| s.number() == session)
            .and_then(Session::date);
        out.push(SessionAlerts {
            session,
            score,
            alerts: monitor.push_visit(visit, score, None)?,
        });
    }
    Ok(out)
}

/// An error as its message: `Error` has no serde of its own.
#[cfg(feature = "serde")]
fn serialize_message<S: serde::Serializer>(
    error: &Error,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.collect_str(error)
}

// ---- therapist effects -------------------------------------------------------------------

/// The therapist-effects partition of one score across a caseload (see
/// [`therapist_effects`]).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CaseloadTherapistEffects {
    /// The score partitioned.
    pub of: ScoreOf,
    /// Whose ratings.
    pub rater: Rater,
    /// The REML variance partition: therapist, client and session variance, the
    /// therapist-level ICC and the counts.
    pub effects: crate::multilevel::TherapistEffects,
    /// Sessions with the response that could not be scored, and why.
    pub skipped: Vec<Skipped>,
}

/// How much of the alliance lies between therapists: the three-level REML partition
/// ([`multilevel::therapist_effects`](crate::multilevel::therapist_effects)) of one rater's
/// score on one instrument over every session of every course, sessions nested in clients
/// nested in therapists.
///
/// A client is the course's (therapist, client) pair: two courses of one client with one
/// therapist pool their sessions; the same client id with another therapist is another
/// client (a client who changed therapist is not followed across, as in lme4's
/// `therapist/client`). Sessions without the response are left out; responses that cannot
/// be scored are listed in `skipped`, as in [`series`].
///
/// # Errors
/// [`Error::UnknownSubscale`] or [`Error::ElementNotCovered`] when the instrument has no such
/// part (see [`ScoreOf::check`]); [`Error::InstrumentMismatch`] when a response with this
/// instrument's id was made on another definition; and as
/// [`multilevel::therapist_effects`](crate::multilevel::therapist_effects) on the scores
/// found: [`Error::TooFewGroups`] when fewer than 2 therapists have a score,
/// [`Error::NoReplication`] when every therapist has one scored client or every client one
/// scored session.
///
/// # Example
/// ```
/// use alliance::caseload::{therapist_effects, ScoreOf};
/// use alliance::{catalog, Course, Rater, Response, Session};
/// let srs = catalog::session_scale();
/// // therapist, client, the client's session ratings (the same on each of the four items)
/// let caseload = [
///     ("T1", "C1", [7.0, 8.0, 8.5]), ("T1", "C2", [6.0, 6.5, 7.5]),
///     ("T2", "C3", [8.5, 9.0, 9.5]), ("T2", "C4", [9.0, 8.0, 9.0]),
///     ("T3", "C5", [5.0, 6.0, 5.5]), ("T3", "C6", [6.5, 7.0, 6.0]),
/// ];
/// let mut courses = Vec::new();
/// for (therapist, client, ratings) in caseload {
///     let mut course = Course::new(client, therapist)?;
///     for (number, rating) in (1..).zip(ratings) {
///         let mut session = Session::new(client, therapist, number)?;
///         session.add(Response::complete(&srs, Rater::Client, &[rating; 4])?)?;
///         course.add(session)?;
///     }
///     courses.push(course);
/// }
/// let fit = therapist_effects(&courses, Rater::Client, &srs, &ScoreOf::Total)?;
/// assert_eq!((fit.effects.therapists, fit.effects.clients, fit.effects.n), (3, 6, 18));
/// assert!(fit.effects.coefficient.value().is_some_and(|icc| icc > 0.5));
/// assert!(fit.skipped.is_empty());
/// # Ok::<(), alliance::Error>(())
/// ```
pub fn therapist_effects(
    courses: &[Course],
    rater: Rater,
    instrument: &Instrument,
    of: &ScoreOf,
) -> Result<CaseloadTherapistEffects> {
    of.check(instrument)?;
    let mut rows: Vec<(&str, &str, f64)> = Vec::new();
    let mut skipped = Vec::new();
    for course in courses {
        for session in course.sessions() {
            let Some(response) = session.response(rater, instrument.id()) else {
                continue;
            };
            same_instrument(response, instrument, course, session)?;
            match pick(response, of) {
                Ok(value) => rows.push((course.therapist(), course.client(), value)),
                Err(reason) => skipped.push(Skipped {
                    client: course.client().to_owned(),
                    session: session.number(),
                    reason,
                }),
            }
        }
    }
    Ok(CaseloadTherapistEffects {
        of: of.clone(),
        rater,
        effects: crate::multilevel::therapist_effects(&rows)?,
        skipped,
    })
}

// ---- repeated-measures agreement ------------------------------------------------------------

/// Client-therapist agreement on one score pooled over every session of every dyad of a
/// caseload, by the repeated-measures methods: each course (one client with one therapist) is
/// a subject, so the sessions of a dyad are not taken as independent pairs.
/// Serializes; does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RepeatedAgreement {
    /// The score compared.
    pub of: ScoreOf,
    /// Sessions paired (both scored), over all dyads.
    pub n: usize,
    /// Dyads (courses) with at least one paired session.
    pub dyads: usize,
    /// The within-dyad association of the client's and the therapist's scores across
    /// sessions ([`rm_corr`](crate::agreement::rm_corr), client first).
    pub rm_corr: crate::agreement::RepeatedCorrelation,
    /// Bias (client − therapist) and limits of agreement of a single session, with MOVER
    /// confidence limits ([`bland_altman_repeated`](crate::agreement::bland_altman_repeated)).
    pub bland_altman: crate::agreement::RepeatedBlandAltman,
    /// Whether the bias changes with the level of the scores
    /// ([`proportional_bias_repeated`](crate::agreement::proportional_bias_repeated)).
    pub proportional_bias: crate::agreement::ProportionalBias,
    /// Sessions left out, and why.
    pub skipped: Vec<Skipped>,
}

/// Client-therapist agreement on one score across a caseload, pooled over the sessions of
/// every dyad by the repeated-measures methods: the repeated-measures correlation, Bland-Altman
/// limits for repeated pairs (`true_value`: [`TrueValue::Varying`](crate::agreement::TrueValue)
/// for the alliance, which changes over sessions) and proportional bias, with each course as a
/// subject. Responses that cannot be scored are left out and listed in `skipped`, as
/// [`pairs`] does.
///
/// # Errors
/// As [`pairs`] ([`Error::NoPairedSession`] when no session has both scores); then
/// [`Error::TooFewPairs`] for fewer than 2 paired sessions and
/// [`Error::TooFewRepeatedSubjects`] when they all come from one dyad.
///
/// # Example
/// ```
/// use alliance::agreement::TrueValue;
/// use alliance::caseload::{repeated_agreement, ScoreOf};
/// use alliance::{catalog, sample, Level};
/// let caseload = sample::caseload()?;
/// let haq = catalog::haq_ii();
/// let a = repeated_agreement(&caseload, &haq, &haq, &ScoreOf::TotalPomp, TrueValue::Varying, Level::NINETY_FIVE)?;
/// assert_eq!((a.n, a.dyads), (a.rm_corr.n, a.bland_altman.subjects));
/// assert!(a.bland_altman.lower_limit <= a.bland_altman.upper_limit);
/// # Ok::<(), alliance::Error>(())
/// ```
pub fn repeated_agreement(
    courses: &[Course],
    client_instrument: &Instrument,
    therapist_instrument: &Instrument,
    of: &ScoreOf,
    true_value: crate::agreement::TrueValue,
    level: crate::Level,
) -> Result<RepeatedAgreement> {
    use crate::agreement::{
        LimitMultiplier, bland_altman_repeated, proportional_bias_repeated, rm_corr,
    };
    let (data, skipped) = repeated_pairs(courses, client_instrument, therapist_instrument, of)?;
    let rm = rm_corr(&data, level)?;
    let ba = bland_altman_repeated(&data, true_value, LimitMultiplier::default(), level)?;
    let pb = proportional_bias_repeated(&data, LimitMultiplier::default(), level)?;
    Ok(RepeatedAgreement {
        of: of.clone(),
        n: data.n(),
        dyads: data.subjects(),
        rm_corr: rm,
        bland_altman: ba,
        proportional_bias: pb,
        skipped,
    })
}

/// [`repeated_agreement`] on the total (POMP) and on each of the four elements, as
/// [`agreement_by_element`] does for the pooled methods: an element the instruments do not
/// cover, or that no session pairs, is left out.
///
/// # Errors
/// As [`repeated_agreement`] for the total and for each element that is paired.
///
/// # Example
/// ```
/// use alliance::agreement::TrueValue;
/// use alliance::caseload::{repeated_agreement_by_element, ScoreOf};
/// use alliance::{catalog, sample, Element, Level};
/// let caseload = sample::caseload()?;
/// let haq = catalog::haq_ii();
/// let all = repeated_agreement_by_element(&caseload, &haq, &haq, TrueValue::Varying, Level::NINETY_FIVE)?;
/// assert_eq!(all.len(), 5); // the total and four elements
/// assert_eq!(all[1].of, ScoreOf::Element(Element::Rapport));
/// # Ok::<(), alliance::Error>(())
/// ```
pub fn repeated_agreement_by_element(
    courses: &[Course],
    client_instrument: &Instrument,
    therapist_instrument: &Instrument,
    true_value: crate::agreement::TrueValue,
    level: crate::Level,
) -> Result<Vec<RepeatedAgreement>> {
    let scores = std::iter::once(ScoreOf::TotalPomp).chain(Element::ALL.map(ScoreOf::Element));
    let mut out = Vec::new();
    for of in scores {
        match repeated_agreement(
            courses,
            client_instrument,
            therapist_instrument,
            &of,
            true_value,
            level,
        ) {
            Ok(a) => out.push(a),
            Err(Error::ElementNotCovered { .. } | Error::NoPairedSession { .. })
                if matches!(of, ScoreOf::Element(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// The paired sessions of every course, with the course (dyad) as the subject, and the
/// sessions skipped; the same pairing and skipping rules as [`pairs`].
fn repeated_pairs(
    courses: &[Course],
    client_instrument: &Instrument,
    therapist_instrument: &Instrument,
    of: &ScoreOf,
) -> Result<(crate::agreement::Repeated, Vec<Skipped>)> {
    let (mut dyad, mut client, mut therapist) = (Vec::new(), Vec::new(), Vec::new());
    let skipped = each_pair(
        courses,
        client_instrument,
        therapist_instrument,
        of,
        |index, _, _, c, t| {
            dyad.push(index);
            client.push(c);
            therapist.push(t);
        },
    )?;
    Ok((
        crate::agreement::Repeated::new(&dyad, &client, &therapist)?,
        skipped,
    ))
}
