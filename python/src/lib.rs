//! `alliance._alliance`: the Python extension module of the `alliance` crate (`PyO3`).
//!
//! A thin binding: each function converts its numpy arrays (read in place) and options,
//! calls the crate with the GIL released, and converts the result into a frozen Python
//! class (`results`). Nothing here computes a statistic. The Python package `alliance`
//! (`python/alliance/`) wraps these functions for pandas and documents them; the Python
//! tests (`python/tests/`) exercise them.

mod agreement;
mod convert;
mod errors;
mod monitor;
mod reliability;
mod results;
mod scoring;
mod trend;

use pyo3::prelude::*;

/// The extension module.
#[pymodule]
fn _alliance(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(agreement::icc_table, m)?)?;
    m.add_function(wrap_pyfunction!(agreement::cohen_kappa, m)?)?;
    m.add_function(wrap_pyfunction!(agreement::cohen_kappa_table, m)?)?;
    m.add_function(wrap_pyfunction!(agreement::multi_rater, m)?)?;
    m.add_function(wrap_pyfunction!(agreement::krippendorff_alpha, m)?)?;
    m.add_function(wrap_pyfunction!(agreement::concordance, m)?)?;
    m.add_function(wrap_pyfunction!(agreement::bland_altman, m)?)?;
    m.add_function(wrap_pyfunction!(agreement::correlation, m)?)?;
    m.add_function(wrap_pyfunction!(reliability::cronbach_alpha, m)?)?;
    m.add_function(wrap_pyfunction!(reliability::item_analysis, m)?)?;
    m.add_function(wrap_pyfunction!(trend::ols_trend, m)?)?;
    m.add_function(wrap_pyfunction!(trend::mann_kendall, m)?)?;
    m.add_function(wrap_pyfunction!(trend::mann_kendall_hamed_rao, m)?)?;
    m.add_function(wrap_pyfunction!(trend::sen_slope, m)?)?;
    m.add_function(wrap_pyfunction!(trend::mann_kendall_sen_batch, m)?)?;
    m.add_function(wrap_pyfunction!(trend::reliable_change, m)?)?;
    m.add_function(wrap_pyfunction!(trend::ruptures, m)?)?;
    m.add_function(wrap_pyfunction!(trend::sudden_drops, m)?)?;
    m.add_function(wrap_pyfunction!(scoring::score_matrix, m)?)?;
    m.add_function(wrap_pyfunction!(scoring::instruments, m)?)?;
    m.add_function(wrap_pyfunction!(scoring::sample_caseload, m)?)?;
    m.add_class::<agreement::Icc>()?;
    m.add_class::<agreement::CohenKappa>()?;
    m.add_class::<agreement::MultiRaterAgreement>()?;
    m.add_class::<agreement::Krippendorff>()?;
    m.add_class::<agreement::Concordance>()?;
    m.add_class::<agreement::BlandAltman>()?;
    m.add_class::<agreement::Correlation>()?;
    m.add_class::<reliability::CronbachAlpha>()?;
    m.add_class::<reliability::ItemStatistics>()?;
    m.add_class::<reliability::ItemAnalysis>()?;
    m.add_class::<trend::OlsTrend>()?;
    m.add_class::<trend::MannKendall>()?;
    m.add_class::<trend::HamedRao>()?;
    m.add_class::<trend::SenSlope>()?;
    m.add_class::<trend::ReliableChange>()?;
    m.add_class::<trend::Rupture>()?;
    m.add_class::<trend::Ruptures>()?;
    m.add_class::<trend::SuddenDrop>()?;
    m.add_class::<trend::SuddenDrops>()?;
    m.add_class::<monitor::Monitor>()?;
    Ok(())
}
