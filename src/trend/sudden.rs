//! Sudden alliance drops: Tang & `DeRubeis`'s sudden-gain criteria turned towards a fall in a
//! higher-is-better score.

use crate::error::Result;
use crate::trend::Series;
use crate::trend::detect::{Param, at_least};

/// Citation of the sudden-drop criteria.
pub const TANG_DERUBEIS_1999: &str = "Tang, T. Z., & DeRubeis, R. J. (1999). Sudden gains and \
critical sessions in cognitive-behavioral therapy for depression. Journal of Consulting and \
Clinical Psychology, 67(6), 894-904; critical values adjusted for missing sessions after Lutz \
et al. (2013) as in the R package suddengains (identify_sg)";

/// Critical values of the stability criterion by window sizes, as printed by Lutz et al.
/// (2013) and hard-coded in `suddengains::identify_sg`: t(0.975) on n1 + n2 - 2 df.
const T_CRIT_3_3: f64 = 2.776;
const T_CRIT_ONE_SHORT: f64 = 3.182;
const T_CRIT_2_2: f64 = 4.303;

/// Which intervals near the end of a series are tested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum SeriesEnd {
    /// Test an interval n -> n+1 only once three sessions after n are known. Verdicts never
    /// change as sessions are added, which is what a streaming monitor needs (the default).
    /// The interval two sessions before the end of a completed course is not tested.
    Wait,
    /// As `suddengains::identify_sg`: also test the interval two sessions before the end,
    /// with a two-session window after it (critical value 3.182 or 4.303). Its verdict can
    /// change when a further session arrives, so the monitor does not accept this option.
    Truncate,
}

/// The sudden-drop criteria, with checked parameters. Built with [`SuddenDropRule::builder`].
///
/// ```text
/// interval n -> n+1 (0-based n >= 1: at least two sessions before the drop)
/// 1. size        x_n - x_{n+1} >= min_drop                     (e.g. a reliable-change threshold)
/// 2. relative    x_n - x_{n+1} >= min_ratio * (x_n - scale_min)  (min_ratio 0.25)
/// 3. stability   mean(pre) - mean(post) > t_crit * s_pooled
///                pre  = x_{max(0, n-2)} ..= x_n   (3 values, 2 at the start)
///                post = x_{n+1} ..= x_{n+3}        (3 values; 2 at the end with Truncate)
///                s_pooled = sqrt((SS_pre + SS_post) / (n_pre + n_post - 2))
///                t_crit = 2.776 (3+3), 3.182 (2+3 or 3+2), 4.303 (2+2)
/// ```
///
/// The critical values are the rounded ones of Lutz et al. (2013), hard-coded in
/// `suddengains::identify_sg`; `suddengains::check_interval` computes `qt(0.975, df)` instead
/// (2.776445, 3.182446, 4.302653), which can only matter for a stability margin within
/// 0.0005 pooled SD of zero.
///
/// With feature `serde` the rule serializes and deserializes; reading one runs its builder, so
/// a rule read back holds the same checks as one built.
///
/// # Example
/// ```
/// use alliance::trend::{SeriesEnd, SuddenDropRule};
/// let rule = SuddenDropRule::builder().min_drop(5.0).build()?;
/// assert_eq!((rule.min_ratio(), rule.scale_min(), rule.end()), (0.25, 0.0, SeriesEnd::Wait));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(try_from = "super::wire::SuddenDropRule"))]
pub struct SuddenDropRule {
    min_drop: f64,
    min_ratio: f64,
    scale_min: f64,
    end: SeriesEnd,
}

/// Builds a [`SuddenDropRule`]: set the minimum drop (required), change any default, then
/// [`build`](SuddenDropRuleBuilder::build), which checks every parameter.
///
/// | parameter | default | source |
/// |---|---|---|
/// | `min_drop` | none: required | criterion 1 of Tang & `DeRubeis` (1999); for another instrument its reliable-change threshold (Lutz et al. 2013) |
/// | `min_ratio` | 0.25 | criterion 2 of Tang & `DeRubeis` (1999): at least 25% of the score before |
/// | `scale_min` | 0 | Tang & `DeRubeis` (1999) and suddengains measure the ratio from 0 |
/// | `end` | [`SeriesEnd::Wait`] | the crate's choice: verdicts never change |
///
/// # Example
/// ```
/// use alliance::trend::SuddenDropRule;
/// let rule = SuddenDropRule::builder().min_drop(5.0).min_ratio(0.25).build()?;
/// assert_eq!(rule.min_drop(), 5.0);
/// assert!(SuddenDropRule::builder().build().is_err()); // no minimum drop
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// No serde: a builder is a step on the way; the rule it builds is what a program keeps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SuddenDropRuleBuilder {
    min_drop: Option<f64>,
    min_ratio: f64,
    scale_min: f64,
    end: SeriesEnd,
}

impl Default for SuddenDropRuleBuilder {
    fn default() -> SuddenDropRuleBuilder {
        SuddenDropRuleBuilder {
            min_drop: None,
            min_ratio: 0.25,
            scale_min: 0.0,
            end: SeriesEnd::Wait,
        }
    }
}

const SUDDEN: &str = "sudden-drop";

impl SuddenDropRuleBuilder {
    /// Criterion 1, the smallest drop `x_n - x_{n+1}` in score points (required; no default):
    /// typically the instrument's reliable-change threshold 1.96 `S_diff` (Lutz et al. 2013).
    /// Checked by `build`: `0 <= min_drop <= 1e100`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::SuddenDropRule;
    /// assert_eq!(SuddenDropRule::builder().min_drop(0.61).build()?.min_drop(), 0.61);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn min_drop(mut self, points: f64) -> SuddenDropRuleBuilder {
        self.min_drop = Some(points);
        self
    }

    /// Criterion 2, the smallest drop as a fraction of the score before it, measured above
    /// the scale minimum (default 0.25; Tang & `DeRubeis` 1999). Checked by `build`:
    /// `0 <= min_ratio <= 1e100`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::SuddenDropRule;
    /// let rule = SuddenDropRule::builder().min_drop(5.0).min_ratio(0.2).build()?;
    /// assert_eq!(rule.min_ratio(), 0.2);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn min_ratio(mut self, ratio: f64) -> SuddenDropRuleBuilder {
        self.min_ratio = ratio;
        self
    }

    /// The scale's minimum, from which criterion 2 measures the score before the drop
    /// (default 0, which reproduces Tang & `DeRubeis` 1999 and suddengains; set 1 for a 1-5
    /// scale). Checked by `build`: `|scale_min| <= 1e100`.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::SuddenDropRule;
    /// let rule = SuddenDropRule::builder().min_drop(0.61).scale_min(1.0).build()?;
    /// assert_eq!(rule.scale_min(), 1.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn scale_min(mut self, min: f64) -> SuddenDropRuleBuilder {
        self.scale_min = min;
        self
    }

    /// Which intervals near the end of a series are tested (default [`SeriesEnd::Wait`]).
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{SeriesEnd, SuddenDropRule};
    /// let rule = SuddenDropRule::builder().min_drop(5.0).end(SeriesEnd::Truncate).build()?;
    /// assert_eq!(rule.end(), SeriesEnd::Truncate);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn end(mut self, end: SeriesEnd) -> SuddenDropRuleBuilder {
        self.end = end;
        self
    }

    /// The rule, with every parameter checked.
    ///
    /// # Errors
    /// [`Error::MissingRuleParameter`](crate::Error::MissingRuleParameter) without a minimum
    /// drop; [`Error::InvalidRuleParameter`](crate::Error::InvalidRuleParameter) unless
    /// `0 <= min_drop <= 1e100`, `0 <= min_ratio <= 1e100` and `|scale_min| <= 1e100` (NaN
    /// is refused).
    ///
    /// # Example
    /// ```
    /// use alliance::Error;
    /// use alliance::trend::SuddenDropRule;
    /// let err = SuddenDropRule::builder().min_drop(-1.0).build();
    /// assert!(matches!(err, Err(Error::InvalidRuleParameter { parameter: "minimum drop", .. })));
    /// let rule = SuddenDropRule::builder().min_drop(5.0).build()?;
    /// assert_eq!(rule.min_drop(), 5.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn build(self) -> Result<SuddenDropRule> {
        let min_drop = Param::new(SUDDEN, "minimum drop");
        Ok(SuddenDropRule {
            min_drop: min_drop.at_least(
                min_drop.required(self.min_drop)?,
                0.0,
                false,
                "0 or a number of score points from 1e-100 to 1e100",
            )?,
            min_ratio: Param::new(SUDDEN, "minimum ratio").at_least(
                self.min_ratio,
                0.0,
                false,
                "0 or a fraction from 1e-100 to 1e100",
            )?,
            scale_min: Param::new(SUDDEN, "scale minimum").bounded(self.scale_min)?,
            end: self.end,
        })
    }
}

impl SuddenDropRule {
    /// A builder with the defaults of [`SuddenDropRuleBuilder`]; the minimum drop must be set.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::SuddenDropRule;
    /// let rule = SuddenDropRule::builder().min_drop(5.0).min_ratio(0.25).build()?;
    /// assert_eq!(rule.min_ratio(), 0.25);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn builder() -> SuddenDropRuleBuilder {
        SuddenDropRuleBuilder::default()
    }

    /// Criterion 1: the smallest drop, in score points.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::SuddenDropRule;
    /// assert_eq!(SuddenDropRule::builder().min_drop(5.0).build()?.min_drop(), 5.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn min_drop(&self) -> f64 {
        self.min_drop
    }

    /// Criterion 2: the smallest drop as a fraction of the score before it.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::SuddenDropRule;
    /// assert_eq!(SuddenDropRule::builder().min_drop(5.0).build()?.min_ratio(), 0.25);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn min_ratio(&self) -> f64 {
        self.min_ratio
    }

    /// The scale minimum that criterion 2 measures from.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::SuddenDropRule;
    /// assert_eq!(SuddenDropRule::builder().min_drop(5.0).build()?.scale_min(), 0.0);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn scale_min(&self) -> f64 {
        self.scale_min
    }

    /// Handling of the series end.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{SeriesEnd, SuddenDropRule};
    /// assert_eq!(SuddenDropRule::builder().min_drop(5.0).build()?.end(), SeriesEnd::Wait);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn end(&self) -> SeriesEnd {
        self.end
    }
}

/// Every criterion value for one interval n -> n+1.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct IntervalCheck {
    /// 0-based position of session n (before the drop).
    pub before: usize,
    /// Time of session n.
    pub time_before: f64,
    /// Time of session n + 1.
    pub time_after: f64,
    /// `x_n`.
    pub score_before: f64,
    /// x_{n+1}.
    pub score_after: f64,
    /// `x_n - x_{n+1}`.
    pub drop: f64,
    /// Criterion 1 threshold (the rule's minimum drop).
    pub min_drop: f64,
    /// Criterion 1 met.
    pub size_met: bool,
    /// Criterion 2 threshold, `min_ratio * (x_n - scale_min)`.
    pub relative_threshold: f64,
    /// Criterion 2 met.
    pub relative_met: bool,
    /// Mean of the sessions up to n.
    pub mean_before: f64,
    /// Mean of the sessions from n + 1.
    pub mean_after: f64,
    /// Sample SD of the sessions up to n.
    pub sd_before: f64,
    /// Sample SD of the sessions from n + 1.
    pub sd_after: f64,
    /// Sessions in the window before (2 or 3).
    pub n_before: usize,
    /// Sessions in the window after (2 or 3).
    pub n_after: usize,
    /// Pooled SD of the two windows.
    pub pooled_sd: f64,
    /// The critical value used.
    pub critical_value: f64,
    /// `mean_before - mean_after - critical_value * pooled_sd`; criterion 3 is met when > 0.
    pub stability_margin: f64,
    /// Criterion 3 met.
    pub stability_met: bool,
}

impl IntervalCheck {
    /// All three criteria met: a sudden drop.
    ///
    /// # Example
    /// ```
    /// use alliance::trend::{check_interval, Series, SuddenDropRule};
    /// let s = Series::from_values(vec![40.0, 39.0, 40.0, 30.0, 31.0, 30.0])?;
    /// let rule = SuddenDropRule::builder().min_drop(5.0).build()?;
    /// assert_eq!(check_interval(&s, 2, &rule)?.map(|c| c.is_drop()), Some(true));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn is_drop(&self) -> bool {
        self.size_met && self.relative_met && self.stability_met
    }
}

/// All sudden drops in a series. Serializes; does not deserialize (a result is computed, not
/// read).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct SuddenDrops {
    /// The intervals that met all three criteria, in order.
    pub drops: Vec<IntervalCheck>,
    /// Sessions in the series (points of the [`Series`]).
    pub n: usize,
    /// How many intervals had enough sessions around them to be tested.
    pub tested: usize,
    /// The rule applied.
    pub rule: SuddenDropRule,
}

/// Checks the interval between sessions `before` and `before + 1` (0-based), as
/// `suddengains::check_interval` does with all three criteria.
///
/// Returns `None` when the interval cannot be tested under the rule: fewer than two sessions up
/// to `before`, or too few after it (three with [`SeriesEnd::Wait`], two with
/// [`SeriesEnd::Truncate`]). `None` is not an undefined statistic but "no such interval", so it
/// stays an `Option`: every criterion value of a testable interval is defined.
///
/// # Errors
/// None on a [`Series`](crate::trend::Series), whose values are inside [`crate::domain`]; the
/// `Result` is the one shape every statistic has.
///
/// # Example
/// ```
/// use alliance::trend::{check_interval, Series, SuddenDropRule};
/// let s = Series::from_values(vec![40.0, 39.0, 40.0, 30.0, 31.0, 30.0])?;
/// let c = check_interval(&s, 2, &SuddenDropRule::builder().min_drop(5.0).build()?)?.expect("testable");
/// assert!(c.is_drop());
/// assert_eq!(c.critical_value, 2.776); // three sessions on each side
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Tang & `DeRubeis` (1999), J. Consulting and Clinical Psychology 67, 894-904; Lutz et al.
/// (2013) for the critical values; R package suddengains (Wiedemann et al.), `identify_sg`.
pub fn check_interval(
    series: &Series,
    before: usize,
    rule: &SuddenDropRule,
) -> Result<Option<IntervalCheck>> {
    let values = series.values();
    Ok(check_at(series.times(), values, before, rule))
}

/// Sudden drops in a higher-is-better series (sudden losses of alliance).
///
/// ```text
/// for each testable interval n -> n+1 (see check_interval and SuddenDropRule):
/// drop  <=>  x_n - x_{n+1} >= min_drop
///        and x_n - x_{n+1} >= min_ratio (x_n - scale_min)
///        and mean(pre) - mean(post) > t_crit s_pooled
/// ```
/// With `scale_min = 0`, [`SeriesEnd::Truncate`] and no missed sessions this is
/// `suddengains::identify_sg` applied to the score (a gain there is a fall in the score). The
/// differences: sessions are the points of the series (a missed session is skipped, where
/// suddengains leaves a hole that makes the intervals beside it untestable), the relative size
/// is measured above the scale minimum, and [`SeriesEnd::Wait`] is the default. Differences of
/// two scores are compared with their thresholds allowing for the rounding of decimal scores
/// (1e-12 relative), so a drop from 36.9 to 35.9 counts as 1 point.
///
/// # Errors
/// None on a [`Series`](crate::trend::Series), whose values are inside [`crate::domain`]; the
/// `Result` is the one shape every statistic has.
///
/// # Example
/// ```
/// use alliance::trend::{sudden_drops, Series, SuddenDropRule};
/// let s = Series::from_values(vec![40.0, 39.0, 40.0, 39.0, 28.0, 29.0, 28.0])?;
/// let found = sudden_drops(&s, &SuddenDropRule::builder().min_drop(5.0).build()?)?;
/// assert_eq!(found.drops.len(), 1);
/// assert_eq!(found.drops[0].before, 3);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Tang & `DeRubeis` (1999), J. Consulting and Clinical Psychology 67, 894-904; Lutz et al.
/// (2013), Psychotherapy Research (critical values for missing sessions); R package
/// suddengains (Wiedemann, Thew, Stott & Ehlers), `identify_sg` / `check_interval`. Hand-worked
/// cases: `tests/reference/detectors_sudden.json`.
pub fn sudden_drops(series: &Series, rule: &SuddenDropRule) -> Result<SuddenDrops> {
    let (times, values) = (series.times(), series.values());
    let mut drops = Vec::new();
    let mut tested = 0;
    for before in 1..values.len() {
        if let Some(c) = check_at(times, values, before, rule) {
            tested += 1;
            if c.is_drop() {
                drops.push(c);
            }
        }
    }
    Ok(SuddenDrops {
        drops,
        n: values.len(),
        tested,
        rule: *rule,
    })
}

fn check_at(
    times: &[f64],
    values: &[f64],
    before: usize,
    rule: &SuddenDropRule,
) -> Option<IntervalCheck> {
    let after_needed = match rule.end {
        SeriesEnd::Wait => 3,
        SeriesEnd::Truncate => 2,
    };
    // Checked: `before` near usize::MAX must not wrap into range.
    if before == 0 || before.checked_add(after_needed)? >= values.len() {
        return None;
    }
    let start = before.saturating_sub(2);
    let stop = (before + 4).min(values.len());
    check_window(
        times.get(start..stop)?,
        values.get(start..stop)?,
        before - start,
        start,
        rule,
    )
}

/// The criteria on a window of 4 to 6 sessions where position `n` (1 or 2) is session n;
/// `offset` is the window's first position in the series.
pub(crate) fn check_window(
    times: &[f64],
    values: &[f64],
    n: usize,
    offset: usize,
    rule: &SuddenDropRule,
) -> Option<IntervalCheck> {
    let pre = values.get(..=n)?;
    let post = values.get(n + 1..)?;
    let (n1, n2) = (pre.len(), post.len());
    let critical_value = match (n1, n2) {
        (3, 3) => T_CRIT_3_3,
        (2, 3) | (3, 2) => T_CRIT_ONE_SHORT,
        (2, 2) => T_CRIT_2_2,
        _ => return None,
    };
    let (&x0, &x1) = (pre.last()?, post.first()?);
    let drop = x0 - x1;
    let relative_threshold = rule.min_ratio * (x0 - rule.scale_min);
    let mean_before = crate::stats::mean(pre)?;
    let mean_after = crate::stats::mean(post)?;
    let ss_before = crate::stats::sum_sq_dev(pre, mean_before);
    let ss_after = crate::stats::sum_sq_dev(post, mean_after);
    let pooled_sd = ((ss_before + ss_after) / (n1 + n2 - 2) as f64).sqrt();
    let stability_margin = (mean_before - mean_after) - critical_value * pooled_sd;
    Some(IntervalCheck {
        before: offset + n,
        time_before: *times.get(n)?,
        time_after: *times.get(n + 1)?,
        score_before: x0,
        score_after: x1,
        drop,
        min_drop: rule.min_drop,
        size_met: at_least(x0, x1, rule.min_drop),
        relative_threshold,
        relative_met: at_least(x0, x1, relative_threshold),
        mean_before,
        mean_after,
        sd_before: (ss_before / (n1 - 1) as f64).sqrt(),
        sd_after: (ss_after / (n2 - 1) as f64).sqrt(),
        n_before: n1,
        n_after: n2,
        pooled_sd,
        critical_value,
        stability_margin,
        stability_met: mean_before - mean_after > critical_value * pooled_sd,
    })
}

/// Streaming state: the last six sessions, enough to test the interval three sessions back.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct SuddenTracker {
    pub(crate) times: [f64; 6],
    pub(crate) values: [f64; 6],
    pub(crate) seen: usize,
}

impl SuddenTracker {
    /// Feeds session `index` (= number of sessions before it); returns the check of the
    /// interval n -> n+1 with n = index - 3 when it is testable (only [`SeriesEnd::Wait`]).
    pub(crate) fn push(
        &mut self,
        rule: &SuddenDropRule,
        index: usize,
        time: f64,
        score: f64,
    ) -> Option<IntervalCheck> {
        self.times.rotate_left(1);
        self.values.rotate_left(1);
        self.times[5] = time;
        self.values[5] = score;
        self.seen += 1;
        // session n = index - 3 needs n >= 1, i.e. index >= 4; the window starts at n - 2
        // (or 0), so it holds min(index, 5) + 1 sessions ending at the newest.
        if index < 4 {
            return None;
        }
        let n = index - 3;
        let start = n.saturating_sub(2);
        let len = index + 1 - start;
        let from = 6usize.checked_sub(len)?;
        check_window(
            self.times.get(from..)?,
            self.values.get(from..)?,
            n - start,
            start,
            rule,
        )
    }
}
