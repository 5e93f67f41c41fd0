//! `alliance`: a study's CSV in, tidy tables out. See `alliance --help`.

#![forbid(unsafe_code)]

mod commands;
mod input;
mod instruments;
mod output;
mod records;
mod study;
mod svg;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Therapeutic alliance measures from a study's CSV: scores, agreement between client and
/// therapist, internal consistency and trends across sessions, as tidy tables.
///
/// Every command reads one CSV (or the bundled sample with --sample) and writes one tidy
/// table (one observation per row) as CSV or JSON lines. Rows that cannot be used go to a
/// rejects file with their line, column and reason; the run ends with the counts, and rows
/// read = rows used + rows rejected.
///
/// Example:
///   alliance score --sample
///   alliance score study.csv --out scores.csv
///   alliance agreement study.csv --by element
///   alliance report --sample --out-dir report
#[derive(Debug, Parser)]
#[command(name = "alliance", version, about, long_about, verbatim_doc_comment)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Score(commands::score::Args),
    Reliability(commands::reliability::Args),
    Agreement(commands::agreement::Args),
    Trend(commands::trend::Args),
    Report(commands::report::Args),
    Instruments(commands::instruments::Args),
}

/// How a command ended.
pub enum Failure {
    /// The command could not start: wrong flags, a missing column, an unreadable file (2).
    Usage(String),
    /// The data stopped the run: `--strict` and a bad row, or nothing usable (1).
    Data(String),
    /// The reader of the output went away (`alliance score ... | head`): a quiet end.
    Closed,
}

impl From<input::Usage> for Failure {
    fn from(u: input::Usage) -> Failure {
        Failure::Usage(u.0)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Failure {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::Closed
        } else {
            Failure::Data(format!("cannot write the output: {e}"))
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Score(a) => commands::score::run(&a),
        Command::Reliability(a) => commands::reliability::run(&a),
        Command::Agreement(a) => commands::agreement::run(&a),
        Command::Trend(a) => commands::trend::run(&a),
        Command::Report(a) => commands::report::run(&a),
        Command::Instruments(a) => commands::instruments::run(&a),
    };
    match result {
        Ok(()) | Err(Failure::Closed) => ExitCode::SUCCESS,
        Err(Failure::Usage(m)) => {
            eprintln!("error: {m}");
            ExitCode::from(2)
        }
        Err(Failure::Data(m)) => {
            eprintln!("error: {m}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
