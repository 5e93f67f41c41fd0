//! Laws of scoring, checked with proptest on every catalog instrument.

use alliance::{BatchScorer, Instrument, Rater, Response, Scale, catalog, score};
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

proptest! {
    /// Every score (total, subscales, POMP, element POMP) lies within its possible range.
    #[test]
    fn scores_stay_in_range((inst, answers) in instrument_and_answers(0.1)) {
        let r = Response::new(&inst, Rater::Client, &answers).unwrap();
        if let Ok(s) = score(&r) {
            let (lo, hi) = inst.total_range();
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
        let r = Response::new(&inst, Rater::Client, &answers).unwrap();
        let Ok(s) = score(&r) else { return Ok(()) };
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
        let in_order = Response::from_items(&inst, Rater::Client, &pairs).unwrap();
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
            .map(|a| score(&Response::new(&inst, Rater::Client, a).unwrap()))
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
