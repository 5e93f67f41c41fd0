//! Tidy output: one observation per row, as CSV or JSON lines, to a file or standard output.

use crate::input::{Reject, Usage};
use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The output flags every command shares.
#[derive(Debug, Clone, clap::Args)]
pub struct OutputArgs {
    /// Write the table here instead of to standard output.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// `csv` (the default) or `jsonl` (one JSON object per line).
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// One cell of a table; text is borrowed where it can be, so writing a row allocates nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// Text.
    Text(Cow<'a, str>),
    /// A number (written in full precision, so that it reads back to the same bits).
    Num(f64),
    /// A count or a number of a session.
    Int(i64),
    /// Yes or no.
    Bool(bool),
    /// Nothing: an undefined statistic or a part not measured (empty in CSV, null in JSON).
    Empty,
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(s: &'a str) -> Cell<'a> {
        Cell::Text(Cow::Borrowed(s))
    }
}
impl From<String> for Cell<'_> {
    fn from(s: String) -> Self {
        Cell::Text(Cow::Owned(s))
    }
}
impl From<f64> for Cell<'_> {
    fn from(x: f64) -> Self {
        Cell::Num(x)
    }
}
impl From<Option<f64>> for Cell<'_> {
    fn from(x: Option<f64>) -> Self {
        x.map_or(Cell::Empty, Cell::Num)
    }
}
impl From<usize> for Cell<'_> {
    fn from(x: usize) -> Self {
        Cell::Int(x as i64)
    }
}
impl From<u32> for Cell<'_> {
    fn from(x: u32) -> Self {
        Cell::Int(i64::from(x))
    }
}
impl From<bool> for Cell<'_> {
    fn from(x: bool) -> Self {
        Cell::Bool(x)
    }
}
impl<T: Copy + Into<Cell<'static>>> From<alliance::Outcome<T>> for Cell<'_> {
    fn from(o: alliance::Outcome<T>) -> Self {
        match o.value().map(Into::into) {
            Some(Cell::Num(x)) => Cell::Num(x),
            Some(Cell::Int(x)) => Cell::Int(x),
            Some(Cell::Bool(x)) => Cell::Bool(x),
            Some(Cell::Text(t)) => Cell::Text(Cow::Owned(t.into_owned())),
            Some(Cell::Empty) | None => Cell::Empty,
        }
    }
}

impl Cell<'_> {
    /// Writes the cell as one CSV field; numbers through `ryu` (shortest digits that read
    /// back to the same bits, no allocation).
    fn write_csv<W: Write>(
        &self,
        w: &mut csv::Writer<W>,
        numbers: &mut ryu::Buffer,
    ) -> csv::Result<()> {
        match self {
            Cell::Text(s) => w.write_field(s.as_bytes()),
            Cell::Num(x) if x.is_finite() => w.write_field(numbers.format_finite(*x)),
            Cell::Num(_) | Cell::Empty => w.write_field(b""),
            Cell::Int(i) => w.write_field(itoa(*i, &mut [0u8; 20])),
            Cell::Bool(b) => w.write_field(if *b { "true" } else { "false" }),
        }
    }

    fn json(&self) -> serde_json::Value {
        match self {
            Cell::Text(s) => serde_json::Value::String(s.to_string()),
            Cell::Num(x) => serde_json::Number::from_f64(*x)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Cell::Int(i) => serde_json::Value::from(*i),
            Cell::Bool(b) => serde_json::Value::Bool(*b),
            Cell::Empty => serde_json::Value::Null,
        }
    }
}

/// The decimal digits of `i`, in `buf`.
fn itoa(i: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut n = i.unsigned_abs();
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if i < 0 {
        at -= 1;
        buf[at] = b'-';
    }
    &buf[at..]
}

/// A table being written, row by row.
pub struct Table {
    columns: Vec<String>,
    format: Format,
    csv: Option<csv::Writer<Box<dyn Write>>>,
    json: Option<Box<dyn Write>>,
    numbers: ryu::Buffer,
    /// Rows written.
    pub rows: u64,
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("columns", &self.columns)
            .finish()
    }
}

fn open(path: Option<&Path>) -> Result<Box<dyn Write>, Usage> {
    Ok(match path {
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
        Some(p) if p == Path::new("-") => {
            Box::new(std::io::BufWriter::new(std::io::stdout().lock()))
        }
        Some(p) => Box::new(std::io::BufWriter::with_capacity(
            1 << 16,
            std::fs::File::create(p)
                .map_err(|e| Usage(format!("cannot write {}: {e}", p.display())))?,
        )),
    })
}

impl Table {
    /// Starts a table with these columns (the CSV header is written at once).
    ///
    /// # Errors
    /// A [`Usage`] error when the output cannot be created.
    pub fn new(args: &OutputArgs, columns: Vec<String>) -> Result<Table, Usage> {
        Table::to(args.out.as_deref(), args.format, columns)
    }

    /// A table written to `path` (standard output when `None`).
    ///
    /// # Errors
    /// A [`Usage`] error when the output cannot be created.
    pub fn to(path: Option<&Path>, format: Format, columns: Vec<String>) -> Result<Table, Usage> {
        let w = open(path)?;
        let mut t = Table {
            columns,
            format,
            csv: None,
            json: None,
            numbers: ryu::Buffer::new(),
            rows: 0,
        };
        match format {
            Format::Csv => {
                let mut csv = csv::Writer::from_writer(w);
                csv.write_record(&t.columns)
                    .map_err(|e| Usage(format!("cannot write: {e}")))?;
                t.csv = Some(csv);
            }
            Format::Jsonl => t.json = Some(w),
        }
        Ok(t)
    }

    /// Writes one row; `cells` has one cell per column.
    ///
    /// # Errors
    /// An I/O error (a closed pipe, a full disk).
    pub fn row(&mut self, cells: &[Cell]) -> std::io::Result<()> {
        debug_assert_eq!(cells.len(), self.columns.len());
        self.rows += 1;
        match self.format {
            Format::Csv => {
                let csv = self
                    .csv
                    .as_mut()
                    .ok_or_else(|| std::io::Error::other("closed"))?;
                for cell in cells {
                    cell.write_csv(csv, &mut self.numbers)
                        .map_err(std::io::Error::other)?;
                }
                csv.write_record(None::<&[u8]>)
                    .map_err(std::io::Error::other)
            }
            Format::Jsonl => {
                let w = self
                    .json
                    .as_mut()
                    .ok_or_else(|| std::io::Error::other("closed"))?;
                let mut object = serde_json::Map::with_capacity(cells.len());
                for (name, cell) in self.columns.iter().zip(cells) {
                    object.insert(name.clone(), cell.json());
                }
                serde_json::to_writer(&mut *w, &object).map_err(std::io::Error::other)?;
                w.write_all(b"\n")
            }
        }
    }

    /// Flushes the output.
    ///
    /// # Errors
    /// An I/O error.
    pub fn finish(mut self) -> std::io::Result<()> {
        if let Some(mut c) = self.csv.take() {
            c.flush()?;
        }
        if let Some(mut w) = self.json.take() {
            w.flush()?;
        }
        Ok(())
    }
}

/// The rejects of a run, written to their file as they come (created at the first one).
#[derive(Debug)]
pub struct Rejects {
    path: PathBuf,
    table: Option<Table>,
    /// Rows rejected.
    pub count: u64,
    strict: bool,
}

impl Rejects {
    /// Rejects that go to `path` (default `alliance-rejects.csv`); with `strict`, the first
    /// one stops the run.
    pub fn new(path: Option<PathBuf>, strict: bool) -> Rejects {
        Rejects {
            path: path.unwrap_or_else(|| PathBuf::from("alliance-rejects.csv")),
            table: None,
            count: 0,
            strict,
        }
    }

    /// Records rejected rows.
    ///
    /// # Errors
    /// With `--strict`, the first reject, as the message to stop with; or an I/O error.
    pub fn add(&mut self, rejects: &[Reject]) -> Result<(), String> {
        if let (true, Some(r)) = (
            self.strict,
            rejects
                .iter()
                .find(|r| !r.reason.starts_with("its response is rejected")),
        ) {
            return Err(describe(r));
        }
        if self.table.is_none() {
            let columns = ["file", "line", "column", "reason"]
                .map(String::from)
                .to_vec();
            self.table = Some(Table::to(Some(&self.path), Format::Csv, columns).map_err(|u| u.0)?);
        }
        if let Some(t) = self.table.as_mut() {
            for r in rejects {
                self.count += 1;
                t.row(&[
                    r.file.as_str().into(),
                    Cell::Int(r.line as i64),
                    r.column.as_str().into(),
                    r.reason.as_str().into(),
                ])
                .map_err(|e| format!("cannot write {}: {e}", self.path.display()))?;
            }
        }
        Ok(())
    }

    /// Records one line standing for `rows` rejected rows (a whole course refused).
    ///
    /// # Errors
    /// As [`Rejects::add`].
    pub fn add_rows(&mut self, reject: &Reject, rows: u64) -> Result<(), String> {
        self.add(std::slice::from_ref(reject))?;
        self.count += rows.saturating_sub(1);
        Ok(())
    }

    /// Flushes the file; returns its path when any row was rejected.
    ///
    /// # Errors
    /// An I/O error.
    pub fn finish(self) -> std::io::Result<Option<PathBuf>> {
        match self.table {
            Some(t) => {
                t.finish()?;
                Ok(Some(self.path))
            }
            None => Ok(None),
        }
    }
}

/// A reject as one line of text: `file:line: column: reason`.
pub fn describe(r: &Reject) -> String {
    if r.column.is_empty() {
        format!("{}:{}: {}", r.file, r.line, r.reason)
    } else {
        format!("{}:{}: column '{}': {}", r.file, r.line, r.column, r.reason)
    }
}
