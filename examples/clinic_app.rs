//! A clinical app's use of the crate, end to end: web-form JSON in, every problem of a bad form
//! back at once with stable codes, a scored response stored by reference to its instrument
//! (read back through a registry), and a monitor whose state is stored between sessions (as a stateless server would keep it in its database) and whose alerts
//! come out as one report per session.
//!
//! The forms are client C02's session-scale (VAS-4) answers from the bundled sample: a
//! rupture at session 6, repaired by session 8. Run with
//! `cargo run --example clinic_app --features serde`.

use alliance::monitor::{Monitor, MonitorConfig, MonitorSnapshot, SessionReport, Visit};
use alliance::{Date, Instrument, Rater, Registry, Response, ResponseRecord, sample, score};
use std::collections::HashMap;
use std::error::Error;

/// What the app's web form posts: the app's own type.
#[derive(serde::Serialize, serde::Deserialize)]
struct Form {
    dyad: String,
    session: u32,
    date: Option<Date>,
    instrument: String,
    rater: String,
    answers: Vec<Option<f64>>,
}

/// What the app monitors: its own label, stored with the monitor's state.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
enum Tracked {
    Total,
}

impl std::fmt::Display for Tracked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("session scale")
    }
}

/// Handles one posted form against the stored monitor states: the reply's JSON.
fn post(body: &str, store: &mut HashMap<String, String>) -> Result<String, Box<dyn Error>> {
    let form: Form = serde_json::from_str(body)?;
    let instrument: Instrument = match form.instrument.parse() {
        Ok(i) => i,
        Err(e) => return Ok(serde_json::to_string(&[e.report()])?),
    };
    // every problem at once, as the form shows them
    let problems = instrument.problems(&form.answers);
    if !problems.is_empty() {
        let reports: Vec<_> = problems.iter().map(alliance::Error::report).collect();
        return Ok(serde_json::to_string(&reports)?);
    }
    let rater: Rater = form.rater.parse()?;
    let response = Response::new(&instrument, rater, &form.answers)?;
    let scored = score(&response)?;
    // the response is kept by reference to its instrument (id, version, key hash)
    let key = format!("{}#{}", form.dyad, form.session);
    store.insert(key, serde_json::to_string(&response.record())?);

    // the monitor's state lives in the store between requests; its rules take their numbers
    // from what the instrument publishes (MonitorConfig::for_instrument says which)
    let config = MonitorConfig::for_instrument(&instrument)?.config;
    let mut monitor = match store.get(&form.dyad) {
        Some(saved) => {
            let saved: MonitorSnapshot<Tracked> = serde_json::from_str(saved)?;
            Monitor::restore(saved, config.clone())?
        }
        None => Monitor::new(Tracked::Total, config.clone()),
    };
    let mut visit = Visit::new(form.session);
    visit.date = form.date;
    let alerts = monitor.push_visit(visit, scored.total.value, None)?;
    store.insert(
        form.dyad.clone(),
        serde_json::to_string(&monitor.snapshot())?,
    );

    let report = SessionReport::new(&alerts);
    let events: Vec<String> = report.events.iter().map(|e| e.message(1)).collect();
    Ok(serde_json::json!({
        "session": form.session,
        "total": scored.total.value,
        "profile": scored.profile,
        "flagged": scored.is_flagged(),
        "severity": report.severity().map(|s| s.code()),
        "events": events,
    })
    .to_string())
}

fn main() -> Result<(), Box<dyn Error>> {
    let caseload = sample::caseload()?;
    let course = caseload
        .iter()
        .find(|c| c.client() == "C02")
        .ok_or("C02 is in the sample")?;
    let mut store: HashMap<String, String> = HashMap::new();
    for session in course.sessions() {
        let response = session
            .response(Rater::Client, "VAS-4")
            .ok_or("a VAS-4 answer in every session")?;
        let form = Form {
            dyad: format!("{}/{}", course.client(), course.therapist()),
            session: session.number(),
            date: session.date(),
            instrument: "VAS-4".into(),
            rater: "client".into(),
            answers: response.answers().to_vec(),
        };
        let reply = post(&serde_json::to_string(&form)?, &mut store)?;
        println!("session {:2}: {reply}", session.number());
    }
    let saved = store.get("C02/T02").map_or(0, String::len);
    println!("\nstored monitor state: {saved} bytes");
    // a stored response read back, checked against the instrument it names
    let record: ResponseRecord = serde_json::from_str(store.get("C02/T02#6").ok_or("stored")?)?;
    let response = Registry::with_catalog().response(&record)?;
    println!(
        "stored response of session 6 read back: {} {} total {}",
        record.instrument.id,
        record.instrument.version,
        score(&response)?.total.value
    );

    // A bad form: every problem comes back at once, each with its code and fields.
    let bad = r#"{"dyad": "C02/T02", "session": 13, "date": "2026-04-01", "instrument": "VAS-4",
                  "rater": "client", "answers": [9.0, 11.0, 7.35, null]}"#;
    println!("bad form: {}", post(bad, &mut store)?);
    Ok(())
}
