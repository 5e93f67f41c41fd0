//! Autocorrelation-corrected Mann-Kendall tests (Yue-Wang, pre-whitening, trend-free
//! pre-whitening) and Siegel's repeated-median line against the stored references:
//! `tests/reference/trend_corrections.json` (pymannkendall 1.4.3 and an independent mpmath
//! implementation on real times, `trend_corrections.py`) and `tests/reference/siegel.json`
//! (scipy 1.17.1 `siegelslopes` and exact rationals, `siegel.py`).

#![allow(clippy::unwrap_used)]

mod common;

use alliance::trend::{
    PreWhitened, PreWhiteningOptions, Series, SiegelIntercept, SiegelOptions, YueWang,
    YueWangOptions, mann_kendall_pre_whitened, mann_kendall_trend_free_pre_whitened,
    mann_kendall_yue_wang, siegel_slope, siegel_slopes,
};
use alliance::{Error, Level, Outcome, PMethod, Undefined};
use serde_json::Value;
use std::cell::RefCell;

/// Relative tolerance of the autocorrelation corrections (as the other trend references).
const REL: f64 = 1e-9;
/// Relative tolerance of Siegel's line against scipy (the 1e-12).
const SIEGEL_REL: f64 = 1e-12;

thread_local! {
    static WORST: RefCell<(f64, String)> = const { RefCell::new((0.0, String::new())) };
}

/// Relative agreement to `rel`; a reference of exactly 0 must be matched to 1e-15 absolute.
#[track_caller]
fn check(what: &str, ours: f64, reference: f64, rel: f64) {
    let err = (ours - reference).abs();
    let relative = if reference == 0.0 {
        err
    } else {
        err / reference.abs()
    };
    WORST.with(|w| {
        let mut w = w.borrow_mut();
        if relative > w.0 {
            *w = (relative, what.to_string());
        }
    });
    let ok = if reference == 0.0 {
        err <= 1e-15
    } else {
        common::close(ours, reference, rel, 0.0)
    };
    assert!(
        ok,
        "{what}: ours {ours:e}, reference {reference:e}, relative error {relative:e}"
    );
}

fn report(what: &str) {
    WORST.with(|w| {
        let w = w.borrow();
        eprintln!("{what}: largest relative error {:e} ({})", w.0, w.1);
    });
}

fn num(v: &Value) -> f64 {
    v.as_f64().expect("number")
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(num).collect()
}

fn cases(file: &str) -> Vec<Value> {
    common::reference(file)["cases"].as_array().unwrap().clone()
}

fn series(case: &Value) -> Series {
    Series::new(floats(&case["t"]), floats(&case["y"])).unwrap()
}

/// A defined outcome against a reference number, or an undefined one against null.
#[track_caller]
fn check_outcome(what: &str, ours: Outcome, reference: &Value, undefined: Undefined) {
    match (ours, reference.as_f64()) {
        (Outcome::Defined(v), Some(r)) => check(what, v, r, REL),
        (Outcome::Undefined(why), None) => assert_eq!(why, undefined, "{what}"),
        other => panic!("{what}: {other:?} against {reference}"),
    }
}

fn yue_wang_options(key: &str, n: usize) -> YueWangOptions {
    match key {
        "yue_wang" => YueWangOptions::default(),
        "yue_wang_lag1" => YueWangOptions::default().with_lags(1),
        "yue_wang_lag3_95" => YueWangOptions::default()
            .with_lags(3.min(n - 1))
            .with_level(Level::NINETY_FIVE),
        other => panic!("{other}"),
    }
}

/// The undefined reason a null in the reference stands for.
fn yue_wang_reason(yw: &YueWang) -> Undefined {
    if yw.correction.is_defined() {
        Undefined::NonPositiveVariance
    } else {
        Undefined::ConstantValues
    }
}

#[test]
fn yue_wang_matches_the_paper_on_real_times() {
    let mut compared = 0;
    for case in cases("trend_corrections.json") {
        let name = case["name"].as_str().unwrap();
        let s = series(&case);
        for key in ["yue_wang", "yue_wang_lag1", "yue_wang_lag3_95"] {
            let want = &case["paper"][key];
            let what = format!("{name} {key}");
            let got = mann_kendall_yue_wang(&s, yue_wang_options(key, s.len().max(2)));
            if want["refused"].as_bool().unwrap() {
                assert!(
                    matches!(got, Err(Error::TooShortForCorrection { needed: 4, .. })),
                    "{what}: {got:?}"
                );
                continue;
            }
            let yw = got.unwrap();
            assert_eq!(yw.s, want["s"].as_i64().unwrap(), "{what} S");
            assert_eq!(yw.lags, want["lags"].as_u64().unwrap() as usize, "{what}");
            assert_eq!(yw.p_method, PMethod::Normal);
            check(
                &format!("{what} var_s0"),
                yw.var_s_uncorrected,
                num(&want["var_s_uncorrected"]),
                REL,
            );
            check(
                &format!("{what} sen"),
                yw.sen_slope,
                num(&want["sen_slope"]),
                REL,
            );
            let why = yue_wang_reason(&yw);
            check_outcome(
                &format!("{what} correction"),
                yw.correction,
                &want["correction"],
                Undefined::ConstantValues,
            );
            check_outcome(&format!("{what} var_s"), yw.var_s, &want["var_s"], why);
            check_outcome(&format!("{what} z"), yw.z, &want["z"], why);
            check_outcome(&format!("{what} p"), yw.p, &want["p"], why);
            if let Some(r1) = want.get("lag1") {
                check_outcome(
                    &format!("{what} r1"),
                    yw.lag1,
                    r1,
                    Undefined::ConstantValues,
                );
                assert_eq!(
                    yw.significant_lags,
                    want["significant_lags"].as_u64().unwrap() as usize,
                    "{what}"
                );
            }
            if let Some(e) = want.get("effective_n") {
                check_outcome(&format!("{what} n*"), yw.effective_n, e, why);
            }
            compared += 1;
        }
    }
    assert!(compared >= 45, "only {compared} Yue-Wang comparisons");
    report("yue-wang (paper)");
}

#[test]
fn yue_wang_matches_pymannkendall_where_it_is_defined() {
    let mut compared = 0;
    for case in cases("trend_corrections.json") {
        let Some(pmk) = case.get("pymannkendall") else {
            continue;
        };
        let name = case["name"].as_str().unwrap();
        let s = series(&case);
        for key in ["yue_wang", "yue_wang_lag1"] {
            let want = &pmk[key];
            let Ok(yw) = mann_kendall_yue_wang(&s, yue_wang_options(key, s.len())) else {
                assert!(s.len() < 4, "{name}");
                continue;
            };
            let what = format!("{name} {key} (pymannkendall)");
            assert_eq!(yw.s as f64, num(&want["s"]), "{what}");
            check(
                &format!("{what} slope"),
                yw.sen_slope,
                num(&want["slope"]),
                REL,
            );
            match (yw.var_s, want["var_s"].as_f64(), want["z"].as_f64()) {
                (Outcome::Defined(v), Some(wv), Some(wz)) => {
                    check(&format!("{what} var_s"), v, wv, REL);
                    check(&format!("{what} z"), yw.z.value().unwrap(), wz, REL);
                    check(
                        &format!("{what} p"),
                        yw.p.value().unwrap(),
                        num(&want["p_sf"]),
                        REL,
                    );
                    compared += 1;
                }
                // pymannkendall: negative var_s and NaN z (n/n* < 0), or NaN throughout
                // (detrended scores constant); the crate: undefined.
                (Outcome::Undefined(_), _, _) => {
                    assert!(
                        want["z"].is_null() || yw.s == 0,
                        "{what}: pymannkendall has z {}",
                        want["z"]
                    );
                }
                other => panic!("{what}: {other:?}"),
            }
        }
    }
    assert!(
        compared >= 20,
        "only {compared} pymannkendall Yue-Wang cases"
    );
    report("yue-wang (pymannkendall)");
}

fn whitening(s: &Series, trend_free: bool, level: Option<Level>) -> alliance::Result<PreWhitened> {
    let options = match level {
        Some(level) => PreWhiteningOptions::default().with_level(level),
        None => PreWhiteningOptions::default(),
    };
    if trend_free {
        mann_kendall_trend_free_pre_whitened(s, options)
    } else {
        mann_kendall_pre_whitened(s, options)
    }
}

#[test]
fn pre_whitening_matches_the_paper_on_real_times() {
    let mut compared = 0;
    for case in cases("trend_corrections.json") {
        let name = case["name"].as_str().unwrap();
        let s = series(&case);
        for (key, trend_free, level) in [
            ("pre_whitening", false, None),
            ("pre_whitening_95", false, Some(Level::NINETY_FIVE)),
            ("trend_free", true, None),
            ("trend_free_95", true, Some(Level::NINETY_FIVE)),
        ] {
            let want = &case["paper"][key];
            let what = format!("{name} {key}");
            let got = whitening(&s, trend_free, level);
            if want["refused"].as_bool().unwrap() {
                assert!(
                    matches!(got, Err(Error::TooShortForCorrection { needed: 4, .. })),
                    "{what}: {got:?}"
                );
                continue;
            }
            let pw = got.unwrap();
            assert_eq!(pw.trend_free, trend_free);
            assert_eq!(pw.whitened, want["whitened"].as_bool().unwrap(), "{what}");
            assert_eq!(
                pw.tested,
                want["tested"].as_u64().unwrap() as usize,
                "{what}"
            );
            assert_eq!(pw.s, want["s"].as_i64().unwrap(), "{what} S");
            check_outcome(
                &format!("{what} r1"),
                pw.lag1,
                &want["lag1"],
                Undefined::ConstantValues,
            );
            check(&format!("{what} var_s"), pw.var_s, num(&want["var_s"]), REL);
            check(&format!("{what} z"), pw.z, num(&want["z"]), REL);
            check(&format!("{what} p"), pw.p_normal, num(&want["p"]), REL);
            check(&format!("{what} tau"), pw.tau_a, num(&want["tau_a"]), REL);
            check(
                &format!("{what} sen"),
                pw.sen_slope,
                num(&want["sen_slope"]),
                REL,
            );
            compared += 1;
        }
    }
    assert!(compared >= 70, "only {compared} pre-whitening comparisons");
    report("pre-whitening (paper)");
}

#[test]
fn pre_whitening_matches_pymannkendall_where_it_is_right() {
    let mut compared = 0;
    for case in cases("trend_corrections.json") {
        let Some(pmk) = case.get("pymannkendall") else {
            continue;
        };
        let name = case["name"].as_str().unwrap();
        let s = series(&case);
        for (key, trend_free) in [("pre_whitening", false), ("trend_free", true)] {
            let want = &pmk[key];
            let Ok(pw) = whitening(&s, trend_free, None) else {
                assert!(s.len() < 4, "{name}");
                continue;
            };
            let what = format!("{name} {key} (pymannkendall)");
            if !pw.whitened {
                // pymannkendall whitens with r1 = NaN: n - 1 NaNs, S = 0, "no trend" (on a
                // perfect line too); the crate tests the series as it is.
                assert_eq!(
                    pw.lag1,
                    Outcome::Undefined(Undefined::ConstantValues),
                    "{what}"
                );
                assert_eq!(num(&want["s"]), 0.0, "{what}");
                continue;
            }
            assert_eq!(pw.s as f64, num(&want["s"]), "{what}");
            check(&format!("{what} var_s"), pw.var_s, num(&want["var_s"]), REL);
            check(&format!("{what} z"), pw.z, num(&want["z"]), REL);
            check(&format!("{what} p"), pw.p_normal, num(&want["p_sf"]), REL);
            check(&format!("{what} tau"), pw.tau_a, num(&want["Tau"]), REL);
            check(
                &format!("{what} slope"),
                pw.sen_slope,
                num(&want["slope"]),
                REL,
            );
            compared += 1;
        }
    }
    assert!(
        compared >= 27,
        "only {compared} pymannkendall pre-whitening cases"
    );
    report("pre-whitening (pymannkendall)");
}

/// Undefined corrections keep every defined count (0.2 rules).
#[test]
fn undefined_corrections_keep_every_count() {
    let line = Series::new(vec![1.0, 2.0, 4.0, 7.0, 8.0], vec![2.5, 3.0, 4.0, 5.5, 6.0]).unwrap();
    let yw = mann_kendall_yue_wang(&line, YueWangOptions::default()).unwrap();
    let why = Outcome::Undefined(Undefined::ConstantValues);
    assert_eq!((yw.s, yw.n, yw.lags), (10, 5, 4));
    assert_eq!(
        (yw.correction, yw.var_s, yw.z, yw.p, yw.lag1),
        (why, why, why, why, why)
    );
    assert!(yw.var_s_uncorrected > 0.0);
    assert!((yw.sen_slope - 0.5).abs() < 1e-15);
    let tfpw = mann_kendall_trend_free_pre_whitened(&line, PreWhiteningOptions::default()).unwrap();
    assert_eq!(
        (tfpw.lag1, tfpw.whitened, tfpw.tested, tfpw.s),
        (why, false, 5, 10)
    );
    // strong negative lag-1 autocorrelation on 6 sessions with lag 1: n/n* < 0
    let alternating = Series::from_values(vec![4.0, 5.0, 4.0, 5.0, 4.0, 5.0]).unwrap();
    let yw = mann_kendall_yue_wang(&alternating, YueWangOptions::default().with_lags(1)).unwrap();
    let negative = Outcome::Undefined(Undefined::NonPositiveVariance);
    assert!(yw.correction.value().is_some_and(|c| c < 0.0));
    assert_eq!(
        (yw.var_s, yw.z, yw.p, yw.effective_n),
        (negative, negative, negative, negative)
    );
    assert_eq!((yw.s, yw.n), (3, 6));
}

#[test]
fn corrections_refuse_short_series_and_bad_lags() {
    let three = Series::from_values(vec![4.0, 4.5, 4.2]).unwrap();
    assert_eq!(
        mann_kendall_yue_wang(&three, YueWangOptions::default())
            .unwrap_err()
            .to_string(),
        "the Yue-Wang correction estimates the series' autocorrelation and needs at least 4 \
         sessions, found 3; use the uncorrected Mann-Kendall test on a series this short"
    );
    for trend_free in [false, true] {
        assert!(matches!(
            whitening(&three, trend_free, None),
            Err(Error::TooShortForCorrection { found: 3, .. })
        ));
    }
    let five = Series::from_values(vec![4.0, 4.5, 4.2, 4.8, 5.0]).unwrap();
    for lags in [0, 5, 9] {
        assert_eq!(
            mann_kendall_yue_wang(&five, YueWangOptions::default().with_lags(lags)),
            Err(Error::InvalidCorrectionLags {
                method: "Yue-Wang",
                lags,
                points: 5,
                max_lags: 4
            })
        );
    }
}

// ---- Siegel -------------------------------------------------------------------------------

fn siegel_options(method: &str) -> SiegelOptions {
    match method {
        "hierarchical" => SiegelOptions::default(),
        "separate" => SiegelOptions::default().with_intercept(SiegelIntercept::Separate),
        other => panic!("{other}"),
    }
}

#[test]
fn siegel_matches_scipy_and_exact_rationals() {
    let mut compared = 0;
    for case in cases("siegel.json") {
        let name = case["name"].as_str().unwrap();
        let (x, y) = (floats(&case["x"]), floats(&case["y"]));
        let increasing = x.windows(2).all(|w| w[0] < w[1]);
        for method in ["hierarchical", "separate"] {
            let want = &case[method];
            let what = format!("{name} {method}");
            let ours = siegel_slopes(&x, &y, siegel_options(method)).unwrap();
            assert_eq!(ours.n, x.len());
            if increasing {
                let on_series = siegel_slope(
                    &Series::new(x.clone(), y.clone()).unwrap(),
                    siegel_options(method),
                )
                .unwrap();
                assert_eq!(on_series, ours, "{what}: series and slices differ");
            }
            if !want["scipy_defined"].as_bool().unwrap() {
                let why = Outcome::Undefined(Undefined::ZeroVariance);
                assert_eq!((ours.slope, ours.intercept), (why, why), "{what}");
                assert!(want["exact"]["slope"].is_null());
                continue;
            }
            let (slope, intercept) = (ours.slope.value().unwrap(), ours.intercept.value().unwrap());
            for source in ["scipy", "exact"] {
                check(
                    &format!("{what} {source} slope"),
                    slope,
                    num(&want[source]["slope"]),
                    SIEGEL_REL,
                );
                check(
                    &format!("{what} {source} intercept"),
                    intercept,
                    num(&want[source]["intercept"]),
                    SIEGEL_REL,
                );
            }
            compared += 1;
        }
    }
    assert!(compared >= 36, "only {compared} Siegel comparisons");
    report("siegel");
}

#[test]
fn siegel_refuses_what_it_cannot_use() {
    let options = SiegelOptions::default();
    assert!(matches!(
        siegel_slopes(&[1.0], &[2.0], options),
        Err(Error::TooFewPoints {
            needed: 2,
            found: 1
        })
    ));
    assert!(matches!(
        siegel_slopes(&[1.0, 2.0], &[2.0], options),
        Err(Error::LengthMismatch { .. })
    ));
    assert!(matches!(
        siegel_slopes(&[1.0, f64::NAN], &[2.0, 3.0], options),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        siegel_slope(&Series::from_values(vec![4.0]).unwrap(), options),
        Err(Error::TooFewPoints {
            needed: 2,
            found: 1
        })
    ));
}
