//! `alliance instruments`: the catalog (and your own instruments), with their keys.

use crate::Failure;
use crate::instruments::Instruments;
use crate::output::{Cell, Format, OutputArgs, Table};
use alliance::Keying;
use std::path::PathBuf;

/// List the instruments: one row per item, with its keying, subscale and element, and the
/// instrument's scale, scoring rule, cutoffs, source and licence.
///
/// With `--format json`, prints each instrument's full definition as JSON: the shape of a
/// file of your own instruments for `--instruments FILE` (a list, or `{"instruments": [..]}`;
/// TOML works too).
///
/// Columns: instrument, name, item, keying, subscale, element, scale_min, scale_max,
/// scale_step, scoring, cutoffs, source, licence.
///
/// Example:
///   alliance instruments
///   alliance instruments --format json > my-instruments.json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Only this instrument.
    #[arg(long, value_name = "ID")]
    id: Option<String>,
    /// Your own instruments too (JSON or TOML).
    #[arg(long, value_name = "FILE")]
    instruments: Option<PathBuf>,
    /// `csv` (one row per item), `jsonl`, or `json` (full definitions).
    #[arg(long, value_enum, default_value_t = ListFormat::Csv)]
    format: ListFormat,
    /// Write here instead of to standard output.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ListFormat {
    Csv,
    Jsonl,
    Json,
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let known = Instruments::load(args.instruments.as_deref())?;
    let chosen: Vec<_> = known
        .all()
        .filter(|i| args.id.as_deref().is_none_or(|id| i.id() == id))
        .collect();
    if chosen.is_empty() {
        return Err(Failure::Usage(format!(
            "unknown instrument '{}'; known: {}",
            args.id.as_deref().unwrap_or(""),
            known.ids().join(", ")
        )));
    }
    if args.format == ListFormat::Json {
        let text =
            serde_json::to_string_pretty(&chosen).map_err(|e| Failure::Data(e.to_string()))?;
        match &args.out {
            Some(p) => std::fs::write(p, text + "\n")?,
            None => println!("{text}"),
        }
        return Ok(());
    }
    let format = if args.format == ListFormat::Jsonl {
        Format::Jsonl
    } else {
        Format::Csv
    };
    let columns = [
        "instrument",
        "name",
        "item",
        "keying",
        "subscale",
        "element",
        "scale_min",
        "scale_max",
        "scale_step",
        "scoring",
        "cutoffs",
        "source",
        "licence",
    ]
    .map(String::from)
    .to_vec();
    let out = OutputArgs {
        out: args.out.clone(),
        format,
    };
    let mut table = Table::new(&out, columns)?;
    for i in chosen {
        let cutoffs: Vec<String> = i
            .cutoffs()
            .iter()
            .map(|c| format!("{} {:?} {}", c.label(), c.side(), c.threshold()))
            .collect();
        for item in i.items() {
            table.row(&[
                i.id().into(),
                i.name().into(),
                Cell::Int(i64::from(item.number())),
                match item.keying() {
                    Keying::Forward => "forward",
                    Keying::Reverse => "reverse",
                }
                .into(),
                item.subscale()
                    .and_then(|s| i.subscales().get(s))
                    .map_or(Cell::Empty, |s| s.name().into()),
                item.element().map_or(Cell::Empty, |e| e.name().into()),
                i.scale().min().into(),
                i.scale().max().into(),
                i.scale().step().into(),
                format!("{:?}", i.scoring()).to_lowercase().into(),
                cutoffs.join("; ").into(),
                i.source().into(),
                i.licence().into(),
            ])?;
        }
    }
    table.finish()?;
    Ok(())
}
