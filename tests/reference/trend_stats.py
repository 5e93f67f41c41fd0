"""Reference values for alliance::trend statistics (OLS, Mann-Kendall, Hamed-Rao, Sen).

Regenerate with:  python3 tests/reference/trend_stats.py > tests/reference/trend_stats.json
Packages: scipy 1.12.0, statsmodels 0.15.0, pymannkendall 1.4.3, numpy (see "versions").
Every case stores its input and the exact calls below. p-values from pymannkendall are
computed as 2*(1 - norm.cdf(|z|)), which loses relative precision for small p; beside them we
store 2*scipy.stats.norm.sf(|z|) ("p_sf") on the same z, which the Rust tests match.
The exact Mann-Kendall p-values are also computed with exact rational arithmetic
(Mahonian numbers by Python integers), independent of scipy.
"""
import json
import warnings
import math
from fractions import Fraction

import mpmath
import numpy as np
from mpmath import mp, mpf
import pymannkendall as mk
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats

CALLS = {
    "linregress": "scipy.stats.linregress(t, y)",
    "ols": "statsmodels.api.OLS(y, statsmodels.api.add_constant(t)).fit(); params, bse, tvalues, pvalues, conf_int(alpha=0.05), rsquared, sqrt(scale); conf_int_mpmath = params +- t(0.975, n-2) * bse with the t quantile from mpmath 40 digits",
    "original_test": "pymannkendall.original_test(y)  (order only)",
    "hamed_rao": "pymannkendall.hamed_rao_modification_test(y)  and (y, lag=3); only for unit-spaced times",
    "sens_slope": "pymannkendall.sens_slope(y)  (times 0..n-1)",
    "theilslopes": "scipy.stats.theilslopes(y, t, 0.95, method='separate' / 'joint')",
    "kendalltau": "scipy.stats.kendalltau(t, y) (tau-b, p auto); method='exact' where y has no ties",
    "exact_p": "2 * P(Q <= min(Q, N - Q)) with Mahonian counts in Python integers, capped at 1",
}


def mahonian_cdf(n, q):
    counts = [1]
    for j in range(2, n + 1):
        new = [0] * (len(counts) + j - 1)
        for k, c in enumerate(counts):
            for i in range(j):
                new[k + i] += c
        counts = new
    return Fraction(sum(counts[: q + 1]), math.factorial(n))


def exact_p(y):
    n = len(y)
    disc = sum(1 for i in range(n) for j in range(i + 1, n) if y[j] < y[i])
    tot = n * (n - 1) // 2
    q = min(disc, tot - disc)
    if 2 * q == tot:
        return 1.0
    return float(min(Fraction(1), 2 * mahonian_cdf(n, q)))


def series_cases():
    rng = np.random.default_rng(20261125)
    cases = []
    # unit-spaced sessions (times 1..n): continuous scores, trends and noise
    for n, trend in [(4, 0.3), (5, 0.0), (6, 0.2), (8, -0.1), (10, 0.05), (12, 0.0), (15, 0.1),
                     (20, -0.05), (25, 0.02), (30, 0.0), (40, 0.03), (49, -0.01), (60, 0.02),
                     (100, 0.005)]:
        t = np.arange(1, n + 1, dtype=float)
        y = 4.0 + trend * t + rng.normal(0, 0.4, n)
        cases.append(("unit_continuous_n%d" % n, t, np.round(y, 6)))
    # autocorrelated (AR(1)) series for Hamed-Rao
    for n, phi in [(20, 0.6), (30, 0.8), (50, 0.5), (80, 0.7), (40, -0.5)]:
        t = np.arange(1, n + 1, dtype=float)
        e = np.zeros(n)
        for i in range(1, n):
            e[i] = phi * e[i - 1] + rng.normal(0, 0.3)
        y = 5.0 + 0.01 * t + e
        cases.append(("unit_ar1_n%d_phi%g" % (n, phi), t, np.round(y, 6)))
    # Likert-like totals with ties (ceiling-bound alliance scores)
    for n in [5, 8, 10, 12, 16, 20, 30, 45]:
        t = np.arange(1, n + 1, dtype=float)
        y = np.minimum(7, np.round(5 + 0.05 * t + rng.normal(0, 0.8, n)))
        cases.append(("unit_ties_n%d" % n, t, y))
    # hand-made edge cases on sessions 1..n
    for name, y in [("exact_line_n6", [3, 5, 7, 9, 11, 13.0]), ("constant_n6", [4.0] * 6),
                    ("alternating_n5", [1, 3, 1, 3, 1.0]), ("alternating_n8", [1, 3, 1, 3, 1, 3, 1, 3.0]),
                    ("alternating_n10", [2, 1, 2, 1, 2, 1, 2, 1, 2, 1.0]), ("increasing_n3", [1, 2, 3.0]),
                    ("zigzag_n6", [1, 5, 2, 6, 3, 7.0])]:
        cases.append((name, np.arange(1, len(y) + 1, dtype=float), np.array(y)))
    # sessions with gaps (times not unit spaced): OLS, theilslopes, kendalltau only
    for n in [3, 5, 7, 11, 18, 26]:
        t = np.sort(rng.choice(np.arange(1, 3 * n), size=n, replace=False)).astype(float)
        y = 30 + 0.4 * t + rng.normal(0, 2, n)
        cases.append(("gaps_n%d" % n, t, np.round(y, 4)))
    return cases


def unit(t):
    return bool(np.all(np.diff(t) == 1.0))


def p_sf(z):
    return float(2 * stats.norm.sf(abs(z)))


def main():
    warnings.simplefilter("ignore")
    out = {"versions": {"scipy": scipy.__version__, "statsmodels": statsmodels.__version__,
                        "pymannkendall": "1.4.3", "numpy": np.__version__},
           "calls": CALLS, "cases": []}
    for name, t, y in series_cases():
        t = np.asarray(t, dtype=float)
        y = np.asarray(y, dtype=float)
        n = len(y)
        case = {"name": name, "t": t.tolist(), "y": y.tolist()}
        if n >= 3:
            lr = stats.linregress(t, y)
            case["linregress"] = {"slope": lr.slope, "intercept": lr.intercept, "rvalue": lr.rvalue,
                                  "pvalue": lr.pvalue, "stderr": lr.stderr,
                                  "intercept_stderr": lr.intercept_stderr}
            fit = sm.OLS(y, sm.add_constant(t)).fit()
            ci = fit.conf_int(alpha=0.05)
            # scipy 1.12 t.ppf(0.975, 6) = 2.4469118487916806 is 1e-9 off (mpmath:
            # 2.44691185114496997...), and statsmodels' conf_int inherits it: we also store
            # params +- q * bse with q from mpmath (40 digits).
            mp.dps = 40
            df = n - 2
            q = mpmath.findroot(lambda x: mpmath.betainc(mpf(df) / 2, mpf(1) / 2, 0, df / (df + x * x),
                                                          regularized=True) - mpf("0.05"),
                                float(stats.t.ppf(0.975, df)))
            ci_mp = [[float(mpf(b) - q * mpf(e)), float(mpf(b) + q * mpf(e))]
                     for b, e in zip(fit.params, fit.bse)]
            case["ols"] = {"conf_int_mpmath": ci_mp, "params": fit.params.tolist(), "bse": fit.bse.tolist(),
                           "tvalues": fit.tvalues.tolist(), "pvalues": fit.pvalues.tolist(),
                           "conf_int": ci.tolist(), "rsquared": fit.rsquared,
                           "resid_sd": math.sqrt(fit.scale)}
        o = mk.original_test(y)
        case["original_test"] = {"s": float(o.s), "var_s": float(o.var_s), "z": float(o.z),
                                 "p": float(o.p), "p_sf": p_sf(o.z), "tau": float(o.Tau)}
        kt = stats.kendalltau(t, y)
        case["kendalltau"] = {"tau_b": float(kt.statistic), "p_auto": float(kt.pvalue)}
        if len(np.unique(y)) == n and n <= 49:
            case["kendalltau"]["p_exact"] = float(stats.kendalltau(t, y, method="exact").pvalue)
            case["exact_p"] = exact_p(y.tolist())
        if unit(t):
            s = mk.sens_slope(y)
            case["sens_slope"] = {"slope": float(s.slope), "intercept_t0": float(s.intercept)}
            if n >= 3:
                for key, kw in [("hamed_rao", {}), ("hamed_rao_lag3", {"lag": 3})]:
                    if kw.get("lag", 0) >= n:
                        continue
                    with np.errstate(all="ignore"):
                        h = mk.hamed_rao_modification_test(y, **kw)
                    ok = bool(np.isfinite(h.z) and h.var_s > 0)
                    case[key] = {"s": float(h.s), "var_s": float(h.var_s), "z": float(h.z),
                                 "p": float(h.p), "p_sf": p_sf(h.z) if ok else None,
                                 "slope": float(h.slope), "defined": ok}
        ts = stats.theilslopes(y, t, 0.95, method="separate")
        tj = stats.theilslopes(y, t, 0.95, method="joint")
        case["theilslopes"] = {"slope": float(ts.slope), "intercept_separate": float(ts.intercept),
                               "intercept_joint": float(tj.intercept),
                               "low": float(ts.low_slope), "high": float(ts.high_slope)}
        out["cases"].append(case)
    print(json.dumps(clean(out), indent=1, allow_nan=False))


def clean(x):
    """NaN and infinities (what the references return where a statistic is undefined) -> null."""
    if isinstance(x, dict):
        return {k: clean(v) for k, v in x.items()}
    if isinstance(x, list):
        return [clean(v) for v in x]
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


if __name__ == "__main__":
    main()
