"""The package's surface: results, scoring by catalog id, the sample caseload, the monitor,
the docstring examples, and zero-copy input."""

from __future__ import annotations

import doctest
import threading

import numpy as np
import pandas as pd
import pytest

import alliance
from alliance import _convert


def test_docstring_examples_run():
    import alliance._errors

    for module in (alliance, alliance._errors):
        result = doctest.testmod(module, extraglobs={"alliance": alliance, "np": np},
                                 optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0 and result.attempted > 0, module.__name__


def test_every_public_function_has_an_example():
    for name in alliance.__all__:
        obj = getattr(alliance, name)
        if callable(obj) and not isinstance(obj, type):
            assert obj.__doc__ and ">>>" in obj.__doc__, name


def test_results_are_frozen_with_to_dict():
    r = alliance.pearson([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 5.0, 9.0])
    with pytest.raises(AttributeError):
        r.coefficient = 0.0
    d = r.to_dict()
    assert d["coefficient"] == r.coefficient and d["n"] == 4
    assert d["reasons"] == {"p_exact": "not_applicable"}  # Pearson has no exact p
    assert repr(r).startswith("Correlation(method='pearson', coefficient=")
    nested = alliance.item_analysis([[1, 2, 3], [2, 2, 4], [3, 5, 4], [4, 4, 6]]).to_dict()
    assert isinstance(nested["alpha"], dict) and isinstance(nested["items"][0], dict)


def test_undefined_is_none_with_its_reason():
    r = alliance.pearson([1.0, 2.0, 3.0], [5.0, 5.0, 5.0])
    assert r.coefficient is None and r.reason == "zero_variance"
    assert r.reasons["coefficient"] == "zero_variance"
    t = alliance.icc_wide([[3.0, 3.0], [3.0, 3.0], [3.0, 3.0]])
    assert t["ICC"].isna().all() and set(t["reason"]) == {"constant_values"}
    assert (t["n"] == 3).all() and (t["df1"] == 2).all()  # the counts stay


def test_score_readme_example():
    # the crate's README: one WAI-SR with item 5 blank
    answers = [[4, 4, 5, 4, np.nan, 3, 5, 4, 4, 3, 4, 4]]
    s = alliance.score(answers, "WAI-SR")
    assert s.loc[0, "total"] == 4.0 and bool(s.loc[0, "prorated"])
    assert s.loc[0, "Task"] == 3.75
    assert s.loc[0, "rapport_pomp"] == 100.0 * (14.0 / 3.0 - 1.0) / 4.0
    assert s.loc[0, "answered"] == 11


def test_session_scale_flags_below_cutoff():
    # the crate's quick start: 35.1 is below the SRS cutoff of 36
    s = alliance.score([[8.1, 9.0, 9.2, 8.8]], "VAS-4")
    flags = [c for c in s.columns if c.startswith("flag_")]
    assert len(flags) == 1 and bool(s.loc[0, flags[0]])


def wide_answers(caseload, instrument, rater="client"):
    part = caseload[(caseload.instrument == instrument) & (caseload.rater == rater)]
    return part.pivot(index=["client", "session"], columns="item", values="answer").sort_index(axis=1)


def test_sample_caseload_and_both_scoring_paths():
    cl = alliance.sample_caseload()
    assert list(cl.columns) == ["client", "therapist", "session", "date", "rater",
                                "instrument", "item", "answer"]
    assert sorted(cl.client.unique()) == ["C01", "C02", "C03"]
    assert int(cl.answer.isna().sum()) == 3  # "three answers are missing" (alliance::sample)
    sessions = cl.groupby("client").session.nunique().to_dict()
    assert sessions == {"C01": 10, "C02": 12, "C03": 8}
    for instrument in ["WAI-SR", "VAS-4", "HAq-II"]:
        wide = wide_answers(cl, instrument)
        full = alliance.score(wide, instrument)
        fast = alliance.score(wide, instrument, profile=False)
        assert list(full.index) == list(wide.index)
        shared = [c for c in fast.columns if c in full.columns]
        pd.testing.assert_frame_equal(full[shared], fast[shared])


def test_walkthrough_rupture_at_six_repaired_at_eight():
    # examples/alliance_trend.rs: C02's VAS-4 total, rupture at session 6, repair at 8
    cl = alliance.sample_caseload()
    vas = alliance.score(wide_answers(cl, "VAS-4").loc["C02"], "VAS-4")
    m = alliance.Monitor(reference_sd=2.0, sudden_drop=5.0, pcoms_cutoff=36.0, key="VAS-4 total")
    rupture = repair = None
    for session, total in vas["total"].items():
        for alert in m.push(total, time=float(session)):
            if alert["code"].startswith("rupture"):
                rupture = rupture or session
            if alert["code"] == "repair":
                repair = session
    assert (rupture, repair) == (6, 8)


def test_monitor_by_session_number_and_date():
    m = alliance.Monitor(reference_sd=1.0, key="total")
    days = ["2026-03-01", "2026-03-08", "2026-03-15", "2026-03-22", "2026-03-29"]
    alerts = []
    for n, (day, x) in enumerate(zip(days, [30, 31, 30, 31, 24]), start=1):
        alerts += m.push(x, session=n, date=day)
    assert alerts and alerts[0]["session"] == 5 and alerts[0]["date"] == "2026-03-29"
    assert alerts[0]["score"] == "total" and "at session 5 (2026-03-29)" in alerts[0]["message"]
    restored = alliance.Monitor.restore(m.snapshot())
    assert restored.key == "total" and restored.sessions == 5


def test_monitor_for_instrument_and_pickle():
    import pickle

    m = alliance.Monitor.for_instrument("VAS-4")
    assert any(b.startswith("pcoms cutoff = 36") for b in m.basis)
    assert m.config()["pcoms"]["cutoff"] == 36.0
    for x in [38.0, 37.5, 35.0]:
        m.push(x)
    again = pickle.loads(pickle.dumps(m))
    assert again.snapshot() == m.snapshot() and again.basis == m.basis


def test_instruments_catalog():
    ids = [i["id"] for i in alliance.instruments()]
    assert ids == ["WAI-SR", "HAq-II", "ARM-5", "VAS-4", "ALLIANCE-4E"]
    wai = alliance.instruments()[0]
    assert wai["subscales"] == {"Task": [1, 2, 10, 12], "Bond": [3, 5, 7, 9], "Goal": [4, 6, 8, 11]}


def test_contiguous_float64_input_is_not_copied():
    a = np.arange(12, dtype=np.float64)
    assert np.shares_memory(_convert.vector(a), a)
    m = np.arange(12, dtype=np.float64).reshape(4, 3)
    assert np.shares_memory(_convert.matrix(m), m)
    assert not np.shares_memory(_convert.matrix(np.asfortranarray(m)), m)  # one copy, as needed


def test_long_computations_release_the_gil():
    """Two threads run the crate at once (the GIL is released inside): both finish with
    the single-threaded answer."""
    rng = np.random.default_rng(7)
    data = rng.integers(1, 6, size=(200_000, 2)).astype(float)
    want = alliance.icc_wide(data)
    out = [None, None]

    def run(i):
        out[i] = alliance.icc_wide(data)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for got in out:
        pd.testing.assert_frame_equal(got, want)


def test_batch_keeps_the_index_and_reports_bad_rows():
    frame = pd.DataFrame([[1.0, 2.0, 3.0, 4.0], [4.0, 3.0, np.nan, 1.0]], index=["a", "b"])
    b = alliance.mann_kendall_sen_batch(frame)
    assert list(b.index) == ["a", "b"]
    assert b.loc["a", "s"] == 6 and pd.isna(b.loc["a", "error"])
    assert b.loc["b", "error"] == "non_finite" and np.isnan(b.loc["b", "s"])


def test_type_stubs_match_the_module():
    """Every class and attribute in ``_alliance.pyi`` exists at run time, and the other way
    round; and the package ships ``py.typed``."""
    import ast
    from pathlib import Path

    import alliance._alliance as ext

    folder = Path(alliance.__file__).parent
    assert (folder / "py.typed").exists()
    tree = ast.parse((folder / "_alliance.pyi").read_text())
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    for name, node in classes.items():
        runtime = getattr(ext, name)
        stub = {f.name for f in node.body if isinstance(f, ast.FunctionDef) and f.name != "__init__"}
        public = {a for a in dir(runtime) if not a.startswith("_")}
        assert stub == public, (name, stub ^ public)
    exported = {a for a in dir(ext) if not a.startswith("_") and callable(getattr(ext, a))}
    assert exported == set(classes) | functions, exported ^ (set(classes) | functions)


def test_readme_examples_run():
    from pathlib import Path

    readme = Path(__file__).resolve().parents[1] / "README.md"
    if not readme.exists():
        pytest.skip("README.md not beside the tests")
    result = doctest.testfile(str(readme), module_relative=False,
                              optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted >= 4
