"""Side by side with the reference packages on random data, within the conventions of
``shared/design/conventions.md`` (skipped where a package is not installed):

- pingouin ``intraclass_corr``: ICC, F, df, p to 1e-9; its interval is rounded to 2
  decimals. pingouin ``cronbach_alpha``: alpha to 1e-9; its interval is rounded to 3
  decimals (and uses the n before deletion, so only complete data are compared).
- krippendorff ``alpha``: every metric to 1e-9 (Krippendorff's ordinal metric; degenerate
  data, where the package returns 0 or NaN and the crate an undefined value, are left out).
- pymannkendall ``original_test``, ``hamed_rao_modification_test``, ``sens_slope``: S,
  Var(S), z, tau to 1e-9; p computed as 1 - cdf there loses digits at small p, so p is
  compared to 1e-12 absolute; its Sen intercept counts time from 0 (ours on times 0..n-1).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import alliance
from conftest import assert_close

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REL = 1e-9


def close(what, got, want, absolute=1e-12):
    assert_close(what, got, want, REL, absolute)


seeds = st.integers(0, 2**32 - 1)


@SETTINGS
@given(seeds, st.integers(4, 30), st.integers(2, 5), st.sampled_from(["likert", "continuous"]))
def test_icc_equals_pingouin(seed, n, k, kind):
    pg = pytest.importorskip("pingouin")
    rng = np.random.default_rng(seed)
    if kind == "likert":
        data = rng.integers(1, 8, size=(n, k)).astype(float)
    else:
        data = np.round(rng.normal(20, 5, size=(n, k)) + rng.normal(0, 5, size=(n, 1)), 2)
    assume(np.ptp(data.mean(axis=1)) > 0 and np.ptp(data) > 0)
    long = pd.DataFrame({"t": np.repeat(np.arange(n), k), "r": np.tile(np.arange(k), n),
                         "x": data.ravel()})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = pg.intraclass_corr(long, targets="t", raters="r", ratings="x")
    ours = alliance.icc(long, "t", "r", "x")
    assert list(ours["Type"]) == list(theirs["Type"])
    for i in range(6):
        o, t = ours.iloc[i], theirs.iloc[i]
        what = f"{o['Type']} seed {seed}"
        if pd.isna(o["ICC"]):
            continue  # undefined here (e.g. ICC(A,k)'s negative denominator), a number there
        close(f"{what} ICC", o["ICC"], t["ICC"], 1e-9)
        close(f"{what} F", o["F"], t["F"], 1e-9)
        assert (o["df1"], o["df2"]) == (t["df1"], t["df2"])
        close(f"{what} p", o["pval"], t["pval"], 1e-12)
        if o["CI95"] is not None and np.all(np.isfinite(t["CI95"])):
            assert np.all(np.abs(o["CI95"] - t["CI95"]) <= 0.005 + 1e-12), what


@SETTINGS
@given(seeds, st.integers(3, 40), st.integers(2, 8))
def test_cronbach_alpha_equals_pingouin(seed, n, k):
    pg = pytest.importorskip("pingouin")
    rng = np.random.default_rng(seed)
    data = np.clip(np.round(rng.normal(3, 1, size=(n, 1)) + rng.normal(0, 0.8, size=(n, k))), 1, 5)
    assume(np.all(np.ptp(data, axis=0) > 0) and np.ptp(data.sum(axis=1)) > 0)
    frame = pd.DataFrame(data)
    alpha, ci = pg.cronbach_alpha(frame, ci=0.95)
    ours = alliance.cronbach_alpha(frame)
    close(f"alpha seed {seed}", ours.coefficient, alpha, 1e-12)
    assert np.all(np.abs(np.array(ours.ci) - np.array(ci)) <= 0.0005 + 1e-12)


@SETTINGS
@given(seeds, st.integers(3, 25), st.integers(2, 5),
       st.sampled_from(["nominal", "ordinal", "interval", "ratio"]), st.floats(0.0, 0.3))
def test_krippendorff_equals_krippendorff_package(seed, units, coders, metric, missing):
    kd = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, 6, size=units)
    data = np.clip(truth[None, :] + rng.integers(-1, 2, size=(coders, units)), 1, 5).astype(float)
    data[rng.random(size=data.shape) < missing] = np.nan
    ours = alliance.krippendorff_alpha(data, metric)
    assume(ours.coefficient is not None and ours.n >= 2)
    theirs = kd.alpha(reliability_data=data, level_of_measurement=metric)
    close(f"{metric} seed {seed}", ours.coefficient, theirs, 1e-12)


@st.composite
def alliance_series(draw):
    n = draw(st.integers(5, 60))
    seed = draw(seeds)
    rng = np.random.default_rng(seed)
    step = draw(st.sampled_from([0.1, 0.5, 1.0]))
    y = np.round((3.5 + rng.normal(0, 0.5, n).cumsum() * 0.3) / step) * step
    return y


@SETTINGS
@given(alliance_series())
def test_mann_kendall_and_sen_equal_pymannkendall(y):
    mk = pytest.importorskip("pymannkendall")
    assume(len(np.unique(y)) > 2)
    theirs = mk.original_test(y)
    ours = alliance.mann_kendall(y)
    assert ours.s == theirs.s
    close("var_s", ours.var_s, theirs.var_s)
    close("z", ours.z, theirs.z)
    close("tau", ours.tau_a, theirs.Tau)
    assert abs(ours.p_normal - theirs.p) <= 1e-12
    sen = mk.sens_slope(y)
    ours_sen = alliance.sen_slope(y)
    close("slope", ours_sen.slope, sen.slope)
    from_zero = alliance.sen_slope(y, times=np.arange(len(y), dtype=float))
    close("intercept (time from 0)", from_zero.intercept, sen.intercept)


@SETTINGS
@given(alliance_series())
def test_hamed_rao_equals_pymannkendall(y):
    mk = pytest.importorskip("pymannkendall")
    assume(len(np.unique(y)) > 2)
    ours = alliance.mann_kendall_hamed_rao(y)
    assume(ours.var_s is not None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = mk.hamed_rao_modification_test(y)
    assert ours.s == theirs.s
    close("var_s", ours.var_s, theirs.var_s)
    close("z", ours.z, theirs.z)
    close("slope", ours.sen_slope, theirs.slope)
    assert abs(ours.p - theirs.p) <= 1e-12
