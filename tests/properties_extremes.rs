//! Issue 14, item 6: the invariants of the fuzz targets (`fuzz/`) as property tests on
//! extreme data, so stable CI catches a regression without nightly. Values are drawn at and
//! near the edges of the numeric domain (`alliance::domain`: zero, or 1e-100 to 1e100 in
//! magnitude), beside ordinary questionnaire scores, and times with subnormal-looking gaps
//! (1e-100) and huge ones (1e99).
//!
//! Every `Ok` result must hold no NaN and no infinity; coefficients stay in their ranges
//! (kappa, alpha and ICC at most 1, correlations in [-1, 1], p in [0, 1], intervals ordered);
//! and an exact power-of-two rescaling changes no scale-free coefficient.
#![allow(clippy::unwrap_used)]

use alliance::agreement::{
    Categories, LimitMultiplier, Metric, Weighting, bland_altman, brennan_prediger, cohen_kappa,
    concordance, fleiss_kappa, gwet_ac, icc_table, krippendorff_alpha, pearson, spearman,
};
use alliance::domain::{MAGNITUDE_LIMIT, RESOLUTION_LIMIT};
use alliance::reliability::{cronbach_alpha, cronbach_alpha_pairwise, item_analysis};
use alliance::trend::{
    HamedRaoOptions, PreWhiteningOptions, SenOptions, Series, SiegelIntercept, SiegelOptions,
    YueWangOptions, mann_kendall, mann_kendall_hamed_rao, mann_kendall_pre_whitened,
    mann_kendall_trend_free_pre_whitened, mann_kendall_yue_wang, ols_trend, sen_slope,
    siegel_slope,
};
use alliance::{Interval, Level, Outcome, Paired, Ratings};
use proptest::prelude::*;
use std::fmt::Debug;

/// A value at or near an edge of the domain, or an ordinary score.
fn value() -> impl Strategy<Value = f64> {
    let edge = prop_oneof![
        Just(MAGNITUDE_LIMIT),
        Just(MAGNITUDE_LIMIT * (1.0 - f64::EPSILON)),
        Just(5.4e99),
        Just(RESOLUTION_LIMIT),
        Just(RESOLUTION_LIMIT * (1.0 + f64::EPSILON)),
        Just(1e13),
        Just(1e13 + 1.0),
    ];
    prop_oneof![
        3 => (0u8..=7).prop_map(f64::from),
        2 => (0u8..=70).prop_map(|x| f64::from(x) / 10.0),
        2 => (edge, any::<bool>()).prop_map(|(x, negative)| if negative { -x } else { x }),
        1 => (-99i32..=99, 1u8..=9).prop_map(|(e, m)| f64::from(m) * 10f64.powi(e)),
    ]
}

/// Strictly increasing times from gaps at and between the domain's extremes.
fn times(n: usize) -> impl Strategy<Value = Vec<f64>> {
    let gap = prop_oneof![
        3 => Just(1.0),
        1 => Just(RESOLUTION_LIMIT),
        1 => Just(1e99),
        1 => (1u8..=30).prop_map(f64::from),
    ];
    (
        prop::collection::vec(gap, n),
        prop_oneof![Just(0.0), Just(-5e99), Just(1e-100)],
    )
        .prop_map(|(gaps, start)| {
            let mut t = start;
            gaps.into_iter()
                .map(|g| {
                    let next = t + g;
                    // a gap lost to rounding at a large time becomes one ulp
                    t = if next > t { next } else { t.next_up() };
                    t
                })
                .collect()
        })
}

fn series() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    (2usize..=24).prop_flat_map(|n| (times(n), prop::collection::vec(value(), n)))
}

fn matrix() -> impl Strategy<Value = (usize, usize, Vec<f64>)> {
    (2usize..=12, 2usize..=5)
        .prop_flat_map(|(n, k)| (Just(n), Just(k), prop::collection::vec(value(), n * k)))
}

/// No NaN and no infinity anywhere in the Debug text (which prints f64 exactly).
fn no_nonfinite<T: Debug>(x: &T) -> Result<(), TestCaseError> {
    let s = format!("{x:?}");
    for token in s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        prop_assert!(
            token != "NaN" && token != "inf",
            "NaN or inf inside Ok: {}",
            s
        );
    }
    Ok(())
}

fn at_most_one(c: Outcome<f64>, ci: Outcome<Interval>) -> Result<(), TestCaseError> {
    if let Some(c) = c.value() {
        prop_assert!(c <= 1.0, "coefficient {}", c);
    }
    ordered(ci)?;
    if let Some(ci) = ci.value() {
        prop_assert!(ci.upper <= 1.0, "{:?}", ci);
    }
    Ok(())
}

fn ordered(ci: Outcome<Interval>) -> Result<(), TestCaseError> {
    if let Some(ci) = ci.value() {
        prop_assert!(ci.lower <= ci.upper, "{:?}", ci);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The trend statistics on extreme series: finite inside `Ok`, tau and p in range.
    #[test]
    fn trend_statistics_stay_finite((t, y) in series()) {
        let Ok(s) = Series::new(t, y) else { return Ok(()) };
        let level = Level::default();
        if let Ok(o) = ols_trend(&s, level) {
            no_nonfinite(&o)?;
        }
        if let Ok(m) = mann_kendall(&s) {
            no_nonfinite(&m)?;
            prop_assert!((-1.0..=1.0).contains(&m.tau_a) && (0.0..=1.0).contains(&m.p));
        }
        if let Ok(h) = mann_kendall_hamed_rao(&s, HamedRaoOptions::default()) {
            no_nonfinite(&h)?;
        }
        for options in [YueWangOptions::default(), YueWangOptions::default().with_lags(1)] {
            if let Ok(yw) = mann_kendall_yue_wang(&s, options) {
                no_nonfinite(&yw)?;
            }
        }
        if let Ok(pw) = mann_kendall_pre_whitened(&s, PreWhiteningOptions::default()) {
            no_nonfinite(&pw)?;
            prop_assert!((0.0..=1.0).contains(&pw.p));
        }
        if let Ok(pw) = mann_kendall_trend_free_pre_whitened(&s, PreWhiteningOptions::default()) {
            no_nonfinite(&pw)?;
            prop_assert!((0.0..=1.0).contains(&pw.p));
        }
        for intercept in [SiegelIntercept::Hierarchical, SiegelIntercept::Separate] {
            if let Ok(line) = siegel_slope(&s, SiegelOptions::default().with_intercept(intercept)) {
                no_nonfinite(&line)?;
            }
        }
        if let Ok(r) = sen_slope(&s, level, SenOptions::default()) {
            no_nonfinite(&r)?;
            ordered(r.ci)?;
        }
    }

    /// ICC, alpha and Krippendorff's alpha on extreme matrices: finite, at most 1, ordered
    /// intervals at most 1.
    #[test]
    fn reliability_coefficients_stay_finite_and_at_most_one((n, k, cells) in matrix()) {
        let r = Ratings::new(n, k, cells.clone()).unwrap();
        let level = Level::default();
        if let Ok(t) = icc_table(&r, level) {
            for i in t.all() {
                no_nonfinite(&i)?;
                at_most_one(i.coefficient, i.ci)?;
            }
        }
        if let Ok(a) = cronbach_alpha(&r, level) {
            no_nonfinite(&a)?;
            at_most_one(a.coefficient, a.ci)?;
        }
        if let Ok(a) = cronbach_alpha_pairwise(&r, level, Default::default()) {
            no_nonfinite(&a)?;
            at_most_one(a.coefficient, a.ci)?;
        }
        if let Ok(a) = item_analysis(&r, level) {
            no_nonfinite(&a)?;
            for item in &a.items {
                at_most_one(item.alpha_if_deleted, Outcome::Undefined(alliance::Undefined::NotRequested))?;
            }
        }
        let positive = Ratings::new(n, k, cells.iter().map(|x| x.abs()).collect()).unwrap();
        for metric in [Metric::Interval, Metric::Ratio] {
            if let Ok(a) = krippendorff_alpha(&positive, metric, None) {
                no_nonfinite(&a)?;
                at_most_one(a.coefficient, a.ci)?;
            }
        }
    }

    /// The two-rater statistics on extreme pairs: finite, correlations in [-1, 1].
    #[test]
    fn paired_statistics_stay_finite((n, _, cells) in matrix()) {
        let p = Paired::new(&cells[..n], &cells[n..2 * n]).unwrap();
        let level = Level::default();
        if let Ok(c) = concordance(&p, level) {
            no_nonfinite(&c)?;
            if let Some(v) = c.coefficient.value() {
                prop_assert!((-1.0..=1.0).contains(&v), "{:?}", c);
            }
        }
        for c in [pearson(&p, level), spearman(&p, level)].into_iter().flatten() {
            no_nonfinite(&c)?;
            if let Some(v) = c.coefficient.value() {
                prop_assert!((-1.0..=1.0).contains(&v), "{:?}", c);
            }
        }
        if let Ok(b) = bland_altman(&p, LimitMultiplier::default(), level) {
            no_nonfinite(&b)?;
        }
    }

    /// Scaling every rating by 2^e (within the domain) is exact, so no scale-free coefficient
    /// may change by a single bit: ICC, alpha, CCC, Pearson, Krippendorff's interval alpha.
    #[test]
    fn power_of_two_rescaling_changes_no_coefficient(
        (n, k, cells) in (2usize..=12, 2usize..=5).prop_flat_map(|(n, k)| {
            (Just(n), Just(k), prop::collection::vec((0u8..=70).prop_map(|x| f64::from(x) / 10.0), n * k))
        }),
        e in prop_oneof![-300i32..=-1, 1i32..=320],
    ) {
        let scale = 2f64.powi(e);
        let scaled: Vec<f64> = cells.iter().map(|x| x * scale).collect();
        prop_assume!(scaled.iter().all(|&x| alliance::domain::contains(x)));
        let (a, b) = (Ratings::new(n, k, cells.clone()).unwrap(), Ratings::new(n, k, scaled.clone()).unwrap());
        let level = Level::default();
        let bits = |o: Outcome<f64>| o.value().map(f64::to_bits).ok_or(o);
        let (ia, ib) = (icc_table(&a, level).unwrap(), icc_table(&b, level).unwrap());
        for (x, y) in ia.all().iter().zip(ib.all().iter()) {
            prop_assert_eq!(bits(x.coefficient), bits(y.coefficient), "{}", x.name);
            prop_assert_eq!(x.ci, y.ci, "{}", x.name);
        }
        let (ca, cb) = (cronbach_alpha(&a, level).unwrap(), cronbach_alpha(&b, level).unwrap());
        prop_assert_eq!(bits(ca.coefficient), bits(cb.coefficient));
        prop_assert_eq!(bits(ca.standardized), bits(cb.standardized));
        let (ka, kb) = (
            krippendorff_alpha(&a, Metric::Interval, None).unwrap(),
            krippendorff_alpha(&b, Metric::Interval, None).unwrap(),
        );
        prop_assert_eq!(bits(ka.coefficient), bits(kb.coefficient));
        let (pa, pb) = (
            Paired::new(&cells[..n], &cells[n..2 * n]).unwrap(),
            Paired::new(&scaled[..n], &scaled[n..2 * n]).unwrap(),
        );
        prop_assert_eq!(bits(concordance(&pa, level).unwrap().coefficient), bits(concordance(&pb, level).unwrap().coefficient));
        prop_assert_eq!(bits(pearson(&pa, level).unwrap().coefficient), bits(pearson(&pb, level).unwrap().coefficient));
    }

    /// Agreement weights within an ulp of 1 leave chance agreement within rounding of 1: every
    /// kappa is still a number at most 1 (it was 0/0 = NaN).
    #[test]
    fn kappa_with_weights_near_one_is_a_number(
        codes in prop::collection::vec((0u8..=2, 0u8..=2), 2..40),
        ulps in 1u32..=4,
    ) {
        let near_one = 1.0 - f64::from(ulps) * f64::EPSILON / 2.0;
        let w = alliance::agreement::WeightMatrix::agreement(
            3,
            vec![1.0, near_one, near_one, near_one, 1.0, near_one, near_one, near_one, 1.0],
        ).unwrap();
        let weighting = Weighting::Custom(w);
        let cats = Categories::range(0, 2).unwrap();
        let (x, y): (Vec<f64>, Vec<f64>) = codes.iter().map(|&(a, b)| (f64::from(a), f64::from(b))).unzip();
        let level = Level::default();
        if let Ok(c) = cohen_kappa(&Paired::new(&x, &y).unwrap(), &cats, &weighting, level) {
            no_nonfinite(&c)?;
            if let Some(v) = c.coefficient.value() {
                prop_assert!(v <= 1.0, "{:?}", c);
            }
        }
        let rows: Vec<[f64; 2]> = x.iter().zip(&y).map(|(&a, &b)| [a, b]).collect();
        let r = Ratings::from_rows(&rows).unwrap();
        for f in [fleiss_kappa, gwet_ac, brennan_prediger] {
            if let Ok(m) = f(&r, &cats, &weighting, level) {
                no_nonfinite(&m)?;
                if let Some(v) = m.coefficient.value() {
                    prop_assert!(v <= 1.0, "{:?}", m);
                }
            }
        }
    }
}
