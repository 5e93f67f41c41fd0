//! ICC, concordance, Bland-Altman, correlations and discrepancy against published values and
//! the stored references of `tests/reference/` (see `continuous_reference.py` for sources).
#![allow(clippy::unwrap_used)] // test helpers fail loudly on malformed reference files

use alliance::Ratings;
use alliance::agreement::{
    IccForm, IccUnit, bland_altman, bland_altman_with_multiplier, concordance, discrepancy, icc,
    icc_table, pearson, spearman,
};
use alliance::{Error, Level};
use alliance::{Outcome, Undefined};
use serde_json::Value;

/// 1e-9 relative. One exception: where the crate computes an exact 0 (dyadic data, exact
/// integer sums of squares) and the reference prints rounding noise below 1e-12 (psych and
/// pingouin give ICC = -6.9e-16 for an ICC that is 0 in exact arithmetic).
#[allow(clippy::float_cmp)] // the exact zero is the point
fn close(got: f64, want: f64) -> bool {
    if got == 0.0 && want.abs() < 1e-12 {
        return true;
    }
    let diff = (got - want).abs();
    diff <= 1e-9 * got.abs().max(want.abs()) || diff <= 1e-300
}

#[track_caller]
fn check(what: &str, got: f64, want: f64, worst: &mut f64) {
    let rel = (got - want).abs() / want.abs().max(1e-300);
    if want.abs() > 1e-12 && rel > *worst {
        *worst = rel;
        if rel > 1e-11 {
            println!("worst so far: {what}: got {got:e}, want {want:e}");
        }
    }
    assert!(close(got, want), "{what}: got {got:e}, want {want:e}");
}

fn load(name: &str) -> Value {
    let path = format!("{}/tests/reference/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
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

fn level() -> Level {
    Level::default()
}

#[test]
fn shrout_fleiss_1979_published_values() {
    let r = Ratings::from_rows(&[
        [9.0, 2.0, 5.0, 8.0],
        [6.0, 1.0, 3.0, 2.0],
        [8.0, 4.0, 6.0, 8.0],
        [7.0, 1.0, 2.0, 6.0],
        [10.0, 5.0, 6.0, 9.0],
        [6.0, 2.0, 4.0, 7.0],
    ])
    .unwrap();
    let t = icc_table(&r, level()).unwrap();
    // Shrout & Fleiss (1979), Table 4, printed to 2 decimals
    let published = [0.17, 0.29, 0.71, 0.44, 0.62, 0.91];
    for (icc, want) in t.all().iter().zip(published) {
        let v = icc.value().unwrap();
        assert!(
            (v - want).abs() <= 0.005,
            "{} = {v}, published {want}",
            icc.shrout_fleiss
        );
    }
    let names: Vec<_> = t.all().iter().map(|i| i.shrout_fleiss).collect();
    assert_eq!(
        names,
        [
            "ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)"
        ]
    );
}

#[test]
fn icc_matches_psych_and_pingouin() {
    let reference = load("icc_reference.json");
    let cases = reference["cases"].as_array().unwrap();
    assert!(cases.len() >= 21);
    let mut worst = 0.0f64;
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let r = matrix(&case["data"]);
        let t = icc_table(&r, level()).unwrap();
        let (ps, pg, re) = (
            &case["psych"],
            &case["pingouin"],
            &case["formula_recomputation"],
        );
        let ms = t.agreement_single.mean_squares;
        for (got, key) in [
            (ms.rows, "rows"),
            (ms.columns, "columns"),
            (ms.error, "error"),
            (ms.within, "within"),
        ] {
            check(
                &format!("{name} MS {key}"),
                got,
                f(&re["ms"][key]),
                &mut worst,
            );
        }
        for (i, icc) in t.all().iter().enumerate() {
            let e = icc.outcome.defined().unwrap();
            let what = |s: &str| format!("{name} {} {s}", icc.name);
            check(&what("ICC psych"), e.value, f(&ps["ICC"][i]), &mut worst);
            check(&what("ICC pingouin"), e.value, f(&pg["ICC"][i]), &mut worst);
            check(&what("F psych"), e.f, f(&ps["F"][i]), &mut worst);
            check(&what("F pingouin"), e.f, f(&pg["F"][i]), &mut worst);
            assert_eq!(e.df1, f(&ps["df1"][i]), "{}", what("df1"));
            assert_eq!(e.df2, f(&ps["df2"][i]), "{}", what("df2"));
            check(&what("p psych"), e.p, f(&ps["p"][i]), &mut worst);
            check(&what("p pingouin"), e.p, f(&pg["pval"][i]), &mut worst);
            let ci = e.ci.unwrap();
            check(
                &what("lower psych"),
                ci.lower,
                f(&ps["lower"][i]),
                &mut worst,
            );
            check(
                &what("upper psych"),
                ci.upper,
                f(&ps["upper"][i]),
                &mut worst,
            );
            check(
                &what("lower formula"),
                ci.lower,
                f(&re["lower"][i]),
                &mut worst,
            );
            check(
                &what("upper formula"),
                ci.upper,
                f(&re["upper"][i]),
                &mut worst,
            );
            // pingouin prints its interval rounded to 2 decimals
            let rounded = &pg["ci95_rounded_2dp"][i];
            assert!(
                (ci.lower - f(&rounded[0])).abs() <= 0.005 + 1e-12,
                "{}",
                what("pg lower")
            );
            assert!(
                (ci.upper - f(&rounded[1])).abs() <= 0.005 + 1e-12,
                "{}",
                what("pg upper")
            );
        }
        assert_eq!(
            t.agreement_single.targets + t.agreement_single.targets_dropped,
            r.targets()
        );
        assert_eq!(t.agreement_single.targets, r.complete_targets());
    }
    println!("ICC: {} cases, max relative error {worst:e}", cases.len());
}

#[test]
fn icc_single_form_equals_table_entry() {
    let r = Ratings::from_rows(&[
        [1.0, 2.0, 2.0],
        [3.0, 3.0, 4.0],
        [5.0, 4.0, 6.0],
        [2.0, 2.0, 1.0],
    ])
    .unwrap();
    let t = icc_table(&r, level()).unwrap();
    for form in [
        IccForm::OneWay,
        IccForm::TwoWayAgreement,
        IccForm::TwoWayConsistency,
    ] {
        for unit in [IccUnit::Single, IccUnit::Average] {
            assert_eq!(icc(&r, form, unit, level()).unwrap(), t.get(form, unit));
        }
    }
}

#[test]
fn icc_constant_ratings_are_undefined_not_noise() {
    let r = Ratings::from_rows(&[[4.0, 4.0, 4.0], [4.0, 4.0, 4.0], [4.0, 4.0, 4.0]]).unwrap();
    for i in icc_table(&r, level()).unwrap().all() {
        assert_eq!(i.outcome, Outcome::Undefined(Undefined::ConstantValues));
    }
}

#[test]
fn icc_identical_raters_give_one_with_infinite_f() {
    let r = Ratings::from_rows(&[[1.1, 1.1], [2.7, 2.7], [3.3, 3.3], [0.2, 0.2]]).unwrap();
    for i in icc_table(&r, level()).unwrap().all() {
        let e = i.outcome.defined().unwrap();
        assert_eq!(e.value, 1.0, "{}", i.name);
        assert_eq!(e.f, f64::INFINITY);
        assert_eq!(e.p, 0.0);
        let ci = e.ci.unwrap();
        assert_eq!((ci.lower, ci.upper), (1.0, 1.0), "{}", i.name);
    }
}

#[test]
fn icc_offset_rater_consistency_one_agreement_below() {
    // rater 2 = rater 1 + 1 exactly: no residual, consistency 1, agreement < 1
    let r = Ratings::from_rows(&[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [2.0, 3.0]]).unwrap();
    let t = icc_table(&r, level()).unwrap();
    assert_eq!(t.consistency_single.value(), Some(1.0));
    let a = t.agreement_single.value().unwrap();
    assert!(a < 1.0 && a > 0.0);
    assert_eq!(t.agreement_single.mean_squares.error, 0.0);
}

#[test]
fn icc_targets_equal_average_forms_undefined() {
    // row means all 2: MSR = 0 exactly, residual present
    let r = Ratings::from_rows(&[[1.0, 3.0], [3.0, 1.0], [2.0, 2.0]]).unwrap();
    let t = icc_table(&r, level()).unwrap();
    assert_eq!(
        t.consistency_average.outcome.undefined(),
        Some(Undefined::NoTargetVariance)
    );
    assert_eq!(
        t.one_way_average.outcome.undefined(),
        Some(Undefined::NoTargetVariance)
    );
    let single = t.consistency_single.outcome.defined().unwrap();
    assert_eq!((single.value, single.f, single.p), (-1.0, 0.0, 1.0));
}

/// The shrunk case of a property-test failure (issue 15): the denominator of ICC(A,k),
/// MSR + (MSC − MSE)/n = 53/40 + (91/15 − 1523/120)/5, is exactly zero. It must read as
/// zero on the integers, after a dyadic affine change (exact sums), after a non-dyadic one
/// (rounded sums) and with the rows in another order, never as 2.6e16.
#[test]
fn icc_agreement_average_zero_denominator_is_decided_exactly() {
    let cells = [
        0., 5., 3., 10., 7., 4., 10., 3., 9., 4., 7., 1., 2., 3., 6., 9., 1., 7., 5., 6.,
    ];
    let reversed: Vec<f64> = cells.chunks(4).rev().flatten().copied().collect();
    let variants: [Vec<f64>; 4] = [
        cells.to_vec(),
        cells.iter().map(|x| 3.0 * x - 3.0).collect(),
        cells.iter().map(|x| 0.1 * x + 1.3).collect(),
        reversed.iter().map(|x| 0.1 * x + 1.3).collect(),
    ];
    // a second shrunk case (2 targets x 5 raters): MSR + (MSC − MSE)/n = 1/10 + (93/20 − 97/20)/2
    let two_by_five = [9., 3., 10., 5., 9., 8., 7., 7., 8., 7.];
    let cases = variants.into_iter().map(|v| (5, 4, v)).chain([
        (2, 5, two_by_five.to_vec()),
        (2, 5, two_by_five.map(|x| 0.1 * x).to_vec()),
    ]);
    for (n, k, v) in cases {
        let t = icc_table(&Ratings::new(n, k, v.clone()).unwrap(), level()).unwrap();
        assert_eq!(
            t.agreement_average.outcome,
            Outcome::Undefined(Undefined::ZeroDenominator),
            "{v:?}"
        );
        // the other five forms stay defined
        for i in t.all() {
            if i.name != "ICC(A,k)" {
                assert!(i.outcome.is_defined(), "{} on {v:?}", i.name);
            }
        }
    }
}

/// Decimal ratings whose row means are all equal (MSR = 0 in the data) although the rounded
/// binary sums differ (0.1 + 0.2 = 0.30000000000000004 but 0.15 + 0.15 = 0.3): MSR is zero
/// and the average forms are undefined, in any row or rater order.
#[test]
fn icc_zero_target_variance_on_decimal_ratings_is_decided_up_to_rounding() {
    let rows = [[0.1, 0.2], [0.2, 0.1], [0.15, 0.15]];
    let orders = [
        rows.to_vec(),
        rows.iter().rev().copied().collect(),
        rows.iter().map(|r| [r[1], r[0]]).collect::<Vec<_>>(),
    ];
    for r in orders {
        let t = icc_table(&Ratings::from_rows(&r).unwrap(), level()).unwrap();
        assert_eq!(t.consistency_single.mean_squares.rows, 0.0, "{r:?}");
        assert_eq!(
            t.consistency_average.outcome.undefined(),
            Some(Undefined::NoTargetVariance),
            "{r:?}"
        );
    }
}

#[test]
fn icc_listwise_deletion_reports_dropped_targets() {
    let r = Ratings::with_missing(
        4,
        2,
        vec![
            Some(1.0),
            Some(2.0),
            None,
            Some(3.0),
            Some(4.0),
            Some(4.5),
            Some(2.0),
            Some(2.0),
        ],
    )
    .unwrap();
    let i = icc(&r, IccForm::TwoWayAgreement, IccUnit::Single, level()).unwrap();
    assert_eq!((i.targets, i.targets_dropped), (3, 1));
    let complete = Ratings::from_rows(&[[1.0, 2.0], [4.0, 4.5], [2.0, 2.0]]).unwrap();
    let j = icc(
        &complete,
        IccForm::TwoWayAgreement,
        IccUnit::Single,
        level(),
    )
    .unwrap();
    assert_eq!(i.outcome, j.outcome);
    let too_few = Ratings::with_missing(2, 2, vec![Some(1.0), None, Some(2.0), Some(3.0)]).unwrap();
    assert_eq!(
        icc_table(&too_few, level()).unwrap_err(),
        Error::TooFew {
            what: "complete targets",
            needed: 2,
            found: 1
        }
    );
}

#[test]
fn paired_methods_match_scipy_pingouin_and_recomputation() {
    let reference = load("continuous_reference.json");
    let cases = reference["cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    let mut worst = 0.0f64;
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let vec = |k: &str| -> Vec<f64> { case[k].as_array().unwrap().iter().map(f).collect() };
        let (x, y) = (vec("x"), vec("y"));
        let n = x.len();
        // Pearson
        let p = pearson(&x, &y, level()).unwrap();
        let sp = &case["scipy_pearsonr"];
        check(
            &format!("{name} pearson r"),
            p.r.defined().unwrap(),
            f(&sp["r"]),
            &mut worst,
        );
        check(
            &format!("{name} pearson p"),
            p.p.defined().unwrap(),
            f(&sp["p"]),
            &mut worst,
        );
        let ci = p.ci.defined().unwrap();
        check(
            &format!("{name} pearson lo"),
            ci.lower,
            f(&sp["ci"][0]),
            &mut worst,
        );
        check(
            &format!("{name} pearson hi"),
            ci.upper,
            f(&sp["ci"][1]),
            &mut worst,
        );
        let pg = &case["pingouin_corr"];
        check(
            &format!("{name} pg r"),
            p.r.defined().unwrap(),
            f(&pg["pearson"]["r"]),
            &mut worst,
        );
        check(
            &format!("{name} pg p"),
            p.p.defined().unwrap(),
            f(&pg["pearson"]["p"]),
            &mut worst,
        );
        // Spearman
        let s = spearman(&x, &y, level()).unwrap();
        let ss = &case["scipy_spearmanr"];
        check(
            &format!("{name} spearman r"),
            s.r.defined().unwrap(),
            f(&ss["r"]),
            &mut worst,
        );
        check(
            &format!("{name} spearman p"),
            s.p.defined().unwrap(),
            f(&ss["p"]),
            &mut worst,
        );
        check(
            &format!("{name} pg rho"),
            s.r.defined().unwrap(),
            f(&pg["spearman"]["r"]),
            &mut worst,
        );
        let sci = s.ci.defined().unwrap();
        let re = &case["spearman_fisher_ci_recomputation"];
        check(
            &format!("{name} spearman lo"),
            sci.lower,
            f(&re[0]),
            &mut worst,
        );
        check(
            &format!("{name} spearman hi"),
            sci.upper,
            f(&re[1]),
            &mut worst,
        );
        let pr = &pg["spearman"]["ci_rounded_2dp"];
        assert!(
            (sci.lower - f(&pr[0])).abs() <= 0.005 + 1e-12,
            "{name} pg spearman lo"
        );
        assert!(
            (sci.upper - f(&pr[1])).abs() <= 0.005 + 1e-12,
            "{name} pg spearman hi"
        );
        // Lin's CCC
        let c = concordance(&x, &y, level()).unwrap();
        let lin = &case["ccc_recomputation"];
        check(
            &format!("{name} ccc"),
            c.ccc.defined().unwrap(),
            f(&lin["ccc"]),
            &mut worst,
        );
        check(
            &format!("{name} ccc r"),
            c.r.defined().unwrap(),
            f(&lin["r"]),
            &mut worst,
        );
        check(
            &format!("{name} scale"),
            c.scale_shift.defined().unwrap(),
            f(&lin["scale_shift"]),
            &mut worst,
        );
        check(
            &format!("{name} loc"),
            c.location_shift.defined().unwrap(),
            f(&lin["location_shift"]),
            &mut worst,
        );
        if lin["c_b"].is_null() {
            // r = 0 in the reference (the formula divides by r): C_b, SE and interval undefined
            assert!(c.r.defined().unwrap().abs() < 1e-12, "{name} r");
        } else {
            check(
                &format!("{name} C_b"),
                c.bias_correction.defined().unwrap(),
                f(&lin["c_b"]),
                &mut worst,
            );
            check(
                &format!("{name} ccc se"),
                c.se.defined().unwrap(),
                f(&lin["se"]),
                &mut worst,
            );
            let cci = c.ci.defined().unwrap();
            check(
                &format!("{name} ccc lo"),
                cci.lower,
                f(&lin["lower"]),
                &mut worst,
            );
            check(
                &format!("{name} ccc hi"),
                cci.upper,
                f(&lin["upper"]),
                &mut worst,
            );
        }
        // Bland-Altman
        let ba = bland_altman(&x, &y, level()).unwrap();
        let b = &case["bland_altman_recomputation"];
        check(&format!("{name} bias"), ba.bias, f(&b["bias"]), &mut worst);
        check(&format!("{name} sd"), ba.sd, f(&b["sd"]), &mut worst);
        check(
            &format!("{name} loa lo"),
            ba.lower_limit,
            f(&b["lower_limit"]),
            &mut worst,
        );
        check(
            &format!("{name} loa hi"),
            ba.upper_limit,
            f(&b["upper_limit"]),
            &mut worst,
        );
        for (iv, key) in [
            (ba.bias_ci, "bias_ci"),
            (ba.lower_limit_ci, "lower_limit_ci"),
            (ba.upper_limit_ci, "upper_limit_ci"),
        ] {
            check(
                &format!("{name} {key} lo"),
                iv.lower,
                f(&b[key][0]),
                &mut worst,
            );
            check(
                &format!("{name} {key} hi"),
                iv.upper,
                f(&b[key][1]),
                &mut worst,
            );
        }
        assert_eq!((p.n, s.n, c.n, ba.n), (n, n, n, n));
    }
    println!(
        "paired: {} cases, max relative error {worst:e}",
        cases.len()
    );
}

#[test]
fn concordance_with_one_constant_rater_is_zero() {
    let c = concordance(&[1.0, 2.0, 3.0, 4.0], &[2.0, 2.0, 2.0, 2.0], level()).unwrap();
    assert_eq!(c.ccc, Outcome::Defined(0.0));
    assert_eq!(c.r, Outcome::Undefined(Undefined::ZeroVariance));
    let both = concordance(&[2.0, 2.0, 2.0], &[2.0, 2.0, 2.0], level()).unwrap();
    assert_eq!(both.ccc, Outcome::Undefined(Undefined::ConstantValues));
    let two = concordance(&[1.0, 2.0], &[1.5, 2.5], level()).unwrap();
    assert!(two.ccc.is_defined());
    assert_eq!(two.ci, Outcome::Undefined(Undefined::TooFewObservations));
}

#[test]
fn correlation_small_samples() {
    let two = pearson(&[1.0, 2.0], &[3.0, 1.0], level()).unwrap();
    assert_eq!(two.r, Outcome::Defined(-1.0));
    assert_eq!(two.p, Outcome::Undefined(Undefined::TooFewObservations));
    assert_eq!(two.ci, Outcome::Undefined(Undefined::TooFewObservations));
    let flat = spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0], level()).unwrap();
    assert_eq!(flat.r, Outcome::Undefined(Undefined::ZeroVariance));
    let exact = pearson(
        &[1.0, 2.0, 3.0, 4.0, 5.0],
        &[2.0, 4.0, 6.0, 8.0, 10.0],
        level(),
    )
    .unwrap();
    assert_eq!(exact.p, Outcome::Defined(0.0));
}

#[test]
fn bland_altman_multiplier_and_errors() {
    let ba =
        bland_altman_with_multiplier(&[1.0, 2.0, 3.0], &[1.0, 1.0, 1.0], 2.0, level()).unwrap();
    assert_eq!(
        (ba.lower_limit, ba.upper_limit, ba.multiplier),
        (-1.0, 3.0, 2.0)
    );
    assert!(matches!(
        bland_altman_with_multiplier(&[1.0, 2.0], &[1.0, 2.0], f64::NAN, level()),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        bland_altman(&[1.0], &[1.0], level()),
        Err(Error::TooFew { .. })
    ));
    assert!(matches!(
        bland_altman(&[1.0, f64::INFINITY], &[1.0, 2.0], level()),
        Err(Error::NonFinite { index: 1, .. })
    ));
    assert!(matches!(
        pearson(&[1.0, 2.0, 3.0], &[1.0, 2.0], level()),
        Err(Error::LengthMismatch {
            expected: 3,
            found: 2,
            ..
        })
    ));
}

#[test]
fn discrepancy_signs_flags_and_means() {
    use alliance::agreement::HigherRater;
    // bound = 1.96 * sqrt(3^2 + 4^2) = 9.8
    let d = discrepancy(
        &[80.0, 60.0, 50.0, 40.0],
        &[70.0, 61.0, 50.0, 50.0],
        3.0,
        4.0,
    )
    .unwrap();
    assert!((d.bound - 9.8).abs() < 1e-12);
    let diffs: Vec<_> = d.pairs.iter().map(|p| p.difference).collect();
    assert_eq!(diffs, [10.0, -1.0, 0.0, -10.0]);
    let higher: Vec<_> = d.pairs.iter().map(|p| p.higher).collect();
    assert_eq!(
        higher,
        [
            HigherRater::Client,
            HigherRater::Therapist,
            HigherRater::Equal,
            HigherRater::Therapist
        ]
    );
    assert_eq!(d.exceeding, 2);
    assert_eq!((d.client_higher, d.therapist_higher, d.equal), (1, 2, 1));
    assert_eq!((d.mean_difference, d.mean_absolute), (-0.25, 5.25));
    assert!(matches!(
        discrepancy(&[1.0], &[1.0], -1.0, 1.0),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn spearman_exact_p_matches_r_cor_test() {
    let reference = load("continuous_reference.json");
    let cases = reference["spearman_exact"].as_array().unwrap();
    assert!(cases.len() >= 10);
    let mut worst = 0.0f64;
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let vec = |k: &str| -> Vec<f64> { case[k].as_array().unwrap().iter().map(f).collect() };
        let s = spearman(&vec("x"), &vec("y"), level()).unwrap();
        let r = &case["r_cor_test"];
        check(
            &format!("{name} rho"),
            s.r.defined().unwrap(),
            f(&r["rho"]),
            &mut worst,
        );
        // R prints 15 significant digits
        check(
            &format!("{name} exact p"),
            s.exact_p.unwrap(),
            f(&r["p"]),
            &mut worst,
        );
    }
    // ties, or n > 9: no exact p
    let tied = spearman(&[1.0, 2.0, 2.0, 3.0], &[1.0, 3.0, 2.0, 4.0], level()).unwrap();
    assert_eq!(tied.exact_p, None);
    let ten: Vec<f64> = (0..10).map(f64::from).collect();
    assert_eq!(spearman(&ten, &ten, level()).unwrap().exact_p, None);
    println!(
        "exact Spearman: {} cases, max relative error {worst:e}",
        cases.len()
    );
}
