//! Moments of a respondents x items matrix for Cronbach's alpha: a fast exact kernel for
//! integer answers beside a plain two-pass floating-point route.
//!
//! **What the kernel does.** For answers that are integers with |x| ≤ 2^10 (every
//! questionnaire, POMP scores included) one pass accumulates, per item, Σx and Σx², and over
//! row totals T, ΣT and ΣT² (and Σx·T for the item analysis): within a block of 1024 rows in
//! f64 (vectorised; fixed-width kernels for 2 to 16 items keep the block sums in registers),
//! across blocks in i128. Variances then come from n·SS = nΣx² − (Σx)² in exact integers.
//!
//! **Why it is correct.** Every block sum is an integer below 2^53 (Σx ≤ 2^20, Σx² ≤ 2^30,
//! ΣT ≤ 2^31, ΣT² ≤ 2^52, Σx·T ≤ 2^41 for k ≤ 2^11), so each f64 addition is exact and the
//! i128 totals are the exact integer sums; nΣx² − (Σx)² is then exact (checked arithmetic,
//! falling back on overflow), so a zero variance is detected exactly and no cancellation
//! error enters. Whether every answer is such an integer is tested per value (or per block,
//! by OR-ing `x − round(x)` bits and the largest x²); any other answer sends the whole matrix
//! to [`Moments::float`], the plain route: means, then squared deviations, with compensated
//! sums across blocks. The standardized alpha takes one more pass (it needs the item SDs).
//!
//! **Tested against.** `tests::reference_sums`, a plain loop of i128 sums, for every width and
//! with missing rows; [`Moments::float`] on the same integer data; and R psych / pingouin
//! values through `tests/reliability.rs`.

use crate::error::{Error, Result};
use crate::ratings::Ratings;
use crate::stats::{self, Sum};

/// Rows summed plainly within a block, blocks added with compensation (fast and accurate).
const BLOCK: usize = 1024;

/// Item and total moments on the complete rows: one exact integer pass for integer answers,
/// two passes otherwise, plus one for the standardized alpha (it needs the item SDs first)
/// when the item analysis asks for it.
pub(super) struct Moments {
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

impl Moments {
    pub(super) fn of(ratings: &Ratings, with_items: bool) -> Result<Moments> {
        match Moments::integer(ratings, with_items)? {
            Some(m) => Ok(m),
            None => Moments::float(ratings, with_items),
        }
    }

    /// Integer answers (|x| ≤ 1024: every questionnaire, POMP scores included): one pass of
    /// exact integer sums, so variances have no cancellation error and zero variance is
    /// detected exactly; then, for the item analysis, one pass for the standardized alpha. `None` when an answer is not such an integer (or a
    /// sum would overflow): the caller falls back to [`Moments::float`].
    #[allow(clippy::float_cmp)] // exactness tests are the point
    fn integer(ratings: &Ratings, with_items: bool) -> Result<Option<Moments>> {
        let k = ratings.raters();
        // Block sums in f64 are exact for answers |x| ≤ 2^10 and k ≤ 2^11: over 1024 rows,
        // Σx ≤ 2^20, Σx² ≤ 2^30, ΣT ≤ 2^31, ΣT² ≤ 2^52, Σx·T ≤ 2^41, all below 2^53.
        if k > 2048 {
            return Ok(None);
        }
        let sums = if with_items {
            IntSums::any_width(ratings, true)
        } else {
            IntSums::fixed_width(ratings).unwrap_or_else(|| IntSums::any_width(ratings, false))
        };
        let IntSums {
            ok,
            n,
            s1,
            s2,
            vt,
            t,
        } = sums;
        if !ok {
            return Ok(None);
        }
        let [t1, t2] = t;
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
        let mean: Vec<f64> = s1.iter().map(|&s| s as f64 / nf).collect();
        let var: Vec<f64> = item_nss.iter().map(|&v| v as f64 / unit).collect();
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
                rest_ss.push(r as f64 / nf);
                item_rest.push(c as f64 / nf);
                rest_constant.push(r == 0);
            }
        }
        Ok(Some(Moments {
            n,
            k,
            dropped: ratings.targets() - n,
            z_total_var: standardized_sum_var(ratings, &mean, &var, &item_constant, n),
            mean,
            var,
            total_var: total_nss as f64 / unit,
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
    fn float(ratings: &Ratings, with_items: bool) -> Result<Moments> {
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
        let total_constant = noise.is_zero(total_ss, n);
        let total_var = if total_constant {
            0.0
        } else {
            total_ss / (nf - 1.0)
        };
        let z_total_var = standardized_sum_var(ratings, &mean, &var, &item_constant, n);
        let rest_ss = rest_ss.values();
        let item_rest = item_rest.values();
        let rest_constant: Vec<bool> = rest_ss.iter().map(|&s| noise.is_zero(s, n)).collect();
        let rest_ss = rest_ss
            .into_iter()
            .zip(&rest_constant)
            .map(|(s, &c)| if c { 0.0 } else { s })
            .collect();
        Ok(Moments {
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

/// Exact integer sums of one pass: per item Σx, Σx², Σx·T (item analysis only), and ΣT, ΣT²
/// of the row totals T.
struct IntSums {
    /// Every answer was an integer of at most 2^10.
    ok: bool,
    n: usize,
    s1: Vec<i128>,
    s2: Vec<i128>,
    vt: Vec<i128>,
    t: [i128; 2],
}

/// The integer test of [`accumulate_integers`], for one value.
#[allow(clippy::float_cmp)] // exactness tests are the point
#[inline]
fn is_small_integer(x: f64) -> bool {
    const LIMIT: f64 = 1024.0;
    // (x + 1.5·2^52) − 1.5·2^52 rounds x to an integer (for |x| < 2^51)
    const ROUNDER: f64 = 6_755_399_441_055_744.0;
    ((x + ROUNDER) - ROUNDER == x) & (x.abs() <= LIMIT)
}

impl IntSums {
    /// Any number of items; with the item-by-total products when `with_items`.
    fn any_width(ratings: &Ratings, with_items: bool) -> IntSums {
        let k = ratings.raters();
        let mut ok = true;
        let (mut s1, mut s2) = (vec![0i128; k], vec![0i128; k]);
        let (mut b1, mut b2) = (vec![0.0f64; k], vec![0.0f64; k]);
        let (mut vt, mut bvt) = (vec![0i128; k], vec![0.0f64; if with_items { k } else { 0 }]);
        let (mut t, mut bt) = ([0i128; 2], [0.0f64; 2]);
        let mut n = 0usize;
        ratings.for_each_complete_row(|row| {
            if !ok {
                return;
            }
            n += 1;
            ok &= accumulate_integers(row, &mut b1, &mut b2);
            let total = row_sum(row);
            bt[0] += total;
            bt[1] += total * total;
            for (c, &x) in bvt.iter_mut().zip(row) {
                *c += x * total;
            }
            if n.is_multiple_of(BLOCK) {
                flush_exact(&mut s1, &mut b1);
                flush_exact(&mut s2, &mut b2);
                flush_exact(&mut t, &mut bt);
                flush_exact(&mut vt, &mut bvt);
            }
        });
        flush_exact(&mut s1, &mut b1);
        flush_exact(&mut s2, &mut b2);
        flush_exact(&mut t, &mut bt);
        flush_exact(&mut vt, &mut bvt);
        IntSums {
            ok,
            n,
            s1,
            s2,
            vt,
            t,
        }
    }

    /// The same sums with the item count known at compile time (2 to 16 items, the usual
    /// questionnaire), so the block sums live in registers; `None` for other widths.
    fn fixed_width(ratings: &Ratings) -> Option<IntSums> {
        macro_rules! dispatch {
            ($($k:literal => $f:expr),*) => {
                match ratings.raters() {
                    $($k => Some($f(ratings)),)*
                    _ => None,
                }
            };
        }
        dispatch!(
            2 => IntSums::fixed_even::<1>, 4 => IntSums::fixed_even::<2>,
            6 => IntSums::fixed_even::<3>, 8 => IntSums::fixed_even::<4>,
            10 => IntSums::fixed_even::<5>, 12 => IntSums::fixed_even::<6>,
            14 => IntSums::fixed_even::<7>, 16 => IntSums::fixed_even::<8>,
            3 => IntSums::fixed_odd::<3>, 5 => IntSums::fixed_odd::<5>,
            7 => IntSums::fixed_odd::<7>, 9 => IntSums::fixed_odd::<9>,
            11 => IntSums::fixed_odd::<11>, 13 => IntSums::fixed_odd::<13>,
            15 => IntSums::fixed_odd::<15>
        )
    }

    /// Even widths K = 2H: complete rows taken two at a time, as H two-lane vectors each (an
    /// odd last row is paired with a row of zeros, which adds nothing to any sum).
    fn fixed_even<const H: usize>(ratings: &Ratings) -> IntSums {
        let mut acc = IntAcc::new(2 * H);
        if ratings.missing() == 0 {
            // Whole blocks of rows straight from the row-major cells: no per-row tests.
            for block in ratings.cells().chunks(BLOCK * 2 * H) {
                let mut b = PairBlock::<H>::new();
                let pairs = block.as_chunks::<2>().0.chunks_exact(2 * H);
                let odd = pairs.remainder().first_chunk::<H>();
                for pair in pairs {
                    if let Some((x, rest)) = pair.split_first_chunk::<H>()
                        && let Some(y) = rest.first_chunk::<H>()
                    {
                        b.add(x, y);
                    }
                }
                if let Some(x) = odd {
                    b.add(x, &[[0.0; 2]; H]);
                }
                if !acc.flush(&b, block.len() / (2 * H)) {
                    return acc.failed();
                }
            }
        } else {
            let mut rows = ratings
                .complete_rows()
                .filter_map(|row| row.as_chunks::<2>().0.first_chunk::<H>());
            loop {
                let mut b = PairBlock::<H>::new();
                let mut rows_in = 0;
                while rows_in < BLOCK {
                    let Some(x) = rows.next() else { break };
                    let y = rows.next();
                    rows_in += 1 + usize::from(y.is_some());
                    b.add(x, y.unwrap_or(&[[0.0; 2]; H]));
                }
                if rows_in == 0 {
                    break;
                }
                if !acc.flush(&b, rows_in) {
                    return acc.failed();
                }
            }
        }
        acc.finish()
    }

    /// Odd widths: one row at a time.
    fn fixed_odd<const K: usize>(ratings: &Ratings) -> IntSums {
        if ratings.missing() == 0 {
            IntSums::fixed_rows::<K>(ratings.rows_raw())
        } else {
            IntSums::fixed_rows::<K>(ratings.complete_rows())
        }
    }

    /// A plain loop over rows (no closure), so the block sums stay in registers.
    fn fixed_rows<'a, const K: usize>(rows: impl Iterator<Item = &'a [f64]>) -> IntSums {
        let (mut s1, mut s2) = (vec![0i128; K], vec![0i128; K]);
        let mut t = [0i128; 2];
        let (mut n, mut ok) = (0usize, true);
        let mut rows = rows.peekable();
        while rows.peek().is_some() {
            let (mut b1, mut b2) = ([0.0f64; K], [0.0f64; K]);
            let (mut sum_t, mut sum_t2) = (0.0f64, 0.0f64);
            for row in rows.by_ref().take(BLOCK) {
                let Ok(row) = <&[f64; K]>::try_from(row) else {
                    ok = false;
                    continue;
                };
                n += 1;
                // four partial totals: exact for these integers, and no long dependency chain
                let mut part = [0.0f64; 4];
                for l in 0..K {
                    let x = row[l];
                    ok &= is_small_integer(x);
                    b1[l] += x;
                    b2[l] += x * x;
                    part[l % 4] += x;
                }
                let total = (part[0] + part[1]) + (part[2] + part[3]);
                sum_t += total;
                sum_t2 += total * total;
            }
            if !ok {
                // not exact: stop before huge block sums could overflow the i128 totals
                break;
            }
            flush_exact(&mut s1, &mut b1);
            flush_exact(&mut s2, &mut b2);
            flush_exact(&mut t, &mut [sum_t, sum_t2]);
        }
        IntSums {
            ok,
            n,
            s1,
            s2,
            vt: Vec::new(),
            t,
        }
    }
}

/// Two adjacent f64 lanes (one SSE2 register).
type Lanes = [f64; 2];

#[inline(always)]
fn add2(a: Lanes, b: Lanes) -> Lanes {
    [a[0] + b[0], a[1] + b[1]]
}

#[inline(always)]
fn mul2(a: Lanes, b: Lanes) -> Lanes {
    [a[0] * b[0], a[1] * b[1]]
}

/// The larger of two values per lane (a plain compare, so it maps to one vector max
/// instruction; complete rows hold no NaN).
#[inline(always)]
fn max2(a: Lanes, b: Lanes) -> Lanes {
    [
        if a[0] > b[0] { a[0] } else { b[0] },
        if a[1] > b[1] { a[1] } else { b[1] },
    ]
}

/// `x − round(x)` as bits per lane: zero exactly when x is an integer (for |x| < 2^51; larger
/// x fail the range test anyway).
#[inline(always)]
fn off_integer2(x: Lanes) -> [u64; 2] {
    // (x + 1.5·2^52) − 1.5·2^52 rounds x to an integer (for |x| < 2^51)
    const ROUNDER: f64 = 6_755_399_441_055_744.0;
    let r = [(x[0] + ROUNDER) - ROUNDER, (x[1] + ROUNDER) - ROUNDER];
    [(r[0] - x[0]).to_bits(), (r[1] - x[1]).to_bits()]
}

/// Block sums of up to [`BLOCK`] rows of 2H items, added two rows at a time so that every
/// step is a two-lane vector operation (lanes: adjacent items; the two rows for the totals).
/// Exact while every answer is an integer with |x| ≤ 2^10 (checked at the flush), by the
/// bounds in [`Moments::integer`].
struct PairBlock<const H: usize> {
    s1: [Lanes; H],
    s2: [Lanes; H],
    /// OR of [`off_integer2`] over the answers.
    frac: [u64; 2],
    /// Largest x².
    big: Lanes,
    /// Σ T and Σ T², one lane per row of the pair.
    t1: Lanes,
    t2: Lanes,
}

impl<const H: usize> PairBlock<H> {
    fn new() -> Self {
        PairBlock {
            s1: [[0.0; 2]; H],
            s2: [[0.0; 2]; H],
            frac: [0; 2],
            big: [0.0; 2],
            t1: [0.0; 2],
            t2: [0.0; 2],
        }
    }

    #[inline(always)]
    fn add(&mut self, x: &[Lanes; H], y: &[Lanes; H]) {
        let (mut tx, mut ty) = ([0.0f64; 2], [0.0f64; 2]);
        let (mut frac, mut big) = (self.frac, self.big);
        for ((&a, &b), (s1, s2)) in x
            .iter()
            .zip(y)
            .zip(self.s1.iter_mut().zip(self.s2.iter_mut()))
        {
            let (aa, bb) = (mul2(a, a), mul2(b, b));
            *s1 = add2(*s1, add2(a, b));
            *s2 = add2(*s2, add2(aa, bb));
            let (fa, fb) = (off_integer2(a), off_integer2(b));
            frac = [frac[0] | fa[0] | fb[0], frac[1] | fa[1] | fb[1]];
            big = max2(big, max2(aa, bb));
            tx = add2(tx, a);
            ty = add2(ty, b);
        }
        // one horizontal step for both rows: [tx0, ty0] + [tx1, ty1]
        let t = add2([tx[0], ty[0]], [tx[1], ty[1]]);
        self.t1 = add2(self.t1, t);
        self.t2 = add2(self.t2, mul2(t, t));
        self.frac = frac;
        self.big = big;
    }
}

/// Exact totals of [`PairBlock`]s.
struct IntAcc {
    n: usize,
    s1: Vec<i128>,
    s2: Vec<i128>,
    t: [i128; 2],
}

impl IntAcc {
    fn new(k: usize) -> Self {
        IntAcc {
            n: 0,
            s1: vec![0; k],
            s2: vec![0; k],
            t: [0; 2],
        }
    }

    /// Adds a block of `rows` rows if its answers were all small integers (its sums are then
    /// exact); `false` otherwise.
    fn flush<const H: usize>(&mut self, b: &PairBlock<H>, rows: usize) -> bool {
        const LIMIT_SQ: f64 = 1024.0 * 1024.0;
        if (b.frac[0] | b.frac[1]) != 0 || b.big[0].max(b.big[1]) > LIMIT_SQ {
            return false;
        }
        self.n += rows;
        flush_exact(&mut self.s1, &mut b.s1.concat());
        flush_exact(&mut self.s2, &mut b.s2.concat());
        flush_exact(&mut self.t, &mut [b.t1[0] + b.t1[1], b.t2[0] + b.t2[1]]);
        true
    }

    fn failed(&self) -> IntSums {
        IntSums {
            ok: false,
            n: self.n,
            s1: Vec::new(),
            s2: Vec::new(),
            vt: Vec::new(),
            t: [0; 2],
        }
    }

    fn finish(self) -> IntSums {
        IntSums {
            ok: true,
            n: self.n,
            s1: self.s1,
            s2: self.s2,
            vt: Vec::new(),
            t: self.t,
        }
    }
}

/// Adds a row to the block sums of x and x²; whether every x is an integer of at most 2^10.
/// Fixed-width chunks of 4 columns let the compiler keep the work in vector registers.
#[allow(clippy::float_cmp)] // exactness tests are the point
fn accumulate_integers(row: &[f64], b1: &mut [f64], b2: &mut [f64]) -> bool {
    let is_int = is_small_integer;
    let mut ok = true;
    for ((c, a), b) in row
        .chunks_exact(4)
        .zip(b1.chunks_exact_mut(4))
        .zip(b2.chunks_exact_mut(4))
    {
        for ((&x, a), b) in c.iter().zip(a.iter_mut()).zip(b.iter_mut()) {
            ok &= is_int(x);
            *a += x;
            *b += x * x;
        }
    }
    let done = row.len() / 4 * 4;
    for ((&x, a), b) in row[done..].iter().zip(&mut b1[done..]).zip(&mut b2[done..]) {
        ok &= is_int(x);
        *a += x;
        *b += x * x;
    }
    ok
}

/// Adds exact integer-valued f64 block sums to i128 totals and clears the block.
fn flush_exact(totals: &mut [i128], block: &mut [f64]) {
    for (t, b) in totals.iter_mut().zip(block.iter_mut()) {
        *t += *b as i128;
        *b = 0.0;
    }
}

/// Sum of a row with four independent accumulators (rows are short; this breaks the
/// dependency chain of one running sum).
fn row_sum(row: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let chunks = row.chunks_exact(4);
    let rest: f64 = chunks.remainder().iter().sum();
    for c in chunks {
        for (a, &x) in acc.iter_mut().zip(c) {
            *a += x;
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + rest
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

    /// The plain reference: i128 sums over the complete rows, one value at a time.
    fn reference_sums(r: &Ratings) -> (usize, Vec<i128>, Vec<i128>, Vec<i128>, [i128; 2]) {
        let k = r.raters();
        let (mut s1, mut s2, mut vt) = (vec![0i128; k], vec![0i128; k], vec![0i128; k]);
        let (mut t, mut n) = ([0i128; 2], 0);
        for row in r.complete_rows() {
            n += 1;
            let x: Vec<i128> = row.iter().map(|&v| v as i128).collect();
            let total: i128 = x.iter().sum();
            for j in 0..k {
                s1[j] += x[j];
                s2[j] += x[j] * x[j];
                vt[j] += x[j] * total;
            }
            t[0] += total;
            t[1] += total * total;
        }
        (n, s1, s2, vt, t)
    }

    /// Every kernel (fixed widths, any width, with and without the item products) gives the
    /// plain loop's exact sums.
    #[test]
    fn kernels_equal_the_plain_reference() {
        for k in 2..=18 {
            for missing in [false, true] {
                let r = answers(2 * BLOCK + 3, k, missing);
                let (n, s1, s2, vt, t) = reference_sums(&r);
                if let Some(a) = IntSums::fixed_width(&r) {
                    assert!(a.ok);
                    assert_eq!((a.n, &a.s1, &a.s2, a.t), (n, &s1, &s2, t), "fixed, k = {k}");
                }
                let b = IntSums::any_width(&r, true);
                assert!(b.ok);
                assert_eq!(
                    (b.n, &b.s1, &b.s2, &b.vt, b.t),
                    (n, &s1, &s2, &vt, t),
                    "k = {k}"
                );
            }
        }
    }

    /// The exact route and the plain floating-point route agree on integer answers.
    #[test]
    fn integer_kernel_agrees_with_the_float_route() {
        for k in [2, 3, 7, 12, 17] {
            let r = answers(3 * BLOCK + 5, k, true);
            for with_items in [false, true] {
                let exact = Moments::integer(&r, with_items).unwrap().unwrap();
                let float = Moments::float(&r, with_items).unwrap();
                let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(1.0);
                assert_eq!((exact.n, exact.dropped), (float.n, float.dropped));
                assert!(close(exact.total_var, float.total_var), "k = {k}");
                for j in 0..k {
                    assert!(
                        close(exact.var[j], float.var[j]) && close(exact.mean[j], float.mean[j])
                    );
                }
                match (exact.z_total_var, float.z_total_var) {
                    (Some(a), Some(b)) => assert!(close(a, b)),
                    (a, b) => assert_eq!(a, b),
                }
                assert_eq!(exact.item_constant, float.item_constant);
            }
        }
    }

    /// Integer answers, some rows with a missing cell, an odd row count spanning blocks.
    fn answers(n: usize, k: usize, missing: bool) -> Ratings {
        let cells = (0..n * k)
            .map(|c| {
                let (i, j) = (c / k, c % k);
                let x = ((i * 7919) ^ (j * 104_729)) % 9;
                let skip = missing && (i * 31 + j) % 97 == 0;
                (!skip).then_some(x as f64 - 4.0)
            })
            .collect();
        Ratings::with_missing(n, k, cells).unwrap_or_else(|_| unreachable!())
    }

    /// The fixed-width kernels give the same exact sums as the general one.
    #[test]
    fn fixed_width_sums_equal_general_sums() {
        for k in 2..=16 {
            for missing in [false, true] {
                let r = answers(2 * BLOCK + 3, k, missing);
                let (Some(a), b) = (IntSums::fixed_width(&r), IntSums::any_width(&r, false)) else {
                    panic!("width {k} has a fixed kernel");
                };
                assert!(a.ok && b.ok);
                assert_eq!(
                    (a.n, &a.s1, &a.s2, a.t),
                    (b.n, &b.s1, &b.s2, b.t),
                    "k = {k}"
                );
            }
        }
    }

    /// Huge answers over several blocks fall back to floating point without overflowing the
    /// integer totals (no panic), for even and odd widths.
    #[test]
    fn huge_answers_fall_back_without_overflow() {
        for k in [3, 12] {
            let n = 3 * BLOCK;
            let cells = (0..n * k)
                .map(|c| if c % 3 == 0 { 1e300 } else { -1e300 })
                .collect();
            let r = Ratings::new(n, k, cells).unwrap_or_else(|_| unreachable!());
            assert!(!IntSums::fixed_width(&r).is_some_and(|s| s.ok));
        }
    }
}
