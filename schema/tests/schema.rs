//! The committed schemas are the generated ones, and real documents validate against them:
//! every catalog instrument, every response, course and score of the bundled sample, the
//! alerts, session reports and monitor snapshots of the clinic-app flow (`examples/clinic_app.rs`:
//! each course's session-scale answers through a monitor configured from the instrument, fed
//! by session number and date, and restored from its snapshot every session), and the error
//! reports of bad forms.
#![allow(clippy::unwrap_used)] // test helpers fail loudly

use alliance::monitor::{Monitor, MonitorConfig, MonitorSnapshot, SessionReport, Visit};
use alliance::{Date, Error, Rater, Response, catalog, sample, score};
use alliance_schema::{Entry, all, dir, text};
use serde_json::{Value, json};

fn schema(name: &str) -> Entry {
    all().into_iter().find(|e| e.name == name).unwrap()
}

/// Every document validates against the schema `name`; a failure names the document and the
/// schema's complaint.
fn validate(name: &str, documents: &[Value]) {
    let entry = schema(name);
    let validator = jsonschema::validator_for(entry.schema.as_value()).unwrap();
    assert!(!documents.is_empty(), "no {name} document to check");
    for doc in documents {
        let errors: Vec<String> = validator
            .iter_errors(doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}\nin {doc}");
    }
}

fn refused(name: &str, doc: &Value) -> bool {
    let entry = schema(name);
    !jsonschema::validator_for(entry.schema.as_value())
        .unwrap()
        .is_valid(doc)
}

/// `cargo run -p alliance-schema` writes exactly what is committed: a type that changed its
/// JSON without a new schema fails here.
#[test]
fn committed_schemas_are_up_to_date() {
    let mut stale = Vec::new();
    for entry in all() {
        let path = dir().join(format!("{}.schema.json", entry.name));
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != text(&entry).unwrap() {
            stale.push(entry.name);
        }
    }
    assert!(
        stale.is_empty(),
        "stale schemas {stale:?}: run `cargo run -p alliance-schema` and commit schema/"
    );
    // and nothing committed that is no longer generated
    let names: Vec<String> = all()
        .iter()
        .map(|e| format!("{}.schema.json", e.name))
        .collect();
    for file in std::fs::read_dir(dir()).unwrap() {
        let file = file.unwrap().file_name().into_string().unwrap();
        if file.ends_with(".schema.json") {
            assert!(names.contains(&file), "{file} is not generated any more");
        }
    }
}

fn to_json<T: serde::Serialize>(x: &T) -> Value {
    serde_json::to_value(x).unwrap()
}

#[test]
fn definitions_records_courses_and_scores_validate() {
    let instruments: Vec<Value> = catalog::all().iter().map(to_json).collect();
    validate("instrument", &instruments);
    let caseload = sample::caseload().unwrap();
    let responses: Vec<&Response> = caseload
        .iter()
        .flat_map(|c| c.sessions())
        .flat_map(|s| s.responses())
        .collect();
    validate(
        "response_record",
        &responses
            .iter()
            .map(|r| to_json(&r.record()))
            .collect::<Vec<_>>(),
    );
    validate(
        "response",
        &responses.iter().take(20).map(to_json).collect::<Vec<_>>(),
    );
    validate(
        "score",
        &responses
            .iter()
            .map(|r| to_json(&score(r).unwrap()))
            .collect::<Vec<_>>(),
    );
    validate("course", &caseload.iter().map(to_json).collect::<Vec<_>>());
    let records: Vec<Value> = caseload.iter().map(|c| to_json(&c.record())).collect();
    validate("course_record", &records);
    let sessions: Vec<Value> = caseload
        .iter()
        .flat_map(|c| c.sessions())
        .map(|s| to_json(&s.record()))
        .collect();
    validate("session_record", &sessions);
    let configs: Vec<Value> = catalog::all()
        .iter()
        .map(|i| to_json(&MonitorConfig::for_instrument(i).unwrap()))
        .collect();
    validate("instrument_config", &configs);
    validate(
        "visit",
        &[
            to_json(&Visit::new(3)),
            to_json(&Visit::new(4).on(Date::new(2026, 3, 1).unwrap())),
        ],
    );
}

/// The clinic app's flow on every course of the sample: alerts, reports and snapshots.
#[test]
fn alerts_reports_and_snapshots_validate() {
    let vas = catalog::session_scale();
    let config = MonitorConfig::for_instrument(&vas).unwrap().config;
    let (mut alerts, mut reports, mut snapshots) = (Vec::new(), Vec::new(), Vec::new());
    for course in sample::caseload().unwrap() {
        let mut saved: Option<MonitorSnapshot<&str>> = None;
        for session in course.sessions() {
            let Some(response) = session.response(Rater::Client, "VAS-4") else {
                continue;
            };
            let mut monitor = match saved.take() {
                Some(s) => Monitor::restore(s, config.clone()).unwrap(),
                None => Monitor::new("session scale", config.clone()),
            };
            let mut visit = Visit::new(session.number());
            visit.date = session.date();
            let total = score(response).unwrap().total.value;
            let raised = monitor.push_visit(visit, total, None).unwrap();
            alerts.extend(raised.iter().map(to_json));
            reports.push(to_json(&SessionReport::new(&raised)));
            let snapshot = monitor.snapshot();
            snapshots.push(to_json(&snapshot));
            saved = Some(snapshot);
        }
    }
    assert!(alerts.len() > 10, "the sample raises alerts");
    validate("alert", &alerts);
    validate("session_report", &reports);
    validate("monitor_snapshot", &snapshots);
}

/// Error reports: every problem of a bad form, and errors of other kinds.
#[test]
fn error_reports_validate() {
    let wai = catalog::wai_sr();
    let mut answers = vec![Some(4.0); 12];
    answers[6] = Some(9.0);
    answers[1] = Some(2.5);
    answers[0] = None;
    answers[9] = None;
    let mut errors: Vec<Error> = wai.problems(&answers);
    errors.extend(wai.problems(&[Some(4.0); 3]));
    errors.push("NOPE".parse::<alliance::Instrument>().unwrap_err());
    errors.push("2026-02-30".parse::<Date>().unwrap_err());
    errors.push(Date::new(2026, 2, 30).unwrap_err());
    let mut m = Monitor::new("total", MonitorConfig::builder().build().unwrap());
    m.push(2.0, 30.0).unwrap();
    errors.push(m.push(1.0, 30.0).unwrap_err());
    errors.push(m.push(3.0, f64::NAN).unwrap_err());
    assert!(errors.len() >= 9);
    let reports: Vec<Value> = errors.iter().map(|e| to_json(&e.report())).collect();
    validate("error_report", &reports);
}

/// The schemas refuse what the crate refuses to read or never writes.
#[test]
fn malformed_documents_are_refused() {
    let record = to_json(
        &Response::complete(&catalog::wai_sr(), Rater::Client, &[4.0; 12])
            .unwrap()
            .record(),
    );
    let mut bad = record.clone();
    bad["answers"][0] = json!("4");
    assert!(refused("response_record", &bad));
    let mut bad = record.clone();
    bad["rater"] = json!("Patient");
    assert!(refused("response_record", &bad));
    let mut bad = record;
    bad.as_object_mut().unwrap().remove("instrument");
    assert!(refused("response_record", &bad));
    assert!(refused("visit", &json!({"number": 3, "date": "2026-3-1"})));
    assert!(refused("visit", &json!({"number": -1})));
    let report = to_json(&Date::new(2026, 2, 30).unwrap_err().report());
    let mut bad = report.clone();
    bad["code"] = json!("no_such_code");
    assert!(refused("error_report", &bad));
    assert!(!refused("error_report", &report));
}
