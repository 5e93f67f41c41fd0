//! Agreement of two measures rated repeatedly on the same subjects (client and therapist
//! ratings over the sessions of each dyad): the repeated-measures correlation
//! (Bakdash & Marusich 2017), Bland-Altman limits of agreement for repeated pairs per subject
//! (Bland & Altman 2007) with MOVER confidence limits (Zou 2013), and proportional bias by the
//! regression of the differences on the means (Bland & Altman 1999, section 3.2).
//!
//! Sessions of one dyad are not independent pairs: pooling them as if they were (what the
//! ordinary [`bland_altman`](super::bland_altman) and [`pearson`](super::pearson) do) mixes
//! the within-dyad association with differences between dyads and understates the
//! uncertainty. These functions take the dyad of every pair ([`Repeated`]).

#![allow(clippy::doc_markdown)] // formulas such as s²_w, m_h and r_rm are maths, not code

use super::bland_altman::LimitMultiplier;
use crate::error::{Error, Result};
use crate::interval::{Interval, Level};
use crate::method::{IntervalMethod, PMethod};
use crate::outcome::{Outcome, Undefined};
use crate::paired::Paired;
use crate::ratings::CaseDeletion;
use crate::stats::{self, PairedMoments, Sum};
use std::collections::HashMap;

/// Two measures (first and second rater) on repeated occasions of the same subjects: every
/// pair carries its subject's label (a dyad's client id), and pairs are grouped by subject.
///
/// As with [`Paired`], a pair missing either value says nothing about agreement: it is dropped
/// at construction and counted ([`Repeated::dropped`]). A subject all of whose pairs were
/// dropped is not a subject of the analysis. Subjects keep the order in which their first
/// complete pair appears, and each subject's pairs keep their input order; no statistic
/// depends on either order.
///
/// # Example
/// ```
/// use alliance::agreement::Repeated;
/// let dyads = ["ana", "ben", "ana", "ben", "ana", "cyd"];
/// let client = [Some(5.0), Some(4.0), Some(5.5), None, Some(6.0), Some(3.0)];
/// let therapist = [Some(4.5), Some(4.0), Some(5.0), Some(3.5), Some(5.0), Some(3.5)];
/// let r = Repeated::with_missing(&dyads, &client, &therapist)?;
/// assert_eq!((r.n(), r.dropped(), r.subjects(), r.single_pair_subjects()), (5, 1, 3, 2));
/// let ana = r.subject(0).map(|s| (s.label, s.first));
/// assert_eq!(ana, Some(("ana", &[5.0, 5.5, 6.0][..])));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Repeated {
    first: Vec<f64>,
    second: Vec<f64>,
    /// `starts[i]..starts[i + 1]` are subject i's pairs.
    starts: Vec<usize>,
    labels: Vec<String>,
    dropped: usize,
}

/// What can label a subject: anything comparable, hashable and printable (`&str`, `String`,
/// integers, ...). Implemented for every such type.
///
/// # Example
/// ```
/// use alliance::agreement::Repeated;
/// // client ids as numbers
/// let r = Repeated::new(&[101u32, 101, 102], &[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0])?;
/// assert_eq!(r.labels(), &["101".to_owned(), "102".to_owned()]);
/// # Ok::<(), alliance::Error>(())
/// ```
pub trait Label: Eq + std::hash::Hash + ToString {}

impl<T: Eq + std::hash::Hash + ToString + ?Sized> Label for T {}

/// One subject's complete pairs (a getter's named record).
///
/// # Example
/// ```
/// use alliance::agreement::Repeated;
/// let r = Repeated::new(&["a", "a"], &[1.0, 2.0], &[1.5, 2.5])?;
/// let s = r.subject(0).map(|s| (s.label, s.first, s.second));
/// assert_eq!(s, Some(("a", &[1.0, 2.0][..], &[1.5, 2.5][..])));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct SubjectPairs<'a> {
    /// The subject's label, as given.
    pub label: &'a str,
    /// The first measure of the subject's complete pairs, in input order.
    pub first: &'a [f64],
    /// The second measure of the subject's complete pairs, in input order.
    pub second: &'a [f64],
}

impl Repeated {
    /// Complete pairs: `subjects[i]` is the subject of the pair (`first[i]`, `second[i]`).
    ///
    /// # Errors
    /// [`Error::SubjectLabelsMismatch`] when there are not as many labels as pairs;
    /// [`Error::LengthMismatch`] when `first` and `second` differ in length;
    /// [`Error::NonFinite`], [`Error::TooLarge`] or [`Error::TooSmall`] for a value outside
    /// the numeric [`domain`](crate::domain), with its position.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Repeated;
    /// use alliance::Error;
    /// let r = Repeated::new(&[1, 1, 2], &[3.0, 4.0, 5.0], &[3.5, 4.0, 4.5]);
    /// assert_eq!(r.map(|r| r.subjects()), Ok(2));
    /// assert_eq!(
    ///     Repeated::new(&[1, 2], &[3.0, 4.0, 5.0], &[3.5, 4.0, 4.5]),
    ///     Err(Error::SubjectLabelsMismatch { labels: 2, pairs: 3 })
    /// );
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new<S: Label>(subjects: &[S], first: &[f64], second: &[f64]) -> Result<Repeated> {
        check_lengths(subjects.len(), first.len(), second.len())?;
        crate::domain::check("first rater's value", first)?;
        crate::domain::check("second rater's value", second)?;
        Ok(Repeated::group(
            subjects,
            first.iter().zip(second).map(|(&a, &b)| Some((a, b))),
        ))
    }

    /// Pairs with missing values (`None`); a pair missing either value is dropped and counted.
    ///
    /// # Errors
    /// As [`Repeated::new`], for the values that are present.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Repeated;
    /// let r = Repeated::with_missing(&["a", "a", "b"], &[Some(1.0), None, Some(3.0)], &[Some(2.0), Some(2.0), Some(3.5)])?;
    /// assert_eq!((r.n(), r.dropped(), r.subjects()), (2, 1, 2));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn with_missing<S: Label>(
        subjects: &[S],
        first: &[Option<f64>],
        second: &[Option<f64>],
    ) -> Result<Repeated> {
        check_lengths(subjects.len(), first.len(), second.len())?;
        for (index, (&a, &b)) in first.iter().zip(second).enumerate() {
            for (what, v) in [("first rater's value", a), ("second rater's value", b)] {
                if let Some(value) = v {
                    crate::domain::check_one(what, index, value)?;
                }
            }
        }
        Ok(Repeated::group(
            subjects,
            first.iter().zip(second).map(|(&a, &b)| a.zip(b)),
        ))
    }

    /// Groups validated pairs by subject (a counting sort: two passes; a label is turned into
    /// a string once per subject, not per pair).
    fn group<S: Label>(
        subjects: &[S],
        pairs: impl Iterator<Item = Option<(f64, f64)>> + Clone,
    ) -> Repeated {
        let mut index_of: HashMap<&S, usize> = HashMap::new();
        let mut labels = Vec::new();
        let mut counts: Vec<usize> = Vec::new();
        let mut subject_of = Vec::with_capacity(subjects.len());
        let mut dropped = 0;
        for (label, pair) in subjects.iter().zip(pairs.clone()) {
            if pair.is_none() {
                dropped += 1;
                subject_of.push(usize::MAX);
                continue;
            }
            let next = labels.len();
            let i = *index_of.entry(label).or_insert(next);
            if i == next {
                labels.push(label.to_string());
                counts.push(0);
            }
            counts[i] += 1;
            subject_of.push(i);
        }
        let mut starts = Vec::with_capacity(counts.len() + 1);
        starts.push(0);
        for c in &counts {
            starts.push(starts[starts.len() - 1] + c);
        }
        let n = starts[starts.len() - 1];
        let (mut first, mut second) = (vec![0.0; n], vec![0.0; n]);
        let mut next = starts.clone();
        for (&i, pair) in subject_of.iter().zip(pairs) {
            if let Some((a, b)) = pair {
                first[next[i]] = a;
                second[next[i]] = b;
                next[i] += 1;
            }
        }
        Repeated {
            first,
            second,
            starts,
            labels,
            dropped,
        }
    }

    /// Complete pairs kept, over all subjects.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Repeated;
    /// assert_eq!(Repeated::new(&["a", "b", "a"], &[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0])?.n(), 3);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn n(&self) -> usize {
        self.first.len()
    }

    /// Pairs dropped because a value was missing.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Repeated;
    /// let r = Repeated::with_missing(&["a", "b"], &[None, Some(2.0)], &[Some(1.0), Some(2.0)])?;
    /// assert_eq!(r.dropped(), 1);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// Subjects with at least one complete pair.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Repeated;
    /// assert_eq!(Repeated::new(&["a", "b", "a"], &[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0])?.subjects(), 2);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn subjects(&self) -> usize {
        self.labels.len()
    }

    /// Subjects with exactly one complete pair: they carry no within-subject information
    /// (they cost the repeated-measures correlation a degree of freedom and add nothing to
    /// the within-subject variance of Bland-Altman).
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Repeated;
    /// assert_eq!(Repeated::new(&["a", "b", "a"], &[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0])?.single_pair_subjects(), 1);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn single_pair_subjects(&self) -> usize {
        self.starts.windows(2).filter(|w| w[1] - w[0] == 1).count()
    }

    /// The subjects' labels, in order of their first complete pair.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Repeated;
    /// let r = Repeated::new(&["b", "a", "b"], &[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0])?;
    /// assert_eq!(r.labels(), &["b".to_owned(), "a".to_owned()]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Subject `i`'s complete pairs (subjects numbered as in [`Repeated::labels`]), or `None`
    /// past the last subject.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Repeated;
    /// let r = Repeated::new(&["b", "a", "b"], &[1.0, 2.0, 3.0], &[1.5, 2.5, 3.5])?;
    /// assert_eq!(r.subject(0).map(|s| s.second), Some(&[1.5, 3.5][..]));
    /// assert!(r.subject(2).is_none());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn subject(&self, i: usize) -> Option<SubjectPairs<'_>> {
        let (&start, &end) = (self.starts.get(i)?, self.starts.get(i + 1)?);
        Some(SubjectPairs {
            label: &self.labels[i],
            first: &self.first[start..end],
            second: &self.second[start..end],
        })
    }

    /// Every subject's complete pairs, in the order of [`Repeated::labels`].
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Repeated;
    /// let r = Repeated::new(&["b", "a", "b"], &[1.0, 2.0, 3.0], &[1.5, 2.5, 3.5])?;
    /// let sizes: Vec<usize> = r.iter().map(|s| s.first.len()).collect();
    /// assert_eq!(sizes, [2, 1]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = SubjectPairs<'_>> {
        (0..self.subjects()).filter_map(|i| self.subject(i))
    }

    /// The first measure of every complete pair, grouped by subject.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Repeated;
    /// let r = Repeated::new(&["b", "a", "b"], &[1.0, 2.0, 3.0], &[1.5, 2.5, 3.5])?;
    /// assert_eq!(r.first(), &[1.0, 3.0, 2.0]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn first(&self) -> &[f64] {
        &self.first
    }

    /// The second measure of every complete pair, grouped by subject.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Repeated;
    /// let r = Repeated::new(&["b", "a", "b"], &[1.0, 2.0, 3.0], &[1.5, 2.5, 3.5])?;
    /// assert_eq!(r.second(), &[1.5, 3.5, 2.5]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn second(&self) -> &[f64] {
        &self.second
    }

    /// The missing-data policy: always [`CaseDeletion::Listwise`] (a pair missing a value is
    /// dropped whole).
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Repeated;
    /// use alliance::CaseDeletion;
    /// assert_eq!(Repeated::new(&["a"], &[1.0], &[2.0])?.missing(), CaseDeletion::Listwise);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn missing(&self) -> CaseDeletion {
        CaseDeletion::Listwise
    }
}

fn check_lengths(labels: usize, first: usize, second: usize) -> Result<()> {
    if first != second {
        return Err(Error::LengthMismatch {
            what: "second rater's values",
            expected: first,
            found: second,
        });
    }
    if labels != first {
        return Err(Error::SubjectLabelsMismatch {
            labels,
            pairs: first,
        });
    }
    Ok(())
}

// ---- repeated-measures correlation -------------------------------------------------------

/// The repeated-measures correlation with its test and interval. Serializes; does not
/// deserialize (a result is computed, not read).
///
/// # Example
/// ```
/// use alliance::agreement::{rm_corr, Repeated};
/// use alliance::{Level, Outcome, Undefined};
/// // every dyad rated once: no within-dyad association to estimate, counts still reported
/// let r = Repeated::new(&["a", "b", "c"], &[4.0, 5.0, 6.0], &[4.5, 5.0, 5.5])?;
/// let c = rm_corr(&r, Level::default())?;
/// assert_eq!(c.coefficient, Outcome::Undefined(Undefined::NoPairableUnit));
/// assert_eq!((c.n, c.subjects, c.single_pair_subjects), (3, 3, 3));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RepeatedCorrelation {
    /// r_rm, signed as the common within-subject slope; undefined
    /// ([`Undefined::NoPairableUnit`]) when no subject has two pairs,
    /// ([`Undefined::ZeroVariance`]) when either measure is constant within every subject.
    pub coefficient: Outcome<f64>,
    /// The common within-subject slope of the second measure on the first, Sxy/Sxx (the
    /// ANCOVA coefficient of the first measure, `lm(second ~ subject + first)`).
    pub slope: Outcome<f64>,
    /// t = r √(df/(1 − r²)); [`Undefined::ZeroErrorVariance`] when |r| = 1 (p is then 0),
    /// [`Undefined::NoResidualDegreesOfFreedom`] when df = 0.
    pub t: Outcome<f64>,
    /// Residual degrees of freedom of the ANCOVA, N − k − 1 (pairs minus subjects minus 1),
    /// or 0 when that is negative.
    pub df: f64,
    /// Two-sided p of the t test (the same as the ANCOVA F test of the covariate).
    pub p: Outcome<f64>,
    /// How `p` was computed: [`PMethod::StudentT`].
    pub p_method: PMethod,
    /// Fisher-z interval tanh(atanh r ± z_{1−α/2}/√(df − 1)), as R `rmcorr` (`psych::r.con`
    /// with n = df + 2) and pingouin; undefined for df < 2; the point [r, r] when |r| = 1.
    pub ci: Outcome<Interval>,
    /// How the interval was computed: [`IntervalMethod::FisherZ`].
    pub ci_method: IntervalMethod,
    /// Complete pairs used (sessions rated by both raters).
    pub n: usize,
    /// Subjects (dyads) with at least one complete pair.
    pub subjects: usize,
    /// Subjects with exactly one complete pair (each still costs a degree of freedom).
    pub single_pair_subjects: usize,
    /// Pairs dropped because a value was missing.
    pub dropped: usize,
    /// Missing-data policy applied (listwise: a pair missing a value is dropped).
    pub missing: CaseDeletion,
    /// The reference implementation matched.
    pub reference: &'static str,
}

/// Repeated-measures correlation (Bland & Altman 1995; Bakdash & Marusich 2017): the
/// association of two measures within subjects, pooled over subjects by an ANCOVA with the
/// subject as a factor.
///
/// ```text
/// Sxx = Σᵢ Σⱼ (xᵢⱼ − x̄ᵢ)²,  Syy = Σᵢ Σⱼ (yᵢⱼ − ȳᵢ)²,  Sxy = Σᵢ Σⱼ (xᵢⱼ − x̄ᵢ)(yᵢⱼ − ȳᵢ)
/// r_rm = Sxy / √(Sxx Syy)            (= sign(b) √(SS_x / (SS_x + SS_res)) of the ANCOVA)
/// df = N − k − 1,  t = r √(df / (1 − r²)),  p = 2 P(T_df > |t|)
/// CI = tanh(atanh r ± z_{1−α/2} / √(df − 1))
/// ```
///
/// With a single subject r_rm is Pearson's r and df = n − 2. Subjects with one pair add
/// nothing to the sums but cost a degree of freedom, as in the ANCOVA. One pass over the
/// pairs, no allocation.
///
/// # Errors
/// [`Error::TooFewPairs`] for fewer than 2 complete pairs.
///
/// # Example
/// ```
/// use alliance::agreement::{rm_corr, Repeated};
/// use alliance::Level;
/// let dyad = ["a", "a", "a", "b", "b", "b"];
/// let client = [4.0, 5.0, 6.0, 2.0, 3.0, 4.0];
/// let therapist = [4.5, 5.0, 6.5, 3.0, 3.0, 4.0];
/// let c = rm_corr(&Repeated::new(&dyad, &client, &therapist)?, Level::default())?;
/// assert_eq!(c.df, 3.0);
/// assert!(c.coefficient.value().is_some_and(|r| (r - 3.0 / (4.0f64 * 17.0 / 6.0).sqrt()).abs() < 1e-12)); // r = Sxy / √(Sxx Syy) = 3 / √(4 · 17/6)
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Bland, J. M., & Altman, D. G. (1995). Calculating correlation coefficients with repeated
/// observations: Part 1, correlation within subjects. *BMJ*, 310, 446. Bakdash, J. Z., &
/// Marusich, L. R. (2017). Repeated measures correlation. *Frontiers in Psychology*, 8, 456.
/// Matches R `rmcorr` 0.7.0 `rmcorr()` and pingouin 0.7.0 `rm_corr` (r, df, p, interval;
/// pingouin rounds the interval to 2 decimals), and the published r_rm = −0.507 (df 38) of
/// Bland & Altman's PaCO2/pH data.
pub fn rm_corr(data: &Repeated, level: Level) -> Result<RepeatedCorrelation> {
    let n = data.n();
    if n < 2 {
        return Err(Error::TooFewPairs {
            statistic: "a repeated-measures correlation",
            needed: 2,
            found: n,
        });
    }
    let k = data.subjects();
    let df = n.saturating_sub(k + 1) as f64;
    let (mut sxx, mut syy, mut sxy) = (Sum::default(), Sum::default(), Sum::default());
    let (mut pairable, mut x_varies, mut y_varies, mut overflow) = (false, false, false, false);
    for s in data.iter() {
        if s.first.len() < 2 {
            continue;
        }
        pairable = true;
        let m = PairedMoments::of(s.first, s.second);
        overflow |= m.overflowed();
        x_varies |= !m.x_constant;
        y_varies |= !m.y_constant;
        sxx.add(m.x.ss);
        syy.add(m.y.ss);
        sxy.add(m.sxy);
    }
    let (sxx, syy, sxy) = (sxx.value(), syy.value(), sxy.value());
    let mut out = RepeatedCorrelation {
        coefficient: Outcome::Undefined(Undefined::NoPairableUnit),
        slope: Outcome::Undefined(Undefined::NoPairableUnit),
        t: Outcome::Undefined(Undefined::NoPairableUnit),
        df,
        p: Outcome::Undefined(Undefined::NoPairableUnit),
        p_method: PMethod::StudentT,
        ci: Outcome::Undefined(Undefined::NoPairableUnit),
        ci_method: IntervalMethod::FisherZ,
        n,
        subjects: k,
        single_pair_subjects: data.single_pair_subjects(),
        dropped: data.dropped(),
        missing: data.missing(),
        reference: "R rmcorr 0.7.0 rmcorr(); pingouin 0.7.0 rm_corr; Bland & Altman (1995)",
    };
    let why = if !pairable {
        Some(Undefined::NoPairableUnit)
    } else if !x_varies || !y_varies {
        Some(Undefined::ZeroVariance)
    } else if overflow || ![sxx, syy, sxy].iter().all(|v| v.is_finite()) || sxx <= 0.0 {
        Some(Undefined::OutOfRange)
    } else {
        None
    };
    if let Some(why) = why {
        let mut out = undefined_rm(out, why);
        if why == Undefined::ZeroVariance && x_varies {
            // only the second measure is constant within subjects: a flat line
            out.slope = Outcome::Defined(0.0);
        }
        return Ok(out);
    }
    let r = if df == 0.0 {
        // one subject with two pairs (the rest single): a line through two points
        sxy.signum()
    } else {
        let r = (sxy / stats::sqrt_product(sxx, syy)).clamp(-1.0, 1.0);
        if 1.0 - r.abs() <= 2.0 * f64::EPSILON {
            r.signum()
        } else {
            r
        }
    };
    let slope = sxy / sxx;
    out.coefficient = Outcome::Defined(r);
    out.slope = if slope.is_finite() {
        Outcome::Defined(slope)
    } else {
        Outcome::Undefined(Undefined::OutOfRange)
    };
    (out.t, out.p) = if df == 0.0 {
        (
            Outcome::Undefined(Undefined::NoResidualDegreesOfFreedom),
            Outcome::Undefined(Undefined::NoResidualDegreesOfFreedom),
        )
    } else if r.abs() >= 1.0 {
        (
            Outcome::Undefined(Undefined::ZeroErrorVariance),
            Outcome::Defined(0.0),
        )
    } else {
        let t = r * (df / ((1.0 - r) * (1.0 + r))).sqrt();
        match stats::t_two_sided_p(t, df) {
            Ok(p) => (Outcome::Defined(t), Outcome::Defined(p)),
            Err(_) => (
                Outcome::Undefined(Undefined::OutOfRange),
                Outcome::Undefined(Undefined::OutOfRange),
            ),
        }
    };
    out.ci = if df < 2.0 {
        Outcome::Undefined(Undefined::TooFewObservations)
    } else if r.abs() >= 1.0 {
        Outcome::Defined(Interval::new(r, r, level))
    } else {
        match stats::z_two_sided(level) {
            Ok(z) => {
                let (zr, h) = (r.atanh(), z / (df - 1.0).sqrt());
                Outcome::Defined(Interval::new((zr - h).tanh(), (zr + h).tanh(), level))
            }
            Err(_) => Outcome::Undefined(Undefined::OutOfRange),
        }
    };
    Ok(out)
}

fn undefined_rm(out: RepeatedCorrelation, why: Undefined) -> RepeatedCorrelation {
    RepeatedCorrelation {
        coefficient: Outcome::Undefined(why),
        slope: Outcome::Undefined(why),
        t: Outcome::Undefined(why),
        p: Outcome::Undefined(why),
        ci: Outcome::Undefined(why),
        ..out
    }
}

// ---- Bland-Altman for repeated pairs -----------------------------------------------------

/// Whether the true value of a subject changes between its repeated pairs (Bland & Altman
/// 2007): it decides how the between-subject variance of the differences is estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum TrueValue {
    /// The quantity rated changes over occasions (the alliance over sessions): the bias is
    /// the mean of the subjects' mean differences, and the variance of a single difference
    /// is s²_d̄ + (1 − 1/m_h) s²_w, from the variance s²_d̄ of the subjects' mean differences,
    /// the harmonic mean m_h of the pairs per subject and the within-subject variance s²_w
    /// (Bland & Altman 2007; Zou 2013). The default.
    #[default]
    Varying,
    /// The quantity rated is the same on every occasion (replicates): the bias is the mean of
    /// all differences, and the variance is the one-way ANOVA estimate σ²_b + σ²_w with
    /// σ²_b = (MS_B − MS_W)/λ, λ = (N² − Σmᵢ²)/((k − 1) N) (Bland & Altman 2007).
    Constant,
}

/// Bias and limits of agreement of repeated pairs per subject, with MOVER confidence limits.
///
/// Every quantity but the intervals is defined for the 2 subjects
/// [`bland_altman_repeated`] needs. Equal differences give SD 0 and point limits and
/// intervals, as [`bland_altman`](super::bland_altman) does. Serializes; does not deserialize
/// (a result is computed, not read).
///
/// # Example
/// ```
/// use alliance::agreement::{bland_altman_repeated, LimitMultiplier, Repeated, TrueValue};
/// use alliance::{Level, Outcome, Undefined};
/// // two dyads rated once each: no within-dyad variance, the rest is defined
/// let r = Repeated::new(&["a", "b"], &[5.0, 4.0], &[4.0, 4.0])?;
/// let ba = bland_altman_repeated(&r, TrueValue::Varying, LimitMultiplier::default(), Level::default())?;
/// assert_eq!(ba.within_variance, Outcome::Undefined(Undefined::NoPairableUnit));
/// assert_eq!((ba.bias, ba.n, ba.subjects), (0.5, 2, 2));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RepeatedBlandAltman {
    /// Which estimator was used.
    pub true_value: TrueValue,
    /// The bias (first minus second): the mean of the subjects' mean differences
    /// ([`TrueValue::Varying`]) or of all differences ([`TrueValue::Constant`]).
    pub bias: f64,
    /// The variance of a single difference, between- plus within-subject (see
    /// [`TrueValue`]).
    pub variance: f64,
    /// Its square root, the SD of a single difference.
    pub sd: f64,
    /// bias − multiplier · SD.
    pub lower_limit: f64,
    /// bias + multiplier · SD.
    pub upper_limit: f64,
    /// The multiplier used (1.96 by default).
    pub multiplier: f64,
    /// The within-subject variance of the differences s²_w = MS_W = Σᵢ Σⱼ (dᵢⱼ − d̄ᵢ)² /
    /// (N − k), the residual mean square of the one-way ANOVA of the differences by subject;
    /// undefined ([`Undefined::NoPairableUnit`]) when no subject has two pairs (its weight in
    /// `variance` is then 0).
    pub within_variance: Outcome<f64>,
    /// s²_d̄, the variance of the subjects' mean differences (k − 1 denominator); the
    /// between-subject part for [`TrueValue::Varying`].
    pub subject_mean_variance: f64,
    /// The ANOVA moment estimate of the between-subject variance, (MS_B − MS_W)/λ; negative
    /// when the subjects' mean differences vary less than their within-subject variance
    /// predicts, and then taken as 0 (the boundary) by [`TrueValue::Constant`].
    pub between_variance: f64,
    /// m_h, the harmonic mean of the pairs per subject.
    pub harmonic_mean_pairs: f64,
    /// λ = (N² − Σmᵢ²)/((k − 1) N), the ANOVA divisor of the between-subject variance (the
    /// number of pairs per subject when balanced).
    pub divisor: f64,
    /// The bias ± z_{1−α/2} SE: SE = s_d̄/√k ([`TrueValue::Varying`], Zou 2013) or
    /// √(σ²_w/N + σ²_b Σmᵢ²/N²) ([`TrueValue::Constant`]).
    pub bias_ci: Outcome<Interval>,
    /// MOVER interval of `variance`: each component's chi-squared bounds (df k − 1 for the
    /// between part, N − k for the within part), recombined.
    pub variance_ci: Outcome<Interval>,
    /// MOVER interval of the lower limit (Zou 2013).
    pub lower_limit_ci: Outcome<Interval>,
    /// MOVER interval of the upper limit.
    pub upper_limit_ci: Outcome<Interval>,
    /// How the intervals were computed: [`IntervalMethod::Mover`].
    pub ci_method: IntervalMethod,
    /// Complete pairs used (sessions rated by both raters).
    pub n: usize,
    /// Subjects (dyads) with at least one complete pair.
    pub subjects: usize,
    /// Subjects with exactly one complete pair.
    pub single_pair_subjects: usize,
    /// Pairs dropped because a value was missing.
    pub dropped: usize,
    /// Missing-data policy applied (listwise: a pair missing a value is dropped).
    pub missing: CaseDeletion,
    /// The reference this matches.
    pub reference: &'static str,
}

/// Bland-Altman limits of agreement for repeated pairs per subject (Bland & Altman 2007),
/// with MOVER confidence limits for the limits (Zou 2013).
///
/// With dᵢⱼ the differences (first minus second) of subject i's mᵢ pairs, d̄ᵢ their mean,
/// N = Σ mᵢ pairs and k subjects:
///
/// ```text
/// s²_w = Σᵢ Σⱼ (dᵢⱼ − d̄ᵢ)² / (N − k)                          within-subject (MS_W)
/// Varying:  bias = Σ d̄ᵢ / k,  s²_d̄ = Σ (d̄ᵢ − bias)² / (k − 1),  1/m_h = Σ (1/mᵢ) / k
///           V = s²_d̄ + (1 − 1/m_h) s²_w,  SE(bias) = s_d̄ / √k
/// Constant: bias = Σ dᵢⱼ / N,  MS_B = Σ mᵢ (d̄ᵢ − bias)² / (k − 1),
///           λ = (N² − Σ mᵢ²) / ((k − 1) N),  σ²_b = max(0, (MS_B − s²_w) / λ)
///           V = σ²_b + s²_w,  SE(bias) = √(s²_w / N + σ²_b Σ mᵢ² / N²)
/// limits = bias ∓ z V^½                              (z the multiplier, 1.96 by default)
/// MOVER, V = Σ cⱼ s²ⱼ on dfⱼ:  L = V − √Σ (cⱼ s²ⱼ (1 − dfⱼ/χ²_{1−α/2,dfⱼ}))²,
///                              U = V + √Σ (cⱼ s²ⱼ (dfⱼ/χ²_{α/2,dfⱼ} − 1))²
/// CI(lower limit) = [lower − LME, lower + RME],  CI(upper limit) = [upper − RME, upper + LME]
/// LME = √(z²_{1−α/2} SE² + z² (√U − √V)²),  RME = √(z²_{1−α/2} SE² + z² (√V − √L)²)
/// ```
///
/// # Errors
/// [`Error::TooFewRepeatedSubjects`] for fewer than 2 subjects; [`Error::RatingsTooLarge`]
/// when the differences overflow.
///
/// # Example
/// ```
/// use alliance::agreement::{bland_altman_repeated, LimitMultiplier, Repeated, TrueValue};
/// use alliance::Level;
/// let dyad = ["a", "a", "a", "b", "b", "c", "c", "c", "c"];
/// let client = [5.0, 5.5, 6.0, 4.0, 4.5, 3.0, 3.5, 4.0, 4.5];
/// let therapist = [4.5, 5.5, 5.0, 4.0, 4.0, 3.5, 3.0, 4.0, 4.0];
/// let r = Repeated::new(&dyad, &client, &therapist)?;
/// let ba = bland_altman_repeated(&r, TrueValue::Varying, LimitMultiplier::default(), Level::default())?;
/// assert!(ba.lower_limit < ba.bias && ba.bias < ba.upper_limit);
/// let ci = ba.upper_limit_ci.value();
/// assert!(ci.is_some_and(|ci| ci.lower < ba.upper_limit && ba.upper_limit < ci.upper));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Bland, J. M., & Altman, D. G. (2007). Agreement between methods of measurement with
/// multiple observations per individual. *Journal of Biopharmaceutical Statistics*, 17,
/// 571-582. Zou, G. Y. (2013). Confidence interval estimation for the Bland-Altman limits of
/// agreement with multiple observations per individual. *Statistical Methods in Medical
/// Research*, 22, 630-642. [`TrueValue::Varying`] matches R SimplyAgree 0.3.0
/// `agree_nest(TOST = FALSE)` (Zou's method); both cases match an independent mpmath
/// re-computation of the formulas above.
pub fn bland_altman_repeated(
    data: &Repeated,
    true_value: TrueValue,
    multiplier: LimitMultiplier,
    level: Level,
) -> Result<RepeatedBlandAltman> {
    let k = data.subjects();
    if k < 2 {
        return Err(Error::TooFewRepeatedSubjects {
            statistic: "a Bland-Altman analysis of repeated pairs",
            needed: 2,
            found: k,
        });
    }
    let n = data.n();
    let (kf, nf) = (k as f64, n as f64);
    // per subject: mean difference and within SS, summed in one pass each
    let (mut all, mut means, mut ssw, mut inv_m, mut m2) = (
        Sum::default(),
        Sum::default(),
        Sum::default(),
        Sum::default(),
        0.0,
    );
    let mut pairable = false;
    let mut all_means_equal = true;
    let mut first_mean = None;
    for s in data.iter() {
        let (mean, ss) = subject_differences(s.first, s.second);
        let m = s.first.len() as f64;
        all.add(mean * m);
        means.add(mean);
        ssw.add(ss);
        inv_m.add(1.0 / m);
        m2 += m * m;
        pairable |= s.first.len() > 1;
        match first_mean {
            None => first_mean = Some(mean),
            #[allow(clippy::float_cmp)] // exact equality decides an exact zero
            Some(f) => all_means_equal &= f == mean,
        }
    }
    let mean_of_means = means.value() / kf;
    let grand = all.value() / nf;
    // second pass over the subject means (k terms, recomputed: no allocation)
    let (mut s_means, mut s_between) = (Sum::default(), Sum::default());
    if !all_means_equal {
        for s in data.iter() {
            let (mean, _) = subject_differences(s.first, s.second);
            let m = s.first.len() as f64;
            s_means.add((mean - mean_of_means) * (mean - mean_of_means));
            s_between.add(m * (mean - grand) * (mean - grand));
        }
    }
    let subject_mean_variance = s_means.value() / (kf - 1.0);
    let ms_b = s_between.value() / (kf - 1.0);
    let df_w = nf - kf;
    let ms_w = if pairable { ssw.value() / df_w } else { 0.0 };
    let harmonic_mean_pairs = kf / inv_m.value();
    let divisor = (nf * nf - m2) / ((kf - 1.0) * nf);
    let between_variance = (ms_b - ms_w) / divisor;
    let within_weight = if pairable {
        1.0 - 1.0 / harmonic_mean_pairs
    } else {
        0.0
    };
    // (coefficient, variance, df) of each component of V, and SE² of the bias
    let (bias, components, se2) = match true_value {
        TrueValue::Varying => (
            mean_of_means,
            [
                (1.0, subject_mean_variance, kf - 1.0),
                (within_weight, ms_w, df_w),
            ],
            subject_mean_variance / kf,
        ),
        TrueValue::Constant => {
            let between = between_variance.max(0.0);
            let parts = if between_variance >= 0.0 {
                [
                    (1.0 / divisor, ms_b, kf - 1.0),
                    (1.0 - 1.0 / divisor, ms_w, df_w),
                ]
            } else {
                [(0.0, 0.0, kf - 1.0), (1.0, ms_w, df_w)]
            };
            (grand, parts, ms_w / nf + between * m2 / (nf * nf))
        }
    };
    let variance = stats::sum(components.iter().map(|&(c, v, _)| c * v)).max(0.0);
    let sd = variance.sqrt();
    let z = multiplier.value();
    let (lower_limit, upper_limit) = (bias - z * sd, bias + z * sd);
    let checked = [
        bias,
        variance,
        lower_limit,
        upper_limit,
        se2,
        subject_mean_variance,
        between_variance,
        ms_w,
    ];
    if !checked.iter().all(|v| v.is_finite()) {
        return Err(Error::RatingsTooLarge {
            what: "differences between the paired ratings",
        });
    }
    let mut out = RepeatedBlandAltman {
        true_value,
        bias,
        variance,
        sd,
        lower_limit,
        upper_limit,
        multiplier: z,
        within_variance: if pairable {
            Outcome::Defined(ms_w)
        } else {
            Outcome::Undefined(Undefined::NoPairableUnit)
        },
        subject_mean_variance,
        between_variance,
        harmonic_mean_pairs,
        divisor,
        bias_ci: Outcome::Undefined(Undefined::OutOfRange),
        variance_ci: Outcome::Undefined(Undefined::OutOfRange),
        lower_limit_ci: Outcome::Undefined(Undefined::OutOfRange),
        upper_limit_ci: Outcome::Undefined(Undefined::OutOfRange),
        ci_method: IntervalMethod::Mover,
        n,
        subjects: k,
        single_pair_subjects: data.single_pair_subjects(),
        dropped: data.dropped(),
        missing: data.missing(),
        reference: "Bland & Altman (2007); Zou (2013); R SimplyAgree 0.3.0 agree_nest; \
                    independent mpmath re-computation",
    };
    // an error here only means a quantile is infinite (a level within rounding of 1)
    let Some((lo, hi)) = mover(&components, level) else {
        return Ok(out);
    };
    let Ok(zc) = stats::z_two_sided(level) else {
        return Ok(out);
    };
    let se = se2.max(0.0).sqrt();
    let left = (zc * zc * se * se + z * z * (hi.sqrt() - sd).powi(2)).sqrt();
    let right = (zc * zc * se * se + z * z * (sd - lo.sqrt()).powi(2)).sqrt();
    let interval = |a: f64, b: f64| {
        if a.is_finite() && b.is_finite() {
            Outcome::Defined(Interval::new(a, b, level))
        } else {
            Outcome::Undefined(Undefined::OutOfRange)
        }
    };
    out.bias_ci = interval(bias - zc * se, bias + zc * se);
    out.variance_ci = interval(lo, hi);
    out.lower_limit_ci = interval(lower_limit - left, lower_limit + right);
    out.upper_limit_ci = interval(upper_limit - right, upper_limit + left);
    Ok(out)
}

/// Mean of a subject's differences and their sum of squared deviations (exactly 0 when the
/// differences are all equal).
fn subject_differences(first: &[f64], second: &[f64]) -> (f64, f64) {
    let m = first.len() as f64;
    let d0 = first[0] - second[0];
    let mut constant = true;
    let mut s = Sum::default();
    for (a, b) in first.iter().zip(second) {
        let d = a - b;
        #[allow(clippy::float_cmp)] // exact constancy decides an exact zero
        {
            constant &= d == d0;
        }
        s.add(d - d0);
    }
    if constant {
        return (d0, 0.0);
    }
    let shift = s.value() / m;
    let ss = stats::sum(first.iter().zip(second).map(|(a, b)| {
        let e = (a - b) - d0 - shift;
        e * e
    }));
    (d0 + shift, ss)
}

/// MOVER bounds (Zou 2013) for V = Σ cⱼ s²ⱼ, each s²ⱼ on dfⱼ degrees of freedom (a component
/// with coefficient 0 is left out). `None` when a quantile does not exist.
fn mover(components: &[(f64, f64, f64)], level: Level) -> Option<(f64, f64)> {
    let tail = level.tail();
    let (mut value, mut below, mut above) = (0.0, 0.0, 0.0);
    for &(c, s2, df) in components {
        #[allow(clippy::float_cmp)] // an exact 0 weight marks an absent component
        if c == 0.0 {
            continue;
        }
        let upper_q = stats::chi_squared_quantile(tail, df, true).ok()?;
        let lower_q = stats::chi_squared_quantile(tail, df, false).ok()?;
        let part = c * s2;
        value += part;
        below += (part * (1.0 - df / upper_q)).powi(2);
        above += (part * (df / lower_q - 1.0)).powi(2);
    }
    let (lo, hi) = ((value - below.sqrt()).max(0.0), value + above.sqrt());
    (lo.is_finite() && hi.is_finite()).then_some((lo, hi))
}

// ---- proportional bias -------------------------------------------------------------------

/// Proportional bias: the regression of the differences on the means, with the slope's test
/// and the regression-based limits of agreement. Serializes; does not deserialize (a result
/// is computed, not read).
///
/// # Example
/// ```
/// use alliance::agreement::{proportional_bias, LimitMultiplier};
/// use alliance::{Level, Outcome, Paired, Undefined};
/// // every pair has the same mean: no regression on the mean, counts kept
/// let p = Paired::new(&[4.0, 5.0, 6.0], &[6.0, 5.0, 4.0])?;
/// let pb = proportional_bias(&p, LimitMultiplier::default(), Level::default())?;
/// assert_eq!(pb.slope, Outcome::Undefined(Undefined::ZeroVariance));
/// assert_eq!((pb.n, pb.df), (3, 1.0));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ProportionalBias {
    /// b₀ of D = b₀ + b₁ A (D the difference first minus second, A the mean of the pair);
    /// undefined ([`Undefined::ZeroVariance`]) when every pair has the same mean.
    pub intercept: Outcome<f64>,
    /// b₁, the proportional bias (0 when the bias does not change with the level).
    pub slope: Outcome<f64>,
    /// Standard error of b₁, √(RSS/(n − 2) / Σ(A − Ā)²);
    /// [`Undefined::NoResidualDegreesOfFreedom`] for n = 2.
    pub se: Outcome<f64>,
    /// t = b₁/SE on n − 2 df; [`Undefined::ZeroErrorVariance`] when the fit is perfect (RSS
    /// = 0; p is then 0, or undefined too when b₁ = 0 as well).
    pub t: Outcome<f64>,
    /// Residual degrees of freedom, n − 2.
    pub df: f64,
    /// Two-sided p of the t test of b₁ = 0.
    pub p: Outcome<f64>,
    /// How `p` was computed: [`PMethod::StudentT`].
    pub p_method: PMethod,
    /// b₁ ± t_{1−α/2, n−2} SE.
    pub ci: Outcome<Interval>,
    /// How the interval was computed: [`IntervalMethod::StudentT`].
    pub ci_method: IntervalMethod,
    /// c₀ of |R| = c₀ + c₁ A, the regression of the absolute residuals on the means.
    pub spread_intercept: Outcome<f64>,
    /// c₁, how the spread of the differences changes with the level.
    pub spread_slope: Outcome<f64>,
    /// The limits' multiplier (1.96 by default); the limits lie ± multiplier · √(π/2) ·
    /// (c₀ + c₁ A) around b₀ + b₁ A.
    pub multiplier: f64,
    /// Pairs used.
    pub n: usize,
    /// Subjects (dyads) the pairs come from: n for [`proportional_bias`], the subjects of
    /// the data for [`proportional_bias_repeated`].
    pub subjects: usize,
    /// Pairs dropped because a value was missing.
    pub dropped: usize,
    /// Missing-data policy applied (listwise: a pair missing a value is dropped).
    pub missing: CaseDeletion,
    /// The reference this matches.
    pub reference: &'static str,
}

/// Regression-based limits of agreement at one level of the measure (a named record).
///
/// # Example
/// ```
/// use alliance::agreement::{proportional_bias, LimitMultiplier};
/// use alliance::{Level, Paired};
/// let p = Paired::new(&[2.0, 4.0, 6.0, 8.0, 10.0], &[2.1, 3.8, 5.5, 7.6, 9.0])?;
/// let pb = proportional_bias(&p, LimitMultiplier::default(), Level::default())?;
/// let at = pb.limits_at(6.0).value();
/// assert!(at.is_some_and(|at| at.lower <= at.bias && at.bias <= at.upper));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RegressionLimits {
    /// The mean of a pair at which the limits apply.
    pub mean: f64,
    /// b₀ + b₁ A, the expected difference there.
    pub bias: f64,
    /// bias − multiplier √(π/2) (c₀ + c₁ A).
    pub lower: f64,
    /// bias + multiplier √(π/2) (c₀ + c₁ A).
    pub upper: f64,
}

impl ProportionalBias {
    /// The regression-based limits at a pair mean A: b₀ + b₁ A ± multiplier √(π/2)(c₀ + c₁ A)
    /// (Bland & Altman 1999, section 3.2). Where c₀ + c₁ A is negative (far outside the data)
    /// the limits cross; they are meant for levels within the range of the data.
    ///
    /// Undefined when the regression is ([`Undefined::ZeroVariance`]), or
    /// ([`Undefined::OutOfRange`]) when the limits overflow.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::{proportional_bias, LimitMultiplier};
    /// use alliance::{Level, Paired};
    /// let p = Paired::new(&[2.0, 4.0, 6.0, 8.0], &[1.0, 3.5, 5.0, 8.5])?;
    /// let pb = proportional_bias(&p, LimitMultiplier::default(), Level::default())?;
    /// assert!(pb.limits_at(5.0).is_defined());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn limits_at(&self, mean: f64) -> Outcome<RegressionLimits> {
        let (b0, b1, c0, c1) = match (
            self.intercept,
            self.slope,
            self.spread_intercept,
            self.spread_slope,
        ) {
            (
                Outcome::Defined(b0),
                Outcome::Defined(b1),
                Outcome::Defined(c0),
                Outcome::Defined(c1),
            ) => (b0, b1, c0, c1),
            (Outcome::Undefined(why), ..) | (_, Outcome::Undefined(why), ..) => {
                return Outcome::Undefined(why);
            }
            (.., Outcome::Undefined(why), _) | (.., Outcome::Undefined(why)) => {
                return Outcome::Undefined(why);
            }
        };
        let bias = b0 + b1 * mean;
        let half = self.multiplier * SQRT_HALF_PI * (c0 + c1 * mean);
        let (lower, upper) = (bias - half, bias + half);
        if [bias, lower, upper].iter().all(|v| v.is_finite()) {
            Outcome::Defined(RegressionLimits {
                mean,
                bias,
                lower,
                upper,
            })
        } else {
            Outcome::Undefined(Undefined::OutOfRange)
        }
    }
}

/// √(π/2): the SD of a normal variable over its mean absolute deviation.
const SQRT_HALF_PI: f64 = 1.253_314_137_315_500_3;

/// Proportional bias of paired ratings: the regression of the differences on the means, with
/// the slope's t test and interval, and the regression-based limits of agreement (Bland &
/// Altman 1999, section 3.2).
///
/// ```text
/// Dᵢ = xᵢ − yᵢ,  Aᵢ = (xᵢ + yᵢ)/2
/// D = b₀ + b₁ A  (least squares),  SE(b₁) = √(RSS/(n − 2) / Σ(A − Ā)²)
/// t = b₁/SE,  p = 2 P(T_{n−2} > |t|),  CI = b₁ ± t_{1−α/2,n−2} SE
/// |Rᵢ| = |Dᵢ − b₀ − b₁ Aᵢ| = c₀ + c₁ A  (least squares)
/// limits(A) = b₀ + b₁ A ± multiplier √(π/2) (c₀ + c₁ A)     (see ProportionalBias::limits_at)
/// ```
///
/// # Errors
/// [`Error::TooFewPairs`] for fewer than 2 complete pairs; [`Error::RatingsTooLarge`] when
/// the differences overflow.
///
/// # Example
/// ```
/// use alliance::agreement::{proportional_bias, LimitMultiplier};
/// use alliance::{Level, Paired};
/// // the second rater's scores spread less: the difference grows with the level
/// let p = Paired::new(&[2.0, 4.0, 6.0, 8.0, 10.0], &[2.1, 3.8, 5.5, 7.6, 9.0])?;
/// let pb = proportional_bias(&p, LimitMultiplier::default(), Level::default())?;
/// assert!(pb.slope.value().is_some_and(|b| b > 0.0));
/// assert!(pb.p.value().is_some_and(|p| p < 0.05));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Bland, J. M., & Altman, D. G. (1999). Measuring agreement in method comparison studies.
/// *Statistical Methods in Medical Research*, 8, 135-160 (section 3.2). Slope, SE, t, p and
/// interval match statsmodels 0.15.0 `OLS`; the limits an independent mpmath re-computation.
pub fn proportional_bias(
    paired: &Paired,
    multiplier: LimitMultiplier,
    level: Level,
) -> Result<ProportionalBias> {
    super::continuous::check_pairs(paired, 2, "a proportional-bias regression")?;
    regress(
        paired.first(),
        paired.second(),
        multiplier,
        level,
        (paired.n(), paired.dropped()),
    )
}

/// Proportional bias of repeated pairs: the regression of [`proportional_bias`] on every
/// pair of every subject (pooled).
///
/// The coefficients and the regression-based limits describe single pairs, as the ordinary
/// limits do; the slope's t test and interval treat the pairs as independent, so with
/// subjects that differ they are too narrow (anti-conservative): read the p-value as a
/// screen, not a test. A mixed model with a random subject intercept (as R SimplyAgree's
/// `agree_nest(prop_bias = TRUE)` fits with lme4) is the fuller analysis.
///
/// # Errors
/// As [`proportional_bias`].
///
/// # Example
/// ```
/// use alliance::agreement::{proportional_bias_repeated, LimitMultiplier, Repeated};
/// use alliance::Level;
/// let dyad = ["a", "a", "b", "b", "c", "c"];
/// let r = Repeated::new(&dyad, &[2.0, 4.0, 6.0, 8.0, 10.0, 3.0], &[2.1, 3.8, 5.5, 7.6, 9.0, 2.9])?;
/// let pb = proportional_bias_repeated(&r, LimitMultiplier::default(), Level::default())?;
/// assert_eq!((pb.n, pb.subjects, pb.df), (6, 3, 4.0));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// As [`proportional_bias`].
pub fn proportional_bias_repeated(
    data: &Repeated,
    multiplier: LimitMultiplier,
    level: Level,
) -> Result<ProportionalBias> {
    if data.n() < 2 {
        return Err(Error::TooFewPairs {
            statistic: "a proportional-bias regression",
            needed: 2,
            found: data.n(),
        });
    }
    let mut out = regress(
        data.first(),
        data.second(),
        multiplier,
        level,
        (data.n(), data.dropped()),
    )?;
    out.subjects = data.subjects();
    Ok(out)
}

fn regress(
    first: &[f64],
    second: &[f64],
    multiplier: LimitMultiplier,
    level: Level,
    (n, dropped): (usize, usize),
) -> Result<ProportionalBias> {
    let a: Vec<f64> = first
        .iter()
        .zip(second)
        .map(|(x, y)| 0.5 * x + 0.5 * y)
        .collect();
    let d: Vec<f64> = first.iter().zip(second).map(|(x, y)| x - y).collect();
    if !d.iter().chain(&a).all(|v| v.is_finite()) {
        return Err(Error::RatingsTooLarge {
            what: "differences between the paired ratings",
        });
    }
    let df = n.saturating_sub(2) as f64;
    let mut out = ProportionalBias {
        intercept: Outcome::Undefined(Undefined::ZeroVariance),
        slope: Outcome::Undefined(Undefined::ZeroVariance),
        se: Outcome::Undefined(Undefined::ZeroVariance),
        t: Outcome::Undefined(Undefined::ZeroVariance),
        df,
        p: Outcome::Undefined(Undefined::ZeroVariance),
        p_method: PMethod::StudentT,
        ci: Outcome::Undefined(Undefined::ZeroVariance),
        ci_method: IntervalMethod::StudentT,
        spread_intercept: Outcome::Undefined(Undefined::ZeroVariance),
        spread_slope: Outcome::Undefined(Undefined::ZeroVariance),
        multiplier: multiplier.value(),
        n,
        subjects: n,
        dropped,
        missing: CaseDeletion::Listwise,
        reference: "Bland & Altman (1999) section 3.2; statsmodels 0.15.0 OLS; independent \
                    mpmath re-computation",
    };
    let m = PairedMoments::of(&a, &d);
    if m.x_constant {
        return Ok(out);
    }
    if m.overflowed() {
        return Ok(undefined_pb(out, Undefined::OutOfRange));
    }
    let saa = m.x.ss;
    let b1 = m.sxy / saa;
    let b0 = m.y.mean - b1 * m.x.mean;
    if !(b1.is_finite() && b0.is_finite()) {
        return Ok(undefined_pb(out, Undefined::OutOfRange));
    }
    out.slope = Outcome::Defined(b1);
    out.intercept = Outcome::Defined(b0);
    // residuals from the centred fit (the intercept form loses digits far from zero)
    let abs_res: Vec<f64> = a
        .iter()
        .zip(&d)
        .map(|(&ai, &di)| ((di - m.y.mean) - b1 * (ai - m.x.mean)).abs())
        .collect();
    let rss = if m.y_constant {
        0.0
    } else {
        stats::sum(abs_res.iter().map(|r| r * r))
    };
    let spread = PairedMoments::of(&a, &abs_res);
    let c1 = spread.sxy / saa;
    let c0 = spread.y.mean - c1 * spread.x.mean;
    (out.spread_intercept, out.spread_slope) = if c0.is_finite() && c1.is_finite() {
        (Outcome::Defined(c0), Outcome::Defined(c1))
    } else {
        (
            Outcome::Undefined(Undefined::OutOfRange),
            Outcome::Undefined(Undefined::OutOfRange),
        )
    };
    if n <= 2 {
        let why = Undefined::NoResidualDegreesOfFreedom;
        (out.se, out.t, out.p, out.ci) = (
            Outcome::Undefined(why),
            Outcome::Undefined(why),
            Outcome::Undefined(why),
            Outcome::Undefined(why),
        );
        return Ok(out);
    }
    let se = (rss / df / saa).sqrt();
    if !se.is_finite() {
        return Ok(slope_out_of_range(out));
    }
    out.se = Outcome::Defined(se);
    #[allow(clippy::float_cmp)] // an exact zero residual is a perfect fit
    if se == 0.0 {
        out.t = Outcome::Undefined(Undefined::ZeroErrorVariance);
        out.p = if b1 == 0.0 {
            Outcome::Undefined(Undefined::ZeroErrorVariance)
        } else {
            Outcome::Defined(0.0)
        };
    } else {
        let t = b1 / se;
        (out.t, out.p) = match stats::t_two_sided_p(t, df) {
            Ok(p) if t.is_finite() => (Outcome::Defined(t), Outcome::Defined(p)),
            _ => (
                Outcome::Undefined(Undefined::OutOfRange),
                Outcome::Undefined(Undefined::OutOfRange),
            ),
        };
    }
    // an error here only means the quantile is infinite (a level within rounding of 1)
    out.ci = match stats::t_quantile(1.0 - level.tail(), df) {
        Ok(q) if (b1 - q * se).is_finite() && (b1 + q * se).is_finite() => {
            Outcome::Defined(Interval::new(b1 - q * se, b1 + q * se, level))
        }
        _ => Outcome::Undefined(Undefined::OutOfRange),
    };
    Ok(out)
}

/// Marks the slope's inference out of range (its SE overflowed).
fn slope_out_of_range(out: ProportionalBias) -> ProportionalBias {
    let why = Undefined::OutOfRange;
    ProportionalBias {
        se: Outcome::Undefined(why),
        t: Outcome::Undefined(why),
        p: Outcome::Undefined(why),
        ci: Outcome::Undefined(why),
        ..out
    }
}

fn undefined_pb(out: ProportionalBias, why: Undefined) -> ProportionalBias {
    ProportionalBias {
        intercept: Outcome::Undefined(why),
        slope: Outcome::Undefined(why),
        se: Outcome::Undefined(why),
        t: Outcome::Undefined(why),
        p: Outcome::Undefined(why),
        ci: Outcome::Undefined(why),
        spread_intercept: Outcome::Undefined(why),
        spread_slope: Outcome::Undefined(why),
        ..out
    }
}
