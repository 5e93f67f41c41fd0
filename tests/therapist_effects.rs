//! Therapist effects (three-level REML), the two-level REML fit and the unbalanced one-way
//! ICC(1) against the stored references of `tests/reference/therapist_effects.json` (lme4
//! 1.1-31, R's `anova(lm())`, psych 2.2.9; see `therapist_effects.R`).
#![allow(clippy::unwrap_used)] // test helpers fail loudly

mod common;

use alliance::multilevel::{oneway_icc, therapist_effects, two_level};
use alliance::{IntervalMethod, Level, Outcome, Undefined};
use common::assert_close;
use serde_json::Value;

/// Components: 1e-6 relative (the bound), with an absolute floor of 1e-10 of the
/// total variance: where the likelihood is largest on the boundary, bobyqa stops at a
/// variance of about 1e-15 (e.g. 4.9e-15 on the balanced case) and the crate at exactly 0.
const COMPONENT: f64 = 1e-6;
const FLOOR: f64 = 1e-10;
/// The intercept is the GLS mean at the estimated variance ratios, so it carries the
/// optimiser's error in them (lme4's stops at about 1e-7 relative): 1e-7 relative.
const INTERCEPT: f64 = 1e-7;

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

fn label(v: &Value) -> u32 {
    let x = num(v);
    assert!(x.fract() == 0.0);
    x as u32
}

fn usize_of(v: &Value) -> usize {
    v.as_u64().unwrap() as usize
}

fn value(o: Outcome<f64>, what: &str) -> f64 {
    o.value()
        .unwrap_or_else(|| panic!("{what} undefined: {o:?}"))
}

#[test]
fn three_level_matches_lme4() {
    let reference = common::reference("therapist_effects.json");
    let cases = reference["three_level"].as_array().unwrap();
    assert!(cases.len() >= 15);
    let mut worst = 0.0f64;
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let rows: Vec<(u32, u32, f64)> = case["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (label(&r[0]), label(&r[1]), num(&r[2])))
            .collect();
        let fit = therapist_effects(&rows).unwrap();
        assert_eq!(fit.n, usize_of(&case["n"]), "{name}");
        assert_eq!(fit.therapists, usize_of(&case["therapists"]), "{name}");
        assert_eq!(fit.clients, usize_of(&case["clients"]), "{name}");
        assert_eq!(
            fit.therapists_with_one_client,
            usize_of(&case["therapists_with_one_client"]),
            "{name}"
        );
        assert_eq!(
            fit.clients_with_one_session,
            usize_of(&case["clients_with_one_session"]),
            "{name}"
        );
        if case["constant"].as_bool().unwrap() {
            let why = Outcome::Undefined(Undefined::ConstantValues);
            assert_eq!(fit.coefficient, why, "{name}");
            assert_eq!(fit.therapist.variance, why, "{name}");
            assert_eq!(fit.client.variance, why, "{name}");
            assert_eq!(fit.session.variance, why, "{name}");
            assert_eq!(fit.log_likelihood, why, "{name}");
            continue;
        }
        let want = &case["lme4"];
        let (t, c, s) = (
            num(&want["therapist"]),
            num(&want["client"]),
            num(&want["session"]),
        );
        let total = t + c + s;
        for (what, got, want) in [
            ("therapist", fit.therapist, t),
            ("client", fit.client, c),
            ("session", fit.session, s),
        ] {
            let g = value(got.variance, what);
            assert_close(
                &format!("{name}: {what} variance"),
                g,
                want,
                COMPONENT,
                FLOOR * total,
            );
            assert_eq!(
                got.boundary,
                want <= FLOOR * total,
                "{name}: {what} boundary"
            );
            if want > FLOOR * total {
                worst = worst.max((g - want).abs() / want);
            }
        }
        assert_close(
            &format!("{name}: therapist ICC"),
            value(fit.coefficient, "ICC"),
            t / total,
            COMPONENT,
            FLOOR,
        );
        assert_close(
            &format!("{name}: client ICC"),
            value(fit.client_icc, "client ICC"),
            (t + c) / total,
            COMPONENT,
            FLOOR,
        );
        assert_close(
            &format!("{name}: intercept"),
            value(fit.intercept, "intercept"),
            num(&want["intercept"]),
            INTERCEPT,
            0.0,
        );
        assert_close(
            &format!("{name}: intercept SE"),
            value(fit.intercept_se, "intercept SE"),
            num(&want["intercept_se"]),
            COMPONENT,
            0.0,
        );
        // the crate's optimum is never worse than lme4's
        let ll = value(fit.log_likelihood, "log-likelihood");
        assert_close(
            &format!("{name}: REML log-likelihood"),
            ll,
            num(&want["log_likelihood"]),
            1e-9,
            1e-9,
        );
        assert!(ll >= num(&want["log_likelihood"]) - 1e-9, "{name}");
    }
    eprintln!("three-level: largest relative error of a component {worst:e}");
}

fn two_level_rows(case: &Value) -> Vec<(u32, f64)> {
    case["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (label(&r[0]), num(&r[1])))
        .collect()
}

#[test]
fn two_level_matches_lme4() {
    let reference = common::reference("therapist_effects.json");
    let cases = reference["two_level"].as_array().unwrap();
    assert!(cases.len() >= 15);
    let mut worst = 0.0f64;
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let fit = two_level(&two_level_rows(case)).unwrap();
        assert_eq!(fit.n, usize_of(&case["n"]), "{name}");
        assert_eq!(fit.groups, usize_of(&case["groups"]), "{name}");
        assert_eq!(
            fit.groups_with_one,
            usize_of(&case["groups_with_one"]),
            "{name}"
        );
        if case["constant"].as_bool().unwrap() {
            let why = Outcome::Undefined(Undefined::ConstantValues);
            assert_eq!(fit.coefficient, why, "{name}");
            assert_eq!(fit.between.variance, why, "{name}");
            assert_eq!(fit.within.variance, why, "{name}");
            continue;
        }
        let want = &case["lme4"];
        let (b, w) = (num(&want["between"]), num(&want["within"]));
        let total = b + w;
        for (what, got, want) in [("between", fit.between, b), ("within", fit.within, w)] {
            let g = value(got.variance, what);
            assert_close(
                &format!("{name}: {what} variance"),
                g,
                want,
                COMPONENT,
                FLOOR * total,
            );
            assert_eq!(
                got.boundary,
                want <= FLOOR * total,
                "{name}: {what} boundary"
            );
            if want > FLOOR * total {
                worst = worst.max((g - want).abs() / want);
            }
        }
        assert_close(
            &format!("{name}: ICC"),
            value(fit.coefficient, "ICC"),
            b / total,
            COMPONENT,
            FLOOR,
        );
        assert_close(
            &format!("{name}: intercept"),
            value(fit.intercept, "intercept"),
            num(&want["intercept"]),
            INTERCEPT,
            0.0,
        );
        assert_close(
            &format!("{name}: intercept SE"),
            value(fit.intercept_se, "intercept SE"),
            num(&want["intercept_se"]),
            COMPONENT,
            0.0,
        );
        let ll = value(fit.log_likelihood, "log-likelihood");
        assert_close(
            &format!("{name}: REML log-likelihood"),
            ll,
            num(&want["log_likelihood"]),
            1e-9,
            1e-9,
        );
    }
    eprintln!("two-level: largest relative error of a component {worst:e}");
}

#[test]
fn oneway_icc_matches_anova_and_the_published_interval() {
    let reference = common::reference("therapist_effects.json");
    let cases = reference["two_level"].as_array().unwrap();
    let mut checked = 0;
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let rows = two_level_rows(case);
        for (key, level) in [("oneway", 0.95), ("oneway_90", 0.90)] {
            let icc = oneway_icc(&rows, Level::new(level).unwrap()).unwrap();
            assert_eq!(icc.n, usize_of(&case["n"]), "{name}");
            assert_eq!(icc.groups, usize_of(&case["groups"]), "{name}");
            if case["constant"].as_bool().unwrap() {
                assert_eq!(
                    icc.coefficient,
                    Outcome::Undefined(Undefined::ConstantValues),
                    "{name}"
                );
                assert_eq!(icc.f, Outcome::Undefined(Undefined::IndeterminateF));
                continue;
            }
            let want = &case[key];
            let scale = num(&want["ms_between"]).max(num(&want["ms_within"]));
            assert_close(
                &format!("{name}: MSB"),
                icc.ms_between,
                num(&want["ms_between"]),
                1e-10,
                1e-12 * scale,
            );
            assert_close(
                &format!("{name}: MSW"),
                icc.ms_within,
                num(&want["ms_within"]),
                1e-10,
                1e-12 * scale,
            );
            assert_eq!(icc.df1, num(&want["df1"]), "{name}");
            assert_eq!(icc.df2, num(&want["df2"]), "{name}");
            assert_close(&format!("{name}: n0"), icc.n0, num(&want["n0"]), 1e-14, 0.0);
            assert_eq!(icc.balanced, want["balanced"].as_bool().unwrap(), "{name}");
            assert_eq!(
                icc.ci_method,
                if icc.balanced {
                    IntervalMethod::ExactF
                } else {
                    IntervalMethod::SearleN0
                }
            );
            let coefficient = value(icc.coefficient, "ICC(1)");
            assert_close(
                &format!("{name}: ICC(1)"),
                coefficient,
                num(&want["icc1"]),
                1e-10,
                1e-12,
            );
            assert_close(
                &format!("{name}: F"),
                value(icc.f, "F"),
                num(&want["F"]),
                1e-10,
                1e-12,
            );
            assert_close(
                &format!("{name}: p"),
                value(icc.p, "p"),
                num(&want["p"]),
                1e-9,
                1e-300,
            );
            let ci = icc.ci.value().unwrap();
            assert_close(
                &format!("{name}: lower"),
                ci.lower,
                num(&want["lower"]),
                1e-9,
                1e-12,
            );
            assert_close(
                &format!("{name}: upper"),
                ci.upper,
                num(&want["upper"]),
                1e-9,
                1e-12,
            );
            if let Some(psych) = want.get("psych_statsBy") {
                assert_close(
                    &format!("{name}: psych ICC1"),
                    coefficient,
                    num(&psych["ICC1"]),
                    1e-10,
                    1e-12,
                );
                assert_close(
                    &format!("{name}: psych lower"),
                    ci.lower,
                    num(&psych["lower"]),
                    1e-9,
                    1e-12,
                );
                assert_close(
                    &format!("{name}: psych upper"),
                    ci.upper,
                    num(&psych["upper"]),
                    1e-9,
                    1e-12,
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 30);
}

#[test]
fn designs_that_cannot_be_partitioned_are_errors() {
    use alliance::Error;
    let empty: [(u32, u32, f64); 0] = [];
    assert_eq!(
        therapist_effects(&empty).unwrap_err(),
        Error::TooFewGroups {
            model: "a therapist-effects model",
            level: "therapists",
            needed: 2,
            found: 0
        }
    );
    let one_therapist = [(1, 1, 3.0), (1, 1, 4.0), (1, 2, 5.0)];
    assert!(matches!(
        therapist_effects(&one_therapist),
        Err(Error::TooFewGroups { found: 1, .. })
    ));
    // the same client label under two therapists is two clients, one each
    let one_client_each = [(1, 1, 3.0), (1, 1, 4.0), (2, 1, 5.0), (2, 1, 7.0)];
    assert!(matches!(
        therapist_effects(&one_client_each),
        Err(Error::NoReplication {
            upper: "therapist",
            lower: "client",
            ..
        })
    ));
    let one_session_each = [(1, 1, 3.0), (1, 2, 4.0), (2, 3, 5.0), (2, 4, 7.0)];
    assert!(matches!(
        therapist_effects(&one_session_each),
        Err(Error::NoReplication {
            upper: "client",
            lower: "session",
            ..
        })
    ));
    let nan = [(1, 1, 3.0), (1, 1, f64::NAN)];
    assert!(matches!(
        therapist_effects(&nan),
        Err(Error::NonFinite { index: 1, .. })
    ));
    let singles = [("a", 1.0), ("b", 2.0)];
    assert!(matches!(
        two_level(&singles),
        Err(Error::NoReplication { .. })
    ));
    assert!(matches!(
        oneway_icc(&singles, Level::default()),
        Err(Error::NoReplication { .. })
    ));
    assert!(matches!(
        oneway_icc(&[("a", 1.0), ("a", 2.0)], Level::default()),
        Err(Error::TooFewGroups { found: 1, .. })
    ));
    assert!(matches!(
        two_level(&[("a", 1.0), ("b", 1e101)]),
        Err(Error::TooLarge { index: 1, .. })
    ));
}

/// Values that vary between clients but never within one: the session variance is 0 and the
/// others are undefined (the REML likelihood is unbounded), every count kept.
#[test]
fn no_variation_within_clients_keeps_the_counts() {
    let rows = [
        (1, 1, 3.0),
        (1, 1, 3.0),
        (1, 2, 5.0),
        (2, 3, 4.0),
        (2, 3, 4.0),
        (2, 4, 6.0),
    ];
    let fit = therapist_effects(&rows).unwrap();
    let why = Outcome::Undefined(Undefined::ZeroErrorVariance);
    assert_eq!(fit.session.variance, Outcome::Defined(0.0));
    assert!(fit.session.boundary);
    assert_eq!((fit.therapist.variance, fit.client.variance), (why, why));
    assert_eq!(fit.coefficient, why);
    assert_eq!((fit.n, fit.therapists, fit.clients), (6, 2, 4));
    assert_eq!(
        (fit.therapists_with_one_client, fit.clients_with_one_session),
        (0, 2)
    );
    // the one-way ICC of the same clients: MSW = 0, so ICC(1) = 1, F infinite and p = 0
    let pairs: Vec<(u32, f64)> = rows.iter().map(|&(_, c, v)| (c, v)).collect();
    let icc = oneway_icc(&pairs, Level::default()).unwrap();
    assert_eq!(icc.coefficient, Outcome::Defined(1.0));
    assert_eq!(icc.f, Outcome::Undefined(Undefined::ZeroErrorVariance));
    assert_eq!(icc.p, Outcome::Defined(0.0));
}

/// The caseload link partitions the sessions of a caseload by the course's therapist and
/// client, and gives what the plain-number function gives.
#[test]
fn caseload_link_matches_the_plain_numbers() {
    use alliance::caseload::{ScoreOf, therapist_effects as caseload_effects};
    use alliance::{Course, Rater, Response, Session, catalog};
    let srs = catalog::session_scale();
    let plan: [(&str, &str, &[f64]); 6] = [
        ("T1", "C1", &[7.0, 8.0, 8.5, 9.0]),
        ("T1", "C2", &[6.0, 6.5]),
        ("T2", "C3", &[8.5, 9.0, 9.5]),
        ("T2", "C4", &[9.0]),
        ("T3", "C5", &[5.0, 6.0, 5.5, 4.5, 6.5]),
        ("T3", "C1", &[6.5, 7.0]), // client C1 again, with another therapist
    ];
    let mut courses = Vec::new();
    let mut rows = Vec::new();
    for (therapist, client, ratings) in plan {
        let mut course = Course::new(client, therapist).unwrap();
        for (number, &rating) in (1..).zip(ratings) {
            let mut session = Session::new(client, therapist, number).unwrap();
            let items = [rating, rating - 0.5, rating, rating + 0.5];
            session
                .add(Response::complete(&srs, Rater::Client, &items).unwrap())
                .unwrap();
            rows.push((therapist, client, items.iter().sum::<f64>()));
            course.add(session).unwrap();
        }
        // a session with the therapist's rating only: not the client's, so left out
        let mut last = Session::new(client, therapist, 99).unwrap();
        last.add(Response::complete(&srs, Rater::Therapist, &[5.0; 4]).unwrap())
            .unwrap();
        course.add(last).unwrap();
        courses.push(course);
    }
    let got = caseload_effects(&courses, Rater::Client, &srs, &ScoreOf::Total).unwrap();
    let want = therapist_effects(&rows).unwrap();
    assert_eq!(got.effects, want);
    assert_eq!((got.effects.clients, got.effects.n), (6, 17));
    assert!(got.skipped.is_empty());
    let therapist = caseload_effects(&courses, Rater::Therapist, &srs, &ScoreOf::Total);
    // one therapist rating per course: every client has a single session
    assert!(matches!(
        therapist,
        Err(alliance::Error::NoReplication {
            upper: "client",
            ..
        })
    ));
}
