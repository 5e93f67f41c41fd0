//! The arithmetic of one scope (the total, or a subscale), shared by [`score`](super::score),
//! the general batch path and the fast code path, so that the three agree bit for bit. A leaf
//! module: it depends on nothing else in `score`.

use crate::error::{Error, Result};

/// A scope's `(sum, mean)` from the sum of its `answered` keyed items out of `items`: the
/// mean of the answered items, and the sum prorated to the full item count when any is
/// missing. The one formula both [`score`](super::score) and both batch paths use, so they agree bit for bit.
///
/// `scale` is the answers' `(min, max)`. Every answer is on it, so the mean is in
/// `[min, max]` and the sum in `[items·min, items·max]` (the instrument's total range); the
/// rounding of a float sum (16 × 4.3 added up is 68.79999999999998, below 16 · 4.3 = 68.8)
/// is clamped back. Integer codes never need it.
#[inline]
pub(crate) fn prorate(
    answered_sum: f64,
    answered: usize,
    items: usize,
    scale: (f64, f64),
) -> (f64, f64) {
    let (min, max) = scale;
    let k = items as f64;
    let mean = (answered_sum / answered as f64).clamp(min, max);
    let sum = if answered < items {
        mean * k
    } else {
        answered_sum
    };
    (sum.clamp(k * min, k * max), mean)
}

/// Errors when more than `allowed` of a scope's `items` are missing (never allowing all).
pub(crate) fn check_missing(
    scope: &str,
    items: usize,
    answered: usize,
    allowed: usize,
) -> Result<()> {
    let missing = items - answered;
    if missing > allowed || answered == 0 {
        return Err(Error::TooManyMissing {
            scope: scope.to_owned(),
            missing,
            items,
            allowed: allowed.min(items.saturating_sub(1)),
        });
    }
    Ok(())
}

/// A scope's value from the sum of its `answered` items of `items`, prorated as `score` does.
#[inline]
pub(crate) fn scope_value(
    mean_rule: bool,
    sum: f64,
    answered: usize,
    items: usize,
    scale: (f64, f64),
) -> f64 {
    let (sum, mean) = prorate(sum, answered, items, scale);
    if mean_rule { mean } else { sum }
}
