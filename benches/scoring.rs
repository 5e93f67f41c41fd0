//! Batch scoring throughput: 1,000,000 WAI-SR responses from one flat buffer, as one-byte
//! codes (the fast path) and as `Option<f64>`, one response at a time into a reused card, and
//! one response scored alone. Also the one-byte
//! path on other shapes: complete WAI-SR rows, the 19-item HAq-II (five reverse-keyed items,
//! no subscales) and a 0-100 scale (16-bit lanes).

use alliance::{
    BatchScorer, Instrument, Rater, Response, Scale, ScoreCard, ScoringRule, catalog, score,
    score_into,
};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

const RESPONSES: usize = 1_000_000;

/// Deterministic answer codes on 1-5, 0 for missing: about 1 in 50 responses misses one item.
fn answer_codes() -> Vec<u8> {
    let mut out = Vec::with_capacity(RESPONSES * 12);
    for r in 0..RESPONSES {
        for i in 0..12 {
            let v = 1 + ((r * 7 + i * 3 + r / 11) % 5) as u8;
            let missing = r % 50 == 0 && i == r % 12;
            out.push(if missing { 0 } else { v });
        }
    }
    out
}

/// `items` answer codes per response by the same formula as [`answer_codes`], on `min..=max`,
/// none missing.
fn complete_codes(items: usize, min: u8, max: u8) -> Vec<u8> {
    let width = usize::from(max - min) + 1;
    let mut out = Vec::with_capacity(RESPONSES * items);
    for r in 0..RESPONSES {
        for i in 0..items {
            out.push(min + ((r * 7 + i * 3 + r / 11) % width) as u8);
        }
    }
    out
}

/// The one-byte path on other instrument shapes.
fn codes_shapes(c: &mut Criterion) {
    let slider = Instrument::builder("SLIDER-12", Scale::likert(0, 100).unwrap(), 12)
        .reverse(&[3, 6, 9, 12])
        .subscale("A", &[1, 2, 3, 4, 5, 6])
        .subscale("B", &[7, 8, 9, 10, 11, 12])
        .scoring(ScoringRule::Mean)
        .build()
        .unwrap();
    let shapes = [
        ("wai_sr_batch_codes_complete", catalog::wai_sr(), 1, 5),
        ("haq_ii_batch_codes", catalog::haq_ii(), 1, 6),
        ("slider_0_100_batch_codes", slider, 0, 100),
    ];
    let mut group = c.benchmark_group("scoring");
    group.throughput(Throughput::Elements(RESPONSES as u64));
    group.sample_size(20);
    let mut out = Default::default();
    for (name, instrument, min, max) in shapes {
        let scorer = BatchScorer::new(&instrument);
        let codes = complete_codes(instrument.items().len(), min, max);
        group.bench_function(format!("{name}/{RESPONSES}"), |b| {
            b.iter(|| {
                scorer
                    .score_codes_into(black_box(&codes), None, &mut out)
                    .unwrap();
                assert_eq!(out.len(), RESPONSES);
            })
        });
    }
    group.finish();
}

fn scoring(c: &mut Criterion) {
    let wai_sr = catalog::wai_sr();
    let scorer = BatchScorer::new(&wai_sr);
    let codes = answer_codes();
    let wide: Vec<Option<f64>> = codes
        .iter()
        .map(|&c| (c != 0).then_some(f64::from(c)))
        .collect();

    let mut group = c.benchmark_group("scoring");
    group.throughput(Throughput::Elements(RESPONSES as u64));
    group.sample_size(20);
    let mut out = Default::default();
    group.bench_function("wai_sr_batch_codes/1000000", |b| {
        b.iter(|| {
            scorer
                .score_codes_into(black_box(&codes), Some(0), &mut out)
                .unwrap();
            assert_eq!(out.len(), RESPONSES);
        })
    });
    group.bench_function("wai_sr_batch_f64/1000000", |b| {
        b.iter(|| {
            scorer.score_into(black_box(&wide), &mut out).unwrap();
            assert_eq!(out.len(), RESPONSES);
        })
    });
    // one response at a time into a reused card, as an app or the CLI scores a stream
    let some = &wide[..12 * 100_000];
    group.throughput(Throughput::Elements(100_000));
    group.bench_function("wai_sr_score_into/100000", |b| {
        let mut card = ScoreCard::new();
        b.iter(|| {
            let mut flagged = 0;
            for answers in some.chunks_exact(12) {
                score_into(&wai_sr, black_box(answers), &mut card).unwrap();
                flagged += usize::from(card.is_flagged());
            }
            flagged
        })
    });
    group.finish();

    let one = Response::complete(&wai_sr, Rater::Client, &[4.0; 12]).unwrap();
    c.bench_function("scoring/wai_sr_single_response", |b| {
        b.iter(|| score(black_box(&one)).unwrap())
    });
}

criterion_group!(benches, scoring, codes_shapes);
criterion_main!(benches);
