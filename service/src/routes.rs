//! The HTTP handlers: each turns a request into a call on the form, the store or the course,
//! and every refusal into `{"errors": [...]}` with its status (see [`crate::problem`]).

use crate::catalog::catalog_json;
use crate::course::course;
use crate::form::Form;
use crate::problem::{Problem, Refusal, json_response};
use crate::store::{self, Outcome, Post, Store};
use alliance::{Rater, Registry, Response, Score};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_LENGTH;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response as HttpResponse};
use axum::routing::{get, post};
use std::sync::Arc;

/// The longest dyad id accepted.
const MAX_DYAD_ID: usize = 128;

/// The largest form accepted, in bytes (a form of the longest catalog instrument, two raters,
/// is under 1 KiB).
pub const MAX_BODY: usize = 64 * 1024;

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    store: Store,
    registry: Arc<Registry>,
    catalog: Arc<str>,
}

impl AppState {
    /// The state over `store`, with the instruments of `registry`.
    ///
    /// # Errors
    /// When the catalog cannot be serialized (never in practice).
    pub fn new(store: Store, registry: Arc<Registry>) -> Result<Self, serde_json::Error> {
        let catalog = catalog_json(&registry)?.into();
        Ok(AppState {
            store,
            registry,
            catalog,
        })
    }
}

/// The service's routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/dyads/{id}/sessions", post(post_session))
        .route("/dyads/{id}", get(get_dyad))
        .route("/instruments", get(get_instruments))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

/// `POST /dyads/{id}/sessions`: 201 with the reply for a new session, 200 with the stored
/// reply for a repeated one, 400 for a bad form, 409 for a conflict with the stored sessions.
async fn post_session(
    State(app): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> HttpResponse {
    match store_session(&app, path, &headers, body).await {
        Ok(response) => response,
        Err(refusal) => refusal.into_response(),
    }
}

async fn store_session(
    app: &AppState,
    path: Result<Path<String>, PathRejection>,
    headers: &HeaderMap,
    body: Body,
) -> Result<HttpResponse, Refusal> {
    let dyad = dyad_id(path)?;
    let body = read_body(headers, body).await?;
    let form = Form::parse(&body, &app.registry).map_err(|problems| Refusal {
        status: StatusCode::BAD_REQUEST,
        problems,
    })?;
    let canonical = form.canonical().map_err(|e| Refusal::internal(&e))?;
    let client = scored(&form, Rater::Client, &form.client)?;
    let therapist = match &form.therapist {
        Some(answers) => Some(scored(&form, Rater::Therapist, answers)?),
        None => None,
    };
    let (session, id, version) = (
        form.session,
        form.instrument.id().to_owned(),
        form.instrument.version().to_owned(),
    );
    let outcome = app
        .store
        .post(Post {
            dyad: dyad.clone(),
            form,
            canonical,
            client,
            therapist,
        })
        .await
        .map_err(|e| Refusal::internal(&e))?;
    Ok(match outcome {
        Outcome::Created(reply) => json_response(StatusCode::CREATED, reply),
        Outcome::Repeated(reply) => json_response(StatusCode::OK, reply),
        Outcome::Conflict => Refusal::one(
            StatusCode::CONFLICT,
            Problem::Service {
                code: "session_conflict",
                field: Some("/session".into()),
                details: vec![("session", session.into())],
                message: format!(
                    "session {session} of dyad {dyad} on {id} version {version} is stored with \
                     another form; a session is posted once (an identical form gets the stored \
                     reply)"
                ),
            },
        )
        .into_response(),
        Outcome::OutOfOrder { last } => Refusal::one(
            StatusCode::CONFLICT,
            Problem::Service {
                code: "session_out_of_order",
                field: Some("/session".into()),
                details: vec![("session", session.into()), ("last_session", last.into())],
                message: format!(
                    "session {session} is not after session {last}, the last one stored for \
                     dyad {dyad} on {id} version {version}; sessions of a series are posted \
                     in order"
                ),
            },
        )
        .into_response(),
        Outcome::Refused(error) => {
            let field = if error.code() == "dates_out_of_order" {
                "/date"
            } else {
                "/session"
            };
            Refusal::one(
                StatusCode::CONFLICT,
                Problem::library(error, None, Some(field.into())),
            )
            .into_response()
        }
    })
}

/// The body, at most [`MAX_BODY`] bytes: a larger declared length is refused before reading.
async fn read_body(headers: &HeaderMap, body: Body) -> Result<Bytes, Refusal> {
    let too_large = || {
        Refusal::one(
            StatusCode::PAYLOAD_TOO_LARGE,
            Problem::Service {
                code: "payload_too_large",
                field: None,
                details: vec![("limit", MAX_BODY.into())],
                message: format!("the body is larger than the {MAX_BODY} bytes a form may have"),
            },
        )
    };
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, MAX_BODY).await.map_err(|e| {
        let length_limit = std::error::Error::source(&e)
            .is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
        if length_limit {
            too_large()
        } else {
            Refusal::one(
                StatusCode::BAD_REQUEST,
                Problem::service(
                    "invalid_body",
                    None,
                    format!("the body cannot be read: {e}"),
                ),
            )
        }
    })
}

/// A rater's response and its score; the library's refusal (which [`Form::parse`] has already
/// ruled out) as a 400.
fn scored(
    form: &Form,
    rater: Rater,
    answers: &[Option<f64>],
) -> Result<(Response, Score), Refusal> {
    let refuse = |e: alliance::Error| {
        Refusal::one(
            StatusCode::BAD_REQUEST,
            Problem::library(e, Some(rater), Some(format!("/{}", rater.label()))),
        )
    };
    let response = Response::new(&form.instrument, rater, answers).map_err(refuse)?;
    let score = alliance::score(&response).map_err(refuse)?;
    Ok((response, score))
}

/// `GET /dyads/{id}`: the course, or 404 for a dyad with no stored session.
async fn get_dyad(
    State(app): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> HttpResponse {
    let dyad = match dyad_id(path) {
        Ok(dyad) => dyad,
        Err(refusal) => return refusal.into_response(),
    };
    let registry = Arc::clone(&app.registry);
    let id = dyad.clone();
    let read = app
        .store
        .read(move |conn| {
            let stored = store::load(conn, &id, None)?;
            match course(&id, &stored, &registry)? {
                Some(course) => Ok(Some(serde_json::to_string(&course)?)),
                None => Ok(None),
            }
        })
        .await;
    match read {
        Ok(Some(body)) => json_response(StatusCode::OK, body),
        Ok(None) => Refusal::one(
            StatusCode::NOT_FOUND,
            Problem::Service {
                code: "unknown_dyad",
                field: None,
                details: vec![("dyad", dyad.as_str().into())],
                message: format!("dyad {dyad} has no stored session"),
            },
        )
        .into_response(),
        Err(e) => Refusal::internal(&e).into_response(),
    }
}

/// `GET /instruments`: the catalog, serialized once at start.
async fn get_instruments(State(app): State<AppState>) -> HttpResponse {
    json_response(StatusCode::OK, app.catalog.to_string())
}

/// Any other path.
async fn not_found() -> HttpResponse {
    Refusal::one(
        StatusCode::NOT_FOUND,
        Problem::service(
            "not_found",
            None,
            "no such endpoint; the endpoints are POST /dyads/{id}/sessions, GET /dyads/{id} \
             and GET /instruments",
        ),
    )
    .into_response()
}

/// A known path with another method.
async fn method_not_allowed() -> HttpResponse {
    Refusal::one(
        StatusCode::METHOD_NOT_ALLOWED,
        Problem::service(
            "method_not_allowed",
            None,
            "this endpoint does not take that method; sessions are posted to \
             /dyads/{id}/sessions, the course and the catalog are read with GET",
        ),
    )
    .into_response()
}

/// The dyad id of the path: 1 to 128 letters, digits, `-`, `_`, `.` or `:`.
fn dyad_id(path: Result<Path<String>, PathRejection>) -> Result<String, Refusal> {
    let refuse = |value: String, message: String| {
        Refusal::one(
            StatusCode::BAD_REQUEST,
            Problem::Service {
                code: "invalid_dyad",
                field: None,
                details: vec![("dyad", value.into())],
                message,
            },
        )
    };
    let Path(id) = path.map_err(|e| refuse(String::new(), e.body_text()))?;
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':');
    if id.is_empty() || id.len() > MAX_DYAD_ID || !id.chars().all(allowed) {
        let message = format!(
            "'{id}' is not a dyad id: use 1 to {MAX_DYAD_ID} letters, digits, '-', '_', '.' \
             or ':'"
        );
        return Err(refuse(id, message));
    }
    Ok(id)
}
