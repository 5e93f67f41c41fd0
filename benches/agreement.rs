//! Agreement and reliability benchmarks, sized like a health system's or a large study's
//! workload. Inputs are built by formula outside the timed loop; each routine checks its
//! result inside it.
//!
//! Sections: continuous agreement (ICC), internal consistency (Cronbach's alpha), and the
//! ICC test against r0, alpha's asymptotic and bootstrap intervals and omega. Add
//! further sections (e.g. Krippendorff's alpha) as their own functions in `criterion_group!`.

use alliance::Level;
use alliance::Ratings;
use alliance::agreement::{Bootstrap, IccForm, IccUnit, icc_reml, icc_table, icc_test};
use alliance::reliability::{
    FactorMethod, alpha_asymptotic, alpha_bootstrap, cronbach_alpha, omega, omega_bootstrap,
};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// Likert-like 1-7 ratings, row by row: a target effect, a rater offset and a deterministic
/// "noise".
fn likert_cells(targets: usize, raters: usize) -> Vec<f64> {
    (0..targets * raters)
        .map(|c| {
            let (i, j) = (c / raters, c % raters);
            let noise = (i.wrapping_mul(7919) ^ j.wrapping_mul(104_729)) % 3;
            (1 + (i % 5) + (j % 2) + noise).min(7) as f64
        })
        .collect()
}

/// [`likert_cells`] as a matrix.
fn likert(targets: usize, raters: usize) -> Ratings {
    Ratings::new(targets, raters, likert_cells(targets, raters)).expect("valid by construction")
}

// ---- continuous agreement: ICC ----------------------------------------------------------
fn icc_benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("agreement/icc");
    for (n, k) in [(100_000, 2), (10_000, 10)] {
        let r = likert(n, k);
        group.throughput(Throughput::Elements((n * k) as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{n}x{k}")),
            &r,
            |b, r| {
                b.iter(|| {
                    let t = icc_table(black_box(r), Level::default()).expect("enough targets");
                    assert!(t.agreement_single.coefficient.is_defined());
                    t
                })
            },
        );
    }
    group.finish();

    // The whole call from a row-major table of numbers, as a caller holding its data in a
    // buffer makes it (and the Python binding makes it from a numpy array): the matrix built
    // and checked, then the six forms.
    let mut group = c.benchmark_group("agreement/icc_from_cells");
    let (n, k) = (100_000, 2);
    let cells = likert_cells(n, k);
    group.throughput(Throughput::Elements((n * k) as u64));
    group.bench_with_input(
        BenchmarkId::from_parameter(format!("{n}x{k}")),
        &cells,
        |b, cells| {
            b.iter(|| {
                let r = Ratings::new(n, k, black_box(cells).clone()).expect("valid cells");
                let t = icc_table(&r, Level::default()).expect("enough targets");
                assert!(t.agreement_single.coefficient.is_defined());
                t
            })
        },
    );
    group.finish();
}

// ---- continuous agreement: ICC with missing cells by REML --------------------------------
/// [`likert_cells`] with about `percent`% of the cells missing, by a fixed hash of the cell.
fn likert_with_missing(targets: usize, raters: usize, percent: u64) -> Ratings {
    let cells = likert_cells(targets, raters)
        .into_iter()
        .enumerate()
        .map(|(c, x)| {
            let h = (c as u64 ^ 0x9E37_79B9).wrapping_mul(0xBF58_476D_1CE4_E5B9) >> 40;
            (h % 100 >= percent).then_some(x)
        })
        .collect();
    Ratings::with_missing(targets, raters, cells).expect("valid by construction")
}

fn icc_reml_benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("agreement/icc_reml");
    let (n, k) = (100_000, 4);
    let r = likert_with_missing(n, k, 10);
    group.throughput(Throughput::Elements((n * k) as u64));
    group.bench_with_input(
        BenchmarkId::from_parameter(format!("{n}x{k}_10pct_missing")),
        &r,
        |b, r| {
            b.iter(|| {
                let fit = icc_reml(black_box(r), None).expect("enough targets");
                assert!(fit.agreement_single.coefficient.is_defined());
                fit
            })
        },
    );
    group.finish();
}

// ---- internal consistency: Cronbach's alpha ---------------------------------------------
fn cronbach_benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("reliability/cronbach_alpha");
    let (n, k) = (1_000_000, 12);
    let r = likert(n, k);
    group.throughput(Throughput::Elements((n * k) as u64));
    group.bench_with_input(
        BenchmarkId::from_parameter(format!("{n}x{k}")),
        &r,
        |b, r| {
            b.iter(|| {
                let a = cronbach_alpha(black_box(r), Level::default()).expect("enough respondents");
                assert!(a.coefficient.is_defined());
                a
            })
        },
    );
    group.finish();
}

// ---- repeated-measures agreement ---------------------------------------------------------
/// 10,000 dyads of 10 sessions (100,000 pairs): `rm_corr`, Bland-Altman for repeated pairs and
/// proportional bias on the grouped pairs; and grouping the pairs by dyad label.
fn repeated_benches(c: &mut Criterion) {
    use alliance::agreement::{
        LimitMultiplier, Repeated, TrueValue, bland_altman_repeated, proportional_bias_repeated,
        rm_corr,
    };
    let mut group = c.benchmark_group("agreement/repeated");
    let n = 100_000;
    let cells = likert_cells(n, 2);
    let (first, second): (Vec<f64>, Vec<f64>) = cells.chunks(2).map(|p| (p[0], p[1])).unzip();
    let dyads: Vec<usize> = (0..n).map(|i| (i * 7919) % 10_000).collect();
    let data = Repeated::new(&dyads, &first, &second).expect("valid by construction");
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("group_100000_pairs", |b| {
        b.iter(|| Repeated::new(black_box(&dyads), &first, &second).expect("valid"))
    });
    group.bench_function("rm_corr_100000_pairs", |b| {
        b.iter(|| rm_corr(black_box(&data), Level::default()).expect("enough pairs"))
    });
    group.bench_function("bland_altman_repeated_100000_pairs", |b| {
        b.iter(|| {
            bland_altman_repeated(
                black_box(&data),
                TrueValue::Varying,
                LimitMultiplier::default(),
                Level::default(),
            )
            .expect("enough subjects")
        })
    });
    group.bench_function("proportional_bias_repeated_100000_pairs", |b| {
        b.iter(|| {
            proportional_bias_repeated(
                black_box(&data),
                LimitMultiplier::default(),
                Level::default(),
            )
            .expect("enough pairs")
        })
    });
    group.finish();
}

// ---- ICC against r0, alpha intervals, omega ------------------------------------------------
/// `n` respondents answering `k` items of one factor (loadings 0.5-0.85), noise from a
/// deterministic hash: a proper one-factor scale.
fn one_factor(n: usize, k: usize) -> Ratings {
    let unit = |x: usize| (x.wrapping_mul(2_654_435_761) % 10_007) as f64 / 10_007.0 - 0.5;
    let cells = (0..n * k)
        .map(|c| {
            let (i, j) = (c / k, c % k);
            let loading = 0.5 + 0.35 * j as f64 / k as f64;
            loading * 3.0 * unit(i * 31 + 7) + 2.0 * unit(c * 17 + 3)
        })
        .collect();
    Ratings::new(n, k, cells).expect("valid by construction")
}

fn reliability_extra_benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("agreement/icc_test");
    let r = likert(100_000, 2);
    group.throughput(Throughput::Elements(200_000));
    group.bench_function("100000x2 A,1 r0=0.5", |b| {
        b.iter(|| {
            let t = icc_test(
                black_box(&r),
                IccForm::TwoWayAgreement,
                IccUnit::Single,
                0.5,
            )
            .expect("enough targets");
            assert!(t.p.is_defined());
            t
        })
    });
    group.finish();

    let mut group = c.benchmark_group("reliability/alpha_intervals");
    let r = one_factor(10_000, 12);
    group.bench_function("asymptotic 10000x12", |b| {
        b.iter(|| alpha_asymptotic(black_box(&r), Level::default()).expect("valid"))
    });
    let small = one_factor(500, 12);
    let boot = Bootstrap::new(1000).expect("valid").with_seed(1);
    group.bench_function("bootstrap 1000 x 500x12", |b| {
        b.iter(|| alpha_bootstrap(black_box(&small), boot).expect("valid"))
    });
    group.finish();

    let mut group = c.benchmark_group("reliability/omega");
    let r = one_factor(1000, 12);
    for method in [
        FactorMethod::MaximumLikelihood,
        FactorMethod::MinimumResidual,
    ] {
        group.bench_function(format!("{method:?} 1000x12"), |b| {
            b.iter(|| {
                let o = omega(black_box(&r), method).expect("valid");
                assert!(o.coefficient.is_defined());
                o
            })
        });
    }
    let boot = Bootstrap::new(200).expect("valid").with_seed(1);
    group.bench_function("bootstrap 200 x MinimumResidual 300x12", |b| {
        let r = one_factor(300, 12);
        b.iter(|| {
            omega_bootstrap(black_box(&r), FactorMethod::MinimumResidual, boot).expect("valid")
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    icc_benches,
    icc_reml_benches,
    cronbach_benches,
    repeated_benches,
    reliability_extra_benches
);
criterion_main!(benches);
