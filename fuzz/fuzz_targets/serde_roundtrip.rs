//! Arbitrary bytes as JSON into every type that deserializes. The first byte picks the type,
//! the rest is the JSON. Anything accepted must pass its constructor again (rebuilt from its
//! accessors, it is equal) and re-serialize/deserialize to an equal value.
#![no_main]

mod common;

use alliance::agreement::{
    Bootstrap, Categories, ContingencyTable, LimitMultiplier, Metric, WeightMatrix, Weighting,
};
use alliance::monitor::{Alert, Monitor, MonitorConfig, MonitorSnapshot, SessionReport};
use alliance::reliability::PairwiseOptions;
use alliance::trend::{BatchOptions, Critical, HamedRaoOptions, Population, SenOptions, Series};
use alliance::{
    Course, Cutoff, Date, Instrument, Level, Norm, Paired, Ratings, Registry, Reliability,
    Response, ResponseRecord, Scale, Session,
};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt::Debug;

/// Deserializes `json` as `T`; if accepted, checks `rebuild` (the constructor again) and the
/// round trip.
fn one<T>(json: &[u8], rebuild: impl Fn(&T))
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    one_inner(json, true, rebuild)
}

/// `debug_finite`: whether the Debug text must be free of NaN (not for `Ratings`, which
/// marks a missing cell with NaN inside; its cells are checked through `get`).
fn one_inner<T>(json: &[u8], debug_finite: bool, rebuild: impl Fn(&T))
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let Ok(value) = serde_json::from_slice::<T>(json) else {
        return;
    };
    if debug_finite {
        common::assert_no_nonfinite(std::any::type_name::<T>(), &value);
    }
    rebuild(&value);
    let text = serde_json::to_string(&value).expect("an accepted value serializes");
    let back: T = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{value:?} wrote {text}, which does not read back: {e}"));
    assert_eq!(back, value, "round trip through {text}");
}

/// A monitor snapshot from arbitrary JSON: refused, or a monitor that snapshots back to the
/// same and reports finite numbers only.
fn snapshot(json: &[u8]) {
    let Ok(saved) = serde_json::from_slice::<MonitorSnapshot<u8>>(json) else {
        return;
    };
    let Ok(config) = MonitorConfig::builder().reference_sd(1.0).build() else {
        return;
    };
    let Ok(mut m) = Monitor::restore(saved.clone(), config.clone()) else {
        return;
    };
    assert_eq!(
        m.snapshot(),
        saved,
        "a restored monitor snapshots back to its snapshot"
    );
    for (t, x) in [(1e9, 0.0), (2e9, 50.0), (3e9, -50.0)] {
        if let Ok(alerts) = m.push(t, x) {
            common::assert_no_nonfinite("alerts of a restored monitor", &alerts);
        }
    }
}

fn same<T: PartialEq + Debug, E: Debug>(what: &str, got: Result<T, E>, want: &T) {
    match got {
        Ok(v) => assert_eq!(&v, want, "{what}: the constructor builds another value"),
        Err(e) => panic!("{what}: deserialized {want:?}, which the constructor refuses: {e:?}"),
    }
}

fn ratings_cells(r: &Ratings) -> Vec<Option<f64>> {
    let mut cells = Vec::new();
    for t in 0..r.targets() {
        for j in 0..r.raters() {
            cells.push(r.get(t, j));
        }
    }
    cells
}

fn session_again(s: &Session) {
    let mut again = Session::new(s.client(), s.therapist(), s.number())
        .unwrap_or_else(|e| panic!("Session {s:?}: the constructor refuses it: {e:?}"));
    if let Some(d) = s.date() {
        again = again.with_date(d);
    }
    for r in s.responses() {
        let answers = r.answers().to_vec();
        let response = Response::new(r.instrument(), r.rater(), &answers)
            .unwrap_or_else(|e| panic!("a response in {s:?} is refused: {e:?}"));
        again
            .add(response)
            .unwrap_or_else(|e| panic!("Session::add refuses a response of {s:?}: {e:?}"));
    }
    assert_eq!(&again, s, "Session rebuilt");
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, json)) = data.split_first() else {
        return;
    };
    match which % 28 {
        0 => one::<Instrument>(json, |i| {
            let r = i.total_range();
            assert!(
                r.min.is_finite() && r.max.is_finite() && r.min <= r.max,
                "{i:?}"
            );
            for (k, item) in i.items().iter().enumerate() {
                assert_eq!(usize::from(item.number()), k + 1, "item numbers of {i:?}");
            }
            for s in i.subscales() {
                assert!(!s.items().is_empty(), "an empty subscale in {i:?}");
            }
        }),
        1 => one::<Response>(json, |r| {
            same(
                "Response",
                Response::new(r.instrument(), r.rater(), r.answers()),
                r,
            )
        }),
        2 => one::<Session>(json, session_again),
        3 => one::<Course>(json, |c| {
            for s in c.sessions() {
                session_again(s);
            }
            same(
                "Course",
                Course::from_sessions(c.client(), c.therapist(), c.sessions().to_vec()),
                c,
            )
        }),
        4 => one::<Date>(json, |d| {
            same("Date", Date::new(d.year(), d.month(), d.day()), d)
        }),
        5 => one::<Level>(json, |l| same("Level", Level::new(l.value()), l)),
        6 => one_inner::<Ratings>(json, false, |r| {
            for cell in ratings_cells(r).into_iter().flatten() {
                assert!(cell.is_finite(), "a non-finite cell in {r:?}");
            }
            same(
                "Ratings",
                Ratings::with_missing(r.targets(), r.raters(), ratings_cells(r)),
                r,
            )
        }),
        7 => one::<Paired>(json, |p| {
            let again = Paired::new(p.first(), p.second());
            match again {
                Ok(q) => assert_eq!((q.first(), q.second()), (p.first(), p.second())),
                Err(e) => panic!("Paired {p:?} refused by its constructor: {e:?}"),
            }
        }),
        8 => one::<Series>(json, |s| {
            same(
                "Series",
                Series::new(s.times().to_vec(), s.values().to_vec()),
                s,
            )
        }),
        9 => one::<Categories>(json, |c| {
            same("Categories", Categories::new(c.values().to_vec()), c)
        }),
        10 => one::<WeightMatrix>(json, |w| {
            let a = WeightMatrix::agreement(w.size(), w.weights().to_vec());
            assert!(
                a.as_ref().is_ok_and(|a| a == w),
                "WeightMatrix {w:?} is not what its constructor builds: {a:?}"
            );
        }),
        11 => one::<ContingencyTable>(json, |t| {
            let c = t.categories().len();
            let rows: Vec<&[u64]> = t.counts().chunks(c.max(1)).collect();
            same(
                "ContingencyTable",
                ContingencyTable::new(t.categories().clone(), &rows),
                t,
            )
        }),
        12 => one::<Bootstrap>(json, |b| {
            let again =
                Bootstrap::new(b.replicates()).map(|x| x.with_seed(b.seed()).with_level(b.level()));
            same("Bootstrap", again, b)
        }),
        13 => one::<Scale>(json, |s| {
            let again = match s.step() {
                Some(step) => Scale::with_step(s.min(), s.max(), step),
                None => Scale::new(s.min(), s.max()),
            };
            same("Scale", again, s)
        }),
        14 => one::<Cutoff>(json, |c| {
            same(
                "Cutoff",
                Cutoff::new(c.label(), c.threshold(), c.side(), c.source()),
                c,
            )
        }),
        15 => one::<Norm>(json, |n| {
            same("Norm", Norm::new(n.mean(), n.sd(), n.source(), n.n()), n)
        }),
        16 => one::<Reliability>(json, |r| {
            same(
                "Reliability",
                Reliability::new(r.value(), r.kind(), r.source()),
                r,
            )
        }),
        17 => one::<LimitMultiplier>(json, |m| {
            same("LimitMultiplier", LimitMultiplier::new(m.value()), m)
        }),
        18 => one::<Weighting>(json, |_| {}),
        19 => one::<SenOptions>(json, |_| {}),
        20 => one::<HamedRaoOptions>(json, |_| {}),
        21 => one::<BatchOptions>(json, |_| {}),
        22 => one::<PairwiseOptions>(json, |_| {}),
        23 => one::<ResponseRecord>(json, |record| {
            // resolved against the catalog: refused, or a response that records back to it
            if let Ok(r) = Registry::with_catalog().response(record) {
                assert_eq!(
                    &r.record(),
                    record,
                    "a resolved record records back to itself"
                );
            }
        }),
        24 => snapshot(json),
        // alerts and reports kept by an app, read back: checked kind, rule and source
        25 => one::<SessionReport<u8>>(json, |_| {}),
        26 => one::<Vec<Alert<u8>>>(json, |alerts| {
            for a in alerts {
                assert!(
                    a.raised_index >= a.index && a.raised_session >= a.session,
                    "{a:?}"
                );
                assert!(!a.source.is_empty(), "{a:?}");
            }
        }),
        _ => {
            // Public fields, no constructor: only the round trip.
            one::<Population>(json, |_| {});
            one::<Critical>(json, |_| {});
            one::<Metric>(json, |_| {});
        }
    }
});
