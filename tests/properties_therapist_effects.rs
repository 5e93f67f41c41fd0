//! Laws of the multilevel variance partitions: therapist effects (three-level REML), the
//! two-level REML fit and the one-way ICC(1).
#![allow(clippy::unwrap_used)] // test helpers fail loudly

mod common;

use alliance::multilevel::{
    TherapistEffects, VarianceComponent, oneway_icc, therapist_effects, two_level,
};
use alliance::{Level, Outcome};
use proptest::prelude::*;

/// A nested design: 2-6 therapists with 1-4 clients of 1-5 sessions each, values in halves
/// from 0 to 10. Therapist 0 always has 2 clients and its first client 2 sessions, so both
/// levels are identifiable.
fn design() -> impl Strategy<Value = Vec<(u32, u32, f64)>> {
    prop::collection::vec(prop::collection::vec(1usize..=5, 1..=4), 2..=6).prop_flat_map(
        |mut sizes| {
            if sizes[0].len() < 2 {
                sizes[0].push(2);
            }
            sizes[0][0] = sizes[0][0].max(2);
            let cells: Vec<(u32, u32)> = sizes
                .iter()
                .enumerate()
                .flat_map(|(t, clients)| {
                    clients.iter().enumerate().flat_map(move |(c, &n)| {
                        std::iter::repeat_n((t as u32, (10 * t + c) as u32), n)
                    })
                })
                .collect();
            let len = cells.len();
            prop::collection::vec((0u8..=20).prop_map(|h| f64::from(h) / 2.0), len).prop_map(
                move |values| {
                    cells
                        .iter()
                        .zip(values)
                        .map(|(&(t, c), v)| (t, c, v))
                        .collect()
                },
            )
        },
    )
}

/// A variance agrees to 1e-7 relative, with a floor of 1e-9 of the total variance (a ratio
/// on the boundary may be 0 in one fit and 1e-12 in the other).
fn component(a: VarianceComponent, b: VarianceComponent, total: f64, scale: f64) -> bool {
    match (a.variance, b.variance) {
        (Outcome::Defined(x), Outcome::Defined(y)) => {
            common::close(x * scale, y, 1e-7, 1e-9 * total)
        }
        (x, y) => x == y,
    }
}

fn total(fit: &TherapistEffects) -> f64 {
    [fit.therapist, fit.client, fit.session]
        .iter()
        .filter_map(|c| c.variance.value())
        .sum()
}

/// The three components agree, `b` being `a` times `scale`.
fn same_partition(a: &TherapistEffects, b: &TherapistEffects, scale: f64) -> bool {
    let t = total(b);
    component(a.therapist, b.therapist, t, scale)
        && component(a.client, b.client, t, scale)
        && component(a.session, b.session, t, scale)
        && (a.n, a.therapists, a.clients) == (b.n, b.therapists, b.clients)
        && a.therapists_with_one_client == b.therapists_with_one_client
        && a.clients_with_one_session == b.clients_with_one_session
}

proptest! {
    /// The order of the rows (therapists, clients and sessions) changes nothing.
    #[test]
    fn order_does_not_matter(rows in design(), seed in any::<u64>()) {
        let a = therapist_effects(&rows).unwrap();
        let mut shuffled = rows.clone();
        // a seeded Fisher-Yates shuffle
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let b = therapist_effects(&shuffled).unwrap();
        prop_assert!(same_partition(&a, &b, 1.0), "{a:?}\n{b:?}");
    }

    /// Relabelling therapists and clients (here: as strings, in reversed order) changes
    /// nothing.
    #[test]
    fn labels_do_not_matter(rows in design()) {
        let a = therapist_effects(&rows).unwrap();
        let relabelled: Vec<(String, String, f64)> = rows
            .iter()
            .map(|&(t, c, v)| (format!("T{}", 1000 - t), format!("C{}", 5000 - c), v))
            .collect();
        let b = therapist_effects(&relabelled).unwrap();
        prop_assert!(same_partition(&a, &b, 1.0), "{a:?}\n{b:?}");
    }

    /// Adding a constant to every value changes no variance, and moves the intercept by it.
    #[test]
    fn a_constant_changes_nothing(rows in design(), shift in -50i32..=50) {
        let a = therapist_effects(&rows).unwrap();
        let shifted: Vec<_> = rows.iter().map(|&(t, c, v)| (t, c, v + f64::from(shift))).collect();
        let b = therapist_effects(&shifted).unwrap();
        prop_assert!(same_partition(&a, &b, 1.0), "{a:?}\n{b:?}");
        if let (Some(x), Some(y)) = (a.intercept.value(), b.intercept.value()) {
            prop_assert!(common::close(x + f64::from(shift), y, 1e-9, 1e-9));
        }
    }

    /// Multiplying every value by c multiplies each variance by c².
    #[test]
    fn scaling_scales_the_variances(rows in design(), c in prop::sample::select(vec![0.25, 3.0, -2.0, 40.0])) {
        let a = therapist_effects(&rows).unwrap();
        let scaled: Vec<_> = rows.iter().map(|&(t, cl, v)| (t, cl, v * c)).collect();
        let b = therapist_effects(&scaled).unwrap();
        prop_assert!(same_partition(&a, &b, c * c), "{a:?}\n{b:?}");
        prop_assert_eq!(a.coefficient.value().is_some(), b.coefficient.value().is_some());
    }

    /// The shares are proportions that add up to 1, and the ICCs follow from them.
    #[test]
    fn shares_add_up(rows in design()) {
        let fit = therapist_effects(&rows).unwrap();
        if let (Some(t), Some(c), Some(s)) = (fit.therapist.share.value(), fit.client.share.value(), fit.session.share.value()) {
            for x in [t, c, s] {
                prop_assert!((0.0..=1.0).contains(&x));
            }
            prop_assert!((t + c + s - 1.0).abs() < 1e-12);
            prop_assert_eq!(fit.coefficient, fit.therapist.share);
            prop_assert!((fit.client_icc.value().unwrap() - (t + c)).abs() < 1e-12);
        }
    }

    /// In a balanced two-level design a positive REML between-group variance equals the
    /// one-way ANOVA estimator (MSB − MSW)/n, and the within variance equals MSW; when
    /// MSB ≤ MSW the REML estimate is 0 on the boundary.
    #[test]
    fn balanced_reml_is_anova(groups in 2usize..=8, size in 2usize..=6, values in prop::collection::vec(0u8..=20, 48)) {
        let rows: Vec<(usize, f64)> = (0..groups * size)
            .map(|i| (i / size, f64::from(values[i % values.len()]) / 2.0))
            .collect();
        let reml = two_level(&rows).unwrap();
        let anova = oneway_icc(&rows, Level::default()).unwrap();
        let (Some(between), Some(within)) = (reml.between.variance.value(), reml.within.variance.value()) else {
            return Ok(());
        };
        let total = between + within;
        if anova.ms_between > anova.ms_within * (1.0 + 1e-9) {
            prop_assert!(common::close(between, anova.between_variance.value().unwrap(), 1e-8, 1e-10 * total));
            prop_assert!(common::close(within, anova.ms_within, 1e-8, 1e-10 * total));
            prop_assert!(common::close(reml.coefficient.value().unwrap(), anova.coefficient.value().unwrap(), 1e-8, 1e-10));
        } else if anova.ms_between < anova.ms_within * (1.0 - 1e-9) {
            prop_assert!(reml.between.boundary);
            prop_assert_eq!(between, 0.0);
        }
    }

    /// The one-way ICC(1) is unchanged by the order of the rows and a change of location and
    /// scale.
    #[test]
    fn oneway_icc_is_invariant(rows in design(), shift in -20i32..=20) {
        let pairs: Vec<(u32, f64)> = rows.iter().map(|&(_, c, v)| (c, v)).collect();
        let a = oneway_icc(&pairs, Level::default()).unwrap();
        let moved: Vec<(u32, f64)> = pairs.iter().rev().map(|&(c, v)| (c, 3.0 * v + f64::from(shift))).collect();
        let b = oneway_icc(&moved, Level::default()).unwrap();
        match (a.coefficient, b.coefficient) {
            (Outcome::Defined(x), Outcome::Defined(y)) => prop_assert!(common::close(x, y, 1e-9, 1e-9)),
            (x, y) => prop_assert_eq!(x, y),
        }
        prop_assert_eq!((a.df1, a.df2, a.n0.to_bits()), (b.df1, b.df2, b.n0.to_bits()));
    }

    /// Any finite values give a result without a panic, and nothing non-finite inside it.
    #[test]
    fn never_panics(rows in prop::collection::vec((0u32..4, 0u32..6, -1e6f64..1e6), 0..40)) {
        if let Ok(fit) = therapist_effects(&rows) {
            for c in [fit.therapist, fit.client, fit.session] {
                for o in [c.variance, c.sd, c.share] {
                    if let Some(x) = o.value() { prop_assert!(x.is_finite() && x >= 0.0); }
                }
            }
            for o in [fit.coefficient, fit.client_icc, fit.intercept, fit.intercept_se, fit.log_likelihood] {
                if let Some(x) = o.value() { prop_assert!(x.is_finite()); }
            }
        }
        let pairs: Vec<(u32, f64)> = rows.iter().map(|&(_, c, v)| (c, v)).collect();
        if let Ok(fit) = two_level(&pairs) {
            for o in [fit.coefficient, fit.between.variance, fit.within.variance, fit.log_likelihood] {
                if let Some(x) = o.value() { prop_assert!(x.is_finite()); }
            }
        }
        if let Ok(icc) = oneway_icc(&pairs, Level::default()) {
            for o in [icc.coefficient, icc.f, icc.p] {
                if let Some(x) = o.value() { prop_assert!(x.is_finite()); }
            }
        }
    }
}
