//! Reading a study's responses from CSV: long format (one row per answer) or wide format (one
//! row per response, items as columns or one packed `answers` column), streamed row by row.
//!
//! Every row read is either part of a response handed on, or a [`Reject`] with its file,
//! line, column and the reason in words, so that rows in = rows used + rows rejected.

use crate::instruments::Instruments;
use alliance::{Date, Instrument, Rater, Response};
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

/// One response read from the file, with the lines it came from.
#[derive(Debug, Clone)]
pub struct Row {
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
    file: String,
    csv: csv::Reader<Box<dyn Read>>,
    columns: Columns,
    instruments: Instruments,
    default_instrument: Option<std::rc::Rc<Instrument>>,
    default_rater: Option<Rater>,
    record: csv::ByteRecord,
    /// Long layout: the record read ahead (the first row of the next response).
    ahead: Option<(u64, Vec<String>)>,
    /// The responses of the current dyad's block of rows (hashes of their keys). Cleared when
    /// the dyad changes, so memory stays flat on any file: a duplicate is caught within its
    /// dyad's block here, and anywhere by the commands that build courses
    /// (`Session::add` refuses a second response).
    seen: HashSet<u64>,
    /// The dyad of the current block.
    block: u64,
    /// File rows read (the header excluded).
    pub rows_read: u64,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader").field("file", &self.file).finish()
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

impl Reader {
    /// Opens the input and reads its header.
    ///
    /// # Errors
    /// A [`Usage`] error when the file cannot be opened, is empty, or lacks a column.
    pub fn open(args: &InputArgs, instruments: Instruments) -> Result<Reader, Usage> {
        let (file, mut bytes): (String, Box<dyn Read>) = if args.sample {
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
        let chained: Box<dyn Read> = Box::new(std::io::Cursor::new(head).chain(bytes));
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(chained);
        let names: Vec<String> = csv
            .byte_headers()
            .map_err(|e| Usage(format!("cannot read the header of {file}: {e}")))?
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_owned())
            .collect();
        let columns = Self::columns(&names, args)?;
        let default_instrument = match &args.instrument {
            Some(id) => Some(instruments.shared(id).cloned().ok_or_else(|| {
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
            file,
            csv,
            columns,
            instruments,
            default_instrument,
            default_rater: args.rater.map(Rater::from),
            record: csv::ByteRecord::new(),
            ahead: None,
            seen: HashSet::new(),
            block: 0,
            rows_read: 0,
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
        &self.file
    }

    fn reject(&self, line: u64, column: Option<usize>, reason: impl Into<String>) -> Reject {
        Reject {
            file: self.file.clone(),
            line,
            column: column
                .and_then(|c| self.columns.names.get(c).cloned())
                .unwrap_or_default(),
            reason: reason.into(),
        }
    }

    /// The next raw row as strings: `None` at the end; `Err` for a row that is not valid
    /// CSV or UTF-8.
    fn next_fields(&mut self) -> Option<Result<(u64, Vec<String>), Reject>> {
        match self.csv.read_byte_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                self.rows_read += 1;
                let line = self.record.position().map_or(0, |p| p.line());
                let mut fields = Vec::with_capacity(self.record.len());
                for (i, f) in self.record.iter().enumerate() {
                    match std::str::from_utf8(f) {
                        Ok(s) => fields.push(s.trim().to_owned()),
                        Err(_) => {
                            return Some(Err(self.reject(
                                line,
                                Some(i),
                                "not valid UTF-8; save the file as UTF-8",
                            )));
                        }
                    }
                }
                if fields.len() != self.columns.names.len() {
                    return Some(Err(self.reject(
                        line,
                        None,
                        format!(
                            "has {} fields but the header has {}; check the delimiter and quoting",
                            fields.len(),
                            self.columns.names.len()
                        ),
                    )));
                }
                Some(Ok((line, fields)))
            }
            Err(e) => {
                self.rows_read += 1;
                let line = e.position().map_or(0, |p| p.line());
                Some(Err(self.reject(
                    line,
                    None,
                    format!("is not valid CSV: {e}"),
                )))
            }
        }
    }

    /// The ids of a row: (client, therapist, session, date, rater, instrument).
    fn ids(&self, line: u64, f: &[String]) -> Result<Ids, Reject> {
        let c = &self.columns;
        let text = |i: usize| f.get(i).map_or("", String::as_str);
        let client = text(c.client);
        if client.is_empty() {
            return Err(self.reject(line, Some(c.client), "the client id is empty"));
        }
        let therapist = text(c.therapist);
        if therapist.is_empty() {
            return Err(self.reject(line, Some(c.therapist), "the therapist id is empty"));
        }
        let session: u32 = text(c.session).parse().map_err(|_| {
            self.reject(
                line,
                Some(c.session),
                format!("session '{}' is not a whole number", text(c.session)),
            )
        })?;
        let date = match c.date.map(text) {
            None | Some("") | Some("NA") => None,
            Some(d) => Some(parse_date(d).ok_or_else(|| {
                self.reject(
                    line,
                    c.date,
                    format!("date '{d}' is not an ISO 8601 date (YYYY-MM-DD)"),
                )
            })?),
        };
        let rater = match c.rater.map(text) {
            None => self.default_rater.unwrap_or(Rater::Client),
            Some(r) => r.parse::<Rater>().map_err(|_| {
                self.reject(
                    line,
                    c.rater,
                    format!("rater '{r}' is not client, therapist or observer"),
                )
            })?,
        };
        let instrument = match c.instrument.map(text) {
            None => self
                .default_instrument
                .clone()
                .ok_or_else(|| self.reject(line, None, "no instrument"))?,
            Some(id) => self.instruments.shared(id).cloned().ok_or_else(|| {
                self.reject(
                    line,
                    c.instrument,
                    format!(
                        "unknown instrument '{id}'; known: {}",
                        self.instruments.ids().join(", ")
                    ),
                )
            })?,
        };
        Ok(Ids {
            client: client.to_owned(),
            therapist: therapist.to_owned(),
            session,
            date,
            rater,
            instrument,
        })
    }

    fn check_duplicate(&mut self, line: u64, ids: &Ids) -> Result<(), Reject> {
        use std::hash::{Hash, Hasher};
        let mut dyad = std::collections::hash_map::DefaultHasher::new();
        (&ids.client, &ids.therapist).hash(&mut dyad);
        let dyad = dyad.finish();
        if dyad != self.block {
            self.seen.clear();
            self.block = dyad;
        }
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (ids.session, ids.rater.label(), ids.instrument.id()).hash(&mut h);
        if self.seen.insert(h.finish()) {
            Ok(())
        } else {
            Err(self.reject(
                line,
                None,
                format!(
                    "a second {} {} response for client {} in session {}; keep one",
                    ids.rater.label(),
                    ids.instrument.id(),
                    ids.client,
                    ids.session
                ),
            ))
        }
    }

    fn response(
        &self,
        line: u64,
        ids: Ids,
        answers: &[Option<f64>],
        columns: &[Option<usize>],
        rows: u64,
    ) -> Result<Row, Reject> {
        match Response::new(&ids.instrument, ids.rater, answers) {
            Ok(response) => Ok(Row {
                line,
                rows,
                client: ids.client,
                therapist: ids.therapist,
                session: ids.session,
                date: ids.date,
                response,
            }),
            Err(e) => {
                let column = item_of(&e).and_then(|item| {
                    columns
                        .get(usize::from(item).checked_sub(1)?)
                        .copied()
                        .flatten()
                });
                Err(self.reject(line, column, e.to_string()))
            }
        }
    }

    fn wide(&mut self, line: u64, fields: Vec<String>) -> Result<Row, Reject> {
        let ids = self.ids(line, &fields)?;
        let LayoutColumns::Wide { items, packed } = &self.columns.layout else {
            unreachable!("wide layout");
        };
        let k = ids.instrument.items().len();
        let mut answers = vec![None; k];
        let mut where_: Vec<Option<usize>> = vec![None; k];
        if let Some(p) = *packed
            && !fields[p].is_empty()
        {
            let parts: Vec<&str> = fields[p].split(';').collect();
            if parts.len() != k {
                return Err(self.reject(
                    line,
                    Some(p),
                    format!(
                        "has {} answers but {} has {k} items",
                        parts.len(),
                        ids.instrument.id()
                    ),
                ));
            }
            for (j, a) in parts.iter().enumerate() {
                answers[j] = parse_answer(a)
                    .map_err(|r| self.reject(line, Some(p), format!("answer {} {r}", j + 1)))?;
                where_[j] = Some(p);
            }
        } else {
            for &(number, col) in items {
                let j = usize::from(number) - 1;
                let cell = fields[col].as_str();
                if j >= k {
                    if cell.is_empty() || cell == "NA" {
                        continue; // a column for a longer instrument in a mixed file
                    }
                    return Err(self.reject(
                        line,
                        Some(col),
                        format!(
                            "{} has only {k} items, but item {number} is answered",
                            ids.instrument.id()
                        ),
                    ));
                }
                answers[j] = parse_answer(cell).map_err(|r| self.reject(line, Some(col), r))?;
                where_[j] = Some(col);
            }
        }
        self.check_duplicate(line, &ids)?;
        self.response(line, ids, &answers, &where_, 1)
    }

    /// Long layout: the rows of one response are consecutive and share their ids.
    fn long(&mut self, line: u64, fields: Vec<String>) -> Result<Row, Vec<Reject>> {
        let LayoutColumns::Long { item, answer } = self.columns.layout else {
            unreachable!("long layout");
        };
        let key = |f: &[String], c: &Columns| {
            [
                Some(c.client),
                Some(c.therapist),
                Some(c.session),
                c.rater,
                c.instrument,
            ]
            .map(|i| i.map(|i| f[i].clone()))
        };
        let first_key = key(&fields, &self.columns);
        let mut lines = vec![(line, fields)];
        loop {
            match self.next_fields() {
                None => break,
                Some(Err(r)) => return Err(self.long_rejects(lines, r, None)),
                Some(Ok((l, f))) => {
                    if key(&f, &self.columns) == first_key {
                        lines.push((l, f));
                    } else {
                        self.ahead = Some((l, f));
                        break;
                    }
                }
            }
        }
        let ids = match self.ids(line, &lines[0].1) {
            Ok(ids) => ids,
            Err(r) => return Err(self.long_rejects(lines, r, Some(0))),
        };
        let k = ids.instrument.items().len();
        let mut answers = vec![None; k];
        let mut given = vec![false; k];
        for (at, (l, f)) in lines.iter().enumerate() {
            let text = &f[item];
            let number: Option<usize> = text.parse().ok().filter(|&n| (1..=k).contains(&n));
            let Some(number) = number else {
                let r = self.reject(
                    *l,
                    Some(item),
                    format!(
                        "item '{text}' is not an item number of {} (1-{k})",
                        ids.instrument.id()
                    ),
                );
                return Err(self.long_rejects(lines, r, Some(at)));
            };
            if given[number - 1] {
                let r = self.reject(
                    *l,
                    Some(item),
                    format!("item {number} is answered twice in this response"),
                );
                return Err(self.long_rejects(lines, r, Some(at)));
            }
            given[number - 1] = true;
            match parse_answer(&f[answer]) {
                Ok(a) => answers[number - 1] = a,
                Err(reason) => {
                    let r = self.reject(*l, Some(answer), reason);
                    return Err(self.long_rejects(lines, r, Some(at)));
                }
            }
        }
        if let Err(r) = self.check_duplicate(line, &ids) {
            return Err(self.long_rejects(lines, r, Some(0)));
        }
        let rows = lines.len() as u64;
        let columns = vec![Some(answer); k];
        self.response(line, ids, &answers, &columns, rows)
            .map_err(|r| self.long_rejects(lines, r, Some(0)))
    }

    /// Every row of a long-layout response that cannot be used, each once: the row at
    /// `at` (an index into `lines`) gets the cause, the others point to it; with `at` None
    /// the cause is a row of its own (a bad row right after the response).
    fn long_rejects(
        &self,
        lines: Vec<(u64, Vec<String>)>,
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

struct Ids {
    client: String,
    therapist: String,
    session: u32,
    date: Option<Date>,
    rater: Rater,
    instrument: std::rc::Rc<Instrument>,
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

/// An ISO 8601 date, `YYYY-MM-DD`, optionally followed by a time (`T...`), which is ignored.
pub fn parse_date(s: &str) -> Option<Date> {
    s.split(['T', ' ']).next()?.parse().ok()
}

impl Iterator for Reader {
    type Item = Result<Row, Vec<Reject>>;

    fn next(&mut self) -> Option<Self::Item> {
        let next = match self.ahead.take() {
            Some(row) => Ok(row),
            None => match self.next_fields()? {
                Ok(row) => Ok(row),
                Err(r) => Err(r),
            },
        };
        Some(match next {
            Err(r) => Err(vec![r]),
            Ok((line, fields)) => match self.columns.layout {
                LayoutColumns::Wide { .. } => self.wide(line, fields).map_err(|r| vec![r]),
                LayoutColumns::Long { .. } => self.long(line, fields),
            },
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
                    Ok(row) => used += row.rows,
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
