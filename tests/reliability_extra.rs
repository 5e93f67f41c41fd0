//! The ICC test against r0, the alpha intervals beyond Feldt and McDonald's omega against the
//! stored references of `tests/reference/` (`icc_r0_irr.R`, `reliability_extra.R`).
#![allow(clippy::unwrap_used)] // test helpers fail loudly on malformed reference files

mod common;

use alliance::agreement::{IccForm, IccUnit, icc_test};
use alliance::{Outcome, PMethod, Ratings, Undefined};
use serde_json::Value;

/// Relative agreement of the ICC test with irr and McGraw & Wong's Table 8.
const ICC_TOLERANCE: f64 = 1e-9;

/// Relative to the larger magnitude (absolute floor 1e-300): p-values near 0 keep their digits.
#[track_caller]
fn check(what: &str, got: f64, want: f64, tolerance: f64, worst: &mut f64) {
    let diff = (got - want).abs();
    if want != 0.0 {
        *worst = worst.max(diff / want.abs());
    }
    assert!(
        diff <= tolerance * got.abs().max(want.abs()) || diff <= 1e-300,
        "{what}: got {got:e}, want {want:e}"
    );
}

fn matrix(v: &Value) -> Ratings {
    let rows = v.as_array().unwrap();
    let k = rows[0].as_array().unwrap().len();
    let cells = rows
        .iter()
        .flat_map(|r| r.as_array().unwrap().iter().map(Value::as_f64))
        .collect();
    Ratings::with_missing(rows.len(), k, cells).unwrap()
}

fn form(v: &Value) -> (IccForm, IccUnit) {
    let form = match v["form"].as_str().unwrap() {
        "OneWay" => IccForm::OneWay,
        "TwoWayAgreement" => IccForm::TwoWayAgreement,
        _ => IccForm::TwoWayConsistency,
    };
    let unit = match v["unit"].as_str().unwrap() {
        "Single" => IccUnit::Single,
        _ => IccUnit::Average,
    };
    (form, unit)
}

/// F, df and p of every form at every r0: F against irr and Table 8; df2 and p against
/// Table 8, and against irr too where irr follows it (one-way and consistency forms; irr's
/// agreement df2 is the interval's v, see the README). Infinite and 0/0 references map to
/// the typed undefined values.
#[test]
fn icc_test_matches_irr_and_mcgraw_wong_table_8() {
    let reference = common::reference("icc_r0_irr.json");
    let cases = reference["cases"].as_array().unwrap();
    assert!(cases.len() >= 15);
    let mut worst = 0.0f64;
    let mut compared = 0;
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let r = matrix(&case["data"]);
        for t in case["tests"].as_array().unwrap() {
            let (form, unit) = form(t);
            let r0 = t["r0"].as_f64().unwrap();
            let got = icc_test(&r, form, unit, r0).unwrap();
            let what = |s: &str| format!("{name} {} r0 = {r0} {s}", got.name);
            let (mw, irr) = (&t["mw"], &t["irr"]);
            assert_eq!(got.df1, mw["df1"].as_f64().unwrap(), "{}", what("df1"));
            assert_eq!(got.p_method, PMethod::F);
            assert_eq!(got.r0, r0);
            match mw["F"].as_str() {
                Some("Inf") => {
                    assert_eq!(got.f, Outcome::Undefined(Undefined::ZeroErrorVariance));
                    assert_eq!(got.p, Outcome::Defined(0.0), "{}", what("p"));
                }
                Some(_) => {
                    assert_eq!(got.f, Outcome::Undefined(Undefined::IndeterminateF));
                    assert_eq!(got.p, Outcome::Undefined(Undefined::IndeterminateF));
                }
                None => {
                    let f = got.f.value().unwrap();
                    check(
                        &what("F mw"),
                        f,
                        mw["F"].as_f64().unwrap(),
                        ICC_TOLERANCE,
                        &mut worst,
                    );
                    check(
                        &what("F irr"),
                        f,
                        irr["F"].as_f64().unwrap(),
                        ICC_TOLERANCE,
                        &mut worst,
                    );
                    let p = got.p.value().unwrap();
                    check(
                        &what("p mw"),
                        p,
                        mw["p"].as_f64().unwrap(),
                        ICC_TOLERANCE,
                        &mut worst,
                    );
                    if form != IccForm::TwoWayAgreement {
                        check(
                            &what("p irr"),
                            p,
                            irr["p"].as_f64().unwrap(),
                            ICC_TOLERANCE,
                            &mut worst,
                        );
                    }
                    compared += 1;
                }
            }
            match mw["df2"].as_f64() {
                Some(df2) => {
                    check(
                        &what("df2 mw"),
                        got.df2.value().unwrap(),
                        df2,
                        ICC_TOLERANCE,
                        &mut worst,
                    );
                    if form != IccForm::TwoWayAgreement {
                        assert_eq!(got.df2.value(), irr["df2"].as_f64(), "{}", what("df2 irr"));
                    }
                }
                // 0/0 in Table 8: a = 0 (r0 = 0) has the plain test's limit (n − 1)(k − 1)
                None if r0 == 0.0 => {
                    let (n, k) = (got.n as f64, got.raters as f64);
                    assert_eq!(
                        got.df2,
                        Outcome::Defined((n - 1.0) * (k - 1.0)),
                        "{}",
                        what("df2")
                    );
                }
                None => assert_eq!(
                    got.df2,
                    Outcome::Undefined(Undefined::DegenerateDegreesOfFreedom),
                    "{}",
                    what("df2")
                ),
            }
        }
    }
    assert!(compared >= 400, "{compared}");
    println!("icc_test: {compared} finite comparisons, largest relative error {worst:e}");
}

#[test]
fn icc_test_refuses_a_null_value_outside_0_to_1() {
    let r = Ratings::from_rows(&[[1.0, 2.0], [3.0, 3.0], [4.0, 6.0]]).unwrap();
    for r0 in [1.0, -0.1, f64::NAN, f64::INFINITY] {
        let e = icc_test(&r, IccForm::OneWay, IccUnit::Single, r0).unwrap_err();
        assert_eq!(e.code(), "invalid_null_icc", "{r0}");
    }
    // the undefined path keeps every defined count
    let same = Ratings::from_rows(&[[3.0, 3.0], [3.0, 3.0], [3.0, 3.0]]).unwrap();
    let t = icc_test(&same, IccForm::TwoWayAgreement, IccUnit::Single, 0.5).unwrap();
    assert_eq!(t.f, Outcome::Undefined(Undefined::IndeterminateF));
    assert_eq!((t.n, t.raters, t.df1, t.dropped), (3, 2, 2.0, 0));
}
