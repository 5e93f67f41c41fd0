//! One report per session: the alerts a session raised, grouped into the events behind them,
//! each with a severity and a short message, so that a drop that trips four rules reads as one
//! thing to act on, not four.

use super::{Alert, AlertDetail, AlertKind};
use crate::trend::{PcomsKind, RuptureLevel};
use std::fmt;

/// How urgent an event is.
///
/// | severity | meaning | events |
/// |---|---|---|
/// | `Info` | context, nothing to do | a rupture repaired |
/// | `Watch` | look at it at the next session | a decline one rule sees (a lenient rupture, PCOMS, a control chart, a sudden drop, not on track), client and therapist diverging |
/// | `Act` | raise it in this session | a strict rupture (2 SD), a decline two or more rules agree on (PCOMS's cutoff and drop flags count as one rule), a rupture left unrepaired |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Severity {
    /// Context, nothing to do.
    Info,
    /// Look at it at the next session.
    Watch,
    /// Raise it in this session.
    Act,
}

impl Severity {
    /// A stable code: `"info"`, `"watch"`, `"act"`.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::Severity;
    /// assert_eq!(Severity::Act.code(), "act");
    /// assert!(Severity::Act > Severity::Watch);
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Watch => "watch",
            Severity::Act => "act",
        }
    }
}

/// The change behind an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Change {
    /// The score fell or is low: ruptures, sudden drops, control charts, PCOMS flags, not on
    /// track.
    Decline,
    /// A rupture was repaired.
    Repair,
    /// A rupture's repair window closed without a return.
    Unrepaired,
    /// Client and therapist differ beyond the reliable-difference bound.
    Divergence,
}

impl Change {
    /// A stable code: `"decline"`, `"repair"`, `"unrepaired"`, `"divergence"`.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::Change;
    /// assert_eq!(Change::Unrepaired.code(), "unrepaired");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Change::Decline => "decline",
            Change::Repair => "repair",
            Change::Unrepaired => "unrepaired",
            Change::Divergence => "divergence",
        }
    }

    fn of(kind: AlertKind) -> Change {
        match kind {
            AlertKind::Repair => Change::Repair,
            AlertKind::Unrepaired => Change::Unrepaired,
            AlertKind::Divergence => Change::Divergence,
            _ => Change::Decline,
        }
    }
}

impl AlertKind {
    /// A stable code for the rule that fired: `"rupture_lenient"`, `"rupture_strict"`,
    /// `"repair"`, `"unrepaired"`, `"sudden_drop"`, `"cusum_low"`, `"ewma_low"`,
    /// `"below_cutoff"`, `"drop_from_previous"`, `"divergence"`, `"not_on_track"`.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::AlertKind;
    /// assert_eq!(AlertKind::CusumLow.code(), "cusum_low");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            AlertKind::Rupture {
                level: RuptureLevel::Strict,
            } => "rupture_strict",
            AlertKind::Rupture { .. } => "rupture_lenient",
            AlertKind::Repair => "repair",
            AlertKind::Unrepaired => "unrepaired",
            AlertKind::SuddenDrop => "sudden_drop",
            AlertKind::CusumLow => "cusum_low",
            AlertKind::EwmaLow => "ewma_low",
            AlertKind::BelowCutoff => "below_cutoff",
            AlertKind::DropFromPrevious => "drop_from_previous",
            AlertKind::Divergence => "divergence",
            AlertKind::NotOnTrack => "not_on_track",
        }
    }

    /// The rule's name in a message.
    fn label(self) -> &'static str {
        match self {
            AlertKind::Rupture {
                level: RuptureLevel::Strict,
            } => "rupture (2 SD)",
            AlertKind::Rupture { .. } => "rupture (1 SD)",
            AlertKind::Repair => "repair",
            AlertKind::Unrepaired => "no repair",
            AlertKind::SuddenDrop => "sudden drop",
            AlertKind::CusumLow => "CUSUM",
            AlertKind::EwmaLow => "EWMA",
            AlertKind::BelowCutoff => "below the PCOMS cutoff",
            AlertKind::DropFromPrevious => "PCOMS drop",
            AlertKind::Divergence => "divergence",
            AlertKind::NotOnTrack => "not on track",
        }
    }
}

/// One change on one score, with every rule that saw it.
///
/// `Display` gives the message with numbers to two decimals; [`Event::message`] to the
/// precision of the instrument; the citations are in [`Event::sources`], not repeated in the
/// message.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "serde",
    serde(bound(deserialize = "K: serde::Deserialize<'de>"))
)]
#[non_exhaustive]
pub struct Event<K> {
    /// Which score.
    pub score: K,
    /// What changed.
    pub change: Change,
    /// The number of the session it is about (as in [`Alert::session`]).
    pub session: u32,
    /// Its date, when known.
    pub date: Option<crate::Date>,
    /// Its 0-based position (as in [`Alert::index`]).
    pub index: usize,
    /// Its time.
    pub time: f64,
    /// How urgent it is.
    pub severity: Severity,
    /// The rules that saw it, each once, in the order they fired.
    pub rules: Vec<AlertKind>,
    /// The alerts behind it, with every number and rule parameter.
    pub alerts: Vec<Alert<K>>,
}

impl<K> Event<K> {
    /// The literature sources of the rules behind it, each once.
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{Monitor, MonitorConfig, SessionReport};
    /// use alliance::trend::PcomsRule;
    /// let config = MonitorConfig::builder().pcoms(PcomsRule::builder().cutoff(36.0).build()?).build()?;
    /// let mut m = Monitor::new("SRS", config.clone());
    /// let report = SessionReport::new(&m.push(1.0, 30.0)?);
    /// assert_eq!(report.events[0].sources().len(), 1);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn sources(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for a in &self.alerts {
            if !out.contains(&a.source) {
                out.push(a.source);
            }
        }
        out
    }

    /// The message, numbers rounded to `decimals` places (the instrument's precision: 0 for
    /// whole-point answers summed, 1 or 2 for means and POMP).
    ///
    /// # Example
    /// ```
    /// use alliance::monitor::{Monitor, MonitorConfig, SessionReport};
    /// use alliance::trend::PcomsRule;
    /// let config = MonitorConfig::builder().pcoms(PcomsRule::builder().cutoff(36.0).build()?).build()?;
    /// let mut m = Monitor::new("SRS", config.clone());
    /// let report = SessionReport::new(&m.push(1.0, 30.26)?);
    /// assert_eq!(report.events[0].message(1), "SRS at session 1: at 30.3 (below the PCOMS cutoff)");
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn message(&self, decimals: usize) -> String
    where
        K: fmt::Display,
    {
        let n = |x: f64| trim(format!("{x:.decimals$}"));
        let rules: Vec<&str> = self.rules.iter().map(|k| k.label()).collect();
        let head = match self.date {
            Some(d) => format!("{} at session {} ({d})", self.score, self.session),
            None => format!("{} at session {}", self.score, self.session),
        };
        let mut numbers = Numbers::default();
        for a in &self.alerts {
            numbers.take(a);
        }
        match self.change {
            Change::Decline => {
                let from = match (numbers.mean, numbers.previous, numbers.expected) {
                    (Some(m), ..) => format!(" from a mean of {}", n(m)),
                    (None, Some(p), _) => format!(" from {}", n(p)),
                    (None, None, Some((e, lower))) => format!(
                        ", below the expected band from {} (expected {})",
                        n(lower),
                        n(e)
                    ),
                    _ => String::new(),
                };
                let at = numbers
                    .score
                    .map_or(String::new(), |x| format!(": at {}", n(x)));
                let charts_only = self
                    .rules
                    .iter()
                    .all(|k| matches!(k, AlertKind::CusumLow | AlertKind::EwmaLow));
                if charts_only {
                    // the session itself may be fine; the running level is what is low
                    format!(
                        "{head}{at}, the running level still low ({})",
                        rules.join(", ")
                    )
                } else {
                    format!("{head}{at}{from} ({})", rules.join(", "))
                }
            }
            Change::Repair => format!(
                "{head}: the rupture was repaired{}",
                numbers.repaired.map_or(String::new(), |(at, x)| format!(
                    " at session {at}, back to {}",
                    n(x)
                ))
            ),
            Change::Unrepaired => format!("{head}: the rupture was not repaired in time"),
            Change::Divergence => match numbers.pair {
                Some((c, t)) => format!(
                    "{head}: client {} and therapist {} differ by {}",
                    n(c),
                    n(t),
                    n((c - t).abs())
                ),
                None => format!("{head}: client and therapist diverge"),
            },
        }
    }
}

/// `1.50` -> `1.5`, `2.00` -> `2`.
fn trim(text: String) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// The numbers a message needs, from the alerts behind an event.
#[derive(Default)]
struct Numbers {
    score: Option<f64>,
    mean: Option<f64>,
    previous: Option<f64>,
    repaired: Option<(u32, f64)>,
    pair: Option<(f64, f64)>,
    expected: Option<(f64, f64)>,
}

impl Numbers {
    fn take<K>(&mut self, a: &Alert<K>) {
        match a.detail {
            AlertDetail::Rupture { rupture, .. } => {
                self.score.get_or_insert(rupture.score);
                self.mean.get_or_insert(rupture.baseline_mean);
                if let crate::trend::RepairStatus::Repaired { score, .. } = rupture.repair {
                    self.repaired = Some((a.raised_session, score));
                }
            }
            AlertDetail::SuddenDrop { check, .. } => {
                self.score.get_or_insert(check.score_after);
                self.previous.get_or_insert(check.score_before);
            }
            AlertDetail::Cusum { alarm, .. } => {
                self.score.get_or_insert(alarm.score);
            }
            AlertDetail::Ewma { alarm, .. } => {
                self.score.get_or_insert(alarm.score);
            }
            AlertDetail::Pcoms { flag, .. } => {
                self.score.get_or_insert(flag.score);
                if flag.kind == PcomsKind::DropFromPrevious {
                    self.previous = self.previous.or(flag.previous);
                }
            }
            AlertDetail::Divergence { point, .. } => {
                self.pair = Some((point.client, point.therapist));
            }
            AlertDetail::NotOnTrack { flag, .. } => {
                self.score.get_or_insert(flag.score);
                self.expected = Some((flag.expected, flag.lower));
            }
        }
    }
}

impl<K: fmt::Display> fmt::Display for Event<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.severity.code(), self.message(2))
    }
}

/// What one session raised, as events: one per change on each score, with the rules that saw
/// it (a drop that trips the rupture rule, PCOMS and CUSUM is one event, not three).
///
/// # Example
/// ```
/// use alliance::monitor::{Change, Monitor, MonitorConfig, SessionReport, Severity};
/// use alliance::trend::PcomsRule;
/// let config = MonitorConfig::builder()
///     .reference_sd(1.0)
///     .pcoms(PcomsRule::builder().cutoff(30.0).build()?)
///     .build()?;
/// let mut m = Monitor::new("total", config.clone());
/// for (t, x) in [(1.0, 34.0), (2.0, 35.0), (3.0, 34.0), (4.0, 35.0)] {
///     m.push(t, x)?;
/// }
/// let alerts = m.push(5.0, 26.0)?; // a rupture, below the cutoff, a PCOMS drop
/// assert!(alerts.len() >= 3);
/// let report = SessionReport::new(&alerts);
/// assert_eq!(report.events.len(), 1);
/// let drop = &report.events[0];
/// assert_eq!((drop.change, drop.severity), (Change::Decline, Severity::Act));
/// assert_eq!(report.severity(), Some(Severity::Act));
/// assert!(drop.to_string().starts_with("[act] total at session 5: at 26 from a mean of 34.5 (rupture (2 SD)"));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "serde",
    serde(bound(deserialize = "K: serde::Deserialize<'de>"))
)]
#[non_exhaustive]
pub struct SessionReport<K> {
    /// The events, in the order their first alert was raised.
    pub events: Vec<Event<K>>,
}

impl<K: Copy + PartialEq> SessionReport<K> {
    /// The events behind the alerts one push returned.
    pub fn new(alerts: &[Alert<K>]) -> SessionReport<K> {
        let mut events: Vec<Event<K>> = Vec::new();
        for a in alerts {
            let change = Change::of(a.kind);
            let same =
                |e: &&mut Event<K>| e.score == a.score && e.change == change && e.index == a.index;
            match events.iter_mut().find(same) {
                Some(e) => {
                    if !e.rules.contains(&a.kind) {
                        e.rules.push(a.kind);
                    }
                    e.alerts.push(*a);
                }
                None => events.push(Event {
                    score: a.score,
                    change,
                    session: a.session,
                    date: a.date,
                    index: a.index,
                    time: a.time,
                    severity: Severity::Info,
                    rules: vec![a.kind],
                    alerts: vec![*a],
                }),
            }
        }
        for e in &mut events {
            e.severity = severity(e.change, &e.rules);
        }
        SessionReport { events }
    }

    /// The most urgent event's severity; `None` for a quiet session.
    pub fn severity(&self) -> Option<Severity> {
        self.events.iter().map(|e| e.severity).max()
    }
}

/// The rule a kind of alert comes from.
fn family(kind: AlertKind) -> u8 {
    match kind {
        AlertKind::Rupture { .. } | AlertKind::Repair | AlertKind::Unrepaired => 0,
        AlertKind::SuddenDrop => 1,
        AlertKind::CusumLow => 2,
        AlertKind::EwmaLow => 3,
        AlertKind::BelowCutoff | AlertKind::DropFromPrevious => 4,
        AlertKind::Divergence => 5,
        AlertKind::NotOnTrack => 6,
    }
}

/// The severity table of [`Severity`].
fn severity(change: Change, rules: &[AlertKind]) -> Severity {
    match change {
        Change::Repair => Severity::Info,
        Change::Unrepaired => Severity::Act,
        Change::Divergence => Severity::Watch,
        Change::Decline => {
            let strict = rules.contains(&AlertKind::Rupture {
                level: RuptureLevel::Strict,
            });
            // rules, not flags: PCOMS's cutoff and drop flags are one rule
            let mut families: Vec<u8> = rules.iter().map(|&k| family(k)).collect();
            families.dedup();
            families.sort_unstable();
            families.dedup();
            if strict || families.len() >= 2 {
                Severity::Act
            } else {
                Severity::Watch
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table in [`Severity`]'s docs.
    #[test]
    fn severity_follows_its_table() {
        let lenient = AlertKind::Rupture {
            level: RuptureLevel::Lenient,
        };
        let strict = AlertKind::Rupture {
            level: RuptureLevel::Strict,
        };
        let cases = [
            (Change::Repair, vec![AlertKind::Repair], Severity::Info),
            (
                Change::Unrepaired,
                vec![AlertKind::Unrepaired],
                Severity::Act,
            ),
            (
                Change::Divergence,
                vec![AlertKind::Divergence],
                Severity::Watch,
            ),
            (Change::Decline, vec![lenient], Severity::Watch),
            (Change::Decline, vec![strict], Severity::Act),
            (
                Change::Decline,
                vec![AlertKind::SuddenDrop],
                Severity::Watch,
            ),
            // PCOMS's two flags are one rule
            (
                Change::Decline,
                vec![AlertKind::BelowCutoff, AlertKind::DropFromPrevious],
                Severity::Watch,
            ),
            (
                Change::Decline,
                vec![lenient, AlertKind::CusumLow],
                Severity::Act,
            ),
            (
                Change::Decline,
                vec![AlertKind::EwmaLow, AlertKind::BelowCutoff],
                Severity::Act,
            ),
        ];
        for (change, rules, want) in cases {
            assert_eq!(severity(change, &rules), want, "{change:?} {rules:?}");
        }
    }

    #[test]
    fn numbers_are_trimmed() {
        assert_eq!(trim("1.50".into()), "1.5");
        assert_eq!(trim("2.00".into()), "2");
        assert_eq!(trim("30".into()), "30");
    }
}
