//! Categorical agreement against stored reference values (statsmodels 0.15 and 0.14, irrCAC
//! 0.4.4, krippendorff 0.9.0) and published examples. Regenerate the JSON with
//! `python3 tests/reference/kappa_cases.py`, `python3 tests/reference/kappa_tables.py` and
//! `python3 tests/reference/krippendorff_cases.py`.
#![allow(clippy::unwrap_used, clippy::float_cmp)] // tests: a failed unwrap is a failed test

use alliance::agreement::{
    Bootstrap, Categories, CohenKappa, ContingencyTable, Metric, MultiRaterAgreement, WeightMatrix,
    Weighting, brennan_prediger, cohen_kappa, cohen_kappa_from_table, fleiss_kappa, gwet_ac,
    krippendorff_alpha, ratings_from_coders_by_units, ratings_from_units_by_coders,
};
use alliance::{CaseDeletion, IntervalMethod, PMethod, Paired, Ratings};
use alliance::{Error, Level};
use alliance::{Outcome, Undefined};
use serde_json::Value;

mod common;

const REL: f64 = 1e-9;

/// |got - want| <= 1e-9 |want|, with a 1e-15 absolute floor for exact zeros.
#[track_caller]
fn close(got: f64, want: f64, what: &str) {
    common::assert_close(what, got, want, REL, 1e-15);
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
    common::reference(name)
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
            Weighting::Custom(WeightMatrix::agreement(cats.len(), w).unwrap())
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

fn paired(a: &[Option<f64>], b: &[Option<f64>]) -> Paired {
    Paired::with_missing(a, b).unwrap()
}

/// Checks a Cohen's kappa result against a stored statsmodels record.
fn check_statsmodels(k: &CohenKappa, sm: &Value, name: &str) {
    close(
        k.coefficient.value().unwrap(),
        f(&sm["kappa"]),
        &format!("{name} kappa"),
    );
    close(k.se.value().unwrap(), f(&sm["se"]), &format!("{name} se"));
    close(
        k.se_null.value().unwrap(),
        f(&sm["se_null"]),
        &format!("{name} se_null"),
    );
    close(k.z.value().unwrap(), f(&sm["z"]), &format!("{name} z"));
    close(
        k.p.value().unwrap(),
        f(&sm["p_two_sided"]),
        &format!("{name} p"),
    );
    let ci = k.ci.value().unwrap();
    close(ci.lower, f(&sm["ci_lower"]), &format!("{name} lower"));
    close(ci.upper, f(&sm["ci_upper"]), &format!("{name} upper"));
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
        let k = cohen_kappa(&paired(&a, &b), &cats, &w, Level::default()).unwrap();
        assert!(k.coefficient.is_defined(), "{name} undefined");
        check_statsmodels(&k, &case["statsmodels"], name);
        assert_eq!(k.ci_method, IntervalMethod::Normal);
        assert_eq!(k.p_method, PMethod::Normal);
        let kappa = k.coefficient.value().unwrap();
        let irr = &case["irrCAC"];
        close(
            kappa,
            f(&irr["kappa_table"]),
            &format!("{name} irrCAC table kappa"),
        );
        close(k.observed_agreement, f(&irr["pa"]), &format!("{name} pa"));
        close(k.chance_agreement, f(&irr["pe"]), &format!("{name} pe"));
        if is_symmetric(&w) {
            close(
                kappa,
                f(&irr["kappa_conger"]),
                &format!("{name} irrCAC conger"),
            );
            close(
                k.se.value().unwrap(),
                f(&irr["se_table"]),
                &format!("{name} irrCAC se"),
            );
        }
        let dropped = a
            .iter()
            .zip(&b)
            .filter(|(x, y)| x.is_none() || y.is_none())
            .count();
        assert_eq!((k.n, k.dropped), (a.len() - dropped, dropped), "{name}");
        assert_eq!(k.missing, CaseDeletion::Listwise);
        if let Some(p) = case.get("published") {
            let d = f(&p["decimals"]) as i32;
            let ci = k.ci.value().unwrap();
            for (got, key) in [
                (kappa, "kappa"),
                (k.se.value().unwrap(), "se"),
                (ci.lower, "ci_lower"),
                (ci.upper, "ci_upper"),
                (k.se_null.value().unwrap(), "se_null"),
                (k.z.value().unwrap(), "z"),
                (k.p.value().unwrap(), "p_two_sided"),
            ] {
                close_printed(got, f(&p[key]), d, &format!("{name} published {key}"));
            }
        }
    }
}

/// The contingency-table path and the paired path share one kernel: on every stored case the
/// table of the pairs gives the identical result (only `dropped` differs).
#[test]
fn cohen_kappa_from_table_is_identical_to_paired() {
    let data = load("kappa_cases.json");
    for case in data["cohen"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let cats = categories(case);
        let w = weighting(case, &cats);
        let p = paired(&opt_codes(&case["rater_a"]), &opt_codes(&case["rater_b"]));
        let from_pairs = cohen_kappa(&p, &cats, &w, Level::default()).unwrap();
        let table = ContingencyTable::from_paired(&p, &cats).unwrap();
        // the same table typed in by hand, row by row
        let c = cats.len();
        let rows: Vec<Vec<u64>> = table.counts().chunks(c).map(<[u64]>::to_vec).collect();
        let typed = ContingencyTable::new(cats.clone(), &rows).unwrap();
        assert_eq!(typed, table, "{name}");
        let mut from_table = cohen_kappa_from_table(&typed, &w, Level::default()).unwrap();
        assert_eq!(from_table.dropped, 0);
        from_table.dropped = from_pairs.dropped;
        assert_eq!(from_table, from_pairs, "{name}");
    }
}

fn weights_of(v: &Value) -> Option<Vec<f64>> {
    v.as_array().map(|rows| {
        rows.iter()
            .flat_map(|r| r.as_array().unwrap().iter().map(f))
            .collect()
    })
}

/// Tables with agreement and disagreement weights, including Cohen (1968) and Fleiss, Cohen &
/// Everitt (1969), against statsmodels and irrCAC (`tests/reference/kappa_tables.py`).
#[test]
fn cohen_kappa_tables_match_statsmodels_and_published_values() {
    let data = load("kappa_tables.json");
    let cases = data["cases"].as_array().unwrap();
    assert!(cases.len() >= 9);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let cats = categories(case);
        let c = cats.len();
        let rows: Vec<Vec<u64>> = case["table"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r.as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_u64().unwrap())
                    .collect()
            })
            .collect();
        let table = ContingencyTable::new(cats, &rows).unwrap();
        let w = match (
            weights_of(&case["disagreement_weights"]),
            weights_of(&case["agreement_weights"]),
        ) {
            (Some(v), None) => Weighting::Custom(WeightMatrix::disagreement(c, v).unwrap()),
            (None, Some(w)) => Weighting::Custom(WeightMatrix::agreement(c, w).unwrap()),
            _ => Weighting::Unweighted,
        };
        let k = cohen_kappa_from_table(&table, &w, Level::default()).unwrap();
        check_statsmodels(&k, &case["statsmodels"], name);
        assert_eq!(k.n as u64, table.n());
        if let Some(irr) = case.get("irrCAC") {
            close(
                k.coefficient.value().unwrap(),
                f(&irr["kappa"]),
                &format!("{name} irrCAC"),
            );
            close(
                k.se.value().unwrap(),
                f(&irr["se"]),
                &format!("{name} irrCAC se"),
            );
            close(
                k.observed_agreement,
                f(&irr["pa"]),
                &format!("{name} irrCAC pa"),
            );
            close(
                k.chance_agreement,
                f(&irr["pe"]),
                &format!("{name} irrCAC pe"),
            );
        }
        if let Some(p) = case.get("published") {
            close_printed(
                k.coefficient.value().unwrap(),
                f(&p["kappa"]),
                f(&p["decimals"]) as i32,
                &format!("{name} published"),
            );
        }
    }
}

/// Disagreement weights v and agreement weights 1 - v / max(v) give the same kappa (Cohen
/// 1968: `kappa_w = 1 - Σ v p_o / Σ v p_e`), and so the same whole result.
#[test]
fn agreement_and_disagreement_weights_agree() {
    let cats = Categories::range(1, 3).unwrap();
    let table = ContingencyTable::new(cats, &[[88, 14, 18], [10, 40, 10], [2, 6, 12]]).unwrap();
    for v in [
        [0.0, 1.0, 3.0, 1.0, 0.0, 6.0, 3.0, 6.0, 0.0],
        [0.0, 1.0, 4.0, 1.0, 0.0, 6.0, 2.0, 2.0, 0.0],
    ] {
        let max = v.iter().copied().fold(0.0, f64::max);
        let w: Vec<f64> = v.iter().map(|x| 1.0 - x / max).collect();
        let dis = Weighting::Custom(WeightMatrix::disagreement(3, v.to_vec()).unwrap());
        let agr = Weighting::Custom(WeightMatrix::agreement(3, w).unwrap());
        let a = cohen_kappa_from_table(&table, &dis, Level::default()).unwrap();
        let b = cohen_kappa_from_table(&table, &agr, Level::default()).unwrap();
        assert_eq!(a, b);
        // and Cohen's own form
        let p: Vec<f64> = table.counts().iter().map(|&x| x as f64 / 200.0).collect();
        let rows: Vec<f64> = (0..3).map(|i| (0..3).map(|j| p[i * 3 + j]).sum()).collect();
        let cols: Vec<f64> = (0..3).map(|j| (0..3).map(|i| p[i * 3 + j]).sum()).collect();
        let vo: f64 = (0..9).map(|k| v[k] * p[k]).sum();
        let ve: f64 = (0..9).map(|k| v[k] * rows[k / 3] * cols[k % 3]).sum();
        let kw = a.coefficient.value().unwrap();
        assert!(
            (kw - (1.0 - vo / ve)).abs() < 1e-12,
            "{kw} vs {}",
            1.0 - vo / ve
        );
    }
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
        type Method =
            fn(&Ratings, &Categories, &Weighting, Level) -> alliance::Result<MultiRaterAgreement>;
        let methods: [(&str, Method); 3] = [
            ("fleiss", fleiss_kappa),
            ("gwet", gwet_ac),
            ("bp", brennan_prediger),
        ];
        for (key, method) in methods {
            let est = method(&r, &cats, &w, level).unwrap();
            let value = est
                .coefficient
                .value()
                .unwrap_or_else(|| panic!("{name} {key} undefined"));
            let irr = &case["irrCAC"][key];
            let what = |s: &str| format!("{name} {key} {s}");
            close(value, f(&irr["value"]), &what("value"));
            close(
                est.observed_agreement.value().unwrap(),
                f(&irr["pa"]),
                &what("pa"),
            );
            close(est.chance_agreement, f(&irr["pe"]), &what("pe"));
            let se = est.se.value().unwrap();
            close(se, f(&irr["se"]), &what("se"));
            close(est.t.value().unwrap(), f(&irr["z"]), &what("z"));
            // Bounds and p against mpmath on irrCAC's value and SE: scipy 1.12's t.ppf, which
            // irrCAC uses, is off by up to 3e-9 relative (df = 42), and 1 - t.cdf cancels.
            let exact = &irr["mpmath"];
            let ci = est.ci.value().unwrap();
            close(est.df, f(&exact["df"]), &what("df"));
            close(ci.lower, f(&exact["ci_lower"]), &what("lower"));
            close(ci.upper, f(&exact["ci_upper"]), &what("upper"));
            close(est.p.value().unwrap(), f(&exact["p_two_sided"]), &what("p"));
            // irrCAC's own printed bounds, to scipy's quantile precision (5e-9 relative in t).
            let t_gap = 5e-9 * f(&exact["t_quantile"]) * se;
            assert!(
                (ci.lower - f(&irr["ci_lower"])).abs() <= t_gap,
                "{}",
                what("irrCAC lower")
            );
            assert!(
                (ci.upper.min(1.0) - f(&irr["ci_upper_capped_at_1"])).abs() <= t_gap,
                "{}",
                what("irrCAC upper (capped at 1 by irrCAC)")
            );
            assert_eq!(
                (est.ci_method, est.p_method),
                (IntervalMethod::StudentT, PMethod::StudentT)
            );
        }
        if let Some(sm) = case.get("statsmodels") {
            let k = fleiss_kappa(&r, &cats, &w, level).unwrap();
            close(k.coefficient.value().unwrap(), f(&sm["kappa"]), name);
        }
        if let Some(p) = case.get("published") {
            let k = fleiss_kappa(&r, &cats, &w, level).unwrap();
            let value = k.coefficient.value().unwrap();
            close_printed(value, f(&p["kappa"]), 7, "Fleiss 1971 kappa");
            close_printed(value, 0.430, 3, "Fleiss 1971 kappa as printed");
            let z = k.z_null.value().unwrap();
            assert!(
                (z - f(&p["z_null"])).abs() <= 0.5e-5,
                "Fleiss 1971 z: got {z}, irr {}",
                f(&p["z_null"])
            );
        }
    }
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
            let alpha = a
                .coefficient
                .value()
                .unwrap_or_else(|| panic!("{name} {m} undefined"));
            close(alpha, f(want), &format!("{name} {m} vs krippendorff"));
            if let Some(irr) = case["irrCAC"].get(m.as_str()).and_then(Value::as_f64) {
                if m == "ordinal" {
                    ordinal_gap = ordinal_gap.max((alpha - irr).abs());
                } else {
                    close(alpha, irr, &format!("{name} {m} vs irrCAC"));
                }
            }
            if let Some(p) = case.get("published") {
                close_printed(
                    alpha,
                    f(&p[m.as_str()]),
                    3,
                    &format!("{name} {m} published"),
                );
            }
        }
    }
    eprintln!("krippendorff: irrCAC ordinal differs by up to {ordinal_gap:.4}");
}

#[test]
fn krippendorff_2011_example_counts_units_and_values() {
    let data = load("krippendorff_cases.json");
    let r = rows_to_ratings(&data["cases"][0]["rows"]);
    let a = krippendorff_alpha(&r, Metric::Nominal, None).unwrap();
    // 12 units; unit 12 has a single value and drops out; 40 pairable values.
    assert_eq!((a.n, a.dropped, a.pairable), (11, 1, 40));
    assert_eq!(a.missing, CaseDeletion::AvailableRatings);
    assert_eq!(a.ci, Outcome::Undefined(Undefined::NotRequested));
    // 1 - D_o / D_e
    let (d_o, d_e) = (
        a.observed_disagreement.value().unwrap(),
        a.expected_disagreement.value().unwrap(),
    );
    assert!((a.coefficient.value().unwrap() - (1.0 - d_o / d_e)).abs() < 1e-15);
}

/// Krippendorff (2011)'s worked example typed in its own layout (4 observers x 12 units, as
/// the krippendorff package's `reliability_data` and R irr take it) gives the identical result
/// as the stored units x coders rows, for every metric, and matches the published values.
#[test]
fn krippendorff_both_layouts_give_identical_results() {
    let data = load("krippendorff_cases.json");
    let case = &data["cases"][0];
    let units: Vec<Vec<Option<f64>>> = case["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(opt_codes)
        .collect();
    let coders: Vec<Vec<Option<f64>>> = (0..units[0].len())
        .map(|c| units.iter().map(|u| u[c]).collect())
        .collect();
    assert_eq!((coders.len(), coders[0].len()), (4, 12));
    let by_coders = ratings_from_coders_by_units(&coders).unwrap();
    let by_units = ratings_from_units_by_coders(&units).unwrap();
    assert_eq!(by_coders, by_units);
    assert_eq!(by_units, rows_to_ratings(&case["rows"]));
    for m in ["nominal", "ordinal", "interval", "ratio"] {
        let a = krippendorff_alpha(&by_coders, metric(m), None).unwrap();
        let b = krippendorff_alpha(&by_units, metric(m), None).unwrap();
        assert_eq!(a, b, "{m}");
        close_printed(
            a.coefficient.value().unwrap(),
            f(&case["published"][m]),
            3,
            &format!("{m} published"),
        );
    }
    // a transposed matrix is not silently accepted as the other layout's
    assert_eq!(
        ratings_from_coders_by_units(&[vec![Some(1.0), Some(2.0)], vec![Some(1.0)]]),
        Err(Error::RaggedReliabilityData {
            row: 1,
            expected: 2,
            found: 1
        })
    );
}

#[test]
fn cohen_kappa_undefined_when_chance_agreement_is_one() {
    let cats = Categories::range(1, 5).unwrap();
    let a = [Some(5.0); 6];
    let k = cohen_kappa(
        &paired(&a, &a),
        &cats,
        &Weighting::Unweighted,
        Level::default(),
    )
    .unwrap();
    assert_eq!(
        k.coefficient.undefined(),
        Some(Undefined::ExpectedAgreementOne)
    );
}

/// Every statistic's undefined path keeps every defined count and share.
#[test]
fn undefined_paths_keep_the_defined_counts() {
    let level = Level::default();
    let why = Outcome::Undefined(Undefined::ExpectedAgreementOne);
    // Cohen: one category used by both raters (one pair dropped for a missing rating).
    let cats = Categories::range(1, 5).unwrap();
    let a = [Some(4.0), Some(4.0), Some(4.0), None, Some(4.0)];
    let k = cohen_kappa(&paired(&a, &a), &cats, &Weighting::Quadratic, level).unwrap();
    assert_eq!((k.n, k.dropped, k.categories), (4, 1, 5));
    assert_eq!((k.observed_agreement, k.chance_agreement), (1.0, 1.0));
    assert_eq!(
        (k.coefficient, k.se, k.se_null, k.z, k.p),
        (why, why, why, why, why)
    );
    assert_eq!(k.ci, Outcome::Undefined(Undefined::ExpectedAgreementOne));
    // the same from a table
    let t =
        ContingencyTable::new(cats, &[[0u64; 5], [0; 5], [0; 5], [0, 0, 0, 4, 0], [0; 5]]).unwrap();
    let mut from_table = cohen_kappa_from_table(&t, &Weighting::Quadratic, level).unwrap();
    from_table.dropped = 1;
    assert_eq!(from_table, k);

    // Multi-rater, chance agreement 1: every rating is a 2 (one subject unrated).
    let cats = Categories::range(1, 3).unwrap();
    let same = Ratings::with_missing(
        4,
        3,
        vec![
            Some(2.0),
            Some(2.0),
            Some(2.0),
            Some(2.0),
            None,
            Some(2.0),
            None,
            None,
            None,
            Some(2.0),
            Some(2.0),
            None,
        ],
    )
    .unwrap();
    // Weights that credit every pair fully make chance agreement 1 for Brennan-Prediger
    // (T_w / q^2); Gwet's stays T_w Σ π(1 - π) / (q (q - 1)) = 0 here.
    let ones = Weighting::Custom(WeightMatrix::agreement(3, vec![1.0; 9]).unwrap());
    type Method =
        fn(&Ratings, &Categories, &Weighting, Level) -> alliance::Result<MultiRaterAgreement>;
    let methods: [(Method, f64); 3] = [
        // Fleiss: one category used; Gwet's AC1: p_e = 0; Brennan-Prediger: p_e = 1/q.
        (fleiss_kappa, 1.0),
        (gwet_ac, 0.0),
        (brennan_prediger, 1.0 / 3.0),
    ];
    for (f, pe) in methods {
        for w in [&Weighting::Unweighted, &ones] {
            let m = f(&same, &cats, w, level).unwrap();
            assert_eq!(
                (m.n, m.pairable, m.dropped, m.raters, m.categories),
                (3, 3, 1, 3, 3)
            );
            assert_eq!(m.observed_agreement, Outcome::Defined(1.0));
            assert_eq!(m.df, 2.0);
            let bp_ones = pe > 0.0 && pe < 1.0 && *w == ones;
            if pe == 1.0 || bp_ones {
                assert_eq!(m.chance_agreement, 1.0);
                assert_eq!((m.coefficient, m.se, m.t, m.p), (why, why, why, why));
                assert_eq!(m.ci, Outcome::Undefined(Undefined::ExpectedAgreementOne));
            } else {
                assert!((m.chance_agreement - pe).abs() < 1e-15);
                assert_eq!(m.coefficient, Outcome::Defined(1.0));
            }
        }
    }
    // Multi-rater, no subject rated twice.
    let lonely = Ratings::with_missing(
        3,
        2,
        vec![Some(1.0), None, None, Some(2.0), Some(3.0), None],
    )
    .unwrap();
    let m = fleiss_kappa(&lonely, &cats, &Weighting::Unweighted, level).unwrap();
    let none = Outcome::Undefined(Undefined::NoPairableUnit);
    assert_eq!((m.n, m.pairable, m.dropped), (3, 0, 0));
    assert_eq!(
        (m.coefficient, m.observed_agreement, m.se),
        (none, none, none)
    );
    // the shares are there: each category once, p_e = 3 (1/3)^2
    assert!((m.chance_agreement - 1.0 / 3.0).abs() < 1e-15);

    // Krippendorff, no variation: units, values and both disagreements (0) stay.
    for (rows, missing) in [
        (vec![Some(3.0); 6], false),
        (
            vec![Some(3.0), Some(3.0), Some(3.0), Some(3.0), None, Some(3.0)],
            true,
        ),
    ] {
        let r = Ratings::with_missing(3, 2, rows).unwrap();
        for m in [
            Metric::Nominal,
            Metric::Ordinal,
            Metric::Interval,
            Metric::Ratio,
        ] {
            let a = krippendorff_alpha(&r, m, Some(Bootstrap::new(10).unwrap())).unwrap();
            let units = if missing { 2 } else { 3 };
            assert_eq!(
                (a.n, a.pairable, a.dropped),
                (units, 2 * units, 3 - units),
                "{m:?}"
            );
            assert_eq!(a.coefficient, Outcome::Undefined(Undefined::ConstantValues));
            assert_eq!(a.ci, Outcome::Undefined(Undefined::ConstantValues));
            assert_eq!(a.observed_disagreement, Outcome::Defined(0.0));
            assert_eq!(a.expected_disagreement, Outcome::Defined(0.0));
        }
    }
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
    assert!(bp3.coefficient.value().unwrap() < bp5.coefficient.value().unwrap());
    let ac3 = gwet_ac(&r, &small, &w, l).unwrap();
    let ac5 = gwet_ac(&r, &wide, &w, l).unwrap();
    assert!(ac3.coefficient.value().unwrap() != ac5.coefficient.value().unwrap());
    // Codes 1, 2, 4: 4 is twice as far from 2 as 2 is from 1.
    let a = [Some(1.0), Some(2.0), Some(4.0), Some(2.0)];
    let b = [Some(2.0), Some(2.0), Some(4.0), Some(4.0)];
    let spaced = Categories::new(vec![1.0, 2.0, 4.0]).unwrap();
    let by_value = cohen_kappa(&paired(&a, &b), &spaced, &Weighting::Linear, l).unwrap();
    let by_index = cohen_kappa(&paired(&a, &b), &small, &Weighting::Linear, l);
    assert!(by_index.is_err()); // 4 is not in 1..=3
    assert!(by_value.coefficient.is_defined());
}

#[test]
fn perfect_agreement_has_kappa_one_and_zero_se() {
    let cats = Categories::range(1, 3).unwrap();
    let a = [Some(1.0), Some(2.0), Some(3.0), Some(2.0)];
    let k = cohen_kappa(
        &paired(&a, &a),
        &cats,
        &Weighting::Quadratic,
        Level::default(),
    )
    .unwrap();
    assert_eq!(
        (k.coefficient, k.se, k.observed_agreement),
        (Outcome::Defined(1.0), Outcome::Defined(0.0), 1.0)
    );
}

#[test]
fn unknown_category_names_its_position() {
    let cats = Categories::range(1, 5).unwrap();
    let a = [Some(1.0), Some(2.0), Some(6.0)];
    let b = [Some(1.0), Some(2.0), Some(3.0)];
    assert_eq!(
        cohen_kappa(
            &paired(&a, &b),
            &cats,
            &Weighting::Unweighted,
            Level::default()
        ),
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
    assert_eq!(
        Categories::new(vec![1.0]),
        Err(Error::TooFewCategories { found: 1 })
    );
    assert!(matches!(
        Categories::new(vec![1.0, 1.0]),
        Err(Error::CategoriesNotAscending { index: 1, .. })
    ));
    assert!(matches!(
        Categories::new(vec![1.0, f64::NAN]),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        WeightMatrix::agreement(2, vec![1.0, 0.5, 0.5, 0.9]),
        Err(Error::DiagonalWeight { category: 1, .. })
    ));
    assert!(matches!(
        WeightMatrix::agreement(2, vec![1.0, 1.5, 0.5, 1.0]),
        Err(Error::WeightOutOfRange {
            row: 0,
            column: 1,
            ..
        })
    ));
    assert!(matches!(
        WeightMatrix::agreement(2, vec![1.0, 0.5, 0.5]),
        Err(Error::WeightCount {
            size: 2,
            expected: 4,
            found: 3
        })
    ));
    assert!(matches!(
        WeightMatrix::disagreement(2, vec![0.0, -1.0, 1.0, 0.0]),
        Err(Error::WeightOutOfRange {
            row: 0,
            column: 1,
            ..
        })
    ));
    assert!(matches!(
        WeightMatrix::disagreement(2, vec![1.0, 1.0, 1.0, 0.0]),
        Err(Error::DiagonalWeight { category: 0, .. })
    ));
    assert_eq!(
        WeightMatrix::disagreement(2, vec![0.0; 4]),
        Err(Error::NoDisagreementWeight)
    );
    let cats = Categories::range(1, 3).unwrap();
    let w = WeightMatrix::agreement(2, vec![1.0, 0.0, 0.0, 1.0]).unwrap();
    let a = [Some(1.0), Some(2.0)];
    assert_eq!(
        cohen_kappa(
            &paired(&a, &a),
            &cats,
            &Weighting::Custom(w),
            Level::default()
        ),
        Err(Error::WeightMatrixSize {
            categories: 3,
            found: 2
        })
    );
    assert_eq!(
        cohen_kappa(
            &paired(&[Some(1.0), None], &[Some(1.0), Some(2.0)]),
            &cats,
            &Weighting::Unweighted,
            Level::default()
        ),
        Err(Error::TooFewRatedPairs { found: 1 })
    );
    assert_eq!(
        ContingencyTable::new(cats.clone(), &[[1u64, 2, 3], [1, 2, 3]]),
        Err(Error::TableRows {
            categories: 3,
            found: 2
        })
    );
    assert_eq!(
        ContingencyTable::new(cats.clone(), &[vec![1u64, 2, 3], vec![1, 2], vec![0, 0, 0]]),
        Err(Error::TableRowLength {
            row: 1,
            categories: 3,
            found: 2
        })
    );
    assert!(matches!(
        ContingencyTable::new(cats.clone(), &[[u64::MAX, 0, 0], [1, 0, 0], [0, 0, 0]]),
        Err(Error::TableTooLarge { .. })
    ));
    let one = ContingencyTable::new(cats.clone(), &[[1u64, 0, 0], [0, 0, 0], [0, 0, 0]]).unwrap();
    assert_eq!(
        cohen_kappa_from_table(&one, &Weighting::Unweighted, Level::default()),
        Err(Error::TooFewRatedPairs { found: 1 })
    );
    let r = Ratings::with_missing(2, 2, vec![Some(1.0), None, None, None]).unwrap();
    assert_eq!(
        fleiss_kappa(&r, &cats, &Weighting::Unweighted, Level::default()),
        Err(Error::TooFewRatedSubjects { found: 1 })
    );
    let r = Ratings::from_rows(&[[1.0, -2.0], [2.0, 2.0]]).unwrap();
    assert!(matches!(
        krippendorff_alpha(&r, Metric::Ratio, None),
        Err(Error::OutOfDomain { index: 1, .. })
    ));
    for replicates in [0, 1, Bootstrap::MAX_REPLICATES + 1, usize::MAX] {
        assert_eq!(
            Bootstrap::new(replicates),
            Err(Error::BootstrapReplicates {
                found: replicates,
                min: 2,
                max: 1_000_000
            })
        );
    }
    assert!(Bootstrap::new(Bootstrap::MAX_REPLICATES).is_ok());
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
            krippendorff_alpha(&same, m, None).unwrap().coefficient,
            Outcome::Undefined(Undefined::ConstantValues)
        );
    }
    let lonely = Ratings::with_missing(2, 2, vec![Some(1.0), None, None, Some(2.0)]).unwrap();
    let a = krippendorff_alpha(&lonely, Metric::Nominal, None).unwrap();
    let none = Outcome::Undefined(Undefined::NoPairableUnit);
    assert_eq!(
        (
            a.coefficient,
            a.observed_disagreement,
            a.expected_disagreement
        ),
        (none, none, none)
    );
    assert_eq!((a.n, a.pairable, a.dropped), (0, 0, 2));
    // One pairable unit with a disagreement: defined by the formula.
    let one = Ratings::with_missing(
        2,
        3,
        vec![Some(1.0), Some(2.0), Some(2.0), None, None, None],
    )
    .unwrap();
    let a = krippendorff_alpha(&one, Metric::Interval, None).unwrap();
    // n = 3: D_o = (1/3)(1/2)(4 ordered pairs differing by 1) = 2/3; D_e = 2 * 2 / (3 * 2) = 2/3.
    assert_eq!(a.n, 1);
    assert!((a.coefficient.value().unwrap() - 0.0).abs() < 1e-15);
}

#[test]
fn bootstrap_is_deterministic_and_brackets_alpha() {
    let data = load("krippendorff_cases.json");
    let r = rows_to_ratings(&data["cases"][0]["rows"]);
    let b = Bootstrap::new(2000).unwrap().with_seed(7);
    let one = krippendorff_alpha(&r, Metric::Interval, Some(b)).unwrap();
    let two = krippendorff_alpha(&r, Metric::Interval, Some(b)).unwrap();
    assert_eq!(one, two);
    assert_eq!(one.ci_method, IntervalMethod::PercentileBootstrap);
    let alpha = one.coefficient.value().unwrap();
    let ci = one.ci.value().unwrap();
    assert!(ci.lower < alpha && alpha <= ci.upper, "{ci:?} {alpha}");
    let other = krippendorff_alpha(&r, Metric::Interval, Some(b.with_seed(8))).unwrap();
    assert!(other.ci != one.ci);
}

/// Kappa exactly 0 gives z = 0 and p = 1 (statrs' incomplete gamma panics at 0; guarded).
#[test]
fn zero_kappa_has_p_one() {
    let cats = Categories::range(1, 2).unwrap();
    let a = [Some(1.0), Some(1.0), Some(2.0), Some(2.0)];
    let b = [Some(1.0), Some(2.0), Some(1.0), Some(2.0)];
    let k = cohen_kappa(
        &paired(&a, &b),
        &cats,
        &Weighting::Unweighted,
        Level::default(),
    )
    .unwrap();
    assert_eq!(
        (k.coefficient, k.z, k.p),
        (
            Outcome::Defined(0.0),
            Outcome::Defined(0.0),
            Outcome::Defined(1.0)
        )
    );
    let r = Ratings::from_columns(&[[1.0, 1.0, 2.0, 2.0], [1.0, 2.0, 1.0, 2.0]]).unwrap();
    let f = fleiss_kappa(&r, &cats, &Weighting::Unweighted, Level::default()).unwrap();
    assert_eq!(f.p_null, Outcome::Defined(1.0));
}

/// Deserializing a category set, a contingency table, weights or a bootstrap re-runs its
/// checks.
#[cfg(feature = "serde")]
#[test]
fn categories_deserialize_through_validation() {
    let ok: Categories = serde_json::from_str("[1.0, 2.0, 4.0]").unwrap();
    assert_eq!(ok.values(), &[1.0, 2.0, 4.0]);
    assert_eq!(serde_json::to_string(&ok).unwrap(), "[1.0,2.0,4.0]");
    assert!(serde_json::from_str::<Categories>("[2.0, 1.0]").is_err());
    assert!(serde_json::from_str::<Categories>("[1.0]").is_err());
    let t: ContingencyTable =
        serde_json::from_str(r#"{"categories": [0.0, 1.0], "counts": [[3, 1], [0, 2]]}"#).unwrap();
    assert_eq!(t.counts(), &[3, 1, 0, 2]);
    let back: ContingencyTable = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
    assert_eq!(back, t);
    assert!(
        serde_json::from_str::<ContingencyTable>(
            r#"{"categories": [0.0, 1.0], "counts": [[3, 1]]}"#
        )
        .is_err()
    );
    // weights and the bootstrap settings round-trip and re-run their checks
    let v = WeightMatrix::disagreement(2, vec![0.0, 4.0, 2.0, 0.0]).unwrap();
    let w = Weighting::Custom(v);
    let back: Weighting = serde_json::from_str(&serde_json::to_string(&w).unwrap()).unwrap();
    assert_eq!(back, w);
    assert!(
        serde_json::from_str::<WeightMatrix>(r#"{"size": 2, "agreement_weights": [0.5, 0, 0, 1]}"#)
            .is_err()
    );
    let b = Bootstrap::new(500).unwrap().with_seed(3);
    let back: Bootstrap = serde_json::from_str(&serde_json::to_string(&b).unwrap()).unwrap();
    assert_eq!(back, b);
    assert_eq!(
        serde_json::from_str::<Bootstrap>(r#"{"replicates": 500}"#).unwrap(),
        Bootstrap::new(500).unwrap()
    );
    assert!(serde_json::from_str::<Bootstrap>(r#"{"replicates": 1}"#).is_err());
}

/// Values near `f64::MAX` give the same coefficients as the same values at ordinary scale
/// (the metrics ignore the scale), not NaN from overflowing squares.
/// Values at the edge of the numeric domain (`alliance::domain`): scaling by a power of two
/// that takes them there changes no coefficient, and nothing overflows; beyond the edge the
/// values are refused at the door.
#[test]
fn huge_values_do_not_overflow() {
    let small = [
        [1.0, 2.0, 2.0],
        [3.0, 3.0, 4.0],
        [0.0, 1.0, 0.0],
        [4.0, 4.0, 4.0],
    ];
    let scale = 2f64.powi(328); // 5.5e98: 4 × scale is within 1e100
    let big: Vec<[f64; 3]> = small.iter().map(|r| r.map(|x| x * scale)).collect();
    for m in [Metric::Interval, Metric::Ratio] {
        let a = krippendorff_alpha(&Ratings::from_rows(&small).unwrap(), m, None).unwrap();
        let b = krippendorff_alpha(&Ratings::from_rows(&big).unwrap(), m, None).unwrap();
        let (x, y) = (
            a.coefficient.value().unwrap(),
            b.coefficient.value().unwrap(),
        );
        assert_eq!(x.to_bits(), y.to_bits(), "{m:?}: {x} vs {y}");
        let d = b.observed_disagreement.value().unwrap();
        assert!(d.is_finite() && d > 0.0, "{m:?}: {d}");
    }
    let beyond: Vec<[f64; 3]> = small.iter().map(|r| r.map(|x| x * 4e307)).collect();
    assert!(matches!(
        Ratings::from_rows(&beyond),
        Err(Error::TooLarge { .. })
    ));
    let x = [Some(-1.0), Some(0.0), Some(1.0), Some(1.0), Some(0.0)];
    let y = [Some(-1.0), Some(1.0), Some(1.0), Some(0.0), Some(0.0)];
    let edge = 1e100;
    let big_x: Vec<Option<f64>> = x.iter().map(|v| v.map(|v| v * edge)).collect();
    let big_y: Vec<Option<f64>> = y.iter().map(|v| v.map(|v| v * edge)).collect();
    let unit = Categories::new(vec![-1.0, 0.0, 1.0]).unwrap();
    let huge = Categories::new(vec![-edge, 0.0, edge]).unwrap();
    for w in [Weighting::Linear, Weighting::Quadratic] {
        let a = cohen_kappa(&paired(&x, &y), &unit, &w, Level::default()).unwrap();
        let b = cohen_kappa(&paired(&big_x, &big_y), &huge, &w, Level::default()).unwrap();
        let (a, b) = (
            a.coefficient.value().unwrap(),
            b.coefficient.value().unwrap(),
        );
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }
    assert!(matches!(
        Categories::new(vec![-1.5e308, 0.0, 1.5e308]),
        Err(Error::TooLarge { .. })
    ));
}
