//! Sessions as the clinic numbers and dates them, so that an alert names "session 6 on
//! 2026-03-01" and not a position in the monitor's input.

use std::collections::VecDeque;

use crate::error::{Error, Result};
use crate::session::Date;

/// A session as the clinic counts it: its number and, when known, its date.
///
/// Feed it with [`Monitor::push_visit`](super::Monitor::push_visit) (or the
/// [`DyadMonitor`](super::DyadMonitor)'s); every alert then carries the number and date of
/// the session it is about and of the session that raised it. Sessions fed with a plain time
/// ([`Monitor::push`](super::Monitor::push)) are numbered on from the last one: 1, 2, 3, ...
///
/// # Example
/// ```
/// use alliance::monitor::Visit;
/// use alliance::Date;
/// let v = Visit::new(6).on(Date::new(2026, 3, 1)?);
/// assert_eq!((v.number, v.date.map(|d| d.to_string())), (6, Some("2026-03-01".into())));
/// assert_eq!(v.to_string(), "session 6 (2026-03-01)");
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Visit {
    /// The session number.
    pub number: u32,
    /// Its date, when known.
    #[cfg_attr(feature = "serde", serde(default))]
    pub date: Option<Date>,
}

impl Visit {
    /// Session `number`, undated.
    ///
    /// # Example
    /// ```
    /// assert_eq!(alliance::monitor::Visit::new(3).date, None);
    /// ```
    pub fn new(number: u32) -> Visit {
        Visit { number, date: None }
    }

    /// The same session, held on `date`.
    ///
    /// # Example
    /// ```
    /// use alliance::{monitor::Visit, Date};
    /// assert_eq!(Visit::new(3).on(Date::new(2026, 1, 5)?).date, Some(Date::new(2026, 1, 5)?));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn on(self, date: Date) -> Visit {
        Visit {
            date: Some(date),
            ..self
        }
    }
}

impl std::fmt::Display for Visit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "session {}", self.number)?;
        if let Some(d) = self.date {
            write!(f, " ({d})")?;
        }
        Ok(())
    }
}

/// How many sessions back a later alert can refer to, besides open ruptures: a sudden drop is
/// raised when the third session after the drop arrives, about the session after the drop.
const LOOKBACK: usize = 4;

/// The visits an alert may still name: the last [`LOOKBACK`] sessions and those of open
/// ruptures, by position, oldest first. Bounded, so a monitor's state does not grow with the
/// course.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Visits {
    pub(crate) kept: VecDeque<(usize, Visit)>,
    /// The last dated session's number and date: dates may not go back.
    pub(crate) last_date: Option<(u32, Date)>,
}

impl Visits {
    /// The visit a push with a plain time gets: numbered on from the last session.
    pub(crate) fn next(&self) -> Visit {
        let number = self
            .kept
            .back()
            .map_or(1, |(_, v)| v.number.saturating_add(1));
        Visit::new(number)
    }

    /// Checks that `visit` may follow the sessions so far (the monitor's position `index`).
    pub(crate) fn check(&self, index: usize, visit: Visit) -> Result<()> {
        if let Some(&(_, last)) = self.kept.back()
            && visit.number <= last.number
        {
            return Err(Error::NotIncreasing {
                index,
                value: f64::from(visit.number),
                previous: f64::from(last.number),
            });
        }
        if let (Some(date), Some((previous, last))) = (visit.date, self.last_date)
            && date < last
        {
            return Err(Error::DatesOutOfOrder {
                session: visit.number,
                previous,
            });
        }
        Ok(())
    }

    /// Records the (checked) visit at position `index`.
    pub(crate) fn push(&mut self, index: usize, visit: Visit) {
        self.kept.push_back((index, visit));
        if let Some(date) = visit.date {
            self.last_date = Some((visit.number, date));
        }
    }

    /// Forgets the visits no alert can name any more: before `oldest_open` (the oldest open
    /// rupture's position, if any) and before the last [`LOOKBACK`] sessions.
    pub(crate) fn forget(&mut self, sessions: usize, oldest_open: Option<usize>) {
        let recent = sessions.saturating_sub(LOOKBACK);
        let keep_from = oldest_open.map_or(recent, |o| o.min(recent));
        while self.kept.front().is_some_and(|&(i, _)| i < keep_from) {
            self.kept.pop_front();
        }
    }

    /// The visit at position `index`; one no longer kept (never the case for an alert the
    /// monitor raises) is numbered from its position.
    pub(crate) fn at(&self, index: usize) -> Visit {
        self.kept.iter().find(|&&(i, _)| i == index).map_or_else(
            || Visit::new(u32::try_from(index.saturating_add(1)).unwrap_or(u32::MAX)),
            |&(_, v)| v,
        )
    }

    /// Names the sessions of the alerts one push appended (`raised` is the pushed session).
    pub(crate) fn label<K>(&self, alerts: &mut [super::Alert<K>], raised: Visit) {
        for a in alerts {
            let about = self.at(a.index);
            a.session = about.number;
            a.date = about.date;
            a.raised_session = raised.number;
        }
    }
}
