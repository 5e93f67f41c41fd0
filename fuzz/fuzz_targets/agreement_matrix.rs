//! Arbitrary small matrices (with missing cells) into every matrix statistic, and arbitrary
//! pairs into every two-rater statistic. Asserts the invariants of `common::check`, the bounds
//! of each coefficient, bit-identical second calls and invariance to the order of targets and
//! raters (items).
#![no_main]

mod common;

use alliance::agreement::{
    Bootstrap, Categories, LimitMultiplier, Metric, WeightMatrix, Weighting, bland_altman,
    brennan_prediger, cohen_kappa, concordance, discrepancy, fleiss_kappa, gwet_ac, icc_table,
    krippendorff_alpha, pearson, spearman,
};
use alliance::reliability::{
    FeldtN, PairwiseOptions, cronbach_alpha, cronbach_alpha_pairwise, item_analysis,
};
use alliance::{Level, Paired, Ratings};
use common::{at_most_one, check, correlation, finite, invariant, number, twice};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

/// Relative tolerance for reordered data (summation order changes the last bits).
const TOL: f64 = 1e-6;

struct Matrix {
    targets: usize,
    raters: usize,
    cells: Vec<Option<f64>>,
}

impl Matrix {
    fn ratings(&self) -> Option<Ratings> {
        Ratings::with_missing(self.targets, self.raters, self.cells.clone()).ok()
    }

    /// Rows in reverse and then rotated, columns rotated: a permutation of both.
    fn permuted(&self, shift_rows: usize, shift_cols: usize) -> Matrix {
        let (t, r) = (self.targets, self.raters);
        let mut cells = Vec::with_capacity(self.cells.len());
        for i in 0..t {
            let row = (t - 1 - i + shift_rows) % t.max(1);
            for j in 0..r {
                let col = (j + shift_cols) % r.max(1);
                cells.push(self.cells[row * r + col]);
            }
        }
        Matrix {
            targets: t,
            raters: r,
            cells,
        }
    }
}

fn matrix(u: &mut Unstructured) -> Result<Matrix> {
    let targets = u.int_in_range(0..=64)?;
    let raters = u.int_in_range(0..=8)?;
    let missing_rate = u.int_in_range(0u8..=4)?;
    let mut cells = Vec::with_capacity(targets * raters);
    for _ in 0..targets * raters {
        let gone = missing_rate > 0 && u.int_in_range(0u8..=15)? < missing_rate;
        cells.push(if gone { None } else { Some(number(u)?) });
    }
    Ok(Matrix {
        targets,
        raters,
        cells,
    })
}

fn level(u: &mut Unstructured) -> Result<Level> {
    Ok(match u.int_in_range(0u8..=7)? {
        0 => Level::new(number(u)?).unwrap_or_default(),
        1 => Level::new(0.9).expect("valid"),
        2 => Level::new(0.99).expect("valid"),
        _ => Level::default(),
    })
}

fn categories(u: &mut Unstructured, values: &[f64]) -> Result<Option<Categories>> {
    if u.int_in_range(0u8..=3)? == 0 {
        let min = u.int_in_range(-3i32..=3)?;
        let max = u.int_in_range(-3i32..=12)?;
        return Ok(Categories::range(min, max).ok());
    }
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    v.dedup();
    Ok(Categories::new(v).ok())
}

fn weighting(u: &mut Unstructured, size: usize) -> Result<Weighting> {
    Ok(match u.int_in_range(0u8..=4)? {
        0 => Weighting::Linear,
        1 => Weighting::Quadratic,
        2 => {
            let weights = (0..size * size)
                .map(|_| finite(u))
                .collect::<Result<Vec<_>>>()?;
            let build = if u.arbitrary()? {
                WeightMatrix::agreement
            } else {
                WeightMatrix::disagreement
            };
            build(size, weights).map_or(Weighting::Unweighted, Weighting::Custom)
        }
        _ => Weighting::Unweighted,
    })
}

fn matrices(u: &mut Unstructured) -> Result<()> {
    let m = matrix(u)?;
    let Some(ratings) = m.ratings() else {
        return Ok(());
    };
    if std::env::var_os("FUZZ_SHOW").is_some() {
        eprintln!("matrix {} x {}: {:?}", m.targets, m.raters, m.cells);
    }
    let shift_rows = u.int_in_range(0..=m.targets)?;
    let shift_cols = u.int_in_range(0..=m.raters)?;
    let p = m.permuted(shift_rows, shift_cols);
    let permuted = p
        .ratings()
        .expect("a permutation of valid ratings is valid");
    let level = level(u)?;

    // ICC: every form bounded by 1, invariant to the order of targets and raters.
    if let Ok(t) = twice("icc_table", || icc_table(&ratings, level)) {
        for icc in t.all() {
            // ICC(A,k) above 1 / lower > upper on tiny matrices: psych's formula (issue 14)
            check(icc.name, &icc);
            at_most_one(icc.name, icc.coefficient.value(), &icc);
            if let Some(ci) = icc.ci.value() {
                at_most_one(icc.name, Some(ci.upper), &icc);
            }
        }
        let other = icc_table(&permuted, level).expect("Ok before reordering");
        invariant("icc_table", &t, &other, TOL);
    }

    // Kappa family.
    let cats = categories(u, &m.cells.iter().flatten().copied().collect::<Vec<_>>())?;
    if let Some(cats) = cats {
        let w = weighting(u, cats.len())?;
        for (name, f) in [
            ("fleiss_kappa", fleiss_kappa as fn(&_, &_, &_, _) -> _),
            ("gwet_ac", gwet_ac),
            ("brennan_prediger", brennan_prediger),
        ] {
            if let Ok(k) = twice(name, || f(&ratings, &cats, &w, level)) {
                check(name, &k);
                at_most_one(name, k.coefficient.value(), &k);
                let other = f(&permuted, &cats, &w, level).expect("Ok before reordering");
                invariant(name, &k, &other, TOL);
            }
        }
    }

    // Krippendorff: the four metrics, sometimes with a small bootstrap.
    for metric in [
        Metric::Nominal,
        Metric::Ordinal,
        Metric::Interval,
        Metric::Ratio,
    ] {
        let boot = if u.int_in_range(0u8..=7)? == 0 {
            Bootstrap::new(u.int_in_range(2usize..=50)?)
                .ok()
                .map(|b| b.with_seed(u.arbitrary().unwrap_or(0)).with_level(level))
        } else {
            None
        };
        let name = "krippendorff_alpha";
        if let Ok(k) = twice(name, || krippendorff_alpha(&ratings, metric, boot)) {
            check(name, &k);
            at_most_one(name, k.coefficient.value(), &k);
            if boot.is_none() {
                let other = krippendorff_alpha(&permuted, metric, None).expect("Ok before");
                invariant(name, &k, &other, TOL);
            }
        }
    }

    // Cronbach's alpha (respondents x items).
    if let Ok(a) = twice("cronbach_alpha", || cronbach_alpha(&ratings, level)) {
        check("cronbach_alpha", &a);
        at_most_one("cronbach_alpha", a.coefficient.value(), &a);
        let other = cronbach_alpha(&permuted, level).expect("Ok before reordering");
        invariant("cronbach_alpha", &a, &other, TOL);
    }
    let feldt = if u.arbitrary()? {
        FeldtN::AllRespondents
    } else {
        FeldtN::SmallestPairwise
    };
    let options = PairwiseOptions::default().with_feldt_n(feldt);
    let name = "cronbach_alpha_pairwise";
    if let Ok(a) = twice(name, || cronbach_alpha_pairwise(&ratings, level, options)) {
        check(name, &a);
        at_most_one(name, a.coefficient.value(), &a);
        let other = cronbach_alpha_pairwise(&permuted, level, options).expect("Ok before");
        invariant(name, &a, &other, TOL);
    }
    if let Ok(a) = twice("item_analysis", || item_analysis(&ratings, level)) {
        check("item_analysis", &a);
        at_most_one("item_analysis", a.alpha.coefficient.value(), &a);
        for item in &a.items {
            at_most_one("item_analysis", item.alpha_if_deleted.value(), &a);
        }
    }
    Ok(())
}

fn pairs(u: &mut Unstructured) -> Result<()> {
    let n = u.int_in_range(0..=64)?;
    let with_gaps = u.arbitrary::<bool>()?;
    let mut first = Vec::with_capacity(n);
    let mut second = Vec::with_capacity(n);
    for _ in 0..n {
        let gone = with_gaps && u.int_in_range(0u8..=7)? == 0;
        first.push(if gone { None } else { Some(number(u)?) });
        second.push(Some(number(u)?));
    }
    let Ok(paired) = Paired::with_missing(&first, &second) else {
        return Ok(());
    };
    if std::env::var_os("FUZZ_SHOW").is_some() {
        eprintln!("first {:?}\nsecond {:?}", paired.first(), paired.second());
    }
    let k = if paired.n() == 0 {
        0
    } else {
        u.int_in_range(0..=paired.n() - 1)?
    };
    let mut f = paired.first().to_vec();
    let mut s = paired.second().to_vec();
    f.rotate_left(k);
    s.rotate_left(k);
    f.reverse();
    s.reverse();
    let rotated = Paired::new(&f, &s).expect("a permutation of valid pairs is valid");
    // The same pairs without the dropped count, to compare with the reordered ones.
    let kept = Paired::new(paired.first(), paired.second()).expect("valid");
    let swapped = Paired::new(paired.second(), paired.first()).expect("valid");
    let level = level(u)?;

    let mut values: Vec<f64> = paired
        .first()
        .iter()
        .chain(paired.second())
        .copied()
        .collect();
    values.push(number(u)?);
    if let Some(cats) = categories(u, &values)? {
        let w = weighting(u, cats.len())?;
        if let Ok(k) = twice("cohen_kappa", || cohen_kappa(&paired, &cats, &w, level)) {
            check("cohen_kappa", &k);
            at_most_one("cohen_kappa", k.coefficient.value(), &k);
            let base = cohen_kappa(&kept, &cats, &w, level).expect("Ok before reordering");
            let other = cohen_kappa(&rotated, &cats, &w, level).expect("Ok before reordering");
            invariant("cohen_kappa", &base, &other, TOL);
        }
    }
    if let Ok(c) = twice("concordance", || concordance(&paired, level)) {
        check("concordance", &c);
        correlation("concordance", c.coefficient.value(), &c);
        let base = concordance(&kept, level).expect("Ok");
        invariant(
            "concordance",
            &base,
            &concordance(&rotated, level).expect("Ok"),
            TOL,
        );
        // Swapping the raters keeps the coefficient and its interval (not the shifts).
        let s = concordance(&swapped, level).expect("Ok");
        invariant(
            "concordance",
            &(c.coefficient, c.ci),
            &(s.coefficient, s.ci),
            TOL,
        );
    }
    for (name, f) in [
        ("pearson", pearson as fn(&_, _) -> _),
        ("spearman", spearman),
    ] {
        if let Ok(c) = twice(name, || f(&paired, level)) {
            check(name, &c);
            correlation(name, c.coefficient.value(), &c);
            let base = f(&kept, level).expect("Ok");
            invariant(name, &base, &f(&rotated, level).expect("Ok"), TOL);
            invariant(name, &base, &f(&swapped, level).expect("Ok"), TOL);
        }
    }
    let multiplier = LimitMultiplier::new(number(u)?)
        .unwrap_or_else(|_| LimitMultiplier::new(1.96).expect("valid"));
    if let Ok(b) = twice("bland_altman", || bland_altman(&paired, multiplier, level)) {
        check("bland_altman", &b);
    }
    let (se1, se2) = (number(u)?, number(u)?);
    if let Ok(d) = twice("discrepancy", || discrepancy(&paired, se1, se2)) {
        check("discrepancy", &d);
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let _ = if u.arbitrary::<bool>().unwrap_or(true) {
        matrices(&mut u)
    } else {
        pairs(&mut u)
    };
});
