//! The numeric domain: which numbers the crate accepts as data.
//!
//! Every number a caller hands in as data (a rating, an answer, a scale bound, a session score
//! or time, a norm, an SD, a weight) must be finite and either zero or of magnitude between
//! [`RESOLUTION_LIMIT`] and [`MAGNITUDE_LIMIT`]; anything else is refused at the door with
//! [`Error::NonFinite`], [`Error::TooLarge`] or [`Error::TooSmall`], naming the value and its
//! position. Alliance scores, session times and rating scales sit dozens of orders of magnitude
//! inside these bounds, so a value outside them is an entry error, not data.
//!
//! Why these bounds: with every input in `{0} ∪ [1e-100, 1e100]`, every square, product and
//! quotient of two inputs, every sum of squares of up to 2^53 of them, and every ratio of two
//! such sums is a normal, finite `f64` (between 1e-232 and 1e216 in magnitude). So no statistic
//! can overflow to infinity, divide by an underflowed zero or produce NaN from data inside the
//! domain, and scaling the data by a power of two (within the domain) changes no coefficient.
//!
//! Inside the domain, an `Ok` result holds no NaN and no infinity except where a statistic
//! documents `+inf` (an F ratio with zero error variance). Degenerate data (a zero variance,
//! a zero denominator) give an [`Outcome::Undefined`](crate::Outcome) decided from the data
//! exactly, not from a rounded float.

use crate::error::{Error, Result};

/// Largest magnitude accepted for any number given as data.
///
/// # Example
/// ```
/// use alliance::domain::MAGNITUDE_LIMIT;
/// use alliance::{Error, Ratings};
/// let r = Ratings::from_rows(&[[1.0, 2.0], [3.0, 2.0 * MAGNITUDE_LIMIT]]);
/// assert!(matches!(r, Err(Error::TooLarge { index: 3, .. })));
/// ```
pub const MAGNITUDE_LIMIT: f64 = 1e100;

/// Smallest nonzero magnitude accepted for any number given as data (zero itself is accepted).
///
/// # Example
/// ```
/// use alliance::domain::RESOLUTION_LIMIT;
/// use alliance::{Error, Paired};
/// assert!(Paired::new(&[0.0, 1.0], &[0.0, 2.0]).is_ok());
/// let p = Paired::new(&[1.0, 2.0], &[RESOLUTION_LIMIT / 2.0, 1.0]);
/// assert!(matches!(p, Err(Error::TooSmall { index: 0, .. })));
/// ```
pub const RESOLUTION_LIMIT: f64 = 1e-100;

/// Whether `value` is inside the domain.
///
/// # Example
/// ```
/// use alliance::domain::contains;
/// assert!(contains(0.0) && contains(-4.5) && contains(1e99));
/// assert!(!contains(f64::NAN) && !contains(1e101) && !contains(5e-324));
/// ```
pub fn contains(value: f64) -> bool {
    let m = value.abs();
    value == 0.0 || (RESOLUTION_LIMIT..=MAGNITUDE_LIMIT).contains(&m)
}

/// The error for `value` at `index` if it is outside the domain.
pub(crate) fn check_one(what: &'static str, index: usize, value: f64) -> Result<()> {
    if contains(value) {
        Ok(())
    } else if !value.is_finite() {
        Err(Error::NonFinite { what, index, value })
    } else if value.abs() > MAGNITUDE_LIMIT {
        Err(Error::TooLarge {
            what,
            index,
            value,
            limit: MAGNITUDE_LIMIT,
        })
    } else {
        Err(Error::TooSmall {
            what,
            index,
            value,
            limit: RESOLUTION_LIMIT,
        })
    }
}

/// Refuses the first value outside the domain, naming what it is and its position.
pub(crate) fn check(what: &'static str, xs: &[f64]) -> Result<()> {
    match xs.iter().position(|&x| !contains(x)) {
        Some(index) => check_one(what, index, xs[index]),
        None => Ok(()),
    }
}
