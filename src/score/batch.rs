//! Batch scoring: many responses of one instrument from one flat, row-major buffer, in a
//! single pass that allocates only the output.

use super::check_missing;
use crate::error::{Error, Result};
use crate::instrument::{Instrument, Keying, ScoringRule};

/// Scores many responses of one instrument at once. Build it once per instrument; each call
/// reads a row-major buffer (response 0's items 1..k, then response 1's, ...) with `None` for
/// missing answers, checks every answer exactly as [`Response`](crate::Response) does, applies
/// the same missing-data rule as [`score`](crate::score), and returns totals and subscale
/// scores in the instrument's native metric.
///
/// Two input forms: `Option<f64>` for any scale, and compact `Option<u8>` for integer
/// (Likert) scales within 0-255, which is several times faster because sums stay integers.
///
/// # Example
/// ```
/// use alliance::{catalog, BatchScorer};
/// let wai_sr = catalog::wai_sr();
/// let scorer = BatchScorer::new(&wai_sr);
/// let answers: Vec<Option<u8>> = [[4u8; 12], [5; 12]].concat().into_iter().map(Some).collect();
/// let scores = scorer.score_u8(&answers)?;
/// assert_eq!(scores.totals(), &[4.0, 5.0]); // WAI-SR scores the item mean
/// assert_eq!(scores.subscale(1, 0), Some(5.0)); // response 1, first subscale (Task)
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct BatchScorer {
    instrument: Instrument,
    /// Per item: the subscale it adds to (`subscales.len()` for none) and its keying.
    plan: Vec<(usize, bool)>,
    sub_items: Vec<usize>,
    sub_allowed: Vec<usize>,
    total_allowed: usize,
}

/// The scores of a batch, one row per response.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct BatchScores {
    totals: Vec<f64>,
    subscales: Vec<f64>,
    answered: Vec<u32>,
    n_subscales: usize,
}

impl BatchScores {
    /// Number of responses scored.
    pub fn len(&self) -> usize {
        self.totals.len()
    }

    /// True when no response was scored.
    pub fn is_empty(&self) -> bool {
        self.totals.is_empty()
    }

    /// The totals in the native metric, one per response.
    pub fn totals(&self) -> &[f64] {
        &self.totals
    }

    /// Subscale `subscale` of response `response`, in the native metric.
    pub fn subscale(&self, response: usize, subscale: usize) -> Option<f64> {
        if subscale >= self.n_subscales {
            return None;
        }
        self.subscales
            .get(response * self.n_subscales + subscale)
            .copied()
    }

    /// Items answered, one count per response (fewer than the item count means prorated).
    pub fn answered(&self) -> &[u32] {
        &self.answered
    }

    fn clear_for(&mut self, responses: usize, n_subscales: usize) {
        self.totals.clear();
        self.totals.reserve(responses);
        self.subscales.clear();
        self.subscales.reserve(responses * n_subscales);
        self.answered.clear();
        self.answered.reserve(responses);
        self.n_subscales = n_subscales;
    }
}

impl BatchScorer {
    /// A scorer for `instrument`.
    pub fn new(instrument: &Instrument) -> BatchScorer {
        let n_sub = instrument.subscales().len();
        let rule = instrument.missing_rule();
        BatchScorer {
            instrument: instrument.clone(),
            plan: instrument
                .items()
                .iter()
                .map(|i| (i.subscale().unwrap_or(n_sub), i.keying() == Keying::Reverse))
                .collect(),
            sub_items: instrument
                .subscales()
                .iter()
                .map(|s| s.items().len())
                .collect(),
            sub_allowed: instrument
                .subscales()
                .iter()
                .map(|s| rule.max_subscale(s.items().len()))
                .collect(),
            total_allowed: rule.max_total(),
        }
    }

    /// The instrument scored.
    pub fn instrument(&self) -> &Instrument {
        &self.instrument
    }

    /// Scores a buffer of `f64` answers.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when the buffer is not a whole number of responses;
    /// [`Error::InBatch`] naming the first invalid response (0-based) and what was wrong with
    /// it (an answer off the scale, too many missing).
    pub fn score(&self, answers: &[Option<f64>]) -> Result<BatchScores> {
        let mut out = BatchScores::default();
        self.score_into(answers, &mut out)?;
        Ok(out)
    }

    /// As [`BatchScorer::score`], reusing `out`'s buffers.
    ///
    /// # Errors
    /// As [`BatchScorer::score`]; `out` holds the responses before the invalid one.
    pub fn score_into(&self, answers: &[Option<f64>], out: &mut BatchScores) -> Result<()> {
        let k = self.plan.len();
        let responses = self.responses(answers.len())?;
        out.clear_for(responses, self.sub_items.len());
        let scale = self.instrument.scale();
        let reversed = scale.min() + scale.max();
        let mut sums = vec![0.0; self.sub_items.len() + 1];
        let mut counts = vec![0usize; self.sub_items.len() + 1];
        for (r, row) in answers.chunks_exact(k).enumerate() {
            sums.fill(0.0);
            counts.fill(0);
            let (mut total, mut n) = (0.0, 0usize);
            for (&(slot, reverse), (item, answer)) in self.plan.iter().zip(row.iter().enumerate()) {
                if let Some(x) = *answer {
                    scale
                        .check(item as u16 + 1, x)
                        .map_err(|e| in_batch(r, e))?;
                    let x = if reverse { reversed - x } else { x };
                    total += x;
                    n += 1;
                    sums[slot] += x;
                    counts[slot] += 1;
                }
            }
            self.push(out, r, total, n, &sums, &counts)?;
        }
        Ok(())
    }

    /// Scores a buffer of compact `u8` answers (integer scales within 0-255 only).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when the instrument's scale is not an integer scale
    /// within 0-255; otherwise as [`BatchScorer::score`].
    pub fn score_u8(&self, answers: &[Option<u8>]) -> Result<BatchScores> {
        let mut out = BatchScores::default();
        self.score_u8_into(answers, &mut out)?;
        Ok(out)
    }

    /// As [`BatchScorer::score_u8`], reusing `out`'s buffers.
    ///
    /// # Errors
    /// As [`BatchScorer::score_u8`]; `out` holds the responses before the invalid one.
    pub fn score_u8_into(&self, answers: &[Option<u8>], out: &mut BatchScores) -> Result<()> {
        let scale = self.instrument.scale();
        let (min, max) = scale.as_u8_range().ok_or(Error::InvalidParameter {
            name: "scale step",
            value: scale.step().unwrap_or(0.0),
            expected: "an integer scale within 0-255 for u8 answers",
        })?;
        let k = self.plan.len();
        let responses = self.responses(answers.len())?;
        out.clear_for(responses, self.sub_items.len());
        let width = max - min;
        let reversed = u32::from(min) + u32::from(max);
        let mut sums = vec![0u32; self.sub_items.len() + 1];
        let mut counts = vec![0usize; self.sub_items.len() + 1];
        let mut fsums = vec![0.0; self.sub_items.len() + 1];
        for (r, row) in answers.chunks_exact(k).enumerate() {
            sums.fill(0);
            counts.fill(0);
            let (mut total, mut n, mut off_scale) = (0u32, 0usize, false);
            for (&(slot, reverse), answer) in self.plan.iter().zip(row) {
                if let Some(x) = *answer {
                    off_scale |= x.wrapping_sub(min) > width;
                    let x = u32::from(x);
                    // wrapping: an off-scale answer may underflow here; it is reported below
                    let x = if reverse { reversed.wrapping_sub(x) } else { x };
                    total = total.wrapping_add(x);
                    n += 1;
                    sums[slot] = sums[slot].wrapping_add(x);
                    counts[slot] += 1;
                }
            }
            if off_scale {
                return Err(self.first_bad_u8(r, row));
            }
            for (f, &s) in fsums.iter_mut().zip(&sums) {
                *f = f64::from(s);
            }
            self.push(out, r, f64::from(total), n, &fsums, &counts)?;
        }
        Ok(())
    }

    fn responses(&self, len: usize) -> Result<usize> {
        let k = self.plan.len();
        if len % k != 0 {
            return Err(Error::LengthMismatch {
                what: "batch buffer (a whole number of responses)",
                expected: (len / k + 1) * k,
                found: len,
            });
        }
        Ok(len / k)
    }

    /// Applies the missing-data rule to one response's sums and appends its scores.
    fn push(
        &self,
        out: &mut BatchScores,
        r: usize,
        total: f64,
        answered: usize,
        sums: &[f64],
        counts: &[usize],
    ) -> Result<()> {
        let k = self.plan.len();
        let mean_rule = self.instrument.scoring() == ScoringRule::Mean;
        let value = |sum: f64, n: usize, items: usize| {
            if mean_rule {
                sum / n as f64
            } else if n == items {
                sum
            } else {
                sum / n as f64 * items as f64
            }
        };
        if answered < k {
            check_missing("total", k, answered, self.total_allowed).map_err(|e| in_batch(r, e))?;
        }
        out.totals.push(value(total, answered, k));
        out.answered.push(answered as u32);
        for (s, (&items, &allowed)) in self.sub_items.iter().zip(&self.sub_allowed).enumerate() {
            if counts[s] < items {
                let name = self.instrument.subscales()[s].name();
                check_missing(name, items, counts[s], allowed).map_err(|e| in_batch(r, e))?;
            }
            out.subscales.push(value(sums[s], counts[s], items));
        }
        Ok(())
    }

    fn first_bad_u8(&self, r: usize, row: &[Option<u8>]) -> Error {
        let scale = self.instrument.scale();
        row.iter()
            .enumerate()
            .find_map(|(i, a)| a.and_then(|x| scale.check(i as u16 + 1, f64::from(x)).err()))
            .map_or(
                Error::InvalidParameter {
                    name: "batch answer",
                    value: 0.0,
                    expected: "on the scale",
                },
                |e| in_batch(r, e),
            )
    }
}

fn in_batch(response: usize, e: Error) -> Error {
    Error::InBatch {
        response,
        source: Box::new(e),
    }
}
