//! Exact integer sums of a matrix's complete rows, for dyadic data: the one sum-of-squares
//! kernel behind the ICC's ANOVA and Cronbach's alpha.
//!
//! **What it computes.** When every value of the complete rows is a multiple of a common
//! 2^-m (m ≤ 10: integers, halves, quarters, ...), write `v = x · 2^m` for the scaled
//! integers and T for a row's total of them. [`ExactSums::of`] returns, exactly as `i128`:
//! per column Σv and Σv², over rows ΣT and ΣT², and on request per column Σv·T (the item
//! analysis needs it). Callers form sums of squares from them in exact integer arithmetic
//! (n·SS = nΣv² − (Σv)²), so a zero variance or a zero mean square is decided exactly and
//! no cancellation error enters. Data that are not dyadic, or too large, get `None`: the
//! caller then takes its floating-point route.
//!
//! **How, and why it is exact.** Three routes, the first that applies:
//!
//! 1. *Small integers in f64 blocks* (|v| ≤ 2^10, at most 2048 columns: every questionnaire
//!    and Likert rating, POMP scores, their halves). Within a block of 1024 rows the sums are
//!    accumulated in f64 (vectorised; fixed-width kernels for 2 to 16 columns keep them in
//!    registers), across blocks in `i128`. Every block sum of the scaled values is an integer
//!    below 2^53 — Σv ≤ 2^20, Σv² ≤ 2^30, ΣT ≤ 2^31, ΣT² ≤ 2^52, Σv·T ≤ 2^41 for k ≤ 2^11 —
//!    so every f64 addition is exact. The kernels add the unscaled x: scaling by a power of
//!    two commutes with rounding (no value here is near underflow or overflow), so the block
//!    sums of x are exactly those of v times 2^-m (2^-2m for squares and products), and are
//!    scaled back before they are converted to `i128`. Whether a value is on the grid is
//!    tested per value (or per block, by OR-ing the bits of `x − round(x)` and the largest
//!    x²): `(x + 1.5·2^(52−m)) − 1.5·2^(52−m)` rounds x to a multiple of 2^-m. A value off
//!    the grid ends the route with `None`; the block holding it may have huge sums, so the
//!    `i128` totals add with wrapping (never a panic), and they are discarded.
//! 2. *Wide integers in `i128`*: each value passed [`widen`]'s bound |x · scale| ≤ 2^31 at
//!    the scale reached when it was read (as the ICC's exact route has always allowed), so
//!    |v| ≤ 2^41 at the final scale. A plain loop of `i128` products and sums: v² ≤ 2^82 and
//!    v·T ≤ k·2^82, so Σv² and Σv·T stay below 2^127 for fewer than 2^45 cells (far beyond
//!    any matrix in memory); T² and ΣT², which grow with the square of the number of
//!    columns, use checked arithmetic and give `None` on overflow.
//! 3. Otherwise `None`.
//!
//! The scale is found by the route-1 attempt at m = 0 (integers) and, when that fails
//! (it stops summing at the first block off the grid), by one quick scan of the
//! values (`scan`, which agrees with [`widen`] value by value).
//!
//! **Tested against.** `tests::reference`, a plain `i128` loop, for every fixed width and
//! any width, with missing rows, halves and quarters, and huge values that must fall back;
//! and, through the ICC and Cronbach's alpha, R psych / pingouin values in `tests/`.

use crate::ratings::Ratings;

/// Rows summed in f64 before their (exact) block sums are added to the `i128` totals.
pub(crate) const BLOCK: usize = 1024;

/// Route 1 accepts scaled values of at most this magnitude.
const SMALL: f64 = 1024.0;

/// Route 1 accepts at most this many columns (keeps Σv·T and ΣT² of a block below 2^53).
const MAX_FAST_COLUMNS: usize = 2048;

/// Exact sums of the complete rows, in units of the scaled integers `v = x · scale`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExactSums {
    /// Complete rows summed.
    pub(crate) n: usize,
    /// The power of two that makes every value an integer (1 for integer data).
    pub(crate) scale: f64,
    /// Σv per column.
    pub(crate) col: Vec<i128>,
    /// Σv² per column.
    pub(crate) col_sq: Vec<i128>,
    /// Σv·T per column (empty unless asked for).
    pub(crate) col_total: Vec<i128>,
    /// ΣT over rows.
    pub(crate) total: i128,
    /// ΣT² over rows.
    pub(crate) total_sq: i128,
}

impl ExactSums {
    /// The exact sums of `ratings`' complete rows (with Σv·T per column when `item_total`),
    /// or `None` when the values are not dyadic within the bounds of the module doc.
    pub(crate) fn of(ratings: &Ratings, item_total: bool) -> Option<ExactSums> {
        let k = ratings.raters();
        if k <= MAX_FAST_COLUMNS
            && let Some(s) = fast(ratings, Integers, item_total)
        {
            return Some(s);
        }
        let (scale, largest) = scan(ratings)?;
        if k <= MAX_FAST_COLUMNS && scale > 1.0 && largest * scale <= SMALL {
            fast(ratings, Grid::new(scale), item_total)
        } else {
            wide(ratings, scale, item_total)
        }
    }

    /// Σv² over every cell.
    pub(crate) fn sum_sq(&self) -> i128 {
        self.col_sq.iter().sum()
    }
}

/// The smallest power-of-two scale ≥ `scale` that makes `x · scale` an integer of at most
/// 2^31 in magnitude (the scale at most 1024), or `None`.
///
/// `(y + 1.5·2^52) − 1.5·2^52` rounds y to an integer when |y| < 2^51, so it equals y
/// exactly when y is an integer. A larger y fails the 2^31 bound whatever this test says
/// (and doubling the scale only makes it larger), so the answer is that of the exact test.
#[allow(clippy::float_cmp)] // exactness tests are the point
pub(crate) fn widen(mut scale: f64, x: f64) -> Option<f64> {
    const ROUNDER: f64 = 6_755_399_441_055_744.0;
    loop {
        let y = x * scale;
        if (y + ROUNDER) - ROUNDER == y {
            return (y.abs() <= 2_147_483_648.0).then_some(scale);
        }
        if scale >= 1024.0 {
            return None;
        }
        scale *= 2.0;
    }
}

/// The common scale of the complete rows ([`widen`] over every value) and the largest |x|.
///
/// A quick pass first. With `y = x · 1024` and `t = y + 1.5·2^52`, t holds y rounded to an
/// integer (for |y| < 2^51), so `(t − 1.5·2^52) − y` is zero exactly when y is an integer,
/// and the low 51 bits of t's mantissa are `2^51 + y`, whose trailing zeros are those of y:
/// OR-ing the bits of t over the values gives the smallest power-of-two scale that makes
/// every value an integer. When every y is an integer and |x| · scale ≤ 2^31 for the
/// largest |x| (so every |y| ≤ 2^41 and the tests above were exact), this is exactly what
/// [`widen`] value by value answers (each of its bound checks used a scale no larger);
/// otherwise [`widen`] decides, value by value.
fn scan(ratings: &Ratings) -> Option<(f64, f64)> {
    const ROUNDER: f64 = 6_755_399_441_055_744.0;
    const WIDE: f64 = 2_147_483_648.0;
    let (mut off, mut bits, mut largest) = (0u64, 0u64, 0.0f64);
    let mut quick = |values: &[f64]| {
        for &x in values {
            let y = x * 1024.0;
            let t = y + ROUNDER;
            off |= ((t - ROUNDER) - y).to_bits();
            bits |= t.to_bits();
            let a = x.abs();
            largest = if a > largest { a } else { largest };
        }
        off == 0
    };
    if ratings.missing() == 0 {
        for block in ratings.cells().chunks(BLOCK * ratings.raters()) {
            if !quick(block) {
                break;
            }
        }
    } else {
        for row in ratings.complete_rows() {
            if !quick(row) {
                break;
            }
        }
    }
    if off == 0 {
        let scale = f64::from(1u32 << (10 - bits.trailing_zeros().min(10)));
        if largest * scale <= WIDE {
            return Some((scale, largest));
        }
    }
    let (mut scale, mut largest) = (1.0, 0.0f64);
    for row in ratings.complete_rows() {
        for &x in row {
            scale = widen(scale, x)?;
            largest = largest.max(x.abs());
        }
    }
    Some((scale, largest))
}

/// Route 2: a plain `i128` loop (values up to 2^41 after scaling; bounds in the module doc).
fn wide(ratings: &Ratings, scale: f64, item_total: bool) -> Option<ExactSums> {
    let k = ratings.raters();
    let mut s = ExactSums {
        n: 0,
        scale,
        col: vec![0; k],
        col_sq: vec![0; k],
        col_total: vec![0; if item_total { k } else { 0 }],
        total: 0,
        total_sq: 0,
    };
    let mut v = vec![0i128; k];
    for row in ratings.complete_rows() {
        s.n += 1;
        let mut t = 0i128;
        for ((&x, v), (c, c2)) in row
            .iter()
            .zip(v.iter_mut())
            .zip(s.col.iter_mut().zip(s.col_sq.iter_mut()))
        {
            // exact: x · scale is an integer of at most 2^41 (see `widen`)
            *v = (x * scale) as i64 as i128;
            t += *v;
            *c += *v;
            *c2 += *v * *v;
        }
        for (c, &v) in s.col_total.iter_mut().zip(&v) {
            *c += v * t;
        }
        s.total += t;
        s.total_sq = s.total_sq.checked_add(t.checked_mul(t)?)?;
    }
    Some(s)
}

/// The values route 1 accepts: multiples of `1 / scale` of magnitude at most
/// `SMALL / scale`. Two kinds, so that the common case, integers, compiles with constants.
trait OnGrid: Copy {
    /// The power of two that makes the values integers.
    fn scale(self) -> f64;
    /// `1.5·2^52 / scale`: `(x + rounder) − rounder` rounds x to the grid (for
    /// |x| < 2^51 / scale; larger x fail the range test anyway).
    fn rounder(self) -> f64;
    /// `SMALL / scale`.
    fn limit(self) -> f64;

    /// The square of the limit.
    #[inline(always)]
    fn limit_sq(self) -> f64 {
        self.limit() * self.limit()
    }

    /// Whether x is on the grid and small.
    #[allow(clippy::float_cmp)] // exactness tests are the point
    #[inline(always)]
    fn holds(self, x: f64) -> bool {
        ((x + self.rounder()) - self.rounder() == x) & (x.abs() <= self.limit())
    }

    /// `x − round(x)` to the grid as bits per lane: zero exactly when x is on it.
    #[inline(always)]
    fn off2(self, x: Lanes) -> [u64; 2] {
        let r = [
            (x[0] + self.rounder()) - self.rounder(),
            (x[1] + self.rounder()) - self.rounder(),
        ];
        [(r[0] - x[0]).to_bits(), (r[1] - x[1]).to_bits()]
    }
}

/// Integers of at most [`SMALL`].
#[derive(Debug, Clone, Copy)]
struct Integers;

impl OnGrid for Integers {
    #[inline(always)]
    fn scale(self) -> f64 {
        1.0
    }
    #[inline(always)]
    fn rounder(self) -> f64 {
        6_755_399_441_055_744.0
    }
    #[inline(always)]
    fn limit(self) -> f64 {
        SMALL
    }
}

/// Multiples of `1 / scale` for a scale found at run time.
#[derive(Debug, Clone, Copy)]
struct Grid {
    scale: f64,
    rounder: f64,
    limit: f64,
}

impl Grid {
    fn new(scale: f64) -> Grid {
        Grid {
            scale,
            rounder: 6_755_399_441_055_744.0 / scale,
            limit: SMALL / scale,
        }
    }
}

impl OnGrid for Grid {
    #[inline(always)]
    fn scale(self) -> f64 {
        self.scale
    }
    #[inline(always)]
    fn rounder(self) -> f64 {
        self.rounder
    }
    #[inline(always)]
    fn limit(self) -> f64 {
        self.limit
    }
}

/// Route 1: the fixed-width kernel when there is one (and no Σv·T is asked), else the
/// general one.
fn fast<G: OnGrid>(ratings: &Ratings, g: G, item_total: bool) -> Option<ExactSums> {
    let sums = if item_total {
        any_width(ratings, g, true)
    } else {
        fixed_width(ratings, g).unwrap_or_else(|| any_width(ratings, g, false))
    }?;
    Some(sums.scaled_back(g.scale()))
}

impl ExactSums {
    /// Sums of route 1 before scaling: totals of block sums of x (not v).
    fn empty(k: usize, item_total: bool) -> ExactSums {
        ExactSums {
            n: 0,
            scale: 1.0,
            col: vec![0; k],
            col_sq: vec![0; k],
            col_total: vec![0; if item_total { k } else { 0 }],
            total: 0,
            total_sq: 0,
        }
    }

    /// Records the scale (the totals were already added in scaled units).
    fn scaled_back(mut self, scale: f64) -> ExactSums {
        self.scale = scale;
        self
    }
}

/// Adds exact f64 block sums (of x, or of x² and x·T), times `mult` (the scale, or its
/// square: exact, a power of two), to `i128` totals and clears the block. The additions
/// wrap: a block off the grid may add nonsense but never panics, and its route then
/// returns `None`, discarding the totals.
#[inline]
fn flush_exact(totals: &mut [i128], block: &mut [f64], mult: f64) {
    for (t, b) in totals.iter_mut().zip(block.iter_mut()) {
        // an exact block sum is an integer below 2^53: the i64 conversion is exact (and
        // cheaper than a direct one to i128)
        *t = t.wrapping_add(i128::from((*b * mult) as i64));
        *b = 0.0;
    }
}

/// [`flush_exact`] for the block's ΣT (times the scale) and ΣT² (times its square).
#[inline]
fn flush_totals(totals: &mut [i128; 2], block: &mut [f64; 2], s1m: f64, s2m: f64) {
    flush_exact(&mut totals[..1], &mut block[..1], s1m);
    flush_exact(&mut totals[1..], &mut block[1..], s2m);
}

/// Any number of columns; with Σv·T when `item_total`.
fn any_width<G: OnGrid>(ratings: &Ratings, g: G, item_total: bool) -> Option<ExactSums> {
    let k = ratings.raters();
    let mut s = ExactSums::empty(k, item_total);
    let mut ok = true;
    let (mut b1, mut b2) = (vec![0.0f64; k], vec![0.0f64; k]);
    let mut bvt = vec![0.0f64; if item_total { k } else { 0 }];
    let mut bt = [0.0f64; 2];
    let mut n = 0usize;
    ratings.for_each_complete_row(|row| {
        if !ok {
            return;
        }
        n += 1;
        ok &= accumulate(row, &mut b1, &mut b2, g);
        let total = row_sum(row);
        bt[0] += total;
        bt[1] += total * total;
        for (c, &x) in bvt.iter_mut().zip(row) {
            *c += x * total;
        }
        if n.is_multiple_of(BLOCK) {
            // a block off the grid may add nonsense (wrapping, never a panic); the route
            // then returns `None` and the sums are discarded
            s.flush_block(&mut b1, &mut b2, &mut bvt, &mut bt, g);
        }
    });
    if !ok {
        return None;
    }
    s.flush_block(&mut b1, &mut b2, &mut bvt, &mut bt, g);
    s.n = n;
    Some(s)
}

impl ExactSums {
    /// Adds the block sums of [`any_width`] (Σx, Σx², Σx·T, ΣT, ΣT²) to the totals, scaled
    /// back to the integers v, and clears them. Out of line: once per block, and it keeps
    /// the per-row loop's registers free.
    #[inline(never)]
    fn flush_block<G: OnGrid>(
        &mut self,
        b1: &mut [f64],
        b2: &mut [f64],
        bvt: &mut [f64],
        bt: &mut [f64; 2],
        g: G,
    ) {
        let (s1m, s2m) = (g.scale(), g.scale() * g.scale());
        flush_exact(&mut self.col, b1, s1m);
        flush_exact(&mut self.col_sq, b2, s2m);
        flush_exact(&mut self.col_total, bvt, s2m);
        let mut t = [self.total, self.total_sq];
        flush_totals(&mut t, bt, s1m, s2m);
        [self.total, self.total_sq] = t;
    }
}

/// Adds a row to the block sums of x and x²; whether every x is on the grid. Fixed-width
/// chunks of 4 columns let the compiler keep the work in vector registers.
fn accumulate<G: OnGrid>(row: &[f64], b1: &mut [f64], b2: &mut [f64], g: G) -> bool {
    let mut ok = true;
    for ((c, a), b) in row
        .chunks_exact(4)
        .zip(b1.chunks_exact_mut(4))
        .zip(b2.chunks_exact_mut(4))
    {
        for ((&x, a), b) in c.iter().zip(a.iter_mut()).zip(b.iter_mut()) {
            ok &= g.holds(x);
            *a += x;
            *b += x * x;
        }
    }
    let done = row.len() / 4 * 4;
    for ((&x, a), b) in row[done..].iter().zip(&mut b1[done..]).zip(&mut b2[done..]) {
        ok &= g.holds(x);
        *a += x;
        *b += x * x;
    }
    ok
}

/// Sum of a row with four independent accumulators (rows are short; this breaks the
/// dependency chain of one running sum).
pub(crate) fn row_sum(row: &[f64]) -> f64 {
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

/// The same sums with the column count known at compile time (2 to 16, the usual
/// questionnaire), so the block sums live in registers; `None` for other widths.
fn fixed_width<G: OnGrid>(ratings: &Ratings, g: G) -> Option<Option<ExactSums>> {
    macro_rules! dispatch {
        ($($k:literal => $f:expr),*) => {
            match ratings.raters() {
                $($k => Some($f(ratings, g)),)*
                _ => None,
            }
        };
    }
    dispatch!(
        2 => fixed_even::<1, G>, 4 => fixed_even::<2, G>,
        6 => fixed_even::<3, G>, 8 => fixed_even::<4, G>,
        10 => fixed_even::<5, G>, 12 => fixed_even::<6, G>,
        14 => fixed_even::<7, G>, 16 => fixed_even::<8, G>,
        3 => fixed_odd::<3, G>, 5 => fixed_odd::<5, G>,
        7 => fixed_odd::<7, G>, 9 => fixed_odd::<9, G>,
        11 => fixed_odd::<11, G>, 13 => fixed_odd::<13, G>,
        15 => fixed_odd::<15, G>
    )
}

/// Even widths K = 2H: complete rows taken two at a time, as H two-lane vectors each (an
/// odd last row is paired with a row of zeros, which adds nothing to any sum).
fn fixed_even<const H: usize, G: OnGrid>(ratings: &Ratings, g: G) -> Option<ExactSums> {
    let mut acc = ExactSums::empty(2 * H, false);
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
                    b.add(x, y, g);
                }
            }
            if let Some(x) = odd {
                b.add(x, &[[0.0; 2]; H], g);
            }
            if !b.flush(&mut acc, block.len() / (2 * H), g) {
                return None;
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
                b.add(x, y.unwrap_or(&[[0.0; 2]; H]), g);
            }
            if rows_in == 0 {
                break;
            }
            if !b.flush(&mut acc, rows_in, g) {
                return None;
            }
        }
    }
    Some(acc)
}

/// Odd widths: one row at a time.
fn fixed_odd<const K: usize, G: OnGrid>(ratings: &Ratings, g: G) -> Option<ExactSums> {
    if ratings.missing() == 0 {
        fixed_rows::<K, G>(ratings.rows_raw(), g)
    } else {
        fixed_rows::<K, G>(ratings.complete_rows(), g)
    }
}

/// A plain loop over rows (no closure), so the block sums stay in registers.
fn fixed_rows<'a, const K: usize, G: OnGrid>(
    rows: impl Iterator<Item = &'a [f64]>,
    g: G,
) -> Option<ExactSums> {
    let mut s = ExactSums::empty(K, false);
    let (s1m, s2m) = (g.scale(), g.scale() * g.scale());
    let mut rows = rows.peekable();
    while rows.peek().is_some() {
        let (mut b1, mut b2) = ([0.0f64; K], [0.0f64; K]);
        let (mut sum_t, mut sum_t2) = (0.0f64, 0.0f64);
        let mut ok = true;
        for row in rows.by_ref().take(BLOCK) {
            let Ok(row) = <&[f64; K]>::try_from(row) else {
                return None;
            };
            s.n += 1;
            // four partial totals: exact for these integers, and no long dependency chain
            let mut part = [0.0f64; 4];
            for l in 0..K {
                let x = row[l];
                ok &= g.holds(x);
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
            return None;
        }
        flush_exact(&mut s.col, &mut b1, s1m);
        flush_exact(&mut s.col_sq, &mut b2, s2m);
        let mut t = [s.total, s.total_sq];
        flush_totals(&mut t, &mut [sum_t, sum_t2], s1m, s2m);
        [s.total, s.total_sq] = t;
    }
    Some(s)
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

/// Block sums of up to [`BLOCK`] rows of 2H columns, added two rows at a time so that every
/// step is a two-lane vector operation (lanes: adjacent columns; the two rows for the
/// totals). Exact while every value is on the grid (checked at the flush), by the bounds of
/// the module doc.
struct PairBlock<const H: usize> {
    s1: [Lanes; H],
    s2: [Lanes; H],
    /// OR of [`OnGrid::off2`] over the values.
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
    fn add<G: OnGrid>(&mut self, x: &[Lanes; H], y: &[Lanes; H], g: G) {
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
            let (fa, fb) = (g.off2(a), g.off2(b));
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

    /// Adds the block (of `rows` rows) to `acc` if its values were all on the grid (its sums
    /// are then exact); `false` otherwise.
    fn flush<G: OnGrid>(&self, acc: &mut ExactSums, rows: usize, g: G) -> bool {
        if (self.frac[0] | self.frac[1]) != 0 || self.big[0].max(self.big[1]) > g.limit_sq() {
            return false;
        }
        let (s1m, s2m) = (g.scale(), g.scale() * g.scale());
        acc.n += rows;
        flush_exact(&mut acc.col, &mut self.s1.concat(), s1m);
        flush_exact(&mut acc.col_sq, &mut self.s2.concat(), s2m);
        let mut t = [acc.total, acc.total_sq];
        flush_totals(
            &mut t,
            &mut [self.t1[0] + self.t1[1], self.t2[0] + self.t2[1]],
            s1m,
            s2m,
        );
        [acc.total, acc.total_sq] = t;
        true
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp, clippy::needless_range_loop)] // plain loops and exact tests
mod tests {
    use super::*;

    /// The plain reference: i128 sums over the complete rows, one value at a time, at the
    /// scale given.
    fn reference(r: &Ratings, scale: f64) -> ExactSums {
        let k = r.raters();
        let mut s = ExactSums::empty(k, true);
        s.scale = scale;
        for row in r.complete_rows() {
            s.n += 1;
            let v: Vec<i128> = row.iter().map(|&x| (x * scale) as i128).collect();
            assert!(row.iter().zip(&v).all(|(&x, &v)| v as f64 == x * scale));
            let t: i128 = v.iter().sum();
            for j in 0..k {
                s.col[j] += v[j];
                s.col_sq[j] += v[j] * v[j];
                s.col_total[j] += v[j] * t;
            }
            s.total += t;
            s.total_sq += t * t;
        }
        s
    }

    /// Values `x / scale + offset`, x in -4..=4, some rows with a missing cell, an odd row
    /// count spanning blocks.
    fn values(n: usize, k: usize, missing: bool, scale: f64, offset: f64) -> Ratings {
        let cells = (0..n * k)
            .map(|c| {
                let (i, j) = (c / k, c % k);
                let x = ((i * 7919) ^ (j * 104_729)) % 9;
                let skip = missing && (i * 31 + j) % 97 == 0;
                (!skip).then_some((x as f64 - 4.0) / scale + offset)
            })
            .collect();
        Ratings::with_missing(n, k, cells).unwrap_or_else(|_| unreachable!())
    }

    fn without_products(mut s: ExactSums) -> ExactSums {
        s.col_total.clear();
        s
    }

    /// Every route and kernel (fixed widths, any width, with and without the item products,
    /// the i128 route) gives the plain loop's sums, for integers, halves and quarters.
    #[test]
    fn kernels_equal_the_plain_reference() {
        for scale in [1.0, 2.0, 4.0] {
            for k in 2..=18 {
                for missing in [false, true] {
                    let r = values(2 * BLOCK + 3, k, missing, scale, 0.0);
                    let want = reference(&r, scale);
                    let got = ExactSums::of(&r, true);
                    assert_eq!(got.as_ref(), Some(&want), "k = {k}, scale {scale}");
                    let got = ExactSums::of(&r, false);
                    assert_eq!(got, Some(without_products(want.clone())), "k = {k}");
                    let wide = wide(&r, scale, true);
                    assert_eq!(wide.as_ref(), Some(&want), "wide, k = {k}");
                    if let Some(fixed) = fixed_width(&r, Grid::new(scale)) {
                        let fixed = fixed.map(|s| s.scaled_back(scale));
                        assert_eq!(fixed, Some(without_products(want)), "fixed, k = {k}");
                    }
                }
            }
        }
    }

    /// Values beyond route 1's 2^10 (after scaling) take the i128 route, exactly; the odd
    /// last block and a quarter that widens the scale late are both handled.
    #[test]
    fn wide_values_take_the_i128_route() {
        for k in [2, 3, 12, 17] {
            for (scale, offset) in [(1.0, 5000.0), (4.0, 300.0), (2.0, 1e9)] {
                let r = values(BLOCK + 5, k, true, scale, offset);
                let want = reference(&r, scale);
                assert_eq!(ExactSums::of(&r, true), Some(want), "k = {k}, {offset}");
            }
        }
    }

    /// Huge or non-dyadic values over several blocks give `None` without overflowing the
    /// integer totals (no panic), for even and odd widths.
    #[test]
    fn huge_or_non_dyadic_values_fall_back() {
        for k in [3, 12, 20] {
            let n = 3 * BLOCK;
            for big in [1e100, 3e9, 0.1] {
                let cells = (0..n * k)
                    .map(|c| if c % 3 == 0 { big } else { -big })
                    .collect();
                let r = Ratings::new(n, k, cells).unwrap_or_else(|_| unreachable!());
                assert_eq!(ExactSums::of(&r, true), None, "{big}");
                assert_eq!(ExactSums::of(&r, false), None, "{big}");
                assert!(fixed_width(&r, Grid::new(1.0)).is_none_or(|s| s.is_none()));
            }
        }
    }

    /// `widen` answers as the plain test by `fract` (the ICC's original) does.
    #[test]
    fn widen_equals_the_fract_test() {
        fn plain(mut scale: f64, x: f64) -> Option<f64> {
            while (x * scale).fract() != 0.0 {
                if scale >= 1024.0 {
                    return None;
                }
                scale *= 2.0;
            }
            ((x * scale).abs() <= 2_147_483_648.0).then_some(scale)
        }
        let mut xs = vec![0.0, -0.0, 1e300, -3e9, 0.1, 1.0 / 3.0, 2f64.powi(51) + 0.5];
        for e in -12..60 {
            for m in [1.0, 1.5, 1.25, 3.0, 0.75, 1.0009765625] {
                let x = m * 2f64.powi(e);
                xs.extend([x, -x, x + 0.5, x - 0.25, x + 2f64.powi(-11)]);
            }
        }
        for x in xs {
            for scale in [1.0, 2.0, 64.0, 1024.0] {
                assert_eq!(widen(scale, x), plain(scale, x), "{x} at {scale}");
            }
        }
    }

    /// The quick scan finds the scale and largest value that `widen` value by value finds.
    #[test]
    fn scan_equals_widen_value_by_value() {
        let cases: [&[f64]; 8] = [
            &[1.0, 2.0, -3.0, 0.0],
            &[0.5, 2.0, -3.0, 0.0],
            &[0.0, 0.0, 0.0, 0.0],
            &[-0.25, 2.0, 1e-3, 0.0],
            &[2147483648.0, 0.5, 1.0, 1.0],
            &[0.5, 2147483648.0, 1.0, 1.0],
            &[1.0 / 1024.0, -7.0, 3.5, 1e6],
            &[-0.75, 1e100, 1.0, 1.0],
        ];
        for cells in cases {
            let r = Ratings::new(2, 2, cells.to_vec()).unwrap_or_else(|_| unreachable!());
            let mut want = Some((1.0, 0.0f64));
            for &x in cells {
                want = want.and_then(|(s, m)| Some((widen(s, x)?, m.max(x.abs()))));
            }
            assert_eq!(scan(&r), want, "{cells:?}");
        }
    }

    /// The grid test: on-grid values pass, values between grid points and beyond the range
    /// do not.
    #[test]
    fn grid_accepts_exactly_its_values() {
        let g = Grid::new(4.0);
        for x in [0.0, 0.25, -0.75, 255.75, -256.0] {
            assert!(g.holds(x), "{x}");
        }
        for x in [0.125, 256.25, 1e300, 0.1] {
            assert!(!g.holds(x), "{x}");
        }
    }
}
