"""Property tests (hypothesis): the binding returns exactly what the crate returns.

The oracle is a small Rust program (``python/examples/oracle.rs``) that calls the crate
directly and prints its results as the crate serializes them; every field the binding
exposes must equal the crate's, bit for bit, and an undefined quantity must carry the
crate's reason. ``python/ci.sh`` builds it and sets ``ALLIANCE_ORACLE``; without it those
tests are skipped. Invariants that need no oracle (perfect agreement, reversed series, two
input paths) run everywhere.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import alliance

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------------------------------
# the oracle
# ---------------------------------------------------------------------------------------


class Oracle:
    def __init__(self, path):
        self.proc = subprocess.Popen(
            [path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )

    def __call__(self, **request):
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def oracle():
    path = os.environ.get("ALLIANCE_ORACLE")
    if not path or not os.path.exists(path):
        pytest.skip("ALLIANCE_ORACLE not set (python/ci.sh builds python/examples/oracle.rs)")
    o = Oracle(path)
    yield o
    o.close()


def snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


#: binding field -> path in the crate's serialized result, where the names differ
RENAMED = {
    "ms_rows": ("mean_squares", "rows"),
    "ms_columns": ("mean_squares", "columns"),
    "ms_error": ("mean_squares", "error"),
    "ms_within": ("mean_squares", "within"),
    "tie_groups": ("ties", "groups"),
    "tied_values": ("ties", "tied_values"),
    "tied_pairs": ("ties", "tied_pairs"),
}
#: binding fields with no counterpart in the crate's serialization
BINDING_ONLY = {"label", "level", "reason", "reasons", "weighting", "categories", "items"}


def lookup(crate: dict, field: str):
    path = RENAMED.get(field, (field,))
    v = crate
    for p in path:
        if not isinstance(v, dict) or p not in v:
            return KeyError
        v = v[p]
    return v


def same_number(a, b) -> bool:
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


def assert_same(result, crate: dict, what: str, must: tuple = ("n",)):
    """Every field of the binding's result equals the crate's serialized field."""
    d = result.to_dict()
    compared = set()
    for field, mine in d.items():
        if field in BINDING_ONLY:
            continue
        theirs = lookup(crate, field)
        if theirs is KeyError:
            continue
        if isinstance(theirs, dict) and set(theirs) in ({"Defined"}, {"Undefined"}):
            if "Undefined" in theirs:
                assert mine is None, f"{what} {field}: {mine!r}, crate undefined"
                assert d["reasons"][field] == snake(theirs["Undefined"]), f"{what} {field}"
                compared.add(field)
                continue
            theirs = theirs["Defined"]
        if isinstance(theirs, dict) and {"lower", "upper"} <= set(theirs):
            theirs = (theirs["lower"], theirs["upper"])
            mine = tuple(mine)
        if isinstance(theirs, str):
            assert mine in (theirs, snake(theirs)), f"{what} {field}: {mine!r} vs {theirs!r}"
        elif isinstance(theirs, tuple):
            assert all(same_number(a, b) for a, b in zip(mine, theirs)), f"{what} {field}"
        elif isinstance(theirs, (int, float, bool)):
            assert same_number(mine, theirs), f"{what} {field}: {mine!r} vs crate {theirs!r}"
        else:
            continue
        compared.add(field)
    for field in must:
        assert field in compared, f"{what}: {field} not compared ({sorted(compared)})"


def same_error(call, reply, what):
    """The binding raises the crate's error code exactly when the crate refuses."""
    if "error" in reply:
        with pytest.raises(alliance.AllianceError) as err:
            call()
        assert err.value.code == reply["error"]["code"], what
        assert str(err.value) == reply["error"]["message"], what
        return None
    return call()


# ---------------------------------------------------------------------------------------
# strategies
# ---------------------------------------------------------------------------------------

likert = st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0])
halves = st.integers(0, 20).map(lambda i: i / 2)
decimals = st.floats(-50, 50, allow_nan=False).map(lambda x: round(x, 1))
value = st.one_of(likert, halves, decimals)


def with_missing(elements, p_missing=0.1):
    return st.one_of(elements, elements, elements, elements, elements, elements, elements,
                     elements, st.just(None)) if p_missing else elements


@st.composite
def matrices(draw, min_rows=2, max_rows=14, min_cols=2, max_cols=5, elements=value, missing=True):
    n = draw(st.integers(min_rows, max_rows))
    k = draw(st.integers(min_cols, max_cols))
    el = with_missing(elements) if missing else elements
    return [[draw(el) for _ in range(k)] for _ in range(n)]


@st.composite
def pairs(draw, elements=value, missing=True):
    n = draw(st.integers(2, 25))
    el = with_missing(elements) if missing else elements
    return [draw(el) for _ in range(n)], [draw(el) for _ in range(n)]


@st.composite
def series(draw, min_size=2, max_size=40):
    y = draw(st.lists(value, min_size=min_size, max_size=max_size))
    if draw(st.booleans()):
        gaps = draw(st.lists(st.sampled_from([1.0, 1.0, 2.0, 0.5, 7.0]), min_size=len(y), max_size=len(y)))
        t = list(np.cumsum(gaps))
    else:
        t = None
    return y, t


def nan(rows):
    return np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=float)


def nanv(v):
    return np.array([np.nan if x is None else x for x in v], dtype=float)


# ---------------------------------------------------------------------------------------
# the binding equals the crate
# ---------------------------------------------------------------------------------------

ICC_KEYS = ["one_way_single", "agreement_single", "consistency_single",
            "one_way_average", "agreement_average", "consistency_average"]


@SETTINGS
@given(matrices())
def test_icc_equals_crate(oracle, data):
    reply = oracle(op="icc", data=data)
    forms = same_error(lambda: alliance.icc_table(nan(data)), reply, "icc")
    if forms is None:
        return
    for form, key in zip(forms, ICC_KEYS):
        assert_same(form, reply[key], f"icc {key}", must=("coefficient", "f", "p", "ci", "n", "ms_rows"))


@SETTINGS
@given(pairs(), st.sampled_from(["pearson", "spearman", "concordance", "bland_altman"]))
def test_two_rater_statistics_equal_crate(oracle, xy, op):
    x, y = xy
    reply = oracle(op=op, x=x, y=y)
    f = {"pearson": alliance.pearson, "spearman": alliance.spearman,
         "concordance": alliance.concordance, "bland_altman": alliance.bland_altman}[op]
    r = same_error(lambda: f(nanv(x), nanv(y)), reply, op)
    if r is not None:
        assert_same(r, reply, op, must=("n", "dropped"))


codes = st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0])


@SETTINGS
@given(pairs(elements=codes), st.sampled_from(["unweighted", "linear", "quadratic"]))
def test_cohen_kappa_equals_crate(oracle, xy, weights):
    x, y = xy
    cats = [1.0, 2.0, 3.0, 4.0, 5.0]
    reply = oracle(op="cohen_kappa", x=x, y=y, categories=cats, weights=weights)
    k = same_error(lambda: alliance.cohen_kappa(nanv(x), nanv(y), categories=cats, weights=weights),
                   reply, "kappa")
    if k is not None:
        assert_same(k, reply, "kappa", must=("coefficient", "se", "n", "dropped"))


@SETTINGS
@given(matrices(elements=st.sampled_from([1.0, 2.0, 3.0, 4.0])), st.sampled_from(["fleiss", "gwet"]),
       st.sampled_from(["unweighted", "quadratic"]))
def test_multi_rater_equals_crate(oracle, data, op, weights):
    cats = [1.0, 2.0, 3.0, 4.0]
    reply = oracle(op=op, data=data, categories=cats, weights=weights)
    f = alliance.fleiss_kappa if op == "fleiss" else alliance.gwet_ac
    k = same_error(lambda: f(nan(data), categories=cats, weights=weights), reply, op)
    if k is not None:
        assert_same(k, reply, op, must=("coefficient", "n", "pairable"))


@SETTINGS
@given(matrices(elements=st.one_of(likert, halves)), st.sampled_from(["nominal", "ordinal", "interval", "ratio"]))
def test_krippendorff_equals_crate(oracle, data, metric):
    reply = oracle(op="krippendorff", data=data, metric=metric)
    a = same_error(lambda: alliance.krippendorff_alpha(nan(data), metric, orientation="units_by_coders"),
                   reply, "krippendorff")
    if a is not None:
        assert_same(a, reply, "krippendorff", must=("coefficient", "n", "pairable", "dropped"))


@SETTINGS
@given(matrices(max_rows=20, max_cols=6))
def test_cronbach_and_item_analysis_equal_crate(oracle, data):
    reply = oracle(op="cronbach", data=data)
    a = same_error(lambda: alliance.cronbach_alpha(nan(data)), reply, "alpha")
    if a is None:
        return
    assert_same(a, reply, "alpha", must=("coefficient", "standardized", "ci", "n", "dropped"))
    ia_reply = oracle(op="item_analysis", data=data)
    ia = alliance.item_analysis(nan(data))
    assert_same(ia.alpha, ia_reply["alpha"], "item analysis alpha", must=("coefficient",))
    for mine, theirs in zip(ia.items, ia_reply["items"]):
        assert_same(mine, theirs, "item", must=("mean", "sd", "alpha_if_deleted", "corrected_item_total"))


@SETTINGS
@given(series(), st.sampled_from(["ols", "mann_kendall", "sen"]))
def test_trend_statistics_equal_crate(oracle, yt, op):
    y, t = yt
    reply = oracle(op=op, y=y, t=t)
    f = {"ols": alliance.ols_trend, "mann_kendall": alliance.mann_kendall, "sen": alliance.sen_slope}[op]
    r = same_error(lambda: f(y, times=t), reply, op)
    if r is not None:
        assert_same(r, reply, op, must=("n",))


def test_errors_equal_crate(oracle):
    for request, call in [
        (dict(op="icc", data=[[1.0, 2.0]]), lambda: alliance.icc_table([[1.0, 2.0]])),
        (dict(op="pearson", x=[1.0], y=[2.0]), lambda: alliance.pearson([1.0], [2.0])),
        (dict(op="sen", y=[1.0]), lambda: alliance.sen_slope([1.0])),
        (dict(op="ols", y=[1.0, 2.0], t=[2.0, 1.0]), lambda: alliance.ols_trend([1.0, 2.0], times=[2.0, 1.0])),
    ]:
        reply = oracle(**request)
        assert "error" in reply
        same_error(call, reply, request["op"])


# ---------------------------------------------------------------------------------------
# invariants (no oracle needed)
# ---------------------------------------------------------------------------------------


@SETTINGS
@given(st.lists(value, min_size=2, max_size=30), st.integers(2, 5))
def test_icc_of_perfect_agreement_is_one(targets, raters):
    assume(len(set(targets)) > 1)
    data = np.repeat(np.array(targets)[:, None], raters, axis=1)
    for form in alliance.icc_table(data):
        assert form.coefficient == 1.0, (form.name, form.coefficient, form.reason)


@SETTINGS
@given(st.lists(value, min_size=2, max_size=30))
def test_constant_ratings_are_undefined_not_noise(targets):
    data = np.full((len(targets), 3), targets[0])
    t = alliance.icc_wide(data)
    assert t["ICC"].isna().all() and (t["reason"] == "constant_values").all()


@SETTINGS
@given(st.lists(value, min_size=2, max_size=40))
def test_reversed_series_negates_sen_and_mann_kendall(y):
    fwd, back = alliance.sen_slope(y), alliance.sen_slope(y[::-1])
    # the median of an even number of slopes is a mean of two: equal up to its rounding
    assert math.isclose(back.slope, -fwd.slope, rel_tol=1e-15, abs_tol=1e-300)
    assert alliance.mann_kendall(y[::-1]).s == -alliance.mann_kendall(y).s


@SETTINGS
@given(st.lists(value, min_size=3, max_size=40))
def test_reversed_series_negates_ols_slope(y):
    fwd, back = alliance.ols_trend(y), alliance.ols_trend(y[::-1])
    assert math.isclose(back.slope, -fwd.slope, rel_tol=1e-12, abs_tol=1e-12)


@SETTINGS
@given(matrices(min_cols=2, max_cols=4))
def test_long_and_wide_icc_agree(data):
    m = nan(data)
    n, k = m.shape
    long = pd.DataFrame({"target": np.repeat(np.arange(n), k), "rater": np.tile(list("abcd"[:k]), n),
                         "score": m.ravel()})
    try:
        wide = alliance.icc_wide(m)
    except alliance.AllianceError as err:
        with pytest.raises(alliance.AllianceError) as again:
            alliance.icc(long, "target", "rater", "score")
        assert again.value.code == err.code
        return
    pd.testing.assert_frame_equal(alliance.icc(long, "target", "rater", "score"), wide)


@SETTINGS
@given(matrices(max_rows=12))
def test_pandas_and_numpy_inputs_agree(data):
    m = nan(data)
    frame = pd.DataFrame(m, columns=[f"item{i}" for i in range(m.shape[1])])
    nullable = frame.astype("Float64")  # pandas' nullable floats, NA for missing
    for arg in (frame, nullable, m.tolist(), np.asfortranarray(m)):
        try:
            a = alliance.cronbach_alpha(m).to_dict()
        except alliance.AllianceError as err:
            with pytest.raises(alliance.AllianceError) as again:
                alliance.cronbach_alpha(arg)
            assert again.value.code == err.code
            continue
        assert alliance.cronbach_alpha(arg).to_dict() == a


@SETTINGS
@given(st.lists(st.floats(20, 40, allow_nan=False).map(lambda x: round(x, 1)), min_size=1, max_size=30),
       st.integers(0, 30))
def test_monitor_restored_goes_on_exactly(scores, cut):
    cut = min(cut, len(scores))
    a = alliance.Monitor(reference_sd=1.5, sudden_drop=4.0, pcoms_cutoff=36.0)
    for x in scores[:cut]:
        a.push(x)
    b = alliance.Monitor.restore(a.snapshot())
    assert b.sessions == a.sessions == cut
    for x in scores[cut:]:
        assert a.push(x) == b.push(x)
    assert a.snapshot() == b.snapshot()


@SETTINGS
@given(st.lists(st.floats(20, 40, allow_nan=False).map(lambda x: round(x, 1)), min_size=4, max_size=30))
def test_monitor_ruptures_equal_batch_ruptures(scores):
    m = alliance.Monitor(reference_sd=1.5, cusum=False, ewma=False)
    raised = [a for x in scores for a in m.push(x)]
    opened = sorted(a["index"] for a in raised if a["code"].startswith("rupture"))
    batch = alliance.ruptures(scores, reference_sd=1.5)
    assert opened == [r.index for r in batch.ruptures]
