//! Errors as Python exceptions: the crate's [`alliance::Error`] becomes
//! `alliance.AllianceError` (a `ValueError`) carrying the crate's stable `code`, its message
//! and the variant's fields; input the binding cannot read (an object dtype, a categorical
//! column, a wrong shape) becomes `alliance.InputError`, a subclass of both `AllianceError`
//! and `TypeError`, with a code of its own that starts with `input_`.
//!
//! Both classes are defined in Python (`alliance/_errors.py`), so they pickle and can be
//! subclassed there; this module looks them up once and instantiates them.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};

use crate::convert::json_to_py;

/// The Python class `alliance._errors.AllianceError`, looked up once.
static ALLIANCE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
/// The Python class `alliance._errors.InputError`, looked up once.
static INPUT_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// The class `name` of `alliance._errors`.
fn class<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyType>>,
    name: &str,
) -> PyResult<&'py Bound<'py, PyType>> {
    cell.import(py, "alliance._errors", name)
}

/// An exception of class `cls` with its message, code and fields (or the error raised while
/// building it).
fn raise(cls: &Bound<'_, PyType>, message: &str, code: &str, fields: Bound<'_, PyDict>) -> PyErr {
    match cls.call1((message, code, fields)) {
        Ok(value) => PyErr::from_value(value),
        Err(e) => e,
    }
}

/// The crate's error as `alliance.AllianceError`: `code` is [`alliance::Error::code`], the
/// message its `Display` text, and `fields` the variant's fields as the crate serializes them
/// (`Error::report`).
pub fn to_py(py: Python<'_>, error: &alliance::Error) -> PyErr {
    let fields = PyDict::new(py);
    if let Ok(serde_json::Value::Object(map)) = serde_json::to_value(error.report()) {
        for (key, value) in &map {
            if key == "code" || key == "message" {
                continue;
            }
            if let Ok(v) = json_to_py(py, value) {
                // a field that cannot be set is left out; the message still says it all
                let _ = fields.set_item(key, v);
            }
        }
    }
    match class(py, &ALLIANCE_ERROR, "AllianceError") {
        Ok(cls) => raise(cls, &error.to_string(), error.code(), fields),
        Err(e) => e,
    }
}

/// Input the binding cannot read, as `alliance.InputError` with a code such as
/// `input_shape` or `input_option`.
pub fn input(py: Python<'_>, code: &str, message: impl AsRef<str>) -> PyErr {
    match class(py, &INPUT_ERROR, "InputError") {
        Ok(cls) => raise(cls, message.as_ref(), code, PyDict::new(py)),
        Err(e) => e,
    }
}

/// `Result<T, alliance::Error>` to `PyResult<T>`.
pub trait IntoPyResult<T> {
    /// The value, or the error as `alliance.AllianceError`.
    fn py(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for alliance::Result<T> {
    fn py(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py(py, &e))
    }
}
