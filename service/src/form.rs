//! The session form a client posts, read and checked all at once.
//!
//! ```json
//! {"session": 6, "date": "2026-03-01", "instrument": "VAS-4", "version": "1",
//!  "client": [7.2, 6.0, 7.5, null], "therapist": [8.0, 7.9, 8.1, 8.0]}
//! ```
//!
//! `session` (a whole number from 0 to 2^32 - 1), `instrument` (a catalog id, any letter
//! case) and `client` (the answers in item order, `null` for a missing one) are required;
//! `date` (ISO 8601), `version` (default: the catalog's) and `therapist` are optional (absent
//! or `null`). Any other field is refused, so that a misspelt `therapist` is not silently
//! dropped. Every problem is reported at once: each malformed field, then each answer the
//! instrument refuses (through [`Instrument::problems`]), client then therapist.

use crate::problem::Problem;
use alliance::{Date, Instrument, InstrumentRef, Rater, Registry};
use serde_json::{Map, Value};

/// The fields a form may have.
const FIELDS: [&str; 6] = [
    "session",
    "date",
    "instrument",
    "version",
    "client",
    "therapist",
];

/// A checked form: every answer is on its instrument's scale and scorable.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// The session number (the monitor's time).
    pub session: u32,
    /// The session's date, if given.
    pub date: Option<Date>,
    /// The instrument, resolved in the registry.
    pub instrument: Instrument,
    /// The client's answers in item order.
    pub client: Vec<Option<f64>>,
    /// The therapist's answers on the same instrument, if given.
    pub therapist: Option<Vec<Option<f64>>>,
}

impl Form {
    /// Reads and checks a posted body against the instruments of `registry`.
    ///
    /// # Errors
    /// Every problem found, in the order of the form's fields: `invalid_json` (the body is not
    /// a JSON object), `missing_field`, `invalid_field` (wrong type or range),
    /// `unknown_field`, the library's `unknown_instrument`, `unrecognized` and
    /// `invalid_date` for a date, and each answer problem of [`Instrument::problems`] with
    /// its rater.
    pub fn parse(body: &[u8], registry: &Registry) -> Result<Form, Vec<Problem>> {
        let value: Value = serde_json::from_slice(body).map_err(|e| vec![invalid_json(&e)])?;
        let Value::Object(object) = value else {
            return Err(vec![Problem::service(
                "invalid_json",
                None,
                "the body must be a JSON object: the session's form",
            )]);
        };
        let mut problems = Vec::new();
        for key in object.keys() {
            if !FIELDS.contains(&key.as_str()) {
                problems.push(Problem::service(
                    "unknown_field",
                    Some(pointer(&[key])),
                    format!(
                        "'{key}' is not a field of the form; its fields are {}",
                        FIELDS.join(", ")
                    ),
                ));
            }
        }
        let session = session(&object, &mut problems);
        let date = date(&object, &mut problems);
        let instrument = instrument(&object, registry, &mut problems);
        let client = answers(&object, "client", true, &mut problems);
        let therapist = answers(&object, "therapist", false, &mut problems);
        if let Some(instrument) = &instrument {
            if let Some(Some(client)) = &client {
                check(instrument, Rater::Client, client, &mut problems);
            }
            if let Some(Some(therapist)) = &therapist {
                check(instrument, Rater::Therapist, therapist, &mut problems);
            }
        }
        match (session, date, instrument, client, therapist) {
            (Some(session), Some(date), Some(instrument), Some(Some(client)), Some(therapist))
                if problems.is_empty() =>
            {
                Ok(Form {
                    session,
                    date,
                    instrument,
                    client,
                    therapist,
                })
            }
            _ => Err(problems),
        }
    }

    /// The form as the service compares repeated posts: the same session, date, instrument
    /// (id, version, key hash) and answers give the same text, whatever the whitespace, the
    /// order of the fields, an omitted default version or how a number was written (`7` and
    /// `7.0` are one answer).
    ///
    /// # Errors
    /// Never in practice (every number is finite); a serialization error otherwise.
    pub fn canonical(&self) -> Result<String, serde_json::Error> {
        #[derive(serde::Serialize)]
        struct Canonical<'a> {
            session: u32,
            date: Option<Date>,
            instrument: InstrumentRef,
            client: &'a [Option<f64>],
            therapist: Option<&'a [Option<f64>]>,
        }
        serde_json::to_string(&Canonical {
            session: self.session,
            date: self.date,
            instrument: self.instrument.reference(),
            client: &self.client,
            therapist: self.therapist.as_deref(),
        })
    }
}

/// `/a/b` from the parts, escaped as RFC 6901 says (`~` as `~0`, `/` as `~1`).
fn pointer(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| format!("/{}", p.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// The body is not JSON: where the parser stopped.
fn invalid_json(e: &serde_json::Error) -> Problem {
    Problem::Service {
        code: "invalid_json",
        field: None,
        details: vec![
            ("line", Value::from(e.line())),
            ("column", Value::from(e.column())),
        ],
        message: format!("the body is not valid JSON: {e}"),
    }
}

/// A required field that is absent (or `null`).
fn missing(field: &str, what: &str) -> Problem {
    Problem::service(
        "missing_field",
        Some(pointer(&[field])),
        format!("the form has no '{field}': give {what}"),
    )
}

/// A field of the wrong type or range.
fn invalid(at: String, expected: &'static str, found: &Value) -> Problem {
    Problem::Service {
        code: "invalid_field",
        message: format!("{at} is {found}, but it must be {expected}"),
        details: vec![("expected", Value::from(expected))],
        field: Some(at),
    }
}

/// The session number.
fn session(object: &Map<String, Value>, problems: &mut Vec<Problem>) -> Option<u32> {
    const EXPECTED: &str = "a whole number from 0 to 4294967295";
    match object.get("session") {
        None | Some(Value::Null) => {
            problems.push(missing("session", "the session number"));
            None
        }
        Some(v) => {
            let number = v.as_u64().and_then(|n| u32::try_from(n).ok());
            if number.is_none() {
                problems.push(invalid(pointer(&["session"]), EXPECTED, v));
            }
            number
        }
    }
}

/// The date: `Some(None)` when absent, `None` when it cannot be read.
fn date(object: &Map<String, Value>, problems: &mut Vec<Problem>) -> Option<Option<Date>> {
    match object.get("date") {
        None | Some(Value::Null) => Some(None),
        Some(Value::String(text)) => match text.parse::<Date>() {
            Ok(date) => Some(Some(date)),
            Err(error) => {
                problems.push(Problem::library(error, None, Some(pointer(&["date"]))));
                None
            }
        },
        Some(v) => {
            problems.push(invalid(
                pointer(&["date"]),
                "an ISO 8601 date, YYYY-MM-DD",
                v,
            ));
            None
        }
    }
}

/// The instrument, by id (any letter case) and version (the catalog's by default).
fn instrument(
    object: &Map<String, Value>,
    registry: &Registry,
    problems: &mut Vec<Problem>,
) -> Option<Instrument> {
    let version = match object.get("version") {
        None | Some(Value::Null) => None,
        Some(Value::String(v)) => Some(v.as_str()),
        Some(v) => {
            problems.push(invalid(pointer(&["version"]), "a version, as text", v));
            return None;
        }
    };
    let id = match object.get("instrument") {
        None | Some(Value::Null) => {
            problems.push(missing("instrument", "a catalog id such as \"VAS-4\""));
            return None;
        }
        Some(Value::String(id)) => id.trim(),
        Some(v) => {
            problems.push(invalid(
                pointer(&["instrument"]),
                "an instrument id, as text",
                v,
            ));
            return None;
        }
    };
    let known = alliance::catalog::by_id(id);
    let found = known.as_ref().and_then(|catalog| {
        let version = version.unwrap_or(catalog.version());
        registry.get(catalog.id(), version).cloned()
    });
    if found.is_none() {
        let (field, version) = match (&known, version) {
            (Some(_), Some(v)) => ("version", v.to_owned()),
            (None, Some(v)) => ("instrument", v.to_owned()),
            (_, None) => ("instrument", "any".to_owned()),
        };
        problems.push(Problem::library(
            alliance::Error::UnknownInstrument {
                id: known.map_or_else(|| id.to_owned(), |i| i.id().to_owned()),
                version,
            },
            None,
            Some(pointer(&[field])),
        ));
    }
    found
}

/// A rater's answers: `Some(None)` when absent and optional, `None` when they cannot be read.
fn answers(
    object: &Map<String, Value>,
    field: &str,
    required: bool,
    problems: &mut Vec<Problem>,
) -> Option<Option<Vec<Option<f64>>>> {
    const EXPECTED: &str = "a number or null";
    match object.get(field) {
        None | Some(Value::Null) if required => {
            problems.push(missing(
                field,
                "the answers in item order, null for a missing one",
            ));
            None
        }
        None | Some(Value::Null) => Some(None),
        Some(Value::Array(values)) => {
            let before = problems.len();
            let answers: Vec<Option<f64>> = values
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::Null => None,
                    v => {
                        let x = v.as_f64();
                        if x.is_none() {
                            problems.push(invalid(pointer(&[field, &i.to_string()]), EXPECTED, v));
                        }
                        x
                    }
                })
                .collect();
            (problems.len() == before).then_some(Some(answers))
        }
        Some(v) => {
            problems.push(invalid(
                pointer(&[field]),
                "an array of answers (numbers or null)",
                v,
            ));
            None
        }
    }
}

/// Every problem of one rater's answers, each pointing at its answer (or at the rater's list
/// for a count or a missing-data rule).
fn check(
    instrument: &Instrument,
    rater: Rater,
    answers: &[Option<f64>],
    problems: &mut Vec<Problem>,
) {
    let field = rater.label();
    for error in instrument.problems(answers) {
        let at = match error {
            alliance::Error::OutOfScale { item, .. }
            | alliance::Error::OffStep { item, .. }
            | alliance::Error::NonFiniteAnswer { item, .. }
            | alliance::Error::TinyAnswer { item, .. }
                if item > 0 =>
            {
                pointer(&[field, &(item - 1).to_string()])
            }
            _ => pointer(&[field]),
        };
        problems.push(Problem::library(error, Some(rater), Some(at)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> Result<Form, Vec<Problem>> {
        Form::parse(body.as_bytes(), &Registry::with_catalog())
    }

    fn codes(problems: &[Problem]) -> Vec<&'static str> {
        problems.iter().map(Problem::code).collect()
    }

    #[test]
    fn a_good_form_is_read() {
        let form = parse(
            r#"{"session": 6, "date": "2026-03-01", "instrument": "vas-4",
                "client": [7.2, 6, 7.5, 8], "therapist": null}"#,
        )
        .unwrap();
        assert_eq!(form.session, 6);
        assert_eq!(form.instrument.id(), "VAS-4");
        assert_eq!(form.client[1], Some(6.0));
        assert_eq!(form.therapist, None);
    }

    #[test]
    fn every_problem_comes_at_once() {
        let problems = parse(
            r#"{"session": -1, "date": "2026-02-30", "instrument": "WAI-SR", "extra": 1,
                "client": [null, 2.5, 4, 4, 4, 4, 9, 4, 4, null, 4, 4],
                "therapist": [4, "x"]}"#,
        )
        .unwrap_err();
        assert_eq!(
            codes(&problems),
            [
                "unknown_field",
                "invalid_field",
                "invalid_date",
                "invalid_field",
                "off_step",
                "out_of_scale",
                "too_many_missing"
            ]
        );
    }

    #[test]
    fn unknown_instruments_and_versions_use_the_crates_code() {
        let problems =
            parse(r#"{"session": 1, "instrument": "WAI-XL", "client": []}"#).unwrap_err();
        assert_eq!(codes(&problems), ["unknown_instrument"]);
        let problems =
            parse(r#"{"session": 1, "instrument": "WAI-SR", "version": "9", "client": []}"#)
                .unwrap_err();
        assert_eq!(codes(&problems), ["unknown_instrument"]);
        let json = serde_json::to_value(&problems[0]).unwrap();
        assert_eq!(json["field"], "/version");
    }

    #[test]
    fn malformed_json_and_missing_fields() {
        assert_eq!(
            codes(&parse("{\"session\": ").unwrap_err()),
            ["invalid_json"]
        );
        assert_eq!(codes(&parse("[1, 2]").unwrap_err()), ["invalid_json"]);
        assert_eq!(
            codes(&parse("{}").unwrap_err()),
            ["missing_field", "missing_field", "missing_field"]
        );
    }

    #[test]
    fn the_canonical_form_ignores_how_it_was_written() {
        let a =
            parse(r#"{"session": 2, "instrument": "VAS-4", "client": [7, 6, 7.5, 8]}"#).unwrap();
        let b = parse(
            r#"{ "client": [7.0, 6.0, 7.5, 8.0], "version": "1", "instrument": "VAS-4",
                 "session": 2, "date": null }"#,
        )
        .unwrap();
        assert_eq!(a.canonical().unwrap(), b.canonical().unwrap());
    }
}
