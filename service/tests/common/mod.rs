//! What the service's tests share: the real binary started on a loopback port with a
//! temporary database, a small HTTP client, and the bundled sample as forms.

#![allow(dead_code)]

pub mod http;

use alliance::{Rater, Response, sample};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};

/// The server binary, started by a test.
#[derive(Debug)]
pub struct Server {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its database file.
    pub db: PathBuf,
    /// Kept open so that the server's standard output stays connected.
    _stdout: BufReader<ChildStdout>,
}

impl Server {
    /// Starts the server on 127.0.0.1, port 0, with the database at `db`; returns once it
    /// listens (it prints `listening on http://ADDR`).
    pub fn start(db: &Path) -> Server {
        Server::start_with(db, &[])
    }

    /// As [`Server::start`], with more arguments.
    pub fn start_with(db: &Path, args: &[&str]) -> Server {
        let stderr = if std::env::var_os("ALLIANCE_SERVICE_TEST_LOG").is_some() {
            Stdio::inherit()
        } else {
            Stdio::null()
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_alliance-service"))
            .args(["--addr", "127.0.0.1:0", "--db"])
            .arg(db)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("the server binary starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut line = String::new();
        stdout
            .read_line(&mut line)
            .expect("the server prints a line");
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("not a listening line: {line:?}"));
        Server {
            child,
            addr,
            db: db.to_owned(),
            _stdout: stdout,
        }
    }

    /// A client of this server.
    pub fn client(&self) -> http::Client {
        http::Client::new(self.addr)
    }

    /// SIGKILL, and wait for the process to be gone.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// One form of the bundled sample, ready to post.
#[derive(Debug, Clone)]
pub struct SamplePost {
    /// `C02-T02`.
    pub dyad: String,
    /// The instrument's id.
    pub instrument: String,
    /// The session number.
    pub session: u32,
    /// The form's JSON.
    pub body: String,
    /// The client's response.
    pub client: Response,
    /// The therapist's, if any.
    pub therapist: Option<Response>,
}

impl SamplePost {
    /// The path to post it to.
    pub fn path(&self) -> String {
        format!("/dyads/{}/sessions", self.dyad)
    }
}

/// The instruments of the sample, in the order they are posted within a session.
pub const SAMPLE_INSTRUMENTS: [&str; 3] = ["VAS-4", "WAI-SR", "HAq-II"];

/// Every form of the bundled caseload: course by course, session by session, instrument by
/// instrument (client and, where the sample has one, therapist).
pub fn sample_posts() -> Vec<SamplePost> {
    let mut posts = Vec::new();
    for course in sample::caseload().expect("the sample loads") {
        let dyad = format!("{}-{}", course.client(), course.therapist());
        for session in course.sessions() {
            for id in SAMPLE_INSTRUMENTS {
                let Some(client) = session.response(Rater::Client, id) else {
                    continue;
                };
                let therapist = session.response(Rater::Therapist, id).cloned();
                let body = serde_json::json!({
                    "session": session.number(),
                    "date": session.date().map(|d| d.to_string()),
                    "instrument": id,
                    "client": client.answers(),
                    "therapist": therapist.as_ref().map(|t| t.answers().to_vec()),
                });
                posts.push(SamplePost {
                    dyad: dyad.clone(),
                    instrument: id.to_owned(),
                    session: session.number(),
                    body: body.to_string(),
                    client: client.clone(),
                    therapist,
                });
            }
        }
    }
    posts
}

/// A VAS-4 form for `session` with answers that vary with `seed`.
pub fn vas_form(session: u32, seed: u32) -> String {
    let x = |k: u32| f64::from((seed * 7 + k * 13 + session * 3) % 40) / 10.0 + 6.0;
    serde_json::json!({
        "session": session,
        "instrument": "VAS-4",
        "client": [x(1), x(2), x(3), x(4)],
        "therapist": [x(5), x(6), x(7), x(8)],
    })
    .to_string()
}

/// Rows of `table` for `dyad`, read from the database file directly (the server may run: WAL).
pub fn count_rows(db: &Path, table: &str, dyad: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("the database opens");
    conn.query_row(
        &format!("SELECT COUNT(*) FROM {table} WHERE dyad = ?1"),
        [dyad],
        |row| row.get(0),
    )
    .expect("the table is readable")
}

/// Checks `doc` against the library's committed JSON Schema `name` (`schema/<name>.schema.json`),
/// naming every complaint.
pub fn assert_schema(name: &str, doc: &serde_json::Value) {
    let entry = alliance_schema::all()
        .into_iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no schema {name}"));
    let validator = jsonschema::validator_for(entry.schema.as_value()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:?}\nin {doc}");
}

/// The reply bodies an uninterrupted server on a fresh database gives `posts`, in order: what
/// every test of restarts and repeats compares with.
pub fn uninterrupted_replies(posts: &[SamplePost]) -> Vec<Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("service.db"));
    let mut client = server.client();
    posts
        .iter()
        .map(|p| client.post(&p.path(), p.body.as_bytes()).unwrap().body)
        .collect()
}

/// Posts each of `posts` in order, each acknowledged as stored (201).
pub fn post_all_new(client: &mut http::Client, posts: &[SamplePost]) {
    for post in posts {
        let reply = client.post(&post.path(), post.body.as_bytes()).unwrap();
        assert_eq!(reply.status, 201, "{}", reply.text());
    }
}
