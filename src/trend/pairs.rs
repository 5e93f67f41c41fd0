//! Pair counting in O(n log n): inversions and ties by merge sort (Knight 1966).
//!
//! Shared by Mann-Kendall (S from discordant and tied pairs) and Sen's slope (how many
//! pairwise slopes lie below a threshold, and the tie-corrected Var(S) of its interval).

/// Below this length a run is sorted by insertion (which counts its own inversions).
const RUN: usize = 12;

/// Sorts `v` ascending and returns the number of strict inversions, pairs i < j with
/// v[i] > v[j]. Equal values are never counted. `buf` is scratch space.
pub(crate) fn sort_count_inversions(v: &mut [f64], buf: &mut Vec<f64>) -> u64 {
    sort_count(v, buf, |a, b| a < b)
}

/// Sorts `v` by `before` (a strict total order: `before(a, b)` when a goes first) and returns
/// the number of pairs it reverses, i < j with v[j] going before v[i]. `buf` is scratch space.
pub(crate) fn sort_count<T: Copy>(
    v: &mut [T],
    buf: &mut Vec<T>,
    before: impl Fn(&T, &T) -> bool + Copy,
) -> u64 {
    let n = v.len();
    let mut count = 0u64;
    for chunk in v.chunks_mut(RUN) {
        for i in 1..chunk.len() {
            let x = chunk[i];
            let mut j = i;
            while j > 0 && before(&x, &chunk[j - 1]) {
                chunk[j] = chunk[j - 1];
                j -= 1;
            }
            count += (i - j) as u64;
            chunk[j] = x;
        }
    }
    if n <= RUN {
        return count;
    }
    buf.clear();
    buf.extend_from_slice(v);
    let mut width = RUN;
    let mut src_is_v = true;
    while width < n {
        {
            let (src, dst): (&[T], &mut [T]) = if src_is_v {
                (&*v, &mut buf[..])
            } else {
                (&buf[..], &mut *v)
            };
            let mut start = 0;
            while start < n {
                let mid = (start + width).min(n);
                let end = (start + 2 * width).min(n);
                count += merge(
                    &src[start..mid],
                    &src[mid..end],
                    &mut dst[start..end],
                    before,
                );
                start = end;
            }
        }
        src_is_v = !src_is_v;
        width *= 2;
    }
    if !src_is_v {
        v.copy_from_slice(&buf[..n]);
    }
    count
}

/// Merges two sorted runs, counting pairs (right element before left element). Branch-free in
/// the loop (selects instead of jumps), since on shuffled data the comparison is a coin toss.
fn merge<T: Copy>(left: &[T], right: &[T], out: &mut [T], before: impl Fn(&T, &T) -> bool) -> u64 {
    let (mut i, mut j, mut k) = (0, 0, 0);
    let mut count = 0u64;
    let (nl, nr) = (left.len(), right.len());
    while i < nl && j < nr {
        let (a, b) = (left[i], right[j]);
        let take_right = before(&b, &a);
        out[k] = if take_right { b } else { a };
        count += u64::from(take_right) * (nl - i) as u64;
        j += usize::from(take_right);
        i += usize::from(!take_right);
        k += 1;
    }
    out[k..k + nl - i].copy_from_slice(&left[i..]);
    let k = k + nl - i;
    out[k..].copy_from_slice(&right[j..]);
    count
}

/// Tie structure of sorted values.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Ties {
    /// Pairs of equal values, Σ t(t − 1)/2.
    pub(crate) pairs: u64,
    /// Number of groups of two or more equal values.
    pub(crate) groups: usize,
    /// Number of values that belong to such a group.
    pub(crate) tied_values: usize,
    /// Σ t(t − 1)(2t + 5) over groups, for the variance of S.
    pub(crate) variance_term: u128,
}

/// Tie groups of an ascending slice.
#[allow(clippy::float_cmp)] // a tie is exact equality, as in the comparisons that count S
pub(crate) fn ties(sorted: &[f64]) -> Ties {
    let mut out = Ties::default();
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i + 1;
        while j < sorted.len() && sorted[j] == sorted[i] {
            j += 1;
        }
        let t = (j - i) as u64;
        if t > 1 {
            out.pairs += t * (t - 1) / 2;
            out.groups += 1;
            out.tied_values += t as usize;
            let t = u128::from(t);
            out.variance_term += t * (t - 1) * (2 * t + 5);
        }
        i = j;
    }
    out
}

/// Var(S) of Mann-Kendall's S under no trend, tie-corrected, from the values in ascending
/// order: `[n(n − 1)(2n + 5) − Σ_g t_g(t_g − 1)(2t_g + 5)] / 18` (shared by Mann-Kendall and
/// Sen's interval, so neither module imports the other's).
pub(crate) fn var_s_sorted(sorted: &[f64]) -> f64 {
    var_s(sorted.len(), &ties(sorted))
}

/// Var(S) of n values with these ties.
pub(crate) fn var_s(n: usize, ties: &Ties) -> f64 {
    let n = n as u128;
    (n * n.saturating_sub(1) * (2 * n + 5) - ties.variance_term) as f64 / 18.0
}

/// Pairs i < j with v[j] < v[i] (discordant) and with v[j] == v[i] (tied), by the direct
/// O(n²) definition; faster than merge sort for short series.
#[allow(clippy::float_cmp)] // a tie is exact equality
pub(crate) fn direct_counts(v: &[f64]) -> (u64, u64) {
    let mut discordant = 0u64;
    let mut tied = 0u64;
    for (i, &a) in v.iter().enumerate() {
        for &b in &v[i + 1..] {
            discordant += u64::from(b < a);
            tied += u64::from(b == a);
        }
    }
    (discordant, tied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_sort_count_matches_direct() {
        let mut state = 12345u64;
        for n in [0usize, 1, 2, 5, 31, 32, 33, 64, 100, 257, 1000] {
            let v: Vec<f64> = (0..n)
                .map(|_| {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                    ((state >> 33) % 17) as f64
                })
                .collect();
            let (d, t) = direct_counts(&v);
            let mut w = v.clone();
            let mut buf = Vec::new();
            let c = sort_count_inversions(&mut w, &mut buf);
            assert_eq!(c, d, "n = {n}");
            assert!(w.windows(2).all(|p| p[0] <= p[1]));
            assert_eq!(ties(&w).pairs, t);
        }
    }
}
