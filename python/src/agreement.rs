//! Agreement between raters: ICC (all six forms), Cohen's kappa, Fleiss' kappa, Gwet's
//! AC1/AC2, Brennan-Prediger, Krippendorff's alpha, Lin's CCC, Bland-Altman, Pearson and
//! Spearman. Each function converts its arrays, calls the crate with the GIL released, and
//! converts the result back.

use alliance::agreement::{
    self, Bootstrap, Categories, ContingencyTable, IccForm, LimitMultiplier, Metric,
    MultiRaterAgreement as CrateMulti, WeightMatrix, Weighting,
};
use numpy::{PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;

use crate::convert::{self, level, slice1, slice2, snake};
use crate::errors::{self, IntoPyResult};
use crate::results::{Reasons, result_class};

result_class! {
    /// One ICC form, as one row of `alliance.icc`'s table.
    Icc as "Icc" {
        /// pingouin's label: `ICC(1,1)`, `ICC(A,1)`, `ICC(C,1)`, `ICC(1,k)`, `ICC(A,k)`, `ICC(C,k)`.
        label: String,
        /// The McGraw-Wong name, e.g. `ICC(A,1)` (`ICC(1)` for the one-way single form).
        name: String,
        /// The Shrout-Fleiss name, e.g. `ICC(2,1)`.
        shrout_fleiss: String,
        /// `one_way`, `two_way_agreement` or `two_way_consistency`.
        form: String,
        /// `single` or `average`.
        unit: String,
        /// The coefficient, or `None` (see `reason`).
        coefficient: Option<f64>,
        /// F statistic of H0: ICC = 0.
        f: Option<f64>,
        /// Numerator degrees of freedom.
        df1: f64,
        /// Denominator degrees of freedom.
        df2: f64,
        /// Upper-tail p of the F test.
        p: Option<f64>,
        /// `f`.
        p_method: String,
        /// Confidence interval `(lower, upper)`.
        ci: Option<(f64, f64)>,
        /// Its level.
        level: f64,
        /// `exact_f` or `satterthwaite_f`.
        ci_method: String,
        /// Mean square between targets.
        ms_rows: f64,
        /// Mean square between raters.
        ms_columns: f64,
        /// Residual mean square.
        ms_error: f64,
        /// Within-target mean square.
        ms_within: f64,
        /// Targets used (complete).
        n: usize,
        /// Targets dropped for a missing rating.
        dropped: usize,
        /// Raters.
        raters: usize,
        /// `listwise`.
        missing: String,
        /// The implementation matched.
        reference: String,
        /// Why the coefficient is undefined, or `None`.
        reason: Option<String>,
        /// Why each undefined quantity is undefined.
        reasons: std::collections::BTreeMap<String, String>,
    }
}

impl Icc {
    /// The binding's form of one crate ICC.
    fn of(i: &agreement::Icc, level: f64) -> Icc {
        let mut r = Reasons::default();
        let coefficient = r.value("coefficient", i.coefficient);
        let f = r.value("f", i.f);
        let p = r.value("p", i.p);
        let ci = r.interval("ci", i.ci);
        let label = if i.form == IccForm::OneWay {
            i.shrout_fleiss
        } else {
            i.name
        };
        Icc {
            label: label.to_owned(),
            name: i.name.to_owned(),
            shrout_fleiss: i.shrout_fleiss.to_owned(),
            form: snake(i.form),
            unit: snake(i.unit),
            coefficient,
            f,
            df1: i.df1,
            df2: i.df2,
            p,
            p_method: snake(i.p_method),
            ci,
            level,
            ci_method: snake(i.ci_method),
            ms_rows: i.mean_squares.rows,
            ms_columns: i.mean_squares.columns,
            ms_error: i.mean_squares.error,
            ms_within: i.mean_squares.within,
            n: i.n,
            dropped: i.dropped,
            raters: i.raters,
            missing: snake(i.missing),
            reference: i.reference.to_owned(),
            reason: r.of("coefficient"),
            reasons: r.into_map(),
        }
    }
}

/// All six ICC forms of a targets x raters matrix (NaN = missing; targets with a missing
/// rating are dropped listwise), in the order ICC(1,1), ICC(A,1), ICC(C,1), ICC(1,k),
/// ICC(A,k), ICC(C,k).
#[pyfunction]
#[pyo3(signature = (ratings, confidence = 0.95))]
pub fn icc_table(
    py: Python<'_>,
    ratings: PyReadonlyArray2<'_, f64>,
    confidence: f64,
) -> PyResult<Vec<Icc>> {
    let (values, rows, columns) = slice2(py, &ratings, "ratings")?;
    let lvl = level(py, confidence)?;
    let table = py
        .detach(|| {
            let r = convert::ratings(values, rows, columns)?;
            agreement::icc_table(&r, lvl)
        })
        .py(py)?;
    Ok(table.all().iter().map(|i| Icc::of(i, confidence)).collect())
}

result_class! {
    /// Cohen's kappa of two raters (unweighted or weighted).
    CohenKappa as "CohenKappa" {
        /// Kappa, or `None` (see `reason`).
        coefficient: Option<f64>,
        /// Observed (weighted) agreement.
        observed_agreement: f64,
        /// Chance (weighted) agreement.
        chance_agreement: f64,
        /// Large-sample standard error (Fleiss, Cohen & Everitt 1969).
        se: Option<f64>,
        /// Standard error under kappa = 0.
        se_null: Option<f64>,
        /// z = kappa / `se_null`.
        z: Option<f64>,
        /// Two-sided p of z.
        p: Option<f64>,
        /// `normal`.
        p_method: String,
        /// Confidence interval `(lower, upper)`.
        ci: Option<(f64, f64)>,
        /// Its level.
        level: f64,
        /// `normal`.
        ci_method: String,
        /// `unweighted`, `linear`, `quadratic` or `custom`.
        weighting: String,
        /// Number of declared categories.
        categories: usize,
        /// Complete pairs used.
        n: usize,
        /// Pairs dropped for a missing rating.
        dropped: usize,
        /// `listwise`.
        missing: String,
        /// The implementation matched.
        reference: String,
        /// Why the coefficient is undefined, or `None`.
        reason: Option<String>,
        /// Why each undefined quantity is undefined.
        reasons: std::collections::BTreeMap<String, String>,
    }
}

impl CohenKappa {
    /// The binding's form of the crate's result.
    fn of(k: &agreement::CohenKappa, level: f64) -> CohenKappa {
        let mut r = Reasons::default();
        CohenKappa {
            coefficient: r.value("coefficient", k.coefficient),
            observed_agreement: k.observed_agreement,
            chance_agreement: k.chance_agreement,
            se: r.value("se", k.se),
            se_null: r.value("se_null", k.se_null),
            z: r.value("z", k.z),
            p: r.value("p", k.p),
            p_method: snake(k.p_method),
            ci: r.interval("ci", k.ci),
            level,
            ci_method: snake(k.ci_method),
            weighting: weighting_label(&k.weighting),
            categories: k.categories,
            n: k.n,
            dropped: k.dropped,
            missing: snake(k.missing),
            reference: k.reference.to_owned(),
            reason: r.of("coefficient"),
            reasons: r.into_map(),
        }
    }
}

/// `unweighted`, `linear`, `quadratic` or `custom`.
fn weighting_label(w: &Weighting) -> String {
    match w {
        Weighting::Unweighted => "unweighted",
        Weighting::Linear => "linear",
        Weighting::Quadratic => "quadratic",
        _ => "custom",
    }
    .to_owned()
}

/// The declared categories, or the distinct values observed (NaN aside), ascending.
fn categories(declared: Option<Vec<f64>>, observed: &[&[f64]]) -> alliance::Result<Categories> {
    match declared {
        Some(values) => Categories::new(values),
        None => {
            let mut values: Vec<f64> = observed
                .iter()
                .flat_map(|xs| xs.iter().copied())
                .filter(|v| !v.is_nan())
                .collect();
            values.sort_by(f64::total_cmp);
            values.dedup_by(|a, b| a.total_cmp(b).is_eq());
            Categories::new(values)
        }
    }
}

/// The weighting asked for: a name, or a custom matrix of agreement or disagreement weights.
fn weighting(
    py: Python<'_>,
    name: &str,
    matrix: Option<PyReadonlyArray2<'_, f64>>,
    kind: &str,
) -> PyResult<Weighting> {
    match (name, matrix) {
        ("unweighted" | "none", None) => Ok(Weighting::Unweighted),
        ("linear", None) => Ok(Weighting::Linear),
        ("quadratic", None) => Ok(Weighting::Quadratic),
        ("custom", Some(m)) => {
            let (values, rows, columns) = slice2(py, &m, "weights")?;
            if rows != columns {
                return Err(errors::input(
                    py,
                    "input_shape",
                    format!("a weight matrix must be square, not {rows} x {columns}"),
                ));
            }
            let matrix = match kind {
                "agreement" => WeightMatrix::agreement(rows, values.to_vec()),
                "disagreement" => WeightMatrix::disagreement(rows, values.to_vec()),
                other => {
                    return Err(errors::input(
                        py,
                        "input_option",
                        format!("weights_kind is '{other}', not 'agreement' or 'disagreement'"),
                    ));
                }
            }
            .py(py)?;
            Ok(Weighting::Custom(matrix))
        }
        (other, _) => Err(errors::input(
            py,
            "input_option",
            format!(
                "weights is '{other}', not 'unweighted', 'linear', 'quadratic' or a square matrix"
            ),
        )),
    }
}

/// Cohen's kappa of two raters' category codes (NaN = missing, pairs dropped listwise).
#[pyfunction]
#[pyo3(signature = (first, second, categories = None, weights = "unweighted", matrix = None, weights_kind = "agreement", confidence = 0.95))]
#[allow(clippy::too_many_arguments)] // mirrors the Python signature
pub fn cohen_kappa(
    py: Python<'_>,
    first: PyReadonlyArray1<'_, f64>,
    second: PyReadonlyArray1<'_, f64>,
    categories: Option<Vec<f64>>,
    weights: &str,
    matrix: Option<PyReadonlyArray2<'_, f64>>,
    weights_kind: &str,
    confidence: f64,
) -> PyResult<CohenKappa> {
    let (a, b) = (slice1(py, &first, "first")?, slice1(py, &second, "second")?);
    let w = weighting(py, weights, matrix, weights_kind)?;
    let lvl = level(py, confidence)?;
    let k = py
        .detach(|| {
            let pairs = convert::paired(a, b)?;
            let cats = self::categories(categories, &[pairs.first(), pairs.second()])?;
            agreement::cohen_kappa(&pairs, &cats, &w, lvl)
        })
        .py(py)?;
    Ok(CohenKappa::of(&k, confidence))
}

/// Cohen's kappa from a square table of counts over the declared categories.
#[pyfunction]
#[pyo3(signature = (table, categories = None, weights = "unweighted", matrix = None, weights_kind = "agreement", confidence = 0.95))]
pub fn cohen_kappa_table(
    py: Python<'_>,
    table: Vec<Vec<u64>>,
    categories: Option<Vec<f64>>,
    weights: &str,
    matrix: Option<PyReadonlyArray2<'_, f64>>,
    weights_kind: &str,
    confidence: f64,
) -> PyResult<CohenKappa> {
    let w = weighting(py, weights, matrix, weights_kind)?;
    let lvl = level(py, confidence)?;
    let k = py
        .detach(|| {
            let cats = match categories {
                Some(c) => Categories::new(c)?,
                None => {
                    let c = i32::try_from(table.len()).unwrap_or(i32::MAX);
                    Categories::range(1, c)?
                }
            };
            let t = ContingencyTable::new(cats, &table)?;
            agreement::cohen_kappa_from_table(&t, &w, lvl)
        })
        .py(py)?;
    Ok(CohenKappa::of(&k, confidence))
}

result_class! {
    /// Fleiss' kappa, Gwet's AC1/AC2 or Brennan-Prediger for two or more raters.
    MultiRaterAgreement as "MultiRaterAgreement" {
        /// `fleiss`, `gwet` or `brennan_prediger`.
        method: String,
        /// The coefficient, or `None` (see `reason`).
        coefficient: Option<f64>,
        /// Observed agreement.
        observed_agreement: Option<f64>,
        /// Chance agreement.
        chance_agreement: f64,
        /// Standard error (Gwet 2008, 2014).
        se: Option<f64>,
        /// t = coefficient / se.
        t: Option<f64>,
        /// Two-sided p of t on `df`.
        p: Option<f64>,
        /// `student_t`.
        p_method: String,
        /// Confidence interval `(lower, upper)`.
        ci: Option<(f64, f64)>,
        /// Its level.
        level: f64,
        /// How the interval was computed.
        ci_method: String,
        /// Degrees of freedom of t.
        df: f64,
        /// Standard error under no agreement (Fleiss, Nee & Landis), where it exists.
        se_null: Option<f64>,
        /// z under the null.
        z_null: Option<f64>,
        /// p under the null.
        p_null: Option<f64>,
        /// `unweighted`, `linear`, `quadratic` or `custom`.
        weighting: String,
        /// Number of declared categories.
        categories: usize,
        /// Raters.
        raters: usize,
        /// Subjects used.
        n: usize,
        /// Subjects with at least two ratings.
        pairable: usize,
        /// Subjects dropped.
        dropped: usize,
        /// `available_ratings`.
        missing: String,
        /// The implementation matched.
        reference: String,
        /// Why the coefficient is undefined, or `None`.
        reason: Option<String>,
        /// Why each undefined quantity is undefined.
        reasons: std::collections::BTreeMap<String, String>,
    }
}

impl MultiRaterAgreement {
    /// The binding's form of the crate's result.
    fn of(m: &CrateMulti, level: f64) -> MultiRaterAgreement {
        let mut r = Reasons::default();
        MultiRaterAgreement {
            method: snake(m.method),
            coefficient: r.value("coefficient", m.coefficient),
            observed_agreement: r.value("observed_agreement", m.observed_agreement),
            chance_agreement: m.chance_agreement,
            se: r.value("se", m.se),
            t: r.value("t", m.t),
            p: r.value("p", m.p),
            p_method: snake(m.p_method),
            ci: r.interval("ci", m.ci),
            level,
            ci_method: snake(m.ci_method),
            df: m.df,
            se_null: r.value("se_null", m.se_null),
            z_null: r.value("z_null", m.z_null),
            p_null: r.value("p_null", m.p_null),
            weighting: weighting_label(&m.weighting),
            categories: m.categories,
            raters: m.raters,
            n: m.n,
            pairable: m.pairable,
            dropped: m.dropped,
            missing: snake(m.missing),
            reference: m.reference.to_owned(),
            reason: r.of("coefficient"),
            reasons: r.into_map(),
        }
    }
}

/// Fleiss' kappa (`method = "fleiss"`), Gwet's AC1/AC2 (`"gwet"`) or Brennan-Prediger
/// (`"brennan_prediger"`) of a subjects x raters matrix of category codes (NaN = missing).
#[pyfunction]
#[pyo3(signature = (ratings, method, categories = None, weights = "unweighted", matrix = None, weights_kind = "agreement", confidence = 0.95))]
#[allow(clippy::too_many_arguments)] // mirrors the Python signature
pub fn multi_rater(
    py: Python<'_>,
    ratings: PyReadonlyArray2<'_, f64>,
    method: &str,
    categories: Option<Vec<f64>>,
    weights: &str,
    matrix: Option<PyReadonlyArray2<'_, f64>>,
    weights_kind: &str,
    confidence: f64,
) -> PyResult<MultiRaterAgreement> {
    let (values, rows, columns) = slice2(py, &ratings, "ratings")?;
    let w = weighting(py, weights, matrix, weights_kind)?;
    let lvl = level(py, confidence)?;
    let f = match method {
        "fleiss" => agreement::fleiss_kappa,
        "gwet" => agreement::gwet_ac,
        "brennan_prediger" => agreement::brennan_prediger,
        other => {
            return Err(errors::input(
                py,
                "input_option",
                format!("method is '{other}', not 'fleiss', 'gwet' or 'brennan_prediger'"),
            ));
        }
    };
    let m = py
        .detach(|| {
            let r = convert::ratings(values, rows, columns)?;
            let cats = self::categories(categories, &[values])?;
            f(&r, &cats, &w, lvl)
        })
        .py(py)?;
    Ok(MultiRaterAgreement::of(&m, confidence))
}

result_class! {
    /// Krippendorff's alpha.
    Krippendorff as "Krippendorff" {
        /// Alpha, or `None` (see `reason`).
        coefficient: Option<f64>,
        /// Observed disagreement `D_o`.
        observed_disagreement: Option<f64>,
        /// Expected disagreement `D_e`.
        expected_disagreement: Option<f64>,
        /// `nominal`, `ordinal`, `interval` or `ratio`.
        metric: String,
        /// Units used (pairable).
        n: usize,
        /// Pairable values.
        pairable: usize,
        /// Units dropped (fewer than two values).
        dropped: usize,
        /// `available_ratings`.
        missing: String,
        /// Bootstrap interval `(lower, upper)`; `None` unless a bootstrap was asked for.
        ci: Option<(f64, f64)>,
        /// Its level.
        level: f64,
        /// `percentile_bootstrap`.
        ci_method: String,
        /// Bootstrap replicates whose alpha was undefined.
        undefined_replicates: usize,
        /// The implementation matched.
        reference: String,
        /// Why the coefficient is undefined, or `None`.
        reason: Option<String>,
        /// Why each undefined quantity is undefined.
        reasons: std::collections::BTreeMap<String, String>,
    }
}

/// Krippendorff's alpha of a units x coders matrix (NaN = missing).
#[pyfunction]
#[pyo3(signature = (ratings, metric = "interval", bootstrap = None, seed = 0, confidence = 0.95))]
pub fn krippendorff_alpha(
    py: Python<'_>,
    ratings: PyReadonlyArray2<'_, f64>,
    metric: &str,
    bootstrap: Option<usize>,
    seed: u64,
    confidence: f64,
) -> PyResult<Krippendorff> {
    let (values, rows, columns) = slice2(py, &ratings, "ratings")?;
    let metric = match metric {
        "nominal" => Metric::Nominal,
        "ordinal" => Metric::Ordinal,
        "interval" => Metric::Interval,
        "ratio" => Metric::Ratio,
        other => {
            return Err(errors::input(
                py,
                "input_option",
                format!(
                    "level_of_measurement is '{other}', not 'nominal', 'ordinal', 'interval' or 'ratio'"
                ),
            ));
        }
    };
    let lvl = level(py, confidence)?;
    let boot = match bootstrap {
        Some(n) => Some(Bootstrap::new(n).py(py)?.with_seed(seed).with_level(lvl)),
        None => None,
    };
    let k = py
        .detach(|| {
            let r = convert::ratings(values, rows, columns)?;
            agreement::krippendorff_alpha(&r, metric, boot)
        })
        .py(py)?;
    let mut r = Reasons::default();
    Ok(Krippendorff {
        coefficient: r.value("coefficient", k.coefficient),
        observed_disagreement: r.value("observed_disagreement", k.observed_disagreement),
        expected_disagreement: r.value("expected_disagreement", k.expected_disagreement),
        metric: snake(k.metric),
        n: k.n,
        pairable: k.pairable,
        dropped: k.dropped,
        missing: snake(k.missing),
        ci: r.interval("ci", k.ci),
        level: confidence,
        ci_method: snake(k.ci_method),
        undefined_replicates: k.undefined_replicates,
        reference: k.reference.to_owned(),
        reason: r.of("coefficient"),
        reasons: r.into_map(),
    })
}

result_class! {
    /// Lin's concordance correlation coefficient.
    Concordance as "Concordance" {
        /// The CCC, or `None` (see `reason`).
        coefficient: Option<f64>,
        /// Pearson's r (precision).
        pearson_r: Option<f64>,
        /// Bias correction factor `C_b` = CCC / r (accuracy).
        bias_correction: Option<f64>,
        /// Scale shift v.
        scale_shift: Option<f64>,
        /// Location shift u.
        location_shift: Option<f64>,
        /// Standard error of the CCC (Lin 2000).
        se: Option<f64>,
        /// Standard error on Fisher's z scale.
        se_z: Option<f64>,
        /// Fisher-z interval `(lower, upper)`.
        ci: Option<(f64, f64)>,
        /// Its level.
        level: f64,
        /// `fisher_z`.
        ci_method: String,
        /// Asymptotic (untransformed) interval.
        ci_asymptotic: Option<(f64, f64)>,
        /// Complete pairs used.
        n: usize,
        /// Pairs dropped for a missing value.
        dropped: usize,
        /// `listwise`.
        missing: String,
        /// The implementation matched.
        reference: String,
        /// Why the coefficient is undefined, or `None`.
        reason: Option<String>,
        /// Why each undefined quantity is undefined.
        reasons: std::collections::BTreeMap<String, String>,
    }
}

/// Lin's CCC of two raters (NaN = missing, pairs dropped listwise).
#[pyfunction]
#[pyo3(signature = (first, second, confidence = 0.95))]
pub fn concordance(
    py: Python<'_>,
    first: PyReadonlyArray1<'_, f64>,
    second: PyReadonlyArray1<'_, f64>,
    confidence: f64,
) -> PyResult<Concordance> {
    let (a, b) = (slice1(py, &first, "first")?, slice1(py, &second, "second")?);
    let lvl = level(py, confidence)?;
    let c = py
        .detach(|| agreement::concordance(&convert::paired(a, b)?, lvl))
        .py(py)?;
    let mut r = Reasons::default();
    Ok(Concordance {
        coefficient: r.value("coefficient", c.coefficient),
        pearson_r: r.value("pearson_r", c.pearson_r),
        bias_correction: r.value("bias_correction", c.bias_correction),
        scale_shift: r.value("scale_shift", c.scale_shift),
        location_shift: r.value("location_shift", c.location_shift),
        se: r.value("se", c.se),
        se_z: r.value("se_z", c.se_z),
        ci: r.interval("ci", c.ci),
        level: confidence,
        ci_method: snake(c.ci_method),
        ci_asymptotic: r.interval("ci_asymptotic", c.ci_asymptotic),
        n: c.n,
        dropped: c.dropped,
        missing: snake(c.missing),
        reference: c.reference.to_owned(),
        reason: r.of("coefficient"),
        reasons: r.into_map(),
    })
}

result_class! {
    /// Bland-Altman limits of agreement.
    BlandAltman as "BlandAltman" {
        /// Mean difference first - second.
        bias: f64,
        /// SD of the differences (n - 1).
        sd: f64,
        /// bias - multiplier x sd.
        lower_limit: f64,
        /// bias + multiplier x sd.
        upper_limit: f64,
        /// The multiplier (1.96 by default).
        multiplier: f64,
        /// Interval of the bias.
        bias_ci: Option<(f64, f64)>,
        /// Interval of the lower limit.
        lower_limit_ci: Option<(f64, f64)>,
        /// Interval of the upper limit.
        upper_limit_ci: Option<(f64, f64)>,
        /// Their level.
        level: f64,
        /// `student_t`.
        ci_method: String,
        /// Complete pairs used.
        n: usize,
        /// Pairs dropped for a missing value.
        dropped: usize,
        /// `listwise`.
        missing: String,
        /// The implementation matched.
        reference: String,
        /// Why each undefined quantity is undefined.
        reasons: std::collections::BTreeMap<String, String>,
    }
}

/// Bland-Altman analysis of two raters (NaN = missing, pairs dropped listwise).
#[pyfunction]
#[pyo3(signature = (first, second, multiplier = 1.96, confidence = 0.95))]
pub fn bland_altman(
    py: Python<'_>,
    first: PyReadonlyArray1<'_, f64>,
    second: PyReadonlyArray1<'_, f64>,
    multiplier: f64,
    confidence: f64,
) -> PyResult<BlandAltman> {
    let (a, b) = (slice1(py, &first, "first")?, slice1(py, &second, "second")?);
    let lvl = level(py, confidence)?;
    let m = LimitMultiplier::new(multiplier).py(py)?;
    let ba = py
        .detach(|| agreement::bland_altman(&convert::paired(a, b)?, m, lvl))
        .py(py)?;
    let mut r = Reasons::default();
    Ok(BlandAltman {
        bias: ba.bias,
        sd: ba.sd,
        lower_limit: ba.lower_limit,
        upper_limit: ba.upper_limit,
        multiplier: ba.multiplier,
        bias_ci: r.interval("bias_ci", ba.bias_ci),
        lower_limit_ci: r.interval("lower_limit_ci", ba.lower_limit_ci),
        upper_limit_ci: r.interval("upper_limit_ci", ba.upper_limit_ci),
        level: confidence,
        ci_method: snake(ba.ci_method),
        n: ba.n,
        dropped: ba.dropped,
        missing: snake(ba.missing),
        reference: ba.reference.to_owned(),
        reasons: r.into_map(),
    })
}

result_class! {
    /// Pearson's r or Spearman's rho.
    Correlation as "Correlation" {
        /// `pearson` or `spearman`.
        method: String,
        /// r or rho, or `None` (see `reason`).
        coefficient: Option<f64>,
        /// t statistic on `df`.
        t: Option<f64>,
        /// n - 2.
        df: f64,
        /// Two-sided p (Student t).
        p: Option<f64>,
        /// `student_t`.
        p_method: String,
        /// Exact p (Spearman, n <= 9 without ties), else `None` with its reason.
        p_exact: Option<f64>,
        /// Fisher-z interval `(lower, upper)`.
        ci: Option<(f64, f64)>,
        /// Its level.
        level: f64,
        /// `fisher_z`.
        ci_method: String,
        /// Complete pairs used.
        n: usize,
        /// Pairs dropped for a missing value.
        dropped: usize,
        /// `listwise`.
        missing: String,
        /// The implementation matched.
        reference: String,
        /// Why the coefficient is undefined, or `None`.
        reason: Option<String>,
        /// Why each undefined quantity is undefined.
        reasons: std::collections::BTreeMap<String, String>,
    }
}

/// Pearson's r (`method = "pearson"`) or Spearman's rho (`"spearman"`) of two variables
/// (NaN = missing, pairs dropped listwise).
#[pyfunction]
#[pyo3(signature = (first, second, method = "pearson", confidence = 0.95))]
pub fn correlation(
    py: Python<'_>,
    first: PyReadonlyArray1<'_, f64>,
    second: PyReadonlyArray1<'_, f64>,
    method: &str,
    confidence: f64,
) -> PyResult<Correlation> {
    let (a, b) = (slice1(py, &first, "first")?, slice1(py, &second, "second")?);
    let lvl = level(py, confidence)?;
    let f = match method {
        "pearson" => agreement::pearson,
        "spearman" => agreement::spearman,
        other => {
            return Err(errors::input(
                py,
                "input_option",
                format!("method is '{other}', not 'pearson' or 'spearman'"),
            ));
        }
    };
    let c = py.detach(|| f(&convert::paired(a, b)?, lvl)).py(py)?;
    let mut r = Reasons::default();
    Ok(Correlation {
        method: snake(c.method),
        coefficient: r.value("coefficient", c.coefficient),
        t: r.value("t", c.t),
        df: c.df,
        p: r.value("p", c.p),
        p_method: snake(c.p_method),
        p_exact: r.value("p_exact", c.p_exact),
        ci: r.interval("ci", c.ci),
        level: confidence,
        ci_method: snake(c.ci_method),
        n: c.n,
        dropped: c.dropped,
        missing: snake(c.missing),
        reference: c.reference.to_owned(),
        reason: r.of("coefficient"),
        reasons: r.into_map(),
    })
}
