//! Response scales.

use crate::error::{Error, Result};

/// The answers an item allows: every value from `min` to `max`, optionally in steps of
/// `step` from `min` (1 for a Likert scale, 0.1 for a visual-analogue line read in mm).
///
/// # Example
/// ```
/// use alliance::Scale;
/// let likert = Scale::likert(1, 5)?;
/// assert_eq!(likert.reverse(2.0)?, 4.0);
/// let vas = Scale::with_step(0.0, 10.0, 0.1)?;
/// assert!(vas.contains(7.3));
/// assert!(!vas.contains(7.35));
/// assert!(Scale::new(5.0, 1.0).is_err());
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(try_from = "ScaleData", into = "ScaleData"))]
pub struct Scale {
    min: f64,
    max: f64,
    step: Option<f64>,
}

/// Relative slack when checking that a value sits on the step grid (absorbs decimal input
/// such as 7.3 = 73 × 0.1 that binary floating point cannot hold exactly).
const GRID_TOLERANCE: f64 = 1e-9;

impl Scale {
    /// A continuous scale from `min` to `max`.
    ///
    /// # Errors
    /// [`Error::InvalidScale`] when a bound is not finite or `min >= max`.
    ///
    /// # Example
    /// ```
    /// use alliance::Scale;
    /// let line = Scale::new(0.0, 100.0)?; // a continuous 0-100 line
    /// assert!(line.contains(37.25));
    /// assert!(Scale::new(0.0, f64::INFINITY).is_err());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(min: f64, max: f64) -> Result<Scale> {
        Scale::build(min, max, None)
    }

    /// A scale from `min` to `max` in steps of `step`.
    ///
    /// # Errors
    /// [`Error::InvalidScale`] as for [`Scale::new`], and when `step` is not positive and
    /// finite or does not divide `max - min` into whole steps.
    ///
    /// # Example
    /// ```
    /// use alliance::Scale;
    /// let half_points = Scale::with_step(1.0, 7.0, 0.5)?;
    /// assert!(half_points.contains(4.5) && !half_points.contains(4.25));
    /// assert!(Scale::with_step(0.0, 10.0, 0.3).is_err()); // 0.3 does not divide 10
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn with_step(min: f64, max: f64, step: f64) -> Result<Scale> {
        Scale::build(min, max, Some(step))
    }

    /// An integer (Likert) scale from `min` to `max` in steps of 1.
    ///
    /// # Errors
    /// [`Error::InvalidScale`] when `min >= max`.
    ///
    /// # Example
    /// ```
    /// use alliance::Scale;
    /// let s = Scale::likert(0, 4)?;
    /// assert_eq!((s.min(), s.max(), s.step()), (0.0, 4.0, Some(1.0)));
    /// assert!(Scale::likert(5, 5).is_err());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn likert(min: u8, max: u8) -> Result<Scale> {
        Scale::with_step(f64::from(min), f64::from(max), 1.0)
    }

    fn build(min: f64, max: f64, step: Option<f64>) -> Result<Scale> {
        let invalid = |reason| Error::InvalidScale {
            min,
            max,
            step,
            reason,
        };
        if !(crate::domain::contains(min) && crate::domain::contains(max)) {
            return Err(invalid(
                "both bounds must be 0 or finite numbers of magnitude 1e-100 to 1e100",
            ));
        }
        if min >= max {
            return Err(invalid("the minimum must be below the maximum"));
        }
        if let Some(step) = step {
            let valid = step > 0.0 && crate::domain::contains(step);
            if !valid {
                return Err(invalid(
                    "the step must be positive, of magnitude 1e-100 to 1e100",
                ));
            }
            if !on_grid((max - min) / step) {
                return Err(invalid("the step must divide the range into whole steps"));
            }
        }
        Ok(Scale { min, max, step })
    }

    /// Lowest allowed answer.
    ///
    /// # Example
    /// ```
    /// use alliance::Scale;
    /// assert_eq!(Scale::likert(1, 7)?.min(), 1.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn min(&self) -> f64 {
        self.min
    }

    /// Highest allowed answer.
    ///
    /// # Example
    /// ```
    /// use alliance::Scale;
    /// assert_eq!(Scale::likert(1, 7)?.max(), 7.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn max(&self) -> f64 {
        self.max
    }

    /// Distance between allowed answers, if the scale is discrete.
    ///
    /// # Example
    /// ```
    /// use alliance::Scale;
    /// assert_eq!(Scale::likert(1, 7)?.step(), Some(1.0));
    /// assert_eq!(Scale::new(0.0, 10.0)?.step(), None);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn step(&self) -> Option<f64> {
        self.step
    }

    /// Whether `x` is an allowed answer (within range, and on the step grid if any).
    ///
    /// # Example
    /// ```
    /// use alliance::Scale;
    /// let s = Scale::likert(1, 5)?;
    /// assert!(s.contains(3.0));
    /// assert!(!s.contains(3.5) && !s.contains(6.0) && !s.contains(f64::NAN));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn contains(&self, x: f64) -> bool {
        self.check(0, x).is_ok()
    }

    /// The reverse-keyed value `min + max - x`, on the scale's declared range (never the
    /// observed range, which would depend on who happened to answer).
    ///
    /// # Errors
    /// [`Error::OutOfScale`], [`Error::OffStep`] or [`Error::NonFiniteAnswer`] when `x` is not
    /// an allowed answer (reported as item 0).
    ///
    /// # Example
    /// ```
    /// use alliance::Scale;
    /// let s = Scale::likert(1, 7)?;
    /// assert_eq!(s.reverse(2.0)?, 6.0);
    /// assert!(s.reverse(8.0).is_err());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn reverse(&self, x: f64) -> Result<f64> {
        self.check(0, x)?;
        Ok(self.reversed(x))
    }

    /// `min + max - x` for an answer already checked to be on the scale, computed as
    /// `max - (x - min)` (exact at both ends, and no cancellation of `min + max` when `|min|`
    /// dwarfs the range: with min -1e300, max -10, `min + max - min` was 0, outside the scale)
    /// and kept inside [min, max] against the last rounding.
    pub(crate) fn reversed(&self, x: f64) -> f64 {
        (self.max - (x - self.min)).clamp(self.min, self.max)
    }

    /// Percent of maximum possible: `100 (x - min) / (max - min)`.
    /// Clamped to [0, 100]: the mean lies on the scale, so anything outside is the rounding
    /// of the mean (a POMP of -1.4e-14 was seen).
    pub(crate) fn pomp(&self, mean: f64) -> f64 {
        (100.0 * (mean - self.min) / (self.max - self.min)).clamp(0.0, 100.0)
    }

    /// Whether [`Scale::check`] accepts `x`, without saying why not: the common case of
    /// a whole number of unit steps inside the scale in a few comparisons (NaN fails them
    /// all), anything else as `check` decides.
    #[inline]
    pub(crate) fn accepts(&self, x: f64) -> bool {
        // a whole number of steps from 0 to 2^52 is what adding and taking away 2^52 leaves
        // as it is (three additions: a saturating cast to an integer and back costs four times
        // as much); anything else, NaN included, goes to `check`
        const WHOLE: f64 = 4_503_599_627_370_496.0; // 2^52
        let steps = x - self.min;
        #[allow(clippy::float_cmp)] // exactness is the point
        let unit_step = self.step == Some(1.0) && (steps + WHOLE) - WHOLE == steps;
        // the bounds are in the domain, so between them only a tiny non-zero x is outside it
        let in_domain = x == 0.0 || x.abs() >= crate::domain::RESOLUTION_LIMIT;
        if self.min <= x && x <= self.max && unit_step && in_domain {
            return true;
        }
        self.check(0, x).is_ok()
    }

    /// Checks one answer to item `item`.
    pub(crate) fn check(&self, item: u16, x: f64) -> Result<()> {
        if !x.is_finite() {
            return Err(Error::NonFiniteAnswer { item, value: x });
        }
        if !crate::domain::contains(x) {
            return Err(Error::TinyAnswer { item, value: x });
        }
        if !(self.min..=self.max).contains(&x) {
            return Err(Error::OutOfScale {
                item,
                value: x,
                min: self.min,
                max: self.max,
            });
        }
        if let Some(step) = self.step
            && !on_grid(steps(x - self.min, step))
        {
            return Err(Error::OffStep {
                item,
                value: x,
                step,
                min: self.min,
            });
        }
        Ok(())
    }

    /// The scale as whole numbers `(min, max)` when it is an integer scale within 0..=255
    /// (the batch path's compact `u8` answers need one).
    pub(crate) fn as_u8_range(&self) -> Option<(u8, u8)> {
        let integral = self.step == Some(1.0) && self.min.fract() == 0.0;
        let in_range = self.min >= 0.0 && self.max <= 255.0;
        // The checks above make these casts exact.
        (integral && in_range).then_some((self.min as u8, self.max as u8))
    }
}

/// How many steps `offset` is: a step of 1 (every Likert scale) needs no division, the slow
/// part of checking an answer.
#[allow(clippy::float_cmp)] // exactly 1 is the point
fn steps(offset: f64, step: f64) -> f64 {
    if step == 1.0 { offset } else { offset / step }
}

fn on_grid(q: f64) -> bool {
    // the common case first, without a call to `round`: an exact whole number of steps
    #[allow(clippy::float_cmp)] // exactness is the point
    if (q as i64) as f64 == q {
        return true;
    }
    (q - q.round()).abs() <= GRID_TOLERANCE * q.abs().max(1.0)
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct ScaleData {
    min: f64,
    max: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    step: Option<f64>,
}

#[cfg(feature = "serde")]
impl TryFrom<ScaleData> for Scale {
    type Error = Error;
    fn try_from(d: ScaleData) -> Result<Scale> {
        Scale::build(d.min, d.max, d.step)
    }
}

#[cfg(feature = "serde")]
impl From<Scale> for ScaleData {
    fn from(s: Scale) -> ScaleData {
        ScaleData {
            min: s.min,
            max: s.max,
            step: s.step,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn answer() -> impl Strategy<Value = f64> {
        prop_oneof![
            (-3i32..12).prop_map(f64::from),
            (-6i32..24).prop_map(|h| f64::from(h) / 2.0),
            (-3i32..12).prop_map(|i| f64::from(i) + 1e-10),
            (-3i32..12).prop_map(|i| f64::from(i) - 1e-3),
            prop::sample::select(vec![
                f64::NAN,
                f64::INFINITY,
                f64::NEG_INFINITY,
                0.0,
                -0.0,
                1e-200,
                -1e-101,
                1e101,
            ]),
            -20.0..20.0f64,
        ]
    }

    fn scale() -> impl Strategy<Value = Scale> {
        prop_oneof![
            (0u8..3, 2u8..10)
                .prop_filter_map("min below max", |(lo, hi)| Scale::likert(lo, hi).ok()),
            (-2i32..2, 1i32..4).prop_filter_map("on the grid", |(lo, n)| {
                Scale::with_step(f64::from(lo), f64::from(lo) + 0.5 * f64::from(n), 0.5).ok()
            }),
            (-5.0..0.0f64, 0.5..10.0f64)
                .prop_filter_map("valid", |(lo, hi)| Scale::new(lo, hi).ok()),
            (-3i32..0, 1i32..6).prop_filter_map("valid", |(lo, n)| {
                Scale::with_step(f64::from(lo), f64::from(lo + n), 1.0).ok()
            }),
        ]
    }

    proptest! {
        /// The quick acceptance test agrees with the full check on every answer.
        #[test]
        fn accepts_is_check(s in scale(), x in answer()) {
            prop_assert_eq!(s.accepts(x), s.check(1, x).is_ok());
        }
    }
}
