//! A small synthetic caseload bundled with the crate, for examples, docs and tests.
//!
//! Three client-therapist dyads (C01-T01, 10 sessions, growing alliance; C02-T02, 12
//! sessions, a rupture at session 6 repaired by session 8; C03-T01, 8 sessions, a slow
//! decline that the therapist rates higher than the client). Each session holds the client's
//! VAS-4 session scale and WAI-SR, and client and therapist HAq-II; three answers are
//! missing. No real patient's data: `data/make_caseload.py` generates it deterministically.

use crate::error::{Error, Result};
use crate::instrument::catalog;
use crate::response::{Rater, Response};
use crate::session::{Course, Date, Session};

/// The caseload as CSV: `client,therapist,session,date,rater,instrument,answers`, answers
/// separated by `;`, an empty answer missing.
pub const CASELOAD_CSV: &str = include_str!("../data/caseload.csv");

/// The bundled caseload, one [`Course`] per dyad, in file order.
///
/// # Errors
/// Never for the bundled file (the test suite loads it); the parser itself reports
/// [`Error::Parse`] with the line number for a malformed line.
///
/// # Example
/// ```
/// let caseload = alliance::sample::caseload()?;
/// assert_eq!(caseload.len(), 3);
/// assert_eq!(caseload[1].sessions().len(), 12);
/// # Ok::<(), alliance::Error>(())
/// ```
pub fn caseload() -> Result<Vec<Course>> {
    parse(CASELOAD_CSV)
}

fn parse(csv: &str) -> Result<Vec<Course>> {
    let mut courses: Vec<Course> = Vec::new();
    let mut pending: Option<Session> = None;
    for (index, line) in csv.lines().enumerate().skip(1) {
        let line_no = index + 1;
        let bad = |reason| Error::Parse {
            line: line_no,
            reason,
        };
        let fields: Vec<&str> = line.split(',').collect();
        let [client, therapist, number, date, rater, instrument, answers] = fields[..] else {
            return Err(bad("expected 7 comma-separated fields"));
        };
        let number: u32 = number
            .parse()
            .map_err(|_| bad("session is not a whole number"))?;
        let date = parse_date(date).ok_or_else(|| bad("date is not YYYY-MM-DD"))??;
        let rater = match rater {
            "client" => Rater::Client,
            "therapist" => Rater::Therapist,
            "observer" => Rater::Observer,
            _ => return Err(bad("rater is not client, therapist or observer")),
        };
        let instrument = catalog::by_id(instrument).ok_or_else(|| bad("unknown instrument"))?;
        let answers = answers
            .split(';')
            .map(|a| match a.trim() {
                "" => Ok(None),
                a => a
                    .parse::<f64>()
                    .map(Some)
                    .map_err(|_| bad("answer is not a number")),
            })
            .collect::<Result<Vec<_>>>()?;
        let response = Response::new(&instrument, rater, &answers)?;

        let same_session = pending.as_ref().is_some_and(|s| {
            s.client() == client && s.therapist() == therapist && s.number() == number
        });
        if !same_session {
            if let Some(done) = pending.take() {
                file(&mut courses, done)?;
            }
            pending = Some(Session::new(client, therapist, number)?.with_date(date));
        }
        if let Some(session) = pending.as_mut() {
            session.add(response)?;
        }
    }
    if let Some(done) = pending {
        file(&mut courses, done)?;
    }
    Ok(courses)
}

/// Adds a session to its dyad's course, starting a course for a new dyad.
fn file(courses: &mut Vec<Course>, session: Session) -> Result<()> {
    let found = courses
        .iter_mut()
        .find(|c| c.client() == session.client() && c.therapist() == session.therapist());
    match found {
        Some(course) => course.add(session),
        None => {
            let mut course = Course::new(session.client(), session.therapist())?;
            course.add(session)?;
            courses.push(course);
            Ok(())
        }
    }
}

/// `YYYY-MM-DD`; `None` when not of that shape, `Some(Err)` for a shape that is no date.
fn parse_date(s: &str) -> Option<Result<Date>> {
    let mut parts = s.split('-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    parts.next().is_none().then(|| Date::new(year, month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_caseload_parses() {
        let courses = caseload().unwrap();
        let sessions: Vec<usize> = courses.iter().map(|c| c.sessions().len()).collect();
        assert_eq!(sessions, [10, 12, 8]);
        let missing: usize = courses
            .iter()
            .flat_map(|c| c.sessions())
            .flat_map(|s| s.responses())
            .map(Response::missing)
            .sum();
        assert_eq!(missing, 3);
    }

    #[test]
    fn malformed_lines_name_their_line() {
        let head = "client,therapist,session,date,rater,instrument,answers\n";
        let e = parse(&format!("{head}C1,T1,x,2026-01-01,client,VAS-4,1;2;3;4")).unwrap_err();
        assert!(matches!(e, Error::Parse { line: 2, .. }));
        let e = parse(&format!("{head}C1,T1,1,2026-02-30,client,VAS-4,1;2;3;4")).unwrap_err();
        assert!(matches!(e, Error::InvalidDate { .. }));
        let e = parse(&format!("{head}C1,T1,1,2026-01-01,client,VAS-4,1;2;3;44")).unwrap_err();
        assert!(matches!(e, Error::OutOfScale { item: 4, .. }));
    }
}
