//! The crate's own answers, for the Python tests to compare the binding with: reads one JSON
//! request per line on stdin (`{"op": "icc", "data": [[1, 2], [3, null]], "level": 0.95}`),
//! calls the `alliance` crate directly (no Python involved) and writes the result as the
//! crate serializes it (feature `serde`), one line each; an error is written as the crate's
//! error report (`{"error": {"code": ..., "message": ...}}`).
//!
//! Built by `python/ci.sh` (`cargo build -p alliance-python --example oracle`) and used by
//! `python/tests/test_properties.py` through the `ALLIANCE_ORACLE` environment variable.

use std::io::{BufRead, Write};

use alliance::agreement::{self, Categories, LimitMultiplier, Metric, Weighting};
use alliance::reliability;
use alliance::trend::{self, SenOptions, Series};
use alliance::{Level, Paired, Ratings};
use serde_json::{Value, json};

/// A JSON number or null as an optional value.
fn opt(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// A JSON matrix (rows of numbers or nulls) as ratings.
fn ratings(v: &Value) -> alliance::Result<Ratings> {
    let rows = v.as_array().map(Vec::as_slice).unwrap_or_default();
    let k = rows.first().and_then(Value::as_array).map_or(0, Vec::len);
    let cells = rows
        .iter()
        .flat_map(|r| {
            r.as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(opt)
        })
        .collect();
    Ratings::with_missing(rows.len(), k, cells)
}

/// A JSON vector of numbers or nulls.
fn vector(v: &Value) -> Vec<Option<f64>> {
    v.as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(opt)
        .collect()
}

/// A JSON vector of numbers (a null becomes NaN, which the crate refuses).
fn numbers(v: &Value) -> Vec<f64> {
    vector(v)
        .into_iter()
        .map(|x| x.unwrap_or(f64::NAN))
        .collect()
}

/// Two raters' values, pairs with a null dropped.
fn paired(r: &Value) -> alliance::Result<Paired> {
    Paired::with_missing(&vector(&r["x"]), &vector(&r["y"]))
}

/// A series on its times (or 1, 2, 3, ...).
fn series(r: &Value) -> alliance::Result<Series> {
    let y = numbers(&r["y"]);
    if r["t"].is_null() {
        Series::from_values(y)
    } else {
        Series::new(numbers(&r["t"]), y)
    }
}

/// The weighting named in the request.
fn weighting(r: &Value) -> Weighting {
    match r["weights"].as_str() {
        Some("linear") => Weighting::Linear,
        Some("quadratic") => Weighting::Quadratic,
        _ => Weighting::Unweighted,
    }
}

/// One request's answer.
fn answer(r: &Value) -> alliance::Result<Value> {
    let level = Level::new(r["level"].as_f64().unwrap_or(0.95))?;
    let cats = || Categories::new(numbers(&r["categories"]));
    let out =
        |v: Result<Value, serde_json::Error>| v.map_err(|_| alliance::Error::NoMonitoredScores);
    match r["op"].as_str().unwrap_or("") {
        "icc" => out(serde_json::to_value(agreement::icc_table(
            &ratings(&r["data"])?,
            level,
        )?)),
        "pearson" => out(serde_json::to_value(agreement::pearson(
            &paired(r)?,
            level,
        )?)),
        "spearman" => out(serde_json::to_value(agreement::spearman(
            &paired(r)?,
            level,
        )?)),
        "concordance" => out(serde_json::to_value(agreement::concordance(
            &paired(r)?,
            level,
        )?)),
        "bland_altman" => out(serde_json::to_value(agreement::bland_altman(
            &paired(r)?,
            LimitMultiplier::default(),
            level,
        )?)),
        "cohen_kappa" => out(serde_json::to_value(agreement::cohen_kappa(
            &paired(r)?,
            &cats()?,
            &weighting(r),
            level,
        )?)),
        "fleiss" => out(serde_json::to_value(agreement::fleiss_kappa(
            &ratings(&r["data"])?,
            &cats()?,
            &weighting(r),
            level,
        )?)),
        "gwet" => out(serde_json::to_value(agreement::gwet_ac(
            &ratings(&r["data"])?,
            &cats()?,
            &weighting(r),
            level,
        )?)),
        "krippendorff" => {
            let metric = match r["metric"].as_str() {
                Some("nominal") => Metric::Nominal,
                Some("ordinal") => Metric::Ordinal,
                Some("ratio") => Metric::Ratio,
                _ => Metric::Interval,
            };
            out(serde_json::to_value(agreement::krippendorff_alpha(
                &ratings(&r["data"])?,
                metric,
                None,
            )?))
        }
        "cronbach" => out(serde_json::to_value(reliability::cronbach_alpha(
            &ratings(&r["data"])?,
            level,
        )?)),
        "item_analysis" => out(serde_json::to_value(reliability::item_analysis(
            &ratings(&r["data"])?,
            level,
        )?)),
        "ols" => out(serde_json::to_value(trend::ols_trend(&series(r)?, level)?)),
        "mann_kendall" => out(serde_json::to_value(trend::mann_kendall(&series(r)?)?)),
        "sen" => out(serde_json::to_value(trend::sen_slope(
            &series(r)?,
            level,
            SenOptions::default(),
        )?)),
        _ => Err(alliance::Error::NoMonitoredScores),
    }
}

fn main() {
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout().lock();
    for line in stdin.lock().lines().map_while(Result::ok) {
        let reply = match serde_json::from_str::<Value>(&line) {
            Ok(request) => match answer(&request) {
                Ok(v) => v,
                Err(e) => json!({ "error": { "code": e.code(), "message": e.to_string() } }),
            },
            Err(e) => json!({ "error": { "code": "bad_request", "message": e.to_string() } }),
        };
        if writeln!(stdout, "{reply}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            return;
        }
    }
}
