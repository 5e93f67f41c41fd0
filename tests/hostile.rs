//! Issue 14, items 2 to 4: hostile sizes, indices and counts from a caller. Every allocation
//! sized by a parameter is checked before it is made, quadratic paths are bounded before the
//! work starts, and indices near `usize::MAX` never wrap onto another answer. Each test failed
//! (or aborted the process) before its fix.

use alliance::agreement::{
    Bootstrap, Categories, Metric, WeightMatrix, Weighting, cohen_kappa, krippendorff_alpha,
};
use alliance::caseload::{ScoreOf, TimeAxis, series};
use alliance::reliability::{PAIRWISE_MAX_ITEMS, PairwiseOptions, cronbach_alpha_pairwise};
use alliance::trend::{
    Baseline, CusumRule, EwmaRule, HamedRaoOptions, RepairStatus, RuptureRule, Series,
    SuddenDropRule, check_interval, mann_kendall_hamed_rao, ruptures,
};
use alliance::{
    BatchScorer, Course, Date, Error, Level, Paired, Rater, Ratings, Response, Session, catalog,
};

// ---- item 2: allocations sized by a caller -------------------------------------------------

#[test]
fn the_full_i32_range_of_categories_is_refused_before_it_is_listed() {
    // 2^32 codes: 34 GB of codes, then 2^64 weights.
    assert_eq!(
        Categories::range(i32::MIN, i32::MAX),
        Err(Error::TooManyCategories {
            found: 1 << 32,
            limit: 4096
        })
    );
    assert_eq!(Categories::range(1, 4096).map(|c| c.len()), Ok(4096));
    assert!(matches!(
        Categories::range(0, 4096),
        Err(Error::TooManyCategories { found: 4097, .. })
    ));
    // min > max still says "too few"
    assert_eq!(
        Categories::range(3, 1),
        Err(Error::TooFewCategories { found: 0 })
    );
}

#[test]
fn a_hundred_thousand_declared_categories_are_refused_not_allocated() {
    // 1e5 categories made cohen_kappa allocate 1e10 weights (80 GB) and abort.
    let codes: Vec<f64> = (0..100_000).map(f64::from).collect();
    let err = Categories::new(codes).unwrap_err();
    assert_eq!(
        err,
        Error::TooManyCategories {
            found: 100_000,
            limit: Categories::MAX as u64
        }
    );
    assert!(err.to_string().contains("at most 4096"));
    // The largest accepted set works end to end, in bounded memory.
    let categories = Categories::range(1, 4096).unwrap();
    let paired = Paired::new(&[1.0, 2.0, 4096.0, 7.0], &[1.0, 3.0, 4096.0, 7.0]).unwrap();
    let k = cohen_kappa(&paired, &categories, &Weighting::Linear, Level::default()).unwrap();
    assert_eq!(k.n, 4);
}

#[test]
fn multi_rater_kappa_does_not_visit_unused_categories_per_subject() {
    use alliance::agreement::fleiss_kappa;
    // 100,000 subjects x 3 raters over 1024 declared categories: visiting every category
    // for every subject was 1e8 steps per pass (4096 categories and a million subjects: 4e9).
    let subjects = 100_000;
    let values: Vec<f64> = (0..subjects * 3)
        .map(|i| 1.0 + ((i * 7 + i / 3) % 5) as f64)
        .collect();
    let r = Ratings::new(subjects, 3, values).unwrap();
    let wide = Categories::range(1, 1024).unwrap();
    let start = std::time::Instant::now();
    let k = fleiss_kappa(&r, &wide, &Weighting::Unweighted, Level::default()).unwrap();
    let took = start.elapsed();
    // 19 s in a debug build before (0.7 s after: the q x q chance agreement, once).
    assert!(took.as_secs_f64() < 5.0, "took {took:?}");
    // Unused categories do not enter Fleiss' kappa (its p_j are 0): the same numbers as
    // over the 5 codes used.
    let narrow = fleiss_kappa(
        &r,
        &Categories::range(1, 5).unwrap(),
        &Weighting::Unweighted,
        Level::default(),
    )
    .unwrap();
    assert_eq!(k.coefficient, narrow.coefficient);
    assert_eq!(k.se, narrow.se);
    assert_eq!(k.observed_agreement, narrow.observed_agreement);
    assert_eq!(k.chance_agreement, narrow.chance_agreement);
}

#[test]
fn a_weight_matrix_needs_two_to_max_categories() {
    assert_eq!(
        WeightMatrix::agreement(0, vec![]),
        Err(Error::TooFewCategories { found: 0 })
    );
    assert_eq!(
        WeightMatrix::agreement(1, vec![1.0]),
        Err(Error::TooFewCategories { found: 1 })
    );
    assert_eq!(
        WeightMatrix::disagreement(0, vec![]),
        Err(Error::TooFewCategories { found: 0 })
    );
    assert!(matches!(
        WeightMatrix::agreement(usize::MAX, vec![]),
        Err(Error::TooManyCategories { .. })
    ));
}

#[cfg(feature = "serde")]
#[test]
fn a_zero_by_zero_weight_matrix_does_not_deserialize() {
    let empty: Result<WeightMatrix, _> =
        serde_json::from_str(r#"{"size":0,"agreement_weights":[]}"#);
    assert!(empty.is_err());
    let huge: Result<WeightMatrix, _> =
        serde_json::from_str(r#"{"size":18446744073709551615,"agreement_weights":[]}"#);
    assert!(huge.is_err());
    // A category set beyond the limit does not deserialize either.
    let codes: Vec<f64> = (0..5000).map(f64::from).collect();
    let json = serde_json::to_string(&codes).unwrap();
    assert!(serde_json::from_str::<Categories>(&json).is_err());
}

#[test]
fn pairwise_alpha_on_too_many_items_is_refused_before_allocating() {
    // 2 x 2e5 items: 2e10 pairs of accumulators (over 1 TB).
    let items = 200_000;
    let values: Vec<f64> = (0..2 * items).map(|i| (i % 7) as f64).collect();
    let wide = Ratings::new(2, items, values).unwrap();
    let err =
        cronbach_alpha_pairwise(&wide, Level::default(), PairwiseOptions::default()).unwrap_err();
    assert_eq!(
        err,
        Error::TooManyItems {
            found: items,
            limit: PAIRWISE_MAX_ITEMS
        }
    );
    // one item over the limit
    let over = PAIRWISE_MAX_ITEMS + 1;
    let values: Vec<f64> = (0..3 * over).map(|i| (i % 5) as f64).collect();
    let r = Ratings::new(3, over, values).unwrap();
    assert!(matches!(
        cronbach_alpha_pairwise(&r, Level::default(), PairwiseOptions::default()),
        Err(Error::TooManyItems { .. })
    ));
}

#[test]
fn a_baseline_longer_than_max_sessions_is_refused() {
    // FirstSessions(usize::MAX) collected every score forever and never charted.
    for rule in [
        CusumRule::builder()
            .baseline(Baseline::FirstSessions(usize::MAX))
            .sd_floor(1.0)
            .build()
            .map(|_| ()),
        EwmaRule::builder()
            .baseline(Baseline::FirstSessions(Baseline::MAX_SESSIONS + 1))
            .sd_floor(1.0)
            .build()
            .map(|_| ()),
    ] {
        assert!(matches!(
            rule,
            Err(Error::InvalidRuleParameter {
                parameter: "baseline",
                ..
            })
        ));
    }
    assert!(
        CusumRule::builder()
            .baseline(Baseline::FirstSessions(Baseline::MAX_SESSIONS))
            .sd_floor(1.0)
            .build()
            .is_ok()
    );
}

// ---- item 2: quadratic paths ---------------------------------------------------------------

#[test]
fn hamed_rao_default_lags_stay_within_the_work_limit() {
    // 20,000 points: all 19,999 lags would be 4e8 products; the default takes the first
    // MAX_WORK / n lags.
    let n: u32 = 20_000;
    let values: Vec<f64> = (0..n).map(|i| f64::from((i * 7919) % 101)).collect();
    let s = Series::from_values(values).unwrap();
    let hr = mann_kendall_hamed_rao(&s, HamedRaoOptions::default()).unwrap();
    assert_eq!(hr.lags, (HamedRaoOptions::MAX_WORK / u64::from(n)) as usize);
    assert_eq!(hr.n, n as usize);
    // asking for all lags explicitly is refused before the work, naming what is accepted
    let err = mann_kendall_hamed_rao(&s, HamedRaoOptions::default().with_lags(19_999)).unwrap_err();
    assert!(matches!(
        err,
        Error::TooManyLags {
            lags: 19_999,
            points: 20_000,
            max_lags: 13_421,
            ..
        }
    ));
    assert!(err.to_string().contains("at most 13421 lags"));
}

#[test]
fn hamed_rao_default_examines_every_lag_on_ordinary_series() {
    let s = Series::from_values((0..500).map(|i| f64::from(i % 17)).collect()).unwrap();
    let hr = mann_kendall_hamed_rao(&s, HamedRaoOptions::default()).unwrap();
    assert_eq!(hr.lags, 499);
}

#[test]
fn the_ratio_metric_on_too_many_distinct_values_is_refused_before_the_double_sum() {
    // 10,000 units x 2 coders, all values distinct: 2e8 pairs of distinct values.
    let values: Vec<f64> = (0..20_000).map(|i| 1.0 + f64::from(i) * 0.001).collect();
    let r = Ratings::new(10_000, 2, values).unwrap();
    let err = krippendorff_alpha(&r, Metric::Ratio, None).unwrap_err();
    assert!(matches!(
        err,
        Error::TooManyRatioPairs { found, limit } if found > limit && limit == Metric::RATIO_PAIRS_LIMIT
    ));
    // the interval metric has no such limit (its sums need no pairs)
    assert!(krippendorff_alpha(&r, Metric::Interval, None).is_ok());
}

#[test]
fn the_ratio_metric_bootstrap_counts_its_costliest_resample() {
    // One unit with 600 distinct values (179,700 pairs) among 1000 units: the estimate is
    // cheap, but a resample drawing that unit every time would compare 1.8e8 pairs.
    let (units, coders) = (1000, 600);
    let mut values = vec![None; units * coders];
    for (j, v) in values.iter_mut().take(coders).enumerate() {
        *v = Some(1.0 + j as f64);
    }
    for u in 1..units {
        values[u * coders] = Some(1.0);
        values[u * coders + 1] = Some(2.0);
    }
    let r = Ratings::with_missing(units, coders, values).unwrap();
    assert!(krippendorff_alpha(&r, Metric::Ratio, None).is_ok());
    let b = Bootstrap::new(10).unwrap();
    assert!(matches!(
        krippendorff_alpha(&r, Metric::Ratio, Some(b)),
        Err(Error::TooManyRatioPairs { .. })
    ));
}

#[test]
fn a_course_from_sessions_in_descending_order_is_sorted_once() {
    let n: u32 = 100_000;
    let start = std::time::Instant::now();
    let sessions = (1..=n).rev().map(|k| Session::new("C1", "T1", k).unwrap());
    let course = Course::from_sessions("C1", "T1", sessions).unwrap();
    let took = start.elapsed();
    assert_eq!(course.sessions().len(), n as usize);
    assert!(
        course
            .sessions()
            .windows(2)
            .all(|w| w[0].number() < w[1].number())
    );
    // Inserting each at the front moved n^2/2 sessions (6.6 s in release); sorting once is
    // milliseconds. The bound is generous for a loaded debug build.
    assert!(took.as_secs_f64() < 3.0, "took {took:?}");
}

#[test]
fn a_course_from_sessions_reports_the_same_errors_as_adding_them() {
    let d = |day| Date::new(2026, 3, day).unwrap();
    let s = |k, day| Session::new("C1", "T1", k).unwrap().with_date(d(day));
    assert_eq!(
        Course::from_sessions("C1", "T1", [s(3, 9), s(1, 1), s(3, 9)]),
        Err(Error::DuplicateSession { session: 3 })
    );
    assert_eq!(
        Course::from_sessions("C1", "T1", [s(3, 2), s(1, 1), s(2, 5)]),
        Err(Error::DatesOutOfOrder {
            session: 3,
            previous: 2
        })
    );
    let foreign = Session::new("C2", "T1", 4).unwrap();
    assert_eq!(
        Course::from_sessions("C1", "T1", [s(1, 1), foreign]),
        Err(Error::ForeignSession { session: 4 })
    );
    // an undated session between two dated ones is fine, and so are two on the same day
    let undated = Session::new("C1", "T1", 2).unwrap();
    let course = Course::from_sessions("C1", "T1", [s(3, 1), undated, s(1, 1)]).unwrap();
    assert_eq!(course.sessions().len(), 3);
}

// ---- item 3: checked arithmetic on indices and counts --------------------------------------

#[test]
fn a_huge_response_index_has_no_subscale() {
    // WAI-SR has 3 subscales: response usize::MAX / 3 + 1 times 3 wrapped to index 1.
    let scores = BatchScorer::new(&catalog::wai_sr())
        .score_codes(&[3; 12], None)
        .unwrap();
    assert_eq!(scores.subscale(0, 1), Some(3.0));
    for response in [usize::MAX / 3 + 1, usize::MAX, usize::MAX / 2 + 1] {
        for subscale in 0..3 {
            assert_eq!(scores.subscale(response, subscale), None);
        }
    }
}

#[test]
fn a_huge_interval_position_is_not_testable() {
    let s = Series::from_values(vec![30.0, 31.0, 30.0, 20.0, 21.0, 20.0, 21.0]).unwrap();
    let rule = SuddenDropRule::builder().min_drop(4.0).build().unwrap();
    assert!(check_interval(&s, 2, &rule).unwrap().is_some());
    for before in [usize::MAX, usize::MAX - 1, usize::MAX - 2] {
        assert_eq!(check_interval(&s, before, &rule).unwrap(), None);
    }
}

#[test]
fn a_repair_window_of_usize_max_still_sees_the_repair() {
    let s = Series::from_values(vec![30.0, 31.0, 30.0, 31.0, 24.0, 29.0, 31.0]).unwrap();
    for window in [3, usize::MAX, usize::MAX - 3] {
        let rule = RuptureRule::builder()
            .reference_sd(1.0)
            .repair_window(window)
            .build()
            .unwrap();
        let found = ruptures(&s, &rule).unwrap();
        let r = &found.ruptures[0];
        assert_eq!(r.index, 4);
        assert!(
            matches!(r.repair, RepairStatus::Repaired { index: 6, .. }),
            "window {window}: {:?}",
            r.repair
        );
    }
    // Unrepaired within a window reaching past the end: still waiting, never "unrepaired".
    let s = Series::from_values(vec![30.0, 31.0, 30.0, 31.0, 24.0, 25.0]).unwrap();
    let rule = RuptureRule::builder()
        .reference_sd(1.0)
        .repair_window(usize::MAX)
        .build()
        .unwrap();
    let found = ruptures(&s, &rule).unwrap();
    assert_eq!(found.ruptures[0].repair, RepairStatus::Pending);
}

#[test]
fn a_huge_ratings_index_is_out_of_range() {
    let r = Ratings::new(2, 2, vec![1.0, 2.0, 3.0, 4.0]).unwrap();
    assert_eq!(r.get(usize::MAX / 2 + 1, 0), None);
    assert_eq!(r.get(0, usize::MAX), None);
}

#[test]
fn a_long_first_row_does_not_size_the_matrix_of_short_rows() {
    // 1e6 values then 1e6 empty rows: rows x first-row length was 1e12 cells (8 TB) reserved
    // before the second row's length was checked.
    let mut rows: Vec<Vec<f64>> = vec![vec![1.0; 1_000_000]];
    rows.extend(std::iter::repeat_with(Vec::new).take(1_000_000));
    assert_eq!(
        Ratings::from_rows(&rows),
        Err(Error::LengthMismatch {
            what: "ratings row",
            expected: 1_000_000,
            found: 0
        })
    );
}

// ---- item 5: two sessions on one date ------------------------------------------------------

#[test]
fn two_sessions_on_one_date_are_named_on_a_day_axis_and_kept_on_session_numbers() {
    let vas = catalog::session_scale();
    let day = |d| Date::new(2026, 4, d).unwrap();
    let mut course = Course::new("C9", "T9").unwrap();
    for (number, date, score) in [(1, 1, 8.0), (2, 8, 7.0), (3, 8, 9.0), (4, 15, 8.5)] {
        let mut session = Session::new("C9", "T9", number)
            .unwrap()
            .with_date(day(date));
        session
            .add(Response::complete(&vas, Rater::Client, &[score; 4]).unwrap())
            .unwrap();
        course.add(session).unwrap();
    }
    let err = series(
        &course,
        Rater::Client,
        &vas,
        &ScoreOf::Total,
        TimeAxis::Days,
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::SameDate {
            first: 2,
            second: 3,
            date: day(8)
        }
    );
    let message = err.to_string();
    assert!(message.contains("sessions 2 and 3"), "{message}");
    assert!(message.contains("TimeAxis::SessionNumber"), "{message}");
    let by_number = series(
        &course,
        Rater::Client,
        &vas,
        &ScoreOf::Total,
        TimeAxis::SessionNumber,
    )
    .unwrap();
    assert_eq!(by_number.sessions, [1, 2, 3, 4]);
}

// ---- item 1: the numeric domain and exact degeneracy ----------------------------------------

/// Agreement weights one ulp below 1: chance agreement rounds to exactly 1 in
/// `(p_o − p_e)/(1 − p_e)`, and Cohen's, Fleiss', Gwet's and Brennan-Prediger's coefficients
/// were 0/0 = NaN inside `Ok`. Computed from the disagreements 1 − w, they are numbers.
#[test]
fn kappa_with_weights_one_ulp_below_one_is_a_number() {
    use alliance::agreement::{brennan_prediger, fleiss_kappa, gwet_ac};
    let near = 1.0 - f64::EPSILON / 2.0;
    let w = WeightMatrix::agreement(2, vec![1.0, near, near, 1.0]).unwrap();
    let weighting = Weighting::Custom(w);
    let cats = Categories::range(0, 1).unwrap();
    let x = [0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
    let y = [0.0, 1.0, 0.0, 0.0, 1.0, 1.0];
    let k = cohen_kappa(
        &Paired::new(&x, &y).unwrap(),
        &cats,
        &weighting,
        Level::default(),
    )
    .unwrap();
    // one disagreement in six, weighted like every other: the unweighted kappa, 2/3
    let unweighted = cohen_kappa(
        &Paired::new(&x, &y).unwrap(),
        &cats,
        &Weighting::Unweighted,
        Level::default(),
    )
    .unwrap();
    let (kw, ku) = (
        k.coefficient.value().unwrap(),
        unweighted.coefficient.value().unwrap(),
    );
    assert!((kw - ku).abs() < 1e-12, "{kw} vs {ku}");
    let rows: Vec<[f64; 2]> = x.iter().zip(&y).map(|(&a, &b)| [a, b]).collect();
    let r = Ratings::from_rows(&rows).unwrap();
    // Fleiss and Brennan-Prediger weigh every disagreement alike here too, so they equal their
    // unweighted values; Gwet's AC2 counts T_w = Σ w ≈ q² (not q), so it differs, but is a
    // number at most 1.
    for (f, same) in [
        (fleiss_kappa as fn(&_, &_, &_, _) -> _, true),
        (brennan_prediger, true),
        (gwet_ac, false),
    ] {
        let weighted = f(&r, &cats, &weighting, Level::default()).unwrap();
        let plain = f(&r, &cats, &Weighting::Unweighted, Level::default()).unwrap();
        let text = format!("{weighted:?}");
        assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");
        let (a, b) = (
            weighted.coefficient.value().unwrap(),
            plain.coefficient.value().unwrap(),
        );
        assert!(a <= 1.0, "{text}");
        if same {
            assert!((a - b).abs() < 1e-12, "{weighted:?} {plain:?}");
        }
    }
}

/// Every constructor of data refuses numbers outside the domain the same way: beyond 1e100
/// `TooLarge`, nonzero below 1e-100 `TooSmall`, naming the position.
#[test]
fn the_numeric_domain_is_checked_at_every_door() {
    use alliance::{Norm, Scale};
    let small = 1e-200;
    assert!(matches!(
        Ratings::from_rows(&[[1.0, 2.0], [1.0, small]]),
        Err(Error::TooSmall { index: 3, .. })
    ));
    assert!(matches!(
        Ratings::with_missing(2, 2, vec![Some(1.0), None, Some(2.0), Some(-1e101)]),
        Err(Error::TooLarge { index: 3, .. })
    ));
    assert!(matches!(
        Paired::with_missing(&[Some(1.0), Some(small)], &[Some(1.0), None]),
        Err(Error::TooSmall { index: 1, .. })
    ));
    assert!(matches!(
        Series::new(vec![0.0, small], vec![1.0, 2.0]),
        Err(Error::TooSmall { index: 1, .. })
    ));
    assert!(matches!(
        Norm::new(0.0, 5e-324, "", None),
        Err(Error::TooSmall { index: 1, .. })
    ));
    assert!(Scale::new(-1e300, 1.0).is_err() && Scale::new(0.0, 1e101).is_err());
    assert!(matches!(
        Categories::new(vec![0.0, small]),
        Err(Error::TooSmall { index: 1, .. })
    ));
    // an answer on a continuous scale, but below the resolution
    let vas = alliance::Instrument::builder("VAS-X", Scale::new(0.0, 1.0).unwrap(), 1)
        .build()
        .unwrap();
    assert!(matches!(
        Response::complete(&vas, Rater::Client, &[small]),
        Err(Error::TinyAnswer { item: 1, .. })
    ));
    // zero and the edges themselves are inside
    assert!(Ratings::from_rows(&[[0.0, 1e-100], [1e100, -1e100]]).is_ok());
}

/// Krippendorff's interval alpha on values near 1e165 (1e154 with three coders) was 1,
/// "perfect agreement", where the true value is negative: the squared differences
/// overflowed. Such values are now outside the numeric domain; at its edge (2^328, about
/// 5.5e98, times small integers) alpha is bit for bit the unscaled one.
#[test]
fn krippendorff_alpha_near_the_domain_edge_equals_its_unscaled_value() {
    let small = [[1.0, 3.0, 1.0], [3.0, 1.0, 3.0], [1.0, 3.0, 3.0]];
    let want = krippendorff_alpha(&Ratings::from_rows(&small).unwrap(), Metric::Interval, None)
        .unwrap()
        .coefficient
        .value()
        .unwrap();
    assert!(want < 0.0, "{want}");
    let edge: Vec<[f64; 3]> = small
        .iter()
        .map(|r| r.map(|x| x * 2f64.powi(328)))
        .collect();
    let got = krippendorff_alpha(&Ratings::from_rows(&edge).unwrap(), Metric::Interval, None)
        .unwrap()
        .coefficient
        .value()
        .unwrap();
    assert_eq!(got.to_bits(), want.to_bits());
    for scale in [1e154, 1e165] {
        let huge: Vec<[f64; 3]> = small.iter().map(|r| r.map(|x| x * scale)).collect();
        assert!(matches!(
            Ratings::from_rows(&huge),
            Err(Error::TooLarge { .. })
        ));
    }
}

/// A Jacobson-Truax cutoff from populations at the edge of the domain is finite.
#[test]
fn jacobson_truax_cutoffs_at_the_domain_edge_are_finite() {
    use alliance::trend::{ClinicalCutoff, CutoffRule, Polarity, Population};
    for rule in [CutoffRule::A, CutoffRule::B, CutoffRule::C] {
        let c = ClinicalCutoff::jacobson_truax(
            rule,
            Population {
                mean: -1e100,
                sd: 1e100,
            },
            Population {
                mean: 1e100,
                sd: 1e100,
            },
            Polarity::HigherIsBetter,
        )
        .unwrap();
        assert!(c.value.is_finite(), "{rule:?}: {c:?}");
    }
    assert!(
        ClinicalCutoff::jacobson_truax(
            CutoffRule::C,
            Population {
                mean: 0.0,
                sd: f64::MAX
            },
            Population {
                mean: 1.0,
                sd: f64::MAX
            },
            Polarity::HigherIsBetter,
        )
        .is_err()
    );
}

/// Values a few ulps apart near 1e100 (a, a + u, a + 2u with u = 2^280): each mean's own
/// rounding was as large as the spread, and Pearson's r came out 0.75 where it is
/// 3/√(40/3) = 0.8215838362577491 (exact rational arithmetic on the integers 0, 1, 2, the
/// same data measured in units of u from a); Lin's CCC is 0.75 = 2·(1/2)/(5/9 + 2/3 + 1/9).
#[test]
fn pearson_near_1e100_equals_its_small_scale_twin() {
    use alliance::agreement::{concordance, pearson};
    let (a, b, c) = (9.999999999999996e99, 9.999999999999998e99, 1e100);
    let x = [a, a, b, a, c, b];
    let y = [a, b, b, a, c, c];
    let level = Level::default();
    let twin_x = [0.0, 0.0, 1.0, 0.0, 2.0, 1.0];
    let twin_y = [0.0, 1.0, 1.0, 0.0, 2.0, 2.0];
    for (x, y) in [(&x, &y), (&twin_x, &twin_y)] {
        let p = Paired::new(x, y).unwrap();
        let r = pearson(&p, level).unwrap().coefficient.value().unwrap();
        let ccc = concordance(&p, level).unwrap().coefficient.value().unwrap();
        assert!((r - 3.0 / (40.0f64 / 3.0).sqrt()).abs() < 1e-15, "r {r}");
        assert!((ccc - 0.75).abs() < 1e-15, "ccc {ccc}");
    }
}
