//! What the service derives from an instrument: the monitor's rules for its totals, and the
//! precision its messages print numbers with.
//!
//! The rules are the library's [`MonitorConfig::for_instrument`]: each takes its numbers from
//! what the instrument publishes (norm SD, reliability, a "below" cutoff) and says which
//! (`GET /instruments` lists the basis of every rule). Changing them changes the
//! configuration's fingerprint: snapshots stored under the old one no longer restore, and the
//! service rebuilds such a monitor from the stored responses (see [`crate::store`]).

use alliance::monitor::{Basis, MonitorConfig};
use alliance::{Instrument, ScoringRule};

/// The monitor configuration for a series of totals on `instrument`.
///
/// # Errors
/// The library's error when a rule cannot be built from the instrument's numbers (never for a
/// catalog instrument; the tests build every one).
pub fn monitor_config(instrument: &Instrument) -> Result<MonitorConfig, alliance::Error> {
    MonitorConfig::for_instrument(instrument).map(|d| d.config)
}

/// The basis of every rule [`monitor_config`] sets, or why a rule is off.
///
/// # Errors
/// As [`monitor_config`].
pub fn monitor_basis(instrument: &Instrument) -> Result<Vec<Basis>, alliance::Error> {
    MonitorConfig::for_instrument(instrument).map(|d| d.basis)
}

/// The decimals the instrument's totals are worth printing with, for [`Event::message`]: the
/// decimals of its scale's step (0 for whole points, 1 for a line read to 0.1), at least 1 for
/// a mean, 2 for a continuous scale.
///
/// [`Event::message`]: alliance::monitor::Event::message
pub fn precision(instrument: &Instrument) -> usize {
    let step = instrument.scale().step().map_or(2, decimals);
    match instrument.scoring() {
        ScoringRule::Sum => step,
        ScoringRule::Mean => step.max(1),
    }
}

/// The fewest decimals (at most 6) that write `x` exactly enough: 1 -> 0, 0.1 -> 1, 0.25 -> 2.
fn decimals(x: f64) -> usize {
    (0..6)
        .find(|&d| {
            let scaled = x * 10f64.powi(d);
            (scaled - scaled.round()).abs() <= 1e-9 * scaled.abs().max(1.0)
        })
        .map_or(6, |d| d.unsigned_abs() as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alliance::catalog;

    #[test]
    fn every_catalog_instrument_has_a_config_and_its_basis() {
        for instrument in catalog::all() {
            let config = monitor_config(&instrument).unwrap();
            assert!(config.ruptures().is_some(), "{}", instrument.id());
            assert_eq!(
                config.pcoms().is_some(),
                !instrument.cutoffs().is_empty(),
                "{}",
                instrument.id()
            );
            assert!(!monitor_basis(&instrument).unwrap().is_empty());
        }
    }

    #[test]
    fn precision_follows_step_and_scoring() {
        assert_eq!(precision(&catalog::session_scale()), 1); // 0.1 steps, summed
        assert_eq!(precision(&catalog::haq_ii()), 0); // whole points, summed
        assert_eq!(precision(&catalog::wai_sr()), 1); // a mean
        assert_eq!(precision(&catalog::arm_5()), 1);
        assert_eq!(precision(&catalog::checkin()), 1);
        assert_eq!((decimals(1.0), decimals(0.1), decimals(0.25)), (0, 1, 2));
    }
}
