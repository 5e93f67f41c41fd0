//! Saving a monitor's running state and restoring it (feature `serde`), so that a stateless
//! service need not replay a course on every request.
//!
//! A snapshot holds what the rules keep and nothing more: per score, the running moments, the
//! last six sessions, the open ruptures (at most the repair window), the control charts'
//! baseline sessions until the baseline is known, and a handful of numbers. Its size does not
//! grow with the number of sessions. Numbers are written as the 16 hex digits of their IEEE 754
//! bits, so that the state comes back bit for bit whatever JSON library reads it (a decimal
//! float read by a library that rounds its last digit would drift); counts are plain integers.
//!
//! A restore checks the snapshot before it trusts it: the format, the configuration it was
//! made with (a fingerprint of every rule parameter), and every number and count against what
//! a monitor can reach, so that a corrupted or edited snapshot is refused with
//! [`Error::InvalidSnapshot`] instead of making a monitor that panics or reports NaN.

use super::visit::Visits;
use super::{DyadMonitor, Monitor, MonitorConfig, ScoreState, Visit};
use crate::error::{Error, Result};
use crate::session::Date;
use crate::stats::Moments;
use crate::trend::control::{BaselineTracker, CusumTracker, EwmaTracker};
use crate::trend::rupture::RuptureTracker;
use crate::trend::{Baseline, BaselineState, ControlBaseline, RepairStatus, Rupture, RuptureLevel};
use std::collections::VecDeque;

/// The newest snapshot format this version writes. It writes format 2 for a configuration
/// with the not-on-track rule (each score's state then holds which of its last sessions were
/// below the expected band) and format 1, as earlier versions did and read, for any other;
/// it restores both.
pub const SNAPSHOT_FORMAT: u32 = 2;

/// The format of snapshots without the not-on-track rule's state.
const FORMAT_1: u32 = 1;

/// Sessions a snapshot may count: far beyond any course, and small enough that no count can
/// overflow however long the monitor runs after a restore.
const MAX_SESSIONS: usize = 1 << 40;

/// Magnitude of a running sum of squares or co-moment: the squares of values within the
/// numeric domain (1e100), summed over any reachable number of sessions.
const MAX_SQUARES: f64 = 1e250;

/// The saved running state of a [`Monitor`] or a [`DyadMonitor`]: restore it with
/// [`Monitor::restore`] or [`DyadMonitor::restore`] and the same configuration, and the monitor
/// goes on exactly (bit for bit) as if it had never stopped.
///
/// It serializes to a small JSON object (`format`, `config`, `sessions`, `last_time`, `keys`,
/// `states`, `visits`) whose size does not grow with the number of sessions: at most about 1.5 KB per
/// score plus 0.3 KB per open rupture (at most the rupture rule's repair window) and 20 bytes
/// per control-chart baseline session still being collected, plus about 60 bytes for each
/// session an alert may still name (the last four, and those of open ruptures).
///
/// # Example
/// ```
/// use alliance::monitor::{Monitor, MonitorConfig, MonitorSnapshot};
/// // the app's own label for the score it monitors
/// #[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
/// enum Score { Total }
/// let config = MonitorConfig::builder().reference_sd(1.0).build()?;
/// let mut m = Monitor::new(Score::Total, config.clone());
/// for (t, x) in [30.0, 31.0, 30.0, 31.0].into_iter().enumerate() {
///     m.push(t as f64 + 1.0, x)?;
/// }
/// let json = serde_json::to_string(&m.snapshot()).unwrap();
/// // ... the process stops; later, in another:
/// let saved: MonitorSnapshot<Score> = serde_json::from_str(&json).unwrap();
/// let mut restored = Monitor::restore(saved, config.clone())?;
/// assert_eq!(restored, m);
/// assert_eq!(restored.push(5.0, 24.0)?, m.push(5.0, 24.0)?); // the same rupture alert
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MonitorSnapshot<K> {
    format: u32,
    /// Fingerprint of the configuration the monitor ran with.
    config: String,
    sessions: usize,
    last_time: Option<Exact>,
    keys: Vec<K>,
    states: Vec<StateSnapshot>,
    visits: VisitsSnapshot,
}

/// The sessions alerts may still name ([`Visits`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct VisitsSnapshot {
    kept: Vec<KeptVisit>,
    last_dated: Option<Visit>,
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct KeptVisit {
    index: usize,
    number: u32,
    date: Option<Date>,
}

impl VisitsSnapshot {
    fn of(v: &Visits) -> VisitsSnapshot {
        VisitsSnapshot {
            kept: v
                .kept
                .iter()
                .map(|&(index, visit)| KeptVisit {
                    index,
                    number: visit.number,
                    date: visit.date,
                })
                .collect(),
            last_dated: v
                .last_date
                .map(|(number, date)| Visit::new(number).on(date)),
        }
    }

    /// Checked against the session count and the open ruptures; forgets what no alert can
    /// name any more.
    fn restore(&self, sessions: usize, oldest_open: Option<usize>) -> Result<Visits> {
        let mut kept: VecDeque<(usize, Visit)> = VecDeque::with_capacity(self.kept.len());
        for k in &self.kept {
            let after = kept
                .back()
                .is_none_or(|&(i, v)| k.index > i && k.number > v.number);
            if !after || k.index >= sessions {
                return Err(invalid("the sessions' numbers"));
            }
            let mut visit = Visit::new(k.number);
            visit.date = k.date;
            kept.push_back((k.index, visit));
        }
        let last = kept.back().map(|&(i, v)| (i, v.number));
        if last.map(|(i, _)| i + 1) != (sessions > 0).then_some(sessions) {
            return Err(invalid("the sessions' numbers"));
        }
        let last_date = match self.last_dated {
            Some(v) => match (v.date, last) {
                (Some(date), Some((_, n))) if v.number <= n => Some((v.number, date)),
                _ => return Err(invalid("the last dated session")),
            },
            None => None,
        };
        let mut visits = Visits { kept, last_date };
        visits.forget(sessions, oldest_open);
        Ok(visits)
    }
}

impl<K> MonitorSnapshot<K> {
    /// Sessions the monitor had been fed.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{Monitor, MonitorConfig};
    /// let mut m = Monitor::new("total", MonitorConfig::builder().build()?);
    /// m.push(1.0, 30.0)?;
    /// assert_eq!(m.snapshot().sessions(), 1);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn sessions(&self) -> usize {
        self.sessions
    }

    /// The labels of the scores it monitors.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{Monitor, MonitorConfig};
    /// let m = Monitor::new("goals", MonitorConfig::builder().build()?);
    /// assert_eq!(m.snapshot().keys(), &["goals"]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn keys(&self) -> &[K] {
        &self.keys
    }
}

/// An `f64` kept as the hex digits of its bits.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Exact(f64);

/// The 16 hex digits of an `f64`'s bits.
#[cfg(feature = "schema")]
impl schemars::JsonSchema for Exact {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ExactNumber".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A number as the 16 hex digits of its IEEE 754 bits",
            "type": "string",
            "pattern": "^[0-9a-f]{16}$"
        })
    }
}

impl serde::Serialize for Exact {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{:016x}", self.0.to_bits()))
    }
}

impl<'de> serde::Deserialize<'de> for Exact {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Exact, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        let bits = (text.len() == 16)
            .then(|| u64::from_str_radix(&text, 16).ok())
            .flatten()
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "'{text}' is not a number as a snapshot keeps it (16 hex digits)"
                ))
            })?;
        Ok(Exact(f64::from_bits(bits)))
    }
}

/// One score's state.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct StateSnapshot {
    history: MomentsSnapshot,
    open_ruptures: Vec<OpenRupture>,
    assessed: usize,
    recent_times: [Exact; 6],
    recent_scores: [Exact; 6],
    recent_seen: usize,
    cusum: Option<ChartSnapshot>,
    ewma: Option<ChartSnapshot>,
    pcoms_previous: Option<Exact>,
    divergence: DivergenceSnapshot,
    /// The not-on-track rule's window (format 2 only): bit `i` set when the session `i`
    /// sessions back was below its band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    not_on_track: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct MomentsSnapshot {
    n: usize,
    mean: Exact,
    ss: Exact,
}

/// A rupture waiting for its repair.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct OpenRupture {
    index: usize,
    time: Exact,
    score: Exact,
    baseline_mean: Exact,
    baseline_sd: Exact,
    sd_used: Exact,
    baseline_n: usize,
    z: Exact,
    depth: Exact,
    strict: bool,
    repair_threshold: Exact,
}

/// A control chart: its baseline (or the sessions collected for it), its statistic (CUSUM)
/// or last value (EWMA), the sessions charted, and the EWMA's decay.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct ChartSnapshot {
    collected: Vec<Exact>,
    baseline: Option<BaselineSnapshot>,
    statistic: Option<Exact>,
    charted: usize,
    decay: Exact,
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct BaselineSnapshot {
    mean: Exact,
    sd: Exact,
    sd_used: Exact,
    n: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct DivergenceSnapshot {
    d: MomentsSnapshot,
    mean_time: Exact,
    s_tt: Exact,
    s_td: Exact,
}

/// A fingerprint of every parameter of `config`: the content hash of its `Debug` text, which
/// writes each number in full (shortest round-trip digits). Without the not-on-track rule,
/// the text of the configuration as it was before that rule, so that format-1 snapshots keep
/// their fingerprints.
fn fingerprint(config: &MonitorConfig) -> String {
    if config.not_on_track().is_some() {
        crate::fingerprint::fnv1a(&format!("{config:?}"))
    } else {
        crate::fingerprint::fnv1a(&config.legacy_debug())
    }
}

/// The format a snapshot of a monitor with `config` is written in.
fn format_for(config: &MonitorConfig) -> u32 {
    if config.not_on_track().is_some() {
        SNAPSHOT_FORMAT
    } else {
        FORMAT_1
    }
}

/// The same number, bit for bit (what a restored state must be).
fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits()
}

fn invalid(what: &'static str) -> Error {
    Error::InvalidSnapshot { what }
}

/// `x` as a finite number of at most `limit` in magnitude, or the error naming `what`.
fn number(x: Exact, limit: f64, what: &'static str) -> Result<f64> {
    (x.0.is_finite() && x.0.abs() <= limit)
        .then_some(x.0)
        .ok_or(invalid(what))
}

/// A value within the numeric domain (a score, a time, a mean), or a difference of two (the
/// divergence's client minus therapist), with room for rounding: at most 4e100.
fn value(x: Exact, what: &'static str) -> Result<f64> {
    number(x, 4.0 * crate::domain::MAGNITUDE_LIMIT, what)
}

impl MomentsSnapshot {
    fn of(m: &Moments) -> MomentsSnapshot {
        MomentsSnapshot {
            n: m.n,
            mean: Exact(m.mean),
            ss: Exact(m.ss),
        }
    }

    fn restore(&self, sessions: usize) -> Result<Moments> {
        let ss = number(self.ss, MAX_SQUARES, "a sum of squares")?;
        if self.n > sessions || ss < 0.0 {
            return Err(invalid("running moments"));
        }
        Ok(Moments {
            n: self.n,
            mean: value(self.mean, "a running mean")?,
            ss,
        })
    }
}

impl StateSnapshot {
    /// `tracks`: whether the configuration has the not-on-track rule.
    fn of(s: &ScoreState, tracks: bool) -> StateSnapshot {
        let chart =
            |baseline: &BaselineTracker, statistic: Option<f64>, charted, decay| ChartSnapshot {
                collected: baseline.collected.iter().map(|&x| Exact(x)).collect(),
                baseline: match baseline.state {
                    BaselineState::Established(b) => Some(BaselineSnapshot {
                        mean: Exact(b.mean),
                        sd: Exact(b.sd),
                        sd_used: Exact(b.sd_used),
                        n: b.n,
                    }),
                    _ => None,
                },
                statistic: statistic.map(Exact),
                charted,
                decay: Exact(decay),
            };
        StateSnapshot {
            history: MomentsSnapshot::of(&s.rupture.history),
            open_ruptures: s
                .rupture
                .open
                .iter()
                .map(|r| OpenRupture {
                    index: r.index,
                    time: Exact(r.time),
                    score: Exact(r.score),
                    baseline_mean: Exact(r.baseline_mean),
                    baseline_sd: Exact(r.baseline_sd),
                    sd_used: Exact(r.sd_used),
                    baseline_n: r.baseline_n,
                    z: Exact(r.z),
                    depth: Exact(r.depth),
                    strict: r.level == RuptureLevel::Strict,
                    repair_threshold: Exact(r.repair_threshold),
                })
                .collect(),
            assessed: s.rupture.assessed,
            recent_times: s.sudden.times.map(Exact),
            recent_scores: s.sudden.values.map(Exact),
            recent_seen: s.sudden.seen,
            cusum: s
                .cusum
                .as_ref()
                .map(|c| chart(&c.baseline, Some(c.statistic), c.charted, 1.0)),
            ewma: s
                .ewma
                .as_ref()
                .map(|e| chart(&e.baseline, e.ewma, e.charted, e.decay)),
            pcoms_previous: s.pcoms.previous.map(Exact),
            divergence: DivergenceSnapshot {
                d: MomentsSnapshot::of(&s.divergence.d),
                mean_time: Exact(s.divergence.mean_time),
                s_tt: Exact(s.divergence.s_tt),
                s_td: Exact(s.divergence.s_td),
            },
            not_on_track: tracks.then_some(s.track.recent),
        }
    }

    /// The state, checked against `config` and the session count.
    fn restore(&self, config: &MonitorConfig, sessions: usize) -> Result<ScoreState> {
        let mut state = ScoreState::new(config);
        state.sessions = sessions;
        state.rupture = RuptureTracker {
            history: self.history.restore(sessions)?,
            open: self.open_ruptures(config, sessions)?,
            assessed: self.assessed,
        };
        // a rule that is not configured is never fed
        let fed = |configured: bool| if configured { sessions } else { 0 };
        let ruptures = fed(config.ruptures().is_some());
        if self.assessed > ruptures || state.rupture.history.n != ruptures {
            return Err(invalid("the rupture detector's counts"));
        }
        if self.recent_seen != fed(config.sudden_drops().is_some()) {
            return Err(invalid("the count of recent sessions"));
        }
        for (slot, x) in state.sudden.times.iter_mut().zip(self.recent_times) {
            *slot = value(x, "a recent session's time")?;
        }
        for (slot, x) in state.sudden.values.iter_mut().zip(self.recent_scores) {
            *slot = value(x, "a recent session's score")?;
        }
        state.sudden.seen = self.recent_seen;
        match (state.cusum.as_mut(), &self.cusum, config.cusum()) {
            (None, None, _) => {}
            (Some(tracker), Some(saved), Some(rule)) => {
                restore_cusum(tracker, saved, rule.baseline(), rule.sd_floor(), sessions)?;
            }
            _ => return Err(invalid("the CUSUM chart (configured, or not)")),
        }
        match (state.ewma.as_mut(), &self.ewma, config.ewma()) {
            (None, None, _) => {}
            (Some(tracker), Some(saved), Some(rule)) => {
                restore_ewma(tracker, saved, rule.baseline(), rule.sd_floor(), sessions)?;
            }
            _ => return Err(invalid("the EWMA chart (configured, or not)")),
        }
        state.pcoms.previous = match self.pcoms_previous {
            Some(x) => Some(value(x, "the previous score")?),
            None => None,
        };
        if state.pcoms.previous.is_some() != (fed(config.pcoms().is_some()) > 0) {
            return Err(invalid("the previous score"));
        }
        let d = &self.divergence;
        state.divergence.d = d.d.restore(sessions)?;
        state.divergence.mean_time = value(d.mean_time, "the divergence's mean time")?;
        state.divergence.s_tt = number(d.s_tt, MAX_SQUARES, "the divergence's co-moments")?;
        state.divergence.s_td = number(d.s_td, MAX_SQUARES, "the divergence's co-moments")?;
        if state.divergence.s_tt < 0.0 {
            return Err(invalid("the divergence's co-moments"));
        }
        match (config.not_on_track(), self.not_on_track) {
            (None, None) => {}
            (Some((_, rule)), Some(recent)) => {
                // only the sessions fed, and at most the rule's window, can have been below
                let seen = sessions.min(rule.of_last());
                if recent & !crate::trend::expected::window_mask(seen) != 0 {
                    return Err(invalid("the not-on-track window"));
                }
                state.track.recent = recent;
            }
            _ => return Err(invalid("the not-on-track window (configured, or not)")),
        }
        Ok(state)
    }

    fn open_ruptures(&self, config: &MonitorConfig, sessions: usize) -> Result<VecDeque<Rupture>> {
        let window = config.ruptures().map_or(0, |r| r.repair_window());
        if self.open_ruptures.len() > window {
            return Err(invalid("more open ruptures than the repair window holds"));
        }
        let mut previous = None;
        let mut open = VecDeque::with_capacity(self.open_ruptures.len());
        for r in &self.open_ruptures {
            // open ruptures are in session order, each still within its repair window (the
            // last session fed, `sessions - 1`, did not close it)
            let in_window = r.index < sessions && sessions <= r.index.saturating_add(window);
            if !in_window || previous.is_some_and(|p| r.index <= p) || r.baseline_n > r.index {
                return Err(invalid("an open rupture's session"));
            }
            previous = Some(r.index);
            let sd = value(r.baseline_sd, "an open rupture's SD")?;
            let sd_used = value(r.sd_used, "an open rupture's SD")?;
            if sd < 0.0 || sd_used <= 0.0 {
                return Err(invalid("an open rupture's SD"));
            }
            open.push_back(Rupture {
                index: r.index,
                time: value(r.time, "an open rupture's time")?,
                score: value(r.score, "an open rupture's score")?,
                baseline_mean: value(r.baseline_mean, "an open rupture's baseline")?,
                baseline_sd: sd,
                sd_used,
                baseline_n: r.baseline_n,
                z: number(r.z, f64::MAX, "an open rupture's z")?,
                depth: number(r.depth, f64::MAX, "an open rupture's depth")?,
                level: if r.strict {
                    RuptureLevel::Strict
                } else {
                    RuptureLevel::Lenient
                },
                repair_threshold: number(
                    r.repair_threshold,
                    f64::MAX,
                    "an open rupture's repair threshold",
                )?,
                repair: RepairStatus::Pending,
            });
        }
        Ok(open)
    }
}

/// A chart's baseline, checked against its rule's baseline and SD floor.
fn restore_baseline(
    saved: &ChartSnapshot,
    spec: Baseline,
    floor: f64,
    sessions: usize,
) -> Result<BaselineTracker> {
    let collected = saved
        .collected
        .iter()
        .map(|&x| value(x, "a baseline session"))
        .collect::<Result<Vec<f64>>>()?;
    let state = match (saved.baseline, spec) {
        (None, Baseline::FirstSessions(need)) => {
            if collected.len() >= need || collected.len() != sessions || saved.charted != 0 {
                return Err(invalid("the baseline sessions collected"));
            }
            BaselineState::Collecting {
                have: collected.len(),
                need,
            }
        }
        (Some(b), spec) => {
            let mean = value(b.mean, "a chart's baseline mean")?;
            let sd = value(b.sd, "a chart's baseline SD")?;
            let sd_used = value(b.sd_used, "a chart's baseline SD")?;
            let expected_n = match spec {
                Baseline::FirstSessions(need) => need,
                _ => 0,
            };
            let given_matches = match spec {
                Baseline::Given { mean: m, sd: s } => same(m, mean) && same(s, sd),
                _ => true,
            };
            if !collected.is_empty()
                || sd < 0.0
                || !same(sd_used, sd.max(floor))
                || sd_used <= 0.0
                || b.n != expected_n
                || !given_matches
                || saved.charted.saturating_add(expected_n) != sessions
            {
                return Err(invalid("a chart's baseline"));
            }
            BaselineState::Established(ControlBaseline {
                mean,
                sd,
                sd_used,
                n: b.n,
            })
        }
        (None, _) => return Err(invalid("a chart's baseline")),
    };
    Ok(BaselineTracker { collected, state })
}

fn restore_cusum(
    tracker: &mut CusumTracker,
    saved: &ChartSnapshot,
    spec: Baseline,
    floor: f64,
    sessions: usize,
) -> Result<()> {
    tracker.baseline = restore_baseline(saved, spec, floor, sessions)?;
    let statistic = number(
        saved.statistic.ok_or(invalid("the CUSUM statistic"))?,
        MAX_SQUARES,
        "the CUSUM statistic",
    )?;
    if statistic < 0.0 || saved.decay != Exact(1.0) {
        return Err(invalid("the CUSUM statistic"));
    }
    tracker.statistic = statistic;
    tracker.charted = saved.charted;
    Ok(())
}

fn restore_ewma(
    tracker: &mut EwmaTracker,
    saved: &ChartSnapshot,
    spec: Baseline,
    floor: f64,
    sessions: usize,
) -> Result<()> {
    tracker.baseline = restore_baseline(saved, spec, floor, sessions)?;
    tracker.ewma = match saved.statistic {
        Some(x) => Some(value(x, "the EWMA")?),
        None => None,
    };
    let decay = number(saved.decay, 1.0, "the EWMA's decay")?;
    if tracker.ewma.is_some() != (saved.charted > 0) || decay < 0.0 {
        return Err(invalid("the EWMA"));
    }
    tracker.decay = decay;
    tracker.charted = saved.charted;
    Ok(())
}

/// Checks the parts every snapshot shares; returns the last session's time.
fn check_common<K>(snapshot: &MonitorSnapshot<K>, config: &MonitorConfig) -> Result<Option<f64>> {
    if snapshot.format != FORMAT_1 && snapshot.format != SNAPSHOT_FORMAT {
        return Err(Error::SnapshotMismatch {
            what: "its format is not one this version reads",
        });
    }
    if snapshot.format != format_for(config) {
        return Err(Error::SnapshotMismatch {
            what: "its format does not go with the configuration (format 2 holds the \
                   not-on-track rule, format 1 does not)",
        });
    }
    if snapshot.config != fingerprint(config) {
        return Err(Error::SnapshotMismatch {
            what: "it was made with another configuration",
        });
    }
    if snapshot.sessions > MAX_SESSIONS {
        return Err(invalid("the session count"));
    }
    let last_time = match snapshot.last_time {
        Some(t) => Some(value(t, "the last session's time")?),
        None => None,
    };
    if last_time.is_some() != (snapshot.sessions > 0) {
        return Err(invalid("the last session's time"));
    }
    Ok(last_time)
}

impl<K: Copy> Monitor<K> {
    /// The monitor's running state, to save (with feature `serde`) and give back to
    /// [`Monitor::restore`].
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{Monitor, MonitorConfig};
    /// let config = MonitorConfig::builder().build()?;
    /// let mut m = Monitor::new("total", config.clone());
    /// m.push(1.0, 30.0)?;
    /// assert_eq!(Monitor::restore(m.snapshot(), config.clone())?, m);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn snapshot(&self) -> MonitorSnapshot<K> {
        MonitorSnapshot {
            format: format_for(&self.config),
            config: fingerprint(&self.config),
            sessions: self.state.sessions,
            last_time: self.last_time.map(Exact),
            keys: vec![self.key],
            states: vec![StateSnapshot::of(
                &self.state,
                self.config.not_on_track().is_some(),
            )],
            visits: VisitsSnapshot::of(&self.visits),
        }
    }

    /// The monitor a snapshot saved, going on exactly as the original would.
    ///
    /// # Errors
    /// [`Error::SnapshotMismatch`] when the snapshot is of another format, was made with
    /// another configuration, or holds more than one score (a [`DyadMonitor`]'s);
    /// [`Error::InvalidSnapshot`] naming the part that no monitor can reach (a corrupted or
    /// edited snapshot).
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{Monitor, MonitorConfig};
    /// let config = MonitorConfig::builder().reference_sd(1.0).build()?;
    /// let m = Monitor::new("total", config.clone());
    /// let other = MonitorConfig::builder().reference_sd(2.0).build()?;
    /// let e = Monitor::restore(m.snapshot(), other).unwrap_err();
    /// assert_eq!(e.code(), "snapshot_mismatch");
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn restore(snapshot: MonitorSnapshot<K>, config: MonitorConfig) -> Result<Monitor<K>> {
        let last_time = check_common(&snapshot, &config)?;
        let (&[key], [state]) = (snapshot.keys.as_slice(), snapshot.states.as_slice()) else {
            return Err(Error::SnapshotMismatch {
                what: "it holds another number of scores than one",
            });
        };
        let state = state.restore(&config, snapshot.sessions)?;
        let visits = snapshot
            .visits
            .restore(snapshot.sessions, state.oldest_open())?;
        Ok(Monitor {
            key,
            state,
            config,
            last_time,
            visits,
        })
    }
}

impl<K: Copy> DyadMonitor<K> {
    /// The monitor's running state, to save (with feature `serde`) and give back to
    /// [`DyadMonitor::restore`].
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{DyadMonitor, MonitorConfig};
    /// let config = MonitorConfig::builder().build()?;
    /// let mut dyad = DyadMonitor::new(&["total", "goals"], config.clone())?;
    /// dyad.push(1.0, &[30.0, 7.0], Some(&[28.0, 6.5]))?;
    /// assert_eq!(DyadMonitor::restore(dyad.snapshot(), config.clone())?, dyad);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn snapshot(&self) -> MonitorSnapshot<K> {
        MonitorSnapshot {
            format: format_for(&self.config),
            config: fingerprint(&self.config),
            sessions: self.sessions,
            last_time: self.last_time.map(Exact),
            keys: self.keys.clone(),
            states: self
                .states
                .iter()
                .map(|s| StateSnapshot::of(s, self.config.not_on_track().is_some()))
                .collect(),
            visits: VisitsSnapshot::of(&self.visits),
        }
    }

    /// The monitor a snapshot saved, going on exactly as the original would.
    ///
    /// # Errors
    /// As [`Monitor::restore`]; [`Error::SnapshotMismatch`] also when the snapshot holds no
    /// score, or not one state per score.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{DyadMonitor, MonitorConfig};
    /// let config = MonitorConfig::builder().build()?;
    /// let dyad = DyadMonitor::new(&["total"], config.clone())?;
    /// let restored = DyadMonitor::restore(dyad.snapshot(), config.clone())?;
    /// assert_eq!(restored.keys(), &["total"]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn restore(snapshot: MonitorSnapshot<K>, config: MonitorConfig) -> Result<DyadMonitor<K>> {
        let last_time = check_common(&snapshot, &config)?;
        if snapshot.keys.is_empty() || snapshot.keys.len() != snapshot.states.len() {
            return Err(Error::SnapshotMismatch {
                what: "it does not hold one state per score",
            });
        }
        let states = snapshot
            .states
            .iter()
            .map(|s| s.restore(&config, snapshot.sessions))
            .collect::<Result<Vec<_>>>()?;
        let oldest_open = states.iter().filter_map(ScoreState::oldest_open).min();
        let visits = snapshot.visits.restore(snapshot.sessions, oldest_open)?;
        Ok(DyadMonitor {
            keys: snapshot.keys,
            config,
            states,
            sessions: snapshot.sessions,
            last_time,
            visits,
        })
    }
}
