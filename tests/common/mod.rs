//! Helpers shared by the integration tests: one tolerance rule, and loading the stored
//! reference values of `tests/reference/`.
#![allow(dead_code)] // each test target uses its own subset

use std::path::Path;

/// Whether `got` is within `tolerance` of `want`, relative to `want` when |want| > 1 and
/// absolute otherwise (so values near zero are not held to an impossible relative bound).
/// Two infinities of the same sign are equal; NaN is never close to anything.
pub fn close(got: f64, want: f64, tolerance: f64) -> bool {
    if got == want {
        return true;
    }
    (got - want).abs() <= tolerance * want.abs().max(1.0)
}

/// Asserts [`close`], naming the quantity.
#[track_caller]
pub fn assert_close(what: &str, got: f64, want: f64, tolerance: f64) {
    assert!(
        close(got, want, tolerance),
        "{what}: got {got}, want {want} (tolerance {tolerance})"
    );
}

/// The stored reference file `tests/reference/<name>` as JSON.
pub fn reference(name: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}
