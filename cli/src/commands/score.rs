//! `alliance score`: one row per response.

use crate::Failure;
use crate::input::{Answered, InputArgs, Reader};

mod chunked;
use crate::instruments::Instruments;
use crate::output::{OutputArgs, Table};
use crate::study::Tally;
use alliance::{Element, ScoreCard, score_into};

/// Score every response: one row per response.
///
/// Columns: client, therapist, session, date, rater, instrument, total (in the instrument's
/// own metric, sum or mean), mean (of the answered items), pomp (0-100), rapport_pomp,
/// goals_pomp, expectations_pomp, responsibility_pomp (the four alliance elements, 0-100;
/// empty when the instrument has no item for one), items, answered, prorated (missing
/// answers prorated by the instrument's rule), flagged (any cutoff raised), flags (the
/// cutoffs raised, `;`-separated), then one `subscale:<name>` column per native subscale of
/// the instruments in play (empty for another instrument's rows).
///
/// Example:
///   alliance score --sample
///   alliance score study.csv --out scores.csv --rejects bad-rows.csv
///   alliance score answers.csv --layout long --instrument WAI-SR --rater client
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// Responses handed from the reading thread to the scoring thread at a time.
const BLOCK: usize = 1024;

/// Blocks on their way to the scoring thread at most.
const IN_FLIGHT: usize = 4;

pub fn run(args: &Args) -> Result<(), Failure> {
    let (mut reader, rest, tally) = Tally::open_split(&args.input)?;
    let chunk_bytes = chunked::chunk_bytes();
    if reader.is_long() || args.input.strict || chunk_bytes == 0 {
        // a response spans rows, or the first bad row must stop the run where it is
        reader.restart(rest, 2);
        return pipeline(reader, tally, args);
    }
    chunked::run(&reader, rest, tally, args, chunk_bytes)
}

/// Reads on one thread and scores and writes on this one.
fn pipeline(reader: Reader, mut tally: Tally, args: &Args) -> Result<(), Failure> {
    let known = reader.instruments().clone();
    let origin = reader.origin();
    let mut rows = Rows::new(&known, args)?;
    // One thread reads and parses, this one scores and writes: on two cores each takes
    // about half of the work.
    let (rows_read, scored) = std::thread::scope(|scope| {
        let (full, arriving) = std::sync::mpsc::sync_channel::<Block>(IN_FLIGHT);
        let (spare, returned) = std::sync::mpsc::channel::<Block>();
        let reading = scope.spawn(move || read(reader, &full, &returned));
        let mut scored = Ok(());
        for block in arriving.iter() {
            scored = block.slots[..block.len].iter().try_for_each(|slot| {
                match slot.rejects.is_empty() {
                    false => tally.reject(&slot.rejects),
                    true => match score_into(
                        known.at(slot.answered.instrument),
                        &slot.answered.answers,
                        &mut rows.card,
                    ) {
                        Err(e) => tally.reject(&origin.refused(&slot.answered, &e)),
                        Ok(()) => {
                            rows.write(&known, &slot.answered)?;
                            tally.used(slot.answered.rows);
                            Ok(())
                        }
                    },
                }
            });
            if scored.is_err() {
                break;
            }
            // the reader may have stopped; then the block is simply dropped
            let _ = spare.send(block);
        }
        // hanging up stops the reading thread at its next block
        drop(arriving);
        let rows_read = reading.join();
        (rows_read, scored)
    });
    scored?;
    let rows_read = rows_read.map_err(|_| {
        Failure::Data("internal error: the reading thread failed; please report this".into())
    })?;
    rows.table.finish()?;
    tally.finish(rows_read, "scored")
}

/// Responses read, a block at a time; a slot holds a response or the rejects of its rows.
struct Block {
    slots: Vec<Slot>,
    len: usize,
}

#[derive(Default)]
struct Slot {
    answered: Answered,
    rejects: Vec<crate::input::Reject>,
}

/// The reading thread: fills blocks (reusing those sent back) until the input ends or the
/// scoring thread hangs up; returns the rows read.
fn read(
    mut reader: Reader,
    full: &std::sync::mpsc::SyncSender<Block>,
    returned: &std::sync::mpsc::Receiver<Block>,
) -> u64 {
    loop {
        let mut block = returned.try_recv().unwrap_or_else(|_| Block {
            slots: Vec::with_capacity(BLOCK),
            len: 0,
        });
        block.len = 0;
        let mut end = false;
        while block.len < BLOCK {
            if block.slots.len() == block.len {
                block.slots.push(Slot::default());
            }
            let Some(slot) = block.slots.get_mut(block.len) else {
                break;
            };
            slot.rejects.clear();
            match reader.next_into(&mut slot.answered) {
                None => {
                    end = true;
                    break;
                }
                Some(Ok(())) => {}
                Some(Err(rejects)) => slot.rejects = rejects,
            }
            block.len += 1;
        }
        if (block.len > 0 && full.send(block).is_err()) || end {
            return reader.rows_read;
        }
    }
}

/// The score table: its columns, and one row per scored response.
struct Rows {
    table: Table,
    card: ScoreCard,
    /// Per instrument and subscale column: which of its subscales fills it, if any.
    sources: Vec<Vec<Option<usize>>>,
    width: usize,
    flags: String,
}

impl Rows {
    fn new(known: &Instruments, args: &Args) -> Result<Rows, Failure> {
        let columns = Rows::columns(known, args);
        let table = Table::new(&args.output, columns.clone())?;
        Ok(Rows::with(known, columns, table))
    }

    /// Rows formatted in memory (on a thread that scores chunks).
    fn in_memory(known: &Instruments, args: &Args) -> Rows {
        let columns = Rows::columns(known, args);
        let table = Table::memory(args.output.format, columns.clone());
        Rows::with(known, columns, table)
    }

    fn columns(known: &Instruments, args: &Args) -> Vec<String> {
        let in_play: Vec<&alliance::Instrument> = match &args.input.instrument {
            Some(id) => known.get(id).into_iter().collect(),
            None => known.all().collect(),
        };
        let mut subscales: Vec<&str> = Vec::new();
        for s in in_play.iter().flat_map(|i| i.subscales()) {
            if !subscales.contains(&s.name()) {
                subscales.push(s.name());
            }
        }
        let mut columns: Vec<String> = FIXED.map(String::from).to_vec();
        columns.extend(subscales.iter().map(|s| format!("subscale:{s}")));
        columns
    }

    fn with(known: &Instruments, columns: Vec<String>, table: Table) -> Rows {
        let subscales: Vec<&str> = columns
            .iter()
            .filter_map(|c| c.strip_prefix("subscale:"))
            .collect();
        let sources = known
            .all()
            .map(|i| {
                subscales
                    .iter()
                    .map(|name| i.subscales().iter().position(|s| s.name() == *name))
                    .collect()
            })
            .collect();
        Rows {
            width: columns.len(),
            table,
            card: ScoreCard::new(),
            sources,
            flags: String::new(),
        }
    }

    /// Writes the row of `a`, scored into `self.card`.
    fn write(&mut self, known: &Instruments, a: &Answered) -> std::io::Result<()> {
        let instrument = known.at(a.instrument);
        let card = &self.card;
        let total = card.total();
        self.flags.clear();
        let raised = instrument.cutoffs().iter().zip(card.flags());
        for (c, _) in raised.filter(|(_, raised)| **raised) {
            if !self.flags.is_empty() {
                self.flags.push(';');
            }
            self.flags.push_str(c.label());
        }
        let mut row = self.table.start_row();
        row.text(&a.client);
        row.text(&a.therapist);
        row.int(i64::from(a.session));
        row.date(a.date);
        row.label(a.rater.label());
        row.text(instrument.id());
        row.num(Some(total.value));
        row.num(Some(total.mean));
        row.num(Some(total.pomp));
        let profile = card.profile();
        for e in Element::ALL {
            row.num(profile.get(e).map(|x| x.pomp));
        }
        row.int(total.items as i64);
        row.int(total.answered as i64);
        row.bool(total.prorated);
        row.bool(card.is_flagged());
        row.text(&self.flags);
        let sources = self
            .sources
            .get(a.instrument)
            .map_or(&[][..], Vec::as_slice);
        for column in 0..self.width - FIXED.len() {
            let source = sources.get(column).copied().flatten();
            row.num(
                source
                    .and_then(|s| card.subscales().get(s))
                    .map(|s| s.value),
            );
        }
        row.finish()
    }
}

/// The columns before the subscales.
const FIXED: [&str; 18] = [
    "client",
    "therapist",
    "session",
    "date",
    "rater",
    "instrument",
    "total",
    "mean",
    "pomp",
    "rapport_pomp",
    "goals_pomp",
    "expectations_pomp",
    "responsibility_pomp",
    "items",
    "answered",
    "prorated",
    "flagged",
    "flags",
];

/// Scores into `output`, with the default settings (for `alliance report`).
pub fn run_to(input: InputArgs, output: OutputArgs) -> Result<(), Failure> {
    run(&Args { input, output })
}
