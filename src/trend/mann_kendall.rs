//! Mann-Kendall trend test: S by merge-sort pair counting, its exact null distribution for
//! short untied series (the kernel in `mahonian.rs`), and the Hamed-Rao autocorrelation
//! correction.

use super::Series;
use super::mahonian::exact_p;
use super::pairs;
use crate::Level;
use crate::error::{Error, Result};
use crate::method::PMethod;
use crate::outcome::{Outcome, Undefined};
use crate::stats;

/// Below this length S is counted pair by pair (faster than merge sort for short series).
const DIRECT_MAX: usize = 64;

/// Ties among the scores (times cannot tie: a [`Series`] has strictly increasing times).
///
/// Serializes; does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TieInfo {
    /// Number of groups of two or more equal scores.
    pub groups: usize,
    /// Number of scores that belong to such a group.
    pub tied_values: usize,
    /// Number of pairs of equal scores, Σ t(t − 1)/2.
    pub tied_pairs: u64,
}

/// The Mann-Kendall trend test on a series.
///
/// Two p-values are reported, each under its own name: `p_exact` (the permutation
/// distribution of S, defined for untied series of at most 49 points) and `p_normal` (the
/// normal approximation, always defined). `p` is the one this crate recommends: `p_exact`
/// where defined, else `p_normal`; `p_method` says which.
///
/// Serializes; does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct MannKendall {
    /// S = concordant − discordant pairs.
    pub s: i64,
    /// Var(S) under no trend, tie-corrected.
    pub var_s: f64,
    /// Z with continuity correction (0 when S = 0).
    pub z: f64,
    /// The recommended two-sided p-value: `p_exact` where defined, else `p_normal`.
    pub p: f64,
    /// How `p` was computed: [`PMethod::Exact`] or [`PMethod::Normal`].
    pub p_method: PMethod,
    /// Exact two-sided p-value from the permutation distribution of S (as scipy's
    /// `kendalltau(method="exact")`); [`Undefined::TiedValues`] when scores tie (the untied
    /// distribution does not apply), [`Undefined::BeyondExactLimit`] above 49 points.
    pub p_exact: Outcome<f64>,
    /// Two-sided normal-approximation p-value from `z`, tie-corrected, always defined (what
    /// pymannkendall reports).
    pub p_normal: f64,
    /// Kendall's tau-a = S / (n(n − 1)/2) (pymannkendall's `Tau`).
    pub tau_a: f64,
    /// Kendall's tau-b = S / √(N (N − tied pairs)) (scipy's and R's tau); undefined on
    /// constant scores.
    pub tau_b: Outcome,
    /// Ties among the scores.
    pub ties: TieInfo,
    /// Number of pairs N = n(n − 1)/2.
    pub pairs: u64,
    /// Number of points used.
    pub n: usize,
    /// The reference implementations this matches.
    pub reference: &'static str,
}

/// S, tie structure and variance of S for values in time order.
pub(crate) struct SCounts {
    pub(crate) s: i64,
    pub(crate) discordant: u64,
    pub(crate) ties: pairs::Ties,
    pub(crate) var_s: f64,
}

/// S and Var(S) of `values` (in time order), in O(n log n).
pub(crate) fn s_counts(values: &[f64]) -> SCounts {
    let n = values.len() as u64;
    let total = n * n.saturating_sub(1) / 2;
    let (discordant, ties) = if values.len() <= DIRECT_MAX {
        // A stack copy: no heap allocation for short series (batches of many).
        let (d, _) = pairs::direct_counts(values);
        let mut stack = [0.0f64; DIRECT_MAX];
        let sorted = &mut stack[..values.len()];
        sorted.copy_from_slice(values);
        sorted.sort_unstable_by(f64::total_cmp);
        (d, pairs::ties(sorted))
    } else {
        let mut sorted = values.to_vec();
        let mut buf = Vec::new();
        let d = pairs::sort_count_inversions(&mut sorted, &mut buf);
        (d, pairs::ties(&sorted))
    };
    let concordant = total - discordant - ties.pairs;
    let s = concordant as i64 - discordant as i64;
    let var_s = pairs::var_s(values.len(), &ties);
    SCounts {
        s,
        discordant,
        ties,
        var_s,
    }
}

/// Z with continuity correction; 0 when S = 0 or when Var(S) = 0 (all scores tied).
pub(crate) fn z_score(s: i64, var_s: f64) -> f64 {
    if s == 0 || var_s <= 0.0 {
        0.0
    } else if s > 0 {
        (s - 1) as f64 / var_s.sqrt()
    } else {
        (s + 1) as f64 / var_s.sqrt()
    }
}

/// Mann-Kendall test for a monotonic trend in a series, in the series' time order.
///
/// ```text
/// S = Σ_{i<j} sign(y_j − y_i)
/// Var(S) = [n(n−1)(2n+5) − Σ_g t_g(t_g−1)(2t_g+5)] / 18     (t_g: sizes of tie groups)
/// Z = (S − 1)/√Var(S) if S > 0,  0 if S = 0,  (S + 1)/√Var(S) if S < 0
/// p = 2 P(N(0,1) > |Z|), or exactly 2 P(S' ≥ |S|) under H0 when n ≤ 49 with no ties
/// tau_a = S / (n(n−1)/2),  tau_b = S / √(N (N − Σ_g t_g(t_g−1)/2))
/// ```
///
/// S is counted in O(n log n) by merge sort (Knight 1966): a million points take about
/// 0.1 s. Constant scores give S = 0, Z = 0, p = 1 (Gilbert; pymannkendall) and an
/// undefined tau-b (scipy and R give NaN). The exact null distribution of S is the
/// distribution of inversions of a random permutation (Mahonian numbers), computed by a
/// cumulative-sum recursion. With ties the exact p is undefined
/// ([`Undefined::TiedValues`]: the untied distribution does not apply) and `p` is the
/// normal approximation; `p_normal` is always there for a caller who wants the normal
/// approximation whatever the series.
///
/// # Errors
/// [`Error::TooFewPoints`] for fewer than 2 points.
///
/// # Example
/// ```
/// use alliance::trend::{mann_kendall, Series};
/// use alliance::{Outcome, PMethod, Undefined};
/// let s = Series::from_values(vec![4.0, 4.2, 4.1, 4.5, 4.6, 4.8])?;
/// let mk = mann_kendall(&s)?;
/// assert_eq!(mk.s, 13);
/// assert_eq!(mk.p_method, PMethod::Exact);
/// assert_eq!(mk.p_exact, Outcome::Defined(mk.p));
/// assert!(mk.p < 0.05 && mk.p_normal < 0.05);
/// // a tie: the exact p is undefined, the recommended p is the normal one
/// let tied = mann_kendall(&Series::from_values(vec![4.0, 4.2, 4.2, 4.5])?)?;
/// assert_eq!(tied.p_exact, Outcome::Undefined(Undefined::TiedValues));
/// assert_eq!((tied.p, tied.p_method), (tied.p_normal, PMethod::Normal));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Mann (1945); Kendall (1975), *Rank Correlation Methods*; Gilbert (1987), *Statistical
/// Methods for Environmental Pollution Monitoring*; Knight (1966), JASA 61:436-439. Matches
/// `pymannkendall.original_test` 1.4.3 (S, Var(S), Z, `p_normal`, `tau_a`) and
/// `scipy.stats.kendalltau` 1.12 (tau-b; exact p with `method="exact"`).
pub fn mann_kendall(series: &Series) -> Result<MannKendall> {
    series.require(2)?;
    let n = series.len();
    let counts = s_counts(series.values());
    let total = (n as u64) * (n as u64 - 1) / 2;
    let z = z_score(counts.s, counts.var_s);
    let p_normal = stats::normal_two_sided_p(z);
    let untied = counts.ties.groups == 0;
    let p_exact = if !untied {
        Outcome::Undefined(Undefined::TiedValues)
    } else {
        // the table covers every 2 <= n <= EXACT_MAX_N
        exact_p(n, counts.discordant).map_or(
            Outcome::Undefined(Undefined::BeyondExactLimit),
            Outcome::Defined,
        )
    };
    let (p, p_method) = match p_exact {
        Outcome::Defined(p) => (p, PMethod::Exact),
        Outcome::Undefined(_) => (p_normal, PMethod::Normal),
    };
    let untied_pairs = total - counts.ties.pairs;
    let tau_b = if untied_pairs == 0 {
        Outcome::Undefined(Undefined::ConstantValues)
    } else if untied {
        Outcome::Defined(counts.s as f64 / total as f64)
    } else {
        Outcome::Defined(counts.s as f64 / ((total as f64).sqrt() * (untied_pairs as f64).sqrt()))
    };
    Ok(MannKendall {
        s: counts.s,
        var_s: counts.var_s,
        z,
        p,
        p_method,
        p_exact,
        p_normal,
        tau_a: counts.s as f64 / total as f64,
        tau_b,
        ties: TieInfo {
            groups: counts.ties.groups,
            tied_values: counts.ties.tied_values,
            tied_pairs: counts.ties.pairs,
        },
        pairs: total,
        n,
        reference: "pymannkendall.original_test 1.4.3; scipy.stats.kendalltau 1.12 (tau-b, exact p)",
    })
}

/// Options of the Hamed-Rao corrected test.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct HamedRaoOptions {
    /// Level whose normal quantile bounds a "significant" autocorrelation, z(1 − α/2)/√n
    /// (pymannkendall's `alpha` = 1 − level; default 0.95).
    pub level: Level,
    /// Number of first lags to examine; `None` examines all lags 1..n−1 (pymannkendall's
    /// default `lag=None`; Hamed and Rao suggest 3) while that is at most
    /// [`HamedRaoOptions::MAX_WORK`] products (series up to 16,384 points), else the first
    /// ⌊`MAX_WORK` / n⌋ lags.
    pub lags: Option<usize>,
}

impl Default for HamedRaoOptions {
    fn default() -> Self {
        HamedRaoOptions {
            level: Level::NINETY_FIVE,
            lags: None,
        }
    }
}

impl HamedRaoOptions {
    /// The most products `lags x n` the autocorrelations may take: 2^28 (about 2.7e8, well
    /// under a second). Each lag's rank autocorrelation is a sum over the whole series, so
    /// all n − 1 lags cost O(n²): 1e6 points would take a quarter of an hour. Within the
    /// limit the default examines every lag, exactly as pymannkendall; beyond it the default
    /// examines the first ⌊`MAX_WORK` / n⌋ lags (over 250 on a million points; Hamed and Rao
    /// suggest 3), and an explicit [`HamedRaoOptions::with_lags`] beyond it is an
    /// [`Error::TooManyLags`] raised before any work.
    pub const MAX_WORK: u64 = 1 << 28;

    /// The lags to examine on `n` points (n ≥ 3).
    fn lags_for(self, n: usize) -> Result<usize> {
        let max_lags = usize::try_from(Self::MAX_WORK / n as u64)
            .unwrap_or(usize::MAX)
            .min(n - 1);
        let lags = self.lags.unwrap_or(max_lags);
        if lags == 0 || lags >= n {
            return Err(Error::InvalidLags { lags, points: n });
        }
        if lags > max_lags {
            return Err(Error::TooManyLags {
                lags,
                points: n,
                work: (lags as u64).saturating_mul(n as u64),
                limit: Self::MAX_WORK,
                max_lags,
            });
        }
        Ok(lags)
    }

    /// Examine only the first `lags` lags.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::HamedRaoOptions;
    /// assert_eq!(HamedRaoOptions::default().with_lags(3).lags, Some(3));
    /// ```
    #[must_use]
    pub fn with_lags(mut self, lags: usize) -> Self {
        self.lags = Some(lags);
        self
    }

    /// Bound significant autocorrelations at this level.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::HamedRaoOptions;
    /// use alliance::Level;
    /// let options = HamedRaoOptions::default().with_level(Level::new(0.9)?);
    /// assert_eq!(options.level, Level::new(0.9)?);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    #[must_use]
    pub fn with_level(mut self, level: Level) -> Self {
        self.level = level;
        self
    }
}

/// The Hamed-Rao autocorrelation-corrected Mann-Kendall test.
///
/// Serializes; does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct HamedRao {
    /// S (as in the uncorrected test).
    pub s: i64,
    /// Var(S) of the uncorrected test (tie-corrected).
    pub var_s_uncorrected: f64,
    /// Variance correction factor n/n* = 1 + 2/(n(n−1)(n−2)) Σ (n−i)(n−i−1)(n−i−2) ρ(i)
    /// over significant lags.
    pub correction: Outcome,
    /// Corrected Var(S) = Var(S) · n/n*.
    pub var_s: Outcome,
    /// Z on the corrected variance.
    pub z: Outcome,
    /// Two-sided normal p-value of Z (always approximate).
    pub p: Outcome,
    /// How `p` was computed: always [`PMethod::Normal`].
    pub p_method: PMethod,
    /// Number of lags whose autocorrelation was significant and entered the correction.
    pub significant_lags: usize,
    /// Lags examined.
    pub lags: usize,
    /// Sen's slope used to detrend (on the series' real times).
    pub sen_slope: f64,
    /// Number of points used.
    pub n: usize,
    /// The reference implementation this matches.
    pub reference: &'static str,
}

/// Mann-Kendall test with the Hamed and Rao (1998) variance correction for autocorrelation.
///
/// ```text
/// rᵢ = average ranks of yᵢ − b·tᵢ            (b: Sen's slope on the real times)
/// ρ(k) = Σ_{i} (rᵢ − r̄)(r_{i+k} − r̄) / Σ_i (rᵢ − r̄)²           k = 1..lags
/// n/n* = 1 + 2/(n(n−1)(n−2)) Σ_{|ρ(k)| > z(1−α/2)/√n} (n−k)(n−k−1)(n−k−2) ρ(k)
/// Var*(S) = Var(S) · n/n*,   Z and p as in the uncorrected test on Var*(S)
/// ```
///
/// On session numbers 1..n this is exactly pymannkendall's `hamed_rao_modification_test`
/// (which detrends by position); with gaps it detrends on the real times. An autocorrelation
/// exactly on the bound counts as not significant, as in pymannkendall. Where the correction
/// is undefined the result says why instead of returning NaN (pymannkendall returns NaN or
/// a negative variance):
/// [`Undefined::ConstantDetrendedRanks`] when every detrended score is equal (constant
/// scores, or scores exactly on a line through Sen's slope), so ρ is 0/0;
/// [`Undefined::NonPositiveVariance`] when n/n* ≤ 0 (strong negative autocorrelation on a
/// short series), so Var*(S) is not a variance. When S = 0, Z = 0 and p = 1 whatever the
/// variance (as in the uncorrected test and pymannkendall). The cost is O(n · lags), at most
/// [`HamedRaoOptions::MAX_WORK`] products.
///
/// # Errors
/// [`Error::TooFewPoints`] for fewer than 3 points (n(n−1)(n−2) = 0);
/// [`Error::InvalidLags`] when `lags` is 0 or not below n; [`Error::TooManyLags`] when
/// `lags x n` exceeds [`HamedRaoOptions::MAX_WORK`] (the default lags never do).
///
/// # Example
/// ```
/// use alliance::trend::{mann_kendall_hamed_rao, HamedRaoOptions, Series};
/// let s = Series::from_values(vec![4.0, 4.2, 4.1, 4.5, 4.6, 4.4, 4.8, 5.0, 4.9, 5.2])?;
/// let hr = mann_kendall_hamed_rao(&s, HamedRaoOptions::default())?;
/// assert_eq!(hr.s, 37);
/// // pymannkendall's z
/// assert!(hr.z.value().is_some_and(|z| (z - 3.219_937_887_599_697).abs() < 1e-12));
/// assert!(hr.p.is_defined());
/// assert_eq!((hr.n, hr.lags), (10, 9));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Hamed & Rao (1998), J. Hydrology 204:182-196. Matches
/// `pymannkendall.hamed_rao_modification_test` 1.4.3.
pub fn mann_kendall_hamed_rao(series: &Series, options: HamedRaoOptions) -> Result<HamedRao> {
    series.require(3)?;
    let n = series.len();
    let lags = options.lags_for(n)?;
    let counts = s_counts(series.values());
    let slope = super::sen::sen_median(series.times(), series.values());
    let detrended: Vec<f64> = series
        .times()
        .iter()
        .zip(series.values())
        .map(|(t, y)| y - slope * t)
        .collect();
    let (ranks, _) = stats::average_ranks(&detrended);
    let nf = n as f64;
    let mean = stats::sum(ranks.iter().copied()) / nf;
    let dev: Vec<f64> = ranks.iter().map(|r| r - mean).collect();
    let acov0 = stats::sum(dev.iter().map(|d| d * d));
    let mut out = HamedRao {
        s: counts.s,
        var_s_uncorrected: counts.var_s,
        correction: Outcome::Undefined(Undefined::ConstantDetrendedRanks),
        var_s: Outcome::Undefined(Undefined::ConstantDetrendedRanks),
        z: Outcome::Undefined(Undefined::ConstantDetrendedRanks),
        p: Outcome::Undefined(Undefined::ConstantDetrendedRanks),
        p_method: PMethod::Normal,
        significant_lags: 0,
        lags,
        sen_slope: slope,
        n,
        reference: "pymannkendall.hamed_rao_modification_test 1.4.3",
    };
    if counts.s == 0 {
        // Z = 0 and p = 1 whatever the variance (pymannkendall too).
        out.z = Outcome::Defined(0.0);
        out.p = Outcome::Defined(1.0);
    }
    // Average ranks of equal values are exactly equal, so this test is exact.
    if dev.iter().all(|&d| d == 0.0) {
        return Ok(out);
    }
    let bound = stats::z_two_sided(options.level)? / nf.sqrt();
    let mut sni = stats::Sum::default();
    for lag in 1..=lags {
        let acov = stats::sum(dev[..n - lag].iter().zip(&dev[lag..]).map(|(a, b)| a * b));
        let rho = acov / acov0;
        if !(-bound..=bound).contains(&rho) {
            let k = (n - lag) as f64;
            sni.add(k * (k - 1.0) * (k - 2.0) * rho);
            out.significant_lags += 1;
        }
    }
    let correction = 1.0 + 2.0 / (nf * (nf - 1.0) * (nf - 2.0)) * sni.value();
    let var_s = counts.var_s * correction;
    if correction <= 0.0 || var_s <= 0.0 {
        out.correction = Outcome::Defined(correction);
        out.var_s = Outcome::Undefined(Undefined::NonPositiveVariance);
        if counts.s != 0 {
            out.z = Outcome::Undefined(Undefined::NonPositiveVariance);
            out.p = Outcome::Undefined(Undefined::NonPositiveVariance);
        }
        return Ok(out);
    }
    let z = z_score(counts.s, var_s);
    out.correction = Outcome::Defined(correction);
    out.var_s = Outcome::Defined(var_s);
    out.z = Outcome::Defined(z);
    out.p = Outcome::Defined(stats::normal_two_sided_p(z));
    Ok(out)
}
