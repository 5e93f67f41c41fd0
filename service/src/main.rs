//! `alliance-service`: the alliance reference HTTP service. See `service/README.md`.
//!
//! ```text
//! alliance-service [--addr 127.0.0.1:8080] [--db alliance-service.db] [--max-batch 64]
//! ```
//!
//! Prints `listening on http://ADDR` once it accepts connections (with the real port when
//! given port 0), and stops on Ctrl-C or SIGTERM after the requests in flight.

#![forbid(unsafe_code)]

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// The usage text.
const USAGE: &str = "\
alliance-service: the alliance reference HTTP service

usage: alliance-service [--addr ADDR] [--db PATH] [--max-batch N]

  --addr ADDR      address to listen on (default 127.0.0.1:8080; port 0 picks a free port)
  --db PATH        SQLite database file, created on first start (default alliance-service.db)
  --max-batch N    most posts committed in one transaction (default 64; 1 turns grouping off)
  -h, --help       this text

endpoints: POST /dyads/{id}/sessions, GET /dyads/{id}, GET /instruments";

/// The command line.
#[derive(Debug)]
struct Args {
    addr: SocketAddr,
    db: PathBuf,
    max_batch: usize,
}

/// Reads the arguments; `Ok(None)` when help was asked for.
fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
        db: PathBuf::from("alliance-service.db"),
        max_batch: 64,
    };
    while let Some(flag) = args.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (flag, None),
        };
        if matches!(name.as_str(), "-h" | "--help") {
            return Ok(None);
        }
        let value = inline
            .or_else(|| args.next())
            .ok_or_else(|| format!("{name} needs a value"))?;
        match name.as_str() {
            "--addr" => {
                parsed.addr = value.parse().map_err(|_| {
                    format!("--addr {value}: not an address such as 127.0.0.1:8080")
                })?;
            }
            "--db" => parsed.db = PathBuf::from(value),
            "--max-batch" => {
                parsed.max_batch =
                    value.parse().ok().filter(|&n| n > 0).ok_or_else(|| {
                        format!("--max-batch {value}: not a whole number above 0")
                    })?;
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(Some(parsed))
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("alliance-service: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let service = match alliance_service::Service::open(&args.db, args.max_batch) {
        Ok(service) => service,
        Err(e) => {
            eprintln!("alliance-service: cannot open {}: {e}", args.db.display());
            return ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(args.addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("alliance-service: cannot listen on {}: {e}", args.addr);
            return ExitCode::FAILURE;
        }
    };
    let addr = listener.local_addr().unwrap_or(args.addr);
    // The one line on standard output: tests read the port from it.
    let mut stdout = std::io::stdout();
    if writeln!(stdout, "listening on http://{addr}")
        .and_then(|()| stdout.flush())
        .is_err()
    {
        eprintln!("alliance-service: cannot write to standard output");
    }
    match service.serve(listener, shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("alliance-service: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Result<Option<Args>, String> {
        parse(text.split_whitespace().map(String::from))
    }

    #[test]
    fn defaults_and_flags() {
        let a = args("").unwrap().unwrap();
        assert_eq!(a.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(a.db, PathBuf::from("alliance-service.db"));
        let a = args("--addr 127.0.0.1:0 --db=/tmp/x.db --max-batch 1")
            .unwrap()
            .unwrap();
        assert_eq!((a.addr.port(), a.max_batch), (0, 1));
        assert_eq!(a.db, PathBuf::from("/tmp/x.db"));
        assert!(args("--help").unwrap().is_none());
        assert!(args("--addr nowhere").is_err());
        assert!(args("--db").is_err());
        assert!(args("--max-batch 0").is_err());
        assert!(args("--port 80").is_err());
    }
}
