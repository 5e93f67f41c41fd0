//! Records read from CSV with `csv_core`, each with the line it starts on.
//!
//! The `csv` crate's reader dates a record from where it began to read it, which is before
//! the blank lines it skips and before the line feed of a CRLF line end: behind a blank line
//! or in a Windows file it names the line before the record's. Here those line ends are
//! skipped first, as `csv_core` would skip them, so a reject names the record's own line.

use std::io::Read;

/// Bytes asked of the input at a time.
const BUFFER: usize = 1 << 16;

/// A streaming reader of records.
pub struct Records {
    core: csv_core::Reader,
    input: Box<dyn Read + Send>,
    buf: Vec<u8>,
    /// The unread bytes are `buf[pos..len]`.
    pos: usize,
    len: usize,
    /// The input has ended (a read gave no bytes).
    eof: bool,
    /// No record is left (the input ended or failed).
    done: bool,
    /// The line of the input's first byte, plus the line feeds skipped outside `core`
    /// (`core` counts those it reads: the line of the next unread byte is this plus
    /// `core.line() - 1`).
    line: u64,
}

impl std::fmt::Debug for Records {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Records").field("line", &self.line).finish()
    }
}

impl Records {
    /// Reads `input`, whose first byte is on line `first_line`, split by `delimiter` (double
    /// quotes and CRLF line ends as `csv`'s defaults have them).
    pub fn new(input: Box<dyn Read + Send>, delimiter: u8, first_line: u64) -> Records {
        Records {
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            input,
            buf: vec![0; BUFFER],
            pos: 0,
            len: 0,
            eof: false,
            done: false,
            line: first_line,
        }
    }

    /// Reads the next record into `record`: the line it starts on, `None` at the end, or the
    /// input's error (after which there is no record).
    pub fn read(&mut self, record: &mut Record) -> Option<std::io::Result<u64>> {
        record.clear();
        if self.done {
            return None;
        }
        // the line ends of blank lines (and a CRLF's line feed), which csv_core skips too
        loop {
            if self.pos == self.len {
                match self.refill() {
                    Err(e) => return Some(Err(e)),
                    Ok(()) if self.eof => {
                        self.done = true;
                        return None;
                    }
                    Ok(()) => {}
                }
            }
            match self.buf.get(self.pos) {
                Some(b'\n') => self.line += 1,
                Some(b'\r') => {}
                _ => break,
            }
            self.pos += 1;
        }
        let line = self.line();
        loop {
            if self.pos == self.len
                && !self.eof
                && let Err(e) = self.refill()
            {
                return Some(Err(e));
            }
            // empty input at the end: csv_core ends the last record
            let input = self.buf.get(self.pos..self.len).unwrap_or_default();
            let (result, read, wrote, ended) = self.core.read_record(
                input,
                record.data.get_mut(record.used..).unwrap_or_default(),
                record.ends.get_mut(record.fields..).unwrap_or_default(),
            );
            self.pos += read;
            record.used += wrote;
            record.fields += ended;
            match result {
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => {
                    let n = record.data.len().max(4) * 2;
                    record.data.resize(n, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let n = record.ends.len().max(4) * 2;
                    record.ends.resize(n, 0);
                }
                csv_core::ReadRecordResult::Record => return Some(Ok(line)),
                csv_core::ReadRecordResult::End => {
                    self.done = true;
                    return None;
                }
            }
        }
    }

    /// The line reached.
    pub fn line(&self) -> u64 {
        self.line + self.core.line().saturating_sub(1)
    }

    fn refill(&mut self) -> std::io::Result<()> {
        loop {
            match self.input.read(&mut self.buf) {
                Ok(n) => {
                    (self.pos, self.len, self.eof) = (0, n, n == 0);
                    return Ok(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.done = true;
                    return Err(e);
                }
            }
        }
    }
}

/// One record's fields, stored end to end.
#[derive(Debug, Clone)]
pub struct Record {
    data: Vec<u8>,
    /// Where each field ends in `data`.
    ends: Vec<usize>,
    used: usize,
    fields: usize,
}

impl Default for Record {
    fn default() -> Record {
        Record {
            data: vec![0; 1024],
            ends: vec![0; 32],
            used: 0,
            fields: 0,
        }
    }
}

impl Record {
    /// A record of these fields.
    #[cfg(test)]
    pub fn of(fields: &[&[u8]]) -> Record {
        let mut r = Record::default();
        r.data.clear();
        r.ends.clear();
        for f in fields {
            r.data.extend_from_slice(f);
            r.ends.push(r.data.len());
        }
        (r.used, r.fields) = (r.data.len(), fields.len());
        r
    }

    fn clear(&mut self) {
        (self.used, self.fields) = (0, 0);
    }

    /// The number of fields.
    pub fn len(&self) -> usize {
        self.fields
    }

    /// Every field's bytes, end to end.
    pub fn as_slice(&self) -> &[u8] {
        let end = self
            .ends
            .get(..self.fields)
            .and_then(<[usize]>::last)
            .copied()
            .unwrap_or(0);
        self.data.get(..end).unwrap_or_default()
    }

    /// Where field `i` lies in [`Record::as_slice`].
    pub fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        if i >= self.fields {
            return None;
        }
        let start = match i {
            0 => 0,
            _ => *self.ends.get(i - 1)?,
        };
        Some(start..*self.ends.get(i)?)
    }

    /// Field `i`'s bytes.
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        self.data.get(self.range(i)?)
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.fields).filter_map(|i| self.get(i))
    }
}
