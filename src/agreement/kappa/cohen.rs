//! Cohen's kappa (unweighted and weighted) for two raters, from paired ratings or from a
//! contingency table: both build the same c x c table of counts and share one kernel.

use super::{Categories, Weighting};
use crate::error::{Error, Result};
use crate::interval::{Interval, Level};
use crate::method::{IntervalMethod, PMethod};
use crate::outcome::{Outcome, Undefined};
use crate::paired::Paired;
use crate::ratings::CaseDeletion;
use crate::stats;

/// Cohen's kappa for two raters, with its large-sample inference.
///
/// When chance agreement is exactly 1 (both raters used one and the same category) the
/// coefficient and everything derived from it are
/// [`Undefined::ExpectedAgreementOne`], while the counts and the observed and chance
/// agreement stay defined. Serializes; does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CohenKappa {
    /// Kappa, (`p_o` - `p_e`) / (1 - `p_e`). Negative values are reported as they are.
    pub coefficient: Outcome<f64>,
    /// Observed (weighted) agreement `p_o`: the share of pairs on which the raters agree
    /// (with weights: the mean credit earned).
    pub observed_agreement: f64,
    /// Chance agreement `p_e`, expected from the two raters' margins.
    pub chance_agreement: f64,
    /// Large-sample standard error (Fleiss, Cohen & Everitt 1969), used for the interval.
    pub se: Outcome<f64>,
    /// Standard error under kappa = 0, used for `z` and `p`.
    pub se_null: Outcome<f64>,
    /// z = kappa / `se_null`; [`Undefined::NonPositiveVariance`] when `se_null` is 0.
    pub z: Outcome<f64>,
    /// Two-sided normal p-value of `z`.
    pub p: Outcome<f64>,
    /// How `p` is computed: [`PMethod::Normal`].
    pub p_method: PMethod,
    /// Wald interval kappa ± z_(1 - tail) se (not clamped to 1).
    pub ci: Outcome<Interval>,
    /// How `ci` is computed: [`IntervalMethod::Normal`].
    pub ci_method: IntervalMethod,
    /// The weights used.
    pub weighting: Weighting,
    /// Number of categories in the declared set (the table is c x c).
    pub categories: usize,
    /// Subjects rated by both raters (complete pairs; the table's total).
    pub n: usize,
    /// Pairs dropped because a rating was missing (0 from a contingency table).
    pub dropped: usize,
    /// The missing-data policy: [`CaseDeletion::Listwise`] (a pair missing a rating is
    /// dropped whole).
    pub missing: CaseDeletion,
    /// The reference implementation matched.
    pub reference: &'static str,
}

/// A c x c table of counts over the declared [`Categories`]: row i, column j counts the
/// subjects the first rater put in category i and the second rater in category j. The form
/// in which published examples and many users have their data; [`cohen_kappa_from_table`]
/// takes it.
///
/// Serializes as `{"categories": [...], "counts": [[...], ...]}`; deserializing re-runs the
/// checks of [`ContingencyTable::new`].
///
/// # Example
/// ```
/// use alliance::agreement::{Categories, ContingencyTable};
/// let t = ContingencyTable::new(Categories::range(1, 2)?, &[[20, 5], [10, 15]])?;
/// assert_eq!((t.n(), t.count(1, 0)), (50, Some(10)));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(try_from = "TableData", into = "TableData"))]
pub struct ContingencyTable {
    categories: Categories,
    /// Row-major, c x c.
    counts: Vec<u64>,
    n: u64,
}

/// The largest table total accepted: counts up to 2^53 are exact in f64.
const MAX_TABLE_TOTAL: u64 = 1 << 53;

impl ContingencyTable {
    /// A table from one row of counts per category of the first rater, each with one count per
    /// category of the second rater, in the declared order.
    ///
    /// # Errors
    /// [`Error::TableRows`] unless there is one row per category;
    /// [`Error::TableRowLength`] for a row without one count per category;
    /// [`Error::TableTooLarge`] when the counts add up to more than 2^53.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::{Categories, ContingencyTable};
    /// let cats = Categories::range(1, 3)?;
    /// let t = ContingencyTable::new(cats.clone(), &[[0, 4, 1], [0, 8, 0], [0, 1, 5]])?;
    /// assert_eq!(t.n(), 19);
    /// assert!(ContingencyTable::new(cats, &[[1, 2], [3, 4]]).is_err());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new<R: AsRef<[u64]>>(categories: Categories, rows: &[R]) -> Result<ContingencyTable> {
        let c = categories.len();
        if rows.len() != c {
            return Err(Error::TableRows {
                categories: c,
                found: rows.len(),
            });
        }
        let mut counts = Vec::with_capacity(c * c);
        let mut n = 0u64;
        for (row, values) in rows.iter().enumerate() {
            let values = values.as_ref();
            if values.len() != c {
                return Err(Error::TableRowLength {
                    row,
                    categories: c,
                    found: values.len(),
                });
            }
            for &x in values {
                n = n.saturating_add(x);
                if n > MAX_TABLE_TOTAL {
                    return Err(Error::TableTooLarge {
                        found: n,
                        limit: MAX_TABLE_TOTAL,
                    });
                }
            }
            counts.extend_from_slice(values);
        }
        Ok(ContingencyTable {
            categories,
            counts,
            n,
        })
    }

    /// The table of two raters' paired ratings over `categories` (incomplete pairs were
    /// already dropped by [`Paired`]).
    ///
    /// # Errors
    /// [`Error::UnknownCategory`] for a rating outside `categories` (its position among the
    /// complete pairs).
    ///
    /// # Example
    /// ```
    /// use alliance::Paired;
    /// use alliance::agreement::{Categories, ContingencyTable};
    /// let p = Paired::new(&[1.0, 1.0, 2.0], &[1.0, 2.0, 2.0])?;
    /// let t = ContingencyTable::from_paired(&p, &Categories::range(1, 2)?)?;
    /// assert_eq!(t.counts(), &[1, 1, 0, 1]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn from_paired(paired: &Paired, categories: &Categories) -> Result<ContingencyTable> {
        let counts = count_pairs(paired, categories)?;
        Ok(ContingencyTable {
            categories: categories.clone(),
            counts,
            n: paired.n() as u64,
        })
    }

    /// The declared categories (rows and columns, in order).
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::{Categories, ContingencyTable};
    /// let t = ContingencyTable::new(Categories::range(0, 1)?, &[[3, 1], [0, 2]])?;
    /// assert_eq!(t.categories().values(), &[0.0, 1.0]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn categories(&self) -> &Categories {
        &self.categories
    }

    /// The counts, row-major (row: first rater's category).
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::{Categories, ContingencyTable};
    /// let t = ContingencyTable::new(Categories::range(0, 1)?, &[[3, 1], [0, 2]])?;
    /// assert_eq!(t.counts(), &[3, 1, 0, 2]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// The count in row `first` (first rater's category index), column `second`; `None` out
    /// of bounds.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::{Categories, ContingencyTable};
    /// let t = ContingencyTable::new(Categories::range(0, 1)?, &[[3, 1], [0, 2]])?;
    /// assert_eq!((t.count(0, 1), t.count(2, 0)), (Some(1), None));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn count(&self, first: usize, second: usize) -> Option<u64> {
        let c = self.categories.len();
        if first >= c || second >= c {
            return None;
        }
        self.counts.get(first * c + second).copied()
    }

    /// Total count: the number of rated pairs.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::{Categories, ContingencyTable};
    /// let t = ContingencyTable::new(Categories::range(0, 1)?, &[[3, 1], [0, 2]])?;
    /// assert_eq!(t.n(), 6);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn n(&self) -> u64 {
        self.n
    }
}

/// The wire form of [`ContingencyTable`], validated on the way in.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct TableData {
    categories: Categories,
    counts: Vec<Vec<u64>>,
}

#[cfg(feature = "serde")]
impl TryFrom<TableData> for ContingencyTable {
    type Error = Error;
    fn try_from(d: TableData) -> Result<ContingencyTable> {
        ContingencyTable::new(d.categories, &d.counts)
    }
}

#[cfg(feature = "serde")]
impl From<ContingencyTable> for TableData {
    fn from(t: ContingencyTable) -> TableData {
        let c = t.categories.len();
        TableData {
            counts: t.counts.chunks(c.max(1)).map(<[u64]>::to_vec).collect(),
            categories: t.categories,
        }
    }
}

/// Cohen's kappa between two raters who classified the same subjects, unweighted or weighted.
///
/// `paired` holds the two raters' category codes (pairs with a missing rating were dropped
/// by [`Paired::with_missing`] and are counted in `dropped`). The c x c table and the weights
/// are built over the declared `categories`. From a table of counts, use
/// [`cohen_kappa_from_table`]: both give identical results.
///
/// ```text
/// p_ij = share of pairs with a in category i and b in category j, p_i. and p_.j its margins
/// p_o = Σ w_ij p_ij        p_e = Σ w_ij p_i. p_.j        kappa = (p_o - p_e) / (1 - p_e)
/// w̄_i. = Σ_j w_ij p_.j     w̄_.j = Σ_i w_ij p_i.
/// Var   = [Σ p_ij (w_ij - (w̄_i. + w̄_.j)(1 - kappa))^2 - (kappa - p_e(1 - kappa))^2] / (n (1 - p_e)^2)
/// Var_0 = [Σ p_i. p_.j (w_ij - (w̄_i. + w̄_.j))^2 - p_e^2] / (n (1 - p_e)^2)
/// z = kappa / sqrt(Var_0),   CI = kappa ± z_(1 - tail) sqrt(Var)
/// ```
/// With unweighted kappa `w` is the identity. When `p_e` = 1 exactly (decided from the counts,
/// not from a floating-point subtraction) kappa is
/// [`Undefined::ExpectedAgreementOne`]; `n`, `observed_agreement` and `chance_agreement`
/// are still reported.
///
/// Size: the c x c table and weights, c at most [`Categories::MAX`] (at most 134 MB each).
///
/// # Errors
/// [`Error::UnknownCategory`] for a rating outside `categories` (its 0-based position among
/// the complete pairs); [`Error::TooFewRatedPairs`] for fewer than 2 complete pairs;
/// [`Error::WeightMatrixSize`] for a custom weight matrix of the wrong size.
///
/// # Example
/// ```
/// use alliance::agreement::{Categories, Weighting, cohen_kappa};
/// use alliance::{Level, Paired};
/// let client = [Some(5.0), Some(4.0), Some(4.0), Some(3.0), None, Some(5.0)];
/// let therapist = [Some(5.0), Some(4.0), Some(3.0), Some(3.0), Some(2.0), Some(4.0)];
/// let pairs = Paired::with_missing(&client, &therapist)?;
/// let scale = Categories::range(1, 5)?;
/// let k = cohen_kappa(&pairs, &scale, &Weighting::Quadratic, Level::default())?;
/// assert_eq!((k.n, k.dropped), (5, 1));
/// let kappa = k.coefficient.value().expect("both raters used several categories");
/// assert!(kappa > 0.5 && k.ci.value().expect("defined with kappa").contains(kappa));
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// Cohen, J. (1960). A coefficient of agreement for nominal scales. *Educational and
/// Psychological Measurement* 20, 37-46. Cohen, J. (1968). Weighted kappa. *Psychological
/// Bulletin* 70, 213-220. Fleiss, J. L., Cohen, J. & Everitt, B. S. (1969). Large sample
/// standard errors of kappa and weighted kappa. *Psychological Bulletin* 72, 323-327.
/// Matches `statsmodels.stats.inter_rater.cohens_kappa` (kappa, both SEs, z, interval) and
/// irrCAC 0.4.4 (`CAC.conger()` on two raters, `CAC_table.cohen()` for the SE).
pub fn cohen_kappa(
    paired: &Paired,
    categories: &Categories,
    weighting: &Weighting,
    level: Level,
) -> Result<CohenKappa> {
    let weights = weighting.matrix(categories)?;
    let table = count_pairs(paired, categories)?;
    kappa_stat(
        &table,
        &weights,
        categories.len(),
        weighting,
        level,
        paired.dropped(),
    )
}

/// Cohen's kappa from a contingency table of counts: the same statistic, formulas and
/// reference implementations as [`cohen_kappa`], which gives identical results on the paired
/// ratings the table counts. `dropped` is 0.
///
/// Size: the c x c table and weights, c at most [`Categories::MAX`] (at most 134 MB each).
///
/// # Errors
/// [`Error::TooFewRatedPairs`] for a table total below 2; [`Error::WeightMatrixSize`] for a
/// custom weight matrix of the wrong size.
///
/// # Example
/// ```
/// use alliance::agreement::{Categories, ContingencyTable, Weighting, cohen_kappa_from_table};
/// use alliance::Level;
/// // SAS PROC FREQ's example (as in statsmodels' tests): kappa .4842, SE .1380
/// let t = ContingencyTable::new(Categories::range(1, 3)?, &[[0, 4, 1], [0, 8, 0], [0, 1, 5]])?;
/// let k = cohen_kappa_from_table(&t, &Weighting::Unweighted, Level::default())?;
/// assert_eq!(k.n, 19);
/// assert!((k.coefficient.value().expect("defined") - 0.4842).abs() < 5e-5);
/// assert!((k.se.value().expect("defined") - 0.1380).abs() < 5e-5);
/// # Ok::<(), alliance::Error>(())
/// ```
///
/// # References
/// As [`cohen_kappa`].
pub fn cohen_kappa_from_table(
    table: &ContingencyTable,
    weighting: &Weighting,
    level: Level,
) -> Result<CohenKappa> {
    let weights = weighting.matrix(&table.categories)?;
    kappa_stat(
        &table.counts,
        &weights,
        table.categories.len(),
        weighting,
        level,
        0,
    )
}

/// The c x c table of counts of `paired` over `categories`, row-major.
fn count_pairs(paired: &Paired, categories: &Categories) -> Result<Vec<u64>> {
    let c = categories.len();
    let mut table = vec![0u64; c * c];
    for (index, (&a, &b)) in paired.first().iter().zip(paired.second()).enumerate() {
        match (categories.position(a), categories.position(b)) {
            (Some(i), Some(j)) => {
                if let Some(cell) = table.get_mut(i * c + j) {
                    *cell += 1;
                }
            }
            // Only on the error path: say which value is not a declared code.
            _ => {
                categories.locate(a, index)?;
                categories.locate(b, index)?;
            }
        }
    }
    Ok(table)
}

/// The one kernel behind [`cohen_kappa`] and [`cohen_kappa_from_table`].
fn kappa_stat(
    table: &[u64],
    weights: &[f64],
    c: usize,
    weighting: &Weighting,
    level: Level,
    dropped: usize,
) -> Result<CohenKappa> {
    let n_pairs: u64 = table.iter().sum();
    let n = usize::try_from(n_pairs).unwrap_or(usize::MAX);
    if n < 2 {
        return Err(Error::TooFewRatedPairs { found: n });
    }
    let t = kappa_from_table(table, weights, c, level)?;
    let z = match t.se_null {
        Outcome::Defined(se) if se > 0.0 => t.coefficient.map(|k| k / se),
        Outcome::Defined(_) => Outcome::Undefined(Undefined::NonPositiveVariance),
        Outcome::Undefined(why) => Outcome::Undefined(why),
    };
    Ok(CohenKappa {
        coefficient: t.coefficient,
        observed_agreement: t.observed,
        chance_agreement: t.expected,
        se: t.se,
        se_null: t.se_null,
        p: z.map(stats::normal_two_sided_p),
        z,
        p_method: PMethod::Normal,
        ci: t.ci,
        ci_method: IntervalMethod::Normal,
        weighting: weighting.clone(),
        categories: c,
        n,
        dropped,
        missing: CaseDeletion::Listwise,
        reference: "statsmodels.stats.inter_rater.cohens_kappa; irrCAC CAC_table.cohen",
    })
}

struct TableKappa {
    coefficient: Outcome<f64>,
    observed: f64,
    expected: f64,
    se: Outcome<f64>,
    se_null: Outcome<f64>,
    ci: Outcome<Interval>,
}

/// Kappa and its SEs from a c x c count table (total n >= 2); kappa and its inference are
/// [`Undefined::ExpectedAgreementOne`] when chance agreement is exactly 1.
fn kappa_from_table(table: &[u64], w: &[f64], c: usize, level: Level) -> Result<TableKappa> {
    let n_int: u64 = table.iter().sum();
    let n = n_int as f64;
    let mut rows = vec![0u64; c];
    let mut cols = vec![0u64; c];
    for (cell, &count) in table.iter().enumerate() {
        rows[cell / c] += count;
        cols[cell % c] += count;
    }
    let cells = || (0..c).flat_map(|i| (0..c).map(move |j| (i, j, i * c + j)));
    // Sums of counts are exact; divide once.
    let observed = stats::sum(cells().map(|(_, _, k)| w[k] * table[k] as f64)) / n;
    // p_e = 1 exactly iff every (row, column) pair of used categories has weight 1.
    #[allow(clippy::float_cmp)]
    let expected_one = (0..c)
        .all(|i| rows[i] == 0 || (0..c).all(|j| cols[j] == 0 || w.get(i * c + j) == Some(&1.0)));
    if expected_one {
        // Every pair falls on weight-1 cells too: p_o = p_e = 1.
        let why = Outcome::Undefined(Undefined::ExpectedAgreementOne);
        return Ok(TableKappa {
            coefficient: why,
            observed: 1.0,
            expected: 1.0,
            se: why,
            se_null: why,
            ci: Outcome::Undefined(Undefined::ExpectedAgreementOne),
        });
    }
    let p_row: Vec<f64> = rows.iter().map(|&r| r as f64 / n).collect();
    let p_col: Vec<f64> = cols.iter().map(|&r| r as f64 / n).collect();
    let expected =
        stats::sum(cells().map(|(i, j, k)| w[k] * (rows[i] as f64) * (cols[j] as f64))) / (n * n);
    // kappa = 1 − D_o / D_e with the disagreements D = 1 − p summed from 1 − w ≥ 0: no
    // cancellation, so weights within an ulp of 1 give a kappa, not 0/0 (p_e rounded to 1).
    // D_e > 0: some used pair has a weight below 1 (1 − w ≥ 2^-53, never underflowing).
    let disagreement_observed =
        stats::sum(cells().map(|(_, _, k)| (1.0 - w[k]) * table[k] as f64)) / n;
    let disagreement_expected =
        stats::sum(cells().map(|(i, j, k)| (1.0 - w[k]) * (rows[i] as f64) * (cols[j] as f64)))
            / (n * n);
    let kappa = 1.0 - disagreement_observed / disagreement_expected;
    let w_row: Vec<f64> = (0..c)
        .map(|i| stats::sum((0..c).map(|j| w[i * c + j] * p_col[j])))
        .collect();
    let w_col: Vec<f64> = (0..c)
        .map(|j| stats::sum((0..c).map(|i| w[i * c + j] * p_row[i])))
        .collect();
    let denom = n * disagreement_expected * disagreement_expected;
    #[allow(clippy::float_cmp)]
    let se = if disagreement_observed == 0.0 {
        // Perfect agreement on weight-1 cells: the variance is exactly 0.
        0.0
    } else {
        let a = stats::sum(cells().map(|(i, j, k)| {
            let d = w[k] - (w_row[i] + w_col[j]) * (1.0 - kappa);
            table[k] as f64 / n * d * d
        }));
        let b = kappa - expected * (1.0 - kappa);
        ((a - b * b) / denom).max(0.0).sqrt()
    };
    let a0 = stats::sum(cells().map(|(i, j, k)| {
        let d = w[k] - (w_row[i] + w_col[j]);
        p_row[i] * p_col[j] * d * d
    }));
    let se_null = ((a0 - expected * expected) / denom).max(0.0).sqrt();
    let zq = stats::z_two_sided(level)?;
    Ok(TableKappa {
        coefficient: Outcome::Defined(kappa),
        observed,
        expected,
        se: Outcome::Defined(se),
        se_null: Outcome::Defined(se_null),
        ci: Outcome::Defined(Interval::new(kappa - zq * se, kappa + zq * se, level)),
    })
}
