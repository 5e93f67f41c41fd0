//! One response's numbers in a value reused from response to response: the single pass that
//! both [`score`](super::score) and [`score_into`] make, so the two agree bit for bit.

use super::ScaleScore;
use super::scope::check_missing;
use crate::element::{Element, ElementProfile, ElementScore};
use crate::error::Result;
use crate::instrument::{Instrument, Keying};

/// The numbers of one scored response: a [`Score`](super::Score) without its names, sources
/// and norm, filled by [`score_into`] into buffers kept from one response to the next, so that
/// scoring a file of responses allocates nothing per response.
///
/// Subscales and cutoff flags are in the instrument's order ([`Instrument::subscales`],
/// [`Instrument::cutoffs`]).
///
/// # Example
/// ```
/// use alliance::{catalog, score_into, Element, ScoreCard};
/// let wai_sr = catalog::wai_sr();
/// let mut card = ScoreCard::new();
/// score_into(&wai_sr, &[Some(4.0); 12], &mut card)?;
/// assert_eq!(card.total().value, 4.0);
/// assert_eq!(card.subscales()[1].value, 4.0); // Bond
/// assert_eq!(card.profile().get(Element::Rapport).map(|e| e.pomp), Some(75.0));
/// assert!(!card.is_flagged());
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScoreCard {
    total: Option<ScaleScore>,
    subscales: Vec<ScaleScore>,
    profile: ElementProfile,
    flags: Vec<bool>,
    /// Per subscale: the sum of its answered keyed items, and how many were answered.
    sums: Vec<(f64, usize)>,
}

impl ScoreCard {
    /// An empty card, to fill with [`score_into`].
    ///
    /// # Example
    /// ```
    /// use alliance::ScoreCard;
    /// assert!(ScoreCard::new().subscales().is_empty());
    /// ```
    pub fn new() -> ScoreCard {
        ScoreCard::default()
    }

    /// The total (all zeros before the first response is scored).
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, score_into, ScoreCard};
    /// let mut card = ScoreCard::new();
    /// // ARM-5: item mean, item 3 reverse keyed (7 - x on its 1-7 scale)
    /// score_into(&catalog::arm_5(), &[Some(6.0), None, Some(3.0), Some(6.0), Some(6.0)], &mut card)?;
    /// assert_eq!(card.total().answered, 4);
    /// assert!(card.total().prorated);
    /// assert_eq!(card.total().value, 5.75);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn total(&self) -> ScaleScore {
        self.total.unwrap_or(ScaleScore {
            value: 0.0,
            sum: 0.0,
            mean: 0.0,
            pomp: 0.0,
            items: 0,
            answered: 0,
            prorated: false,
        })
    }

    /// The native subscales, in the instrument's order.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, score_into, ScoreCard};
    /// let wai_sr = catalog::wai_sr();
    /// let mut card = ScoreCard::new();
    /// score_into(&wai_sr, &[Some(3.0); 12], &mut card)?;
    /// assert_eq!(card.subscales().len(), wai_sr.subscales().len());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn subscales(&self) -> &[ScaleScore] {
        &self.subscales
    }

    /// POMP per alliance element.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, score_into, Element, ScoreCard};
    /// let mut card = ScoreCard::new();
    /// score_into(&catalog::session_scale(), &[Some(9.0), Some(8.0), Some(7.0), Some(9.0)], &mut card)?;
    /// assert_eq!(card.profile().get(Element::Goals).map(|e| e.pomp), Some(80.0));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn profile(&self) -> ElementProfile {
        self.profile
    }

    /// Whether each of the instrument's cutoffs is raised, in the instrument's order.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, score_into, ScoreCard};
    /// let srs = catalog::session_scale(); // one cutoff: a total below 36
    /// let mut card = ScoreCard::new();
    /// score_into(&srs, &[Some(8.0), Some(9.0), Some(9.5), Some(9.0)], &mut card)?;
    /// assert_eq!(card.flags(), &[true]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn flags(&self) -> &[bool] {
        &self.flags
    }

    /// Whether any cutoff is raised.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, score_into, ScoreCard};
    /// let mut card = ScoreCard::new();
    /// score_into(&catalog::session_scale(), &[Some(9.0); 4], &mut card)?;
    /// assert!(!card.is_flagged()); // 36 is not below 36
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn is_flagged(&self) -> bool {
        self.flags.contains(&true)
    }
}

/// Scores answers in item order (`None` for a missing one) on `instrument` into `card`,
/// reusing its buffers: the numbers [`score`](super::score) gives, bit for bit, with the same
/// checks as [`Response::new`](crate::Response::new) on the answers. For scoring many
/// responses one at a time without allocating (for many responses of one instrument in one
/// buffer, [`BatchScorer`](super::BatchScorer) is faster still).
///
/// # Errors
/// As [`Response::new`](crate::Response::new) (a wrong number of answers, an answer off the
/// scale or its step, not finite or too small) and as [`score`](super::score) (too many
/// missing). On an error the card's contents are unspecified.
///
/// # Example
/// ```
/// use alliance::{catalog, score, score_into, Rater, Response, ScoreCard};
/// let wai_sr = catalog::wai_sr();
/// let answers = [Some(4.0), None, Some(5.0), Some(4.0), Some(2.0), Some(3.0),
///                Some(5.0), Some(4.0), Some(4.0), Some(3.0), Some(4.0), Some(4.0)];
/// let mut card = ScoreCard::new();
/// score_into(&wai_sr, &answers, &mut card)?;
/// let full = score(&Response::new(&wai_sr, Rater::Client, &answers)?)?;
/// assert_eq!(card.total(), full.total);
/// let mut bad = answers;
/// bad[6] = Some(9.0);
/// let e = score_into(&wai_sr, &bad, &mut card).unwrap_err();
/// assert_eq!(e.to_string(), "item 7 is 9 but the scale is 1-5");
/// # Ok::<(), alliance::Error>(())
/// ```
pub fn score_into(
    instrument: &Instrument,
    answers: &[Option<f64>],
    card: &mut ScoreCard,
) -> Result<()> {
    let expected = instrument.items().len();
    if answers.len() != expected {
        return Err(crate::Error::LengthMismatch {
            what: "response",
            expected,
            found: answers.len(),
        });
    }
    tally::<true>(instrument, answers, card)
}

/// The single pass over the answers: each checked against the scale when `CHECK` (as
/// `Response::new` does; a `Response`'s are checked already), then keyed sums per scope in
/// item order (the order `score` has always added them in), then each scope's missing-data
/// check and score.
pub(super) fn tally<const CHECK: bool>(
    instrument: &Instrument,
    answers: &[Option<f64>],
    card: &mut ScoreCard,
) -> Result<()> {
    let scale = instrument.scale();
    let n_sub = instrument.subscales().len();
    card.sums.clear();
    card.sums.resize(n_sub, (0.0, 0));
    let mut total = (0.0, 0);
    let mut elements = [(0.0, 0); 4];
    // a slice, so that where it lies stays in a register through the stores into it
    let sums = card.sums.as_mut_slice();
    for (item, answer) in instrument.items().iter().zip(answers) {
        let Some(x) = *answer else { continue };
        // the reason, only for an answer refused
        if CHECK && !scale.accepts(x) {
            scale.check(item.number(), x)?;
        }
        let x = match item.keying() {
            Keying::Forward => x,
            Keying::Reverse => scale.reversed(x),
        };
        add(&mut total, x);
        if let Some(s) = item.subscale().and_then(|s| sums.get_mut(s)) {
            add(s, x);
        }
        if let Some(e) = item.element().and_then(|e| elements.get_mut(e.index())) {
            add(e, x);
        }
    }
    let rule = instrument.missing_rule();
    let items = instrument.items().len();
    check_missing("total", items, total.1, rule.max_total())?;
    let total = ScaleScore::from_sum(instrument, total.0, total.1, items);
    card.total = Some(total);
    card.subscales.clear();
    for (sub, &(s, n)) in instrument.subscales().iter().zip(&card.sums) {
        let k = sub.items().len();
        check_missing(sub.name(), k, n, rule.max_subscale(k))?;
        card.subscales
            .push(ScaleScore::from_sum(instrument, s, n, k));
    }
    let mut profile = [None; 4];
    for (element, (score, (s, n))) in Element::ALL
        .into_iter()
        .zip(profile.iter_mut().zip(elements))
    {
        if n > 0 {
            let pomp = scale.pomp(s / n as f64);
            *score = Some(ElementScore::new(
                pomp,
                instrument.element_items(element),
                n,
            ));
        }
    }
    card.profile = ElementProfile::from_scores(profile);
    card.flags.clear();
    card.flags
        .extend(instrument.cutoffs().iter().map(|c| c.flags(total.value)));
    Ok(())
}

fn add(scope: &mut (f64, usize), x: f64) {
    scope.0 += x;
    scope.1 += 1;
}
