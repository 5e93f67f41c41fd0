//! Nested random-intercept models fitted by REML in closed form: sessions in clients in
//! therapists (three levels) and observations in groups (two levels).
//!
//! With y = μ + a_t + b_tc + e_tcs, the covariance of one therapist's sessions, over the
//! residual variance σ², is H_t = I + θ_b blockdiag(J_{n_c}) + θ_a J_{N_t} (θ_a = σ_a²/σ²,
//! θ_b = σ_b²/σ²). Each client block inverts by the Sherman-Morrison formula and each
//! therapist block by a second one, so with
//!
//! ```text
//! w_c = n_c / (1 + θ_b n_c)     s_t = Σ_c w_c     g_t = s_t / (1 + θ_a s_t)
//! m_t = Σ_c w_c ȳ_c / s_t       μ̂ = Σ_t g_t m_t / Σ_t g_t
//! r   = W + Σ_t Σ_c w_c (ȳ_c − m_t)² + Σ_t g_t (m_t − μ̂)²      (W: within-client SS)
//! log det H = Σ_c log(1 + θ_b n_c) + Σ_t log(1 + θ_a s_t)
//! ```
//!
//! the REML criterion profiled over σ² (σ̂² = r/(N − 1)) is
//! `(N − 1)(1 + log(2π r/(N − 1))) + log det H + log Σ_t g_t`, lme4's `REMLcrit`, and its
//! gradient is `tr(P ∂H) − (N − 1) yᵀP ∂H P y / r`, which reduces to sums over therapists and
//! clients (see [`Design::eval`]). Everything is O(clients) per evaluation.

#![allow(clippy::doc_markdown)] // formulas (y = μ + a_t + ...) are maths, not code

use crate::domain;
use crate::outcome::{Outcome, Undefined};
use crate::stats::Sum;
use crate::variance::VarianceComponent;

/// One client's sessions: their number and mean (of the centred values).
#[derive(Debug, Clone, Copy)]
pub(super) struct Cell {
    pub(super) n: f64,
    pub(super) mean: f64,
}

/// The sufficient statistics of a nested design.
#[derive(Debug)]
pub(super) struct Design {
    /// Clients, grouped by therapist.
    pub(super) cells: Vec<Cell>,
    /// End (exclusive) of each therapist's clients in `cells`.
    pub(super) ends: Vec<usize>,
    /// Σ over clients of Σ (y − ȳ_c)².
    pub(super) within: f64,
    /// Observations.
    pub(super) n: usize,
    /// The value subtracted from every observation before the means were taken.
    pub(super) centre: f64,
    /// Every value equal.
    pub(super) constant: bool,
}

/// The criterion and its gradient at one (θ_a, θ_b).
#[derive(Debug, Clone, Copy)]
pub(super) struct Eval {
    /// lme4's REML criterion, −2 × the REML log-likelihood.
    pub(super) criterion: f64,
    /// The residual quadratic form r.
    pub(super) r: f64,
    /// Σ_t g_t = 1ᵀH⁻¹1.
    pub(super) information: f64,
    /// The GLS intercept (centred).
    pub(super) mu: f64,
    pub(super) grad_a: f64,
    pub(super) grad_b: f64,
}

impl Design {
    /// Groups rows visited in `order` (sorted by therapist then client, stable): `value(i)` is
    /// row i's value, `same_therapist(i, j)` and `same_client(i, j)` compare rows' labels
    /// (a client is a (therapist, client) pair).
    pub(super) fn build(
        value: impl Fn(usize) -> f64,
        same_therapist: impl Fn(usize, usize) -> bool,
        same_client: impl Fn(usize, usize) -> bool,
        order: &[usize],
    ) -> Design {
        let values = value;
        let n = order.len();
        let first = order.first().map_or(0.0, |&i| values(i));
        let mut total = Sum::default();
        let mut constant = true;
        for &i in order {
            let v = values(i);
            total.add(v);
            #[allow(clippy::float_cmp)] // exact equality of input values is the point
            {
                constant &= v == first;
            }
        }
        let centre = if constant {
            first
        } else {
            total.value() / n as f64
        };
        let mut cells = Vec::new();
        let mut ends = Vec::new();
        let mut within = Sum::default();
        let mut start = 0;
        while start < n {
            let mut end = start + 1;
            while end < n && same_client(order[start], order[end]) {
                end += 1;
            }
            let rows = &order[start..end];
            let v0 = values(rows[0]);
            #[allow(clippy::float_cmp)] // exact equality of input values is the point
            let same = rows.iter().all(|&i| values(i) == v0);
            let mean = if same {
                v0 - centre
            } else {
                let mut s = Sum::default();
                for &i in rows {
                    s.add(values(i) - centre);
                }
                let mean = s.value() / rows.len() as f64;
                for &i in rows {
                    let d = (values(i) - centre) - mean;
                    within.add(d * d);
                }
                mean
            };
            cells.push(Cell {
                n: rows.len() as f64,
                mean,
            });
            // a new therapist starts when the next row's therapist differs
            if end == n || !same_therapist(order[start], order[end]) {
                ends.push(cells.len());
            }
            start = end;
        }
        Design {
            cells,
            ends,
            within: within.value(),
            n,
            centre,
            constant,
        }
    }

    /// The criterion and gradient at (θ_a, θ_b); `scratch` holds (s_t, m_t) per therapist.
    pub(super) fn eval(&self, ta: f64, tb: f64, scratch: &mut Vec<(f64, f64)>) -> Eval {
        scratch.clear();
        let mut log_det = Sum::default();
        let mut spread = Sum::default();
        let mut big_g = Sum::default();
        let mut gm = Sum::default();
        let mut start = 0;
        for &end in &self.ends {
            let cells = &self.cells[start..end];
            let (mut s, mut sm) = (Sum::default(), Sum::default());
            for c in cells {
                let w = c.n / (1.0 + tb * c.n);
                s.add(w);
                sm.add(w * c.mean);
                log_det.add((tb * c.n).ln_1p());
            }
            let s = s.value();
            let m = sm.value() / s;
            for c in cells {
                let w = c.n / (1.0 + tb * c.n);
                let d = c.mean - m;
                spread.add(w * d * d);
            }
            log_det.add((ta * s).ln_1p());
            let g = s / (1.0 + ta * s);
            big_g.add(g);
            gm.add(g * m);
            scratch.push((s, m));
            start = end;
        }
        let big_g = big_g.value();
        let mu = gm.value() / big_g;
        let mut between = Sum::default();
        for &(s, m) in scratch.iter() {
            let g = s / (1.0 + ta * s);
            between.add(g * (m - mu) * (m - mu));
        }
        let r = self.within + spread.value() + between.value();
        let df = self.n as f64 - 1.0;
        let mut grad_a = Sum::default();
        let mut grad_b = Sum::default();
        let mut start = 0;
        for (&end, &(s, m)) in self.ends.iter().zip(scratch.iter()) {
            let h = 1.0 + ta * s;
            let g = s / h;
            let dm = m - mu;
            grad_a.add(g - g * g / big_g - df * g * g * dm * dm / r);
            for c in &self.cells[start..end] {
                let w = c.n / (1.0 + tb * c.n);
                let e = c.mean - m + dm / h;
                grad_b.add(w - ta * w * w / h - w * w / (h * h * big_g) - df * w * w * e * e / r);
            }
            start = end;
        }
        let criterion =
            df * (1.0 + (2.0 * std::f64::consts::PI * r / df).ln()) + log_det.value() + big_g.ln();
        Eval {
            criterion,
            r,
            information: big_g,
            mu,
            grad_a: grad_a.value(),
            grad_b: grad_b.value(),
        }
    }

    /// The therapists.
    pub(super) fn therapists(&self) -> usize {
        self.ends.len()
    }

    /// Therapists with a single client.
    pub(super) fn therapists_with_one_client(&self) -> usize {
        let mut start = 0;
        let mut count = 0;
        for &end in &self.ends {
            count += usize::from(end - start == 1);
            start = end;
        }
        count
    }

    /// Clients with a single session.
    pub(super) fn clients_with_one_session(&self) -> usize {
        self.cells.iter().filter(|c| c.n < 1.5).count()
    }
}

/// The REML estimates of the variance ratios, or why there are none.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fit {
    pub(super) ta: f64,
    pub(super) tb: f64,
    pub(super) at: Eval,
}

/// Largest variance ratio searched: beyond it the residual variance is zero to working
/// precision.
const RATIO_LIMIT: f64 = 1e15;

/// Minimises the REML criterion over θ_b ≥ 0 (θ_a fixed), or over both when `three_level`.
pub(super) fn fit(design: &Design, three_level: bool) -> Option<Fit> {
    let mut scratch = Vec::with_capacity(design.ends.len());
    let mut failed = false;
    let inner = |ta: f64, scratch: &mut Vec<(f64, f64)>, failed: &mut bool| -> f64 {
        let tb = argmin_nonnegative(|tb| design.eval(ta, tb, scratch).grad_b);
        match tb {
            Some(tb) => tb,
            None => {
                *failed = true;
                0.0
            }
        }
    };
    let ta = if three_level {
        let ta = argmin_nonnegative(|ta| {
            let tb = inner(ta, &mut scratch, &mut failed);
            design.eval(ta, tb, &mut scratch).grad_a
        })?;
        if failed {
            return None;
        }
        ta
    } else {
        0.0
    };
    let tb = inner(ta, &mut scratch, &mut failed);
    if failed {
        return None;
    }
    let at = design.eval(ta, tb, &mut scratch);
    let usable = [at.criterion, at.r, at.information, at.mu]
        .iter()
        .all(|v| v.is_finite());
    usable.then_some(Fit { ta, tb, at })
}

/// The minimiser over x ≥ 0 of a function whose derivative is `d`: 0 when d(0) ≥ 0 (the
/// boundary), else the first upward zero crossing of d, bracketed by doubling and found by
/// Brent's method (which keeps the sign change (−, +) and so converges to a minimum).
/// `None` when d stays negative up to [`RATIO_LIMIT`] or is not a number.
fn argmin_nonnegative(mut d: impl FnMut(f64) -> f64) -> Option<f64> {
    let d0 = d(0.0);
    if d0.is_nan() {
        return None;
    }
    if d0 >= 0.0 {
        return Some(0.0);
    }
    let (mut lo, mut dlo) = (0.0, d0);
    let mut hi = 1.0;
    let mut dhi = d(hi);
    while dhi < 0.0 {
        if hi >= RATIO_LIMIT {
            return None;
        }
        (lo, dlo) = (hi, dhi);
        hi *= 8.0;
        dhi = d(hi);
    }
    if dhi.is_nan() {
        return None;
    }
    Some(zeroin(d, lo, hi, dlo, dhi))
}

/// Brent's (1973) zero finder, as netlib's `zeroin`, to full double precision.
#[allow(clippy::float_cmp, clippy::many_single_char_names)]
fn zeroin(mut f: impl FnMut(f64) -> f64, a: f64, b: f64, fa: f64, fb: f64) -> f64 {
    let (mut a, mut b, mut fa, mut fb) = (a, b, fa, fb);
    let (mut c, mut fc) = (a, fa);
    let mut d = b - a;
    let mut e = d;
    for _ in 0..300 {
        if (fb > 0.0) == (fc > 0.0) && fb != 0.0 && fc != 0.0 {
            c = a;
            fc = fa;
            d = b - a;
            e = d;
        }
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol = 2.0 * f64::EPSILON * b.abs() + f64::MIN_POSITIVE;
        let xm = 0.5 * (c - b);
        if xm.abs() <= tol || fb == 0.0 {
            return b;
        }
        if e.abs() >= tol && fa.abs() > fb.abs() {
            let s = fb / fa;
            let (mut p, mut q);
            if a == c {
                p = 2.0 * xm * s;
                q = 1.0 - s;
            } else {
                let qq = fa / fc;
                let r = fb / fc;
                p = s * (2.0 * xm * qq * (qq - r) - (b - a) * (r - 1.0));
                q = (qq - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if p > 0.0 {
                q = -q;
            }
            p = p.abs();
            if 2.0 * p < 3.0 * xm * q - (tol * q).abs() && p < (0.5 * e * q).abs() {
                e = d;
                d = p / q;
            } else {
                d = xm;
                e = d;
            }
        } else {
            d = xm;
            e = d;
        }
        a = b;
        fa = fb;
        b += if d.abs() > tol { d } else { tol.copysign(xm) };
        fb = f(b);
        if fb.is_nan() {
            return a;
        }
    }
    b
}

impl VarianceComponent {
    pub(super) fn undefined(why: Undefined) -> VarianceComponent {
        VarianceComponent::new(Outcome::Undefined(why), Outcome::Undefined(why), false)
    }

    pub(super) fn of(variance: f64, total: f64) -> VarianceComponent {
        VarianceComponent::new(defined(variance), defined(total), variance == 0.0)
    }
}

/// A finite value, or [`Undefined::OutOfRange`].
pub(super) fn defined(x: f64) -> Outcome<f64> {
    if x.is_finite() {
        Outcome::Defined(x)
    } else {
        Outcome::Undefined(Undefined::OutOfRange)
    }
}

/// Checks every value of the domain, in input order.
pub(super) fn check_values(
    what: &'static str,
    values: impl Iterator<Item = f64>,
) -> crate::Result<()> {
    for (i, v) in values.enumerate() {
        domain::check_one(what, i, v)?;
    }
    Ok(())
}
