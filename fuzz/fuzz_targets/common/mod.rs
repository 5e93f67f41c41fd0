//! Shared by every fuzz target: value generators that favour the values statistics break on,
//! and the invariants every `Ok` result must satisfy.
#![allow(dead_code)]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use serde::Serialize;
use serde_json::Value;
use std::fmt::Debug;

/// A number: mostly the small integers and one-decimal values of real rating scales, sometimes
/// huge, tiny, subnormal or any bit pattern at all (NaN and infinities included).
pub fn number(u: &mut Unstructured) -> Result<f64> {
    Ok(match u.int_in_range(0u8..=16)? {
        0..=5 => f64::from(u.int_in_range(0u8..=7)?),
        6..=7 => f64::from(u.int_in_range(0u16..=70)?) / 10.0,
        8 => f64::from(u.int_in_range(-40i16..=40)?) / 4.0,
        9 => {
            let m = f64::from(u.int_in_range(1u8..=9)?);
            let e = u.int_in_range(-320i32..=308)?;
            let sign = if u.arbitrary::<bool>()? { -1.0 } else { 1.0 };
            sign * m * 10f64.powi(e)
        }
        10 => f64::from_bits(u.arbitrary::<u64>()?),
        11 => f64::from_bits(u.int_in_range(1u64..=0x000f_ffff_ffff_ffff)?),
        12 => 1e13 + f64::from(u.int_in_range(0u8..=3)?),
        13 => *u.choose(&[
            0.0,
            -0.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::EPSILON,
            1.0 - f64::EPSILON / 2.0,
            1e154,
            1e165,
            1e300,
            -1e300,
        ])?,
        // the edges of the numeric domain (alliance::domain), just inside and just outside
        14 => {
            let edge = *u.choose(&[1e100, 1e-100, 5.4e99, 1.7e-100, 9.999999999999999e99])?;
            let sign = if u.arbitrary::<bool>()? { -1.0 } else { 1.0 };
            let nudge = *u.choose(&[1.0, 1.0 + f64::EPSILON, 1.0 - f64::EPSILON / 2.0])?;
            sign * edge * nudge
        }
        _ => u.arbitrary::<f64>()?,
    })
}

/// A finite number (what constructors accept), same mix as [`number`].
pub fn finite(u: &mut Unstructured) -> Result<f64> {
    let x = number(u)?;
    Ok(if x.is_finite() { x } else { 0.0 })
}

/// The Debug text has no NaN and no infinity (Debug prints f64 round-trip exactly). Text
/// inside string literals is skipped: a licence may say "NaN" (a serde_roundtrip false alarm).
pub fn assert_no_nonfinite<T: Debug>(what: &str, x: &T) {
    let s = format!("{x:?}");
    let mut outside = String::with_capacity(s.len());
    let (mut quoted, mut escaped) = (false, false);
    for c in s.chars() {
        match (quoted, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (_, false, '"') => quoted = !quoted,
            (false, _, c) => outside.push(c),
            _ => {}
        }
    }
    for token in outside.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        assert!(
            token != "NaN" && token != "inf",
            "{what}: NaN or infinity inside Ok: {s}"
        );
    }
}

fn defined(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::Object(m) if m.len() == 1 => m.get("Defined").and_then(defined),
        _ => None,
    }
}

fn is_p(key: &str) -> bool {
    key == "p" || (key.starts_with("p_") && key != "p_method")
}

fn walk(what: &str, v: &Value, whole: &str) {
    match v {
        Value::Object(m) => {
            let lower = m.get("lower").and_then(Value::as_f64);
            let upper = m.get("upper").and_then(Value::as_f64);
            if let (Some(lo), Some(hi)) = (lower, upper) {
                assert!(
                    lo <= hi,
                    "{what}: interval lower {lo} > upper {hi}: {whole}"
                );
            }
            for (k, x) in m {
                if is_p(k) {
                    if let Some(p) = defined(x) {
                        assert!(
                            (0.0..=1.0).contains(&p),
                            "{what}: {k} = {p} outside [0, 1]: {whole}"
                        );
                    }
                }
                if k == "pomp" {
                    if let Some(p) = defined(x) {
                        assert!(
                            (0.0..=100.0).contains(&p),
                            "{what}: POMP {p} outside [0, 100]: {whole}"
                        );
                    }
                }
                walk(what, x, whole);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| walk(what, x, whole)),
        _ => {}
    }
}

/// Every invariant that holds for any result: no NaN/inf, p in [0, 1], POMP in [0, 100],
/// every interval lower <= upper.
pub fn check<T: Debug + Serialize>(what: &str, x: &T) {
    assert_no_nonfinite(what, x);
    let v = serde_json::to_value(x).expect("a result serializes");
    let whole = format!("{x:?}");
    walk(what, &v, &whole);
}

/// A coefficient bounded above by 1.
pub fn at_most_one(what: &str, c: Option<f64>, whole: &dyn Debug) {
    if let Some(c) = c {
        assert!(c <= 1.0, "{what}: coefficient {c} > 1: {whole:?}");
    }
}

/// A correlation in [-1, 1].
pub fn correlation(what: &str, c: Option<f64>, whole: &dyn Debug) {
    if let Some(c) = c {
        assert!(
            (-1.0..=1.0).contains(&c),
            "{what}: coefficient {c} outside [-1, 1]: {whole:?}"
        );
    }
}

/// Calls `f` twice: the same Ok/Err, bit for bit (Debug prints f64 round-trip exactly).
pub fn twice<T: Debug, E: Debug>(
    what: &str,
    f: impl Fn() -> std::result::Result<T, E>,
) -> std::result::Result<T, E> {
    let a = f();
    let b = f();
    assert_eq!(
        format!("{a:?}"),
        format!("{b:?}"),
        "{what}: a second call differs"
    );
    a
}

fn close_values(what: &str, a: &Value, b: &Value, tol: f64, whole: &dyn Fn() -> String) {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            let scale = x.abs().max(y.abs()).max(1.0);
            assert!(
                (x - y).abs() <= tol * scale,
                "{what}: {x} against {y} after reordering: {}",
                whole()
            );
        }
        (Value::Object(m), Value::Object(n)) => {
            let mk: Vec<_> = m.keys().collect();
            let nk: Vec<_> = n.keys().collect();
            assert_eq!(
                mk,
                nk,
                "{what}: different shape after reordering: {}",
                whole()
            );
            for (k, x) in m {
                close_values(what, x, &n[k], tol, whole);
            }
        }
        (Value::Array(m), Value::Array(n)) => {
            assert_eq!(
                m.len(),
                n.len(),
                "{what}: different length after reordering"
            );
            for (x, y) in m.iter().zip(n) {
                close_values(what, x, y, tol, whole);
            }
        }
        _ => assert_eq!(a, b, "{what}: differs after reordering: {}", whole()),
    }
}

/// Two results of the same statistic on reordered data: the same defined/undefined pattern
/// (and reasons) exactly, the numbers within `tol` relative (absolute below 1).
pub fn invariant<T: Debug + Serialize>(what: &str, a: &T, b: &T, tol: f64) {
    let (va, vb) = (
        serde_json::to_value(a).expect("serializes"),
        serde_json::to_value(b).expect("serializes"),
    );
    close_values(what, &va, &vb, tol, &|| format!("{a:?}\n against\n{b:?}"));
}

/// A list of up to `max` items.
pub fn list<T>(
    u: &mut Unstructured,
    max: usize,
    mut f: impl FnMut(&mut Unstructured) -> Result<T>,
) -> Result<Vec<T>> {
    let n = u.int_in_range(0..=max)?;
    (0..n).map(|_| f(u)).collect()
}

/// Detector rules: each from arbitrary parameters when they build, else the default.
pub struct Rules {
    pub rupture: alliance::trend::RuptureRule,
    pub sudden: alliance::trend::SuddenDropRule,
    pub cusum: alliance::trend::CusumRule,
    pub ewma: alliance::trend::EwmaRule,
    pub pcoms: alliance::trend::PcomsRule,
    pub divergence: alliance::trend::DivergenceRule,
}

fn baseline(u: &mut Unstructured) -> Result<alliance::trend::Baseline> {
    use alliance::trend::Baseline;
    Ok(if u.arbitrary()? {
        Baseline::FirstSessions(u.int_in_range(0usize..=12)?)
    } else {
        Baseline::Given {
            mean: number(u)?,
            sd: number(u)?,
        }
    })
}

/// A rule parameter: mostly a plausible value, sometimes anything.
fn param(
    u: &mut Unstructured,
    plausible: std::ops::RangeInclusive<u16>,
    scale: f64,
) -> Result<f64> {
    Ok(if u.int_in_range(0u8..=3)? == 0 {
        number(u)?
    } else {
        f64::from(u.int_in_range(plausible)?) * scale
    })
}

impl Rules {
    /// `streamable`: only the options a monitor accepts (preceding reference, waiting end).
    pub fn arbitrary(u: &mut Unstructured, streamable: bool) -> Result<Rules> {
        use alliance::trend::*;
        let reference = if !streamable && u.arbitrary()? {
            RuptureReference::AllOthers
        } else {
            RuptureReference::Preceding
        };
        let rupture = RuptureRule::builder()
            .reference_sd(param(u, 1..=50, 0.1)?)
            .lenient_threshold(param(u, 1..=30, 0.1)?)
            .strict_threshold(param(u, 1..=40, 0.1)?)
            .repair_window(u.int_in_range(0usize..=8)?)
            .repair_fraction(param(u, 0..=10, 0.1)?)
            .min_history(u.int_in_range(0usize..=8)?)
            .reference(reference)
            .build()
            .unwrap_or_else(|_| {
                RuptureRule::builder()
                    .reference_sd(1.0)
                    .build()
                    .expect("the defaults build")
            });
        let end = if !streamable && u.arbitrary()? {
            SeriesEnd::Truncate
        } else {
            SeriesEnd::Wait
        };
        let sudden = SuddenDropRule::builder()
            .min_drop(param(u, 0..=100, 0.1)?)
            .min_ratio(param(u, 0..=10, 0.1)?)
            .scale_min(param(u, 0..=10, 1.0)?)
            .end(end)
            .build()
            .unwrap_or_else(|_| {
                SuddenDropRule::builder()
                    .min_drop(3.0)
                    .build()
                    .expect("the defaults build")
            });
        let cusum = CusumRule::builder()
            .baseline(baseline(u)?)
            .sd_floor(param(u, 1..=50, 0.1)?)
            .reference_value(param(u, 0..=20, 0.1)?)
            .decision_interval(param(u, 1..=100, 0.1)?)
            .build()
            .unwrap_or_else(|_| {
                CusumRule::builder()
                    .baseline(Baseline::FirstSessions(3))
                    .sd_floor(1.0)
                    .build()
                    .expect("the defaults build")
            });
        let ewma = EwmaRule::builder()
            .baseline(baseline(u)?)
            .sd_floor(param(u, 1..=50, 0.1)?)
            .lambda(param(u, 1..=10, 0.1)?)
            .limit_width(param(u, 1..=40, 0.1)?)
            .build()
            .unwrap_or_else(|_| {
                EwmaRule::builder()
                    .baseline(Baseline::FirstSessions(3))
                    .sd_floor(1.0)
                    .build()
                    .expect("the defaults build")
            });
        let pcoms = PcomsRule::builder()
            .cutoff(param(u, 0..=400, 0.1)?)
            .min_drop(param(u, 0..=100, 0.1)?)
            .build()
            .unwrap_or_else(|_| {
                PcomsRule::builder()
                    .cutoff(36.0)
                    .build()
                    .expect("the defaults build")
            });
        let divergence = DivergenceRule::builder()
            .bound(param(u, 0..=100, 0.1)?)
            .build()
            .unwrap_or_else(|_| {
                DivergenceRule::builder()
                    .bound(3.0)
                    .build()
                    .expect("the defaults build")
            });
        Ok(Rules {
            rupture,
            sudden,
            cusum,
            ewma,
            pcoms,
            divergence,
        })
    }
}

/// Strictly increasing session times: mostly whole weeks or days, sometimes arbitrary gaps
/// (subnormal and huge ones included).
pub fn times(u: &mut Unstructured, n: usize) -> Result<Vec<f64>> {
    let mut t = finite(u)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(t);
        let gap = match u.int_in_range(0u8..=7)? {
            0 => finite(u)?.abs(),
            1 => f64::from(u.int_in_range(1u8..=30)?) / 7.0,
            _ => f64::from(u.int_in_range(1u8..=3)?),
        };
        t += gap;
    }
    Ok(out)
}

/// An answer to an item of `scale`: mostly a point of the scale, sometimes anything.
pub fn answer(u: &mut Unstructured, scale: alliance::Scale) -> Result<Option<f64>> {
    Ok(match u.int_in_range(0u8..=9)? {
        0 => None,
        1 => Some(number(u)?),
        2 => Some(
            scale.min() + (scale.max() - scale.min()) * f64::from(u.int_in_range(0u8..=20)?) / 20.0,
        ),
        _ => {
            let step = scale.step().unwrap_or(1.0);
            let points = ((scale.max() - scale.min()) / step).floor();
            let k = if points.is_finite() && points >= 0.0 && points < 1e6 {
                f64::from(u.int_in_range(0u32..=points as u32)?)
            } else {
                0.0
            };
            Some(scale.min() + k * step)
        }
    })
}

/// Answers `instrument` in every way a caller can and scores each: the invariants of
/// [`check`], the total inside the instrument's range, a second call bit-identical, the same
/// Response from `new` and `from_items` (answers in any order), and the batch scorer's total
/// bit-identical to `score`'s.
pub fn exercise(u: &mut Unstructured, instrument: &alliance::Instrument) -> Result<()> {
    use alliance::{BatchScorer, Rater, Response, score};
    let items = instrument.items().len();
    let count = if u.int_in_range(0u8..=15)? == 0 {
        u.int_in_range(0..=items + 2)?
    } else {
        items
    };
    let scale = instrument.scale();
    let mut answers = Vec::with_capacity(count);
    for _ in 0..count {
        answers.push(answer(u, scale)?);
    }
    let rater = *u.choose(&[Rater::Client, Rater::Therapist, Rater::Observer])?;
    let Ok(response) = twice("Response::new", || {
        Response::new(instrument, rater, &answers)
    }) else {
        return Ok(());
    };
    // from_items with the answered items in a rotated order builds the same response.
    let mut pairs: Vec<(u16, f64)> = answers
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.map(|x| (u16::try_from(i + 1).expect("small"), x)))
        .collect();
    if !pairs.is_empty() {
        let k = u.int_in_range(0..=pairs.len() - 1)?;
        pairs.rotate_left(k);
    }
    let again = Response::from_items(instrument, rater, &pairs).expect("the same answers");
    assert_eq!(
        response, again,
        "Response::from_items against Response::new"
    );

    let scored = twice("score", || score(&response));
    let batch = BatchScorer::new(instrument).score(&answers);
    match &scored {
        Ok(s) => {
            check("score", s);
            let range = instrument.total_range();
            assert!(
                range.contains(s.total.value),
                "score: total {} outside {range:?}: {s:?}",
                s.total.value
            );
            let b = batch.expect("the batch scorer accepts what score accepts");
            assert_eq!(
                b.totals()[0].to_bits(),
                s.total.value.to_bits(),
                "batch total {} against score {}",
                b.totals()[0],
                s.total.value
            );
            for (i, sub) in s.subscales.iter().enumerate() {
                let from_batch = b.subscale(0, i);
                assert_eq!(
                    from_batch.map(f64::to_bits),
                    Some(sub.score.value.to_bits()),
                    "batch subscale {i} against score: {s:?}"
                );
            }
        }
        Err(_) => assert!(
            batch.is_err(),
            "the batch scorer accepts what score refuses"
        ),
    }
    Ok(())
}
