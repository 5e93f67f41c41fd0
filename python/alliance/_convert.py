"""Reading numpy arrays, pandas objects and lists into contiguous float64 arrays.

Conversion only: no statistic is computed here. A C-contiguous float64 numpy array passes
through without a copy (the Rust side reads it in place); anything else is converted once.
A missing value is NaN (pandas' ``NA`` and ``None`` become NaN); whether NaN is allowed is
decided by the crate function that receives it, which names the position of a refused one.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence, Tuple

import numpy as np

from ._errors import InputError

try:  # pandas is a dependency, but the array paths work without it
    import pandas as pd
except ImportError:  # pragma: no cover - pandas is installed with the package
    pd = None

#: numpy dtype kinds read as numbers: bool, signed, unsigned, float.
_NUMERIC_KINDS = "biuf"


def _is_series(x: Any) -> bool:
    return pd is not None and isinstance(x, pd.Series)


def _is_frame(x: Any) -> bool:
    return pd is not None and isinstance(x, pd.DataFrame)


def _check_pandas_dtype(dtype: Any, what: str) -> None:
    if pd is not None and isinstance(dtype, pd.CategoricalDtype):
        raise InputError(
            f"{what} is categorical; alliance needs numbers here. If the categories are "
            f"numeric codes, convert them first, e.g. s.astype(float) or "
            f"s.cat.codes (with the codes you mean)",
            "input_categorical",
        )
    kind = getattr(dtype, "kind", "O")
    if kind not in _NUMERIC_KINDS:
        raise InputError(
            f"{what} has dtype {dtype}; alliance needs numbers (float64), "
            f"e.g. pd.to_numeric(s, errors='raise')",
            "input_dtype",
        )


def _series_values(s: Any, what: str) -> np.ndarray:
    _check_pandas_dtype(s.dtype, what)
    # nullable dtypes (Int64, Float64, boolean) with pd.NA become NaN
    return s.to_numpy(dtype=np.float64, na_value=np.nan)


def _array(x: Any, what: str) -> np.ndarray:
    if isinstance(x, np.ndarray):
        if x.dtype.kind not in _NUMERIC_KINDS:
            raise InputError(
                f"{what} has dtype {x.dtype}; alliance needs numbers (float64)", "input_dtype"
            )
        return x
    try:
        a = np.asarray(x)
    except (TypeError, ValueError) as err:
        raise InputError(f"{what} cannot be read as an array: {err}", "input_shape") from err
    if a.dtype.kind == "O":
        # lists holding None: None is missing (NaN), anything else must be a number
        try:
            a = np.array([np.nan if v is None else v for v in a.ravel()], dtype=np.float64).reshape(a.shape)
        except (TypeError, ValueError) as err:
            raise InputError(
                f"{what} holds values that are not numbers: {err}", "input_dtype"
            ) from err
    if a.dtype.kind not in _NUMERIC_KINDS:
        raise InputError(
            f"{what} has dtype {a.dtype}; alliance needs numbers (float64)", "input_dtype"
        )
    return a


def vector(x: Any, what: str = "values") -> np.ndarray:
    """A one-dimensional C-contiguous float64 array (no copy when ``x`` already is one).

    Accepts a numpy array, a pandas Series (its values, not its index), a one-column
    DataFrame, a list or any sequence of numbers; ``None`` and ``pd.NA`` become NaN.
    """
    if _is_frame(x):
        if x.shape[1] != 1:
            raise InputError(
                f"{what} must be one column, not a DataFrame of {x.shape[1]} columns",
                "input_shape",
            )
        x = x.iloc[:, 0]
    if _is_series(x):
        a = _series_values(x, what)
    else:
        a = _array(x, what)
    if a.ndim != 1:
        raise InputError(
            f"{what} must be one-dimensional, not of shape {a.shape}", "input_shape"
        )
    return np.ascontiguousarray(a, dtype=np.float64)


def matrix(x: Any, what: str = "data") -> np.ndarray:
    """A two-dimensional C-contiguous float64 array, rows by columns (no copy when ``x``
    already is one). A DataFrame's columns are checked one by one, so the error names the
    column that is not numeric."""
    if _is_frame(x):
        for name, dtype in x.dtypes.items():
            _check_pandas_dtype(dtype, f"column {name!r} of {what}")
        a = x.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        a = _array(x, what)
    if a.ndim != 2:
        raise InputError(
            f"{what} must be two-dimensional (rows x columns), not of shape {a.shape}",
            "input_shape",
        )
    return np.ascontiguousarray(a, dtype=np.float64)


def optional_vector(x: Any, what: str) -> Optional[np.ndarray]:
    """``vector(x)``, or ``None``."""
    return None if x is None else vector(x, what)


def column(data: Any, name: Any, role: str) -> Any:
    """The column ``name`` of a DataFrame, or a clear error naming the columns there are."""
    if not _is_frame(data):
        raise InputError(
            f"data must be a pandas DataFrame when {role} is a column name", "input_shape"
        )
    if name not in data.columns:
        raise InputError(
            f"{role} {name!r} is not a column; the columns are {list(data.columns)}",
            "input_column",
        )
    return data[name]


def labels(s: Any, role: str) -> Tuple[np.ndarray, Sequence[Any]]:
    """Integer codes and the sorted distinct labels of a column of labels (targets, raters).
    A missing label is refused: a rating must say whose it is."""
    codes, uniques = pd.factorize(s, sort=True)
    if (codes < 0).any():
        first = int(np.flatnonzero(codes < 0)[0])
        raise InputError(
            f"{role} column {s.name!r} is missing at row {first}: every rating needs its "
            f"{role[:-1] if role.endswith('s') else role}",
            "input_label",
        )
    return codes, uniques


def _plain(label: Any) -> Any:
    """A numpy scalar label as the plain Python value, for messages."""
    return label.item() if hasattr(label, "item") else label


def long_to_wide(
    data: Any, targets: Any, raters: Any, ratings: Any
) -> Tuple[np.ndarray, Sequence[Any], Sequence[Any]]:
    """The targets x raters matrix of a long table (one row per rating), NaN where a target
    has no rating from a rater; a target rated twice by one rater is refused."""
    values = vector(column(data, ratings, "ratings"), f"ratings column {ratings!r}")
    t_codes, t_labels = labels(column(data, targets, "targets"), "targets")
    r_codes, r_labels = labels(column(data, raters, "raters"), "raters")
    n_t, n_r = len(t_labels), len(r_labels)
    cell = t_codes.astype(np.int64) * n_r + r_codes
    order = np.argsort(cell, kind="stable")
    repeated = np.flatnonzero(np.diff(cell[order]) == 0)
    if repeated.size:
        row = int(order[repeated[0] + 1])
        raise InputError(
            f"target {_plain(t_labels[t_codes[row]])!r} is rated twice by rater "
            f"{_plain(r_labels[r_codes[row]])!r} (row {row}); give one rating per target "
            f"and rater",
            "input_duplicate",
        )
    wide = np.full((n_t, n_r), np.nan)
    wide[t_codes, r_codes] = values
    return wide, t_labels, r_labels
