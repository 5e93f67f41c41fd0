//! `alliance reliability`: internal consistency per instrument, rater and scale.

use crate::Failure;
use crate::input::InputArgs;
use crate::output::{Cell, OutputArgs, Table};
use alliance::reliability::{cronbach_alpha, item_analysis};
use alliance::{Instrument, Keying, Level, Rater, Ratings, Response};

/// Cronbach's alpha with Feldt's interval, per instrument, rater and scale (the total and
/// each native subscale), on keyed answers (reverse-keyed items reversed); listwise: a
/// response missing an answer of the scale is left out of that scale.
///
/// Columns: instrument, rater, scale, items, n (responses used), dropped (left out for a
/// missing answer), alpha, lower, upper (the interval), level, standardized (alpha of the
/// standardized items).
/// With --items, one row per item instead: instrument, rater, scale, item, mean, sd,
/// corrected_item_total, alpha_if_deleted.
///
/// Example:
///   alliance reliability --sample
///   alliance reliability study.csv --items --out items.csv
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    output: OutputArgs,
    /// Item analysis (one row per item) instead of one row per scale.
    #[arg(long)]
    items: bool,
    /// Confidence level of the intervals.
    #[arg(long, default_value_t = 0.95)]
    level: f64,
}

/// The keyed answers of a scale's items, one row per response.
pub fn matrix(instrument: &Instrument, responses: &[&Response], items: &[u16]) -> Option<Ratings> {
    let scale = instrument.scale();
    let mut cells = Vec::with_capacity(responses.len() * items.len());
    for r in responses {
        for &number in items {
            let answer = r.answer(number);
            let reverse = instrument
                .item(number)
                .is_some_and(|i| i.keying() == Keying::Reverse);
            cells.push(match (answer, reverse) {
                (Some(x), true) => scale.reverse(x).ok(),
                (a, _) => a,
            });
        }
    }
    Ratings::with_missing(responses.len(), items.len(), cells).ok()
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let level = Level::new(args.level).map_err(|e| Failure::Usage(format!("--level: {e}")))?;
    let (dyads, tally, rows_read) = crate::study::read(&args.input)?;
    // every response, by (instrument, rater), in file order
    let mut groups: Vec<((String, Rater), Vec<&Response>)> = Vec::new();
    for d in &dyads {
        for s in d.course.sessions() {
            for r in s.responses() {
                let key = (r.instrument().id().to_owned(), r.rater());
                match groups.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, v)) => v.push(r),
                    None => groups.push((key, vec![r])),
                }
            }
        }
    }
    let columns: &[&str] = if args.items {
        &[
            "instrument",
            "rater",
            "scale",
            "item",
            "mean",
            "sd",
            "corrected_item_total",
            "alpha_if_deleted",
        ]
    } else {
        &[
            "instrument",
            "rater",
            "scale",
            "items",
            "n",
            "dropped",
            "alpha",
            "lower",
            "upper",
            "level",
            "standardized",
        ]
    };
    let mut table = Table::new(
        &args.output,
        columns.iter().map(|c| (*c).to_owned()).collect(),
    )?;
    for ((_, rater), responses) in &groups {
        let instrument = responses[0].instrument();
        let mut scales: Vec<(String, Vec<u16>)> = vec![(
            "total".into(),
            instrument.items().iter().map(|i| i.number()).collect(),
        )];
        scales.extend(
            instrument
                .subscales()
                .iter()
                .map(|s| (s.name().to_owned(), s.items().to_vec())),
        );
        for (name, items) in scales {
            if items.len() < 2 {
                continue;
            }
            let Some(m) = matrix(instrument, responses, &items) else {
                continue;
            };
            let head = [
                instrument.id().into(),
                rater.label().into(),
                name.as_str().into(),
            ];
            if args.items {
                let Ok(a) = item_analysis(&m, level) else {
                    continue;
                };
                for it in &a.items {
                    let mut row = head.to_vec();
                    row.extend([
                        Cell::Int(i64::from(items[it.item])),
                        it.mean.into(),
                        it.sd.into(),
                        it.corrected_item_total.into(),
                        it.alpha_if_deleted.into(),
                    ]);
                    table.row(&row)?;
                }
            } else {
                let Ok(a) = cronbach_alpha(&m, level) else {
                    continue;
                };
                let ci = a.ci.value();
                let mut row = head.to_vec();
                row.extend([
                    items.len().into(),
                    a.n.into(),
                    a.dropped.into(),
                    a.coefficient.into(),
                    ci.map(|c| c.lower).into(),
                    ci.map(|c| c.upper).into(),
                    level.value().into(),
                    a.standardized.into(),
                ]);
                table.row(&row)?;
            }
        }
    }
    table.finish()?;
    tally.finish(rows_read, "used")
}

/// Alpha per scale into `output` (for `alliance report`).
pub fn run_to(input: InputArgs, output: OutputArgs, level: Level) -> Result<(), Failure> {
    run(&Args {
        input,
        output,
        items: false,
        level: level.value(),
    })
}

/// Cronbach's alpha of an instrument's keyed items over every response of this rater.
pub fn alpha_of(
    dyads: &[crate::study::Dyad],
    rater: Rater,
    instrument: &Instrument,
) -> Option<f64> {
    let responses: Vec<&alliance::Response> = dyads
        .iter()
        .flat_map(|d| d.course.sessions())
        .filter_map(|s| s.response(rater, instrument.id()))
        .collect();
    let items: Vec<u16> = instrument.items().iter().map(|i| i.number()).collect();
    let m = matrix(instrument, &responses, &items)?;
    cronbach_alpha(&m, Level::default())
        .ok()?
        .coefficient
        .value()
}
