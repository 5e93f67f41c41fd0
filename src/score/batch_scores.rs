//! The result of batch scoring: flat, row-major buffers written by both batch paths. A leaf
//! module, so that the general path (`batch`) and the fast path (`codes`) both depend on it
//! and not on each other's internals.

/// The scores of a batch, one row per response: totals and subscale scores in the
/// instrument's native metric, and how many items each response answered.
///
/// With feature `serde` it serializes (`totals`, `subscales` row-major, `answered`,
/// `subscales_per_response`); it does not deserialize (a result is computed, not read).
///
/// # Example
/// ```
/// use alliance::{catalog, BatchScorer};
/// let scores = BatchScorer::new(&catalog::wai_sr()).score_codes(&[4; 24], None)?;
/// assert_eq!(scores.len(), 2);
/// assert_eq!(scores.subscale(0, 1), Some(4.0)); // response 0, second subscale (Bond)
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct BatchScores {
    pub(super) totals: Vec<f64>,
    /// Row-major: response `r`'s subscale `s` at `r * n_subscales + s`.
    pub(super) subscales: Vec<f64>,
    pub(super) answered: Vec<u32>,
    #[cfg_attr(feature = "serde", serde(rename = "subscales_per_response"))]
    pub(super) n_subscales: usize,
}

impl BatchScores {
    /// Number of responses scored.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, BatchScorer};
    /// let scores = BatchScorer::new(&catalog::arm_5()).score_codes(&[4; 15], None)?;
    /// assert_eq!(scores.len(), 3);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.totals.len()
    }

    /// True when no response was scored.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, BatchScorer};
    /// let scores = BatchScorer::new(&catalog::arm_5()).score_codes(&[], None)?;
    /// assert!(scores.is_empty());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.totals.is_empty()
    }

    /// The totals in the native metric, one per response.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, BatchScorer};
    /// // HAq-II sums 19 items; items 4 8 11 16 19 are reversed (7 - x)
    /// let scores = BatchScorer::new(&catalog::haq_ii()).score_codes(&[6; 19], None)?;
    /// assert_eq!(scores.totals(), &[14.0 * 6.0 + 5.0 * 1.0]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn totals(&self) -> &[f64] {
        &self.totals
    }

    /// Subscale `subscale` of response `response`, in the native metric.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, BatchScorer};
    /// let scores = BatchScorer::new(&catalog::wai_sr()).score_codes(&[3; 12], None)?;
    /// assert_eq!(scores.subscale(0, 0), Some(3.0)); // Task
    /// assert_eq!(scores.subscale(0, 3), None); // WAI-SR has three subscales
    /// assert_eq!(scores.subscale(1, 0), None); // one response only
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn subscale(&self, response: usize, subscale: usize) -> Option<f64> {
        if subscale >= self.n_subscales {
            return None;
        }
        // Checked: a huge `response` must not wrap onto another response's subscale.
        let at = response
            .checked_mul(self.n_subscales)?
            .checked_add(subscale)?;
        self.subscales.get(at).copied()
    }

    /// Items answered, one count per response (fewer than the item count means prorated).
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, BatchScorer};
    /// let codes = [4, 0, 4, 4, 4]; // ARM-5, item 2 blank (code 0)
    /// let scores = BatchScorer::new(&catalog::arm_5()).score_codes(&codes, Some(0))?;
    /// assert_eq!(scores.answered(), &[4]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn answered(&self) -> &[u32] {
        &self.answered
    }

    /// Appends scored responses: their totals, subscale scores (row-major) and answer counts.
    pub(super) fn extend_block(&mut self, totals: &[f64], subscales: &[f64], answered: &[u32]) {
        self.totals.extend_from_slice(totals);
        self.subscales.extend_from_slice(subscales);
        self.answered.extend_from_slice(answered);
    }

    /// Empties the buffers and reserves room for `responses` rows, reusing allocations.
    pub(super) fn reset(&mut self, responses: usize, n_subscales: usize) {
        self.totals.clear();
        self.totals.reserve(responses);
        self.subscales.clear();
        self.subscales.reserve(responses * n_subscales);
        self.answered.clear();
        self.answered.reserve(responses);
        self.n_subscales = n_subscales;
    }
}
