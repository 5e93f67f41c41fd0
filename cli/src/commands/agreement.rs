//! `alliance agreement`: client against therapist, per dyad and pooled.

use crate::Failure;
use crate::input::InputArgs;
use crate::output::{Cell, OutputArgs, Table};
use crate::study::Dyad;
use crate::study::sd;
use alliance::agreement::{
    Categories, IccForm, IccUnit, LimitMultiplier, Metric, Weighting, bland_altman, cohen_kappa,
    concordance, discrepancy, icc, krippendorff_alpha,
};
use alliance::caseload::{Pairs, ScoreOf, pairs};
use alliance::{Course, Element, Instrument, Level, Rater};

/// Agreement between client and therapist scores of the same sessions: ICC, Lin's
/// concordance (CCC) and Bland-Altman limits, per dyad and pooled over the caseload, for the
/// total (as POMP, 0-100), each alliance element or each native subscale.
///
/// Columns: dyad (client/therapist, or "pooled"), part, n (paired sessions), icc, icc_lower,
/// icc_upper, icc_form (e.g. ICC(A,1)), ccc, ccc_lower, ccc_upper, bias (therapist minus
/// client), loa_lower, loa_upper (bias ± 1.96 SD), level. A statistic undefined on the data
/// (e.g. a dyad with constant scores) is empty. Then client_higher and therapist_higher (the
/// sessions where each rated higher) and beyond_error (the sessions whose difference exceeds
/// 1.96 √(SEM_client² + SEM_therapist²); each SEM from the caseload: the part's SD over all
/// sessions times √(1 − alpha), alpha of the instrument per rater).
///
/// With --items, one row per item of the instrument both answered instead, pooled over the
/// caseload: item, n, kappa (weighted: quadratic by default), kappa_lower, kappa_upper,
/// weighting, krippendorff (ordinal alpha).
///
/// Example:
///   alliance agreement --sample
///   alliance agreement study.csv --by element --icc consistency
///   alliance agreement study.csv --client-instrument WAI-SR --therapist-instrument WAI-SR-T
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    output: OutputArgs,
    /// What to compare: the total (POMP), each element, or each native subscale.
    #[arg(long, value_enum, default_value_t = By::Total)]
    by: By,
    /// The ICC form: absolute agreement (offsets count), consistency (offsets do not) or
    /// one-way; single ratings.
    #[arg(long, value_enum, default_value_t = Form::Agreement)]
    icc: Form,
    /// The client's instrument [default: the one instrument both raters answered].
    #[arg(long, value_name = "ID")]
    client_instrument: Option<String>,
    /// The therapist's instrument [default: as the client's].
    #[arg(long, value_name = "ID")]
    therapist_instrument: Option<String>,
    /// Confidence level of the intervals.
    #[arg(long, default_value_t = 0.95)]
    level: f64,
    /// Agreement on each item (kappa and Krippendorff's alpha) instead of on scores.
    #[arg(long)]
    items: bool,
    /// The kappa weights with --items.
    #[arg(long, value_enum, default_value_t = Weights::Quadratic)]
    weights: Weights,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Weights {
    Unweighted,
    Linear,
    Quadratic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum By {
    Total,
    Element,
    Subscale,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Form {
    Agreement,
    Consistency,
    OneWay,
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let level = Level::new(args.level).map_err(|e| Failure::Usage(format!("--level: {e}")))?;
    let (dyads, tally, rows_read) = crate::study::read(&args.input)?;
    let client_instrument = match &args.client_instrument {
        Some(id) => crate::study::instrument_named(&dyads, id).ok_or_else(|| Failure::Usage(format!("no client response on '{id}' in the file")))?,
        None => crate::study::shared_instrument(&dyads).ok_or_else(|| {
            Failure::Usage("no instrument was answered by both client and therapist in one session; name them with --client-instrument and --therapist-instrument".into())
        })?,
    };
    let therapist_instrument = match &args.therapist_instrument {
        Some(id) => crate::study::instrument_named(&dyads, id)
            .ok_or_else(|| Failure::Usage(format!("no response on '{id}' in the file")))?,
        None => client_instrument.clone(),
    };
    let parts: Vec<(String, ScoreOf)> = match args.by {
        By::Total => vec![("total".into(), ScoreOf::TotalPomp)],
        By::Element => Element::ALL
            .iter()
            .filter(|&&e| {
                client_instrument.element_items(e) > 0 && therapist_instrument.element_items(e) > 0
            })
            .map(|&e| (e.name().to_owned(), ScoreOf::Element(e)))
            .collect(),
        By::Subscale => client_instrument
            .subscales()
            .iter()
            .filter(|s| {
                therapist_instrument
                    .subscales()
                    .iter()
                    .any(|t| t.name() == s.name())
            })
            .map(|s| (s.name().to_owned(), ScoreOf::Subscale(s.name().to_owned())))
            .collect(),
    };
    if parts.is_empty() {
        return Err(Failure::Usage(format!(
            "{} and {} share no {:?} to compare; try --by total",
            client_instrument.id(),
            therapist_instrument.id(),
            args.by
        )));
    }
    if args.items {
        let result = items(
            args,
            &dyads,
            &client_instrument,
            &therapist_instrument,
            level,
        );
        return result.and_then(|()| tally.finish(rows_read, "used"));
    }
    let (form, name) = match args.icc {
        Form::Agreement => (IccForm::TwoWayAgreement, "ICC(A,1)"),
        Form::Consistency => (IccForm::TwoWayConsistency, "ICC(C,1)"),
        Form::OneWay => (IccForm::OneWay, "ICC(1)"),
    };
    let columns = [
        "dyad",
        "part",
        "n",
        "icc",
        "icc_lower",
        "icc_upper",
        "icc_form",
        "ccc",
        "ccc_lower",
        "ccc_upper",
        "bias",
        "loa_lower",
        "loa_upper",
        "level",
        "client_higher",
        "therapist_higher",
        "beyond_error",
    ];
    let mut table = Table::new(&args.output, columns.map(String::from).to_vec())?;
    let courses: Vec<Course> = dyads.iter().map(|d| d.course.clone()).collect();
    let mut groups: Vec<(String, &[Course])> = courses
        .iter()
        .map(|c| {
            (
                format!("{}/{}", c.client(), c.therapist()),
                std::slice::from_ref(c),
            )
        })
        .collect();
    groups.push(("pooled".into(), &courses[..]));
    // standard errors of measurement per part, from the whole caseload
    let alpha_client = super::reliability::alpha_of(&dyads, Rater::Client, &client_instrument);
    let alpha_therapist =
        super::reliability::alpha_of(&dyads, Rater::Therapist, &therapist_instrument);
    let sems: Vec<Option<(f64, f64)>> = parts
        .iter()
        .map(|(_, of)| {
            let p = pairs(&courses, &client_instrument, &therapist_instrument, of).ok()?;
            let sem = |xs: &[f64], a: Option<f64>| {
                let a = a.filter(|a| (0.0..=1.0).contains(a))?;
                alliance::reliability::standard_error_of_measurement(sd(xs)?, a).ok()
            };
            Some((
                sem(&p.client, alpha_client)?,
                sem(&p.therapist, alpha_therapist)?,
            ))
        })
        .collect();
    for (dyad, group) in groups {
        for ((part, of), sem) in parts.iter().zip(&sems) {
            let Ok(p) = pairs(group, &client_instrument, &therapist_instrument, of) else {
                continue;
            };
            write(&mut table, &dyad, part, &p, form, name, level, *sem)?;
        }
    }
    table.finish()?;
    tally.finish(rows_read, "used")
}

#[allow(clippy::too_many_arguments)]
fn write(
    table: &mut Table,
    dyad: &str,
    part: &str,
    p: &Pairs,
    form: IccForm,
    name: &str,
    level: Level,
    sem: Option<(f64, f64)>,
) -> Result<(), Failure> {
    let Ok(paired) = p.paired() else {
        return Ok(());
    };
    // therapist minus client: columns in that order
    let (Ok(ratings), Ok(swapped)) = (
        paired.to_ratings(),
        alliance::Paired::new(&p.therapist, &p.client),
    ) else {
        return Ok(());
    };
    let i = icc(&ratings, form, IccUnit::Single, level).ok();
    let c = concordance(&paired, level).ok();
    let b = bland_altman(&swapped, LimitMultiplier::default(), level).ok();
    let d = sem.and_then(|(c, t)| discrepancy(&paired, c, t).ok());
    let ici = i.as_ref().and_then(|i| i.ci.value());
    let cci = c.as_ref().and_then(|c| c.ci.value());
    table.row(&[
        dyad.into(),
        part.into(),
        paired.n().into(),
        i.as_ref().map_or(Cell::Empty, |i| i.coefficient.into()),
        ici.map(|x| x.lower).into(),
        ici.map(|x| x.upper).into(),
        name.into(),
        c.as_ref().map_or(Cell::Empty, |c| c.coefficient.into()),
        cci.map(|x| x.lower).into(),
        cci.map(|x| x.upper).into(),
        b.as_ref().map(|b| b.bias).into(),
        b.as_ref().map(|b| b.lower_limit).into(),
        b.as_ref().map(|b| b.upper_limit).into(),
        level.value().into(),
        d.as_ref().map_or(Cell::Empty, |d| d.client_higher.into()),
        d.as_ref()
            .map_or(Cell::Empty, |d| d.therapist_higher.into()),
        d.as_ref().map_or(Cell::Empty, |d| d.exceeding.into()),
    ])?;
    Ok(())
}

/// Agreement on each item the two instruments share (same number), pooled over the caseload.
fn items(
    args: &Args,
    dyads: &[Dyad],
    client: &Instrument,
    therapist: &Instrument,
    level: Level,
) -> Result<(), Failure> {
    let scale = client.scale();
    let (lo, hi) = (scale.min(), scale.max());
    let whole = scale.step() == Some(1.0) && therapist.scale() == scale;
    if !whole {
        return Err(Failure::Usage(format!(
            "--items needs both instruments on one whole-number scale ({} is {lo}-{hi}); kappa \
             compares categories",
            client.id()
        )));
    }
    let categories =
        Categories::range(lo as i32, hi as i32).map_err(|e| Failure::Usage(e.to_string()))?;
    let weighting = match args.weights {
        Weights::Unweighted => Weighting::Unweighted,
        Weights::Linear => Weighting::Linear,
        Weights::Quadratic => Weighting::Quadratic,
    };
    let columns = [
        "item",
        "n",
        "kappa",
        "kappa_lower",
        "kappa_upper",
        "weighting",
        "krippendorff",
    ];
    let mut table = Table::new(&args.output, columns.map(String::from).to_vec())?;
    let k = client.items().len().min(therapist.items().len());
    for number in 1..=k as u16 {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for s in dyads.iter().flat_map(|d| d.course.sessions()) {
            if let (Some(c), Some(t)) = (
                s.response(Rater::Client, client.id()),
                s.response(Rater::Therapist, therapist.id()),
            ) && c.instrument() == client
                && t.instrument() == therapist
            {
                a.push(c.answer(number));
                b.push(t.answer(number));
            }
        }
        let Ok(paired) = alliance::Paired::with_missing(&a, &b) else {
            continue;
        };
        let kappa = cohen_kappa(&paired, &categories, &weighting, level).ok();
        let alpha = paired
            .to_ratings()
            .ok()
            .and_then(|r| krippendorff_alpha(&r, Metric::Ordinal, None).ok());
        let ci = kappa.as_ref().and_then(|k| k.ci.value());
        table.row(&[
            Cell::Int(i64::from(number)),
            paired.n().into(),
            kappa.as_ref().map_or(Cell::Empty, |k| k.coefficient.into()),
            ci.map(|c| c.lower).into(),
            ci.map(|c| c.upper).into(),
            format!("{:?}", args.weights).to_lowercase().into(),
            alpha.as_ref().map_or(Cell::Empty, |a| a.coefficient.into()),
        ])?;
    }
    table.finish()?;
    Ok(())
}

/// Agreement on the total into `output`, with the default settings (for `alliance report`).
pub fn run_to(input: InputArgs, output: OutputArgs, level: Level) -> Result<(), Failure> {
    run(&Args {
        input,
        output,
        by: By::Total,
        icc: Form::Agreement,
        client_instrument: None,
        therapist_instrument: None,
        level: level.value(),
        items: false,
        weights: Weights::Quadratic,
    })
}
