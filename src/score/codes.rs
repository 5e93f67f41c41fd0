//! The fast path of [`BatchScorer::score_codes`](super::BatchScorer::score_codes): responses
//! of up to [`MAX_ITEMS`] one-byte codes, scored several answers per instruction (SIMD within
//! a register, on `u64` words: no `unsafe`, no target features).
//!
//! A response's codes are read eight at a time as little-endian `u64` words and handled as
//! lanes: 8-bit lanes ([`Bytes`]) when every sum fits a byte, else 16-bit lanes ([`Pairs`], a
//! word's even and odd bytes). Per lane vector `u`, on lanes holding a code `v` (0-255):
//!
//! ```text
//! off scale   ((u - min) & !u) | (u + (SIGN - 1 - max)) | u     sign bit set in some lane
//! keyed       (u ^ F·rev) - (F - min - max)·rev                  min + max - v where reversed
//! scope sum   ((Σ keyed & scope mask) × ONES) >> (64 - lane bits)
//! ```
//!
//! The range test is exact for "some lane is off the scale" (Anderson, *Bit Twiddling Hacks*,
//! `hasless`/`hasmore`): a borrow or carry only leaves a lane that is itself off the scale.
//! A missing code lies off the scale, so the one test catches incomplete rows too; those are
//! retried with their missing lanes located exactly (a lane equal to the code) and prorated.
//! Anything else the rule or the scale rejects goes to the general path, which reports it.
//! Scope sums are exact integers and become scores through `score`'s own proration formula
//! (precomputed per sum for complete scopes), so results are bit-identical to scoring one
//! response at a time.
//!
//! Why: a one-byte code per answer and integer sums make scoring memory-bound; testing and
//! keying eight codes per instruction keeps it so (see `benches/scoring.rs`).
//!
//! The plain reference implementation stands beside it: the general path
//! (`BatchScorer::score_row` in `batch.rs`, one answer at a time through
//! [`Scale`](crate::Scale)'s own check) scores every row this path declines, and the property
//! test `codes_equal_one_at_a_time` in `tests/properties_scoring.rs` checks, over random
//! instruments (item counts up to and past [`MAX_ITEMS`], reverse keying, subscale layouts,
//! scales within 0-255, missing codes, off-scale codes and missing-data rules), that this path
//! gives bit for bit what [`score`](crate::score) gives one response at a time, and the same
//! error for the same first invalid response. This module is private: nothing about it is part
//! of the API.
//!
//! Dependencies run one way: this module uses the leaf modules `batch_scores` and `scope`, and
//! `batch` uses this one; nothing here refers back to `batch`.

use super::batch_scores::BatchScores;
use super::scope::scope_value;
use crate::error::Result;

/// Most items a response may have on the fast path: five words of eight codes.
const MAX_ITEMS: usize = 40;

/// Lane vectors per response at most: five words split into even and odd bytes.
const MAX_UNITS: usize = 10;

/// Rows scored into the stack buffers between two copies into the output.
const BLOCK: usize = 64;

/// Room for the subscale scores of one block.
const SUB_BUFFER: usize = 1024;

/// A lane width: how a word of eight codes becomes lane vectors.
trait Lanes {
    /// Bits per lane.
    const BITS: u32;
    /// One in every lane.
    const ONES: u64;
    /// The top bit of a lane.
    const SIGN: u64 = 1 << (Self::BITS - 1);
    /// The top bit of every lane.
    const SIGNS: u64 = Self::SIGN * Self::ONES;
    /// All ones in a lane.
    const LANE: u64 = (Self::SIGN << 1) - 1;
    /// Lane vectors per word.
    const PER_WORD: usize;
    /// All ones over a code's bits and one more, so that `F - v` never borrows.
    const FLIP: u64;
    /// Puts word `i` of a response into `units`.
    fn split<const N: usize>(word: u64, i: usize, units: &mut [u64; N]);
    /// Lane vector and bit offset of code `j` of a response.
    fn lane(j: usize) -> (usize, u32);
    /// A scope's score by the sum of all its lanes.
    type Table;
    /// The table holding `scores`, and NaN where no complete response can reach.
    fn table(scores: Vec<f64>) -> Self::Table;
    /// The score of `sum`, if the table reaches it.
    fn score(table: &Self::Table, sum: usize) -> Option<f64>;
}

/// 8-bit lanes: a word is one vector of eight codes.
struct Bytes;

impl Lanes for Bytes {
    const BITS: u32 = 8;
    const ONES: u64 = 0x0101_0101_0101_0101;
    const PER_WORD: usize = 1;
    const FLIP: u64 = 0xFF;
    fn split<const N: usize>(word: u64, i: usize, units: &mut [u64; N]) {
        if let Some(u) = units.get_mut(i) {
            *u = word;
        }
    }
    fn lane(j: usize) -> (usize, u32) {
        (j / 8, 8 * (j % 8) as u32)
    }
    /// Every byte sum has an entry, so look-ups need no bounds check.
    type Table = Box<[f64; 256]>;
    fn table(scores: Vec<f64>) -> Self::Table {
        let mut table = Box::new([f64::NAN; 256]);
        for (entry, score) in table.iter_mut().zip(scores) {
            *entry = score;
        }
        table
    }
    fn score(table: &Self::Table, sum: usize) -> Option<f64> {
        table.get(sum).copied()
    }
}

/// 16-bit lanes: a word is two vectors, its even and its odd bytes.
struct Pairs;

impl Lanes for Pairs {
    const BITS: u32 = 16;
    const ONES: u64 = 0x0001_0001_0001_0001;
    const PER_WORD: usize = 2;
    const FLIP: u64 = 0x1FF;
    fn split<const N: usize>(word: u64, i: usize, units: &mut [u64; N]) {
        const EVEN: u64 = 0x00FF_00FF_00FF_00FF;
        if let Some([even, odd]) = units.get_mut(2 * i..2 * i + 2) {
            *even = word & EVEN;
            *odd = (word >> 8) & EVEN;
        }
    }
    fn lane(j: usize) -> (usize, u32) {
        (2 * (j / 8) + j % 2, 16 * (j % 8 / 2) as u32)
    }
    type Table = Vec<f64>;
    fn table(scores: Vec<f64>) -> Self::Table {
        scores
    }
    fn score(table: &Self::Table, sum: usize) -> Option<f64> {
        table.get(sum).copied()
    }
}

/// A subscale: its lanes, its missing-data allowance and the score of each complete sum.
struct Scope<L: Lanes> {
    masks: [u64; MAX_UNITS],
    items: usize,
    allowed: usize,
    table: L::Table,
}

/// The instrument, as the fast path needs it.
pub(super) struct Key<'a> {
    pub min: u8,
    pub max: u8,
    /// The missing-answer code (off the scale), if any.
    pub missing: Option<u8>,
    pub reverse: &'a [bool],
    /// Item indices (0-based) of each subscale, and how many of them may be missing.
    pub subscales: Vec<(&'a [usize], usize)>,
    /// How many items may be missing from the total.
    pub total_allowed: usize,
    /// Scored as the item mean (else the sum).
    pub mean_rule: bool,
}

/// What the fast path precomputes once per call.
struct Plan<'a, L: Lanes> {
    key: &'a Key<'a>,
    items: usize,
    /// The last word keeps the response's codes and reads `min` past its end (on the scale,
    /// never reversed, in no subscale; taken out of the total by `total_pad`). Bytewise, as
    /// applied to the word before it is split into lanes.
    keep: u64,
    fill: u64,
    total_pad: usize,
    /// `min` and `SIGN - 1 - max` in every lane, for the range test.
    below: u64,
    above: u64,
    /// The missing-answer code in every lane.
    missing: Option<u64>,
    /// `F` and `F - min - max` in reversed lanes, for keying.
    flip: [u64; MAX_UNITS],
    unflip: [u64; MAX_UNITS],
    /// Indexed by the sum of all lanes, `total_pad` included.
    total: L::Table,
    subscales: Vec<Scope<L>>,
}

/// Scores `answers` (whole responses), through the fast path where it can and `general`
/// elsewhere; `None` (touching nothing) when the instrument has too many items for it.
pub(super) fn score_codes(
    key: &Key,
    answers: &[u8],
    out: &mut BatchScores,
    general: &mut impl FnMut(usize, &[u8], &mut BatchScores) -> Result<()>,
) -> Option<Result<()>> {
    if key.reverse.len() > MAX_ITEMS {
        return None;
    }
    let words = key.reverse.len().div_ceil(8);
    // Bytes hold every sum when eight codes per word, each at most `max` (a code past the
    // response's end reads `min`), sum to at most 255 (so `max` <= 31 and the range test's
    // conditions hold). 16-bit lanes hold any sum: 40 codes of at most 255 make 10,200.
    let bytes = 8 * words * usize::from(key.max) <= 255;
    Some(match (bytes, words) {
        (true, 1) => narrow::<1>(key, answers, out, general),
        (true, 2) => narrow::<2>(key, answers, out, general),
        (true, 3) => narrow::<3>(key, answers, out, general),
        (true, 4) => run::<Bytes, 4, 0>(key, answers, out, general),
        (true, 5) => run::<Bytes, 5, 0>(key, answers, out, general),
        (false, 1) => run::<Pairs, 2, 0>(key, answers, out, general),
        (false, 2) => run::<Pairs, 4, 0>(key, answers, out, general),
        (false, 3) => run::<Pairs, 6, 0>(key, answers, out, general),
        (false, 4) => run::<Pairs, 8, 0>(key, answers, out, general),
        (false, 5) => run::<Pairs, 10, 0>(key, answers, out, general),
        _ => return None,
    })
}

/// 8-bit lanes, `N` words: up to 24 items, the size of most questionnaires, so their common
/// subscale counts are known at compile time and the subscale loop unrolls.
fn narrow<const N: usize>(
    key: &Key,
    answers: &[u8],
    out: &mut BatchScores,
    general: &mut impl FnMut(usize, &[u8], &mut BatchScores) -> Result<()>,
) -> Result<()> {
    match key.subscales.len() {
        1 => run::<Bytes, N, 1>(key, answers, out, general),
        2 => run::<Bytes, N, 2>(key, answers, out, general),
        3 => run::<Bytes, N, 3>(key, answers, out, general),
        4 => run::<Bytes, N, 4>(key, answers, out, general),
        _ => run::<Bytes, N, 0>(key, answers, out, general),
    }
}

impl<'a, L: Lanes> Plan<'a, L> {
    fn new(key: &'a Key<'a>) -> Plan<'a, L> {
        let items = key.reverse.len();
        let dead = 8 * items.div_ceil(8) - items;
        let keep = u64::MAX >> (8 * dead);
        let (min, max) = (u64::from(key.min), u64::from(key.max));
        let mut flip = [0; MAX_UNITS];
        let mut unflip = [0; MAX_UNITS];
        for j in (0..items).filter(|&j| key.reverse.get(j) == Some(&true)) {
            let (unit, shift) = L::lane(j);
            flip[unit] |= L::FLIP << shift;
            unflip[unit] |= (L::FLIP - min - max) << shift;
        }
        let subscales = key
            .subscales
            .iter()
            .map(|&(members, allowed)| {
                let mut masks = [0; MAX_UNITS];
                for &j in members {
                    let (unit, shift) = L::lane(j);
                    masks[unit] |= L::LANE << shift;
                }
                Scope {
                    masks,
                    items: members.len(),
                    allowed,
                    table: L::table(scores(key, members.len(), 0)),
                }
            })
            .collect();
        Plan {
            key,
            items,
            keep,
            fill: (min * Bytes::ONES) & !keep,
            total_pad: dead * usize::from(key.min),
            below: min * L::ONES,
            above: (L::SIGN - 1 - max) * L::ONES,
            missing: key.missing.map(|code| u64::from(code) * L::ONES),
            flip,
            unflip,
            total: L::table(scores(key, items, dead * usize::from(key.min))),
            subscales,
        }
    }
}

/// `score`'s value of a scope from the sum of its `answered` (keyed) items of `items`.
fn value(key: &Key, sum: u32, answered: usize, items: usize) -> f64 {
    let scale = (f64::from(key.min), f64::from(key.max));
    scope_value(key.mean_rule, f64::from(sum), answered, items, scale)
}

/// The score of every possible sum of a complete scope of `items` items, after `pad` NaNs
/// (the lanes past a response's end add `pad` to the total's lane sum).
fn scores(key: &Key, items: usize, pad: usize) -> Vec<f64> {
    let sums = 0..=items as u32 * u32::from(key.max);
    let scores = sums.map(|sum| value(key, sum, items, items));
    std::iter::repeat_n(f64::NAN, pad).chain(scores).collect()
}

/// The pass with lanes `L`, `N` lane vectors per response and `S` subscales (0: as many as
/// the instrument has, counted at run time): rows are scored a block at a time
/// into stack buffers, then copied to `out`; a row the fast path cannot score ends the block
/// and goes to `general`, so `out` always holds exactly the rows before it.
fn run<L: Lanes, const N: usize, const S: usize>(
    key: &Key,
    answers: &[u8],
    out: &mut BatchScores,
    general: &mut impl FnMut(usize, &[u8], &mut BatchScores) -> Result<()>,
) -> Result<()> {
    let plan = Plan::<L>::new(key);
    let k = plan.items;
    let n_sub = plan.subscales.len();
    // one subscale row per response (a spare slot when there are none)
    let width = n_sub.max(1);
    let block = (SUB_BUFFER / width).clamp(1, BLOCK);
    let mut totals = [0.0; BLOCK];
    let mut answered = [0; BLOCK];
    let mut subscales = [0.0; SUB_BUFFER];
    let rows = answers.len() / k;
    let mut r = 0;
    while r < rows {
        let end = rows.min(r + block);
        // the rows after the block stay in view: the last row's words may read into them
        let scored = score_block::<L, N, S>(
            &plan,
            answers.get(r * k..).unwrap_or_default(),
            &mut totals,
            &mut answered,
            subscales.get_mut(..block * width).unwrap_or_default(),
        );
        out.extend_block(
            &totals[..scored],
            &subscales[..scored * n_sub],
            &answered[..scored],
        );
        r += scored;
        if r < end {
            let row = answers.get(r * k..(r + 1) * k).unwrap_or_default();
            general(r, row, out)?;
            r += 1;
        }
    }
    Ok(())
}

/// Scores the responses of `answers` into the buffers (subscales row-major, one chunk per
/// response) until they are full or a response cannot be scored here, and returns how many
/// it scored.
fn score_block<L: Lanes, const N: usize, const S: usize>(
    plan: &Plan<L>,
    answers: &[u8],
    totals: &mut [f64],
    answered: &mut [u32],
    subscales: &mut [f64],
) -> usize {
    let k = plan.items;
    let width = plan.subscales.len().max(1);
    let mut rest = answers;
    let mut scored = 0;
    let rows = totals
        .iter_mut()
        .zip(answered)
        .zip(subscales.chunks_exact_mut(width));
    for ((total, count), subs) in rows {
        let Some(units) = units::<L, N>(plan, rest) else {
            break;
        };
        *count = if complete::<L, N, S>(plan, &units, total, subs) {
            k as u32
        } else if let Some(n) = prorated::<L, N>(plan, &units, total, subs) {
            n
        } else {
            break;
        };
        rest = rest.get(k..).unwrap_or_default();
        scored += 1;
    }
    scored
}

/// The lane vectors of the response `row` starts with (the last words of the buffer are
/// read through a zero-padded copy); `None` when `row` is shorter than a response.
fn units<L: Lanes, const N: usize>(plan: &Plan<L>, row: &[u8]) -> Option<[u64; N]> {
    let words = N / L::PER_WORD;
    let load = |bytes: &[u8]| -> Option<[u64; N]> {
        let mut units = [0; N];
        for i in 0..words {
            let mut word = u64::from_le_bytes(*bytes.get(8 * i..)?.first_chunk::<8>()?);
            if i + 1 == words {
                word = (word & plan.keep) | plan.fill;
            }
            L::split(word, i, &mut units);
        }
        Some(units)
    };
    load(row).or_else(|| {
        let mut padded = [0; 8 * MAX_UNITS / 2];
        let row = row.get(..plan.items)?;
        padded.get_mut(..row.len())?.copy_from_slice(row);
        load(&padded)
    })
}

/// The keyed lane vectors, or `None` when some lane is off the scale.
fn keyed<L: Lanes, const N: usize>(plan: &Plan<L>, units: &[u64; N]) -> Option<[u64; N]> {
    let flip = plan.flip.first_chunk::<N>()?;
    let unflip = plan.unflip.first_chunk::<N>()?;
    let mut off_scale = 0;
    let mut keyed = [0; N];
    for (((x, &u), &f), &g) in keyed.iter_mut().zip(units).zip(flip).zip(unflip) {
        off_scale |= (u.wrapping_sub(plan.below) & !u) | u.wrapping_add(plan.above) | u;
        *x = (u ^ f).wrapping_sub(g);
    }
    (off_scale & L::SIGNS == 0).then_some(keyed)
}

/// The sum of the lanes of `keyed` under `masks`: the top lane of `acc × ONES` adds up all
/// lanes, and no lower lane carries because every partial sum is at most the scope's sum.
fn sum<L: Lanes, const N: usize>(keyed: &[u64; N], masks: &[u64; N]) -> usize {
    let acc = keyed
        .iter()
        .zip(masks)
        .fold(0u64, |acc, (&x, &m)| acc.wrapping_add(x & m));
    (acc.wrapping_mul(L::ONES) >> (64 - L::BITS)) as usize
}

/// Scores a complete, on-scale response into `total` and `subscales`; false (with nothing
/// meaningful written) otherwise.
fn complete<L: Lanes, const N: usize, const S: usize>(
    plan: &Plan<L>,
    units: &[u64; N],
    total: &mut f64,
    subscales: &mut [f64],
) -> bool {
    let Some(keyed) = keyed::<L, N>(plan, units) else {
        return false;
    };
    let Some(t) = L::score(&plan.total, sum::<L, N>(&keyed, &[u64::MAX; N])) else {
        return false;
    };
    *total = t;
    // slices of a length known at compile time when `S` > 0
    let (values, scopes) = match S {
        0 => (subscales, &plan.subscales[..]),
        _ => match (
            subscales.first_chunk_mut::<S>(),
            plan.subscales.first_chunk::<S>(),
        ) {
            (Some(values), Some(scopes)) => (values.as_mut_slice(), scopes.as_slice()),
            _ => return false,
        },
    };
    for (value, scope) in values.iter_mut().zip(scopes) {
        let masks = scope.masks.first_chunk::<N>();
        match masks.and_then(|m| L::score(&scope.table, sum::<L, N>(&keyed, m))) {
            Some(v) => *value = v,
            None => return false,
        }
    }
    true
}

/// Scores a response with missing answers, each scope prorated as `score` does, and returns
/// how many items were answered; `None` when an answer is off the scale or a scope misses
/// more than the rule allows (the general path then says which). Kept out of line: few rows
/// come here, and the hot loop keeps its registers.
#[cold]
#[inline(never)]
fn prorated<L: Lanes, const N: usize>(
    plan: &Plan<L>,
    units: &[u64; N],
    total: &mut f64,
    subscales: &mut [f64],
) -> Option<u32> {
    let code = plan.missing?;
    // A lane is missing when it equals the code: exact per lane, as `t & !SIGNS` plus
    // `!SIGNS` never carries out of its lane. Missing lanes then read `min` for the range
    // test and add nothing to the sums.
    // `gone`: 1 in each missing lane, so that a scope's missing count is a lane sum too.
    let mut gone = [0; N];
    let mut filled = *units;
    for (u, g) in filled.iter_mut().zip(&mut gone) {
        let t = *u ^ code;
        let low = !L::SIGNS;
        *g = (!((t & low).wrapping_add(low) | t) & L::SIGNS) >> (L::BITS - 1);
        let lanes = g.wrapping_mul(L::LANE);
        *u = (*u & !lanes) | (plan.below & lanes);
    }
    let mut keyed = keyed::<L, N>(plan, &filled)?;
    for (x, &g) in keyed.iter_mut().zip(&gone) {
        *x &= !g.wrapping_mul(L::LANE);
    }
    let scope_value = |masks: &[u64; N], items: usize, allowed: usize, pad: usize| {
        let missing = sum::<L, N>(&gone, masks);
        let answered = items.checked_sub(missing)?;
        let sum = u32::try_from(sum::<L, N>(&keyed, masks).checked_sub(pad)?).ok()?;
        let valid = missing <= allowed && answered > 0;
        valid.then(|| value(plan.key, sum, answered, items))
    };
    let k = plan.items;
    let all = [u64::MAX; N];
    *total = scope_value(&all, k, plan.key.total_allowed, plan.total_pad)?;
    for (value, scope) in subscales.iter_mut().zip(&plan.subscales) {
        let masks = scope.masks.first_chunk::<N>()?;
        *value = scope_value(masks, scope.items, scope.allowed, 0)?;
    }
    u32::try_from(k - sum::<L, N>(&gone, &all)).ok()
}
