//! With feature `serde`, the contract of the model layer:
//! - model and input types round-trip losslessly, and deserialization runs the same checks as
//!   construction, so invalid data is rejected with the same error (its text is in the serde
//!   error);
//! - results (scores, profiles, intervals, outcomes) serialize only: they are computed, not
//!   read.
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used)] // test helpers fail loudly

use alliance::trend::Series;
use alliance::{
    Course, Cutoff, CutoffSide, Date, Element, Instrument, Keying, Level, MissingRule, Norm, Rater,
    Reliability, ReliabilityKind, Response, Scale, ScoringRule, Session, Undefined, catalog,
    sample, score,
};
use proptest::prelude::*;
use serde::{Serialize, de::DeserializeOwned};

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let json = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, value, "{json}");
}

/// Deserializing `json` as `T` fails, and the error says `text`.
#[track_caller]
fn rejected<T: DeserializeOwned + std::fmt::Debug>(json: &str, text: &str) {
    let err = serde_json::from_str::<T>(json).unwrap_err().to_string();
    assert!(err.contains(text), "{json}: got '{err}', want '{text}'");
}

/// `json` with its first `from` replaced by `to` (which must change it).
#[track_caller]
fn edit(json: &str, from: &str, to: &str) -> String {
    let edited = json.replacen(from, to, 1);
    assert_ne!(edited, json, "'{from}' not found in {json}");
    edited
}

#[test]
fn model_types_round_trip() {
    for inst in catalog::all() {
        round_trip(&inst);
    }
    let courses = sample::caseload().unwrap();
    for course in &courses {
        round_trip(course);
        for session in course.sessions() {
            round_trip(session);
            for r in session.responses() {
                round_trip(r);
            }
        }
    }
    round_trip(&Element::Goals);
    round_trip(&Rater::Therapist);
    round_trip(&Keying::Reverse);
    round_trip(&ScoringRule::Mean);
    round_trip(&MissingRule::Complete);
    round_trip(&MissingRule::Prorate {
        max_missing: 2,
        max_missing_per_subscale: Some(1),
    });
    round_trip(&CutoffSide::AtOrAbove);
    round_trip(&ReliabilityKind::TestRetest);
    round_trip(&Undefined::ConstantValues);
    round_trip(&Cutoff::below("alliance concern", 36.0, "Duncan et al. 2003").unwrap());
    round_trip(&Norm::new(4.0, 0.5, "my clinic", Some(212)).unwrap());
    round_trip(&Norm::new(4.0, 0.5, "my clinic", None).unwrap());
    round_trip(&Reliability::new(0.8, ReliabilityKind::Alpha, "Hatcher 2006").unwrap());
    round_trip(&Level::new(0.9).unwrap());
    round_trip(&Date::new(2026, 2, 28).unwrap());
    round_trip(&Scale::with_step(0.0, 10.0, 0.1).unwrap());
    round_trip(&Scale::new(-3.0, 3.0).unwrap());
    round_trip(&Series::new(vec![1.0, 3.0], vec![4.5, 4.0]).unwrap());
    round_trip(
        &alliance::Ratings::with_missing(2, 2, vec![Some(1.0), None, Some(2.5), Some(3.0)])
            .unwrap(),
    );
    let client = [Some(5.0), Some(4.5), Some(3.0)];
    let therapist = [Some(4.0), None, Some(3.5)];
    round_trip(&alliance::Paired::with_missing(&client, &therapist).unwrap());
    round_trip(&alliance::IntervalMethod::FisherZ);
    round_trip(&alliance::PMethod::Exact);
    let session = Session::new("client-17", "dr-ng", 3)
        .unwrap()
        .with_date(Date::new(2026, 3, 1).unwrap());
    round_trip(&session);
}

#[test]
fn invalid_data_is_rejected_with_the_constructors_error() {
    rejected::<Scale>(
        r#"{"min":5,"max":1}"#,
        "the response scale from 5 to 1 cannot be used: the minimum must be below the maximum",
    );
    rejected::<Scale>(
        r#"{"min":0,"max":10,"step":0.3}"#,
        "the step must divide the range into whole steps",
    );
    rejected::<Level>(
        "1.5",
        "confidence level must be from 0.000001 to 0.999999, but it is 1.5",
    );
    rejected::<Date>("\"2026-02-30\"", "2026-02-30 is not a calendar date");
    rejected::<Date>(
        "\"01/03/2026\"",
        "'01/03/2026' is not a date; use an ISO 8601 date, YYYY-MM-DD",
    );
    assert_eq!(
        serde_json::to_string(&Date::new(2026, 3, 1).unwrap()).unwrap(),
        "\"2026-03-01\""
    );
    rejected::<Norm>(
        r#"{"mean":4,"sd":0,"source":"x","n":null}"#,
        "norm SD must be positive, but it is 0",
    );
    rejected::<Reliability>(
        r#"{"value":1.2,"kind":"Alpha","source":"x"}"#,
        "reliability must be between 0 and 1, but it is 1.2",
    );
    // JSON has no NaN: a threshold that is not a number is refused by its type
    rejected::<Cutoff>(
        r#"{"label":"low","threshold":null,"side":"Below","source":"x"}"#,
        "invalid type: null, expected f64",
    );
    // enums: only their variants
    rejected::<Rater>(r#""Supervisor""#, "unknown variant `Supervisor`");
    rejected::<Element>(r#""Bond""#, "unknown variant `Bond`");
    rejected::<Keying>(r#""Sideways""#, "unknown variant `Sideways`");
    rejected::<ScoringRule>(r#""Median""#, "unknown variant `Median`");
    rejected::<CutoffSide>(r#""Near""#, "unknown variant `Near`");
    rejected::<ReliabilityKind>(r#""Omega""#, "unknown variant `Omega`");
    rejected::<MissingRule>(r#""Impute""#, "unknown variant `Impute`");
    rejected::<Undefined>(r#""Whatever""#, "unknown variant `Whatever`");
    rejected::<Series>(
        r#"{"times":[2,1],"values":[1,1]}"#,
        "time at position 1 is 1, but it must come after the previous time 2",
    );
    rejected::<alliance::Paired>(
        r#"{"first":[1.0,2.0],"second":[1.0],"dropped":0}"#,
        "should have 2 values, but it has 1",
    );
    rejected::<alliance::Ratings>(
        r#"{"targets":2,"raters":2,"cells":[1.0,2.0,3.0]}"#,
        "should have",
    );
}

#[test]
fn invalid_instruments_are_rejected() {
    let wai = catalog::wai_sr();
    let json = serde_json::to_string(&wai).unwrap();
    // an item in two subscales
    rejected::<Instrument>(
        &edit(&json, "[3,5,7,9]", "[3,5,7,1]"),
        "instrument 'WAI-SR' cannot be built: item 1 is in two subscales (or twice in one)",
    );
    // a reversed item the instrument does not have
    let arm = serde_json::to_string(&catalog::haq_ii()).unwrap();
    rejected::<Instrument>(
        &edit(&arm, "\"reverse\":[4,", "\"reverse\":[40,"),
        "instrument 'HAq-II' cannot be built: item 40 is not one of its item numbers",
    );
    // a cutoff outside the total's range (the session scale's total is 0-40)
    let vas = serde_json::to_string(&catalog::session_scale()).unwrap();
    rejected::<Instrument>(
        &edit(&vas, "\"threshold\":36.0", "\"threshold\":41.0"),
        "instrument 'VAS-4' cannot be built: a cutoff lies outside the total's range",
    );
    // a norm inside an instrument is checked too
    let inst = Instrument::builder("N", Scale::likert(1, 5).unwrap(), 2)
        .norm(Norm::new(3.0, 1.0, "x", None).unwrap())
        .build()
        .unwrap();
    let json = serde_json::to_string(&inst).unwrap();
    rejected::<Instrument>(
        &edit(&json, "\"sd\":1.0", "\"sd\":-1.0"),
        "norm SD must be positive, but it is -1",
    );
}

#[test]
fn invalid_responses_sessions_and_courses_are_rejected() {
    let wai = catalog::wai_sr();
    let good = Response::complete(&wai, Rater::Client, &[3.0; 12]).unwrap();
    let json = serde_json::to_string(&good).unwrap();
    rejected::<Response>(
        &edit(&json, "\"answers\":[3.0", "\"answers\":[9.0"),
        "item 1 is 9 but the scale is 1-5",
    );
    rejected::<Response>(
        &edit(&json, "\"answers\":[3.0,", "\"answers\":["),
        "response should have 12 values, but it has 11",
    );

    let srs = catalog::session_scale();
    let mut session = Session::new("client-17", "dr-ng", 3).unwrap();
    session
        .add(Response::complete(&srs, Rater::Client, &[9.0; 4]).unwrap())
        .unwrap();
    let json = serde_json::to_string(&session).unwrap();
    rejected::<Session>(
        &edit(&json, "\"client\":\"client-17\"", "\"client\":\" \""),
        "the client id is empty; every client and therapist needs a non-empty id",
    );
    // the same response twice
    let responses = json.find("\"responses\":[").unwrap() + "\"responses\":[".len();
    let one = &json[responses..json.len() - 2];
    let twice = format!("{}{one},{one}]}}", &json[..responses]);
    rejected::<Session>(&twice, "session 3 already has a client response on 'VAS-4'");

    // a course with session 2 twice
    let course = &sample::caseload().unwrap()[0];
    let json = serde_json::to_string(course).unwrap();
    rejected::<Course>(
        &edit(&json, "\"number\":3", "\"number\":2"),
        "session 2 appears twice in the course",
    );
    // a session of another dyad
    let foreign = edit(
        &json,
        "\"sessions\":[{\"client\":\"",
        "\"sessions\":[{\"client\":\"x",
    );
    rejected::<Course>(
        &foreign,
        "belongs to another client or therapist than the course",
    );
}

#[test]
fn results_serialize() {
    let wai = catalog::wai_sr();
    let r = Response::complete(&wai, Rater::Client, &[4.0; 12]).unwrap();
    let s = serde_json::to_value(score(&r).unwrap()).unwrap();
    assert_eq!(s["instrument"], "WAI-SR");
    assert_eq!(s["rater"], "Client");
    assert_eq!(s["total"]["value"], 4.0);
    assert_eq!(s["total"]["pomp"], 75.0);
    assert_eq!(s["subscales"][1]["name"], "Bond");
    assert_eq!(s["profile"]["Rapport"]["pomp"], 75.0);
    let elements = s["profile"].as_object().unwrap();
    assert_eq!(elements.len(), 4);
    assert!(
        ["Rapport", "Goals", "Expectations", "Responsibility"]
            .iter()
            .all(|e| elements.contains_key(*e))
    );
    assert_eq!(s["norm"], serde_json::Value::Null);

    let range = serde_json::to_value(wai.total_range()).unwrap();
    assert_eq!(range, serde_json::json!({"min": 1.0, "max": 5.0}));

    let batch = alliance::BatchScorer::new(&wai)
        .score_codes(&[4; 12], None)
        .unwrap();
    let b = serde_json::to_value(&batch).unwrap();
    assert_eq!(
        b,
        serde_json::json!({
            "totals": [4.0],
            "subscales": [4.0, 4.0, 4.0],
            "answered": [12],
            "subscales_per_response": 3,
        })
    );
}

proptest! {
    /// Responses with arbitrary valid answers and missing items round-trip losslessly.
    #[test]
    /// Responses round-trip; answers the missing-data rule cannot score are refused on the
    /// way in as when built.
    fn responses_round_trip(answers in prop::collection::vec(prop::option::of(1u8..=5), 12)) {
        let wai = catalog::wai_sr();
        let answers: Vec<Option<f64>> = answers.into_iter().map(|a| a.map(f64::from)).collect();
        match Response::new(&wai, Rater::Client, &answers) {
            Ok(r) => {
                let back: Response =
                    serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
                prop_assert_eq!(back, r);
            }
            Err(e) => prop_assert_eq!(e.code(), "too_many_missing"),
        }
    }
}

/// Option records round-trip; a level inside them is checked on the way in.
#[test]
fn options_round_trip_and_validate() {
    use alliance::IntervalMethod;
    use alliance::reliability::{FeldtN, PairwiseOptions};
    use alliance::trend::{BatchOptions, HamedRaoOptions, SenIntercept, SenOptions};
    round_trip(&PairwiseOptions::default().with_feldt_n(FeldtN::AllRespondents));
    let sen = SenOptions::default()
        .with_intercept(SenIntercept::JointMedian)
        .with_ci_method(IntervalMethod::InterpolatedSlopes);
    round_trip(&sen);
    round_trip(&HamedRaoOptions::default().with_lags(3));
    round_trip(
        &alliance::trend::YueWangOptions::default()
            .with_lags(2)
            .with_level(alliance::Level::NINETY_FIVE),
    );
    round_trip(
        &alliance::trend::PreWhiteningOptions::default().with_level(alliance::Level::NINETY_FIVE),
    );
    round_trip(
        &alliance::trend::SiegelOptions::default()
            .with_intercept(alliance::trend::SiegelIntercept::Separate),
    );
    let batch = BatchOptions::default().with_sen(sen);
    round_trip(&batch);
    let json = serde_json::to_string(&HamedRaoOptions::default()).unwrap();
    rejected::<HamedRaoOptions>(&edit(&json, "0.95", "1.5"), "confidence level");
}

/// A catalog id names the catalog's definition only: a key edited under it (items 1-3
/// reversed) is refused when read, while the catalog's own entries and an instrument with an
/// id of its own are read as they are.
#[test]
fn a_tampered_catalog_instrument_is_refused() {
    let wai = catalog::wai_sr();
    let tampered = Instrument::builder("WAI-SR", Scale::likert(1, 5).unwrap(), 12)
        .reverse(&[1, 2, 3])
        .build()
        .unwrap();
    rejected::<Instrument>(
        &serde_json::to_string(&tampered).unwrap(),
        "differs from the catalog's WAI-SR",
    );
    let lower = Instrument::builder("wai-sr", Scale::likert(1, 5).unwrap(), 12)
        .build()
        .unwrap();
    rejected::<Instrument>(&serde_json::to_string(&lower).unwrap(), "catalog");
    round_trip(&wai);
    let own = Instrument::builder("MY-12", Scale::likert(1, 5).unwrap(), 12)
        .reverse(&[1, 2, 3])
        .build()
        .unwrap();
    round_trip(&own);
}

/// A response kept as a record names its instrument instead of embedding it; read back
/// through a registry it is the same response; a record naming another key, an unknown version
/// or a tampered hash is refused; instrument data from before versions reads as version 1.
#[test]
fn response_records_resolve_through_a_registry() {
    use alliance::{Registry, ResponseRecord};
    let wai = catalog::wai_sr();
    let r = Response::new(&wai, Rater::Client, &[Some(4.0); 12]).unwrap();
    let record = r.record();
    let json = serde_json::to_string(&record).unwrap();
    let embedded = serde_json::to_string(&r).unwrap();
    assert!(
        json.len() < 250 && embedded.len() > 3 * json.len(),
        "{json} / {embedded}"
    );
    let back: ResponseRecord = serde_json::from_str(&json).unwrap();
    let registry = Registry::with_catalog();
    assert_eq!(registry.response(&back), Ok(r));

    let mut other = back.clone();
    other.instrument.version = "2".into();
    assert_eq!(
        registry.response(&other).unwrap_err().code(),
        "unknown_instrument"
    );
    let mut tampered = back.clone();
    tampered.instrument.key_hash = Instrument::builder("WAI-SR", Scale::likert(1, 5).unwrap(), 12)
        .reverse(&[1, 2, 3])
        .build()
        .unwrap()
        .key_hash();
    assert_eq!(
        registry.response(&tampered).unwrap_err().code(),
        "key_hash_mismatch"
    );

    // instrument data written before versions existed reads as version "1"
    let mut value = serde_json::to_value(&wai).unwrap();
    value.as_object_mut().unwrap().remove("version");
    let old: Instrument = serde_json::from_value(value).unwrap();
    assert_eq!(old.version(), "1");
    assert_eq!(old, wai);
}

/// The key hash is part of the data an app stores: these are the catalog's, and a change to
/// them (a change of the hash's canonical text) would orphan every stored record. Change the
/// text's first line (`alliance key 1`) with the format, never silently.
#[test]
fn catalog_key_hashes_are_stable() {
    let hashes: Vec<(String, String)> = catalog::all()
        .iter()
        .map(|i| (i.id().to_owned(), i.key_hash()))
        .collect();
    let pinned = [
        ("WAI-SR", "74a5d156dfaeb55b"),
        ("HAq-II", "385c95cfec3aff2e"),
        ("ARM-5", "7781f2af0f1f3e2e"),
        ("VAS-4", "be81e6c33c47f562"),
        ("ALLIANCE-4E", "0ed199d553fbbe83"),
    ];
    let pinned: Vec<(String, String)> = pinned
        .iter()
        .map(|(i, h)| ((*i).to_owned(), (*h).to_owned()))
        .collect();
    assert_eq!(hashes, pinned);
}

/// A number that is not finite, the point of many errors, is written as text: JSON has no NaN
/// (`serde_json` would write `null`, losing it).
#[test]
fn errors_write_non_finite_numbers_as_text() {
    let mut m = alliance::monitor::Monitor::new(
        "total",
        alliance::monitor::MonitorConfig::builder().build().unwrap(),
    );
    let e = m.push(1.0, f64::NAN).unwrap_err();
    let json = serde_json::to_value(e.report()).unwrap();
    assert_eq!(json["code"], "non_finite");
    assert_eq!(json["value"], "NaN");
    let e = m.push(1.0, f64::NEG_INFINITY).unwrap_err();
    assert_eq!(serde_json::to_value(&e).unwrap()["value"], "-inf");
    let e = alliance::Scale::new(1.0, f64::INFINITY).unwrap_err();
    assert_eq!(serde_json::to_value(&e).unwrap()["max"], "inf");
}

/// A course on the wire names its instruments by reference: through JSON and the registry it
/// comes back equal, at a fraction of the embedded size, and a record naming an edited key is
/// refused.
#[test]
fn course_records_round_trip_through_the_registry() {
    let registry = alliance::Registry::with_catalog();
    for course in alliance::sample::caseload().unwrap() {
        let json = serde_json::to_string(&course.record()).unwrap();
        let embedded = serde_json::to_string(&course).unwrap();
        assert!(
            json.len() * 3 < embedded.len(),
            "{} vs {}",
            json.len(),
            embedded.len()
        );
        let record: alliance::CourseRecord = serde_json::from_str(&json).unwrap();
        assert_eq!(registry.course(&record).unwrap(), course);
    }
    let course = &alliance::sample::caseload().unwrap()[0];
    let mut record = course.record();
    let tampered = &mut record.sessions[0].responses[0].instrument;
    tampered.key_hash = "0123456789abcdef".into();
    assert_eq!(
        registry.course(&record).unwrap_err().code(),
        "key_hash_mismatch"
    );
}
