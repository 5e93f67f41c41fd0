//! Reading a study's responses from CSV: long format (one row per answer) or wide format (one
//! row per response, items as columns or one packed `answers` column), streamed row by row.
//!
//! Every row read is either part of a response handed on, or a [`Reject`] with its file,
//! line, column and the reason in words, so that rows in = rows used + rows rejected.

use crate::instruments::Instruments;
use crate::records::{Record, Records};
use alliance::{Date, Rater, Response};
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Where the input comes from and how its columns are named (the shared input flags).
#[derive(Debug, Clone, clap::Args)]
pub struct InputArgs {
    /// The CSV file to read (comma, semicolon or tab separated; a UTF-8 byte-order mark is
    /// fine). Use `-` for standard input.
    #[arg(value_name = "FILE", required_unless_present = "sample")]
    pub input: Option<PathBuf>,
    /// Use the bundled sample study (3 dyads, 30 sessions) instead of a file.
    #[arg(long, conflicts_with = "input")]
    pub sample: bool,
    /// Layout of the file: `long` (one row per answer, with item and answer columns) or
    /// `wide` (one row per response, items as columns). Default: long when the header has
    /// both an item and an answer column, else wide.
    #[arg(long, value_enum)]
    pub layout: Option<Layout>,
    /// Field delimiter (`,` `;` or `tab`). Default: whichever of the three the header line
    /// uses most.
    #[arg(long, value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// Column of the client id [default: client, client_id, patient].
    #[arg(long, value_name = "NAME")]
    pub client_col: Option<String>,
    /// Column of the therapist id [default: therapist, therapist_id].
    #[arg(long, value_name = "NAME")]
    pub therapist_col: Option<String>,
    /// Column of the session number [default: session, session_number, visit].
    #[arg(long, value_name = "NAME")]
    pub session_col: Option<String>,
    /// Column of the session date, ISO 8601 (YYYY-MM-DD) [default: date, session_date];
    /// optional.
    #[arg(long, value_name = "NAME")]
    pub date_col: Option<String>,
    /// Column of the rater: client, therapist or observer [default: rater, informant].
    #[arg(long, value_name = "NAME")]
    pub rater_col: Option<String>,
    /// Column of the instrument id [default: instrument, measure].
    #[arg(long, value_name = "NAME")]
    pub instrument_col: Option<String>,
    /// Long layout: column of the item number [default: item, item_number].
    #[arg(long, value_name = "NAME")]
    pub item_col: Option<String>,
    /// Long layout: column of the answer [default: answer, value].
    #[arg(long, value_name = "NAME")]
    pub answer_col: Option<String>,
    /// The instrument of every row, when the file has no instrument column (e.g. WAI-SR).
    #[arg(long, value_name = "ID")]
    pub instrument: Option<String>,
    /// The rater of every row, when the file has no rater column.
    #[arg(long, value_enum)]
    pub rater: Option<RaterArg>,
    /// Instruments of your own, as a JSON or TOML file (see `alliance instruments --help`).
    #[arg(long, value_name = "FILE")]
    pub instruments: Option<PathBuf>,
    /// Where rejected rows go (file, line, column, reason) [default: alliance-rejects.csv,
    /// written only when a row is rejected].
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Stop at the first bad row with exit code 1, instead of rejecting it and going on.
    #[arg(long)]
    pub strict: bool,
}

/// The two layouts of a study file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Layout {
    /// One row per answer.
    Long,
    /// One row per response.
    Wide,
}

/// A rater given on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RaterArg {
    /// The client.
    Client,
    /// The therapist.
    Therapist,
    /// An observer.
    Observer,
}

impl From<RaterArg> for Rater {
    fn from(r: RaterArg) -> Rater {
        match r {
            RaterArg::Client => Rater::Client,
            RaterArg::Therapist => Rater::Therapist,
            RaterArg::Observer => Rater::Observer,
        }
    }
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "," | "comma" => Ok(b','),
        ";" | "semicolon" => Ok(b';'),
        "\t" | "tab" | "\\t" => Ok(b'\t'),
        _ => Err(format!("'{s}' is not a delimiter; use , ; or tab")),
    }
}

/// A usage error: the command cannot start (exit code 2), with a message that says the fix.
#[derive(Debug)]
pub struct Usage(pub String);

/// A row that could not be used.
#[derive(Debug, Clone, PartialEq)]
pub struct Reject {
    /// The file it came from.
    pub file: String,
    /// Its line number (1 = the header).
    pub line: u64,
    /// The column at fault, or empty when the whole row is.
    pub column: String,
    /// What was wrong, in words.
    pub reason: String,
}

/// One response read from the file and checked against its instrument's scale and rule.
#[derive(Debug, Clone)]
pub struct Row {
    /// Its ids, answers and the lines it came from.
    pub read: Answered,
    /// The validated response.
    pub response: Response,
}

const CLIENT: &[&str] = &["client", "client_id", "patient", "patient_id"];
const THERAPIST: &[&str] = &["therapist", "therapist_id", "clinician"];
const SESSION: &[&str] = &["session", "session_number", "session_no", "visit"];
const DATE: &[&str] = &["date", "session_date"];
const RATER: &[&str] = &["rater", "informant", "respondent"];
const INSTRUMENT: &[&str] = &["instrument", "measure", "questionnaire"];
const ITEM: &[&str] = &["item", "item_number", "item_no"];
const ANSWER: &[&str] = &["answer", "value", "response"];
const PACKED: &[&str] = &["answers"];

/// Column positions, found from the header.
#[derive(Debug, Clone)]
struct Columns {
    names: Vec<String>,
    client: usize,
    therapist: usize,
    session: usize,
    date: Option<usize>,
    rater: Option<usize>,
    instrument: Option<usize>,
    layout: LayoutColumns,
}

#[derive(Debug, Clone)]
enum LayoutColumns {
    Long {
        item: usize,
        answer: usize,
    },
    /// Item columns as (item number, column); or one packed `a;b;c` column.
    Wide {
        items: Vec<(u16, usize)>,
        packed: Option<usize>,
    },
}

/// The input, opened: a streaming reader of responses.
pub struct Reader {
    origin: Origin,
    records: Records,
    columns: Columns,
    instruments: Instruments,
    /// The position of the instrument given by `--instrument`.
    default_instrument: Option<usize>,
    default_rater: Option<Rater>,
    /// The fields of the last record read.
    fields: Fields,
    /// Long layout: the record read ahead (the first row of the next response).
    ahead: Option<(u64, Fields)>,
    /// The responses of the current dyad's block of rows: (session, rater, instrument).
    /// Cleared when the dyad changes, so memory stays flat on any file: a duplicate is caught
    /// within its dyad's block here, and anywhere by the commands that build courses
    /// (`Session::add` refuses a second response).
    seen: Seen,
    /// The dyad of the current block: client and therapist.
    block: (String, String),
    /// File rows read (the header excluded).
    pub rows_read: u64,
    delimiter: u8,
}

/// The (session, rater, instrument) of the responses of a dyad's block of rows.
pub type Seen = HashSet<(u32, u8, usize), std::hash::BuildHasherDefault<Mix>>;

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader")
            .field("file", &self.origin.file)
            .finish()
    }
}

fn find(
    names: &[String],
    flag: &Option<String>,
    defaults: &[&str],
    what: &str,
) -> Result<Option<usize>, Usage> {
    if let Some(name) = flag {
        return match names.iter().position(|n| n == name) {
            Some(i) => Ok(Some(i)),
            None => Err(Usage(format!(
                "the {what} column '{name}' is not in the file; its header has: {}",
                names.join(", ")
            ))),
        };
    }
    Ok(names
        .iter()
        .position(|n| defaults.iter().any(|d| n.trim().eq_ignore_ascii_case(d))))
}

fn required(
    found: Option<usize>,
    names: &[String],
    what: &str,
    flag: &str,
    defaults: &[&str],
) -> Result<usize, Usage> {
    found.ok_or_else(|| {
        Usage(format!(
            "no {what} column: the header has {}; none is called {}. Name it with {flag} NAME",
            names.join(", "),
            defaults.join(" or ")
        ))
    })
}

/// The item number of a wide column name: `item1`, `item_01`, `q7`, `WAI3`, `12`.
fn item_number(name: &str) -> Option<u16> {
    let digits_from = name
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    let (prefix, digits) = name.split_at(digits_from);
    if digits.is_empty() || digits.len() > 4 {
        return None;
    }
    let prefix_ok = prefix
        .chars()
        .all(|c| c.is_ascii_alphabetic() || c == '_' || c == '-' || c == '.');
    let n: u16 = digits.parse().ok()?;
    (prefix_ok && n >= 1).then_some(n)
}

fn sniff_delimiter(first_line: &[u8]) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for &b in first_line {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, c) in counts.iter_mut() {
                if *d == b {
                    *c += 1;
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|(_, c)| *c)
        .map_or(b',', |(d, c)| if *c == 0 { b',' } else { *d })
}

/// The input opened and its header line read (a byte-order mark dropped).
struct Input {
    file: String,
    head: Vec<u8>,
    delimiter: u8,
}

impl Input {
    /// Opens the input and reads its header line; returns it and the rest of the input.
    fn open(args: &InputArgs) -> Result<(Input, Box<dyn Read + Send>), Usage> {
        let (file, mut bytes): (String, Box<dyn Read + Send>) = if args.sample {
            (
                "sample".into(),
                Box::new(std::io::Cursor::new(
                    alliance::sample::CASELOAD_CSV.as_bytes(),
                )),
            )
        } else {
            let path = args.input.clone().unwrap_or_else(|| PathBuf::from("-"));
            if path == Path::new("-") {
                ("<stdin>".into(), Box::new(std::io::stdin()))
            } else {
                let f = std::fs::File::open(&path).map_err(|e| {
                    Usage(format!(
                        "cannot open {}: {e}; check the path",
                        path.display()
                    ))
                })?;
                (
                    path.display().to_string(),
                    Box::new(std::io::BufReader::with_capacity(1 << 16, f)),
                )
            }
        };
        // Read the header line ourselves: to strip a byte-order mark and sniff the delimiter.
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        loop {
            match bytes.read(&mut byte) {
                Ok(0) => break,
                Ok(_) => {
                    head.push(byte[0]);
                    if byte[0] == b'\n' {
                        break;
                    }
                    if head.len() > 1 << 20 {
                        return Err(Usage(format!(
                            "{file}: the header line is over 1 MB long; is this a CSV file?"
                        )));
                    }
                }
                Err(e) => return Err(Usage(format!("cannot read {file}: {e}"))),
            }
        }
        if head.starts_with(b"\xEF\xBB\xBF") {
            head.drain(..3);
        }
        if head.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(Usage(format!(
                "{file} is empty: it needs a header line and rows"
            )));
        }
        let delimiter = args.delimiter.unwrap_or_else(|| sniff_delimiter(&head));
        Ok((
            Input {
                file,
                head,
                delimiter,
            },
            bytes,
        ))
    }
}

impl Reader {
    /// Opens the input and reads its header.
    ///
    /// # Errors
    /// A [`Usage`] error when the file cannot be opened, is empty, or lacks a column.
    pub fn open(args: &InputArgs, instruments: Instruments) -> Result<Reader, Usage> {
        let (mut reader, rest) = Reader::open_split(args, instruments)?;
        // the header is line 1
        reader.restart(rest, 2);
        Ok(reader)
    }

    /// Opens the input for reading in chunks: a reader that has read the header (and nothing
    /// else), and the rest of the input, to be cut into chunks of whole records and read by
    /// [`Reader::restart`]ed copies of it.
    ///
    /// # Errors
    /// As [`Reader::open`].
    pub fn open_split(
        args: &InputArgs,
        instruments: Instruments,
    ) -> Result<(Reader, Box<dyn Read + Send>), Usage> {
        let (input, rest) = Input::open(args)?;
        let reader = Reader::over(args, instruments, input.file, input.delimiter, &input.head)?;
        Ok((reader, rest))
    }

    /// A reader like this one (columns, instruments, defaults) with nothing to read yet: one
    /// for each thread that reads chunks.
    pub fn fork(&self) -> Reader {
        Reader {
            origin: self.origin.clone(),
            records: Records::new(Box::new(std::io::empty()), self.delimiter, 2),
            columns: self.columns.clone(),
            instruments: self.instruments.clone(),
            default_instrument: self.default_instrument,
            default_rater: self.default_rater,
            fields: Fields::default(),
            ahead: None,
            seen: Seen::default(),
            block: (String::new(), String::new()),
            rows_read: 0,
            delimiter: self.delimiter,
        }
    }

    /// Whether responses span rows (the long layout).
    pub fn is_long(&self) -> bool {
        matches!(self.columns.layout, LayoutColumns::Long { .. })
    }

    /// Reads `chunk`, whole records that begin on line `first_line` of the file, from its
    /// start (its rows counted afresh, the duplicate check started afresh).
    pub fn restart(&mut self, chunk: Box<dyn Read + Send>, first_line: u64) {
        self.records = Records::new(chunk, self.delimiter, first_line);
        self.ahead = None;
        self.seen.clear();
        self.block.0.clear();
        self.block.1.clear();
        self.rows_read = 0;
    }

    /// The duplicate check's state: the dyad of the current block of rows (empty before the
    /// first response) and the (session, rater, instrument) of its responses so far.
    pub fn dyad_block(&self) -> (&(String, String), &Seen) {
        (&self.block, &self.seen)
    }

    /// The field delimiter.
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// The reject of a response whose (session, rater, instrument) its dyad's block of rows
    /// already has.
    pub fn duplicate(&self, a: &Answered) -> Reject {
        self.reject(
            a.line,
            None,
            format!(
                "a second {} {} response for client {} in session {}; keep one",
                a.rater.label(),
                self.instruments.at(a.instrument).id(),
                a.client,
                a.session
            ),
        )
    }

    fn over(
        args: &InputArgs,
        instruments: Instruments,
        file: String,
        delimiter: u8,
        head: &[u8],
    ) -> Result<Reader, Usage> {
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(head);
        let names: Vec<String> = csv
            .byte_headers()
            .map_err(|e| Usage(format!("cannot read the header of {file}: {e}")))?
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_owned())
            .collect();
        let columns = Self::columns(&names, args)?;
        let default_instrument = match &args.instrument {
            Some(id) => Some(instruments.position(id).ok_or_else(|| {
                Usage(format!(
                    "unknown instrument '{id}'; known: {}",
                    instruments.ids().join(", ")
                ))
            })?),
            None => None,
        };
        if columns.instrument.is_none() && default_instrument.is_none() {
            return Err(Usage(format!(
                "{file} has no instrument column; name one with --instrument-col NAME, or give \
                 the instrument of every row with --instrument ID (known: {})",
                instruments.ids().join(", ")
            )));
        }
        if columns.rater.is_none() && args.rater.is_none() {
            return Err(Usage(format!(
                "{file} has no rater column; name one with --rater-col NAME, or give the rater \
                 of every row with --rater client|therapist|observer"
            )));
        }
        Ok(Reader {
            origin: Origin {
                file,
                names: columns.names.clone(),
                items: match &columns.layout {
                    LayoutColumns::Wide { items, .. } => items.clone(),
                    LayoutColumns::Long { .. } => Vec::new(),
                },
            },
            records: Records::new(Box::new(std::io::empty()), delimiter, 2),
            columns,
            instruments,
            default_instrument,
            default_rater: args.rater.map(Rater::from),
            fields: Fields::default(),
            ahead: None,
            seen: HashSet::default(),
            block: (String::new(), String::new()),
            rows_read: 0,
            delimiter,
        })
    }

    fn columns(names: &[String], args: &InputArgs) -> Result<Columns, Usage> {
        let client = find(names, &args.client_col, CLIENT, "client")?;
        let therapist = find(names, &args.therapist_col, THERAPIST, "therapist")?;
        let session = find(names, &args.session_col, SESSION, "session")?;
        let client = required(client, names, "client", "--client-col", CLIENT)?;
        let therapist = required(therapist, names, "therapist", "--therapist-col", THERAPIST)?;
        let session = required(session, names, "session", "--session-col", SESSION)?;
        let date = find(names, &args.date_col, DATE, "date")?;
        let rater = find(names, &args.rater_col, RATER, "rater")?;
        let instrument = find(names, &args.instrument_col, INSTRUMENT, "instrument")?;
        let item = find(names, &args.item_col, ITEM, "item")?;
        let answer = find(names, &args.answer_col, ANSWER, "answer")?;
        let layout = args
            .layout
            .unwrap_or(if item.is_some() && answer.is_some() {
                Layout::Long
            } else {
                Layout::Wide
            });
        let used: Vec<usize> = [
            Some(client),
            Some(therapist),
            Some(session),
            date,
            rater,
            instrument,
        ]
        .into_iter()
        .flatten()
        .collect();
        let layout = match layout {
            Layout::Long => LayoutColumns::Long {
                item: required(item, names, "item", "--item-col", ITEM)?,
                answer: required(answer, names, "answer", "--answer-col", ANSWER)?,
            },
            Layout::Wide => {
                let packed = names
                    .iter()
                    .position(|n| PACKED.iter().any(|p| n.eq_ignore_ascii_case(p)));
                let mut items: Vec<(u16, usize)> = names
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !used.contains(i))
                    .filter_map(|(i, n)| item_number(n).map(|k| (k, i)))
                    .collect();
                items.sort_unstable();
                if let Some(w) = items.windows(2).find(|w| w[0].0 == w[1].0) {
                    return Err(Usage(format!(
                        "columns '{}' and '{}' both read as item {}; rename one",
                        names[w[0].1], names[w[1].1], w[0].0
                    )));
                }
                if items.is_empty() && packed.is_none() {
                    return Err(Usage(format!(
                        "no answers found: the header has {}; a wide file needs item columns \
                         (item1, item2, ... or q1, q2, ...) or an 'answers' column, and a long \
                         file an item and an answer column (--layout long --item-col NAME \
                         --answer-col NAME)",
                        names.join(", ")
                    )));
                }
                LayoutColumns::Wide { items, packed }
            }
        };
        Ok(Columns {
            names: names.to_vec(),
            client,
            therapist,
            session,
            date,
            rater,
            instrument,
            layout,
        })
    }

    /// The name the input goes by in messages and rejects.
    pub fn file(&self) -> &str {
        &self.origin.file
    }

    /// The instruments the reader knows.
    pub fn instruments(&self) -> &Instruments {
        &self.instruments
    }

    fn reject(&self, line: u64, column: Option<usize>, reason: impl Into<String>) -> Reject {
        self.origin.reject(line, column, reason)
    }

    /// Where rows come from, for naming rejects (on another thread too).
    pub fn origin(&self) -> Origin {
        self.origin.clone()
    }

    /// Reads the next raw row into `self.fields`: its line, `None` at the end, `Err` for a
    /// row that is not valid CSV or UTF-8 or has the wrong number of fields.
    fn read_fields(&mut self) -> Option<Result<u64, Reject>> {
        match self.records.read(&mut self.fields.record)? {
            Ok(line) => {
                self.rows_read += 1;
                if let Err(i) = self.fields.check() {
                    return Some(Err(self.reject(
                        line,
                        Some(i),
                        "not valid UTF-8; save the file as UTF-8",
                    )));
                }
                if self.fields.len() != self.columns.names.len() {
                    return Some(Err(self.reject(
                        line,
                        None,
                        format!(
                            "has {} fields but the header has {}; check the delimiter and quoting",
                            self.fields.len(),
                            self.columns.names.len()
                        ),
                    )));
                }
                Some(Ok(line))
            }
            Err(e) => {
                // the rest of the input is lost: one reject says so, on the line reached
                self.rows_read += 1;
                let line = self.records.line();
                Some(Err(self.reject(
                    line,
                    None,
                    format!("could not be read ({e}); the rows after it are not read either"),
                )))
            }
        }
    }

    /// The ids of a row (client, therapist, session, date, rater, instrument), into `into`
    /// (part-filled when the row is refused).
    fn ids(&self, line: u64, f: &Fields, into: &mut Answered) -> Result<(), Reject> {
        let c = &self.columns;
        // a dyad's rows are mostly consecutive: an id as the row before's is not read again
        // (an id as kept is trimmed, so bytes equal to it are the same id trimmed)
        if into.client.is_empty() || f.bytes(c.client) != into.client.as_bytes() {
            let client = f.get(c.client);
            if client.is_empty() {
                return Err(self.reject(line, Some(c.client), "the client id is empty"));
            }
            into.client.clear();
            into.client.push_str(client);
        }
        if into.therapist.is_empty() || f.bytes(c.therapist) != into.therapist.as_bytes() {
            let therapist = f.get(c.therapist);
            if therapist.is_empty() {
                return Err(self.reject(line, Some(c.therapist), "the therapist id is empty"));
            }
            into.therapist.clear();
            into.therapist.push_str(therapist);
        }
        let session: u32 = match whole_number(f.bytes(c.session)) {
            Some(n) => n,
            None => f.get(c.session).parse().map_err(|_| {
                self.reject(
                    line,
                    Some(c.session),
                    format!("session '{}' is not a whole number", f.get(c.session)),
                )
            })?,
        };
        let date = match c.date.map(|i| f.get(i)) {
            None | Some("") | Some("NA") => None,
            Some(d) => Some(parse_date(d).ok_or_else(|| {
                self.reject(
                    line,
                    c.date,
                    format!("date '{d}' is not an ISO 8601 date (YYYY-MM-DD)"),
                )
            })?),
        };
        let rater = match c.rater {
            None => self.default_rater.unwrap_or(Rater::Client),
            // the common cases compared as bytes, the rest parsed as text
            Some(i) => match f.bytes(i) {
                b"client" => Rater::Client,
                b"therapist" => Rater::Therapist,
                _ => f.get(i).parse::<Rater>().map_err(|_| {
                    self.reject(
                        line,
                        c.rater,
                        format!("rater '{}' is not client, therapist or observer", f.get(i)),
                    )
                })?,
            },
        };
        let instrument = match c.instrument {
            None => self
                .default_instrument
                .ok_or_else(|| self.reject(line, None, "no instrument"))?,
            // the previous row's instrument first: a file is mostly of one
            Some(i) => match self
                .instruments
                .position_of_bytes(f.bytes(i), into.instrument)
            {
                Some(p) => p,
                None => {
                    let id = f.get(i);
                    self.instruments.position(id).ok_or_else(|| {
                        self.reject(
                            line,
                            c.instrument,
                            format!(
                                "unknown instrument '{id}'; known: {}",
                                self.instruments.ids().join(", ")
                            ),
                        )
                    })?
                }
            },
        };
        into.line = line;
        into.session = session;
        into.date = date;
        into.rater = rater;
        into.instrument = instrument;
        Ok(())
    }

    /// Refuses a second response with the same session, rater and instrument within a dyad's
    /// block of rows.
    fn check_duplicate(&mut self, a: &Answered) -> Result<(), Reject> {
        if a.client != self.block.0 || a.therapist != self.block.1 {
            self.seen.clear();
            self.block.0.clone_from(&a.client);
            self.block.1.clone_from(&a.therapist);
        }
        if self.seen.insert(a.key()) {
            return Ok(());
        }
        Err(self.duplicate(a))
    }

    /// Reads the next response into `into` (its buffers reused): `None` at the end, `Err`
    /// with the rejected rows (each once). The answers are parsed but not yet checked against
    /// the scale: [`alliance::score_into`] (or `alliance::Response::new`) does that.
    pub fn next_into(&mut self, into: &mut Answered) -> Option<Result<(), Vec<Reject>>> {
        into.further.clear();
        if let LayoutColumns::Long { .. } = self.columns.layout {
            return self.long(into);
        }
        let line = match self.read_fields()? {
            Ok(line) => line,
            Err(r) => return Some(Err(vec![r])),
        };
        Some(self.wide(line, into).map_err(|r| vec![r]))
    }

    fn wide(&mut self, line: u64, into: &mut Answered) -> Result<(), Reject> {
        self.wide_answers(line, &self.fields, into)?;
        self.check_duplicate(into)
    }

    fn wide_answers(&self, line: u64, f: &Fields, into: &mut Answered) -> Result<(), Reject> {
        self.ids(line, f, into)?;
        into.rows = 1;
        let LayoutColumns::Wide { items, packed } = &self.columns.layout else {
            unreachable!("wide layout");
        };
        let instrument = self.instruments.at(into.instrument);
        let k = instrument.items().len();
        into.answers.clear();
        into.answers.resize(k, None);
        into.source = Source::Items;
        if let Some(p) = *packed
            && !f.get(p).is_empty()
        {
            let n = f.get(p).split(';').count();
            if n != k {
                return Err(self.reject(
                    line,
                    Some(p),
                    format!("has {n} answers but {} has {k} items", instrument.id()),
                ));
            }
            for (j, a) in f.get(p).split(';').enumerate() {
                into.answers[j] = parse_answer(a)
                    .map_err(|r| self.reject(line, Some(p), format!("answer {} {r}", j + 1)))?;
            }
            into.source = Source::Column(p);
            return Ok(());
        }
        for &(number, col) in items {
            let j = usize::from(number) - 1;
            // the common case, without making text of it: one digit
            if let (&[d @ b'0'..=b'9'], Some(answer)) = (f.bytes(col), into.answers.get_mut(j)) {
                *answer = Some(f64::from(d - b'0'));
                continue;
            }
            let cell = f.get(col);
            if j >= k {
                if cell.is_empty() || cell == "NA" {
                    continue; // a column for a longer instrument in a mixed file
                }
                return Err(self.reject(
                    line,
                    Some(col),
                    format!(
                        "{} has only {k} items, but item {number} is answered",
                        instrument.id()
                    ),
                ));
            }
            into.answers[j] = parse_answer(cell).map_err(|r| self.reject(line, Some(col), r))?;
        }
        Ok(())
    }

    /// Long layout: the rows of one response are consecutive and share their ids.
    fn long(&mut self, into: &mut Answered) -> Option<Result<(), Vec<Reject>>> {
        let (line, first) = match self.ahead.take() {
            Some(row) => row,
            None => match self.read_fields()? {
                Err(r) => return Some(Err(vec![r])),
                Ok(line) => (line, self.fields.clone()),
            },
        };
        Some(self.long_response(line, first, into))
    }

    fn long_response(
        &mut self,
        line: u64,
        first: Fields,
        into: &mut Answered,
    ) -> Result<(), Vec<Reject>> {
        let LayoutColumns::Long { item, answer } = self.columns.layout else {
            unreachable!("long layout");
        };
        let key = |f: &Fields, c: &Columns| {
            [
                Some(c.client),
                Some(c.therapist),
                Some(c.session),
                c.rater,
                c.instrument,
            ]
            .map(|i| i.map(|i| f.get(i).to_owned()))
        };
        let first_key = key(&first, &self.columns);
        let mut lines = vec![(line, first)];
        loop {
            match self.read_fields() {
                None => break,
                Some(Err(r)) => return Err(self.long_rejects(&lines, r, None)),
                Some(Ok(l)) => {
                    if key(&self.fields, &self.columns) == first_key {
                        lines.push((l, self.fields.clone()));
                    } else {
                        self.ahead = Some((l, self.fields.clone()));
                        break;
                    }
                }
            }
        }
        if let Err(r) = self.ids(line, &lines[0].1, into) {
            return Err(self.long_rejects(&lines, r, Some(0)));
        }
        into.rows = lines.len() as u64;
        into.further.extend(lines.iter().skip(1).map(|(l, _)| *l));
        let instrument = self.instruments.at(into.instrument);
        let k = instrument.items().len();
        into.answers.clear();
        into.answers.resize(k, None);
        into.source = Source::Column(answer);
        let mut given = vec![false; k];
        for (at, (l, f)) in lines.iter().enumerate() {
            let text = f.get(item);
            let number: Option<usize> = text.parse().ok().filter(|&n| (1..=k).contains(&n));
            let Some(number) = number else {
                let r = self.reject(
                    *l,
                    Some(item),
                    format!(
                        "item '{text}' is not an item number of {} (1-{k})",
                        instrument.id()
                    ),
                );
                return Err(self.long_rejects(&lines, r, Some(at)));
            };
            if given[number - 1] {
                let r = self.reject(
                    *l,
                    Some(item),
                    format!("item {number} is answered twice in this response"),
                );
                return Err(self.long_rejects(&lines, r, Some(at)));
            }
            given[number - 1] = true;
            match parse_answer(f.get(answer)) {
                Ok(a) => into.answers[number - 1] = a,
                Err(reason) => {
                    let r = self.reject(*l, Some(answer), reason);
                    return Err(self.long_rejects(&lines, r, Some(at)));
                }
            }
        }
        if let Err(r) = self.check_duplicate(into) {
            return Err(self.long_rejects(&lines, r, Some(0)));
        }
        Ok(())
    }

    /// Every row of a response that cannot be used, each once: the row at `at` (an index
    /// into `lines`) gets the cause, the others point to it; with `at` None the cause is a
    /// row of its own (a bad row right after the response).
    fn long_rejects(
        &self,
        lines: &[(u64, Fields)],
        cause: Reject,
        at: Option<usize>,
    ) -> Vec<Reject> {
        let mut out = Vec::with_capacity(lines.len() + 1);
        let see = format!("its response is rejected: see line {}", cause.line);
        for (k, (l, _)) in lines.iter().enumerate() {
            if Some(k) != at {
                out.push(self.reject(*l, None, see.clone()));
            }
        }
        out.push(cause);
        out.sort_by_key(|r| r.line);
        out
    }
}

/// The file and its column names: what a reject names.
#[derive(Debug, Clone)]
pub struct Origin {
    file: String,
    names: Vec<String>,
    /// Wide layout: each item's column (item number, column).
    items: Vec<(u16, usize)>,
}

/// Where a response's answers came from.
#[derive(Debug, Clone, Copy)]
enum Source {
    /// One column per item.
    Items,
    /// One column: packed answers, or a long file's answer column.
    Column(usize),
}

impl Origin {
    fn reject(&self, line: u64, column: Option<usize>, reason: impl Into<String>) -> Reject {
        Reject {
            file: self.file.clone(),
            line,
            column: column
                .and_then(|c| self.names.get(c).cloned())
                .unwrap_or_default(),
            reason: reason.into(),
        }
    }

    /// The rejects of a response read into `a` that its answers or scoring refused (`e`): one
    /// for its first row, naming the answer's column when the error names an item, and one
    /// pointing to it for each further row of a long-layout response.
    pub fn refused(&self, a: &Answered, e: &alliance::Error) -> Vec<Reject> {
        let column = item_of(e).and_then(|item| match a.source {
            Source::Column(c) => Some(c),
            Source::Items => self
                .items
                .iter()
                .find(|(number, _)| *number == item)
                .map(|(_, c)| *c),
        });
        let cause = self.reject(a.line, column, e.to_string());
        let see = format!("its response is rejected: see line {}", a.line);
        let mut out = vec![cause];
        for &l in &a.further {
            out.push(self.reject(l, None, see.clone()));
        }
        out
    }
}

/// A row's fields, read in place from its record: text trimmed, answers as bytes.
#[derive(Debug, Clone, Default)]
struct Fields {
    record: Record,
}

impl Fields {
    /// Checks that every field of the record just read is UTF-8; `Err` with the index of the
    /// first that is not.
    fn check(&self) -> Result<(), usize> {
        let all = self.record.as_slice();
        // The common case: ASCII, a word at a time.
        let (words, tail) = all.as_chunks::<8>();
        let high = words
            .iter()
            .fold(0u64, |acc, w| acc | u64::from_ne_bytes(*w))
            | tail.iter().fold(0u64, |acc, &b| acc | u64::from(b));
        if high & 0x8080_8080_8080_8080 == 0 {
            return Ok(());
        }
        // One check of the whole record; a field is then valid UTF-8 exactly when both its
        // ends are character boundaries (a character split across two fields is not), that
        // is when neither its first byte nor the byte after it continues a character.
        if std::str::from_utf8(all).is_err() {
            let bad = self
                .record
                .iter()
                .position(|f| std::str::from_utf8(f).is_err());
            return Err(bad.unwrap_or(0));
        }
        let continues = |at: usize| all.get(at).is_some_and(|&b| b & 0xC0 == 0x80);
        for i in 0..self.record.len() {
            if let Some(r) = self.record.range(i)
                && (continues(r.start) || continues(r.end))
            {
                return Err(i);
            }
        }
        Ok(())
    }

    fn len(&self) -> usize {
        self.record.len()
    }

    /// Field `i` as it is (empty past the end).
    fn bytes(&self, i: usize) -> &[u8] {
        self.record.get(i).unwrap_or_default()
    }

    /// Field `i` as trimmed text (empty past the end; checked by [`Fields::check`]).
    fn get(&self, i: usize) -> &str {
        let text = std::str::from_utf8(self.bytes(i)).unwrap_or_default();
        let plain = |x: Option<&u8>| x.is_none_or(|&c| c.is_ascii_graphic());
        if plain(text.as_bytes().first()) && plain(text.as_bytes().last()) {
            return text; // the common case: nothing to trim
        }
        text.trim()
    }
}

/// A hasher for the small integer keys of the duplicate check: a multiply and a rotate per
/// word (`SipHash`'s protection against chosen keys is not needed for a file's own rows: at
/// worst a crafted file makes its own check slower).
#[derive(Default)]
pub struct Mix(u64);

impl std::hash::Hasher for Mix {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u32(&mut self, x: u32) {
        self.write_u64(u64::from(x));
    }
    fn write_u8(&mut self, x: u8) {
        self.write_u64(u64::from(x));
    }
    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }
}

/// One response as read, in buffers reused from one response to the next.
#[derive(Debug, Clone)]
pub struct Answered {
    /// The first line of the response (the only one in wide layout).
    pub line: u64,
    /// How many file rows it was read from.
    pub rows: u64,
    /// Client id.
    pub client: String,
    /// Therapist id.
    pub therapist: String,
    /// Session number.
    pub session: u32,
    /// Session date, if the file has one.
    pub date: Option<Date>,
    /// Who answered.
    pub rater: Rater,
    /// The instrument, as its position among the reader's [`Instruments`].
    pub instrument: usize,
    /// The answers in item order, `None` for a missing one; not yet checked against the
    /// scale.
    pub answers: Vec<Option<f64>>,
    /// Where its answers came from.
    source: Source,
    /// The lines of a long-layout response's further rows.
    further: Vec<u64>,
}

impl Answered {
    /// What the duplicate check compares within a dyad: session, rater and instrument.
    pub fn key(&self) -> (u32, u8, usize) {
        (self.session, self.rater as u8, self.instrument)
    }
}

impl Default for Answered {
    fn default() -> Answered {
        Answered {
            line: 0,
            rows: 0,
            client: String::new(),
            therapist: String::new(),
            session: 0,
            date: None,
            rater: Rater::Client,
            instrument: 0,
            answers: Vec::new(),
            source: Source::Items,
            further: Vec::new(),
        }
    }
}

/// The item number an answer error names, if any.
fn item_of(e: &alliance::Error) -> Option<u16> {
    match e {
        alliance::Error::OutOfScale { item, .. }
        | alliance::Error::OffStep { item, .. }
        | alliance::Error::NonFiniteAnswer { item, .. }
        | alliance::Error::TinyAnswer { item, .. } => Some(*item),
        _ => None,
    }
}

/// An answer cell: empty or `NA` is missing; a number; anything else is refused in words.
pub fn parse_answer(cell: &str) -> Result<Option<f64>, String> {
    // the common case first: one digit
    if let &[d @ b'0'..=b'9'] = cell.as_bytes() {
        return Ok(Some(f64::from(d - b'0')));
    }
    let cell = cell.trim();
    if cell.is_empty() || cell == "NA" || cell == "." {
        return Ok(None);
    }
    match cell.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(Some(x)),
        Ok(_) => Err(format!(
            "answer '{cell}' is not a number on the scale; leave the cell empty or write NA for a missing answer"
        )),
        Err(_) => Err(format!(
            "answer '{cell}' is not a number; leave the cell empty or write NA for a missing answer"
        )),
    }
}

/// A field of 1 to 9 ASCII digits as a number (the common session number, read without
/// making text of it); `None` for anything else, which is then parsed as text.
fn whole_number(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 9 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(bytes.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0')))
}

/// An ISO 8601 date, `YYYY-MM-DD`, optionally followed by a time (`T...`), which is ignored.
pub fn parse_date(s: &str) -> Option<Date> {
    s.split(['T', ' ']).next()?.parse().ok()
}

impl Iterator for Reader {
    type Item = Result<Row, Vec<Reject>>;

    /// The next response, checked: its answers on the scale (scoring comes later).
    fn next(&mut self) -> Option<Self::Item> {
        let mut read = Answered::default();
        Some(match self.next_into(&mut read)? {
            Err(r) => Err(r),
            Ok(()) => {
                let instrument = self.instruments.at(read.instrument);
                match Response::new(instrument, read.rater, &read.answers) {
                    Ok(response) => Ok(Row { read, response }),
                    Err(e) => Err(self.origin.refused(&read, &e)),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_columns_are_recognised() {
        assert_eq!(item_number("item1"), Some(1));
        assert_eq!(item_number("q_12"), Some(12));
        assert_eq!(item_number("WAI07"), Some(7));
        assert_eq!(item_number("3"), Some(3));
        assert_eq!(item_number("session"), None);
        assert_eq!(item_number("item0"), None);
        assert_eq!(item_number("T1 score"), None);
    }

    #[test]
    fn delimiters_are_sniffed_outside_quotes() {
        assert_eq!(sniff_delimiter(b"a;b;c\n"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc\n"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a;b\",c,d\n"), b',');
        assert_eq!(sniff_delimiter(b"single\n"), b',');
    }

    #[test]
    fn answers_and_dates_parse_or_say_why() {
        assert_eq!(parse_answer(" 4 "), Ok(Some(4.0)));
        assert_eq!(parse_answer("NA"), Ok(None));
        assert!(
            parse_answer("NaN")
                .unwrap_err()
                .contains("not a number on the scale")
        );
        assert!(parse_answer("four").unwrap_err().contains("not a number"));
        assert_eq!(parse_date("2026-01-07").map(|d| d.day()), Some(7));
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("07/01/2026").is_none());
        assert_eq!(
            parse_date("2026-01-07T10:00:00").map(|d| d.month()),
            Some(1)
        );
    }

    /// Fields are each field's text trimmed as `str::trim` trims it, and a field that is not
    /// UTF-8 is found even when the whole record is (a character split across two fields).
    #[test]
    fn fields_are_trimmed_text_or_the_first_bad_field() {
        let fields = |record: Vec<&[u8]>| Fields {
            record: Record::of(&record),
        };
        let texts: [&[u8]; 5] = [
            b" C1 ",
            "\u{a0}T\u{2003}".as_bytes(),
            b"",
            "é".as_bytes(),
            b"\t4",
        ];
        let f = fields(texts.to_vec());
        assert_eq!(f.check(), Ok(()));
        let got: Vec<&str> = (0..f.len()).map(|i| f.get(i)).collect();
        let want: Vec<&str> = texts
            .iter()
            .map(|b| std::str::from_utf8(b).unwrap_or_default().trim())
            .collect();
        assert_eq!(got, want);
        assert_eq!(f.get(9), "");
        assert_eq!(fields(vec![b"ok", b"\xC3", b"\xA9"]).check(), Err(1));
        assert_eq!(fields(vec![b"ok", b"\xC3\xA9", b"\xA9x"]).check(), Err(2));
        assert_eq!(fields(vec![b"ok", b"ok", b"\xFF"]).check(), Err(2));
    }
}

#[cfg(test)]
mod hostile {
    use super::*;
    use proptest::prelude::*;

    fn args(path: &Path, layout: Option<Layout>) -> InputArgs {
        InputArgs {
            input: Some(path.to_path_buf()),
            sample: false,
            layout,
            delimiter: None,
            client_col: None,
            therapist_col: None,
            session_col: None,
            date_col: None,
            rater_col: None,
            instrument_col: None,
            item_col: None,
            answer_col: None,
            instrument: None,
            rater: None,
            instruments: None,
            rejects: None,
            strict: false,
        }
    }

    /// Pieces that CSV parsing and answer parsing trip on.
    fn token() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            ",",
            ",",
            ",",
            ";",
            "\t",
            "\n",
            "\r\n",
            "\"",
            "\"\"",
            "C1",
            "T1",
            "1",
            "2",
            "12",
            "client",
            "therapist",
            "VAS-4",
            "WAI-SR",
            "8",
            "8.5",
            "11",
            "-1",
            "NaN",
            "inf",
            "NA",
            "",
            " ",
            "2026-01-05",
            "2026-02-30",
            "\u{feff}",
            "\u{e9}",
            "9999999999999999999",
            "1e400",
            "0x10",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Any body under a valid header, wide or long: no panic, and every row read is
        /// either in a response or rejected, exactly once.
        #[test]
        fn every_row_is_used_or_rejected_once(body in prop::collection::vec(token(), 0..120), long in any::<bool>()) {
            let header = if long {
                "client,therapist,session,date,rater,instrument,item,answer\n"
            } else {
                "client,therapist,session,date,rater,instrument,item1,item2,item3,item4\n"
            };
            let dir = std::env::temp_dir().join(format!("alliance-hostile-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join("body.csv");
            std::fs::write(&path, format!("{header}{}", body.concat())).unwrap();
            let layout = Some(if long { Layout::Long } else { Layout::Wide });
            let mut reader = Reader::open(&args(&path, layout), Instruments::load(None).unwrap()).unwrap();
            let (mut used, mut rejected) = (0u64, 0u64);
            for item in reader.by_ref() {
                match item {
                    Ok(row) => used += row.read.rows,
                    Err(r) => rejected += r.len() as u64,
                }
            }
            prop_assert_eq!(used + rejected, reader.rows_read);
        }
    }

    /// Found by the property test above: an empty-quoted first row then a ragged row in long
    /// layout were counted as one reject for two rows (both had the same line number).
    #[test]
    fn a_ragged_row_after_a_bad_response_is_its_own_reject() {
        let dir = std::env::temp_dir().join(format!("alliance-ragged-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("body.csv");
        let header = "client,therapist,session,date,rater,instrument,item,answer\n";
        std::fs::write(&path, format!("{header}\"\",,,,,,,\r\n,")).unwrap();
        let mut reader = Reader::open(
            &args(&path, Some(Layout::Long)),
            Instruments::load(None).unwrap(),
        )
        .unwrap();
        let rejected: usize = reader
            .by_ref()
            .map(|r| r.err().map_or(0, |r| r.len()))
            .sum();
        assert_eq!((rejected as u64, reader.rows_read), (2, 2));
    }
}
