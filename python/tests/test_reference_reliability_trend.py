"""The crate's stored reference values for reliability and trends (``tests/reference/``),
checked through the Python package with the tolerances of ``tests/reliability.rs``,
``tests/trend_stats.rs``, ``src/trend/sen.rs`` and ``tests/trend_detectors.rs``."""

from __future__ import annotations

import numpy as np

import alliance
from conftest import (
    assert_close,
    check_relative as check,
    check_trend,
    check_trend_zeroish,
    nan_matrix,
    reference,
)

# ---- Cronbach's alpha: pingouin 0.6.1, R psych 2.2.9, Feldt recomputation ----


def test_alpha_matches_pingouin_psych_and_feldt_recomputation():
    cases = reference("cronbach_reference.json")["cases"]
    assert len(cases) >= 20
    for case in cases:
        name = case["name"]
        data = np.array(nan_matrix(case["data"]))
        ia = alliance.item_analysis(data)
        a = alliance.cronbach_alpha(data)
        assert a.to_dict() == ia.alpha.to_dict(), f"{name}: both routes agree"
        assert a.ci_method == "feldt"
        pg, ps, re = case["pingouin"], case["psych"], case["formula_recomputation"]
        check(f"{name} alpha pingouin", a.coefficient, pg["alpha"])
        check(f"{name} alpha recomputation", a.coefficient, re["alpha"])
        check(f"{name} feldt lo", a.ci[0], re["lower"])
        check(f"{name} feldt hi", a.ci[1], re["upper"])
        assert a.n == re["n"], f"{name} n after deletion"
        assert (a.n + a.dropped, a.ci_n) == (data.shape[0], a.n)
        if not np.isnan(data).any():
            pr = pg["ci_rounded_3dp_n_before_deletion"]
            assert abs(a.ci[0] - pr[0]) <= 0.0005 + 1e-12, f"{name} pg lo"
            assert abs(a.ci[1] - pr[1]) <= 0.0005 + 1e-12, f"{name} pg hi"
        if "constant_item" in name:
            assert a.standardized is None and a.reasons["standardized"] == "zero_variance"
            assert abs(a.coefficient - ps["raw_alpha"]) > 0.05, f"{name}: psych differs"
            continue
        check(f"{name} alpha psych", a.coefficient, ps["raw_alpha"])
        check(f"{name} std alpha psych", a.standardized, ps["std_alpha"])
        if data.shape[1] < 3:
            assert all(i.reasons["alpha_if_deleted"] == "too_few_observations" for i in ia.items)
            continue
        for j, item in enumerate(ia.items):
            check(f"{name} item {j} alpha if deleted", item.alpha_if_deleted, ps["drop_raw_alpha"][j])
            check(f"{name} item {j} r.drop", item.corrected_item_total, ps["r_drop"][j])


def test_pairwise_alpha_matches_pingouin_and_recomputation():
    cases = reference("cronbach_reference.json")["pairwise_cases"]
    assert len(cases) >= 5
    for case in cases:
        name = case["name"]
        data = np.array(nan_matrix(case["data"]))
        a = alliance.cronbach_alpha(data, missing="pairwise")
        assert a.missing == "pairwise"
        re = case["formula_recomputation"]
        check(f"{name} pingouin", a.coefficient, case["pingouin"]["alpha"])
        check(f"{name} recomputation", a.coefficient, re["alpha"])
        assert a.n == re["n"]
        assert (a.ci_n, a.n + a.dropped) == (a.n, data.shape[0])
        check(f"{name} feldt lo", a.ci[0], re["lower"])
        check(f"{name} feldt hi", a.ci[1], re["upper"])


def test_pairwise_all_respondents_matches_psych_and_pingouin():
    psych = reference("cronbach_pairwise_psych.json")["cases"]
    pingouin = reference("cronbach_reference.json")["pairwise_cases"]
    assert len(psych) >= 5 and len(psych) == len(pingouin)
    for ps, pg in zip(psych, pingouin):
        name = ps["name"]
        assert name == pg["name"]
        data = np.array(nan_matrix(pg["data"]))
        a = alliance.cronbach_alpha(data, missing="pairwise", feldt_n="all_respondents")
        assert a.ci_n == ps["n_obs"] == data.shape[0]
        check(f"{name} psych raw", a.coefficient, ps["raw_alpha"])
        assert not ps["smoothed"]
        check(f"{name} psych std", a.standardized, ps["std_alpha"])
        check(f"{name} psych feldt lo", a.ci[0], ps["feldt_lower"])
        check(f"{name} psych feldt hi", a.ci[1], ps["feldt_upper"])
        rounded = pg["pingouin"]["ci_rounded_3dp_n_all_rows"]
        assert abs(a.ci[0] - rounded[0]) <= 0.0005 + 1e-12
        assert abs(a.ci[1] - rounded[1]) <= 0.0005 + 1e-12


# ---- OLS, Mann-Kendall, Hamed-Rao, Sen (trend_stats.json, sen_interpolated.json) ----


def trend_cases():
    return reference("trend_stats.json")["cases"]


def test_ols_matches_scipy_linregress_and_statsmodels():
    compared = 0
    for case in trend_cases():
        if "linregress" not in case:
            continue
        name, lr = case["name"], case["linregress"]
        fit = alliance.ols_trend(case["y"], times=case["t"])
        check_trend_zeroish(f"{name} slope", fit.slope, lr["slope"])
        check_trend(f"{name} intercept", fit.intercept, lr["intercept"])
        if fit.fit != "residuals":
            check_trend(f"{name} stderr", fit.slope_se, lr["stderr"])
            continue
        ols = case["ols"]
        check_trend(f"{name} se", fit.slope_se, lr["stderr"])
        check_trend(f"{name} se0", fit.intercept_se, lr["intercept_stderr"])
        check_trend(f"{name} p", fit.p, lr["pvalue"])
        r = lr["rvalue"]
        check_trend_zeroish(f"{name} r2", fit.r_squared, r * r)
        check_trend_zeroish(f"{name} sm r2", fit.r_squared, ols["rsquared"])
        check_trend_zeroish(f"{name} sm t", fit.t, ols["tvalues"][1])
        check_trend(f"{name} sm p", fit.p, ols["pvalues"][1])
        check_trend(f"{name} sm se0", fit.intercept_se, ols["bse"][0])
        check_trend(f"{name} sm sd", fit.residual_sd, ols["resid_sd"])
        check_trend(f"{name} ci lo", fit.slope_ci[0], ols["conf_int_mpmath"][1][0])
        check_trend(f"{name} ci hi", fit.slope_ci[1], ols["conf_int_mpmath"][1][1])
        check_trend(f"{name} ci0 lo", fit.intercept_ci[0], ols["conf_int_mpmath"][0][0])
        check_trend(f"{name} ci0 hi", fit.intercept_ci[1], ols["conf_int_mpmath"][0][1])
        compared += 1
    assert compared >= 20


def test_mann_kendall_matches_pymannkendall_and_scipy():
    compared = exact = 0
    for case in trend_cases():
        name = case["name"]
        mk = alliance.mann_kendall(case["y"], times=case["t"])
        o = case["original_test"]
        assert mk.s == o["s"], name
        check_trend(f"{name} var", mk.var_s, o["var_s"])
        check_trend(f"{name} z", mk.z, o["z"])
        check_trend(f"{name} p_normal", mk.p_normal, o["p_sf"])
        check_trend(f"{name} tau_a", mk.tau_a, o["tau"])
        tau_b = case["kendalltau"]["tau_b"]
        if tau_b is None:
            assert mk.tau_b is None and mk.reasons["tau_b"] == "constant_values", name
        else:
            check_trend(f"{name} tau_b", mk.tau_b, tau_b)
        if "exact_p" in case:
            assert mk.p_method == "exact" and mk.p_exact == mk.p, name
            assert abs(mk.p - case["exact_p"]) <= 1e-12 * case["exact_p"], name
            check_trend(f"{name} p exact scipy", mk.p, case["kendalltau"]["p_exact"])
            exact += 1
        elif mk.tie_groups > 0:
            assert mk.p_method == "normal" and mk.reasons["p_exact"] == "tied_values"
            assert mk.p == mk.p_normal
        else:
            assert mk.p_method == "normal" and mk.reasons["p_exact"] == "beyond_exact_limit"
        compared += 1
    assert compared >= 20 and exact >= 10


def test_hamed_rao_matches_pymannkendall():
    compared = 0
    for case in trend_cases():
        name = case["name"]
        for key, lags in [("hamed_rao", None), ("hamed_rao_lag3", 3)]:
            if key not in case:
                continue
            h = case[key]
            ours = alliance.mann_kendall_hamed_rao(case["y"], times=case["t"], lags=lags)
            assert ours.s == h["s"], name
            check_trend(f"{name} {key} slope", ours.sen_slope, h["slope"])
            if h["defined"]:
                check_trend(f"{name} {key} var", ours.var_s, h["var_s"])
                check_trend(f"{name} {key} z", ours.z, h["z"])
                check_trend(f"{name} {key} p", ours.p, h["p_sf"])
                compared += 1
            else:
                assert ours.reasons["correction"] == "constant_detrended_ranks"
                if ours.s == 0:
                    assert (ours.z, ours.p) == (0.0, 1.0)
                else:
                    assert h["z"] is None and ours.z is None, name
    assert compared >= 20


def test_sen_matches_scipy_theilslopes_and_pymannkendall():
    compared = clamped = 0
    for case in trend_cases():
        name, ts = case["name"], case["theilslopes"]
        sen = alliance.sen_slope(case["y"], times=case["t"])
        check_trend(f"{name} slope", sen.slope, ts["slope"])
        check_trend(f"{name} conover", sen.intercept, ts["intercept_separate"])
        if sen.ci is not None:
            check_trend(f"{name} low", sen.ci[0], ts["low"])
            check_trend(f"{name} high", sen.ci[1], ts["high"])
        else:
            assert sen.reasons["ci"] == "rank_out_of_range" and len(case["y"]) <= 4, name
            assert sen.lower_rank < 1.0 or sen.upper_rank > sen.slopes
            clamped += 1
        joint = alliance.sen_slope(case["y"], times=case["t"], intercept="joint_median")
        check_trend(f"{name} joint", joint.intercept, ts["intercept_joint"])
        if "sens_slope" in case:
            p = case["sens_slope"]
            check_trend(f"{name} pymk slope", sen.slope, p["slope"])
            n = len(case["y"])
            sen0 = alliance.sen_slope(case["y"], times=np.arange(n, dtype=float))
            check_trend(f"{name} pymk intercept", sen0.intercept, p["intercept_t0"])
            check_trend(f"{name} pymk shift", sen.intercept + sen.slope, p["intercept_t0"])
        compared += 1
    assert compared >= 20 and clamped >= 1


def test_interpolated_interval_matches_mannkendall():
    """``src/trend/sen.rs::interpolated_interval_matches_mannkendall``: relative 1e-9."""
    series = trend_cases()
    want_all = reference("sen_interpolated.json")["cases"]
    compared = undefined = 0
    for case, want in zip(series, want_all):
        name = case["name"]
        assert name == want["name"]
        for key, level in [("95", 0.95), ("90", 0.9)]:
            g = want[key]
            sen = alliance.sen_slope(case["y"], times=case["t"], confidence=level,
                                     ci_method="interpolated")
            assert sen.ci_method == "interpolated_slopes"
            check_trend(f"{name} var", sen.var_s, want["var_s"])
            check_trend(f"{name} slope", sen.slope, g["slope"])
            if g["in_range"]:
                check_trend(f"{name} {key} lcl", sen.ci[0], g["lcl"])
                check_trend(f"{name} {key} ucl", sen.ci[1], g["ucl"])
                compared += 1
            else:
                assert sen.reasons["ci"] == "rank_out_of_range", name
                undefined += 1
    assert compared >= 50 and undefined >= 1


def test_batch_equals_single_series_on_the_reference_series():
    """The batch path returns what the single-series functions return, bit for bit, on
    every reference series of a common length."""
    by_length = {}
    for case in trend_cases():
        by_length.setdefault(len(case["y"]), []).append(case)
    for n, group in by_length.items():
        t = group[0]["t"]
        same_t = [c for c in group if c["t"] == t]
        b = alliance.mann_kendall_sen_batch(np.array([c["y"] for c in same_t]), times=t)
        for i, case in enumerate(same_t):
            mk = alliance.mann_kendall(case["y"], times=t)
            sen = alliance.sen_slope(case["y"], times=t)
            assert (b["s"][i], b["p"][i], b["z"][i]) == (mk.s, mk.p, mk.z)
            assert (b["slope"][i], b["intercept"][i]) == (sen.slope, sen.intercept)
            if sen.ci is None:
                assert np.isnan(b["ci_lower"][i])
            else:
                assert (b["ci_lower"][i], b["ci_upper"][i]) == sen.ci


# ---- ruptures and sudden drops (detectors_*.json, hand-worked) ----


def close_detector(got, want, what):
    assert_close(what, got, want, 1e-9, 1e-9 * 1e-300)


def test_ruptures_match_hand_worked_cases():
    checked = 0
    for case in reference("detectors_ruptures.json")["cases"]:
        name, p = case["name"], case["params"]
        got = alliance.ruptures(
            case["values"], p["ref_sd"], lenient=p.get("lenient", 1.0),
            strict=p.get("strict", 2.0), repair_window=int(p.get("window", 3)),
            repair_fraction=p.get("fraction", 0.5), min_history=int(p.get("min_history", 3)),
            reference=p.get("reference", "preceding"),
        )
        expected = case["expected"]
        assert len(got.ruptures) == len(expected), name
        for r, e in zip(got.ruptures, expected):
            assert r.index == e["index"], name
            for key in ["z", "baseline_mean", "baseline_sd", "sd_used", "depth", "repair_threshold"]:
                close_detector(getattr(r, key), e[key], f"{name} {key}")
            assert r.level == e["level"], name
            assert r.repair == e["repair"]["status"], name
            if r.repair == "repaired":
                assert r.repair_index == e["repair"]["index"], name
            checked += 1
    assert checked >= 8


def test_sudden_drops_match_hand_worked_cases():
    for case in reference("detectors_sudden.json")["cases"]:
        name, p = case["name"], case["params"]
        got = alliance.sudden_drops(case["values"], p["cutoff"], scale_min=p.get("scale_min", 0.0),
                                    end=p.get("end", "wait"))
        expected = case["expected"]
        assert got.tested == len(expected) and got.n == len(case["values"]), name
        drops = [e for e in expected if e["size_met"] and e["relative_met"] and e["stability_met"]]
        assert [d.before for d in got.drops] == [e["before"] for e in drops], name
        for d, e in zip(got.drops, drops):
            for key in ["drop", "relative_threshold", "mean_before", "mean_after", "pooled_sd",
                        "critical_value"]:
                close_detector(getattr(d, key), e[key], f"{name} {key}")
            assert (d.n_before, d.n_after) == (e["sessions_before"], e["sessions_after"])
