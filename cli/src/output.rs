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

/// Appends `s` as a CSV field: in quotes, with quotes doubled, when it holds a comma, a quote
/// or a line break; as it is otherwise.
fn csv_text(out: &mut Vec<u8>, s: &[u8]) {
    if !s.iter().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.extend_from_slice(s);
        return;
    }
    out.push(b'"');
    for &b in s {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// The decimal digits of `i`, in `buf`.
fn itoa(i: i64, buf: &mut [u8; 20]) -> &[u8] {
    // the common cases (sessions, item counts) without a loop
    match i {
        0..=9 => {
            buf[19] = b'0' + i as u8;
            return &buf[19..];
        }
        10..=99 => {
            buf[18] = b'0' + (i / 10) as u8;
            buf[19] = b'0' + (i % 10) as u8;
            return &buf[18..];
        }
        _ => {}
    }
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

/// The text of finite numbers, shortest that reads back to the same bits (`ryu`), remembered
/// in a small direct-mapped cache: scores of Likert answers take few distinct values (a
/// 12-item mean takes at most a few hundred), so most cells copy their text instead of
/// formatting it again. A miss formats and replaces the slot; the text is always `ryu`'s.
pub struct Numbers {
    slots: Vec<Slot>,
    ryu: ryu::Buffer,
}

#[derive(Clone, Copy)]
struct Slot {
    bits: u64,
    /// 0: empty.
    len: u8,
    text: [u8; 24],
}

impl Numbers {
    const BITS: u32 = 12;

    /// An empty cache.
    pub fn new() -> Numbers {
        let empty = Slot {
            bits: 0,
            len: 0,
            text: [0; 24],
        };
        Numbers {
            slots: vec![empty; 1 << Self::BITS],
            ryu: ryu::Buffer::new(),
        }
    }

    /// Appends the text of finite `x` to `out`.
    #[inline]
    pub fn write(&mut self, x: f64, out: &mut Vec<u8>) {
        let bits = x.to_bits();
        let at = (bits.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - Self::BITS)) as usize;
        match self.slots.get(at) {
            Some(slot) if slot.len > 0 && slot.bits == bits => {
                // a copy of fixed length (a few vector moves, no call), then cut to size
                let len = out.len() + usize::from(slot.len);
                out.extend_from_slice(&slot.text);
                out.truncate(len);
            }
            _ => self.write_missed(x, out),
        }
    }

    /// A number not in the cache: formatted, and remembered (kept out of line, so that the
    /// common case above stays small enough to inline).
    #[cold]
    #[inline(never)]
    fn write_missed(&mut self, x: f64, out: &mut Vec<u8>) {
        out.extend_from_slice(self.text(x));
    }

    /// The text of finite `x`.
    pub fn text(&mut self, x: f64) -> &[u8] {
        let bits = x.to_bits();
        let at = (bits.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - Self::BITS)) as usize;
        let Some(slot) = self.slots.get_mut(at) else {
            return self.ryu.format_finite(x).as_bytes();
        };
        if slot.len == 0 || slot.bits != bits {
            let text = self.ryu.format_finite(x).as_bytes();
            // ryu writes at most 24 bytes (`-2.2250738585072014e-308`)
            let len = text.len().min(slot.text.len());
            slot.text[..len].copy_from_slice(&text[..len]);
            slot.len = len as u8;
            slot.bits = bits;
        }
        &slot.text[..usize::from(slot.len)]
    }
}

/// Bytes gathered before they are handed to the output.
const CHUNK: usize = 1 << 16;

/// A table being written, row by row.
pub struct Table {
    columns: Vec<String>,
    format: Format,
    out: Option<Box<dyn Write>>,
    /// Formatted rows not yet written.
    pending: Vec<u8>,
    numbers: Numbers,
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

/// The output, unbuffered: [`Table`] gathers its bytes itself.
fn open(path: Option<&Path>) -> Result<Box<dyn Write>, Usage> {
    Ok(match path {
        None => Box::new(std::io::stdout().lock()),
        Some(p) if p == Path::new("-") => Box::new(std::io::stdout().lock()),
        Some(p) => Box::new(
            std::fs::File::create(p)
                .map_err(|e| Usage(format!("cannot write {}: {e}", p.display())))?,
        ),
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
        let mut t = Table {
            out: Some(open(path)?),
            columns,
            format,
            pending: Vec::with_capacity(CHUNK + 4096),
            numbers: Numbers::new(),
            rows: 0,
        };
        if format == Format::Csv {
            let names = t.columns.clone();
            let header: Vec<Cell> = names.iter().map(|c| c.as_str().into()).collect();
            t.csv_row(&header);
        }
        Ok(t)
    }

    /// A table kept in memory, with no header: rows formatted on another thread, to be
    /// [`Table::take`]n and [`Table::append`]ed to the table they belong to.
    pub fn memory(format: Format, columns: Vec<String>) -> Table {
        Table {
            out: None,
            columns,
            format,
            pending: Vec::with_capacity(CHUNK + 4096),
            numbers: Numbers::new(),
            rows: 0,
        }
    }

    /// The rows formatted so far (a table in memory); the table goes on in `spare` (cleared).
    pub fn take(&mut self, mut spare: Vec<u8>) -> Vec<u8> {
        spare.clear();
        std::mem::replace(&mut self.pending, spare)
    }

    /// Writes `rows` rows formatted by a table in memory with the same columns.
    ///
    /// # Errors
    /// An I/O error (a closed pipe, a full disk).
    pub fn append(&mut self, bytes: &[u8], rows: u64) -> std::io::Result<()> {
        self.rows += rows;
        if self.pending.len() + bytes.len() < CHUNK {
            self.pending.extend_from_slice(bytes);
            return Ok(());
        }
        self.write_pending()?;
        match self.out.as_mut() {
            Some(out) => out.write_all(bytes),
            None => {
                self.pending.extend_from_slice(bytes);
                Ok(())
            }
        }
    }

    fn csv_row(&mut self, cells: &[Cell]) {
        let mut row = Row::start(self);
        for cell in cells {
            row.cell(cell.clone());
        }
        row.end_csv();
    }

    /// Writes one row; `cells` has one cell per column.
    ///
    /// # Errors
    /// An I/O error (a closed pipe, a full disk).
    pub fn row(&mut self, cells: &[Cell]) -> std::io::Result<()> {
        debug_assert_eq!(cells.len(), self.columns.len());
        let mut row = self.start_row();
        for cell in cells {
            row.cell(cell.clone());
        }
        row.finish()
    }

    /// Starts a row, to be given its cells one by one, in column order.
    pub fn start_row(&mut self) -> Row<'_> {
        Row::start(self)
    }

    fn write_pending(&mut self) -> std::io::Result<()> {
        let Some(out) = self.out.as_mut() else {
            return Ok(()); // a table in memory keeps its rows
        };
        out.write_all(&self.pending)?;
        self.pending.clear();
        Ok(())
    }

    /// Writes what is pending and flushes the output.
    ///
    /// # Errors
    /// An I/O error.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.write_pending()?;
        if let Some(mut out) = self.out.take() {
            out.flush()?;
        }
        Ok(())
    }
}

/// A row being written cell by cell: straight into the table's bytes (CSV) or into one JSON
/// object.
pub struct Row<'t> {
    table: &'t mut Table,
    cells: usize,
    object: serde_json::Map<String, serde_json::Value>,
}

impl<'t> Row<'t> {
    fn start(table: &'t mut Table) -> Row<'t> {
        Row {
            table,
            cells: 0,
            object: serde_json::Map::new(),
        }
    }

    /// The next cell.
    pub fn cell(&mut self, cell: Cell) {
        match cell {
            Cell::Text(s) => self.text(&s),
            Cell::Num(x) => self.num(Some(x)),
            Cell::Int(i) => self.int(i),
            Cell::Bool(b) => self.bool(b),
            Cell::Empty => self.num(None),
        }
    }

    /// The CSV buffer, after the comma that opens the next field; `None` for JSON lines.
    #[inline]
    fn csv(&mut self) -> Option<&mut Vec<u8>> {
        if self.table.format != Format::Csv {
            return None;
        }
        if self.cells > 0 {
            self.table.pending.push(b',');
        }
        self.cells += 1;
        Some(&mut self.table.pending)
    }

    fn json(&mut self, value: serde_json::Value) {
        let name = self
            .table
            .columns
            .get(self.cells)
            .cloned()
            .unwrap_or_default();
        self.object.insert(name, value);
        self.cells += 1;
    }

    /// A text cell.
    #[inline]
    pub fn text(&mut self, s: &str) {
        match self.csv() {
            Some(out) => csv_text(out, s.as_bytes()),
            None => self.json(serde_json::Value::String(s.to_owned())),
        }
        if s.is_empty() && self.table.columns.len() == 1 && self.table.format == Format::Csv {
            // a record of one empty field is `""`, else it would read as no record
            self.table.pending.extend_from_slice(b"\"\"");
        }
    }

    /// A text cell known to need no quoting (a fixed label such as a rater's).
    pub fn label(&mut self, s: &'static str) {
        debug_assert!(
            !s.is_empty() && !s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
        );
        match self.csv() {
            Some(out) => out.extend_from_slice(s.as_bytes()),
            None => self.json(serde_json::Value::String(s.to_owned())),
        }
    }

    /// A number; empty (CSV) or null (JSON) for `None` or a number that is not finite.
    #[inline(always)] // a dozen a row: the call cost as much as the cell
    pub fn num(&mut self, x: Option<f64>) {
        let x = x.filter(|x| x.is_finite());
        if self.table.format == Format::Csv {
            self.cells += 1;
            if self.cells > 1 {
                self.table.pending.push(b',');
            }
            match x {
                Some(x) => self.table.numbers.write(x, &mut self.table.pending),
                // a record of one empty field is `""`, else it would read as no record
                None if self.table.columns.len() == 1 => {
                    self.table.pending.extend_from_slice(b"\"\"");
                }
                None => {}
            }
            return;
        }
        self.num_json(x);
    }

    fn num_json(&mut self, x: Option<f64>) {
        let value = x
            .and_then(serde_json::Number::from_f64)
            .map_or(serde_json::Value::Null, serde_json::Value::Number);
        self.json(value);
    }

    /// A count or a number of a session.
    #[inline(always)] // a dozen a row: the call cost as much as the cell
    pub fn int(&mut self, i: i64) {
        match self.csv() {
            Some(out) => out.extend_from_slice(itoa(i, &mut [0u8; 20])),
            None => self.json(serde_json::Value::from(i)),
        }
    }

    /// Yes or no.
    #[inline(always)] // a dozen a row: the call cost as much as the cell
    pub fn bool(&mut self, b: bool) {
        match self.csv() {
            Some(out) => out.extend_from_slice(if b { b"true" } else { b"false" }),
            None => self.json(serde_json::Value::Bool(b)),
        }
    }

    /// A date (ISO 8601), or nothing.
    pub fn date(&mut self, d: Option<alliance::Date>) {
        match (d, self.table.format) {
            (None, _) => self.num(None),
            (Some(d), Format::Csv) => {
                if let Some(out) = self.csv() {
                    // writing to a vector cannot fail
                    let _ = write!(out, "{d}");
                }
            }
            (Some(d), Format::Jsonl) => self.json(serde_json::Value::String(d.to_string())),
        }
    }

    fn end_csv(self) {
        self.table.pending.push(b'\n');
    }

    /// Ends the row (every column given a cell).
    ///
    /// # Errors
    /// An I/O error (a closed pipe, a full disk).
    pub fn finish(self) -> std::io::Result<()> {
        debug_assert_eq!(self.cells, self.table.columns.len());
        let t = self.table;
        t.rows += 1;
        match t.format {
            Format::Csv => t.pending.push(b'\n'),
            Format::Jsonl => {
                serde_json::to_writer(&mut t.pending, &self.object)
                    .map_err(std::io::Error::other)?;
                t.pending.push(b'\n');
            }
        }
        if t.pending.len() >= CHUNK && t.out.is_some() {
            t.write_pending()?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whole numbers are written as Rust writes them.
        #[test]
        fn itoa_is_display(i in prop_oneof![-20i64..120, any::<i64>(), Just(i64::MIN)]) {
            let (mut buf, text) = ([0u8; 20], i.to_string());
            prop_assert_eq!(itoa(i, &mut buf), text.as_bytes());
        }

        /// The number cache gives `ryu`'s text for every number, colliding slots included.
        #[test]
        fn cached_numbers_are_ryu_text(xs in prop::collection::vec(
            prop_oneof![any::<f64>(), (0u32..400).prop_map(|k| f64::from(k) / 12.0)], 1..300)
        ) {
            let mut numbers = Numbers::new();
            for _ in 0..2 {
                for &x in xs.iter().filter(|x| x.is_finite()) {
                    let mut out = b"x".to_vec();
                    numbers.write(x, &mut out);
                    let mut ryu = ryu::Buffer::new();
                    prop_assert_eq!(&out[1..], ryu.format_finite(x).as_bytes());
                }
            }
        }

        /// Rows written here read back through the `csv` crate as the same fields: quoting,
        /// quotes, delimiters and line breaks inside fields.
        #[test]
        fn rows_read_back_through_the_csv_crate(
            rows in prop::collection::vec(
                prop::collection::vec("[a-c,\"\r\n ;]{0,6}", 3), 0..20),
        ) {
            let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
            let path = dir.path().join("t.csv");
            let columns = vec!["a".to_owned(), "b,c".to_owned(), "d".to_owned()];
            let mut table = Table::to(Some(&path), Format::Csv, columns.clone())?;
            for row in &rows {
                let cells: Vec<Cell> = row.iter().map(|s| s.as_str().into()).collect();
                table.row(&cells).map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
            table.finish().map_err(|e| TestCaseError::fail(e.to_string()))?;
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_path(&path)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let read: Vec<Vec<String>> = reader
                .records()
                .map(|r| r.map(|r| r.iter().map(str::to_owned).collect()))
                .collect::<Result<_, _>>()
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&read[0], &columns);
            prop_assert_eq!(&read[1..], &rows[..]);
        }
    }

    impl From<Usage> for TestCaseError {
        fn from(u: Usage) -> TestCaseError {
            TestCaseError::fail(u.0)
        }
    }
}
