//! Hand-checked scores for every catalog instrument. Each expected value is worked out by hand
//! in the comment beside it, from the published key cited at the top of each test; none comes
//! from running this crate.

use alliance::{Element, Error, Rater, Response, catalog, score};

mod common;

/// Tolerance of every hand-worked value here (relative above 1, absolute below).
const TOL: f64 = 1e-12;

fn answers(xs: &[f64]) -> Vec<Option<f64>> {
    xs.iter()
        .map(|&x| if x.is_nan() { None } else { Some(x) })
        .collect()
}

const NA: f64 = f64::NAN;

/// WAI-SR key (Hatcher & Gillaspy 2006): 1-5, Task 1 2 10 12, Bond 3 5 7 9, Goal 4 6 8 11, no
/// reverse items, item mean; elements Rapport = Bond, Goals = Goal, Responsibility = 2 12,
/// Expectations = 1 10.
#[test]
fn wai_sr_by_hand() {
    let wai = catalog::wai_sr();
    // items 1..12 = 5 4 3 2 1 2 3 4 5 4 3 2
    let r = Response::complete(
        &wai,
        Rater::Client,
        &[5., 4., 3., 2., 1., 2., 3., 4., 5., 4., 3., 2.],
    )
    .unwrap();
    let s = score(&r).unwrap();
    // total 38 over 12 items: mean 3.1666..., POMP 100 (3.1666 - 1) / 4 = 54.1666...
    assert!(common::close(s.total.sum, 38.0, TOL, TOL));
    assert!(common::close(s.total.value, 38.0 / 12.0, TOL, TOL));
    assert!(common::close(
        s.total.pomp,
        100.0 * (38.0 / 12.0 - 1.0) / 4.0,
        TOL,
        TOL
    ));
    // Task 5+4+4+2 = 15, Bond 3+1+3+5 = 12, Goal 2+2+4+3 = 11 (means 3.75, 3, 2.75)
    assert!(common::close(
        s.subscale("Task").unwrap().sum,
        15.0,
        TOL,
        TOL
    ));
    assert!(common::close(
        s.subscale("Bond").unwrap().value,
        3.0,
        TOL,
        TOL
    ));
    assert!(common::close(
        s.subscale("Goal").unwrap().value,
        2.75,
        TOL,
        TOL
    ));
    // Rapport mean 3 -> 50; Goals 2.75 -> 43.75; Responsibility (4, 2) -> 3 -> 50;
    // Expectations (5, 4) -> 4.5 -> 87.5
    let p = s.profile;
    assert!(common::close(
        p.get(Element::Rapport).unwrap().pomp,
        50.0,
        TOL,
        TOL
    ));
    assert!(common::close(
        p.get(Element::Goals).unwrap().pomp,
        43.75,
        TOL,
        TOL
    ));
    assert!(common::close(
        p.get(Element::Responsibility).unwrap().pomp,
        50.0,
        TOL,
        TOL
    ));
    assert!(common::close(
        p.get(Element::Expectations).unwrap().pomp,
        87.5,
        TOL,
        TOL
    ));
    assert_eq!(p.weakest(), Some(Element::Goals));
    assert!(common::close(p.spread().unwrap(), 87.5 - 43.75, TOL, TOL));
    assert!(s.cutoffs.is_empty() && s.norm.is_none());

    // all 5: sum 60, mean 5, POMP 100
    let s = score(&Response::complete(&wai, Rater::Client, &[5.0; 12]).unwrap()).unwrap();
    assert!(
        common::close(s.total.sum, 60.0, TOL, TOL)
            && common::close(s.total.value, 5.0, TOL, TOL)
            && common::close(s.total.pomp, 100.0, TOL, TOL)
    );
    assert_eq!(s.profile.weakest(), None); // all elements equal: none is weakest

    // item 5 missing: 11 answered summing 44, mean 4, prorated sum 48;
    // Bond from 3 7 9 = 5 5 4: mean 14/3, prorated sum 14/3 * 4
    let r = Response::new(
        &wai,
        Rater::Client,
        &answers(&[4., 4., 5., 4., NA, 3., 5., 4., 4., 3., 4., 4.]),
    )
    .unwrap();
    let s = score(&r).unwrap();
    assert_eq!(
        (s.total.answered, s.total.items, s.total.prorated),
        (11, 12, true)
    );
    assert!(
        common::close(s.total.value, 4.0, TOL, TOL) && common::close(s.total.sum, 48.0, TOL, TOL)
    );
    let bond = s.subscale("Bond").unwrap();
    assert!(
        bond.prorated
            && common::close(bond.mean, 14.0 / 3.0, TOL, TOL)
            && common::close(bond.sum, 14.0 / 3.0 * 4.0, TOL, TOL)
    );
    assert!(!s.subscale("Task").unwrap().prorated);
    assert_eq!(s.profile.get(Element::Rapport).unwrap().answered, 3);

    // items 3 and 5 missing: Bond misses 2 of 4, the rule allows 1
    match Response::new(
        &wai,
        Rater::Client,
        &answers(&[4., 4., NA, 4., NA, 3., 5., 4., 4., 3., 4., 4.]),
    ) {
        Err(Error::TooManyMissing {
            scope,
            missing: 2,
            items: 4,
            allowed: 1,
        }) => assert_eq!(scope, "Bond"),
        other => panic!("expected too many missing in Bond, got {other:?}"),
    }
}

/// HAq-II key (Luborsky et al. 1996): 19 items, 1-6, items 4 8 11 16 19 reversed (7 - x),
/// sum; at most 2 missing.
#[test]
fn haq_ii_by_hand() {
    let haq = catalog::haq_ii();
    // all 6: 14 forward items give 84, 5 reversed give 5 x (7 - 6) = 5: total 89
    let s = score(&Response::complete(&haq, Rater::Client, &[6.0; 19]).unwrap()).unwrap();
    assert!(common::close(s.total.value, 89.0, TOL, TOL));
    assert!(common::close(s.total.mean, 89.0 / 19.0, TOL, TOL));
    assert!(common::close(
        s.total.pomp,
        100.0 * (89.0 / 19.0 - 1.0) / 5.0,
        TOL,
        TOL
    ));

    // item n answered 1 + (n mod 6): raw 2 3 4 5 6 1 2 3 4 5 6 1 2 3 4 5 6 1 2, raw sum 65;
    // reversed raw 5 (item 4) 3 (8) 6 (11) 5 (16) 2 (19) = 21 keyed 2 4 1 2 5 = 14;
    // total 65 - 21 + 14 = 58
    let raw: Vec<f64> = (1..=19).map(|n| f64::from(1 + n % 6)).collect();
    let s = score(&Response::complete(&haq, Rater::Therapist, &raw).unwrap()).unwrap();
    assert!(common::close(s.total.value, 58.0, TOL, TOL));
    // Goals = items 3, 6: raw 4 and 1, forward: mean 2.5, POMP 30
    assert!(common::close(
        s.profile.get(Element::Goals).unwrap().pomp,
        30.0,
        TOL,
        TOL
    ));
    assert!(s.profile.get(Element::Goals).unwrap().low_reliability);

    // all 3 with items 4 and 10 missing: 13 forward x 3 = 39, reversed 8 11 16 19 give
    // 4 x (7 - 3) = 16; 55 over 17 answered, prorated to 55 / 17 x 19
    let mut xs = [3.0; 19];
    xs[3] = NA;
    xs[9] = NA;
    let s = score(&Response::new(&haq, Rater::Client, &answers(&xs)).unwrap()).unwrap();
    assert!(s.total.prorated && s.total.answered == 17);
    assert!(common::close(s.total.value, 55.0 / 17.0 * 19.0, TOL, TOL));

    // three missing: more than the 2 allowed
    xs[0] = NA;
    assert!(matches!(
        Response::new(&haq, Rater::Client, &answers(&xs)),
        Err(Error::TooManyMissing {
            missing: 3,
            allowed: 2,
            ..
        })
    ));
}

/// ARM-5 key (Cahill et al. 2012): 5 items, 1-7, item 3 reversed (8 - x), item mean.
#[test]
fn arm_5_by_hand() {
    let arm = catalog::arm_5();
    // 7 6 2 5 4 -> keyed 7 6 6 5 4 = 28, mean 5.6, POMP 100 x 4.6 / 6
    let s =
        score(&Response::complete(&arm, Rater::Client, &[7., 6., 2., 5., 4.]).unwrap()).unwrap();
    assert!(common::close(s.total.value, 5.6, TOL, TOL));
    assert!(common::close(s.total.pomp, 100.0 * 4.6 / 6.0, TOL, TOL));
    // Responsibility = items 2, 3 keyed 6 and 6: POMP 100 x 5 / 6
    assert!(common::close(
        s.profile.get(Element::Responsibility).unwrap().pomp,
        100.0 * 5.0 / 6.0,
        TOL,
        TOL
    ));
    // 1 1 7 1 1 -> keyed all 1: mean 1, POMP 0
    let s =
        score(&Response::complete(&arm, Rater::Therapist, &[1., 1., 7., 1., 1.]).unwrap()).unwrap();
    assert!(
        common::close(s.total.value, 1.0, TOL, TOL) && common::close(s.total.pomp, 0.0, TOL, TOL)
    );
    // item 5 missing: 4 5 3 6 -> keyed 4 5 5 6 = 20, mean 5
    let r = Response::new(&arm, Rater::Client, &answers(&[4., 5., 3., 6., NA])).unwrap();
    let s = score(&r).unwrap();
    assert!(common::close(s.total.value, 5.0, TOL, TOL) && s.total.prorated);
    assert_eq!(s.profile.get(Element::Expectations).unwrap().answered, 1);
}

/// VAS-4 with the SRS rule (Duncan et al. 2003): 4 items 0-10 in 0.1, total 0-40, flag below
/// 36, every item required.
#[test]
fn session_scale_by_hand() {
    let vas = catalog::session_scale();
    // 9.1 + 8.7 + 9.0 + 9.3 = 36.1: not below 36
    let s =
        score(&Response::complete(&vas, Rater::Client, &[9.1, 8.7, 9.0, 9.3]).unwrap()).unwrap();
    assert!((s.total.value - 36.1).abs() < 1e-9);
    assert!(!s.is_flagged());
    // 8.0 + 9.0 + 9.5 + 9.0 = 35.5: flagged
    let s =
        score(&Response::complete(&vas, Rater::Client, &[8.0, 9.0, 9.5, 9.0]).unwrap()).unwrap();
    assert!(common::close(s.total.value, 35.5, TOL, TOL));
    assert!(s.is_flagged());
    assert_eq!(s.cutoffs[0].label, "alliance concern");
    // exactly 36: not below
    let s = score(&Response::complete(&vas, Rater::Client, &[9.0; 4]).unwrap()).unwrap();
    assert!(!s.is_flagged());
    // one item missing: the rule requires all four
    assert!(matches!(
        Response::new(&vas, Rater::Client, &answers(&[9.0, 9.0, NA, 9.0])),
        Err(Error::TooManyMissing {
            missing: 1,
            allowed: 0,
            ..
        })
    ));
    // 7.35 is between marks of 0.1
    let e = Response::complete(&vas, Rater::Client, &[9.0, 7.35, 9.0, 9.0]).unwrap_err();
    assert!(matches!(e, Error::OffStep { item: 2, .. }));
    // item 4 feeds no element; each element rests on one item
    let p = score(&Response::complete(&vas, Rater::Client, &[9.0; 4]).unwrap())
        .unwrap()
        .profile;
    assert!(p.get(Element::Expectations).is_none());
    assert_eq!(p.low_reliability().count(), 3);
}

/// ALLIANCE-4E (this crate's own check-in): 1-5, reversed 3 6 9 12 (6 - x), item mean,
/// subscales = elements of 3 items each.
#[test]
fn checkin_by_hand() {
    let c = catalog::checkin();
    // 5 5 1 | 4 4 2 | 5 4 1 | 3 4 2 -> keyed 5 5 5 | 4 4 4 | 5 4 5 | 3 4 4
    let xs = [5., 5., 1., 4., 4., 2., 5., 4., 1., 3., 4., 2.];
    let s = score(&Response::complete(&c, Rater::Client, &xs).unwrap()).unwrap();
    // total 52 / 12
    assert!(common::close(s.total.value, 52.0 / 12.0, TOL, TOL));
    assert!(common::close(
        s.subscale("Positive Rapport").unwrap().value,
        5.0,
        TOL,
        TOL
    ));
    assert!(common::close(
        s.subscale("Realistic Expectations").unwrap().value,
        14.0 / 3.0,
        TOL,
        TOL
    ));
    assert!(common::close(
        s.profile.get(Element::Responsibility).unwrap().pomp,
        100.0 * (11.0 / 3.0 - 1.0) / 4.0,
        TOL,
        TOL
    ));
    assert_eq!(s.profile.weakest(), Some(Element::Responsibility));
    assert_eq!(s.profile.low_reliability().count(), 0);
    assert!(!c.is_validated());
    assert_eq!(
        c.item_text(1),
        Some("I felt understood by my therapist today.")
    );
    // one missing per subscale is allowed; two in one subscale is not
    let mut m = answers(&xs);
    m[0] = None;
    m[3] = None;
    assert!(
        score(&Response::new(&c, Rater::Client, &m).unwrap())
            .unwrap()
            .total
            .prorated
    );
    m[1] = None;
    assert!(matches!(
        Response::new(&c, Rater::Client, &m),
        Err(Error::TooManyMissing { .. })
    ));
}

#[test]
fn responses_reject_bad_answers_with_precise_errors() {
    let wai = catalog::wai_sr();
    let e = Response::complete(&wai, Rater::Client, &[3.0; 11]).unwrap_err();
    assert_eq!(
        e,
        Error::LengthMismatch {
            what: "response",
            expected: 12,
            found: 11
        }
    );
    let mut xs = [3.0; 12];
    xs[6] = 9.0;
    let e = Response::complete(&wai, Rater::Client, &xs).unwrap_err();
    assert_eq!(e.to_string(), "item 7 is 9 but the scale is 1-5");
    xs[6] = f64::NAN;
    assert!(matches!(
        Response::complete(&wai, Rater::Client, &xs),
        Err(Error::NonFiniteAnswer { item: 7, .. })
    ));
    xs[6] = 2.5;
    assert!(matches!(
        Response::complete(&wai, Rater::Client, &xs),
        Err(Error::OffStep { item: 7, .. })
    ));
    let e = Response::from_items(&wai, Rater::Client, &[(1, 3.0), (1, 4.0)]).unwrap_err();
    assert_eq!(e, Error::DuplicateItem { item: 1 });
    let e = Response::from_items(&wai, Rater::Client, &[(13, 3.0)]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "item 13 does not exist: 'WAI-SR' has items 1-12"
    );
    let e = Response::from_items(&wai, Rater::Client, &[(0, 3.0)]).unwrap_err();
    assert!(matches!(e, Error::UnknownItem { item: 0, .. }));
}

#[test]
fn every_catalog_entry_builds_and_documents_itself() {
    let all = catalog::all();
    assert_eq!(all.len(), 5);
    for i in &all {
        assert!(
            !i.source().is_empty() && !i.licence().is_empty(),
            "{}",
            i.id()
        );
        assert_eq!(catalog::by_id(&i.id().to_lowercase()).as_ref(), Some(i));
    }
    assert!(!catalog::UNVERIFIED.is_empty());
}

/// A user-defined instrument with norms, a cutoff and a prorating rule: z = (x - mean) / SD
/// and percentile 100 Φ(z) by hand.
#[test]
fn user_defined_instrument_with_norms_and_cutoff() {
    use alliance::{Cutoff, Instrument, MissingRule, Norm, Scale, ScoringRule};
    let inst = Instrument::builder("MY-6", Scale::likert(0, 4).unwrap(), 6)
        .name("My six-item bond scale")
        .subscale("Trust", &[1, 2, 3])
        .subscale("Warmth", &[4, 5, 6])
        .reverse(&[6])
        .element(Element::Rapport, &[1, 2, 3, 4, 5, 6])
        .scoring(ScoringRule::Sum)
        .missing(MissingRule::Prorate {
            max_missing: 1,
            max_missing_per_subscale: Some(1),
        })
        .cutoff(
            Cutoff::new(
                "low bond",
                10.0,
                alliance::CutoffSide::AtOrBelow,
                "local audit 2025",
            )
            .unwrap(),
        )
        .norm(Norm::new(16.0, 3.0, "clinic sample 2025", Some(400)).unwrap())
        .build()
        .unwrap();
    // 4 3 3 2 2 0 -> item 6 keyed 4 - 0 = 4: sum 18; z = (18 - 16) / 3 = 2/3
    let s = score(&Response::complete(&inst, Rater::Client, &[4., 3., 3., 2., 2., 0.]).unwrap())
        .unwrap();
    assert!(common::close(s.total.value, 18.0, TOL, TOL));
    let norm = s.norm.clone().unwrap();
    assert!(common::close(norm.z, 2.0 / 3.0, TOL, TOL));
    // Φ(2/3) = 0.747507462453077 (scipy.stats.norm.cdf(2/3))
    assert!((norm.percentile - 74.750_746_245_307_7).abs() < 1e-9);
    assert!(!s.is_flagged());
    // 1 1 2 1 1 4 -> keyed 1 1 2 1 1 0 = 6 <= 10: flagged; z = -10/3
    let s = score(&Response::complete(&inst, Rater::Client, &[1., 1., 2., 1., 1., 4.]).unwrap())
        .unwrap();
    assert!(s.is_flagged() && common::close(s.norm.unwrap().z, -10.0 / 3.0, TOL, TOL));
    // POMP of Rapport: mean 1 on 0-4 -> 25
    assert!(common::close(
        s.profile.get(Element::Rapport).unwrap().pomp,
        25.0,
        TOL,
        TOL
    ));
}

/// The one-byte path at the edges of its lane widths: sums that just fit 8-bit lanes, sums
/// that need 16-bit lanes, the widest codes, reverse keying and prorating on both, and more
/// items than the fast path takes. Each batch must equal scoring one response at a time.
#[test]
fn codes_at_the_lane_limits() {
    use alliance::{BatchScorer, Instrument, MissingRule, Scale, ScoringRule};
    let cases: [(u16, u8, u8, Option<u8>); 8] = [
        (8, 1, 31, Some(0)),    // 8 x 31 = 248: 8-bit lanes
        (8, 1, 37, Some(0)),    // 8 x 37 = 296: 16-bit lanes
        (16, 0, 15, Some(255)), // 16 x 15 = 240: 8-bit lanes
        (16, 0, 18, Some(255)), // 16 x 18 = 288: 16-bit lanes
        (12, 1, 5, Some(0)),    // WAI-SR shape, 4 codes past the last word's end
        (40, 0, 255, None),     // the widest codes on the longest fast row: 10,200
        (41, 1, 7, Some(9)),    // one item too many for the fast path
        (3, 2, 4, Some(1)),     // a row shorter than a word
    ];
    for (k, min, max, code) in cases {
        let inst = Instrument::builder("T", Scale::likert(min, max).unwrap(), k)
            .reverse(&[1, k])
            .subscale("A", &(1..=k / 2).collect::<Vec<_>>())
            .scoring(ScoringRule::Mean)
            .missing(MissingRule::Prorate {
                max_missing: 2,
                max_missing_per_subscale: None,
            })
            .build()
            .unwrap();
        let k = usize::from(k);
        // rows: keyed max, all max, all min, a ramp, and the ramp missing an answer (with a code)
        let mut top = vec![max; k];
        (top[0], top[k - 1]) = (min, min); // items 1 and k are reversed: keyed max
        let mut rows = vec![top, vec![max; k], vec![min; k]];
        let width = usize::from(max - min) + 1;
        let ramp: Vec<u8> = (0..k).map(|j| min + (j % width) as u8).collect();
        rows.push(ramp.clone());
        if let Some(c) = code {
            let mut gap = ramp;
            gap[k / 2] = c;
            rows.push(gap);
        }
        let codes: Vec<u8> = rows.concat();
        let batch = BatchScorer::new(&inst).score_codes(&codes, code).unwrap();
        for (r, row) in rows.iter().enumerate() {
            let answers: Vec<Option<f64>> = row
                .iter()
                .map(|&x| (Some(x) != code).then_some(f64::from(x)))
                .collect();
            let single = score(&Response::new(&inst, Rater::Client, &answers).unwrap()).unwrap();
            assert_eq!(
                batch.totals()[r],
                single.total.value,
                "k {k}, {min}-{max}, row {r}"
            );
            assert_eq!(batch.answered()[r] as usize, single.total.answered);
            assert_eq!(batch.subscale(r, 0), Some(single.subscales[0].score.value));
        }
    }
}
