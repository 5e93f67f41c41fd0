//! Cohen's kappa (unweighted and weighted) for two raters.

use super::{Categories, Weighting};
use crate::error::{Error, Result};
use crate::interval::{Interval, Level};
use crate::outcome::{Outcome, Undefined};
use crate::stats;

/// Cohen's kappa for two raters, with its large-sample inference.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct CohenKappa {
    /// Kappa, (`p_o` - `p_e`) / (1 - `p_e`). Negative values are reported as they are.
    pub value: f64,
    /// Observed (weighted) agreement `p_o`.
    pub observed: f64,
    /// Chance-expected (weighted) agreement `p_e` from the two raters' margins.
    pub expected: f64,
    /// Large-sample standard error (Fleiss, Cohen & Everitt 1969), used for the interval.
    pub se: f64,
    /// Standard error under kappa = 0, used for `z` and `p`.
    pub se_null: f64,
    /// z = kappa / `se_null`; `None` when `se_null` is 0.
    pub z: Option<f64>,
    /// Two-sided normal p-value of `z`; `None` when `z` is.
    pub p: Option<f64>,
    /// Wald interval kappa ± z_(1 - tail) se (not clamped to 1).
    pub ci: Interval,
    /// The weights used.
    pub weighting: Weighting,
    /// Number of categories in the declared set (the table is c x c).
    pub categories: usize,
    /// Complete pairs used.
    pub n: usize,
    /// Pairs dropped because a rating was missing (listwise deletion).
    pub dropped: usize,
    /// The reference implementation matched.
    pub reference: &'static str,
}

/// Cohen's kappa between two raters who classified the same subjects, unweighted or weighted.
///
/// `rater_a[i]` and `rater_b[i]` rate subject `i`; `None` is a missing rating and the pair is
/// dropped (listwise; the count is reported). The c x c table and the weights are built over
/// the declared `categories`.
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
/// [`Undefined::ExpectedAgreementOne`].
///
/// # Errors
/// [`Error::LengthMismatch`] when the slices differ in length; [`Error::NonFinite`] for a
/// NaN or infinite rating (0-based subject index); [`Error::UnknownCategory`] for a rating
/// outside `categories`; [`Error::TooFew`] for fewer than 2 complete pairs;
/// [`Error::LengthMismatch`] for a custom weight matrix of the wrong size.
///
/// # Example
/// ```
/// use alliance::agreement::{Categories, Weighting, cohen_kappa};
/// use alliance::Level;
/// let client = [Some(5.0), Some(4.0), Some(4.0), Some(3.0), None, Some(5.0)];
/// let therapist = [Some(5.0), Some(4.0), Some(3.0), Some(3.0), Some(2.0), Some(4.0)];
/// let scale = Categories::range(1, 5)?;
/// let k = cohen_kappa(&client, &therapist, &scale, &Weighting::Quadratic, Level::default())?;
/// let k = k.defined().expect("both raters used several categories");
/// assert_eq!((k.n, k.dropped), (5, 1));
/// assert!(k.value > 0.5 && k.ci.contains(k.value));
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
    rater_a: &[Option<f64>],
    rater_b: &[Option<f64>],
    categories: &Categories,
    weighting: &Weighting,
    level: Level,
) -> Result<Outcome<CohenKappa>> {
    if rater_a.len() != rater_b.len() {
        return Err(Error::LengthMismatch {
            what: "second rater's ratings",
            expected: rater_a.len(),
            found: rater_b.len(),
        });
    }
    let c = categories.len();
    let weights = weighting.matrix(categories)?;
    let mut table = vec![0u64; c * c];
    let mut dropped = 0usize;
    for (index, (a, b)) in rater_a.iter().zip(rater_b).enumerate() {
        match (*a, *b) {
            (Some(a), Some(b)) => match (categories.position(a), categories.position(b)) {
                (Some(i), Some(j)) => {
                    if let Some(cell) = table.get_mut(i * c + j) {
                        *cell += 1;
                    }
                }
                // Only on the error path: say why (not a number, or not a declared code).
                _ => {
                    for x in [a, b] {
                        check_rating(x, index)?;
                        categories.locate(x, index)?;
                    }
                }
            },
            (a, b) => {
                for x in [a, b].into_iter().flatten() {
                    check_rating(x, index)?;
                }
                dropped += 1;
            }
        }
    }
    let n_pairs = rater_a.len() - dropped;
    if n_pairs < 2 {
        return Err(Error::TooFew {
            what: "complete rating pairs",
            needed: 2,
            found: n_pairs,
        });
    }
    Ok(kappa_from_table(&table, &weights, c, level).map_or(
        Outcome::Undefined(Undefined::ExpectedAgreementOne),
        |t| {
            Outcome::Defined(CohenKappa {
                value: t.kappa,
                observed: t.observed,
                expected: t.expected,
                se: t.se,
                se_null: t.se_null,
                z: t.z,
                p: t.z.map(stats::normal_two_sided_p),
                ci: t.ci,
                weighting: weighting.clone(),
                categories: c,
                n: n_pairs,
                dropped,
                reference: "statsmodels.stats.inter_rater.cohens_kappa; irrCAC CAC_table.cohen",
            })
        },
    ))
}

fn check_rating(x: f64, index: usize) -> Result<()> {
    if x.is_finite() {
        Ok(())
    } else {
        Err(Error::NonFinite {
            what: "rating",
            index,
            value: x,
        })
    }
}

struct TableKappa {
    kappa: f64,
    observed: f64,
    expected: f64,
    se: f64,
    se_null: f64,
    z: Option<f64>,
    ci: Interval,
}

/// Kappa and its SEs from a c x c count table; `None` when chance agreement is exactly 1.
fn kappa_from_table(table: &[u64], w: &[f64], c: usize, level: Level) -> Option<TableKappa> {
    let n_int: u64 = table.iter().sum();
    let n = n_int as f64;
    let mut rows = vec![0u64; c];
    let mut cols = vec![0u64; c];
    for (cell, &count) in table.iter().enumerate() {
        rows[cell / c] += count;
        cols[cell % c] += count;
    }
    // p_e = 1 exactly iff every (row, column) pair of used categories has weight 1.
    #[allow(clippy::float_cmp)]
    let expected_one = (0..c)
        .all(|i| rows[i] == 0 || (0..c).all(|j| cols[j] == 0 || w.get(i * c + j) == Some(&1.0)));
    if expected_one {
        return None;
    }
    let p_row: Vec<f64> = rows.iter().map(|&r| r as f64 / n).collect();
    let p_col: Vec<f64> = cols.iter().map(|&r| r as f64 / n).collect();
    let cells = || (0..c).flat_map(|i| (0..c).map(move |j| (i, j, i * c + j)));
    // Sums of counts are exact; divide once.
    let observed = stats::sum(cells().map(|(_, _, k)| w[k] * table[k] as f64)) / n;
    let expected =
        stats::sum(cells().map(|(i, j, k)| w[k] * (rows[i] as f64) * (cols[j] as f64))) / (n * n);
    let kappa = (observed - expected) / (1.0 - expected);
    let w_row: Vec<f64> = (0..c)
        .map(|i| stats::sum((0..c).map(|j| w[i * c + j] * p_col[j])))
        .collect();
    let w_col: Vec<f64> = (0..c)
        .map(|j| stats::sum((0..c).map(|i| w[i * c + j] * p_row[i])))
        .collect();
    let denom = n * (1.0 - expected) * (1.0 - expected);
    #[allow(clippy::float_cmp)]
    let se = if observed == 1.0 {
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
    let z = (se_null > 0.0).then(|| kappa / se_null);
    let zq = stats::normal_quantile(1.0 - level.tail()).unwrap_or(f64::NAN);
    Some(TableKappa {
        kappa,
        observed,
        expected,
        se,
        se_null,
        z,
        ci: Interval::new(kappa - zq * se, kappa + zq * se, level),
    })
}
