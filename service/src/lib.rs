//! The alliance reference HTTP service: a clinic's session forms in, scores and monitor reports
//! out, everything kept in one `SQLite` file.
//!
//! - `POST /dyads/{id}/sessions` takes one session's form, checks every answer at once
//!   ([`form`]), scores it, feeds the dyad's monitor for that instrument ([`series`]) and
//!   stores the response records, the reply and the monitor's snapshot in one transaction
//!   ([`store`]).
//! - `GET /dyads/{id}` gives the course: the stored sessions with their scores, element trends
//!   and the open alerts ([`course`]).
//! - `GET /instruments` gives the catalog ([`catalog`]).
//!
//! The binary (`src/main.rs`) parses its arguments, opens a [`Service`] and serves it; tests and the load
//! example start the same server. See `service/README.md` for the endpoints and guarantees.

#![forbid(unsafe_code)]

pub mod catalog;
pub mod config;
pub mod course;
pub mod form;
pub mod problem;
pub mod reply;
pub mod routes;
pub mod series;
pub mod store;

use std::path::Path;
use std::sync::Arc;

/// An opened service: its database and writer thread, ready to serve.
#[derive(Debug)]
pub struct Service {
    state: routes::AppState,
    writer: std::thread::JoinHandle<()>,
}

impl Service {
    /// Opens the database at `db` (created with its schema when absent) and starts the writer
    /// thread. `max_batch` is the most posts the writer commits in one `SQLite` transaction
    /// (group commit; 1 commits every post on its own).
    ///
    /// # Errors
    /// When the database cannot be opened or its schema is of another version
    /// ([`store::StoreError`]).
    pub fn open(
        db: &Path,
        max_batch: usize,
    ) -> Result<Service, Box<dyn std::error::Error + Send + Sync>> {
        let registry = Arc::new(alliance::Registry::with_catalog());
        let (store, writer) = store::Store::open(db, Arc::clone(&registry), max_batch)?;
        let state = routes::AppState::new(store, registry)?;
        Ok(Service { state, writer })
    }

    /// Serves the API on `listener` until `shutdown` resolves and the requests in flight are
    /// answered; then waits for the writer thread to finish.
    ///
    /// # Errors
    /// An I/O error of the listener, or a writer thread that panicked.
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let served = axum::serve(listener, routes::router(self.state))
            .with_graceful_shutdown(shutdown)
            .await;
        // The router (and with it the writer's only sender) is gone: the writer drains and
        // stops.
        let writer = self.writer;
        let joined = tokio::task::spawn_blocking(move || writer.join()).await;
        served?;
        match joined {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) | Err(_) => Err("the writer thread panicked".into()),
        }
    }
}
