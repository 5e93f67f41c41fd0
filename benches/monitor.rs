//! The streaming monitor at the scale of a health system: 1,000,000 sessions across 50,000
//! dyads (20 sessions each, interleaved as they would arrive), every rule switched on.

use std::hint::black_box;

use alliance::monitor::{DyadMonitor, Monitor, MonitorConfig};
use alliance::trend::{DivergenceRule, PcomsRule, SuddenDropRule};
use criterion::{Criterion, criterion_group, criterion_main};

const DYADS: usize = 50_000;
const SESSIONS: usize = 20;

/// A 0-40 session score by formula: a dyad-specific level, a slow trend, a wobble, and a dip
/// at session 8 for every seventh dyad.
fn score(dyad: usize, session: usize) -> f64 {
    let level = 30.0 + (dyad % 9) as f64;
    let wobble = ((dyad * 31 + session * 17) % 11) as f64 * 0.3 - 1.5;
    let dip = if dyad.is_multiple_of(7) && session == 8 {
        -9.0
    } else {
        0.0
    };
    (level + 0.1 * session as f64 + wobble + dip).clamp(0.0, 40.0)
}

fn therapist(dyad: usize, session: usize) -> f64 {
    (score(dyad, session) - 1.0 - (dyad % 3) as f64).clamp(0.0, 40.0)
}

fn config() -> MonitorConfig {
    let build = || -> alliance::Result<MonitorConfig> {
        MonitorConfig::builder()
            .reference_sd(2.0)
            .sudden_drops(SuddenDropRule::builder().min_drop(5.0).build()?)
            .pcoms(PcomsRule::builder().cutoff(36.0).build()?)
            .divergence(DivergenceRule::builder().bound(4.16).build()?)
            .build()
    };
    build().expect("valid configuration")
}

fn bench_monitor(c: &mut Criterion) {
    let config = config();
    let client: Vec<f64> = (0..SESSIONS)
        .flat_map(|s| (0..DYADS).map(move |d| score(d, s)))
        .collect();
    let rater: Vec<f64> = (0..SESSIONS)
        .flat_map(|s| (0..DYADS).map(move |d| therapist(d, s)))
        .collect();
    let mut group = c.benchmark_group("monitor");
    group.sample_size(10);
    group.bench_function("push_paired/1000000_sessions_50000_dyads", |b| {
        b.iter(|| {
            let mut monitors: Vec<Monitor> = (0..DYADS)
                .map(|_| Monitor::new("total", config.clone()))
                .collect();
            let mut alerts = 0usize;
            let mut out = Vec::new();
            for s in 0..SESSIONS {
                for (d, m) in monitors.iter_mut().enumerate() {
                    let i = s * DYADS + d;
                    out.clear();
                    m.push_into(s as f64 + 1.0, client[i], Some(rater[i]), &mut out)
                        .expect("valid session");
                    alerts += out.len();
                }
            }
            assert!(alerts > 0);
            black_box(alerts)
        })
    });
    group.bench_function("dyad_5_scores/1000000_sessions_50000_dyads", |b| {
        let keys = [
            "total",
            "rapport",
            "goals",
            "responsibility",
            "expectations",
        ];
        b.iter(|| {
            let mut monitors: Vec<DyadMonitor> = (0..DYADS)
                .map(|_| DyadMonitor::new(&keys, config.clone()).expect("keys"))
                .collect();
            let mut alerts = 0usize;
            let mut out = Vec::new();
            let mut scores = [0.0; 5];
            let mut theirs = [0.0; 5];
            for s in 0..SESSIONS {
                for (d, m) in monitors.iter_mut().enumerate() {
                    let i = s * DYADS + d;
                    for k in 0..5 {
                        scores[k] = (client[i] - k as f64).max(0.0);
                        theirs[k] = (rater[i] - k as f64).max(0.0);
                    }
                    out.clear();
                    m.push_into(s as f64 + 1.0, &scores, Some(&theirs), &mut out)
                        .expect("valid session");
                    alerts += out.len();
                }
            }
            assert!(alerts > 0);
            black_box(alerts)
        })
    });
    group.finish();
}

criterion_group!(benches, bench_monitor);
criterion_main!(benches);
