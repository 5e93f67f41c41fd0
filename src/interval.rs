//! Confidence levels and intervals, shared by every estimate in the crate.

use crate::error::{Error, Result};

/// A confidence level from 1e-6 to 1 − 1e-6, checked once at construction.
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(try_from = "f64", into = "f64"))]
pub struct Level(f64);

impl Level {
    /// The conventional 95% level.
    pub const NINETY_FIVE: Level = Level(0.95);

    /// The lowest level accepted, 1e-6.
    pub const MIN: f64 = 1e-6;

    /// The highest level accepted, 1 − 1e-6: each tail keeps at least 5e-7, so every quantile
    /// the intervals need is finite and accurate (at 1 − 2^-53 the upper normal quantile is
    /// infinite).
    pub const MAX: f64 = 1.0 - 1e-6;

    /// A confidence level.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless [`Level::MIN`] ≤ `level` ≤ [`Level::MAX`] (NaN
    /// included).
    ///
    /// # Example
    /// ```
    /// use alliance::{Error, Level};
    /// assert_eq!(Level::new(0.99)?.value(), 0.99);
    /// assert!(matches!(Level::new(95.0), Err(Error::InvalidParameter { .. }))); // a probability, not a percent
    /// assert!(Level::new(1.0 - f64::EPSILON / 2.0).is_err()); // no finite quantile
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(level: f64) -> Result<Level> {
        let valid = (Level::MIN..=Level::MAX).contains(&level);
        if valid {
            Ok(Level(level))
        } else {
            Err(Error::InvalidParameter {
                name: "confidence level",
                value: level,
                expected: "from 0.000001 to 0.999999",
            })
        }
    }

    /// The level as a probability, e.g. 0.95.
    ///
    /// # Example
    /// ```
    /// use alliance::Level;
    /// assert_eq!(Level::default().value(), 0.95);
    /// ```
    pub fn value(self) -> f64 {
        self.0
    }

    /// The two-sided tail probability on each side, (1 − level) / 2.
    ///
    /// # Example
    /// ```
    /// use alliance::Level;
    /// assert!((Level::new(0.90)?.tail() - 0.05).abs() < 1e-15);
    /// # Ok::<(), alliance::Error>(())
    /// ```
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// An interval from bounds you have (a published interval to compare with, say); the
    /// crate's statistics build theirs themselves.
    ///
    /// # Errors
    /// [`Error::NonFinite`] when a bound is NaN or infinite; [`Error::InvalidParameter`] when
    /// the lower bound is above the upper one.
    ///
    /// # Example
    /// ```
    /// use alliance::{Interval, Level};
    /// let ci = Interval::from_bounds(0.61, 0.84, Level::new(0.9)?)?;
    /// assert_eq!((ci.lower, ci.upper, ci.level), (0.61, 0.84, 0.9));
    /// assert!(Interval::from_bounds(0.84, 0.61, Level::NINETY_FIVE).is_err());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn from_bounds(lower: f64, upper: f64, level: Level) -> Result<Interval> {
        crate::stats::check_finite("interval bound", &[lower, upper])?;
        if lower > upper {
            return Err(Error::InvalidParameter {
                name: "an interval's lower bound",
                value: lower,
                expected: "at most its upper bound",
            });
        }
        Ok(Interval::new(lower, upper, level))
    }

    /// An interval with the given bounds at `level` (crate-internal: results build these).
    pub(crate) fn new(lower: f64, upper: f64, level: Level) -> Interval {
        Interval {
            lower,
            upper,
            level: level.value(),
        }
    }

    /// Whether `x` lies within the interval, bounds included.
    ///
    /// # Example
    /// ```
    /// use alliance::{Interval, Level};
    /// let ci = Interval::from_bounds(0.61, 0.84, Level::NINETY_FIVE)?;
    /// assert!(ci.contains(0.61) && ci.contains(0.7));
    /// assert!(!ci.contains(0.9));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn contains(&self, x: f64) -> bool {
        (self.lower..=self.upper).contains(&x)
    }
}
