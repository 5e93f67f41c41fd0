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
    /// The class of each byte for [`split_plain`].
    classes: [u8; 256],
    /// Unquoted records are read without `core` (off only to test that both ways agree).
    plain: bool,
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
            classes: classes(delimiter),
            plain: true,
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
        if self.plain && self.read_plain(record) {
            return Some(Ok(line));
        }
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

    /// The common record, read without `core`: whole in the buffer, and without a quote (so
    /// every delimiter ends a field and the first line end ends the record, as `core` would
    /// have it). Reads it and returns true, or reads nothing and returns false; `core` then
    /// reads the record from where it starts, so a quoted record is read as it always was.
    /// `core` is between records on both paths, so its state is the same whichever read one.
    fn read_plain(&mut self, record: &mut Record) -> bool {
        let Some(input) = self.buf.get(self.pos..self.len) else {
            return false;
        };
        let Some((end, fields)) = split_plain(input, &self.classes, &mut record.ends) else {
            return false;
        };
        let bytes = &input[..end];
        if record.data.len() < bytes.len() {
            record.data.resize(bytes.len().next_power_of_two(), 0);
        }
        // copied whole, delimiters and all: the fields are a delimiter apart
        record.data[..end].copy_from_slice(bytes);
        (record.used, record.fields, record.gap) = (end, fields, 1);
        // the line end itself; a CRLF's line feed is skipped before the next record
        if input[end] == b'\n' {
            self.line += 1;
        }
        self.pos += end + 1;
        true
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

/// What a byte is to [`split_plain`].
const PLAIN: u8 = 0;
const DELIMITER: u8 = 1;
const LINE_END: u8 = 2;
const QUOTE: u8 = 3;

/// Each byte's class, for `delimiter`.
fn classes(delimiter: u8) -> [u8; 256] {
    let mut classes = [PLAIN; 256];
    classes[usize::from(b'\n')] = LINE_END;
    classes[usize::from(b'\r')] = LINE_END;
    classes[usize::from(b'"')] = QUOTE;
    classes[usize::from(delimiter)] = DELIMITER;
    classes
}

/// Splits the record at the start of `input` when it has no quote and its line end is in
/// `input`: its length (up to the line end) and number of fields, each field's end (an index
/// into `input`) in `ends`. `None` otherwise. `classes` are the delimiter's [`classes`].
///
/// Without a branch on a delimiter: each byte's index is stored as the current field's end
/// and the count moves on only at a delimiter, so fields of varying length cost no
/// mispredicted branch (they cost a third of the scoring's time when the loop branched).
fn split_plain(input: &[u8], classes: &[u8; 256], ends: &mut Vec<usize>) -> Option<(usize, usize)> {
    let (mut fields, mut i) = (0, 0);
    loop {
        // the ends as a slice while there is room: its place stays in a register (stored
        // through the vector, it was loaded again at every byte)
        let slots = ends.as_mut_slice();
        while let (Some(&b), Some(slot)) = (input.get(i), slots.get_mut(fields)) {
            *slot = i;
            let class = classes[usize::from(b)];
            if class > DELIMITER {
                return (class == LINE_END).then_some((i, fields + 1));
            }
            fields += usize::from(class);
            i += 1;
        }
        if i == input.len() {
            return None;
        }
        ends.resize((fields + 1) * 2, 0);
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
    /// Bytes between one field's end and the next one's start: 0 as `core` stores them, 1
    /// as [`Records::read_plain`] does (the delimiter kept).
    gap: usize,
}

impl Default for Record {
    fn default() -> Record {
        Record {
            data: vec![0; 1024],
            ends: vec![0; 32],
            used: 0,
            fields: 0,
            gap: 0,
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
        (self.used, self.fields, self.gap) = (0, 0, 0);
    }

    /// The number of fields.
    pub fn len(&self) -> usize {
        self.fields
    }

    /// Every field's bytes, end to end (with the delimiters between them, when kept).
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
            _ => *self.ends.get(i - 1)? + self.gap,
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Gives its bytes a few at a time, so that records straddle refills.
    struct Pieces(Vec<u8>, usize, usize);

    impl Read for Pieces {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len() - self.2);
            buf[..n].copy_from_slice(&self.0[self.2..self.2 + n]);
            self.2 += n;
            Ok(n)
        }
    }

    fn all(bytes: &[u8], delimiter: u8, piece: usize, plain: bool) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut records = Records::new(Box::new(Pieces(bytes.to_vec(), piece, 0)), delimiter, 2);
        records.plain = plain;
        let mut record = Record::default();
        let mut out = Vec::new();
        while let Some(Ok(line)) = records.read(&mut record) {
            out.push((line, record.iter().map(<[u8]>::to_vec).collect()));
        }
        out.push((records.line(), Vec::new()));
        out
    }

    proptest! {
        /// Records read without `core` where they can be equal those `core` reads, with the
        /// same lines, however the input arrives.
        #[test]
        fn plain_records_are_read_as_core_reads_them(
            bytes in prop::collection::vec(
                prop::sample::select(b"ab,;\t\"\n\r \xc3\xa9".to_vec()), 0..200),
            delimiter in prop::sample::select(b",;\t".to_vec()),
            piece in 1usize..40,
        ) {
            let core = all(&bytes, delimiter, 1 << 16, false);
            prop_assert_eq!(&all(&bytes, delimiter, 1 << 16, true), &core);
            prop_assert_eq!(&all(&bytes, delimiter, piece, true), &core);
        }

        /// The split by classes finds what comparing each byte finds.
        #[test]
        fn split_finds_every_field_end(
            bytes in prop::collection::vec(
                prop::sample::select(b"ab,;\"\n\r\x00\x80\xff".to_vec()), 0..80),
        ) {
            let mut ends = Vec::new();
            let split = split_plain(&bytes, &classes(b','), &mut ends);
            let end = bytes.iter().position(|&b| b == b'\n' || b == b'\r');
            let quote = bytes.iter().position(|&b| b == b'"');
            match end {
                Some(end) if quote.is_none_or(|q| q > end) => {
                    let mut want: Vec<usize> = bytes[..end]
                        .iter()
                        .enumerate()
                        .filter(|&(_, &b)| b == b',')
                        .map(|(i, _)| i)
                        .collect();
                    want.push(end);
                    prop_assert_eq!(split, Some((end, want.len())));
                    prop_assert_eq!(&ends[..want.len()], &want[..]);
                }
                _ => prop_assert_eq!(split, None),
            }
        }
    }
}
