//! Laws of the trend statistics (OLS, Mann-Kendall, Sen, reliable change).

#![allow(clippy::unwrap_used)]

mod common;

use alliance::reliability::ReliabilityKind;
use alliance::trend::{
    ChangeCriterion, Critical, HamedRaoOptions, SdSource, SenOptions, Series, mann_kendall,
    mann_kendall_hamed_rao, ols_trend, reliable_change, reliable_change_from_baseline, sen_slope,
};
use alliance::{IntervalMethod, Level, Outcome};
use proptest::prelude::*;

/// Strictly increasing times with gaps (1..=3 apart) and integer-valued scores 0..=10 (so
/// shifts by integers and scaling by powers of two are exact).
fn series(max_len: usize) -> impl Strategy<Value = Series> {
    (2..=max_len).prop_flat_map(|n| {
        (
            proptest::collection::vec(1u8..=3, n),
            proptest::collection::vec(0u8..=10, n),
        )
            .prop_map(|(gaps, ys)| {
                let mut t = 0.0;
                let times = gaps
                    .iter()
                    .map(|g| {
                        t += f64::from(*g);
                        t
                    })
                    .collect();
                Series::new(times, ys.iter().map(|&y| f64::from(y)).collect()).unwrap()
            })
    })
}

fn criterion(
    sd: f64,
    source: SdSource,
    r: f64,
    kind: ReliabilityKind,
    critical: Critical,
) -> alliance::Result<ChangeCriterion> {
    ChangeCriterion::builder()
        .sd(sd, source)
        .reliability(r, kind)
        .critical(critical)
        .build()
}

fn reversed(s: &Series) -> Series {
    let t = s.times().iter().rev().map(|t| -t).collect();
    let y = s.values().iter().rev().copied().collect();
    Series::new(t, y).unwrap()
}

/// Agreement of two computations of one slope (relative to the larger of 1 and the second).
fn close(a: f64, b: f64) -> bool {
    common::close(a, b, 1e-12, 1e-12)
}

fn brute_s(y: &[f64]) -> i64 {
    let mut s = 0i64;
    for i in 0..y.len() {
        for j in i + 1..y.len() {
            s += (y[j] > y[i]) as i64 - (y[j] < y[i]) as i64;
        }
    }
    s
}

proptest! {
    /// Reversing time (t -> -t, order reversed) negates the OLS slope, S and Sen's slope.
    #[test]
    fn reversing_time_negates_slopes_and_s(s in series(40)) {
        let r = reversed(&s);
        let level = Level::default();
        prop_assert!(close(ols_trend(&r, level)?.slope, -ols_trend(&s, level)?.slope));
        prop_assert_eq!(mann_kendall(&r)?.s, -mann_kendall(&s)?.s);
        let (a, b) = (sen_slope(&r, level, SenOptions::default())?, sen_slope(&s, level, SenOptions::default())?);
        prop_assert!(close(a.slope, -b.slope));
    }

    /// Adding a constant to every score changes no slope, S, Var(S) or p.
    #[test]
    fn adding_a_constant_changes_nothing(s in series(40), c in -50i32..50) {
        let shifted = Series::new(s.times().to_vec(), s.values().iter().map(|y| y + f64::from(c)).collect())?;
        let level = Level::default();
        let (a, b) = (mann_kendall(&s)?, mann_kendall(&shifted)?);
        prop_assert_eq!((a.s, a.var_s, a.p), (b.s, b.var_s, b.p));
        prop_assert!(close(ols_trend(&s, level)?.slope, ols_trend(&shifted, level)?.slope));
        let (a, b) = (sen_slope(&s, level, SenOptions::default())?, sen_slope(&shifted, level, SenOptions::default())?);
        prop_assert_eq!(a.slope, b.slope);
        prop_assert_eq!(a.ci, b.ci);
    }

    /// Multiplying the scores by k > 0 multiplies the OLS and Sen slopes by k and keeps S.
    #[test]
    fn scaling_scores_scales_slopes(s in series(40), e in -3i32..4) {
        let k = 2f64.powi(e);
        let scaled = Series::new(s.times().to_vec(), s.values().iter().map(|y| y * k).collect())?;
        let level = Level::default();
        prop_assert!(close(ols_trend(&scaled, level)?.slope, k * ols_trend(&s, level)?.slope));
        prop_assert_eq!(sen_slope(&scaled, level, SenOptions::default())?.slope, k * sen_slope(&s, level, SenOptions::default())?.slope);
        prop_assert_eq!(mann_kendall(&scaled)?.s, mann_kendall(&s)?.s);
    }

    /// A strictly increasing series has tau-a = tau-b = 1 and S = n(n - 1)/2.
    #[test]
    fn increasing_series_has_tau_one(steps in proptest::collection::vec(0.001f64..10.0, 2..200)) {
        let mut y = 0.0;
        let values: Vec<f64> = steps.iter().map(|d| { y += d; y }).collect();
        let mk = mann_kendall(&Series::from_values(values)?)?;
        prop_assert_eq!(mk.tau_a, 1.0);
        prop_assert_eq!(mk.tau_b, Outcome::Defined(1.0));
        prop_assert_eq!(mk.s as u64, mk.pairs);
    }

    /// S by merge sort equals the O(n²) definition, ties included (lengths past the direct
    /// counting threshold).
    #[test]
    fn merge_sort_s_equals_definition(ys in proptest::collection::vec(0u8..6, 2..400)) {
        let y: Vec<f64> = ys.iter().map(|&v| f64::from(v)).collect();
        let mk = mann_kendall(&Series::from_values(y.clone())?)?;
        prop_assert_eq!(mk.s, brute_s(&y));
    }
}

// The implicit selection of Sen's slope is compared with the listed slopes by the unit tests
// beside it (src/trend/sen.rs): the choice of algorithm is not public.

proptest! {
    /// No panic on arbitrary input: any f64 (NaN and infinities included), any length; the
    /// functions return a value or an error.
    #[test]
    fn no_panic_on_arbitrary_input(
        t in proptest::collection::vec(any::<f64>(), 0..30),
        y in proptest::collection::vec(any::<f64>(), 0..30),
        sd in any::<f64>(), r in any::<f64>(), lags in 0usize..40,
    ) {
        let sorted = {
            let mut v = t.clone();
            v.sort_by(f64::total_cmp);
            v.dedup();
            v
        };
        for times in [t.clone(), sorted] {
            let n = times.len().min(y.len());
            if let Ok(s) = Series::new(times[..n].to_vec(), y[..n].to_vec()) {
                let _ = ols_trend(&s, Level::default());
                let _ = mann_kendall(&s);
                let _ = mann_kendall_hamed_rao(&s, HamedRaoOptions::default());
                let _ = mann_kendall_hamed_rao(&s, HamedRaoOptions::default().with_lags(lags));
                for ci_method in [IntervalMethod::RankedSlopes, IntervalMethod::InterpolatedSlopes] {
                    let _ = sen_slope(&s, Level::default(), SenOptions::default().with_ci_method(ci_method));
                }
                if let Ok(c) = criterion(sd, SdSource::Norm, r, ReliabilityKind::Alpha, Critical::default()) {
                    let _ = reliable_change_from_baseline(&s, &c);
                }
            }
        }
        for critical in [Critical::JacobsonTruax, Critical::Z(sd)] {
            if let Ok(c) = criterion(sd, SdSource::Sample, r, ReliabilityKind::TestRetest, critical) {
                let _ = reliable_change(y.first().copied().unwrap_or(0.0), r, &c);
            }
        }
    }

    /// Any valid confidence level (down to the smallest positive) never panics.
    #[test]
    fn no_panic_at_any_level(level in prop_oneof![Just(f64::MIN_POSITIVE), Just(1e-17), Just(1.0 - f64::EPSILON / 2.0), 0.0f64..1.0], s in series(30)) {
        if let Ok(level) = Level::new(level) {
            let _ = ols_trend(&s, level);
            let _ = sen_slope(&s, level, SenOptions::default());
            let _ = mann_kendall_hamed_rao(&s, HamedRaoOptions::default().with_level(level));
            if let Ok(c) = criterion(1.0, SdSource::Norm, 0.8, ReliabilityKind::Alpha, Critical::Level(level)) {
                let _ = reliable_change(1.0, 2.0, &c);
            }
        }
    }

    /// Arbitrary finite series (huge magnitudes included) never panic.
    #[test]
    fn no_panic_on_extreme_finite_series(y in proptest::collection::vec(-1e308f64..1e308, 1..60), step in 1e-300f64..1e300) {
        let t: Vec<f64> = (0..y.len()).map(|i| i as f64 * step).collect();
        if let Ok(s) = Series::new(t, y) {
            let _ = ols_trend(&s, Level::default());
            let _ = mann_kendall(&s);
            let _ = mann_kendall_hamed_rao(&s, HamedRaoOptions::default());
            let _ = sen_slope(&s, Level::default(), SenOptions::default());
        }
    }
}
