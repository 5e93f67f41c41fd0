//! A bounded load test of the service: starts the server in process on a loopback port with a
//! temporary database, posts sessions from concurrent clients, reads every course once, stops
//! the server and prints throughput and latency.
//!
//! ```text
//! cargo run --release -p alliance-service --example load -- [--clients 8] [--dyads 100]
//!     [--sessions 10000] [--max-batch 64] [--max-seconds 600] [--db NEW-PATH]
//! ```
//!
//! Each dyad gets `sessions / dyads` VAS-4 sessions (client and therapist answers, with a dip
//! now and then so that the monitor raises alerts); dyad `d` belongs to client `d % clients`,
//! which posts its dyads' sessions in order, one request at a time on a kept-alive
//! connection. Every post must be acknowledged with 201; the run stops by itself when all are
//! posted or after `--max-seconds`, and exits non-zero on any failure.

#[path = "../tests/common/http.rs"]
mod http;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The sizes of a run.
#[derive(Debug, Clone)]
struct Options {
    clients: usize,
    dyads: usize,
    sessions: usize,
    max_batch: usize,
    max_seconds: u64,
    db: Option<PathBuf>,
}

fn parse() -> Result<Options, String> {
    let mut o = Options {
        clients: 8,
        dyads: 100,
        sessions: 10_000,
        max_batch: 64,
        max_seconds: 600,
        db: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            return Err(
                "usage: load [--clients N] [--dyads N] [--sessions N] [--max-batch N] \
                        [--max-seconds N] [--db PATH]"
                    .into(),
            );
        }
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<usize>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or(format!("{flag} {value}: not a whole number above 0"))
        };
        match flag.as_str() {
            "--clients" => o.clients = number()?,
            "--dyads" => o.dyads = number()?,
            "--sessions" => o.sessions = number()?,
            "--max-batch" => o.max_batch = number()?,
            "--max-seconds" => o.max_seconds = number()? as u64,
            "--db" => o.db = Some(PathBuf::from(&value)),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(o)
}

/// A VAS-4 form: answers around 8.5 that drift by dyad, with a dip every 9th session.
fn form(dyad: usize, session: usize) -> String {
    let mut state = ((dyad as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (session as u64 + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9))
        | 1;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 21) as f64 / 10.0 // 0.0 to 2.0
    };
    let dip = if session.is_multiple_of(9) { 2.5 } else { 0.0 };
    let answer = |x: f64| ((7.5 + x - dip) * 10.0).round().clamp(0.0, 100.0) / 10.0;
    let client: Vec<f64> = (0..4).map(|_| answer(next())).collect();
    let therapist: Vec<f64> = (0..4).map(|_| answer(next())).collect();
    serde_json::json!({
        "session": session,
        "instrument": "VAS-4",
        "client": client,
        "therapist": therapist,
    })
    .to_string()
}

/// The `q` quantile (nearest rank) of sorted latencies.
fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// What one client did.
#[derive(Debug, Default)]
struct Tally {
    latencies: Vec<Duration>,
    failures: Vec<String>,
}

/// Posts the sessions of the dyads of client `c` in order until done or `deadline`.
fn run_client(addr: SocketAddr, c: usize, o: &Options, deadline: Instant) -> Tally {
    let mut client = http::Client::new(addr);
    let mut tally = Tally::default();
    let dyads: Vec<usize> = (c..o.dyads).step_by(o.clients).collect();
    let per_dyad = |d: usize| o.sessions / o.dyads + usize::from(d < o.sessions % o.dyads);
    let most = dyads.iter().map(|&d| per_dyad(d)).max().unwrap_or(0);
    for session in 1..=most {
        for &d in dyads.iter().filter(|&&d| session <= per_dyad(d)) {
            if Instant::now() > deadline {
                tally.failures.push("stopped at the deadline".into());
                return tally;
            }
            let body = form(d, session);
            let start = Instant::now();
            let reply = client.post(&format!("/dyads/load-{d}/sessions"), body.as_bytes());
            tally.latencies.push(start.elapsed());
            match reply {
                Ok(r) if r.status == 201 => {}
                Ok(r) => tally.failures.push(format!(
                    "dyad {d} session {session}: {} {}",
                    r.status,
                    r.text()
                )),
                Err(e) => tally
                    .failures
                    .push(format!("dyad {d} session {session}: {e}")),
            }
        }
    }
    tally
}

fn main() -> ExitCode {
    let o = match parse() {
        Ok(o) => o,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("no temporary directory: {e}");
            return ExitCode::FAILURE;
        }
    };
    let db = o.db.clone().unwrap_or_else(|| dir.path().join("load.db"));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("no runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let service = match alliance_service::Service::open(&db, o.max_batch) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot open {}: {e}", db.display());
            return ExitCode::FAILURE;
        }
    };
    let listener = match runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen: {e}");
            return ExitCode::FAILURE;
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("no address: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = runtime.spawn(service.serve(listener, async {
        let _ = stopped.await;
    }));
    println!(
        "load: {} sessions, {} dyads, {} clients, max batch {}, server on {addr}",
        o.sessions, o.dyads, o.clients, o.max_batch
    );

    let deadline = Instant::now() + Duration::from_secs(o.max_seconds);
    let start = Instant::now();
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..o.clients)
            .map(|c| {
                let o = &o;
                scope.spawn(move || run_client(addr, c, o, deadline))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| Tally {
                    latencies: Vec::new(),
                    failures: vec!["a client thread panicked".into()],
                })
            })
            .collect()
    });
    let elapsed = start.elapsed();
    let mut latencies: Vec<Duration> = tallies.iter().flat_map(|t| t.latencies.clone()).collect();
    let failures: Vec<&String> = tallies.iter().flat_map(|t| &t.failures).collect();
    latencies.sort_unstable();
    let posts = latencies.len();
    println!(
        "posts: {posts} in {:.2} s = {:.0} requests/s; latency p50 {}, p99 {}, max {}",
        elapsed.as_secs_f64(),
        posts as f64 / elapsed.as_secs_f64(),
        ms(quantile(&latencies, 0.50)),
        ms(quantile(&latencies, 0.99)),
        ms(latencies.last().copied().unwrap_or_default()),
    );

    // every course once, from one client
    let mut reads = Vec::with_capacity(o.dyads);
    let mut client = http::Client::new(addr);
    let read_start = Instant::now();
    let mut read_failures = Vec::new();
    for d in 0..o.dyads {
        let t = Instant::now();
        match client.get(&format!("/dyads/load-{d}")) {
            Ok(r) if r.status == 200 => {}
            Ok(r) => read_failures.push(format!("course of dyad {d}: status {}", r.status)),
            Err(e) => read_failures.push(format!("course of dyad {d}: {e}")),
        }
        reads.push(t.elapsed());
    }
    let read_elapsed = read_start.elapsed();
    reads.sort_unstable();
    println!(
        "course reads: {} in {:.2} s = {:.0} requests/s; latency p50 {}, p99 {}, max {}",
        reads.len(),
        read_elapsed.as_secs_f64(),
        reads.len() as f64 / read_elapsed.as_secs_f64(),
        ms(quantile(&reads, 0.50)),
        ms(quantile(&reads, 0.99)),
        ms(reads.last().copied().unwrap_or_default()),
    );

    let _ = stop.send(());
    let served = runtime.block_on(server);
    let mut ok = failures.is_empty() && read_failures.is_empty();
    for f in failures.iter().take(10) {
        eprintln!("failed: {f}");
    }
    for f in read_failures.iter().take(10) {
        eprintln!("failed: {f}");
    }
    match served {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            eprintln!("server: {e}");
            ok = false;
        }
        Err(e) => {
            eprintln!("server task: {e}");
            ok = false;
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        eprintln!("{} posts failed", failures.len());
        ExitCode::FAILURE
    }
}
