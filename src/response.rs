//! Completed questionnaires, checked against their instrument.

use crate::error::{Error, Result};
use crate::instrument::Instrument;
use std::fmt;

/// Who filled in a questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Rater {
    /// The client (patient).
    Client,
    /// The therapist (clinician).
    Therapist,
    /// An independent observer rating a recording or transcript.
    Observer,
}

impl Rater {
    /// The rater in lower-case words, as errors and logs print it ("client", "therapist",
    /// "observer"); also its [`Display`](fmt::Display) text.
    ///
    /// # Example
    /// ```
    /// use alliance::Rater;
    /// assert_eq!(Rater::Therapist.label(), "therapist");
    /// assert_eq!(Rater::Client.to_string(), "client");
    /// ```
    pub const fn label(self) -> &'static str {
        match self {
            Rater::Client => "client",
            Rater::Therapist => "therapist",
            Rater::Observer => "observer",
        }
    }
}

impl fmt::Display for Rater {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A rater from its name, in any case: `client` (or `patient`), `therapist` (or
/// `clinician`), `observer`.
///
/// # Example
/// ```
/// use alliance::Rater;
/// assert_eq!("Therapist".parse::<Rater>()?, Rater::Therapist);
/// assert_eq!("patient".parse::<Rater>()?, Rater::Client);
/// assert!("nurse".parse::<Rater>().is_err());
/// # Ok::<(), alliance::Error>(())
/// ```
impl std::str::FromStr for Rater {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Rater> {
        // compared in place: a file of a million rows parses a million raters
        let is = |words: &[&str]| words.iter().any(|w| s.trim().eq_ignore_ascii_case(w));
        match () {
            () if is(&["client", "patient"]) => Ok(Rater::Client),
            () if is(&["therapist", "clinician"]) => Ok(Rater::Therapist),
            () if is(&["observer"]) => Ok(Rater::Observer),
            () => Err(crate::Error::Unrecognized {
                what: "rater",
                value: s.to_owned(),
                expected: "client, therapist or observer",
            }),
        }
    }
}

/// One completed questionnaire by one rater, checked against its instrument when built: the
/// right number of items, every answer on the scale (range and step), no NaN or infinity, no
/// item given twice or unknown, and enough items answered for the instrument's missing-data
/// rule, so that a response that exists can always be scored. Missing answers are `None`.
///
/// To list every problem of a form's answers at once, use [`Instrument::problems`].
///
/// # Example
/// ```
/// use alliance::{catalog, Rater, Response};
/// let wai_sr = catalog::wai_sr();
/// let r = Response::new(&wai_sr, Rater::Client, &[Some(4.0), None, Some(5.0), Some(4.0),
///     Some(4.0), Some(3.0), Some(5.0), Some(4.0), Some(4.0), Some(3.0), Some(4.0), Some(4.0)])?;
/// assert_eq!(r.answer(3), Some(5.0));
/// assert_eq!(r.missing(), 1);
/// let bad = Response::from_items(&wai_sr, Rater::Client, &[(7, 9.0)]);
/// assert_eq!(bad.unwrap_err().to_string(), "item 7 is 9 but the scale is 1-5");
/// // three answers of twelve cannot be scored: refused when built, not later
/// let few = Response::from_items(&wai_sr, Rater::Client, &[(1, 4.0), (2, 5.0), (3, 4.0)]);
/// assert_eq!(few.unwrap_err().code(), "too_many_missing");
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    instrument: Instrument,
    rater: Rater,
    answers: Vec<Option<f64>>,
}

/// Checks answers in item order against `instrument`: one per item, each on the scale.
pub(crate) fn check_answers(instrument: &Instrument, answers: &[Option<f64>]) -> Result<()> {
    let expected = instrument.items().len();
    if answers.len() != expected {
        return Err(Error::LengthMismatch {
            what: "response",
            expected,
            found: answers.len(),
        });
    }
    let scale = instrument.scale();
    for (item, answer) in instrument.items().iter().zip(answers) {
        if let Some(x) = *answer {
            scale.check(item.number(), x)?;
        }
    }
    check_scorable(instrument, answers)
}

/// Checks that answers in item order leave the total and every subscale scorable under the
/// instrument's missing-data rule (the first scope that is not, in `score`'s order).
fn check_scorable(instrument: &Instrument, answers: &[Option<f64>]) -> Result<()> {
    scorable(instrument, answers)
        .into_iter()
        .next()
        .map_or(Ok(()), Err)
}

/// The scopes (total first, then subscales in order) that answers in item order leave
/// unscorable under the instrument's missing-data rule, as [`Error::TooManyMissing`].
pub(crate) fn scorable(instrument: &Instrument, answers: &[Option<f64>]) -> Vec<Error> {
    let rule = instrument.missing_rule();
    let items = instrument.items();
    let answered = |member: &dyn Fn(&crate::instrument::Item) -> bool| {
        items
            .iter()
            .zip(answers)
            .filter(|(item, a)| member(item) && a.is_some())
            .count()
    };
    let mut out = Vec::new();
    let total = answered(&|_| true);
    if let Err(e) = crate::score::check_missing("total", items.len(), total, rule.max_total()) {
        out.push(e);
    }
    for (index, sub) in instrument.subscales().iter().enumerate() {
        let k = sub.items().len();
        let n = answered(&|item| item.subscale() == Some(index));
        if let Err(e) = crate::score::check_missing(sub.name(), k, n, rule.max_subscale(k)) {
            out.push(e);
        }
    }
    out
}

impl Response {
    /// A response from answers in item order (item 1 first), `None` for a missing answer.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when the number of answers is not the instrument's item
    /// count; [`Error::NonFiniteAnswer`], [`Error::OutOfScale`] or [`Error::OffStep`] naming the first
    /// item whose answer is not allowed.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, Rater, Response};
    /// let arm = catalog::arm_5();
    /// let r = Response::new(&arm, Rater::Therapist, &[Some(6.0), None, Some(2.0), Some(5.0), Some(6.0)])?;
    /// assert_eq!(r.missing(), 1);
    /// assert!(Response::new(&arm, Rater::Client, &[Some(6.0)]).is_err()); // 5 items needed
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(instrument: &Instrument, rater: Rater, answers: &[Option<f64>]) -> Result<Response> {
        check_answers(instrument, answers)?;
        Ok(Response {
            instrument: instrument.clone(),
            rater,
            answers: answers.to_vec(),
        })
    }

    /// A response with every item answered, in item order.
    ///
    /// # Errors
    /// As [`Response::new`].
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, Rater, Response};
    /// let r = Response::complete(&catalog::arm_5(), Rater::Client, &[6.0, 5.0, 2.0, 6.0, 7.0])?;
    /// assert_eq!(r.missing(), 0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn complete(instrument: &Instrument, rater: Rater, answers: &[f64]) -> Result<Response> {
        let answers: Vec<Option<f64>> = answers.iter().copied().map(Some).collect();
        Response::new(instrument, rater, &answers)
    }

    /// A response from `(item number, answer)` pairs in any order; items not given are
    /// missing.
    ///
    /// # Errors
    /// [`Error::UnknownItem`] for an item number the instrument does not have,
    /// [`Error::DuplicateItem`] for an item given twice, and the errors of
    /// [`Response::new`].
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, Error, Rater, Response};
    /// let arm = catalog::arm_5();
    /// let r = Response::from_items(&arm, Rater::Client, &[(5, 7.0), (1, 6.0), (3, 2.0), (4, 6.0)])?;
    /// assert_eq!(r.answers(), &[Some(6.0), None, Some(2.0), Some(6.0), Some(7.0)]);
    /// let twice = Response::from_items(&arm, Rater::Client, &[(1, 6.0), (1, 5.0)]);
    /// assert_eq!(twice, Err(Error::DuplicateItem { item: 1 }));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn from_items(
        instrument: &Instrument,
        rater: Rater,
        answers: &[(u16, f64)],
    ) -> Result<Response> {
        let count = instrument.items().len();
        let mut ordered = vec![None; count];
        for &(item, x) in answers {
            let slot = usize::from(item)
                .checked_sub(1)
                .and_then(|i| ordered.get_mut(i))
                .ok_or_else(|| Error::UnknownItem {
                    item,
                    instrument: instrument.id().to_owned(),
                    items: count,
                })?;
            if slot.is_some() {
                return Err(Error::DuplicateItem { item });
            }
            instrument.scale().check(item, x)?;
            *slot = Some(x);
        }
        check_scorable(instrument, &ordered)?;
        Ok(Response {
            instrument: instrument.clone(),
            rater,
            answers: ordered,
        })
    }

    /// The instrument the response was checked against.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, Rater, Response};
    /// let r = Response::complete(&catalog::arm_5(), Rater::Client, &[6.0; 5])?;
    /// assert_eq!(r.instrument().id(), "ARM-5");
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn instrument(&self) -> &Instrument {
        &self.instrument
    }

    /// Who answered.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, Rater, Response};
    /// let r = Response::complete(&catalog::arm_5(), Rater::Observer, &[6.0; 5])?;
    /// assert_eq!(r.rater(), Rater::Observer);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn rater(&self) -> Rater {
        self.rater
    }

    /// The answers in item order, `None` where missing.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, Rater, Response};
    /// let r = Response::from_items(&catalog::arm_5(), Rater::Client, &[(2, 4.0), (3, 5.0), (4, 6.0), (5, 6.0)])?;
    /// assert_eq!(r.answers(), &[None, Some(4.0), Some(5.0), Some(6.0), Some(6.0)]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn answers(&self) -> &[Option<f64>] {
        &self.answers
    }

    /// The answer to item `number` (1-based); `None` when missing or not an item.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, Rater, Response};
    /// let r = Response::from_items(&catalog::arm_5(), Rater::Client, &[(2, 4.0), (1, 5.0), (4, 6.0), (5, 6.0)])?;
    /// assert_eq!(r.answer(2), Some(4.0));
    /// assert_eq!(r.answer(3), None); // missing
    /// assert_eq!(r.answer(9), None); // no such item
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn answer(&self, number: u16) -> Option<f64> {
        usize::from(number)
            .checked_sub(1)
            .and_then(|i| self.answers.get(i).copied().flatten())
    }

    /// Number of missing answers.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, Rater, Response};
    /// let answers: Vec<(u16, f64)> = (1..=12).filter(|&i| i != 2 && i != 3).map(|i| (i, 4.0)).collect();
    /// let r = Response::from_items(&catalog::wai_sr(), Rater::Client, &answers)?;
    /// assert_eq!(r.missing(), 2); // one of Task (1 2 10 12), one of Bond (3 5 7 9)
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn missing(&self) -> usize {
        self.answers.iter().filter(|a| a.is_none()).count()
    }
}

#[cfg(feature = "serde")]
mod wire {
    use super::*;

    #[derive(serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    struct ResponseData {
        instrument: Instrument,
        rater: Rater,
        answers: Vec<Option<f64>>,
    }

    impl serde::Serialize for Response {
        fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
            ResponseData {
                instrument: self.instrument.clone(),
                rater: self.rater,
                answers: self.answers.clone(),
            }
            .serialize(s)
        }
    }

    #[cfg(feature = "schema")]
    impl schemars::JsonSchema for Response {
        fn schema_name() -> std::borrow::Cow<'static, str> {
            "Response".into()
        }
        fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
            ResponseData::json_schema(g)
        }
    }

    impl<'de> serde::Deserialize<'de> for Response {
        fn deserialize<D: serde::Deserializer<'de>>(
            d: D,
        ) -> std::result::Result<Response, D::Error> {
            let data = ResponseData::deserialize(d)?;
            Response::new(&data.instrument, data.rater, &data.answers)
                .map_err(serde::de::Error::custom)
        }
    }
}
