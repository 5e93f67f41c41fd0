//! Batch scoring: many responses of one instrument from one flat, row-major buffer, in a
//! single pass that allocates only the output.

use super::batch_scores::BatchScores;
use super::codes;
use super::scope::{check_missing, scope_value};
use crate::error::{Error, Result};
use crate::instrument::{Instrument, Keying, ScoringRule};

/// Scores many responses of one instrument at once. Build it once per instrument; each call
/// reads a row-major buffer (response 0's items 1..k, then response 1's, ...) with `None` for
/// missing answers, checks every answer exactly as [`Response`](crate::Response) does, applies
/// the same missing-data rule as [`score`](crate::score), and returns totals and subscale
/// scores in the instrument's native metric.
///
/// Two input forms: `Option<f64>` for any scale, and compact one-byte codes with a declared
/// missing-answer code for integer (Likert) scales within 0-255, several times faster because
/// it reads a byte per answer and sums integers.
///
/// It has no serde support: it is a precomputed plan of its instrument, not data; store or
/// send the [`Instrument`] and build the scorer from it.
///
/// # Example
/// ```
/// use alliance::{catalog, BatchScorer};
/// let wai_sr = catalog::wai_sr();
/// let scorer = BatchScorer::new(&wai_sr);
/// let answers: Vec<Option<f64>> = [[4.0; 12], [5.0; 12]].concat().into_iter().map(Some).collect();
/// let scores = scorer.score(&answers)?;
/// assert_eq!(scores.totals(), &[4.0, 5.0]); // WAI-SR scores the item mean
/// assert_eq!(scores.subscale(1, 0), Some(5.0)); // response 1, first subscale (Task)
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct BatchScorer {
    instrument: Instrument,
    /// Per item: reverse keyed or not.
    reverse: Vec<bool>,
    /// Item indices grouped by subscale; subscale `s` owns `members[bounds[s]..bounds[s + 1]]`.
    members: Vec<usize>,
    bounds: Vec<usize>,
    sub_allowed: Vec<usize>,
    total_allowed: usize,
}

impl BatchScorer {
    /// A scorer for `instrument`.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, BatchScorer};
    /// let scorer = BatchScorer::new(&catalog::arm_5());
    /// assert_eq!(scorer.instrument().id(), "ARM-5");
    /// ```
    pub fn new(instrument: &Instrument) -> BatchScorer {
        let rule = instrument.missing_rule();
        let mut members = Vec::with_capacity(instrument.items().len());
        let mut bounds = vec![0];
        for sub in instrument.subscales() {
            members.extend(sub.items().iter().map(|&n| usize::from(n) - 1));
            bounds.push(members.len());
        }
        BatchScorer {
            instrument: instrument.clone(),
            reverse: instrument
                .items()
                .iter()
                .map(|i| i.keying() == Keying::Reverse)
                .collect(),
            members,
            bounds,
            sub_allowed: instrument
                .subscales()
                .iter()
                .map(|s| rule.max_subscale(s.items().len()))
                .collect(),
            total_allowed: rule.max_total(),
        }
    }

    /// The instrument scored.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, BatchScorer};
    /// let scorer = BatchScorer::new(&catalog::haq_ii());
    /// assert_eq!(scorer.instrument().items().len(), 19);
    /// ```
    pub fn instrument(&self) -> &Instrument {
        &self.instrument
    }

    /// Scores a buffer of `f64` answers.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when the buffer is not a whole number of responses;
    /// [`Error::InBatch`] naming the first invalid response (0-based) and what was wrong with
    /// it (an answer off the scale, too many missing).
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, BatchScorer, Error};
    /// let scorer = BatchScorer::new(&catalog::arm_5()); // 5 items, 1-7, item mean
    /// let answers = [Some(6.0), Some(5.0), Some(3.0), Some(6.0), Some(6.0), // item 3 reversed: 5
    ///                Some(7.0), None, Some(1.0), Some(7.0), Some(7.0)];     // item 2 missing
    /// let scores = scorer.score(&answers)?;
    /// assert_eq!(scores.totals(), &[5.6, 7.0]);
    /// assert_eq!(scores.answered(), &[5, 4]);
    /// // the third answer of response 1 is off the scale
    /// let mut bad = [Some(6.0); 10];
    /// bad[7] = Some(8.0);
    /// assert!(matches!(scorer.score(&bad), Err(Error::InBatch { response: 1, .. })));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn score(&self, answers: &[Option<f64>]) -> Result<BatchScores> {
        let mut out = BatchScores::default();
        self.score_into(answers, &mut out)?;
        Ok(out)
    }

    /// As [`BatchScorer::score`], reusing `out`'s buffers.
    ///
    /// # Errors
    /// As [`BatchScorer::score`]; `out` then holds the responses before the invalid one.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, BatchScorer, BatchScores};
    /// let scorer = BatchScorer::new(&catalog::wai_sr());
    /// let mut out = BatchScores::default();
    /// for chunk in [[Some(4.0); 24], [Some(2.0); 24]] {
    ///     scorer.score_into(&chunk, &mut out)?; // the buffers are reused
    ///     assert_eq!(out.len(), 2);
    /// }
    /// assert_eq!(out.totals(), &[2.0, 2.0]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn score_into(&self, answers: &[Option<f64>], out: &mut BatchScores) -> Result<()> {
        let scale = self.instrument.scale();
        self.run(answers, out, move |item, x: f64, reverse| {
            let keyed = if reverse { scale.reversed(x) } else { x };
            (keyed, scale.check(item, x).is_err())
        })
    }

    /// Scores a buffer of compact one-byte answer codes, for integer scales within 0-255.
    /// `missing` declares the code that marks a missing answer (e.g. `Some(0)` on a 1-5
    /// scale, as in many data exports); it must lie off the scale. `None`: no answer is
    /// missing, and every byte must be on the scale.
    ///
    /// This is the fast path: for instruments of up to 40 items, several answers are checked,
    /// keyed and summed per instruction (eight codes per `u64` word), scores come from tables
    /// of every possible sum, and rows with missing answers are prorated in the same pass;
    /// results are bit-identical to [`score`](crate::score) one response at a time.
    ///
    /// # Errors
    /// [`Error::NotByteScale`] when the instrument's scale is not an integer scale within
    /// 0-255; [`Error::MissingCodeOnScale`] when the missing code lies on the scale; otherwise
    /// as [`BatchScorer::score`].
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, BatchScorer};
    /// let scorer = BatchScorer::new(&catalog::wai_sr());
    /// // two responses; the second leaves item 5 blank (code 0)
    /// let codes = [4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 0, 5, 5, 5, 5, 5, 5, 5];
    /// let scores = scorer.score_codes(&codes, Some(0))?;
    /// assert_eq!(scores.totals(), &[4.0, 5.0]);
    /// assert_eq!(scores.answered(), &[12, 11]);
    /// assert!(scorer.score_codes(&codes, Some(3)).is_err()); // 3 is an answer, not a code
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn score_codes(&self, answers: &[u8], missing: Option<u8>) -> Result<BatchScores> {
        let mut out = BatchScores::default();
        self.score_codes_into(answers, missing, &mut out)?;
        Ok(out)
    }

    /// As [`BatchScorer::score_codes`], reusing `out`'s buffers.
    ///
    /// # Errors
    /// As [`BatchScorer::score_codes`]; `out` then holds the responses before the invalid one.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, BatchScorer, BatchScores};
    /// let scorer = BatchScorer::new(&catalog::wai_sr());
    /// let mut out = BatchScores::default();
    /// scorer.score_codes_into(&[5; 36], None, &mut out)?;
    /// assert_eq!(out.totals(), &[5.0, 5.0, 5.0]);
    /// // a failed call keeps the responses before the invalid one
    /// let mut codes = [5u8; 36];
    /// codes[20] = 9; // response 1, item 9
    /// assert!(scorer.score_codes_into(&codes, None, &mut out).is_err());
    /// assert_eq!(out.totals(), &[5.0]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn score_codes_into(
        &self,
        answers: &[u8],
        missing: Option<u8>,
        out: &mut BatchScores,
    ) -> Result<()> {
        let scale = self.instrument.scale();
        let (min, max) = scale.as_u8_range().ok_or(Error::NotByteScale {
            min: scale.min(),
            max: scale.max(),
            step: scale.step(),
        })?;
        if let Some(code) = missing
            && (min..=max).contains(&code)
        {
            return Err(Error::MissingCodeOnScale { code, min, max });
        }
        let responses = self.responses(answers.len())?;
        out.reset(responses, self.sub_allowed.len());
        let reversed = u32::from(min) + u32::from(max);
        let key = |_, x: u8, reverse| {
            let off_scale = !(min..=max).contains(&x);
            let x = u32::from(x);
            // An off-scale answer may wrap here; such a row is reported, never scored.
            let keyed = if reverse { reversed.wrapping_sub(x) } else { x };
            (keyed, off_scale)
        };
        // Rows the fast path cannot score (off the scale, too many missing, or instruments of
        // over 40 items) take the general path, through one buffer reused for every such row.
        let mut scratch: Vec<Option<u8>> = Vec::with_capacity(self.reverse.len());
        let mut general = |r: usize, row: &[u8], out: &mut BatchScores| {
            scratch.clear();
            scratch.extend(row.iter().map(|&x| (Some(x) != missing).then_some(x)));
            self.score_row(r, &scratch, out, key)
        };
        let fast = codes::Key {
            min,
            max,
            missing,
            reverse: &self.reverse,
            subscales: (0..self.sub_allowed.len())
                .map(|s| {
                    let members = &self.members[self.bounds[s]..self.bounds[s + 1]];
                    (members, self.sub_allowed[s])
                })
                .collect(),
            total_allowed: self.total_allowed,
            mean_rule: self.mean_rule(),
        };
        match codes::score_codes(&fast, answers, out, &mut general) {
            Some(done) => done,
            None => answers
                .chunks_exact(self.reverse.len())
                .enumerate()
                .try_for_each(|(r, row)| general(r, row, out)),
        }
    }

    /// The answers' `(min, max)`.
    fn scale(&self) -> (f64, f64) {
        let s = self.instrument.scale();
        (s.min(), s.max())
    }

    fn mean_rule(&self) -> bool {
        self.instrument.scoring() == ScoringRule::Mean
    }

    fn responses(&self, len: usize) -> Result<usize> {
        let k = self.reverse.len();
        if !len.is_multiple_of(k) {
            return Err(Error::LengthMismatch {
                what: "batch buffer (a whole number of responses)",
                expected: (len / k + 1) * k,
                found: len,
            });
        }
        Ok(len / k)
    }

    /// The general pass: every row through [`BatchScorer::score_row`].
    fn run<T, V>(
        &self,
        answers: &[Option<T>],
        out: &mut BatchScores,
        key: impl Fn(u16, T, bool) -> (V, bool) + Copy,
    ) -> Result<()>
    where
        T: Copy + Into<f64>,
        V: Copy + Default + std::ops::Add<Output = V> + Into<f64>,
    {
        let responses = self.responses(answers.len())?;
        out.reset(responses, self.sub_allowed.len());
        for (r, row) in answers.chunks_exact(self.reverse.len()).enumerate() {
            self.score_row(r, row, out, key)?;
        }
        Ok(())
    }

    /// Scores one response and appends its scores: `key(item, answer, reverse)` gives the
    /// keyed value and whether the answer is off the scale. Sums stay in `V` (exact integers
    /// for `u8`) until the scores are written.
    fn score_row<T, V>(
        &self,
        r: usize,
        row: &[Option<T>],
        out: &mut BatchScores,
        key: impl Fn(u16, T, bool) -> (V, bool),
    ) -> Result<()>
    where
        T: Copy + Into<f64>,
        V: Copy + Default + std::ops::Add<Output = V> + Into<f64>,
    {
        let in_batch = |e| Error::InBatch {
            response: r,
            source: Box::new(e),
        };
        let scale = self.instrument.scale();
        let keyed = |j: usize| -> Result<Option<V>> {
            match row[j] {
                None => Ok(None),
                Some(x) => {
                    let (v, off_scale) = key(j as u16 + 1, x, self.reverse[j]);
                    if off_scale {
                        scale.check(j as u16 + 1, x.into())?;
                    }
                    Ok(Some(v))
                }
            }
        };
        let scope = |members: &mut dyn Iterator<Item = usize>| -> Result<(f64, usize)> {
            let (mut sum, mut n) = (V::default(), 0);
            for j in members {
                if let Some(v) = keyed(j)? {
                    sum = sum + v;
                    n += 1;
                }
            }
            Ok((sum.into(), n))
        };
        let k = row.len();
        let (total, n) = scope(&mut (0..k)).map_err(in_batch)?;
        check_missing("total", k, n, self.total_allowed).map_err(in_batch)?;
        let mark = out.subscales.len();
        for (s, sub) in self.instrument.subscales().iter().enumerate() {
            let members = &self.members[self.bounds[s]..self.bounds[s + 1]];
            let scored = scope(&mut members.iter().copied()).and_then(|(sum, answered)| {
                check_missing(sub.name(), members.len(), answered, self.sub_allowed[s])?;
                Ok(scope_value(
                    self.mean_rule(),
                    sum,
                    answered,
                    members.len(),
                    self.scale(),
                ))
            });
            match scored {
                Ok(v) => out.subscales.push(v),
                Err(e) => {
                    out.subscales.truncate(mark);
                    return Err(in_batch(e));
                }
            }
        }
        out.totals
            .push(scope_value(self.mean_rule(), total, n, k, self.scale()));
        out.answered.push(n as u32);
        Ok(())
    }
}
