//! The checked targets x raters matrix that agreement and reliability both read, and the
//! record of how missing cells were handled.

use crate::error::{Error, Result};

/// How missing cells were handled, recorded on every result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum CaseDeletion {
    /// Listwise: a target (respondent) with any missing cell is dropped entirely.
    Listwise,
    /// Pairwise: each covariance uses the respondents who answered both of its items.
    Pairwise,
    /// Available ratings: each target contributes the ratings it has (Krippendorff's alpha,
    /// and Fleiss' kappa, Gwet's AC1/AC2 and Brennan-Prediger after Gwet 2014); a target with
    /// fewer than 2 ratings cannot be paired and adds no agreement.
    AvailableRatings,
}

/// Ratings of `n` targets (rows: clients, sessions, units) by `k` raters (columns: client and
/// therapist, judges, coders), stored row-major. Missing cells are explicit at construction
/// (`None`) and each method documents what it does with them.
///
/// Every stored value is finite; there are at least 2 targets and 2 raters. Build it once and
/// hand it to as many methods as you like.
///
/// # Example
/// ```
/// use alliance::Ratings;
/// // 3 sessions rated by client and therapist
/// let r = Ratings::from_rows(&[[5.0, 4.0], [4.5, 4.0], [3.0, 3.5]])?;
/// assert_eq!((r.targets(), r.raters()), (3, 2));
/// let with_gap = Ratings::with_missing(2, 3, vec![Some(1.0), None, Some(2.0), Some(3.0), Some(3.0), Some(4.0)])?;
/// assert_eq!(with_gap.get(0, 1), None);
/// assert_eq!(with_gap.complete_targets(), 1);
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "RatingsData", into = "RatingsData")
)]
pub struct Ratings {
    targets: usize,
    raters: usize,
    /// Row-major; a missing cell is stored as NaN, which construction never lets in otherwise.
    cells: Vec<f64>,
    missing: usize,
}

/// Equal when the shapes match and every cell holds the same rating or is missing in both.
impl PartialEq for Ratings {
    fn eq(&self, other: &Ratings) -> bool {
        self.targets == other.targets
            && self.raters == other.raters
            && self
                .cells
                .iter()
                .zip(&other.cells)
                .all(|(a, b)| a.to_bits() == b.to_bits() || a == b)
    }
}

impl Ratings {
    /// A complete matrix from row-major values.
    ///
    /// # Errors
    /// [`Error::TooFew`] for fewer than 2 targets or raters; [`Error::LengthMismatch`] when
    /// `values.len() != targets * raters`; [`Error::NonFinite`], [`Error::TooLarge`] or
    /// [`Error::TooSmall`] (with the row-major index) for a value outside [`crate::domain`].
    ///
    /// # Example
    /// ```
    /// use alliance::Ratings;
    /// // 3 targets x 2 raters, row by row
    /// let r = Ratings::new(3, 2, vec![5.0, 4.0, 4.5, 4.0, 3.0, 3.5])?;
    /// assert_eq!(r.get(1, 0), Some(4.5));
    /// assert!(Ratings::new(3, 2, vec![5.0, 4.0]).is_err());
    /// assert!(Ratings::new(2, 2, vec![1.0, f64::NAN, 2.0, 3.0]).is_err());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(targets: usize, raters: usize, values: Vec<f64>) -> Result<Ratings> {
        check_shape(targets, raters, values.len())?;
        crate::domain::check("rating", &values)?;
        Ok(Ratings {
            targets,
            raters,
            cells: values,
            missing: 0,
        })
    }

    /// A matrix with missing cells, from row-major values.
    ///
    /// # Errors
    /// As [`Ratings::new`].
    ///
    /// # Example
    /// ```
    /// use alliance::Ratings;
    /// let r = Ratings::with_missing(2, 2, vec![Some(5.0), None, Some(3.0), Some(3.5)])?;
    /// assert_eq!((r.missing(), r.complete_targets()), (1, 1));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn with_missing(
        targets: usize,
        raters: usize,
        values: Vec<Option<f64>>,
    ) -> Result<Ratings> {
        check_shape(targets, raters, values.len())?;
        let mut cells = Vec::with_capacity(values.len());
        let mut missing = 0;
        for (index, v) in values.into_iter().enumerate() {
            match v {
                Some(x) => {
                    crate::domain::check_one("rating", index, x)?;
                    cells.push(x);
                }
                None => {
                    missing += 1;
                    cells.push(f64::NAN);
                }
            }
        }
        Ok(Ratings {
            targets,
            raters,
            cells,
            missing,
        })
    }

    /// A complete matrix from rows of equal length (one row per target).
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] for a row whose length differs from the first row's; otherwise
    /// as [`Ratings::new`].
    ///
    /// # Example
    /// ```
    /// use alliance::Ratings;
    /// let r = Ratings::from_rows(&[[5.0, 4.0], [4.5, 4.0], [3.0, 3.5]])?;
    /// assert_eq!((r.targets(), r.raters()), (3, 2));
    /// assert!(Ratings::from_rows(&[vec![1.0, 2.0], vec![3.0]]).is_err());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn from_rows<R: AsRef<[f64]>>(rows: &[R]) -> Result<Ratings> {
        let raters = rows.first().map_or(0, |r| r.as_ref().len());
        // Every row's length is checked before the matrix is allocated: a long first row
        // followed by many short ones must not size an allocation it cannot fill.
        for row in rows {
            let row = row.as_ref();
            if row.len() != raters {
                return Err(Error::LengthMismatch {
                    what: "ratings row",
                    expected: raters,
                    found: row.len(),
                });
            }
        }
        let mut values = Vec::with_capacity(rows.len().saturating_mul(raters));
        for row in rows {
            values.extend_from_slice(row.as_ref());
        }
        Ratings::new(rows.len(), raters, values)
    }

    /// A complete matrix from one column per rater, e.g. `[&client, &therapist]`.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] for columns of unequal length; otherwise as [`Ratings::new`].
    ///
    /// # Example
    /// ```
    /// use alliance::Ratings;
    /// let client = [5.0, 4.5, 3.0];
    /// let therapist = [4.0, 4.0, 3.5];
    /// let r = Ratings::from_columns(&[&client, &therapist])?;
    /// assert_eq!(r.get(2, 1), Some(3.5));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn from_columns<C: AsRef<[f64]>>(columns: &[C]) -> Result<Ratings> {
        let raters = columns.len();
        let targets = columns.first().map_or(0, |c| c.as_ref().len());
        for c in columns {
            if c.as_ref().len() != targets {
                return Err(Error::LengthMismatch {
                    what: "ratings column",
                    expected: targets,
                    found: c.as_ref().len(),
                });
            }
        }
        let mut values = Vec::with_capacity(targets * raters);
        for i in 0..targets {
            values.extend(columns.iter().map(|c| c.as_ref()[i]));
        }
        Ratings::new(targets, raters, values)
    }

    /// Number of targets (rows).
    ///
    /// # Example
    /// ```
    /// use alliance::Ratings;
    /// assert_eq!(Ratings::from_rows(&[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])?.targets(), 3);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn targets(&self) -> usize {
        self.targets
    }

    /// Number of raters (columns).
    ///
    /// # Example
    /// ```
    /// use alliance::Ratings;
    /// assert_eq!(Ratings::from_rows(&[[1.0, 2.0, 3.0], [3.0, 4.0, 5.0]])?.raters(), 3);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn raters(&self) -> usize {
        self.raters
    }

    /// Number of missing cells.
    ///
    /// # Example
    /// ```
    /// use alliance::Ratings;
    /// let r = Ratings::with_missing(2, 2, vec![None, Some(1.0), Some(2.0), None])?;
    /// assert_eq!(r.missing(), 2);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn missing(&self) -> usize {
        self.missing
    }

    /// The rating of target `target` by rater `rater`; `None` when missing or out of bounds.
    ///
    /// # Example
    /// ```
    /// use alliance::Ratings;
    /// let r = Ratings::with_missing(2, 2, vec![Some(5.0), None, Some(3.0), Some(3.5)])?;
    /// assert_eq!(r.get(0, 0), Some(5.0));
    /// assert_eq!(r.get(0, 1), None); // missing
    /// assert_eq!(r.get(usize::MAX, 0), None); // out of bounds
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn get(&self, target: usize, rater: usize) -> Option<f64> {
        if rater >= self.raters || target >= self.targets {
            return None;
        }
        // in bounds: target · raters + rater < targets · raters = cells.len(), no overflow
        self.cells
            .get(target * self.raters + rater)
            .copied()
            .filter(|x| !x.is_nan())
    }

    /// Number of targets rated by every rater.
    ///
    /// # Example
    /// ```
    /// use alliance::Ratings;
    /// let r = Ratings::with_missing(3, 2, vec![Some(5.0), None, Some(3.0), Some(3.5), Some(2.0), Some(2.5)])?;
    /// assert_eq!(r.complete_targets(), 2);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn complete_targets(&self) -> usize {
        if self.missing == 0 {
            return self.targets;
        }
        self.cells
            .chunks_exact(self.raters)
            .filter(|row| row.iter().all(|x| !x.is_nan()))
            .count()
    }

    /// Every cell, row-major, missing ones as NaN (crate-internal fast path).
    pub(crate) fn cells(&self) -> &[f64] {
        &self.cells
    }

    /// Rows of target ratings, with missing cells as NaN (crate-internal fast path).
    pub(crate) fn rows_raw(&self) -> std::slice::ChunksExact<'_, f64> {
        self.cells.chunks_exact(self.raters)
    }

    /// Rows of targets rated by every rater (all of them when nothing is missing).
    pub(crate) fn complete_rows(&self) -> impl Iterator<Item = &[f64]> {
        self.rows_raw()
            .filter(|row| row.iter().all(|x| !x.is_nan()))
    }

    /// Calls `f` on each complete row, skipping the missing-cell test when nothing is missing.
    pub(crate) fn for_each_complete_row(&self, mut f: impl FnMut(&[f64])) {
        if self.missing == 0 {
            self.rows_raw().for_each(f);
        } else {
            for row in self.complete_rows() {
                f(row);
            }
        }
    }
}

fn check_shape(targets: usize, raters: usize, len: usize) -> Result<()> {
    if targets < 2 {
        return Err(Error::TooFew {
            what: "targets",
            needed: 2,
            found: targets,
        });
    }
    if raters < 2 {
        return Err(Error::TooFew {
            what: "raters",
            needed: 2,
            found: raters,
        });
    }
    let expected = targets.checked_mul(raters).ok_or(Error::LengthMismatch {
        what: "ratings",
        expected: usize::MAX,
        found: len,
    })?;
    if len != expected {
        return Err(Error::LengthMismatch {
            what: "ratings",
            expected,
            found: len,
        });
    }
    Ok(())
}

/// The wire form of [`Ratings`]: its shape and row-major cells, `null` where missing.
/// Deserialization goes through [`Ratings::with_missing`].
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct RatingsData {
    targets: usize,
    raters: usize,
    cells: Vec<Option<f64>>,
}

#[cfg(feature = "serde")]
impl TryFrom<RatingsData> for Ratings {
    type Error = Error;
    fn try_from(d: RatingsData) -> Result<Ratings> {
        Ratings::with_missing(d.targets, d.raters, d.cells)
    }
}

#[cfg(feature = "serde")]
impl From<Ratings> for RatingsData {
    fn from(r: Ratings) -> RatingsData {
        RatingsData {
            targets: r.targets,
            raters: r.raters,
            cells: r
                .cells
                .iter()
                .map(|&x| (!x.is_nan()).then_some(x))
                .collect(),
        }
    }
}
