//! Therapist-client divergence over a course: the running discrepancy `D_t = C_t - T_t`, its
//! mean and trend so far, and a flag when it exceeds a reliable-difference bound.

use crate::error::{Error, Result};
use crate::outcome::{Outcome, Undefined};
use crate::stats::Moments;
use crate::trend::Series;
use crate::trend::detect::Param;

/// Citation of the divergence view.
pub const DIVERGENCE_SOURCE: &str = "Tryon, G. S., Blackwell, S. C., & Hammel, E. F. (2007). A \
meta-analytic examination of client-therapist perspectives of the working alliance. \
Psychotherapy Research, 17(6), 629-642; flag when |D| exceeds a reliable-difference bound \
1.96 sqrt(SE_C^2 + SE_T^2) (alliance crate design notes, Part 3)";

/// The divergence rule: the reliable-difference bound. Built with [`DivergenceRule::builder`].
///
/// ```text
/// flag at t when |C_t - T_t| > bound      (e.g. bound = 1.96 sqrt(SE_C^2 + SE_T^2))
/// ```
///
/// With feature `serde` the rule serializes and deserializes; reading one runs its builder, so
/// a rule read back holds the same checks as one built.
///
/// # Example
/// ```
/// use alliance::trend::DivergenceRule;
/// let rule = DivergenceRule::builder().bound(4.0).build()?;
/// assert_eq!(rule.bound(), 4.0);
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(try_from = "super::wire::DivergenceRule"))]
pub struct DivergenceRule {
    bound: f64,
}

/// Builds a [`DivergenceRule`]: set the bound (required; no default: it belongs to the two
/// raters' instruments), then [`build`](DivergenceRuleBuilder::build).
///
/// | parameter | default | source |
/// |---|---|---|
/// | `bound` | none: required | `1.96 sqrt(SE_C^2 + SE_T^2)` from the two raters' standard errors of measurement (the crate's design notes) |
///
/// # Example
/// ```
/// use alliance::trend::DivergenceRule;
/// let se = 0.221_f64; // each rater's SEM
/// let rule = DivergenceRule::builder().bound(1.96 * (se * se + se * se).sqrt()).build()?;
/// assert!((rule.bound() - 0.6126).abs() < 1e-4);
/// assert!(DivergenceRule::builder().build().is_err()); // no bound
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// No serde: a builder is a step on the way; the rule it builds is what a program keeps.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DivergenceRuleBuilder {
    bound: Option<f64>,
}

impl DivergenceRuleBuilder {
    /// The reliable-difference bound in score points (required; no default), computed by the
    /// caller from the two raters' standard errors of measurement. Checked by `build`:
    /// `0 < bound <= 1e100`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::DivergenceRule;
    /// assert_eq!(DivergenceRule::builder().bound(0.6).build()?.bound(), 0.6);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn bound(mut self, points: f64) -> DivergenceRuleBuilder {
        self.bound = Some(points);
        self
    }

    /// The rule, with its bound checked.
    ///
    /// # Errors
    /// [`Error::MissingRuleParameter`] without a bound; [`Error::InvalidRuleParameter`]
    /// unless `0 < bound <= 1e100`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::DivergenceRule;
    /// assert!(DivergenceRule::builder().bound(-1.0).build().is_err());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn build(self) -> Result<DivergenceRule> {
        let bound = Param::new("divergence", "reliable-difference bound");
        Ok(DivergenceRule {
            bound: bound.at_least(
                bound.required(self.bound)?,
                0.0,
                true,
                "a number of score points from 1e-100 to 1e100",
            )?,
        })
    }
}

impl DivergenceRule {
    /// A builder; the bound must be set.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::DivergenceRule;
    /// assert_eq!(DivergenceRule::builder().bound(4.0).build()?.bound(), 4.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn builder() -> DivergenceRuleBuilder {
        DivergenceRuleBuilder::default()
    }

    /// The bound, in score points.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::DivergenceRule;
    /// assert_eq!(DivergenceRule::builder().bound(4.0).build()?.bound(), 4.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn bound(&self) -> f64 {
        self.bound
    }
}

/// The discrepancy at one paired session, with its history so far.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct DivergencePoint {
    /// 0-based position in the paired series.
    pub index: usize,
    /// The session time.
    pub time: f64,
    /// The client's score `C_t`.
    pub client: f64,
    /// The therapist's score `T_t`.
    pub therapist: f64,
    /// `D_t = C_t - T_t` (positive: the client rates the alliance higher).
    pub difference: f64,
    /// Mean of D over the sessions so far.
    pub mean_difference: f64,
    /// OLS slope of D on time over the sessions so far;
    /// [`Undefined::TooFewObservations`] at the first session (one point has no slope).
    pub slope: Outcome<f64>,
    /// Sessions so far (this one included): the n the mean and the slope rest on.
    pub n: usize,
    /// `|D_t| > bound`.
    pub exceeds: bool,
}

/// The course of therapist-client divergence. Serializes; does not deserialize (a result is
/// computed, not read).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Divergence {
    /// One point per session.
    pub points: Vec<DivergencePoint>,
    /// Paired sessions (points of each [`Series`]).
    pub n: usize,
    /// The rule applied.
    pub rule: DivergenceRule,
}

/// Running therapist-client discrepancy, its mean and trend, and flags beyond a bound.
///
/// ```text
/// D_t = C_t - T_t;  mean so far = sum D / n;  slope so far = S_tD / S_tt (OLS of D on time)
/// exceeds at t:  |D_t| > bound
/// ```
/// The slope is kept by running co-moments (Welford), so each session costs O(1); it is the
/// plain least-squares slope (no standard error here: see the OLS trend for inference).
///
/// # Errors
/// [`Error::UnpairedSeries`] when the series differ in length; [`Error::TimesDiffer`] at the
/// first session whose times differ.
///
/// # Example
/// ```
/// use alliance::trend::{divergence, DivergenceRule, Series};
/// use alliance::{Outcome, Undefined};
/// let client = Series::from_values(vec![4.0, 4.2, 4.5, 4.8])?;
/// let therapist = Series::from_values(vec![3.9, 3.8, 3.8, 3.7])?;
/// let d = divergence(&client, &therapist, &DivergenceRule::builder().bound(0.6).build()?)?;
/// let last = d.points[3];
/// assert!(last.exceeds); // 4.8 - 3.7 = 1.1
/// assert!(last.slope.value().is_some_and(|b| (b - 0.33).abs() < 1e-12)); // D = 0.1, 0.4, 0.7, 1.1
/// assert_eq!(d.points[0].slope, Outcome::Undefined(Undefined::TooFewObservations));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Tryon, Blackwell & Hammel (2007), Psychotherapy Research 17, 629-642 (clients rate higher,
/// d = .63); the bound `1.96 sqrt(SE_C^2 + SE_T^2)` as in the crate's design notes. The slope
/// matches `numpy.polyfit(t, D, 1)` (see `tests/reference/detectors_divergence.json`).
pub fn divergence(
    client: &Series,
    therapist: &Series,
    rule: &DivergenceRule,
) -> Result<Divergence> {
    if client.len() != therapist.len() {
        return Err(Error::UnpairedSeries {
            client: client.len(),
            therapist: therapist.len(),
        });
    }
    for (index, (&left, &right)) in client.times().iter().zip(therapist.times()).enumerate() {
        // paired sessions share their time exactly
        #[allow(clippy::float_cmp)]
        if left != right {
            return Err(Error::TimesDiffer { index, left, right });
        }
    }
    let mut tracker = DivergenceTracker::default();
    let points = client
        .times()
        .iter()
        .zip(client.values().iter().zip(therapist.values()))
        .map(|(&time, (&c, &t))| tracker.push(rule, time, c, t))
        .collect();
    Ok(Divergence {
        points,
        n: client.len(),
        rule: *rule,
    })
}

/// Streaming state: running means of time and D and their co-moments.
///
/// A small private OLS slope so this module needs nothing from `ols.rs`; once the OLS trend
/// is merged, the lead may route the slope (and its inference) through it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct DivergenceTracker {
    pub(crate) d: Moments,
    pub(crate) mean_time: f64,
    pub(crate) s_tt: f64,
    pub(crate) s_td: f64,
}

impl DivergenceTracker {
    pub(crate) fn push(
        &mut self,
        rule: &DivergenceRule,
        time: f64,
        client: f64,
        therapist: f64,
    ) -> DivergencePoint {
        let difference = client - therapist;
        let index = self.d.n;
        let n = (index + 1) as f64;
        // Welford co-moment update: uses the old mean of D and the new mean of time.
        let dt = time - self.mean_time;
        let dd = difference - self.d.mean;
        self.mean_time += dt / n;
        self.s_tt += dt * (time - self.mean_time);
        self.s_td += dd * (time - self.mean_time);
        self.d.push(difference);
        // times strictly increase, so s_tt > 0 from the second session on
        let slope = if self.d.n >= 2 && self.s_tt > 0.0 {
            Outcome::Defined(self.s_td / self.s_tt)
        } else {
            Outcome::Undefined(Undefined::TooFewObservations)
        };
        DivergencePoint {
            index,
            time,
            client,
            therapist,
            difference,
            mean_difference: self.d.mean,
            slope,
            n: self.d.n,
            exceeds: difference.abs() > rule.bound,
        }
    }
}
