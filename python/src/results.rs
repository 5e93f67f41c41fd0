//! The shape of every result handed to Python: a frozen class with one attribute per field
//! and `to_dict()`, built by [`result_class!`]; and [`Reasons`], which turns the crate's
//! `Outcome`s into `None` plus the reason why.
//!
//! An undefined quantity is never a number: its attribute is `None`, `reasons` maps its name
//! to the crate's `Undefined` reason in snake case (`"constant_values"`), and `reason` holds
//! the headline coefficient's reason (or `None` when it is defined).

use std::collections::BTreeMap;

use alliance::{Interval, Outcome};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::convert::snake;

/// A value as plain Python data for `to_dict()`: numbers, strings, lists, dicts, with
/// nested results as dicts too.
pub trait Plain {
    /// The plain Python value.
    ///
    /// # Errors
    /// A Python error while building it.
    fn plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
}

/// [`Plain`] for values whose reference converts directly.
macro_rules! plain_direct {
    ($($t:ty),*) => {$(
        impl Plain for $t {
            fn plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                Ok(self.into_pyobject(py)?.to_owned().into_any())
            }
        }
    )*};
}
plain_direct!(f64, usize, u64, u32, i64, bool, String);

impl<T: Plain> Plain for Option<T> {
    fn plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Some(v) => v.plain(py),
            None => Ok(py.None().into_bound(py)),
        }
    }
}

impl<T: Plain> Plain for Vec<T> {
    fn plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let list = PyList::empty(py);
        for v in self {
            list.append(v.plain(py)?)?;
        }
        Ok(list.into_any())
    }
}

impl Plain for (f64, f64) {
    fn plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.into_pyobject(py)?.into_any())
    }
}

impl Plain for BTreeMap<String, String> {
    fn plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.into_pyobject(py)?.into_any())
    }
}

/// A frozen Python result class: the struct, its attributes (read-only), `to_dict()` and a
/// `repr` listing the fields.
macro_rules! result_class {
    (
        $(#[$meta:meta])*
        $name:ident as $pyname:literal {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[pyo3::pyclass(frozen, get_all, name = $pyname, module = "alliance")]
        #[derive(Debug, Clone)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        #[pyo3::pymethods]
        impl $name {
            /// The result as a dict of plain Python values (nested results as dicts).
            fn to_dict<'py>(&self, py: pyo3::Python<'py>) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::types::PyDict>> {
                use pyo3::types::PyDictMethods;
                let d = pyo3::types::PyDict::new(py);
                $( d.set_item(stringify!($field), $crate::results::Plain::plain(&self.$field, py)?)?; )*
                Ok(d)
            }

            /// `Name(field=value, ...)`.
            fn __repr__(&self, py: pyo3::Python<'_>) -> pyo3::PyResult<String> {
                let d = self.to_dict(py)?;
                $crate::results::repr($pyname, &d)
            }
        }

        impl $crate::results::Plain for $name {
            fn plain<'py>(&self, py: pyo3::Python<'py>) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::PyAny>> {
                Ok(self.to_dict(py)?.into_any())
            }
        }
    };
}
pub(crate) use result_class;

/// `Name(key=repr(value), ...)` from a result's dict.
///
/// # Errors
/// A Python error from `repr`.
pub fn repr(name: &str, dict: &Bound<'_, PyDict>) -> PyResult<String> {
    let mut parts = Vec::with_capacity(dict.len());
    for (k, v) in dict.iter() {
        parts.push(format!("{}={}", k.str()?, v.repr()?));
    }
    Ok(format!("{name}({})", parts.join(", ")))
}

/// Collects the reasons of undefined quantities while their values are taken out.
#[derive(Debug, Default)]
pub struct Reasons(BTreeMap<String, String>);

impl Reasons {
    /// A defined value, or `None` with its reason recorded under `name`.
    pub fn value(&mut self, name: &str, outcome: Outcome<f64>) -> Option<f64> {
        match outcome {
            Outcome::Defined(v) => Some(v),
            Outcome::Undefined(why) => {
                self.0.insert(name.to_owned(), snake(why));
                None
            }
        }
    }

    /// A defined interval as `(lower, upper)`, or `None` with its reason recorded.
    pub fn interval(&mut self, name: &str, outcome: Outcome<Interval>) -> Option<(f64, f64)> {
        match outcome {
            Outcome::Defined(i) => Some((i.lower, i.upper)),
            Outcome::Undefined(why) => {
                self.0.insert(name.to_owned(), snake(why));
                None
            }
        }
    }

    /// The reason recorded for `name`, if any.
    pub fn of(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }

    /// Every reason, by quantity.
    pub fn into_map(self) -> BTreeMap<String, String> {
        self.0
    }
}
