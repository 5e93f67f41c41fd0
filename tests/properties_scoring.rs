//! Laws of scoring, checked with proptest on every catalog instrument.

use alliance::{
    BatchScorer, BatchScores, Element, Instrument, Keying, MissingRule, Rater, Response, Scale,
    ScoreCard, ScoringRule, catalog, score, score_into,
};
use proptest::prelude::*;

/// An instrument from the catalog.
fn instrument() -> impl Strategy<Value = Instrument> {
    (0..catalog::all().len()).prop_map(|i| catalog::all()[i].clone())
}

/// Valid answers for `inst`, each missing with probability `p_missing`.
fn answers_for(
    inst: &Instrument,
    p_missing: f64,
) -> impl Strategy<Value = Vec<Option<f64>>> + use<> {
    let scale = inst.scale();
    let steps = ((scale.max() - scale.min()) / scale.step().unwrap_or(1.0)).round() as u32;
    let (min, step) = (scale.min(), scale.step().unwrap_or(1.0));
    prop::collection::vec(
        (0..=steps, prop::bool::weighted(p_missing))
            .prop_map(move |(k, missing)| (!missing).then(|| min + f64::from(k) * step)),
        inst.items().len(),
    )
}

fn instrument_and_answers(p_missing: f64) -> impl Strategy<Value = (Instrument, Vec<Option<f64>>)> {
    instrument().prop_flat_map(move |i| {
        let a = answers_for(&i, p_missing);
        (Just(i), a)
    })
}

fn within(x: f64, lo: f64, hi: f64) -> bool {
    let slack = 1e-9 * lo.abs().max(hi.abs()).max(1.0);
    x >= lo - slack && x <= hi + slack
}

/// An instrument on an integer scale within 0-255, of 1 to 45 items (beyond the one-byte fast
/// path's 40 too), with reverse-keyed items, up to five subscales (some items in none), sum or
/// mean scoring, items mapped to elements, and a prorating or complete-only rule. Wide scales and long instruments take
/// the 16-bit lanes, narrow ones the 8-bit lanes.
fn code_instrument() -> impl Strategy<Value = Instrument> {
    let scale = prop_oneof![
        (0u8..3, 1u8..10).prop_map(|(min, width)| (min, min + width)),
        // around the largest maximum whose sums still fit 8-bit lanes (31 / 8 items)
        (0u8..3, 10u8..40).prop_map(|(min, width)| (min, min + width)),
        (0u8..255).prop_flat_map(|min| (Just(min), min + 1..=255)),
    ];
    (1u16..=45, scale, any::<bool>(), 0usize..6, any::<u64>()).prop_filter_map(
        "a valid instrument",
        |(k, (min, max), mean, n_sub, seed)| {
            // one 64-bit seed drives every per-item choice
            let mut state = seed;
            let mut next = |m: u64| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (state >> 33) % m
            };
            let reverse: Vec<u16> = (1..=k).filter(|_| next(3) == 0).collect();
            let slots: Vec<usize> = (0..k).map(|_| next(n_sub as u64 + 1) as usize).collect();
            let mut b = Instrument::builder("T", Scale::likert(min, max).ok()?, k)
                .reverse(&reverse)
                .scoring(if mean {
                    ScoringRule::Mean
                } else {
                    ScoringRule::Sum
                });
            for s in 0..n_sub {
                let items: Vec<u16> = (1..=k)
                    .filter(|&i| slots[usize::from(i) - 1] == s)
                    .collect();
                if !items.is_empty() {
                    b = b.subscale(format!("S{s}"), &items);
                }
            }
            // each item feeds one element or none
            let elements: Vec<usize> = (0..k).map(|_| next(5) as usize).collect();
            for (e, element) in Element::ALL.into_iter().enumerate() {
                let items: Vec<u16> = (1..=k)
                    .filter(|&i| elements[usize::from(i) - 1] == e)
                    .collect();
                if !items.is_empty() {
                    b = b.element(element, &items);
                }
            }
            if next(4) > 0 {
                let per = (next(2) == 0).then(|| next(3) as usize);
                b = b.missing(MissingRule::Prorate {
                    max_missing: next(u64::from(k)) as usize,
                    max_missing_per_subscale: per,
                });
            }
            b.build().ok()
        },
    )
}

/// Responses of `inst` as one-byte codes, with a missing-answer code off the scale (or none):
/// mostly on the scale (often the maximum, and some rows at the keyed maximum, for the largest sums),
/// some missing, a few off the scale (often just off).
fn codes_for(inst: &Instrument) -> impl Strategy<Value = (Vec<u8>, Option<u8>)> + use<> {
    let (min, max) = (inst.scale().min() as u8, inst.scale().max() as u8);
    let k = inst.items().len();
    // every item at its keyed maximum: the largest sums
    let top: Vec<u8> = inst
        .items()
        .iter()
        .map(|i| {
            if i.keying() == Keying::Reverse {
                min
            } else {
                max
            }
        })
        .collect();
    let off: Vec<u8> = (0..=255).filter(|x| !(min..=max).contains(x)).collect();
    let code = if off.is_empty() {
        Just(None).boxed()
    } else {
        prop::sample::select(off.clone()).prop_map(Some).boxed()
    };
    code.prop_flat_map(move |code| {
        let answer = prop_oneof![
            60 => min..=max,
            20 => Just(max),
            8 => Just(code.unwrap_or(min)),
            1 => Just(max.saturating_add(1)),
            1 => Just(min.saturating_sub(1)),
            1 => any::<u8>(),
        ];
        let row = prop_oneof![
            8 => prop::collection::vec(answer, k),
            1 => Just(top.clone()),
        ];
        let rows = prop::collection::vec(row, 0..30);
        (rows.prop_map(|rows| rows.concat()), Just(code))
    })
}

/// The scores of `codes` one response at a time, as `Response::new` and `score` give them;
/// stops at the first error.
fn one_at_a_time(
    inst: &Instrument,
    codes: &[u8],
    code: Option<u8>,
) -> Result<Vec<alliance::Score>, (usize, alliance::Error)> {
    codes
        .chunks_exact(inst.items().len())
        .enumerate()
        .map(|(r, row)| {
            let answers: Vec<Option<f64>> = row
                .iter()
                .map(|&x| (Some(x) != code).then_some(f64::from(x)))
                .collect();
            Response::new(inst, Rater::Client, &answers)
                .and_then(|resp| score(&resp))
                .map_err(|e| (r, e))
        })
        .collect()
}

/// Asserts that `batch` holds exactly `singles`, bit for bit.
fn assert_same(batch: &BatchScores, singles: &[alliance::Score]) -> Result<(), TestCaseError> {
    prop_assert_eq!(batch.len(), singles.len());
    for (r, single) in singles.iter().enumerate() {
        prop_assert_eq!(batch.totals()[r].to_bits(), single.total.value.to_bits());
        prop_assert_eq!(batch.answered()[r] as usize, single.total.answered);
        for (s, sub) in single.subscales.iter().enumerate() {
            prop_assert_eq!(
                batch.subscale(r, s).map(f64::to_bits),
                Some(sub.score.value.to_bits())
            );
        }
    }
    Ok(())
}

proptest! {
    /// Every score (total, subscales, POMP, element POMP) lies within its possible range.
    #[test]
    fn scores_stay_in_range((inst, answers) in instrument_and_answers(0.1)) {
        // answers the missing-data rule cannot score are refused when built
        if let Ok(s) = Response::new(&inst, Rater::Client, &answers).and_then(|r| score(&r)) {
            let range = inst.total_range();
            let (lo, hi) = (range.min, range.max);
            prop_assert!(within(s.total.value, lo, hi));
            prop_assert!(within(s.total.pomp, 0.0, 100.0));
            let (min, max) = (inst.scale().min(), inst.scale().max());
            for sub in &s.subscales {
                let k = sub.score.items as f64;
                prop_assert!(within(sub.score.mean, min, max));
                prop_assert!(within(sub.score.sum, k * min, k * max));
            }
            for (_, e) in s.profile.iter() {
                prop_assert!(within(e.pomp, 0.0, 100.0));
            }
        }
    }

    /// Reverse keying twice gives the answer back (exactly on integer scales, to rounding on
    /// decimal ones).
    #[test]
    fn reverse_keying_is_an_involution(min in 0u8..10, width in 1u8..10, k in 0u8..20) {
        let scale = Scale::likert(min, min + width).unwrap();
        let x = f64::from(min + k % (width + 1));
        prop_assert_eq!(scale.reverse(scale.reverse(x).unwrap()).unwrap(), x);
        let vas = Scale::with_step(0.0, 10.0, 0.1).unwrap();
        let y = f64::from(k) * 0.5;
        let back = vas.reverse(vas.reverse(y).unwrap()).unwrap();
        prop_assert!((back - y).abs() <= 1e-12);
    }

    /// A prorated score lies between the scores obtained by filling the missing items with the
    /// scale minimum and with the maximum (in keyed terms: the worst and best answers).
    #[test]
    fn prorated_score_lies_between_the_extreme_fillings((inst, answers) in instrument_and_answers(0.15)) {
        let Ok(s) = Response::new(&inst, Rater::Client, &answers).and_then(|r| score(&r)) else {
            return Ok(());
        };
        let scale = inst.scale();
        let fill = |best: bool| -> Vec<Option<f64>> {
            inst.items().iter().zip(&answers).map(|(item, a)| {
                let reversed = item.keying() == alliance::Keying::Reverse;
                a.or(Some(if best != reversed { scale.max() } else { scale.min() }))
            }).collect()
        };
        let low = score(&Response::new(&inst, Rater::Client, &fill(false)).unwrap()).unwrap();
        let high = score(&Response::new(&inst, Rater::Client, &fill(true)).unwrap()).unwrap();
        prop_assert!(within(s.total.value, low.total.value, high.total.value));
        for ((sub, lo), hi) in s.subscales.iter().zip(&low.subscales).zip(&high.subscales) {
            prop_assert!(within(sub.score.value, lo.score.value, hi.score.value));
        }
    }

    /// Giving the items in another order (by number) does not change the score.
    #[test]
    fn item_order_does_not_matter((inst, answers) in instrument_and_answers(0.1), seed in any::<u64>()) {
        let mut pairs: Vec<(u16, f64)> = answers.iter().enumerate()
            .filter_map(|(i, a)| a.map(|x| (i as u16 + 1, x))).collect();
        let Ok(in_order) = Response::from_items(&inst, Rater::Client, &pairs) else {
            return Ok(()); // too many missing to score, in any order
        };
        // a deterministic shuffle driven by the seed
        let mut state = seed;
        for i in (1..pairs.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            pairs.swap(i, (state >> 33) as usize % (i + 1));
        }
        let shuffled = Response::from_items(&inst, Rater::Client, &pairs).unwrap();
        prop_assert_eq!(&in_order, &shuffled);
        prop_assert_eq!(score(&in_order), score(&shuffled));
    }

    /// The batch path equals scoring one response at a time, bit for bit, for f64 and u8
    /// answers, including prorated rows and the error of the first invalid row.
    #[test]
    fn batch_equals_one_at_a_time(
        (inst, data) in instrument().prop_flat_map(|i| {
            let rows = prop::collection::vec(answers_for(&i, 0.08), 0..40);
            (Just(i), rows)
        }),
    ) {
        let flat: Vec<Option<f64>> = data.concat();
        let scorer = BatchScorer::new(&inst);
        let batch = scorer.score(&flat);
        let singles: Vec<_> = data.iter()
            .map(|a| Response::new(&inst, Rater::Client, a).and_then(|r| score(&r)))
            .collect();
        match singles.iter().position(Result::is_err) {
            None => {
                let batch = batch.unwrap();
                prop_assert_eq!(batch.len(), data.len());
                for (r, single) in singles.iter().enumerate() {
                    let single = single.as_ref().unwrap();
                    prop_assert_eq!(batch.totals()[r], single.total.value);
                    prop_assert_eq!(batch.answered()[r] as usize, single.total.answered);
                    for (s, sub) in single.subscales.iter().enumerate() {
                        prop_assert_eq!(batch.subscale(r, s), Some(sub.score.value));
                    }
                }
            }
            Some(bad) => {
                match batch {
                    Err(alliance::Error::InBatch { response, source }) => {
                        prop_assert_eq!(response, bad);
                        prop_assert_eq!(Err(*source), singles[bad].clone().map(|_| ()));
                    }
                    other => prop_assert!(false, "expected an InBatch error, got {:?}", other),
                }
            }
        }
        if inst.scale().step() == Some(1.0) {
            // one-byte codes with 255 for a missing answer
            let codes: Vec<u8> = flat.iter().map(|a| a.map_or(255, |x| x as u8)).collect();
            prop_assert_eq!(scorer.score_codes(&codes, Some(255)), scorer.score(&flat));
        }
    }

    /// One-byte codes (the fast path, 8- or 16-bit lanes, prorating in lanes, and the general
    /// path) score exactly as one response at a time: the same bits for every score and count,
    /// the same error for the first invalid response, and on error `out` holds exactly the
    /// responses before it.
    #[test]
    fn codes_equal_one_at_a_time(
        (inst, (codes, code)) in code_instrument().prop_flat_map(|i| {
            let c = codes_for(&i);
            (Just(i), c)
        }),
    ) {
        let k = inst.items().len();
        let scorer = BatchScorer::new(&inst);
        let mut out = BatchScores::default();
        let batch = scorer.score_codes_into(&codes, code, &mut out);
        match one_at_a_time(&inst, &codes, code) {
            Ok(singles) => {
                prop_assert_eq!(batch, Ok(()));
                assert_same(&out, &singles)?;
            }
            Err((bad, error)) => {
                match batch {
                    Err(alliance::Error::InBatch { response, source }) => {
                        prop_assert_eq!(response, bad);
                        prop_assert_eq!(*source, error);
                    }
                    other => prop_assert!(false, "expected an InBatch error, got {:?}", other),
                }
                let before = one_at_a_time(&inst, &codes[..bad * k], code);
                prop_assert!(before.is_ok());
                assert_same(&out, &before.unwrap_or_default())?;
            }
        }
    }

    /// A form's problems are empty exactly when `Response::new` accepts the answers; then the
    /// response always scores; otherwise the first problem is `Response::new`'s error, and
    /// every answer off the scale is listed.
    #[test]
    fn problems_are_what_building_refuses(
        (inst, (codes, code)) in code_instrument().prop_flat_map(|i| {
            let c = codes_for(&i);
            (Just(i), c)
        }),
    ) {
        let (min, max) = (inst.scale().min(), inst.scale().max());
        for row in codes.chunks_exact(inst.items().len()) {
            let answers: Vec<Option<f64>> = row
                .iter()
                .map(|&x| (Some(x) != code).then_some(f64::from(x)))
                .collect();
            let problems = inst.problems(&answers);
            match Response::new(&inst, Rater::Client, &answers) {
                Ok(r) => {
                    prop_assert!(problems.is_empty());
                    prop_assert!(score(&r).is_ok());
                }
                Err(e) => prop_assert_eq!(problems.first(), Some(&e)),
            }
            let off = answers.iter().flatten().filter(|&&x| x < min || x > max).count();
            let listed = problems.iter().filter(|p| p.code() == "out_of_scale").count();
            prop_assert_eq!(listed, off);
        }
    }

    /// `score_into`, one card reused for every response, gives what `Response::new` and
    /// `score` give, bit for bit, or the same error; and each element's POMP is the POMP of
    /// the mean of its answered keyed items (computed here the plain way, item by item).
    #[test]
    fn score_into_equals_score(
        (inst, (codes, code)) in code_instrument().prop_flat_map(|i| {
            let c = codes_for(&i);
            (Just(i), c)
        }),
    ) {
        let mut card = ScoreCard::new();
        let scale = inst.scale();
        for row in codes.chunks_exact(inst.items().len()) {
            let answers: Vec<Option<f64>> = row
                .iter()
                .map(|&x| (Some(x) != code).then_some(f64::from(x)))
                .collect();
            let into = score_into(&inst, &answers, &mut card);
            match Response::new(&inst, Rater::Client, &answers).and_then(|r| score(&r)) {
                Err(e) => prop_assert_eq!(into, Err(e)),
                Ok(single) => {
                    prop_assert_eq!(into, Ok(()));
                    prop_assert_eq!(card.total(), single.total);
                    let subscales: Vec<_> = single.subscales.iter().map(|s| s.score).collect();
                    prop_assert_eq!(card.subscales(), &subscales[..]);
                    prop_assert_eq!(card.profile(), single.profile);
                    let flags: Vec<bool> = single.cutoffs.iter().map(|c| c.flagged).collect();
                    prop_assert_eq!(card.flags(), &flags[..]);
                    for element in Element::ALL {
                        let keyed: Vec<f64> = inst.items().iter().zip(&answers)
                            .filter(|(item, _)| item.element() == Some(element))
                            .filter_map(|(item, a)| a.map(|x| match item.keying() {
                                Keying::Reverse => scale.min() + scale.max() - x,
                                Keying::Forward => x,
                            }))
                            .collect();
                        let plain = (!keyed.is_empty()).then(|| {
                            let mean = keyed.iter().sum::<f64>() / keyed.len() as f64;
                            (100.0 * (mean - scale.min()) / (scale.max() - scale.min()))
                                .clamp(0.0, 100.0)
                        });
                        prop_assert_eq!(card.profile().get(element).map(|e| e.pomp), plain);
                    }
                }
            }
        }
    }

    /// Arbitrary input (any f64 including NaN and infinities, any length, any item numbers)
    /// gives Ok or a descriptive Err from construction, scoring and the batch path: never a
    /// panic.
    #[test]
    fn arbitrary_input_never_panics(
        inst in instrument(),
        values in prop::collection::vec(prop_oneof![
            any::<f64>(), Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY),
            -5.0..50.0f64, (0u8..12).prop_map(f64::from)
        ].prop_map(Some).boxed().prop_union(Just(None).boxed()), 0..60),
        items in prop::collection::vec((any::<u16>(), any::<f64>()), 0..30),
        bytes in prop::collection::vec(any::<u8>(), 0..80),
        code in prop::option::of(any::<u8>()),
    ) {
        if let Ok(r) = Response::new(&inst, Rater::Observer, &values) {
            let _ = score(&r);
        }
        if let Ok(r) = Response::from_items(&inst, Rater::Client, &items) {
            let _ = score(&r);
        }
        let scorer = BatchScorer::new(&inst);
        if let Err(e) = scorer.score(&values) {
            prop_assert!(!e.to_string().is_empty());
        }
        let _ = scorer.score_codes(&bytes, code);
    }
}
