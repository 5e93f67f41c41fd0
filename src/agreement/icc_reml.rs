//! ICC with missing cells: the crossed random-effects model of targets x raters fitted by
//! REML, as `lme4::lmer(y ~ 1 + (1 | target) + (1 | rater))` and `psych::ICC(lmer = TRUE)`.

#![allow(clippy::doc_markdown)] // author names such as Henderson are prose, not code

use std::collections::HashMap;

use super::{Bootstrap, IccForm, IccUnit};
use crate::error::{Error, Result};
use crate::interval::Interval;
use crate::method::IntervalMethod;
use crate::outcome::{Outcome, Undefined};
use crate::ratings::{CaseDeletion, Ratings};
use crate::stats::SplitMix64;
use crate::variance::VarianceComponent;

/// One ICC form computed from the REML variance components.
///
/// Serializes; does not deserialize (a result is computed, not read).
///
/// # Example
/// ```
/// use alliance::agreement::{icc_reml, IccForm, IccUnit};
/// use alliance::Ratings;
/// let r = Ratings::from_rows(&[[9.0, 2.0, 5.0], [6.0, 1.0, 3.0], [8.0, 4.0, 6.0], [7.0, 1.0, 2.0]])?;
/// let i = icc_reml(&r, None)?.get(IccForm::TwoWayAgreement, IccUnit::Single);
/// assert_eq!(i.name, "ICC(A,1)");
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RemlIcc {
    /// Model.
    pub form: IccForm,
    /// Single or average measure.
    pub unit: IccUnit,
    /// The McGraw-Wong name, e.g. "ICC(A,1)".
    pub name: &'static str,
    /// The Shrout-Fleiss name, e.g. "ICC(2,1)".
    pub shrout_fleiss: &'static str,
    /// The coefficient, or why it is undefined: [`Undefined::ConstantValues`] (every rating
    /// equal), [`Undefined::ZeroErrorVariance`] (ratings exactly additive, no residual).
    pub coefficient: Outcome<f64>,
    /// Percentile interval of the parametric bootstrap; [`Undefined::NotRequested`] without
    /// one.
    pub ci: Outcome<Interval>,
    /// How the interval was computed: [`IntervalMethod::ParametricBootstrap`].
    pub ci_method: IntervalMethod,
    /// The row of `psych::ICC(lmer = TRUE)` this matches.
    pub reference: &'static str,
}

/// The crossed random-effects fit and the six ICC forms from it; see [`icc_reml`].
///
/// Serializes; does not deserialize (a result is computed, not read).
///
/// # Example
/// ```
/// use alliance::agreement::icc_reml;
/// use alliance::Ratings;
/// let r = Ratings::with_missing(3, 2, vec![Some(5.0), Some(4.0), Some(3.0), None, Some(2.0), Some(2.5)])?;
/// let fit = icc_reml(&r, None)?;
/// assert_eq!((fit.n, fit.raters, fit.cells, fit.cells_missing), (3, 2, 5, 1));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct IccReml {
    /// Between-target variance σ²_t (lme4's `VarCorr(m)$target`).
    pub target: VarianceComponent,
    /// Between-rater variance σ²_r (lme4's `VarCorr(m)$rater`).
    pub rater: VarianceComponent,
    /// Residual variance σ²_e (lme4's `sigma(m)^2`); 0 only for constant or exactly additive
    /// ratings. Its `boundary` is true when it is 0.
    pub residual: VarianceComponent,
    /// The estimated mean rating μ (lme4's `fixef(m)`), the generalized least-squares
    /// intercept at the REML variance components.
    pub intercept: f64,
    /// The REML log-likelihood at the estimates (lme4's `logLik(m)` with `REML = TRUE`);
    /// [`Undefined::ConstantValues`] or [`Undefined::ZeroErrorVariance`] when the residual
    /// variance is 0 and the likelihood is unbounded.
    pub log_likelihood: Outcome<f64>,
    /// ICC(1), Shrout-Fleiss ICC(1,1), psych's formula (see [`icc_reml`]).
    pub one_way_single: RemlIcc,
    /// ICC(A,1) = σ²_t / (σ²_t + σ²_r + σ²_e).
    pub agreement_single: RemlIcc,
    /// ICC(C,1) = σ²_t / (σ²_t + σ²_e).
    pub consistency_single: RemlIcc,
    /// ICC(1,k), psych's formula.
    pub one_way_average: RemlIcc,
    /// ICC(A,k) = σ²_t / (σ²_t + (σ²_r + σ²_e) / k).
    pub agreement_average: RemlIcc,
    /// ICC(C,k) = σ²_t / (σ²_t + σ²_e / k).
    pub consistency_average: RemlIcc,
    /// Targets used: those with at least one rating.
    pub n: usize,
    /// Targets dropped because they have no rating at all.
    pub dropped: usize,
    /// Raters used (those with at least one rating): the k of the average forms.
    pub raters: usize,
    /// Raters dropped because they rated no target.
    pub raters_dropped: usize,
    /// Observed cells (ratings) used.
    pub cells: usize,
    /// Missing cells of the matrix (including those of dropped targets and raters).
    pub cells_missing: usize,
    /// Distinct patterns of observed raters among the targets used (the likelihood is
    /// evaluated per pattern).
    pub patterns: usize,
    /// Bootstrap replicates whose refit was used for the intervals (0 without a bootstrap).
    pub replicates: usize,
    /// Missing-data policy: [`CaseDeletion::AvailableRatings`], every observed rating is used.
    pub missing: CaseDeletion,
    /// The reference implementation this matches.
    pub reference: &'static str,
}

impl IccReml {
    /// The six forms in the order of `psych::ICC`: ICC1, ICC2, ICC3, `ICC1k`, `ICC2k`, `ICC3k`.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::icc_reml;
    /// use alliance::Ratings;
    /// let r = Ratings::from_rows(&[[5.0, 4.0], [4.5, 4.0], [3.0, 3.5], [2.0, 2.5]])?;
    /// let names: Vec<_> = icc_reml(&r, None)?.all().map(|i| i.shrout_fleiss).to_vec();
    /// assert_eq!(names, ["ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)"]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn all(&self) -> [RemlIcc; 6] {
        [
            self.one_way_single,
            self.agreement_single,
            self.consistency_single,
            self.one_way_average,
            self.agreement_average,
            self.consistency_average,
        ]
    }

    /// The form asked for.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::{icc_reml, IccForm, IccUnit};
    /// use alliance::Ratings;
    /// let r = Ratings::from_rows(&[[5.0, 4.0], [4.5, 4.0], [3.0, 3.5], [2.0, 2.5]])?;
    /// let fit = icc_reml(&r, None)?;
    /// assert_eq!(fit.get(IccForm::TwoWayConsistency, IccUnit::Average), fit.consistency_average);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn get(&self, form: IccForm, unit: IccUnit) -> RemlIcc {
        match (form, unit) {
            (IccForm::OneWay, IccUnit::Single) => self.one_way_single,
            (IccForm::TwoWayAgreement, IccUnit::Single) => self.agreement_single,
            (IccForm::TwoWayConsistency, IccUnit::Single) => self.consistency_single,
            (IccForm::OneWay, IccUnit::Average) => self.one_way_average,
            (IccForm::TwoWayAgreement, IccUnit::Average) => self.agreement_average,
            (IccForm::TwoWayConsistency, IccUnit::Average) => self.consistency_average,
        }
    }
}

/// ICC with missing cells: the crossed random-effects model
///
/// ```text
/// y_ij = μ + t_i + r_j + e_ij,   t_i ~ N(0, σ²_t),  r_j ~ N(0, σ²_r),  e_ij ~ N(0, σ²_e)
/// ```
///
/// fitted by restricted maximum likelihood (REML) on the observed cells, as
/// `lme4::lmer(y ~ 1 + (1 | target) + (1 | rater), REML = TRUE)` fits it, and the six ICC
/// forms of `psych::ICC(x, lmer = TRUE)` computed from the components. Every observed rating
/// is used; a target with no rating, or a rater who rated nothing, is dropped and counted.
///
/// **The forms** follow psych's lmer branch, which puts the components into the ANOVA
/// formulas through MSB = k σ²_t + σ²_e, MSJ = n σ²_r + σ²_e, MSW = σ²_r + σ²_e, MSE = σ²_e
/// (their expectations in a balanced design), with k the number of raters:
///
/// ```text
/// ICC(1)   = (k σ²_t − σ²_r) / (k σ²_t + k σ²_e + (k − 1) σ²_r)
/// ICC(A,1) = σ²_t / (σ²_t + σ²_r + σ²_e)            ICC(C,1) = σ²_t / (σ²_t + σ²_e)
/// ICC(1,k) = (k σ²_t − σ²_r) / (k σ²_t + σ²_e)
/// ICC(A,k) = k σ²_t / (k σ²_t + σ²_r + σ²_e)        ICC(C,k) = k σ²_t / (k σ²_t + σ²_e)
/// ```
///
/// ICC(1) is the one-way ANOVA estimator's target under this two-way model (rater variance
/// counts against it, and it can be negative); it is kept so that on complete, balanced data
/// all six forms equal the ANOVA ones of [`icc_table`](super::icc_table) whenever no REML
/// component is on the boundary (there REML truncates at 0 where ANOVA goes negative).
/// k is the number of raters with at least one rating: the average forms describe the mean of
/// k ratings, as in psych. Deviation from psych: psych takes k as the number of columns even
/// when a column has no rating (lme4 drops that rater); here such a rater is dropped and not
/// counted in k. psych also prints F tests, p-values and exact-F intervals on the lmer path
/// from balanced-design degrees of freedom, which do not hold on unbalanced data; they are
/// not reported here.
///
/// **Computation.** Henderson's mixed-model equations with the target block eliminated
/// analytically (it is diagonal), leaving a (1 + k)-dimensional Schur complement; targets
/// with the same set of observed raters are pooled into sufficient statistics, so after one
/// O(cells) pass each likelihood evaluation costs O(patterns · k² + k³), independent of the
/// number of targets. The residual variance is profiled out and the REML criterion of lme4
/// (Bates et al. 2015, eq. 42)
///
/// ```text
/// −2 ℓ_R(θ) = log|I + Λ'Z'ZΛ| + log|X'H⁻¹X| + (N − 1)(1 + log(2π PRSS / (N − 1)))
/// ```
///
/// is minimised over θ = (σ_t/σ_e, σ_r/σ_e) by Nelder-Mead on θ ∈ ℝ² (the criterion is even in
/// each θ, so θ = 0, the boundary, is reached without constraints), restarted at its optimum,
/// then polished by Newton steps on central-difference derivatives. A component whose
/// criterion at θ = 0 is within 1e-12 (relative) of the optimum's is set to exactly 0 and
/// flagged `boundary` (an interior optimum that close to 0 is below 1e-10 σ²_e).
///
/// **Intervals** (optional: pass a [`Bootstrap`] for the replicates, seed and level; `None`
/// keeps the point estimate fast and the intervals [`Undefined::NotRequested`]): a seeded
/// parametric bootstrap (lme4's `bootMer`,
/// `confint(method = "boot")`). Each replicate simulates new target and rater effects and
/// residuals from the fitted model on the same observed cells (normals by Box-Muller on the
/// crate's `SplitMix64`), refits, and the interval is the percentile interval of the
/// replicates (linear interpolation, R type 7). Chosen over profile likelihood because the
/// ICCs are ratios of all three components: one set of refits gives intervals for all six
/// forms and the components, and replicates fall on the boundary 0 as often as the model
/// says, where profile intervals of a ratio need one constrained optimisation per form and
/// bound. Its coverage is checked by simulation in the tests. Cost: the replicates times one
/// fit, i.e. about replicates × (cells + a few hundred likelihood evaluations).
///
/// # Errors
/// [`Error::TooFewRatedTargets`] when fewer than 2 targets have a rating;
/// [`Error::TooFewRatedRaters`] when fewer than 2 raters rated anything;
/// [`Error::NoRepeatedTarget`] when no target has 2 ratings (target and residual variance
/// cannot be told apart); [`Error::NoRepeatedRater`] when every rater rated a single target;
/// [`Error::SaturatedCrossedDesign`] when target and rater effects explain every rating
/// whatever the values (no residual degrees of freedom: cells ≤ targets + raters − connected
/// groups);
/// [`Error::BootstrapTooCostly`] when replicates × cells passes
/// [`Bootstrap::MAX_DRAWS`]; [`Error::RatingsTooLarge`] when the sums of squares overflow.
///
/// # Example
/// ```
/// use alliance::agreement::{icc_reml, Bootstrap};
/// use alliance::{IntervalMethod, Level, Ratings};
/// // Shrout & Fleiss (1979) Table 2 with two ratings missing
/// let r = Ratings::with_missing(6, 4, vec![
///     Some(9.0), Some(2.0), Some(5.0), Some(8.0),
///     Some(6.0), Some(1.0), None, Some(2.0),
///     Some(8.0), Some(4.0), Some(6.0), Some(8.0),
///     Some(7.0), None, Some(2.0), Some(6.0),
///     Some(10.0), Some(5.0), Some(6.0), Some(9.0),
///     Some(6.0), Some(2.0), Some(4.0), Some(7.0),
/// ])?;
/// let fit = icc_reml(&r, None)?;
/// assert_eq!((fit.n, fit.raters, fit.cells, fit.cells_missing), (6, 4, 22, 2));
/// assert!(fit.agreement_single.coefficient.value().is_some_and(|a1| a1 > 0.0 && a1 < 1.0));
/// assert!(!fit.target.boundary && !fit.rater.boundary);
///
/// // with a seeded parametric bootstrap: 90% intervals from 200 refits
/// let b = Bootstrap::new(200)?.with_seed(7).with_level(Level::new(0.90)?);
/// let fit = icc_reml(&r, Some(b))?;
/// assert!(fit.agreement_single.ci.value().is_some_and(|ci| ci.lower < ci.upper));
/// assert_eq!(fit.agreement_single.ci_method, IntervalMethod::ParametricBootstrap);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Bates, D., Mächler, M., Bolker, B., & Walker, S. (2015). Fitting linear mixed-effects
/// models using lme4. *Journal of Statistical Software*, 67(1). Henderson, C. R. (1984).
/// *Applications of linear models in animal breeding*. Shrout & Fleiss (1979); McGraw & Wong
/// (1996). Matches lme4 1.1.31 REML components (tightly converged; 21 cases in
/// `tests/reference/icc_reml.json`, largest relative error 4.4e-10) and psych 2.2.9
/// `ICC(lmer = TRUE)`.
pub fn icc_reml(ratings: &Ratings, bootstrap: Option<Bootstrap>) -> Result<IccReml> {
    let design = Design::of(ratings)?;
    if let Some(b) = bootstrap {
        let draws = (b.replicates() as u64).saturating_mul(design.cells as u64);
        if draws > Bootstrap::MAX_DRAWS {
            return Err(Error::BootstrapTooCostly {
                replicates: b.replicates(),
                values: design.cells,
                limit: Bootstrap::MAX_DRAWS,
            });
        }
    }
    let stats = design.statistics(ratings.rows_raw().filter(|r| r.iter().any(|x| !x.is_nan())));
    let fit = fit(&design, &stats)?;
    let k = design.raters as f64;
    let point = Estimates::of(&fit, k);

    let mut result = assemble(&design, ratings, &fit, &point);
    if let Some(b) = bootstrap {
        if let Fitted::Regular { .. } = fit.kind {
            bootstrap_into(&mut result, &design, ratings, &fit, b);
        } else {
            let why = Outcome::Undefined(match fit.kind {
                Fitted::Constant => Undefined::ConstantValues,
                _ => Undefined::ZeroErrorVariance,
            });
            set_intervals(&mut result, [why; 9]);
        }
    }
    Ok(result)
}

// ---- the design: patterns of observed raters ------------------------------------------

/// Targets with the same set of observed raters, pooled.
struct Pattern {
    /// Raters in the pattern (indices among the raters used).
    members: Vec<usize>,
    /// Targets with this pattern.
    count: f64,
    /// Ratings per target (the pattern's size).
    size: f64,
}

/// What does not change between replicates: which cells are observed.
struct Design {
    /// Raters used, and the map from a column to its index among them.
    raters: usize,
    column_index: Vec<Option<usize>>,
    patterns: Vec<Pattern>,
    /// Pattern of each used target, in row order.
    target_pattern: Vec<usize>,
    /// Ratings per rater.
    rater_count: Vec<f64>,
    n: usize,
    dropped: usize,
    raters_dropped: usize,
    cells: usize,
}

/// What the likelihood needs from the ratings: per pattern the sums of the target means and
/// of their squares; per rater the sum of deviations from target means; the pooled
/// within-target sum of squares. Ratings are centred and scaled by a power of two first.
struct Statistics {
    mean_sum: Vec<f64>,
    mean_sq_sum: Vec<f64>,
    deviation_sum: Vec<f64>,
    within_ss: f64,
    centre: f64,
    scale: f64,
    constant: bool,
}

impl Design {
    fn of(ratings: &Ratings) -> Result<Design> {
        let k = ratings.raters();
        let mut column_count = vec![0usize; k];
        let (mut n, mut repeated_target) = (0usize, false);
        for row in ratings.rows_raw() {
            let mut m = 0;
            for (c, x) in column_count.iter_mut().zip(row) {
                if !x.is_nan() {
                    *c += 1;
                    m += 1;
                }
            }
            n += usize::from(m > 0);
            repeated_target |= m > 1;
        }
        if n < 2 {
            return Err(Error::TooFewRatedTargets { found: n });
        }
        let raters = column_count.iter().filter(|&&c| c > 0).count();
        if raters < 2 {
            return Err(Error::TooFewRatedRaters { found: raters });
        }
        if !repeated_target {
            return Err(Error::NoRepeatedTarget { targets: n });
        }
        if !column_count.iter().any(|&c| c > 1) {
            return Err(Error::NoRepeatedRater { raters });
        }
        let mut column_index = vec![None; k];
        let mut rater_count = Vec::with_capacity(raters);
        for (j, &c) in column_count.iter().enumerate() {
            if c > 0 {
                column_index[j] = Some(rater_count.len());
                rater_count.push(c as f64);
            }
        }
        // patterns: a direct table for up to 16 raters, a hash map beyond
        let words = raters.div_ceil(64);
        let mut table: Vec<u32> = if raters <= 16 {
            vec![u32::MAX; 1 << raters]
        } else {
            Vec::new()
        };
        let mut map: HashMap<Box<[u64]>, usize> = HashMap::new();
        let mut key = vec![0u64; words];
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut target_pattern = Vec::with_capacity(n);
        for row in ratings.rows_raw() {
            key.iter_mut().for_each(|w| *w = 0);
            let mut m = 0usize;
            for (x, idx) in row.iter().zip(&column_index) {
                if let (false, Some(j)) = (x.is_nan(), idx) {
                    key[j / 64] |= 1 << (j % 64);
                    m += 1;
                }
            }
            if m == 0 {
                continue;
            }
            let existing = if raters <= 16 {
                table
                    .get(key[0] as usize)
                    .copied()
                    .filter(|&p| p != u32::MAX)
                    .map(|p| p as usize)
            } else {
                map.get(&key[..]).copied()
            };
            let p = if let Some(p) = existing {
                p
            } else {
                let p = patterns.len();
                let members = (0..raters)
                    .filter(|&j| key[j / 64] >> (j % 64) & 1 == 1)
                    .collect();
                patterns.push(Pattern {
                    members,
                    count: 0.0,
                    size: m as f64,
                });
                if raters <= 16 {
                    if let Some(slot) = table.get_mut(key[0] as usize) {
                        *slot = p as u32;
                    }
                } else {
                    map.insert(key.clone().into_boxed_slice(), p);
                }
                p
            };
            if let Some(pat) = patterns.get_mut(p) {
                pat.count += 1.0;
            }
            target_pattern.push(p);
        }
        let cells: usize = column_count.iter().sum();
        // The additive fit μ + t_i + r_j has n + raters − (connected components of the
        // target-rater graph) free parameters; with none left over for error the design is
        // saturated and σ²_e cannot be estimated.
        let components = connected_components(ratings, &column_index, n, raters);
        let parameters = n + raters - components;
        if cells <= parameters {
            return Err(Error::SaturatedCrossedDesign { cells, parameters });
        }
        Ok(Design {
            raters,
            column_index,
            patterns,
            target_pattern,
            rater_count,
            n,
            dropped: ratings.targets() - n,
            raters_dropped: k - raters,
            cells,
        })
    }

    /// The sufficient statistics of the rows of the used targets (in row order).
    fn statistics<'a>(&self, rows: impl Iterator<Item = &'a [f64]> + Clone) -> Statistics {
        // centre on the mean of the observed ratings, scale by a power of two near their RMS
        let (mut sum, mut count) = (0.0, 0.0);
        for row in rows.clone() {
            for &x in row.iter().filter(|x| !x.is_nan()) {
                sum += x;
                count += 1.0;
            }
        }
        let centre = sum / count;
        let mut ss = 0.0;
        for row in rows.clone() {
            for &x in row.iter().filter(|x| !x.is_nan()) {
                ss += (x - centre) * (x - centre);
            }
        }
        let rms = (ss / count).sqrt();
        let constant = ss == 0.0;
        let scale = if rms > 0.0 && rms.is_finite() {
            2f64.powi(rms.log2().round() as i32)
        } else {
            1.0
        };
        self.statistics_with(rows.map(|row| (row, None)), centre, scale, constant)
    }

    /// The statistics of the used targets' rows, each with an optional replacement row of
    /// simulated ratings (the bootstrap), centred on `centre` and divided by `scale`.
    fn statistics_with<'a>(
        &self,
        rows: impl Iterator<Item = (&'a [f64], Option<&'a [f64]>)>,
        centre: f64,
        scale: f64,
        constant: bool,
    ) -> Statistics {
        let p = self.patterns.len();
        let mut s = Statistics {
            mean_sum: vec![0.0; p],
            mean_sq_sum: vec![0.0; p],
            deviation_sum: vec![0.0; self.raters],
            within_ss: 0.0,
            centre,
            scale,
            constant,
        };
        for ((row, simulated), &pat) in rows.zip(&self.target_pattern) {
            let value = |j: usize| simulated.map_or(row[j], |s| s[j]);
            let (mut total, mut m) = (0.0, 0.0);
            for (j, x) in row.iter().enumerate() {
                if !x.is_nan() && self.column_index[j].is_some() {
                    total += (value(j) - centre) / scale;
                    m += 1.0;
                }
            }
            let mean = total / m;
            for (j, x) in row.iter().enumerate() {
                if let (false, Some(r)) = (x.is_nan(), self.column_index[j]) {
                    let d = (value(j) - centre) / scale - mean;
                    s.within_ss += d * d;
                    s.deviation_sum[r] += d;
                }
            }
            s.mean_sum[pat] += mean;
            s.mean_sq_sum[pat] += mean * mean;
        }
        s
    }
}

/// Connected components of the bipartite graph of the used targets and raters (an edge per
/// observed cell), by union-find.
fn connected_components(
    ratings: &Ratings,
    column_index: &[Option<usize>],
    n: usize,
    raters: usize,
) -> usize {
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let mut parent: Vec<usize> = (0..n + raters).collect();
    let mut components = n + raters;
    let mut target = 0;
    for row in ratings.rows_raw() {
        let mut any = false;
        for (x, idx) in row.iter().zip(column_index) {
            if let (false, Some(j)) = (x.is_nan(), idx) {
                any = true;
                let (a, b) = (root(&mut parent, target), root(&mut parent, n + j));
                if a != b {
                    parent[a] = b;
                    components -= 1;
                }
            }
        }
        target += usize::from(any);
    }
    components
}

// ---- the REML criterion ---------------------------------------------------------------

/// Work space for one evaluation of the criterion, allocated once per fit.
struct Workspace {
    m: Vec<f64>,
    b1: Vec<f64>,
    by: Vec<f64>,
    weight: Vec<f64>,
}

/// The pieces of one evaluation.
#[derive(Clone, Copy)]
struct Evaluation {
    /// −2 ℓ_R on the scaled data.
    deviance: f64,
    /// Penalized residual sum of squares (scaled data).
    prss: f64,
    /// GLS intercept (scaled, centred data).
    intercept: f64,
}

/// The largest |θ| searched: beyond it the residual variance is below 1e-12 of the others.
const THETA_CAP: f64 = 1e6;

fn evaluate(d: &Design, s: &Statistics, w: &mut Workspace, theta: [f64; 2]) -> Option<Evaluation> {
    let ga = theta[0].abs().min(THETA_CAP).powi(2);
    let gb = theta[1].abs().min(THETA_CAP).powi(2);
    let q = d.raters;
    let nf = d.cells as f64;
    // target block eliminated: per pattern, 1 / (1 + γa m) and γa / (1 + γa m)
    let (mut log_w, mut c11, mut c1y, mut cyy) = (0.0, 0.0, 0.0, s.within_ss);
    w.m.iter_mut().for_each(|x| *x = 0.0);
    w.b1.iter_mut().for_each(|x| *x = 0.0);
    w.by.copy_from_slice(&s.deviation_sum);
    for (i, p) in d.patterns.iter().enumerate() {
        let inv = 1.0 / (1.0 + ga * p.size);
        log_w += p.count * (ga * p.size).ln_1p();
        c11 += p.count * p.size * inv;
        c1y += p.size * s.mean_sum[i] * inv;
        cyy += p.size * s.mean_sq_sum[i] * inv;
        let c = p.count * ga * inv;
        w.weight[i] = c;
        for &j in &p.members {
            w.b1[j] += p.count * inv;
            w.by[j] += s.mean_sum[i] * inv;
        }
    }
    // M = I + γb (diag(n_j) − Σ_p c_p 1_S 1_S')
    for (i, p) in d.patterns.iter().enumerate() {
        let c = w.weight[i];
        for &a in &p.members {
            for &b in &p.members {
                w.m[a * q + b] -= c;
            }
        }
    }
    for a in 0..q {
        for b in 0..q {
            w.m[a * q + b] *= gb;
        }
        w.m[a * q + a] += 1.0 + gb * d.rater_count[a];
    }
    let log_m = cholesky(&mut w.m, q)?;
    forward(&w.m, q, &mut w.b1);
    forward(&w.m, q, &mut w.by);
    let dot = |x: &[f64], y: &[f64]| x.iter().zip(y).map(|(a, b)| a * b).sum::<f64>();
    let g00 = c11 - gb * dot(&w.b1, &w.b1);
    let g01 = c1y - gb * dot(&w.b1, &w.by);
    let g11 = cyy - gb * dot(&w.by, &w.by);
    if g00.is_nan() || g00 <= 0.0 {
        return None;
    }
    let prss = (g11 - g01 * g01 / g00).max(0.0);
    let df = nf - 1.0;
    let deviance =
        log_w + log_m + g00.ln() + df * (1.0 + (2.0 * std::f64::consts::PI * prss / df).ln());
    Some(Evaluation {
        deviance,
        prss,
        intercept: g01 / g00,
    })
}

/// In-place lower Cholesky factor of the row-major `q × q` matrix `a`; returns log|a|, or
/// `None` when `a` is not positive definite.
fn cholesky(a: &mut [f64], q: usize) -> Option<f64> {
    let mut log_det = 0.0;
    for j in 0..q {
        let mut diag = a[j * q + j];
        for k in 0..j {
            diag -= a[j * q + k] * a[j * q + k];
        }
        if diag.is_nan() || diag <= 0.0 {
            return None;
        }
        let l = diag.sqrt();
        a[j * q + j] = l;
        log_det += 2.0 * l.ln();
        for i in j + 1..q {
            let mut v = a[i * q + j];
            for k in 0..j {
                v -= a[i * q + k] * a[j * q + k];
            }
            a[i * q + j] = v / l;
        }
    }
    Some(log_det)
}

/// Solves L z = b in place for the lower factor stored in `l`.
fn forward(l: &[f64], q: usize, b: &mut [f64]) {
    for i in 0..q {
        let mut v = b[i];
        for k in 0..i {
            v -= l[i * q + k] * b[k];
        }
        b[i] = v / l[i * q + i];
    }
}

// ---- the optimiser --------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Fitted {
    /// Residual variance positive: a regular REML fit.
    Regular { theta: [f64; 2] },
    /// Every rating equal.
    Constant,
    /// Ratings exactly target plus rater effects: the likelihood has no maximum.
    Additive,
}

struct Fit {
    kind: Fitted,
    /// Components on the original scale: target, rater, residual.
    components: [f64; 3],
    boundary: [bool; 3],
    intercept: f64,
    log_likelihood: Option<f64>,
}

fn fit(d: &Design, s: &Statistics) -> Result<Fit> {
    fit_from(d, s, [1.0, 1.0], false)
}

/// The REML fit from `start` (θ); `near` when `start` is known to be close to the optimum.
fn fit_from(d: &Design, s: &Statistics, start: [f64; 2], near: bool) -> Result<Fit> {
    let too_large = || Error::RatingsTooLarge {
        what: "variance components of the ICC",
    };
    if s.constant {
        return Ok(Fit {
            kind: Fitted::Constant,
            components: [0.0; 3],
            boundary: [true; 3],
            intercept: s.centre,
            log_likelihood: None,
        });
    }
    let q = d.raters;
    let mut w = Workspace {
        m: vec![0.0; q * q],
        b1: vec![0.0; q],
        by: vec![0.0; q],
        weight: vec![0.0; d.patterns.len()],
    };
    // Ratings explained exactly by target and rater effects: the likelihood grows without
    // bound as σ²_e -> 0. PRSS falls to the additive fit's residual sum of squares as γ
    // grows; exactly additive ratings leave at γ = 1e8 (θ = 1e4) at most (‖t‖² + ‖r‖²)/1e8,
    // some 1e-9 of the total sum of squares, so a residual below 1e-6 of the total counts
    // as none (the Cholesky of I + γ A stays well conditioned at this γ).
    let total = evaluate(d, s, &mut w, [0.0, 0.0])
        .ok_or_else(too_large)?
        .prss;
    let additive = evaluate(d, s, &mut w, [1e4, 1e4])
        .ok_or_else(too_large)?
        .prss;
    if additive <= 1e-6 * total {
        return Ok(Fit {
            kind: Fitted::Additive,
            components: [0.0; 3],
            boundary: [false, false, true],
            intercept: s.centre,
            log_likelihood: None,
        });
    }
    let mut f = |t: [f64; 2]| evaluate(d, s, &mut w, t).map_or(f64::INFINITY, |e| e.deviance);
    // Nelder-Mead to ~1e-7, restarted once at its optimum (a collapsed simplex can stall
    // away from it), then Newton steps finish. A bootstrap refit starts at the point
    // estimate, near its own optimum: Newton steps alone usually finish there, and
    // Nelder-Mead is the fallback.
    let quick = if near {
        newton_polish(&mut f, start)
    } else {
        None
    };
    let mut theta = if let Some(t) = quick {
        t
    } else {
        let (mut theta, best) = nelder_mead(&mut f, start, 0.5);
        let (t, v) = nelder_mead(&mut f, theta, 0.05);
        if v < best {
            theta = t;
        }
        let theta = theta.map(f64::abs);
        newton_polish(&mut f, theta).unwrap_or(theta)
    };
    // boundary: a component whose criterion at 0 is within rounding (1e-12 relative) of the
    // optimum's; an interior optimum that close to 0 would hold under 1e-10 of σ²_e
    let mut boundary = [false; 2];
    for i in 0..2 {
        let mut at_zero = theta;
        at_zero[i] = 0.0;
        let best = f(theta);
        if f(at_zero) <= best + 1e-12 * best.abs().max(1.0) {
            theta = at_zero;
            boundary[i] = true;
        }
    }
    if theta.iter().any(|t| t.abs() >= THETA_CAP * 0.999) {
        return Ok(Fit {
            kind: Fitted::Additive,
            components: [0.0; 3],
            boundary: [false, false, true],
            intercept: s.centre,
            log_likelihood: None,
        });
    }
    let e = evaluate(d, s, &mut w, theta).ok_or_else(too_large)?;
    let df = d.cells as f64 - 1.0;
    let sigma2 = e.prss / df * s.scale * s.scale;
    let components = [
        theta[0] * theta[0] * sigma2,
        theta[1] * theta[1] * sigma2,
        sigma2,
    ];
    let log_likelihood = -0.5 * (e.deviance + df * (s.scale * s.scale).ln());
    let intercept = s.centre + e.intercept * s.scale;
    if !components.iter().all(|c| c.is_finite())
        || !intercept.is_finite()
        || !log_likelihood.is_finite()
    {
        return Err(too_large());
    }
    if sigma2 == 0.0 {
        return Ok(Fit {
            kind: Fitted::Additive,
            components: [0.0; 3],
            boundary: [false, false, true],
            intercept,
            log_likelihood: None,
        });
    }
    Ok(Fit {
        kind: Fitted::Regular {
            theta: theta.map(f64::abs),
        },
        components,
        boundary: [boundary[0], boundary[1], false],
        intercept,
        log_likelihood: Some(log_likelihood),
    })
}

/// Nelder-Mead on ℝ² from `start` with a simplex of relative size `size`, until the simplex
/// is below 1e-7 relative and its values within 1e-13 relative (Newton steps finish).
fn nelder_mead(f: &mut impl FnMut([f64; 2]) -> f64, start: [f64; 2], size: f64) -> ([f64; 2], f64) {
    let mut pts = [start, start, start];
    pts[1][0] += size * start[0].abs().max(0.1);
    pts[2][1] += size * start[1].abs().max(0.1);
    let mut vals = pts.map(&mut *f);
    for _ in 0..4000 {
        // order: best first
        let mut idx = [0usize, 1, 2];
        idx.sort_by(|&a, &b| vals[a].total_cmp(&vals[b]));
        pts = idx.map(|i| pts[i]);
        vals = idx.map(|i| vals[i]);
        let span = (0..2)
            .map(|c| {
                let lo = pts.iter().map(|p| p[c]).fold(f64::INFINITY, f64::min);
                let hi = pts.iter().map(|p| p[c]).fold(f64::NEG_INFINITY, f64::max);
                (hi - lo) / pts[0][c].abs().max(1e-3)
            })
            .fold(0.0, f64::max);
        if span < 1e-7 && vals[2] - vals[0] <= 1e-13 * vals[0].abs().max(1.0) {
            break;
        }
        let centroid = [(pts[0][0] + pts[1][0]) / 2.0, (pts[0][1] + pts[1][1]) / 2.0];
        let along = |t: f64| {
            [
                centroid[0] + t * (pts[2][0] - centroid[0]),
                centroid[1] + t * (pts[2][1] - centroid[1]),
            ]
        };
        let r = along(-1.0);
        let fr = f(r);
        if fr < vals[0] {
            let e = along(-2.0);
            let fe = f(e);
            (pts[2], vals[2]) = if fe < fr { (e, fe) } else { (r, fr) };
        } else if fr < vals[1] {
            (pts[2], vals[2]) = (r, fr);
        } else {
            let c = if fr < vals[2] {
                along(-0.5)
            } else {
                along(0.5)
            };
            let fc = f(c);
            if fc < vals[2].min(fr) {
                (pts[2], vals[2]) = (c, fc);
            } else {
                for i in 1..3 {
                    pts[i] = [(pts[0][0] + pts[i][0]) / 2.0, (pts[0][1] + pts[i][1]) / 2.0];
                    vals[i] = f(pts[i]);
                }
            }
        }
    }
    let b = (0..3)
        .min_by(|&a, &b| vals[a].total_cmp(&vals[b]))
        .unwrap_or(0);
    (pts[b], vals[b])
}

/// Newton steps on central-difference derivatives (step 1e-4 relative) over the coordinates
/// away from 0, halving a step until the criterion does not rise. The derivative-free search
/// stops where the criterion stops changing in its last digits, which leaves θ good to
/// ~1e-7; the gradient's root is found far more sharply. `None` when the steps did not
/// converge (a Hessian that is not positive definite, a step that does not descend, or 12
/// steps).
fn newton_polish(f: &mut impl FnMut([f64; 2]) -> f64, mut theta: [f64; 2]) -> Option<[f64; 2]> {
    for _ in 0..12 {
        let free = theta.map(|t| t > 1e-6);
        let f0 = f(theta);
        let h = theta.map(|t| 1e-4 * t.max(1e-2));
        let shifted = |i: usize, s: f64, t: [f64; 2]| {
            let mut u = t;
            u[i] += s * h[i];
            u
        };
        let mut g = [0.0; 2];
        let mut hess = [[1.0, 0.0], [0.0, 1.0]];
        for i in 0..2 {
            if !free[i] {
                continue;
            }
            let (fp, fm) = (f(shifted(i, 1.0, theta)), f(shifted(i, -1.0, theta)));
            g[i] = (fp - fm) / (2.0 * h[i]);
            hess[i][i] = (fp - 2.0 * f0 + fm) / (h[i] * h[i]);
        }
        if free[0] && free[1] {
            let pp = f(shifted(1, 1.0, shifted(0, 1.0, theta)));
            let pm = f(shifted(1, -1.0, shifted(0, 1.0, theta)));
            let mp = f(shifted(1, 1.0, shifted(0, -1.0, theta)));
            let mm = f(shifted(1, -1.0, shifted(0, -1.0, theta)));
            let c = (pp - pm - mp + mm) / (4.0 * h[0] * h[1]);
            hess[0][1] = c;
            hess[1][0] = c;
        }
        let det = hess[0][0] * hess[1][1] - hess[0][1] * hess[1][0];
        if !(hess[0][0] > 0.0 && hess[1][1] > 0.0 && det > 0.0) {
            return None;
        }
        let step = [
            -(hess[1][1] * g[0] - hess[0][1] * g[1]) / det,
            -(hess[0][0] * g[1] - hess[1][0] * g[0]) / det,
        ];
        let mut t = 1.0;
        let mut next = theta;
        let mut accepted = false;
        while t > 1e-6 {
            next = [
                (theta[0] + t * step[0]).abs(),
                (theta[1] + t * step[1]).abs(),
            ];
            // near the optimum the criterion changes below its rounding: a step that is
            // not worse beyond that is taken
            if f(next) <= f0 + 1e-12 * f0.abs().max(1.0) {
                accepted = true;
                break;
            }
            t /= 2.0;
        }
        if !accepted {
            return None;
        }
        let moved = (0..2)
            .map(|i| (next[i] - theta[i]).abs() / theta[i].max(1e-3))
            .fold(0.0, f64::max);
        theta = next;
        if moved < 1e-10 {
            return Some(theta);
        }
    }
    None
}

// ---- from components to the six forms --------------------------------------------------

/// The nine estimates the bootstrap tracks: three components and six forms.
#[derive(Clone, Copy)]
struct Estimates {
    values: [Outcome<f64>; 9],
}

const FORMS: [(IccForm, IccUnit); 6] = [
    (IccForm::OneWay, IccUnit::Single),
    (IccForm::TwoWayAgreement, IccUnit::Single),
    (IccForm::TwoWayConsistency, IccUnit::Single),
    (IccForm::OneWay, IccUnit::Average),
    (IccForm::TwoWayAgreement, IccUnit::Average),
    (IccForm::TwoWayConsistency, IccUnit::Average),
];

impl Estimates {
    fn of(fit: &Fit, k: f64) -> Estimates {
        let [vt, vr, ve] = fit.components;
        let undefined = match fit.kind {
            Fitted::Regular { .. } => None,
            Fitted::Constant => Some(Undefined::ConstantValues),
            Fitted::Additive => Some(Undefined::ZeroErrorVariance),
        };
        let mut values = [Outcome::Defined(0.0); 9];
        match fit.kind {
            Fitted::Additive => {
                values[0] = Outcome::Undefined(Undefined::ZeroErrorVariance);
                values[1] = Outcome::Undefined(Undefined::ZeroErrorVariance);
            }
            _ => {
                values[0] = Outcome::Defined(vt);
                values[1] = Outcome::Defined(vr);
            }
        }
        values[2] = Outcome::Defined(ve);
        for (slot, (form, unit)) in values[3..].iter_mut().zip(FORMS) {
            *slot = match undefined {
                Some(why) => Outcome::Undefined(why),
                None => {
                    let (num, den) = match (form, unit) {
                        (IccForm::OneWay, IccUnit::Single) => {
                            (k * vt - vr, k * vt + k * ve + (k - 1.0) * vr)
                        }
                        (IccForm::TwoWayAgreement, IccUnit::Single) => (vt, vt + vr + ve),
                        (IccForm::TwoWayConsistency, IccUnit::Single) => (vt, vt + ve),
                        (IccForm::OneWay, IccUnit::Average) => (k * vt - vr, k * vt + ve),
                        (IccForm::TwoWayAgreement, IccUnit::Average) => (k * vt, k * vt + vr + ve),
                        (IccForm::TwoWayConsistency, IccUnit::Average) => (k * vt, k * vt + ve),
                    };
                    // ve > 0 on a regular fit: every denominator is positive
                    let v = num / den;
                    if v.is_finite() {
                        Outcome::Defined(v)
                    } else {
                        Outcome::Undefined(Undefined::OutOfRange)
                    }
                }
            };
        }
        Estimates { values }
    }
}

fn names(form: IccForm, unit: IccUnit) -> (&'static str, &'static str, &'static str) {
    match (form, unit) {
        (IccForm::OneWay, IccUnit::Single) => ("ICC(1)", "ICC(1,1)", "psych::ICC lmer ICC1"),
        (IccForm::TwoWayAgreement, IccUnit::Single) => {
            ("ICC(A,1)", "ICC(2,1)", "psych::ICC lmer ICC2")
        }
        (IccForm::TwoWayConsistency, IccUnit::Single) => {
            ("ICC(C,1)", "ICC(3,1)", "psych::ICC lmer ICC3")
        }
        (IccForm::OneWay, IccUnit::Average) => ("ICC(1,k)", "ICC(1,k)", "psych::ICC lmer ICC1k"),
        (IccForm::TwoWayAgreement, IccUnit::Average) => {
            ("ICC(A,k)", "ICC(2,k)", "psych::ICC lmer ICC2k")
        }
        (IccForm::TwoWayConsistency, IccUnit::Average) => {
            ("ICC(C,k)", "ICC(3,k)", "psych::ICC lmer ICC3k")
        }
    }
}

fn assemble(d: &Design, ratings: &Ratings, fit: &Fit, e: &Estimates) -> IccReml {
    let not_requested = Outcome::Undefined(Undefined::NotRequested);
    let total = match (e.values[0], e.values[1], e.values[2]) {
        (Outcome::Defined(t), Outcome::Defined(r), Outcome::Defined(s)) => {
            Outcome::Defined(t + r + s)
        }
        (Outcome::Undefined(why), _, _)
        | (_, Outcome::Undefined(why), _)
        | (_, _, Outcome::Undefined(why)) => Outcome::Undefined(why),
    };
    let component = |i: usize| VarianceComponent::new(e.values[i], total, fit.boundary[i]);
    let form = |i: usize| {
        let (form, unit) = FORMS[i];
        let (name, shrout_fleiss, reference) = names(form, unit);
        RemlIcc {
            form,
            unit,
            name,
            shrout_fleiss,
            coefficient: e.values[3 + i],
            ci: not_requested,
            ci_method: IntervalMethod::ParametricBootstrap,
            reference,
        }
    };
    IccReml {
        target: component(0),
        rater: component(1),
        residual: component(2),
        intercept: fit.intercept,
        log_likelihood: match (fit.log_likelihood, fit.kind) {
            (Some(l), _) => Outcome::Defined(l),
            (None, Fitted::Constant) => Outcome::Undefined(Undefined::ConstantValues),
            (None, _) => Outcome::Undefined(Undefined::ZeroErrorVariance),
        },
        one_way_single: form(0),
        agreement_single: form(1),
        consistency_single: form(2),
        one_way_average: form(3),
        agreement_average: form(4),
        consistency_average: form(5),
        n: d.n,
        dropped: d.dropped,
        raters: d.raters,
        raters_dropped: d.raters_dropped,
        cells: d.cells,
        cells_missing: ratings.missing(),
        patterns: d.patterns.len(),
        replicates: 0,
        missing: CaseDeletion::AvailableRatings,
        reference: "lme4::lmer(y ~ 1 + (1 | target) + (1 | rater), REML = TRUE); \
                    psych::ICC(lmer = TRUE)",
    }
}

fn set_intervals(r: &mut IccReml, cis: [Outcome<Interval>; 9]) {
    r.target.ci = cis[0];
    r.rater.ci = cis[1];
    r.residual.ci = cis[2];
    r.one_way_single.ci = cis[3];
    r.agreement_single.ci = cis[4];
    r.consistency_single.ci = cis[5];
    r.one_way_average.ci = cis[6];
    r.agreement_average.ci = cis[7];
    r.consistency_average.ci = cis[8];
}

// ---- the parametric bootstrap ----------------------------------------------------------

/// Standard normals by the Box-Muller transform on `SplitMix64`, two per pair of uniforms.
struct Normals {
    rng: SplitMix64,
    spare: Option<f64>,
}

impl Normals {
    fn next(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        // u1 in (0, 1] so that ln(u1) is finite; u2 in [0, 1)
        let u1 = ((self.rng.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64);
        let u2 = (self.rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        let r = (-2.0 * u1.ln()).sqrt();
        let (s, c) = (std::f64::consts::TAU * u2).sin_cos();
        self.spare = Some(r * s);
        r * c
    }
}

fn bootstrap_into(r: &mut IccReml, d: &Design, ratings: &Ratings, fit: &Fit, b: Bootstrap) {
    let Fitted::Regular { theta } = fit.kind else {
        return;
    };
    let [vt, vr, ve] = fit.components;
    let (st, sr, se) = (vt.sqrt(), vr.sqrt(), ve.sqrt());
    let k = d.raters as f64;
    let width = ratings.raters();
    let mut normals = Normals {
        rng: SplitMix64::new(b.seed()),
        spare: None,
    };
    let mut rater_effect = vec![0.0; width];
    let mut simulated = vec![0.0; ratings.targets() * width];
    let mut draws: Vec<[f64; 9]> = Vec::with_capacity(b.replicates());
    let rows: Vec<&[f64]> = ratings
        .rows_raw()
        .filter(|r| r.iter().any(|x| !x.is_nan()))
        .collect();
    for _ in 0..b.replicates() {
        for (e, idx) in rater_effect.iter_mut().zip(&d.column_index) {
            *e = if idx.is_some() {
                sr * normals.next()
            } else {
                0.0
            };
        }
        let mut sum = 0.0;
        let mut count = 0.0;
        for (row, sim) in rows.iter().zip(simulated.chunks_exact_mut(width)) {
            let t = st * normals.next();
            for ((x, s), e) in row.iter().zip(sim.iter_mut()).zip(&rater_effect) {
                if !x.is_nan() {
                    *s = fit.intercept + t + e + se * normals.next();
                    sum += *s;
                    count += 1.0;
                }
            }
        }
        let centre = sum / count;
        let scale = 2f64.powi(ve.sqrt().log2().round() as i32);
        let stats = d.statistics_with(
            rows.iter()
                .zip(simulated.chunks_exact(width))
                .map(|(row, sim)| (*row, Some(sim))),
            centre,
            scale,
            false,
        );
        let Ok(refit) = fit_from(d, &stats, theta.map(|t| t.max(0.05)), true) else {
            continue;
        };
        let e = Estimates::of(&refit, k);
        if let Some(v) = e
            .values
            .iter()
            .map(|o| o.value())
            .collect::<Option<Vec<f64>>>()
            .and_then(|v| <[f64; 9]>::try_from(v).ok())
        {
            draws.push(v);
        }
    }
    r.replicates = draws.len();
    let level = b.level();
    let tail = level.tail();
    let mut column = Vec::with_capacity(draws.len());
    let mut cis = [Outcome::Undefined(Undefined::TooFewObservations); 9];
    for (i, ci) in cis.iter_mut().enumerate() {
        column.clear();
        column.extend(draws.iter().map(|v| v[i]));
        column.sort_unstable_by(f64::total_cmp);
        if let (Some(lo), Some(hi)) = (percentile(&column, tail), percentile(&column, 1.0 - tail)) {
            *ci = Outcome::Defined(Interval::new(lo, hi, level));
        }
    }
    set_intervals(r, cis);
}

/// Linear interpolation between order statistics (R type 7); `None` for fewer than 2 values.
fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.len() < 2 {
        return None;
    }
    let last = sorted.len() - 1;
    let h = last as f64 * p;
    let lo = (h.floor() as usize).min(last);
    let hi = (lo + 1).min(last);
    let (a, b) = (*sorted.get(lo)?, *sorted.get(hi)?);
    Some(a + (h - lo as f64) * (b - a))
}
