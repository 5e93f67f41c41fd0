//! Scoring a wide file in chunks of whole records, on every core: a thread cuts the input into
//! chunks, each worker reads, scores and formats whole chunks, and this thread writes the
//! results in order. Nothing a row needs crosses threads row by row, only chunks of bytes do,
//! and at most a few chunks are in flight at once, so memory stays flat.
//!
//! The one check that spans chunks is the duplicate check (a second response with the same
//! session, rater and instrument within a dyad's block of rows). A worker leaves the responses
//! of its chunk's first dyad block unscored; this thread checks them against the block carried
//! over from the chunks before and scores them, so the result is the sequential one exactly:
//! the same rows, the same rejects in the same order.

use super::{Args, Rows};
use crate::Failure;
use crate::input::{Answered, Origin, Reader, Reject, Seen};
use crate::instruments::Instruments;
use crate::study::Tally;
use alliance::score_into;
use std::collections::BTreeMap;
use std::io::Read;
use std::sync::mpsc::{Receiver, Sender, channel, sync_channel};
use std::sync::{Arc, Mutex};

/// Input bytes per chunk, at least (a chunk ends after a whole record). Small enough that a
/// chunk and its output stay in a core's cache until they are written: with 1 MB chunks the
/// kernel's copy of the output into the file took about five times as many samples, and on
/// 10 million rows, side by side, the run took 3.8-4.1 s against 2.8-3.0 s in three of four
/// runs with 256 KB (128 KB and 64 KB were slower again).
const CHUNK_BYTES: usize = 1 << 18;

/// The environment variable that sets the bytes per chunk instead (for tests, which cut small
/// files into many chunks); `0` reads on one thread instead of in chunks.
pub(super) const CHUNK_VAR: &str = "ALLIANCE_SCORE_CHUNK_BYTES";

/// The bytes per chunk: [`CHUNK_BYTES`], or [`CHUNK_VAR`]'s value (`Some(0)`: no chunks).
pub(super) fn chunk_bytes() -> usize {
    std::env::var(CHUNK_VAR)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CHUNK_BYTES)
}

/// Bytes asked of the input at a time.
const READ_BYTES: usize = 1 << 18;

/// A chunk of whole records and where it starts.
struct Chunk {
    seq: u64,
    bytes: Vec<u8>,
    first_line: u64,
}

/// A chunk read, scored and formatted by a worker.
struct Done {
    seq: u64,
    /// The formatted rows of the responses after the first dyad block.
    out: Vec<u8>,
    rows_out: u64,
    /// Each with the number of its row in the chunk (lines can hold more than one row).
    rejects: Vec<(u64, Reject)>,
    rows_read: u64,
    /// The responses of the chunk's first dyad block, read but not yet checked for
    /// duplicates against the chunks before, nor scored; each with the number of its row.
    head: Vec<(u64, Answered)>,
    /// The duplicate check's state at the chunk's end, when its dyad changed within it.
    tail: Option<((String, String), Seen)>,
    /// An output error (a worker formats in memory, so none is expected).
    failed: Option<std::io::Error>,
}

/// Scores the rest of the input, `template` having read its header.
pub(super) fn run(
    template: &Reader,
    mut rest: Box<dyn Read + Send>,
    mut tally: Tally,
    args: &Args,
    chunk_bytes: usize,
) -> Result<(), Failure> {
    let known = template.instruments().clone();
    let origin = template.origin();
    let mut rows = Rows::new(&known, args)?;
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 8));
    let mut merge = Merge {
        next: 0,
        waiting: BTreeMap::new(),
        block: (String::new(), String::new()),
        seen: Seen::default(),
        rows_read: 0,
    };
    let file = template.file().to_owned();
    let delimiter = template.delimiter();
    let pools = Pools::default();
    let pools = &pools;
    let gone =
        move || Failure::Data("internal error: a scoring thread failed; please report this".into());
    std::thread::scope(|scope| -> Result<(), Failure> {
        let (send_chunk, chunks) = sync_channel::<Chunk>(2 * workers);
        let chunks = Arc::new(Mutex::new(chunks));
        let (send_done, dones) = channel::<Done>();
        // Chunks in flight, from cut to written, at most: memory stays flat when the output
        // is slower than the scoring (without a bound, scored chunks piled up while writes
        // blocked: 280 MB on a 500 MB file). A token is taken to cut a chunk and given back
        // when it is written.
        let in_flight = 4 * workers;
        let (give_back, tokens) = sync_channel::<()>(in_flight);
        for _ in 0..in_flight {
            give_back.send(()).map_err(|_| gone())?;
        }
        let mut threads = Vec::with_capacity(workers);
        for _ in 0..workers {
            let (chunks, send_done) = (Arc::clone(&chunks), send_done.clone());
            let mut reader = template.fork();
            let (known, origin) = (&known, &origin);
            threads.push(scope.spawn(move || {
                // made here: a table holds an output, which stays on its thread
                let mut rows = Rows::in_memory(known, args);
                work(
                    &mut reader,
                    &mut rows,
                    known,
                    origin,
                    &chunks,
                    &send_done,
                    pools,
                );
            }));
        }
        // the workers hold the only ends left: when they stop, sending and receiving fail
        drop((chunks, send_done));
        // Cutting has a thread of its own (it owns the sending end of the chunks, dropped when
        // it returns: the workers then stop), so that the input is read and cut while this
        // thread waits on the output: while it merged and wrote too, the workers ran dry
        // whenever a write blocked.
        let used = Arc::clone(&pools.inputs);
        let cutting = scope.spawn(move || -> Result<u64, Failure> {
            let mut cutter = Cutter::new(delimiter);
            // small chunks (in tests) are read in small pieces, so that each is cut on its own
            let read_bytes = chunk_bytes.clamp(1, READ_BYTES);
            let capacity = chunk_bytes.min(CHUNK_BYTES) + read_bytes;
            let mut buf = Vec::with_capacity(capacity);
            let (mut seq, mut line) = (0u64, 2u64);
            loop {
                let eof = fill(&mut rest, &mut buf, read_bytes)
                    .map_err(|e| Failure::Data(format!("cannot read {file}: {e}")))?;
                cutter.scan(&buf);
                let cut = match (eof, cutter.end) {
                    (true, _) => buf.len(),
                    (false, end) if end > 0 && buf.len() >= chunk_bytes => end,
                    _ => continue,
                };
                if cut > 0 {
                    tokens.recv().map_err(|_| gone())?;
                    let recycled = used.lock().ok().and_then(|mut u| u.pop());
                    let mut next = recycled.unwrap_or_else(|| Vec::with_capacity(capacity));
                    next.clear();
                    next.extend_from_slice(buf.get(cut..).unwrap_or_default());
                    buf.truncate(cut);
                    let bytes = std::mem::replace(&mut buf, next);
                    let first_line = line;
                    line += line_feeds(&bytes);
                    let chunk = Chunk {
                        seq,
                        bytes,
                        first_line,
                    };
                    send_chunk.send(chunk).map_err(|_| gone())?;
                    seq += 1;
                    cutter.reset();
                }
                if eof {
                    return Ok(seq);
                }
            }
        });
        // merges and writes until every worker has stopped (on an error: returns, which drops
        // the receiving end; the workers and then the cutting stop at their next send)
        let merged = dones.iter().try_for_each(|d| {
            let written = merge.take(d, template, &known, &origin, &mut rows, &mut tally, pools)?;
            for _ in 0..written {
                // the cutting may have stopped (at the input's end or on an error)
                let _ = give_back.send(());
            }
            Ok(())
        });
        drop((dones, give_back));
        let cut = cutting.join().unwrap_or_else(|_| Err(gone()));
        let outcome = merged.and_then(|()| match cut? == merge.next {
            true => Ok(()),
            false => Err(gone()),
        });
        // joined here, so that a worker's panic is an error, not this thread's panic
        let failed: Vec<bool> = threads.into_iter().map(|t| t.join().is_err()).collect();
        let crashed = failed.contains(&true);
        match crashed {
            true => Err(gone()),
            false => outcome,
        }
    })?;
    rows.table.finish()?;
    tally.finish(merge.rows_read, "scored")
}

/// The line feeds in `bytes` (what lines are counted by), 64 bytes at a time.
fn line_feeds(bytes: &[u8]) -> u64 {
    let (blocks, rest) = bytes.as_chunks::<64>();
    let count = |block: &[u8]| block.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'));
    let whole: u64 = blocks.iter().map(|b| u64::from(count(b))).sum();
    whole + u64::from(count(rest))
}

/// Appends up to `bytes` of the input to `buf`; `true` at its end.
fn fill(input: &mut dyn Read, buf: &mut Vec<u8>, bytes: usize) -> std::io::Result<bool> {
    // `read_to_end` reads into the spare capacity without zeroing it first
    let read = input.take(bytes as u64).read_to_end(buf)?;
    Ok(read == 0)
}

/// A worker: reads, scores and formats whole chunks until there are none.
fn work(
    reader: &mut Reader,
    rows: &mut Rows,
    known: &Instruments,
    origin: &Origin,
    chunks: &Mutex<Receiver<Chunk>>,
    done: &Sender<Done>,
    pools: &Pools,
) {
    let mut a = Answered::default();
    loop {
        let next = match chunks.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok(chunk) = next else { return };
        reader.restart(
            Box::new(ChunkInput {
                bytes: std::io::Cursor::new(chunk.bytes),
                used: Arc::clone(&pools.inputs),
            }),
            chunk.first_line,
        );
        let mut d = Done {
            seq: chunk.seq,
            out: Vec::new(),
            rows_out: 0,
            rejects: Vec::new(),
            rows_read: 0,
            head: Vec::new(),
            tail: None,
            failed: None,
        };
        let mut in_head = true;
        while let Some(read) = reader.next_into(&mut a) {
            let row = reader.rows_read;
            if let Err(rejects) = read {
                d.rejects.extend(rejects.into_iter().map(|r| (row, r)));
                continue;
            }
            if in_head {
                let same =
                    |(_, h): &(u64, Answered)| h.client == a.client && h.therapist == a.therapist;
                if d.head.first().is_none_or(same) {
                    d.head.push((row, a.clone()));
                    continue;
                }
                in_head = false;
            }
            match score_into(known.at(a.instrument), &a.answers, &mut rows.card) {
                Err(e) => d
                    .rejects
                    .extend(origin.refused(&a, &e).into_iter().map(|r| (row, r))),
                Ok(()) => match rows.write(known, &a) {
                    Ok(()) => d.rows_out += 1,
                    Err(e) => {
                        d.failed = Some(e);
                        break;
                    }
                },
            }
        }
        d.rows_read = reader.rows_read;
        if !in_head {
            let (block, seen) = reader.dyad_block();
            d.tail = Some((block.clone(), seen.clone()));
        }
        let recycled = pools.outputs.lock().ok().and_then(|mut s| s.pop());
        d.out = rows.table.take(recycled.unwrap_or_default());
        if done.send(d).is_err() {
            return;
        }
    }
}

/// Buffers to use again.
type Pool = Arc<Mutex<Vec<Vec<u8>>>>;

/// Buffers handed back to be filled again, rather than memory the kernel would map afresh
/// (and fault in) for every chunk.
#[derive(Default)]
struct Pools {
    /// Input chunks read, for the cutting.
    inputs: Pool,
    /// Output written, for the workers.
    outputs: Pool,
}

/// A chunk's bytes as a worker's input; they go back to `used` when it is done with them.
struct ChunkInput {
    bytes: std::io::Cursor<Vec<u8>>,
    used: Pool,
}

impl Read for ChunkInput {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.bytes.read(buf)
    }
}

impl Drop for ChunkInput {
    fn drop(&mut self) {
        if let Ok(mut used) = self.used.lock() {
            used.push(std::mem::take(self.bytes.get_mut()));
        }
    }
}

/// Puts the chunks back in order and carries the duplicate check from one to the next.
struct Merge {
    /// The chunk to write next.
    next: u64,
    waiting: BTreeMap<u64, Done>,
    /// The dyad of the current block of rows, and its responses' (session, rater,
    /// instrument), as the sequential reader would have them.
    block: (String, String),
    seen: Seen,
    rows_read: u64,
}

impl Merge {
    /// Takes a chunk done, and writes it and the chunks waiting behind it once the chunks
    /// before are written: the number of chunks written.
    #[allow(clippy::too_many_arguments)]
    fn take(
        &mut self,
        d: Done,
        template: &Reader,
        known: &Instruments,
        origin: &Origin,
        rows: &mut Rows,
        tally: &mut Tally,
        pools: &Pools,
    ) -> Result<u64, Failure> {
        self.waiting.insert(d.seq, d);
        let mut written = 0;
        while let Some(mut d) = self.waiting.remove(&self.next) {
            self.next += 1;
            written += 1;
            let out = std::mem::take(&mut d.out);
            self.apply(d, &out, template, known, origin, rows, tally)?;
            if let Ok(mut s) = pools.outputs.lock() {
                s.push(out);
            }
        }
        Ok(written)
    }

    #[allow(clippy::too_many_arguments)]
    fn apply(
        &mut self,
        d: Done,
        out: &[u8],
        template: &Reader,
        known: &Instruments,
        origin: &Origin,
        rows: &mut Rows,
        tally: &mut Tally,
    ) -> Result<(), Failure> {
        if let Some(e) = d.failed {
            return Err(e.into());
        }
        let mut rejects = d.rejects;
        for (row, a) in &d.head {
            if a.client != self.block.0 || a.therapist != self.block.1 {
                self.block.0.clone_from(&a.client);
                self.block.1.clone_from(&a.therapist);
                self.seen.clear();
            }
            if !self.seen.insert(a.key()) {
                rejects.push((*row, template.duplicate(a)));
                continue;
            }
            match score_into(known.at(a.instrument), &a.answers, &mut rows.card) {
                Err(e) => rejects.extend(origin.refused(a, &e).into_iter().map(|r| (*row, r))),
                Ok(()) => {
                    rows.write(known, a)?;
                    tally.used(a.rows);
                }
            }
        }
        rows.table.append(out, d.rows_out)?;
        tally.used(d.rows_out);
        if let Some((block, seen)) = d.tail {
            (self.block, self.seen) = (block, seen);
        }
        if !rejects.is_empty() {
            // in row order, as one reader gives them (a sort that keeps a row's rejects in order)
            rejects.sort_by_key(|(row, _)| *row);
            let rejects: Vec<Reject> = rejects.into_iter().map(|(_, r)| r).collect();
            tally.reject(&rejects)?;
        }
        self.rows_read += d.rows_read;
        Ok(())
    }
}

/// Finds where the last whole record in the bytes read so far ends, looking at each byte
/// once: the last line end when there is no quote (so no field can hold a line end), else
/// where `csv_core`, parsing as the workers' readers will, ends a record.
struct Cutter {
    core: csv_core::Reader,
    /// Bytes looked at.
    scanned: usize,
    /// The end of the last whole record found (0: none yet).
    end: usize,
    quoted: bool,
    out: Vec<u8>,
    ends: Vec<usize>,
}

impl Cutter {
    fn new(delimiter: u8) -> Cutter {
        Cutter {
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            scanned: 0,
            end: 0,
            quoted: false,
            out: vec![0; 1 << 16],
            ends: vec![0; 1 << 10],
        }
    }

    /// Looks at the bytes of `buf` not yet looked at (`buf` only grows until a reset).
    fn scan(&mut self, buf: &[u8]) {
        let new = buf.get(self.scanned..).unwrap_or_default();
        if !self.quoted && new.contains(&b'"') {
            // from the chunk's start, which is the start of a record
            self.quoted = true;
            self.core.reset();
            (self.scanned, self.end) = (0, 0);
        }
        if !self.quoted {
            if let Some(i) = new.iter().rposition(|&b| b == b'\n' || b == b'\r') {
                self.end = self.scanned + i + 1;
            }
            self.scanned = buf.len();
            return;
        }
        let mut at = self.scanned;
        while let Some(input) = buf.get(at..).filter(|i| !i.is_empty()) {
            let (result, read, _, _) = self.core.read_record(input, &mut self.out, &mut self.ends);
            at += read;
            match result {
                csv_core::ReadRecordResult::Record => self.end = at,
                csv_core::ReadRecordResult::OutputFull
                | csv_core::ReadRecordResult::OutputEndsFull => {}
                csv_core::ReadRecordResult::InputEmpty | csv_core::ReadRecordResult::End => break,
            }
        }
        self.scanned = at;
    }

    /// For the next chunk, which starts at the start of a record.
    fn reset(&mut self) {
        self.core.reset();
        (self.scanned, self.end, self.quoted) = (0, 0, false);
    }
}
