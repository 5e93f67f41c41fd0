//! Therapist effects: the three-level REML partition on caseloads of growing size, built from
//! a formula (no RNG), and the one-way ICC(1) on the clients' values.

use alliance::Level;
use alliance::multilevel::{oneway_icc, therapist_effects};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;

/// `therapists` therapists with 3-17 clients of 1-20 sessions each, values from a fixed
/// pseudo-random formula with therapist, client and session parts.
fn caseload(therapists: u32) -> Vec<(u32, u32, f64)> {
    let mut rows = Vec::new();
    let mut client = 0u32;
    for t in 0..therapists {
        let a = f64::from((t * 37) % 11) / 5.0;
        for _ in 0..(3 + (t * 7) % 15) {
            client += 1;
            let b = f64::from((client * 53) % 17) / 6.0;
            for s in 0..(1 + (client * 11) % 20) {
                let e = f64::from((client * 31 + s * 17) % 23) / 7.0;
                rows.push((t, client, 20.0 + a + b + e));
            }
        }
    }
    rows
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("multilevel/therapist_effects");
    for therapists in [10u32, 100, 1000] {
        let rows = caseload(therapists);
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{therapists}x{}", rows.len())),
            &rows,
            |b, rows| {
                b.iter(|| {
                    let fit = therapist_effects(black_box(rows)).unwrap();
                    assert!(fit.coefficient.is_defined());
                });
            },
        );
    }
    group.finish();
    let rows: Vec<(u32, f64)> = caseload(1000).iter().map(|&(t, _, v)| (t, v)).collect();
    c.bench_function("multilevel/oneway_icc/1000", |b| {
        b.iter(|| oneway_icc(black_box(&rows), Level::default()).unwrap());
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
