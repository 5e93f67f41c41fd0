//! Intraclass correlation coefficients: the six Shrout-Fleiss (1979) forms under the
//! McGraw-Wong (1996) names, with F tests and confidence intervals.

#![allow(clippy::doc_markdown)] // author names such as McGraw are prose, not code

use crate::error::{Error, Result};
use crate::exact_sums::ExactSums;
use crate::interval::{Interval, Level};
use crate::method::{IntervalMethod, PMethod};
use crate::outcome::{Outcome, Undefined};
use crate::ratings::CaseDeletion;
use crate::ratings::Ratings;
use crate::stats::{self, Sum};

/// The model behind an ICC.
///
/// Two-way random and two-way mixed models give the same estimates (McGraw & Wong 1996,
/// Table 4), so one variant covers both; they differ only in interpretation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum IccForm {
    /// One-way random effects: each target rated by its own set of raters; rater differences
    /// are error. Shrout-Fleiss ICC(1, ·).
    OneWay,
    /// Two-way model, absolute agreement: systematic rater differences (one rater scoring
    /// higher) count as disagreement. Shrout-Fleiss ICC(2, ·), McGraw-Wong ICC(A, ·). The
    /// meaningful form for client versus therapist on the same session.
    TwoWayAgreement,
    /// Two-way model, consistency: rater offsets are ignored. Shrout-Fleiss ICC(3, ·),
    /// McGraw-Wong ICC(C, ·).
    TwoWayConsistency,
}

/// Whether the ICC describes one rater's score or the mean of the k raters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum IccUnit {
    /// Reliability of a single rater's score: ICC(·, 1).
    Single,
    /// Reliability of the mean of the k raters: ICC(·, k).
    Average,
}

/// Mean squares of the targets x raters ANOVA, on the complete targets used.
///
/// # Example
/// ```
/// use alliance::agreement::{icc, IccForm, IccUnit};
/// use alliance::{Level, Ratings};
/// let r = Ratings::from_rows(&[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])?;
/// let ms = icc(&r, IccForm::TwoWayConsistency, IccUnit::Single, Level::default())?.mean_squares;
/// assert_eq!((ms.rows, ms.columns, ms.error), (8.0, 1.5, 0.0));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct MeanSquares {
    /// Between targets (rows), SSR / (n − 1).
    pub rows: f64,
    /// Between raters (columns), SSC / (k − 1).
    pub columns: f64,
    /// Residual, SSE / ((n − 1)(k − 1)).
    pub error: f64,
    /// Within targets, (SSC + SSE) / (n (k − 1)).
    pub within: f64,
}

/// One ICC form with its F test, interval and everything it rests on.
///
/// Each quantity that can be undefined is an [`Outcome`] of its own, so an undefined
/// coefficient never hides the counts, degrees of freedom and mean squares, which are always
/// reported. Serializes; does not deserialize (a result is computed, not read).
///
/// # Example
/// ```
/// use alliance::agreement::{icc, IccForm, IccUnit};
/// use alliance::{Level, Outcome, Ratings, Undefined};
/// // every rating equal: no coefficient, but the ANOVA is still reported
/// let r = Ratings::from_rows(&[[3.0, 3.0], [3.0, 3.0], [3.0, 3.0]])?;
/// let i = icc(&r, IccForm::TwoWayAgreement, IccUnit::Single, Level::default())?;
/// assert_eq!(i.coefficient, Outcome::Undefined(Undefined::ConstantValues));
/// assert_eq!((i.n, i.raters, i.df1, i.df2), (3, 2, 2.0, 2.0));
/// assert_eq!(i.mean_squares.rows, 0.0);
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Icc {
    /// Model.
    pub form: IccForm,
    /// Single or average measure.
    pub unit: IccUnit,
    /// The McGraw-Wong name, e.g. "ICC(A,1)".
    pub name: &'static str,
    /// The Shrout-Fleiss name, e.g. "ICC(2,1)".
    pub shrout_fleiss: &'static str,
    /// The coefficient (negative values are reported, not clamped), or why it is undefined:
    /// [`Undefined::ConstantValues`] (every rating equal), [`Undefined::IndeterminateF`]
    /// (targets do not differ and there is no error: 0/0 for the consistency forms, while the
    /// agreement forms are 0 when raters differ), [`Undefined::NoTargetVariance`] (an
    /// average form with MSR = 0), [`Undefined::ZeroDenominator`] (ICC(A,k)'s denominator is
    /// zero while ratings vary), [`Undefined::OutOfRange`].
    pub coefficient: Outcome<f64>,
    /// F statistic of H0: ICC = 0 (MSR/MSW one-way, MSR/MSE two-way);
    /// [`Undefined::ZeroErrorVariance`] when the error mean square is exactly zero and targets
    /// differ (F would be infinite; p is then 0), [`Undefined::IndeterminateF`] when both are
    /// zero (0/0).
    pub f: Outcome<f64>,
    /// Numerator degrees of freedom, n − 1.
    pub df1: f64,
    /// Denominator degrees of freedom: n(k − 1) one-way, (n − 1)(k − 1) two-way.
    pub df2: f64,
    /// Upper-tail p of the F test; 0 when the error mean square is zero, 1 when MSR = 0.
    pub p: Outcome<f64>,
    /// How p was computed: [`PMethod::F`].
    pub p_method: PMethod,
    /// Confidence interval (McGraw & Wong 1996); undefined with the coefficient, or
    /// [`Undefined::DegenerateDegreesOfFreedom`] when the Satterthwaite df of ICC(A, ·) is not
    /// positive and finite.
    pub ci: Outcome<Interval>,
    /// How the interval was computed: [`IntervalMethod::ExactF`] for the one-way and
    /// consistency forms, [`IntervalMethod::SatterthwaiteF`] for absolute agreement (average
    /// form by Spearman-Brown).
    pub ci_method: IntervalMethod,
    /// ANOVA mean squares.
    pub mean_squares: MeanSquares,
    /// Targets used: the rated objects (sessions, clients) with a rating from every rater.
    pub n: usize,
    /// Targets dropped because a rating was missing.
    pub dropped: usize,
    /// Raters (k).
    pub raters: usize,
    /// Missing-data policy applied (listwise: a target missing any rating is dropped).
    pub missing: CaseDeletion,
    /// The reference implementation this matches (row label in `psych::ICC` and pingouin).
    pub reference: &'static str,
}

/// All six forms from one ANOVA, like the table of `psych::ICC` and `pingouin.intraclass_corr`.
/// Serializes; does not deserialize (a result is computed, not read).
///
/// # Example
/// ```
/// use alliance::agreement::icc_table;
/// use alliance::{Level, Ratings};
/// let r = Ratings::from_rows(&[[5.0, 4.0], [4.5, 4.0], [3.0, 3.5], [2.0, 2.5]])?;
/// let t = icc_table(&r, Level::default())?;
/// assert_eq!(t.consistency_average.name, "ICC(C,k)");
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct IccTable {
    /// ICC(1), Shrout-Fleiss ICC(1,1).
    pub one_way_single: Icc,
    /// ICC(A,1), Shrout-Fleiss ICC(2,1).
    pub agreement_single: Icc,
    /// ICC(C,1), Shrout-Fleiss ICC(3,1).
    pub consistency_single: Icc,
    /// ICC(1,k), Shrout-Fleiss ICC(1,k).
    pub one_way_average: Icc,
    /// ICC(A,k), Shrout-Fleiss ICC(2,k).
    pub agreement_average: Icc,
    /// ICC(C,k), Shrout-Fleiss ICC(3,k).
    pub consistency_average: Icc,
}

impl IccTable {
    /// The six forms in the order of `psych::ICC`: ICC1, ICC2, ICC3, `ICC1k`, `ICC2k`, `ICC3k`.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::icc_table;
    /// use alliance::{Level, Ratings};
    /// let r = Ratings::from_rows(&[[5.0, 4.0], [4.5, 4.0], [3.0, 3.5], [2.0, 2.5]])?;
    /// let names: Vec<_> = icc_table(&r, Level::default())?.all().map(|i| i.shrout_fleiss).to_vec();
    /// assert_eq!(names, ["ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)"]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn all(&self) -> [Icc; 6] {
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
    /// use alliance::agreement::{icc_table, IccForm, IccUnit};
    /// use alliance::{Level, Ratings};
    /// let r = Ratings::from_rows(&[[5.0, 4.0], [4.5, 4.0], [3.0, 3.5], [2.0, 2.5]])?;
    /// let t = icc_table(&r, Level::default())?;
    /// assert_eq!(t.get(IccForm::TwoWayAgreement, IccUnit::Single), t.agreement_single);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn get(&self, form: IccForm, unit: IccUnit) -> Icc {
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

/// One intraclass correlation form, with F test and confidence interval.
///
/// With n complete targets, k raters and the mean squares of [`MeanSquares`]:
///
/// ```text
/// ICC(1)   = (MSR − MSW) / (MSR + (k − 1) MSW)          F = MSR/MSW on (n − 1, n(k − 1))
/// ICC(A,1) = (MSR − MSE) / (MSR + (k − 1) MSE + k (MSC − MSE)/n)
/// ICC(C,1) = (MSR − MSE) / (MSR + (k − 1) MSE)          F = MSR/MSE on (n − 1, (n − 1)(k − 1))
/// ICC(1,k) = (MSR − MSW) / MSR
/// ICC(A,k) = (MSR − MSE) / (MSR + (MSC − MSE)/n)
/// ICC(C,k) = (MSR − MSE) / MSR
/// ```
///
/// Intervals: exact F-based bounds for the one-way and consistency forms; ICC(A,1) with
/// McGraw & Wong's approximate (Satterthwaite) denominator df
///
/// ```text
/// v = (k−1)(n−1) (k ICC Fj + n(1 + (k−1) ICC) − k ICC)² /
///     ((n−1) k² ICC² Fj² + (n(1 + (k−1) ICC) − k ICC)²),   Fj = MSC/MSE
/// ```
///
/// and ICC(A,k) bounds as the Spearman-Brown step-up k L / (1 + (k − 1) L) of the ICC(A,1)
/// bounds, evaluated in the simplified form below, which avoids the cancellation of
/// 1 + (k − 1) L near L = −1/(k − 1):
///
/// ```text
/// ICC(A,k): L = n (MSR − F_U MSE) / (F_U (MSC − MSE) + n MSR)
///           U = n (F_L MSR − MSE) / (MSC − MSE + n F_L MSR)
/// ```
///
/// Targets with a missing rating are dropped (listwise); the result says how many.
///
/// Whether a mean square, a numerator or a denominator is zero is decided on the sums of
/// squares themselves: exactly, from integer sums, when every rating is a multiple of a power
/// of two (Likert answers, halves); otherwise within a bound on their rounding error, so the
/// order of targets and raters cannot change the answer. ICC(A,k)'s denominator
/// MSR + (MSC − MSE)/n can be zero with ratings that vary; it is then
/// [`Undefined::ZeroDenominator`](crate::Undefined::ZeroDenominator).
///
/// When the error mean square is exactly zero and targets differ, F would be infinite: it is
/// [`Undefined::ZeroErrorVariance`], p is 0 and the exact-F interval collapses to its limit
/// [1, 1]; for ICC(A, ·) the limit v = k − 1 is used. When MSR is exactly zero, F = 0, p = 1
/// and every interval collapses to the point estimate (for ICC(A, ·), v = 0 exactly and the
/// bounds no longer involve F); the average forms ICC(1,k) and ICC(C,k) then divide by
/// MSR = 0 and are [`Undefined::NoTargetVariance`], while their F, p and df stay reported.
///
/// # Errors
/// [`Error::TooFewTargets`] when fewer than 2 targets have every rating;
/// [`Error::RatingsTooLarge`] when the mean squares overflow (ratings beyond about 1e150).
///
/// # Example
/// ```
/// use alliance::agreement::{icc, IccForm, IccUnit};
/// use alliance::Ratings;
/// use alliance::Level;
/// // Shrout & Fleiss (1979) Table 2: 6 targets, 4 judges
/// let r = Ratings::from_rows(&[
///     [9.0, 2.0, 5.0, 8.0], [6.0, 1.0, 3.0, 2.0], [8.0, 4.0, 6.0, 8.0],
///     [7.0, 1.0, 2.0, 6.0], [10.0, 5.0, 6.0, 9.0], [6.0, 2.0, 4.0, 7.0],
/// ])?;
/// let a1 = icc(&r, IccForm::TwoWayAgreement, IccUnit::Single, Level::default())?;
/// assert_eq!(a1.shrout_fleiss, "ICC(2,1)");
/// assert_eq!((a1.n, a1.raters, a1.df1, a1.df2), (6, 4, 5.0, 15.0));
/// let value = a1.coefficient.value().ok_or("undefined")?;
/// assert!((value - 0.29).abs() < 0.005);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # References
/// Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
/// reliability. *Psychological Bulletin*, 86, 420-428. McGraw, K. O., & Wong, S. P. (1996).
/// Forming inferences about some intraclass correlation coefficients. *Psychological
/// Methods*, 1, 30-46. Matches `psych::ICC` (R, psych 2.2.9, `lmer = FALSE`) and
/// `pingouin.intraclass_corr` 0.6.1 (whose printed intervals are rounded to 2 decimals).
pub fn icc(ratings: &Ratings, form: IccForm, unit: IccUnit, level: Level) -> Result<Icc> {
    Ok(icc_table(ratings, level)?.get(form, unit))
}

/// All six ICC forms from one two-way ANOVA; see [`icc`] for the formulas.
///
/// # Errors
/// [`Error::TooFewTargets`] when fewer than 2 targets have every rating;
/// [`Error::RatingsTooLarge`] when the mean squares overflow (ratings beyond about 1e150).
///
/// # Example
/// ```
/// use alliance::agreement::icc_table;
/// use alliance::{Level, Ratings};
/// let r = Ratings::from_rows(&[[5.0, 4.0], [4.5, 4.0], [3.0, 3.5], [2.0, 2.5]])?;
/// let t = icc_table(&r, Level::default())?;
/// assert_eq!(t.all().len(), 6);
/// assert_eq!(t.agreement_single.n, 4);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// As [`icc`]: the table of `psych::ICC` / `pingouin.intraclass_corr`.
pub fn icc_table(ratings: &Ratings, level: Level) -> Result<IccTable> {
    let anova = Anova::of(ratings)?;
    let one = |form, unit| anova.form(form, unit, level);
    Ok(IccTable {
        one_way_single: one(IccForm::OneWay, IccUnit::Single),
        agreement_single: one(IccForm::TwoWayAgreement, IccUnit::Single),
        consistency_single: one(IccForm::TwoWayConsistency, IccUnit::Single),
        one_way_average: one(IccForm::OneWay, IccUnit::Average),
        agreement_average: one(IccForm::TwoWayAgreement, IccUnit::Average),
        consistency_average: one(IccForm::TwoWayConsistency, IccUnit::Average),
    })
}

/// The F test of an ICC against a stated null value r0 (McGraw & Wong 1996, Table 8).
///
/// Serializes; does not deserialize (a result is computed, not read).
///
/// # Example
/// ```
/// use alliance::agreement::{icc_test, IccForm, IccUnit};
/// use alliance::Ratings;
/// let r = Ratings::from_rows(&[[9.0, 2.0, 5.0, 8.0], [6.0, 1.0, 3.0, 2.0], [8.0, 4.0, 6.0, 8.0],
///                              [7.0, 1.0, 2.0, 6.0], [10.0, 5.0, 6.0, 9.0], [6.0, 2.0, 4.0, 7.0]])?;
/// let t = icc_test(&r, IccForm::TwoWayConsistency, IccUnit::Single, 0.5)?;
/// assert_eq!((t.r0, t.df1, t.n), (0.5, 5.0, 6));
/// assert!(t.p.is_defined());
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct IccTest {
    /// Model.
    pub form: IccForm,
    /// Single or average measure.
    pub unit: IccUnit,
    /// The McGraw-Wong name, e.g. "ICC(A,1)".
    pub name: &'static str,
    /// The Shrout-Fleiss name, e.g. "ICC(2,1)".
    pub shrout_fleiss: &'static str,
    /// The null value r0 of H0: ICC = r0 (against ICC > r0), in [0, 1).
    pub r0: f64,
    /// The F statistic (formulas at [`icc_test`]); [`Undefined::ZeroErrorVariance`] when its
    /// denominator is exactly zero while targets differ (F would be infinite; p is then 0),
    /// [`Undefined::IndeterminateF`] when numerator and denominator are both zero.
    pub f: Outcome<f64>,
    /// Numerator degrees of freedom, n − 1.
    pub df1: f64,
    /// Denominator degrees of freedom: n(k − 1) one-way, (n − 1)(k − 1) consistency, and
    /// Satterthwaite's v (fractional) for absolute agreement, which is
    /// [`Undefined::DegenerateDegreesOfFreedom`] when r0 > 0 and MSC = MSE = 0 (0/0).
    pub df2: Outcome<f64>,
    /// Upper-tail p of the test (H1: ICC > r0); 0 when F is infinite.
    pub p: Outcome<f64>,
    /// How p was computed: [`PMethod::F`].
    pub p_method: PMethod,
    /// Targets used (rated objects with a rating from every rater).
    pub n: usize,
    /// Targets dropped because a rating was missing.
    pub dropped: usize,
    /// Raters (k).
    pub raters: usize,
    /// Missing-data policy applied (listwise).
    pub missing: CaseDeletion,
    /// The reference this matches.
    pub reference: &'static str,
}

/// The F test of H0: ICC = r0 against ICC > r0, for any of the six forms (McGraw & Wong
/// 1996, Table 8, with the correction in *Psychological Methods* 1(4), 390).
///
/// With the mean squares of [`icc`] (MSR rows, MSC raters, MSE residual, MSW within), n
/// targets and k raters:
///
/// ```text
/// ICC(1)    F = MSR/MSW · (1 − r0)/(1 + (k − 1) r0)   df n − 1, n(k − 1)
/// ICC(1,k)  F = MSR/MSW · (1 − r0)                    df n − 1, n(k − 1)
/// ICC(C,1)  F = MSR/MSE · (1 − r0)/(1 + (k − 1) r0)   df n − 1, (n − 1)(k − 1)
/// ICC(C,k)  F = MSR/MSE · (1 − r0)                    df n − 1, (n − 1)(k − 1)
/// ICC(A,1)  F = MSR/(a MSC + b MSE),  a = k r0/(n(1 − r0)),  b = 1 + k r0 (n − 1)/(n(1 − r0))
/// ICC(A,k)  F = MSR/(a MSC + b MSE),  a = r0/(n(1 − r0)),    b = 1 + r0 (n − 1)/(n(1 − r0))
///           df n − 1, v = (a MSC + b MSE)² / ((a MSC)²/(k − 1) + (b MSE)²/((n − 1)(k − 1)))
/// p = P(F(df1, df2) > F)
/// ```
///
/// With r0 = 0 every form is the plain F test of [`icc`] (a = 0, b = 1, v = (n − 1)(k − 1)).
/// The a and b of the agreement test, and so its v, come from r0, not from the estimate
/// (which gives the v of the interval): `irr::icc` 0.84.1 uses the interval's v for the test
/// too, so its df2 and p of ICC(A, ·) differ from McGraw & Wong's (its F agrees); see
/// `tests/reference/README.md`. O(nk), one pass of the ANOVA of [`icc`].
///
/// # Errors
/// [`Error::InvalidNullIcc`] when r0 is not a number in [0, 1); [`Error::TooFewTargets`]
/// when fewer than 2 targets have every rating; [`Error::RatingsTooLarge`] when the mean
/// squares overflow.
///
/// # Example
/// ```
/// use alliance::agreement::{icc, icc_test, IccForm, IccUnit};
/// use alliance::{Level, Ratings};
/// let r = Ratings::from_rows(&[[9.0, 2.0, 5.0, 8.0], [6.0, 1.0, 3.0, 2.0], [8.0, 4.0, 6.0, 8.0],
///                              [7.0, 1.0, 2.0, 6.0], [10.0, 5.0, 6.0, 9.0], [6.0, 2.0, 4.0, 7.0]])?;
/// // r0 = 0 is the plain F test
/// let plain = icc(&r, IccForm::TwoWayAgreement, IccUnit::Single, Level::default())?;
/// let zero = icc_test(&r, IccForm::TwoWayAgreement, IccUnit::Single, 0.0)?;
/// assert_eq!((zero.f, zero.p), (plain.f, plain.p));
/// // a higher bar: is ICC(C,1) = 0.71 above 0.3? (irr::icc(r0 = 0.3): F = 4.063, p = 0.0157)
/// let t = icc_test(&r, IccForm::TwoWayConsistency, IccUnit::Single, 0.3)?;
/// assert!(t.f.value().is_some_and(|f| (f - 4.0627).abs() < 1e-4));
/// assert!(t.p.value().is_some_and(|p| (p - 0.0157).abs() < 1e-4));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// McGraw, K. O., & Wong, S. P. (1996). Forming inferences about some intraclass correlation
/// coefficients. *Psychological Methods*, 1, 30-46, Table 8; correction, 1, 390. Matches
/// R `irr::icc(..., r0 = )` 0.84.1 (F, df and p of the one-way and consistency forms, F of
/// the agreement forms) and McGraw & Wong's Table 8 evaluated in R (df2 and p of the
/// agreement forms).
pub fn icc_test(ratings: &Ratings, form: IccForm, unit: IccUnit, r0: f64) -> Result<IccTest> {
    if !(0.0..1.0).contains(&r0) {
        return Err(Error::InvalidNullIcc { value: r0 });
    }
    Ok(Anova::of(ratings)?.test(form, unit, r0))
}

impl Anova {
    /// McGraw & Wong's Table 8 test of ICC = r0.
    #[allow(clippy::float_cmp)] // exact zeros are set exactly in `Anova::of`
    fn test(&self, form: IccForm, unit: IccUnit, r0: f64) -> IccTest {
        let (name, shrout_fleiss, _) = names(form, unit);
        let (nf, kf) = (self.n as f64, self.k as f64);
        let df1 = nf - 1.0;
        let MeanSquares {
            rows: msr,
            columns: msc,
            error: mse,
            ..
        } = self.ms;
        // (F's denominator, df2): F = MSR / denominator
        let (den, df2) = match form {
            IccForm::OneWay | IccForm::TwoWayConsistency => {
                let df2 = if form == IccForm::OneWay {
                    nf * (kf - 1.0)
                } else {
                    (nf - 1.0) * (kf - 1.0)
                };
                // F = MSR/err · c, so the denominator is err / c with c > 0
                let c = match unit {
                    IccUnit::Single => (1.0 - r0) / (1.0 + (kf - 1.0) * r0),
                    IccUnit::Average => 1.0 - r0,
                };
                (self.error_ms(form) / c, Outcome::Defined(df2))
            }
            IccForm::TwoWayAgreement => {
                let ratio = r0 / (nf * (1.0 - r0));
                let a = match unit {
                    IccUnit::Single => kf * ratio,
                    IccUnit::Average => ratio,
                };
                let b = 1.0 + a * (nf - 1.0);
                let (x, y) = (a * msc, b * mse);
                let (d1, d2) = (kf - 1.0, (nf - 1.0) * (kf - 1.0));
                let v = if a == 0.0 {
                    // r0 = 0 is the plain test on (n − 1)(k − 1) df whatever MSE is (set
                    // exactly: the formula's 1/(1/d2) can miss d2 by an ulp)
                    Outcome::Defined(d2)
                } else if x == 0.0 && y == 0.0 {
                    // MSC = MSE = 0 leaves v = 0/0
                    Outcome::Undefined(Undefined::DegenerateDegreesOfFreedom)
                } else {
                    // scaled by the larger term so that neither square overflows
                    let s = x.max(y);
                    let (xs, ys) = (x / s, y / s);
                    let v = (xs + ys) * (xs + ys) / (xs * xs / d1 + ys * ys / d2);
                    if v.is_finite() && v > 0.0 {
                        Outcome::Defined(v)
                    } else {
                        Outcome::Undefined(Undefined::DegenerateDegreesOfFreedom)
                    }
                };
                (x + y, v)
            }
        };
        let (f, p) = if msr == 0.0 && den == 0.0 {
            let why = Outcome::Undefined(Undefined::IndeterminateF);
            (why, why)
        } else if den == 0.0 {
            (
                Outcome::Undefined(Undefined::ZeroErrorVariance),
                Outcome::Defined(0.0),
            )
        } else {
            let f = msr / den;
            if !f.is_finite() {
                (
                    Outcome::Undefined(Undefined::OutOfRange),
                    Outcome::Defined(0.0),
                )
            } else {
                let p = match df2 {
                    Outcome::Defined(df2) => stats::f_sf(f, df1, df2)
                        .map_or(Outcome::Undefined(Undefined::OutOfRange), Outcome::Defined),
                    Outcome::Undefined(why) => Outcome::Undefined(why),
                };
                (Outcome::Defined(f), p)
            }
        };
        IccTest {
            form,
            unit,
            name,
            shrout_fleiss,
            r0,
            f,
            df1,
            df2,
            p,
            p_method: PMethod::F,
            n: self.n,
            dropped: self.dropped,
            raters: self.k,
            missing: CaseDeletion::Listwise,
            reference: match form {
                IccForm::TwoWayAgreement => {
                    "McGraw & Wong (1996) Table 8; irr::icc 0.84.1 (F only: its df2 is the interval's v)"
                }
                _ => "irr::icc 0.84.1 (r0 = ); McGraw & Wong (1996) Table 8",
            },
        }
    }
}

/// The two-way ANOVA on the complete targets, and how to decide that a combination of its
/// sums of squares is zero.
struct Anova {
    n: usize,
    k: usize,
    dropped: usize,
    ms: MeanSquares,
    /// Every cell equal.
    constant: bool,
    zero: ZeroTest,
}

/// Decides whether `a·SSR + b·SSC + c·SSE = 0`: exactly from integer sums for dyadic data,
/// otherwise up to the rounding noise of the floating-point sums (see
/// [`stats::RoundingNoise`]). Every zero an ICC depends on (a mean square, a numerator
/// MSR − MSE, a denominator such as ICC(A,k)'s MSR + (MSC − MSE)/n) is such a combination,
/// so the decisions never depend on the order of summation.
enum ZeroTest {
    Exact(exact::SumsOfSquares),
    Rounded {
        ss: [f64; 3],
        cells: usize,
        noise: stats::RoundingNoise,
    },
}

impl ZeroTest {
    fn is_zero(&self, coefficients: [i64; 3]) -> bool {
        match self {
            ZeroTest::Exact(e) => match e.combination(coefficients) {
                Some(value) => value == 0,
                // too large for i128: fall back to the rounded sums, which are accurate (the
                // noise is set whenever a combination overflows, see `Anova::of`)
                None => e.noise.is_some_and(|noise| {
                    Self::rounded_is_zero(&e.rounded(), e.cells, noise, coefficients)
                }),
            },
            ZeroTest::Rounded { ss, cells, noise } => {
                Self::rounded_is_zero(ss, *cells, *noise, coefficients)
            }
        }
    }

    /// Whether a combination that is not zero is negative: exact for dyadic data; otherwise
    /// the rounded value, whose sign is sure once it is beyond the rounding noise.
    fn is_negative(&self, coefficients: [i64; 3]) -> bool {
        let rounded = |ss: &[f64; 3]| -> bool {
            let value: f64 = (0..3).map(|i| coefficients[i] as f64 * ss[i]).sum();
            value < 0.0
        };
        match self {
            ZeroTest::Exact(e) => match e.combination(coefficients) {
                Some(value) => value < 0,
                None => rounded(&e.rounded()),
            },
            ZeroTest::Rounded { ss, .. } => rounded(ss),
        }
    }

    /// Whether a denominator is zero to working precision: exactly zero for dyadic data;
    /// otherwise its rounding bound exceeds 1e-6 of it (see `stats::DENOMINATOR_PRECISION`).
    fn is_unresolved(&self, coefficients: [i64; 3]) -> bool {
        let parts =
            |ss: &[f64; 3], cells: usize| [0, 1, 2].map(|i| (coefficients[i] as f64, ss[i], cells));
        match self {
            ZeroTest::Exact(e) => match e.combination(coefficients) {
                Some(value) => value == 0,
                None => e.noise.is_some_and(|noise| {
                    noise.combination_is_unresolved(&parts(&e.rounded(), e.cells))
                }),
            },
            ZeroTest::Rounded { ss, cells, noise } => {
                noise.combination_is_unresolved(&parts(ss, *cells))
            }
        }
    }

    fn rounded_is_zero(
        ss: &[f64; 3],
        cells: usize,
        noise: stats::RoundingNoise,
        coefficients: [i64; 3],
    ) -> bool {
        let parts = [0, 1, 2].map(|i| (coefficients[i] as f64, ss[i], cells));
        noise.combination_is_zero(&parts)
    }
}

impl Anova {
    #[allow(clippy::float_cmp)] // exact equality of input values is the point
    fn of(ratings: &Ratings) -> Result<Anova> {
        let k = ratings.raters();
        let too_few = |found| Error::TooFewTargets { needed: 2, found };
        // Dyadic data (integers, halves, quarters, ...): exact sums of squares, so every zero
        // test below is exact and ICC = 0 comes out as 0, not as 1e-16 noise.
        let sums = ExactSums::of(ratings, false);
        if let Some(s) = &sums
            && s.n < 2
        {
            return Err(too_few(s.n));
        }
        let (n, constant, zero) = match sums.and_then(|s| exact::SumsOfSquares::of(&s, k)) {
            Some(mut e) => {
                // the rounding-noise fallback is needed only if a combination overflows i128
                if all_combinations(e.n, k).any(|c| e.combination(c).is_none()) {
                    let magnitude = ratings
                        .complete_rows()
                        .flatten()
                        .fold(0.0f64, |m, x| m.max(x.abs()));
                    e.noise = Some(stats::RoundingNoise::new(magnitude));
                }
                (e.n, e.constant(), ZeroTest::Exact(e))
            }
            None => Self::rounded(ratings)?,
        };
        let (nf, kf) = (n as f64, k as f64);
        // Each sum of squares, set to exactly zero where the data make it zero.
        let [ssr, ssc, sse] = match &zero {
            ZeroTest::Exact(e) => e.rounded(),
            ZeroTest::Rounded { ss, .. } => *ss,
        };
        let [ssr, ssc, sse] = [(ssr, [1, 0, 0]), (ssc, [0, 1, 0]), (sse, [0, 0, 1])]
            .map(|(v, c)| if zero.is_zero(c) { 0.0 } else { v });
        let ms = MeanSquares {
            rows: ssr / (nf - 1.0),
            columns: ssc / (kf - 1.0),
            error: sse / ((nf - 1.0) * (kf - 1.0)),
            within: (ssc + sse) / (nf * (kf - 1.0)),
        };
        if ![ms.rows, ms.columns, ms.error, ms.within]
            .iter()
            .all(|v| v.is_finite())
        {
            return Err(Error::RatingsTooLarge {
                what: "mean squares of the ICC",
            });
        }
        Ok(Anova {
            n,
            k,
            dropped: ratings.targets() - n,
            ms,
            constant,
            zero,
        })
    }

    /// Sums of squares in floating point (data that are not dyadic): column sums, the
    /// largest magnitude and whether every cell is equal, then the deviations from the fitted
    /// means; returns n, constancy and the rounding-noise zero test.
    #[allow(clippy::float_cmp)] // exact equality of input values is the point
    fn rounded(ratings: &Ratings) -> Result<(usize, bool, ZeroTest)> {
        let k = ratings.raters();
        let complete = || ratings.complete_rows();
        let first = complete().next().ok_or(Error::TooFewTargets {
            needed: 2,
            found: 0,
        })?;
        let mut col = vec![Sum::default(); k];
        let mut n = 0usize;
        let mut constant = true;
        let mut magnitude = 0.0f64;
        for row in complete() {
            n += 1;
            for (&x, c) in row.iter().zip(col.iter_mut()) {
                c.add(x);
                magnitude = magnitude.max(x.abs());
                constant &= x == first[0];
            }
        }
        if n < 2 {
            return Err(Error::TooFewTargets {
                needed: 2,
                found: n,
            });
        }
        let (nf, kf) = (n as f64, k as f64);
        let noise = stats::RoundingNoise::new(magnitude);
        let col_sums: Vec<f64> = col.iter().map(|c| c.value()).collect();
        let grand = stats::sum(col_sums.iter().copied()) / (nf * kf);
        let col_means: Vec<f64> = col_sums.iter().map(|s| s / nf).collect();
        // Pass 2: deviations from the fitted means.
        let (mut ssr, mut sse) = (Sum::default(), Sum::default());
        for row in complete() {
            let m = stats::sum(row.iter().copied()) / kf;
            ssr.add(kf * (m - grand) * (m - grand));
            for (&x, &c) in row.iter().zip(&col_means) {
                let e = x - m - c + grand;
                sse.add(e * e);
            }
        }
        let ssc = stats::sum(col_means.iter().map(|c| nf * (c - grand) * (c - grand)));
        let zero = ZeroTest::Rounded {
            ss: [ssr.value(), ssc, sse.value()],
            cells: n * k,
            noise,
        };
        Ok((n, constant, zero))
    }

    fn form(&self, form: IccForm, unit: IccUnit, level: Level) -> Icc {
        let (name, shrout_fleiss, reference) = names(form, unit);
        let (nf, kf) = (self.n as f64, self.k as f64);
        let df1 = nf - 1.0;
        let df2 = if form == IccForm::OneWay {
            nf * (kf - 1.0)
        } else {
            (nf - 1.0) * (kf - 1.0)
        };
        let (f, p) = self.f_test(form, df1, df2);
        let coefficient = self.coefficient(form, unit);
        let ci = match coefficient {
            Outcome::Undefined(why) => Outcome::Undefined(why),
            Outcome::Defined(_) => match form {
                IccForm::TwoWayAgreement => self.agreement_ci(unit, level),
                _ => exact_ci(self.f_ratio(form), df1, df2, kf, unit, level),
            },
        };
        Icc {
            form,
            unit,
            name,
            shrout_fleiss,
            coefficient,
            f,
            df1,
            df2,
            p,
            p_method: PMethod::F,
            ci,
            ci_method: match form {
                IccForm::TwoWayAgreement => IntervalMethod::SatterthwaiteF,
                _ => IntervalMethod::ExactF,
            },
            mean_squares: self.ms,
            n: self.n,
            dropped: self.dropped,
            raters: self.k,
            missing: CaseDeletion::Listwise,
            reference,
        }
    }

    /// The error mean square of the form's F test: MSW one-way, MSE two-way.
    fn error_ms(&self, form: IccForm) -> f64 {
        if form == IccForm::OneWay {
            self.ms.within
        } else {
            self.ms.error
        }
    }

    /// MSR over the error mean square, `+inf` when only the latter is zero (internal: the
    /// exact-F interval takes its limit there).
    fn f_ratio(&self, form: IccForm) -> f64 {
        let err = self.error_ms(form);
        if err == 0.0 {
            f64::INFINITY
        } else {
            self.ms.rows / err
        }
    }

    /// F and its upper-tail p; defined whatever the coefficient is.
    #[allow(clippy::float_cmp)] // exact zeros are set exactly in `Anova::of`
    fn f_test(&self, form: IccForm, df1: f64, df2: f64) -> (Outcome<f64>, Outcome<f64>) {
        let (msr, err) = (self.ms.rows, self.error_ms(form));
        if msr == 0.0 && err == 0.0 {
            let why = Outcome::Undefined(Undefined::IndeterminateF);
            return (why, why);
        }
        if err == 0.0 {
            return (
                Outcome::Undefined(Undefined::ZeroErrorVariance),
                Outcome::Defined(0.0),
            );
        }
        let f = msr / err;
        let p = stats::f_sf(f, df1, df2).map_or(Outcome::Undefined(Undefined::OutOfRange), |p| {
            Outcome::Defined(p)
        });
        if f.is_finite() {
            (Outcome::Defined(f), p)
        } else {
            (Outcome::Undefined(Undefined::OutOfRange), p)
        }
    }

    #[allow(clippy::float_cmp)] // exact zeros are set exactly in `Anova::of`
    fn coefficient(&self, form: IccForm, unit: IccUnit) -> Outcome<f64> {
        if self.constant {
            return Outcome::Undefined(Undefined::ConstantValues);
        }
        let MeanSquares {
            rows: msr,
            columns: msc,
            error: mse,
            within: msw,
        } = self.ms;
        let (nf, kf) = (self.n as f64, self.k as f64);
        let (num, den) = match (form, unit) {
            (IccForm::OneWay, IccUnit::Single) => (msr - msw, msr + (kf - 1.0) * msw),
            (IccForm::OneWay, IccUnit::Average) => (msr - msw, msr),
            (IccForm::TwoWayConsistency, IccUnit::Single) => (msr - mse, msr + (kf - 1.0) * mse),
            (IccForm::TwoWayConsistency, IccUnit::Average) => (msr - mse, msr),
            (IccForm::TwoWayAgreement, IccUnit::Single) => {
                (msr - mse, msr + (kf - 1.0) * mse + kf * (msc - mse) / nf)
            }
            (IccForm::TwoWayAgreement, IccUnit::Average) => (msr - mse, msr + (msc - mse) / nf),
        };
        let (numerator, denominator) = combinations(self.n, self.k, form, unit);
        // MSR = MSE = 0 with raters differing (MSC > 0) leaves ICC(A, ·) = 0 / (k MSC / n or
        // MSC / n) = 0, as psych and pingouin report; the other forms are then 0/0
        if self.zero.is_unresolved(denominator) {
            return Outcome::Undefined(if msr == 0.0 && self.error_ms(form) == 0.0 {
                Undefined::IndeterminateF
            } else if msr == 0.0 {
                Undefined::NoTargetVariance
            } else {
                Undefined::ZeroDenominator
            });
        }
        // Only ICC(A,k)'s denominator, n(k−1)SSR + (n−1)SSC − SSE, can be negative (MSC well
        // below MSE, on few targets): the estimated variance of a k-rater mean is then
        // negative and the ratio is no reliability (psych prints ICC2k = 2.67 for
        // [[5,1],[3,5]]).
        if self.zero.is_negative(denominator) {
            return Outcome::Undefined(Undefined::NonPositiveVariance);
        }
        let value = if self.zero.is_zero(numerator) {
            0.0
        } else {
            num / den
        };
        if value.is_finite() {
            Outcome::Defined(value)
        } else {
            Outcome::Undefined(Undefined::OutOfRange)
        }
    }

    /// ICC(A,1) bounds with Satterthwaite df; ICC(A,k) by Spearman-Brown of those.
    #[allow(clippy::float_cmp)] // MSE is exactly zero only when set so
    fn agreement_ci(&self, unit: IccUnit, level: Level) -> Outcome<Interval> {
        let MeanSquares {
            rows: msr,
            columns: msc,
            error: mse,
            ..
        } = self.ms;
        let (n, k) = (self.n as f64, self.k as f64);
        // the bounds always come from the single-rater ICC(A,1)
        let icc = (msr - mse) / (msr + (k - 1.0) * mse + k * (msc - mse) / n);
        let v = if mse == 0.0 {
            k - 1.0 // limit of the Satterthwaite df as MSE -> 0
        } else {
            let fj = msc / mse;
            let b = n * (1.0 + (k - 1.0) * icc) - k * icc;
            (k - 1.0) * (n - 1.0) * (k * icc * fj + b).powi(2)
                / ((n - 1.0) * k * k * icc * icc * fj * fj + b * b)
        };
        let tail = level.tail();
        // MSR = 0 (exact) makes v = 0, and the bounds no longer depend on the F quantiles:
        // both reduce to the point estimate, as the exact-F bounds of the other forms do
        let (fu, fl) = if msr == 0.0 {
            (1.0, 1.0)
        } else if !(v > 0.0 && v.is_finite()) {
            return Outcome::Undefined(Undefined::DegenerateDegreesOfFreedom);
        } else {
            // an error here only means a quantile is infinite (a level within rounding of 1)
            match (
                stats::f_quantile(1.0 - tail, n - 1.0, v),
                stats::f_quantile(1.0 - tail, v, n - 1.0),
            ) {
                (Ok(fu), Ok(fl)) => (fu, fl),
                _ => return Outcome::Undefined(Undefined::OutOfRange),
            }
        };
        // n·MSR and n·FL·MSR are formed once and shared by numerator and denominator, so that
        // with MSE = MSC = 0 (perfect agreement) each bound is x / x = 1 exactly rather than
        // one ulp either side of 1 (which put lower above upper).
        let (n_msr, n_fl_msr) = (n * msr, n * (fl * msr));
        let (lower, upper) = match unit {
            IccUnit::Single => {
                let c = k * msc + (k * n - k - n) * mse;
                (
                    (n_msr - n * (fu * mse)) / (fu * c + n_msr),
                    (n_fl_msr - n * mse) / (c + n_fl_msr),
                )
            }
            // k L / (1 + (k − 1) L) simplified: the same numbers without the cancellation of
            // 1 + (k − 1) L near L = −1/(k − 1)
            // A denominator at or below zero is 1 + (k − 1) L ≤ 0 for a bound L of ICC(A,1):
            // Spearman-Brown is not monotone there and psych's bound is meaningless (lower
            // above upper, or above 1), so the interval is undefined.
            IccUnit::Average => {
                let (den_lower, den_upper) = (fu * (msc - mse) + n_msr, (msc - mse) + n_fl_msr);
                if den_lower <= 0.0 || den_upper <= 0.0 {
                    return Outcome::Undefined(Undefined::NonPositiveVariance);
                }
                (
                    (n_msr - n * (fu * mse)) / den_lower,
                    (n_fl_msr - n * mse) / den_upper,
                )
            }
        };
        finite_interval(lower, upper, level)
    }
}

/// The numerator and denominator of a form as integer combinations of SSR, SSC and SSE
/// (each a positive multiple of the mean-square expression of [`icc`]), for n targets and k
/// raters.
fn combinations(n: usize, k: usize, form: IccForm, unit: IccUnit) -> ([i64; 3], [i64; 3]) {
    let (n, k) = (n as i64, k as i64);
    match (form, unit) {
        // MSR − MSW ∝ n(k−1) SSR − (n−1)(SSC + SSE)
        (IccForm::OneWay, u) => (
            [n * (k - 1), -(n - 1), -(n - 1)],
            match u {
                // MSR + (k−1) MSW ∝ n SSR + (n−1)(SSC + SSE)
                IccUnit::Single => [n, n - 1, n - 1],
                IccUnit::Average => [1, 0, 0],
            },
        ),
        // MSR − MSE ∝ (k−1) SSR − SSE
        (form, unit) => (
            [k - 1, 0, -1],
            match (form, unit) {
                // MSR + (k−1) MSE ∝ SSR + SSE
                (IccForm::TwoWayConsistency, IccUnit::Single) => [1, 0, 1],
                // MSR + (k−1) MSE + k (MSC − MSE)/n ∝ n(k−1) SSR + k(n−1) SSC + (nk−n−k) SSE
                (IccForm::TwoWayAgreement, IccUnit::Single) => {
                    [n * (k - 1), k * (n - 1), n * k - n - k]
                }
                // MSR + (MSC − MSE)/n ∝ n(k−1) SSR + (n−1) SSC − SSE
                (IccForm::TwoWayAgreement, IccUnit::Average) => [n * (k - 1), n - 1, -1],
                _ => [1, 0, 0], // ICC(C,k): MSR
            },
        ),
    }
}

/// Every combination an ICC decides on: each sum of squares, and each form's numerator and
/// denominator.
fn all_combinations(n: usize, k: usize) -> impl Iterator<Item = [i64; 3]> {
    let forms = [
        IccForm::OneWay,
        IccForm::TwoWayAgreement,
        IccForm::TwoWayConsistency,
    ];
    let units = [IccUnit::Single, IccUnit::Average];
    let pairs = forms
        .into_iter()
        .flat_map(move |f| units.map(|u| combinations(n, k, f, u)));
    [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
        .into_iter()
        .chain(pairs.flat_map(|(num, den)| [num, den]))
}

fn finite_interval(lower: f64, upper: f64, level: Level) -> Outcome<Interval> {
    if lower.is_finite() && upper.is_finite() {
        // The bounds are ordered in exact arithmetic (the F quantiles are); where they all but
        // coincide (MSR near 0: ICC(A,1) gave [-0.20891214330606425, -0.20891214330606428])
        // rounding can swap them by an ulp or two, which is put back.
        let slack = 8.0 * f64::EPSILON * lower.abs().max(upper.abs());
        let (lower, upper) = if lower > upper && lower - upper <= slack {
            (upper, lower)
        } else {
            (lower, upper)
        };
        Outcome::Defined(Interval::new(lower, upper, level))
    } else {
        Outcome::Undefined(Undefined::OutOfRange)
    }
}

/// Exact F bounds (one-way and consistency forms).
fn exact_ci(f: f64, df1: f64, df2: f64, k: f64, unit: IccUnit, level: Level) -> Outcome<Interval> {
    if f.is_infinite() {
        return Outcome::Defined(Interval::new(1.0, 1.0, level));
    }
    let q = 1.0 - level.tail();
    let (Ok(upper_q), Ok(lower_q)) = (
        stats::f_quantile(q, df1, df2),
        stats::f_quantile(q, df2, df1),
    ) else {
        // the df are positive: only a level within rounding of 1 makes a quantile infinite
        return Outcome::Undefined(Undefined::OutOfRange);
    };
    let fl = f / upper_q;
    let fu = f * lower_q;
    let (lower, upper) = match unit {
        IccUnit::Single => ((fl - 1.0) / (fl + k - 1.0), (fu - 1.0) / (fu + k - 1.0)),
        IccUnit::Average => (1.0 - 1.0 / fl, 1.0 - 1.0 / fu),
    };
    finite_interval(lower, upper, level)
}

fn names(form: IccForm, unit: IccUnit) -> (&'static str, &'static str, &'static str) {
    match (form, unit) {
        (IccForm::OneWay, IccUnit::Single) => ("ICC(1)", "ICC(1,1)", "psych::ICC ICC1"),
        (IccForm::TwoWayAgreement, IccUnit::Single) => ("ICC(A,1)", "ICC(2,1)", "psych::ICC ICC2"),
        (IccForm::TwoWayConsistency, IccUnit::Single) => {
            ("ICC(C,1)", "ICC(3,1)", "psych::ICC ICC3")
        }
        (IccForm::OneWay, IccUnit::Average) => ("ICC(1,k)", "ICC(1,k)", "psych::ICC ICC1k"),
        (IccForm::TwoWayAgreement, IccUnit::Average) => {
            ("ICC(A,k)", "ICC(2,k)", "psych::ICC ICC2k")
        }
        (IccForm::TwoWayConsistency, IccUnit::Average) => {
            ("ICC(C,k)", "ICC(3,k)", "psych::ICC ICC3k")
        }
    }
}

/// Exact sums of squares for dyadic data, from the integer sums of
/// [`ExactSums`]; `None` (fall back to floating point) on
/// overflow.
mod exact {
    use crate::exact_sums::ExactSums;
    use crate::stats;

    /// Sums of squares times N·scale² (N = nk cells), exact integers.
    pub(super) struct SumsOfSquares {
        ss: [i128; 3],
        /// N·SST: zero exactly when every cell is equal.
        sst: i128,
        unit: f64,
        pub(super) n: usize,
        pub(super) cells: usize,
        /// For the rounded fallback of [`SumsOfSquares::combination`]'s overflow: set only
        /// when some combination overflows.
        pub(super) noise: Option<stats::RoundingNoise>,
    }

    impl SumsOfSquares {
        /// With N = nk, G the grand total, `R_i` row and `C_j` column totals, Q = Σx²:
        /// N·SST = N Q − G², N·SSR = n ΣR² − G², N·SSC = k ΣC² − G².
        pub(super) fn of(sums: &ExactSums, k: usize) -> Option<SumsOfSquares> {
            let (q, r2) = (sums.sum_sq(), sums.total_sq);
            let n = i128::try_from(sums.n).ok()?;
            let k = k as i128;
            let big_n = n.checked_mul(k)?;
            let g: i128 = sums.col.iter().sum();
            let g2 = g.checked_mul(g)?;
            let c2 = sums
                .col
                .iter()
                .try_fold(0i128, |a, &c| a.checked_add(c.checked_mul(c)?))?;
            let sst = big_n.checked_mul(q)?.checked_sub(g2)?;
            let ssr = n.checked_mul(r2)?.checked_sub(g2)?;
            let ssc = k.checked_mul(c2)?.checked_sub(g2)?;
            let sse = sst.checked_sub(ssr)?.checked_sub(ssc)?;
            Some(SumsOfSquares {
                ss: [ssr, ssc, sse],
                sst,
                unit: big_n as f64 * sums.scale * sums.scale,
                n: sums.n,
                cells: usize::try_from(big_n).ok()?,
                noise: None,
            })
        }

        /// Every cell equal.
        pub(super) fn constant(&self) -> bool {
            self.sst == 0
        }

        /// `Σ cᵢ SSᵢ` in the exact integer units, or `None` on overflow.
        pub(super) fn combination(&self, c: [i64; 3]) -> Option<i128> {
            self.ss.iter().zip(c).try_fold(0i128, |a, (&s, c)| {
                a.checked_add(s.checked_mul(i128::from(c))?)
            })
        }

        /// SSR, SSC and SSE, each rounded once to f64.
        pub(super) fn rounded(&self) -> [f64; 3] {
            self.ss.map(|s| s as f64 / self.unit)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values read at scale 1 up to 2^31 and a later 2^-10 (the exact route then holds
    /// integers up to 2^41): some combinations overflow i128, so the rounding noise the
    /// fallback needs is set, and every zero test still answers.
    #[test]
    fn overflowing_combinations_get_the_rounded_fallback() {
        let n = 60_000;
        let mut cells: Vec<f64> = (0..n * 2)
            .map(|c| {
                if (c / 2 * 7 + c % 2) % 3 == 0 {
                    2_147_483_648.0
                } else {
                    -2_147_483_647.0 + (c % 5) as f64
                }
            })
            .collect();
        cells[n * 2 - 1] = 1.0 / 1024.0;
        let r = Ratings::new(n, 2, cells).unwrap_or_else(|_| unreachable!());
        let anova = Anova::of(&r).unwrap_or_else(|_| unreachable!());
        let ZeroTest::Exact(e) = &anova.zero else {
            panic!("dyadic data take the exact route");
        };
        assert!(all_combinations(n, 2).any(|c| e.combination(c).is_none()));
        assert!(e.noise.is_some());
        // the rounded fallback decides: SSR is far from zero
        assert!(!anova.zero.is_zero([1, 0, 0]));
    }

    /// Ordinary data never need the fallback's rounding noise, so no pass computes it.
    #[test]
    fn ordinary_data_need_no_rounding_noise() {
        let r = Ratings::from_rows(&[[1.0, 2.5], [3.0, 4.0], [5.0, 6.25]])
            .unwrap_or_else(|_| unreachable!());
        let anova = Anova::of(&r).unwrap_or_else(|_| unreachable!());
        assert!(matches!(&anova.zero, ZeroTest::Exact(e) if e.noise.is_none()));
    }
}
