//! Helpers the change detectors share: the magnitude guard, parameter checks and the
//! rounding-aware comparison of two scores (their running moments are
//! [`crate::stats::Moments`]).
//!
//! Private to the crate: no detector imports another detector, they all import this module.

use crate::error::{Error, Result};

/// Largest magnitude accepted for a score, a time or a scale parameter. Far above any alliance
/// scale, and low enough that no sum of squares the detectors keep can overflow, so no
/// detector can produce NaN or infinity from finite input.
///
/// # Example
/// ```
/// use alliance::trend::{MAGNITUDE_LIMIT, ruptures, RuptureRule, Series};
/// let s = Series::from_values(vec![1.0, 2.0 * MAGNITUDE_LIMIT])?;
/// let rule = RuptureRule::builder().reference_sd(1.0).build()?;
/// assert!(ruptures(&s, &rule).is_err());
/// # Ok::<(), alliance::Error>(())
/// ```
pub const MAGNITUDE_LIMIT: f64 = 1e100;

/// Errors with [`Error::TooLarge`] for the first value beyond [`MAGNITUDE_LIMIT`].
pub(crate) fn check_magnitude(what: &'static str, xs: &[f64]) -> Result<()> {
    match xs.iter().position(|x| x.abs() > MAGNITUDE_LIMIT) {
        Some(index) => Err(Error::TooLarge {
            what,
            index,
            value: xs[index],
            limit: MAGNITUDE_LIMIT,
        }),
        None => Ok(()),
    }
}

/// A parameter of a detector rule, named as the literature names it, for error messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Param {
    /// The rule ("rupture", "sudden-drop", "CUSUM", ...).
    pub(crate) rule: &'static str,
    /// The parameter ("reference SD", "decision interval h", ...).
    pub(crate) name: &'static str,
}

impl Param {
    pub(crate) const fn new(rule: &'static str, name: &'static str) -> Param {
        Param { rule, name }
    }

    fn error(self, value: f64, expected: &'static str) -> Error {
        Error::InvalidRuleParameter {
            rule: self.rule,
            parameter: self.name,
            value,
            expected,
        }
    }

    /// The value if it was set, else [`Error::MissingRuleParameter`].
    pub(crate) fn required(self, value: Option<f64>) -> Result<f64> {
        value.ok_or(Error::MissingRuleParameter {
            rule: self.rule,
            parameter: self.name,
        })
    }

    /// A finite value within `lo..=MAGNITUDE_LIMIT` (`lo` excluded when `strict`).
    pub(crate) fn at_least(
        self,
        value: f64,
        lo: f64,
        strict: bool,
        expected: &'static str,
    ) -> Result<f64> {
        let above = if strict { value > lo } else { value >= lo };
        if above && value <= MAGNITUDE_LIMIT {
            Ok(value)
        } else {
            Err(self.error(value, expected))
        }
    }

    /// A finite value of magnitude at most [`MAGNITUDE_LIMIT`].
    pub(crate) fn bounded(self, value: f64) -> Result<f64> {
        if value.abs() <= MAGNITUDE_LIMIT {
            Ok(value)
        } else {
            Err(self.error(value, "a finite number of magnitude at most 1e100"))
        }
    }

    /// A value within `(lo, hi]` (used for EWMA's lambda).
    pub(crate) fn in_half_open(
        self,
        value: f64,
        lo: f64,
        hi: f64,
        expected: &'static str,
    ) -> Result<f64> {
        if value > lo && value <= hi {
            Ok(value)
        } else {
            Err(self.error(value, expected))
        }
    }

    /// A count of sessions of at least `needed`, else [`Error::TooFewSessions`].
    pub(crate) fn sessions(self, sessions: usize, needed: usize) -> Result<usize> {
        if sessions >= needed {
            Ok(sessions)
        } else {
            Err(Error::TooFewSessions {
                rule: self.rule,
                parameter: self.name,
                sessions,
                needed,
            })
        }
    }
}

/// True when `from - to >= threshold`, allowing for the rounding of decimal scores: each
/// score carries at most ε/2 M of decimal-to-binary rounding (or a few ε M as a computed
/// mean) and the subtraction ε/2 |from - to| more, so 36.9 - 35.9 (0.99999999999999645 in
/// binary) counts as a 1-point drop. The slack is 4 ε M: it covers that rounding and no more,
/// so a constant series never drops, whatever its magnitude (a slack of 1e-12 M was 10 points
/// at M = 1e13).
pub(crate) fn at_least(from: f64, to: f64, threshold: f64) -> bool {
    let slack = 4.0 * f64::EPSILON * from.abs().max(to.abs());
    from - to >= threshold - slack
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_drop_counts_as_its_nominal_size() {
        assert!(at_least(36.9, 35.9, 1.0));
        assert!(!at_least(36.9, 36.0, 1.0));
    }
}
