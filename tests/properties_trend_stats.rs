//! Laws of the trend statistics (OLS, Mann-Kendall, Sen, reliable change).

#![allow(clippy::unwrap_used)]

use alliance::Level;
use alliance::Outcome;
use alliance::ReliabilityKind;
use alliance::trend::{
    ChangeCriterion, HamedRaoOptions, SdSource, SenAlgorithm, SenOptions, Series, mann_kendall,
    mann_kendall_hamed_rao, ols_trend, reliable_change, reliable_change_from_baseline, sen_slope,
};
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

fn reversed(s: &Series) -> Series {
    let t = s.times().iter().rev().map(|t| -t).collect();
    let y = s.values().iter().rev().copied().collect();
    Series::new(t, y).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()))
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

fn brute_slopes(s: &Series) -> Vec<f64> {
    let (t, y) = (s.times(), s.values());
    let mut out = Vec::new();
    for i in 0..t.len() {
        for j in i + 1..t.len() {
            out.push((y[j] - y[i]) / (t[j] - t[i]));
        }
    }
    out.sort_by(f64::total_cmp);
    out
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Implicit selection of Sen's slope and of its interval bounds equals the median and
    /// the order statistics of all materialised slopes (series long enough for sampling).
    #[test]
    fn implicit_sen_equals_brute_force(n in 300usize..900, seed in 0u64..1000, levels in 1u32..40, gaps in any::<bool>()) {
        let t: Vec<f64> = (0..n).map(|i| i as f64 * if gaps { 1.0 + ((i as u64 * seed) % 3) as f64 } else { 1.0 }).collect();
        let mut t2 = t.clone();
        for i in 1..n { if t2[i] <= t2[i - 1] { t2[i] = t2[i - 1] + 1.0; } }
        let y: Vec<f64> = (0..n).map(|i| (((i as u64 + 1) * (seed * 2654435761 + 97)) % u64::from(levels)) as f64 * 0.5 + 0.003 * i as f64 * (seed % 3) as f64).collect();
        let s = Series::new(t2, y)?;
        let fast = sen_slope(&s, Level::default(), SenOptions::default().with_algorithm(SenAlgorithm::Implicit))?;
        let slopes = brute_slopes(&s);
        let m = slopes.len();
        let median = if m % 2 == 1 { slopes[m / 2] } else { slopes[m / 2 - 1] + (slopes[m / 2] - slopes[m / 2 - 1]) / 2.0 };
        prop_assert!(close(fast.slope, median), "{} vs {}", fast.slope, median);
        if let Outcome::Defined(ci) = fast.ci {
            prop_assert!(close(ci.lower, slopes[fast.lower_rank as usize - 1]));
            prop_assert!(close(ci.upper, slopes[fast.upper_rank as usize - 1]));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The same on short series of few distinct scores, where long runs of equal slopes and
    /// ranks falling on either side of a counted threshold exercise every branch of the
    /// implicit selection.
    #[test]
    fn implicit_sen_equals_brute_force_with_heavy_ties(
        y in proptest::collection::vec(0u8..5, 2..70),
        gap in 1u8..4,
    ) {
        let t: Vec<f64> = (0..y.len()).map(|i| (i * usize::from(gap)) as f64).collect();
        let y: Vec<f64> = y.iter().map(|&v| f64::from(v) * 0.25).collect();
        let s = Series::new(t, y)?;
        let fast = sen_slope(&s, Level::default(), SenOptions::default().with_algorithm(SenAlgorithm::Implicit))?;
        let slow = sen_slope(&s, Level::default(), SenOptions::default().with_algorithm(SenAlgorithm::Materialize))?;
        prop_assert!(close(fast.slope, slow.slope), "{} vs {}", fast.slope, slow.slope);
        prop_assert_eq!(fast.ci.is_defined(), slow.ci.is_defined());
        if let (Outcome::Defined(f), Outcome::Defined(m)) = (fast.ci, slow.ci) {
            prop_assert!(close(f.lower, m.lower) && close(f.upper, m.upper), "{:?} vs {:?}", f, m);
        }
    }
}

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
                for algorithm in [SenAlgorithm::Materialize, SenAlgorithm::Implicit] {
                    let _ = sen_slope(&s, Level::default(), SenOptions::default().with_algorithm(algorithm));
                }
                if let Ok(c) = ChangeCriterion::new(sd, SdSource::Norm, r, ReliabilityKind::Alpha) {
                    let _ = reliable_change_from_baseline(&s, &c);
                }
            }
        }
        if let Ok(c) = ChangeCriterion::new(sd, SdSource::Sample, r, ReliabilityKind::TestRetest) {
            let _ = reliable_change(y.first().copied().unwrap_or(0.0), r, &c);
        }
    }

    /// Any valid confidence level (down to the smallest positive) never panics.
    #[test]
    fn no_panic_at_any_level(level in prop_oneof![Just(f64::MIN_POSITIVE), Just(1e-17), Just(1.0 - f64::EPSILON / 2.0), 0.0f64..1.0], s in series(30)) {
        if let Ok(level) = Level::new(level) {
            let _ = ols_trend(&s, level);
            let _ = sen_slope(&s, level, SenOptions::default());
            let _ = mann_kendall_hamed_rao(&s, HamedRaoOptions::default().with_level(level));
            if let Ok(c) = ChangeCriterion::new(1.0, SdSource::Norm, 0.8, ReliabilityKind::Alpha) {
                let _ = reliable_change(1.0, 2.0, &c.with_level(level));
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
            let _ = sen_slope(&s, Level::default(), SenOptions::default().with_algorithm(SenAlgorithm::Implicit));
        }
    }
}
