//! Saving and restoring a monitor (feature `serde`): a snapshot taken at any session, sent
//! through JSON and restored, goes on bit for bit as the uninterrupted monitor; its size does
//! not grow with the sessions; a damaged or edited snapshot is refused, or at worst restores a
//! monitor that never panics and never reports NaN.
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used)] // test helpers fail loudly

use alliance::Date;
use alliance::monitor::{
    Alert, DyadMonitor, Monitor, MonitorConfig, MonitorSnapshot, SessionReport, Visit,
};
use alliance::trend::{
    Baseline, CurveOptions, CusumRule, DivergenceRule, EwmaRule, NotOnTrackRule, PcomsRule,
    RuptureRule, SuddenDropRule, expected_curve,
};
use proptest::prelude::*;
use serde_json::Value;

/// Every rule, with the CUSUM and EWMA baselines given or estimated, or a configuration
/// without some of them (variants 1, 2), or with the not-on-track rule too (variant 3,
/// format-2 snapshots).
fn config(ref_sd: f64, given: bool, variant: u8) -> MonitorConfig {
    let baseline = if given {
        Baseline::Given {
            mean: 20.0,
            sd: 4.0,
        }
    } else {
        Baseline::FirstSessions(3)
    };
    let mut b = MonitorConfig::builder()
        .ruptures(RuptureRule::builder().reference_sd(ref_sd).build().unwrap())
        .sudden_drops(SuddenDropRule::builder().min_drop(3.0).build().unwrap())
        .cusum(
            CusumRule::builder()
                .baseline(baseline)
                .sd_floor(ref_sd)
                .build()
                .unwrap(),
        )
        .ewma(
            EwmaRule::builder()
                .baseline(baseline)
                .sd_floor(ref_sd)
                .build()
                .unwrap(),
        )
        .pcoms(PcomsRule::builder().cutoff(30.0).build().unwrap())
        .divergence(DivergenceRule::builder().bound(4.0).build().unwrap());
    if variant == 1 {
        b = b.without_ruptures().without_cusum();
    }
    if variant == 2 {
        b = b.without_ewma();
    }
    if variant == 3 {
        // sessions 1-25 on the 0-40 scale; the window of 2 of the last 3
        let dyads: Vec<Vec<(u32, f64)>> = (0..20u32)
            .map(|i| {
                (1..=25u32)
                    .map(|s| (s, f64::from(15 + (i * 5 + s) % 20)))
                    .collect()
            })
            .collect();
        let curve = expected_curve(&dyads, CurveOptions::default()).unwrap();
        b = b.not_on_track(curve, NotOnTrackRule::builder().build().unwrap());
    }
    b.build().unwrap()
}

fn score() -> impl Strategy<Value = f64> {
    prop_oneof![
        (0u8..=40).prop_map(f64::from),
        (0u16..=400).prop_map(|x| f64::from(x) / 10.0),
        0.0f64..40.0,
    ]
}

/// Session times, client and therapist scores, and whether the therapist rated the session.
type Course = (Vec<f64>, Vec<f64>, Vec<f64>, Vec<bool>);

fn course() -> impl Strategy<Value = Course> {
    (1usize..40).prop_flat_map(|n| {
        (
            prop::collection::vec(0.25f64..3.0, n),
            prop::collection::vec(score(), n),
            prop::collection::vec(score(), n),
            prop::collection::vec(any::<bool>(), n),
        )
            .prop_map(|(gaps, c, t, rated)| {
                let mut time = 0.0;
                let times = gaps
                    .into_iter()
                    .map(|g| {
                        time += g;
                        time
                    })
                    .collect();
                (times, c, t, rated)
            })
    })
}

/// One session, the therapist's score if rated.
fn feed<K: Copy>(
    m: &mut Monitor<K>,
    time: f64,
    client: f64,
    therapist: Option<f64>,
) -> alliance::Result<Vec<Alert<K>>> {
    let mut out = Vec::new();
    m.push_into(time, client, therapist, &mut out).map(|()| out)
}

/// Through JSON text and back, as a service would store it.
fn through_json<K: serde::Serialize + serde::de::DeserializeOwned>(
    s: &MonitorSnapshot<K>,
) -> MonitorSnapshot<K> {
    serde_json::from_str(&serde_json::to_string(s).unwrap()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Stopping at any session, snapshotting through JSON and restoring gives the same alerts,
    /// bit for bit, and the same state as the uninterrupted run, for one score and for a dyad.
    #[test]
    fn a_restored_monitor_goes_on_as_the_original(
        (times, client, therapist, rated) in course(),
        stop in any::<prop::sample::Index>(),
        ref_sd in 0.1f64..5.0,
        given in any::<bool>(),
        variant in 0u8..4,
    ) {
        let config = config(ref_sd, given, variant);
        let stop = stop.index(times.len() + 1);
        let therapist_at = |i: usize| rated[i].then_some(therapist[i]);

        let mut whole = Monitor::new(7u32, config.clone());
        let mut first = Monitor::new(7u32, config.clone());
        for i in 0..stop {
            prop_assert_eq!(
                feed(&mut first, times[i], client[i], therapist_at(i)).unwrap(),
                feed(&mut whole, times[i], client[i], therapist_at(i)).unwrap()
            );
        }
        let mut restored = Monitor::restore(through_json(&first.snapshot()), config.clone()).unwrap();
        prop_assert_eq!(&restored, &first);
        for i in stop..times.len() {
            prop_assert_eq!(
                feed(&mut restored, times[i], client[i], therapist_at(i)).unwrap(),
                feed(&mut whole, times[i], client[i], therapist_at(i)).unwrap()
            );
        }
        prop_assert_eq!(&restored, &whole);

        let mut dyad_whole = DyadMonitor::new(&[1u8, 2], config.clone()).unwrap();
        let mut dyad = DyadMonitor::new(&[1u8, 2], config.clone()).unwrap();
        let push = |d: &mut DyadMonitor<u8>, i: usize| {
            let t = [therapist[i], client[i]];
            d.push(times[i], &[client[i], therapist[i]], rated[i].then_some(&t[..])).unwrap()
        };
        for i in 0..stop {
            push(&mut dyad, i);
            push(&mut dyad_whole, i);
        }
        let mut dyad = DyadMonitor::restore(through_json(&dyad.snapshot()), config.clone()).unwrap();
        for i in stop..times.len() {
            prop_assert_eq!(push(&mut dyad, i), push(&mut dyad_whole, i));
        }
        prop_assert_eq!(dyad, dyad_whole);
    }

    /// A snapshot with one part replaced by anything (any bits for a number, any count) is
    /// refused, or restores a monitor that goes on without a panic and never reports a NaN or
    /// an infinity.
    #[test]
    fn an_edited_snapshot_never_makes_a_broken_monitor(
        (times, client, therapist, rated) in course(),
        pick in any::<prop::sample::Index>(),
        bits in any::<u64>(),
        count in prop_oneof![0u64..50, any::<u64>()],
        variant in 0u8..4,
    ) {
        let config = config(1.0, false, variant);
        let mut m = Monitor::new(1u8, config.clone());
        let half = times.len() / 2;
        for i in 0..half {
            feed(&mut m, times[i], client[i], rated[i].then_some(therapist[i])).unwrap();
        }
        let mut json = serde_json::to_value(m.snapshot()).unwrap();
        let mut leaves = Vec::new();
        collect_leaves(&json, String::new(), &mut leaves);
        let path = &leaves[pick.index(leaves.len())];
        let leaf = json.pointer_mut(path).unwrap();
        *leaf = match leaf {
            Value::String(_) => Value::String(format!("{bits:016x}")),
            Value::Bool(b) => Value::Bool(!*b),
            _ => Value::from(count),
        };
        let Ok(snapshot) = serde_json::from_value::<MonitorSnapshot<u8>>(json) else {
            return Ok(());
        };
        let Ok(mut restored) = Monitor::restore(snapshot, config.clone()) else {
            return Ok(());
        };
        for i in half..times.len() {
            if let Ok(alerts) = feed(&mut restored, times[i], client[i], rated[i].then_some(therapist[i])) {
                let text = format!("{alerts:?}");
                prop_assert!(!text.contains("NaN") && !text.contains("inf"), "{}", text);
            }
        }
    }
}

/// The JSON pointers of every number, text and flag in `v`.
fn collect_leaves(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, x)| collect_leaves(x, format!("{at}/{k}"), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| collect_leaves(x, format!("{at}/{i}"), out)),
        Value::Null => {}
        _ => out.push(at),
    }
}

/// The stated bound: a snapshot does not grow with the sessions. Ten thousand sessions that
/// keep opening ruptures (a drop every fourth session) and never settle give a snapshot no
/// larger than the bound in `MonitorSnapshot`'s docs: 1.5 KB per score plus 0.3 KB per open
/// rupture (at most the repair window, 3), and as large after 10,000 sessions as after 100,
/// up to the digits of the counts.
#[test]
fn a_snapshot_does_not_grow_with_the_sessions() {
    let config = config(0.5, false, 0);
    let mut m = Monitor::new(1u8, config.clone());
    let mut dyad = DyadMonitor::new(&[1u8, 2, 3, 4, 5], config.clone()).unwrap();
    let mut at_100 = (0, 0);
    let mut largest = (0, 0);
    for i in 0..10_000 {
        let x = if i % 4 == 3 {
            10.0
        } else {
            30.0 + (i % 3) as f64
        };
        let t = f64::from(i + 1);
        feed(&mut m, t, x, Some(x - 2.0)).unwrap();
        dyad.push(t, &[x; 5], Some(&[x - 1.0; 5])).unwrap();
        let sizes = (
            serde_json::to_string(&m.snapshot()).unwrap().len(),
            serde_json::to_string(&dyad.snapshot()).unwrap().len(),
        );
        largest = (largest.0.max(sizes.0), largest.1.max(sizes.1));
        if i == 99 {
            at_100 = sizes;
        }
    }
    let bound = |scores: usize| scores * (1500 + 3 * 300);
    assert!(largest.0 <= bound(1), "{largest:?}");
    assert!(largest.1 <= bound(5), "{largest:?}");
    let end = (
        serde_json::to_string(&m.snapshot()).unwrap().len(),
        serde_json::to_string(&dyad.snapshot()).unwrap().len(),
    );
    // counts gain at most three digits (100 -> 10,000), in a handful of fields per score
    assert!(end.0 <= at_100.0 + 40, "{at_100:?} -> {end:?}");
    assert!(end.1 <= at_100.1 + 5 * 40, "{at_100:?} -> {end:?}");
}

/// Snapshots refused, each with the reason.
#[test]
fn damaged_or_foreign_snapshots_are_refused() {
    let config = config(1.0, false, 0);
    let mut m = Monitor::new(1u8, config.clone());
    for (i, x) in [30.0, 31.0, 29.0, 30.0, 22.0].into_iter().enumerate() {
        m.push(i as f64 + 1.0, x).unwrap();
    }
    let json = serde_json::to_value(m.snapshot()).unwrap();
    let restore = |edit: &dyn Fn(&mut Value)| {
        let mut v = json.clone();
        edit(&mut v);
        serde_json::from_value::<MonitorSnapshot<u8>>(v)
            .map_err(|e| e.to_string())
            .and_then(|s| Monitor::restore(s, config.clone()).map_err(|e| e.code().to_owned()))
    };
    assert_eq!(restore(&|_| {}), Ok(m.clone()));
    assert_eq!(
        restore(&|v| v["format"] = Value::from(2)),
        Err("snapshot_mismatch".into())
    );
    // a NaN where the running mean is
    assert_eq!(
        restore(&|v| v["states"][0]["history"]["mean"] = Value::from("7ff8000000000000")),
        Err("invalid_snapshot".into())
    );
    // more sessions than the state has seen
    assert_eq!(
        restore(&|v| v["sessions"] = Value::from(6)),
        Err("invalid_snapshot".into())
    );
    // a number not kept as its bits
    assert!(restore(&|v| v["last_time"] = Value::from(5.0)).is_err());
    // restored with another configuration
    let other = self::config(2.0, false, 0);
    assert_eq!(
        Monitor::restore(m.snapshot(), other).map_err(|e| e.code()),
        Err("snapshot_mismatch")
    );
    // a dyad's snapshot is not a single monitor's
    let dyad = DyadMonitor::new(&[1u8, 2], config.clone()).unwrap();
    assert_eq!(
        Monitor::restore(dyad.snapshot(), config.clone()).map_err(|e| e.code()),
        Err("snapshot_mismatch")
    );
}

/// Found by the fuzzer: the divergence's running mean is of client minus therapist, up to
/// twice the numeric domain's limit; such a snapshot restores.
#[test]
fn a_snapshot_at_the_edges_of_the_domain_restores() {
    let config = config(1.0, false, 0);
    let mut m = Monitor::new(1u8, config.clone());
    for (i, (c, t)) in [(1e100, -1e100), (-1e100, 1e100), (1e100, -1e100)]
        .into_iter()
        .enumerate()
    {
        feed(&mut m, i as f64 + 1.0, c, Some(t)).unwrap();
        assert_eq!(
            Monitor::restore(through_json(&m.snapshot()), config.clone()),
            Ok(m.clone())
        );
    }
}

/// Sessions numbered with gaps and dated: a dyad monitor restored at any session names the
/// later alerts' sessions (numbers and dates, back to open ruptures) as the original does.
#[test]
fn restored_monitors_keep_the_sessions_numbers_and_dates() {
    let config = config(0.5, false, 0);
    let scores = [
        30.0, 31.0, 30.0, 18.0, 19.0, 20.0, 31.0, 30.0, 12.0, 29.0, 30.0, 31.0,
    ];
    let visit = |i: usize| {
        let number = 3 * i as u32 + 2;
        let v = Visit::new(number);
        if i % 3 == 2 {
            v
        } else {
            v.on(Date::new(2026, 1 + i as u8, 9).unwrap())
        }
    };
    let mut whole = DyadMonitor::new(&[0u8, 1], config.clone()).unwrap();
    let mut raised = Vec::new();
    for (i, &x) in scores.iter().enumerate() {
        raised.push(
            whole
                .push_visit(visit(i), &[x, x + 1.0], Some(&[x - 5.0, x]))
                .unwrap(),
        );
    }
    assert!(
        raised
            .iter()
            .flatten()
            .any(|a| a.session != a.raised_session)
    );
    for stop in 0..=scores.len() {
        let mut first = DyadMonitor::new(&[0u8, 1], config.clone()).unwrap();
        for (i, &x) in scores[..stop].iter().enumerate() {
            first
                .push_visit(visit(i), &[x, x + 1.0], Some(&[x - 5.0, x]))
                .unwrap();
        }
        let mut restored =
            DyadMonitor::restore(through_json(&first.snapshot()), config.clone()).unwrap();
        for (i, &x) in scores.iter().enumerate().skip(stop) {
            let alerts = restored
                .push_visit(visit(i), &[x, x + 1.0], Some(&[x - 5.0, x]))
                .unwrap();
            assert_eq!(alerts, raised[i], "stopped at {stop}, session {i}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Alerts and session reports read back from JSON equal what was written, bit for bit,
    /// for every rule and every kind of alert the courses raise.
    #[test]
    fn alerts_and_reports_round_trip(
        (times, client, therapist, rated) in course(),
        ref_sd in 0.1f64..5.0,
        given in any::<bool>(),
        variant in 0u8..4,
    ) {
        let config = config(ref_sd, given, variant);
        let mut m = Monitor::new(7u32, config.clone());
        for i in 0..times.len() {
            let alerts = feed(&mut m, times[i], client[i], rated[i].then_some(therapist[i])).unwrap();
            let json = serde_json::to_string(&alerts).unwrap();
            let back: Vec<Alert<u32>> = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(&back, &alerts);
            let report = SessionReport::new(&alerts);
            let json = serde_json::to_string(&report).unwrap();
            let back: SessionReport<u32> = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back, report);
        }
    }
}

/// An alert read back is checked: its kind must match its detail, its rule must be one the
/// builder accepts, and its source comes from the rule, not from the text.
#[test]
fn edited_alerts_are_refused_or_corrected() {
    let config = config(1.0, false, 0);
    let mut m = Monitor::new(1u8, config.clone());
    let mut alerts = Vec::new();
    for (i, x) in [30.0, 31.0, 29.0, 30.0, 12.0].into_iter().enumerate() {
        alerts.extend(m.push(i as f64 + 1.0, x).unwrap());
    }
    let rupture = alerts
        .iter()
        .find(|a| matches!(a.kind, alliance::monitor::AlertKind::Rupture { .. }))
        .unwrap();
    let json = serde_json::to_value(rupture).unwrap();
    let read = |edit: &dyn Fn(&mut Value)| {
        let mut v = json.clone();
        edit(&mut v);
        serde_json::from_value::<Alert<u8>>(v).map_err(|e| e.to_string())
    };
    assert_eq!(read(&|_| {}).unwrap(), *rupture);
    let e = read(&|v| v["kind"] = "CusumLow".into()).unwrap_err();
    assert!(e.contains("does not match its detail"), "{e}");
    let e = read(&|v| v["detail"]["Rupture"]["rule"]["lenient"] = (-1.0).into()).unwrap_err();
    assert!(e.contains("lenient"), "{e}");
    let forged = read(&|v| v["source"] = "my own paper".into()).unwrap();
    assert_eq!(forged.source, rupture.source);
    let e = read(&|v| v["raised_index"] = 0.into()).unwrap_err();
    assert!(e.contains("raised at or after"), "{e}");
}

/// A format-1 snapshot, written by the version before the not-on-track rule (stored in
/// `tests/fixtures/`), restores with the same configuration and goes on exactly as a monitor
/// that never stopped; snapshots of configurations without the rule are still format 1,
/// field for field; with the rule they are format 2, and the two are not interchangeable.
#[test]
fn format_1_snapshots_still_restore() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/monitor_snapshot_format1.json"
    ))
    .unwrap();
    let stored: Value = serde_json::from_str(&text).unwrap();
    let config = MonitorConfig::builder()
        .reference_sd(1.0)
        .sudden_drops(SuddenDropRule::builder().min_drop(3.0).build().unwrap())
        .pcoms(PcomsRule::builder().cutoff(30.0).build().unwrap())
        .divergence(DivergenceRule::builder().bound(4.0).build().unwrap())
        .build()
        .unwrap();
    let scores = [34.0, 35.0, 34.5, 35.0, 27.0, 29.0, 35.0, 24.0, 33.0];
    let visit = |i: usize| Visit::new(i as u32 + 1).on(Date::new(2026, 1 + i as u8, 5).unwrap());
    let mut m = Monitor::new("total", config.clone());
    let mut d = DyadMonitor::new(&["total", "bond"], config.clone()).unwrap();
    for (i, &x) in scores[..6].iter().enumerate() {
        m.push_visit(visit(i), x, Some(x - 1.5)).unwrap();
        d.push_visit(visit(i), &[x, x / 4.0], Some(&[x - 1.5, x / 4.0 + 0.2]))
            .unwrap();
    }
    // what this version writes for the same monitors is the stored format-1 text
    assert_eq!(
        serde_json::to_value(m.snapshot()).unwrap(),
        stored["monitor"]
    );
    assert_eq!(serde_json::to_value(d.snapshot()).unwrap(), stored["dyad"]);
    assert_eq!(stored["monitor"]["format"], 1);
    let monitor_text = stored["monitor"].to_string();
    let dyad_text = stored["dyad"].to_string();
    let mut restored = Monitor::restore(
        serde_json::from_str::<MonitorSnapshot<&str>>(&monitor_text).unwrap(),
        config.clone(),
    )
    .unwrap();
    let mut restored_dyad = DyadMonitor::restore(
        serde_json::from_str::<MonitorSnapshot<&str>>(&dyad_text).unwrap(),
        config.clone(),
    )
    .unwrap();
    assert_eq!(restored, m);
    assert_eq!(restored_dyad, d);
    for (i, &x) in scores.iter().enumerate().skip(6) {
        assert_eq!(
            restored.push_visit(visit(i), x, Some(x - 1.5)).unwrap(),
            m.push_visit(visit(i), x, Some(x - 1.5)).unwrap()
        );
        let (c, t) = ([x, x / 4.0], [x - 1.5, x / 4.0 + 0.2]);
        assert_eq!(
            restored_dyad.push_visit(visit(i), &c, Some(&t)).unwrap(),
            d.push_visit(visit(i), &c, Some(&t)).unwrap()
        );
    }
    // a format-1 snapshot is not one of a configuration with the rule, nor the other way
    let with_rule = self::config(1.0, false, 3);
    let format_2 = Monitor::new("total", with_rule.clone()).snapshot();
    assert_eq!(serde_json::to_value(&format_2).unwrap()["format"], 2);
    assert_eq!(
        Monitor::restore(format_2.clone(), with_rule.clone()).map(|m| m.sessions()),
        Ok(0)
    );
    let mut relabelled = serde_json::to_value(m.snapshot()).unwrap();
    relabelled["format"] = Value::from(2);
    let relabelled = relabelled.to_string();
    let relabelled: MonitorSnapshot<&str> = serde_json::from_str(&relabelled).unwrap();
    assert_eq!(
        Monitor::restore(relabelled, config.clone())
            .map_err(|e| e.code())
            .err(),
        Some("snapshot_mismatch")
    );
    assert_eq!(
        Monitor::restore(format_2, config)
            .map_err(|e| e.code())
            .err(),
        Some("snapshot_mismatch")
    );
}

/// The not-on-track window in a format-2 snapshot is checked: no bit beyond the sessions
/// fed or the rule's window.
#[test]
fn a_not_on_track_window_beyond_the_sessions_is_refused() {
    let config = self::config(1.0, false, 3);
    let mut m = Monitor::new(1u8, config.clone());
    m.push(1.0, 5.0).unwrap();
    let json = serde_json::to_value(m.snapshot()).unwrap();
    assert_eq!(json["states"][0]["not_on_track"], 1); // session 1 below its band
    let restore = |bits: Value| {
        let mut v = json.clone();
        v["states"][0]["not_on_track"] = bits;
        let s: MonitorSnapshot<u8> = serde_json::from_value(v).unwrap();
        Monitor::restore(s, config.clone()).map_err(|e| e.code())
    };
    assert_eq!(restore(Value::from(1)).map(|r| r == m), Ok(true));
    assert_eq!(restore(Value::from(2)).err(), Some("invalid_snapshot")); // only 1 session fed
    let mut v = json.clone();
    v["states"][0]
        .as_object_mut()
        .unwrap()
        .remove("not_on_track");
    let s: MonitorSnapshot<u8> = serde_json::from_value(v).unwrap();
    assert_eq!(
        Monitor::restore(s, config.clone())
            .map_err(|e| e.code())
            .err(),
        Some("invalid_snapshot")
    );
}
