//! Internal consistency: Cronbach's alpha (listwise or pairwise) and item analysis.

use alliance::reliability::{self, FeldtN, PairwiseOptions};
use numpy::PyReadonlyArray2;
use pyo3::prelude::*;

use crate::convert::{self, level, slice2, snake};
use crate::errors::{self, IntoPyResult};
use crate::results::{Reasons, result_class};

result_class! {
    /// Cronbach's alpha with its Feldt interval.
    CronbachAlpha as "CronbachAlpha" {
        /// Raw alpha, or `None` (see `reason`).
        coefficient: Option<f64>,
        /// Standardized alpha (from the correlation matrix).
        standardized: Option<f64>,
        /// Feldt interval `(lower, upper)`.
        ci: Option<(f64, f64)>,
        /// Its level.
        level: f64,
        /// `feldt`.
        ci_method: String,
        /// Respondents the interval rests on.
        ci_n: usize,
        /// Respondents used.
        n: usize,
        /// Respondents dropped (listwise) for a missing answer.
        dropped: usize,
        /// Items.
        items: usize,
        /// `listwise` or `pairwise`.
        missing: String,
        /// The implementation matched.
        reference: String,
        /// Why the coefficient is undefined, or `None`.
        reason: Option<String>,
        /// Why each undefined quantity is undefined.
        reasons: std::collections::BTreeMap<String, String>,
    }
}

impl CronbachAlpha {
    /// The binding's form of the crate's result.
    fn of(a: &reliability::CronbachAlpha, level: f64) -> CronbachAlpha {
        let mut r = Reasons::default();
        CronbachAlpha {
            coefficient: r.value("coefficient", a.coefficient),
            standardized: r.value("standardized", a.standardized),
            ci: r.interval("ci", a.ci),
            level,
            ci_method: snake(a.ci_method),
            ci_n: a.ci_n,
            n: a.n,
            dropped: a.dropped,
            items: a.items,
            missing: snake(a.missing),
            reference: a.reference.to_owned(),
            reason: r.of("coefficient"),
            reasons: r.into_map(),
        }
    }
}

/// Cronbach's alpha of a respondents x items matrix (NaN = missing): listwise deletion, or
/// pairwise (`missing = "pairwise"`, with `feldt_n` choosing the interval's n).
#[pyfunction]
#[pyo3(signature = (items, missing = "listwise", feldt_n = "smallest_pairwise", confidence = 0.95))]
pub fn cronbach_alpha(
    py: Python<'_>,
    items: PyReadonlyArray2<'_, f64>,
    missing: &str,
    feldt_n: &str,
    confidence: f64,
) -> PyResult<CronbachAlpha> {
    let (values, rows, columns) = slice2(py, &items, "items")?;
    let lvl = level(py, confidence)?;
    let feldt = match feldt_n {
        "smallest_pairwise" => FeldtN::SmallestPairwise,
        "all_respondents" => FeldtN::AllRespondents,
        other => {
            return Err(errors::input(
                py,
                "input_option",
                format!("feldt_n is '{other}', not 'smallest_pairwise' or 'all_respondents'"),
            ));
        }
    };
    let pairwise = match missing {
        "listwise" => false,
        "pairwise" => true,
        other => {
            return Err(errors::input(
                py,
                "input_option",
                format!("missing is '{other}', not 'listwise' or 'pairwise'"),
            ));
        }
    };
    let a = py
        .detach(|| {
            let r = convert::ratings(values, rows, columns)?;
            if pairwise {
                let options = PairwiseOptions::default().with_feldt_n(feldt);
                reliability::cronbach_alpha_pairwise(&r, lvl, options)
            } else {
                reliability::cronbach_alpha(&r, lvl)
            }
        })
        .py(py)?;
    Ok(CronbachAlpha::of(&a, confidence))
}

result_class! {
    /// One item's statistics in an item analysis.
    ItemStatistics as "ItemStatistics" {
        /// 0-based column of the item.
        item: usize,
        /// Item mean.
        mean: Option<f64>,
        /// Item SD (n - 1).
        sd: Option<f64>,
        /// Alpha with the item left out.
        alpha_if_deleted: Option<f64>,
        /// Correlation of the item with the total of the other items.
        corrected_item_total: Option<f64>,
        /// Why each undefined quantity is undefined.
        reasons: std::collections::BTreeMap<String, String>,
    }
}

result_class! {
    /// Cronbach's alpha and per-item statistics (listwise).
    ItemAnalysis as "ItemAnalysis" {
        /// Alpha of all items.
        alpha: CronbachAlpha,
        /// One entry per item, in column order.
        items: Vec<ItemStatistics>,
    }
}

/// Item analysis of a respondents x items matrix (NaN = missing, listwise).
#[pyfunction]
#[pyo3(signature = (items, confidence = 0.95))]
pub fn item_analysis(
    py: Python<'_>,
    items: PyReadonlyArray2<'_, f64>,
    confidence: f64,
) -> PyResult<ItemAnalysis> {
    let (values, rows, columns) = slice2(py, &items, "items")?;
    let lvl = level(py, confidence)?;
    let a = py
        .detach(|| reliability::item_analysis(&convert::ratings(values, rows, columns)?, lvl))
        .py(py)?;
    Ok(ItemAnalysis {
        alpha: CronbachAlpha::of(&a.alpha, confidence),
        items: a
            .items
            .iter()
            .map(|s| {
                let mut r = Reasons::default();
                ItemStatistics {
                    item: s.item,
                    mean: r.value("mean", s.mean),
                    sd: r.value("sd", s.sd),
                    alpha_if_deleted: r.value("alpha_if_deleted", s.alpha_if_deleted),
                    corrected_item_total: r.value("corrected_item_total", s.corrected_item_total),
                    reasons: r.into_map(),
                }
            })
            .collect(),
    })
}
