//! Laws of the autocorrelation-corrected Mann-Kendall tests and of Siegel's repeated-median
//! line.

#![allow(clippy::unwrap_used)]

use alliance::trend::{
    PreWhitened, PreWhiteningOptions, Series, SiegelIntercept, SiegelOptions, YueWangOptions,
    mann_kendall, mann_kendall_pre_whitened, mann_kendall_trend_free_pre_whitened,
    mann_kendall_yue_wang, siegel_slope, siegel_slopes,
};
use alliance::{Level, Outcome};
use proptest::prelude::*;

/// Integer times 1..=4 apart (from `start`), and scores on a grid of quarters 0..=10 (so sums
/// and differences are exact).
fn series(min_len: usize, max_len: usize) -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    (min_len..=max_len).prop_flat_map(|n| {
        (
            proptest::collection::vec(1u8..=4, n),
            proptest::collection::vec(0u8..=40, n),
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
                (times, ys.iter().map(|&y| f64::from(y) * 0.25).collect())
            })
    })
}

fn both() -> [SiegelOptions; 2] {
    [
        SiegelOptions::default(),
        SiegelOptions::default().with_intercept(SiegelIntercept::Separate),
    ]
}

/// The largest |pairwise slope|: the scale against which slope rounding is measured.
fn slope_scale(t: &[f64], y: &[f64]) -> f64 {
    let mut m = 0.0f64;
    for i in 0..t.len() {
        for j in i + 1..t.len() {
            m = m.max(((y[j] - y[i]) / (t[j] - t[i])).abs());
        }
    }
    m
}

fn whiten(s: &Series, trend_free: bool, level: Option<Level>) -> PreWhitened {
    let options = level.map_or(PreWhiteningOptions::default(), |l| {
        PreWhiteningOptions::default().with_level(l)
    });
    if trend_free {
        mann_kendall_trend_free_pre_whitened(s, options).unwrap()
    } else {
        mann_kendall_pre_whitened(s, options).unwrap()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Siegel's slope is equivariant under affine maps of y: a + b y has slope b · slope, and
    /// (hierarchical) intercept a + b · intercept, up to the rounding of the pairwise slopes.
    #[test]
    fn siegel_is_affine_equivariant_in_y((t, y) in series(2, 40), a in -20i32..20, b in -8i32..8) {
        let (a, b) = (f64::from(a), f64::from(b) * 0.5);
        let mapped: Vec<f64> = y.iter().map(|v| a + b * v).collect();
        let scale = slope_scale(&t, &y) * b.abs() + 1e-300;
        for options in both() {
            let one = siegel_slopes(&t, &y, options)?;
            let two = siegel_slopes(&t, &mapped, options)?;
            let (s1, s2) = (one.slope.value().unwrap(), two.slope.value().unwrap());
            prop_assert!((s2 - b * s1).abs() <= 1e-12 * scale, "{} vs {} · {}", s2, b, s1);
        }
        let one = siegel_slopes(&t, &y, SiegelOptions::default())?;
        let two = siegel_slopes(&t, &mapped, SiegelOptions::default())?;
        let (i1, i2) = (one.intercept.value().unwrap(), two.intercept.value().unwrap());
        let magnitude = a.abs() + b.abs() * (10.0 + slope_scale(&t, &y) * t[t.len() - 1]);
        prop_assert!((i2 - (a + b * i1)).abs() <= 1e-12 * magnitude, "{} vs {} + {} · {}", i2, a, b, i1);
    }

    /// Shifting the times leaves the slope unchanged (exactly, on integer times) and moves the
    /// hierarchical intercept by −slope · shift.
    #[test]
    fn siegel_slope_is_invariant_to_shifts_of_time((t, y) in series(2, 40), c in -50i32..50) {
        let c = f64::from(c);
        let shifted: Vec<f64> = t.iter().map(|v| v + c).collect();
        for options in both() {
            let one = siegel_slope(&Series::new(t.clone(), y.clone())?, options)?;
            let two = siegel_slope(&Series::new(shifted.clone(), y.clone())?, options)?;
            prop_assert_eq!(one.slope, two.slope);
        }
        let one = siegel_slopes(&t, &y, SiegelOptions::default())?;
        let two = siegel_slopes(&shifted, &y, SiegelOptions::default())?;
        let (b, i1, i2) = (one.slope.value().unwrap(), one.intercept.value().unwrap(), two.intercept.value().unwrap());
        let magnitude = 10.0 + slope_scale(&t, &y) * (t[t.len() - 1] + c.abs());
        prop_assert!((i2 - (i1 - b * c)).abs() <= 1e-12 * magnitude, "{} vs {} − {} · {}", i2, i1, b, c);
    }

    /// Reversing time (t → −t, the series read backwards) negates the slope exactly.
    #[test]
    fn reversing_time_negates_siegel_slope((t, y) in series(2, 40)) {
        let rt: Vec<f64> = t.iter().rev().map(|v| -v).collect();
        let ry: Vec<f64> = y.iter().rev().copied().collect();
        for options in both() {
            let one = siegel_slope(&Series::new(t.clone(), y.clone())?, options)?;
            let two = siegel_slope(&Series::new(rt.clone(), ry.clone())?, options)?;
            prop_assert_eq!(two.slope, one.slope.map(|b| -b));
        }
    }

    /// The order of the points does not matter to `siegel_slopes` (ties in x included).
    #[test]
    fn siegel_ignores_the_order_of_points((t, y) in series(2, 30), rotate in 0usize..30, dup in any::<bool>()) {
        let mut x = t.clone();
        if dup && x.len() > 2 {
            x[1] = x[0]; // a tie in x
        }
        let k = rotate % x.len();
        let (mut rx, mut ry) = (x.clone(), y.clone());
        rx.rotate_left(k);
        ry.rotate_left(k);
        for options in both() {
            prop_assert_eq!(siegel_slopes(&x, &y, options)?, siegel_slopes(&rx, &ry, options)?);
        }
    }

    /// Breakdown: on an exact line, corrupting k points arbitrarily with 2k + 3 ≤ n leaves
    /// the slope and both intercepts exactly those of the line (each clean point keeps a
    /// majority of exact slopes, and the clean points are a majority).
    #[test]
    fn siegel_resists_fewer_than_half_outliers(
        n in 5usize..60,
        a in -10i32..10,
        b in -5i32..5,
        gaps in proptest::collection::vec(1u8..=4, 60),
        picks in proptest::collection::vec((0usize..1000, -1e6f64..1e6), 30),
    ) {
        let (a, b) = (f64::from(a), f64::from(b));
        let mut t = Vec::with_capacity(n);
        let mut now = 0.0;
        for g in &gaps[..n] {
            now += f64::from(*g);
            t.push(now);
        }
        let mut y: Vec<f64> = t.iter().map(|v| a + b * v).collect();
        let k = (n - 3) / 2;
        let mut corrupted = 0;
        for &(at, value) in &picks {
            if corrupted == k {
                break;
            }
            let i = at % n;
            // corrupt distinct points only
            if y[i] == a + b * t[i] && value != y[i] {
                y[i] = value;
                corrupted += 1;
            }
        }
        for options in both() {
            let line = siegel_slope(&Series::new(t.clone(), y.clone())?, options)?;
            prop_assert_eq!(line.slope, Outcome::Defined(b));
            prop_assert_eq!(line.intercept, Outcome::Defined(a));
        }
    }

    /// The Yue-Wang correction changes only the variance: S and the uncorrected Var(S) are
    /// plain Mann-Kendall's.
    #[test]
    fn yue_wang_keeps_mann_kendalls_s((t, y) in series(4, 60), lags in 1usize..4, filter in any::<bool>()) {
        let s = Series::new(t, y)?;
        let mk = mann_kendall(&s)?;
        let mut options = YueWangOptions::default();
        if filter {
            options = options.with_lags(lags.min(s.len() - 1)).with_level(Level::NINETY_FIVE);
        }
        let yw = mann_kendall_yue_wang(&s, options)?;
        prop_assert_eq!(yw.s, mk.s);
        prop_assert_eq!(yw.var_s_uncorrected, mk.var_s);
        prop_assert_eq!(yw.n, s.len());
    }

    /// Every defined p of the three corrections lies in [0, 1], and every defined statistic is
    /// finite.
    #[test]
    fn corrected_p_values_are_probabilities((t, y) in series(4, 60), lag1 in any::<bool>(), level in any::<bool>()) {
        let s = Series::new(t, y)?;
        let options = if lag1 { YueWangOptions::default().with_lags(1) } else { YueWangOptions::default() };
        let yw = mann_kendall_yue_wang(&s, options)?;
        if let Outcome::Defined(p) = yw.p {
            prop_assert!((0.0..=1.0).contains(&p), "{}", p);
        }
        for v in [yw.correction, yw.var_s, yw.z, yw.effective_n, yw.lag1] {
            if let Outcome::Defined(v) = v {
                prop_assert!(v.is_finite());
            }
        }
        let level = level.then_some(Level::NINETY_FIVE);
        for trend_free in [false, true] {
            let pw = whiten(&s, trend_free, level);
            for p in [pw.p, pw.p_normal] {
                prop_assert!((0.0..=1.0).contains(&p), "{}", p);
            }
            if let Outcome::Defined(p) = pw.p_exact {
                prop_assert!((0.0..=1.0).contains(&p), "{}", p);
            }
            prop_assert!(pw.z.is_finite() && pw.var_s >= 0.0);
            if let Outcome::Defined(r) = pw.lag1 {
                prop_assert!(r.abs() < 1.0, "r1 = {}", r);
            }
        }
    }

    /// Adding a constant to every score changes neither pre-whitened test: r₁ is a correlation
    /// and the whitened series moves by c(1 − r₁), which keeps every sign.
    #[test]
    fn pre_whitened_tests_ignore_a_constant((t, y) in series(4, 60), c in -100i32..100) {
        let c = f64::from(c);
        let shifted: Vec<f64> = y.iter().map(|v| v + c).collect();
        let one = Series::new(t.clone(), y)?;
        let two = Series::new(t, shifted)?;
        for trend_free in [false, true] {
            let (a, b) = (whiten(&one, trend_free, None), whiten(&two, trend_free, None));
            prop_assert_eq!(a.whitened, b.whitened);
            prop_assert_eq!((a.s, a.tested), (b.s, b.tested));
            prop_assert_eq!(a.var_s, b.var_s);
            prop_assert_eq!(a.p, b.p);
            match (a.lag1, b.lag1) {
                (Outcome::Defined(r), Outcome::Defined(q)) => prop_assert!((r - q).abs() <= 1e-9, "{} vs {}", r, q),
                (x, y) => prop_assert_eq!(x, y),
            }
        }
    }
}
