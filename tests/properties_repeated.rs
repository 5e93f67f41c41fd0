//! Laws of the repeated-measures agreement methods: the repeated-measures correlation,
//! Bland-Altman for repeated pairs (true value varying and constant) and proportional bias.
#![allow(clippy::unwrap_used)] // test helpers fail loudly

mod common;

use alliance::agreement::{
    LimitMultiplier, ProportionalBias, Repeated, RepeatedBlandAltman, RepeatedCorrelation,
    TrueValue, bland_altman, bland_altman_repeated, pearson, proportional_bias,
    proportional_bias_repeated, rm_corr,
};
use alliance::{Interval, Level, Outcome, Paired};
use proptest::prelude::*;

/// Subject labels, first and second measures.
type Design = (Vec<String>, Vec<f64>, Vec<f64>);

/// 2-6 subjects of 1-6 pairs, ratings in halves from 0 to 10 (every sum is exact): subject
/// labels, first and second measures.
fn design() -> impl Strategy<Value = Design> {
    prop::collection::vec(1usize..=6, 2..=6).prop_flat_map(|sizes| {
        let labels: Vec<String> = sizes
            .iter()
            .enumerate()
            .flat_map(|(i, &m)| std::iter::repeat_n(format!("dyad{i}"), m))
            .collect();
        let n = labels.len();
        let half = (0u8..=20).prop_map(|v| f64::from(v) / 2.0);
        (
            Just(labels),
            prop::collection::vec(half.clone(), n),
            prop::collection::vec(half, n),
        )
    })
}

/// A design with a permutation of its pairs.
fn permuted() -> impl Strategy<Value = (Design, Vec<usize>)> {
    design().prop_flat_map(|d| {
        let n = d.0.len();
        (Just(d), Just((0..n).collect::<Vec<_>>()).prop_shuffle())
    })
}

fn near(a: f64, b: f64) -> bool {
    common::close(a, b, 1e-9, 1e-9)
}

fn same<T: Copy + std::fmt::Debug>(
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

fn same_interval(a: Outcome<Interval>, b: Outcome<Interval>) -> bool {
    same(a, b, |x, y| {
        near(x.lower, y.lower) && near(x.upper, y.upper)
    })
}

fn same_rm(a: &RepeatedCorrelation, b: &RepeatedCorrelation) -> bool {
    same(a.coefficient, b.coefficient, near)
        && same(a.p, b.p, near)
        && same_interval(a.ci, b.ci)
        && a.df == b.df
        && (a.n, a.subjects, a.single_pair_subjects) == (b.n, b.subjects, b.single_pair_subjects)
}

/// Equal except for the bias (and everything located by it), which differs by `shift`.
fn same_ba_shifted(a: &RepeatedBlandAltman, b: &RepeatedBlandAltman, shift: f64) -> bool {
    let moved = |x: Outcome<Interval>, y: Outcome<Interval>| {
        same(x, y, |x, y| {
            near(x.lower + shift, y.lower) && near(x.upper + shift, y.upper)
        })
    };
    near(a.bias + shift, b.bias)
        && near(a.variance, b.variance)
        && near(a.lower_limit + shift, b.lower_limit)
        && near(a.upper_limit + shift, b.upper_limit)
        && same(a.within_variance, b.within_variance, near)
        && near(a.between_variance, b.between_variance)
        && same_interval(a.variance_ci, b.variance_ci)
        && moved(a.bias_ci, b.bias_ci)
        && moved(a.lower_limit_ci, b.lower_limit_ci)
        && moved(a.upper_limit_ci, b.upper_limit_ci)
        && (a.n, a.subjects) == (b.n, b.subjects)
}

fn same_pb(a: &ProportionalBias, b: &ProportionalBias) -> bool {
    same(a.slope, b.slope, near)
        && same(a.intercept, b.intercept, near)
        && same(a.p, b.p, near)
        && same_interval(a.ci, b.ci)
        && same(a.spread_slope, b.spread_slope, near)
        && same(a.spread_intercept, b.spread_intercept, near)
}

fn rm(d: &Repeated) -> RepeatedCorrelation {
    rm_corr(d, Level::default()).unwrap()
}

fn ba(d: &Repeated, t: TrueValue) -> RepeatedBlandAltman {
    bland_altman_repeated(d, t, LimitMultiplier::default(), Level::default()).unwrap()
}

fn pb(d: &Repeated) -> ProportionalBias {
    proportional_bias_repeated(d, LimitMultiplier::default(), Level::default()).unwrap()
}

fn build(labels: &[String], x: &[f64], y: &[f64]) -> Repeated {
    Repeated::new(labels, x, y).unwrap()
}

const TRUTHS: [TrueValue; 2] = [TrueValue::Varying, TrueValue::Constant];

proptest! {
    /// The order of the pairs (and so of the subjects and of the pairs within each subject)
    /// changes nothing.
    #[test]
    fn order_of_subjects_and_pairs_is_irrelevant(((labels, x, y), order) in permuted()) {
        let a = build(&labels, &x, &y);
        let pick = |v: &[f64]| order.iter().map(|&i| v[i]).collect::<Vec<_>>();
        let l2: Vec<String> = order.iter().map(|&i| labels[i].clone()).collect();
        let b = build(&l2, &pick(&x), &pick(&y));
        prop_assert!(same_rm(&rm(&a), &rm(&b)));
        for t in TRUTHS {
            prop_assert!(same_ba_shifted(&ba(&a, t), &ba(&b, t), 0.0));
        }
        prop_assert!(same_pb(&pb(&a), &pb(&b)));
    }

    /// Renaming the subjects changes nothing.
    #[test]
    fn subject_labels_are_only_labels((labels, x, y) in design()) {
        let renamed: Vec<String> = labels.iter().map(|l| format!("client {l}!")).collect();
        let (a, b) = (build(&labels, &x, &y), build(&renamed, &x, &y));
        prop_assert!(same_rm(&rm(&a), &rm(&b)));
        prop_assert!(same_ba_shifted(&ba(&a, TrueValue::Varying), &ba(&b, TrueValue::Varying), 0.0));
    }

    /// Adding a constant to both measures changes nothing (the proportional-bias line moves
    /// with the means: same slope, same limits at the shifted mean).
    #[test]
    fn a_constant_added_to_both_changes_nothing((labels, x, y) in design(), c in -40i32..40) {
        let c = f64::from(c) / 4.0;
        let shift = |v: &[f64]| v.iter().map(|a| a + c).collect::<Vec<_>>();
        let (a, b) = (build(&labels, &x, &y), build(&labels, &shift(&x), &shift(&y)));
        prop_assert!(same_rm(&rm(&a), &rm(&b)));
        for t in TRUTHS {
            prop_assert!(same_ba_shifted(&ba(&a, t), &ba(&b, t), 0.0));
        }
        let (p, q) = (pb(&a), pb(&b));
        prop_assert!(same(p.slope, q.slope, near) && same(p.p, q.p, near));
        prop_assert!(same(p.spread_slope, q.spread_slope, near));
        let moved = same(p.limits_at(5.0), q.limits_at(5.0 + c), |u, v| {
            near(u.bias, v.bias) && near(u.lower, v.lower) && near(u.upper, v.upper)
        });
        prop_assert!(moved);
    }

    /// Adding a constant to one measure shifts the bias, the limits and their intervals by it,
    /// and leaves the variances and the correlation alone.
    #[test]
    fn a_constant_added_to_one_shifts_only_the_bias((labels, x, y) in design(), c in -40i32..40) {
        let c = f64::from(c) / 4.0;
        let x2: Vec<f64> = x.iter().map(|a| a + c).collect();
        let (a, b) = (build(&labels, &x, &y), build(&labels, &x2, &y));
        prop_assert!(same_rm(&rm(&a), &rm(&b)));
        for t in TRUTHS {
            prop_assert!(same_ba_shifted(&ba(&a, t), &ba(&b, t), c));
        }
    }

    /// Swapping the two measures negates the bias and the limits (which trade places) and the
    /// proportional-bias slope, and keeps r, the variances and every p.
    #[test]
    fn swapping_the_measures_negates_the_bias((labels, x, y) in design()) {
        let (a, b) = (build(&labels, &x, &y), build(&labels, &y, &x));
        prop_assert!(same_rm(&rm(&a), &rm(&b)));
        for t in TRUTHS {
            let (p, q) = (ba(&a, t), ba(&b, t));
            prop_assert!(near(p.bias, -q.bias) && near(p.variance, q.variance));
            prop_assert!(near(p.lower_limit, -q.upper_limit) && near(p.upper_limit, -q.lower_limit));
            let mirrored = same(p.upper_limit_ci, q.lower_limit_ci, |u, v| {
                near(u.lower, -v.upper) && near(u.upper, -v.lower)
            });
            prop_assert!(mirrored);
        }
        let (p, q) = (pb(&a), pb(&b));
        prop_assert!(same(p.slope, q.slope.map(|s| -s), near));
        prop_assert!(same(p.p, q.p, near));
    }

    /// With one subject the repeated-measures correlation is Pearson's r on n − 2 df, with
    /// the same p.
    #[test]
    fn one_subject_is_pearson(x in prop::collection::vec(0u8..=20, 2..30), seed in any::<u64>()) {
        let x: Vec<f64> = x.into_iter().map(f64::from).collect();
        let y: Vec<f64> = x.iter().enumerate()
            .map(|(i, v)| (v + ((seed >> (i % 60)) & 7) as f64) / 2.0)
            .collect();
        let labels = vec!["only"; x.len()];
        let r = rm(&Repeated::new(&labels, &x, &y).unwrap());
        let p = pearson(&Paired::new(&x, &y).unwrap(), Level::default()).unwrap();
        prop_assert_eq!(r.df, (x.len() - 2) as f64);
        prop_assert!(same(r.coefficient, p.coefficient, near));
        if x.len() > 2 {
            prop_assert!(same(r.p, p.p, near));
        }
    }

    /// When every subject has one pair, the repeated analysis is the ordinary one: the same
    /// bias and SD as `bland_altman`, under both estimators, and the same regression.
    #[test]
    fn single_pairs_are_the_ordinary_analysis(
        pairs in prop::collection::vec((0u8..=20, 0u8..=20), 2..30),
    ) {
        let x: Vec<f64> = pairs.iter().map(|p| f64::from(p.0) / 2.0).collect();
        let y: Vec<f64> = pairs.iter().map(|p| f64::from(p.1) / 2.0).collect();
        let labels: Vec<String> = (0..x.len()).map(|i| i.to_string()).collect();
        let d = build(&labels, &x, &y);
        let paired = Paired::new(&x, &y).unwrap();
        let ordinary = bland_altman(&paired, LimitMultiplier::default(), Level::default()).unwrap();
        for t in TRUTHS {
            let r = ba(&d, t);
            prop_assert!(near(r.bias, ordinary.bias) && near(r.sd, ordinary.sd));
        }
        let direct = proportional_bias(&paired, LimitMultiplier::default(), Level::default()).unwrap();
        prop_assert!(same_pb(&pb(&d), &direct));
    }

    /// In a balanced design with MS_B ≥ MS_W the two estimators coincide (m_h = λ = m and
    /// s²_d̄ = MS_B/m).
    #[test]
    fn balanced_designs_give_one_answer(
        k in 2usize..6, m in 1usize..6,
        values in prop::collection::vec((0u8..=20, 0u8..=20), 36),
    ) {
        let labels: Vec<String> = (0..k * m).map(|i| (i / m).to_string()).collect();
        let x: Vec<f64> = values[..k * m].iter().map(|p| f64::from(p.0) / 2.0).collect();
        let y: Vec<f64> = values[..k * m].iter().map(|p| f64::from(p.1) / 2.0).collect();
        let d = build(&labels, &x, &y);
        let (v, c) = (ba(&d, TrueValue::Varying), ba(&d, TrueValue::Constant));
        prop_assert!(near(v.bias, c.bias));
        prop_assert!(near(v.harmonic_mean_pairs, m as f64) && near(v.divisor, m as f64));
        if c.between_variance >= 0.0 {
            prop_assert!(near(v.variance, c.variance));
        }
    }

    /// Every interval contains its estimate, and the limits lie either side of the bias.
    #[test]
    fn intervals_contain_their_estimates((labels, x, y) in design()) {
        let d = build(&labels, &x, &y);
        let inside = |ci: Outcome<Interval>, v: f64| {
            ci.value().is_none_or(|ci| ci.lower <= v + 1e-12 && v <= ci.upper + 1e-12)
        };
        for t in TRUTHS {
            let r = ba(&d, t);
            prop_assert!(r.lower_limit <= r.bias && r.bias <= r.upper_limit);
            prop_assert!(inside(r.bias_ci, r.bias));
            prop_assert!(inside(r.variance_ci, r.variance));
            prop_assert!(inside(r.lower_limit_ci, r.lower_limit));
            prop_assert!(inside(r.upper_limit_ci, r.upper_limit));
        }
        let c = rm(&d);
        if let Some(r) = c.coefficient.value() {
            prop_assert!((-1.0..=1.0).contains(&r));
            prop_assert!(inside(c.ci, r));
        }
    }
}

/// Values anywhere in the numeric domain: from 1e-100 to 1e100 in magnitude, and zero.
fn extreme() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        (-100i32..=99, 1.0f64..10.0, any::<bool>()).prop_map(|(e, m, neg)| if neg {
            -m
        } else {
            m
        } * 10f64.powi(e)),
    ]
}

fn finite_interval(ci: Outcome<Interval>) -> bool {
    ci.value()
        .is_none_or(|c| c.lower.is_finite() && c.upper.is_finite())
}

fn finite(v: Outcome<f64>) -> bool {
    v.value().is_none_or(f64::is_finite)
}

proptest! {
    /// No input in the domain panics or puts a NaN or an infinity inside an `Ok`.
    #[test]
    fn extreme_values_never_panic_nor_leak_non_finite_numbers(
        sizes in prop::collection::vec(1usize..=4, 1..=4),
        values in prop::collection::vec((extreme(), extreme()), 16),
        level in 1e-6f64..0.999_999,
    ) {
        let n: usize = sizes.iter().sum();
        let labels: Vec<usize> = sizes.iter().enumerate().flat_map(|(i, &m)| std::iter::repeat_n(i, m)).collect();
        let x: Vec<f64> = values[..n].iter().map(|v| v.0).collect();
        let y: Vec<f64> = values[..n].iter().map(|v| v.1).collect();
        let d = Repeated::new(&labels, &x, &y).unwrap();
        let level = Level::new(level).unwrap();
        if let Ok(c) = rm_corr(&d, level) {
            prop_assert!(finite(c.coefficient) && finite(c.slope) && finite(c.t) && finite(c.p));
            prop_assert!(finite_interval(c.ci) && c.df.is_finite());
        }
        for t in TRUTHS {
            if let Ok(b) = bland_altman_repeated(&d, t, LimitMultiplier::default(), level) {
                let plain = [b.bias, b.variance, b.sd, b.lower_limit, b.upper_limit,
                    b.subject_mean_variance, b.between_variance, b.harmonic_mean_pairs, b.divisor];
                prop_assert!(plain.iter().all(|v| v.is_finite()), "{:?}", b);
                prop_assert!(finite(b.within_variance));
                prop_assert!(finite_interval(b.bias_ci) && finite_interval(b.variance_ci));
                prop_assert!(finite_interval(b.lower_limit_ci) && finite_interval(b.upper_limit_ci));
            }
        }
        if let Ok(p) = proportional_bias_repeated(&d, LimitMultiplier::default(), level) {
            prop_assert!(finite(p.intercept) && finite(p.slope) && finite(p.se) && finite(p.t));
            prop_assert!(finite(p.p) && finite(p.spread_intercept) && finite(p.spread_slope));
            prop_assert!(finite_interval(p.ci));
            let at = p.limits_at(x[0]);
            prop_assert!(at.value().is_none_or(|l| l.lower.is_finite() && l.upper.is_finite()));
        }
    }
}
