//! What a monitor raises: which rule fired, on which score and session, the numbers behind it,
//! the rule's parameters and its source.

use std::fmt;

use crate::trend::{
    CusumAlarm, CusumRule, DIVERGENCE_SOURCE, DivergencePoint, DivergenceRule,
    EXPECTED_CURVE_SOURCE, EwmaAlarm, EwmaRule, IntervalCheck, NotOnTrackRule, OffTrack, PAGE_1954,
    PCOMS_SOURCE, PcomsFlag, PcomsKind, PcomsRule, REPAIR_SOURCE, ROBERTS_1959, RepairStatus,
    Rupture, RuptureLevel, RuptureRule, SuddenDropRule, TANG_DERUBEIS_1999,
};

/// Which rule fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum AlertKind {
    /// A session far below the client's level so far.
    Rupture {
        /// Lenient (1 SD) or strict (2 SD).
        level: RuptureLevel,
    },
    /// A later session returned to the client's level: the rupture it refers to is repaired.
    Repair,
    /// The repair window of a rupture closed without a return.
    Unrepaired,
    /// A sudden drop (confirmed by the three sessions after it).
    SuddenDrop,
    /// The lower CUSUM passed its decision limit.
    CusumLow,
    /// The EWMA is below its lower control limit.
    EwmaLow,
    /// The score is below the PCOMS cutoff.
    BelowCutoff,
    /// The score fell by at least the PCOMS drop since the previous session.
    DropFromPrevious,
    /// Client and therapist differ by more than the reliable-difference bound.
    Divergence,
    /// The score is below the expected curve's band, in enough of the last sessions.
    NotOnTrack,
}

/// The numbers behind an alert: the same record the batch function reports, and the rule
/// with its parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum AlertDetail {
    /// A rupture, a repair or a closed repair window (see the rupture's `repair`).
    Rupture {
        /// The rupture as [`crate::trend::ruptures`] reports it at this point.
        rupture: Rupture,
        /// The rule.
        rule: RuptureRule,
    },
    /// A sudden drop.
    SuddenDrop {
        /// Every criterion value, as [`crate::trend::check_interval`] reports it.
        check: IntervalCheck,
        /// The rule.
        rule: SuddenDropRule,
    },
    /// A CUSUM alarm.
    Cusum {
        /// The alarm, as [`crate::trend::cusum`] reports it.
        alarm: CusumAlarm,
        /// The rule.
        rule: CusumRule,
    },
    /// An EWMA alarm.
    Ewma {
        /// The alarm, as [`crate::trend::ewma`] reports it.
        alarm: EwmaAlarm,
        /// The rule.
        rule: EwmaRule,
    },
    /// A PCOMS flag.
    Pcoms {
        /// The flag, as [`crate::trend::pcoms_flags`] reports it.
        flag: PcomsFlag,
        /// The rule.
        rule: PcomsRule,
    },
    /// Therapist-client divergence.
    Divergence {
        /// The point, as [`crate::trend::divergence`] reports it.
        point: DivergencePoint,
        /// The rule.
        rule: DivergenceRule,
    },
    /// A session not on track.
    NotOnTrack {
        /// The session, its score and the band it is below, as
        /// [`crate::trend::not_on_track`] reports it.
        flag: OffTrack,
        /// The rule (the curve is in the monitor's configuration).
        rule: NotOnTrackRule,
    },
}

/// One alert raised by a monitor.
///
/// `session` is the session the alert is about; `raised_session` the session whose arrival
/// raised it. They differ for detections that need later sessions: a sudden drop is raised
/// when the third session after it arrives, a repair when the repairing session arrives, an
/// unrepaired rupture when its window closes. Sessions are numbered as the clinic numbers
/// them ([`Visit`](super::Visit)); `index` and `raised_index` are the same sessions as 0-based
/// positions in the order pushed, as the batch detectors' records count them. `Display` gives
/// a one-line reason.
///
/// With feature `serde` it serializes and deserializes; reading one back checks that its kind
/// matches its detail and takes the source from the rule (the one written is not trusted).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Alert<K> {
    /// Which score (a label, an element, an index).
    pub score: K,
    /// Which rule fired.
    pub kind: AlertKind,
    /// The number of the session the alert is about.
    pub session: u32,
    /// Its date, when known.
    pub date: Option<crate::Date>,
    /// Its 0-based position.
    pub index: usize,
    /// Its time.
    pub time: f64,
    /// The number of the session that raised it.
    pub raised_session: u32,
    /// Its 0-based position.
    pub raised_index: usize,
    /// Its time.
    pub raised_time: f64,
    /// The numbers and the rule.
    pub detail: AlertDetail,
    /// The literature source of the rule.
    pub source: &'static str,
}

impl<K> Alert<K> {
    pub(crate) fn rupture(
        score: K,
        rupture: Rupture,
        rule: RuptureRule,
        raised_index: usize,
        raised_time: f64,
    ) -> Alert<K> {
        let (kind, source) = match rupture.repair {
            RepairStatus::Pending => (
                AlertKind::Rupture {
                    level: rupture.level,
                },
                rupture.level.source(),
            ),
            RepairStatus::Repaired { .. } => (AlertKind::Repair, REPAIR_SOURCE),
            RepairStatus::Unrepaired => (AlertKind::Unrepaired, REPAIR_SOURCE),
        };
        Alert {
            score,
            kind,
            session: 0,
            date: None,
            index: rupture.index,
            time: rupture.time,
            raised_session: 0,
            raised_index,
            raised_time,
            detail: AlertDetail::Rupture { rupture, rule },
            source,
        }
    }

    pub(crate) fn sudden(
        score: K,
        check: IntervalCheck,
        rule: SuddenDropRule,
        raised_index: usize,
        raised_time: f64,
    ) -> Alert<K> {
        Alert {
            score,
            kind: AlertKind::SuddenDrop,
            session: 0,
            date: None,
            index: check.before + 1,
            time: check.time_after,
            raised_session: 0,
            raised_index,
            raised_time,
            detail: AlertDetail::SuddenDrop { check, rule },
            source: TANG_DERUBEIS_1999,
        }
    }

    pub(crate) fn cusum(score: K, alarm: CusumAlarm, rule: CusumRule) -> Alert<K> {
        Alert {
            score,
            kind: AlertKind::CusumLow,
            session: 0,
            date: None,
            index: alarm.index,
            time: alarm.time,
            raised_session: 0,
            raised_index: alarm.index,
            raised_time: alarm.time,
            detail: AlertDetail::Cusum { alarm, rule },
            source: PAGE_1954,
        }
    }

    pub(crate) fn ewma(score: K, alarm: EwmaAlarm, rule: EwmaRule) -> Alert<K> {
        Alert {
            score,
            kind: AlertKind::EwmaLow,
            session: 0,
            date: None,
            index: alarm.index,
            time: alarm.time,
            raised_session: 0,
            raised_index: alarm.index,
            raised_time: alarm.time,
            detail: AlertDetail::Ewma { alarm, rule },
            source: ROBERTS_1959,
        }
    }

    pub(crate) fn pcoms(score: K, flag: PcomsFlag, rule: PcomsRule) -> Alert<K> {
        let kind = match flag.kind {
            PcomsKind::BelowCutoff => AlertKind::BelowCutoff,
            PcomsKind::DropFromPrevious => AlertKind::DropFromPrevious,
        };
        Alert {
            score,
            kind,
            session: 0,
            date: None,
            index: flag.index,
            time: flag.time,
            raised_session: 0,
            raised_index: flag.index,
            raised_time: flag.time,
            detail: AlertDetail::Pcoms { flag, rule },
            source: PCOMS_SOURCE,
        }
    }

    pub(crate) fn divergence(
        score: K,
        index: usize,
        point: DivergencePoint,
        rule: DivergenceRule,
    ) -> Alert<K> {
        Alert {
            score,
            kind: AlertKind::Divergence,
            session: 0,
            date: None,
            index,
            time: point.time,
            raised_session: 0,
            raised_index: index,
            raised_time: point.time,
            detail: AlertDetail::Divergence { point, rule },
            source: DIVERGENCE_SOURCE,
        }
    }
}

impl<K> Alert<K> {
    pub(crate) fn not_on_track(
        score: K,
        flag: OffTrack,
        rule: NotOnTrackRule,
        time: f64,
    ) -> Alert<K> {
        Alert {
            score,
            kind: AlertKind::NotOnTrack,
            session: 0,
            date: None,
            index: flag.index,
            time,
            raised_session: 0,
            raised_index: flag.index,
            raised_time: time,
            detail: AlertDetail::NotOnTrack { flag, rule },
            source: EXPECTED_CURVE_SOURCE,
        }
    }
}

impl<K: fmt::Display> fmt::Display for Alert<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at session {}", self.score, self.session)?;
        if let Some(d) = self.date {
            write!(f, " ({d})")?;
        }
        f.write_str(": ")?;
        match self.detail {
            AlertDetail::Rupture { rupture: r, rule } => match r.repair {
                RepairStatus::Pending => {
                    let thresholds = rule.thresholds();
                    let k = match r.level {
                        RuptureLevel::Strict => thresholds.strict,
                        RuptureLevel::Lenient => thresholds.lenient,
                    };
                    write!(
                        f,
                        "rupture ({:?}): score {} is {:.2} SD below the mean {:.2} of {} \
                         earlier sessions (z = {:.2} <= -{}, SD used {:.2})",
                        r.level, r.score, -r.z, r.baseline_mean, r.baseline_n, r.z, k, r.sd_used
                    )
                }
                RepairStatus::Repaired { score, .. } => write!(
                    f,
                    "repaired at session {}: score {score} is back to at least {:.2} \
                     (mean {:.2} - {} SD used)",
                    self.raised_session,
                    r.repair_threshold,
                    r.baseline_mean,
                    rule.repair_fraction()
                ),
                RepairStatus::Unrepaired => write!(
                    f,
                    "not repaired: no score reached {:.2} within {} sessions",
                    r.repair_threshold,
                    rule.repair_window()
                ),
            },
            AlertDetail::SuddenDrop { check: c, .. } => write!(
                f,
                "sudden drop {} -> {} (drop {:.2} >= minimum {}, >= {:.2} relative; mean {:.2} \
                 -> {:.2} exceeds {} x pooled SD {:.2}; confirmed at session {})",
                c.score_before,
                c.score_after,
                c.drop,
                c.min_drop,
                c.relative_threshold,
                c.mean_before,
                c.mean_after,
                c.critical_value,
                c.pooled_sd,
                self.raised_session
            ),
            AlertDetail::Cusum { alarm: a, rule } => write!(
                f,
                "lower CUSUM {:.2} > h sigma = {:.2} (mu0 {:.2}, sigma {:.2}, k {})",
                a.statistic,
                a.limit,
                a.baseline.mean,
                a.baseline.sd_used,
                rule.design().reference_value
            ),
            AlertDetail::Ewma { alarm: a, .. } => write!(
                f,
                "EWMA {:.2} < lower limit {:.2} (mu0 {:.2}, sigma {:.2}, step {})",
                a.ewma, a.lower_limit, a.baseline.mean, a.baseline.sd_used, a.step
            ),
            AlertDetail::Pcoms { flag, .. } => match (flag.kind, flag.previous) {
                (PcomsKind::DropFromPrevious, Some(p)) => write!(
                    f,
                    "score {} fell by at least {} from {}",
                    flag.score, flag.threshold, p
                ),
                _ => write!(f, "score {} below cutoff {}", flag.score, flag.threshold),
            },
            AlertDetail::Divergence { point: p, rule } => write!(
                f,
                "client {} vs therapist {}: |D| = {:.2} > {:.2} (mean D so far {:.2})",
                p.client,
                p.therapist,
                p.difference.abs(),
                rule.bound(),
                p.mean_difference
            ),
            AlertDetail::NotOnTrack { flag: t, rule } => write!(
                f,
                "not on track: score {} below the expected band {:.2} to {:.2} (expected {:.2}, \
                 from {} reference dyads); {} of the last {} sessions below (rule: {} of {})",
                t.score,
                t.lower,
                t.upper,
                t.expected,
                t.reference_n,
                t.below,
                t.window,
                rule.below(),
                rule.of_last()
            ),
        }
    }
}

/// The source of the rule behind an alert of `kind` with `detail`; `None` when they do not
/// belong together.
#[cfg(feature = "serde")]
fn source_of(kind: AlertKind, detail: &AlertDetail) -> Option<&'static str> {
    Some(match (kind, detail) {
        (AlertKind::Rupture { level }, AlertDetail::Rupture { rupture, .. })
            if rupture.level == level && rupture.repair == RepairStatus::Pending =>
        {
            level.source()
        }
        (AlertKind::Repair, AlertDetail::Rupture { rupture, .. })
            if matches!(rupture.repair, RepairStatus::Repaired { .. }) =>
        {
            REPAIR_SOURCE
        }
        (AlertKind::Unrepaired, AlertDetail::Rupture { rupture, .. })
            if rupture.repair == RepairStatus::Unrepaired =>
        {
            REPAIR_SOURCE
        }
        (AlertKind::SuddenDrop, AlertDetail::SuddenDrop { .. }) => TANG_DERUBEIS_1999,
        (AlertKind::CusumLow, AlertDetail::Cusum { .. }) => PAGE_1954,
        (AlertKind::EwmaLow, AlertDetail::Ewma { .. }) => ROBERTS_1959,
        (AlertKind::BelowCutoff, AlertDetail::Pcoms { flag, .. })
            if flag.kind == PcomsKind::BelowCutoff =>
        {
            PCOMS_SOURCE
        }
        (AlertKind::DropFromPrevious, AlertDetail::Pcoms { flag, .. })
            if flag.kind == PcomsKind::DropFromPrevious =>
        {
            PCOMS_SOURCE
        }
        (AlertKind::Divergence, AlertDetail::Divergence { .. }) => DIVERGENCE_SOURCE,
        (AlertKind::NotOnTrack, AlertDetail::NotOnTrack { .. }) => EXPECTED_CURVE_SOURCE,
        _ => return None,
    })
}

/// An alert as it arrives on the wire: its source is not read but taken from the rule.
#[cfg(feature = "serde")]
mod wire {
    use super::{AlertDetail, AlertKind};
    use crate::Date;

    #[derive(serde::Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub(super) struct Alert<K> {
        score: K,
        kind: AlertKind,
        session: u32,
        date: Option<Date>,
        index: usize,
        time: f64,
        raised_session: u32,
        raised_index: usize,
        raised_time: f64,
        detail: AlertDetail,
        #[serde(rename = "source")]
        _source: Option<String>,
    }

    impl<'de, K: serde::Deserialize<'de>> serde::Deserialize<'de> for super::Alert<K> {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let w = Alert::<K>::deserialize(d)?;
            super::Alert::try_from(w).map_err(serde::de::Error::custom)
        }
    }

    impl<K> TryFrom<Alert<K>> for super::Alert<K> {
        type Error = &'static str;
        fn try_from(w: Alert<K>) -> Result<Self, &'static str> {
            let source = super::source_of(w.kind, &w.detail)
                .ok_or("the alert's kind does not match its detail")?;
            if w.raised_index < w.index || w.raised_session < w.session {
                return Err("an alert is raised at or after the session it is about");
            }
            Ok(super::Alert {
                score: w.score,
                kind: w.kind,
                session: w.session,
                date: w.date,
                index: w.index,
                time: w.time,
                raised_session: w.raised_session,
                raised_index: w.raised_index,
                raised_time: w.raised_time,
                detail: w.detail,
                source,
            })
        }
    }
}
