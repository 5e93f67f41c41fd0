//! Two raters' values on the same targets: the one input of every two-rater statistic.

use crate::error::{Error, Result};
use crate::ratings::{CaseDeletion, Ratings};

/// Two raters' values on the same targets (client and therapist on the same sessions), the
/// input of every two-rater statistic: correlations, concordance, Bland-Altman, Cohen's kappa
/// and the client-therapist discrepancy.
///
/// A pair with either value missing says nothing about agreement, so incomplete pairs are
/// dropped at construction (listwise deletion of pairs) and counted; every statistic computed
/// from a `Paired` reports that count as `dropped`. Every kept value is finite.
///
/// # Example
/// ```
/// use alliance::Paired;
/// let complete = Paired::new(&[5.0, 4.5, 3.0], &[4.0, 4.0, 3.5])?;
/// assert_eq!((complete.n(), complete.dropped()), (3, 0));
/// // the therapist skipped session 2: that pair is dropped and counted
/// let client = [Some(5.0), Some(4.5), Some(3.0)];
/// let therapist = [Some(4.0), None, Some(3.5)];
/// let p = Paired::with_missing(&client, &therapist)?;
/// assert_eq!((p.n(), p.dropped()), (2, 1));
/// assert_eq!(p.second(), &[4.0, 3.5]);
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(try_from = "PairedData", into = "PairedData"))]
pub struct Paired {
    first: Vec<f64>,
    second: Vec<f64>,
    dropped: usize,
}

impl Paired {
    /// Complete pairs: `first[i]` and `second[i]` rate the same target.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when the slices differ in length; [`Error::NonFinite`] for NaN
    /// or an infinity, with its position.
    ///
    /// # Example
    /// ```
    /// use alliance::Paired;
    /// assert!(Paired::new(&[1.0, 2.0], &[1.0]).is_err());
    /// assert!(Paired::new(&[1.0, f64::NAN], &[1.0, 2.0]).is_err());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(first: &[f64], second: &[f64]) -> Result<Paired> {
        check_lengths(first.len(), second.len())?;
        crate::domain::check("first rater's value", first)?;
        crate::domain::check("second rater's value", second)?;
        Ok(Paired {
            first: first.to_vec(),
            second: second.to_vec(),
            dropped: 0,
        })
    }

    /// Pairs with missing values (`None`); a pair missing either value is dropped and counted.
    ///
    /// # Errors
    /// As [`Paired::new`], for the values that are present.
    ///
    /// # Example
    /// ```
    /// use alliance::Paired;
    /// let p = Paired::with_missing(&[Some(1.0), None, Some(3.0)], &[Some(2.0), Some(2.0), None])?;
    /// assert_eq!((p.n(), p.dropped()), (1, 2));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn with_missing(first: &[Option<f64>], second: &[Option<f64>]) -> Result<Paired> {
        check_lengths(first.len(), second.len())?;
        let mut kept = Paired {
            first: Vec::with_capacity(first.len()),
            second: Vec::with_capacity(first.len()),
            dropped: 0,
        };
        for (index, (&a, &b)) in first.iter().zip(second).enumerate() {
            for (what, v) in [("first rater's value", a), ("second rater's value", b)] {
                if let Some(value) = v {
                    crate::domain::check_one(what, index, value)?;
                }
            }
            match (a, b) {
                (Some(a), Some(b)) => {
                    kept.first.push(a);
                    kept.second.push(b);
                }
                _ => kept.dropped += 1,
            }
        }
        Ok(kept)
    }

    /// The two columns of a targets x 2 [`Ratings`] matrix; targets with a missing cell are
    /// dropped and counted.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] unless the matrix has exactly 2 raters.
    ///
    /// # Example
    /// ```
    /// use alliance::{Paired, Ratings};
    /// let r = Ratings::with_missing(3, 2, vec![Some(5.0), Some(4.0), None, Some(4.0), Some(3.0), Some(3.5)])?;
    /// let p = Paired::from_ratings(&r)?;
    /// assert_eq!((p.n(), p.dropped()), (2, 1));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn from_ratings(ratings: &Ratings) -> Result<Paired> {
        if ratings.raters() != 2 {
            return Err(Error::LengthMismatch {
                what: "raters of a paired comparison",
                expected: 2,
                found: ratings.raters(),
            });
        }
        let (mut first, mut second) = (Vec::new(), Vec::new());
        for row in ratings.complete_rows() {
            first.push(row[0]);
            second.push(row[1]);
        }
        Ok(Paired {
            dropped: ratings.targets() - first.len(),
            first,
            second,
        })
    }

    /// The complete pairs as a targets x 2 [`Ratings`] matrix (for an ICC of two raters).
    ///
    /// # Errors
    /// [`Error::TooFew`] with fewer than 2 complete pairs (a matrix needs 2 targets).
    ///
    /// # Example
    /// ```
    /// use alliance::Paired;
    /// let p = Paired::new(&[5.0, 4.5, 3.0], &[4.0, 4.0, 3.5])?;
    /// assert_eq!(p.to_ratings()?.get(2, 1), Some(3.5));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn to_ratings(&self) -> Result<Ratings> {
        Ratings::from_columns(&[&self.first, &self.second])
    }

    /// The first rater's values of the complete pairs.
    ///
    /// # Example
    /// ```
    /// use alliance::Paired;
    /// assert_eq!(Paired::new(&[1.0, 2.0], &[3.0, 4.0])?.first(), &[1.0, 2.0]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn first(&self) -> &[f64] {
        &self.first
    }

    /// The second rater's values of the complete pairs.
    ///
    /// # Example
    /// ```
    /// use alliance::Paired;
    /// assert_eq!(Paired::new(&[1.0, 2.0], &[3.0, 4.0])?.second(), &[3.0, 4.0]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn second(&self) -> &[f64] {
        &self.second
    }

    /// Complete pairs kept.
    ///
    /// # Example
    /// ```
    /// use alliance::Paired;
    /// assert_eq!(Paired::new(&[1.0, 2.0], &[3.0, 4.0])?.n(), 2);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn n(&self) -> usize {
        self.first.len()
    }

    /// Pairs dropped because a value was missing.
    ///
    /// # Example
    /// ```
    /// use alliance::Paired;
    /// assert_eq!(Paired::with_missing(&[None, Some(2.0)], &[Some(1.0), Some(3.0)])?.dropped(), 1);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// The missing-data policy: always [`CaseDeletion::Listwise`] (a pair missing a value is
    /// dropped whole).
    ///
    /// # Example
    /// ```
    /// use alliance::{CaseDeletion, Paired};
    /// assert_eq!(Paired::new(&[1.0], &[2.0])?.missing(), CaseDeletion::Listwise);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn missing(&self) -> CaseDeletion {
        CaseDeletion::Listwise
    }
}

fn check_lengths(first: usize, second: usize) -> Result<()> {
    if first == second {
        Ok(())
    } else {
        Err(Error::LengthMismatch {
            what: "second rater's values",
            expected: first,
            found: second,
        })
    }
}

/// The serialized form: the kept pairs and the dropped count, validated on the way in.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct PairedData {
    first: Vec<f64>,
    second: Vec<f64>,
    #[serde(default)]
    dropped: usize,
}

#[cfg(feature = "serde")]
impl TryFrom<PairedData> for Paired {
    type Error = Error;
    fn try_from(d: PairedData) -> Result<Paired> {
        let mut p = Paired::new(&d.first, &d.second)?;
        p.dropped = d.dropped;
        Ok(p)
    }
}

#[cfg(feature = "serde")]
impl From<Paired> for PairedData {
    fn from(p: Paired) -> PairedData {
        PairedData {
            first: p.first,
            second: p.second,
            dropped: p.dropped,
        }
    }
}
