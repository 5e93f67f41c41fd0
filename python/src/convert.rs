//! Conversions between numpy arrays or Python values and the crate's input types, and from
//! JSON values (the crate's serde output) to Python objects. No statistics here.
//!
//! Arrays arrive as C-contiguous float64 (the Python layer, `alliance/_convert.py`, makes them
//! so without a copy when they already are) and are read in place as slices. The crate's
//! owned inputs (`Ratings`, `Series`) take one copy of the values; `Paired` borrows.

use alliance::trend::Series;
use alliance::{Level, Paired, Ratings};
use numpy::{PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::errors::{self, IntoPyResult};

/// The values of a one-dimensional float64 array, read in place.
///
/// # Errors
/// `InputError` (`input_layout`) when the array is not contiguous.
pub fn slice1<'a>(
    py: Python<'_>,
    array: &'a PyReadonlyArray1<'_, f64>,
    what: &str,
) -> PyResult<&'a [f64]> {
    array.as_slice().map_err(|_| {
        errors::input(
            py,
            "input_layout",
            format!("{what} must be a contiguous float64 array"),
        )
    })
}

/// The values of a two-dimensional float64 array, row-major and read in place, with its
/// number of rows and columns.
///
/// # Errors
/// `InputError` (`input_layout`) when the array is not C-contiguous.
pub fn slice2<'a>(
    py: Python<'_>,
    array: &'a PyReadonlyArray2<'_, f64>,
    what: &str,
) -> PyResult<(&'a [f64], usize, usize)> {
    let shape = array.shape();
    let (rows, columns) = (shape[0], shape[1]);
    let values = array.as_slice().map_err(|_| {
        errors::input(
            py,
            "input_layout",
            format!("{what} must be a C-contiguous float64 array"),
        )
    })?;
    Ok((values, rows, columns))
}

/// A ratings matrix from row-major values, NaN marking a missing cell.
///
/// # Errors
/// As `Ratings::new` and `Ratings::with_missing`.
pub fn ratings(values: &[f64], rows: usize, columns: usize) -> alliance::Result<Ratings> {
    if values.iter().any(|v| v.is_nan()) {
        let cells = values.iter().map(|&v| (!v.is_nan()).then_some(v)).collect();
        Ratings::with_missing(rows, columns, cells)
    } else {
        Ratings::new(rows, columns, values.to_vec())
    }
}

/// Paired values, a pair with a NaN on either side dropped (and counted in `dropped`).
///
/// # Errors
/// As `Paired::new` and `Paired::with_missing`.
pub fn paired(first: &[f64], second: &[f64]) -> alliance::Result<Paired> {
    if first.iter().chain(second).any(|v| v.is_nan()) {
        let opt = |xs: &[f64]| -> Vec<Option<f64>> {
            xs.iter().map(|&v| (!v.is_nan()).then_some(v)).collect()
        };
        Paired::with_missing(&opt(first), &opt(second))
    } else {
        Paired::new(first, second)
    }
}

/// A series of scores on the given times, or on times 1, 2, 3, ... A NaN score is refused by
/// the crate (`non_finite`): missing sessions are dropped by the caller, keeping the times.
///
/// # Errors
/// As `Series::new`.
pub fn series(values: &[f64], times: Option<&[f64]>) -> alliance::Result<Series> {
    match times {
        Some(t) => Series::new(t.to_vec(), values.to_vec()),
        None => Series::from_values(values.to_vec()),
    }
}

/// A confidence level.
///
/// # Errors
/// `AllianceError` as `Level::new`.
pub fn level(py: Python<'_>, level: f64) -> PyResult<Level> {
    Level::new(level).py(py)
}

/// A unit enum variant's name in snake case, the label results carry (`ExactF` ->
/// `"exact_f"`, `ConstantValues` -> `"constant_values"`).
pub fn snake(value: impl std::fmt::Debug) -> String {
    let name = format!("{value:?}");
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A JSON value as the Python object `json.loads` would give.
///
/// # Errors
/// A Python error while building a container.
pub fn json_to_py<'py>(py: Python<'py>, value: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value;
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, json_to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// A serializable value of the crate as a Python object, through its serde form.
///
/// # Errors
/// A Python error while building it; serialization itself cannot fail for the crate's types.
pub fn to_plain<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_value(value)
        .map_err(|e| errors::input(py, "input_internal", e.to_string()))?;
    json_to_py(py, &json)
}
