//! `alliance report`: one self-contained HTML file with charts, plus the tidy tables.

use crate::Failure;
use crate::input::InputArgs;
use crate::output::{Cell, Format, OutputArgs, Table};
use crate::study::sd;
use crate::svg::{Band, Chart, Marker, Trace, escape};
use alliance::agreement::{LimitMultiplier, bland_altman, concordance};
use alliance::caseload::{ScoreOf, TimeAxis, pairs, series};
use alliance::trend::{RepairStatus, RuptureRule, SenOptions, mann_kendall, ruptures, sen_slope};
use alliance::{CutoffSide, Element, Instrument, Level, Rater};
use std::fmt::Write as _;
use std::path::PathBuf;

/// Write a report: `report.html` (self-contained: inline charts, no script, style or font
/// fetched from anywhere) and the tidy tables `overview.csv`, `scores.csv`, `trends.csv`,
/// `agreement.csv` and `reliability.csv`, in one directory.
///
/// The report opens with a caseload overview (one row per dyad: sessions, the last score,
/// sessions below the cutoff, ruptures and repairs, the trend and client-therapist
/// agreement; click a column to sort), then one section per dyad: the client's trajectory
/// on the main instrument with its four alliance elements, the cutoff band, and rupture
/// (red triangle) and repair (green ring) markers; client and therapist on the instrument
/// both answered; and a Bland-Altman plot of the two.
///
/// Ruptures: a drop of at least 1.5 SD below the mean of the sessions before (2.5 SD:
/// strict), the SD being the caseload's SD of the main instrument's POMP score.
///
/// Columns of overview.csv: client, therapist, instrument, sessions, last_pomp,
/// below_cutoff, ruptures, repaired, sen_slope, mk_p, shared_instrument, paired, ccc.
///
/// Example:
///   alliance report --sample
///   alliance report study.csv --out-dir report/
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// The directory to write into (created if needed).
    #[arg(long, default_value = "alliance-report", value_name = "DIR")]
    out_dir: PathBuf,
    /// The client's main instrument [default: the one the clients answered most often].
    #[arg(long, value_name = "ID")]
    main_instrument: Option<String>,
    /// Confidence level of the intervals.
    #[arg(long, default_value_t = 0.95)]
    level: f64,
}

const ELEMENT_COLOURS: [&str; 4] = ["#1f77b4", "#ff7f0e", "#9467bd", "#8c564b"];
const CLIENT: &str = "#2ca02c";
const THERAPIST: &str = "#17becf";
const TOTAL: &str = "#222222";

/// One dyad's line in the overview.
struct Line {
    client: String,
    therapist: String,
    sessions: usize,
    last: Option<f64>,
    below: usize,
    ruptures: usize,
    repaired: usize,
    sen: Option<f64>,
    mk_p: Option<f64>,
    paired: usize,
    ccc: Option<f64>,
}

/// The instrument the clients answered most often (ties: the first seen).
fn main_instrument(dyads: &[crate::study::Dyad]) -> Option<Instrument> {
    let mut counts: Vec<(Instrument, usize)> = Vec::new();
    for r in dyads
        .iter()
        .flat_map(|d| d.course.sessions())
        .flat_map(|s| s.responses())
    {
        if r.rater() != Rater::Client {
            continue;
        }
        match counts
            .iter_mut()
            .find(|(i, _)| i.id() == r.instrument().id())
        {
            Some((_, n)) => *n += 1,
            None => counts.push((r.instrument().clone(), 1)),
        }
    }
    let best = counts.iter().map(|c| c.1).max()?;
    counts.into_iter().find(|c| c.1 == best).map(|c| c.0)
}

/// A cutoff on the total as a POMP band: the flagged side, 0-100.
fn cutoff_band(instrument: &Instrument) -> Option<Band> {
    let c = instrument.cutoffs().first()?;
    let range = instrument.total_range();
    let pomp = 100.0 * (c.threshold() - range.min) / (range.max - range.min);
    let (from, to) = match c.side() {
        CutoffSide::Below | CutoffSide::AtOrBelow => (0.0, pomp),
        _ => (pomp, 100.0),
    };
    Some(Band {
        from,
        to,
        label: format!("{} ({} {})", c.label(), instrument.id(), c.threshold()),
    })
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let level = Level::new(args.level).map_err(|e| Failure::Usage(format!("--level: {e}")))?;
    std::fs::create_dir_all(&args.out_dir)
        .map_err(|e| Failure::Usage(format!("cannot create {}: {e}", args.out_dir.display())))?;
    let (dyads, tally, rows_read) = crate::study::read(&args.input)?;
    let main = match &args.main_instrument {
        Some(id) => crate::study::instrument_named(&dyads, id)
            .ok_or_else(|| Failure::Usage(format!("no response on '{id}' in the file")))?,
        None => main_instrument(&dyads)
            .ok_or_else(|| Failure::Data("no client response to report on".into()))?,
    };
    let shared = crate::study::shared_instrument(&dyads);
    let band = cutoff_band(&main);
    // the caseload's SD of the main POMP score: the rupture rule's reference SD
    let all: Vec<f64> = dyads
        .iter()
        .filter_map(|d| {
            series(
                &d.course,
                Rater::Client,
                &main,
                &ScoreOf::TotalPomp,
                TimeAxis::SessionNumber,
            )
            .ok()
        })
        .flat_map(|s| s.series.values().to_vec())
        .collect();
    let rule = sd(&all).and_then(|sd| RuptureRule::builder().reference_sd(sd).build().ok());

    let mut lines: Vec<Line> = Vec::with_capacity(dyads.len());
    let mut sections = String::new();
    for d in &dyads {
        let course = &d.course;
        let Ok(total) = series(
            course,
            Rater::Client,
            &main,
            &ScoreOf::TotalPomp,
            TimeAxis::SessionNumber,
        ) else {
            continue;
        };
        let s = &total.series;
        let points: Vec<(f64, f64)> = s
            .times()
            .iter()
            .copied()
            .zip(s.values().iter().copied())
            .collect();
        let mut chart = Chart {
            title: format!(
                "{} with {}: {} (client)",
                course.client(),
                course.therapist(),
                main.id()
            ),
            x_label: "session".into(),
            y_label: "POMP (0-100)".into(),
            y_range: Some((0.0, 100.0)),
            ..Chart::default()
        };
        if let Some(b) = &band {
            chart.bands.push(b.clone());
        }
        chart.traces.push(Trace {
            label: "total".into(),
            colour: TOTAL,
            points: points.clone(),
            dashed: false,
            dots_only: false,
        });
        for (k, e) in Element::ALL.iter().enumerate() {
            if main.element_items(*e) == 0 {
                continue;
            }
            if let Ok(es) = series(
                course,
                Rater::Client,
                &main,
                &ScoreOf::Element(*e),
                TimeAxis::SessionNumber,
            ) {
                let p = es
                    .series
                    .times()
                    .iter()
                    .copied()
                    .zip(es.series.values().iter().copied())
                    .collect();
                chart.traces.push(Trace {
                    label: e.slug().into(),
                    colour: ELEMENT_COLOURS[k],
                    points: p,
                    dashed: true,
                    dots_only: false,
                });
            }
        }
        let (mut n_ruptures, mut n_repaired) = (0, 0);
        if let Some(r) = rule.as_ref().and_then(|rule| ruptures(s, rule).ok()) {
            for x in &r.ruptures {
                n_ruptures += 1;
                chart.markers.push(Marker::Rupture(x.time, x.score));
                if let RepairStatus::Repaired { time, score, .. } = x.repair {
                    n_repaired += 1;
                    chart.markers.push(Marker::Repair(time, score));
                }
            }
        }
        let below = band.as_ref().map_or(0, |b| {
            s.values()
                .iter()
                .filter(|&&v| v >= b.from && v < b.to)
                .count()
        });
        let sen = sen_slope(s, level, SenOptions::default())
            .ok()
            .map(|x| x.slope);
        let mk_p = mann_kendall(s).ok().map(|m| m.p);
        let mut line = Line {
            client: course.client().to_owned(),
            therapist: course.therapist().to_owned(),
            sessions: s.len(),
            last: s.values().last().copied(),
            below,
            ruptures: n_ruptures,
            repaired: n_repaired,
            sen,
            mk_p,
            paired: 0,
            ccc: None,
        };
        let _ = write!(
            sections,
            r#"<section id="{}"><h2>{} with {}</h2><div class="charts">{}"#,
            anchor(course.client(), course.therapist()),
            escape(course.client()),
            escape(course.therapist()),
            chart.render()
        );
        if let Some(shared) = &shared
            && let Ok(p) = pairs(
                std::slice::from_ref(course),
                shared,
                shared,
                &ScoreOf::TotalPomp,
            )
        {
            let xs: Vec<f64> = p.sessions.iter().map(|s| f64::from(s.session)).collect();
            let both = Chart {
                title: format!("client and therapist: {}", shared.id()),
                x_label: "session".into(),
                y_label: "POMP (0-100)".into(),
                y_range: Some((0.0, 100.0)),
                traces: vec![
                    Trace {
                        label: "client".into(),
                        colour: CLIENT,
                        points: xs.iter().copied().zip(p.client.iter().copied()).collect(),
                        dashed: false,
                        dots_only: false,
                    },
                    Trace {
                        label: "therapist".into(),
                        colour: THERAPIST,
                        points: xs
                            .iter()
                            .copied()
                            .zip(p.therapist.iter().copied())
                            .collect(),
                        dashed: true,
                        dots_only: false,
                    },
                ],
                ..Chart::default()
            };
            sections.push_str(&both.render());
            line.paired = p.client.len();
            if let (Ok(paired), Ok(diff)) =
                (p.paired(), alliance::Paired::new(&p.therapist, &p.client))
            {
                line.ccc = concordance(&paired, level)
                    .ok()
                    .and_then(|c| c.coefficient.value());
                if let Ok(ba) = bland_altman(&diff, LimitMultiplier::default(), level) {
                    let means: Vec<(f64, f64)> = p
                        .client
                        .iter()
                        .zip(&p.therapist)
                        .map(|(c, t)| ((c + t) / 2.0, t - c))
                        .collect();
                    let plot = Chart {
                        title: format!("Bland-Altman: therapist minus client, {}", shared.id()),
                        x_label: "mean of the two (POMP)".into(),
                        y_label: "difference".into(),
                        traces: vec![Trace {
                            label: String::new(),
                            colour: THERAPIST,
                            points: means,
                            dashed: false,
                            dots_only: true,
                        }],
                        lines: vec![
                            (ba.bias, format!("bias {:.1}", ba.bias)),
                            (ba.lower_limit, format!("lower limit {:.1}", ba.lower_limit)),
                            (ba.upper_limit, format!("upper limit {:.1}", ba.upper_limit)),
                        ],
                        ..Chart::default()
                    };
                    sections.push_str(&plot.render());
                }
            }
        }
        sections.push_str("</div></section>\n");
        lines.push(line);
    }

    // the tidy tables
    let overview_path = args.out_dir.join("overview.csv");
    let columns = [
        "client",
        "therapist",
        "instrument",
        "sessions",
        "last_pomp",
        "below_cutoff",
        "ruptures",
        "repaired",
        "sen_slope",
        "mk_p",
        "shared_instrument",
        "paired",
        "ccc",
    ];
    let mut table = Table::to(
        Some(&overview_path),
        Format::Csv,
        columns.map(String::from).to_vec(),
    )?;
    for l in &lines {
        table.row(&[
            l.client.as_str().into(),
            l.therapist.as_str().into(),
            main.id().into(),
            l.sessions.into(),
            l.last.into(),
            l.below.into(),
            l.ruptures.into(),
            l.repaired.into(),
            l.sen.into(),
            l.mk_p.into(),
            shared.as_ref().map_or(Cell::Empty, |s| s.id().into()),
            l.paired.into(),
            l.ccc.into(),
        ])?;
    }
    table.finish()?;

    let html = page(&main, shared.as_ref(), &lines, &sections, dyads.len());
    let report = args.out_dir.join("report.html");
    std::fs::write(&report, html)?;
    tally.finish(rows_read, "used")?;
    for (name, which) in [
        ("scores.csv", 0),
        ("trends.csv", 1),
        ("agreement.csv", 2),
        ("reliability.csv", 3),
    ] {
        let out = OutputArgs {
            out: Some(args.out_dir.join(name)),
            format: Format::Csv,
        };
        let input = args.input.clone();
        let done = match which {
            0 => super::score::run_to(input, out),
            1 => super::trend::run_to(input, out, level),
            2 => super::agreement::run_to(input, out, level),
            _ => super::reliability::run_to(input, out, level),
        };
        // a table with nothing to show (no shared instrument, say) is left out, not an error
        if let Err(Failure::Usage(m) | Failure::Data(m)) = done {
            eprintln!("note: {name} not written: {m}");
        }
    }
    eprintln!("wrote {}", report.display());
    Ok(())
}

fn anchor(client: &str, therapist: &str) -> String {
    let raw = format!("d-{client}-{therapist}");
    raw.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn fmt(x: Option<f64>, digits: usize) -> String {
    x.map_or_else(String::new, |v| format!("{v:.digits$}"))
}

fn page(
    main: &Instrument,
    shared: Option<&Instrument>,
    lines: &[Line],
    sections: &str,
    dyads: usize,
) -> String {
    let mut rows = String::new();
    for l in lines {
        let flag = if l.ruptures > l.repaired {
            " class=\"open\""
        } else {
            ""
        };
        let _ = writeln!(
            rows,
            "<tr{flag}><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            anchor(&l.client, &l.therapist),
            escape(&l.client),
            escape(&l.therapist),
            l.sessions,
            fmt(l.last, 1),
            l.below,
            l.ruptures,
            l.repaired,
            fmt(l.sen, 2),
            fmt(l.mk_p, 3),
            l.paired,
            fmt(l.ccc, 2)
        );
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Alliance report</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; color: #222; }}
table {{ border-collapse: collapse; font-size: 13px; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: right; }}
th {{ cursor: pointer; background: #f2f2f2; position: sticky; top: 0; }}
td:first-child, td:nth-child(2), th:first-child, th:nth-child(2) {{ text-align: left; }}
tr.open td {{ background: #fde8e8; }}
.charts {{ display: flex; flex-wrap: wrap; gap: 8px; }}
section {{ content-visibility: auto; contain-intrinsic-size: 620px; border-top: 1px solid #ccc; margin-top: 1em; }}
</style></head><body>
<h1>Alliance report</h1>
<p>{dyads} dyads. Main instrument: <b>{}</b> (client, total and its alliance elements as POMP, 0-100){}. Generated by alliance {}; no real patient's data is sent anywhere: this file is self-contained.</p>
<h2>Caseload</h2>
<p>Rows in red: a rupture not (yet) repaired. Click a column title to sort.</p>
<table id="overview"><thead><tr><th>client</th><th>therapist</th><th>sessions</th><th>last POMP</th><th>below cutoff</th><th>ruptures</th><th>repaired</th><th>Sen slope / session</th><th>Mann-Kendall p</th><th>paired sessions</th><th>CCC</th></tr></thead>
<tbody>
{rows}</tbody></table>
{sections}
<script>
document.querySelectorAll('#overview th').forEach(function (th, col) {{
  th.addEventListener('click', function () {{
    var body = document.querySelector('#overview tbody');
    var rows = Array.prototype.slice.call(body.rows);
    var up = th.dataset.up !== '1'; th.dataset.up = up ? '1' : '0';
    rows.sort(function (a, b) {{
      var x = a.cells[col].textContent, y = b.cells[col].textContent;
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (isNaN(nx) || isNaN(ny)) ? x.localeCompare(y) : nx - ny;
      return up ? c : -c;
    }});
    rows.forEach(function (r) {{ body.appendChild(r); }});
  }});
}});
</script>
</body></html>
"#,
        escape(main.id()),
        shared.map_or(String::new(), |s| format!(
            "; client and therapist compared on <b>{}</b>",
            escape(s.id())
        )),
        env!("CARGO_PKG_VERSION"),
    )
}
