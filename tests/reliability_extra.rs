//! The ICC test against r0, the alpha intervals beyond Feldt and McDonald's omega against the
//! stored references of `tests/reference/` (`icc_r0_irr.R`, `reliability_extra.R`).
#![allow(clippy::unwrap_used)] // test helpers fail loudly on malformed reference files
#![allow(clippy::doc_markdown)] // math (λ_j) and author names are prose, not code

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

/// Relative agreement of the Duhachek-Iacobucci standard error and bounds with psych.
const ALPHA_TOLERANCE: f64 = 1e-9;

fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

#[test]
fn alpha_asymptotic_matches_psych() {
    use alliance::reliability::alpha_asymptotic;
    let reference = common::reference("alpha_intervals.json");
    let cases = reference["cases"].as_array().unwrap();
    assert!(cases.len() >= 15);
    let mut worst = 0.0f64;
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let r = matrix(&case["data"]);
        let a = alpha_asymptotic(&r, alliance::Level::default()).unwrap();
        assert_eq!(a.n as u64, case["n"].as_u64().unwrap(), "{name}");
        assert_eq!(a.ci_method, alliance::IntervalMethod::Normal);
        let raw = a.coefficient.value().unwrap();
        check(
            &format!("{name} alpha"),
            raw,
            num(&case["raw_alpha"]).unwrap(),
            ALPHA_TOLERANCE,
            &mut worst,
        );
        let want_se = num(&case["ase"]).unwrap();
        let se = a.se.value().unwrap();
        if want_se == 0.0 {
            assert_eq!(se, 0.0, "{name} se");
        } else {
            check(
                &format!("{name} se"),
                se,
                want_se,
                ALPHA_TOLERANCE,
                &mut worst,
            );
        }
        let ci = a.ci.value().unwrap();
        check(
            &format!("{name} lower"),
            ci.lower,
            num(&case["lower"]).unwrap(),
            ALPHA_TOLERANCE,
            &mut worst,
        );
        check(
            &format!("{name} upper"),
            ci.upper,
            num(&case["upper"]).unwrap(),
            ALPHA_TOLERANCE,
            &mut worst,
        );
        match num(&case["std_ase"]) {
            Some(want) => {
                let std = a.standardized.value().unwrap();
                check(
                    &format!("{name} std"),
                    std,
                    num(&case["std_alpha"]).unwrap(),
                    ALPHA_TOLERANCE,
                    &mut worst,
                );
                let se = a.standardized_se.value().unwrap();
                if want == 0.0 {
                    assert_eq!(se, 0.0, "{name} std se");
                } else {
                    check(
                        &format!("{name} std se"),
                        se,
                        want,
                        ALPHA_TOLERANCE,
                        &mut worst,
                    );
                }
                let ci = a.standardized_ci.value().unwrap();
                check(
                    &format!("{name} std lower"),
                    ci.lower,
                    num(&case["std_lower"]).unwrap(),
                    ALPHA_TOLERANCE,
                    &mut worst,
                );
                check(
                    &format!("{name} std upper"),
                    ci.upper,
                    num(&case["std_upper"]).unwrap(),
                    ALPHA_TOLERANCE,
                    &mut worst,
                );
            }
            // a constant item: psych's standardized alpha is NA
            None => {
                assert_eq!(
                    a.standardized,
                    Outcome::Undefined(Undefined::ZeroVariance),
                    "{name}"
                );
                assert_eq!(
                    a.standardized_se,
                    Outcome::Undefined(Undefined::ZeroVariance)
                );
                assert!(a.standardized_ci.value().is_none());
            }
        }
    }
    println!(
        "alpha_asymptotic: {} cases, largest relative error {worst:e}",
        cases.len()
    );
}

/// A seeded normal generator for the simulations (SplitMix64 and Box-Muller), independent
/// of the crate's.
struct Normal(u64);

impl Normal {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
    fn draw(&mut self) -> f64 {
        let u = self.uniform().max(f64::MIN_POSITIVE);
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * self.uniform()).cos()
    }
}

/// n respondents from the one-factor population x_j = λ_j f + e_j, var e_j = θ_j.
fn one_factor_sample(
    rng: &mut Normal,
    n: usize,
    loadings: &[f64],
    uniquenesses: &[f64],
) -> Ratings {
    let k = loadings.len();
    let mut cells = Vec::with_capacity(n * k);
    for _ in 0..n {
        let f = rng.draw();
        for j in 0..k {
            cells.push(loadings[j] * f + uniquenesses[j].sqrt() * rng.draw());
        }
    }
    Ratings::new(n, k, cells).unwrap()
}

/// Coverage of the percentile bootstrap (and of the asymptotic interval) on 200 samples of
/// n = 80 from a congeneric population whose alpha is known exactly: within 0.05 of the
/// nominal 95% (the simulation's own standard error is 0.015).
#[test]
fn alpha_bootstrap_covers_the_population_alpha() {
    use alliance::agreement::Bootstrap;
    use alliance::reliability::{alpha_asymptotic, alpha_bootstrap};
    let loadings = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
    let uniq = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
    let k = loadings.len() as f64;
    // alpha = k/(k − 1) (1 − tr Σ / 1'Σ1), Σ = λλ' + Θ
    let sum_l: f64 = loadings.iter().sum();
    let trace: f64 = loadings.iter().map(|l| l * l).sum::<f64>() + uniq.iter().sum::<f64>();
    let total = sum_l * sum_l + uniq.iter().sum::<f64>();
    let population = k / (k - 1.0) * (1.0 - trace / total);
    let mut rng = Normal(20_261_129);
    let samples = 200;
    let (mut boot_cover, mut asym_cover) = (0, 0);
    for s in 0..samples {
        let r = one_factor_sample(&mut rng, 80, &loadings, &uniq);
        let b = alpha_bootstrap(&r, Bootstrap::new(500).unwrap().with_seed(s)).unwrap();
        let ci = b.ci.value().unwrap();
        assert!(ci.upper <= 1.0 && ci.lower <= ci.upper);
        boot_cover += usize::from(ci.lower <= population && population <= ci.upper);
        let a = alpha_asymptotic(&r, alliance::Level::default()).unwrap();
        let ci = a.ci.value().unwrap();
        asym_cover += usize::from(ci.lower <= population && population <= ci.upper);
    }
    let (boot, asym) = (
        boot_cover as f64 / samples as f64,
        asym_cover as f64 / samples as f64,
    );
    println!("population alpha {population:.4}: bootstrap coverage {boot}, asymptotic {asym}");
    assert!((boot - 0.95).abs() <= 0.05, "bootstrap coverage {boot}");
    assert!((asym - 0.95).abs() <= 0.05, "asymptotic coverage {asym}");
}

#[test]
fn alpha_bootstrap_is_seeded_bounded_and_keeps_counts() {
    use alliance::agreement::Bootstrap;
    use alliance::reliability::{MAX_BOOTSTRAP_DRAWS, alpha_bootstrap};
    let mut rng = Normal(7);
    let r = one_factor_sample(&mut rng, 30, &[0.8, 0.7, 0.6], &[0.4, 0.5, 0.6]);
    let b = |seed| alpha_bootstrap(&r, Bootstrap::new(300).unwrap().with_seed(seed)).unwrap();
    assert_eq!(b(3), b(3));
    assert_ne!(b(3).ci, b(4).ci);
    assert_eq!((b(3).n, b(3).items, b(3).undefined_replicates), (30, 3, 0));
    // every answer equal: undefined, counts kept
    let same = Ratings::from_rows(&[[3.0, 3.0, 3.0]; 5]).unwrap();
    let c = alpha_bootstrap(&same, Bootstrap::new(50).unwrap()).unwrap();
    assert_eq!(c.coefficient, Outcome::Undefined(Undefined::ConstantValues));
    assert_eq!(c.ci, Outcome::Undefined(Undefined::ConstantValues));
    assert_eq!(
        (c.n, c.items, c.replicates, c.undefined_replicates),
        (5, 3, 50, 50)
    );
    // the cost is checked before any draw
    let big = Bootstrap::new(1_000_000).unwrap();
    let many = one_factor_sample(&mut rng, 2000, &[0.8, 0.7, 0.6], &[0.4, 0.5, 0.6]);
    let e = alpha_bootstrap(&many, big).unwrap_err();
    assert_eq!(e.code(), "reliability_bootstrap_too_costly");
    const { assert!(1_000_000u64 * 6000 > MAX_BOOTSTRAP_DRAWS) };
}

/// Tolerance of the loadings, uniquenesses and omega against the tightly converged psych
/// objective and lavaan (absolute, on quantities of order 1), the 1e-6.
const OMEGA_TOLERANCE: f64 = 1e-6;

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// Loadings, uniquenesses and omega of both fits against psych's objective converged
/// tightly (and psych::fa itself where its optimiser stopped within 1e-6 of that), the ML
/// loadings against lavaan; Heywood cases flagged with omega undefined.
#[test]
fn omega_matches_psych_fa_and_lavaan() {
    use alliance::reliability::{FactorMethod, omega, omega_from_covariance};
    let reference = common::reference("omega.json");
    let cases = reference["cases"].as_array().unwrap();
    assert!(cases.len() >= 15);
    let (mut worst, mut worst_lavaan, mut compared) = (0.0f64, 0.0f64, 0);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        for (key, method) in [
            ("ml", FactorMethod::MaximumLikelihood),
            ("minres", FactorMethod::MinimumResidual),
        ] {
            let got = if case["data"].is_array() {
                omega(&matrix(&case["data"]), method).unwrap()
            } else {
                let rows = case["covariance"].as_array().unwrap();
                let cov: Vec<f64> = rows.iter().flat_map(floats).collect();
                let n = case["n"].as_u64().unwrap() as usize;
                omega_from_covariance(&cov, rows.len(), n, method).unwrap()
            };
            let want = &case[key];
            let what = |s: &str| format!("{name} {key} {s}");
            assert_eq!(got.items as u64, case["items"].as_u64().unwrap());
            if want["psych_error"].is_string() {
                // psych's ML objective is not finite on a singular R (n = 3, k = 3)
                println!("{}: psych fails; crate heywood = {}", what(""), got.heywood);
                assert!(got.heywood, "{}", what("singular R"));
                assert_eq!(
                    got.coefficient,
                    Outcome::Undefined(Undefined::NonPositiveVariance)
                );
                continue;
            }
            if want["heywood"].as_bool().unwrap() {
                assert!(got.heywood, "{}", what("Heywood flag"));
                assert_eq!(
                    got.coefficient,
                    Outcome::Undefined(Undefined::NonPositiveVariance)
                );
                assert!(
                    got.uniquenesses.iter().any(|&u| u <= 0.0),
                    "{}",
                    what("uniquenesses")
                );
                assert_eq!(got.loadings.len(), got.items);
                continue;
            }
            assert!(!got.heywood, "{}", what("not Heywood"));
            let loadings = floats(&want["loadings"]);
            for (j, (&g, &w)) in got.loadings.iter().zip(&loadings).enumerate() {
                worst = worst.max((g - w).abs());
                assert!(
                    (g - w).abs() <= OMEGA_TOLERANCE,
                    "{}: got {g}, want {w}",
                    what(&format!("loading {j}"))
                );
                let u = 1.0 - w * w;
                assert!(
                    (got.uniquenesses[j] - u).abs() <= OMEGA_TOLERANCE,
                    "{}",
                    what("uniqueness")
                );
            }
            let w = want["omega"].as_f64().unwrap();
            let g = got.coefficient.value().unwrap();
            worst = worst.max((g - w).abs());
            assert!(
                (g - w).abs() <= OMEGA_TOLERANCE,
                "{}: got {g}, want {w}",
                what("omega")
            );
            if want["fa_max_diff"].as_f64().unwrap() <= OMEGA_TOLERANCE {
                for (&g, w) in got.loadings.iter().zip(floats(&want["fa_loadings"])) {
                    assert!(
                        (g - w).abs() <= OMEGA_TOLERANCE,
                        "{}",
                        what("psych::fa loading")
                    );
                }
            }
            if want["lavaan_loadings"].is_array() {
                for (&g, w) in got.loadings.iter().zip(floats(&want["lavaan_loadings"])) {
                    worst_lavaan = worst_lavaan.max((g - w).abs());
                    assert!(
                        (g - w).abs() <= OMEGA_TOLERANCE,
                        "{}: got {g}, want {w}",
                        what("lavaan loading")
                    );
                }
            }
            compared += 1;
        }
    }
    println!(
        "omega: {compared} proper fits, largest difference {worst:e} (psych tight), {worst_lavaan:e} (lavaan)"
    );
}

/// Constant items, one or two items and malformed item sets are refused with their own
/// errors; n < 4 and perfectly correlated items are Heywood cases, flagged.
#[test]
fn omega_refuses_what_it_cannot_fit_and_flags_heywood_cases() {
    use alliance::reliability::{FactorMethod, omega, omega_from_covariance, omega_subscales};
    for method in [
        FactorMethod::MaximumLikelihood,
        FactorMethod::MinimumResidual,
    ] {
        let constant = Ratings::from_rows(&[
            [1.0, 2.0, 3.0],
            [2.0, 3.0, 3.0],
            [4.0, 4.0, 3.0],
            [3.0, 5.0, 3.0],
        ])
        .unwrap();
        assert_eq!(
            omega(&constant, method).unwrap_err(),
            alliance::Error::ConstantItem { item: 2 }
        );
        // one item: no Ratings matrix to begin with; as a 1 x 1 matrix, refused by omega
        assert_eq!(
            Ratings::from_rows(&[[1.0], [2.0], [4.0]])
                .unwrap_err()
                .code(),
            "too_few"
        );
        assert_eq!(
            omega_from_covariance(&[2.0], 1, 10, method).unwrap_err(),
            alliance::Error::OmegaTooFewItems { found: 1 }
        );
        let two = Ratings::from_rows(&[[1.0, 2.0], [2.0, 2.5], [4.0, 3.0]]).unwrap();
        assert_eq!(
            omega(&two, method).unwrap_err(),
            alliance::Error::OmegaTooFewItems { found: 2 }
        );
        let tiny = Ratings::from_rows(&[[1.0, 2.0, 4.0], [2.0, 2.5, 3.0]]).unwrap();
        // n = 2: R has rank 1, every |r| = 1: improper
        let o = omega(&tiny, method).unwrap();
        assert!(o.heywood);
        assert_eq!(
            o.coefficient,
            Outcome::Undefined(Undefined::NonPositiveVariance)
        );
        assert_eq!((o.n, o.items, o.loadings.len()), (2, 3, 3));
        let one_row = Ratings::with_missing(
            2,
            3,
            vec![Some(1.0), Some(2.0), Some(4.0), Some(1.0), None, Some(2.0)],
        )
        .unwrap();
        assert_eq!(
            omega(&one_row, method).unwrap_err().code(),
            "too_few_respondents"
        );
        // perfectly correlated items: every uniqueness 0
        let same = Ratings::from_rows(&[
            [1.0, 2.0, 3.0],
            [2.0, 4.0, 4.0],
            [3.0, 6.0, 5.0],
            [4.0, 8.0, 6.0],
        ])
        .unwrap();
        let o = omega(&same, method).unwrap();
        assert!(o.heywood, "{method:?}");
        assert!(o.coefficient.value().is_none());
        // item sets
        let r = Ratings::from_rows(&[
            [1.0, 2.0, 3.0, 1.0],
            [2.0, 1.0, 3.5, 2.0],
            [4.0, 3.0, 5.0, 3.0],
            [3.0, 5.0, 4.0, 5.0],
        ])
        .unwrap();
        assert_eq!(
            omega_subscales(&r, method, &[&[0, 1, 4]])
                .unwrap_err()
                .code(),
            "invalid_item_set"
        );
        assert_eq!(
            omega_subscales(&r, method, &[&[0, 1, 1]])
                .unwrap_err()
                .code(),
            "invalid_item_set"
        );
        // matrices
        assert_eq!(
            omega_from_covariance(&[1.0; 8], 3, 10, method)
                .unwrap_err()
                .code(),
            "invalid_parameter"
        );
        let asym = [1.0, 0.5, 0.4, 0.3, 1.0, 0.2, 0.4, 0.2, 1.0];
        assert_eq!(
            omega_from_covariance(&asym, 3, 10, method)
                .unwrap_err()
                .code(),
            "invalid_parameter"
        );
        let nan = [1.0, 0.5, 0.4, 0.5, f64::NAN, 0.2, 0.4, 0.2, 1.0];
        assert_eq!(
            omega_from_covariance(&nan, 3, 10, method)
                .unwrap_err()
                .code(),
            "non_finite"
        );
        let zero = [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0];
        assert_eq!(
            omega_from_covariance(&zero, 3, 10, method).unwrap_err(),
            alliance::Error::ConstantItem { item: 1 }
        );
    }
}

/// Per subscale, each subscale's omega is the omega of its own columns, with its own
/// complete respondents (listwise within the subscale).
#[test]
fn omega_subscales_fit_each_item_set_on_its_own_rows() {
    use alliance::reliability::{FactorMethod, omega, omega_subscales};
    let mut rng = Normal(11);
    let a = one_factor_sample(&mut rng, 40, &[0.8, 0.7, 0.6], &[0.4, 0.5, 0.6]);
    let b = one_factor_sample(&mut rng, 40, &[0.9, 0.5, 0.7, 0.6], &[0.3, 0.6, 0.5, 0.5]);
    let mut cells = Vec::new();
    for t in 0..40 {
        for j in 0..3 {
            cells.push(a.get(t, j));
        }
        for j in 0..4 {
            // a missing answer on the second subscale only
            cells.push(if t == 5 && j == 0 { None } else { b.get(t, j) });
        }
    }
    let all = Ratings::with_missing(40, 7, cells).unwrap();
    let per = omega_subscales(
        &all,
        FactorMethod::MaximumLikelihood,
        &[&[0, 1, 2], &[3, 4, 5, 6]],
    )
    .unwrap();
    let first = omega(&a, FactorMethod::MaximumLikelihood).unwrap();
    assert_eq!(per[0].coefficient, first.coefficient);
    assert_eq!((per[0].n, per[0].dropped), (40, 0));
    assert_eq!((per[1].n, per[1].dropped, per[1].items), (39, 1, 4));
}

/// Coverage of the omega bootstrap on 100 samples of n = 100 from a congeneric population
/// with known omega: within 0.07 of the nominal 95% (the simulation's standard error is
/// 0.022).
#[test]
fn omega_bootstrap_covers_the_population_omega() {
    use alliance::agreement::Bootstrap;
    use alliance::reliability::{FactorMethod, omega_bootstrap};
    let loadings: [f64; 5] = [0.9, 0.8, 0.7, 0.6, 0.5];
    let uniq: [f64; 5] = [0.6, 0.7, 0.8, 0.9, 1.0];
    // standardized loadings λ/√(λ² + θ) and uniquenesses θ/(λ² + θ)
    let std: Vec<f64> = loadings
        .iter()
        .zip(&uniq)
        .map(|(l, t)| l / (l * l + t).sqrt())
        .collect();
    let sum: f64 = std.iter().sum();
    let unique: f64 = std.iter().map(|l| 1.0 - l * l).sum();
    let population = sum * sum / (sum * sum + unique);
    let mut rng = Normal(99);
    let samples = 100;
    let mut covered = 0;
    for s in 0..samples {
        let r = one_factor_sample(&mut rng, 100, &loadings, &uniq);
        let o = omega_bootstrap(
            &r,
            FactorMethod::MinimumResidual,
            Bootstrap::new(300).unwrap().with_seed(s),
        )
        .unwrap();
        let ci = o.ci.value().unwrap();
        assert!(ci.upper <= 1.0 && ci.lower <= ci.upper);
        covered += usize::from(ci.lower <= population && population <= ci.upper);
    }
    let coverage = covered as f64 / samples as f64;
    println!("population omega {population:.4}: bootstrap coverage {coverage}");
    assert!((coverage - 0.95).abs() <= 0.07, "coverage {coverage}");
}
