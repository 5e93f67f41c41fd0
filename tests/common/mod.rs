//! Helpers shared by the integration tests: one tolerance rule, and loading the stored
//! reference values of `tests/reference/`.
#![allow(dead_code)] // each test target uses its own subset

use std::path::Path;

/// Whether `got` is within `max(relative · |want|, absolute)` of `want`: a relative bound,
/// with an absolute floor for values near zero. Each test passes the bound it has always
/// used; equal values (infinities included) are close, NaN never is.
pub fn close(got: f64, want: f64, relative: f64, absolute: f64) -> bool {
    if got == want {
        return true;
    }
    (got - want).abs() <= (relative * want.abs()).max(absolute)
}

/// Asserts [`close`], naming the quantity.
#[track_caller]
pub fn assert_close(what: &str, got: f64, want: f64, relative: f64, absolute: f64) {
    assert!(
        close(got, want, relative, absolute),
        "{what}: got {got}, want {want} (relative {relative}, absolute {absolute})"
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
