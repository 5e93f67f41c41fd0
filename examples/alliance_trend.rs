//! Walks one course of twelve sessions through the streaming alliance monitor and prints the
//! alerts each session raises, with their reasons and sources.
//!
//! The scores are session-scale totals on a 0-40 scale (client and therapist), typed in here;
//! the course has a rupture at session 6 that is repaired two sessions later.

use std::error::Error;

use alliance::monitor::{AlertKind, Monitor, MonitorConfig};
use alliance::trend::{DivergenceRule, PcomsRule, SuddenDropRule};

fn main() -> Result<(), Box<dyn Error>> {
    let client = [
        34.0, 35.0, 36.0, 35.0, 36.0, 29.0, 33.0, 36.0, 37.0, 36.0, 37.0, 38.0,
    ];
    let therapist = [
        33.0, 33.0, 34.0, 34.0, 35.0, 34.0, 34.0, 35.0, 35.0, 36.0, 36.0, 36.0,
    ];

    // Thresholds that belong to the instrument: a reference SD of 2 points, a reliable
    // change of 5 points, the 36-point session cutoff, and a reliable therapist-client
    // difference of 1.96 sqrt(2) SEM with an SEM of 1.5 points.
    let sem = 1.5_f64;
    let config = MonitorConfig::new(2.0)?
        .with_sudden_drops(SuddenDropRule::new(5.0, 0.0)?)?
        .with_pcoms(PcomsRule::new(36.0)?)
        .with_divergence(DivergenceRule::new(1.96 * (2.0 * sem * sem).sqrt())?);
    let mut monitor = Monitor::new("session total", config);

    let mut rupture_at = None;
    let mut repaired = None;
    for (i, (&c, &t)) in client.iter().zip(&therapist).enumerate() {
        let session = i + 1;
        let alerts = monitor.push_paired(session as f64, c, t)?;
        println!("session {session:2}: client {c:4.1}, therapist {t:4.1}");
        for a in &alerts {
            println!("    {:?}: {a}", a.kind);
            println!(
                "        source: {}",
                a.source.split(';').next().unwrap_or("")
            );
            match a.kind {
                AlertKind::Rupture { .. } => rupture_at = Some(a.session + 1),
                AlertKind::Repair => repaired = Some((a.session + 1, a.raised_at + 1)),
                _ => {}
            }
        }
    }

    // The headline facts: a rupture at session 6, repaired by session 8.
    assert_eq!(rupture_at, Some(6));
    assert_eq!(repaired, Some((6, 8)));
    println!("rupture at session 6, repaired at session 8");
    Ok(())
}
