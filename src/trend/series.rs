//! A checked series of scores on their real session times.

use crate::error::{Error, Result};

/// Scores on their real time axis (session numbers, or days since intake), checked once:
/// times strictly increase, every value is finite, and there is at least one point. Gaps in
/// time are kept as they are, never compacted to positions, so a missed session changes a
/// slope the way it should.
///
/// Each method checks that the series has as many points as it needs and says so otherwise.
///
/// # Example
/// ```
/// use alliance::trend::Series;
/// // sessions 1, 2, 4, 5 (session 3 was missed)
/// let s = Series::new(vec![1.0, 2.0, 4.0, 5.0], vec![30.0, 32.5, 35.0, 36.0])?;
/// assert_eq!(s.len(), 4);
/// assert!(Series::new(vec![1.0, 1.0], vec![3.0, 4.0]).is_err()); // time does not increase
/// let by_position = Series::from_values(vec![4.1, 4.3, 4.2])?; // times 1, 2, 3
/// assert_eq!(by_position.times(), &[1.0, 2.0, 3.0]);
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(try_from = "SeriesData", into = "SeriesData"))]
pub struct Series {
    times: Vec<f64>,
    values: Vec<f64>,
}

impl Series {
    /// A series from times and values of equal length.
    ///
    /// # Errors
    /// [`Error::TooFewPoints`] when empty; [`Error::LengthMismatch`] when the lengths differ;
    /// [`Error::NonFinite`] for a NaN or infinite time or value (with its index);
    /// [`Error::NotIncreasing`] where a time is not after the one before it.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::Series;
    /// // days since intake
    /// let s = Series::new(vec![0.0, 7.0, 21.0], vec![4.1, 4.3, 4.0])?;
    /// assert_eq!(s.times(), &[0.0, 7.0, 21.0]);
    /// assert!(Series::new(vec![0.0, 7.0], vec![4.1]).is_err()); // lengths differ
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(times: Vec<f64>, values: Vec<f64>) -> Result<Series> {
        if times.len() != values.len() {
            return Err(Error::LengthMismatch {
                what: "series values",
                expected: times.len(),
                found: values.len(),
            });
        }
        if times.is_empty() {
            return Err(Error::TooFewPoints {
                needed: 1,
                found: 0,
            });
        }
        crate::domain::check("session time", &times)?;
        crate::domain::check("score", &values)?;
        for (index, pair) in times.windows(2).enumerate() {
            if pair[1] <= pair[0] {
                return Err(Error::NotIncreasing {
                    index: index + 1,
                    value: pair[1],
                    previous: pair[0],
                });
            }
        }
        Ok(Series { times, values })
    }

    /// A series of consecutive sessions numbered 1, 2, 3, ... Use [`Series::new`] when sessions
    /// were missed.
    ///
    /// # Errors
    /// As [`Series::new`].
    ///
    /// # Example
    /// ```
    /// use alliance::trend::Series;
    /// let s = Series::from_values(vec![4.1, 4.3, 4.0])?;
    /// assert_eq!(s.times(), &[1.0, 2.0, 3.0]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn from_values(values: Vec<f64>) -> Result<Series> {
        let times = (1..=values.len()).map(|t| t as f64).collect();
        Series::new(times, values)
    }

    /// Number of points.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::Series;
    /// assert_eq!(Series::from_values(vec![4.1, 4.3])?.len(), 2);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.times.len()
    }

    /// Always false: a series has at least one point.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::Series;
    /// assert!(!Series::from_values(vec![4.1])?.is_empty());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }

    /// The session times.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::Series;
    /// let s = Series::new(vec![1.0, 2.0, 4.0], vec![30.0, 32.5, 35.0])?;
    /// assert_eq!(s.times(), &[1.0, 2.0, 4.0]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn times(&self) -> &[f64] {
        &self.times
    }

    /// The scores.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::Series;
    /// let s = Series::new(vec![1.0, 2.0, 4.0], vec![30.0, 32.5, 35.0])?;
    /// assert_eq!(s.values(), &[30.0, 32.5, 35.0]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Errors unless the series has at least `needed` points (for methods' own checks).
    pub(crate) fn require(&self, needed: usize) -> Result<()> {
        if self.len() < needed {
            Err(Error::TooFewPoints {
                needed,
                found: self.len(),
            })
        } else {
            Ok(())
        }
    }
}

/// The unchecked wire form of a [`Series`]; deserialization goes through [`Series::new`].
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct SeriesData {
    times: Vec<f64>,
    values: Vec<f64>,
}

#[cfg(feature = "serde")]
impl TryFrom<SeriesData> for Series {
    type Error = Error;
    fn try_from(d: SeriesData) -> Result<Series> {
        Series::new(d.times, d.values)
    }
}

#[cfg(feature = "serde")]
impl From<Series> for SeriesData {
    fn from(s: Series) -> SeriesData {
        SeriesData {
            times: s.times,
            values: s.values,
        }
    }
}
