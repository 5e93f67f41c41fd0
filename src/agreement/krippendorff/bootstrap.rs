//! A deterministic, seeded unit bootstrap for Krippendorff's alpha.

use super::{Bootstrap, Metric, alpha_parts, present};
use crate::interval::Interval;
use crate::outcome::{Outcome, Undefined};
use crate::ratings::Ratings;

pub(super) fn bootstrap_interval(
    ratings: &Ratings,
    metric: Metric,
    b: Bootstrap,
) -> (Outcome<Interval>, usize) {
    let units: Vec<&[f64]> = ratings
        .rows_raw()
        .filter(|u| present(u).nth(1).is_some())
        .collect();
    let mut rng = crate::stats::SplitMix64::new(b.seed);
    let mut picks: Vec<usize> = vec![0; units.len()];
    let mut alphas: Vec<f64> = Vec::with_capacity(b.replicates);
    let mut undefined = 0;
    for _ in 0..b.replicates {
        for p in picks.iter_mut() {
            *p = rng.below(units.len() as u64) as usize;
        }
        let resample = picks.iter().filter_map(|&i| units.get(i).copied());
        match alpha_parts(resample, metric, None) {
            Ok(parts) => alphas.push(parts.alpha()),
            Err(_) => undefined += 1,
        }
    }
    if alphas.len() < 2 {
        return (Outcome::Undefined(Undefined::TooFewObservations), undefined);
    }
    alphas.sort_unstable_by(f64::total_cmp);
    let tail = b.level.tail();
    match (percentile(&alphas, tail), percentile(&alphas, 1.0 - tail)) {
        (Some(lower), Some(upper)) => (
            Outcome::Defined(Interval::new(lower, upper, b.level)),
            undefined,
        ),
        _ => (Outcome::Undefined(Undefined::TooFewObservations), undefined),
    }
}

/// Linear interpolation between order statistics (numpy's default, R type 7); `None` for an
/// empty slice.
fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let h = last as f64 * p;
    let lo = (h.floor() as usize).min(last);
    let hi = (lo + 1).min(last);
    let (a, b) = (*sorted.get(lo)?, *sorted.get(hi)?);
    Some(a + (h - lo as f64) * (b - a))
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn percentile_interpolates() {
        let xs = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(percentile(&xs, 0.5), Some(3.0));
        assert_eq!(percentile(&xs, 0.125), Some(1.5));
        assert_eq!(percentile(&xs, 1.0), Some(5.0));
        assert_eq!(percentile(&[], 0.5), None);
    }
}
