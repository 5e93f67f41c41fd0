//! Categorical agreement against stored reference values (statsmodels 0.15, irrCAC 0.4.4,
//! krippendorff 0.9.0) and published examples. Regenerate the JSON with
//! `python3 tests/reference/kappa_cases.py` and `python3 tests/reference/krippendorff_cases.py`.
#![allow(clippy::unwrap_used, clippy::float_cmp)] // tests: a failed unwrap is a failed test

use alliance::Ratings;
use alliance::agreement::{
    Bootstrap, Categories, Metric, WeightMatrix, Weighting, brennan_prediger, cohen_kappa,
    fleiss_kappa, gwet_ac, krippendorff_alpha,
};
use alliance::{Error, Level};
use alliance::{Outcome, Undefined};
use serde_json::Value;
use std::cell::Cell;

const REL: f64 = 1e-9;

thread_local! {
    static MAX_REL: Cell<f64> = const { Cell::new(0.0) };
}

/// |got - want| <= 1e-9 |want| (with a 1e-15 absolute floor for exact zeros).
fn close(got: f64, want: f64, what: &str) {
    let err = (got - want).abs();
    let rel = if want == 0.0 { err } else { err / want.abs() };
    MAX_REL.with(|m| m.set(m.get().max(if err <= 1e-15 { 0.0 } else { rel })));
    assert!(
        err <= REL * want.abs() || err <= 1e-15,
        "{what}: got {got}, want {want} (rel {rel:e})"
    );
}

/// Agreement to the `decimals` a published table prints.
fn close_printed(got: f64, want: f64, decimals: i32, what: &str) {
    let half_unit = 0.5 * 10f64.powi(-decimals);
    assert!(
        (got - want).abs() <= half_unit + 1e-12,
        "{what}: got {got}, published {want} ({decimals} decimals)"
    );
}

fn load(name: &str) -> Value {
    let path = format!("{}/tests/reference/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

fn opt_codes(v: &Value) -> Vec<Option<f64>> {
    v.as_array().unwrap().iter().map(Value::as_f64).collect()
}

fn categories(case: &Value) -> Categories {
    Categories::new(
        opt_codes(&case["categories"])
            .into_iter()
            .flatten()
            .collect(),
    )
    .unwrap()
}

fn weighting(case: &Value, cats: &Categories) -> Weighting {
    match case["weighting"].as_str().unwrap() {
        "unweighted" => Weighting::Unweighted,
        "linear" => Weighting::Linear,
        "quadratic" => Weighting::Quadratic,
        "custom" => {
            let w: Vec<f64> = case["custom_weights"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|r| r.as_array().unwrap().iter().map(f))
                .collect();
            Weighting::Custom(WeightMatrix::new(cats.len(), w).unwrap())
        }
        other => panic!("unknown weighting {other}"),
    }
}

fn is_symmetric(w: &Weighting) -> bool {
    match w {
        Weighting::Custom(m) => {
            let c = m.size();
            let w = m.weights();
            (0..c).all(|i| (0..c).all(|j| w[i * c + j] == w[j * c + i]))
        }
        _ => true,
    }
}

fn rows_to_ratings(rows: &Value) -> Ratings {
    let rows = rows.as_array().unwrap();
    let k = rows[0].as_array().unwrap().len();
    let cells: Vec<Option<f64>> = rows.iter().flat_map(opt_codes).collect();
    Ratings::with_missing(rows.len(), k, cells).unwrap()
}

#[test]
fn cohen_kappa_matches_statsmodels_and_irrcac() {
    let data = load("kappa_cases.json");
    let cases = data["cohen"].as_array().unwrap();
    assert!(cases.len() >= 20);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let cats = categories(case);
        let w = weighting(case, &cats);
        let a = opt_codes(&case["rater_a"]);
        let b = opt_codes(&case["rater_b"]);
        let k = cohen_kappa(&a, &b, &cats, &w, Level::default()).unwrap();
        let k = k.as_defined().unwrap_or_else(|| panic!("{name} undefined"));
        let sm = &case["statsmodels"];
        close(k.value, f(&sm["kappa"]), &format!("{name} kappa"));
        close(k.se, f(&sm["se"]), &format!("{name} se"));
        close(k.se_null, f(&sm["se_null"]), &format!("{name} se_null"));
        close(k.z.unwrap(), f(&sm["z"]), &format!("{name} z"));
        close(k.p.unwrap(), f(&sm["p_two_sided"]), &format!("{name} p"));
        close(k.ci.lower, f(&sm["ci_lower"]), &format!("{name} lower"));
        close(k.ci.upper, f(&sm["ci_upper"]), &format!("{name} upper"));
        let irr = &case["irrCAC"];
        close(
            k.value,
            f(&irr["kappa_table"]),
            &format!("{name} irrCAC table kappa"),
        );
        close(k.observed, f(&irr["pa"]), &format!("{name} pa"));
        close(k.expected, f(&irr["pe"]), &format!("{name} pe"));
        if is_symmetric(&w) {
            close(
                k.value,
                f(&irr["kappa_conger"]),
                &format!("{name} irrCAC conger"),
            );
            close(k.se, f(&irr["se_table"]), &format!("{name} irrCAC se"));
        }
        let dropped = a
            .iter()
            .zip(&b)
            .filter(|(x, y)| x.is_none() || y.is_none())
            .count();
        assert_eq!((k.n, k.dropped), (a.len() - dropped, dropped), "{name}");
        if let Some(p) = case.get("published") {
            let d = f(&p["decimals"]) as i32;
            for (got, key) in [
                (k.value, "kappa"),
                (k.se, "se"),
                (k.ci.lower, "ci_lower"),
                (k.ci.upper, "ci_upper"),
                (k.se_null, "se_null"),
                (k.z.unwrap(), "z"),
                (k.p.unwrap(), "p_two_sided"),
            ] {
                close_printed(got, f(&p[key]), d, &format!("{name} published {key}"));
            }
        }
    }
    eprintln!("cohen: max relative error {:e}", MAX_REL.with(Cell::get));
}

#[test]
fn multi_rater_coefficients_match_irrcac_and_statsmodels() {
    let data = load("kappa_cases.json");
    let cases = data["multi"].as_array().unwrap();
    assert!(cases.len() >= 20);
    let level = Level::default();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let cats = categories(case);
        let w = weighting(case, &cats);
        let r = rows_to_ratings(&case["rows"]);
        type Method = fn(
            &Ratings,
            &Categories,
            &Weighting,
            Level,
        )
            -> alliance::Result<Outcome<alliance::agreement::MultiRaterAgreement>>;
        let methods: [(&str, Method); 3] = [
            ("fleiss", fleiss_kappa),
            ("gwet", gwet_ac),
            ("bp", brennan_prediger),
        ];
        for (key, method) in methods {
            let est = method(&r, &cats, &w, level).unwrap();
            let est = est
                .as_defined()
                .unwrap_or_else(|| panic!("{name} {key} undefined"));
            let irr = &case["irrCAC"][key];
            let what = |s: &str| format!("{name} {key} {s}");
            close(est.value, f(&irr["value"]), &what("value"));
            close(est.observed, f(&irr["pa"]), &what("pa"));
            close(est.expected, f(&irr["pe"]), &what("pe"));
            close(est.se, f(&irr["se"]), &what("se"));
            close(est.z.unwrap(), f(&irr["z"]), &what("z"));
            // Bounds and p against mpmath on irrCAC's value and SE: scipy 1.12's t.ppf, which
            // irrCAC uses, is off by up to 3e-9 relative (df = 42), and 1 - t.cdf cancels.
            let exact = &irr["mpmath"];
            close(est.df, f(&exact["df"]), &what("df"));
            close(est.ci.lower, f(&exact["ci_lower"]), &what("lower"));
            close(est.ci.upper, f(&exact["ci_upper"]), &what("upper"));
            close(est.p.unwrap(), f(&exact["p_two_sided"]), &what("p"));
            // irrCAC's own printed bounds, to scipy's quantile precision (5e-9 relative in t).
            let t_gap = 5e-9 * f(&exact["t_quantile"]) * est.se;
            assert!(
                (est.ci.lower - f(&irr["ci_lower"])).abs() <= t_gap,
                "{}",
                what("irrCAC lower")
            );
            assert!(
                (est.ci.upper.min(1.0) - f(&irr["ci_upper_capped_at_1"])).abs() <= t_gap,
                "{}",
                what("irrCAC upper (capped at 1 by irrCAC)")
            );
        }
        if let Some(sm) = case.get("statsmodels") {
            let k = fleiss_kappa(&r, &cats, &w, level).unwrap();
            close(k.as_defined().unwrap().value, f(&sm["kappa"]), name);
        }
        if let Some(p) = case.get("published") {
            let k = fleiss_kappa(&r, &cats, &w, level).unwrap();
            let k = k.as_defined().unwrap();
            close_printed(k.value, f(&p["kappa"]), 7, "Fleiss 1971 kappa");
            close_printed(k.value, 0.430, 3, "Fleiss 1971 kappa as printed");
            let z = k.z_null.unwrap();
            assert!(
                (z - f(&p["z_null"])).abs() <= 0.5e-5,
                "Fleiss 1971 z: got {z}, irr {}",
                f(&p["z_null"])
            );
        }
    }
    eprintln!(
        "multi-rater: max relative error {:e}",
        MAX_REL.with(Cell::get)
    );
}

fn metric(name: &str) -> Metric {
    match name {
        "nominal" => Metric::Nominal,
        "ordinal" => Metric::Ordinal,
        "interval" => Metric::Interval,
        "ratio" => Metric::Ratio,
        other => panic!("unknown metric {other}"),
    }
}

#[test]
fn krippendorff_alpha_matches_krippendorff_package_and_irrcac() {
    let data = load("krippendorff_cases.json");
    let cases = data["cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    let mut ordinal_gap: f64 = 0.0;
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let r = rows_to_ratings(&case["rows"]);
        for (m, want) in case["krippendorff"].as_object().unwrap() {
            let a = krippendorff_alpha(&r, metric(m), None).unwrap();
            let a = a
                .as_defined()
                .unwrap_or_else(|| panic!("{name} {m} undefined"));
            close(a.value, f(want), &format!("{name} {m} vs krippendorff"));
            if let Some(irr) = case["irrCAC"].get(m.as_str()).and_then(Value::as_f64) {
                if m == "ordinal" {
                    ordinal_gap = ordinal_gap.max((a.value - irr).abs());
                } else {
                    close(a.value, irr, &format!("{name} {m} vs irrCAC"));
                }
            }
            if let Some(p) = case.get("published") {
                close_printed(
                    a.value,
                    f(&p[m.as_str()]),
                    3,
                    &format!("{name} {m} published"),
                );
            }
        }
    }
    eprintln!(
        "krippendorff: max relative error {:e}; irrCAC ordinal differs by up to {ordinal_gap:.4}",
        MAX_REL.with(Cell::get)
    );
}

#[test]
fn krippendorff_2011_example_counts_units_and_values() {
    let data = load("krippendorff_cases.json");
    let r = rows_to_ratings(&data["cases"][0]["rows"]);
    let a = krippendorff_alpha(&r, Metric::Nominal, None).unwrap();
    let a = a.as_defined().unwrap();
    // 12 units; unit 12 has a single value and drops out; 40 pairable values.
    assert_eq!((a.units, a.dropped_units, a.values), (11, 1, 40));
}

#[test]
fn cohen_kappa_undefined_when_chance_agreement_is_one() {
    let cats = Categories::range(1, 5).unwrap();
    let a = [Some(5.0); 6];
    let k = cohen_kappa(&a, &a, &cats, &Weighting::Unweighted, Level::default()).unwrap();
    assert_eq!(k.undefined(), Some(Undefined::ExpectedAgreementOne));
}

/// A declared but unused category changes Brennan-Prediger and Gwet's chance agreement; with
/// weights over category values it leaves Cohen's weighted kappa alone (kappa ignores a
/// rescaling of the disagreement weights), and the spacing follows the values.
#[test]
fn declared_categories_matter_where_they_should() {
    let r = Ratings::from_rows(&[[1.0, 1.0], [2.0, 3.0], [2.0, 2.0], [3.0, 3.0]]).unwrap();
    let small = Categories::range(1, 3).unwrap();
    let wide = Categories::range(1, 5).unwrap();
    let w = Weighting::Unweighted;
    let l = Level::default();
    let bp3 = brennan_prediger(&r, &small, &w, l).unwrap();
    let bp5 = brennan_prediger(&r, &wide, &w, l).unwrap();
    assert!(bp3.as_defined().unwrap().value < bp5.as_defined().unwrap().value);
    let ac3 = gwet_ac(&r, &small, &w, l).unwrap();
    let ac5 = gwet_ac(&r, &wide, &w, l).unwrap();
    assert!(ac3.as_defined().unwrap().value != ac5.as_defined().unwrap().value);
    // Codes 1, 2, 4: 4 is twice as far from 2 as 2 is from 1.
    let a = [Some(1.0), Some(2.0), Some(4.0), Some(2.0)];
    let b = [Some(2.0), Some(2.0), Some(4.0), Some(4.0)];
    let spaced = Categories::new(vec![1.0, 2.0, 4.0]).unwrap();
    let by_value = cohen_kappa(&a, &b, &spaced, &Weighting::Linear, l).unwrap();
    let by_index = cohen_kappa(&a, &b, &small, &Weighting::Linear, l);
    assert!(by_index.is_err()); // 4 is not in 1..=3
    assert!(by_value.as_defined().is_some());
}

#[test]
fn perfect_agreement_has_kappa_one_and_zero_se() {
    let cats = Categories::range(1, 3).unwrap();
    let a = [Some(1.0), Some(2.0), Some(3.0), Some(2.0)];
    let k = cohen_kappa(&a, &a, &cats, &Weighting::Quadratic, Level::default()).unwrap();
    let k = k.as_defined().unwrap();
    assert_eq!((k.value, k.se, k.observed), (1.0, 0.0, 1.0));
}

#[test]
fn unknown_category_names_its_position() {
    let cats = Categories::range(1, 5).unwrap();
    let a = [Some(1.0), Some(2.0), Some(6.0)];
    let b = [Some(1.0), Some(2.0), Some(3.0)];
    assert_eq!(
        cohen_kappa(&a, &b, &cats, &Weighting::Unweighted, Level::default()),
        Err(Error::UnknownCategory {
            index: 2,
            value: 6.0
        })
    );
    let r = Ratings::from_rows(&[[1.0, 2.0], [2.5, 2.0]]).unwrap();
    assert_eq!(
        fleiss_kappa(&r, &cats, &Weighting::Unweighted, Level::default()),
        Err(Error::UnknownCategory {
            index: 2,
            value: 2.5
        })
    );
}

#[test]
fn invalid_inputs_are_typed_errors() {
    assert!(matches!(
        Categories::new(vec![1.0]),
        Err(Error::TooFew { .. })
    ));
    assert!(matches!(
        Categories::new(vec![1.0, 1.0]),
        Err(Error::NotIncreasing { .. })
    ));
    assert!(matches!(
        Categories::new(vec![1.0, f64::NAN]),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        WeightMatrix::new(2, vec![1.0, 0.5, 0.5, 0.9]),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        WeightMatrix::new(2, vec![1.0, 1.5, 0.5, 1.0]),
        Err(Error::InvalidParameter { .. })
    ));
    let cats = Categories::range(1, 3).unwrap();
    let w = WeightMatrix::new(2, vec![1.0, 0.0, 0.0, 1.0]).unwrap();
    let a = [Some(1.0), Some(2.0)];
    assert!(matches!(
        cohen_kappa(&a, &a, &cats, &Weighting::Custom(w), Level::default()),
        Err(Error::LengthMismatch { .. })
    ));
    assert!(matches!(
        cohen_kappa(&a, &a[..1], &cats, &Weighting::Unweighted, Level::default()),
        Err(Error::LengthMismatch { .. })
    ));
    assert!(matches!(
        cohen_kappa(
            &[Some(1.0), None],
            &[Some(1.0), Some(2.0)],
            &cats,
            &Weighting::Unweighted,
            Level::default()
        ),
        Err(Error::TooFew { .. })
    ));
    assert!(matches!(
        cohen_kappa(
            &[Some(1.0), Some(f64::NAN)],
            &[Some(1.0), Some(2.0)],
            &cats,
            &Weighting::Unweighted,
            Level::default()
        ),
        Err(Error::NonFinite { index: 1, .. })
    ));
    let r = Ratings::from_rows(&[[1.0, -2.0], [2.0, 2.0]]).unwrap();
    assert!(matches!(
        krippendorff_alpha(&r, Metric::Ratio, None),
        Err(Error::OutOfDomain { index: 1, .. })
    ));
    assert!(Bootstrap::new(1, 0, Level::default()).is_err());
}

#[test]
fn krippendorff_undefined_cases_are_typed() {
    let same = Ratings::from_rows(&[[3.0, 3.0], [3.0, 3.0], [3.0, 3.0]]).unwrap();
    for m in [
        Metric::Nominal,
        Metric::Ordinal,
        Metric::Interval,
        Metric::Ratio,
    ] {
        assert_eq!(
            krippendorff_alpha(&same, m, None).unwrap().undefined(),
            Some(Undefined::ConstantValues)
        );
    }
    let lonely = Ratings::with_missing(2, 2, vec![Some(1.0), None, None, Some(2.0)]).unwrap();
    assert_eq!(
        krippendorff_alpha(&lonely, Metric::Nominal, None)
            .unwrap()
            .undefined(),
        Some(Undefined::NoPairableUnit)
    );
    // One pairable unit with a disagreement: defined by the formula.
    let one = Ratings::with_missing(
        2,
        3,
        vec![Some(1.0), Some(2.0), Some(2.0), None, None, None],
    )
    .unwrap();
    let a = krippendorff_alpha(&one, Metric::Interval, None).unwrap();
    let a = a.as_defined().unwrap();
    // n = 3: D_o = (1/3)(1/2)(4 ordered pairs differing by 1) = 2/3; D_e = 2 * 2 / (3 * 2) = 2/3.
    assert_eq!(a.units, 1);
    assert!((a.value - 0.0).abs() < 1e-15);
}

#[test]
fn bootstrap_is_deterministic_and_brackets_alpha() {
    let data = load("krippendorff_cases.json");
    let r = rows_to_ratings(&data["cases"][0]["rows"]);
    let b = Bootstrap::new(2000, 7, Level::default()).unwrap();
    let one = krippendorff_alpha(&r, Metric::Interval, Some(b)).unwrap();
    let two = krippendorff_alpha(&r, Metric::Interval, Some(b)).unwrap();
    assert_eq!(one, two);
    let a = one.as_defined().unwrap();
    let ci = a.ci.unwrap();
    assert!(
        ci.lower < a.value && a.value <= ci.upper,
        "{ci:?} {}",
        a.value
    );
    let other = krippendorff_alpha(
        &r,
        Metric::Interval,
        Some(Bootstrap::new(2000, 8, Level::default()).unwrap()),
    )
    .unwrap();
    assert!(other.as_defined().unwrap().ci != a.ci);
}

/// Kappa exactly 0 gives z = 0 and p = 1 (statrs' incomplete gamma panics at 0; guarded).
#[test]
fn zero_kappa_has_p_one() {
    let cats = Categories::range(1, 2).unwrap();
    let a = [Some(1.0), Some(1.0), Some(2.0), Some(2.0)];
    let b = [Some(1.0), Some(2.0), Some(1.0), Some(2.0)];
    let k = cohen_kappa(&a, &b, &cats, &Weighting::Unweighted, Level::default()).unwrap();
    let k = k.as_defined().unwrap();
    assert_eq!((k.value, k.z, k.p), (0.0, Some(0.0), Some(1.0)));
    let r = Ratings::from_columns(&[[1.0, 1.0, 2.0, 2.0], [1.0, 2.0, 1.0, 2.0]]).unwrap();
    let f = fleiss_kappa(&r, &cats, &Weighting::Unweighted, Level::default()).unwrap();
    let f = f.as_defined().unwrap();
    assert_eq!(f.p_null, Some(1.0));
}

/// Deserializing a category set re-runs its checks.
#[cfg(feature = "serde")]
#[test]
fn categories_deserialize_through_validation() {
    let ok: Categories = serde_json::from_str("[1.0, 2.0, 4.0]").unwrap();
    assert_eq!(ok.values(), &[1.0, 2.0, 4.0]);
    assert_eq!(serde_json::to_string(&ok).unwrap(), "[1.0,2.0,4.0]");
    assert!(serde_json::from_str::<Categories>("[2.0, 1.0]").is_err());
    assert!(serde_json::from_str::<Categories>("[1.0]").is_err());
}

/// Values near `f64::MAX` give the same coefficients as the same values at ordinary scale
/// (the metrics ignore the scale), not NaN from overflowing squares.
#[test]
fn huge_values_do_not_overflow() {
    let small = [
        [1.0, 2.0, 2.0],
        [3.0, 3.0, 4.0],
        [0.0, 1.0, 0.0],
        [4.0, 4.0, 4.0],
    ];
    let big: Vec<[f64; 3]> = small.iter().map(|r| r.map(|x| x * 4e307)).collect();
    for m in [Metric::Interval, Metric::Ratio] {
        let a = krippendorff_alpha(&Ratings::from_rows(&small).unwrap(), m, None).unwrap();
        let b = krippendorff_alpha(&Ratings::from_rows(&big).unwrap(), m, None).unwrap();
        let (a, b) = (a.as_defined().unwrap().value, b.as_defined().unwrap().value);
        assert!((a - b).abs() < 1e-12, "{m:?}: {a} vs {b}");
    }
    let x = [Some(-1.0), Some(0.0), Some(1.0), Some(1.0), Some(0.0)];
    let y = [Some(-1.0), Some(1.0), Some(1.0), Some(0.0), Some(0.0)];
    let big_x: Vec<Option<f64>> = x.iter().map(|v| v.map(|v| v * 1.5e308)).collect();
    let big_y: Vec<Option<f64>> = y.iter().map(|v| v.map(|v| v * 1.5e308)).collect();
    let unit = Categories::new(vec![-1.0, 0.0, 1.0]).unwrap();
    let huge = Categories::new(vec![-1.5e308, 0.0, 1.5e308]).unwrap();
    for w in [Weighting::Linear, Weighting::Quadratic] {
        let a = cohen_kappa(&x, &y, &unit, &w, Level::default()).unwrap();
        let b = cohen_kappa(&big_x, &big_y, &huge, &w, Level::default()).unwrap();
        let (a, b) = (a.as_defined().unwrap().value, b.as_defined().unwrap().value);
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }
}
