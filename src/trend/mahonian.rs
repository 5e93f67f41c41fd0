//! The exact null distribution of Mann-Kendall's S for untied series: a fast kernel (a table of
//! lower-tail probabilities built once) beside the plain reference it is tested against.
//!
//! **What it computes.** Without ties, S = N − 2Q where N = n(n − 1)/2 and Q is the number of
//! discordant pairs, i.e. the number of inversions of the permutation that orders the scores.
//! Under no trend every permutation is equally likely, so P(Q = k) = `M_n(k)` / n!, where the
//! Mahonian number `M_n(k)` counts the permutations of n items with k inversions (OEIS
//! A008302). The two-sided p-value is 2 P(Q ≤ min(Q, N − Q)), capped at 1 (the distribution
//! is symmetric).
//!
//! **Why it is correct.** Inserting item j into a permutation of j − 1 items adds 0 to j − 1
//! inversions, one way each, so `M_j(k) = Σ_{i=0}^{j−1} M_{j−1}(k − i)`, which as a running sum
//! is `M_j(k) = M_j(k − 1) + M_{j−1}(k) − M_{j−1}(k − j)`. Entry k of row j depends only on
//! entries ≤ k of row j − 1, so the lower half of each row (k ≤ N/2, all a two-sided p needs)
//! is computed from the lower half of the previous one. The counts are exact integers up to
//! n = 34 (n! < 2^128; in u64 up to n = 20); from 35 to [`EXACT_MAX_N`] in f64, where the counts
//! increase with k on the lower tail, so the subtraction loses little.
//!
//! **The kernel.** [`exact_p`] reads `table[n][q]` = P(Q ≤ q), the prefix sums of every row up
//! to n = [`EXACT_MAX_N`] from one run of the recursion, built once on first use. The plain
//! reference, [`reference::lower_tail`], runs the recursion for one n and sums the tail for
//! one q; the tests require the table to equal it bit for bit, and the recursion itself to
//! equal a count of inversions over every permutation for small n (and scipy's exact p and
//! exact rational arithmetic in `tests/trend_stats.rs`).

/// Series up to this length, without ties, get the exact p-value (as R's `cor.test`); above
/// it the normal approximation is accurate and the table would grow as n³.
pub(crate) const EXACT_MAX_N: usize = 49;

/// Exact two-sided p-value of S for n untied values with `discordant` discordant pairs:
/// 2 P(Q ≤ min(Q, N − Q)) under a uniformly random permutation, capped at 1. `None` when n is
/// outside 2..=[`EXACT_MAX_N`].
pub(crate) fn exact_p(n: usize, discordant: u64) -> Option<f64> {
    if !(2..=EXACT_MAX_N).contains(&n) {
        return None;
    }
    let total = (n as u64) * (n as u64 - 1) / 2;
    let q = discordant.min(total - discordant);
    if 2 * q == total {
        return Some(1.0);
    }
    let p = exact_table().get(n)?.get(q as usize)?;
    Some((2.0 * p).min(1.0))
}

/// `table[n][q]` = P(Q ≤ q) for q ≤ N/2, n ≤ [`EXACT_MAX_N`], built once on first use.
///
/// Each row is bit-identical to [`reference::lower_tail`]: the recursion's entry k depends
/// only on entries ≤ k of the previous row, and the tail is summed in the same order, so the
/// prefix sums of one recursion run give every q at once.
fn exact_table() -> &'static [Vec<f64>] {
    static TABLE: std::sync::OnceLock<Vec<Vec<f64>>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = vec![Vec::new(); EXACT_MAX_N + 1];
        mahonian_rows::<u64>(2, 20, &mut |j, row, all| {
            table[j] = prefix_p(row, all, |v| v as f64);
        });
        mahonian_rows::<u128>(21, 34, &mut |j, row, all| {
            table[j] = prefix_p(row, all, |v| v as f64);
        });
        mahonian_rows::<f64>(35, EXACT_MAX_N, &mut |j, row, all| {
            table[j] = prefix_p(row, all, |v| v);
        });
        table
    })
}

/// Prefix sums of `row` (in order) as probabilities `tail / all`, both converted by `to_f64`.
fn prefix_p<T: Count>(row: &[T], all: T, to_f64: impl Fn(T) -> f64) -> Vec<f64> {
    let all = to_f64(all);
    let mut acc = T::ZERO;
    row.iter()
        .map(|&v| {
            acc = acc + v;
            to_f64(acc) / all
        })
        .collect()
}

/// Runs the Mahonian recursion from 1 item to `last`, handing rows `first..=last` (entries
/// k ≤ `N_j`/2) and j! to `keep`.
fn mahonian_rows<T: Count>(first: usize, last: usize, keep: &mut dyn FnMut(usize, &[T], T)) {
    let q = last * (last - 1) / 4;
    let mut old = vec![T::ZERO; q + 1];
    let mut new = vec![T::ZERO; q + 1];
    old[0] = T::ONE;
    let mut factorial = T::ONE;
    for j in 2..=last {
        let mut run = T::ZERO;
        let split = j.min(q + 1);
        for k in 0..split {
            run = run + old[k];
            new[k] = run;
        }
        for k in split..=q {
            run = run + old[k] - old[k - j];
            new[k] = run;
        }
        std::mem::swap(&mut old, &mut new);
        factorial = factorial.times(j);
        if j >= first {
            keep(j, &old[..=j * (j - 1) / 4], factorial);
        }
    }
}

/// Numbers that can hold Mahonian counts.
trait Count: Copy + std::ops::Add<Output = Self> + std::ops::Sub<Output = Self> {
    const ZERO: Self;
    const ONE: Self;
    fn times(self, j: usize) -> Self;
}

impl Count for u64 {
    const ZERO: Self = 0;
    const ONE: Self = 1;
    fn times(self, j: usize) -> Self {
        self * j as u64
    }
}

impl Count for u128 {
    const ZERO: Self = 0;
    const ONE: Self = 1;
    fn times(self, j: usize) -> Self {
        self * j as u128
    }
}

impl Count for f64 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    fn times(self, j: usize) -> Self {
        self * j as f64
    }
}

/// The plain reference: one n, one q, no table.
#[cfg(test)]
mod reference {
    use super::{Count, mahonian_rows};

    /// One-sided exact lower-tail probability P(Q ≤ q) for n untied values, summed directly
    /// for this n and q from one row of the recursion.
    pub(super) fn lower_tail(n: usize, q: usize) -> f64 {
        if n <= 20 {
            let (tail, all) = tail_and_factorial::<u64>(n, q);
            tail as f64 / all as f64
        } else if n <= 34 {
            let (tail, all) = tail_and_factorial::<u128>(n, q);
            tail as f64 / all as f64
        } else {
            let (tail, all) = tail_and_factorial::<f64>(n, q);
            tail / all
        }
    }

    /// `(Σ_{k ≤ q} M_n(k), n!)`, q ≤ n(n − 1)/4.
    fn tail_and_factorial<T: Count>(n: usize, q: usize) -> (T, T) {
        let mut found = (T::ZERO, T::ONE);
        mahonian_rows::<T>(n, n, &mut |_, row, all| {
            found = (row[..=q].iter().fold(T::ZERO, |acc, &v| acc + v), all);
        });
        found
    }

    /// `M_n(k)` for every k, by counting the inversions of every permutation of n items
    /// (Heap's algorithm): the definition itself, for small n.
    pub(super) fn by_enumeration(n: usize) -> Vec<u64> {
        let mut counts = vec![0u64; n * (n - 1) / 2 + 1];
        let mut a: Vec<usize> = (0..n).collect();
        let mut c = vec![0usize; n];
        let inversions = |a: &[usize]| {
            let mut k = 0;
            for i in 0..a.len() {
                for j in i + 1..a.len() {
                    k += usize::from(a[j] < a[i]);
                }
            }
            k
        };
        counts[inversions(&a)] += 1;
        let mut i = 0;
        while i < n {
            if c[i] < i {
                if i % 2 == 0 {
                    a.swap(0, i);
                } else {
                    a.swap(c[i], i);
                }
                counts[inversions(&a)] += 1;
                c[i] += 1;
                i = 0;
            } else {
                c[i] = 0;
                i += 1;
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cached table gives bit-for-bit the p-values of the direct recursion.
    #[test]
    fn exact_table_matches_direct_recursion() {
        let table = exact_table();
        assert_eq!(table.len(), EXACT_MAX_N + 1);
        for (n, row) in table.iter().enumerate().skip(2) {
            let half = n * (n - 1) / 4;
            assert_eq!(row.len(), half + 1, "n = {n}");
            for (q, p) in row.iter().enumerate() {
                assert_eq!(
                    p.to_bits(),
                    reference::lower_tail(n, q).to_bits(),
                    "n = {n}, q = {q}"
                );
            }
        }
    }

    /// The recursion's rows equal the inversion counts of every permutation (n ≤ 8).
    #[test]
    fn recursion_counts_inversions_of_every_permutation() {
        for n in 2..=8 {
            let all = reference::by_enumeration(n);
            let mut rows = Vec::new();
            mahonian_rows::<u64>(n, n, &mut |_, row, factorial| {
                rows = row.to_vec();
                assert_eq!(factorial, all.iter().sum::<u64>(), "n = {n}");
            });
            assert_eq!(rows[..], all[..rows.len()], "n = {n}");
        }
    }

    /// Outside `2..=EXACT_MAX_N` there is no exact p.
    #[test]
    fn no_exact_p_outside_the_table() {
        assert_eq!(exact_p(EXACT_MAX_N + 1, 0), None);
        assert_eq!(exact_p(1, 0), None);
        assert_eq!(exact_p(2, 0), Some(1.0));
    }
}
