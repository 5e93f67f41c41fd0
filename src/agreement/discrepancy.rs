//! Signed therapist-client discrepancy per pair, with a reliable-difference flag.

use super::continuous::check_pairs;
use crate::error::{Error, Result};
use crate::paired::Paired;
use crate::ratings::CaseDeletion;
use crate::stats;

/// Which rater gave the higher score in a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum HigherRater {
    /// The client rated higher (D > 0).
    Client,
    /// The therapist rated higher (D < 0).
    Therapist,
    /// Both gave the same score (D = 0).
    Equal,
}

/// The discrepancy of one client-therapist pair.
///
/// # Example
/// ```
/// use alliance::agreement::{discrepancy, HigherRater};
/// use alliance::Paired;
/// let d = discrepancy(&Paired::new(&[60.0], &[70.0])?, 3.0, 4.0)?;
/// assert_eq!((d.pairs[0].difference, d.pairs[0].higher), (-10.0, HigherRater::Therapist));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PairDiscrepancy {
    /// D = client − therapist.
    pub difference: f64,
    /// |D|.
    pub absolute: f64,
    /// Who rated higher.
    pub higher: HigherRater,
    /// Whether |D| exceeds the reliable-difference bound.
    pub exceeds_bound: bool,
}

/// Per-pair discrepancies and their summary. Every field is defined for the 1 or more pairs
/// [`discrepancy`] needs. Serializes; does not deserialize (a result is computed, not read).
///
/// # Example
/// ```
/// use alliance::agreement::discrepancy;
/// use alliance::Paired;
/// let p = Paired::with_missing(&[Some(80.0), None], &[Some(70.0), Some(65.0)])?;
/// let d = discrepancy(&p, 3.0, 4.0)?;
/// assert_eq!((d.n, d.dropped, d.pairs.len()), (1, 1, 1));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Discrepancy {
    /// One entry per pair, in input order.
    pub pairs: Vec<PairDiscrepancy>,
    /// Mean D.
    pub mean_difference: f64,
    /// Mean |D|.
    pub mean_absolute: f64,
    /// The reliable-difference bound 1.96 √(`SE_C²` + `SE_T²`).
    pub bound: f64,
    /// Pairs whose |D| exceeds the bound.
    pub exceeding: usize,
    /// Pairs where the client rated higher.
    pub client_higher: usize,
    /// Pairs where the therapist rated higher.
    pub therapist_higher: usize,
    /// Pairs with equal ratings.
    pub equal: usize,
    /// Pairs used: sessions rated by both client and therapist.
    pub n: usize,
    /// Pairs dropped because a rating was missing.
    pub dropped: usize,
    /// Missing-data policy applied (listwise: a pair missing a rating is dropped).
    pub missing: CaseDeletion,
}

/// Signed client − therapist discrepancy per pair, flagged when it exceeds a reliable
/// difference given the two ratings' standard errors of measurement.
///
/// ```text
/// D = C − T,  |D|,  higher = sign(D)
/// bound = 1.96 √(SE_C² + SE_T²);  flagged when |D| > bound
/// ```
///
/// Both ratings must be on a common metric (e.g. POMP); `SE_C` and `SE_T` are standard errors
/// of measurement on that metric, e.g. SD √(1 − α) from [`crate::reliability`]. The client's
/// ratings are the [`Paired::first`] values, the therapist's the [`Paired::second`] ones.
///
/// # Errors
/// [`Error::TooFewPairs`] for no complete pair; [`Error::InvalidMeasurementError`] for a
/// standard error that is negative or outside [`crate::domain`].
///
/// # Example
/// ```
/// use alliance::agreement::{discrepancy, HigherRater};
/// use alliance::Paired;
/// let client_therapist = Paired::new(&[80.0, 60.0], &[70.0, 61.0])?;
/// let d = discrepancy(&client_therapist, 3.0, 4.0)?;
/// assert_eq!(d.pairs[0].higher, HigherRater::Client);
/// assert!(d.pairs[0].exceeds_bound); // 10 > 1.96 * 5
/// assert!(!d.pairs[1].exceeds_bound);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Tryon, G. S., Blackwell, S. C., & Hammel, E. F. (2007). A meta-analytic examination of
/// client-therapist perspectives of the working alliance. *Psychotherapy Research*, 17,
/// 629-642. Jacobson, N. S., & Truax, P. (1991), for the reliable-difference bound.
pub fn discrepancy(
    client_therapist: &Paired,
    se_client: f64,
    se_therapist: f64,
) -> Result<Discrepancy> {
    for (rater, se) in [("client", se_client), ("therapist", se_therapist)] {
        let valid = se >= 0.0 && crate::domain::contains(se);
        if !valid {
            return Err(Error::InvalidMeasurementError { rater, value: se });
        }
    }
    check_pairs(client_therapist, 1, "a client-therapist discrepancy")?;
    let (client, therapist) = (client_therapist.first(), client_therapist.second());
    // `Paired` and the SE check above keep every value inside the numeric domain, where no
    // difference, sum or bound can overflow
    let bound = 1.96 * se_client.hypot(se_therapist);
    let pairs: Vec<PairDiscrepancy> = client
        .iter()
        .zip(therapist)
        .map(|(c, t)| {
            let difference = c - t;
            PairDiscrepancy {
                difference,
                absolute: difference.abs(),
                higher: if c > t {
                    HigherRater::Client
                } else if c < t {
                    HigherRater::Therapist
                } else {
                    HigherRater::Equal
                },
                exceeds_bound: difference.abs() > bound,
            }
        })
        .collect();
    let n = pairs.len();
    let count = |h: HigherRater| pairs.iter().filter(|p| p.higher == h).count();
    Ok(Discrepancy {
        mean_difference: stats::sum(pairs.iter().map(|p| p.difference)) / n as f64,
        mean_absolute: stats::sum(pairs.iter().map(|p| p.absolute)) / n as f64,
        bound,
        exceeding: pairs.iter().filter(|p| p.exceeds_bound).count(),
        client_higher: count(HigherRater::Client),
        therapist_higher: count(HigherRater::Therapist),
        equal: count(HigherRater::Equal),
        n,
        dropped: client_therapist.dropped(),
        missing: client_therapist.missing(),
        pairs,
    })
}
