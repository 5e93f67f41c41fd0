//! McDonald's omega total from a one-factor model fitted to the item correlation matrix, by
//! maximum likelihood or minimum residual, with an optional seeded bootstrap interval.

#![allow(clippy::doc_markdown)] // math (λ_j, ψ_h, r_ij) and author names are prose, not code

use super::intervals::{Centred, percentile};
use super::linalg::{cholesky_solve, symmetric_eigen};
use super::{Error, Result, finite};
use crate::agreement::Bootstrap;
use crate::interval::Interval;
use crate::method::IntervalMethod;
use crate::outcome::{Outcome, Undefined};
use crate::ratings::{CaseDeletion, Ratings};
use crate::stats;

/// How the one-factor model is fitted to the correlation matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum FactorMethod {
    /// Maximum likelihood (normal theory): minimises
    /// log|Σ| + tr(R Σ⁻¹) over Σ = λλ' + Ψ (`psych::fa(fm = "ml")`, `factanal`, lavaan's
    /// standardized one-factor solution).
    MaximumLikelihood,
    /// Minimum residual (unweighted least squares on the off-diagonal correlations):
    /// minimises Σ_{i<j} (r_ij − λ_i λ_j)² (`psych::fa(fm = "minres")`, psych's default).
    MinimumResidual,
}

/// McDonald's omega total of one scale from a one-factor model, with the fitted loadings.
///
/// Serializes; does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Omega {
    /// Omega total, (Σλ)² / ((Σλ)² + Σψ); [`Undefined::NonPositiveVariance`] for a Heywood
    /// case (see [`Omega::heywood`]), never a number above 1; [`Undefined::OutOfRange`] if
    /// the iteration stopped away from a stationary point (not seen on any reference case).
    pub coefficient: Outcome<f64>,
    /// A Heywood case: some uniqueness ψ_j = 1 − λ_j² is at or below zero (an item the
    /// factor would explain completely or more than completely), so the one-factor solution
    /// is improper and omega is undefined; the loadings are kept.
    pub heywood: bool,
    /// Standardized loadings λ_j, one per item in column order, signed so that their sum is
    /// not negative (as psych). Under minimum residual in a Heywood case these are the
    /// unconstrained solution (some |λ_j| above 1); under maximum likelihood the solution on
    /// the boundary ψ_h = 0 (λ_h = 1 for the item h whose uniqueness vanished, λ_j = r_hj
    /// for the others).
    pub loadings: Vec<f64>,
    /// Uniquenesses ψ_j = 1 − λ_j² (psych's `uniquenesses`), negative or zero in a Heywood
    /// case.
    pub uniquenesses: Vec<f64>,
    /// How the model was fitted.
    pub method: FactorMethod,
    /// Percentile interval of the seeded bootstrap ([`omega_bootstrap`]);
    /// [`Undefined::NotRequested`] from [`omega`].
    pub ci: Outcome<Interval>,
    /// [`IntervalMethod::PercentileBootstrap`].
    pub ci_method: IntervalMethod,
    /// Bootstrap replicates drawn (0 without a bootstrap).
    pub replicates: usize,
    /// Replicates left out of the interval: a resample with a constant item or a Heywood
    /// solution.
    pub undefined_replicates: usize,
    /// Respondents used (complete rows on these items; for a matrix input, the n given).
    pub n: usize,
    /// Respondents dropped for a missing answer on these items.
    pub dropped: usize,
    /// Items (k).
    pub items: usize,
    /// Missing-data policy applied (listwise on the scale's items).
    pub missing: CaseDeletion,
    /// The reference matched.
    pub reference: &'static str,
}

/// A fitted one-factor model.
struct Fit {
    loadings: Vec<f64>,
    heywood: bool,
    /// The iteration reached a stationary point (or the boundary, for ML).
    converged: bool,
}

impl Fit {
    fn omega(&self) -> Outcome<f64> {
        if self.heywood {
            return Outcome::Undefined(Undefined::NonPositiveVariance);
        }
        if !self.converged {
            return Outcome::Undefined(Undefined::OutOfRange);
        }
        let sum: f64 = self.loadings.iter().sum();
        let unique: f64 = self.loadings.iter().map(|l| 1.0 - l * l).sum();
        finite(Outcome::Defined(sum * sum / (sum * sum + unique)))
    }
}

/// The largest number of Newton iterations of a fit.
const MAX_ITERATIONS: usize = 500;

/// Damped Newton minimisation of `f` from `x`: the step solves (H + μI) d = −g (μ raised
/// until H + μI is positive definite), with Armijo backtracking inside the domain (`f`
/// finite; where f is flat to its rounding, a full step that shrinks the gradient). Returns
/// the point and whether it converged: largest gradient component at most 1e-12, a full
/// Newton step at the rounding level, or no further progress with the gradient at most
/// 1e-9.
fn minimise(
    mut x: Vec<f64>,
    f: impl Fn(&[f64]) -> f64,
    grad: impl Fn(&[f64]) -> Vec<f64>,
    hess: impl Fn(&[f64], &[f64]) -> Vec<f64>,
) -> (Vec<f64>, bool, f64) {
    let p = x.len();
    let mut gmax = f64::INFINITY;
    let mut fx = f(&x);
    for _ in 0..MAX_ITERATIONS {
        let g = grad(&x);
        gmax = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        // a gradient of 1e-12 leaves the loadings within about 1e-12 / (smallest curvature)
        // of the optimum, far inside the 1e-6 the references hold
        if gmax <= 1e-12 {
            return (x, true, gmax);
        }
        let h = hess(&x, &g);
        let diag = (0..p)
            .fold(0.0f64, |m, i| m.max(h[i * p + i].abs()))
            .max(1e-12);
        let neg_g: Vec<f64> = g.iter().map(|v| -v).collect();
        let mut mu = 0.0;
        let d = loop {
            let mut hm = h.clone();
            for i in 0..p {
                hm[i * p + i] += mu;
            }
            if let Some(d) = cholesky_solve(&hm, &neg_g, p) {
                break d;
            }
            mu = if mu == 0.0 { 1e-10 * diag } else { mu * 10.0 };
            if mu > 1e20 * diag {
                return (x, false, gmax);
            }
        };
        let slope: f64 = g.iter().zip(&d).map(|(a, b)| a * b).sum();
        let mut t = 1.0;
        let mut next = x.clone();
        let mut accepted = None;
        let mut full = true; // t = 1, the undamped step
        for _ in 0..60 {
            for i in 0..p {
                next[i] = x[i] + t * d[i];
            }
            let fn_ = f(&next);
            if fn_.is_finite() {
                // Armijo; or, for the full step where f is flat to its rounding, a smaller
                // gradient (Newton on the gradient, which f can no longer guide)
                let armijo = fn_ <= fx + 1e-4 * t * slope;
                let flat = full && fn_ <= fx + 8.0 * f64::EPSILON * fx.abs().max(1.0);
                let smaller = || grad(&next).iter().fold(0.0f64, |m, v| m.max(v.abs())) < gmax;
                if armijo || (flat && smaller()) {
                    accepted = Some(fn_);
                    break;
                }
            }
            t *= 0.5;
            full = false;
        }
        let Some(fn_) = accepted else {
            // no step improves f or the gradient: stationary as far as rounding allows
            return (x, gmax <= 1e-9, gmax);
        };
        let step = (0..p).fold(0.0f64, |m, i| m.max((t * d[i]).abs()));
        let scale = x.iter().fold(1.0f64, |m, v| m.max(v.abs()));
        x.clone_from(&next);
        fx = fn_;
        // a full Newton step at the rounding level: converged (a step cut short by the
        // line search says nothing about stationarity)
        if full && mu == 0.0 && step <= 1e-13 * scale {
            return (x, true, gmax);
        }
    }
    (x, false, gmax)
}

/// The first principal component's loadings v₁ √e₁ of R: the start of both fits.
fn principal_start(r: &[f64], p: usize) -> Vec<f64> {
    let (values, vectors) = symmetric_eigen(r, p);
    let scale = values[0].max(0.0).sqrt();
    (0..p).map(|i| vectors[i * p] * scale).collect()
}

/// Minimum residual: Newton on λ for Σ_{i<j} (r_ij − λ_i λ_j)².
fn minres(r: &[f64], p: usize) -> Fit {
    let f = |l: &[f64]| {
        let mut s = 0.0;
        for i in 0..p {
            for j in (i + 1)..p {
                let e = r[i * p + j] - l[i] * l[j];
                s += e * e;
            }
        }
        s
    };
    let grad = |l: &[f64]| {
        (0..p)
            .map(|i| {
                -2.0 * (0..p)
                    .filter(|&j| j != i)
                    .map(|j| (r[i * p + j] - l[i] * l[j]) * l[j])
                    .sum::<f64>()
            })
            .collect()
    };
    let hess = |l: &[f64], _: &[f64]| {
        let sq: f64 = l.iter().map(|v| v * v).sum();
        let mut h = vec![0.0; p * p];
        for i in 0..p {
            for j in 0..p {
                h[i * p + j] = if i == j {
                    2.0 * (sq - l[i] * l[i])
                } else {
                    -2.0 * r[i * p + j] + 4.0 * l[i] * l[j]
                };
            }
        }
        h
    };
    let (loadings, converged, _) = minimise(principal_start(r, p), f, grad, hess);
    let heywood = loadings.iter().any(|l| 1.0 - l * l <= 0.0);
    Fit {
        loadings,
        heywood,
        converged,
    }
}

/// The ML discrepancy on the manifold ψ = 1 − λ² (the ML solution satisfies
/// diag(Σ) = diag(R) = 1): with w = λ/ψ and s = λ'w,
/// F = Σ log ψ_i + log(1 + s) + Σ 1/ψ_i − w'Rw/(1 + s); +∞ outside |λ_i| < 1.
fn ml_objective(r: &[f64], p: usize, l: &[f64]) -> f64 {
    let mut w = vec![0.0; p];
    let (mut logdet, mut inv, mut s) = (0.0, 0.0, 0.0);
    for i in 0..p {
        let psi = 1.0 - l[i] * l[i];
        if psi.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
            return f64::INFINITY;
        }
        w[i] = l[i] / psi;
        logdet += psi.ln();
        inv += 1.0 / psi;
        s += l[i] * w[i];
    }
    let wrw = quadratic(r, p, &w);
    logdet + (1.0 + s).ln() + inv - wrw / (1.0 + s)
}

fn quadratic(r: &[f64], p: usize, w: &[f64]) -> f64 {
    (0..p)
        .map(|i| w[i] * (0..p).map(|j| r[i * p + j] * w[j]).sum::<f64>())
        .sum()
}

/// Gradient of [`ml_objective`] in λ: with M = Σ⁻¹ − Σ⁻¹RΣ⁻¹ (the derivative in Σ),
/// dF/dλ_i = 2 (Mλ)_i − 2 λ_i M_ii, each term from Rw in O(p²).
fn ml_gradient(r: &[f64], p: usize, l: &[f64]) -> Vec<f64> {
    let psi: Vec<f64> = l.iter().map(|v| 1.0 - v * v).collect();
    let w: Vec<f64> = (0..p).map(|i| l[i] / psi[i]).collect();
    let s: f64 = (0..p).map(|i| l[i] * w[i]).sum();
    let rw: Vec<f64> = (0..p)
        .map(|i| (0..p).map(|j| r[i * p + j] * w[j]).sum())
        .collect();
    let wrw: f64 = (0..p).map(|i| w[i] * rw[i]).sum();
    let c = 1.0 + s;
    (0..p)
        .map(|i| {
            // Σ⁻¹λ = w/c; Σ⁻¹Rw = Rw/ψ − w (w'Rw)/c
            let m_lambda = w[i] / c - (rw[i] / psi[i] - w[i] * wrw / c) / c;
            // Σ⁻¹_ii = 1/ψ_i − w_i²/c; (Σ⁻¹RΣ⁻¹)_ii = u'Ru, u = e_i/ψ_i − w_i w/c
            let sinv_ii = 1.0 / psi[i] - w[i] * w[i] / c;
            let uru = r[i * p + i] / (psi[i] * psi[i]) - 2.0 * w[i] * rw[i] / (psi[i] * c)
                + w[i] * w[i] * wrw / (c * c);
            2.0 * m_lambda - 2.0 * l[i] * (sinv_ii - uru)
        })
        .collect()
}

/// Maximum likelihood: Newton in u = atanh(λ) (so that ψ = 1 − λ² = sech²(u) stays
/// positive and the boundary ψ → 0 is at infinity), Hessian by central differences of the
/// analytic gradient, from the minimum-residual solution (shrunk inside |λ| ≤ 0.9 when
/// that is improper). A fit that runs into the boundary (ψ_h below [`HEYWOOD_ML`]) is a
/// Heywood case;
/// its loadings are the ML solution on that boundary.
fn ml(r: &[f64], p: usize) -> Fit {
    let start = minres(r, p);
    let u0: Vec<f64> = start
        .loadings
        .iter()
        .map(|v| {
            if start.heywood {
                v.clamp(-0.9, 0.9)
            } else {
                *v
            }
            .atanh()
        })
        .collect();
    let lambda = |u: &[f64]| u.iter().map(|v| v.tanh()).collect::<Vec<f64>>();
    let f = |u: &[f64]| ml_objective(r, p, &lambda(u));
    let grad = |u: &[f64]| {
        let l = lambda(u);
        let g = ml_gradient(r, p, &l);
        (0..p)
            .map(|i| g[i] * (1.0 - l[i] * l[i]))
            .collect::<Vec<f64>>()
    };
    let hess = |u: &[f64], _: &[f64]| {
        let mut h = vec![0.0; p * p];
        let mut x = u.to_vec();
        for k in 0..p {
            let step = 1e-5 * (1.0 + u[k].abs());
            x[k] = u[k] + step;
            let up = grad(&x);
            x[k] = u[k] - step;
            let down = grad(&x);
            x[k] = u[k];
            for i in 0..p {
                h[i * p + k] = (up[i] - down[i]) / (2.0 * step);
            }
        }
        for i in 0..p {
            for j in (i + 1)..p {
                let m = 0.5 * (h[i * p + j] + h[j * p + i]);
                h[i * p + j] = m;
                h[j * p + i] = m;
            }
        }
        h
    };
    let (u, converged, gmax) = minimise(u0, f, grad, hess);
    let loadings = lambda(&u);
    // ψ from u directly (sech² u), without the cancellation of 1 − tanh² u
    let (h, min_psi) = u.iter().map(|v| 1.0 / v.cosh().powi(2)).enumerate().fold(
        (0, f64::INFINITY),
        |m, (i, psi)| if psi < m.1 { (i, psi) } else { m },
    );
    // the boundary ψ_h = 0: the factor is item h, so λ_h = 1 and λ_j = r_hj
    let boundary: Vec<f64> = (0..p)
        .map(|j| if j == h { 1.0 } else { r[h * p + j] })
        .collect();
    // Near the boundary the iteration creeps towards it (ψ of 1e-6 after hundreds of
    // steps), so where it stops is no test: the optimum is on the boundary when the
    // boundary fits at least as well as the point reached (an interior optimum fits better).
    let on_boundary = min_psi < HEYWOOD_ML
        || (min_psi < HEYWOOD_NEAR
            && ml_objective_at(r, p, &boundary) <= ml_objective(r, p, &loadings));
    if !on_boundary {
        // interior: converged, or stopped by rounding with a small gradient (near the
        // boundary the gradient's rounding grows like 1/ψ)
        return Fit {
            loadings,
            heywood: false,
            converged: converged || gmax <= 1e-6,
        };
    }
    Fit {
        loadings: boundary,
        heywood: true,
        converged: true,
    }
}

/// The ML discrepancy log|Σ| + tr(Σ⁻¹R) for loadings `l` with ψ = 1 − λ² allowed to be 0
/// (where [`ml_objective`] is infinite), from the eigenvalues of Σ = λλ' + Ψ; +∞ when Σ is
/// not positive definite.
fn ml_objective_at(r: &[f64], p: usize, l: &[f64]) -> f64 {
    let mut sigma = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..p {
            sigma[i * p + j] = if i == j { 1.0 } else { l[i] * l[j] };
        }
    }
    let (values, vectors) = symmetric_eigen(&sigma, p);
    if values
        .iter()
        .any(|&e| e.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater))
    {
        return f64::INFINITY;
    }
    // tr(Σ⁻¹R) = Σ_k v_k'Rv_k / e_k
    let (mut logdet, mut trace) = (0.0, 0.0);
    for (k, &e) in values.iter().enumerate() {
        let v: Vec<f64> = (0..p).map(|i| vectors[i * p + k]).collect();
        logdet += e.ln();
        trace += quadratic(r, p, &v) / e;
    }
    logdet + trace
}

/// An ML uniqueness below this is taken as the boundary ψ = 0 (a Heywood case): the
/// iteration approaches the boundary only slowly (ψ of 1e-7 after hundreds of steps),
/// and a uniqueness below 1e-6 of the item's variance is indistinguishable from none.
const HEYWOOD_ML: f64 = 1e-6;

/// Below this uniqueness the boundary is compared with the point the iteration reached.
const HEYWOOD_NEAR: f64 = 1e-3;

fn fit(r: &[f64], p: usize, method: FactorMethod) -> Fit {
    let mut fit = match method {
        FactorMethod::MaximumLikelihood => ml(r, p),
        FactorMethod::MinimumResidual => minres(r, p),
    };
    if fit.loadings.iter().sum::<f64>() < 0.0 {
        for l in &mut fit.loadings {
            *l = -*l;
        }
    }
    fit
}

/// The correlation matrix of a covariance matrix; `Err` naming the first item with zero
/// variance.
fn correlation(c: &[f64], p: usize) -> Result<Vec<f64>> {
    let sd: Vec<f64> = (0..p).map(|i| c[i * p + i].sqrt()).collect();
    if let Some(item) = sd
        .iter()
        .position(|&s| s.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater))
    {
        return Err(Error::ConstantItem { item });
    }
    Ok((0..p * p)
        .map(|ij| {
            let (i, j) = (ij / p, ij % p);
            if i == j {
                1.0
            } else {
                (c[ij] / (sd[i] * sd[j])).clamp(-1.0, 1.0)
            }
        })
        .collect())
}

fn reference(method: FactorMethod) -> &'static str {
    match method {
        FactorMethod::MaximumLikelihood => {
            "psych::fa(nfactors = 1, fm = \"ml\") 2.2.9 (tightly converged); lavaan 0.6 std.all"
        }
        FactorMethod::MinimumResidual => {
            "psych::fa(nfactors = 1, fm = \"minres\") 2.2.9 (tightly converged)"
        }
    }
}

fn result(fit: &Fit, method: FactorMethod, n: usize, dropped: usize) -> Omega {
    Omega {
        coefficient: fit.omega(),
        heywood: fit.heywood,
        uniquenesses: fit.loadings.iter().map(|l| 1.0 - l * l).collect(),
        loadings: fit.loadings.clone(),
        method,
        ci: Outcome::Undefined(Undefined::NotRequested),
        ci_method: IntervalMethod::PercentileBootstrap,
        replicates: 0,
        undefined_replicates: 0,
        n,
        dropped,
        items: fit.loadings.len(),
        missing: CaseDeletion::Listwise,
        reference: reference(method),
    }
}

/// McDonald's omega total of a scale from a one-factor model fitted to the item
/// correlation matrix (Pearson, listwise), by maximum likelihood or minimum residual.
///
/// ```text
/// R ≈ λλ' + Ψ,  ψ_j = 1 − λ_j²                          (one common factor, standardized)
/// ML:      minimise log|Σ| + tr(R Σ⁻¹),  Σ = λλ' + Ψ
/// minres:  minimise Σ_{i<j} (r_ij − λ_i λ_j)²
/// omega_t = (Σ λ_j)² / ((Σ λ_j)² + Σ ψ_j)
/// ```
///
/// **What this omega is.** Omega total from a single common factor (McDonald 1999, eq.
/// 6.20b): the share of the variance of the sum of the *standardized* items that the one
/// factor explains, with the model-implied total variance in the denominator (loadings and
/// uniquenesses of `psych::fa(r, nfactors = 1)`, so the denominator is (Σλ)² + Σψ, not the
/// observed sum of R that `psych::omega` divides by). Being correlation-based it is
/// unchanged by reordering the items or by any increasing affine map of an item.
/// **What it is not.** Not omega hierarchical (ω_h) and not from a bifactor or
/// Schmid-Leiman model (`psych::omega` with several group factors); on a multidimensional
/// scale a single factor misfits and this omega describes that misfitting model.
///
/// Both fits are unconstrained Newton iterations to full precision (gradient at the
/// rounding level) from the first principal component; a uniqueness at or below zero is a
/// Heywood case ([`Omega::heywood`]): omega is then undefined and the loadings are kept.
/// psych bounds uniquenesses below at 0.005 instead, so in Heywood cases its numbers are
/// those of a constrained fit. O(n k²) for the correlations, then O(k³) per iteration.
///
/// # Errors
/// [`Error::OmegaTooFewItems`] for fewer than 3 items (with 2 the loadings are not
/// identified); [`Error::TooFewRespondents`] for fewer than 2 complete respondents;
/// [`Error::ConstantItem`] for an item every respondent answered the same.
///
/// # Example
/// ```
/// use alliance::reliability::{omega, FactorMethod};
/// use alliance::Ratings;
/// let answers = Ratings::from_rows(&[
///     [4.0, 5.0, 4.0, 4.0], [2.0, 3.0, 3.0, 2.0], [5.0, 5.0, 4.0, 5.0], [3.0, 2.0, 2.0, 3.0],
///     [4.0, 4.0, 5.0, 3.0], [1.0, 2.0, 1.0, 2.0], [3.0, 3.0, 4.0, 4.0], [5.0, 4.0, 5.0, 5.0],
/// ])?;
/// let o = omega(&answers, FactorMethod::MinimumResidual)?;
/// assert!(!o.heywood && o.loadings.len() == 4);
/// assert!(o.coefficient.value().is_some_and(|w| w > 0.8 && w < 1.0));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// McDonald, R. P. (1999). *Test theory: a unified treatment*, ch. 6. Erlbaum. Jöreskog,
/// K. G. (1967). Some contributions to maximum likelihood factor analysis. *Psychometrika*,
/// 32, 443-482. Harman, H. H., & Jones, W. H. (1966). Factor analysis by minimizing
/// residuals (minres). *Psychometrika*, 31, 351-368. Matches `psych::fa(r, nfactors = 1,
/// fm = "ml" | "minres")` 2.2.9 (loadings, uniquenesses; converged tightly, see
/// `tests/reference/omega.R`) and the standardized one-factor ML fit of lavaan.
pub fn omega(items: &Ratings, method: FactorMethod) -> Result<Omega> {
    let k = items.raters();
    if k < 3 {
        return Err(Error::OmegaTooFewItems { found: k });
    }
    let data = Centred::of(items)?;
    let r = correlation(&data.covariance(), k)?;
    Ok(result(&fit(&r, k, method), method, data.n, data.dropped))
}

/// [`omega`] with a seeded percentile bootstrap interval: respondents drawn with
/// replacement, the correlation matrix and the one-factor model refitted on each resample.
///
/// Replicates with a constant item or a Heywood solution have no omega and are left out
/// (counted in [`Omega::undefined_replicates`]); the interval is the percentile interval
/// (R quantile type 7) of the others, undefined when fewer than 2 remain. Why percentile:
/// omega lies in [0, 1] and its sampling distribution is skewed near 1; the percentile
/// interval respects both. O(B (n k² + iterations k³)).
///
/// # Errors
/// As [`omega`]; [`Error::ReliabilityBootstrapTooCostly`] when replicates × n × k passes
/// [`super::MAX_BOOTSTRAP_DRAWS`].
///
/// # Example
/// ```
/// use alliance::agreement::Bootstrap;
/// use alliance::reliability::{omega_bootstrap, FactorMethod};
/// use alliance::Ratings;
/// let answers = Ratings::from_rows(&[
///     [4.0, 5.0, 4.0, 4.0], [2.0, 3.0, 3.0, 2.0], [5.0, 5.0, 4.0, 5.0], [3.0, 2.0, 2.0, 3.0],
///     [4.0, 4.0, 5.0, 3.0], [1.0, 2.0, 1.0, 2.0], [3.0, 3.0, 4.0, 4.0], [5.0, 4.0, 5.0, 5.0],
/// ])?;
/// let o = omega_bootstrap(&answers, FactorMethod::MinimumResidual, Bootstrap::new(200)?.with_seed(1))?;
/// assert_eq!(o.replicates, 200);
/// assert!(o.ci.value().is_some_and(|ci| ci.upper <= 1.0));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// As [`omega`]; Kelley, K., & Pornprasertmanit, S. (2016). Confidence intervals for
/// population reliability coefficients: evaluation of methods, recommendations, and
/// software for composite measures. *Psychological Methods*, 21, 69-92.
pub fn omega_bootstrap(
    items: &Ratings,
    method: FactorMethod,
    bootstrap: Bootstrap,
) -> Result<Omega> {
    let k = items.raters();
    if k < 3 {
        return Err(Error::OmegaTooFewItems { found: k });
    }
    let data = Centred::of(items)?;
    let n = data.n;
    let replicates = bootstrap.replicates();
    let cells = n.saturating_mul(k);
    if (replicates as u64).saturating_mul(cells as u64) > super::MAX_BOOTSTRAP_DRAWS {
        return Err(Error::ReliabilityBootstrapTooCostly {
            replicates,
            cells,
            limit: super::MAX_BOOTSTRAP_DRAWS,
        });
    }
    let r = correlation(&data.covariance(), k)?;
    let mut out = result(&fit(&r, k, method), method, n, data.dropped);
    let mut rng = stats::SplitMix64::new(bootstrap.seed());
    let mut resample = Centred {
        x: vec![0.0; n * k],
        n,
        k,
        dropped: 0,
    };
    let mut omegas = Vec::with_capacity(replicates);
    for _ in 0..replicates {
        for row in resample.x.chunks_exact_mut(k) {
            let pick = rng.below(n as u64) as usize;
            row.copy_from_slice(&data.x[pick * k..(pick + 1) * k]);
        }
        // centre the resample at its own means
        for j in 0..k {
            let m = resample.x.iter().skip(j).step_by(k).sum::<f64>() / n as f64;
            for v in resample.x.iter_mut().skip(j).step_by(k) {
                *v -= m;
            }
        }
        let Ok(rb) = correlation(&resample.covariance(), k) else {
            continue;
        };
        if let Outcome::Defined(w) = fit(&rb, k, method).omega() {
            omegas.push(w);
        }
    }
    out.replicates = replicates;
    out.undefined_replicates = replicates - omegas.len();
    omegas.sort_unstable_by(f64::total_cmp);
    let level = bootstrap.level();
    let tail = level.tail();
    out.ci = match (percentile(&omegas, tail), percentile(&omegas, 1.0 - tail)) {
        (Some(lower), Some(upper)) if omegas.len() >= 2 => {
            Outcome::Defined(Interval::new(lower, upper, level))
        }
        _ => Outcome::Undefined(Undefined::TooFewObservations),
    };
    Ok(out)
}

/// [`omega`] of each subscale, given as sets of 0-based item columns (e.g. the Goal, Task
/// and Bond items of the WAI-SR); each subscale uses its own complete respondents.
///
/// # Errors
/// [`Error::InvalidItemSet`] for an index outside the matrix or listed twice; otherwise as
/// [`omega`] for each subscale.
///
/// # Example
/// ```
/// use alliance::reliability::{omega_subscales, FactorMethod};
/// use alliance::Ratings;
/// let answers = Ratings::from_rows(&[
///     [4.0, 5.0, 4.0, 2.0, 1.0, 2.0], [2.0, 3.0, 3.0, 4.0, 4.0, 5.0], [5.0, 5.0, 4.0, 3.0, 2.0, 2.0],
///     [3.0, 2.0, 2.0, 1.0, 2.0, 1.0], [4.0, 4.0, 5.0, 5.0, 5.0, 4.0], [1.0, 2.0, 1.0, 3.0, 3.0, 4.0],
/// ])?;
/// let per = omega_subscales(&answers, FactorMethod::MinimumResidual, &[&[0, 1, 2], &[3, 4, 5]])?;
/// assert_eq!(per.len(), 2);
/// assert!(per.iter().all(|o| o.items == 3));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// As [`omega`].
pub fn omega_subscales(
    items: &Ratings,
    method: FactorMethod,
    subscales: &[&[usize]],
) -> Result<Vec<Omega>> {
    let k = items.raters();
    subscales
        .iter()
        .map(|set| {
            for (pos, &index) in set.iter().enumerate() {
                if index >= k {
                    return Err(Error::InvalidItemSet {
                        index,
                        reason: format!("the matrix has {k} items"),
                    });
                }
                if set[..pos].contains(&index) {
                    return Err(Error::InvalidItemSet {
                        index,
                        reason: "it is listed twice".into(),
                    });
                }
            }
            let cells = (0..items.targets())
                .flat_map(|t| set.iter().map(move |&j| items.get(t, j)))
                .collect();
            let sub = Ratings::with_missing(items.targets(), set.len(), cells)?;
            omega(&sub, method)
        })
        .collect()
}

/// [`omega`] from a k x k covariance (or correlation) matrix, row-major, instead of raw
/// answers: the matrix is scaled to correlations and fitted the same way. `n` is reported
/// as [`Omega::n`] only (the point estimate does not depend on it).
///
/// # Errors
/// [`Error::OmegaTooFewItems`] for fewer than 3 items; [`Error::InvalidParameter`] when the
/// matrix is not k x k or not symmetric; [`Error::NonFinite`] for a NaN or infinite entry;
/// [`Error::ConstantItem`] for a variance at or below zero.
///
/// # Example
/// ```
/// use alliance::reliability::{omega_from_covariance, FactorMethod};
/// // three parallel items: loadings 0.7, uniquenesses 0.51
/// let r = [1.0, 0.49, 0.49, 0.49, 1.0, 0.49, 0.49, 0.49, 1.0];
/// let o = omega_from_covariance(&r, 3, 100, FactorMethod::MaximumLikelihood)?;
/// let w = o.coefficient.value().unwrap_or(0.0);
/// assert!((w - 2.1f64.powi(2) / (2.1f64.powi(2) + 1.53)).abs() < 1e-10);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// As [`omega`].
pub fn omega_from_covariance(
    covariance: &[f64],
    items: usize,
    n: usize,
    method: FactorMethod,
) -> Result<Omega> {
    if items < 3 {
        return Err(Error::OmegaTooFewItems { found: items });
    }
    if covariance.len() != items.saturating_mul(items) {
        return Err(Error::InvalidParameter {
            name: "covariance matrix entries",
            value: covariance.len() as f64,
            expected: "items × items entries, row by row",
        });
    }
    stats::check_finite("covariance matrix entry", covariance)?;
    for i in 0..items {
        for j in (i + 1)..items {
            let (a, b) = (covariance[i * items + j], covariance[j * items + i]);
            if (a - b).abs() > 1e-12 * a.abs().max(b.abs()).max(f64::MIN_POSITIVE) {
                return Err(Error::InvalidParameter {
                    name: "covariance matrix asymmetry",
                    value: (a - b).abs(),
                    expected: "a symmetric matrix (entry i, j equal to entry j, i)",
                });
            }
        }
    }
    let r = correlation(covariance, items)?;
    Ok(result(&fit(&r, items, method), method, n, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 5 x 5 correlation matrix of a one-factor population plus a perturbation.
    fn example() -> (Vec<f64>, usize) {
        let l = [0.8, 0.7, 0.6, 0.5, 0.4];
        let p = l.len();
        let mut r = vec![0.0; p * p];
        for i in 0..p {
            for j in 0..p {
                r[i * p + j] = if i == j {
                    1.0
                } else {
                    l[i] * l[j] + 0.03 * ((i * 7 + j * 7) % 5) as f64 - 0.06
                };
            }
        }
        (r, p)
    }

    /// The analytic ML gradient equals central differences of the objective.
    #[test]
    fn ml_gradient_is_the_objective_derivative() {
        let (r, p) = example();
        let l = [0.75, 0.6, 0.55, 0.45, 0.3];
        let g = ml_gradient(&r, p, &l);
        for k in 0..p {
            let h = 1e-6;
            let (mut up, mut down) = (l, l);
            up[k] += h;
            down[k] -= h;
            let fd = (ml_objective(&r, p, &up) - ml_objective(&r, p, &down)) / (2.0 * h);
            assert!((fd - g[k]).abs() < 1e-7, "{k}: {fd} vs {}", g[k]);
        }
    }
}
