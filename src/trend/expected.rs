//! Realistic expectations: the expected alliance by session number, with a tolerance band,
//! estimated from a reference caseload, and the "not on track" rule that flags a dyad whose
//! alliance falls below the band.
//!
//! The method, its justification, its validation and its sources are in the docs of
//! [`ExpectedCurve`].

use crate::error::{Error, Result};
use crate::interval::Level;
use crate::outcome::{Outcome, Undefined};
use crate::trend::Series;
use crate::trend::detect::Param;

/// Citation of the expected-alliance curve and the not-on-track rule.
pub const EXPECTED_CURVE_SOURCE: &str = "Finch, A. E., Lambert, M. J., & Schaalje, B. G. \
(2001). Psychotherapy quality control: The statistical generation of expected recovery curves \
for integration into an early warning system. Clinical Psychology & Psychotherapy, 8(4), \
231-242; the band as session-wise empirical quantiles (Hyndman & Fan 1996, definition 6)";

/// The most sessions a curve may span (from its first to its last session number): far
/// beyond any course, and a bound on the curve's size.
pub const MAX_CURVE_SESSIONS: u32 = 10_000;

/// The widest window a session may pool its neighbours from (this many sessions each side).
const MAX_HALF_WIDTH: u32 = 50;

/// How [`expected_curve`] estimates the curve.
///
/// | option | default | meaning |
/// |---|---|---|
/// | `level` | 0.80 | the share of on-track scores the band holds (10% below it, 10% above) |
/// | `min_reference` | 20 | the fewest reference dyads a band rests on |
/// | `max_half_width` | 2 | how many sessions each side a sparse session may pool |
///
/// The 80% default follows the outcome-monitoring practice of flagging the lowest tenth of
/// expected responses; it is the crate's choice, not a number from Finch et al. (2001).
/// Checked when the curve is built.
///
/// # Example
/// ```
/// use alliance::Level;
/// use alliance::trend::CurveOptions;
/// let options = CurveOptions::default().with_level(Level::new(0.9)?).with_min_reference(30);
/// assert_eq!((options.min_reference, options.max_half_width), (30, 2));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct CurveOptions {
    /// The band's nominal coverage (default 0.80).
    pub level: Level,
    /// The fewest reference dyads a band rests on (default 20; at least 1). The band also
    /// needs `2 / (1 - level) - 1` dyads.
    pub min_reference: usize,
    /// How many sessions each side a session with too few scores may pool (default 2; at
    /// most 50).
    pub max_half_width: u32,
}

impl Default for CurveOptions {
    fn default() -> CurveOptions {
        CurveOptions {
            // 0.8 is inside Level's range
            level: Level::new(0.8).unwrap_or_default(),
            min_reference: 20,
            max_half_width: 2,
        }
    }
}

impl CurveOptions {
    /// Use this band level.
    ///
    /// # Example
    /// ```
    /// use alliance::Level;
    /// use alliance::trend::CurveOptions;
    /// let options = CurveOptions::default().with_level(Level::new(0.9)?);
    /// assert_eq!(options.level.value(), 0.9);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    #[must_use]
    pub fn with_level(mut self, level: Level) -> Self {
        self.level = level;
        self
    }

    /// Ask for at least this many reference dyads per band.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::CurveOptions;
    /// assert_eq!(CurveOptions::default().with_min_reference(40).min_reference, 40);
    /// ```
    #[must_use]
    pub fn with_min_reference(mut self, scores: usize) -> Self {
        self.min_reference = scores;
        self
    }

    /// Let a sparse session pool at most this many sessions each side (0: never pool).
    ///
    /// # Example
    /// ```
    /// use alliance::trend::CurveOptions;
    /// assert_eq!(CurveOptions::default().with_max_half_width(0).max_half_width, 0);
    /// ```
    #[must_use]
    pub fn with_max_half_width(mut self, sessions: u32) -> Self {
        self.max_half_width = sessions;
        self
    }

    fn check(&self) -> Result<()> {
        if self.min_reference == 0 {
            return Err(Error::InvalidCurveOption {
                option: "min_reference",
                value: 0.0,
                expected: "at least 1 reference score",
            });
        }
        if self.max_half_width > MAX_HALF_WIDTH {
            return Err(Error::InvalidCurveOption {
                option: "max_half_width",
                value: f64::from(self.max_half_width),
                expected: "from 0 to 50 sessions each side",
            });
        }
        Ok(())
    }

    /// The lower and upper quantile probabilities of the band.
    fn probabilities(&self) -> (f64, f64) {
        let level = self.level.value();
        ((1.0 - level) / 2.0, (1.0 + level) / 2.0)
    }

    /// The fewest dyads a band rests on: `min_reference`, and at least `2 / (1 - level) - 1`
    /// so that the lower edge's position `p (n + 1)` reaches the first order statistic.
    ///
    /// # Example
    /// ```
    /// use alliance::Level;
    /// use alliance::trend::CurveOptions;
    /// assert_eq!(CurveOptions::default().fewest(), 20);
    /// assert_eq!(CurveOptions::default().with_min_reference(1).fewest(), 9);
    /// let wide = CurveOptions::default().with_level(Level::new(0.95)?).with_min_reference(1);
    /// assert_eq!(wide.fewest(), 39);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn fewest(&self) -> usize {
        let (p, _) = self.probabilities();
        // p >= 5e-7 (Level::MAX), so the count is at most about 4e6
        let needed = (1.0 / p - 1.0 - 1e-9).ceil().max(1.0);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let needed = needed as usize;
        needed.max(self.min_reference)
    }
}

/// The expected alliance at one session number, with its band and what it rests on.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct ExpectedPoint {
    /// The session number.
    pub session: u32,
    /// Reference dyads the band rests on (one score each, from the window); for a refused
    /// session, those in the widest window.
    pub n: usize,
    /// Reference dyads with a score at this very session.
    pub at_session: usize,
    /// Sessions pooled each side (0: this session's scores only).
    pub half_width: u32,
    /// The median of the pooled scores; [`Undefined::TooFewObservations`] when even the
    /// widest window holds too few.
    pub expected: Outcome<f64>,
    /// The band's lower edge, the `(1 - level)/2` quantile.
    pub lower: Outcome<f64>,
    /// The band's upper edge, the `(1 + level)/2` quantile.
    pub upper: Outcome<f64>,
}

impl ExpectedPoint {
    /// The band as `(lower, expected, upper)` when the session has one.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{expected_curve, CurveOptions};
    /// let dyads: Vec<[(u32, f64); 1]> = (0..20).map(|i| [(1, f64::from(i))]).collect();
    /// let curve = expected_curve(&dyads, CurveOptions::default())?;
    /// let (lower, median, upper) = curve.at(1).and_then(|p| p.band()).expect("20 dyads");
    /// assert!(lower < median && median < upper);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn band(&self) -> Option<(f64, f64, f64)> {
        match (self.lower, self.expected, self.upper) {
            (Outcome::Defined(l), Outcome::Defined(e), Outcome::Defined(u)) => Some((l, e, u)),
            _ => None,
        }
    }
}

/// The expected alliance by session number, with a tolerance band: the reference caseload's
/// median and `(1 ± level)/2` quantiles at each session (Hyndman & Fan definition 6), pooled
/// over neighbouring sessions where a session has few reference dyads (one score per dyad).
///
/// One point per session number from the reference's first session to its last, gaps
/// included. Built by [`expected_curve`] (plain observations) or
/// [`caseload::expected_curve`](crate::caseload::expected_curve) (a caseload, one score of
/// one instrument: the total or an element). With feature `serde` it serializes and
/// deserializes; reading one checks every point (sessions in order, bands ordered and
/// resting on enough dyads), so a curve read back from a monitor configuration is one a
/// build could have made.
///
/// # The method, and why
///
/// Outcome-monitoring systems compare each client with an *expected treatment response*: the
/// course that clients like this one have shown, with a band around it (Lambert's expected
/// treatment response; Finch, Lambert & Schaalje 2001; Lambert et al. 2002). Finch et al.
/// estimate the expected curve with a growth (hierarchical linear) model on the log of the
/// session number, after Howard et al.'s (1986) dose-response finding that change is
/// negatively accelerated, and take the band from the model's prediction distribution.
///
/// This crate estimates the band without a model: at each session number `s`, the expected
/// alliance is the median and the band the `(1 - level)/2` and `(1 + level)/2` empirical
/// quantiles of the reference dyads' scores at that session (Hyndman & Fan 1996, definition 6, the
/// Weibull plotting position; `numpy.quantile(method = "weibull")`, R `quantile(type = 6)`).
///
/// - **Why quantiles, not a growth model.** The band is meant to hold a stated share of
///   on-track scores at each session. A mixed model gets that share only when its shape (log-
///   linear growth, normal random effects and errors, constant error variance) is right;
///   alliance ratings are bounded, skewed towards the top of the scale and have ceiling
///   effects, so a normal prediction band misplaces its lower edge exactly where a flag is
///   decided. Session-wise quantiles need no shape: their coverage follows from the
///   reference dyads being independent and like the dyads monitored, so it can be shown
///   (below) instead of hoped for. What they cannot do is extrapolate: a session beyond the
///   reference's last has no band. (A growth model with random intercepts and slopes would
///   also need a REML fit, which the crate does not have.)
/// - **Why definition 6.** For a new score from the same distribution as `n` reference
///   scores, `P(Y < X_(j)) = j / (n + 1)` exactly, for any continuous distribution. Definition
///   6 places the `p` quantile at order statistic `p (n + 1)` (interpolated), so the expected
///   share of new scores below the lower edge is `p` (exactly at whole positions, to the
///   interpolation's second order between them) whatever `n`. R's and numpy's default
///   (definition 7, position `1 + p (n - 1)`) is biased inwards: at `n = 20` its 80% band
///   holds only about 72% of new scores.
/// - **Sessions with few reference dyads: widen, then refuse.** Where fewer than
///   `min_reference` dyads (default 20) have a score at a session, its window is widened one
///   session each side at a time (`s ± 1`, `s ± 2`, up to `max_half_width`, default 2): a
///   running window over sessions. Each dyad with a score in the window contributes *one*
///   score, the one nearest to `s` (the earlier of two equally near), so the pooled scores stay
///   independent: a dyad's scores at neighbouring sessions are strongly correlated, and
///   pooling all of them (each dyad counted up to `2 h + 1` times) held only 0.78 of new
///   scores at the sparsest sessions of the drop-out simulation below, where one score per
///   dyad holds 0.80. Alliance changes slowly between neighbouring sessions, so a neighbour's
///   score stands in well for the session's own; where the curve still moves, the stand-ins
///   come from slightly earlier or later in the course (preferring earlier ones: on a rising
///   curve the band is then slightly lower, which flags fewer dyads, not more). Where even
///   the widest window holds too few dyads the session gets no band
///   (`Undefined(TooFewObservations)`) and the rule stays silent there. A band also needs
///   `n >= 2 / (1 - level) - 1` dyads (9 at 80%, 39 at 95%), the fewest for which the edge
///   quantiles lie between observed scores instead of clamping to the extremes.
///
/// # Validation
///
/// `tests/expected_curve.rs` simulates caseloads from a log-linear growth model (`y = a +
/// b ln(s) + e`, intercept SD 0.6, slope mean 0.3 and SD 0.15, noise SD 0.3: Howard et al.'s
/// negatively accelerated shape, Finch et al.'s model) and computes each estimated band's
/// coverage exactly from the model's marginal distribution at that session. Averaged over the
/// reference caseloads (seeded), at every session:
///
/// | reference | caseloads | coverage of the 80% band | share below it |
/// |---|---|---|---|
/// | 200 dyads x 12 sessions | 400 | 0.797 to 0.800 | 0.099 to 0.101 |
/// | 20 dyads x 8 sessions (exactly `min_reference`) | 2,000 | 0.799 to 0.803 | 0.097 to 0.100 |
/// | 120 dyads, 15% drop-out per session, widened windows only | 300 | 0.801 to 0.810 | 0.096 to 0.100 |
///
/// The tests hold each within 0.02 of 0.80 (0.01 of 0.10 below); definition 7 would hold
/// `(18.1 - 2.9) / 21 = 0.724` with 20 dyads. The quantiles match
/// `numpy.quantile(method = "weibull")` (checked against `scipy.stats.mstats.mquantiles`) on
/// 22 stored cases (`tests/reference/expected_curve.json`) exactly. False alarms of the rule
/// on on-track dyads are in [`NotOnTrackRule`].
///
/// # References
/// - Finch, A. E., Lambert, M. J., & Schaalje, B. G. (2001). Psychotherapy quality control:
///   The statistical generation of expected recovery curves for integration into an early
///   warning system. *Clinical Psychology & Psychotherapy*, 8(4), 231-242.
/// - Lambert, M. J., Whipple, J. L., Bishop, M. J., Vermeersch, D. A., Gray, G. V., & Finch,
///   A. E. (2002). Comparison of empirically-derived and rationally-derived methods for
///   identifying patients at risk for treatment failure. *Clinical Psychology &
///   Psychotherapy*, 9(3), 149-164.
/// - Howard, K. I., Kopta, S. M., Krause, M. S., & Orlinsky, D. E. (1986). The dose-effect
///   relationship in psychotherapy. *American Psychologist*, 41(2), 159-164.
/// - Hyndman, R. J., & Fan, Y. (1996). Sample quantiles in statistical packages. *The
///   American Statistician*, 50(4), 361-365.
///
/// # Example
/// ```
/// use alliance::trend::{expected_curve, CurveOptions};
/// // 30 dyads, sessions 1-3, alliance rising from about 3.5 to 4
/// let dyads: Vec<Vec<(u32, f64)>> = (0..30)
///     .map(|d| (1..=3u32).map(|s| (s, 3.0 + f64::from(s) / 6.0 + f64::from(d % 10) / 10.0)).collect())
///     .collect();
/// let curve = expected_curve(&dyads, CurveOptions::default())?;
/// let p = curve.at(2).expect("session 2 is in the curve");
/// assert_eq!((p.n, p.half_width), (30, 0));
/// let (lower, _, upper) = p.band().expect("30 dyads are enough");
/// assert!(lower < upper);
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(try_from = "super::wire::ExpectedCurve"))]
pub struct ExpectedCurve {
    options: CurveOptions,
    points: Vec<ExpectedPoint>,
}

impl ExpectedCurve {
    /// The options it was estimated with.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{expected_curve, CurveOptions};
    /// let curve = expected_curve(&[[(1, 4.0)]], CurveOptions::default())?;
    /// assert_eq!(curve.options(), CurveOptions::default());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn options(&self) -> CurveOptions {
        self.options
    }

    /// One point per session number, in order.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{expected_curve, CurveOptions};
    /// let curve = expected_curve(&[[(2, 4.0), (5, 4.5)]], CurveOptions::default())?;
    /// let sessions: Vec<u32> = curve.points().iter().map(|p| p.session).collect();
    /// assert_eq!(sessions, [2, 3, 4, 5]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn points(&self) -> &[ExpectedPoint] {
        &self.points
    }

    /// The point of session `session`; `None` outside the curve's sessions.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{expected_curve, CurveOptions};
    /// let curve = expected_curve(&[[(2, 4.0), (5, 4.5)]], CurveOptions::default())?;
    /// assert_eq!(curve.at(3).map(|p| p.at_session), Some(0));
    /// assert!(curve.at(6).is_none());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn at(&self, session: u32) -> Option<&ExpectedPoint> {
        let first = self.points.first()?.session;
        let offset = session.checked_sub(first)?;
        self.points.get(usize::try_from(offset).ok()?)
    }

    /// A curve from its parts, checked as a deserialized one is: the options valid; points
    /// for consecutive session numbers (at least one, at most [`MAX_CURVE_SESSIONS`]); each
    /// point's band either wholly defined (finite, `lower <= expected <= upper`, resting on at
    /// least [`CurveOptions::fewest`] scores) or wholly undefined; `at_session <= n`;
    /// `half_width <= max_half_width`.
    #[cfg(feature = "serde")]
    pub(crate) fn checked(options: CurveOptions, points: Vec<ExpectedPoint>) -> Result<Self> {
        options.check()?;
        let bad = |what| Err(Error::InvalidCurve { what });
        let Some(first) = points.first() else {
            return bad("it has no session");
        };
        if points.len() > MAX_CURVE_SESSIONS as usize {
            return bad("it spans more sessions than a curve may");
        }
        let fewest = options.fewest();
        for (offset, p) in (0u32..).zip(&points) {
            if first.session.checked_add(offset) != Some(p.session) {
                return bad("its sessions are not consecutive and in order");
            }
            if p.at_session > p.n || p.half_width > options.max_half_width {
                return bad("a session's counts");
            }
            match (p.band(), p.expected, p.lower, p.upper) {
                (Some((l, e, u)), ..) => {
                    let finite = [l, e, u].iter().all(|&x| crate::domain::contains(x));
                    if !finite || l > e || e > u {
                        return bad("a session's band");
                    }
                    if p.n < fewest {
                        return bad("a band resting on fewer scores than the options ask for");
                    }
                }
                (None, Outcome::Undefined(_), Outcome::Undefined(_), Outcome::Undefined(_)) => {}
                _ => return bad("a session's band (defined in part)"),
            }
        }
        Ok(ExpectedCurve { options, points })
    }
}

/// The `p` quantile of sorted `xs`, Hyndman & Fan definition 6, computed as
/// `numpy.quantile(xs, p, method = "weibull")` computes it (virtual index `n p + p - 1`,
/// clamped to the first and last score, numpy's two-sided linear interpolation).
pub(crate) fn weibull_quantile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let n = sorted.len() as f64;
    let virtual_index = n * p + p - 1.0;
    if virtual_index >= last as f64 {
        return sorted.last().copied();
    }
    if virtual_index < 0.0 {
        return sorted.first().copied();
    }
    let below = virtual_index.floor();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let i = below as usize;
    let gamma = virtual_index - below;
    let (a, b) = (*sorted.get(i)?, *sorted.get(i + 1)?);
    let diff = b - a;
    Some(if gamma >= 0.5 {
        b - diff * (1.0 - gamma)
    } else {
        a + diff * gamma
    })
}

/// The expected alliance by session number, from each reference dyad's `(session number,
/// score)` observations.
///
/// ```text
/// for session s and h = 0, 1, ..., max_half_width (the first h with n >= fewest):
///   window(s, h) = one score per dyad with a session in s-h ..= s+h: its score nearest to s
///                  (the earlier one when two are equally near); n = such dyads
/// expected(s)  = Q(0.5), lower(s) = Q((1 - level)/2), upper(s) = Q((1 + level)/2)
/// Q(p)         = Hyndman & Fan definition 6: order statistic p (n + 1), interpolated
/// ```
/// One score per dyad keeps the pooled scores independent (dyads are independent; a dyad's
/// scores at neighbouring sessions are not), which the coverage of definition 6 rests on: a
/// window pooling every score of a dyad counts each dyad up to `2 h + 1` times and holds,
/// in simulation, 2 points less than its nominal coverage. A session whose widest window
/// holds fewer than [`CurveOptions::fewest`] dyads gets no band
/// (`Undefined(TooFewObservations)`), keeping its counts.
///
/// # Errors
/// [`Error::NoReferenceData`] for no observation; [`Error::NonFinite`], [`Error::TooLarge`] or
/// [`Error::TooSmall`] for a score outside the numeric domain (its position in its dyad's
/// observations); [`Error::RepeatedReferenceSession`] when a dyad has two scores at one
/// session; [`Error::CurveTooLong`] when the sessions span more than [`MAX_CURVE_SESSIONS`];
/// [`Error::InvalidCurveOption`] for `min_reference = 0` or `max_half_width > 50`.
///
/// # Example
/// ```
/// use alliance::trend::{expected_curve, CurveOptions};
/// use alliance::{Outcome, Undefined};
/// // 25 dyads seen at session 1; one of them also at session 2
/// let mut dyads: Vec<Vec<(u32, f64)>> = (0..25).map(|i| vec![(1, 30.0 + f64::from(i % 5))]).collect();
/// dyads[0].push((2, 33.0));
/// let options = CurveOptions::default().with_max_half_width(0);
/// let curve = expected_curve(&dyads, options)?;
/// assert_eq!(curve.at(1).and_then(|p| p.expected.value()), Some(32.0));
/// let sparse = curve.at(2).expect("session 2 is in the curve");
/// assert_eq!((sparse.n, sparse.expected), (1, Outcome::Undefined(Undefined::TooFewObservations)));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Finch, Lambert & Schaalje (2001); Hyndman & Fan (1996). Matches
/// `numpy.quantile(method = "weibull")` on each window (`tests/reference/expected_curve.json`).
pub fn expected_curve<D: AsRef<[(u32, f64)]>>(
    dyads: &[D],
    options: CurveOptions,
) -> Result<ExpectedCurve> {
    options.check()?;
    let mut sorted: Vec<Vec<(u32, f64)>> = Vec::with_capacity(dyads.len());
    for (dyad, observations) in dyads.iter().enumerate() {
        let observations = observations.as_ref();
        for (index, &(_, x)) in observations.iter().enumerate() {
            crate::domain::check_one("reference score", index, x)?;
        }
        let mut own = observations.to_vec();
        own.sort_by_key(|o| o.0);
        if let Some(pair) = own.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(Error::RepeatedReferenceSession {
                dyad,
                session: pair[0].0,
            });
        }
        if !own.is_empty() {
            sorted.push(own);
        }
    }
    let (Some(first), Some(last)) = (
        sorted.iter().filter_map(|d| d.first()).map(|o| o.0).min(),
        sorted.iter().filter_map(|d| d.last()).map(|o| o.0).max(),
    ) else {
        return Err(Error::NoReferenceData);
    };
    if last - first >= MAX_CURVE_SESSIONS {
        return Err(Error::CurveTooLong {
            first,
            last,
            max: MAX_CURVE_SESSIONS,
        });
    }
    let fewest = options.fewest();
    let (p_lower, p_upper) = options.probabilities();
    // per dyad, at the current session: (distance to its nearest session, that score)
    let mut nearest: Vec<(u32, f64)> = Vec::with_capacity(sorted.len());
    let mut window: Vec<f64> = Vec::with_capacity(sorted.len());
    let mut points = Vec::with_capacity((last - first) as usize + 1);
    for session in first..=last {
        nearest.clear();
        for dyad in &sorted {
            if let Some(near) = nearest_score(dyad, session, options.max_half_width) {
                nearest.push(near);
            }
        }
        let within = |h: u32| nearest.iter().filter(|&&(d, _)| d <= h).count();
        let half_width = (0..=options.max_half_width)
            .find(|&h| within(h) >= fewest)
            .unwrap_or(options.max_half_width);
        let n = within(half_width);
        let (expected, lower, upper) = if n >= fewest {
            window.clear();
            window.extend(
                nearest
                    .iter()
                    .filter(|&&(d, _)| d <= half_width)
                    .map(|&(_, x)| x),
            );
            window.sort_unstable_by(f64::total_cmp);
            let q = |p| match weibull_quantile(&window, p) {
                Some(x) => Outcome::Defined(x),
                None => Outcome::Undefined(Undefined::TooFewObservations),
            };
            (q(0.5), q(p_lower), q(p_upper))
        } else {
            let none = Outcome::Undefined(Undefined::TooFewObservations);
            (none, none, none)
        };
        points.push(ExpectedPoint {
            session,
            n,
            at_session: within(0),
            half_width,
            expected,
            lower,
            upper,
        });
    }
    Ok(ExpectedCurve { options, points })
}

/// A dyad's score nearest to `session` within `reach` sessions, with its distance; the
/// earlier one when two are equally near. `dyad` is sorted by session, sessions distinct.
fn nearest_score(dyad: &[(u32, f64)], session: u32, reach: u32) -> Option<(u32, f64)> {
    let at = dyad.partition_point(|o| o.0 < session);
    let after = dyad.get(at).map(|&(s, x)| (s - session, x));
    let before = at
        .checked_sub(1)
        .and_then(|i| dyad.get(i))
        .map(|&(s, x)| (session - s, x));
    let best = match (before, after) {
        (Some(b), Some(a)) => Some(if a.0 < b.0 { a } else { b }),
        (b, a) => b.or(a),
    };
    best.filter(|&(d, _)| d <= reach)
}

/// The not-on-track rule: a dyad is not on track at a session when its score there is below
/// the expected curve's band (strictly below the lower edge) and at least `below` of its last
/// `of_last` sessions (this one included) were below their bands. Built with
/// [`NotOnTrackRule::builder`]; the curve it compares with is given beside it
/// ([`not_on_track`], [`MonitorConfigBuilder::not_on_track`](crate::monitor::MonitorConfigBuilder::not_on_track)).
///
/// ```text
/// below_t   = score_t < lower(session_t)          (false where the curve has no band)
/// flag at t = below_t  and  #{below_u : u in the last of_last sessions up to t} >= below
/// ```
///
/// Sessions are the dyad's sessions as recorded (in a monitor, the pushed sessions); a
/// session outside the curve or without a band counts as not below. The flag is raised at
/// every session that meets the rule, as long as it does.
///
/// **False alarms.** On on-track dyads (drawn from the same growth model as the reference;
/// see [`ExpectedCurve`]'s validation), with the default 80% band, over 12 sessions, averaged
/// over 20 reference caseloads of 200 dyads and 500 new dyads each (`tests/expected_curve.rs`,
/// `false_alarm_rate_on_on_track_dyads`):
///
/// | rule | on-track dyads flagged at least once | sessions flagged |
/// |---|---|---|
/// | 1 of the last 1 (Lambert et al.'s single session) | 27.5% | 9.7% |
/// | 2 of the last 3 (the default) | 15.6% | 6.3% |
/// | 3 of the last 5 | 12.1% | 5.1% |
/// | 3 of the last 3 | 9.0% | 3.4% |
///
/// 9.7% of on-track sessions fall below the band, as its 10% lower tail says. Within-dyad
/// scores are correlated (a dyad with a low intercept stays low), so a dyad that is
/// persistently low relative to the reference is flagged again and again: that is the
/// rule's purpose, and the reason a flag calls for a conversation, not a verdict.
///
/// | parameter | default | source |
/// |---|---|---|
/// | `below` | 2 | the crate's choice: two low sessions, so that one noisy session raises nothing |
/// | `of_last` | 3 | the crate's choice (Lambert et al. 2002 flag a single session; `below(1).of_last(1)` does that) |
///
/// # Example
/// ```
/// use alliance::trend::NotOnTrackRule;
/// let rule = NotOnTrackRule::builder().build()?;
/// assert_eq!((rule.below(), rule.of_last()), (2, 3));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(try_from = "super::wire::NotOnTrackRule"))]
pub struct NotOnTrackRule {
    below: usize,
    of_last: usize,
}

/// Builds a [`NotOnTrackRule`]; see its table of defaults.
///
/// # Example
/// ```
/// use alliance::trend::NotOnTrackRule;
/// let lambert = NotOnTrackRule::builder().below(1).of_last(1).build()?;
/// assert_eq!(lambert.below(), 1);
/// assert!(NotOnTrackRule::builder().below(4).of_last(3).build().is_err());
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// No serde: a builder is a step on the way; the rule it builds is what a program keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotOnTrackRuleBuilder {
    below: usize,
    of_last: usize,
}

impl Default for NotOnTrackRuleBuilder {
    fn default() -> NotOnTrackRuleBuilder {
        NotOnTrackRuleBuilder {
            below: 2,
            of_last: 3,
        }
    }
}

const RULE: &str = "not-on-track";

/// The longest window of sessions the rule looks back over (the monitor keeps it in 64 bits).
pub const MAX_NOT_ON_TRACK_WINDOW: usize = 64;

impl NotOnTrackRuleBuilder {
    /// How many sessions of the window must be below their bands (default 2). Checked by
    /// `build`: `1 <= below <= of_last`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::NotOnTrackRule;
    /// assert_eq!(NotOnTrackRule::builder().below(3).build()?.below(), 3);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn below(mut self, sessions: usize) -> NotOnTrackRuleBuilder {
        self.below = sessions;
        self
    }

    /// How many of the dyad's last sessions the rule looks at, the current one included
    /// (default 3). Checked by `build`: `1 <= of_last <= 64`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::NotOnTrackRule;
    /// assert_eq!(NotOnTrackRule::builder().of_last(5).build()?.of_last(), 5);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn of_last(mut self, sessions: usize) -> NotOnTrackRuleBuilder {
        self.of_last = sessions;
        self
    }

    /// The rule, checked.
    ///
    /// # Errors
    /// [`Error::TooFewSessions`] for `below = 0` or `of_last = 0`;
    /// [`Error::InvalidRuleParameter`] for `of_last > 64` or `below > of_last`.
    ///
    /// # Example
    /// ```
    /// use alliance::Error;
    /// use alliance::trend::NotOnTrackRule;
    /// let err = NotOnTrackRule::builder().below(0).build();
    /// assert!(matches!(err, Err(Error::TooFewSessions { .. })));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn build(self) -> Result<NotOnTrackRule> {
        let of_last = Param::new(RULE, "window (of_last)").sessions(self.of_last, 1)?;
        if of_last > MAX_NOT_ON_TRACK_WINDOW {
            return Err(Error::InvalidRuleParameter {
                rule: RULE,
                parameter: "window (of_last)",
                value: of_last as f64,
                expected: "from 1 to 64 sessions",
            });
        }
        let below = Param::new(RULE, "sessions below (below)").sessions(self.below, 1)?;
        if below > of_last {
            return Err(Error::InvalidRuleParameter {
                rule: RULE,
                parameter: "sessions below (below)",
                value: below as f64,
                expected: "at most the window (of_last)",
            });
        }
        Ok(NotOnTrackRule { below, of_last })
    }
}

impl NotOnTrackRule {
    /// A builder with the defaults (two of the last three sessions).
    ///
    /// # Example
    /// ```
    /// use alliance::trend::NotOnTrackRule;
    /// assert_eq!(NotOnTrackRule::builder().build()?.of_last(), 3);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn builder() -> NotOnTrackRuleBuilder {
        NotOnTrackRuleBuilder::default()
    }

    /// Sessions of the window that must be below their bands.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::NotOnTrackRule;
    /// assert_eq!(NotOnTrackRule::builder().build()?.below(), 2);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn below(&self) -> usize {
        self.below
    }

    /// The window: the dyad's last sessions the rule looks at.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::NotOnTrackRule;
    /// assert_eq!(NotOnTrackRule::builder().of_last(4).build()?.of_last(), 4);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn of_last(&self) -> usize {
        self.of_last
    }
}

/// A session at which a dyad is not on track, with the evidence.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct OffTrack {
    /// 0-based position of the session in the dyad's series.
    pub index: usize,
    /// Its session number (where the curve was read).
    pub session: u32,
    /// The observed score.
    pub score: f64,
    /// The expected score (the reference median) at this session.
    pub expected: f64,
    /// The band's lower edge, which the score is below.
    pub lower: f64,
    /// The band's upper edge.
    pub upper: f64,
    /// Reference dyads the band rests on.
    pub reference_n: usize,
    /// Sessions of the window below their bands (this one included).
    pub below: usize,
    /// Sessions in the window so far (`of_last`, or fewer early in the course).
    pub window: usize,
}

/// The not-on-track flags of one dyad's course. Serializes; does not deserialize (a result is
/// computed, not read).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct NotOnTrack {
    /// Each session at which the rule fired, in order.
    pub flags: Vec<OffTrack>,
    /// Sessions in the series.
    pub n: usize,
    /// Sessions compared with a band (inside the curve, with a band there).
    pub assessed: usize,
    /// Sessions below their bands.
    pub below: usize,
    /// The rule applied.
    pub rule: NotOnTrackRule,
}

/// Streaming state: which of the last `of_last` sessions were below their bands, newest in
/// bit 0.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct TrackTracker {
    pub(crate) recent: u64,
}

/// The bits of a window of `of_last` sessions.
pub(crate) fn window_mask(of_last: usize) -> u64 {
    if of_last >= 64 {
        u64::MAX
    } else {
        (1u64 << of_last) - 1
    }
}

/// What one session showed: whether it had a band, was below it, and the flag if raised.
pub(crate) struct TrackStep {
    pub(crate) assessed: bool,
    pub(crate) below: bool,
    pub(crate) flag: Option<OffTrack>,
}

impl TrackTracker {
    pub(crate) fn push(
        &mut self,
        curve: &ExpectedCurve,
        rule: &NotOnTrackRule,
        index: usize,
        session: u32,
        score: f64,
    ) -> TrackStep {
        let band = curve.at(session).and_then(|p| p.band().map(|b| (b, p.n)));
        let below = band.is_some_and(|((lower, _, _), _)| score < lower);
        self.recent = ((self.recent << 1) | u64::from(below)) & window_mask(rule.of_last);
        let count = self.recent.count_ones() as usize;
        let flag = match band {
            Some(((lower, expected, upper), reference_n)) if below && count >= rule.below => {
                Some(OffTrack {
                    index,
                    session,
                    score,
                    expected,
                    lower,
                    upper,
                    reference_n,
                    below: count,
                    window: (index + 1).min(rule.of_last),
                })
            }
            _ => None,
        };
        TrackStep {
            assessed: band.is_some(),
            below,
            flag,
        }
    }
}

/// The session number a series' time stands for: a whole number from 0 to `u32::MAX`.
fn session_number(index: usize, time: f64) -> Result<u32> {
    let whole = time.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&time);
    if whole {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Ok(time as u32)
    } else {
        Err(Error::SessionNotWhole { index, time })
    }
}

/// Where a dyad's course is not on track: each session whose score is below the expected
/// curve's band while at least `rule.below()` of the last `rule.of_last()` sessions were (see
/// [`NotOnTrackRule`]). The series' times are the session numbers at which the curve is read
/// ([`caseload::series`](crate::caseload::series) with
/// [`TimeAxis::SessionNumber`](crate::caseload::TimeAxis::SessionNumber) gives such a series).
/// The streaming monitor raises exactly these flags, session by session.
///
/// # Errors
/// [`Error::SessionNotWhole`] for a time that is not a whole session number from 0 to
/// 4294967295.
///
/// # Example
/// ```
/// use alliance::trend::{expected_curve, not_on_track, CurveOptions, NotOnTrackRule, Series};
/// // reference: 20 dyads at sessions 1-4 scoring 30..=39, so the band is about 31 to 38
/// let dyads: Vec<Vec<(u32, f64)>> =
///     (0..20).map(|i| (1..=4u32).map(|s| (s, 30.0 + f64::from(i % 10))).collect()).collect();
/// let curve = expected_curve(&dyads, CurveOptions::default())?;
/// let course = Series::new(vec![1.0, 2.0, 3.0, 4.0], vec![34.0, 29.0, 33.0, 28.0])?;
/// let result = not_on_track(&course, &curve, &NotOnTrackRule::builder().build()?)?;
/// assert_eq!(result.below, 2);
/// assert_eq!(result.flags.len(), 1); // session 4: two of the last three below the band
/// assert_eq!((result.flags[0].session, result.flags[0].below), (4, 2));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Finch, Lambert & Schaalje (2001); Lambert et al. (2002).
pub fn not_on_track(
    series: &Series,
    curve: &ExpectedCurve,
    rule: &NotOnTrackRule,
) -> Result<NotOnTrack> {
    let mut tracker = TrackTracker::default();
    let mut flags = Vec::new();
    let (mut assessed, mut below) = (0, 0);
    for (index, (&time, &score)) in series.times().iter().zip(series.values()).enumerate() {
        let session = session_number(index, time)?;
        let step = tracker.push(curve, rule, index, session, score);
        assessed += usize::from(step.assessed);
        below += usize::from(step.below);
        flags.extend(step.flag);
    }
    Ok(NotOnTrack {
        flags,
        n: series.len(),
        assessed,
        below,
        rule: *rule,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weibull_positions() {
        let xs = [1.0, 2.0, 3.0, 4.0];
        // n p + p - 1 = 5 p - 1
        assert_eq!(weibull_quantile(&xs, 0.5), Some(2.5));
        assert_eq!(weibull_quantile(&xs, 0.1), Some(1.0)); // clamped
        assert_eq!(weibull_quantile(&xs, 0.9), Some(4.0)); // clamped
        assert_eq!(weibull_quantile(&xs, 0.4), Some(2.0));
        assert_eq!(weibull_quantile(&[], 0.4), None);
        assert_eq!(weibull_quantile(&[7.0], 0.4), Some(7.0));
    }

    #[test]
    fn window_masks() {
        assert_eq!(window_mask(1), 1);
        assert_eq!(window_mask(3), 7);
        assert_eq!(window_mask(64), u64::MAX);
    }

    #[test]
    fn a_sparse_session_pools_its_neighbours_one_score_per_dyad() {
        // 12 dyads at sessions 1 and 3, one more at session 2 only
        let mut dyads: Vec<Vec<(u32, f64)>> = (0..12)
            .map(|i| vec![(1, f64::from(i)), (3, f64::from(i) + 0.5)])
            .collect();
        dyads.push(vec![(2, 5.0)]);
        let options = CurveOptions::default().with_min_reference(13);
        let curve = expected_curve(&dyads, options).unwrap();
        let p = curve.at(2).unwrap();
        // 13 dyads, each once: the 12 by their session-1 score (the earlier of two as near)
        assert_eq!((p.n, p.at_session, p.half_width), (13, 1, 1));
        assert!(p.band().is_some());
        assert_eq!(curve.at(1).unwrap().n, 13);
        assert_eq!(nearest_score(&[(1, 1.0), (3, 3.0)], 2, 1), Some((1, 1.0)));
        assert_eq!(nearest_score(&[(1, 1.0), (4, 3.0)], 3, 1), Some((1, 3.0)));
        assert_eq!(nearest_score(&[(1, 1.0)], 4, 2), None);
    }
}
