//! Autocorrelation-corrected Mann-Kendall tests beyond Hamed-Rao: the Yue-Wang (2004)
//! variance correction, pre-whitening (Kulkarni & von Storch 1995) and trend-free
//! pre-whitening (Yue, Pilon, Phinney & Cavadias 2002).
//!
//! # Autocorrelation on uneven session times
//!
//! The published methods define the lag-k autocorrelation for equally spaced observations.
//! Sessions are often not equally spaced (a missed week, a holiday), and an autocorrelation
//! "per day" would need a continuous-time model the papers do not use. The crate therefore
//! follows the published estimators in **session order**: lag k pairs each session with the
//! k-th session after it, whatever the time between them. The trend is removed on the **real
//! times** (Sen's slope b on the session times, residuals dᵢ = yᵢ − b tᵢ), and trend-free
//! pre-whitening adds the trend back at each session's own time. On sessions numbered 1..n
//! (or any equal spacing) this is exactly the published method.
//!
//! The estimator of the lag-k autocorrelation is the usual biased one (R's `acf`,
//! pymannkendall's `__acf`):
//!
//! ```text
//! r_k = Σ_{i=1}^{n−k} (dᵢ − d̄)(d_{i+k} − d̄) / Σ_{i=1}^{n} (dᵢ − d̄)²
//! ```
//!
//! whose |r₁| is below 1 on every non-constant series (so pre-whitening never divides the
//! series away). Where every residual is equal (constant scores for pre-whitening; constant
//! scores or scores exactly on a line for the trend-free methods) r is 0/0 and is reported as
//! [`Undefined::ConstantValues`]. Series shorter than [`CORRECTION_MIN_POINTS`] sessions are
//! refused ([`Error::TooShortForCorrection`]): three sessions give two lag-1 products, too
//! few to estimate an autocorrelation, and pre-whitening would leave two points to test.

use super::Series;
use super::mahonian::exact_p;
use super::mann_kendall::{s_counts, z_score};
use super::sen::sen_median;
use crate::Level;
use crate::error::{Error, Result};
use crate::method::PMethod;
use crate::outcome::{Outcome, Undefined};
use crate::stats::{self, RoundingNoise};

/// The fewest sessions an autocorrelation correction accepts.
pub const CORRECTION_MIN_POINTS: usize = 4;

/// The most products `lags x n` the Yue-Wang autocorrelations may take (as
/// [`HamedRaoOptions::MAX_WORK`](super::HamedRaoOptions::MAX_WORK)): 2^28.
const MAX_WORK: u64 = 1 << 28;

/// Refuses series shorter than [`CORRECTION_MIN_POINTS`].
fn require(series: &Series, method: &'static str) -> Result<()> {
    if series.len() < CORRECTION_MIN_POINTS {
        return Err(Error::TooShortForCorrection {
            method,
            needed: CORRECTION_MIN_POINTS,
            found: series.len(),
        });
    }
    Ok(())
}

/// Residuals `yᵢ − b tᵢ` into `out`, and the magnitude bounding what entered them.
fn detrend(series: &Series, slope: f64, out: &mut Vec<f64>) -> f64 {
    out.clear();
    let mut magnitude = 0.0f64;
    for (t, y) in series.times().iter().zip(series.values()) {
        let trend = slope * t;
        magnitude = magnitude.max(y.abs() + trend.abs());
        out.push(y - trend);
    }
    magnitude
}

/// Centres `d` in place and gives the sum of squared deviations; `ConstantValues` when `d`
/// is constant up to rounding (the autocorrelation is then 0/0), `OutOfRange` when the
/// detrended scores or their squares overflow (scores and slope times near the domain's
/// edge).
fn centre(d: &mut [f64], magnitude: f64) -> std::result::Result<f64, Undefined> {
    let n = d.len();
    let mean = stats::sum(d.iter().copied()) / n as f64;
    for v in d.iter_mut() {
        *v -= mean;
    }
    let ss = stats::sum(d.iter().map(|v| v * v));
    if !ss.is_finite() || !magnitude.is_finite() {
        Err(Undefined::OutOfRange)
    } else if ss <= 0.0 || RoundingNoise::new(magnitude).is_unresolved(ss, n) {
        Err(Undefined::ConstantValues)
    } else {
        Ok(ss)
    }
}

/// Lag-`lag` autocorrelation of centred values whose sum of squares is `ss`.
fn autocorrelation(dev: &[f64], ss: f64, lag: usize) -> f64 {
    stats::sum(
        dev[..dev.len() - lag]
            .iter()
            .zip(&dev[lag..])
            .map(|(a, b)| a * b),
    ) / ss
}

/// Options of [`mann_kendall_yue_wang`].
///
/// # Example
/// ```
/// use alliance::trend::YueWangOptions;
/// use alliance::Level;
/// let options = YueWangOptions::default().with_lags(1);
/// assert_eq!((options.lags, options.level), (Some(1), None));
/// let filtered = YueWangOptions::default().with_level(Level::NINETY_FIVE);
/// assert_eq!(filtered.level, Some(Level::NINETY_FIVE));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct YueWangOptions {
    /// Number of first lags entering n/n*; `None` (the default, as pymannkendall's
    /// `lag=None` and R `modifiedmk::mmky`) uses every lag 1..n−1 while that is at most
    /// 2^28 products (series up to 16,384 points), else the first ⌊2^28 / n⌋ lags. `Some(1)`
    /// is pymannkendall's `lag=1`.
    pub lags: Option<usize>,
    /// When set, only the autocorrelations beyond ±z(1 − α/2)/√n at this level enter n/n*
    /// (the filter Hamed and Rao use); `None` (the default, as pymannkendall and
    /// `modifiedmk`) uses every lag examined.
    pub level: Option<Level>,
}

impl YueWangOptions {
    /// Use only the first `lags` lags.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::YueWangOptions;
    /// assert_eq!(YueWangOptions::default().with_lags(3).lags, Some(3));
    /// ```
    #[must_use]
    pub fn with_lags(mut self, lags: usize) -> Self {
        self.lags = Some(lags);
        self
    }

    /// Use only the autocorrelations significant at this level.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::YueWangOptions;
    /// use alliance::Level;
    /// let options = YueWangOptions::default().with_level(Level::new(0.9)?);
    /// assert_eq!(options.level, Some(Level::new(0.9)?));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    #[must_use]
    pub fn with_level(mut self, level: Level) -> Self {
        self.level = Some(level);
        self
    }

    /// The lags to use on `n` points (n ≥ 2).
    fn lags_for(self, n: usize) -> Result<usize> {
        let max_lags = usize::try_from(MAX_WORK / n as u64)
            .unwrap_or(usize::MAX)
            .min(n - 1);
        let lags = self.lags.unwrap_or(max_lags);
        if lags == 0 || lags > max_lags {
            return Err(Error::InvalidCorrectionLags {
                method: "Yue-Wang",
                lags,
                points: n,
                max_lags,
            });
        }
        Ok(lags)
    }
}

/// The Yue-Wang autocorrelation-corrected Mann-Kendall test.
///
/// Serializes; does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct YueWang {
    /// S (as in the uncorrected test: the correction changes only its variance).
    pub s: i64,
    /// Var(S) of the uncorrected test (tie-corrected).
    pub var_s_uncorrected: f64,
    /// The variance inflation n/n* = 1 + 2 Σₖ (1 − k/n) rₖ; [`Undefined::ConstantValues`]
    /// when the detrended scores are all equal.
    pub correction: Outcome,
    /// The effective sample size n* = n / (n/n*); undefined with the correction, and
    /// [`Undefined::NonPositiveVariance`] when n/n* ≤ 0.
    pub effective_n: Outcome,
    /// Corrected Var(S) = Var(S) · n/n*; [`Undefined::NonPositiveVariance`] when not positive.
    pub var_s: Outcome,
    /// Z on the corrected variance (0 when S = 0, whatever the variance).
    pub z: Outcome,
    /// Two-sided normal p-value of Z (1 when S = 0).
    pub p: Outcome,
    /// How `p` was computed: always [`PMethod::Normal`].
    pub p_method: PMethod,
    /// Lag-1 autocorrelation r₁ of the detrended scores.
    pub lag1: Outcome,
    /// Lags that entered n/n* (all examined ones without a significance level).
    pub significant_lags: usize,
    /// Lags examined.
    pub lags: usize,
    /// Sen's slope used to detrend (on the series' real times).
    pub sen_slope: f64,
    /// Number of points used.
    pub n: usize,
    /// The reference implementations this matches.
    pub reference: &'static str,
}

/// Mann-Kendall test with the Yue and Wang (2004) effective-sample-size variance correction.
///
/// ```text
/// b = Sen's slope on the real times,   dᵢ = yᵢ − b tᵢ       (session order)
/// r_k = lag-k autocorrelation of d (module doc)              k = 1..lags
/// n/n* = 1 + 2 Σ_k (1 − k/n) r_k       (only |r_k| > z(1 − α/2)/√n with a level)
/// Var*(S) = Var(S) · n/n*,   Z = (S ∓ 1)/√Var*(S),   p = 2 P(N(0,1) > |Z|)
/// ```
///
/// Unlike Hamed and Rao (1998), who use the autocorrelations of the ranks, Yue and Wang use
/// those of the detrended scores themselves. With the default options (every lag, no
/// significance filter) this is exactly pymannkendall's `yue_wang_modification_test` and R
/// `modifiedmk::mmky` on sessions 1..n; the results differ only where those print NaN or a
/// negative variance: the crate reports [`Undefined::ConstantValues`] when the detrended
/// scores are all equal (constant scores, or scores exactly on a line: no noise to
/// correlate), and [`Undefined::NonPositiveVariance`] when n/n* ≤ 0 (a strong negative
/// lag-1 autocorrelation with `with_lags(1)`, common on 4-12 sessions). When S = 0, Z = 0
/// and p = 1 whatever the correction. With all n − 1 lags the estimate of n/n* is never
/// negative (the biased autocovariances form a positive semi-definite matrix) but the
/// high lags rest on few products; Yue and Wang's own examples assume an AR(1) series, for
/// which `with_lags(1)` captures most of the correction. The cost is O(n · lags).
///
/// # Errors
/// [`Error::TooShortForCorrection`] below [`CORRECTION_MIN_POINTS`] sessions;
/// [`Error::InvalidCorrectionLags`] when `lags` is 0, not below n, or beyond 2^28 / n.
///
/// # Example
/// ```
/// use alliance::trend::{mann_kendall_yue_wang, YueWangOptions, Series};
/// use alliance::{Outcome, Undefined};
/// let s = Series::from_values(vec![4.0, 4.2, 4.1, 4.5, 4.6, 4.4, 4.8, 5.0, 4.9, 5.2])?;
/// let yw = mann_kendall_yue_wang(&s, YueWangOptions::default())?;
/// assert_eq!((yw.s, yw.lags), (37, 9));
/// assert!(yw.p.value().is_some_and(|p| p < 0.05));
/// // scores exactly on a line leave no noise whose autocorrelation could be estimated
/// let line = Series::from_values(vec![4.0, 4.5, 5.0, 5.5, 6.0])?;
/// let undefined = mann_kendall_yue_wang(&line, YueWangOptions::default())?;
/// assert_eq!(undefined.p, Outcome::Undefined(Undefined::ConstantValues));
/// assert_eq!(undefined.s, 10);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Yue & Wang (2004), Water Resources Management 18:201-218; Bayley & Hammersley (1946).
/// Matches `pymannkendall.yue_wang_modification_test` 1.4.3 (default and `lag=1`) and an
/// independent mpmath implementation on uneven times (`tests/reference/trend_corrections.py`).
pub fn mann_kendall_yue_wang(series: &Series, options: YueWangOptions) -> Result<YueWang> {
    require(series, "Yue-Wang")?;
    let n = series.len();
    let lags = options.lags_for(n)?;
    let counts = s_counts(series.values());
    let slope = sen_median(series.times(), series.values());
    let mut d = Vec::with_capacity(n);
    let magnitude = detrend(series, slope, &mut d);
    let why = Undefined::ConstantValues;
    let mut out = YueWang {
        s: counts.s,
        var_s_uncorrected: counts.var_s,
        correction: Outcome::Undefined(why),
        effective_n: Outcome::Undefined(why),
        var_s: Outcome::Undefined(why),
        z: Outcome::Undefined(why),
        p: Outcome::Undefined(why),
        p_method: PMethod::Normal,
        lag1: Outcome::Undefined(why),
        significant_lags: 0,
        lags,
        sen_slope: slope,
        n,
        reference: "pymannkendall.yue_wang_modification_test 1.4.3; R modifiedmk::mmky",
    };
    if counts.s == 0 {
        out.z = Outcome::Defined(0.0);
        out.p = Outcome::Defined(1.0);
    }
    let ss = match centre(&mut d, magnitude) {
        Ok(ss) => ss,
        Err(why) => {
            let why = Outcome::Undefined(why);
            (out.correction, out.effective_n, out.var_s, out.lag1) = (why, why, why, why);
            if counts.s != 0 {
                (out.z, out.p) = (why, why);
            }
            return Ok(out);
        }
    };
    let nf = n as f64;
    let bound = match options.level {
        Some(level) => Some(stats::z_two_sided(level)? / nf.sqrt()),
        None => None,
    };
    let mut sum = stats::Sum::default();
    for lag in 1..=lags {
        let r = autocorrelation(&d, ss, lag);
        if lag == 1 {
            out.lag1 = Outcome::Defined(r);
        }
        if bound.is_none_or(|b| !(-b..=b).contains(&r)) {
            sum.add((1.0 - lag as f64 / nf) * r);
            out.significant_lags += 1;
        }
    }
    let correction = 1.0 + 2.0 * sum.value();
    out.correction = Outcome::Defined(correction);
    let var_s = counts.var_s * correction;
    if correction <= 0.0 || var_s <= 0.0 {
        let why = Outcome::Undefined(Undefined::NonPositiveVariance);
        out.var_s = why;
        out.effective_n = if correction <= 0.0 {
            why
        } else {
            Outcome::Defined(nf / correction)
        };
        if counts.s != 0 {
            out.z = why;
            out.p = why;
        }
        return Ok(out);
    }
    out.effective_n = Outcome::Defined(nf / correction);
    out.var_s = Outcome::Defined(var_s);
    let z = z_score(counts.s, var_s);
    out.z = Outcome::Defined(z);
    out.p = Outcome::Defined(stats::normal_two_sided_p(z));
    Ok(out)
}

/// Options of [`mann_kendall_pre_whitened`] and [`mann_kendall_trend_free_pre_whitened`].
///
/// # Example
/// ```
/// use alliance::trend::PreWhiteningOptions;
/// use alliance::Level;
/// assert_eq!(PreWhiteningOptions::default().level, None);
/// let yue_2002 = PreWhiteningOptions::default().with_level(Level::NINETY_FIVE);
/// assert_eq!(yue_2002.level, Some(Level::NINETY_FIVE));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PreWhiteningOptions {
    /// When set, the series is pre-whitened only if |r₁| > z(1 − α/2)/√n at this level, and
    /// tested as it is otherwise (Yue et al. 2002, step 2); `None` (the default, as
    /// pymannkendall and R `modifiedmk`) always pre-whitens.
    pub level: Option<Level>,
}

impl PreWhiteningOptions {
    /// Pre-whiten only when r₁ is significant at this level.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::PreWhiteningOptions;
    /// use alliance::Level;
    /// let options = PreWhiteningOptions::default().with_level(Level::new(0.9)?);
    /// assert_eq!(options.level, Some(Level::new(0.9)?));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    #[must_use]
    pub fn with_level(mut self, level: Level) -> Self {
        self.level = Some(level);
        self
    }
}

/// A Mann-Kendall test on a pre-whitened series (plain or trend-free).
///
/// Serializes; does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct PreWhitened {
    /// S of the tested series.
    pub s: i64,
    /// Var(S) of the tested series (tie-corrected).
    pub var_s: f64,
    /// Z with continuity correction (0 when S = 0).
    pub z: f64,
    /// The recommended two-sided p-value: `p_exact` where defined, else `p_normal`.
    pub p: f64,
    /// How `p` was computed: [`PMethod::Exact`] or [`PMethod::Normal`].
    pub p_method: PMethod,
    /// Exact two-sided p from the permutation distribution of S on the tested series, as in
    /// [`mann_kendall`](super::mann_kendall): undefined with ties or beyond 49 points.
    pub p_exact: Outcome<f64>,
    /// Two-sided normal-approximation p-value (what pymannkendall reports).
    pub p_normal: f64,
    /// Kendall's tau-a of the tested series, S / (m(m − 1)/2) (pymannkendall's `Tau`).
    pub tau_a: f64,
    /// The lag-1 autocorrelation r₁ removed: of the scores (pre-whitening) or of the
    /// Sen-detrended scores (trend-free); [`Undefined::ConstantValues`] when those are all
    /// equal (nothing to whiten: the series is tested as it is).
    pub lag1: Outcome,
    /// Whether the series was pre-whitened (false when r₁ is undefined, when with a level it
    /// is not significant, or when the whitened scores overflow near the domain's edge: the
    /// scores were then tested as they are).
    pub whitened: bool,
    /// Points tested: n − 1 when whitened, else n.
    pub tested: usize,
    /// Whether the trend was removed before whitening and added back (trend-free).
    pub trend_free: bool,
    /// Sen's slope of the original series on its real times.
    pub sen_slope: f64,
    /// Number of points in the series.
    pub n: usize,
    /// The reference implementations this matches.
    pub reference: &'static str,
}

/// Mann-Kendall test on the pre-whitened series (von Storch 1995; Kulkarni & von Storch 1995).
///
/// ```text
/// r₁ = lag-1 autocorrelation of the scores y (session order; module doc)
/// wᵢ = yᵢ − r₁ y_{i−1},   i = 2..n                 (n − 1 points)
/// S, Var(S), Z, p: the Mann-Kendall test on w (exact p for untied w of ≤ 49 points)
/// ```
///
/// Removing an AR(1) component makes the test's level right on autocorrelated noise, but
/// r₁ of a series with a trend is inflated by the trend, so pre-whitening also removes part
/// of a real trend and loses power (Yue et al. 2002); prefer
/// [`mann_kendall_trend_free_pre_whitened`] when a trend is plausible. On sessions 1..n this
/// is pymannkendall's `pre_whitening_modification_test` (its `p` is the `p_normal` here);
/// pre-whitening does not use the times, so it is the same on uneven times. Constant
/// scores have no r₁ ([`Undefined::ConstantValues`]) and are tested as they are (S = 0,
/// p = 1), where pymannkendall tests n − 1 NaNs.
///
/// # Errors
/// [`Error::TooShortForCorrection`] below [`CORRECTION_MIN_POINTS`] sessions.
///
/// # Example
/// ```
/// use alliance::trend::{mann_kendall_pre_whitened, PreWhiteningOptions, Series};
/// use alliance::PMethod;
/// let s = Series::from_values(vec![4.0, 4.2, 4.1, 4.5, 4.6, 4.4, 4.8, 5.0, 4.9, 5.2])?;
/// let pw = mann_kendall_pre_whitened(&s, PreWhiteningOptions::default())?;
/// assert!(pw.whitened && !pw.trend_free);
/// assert_eq!((pw.n, pw.tested), (10, 9));
/// assert_eq!(pw.p_method, PMethod::Exact);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// von Storch (1995), in *Analysis of Climate Variability*, Springer, 11-26; Kulkarni & von
/// Storch (1995), Meteorol. Z. 4:82-85. Matches `pymannkendall.pre_whitening_modification_test`
/// 1.4.3 (S, Var(S), Z, `p_normal`, `tau_a`) and an independent mpmath implementation.
pub fn mann_kendall_pre_whitened(
    series: &Series,
    options: PreWhiteningOptions,
) -> Result<PreWhitened> {
    whitened_test(series, options, false)
}

/// Mann-Kendall test on the trend-free pre-whitened series (Yue, Pilon, Phinney & Cavadias
/// 2002).
///
/// ```text
/// b = Sen's slope on the real times,   dᵢ = yᵢ − b tᵢ
/// r₁ = lag-1 autocorrelation of d (session order; module doc)
/// wᵢ = dᵢ − r₁ d_{i−1} + b tᵢ,   i = 2..n          (the trend added back at tᵢ)
/// S, Var(S), Z, p: the Mann-Kendall test on w
/// ```
///
/// Whitened values that differ by no more than their rounding (about 1e-14 of the scores'
/// magnitude) are taken as the ties they are in exact arithmetic (on scores on a grid, equal
/// scores after equal residuals), where pymannkendall may count them as a difference.
/// The trend is removed before r₁ is estimated, so r₁ is not inflated by it, and is added back
/// before testing. On sessions 1..n the results equal pymannkendall's
/// `trend_free_pre_whitening_modification_test`, which adds the trend back as b · (i − 1) at
/// the i-th session (one slope too little at every point, an index shift that does not change
/// S on equally spaced sessions but would on uneven ones: the crate adds b tᵢ at each
/// session's own time). Where every detrended score is equal (constant scores or scores
/// exactly on a line) r₁ is [`Undefined::ConstantValues`] and the series is tested as it is:
/// a perfect line has S = n(n − 1)/2, where pymannkendall whitens n − 1 NaNs and reports
/// S = 0, p = 1, "no trend".
///
/// # Errors
/// [`Error::TooShortForCorrection`] below [`CORRECTION_MIN_POINTS`] sessions.
///
/// # Example
/// ```
/// use alliance::trend::{mann_kendall_trend_free_pre_whitened, PreWhiteningOptions, Series};
/// use alliance::{Outcome, Undefined};
/// // sessions 1, 2, 4, 5, 7, 8 (sessions 3 and 6 were missed)
/// let s = Series::new(
///     vec![1.0, 2.0, 4.0, 5.0, 7.0, 8.0],
///     vec![4.0, 4.3, 4.1, 4.6, 4.5, 4.9],
/// )?;
/// let tfpw = mann_kendall_trend_free_pre_whitened(&s, PreWhiteningOptions::default())?;
/// assert!(tfpw.whitened && tfpw.trend_free);
/// assert_eq!(tfpw.tested, 5);
/// // a perfect line: nothing to whiten, the line itself is tested
/// let line = Series::from_values(vec![4.0, 4.5, 5.0, 5.5, 6.0])?;
/// let t = mann_kendall_trend_free_pre_whitened(&line, PreWhiteningOptions::default())?;
/// assert_eq!(t.lag1, Outcome::Undefined(Undefined::ConstantValues));
/// assert_eq!((t.whitened, t.s), (false, 10));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Yue, Pilon, Phinney & Cavadias (2002), Hydrological Processes 16:1807-1829. Matches
/// `pymannkendall.trend_free_pre_whitening_modification_test` 1.4.3 on sessions 1..n (S,
/// Var(S), Z, `p_normal`, `tau_a`) and an independent mpmath implementation on real times.
pub fn mann_kendall_trend_free_pre_whitened(
    series: &Series,
    options: PreWhiteningOptions,
) -> Result<PreWhitened> {
    whitened_test(series, options, true)
}

/// Makes whitened values that differ by no more than their rounding (`delta`) exactly equal.
///
/// Values equal in exact arithmetic can come out a few ulps apart: on scores on a grid,
/// yᵢ = yⱼ and d_{i−1} = d_{j−1} give wᵢ = wⱼ, but the trend-free wᵢ = dᵢ − r d_{i−1} + b tᵢ
/// rounds differently at tᵢ and tⱼ. Left apart, such a tie would count as a concordant or
/// discordant pair and drop out of the tie correction (the crate's convention: differences
/// below rounding are ties; see `stats::RoundingNoise`). Runs are chained in sorted order and
/// set to their smallest value. O(m log m).
fn merge_rounding_ties(w: &mut [f64], delta: f64) {
    let mut order: Vec<usize> = (0..w.len()).collect();
    order.sort_unstable_by(|&a, &b| w[a].total_cmp(&w[b]));
    let mut k = 0;
    while k < order.len() {
        let head = w[order[k]];
        let mut previous = head;
        let mut j = k + 1;
        while j < order.len() && w[order[j]] - previous <= delta {
            previous = w[order[j]];
            w[order[j]] = head;
            j += 1;
        }
        k = j;
    }
}

fn whitened_test(
    series: &Series,
    options: PreWhiteningOptions,
    trend_free: bool,
) -> Result<PreWhitened> {
    require(
        series,
        if trend_free {
            "trend-free pre-whitening"
        } else {
            "pre-whitening"
        },
    )?;
    let n = series.len();
    let (t, y) = (series.times(), series.values());
    let slope = sen_median(t, y);
    let mut d = Vec::with_capacity(n);
    let magnitude = if trend_free {
        detrend(series, slope, &mut d)
    } else {
        d.extend_from_slice(y);
        y.iter().fold(0.0f64, |m, v| m.max(v.abs()))
    };
    let mut dev = d.clone();
    let lag1 = match centre(&mut dev, magnitude) {
        Ok(ss) => Outcome::Defined(autocorrelation(&dev, ss, 1)),
        Err(why) => Outcome::Undefined(why),
    };
    let whiten = match (lag1, options.level) {
        (Outcome::Undefined(_), _) => None,
        (Outcome::Defined(r), None) => Some(r),
        (Outcome::Defined(r), Some(level)) => {
            let bound = stats::z_two_sided(level)? / (n as f64).sqrt();
            (!(-bound..=bound).contains(&r)).then_some(r)
        }
    };
    let tested: &[f64] = match whiten {
        Some(r) => {
            // w_i = d_i − r d_{i−1} (+ b t_i), i = 2..n, reusing `dev` as the buffer
            dev.clear();
            dev.extend((1..n).map(|i| {
                let w = d[i] - r * d[i - 1];
                if trend_free { w + slope * t[i] } else { w }
            }));
            // each term of w is at most `magnitude` (|r| times it for the lagged one)
            let delta = 64.0 * f64::EPSILON * (2.0 + r.abs()) * magnitude;
            merge_rounding_ties(&mut dev, delta);
            &dev
        }
        None => y,
    };
    // whitened scores that overflow (scores and slope times near the domain's edge) cannot
    // be ranked: the series is tested as it is, as when r1 is undefined
    let (whiten, tested) = match tested.iter().all(|v| v.is_finite()) {
        true => (whiten, tested),
        false => (None, y),
    };
    let m = tested.len();
    let counts = s_counts(tested);
    let z = z_score(counts.s, counts.var_s);
    let p_normal = stats::normal_two_sided_p(z);
    let p_exact = if counts.ties.groups != 0 {
        Outcome::Undefined(Undefined::TiedValues)
    } else {
        exact_p(m, counts.discordant).map_or(
            Outcome::Undefined(Undefined::BeyondExactLimit),
            Outcome::Defined,
        )
    };
    let (p, p_method) = match p_exact {
        Outcome::Defined(p) => (p, PMethod::Exact),
        Outcome::Undefined(_) => (p_normal, PMethod::Normal),
    };
    let pairs = (m as u64) * (m as u64 - 1) / 2;
    Ok(PreWhitened {
        s: counts.s,
        var_s: counts.var_s,
        z,
        p,
        p_method,
        p_exact,
        p_normal,
        tau_a: counts.s as f64 / pairs as f64,
        lag1,
        whitened: whiten.is_some(),
        tested: m,
        trend_free,
        sen_slope: slope,
        n,
        reference: if trend_free {
            "pymannkendall.trend_free_pre_whitening_modification_test 1.4.3 (sessions 1..n)"
        } else {
            "pymannkendall.pre_whitening_modification_test 1.4.3"
        },
    })
}
