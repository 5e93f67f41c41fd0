"""The crate's stored reference values for agreement (``tests/reference/``), checked through
the Python package with the tolerances of the Rust tests (``tests/agreement_*.rs``)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import alliance
from conftest import (
    assert_close,
    check_continuous as check,
    nan_matrix,
    nan_vector,
    reference,
)

# ---- ICC: R psych 2.2.9, pingouin 0.6.1, formula re-computation (icc_reference.json) ----


def test_shrout_fleiss_1979_published_values():
    forms = alliance.icc_table([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8],
                                [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]])
    published = [0.17, 0.29, 0.71, 0.44, 0.62, 0.91]  # Shrout & Fleiss (1979), Table 4
    for form, want in zip(forms, published):
        assert abs(form.coefficient - want) <= 0.005, (form.shrout_fleiss, form.coefficient)
    assert [f.shrout_fleiss for f in forms] == [
        "ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)"]


def test_icc_matches_psych_and_pingouin():
    cases = reference("icc_reference.json")["cases"]
    assert len(cases) >= 21
    for case in cases:
        name = case["name"]
        data = nan_matrix(case["data"])
        table = alliance.icc_wide(data)
        forms = alliance.icc_table(data)
        ps, pg, re = case["psych"], case["pingouin"], case["formula_recomputation"]
        ms = forms[1]
        for got, key in [(ms.ms_rows, "rows"), (ms.ms_columns, "columns"),
                         (ms.ms_error, "error"), (ms.ms_within, "within")]:
            check(f"{name} MS {key}", got, re["ms"][key])
        for i, form in enumerate(forms):
            what = f"{name} {form.name}"
            check(f"{what} ICC psych", form.coefficient, ps["ICC"][i])
            check(f"{what} ICC pingouin", form.coefficient, pg["ICC"][i])
            check(f"{what} F psych", form.f, ps["F"][i])
            check(f"{what} F pingouin", form.f, pg["F"][i])
            assert form.df1 == ps["df1"][i] and form.df2 == ps["df2"][i], what
            check(f"{what} p psych", form.p, ps["p"][i])
            check(f"{what} p pingouin", form.p, pg["pval"][i])
            assert form.p_method == "f"
            lower, upper = form.ci
            check(f"{what} lower psych", lower, ps["lower"][i])
            check(f"{what} upper psych", upper, ps["upper"][i])
            check(f"{what} lower formula", lower, re["lower"][i])
            check(f"{what} upper formula", upper, re["upper"][i])
            rounded = pg["ci95_rounded_2dp"][i]  # pingouin rounds to 2 decimals
            assert abs(lower - rounded[0]) <= 0.005 + 1e-12, what
            assert abs(upper - rounded[1]) <= 0.005 + 1e-12, what
            # the DataFrame carries the same numbers, pingouin's labels first
            row = table.iloc[i]
            assert row["Type"] == pg["type"][i]
            assert row["ICC"] == form.coefficient and row["pval"] == form.p
            assert list(row["CI95"]) == [lower, upper]
        rows_complete = int(np.sum(~np.isnan(np.array(data)).any(axis=1)))
        assert forms[1].n == rows_complete
        assert forms[1].n + forms[1].dropped == len(data)


def test_icc_long_equals_wide_on_every_reference_case():
    import pandas as pd

    for case in reference("icc_reference.json")["cases"]:
        data = np.array(nan_matrix(case["data"]))
        n, k = data.shape
        long = pd.DataFrame({
            "target": np.repeat([f"t{i:03d}" for i in range(n)], k),
            "rater": np.tile([f"r{j}" for j in range(k)], n),
            "rating": data.ravel(),
        }).sample(frac=1.0, random_state=1)  # row order must not matter
        a = alliance.icc(long, "target", "rater", "rating")
        b = alliance.icc_wide(data)
        pd.testing.assert_frame_equal(a, b)


# ---- Pearson, Spearman, Lin's CCC, Bland-Altman (continuous_reference.json) ----


def test_paired_methods_match_scipy_pingouin_and_recomputation():
    cases = reference("continuous_reference.json")["cases"]
    assert len(cases) >= 20
    for case in cases:
        name, x, y = case["name"], case["x"], case["y"]
        n = len(x)
        p = alliance.pearson(x, y)
        sp = case["scipy_pearsonr"]
        check(f"{name} pearson r", p.coefficient, sp["r"])
        check(f"{name} pearson p", p.p, sp["p"])
        check(f"{name} pearson lo", p.ci[0], sp["ci"][0])
        check(f"{name} pearson hi", p.ci[1], sp["ci"][1])
        pg = case["pingouin_corr"]
        check(f"{name} pg r", p.coefficient, pg["pearson"]["r"])
        check(f"{name} pg p", p.p, pg["pearson"]["p"])
        s = alliance.spearman(x, y)
        ss = case["scipy_spearmanr"]
        check(f"{name} spearman r", s.coefficient, ss["r"])
        check(f"{name} spearman p", s.p, ss["p"])
        check(f"{name} pg rho", s.coefficient, pg["spearman"]["r"])
        re = case["spearman_fisher_ci_recomputation"]
        check(f"{name} spearman lo", s.ci[0], re[0])
        check(f"{name} spearman hi", s.ci[1], re[1])
        pr = pg["spearman"]["ci_rounded_2dp"]
        assert abs(s.ci[0] - pr[0]) <= 0.005 + 1e-12 and abs(s.ci[1] - pr[1]) <= 0.005 + 1e-12
        c = alliance.concordance(x, y)
        lin = case["ccc_recomputation"]
        check(f"{name} ccc", c.coefficient, lin["ccc"])
        check(f"{name} ccc r", c.pearson_r, lin["r"])
        check(f"{name} scale", c.scale_shift, lin["scale_shift"])
        check(f"{name} loc", c.location_shift, lin["location_shift"])
        if lin["c_b"] is None:
            assert abs(c.pearson_r) < 1e-12, name
        else:
            check(f"{name} C_b", c.bias_correction, lin["c_b"])
            check(f"{name} ccc se", c.se, lin["se"])
            check(f"{name} ccc lo", c.ci[0], lin["lower"])
            check(f"{name} ccc hi", c.ci[1], lin["upper"])
        ba = alliance.bland_altman(x, y)
        b = case["bland_altman_recomputation"]
        check(f"{name} bias", ba.bias, b["bias"])
        check(f"{name} sd", ba.sd, b["sd"])
        check(f"{name} loa lo", ba.lower_limit, b["lower_limit"])
        check(f"{name} loa hi", ba.upper_limit, b["upper_limit"])
        for key in ["bias_ci", "lower_limit_ci", "upper_limit_ci"]:
            iv = getattr(ba, key)
            check(f"{name} {key} lo", iv[0], b[key][0])
            check(f"{name} {key} hi", iv[1], b[key][1])
        assert (p.n, s.n, c.n, ba.n) == (n, n, n, n)
        assert (p.dropped, s.dropped, c.dropped, ba.dropped) == (0, 0, 0, 0)


def test_concordance_matches_desctools_both_intervals():
    cases = reference("continuous_ccc_reference.json")["cases"]
    assert len(cases) >= 28
    for case in cases:
        name = case["name"]
        c = alliance.concordance(case["x"], case["y"])
        d = case["desctools_formula"]
        if d is None:
            assert c.se is None and c.reasons["se"] == "zero_denominator", name
            assert c.se_z is None and c.reasons["se_z"] == "zero_denominator", name
            assert c.ci_asymptotic is None
            continue
        check(f"{name} ccc", c.coefficient, d["ccc"])
        check(f"{name} se", c.se, d["se"])
        check(f"{name} se_z", c.se_z, d["se_z"])
        check(f"{name} z lo", c.ci[0], d["z_transform"][0])
        check(f"{name} z hi", c.ci[1], d["z_transform"][1])
        check(f"{name} asym lo", c.ci_asymptotic[0], d["asymptotic"][0])
        check(f"{name} asym hi", c.ci_asymptotic[1], d["asymptotic"][1])
        assert (c.level, c.ci_method) == (0.95, "fisher_z")


def test_spearman_exact_p_matches_r_cor_test():
    cases = reference("continuous_reference.json")["spearman_exact"]
    assert len(cases) >= 10
    for case in cases:
        s = alliance.spearman(case["x"], case["y"])
        check(f"{case['name']} rho", s.coefficient, case["r_cor_test"]["rho"])
        check(f"{case['name']} exact p", s.p_exact, case["r_cor_test"]["p"])
    tied = alliance.spearman([1, 2, 2, 3], [1, 3, 2, 4])
    assert tied.p_exact is None and tied.reasons["p_exact"] == "tied_values"
    ten = list(range(10))
    assert alliance.spearman(ten, ten).reasons["p_exact"] == "beyond_exact_limit"


# ---- Cohen's kappa, multi-rater, Krippendorff (kappa_cases.json, kappa_tables.json,
# ---- krippendorff_cases.json): the 1e-9 relative rule of tests/agreement_categorical.rs ----

REL = 1e-9


def close_cat(got, want, what):
    assert_close(what, got, want, REL, 1e-15)


def close_printed(got, want, decimals, what):
    half_unit = 0.5 * 10.0 ** (-decimals)
    assert abs(got - want) <= half_unit + 1e-12, f"{what}: got {got}, published {want}"


def categories_of(case):
    return [c for c in case["categories"] if c is not None]


def weights_of(case):
    w = case["weighting"]
    if w == "custom":
        return np.array(case["custom_weights"], dtype=float)
    return w


def check_statsmodels(k, sm, name):
    close_cat(k.coefficient, sm["kappa"], f"{name} kappa")
    close_cat(k.se, sm["se"], f"{name} se")
    close_cat(k.se_null, sm["se_null"], f"{name} se_null")
    close_cat(k.z, sm["z"], f"{name} z")
    close_cat(k.p, sm["p_two_sided"], f"{name} p")
    close_cat(k.ci[0], sm["ci_lower"], f"{name} lower")
    close_cat(k.ci[1], sm["ci_upper"], f"{name} upper")


def symmetric(w):
    return isinstance(w, str) or np.array_equal(w, w.T)


def test_cohen_kappa_matches_statsmodels_and_irrcac():
    cases = reference("kappa_cases.json")["cohen"]
    assert len(cases) >= 20
    for case in cases:
        name = case["name"]
        w = weights_of(case)
        a, b = nan_vector(case["rater_a"]), nan_vector(case["rater_b"])
        k = alliance.cohen_kappa(a, b, categories=categories_of(case), weights=w)
        assert k.coefficient is not None, name
        check_statsmodels(k, case["statsmodels"], name)
        assert (k.ci_method, k.p_method) == ("normal", "normal")
        irr = case["irrCAC"]
        close_cat(k.coefficient, irr["kappa_table"], f"{name} irrCAC table kappa")
        close_cat(k.observed_agreement, irr["pa"], f"{name} pa")
        close_cat(k.chance_agreement, irr["pe"], f"{name} pe")
        if symmetric(w):
            close_cat(k.coefficient, irr["kappa_conger"], f"{name} irrCAC conger")
            close_cat(k.se, irr["se_table"], f"{name} irrCAC se")
        dropped = sum(1 for x, y in zip(a, b) if math.isnan(x) or math.isnan(y))
        assert (k.n, k.dropped) == (len(a) - dropped, dropped), name
        assert k.missing == "listwise"
        if "published" in case:
            p = case["published"]
            d = int(p["decimals"])
            for got, key in [(k.coefficient, "kappa"), (k.se, "se"), (k.ci[0], "ci_lower"),
                             (k.ci[1], "ci_upper"), (k.se_null, "se_null"), (k.z, "z"),
                             (k.p, "p_two_sided")]:
                close_printed(got, p[key], d, f"{name} published {key}")


def test_cohen_kappa_tables_match_statsmodels_and_published_values():
    cases = reference("kappa_tables.json")["cases"]
    assert len(cases) >= 9
    for case in cases:
        name = case["name"]
        cats = categories_of(case)
        if case.get("disagreement_weights") is not None:
            w, kind = np.array(case["disagreement_weights"], dtype=float), "disagreement"
        elif case.get("agreement_weights") is not None:
            w, kind = np.array(case["agreement_weights"], dtype=float), "agreement"
        else:
            w, kind = "unweighted", "agreement"
        k = alliance.cohen_kappa_table(case["table"], categories=cats, weights=w, weights_kind=kind)
        check_statsmodels(k, case["statsmodels"], name)
        assert k.n == int(np.sum(case["table"]))
        if "irrCAC" in case:
            irr = case["irrCAC"]
            close_cat(k.coefficient, irr["kappa"], f"{name} irrCAC")
            close_cat(k.se, irr["se"], f"{name} irrCAC se")
            close_cat(k.observed_agreement, irr["pa"], f"{name} irrCAC pa")
            close_cat(k.chance_agreement, irr["pe"], f"{name} irrCAC pe")
        if "published" in case:
            close_printed(k.coefficient, case["published"]["kappa"],
                          int(case["published"]["decimals"]), f"{name} published")


def test_multi_rater_coefficients_match_irrcac_and_statsmodels():
    cases = reference("kappa_cases.json")["multi"]
    assert len(cases) >= 20
    methods = [("fleiss", alliance.fleiss_kappa), ("gwet", alliance.gwet_ac),
               ("bp", alliance.brennan_prediger)]
    for case in cases:
        name = case["name"]
        cats, w = categories_of(case), weights_of(case)
        rows = nan_matrix(case["rows"])
        for key, method in methods:
            est = method(rows, categories=cats, weights=w)
            assert est.coefficient is not None, f"{name} {key} undefined"
            irr = case["irrCAC"][key]
            what = lambda s: f"{name} {key} {s}"  # noqa: E731
            close_cat(est.coefficient, irr["value"], what("value"))
            close_cat(est.observed_agreement, irr["pa"], what("pa"))
            close_cat(est.chance_agreement, irr["pe"], what("pe"))
            close_cat(est.se, irr["se"], what("se"))
            close_cat(est.t, irr["z"], what("z"))
            exact = irr["mpmath"]
            close_cat(est.df, exact["df"], what("df"))
            close_cat(est.ci[0], exact["ci_lower"], what("lower"))
            close_cat(est.ci[1], exact["ci_upper"], what("upper"))
            close_cat(est.p, exact["p_two_sided"], what("p"))
            t_gap = 5e-9 * exact["t_quantile"] * est.se
            assert abs(est.ci[0] - irr["ci_lower"]) <= t_gap, what("irrCAC lower")
            assert abs(min(est.ci[1], 1.0) - irr["ci_upper_capped_at_1"]) <= t_gap
            assert (est.ci_method, est.p_method) == ("student_t", "student_t")
        if "statsmodels" in case:
            k = alliance.fleiss_kappa(rows, categories=cats, weights=w)
            close_cat(k.coefficient, case["statsmodels"]["kappa"], name)
        if "published" in case:
            k = alliance.fleiss_kappa(rows, categories=cats, weights=w)
            close_printed(k.coefficient, case["published"]["kappa"], 7, "Fleiss 1971 kappa")
            close_printed(k.coefficient, 0.430, 3, "Fleiss 1971 kappa as printed")
            assert abs(k.z_null - case["published"]["z_null"]) <= 0.5e-5


def test_krippendorff_alpha_matches_krippendorff_package_and_irrcac():
    cases = reference("krippendorff_cases.json")["cases"]
    assert len(cases) >= 20
    for case in cases:
        name = case["name"]
        rows = nan_matrix(case["rows"])  # units x coders
        for metric, want in case["krippendorff"].items():
            a = alliance.krippendorff_alpha(rows, metric, orientation="units_by_coders")
            assert a.coefficient is not None, f"{name} {metric} undefined"
            close_cat(a.coefficient, want, f"{name} {metric} vs krippendorff")
            irr = case["irrCAC"].get(metric)
            if irr is not None and metric != "ordinal":
                close_cat(a.coefficient, irr, f"{name} {metric} vs irrCAC")
            if "published" in case:
                close_printed(a.coefficient, case["published"][metric], 3, f"{name} published")
            # the krippendorff package's layout (coders x units) gives the same result
            b = alliance.krippendorff_alpha(np.array(rows).T, metric)
            assert b.to_dict() == a.to_dict()


def test_krippendorff_2011_example_counts_units_and_values():
    rows = nan_matrix(reference("krippendorff_cases.json")["cases"][0]["rows"])
    a = alliance.krippendorff_alpha(rows, "nominal", orientation="units_by_coders")
    assert (a.n, a.dropped, a.pairable) == (11, 1, 40)
    assert a.missing == "available_ratings"
    assert a.ci is None and a.reasons["ci"] == "not_requested"
    assert abs(a.coefficient - (1 - a.observed_disagreement / a.expected_disagreement)) < 1e-15
