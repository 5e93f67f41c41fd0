//! Conversions between [`Date`] and the date types of `chrono` and `jiff` (features `chrono`
//! and `jiff`), so an app keeps its own date type at the door.
//!
//! A [`Date`] runs from -9999-01-01 to 9999-12-31, as `jiff`'s civil dates do; `chrono`'s
//! `NaiveDate` reaches further, so a date outside that range is refused with
//! [`Error::InvalidDate`](crate::Error::InvalidDate).

#[cfg(any(feature = "chrono", feature = "jiff"))]
use crate::error::{Error, Result};
#[cfg(any(feature = "chrono", feature = "jiff"))]
use crate::session::Date;

/// # Example
/// ```
/// use alliance::Date;
/// let d = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
/// assert_eq!(Date::try_from(d)?, Date::new(2026, 3, 1)?);
/// let far = chrono::NaiveDate::from_ymd_opt(12026, 3, 1).unwrap();
/// assert_eq!(Date::try_from(far).unwrap_err().code(), "invalid_date");
/// # Ok::<(), alliance::Error>(())
/// ```
#[cfg(feature = "chrono")]
impl TryFrom<chrono::NaiveDate> for Date {
    type Error = Error;
    fn try_from(d: chrono::NaiveDate) -> Result<Date> {
        use chrono::Datelike;
        // month() is 1-12 and day() 1-31, so they fit a u8
        Date::new(d.year(), d.month() as u8, d.day() as u8)
    }
}

/// Never fails: every [`Date`] is within `chrono`'s range.
///
/// # Example
/// ```
/// use alliance::Date;
/// let d = chrono::NaiveDate::try_from(Date::new(2026, 3, 1)?)?;
/// assert_eq!(d.to_string(), "2026-03-01");
/// # Ok::<(), alliance::Error>(())
/// ```
#[cfg(feature = "chrono")]
impl TryFrom<Date> for chrono::NaiveDate {
    type Error = Error;
    fn try_from(d: Date) -> Result<chrono::NaiveDate> {
        chrono::NaiveDate::from_ymd_opt(d.year(), u32::from(d.month()), u32::from(d.day())).ok_or(
            Error::InvalidDate {
                year: d.year(),
                month: d.month(),
                day: d.day(),
            },
        )
    }
}

/// Never fails: `jiff`'s civil dates have [`Date`]'s range.
///
/// # Example
/// ```
/// use alliance::Date;
/// let d = jiff::civil::Date::new(2026, 3, 1).unwrap();
/// assert_eq!(Date::try_from(d)?, Date::new(2026, 3, 1)?);
/// # Ok::<(), alliance::Error>(())
/// ```
#[cfg(feature = "jiff")]
impl TryFrom<jiff::civil::Date> for Date {
    type Error = Error;
    fn try_from(d: jiff::civil::Date) -> Result<Date> {
        // jiff's month is 1-12 and day 1-31
        Date::new(i32::from(d.year()), d.month() as u8, d.day() as u8)
    }
}

/// Never fails: `jiff`'s civil dates have [`Date`]'s range.
///
/// # Example
/// ```
/// use alliance::Date;
/// let d = jiff::civil::Date::try_from(Date::new(-44, 3, 15)?)?;
/// assert_eq!((d.year(), d.month(), d.day()), (-44, 3, 15));
/// # Ok::<(), alliance::Error>(())
/// ```
#[cfg(feature = "jiff")]
impl TryFrom<Date> for jiff::civil::Date {
    type Error = Error;
    fn try_from(d: Date) -> Result<jiff::civil::Date> {
        let invalid = || Error::InvalidDate {
            year: d.year(),
            month: d.month(),
            day: d.day(),
        };
        let year = i16::try_from(d.year()).map_err(|_| invalid())?;
        // month 1-12 and day 1-31 fit an i8
        jiff::civil::Date::new(year, d.month() as i8, d.day() as i8).map_err(|_| invalid())
    }
}
