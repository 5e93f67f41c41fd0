//! Repeated-measures agreement against the stored references of
//! `tests/reference/repeated_reference.json` (made by `repeated_reference.py` and
//! `repeated_r.R`): mpmath from the published formulas, R rmcorr 0.7.0, pingouin 0.7.0,
//! R `SimplyAgree` 0.3.0 `agree_nest`, statsmodels 0.15.0; and the published `r_rm` of Bland &
//! Altman (1995).
#![allow(clippy::unwrap_used, clippy::float_cmp)] // test helpers fail loudly

mod common;

use alliance::agreement::{
    LimitMultiplier, Repeated, TrueValue, bland_altman_repeated, proportional_bias,
    proportional_bias_repeated, rm_corr,
};
use alliance::{Error, Interval, Level, Outcome, Paired, Undefined};
use serde_json::Value;
use std::cell::Cell;

/// Relative tolerance against 50-digit mpmath and the R/Python references (they agree with
/// mpmath to about 1e-14; the t and chi-squared quantiles of the crate to about 1e-12).
const TOL: f64 = 1e-9;
/// Absolute floor for values near zero.
const FLOOR: f64 = 1e-12;

thread_local! {
    static WORST: Cell<f64> = const { Cell::new(0.0) };
}

fn check(what: &str, got: f64, want: f64) {
    let rel = if want == 0.0 {
        got.abs()
    } else {
        (got - want).abs() / want.abs()
    };
    // relative error where it means something (values near zero are held to FLOOR)
    if want.abs() > 1e-9 {
        WORST.with(|w| w.set(w.get().max(rel)));
    }
    common::assert_close(what, got, want, TOL, FLOOR);
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

fn check_outcome(what: &str, got: Outcome<f64>, want: &Value) {
    match (got, want) {
        (Outcome::Defined(g), Value::Number(_)) => check(what, g, f(want)),
        (Outcome::Undefined(_), Value::Null) => {}
        _ => panic!("{what}: got {got:?}, want {want}"),
    }
}

fn check_interval(what: &str, got: Outcome<Interval>, want: &Value) {
    match (got, want) {
        (Outcome::Defined(g), Value::Array(b)) => {
            check(&format!("{what} lower"), g.lower, f(&b[0]));
            check(&format!("{what} upper"), g.upper, f(&b[1]));
        }
        (Outcome::Undefined(_), Value::Null) => {}
        _ => panic!("{what}: got {got:?}, want {want}"),
    }
}

fn cases() -> Vec<Value> {
    common::reference("repeated_reference.json")["cases"]
        .as_array()
        .unwrap()
        .clone()
}

fn data(case: &Value) -> Repeated {
    let labels: Vec<&str> = case["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let values = |key: &str| -> Vec<Option<f64>> {
        case[key]
            .as_array()
            .unwrap()
            .iter()
            .map(Value::as_f64)
            .collect()
    };
    Repeated::with_missing(&labels, &values("first"), &values("second")).unwrap()
}

fn multiplier(case: &Value) -> LimitMultiplier {
    LimitMultiplier::new(f(&case["multiplier"])).unwrap()
}

#[test]
fn rm_corr_matches_mpmath_rmcorr_and_pingouin() {
    let level = Level::default();
    let mut compared = (0, 0, 0);
    for case in cases() {
        let name = case["name"].as_str().unwrap();
        let d = data(&case);
        let got = rm_corr(&d, level).unwrap();
        let want = &case["rm_corr"];
        assert_eq!(got.n as u64, want["n"].as_u64().unwrap(), "{name} n");
        assert_eq!(
            got.subjects as u64,
            want["subjects"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            got.single_pair_subjects as u64,
            want["single_pair_subjects"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            got.dropped as u64,
            case["dropped"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(got.df, f(&want["df"]), "{name} df");
        match want.get("undefined").and_then(Value::as_str) {
            Some("NoPairableUnit") => {
                assert_eq!(
                    got.coefficient,
                    Outcome::Undefined(Undefined::NoPairableUnit)
                );
            }
            Some("ZeroVariance") => {
                assert_eq!(got.coefficient, Outcome::Undefined(Undefined::ZeroVariance));
            }
            Some(other) => panic!("{name}: unknown reason {other}"),
            None => {}
        }
        check_outcome(&format!("{name} r"), got.coefficient, &want["r"]);
        check_outcome(&format!("{name} slope"), got.slope, &want["slope"]);
        let perfect = got.coefficient.value().is_some_and(|r| r.abs() == 1.0);
        if perfect && got.df > 0.0 {
            // t would be infinite: undefined, and p is 0 (mpmath has no finite t either)
            assert_eq!(
                got.t,
                Outcome::Undefined(Undefined::ZeroErrorVariance),
                "{name}"
            );
            assert_eq!(got.p, Outcome::Defined(0.0), "{name}");
        } else {
            check_outcome(&format!("{name} t"), got.t, &want["t"]);
            check_outcome(&format!("{name} p"), got.p, &want["p"]);
        }
        if perfect && got.df >= 2.0 {
            let r = got.coefficient.value().unwrap();
            let ci = got.ci.value().unwrap();
            assert_eq!((ci.lower, ci.upper), (r, r), "{name}");
        } else {
            check_interval(&format!("{name} ci"), got.ci, &want["ci"]);
        }
        if let Some(r) = case.get("rmcorr") {
            compared.0 += 1;
            check(
                &format!("{name} rmcorr r"),
                got.coefficient.value().unwrap(),
                f(&r["r"]),
            );
            assert_eq!(got.df, f(&r["df"]), "{name} rmcorr df");
            if !perfect {
                check(
                    &format!("{name} rmcorr p"),
                    got.p.value().unwrap(),
                    f(&r["p"]),
                );
            }
            if !r["ci"].is_null() {
                check_interval(&format!("{name} rmcorr ci"), got.ci, &r["ci"]);
            }
        }
        if let Some(pg) = case.get("pingouin_rm_corr") {
            compared.1 += 1;
            check(
                &format!("{name} pingouin r"),
                got.coefficient.value().unwrap(),
                f(&pg["r"]),
            );
            assert_eq!(got.df, f(&pg["dof"]), "{name} pingouin dof");
            if !perfect {
                check(
                    &format!("{name} pingouin p"),
                    got.p.value().unwrap(),
                    f(&pg["pval"]),
                );
            }
            // pingouin rounds its interval to 2 decimals
            let ci = got.ci.value().unwrap();
            let b = pg["ci_rounded_2dp"].as_array().unwrap();
            assert!(
                (ci.lower - f(&b[0])).abs() <= 0.005 + 1e-12,
                "{name} {ci:?} {b:?}"
            );
            assert!(
                (ci.upper - f(&b[1])).abs() <= 0.005 + 1e-12,
                "{name} {ci:?} {b:?}"
            );
        }
        compared.2 += 1;
    }
    assert!(
        compared.2 >= 15 && compared.0 >= 15 && compared.1 >= 14,
        "{compared:?}"
    );
    eprintln!(
        "rm_corr: {} cases, {} vs rmcorr, {} vs pingouin; largest relative error {:e}",
        compared.2,
        compared.0,
        compared.1,
        WORST.with(Cell::get)
    );
}

#[test]
fn rm_corr_published_bland_altman_1995() {
    // Bland & Altman (1995), BMJ 310:446: PaCO2 and pH, r_rm = -0.507 on 38 df
    let case = cases()
        .into_iter()
        .find(|c| c["name"] == "bland1995")
        .unwrap();
    let got = rm_corr(&data(&case), Level::default()).unwrap();
    assert_eq!((got.n, got.subjects, got.df), (47, 8, 38.0));
    let r = got.coefficient.value().unwrap();
    assert_eq!((r * 1000.0).round(), -507.0);
}

#[test]
fn rm_corr_with_one_subject_is_pearson() {
    let case = cases()
        .into_iter()
        .find(|c| c["name"] == "one_subject")
        .unwrap();
    let d = data(&case);
    let got = rm_corr(&d, Level::default()).unwrap();
    let p = alliance::agreement::pearson(
        &Paired::new(d.first(), d.second()).unwrap(),
        Level::default(),
    )
    .unwrap();
    assert_eq!(got.df, p.df);
    common::assert_close(
        "r",
        got.coefficient.value().unwrap(),
        p.coefficient.value().unwrap(),
        1e-12,
        0.0,
    );
    common::assert_close("p", got.p.value().unwrap(), p.p.value().unwrap(), 1e-9, 0.0);
}

fn check_ba(name: &str, got: &alliance::agreement::RepeatedBlandAltman, want: &Value) {
    for (key, value) in [
        ("bias", got.bias),
        ("variance", got.variance),
        ("sd", got.sd),
        ("lower_limit", got.lower_limit),
        ("upper_limit", got.upper_limit),
        ("subject_mean_variance", got.subject_mean_variance),
        ("between_variance", got.between_variance),
        ("harmonic_mean_pairs", got.harmonic_mean_pairs),
        ("divisor", got.divisor),
    ] {
        check(&format!("{name} {key}"), value, f(&want[key]));
    }
    check_outcome(
        &format!("{name} within_variance"),
        got.within_variance,
        &want["within_variance"],
    );
    for (key, value) in [
        ("bias_ci", got.bias_ci),
        ("variance_ci", got.variance_ci),
        ("lower_limit_ci", got.lower_limit_ci),
        ("upper_limit_ci", got.upper_limit_ci),
    ] {
        check_interval(&format!("{name} {key}"), value, &want[key]);
    }
    assert_eq!(got.n as u64, want["n"].as_u64().unwrap(), "{name}");
    assert_eq!(
        got.subjects as u64,
        want["subjects"].as_u64().unwrap(),
        "{name}"
    );
    assert_eq!(
        got.single_pair_subjects as u64,
        want["single_pair_subjects"].as_u64().unwrap(),
        "{name}"
    );
}

#[test]
fn bland_altman_repeated_matches_mpmath_and_simplyagree() {
    let level = Level::default();
    let (mut cases_done, mut agree_nest) = (0, 0);
    for case in cases() {
        let name = case["name"].as_str().unwrap();
        let d = data(&case);
        for (truth, key) in [
            (TrueValue::Varying, "bland_altman_varying"),
            (TrueValue::Constant, "bland_altman_constant"),
        ] {
            let want = &case[key];
            let got = bland_altman_repeated(&d, truth, multiplier(&case), level);
            if want.is_null() {
                assert!(
                    matches!(got, Err(Error::TooFewRepeatedSubjects { found: 1, .. })),
                    "{name}: {got:?}"
                );
                continue;
            }
            let got = got.unwrap();
            assert_eq!(got.true_value, truth);
            assert_eq!(
                got.dropped as u64,
                case["dropped"].as_u64().unwrap(),
                "{name}"
            );
            check_ba(&format!("{name} {key}"), &got, want);
            if truth == TrueValue::Varying {
                cases_done += 1;
                if let Some(an) = case.get("agree_nest") {
                    agree_nest += 1;
                    for (k, v) in [
                        ("bias", got.bias),
                        ("lower_limit", got.lower_limit),
                        ("upper_limit", got.upper_limit),
                        ("variance", got.variance),
                    ] {
                        check(&format!("{name} agree_nest {k}"), v, f(&an[k]));
                    }
                    check_outcome(
                        &format!("{name} agree_nest within"),
                        got.within_variance,
                        &an["within_variance"],
                    );
                    for (k, v) in [
                        ("bias_ci", got.bias_ci),
                        ("lower_limit_ci", got.lower_limit_ci),
                        ("upper_limit_ci", got.upper_limit_ci),
                    ] {
                        check_interval(&format!("{name} agree_nest {k}"), v, &an[k]);
                    }
                }
            }
        }
    }
    assert!(
        cases_done >= 15 && agree_nest >= 10,
        "{cases_done} {agree_nest}"
    );
    eprintln!(
        "bland_altman_repeated: {cases_done} cases x 2 estimators, {agree_nest} vs SimplyAgree \
         agree_nest; largest relative error {:e}",
        WORST.with(Cell::get)
    );
}

#[test]
fn proportional_bias_matches_mpmath_and_statsmodels() {
    let level = Level::default();
    let mut done = 0;
    for case in cases() {
        let name = case["name"].as_str().unwrap();
        let d = data(&case);
        let want = &case["proportional_bias"];
        let paired = Paired::new(d.first(), d.second()).unwrap();
        let ordinary = proportional_bias(&paired, multiplier(&case), level).unwrap();
        let repeated = proportional_bias_repeated(&d, multiplier(&case), level).unwrap();
        assert_eq!(repeated.subjects, d.subjects(), "{name}");
        assert_eq!(repeated.dropped, d.dropped(), "{name}");
        assert_eq!(ordinary.df, f(&want["df"]), "{name}");
        for got in [ordinary, repeated] {
            assert_eq!(got.n as u64, want["n"].as_u64().unwrap(), "{name}");
            if want.get("undefined").is_some() {
                assert_eq!(got.slope, Outcome::Undefined(Undefined::ZeroVariance));
                assert_eq!(
                    got.limits_at(5.0),
                    Outcome::Undefined(Undefined::ZeroVariance)
                );
                continue;
            }
            for (key, value) in [
                ("intercept", got.intercept),
                ("slope", got.slope),
                ("spread_intercept", got.spread_intercept),
                ("spread_slope", got.spread_slope),
            ] {
                check_outcome(&format!("{name} {key}"), value, &want[key]);
            }
            let absent = Value::Null;
            check_outcome(
                &format!("{name} se"),
                got.se,
                want.get("se").unwrap_or(&absent),
            );
            check_outcome(
                &format!("{name} t"),
                got.t,
                want.get("t").unwrap_or(&absent),
            );
            check_outcome(
                &format!("{name} p"),
                got.p,
                want.get("p").unwrap_or(&absent),
            );
            check_interval(
                &format!("{name} ci"),
                got.ci,
                want.get("ci").unwrap_or(&absent),
            );
            for at in want["limits_at"].as_array().unwrap() {
                let lim = got.limits_at(f(&at["mean"])).value().unwrap();
                check(&format!("{name} limits bias"), lim.bias, f(&at["bias"]));
                check(&format!("{name} limits lower"), lim.lower, f(&at["lower"]));
                check(&format!("{name} limits upper"), lim.upper, f(&at["upper"]));
            }
            if let Some(sm) = case.get("proportional_bias_statsmodels") {
                // statsmodels works in doubles: its digits near zero are rounding
                let loose = |what: &str, g: Outcome<f64>, w: &Value| {
                    common::assert_close(what, g.value().unwrap(), f(w), 1e-7, 1e-10);
                };
                loose(&format!("{name} sm slope"), got.slope, &sm["slope"]);
                loose(
                    &format!("{name} sm intercept"),
                    got.intercept,
                    &sm["intercept"],
                );
                loose(&format!("{name} sm se"), got.se, &sm["se"]);
                loose(&format!("{name} sm p"), got.p, &sm["p"]);
            }
        }
        done += 1;
    }
    assert!(done >= 15, "{done}");
    eprintln!(
        "proportional_bias: {done} cases (paired and repeated); largest relative error {:e}",
        WORST.with(Cell::get)
    );
}

#[test]
fn errors_name_what_is_missing() {
    let one = Repeated::new(&["a", "a", "a"], &[1.0, 2.0, 3.0], &[1.0, 2.5, 3.0]).unwrap();
    assert_eq!(
        bland_altman_repeated(
            &one,
            TrueValue::Varying,
            LimitMultiplier::default(),
            Level::default()
        ),
        Err(Error::TooFewRepeatedSubjects {
            statistic: "a Bland-Altman analysis of repeated pairs",
            needed: 2,
            found: 1
        })
    );
    let single = Repeated::new(&["a"], &[1.0], &[2.0]).unwrap();
    assert!(matches!(
        rm_corr(&single, Level::default()),
        Err(Error::TooFewPairs {
            needed: 2,
            found: 1,
            ..
        })
    ));
    assert!(matches!(
        proportional_bias_repeated(&single, LimitMultiplier::default(), Level::default()),
        Err(Error::TooFewPairs {
            needed: 2,
            found: 1,
            ..
        })
    ));
    assert_eq!(
        Repeated::new(&["a"], &[1.0, 2.0], &[2.0, 3.0]),
        Err(Error::SubjectLabelsMismatch {
            labels: 1,
            pairs: 2
        })
    );
    assert!(matches!(
        Repeated::new(&["a", "b"], &[1.0, f64::NAN], &[2.0, 3.0]),
        Err(Error::NonFinite { index: 1, .. })
    ));
    assert!(matches!(
        Repeated::with_missing(
            &["a", "b"],
            &[Some(1.0), None],
            &[Some(2.0), Some(f64::INFINITY)]
        ),
        Err(Error::NonFinite { index: 1, .. })
    ));
}

#[test]
fn undefined_paths_keep_every_defined_count() {
    // every pair from a different dyad: no within-dyad association
    let singles = Repeated::with_missing(
        &["a", "b", "c", "d"],
        &[Some(1.0), Some(2.0), Some(3.0), None],
        &[Some(1.5), Some(2.0), Some(2.5), Some(4.0)],
    )
    .unwrap();
    let c = rm_corr(&singles, Level::default()).unwrap();
    assert_eq!(c.coefficient, Outcome::Undefined(Undefined::NoPairableUnit));
    assert_eq!(
        (c.n, c.subjects, c.single_pair_subjects, c.dropped, c.df),
        (3, 3, 3, 1, 0.0)
    );
    // the first measure constant within each dyad
    let flat = Repeated::new(
        &["a", "a", "b", "b"],
        &[2.0, 2.0, 5.0, 5.0],
        &[1.0, 2.0, 3.0, 5.0],
    )
    .unwrap();
    let c = rm_corr(&flat, Level::default()).unwrap();
    assert_eq!(c.coefficient, Outcome::Undefined(Undefined::ZeroVariance));
    assert_eq!(c.slope, Outcome::Undefined(Undefined::ZeroVariance));
    assert_eq!((c.n, c.subjects, c.df), (4, 2, 1.0));
    // all differences equal: SD 0, limits and their intervals are points, counts kept
    let equal = Repeated::new(
        &["a", "a", "b", "b", "b"],
        &[2.0, 3.0, 5.0, 4.0, 6.0],
        &[1.5, 2.5, 4.5, 3.5, 5.5],
    )
    .unwrap();
    let ba = bland_altman_repeated(
        &equal,
        TrueValue::Constant,
        LimitMultiplier::default(),
        Level::default(),
    )
    .unwrap();
    assert_eq!(
        (ba.bias, ba.sd, ba.lower_limit, ba.upper_limit),
        (0.5, 0.0, 0.5, 0.5)
    );
    assert_eq!(ba.within_variance, Outcome::Defined(0.0));
    let ci = ba.upper_limit_ci.value().unwrap();
    assert_eq!((ci.lower, ci.upper), (0.5, 0.5));
    assert_eq!((ba.n, ba.subjects, ba.single_pair_subjects), (5, 2, 0));
    // proportional bias with a perfect fit of zero slope: t and p undefined, slope 0
    let pb =
        proportional_bias_repeated(&equal, LimitMultiplier::default(), Level::default()).unwrap();
    assert_eq!(pb.slope, Outcome::Defined(0.0));
    assert_eq!(pb.se, Outcome::Defined(0.0));
    assert_eq!(pb.t, Outcome::Undefined(Undefined::ZeroErrorVariance));
    assert_eq!(pb.p, Outcome::Undefined(Undefined::ZeroErrorVariance));
    assert_eq!((pb.n, pb.subjects, pb.df), (5, 2, 3.0));
    // two pairs: no residual df, the coefficients stand
    let two = Paired::new(&[1.0, 3.0], &[1.5, 2.0]).unwrap();
    let pb = proportional_bias(&two, LimitMultiplier::default(), Level::default()).unwrap();
    assert!(pb.slope.is_defined());
    assert_eq!(
        pb.p,
        Outcome::Undefined(Undefined::NoResidualDegreesOfFreedom)
    );
    assert_eq!((pb.n, pb.df), (2, 0.0));
}

/// The caseload link pools every session of every dyad with the course as the subject: the
/// same numbers as the statistics on the pairs `caseload::pairs` lists, grouped by client, and
/// the same skipped sessions.
#[test]
fn caseload_link_groups_sessions_by_dyad() {
    use alliance::caseload::{ScoreOf, pairs, repeated_agreement, repeated_agreement_by_element};
    use alliance::{catalog, sample};
    let caseload = sample::caseload().unwrap();
    let haq = catalog::haq_ii();
    let level = Level::default();
    let all =
        repeated_agreement_by_element(&caseload, &haq, &haq, TrueValue::Varying, level).unwrap();
    assert_eq!(all.len(), 5);
    for a in &all {
        let p = pairs(&caseload, &haq, &haq, &a.of).unwrap();
        let labels: Vec<&str> = p.sessions.iter().map(|s| s.client.as_str()).collect();
        let d = Repeated::new(&labels, &p.client, &p.therapist).unwrap();
        assert_eq!((a.n, a.dyads), (d.n(), d.subjects()));
        assert_eq!(a.rm_corr, rm_corr(&d, level).unwrap());
        let ba = bland_altman_repeated(&d, TrueValue::Varying, LimitMultiplier::default(), level)
            .unwrap();
        assert_eq!(a.bland_altman, ba);
        assert_eq!(a.skipped, p.skipped);
        let one =
            repeated_agreement(&caseload, &haq, &haq, &a.of, TrueValue::Varying, level).unwrap();
        assert_eq!(&one, a);
    }
    assert_eq!(all[0].of, ScoreOf::TotalPomp);
    // one dyad is too few for limits between dyads
    let err = repeated_agreement(
        &caseload[..1],
        &haq,
        &haq,
        &ScoreOf::TotalPomp,
        TrueValue::Varying,
        level,
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::TooFewRepeatedSubjects { found: 1, .. }),
        "{err:?}"
    );
}
