"""The exceptions of ``alliance``.

Every error the Rust crate reports is an :class:`AllianceError` (a ``ValueError``) with the
crate's stable ``code`` (``"too_few_targets"``, ``"non_finite"``, ``"out_of_scale"``, ...),
its English ``message`` and the error's ``fields`` (the values that broke the rule).

Input this package cannot read at all (an object or string dtype, a categorical column of
numbers, a wrong number of dimensions, an unknown option, a missing column) is an
:class:`InputError`, a subclass of both ``AllianceError`` and ``TypeError``, whose code
starts with ``input_``.
"""

from __future__ import annotations

from typing import Any, Dict, Optional


class AllianceError(ValueError):
    """Invalid input, as the ``alliance`` crate reports it.

    Attributes:
        code: the crate's stable machine-readable code (``alliance::Error::code``).
        message: the crate's message (also ``str(err)``).
        fields: the error's fields, e.g. ``{"index": 3, "value": "NaN"}``.

    Example:
        >>> import alliance
        >>> try:
        ...     alliance.pearson([1.0, 2.0], [1.0])
        ... except alliance.AllianceError as err:
        ...     print(err.code)
        length_mismatch
    """

    def __init__(self, message: str, code: str, fields: Optional[Dict[str, Any]] = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.fields = dict(fields or {})

    def __reduce__(self):  # keep code and fields through pickling (multiprocessing, Spark)
        return (type(self), (self.message, self.code, self.fields))


class InputError(AllianceError, TypeError):
    """Input the package cannot read: a wrong dtype, shape, column or option.

    Its ``code`` starts with ``input_``: ``input_dtype``, ``input_categorical``,
    ``input_shape``, ``input_column``, ``input_duplicate``, ``input_label``,
    ``input_option``, ``input_layout``, ``input_key``, ``input_snapshot``.

    Example:
        >>> import pandas as pd, alliance
        >>> try:
        ...     alliance.pearson(pd.Series(["a", "b", "c"]), [1.0, 2.0, 3.0])
        ... except alliance.InputError as err:
        ...     print(err.code)
        input_dtype
    """
