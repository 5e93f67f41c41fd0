//! Writes the seed corpus of the `serde_roundtrip` target: one file per deserializable type,
//! its tag byte then the JSON of a valid value. Run from `fuzz/`:
//! `cargo +nightly run --example seeds` (the fuzzer grows the corpus from these).

use alliance::agreement::{
    Bootstrap, Categories, ContingencyTable, LimitMultiplier, Metric, WeightMatrix, Weighting,
};
use alliance::reliability::PairwiseOptions;
use alliance::trend::{BatchOptions, Critical, HamedRaoOptions, Population, SenOptions, Series};
use alliance::{
    Cutoff, CutoffSide, Date, Level, Norm, Paired, Rater, Ratings, Reliability, ReliabilityKind,
    Response, Scale, Session, catalog,
};
use serde::Serialize;
use std::fs;

fn seed<T: Serialize>(tag: u8, name: &str, value: &T) {
    let mut bytes = vec![tag];
    bytes.extend(serde_json::to_vec(value).expect("serializes"));
    let dir = "corpus/serde_roundtrip";
    fs::create_dir_all(dir).expect("corpus dir");
    fs::write(format!("{dir}/seed-{tag:02}-{name}"), bytes).expect("write");
}

fn main() -> Result<(), alliance::Error> {
    let arm = catalog::arm_5();
    let response = Response::complete(&arm, Rater::Client, &[6.0, 5.0, 3.0, 6.0, 6.0])?;
    let mut session = Session::new("C1", "T1", 1)?.with_date(Date::new(2024, 2, 29)?);
    session.add(response.clone())?;
    let courses = alliance::sample::caseload()?;
    seed(0, "instrument", &catalog::wai_sr());
    seed(0, "instrument-haq", &catalog::haq_ii());
    seed(1, "response", &response);
    seed(2, "session", &session);
    seed(3, "course", &courses[0]);
    seed(4, "date", &Date::new(2024, 2, 29)?);
    seed(5, "level", &Level::new(0.95)?);
    let ratings = Ratings::with_missing(2, 2, vec![Some(1.0), None, Some(2.5), Some(3.0)])?;
    seed(6, "ratings", &ratings);
    seed(
        7,
        "paired",
        &Paired::with_missing(&[Some(1.0), None], &[Some(2.0), Some(3.0)])?,
    );
    seed(
        8,
        "series",
        &Series::new(vec![0.0, 1.5, 3.0], vec![4.0, 5.0, 4.5])?,
    );
    let categories = Categories::range(1, 3)?;
    seed(9, "categories", &categories);
    let weights = WeightMatrix::agreement(2, vec![1.0, 0.5, 0.5, 1.0])?;
    seed(10, "weights", &weights);
    seed(
        11,
        "table",
        &ContingencyTable::new(categories, &[[1u64, 2, 0], [0, 3, 1], [2, 0, 5]])?,
    );
    seed(12, "bootstrap", &Bootstrap::new(100)?.with_seed(7));
    seed(13, "scale", &Scale::with_step(1.0, 5.0, 0.5)?);
    seed(
        14,
        "cutoff",
        &Cutoff::new("low", 3.0, CutoffSide::Below, "src")?,
    );
    seed(15, "norm", &Norm::new(4.0, 0.7, "src", Some(100))?);
    seed(
        16,
        "reliability",
        &Reliability::new(0.9, ReliabilityKind::Alpha, "src")?,
    );
    seed(17, "multiplier", &LimitMultiplier::new(1.96)?);
    seed(18, "weighting", &Weighting::Custom(weights));
    seed(19, "sen", &SenOptions::default());
    seed(20, "hamed-rao", &HamedRaoOptions::default().with_lags(3));
    seed(21, "batch", &BatchOptions::default());
    seed(22, "pairwise", &PairwiseOptions::default());
    seed(23, "population", &Population { mean: 1.0, sd: 2.0 });
    seed(23, "critical", &Critical::Z(1.96));
    seed(23, "metric", &Metric::Ratio);
    Ok(())
}
