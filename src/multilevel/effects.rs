//! The public REML fits: therapist effects (three levels) and a two-level random intercept.

#![allow(clippy::doc_markdown)] // package and author names are prose, not code

use super::nested::{Design, check_values, defined, fit};
use crate::error::{Error, Result};
use crate::outcome::{Outcome, Undefined};
use crate::variance::VarianceComponent;

/// The variance partition of sessions nested in clients nested in therapists, by REML: what
/// `lme4::lmer(y ~ 1 + (1 | therapist/client), REML = TRUE)` estimates.
///
/// Each quantity that can be undefined is an [`Outcome`] of its own, so the counts are
/// reported whatever the data. Serializes; does not deserialize (a result is computed, not
/// read).
///
/// # Example
/// ```
/// use alliance::multilevel::therapist_effects;
/// use alliance::{Outcome, Undefined};
/// // every session rated 5: nothing to partition, but the design is still described
/// let rows = [(1, 1, 5.0), (1, 1, 5.0), (1, 2, 5.0), (2, 3, 5.0), (2, 3, 5.0)];
/// let fit = therapist_effects(&rows)?;
/// assert_eq!(fit.coefficient, Outcome::Undefined(Undefined::ConstantValues));
/// assert_eq!((fit.n, fit.therapists, fit.clients), (5, 2, 3));
/// assert_eq!((fit.therapists_with_one_client, fit.clients_with_one_session), (1, 1));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TherapistEffects {
    /// Between therapists, σ²_therapist: how much therapists differ in their clients' mean
    /// alliance (lme4's `therapist` row).
    pub therapist: VarianceComponent,
    /// Between clients of one therapist, σ²_client (lme4's `client:therapist` row).
    pub client: VarianceComponent,
    /// Between sessions of one client, the residual σ² (lme4's `Residual` row).
    pub session: VarianceComponent,
    /// The therapist-level ICC, σ²_therapist / (σ²_therapist + σ²_client + σ²_session): the
    /// share of the alliance's variance that lies between therapists (the "therapist effect").
    /// Undefined with the components.
    pub coefficient: Outcome<f64>,
    /// The client-level ICC, (σ²_therapist + σ²_client) / total: the correlation of two
    /// sessions of the same client.
    pub client_icc: Outcome<f64>,
    /// The estimated mean (the fixed intercept μ̂, a generalized least squares mean).
    pub intercept: Outcome<f64>,
    /// Its standard error, sqrt(σ̂² / 1ᵀH⁻¹1) (lme4's `vcov`).
    pub intercept_se: Outcome<f64>,
    /// The REML log-likelihood at the estimates (lme4's `logLik(fit)`).
    pub log_likelihood: Outcome<f64>,
    /// Sessions (observations) used.
    pub n: usize,
    /// Therapists.
    pub therapists: usize,
    /// Clients (a client is a therapist's client: see [`therapist_effects`]).
    pub clients: usize,
    /// Therapists with a single client.
    pub therapists_with_one_client: usize,
    /// Clients with a single session.
    pub clients_with_one_session: usize,
    /// The implementation these estimates match.
    pub reference: &'static str,
}

/// A two-level random-intercept model by REML, `lme4::lmer(y ~ 1 + (1 | group), REML =
/// TRUE)`: observations nested in groups (sessions in clients, or clients in therapists with
/// one value per client).
///
/// Serializes; does not deserialize (a result is computed, not read).
///
/// # Example
/// ```
/// use alliance::multilevel::two_level;
/// let rows = [("a", 5.0), ("a", 6.0), ("b", 8.0), ("b", 9.0), ("c", 4.0), ("c", 6.0)];
/// let fit = two_level(&rows)?;
/// assert_eq!((fit.n, fit.groups), (6, 3));
/// assert!(fit.coefficient.value().is_some_and(|icc| icc > 0.5));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TwoLevel {
    /// Between groups, σ²_between.
    pub between: VarianceComponent,
    /// Within groups, the residual σ².
    pub within: VarianceComponent,
    /// The ICC, σ²_between / (σ²_between + σ²_within).
    pub coefficient: Outcome<f64>,
    /// The estimated mean (the fixed intercept, a generalized least squares mean).
    pub intercept: Outcome<f64>,
    /// Its standard error (lme4's `vcov`).
    pub intercept_se: Outcome<f64>,
    /// The REML log-likelihood at the estimates (lme4's `logLik(fit)`).
    pub log_likelihood: Outcome<f64>,
    /// Observations used.
    pub n: usize,
    /// Groups.
    pub groups: usize,
    /// Groups with a single observation.
    pub groups_with_one: usize,
    /// The implementation these estimates match.
    pub reference: &'static str,
}

const THREE_LEVEL: &str = "lme4::lmer(y ~ 1 + (1 | therapist/client), REML = TRUE)";
const TWO_LEVEL: &str = "lme4::lmer(y ~ 1 + (1 | group), REML = TRUE)";

/// Therapist effects: the variance of session ratings split into therapist, client (within
/// therapist) and session (within client) parts, by restricted maximum likelihood, on
/// unbalanced data.
///
/// Input: one `(therapist, client, value)` row per session, in any order. Labels are any
/// ordered type (`u32`, `usize`, `&str`, `String`, ...). Clients are nested: a client is the
/// pair (therapist, client), so the same client label under two therapists is two clients,
/// exactly as lme4's `therapist/client` (which expands to `therapist + therapist:client`)
/// reads it. Give clients globally unique labels if a client who changed therapist should
/// stay one person (that is a crossed design, which this model does not fit).
///
/// The model is y = μ + a_therapist + b_client + e_session with independent normal effects of
/// variances σ²_therapist, σ²_client and σ²_session. The REML criterion is profiled over
/// σ²_session and minimised over the two ratios θ = σ²/σ²_session ≥ 0, using the nested
/// structure: each therapist's covariance block is inverted and its determinant taken in
/// closed form (Sherman-Morrison twice: compound symmetry within clients, then within the
/// therapist), so one evaluation costs O(clients) after an O(N log N) grouping. The ratio of
/// the client level is found for each therapist ratio by Brent's root finder on the
/// analytical derivative, and the therapist ratio likewise on the derivative of the profile
/// (by the envelope theorem, the partial derivative at the inner optimum), to full double
/// precision. A ratio whose derivative is non-negative at 0 is estimated as 0, on the
/// boundary, as lme4 reports it ([`VarianceComponent::boundary`]); the other components keep
/// their estimates.
///
/// Undefined results (counts always reported): every value equal gives
/// [`Undefined::ConstantValues`] for every variance, share, ICC and the log-likelihood
/// (the intercept is the common value); values that vary between clients but never within
/// one give a session variance of 0 and [`Undefined::ZeroErrorVariance`] for the other
/// components (the REML likelihood is unbounded there).
///
/// # Errors
/// [`Error::NonFinite`], [`Error::TooLarge`] or [`Error::TooSmall`] for a value outside the
/// [`domain`](crate::domain) (named by its position); [`Error::TooFewGroups`] with fewer than
/// 2 therapists; [`Error::NoReplication`] when every therapist has a single client (therapist
/// and client variance cannot be told apart: use [`two_level`] on the clients) or every client
/// a single session (client and session variance cannot be told apart; lme4 refuses such data
/// too).
///
/// # Example
/// ```
/// use alliance::multilevel::therapist_effects;
/// // therapist, client, alliance score of one session
/// let rows = [
///     ("T1", "C1", 5.1), ("T1", "C1", 5.6), ("T1", "C1", 5.9), ("T1", "C2", 6.3), ("T1", "C2", 6.0),
///     ("T2", "C3", 4.2), ("T2", "C3", 4.0), ("T2", "C4", 5.0), ("T2", "C4", 4.4), ("T2", "C4", 4.9),
///     ("T3", "C5", 6.1), ("T3", "C5", 6.8), ("T3", "C6", 5.5), ("T3", "C6", 6.0),
/// ];
/// let fit = therapist_effects(&rows)?;
/// assert_eq!((fit.n, fit.therapists, fit.clients), (14, 3, 6));
/// let therapist_icc = fit.coefficient.value().ok_or("undefined")?;
/// assert!(therapist_icc > 0.0 && therapist_icc < 1.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # References
/// Patterson, H. D., & Thompson, R. (1971). Recovery of inter-block information when block
/// sizes are unequal. *Biometrika*, 58, 545-554. Bates, D., Mächler, M., Bolker, B., &
/// Walker, S. (2015). Fitting linear mixed-effects models using lme4. *Journal of
/// Statistical Software*, 67(1) (the profiled REML criterion). Baldwin, S. A., Wampold,
/// B. E., & Imel, Z. E. (2007). Untangling the alliance-outcome correlation. *Journal of
/// Consulting and Clinical Psychology*, 75, 842-852 (therapist effects in the alliance).
/// Matches lme4 1.1-31 (`tests/reference/therapist_effects.json`, 18 designs) to 1e-6
/// relative (largest difference 6.5e-7, where lme4's optimiser stops on a criterion flat to
/// 1e-13); where lme4 stops at a variance of about 1e-15 on the boundary, the crate gives
/// exactly 0.
pub fn therapist_effects<T: Ord, C: Ord>(rows: &[(T, C, f64)]) -> Result<TherapistEffects> {
    check_values("session value", rows.iter().map(|r| r.2))?;
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&i, &j| (&rows[i].0, &rows[i].1).cmp(&(&rows[j].0, &rows[j].1)));
    let design = Design::build(
        |i| rows[i].2,
        |i, j| rows[i].0 == rows[j].0,
        |i, j| rows[i].0 == rows[j].0 && rows[i].1 == rows[j].1,
        &order,
    );
    let therapists = design.therapists();
    if therapists < 2 {
        return Err(Error::TooFewGroups {
            model: "a therapist-effects model",
            level: "therapists",
            needed: 2,
            found: therapists,
        });
    }
    let one_client = design.therapists_with_one_client();
    if one_client == therapists {
        return Err(Error::NoReplication {
            upper: "therapist",
            lower: "client",
            advice: "fit the clients' values as two levels (multilevel::two_level) instead",
        });
    }
    let one_session = design.clients_with_one_session();
    if one_session == design.cells.len() {
        return Err(Error::NoReplication {
            upper: "client",
            lower: "session",
            advice: "fit the sessions as clients within therapists (multilevel::two_level) \
                     instead",
        });
    }
    let parts = partition(&design, true);
    Ok(TherapistEffects {
        therapist: parts.upper,
        client: parts.lower,
        session: parts.residual,
        coefficient: parts.upper.share,
        client_icc: parts.upper_and_lower_share,
        intercept: parts.intercept,
        intercept_se: parts.intercept_se,
        log_likelihood: parts.log_likelihood,
        n: design.n,
        therapists,
        clients: design.cells.len(),
        therapists_with_one_client: one_client,
        clients_with_one_session: one_session,
        reference: THREE_LEVEL,
    })
}

/// A two-level random-intercept model by REML: the between-group and within-group variance
/// and the ICC, on unbalanced groups.
///
/// Input: one `(group, value)` row per observation, in any order, with labels of any ordered
/// type. The model y = μ + a_group + e is fitted as in [`therapist_effects`] (one variance
/// ratio, found by Brent's method on the analytical derivative of the profiled REML
/// criterion; 0 on the boundary as lme4 reports it). In a balanced design, a positive
/// estimate equals the one-way ANOVA estimator (MSB − MSW)/n of [`oneway_icc`](super::oneway_icc).
///
/// Undefined results as in [`therapist_effects`]: constant values give
/// [`Undefined::ConstantValues`]; groups that differ but are each constant give a within
/// variance of 0 and [`Undefined::ZeroErrorVariance`] for the between variance.
///
/// # Errors
/// [`Error::NonFinite`], [`Error::TooLarge`] or [`Error::TooSmall`] for a value outside the
/// [`domain`](crate::domain); [`Error::TooFewGroups`] with fewer than 2 groups;
/// [`Error::NoReplication`] when every group has a single observation.
///
/// # Example
/// ```
/// use alliance::multilevel::two_level;
/// // client, session score: sessions nested in clients
/// let rows = [(1u32, 30.0), (1, 32.0), (1, 31.0), (2, 25.0), (2, 27.0), (3, 35.0), (3, 34.0), (3, 36.0)];
/// let fit = two_level(&rows)?;
/// assert_eq!((fit.n, fit.groups, fit.groups_with_one), (8, 3, 0));
/// assert!(fit.between.variance.value().is_some_and(|v| v > 10.0));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// As [`therapist_effects`]; matches lme4 1.1-31 `lmer(y ~ 1 + (1 | group))` to 1e-6
/// relative (`tests/reference/therapist_effects.json`).
pub fn two_level<G: Ord>(rows: &[(G, f64)]) -> Result<TwoLevel> {
    check_values("value", rows.iter().map(|r| r.1))?;
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&i, &j| rows[i].0.cmp(&rows[j].0));
    // each group is its own "therapist" with one "client": θ_therapist stays 0
    let design = Design::build(
        |i| rows[i].1,
        |i, j| rows[i].0 == rows[j].0,
        |i, j| rows[i].0 == rows[j].0,
        &order,
    );
    let groups = design.cells.len();
    if groups < 2 {
        return Err(Error::TooFewGroups {
            model: "a two-level model",
            level: "groups",
            needed: 2,
            found: groups,
        });
    }
    let groups_with_one = design.clients_with_one_session();
    if groups_with_one == groups {
        return Err(Error::NoReplication {
            upper: "group",
            lower: "observation",
            advice: "the model needs some group with two or more observations",
        });
    }
    let parts = partition(&design, false);
    Ok(TwoLevel {
        between: parts.lower,
        within: parts.residual,
        coefficient: parts.lower.share,
        intercept: parts.intercept,
        intercept_se: parts.intercept_se,
        log_likelihood: parts.log_likelihood,
        n: design.n,
        groups,
        groups_with_one,
        reference: TWO_LEVEL,
    })
}

/// The fitted components, shared by both models (the two-level one has no upper level).
struct Parts {
    upper: VarianceComponent,
    lower: VarianceComponent,
    residual: VarianceComponent,
    upper_and_lower_share: Outcome<f64>,
    intercept: Outcome<f64>,
    intercept_se: Outcome<f64>,
    log_likelihood: Outcome<f64>,
}

fn partition(design: &Design, three_level: bool) -> Parts {
    let undefined = |why: Undefined, residual: VarianceComponent, intercept| Parts {
        upper: VarianceComponent::undefined(why),
        lower: VarianceComponent::undefined(why),
        residual,
        upper_and_lower_share: Outcome::Undefined(why),
        intercept,
        intercept_se: Outcome::Undefined(why),
        log_likelihood: Outcome::Undefined(why),
    };
    if design.constant {
        let why = Undefined::ConstantValues;
        return undefined(
            why,
            VarianceComponent::undefined(why),
            defined(design.centre),
        );
    }
    #[allow(clippy::float_cmp)] // exactly zero: every client's values are equal
    if design.within == 0.0 {
        let why = Undefined::ZeroErrorVariance;
        let mut residual = VarianceComponent::of(0.0, 0.0);
        residual.share = Outcome::Undefined(why);
        return undefined(why, residual, Outcome::Undefined(why));
    }
    let Some(fit) = fit(design, three_level) else {
        let why = Undefined::OutOfRange;
        return undefined(
            why,
            VarianceComponent::undefined(why),
            Outcome::Undefined(why),
        );
    };
    let sigma2 = fit.at.r / (design.n as f64 - 1.0);
    let (upper, lower) = (fit.ta * sigma2, fit.tb * sigma2);
    let total = upper + lower + sigma2;
    Parts {
        upper: VarianceComponent::of(upper, total),
        lower: VarianceComponent::of(lower, total),
        residual: VarianceComponent::of(sigma2, total),
        upper_and_lower_share: defined((upper + lower) / total),
        intercept: defined(fit.at.mu + design.centre),
        intercept_se: defined((sigma2 / fit.at.information).sqrt()),
        log_likelihood: defined(-0.5 * fit.at.criterion),
    }
}
