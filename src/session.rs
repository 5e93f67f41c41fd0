//! Session records of a therapist-client dyad.

use crate::error::{Error, Result};
use crate::response::{Rater, Response};
use std::fmt;

/// A calendar date (proleptic Gregorian), enough to place sessions on a time axis.
///
/// # Example
/// ```
/// use alliance::Date;
/// let d = Date::new(2026, 3, 1)?;
/// assert_eq!(d.days_since(Date::new(2026, 2, 1)?), 28);
/// assert!(Date::new(2026, 2, 29).is_err());
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// A date.
    ///
    /// # Errors
    /// [`Error::InvalidDate`] when the day does not exist in that month and year (or the year
    /// is outside -9999..=9999).
    ///
    /// # Example
    /// ```
    /// use alliance::{Date, Error};
    /// let d = Date::new(2024, 2, 29)?; // a leap day
    /// assert_eq!(d.to_string(), "2024-02-29");
    /// assert_eq!(Date::new(2023, 2, 29), Err(Error::InvalidDate { year: 2023, month: 2, day: 29 }));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(year: i32, month: u8, day: u8) -> Result<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => 0,
        };
        if !(-9999..=9999).contains(&year) || day == 0 || day > days_in_month {
            return Err(Error::InvalidDate { year, month, day });
        }
        Ok(Date { year, month, day })
    }

    /// Year.
    ///
    /// # Example
    /// ```
    /// use alliance::Date;
    /// assert_eq!(Date::new(2026, 3, 1)?.year(), 2026);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn year(self) -> i32 {
        self.year
    }

    /// Month, 1-12.
    ///
    /// # Example
    /// ```
    /// use alliance::Date;
    /// assert_eq!(Date::new(2026, 3, 1)?.month(), 3);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn month(self) -> u8 {
        self.month
    }

    /// Day of the month.
    ///
    /// # Example
    /// ```
    /// use alliance::Date;
    /// assert_eq!(Date::new(2026, 3, 1)?.day(), 1);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before it).
    ///
    /// # Example
    /// ```
    /// use alliance::Date;
    /// assert_eq!(Date::new(1970, 1, 2)?.days_since_epoch(), 1);
    /// assert_eq!(Date::new(1969, 12, 31)?.days_since_epoch(), -1);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Whole days from `earlier` to `self` (negative if `earlier` is later).
    ///
    /// # Example
    /// ```
    /// use alliance::Date;
    /// let intake = Date::new(2026, 1, 5)?;
    /// assert_eq!(Date::new(2026, 2, 2)?.days_since(intake), 28);
    /// assert_eq!(intake.days_since(Date::new(2026, 2, 2)?), -28);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn days_since(self, earlier: Date) -> i64 {
        self.days_since_epoch() - earlier.days_since_epoch()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// An ISO 8601 calendar date, `YYYY-MM-DD` (a leading `-` for years before 1 BC), as
/// [`Display`](fmt::Display) writes it; with feature `serde` it is also the JSON form.
///
/// # Example
/// ```
/// use alliance::Date;
/// let d: Date = "2026-03-01".parse()?;
/// assert_eq!((d.year(), d.month(), d.day()), (2026, 3, 1));
/// assert_eq!(d.to_string(), "2026-03-01");
/// assert!("2026-02-30".parse::<Date>().is_err()); // no such day
/// assert!("01/03/2026".parse::<Date>().is_err());
/// # Ok::<(), alliance::Error>(())
/// ```
/// An ISO 8601 calendar date, `YYYY-MM-DD` (a year before 1 with a leading `-`).
#[cfg(feature = "schema")]
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An ISO 8601 calendar date, YYYY-MM-DD",
            "type": "string",
            "pattern": "^-?[0-9]{4}-[0-9]{2}-[0-9]{2}$"
        })
    }
}

impl std::str::FromStr for Date {
    type Err = Error;
    fn from_str(s: &str) -> Result<Date> {
        let unrecognized = || Error::Unrecognized {
            what: "date",
            value: s.to_owned(),
            expected: "an ISO 8601 date, YYYY-MM-DD",
        };
        let (sign, rest) = match s.strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (1, s),
        };
        let mut parts = rest.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(unrecognized());
        };
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
            return Err(unrecognized());
        }
        let number = |p: &str| p.parse::<i32>().map_err(|_| unrecognized());
        let (y, m, d) = (number(y)?, number(m)?, number(d)?);
        Date::new(sign * y, m as u8, d as u8)
    }
}

impl TryFrom<String> for Date {
    type Error = Error;
    fn try_from(s: String) -> Result<Date> {
        s.parse()
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

impl TryFrom<(i32, u8, u8)> for Date {
    type Error = Error;
    fn try_from((y, m, d): (i32, u8, u8)) -> Result<Date> {
        Date::new(y, m, d)
    }
}

impl From<Date> for (i32, u8, u8) {
    fn from(d: Date) -> (i32, u8, u8) {
        (d.year, d.month, d.day)
    }
}

/// One session of a dyad: who, which session, when, and the questionnaires completed.
///
/// A session holds at most one response per rater and instrument.
///
/// # Example
/// ```
/// use alliance::{catalog, Date, Rater, Response, Session};
/// let srs = catalog::session_scale();
/// let mut s = Session::new("client-17", "dr-ng", 3)?.with_date(Date::new(2026, 3, 1)?);
/// s.add(Response::complete(&srs, Rater::Client, &[9.1, 8.7, 9.0, 9.3])?)?;
/// assert!(s.response(Rater::Client, "VAS-4").is_some());
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(try_from = "wire::SessionData"))]
pub struct Session {
    client: String,
    therapist: String,
    number: u32,
    date: Option<Date>,
    responses: Vec<Response>,
}

impl Session {
    /// A session with no responses yet.
    ///
    /// # Errors
    /// [`Error::EmptyId`] when the client or therapist id is empty (or only white space).
    ///
    /// # Example
    /// ```
    /// use alliance::{Error, Session};
    /// let s = Session::new("client-17", "dr-ng", 1)?;
    /// assert_eq!((s.client(), s.therapist(), s.number()), ("client-17", "dr-ng", 1));
    /// assert_eq!(Session::new("", "dr-ng", 1), Err(Error::EmptyId { role: "client" }));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(
        client: impl Into<String>,
        therapist: impl Into<String>,
        number: u32,
    ) -> Result<Session> {
        let (client, therapist) = (client.into(), therapist.into());
        if client.trim().is_empty() {
            return Err(Error::EmptyId { role: "client" });
        }
        if therapist.trim().is_empty() {
            return Err(Error::EmptyId { role: "therapist" });
        }
        Ok(Session {
            client,
            therapist,
            number,
            date: None,
            responses: Vec::new(),
        })
    }

    /// Sets the session's date.
    ///
    /// # Example
    /// ```
    /// use alliance::{Date, Session};
    /// let s = Session::new("client-17", "dr-ng", 1)?.with_date(Date::new(2026, 3, 1)?);
    /// assert_eq!(s.date(), Some(Date::new(2026, 3, 1)?));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    #[must_use]
    pub fn with_date(mut self, date: Date) -> Session {
        self.date = Some(date);
        self
    }

    /// Adds a completed questionnaire.
    ///
    /// # Errors
    /// [`Error::DuplicateResponse`] when the session already has a response of this rater on
    /// this instrument.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, Error, Rater, Response, Session};
    /// let srs = catalog::session_scale();
    /// let mut s = Session::new("client-17", "dr-ng", 4)?;
    /// s.add(Response::complete(&srs, Rater::Client, &[9.0; 4])?)?;
    /// s.add(Response::complete(&srs, Rater::Therapist, &[8.0; 4])?)?;
    /// let again = s.add(Response::complete(&srs, Rater::Client, &[7.0; 4])?);
    /// assert!(matches!(again, Err(Error::DuplicateResponse { session: 4, rater: "client", .. })));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn add(&mut self, response: Response) -> Result<()> {
        let id = response.instrument().id();
        if self.response(response.rater(), id).is_some() {
            return Err(Error::DuplicateResponse {
                session: self.number,
                rater: response.rater().label(),
                instrument: id.to_owned(),
            });
        }
        self.responses.push(response);
        Ok(())
    }

    /// The client's id.
    ///
    /// # Example
    /// ```
    /// use alliance::Session;
    /// assert_eq!(Session::new("client-17", "dr-ng", 1)?.client(), "client-17");
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn client(&self) -> &str {
        &self.client
    }

    /// The therapist's id.
    ///
    /// # Example
    /// ```
    /// use alliance::Session;
    /// assert_eq!(Session::new("client-17", "dr-ng", 1)?.therapist(), "dr-ng");
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn therapist(&self) -> &str {
        &self.therapist
    }

    /// The session number (1 = intake, or however the clinic counts).
    ///
    /// # Example
    /// ```
    /// use alliance::Session;
    /// assert_eq!(Session::new("client-17", "dr-ng", 7)?.number(), 7);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn number(&self) -> u32 {
        self.number
    }

    /// The session's date, if recorded.
    ///
    /// # Example
    /// ```
    /// use alliance::Session;
    /// assert_eq!(Session::new("client-17", "dr-ng", 1)?.date(), None); // not recorded
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn date(&self) -> Option<Date> {
        self.date
    }

    /// All responses, in the order added.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, Rater, Response, Session};
    /// let mut s = Session::new("client-17", "dr-ng", 1)?;
    /// s.add(Response::complete(&catalog::session_scale(), Rater::Client, &[9.0; 4])?)?;
    /// s.add(Response::complete(&catalog::arm_5(), Rater::Client, &[6.0; 5])?)?;
    /// let ids: Vec<&str> = s.responses().iter().map(|r| r.instrument().id()).collect();
    /// assert_eq!(ids, ["VAS-4", "ARM-5"]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn responses(&self) -> &[Response] {
        &self.responses
    }

    /// The response of `rater` on the instrument with id `instrument`, if any.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, Rater, Response, Session};
    /// let mut s = Session::new("client-17", "dr-ng", 1)?;
    /// s.add(Response::complete(&catalog::arm_5(), Rater::Client, &[6.0; 5])?)?;
    /// assert!(s.response(Rater::Client, "ARM-5").is_some());
    /// assert!(s.response(Rater::Therapist, "ARM-5").is_none());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn response(&self, rater: Rater, instrument: &str) -> Option<&Response> {
        self.responses
            .iter()
            .find(|r| r.rater() == rater && r.instrument().id() == instrument)
    }
}

/// A dyad's course of therapy: its sessions, ordered by session number, with no duplicate
/// numbers and dates (where recorded) that never go backwards.
///
/// # Example
/// ```
/// use alliance::{Course, Date, Session};
/// let mut course = Course::new("client-17", "dr-ng")?;
/// course.add(Session::new("client-17", "dr-ng", 2)?.with_date(Date::new(2026, 3, 8)?))?;
/// course.add(Session::new("client-17", "dr-ng", 1)?.with_date(Date::new(2026, 3, 1)?))?;
/// assert_eq!(course.sessions().iter().map(|s| s.number()).collect::<Vec<_>>(), [1, 2]);
/// // session 3 dated before session 2:
/// let late = Session::new("client-17", "dr-ng", 3)?.with_date(Date::new(2026, 3, 2)?);
/// assert!(course.add(late).is_err());
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(try_from = "wire::CourseData"))]
pub struct Course {
    client: String,
    therapist: String,
    sessions: Vec<Session>,
}

impl Course {
    /// An empty course for a client-therapist dyad.
    ///
    /// # Errors
    /// [`Error::EmptyId`] when the client or therapist id is empty (or only white space).
    ///
    /// # Example
    /// ```
    /// use alliance::{Course, Error};
    /// let course = Course::new("client-17", "dr-ng")?;
    /// assert!(course.sessions().is_empty());
    /// assert_eq!(Course::new("client-17", ""), Err(Error::EmptyId { role: "therapist" }));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(client: impl Into<String>, therapist: impl Into<String>) -> Result<Course> {
        // Reuse the session's id check.
        let probe = Session::new(client, therapist, 0)?;
        Ok(Course {
            client: probe.client,
            therapist: probe.therapist,
            sessions: Vec::new(),
        })
    }

    /// A course from sessions in any order: sorted once by session number, then checked in
    /// that order, so the cost is O(n log n) whatever the order given.
    ///
    /// # Errors
    /// As [`Course::new`]; then [`Error::ForeignSession`] for the first session (in the order
    /// given) of another client or therapist; [`Error::DuplicateSession`] for the lowest
    /// session number given twice; [`Error::DatesOutOfOrder`] for the lowest-numbered session
    /// dated before an earlier-numbered session (`previous`, the nearest dated one before it).
    /// The same inputs are accepted as by adding the sessions one by one with [`Course::add`].
    ///
    /// # Example
    /// ```
    /// use alliance::{Course, Session};
    /// let sessions = [3, 1, 2].map(|n| Session::new("client-17", "dr-ng", n));
    /// let course = Course::from_sessions("client-17", "dr-ng", sessions.into_iter().collect::<Result<Vec<_>, _>>()?)?;
    /// assert_eq!(course.sessions().iter().map(|s| s.number()).collect::<Vec<_>>(), [1, 2, 3]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn from_sessions(
        client: impl Into<String>,
        therapist: impl Into<String>,
        sessions: impl IntoIterator<Item = Session>,
    ) -> Result<Course> {
        let mut course = Course::new(client, therapist)?;
        let mut sessions: Vec<Session> = sessions.into_iter().collect();
        if let Some(s) = sessions
            .iter()
            .find(|s| s.client != course.client || s.therapist != course.therapist)
        {
            return Err(Error::ForeignSession { session: s.number });
        }
        // Stable, so a repeated number keeps the order given (the sort is the whole cost).
        sessions.sort_by_key(Session::number);
        if let Some(pair) = sessions.windows(2).find(|w| w[0].number == w[1].number) {
            return Err(Error::DuplicateSession {
                session: pair[1].number,
            });
        }
        let mut last: Option<(u32, Date)> = None;
        for s in &sessions {
            if let Some(date) = s.date {
                if let Some((previous, d)) = last
                    && date < d
                {
                    return Err(Error::DatesOutOfOrder {
                        session: s.number,
                        previous,
                    });
                }
                last = Some((s.number, date));
            }
        }
        course.sessions = sessions;
        Ok(course)
    }

    /// Inserts a session at its place by session number.
    ///
    /// # Errors
    /// [`Error::ForeignSession`] when the session's client or therapist differs from the
    /// course's; [`Error::DuplicateSession`] when its number is taken;
    /// [`Error::DatesOutOfOrder`] when its date is before an earlier-numbered session's date
    /// or after a later-numbered one's. The course is unchanged on error.
    ///
    /// # Example
    /// ```
    /// use alliance::{Course, Error, Session};
    /// let mut course = Course::new("client-17", "dr-ng")?;
    /// course.add(Session::new("client-17", "dr-ng", 1)?)?;
    /// let dup = course.add(Session::new("client-17", "dr-ng", 1)?);
    /// assert_eq!(dup, Err(Error::DuplicateSession { session: 1 }));
    /// let other = course.add(Session::new("client-18", "dr-ng", 2)?);
    /// assert_eq!(other, Err(Error::ForeignSession { session: 2 }));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn add(&mut self, session: Session) -> Result<()> {
        if session.client != self.client || session.therapist != self.therapist {
            return Err(Error::ForeignSession {
                session: session.number,
            });
        }
        let at = match self
            .sessions
            .binary_search_by_key(&session.number, Session::number)
        {
            Ok(_) => {
                return Err(Error::DuplicateSession {
                    session: session.number,
                });
            }
            Err(at) => at,
        };
        if let Some(date) = session.date {
            let before = self.sessions[..at]
                .iter()
                .rev()
                .find_map(|s| s.date.map(|d| (s.number, d)));
            if let Some((previous, d)) = before
                && date < d
            {
                return Err(Error::DatesOutOfOrder {
                    session: session.number,
                    previous,
                });
            }
            let after = self.sessions[at..]
                .iter()
                .find_map(|s| s.date.map(|d| (s.number, d)));
            if let Some((next, d)) = after
                && date > d
            {
                return Err(Error::DatesOutOfOrder {
                    session: next,
                    previous: session.number,
                });
            }
        }
        self.sessions.insert(at, session);
        Ok(())
    }

    /// The client's id.
    ///
    /// # Example
    /// ```
    /// use alliance::Course;
    /// assert_eq!(Course::new("client-17", "dr-ng")?.client(), "client-17");
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn client(&self) -> &str {
        &self.client
    }

    /// The therapist's id.
    ///
    /// # Example
    /// ```
    /// use alliance::Course;
    /// assert_eq!(Course::new("client-17", "dr-ng")?.therapist(), "dr-ng");
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn therapist(&self) -> &str {
        &self.therapist
    }

    /// The sessions, ordered by number.
    ///
    /// # Example
    /// ```
    /// use alliance::sample;
    /// let courses = sample::caseload()?;
    /// let first = &courses[0];
    /// assert!(first.sessions().windows(2).all(|w| w[0].number() < w[1].number()));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn sessions(&self) -> &[Session] {
        &self.sessions
    }
}

#[cfg(feature = "serde")]
mod wire {
    use super::*;

    #[derive(serde::Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub(super) struct SessionData {
        client: String,
        therapist: String,
        number: u32,
        date: Option<Date>,
        responses: Vec<Response>,
    }

    impl TryFrom<SessionData> for Session {
        type Error = Error;
        fn try_from(d: SessionData) -> Result<Session> {
            let mut s = Session::new(d.client, d.therapist, d.number)?;
            s.date = d.date;
            for r in d.responses {
                s.add(r)?;
            }
            Ok(s)
        }
    }

    #[derive(serde::Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub(super) struct CourseData {
        client: String,
        therapist: String,
        sessions: Vec<Session>,
    }

    impl TryFrom<CourseData> for Course {
        type Error = Error;
        fn try_from(d: CourseData) -> Result<Course> {
            Course::from_sessions(d.client, d.therapist, d.sessions)
        }
    }
}
