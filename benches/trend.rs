//! Trend statistics benchmarks: Mann-Kendall and Sen's slope on long series and on a batch of
//! many short ones; Siegel's repeated-median line (O(n²)) at 1,000 and 10,000 points. Inputs are built by formula (the same as benches/compare/trend.py).

use alliance::Level;
use alliance::trend::{
    BatchOptions, SenOptions, Series, SiegelIntercept, SiegelOptions, mann_kendall,
    mann_kendall_sen_batch, sen_slope, siegel_slope,
};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;

/// A noisy upward series: `y_i = 4 + i/n + 0.5 sin(12.9898 i)`.
fn long_series(n: usize) -> Series {
    let y = (0..n)
        .map(|i| 4.0 + i as f64 / n as f64 + 0.5 * (12.9898 * i as f64).sin())
        .collect();
    Series::from_values(y).expect("valid series")
}

/// Series k of the batch, 20 sessions: `y_kj = ((31k + 17j + (kj mod 7)) mod 13) / 4 + 0.01 j`.
fn batch(count: usize, sessions: usize) -> Vec<Series> {
    (0..count)
        .map(|k| {
            let y = (0..sessions)
                .map(|j| ((31 * k + 17 * j + (k * j) % 7) % 13) as f64 * 0.25 + 0.01 * j as f64)
                .collect();
            Series::from_values(y).expect("valid series")
        })
        .collect()
}

fn mann_kendall_long(c: &mut Criterion) {
    let mut group = c.benchmark_group("trend/mann_kendall");
    for n in [50usize, 1_000, 10_000, 1_000_000] {
        let s = long_series(n);
        group.bench_with_input(BenchmarkId::from_parameter(n), &s, |b, s| {
            b.iter(|| {
                let mk = mann_kendall(black_box(s)).expect("mk");
                assert!(mk.s > 0);
                mk
            })
        });
    }
    group.finish();
}

fn sen_long(c: &mut Criterion) {
    let mut group = c.benchmark_group("trend/sen_slope");
    for n in [50usize, 1_000, 10_000, 1_000_000] {
        let s = long_series(n);
        group.bench_with_input(BenchmarkId::from_parameter(n), &s, |b, s| {
            b.iter(|| {
                let sen =
                    sen_slope(black_box(s), Level::default(), SenOptions::default()).expect("sen");
                assert!(sen.ci.is_defined());
                sen
            })
        });
    }
    group.finish();
}

fn mk_and_sen_batch(c: &mut Criterion) {
    let mut group = c.benchmark_group("trend/batch_mk_sen");
    group.sample_size(10);
    let series = batch(100_000, 20);
    group.bench_function("100000x20", |b| {
        b.iter(|| {
            let mut significant = 0usize;
            for s in &series {
                let mk = mann_kendall(black_box(s)).expect("mk");
                let sen = sen_slope(s, Level::default(), SenOptions::default()).expect("sen");
                significant += usize::from(mk.p < 0.05 && sen.slope != 0.0);
            }
            significant
        })
    });
    // the same work through the batch function, on every core the machine has
    group.bench_function("100000x20_all_cores", |b| {
        b.iter(|| {
            mann_kendall_sen_batch(black_box(&series), BatchOptions::default())
                .iter()
                .filter(|r| {
                    r.as_ref()
                        .is_ok_and(|t| t.mann_kendall.p < 0.05 && t.sen.slope != 0.0)
                })
                .count()
        })
    });
    group.finish();
}

fn siegel_long(c: &mut Criterion) {
    let mut group = c.benchmark_group("trend/siegel_slope");
    group.sample_size(10);
    for n in [1_000usize, 10_000] {
        let s = long_series(n);
        for (name, intercept) in [
            ("hierarchical", SiegelIntercept::Hierarchical),
            ("separate", SiegelIntercept::Separate),
        ] {
            let options = SiegelOptions::default().with_intercept(intercept);
            group.bench_with_input(BenchmarkId::new(name, n), &s, |b, s| {
                b.iter(|| {
                    let line = siegel_slope(black_box(s), options).expect("siegel");
                    assert!(line.slope.is_defined());
                    line
                })
            });
        }
    }
    group.finish();
}

criterion_group!(
    benches,
    mann_kendall_long,
    sen_long,
    mk_and_sen_batch,
    siegel_long
);
criterion_main!(benches);
