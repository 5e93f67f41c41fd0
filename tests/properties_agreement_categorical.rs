//! Laws of the categorical agreement coefficients (Cohen, Fleiss, Gwet, Brennan-Prediger,
//! Krippendorff).
#![allow(clippy::unwrap_used, clippy::float_cmp)] // tests: a failed unwrap is a failed test

mod common;

use alliance::Level;
use alliance::Outcome;
use alliance::agreement::{
    Categories, ContingencyTable, Metric, Weighting, brennan_prediger, cohen_kappa,
    cohen_kappa_from_table, fleiss_kappa, gwet_ac, krippendorff_alpha,
};
use alliance::{Paired, Ratings};
use proptest::prelude::*;

/// Equal up to 1e-12, relative, with an absolute floor of 1e-12 ([`common::close`]).
fn close(a: f64, b: f64) -> bool {
    common::close(a, b, 1e-12, 1e-12)
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

fn value(c: &Outcome<f64>) -> Option<f64> {
    c.value()
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
        let ab = cohen_kappa(&Paired::with_missing(&a, &b).unwrap(), &cats, &w, Level::default());
        let ba = cohen_kappa(&Paired::with_missing(&b, &a).unwrap(), &cats, &w, Level::default());
        match (ab, ba) {
            (Ok(ab), Ok(ba)) => {
                prop_assert_eq!(ab.coefficient.undefined(), ba.coefficient.undefined());
                prop_assert_eq!((ab.n, ab.dropped), (ba.n, ba.dropped));
                for (x, y) in [(ab.coefficient, ba.coefficient), (ab.se, ba.se), (ab.se_null, ba.se_null)] {
                    if let (Some(x), Some(y)) = (x.value(), y.value()) {
                        prop_assert!(close(x, y));
                    }
                }
            }
            (Err(e1), Err(e2)) => prop_assert_eq!(e1, e2),
            _ => prop_assert!(false, "one order failed"),
        }
    }

    /// The contingency-table path and the paired path give the identical result, and every
    /// defined quantity is finite (no NaN or infinity inside an `Ok`).
    #[test]
    fn table_and_paired_paths_agree((a, b) in pairs(), w in weighting()) {
        let cats = Categories::range(1, 5).unwrap();
        let p = Paired::with_missing(&a, &b).unwrap();
        let Ok(from_pairs) = cohen_kappa(&p, &cats, &w, Level::default()) else {
            return Ok(()); // fewer than 2 complete pairs
        };
        let table = ContingencyTable::from_paired(&p, &cats).unwrap();
        let mut from_table = cohen_kappa_from_table(&table, &w, Level::default()).unwrap();
        prop_assert_eq!(from_table.dropped, 0);
        from_table.dropped = from_pairs.dropped;
        prop_assert_eq!(&from_table, &from_pairs);
        let k = from_pairs;
        for x in [k.coefficient, k.se, k.se_null, k.z, k.p] {
            prop_assert!(x.value().is_none_or(f64::is_finite));
        }
        prop_assert!(k.observed_agreement.is_finite() && k.chance_agreement.is_finite());
        prop_assert!(k.ci.value().is_none_or(|ci| ci.lower.is_finite() && ci.upper.is_finite()));
    }

    /// Every defined quantity of the multi-rater coefficients and of Krippendorff's alpha is
    /// finite, and the counts add up.
    #[test]
    fn multi_rater_and_alpha_outputs_are_finite((n, k, cells) in units(5), w in weighting()) {
        let r = Ratings::with_missing(n, k, cells).unwrap();
        let cats = Categories::range(1, 6).unwrap();
        for f in [fleiss_kappa, gwet_ac, brennan_prediger] {
            let Ok(m) = f(&r, &cats, &w, Level::default()) else { continue };
            prop_assert_eq!(m.n + m.dropped, n);
            prop_assert!(m.pairable <= m.n);
            prop_assert!(m.chance_agreement.is_finite() && m.df.is_finite());
            for x in [m.coefficient, m.observed_agreement, m.se, m.t, m.p, m.se_null, m.z_null, m.p_null] {
                prop_assert!(x.value().is_none_or(f64::is_finite));
            }
        }
        for m in METRICS {
            let a = krippendorff_alpha(&r, m, None).unwrap();
            prop_assert_eq!(a.n + a.dropped, n);
            for x in [a.coefficient, a.observed_disagreement, a.expected_disagreement] {
                prop_assert!(x.value().is_none_or(f64::is_finite));
            }
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
        let k = cohen_kappa(&Paired::with_missing(&a, &a).unwrap(), &cats, &w, Level::default()).unwrap();
        prop_assert_eq!(value(&k.coefficient), Some(1.0));
        let r = Ratings::from_columns(&[&codes, &codes]).unwrap();
        for f in [fleiss_kappa, gwet_ac, brennan_prediger] {
            let c = f(&r, &cats, &w, Level::default()).unwrap();
            prop_assert!(close(value(&c.coefficient).unwrap(), 1.0));
        }
    }

    /// Krippendorff's alpha never exceeds 1 (D_o >= 0 and D_e > 0), for every metric.
    #[test]
    fn krippendorff_alpha_is_at_most_one((n, k, cells) in units(6)) {
        let r = Ratings::with_missing(n, k, cells).unwrap();
        for m in METRICS {
            if let Some(a) = value(&krippendorff_alpha(&r, m, None).unwrap().coefficient) {
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
        prop_assert_eq!(a.coefficient.undefined(), b.coefficient.undefined());
        prop_assert_eq!((a.n, a.pairable), (b.n, b.pairable));
        if let (Some(x), Some(y)) = (value(&a.coefficient), value(&b.coefficient)) {
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
            prop_assert_eq!(a.coefficient.undefined(), b.coefficient.undefined());
            // counts too, defined or not (the extra unit with one value is dropped)
            prop_assert_eq!((a.n, a.pairable, a.dropped + 1), (b.n, b.pairable, b.dropped));
            if let (Some(x), Some(y)) = (value(&a.coefficient), value(&b.coefficient)) {
                prop_assert!(close(x, y), "{:?}: {} vs {}", m, x, y);
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
            if let Ok(p) = Paired::with_missing(&opt[..half], &opt[half..2 * half]) {
                let _ = cohen_kappa(&p, c, &w, Level::default());
                let _ = ContingencyTable::from_paired(&p, c);
            }
            let _ = Paired::with_missing(&opt[..half], &opt[half..]);
        }
        if let Some(c) = declared.iter().flatten().next() {
            let q = c.len();
            let rows: Vec<Vec<u64>> = (0..q)
                .map(|i| (0..q).map(|j| xs.get(i * q + j).map_or(0, |x| x.abs().min(1e6) as u64)).collect())
                .collect();
            if let Ok(t) = ContingencyTable::new(c.clone(), &rows) {
                let _ = cohen_kappa_from_table(&t, &w, Level::default());
            }
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
