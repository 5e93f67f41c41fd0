//! Numerics shared by the statistical modules: compensated sums, moments, ranks, order
//! statistics and guarded distribution functions. The only module that imports `statrs`.
//!
//! Every distribution function here checks its arguments first, so no input can reach a
//! panicking `statrs` quantile; tail probabilities are computed from the regularized
//! incomplete beta / gamma functions directly (not as `1 - cdf`) so small p-values keep
//! their relative precision.

use crate::error::{Error, Result};
use statrs::function::{beta, erf, gamma};

/// Neumaier's compensated sum: exact to the last bit for the sums this crate sees, and order
/// independent to within one rounding.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Sum {
    sum: f64,
    compensation: f64,
}

impl Sum {
    pub(crate) fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.compensation += (self.sum - t) + x;
        } else {
            self.compensation += (x - t) + self.sum;
        }
        self.sum = t;
    }

    pub(crate) fn value(self) -> f64 {
        self.sum + self.compensation
    }
}

/// How far rounding alone can move a sum of squared deviations computed in floating point,
/// used to decide "is this exactly zero in the data" where exact integer sums are not
/// available (non-dyadic input such as one-decimal scores).
///
/// Each deviation (a value minus a mean, a row total minus its mean, a two-way residual) is
/// taken to carry an absolute error of at most `δ = 64 ε A`, where `A` bounds the magnitudes
/// that entered it: the decimal-to-binary rounding of the inputs (ε/2 relative each), the
/// compensated means (about ε) and the subtractions (a few ε) together stay far below 64 ε.
/// A sum of `m` squared deviations then lies within
///
/// ```text
/// bound(SS) = 2 δ sqrt(m SS) + m δ² + 4 ε SS
/// ```
///
/// of its exact value, whatever the order of summation. A computed SS at or below `m δ²` is
/// indistinguishable from zero; a linear combination of sums of squares whose magnitude is
/// within the weighted sum of their bounds has no sign the data can determine. Genuine
/// differences below about 1e-14 of the data's magnitude are therefore read as ties, which
/// is what they are after decimal input has been rounded to binary.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RoundingNoise {
    delta: f64,
}

impl RoundingNoise {
    /// Noise for deviations built from values of magnitude at most `magnitude`.
    pub(crate) fn new(magnitude: f64) -> RoundingNoise {
        RoundingNoise {
            delta: 64.0 * f64::EPSILON * magnitude.abs(),
        }
    }

    /// Noise for terms that each carry at most `delta` of rounding (the standardized item
    /// sums of Cronbach's alpha, whose bound is not a multiple of a magnitude).
    pub(crate) fn with_delta(delta: f64) -> RoundingNoise {
        RoundingNoise { delta }
    }

    /// The bound above for a computed sum `ss` of `terms` squared deviations.
    pub(crate) fn bound(self, ss: f64, terms: usize) -> f64 {
        let m = terms as f64;
        2.0 * self.delta * (m * ss.max(0.0)).sqrt()
            + m * self.delta * self.delta
            + 4.0 * f64::EPSILON * ss.abs()
    }

    /// The bound for a sum of `terms` products of two deviations, each deviation at most
    /// `2 · magnitude` in size: `terms (2 · 2 magnitude · δ + δ²)`.
    pub(crate) fn products_bound(self, terms: usize, magnitude: f64) -> f64 {
        terms as f64 * (4.0 * magnitude.abs() * self.delta + self.delta * self.delta)
    }

    /// Whether `Σ cᵢ SSᵢ` (each `SSᵢ` a sum of `termsᵢ` squared deviations) is zero up to
    /// rounding: its magnitude is within `Σ |cᵢ| bound(SSᵢ)` plus the rounding of the
    /// combination itself.
    pub(crate) fn combination_is_zero(self, parts: &[(f64, f64, usize)]) -> bool {
        let (value, slack) = self.combination(parts);
        value.abs() <= slack
    }

    /// Whether a denominator `Σ cᵢ SSᵢ` is zero to working precision: its rounding bound
    /// exceeds [`DENOMINATOR_PRECISION`] of it.
    pub(crate) fn combination_is_unresolved(self, parts: &[(f64, f64, usize)]) -> bool {
        let (value, slack) = self.combination(parts);
        slack > DENOMINATOR_PRECISION * value.abs()
    }

    /// Whether a sum of squares used as a denominator is zero to working precision.
    pub(crate) fn is_unresolved(self, ss: f64, terms: usize) -> bool {
        self.bound(ss, terms) > DENOMINATOR_PRECISION * ss
    }

    /// The combination's value and the bound on its rounding.
    fn combination(self, parts: &[(f64, f64, usize)]) -> (f64, f64) {
        let (mut value, mut slack, mut size) = (0.0, 0.0, 0.0);
        for &(c, ss, terms) in parts {
            value += c * ss;
            size += (c * ss).abs();
            slack += c.abs() * self.bound(ss, terms);
        }
        (value, slack + 4.0 * f64::EPSILON * size)
    }
}

/// The largest share of a denominator its rounding bound may be for the ratio to be
/// reported: beyond it the denominator is zero to working precision, and the ratio (a
/// coefficient near ±1e25 on a total variance that is rounding, say) would have fewer than
/// six right digits and change with the order of the data. Found by fuzzing (issue 14).
pub(crate) const DENOMINATOR_PRECISION: f64 = 1e-6;

/// Compensated sum of a sequence.
pub(crate) fn sum(xs: impl IntoIterator<Item = f64>) -> f64 {
    let mut s = Sum::default();
    for x in xs {
        s.add(x);
    }
    s.value()
}

/// Arithmetic mean; `None` for an empty slice.
pub(crate) fn mean(xs: &[f64]) -> Option<f64> {
    if xs.is_empty() {
        None
    } else {
        Some(sum(xs.iter().copied()) / xs.len() as f64)
    }
}

/// Sum of squared deviations from the mean, by two passes (never `Σx² − (Σx)²/n`).
pub(crate) fn sum_sq_dev(xs: &[f64], mean: f64) -> f64 {
    sum(xs.iter().map(|x| (x - mean) * (x - mean)))
}

/// Sample variance (n − 1 denominator); `None` for fewer than 2 values.
pub(crate) fn variance(xs: &[f64]) -> Option<f64> {
    if xs.len() < 2 {
        return None;
    }
    let m = mean(xs)?;
    Some(sum_sq_dev(xs, m) / (xs.len() - 1) as f64)
}

/// Count, mean and sum of squared deviations Σ(x − mean)² of one variable: the crate's one
/// moments type. Built in one of two ways, each the numerically right one for its use:
/// [`Moments::push`] updates it one value at a time (Welford 1962: stable in one pass, and
/// exact for a constant series, whose deviations are all exactly zero), as the streaming
/// detectors need; [`PairedMoments::of`] computes two variables' moments and their
/// co-moment from whole slices in two compensated passes.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Moments {
    /// Values seen.
    pub(crate) n: usize,
    /// Their mean.
    pub(crate) mean: f64,
    /// Σ (x − mean)².
    pub(crate) ss: f64,
}

impl Moments {
    /// Adds one value (Welford's update).
    pub(crate) fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.ss += d * (x - self.mean);
    }

    /// Sample SD (n − 1); `None` below two values.
    pub(crate) fn sd(&self) -> Option<f64> {
        if self.n < 2 {
            None
        } else {
            Some((self.ss.max(0.0) / (self.n - 1) as f64).sqrt())
        }
    }
}

/// The [`Moments`] of two paired variables and their co-moment Σ(x − x̄)(y − ȳ), from two
/// passes over the slices (means first, then compensated sums of the deviation products).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PairedMoments {
    /// Moments of the first variable (its `ss` is exactly 0 when it is constant).
    pub(crate) x: Moments,
    /// Moments of the second variable (its `ss` is exactly 0 when it is constant).
    pub(crate) y: Moments,
    /// Σ (x − x̄)(y − ȳ); exactly 0 when either variable is constant.
    pub(crate) sxy: f64,
    /// x̄ − ȳ, from the means' parts at the scale of the spread (the rounded means can differ
    /// by an ulp of the values' magnitude where the true difference is smaller).
    pub(crate) mean_difference: f64,
    /// Every x equal (exactly).
    pub(crate) x_constant: bool,
    /// Every y equal (exactly).
    pub(crate) y_constant: bool,
}

impl PairedMoments {
    /// Caller guarantees equal non-zero lengths and finite values.
    #[allow(clippy::float_cmp)] // exact constancy tests are the point
    pub(crate) fn of(x: &[f64], y: &[f64]) -> PairedMoments {
        let n = x.len() as f64;
        // Data far from zero relative to their spread (a spread of a few ulps near 1e100)
        // are measured from their first pair, so that each mean is found at the scale of
        // the spread: from zero, a mean's own rounding was as large as the spread and r came
        // out 0.75 for 0.82. Other data (every questionnaire) are measured from zero, as
        // before, bit for bit.
        let origin_of = |v: &[f64]| {
            let spread = v.iter().fold(0.0f64, |m, &a| m.max((a - v[0]).abs()));
            if spread > 0.0 && spread < v[0].abs() * FAR_FROM_ZERO {
                v[0]
            } else {
                0.0
            }
        };
        let origin = (origin_of(x), origin_of(y));
        let shift_x = sum(x.iter().map(|&a| a - origin.0)) / n;
        let shift_y = sum(y.iter().map(|&b| b - origin.1)) / n;
        let (mean_x, mean_y) = (origin.0 + shift_x, origin.1 + shift_y);
        let [sxx, syy, sxy] = co_sums(x, y, origin, (shift_x, shift_y));
        let x_constant = x.iter().all(|&v| v == x[0]);
        let y_constant = y.iter().all(|&v| v == y[0]);
        PairedMoments {
            x: Moments {
                n: x.len(),
                mean: mean_x,
                ss: if x_constant { 0.0 } else { sxx },
            },
            y: Moments {
                n: y.len(),
                mean: mean_y,
                ss: if y_constant { 0.0 } else { syy },
            },
            sxy: if x_constant || y_constant { 0.0 } else { sxy },
            mean_difference: (origin.0 - origin.1) + (shift_x - shift_y),
            x_constant,
            y_constant,
        }
    }

    /// Pairs, as f64.
    pub(crate) fn n(&self) -> f64 {
        self.x.n as f64
    }

    /// Whether a sum of squares or cross-products overflowed, or a non-constant variable's
    /// sum of squares underflowed to 0.
    pub(crate) fn overflowed(&self) -> bool {
        let finite = [self.x.ss, self.y.ss, self.sxy, self.x.mean, self.y.mean]
            .iter()
            .all(|v| v.is_finite());
        let underflow =
            (!self.x_constant && self.x.ss <= 0.0) || (!self.y_constant && self.y.ss <= 0.0);
        !finite || underflow
    }

    /// Pearson's r; caller guarantees neither variable is constant. With two pairs r is ±1
    /// exactly; rounding can push |r| a hair past 1, which Cauchy-Schwarz forbids.
    pub(crate) fn r(&self) -> f64 {
        // NaN only from overflowing sums; callers check `overflowed` first
        if self.x.n == 2 {
            return self.sxy.signum();
        }
        let r = (self.sxy / sqrt_product(self.x.ss, self.y.ss)).clamp(-1.0, 1.0);
        // Within two ulps of ±1 is ±1 to working precision: the sums behind r carry a few
        // ulps of rounding, and a perfect linear relation came out 1 in one order of the
        // pairs and 0.9999999999999999 in another (fuzzing, issue 14).
        if 1.0 - r.abs() <= 2.0 * f64::EPSILON {
            r.signum()
        } else {
            r
        }
    }
}

/// √(a b) for positive normal `a` and `b`, without forming a b: inside the numeric domain a
/// product of two sums of squares can underflow (1e-180 × 1e-180) or overflow. Computed on
/// the significands, so it equals `(a * b).sqrt()` bit for bit wherever that product is a
/// normal number, and scaling `a` and `b` by powers of two scales it exactly (no coefficient
/// changes when the data are rescaled by 2^e).
pub(crate) fn sqrt_product(a: f64, b: f64) -> f64 {
    /// x = m · 2^e with m in [1, 2), for a positive normal x.
    fn split(x: f64) -> (f64, i32) {
        let e = ((x.to_bits() >> 52) & 0x7ff) as i32 - 1023;
        (x / 2f64.powi(e), e)
    }
    if !(a.is_normal() && b.is_normal()) {
        return (a * b).sqrt();
    }
    let ((mut ma, mut ea), (mb, eb)) = (split(a), split(b));
    if (ea + eb) % 2 != 0 {
        ma *= 2.0;
        ea -= 1;
    }
    (ma * mb).sqrt() * 2f64.powi((ea + eb) / 2)
}

/// Data whose spread is below this share of their first value are measured from it (see
/// [`PairedMoments::of`]): 2^-20, where a mean's rounding reaches a millionth of the spread.
const FAR_FROM_ZERO: f64 = 1.0 / 1_048_576.0;

/// Σ(x − x̄)², Σ(y − ȳ)² and Σ(x − x̄)(y − ȳ), compensated: the second pass of
/// [`PairedMoments::of`] (out of line, so the loop compiles the same in every caller).
#[inline(never)]
fn co_sums(x: &[f64], y: &[f64], origin: (f64, f64), shift: (f64, f64)) -> [f64; 3] {
    let (mut sxx, mut syy, mut sxy) = (Sum::default(), Sum::default(), Sum::default());
    for (&a, &b) in x.iter().zip(y) {
        let (dx, dy) = ((a - origin.0) - shift.0, (b - origin.1) - shift.1);
        sxx.add(dx * dx);
        syy.add(dy * dy);
        sxy.add(dx * dy);
    }
    [sxx.value(), syy.value(), sxy.value()]
}

/// Rejects the first NaN or infinity, naming what it is and where.
pub(crate) fn check_finite(what: &'static str, xs: &[f64]) -> Result<()> {
    match xs.iter().position(|x| !x.is_finite()) {
        Some(index) => Err(Error::NonFinite {
            what,
            index,
            value: xs[index],
        }),
        None => Ok(()),
    }
}

/// Median of a slice, reordering it (O(n) selection).  `None` when empty.
pub(crate) fn median_in_place(xs: &mut [f64]) -> Option<f64> {
    let n = xs.len();
    if n == 0 {
        return None;
    }
    let mid = n / 2;
    let (lower, upper, _) = xs.select_nth_unstable_by(mid, f64::total_cmp);
    let upper = *upper;
    if n % 2 == 1 {
        Some(upper)
    } else {
        let lower_max = lower.iter().copied().max_by(f64::total_cmp)?;
        Some(lower_max + (upper - lower_max) / 2.0)
    }
}

/// Average ranks (1-based; ties share the mean of their ranks), as R `rank()` and
/// `scipy.stats.rankdata(method="average")`. Returns the ranks and Σ (t³ − t) over tie
/// groups, which the tie corrections of rank statistics need.
pub(crate) fn average_ranks(xs: &[f64]) -> (Vec<f64>, f64) {
    let n = xs.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut ranks = vec![0.0; n];
    let mut ties = 0.0;
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        // Exact equality is the definition of a tie (and treats -0.0 as 0.0).
        #[allow(clippy::float_cmp)]
        while j < n && xs[order[j]] == xs[order[i]] {
            j += 1;
        }
        // positions i..j (0-based) hold ranks i+1..=j; their mean is (i + 1 + j) / 2
        let rank = (i + 1 + j) as f64 / 2.0;
        for &k in &order[i..j] {
            ranks[k] = rank;
        }
        let t = (j - i) as f64;
        ties += t * t * t - t;
        i = j;
    }
    (ranks, ties)
}

/// `SplitMix64` (Steele, Lea & Flood 2014): a tiny seeded generator, so that randomized
/// algorithms (bootstrap, sampling selection) give the same result on every platform.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound` by multiply-shift (bias below bound / 2^64).
    pub(crate) fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(bound)) >> 64) as u64
    }
}

// ---- distributions ----------------------------------------------------------------------

fn check_probability(p: f64) -> Result<()> {
    let valid = p > 0.0 && p < 1.0;
    if valid {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name: "probability",
            value: p,
            expected: "strictly between 0 and 1",
        })
    }
}

fn check_df(name: &'static str, df: f64) -> Result<()> {
    let valid = df > 0.0 && df.is_finite();
    if valid {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name,
            value: df,
            expected: "positive and finite degrees of freedom",
        })
    }
}

/// Standard normal upper tail P(Z > z).
///
/// Computed as Γ(½, z²/2)/(2Γ(½)) through the regularized incomplete gamma function, which
/// statrs evaluates to about 1e-16 relative; its `erfc` is only good to about 1e-10 (measured
/// against mpmath at z = 1, 1.96, 3), too coarse for p-values matched to 1e-9.
pub(crate) fn normal_sf(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    let tail = 0.5 * upper_gamma_half(z);
    if z >= 0.0 { tail } else { 1.0 - tail }
}

/// Γ(½, z²/2)/Γ(½), with the ends statrs' `gamma_ur` panics on (x = 0, x = ∞) handled here.
fn upper_gamma_half(z: f64) -> f64 {
    let x = 0.5 * z * z;
    if x == 0.0 {
        1.0
    } else if x.is_infinite() {
        0.0
    } else {
        gamma::gamma_ur(0.5, x)
    }
}

/// Standard normal CDF P(Z ≤ z).
pub(crate) fn normal_cdf(z: f64) -> f64 {
    normal_sf(-z)
}

/// Two-sided normal p-value 2 P(Z > |z|).
pub(crate) fn normal_two_sided_p(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    upper_gamma_half(z).min(1.0)
}

/// Standard normal quantile for 0 < p < 1: statrs' `erfc_inv`, refined by one Newton step on
/// the accurate lower tail above (by symmetry for p > ½).
pub(crate) fn normal_quantile(p: f64) -> Result<f64> {
    check_probability(p)?;
    if p > 0.5 {
        return normal_quantile(1.0 - p).map(|z| -z);
    }
    let z = -std::f64::consts::SQRT_2 * erf::erfc_inv(2.0 * p);
    let density = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    Ok(if density > 0.0 {
        z - (normal_cdf(z) - p) / density
    } else {
        z
    })
}

/// The two-sided normal critical value z_{1−α/2} of a confidence level.
pub(crate) fn z_two_sided(level: crate::interval::Level) -> Result<f64> {
    normal_quantile(1.0 - level.tail())
}

/// Two-sided Student t p-value 2 P(T > |t|) on `df` degrees of freedom; 0 for infinite |t|.
pub(crate) fn t_two_sided_p(t: f64, df: f64) -> Result<f64> {
    check_df("degrees of freedom", df)?;
    if t.is_nan() {
        return Err(Error::NonFinite {
            what: "t statistic",
            index: 0,
            value: t,
        });
    }
    if t.is_infinite() {
        return Ok(0.0);
    }
    Ok(beta::beta_reg(df / 2.0, 0.5, df / (df + t * t)))
}

/// Student t quantile for 0 < p < 1 on `df` degrees of freedom.
pub(crate) fn t_quantile(p: f64, df: f64) -> Result<f64> {
    check_probability(p)?;
    check_df("degrees of freedom", df)?;
    // By symmetry, work in the lower half where inv_beta_reg is accurate.
    let lower = p.min(1.0 - p);
    let x = beta::inv_beta_reg(df / 2.0, 0.5, 2.0 * lower);
    let t = (df * (1.0 - x) / x).sqrt();
    Ok(if p < 0.5 { -t } else { t })
}

/// Upper tail of the F distribution P(F > f) on (d1, d2) degrees of freedom.
pub(crate) fn f_sf(f: f64, d1: f64, d2: f64) -> Result<f64> {
    check_df("numerator degrees of freedom", d1)?;
    check_df("denominator degrees of freedom", d2)?;
    if f.is_nan() {
        return Err(Error::NonFinite {
            what: "F statistic",
            index: 0,
            value: f,
        });
    }
    if f <= 0.0 {
        return Ok(1.0);
    }
    if f.is_infinite() {
        return Ok(0.0);
    }
    Ok(beta::beta_reg(d2 / 2.0, d1 / 2.0, d2 / (d2 + d1 * f)))
}

/// Quantile of the F distribution on (d1, d2) degrees of freedom for 0 < p < 1.
pub(crate) fn f_quantile(p: f64, d1: f64, d2: f64) -> Result<f64> {
    check_probability(p)?;
    check_df("numerator degrees of freedom", d1)?;
    check_df("denominator degrees of freedom", d2)?;
    // Work on whichever incomplete-beta tail keeps precision.
    let x = beta::inv_beta_reg(d2 / 2.0, d1 / 2.0, 1.0 - p);
    Ok(d2 * (1.0 - x) / (d1 * x))
}

/// Quantile of the chi-squared distribution on `df` degrees of freedom at a tail probability:
/// with `upper` false the x with P(X ≤ x) = `prob`, with `upper` true the x with
/// P(X > x) = `prob` (each tail solved on its own regularized incomplete gamma function, so
/// a small tail keeps its relative precision). Safeguarded Newton steps inside a bisection
/// bracket; used by the MOVER intervals of repeated-measures Bland-Altman limits.
pub(crate) fn chi_squared_quantile(prob: f64, df: f64, upper: bool) -> Result<f64> {
    check_probability(prob)?;
    check_df("degrees of freedom", df)?;
    let a = 0.5 * df;
    let ln_norm = a * std::f64::consts::LN_2 + gamma::ln_gamma(a);
    // g(x) increases in x and is 0 at the quantile
    let g = |x: f64| -> f64 {
        if upper {
            prob - gamma::checked_gamma_ur(a, 0.5 * x).unwrap_or(0.0)
        } else {
            gamma::checked_gamma_lr(a, 0.5 * x).unwrap_or(1.0) - prob
        }
    };
    let density = |x: f64| ((a - 1.0) * x.ln() - 0.5 * x - ln_norm).exp();
    let (mut lo, mut hi) = (0.0, df.max(1.0));
    let mut doublings = 0;
    while g(hi) < 0.0 {
        lo = hi;
        hi *= 2.0;
        doublings += 1;
        if doublings > 2000 || !hi.is_finite() {
            return Err(Error::InvalidParameter {
                name: "probability",
                value: prob,
                expected: "a tail probability whose chi-squared quantile is finite",
            });
        }
    }
    let mut x = 0.5 * (lo + hi);
    for _ in 0..400 {
        let gx = g(x);
        if gx == 0.0 {
            return Ok(x);
        }
        if gx < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let step = gx / density(x);
        let newton = x - step;
        let next = if step.is_finite() && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        if (next - x).abs() <= 4.0 * f64::EPSILON * x.abs() || hi - lo <= f64::MIN_POSITIVE {
            return Ok(next);
        }
        x = next;
    }
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welford_moments_exact_on_constant() {
        let mut m = Moments::default();
        for _ in 0..10 {
            m.push(4.2);
        }
        assert_eq!(m.sd(), Some(0.0));
    }

    /// The unified moments give, bit for bit, what the three former types gave: the paired
    /// two-pass of `agreement::continuous` and the detectors' Welford update (both kept
    /// here, verbatim, as the reference), on random data of many sizes and magnitudes (none
    /// far from zero relative to its spread: those are measured from their first pair, see
    /// `pearson_near_1e100_equals_its_small_scale_twin` in `tests/hostile.rs`).
    #[test]
    #[allow(clippy::float_cmp)]
    fn moments_equal_the_former_implementations() {
        struct OldPaired {
            n: f64,
            mean_x: f64,
            mean_y: f64,
            sxx: f64,
            syy: f64,
            sxy: f64,
        }
        fn old_paired(x: &[f64], y: &[f64]) -> OldPaired {
            let n = x.len() as f64;
            let mean_x = sum(x.iter().copied()) / n;
            let mean_y = sum(y.iter().copied()) / n;
            let (mut sxx, mut syy, mut sxy) = (Sum::default(), Sum::default(), Sum::default());
            for (&a, &b) in x.iter().zip(y) {
                let (dx, dy) = (a - mean_x, b - mean_y);
                sxx.add(dx * dx);
                syy.add(dy * dy);
                sxy.add(dx * dy);
            }
            let x_constant = x.iter().all(|&v| v == x[0]);
            let y_constant = y.iter().all(|&v| v == y[0]);
            OldPaired {
                n,
                mean_x,
                mean_y,
                sxx: if x_constant { 0.0 } else { sxx.value() },
                syy: if y_constant { 0.0 } else { syy.value() },
                sxy: if x_constant || y_constant {
                    0.0
                } else {
                    sxy.value()
                },
            }
        }
        let mut rng = SplitMix64::new(8);
        for case in 0..400u64 {
            let len = 1 + rng.below(60) as usize;
            let scale = [1e-3, 1.0, 7.0, 1e6, 1e90][(case % 5) as usize];
            let levels = 1 + rng.below(9);
            let mut draw = || {
                let u = rng.below(levels) as f64 + (rng.next_u64() >> 11) as f64 / 2f64.powi(53);
                (u - 3.0) * scale
            };
            let x: Vec<f64> = (0..len).map(|_| draw()).collect();
            let y: Vec<f64> = (0..len)
                .map(|i| {
                    if case % 7 == 0 {
                        2.5
                    } else {
                        x[i] * 0.5 + draw()
                    }
                })
                .collect();
            let (old, new) = (old_paired(&x, &y), PairedMoments::of(&x, &y));
            let want = [old.n, old.mean_x, old.mean_y, old.sxx, old.syy, old.sxy];
            let got = [new.n(), new.x.mean, new.y.mean, new.x.ss, new.y.ss, new.sxy];
            assert_eq!(want.map(f64::to_bits), got.map(f64::to_bits), "case {case}");
            // the detectors' former Welford update: n, mean, m2
            let (mut n, mut mean, mut m2) = (0usize, 0.0f64, 0.0f64);
            let mut m = Moments::default();
            for &v in &x {
                n += 1;
                let d = v - mean;
                mean += d / n as f64;
                m2 += d * (v - mean);
                m.push(v);
                assert_eq!(
                    (m.n, m.mean.to_bits(), m.ss.to_bits()),
                    (n, mean.to_bits(), m2.to_bits())
                );
            }
        }
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1e-300)
    }

    // Table values: R 4.x qt/qf/qnorm/pt/pf (printed to 7+ digits, widely tabulated).
    #[test]
    fn quantiles_match_tables() {
        // mpmath (30 digits): root of betainc(5, 1/2, 0, 10/(10 + t^2)) = 0.05
        assert!(close(
            t_quantile(0.975, 10.0).unwrap(),
            2.228_138_851_986_275,
            1e-13
        ));
        assert!(close(
            t_quantile(0.025, 10.0).unwrap(),
            -2.228_138_851_986_275,
            1e-13
        ));
        // exact: tan(0.475 pi) (scipy 1.x gives 12.706204736432095, 2e-11 off)
        assert!(close(
            t_quantile(0.975, 1.0).unwrap(),
            12.706_204_736_174_693,
            1e-13
        ));
        // scipy.stats.norm.ppf(0.975), f.ppf(0.95, 5, 15), f.ppf(0.05, 5, 15)
        assert!(close(
            normal_quantile(0.975).unwrap(),
            1.959_963_984_540_054,
            1e-15
        ));
        assert!(close(
            normal_quantile(1e-10).unwrap(),
            -6.361_340_902_404_056,
            1e-13
        ));
        assert!(close(
            f_quantile(0.95, 5.0, 15.0).unwrap(),
            2.901_294_536_236_157,
            1e-12
        ));
        assert!(close(
            f_quantile(0.05, 5.0, 15.0).unwrap(),
            0.216_508_368_329_493_4,
            1e-12
        ));
    }

    #[test]
    fn tails_match_tables() {
        assert!(close(
            t_two_sided_p(2.228_138_851_986_275, 10.0).unwrap(),
            0.05,
            1e-13
        ));
        assert!(close(
            f_sf(2.901_294_536_236_157, 5.0, 15.0).unwrap(),
            0.05,
            1e-12
        ));
        // mpmath erfc(z / sqrt 2) / 2 at z = 1.959963984540054, 1, 8
        assert!(close(
            normal_two_sided_p(1.959_963_984_540_054),
            0.050_000_000_000_000_02,
            1e-14
        ));
        assert!(close(normal_sf(1.0), 0.158_655_253_931_457_05, 1e-14));
        assert!(close(normal_sf(8.0), 6.220_960_574_271_784e-16, 1e-13));
        assert!(close(normal_cdf(-8.0), 6.220_960_574_271_784e-16, 1e-13));
    }

    #[test]
    #[allow(clippy::float_cmp)] // these values are exact
    fn normal_tails_at_zero_and_infinity() {
        assert_eq!(normal_sf(0.0), 0.5);
        assert_eq!(normal_two_sided_p(0.0), 1.0);
        assert_eq!(normal_two_sided_p(f64::INFINITY), 0.0);
        assert_eq!(normal_sf(f64::NEG_INFINITY), 1.0);
        assert_eq!(normal_quantile(0.5).unwrap(), 0.0);
    }

    #[test]
    fn guards_reject_bad_arguments() {
        assert!(t_quantile(1.5, 10.0).is_err());
        assert!(t_quantile(f64::NAN, 10.0).is_err());
        assert!(t_quantile(0.5, 0.0).is_err());
        assert!(f_quantile(0.0, 1.0, 1.0).is_err());
        assert!(normal_quantile(1.0).is_err());
        assert!(f_sf(f64::NAN, 1.0, 1.0).is_err());
    }

    #[test]
    fn ranks_average_ties() {
        let (r, ties) = average_ranks(&[10.0, 20.0, 10.0, 30.0, 20.0, 20.0]);
        assert_eq!(r, vec![1.5, 4.0, 1.5, 6.0, 4.0, 4.0]);
        assert!(close(ties, (8.0 - 2.0) + (27.0 - 3.0), 0.0));
    }

    #[test]
    fn median_even_and_odd() {
        assert_eq!(median_in_place(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median_in_place(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median_in_place(&mut []), None);
    }

    #[test]
    fn compensated_sum_is_exact_where_naive_is_not() {
        let xs = [1e16, 1.0, -1e16, 1.0];
        assert!(close(sum(xs), 2.0, 0.0));
    }
}
