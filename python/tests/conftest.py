"""Shared helpers: the crate's stored reference values (``tests/reference/`` at the repo root,
the files the Rust tests read) and the tolerance rules the Rust tests use."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest
from hypothesis import settings

# "ci" (python/ci.sh): the same cases on every run, so that CI never fails by chance, and no
# example database written into the clone. Locally the default profile keeps exploring.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

#: ``tests/reference`` of the repository (``python/tests`` -> repo root), or
#: ``ALLIANCE_REFERENCE_DIR`` when the package is tested outside a checkout.
REFERENCE = Path(
    os.environ.get(
        "ALLIANCE_REFERENCE_DIR",
        Path(__file__).resolve().parents[2] / "tests" / "reference",
    )
)


def reference(name: str):
    """The stored reference file ``tests/reference/<name>`` as JSON; skips when absent."""
    path = REFERENCE / name
    if not path.exists():
        pytest.skip(f"reference file {path} not found (set ALLIANCE_REFERENCE_DIR)")
    return json.loads(path.read_text())


def close(got: float, want: float, relative: float, absolute: float) -> bool:
    """``tests/common/mod.rs::close``: within max(relative |want|, absolute) of want."""
    if got == want:
        return True
    return abs(got - want) <= max(relative * abs(want), absolute)


def assert_close(what: str, got: float, want: float, relative: float, absolute: float) -> None:
    """``tests/common/mod.rs::assert_close``."""
    assert got is not None, f"{what}: got None, want {want!r}"
    assert close(got, want, relative, absolute), (
        f"{what}: got {got!r}, want {want!r} (relative {relative}, absolute {absolute})"
    )


def check_continuous(what: str, got: float, want: float) -> None:
    """``tests/agreement_continuous.rs::check``: 1e-9 relative and absolute, with relative
    agreement asserted too, and an exact 0 accepted against reference noise below 1e-12."""
    assert got is not None, f"{what}: got None, want {want!r}"
    tolerance = 1e-9
    exact_zero = got == 0.0 and abs(want) < 1e-12
    diff = abs(got - want)
    relative = diff <= tolerance * max(abs(got), abs(want)) or diff <= 1e-300
    assert exact_zero or (close(got, want, tolerance, tolerance) and relative), (
        f"{what}: got {got!r}, want {want!r}"
    )


def check_relative(what: str, got: float, want: float) -> None:
    """``tests/reliability.rs::check``: 1e-9 relative to the larger magnitude."""
    assert got is not None, f"{what}: got None, want {want!r}"
    assert abs(got - want) <= 1e-9 * max(abs(got), abs(want)), f"{what}: got {got!r}, want {want!r}"


def check_trend(what: str, ours: float, ref: float) -> None:
    """``tests/trend_stats.rs::check``: 1e-9 relative; an exact 0 reference to 1e-15."""
    assert ours is not None, f"{what}: got None, want {ref!r}"
    err = abs(ours - ref)
    ok = err <= 1e-15 if ref == 0.0 else err / abs(ref) <= 1e-9
    assert ok, f"{what}: ours {ours!r}, reference {ref!r}"


def check_trend_zeroish(what: str, ours: float, ref: float) -> None:
    """``tests/trend_stats.rs::check_zeroish``: an exact 0 against noise below 1e-14."""
    if ours == 0.0 and abs(ref) < 1e-14:
        return
    check_trend(what, ours, ref)


def nan_matrix(rows):
    """A JSON matrix with ``null`` for missing cells, as floats with NaN."""
    return [[math.nan if v is None else float(v) for v in row] for row in rows]


def nan_vector(values):
    """A JSON vector with ``null`` for missing values, as floats with NaN."""
    return [math.nan if v is None else float(v) for v in values]
