//! Laws of the change detectors and the streaming monitor.

use alliance::Date;
use alliance::monitor::{
    Alert, AlertDetail, DyadMonitor, Monitor, MonitorConfig, SessionReport, Visit,
};
use alliance::trend::{
    Baseline, CurveOptions, CusumRule, DivergenceRule, EwmaRule, ExpectedCurve, NotOnTrackRule,
    PcomsRule, RepairStatus, RuptureReference, RuptureRule, Series, SuddenDropRule, cusum,
    divergence, ewma, expected_curve, not_on_track, pcoms_flags, ruptures, sudden_drops,
};
use proptest::prelude::*;

/// One alert reduced to what identifies it: the session that raised it, the session it is
/// about, its kind, and the exact record behind it (Debug prints f64 round-trip exactly).
type Key = (usize, usize, String, String);

fn key_of(a: &Alert<&'static str>) -> Key {
    let record = match a.detail {
        AlertDetail::Rupture { rupture, .. } => format!("{rupture:?}"),
        AlertDetail::SuddenDrop { check, .. } => format!("{check:?}"),
        AlertDetail::Cusum { alarm, .. } => format!("{alarm:?}"),
        AlertDetail::Ewma { alarm, .. } => format!("{alarm:?}"),
        AlertDetail::Pcoms { flag, .. } => format!("{flag:?}"),
        AlertDetail::Divergence { point, .. } => format!("{point:?}"),
        AlertDetail::NotOnTrack { flag, .. } => format!("{flag:?}"),
        _ => unreachable!(),
    };
    (a.raised_index, a.index, format!("{:?}", a.kind), record)
}

struct Rules {
    rupture: RuptureRule,
    sudden: SuddenDropRule,
    cusum: CusumRule,
    ewma: EwmaRule,
    pcoms: PcomsRule,
    divergence: DivergenceRule,
    curve: ExpectedCurve,
    track: NotOnTrackRule,
}

/// An expected curve on the 0-40 scale for sessions 1-30: 25 reference dyads, most with a
/// score at every session, only 5 at sessions 12-14 (no band there: `max_half_width` 0);
/// sessions after 30 are outside the curve.
fn curve() -> ExpectedCurve {
    let dyads: Vec<Vec<(u32, f64)>> = (0..25u32)
        .map(|i| {
            (1..=30u32)
                .filter(|s| i < 5 || !(12..=14).contains(s))
                .map(|s| {
                    (
                        s,
                        f64::from(8 + (i * 7 + s * 3) % 29) + f64::from(s % 4) / 4.0,
                    )
                })
                .collect()
        })
        .collect();
    expected_curve(&dyads, CurveOptions::default().with_max_half_width(0)).unwrap()
}

impl Rules {
    fn new(ref_sd: f64, cutoff: f64, srs_cutoff: f64, bound: f64, given: bool) -> Rules {
        let baseline = if given {
            Baseline::Given {
                mean: 20.0,
                sd: 4.0,
            }
        } else {
            Baseline::FirstSessions(3)
        };
        Rules {
            rupture: RuptureRule::builder().reference_sd(ref_sd).build().unwrap(),
            sudden: SuddenDropRule::builder().min_drop(cutoff).build().unwrap(),
            cusum: CusumRule::builder()
                .baseline(baseline)
                .sd_floor(ref_sd)
                .build()
                .unwrap(),
            ewma: EwmaRule::builder()
                .baseline(baseline)
                .sd_floor(ref_sd)
                .build()
                .unwrap(),
            pcoms: PcomsRule::builder().cutoff(srs_cutoff).build().unwrap(),
            divergence: DivergenceRule::builder().bound(bound).build().unwrap(),
            curve: curve(),
            track: NotOnTrackRule::builder().build().unwrap(),
        }
    }

    /// The not-on-track rule: `below` of the last `below + more` sessions.
    fn with_track(mut self, below: usize, more: usize) -> Rules {
        self.track = NotOnTrackRule::builder()
            .below(below)
            .of_last(below + more)
            .build()
            .unwrap();
        self
    }

    fn config(&self) -> MonitorConfig {
        MonitorConfig::builder()
            .ruptures(self.rupture)
            .sudden_drops(self.sudden)
            .cusum(self.cusum)
            .ewma(self.ewma)
            .pcoms(self.pcoms)
            .divergence(self.divergence)
            .not_on_track(self.curve.clone(), self.track)
            .build()
            .unwrap()
    }

    /// Every rule but not-on-track (the one rule that reads the session number).
    fn config_without_track(&self) -> MonitorConfig {
        MonitorConfig::builder()
            .ruptures(self.rupture)
            .sudden_drops(self.sudden)
            .cusum(self.cusum)
            .ewma(self.ewma)
            .pcoms(self.pcoms)
            .divergence(self.divergence)
            .build()
            .unwrap()
    }

    /// What the batch detectors say about a prefix, as the alerts a monitor should have raised.
    fn expected(&self, client: &Series, therapist: &Series) -> Vec<Key> {
        let mut out = Vec::new();
        let w = self.rupture.repair_window();
        for r in ruptures(client, &self.rupture).unwrap().ruptures {
            let mut opened = r;
            opened.repair = RepairStatus::Pending;
            let kind = format!("Rupture {{ level: {:?} }}", r.level);
            out.push((r.index, r.index, kind, format!("{opened:?}")));
            match r.repair {
                RepairStatus::Repaired { index, .. } => {
                    out.push((index, r.index, "Repair".into(), format!("{r:?}")))
                }
                RepairStatus::Unrepaired => {
                    out.push((r.index + w, r.index, "Unrepaired".into(), format!("{r:?}")))
                }
                _ => {}
            }
        }
        for c in sudden_drops(client, &self.sudden).unwrap().drops {
            out.push((
                c.before + 3,
                c.before + 1,
                "SuddenDrop".into(),
                format!("{c:?}"),
            ));
        }
        for a in cusum(client, &self.cusum).unwrap().alarms {
            out.push((a.index, a.index, "CusumLow".into(), format!("{a:?}")));
        }
        for a in ewma(client, &self.ewma).unwrap().alarms {
            out.push((a.index, a.index, "EwmaLow".into(), format!("{a:?}")));
        }
        for fl in pcoms_flags(client, &self.pcoms).unwrap().flags {
            out.push((
                fl.index,
                fl.index,
                format!("{:?}", fl.kind),
                format!("{fl:?}"),
            ));
        }
        for p in divergence(client, therapist, &self.divergence)
            .unwrap()
            .points
        {
            if p.exceeds {
                out.push((p.index, p.index, "Divergence".into(), format!("{p:?}")));
            }
        }
        // the monitor numbers sessions pushed with a plain time 1, 2, 3, ...
        let numbered = Series::new(
            (1..=client.len()).map(|i| i as f64).collect(),
            client.values().to_vec(),
        )
        .unwrap();
        for f in not_on_track(&numbered, &self.curve, &self.track)
            .unwrap()
            .flags
        {
            out.push((f.index, f.index, "NotOnTrack".into(), format!("{f:?}")));
        }
        out.sort();
        out
    }
}

fn score() -> impl Strategy<Value = f64> {
    prop_oneof![
        (0u8..=40).prop_map(f64::from),
        (0u16..=400).prop_map(|x| f64::from(x) / 10.0),
        0.0f64..40.0,
    ]
}

fn course() -> impl Strategy<Value = (Vec<f64>, Vec<f64>, Vec<f64>)> {
    (1usize..40).prop_flat_map(|n| {
        (
            prop::collection::vec(0.25f64..3.0, n),
            prop::collection::vec(score(), n),
            prop::collection::vec(score(), n),
        )
            .prop_map(|(gaps, c, t)| {
                let mut time = 0.0;
                let times = gaps
                    .into_iter()
                    .map(|g| {
                        time += g;
                        time
                    })
                    .collect();
                (times, c, t)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// After every session, the alerts a monitor has raised so far are exactly (bit for bit)
    /// what the batch detectors report on the sessions so far.
    #[test]
    fn monitor_equals_batch_on_every_prefix(
        (times, client, therapist) in course(),
        ref_sd in 0.1f64..5.0,
        cutoff in 0.0f64..10.0,
        srs_cutoff in 10.0f64..40.0,
        bound in 0.5f64..10.0,
        given in any::<bool>(),
        (below, more) in (1usize..=3, 0usize..=2),
    ) {
        let rules = Rules::new(ref_sd, cutoff, srs_cutoff, bound, given).with_track(below, more);
        let mut monitor = Monitor::new("total", rules.config());
        let mut raised: Vec<Key> = Vec::new();
        for i in 0..times.len() {
            for a in monitor.push_paired(times[i], client[i], therapist[i]).unwrap() {
                prop_assert_eq!(a.raised_index, i);
                raised.push(key_of(&a));
            }
            let c = Series::new(times[..=i].to_vec(), client[..=i].to_vec()).unwrap();
            let t = Series::new(times[..=i].to_vec(), therapist[..=i].to_vec()).unwrap();
            let mut so_far = raised.clone();
            so_far.sort();
            prop_assert_eq!(so_far, rules.expected(&c, &t));
        }
    }

    /// A session's report holds every alert exactly once, each event groups the alerts of one
    /// score, change and session with their distinct rules, and no two events share those.
    #[test]
    fn a_report_groups_every_alert_once(
        (times, client, therapist) in course(),
        ref_sd in 0.1f64..5.0,
        cutoff in 0.0f64..10.0,
        srs_cutoff in 10.0f64..40.0,
        given in any::<bool>(),
    ) {
        let rules = Rules::new(ref_sd, cutoff, srs_cutoff, 4.0, given);
        let mut monitor = Monitor::new("total", rules.config());
        for i in 0..times.len() {
            let alerts = monitor.push_paired(times[i], client[i], therapist[i]).unwrap();
            let report = SessionReport::new(&alerts);
            let grouped: usize = report.events.iter().map(|e| e.alerts.len()).sum();
            prop_assert_eq!(grouped, alerts.len());
            prop_assert_eq!(report.severity().is_none(), alerts.is_empty());
            for (k, e) in report.events.iter().enumerate() {
                for a in &e.alerts {
                    prop_assert!(alerts.contains(a));
                    prop_assert_eq!((a.score, a.session), (e.score, e.session));
                    prop_assert!(e.rules.contains(&a.kind));
                }
                prop_assert!(e.rules.iter().all(|r| e.alerts.iter().any(|a| a.kind == *r)));
                let mut distinct = e.rules.clone();
                distinct.dedup();
                prop_assert_eq!(distinct.len(), e.rules.len());
                prop_assert!(!e.message(1).is_empty());
                for other in &report.events[k + 1..] {
                    prop_assert!((other.score, other.change, other.session) != (e.score, e.change, e.session));
                }
            }
        }
    }

    /// A dyad monitor gives each key the alerts a single monitor gives that score.
    #[test]
    fn dyad_monitor_equals_one_monitor_per_key(
        (times, client, therapist) in course(),
        ref_sd in 0.1f64..5.0,
    ) {
        let rules = Rules::new(ref_sd, 3.0, 30.0, 4.0, false);
        let mut dyad = DyadMonitor::new(&["a", "b"], rules.config()).unwrap();
        let mut a = Monitor::new("a", rules.config());
        let mut b = Monitor::new("b", rules.config());
        for i in 0..times.len() {
            let got = dyad
                .push(times[i], &[client[i], therapist[i]], Some(&[therapist[i], client[i]]))
                .unwrap();
            let mut want = a.push_paired(times[i], client[i], therapist[i]).unwrap();
            want.extend(b.push_paired(times[i], therapist[i], client[i]).unwrap());
            prop_assert_eq!(got, want);
        }
    }

    /// A flat series raises no rupture, whatever its level and length.
    #[test]
    fn flat_series_raise_no_rupture(level in -1e6f64..1e6, n in 1usize..60, ref_sd in 1e-6f64..10.0) {
        let s = Series::from_values(vec![level; n]).unwrap();
        let rule = RuptureRule::builder().reference_sd(ref_sd);
        prop_assert!(ruptures(&s, &rule.build().unwrap()).unwrap().ruptures.is_empty());
        let retrospective = rule.reference(RuptureReference::AllOthers).build().unwrap();
        prop_assert!(ruptures(&s, &retrospective).unwrap().ruptures.is_empty());
        let config = MonitorConfig::builder().reference_sd(ref_sd).build().unwrap();
        let mut m = Monitor::new("x", config.clone());
        for t in 0..n {
            prop_assert!(m.push(t as f64, level).unwrap().is_empty());
        }
    }

    /// No input panics a monitor: any f64 for times and scores (NaN, infinities, huge,
    /// decreasing times); an accepted session reports no NaN; a refused session leaves the
    /// monitor exactly as it was.
    #[test]
    fn no_panic_on_arbitrary_input(
        sessions in prop::collection::vec((any::<f64>(), any::<f64>(), any::<f64>()), 0..60),
        ref_sd in prop_oneof![Just(1e-100), 1e-3f64..10.0, Just(1e100)],
    ) {
        let rules = Rules::new(ref_sd, 2.0, 30.0, 3.0, false);
        let mut m = Monitor::new("x", rules.config());
        let mut d = DyadMonitor::new(&[0u8, 1], rules.config()).unwrap();
        for &(time, x, y) in &sessions {
            let before = m.clone();
            match m.push_paired(time, x, y) {
                Ok(alerts) => {
                    let text = format!("{:?}", alerts);
                    prop_assert!(!text.contains("NaN"));
                }
                Err(_) => prop_assert_eq!(&m, &before),
            }
            let before = d.clone();
            if d.push(time, &[x, y], Some(&[y, x])).is_err() {
                prop_assert_eq!(&d, &before);
            }
        }
    }

    /// No series panics a batch detector, whatever the magnitudes: outside the numeric domain
    /// it is refused when built, inside it every detector runs.
    #[test]
    fn batch_detectors_never_panic(values in prop::collection::vec(any::<f64>(), 1..40)) {
        let inside = values.iter().all(|&x| alliance::domain::contains(x));
        let built = Series::from_values(values);
        prop_assert_eq!(built.is_ok(), inside);
        let Ok(s) = built else { return Ok(()) };
        let rules = Rules::new(1.0, 2.0, 30.0, 3.0, false);
        let _ = ruptures(&s, &rules.rupture);
        let retrospective = RuptureRule::builder()
            .reference_sd(1.0)
            .reference(RuptureReference::AllOthers)
            .build()
            .unwrap();
        let _ = ruptures(&s, &retrospective);
        let _ = sudden_drops(&s, &rules.sudden);
        let _ = cusum(&s, &rules.cusum);
        let _ = ewma(&s, &rules.ewma);
        let _ = pcoms_flags(&s, &rules.pcoms);
        let _ = divergence(&s, &s, &rules.divergence);
    }
}

/// Session numbers with gaps of 1-3 and dates that never go back, one per session.
fn visits(n: usize) -> impl Strategy<Value = Vec<Visit>> {
    (
        prop::collection::vec(1u32..4, n),
        prop::collection::vec(0u32..4, n),
        prop::collection::vec(any::<bool>(), n),
    )
        .prop_map(|(gaps, steps, dated)| {
            let (mut number, mut day) = (0u32, 0u32);
            gaps.into_iter()
                .zip(steps)
                .zip(dated)
                .map(|((g, s), d)| {
                    number += g;
                    day += s;
                    let date = Date::new(2026, (day / 28 + 1) as u8, (day % 28 + 1) as u8).unwrap();
                    if d {
                        Visit::new(number).on(date)
                    } else {
                        Visit::new(number)
                    }
                })
                .collect()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Fed by number and date, every alert names the session at its position (number and
    /// date) and the session that raised it, and the alerts are those of the same course fed
    /// by time (numbers and dates are labels, never inputs to a rule, except for the
    /// not-on-track rule, which reads its curve at the session number: its alerts are those of
    /// the batch detector on the series timed by session number).
    #[test]
    fn alerts_name_the_sessions_they_are_about(
        ((_times, client, therapist), visits) in course().prop_flat_map(|c| {
            let n = c.0.len();
            (Just(c), visits(n))
        }),
        ref_sd in 0.1f64..5.0,
        given in any::<bool>(),
    ) {
        let rules = Rules::new(ref_sd, 3.0, 30.0, 4.0, given);
        let mut by_visit = Monitor::new("total", rules.config_without_track());
        let mut by_time = Monitor::new("total", rules.config_without_track());
        let track_only = MonitorConfig::builder()
            .not_on_track(rules.curve.clone(), rules.track)
            .build()
            .unwrap();
        let mut tracked = Monitor::new("total", track_only);
        let mut flagged = Vec::new();
        for i in 0..visits.len() {
            for a in tracked.push_visit(visits[i], client[i], None).unwrap() {
                prop_assert_eq!(a.session, visits[i].number);
                flagged.push(key_of(&a));
            }
            // the rules see the session number as the time
            let time = f64::from(visits[i].number);
            let named = by_visit.push_visit(visits[i], client[i], Some(therapist[i])).unwrap();
            let plain = by_time.push_paired(time, client[i], therapist[i]).unwrap();
            prop_assert_eq!(named.len(), plain.len());
            for (a, b) in named.iter().zip(&plain) {
                prop_assert_eq!((a.kind, a.index, a.raised_index), (b.kind, b.index, b.raised_index));
                prop_assert_eq!(a.session, visits[a.index].number);
                prop_assert_eq!(a.date, visits[a.index].date);
                prop_assert_eq!(a.raised_session, visits[i].number);
                // fed by time, sessions are numbered 1, 2, 3, ...
                prop_assert_eq!(b.session as usize, b.index + 1);
            }
        }
        let numbers = Series::new(
            visits.iter().map(|v| f64::from(v.number)).collect(),
            client.clone(),
        )
        .unwrap();
        let batch: Vec<Key> = not_on_track(&numbers, &rules.curve, &rules.track)
            .unwrap()
            .flags
            .iter()
            .map(|f| (f.index, f.index, "NotOnTrack".into(), format!("{f:?}")))
            .collect();
        prop_assert_eq!(flagged, batch);
    }
}

/// Numbers must increase and dates may not go back; a refused session leaves the monitor as
/// it was.
#[test]
fn visits_out_of_order_are_refused() {
    let config = MonitorConfig::builder().build().unwrap();
    let mut m = Monitor::new("total", config.clone());
    let march = |d| Date::new(2026, 3, d).unwrap();
    m.push_visit(Visit::new(2).on(march(10)), 30.0, None)
        .unwrap();
    let before = m.clone();
    let e = m.push_visit(Visit::new(2), 30.0, None).unwrap_err();
    assert_eq!(e.code(), "not_increasing");
    let e = m
        .push_visit(Visit::new(3).on(march(9)), 30.0, None)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "session 3 is dated before session 2; check the dates and the session numbers"
    );
    assert_eq!(m, before);
    // an undated session in between does not lift the date check
    m.push_visit(Visit::new(3), 30.0, None).unwrap();
    assert!(
        m.push_visit(Visit::new(4).on(march(1)), 30.0, None)
            .is_err()
    );
}
