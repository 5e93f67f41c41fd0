//! Walks a bundled course of sessions through the streaming alliance monitor and prints the
//! alerts each session raises, with their reasons and sources.
//!
//! The course is client C02 with therapist T02 from the bundled sample: a rupture at session
//! 6, repaired by session 8. Two monitors run side by side: one on the client's session-scale
//! total (VAS-4, 0-40), one on the four alliance elements as client and therapist rate them on
//! the HAq-II (POMP, 0-100), which also tracks their divergence.
//!
//! Run with `cargo run --example alliance_trend`.

use alliance::monitor::{AlertKind, DyadMonitor, Monitor, MonitorConfig};
use alliance::trend::{DivergenceRule, PcomsRule, SuddenDropRule};
use alliance::{Element, Rater, sample, score};
use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    let caseload = sample::caseload()?;
    let course = caseload
        .iter()
        .find(|c| c.client() == "C02")
        .ok_or("C02 is in the sample")?;
    println!(
        "Client {} with therapist {}: {} sessions\n",
        course.client(),
        course.therapist(),
        course.sessions().len()
    );

    // Session scale: a reference SD of 2 points floors the client's own SD, a reliable drop
    // is 5 points, and the cutoff is 36.
    let total_config = MonitorConfig::builder()
        .reference_sd(2.0)
        .sudden_drops(SuddenDropRule::builder().min_drop(5.0).build()?)
        .pcoms(PcomsRule::builder().cutoff(36.0).build()?)
        .build()?;
    let mut total = Monitor::new("VAS-4 total", total_config);

    // Elements on POMP: SD floor 8 points; client and therapist differ reliably when their
    // element scores are more than 20 points apart.
    let element_config = MonitorConfig::builder()
        .reference_sd(8.0)
        .divergence(DivergenceRule::builder().bound(20.0).build()?)
        .build()?;
    let mut elements = DyadMonitor::new(&Element::ALL, element_config)?;

    let mut rupture = None;
    let mut repair = None;
    for session in course.sessions() {
        let n = session.number();
        let time = f64::from(n);
        let vas = score(
            session
                .response(Rater::Client, "VAS-4")
                .ok_or("VAS-4 missing")?,
        )?;
        let client = score(
            session
                .response(Rater::Client, "HAq-II")
                .ok_or("HAq-II missing")?,
        )?;
        let therapist = score(
            session
                .response(Rater::Therapist, "HAq-II")
                .ok_or("HAq-II T missing")?,
        )?;
        let pomp = |s: &alliance::Score| -> Result<Vec<f64>, Box<dyn Error>> {
            Element::ALL
                .iter()
                .map(|&e| {
                    s.profile
                        .get(e)
                        .map(|x| x.pomp)
                        .ok_or_else(|| format!("{e} not scored").into())
                })
                .collect()
        };
        println!(
            "session {n:2}: VAS-4 {:4.1}   HAq-II client {:5.1}, therapist {:5.1}",
            vas.total.value, client.total.pomp, therapist.total.pomp
        );

        let mut alerts: Vec<String> = Vec::new();
        for a in total.push(time, vas.total.value)? {
            match a.kind {
                AlertKind::Rupture { .. } => rupture = rupture.or(Some(n)),
                AlertKind::Repair => repair = Some(n),
                _ => {}
            }
            alerts.push(format!("{a}\n          source: {}", short(a.source)));
        }
        for a in elements.push(time, &pomp(&client)?, Some(&pomp(&therapist)?))? {
            alerts.push(format!("{a}\n          source: {}", short(a.source)));
        }
        for line in &alerts {
            println!("    alert {line}");
        }
    }

    // The headline facts of this course: a rupture at session 6, repaired at session 8.
    println!("\nrupture at session {rupture:?}, repair confirmed at session {repair:?}");
    assert_eq!(rupture, Some(6));
    assert_eq!(repair, Some(8));
    Ok(())
}

/// The first citation of a source (the text before any `;`).
fn short(source: &str) -> &str {
    source.split(';').next().unwrap_or(source)
}
