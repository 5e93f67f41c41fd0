//! Laws of the ICC test against r0 and of McDonald's omega.
#![allow(clippy::unwrap_used)] // test helpers fail loudly
#![allow(clippy::doc_markdown)] // math notation is prose, not code

mod common;

use alliance::agreement::{IccForm, IccUnit, icc, icc_test};
use alliance::reliability::{FactorMethod, omega, omega_from_covariance};
use alliance::{Level, Outcome, Ratings};
use proptest::prelude::*;

const FORMS: [(IccForm, IccUnit); 6] = [
    (IccForm::OneWay, IccUnit::Single),
    (IccForm::TwoWayAgreement, IccUnit::Single),
    (IccForm::TwoWayConsistency, IccUnit::Single),
    (IccForm::OneWay, IccUnit::Average),
    (IccForm::TwoWayAgreement, IccUnit::Average),
    (IccForm::TwoWayConsistency, IccUnit::Average),
];

/// Small-integer ratings (0-10), 2-30 targets, 2-6 raters.
fn ratings() -> impl Strategy<Value = Ratings> {
    (2usize..=30, 2usize..=6).prop_flat_map(|(n, k)| {
        prop::collection::vec((0u8..=10).prop_map(f64::from), n * k)
            .prop_map(move |cells| Ratings::new(n, k, cells).unwrap())
    })
}

/// Answers of n respondents to k items from a one-factor model, built from uniform draws
/// (a factor and noise per answer), so that the items correlate positively.
fn one_factor_answers() -> impl Strategy<Value = (usize, usize, Vec<f64>)> {
    (20usize..=60, 3usize..=7).prop_flat_map(|(n, k)| {
        (
            Just(n),
            Just(k),
            prop::collection::vec(-1.0f64..1.0, n),
            prop::collection::vec(-1.0f64..1.0, n * k),
            prop::collection::vec(0.5f64..1.5, k),
        )
            .prop_map(|(n, k, factor, noise, loadings)| {
                let cells = (0..n * k)
                    .map(|c| loadings[c % k] * factor[c / k] + 0.6 * noise[c])
                    .collect();
                (n, k, cells)
            })
    })
}

fn omega_of(
    n: usize,
    k: usize,
    cells: Vec<f64>,
    method: FactorMethod,
) -> alliance::reliability::Omega {
    omega(&Ratings::new(n, k, cells).unwrap(), method).unwrap()
}

proptest! {
    /// The r0 = 0 test is the plain F test of `icc`, exactly.
    #[test]
    fn icc_test_at_zero_is_the_plain_f_test(r in ratings()) {
        for (form, unit) in FORMS {
            let plain = icc(&r, form, unit, Level::default()).unwrap();
            let t = icc_test(&r, form, unit, 0.0).unwrap();
            prop_assert_eq!(t.f, plain.f);
            prop_assert_eq!(t.p, plain.p);
            prop_assert_eq!(t.df2, Outcome::Defined(plain.df2));
            prop_assert_eq!(t.df1, plain.df1);
        }
    }

    /// A lower null value is easier to reject: F does not fall as r0 falls, and where the
    /// degrees of freedom do not depend on r0 (one-way and consistency forms) p does not rise.
    /// The agreement forms' df2 is Satterthwaite's, which moves with r0: with few targets a
    /// larger df2 can lower p although F fell (2 targets x 2 raters, 9 9 / 2 0: F = 64 on
    /// (1, 1), p = 0.079 at r0 = 0; F = 37.2 on (1, 1.50), p = 0.049 at r0 = 0.265).
    #[test]
    fn icc_test_p_falls_as_r0_falls(r in ratings(), a in 0.0f64..0.95, b in 0.0f64..0.95) {
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        for (form, unit) in FORMS {
            let t_low = icc_test(&r, form, unit, low).unwrap();
            let t_high = icc_test(&r, form, unit, high).unwrap();
            if let (Outcome::Defined(fl), Outcome::Defined(fh)) = (t_low.f, t_high.f) {
                prop_assert!(fl >= fh * (1.0 - 1e-12), "{:?} {:?}: F({}) = {} < F({}) = {}", form, unit, low, fl, high, fh);
            }
            if form == IccForm::TwoWayAgreement {
                continue;
            }
            if let (Outcome::Defined(pl), Outcome::Defined(ph)) = (t_low.p, t_high.p) {
                prop_assert!(pl <= ph + 1e-12, "{:?} {:?}: p({}) = {} > p({}) = {}", form, unit, low, pl, high, ph);
            }
        }
    }

    /// Omega is a function of the correlation matrix: reordering the items and any
    /// increasing affine map of each item leave it (and each item's loading) unchanged.
    #[test]
    fn omega_is_invariant_to_item_order_and_affine_maps(
        (n, k, cells) in one_factor_answers(),
        shifts in prop::collection::vec(-50.0f64..50.0, 7),
        scales in prop::collection::vec(0.2f64..20.0, 7),
    ) {
        for method in [FactorMethod::MaximumLikelihood, FactorMethod::MinimumResidual] {
            let base = omega_of(n, k, cells.clone(), method);
            // reversed item order
            let reversed: Vec<f64> = (0..n * k).map(|c| cells[c / k * k + (k - 1 - c % k)]).collect();
            let rev = omega_of(n, k, reversed, method);
            // a + b x per item, b > 0
            let mapped: Vec<f64> = (0..n * k).map(|c| shifts[c % k] + scales[c % k] * cells[c]).collect();
            let map = omega_of(n, k, mapped, method);
            prop_assert_eq!(base.heywood, rev.heywood);
            prop_assert_eq!(base.heywood, map.heywood);
            match (base.coefficient, rev.coefficient, map.coefficient) {
                (Outcome::Defined(w), Outcome::Defined(v), Outcome::Defined(m)) => {
                    prop_assert!(common::close(v, w, 1e-8, 1e-8), "{} vs {}", v, w);
                    prop_assert!(common::close(m, w, 1e-8, 1e-8), "{} vs {}", m, w);
                    for j in 0..k {
                        prop_assert!(common::close(rev.loadings[k - 1 - j], base.loadings[j], 1e-7, 1e-7));
                        prop_assert!(common::close(map.loadings[j], base.loadings[j], 1e-7, 1e-7));
                    }
                }
                (w, v, m) => {
                    prop_assert_eq!(w, v);
                    prop_assert_eq!(w, m);
                }
            }
        }
    }

    /// For tau-equivalent items with equal uniquenesses (Σ = λ²11' + θI, given exactly),
    /// omega total equals Cronbach's alpha of Σ, k/(k − 1)(1 − tr Σ / 1'Σ1), by both fits.
    #[test]
    fn omega_equals_alpha_for_tau_equivalent_items(
        k in 3usize..=12,
        lambda in 0.2f64..3.0,
        theta in 0.1f64..4.0,
        variance_scale in 0.01f64..100.0,
    ) {
        let cov: Vec<f64> = (0..k * k)
            .map(|ij| variance_scale * (lambda * lambda + if ij / k == ij % k { theta } else { 0.0 }))
            .collect();
        let kf = k as f64;
        let trace = kf * variance_scale * (lambda * lambda + theta);
        let total: f64 = cov.iter().sum();
        let alpha = kf / (kf - 1.0) * (1.0 - trace / total);
        for method in [FactorMethod::MaximumLikelihood, FactorMethod::MinimumResidual] {
            let o = omega_from_covariance(&cov, k, 100, method).unwrap();
            prop_assert!(!o.heywood);
            let w = o.coefficient.value().unwrap();
            prop_assert!(common::close(w, alpha, 1e-9, 1e-9), "{:?}: omega {} alpha {}", method, w, alpha);
        }
    }
}
