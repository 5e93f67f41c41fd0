//! Chance-corrected agreement on categories: the declared category set, agreement weights,
//! and the typed "undefined" outcome shared by Cohen's kappa, Fleiss' kappa, Gwet's AC1/AC2,
//! Brennan-Prediger and Krippendorff's alpha.

mod cohen;
mod multi;

pub use cohen::{CohenKappa, ContingencyTable, cohen_kappa, cohen_kappa_from_table};
pub use multi::{MultiRaterAgreement, MultiRaterMethod, brennan_prediger, fleiss_kappa, gwet_ac};

use crate::error::{Error, Result};

/// The full set of categories a rating may take, declared by the caller.
///
/// Sorted ascending, finite, distinct, at least 2. Contingency tables and weights are built over
/// this set, so a category nobody used still counts: it enters the chance agreement of Gwet's
/// AC1/AC2 and Brennan-Prediger (through q), sizes a custom weight matrix, and linear and
/// quadratic weights follow the declared values' spacing and range. (Cohen's weighted kappa
/// with value-based linear or quadratic weights ignores an unused end category, because
/// kappa is unchanged by rescaling the disagreement weights.) A rating outside the set is an
/// [`Error::UnknownCategory`].
///
/// # Example
/// ```
/// use alliance::agreement::Categories;
/// let likert = Categories::new(vec![1.0, 2.0, 3.0, 4.0, 5.0])?;
/// assert_eq!(likert.len(), 5);
/// assert_eq!(likert.index_of(4.0), Some(3));
/// assert!(Categories::new(vec![2.0, 1.0]).is_err());
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(try_from = "Vec<f64>", into = "Vec<f64>"))]
pub struct Categories {
    values: Vec<f64>,
    /// The first code when the codes are consecutive integers (a Likert scale): then a
    /// rating's index is `x - first`, found without a search.
    consecutive_from: Option<f64>,
}

impl Categories {
    /// The most categories a set may declare: 4096. Cohen's kappa holds a `c x c` table of
    /// counts and the kappa family a `c x c` matrix of weights, so 4096 categories take about
    /// 134 MB each; a rating scale has far fewer codes (a 0-100 scale in 0.1 steps has 1001).
    /// Checked before anything is allocated ([`Error::TooManyCategories`]).
    pub const MAX: usize = 4096;

    /// A category set from its codes in ascending order.
    ///
    /// # Errors
    /// [`Error::TooManyCategories`] for more than [`Categories::MAX`] categories;
    /// [`Error::TooFewCategories`] for fewer than 2 categories; [`Error::NonFinite`] for NaN
    /// or an infinity; [`Error::CategoriesNotAscending`] when a code is not strictly above the
    /// one before (unsorted or repeated).
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Categories;
    /// let spaced = Categories::new(vec![0.0, 1.0, 3.0, 7.0])?;
    /// assert_eq!(spaced.values(), &[0.0, 1.0, 3.0, 7.0]);
    /// assert!(Categories::new(vec![1.0, 1.0]).is_err());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn new(values: Vec<f64>) -> Result<Categories> {
        Categories::check_count(values.len() as u64)?;
        if values.len() < 2 {
            return Err(Error::TooFewCategories {
                found: values.len(),
            });
        }
        crate::domain::check("category", &values)?;
        for (index, pair) in values.windows(2).enumerate() {
            if let [previous, value] = *pair
                && value <= previous
            {
                return Err(Error::CategoriesNotAscending {
                    index: index + 1,
                    value,
                    previous,
                });
            }
        }
        #[allow(clippy::float_cmp)] // exact integer steps
        let consecutive = values.iter().all(|v| v.fract() == 0.0 && v.abs() < 1e15)
            && values
                .windows(2)
                .all(|w| matches!(*w, [a, b] if b - a == 1.0));
        let consecutive_from = consecutive.then(|| values.first().copied()).flatten();
        Ok(Categories {
            values,
            consecutive_from,
        })
    }

    /// The integer codes `min..=max`, e.g. `Categories::range(1, 5)` for a 5-point item.
    ///
    /// # Errors
    /// [`Error::TooFewCategories`] unless `min < max`; [`Error::TooManyCategories`] for more
    /// than [`Categories::MAX`] codes (checked before the codes are listed).
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Categories;
    /// assert_eq!(Categories::range(1, 7)?.len(), 7);
    /// assert!(Categories::range(i32::MIN, i32::MAX).is_err());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn range(min: i32, max: i32) -> Result<Categories> {
        // i64 holds max - min + 1 for any two i32 (at most 2^32).
        let count = (i64::from(max) - i64::from(min) + 1).max(0);
        Categories::check_count(count.unsigned_abs())?;
        Categories::new((min..=max).map(f64::from).collect())
    }

    fn check_count(found: u64) -> Result<()> {
        if found > Categories::MAX as u64 {
            return Err(Error::TooManyCategories {
                found,
                limit: Categories::MAX as u64,
            });
        }
        Ok(())
    }

    /// Number of categories.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Categories;
    /// assert_eq!(Categories::range(0, 3)?.len(), 4);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Always false: a category set has at least 2 categories.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Categories;
    /// assert!(!Categories::range(1, 2)?.is_empty());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The codes, ascending.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Categories;
    /// assert_eq!(Categories::range(1, 3)?.values(), &[1.0, 2.0, 3.0]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The 0-based index of `value` in the set, or `None` when it is not a declared code.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::Categories;
    /// let c = Categories::new(vec![0.0, 1.0, 3.0])?;
    /// assert_eq!((c.index_of(3.0), c.index_of(2.0)), (Some(2), None));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    #[allow(clippy::float_cmp)] // codes are compared exactly
    pub fn index_of(&self, value: f64) -> Option<usize> {
        self.values
            .binary_search_by(|c| c.total_cmp(&value))
            .ok()
            // -0.0 and 0.0 differ under total_cmp but are the same code.
            .or_else(|| self.values.iter().position(|&c| c == value))
    }

    /// Index of a rating: by offset for consecutive integer codes, else by bisection.
    #[inline]
    pub(crate) fn position(&self, value: f64) -> Option<usize> {
        if let Some(first) = self.consecutive_from {
            // An exact integer offset within range. (A cast round trip, not `fract`, which is
            // a libm call on baseline x86-64.)
            let offset = value - first;
            let j = offset as i32; // saturating: NaN gives 0, which the round trip rejects
            #[allow(clippy::float_cmp)]
            if f64::from(j) == offset
                && let Ok(j) = usize::try_from(j)
                && j < self.values.len()
            {
                return Some(j);
            }
        }
        self.index_of(value)
    }

    /// Index of a rating, or [`Error::UnknownCategory`] at `position`.
    pub(crate) fn locate(&self, value: f64, position: usize) -> Result<usize> {
        self.position(value).ok_or(Error::UnknownCategory {
            index: position,
            value,
        })
    }

    /// Half the span, computed without overflow.
    fn half_span(&self) -> f64 {
        match (self.values.first(), self.values.last()) {
            (Some(lo), Some(hi)) => hi / 2.0 - lo / 2.0,
            _ => 1.0,
        }
    }

    /// Span between the largest and smallest code (positive; infinite only when the codes
    /// reach past `±f64::MAX / 2`).
    fn span(&self) -> f64 {
        match (self.values.first(), self.values.last()) {
            (Some(lo), Some(hi)) => hi - lo,
            _ => 1.0,
        }
    }
}

impl TryFrom<Vec<f64>> for Categories {
    type Error = Error;
    fn try_from(values: Vec<f64>) -> Result<Categories> {
        Categories::new(values)
    }
}

impl From<Categories> for Vec<f64> {
    fn from(c: Categories) -> Vec<f64> {
        c.values
    }
}

/// A square matrix of agreement weights over the declared categories, checked at
/// construction. Built from agreement weights ([`WeightMatrix::agreement`]: 1 on the
/// diagonal, credit in `[0, 1]` elsewhere) or from disagreement weights
/// ([`WeightMatrix::disagreement`]: 0 on the diagonal, any penalty of 0 or more elsewhere, as
/// Cohen (1968) publishes them). Disagreement weights `v` are stored as the agreement weights
/// `w = 1 - v / max(v)`, which give exactly Cohen's
/// `kappa_w = 1 - Σ v p_o / Σ v p_e` (kappa is unchanged by rescaling the disagreement
/// weights, so `max(v)` may be any positive number; statsmodels' `cohens_kappa(table,
/// weights=v)` takes the same disagreement weights).
///
/// It need not be symmetric (a directional penalty is allowed); with an asymmetric matrix,
/// swapping the two raters of Cohen's kappa needs the transposed matrix.
///
/// # Example
/// ```
/// use alliance::agreement::WeightMatrix;
/// // 3 categories; adjacent categories get half credit
/// let w = WeightMatrix::agreement(3, vec![1.0, 0.5, 0.0, 0.5, 1.0, 0.5, 0.0, 0.5, 1.0])?;
/// // the same as penalties 0, 1, 2 for a distance of 0, 1, 2 categories
/// let v = WeightMatrix::disagreement(3, vec![0.0, 1.0, 2.0, 1.0, 0.0, 1.0, 2.0, 1.0, 0.0])?;
/// assert_eq!(w, v);
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(try_from = "WeightData", into = "WeightData"))]
pub struct WeightMatrix {
    size: usize,
    weights: Vec<f64>,
}

/// The wire form of [`WeightMatrix`]: its size and row-major agreement weights, validated on
/// the way in by [`WeightMatrix::agreement`].
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct WeightData {
    size: usize,
    agreement_weights: Vec<f64>,
}

#[cfg(feature = "serde")]
impl TryFrom<WeightData> for WeightMatrix {
    type Error = Error;
    fn try_from(d: WeightData) -> Result<WeightMatrix> {
        WeightMatrix::agreement(d.size, d.agreement_weights)
    }
}

#[cfg(feature = "serde")]
impl From<WeightMatrix> for WeightData {
    fn from(m: WeightMatrix) -> WeightData {
        WeightData {
            size: m.size,
            agreement_weights: m.weights,
        }
    }
}

impl WeightMatrix {
    /// A `size x size` matrix of agreement weights, row-major (row: first rater's category):
    /// 1 for identical categories, the credit earned (within `[0, 1]`) elsewhere.
    ///
    /// # Errors
    /// [`Error::TooFewCategories`] for a size below 2; [`Error::TooManyCategories`] for a
    /// size above [`Categories::MAX`];
    /// [`Error::WeightCount`] unless `weights.len() == size * size`; [`Error::NonFinite`]
    /// for NaN or an infinity; [`Error::WeightOutOfRange`] for a weight outside `[0, 1]`;
    /// [`Error::DiagonalWeight`] for a diagonal weight other than 1.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::WeightMatrix;
    /// let w = WeightMatrix::agreement(2, vec![1.0, 0.25, 0.25, 1.0])?;
    /// assert_eq!(w.weights(), &[1.0, 0.25, 0.25, 1.0]);
    /// assert!(WeightMatrix::agreement(2, vec![0.9, 0.0, 0.0, 1.0]).is_err());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn agreement(size: usize, weights: Vec<f64>) -> Result<WeightMatrix> {
        check_weights(size, &weights)?;
        for (index, &w) in weights.iter().enumerate() {
            let (row, column) = (index / size, index % size);
            #[allow(clippy::float_cmp)] // exactly 1 is the rule
            if row == column && w != 1.0 {
                return Err(Error::DiagonalWeight {
                    category: row,
                    value: w,
                    expected: 1.0,
                });
            }
            if !(0.0..=1.0).contains(&w) {
                return Err(Error::WeightOutOfRange {
                    row,
                    column,
                    value: w,
                    expected: "between 0 and 1 (an agreement weight)",
                });
            }
        }
        Ok(WeightMatrix { size, weights })
    }

    /// A `size x size` matrix from disagreement weights, row-major (row: first rater's
    /// category): 0 for identical categories, the penalty (0 or more, any scale) elsewhere,
    /// as in Cohen (1968). Stored as the agreement weights `1 - v / max(v)`.
    ///
    /// # Errors
    /// [`Error::TooFewCategories`] for a size below 2; [`Error::TooManyCategories`] for a
    /// size above [`Categories::MAX`];
    /// [`Error::WeightCount`] unless `weights.len() == size * size`; [`Error::NonFinite`]
    /// for NaN or an infinity; [`Error::WeightOutOfRange`] for a negative weight;
    /// [`Error::DiagonalWeight`] for a diagonal weight other than 0;
    /// [`Error::NoDisagreementWeight`] when every weight is 0.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::WeightMatrix;
    /// // Cohen (1968) style penalties: a directional one, half as bad one way
    /// let v = WeightMatrix::disagreement(2, vec![0.0, 4.0, 2.0, 0.0])?;
    /// assert_eq!(v.weights(), &[1.0, 0.0, 0.5, 1.0]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn disagreement(size: usize, weights: Vec<f64>) -> Result<WeightMatrix> {
        check_weights(size, &weights)?;
        let mut max = 0.0f64;
        for (index, &v) in weights.iter().enumerate() {
            let (row, column) = (index / size, index % size);
            #[allow(clippy::float_cmp)] // exactly 0 is the rule
            if row == column && v != 0.0 {
                return Err(Error::DiagonalWeight {
                    category: row,
                    value: v,
                    expected: 0.0,
                });
            }
            if v < 0.0 {
                return Err(Error::WeightOutOfRange {
                    row,
                    column,
                    value: v,
                    expected: "0 or more (a disagreement weight)",
                });
            }
            max = max.max(v);
        }
        if max <= 0.0 {
            return Err(Error::NoDisagreementWeight);
        }
        let weights = weights.iter().map(|v| 1.0 - v / max).collect();
        Ok(WeightMatrix { size, weights })
    }

    /// Number of categories it weights.
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::WeightMatrix;
    /// assert_eq!(WeightMatrix::agreement(2, vec![1.0, 0.0, 0.0, 1.0])?.size(), 2);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn size(&self) -> usize {
        self.size
    }

    /// The agreement weights, row-major (disagreement weights given to
    /// [`WeightMatrix::disagreement`] appear converted).
    ///
    /// # Example
    /// ```
    /// use alliance::agreement::WeightMatrix;
    /// let v = WeightMatrix::disagreement(2, vec![0.0, 4.0, 4.0, 0.0])?;
    /// assert_eq!(v.weights(), &[1.0, 0.0, 0.0, 1.0]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }
}

fn check_weights(size: usize, weights: &[f64]) -> Result<()> {
    // The same bounds as a category set: 2 to Categories::MAX (a 0 x 0 or 1 x 1 matrix
    // weights no pair of categories).
    if size < 2 {
        return Err(Error::TooFewCategories { found: size });
    }
    Categories::check_count(size as u64)?;
    let expected = size.saturating_mul(size);
    if weights.len() != expected {
        return Err(Error::WeightCount {
            size,
            expected,
            found: weights.len(),
        });
    }
    crate::domain::check("weight", weights)
}

/// How much credit a pair of different categories earns.
///
/// Linear and quadratic weights are computed over the category *values*, as irrCAC does:
/// ```text
/// linear:    w(i, j) = 1 - |x_i - x_j| / (x_max - x_min)
/// quadratic: w(i, j) = 1 - (x_i - x_j)^2 / (x_max - x_min)^2
/// ```
/// For equally spaced codes (1..=c) these equal the index forms 1 - |i - j|/(c - 1) and
/// 1 - (i - j)^2/(c - 1)^2 of Cohen (1968) and statsmodels; for unequally spaced codes they
/// follow the spacing (statsmodels' default uses the indices; pass the values as its
/// `weights` argument to get these).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Weighting {
    /// Credit only for identical categories (Cohen 1960).
    Unweighted,
    /// Linear ("Cicchetti-Allison") weights over the category values.
    Linear,
    /// Quadratic ("Fleiss-Cohen") weights over the category values.
    Quadratic,
    /// A caller-supplied matrix over the declared categories, from agreement weights
    /// ([`WeightMatrix::agreement`]) or disagreement weights ([`WeightMatrix::disagreement`]).
    Custom(WeightMatrix),
}

impl Weighting {
    /// The `c x c` agreement weights over `categories`, row-major.
    #[allow(clippy::float_cmp)] // declared codes are distinct: equal means the same code
    pub(crate) fn matrix(&self, categories: &Categories) -> Result<Vec<f64>> {
        let c = categories.len();
        let x = categories.values();
        let span = categories.span();
        let build = |f: &dyn Fn(f64, f64) -> f64| -> Vec<f64> {
            let mut w = Vec::with_capacity(c * c);
            for &a in x {
                for &b in x {
                    w.push(f(a, b));
                }
            }
            w
        };
        // |a - b| / span, halving first when codes near f64::MAX would overflow the span.
        let distance = |a: f64, b: f64| {
            if span.is_finite() {
                (a - b).abs() / span
            } else {
                (a / 2.0 - b / 2.0).abs() / categories.half_span()
            }
        };
        Ok(match self {
            Weighting::Unweighted => build(&|a, b| if a == b { 1.0 } else { 0.0 }),
            Weighting::Linear => build(&|a, b| 1.0 - distance(a, b)),
            Weighting::Quadratic => build(&|a, b| 1.0 - distance(a, b).powi(2)),
            Weighting::Custom(m) => {
                if m.size() != c {
                    return Err(Error::WeightMatrixSize {
                        categories: c,
                        found: m.size(),
                    });
                }
                m.weights().to_vec()
            }
        })
    }
}
