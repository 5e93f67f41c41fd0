//! Laws of the REML ICC (`agreement::icc_reml`): invariance to the order of targets and of
//! raters and to a shift of every rating, equivariance under scaling, and equality with the
//! ANOVA ICCs on complete balanced data.
#![allow(clippy::unwrap_used)] // test helpers fail loudly

mod common;

use alliance::agreement::{IccReml, icc_reml, icc_table};
use alliance::{Level, Outcome, Ratings};
use proptest::prelude::*;

/// Integer ratings 0-10 with about 20% of the cells missing: 3-20 targets, 2-5 raters.
fn design() -> impl Strategy<Value = (usize, usize, Vec<Option<f64>>)> {
    (3usize..=20, 2usize..=5).prop_flat_map(|(n, k)| {
        (
            Just(n),
            Just(k),
            prop::collection::vec(
                ((0u8..=10).prop_map(f64::from), any::<u8>())
                    .prop_map(|(x, m)| (m >= 51).then_some(x)),
                n * k,
            ),
        )
    })
}

fn fit(n: usize, k: usize, cells: Vec<Option<f64>>) -> Option<IccReml> {
    icc_reml(&Ratings::with_missing(n, k, cells).ok()?, None).ok()
}

/// Components agree to 1e-6 of the total variance (a component near the boundary is
/// determined only to that), after multiplying the first by `factor`.
fn same_components(a: &IccReml, b: &IccReml, factor: f64) -> bool {
    let parts = |r: &IccReml| [r.target.variance, r.rater.variance, r.residual.variance];
    let total: f64 = parts(b).iter().filter_map(|v| v.value()).sum();
    parts(a).iter().zip(parts(b)).all(|(x, y)| match (x, y) {
        (Outcome::Defined(x), Outcome::Defined(y)) => {
            common::close(x * factor, y, 1e-6, 1e-6 * total)
        }
        (Outcome::Undefined(x), Outcome::Undefined(y)) => *x == y,
        _ => false,
    })
}

/// The six forms agree to 1e-6, relative with an absolute floor of 1e-6 (psych's ICC(1,k)
/// can lie far below -1 when rater variance dominates).
fn same_forms(a: &IccReml, b: &IccReml) -> bool {
    a.all()
        .iter()
        .zip(b.all())
        .all(|(x, y)| match (x.coefficient, y.coefficient) {
            (Outcome::Defined(x), Outcome::Defined(y)) => common::close(x, y, 1e-6, 1e-6),
            (Outcome::Undefined(x), Outcome::Undefined(y)) => x == y,
            _ => false,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Reordering the targets (rows) and the raters (columns) changes nothing.
    #[test]
    fn order_of_targets_and_raters_is_irrelevant(
        (n, k, cells) in design(),
        rows in Just(()).prop_perturb(|_, mut rng| rng.random::<u64>()),
    ) {
        let Some(a) = fit(n, k, cells.clone()) else { return Ok(()); };
        // a permutation of the rows and a rotation and reversal of the columns, from a seed
        let mut order: Vec<usize> = (0..n).collect();
        let mut s = rows;
        for i in (1..n).rev() {
            s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            order.swap(i, (s >> 33) as usize % (i + 1));
        }
        let shift = (rows as usize) % k;
        let mut moved = Vec::with_capacity(n * k);
        for &i in &order {
            for j in (0..k).rev() {
                moved.push(cells[i * k + (j + shift) % k]);
            }
        }
        let b = fit(n, k, moved).unwrap();
        prop_assert!(same_components(&a, &b, 1.0), "{a:?}\n{b:?}");
        prop_assert!(same_forms(&a, &b));
        prop_assert_eq!((a.n, a.raters, a.cells, a.patterns), (b.n, b.raters, b.cells, b.patterns));
        prop_assert_eq!(
            (a.target.boundary, a.rater.boundary),
            (b.target.boundary, b.rater.boundary)
        );
    }

    /// Adding a constant to every rating changes the intercept only.
    #[test]
    fn a_shift_changes_nothing_but_the_intercept(
        (n, k, cells) in design(),
        shift in -1000.0f64..1000.0,
    ) {
        let Some(a) = fit(n, k, cells.clone()) else { return Ok(()); };
        let b = fit(n, k, cells.iter().map(|c| c.map(|x| x + shift)).collect()).unwrap();
        prop_assert!(same_components(&a, &b, 1.0), "{a:?}\n{b:?}");
        prop_assert!(same_forms(&a, &b));
        prop_assert!(common::close(a.intercept + shift, b.intercept, 1e-9, 1e-6));
    }

    /// Multiplying every rating by c multiplies each component by c² and leaves every ICC.
    #[test]
    fn scaling_multiplies_components_by_the_square(
        (n, k, cells) in design(),
        c in prop_oneof![0.001f64..1000.0, -1000.0f64..-0.001],
    ) {
        let Some(a) = fit(n, k, cells.clone()) else { return Ok(()); };
        let b = fit(n, k, cells.iter().map(|v| v.map(|x| x * c)).collect()).unwrap();
        prop_assert!(same_components(&a, &b, c * c), "{a:?}\n{b:?}");
        prop_assert!(same_forms(&a, &b));
    }

    /// On complete balanced data REML is the ANOVA estimator when neither variance ratio is on
    /// the boundary (REML truncates at 0 where ANOVA goes negative), so the six forms equal
    /// `icc_table`'s.
    #[test]
    fn balanced_complete_data_equal_anova(
        (n, k, t, r, e) in (3usize..=20, 2usize..=5).prop_flat_map(|(n, k)| {
            (
                Just(n),
                Just(k),
                prop::collection::vec(0u8..=10, n),
                prop::collection::vec(0u8..=10, k),
                prop::collection::vec(0u8..=4, n * k),
            )
        }),
    ) {
        // target effect + rater effect + noise, so that both components are usually positive
        let cells = (0..n * k)
            .map(|c| f64::from(t[c / k]) + f64::from(r[c % k]) + f64::from(e[c]))
            .collect();
        let r = Ratings::new(n, k, cells).unwrap();
        let Ok(reml) = icc_reml(&r, None) else { return Ok(()); };
        let anova = icc_table(&r, Level::default()).unwrap();
        let ms = anova.agreement_single.mean_squares;
        // ANOVA components positive, by a margin the optimiser resolves
        let interior = ms.rows > ms.error * (1.0 + 1e-6) && ms.columns > ms.error * (1.0 + 1e-6);
        prop_assume!(interior && reml.residual.variance.value().is_some_and(|v| v > 0.0));
        prop_assert!(!reml.target.boundary && !reml.rater.boundary);
        for (x, y) in reml.all().iter().zip(anova.all()) {
            let (x, y) = (x.coefficient.value().unwrap(), y.coefficient.value().unwrap());
            prop_assert!((x - y).abs() <= 1e-6, "{x} vs {y}");
        }
    }
}
