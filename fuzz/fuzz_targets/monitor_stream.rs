//! Arbitrary session streams into `Monitor` and `DyadMonitor`: after every accepted session
//! the alerts raised so far equal, bit for bit, what the batch detectors report on the
//! sessions so far (the crate's property test `monitor_equals_batch_on_every_prefix`, with
//! arbitrary rules and values); a refused session leaves the monitor unchanged; a dyad monitor
//! gives each key what a single monitor gives it; a snapshot through JSON restores the same
//! monitor (after a session the input picks, and after the last), and a snapshot with one part replaced by fuzzed bytes is
//! refused or restores a monitor that reports no NaN or infinity.
#![no_main]

mod common;

use alliance::monitor::{Alert, AlertDetail, DyadMonitor, Monitor, MonitorConfig, MonitorSnapshot};
use alliance::trend::{
    RepairStatus, Series, cusum, divergence, ewma, pcoms_flags, ruptures, sudden_drops,
};
use common::{Rules, assert_no_nonfinite, finite, number, times};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

type Key = (usize, usize, String, String);

fn key_of(a: &Alert<&'static str>) -> Key {
    let record = match a.detail {
        AlertDetail::Rupture { rupture, .. } => format!("{rupture:?}"),
        AlertDetail::SuddenDrop { check, .. } => format!("{check:?}"),
        AlertDetail::Cusum { alarm, .. } => format!("{alarm:?}"),
        AlertDetail::Ewma { alarm, .. } => format!("{alarm:?}"),
        AlertDetail::Pcoms { flag, .. } => format!("{flag:?}"),
        AlertDetail::Divergence { point, .. } => format!("{point:?}"),
        _ => unreachable!("a new alert kind: extend the fuzz target"),
    };
    (a.raised_index, a.index, format!("{:?}", a.kind), record)
}

fn config(r: &Rules) -> Option<MonitorConfig> {
    MonitorConfig::builder()
        .ruptures(r.rupture)
        .sudden_drops(r.sudden)
        .cusum(r.cusum)
        .ewma(r.ewma)
        .pcoms(r.pcoms)
        .divergence(r.divergence)
        .build()
        .ok()
}

/// What the batch detectors say about a prefix, as the alerts a monitor should have raised.
fn expected(r: &Rules, client: &Series, therapist: &Series) -> Vec<Key> {
    let mut out = Vec::new();
    let w = r.rupture.repair_window();
    for x in ruptures(client, &r.rupture).expect("accepted").ruptures {
        let mut opened = x;
        opened.repair = RepairStatus::Pending;
        let kind = format!("Rupture {{ level: {:?} }}", x.level);
        out.push((x.index, x.index, kind, format!("{opened:?}")));
        match x.repair {
            RepairStatus::Repaired { index, .. } => {
                out.push((index, x.index, "Repair".into(), format!("{x:?}")))
            }
            RepairStatus::Unrepaired => {
                out.push((x.index + w, x.index, "Unrepaired".into(), format!("{x:?}")))
            }
            _ => {}
        }
    }
    for c in sudden_drops(client, &r.sudden).expect("accepted").drops {
        out.push((
            c.before + 3,
            c.before + 1,
            "SuddenDrop".into(),
            format!("{c:?}"),
        ));
    }
    for a in cusum(client, &r.cusum).expect("accepted").alarms {
        out.push((a.index, a.index, "CusumLow".into(), format!("{a:?}")));
    }
    for a in ewma(client, &r.ewma).expect("accepted").alarms {
        out.push((a.index, a.index, "EwmaLow".into(), format!("{a:?}")));
    }
    for f in pcoms_flags(client, &r.pcoms).expect("accepted").flags {
        out.push((f.index, f.index, format!("{:?}", f.kind), format!("{f:?}")));
    }
    for p in divergence(client, therapist, &r.divergence)
        .expect("accepted")
        .points
    {
        if p.exceeds {
            out.push((p.index, p.index, "Divergence".into(), format!("{p:?}")));
        }
    }
    out.sort();
    out
}

fn run(u: &mut Unstructured) -> Result<()> {
    let rules = Rules::arbitrary(u, true)?;
    let Some(config) = config(&rules) else {
        return Ok(());
    };
    let n = u.int_in_range(0usize..=60)?;
    let mut t = times(u, n)?;
    let mut client = Vec::with_capacity(n);
    let mut therapist = Vec::with_capacity(n);
    for i in 0..n {
        client.push(number(u)?);
        therapist.push(if u.int_in_range(0u8..=7)? == 0 {
            number(u)?
        } else {
            finite(u)?
        });
        if u.int_in_range(0u8..=15)? == 0 {
            t[i] = number(u)?; // out of order, repeated or non-finite
        }
    }
    // one session (and the last) is snapshotted through JSON and restored
    let snapshot_at = u.int_in_range(0usize..=n)?;
    let mut monitor = Monitor::new("total", config.clone());
    let mut dyad = DyadMonitor::new(&["a", "b"], config.clone()).expect("two distinct keys");
    let mut b = Monitor::new("b", config.clone());
    let mut raised: Vec<Key> = Vec::new();
    let (mut at, mut ac, mut ath) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        let before = monitor.clone();
        match monitor.push_paired(t[i], client[i], therapist[i]) {
            Ok(alerts) => {
                assert_no_nonfinite("monitor alerts", &alerts);
                for a in &alerts {
                    assert_eq!(a.raised_index, at.len(), "raised_index: {a:?}");
                    raised.push(key_of(a));
                }
                at.push(t[i]);
                ac.push(client[i]);
                ath.push(therapist[i]);
                let c = Series::new(at.clone(), ac.clone()).expect("accepted sessions");
                let th = Series::new(at.clone(), ath.clone()).expect("accepted sessions");
                let mut so_far = raised.clone();
                so_far.sort();
                assert_eq!(so_far, expected(&rules, &c, &th), "monitor against batch");
                if i == snapshot_at || i + 1 == n {
                    let json = serde_json::to_string(&monitor.snapshot()).expect("serializes");
                    let saved: MonitorSnapshot<&str> = serde_json::from_str(&json).expect("reads");
                    let restored = Monitor::restore(saved, monitor.config().clone()).expect("restores");
                    assert_eq!(restored, monitor, "a snapshot through JSON");
                }
            }
            Err(_) => assert_eq!(monitor, before, "a refused session changed the monitor"),
        }
        // The dyad's key "a" sees the client, "b" the therapist (mirrored).
        let before = dyad.clone();
        let want_a = {
            let mut m = before.clone();
            m.push(
                t[i],
                &[client[i], therapist[i]],
                Some(&[therapist[i], client[i]]),
            )
        };
        let got = dyad.push(
            t[i],
            &[client[i], therapist[i]],
            Some(&[therapist[i], client[i]]),
        );
        let single_b = b.clone().push_paired(t[i], therapist[i], client[i]);
        match (&got, &want_a) {
            (Ok(x), Ok(y)) => assert_eq!(x, y, "dyad: a second identical push differs"),
            (Err(_), Err(_)) => assert_eq!(dyad, before, "a refused session changed the dyad"),
            _ => panic!("dyad: a second identical push differs in Ok/Err"),
        }
        if let (Ok(alerts), Ok(_)) = (&got, &single_b) {
            let from_b: Vec<_> = alerts
                .iter()
                .filter(|a| a.score == "b")
                .map(key_of)
                .collect();
            let mut b2 = b.clone();
            let want: Vec<_> = b2
                .push_paired(t[i], therapist[i], client[i])
                .expect("accepted above")
                .iter()
                .map(key_of)
                .collect();
            assert_eq!(from_b, want, "dyad key b against a single monitor");
        }
        if got.is_ok() {
            let _ = b.push_paired(t[i], therapist[i], client[i]);
        }
    }
    damaged_snapshot(u, &monitor, &t, &client)
}

/// One part of the monitor's snapshot replaced by fuzzed bytes: refused, or a monitor that
/// goes on reporting finite numbers only.
fn damaged_snapshot(
    u: &mut Unstructured,
    monitor: &Monitor<&'static str>,
    t: &[f64],
    client: &[f64],
) -> Result<()> {
    let mut json = serde_json::to_value(monitor.snapshot()).expect("serializes");
    let mut leaves = Vec::new();
    leaves_of(&json, String::new(), &mut leaves);
    let path = u.choose(&leaves)?.clone();
    let replacement = match u.int_in_range(0u8..=2)? {
        0 => serde_json::Value::String(format!("{:016x}", u.arbitrary::<u64>()?)),
        1 => serde_json::Value::from(u.arbitrary::<u64>()?),
        _ => serde_json::Value::Bool(u.arbitrary()?),
    };
    if let Some(leaf) = json.pointer_mut(&path) {
        *leaf = replacement;
    }
    let text = json.to_string();
    let Ok(saved) = serde_json::from_str::<MonitorSnapshot<&str>>(&text) else {
        return Ok(());
    };
    let Ok(mut restored) = Monitor::restore(saved, monitor.config().clone()) else {
        return Ok(());
    };
    for (&time, &score) in t.iter().zip(client) {
        if let Ok(alerts) = restored.push(time + 1e6, score) {
            assert_no_nonfinite("alerts of a restored monitor", &alerts);
        }
    }
    Ok(())
}

fn leaves_of(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => m
            .iter()
            .for_each(|(k, x)| leaves_of(x, format!("{at}/{k}"), out)),
        serde_json::Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| leaves_of(x, format!("{at}/{i}"), out)),
        serde_json::Value::Null => {}
        _ => out.push(at),
    }
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
