//! Expected-alliance curves and the not-on-track rule: the quantiles against numpy, the
//! band's coverage and the rule's false alarms by simulation from a known growth model, the
//! refusals, and the rule as the monitor raises it.
#![allow(clippy::unwrap_used)] // test helpers fail loudly

mod common;

use alliance::monitor::{AlertKind, Change, Monitor, MonitorConfig, SessionReport, Severity};
use alliance::trend::{
    CurveOptions, ExpectedCurve, NotOnTrackRule, Series, expected_curve, not_on_track,
};
use alliance::{Error, Level, Outcome, Undefined};
use statrs::distribution::{ContinuousCDF, Normal};

// ---- a seeded generator for the simulations -------------------------------------------------

/// `SplitMix64` (Steele, Lea & Flood 2014) with Box-Muller normals.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in (0, 1).
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// The growth model: `y = a + b ln(s) + e`, a ~ N(4, 0.6), b ~ N(0.3, 0.15), e ~ N(0, 0.3),
/// all independent (Howard et al.'s negatively accelerated course, Finch et al.'s log-linear
/// model). Its marginal at session s is normal with the mean and SD below.
const A: (f64, f64) = (4.0, 0.6);
const B: (f64, f64) = (0.3, 0.15);
const NOISE: f64 = 0.3;

fn marginal(session: u32) -> Normal {
    let l = f64::from(session).ln();
    let var = A.1 * A.1 + B.1 * B.1 * l * l + NOISE * NOISE;
    Normal::new(A.0 + B.0 * l, var.sqrt()).unwrap()
}

/// One dyad's course: sessions 1..=len.
fn dyad(rng: &mut Rng, len: u32) -> Vec<(u32, f64)> {
    let a = A.0 + A.1 * rng.normal();
    let b = B.0 + B.1 * rng.normal();
    (1..=len)
        .map(|s| (s, a + b * f64::from(s).ln() + NOISE * rng.normal()))
        .collect()
}

/// A reference caseload: `dyads` courses of `sessions`, or with geometric drop-out (each
/// session after the first is attended with probability `stay`).
fn caseload(rng: &mut Rng, dyads: usize, sessions: u32, stay: f64) -> Vec<Vec<(u32, f64)>> {
    (0..dyads)
        .map(|_| {
            let mut len = 1;
            while len < sessions && rng.uniform() < stay {
                len += 1;
            }
            dyad(rng, len)
        })
        .collect()
}

/// Coverage of a band at session `s` for a new on-track score, and the share below it,
/// exactly from the marginal.
fn coverage(curve: &ExpectedCurve, s: u32) -> Option<(f64, f64)> {
    let (lower, _, upper) = curve.at(s)?.band()?;
    let m = marginal(s);
    Some((m.cdf(upper) - m.cdf(lower), m.cdf(lower)))
}

/// Averages over `reps` reference caseloads the coverage and the share below, per session.
fn average_coverage(
    seed: u64,
    reps: usize,
    dyads: usize,
    sessions: u32,
    stay: f64,
    options: CurveOptions,
) -> Vec<(u32, usize, f64, f64)> {
    let mut rng = Rng(seed);
    let mut sums = vec![(0usize, 0.0, 0.0); sessions as usize];
    for _ in 0..reps {
        let reference = caseload(&mut rng, dyads, sessions, stay);
        let curve = expected_curve(&reference, options).unwrap();
        for s in 1..=sessions {
            if let Some((c, below)) = coverage(&curve, s) {
                let slot = &mut sums[s as usize - 1];
                slot.0 += 1;
                slot.1 += c;
                slot.2 += below;
            }
        }
    }
    sums.iter()
        .zip(1..)
        .map(|(&(k, c, b), s)| (s, k, c / k.max(1) as f64, b / k.max(1) as f64))
        .collect()
}

/// The band holds its nominal 80% at every session, within 0.02 on average over 400 reference
/// caseloads of 200 dyads (coverage computed exactly from the known marginal; the Monte Carlo
/// SD of each average is about 0.0015), and the share below the band is within 0.01 of 10%.
#[test]
fn coverage_is_nominal_with_a_large_reference() {
    let rows = average_coverage(20261129, 400, 200, 12, 1.0, CurveOptions::default());
    for &(s, k, c, below) in &rows {
        println!("200 dyads: session {s:2}: {k} bands, coverage {c:.4}, below {below:.4}");
        assert_eq!(k, 400);
        assert!((c - 0.8).abs() <= 0.02, "session {s}: coverage {c}");
        assert!((below - 0.1).abs() <= 0.01, "session {s}: below {below}");
    }
}

/// With exactly `min_reference` = 20 scores per session (20 dyads), definition 6 still holds
/// the nominal level within 0.02 on average over 2,000 reference caseloads; definition 7
/// (numpy's and R's default) would hold (18.1 - 2.9) / 21 = 0.724 (its edges sit at order
/// statistics 2.9 and 18.1 of 20, which hold 2.9/21 and 18.1/21 of the distribution below
/// them).
#[test]
fn coverage_is_nominal_at_the_fewest_scores() {
    let rows = average_coverage(7, 2000, 20, 8, 1.0, CurveOptions::default());
    for &(s, k, c, below) in &rows {
        println!("20 dyads: session {s}: {k} bands, coverage {c:.4}, below {below:.4}");
        assert_eq!(k, 2000);
        assert!((c - 0.8).abs() <= 0.02, "session {s}: coverage {c}");
        assert!((below - 0.1).abs() <= 0.01, "session {s}: below {below}");
    }
}

/// With drop-out, late sessions have few dyads: their windows widen (one score per dyad, the
/// nearest), and where they do the coverage is still within 0.02 of the nominal level and the
/// share below the band within 0.01 of 10%; sessions with too few dyads even pooled get no
/// band.
#[test]
fn widened_windows_are_conservative_and_sparse_sessions_refused() {
    let mut rng = Rng(99);
    let mut widened = 0;
    let mut refused = 0;
    let mut sums = vec![(0usize, 0.0, 0.0); 20];
    for _ in 0..300 {
        let reference = caseload(&mut rng, 120, 20, 0.85);
        let curve = expected_curve(&reference, CurveOptions::default()).unwrap();
        for p in curve.points() {
            match coverage(&curve, p.session) {
                Some((c, below)) => {
                    if p.half_width > 0 {
                        widened += 1;
                        let slot = &mut sums[p.session as usize - 1];
                        slot.0 += 1;
                        slot.1 += c;
                        slot.2 += below;
                    }
                }
                None => {
                    refused += 1;
                    assert_eq!(
                        p.expected,
                        Outcome::Undefined(Undefined::TooFewObservations)
                    );
                    assert!(p.n < 20);
                }
            }
        }
    }
    println!("drop-out: {widened} widened bands, {refused} refused sessions");
    assert!(widened > 500 && refused > 50);
    for (s, &(k, c, b)) in (1..).zip(&sums) {
        if k >= 100 {
            let (c, b) = (c / k as f64, b / k as f64);
            println!("drop-out: session {s:2}: {k} widened bands, coverage {c:.4}, below {b:.4}");
            assert!((c - 0.8).abs() <= 0.02, "session {s}: coverage {c}");
            assert!((b - 0.1).abs() <= 0.01, "session {s}: below {b}");
        }
    }
}

/// False alarms on on-track dyads (drawn from the same model as the reference), reported for
/// the documented rules: the share of dyads flagged at least once over 12 sessions, and the
/// share of sessions flagged. The flags per session are bounded by the share below the band
/// (10%); the numbers are in `NotOnTrackRule`'s docs.
#[test]
fn false_alarm_rate_on_on_track_dyads() {
    let mut rng = Rng(424242);
    let rules = [(1, 1), (2, 3), (3, 3), (3, 5)];
    // per rule: dyads flagged, sessions flagged, sessions below
    let mut counts = [(0usize, 0usize, 0usize); 4];
    let (references, per_reference, sessions) = (20, 500, 12);
    for _ in 0..references {
        let reference = caseload(&mut rng, 200, sessions, 1.0);
        let curve = expected_curve(&reference, CurveOptions::default()).unwrap();
        for _ in 0..per_reference {
            let d = dyad(&mut rng, sessions);
            let series = Series::new(
                d.iter().map(|&(s, _)| f64::from(s)).collect(),
                d.iter().map(|&(_, x)| x).collect(),
            )
            .unwrap();
            for (slot, &(k, m)) in counts.iter_mut().zip(&rules) {
                let rule = NotOnTrackRule::builder()
                    .below(k)
                    .of_last(m)
                    .build()
                    .unwrap();
                let r = not_on_track(&series, &curve, &rule).unwrap();
                slot.0 += usize::from(!r.flags.is_empty());
                slot.1 += r.flags.len();
                slot.2 += r.below;
            }
        }
    }
    let dyads = (references * per_reference) as f64;
    let all = dyads * f64::from(sessions);
    for (&(k, m), &(flagged, flags, below)) in rules.iter().zip(&counts) {
        let (per_dyad, per_session, below) = (
            flagged as f64 / dyads,
            flags as f64 / all,
            below as f64 / all,
        );
        println!(
            "false alarms, {k} of the last {m}: {:.1}% of on-track dyads flagged at least once \
             in 12 sessions, {:.1}% of sessions flagged, {:.1}% of sessions below the band \
             (20 reference caseloads of 200 dyads, 500 new dyads each)",
            100.0 * per_dyad,
            100.0 * per_session,
            100.0 * below
        );
        assert!(per_session <= below);
        assert!((below - 0.1).abs() < 0.01, "{below}");
    }
}

// ---- the quantiles against numpy ----------------------------------------------------------

/// Every point of 20 stored cases: counts and windows exactly, quantiles within 1e-12
/// relative (numpy's `weibull` method and the crate do the same float operations).
#[test]
fn matches_numpy_weibull_quantiles() {
    let reference = common::reference("expected_curve.json");
    let cases = reference["cases"].as_array().unwrap();
    assert!(cases.len() >= 15);
    let mut worst: f64 = 0.0;
    let mut values = 0;
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let dyads: Vec<Vec<(u32, f64)>> = case["dyads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                d.as_array()
                    .unwrap()
                    .iter()
                    .map(|o| (o[0].as_u64().unwrap() as u32, o[1].as_f64().unwrap()))
                    .collect()
            })
            .collect();
        let options = CurveOptions::default()
            .with_level(Level::new(case["level"].as_f64().unwrap()).unwrap())
            .with_min_reference(case["min_reference"].as_u64().unwrap() as usize)
            .with_max_half_width(case["max_half_width"].as_u64().unwrap() as u32);
        let curve = expected_curve(&dyads, options).unwrap();
        let want = case["points"].as_array().unwrap();
        assert_eq!(curve.points().len(), want.len(), "{name}");
        for (got, want) in curve.points().iter().zip(want) {
            let at = format!("{name}, session {}", got.session);
            assert_eq!(
                u64::from(got.session),
                want["session"].as_u64().unwrap(),
                "{at}"
            );
            assert_eq!(got.n as u64, want["n"].as_u64().unwrap(), "{at}");
            assert_eq!(
                got.at_session as u64,
                want["at_session"].as_u64().unwrap(),
                "{at}"
            );
            assert_eq!(
                u64::from(got.half_width),
                want["half_width"].as_u64().unwrap(),
                "{at}"
            );
            for (field, value) in [
                ("expected", got.expected),
                ("lower", got.lower),
                ("upper", got.upper),
            ] {
                match (value, want[field].as_f64()) {
                    (Outcome::Defined(g), Some(w)) => {
                        common::assert_close(&format!("{at} {field}"), g, w, 1e-12, 1e-12);
                        if w != 0.0 {
                            worst = worst.max(((g - w) / w).abs());
                        }
                        values += 1;
                    }
                    (Outcome::Undefined(Undefined::TooFewObservations), None) => {}
                    (g, w) => panic!("{at} {field}: got {g:?}, want {w:?}"),
                }
            }
        }
    }
    println!(
        "expected_curve.json: {} cases, {values} quantiles, largest relative error {worst:e}",
        cases.len()
    );
}

// ---- refusals and undefined paths -----------------------------------------------------------

#[test]
fn invalid_input_is_refused() {
    let options = CurveOptions::default();
    let none: [Vec<(u32, f64)>; 0] = [];
    assert_eq!(expected_curve(&none, options), Err(Error::NoReferenceData));
    assert_eq!(
        expected_curve(&[vec![], vec![]], options),
        Err(Error::NoReferenceData)
    );
    assert!(matches!(
        expected_curve(&[[(1, 4.0), (2, f64::NAN)]], options),
        Err(Error::NonFinite { index: 1, .. })
    ));
    assert_eq!(
        expected_curve(&[vec![(1, 4.0)], vec![(2, 4.0), (2, 4.5)]], options),
        Err(Error::RepeatedReferenceSession {
            dyad: 1,
            session: 2
        })
    );
    assert!(matches!(
        expected_curve(&[[(1, 4.0), (10_001, 4.0)]], options),
        Err(Error::CurveTooLong {
            first: 1,
            last: 10_001,
            max: 10_000
        })
    ));
    assert!(expected_curve(&[[(1, 4.0), (10_000, 4.0)]], options).is_ok());
    assert!(matches!(
        expected_curve(&[[(1, 4.0)]], options.with_min_reference(0)),
        Err(Error::InvalidCurveOption {
            option: "min_reference",
            ..
        })
    ));
    assert!(matches!(
        expected_curve(&[[(1, 4.0)]], options.with_max_half_width(51)),
        Err(Error::InvalidCurveOption {
            option: "max_half_width",
            ..
        })
    ));
    let curve = expected_curve(&[[(1, 4.0)]], options).unwrap();
    let rule = NotOnTrackRule::builder().build().unwrap();
    for times in [vec![1.0, 2.5], vec![-1.0, 1.0], vec![1.0, 5e9]] {
        let series = Series::new(times, vec![4.0, 4.0]).unwrap();
        assert!(matches!(
            not_on_track(&series, &curve, &rule),
            Err(Error::SessionNotWhole { .. })
        ));
    }
    assert!(NotOnTrackRule::builder().of_last(65).build().is_err());
    assert!(
        NotOnTrackRule::builder()
            .below(64)
            .of_last(64)
            .build()
            .is_ok()
    );
    assert!(NotOnTrackRule::builder().of_last(0).build().is_err());
}

/// A session without a band keeps its counts; the rule is silent there and counts it as not
/// assessed.
#[test]
fn a_refused_session_keeps_its_counts_and_raises_nothing() {
    let mut reference: Vec<Vec<(u32, f64)>> = (0..30).map(|i| vec![(1, f64::from(i))]).collect();
    for (i, d) in reference.iter_mut().take(5).enumerate() {
        d.push((2, i as f64));
    }
    let curve = expected_curve(&reference, CurveOptions::default().with_max_half_width(0)).unwrap();
    let p = curve.at(2).unwrap();
    assert_eq!((p.session, p.n, p.at_session, p.half_width), (2, 5, 5, 0));
    assert_eq!(p.lower, Outcome::Undefined(Undefined::TooFewObservations));
    let rule = NotOnTrackRule::builder()
        .below(1)
        .of_last(1)
        .build()
        .unwrap();
    let course = Series::new(vec![1.0, 2.0, 3.0], vec![-5.0, -5.0, -5.0]).unwrap();
    let r = not_on_track(&course, &curve, &rule).unwrap();
    assert_eq!((r.n, r.assessed, r.below, r.flags.len()), (3, 1, 1, 1));
    assert_eq!(r.flags[0].session, 1);
}

/// All reference scores equal: the band is that score, and only a lower score is below it.
#[test]
fn equal_reference_scores_make_a_point_band() {
    let reference: Vec<[(u32, f64); 1]> = (0..20).map(|_| [(1, 36.0)]).collect();
    let curve = expected_curve(&reference, CurveOptions::default()).unwrap();
    assert_eq!(curve.at(1).unwrap().band(), Some((36.0, 36.0, 36.0)));
    let rule = NotOnTrackRule::builder()
        .below(1)
        .of_last(1)
        .build()
        .unwrap();
    let on = not_on_track(&Series::new(vec![1.0], vec![36.0]).unwrap(), &curve, &rule).unwrap();
    assert!(on.flags.is_empty());
    let off = not_on_track(&Series::new(vec![1.0], vec![35.0]).unwrap(), &curve, &rule).unwrap();
    assert_eq!(off.flags.len(), 1);
}

// ---- the caseload -----------------------------------------------------------------------

#[test]
fn the_bundled_caseload_gives_curves_per_element_and_total() {
    use alliance::caseload::{ScoreOf, expected_curve as from_caseload};
    use alliance::{Element, Rater, catalog, sample};
    let caseload = sample::caseload().unwrap();
    let wai = catalog::wai_sr();
    let demo = CurveOptions::default()
        .with_min_reference(1)
        .with_level(Level::new(0.5).unwrap());
    let total = from_caseload(&caseload, Rater::Client, &wai, &ScoreOf::Total, demo).unwrap();
    assert_eq!(total.points().len(), 12);
    // sessions 1-8 are in all three courses, 9-10 in two, 11-12 in one
    let counts: Vec<usize> = total.points().iter().map(|p| p.at_session).collect();
    assert_eq!(counts, [3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 1, 1]);
    for e in Element::ALL {
        let of = ScoreOf::Element(e);
        if of.check(&wai).is_ok() {
            let curve = from_caseload(&caseload, Rater::Client, &wai, &of, demo).unwrap();
            assert!(
                curve
                    .points()
                    .iter()
                    .all(|p| p.band().is_none_or(|(l, m, u)| l <= m && m <= u))
            );
        }
    }
    let none = from_caseload(&caseload, Rater::Observer, &wai, &ScoreOf::Total, demo);
    assert_eq!(none, Err(Error::NoReferenceData));
}

// ---- the monitor's alert ------------------------------------------------------------------

fn flat_curve() -> ExpectedCurve {
    let reference: Vec<Vec<(u32, f64)>> = (0..20)
        .map(|i| (1..=10).map(|s| (s, 30.0 + f64::from(i % 10))).collect())
        .collect();
    expected_curve(&reference, CurveOptions::default()).unwrap()
}

#[test]
fn the_monitor_raises_not_on_track_with_its_evidence() {
    let curve = flat_curve();
    let (lower, expected, upper) = curve.at(3).unwrap().band().unwrap();
    let config = MonitorConfig::builder()
        .not_on_track(curve, NotOnTrackRule::builder().build().unwrap())
        .build()
        .unwrap();
    let mut m = Monitor::new("total", config);
    assert!(m.push(1.0, 29.0).unwrap().is_empty()); // one below: not yet two of three
    assert!(m.push(2.0, 35.0).unwrap().is_empty());
    let alerts = m.push(3.0, 28.0).unwrap();
    assert_eq!(alerts.len(), 1);
    let a = alerts[0];
    assert_eq!(
        (a.kind, a.kind.code(), a.session, a.index),
        (AlertKind::NotOnTrack, "not_on_track", 3, 2)
    );
    let alliance::monitor::AlertDetail::NotOnTrack { flag, rule } = a.detail else {
        panic!("{a:?}");
    };
    assert_eq!(
        (flag.score, flag.expected, flag.lower, flag.upper),
        (28.0, expected, lower, upper)
    );
    assert_eq!(
        (flag.below, flag.window, flag.reference_n, rule.below()),
        (2, 3, 20, 2)
    );
    assert_eq!(
        a.to_string(),
        format!(
            "total at session 3: not on track: score 28 below the expected band {lower:.2} to \
             {upper:.2} (expected {expected:.2}, from 20 reference dyads); 2 of the last 3 \
             sessions below (rule: 2 of 3)"
        )
    );
    let report = SessionReport::new(&alerts);
    let e = &report.events[0];
    assert_eq!((e.change, e.severity), (Change::Decline, Severity::Watch));
    assert_eq!(
        e.message(1),
        format!(
            "total at session 3: at 28, below the expected band from {lower} (expected {expected}) (not on track)"
        )
    );
}

/// Not on track with another rule on the same session is an `Act` event.
#[test]
fn not_on_track_with_another_rule_is_act() {
    let config = MonitorConfig::builder()
        .not_on_track(
            flat_curve(),
            NotOnTrackRule::builder()
                .below(1)
                .of_last(1)
                .build()
                .unwrap(),
        )
        .pcoms(
            alliance::trend::PcomsRule::builder()
                .cutoff(31.0)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let mut m = Monitor::new("total", config);
    let report = SessionReport::new(&m.push(1.0, 20.0).unwrap());
    assert_eq!(report.events.len(), 1);
    assert_eq!(report.events[0].severity, Severity::Act);
}

/// `for_instrument` leaves the rule off, and says why; `with_not_on_track` turns it on.
#[test]
fn for_instrument_leaves_the_rule_off_without_a_curve() {
    let derived = MonitorConfig::for_instrument(&alliance::catalog::session_scale()).unwrap();
    assert!(derived.config.not_on_track().is_none());
    let basis = derived
        .basis
        .iter()
        .find(|b| b.rule == "not_on_track")
        .unwrap();
    assert!(basis.value.is_none() && basis.reason.contains("with_not_on_track"));
    let on = derived.with_not_on_track(flat_curve(), NotOnTrackRule::builder().build().unwrap());
    assert!(on.config.not_on_track().is_some());
    assert_eq!(
        on.basis.iter().filter(|b| b.rule == "not_on_track").count(),
        1
    );
}

// ---- serde: a curve read back is one a build could make ------------------------------------

#[cfg(feature = "serde")]
#[test]
fn a_curve_round_trips_and_an_edited_one_is_refused() {
    use serde_json::{Value, json};
    let mut dyads: Vec<Vec<(u32, f64)>> = (0..25)
        .map(|i| {
            (1..=4)
                .map(|s| (s, 30.0 + f64::from(i % 9) + f64::from(s)))
                .collect()
        })
        .collect();
    dyads.push(vec![(6, 33.0)]); // session 5 empty, session 6 refused
    let curve = expected_curve(&dyads, CurveOptions::default()).unwrap();
    let json = serde_json::to_value(&curve).unwrap();
    let back: ExpectedCurve = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, curve);
    let read = |edit: &dyn Fn(&mut Value)| {
        let mut v = json.clone();
        edit(&mut v);
        serde_json::from_value::<ExpectedCurve>(v).map_err(|e| e.to_string())
    };
    assert!(read(&|_| {}).is_ok());
    let refused = [
        read(&|v| v["points"][0]["lower"] = json!({"Defined": 99.0})), // lower above expected
        read(&|v| v["points"][1]["session"] = json!(7)),               // not consecutive
        read(&|v| v["points"][0]["upper"] = json!({"Undefined": "TooFewObservations"})),
        read(&|v| v["points"][0]["n"] = json!(3)), // a band on 3 dyads
        read(&|v| v["points"][0]["at_session"] = json!(30)),
        read(&|v| v["points"][0]["half_width"] = json!(3)),
        read(&|v| v["points"] = json!([])),
        read(&|v| v["options"]["min_reference"] = json!(0)),
        read(&|v| v["options"]["level"] = json!(1.5)),
        read(&|v| v["extra"] = json!(1)),
        read(&|v| v["points"][0]["expected"] = json!({"Defined": 1e300})),
    ];
    for (k, r) in refused.iter().enumerate() {
        assert!(r.is_err(), "edit {k} was accepted");
    }
    assert!(
        refused[0]
            .as_ref()
            .unwrap_err()
            .contains("a session's band")
    );
    // the rule reads through its builder
    let rule: NotOnTrackRule = serde_json::from_value(json!({"below": 2, "of_last": 4})).unwrap();
    assert_eq!((rule.below(), rule.of_last()), (2, 4));
    assert!(serde_json::from_value::<NotOnTrackRule>(json!({"below": 4, "of_last": 3})).is_err());
    // a configuration writes the rule only when it has it
    let plain = serde_json::to_value(MonitorConfig::builder().build().unwrap()).unwrap();
    assert!(plain.get("not_on_track").is_none());
    let with = MonitorConfig::builder()
        .not_on_track(curve, rule)
        .build()
        .unwrap();
    let with = serde_json::to_value(with).unwrap();
    assert_eq!(
        with["not_on_track"]["rule"],
        json!({"below": 2, "of_last": 4})
    );
}
