//! Batch scoring throughput: 1,000,000 WAI-SR responses from one flat buffer, as one-byte
//! codes (the fast path) and as `Option<f64>`, and one response scored alone.

use alliance::{BatchScorer, Rater, Response, catalog, score};
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
    group.finish();

    let one = Response::complete(&wai_sr, Rater::Client, &[4.0; 12]).unwrap();
    c.bench_function("scoring/wai_sr_single_response", |b| {
        b.iter(|| score(black_box(&one)).unwrap())
    });
}

criterion_group!(benches, scoring);
criterion_main!(benches);
