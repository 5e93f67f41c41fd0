//! Laws of the categorical agreement coefficients (Cohen, Fleiss, Gwet, Brennan-Prediger,
//! Krippendorff).
#![allow(clippy::unwrap_used, clippy::float_cmp)] // tests: a failed unwrap is a failed test

use alliance::Level;
use alliance::Outcome;
use alliance::Ratings;
use alliance::agreement::{
    Categories, Metric, Weighting, brennan_prediger, cohen_kappa, fleiss_kappa, gwet_ac,
    krippendorff_alpha,
};
use proptest::prelude::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()))
}

fn weighting() -> impl Strategy<Value = Weighting> {
    prop_oneof![
        Just(Weighting::Unweighted),
        Just(Weighting::Linear),
        Just(Weighting::Quadratic)
    ]
}

/// Paired codes in 1..=5 with some missing.
fn pairs() -> impl Strategy<Value = (Vec<Option<f64>>, Vec<Option<f64>>)> {
    (2usize..60).prop_flat_map(|n| {
        let code = prop_oneof![4 => (1u8..=5).prop_map(|c| Some(f64::from(c))), 1 => Just(None)];
        (
            proptest::collection::vec(code.clone(), n),
            proptest::collection::vec(code, n),
        )
    })
}

/// Units x coders with values in 1..=6 and about a fifth missing.
fn units(max_coders: usize) -> impl Strategy<Value = (usize, usize, Vec<Option<f64>>)> {
    (2usize..40, 2usize..=max_coders).prop_flat_map(|(n, k)| {
        let cell = prop_oneof![4 => (1u8..=6).prop_map(|c| Some(f64::from(c))), 1 => Just(None)];
        (Just(n), Just(k), proptest::collection::vec(cell, n * k))
    })
}

fn value<T>(c: &Outcome<T>, get: impl Fn(&T) -> f64) -> Option<f64> {
    c.as_defined().map(get)
}

const METRICS: [Metric; 4] = [
    Metric::Nominal,
    Metric::Ordinal,
    Metric::Interval,
    Metric::Ratio,
];

proptest! {
    /// Cohen's kappa (with symmetric weights) is symmetric in its two raters: swapping them
    /// transposes the table and leaves kappa, its SEs and its definedness unchanged.
    #[test]
    fn kappa_is_symmetric_in_its_raters((a, b) in pairs(), w in weighting()) {
        let cats = Categories::range(1, 5).unwrap();
        let ab = cohen_kappa(&a, &b, &cats, &w, Level::default());
        let ba = cohen_kappa(&b, &a, &cats, &w, Level::default());
        match (ab, ba) {
            (Ok(ab), Ok(ba)) => {
                prop_assert_eq!(ab.undefined(), ba.undefined());
                if let (Some(x), Some(y)) = (ab.as_defined(), ba.as_defined()) {
                    prop_assert!(close(x.value, y.value));
                    prop_assert!(close(x.se, y.se));
                    prop_assert!(close(x.se_null, y.se_null));
                }
            }
            (Err(e1), Err(e2)) => prop_assert_eq!(e1, e2),
            _ => prop_assert!(false, "one order failed"),
        }
    }

    /// Two raters who always agree, using at least two categories, have kappa exactly 1
    /// (any weighting), and so do Fleiss' kappa, AC1 and Brennan-Prediger.
    #[test]
    fn perfect_agreement_gives_one((a, _) in pairs(), w in weighting()) {
        let codes: Vec<f64> = a.iter().flatten().copied().collect();
        let distinct = codes.iter().any(|&c| codes.first().is_some_and(|&f| c != f));
        prop_assume!(codes.len() >= 2 && distinct);
        let cats = Categories::range(1, 5).unwrap();
        let k = cohen_kappa(&a, &a, &cats, &w, Level::default()).unwrap();
        prop_assert_eq!(value(&k, |k| k.value), Some(1.0));
        let r = Ratings::from_columns(&[&codes, &codes]).unwrap();
        for f in [fleiss_kappa, gwet_ac, brennan_prediger] {
            let c = f(&r, &cats, &w, Level::default()).unwrap();
            prop_assert!(close(value(&c, |c| c.value).unwrap(), 1.0));
        }
    }

    /// Krippendorff's alpha never exceeds 1 (D_o >= 0 and D_e > 0), for every metric.
    #[test]
    fn krippendorff_alpha_is_at_most_one((n, k, cells) in units(6)) {
        let r = Ratings::with_missing(n, k, cells).unwrap();
        for m in METRICS {
            if let Some(a) = value(&krippendorff_alpha(&r, m, None).unwrap(), |a| a.value) {
                prop_assert!(a <= 1.0 + 1e-12, "{:?}: {}", m, a);
            }
        }
    }

    /// Nominal alpha is unchanged by relabelling the categories with any bijection.
    #[test]
    fn nominal_alpha_is_unchanged_by_relabelling(
        (n, k, cells) in units(6),
        labels in Just(vec![-3.5, 10.0, 0.25, 7.0, 100.0, 2.0]).prop_shuffle(),
    ) {
        let relabelled: Vec<Option<f64>> = cells
            .iter()
            .map(|c| c.map(|x| labels[x as usize - 1]))
            .collect();
        let a = krippendorff_alpha(&Ratings::with_missing(n, k, cells).unwrap(), Metric::Nominal, None).unwrap();
        let b = krippendorff_alpha(&Ratings::with_missing(n, k, relabelled).unwrap(), Metric::Nominal, None).unwrap();
        prop_assert_eq!(a.undefined(), b.undefined());
        if let (Some(x), Some(y)) = (value(&a, |a| a.value), value(&b, |a| a.value)) {
            prop_assert!(close(x, y), "{} vs {}", x, y);
        }
    }

    /// Missing values are handled as if each unit held only its present values: adding a coder
    /// who rated nothing, shifting a unit's values to other coders, or adding a unit with a
    /// single value changes nothing.
    #[test]
    fn missing_values_act_like_complete_units((n, k, cells) in units(5), shift in 0usize..5) {
        let base = Ratings::with_missing(n, k, cells.clone()).unwrap();
        // one more coder, all missing, placed first; each unit's values rotated by `shift`
        let mut wider = Vec::with_capacity(n * (k + 1) + k + 1);
        for row in cells.chunks(k) {
            wider.push(None);
            for j in 0..k {
                wider.push(row[(j + shift) % k]);
            }
        }
        // a unit with one value
        wider.push(Some(3.0));
        wider.extend(std::iter::repeat_n(None, k));
        let wide = Ratings::with_missing(n + 1, k + 1, wider).unwrap();
        for m in METRICS {
            let a = krippendorff_alpha(&base, m, None).unwrap();
            let b = krippendorff_alpha(&wide, m, None).unwrap();
            prop_assert_eq!(a.undefined(), b.undefined());
            if let (Some(x), Some(y)) = (a.as_defined(), b.as_defined()) {
                prop_assert!(close(x.value, y.value), "{:?}: {} vs {}", m, x.value, y.value);
                prop_assert_eq!((x.units, x.values), (y.units, y.values));
            }
        }
    }

    /// No public function panics, whatever the numbers (NaN, infinities, huge, tiny) and sizes.
    #[test]
    fn no_panic_on_arbitrary_input(
        xs in proptest::collection::vec(prop_oneof![
            any::<f64>(),
            Just(f64::NAN),
            Just(f64::INFINITY),
            (1u8..=5).prop_map(f64::from),
        ], 0..40),
        mask in proptest::collection::vec(any::<bool>(), 0..40),
        k in 0usize..5,
        cats in proptest::collection::vec(any::<f64>(), 0..6),
        w in weighting(),
    ) {
        let opt: Vec<Option<f64>> = xs.iter().zip(mask.iter().chain(std::iter::repeat(&true)))
            .map(|(&x, &keep)| keep.then_some(x)).collect();
        let half = opt.len() / 2;
        let declared = [Categories::new(cats), Categories::range(1, 5)];
        for c in declared.iter().flatten() {
            let _ = cohen_kappa(&opt[..half], &opt[half..2 * half], c, &w, Level::default());
            let _ = cohen_kappa(&opt[..half], &opt[half..], c, &w, Level::default());
        }
        if k >= 2 {
            let n = opt.len() / k;
            if let Ok(r) = Ratings::with_missing(n, k, opt[..n * k].to_vec()) {
                for c in declared.iter().flatten() {
                    let _ = fleiss_kappa(&r, c, &w, Level::default());
                    let _ = gwet_ac(&r, c, &w, Level::default());
                    let _ = brennan_prediger(&r, c, &w, Level::default());
                }
                for m in METRICS {
                    let _ = krippendorff_alpha(&r, m, None);
                }
            }
        }
    }
}
