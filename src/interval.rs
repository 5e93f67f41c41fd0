//! Confidence levels and intervals, shared by every estimate in the crate.

use crate::error::{Error, Result};

/// A confidence level strictly between 0 and 1, checked once at construction.
///
/// # Example
/// ```
/// use alliance::Level;
/// let level = Level::new(0.90)?;
/// assert_eq!(level.value(), 0.90);
/// assert!(Level::new(1.0).is_err());
/// assert!(Level::new(f64::NAN).is_err());
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "f64", into = "f64"))]
pub struct Level(f64);

impl Level {
    /// The conventional 95% level.
    pub const NINETY_FIVE: Level = Level(0.95);

    /// A confidence level.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `0 < level < 1` (NaN included).
    pub fn new(level: f64) -> Result<Level> {
        let valid = level > 0.0 && level < 1.0;
        if valid {
            Ok(Level(level))
        } else {
            Err(Error::InvalidParameter {
                name: "confidence level",
                value: level,
                expected: "strictly between 0 and 1",
            })
        }
    }

    /// The level as a probability, e.g. 0.95.
    pub fn value(self) -> f64 {
        self.0
    }

    /// The two-sided tail probability on each side, (1 − level) / 2.
    pub fn tail(self) -> f64 {
        (1.0 - self.0) / 2.0
    }
}

impl Default for Level {
    fn default() -> Self {
        Level::NINETY_FIVE
    }
}

impl TryFrom<f64> for Level {
    type Error = Error;
    fn try_from(value: f64) -> Result<Level> {
        Level::new(value)
    }
}

impl From<Level> for f64 {
    fn from(level: Level) -> f64 {
        level.0
    }
}

/// A two-sided confidence interval.
///
/// With feature `serde` it serializes; it does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Interval {
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
    /// Confidence level, e.g. 0.95.
    pub level: f64,
}

impl Interval {
    /// An interval with the given bounds at `level` (crate-internal: results build these).
    pub(crate) fn new(lower: f64, upper: f64, level: Level) -> Interval {
        Interval {
            lower,
            upper,
            level: level.value(),
        }
    }

    /// Whether `x` lies within the interval, bounds included.
    pub fn contains(&self, x: f64) -> bool {
        (self.lower..=self.upper).contains(&x)
    }
}
