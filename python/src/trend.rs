//! Trends across sessions: OLS, Mann-Kendall (and the Hamed-Rao correction), Sen's slope,
//! the batch of many series, reliable change, ruptures and sudden drops.

#![allow(clippy::doc_markdown)] // author names such as DeRubeis are prose, not code

use std::collections::BTreeMap;
use std::num::NonZeroUsize;

use alliance::trend::{
    self, BatchOptions, ChangeCriterion, ClinicalCutoff, Critical, HamedRaoOptions, Polarity,
    RepairStatus, RuptureReference, RuptureRule, SdSource, SenIntercept, SenOptions, SeriesEnd,
    SuddenDropRule,
};
use alliance::{IntervalMethod, ReliabilityKind};
use numpy::{IntoPyArray, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{self, level, slice1, slice2, snake};
use crate::errors::{self, IntoPyResult};
use crate::results::{Reasons, result_class};

/// The times of a series, when given.
fn times<'a>(
    py: Python<'_>,
    times: &'a Option<PyReadonlyArray1<'_, f64>>,
) -> PyResult<Option<&'a [f64]>> {
    times.as_ref().map(|t| slice1(py, t, "times")).transpose()
}

/// An `InputError` for an option value that is not one of `allowed`.
fn option_error(py: Python<'_>, name: &str, given: &str, allowed: &str) -> PyErr {
    errors::input(
        py,
        "input_option",
        format!("{name} is '{given}', not {allowed}"),
    )
}

result_class! {
    /// Ordinary least-squares trend of scores on session times.
    OlsTrend as "OlsTrend" {
        /// Slope per unit of time.
        slope: f64,
        /// Intercept at time 0.
        intercept: f64,
        /// Standard error of the slope.
        slope_se: Option<f64>,
        /// Standard error of the intercept.
        intercept_se: Option<f64>,
        /// t = slope / `slope_se`.
        t: Option<f64>,
        /// Two-sided p of t on `df`.
        p: Option<f64>,
        /// `student_t`.
        p_method: String,
        /// Interval of the slope.
        slope_ci: Option<(f64, f64)>,
        /// Interval of the intercept.
        intercept_ci: Option<(f64, f64)>,
        /// Their level.
        level: f64,
        /// `student_t`.
        ci_method: String,
        /// R squared.
        r_squared: Option<f64>,
        /// Residual SD.
        residual_sd: Option<f64>,
        /// n - 2.
        df: f64,
        /// Points.
        n: usize,
        /// `residuals`, `exact_line` or `constant_scores`.
        fit: String,
        /// The implementation matched.
        reference: String,
        /// Why each undefined quantity is undefined.
        reasons: BTreeMap<String, String>,
    }
}

/// OLS trend of `values` on `times` (default 1, 2, 3, ...).
#[pyfunction]
#[pyo3(signature = (values, times = None, confidence = 0.95))]
pub fn ols_trend(
    py: Python<'_>,
    values: PyReadonlyArray1<'_, f64>,
    times: Option<PyReadonlyArray1<'_, f64>>,
    confidence: f64,
) -> PyResult<OlsTrend> {
    let y = slice1(py, &values, "values")?;
    let t = self::times(py, &times)?;
    let lvl = level(py, confidence)?;
    let o = py
        .detach(|| trend::ols_trend(&convert::series(y, t)?, lvl))
        .py(py)?;
    let mut r = Reasons::default();
    Ok(OlsTrend {
        slope: o.slope,
        intercept: o.intercept,
        slope_se: r.value("slope_se", o.slope_se),
        intercept_se: r.value("intercept_se", o.intercept_se),
        t: r.value("t", o.t),
        p: r.value("p", o.p),
        p_method: snake(o.p_method),
        slope_ci: r.interval("slope_ci", o.slope_ci),
        intercept_ci: r.interval("intercept_ci", o.intercept_ci),
        level: confidence,
        ci_method: snake(o.ci_method),
        r_squared: r.value("r_squared", o.r_squared),
        residual_sd: r.value("residual_sd", o.residual_sd),
        df: o.df,
        n: o.n,
        fit: snake(o.fit),
        reference: o.reference.to_owned(),
        reasons: r.into_map(),
    })
}

result_class! {
    /// The Mann-Kendall trend test.
    MannKendall as "MannKendall" {
        /// Kendall's S.
        s: i64,
        /// Tie-corrected variance of S.
        var_s: f64,
        /// Continuity-corrected z.
        z: f64,
        /// Two-sided p (exact when `p_method` is `exact`).
        p: f64,
        /// `exact` or `normal`.
        p_method: String,
        /// The exact p, or `None` with its reason (ties, beyond 49 points).
        p_exact: Option<f64>,
        /// The normal-approximation p.
        p_normal: f64,
        /// Tau-a.
        tau_a: f64,
        /// Tau-b, or `None` on a constant series.
        tau_b: Option<f64>,
        /// Tie groups.
        tie_groups: usize,
        /// Values in a tie group.
        tied_values: usize,
        /// Tied pairs.
        tied_pairs: u64,
        /// Pairs compared.
        pairs: u64,
        /// Points.
        n: usize,
        /// The implementation matched.
        reference: String,
        /// Why each undefined quantity is undefined.
        reasons: BTreeMap<String, String>,
    }
}

impl MannKendall {
    /// The binding's form of the crate's result.
    fn of(m: &trend::MannKendall) -> MannKendall {
        let mut r = Reasons::default();
        MannKendall {
            s: m.s,
            var_s: m.var_s,
            z: m.z,
            p: m.p,
            p_method: snake(m.p_method),
            p_exact: r.value("p_exact", m.p_exact),
            p_normal: m.p_normal,
            tau_a: m.tau_a,
            tau_b: r.value("tau_b", m.tau_b),
            tie_groups: m.ties.groups,
            tied_values: m.ties.tied_values,
            tied_pairs: m.ties.tied_pairs,
            pairs: m.pairs,
            n: m.n,
            reference: m.reference.to_owned(),
            reasons: r.into_map(),
        }
    }
}

/// The Mann-Kendall test of `values` in time order.
#[pyfunction]
#[pyo3(signature = (values, times = None))]
pub fn mann_kendall(
    py: Python<'_>,
    values: PyReadonlyArray1<'_, f64>,
    times: Option<PyReadonlyArray1<'_, f64>>,
) -> PyResult<MannKendall> {
    let y = slice1(py, &values, "values")?;
    let t = self::times(py, &times)?;
    let m = py
        .detach(|| trend::mann_kendall(&convert::series(y, t)?))
        .py(py)?;
    Ok(MannKendall::of(&m))
}

result_class! {
    /// The Mann-Kendall test with Hamed & Rao's (1998) variance correction for
    /// autocorrelation.
    HamedRao as "HamedRao" {
        /// Kendall's S.
        s: i64,
        /// Var(S) before the correction.
        var_s_uncorrected: f64,
        /// The correction factor n/n*.
        correction: Option<f64>,
        /// Corrected Var(S).
        var_s: Option<f64>,
        /// z on the corrected variance.
        z: Option<f64>,
        /// Two-sided p.
        p: Option<f64>,
        /// `normal`.
        p_method: String,
        /// Lags whose autocorrelation was significant.
        significant_lags: usize,
        /// Lags examined.
        lags: usize,
        /// Sen's slope used to detrend.
        sen_slope: f64,
        /// Points.
        n: usize,
        /// The implementation matched.
        reference: String,
        /// Why each undefined quantity is undefined.
        reasons: BTreeMap<String, String>,
    }
}

/// The Hamed-Rao corrected Mann-Kendall test; `lags` defaults to all (up to the crate's
/// work limit).
#[pyfunction]
#[pyo3(signature = (values, times = None, lags = None, confidence = 0.95))]
pub fn mann_kendall_hamed_rao(
    py: Python<'_>,
    values: PyReadonlyArray1<'_, f64>,
    times: Option<PyReadonlyArray1<'_, f64>>,
    lags: Option<usize>,
    confidence: f64,
) -> PyResult<HamedRao> {
    let y = slice1(py, &values, "values")?;
    let t = self::times(py, &times)?;
    let mut options = HamedRaoOptions::default().with_level(level(py, confidence)?);
    if let Some(l) = lags {
        options = options.with_lags(l);
    }
    let h = py
        .detach(|| trend::mann_kendall_hamed_rao(&convert::series(y, t)?, options))
        .py(py)?;
    let mut r = Reasons::default();
    Ok(HamedRao {
        s: h.s,
        var_s_uncorrected: h.var_s_uncorrected,
        correction: r.value("correction", h.correction),
        var_s: r.value("var_s", h.var_s),
        z: r.value("z", h.z),
        p: r.value("p", h.p),
        p_method: snake(h.p_method),
        significant_lags: h.significant_lags,
        lags: h.lags,
        sen_slope: h.sen_slope,
        n: h.n,
        reference: h.reference.to_owned(),
        reasons: r.into_map(),
    })
}

result_class! {
    /// Sen's slope with its interval.
    SenSlope as "SenSlope" {
        /// Median pairwise slope.
        slope: f64,
        /// Intercept.
        intercept: f64,
        /// `conover` or `joint_median`.
        intercept_method: String,
        /// Interval `(lower, upper)`, or `None` (e.g. `rank_out_of_range`).
        ci: Option<(f64, f64)>,
        /// Its level.
        level: f64,
        /// `ranked_slopes` or `interpolated_slopes`.
        ci_method: String,
        /// 1-based rank of the lower bound.
        lower_rank: f64,
        /// 1-based rank of the upper bound.
        upper_rank: f64,
        /// C = z sqrt(Var S).
        c: f64,
        /// Tie-corrected Var(S).
        var_s: f64,
        /// Pairwise slopes.
        slopes: u64,
        /// Points.
        n: usize,
        /// The implementation matched.
        reference: String,
        /// Why each undefined quantity is undefined.
        reasons: BTreeMap<String, String>,
    }
}

impl SenSlope {
    /// The binding's form of the crate's result.
    fn of(s: &trend::SenSlope, level: f64) -> SenSlope {
        let mut r = Reasons::default();
        SenSlope {
            slope: s.slope,
            intercept: s.intercept,
            intercept_method: snake(s.intercept_method),
            ci: r.interval("ci", s.ci),
            level,
            ci_method: snake(s.ci_method),
            lower_rank: s.lower_rank,
            upper_rank: s.upper_rank,
            c: s.c,
            var_s: s.var_s,
            slopes: s.slopes,
            n: s.n,
            reference: s.reference.to_owned(),
            reasons: r.into_map(),
        }
    }
}

/// Sen's options from their names.
fn sen_options(py: Python<'_>, intercept: &str, ci_method: &str) -> PyResult<SenOptions> {
    let intercept = match intercept {
        "conover" => SenIntercept::Conover,
        "joint_median" => SenIntercept::JointMedian,
        other => {
            return Err(option_error(
                py,
                "intercept",
                other,
                "'conover' or 'joint_median'",
            ));
        }
    };
    let method = match ci_method {
        "ranked" | "ranked_slopes" => IntervalMethod::RankedSlopes,
        "interpolated" | "interpolated_slopes" => IntervalMethod::InterpolatedSlopes,
        other => {
            return Err(option_error(
                py,
                "ci_method",
                other,
                "'ranked' or 'interpolated'",
            ));
        }
    };
    Ok(SenOptions::default()
        .with_intercept(intercept)
        .with_ci_method(method))
}

/// Sen's slope of `values` on `times` (default 1, 2, 3, ...).
#[pyfunction]
#[pyo3(signature = (values, times = None, confidence = 0.95, intercept = "conover", ci_method = "ranked"))]
pub fn sen_slope(
    py: Python<'_>,
    values: PyReadonlyArray1<'_, f64>,
    times: Option<PyReadonlyArray1<'_, f64>>,
    confidence: f64,
    intercept: &str,
    ci_method: &str,
) -> PyResult<SenSlope> {
    let y = slice1(py, &values, "values")?;
    let t = self::times(py, &times)?;
    let lvl = level(py, confidence)?;
    let options = sen_options(py, intercept, ci_method)?;
    let s = py
        .detach(|| trend::sen_slope(&convert::series(y, t)?, lvl, options))
        .py(py)?;
    Ok(SenSlope::of(&s, confidence))
}

/// Mann-Kendall and Sen's slope of every row of a series x points matrix (shared `times`),
/// on `threads` threads (default: every core), as a dict of equal-length columns. A row the
/// crate refuses (a NaN, say) has NaN statistics and its error code in `error`.
#[pyfunction]
#[pyo3(signature = (values, times = None, confidence = 0.95, intercept = "conover", ci_method = "ranked", threads = None))]
#[allow(clippy::too_many_arguments)] // mirrors the Python signature
pub fn mann_kendall_sen_batch<'py>(
    py: Python<'py>,
    values: PyReadonlyArray2<'py, f64>,
    times: Option<PyReadonlyArray1<'py, f64>>,
    confidence: f64,
    intercept: &str,
    ci_method: &str,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let (y, rows, columns) = slice2(py, &values, "values")?;
    let t = self::times(py, &times)?;
    let mut options = BatchOptions::default()
        .with_level(level(py, confidence)?)
        .with_sen(sen_options(py, intercept, ci_method)?);
    if let Some(n) = threads.and_then(NonZeroUsize::new) {
        options = options.with_threads(n);
    }
    let columns_out = py.detach(|| {
        let mut valid = Vec::with_capacity(rows);
        let mut refused = Vec::with_capacity(rows);
        for i in 0..rows {
            match convert::series(&y[i * columns..(i + 1) * columns], t) {
                Ok(s) => {
                    valid.push(s);
                    refused.push(None);
                }
                Err(e) => refused.push(Some(e)),
            }
        }
        let mut done = trend::mann_kendall_sen_batch(&valid, options).into_iter();
        let mut out = BatchColumns::with_capacity(rows);
        for error in refused {
            match error {
                Some(e) => out.push(Err(e)),
                // one result per valid series, in order
                None => {
                    if let Some(result) = done.next() {
                        out.push(result);
                    }
                }
            }
        }
        out
    });
    columns_out.into_dict(py)
}

/// The batch's output, column by column.
#[derive(Debug, Default)]
struct BatchColumns {
    /// Kendall's S.
    s: Vec<f64>,
    /// Var(S).
    var_s: Vec<f64>,
    /// z.
    z: Vec<f64>,
    /// p.
    p: Vec<f64>,
    /// Tau-b.
    tau_b: Vec<f64>,
    /// Sen's slope.
    slope: Vec<f64>,
    /// Intercept.
    intercept: Vec<f64>,
    /// Interval bounds.
    ci_lower: Vec<f64>,
    /// Interval bounds.
    ci_upper: Vec<f64>,
    /// Points.
    n: Vec<u64>,
    /// Error code, or `None`.
    error: Vec<Option<&'static str>>,
}

impl BatchColumns {
    /// Columns for `rows` rows.
    fn with_capacity(rows: usize) -> BatchColumns {
        let f = || Vec::with_capacity(rows);
        BatchColumns {
            s: f(),
            var_s: f(),
            z: f(),
            p: f(),
            tau_b: f(),
            slope: f(),
            intercept: f(),
            ci_lower: f(),
            ci_upper: f(),
            n: Vec::with_capacity(rows),
            error: Vec::with_capacity(rows),
        }
    }

    /// One row.
    fn push(&mut self, row: alliance::Result<trend::TrendSummary>) {
        match row {
            Ok(t) => {
                let (m, s) = (t.mann_kendall, t.sen);
                self.s.push(m.s as f64);
                self.var_s.push(m.var_s);
                self.z.push(m.z);
                self.p.push(m.p);
                self.tau_b.push(m.tau_b.value().unwrap_or(f64::NAN));
                self.slope.push(s.slope);
                self.intercept.push(s.intercept);
                let ci = s.ci.value();
                self.ci_lower.push(ci.map_or(f64::NAN, |c| c.lower));
                self.ci_upper.push(ci.map_or(f64::NAN, |c| c.upper));
                self.n.push(m.n as u64);
                self.error.push(None);
            }
            Err(e) => {
                for c in [
                    &mut self.s,
                    &mut self.var_s,
                    &mut self.z,
                    &mut self.p,
                    &mut self.tau_b,
                    &mut self.slope,
                    &mut self.intercept,
                    &mut self.ci_lower,
                    &mut self.ci_upper,
                ] {
                    c.push(f64::NAN);
                }
                self.n.push(0);
                self.error.push(Some(e.code()));
            }
        }
    }

    /// The columns as numpy arrays (and `error` as a list) in a dict.
    fn into_dict(self, py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("s", self.s.into_pyarray(py))?;
        d.set_item("var_s", self.var_s.into_pyarray(py))?;
        d.set_item("z", self.z.into_pyarray(py))?;
        d.set_item("p", self.p.into_pyarray(py))?;
        d.set_item("tau_b", self.tau_b.into_pyarray(py))?;
        d.set_item("slope", self.slope.into_pyarray(py))?;
        d.set_item("intercept", self.intercept.into_pyarray(py))?;
        d.set_item("ci_lower", self.ci_lower.into_pyarray(py))?;
        d.set_item("ci_upper", self.ci_upper.into_pyarray(py))?;
        d.set_item("n", self.n.into_pyarray(py))?;
        d.set_item("error", self.error)?;
        Ok(d)
    }
}

result_class! {
    /// Jacobson-Truax reliable change between two scores.
    ReliableChange as "ReliableChange" {
        /// First score.
        x1: f64,
        /// Second score.
        x2: f64,
        /// x2 - x1.
        difference: f64,
        /// Reliable change index, or `None` with its reason.
        rci: Option<f64>,
        /// Standard error of measurement.
        se: f64,
        /// Standard error of the difference.
        s_diff: f64,
        /// Critical value of |RCI|.
        critical: f64,
        /// Minimum reliable change, critical x `s_diff`.
        minimum_reliable_change: f64,
        /// Whether |RCI| exceeds the critical value.
        reliable: bool,
        /// `improvement`, `deterioration` or `no_change`.
        direction: String,
        /// `recovered`, `improved`, `unchanged` or `deteriorated` when a cutoff was given.
        category: Option<String>,
        /// The SD used.
        sd: f64,
        /// `norm` or `sample`.
        sd_source: String,
        /// The reliability used.
        reliability: f64,
        /// `test_retest` or `alpha`.
        reliability_kind: String,
        /// The implementation matched.
        reference: String,
        /// Why each undefined quantity is undefined.
        reasons: BTreeMap<String, String>,
    }
}

/// Reliable change from `x1` to `x2` (Jacobson & Truax 1991).
#[pyfunction]
#[pyo3(signature = (x1, x2, sd, reliability, sd_source = "norm", reliability_kind = "test_retest", critical = "level", critical_z = None, confidence = 0.95, polarity = "higher_is_better", cutoff = None))]
#[allow(clippy::too_many_arguments)] // mirrors the Python signature
pub fn reliable_change(
    py: Python<'_>,
    x1: f64,
    x2: f64,
    sd: f64,
    reliability: f64,
    sd_source: &str,
    reliability_kind: &str,
    critical: &str,
    critical_z: Option<f64>,
    confidence: f64,
    polarity: &str,
    cutoff: Option<f64>,
) -> PyResult<ReliableChange> {
    let source = match sd_source {
        "norm" => SdSource::Norm,
        "sample" => SdSource::Sample,
        other => return Err(option_error(py, "sd_source", other, "'norm' or 'sample'")),
    };
    let kind = match reliability_kind {
        "test_retest" => ReliabilityKind::TestRetest,
        "alpha" => ReliabilityKind::Alpha,
        other => {
            return Err(option_error(
                py,
                "reliability_kind",
                other,
                "'test_retest' or 'alpha'",
            ));
        }
    };
    let critical = match (critical, critical_z) {
        ("level", None) => Critical::Level(level(py, confidence)?),
        ("jacobson_truax", None) => Critical::JacobsonTruax,
        ("z", Some(z)) => Critical::Z(z),
        (other, _) => {
            return Err(option_error(
                py,
                "critical",
                other,
                "'level', 'jacobson_truax' or 'z' (with critical_z, and only then)",
            ));
        }
    };
    let polarity = match polarity {
        "higher_is_better" => Polarity::HigherIsBetter,
        "lower_is_better" => Polarity::LowerIsBetter,
        other => {
            return Err(option_error(
                py,
                "polarity",
                other,
                "'higher_is_better' or 'lower_is_better'",
            ));
        }
    };
    let mut builder = ChangeCriterion::builder()
        .sd(sd, source)
        .reliability(reliability, kind)
        .critical(critical)
        .polarity(polarity);
    if let Some(c) = cutoff {
        builder = builder.cutoff(ClinicalCutoff::new(c).py(py)?);
    }
    let criterion = builder.build().py(py)?;
    let c = trend::reliable_change(x1, x2, &criterion).py(py)?;
    let mut r = Reasons::default();
    Ok(ReliableChange {
        x1: c.x1,
        x2: c.x2,
        difference: c.difference,
        rci: r.value("rci", c.rci),
        se: c.se,
        s_diff: c.s_diff,
        critical: c.critical,
        minimum_reliable_change: c.minimum_reliable_change,
        reliable: c.reliable,
        direction: snake(c.direction),
        category: c.category.map(snake),
        sd: c.sd,
        sd_source: snake(c.sd_source),
        reliability: c.reliability,
        reliability_kind: snake(c.reliability_kind),
        reference: c.reference.to_owned(),
        reasons: r.into_map(),
    })
}

result_class! {
    /// One rupture: a session far below the client's level.
    Rupture as "Rupture" {
        /// 0-based position of the session.
        index: usize,
        /// Its time.
        time: f64,
        /// Its score.
        score: f64,
        /// Mean of the reference sessions.
        baseline_mean: f64,
        /// Their SD.
        baseline_sd: f64,
        /// The SD used (floored by the reference SD).
        sd_used: f64,
        /// Reference sessions.
        baseline_n: usize,
        /// (score - mean) / `sd_used`.
        z: f64,
        /// mean - score.
        depth: f64,
        /// `lenient` or `strict`.
        level: String,
        /// Score a later session must reach to repair it.
        repair_threshold: f64,
        /// `pending`, `repaired` or `unrepaired`.
        repair: String,
        /// 0-based position of the repairing session.
        repair_index: Option<usize>,
        /// Its time.
        repair_time: Option<f64>,
        /// Its score.
        repair_score: Option<f64>,
    }
}

result_class! {
    /// Ruptures and repairs along a series.
    Ruptures as "Ruptures" {
        /// Every rupture found, in time order.
        ruptures: Vec<Rupture>,
        /// Points.
        n: usize,
        /// Sessions assessed (with enough history).
        assessed: usize,
    }
}

/// Ruptures and repairs (Stiles et al. 2004; Strauss et al. 2006) of `values` on `times`.
#[pyfunction]
#[pyo3(signature = (values, reference_sd, times = None, lenient = 1.0, strict = 2.0, repair_window = 3, repair_fraction = 0.5, min_history = 3, reference = "preceding"))]
#[allow(clippy::too_many_arguments)] // mirrors the Python signature
pub fn ruptures(
    py: Python<'_>,
    values: PyReadonlyArray1<'_, f64>,
    reference_sd: f64,
    times: Option<PyReadonlyArray1<'_, f64>>,
    lenient: f64,
    strict: f64,
    repair_window: usize,
    repair_fraction: f64,
    min_history: usize,
    reference: &str,
) -> PyResult<Ruptures> {
    let y = slice1(py, &values, "values")?;
    let t = self::times(py, &times)?;
    let reference = match reference {
        "preceding" => RuptureReference::Preceding,
        "all_others" => RuptureReference::AllOthers,
        other => {
            return Err(option_error(
                py,
                "reference",
                other,
                "'preceding' or 'all_others'",
            ));
        }
    };
    let rule = RuptureRule::builder()
        .reference_sd(reference_sd)
        .lenient_threshold(lenient)
        .strict_threshold(strict)
        .repair_window(repair_window)
        .repair_fraction(repair_fraction)
        .min_history(min_history)
        .reference(reference)
        .build()
        .py(py)?;
    let found = py
        .detach(|| trend::ruptures(&convert::series(y, t)?, &rule))
        .py(py)?;
    Ok(Ruptures {
        ruptures: found
            .ruptures
            .iter()
            .map(|r| {
                let (status, at) = match r.repair {
                    RepairStatus::Pending => ("pending", None),
                    RepairStatus::Repaired { index, time, score } => {
                        ("repaired", Some((index, time, score)))
                    }
                    RepairStatus::Unrepaired => ("unrepaired", None),
                    _ => ("unknown", None),
                };
                Rupture {
                    index: r.index,
                    time: r.time,
                    score: r.score,
                    baseline_mean: r.baseline_mean,
                    baseline_sd: r.baseline_sd,
                    sd_used: r.sd_used,
                    baseline_n: r.baseline_n,
                    z: r.z,
                    depth: r.depth,
                    level: snake(r.level),
                    repair_threshold: r.repair_threshold,
                    repair: status.to_owned(),
                    repair_index: at.map(|a| a.0),
                    repair_time: at.map(|a| a.1),
                    repair_score: at.map(|a| a.2),
                }
            })
            .collect(),
        n: found.n,
        assessed: found.assessed,
    })
}

result_class! {
    /// One sudden drop between session `before` and the next (Tang & DeRubeis 1999).
    SuddenDrop as "SuddenDrop" {
        /// 0-based position of the session before the drop.
        before: usize,
        /// Its time.
        time_before: f64,
        /// Time of the session after the drop.
        time_after: f64,
        /// Score before.
        score_before: f64,
        /// Score after.
        score_after: f64,
        /// score before - score after.
        drop: f64,
        /// The minimum drop asked for.
        min_drop: f64,
        /// Criterion 1 met.
        size_met: bool,
        /// The relative threshold.
        relative_threshold: f64,
        /// Criterion 2 met.
        relative_met: bool,
        /// Mean of the sessions before.
        mean_before: f64,
        /// Mean of the sessions after.
        mean_after: f64,
        /// SD before.
        sd_before: f64,
        /// SD after.
        sd_after: f64,
        /// Sessions before.
        n_before: usize,
        /// Sessions after.
        n_after: usize,
        /// Pooled SD.
        pooled_sd: f64,
        /// Critical t.
        critical_value: f64,
        /// critical x pooled SD.
        stability_margin: f64,
        /// Criterion 3 met.
        stability_met: bool,
    }
}

result_class! {
    /// Sudden drops along a series.
    SuddenDrops as "SuddenDrops" {
        /// Every drop meeting all three criteria.
        drops: Vec<SuddenDrop>,
        /// Points.
        n: usize,
        /// Intervals tested.
        tested: usize,
    }
}

/// Sudden drops (Tang & DeRubeis 1999, turned towards a fall) of `values` on `times`.
#[pyfunction]
#[pyo3(signature = (values, min_drop, times = None, min_ratio = 0.25, scale_min = 0.0, end = "wait"))]
pub fn sudden_drops(
    py: Python<'_>,
    values: PyReadonlyArray1<'_, f64>,
    min_drop: f64,
    times: Option<PyReadonlyArray1<'_, f64>>,
    min_ratio: f64,
    scale_min: f64,
    end: &str,
) -> PyResult<SuddenDrops> {
    let y = slice1(py, &values, "values")?;
    let t = self::times(py, &times)?;
    let end = match end {
        "wait" => SeriesEnd::Wait,
        "truncate" => SeriesEnd::Truncate,
        other => return Err(option_error(py, "end", other, "'wait' or 'truncate'")),
    };
    let rule = SuddenDropRule::builder()
        .min_drop(min_drop)
        .min_ratio(min_ratio)
        .scale_min(scale_min)
        .end(end)
        .build()
        .py(py)?;
    let found = py
        .detach(|| trend::sudden_drops(&convert::series(y, t)?, &rule))
        .py(py)?;
    Ok(SuddenDrops {
        drops: found
            .drops
            .iter()
            .map(|c| SuddenDrop {
                before: c.before,
                time_before: c.time_before,
                time_after: c.time_after,
                score_before: c.score_before,
                score_after: c.score_after,
                drop: c.drop,
                min_drop: c.min_drop,
                size_met: c.size_met,
                relative_threshold: c.relative_threshold,
                relative_met: c.relative_met,
                mean_before: c.mean_before,
                mean_after: c.mean_after,
                sd_before: c.sd_before,
                sd_after: c.sd_after,
                n_before: c.n_before,
                n_after: c.n_after,
                pooled_sd: c.pooled_sd,
                critical_value: c.critical_value,
                stability_margin: c.stability_margin,
                stability_met: c.stability_met,
            })
            .collect(),
        n: found.n,
        tested: found.tested,
    })
}
