//! The REML ICC (`agreement::icc_reml`) against lme4's REML variance components and
//! psych::ICC(lmer = TRUE), stored in `tests/reference/icc_reml.json` (made by
//! `tests/reference/icc_reml.R`), and its bootstrap interval by a coverage simulation.
#![allow(clippy::unwrap_used, clippy::doc_markdown)] // test helpers fail loudly

mod common;

use alliance::agreement::{Bootstrap, IccForm, IccUnit, icc_reml, icc_table};
use alliance::{Error, IntervalMethod, Level, Outcome, Ratings, Undefined};
use serde_json::Value;

/// Components must match lme4's (Newton-polished, gradient below 1e-8) to 1e-6 relative.
const COMPONENT_RELATIVE: f64 = 1e-6;

fn ratings_of(case: &Value) -> Ratings {
    let rows = case["data"].as_array().unwrap();
    let k = rows[0].as_array().unwrap().len();
    let cells = rows
        .iter()
        .flat_map(|r| r.as_array().unwrap().iter().map(Value::as_f64))
        .collect();
    Ratings::with_missing(rows.len(), k, cells).unwrap()
}

fn cases() -> Vec<Value> {
    common::reference("icc_reml.json")["cases"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn there_are_at_least_15_cases() {
    assert!(cases().len() >= 15);
}

#[test]
fn variance_components_match_lme4() {
    let mut worst: f64 = 0.0;
    for case in cases() {
        let name = case["name"].as_str().unwrap();
        if case["lme4"]["degenerate"].as_bool() == Some(true) {
            continue;
        }
        let fit = icc_reml(&ratings_of(&case), None).unwrap();
        let lme4 = &case["lme4"];
        for (what, got, key) in [
            ("target", fit.target, "target"),
            ("rater", fit.rater, "rater"),
            ("residual", fit.residual, "residual"),
        ] {
            let want = lme4[key].as_f64().unwrap();
            let value = got.variance.value().unwrap();
            if want == 0.0 {
                // lme4's boundary estimate: exactly 0 here too, and said so
                assert_eq!(value, 0.0, "{name}: {what}");
                assert!(got.boundary, "{name}: {what} is a boundary estimate");
            } else {
                common::assert_close(
                    &format!("{name}: {what}"),
                    value,
                    want,
                    COMPONENT_RELATIVE,
                    0.0,
                );
                assert!(!got.boundary, "{name}: {what}");
                worst = worst.max((value - want).abs() / want);
            }
        }
        // the intercept to 1e-6 of the residual SD (it can be near 0); the log-likelihood
        // to 1e-6 absolute
        let sd = lme4["residual"].as_f64().unwrap().sqrt();
        common::assert_close(
            &format!("{name}: intercept"),
            fit.intercept,
            lme4["intercept"].as_f64().unwrap(),
            1e-6,
            1e-6 * sd,
        );
        common::assert_close(
            &format!("{name}: log-likelihood"),
            fit.log_likelihood.value().unwrap(),
            lme4["loglik"].as_f64().unwrap(),
            0.0,
            1e-6,
        );
        assert_eq!(
            fit.n,
            case["targets_used"].as_u64().unwrap() as usize,
            "{name}"
        );
        assert_eq!(
            fit.raters,
            case["raters_used"].as_u64().unwrap() as usize,
            "{name}"
        );
        assert_eq!(
            fit.cells,
            case["cells_observed"].as_u64().unwrap() as usize,
            "{name}"
        );
        assert_eq!(
            fit.cells_missing,
            case["cells_missing"].as_u64().unwrap() as usize,
            "{name}"
        );
    }
    eprintln!("largest relative error of a component: {worst:e}");
}

#[test]
fn six_forms_match_psychs_formulas_on_the_tight_components() {
    let keys = ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"];
    let mut worst: f64 = 0.0;
    for case in cases() {
        let name = case["name"].as_str().unwrap();
        if case["lme4"]["degenerate"].as_bool() == Some(true) {
            continue;
        }
        let fit = icc_reml(&ratings_of(&case), None).unwrap();
        for (icc, key) in fit.all().iter().zip(keys) {
            let want = case["six_from_components"][key].as_f64().unwrap();
            let got = icc.coefficient.value().unwrap();
            common::assert_close(&format!("{name}: {key}"), got, want, 1e-6, 1e-9);
            if want != 0.0 {
                worst = worst.max((got - want).abs() / want.abs());
            }
            assert_eq!(icc.ci, Outcome::Undefined(Undefined::NotRequested));
            assert_eq!(icc.ci_method, IntervalMethod::ParametricBootstrap);
        }
    }
    eprintln!("largest relative error of a form: {worst:e}");
}

/// psych::ICC(lmer = TRUE) itself calls lmer with lme4's default tolerances, so its printed
/// forms are only as good as that fit: the stored values differ from the same formulas on the
/// tightly converged components by up to 4e-5 relative (tiny_3x3_one_missing). The crate is
/// compared with them at 1e-4.
#[test]
fn six_forms_match_psych_icc_lmer_as_called() {
    for case in cases() {
        let name = case["name"].as_str().unwrap();
        if case["lme4"]["degenerate"].as_bool() == Some(true) {
            continue;
        }
        let fit = icc_reml(&ratings_of(&case), None).unwrap();
        let psych = case["psych"]["ICC"].as_array().unwrap();
        for (icc, want) in fit.all().iter().zip(psych) {
            common::assert_close(
                &format!("{name}: {}", icc.name),
                icc.coefficient.value().unwrap(),
                want.as_f64().unwrap(),
                1e-4,
                1e-9,
            );
        }
    }
}

#[test]
fn constant_ratings_are_a_typed_undefined_with_the_counts_kept() {
    let case = cases()
        .into_iter()
        .find(|c| c["name"] == "constant_ratings")
        .unwrap();
    let fit = icc_reml(&ratings_of(&case), None).unwrap();
    for icc in fit.all() {
        assert_eq!(
            icc.coefficient,
            Outcome::Undefined(Undefined::ConstantValues)
        );
    }
    // lme4 returns components of order 1e-32 (zero up to rounding); here they are exactly 0
    for (c, key) in [
        (fit.target, "target"),
        (fit.rater, "rater"),
        (fit.residual, "residual"),
    ] {
        assert_eq!(c.variance, Outcome::Defined(0.0));
        assert!(c.boundary);
        assert!(case["lme4"][key].as_f64().unwrap().abs() < 1e-30);
    }
    assert_eq!(fit.intercept, 3.0);
    assert_eq!(
        fit.log_likelihood,
        Outcome::Undefined(Undefined::ConstantValues)
    );
    assert_eq!(
        (fit.n, fit.raters, fit.cells, fit.cells_missing),
        (6, 3, 16, 2)
    );
}

#[test]
fn dropped_targets_and_raters_are_counted() {
    let case = cases()
        .into_iter()
        .find(|c| c["name"] == "target_without_ratings")
        .unwrap();
    let fit = icc_reml(&ratings_of(&case), None).unwrap();
    assert_eq!((fit.n, fit.dropped, fit.raters_dropped), (19, 1, 0));
    // a rater with no rating is dropped (lme4 never sees it) and k counts the others
    let r = Ratings::with_missing(
        4,
        3,
        vec![
            Some(1.0),
            Some(2.0),
            None,
            Some(3.0),
            Some(3.5),
            None,
            Some(5.0),
            Some(4.0),
            None,
            Some(2.0),
            Some(2.5),
            None,
        ],
    )
    .unwrap();
    let fit = icc_reml(&r, None).unwrap();
    assert_eq!(
        (fit.raters, fit.raters_dropped, fit.cells_missing),
        (2, 1, 4)
    );
}

/// On complete balanced data with no component on the boundary, REML equals the ANOVA
/// (method-of-moments) estimator, so all six forms equal those of `icc_table`: a law
/// comparing two code paths, checked on the balanced reference cases.
#[test]
fn balanced_complete_data_give_the_anova_iccs() {
    for case in cases() {
        let name = case["name"].as_str().unwrap();
        if !name.starts_with("balanced") && !name.starts_with("shrout") {
            continue;
        }
        let r = ratings_of(&case);
        let fit = icc_reml(&r, None).unwrap();
        assert!(!fit.target.boundary && !fit.rater.boundary, "{name}");
        let anova = icc_table(&r, Level::default()).unwrap();
        for (reml, anova) in fit.all().iter().zip(anova.all()) {
            common::assert_close(
                &format!("{name}: {}", reml.name),
                reml.coefficient.value().unwrap(),
                anova.coefficient.value().unwrap(),
                1e-8,
                1e-12,
            );
        }
    }
}

#[test]
fn input_errors_are_specific() {
    let r = |k: usize, cells: Vec<Option<f64>>| Ratings::with_missing(cells.len() / k, k, cells);
    // one target with ratings
    let one = r(2, vec![Some(1.0), Some(2.0), None, None]).unwrap();
    assert_eq!(
        icc_reml(&one, None).unwrap_err(),
        Error::TooFewRatedTargets { found: 1 }
    );
    // one rater with ratings
    let one = r(2, vec![Some(1.0), None, Some(2.0), None, Some(4.0), None]).unwrap();
    assert_eq!(
        icc_reml(&one, None).unwrap_err(),
        Error::TooFewRatedRaters { found: 1 }
    );
    // every target rated once
    let once = r(2, vec![Some(1.0), None, None, Some(2.0), Some(4.0), None]).unwrap();
    assert_eq!(
        icc_reml(&once, None).unwrap_err(),
        Error::NoRepeatedTarget { targets: 3 }
    );
    // every rater rated a single target
    let single = r(
        4,
        vec![
            Some(1.0),
            Some(2.0),
            None,
            None,
            None,
            None,
            Some(3.0),
            Some(5.0),
        ],
    )
    .unwrap();
    assert_eq!(
        icc_reml(&single, None).unwrap_err(),
        Error::NoRepeatedRater { raters: 4 }
    );
    // 3 ratings of 2 targets by 2 raters: target and rater effects fit them exactly
    let saturated = r(2, vec![Some(1.0), Some(2.0), None, Some(4.0)]).unwrap();
    assert_eq!(
        icc_reml(&saturated, None).unwrap_err(),
        Error::SaturatedCrossedDesign {
            cells: 3,
            parameters: 3
        }
    );
    let big = Ratings::new(20_000, 2, vec![1.0; 40_000]).unwrap();
    assert!(matches!(
        icc_reml(&big, Some(Bootstrap::new(100_000).unwrap())),
        Err(Error::BootstrapTooCostly { .. })
    ));
}

/// Exactly additive ratings (target plus rater, no residual): the likelihood has no maximum,
/// so the components other than the zero residual and the forms are undefined.
#[test]
fn exactly_additive_ratings_have_no_reml_estimate() {
    let r = Ratings::from_rows(&[[1.0, 2.0, 4.0], [3.0, 4.0, 6.0], [2.0, 3.0, 5.0]]).unwrap();
    let fit = icc_reml(&r, None).unwrap();
    assert_eq!(fit.residual.variance, Outcome::Defined(0.0));
    assert_eq!(
        fit.target.variance,
        Outcome::Undefined(Undefined::ZeroErrorVariance)
    );
    for icc in fit.all() {
        assert_eq!(
            icc.coefficient,
            Outcome::Undefined(Undefined::ZeroErrorVariance)
        );
    }
    assert_eq!((fit.n, fit.raters, fit.cells), (3, 3, 9));
}

/// Coverage of the parametric bootstrap interval by simulation (fixed seeds): 200 data sets
/// of 30 targets x 4 raters, 15% of the cells missing, drawn from the model with σ²_t = 1,
/// σ²_r = 0.5, σ²_e = 1, each with a 199-replicate 90% bootstrap. The coverage of ICC(A,1)
/// and ICC(C,1) must lie within 90% ± 6 points (about 2.8 binomial standard errors of
/// 200 data sets, leaving room for the percentile interval's small-sample bias). Measured:
/// 0.905 for ICC(A,1), 0.86 for ICC(C,1) (the percentile interval of a ratio on 30 targets
/// runs a little short).
#[test]
fn bootstrap_interval_covers_at_its_level() {
    let (st, sr, se) = (1.0f64, 0.5f64.sqrt(), 1.0f64);
    let agreement = 1.0 / 2.5;
    let consistency = 1.0 / 2.0;
    let mut state = 0x5EED_u64;
    let mut uniform = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    let normal = move |u: &mut dyn FnMut() -> f64| {
        let (a, b) = (1.0 - u(), u());
        (-2.0 * a.ln()).sqrt() * (std::f64::consts::TAU * b).cos()
    };
    let (sets, n, k) = (200, 30, 4);
    let (mut hit_a, mut hit_c) = (0, 0);
    for set in 0..sets {
        let rater: Vec<f64> = (0..k).map(|_| sr * normal(&mut uniform)).collect();
        let mut cells = Vec::with_capacity(n * k);
        for _ in 0..n {
            let t = st * normal(&mut uniform);
            for r in &rater {
                let y = 3.0 + t + r + se * normal(&mut uniform);
                cells.push((uniform() >= 0.15).then_some(y));
            }
        }
        let ratings = Ratings::with_missing(n, k, cells).unwrap();
        let b = Bootstrap::new(199)
            .unwrap()
            .with_seed(set)
            .with_level(Level::new(0.90).unwrap());
        let fit = icc_reml(&ratings, Some(b)).unwrap();
        let a1 = fit.get(IccForm::TwoWayAgreement, IccUnit::Single).ci;
        let c1 = fit.get(IccForm::TwoWayConsistency, IccUnit::Single).ci;
        hit_a += usize::from(a1.value().unwrap().contains(agreement));
        hit_c += usize::from(c1.value().unwrap().contains(consistency));
    }
    let (ca, cc) = (hit_a as f64 / sets as f64, hit_c as f64 / sets as f64);
    eprintln!("coverage ICC(A,1) {ca}, ICC(C,1) {cc}");
    assert!((ca - 0.90).abs() <= 0.06, "ICC(A,1) coverage {ca}");
    assert!((cc - 0.90).abs() <= 0.06, "ICC(C,1) coverage {cc}");
}

#[test]
fn bootstrap_is_deterministic_for_a_seed() {
    let r = ratings_of(&cases()[4]);
    let b = Bootstrap::new(50).unwrap().with_seed(9);
    let (one, two) = (
        icc_reml(&r, Some(b)).unwrap(),
        icc_reml(&r, Some(b)).unwrap(),
    );
    assert_eq!(one, two);
    assert_eq!(one.replicates, 50);
    let ci = one.agreement_single.ci.value().unwrap();
    assert!(ci.lower <= ci.upper && ci.level == 0.95);
}
