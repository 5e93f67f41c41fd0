//! The catalog as `GET /instruments` gives it: each instrument's definition as the library
//! serializes it (id, version, name, source, licence, scale, item count, reversed items,
//! subscales, element map, scoring and missing-data rules, cutoffs, norms), with its key hash,
//! its total's range, the precision the service prints its totals with, and the basis of its
//! monitor's rules.

use crate::config::{monitor_basis, precision};
use alliance::monitor::Basis;
use alliance::{Instrument, Registry, ScoreRange};

/// One instrument of the catalog.
#[derive(Debug, serde::Serialize)]
pub struct CatalogEntry<'a> {
    /// The definition, as the library serializes it.
    #[serde(flatten)]
    pub instrument: &'a Instrument,
    /// The key hash that data names it by.
    pub key_hash: String,
    /// The lowest and highest total, in its native metric.
    pub total_range: ScoreRange,
    /// Decimals of the numbers in the monitor's messages.
    pub precision: usize,
    /// Each monitor rule's number and where it comes from, or why the rule is off.
    pub monitor: Vec<Basis>,
}

/// The catalog's JSON: `{"instruments": [...]}`, in the catalog's order.
///
/// # Errors
/// Never in practice (a definition holds only text and finite numbers); a serialization error
/// otherwise.
pub fn catalog_json(registry: &Registry) -> Result<String, serde_json::Error> {
    #[derive(serde::Serialize)]
    struct Body<'a> {
        instruments: Vec<CatalogEntry<'a>>,
    }
    let instruments = alliance::catalog::all();
    let entries = instruments
        .iter()
        .filter_map(|i| registry.get(i.id(), i.version()))
        .map(|instrument| CatalogEntry {
            instrument,
            key_hash: instrument.key_hash(),
            total_range: instrument.total_range(),
            precision: precision(instrument),
            // a catalog instrument always has a configuration (tested in config.rs)
            monitor: monitor_basis(instrument).unwrap_or_default(),
        })
        .collect();
    serde_json::to_string(&Body {
        instruments: entries,
    })
}
