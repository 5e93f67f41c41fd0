//! Scoring questionnaires by catalog id, the catalog itself, and the bundled sample caseload.

use alliance::{BatchScorer, Element, Instrument, ScoreCard, catalog, score_into};
use numpy::{IntoPyArray, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::convert::{slice2, snake};
use crate::errors::{self, IntoPyResult};

/// The catalog instrument with this id (any letter case).
///
/// # Errors
/// `AllianceError` (`unrecognized`) for an id the catalog does not have.
pub fn instrument(py: Python<'_>, id: &str) -> PyResult<Instrument> {
    id.parse::<Instrument>().py(py)
}

/// One column of scores being filled.
#[derive(Debug)]
struct Column {
    /// Its name in the output.
    name: String,
    /// Its values, NaN where undefined.
    values: Vec<f64>,
}

impl Column {
    /// An empty column for `rows` rows.
    fn new(name: impl Into<String>, rows: usize) -> Column {
        Column {
            name: name.into(),
            values: Vec::with_capacity(rows),
        }
    }
}

/// Scores every row of a responses x items matrix of answers (NaN = missing) on the catalog
/// instrument `instrument`. Returns `(columns, values)`: the column names in order and a dict
/// of numpy arrays. With `profile`, each row goes through the crate's `score_into` (total,
/// POMP, subscales, the four elements' POMP, cutoff flags); without it, through the batch
/// scorer (totals, subscales and answered counts only). With `errors = "coerce"` a row the
/// crate refuses gets NaN scores and its error code in `error`; with `"raise"` the first such
/// row raises, naming the row.
#[pyfunction]
#[pyo3(signature = (answers, instrument, profile = true, errors = "raise"))]
pub fn score_matrix<'py>(
    py: Python<'py>,
    answers: PyReadonlyArray2<'py, f64>,
    instrument: &str,
    profile: bool,
    errors: &str,
) -> PyResult<(Vec<String>, Bound<'py, PyDict>)> {
    let inst = self::instrument(py, instrument)?;
    let (values, rows, columns) = slice2(py, &answers, "answers")?;
    let items = inst.items().len();
    if columns != items {
        return Err(errors::input(
            py,
            "input_shape",
            format!(
                "{} has {items} items, but the answers have {columns} columns",
                inst.id()
            ),
        ));
    }
    let coerce = match errors {
        "raise" => false,
        "coerce" => true,
        other => {
            return Err(errors::input(
                py,
                "input_option",
                format!("errors is '{other}', not 'raise' or 'coerce'"),
            ));
        }
    };
    let subscales: Vec<String> = inst
        .subscales()
        .iter()
        .map(|s| s.name().to_owned())
        .collect();
    if !profile && !coerce {
        let buffer: Vec<Option<f64>> = values.iter().map(|&v| (!v.is_nan()).then_some(v)).collect();
        let scores = py
            .detach(|| BatchScorer::new(&inst).score(&buffer))
            .py(py)?;
        let out = PyDict::new(py);
        let mut names = vec!["total".to_owned()];
        out.set_item("total", scores.totals().to_vec().into_pyarray(py))?;
        for (j, name) in subscales.iter().enumerate() {
            let column: Vec<f64> = (0..scores.len())
                .map(|r| scores.subscale(r, j).unwrap_or(f64::NAN))
                .collect();
            out.set_item(name, column.into_pyarray(py))?;
            names.push(name.clone());
        }
        let answered: Vec<u32> = scores.answered().to_vec();
        let prorated: Vec<bool> = answered.iter().map(|&a| (a as usize) < items).collect();
        out.set_item("answered", answered.into_pyarray(py))?;
        out.set_item("prorated", prorated.into_pyarray(py))?;
        names.extend(["answered".to_owned(), "prorated".to_owned()]);
        return Ok((names, out));
    }
    let cutoffs: Vec<String> = inst
        .cutoffs()
        .iter()
        .map(|c| c.label().to_owned())
        .collect();
    let covered: Vec<Element> = Element::ALL
        .into_iter()
        .filter(|&e| inst.element_items(e) > 0)
        .collect();
    let filled = py.detach(|| {
        let mut total = Column::new("total", rows);
        let mut pomp = Column::new("total_pomp", rows);
        let mut subs: Vec<Column> = subscales.iter().map(|n| Column::new(n, rows)).collect();
        let mut elements: Vec<Column> = covered
            .iter()
            .map(|e| Column::new(format!("{}_pomp", e.slug()), rows))
            .collect();
        let mut answered: Vec<u32> = Vec::with_capacity(rows);
        let mut prorated: Vec<bool> = Vec::with_capacity(rows);
        let mut flags: Vec<Vec<bool>> = vec![Vec::with_capacity(rows); cutoffs.len()];
        let mut codes: Vec<Option<&'static str>> = Vec::with_capacity(rows);
        let mut row: Vec<Option<f64>> = Vec::with_capacity(items);
        let mut card = ScoreCard::new();
        for r in 0..rows {
            row.clear();
            row.extend(
                values[r * items..(r + 1) * items]
                    .iter()
                    .map(|&v| (!v.is_nan()).then_some(v)),
            );
            match score_into(&inst, &row, &mut card) {
                Ok(()) => {
                    let t = card.total();
                    total.values.push(t.value);
                    pomp.values.push(t.pomp);
                    for (c, s) in subs.iter_mut().zip(card.subscales()) {
                        c.values.push(s.value);
                    }
                    let profile = card.profile();
                    for (c, e) in elements.iter_mut().zip(&covered) {
                        c.values.push(profile.get(*e).map_or(f64::NAN, |s| s.pomp));
                    }
                    answered.push(u32::try_from(t.answered).unwrap_or(u32::MAX));
                    prorated.push(t.prorated);
                    for (f, &flag) in flags.iter_mut().zip(card.flags()) {
                        f.push(flag);
                    }
                    codes.push(None);
                }
                Err(e) if coerce => {
                    for c in std::iter::once(&mut total)
                        .chain(std::iter::once(&mut pomp))
                        .chain(subs.iter_mut())
                        .chain(elements.iter_mut())
                    {
                        c.values.push(f64::NAN);
                    }
                    answered.push(u32::try_from(row.iter().flatten().count()).unwrap_or(0));
                    prorated.push(false);
                    for f in &mut flags {
                        f.push(false);
                    }
                    codes.push(Some(e.code()));
                }
                Err(e) => {
                    return Err(alliance::Error::InBatch {
                        response: r,
                        source: Box::new(e),
                    });
                }
            }
        }
        let mut numbers = vec![total, pomp];
        numbers.extend(subs);
        numbers.extend(elements);
        Ok((numbers, answered, prorated, flags, codes))
    });
    let (numbers, answered, prorated, flags, codes) = filled.py(py)?;
    let out = PyDict::new(py);
    let mut names = Vec::new();
    // without `profile` (here because of `errors = "coerce"`), the batch scorer's columns
    let wanted = |name: &str| profile || name == "total" || subscales.iter().any(|s| s == name);
    for c in numbers.into_iter().filter(|c| wanted(&c.name)) {
        out.set_item(&c.name, c.values.into_pyarray(py))?;
        names.push(c.name);
    }
    out.set_item("answered", answered.into_pyarray(py))?;
    out.set_item("prorated", prorated.into_pyarray(py))?;
    names.extend(["answered".to_owned(), "prorated".to_owned()]);
    for (label, f) in cutoffs.iter().zip(flags).filter(|_| profile) {
        let name = format!("flag_{label}");
        out.set_item(&name, f.into_pyarray(py))?;
        names.push(name);
    }
    if coerce {
        out.set_item("error", codes)?;
        names.push("error".to_owned());
    }
    Ok((names, out))
}

/// The catalog: one dict per instrument (id, name, items, scale, scoring rule, subscales
/// with their items, missing-data rule, cutoffs, whether it is validated, source, licence).
#[pyfunction]
pub fn instruments(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let list = PyList::empty(py);
    for inst in catalog::all() {
        let d = PyDict::new(py);
        d.set_item("id", inst.id())?;
        d.set_item("name", inst.name())?;
        d.set_item("version", inst.version())?;
        d.set_item("items", inst.items().len())?;
        let scale = inst.scale();
        d.set_item("scale_min", scale.min())?;
        d.set_item("scale_max", scale.max())?;
        d.set_item("scale_step", scale.step())?;
        d.set_item("scoring", snake(inst.scoring()))?;
        let subs = PyDict::new(py);
        for s in inst.subscales() {
            subs.set_item(s.name(), s.items().to_vec())?;
        }
        d.set_item("subscales", subs)?;
        let reversed: Vec<u16> = inst
            .items()
            .iter()
            .filter(|i| i.keying() == alliance::Keying::Reverse)
            .map(alliance::Item::number)
            .collect();
        d.set_item("reversed", reversed)?;
        d.set_item("missing_rule", format!("{:?}", inst.missing_rule()))?;
        let cutoffs = PyList::empty(py);
        for c in inst.cutoffs() {
            let cd = PyDict::new(py);
            cd.set_item("label", c.label())?;
            cd.set_item("threshold", c.threshold())?;
            cd.set_item("side", snake(c.side()))?;
            cd.set_item("source", c.source())?;
            cutoffs.append(cd)?;
        }
        d.set_item("cutoffs", cutoffs)?;
        d.set_item("validated", inst.is_validated())?;
        d.set_item("source", inst.source())?;
        d.set_item("licence", inst.licence())?;
        list.append(d)?;
    }
    Ok(list)
}

/// The bundled synthetic caseload in long form: one row per answer, as a dict of columns
/// (`client`, `therapist`, `session`, `date`, `rater`, `instrument`, `item`, `answer`, NaN
/// for a missing answer).
#[pyfunction]
pub fn sample_caseload(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let courses = alliance::sample::caseload().py(py)?;
    let (mut client, mut therapist, mut session, mut date) = (vec![], vec![], vec![], vec![]);
    let (mut rater, mut instrument, mut item, mut answer) = (vec![], vec![], vec![], vec![]);
    for course in &courses {
        for s in course.sessions() {
            for response in s.responses() {
                for (j, a) in response.answers().iter().enumerate() {
                    client.push(s.client().to_owned());
                    therapist.push(s.therapist().to_owned());
                    session.push(s.number());
                    date.push(s.date().map(|d| d.to_string()));
                    rater.push(response.rater().to_string());
                    instrument.push(response.instrument().id().to_owned());
                    item.push(u32::try_from(j + 1).unwrap_or(u32::MAX));
                    answer.push(a.unwrap_or(f64::NAN));
                }
            }
        }
    }
    let d = PyDict::new(py);
    d.set_item("client", client)?;
    d.set_item("therapist", therapist)?;
    d.set_item("session", session.into_pyarray(py))?;
    d.set_item("date", date)?;
    d.set_item("rater", rater)?;
    d.set_item("instrument", instrument)?;
    d.set_item("item", item.into_pyarray(py))?;
    d.set_item("answer", answer.into_pyarray(py))?;
    Ok(d)
}
