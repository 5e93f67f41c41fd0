//! `alliance trend`: per dyad, rater and part, the direction of the alliance across sessions.

use crate::Failure;
use crate::input::InputArgs;
use crate::output::{Cell, OutputArgs, Table};
use crate::study::sd;
use alliance::caseload::{ScoreOf, TimeAxis, series};
use alliance::reliability::ReliabilityKind;
use alliance::trend::{
    ChangeCriterion, ChangeDirection, RepairStatus, RuptureRule, SdSource, SenOptions,
    SuddenDropRule, mann_kendall, ols_trend, reliable_change, ruptures, sen_slope, sudden_drops,
};
use alliance::{Element, Instrument, Level, Rater};
use std::collections::HashMap;

/// Trends across sessions, per dyad, rater, instrument and part (the total as POMP, and each
/// alliance element the instrument covers): the OLS slope with its interval and p, the
/// Mann-Kendall test (exact p up to 49 sessions), and Sen's slope with its interval, on real
/// session times (session numbers, or days since the first session with --time days).
///
/// Columns: client, therapist, rater, instrument, part, n (sessions scored), time (session
/// or days), first, last (the first and last scores), ols_slope, ols_lower, ols_upper, ols_p,
/// mk_tau_b, mk_s, mk_p, sen_slope, sen_lower, sen_upper, level, ruptures, repaired,
/// sudden_drops, rci, reliable_change. Slopes are POMP points per session (or per day).
/// Parts with fewer than 3 sessions are left out.
///
/// Caseload-based criteria, per instrument, rater and part: ruptures are drops of 1.5 SD
/// (2.5: strict) below the mean of the sessions before, SD = the part's SD over the whole
/// caseload; the reliable change index (Jacobson & Truax) compares the first and the last
/// session with SD = the SD of the first sessions across dyads and reliability = Cronbach's
/// alpha of the instrument on all its responses (the total; elements use the same alpha);
/// reliable_change is improvement, deterioration or none; sudden drops (Tang & DeRubeis)
/// need a drop of at least the minimum reliable change.
///
/// Example:
///   alliance trend --sample
///   alliance trend study.csv --time days --out trends.csv
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    output: OutputArgs,
    /// The time axis: session numbers, or days since the first session (needs dates).
    #[arg(long, value_enum, default_value_t = Time::Session)]
    time: Time,
    /// Confidence level of the intervals.
    #[arg(long, default_value_t = 0.95)]
    level: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Time {
    Session,
    Days,
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let level = Level::new(args.level).map_err(|e| Failure::Usage(format!("--level: {e}")))?;
    let (dyads, tally, rows_read) = crate::study::read(&args.input)?;
    let axis = match args.time {
        Time::Session => TimeAxis::SessionNumber,
        Time::Days => TimeAxis::Days,
    };
    let columns = [
        "client",
        "therapist",
        "rater",
        "instrument",
        "part",
        "n",
        "time",
        "first",
        "last",
        "ols_slope",
        "ols_lower",
        "ols_upper",
        "ols_p",
        "mk_tau_b",
        "mk_s",
        "mk_p",
        "sen_slope",
        "sen_lower",
        "sen_upper",
        "level",
        "ruptures",
        "repaired",
        "sudden_drops",
        "rci",
        "reliable_change",
    ];
    let mut table = Table::new(&args.output, columns.map(String::from).to_vec())?;
    let mut criteria = Criteria::default();
    for d in &dyads {
        let course = &d.course;
        // the (rater, instrument) pairs of this course, in order of appearance
        let mut seen: Vec<(Rater, Instrument)> = Vec::new();
        for s in course.sessions() {
            for r in s.responses() {
                if !seen
                    .iter()
                    .any(|(ra, i)| *ra == r.rater() && i.id() == r.instrument().id())
                {
                    seen.push((r.rater(), r.instrument().clone()));
                }
            }
        }
        for (rater, instrument) in &seen {
            let mut parts = vec![("total".to_owned(), ScoreOf::TotalPomp)];
            parts.extend(
                Element::ALL
                    .iter()
                    .filter(|&&e| instrument.element_items(e) > 0)
                    .map(|&e| (e.name().to_owned(), ScoreOf::Element(e))),
            );
            for (part, of) in parts {
                let s = match series(course, *rater, instrument, &of, axis) {
                    Ok(s) => s,
                    Err(alliance::Error::MissingDate { session }) => {
                        return Err(Failure::Usage(format!(
                            "--time days needs a date on every session; session {session} of client {} has none (use --time session)",
                            course.client()
                        )));
                    }
                    Err(_) => continue,
                };
                let series = &s.series;
                if series.len() < 3 {
                    continue;
                }
                let ols = ols_trend(series, level).ok();
                let mk = mann_kendall(series).ok();
                let sen = sen_slope(series, level, SenOptions::default()).ok();
                let oci = ols.as_ref().and_then(|o| o.slope_ci.value());
                let sci = sen.as_ref().and_then(|s| s.ci.value());
                let values = series.values();
                let c = criteria.get(&dyads, *rater, instrument, &part, &of, axis);
                let r = c
                    .rupture
                    .as_ref()
                    .and_then(|rule| ruptures(series, rule).ok());
                let repaired = r.as_ref().map(|r| {
                    r.ruptures
                        .iter()
                        .filter(|x| matches!(x.repair, RepairStatus::Repaired { .. }))
                        .count()
                });
                let drops = c
                    .sudden
                    .as_ref()
                    .and_then(|rule| sudden_drops(series, rule).ok());
                let change = match (&c.change, values.first(), values.last()) {
                    (Some(crit), Some(&a), Some(&b)) => reliable_change(a, b, crit).ok(),
                    _ => None,
                };
                table.row(&[
                    course.client().into(),
                    course.therapist().into(),
                    rater.label().into(),
                    instrument.id().into(),
                    part.as_str().into(),
                    series.len().into(),
                    match args.time {
                        Time::Session => "session",
                        Time::Days => "days",
                    }
                    .into(),
                    values.first().copied().into(),
                    values.last().copied().into(),
                    ols.as_ref().map(|o| o.slope).into(),
                    oci.map(|c| c.lower).into(),
                    oci.map(|c| c.upper).into(),
                    ols.as_ref().map_or(Cell::Empty, |o| o.p.into()),
                    mk.as_ref().map_or(Cell::Empty, |m| m.tau_b.into()),
                    mk.as_ref().map_or(Cell::Empty, |m| Cell::Int(m.s)),
                    mk.as_ref().map(|m| m.p).into(),
                    sen.as_ref().map(|s| s.slope).into(),
                    sci.map(|c| c.lower).into(),
                    sci.map(|c| c.upper).into(),
                    level.value().into(),
                    r.as_ref().map_or(Cell::Empty, |r| r.ruptures.len().into()),
                    repaired.map_or(Cell::Empty, Into::into),
                    drops.as_ref().map_or(Cell::Empty, |d| d.drops.len().into()),
                    change.as_ref().map_or(Cell::Empty, |c| c.rci.into()),
                    change.as_ref().map_or(Cell::Empty, |c| {
                        match (c.reliable, c.direction) {
                            (true, ChangeDirection::Improvement) => "improvement",
                            (true, ChangeDirection::Deterioration) => "deterioration",
                            _ => "none",
                        }
                        .into()
                    }),
                ])?;
            }
        }
    }
    table.finish()?;
    tally.finish(rows_read, "used")
}

/// Trends into `output`, on session numbers (for `alliance report`).
pub fn run_to(input: InputArgs, output: OutputArgs, level: Level) -> Result<(), Failure> {
    run(&Args {
        input,
        output,
        time: Time::Session,
        level: level.value(),
    })
}

/// The caseload-based rules of one (rater, instrument, part).
#[derive(Debug, Clone, Default)]
struct Criterion {
    rupture: Option<RuptureRule>,
    sudden: Option<SuddenDropRule>,
    change: Option<ChangeCriterion>,
}

/// Criteria computed once per (rater, instrument, part) over the whole caseload.
#[derive(Debug, Default)]
struct Criteria {
    done: HashMap<(String, String, String), Criterion>,
    alpha: HashMap<(String, String), Option<f64>>,
}

impl Criteria {
    fn get(
        &mut self,
        dyads: &[crate::study::Dyad],
        rater: Rater,
        instrument: &Instrument,
        part: &str,
        of: &ScoreOf,
        axis: TimeAxis,
    ) -> Criterion {
        let key = (
            rater.label().to_owned(),
            instrument.id().to_owned(),
            part.to_owned(),
        );
        if let Some(c) = self.done.get(&key) {
            return c.clone();
        }
        let all: Vec<Vec<f64>> = dyads
            .iter()
            .filter_map(|d| series(&d.course, rater, instrument, of, axis).ok())
            .map(|s| s.series.values().to_vec())
            .collect();
        let pooled: Vec<f64> = all.iter().flatten().copied().collect();
        let firsts: Vec<f64> = all.iter().filter_map(|v| v.first().copied()).collect();
        let rupture = sd(&pooled).and_then(|s| RuptureRule::builder().reference_sd(s).build().ok());
        let alpha = *self
            .alpha
            .entry((key.0.clone(), key.1.clone()))
            .or_insert_with(|| super::reliability::alpha_of(dyads, rater, instrument));
        let change = match (sd(&firsts), alpha) {
            (Some(s), Some(a)) if (0.0..=1.0).contains(&a) => ChangeCriterion::builder()
                .sd(s, SdSource::Sample)
                .reliability(a, ReliabilityKind::Alpha)
                .build()
                .ok(),
            _ => None,
        };
        let sudden = change.as_ref().and_then(|c| {
            SuddenDropRule::builder()
                .min_drop(c.critical_value() * c.s_diff())
                .scale_min(0.0)
                .build()
                .ok()
        });
        let c = Criterion {
            rupture,
            sudden,
            change,
        };
        self.done.insert(key, c.clone());
        c
    }
}
