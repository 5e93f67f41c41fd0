//! Mann-Kendall and Sen's slope of many series at once, spread over the machine's cores.

use super::{MannKendall, SenOptions, SenSlope, Series, mann_kendall, sen_slope};
use crate::Level;
use crate::error::Result;
use std::num::NonZeroUsize;
use std::thread;

/// Below this many series per thread, threads cost more than they save.
const MIN_PER_THREAD: usize = 2048;

/// Options of [`mann_kendall_sen_batch`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct BatchOptions {
    /// Confidence level of Sen's interval (default 95%).
    pub level: Level,
    /// Sen's slope options.
    pub sen: SenOptions,
    /// Threads to use; `None` (the default) uses every core the system makes available.
    pub threads: Option<NonZeroUsize>,
}

impl BatchOptions {
    /// Use this confidence level.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::BatchOptions;
    /// use alliance::Level;
    /// let options = BatchOptions::default().with_level(Level::new(0.9)?);
    /// assert_eq!(options.level, Level::new(0.9)?);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    #[must_use]
    pub fn with_level(mut self, level: Level) -> Self {
        self.level = level;
        self
    }

    /// Use these Sen's slope options.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{BatchOptions, SenIntercept, SenOptions};
    /// let sen = SenOptions::default().with_intercept(SenIntercept::JointMedian);
    /// assert_eq!(BatchOptions::default().with_sen(sen).sen, sen);
    /// ```
    #[must_use]
    pub fn with_sen(mut self, sen: SenOptions) -> Self {
        self.sen = sen;
        self
    }

    /// Use at most this many threads (1: the calling thread only).
    ///
    /// # Example
    /// ```
    /// use alliance::trend::BatchOptions;
    /// use std::num::NonZeroUsize;
    /// let one = NonZeroUsize::MIN;
    /// assert_eq!(BatchOptions::default().with_threads(one).threads, Some(one));
    /// ```
    #[must_use]
    pub fn with_threads(mut self, threads: NonZeroUsize) -> Self {
        self.threads = Some(threads);
        self
    }
}

/// The Mann-Kendall test and Sen's slope of one series.
///
/// Serializes; does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TrendSummary {
    /// [`mann_kendall`] of the series.
    pub mann_kendall: MannKendall,
    /// [`sen_slope`] of the series.
    pub sen: SenSlope,
}

/// [`mann_kendall`] and [`sen_slope`] of every series, in the order given: exactly what the
/// two functions return series by series, computed on several threads at once for large
/// batches (a caseload of thousands of dyads). Each series' result is its own, so one
/// invalid series (too short) does not stop the others.
///
/// # Example
/// ```
/// use alliance::trend::{mann_kendall_sen_batch, BatchOptions, Series};
/// let caseload = vec![
///     Series::from_values(vec![4.1, 4.3, 4.2, 4.6, 4.8, 5.0])?,
///     Series::from_values(vec![5.0, 4.7, 4.8, 4.2, 4.0, 3.9])?,
///     Series::from_values(vec![4.0])?, // too short
/// ];
/// let results = mann_kendall_sen_batch(&caseload, BatchOptions::default());
/// let first = results[0].clone()?;
/// assert!(first.sen.slope > 0.0 && first.mann_kendall.s > 0);
/// assert!(results[1].clone()?.sen.slope < 0.0);
/// assert!(results[2].is_err());
/// # Ok::<(), alliance::Error>(())
/// ```
pub fn mann_kendall_sen_batch(
    series: &[Series],
    options: BatchOptions,
) -> Vec<Result<TrendSummary>> {
    let one = |s: &Series| -> Result<TrendSummary> {
        Ok(TrendSummary {
            mann_kendall: mann_kendall(s)?,
            sen: sen_slope(s, options.level, options.sen)?,
        })
    };
    let cores = options
        .threads
        .or_else(|| thread::available_parallelism().ok())
        .map_or(1, NonZeroUsize::get);
    let threads = cores.min(series.len() / MIN_PER_THREAD).max(1);
    if threads == 1 {
        return series.iter().map(one).collect();
    }
    let chunk = series.len().div_ceil(threads);
    thread::scope(|scope| {
        let workers: Vec<_> = series
            .chunks(chunk)
            .skip(1)
            .map(|part| {
                (
                    part,
                    scope.spawn(move || part.iter().map(one).collect::<Vec<_>>()),
                )
            })
            .collect();
        // the calling thread takes the first part
        let mut out: Vec<Result<TrendSummary>> = series[..chunk].iter().map(one).collect();
        for (part, worker) in workers {
            // a worker cannot panic (the statistics do not); were it to, its part is redone here
            match worker.join() {
                Ok(results) => out.extend(results),
                Err(_) => out.extend(part.iter().map(one)),
            }
        }
        out
    })
}
