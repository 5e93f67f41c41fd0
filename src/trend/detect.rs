//! Helpers the change detectors share: parameter checks and the
//! rounding-aware comparison of two scores (their running moments are
//! [`crate::stats::Moments`]).
//!
//! Private to the crate: no detector imports another detector, they all import this module.

use crate::domain::contains;
use crate::error::{Error, Result};

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

    /// A value of at least `lo` (`lo` excluded when `strict`) inside [`crate::domain`].
    pub(crate) fn at_least(
        self,
        value: f64,
        lo: f64,
        strict: bool,
        expected: &'static str,
    ) -> Result<f64> {
        let above = if strict { value > lo } else { value >= lo };
        if above && contains(value) {
            Ok(value)
        } else {
            Err(self.error(value, expected))
        }
    }

    /// A value inside [`crate::domain`]: zero, or of magnitude 1e-100 to [`MAGNITUDE_LIMIT`](crate::domain::MAGNITUDE_LIMIT).
    pub(crate) fn bounded(self, value: f64) -> Result<f64> {
        if contains(value) {
            Ok(value)
        } else {
            Err(self.error(
                value,
                "zero or a finite number of magnitude 1e-100 to 1e100",
            ))
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
/// at M = 1e13). A drop must also exceed the slack itself: near 1e100 the slack is larger
/// than a 1-point threshold, and equal scores (or means one rounding apart) are no drop.
pub(crate) fn at_least(from: f64, to: f64, threshold: f64) -> bool {
    let slack = 4.0 * f64::EPSILON * from.abs().max(to.abs());
    let drop = from - to;
    drop > slack && drop >= threshold - slack
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_drop_counts_as_its_nominal_size() {
        assert!(at_least(36.9, 35.9, 1.0));
        assert!(!at_least(36.9, 36.0, 1.0));
    }

    /// Found by `trend_series` (issue 14): at -5.4e99 the slack (4.8e84) dwarfs a 1-point
    /// threshold, and equal scores counted as a drop.
    #[test]
    fn equal_scores_never_drop_at_any_magnitude() {
        for x in [-5.399999999999999e99, 1e100, 36.0, 0.0, 1e-100] {
            assert!(!at_least(x, x, 1.0), "{x}");
            assert!(!at_least(x, x, 0.0), "{x}");
        }
        assert!(at_least(36.0, 35.0, 0.0));
    }
}
