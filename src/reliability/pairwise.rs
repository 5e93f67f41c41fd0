//! Cronbach's alpha from pairwise-complete covariances (the missing-data option).

use super::{CronbachAlpha, FeldtN, feldt, finite, standardized};
use crate::error::{Error, Result};
use crate::interval::Level;
use crate::method::IntervalMethod;
use crate::outcome::{Outcome, Undefined};
use crate::ratings::{CaseDeletion, Ratings};
use crate::stats::{self, Sum};

/// Pairwise covariances: for each pair of items, the respondents who answered both, with
/// that pair's own means (as `pandas.DataFrame.cov`, which pingouin uses), and the
/// correlations from those covariances, `r_ij = c_ij / √(c_ii c_jj)` (R `cov2cor`, which
/// `psych::alpha(use = "pairwise")` uses). O(n k²).
#[allow(clippy::float_cmp)] // exact constancy tests are the point
pub(super) fn alpha(items: &Ratings, level: Level, feldt_n: FeldtN) -> Result<CronbachAlpha> {
    let k = items.raters();
    if k > super::PAIRWISE_MAX_ITEMS {
        return Err(Error::TooManyItems {
            found: k,
            limit: super::PAIRWISE_MAX_ITEMS,
        });
    }
    let pairs = k * (k + 1) / 2;
    let index = |i: usize, j: usize| i * k - i * (i + 1) / 2 + j; // i <= j
    let (mut count, mut sum_i, mut sum_j) = (
        vec![0usize; pairs],
        vec![Sum::default(); pairs],
        vec![Sum::default(); pairs],
    );
    // exact constancy per item over its answered rows
    let mut first: Vec<Option<f64>> = vec![None; k];
    let mut constant = vec![true; k];
    let mut magnitude = 0.0f64;
    for row in items.rows_raw() {
        for (i, (&x, (f, c))) in row
            .iter()
            .zip(first.iter_mut().zip(constant.iter_mut()))
            .enumerate()
        {
            if x.is_nan() {
                continue;
            }
            magnitude = magnitude.max(x.abs());
            match f {
                None => *f = Some(x),
                Some(f) => *c &= x == *f,
            }
            for (j, &y) in row.iter().enumerate().skip(i) {
                if !y.is_nan() {
                    let p = index(i, j);
                    count[p] += 1;
                    sum_i[p].add(x);
                    sum_j[p].add(y);
                }
            }
        }
    }
    let min_n = count.iter().copied().min().unwrap_or(0);
    if min_n < 2 {
        return Err(Error::TooFewPairwise { found: min_n });
    }
    let mean_i: Vec<f64> = sum_i
        .iter()
        .zip(&count)
        .map(|(s, &c)| s.value() / c as f64)
        .collect();
    let mean_j: Vec<f64> = sum_j
        .iter()
        .zip(&count)
        .map(|(s, &c)| s.value() / c as f64)
        .collect();
    let mut cross = vec![Sum::default(); pairs];
    for row in items.rows_raw() {
        for (i, &x) in row.iter().enumerate() {
            if x.is_nan() {
                continue;
            }
            for (j, &y) in row.iter().enumerate().skip(i) {
                if !y.is_nan() {
                    let p = index(i, j);
                    cross[p].add((x - mean_i[p]) * (y - mean_j[p]));
                }
            }
        }
    }
    // The total's zero test allows for the rounding of every covariance it adds up (see
    // `stats::RoundingNoise`), so the order of items and rows cannot decide it.
    let noise = stats::RoundingNoise::new(magnitude);
    let covariance = |i: usize, j: usize| {
        let p = index(i, j);
        if i == j && constant[i] {
            0.0
        } else {
            cross[p].value() / (count[p] - 1) as f64
        }
    };
    let (mut diagonal, mut total, mut slack) = (Sum::default(), Sum::default(), 0.0);
    for i in 0..k {
        for j in i..k {
            let p = index(i, j);
            let c = covariance(i, j);
            let weight = if i == j { 1.0 } else { 2.0 };
            if i == j {
                diagonal.add(c);
            }
            total.add(weight * c);
            slack += weight * noise.products_bound(count[p], magnitude) / (count[p] - 1) as f64;
        }
    }
    let kf = k as f64;
    let (diagonal, total) = (diagonal.value(), total.value());
    let raw = if constant.iter().all(|&c| c) {
        Outcome::Undefined(Undefined::ConstantValues)
    } else if slack > crate::stats::DENOMINATOR_PRECISION * total.abs() {
        Outcome::Undefined(Undefined::ZeroDenominator)
    } else if total < 0.0 || total > kf * diagonal + slack * kf {
        // Pairwise covariances need not form a covariance matrix. For one that does, the total
        // variance lies in [0, k Σ s_j²] (Cauchy-Schwarz), which is alpha ≤ 1; outside it,
        // some combination of the items has a negative variance, and alpha would exceed 1
        // (with Feldt bounds in the wrong order).
        Outcome::Undefined(Undefined::NonPositiveVariance)
    } else {
        // within rounding of k Σ s_j²: at most 1 (1 + 2^-52 was seen)
        finite(Outcome::Defined(
            (kf / (kf - 1.0) * (1.0 - diagonal / total)).min(1.0),
        ))
    };
    let ci_n = match feldt_n {
        FeldtN::SmallestPairwise => min_n,
        FeldtN::AllRespondents => items.targets(),
    };
    let ci = match raw {
        Outcome::Defined(a) => feldt(a, ci_n as f64, kf, level),
        Outcome::Undefined(why) => Outcome::Undefined(why),
    };
    // Σ_i Σ_j r_ij with r_ij = c_ij / √(c_ii c_jj) (cov2cor, not clamped: with pairwise
    // deletion |r_ij| can exceed 1, as in psych); no correlation when an item is constant.
    let all_constant = constant.iter().all(|&c| c);
    let sum_r = if constant.iter().any(|&c| c) {
        None
    } else {
        let sd: Vec<f64> = (0..k).map(|i| covariance(i, i).sqrt()).collect();
        let (mut acc, mut r_slack) = (Sum::default(), 8.0 * kf * kf * f64::EPSILON);
        for i in 0..k {
            for j in i + 1..k {
                let p = index(i, j);
                acc.add(2.0 * covariance(i, j) / (sd[i] * sd[j]));
                // each r_ij is off by its covariance's rounding bound over the SDs
                r_slack += 2.0 * noise.products_bound(count[p], magnitude)
                    / (count[p] - 1) as f64
                    / (sd[i] * sd[j]);
            }
        }
        // Σ r_ij = 0 (r̄ = −1/(k − 1)) is decided within that bound, not by `== 0.0`: zero
        // to working precision when the bound exceeds 1e-6 of it, as listwise
        let sum = acc.value() + kf;
        Some(
            if r_slack > crate::stats::DENOMINATOR_PRECISION * sum.abs() {
                0.0
            } else {
                sum
            },
        )
    };
    Ok(CronbachAlpha {
        coefficient: raw,
        standardized: standardized(all_constant, sum_r, kf),
        ci,
        ci_n,
        n: min_n,
        dropped: items.targets() - min_n,
        items: k,
        missing: CaseDeletion::Pairwise,
        ci_method: IntervalMethod::Feldt,
        reference: "psych::alpha(use = 'pairwise') 2.2.9 (raw_alpha, std.alpha, Feldt with \
                    FeldtN::AllRespondents); pingouin.cronbach_alpha(nan_policy='pairwise') 0.6.1",
    })
}
