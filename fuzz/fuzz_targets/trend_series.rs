//! Arbitrary series (times and values) into the trend statistics and the batch detectors.
//! Asserts the invariants of `common::check`, tau and p in range, bit-identical second calls,
//! and Sen's slope equal to a brute-force median of all pairwise slopes (n <= 60).
#![no_main]

mod common;

use alliance::reliability::ReliabilityKind;
use alliance::trend::{
    ChangeCriterion, Critical, HamedRaoOptions, SdSource, SenIntercept, SenOptions, Series, cusum,
    divergence, ewma, mann_kendall, mann_kendall_hamed_rao, ols_trend, pcoms_flags,
    reliable_change, reliable_change_between, reliable_change_from_baseline, ruptures, sen_slope,
    sudden_drops,
};
use alliance::{IntervalMethod, Level};
use common::{Rules, check, correlation, finite, number, times, twice};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

/// The median of all pairwise slopes, the plain way: every slope, sorted, the middle one or
/// the midpoint of the middle two.
fn brute_force_sen(t: &[f64], y: &[f64]) -> f64 {
    let mut slopes = Vec::new();
    for i in 0..t.len() {
        for j in i + 1..t.len() {
            slopes.push((y[j] - y[i]) / (t[j] - t[i]));
        }
    }
    slopes.sort_by(f64::total_cmp);
    let n = slopes.len();
    if n % 2 == 1 {
        slopes[n / 2]
    } else {
        let (lo, hi) = (slopes[n / 2 - 1], slopes[n / 2]);
        lo + (hi - lo) / 2.0
    }
}

fn level(u: &mut Unstructured) -> Result<Level> {
    Ok(match u.int_in_range(0u8..=5)? {
        0 => Level::new(number(u)?).unwrap_or_default(),
        1 => Level::new(0.9).expect("valid"),
        _ => Level::default(),
    })
}

fn run(u: &mut Unstructured) -> Result<()> {
    let n = if u.arbitrary()? {
        u.int_in_range(0usize..=12)?
    } else {
        u.int_in_range(0usize..=200)?
    };
    let t = times(u, n)?;
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        y.push(number(u)?);
    }
    let Ok(series) = Series::new(t, y) else {
        return Ok(());
    };
    let (t, y) = (series.times(), series.values());
    if std::env::var_os("FUZZ_SHOW").is_some() {
        eprintln!("times {t:?}\nvalues {y:?}");
    }
    let level = level(u)?;

    if let Ok(o) = twice("ols_trend", || ols_trend(&series, level)) {
        check("ols_trend", &o);
    }
    if let Ok(m) = twice("mann_kendall", || mann_kendall(&series)) {
        check("mann_kendall", &m);
        correlation("mann_kendall tau_a", Some(m.tau_a), &m);
        correlation("mann_kendall tau_b", m.tau_b.value(), &m);
        assert!(
            (0.0..=1.0).contains(&m.p),
            "mann_kendall p = {}: {m:?}",
            m.p
        );
    }
    let lags = u.int_in_range(0usize..=n)?;
    let mut options = HamedRaoOptions::default().with_level(level);
    if lags > 0 {
        options = options.with_lags(lags);
    }
    if let Ok(h) = twice("hamed_rao", || mann_kendall_hamed_rao(&series, options)) {
        check("hamed_rao", &h);
    }
    for ci_method in [
        IntervalMethod::RankedSlopes,
        IntervalMethod::InterpolatedSlopes,
    ] {
        let intercept = if u.arbitrary()? {
            SenIntercept::JointMedian
        } else {
            SenIntercept::Conover
        };
        let options = SenOptions::default()
            .with_ci_method(ci_method)
            .with_intercept(intercept);
        if let Ok(s) = twice("sen_slope", || sen_slope(&series, level, options)) {
            check("sen_slope", &s);
            if n <= 60 {
                let want = brute_force_sen(t, y);
                assert!(
                    s.slope == want,
                    "sen_slope {} against brute force {want}: {s:?}",
                    s.slope
                );
            }
        }
    }

    // Reliable change with an arbitrary criterion.
    let critical = match u.int_in_range(0u8..=2)? {
        0 => Critical::JacobsonTruax,
        1 => Critical::Z(number(u)?),
        _ => Critical::Level(level),
    };
    let kind = if u.arbitrary()? {
        ReliabilityKind::Alpha
    } else {
        ReliabilityKind::TestRetest
    };
    if let Ok(criterion) = ChangeCriterion::builder()
        .sd(number(u)?, SdSource::Norm)
        .reliability(number(u)?, kind)
        .critical(critical)
        .build()
    {
        let (x1, x2) = (number(u)?, number(u)?);
        if let Ok(r) = twice("reliable_change", || reliable_change(x1, x2, &criterion)) {
            check("reliable_change", &r);
        }
        let (from, to) = (u.int_in_range(0..=n)?, u.int_in_range(0..=n)?);
        if let Ok(r) = twice("reliable_change_between", || {
            reliable_change_between(&series, from, to, &criterion)
        }) {
            check("reliable_change_between", &r);
        }
        if let Ok(r) = twice("reliable_change_from_baseline", || {
            reliable_change_from_baseline(&series, &criterion)
        }) {
            check("reliable_change_from_baseline", &r);
        }
    }

    // Detectors.
    let rules = Rules::arbitrary(u, false)?;
    if let Ok(r) = twice("ruptures", || ruptures(&series, &rules.rupture)) {
        check("ruptures", &r);
    }
    if let Ok(r) = twice("sudden_drops", || sudden_drops(&series, &rules.sudden)) {
        check("sudden_drops", &r);
    }
    if let Ok(r) = twice("cusum", || cusum(&series, &rules.cusum)) {
        check("cusum", &r);
    }
    if let Ok(r) = twice("ewma", || ewma(&series, &rules.ewma)) {
        check("ewma", &r);
    }
    if let Ok(r) = twice("pcoms_flags", || pcoms_flags(&series, &rules.pcoms)) {
        check("pcoms_flags", &r);
        let constant = y.iter().all(|v| v.to_bits() == y[0].to_bits());
        if constant {
            assert!(
                r.flags
                    .iter()
                    .all(|f| !format!("{:?}", f.kind).contains("Drop")),
                "pcoms_flags: a drop flagged on a constant series: {r:?}"
            );
        }
    }
    let mut other = Vec::with_capacity(n);
    for _ in 0..n {
        other.push(finite(u)?);
    }
    if let Ok(therapist) = Series::new(t.to_vec(), other) {
        if let Ok(d) = twice("divergence", || {
            divergence(&series, &therapist, &rules.divergence)
        }) {
            check("divergence", &d);
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
