//! With feature `serde`: every public type round-trips losslessly, and deserialization runs
//! the same checks as construction, so no invalid value can come from data.
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used)] // test helpers fail loudly

use alliance::trend::Series;
use alliance::{
    Course, Date, Element, Instrument, Level, Rater, Response, Scale, catalog, sample, score,
};
use proptest::prelude::*;
use serde::{Serialize, de::DeserializeOwned};

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let json = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, value, "{json}");
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
                round_trip(&score(r).unwrap());
            }
        }
    }
    round_trip(&Element::Goals);
    round_trip(&Rater::Therapist);
    round_trip(&Level::new(0.9).unwrap());
    round_trip(&Date::new(2026, 2, 28).unwrap());
    round_trip(&Scale::with_step(0.0, 10.0, 0.1).unwrap());
    round_trip(&Series::new(vec![1.0, 3.0], vec![4.5, 4.0]).unwrap());
    round_trip(
        &alliance::Ratings::with_missing(2, 2, vec![Some(1.0), None, Some(2.5), Some(3.0)])
            .unwrap(),
    );
}

#[test]
fn invalid_data_is_rejected_on_deserialization() {
    assert!(serde_json::from_str::<Scale>(r#"{"min":5,"max":1}"#).is_err());
    assert!(serde_json::from_str::<Level>("1.5").is_err());
    assert!(serde_json::from_str::<Date>("[2026,2,30]").is_err());
    assert!(serde_json::from_str::<Series>(r#"{"times":[2,1],"values":[1,1]}"#).is_err());
    let ragged = r#"{"targets":2,"raters":2,"cells":[1.0,2.0,3.0]}"#;
    assert!(serde_json::from_str::<alliance::Ratings>(ragged).is_err());

    let wai = catalog::wai_sr();
    let good = Response::complete(&wai, Rater::Client, &[3.0; 12]).unwrap();
    let json = serde_json::to_string(&good).unwrap();
    let bad = json.replacen("\"answers\":[3.0", "\"answers\":[9.0", 1);
    assert_ne!(bad, json);
    let err = serde_json::from_str::<Response>(&bad)
        .unwrap_err()
        .to_string();
    assert!(err.contains("item 1 is 9 but the scale is 1-5"), "{err}");

    // an instrument whose item sits in two subscales
    let json = serde_json::to_string(&wai).unwrap();
    let bad = json.replacen("[3,5,7,9]", "[3,5,7,1]", 1);
    assert_ne!(bad, json);
    assert!(serde_json::from_str::<Instrument>(&bad).is_err());

    // a course with session 2 twice
    let course = &sample::caseload().unwrap()[0];
    let json = serde_json::to_string(course).unwrap();
    let bad = json.replacen("\"number\":3", "\"number\":2", 1);
    assert_ne!(bad, json);
    let err = serde_json::from_str::<Course>(&bad)
        .unwrap_err()
        .to_string();
    assert!(err.contains("session 2 appears twice"), "{err}");
}

proptest! {
    /// Responses with arbitrary valid answers and missing items round-trip losslessly.
    #[test]
    fn responses_round_trip(answers in prop::collection::vec(prop::option::of(1u8..=5), 12)) {
        let wai = catalog::wai_sr();
        let answers: Vec<Option<f64>> = answers.into_iter().map(|a| a.map(f64::from)).collect();
        let r = Response::new(&wai, Rater::Client, &answers).unwrap();
        let back: Response = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        prop_assert_eq!(back, r);
    }
}
