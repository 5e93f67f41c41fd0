//! Cronbach's alpha and item analysis against pingouin 0.6.1, R psych 2.2.9 and an
//! independent formula re-computation (`tests/reference/continuous_reference.py`).
#![allow(clippy::unwrap_used)] // test helpers fail loudly on malformed reference files

mod common;

use alliance::Ratings;
use alliance::reliability::{
    FeldtN, PairwiseOptions, cronbach_alpha, cronbach_alpha_pairwise, item_analysis,
    standard_error_of_measurement,
};
use alliance::{CaseDeletion, IntervalMethod};
use alliance::{Error, Level};
use alliance::{Outcome, Undefined};
use serde_json::Value;

/// Relative agreement of every reference comparison in this file.
const TOLERANCE: f64 = 1e-9;

/// Relative to the larger magnitude, as this file always checked: `common::close` is absolute
/// below 1, which would loosen the check on coefficients near 0 (an r.drop of 0.001).
#[track_caller]
fn check(what: &str, got: f64, want: f64, worst: &mut f64) {
    *worst = worst.max((got - want).abs() / want.abs());
    assert!(
        (got - want).abs() <= TOLERANCE * got.abs().max(want.abs()),
        "{what}: got {got:e}, want {want:e}"
    );
}

fn pairwise(r: &Ratings, feldt_n: FeldtN) -> alliance::reliability::CronbachAlpha {
    cronbach_alpha_pairwise(
        r,
        Level::default(),
        PairwiseOptions::default().with_feldt_n(feldt_n),
    )
    .unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
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

#[test]
fn alpha_matches_pingouin_psych_and_feldt_recomputation() {
    let reference = common::reference("cronbach_reference.json");
    let cases = reference["cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    let mut worst = 0.0f64;
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let r = matrix(&case["data"]);
        let ia = item_analysis(&r, Level::default()).unwrap();
        let a = cronbach_alpha(&r, Level::default()).unwrap();
        assert_eq!(a, ia.alpha, "{name}: both routes agree");
        let raw = a.coefficient.value().unwrap();
        assert_eq!(a.ci_method, IntervalMethod::Feldt);
        let (pg, ps, re) = (
            &case["pingouin"],
            &case["psych"],
            &case["formula_recomputation"],
        );
        check(
            &format!("{name} alpha pingouin"),
            raw,
            f(&pg["alpha"]),
            &mut worst,
        );
        check(
            &format!("{name} alpha recomputation"),
            raw,
            f(&re["alpha"]),
            &mut worst,
        );
        let ci = a.ci.defined().unwrap();
        check(
            &format!("{name} feldt lo"),
            ci.lower,
            f(&re["lower"]),
            &mut worst,
        );
        check(
            &format!("{name} feldt hi"),
            ci.upper,
            f(&re["upper"]),
            &mut worst,
        );
        assert_eq!(a.n as f64, f(&re["n"]), "{name} n after deletion");
        assert_eq!((a.n + a.dropped, a.ci_n), (r.targets(), a.n));
        let missing = r.missing() > 0;
        if !missing {
            // pingouin rounds to 3 decimals (and uses n before deletion, so only without gaps)
            let pr = &pg["ci_rounded_3dp_n_before_deletion"];
            assert!(
                (ci.lower - f(&pr[0])).abs() <= 0.0005 + 1e-12,
                "{name} pg lo"
            );
            assert!(
                (ci.upper - f(&pr[1])).abs() <= 0.0005 + 1e-12,
                "{name} pg hi"
            );
        }
        if name.contains("constant_item") {
            // psych drops the zero-variance item silently: its alpha differs by design
            assert_eq!(a.standardized, Outcome::Undefined(Undefined::ZeroVariance));
            assert!(
                (raw - f(&ps["raw_alpha"])).abs() > 0.05,
                "{name}: psych's value differs"
            );
            continue;
        }
        check(
            &format!("{name} alpha psych"),
            raw,
            f(&ps["raw_alpha"]),
            &mut worst,
        );
        check(
            &format!("{name} std alpha psych"),
            a.standardized.value().unwrap(),
            f(&ps["std_alpha"]),
            &mut worst,
        );
        if r.raters() < 3 {
            assert!(
                ia.items.iter().all(
                    |i| i.alpha_if_deleted == Outcome::Undefined(Undefined::TooFewObservations)
                )
            );
            continue;
        }
        for (j, item) in ia.items.iter().enumerate() {
            check(
                &format!("{name} item {j} alpha if deleted"),
                item.alpha_if_deleted.defined().unwrap(),
                f(&ps["drop_raw_alpha"][j]),
                &mut worst,
            );
            check(
                &format!("{name} item {j} r.drop"),
                item.corrected_item_total.defined().unwrap(),
                f(&ps["r_drop"][j]),
                &mut worst,
            );
        }
    }
    println!(
        "Cronbach: {} cases, max relative error {worst:e}",
        cases.len()
    );
}

#[test]
fn zero_variance_item_is_kept() {
    // item 3 constant: kept in k and in the sum of variances (psych would drop it)
    let r = Ratings::from_rows(&[
        [1.0, 2.0, 3.0],
        [2.0, 3.0, 3.0],
        [3.0, 3.0, 3.0],
        [4.0, 5.0, 3.0],
    ])
    .unwrap();
    let a = cronbach_alpha(&r, Level::default()).unwrap();
    assert_eq!(a.items, 3);
    // var1 = 5/3, var2 = 1.5833.., total = x1 + x2 + 3, var(x1 + x2) = 6.25
    let (v1, v2, vt) = (5.0 / 3.0, 19.0 / 12.0, 25.0 / 4.0);
    let want = 1.5 * (1.0 - (v1 + v2) / vt);
    assert!((a.coefficient.value().unwrap() - want).abs() < 1e-12);
}

#[test]
fn all_constant_is_undefined() {
    let r = Ratings::from_rows(&[[2.0, 2.0], [2.0, 2.0], [2.0, 2.0]]).unwrap();
    let a = cronbach_alpha(&r, Level::default()).unwrap();
    assert_eq!(a.coefficient, Outcome::Undefined(Undefined::ConstantValues));
    assert_eq!(
        a.standardized,
        Outcome::Undefined(Undefined::ConstantValues)
    );
    assert_eq!(a.ci, Outcome::Undefined(Undefined::ConstantValues));
    // items that cancel: the total is constant while items vary
    let c = Ratings::from_rows(&[[1.0, 3.0], [2.0, 2.0], [3.0, 1.0]]).unwrap();
    let b = cronbach_alpha(&c, Level::default()).unwrap();
    assert_eq!(
        b.coefficient,
        Outcome::Undefined(Undefined::ZeroDenominator)
    );
}

#[test]
fn listwise_deletion_counts_and_too_few() {
    let r = Ratings::with_missing(
        3,
        2,
        vec![Some(1.0), Some(2.0), None, Some(3.0), Some(4.0), Some(4.0)],
    )
    .unwrap();
    let a = cronbach_alpha(&r, Level::default()).unwrap();
    assert_eq!((a.n, a.dropped), (2, 1));
    let one = Ratings::with_missing(2, 2, vec![Some(1.0), None, Some(2.0), Some(3.0)]).unwrap();
    assert_eq!(
        cronbach_alpha(&one, Level::default()).unwrap_err(),
        Error::TooFewRespondents { found: 1 }
    );
}

#[test]
fn sem_formula_and_errors() {
    assert!((standard_error_of_measurement(10.0, 0.91).unwrap() - 3.0).abs() < 1e-12);
    assert_eq!(standard_error_of_measurement(4.0, 1.0).unwrap(), 0.0);
    for (sd, rel) in [
        (-1.0, 0.5),
        (f64::NAN, 0.5),
        (1.0, 1.1),
        (1.0, -0.2),
        (1.0, f64::NAN),
    ] {
        assert!(matches!(
            standard_error_of_measurement(sd, rel),
            Err(Error::InvalidSd { .. } | Error::ReliabilityOutOfRange { .. })
        ));
    }
}

#[test]
fn pairwise_alpha_matches_pingouin_and_recomputation() {
    let reference = common::reference("cronbach_reference.json");
    let cases = reference["pairwise_cases"].as_array().unwrap();
    assert!(cases.len() >= 5);
    let mut worst = 0.0f64;
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let r = matrix(&case["data"]);
        assert!(r.missing() > 0);
        let a = pairwise(&r, FeldtN::SmallestPairwise);
        assert_eq!(a.missing, CaseDeletion::Pairwise);
        let raw = a.coefficient.value().unwrap();
        let re = &case["formula_recomputation"];
        check(
            &format!("{name} pingouin"),
            raw,
            f(&case["pingouin"]["alpha"]),
            &mut worst,
        );
        check(
            &format!("{name} recomputation"),
            raw,
            f(&re["alpha"]),
            &mut worst,
        );
        assert_eq!(a.n as f64, f(&re["n"]), "{name} smallest pairwise n");
        assert_eq!((a.ci_n, a.n + a.dropped), (a.n, r.targets()));
        let ci = a.ci.defined().unwrap();
        check(
            &format!("{name} feldt lo"),
            ci.lower,
            f(&re["lower"]),
            &mut worst,
        );
        check(
            &format!("{name} feldt hi"),
            ci.upper,
            f(&re["upper"]),
            &mut worst,
        );
    }
    println!(
        "pairwise Cronbach: {} cases, max relative error {worst:e}",
        cases.len()
    );
}

#[test]
fn pairwise_equals_listwise_without_gaps() {
    let r = Ratings::from_rows(&[
        [4.0, 5.0, 4.0],
        [2.0, 3.0, 3.0],
        [5.0, 5.0, 4.0],
        [3.0, 2.0, 2.0],
    ])
    .unwrap();
    let (p, l) = (
        pairwise(&r, FeldtN::SmallestPairwise),
        cronbach_alpha(&r, Level::default()).unwrap(),
    );
    assert!((p.coefficient.value().unwrap() - l.coefficient.value().unwrap()).abs() < 1e-12);
    assert!((p.standardized.value().unwrap() - l.standardized.value().unwrap()).abs() < 1e-12);
    assert_eq!(p.n, l.n);
}

/// Regression: huge non-integer answers on an odd item count over more rows than one exact
/// block used to keep feeding the i128 totals (overflow panic in debug, silent wrap in
/// release). They must take the floating-point path and never panic.
#[test]
fn huge_values_over_many_blocks_do_not_overflow() {
    let rows = 3_000;
    let cells: Vec<f64> = (0..rows * 3)
        .map(|i| {
            if i % 2 == 0 {
                1e100
            } else {
                -1e100 * (1.0 - (i % 7) as f64 * 1e-15)
            }
        })
        .collect();
    let r = Ratings::new(rows, 3, cells).unwrap();
    // At the edge of the numeric domain: a finite value or a typed reason, never a panic or
    // a NaN; beyond it, refused at the door.
    let a = cronbach_alpha(&r, Level::default()).unwrap();
    if let Outcome::Defined(v) = a.coefficient {
        assert!(v.is_finite() && v <= 1.0, "{a:?}");
    }
    assert!(Ratings::new(1, 2, vec![1e300, 1.0]).is_err());
}

/// One-decimal answers whose row totals are all 0.9 (issues 14 and 15): the total has no
/// variance, so alpha is undefined, in any item or row order, listwise and pairwise (it was
/// -1.44e31 because rounded binary totals differ in the last bit).
#[test]
fn alpha_equal_decimal_totals_are_a_zero_denominator_in_any_order() {
    let rows = [
        [0.4, 0.2, 0.3],
        [0.1, 0.4, 0.4],
        [0.0, 0.4, 0.5],
        [0.2, 0.2, 0.5],
    ];
    let permutations = [[0, 1, 2], [2, 1, 0], [1, 2, 0], [0, 2, 1]];
    for p in permutations {
        for reverse_rows in [false, true] {
            let mut permuted: Vec<[f64; 3]> =
                rows.iter().map(|r| [r[p[0]], r[p[1]], r[p[2]]]).collect();
            if reverse_rows {
                permuted.reverse();
            }
            let r = Ratings::from_rows(&permuted).unwrap();
            for a in [
                cronbach_alpha(&r, Level::default()).unwrap(),
                pairwise(&r, FeldtN::SmallestPairwise),
            ] {
                assert_eq!(
                    a.coefficient,
                    Outcome::Undefined(Undefined::ZeroDenominator),
                    "{permuted:?}"
                );
            }
            // times 10 they are integers, decided exactly: the same answer
            let tens: Vec<[f64; 3]> = permuted.iter().map(|r| r.map(|x| x * 10.0)).collect();
            let a = cronbach_alpha(&Ratings::from_rows(&tens).unwrap(), Level::default()).unwrap();
            assert_eq!(
                a.coefficient,
                Outcome::Undefined(Undefined::ZeroDenominator)
            );
        }
    }
}

/// Pairwise deletion against R psych 2.2.9 `alpha(use = "pairwise")`
/// (`tests/reference/cronbach_pairwise_psych.R`): raw and standardized alpha, and Feldt's
/// interval on every row ([`FeldtN::AllRespondents`], psych's and pingouin's n), which also
/// matches pingouin 0.6.1's 3-decimal interval.
#[test]
fn pairwise_all_respondents_matches_psych_and_pingouin() {
    let psych = common::reference("cronbach_pairwise_psych.json");
    let reference = common::reference("cronbach_reference.json");
    let cases = psych["cases"].as_array().unwrap();
    let pingouin = reference["pairwise_cases"].as_array().unwrap();
    assert!(cases.len() >= 5 && cases.len() == pingouin.len());
    let mut worst = 0.0f64;
    for (ps, pg) in cases.iter().zip(pingouin) {
        let name = ps["name"].as_str().unwrap();
        assert_eq!(Some(name), pg["name"].as_str());
        let r = matrix(&pg["data"]);
        let a = pairwise(&r, FeldtN::AllRespondents);
        assert_eq!(a.ci_n as f64, f(&ps["n_obs"]), "{name} every row");
        assert_eq!(a.ci_n, r.targets());
        check(
            &format!("{name} psych raw"),
            a.coefficient.value().unwrap(),
            f(&ps["raw_alpha"]),
            &mut worst,
        );
        assert!(!ps["smoothed"].as_bool().unwrap(), "{name}: psych smoothed");
        check(
            &format!("{name} psych std"),
            a.standardized.value().unwrap(),
            f(&ps["std_alpha"]),
            &mut worst,
        );
        let ci = a.ci.value().unwrap();
        check(
            &format!("{name} psych feldt lo"),
            ci.lower,
            f(&ps["feldt_lower"]),
            &mut worst,
        );
        check(
            &format!("{name} psych feldt hi"),
            ci.upper,
            f(&ps["feldt_upper"]),
            &mut worst,
        );
        let rounded = &pg["pingouin"]["ci_rounded_3dp_n_all_rows"];
        assert!(
            (ci.lower - f(&rounded[0])).abs() <= 0.0005 + 1e-12,
            "{name} pg lo"
        );
        assert!(
            (ci.upper - f(&rounded[1])).abs() <= 0.0005 + 1e-12,
            "{name} pg hi"
        );
        // the smallest-pairwise choice changes the interval only
        let b = pairwise(&r, FeldtN::SmallestPairwise);
        assert_eq!(
            (b.coefficient, b.standardized),
            (a.coefficient, a.standardized)
        );
        assert!(b.ci_n < a.ci_n && b.ci.value().unwrap().lower < ci.lower);
    }
    println!("pairwise vs psych: max relative error {worst:e}");
}

/// Undefined never erases what is defined: on constant answers every count stays.
#[test]
fn undefined_alpha_keeps_every_count() {
    let constant = Ratings::with_missing(
        4,
        3,
        vec![
            Some(2.0),
            Some(2.0),
            Some(2.0),
            Some(2.0),
            None,
            Some(2.0),
            Some(2.0),
            Some(2.0),
            Some(2.0),
            Some(2.0),
            Some(2.0),
            Some(2.0),
        ],
    )
    .unwrap();
    let why = Outcome::Undefined(Undefined::ConstantValues);
    let a = cronbach_alpha(&constant, Level::default()).unwrap();
    assert_eq!(
        (a.coefficient, a.standardized, a.ci.undefined()),
        (why, why, Some(Undefined::ConstantValues))
    );
    assert_eq!((a.n, a.dropped, a.items, a.ci_n), (3, 1, 3, 3));
    assert_eq!(
        (a.missing, a.ci_method),
        (CaseDeletion::Listwise, IntervalMethod::Feldt)
    );
    let ia = item_analysis(&constant, Level::default()).unwrap();
    assert_eq!(ia.alpha, a);
    assert_eq!(ia.items.len(), 3);
    assert!(
        ia.items
            .iter()
            .all(|i| i.mean == Outcome::Defined(2.0) && i.sd == Outcome::Defined(0.0))
    );
    for feldt_n in [FeldtN::SmallestPairwise, FeldtN::AllRespondents] {
        let p = pairwise(&constant, feldt_n);
        assert_eq!((p.coefficient, p.standardized), (why, why));
        assert_eq!((p.n, p.dropped, p.items), (3, 1, 3));
        assert_eq!(
            p.ci_n,
            if feldt_n == FeldtN::AllRespondents {
                4
            } else {
                3
            }
        );
        assert_eq!(p.missing, CaseDeletion::Pairwise);
    }
}

/// The text of every reliability error, as a clinician reads it.
#[test]
fn reliability_error_messages_are_sentences() {
    let one = Ratings::with_missing(2, 2, vec![Some(1.0), None, Some(2.0), Some(3.0)]).unwrap();
    assert_eq!(
        cronbach_alpha(&one, Level::default())
            .unwrap_err()
            .to_string(),
        "at least 2 respondents who answered every item are needed, found 1"
    );
    let sparse = Ratings::with_missing(
        3,
        2,
        vec![Some(1.0), None, None, Some(2.0), Some(3.0), Some(4.0)],
    )
    .unwrap();
    assert_eq!(
        cronbach_alpha_pairwise(&sparse, Level::default(), PairwiseOptions::default())
            .unwrap_err()
            .to_string(),
        "every pair of items needs 2 respondents who answered both; the sparsest pair has 1"
    );
    assert_eq!(
        standard_error_of_measurement(-1.0, 0.5)
            .unwrap_err()
            .to_string(),
        "the standard deviation is -1; it must be 0 or a positive number from 1e-100 to 1e100"
    );
    assert_eq!(
        standard_error_of_measurement(1.0, 1.2)
            .unwrap_err()
            .to_string(),
        "the reliability is 1.2; it must lie between 0 and 1"
    );
}
