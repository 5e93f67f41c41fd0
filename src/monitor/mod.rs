//! The streaming alliance monitor: feed sessions one at a time, get the alerts each raises.
//!
//! A monitor keeps only running state (Welford moments, the last six scores, the CUSUM and
//! EWMA statistics, the open ruptures, which of the last sessions were below the expected
//! curve's band), so each session costs O(1) amortized (the curve is read at the session's
//! number, in O(1)), and it calls the
//! same code the batch functions in [`crate::trend`] use. Its promise: after any session, the
//! alerts it has raised so far are exactly what the batch detectors report on the sessions so
//! far ([`ruptures`](crate::trend::ruptures), [`sudden_drops`](crate::trend::sudden_drops),
//! [`cusum`](crate::trend::cusum), [`ewma`](crate::trend::ewma),
//! [`pcoms_flags`](crate::trend::pcoms_flags), [`divergence`](crate::trend::divergence),
//! [`not_on_track`](crate::trend::not_on_track) on the sessions' numbers), down to the last
//! bit. A property test checks it.
//!
//! Within one session, alerts come in a fixed order: repairs and closed windows of earlier
//! ruptures, a new rupture, a sudden drop, CUSUM, EWMA, PCOMS (below cutoff, then drop),
//! divergence, not on track; in a [`DyadMonitor`], score by score in the order of its keys.

mod alert;
mod config;
mod defaults;
mod report;
#[cfg(feature = "serde")]
mod snapshot;
mod visit;

pub use alert::{Alert, AlertDetail, AlertKind};
pub use config::{MonitorConfig, MonitorConfigBuilder};
pub use defaults::{Basis, InstrumentConfig};
pub use report::{Change, Event, SessionReport, Severity};
#[cfg(feature = "serde")]
pub use snapshot::{MonitorSnapshot, SNAPSHOT_FORMAT};
pub use visit::Visit;

use crate::error::{Error, Result};
use crate::trend::control::{CusumTracker, EwmaTracker};
use crate::trend::divergence::DivergenceTracker;
use crate::trend::expected::TrackTracker;
use crate::trend::pcoms::PcomsTracker;
use crate::trend::rupture::{RuptureEvent, RuptureTracker};
use crate::trend::sudden::SuddenTracker;
use visit::Visits;

/// Running state of every rule for one score.
#[derive(Debug, Clone, PartialEq)]
struct ScoreState {
    sessions: usize,
    rupture: RuptureTracker,
    sudden: SuddenTracker,
    cusum: Option<CusumTracker>,
    ewma: Option<EwmaTracker>,
    pcoms: PcomsTracker,
    divergence: DivergenceTracker,
    track: TrackTracker,
}

impl ScoreState {
    fn new(config: &MonitorConfig) -> ScoreState {
        ScoreState {
            sessions: 0,
            rupture: RuptureTracker::default(),
            sudden: SuddenTracker::default(),
            cusum: config.cusum().map(|r| CusumTracker::new(&r)),
            ewma: config.ewma().map(|r| EwmaTracker::new(&r)),
            pcoms: PcomsTracker::default(),
            divergence: DivergenceTracker::default(),
            track: TrackTracker::default(),
        }
    }

    /// Feeds an already checked session, numbered `session` as the clinic numbers it.
    #[allow(clippy::too_many_arguments)] // the session's parts, each checked by the caller
    fn push<K: Copy>(
        &mut self,
        config: &MonitorConfig,
        key: K,
        session: u32,
        time: f64,
        score: f64,
        therapist: Option<f64>,
        out: &mut Vec<Alert<K>>,
    ) {
        let index = self.sessions;
        if let Some(rule) = config.ruptures() {
            self.rupture.push(&rule, index, time, score, |event| {
                let r = match event {
                    RuptureEvent::Opened(r) | RuptureEvent::Resolved(r) => r,
                };
                out.push(Alert::rupture(key, r, rule, index, time));
            });
        }
        if let Some(rule) = config.sudden_drops()
            && let Some(check) = self.sudden.push(&rule, index, time, score)
            && check.is_drop()
        {
            out.push(Alert::sudden(key, check, rule, index, time));
        }
        if let (Some(rule), Some(tracker)) = (config.cusum(), self.cusum.as_mut())
            && let Some(alarm) = tracker.push(&rule, index, time, score)
        {
            out.push(Alert::cusum(key, alarm, rule));
        }
        if let (Some(rule), Some(tracker)) = (config.ewma(), self.ewma.as_mut())
            && let Some(alarm) = tracker.push(&rule, index, time, score)
        {
            out.push(Alert::ewma(key, alarm, rule));
        }
        if let Some(rule) = config.pcoms() {
            self.pcoms.push(&rule, index, time, score, |flag| {
                out.push(Alert::pcoms(key, flag, rule));
            });
        }
        if let (Some(rule), Some(t)) = (config.divergence(), therapist) {
            let point = self.divergence.push(&rule, time, score, t);
            if point.exceeds {
                out.push(Alert::divergence(key, index, point, rule));
            }
        }
        if let Some((curve, rule)) = config.not_on_track()
            && let Some(flag) = self.track.push(curve, &rule, index, session, score).flag
        {
            out.push(Alert::not_on_track(key, flag, rule, time));
        }
        self.sessions += 1;
    }

    /// The position of the oldest rupture still waiting for its repair.
    fn oldest_open(&self) -> Option<usize> {
        self.rupture.open.front().map(|r| r.index)
    }
}

/// Checks a time against the last one; the position is the session's.
fn check_time(index: usize, time: f64, last: Option<f64>) -> Result<()> {
    crate::domain::check_one("session time", index, time)?;
    match last {
        Some(previous) if time <= previous => Err(Error::NotIncreasing {
            index,
            value: time,
            previous,
        }),
        _ => Ok(()),
    }
}

/// Checks a score; `index` is its position among the session's scores.
fn check_score(what: &'static str, index: usize, value: f64) -> Result<()> {
    crate::domain::check_one(what, index, value)
}

/// Streaming monitor of one score series (e.g. a client's session total).
///
/// ```text
/// push(time, x) -> the alerts this session raises, of every configured rule
/// after n sessions: all alerts so far == batch detectors on the first n sessions
/// ```
///
/// # Example
/// ```
/// use alliance::monitor::{AlertKind, Monitor, MonitorConfig};
/// let mut m = Monitor::new("total", MonitorConfig::builder().reference_sd(1.0).build()?);
/// let mut kinds = Vec::new();
/// for (t, x) in [30.0, 31.0, 30.0, 31.0, 24.0, 29.0, 31.0].into_iter().enumerate() {
///     for alert in m.push(t as f64 + 1.0, x)? {
///         kinds.push((alert.session, alert.kind));
///     }
/// }
/// // sessions pushed with a plain time are numbered 1, 2, 3, ...: the rupture at session 5
/// // is repaired by session 7, and the repair alert refers to session 5
/// assert!(kinds.iter().any(|&(s, k)| s == 5 && k == AlertKind::Repair));
/// assert!(m.push(7.0, 30.0).is_err()); // time must increase; the monitor is unchanged
/// assert_eq!(m.sessions(), 7);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Each alert carries its rule's source; see the batch functions in [`crate::trend`].
///
/// A monitor is not itself serialized: with feature `serde`, [`Monitor::snapshot`] saves its
/// running state and [`Monitor::restore`] brings it back, checked, with the same
/// configuration (`MonitorSnapshot`).
#[derive(Debug, Clone, PartialEq)]
pub struct Monitor<K = &'static str> {
    key: K,
    config: MonitorConfig,
    state: ScoreState,
    last_time: Option<f64>,
    visits: Visits,
}

impl<K: Copy> Monitor<K> {
    /// A monitor for the score labelled `key`.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{Monitor, MonitorConfig};
    /// let m = Monitor::new("total", MonitorConfig::builder().reference_sd(2.0).build()?);
    /// assert_eq!((m.key(), m.sessions()), ("total", 0));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(key: K, config: MonitorConfig) -> Monitor<K> {
        Monitor {
            key,
            state: ScoreState::new(&config),
            config,
            last_time: None,
            visits: Visits::default(),
        }
    }

    /// Feeds one session; returns the alerts it raises (empty most of the time, without
    /// allocating).
    ///
    /// # Errors
    /// [`Error::NonFinite`] for a NaN or infinite time or score; [`Error::NotIncreasing`]
    /// when the time is not after the previous session's; [`Error::TooLarge`] beyond ±1e100.
    /// On error the monitor is unchanged.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{AlertKind, Monitor, MonitorConfig};
    /// use alliance::trend::PcomsRule;
    /// let config = MonitorConfig::builder()
    ///     .pcoms(PcomsRule::builder().cutoff(36.0).build()?)
    ///     .build()?;
    /// let mut m = Monitor::new("SRS", config.clone());
    /// assert!(m.push(1.0, 38.0)?.is_empty());
    /// let alerts = m.push(2.0, 35.0)?;
    /// assert_eq!(alerts[0].kind, AlertKind::BelowCutoff);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn push(&mut self, time: f64, score: f64) -> Result<Vec<Alert<K>>> {
        self.push_session(time, score, None)
    }

    /// Feeds one session with the therapist's score too (for the divergence rule).
    ///
    /// # Errors
    /// As [`Monitor::push`], also for the therapist's score.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{AlertKind, Monitor, MonitorConfig};
    /// use alliance::trend::DivergenceRule;
    /// let config = MonitorConfig::builder()
    ///     .divergence(DivergenceRule::builder().bound(3.0).build()?)
    ///     .build()?;
    /// let mut m = Monitor::new("total", config.clone());
    /// let alerts = m.push_paired(1.0, 34.0, 30.0)?; // client rates 4 points higher
    /// assert_eq!(alerts[0].kind, AlertKind::Divergence);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn push_paired(&mut self, time: f64, client: f64, therapist: f64) -> Result<Vec<Alert<K>>> {
        self.push_session(time, client, Some(therapist))
    }

    fn push_session(
        &mut self,
        time: f64,
        score: f64,
        therapist: Option<f64>,
    ) -> Result<Vec<Alert<K>>> {
        let mut out = Vec::new();
        self.push_into(time, score, therapist, &mut out)?;
        Ok(out)
    }

    /// Feeds one session (with the therapist's score if given) and appends its alerts to
    /// `out`, so a caller feeding many sessions can reuse one buffer.
    ///
    /// # Errors
    /// As [`Monitor::push_paired`]; on error neither the monitor nor `out` changes.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{Monitor, MonitorConfig};
    /// use alliance::trend::PcomsRule;
    /// let config = MonitorConfig::builder()
    ///     .pcoms(PcomsRule::builder().cutoff(36.0).build()?)
    ///     .build()?;
    /// let mut m = Monitor::new("SRS", config.clone());
    /// let mut out = Vec::new();
    /// for (t, x) in [(1.0, 35.0), (2.0, 34.0)] {
    ///     m.push_into(t, x, None, &mut out)?;
    /// }
    /// assert_eq!(out.len(), 3); // below the cutoff twice, and a 1-point drop
    /// assert!(m.push_into(2.0, 30.0, None, &mut out).is_err()); // time must increase
    /// assert_eq!(out.len(), 3);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn push_into(
        &mut self,
        time: f64,
        score: f64,
        therapist: Option<f64>,
        out: &mut Vec<Alert<K>>,
    ) -> Result<()> {
        let visit = self.visits.next();
        self.push_at(visit, time, score, therapist, out)
    }

    /// Feeds session `visit` (its number is its time), with the therapist's score if given;
    /// the alerts name it and the sessions they are about by number and date.
    ///
    /// # Errors
    /// As [`Monitor::push_paired`]; [`Error::NotIncreasing`] when the number is not after the
    /// previous session's, [`Error::DatesOutOfOrder`] when the date is before the last dated
    /// session's. On error the monitor is unchanged.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{Monitor, MonitorConfig, Visit};
    /// use alliance::trend::PcomsRule;
    /// use alliance::Date;
    /// let config = MonitorConfig::builder().pcoms(PcomsRule::builder().cutoff(36.0).build()?).build()?;
    /// let mut m = Monitor::new("SRS", config.clone());
    /// let alerts = m.push_visit(Visit::new(3).on(Date::new(2026, 3, 1)?), 35.0, None)?;
    /// assert_eq!((alerts[0].session, alerts[0].index), (3, 0));
    /// assert_eq!(alerts[0].to_string(), "SRS at session 3 (2026-03-01): score 35 below cutoff 36");
    /// assert!(m.push_visit(Visit::new(3), 38.0, None).is_err()); // numbers must increase
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn push_visit(
        &mut self,
        visit: Visit,
        score: f64,
        therapist: Option<f64>,
    ) -> Result<Vec<Alert<K>>> {
        let mut out = Vec::new();
        self.push_at(visit, f64::from(visit.number), score, therapist, &mut out)?;
        Ok(out)
    }

    fn push_at(
        &mut self,
        visit: Visit,
        time: f64,
        score: f64,
        therapist: Option<f64>,
        out: &mut Vec<Alert<K>>,
    ) -> Result<()> {
        let index = self.state.sessions;
        check_time(index, time, self.last_time)?;
        self.visits.check(index, visit)?;
        check_score("score", 0, score)?;
        if let Some(t) = therapist {
            check_score("therapist score", 0, t)?;
        }
        self.visits.push(index, visit);
        let start = out.len();
        self.state.push(
            &self.config,
            self.key,
            visit.number,
            time,
            score,
            therapist,
            out,
        );
        self.last_time = Some(time);
        if let Some(new) = out.get_mut(start..) {
            self.visits.label(new, visit);
        }
        self.visits
            .forget(self.state.sessions, self.state.oldest_open());
        Ok(())
    }

    /// Sessions fed so far.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{Monitor, MonitorConfig};
    /// let mut m = Monitor::new("total", MonitorConfig::builder().build()?);
    /// m.push(1.0, 30.0)?;
    /// assert_eq!(m.sessions(), 1);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn sessions(&self) -> usize {
        self.state.sessions
    }

    /// The configuration.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{Monitor, MonitorConfig};
    /// let config = MonitorConfig::builder().reference_sd(2.0).build()?;
    /// assert_eq!(Monitor::new("total", config.clone()).config(), &config);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn config(&self) -> &MonitorConfig {
        &self.config
    }

    /// The score's label.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{Monitor, MonitorConfig};
    /// assert_eq!(Monitor::new("goals", MonitorConfig::builder().build()?).key(), "goals");
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn key(&self) -> K {
        self.key
    }
}

/// Streaming monitor of several scores per session for one dyad (e.g. the total and the four
/// alliance elements), each rated by the client and optionally by the therapist.
///
/// Each key gets its own [`Monitor`] state under one configuration; one session is one push
/// with every key's score, in the order of the keys.
///
/// # Example
/// ```
/// use alliance::monitor::{DyadMonitor, MonitorConfig};
/// use alliance::trend::DivergenceRule;
/// let config = MonitorConfig::builder()
///     .reference_sd(1.0)
///     .divergence(DivergenceRule::builder().bound(3.0).build()?)
///     .build()?;
/// let mut dyad = DyadMonitor::new(&["total", "goals"], config.clone())?;
/// let alerts = dyad.push(1.0, &[30.0, 7.0], Some(&[26.0, 7.5]))?;
/// assert_eq!(alerts.len(), 1); // totals differ by 4 > 3
/// assert_eq!(alerts[0].score, "total");
/// assert!(dyad.push(2.0, &[30.0], None).is_err()); // one score per key
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// A monitor is not itself serialized: with feature `serde`, [`DyadMonitor::snapshot`] saves
/// its running state and [`DyadMonitor::restore`] brings it back, checked, with the same
/// configuration (`MonitorSnapshot`).
#[derive(Debug, Clone, PartialEq)]
pub struct DyadMonitor<K = &'static str> {
    keys: Vec<K>,
    config: MonitorConfig,
    states: Vec<ScoreState>,
    sessions: usize,
    last_time: Option<f64>,
    visits: Visits,
}

impl<K: Copy> DyadMonitor<K> {
    /// A monitor for the given scores.
    ///
    /// # Errors
    /// [`Error::NoMonitoredScores`] when `keys` is empty.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{DyadMonitor, MonitorConfig};
    /// let config = MonitorConfig::builder().reference_sd(8.0).build()?;
    /// let dyad = DyadMonitor::new(&["total", "goals"], config.clone())?;
    /// assert_eq!(dyad.keys(), &["total", "goals"]);
    /// assert!(DyadMonitor::<&str>::new(&[], config).is_err());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(keys: &[K], config: MonitorConfig) -> Result<DyadMonitor<K>> {
        if keys.is_empty() {
            return Err(Error::NoMonitoredScores);
        }
        Ok(DyadMonitor {
            keys: keys.to_vec(),
            states: keys.iter().map(|_| ScoreState::new(&config)).collect(),
            config,
            sessions: 0,
            last_time: None,
            visits: Visits::default(),
        })
    }

    /// Feeds one session: the client's scores (one per key, in key order) and optionally the
    /// therapist's. Divergence is tracked over the sessions that have therapist scores.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] unless each slice has one score per key;
    /// [`Error::NonFinite`], [`Error::TooLarge`] for a bad score (its position in the slice)
    /// or time; [`Error::NotIncreasing`] for a time not after the previous session's. On error
    /// the monitor is unchanged.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{AlertKind, DyadMonitor, MonitorConfig};
    /// use alliance::trend::PcomsRule;
    /// let config = MonitorConfig::builder()
    ///     .pcoms(PcomsRule::builder().cutoff(7.0).build()?)
    ///     .build()?;
    /// let mut dyad = DyadMonitor::new(&["goals", "tasks"], config.clone())?;
    /// let alerts = dyad.push(1.0, &[8.0, 6.5], None)?;
    /// assert_eq!((alerts[0].score, alerts[0].kind), ("tasks", AlertKind::BelowCutoff));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn push(
        &mut self,
        time: f64,
        client: &[f64],
        therapist: Option<&[f64]>,
    ) -> Result<Vec<Alert<K>>> {
        let mut out = Vec::new();
        self.push_into(time, client, therapist, &mut out)?;
        Ok(out)
    }

    /// As [`DyadMonitor::push`], appending the alerts to `out` (a reusable buffer).
    ///
    /// # Errors
    /// As [`DyadMonitor::push`]; on error neither the monitor nor `out` changes.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{DyadMonitor, MonitorConfig};
    /// use alliance::trend::PcomsRule;
    /// let config = MonitorConfig::builder()
    ///     .pcoms(PcomsRule::builder().cutoff(7.0).build()?)
    ///     .build()?;
    /// let mut dyad = DyadMonitor::new(&[0usize, 1], config.clone())?;
    /// let mut out = Vec::new();
    /// dyad.push_into(1.0, &[8.0, 6.5], None, &mut out)?;
    /// dyad.push_into(2.0, &[6.0, 8.0], None, &mut out)?;
    /// assert_eq!(out.len(), 3); // key 1 at session 0; key 0 below and dropped at session 1
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn push_into(
        &mut self,
        time: f64,
        client: &[f64],
        therapist: Option<&[f64]>,
        out: &mut Vec<Alert<K>>,
    ) -> Result<()> {
        let visit = self.visits.next();
        self.push_at(visit, time, client, therapist, out)
    }

    /// Feeds session `visit` (its number is its time): the client's scores and optionally the
    /// therapist's, as [`DyadMonitor::push`]; the alerts name the sessions by number and date.
    ///
    /// # Errors
    /// As [`DyadMonitor::push`]; [`Error::NotIncreasing`] when the number is not after the
    /// previous session's, [`Error::DatesOutOfOrder`] when the date is before the last dated
    /// session's. On error the monitor is unchanged.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{DyadMonitor, MonitorConfig, Visit};
    /// use alliance::trend::DivergenceRule;
    /// let config = MonitorConfig::builder()
    ///     .divergence(DivergenceRule::builder().bound(3.0).build()?)
    ///     .build()?;
    /// let mut dyad = DyadMonitor::new(&["total"], config.clone())?;
    /// let alerts = dyad.push_visit(Visit::new(4), &[30.0], Some(&[25.0]))?;
    /// assert_eq!(alerts[0].session, 4);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn push_visit(
        &mut self,
        visit: Visit,
        client: &[f64],
        therapist: Option<&[f64]>,
    ) -> Result<Vec<Alert<K>>> {
        let mut out = Vec::new();
        self.push_at(visit, f64::from(visit.number), client, therapist, &mut out)?;
        Ok(out)
    }

    fn push_at(
        &mut self,
        visit: Visit,
        time: f64,
        client: &[f64],
        therapist: Option<&[f64]>,
        out: &mut Vec<Alert<K>>,
    ) -> Result<()> {
        check_time(self.sessions, time, self.last_time)?;
        self.visits.check(self.sessions, visit)?;
        let n = self.keys.len();
        if client.len() != n {
            return Err(Error::LengthMismatch {
                what: "client scores",
                expected: n,
                found: client.len(),
            });
        }
        for (i, &x) in client.iter().enumerate() {
            check_score("client score", i, x)?;
        }
        if let Some(t) = therapist {
            if t.len() != n {
                return Err(Error::LengthMismatch {
                    what: "therapist scores",
                    expected: n,
                    found: t.len(),
                });
            }
            for (i, &x) in t.iter().enumerate() {
                check_score("therapist score", i, x)?;
            }
        }
        let start = out.len();
        for (i, ((state, &key), &x)) in self
            .states
            .iter_mut()
            .zip(&self.keys)
            .zip(client)
            .enumerate()
        {
            let t = therapist.and_then(|t| t.get(i).copied());
            state.push(&self.config, key, visit.number, time, x, t, out);
        }
        self.visits.push(self.sessions, visit);
        if let Some(new) = out.get_mut(start..) {
            self.visits.label(new, visit);
        }
        self.sessions += 1;
        self.last_time = Some(time);
        let oldest_open = self.states.iter().filter_map(ScoreState::oldest_open).min();
        self.visits.forget(self.sessions, oldest_open);
        Ok(())
    }

    /// Sessions fed so far.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{DyadMonitor, MonitorConfig};
    /// let mut dyad = DyadMonitor::new(&["total"], MonitorConfig::builder().build()?)?;
    /// dyad.push(1.0, &[30.0], None)?;
    /// assert_eq!(dyad.sessions(), 1);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn sessions(&self) -> usize {
        self.sessions
    }

    /// The scores monitored, in push order.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{DyadMonitor, MonitorConfig};
    /// let dyad = DyadMonitor::new(&["total", "bond"], MonitorConfig::builder().build()?)?;
    /// assert_eq!(dyad.keys(), &["total", "bond"]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn keys(&self) -> &[K] {
        &self.keys
    }

    /// The configuration.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{DyadMonitor, MonitorConfig};
    /// let config = MonitorConfig::builder().reference_sd(2.0).build()?;
    /// assert_eq!(DyadMonitor::new(&["total"], config.clone())?.config(), &config);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn config(&self) -> &MonitorConfig {
        &self.config
    }
}
