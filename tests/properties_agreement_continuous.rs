//! Laws of the continuous agreement methods and of Cronbach's alpha.
#![allow(clippy::unwrap_used)] // test helpers fail loudly on malformed reference files

mod common;

use alliance::agreement::{
    IccForm, IccTable, IccUnit, LimitMultiplier, bland_altman, concordance, discrepancy, icc_table,
    pearson, spearman,
};
use alliance::reliability::{
    cronbach_alpha, cronbach_alpha_pairwise, item_analysis, standard_error_of_measurement,
};
use alliance::{Level, Outcome, Paired, Ratings};
use proptest::prelude::*;

/// Small-integer ratings (0-10), 2-30 targets, 2-6 raters: every sum is exact.
fn ratings() -> impl Strategy<Value = (usize, usize, Vec<f64>)> {
    (2usize..=30, 2usize..=6).prop_flat_map(|(n, k)| {
        (
            Just(n),
            Just(k),
            prop::collection::vec((0u8..=10).prop_map(f64::from), n * k),
        )
    })
}

/// Equal up to 1e-9, relative, with an absolute floor of 1e-9 ([`common::close`]).
fn near(a: f64, b: f64) -> bool {
    common::close(a, b, 1e-9, 1e-9)
}

fn same_outcome<T: Copy + std::fmt::Debug>(
    a: Outcome<T>,
    b: Outcome<T>,
    eq: impl Fn(T, T) -> bool,
) -> bool {
    match (a, b) {
        (Outcome::Defined(x), Outcome::Defined(y)) => eq(x, y),
        (Outcome::Undefined(x), Outcome::Undefined(y)) => x == y,
        _ => false,
    }
}

fn same_table(a: &IccTable, b: &IccTable) -> bool {
    a.all().iter().zip(b.all().iter()).all(|(x, y)| {
        same_outcome(x.coefficient, y.coefficient, near)
            && same_outcome(x.p, y.p, |p, q| (p - q).abs() <= 1e-9)
            && same_outcome(x.ci, y.ci, |c, d| {
                near(c.lower, d.lower) && near(c.upper, d.upper)
            })
    })
}

fn table(n: usize, k: usize, cells: Vec<f64>) -> IccTable {
    icc_table(&Ratings::new(n, k, cells).unwrap(), Level::default()).unwrap()
}

proptest! {
    /// Permuting targets (rows) and raters (columns) leaves every ICC, p and interval unchanged.
    #[test]
    fn icc_invariant_under_permutation((n, k, cells) in ratings(), shift in 0usize..30, rshift in 0usize..6) {
        let base = table(n, k, cells.clone());
        let mut permuted = Vec::with_capacity(n * k);
        for i in 0..n {
            let src = (i + shift) % n;
            for j in 0..k {
                permuted.push(cells[src * k + (j + rshift) % k]);
            }
        }
        prop_assert!(same_table(&base, &table(n, k, permuted)));
    }

    /// A positive affine change a·x + b of every rating leaves every ICC unchanged.
    #[test]
    fn icc_invariant_under_positive_affine((n, k, cells) in ratings(), a in prop::sample::select(vec![0.5, 2.0, 3.0, 4.0]), b in -10i32..10) {
        let base = table(n, k, cells.clone());
        let moved: Vec<f64> = cells.iter().map(|x| a * x + f64::from(b)).collect();
        prop_assert!(same_table(&base, &table(n, k, moved)));
    }

    /// Adding a constant to one rater leaves consistency ICCs unchanged; ICC(A,1) does not rise
    /// when that raises MSC (and the numerator MSR − MSE is non-negative).
    #[test]
    fn constant_added_to_one_rater((n, k, cells) in ratings(), c in 1i32..20, rater in 0usize..6) {
        let j = rater % k;
        let base = table(n, k, cells.clone());
        let mut moved = cells.clone();
        for i in 0..n {
            moved[i * k + j] += f64::from(c);
        }
        let after = table(n, k, moved);
        for unit in [IccUnit::Single, IccUnit::Average] {
            let (x, y) = (base.get(IccForm::TwoWayConsistency, unit), after.get(IccForm::TwoWayConsistency, unit));
            prop_assert!(same_outcome(x.coefficient, y.coefficient, near));
        }
        let (x, y) = (base.agreement_single, after.agreement_single);
        if let (Some(v0), Some(v1)) = (x.coefficient.value(), y.coefficient.value()) {
            let numerator = x.mean_squares.rows - x.mean_squares.error;
            if y.mean_squares.columns >= x.mean_squares.columns && numerator >= 0.0 {
                prop_assert!(v1 <= v0 + 1e-12, "{v1} > {v0}");
            }
        }
    }

    /// Identical raters give ICC = 1 (every form) when targets vary, and an undefined
    /// ICC (constant ratings) when they do not.
    #[test]
    fn identical_raters(targets in prop::collection::vec(0u8..=10, 2..30), k in 2usize..6) {
        let n = targets.len();
        let cells: Vec<f64> = targets.iter().flat_map(|&t| std::iter::repeat_n(f64::from(t), k)).collect();
        let t = table(n, k, cells);
        let varies = targets.iter().any(|&x| x != targets[0]);
        for icc in t.all() {
            if varies {
                prop_assert_eq!(icc.coefficient.value(), Some(1.0));
            } else {
                prop_assert_eq!(icc.coefficient.undefined(), Some(alliance::Undefined::ConstantValues));
            }
        }
    }

    /// Lin's CCC, Pearson and Spearman are symmetric in the two raters.
    #[test]
    fn paired_coefficients_symmetric(pairs in prop::collection::vec((0u8..=10, 0u8..=10), 2..40)) {
        let x: Vec<f64> = pairs.iter().map(|p| f64::from(p.0)).collect();
        let y: Vec<f64> = pairs.iter().map(|p| f64::from(p.1)).collect();
        let l = Level::default();
        let (xy, yx) = (Paired::new(&x, &y).unwrap(), Paired::new(&y, &x).unwrap());
        let (a, b) = (concordance(&xy, l).unwrap(), concordance(&yx, l).unwrap());
        prop_assert!(same_outcome(a.coefficient, b.coefficient, near));
        prop_assert!(same_outcome(a.se, b.se, near));
        prop_assert!(same_outcome(a.se_z, b.se_z, near));
        prop_assert!(same_outcome(pearson(&xy, l).unwrap().coefficient, pearson(&yx, l).unwrap().coefficient, near));
        prop_assert!(same_outcome(spearman(&xy, l).unwrap().coefficient, spearman(&yx, l).unwrap().coefficient, near));
        if let Outcome::Defined(c) = a.coefficient {
            prop_assert!((-1.0..=1.0).contains(&c));
        }
    }

    /// Cronbach's alpha (raw and standardized) is never above 1, and alpha if deleted has one
    /// entry per item.
    #[test]
    fn alpha_at_most_one((n, k, cells) in ratings()) {
        let r = Ratings::new(n, k, cells).unwrap();
        let ia = item_analysis(&r, Level::default()).unwrap();
        for v in [ia.alpha.coefficient, ia.alpha.standardized].into_iter().filter_map(Outcome::defined) {
            prop_assert!(v <= 1.0 + 1e-12, "alpha {v}");
        }
        prop_assert_eq!(ia.items.len(), k);
    }

    /// Listwise deletion equals computing on the complete rows alone (ICC and alpha).
    #[test]
    fn missing_cells_equal_complete_rows((n, k, cells) in ratings(), holes in prop::collection::vec(any::<prop::sample::Index>(), 0..6)) {
        let mut with: Vec<Option<f64>> = cells.iter().copied().map(Some).collect();
        for h in &holes {
            with[h.index(n * k)] = None;
        }
        let complete: Vec<f64> = with
            .chunks(k)
            .filter(|row| row.iter().all(Option::is_some))
            .flat_map(|row| row.iter().map(|x| x.unwrap_or(0.0)))
            .collect();
        let m = complete.len() / k;
        let gappy = Ratings::with_missing(n, k, with).unwrap();
        let l = Level::default();
        if m >= 2 {
            let full = Ratings::new(m, k, complete).unwrap();
            let (a, b) = (icc_table(&gappy, l).unwrap(), icc_table(&full, l).unwrap());
            prop_assert_eq!(a.agreement_single.dropped, n - m);
            for (x, y) in a.all().iter().zip(b.all().iter()) {
                prop_assert_eq!((x.coefficient, x.f, x.p, x.ci), (y.coefficient, y.f, y.p, y.ci));
            }
            let (p, q) = (cronbach_alpha(&gappy, l).unwrap(), cronbach_alpha(&full, l).unwrap());
            prop_assert_eq!(p.coefficient, q.coefficient);
            prop_assert_eq!(p.ci, q.ci);
            prop_assert_eq!(p.dropped, n - m);
        } else {
            prop_assert!(icc_table(&gappy, l).is_err());
            prop_assert!(cronbach_alpha(&gappy, l).is_err());
        }
    }

    /// No input panics: any f64 (NaN, infinities, huge), any lengths, any parameters.
    #[test]
    fn no_panic_on_arbitrary_input(
        x in prop::collection::vec(any::<f64>(), 0..12),
        y in prop::collection::vec(any::<f64>(), 0..12),
        k in 0usize..5,
        cells in prop::collection::vec(prop::option::of(any::<f64>()), 0..30),
        p in any::<f64>(),
        q in any::<f64>(),
        level in any::<f64>(),
    ) {
        let l = Level::new(level).unwrap_or_default();
        if let Ok(pairs) = Paired::new(&x, &y) {
            let _ = concordance(&pairs, l);
            let _ = pearson(&pairs, l);
            let _ = spearman(&pairs, l);
            if let Ok(m) = LimitMultiplier::new(p) {
                let _ = bland_altman(&pairs, m, l);
            }
            let _ = discrepancy(&pairs, p, q);
        }
        let _ = standard_error_of_measurement(p, q);
        let n = cells.len().checked_div(k).unwrap_or(0);
        if let Ok(r) = Ratings::with_missing(n, k, cells[..n * k].to_vec()) {
            let _ = icc_table(&r, l);
            let _ = item_analysis(&r, l);
            let _ = cronbach_alpha_pairwise(&r, l, Default::default());
        }
        // values pushed to the edges of the numeric domain (alliance::domain) get through
        // validation: no panic, and never a NaN or an infinity reported as a defined value
        let big: Vec<f64> = x.iter().map(|&v| to_domain_edge(v)).collect();
        if big.len() >= 4 {
            let m = big.len() / 2;
            let finite = |v: Outcome<f64>| v.value().is_none_or(f64::is_finite);
            let finite_ci = |v: Outcome<alliance::Interval>| {
                v.value().is_none_or(|c| c.lower.is_finite() && c.upper.is_finite())
            };
            let pairs = Paired::new(&big[..m], &big[m..2 * m]).unwrap();
            if let Ok(c) = concordance(&pairs, l) {
                for v in [c.coefficient, c.pearson_r, c.bias_correction, c.scale_shift, c.location_shift, c.se, c.se_z] {
                    prop_assert!(finite(v));
                }
                prop_assert!(finite_ci(c.ci) && finite_ci(c.ci_asymptotic));
            }
            for c in [pearson(&pairs, l), spearman(&pairs, l)].into_iter().flatten() {
                prop_assert!(finite(c.coefficient) && finite(c.t) && finite(c.p) && finite(c.p_exact));
                prop_assert!(finite_ci(c.ci));
            }
            if let Ok(ba) = bland_altman(&pairs, LimitMultiplier::default(), l) {
                prop_assert!([ba.bias, ba.sd, ba.lower_limit, ba.upper_limit].iter().all(|v| v.is_finite()));
            }
            if let Ok(r) = Ratings::new(m, 2, big[..2 * m].to_vec()) {
                // no NaN or infinity inside an Ok (ratings whose mean squares overflow are an Err)
                for i in icc_table(&r, l).into_iter().flat_map(|t| t.all()) {
                    prop_assert!(finite(i.coefficient) && finite(i.f) && finite(i.p));
                    prop_assert!(finite_ci(i.ci));
                    let ms = i.mean_squares;
                    prop_assert!([ms.rows, ms.columns, ms.error, ms.within].iter().all(|v| v.is_finite()));
                }
                let ia = item_analysis(&r, l).unwrap();
                prop_assert!(ia.alpha.coefficient.defined().is_none_or(|a| a.is_finite() && a <= 1.0));
                prop_assert!(finite(ia.alpha.standardized) && finite_ci(ia.alpha.ci));
                for it in &ia.items {
                    prop_assert!(finite(it.sd) && finite(it.mean));
                    prop_assert!(finite(it.alpha_if_deleted) && finite(it.corrected_item_total));
                }
            }
        }
    }
}

/// A value moved to the nearest edge of the numeric domain when outside it (infinities and
/// values beyond 1e100 to ±1e100, nonzero values below 1e-100 to ±1e-100, NaN to 0).
fn to_domain_edge(v: f64) -> f64 {
    use alliance::domain::{MAGNITUDE_LIMIT, RESOLUTION_LIMIT, contains};
    if v.is_nan() {
        0.0
    } else if contains(v) {
        v
    } else if v.abs() > MAGNITUDE_LIMIT {
        MAGNITUDE_LIMIT.copysign(v)
    } else {
        RESOLUTION_LIMIT.copysign(v)
    }
}
