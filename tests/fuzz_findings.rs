//! Regression tests for what the fuzzers (`fuzz/`, issue 14) found: each input is the
//! minimised failing case. Ignored tests are findings not fixed yet; their reason names the
//! issue and what is wrong.

use alliance::agreement::{IccForm, IccUnit, concordance, discrepancy, icc_table};
use alliance::reliability::cronbach_alpha;
use alliance::{Error, Level, Paired, Ratings};

fn rows(first: [f64; 2], zeros: usize) -> Ratings {
    let mut r = vec![first];
    r.extend(std::iter::repeat_n([0.0, 0.0], zeros));
    Ratings::from_rows(&r).unwrap()
}

/// Perfect agreement (MSE = MSC = 0): the Satterthwaite bounds of ICC(A,1) and ICC(A,k) are
/// x / x = 1 but were computed one ulp either side of 1 (lower 1 > upper 0.9999999999999999,
/// or upper 1.0000000000000002 > 1). Found by `agreement_matrix`.
#[test]
fn icc_agreement_bounds_at_perfect_agreement_are_ordered_and_at_most_one() {
    for (first, zeros) in [([6.0, 6.0], 39), ([4.0, 4.0], 39)] {
        let table = icc_table(&rows(first, zeros), Level::default()).unwrap();
        for icc in table.all() {
            if let Some(ci) = icc.ci.value() {
                assert!(ci.lower <= ci.upper, "{} {ci:?}", icc.name);
                assert!(ci.upper <= 1.0, "{} {ci:?}", icc.name);
            }
        }
        let a1 = table.get(IccForm::TwoWayAgreement, IccUnit::Single);
        assert_eq!(a1.coefficient.value(), Some(1.0));
    }
}

/// Lin's CCC is at most |r| <= 1, and its bias correction `C_b` at most 1; rounding of the
/// separate sums gave 1.0000000000000002 for both on two nearly equal raters. Found by
/// `agreement_matrix`.
#[test]
fn concordance_never_exceeds_one() {
    for (a, b, n) in [
        (10000000000003.0, 10000000000002.0, 60),
        (10000000000001.0, 10000000000003.0, 20),
    ] {
        let mut x = vec![0.0; n];
        let mut y = vec![0.0; n];
        x[0] = a;
        y[0] = b;
        let c = concordance(&Paired::new(&x, &y).unwrap(), Level::default()).unwrap();
        let ccc = c.coefficient.value().unwrap();
        assert!(ccc <= 1.0, "CCC {ccc}");
        if let Some(cb) = c.bias_correction.value() {
            assert!(cb <= 1.0, "C_b {cb}");
        }
    }
}

/// Scores near `f64::MAX`: the difference overflowed to -inf and the means to NaN inside `Ok`.
/// Now refused at the door (beyond `alliance::domain::MAGNITUDE_LIMIT`). Found by
/// `agreement_matrix`.
#[test]
fn discrepancy_refuses_magnitudes_that_overflow() {
    assert!(matches!(
        Paired::new(&[-f64::MAX, 0.0], &[1e300, 0.0]),
        Err(Error::TooLarge { index: 0, .. })
    ));
    let p = Paired::new(&[1.0, 2.0], &[1.0, 3.0]).unwrap();
    assert!(matches!(
        discrepancy(&p, f64::MAX, 1.0),
        Err(Error::InvalidMeasurementError { .. })
    ));
    // at the edge of the domain everything is finite
    let p = Paired::new(&[-1e100, 0.0], &[1e100, 0.0]).unwrap();
    let d = discrepancy(&p, 1e100, 1e100).unwrap();
    assert!(
        !format!("{d:?}").contains("inf") && !format!("{d:?}").contains("NaN"),
        "{d:?}"
    );
}

/// Two items exactly proportional with a negative factor (item 2 = -1.625 item 1): the mean
/// inter-item correlation is exactly -1, so standardized alpha k r / (1 + (k - 1) r) divides
/// by zero. It is returned as -3.2e31 in one item order and -1.3e32 in the other. Found by
/// `agreement_matrix` (src/reliability/moments.rs, being refactored: not fixed here).
#[test]
fn standardized_alpha_at_mean_correlation_minus_one_is_undefined() {
    for first in [[2.0, -3.25], [-3.25, 2.0]] {
        let a = cronbach_alpha(&rows(first, 26), Level::default()).unwrap();
        assert_eq!(a.standardized.value(), None, "{a:?}");
    }
}

/// An SD of `f64::MAX` (reliability 0) was accepted, and `S_diff` and the minimum reliable change
/// came out infinite inside `Ok`; scores of opposite sign near `f64::MAX` gave an infinite
/// difference. Now refused beyond `MAGNITUDE_LIMIT`. Found by `trend_series`.
#[test]
fn reliable_change_refuses_magnitudes_that_overflow() {
    use alliance::reliability::ReliabilityKind;
    use alliance::trend::{ChangeCriterion, Critical, SdSource, reliable_change};
    let huge_sd = ChangeCriterion::builder()
        .sd(f64::MAX, SdSource::Norm)
        .reliability(0.0, ReliabilityKind::Alpha)
        .build();
    assert!(
        matches!(huge_sd, Err(Error::TooLarge { .. })),
        "{huge_sd:?}"
    );
    let huge_z = ChangeCriterion::builder()
        .sd(1e10, SdSource::Norm)
        .reliability(0.0, ReliabilityKind::Alpha)
        .critical(Critical::Z(1e300))
        .build();
    assert!(matches!(huge_z, Err(Error::TooLarge { .. })), "{huge_z:?}");
    let criterion = ChangeCriterion::builder()
        .sd(1.0, SdSource::Norm)
        .reliability(0.5, ReliabilityKind::Alpha)
        .build()
        .unwrap();
    let far = reliable_change(-f64::MAX, 1e300, &criterion);
    assert!(matches!(far, Err(Error::TooLarge { .. })), "{far:?}");
}

/// OLS on times near 1e304 (the centred squares overflow: slope NaN) or with a subnormal gap
/// (slope beyond f64: inf) returns NaN or infinity inside `Ok`. Needs the numeric domain of
/// issue 14 item 1 (a magnitude and spread check on times, or `OutOfRange`). Found by
/// `trend_series`.
#[test]
fn ols_trend_has_no_nan_or_infinity_inside_ok() {
    use alliance::trend::{Series, ols_trend};
    let cases: [(Vec<f64>, Vec<f64>); 3] = [
        (vec![0.5, 2.5, 2.7447731948782873e304], vec![7.0, 0.0, 0.0]),
        (
            vec![1.640445394296024e-308, 6.000000000000003e302],
            vec![5.0, 0.0],
        ),
        (vec![0.0, 2.1219957905e-314], vec![0.0, 10000000000000.0]),
    ];
    for (t, y) in cases {
        // times beyond the numeric domain, or nonzero below 1e-100, are refused at the door
        let Ok(s) = Series::new(t, y) else { continue };
        if let Ok(o) = ols_trend(&s, Level::default()) {
            assert!(o.slope.is_finite() && o.intercept.is_finite(), "{o:?}");
        }
    }
}

/// A constant series of 1e13 flagged a 1-point drop (the rounding slack of the comparison,
/// 1e-12 M, was 10 points at M = 1e13; it is now 4 ε M). Found by `trend_series`.
#[test]
fn pcoms_flags_no_drop_on_a_constant_series() {
    use alliance::trend::{PcomsKind, PcomsRule, Series, pcoms_flags};
    let s = Series::new(vec![1.0, 4.0, 5.0], vec![1e13; 3]).unwrap();
    let rule = PcomsRule::builder()
        .cutoff(36.0)
        .min_drop(1.0)
        .build()
        .unwrap();
    let flags = pcoms_flags(&s, &rule).unwrap();
    assert!(
        flags
            .flags
            .iter()
            .all(|f| f.kind != PcomsKind::DropFromPrevious),
        "{flags:?}"
    );
}

/// A reverse-keyed answer on a scale whose minimum dwarfs its range (min -1e100, max -10; found at -1e300):
/// `min + max - x` cancelled to 0, outside the scale, with POMP 100. Reverse keying of the
/// minimum is the maximum by definition. Found by `instrument_builder`.
#[test]
fn reverse_keying_stays_on_a_scale_with_a_huge_minimum() {
    use alliance::{BatchScorer, Instrument, Rater, Response, Scale, score};
    // (-1e300 itself is now beyond the numeric domain)
    assert!(Scale::new(-1e300, -10.0).is_err());
    let scale = Scale::new(-1e100, -10.0).unwrap();
    let instrument = Instrument::builder("X-1", scale, 1)
        .reverse(&[1])
        .build()
        .unwrap();
    let response = Response::complete(&instrument, Rater::Client, &[-1e100]).unwrap();
    let s = score(&response).unwrap();
    assert_eq!(s.total.value, -10.0, "{s:?}");
    assert_eq!(s.total.pomp, 100.0, "{s:?}");
    let batch = BatchScorer::new(&instrument)
        .score(&[Some(-1e100)])
        .unwrap();
    assert_eq!(batch.totals(), &[-10.0]);
    assert_eq!(scale.reverse(-1e100).unwrap(), -10.0);
    assert_eq!(scale.reverse(-10.0).unwrap(), -1e100);
}

/// A norm with a subnormal SD is accepted, and the z score of an ordinary answer is +inf
/// inside `Ok`. Needs the numeric domain of issue 14 item 1 (a floor on the norm's SD, or an
/// `Outcome` z). Found by `instrument_builder`.
#[test]
fn norm_z_is_finite() {
    use alliance::{Instrument, Norm, Rater, Response, Scale, score};
    let Ok(norm) = Norm::new(0.0, 5e-324, "fuzz", None) else {
        return; // refused at the door: fixed
    };
    let instrument = Instrument::builder("X-1", Scale::likert(1, 7).unwrap(), 1)
        .norm(norm)
        .build()
        .unwrap();
    let response = Response::complete(&instrument, Rater::Client, &[6.0]).unwrap();
    let s = score(&response).unwrap();
    let z = s.norm.as_ref().unwrap().z;
    assert!(z.is_finite(), "{s:?}");
}

/// An instrument on a scale from `-f64::MAX` summing 11 items builds, and its total range is
/// [-inf, 22] (so any score check against it is meaningless). Needs the numeric domain of
/// issue 14 item 1 (scale bounds times items within f64, checked by the builder). Found by
/// `instrument_builder`.
#[test]
fn total_range_is_finite_for_every_instrument_that_builds() {
    use alliance::{Instrument, Scale};
    let Ok(scale) = Scale::new(-f64::MAX, 2.0) else {
        return; // refused at the door: fixed
    };
    if let Ok(instrument) = Instrument::builder("X-1", scale, 11).build() {
        let r = instrument.total_range();
        assert!(r.min.is_finite() && r.max.is_finite(), "{r:?}");
    }
}

/// ICC(A,k) with psych's formula on a tiny matrix: the interval is [2.25, 0.98] (lower above
/// upper, and above 1). The formula is psych's (`ICC2k`), but nothing flags it; issue 14
/// lists it as a known finding, and `agreement_matrix` asserts it.
#[test]
fn icc_average_agreement_interval_is_ordered_and_at_most_one() {
    let ratings = Ratings::from_rows(&[[5.0, 1.0], [3.0, 5.0]]).unwrap();
    let icc = icc_table(&ratings, Level::default())
        .unwrap()
        .get(IccForm::TwoWayAgreement, IccUnit::Average);
    if let Some(c) = icc.coefficient.value() {
        assert!(c <= 1.0, "{icc:?}");
    }
    if let Some(ci) = icc.ci.value() {
        assert!(ci.lower <= ci.upper && ci.upper <= 1.0, "{icc:?}");
    }
}

/// Cronbach's alpha is at most 1 (the total variance is at most k times the sum of the item
/// variances); two nearly equal items near 1e13 give 1.0000000000000002, with a Feldt interval
/// [1.0000000000000004, 1.0000000000000002] (lower above upper). src/reliability/moments.rs is
/// being refactored: not fixed here. Found by `agreement_matrix`.
#[test]
fn cronbach_alpha_at_most_one_with_an_ordered_interval() {
    let a = cronbach_alpha(
        &rows([10000000000003.0, 10000000000000.0], 40),
        Level::default(),
    )
    .unwrap();
    if let Some(c) = a.coefficient.value() {
        assert!(c <= 1.0, "{a:?}");
    }
    if let Some(ci) = a.ci.value() {
        assert!(ci.lower <= ci.upper, "{a:?}");
    }
}

/// Sen's slope of scores near `f64::MAX`: a pairwise slope overflows and the slope, the
/// intercept or the interval come out infinite inside `Ok`. Needs the numeric domain of issue
/// 14 item 1. Found by `trend_series`.
#[test]
fn sen_slope_has_no_infinity_inside_ok() {
    use alliance::trend::{SenOptions, Series, sen_slope};
    let cases: [(Vec<f64>, Vec<f64>); 2] = [
        (
            vec![-1.0, -0.2857142857142857],
            vec![f64::MAX, 10000000000000.0],
        ),
        (vec![-9.25, -8.25, -7.25], vec![f64::MAX, 4.8275e-320, 0.0]),
    ];
    for (t, y) in cases {
        let Ok(s) = Series::new(t, y) else { continue };
        if let Ok(r) = sen_slope(&s, Level::default(), SenOptions::default()) {
            let text = format!("{r:?}");
            assert!(!text.contains("inf") && !text.contains("NaN"), "{text}");
        }
    }
}

/// Hamed-Rao on scores near `f64::MAX`: the detrending overflows and NaN or infinity comes
/// out inside `Ok`. Needs the numeric domain of issue 14 item 1. Found by `trend_series`.
#[test]
fn hamed_rao_has_no_nan_inside_ok() {
    use alliance::trend::{HamedRaoOptions, Series, mann_kendall_hamed_rao};
    let Ok(s) = Series::new(vec![0.0, 1.0, 2.0], vec![f64::MAX, f64::MAX, -1e300]) else {
        return; // refused at the door: fixed
    };
    for options in [
        HamedRaoOptions::default(),
        HamedRaoOptions::default().with_lags(1),
    ] {
        if let Ok(h) = mann_kendall_hamed_rao(&s, options) {
            let text = format!("{h:?}");
            assert!(!text.contains("inf") && !text.contains("NaN"), "{text}");
        }
    }
}

/// Sixteen answers of 4.3 on a scale from 4.3 add up to 68.79999999999998 in floating point,
/// below the instrument's total range [68.8, 75.2] (and a mean below the scale). Every answer
/// is on the scale, so the score is clamped to it. Found by `instrument_builder`.
#[test]
fn a_total_of_answers_at_the_minimum_stays_in_the_total_range() {
    use alliance::{BatchScorer, Instrument, Rater, Response, Scale, score};
    let instrument = Instrument::builder("X-1", Scale::new(4.3, 4.7).unwrap(), 16)
        .build()
        .unwrap();
    let range = instrument.total_range();
    let response = Response::complete(&instrument, Rater::Client, &[4.3; 16]).unwrap();
    let s = score(&response).unwrap();
    assert!(range.contains(s.total.value), "{s:?} {range:?}");
    assert_eq!((s.total.mean, s.total.pomp), (4.3, 0.0), "{s:?}");
    let batch = BatchScorer::new(&instrument)
        .score(&[Some(4.3); 16])
        .unwrap();
    assert_eq!(batch.totals(), &[s.total.value]);
    let top = Response::complete(&instrument, Rater::Client, &[4.7; 16]).unwrap();
    let s = score(&top).unwrap();
    assert!(range.contains(s.total.value), "{s:?} {range:?}");
    assert_eq!(s.total.pomp, 100.0, "{s:?}");
}

/// The pairwise twin of the finding above: 1 + 2^-52 with Feldt bounds in the wrong order.
/// Alpha above 1 needs a total variance above `k Σ s_j²`, which no covariance matrix has; within
/// rounding it is 1, beyond it undefined. Found by `agreement_matrix`.
#[test]
fn pairwise_alpha_at_most_one_with_an_ordered_interval() {
    use alliance::reliability::{PairwiseOptions, cronbach_alpha_pairwise};
    let ratings = rows([10000000000002.0, 10000000000000.0], 63);
    let a =
        cronbach_alpha_pairwise(&ratings, Level::default(), PairwiseOptions::default()).unwrap();
    if let Some(c) = a.coefficient.value() {
        assert!(c <= 1.0, "{a:?}");
    }
    if let Some(ci) = a.ci.value() {
        assert!(ci.lower <= ci.upper && ci.upper <= 1.0, "{a:?}");
    }
}

/// Two items whose correlation is −1 + 1.6e-25 (one row at 1e13 dominates both): the
/// standardized alpha −1.28e25 is known to five digits only, and changed in the sixth with the
/// row order. Its denominator `Σ r_ij` is zero to working precision, so it is undefined. Found
/// by `agreement_matrix`.
#[test]
fn standardized_alpha_with_a_denominator_below_working_precision_is_undefined() {
    let mut r = vec![[4.0, 0.0], [4.0, 0.0], [10000000000001.0, -1.25]];
    r.extend(std::iter::repeat_n([0.0, 0.0], 41));
    let a = cronbach_alpha(&Ratings::from_rows(&r).unwrap(), Level::default()).unwrap();
    assert_eq!(a.standardized.value(), None, "{a:?}");
    r.reverse();
    let b = cronbach_alpha(&Ratings::from_rows(&r).unwrap(), Level::default()).unwrap();
    assert_eq!(b.standardized.value(), None, "{b:?}");
    // the raw alpha is about 0 and cancels to a few ε: equal to 1e-12, not bit for bit
    let (x, y) = (
        a.coefficient.value().unwrap(),
        b.coefficient.value().unwrap(),
    );
    assert!((x - y).abs() < 1e-12, "{x} {y}");
}

/// Two respondents whose totals, near 1e13, differ by 5.2: the total variance is right to
/// three digits only, and alpha (−1.1e25) changed in the fourth with the item order. A
/// denominator whose rounding bound exceeds 1e-6 of it is zero to working precision: alpha
/// is undefined. Found by `agreement_matrix` (30-minute campaign).
#[test]
fn alpha_with_a_total_variance_below_working_precision_is_undefined() {
    let rows = [
        [3.0, 10000000000003.0, 7.052768022812615e-38],
        [10000000000003.0, 7.0, 1.2],
    ];
    let a = cronbach_alpha(&Ratings::from_rows(&rows).unwrap(), Level::default()).unwrap();
    assert_eq!(a.coefficient.value(), None, "{a:?}");
    let swapped: Vec<[f64; 3]> = rows.iter().map(|r| [r[1], r[0], r[2]]).collect();
    let b = cronbach_alpha(&Ratings::from_rows(&swapped).unwrap(), Level::default()).unwrap();
    assert_eq!(b.coefficient.value(), None, "{b:?}");
}

/// Values 2 ulps apart near 1e100, two of ten missing: Krippendorff's interval alpha was
/// −0.3125 in one unit order and 0.625 in the other, because the mean's rounding (about
/// 1e84) was as large as the spread. Measured from a data value, the squares are at the
/// scale of the spread. Found by `agreement_matrix` (30-minute campaign).
#[test]
fn krippendorff_interval_alpha_near_1e100_does_not_depend_on_unit_order() {
    use alliance::agreement::{Metric, krippendorff_alpha};
    let (a, b) = (9.999999999999996e99, 9.999999999999998e99);
    let rows = [
        [Some(a), Some(a), Some(b), None, None],
        [Some(a), Some(a), Some(a), Some(a), Some(a)],
    ];
    let alpha = |r: &[[Option<f64>; 5]]| {
        let cells: Vec<Option<f64>> = r.iter().flatten().copied().collect();
        krippendorff_alpha(
            &Ratings::with_missing(2, 5, cells).unwrap(),
            Metric::Interval,
            None,
        )
        .unwrap()
        .coefficient
        .value()
    };
    let swapped = [rows[1], rows[0]];
    // the same data on a small scale: 0 and 2 for the two distinct values
    let small = [
        [Some(0.0), Some(0.0), Some(2.0), None, None],
        [Some(0.0), Some(0.0), Some(0.0), Some(0.0), Some(0.0)],
    ];
    let want = alpha(&small).unwrap();
    for got in [alpha(&rows), alpha(&swapped)] {
        assert!((got.unwrap() - want).abs() < 1e-12, "{got:?} vs {want}");
    }
}

/// A first fix of the finding above measured from the first present value of any unit:
/// here −1e100 from a unit with one value, which made 1.25, 7 and −7 all −1e100 and alpha
/// "constant". The origin is now taken only among pairable values clustered far from zero.
/// Found by `agreement_matrix` (campaign rerun).
#[test]
fn krippendorff_interval_origin_comes_from_pairable_clustered_values_only() {
    use alliance::agreement::{Metric, krippendorff_alpha};
    let mut cells = vec![None; 28];
    cells[19] = Some(-9.999999999999998e99);
    cells[25] = Some(1.25);
    cells[26] = Some(7.0);
    cells[27] = Some(-7.0);
    let k = krippendorff_alpha(
        &Ratings::with_missing(7, 4, cells).unwrap(),
        Metric::Interval,
        None,
    )
    .unwrap();
    assert_eq!(k.coefficient.value(), Some(0.0), "{k:?}"); // one unit: D_o = D_e
    assert_eq!(k.n, 1);
}

/// Three complete targets of 17 (one-decimal and quarter-point ratings, MSR 0.0032): the
/// ICC(A,1) bounds all but coincide and came out one ulp apart in the wrong order,
/// [-0.20891214330606425, -0.20891214330606428]. Found by `agreement_matrix` (campaign rerun).
#[test]
fn icc_bounds_that_coincide_are_ordered() {
    let rows = [
        [7.0, 7.0, -7.0, 7.0, 4.0],
        [0.0, 2.5, 2.75, 6.0, 6.9],
        [3.0, 4.0, 2.5, 5.9, 2.5],
    ];
    let table = icc_table(&Ratings::from_rows(&rows).unwrap(), Level::default()).unwrap();
    for icc in table.all() {
        if let Some(ci) = icc.ci.value() {
            assert!(ci.lower <= ci.upper, "{} {ci:?}", icc.name);
        }
    }
}

/// Two distinct points near 1e13 (six pairs at (1e13 + 2, 1e13 + 2), one at (1e13, 0)): a
/// perfect linear relation, r = 1, came out 0.9999999999999999 in one order of the pairs
/// (with a t of 1.5e8) and 1 in the other (t undefined). Found by `agreement_matrix`
/// (campaign rerun).
#[test]
fn a_perfect_linear_relation_is_r_one_in_any_order() {
    use alliance::agreement::pearson;
    let (a, b) = (10000000000002.0, 10000000000000.0);
    let mut x = vec![a; 6];
    x.push(b);
    let mut y = vec![a; 6];
    y.push(0.0);
    for _ in 0..7 {
        let p = pearson(&Paired::new(&x, &y).unwrap(), Level::default()).unwrap();
        assert_eq!(p.coefficient.value(), Some(1.0), "{x:?} {p:?}");
        x.rotate_left(1);
        y.rotate_left(1);
    }
}
