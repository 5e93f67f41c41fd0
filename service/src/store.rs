//! The `SQLite` database: its schema, the one writer that stores posted sessions, and the
//! readers that load a dyad's course.
//!
//! # Tables
//! - `sessions`: one row per (dyad, instrument id, version, session number), with the key hash,
//!   the date, the canonical form (to tell a repeated post from a conflicting one) and the
//!   reply as it was sent.
//! - `responses`: the session's [`ResponseRecord`]s as JSON (the instrument by reference: id,
//!   version, key hash), one per rater.
//! - `monitors`: per (dyad, instrument id, version), the last session number and the monitor's
//!   snapshot.
//!
//! # Writing
//! Every post goes through one writer thread that owns the one read-write connection. It takes
//! the posts waiting in its queue (at most `max_batch`), applies each inside a savepoint of
//! one transaction (check for a stored session, restore the monitor, feed it, write the
//! session row, the response records, the reply and the snapshot), commits once, and only
//! then answers each post. So posts are serialized, globally and so for each dyad; each post's
//! rows are written together or not at all; a post is acknowledged only once its transaction
//! is on disk (WAL mode, `synchronous = FULL`); and one fsync covers all the posts of a batch
//! (group commit).
//!
//! # Reading
//! A dyad's course is read by a pool of read-only connections in blocking tasks, inside one
//! read transaction (a consistent snapshot of committed posts, never blocked by the writer:
//! WAL).

use crate::form::Form;
use crate::reply::{Reply, Scores};
use crate::series::{self, Entry};
use alliance::{Date, Instrument, InstrumentRef, Rater, Registry, Response, ResponseRecord, Score};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// The schema version this build writes (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 1;

/// The schema, created on first start.
const SCHEMA: &str = "
CREATE TABLE sessions (
    dyad       TEXT    NOT NULL,
    instrument TEXT    NOT NULL,
    version    TEXT    NOT NULL,
    session    INTEGER NOT NULL,
    key_hash   TEXT    NOT NULL,
    date       TEXT,
    form       TEXT    NOT NULL,
    reply      TEXT    NOT NULL,
    PRIMARY KEY (dyad, instrument, version, session)
) WITHOUT ROWID;
CREATE TABLE responses (
    dyad       TEXT    NOT NULL,
    instrument TEXT    NOT NULL,
    version    TEXT    NOT NULL,
    session    INTEGER NOT NULL,
    rater      TEXT    NOT NULL,
    record     TEXT    NOT NULL,
    PRIMARY KEY (dyad, instrument, version, session, rater),
    FOREIGN KEY (dyad, instrument, version, session)
        REFERENCES sessions (dyad, instrument, version, session)
) WITHOUT ROWID;
CREATE TABLE monitors (
    dyad         TEXT    NOT NULL,
    instrument   TEXT    NOT NULL,
    version      TEXT    NOT NULL,
    last_session INTEGER NOT NULL,
    snapshot     TEXT    NOT NULL,
    PRIMARY KEY (dyad, instrument, version)
) WITHOUT ROWID;
";

/// Idle read connections kept for the next read.
const IDLE_READERS: usize = 8;

/// Posts that may wait for the writer before a handler waits to queue its own.
const QUEUE: usize = 1024;

/// A failure of the storage (not of the input): the request gets a 500, nothing is stored.
#[derive(Debug)]
pub enum StoreError {
    /// `SQLite` refused.
    Sqlite(rusqlite::Error),
    /// A stored JSON text could not be written or read.
    Json(serde_json::Error),
    /// The library refused data the service stored (a damaged database).
    Library(alliance::Error),
    /// The database was made by another version of the service.
    Schema(i64),
    /// The batch's commit failed (the cause was written to standard error).
    Commit(String),
    /// The writer thread could not be started, or has stopped.
    Closed,
    /// Storing the post panicked (a bug); the post was rolled back.
    Panicked,
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Sqlite(e) => write!(f, "SQLite: {e}"),
            StoreError::Json(e) => write!(f, "stored JSON: {e}"),
            StoreError::Library(e) => write!(f, "stored data refused by the library: {e}"),
            StoreError::Schema(v) => write!(
                f,
                "the database has schema version {v}; this service reads version {SCHEMA_VERSION}"
            ),
            StoreError::Commit(e) => write!(f, "commit failed: {e}"),
            StoreError::Closed => f.write_str("the writer thread has stopped"),
            StoreError::Panicked => f.write_str("storing the post panicked; it was rolled back"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sqlite(e)
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Json(e)
    }
}

impl From<alliance::Error> for StoreError {
    fn from(e: alliance::Error) -> Self {
        StoreError::Library(e)
    }
}

/// A checked and scored form, ready to store.
#[derive(Debug, Clone)]
pub struct Post {
    /// The dyad's id.
    pub dyad: String,
    /// The form.
    pub form: Form,
    /// Its canonical text ([`Form::canonical`]).
    pub canonical: String,
    /// The client's response and its score.
    pub client: (Response, Score),
    /// The therapist's, if given.
    pub therapist: Option<(Response, Score)>,
}

/// What became of a post.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Stored; the reply.
    Created(String),
    /// The same form was stored before; its reply, as sent then.
    Repeated(String),
    /// Another form is stored for this session.
    Conflict,
    /// The session number is not after the last one stored for the series.
    OutOfOrder {
        /// The last session number stored.
        last: u32,
    },
    /// The monitor refused the session (its date is before the last dated session's).
    Refused(alliance::Error),
}

/// One post waiting for the writer.
#[derive(Debug)]
struct Job {
    post: Post,
    done: oneshot::Sender<Result<Outcome, StoreError>>,
}

/// The database: a queue to the writer thread and a pool of readers.
#[derive(Debug, Clone)]
pub struct Store {
    jobs: mpsc::Sender<Job>,
    readers: Arc<Readers>,
}

impl Store {
    /// Opens (or creates) the database at `path` and starts the writer thread, which stops once
    /// every clone of the store is dropped; join its handle to wait for it.
    ///
    /// # Errors
    /// [`StoreError::Sqlite`] when the file cannot be opened or written,
    /// [`StoreError::Schema`] when it was made by another schema version,
    /// [`StoreError::Closed`] when the thread cannot be started.
    pub fn open(
        path: &Path,
        registry: Arc<Registry>,
        max_batch: usize,
    ) -> Result<(Store, std::thread::JoinHandle<()>), StoreError> {
        let conn = connect(path)?;
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Commit(format!(
                "the database refused WAL mode (journal mode {mode})"
            )));
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        migrate(&conn)?;
        let (jobs, queue) = mpsc::channel(QUEUE);
        let writer = Writer {
            conn,
            registry,
            max_batch: max_batch.max(1),
        };
        let handle = std::thread::Builder::new()
            .name("alliance-writer".into())
            .spawn(move || writer.run(queue))
            .map_err(|_| StoreError::Closed)?;
        let readers = Arc::new(Readers {
            path: path.to_owned(),
            idle: Mutex::new(Vec::new()),
        });
        Ok((Store { jobs, readers }, handle))
    }

    /// Stores a post (or finds it stored); answers once its transaction is committed.
    ///
    /// # Errors
    /// A [`StoreError`] when it could not be stored; nothing of it was then committed, unless
    /// the commit succeeded and only the answer was lost (a repeated post then finds it).
    pub async fn post(&self, post: Post) -> Result<Outcome, StoreError> {
        let (done, answer) = oneshot::channel();
        self.jobs
            .send(Job { post, done })
            .await
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Runs `read` on a read connection inside one read transaction, in a blocking task.
    ///
    /// # Errors
    /// What `read` returns, or [`StoreError::Sqlite`] when no connection can be opened.
    pub async fn read<T, F>(&self, read: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let readers = Arc::clone(&self.readers);
        tokio::task::spawn_blocking(move || readers.with(read))
            .await
            .map_err(|_| StoreError::Closed)?
    }
}

/// A connection with the settings every connection uses.
fn connect(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(30))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// Creates the schema in a new database; checks its version in an old one.
fn migrate(conn: &Connection) -> Result<(), StoreError> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    match version {
        0 => {
            conn.execute_batch(&format!(
                "BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            ))?;
            Ok(())
        }
        SCHEMA_VERSION => Ok(()),
        other => Err(StoreError::Schema(other)),
    }
}

/// The writer thread's state.
struct Writer {
    conn: Connection,
    registry: Arc<Registry>,
    max_batch: usize,
}

impl Writer {
    /// Takes batches of posts until every sender is gone.
    fn run(mut self, mut queue: mpsc::Receiver<Job>) {
        while let Some(first) = queue.blocking_recv() {
            let mut batch = vec![first];
            while batch.len() < self.max_batch {
                match queue.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            self.commit(batch);
        }
    }

    /// Applies a batch in one transaction and answers each post after the commit.
    fn commit(&mut self, batch: Vec<Job>) {
        let posts: Vec<&Post> = batch.iter().map(|j| &j.post).collect();
        match self.apply_batch(&posts) {
            Ok(outcomes) => {
                for (job, outcome) in batch.into_iter().zip(outcomes) {
                    // The client may have gone; its post stays stored.
                    let _ = job.done.send(outcome);
                }
            }
            Err(e) => {
                eprintln!("a batch of {} posts was not stored: {e}", batch.len());
                for job in batch {
                    let _ = job.done.send(Err(StoreError::Commit(e.to_string())));
                }
            }
        }
    }

    /// Each post in a savepoint of one transaction: a post that fails leaves no trace and does
    /// not stop the others.
    fn apply_batch(
        &mut self,
        posts: &[&Post],
    ) -> Result<Vec<Result<Outcome, StoreError>>, StoreError> {
        let mut tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut outcomes = Vec::with_capacity(posts.len());
        for post in posts {
            let savepoint = tx.savepoint()?;
            // A panic is a bug of ours or the library's: it costs this post (a 500), not the
            // writer thread and every post after it.
            let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
                apply(&savepoint, &self.registry, post)
            }))
            .unwrap_or(Err(StoreError::Panicked));
            if let Ok(Outcome::Created(_)) = outcome {
                savepoint.commit()?;
            } // otherwise dropped: rolled back
            outcomes.push(outcome);
        }
        tx.commit()?;
        Ok(outcomes)
    }
}

/// Stores one post, or tells why not.
fn apply(conn: &Connection, registry: &Registry, post: &Post) -> Result<Outcome, StoreError> {
    let instrument = &post.form.instrument;
    let key = (
        post.dyad.as_str(),
        instrument.id(),
        instrument.version(),
        post.form.session,
    );
    let stored: Option<(String, String)> = conn
        .query_row(
            "SELECT form, reply FROM sessions
             WHERE dyad = ?1 AND instrument = ?2 AND version = ?3 AND session = ?4",
            params![key.0, key.1, key.2, key.3],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    if let Some((form, reply)) = stored {
        return Ok(if form == post.canonical {
            Outcome::Repeated(reply)
        } else {
            Outcome::Conflict
        });
    }
    let monitor_row: Option<(u32, String)> = conn
        .query_row(
            "SELECT last_session, snapshot FROM monitors
             WHERE dyad = ?1 AND instrument = ?2 AND version = ?3",
            params![key.0, key.1, key.2],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let mut monitor = match monitor_row {
        Some((last, _)) if post.form.session <= last => return Ok(Outcome::OutOfOrder { last }),
        Some((_, snapshot)) => match series::restore(instrument, &snapshot) {
            Ok(monitor) => monitor,
            Err(e) => {
                eprintln!(
                    "monitor of {} on {} {} rebuilt from its sessions: {e}",
                    key.0, key.1, key.2
                );
                rebuild(conn, registry, &post.dyad, instrument)?
            }
        },
        None => series::fresh(instrument)?,
    };
    let entry = Entry {
        session: post.form.session,
        date: post.form.date,
        client: post.client.1.clone(),
        therapist: post.therapist.as_ref().map(|t| t.1.clone()),
    };
    let report = match series::feed(&mut monitor, &entry) {
        Ok(report) => report,
        Err(e) if matches!(e.code(), "dates_out_of_order" | "not_increasing") => {
            return Ok(Outcome::Refused(e));
        }
        Err(e) => return Err(e.into()),
    };
    let scores = Scores {
        client: &entry.client,
        therapist: entry.therapist.as_ref(),
    };
    let reply = serde_json::to_string(&Reply::new(
        &post.dyad,
        post.form.session,
        post.form.date,
        instrument,
        scores,
        &report,
    ))?;
    conn.execute(
        "INSERT INTO sessions (dyad, instrument, version, session, key_hash, date, form, reply)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            key.0,
            key.1,
            key.2,
            key.3,
            instrument.key_hash(),
            post.form.date.map(|d| d.to_string()),
            post.canonical,
            reply
        ],
    )?;
    let responses = std::iter::once(&post.client.0).chain(post.therapist.as_ref().map(|t| &t.0));
    for response in responses {
        conn.execute(
            "INSERT INTO responses (dyad, instrument, version, session, rater, record)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                key.0,
                key.1,
                key.2,
                key.3,
                response.rater().label(),
                serde_json::to_string(&response.record())?
            ],
        )?;
    }
    conn.execute(
        "INSERT INTO monitors (dyad, instrument, version, last_session, snapshot)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (dyad, instrument, version)
         DO UPDATE SET last_session = excluded.last_session, snapshot = excluded.snapshot",
        params![
            key.0,
            key.1,
            key.2,
            key.3,
            serde_json::to_string(&monitor.snapshot())?
        ],
    )?;
    Ok(Outcome::Created(reply))
}

/// The monitor of a series rebuilt from its stored sessions (when its snapshot was made under
/// another configuration or is damaged).
fn rebuild(
    conn: &Connection,
    registry: &Registry,
    dyad: &str,
    instrument: &Instrument,
) -> Result<series::SeriesMonitor, StoreError> {
    let sessions = load(conn, dyad, Some(instrument))?;
    let entries = sessions
        .iter()
        .map(|s| s.entry(registry).map(|(_, e)| e))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(series::replay(instrument, &entries)?.0)
}

/// One stored session of a series, as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSession {
    /// The instrument, by reference.
    pub instrument: InstrumentRef,
    /// The session number.
    pub session: u32,
    /// Its date, if given.
    pub date: Option<Date>,
    /// The client's response record.
    pub client: ResponseRecord,
    /// The therapist's, if given.
    pub therapist: Option<ResponseRecord>,
}

impl StoredSession {
    /// The session's instrument and scored entry, its records resolved in `registry` (which
    /// checks their key hash).
    ///
    /// # Errors
    /// The library's error when a record names an unknown instrument or another key.
    pub fn entry(&self, registry: &Registry) -> Result<(Instrument, Entry), alliance::Error> {
        let client = registry.response(&self.client)?;
        let therapist = match &self.therapist {
            Some(record) => Some(alliance::score(&registry.response(record)?)?),
            None => None,
        };
        let entry = Entry {
            session: self.session,
            date: self.date,
            client: alliance::score(&client)?,
            therapist,
        };
        Ok((client.instrument().clone(), entry))
    }
}

/// The stored sessions of a dyad (of one instrument's series when given), ordered by
/// instrument id, version and session number.
///
/// # Errors
/// [`StoreError`] when the database cannot be read or holds a record that does not parse.
pub fn load(
    conn: &Connection,
    dyad: &str,
    only: Option<&Instrument>,
) -> Result<Vec<StoredSession>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT s.instrument, s.version, s.key_hash, s.session, s.date, r.rater, r.record
         FROM sessions s JOIN responses r
           ON r.dyad = s.dyad AND r.instrument = s.instrument
          AND r.version = s.version AND r.session = s.session
         WHERE s.dyad = ?1 AND (?2 IS NULL OR (s.instrument = ?2 AND s.version = ?3))
         ORDER BY s.instrument, s.version, s.session, r.rater",
    )?;
    let rows = statement.query_map(
        params![
            dyad,
            only.map(Instrument::id),
            only.map(Instrument::version)
        ],
        |row| {
            Ok((
                InstrumentRef {
                    id: row.get(0)?,
                    version: row.get(1)?,
                    key_hash: row.get(2)?,
                },
                row.get::<_, u32>(3)?,
                row.get::<_, Option<String>>(4)?,
                row.get::<_, String>(5)?,
                row.get::<_, String>(6)?,
            ))
        },
    )?;
    let mut sessions: Vec<StoredSession> = Vec::new();
    for row in rows {
        let (instrument, session, date, rater, record) = row?;
        let record: ResponseRecord = serde_json::from_str(&record)?;
        let same = sessions
            .last()
            .is_some_and(|s| s.instrument == instrument && s.session == session);
        match (same, record.rater) {
            (true, Rater::Therapist) => {
                if let Some(last) = sessions.last_mut() {
                    last.therapist = Some(record);
                }
            }
            (false, Rater::Client) => {
                let date = date
                    .map(|d| d.parse::<Date>())
                    .transpose()
                    .map_err(StoreError::Library)?;
                sessions.push(StoredSession {
                    instrument,
                    session,
                    date,
                    client: record,
                    therapist: None,
                });
            }
            _ => {
                return Err(StoreError::Library(alliance::Error::Unrecognized {
                    what: "stored rater",
                    value: rater,
                    expected: "one client response and at most one therapist response",
                }));
            }
        }
    }
    Ok(sessions)
}

/// Read connections, kept for reuse.
#[derive(Debug)]
struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl Readers {
    /// Runs `read` inside a read transaction on an idle (or new) connection.
    fn with<T>(
        &self,
        read: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let conn = match idle {
            Some(conn) => conn,
            None => {
                let conn = connect(&self.path)?;
                conn.pragma_update(None, "query_only", "ON")?;
                conn
            }
        };
        let result = {
            let tx = conn.unchecked_transaction()?;
            let result = read(&tx);
            tx.finish()?;
            result
        };
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < IDLE_READERS {
            idle.push(conn);
        }
        result
    }
}
