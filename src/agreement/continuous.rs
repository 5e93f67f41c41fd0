//! Helpers shared by the two-rater continuous methods (concordance, Bland-Altman,
//! correlations, discrepancy): the minimum-pairs check. Their paired moments are
//! [`crate::stats::PairedMoments`].

use crate::error::{Error, Result};
use crate::paired::Paired;

/// Checks that `paired` has at least `needed` complete pairs for `statistic` (the values
/// themselves were validated when the [`Paired`] was built).
pub(crate) fn check_pairs(paired: &Paired, needed: usize, statistic: &'static str) -> Result<()> {
    if paired.n() < needed {
        return Err(Error::TooFewPairs {
            statistic,
            needed,
            found: paired.n(),
        });
    }
    Ok(())
}
