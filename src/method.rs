//! How an interval or a p-value was computed: one vocabulary for every statistic, so a
//! result says its method as a value a program can match on, not as free text.

#![allow(clippy::doc_markdown)] // author names such as McGraw are prose, not code

/// The method behind a confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum IntervalMethod {
    /// Exact bounds from quantiles of the F distribution of the test statistic (one-way and
    /// consistency ICCs, McGraw & Wong 1996).
    ExactF,
    /// Bounds from an F distribution with Satterthwaite's approximate denominator df
    /// (absolute-agreement ICCs, McGraw & Wong 1996); average forms by Spearman-Brown.
    SatterthwaiteF,
    /// Feldt's (1965) F interval for Cronbach's alpha.
    Feldt,
    /// Normal bounds on Fisher's z = atanh(r), transformed back (correlations, Lin's CCC).
    FisherZ,
    /// Estimate ± t quantile × standard error (Bland-Altman, OLS).
    StudentT,
    /// Estimate ± normal quantile × standard error, untransformed (the large-sample Wald
    /// interval: kappa, Lin's CCC asymptotic).
    Normal,
    /// Percentile interval of seeded bootstrap replicates.
    PercentileBootstrap,
    /// Percentile interval of a seeded parametric bootstrap: data simulated from the fitted
    /// model on the observed cells and refitted (the REML ICC, as lme4's `bootMer`).
    ParametricBootstrap,
    /// Sen's slope: the ordered pairwise slopes at ranks round((N ∓ C)/2) (+1 for the upper),
    /// as `scipy.stats.theilslopes` and R `trend::sens.slope`.
    RankedSlopes,
    /// Sen's slope: Gilbert's (1987) interval, interpolating between neighbouring ranked
    /// slopes (R `mannkendall`).
    InterpolatedSlopes,
    /// The one-way ICC's F bounds with Searle's effective group size n0 in place of a common
    /// group size, for unequal group sizes: approximate (Searle 1971; Donner 1986), exact only
    /// when the groups are of equal size.
    SearleN0,
    /// MOVER, the method of variance estimates recovery (Zou 2013): chi-squared bounds for
    /// each variance component, recombined into bounds for their sum and for the limits of
    /// agreement built on it (repeated-measures Bland-Altman; the bias by the normal quantile).
    Mover,
}

/// The method behind a p-value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum PMethod {
    /// The exact null distribution of the statistic (Mann-Kendall's S for short series without
    /// ties; Spearman's rho for small n without ties).
    Exact,
    /// The normal approximation to the statistic's null distribution.
    Normal,
    /// Student's t distribution.
    StudentT,
    /// The F distribution.
    F,
}
