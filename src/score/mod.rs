//! Scoring: a response becomes its total, native subscales, the four-element profile, cutoff
//! flags and norm-referenced scores.
//!
//! Reverse-keyed items count as `min + max - x` on the declared scale. Missing answers follow
//! the instrument's [`MissingRule`](crate::MissingRule): a scope (the total, or a subscale)
//! with no more missing items than the rule allows is prorated, its sum being the mean of the
//! answered items times its item count; otherwise scoring fails with
//! [`Error::TooManyMissing`]. Nothing is ever imputed from other respondents.

mod batch;
mod batch_scores;
mod card;
mod codes;
mod scope;

pub use batch::BatchScorer;
pub use batch_scores::BatchScores;
pub use card::{ScoreCard, score_into};
pub(crate) use scope::check_missing;
use scope::prorate;

use crate::element::ElementProfile;
use crate::error::Result;
use crate::instrument::{CutoffSide, Instrument, ScoringRule};
use crate::response::{Rater, Response};

/// A score on one scope (the total or a subscale).
///
/// With feature `serde` it serializes; it does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ScaleScore {
    /// The score in the instrument's native metric: `sum` or `mean` by its scoring rule.
    pub value: f64,
    /// Sum of the keyed answers; when prorated, mean × items.
    pub sum: f64,
    /// Mean of the answered (keyed) items.
    pub mean: f64,
    /// Percent of maximum possible, `100 (mean - min) / (max - min)` on the declared scale.
    pub pomp: f64,
    /// Items in the scope.
    pub items: usize,
    /// Items answered.
    pub answered: usize,
    /// True when some items were missing and the score was prorated.
    pub prorated: bool,
}

impl ScaleScore {
    /// The score of a scope from the sum of its answered keyed items, after the missing-data
    /// check (`answered >= 1` is guaranteed by the caller's rule check).
    ///
    /// Inlined: built in place, the score is not written to the stack field by field and
    /// then read back whole (a stalled store-to-load forward per field).
    #[inline(always)]
    fn from_sum(
        instrument: &Instrument,
        answered_sum: f64,
        answered: usize,
        items: usize,
    ) -> ScaleScore {
        let scale = instrument.scale();
        let (sum, mean) = prorate(answered_sum, answered, items, (scale.min(), scale.max()));
        let prorated = answered < items;
        let value = match instrument.scoring() {
            ScoringRule::Sum => sum,
            ScoringRule::Mean => mean,
        };
        ScaleScore {
            value,
            sum,
            mean,
            pomp: instrument.scale().pomp(mean),
            items,
            answered,
            prorated,
        }
    }
}

/// A native subscale's score.
///
/// With feature `serde` it serializes; it does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct SubscaleScore {
    /// The subscale's published name.
    pub name: String,
    /// Its score.
    pub score: ScaleScore,
}

/// A cutoff applied to the total.
///
/// With feature `serde` it serializes; it does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CutoffFlag {
    /// What the flag means, e.g. "alliance concern".
    pub label: String,
    /// The threshold in the native metric.
    pub threshold: f64,
    /// Which side of the threshold raises the flag.
    pub side: CutoffSide,
    /// Whether this score raised it.
    pub flagged: bool,
    /// Where the cutoff was published.
    pub source: String,
}

/// The total against the instrument's norms.
///
/// With feature `serde` it serializes; it does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct NormScore {
    /// `(total - norm mean) / norm SD`.
    pub z: f64,
    /// Percentile under a normal distribution with the norm's mean and SD, 0-100.
    pub percentile: f64,
    /// Where the norm comes from.
    pub source: String,
}

/// Everything scoring one response gives.
///
/// With feature `serde` it serializes; it does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Score {
    /// The instrument's id.
    pub instrument: String,
    /// Who answered.
    pub rater: Rater,
    /// The total.
    pub total: ScaleScore,
    /// The native subscales, in the instrument's order.
    pub subscales: Vec<SubscaleScore>,
    /// POMP per alliance element.
    pub profile: ElementProfile,
    /// Each of the instrument's cutoffs, flagged or not.
    pub cutoffs: Vec<CutoffFlag>,
    /// The total against norms; `None` when the instrument carries no norm. An `Option`, not
    /// an [`Outcome`](crate::Outcome): nothing failed to compute, there is simply no norm to
    /// compare with (and with a norm, z and the percentile are always defined).
    pub norm: Option<NormScore>,
}

impl Score {
    /// The subscale named `name`, if the instrument has it.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, score, Rater, Response};
    /// let wai_sr = catalog::wai_sr();
    /// let s = score(&Response::complete(&wai_sr, Rater::Client, &[4.0; 12])?)?;
    /// assert_eq!(s.subscale("Bond").map(|b| b.value), Some(4.0));
    /// assert_eq!(s.subscale("bond"), None); // names are exact
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn subscale(&self, name: &str) -> Option<&ScaleScore> {
        self.subscales
            .iter()
            .find(|s| s.name == name)
            .map(|s| &s.score)
    }

    /// Whether any cutoff raised its flag.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, score, Rater, Response};
    /// let srs = catalog::session_scale(); // flags totals below 36
    /// let low = score(&Response::complete(&srs, Rater::Client, &[8.0, 9.0, 9.5, 9.0])?)?;
    /// assert!(low.is_flagged()); // 35.5
    /// let high = score(&Response::complete(&srs, Rater::Client, &[9.0; 4])?)?;
    /// assert!(!high.is_flagged()); // 36
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn is_flagged(&self) -> bool {
        self.cutoffs.iter().any(|c| c.flagged)
    }
}

/// Scores a response on its instrument.
///
/// ```text
/// keyed answer   x' = x, or min + max - x for reverse-keyed items
/// scope mean     m  = Σ x' / answered
/// scope sum      Σ x' when complete; m × items when prorated
/// POMP           100 (m - min) / (max - min)
/// element        POMP of the mean of the element's answered items
/// z, percentile  (total - norm mean) / norm SD, 100 Φ(z)
/// ```
///
/// # Errors
/// [`Error::TooManyMissing`](crate::Error::TooManyMissing) when the total or a subscale misses more items than the
/// instrument's missing-data rule allows (naming the scope and the counts).
///
/// # Example
/// ```
/// use alliance::{catalog, score, Rater, Response};
/// let wai_sr = catalog::wai_sr();
/// // item 5 missing: the Bond subscale (3 5 7 9) is prorated from its three answers
/// let answers = [Some(4.0), Some(4.0), Some(5.0), Some(4.0), None, Some(3.0),
///                Some(5.0), Some(4.0), Some(4.0), Some(3.0), Some(4.0), Some(4.0)];
/// let s = score(&Response::new(&wai_sr, Rater::Client, &answers)?)?;
/// assert_eq!(s.total.answered, 11);
/// assert!(s.total.prorated);
/// assert_eq!(s.subscale("Bond").map(|b| b.sum), Some(14.0 / 3.0 * 4.0));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Cohen, Cohen, Aiken & West (1999), POMP scores, *Multivariate Behavioral Research* 34.
pub fn score(response: &Response) -> Result<Score> {
    let instrument = response.instrument();
    let mut card = ScoreCard::new();
    card::tally::<false>(instrument, response.answers(), &mut card)?;
    let total = card.total();
    let subscales = instrument
        .subscales()
        .iter()
        .zip(card.subscales())
        .map(|(sub, &score)| SubscaleScore {
            name: sub.name().to_owned(),
            score,
        })
        .collect();
    let cutoffs = instrument
        .cutoffs()
        .iter()
        .zip(card.flags())
        .map(|(c, &flagged)| CutoffFlag {
            label: c.label().to_owned(),
            threshold: c.threshold(),
            side: c.side(),
            flagged,
            source: c.source().to_owned(),
        })
        .collect();
    let norm = instrument.norm().map(|n| NormScore {
        z: n.z(total.value),
        percentile: n.percentile(total.value),
        source: n.source().to_owned(),
    });
    Ok(Score {
        instrument: instrument.id().to_owned(),
        rater: response.rater(),
        total,
        subscales,
        profile: card.profile(),
        cutoffs,
        norm,
    })
}
