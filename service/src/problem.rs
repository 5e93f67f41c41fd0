//! The body of every refused request: `{"errors": [...]}`, each error an object with a stable
//! `code`, its fields and an English `message`.
//!
//! A problem the library found is its [`ErrorReport`](alliance::ErrorReport) (the crate's code
//! and the variant's fields) with the service's context beside it: `rater` (whose answers)
//! and `field` (a JSON Pointer, RFC 6901, into the posted form: `/client/6` is the client's
//! seventh answer). A problem only the service sees (malformed JSON, a missing field, a
//! conflict with a stored session) has a code of the service's own in the same shape.

use alliance::Rater;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::ser::{SerializeMap, Serializer};

/// One thing wrong with a request.
#[derive(Debug, Clone)]
pub enum Problem {
    /// An error of the library, with where in the form it was found.
    Library {
        /// The library's error (its code and fields are serialized).
        error: alliance::Error,
        /// Whose answers it is about, if any.
        rater: Option<Rater>,
        /// Where in the form (a JSON Pointer), if anywhere.
        field: Option<String>,
    },
    /// A problem of the service's own.
    Service {
        /// The stable code, e.g. `invalid_json`.
        code: &'static str,
        /// Where in the form (a JSON Pointer), if anywhere.
        field: Option<String>,
        /// More fields of the problem, serialized between `field` and `message`.
        details: Vec<(&'static str, serde_json::Value)>,
        /// The English message.
        message: String,
    },
}

impl Problem {
    /// A problem of the service's own, without details.
    pub fn service(code: &'static str, field: Option<String>, message: impl Into<String>) -> Self {
        Problem::Service {
            code,
            field,
            details: Vec::new(),
            message: message.into(),
        }
    }

    /// A library error found at `field` (a JSON Pointer), in `rater`'s answers if given.
    pub fn library(error: alliance::Error, rater: Option<Rater>, field: Option<String>) -> Self {
        Problem::Library {
            error,
            rater,
            field,
        }
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Library { error, .. } => error.code(),
            Problem::Service { code, .. } => code,
        }
    }
}

impl serde::Serialize for Problem {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Problem::Library {
                error,
                rater,
                field,
            } => {
                /// The library's report, then the service's context.
                #[derive(serde::Serialize)]
                struct WithContext<'a> {
                    #[serde(flatten)]
                    report: alliance::ErrorReport<'a>,
                    #[serde(skip_serializing_if = "Option::is_none")]
                    rater: Option<&'static str>,
                    #[serde(skip_serializing_if = "Option::is_none")]
                    field: Option<&'a str>,
                }
                WithContext {
                    report: error.report(),
                    rater: rater.map(Rater::label),
                    field: field.as_deref(),
                }
                .serialize(s)
            }
            Problem::Service {
                code,
                field,
                details,
                message,
            } => {
                let mut map = s.serialize_map(None)?;
                map.serialize_entry("code", code)?;
                if let Some(field) = field {
                    map.serialize_entry("field", field)?;
                }
                for (key, value) in details {
                    map.serialize_entry(key, value)?;
                }
                map.serialize_entry("message", message)?;
                map.end()
            }
        }
    }
}

/// A refused request: its HTTP status and every problem found.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// 400 for bad input, 404, 409 for a conflict with stored data, 500 for a fault of ours.
    pub status: StatusCode,
    /// What was wrong, all of it.
    pub problems: Vec<Problem>,
}

impl Refusal {
    /// A refusal with one problem.
    pub fn one(status: StatusCode, problem: Problem) -> Self {
        Refusal {
            status,
            problems: vec![problem],
        }
    }

    /// A fault of the service (storage, a thread gone): 500 with code `internal`. The cause
    /// goes to standard error, not to the client.
    pub fn internal(cause: &dyn std::fmt::Display) -> Self {
        eprintln!("internal error: {cause}");
        Refusal::one(
            StatusCode::INTERNAL_SERVER_ERROR,
            Problem::service(
                "internal",
                None,
                "the service could not complete the request; nothing was stored, so it can be \
                 sent again",
            ),
        )
    }
}

/// `{"errors": [...]}` with its status.
impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            errors: &'a [Problem],
        }
        match serde_json::to_string(&Body {
            errors: &self.problems,
        }) {
            Ok(text) => json_response(self.status, text),
            // A report holds only numbers and text: it always serializes.
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    }
}

/// A response with a JSON body already written.
pub fn json_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_library_problem_keeps_the_crates_code_and_fields() {
        let error = alliance::Error::OutOfScale {
            item: 7,
            value: 9.0,
            min: 1.0,
            max: 5.0,
        };
        let problem = Problem::library(error, Some(Rater::Client), Some("/client/6".into()));
        let json = serde_json::to_value(&problem).unwrap();
        assert_eq!(json["code"], "out_of_scale");
        assert_eq!(json["item"], 7);
        assert_eq!(json["rater"], "client");
        assert_eq!(json["field"], "/client/6");
        assert_eq!(json["message"], "item 7 is 9 but the scale is 1-5");
    }

    #[test]
    fn a_service_problem_has_the_same_shape() {
        let problem = Problem::service("missing_field", Some("/session".into()), "no session");
        let json = serde_json::to_string(&problem).unwrap();
        assert_eq!(
            json,
            r#"{"code":"missing_field","field":"/session","message":"no session"}"#
        );
    }
}
