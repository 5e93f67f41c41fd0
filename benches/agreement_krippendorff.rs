//! Krippendorff's alpha and Cohen's kappa on large inputs. Inputs are built by formula outside
//! the timed loop; each iteration checks its result. Compare with
//! `python3 benches/compare/agreement_categorical.py` (same workloads).

use alliance::Level;
use alliance::Paired;
use alliance::Ratings;
use alliance::agreement::{Categories, Metric, Weighting, cohen_kappa, krippendorff_alpha};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

/// Codes 1..=7: coder 0 is the "truth", other coders agree except on a formula-chosen share.
fn coded(units: usize, coders: usize) -> Ratings {
    let mut cells = Vec::with_capacity(units * coders);
    for i in 0..units {
        let truth = ((i * 7919) % 7) as f64 + 1.0;
        for c in 0..coders {
            let off = if (i * 31 + c * 17) % 5 == 0 { 1.0 } else { 0.0 };
            cells.push((truth + off).min(7.0));
        }
    }
    Ratings::new(units, coders, cells).expect("valid")
}

/// One-decimal scores on 0-40, two coders differing by up to ±0.5.
fn continuous(units: usize) -> Ratings {
    let mut cells = Vec::with_capacity(units * 2);
    for i in 0..units {
        let t = ((i * 7919) % 401) as f64 / 10.0;
        let d = (((i * 31) % 11) as f64 - 5.0) / 10.0;
        cells.push(t);
        cells.push(((t + d) * 10.0).round().clamp(0.0, 400.0) / 10.0);
    }
    Ratings::new(units, 2, cells).expect("valid")
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("agreement/krippendorff");
    g.sample_size(10);
    for (name, r) in [
        ("interval/1000000x2", coded(1_000_000, 2)),
        ("interval/100000x10", coded(100_000, 10)),
        ("interval_continuous/1000000x2", continuous(1_000_000)),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let a = krippendorff_alpha(black_box(&r), Metric::Interval, None).expect("ok");
                assert!(a.coefficient.value().expect("defined") > 0.5);
            })
        });
    }
    let r = coded(1_000_000, 2);
    // The same values as benches/compare/agreement_categorical.py prints.
    for m in [Metric::Interval, Metric::Nominal, Metric::Ordinal] {
        let a = krippendorff_alpha(&r, m, None).expect("ok");
        eprintln!(
            "alpha {m:?} 1000000x2 = {:.6}",
            a.coefficient.value().expect("defined")
        );
    }
    for (name, m) in [
        ("nominal/1000000x2", Metric::Nominal),
        ("ordinal/1000000x2", Metric::Ordinal),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let a = krippendorff_alpha(black_box(&r), m, None).expect("ok");
                assert!(a.coefficient.value().expect("defined") > 0.3);
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("agreement/cohen_kappa");
    g.sample_size(10);
    let n: usize = 1_000_000;
    let a: Vec<Option<f64>> = (0..n)
        .map(|i| Some(((i * 7919) % 5) as f64 + 1.0))
        .collect();
    let b: Vec<Option<f64>> = (0..n)
        .map(|i| {
            let x = ((i * 7919) % 5) as f64 + 1.0;
            Some(if i % 4 == 0 { (x % 5.0) + 1.0 } else { x })
        })
        .collect();
    let pairs = Paired::with_missing(&a, &b).expect("valid");
    let cats = Categories::range(1, 5).expect("valid");
    for (name, w) in [
        ("unweighted/1000000", Weighting::Unweighted),
        ("quadratic/1000000", Weighting::Quadratic),
    ] {
        g.bench_function(name, |bch| {
            bch.iter(|| {
                let k = cohen_kappa(black_box(&pairs), &cats, &w, Level::default()).expect("ok");
                assert!(k.coefficient.value().expect("defined") > 0.5);
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
