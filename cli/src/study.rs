//! Reading a whole study: every usable response, grouped into one course per dyad, with the
//! rejected rows accounted for.

use crate::Failure;
use crate::input::{InputArgs, Reader, Reject, Row};
use crate::instruments::Instruments;
use crate::output::Rejects;
use alliance::{Course, Session};
use std::collections::BTreeMap;

/// The rows of a run: how many were read, used and rejected.
#[derive(Debug)]
pub struct Tally {
    file: String,
    read: u64,
    used: u64,
    rejects: Rejects,
    /// Rows used and not yet counted on the progress bar.
    shown: u64,
    /// Rows seen so far, shown on standard error when it is a terminal (hidden otherwise).
    progress: indicatif::ProgressBar,
}

impl Tally {
    /// Opens the input and the rejects file.
    ///
    /// # Errors
    /// A usage failure when the input cannot be opened.
    pub fn open(args: &InputArgs) -> Result<(Reader, Tally), Failure> {
        let known = Instruments::load(args.instruments.as_deref())?;
        let reader = Reader::open(args, known)?;
        let tally = Tally::new(args, &reader);
        Ok((reader, tally))
    }

    /// Opens the input for reading in chunks (see [`Reader::open_split`]) and the rejects file.
    ///
    /// # Errors
    /// A usage failure when the input cannot be opened.
    pub fn open_split(
        args: &InputArgs,
    ) -> Result<(Reader, Box<dyn std::io::Read + Send>, Tally), Failure> {
        let known = Instruments::load(args.instruments.as_deref())?;
        let (reader, rest) = Reader::open_split(args, known)?;
        let tally = Tally::new(args, &reader);
        Ok((reader, rest, tally))
    }

    fn new(args: &InputArgs, reader: &Reader) -> Tally {
        Tally {
            file: reader.file().to_owned(),
            read: 0,
            used: 0,
            rejects: Rejects::new(args.rejects.clone(), args.strict),
            shown: 0,
            progress: progress(),
        }
    }

    /// Counts a response's rows as used.
    pub fn used(&mut self, rows: u64) {
        self.used += rows;
        self.shown += rows;
        // the bar is redrawn ten times a second at most: no need to tell it every row
        if self.shown >= 4096 {
            self.progress.inc(self.shown);
            self.shown = 0;
        }
    }

    /// Records rejected rows.
    ///
    /// # Errors
    /// With `--strict`, the first reject stops the run.
    pub fn reject(&mut self, rejects: &[Reject]) -> Result<(), Failure> {
        self.progress.inc(rejects.len() as u64);
        self.rejects.add(rejects).map_err(Failure::Data)
    }

    /// Moves rows counted as used to rejected (a session or course refused as a whole).
    ///
    /// # Errors
    /// As [`Tally::reject`].
    pub fn unuse(&mut self, rows: u64, reject: &Reject) -> Result<(), Failure> {
        self.used -= rows;
        self.rejects.add_rows(reject, rows).map_err(Failure::Data)
    }

    /// Ends the run: prints the counts on standard error, and checks that every row read was
    /// used or rejected.
    ///
    /// # Errors
    /// A data failure when no row could be used.
    pub fn finish(mut self, rows_read: u64, what: &str) -> Result<(), Failure> {
        self.progress.finish_and_clear();
        self.read = rows_read;
        let rejected = self.rejects.count;
        let path = self.rejects.finish()?;
        let mut line = format!(
            "{}: {} rows read, {} {what}, {} rejected",
            self.file, self.read, self.used, rejected
        );
        if let Some(p) = path {
            line.push_str(&format!(" (see {})", p.display()));
        }
        eprintln!("{line}");
        if self.used + rejected != self.read {
            return Err(Failure::Data(format!(
                "internal error: {} rows read but {} used and {} rejected; please report this",
                self.read, self.used, rejected
            )));
        }
        if self.used == 0 && self.read > 0 {
            return Err(Failure::Data(
                "no row could be used; see the rejects".into(),
            ));
        }
        if self.read == 0 {
            return Err(Failure::Data(format!(
                "{} has a header but no rows",
                self.file
            )));
        }
        Ok(())
    }
}

/// A dyad's sessions by number: the session, the rows it holds, its first line.
type Sessions = BTreeMap<u32, (Session, u64, u64)>;

/// A spinner with the rows read and their rate, redrawn at most 10 times a second; indicatif
/// draws nothing when standard error is not a terminal (a pipe, a file, CI).
fn progress() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::with_draw_target(
        None,
        indicatif::ProgressDrawTarget::stderr_with_hz(10),
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} {human_pos} rows ({per_sec}) {elapsed}")
    {
        bar.set_style(style);
    }
    bar
}

/// One dyad's course, and the rows it was read from.
#[derive(Debug)]
pub struct Dyad {
    /// The course (sessions in order).
    pub course: Course,
}

/// Reads every response and groups it into courses, one per client-therapist dyad, in the
/// order the dyads first appear.
///
/// # Errors
/// Usage failures from opening the input; with `--strict`, the first bad row.
pub fn read(args: &InputArgs) -> Result<(Vec<Dyad>, Tally, u64), Failure> {
    let (reader, mut tally) = Tally::open(args)?;
    let mut reader = reader;
    // dyad -> session number -> (session, rows, first line)
    let mut dyads: BTreeMap<(String, String), (usize, Sessions)> = BTreeMap::new();
    for item in reader.by_ref() {
        let row: Row = match item {
            Ok(row) => row,
            Err(rejects) => {
                tally.reject(&rejects)?;
                continue;
            }
        };
        let order = dyads.len();
        let entry = dyads
            .entry((row.read.client.clone(), row.read.therapist.clone()))
            .or_insert_with(|| (order, BTreeMap::new()));
        let sessions = &mut entry.1;
        let session = match sessions.get_mut(&row.read.session) {
            Some(s) => s,
            None => {
                let s = match Session::new(
                    row.read.client.as_str(),
                    row.read.therapist.as_str(),
                    row.read.session,
                ) {
                    Ok(s) => s,
                    Err(e) => {
                        tally.reject(&[Reject {
                            file: tally.file.clone(),
                            line: row.read.line,
                            column: String::new(),
                            reason: e.to_string(),
                        }])?;
                        continue;
                    }
                };
                let s = match row.read.date {
                    Some(d) => s.with_date(d),
                    None => s,
                };
                sessions
                    .entry(row.read.session)
                    .or_insert((s, 0, row.read.line))
            }
        };
        if session.0.date() != row.read.date {
            tally.reject(&[Reject {
                file: tally.file.clone(),
                line: row.read.line,
                column: String::new(),
                reason: format!(
                    "session {} of client {} is dated {} here but {} at line {}; give a session one date",
                    row.read.session,
                    row.read.client,
                    row.read.date.map_or("nothing".into(), |d| d.to_string()),
                    session.0.date().map_or("nothing".into(), |d| d.to_string()),
                    session.2
                ),
            }])?;
            continue;
        }
        match session.0.add(row.response) {
            Ok(()) => {
                session.1 += row.read.rows;
                tally.used(row.read.rows);
            }
            Err(e) => tally.reject(&[Reject {
                file: tally.file.clone(),
                line: row.read.line,
                column: String::new(),
                reason: e.to_string(),
            }])?,
        }
    }
    let rows_read = reader.rows_read;
    let mut ordered: Vec<_> = dyads.into_iter().collect();
    ordered.sort_by_key(|(_, (order, _))| *order);
    let mut out = Vec::with_capacity(ordered.len());
    for ((client, therapist), (_, sessions)) in ordered {
        let rows: u64 = sessions.values().map(|s| s.1).sum();
        let first = sessions.values().map(|s| s.2).min().unwrap_or(0);
        let list: Vec<Session> = sessions.into_values().map(|s| s.0).collect();
        match Course::from_sessions(client.as_str(), therapist.as_str(), list) {
            Ok(course) => out.push(Dyad { course }),
            Err(e) => {
                let reject = Reject {
                    file: tally.file.clone(),
                    line: first,
                    column: String::new(),
                    reason: format!(
                        "the course of client {client} with therapist {therapist} ({rows} rows, counted once each) is refused: {e}"
                    ),
                };
                tally.unuse(rows, &reject)?;
            }
        }
    }
    Ok((out, tally, rows_read))
}

/// The sample SD (n − 1) of scores, when there are two or more and they vary: the library's
/// `sample_sd`, with "no spread" as `None`.
pub fn sd(xs: &[f64]) -> Option<f64> {
    alliance::trend::sample_sd(xs).ok().filter(|s| *s > 0.0)
}

/// The first instrument client and therapist both answered in one session, in file order.
pub fn shared_instrument(dyads: &[Dyad]) -> Option<alliance::Instrument> {
    dyads
        .iter()
        .flat_map(|d| d.course.sessions())
        .find_map(|s| {
            s.responses()
                .iter()
                .filter(|r| r.rater() == alliance::Rater::Client)
                .find(|r| {
                    s.response(alliance::Rater::Therapist, r.instrument().id())
                        .is_some()
                })
                .map(|r| r.instrument().clone())
        })
}

/// The instrument with this id, as the file's responses use it.
pub fn instrument_named(dyads: &[Dyad], id: &str) -> Option<alliance::Instrument> {
    dyads
        .iter()
        .flat_map(|d| d.course.sessions())
        .flat_map(|s| s.responses())
        .find(|r| r.instrument().id() == id)
        .map(|r| r.instrument().clone())
}
