"""Bad input gives the documented errors: ``InputError`` (a ``TypeError`` and an
``AllianceError``) with an ``input_*`` code for what the package cannot read, and
``AllianceError`` with the crate's code and message for what the crate refuses."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

import alliance


def raises(code, call, kind=alliance.AllianceError):
    with pytest.raises(kind) as err:
        call()
    assert err.value.code == code, (err.value.code, str(err.value))
    return err.value


def test_error_classes():
    assert issubclass(alliance.AllianceError, ValueError)
    assert issubclass(alliance.InputError, alliance.AllianceError)
    assert issubclass(alliance.InputError, TypeError)
    err = raises("length_mismatch", lambda: alliance.pearson([1.0, 2.0, 3.0], [1.0, 2.0]))
    assert err.fields == {"what": "second rater's values", "expected": 3, "found": 2}
    assert str(err) == err.message
    again = pickle.loads(pickle.dumps(err))
    assert (type(again), again.code, again.fields, str(again)) == (
        type(err), err.code, err.fields, str(err))


def test_object_and_string_columns_are_refused():
    s = pd.Series(["4", "5", "3"])
    err = raises("input_dtype", lambda: alliance.pearson(s, [1.0, 2.0, 3.0]), alliance.InputError)
    assert "pd.to_numeric" in str(err)
    raises("input_dtype", lambda: alliance.pearson(s.astype("string"), [1.0, 2.0, 3.0]))
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": ["x", "y", "z"]})
    err = raises("input_dtype", lambda: alliance.cronbach_alpha(frame))
    assert "'b'" in str(err)
    raises("input_dtype", lambda: alliance.cronbach_alpha([[1, "a"], [2, "b"]]))
    raises("input_dtype", lambda: alliance.mann_kendall(np.array(["a", "b", "c"])))
    dates = pd.Series(pd.date_range("2026-01-01", periods=3))
    raises("input_dtype", lambda: alliance.mann_kendall(dates))


def test_categorical_columns_are_refused():
    cat = pd.Series([1, 2, 3, 2], dtype="category")
    err = raises("input_categorical", lambda: alliance.mann_kendall(cat), alliance.InputError)
    assert "categorical" in str(err)
    frame = pd.DataFrame({"a": cat, "b": [1.0, 2.0, 3.0, 4.0]})
    raises("input_categorical", lambda: alliance.icc_wide(frame))
    long = pd.DataFrame({"t": [1, 1, 2, 2], "r": ["c", "t", "c", "t"],
                         "score": pd.Series([4, 5, 3, 4], dtype="category")})
    raises("input_categorical", lambda: alliance.icc(long, "t", "r", "score"))


def test_categorical_labels_are_fine():
    long = pd.DataFrame({
        "t": pd.Series(["s1", "s1", "s2", "s2", "s3", "s3"], dtype="category"),
        "r": pd.Series(["c", "t"] * 3, dtype="category"),
        "score": [4.0, 5.0, 3.0, 4.0, 2.0, 2.5]})
    t = alliance.icc(long, "t", "r", "score")
    assert int(t.loc[0, "n"]) == 3


def test_wrong_shapes():
    raises("input_shape", lambda: alliance.icc_wide([1.0, 2.0, 3.0]), alliance.InputError)
    raises("input_shape", lambda: alliance.icc_wide(np.zeros((2, 2, 2))))
    raises("input_shape", lambda: alliance.mann_kendall([[1.0, 2.0], [3.0, 4.0]]))
    raises("input_shape", lambda: alliance.pearson(pd.DataFrame({"a": [1, 2], "b": [3, 4]}), [1, 2]))
    raises("input_shape", lambda: alliance.score(np.ones((2, 5)), "WAI-SR"))
    raises("input_shape", lambda: alliance.pearson([[1, 2], [3]], [1, 2]))
    raises("input_shape", lambda: alliance.cohen_kappa_table([[1, -2], [3, 4]]))
    raises("input_shape", lambda: alliance.cohen_kappa_table([[1.5, 2], [3, 4]]))
    raises("input_shape", lambda: alliance.score(np.ones((1, 12)), "WAI-SR", items=[1, 2]))


def test_the_crate_counts_and_refuses():
    raises("too_few_targets", lambda: alliance.icc_wide([[1.0, np.nan], [2.0, 3.0]]))
    raises("too_few_pairs", lambda: alliance.concordance([1.0, np.nan], [2.0, 3.0]))
    raises("too_few_points", lambda: alliance.ols_trend([1.0]))
    raises("not_increasing", lambda: alliance.mann_kendall([1.0, 2.0, 3.0], times=[1.0, 3.0, 2.0]))
    raises("invalid_parameter", lambda: alliance.pearson([1, 2, 3], [1, 2, 4], confidence=1.5))
    raises("unknown_category", lambda: alliance.cohen_kappa([1, 2, 7], [1, 2, 3], categories=[1, 2, 3]))


def test_nan_where_not_allowed_names_its_position():
    err = raises("non_finite", lambda: alliance.mann_kendall([3.0, np.nan, 4.0]))
    assert err.fields["index"] == 1
    err = raises("non_finite", lambda: alliance.icc_wide([[1.0, np.inf], [2.0, 3.0], [3.0, 4.0]]))
    assert err.fields["index"] == 1 and err.fields["value"] == "inf"
    raises("non_finite", lambda: alliance.reliable_change(3.0, float("nan"), sd=1.0, reliability=0.8))


def test_nan_is_missing_where_the_crate_drops_it():
    c = alliance.concordance([1.0, 2.0, np.nan, 4.0], [1.5, 2.5, 3.0, 4.5])
    assert (c.n, c.dropped, c.missing) == (3, 1, "listwise")
    nullable = pd.Series([1, 2, None, 4], dtype="Int64")
    assert alliance.concordance(nullable, [1.5, 2.5, 3.0, 4.5]).to_dict() == c.to_dict()
    assert alliance.concordance([1, 2, None, 4], [1.5, 2.5, 3.0, 4.5]).to_dict() == c.to_dict()


def test_long_data_errors():
    long = pd.DataFrame({"t": [1, 1, 2, 2, 2], "r": ["c", "t", "c", "t", "t"],
                         "score": [4.0, 5.0, 3.0, 4.0, 4.5]})
    err = raises("input_duplicate", lambda: alliance.icc(long, "t", "r", "score"), alliance.InputError)
    assert "target 2" in str(err) and "'t'" in str(err)
    raises("input_column", lambda: alliance.icc(long, "t", "rater", "score"))
    raises("input_shape", lambda: alliance.icc(long.to_numpy(), "t", "r", "score"))
    gap = pd.DataFrame({"t": [1, 1, None, 2], "r": ["c", "t", "c", "t"], "score": [4.0, 5.0, 3.0, 4.0]})
    raises("input_label", lambda: alliance.icc(gap, "t", "r", "score"))


def test_unknown_options():
    raises("input_option", lambda: alliance.cohen_kappa([1, 2], [1, 2], weights="cubic"), alliance.InputError)
    raises("input_option", lambda: alliance.krippendorff_alpha([[1, 2], [1, 2]], "cardinal"))
    raises("input_option", lambda: alliance.krippendorff_alpha([[1, 2], [1, 2]], orientation="diagonal"))
    raises("input_option", lambda: alliance.cronbach_alpha([[1, 2], [2, 3]], missing="drop"))
    raises("input_option", lambda: alliance.sen_slope([1, 2, 3], ci_method="bootstrap"))
    raises("input_option", lambda: alliance.score(np.full((1, 12), 4.0), "WAI-SR", errors="ignore"))
    raises("input_option", lambda: alliance.reliable_change(1, 2, sd=1, reliability=0.8, polarity="up"))
    raises("unrecognized", lambda: alliance.score(np.full((1, 12), 4.0), "WAI-XYZ"))


def test_score_errors_name_the_response():
    answers = pd.DataFrame([[4] * 12, [4] * 11 + [9]], index=["a", "b"])
    err = raises("in_batch", lambda: alliance.score(answers, "WAI-SR"))
    assert err.fields["response"] == 1 and err.fields["source"]["code"] == "out_of_scale"
    out = alliance.score(answers, "WAI-SR", errors="coerce")
    assert list(out.index) == ["a", "b"]
    assert pd.isna(out.loc["a", "error"]) and out.loc["b", "error"] == "out_of_scale"
    assert np.isnan(out.loc["b", "total"]) and out.loc["a", "total"] == 4.0
    too_many = pd.DataFrame([[np.nan, np.nan] + [4] * 10])  # items 1 and 2: both Task
    raises("in_batch", lambda: alliance.score(too_many, "WAI-SR"))
    assert alliance.score(too_many, "WAI-SR", errors="coerce").loc[0, "error"] == "too_many_missing"
    raises("input_column", lambda: alliance.score(answers, "WAI-SR", items=["q1"]))


def test_monitor_input_errors():
    m = alliance.Monitor(reference_sd=1.0)
    raises("input_key", lambda: alliance.Monitor(key="k" * 65), alliance.InputError)
    raises("input_snapshot", lambda: alliance.Monitor.restore("{}"))
    raises("input_snapshot", lambda: alliance.Monitor.restore("not json"))
    m.push(30.0)
    raises("not_increasing", lambda: m.push(31.0, time=0.5))
    raises("input_option", lambda: m.push(31.0, time=2.0, session=2))
    raises("input_option", lambda: m.push(31.0, date="2026-01-01"))
    raises("invalid_rule_parameter", lambda: alliance.ruptures([1.0, 2.0], reference_sd=float("nan")))
    raises("invalid_rule_parameter", lambda: alliance.Monitor(reference_sd=-1.0))


def test_coerce_keeps_the_columns_of_the_path_asked_for():
    answers = pd.DataFrame([[4] * 12, [4] * 11 + [9]])
    fast = alliance.score(answers, "WAI-SR", profile=False, errors="coerce")
    assert list(fast.columns) == ["total", "Task", "Bond", "Goal", "answered", "prorated", "error"]
    full = alliance.score(answers, "WAI-SR", errors="coerce")
    assert "total_pomp" in full.columns and "rapport_pomp" in full.columns
    assert fast.loc[0, "total"] == full.loc[0, "total"]
