//! `alliance score`: one row per response.

use crate::Failure;
use crate::input::InputArgs;
use crate::output::{Cell, OutputArgs, Table};
use crate::study::Tally;
use alliance::{Element, score};

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

pub fn run(args: &Args) -> Result<(), Failure> {
    let (mut reader, mut tally) = Tally::open(&args.input)?;
    let mut subscales: Vec<String> = Vec::new();
    let in_play: Vec<alliance::Instrument> = match &args.input.instrument {
        Some(id) => crate::instruments::Instruments::load(args.input.instruments.as_deref())?
            .get(id)
            .cloned()
            .into_iter()
            .collect(),
        None => crate::instruments::Instruments::load(args.input.instruments.as_deref())?
            .all()
            .cloned()
            .collect(),
    };
    for i in &in_play {
        for s in i.subscales() {
            if !subscales.iter().any(|n| n == s.name()) {
                subscales.push(s.name().to_owned());
            }
        }
    }
    let mut columns: Vec<String> = [
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
    ]
    .map(String::from)
    .to_vec();
    let fixed = columns.len();
    columns.extend(subscales.iter().map(|s| format!("subscale:{s}")));
    let mut table = Table::new(&args.output, columns)?;
    let file = reader.file().to_owned();
    for item in reader.by_ref() {
        let row = match item {
            Ok(row) => row,
            Err(rejects) => {
                tally.reject(&rejects)?;
                continue;
            }
        };
        let s = match score(&row.response) {
            Ok(s) => s,
            Err(e) => {
                tally.reject(&[crate::input::Reject {
                    file: file.clone(),
                    line: row.line,
                    column: String::new(),
                    reason: e.to_string(),
                }])?;
                continue;
            }
        };
        let mut cells: Vec<Cell> = Vec::with_capacity(fixed + subscales.len());
        cells.extend([
            row.client.as_str().into(),
            row.therapist.as_str().into(),
            row.session.into(),
            row.date.map_or(Cell::Empty, |d| d.to_string().into()),
            row.response.rater().label().into(),
            s.instrument.as_str().into(),
            s.total.value.into(),
            s.total.mean.into(),
            s.total.pomp.into(),
        ]);
        for e in Element::ALL {
            cells.push(s.profile.get(e).map(|x| x.pomp).into());
        }
        let raised: Vec<&str> = s
            .cutoffs
            .iter()
            .filter(|c| c.flagged)
            .map(|c| c.label.as_str())
            .collect();
        cells.extend([
            s.total.items.into(),
            s.total.answered.into(),
            s.total.prorated.into(),
            (!raised.is_empty()).into(),
            raised.join(";").into(),
        ]);
        for name in &subscales {
            cells.push(
                s.subscales
                    .iter()
                    .find(|x| &x.name == name)
                    .map_or(Cell::Empty, |x| x.score.value.into()),
            );
        }
        table.row(&cells)?;
        tally.used(row.rows);
    }
    table.finish()?;
    let rows_read = reader.rows_read;
    tally.finish(rows_read, "scored")
}

/// Scores into `output`, with the default settings (for `alliance report`).
pub fn run_to(input: InputArgs, output: OutputArgs) -> Result<(), Failure> {
    run(&Args { input, output })
}
