//! Moments of a respondents x items matrix for Cronbach's alpha: exact integer sums for
//! dyadic answers beside a plain two-pass floating-point route.
//!
//! **Exact route.** For answers that are all multiples of a common 2^-m (integers, halves,
//! ...; see [`crate::exact_sums`], which also says why its sums are exact), one pass gives
//! per item Σv and Σv², over row totals T ΣT and ΣT² (and Σv·T for the item analysis), as
//! exact integers of the scaled answers v. Variances then come from n·SS = nΣv² − (Σv)² in
//! exact (checked) integer arithmetic, so a zero variance is detected exactly and no
//! cancellation error enters; each is rounded once to f64 and scaled back by the power of
//! two. Any other answer (or an overflow) sends the whole matrix to [`ItemMoments::float`],
//! the plain route: means, then squared deviations, with compensated sums across blocks.
//! The standardized alpha takes one more pass (it needs the item SDs).
//!
//! **Tested against.** [`ItemMoments::float`] on the same integer and half-point data
//! (`tests`); the kernel itself against a plain `i128` loop in `exact_sums`; and R psych /
//! pingouin values through `tests/reliability.rs`.

use crate::error::{Error, Result};
use crate::exact_sums::{BLOCK, ExactSums, row_sum};
use crate::ratings::Ratings;
use crate::stats::{self, Sum};

/// Item and total moments on the complete rows: one exact integer pass for dyadic answers
/// (integers, halves, ...), two passes otherwise, plus one for the standardized alpha (it needs the item SDs first)
/// when the item analysis asks for it.
pub(super) struct ItemMoments {
    pub(super) n: usize,
    pub(super) k: usize,
    pub(super) dropped: usize,
    pub(super) mean: Vec<f64>,
    pub(super) var: Vec<f64>,
    pub(super) total_var: f64,
    /// Variance of the sum of standardized items (= `Σ_i` `Σ_j` `r_ij`); `None` if an item is
    /// constant.
    pub(super) z_total_var: Option<f64>,
    pub(super) item_constant: Vec<bool>,
    pub(super) total_constant: bool,
    pub(super) all_constant: bool,
    /// Σ (T − `x_j` − mean)² per item (only for item analysis).
    pub(super) rest_ss: Vec<f64>,
    /// Σ `d_j` (T − `x_j` − mean) per item (only for item analysis).
    pub(super) item_rest: Vec<f64>,
    pub(super) rest_constant: Vec<bool>,
}

impl ItemMoments {
    pub(super) fn of(ratings: &Ratings, with_items: bool) -> Result<ItemMoments> {
        match ItemMoments::exact(ratings, with_items)? {
            Some(m) => Ok(m),
            None => ItemMoments::float(ratings, with_items),
        }
    }

    /// Dyadic answers (every questionnaire, POMP scores and half points included): one pass
    /// of exact integer sums ([`ExactSums`]), so variances have no cancellation error and
    /// zero variance is detected exactly; then one pass for the standardized alpha. `None`
    /// when the answers are not dyadic (or a sum would overflow): the caller falls back to
    /// [`ItemMoments::float`].
    #[allow(clippy::float_cmp)] // exactness tests are the point
    fn exact(ratings: &Ratings, with_items: bool) -> Result<Option<ItemMoments>> {
        let k = ratings.raters();
        let Some(ExactSums {
            n,
            scale,
            col: s1,
            col_sq: s2,
            col_total: vt,
            total: t1,
            total_sq: t2,
        }) = ExactSums::of(ratings, with_items)
        else {
            return Ok(None);
        };
        if n < 2 {
            return Err(Error::TooFewRespondents { found: n });
        }
        let ni = n as i128;
        let nf = n as f64;
        // n·SS = n Σv² − (Σv)², exact; SS / (n − 1) = n·SS / (n (n − 1))
        let nss = |sum: i128, sq: i128| -> Option<i128> {
            ni.checked_mul(sq)?.checked_sub(sum.checked_mul(sum)?)
        };
        let nsp = |sa: i128, sb: i128, sab: i128| -> Option<i128> {
            ni.checked_mul(sab)?.checked_sub(sa.checked_mul(sb)?)
        };
        let unit = nf * (nf - 1.0);
        // back from the scaled integers v = x · scale (a power of two: exact)
        let scale_sq = scale * scale;
        let Some(item_nss) = s1
            .iter()
            .zip(&s2)
            .map(|(&a, &b)| nss(a, b))
            .collect::<Option<Vec<i128>>>()
        else {
            return Ok(None);
        };
        let Some(total_nss) = nss(t1, t2) else {
            return Ok(None);
        };
        let mean: Vec<f64> = s1.iter().map(|&s| s as f64 / nf / scale).collect();
        let var: Vec<f64> = item_nss
            .iter()
            .map(|&v| v as f64 / unit / scale_sq)
            .collect();
        let item_constant: Vec<bool> = item_nss.iter().map(|&v| v == 0).collect();
        let (mut rest_ss, mut item_rest, mut rest_constant) = (Vec::new(), Vec::new(), Vec::new());
        if with_items {
            for j in 0..k {
                // rest = T − v_j: Σrest = ΣT − Σv_j, Σrest² = ΣT² − 2Σv_jT + Σv_j², Σv_j·rest = Σv_jT − Σv_j²
                let exact = (|| {
                    let r1 = t1.checked_sub(s1[j])?;
                    let r2 = t2.checked_sub(vt[j].checked_mul(2)?)?.checked_add(s2[j])?;
                    let vr = vt[j].checked_sub(s2[j])?;
                    Some((nss(r1, r2)?, nsp(s1[j], r1, vr)?))
                })();
                let Some((r, c)) = exact else {
                    return Ok(None);
                };
                rest_ss.push(r as f64 / nf / scale_sq);
                item_rest.push(c as f64 / nf / scale_sq);
                rest_constant.push(r == 0);
            }
        }
        Ok(Some(ItemMoments {
            n,
            k,
            dropped: ratings.targets() - n,
            z_total_var: standardized_sum_var(ratings, &mean, &var, &item_constant, n),
            mean,
            var,
            total_var: total_nss as f64 / unit / scale_sq,
            all_constant: item_constant.iter().all(|&c| c),
            item_constant,
            total_constant: total_nss == 0,
            rest_ss,
            item_rest,
            rest_constant,
        }))
    }

    /// Any finite answers: two passes (means, then squared deviations).
    #[allow(clippy::float_cmp)] // exact constancy tests are the point
    fn float(ratings: &Ratings, with_items: bool) -> Result<ItemMoments> {
        let k = ratings.raters();
        let rows = || ratings.complete_rows();
        let too_few = |found| Error::TooFewRespondents { found };
        let first = rows().next().ok_or(too_few(0))?;
        // Pass 1: means, exact constancy of each item against the first row, and the largest
        // Σ|x| of a row (the magnitude of a total, for the rounding-noise zero tests).
        let mut sums = vec![Sum::default(); k];
        let mut block = vec![0.0; k];
        let mut item_constant = vec![true; k];
        let mut magnitude = 0.0f64;
        let mut n = 0usize;
        for row in rows() {
            n += 1;
            let mut size = 0.0;
            for ((b, &x), (c, &f)) in block
                .iter_mut()
                .zip(row)
                .zip(item_constant.iter_mut().zip(first))
            {
                *b += x;
                size += x.abs();
                *c &= x == f;
            }
            magnitude = magnitude.max(size);
            if n.is_multiple_of(BLOCK) {
                flush(&mut sums, &mut block);
            }
        }
        flush(&mut sums, &mut block);
        if n < 2 {
            return Err(too_few(n));
        }
        let nf = n as f64;
        let mean: Vec<f64> = sums.iter().map(|s| s.value() / nf).collect();
        // Pass 2: squared deviations, total and (optionally) rest-of-scale moments.
        let mut d = vec![0.0; k];
        let mut ss = Acc::new(k);
        let mut rest_ss = Acc::new(if with_items { k } else { 0 });
        let mut item_rest = Acc::new(if with_items { k } else { 0 });
        let mut total_ss = Acc::new(1);
        for (i, row) in rows().enumerate() {
            let mut total = 0.0;
            for ((dj, &x), &m) in d.iter_mut().zip(row).zip(&mean) {
                *dj = x - m;
                total += *dj;
            }
            total_ss.block[0] += total * total;
            for (b, &dj) in ss.block.iter_mut().zip(&d) {
                *b += dj * dj;
            }
            if with_items {
                for ((r, c), &dj) in rest_ss
                    .block
                    .iter_mut()
                    .zip(item_rest.block.iter_mut())
                    .zip(&d)
                {
                    let e = total - dj;
                    *r += e * e;
                    *c += dj * e;
                }
            }
            if (i + 1) % BLOCK == 0 {
                for acc in [&mut ss, &mut rest_ss, &mut item_rest, &mut total_ss] {
                    acc.flush();
                }
            }
        }
        let var: Vec<f64> = ss
            .values()
            .into_iter()
            .zip(&item_constant)
            .map(|(s, &c)| if c { 0.0 } else { s / (nf - 1.0) })
            .collect();
        // A total (or rest score) is constant when its sum of squared deviations is zero up
        // to rounding: decided from a bound, not by comparing rounded sums, so neither the
        // order of the items nor of the rows can change the answer.
        let noise = stats::RoundingNoise::new(magnitude);
        let total_ss = total_ss.values()[0];
        // zero to working precision (see `stats::DENOMINATOR_PRECISION`), not only zero
        let total_constant = noise.is_unresolved(total_ss, n);
        let total_var = if total_constant {
            0.0
        } else {
            total_ss / (nf - 1.0)
        };
        let z_total_var = standardized_sum_var(ratings, &mean, &var, &item_constant, n);
        let rest_ss = rest_ss.values();
        let item_rest = item_rest.values();
        let rest_constant: Vec<bool> = rest_ss.iter().map(|&s| noise.is_unresolved(s, n)).collect();
        let rest_ss = rest_ss
            .into_iter()
            .zip(&rest_constant)
            .map(|(s, &c)| if c { 0.0 } else { s })
            .collect();
        Ok(ItemMoments {
            n,
            k,
            dropped: ratings.targets() - n,
            mean,
            var,
            total_var,
            z_total_var,
            all_constant: item_constant.iter().all(|&c| c),
            item_constant,
            total_constant,
            rest_ss,
            item_rest,
            rest_constant,
        })
    }
}

/// `Σ_i` `Σ_j` `r_ij` as the (n − 1)-variance of the sum of standardized items; `None` when an item
/// is constant (its correlations are 0/0).
fn standardized_sum_var(
    ratings: &Ratings,
    mean: &[f64],
    var: &[f64],
    item_constant: &[bool],
    n: usize,
) -> Option<f64> {
    if item_constant.iter().any(|&c| c) {
        return None;
    }
    let inv_sd: Vec<f64> = var.iter().map(|v| 1.0 / v.sqrt()).collect();
    macro_rules! dispatch {
        ($($k:literal),*) => {
            match mean.len() {
                $($k => {
                    let (Ok(m), Ok(w)) = (<&[f64; $k]>::try_from(mean), <&[f64; $k]>::try_from(&inv_sd[..])) else {
                        return None;
                    };
                    if ratings.missing() == 0 {
                        z_squares::<$k>(ratings.rows_raw(), m, w)
                    } else {
                        z_squares::<$k>(ratings.complete_rows(), m, w)
                    }
                })*
                _ => z_squares_any(ratings, mean, &inv_sd),
            }
        };
    }
    let ss = dispatch!(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
    // Σ r_ij is zero (r̄ = −1/(k − 1), e.g. two items exactly negatively proportional) when
    // every row's z-sum is zero; the computed z-sums then hold only rounding. Each term
    // (x − m_j)/s_j carries at most about 2ε(|m_j|/s_j + √n) (a value lies within √n SDs of
    // its mean) plus ε per addition, so each z-sum is off by at most δ below, and their sum
    // of squares as `RoundingNoise::bound` says. When that bound exceeds 1e-6 of ss, Σ r_ij
    // is zero to working precision: fewer than six digits of it (and of the standardized
    // alpha, near ±1e25 there) would be right, and the item order would change them.
    // Decided this way, not by `ss == 0.0`, no order can turn the zero into ±1e31.
    let root_n = (n as f64).sqrt();
    let k = mean.len() as f64;
    let spread: f64 = mean
        .iter()
        .zip(&inv_sd)
        .map(|(m, w)| 2.0 * m.abs() * w + (k + 5.0) * root_n)
        .sum();
    if stats::RoundingNoise::with_delta(4.0 * f64::EPSILON * spread).is_unresolved(ss, n) {
        return Some(0.0);
    }
    Some(ss / (n as f64 - 1.0))
}

/// Σ over rows of `(Σ_j (x_j − m_j) w_j)²`, K items known at compile time (the usual
/// questionnaire), so the row's work stays in registers: a plain loop, no closure.
fn z_squares<'a, const K: usize>(
    rows: impl Iterator<Item = &'a [f64]>,
    mean: &[f64; K],
    w: &[f64; K],
) -> f64 {
    let mut acc = Acc::new(1);
    let mut i = 0usize;
    for row in rows {
        let Ok(row) = <&[f64; K]>::try_from(row) else {
            continue;
        };
        // four partial sums: no long dependency chain within a row
        let mut part = [0.0f64; 4];
        for l in 0..K {
            part[l % 4] += (row[l] - mean[l]) * w[l];
        }
        let z = (part[0] + part[1]) + (part[2] + part[3]);
        acc.block[0] += z * z;
        i += 1;
        if i == BLOCK {
            acc.flush();
            i = 0;
        }
    }
    acc.values()[0]
}

/// [`z_squares`] for any number of items.
fn z_squares_any(ratings: &Ratings, mean: &[f64], inv_sd: &[f64]) -> f64 {
    let mut zz = Acc::new(1);
    let mut i = 0usize;
    let mut zbuf = vec![0.0; mean.len()];
    ratings.for_each_complete_row(|row| {
        for (((z, &x), &m), &s) in zbuf.iter_mut().zip(row).zip(mean).zip(inv_sd) {
            *z = (x - m) * s;
        }
        let z = row_sum(&zbuf);
        zz.block[0] += z * z;
        i += 1;
        if i.is_multiple_of(BLOCK) {
            zz.flush();
        }
    });
    zz.values()[0]
}

fn flush(sums: &mut [Sum], block: &mut [f64]) {
    for (s, b) in sums.iter_mut().zip(block.iter_mut()) {
        s.add(*b);
        *b = 0.0;
    }
}

/// Per-column accumulators: plain within a block of rows, compensated across blocks.
struct Acc {
    block: Vec<f64>,
    sums: Vec<Sum>,
}

impl Acc {
    fn new(k: usize) -> Acc {
        Acc {
            block: vec![0.0; k],
            sums: vec![Sum::default(); k],
        }
    }

    fn flush(&mut self) {
        flush(&mut self.sums, &mut self.block);
    }

    fn values(mut self) -> Vec<f64> {
        self.flush();
        self.sums.iter().map(|s| s.value()).collect()
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    /// The exact route and the plain floating-point route agree on integers and halves.
    #[test]
    fn exact_route_agrees_with_the_float_route() {
        for scale in [1.0, 2.0] {
            for k in [2, 3, 7, 12, 17] {
                let r = answers(3 * BLOCK + 5, k, scale);
                for with_items in [false, true] {
                    let exact = ItemMoments::exact(&r, with_items).unwrap().unwrap();
                    let float = ItemMoments::float(&r, with_items).unwrap();
                    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(1.0);
                    assert_eq!((exact.n, exact.dropped), (float.n, float.dropped));
                    assert!(close(exact.total_var, float.total_var), "k = {k}");
                    for j in 0..k {
                        assert!(
                            close(exact.var[j], float.var[j])
                                && close(exact.mean[j], float.mean[j])
                        );
                    }
                    for j in 0..exact.rest_ss.len() {
                        assert!(close(exact.rest_ss[j], float.rest_ss[j]));
                        assert!(close(exact.item_rest[j], float.item_rest[j]));
                    }
                    match (exact.z_total_var, float.z_total_var) {
                        (Some(a), Some(b)) => assert!(close(a, b)),
                        (a, b) => assert_eq!(a, b),
                    }
                    assert_eq!(exact.item_constant, float.item_constant);
                    assert_eq!(exact.rest_constant, float.rest_constant);
                }
            }
        }
    }

    /// Answers `x / scale`, x in -4..=4, some rows with a missing cell, an odd row count
    /// spanning blocks.
    fn answers(n: usize, k: usize, scale: f64) -> Ratings {
        let cells = (0..n * k)
            .map(|c| {
                let (i, j) = (c / k, c % k);
                let x = ((i * 7919) ^ (j * 104_729)) % 9;
                let skip = (i * 31 + j) % 97 == 0;
                (!skip).then_some((x as f64 - 4.0) / scale)
            })
            .collect();
        Ratings::with_missing(n, k, cells).unwrap_or_else(|_| unreachable!())
    }

    /// Huge answers fall back to the floating-point route.
    #[test]
    fn huge_answers_take_the_float_route() {
        let cells = (0..3 * BLOCK * 4)
            .map(|c| if c % 3 == 0 { 1e100 } else { -1e100 })
            .collect();
        let r = Ratings::new(3 * BLOCK, 4, cells).unwrap_or_else(|_| unreachable!());
        assert!(ItemMoments::exact(&r, true).unwrap().is_none());
    }
}
