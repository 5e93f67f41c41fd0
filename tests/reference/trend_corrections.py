"""Reference values for alliance's autocorrelation-corrected Mann-Kendall tests:
Yue & Wang (2004) variance correction, pre-whitening (Kulkarni & von Storch 1995) and
trend-free pre-whitening (Yue, Pilon, Phinney & Cavadias 2002).

Regenerate with:  python3 tests/reference/trend_corrections.py > tests/reference/trend_corrections.json
Packages: pymannkendall, mpmath, numpy (versions recorded in "versions").

Every case stores its input (t, y) and two references per method:
  - "pymannkendall": yue_wang_modification_test(y) / (y, lag=L),
    pre_whitening_modification_test(y), trend_free_pre_whitening_modification_test(y), as
    printed (its p is 2 * (1 - cdf), so "p_sf" = 2 sf(|z|) on its z is stored beside it). It
    ignores times (positions 1..n), so it is stored only for unit-spaced series; on a series it
    cannot handle it prints NaN (stored as null).
  - "paper": an independent implementation written from the papers in mpmath (50 digits), on
    the real session times, with the conventions the crate documents:
      * Sen's slope b = median of (y_j - y_i)/(t_j - t_i) over i < j (real times);
      * residuals d_i = y_i - b t_i in session order; lag-k autocorrelation
        r_k = sum_{i=1}^{n-k} (d_i - dbar)(d_{i+k} - dbar) / sum_i (d_i - dbar)^2
        (the biased estimator of R's acf and pymannkendall, |r_1| < 1 always);
      * Yue-Wang: n/n* = 1 + 2 sum_{k=1}^{L} (1 - k/n) r_k, over the lags k = 1..L (all n - 1
        by default), optionally only those with |r_k| > z(1 - a/2)/sqrt(n);
        Var*(S) = Var(S) n/n*; Z with continuity correction; p = 2 sf(|Z|);
      * pre-whitening: r_1 of the scores themselves; w_i = y_i - r_1 y_{i-1}, i = 2..n;
        MK on the n - 1 values w;
      * trend-free pre-whitening: r_1 of d; w_i = d_i - r_1 d_{i-1} + b t_i, i = 2..n (the
        trend added back at each point's own time); MK on w;
      * with a significance level (the "..._95" keys) pre-whitening is applied only when
        |r_1| > z(0.975)/sqrt(n) (Yue et al. 2002, step 2); otherwise the scores are tested
        as they are (n points);
      * "refused": the crate's Err for fewer than 4 points; "r1": null where the residuals
        are constant (r_1 = 0/0; the series is then tested as it is).
"""
import json
import sys
import warnings

import mpmath
import numpy as np
import pymannkendall as mk
from mpmath import mp, mpf

mp.dps = 50


def med(v):
    v = sorted(v)
    m = len(v)
    return v[m // 2] if m % 2 else (v[m // 2 - 1] + v[m // 2]) / 2


def sen(t, y):
    n = len(t)
    return med([(y[j] - y[i]) / (t[j] - t[i]) for i in range(n) for j in range(i + 1, n)])


def acf(d, lags):
    n = len(d)
    m = sum(d) / n
    e = [x - m for x in d]
    c0 = sum(x * x for x in e)
    if c0 == 0:
        return None
    return [sum(e[i] * e[i + k] for i in range(n - k)) / c0 for k in range(1, lags + 1)]


def sgn(x):
    return (x > 0) - (x < 0)


def mk_test(w):
    n = len(w)
    s = sum(sgn(w[j] - w[i]) for i in range(n) for j in range(i + 1, n))
    groups = {}
    for x in w:
        groups[x] = groups.get(x, 0) + 1
    var = (mpf(n * (n - 1) * (2 * n + 5)) - sum(mpf(g * (g - 1) * (2 * g + 5)) for g in groups.values())) / 18
    return s, var


def z_p(s, var):
    if s == 0:
        return mpf(0), mpf(1)
    if var <= 0:
        return None, None
    z = (s - 1) / mpmath.sqrt(var) if s > 0 else (s + 1) / mpmath.sqrt(var)
    return z, 2 * mpmath.ncdf(-abs(z))


def f(x):
    return None if x is None else float(x)


Z975 = mpmath.sqrt(2) * mpmath.erfinv(mpf("0.95"))


def yue_wang(t, y, lags=None, level=None):
    n = len(y)
    if n < 4:
        return {"refused": True}
    T = [mpf(v) for v in t]
    Y = [mpf(v) for v in y]
    b = sen(T, Y)
    d = [Y[i] - b * T[i] for i in range(n)]
    L = n - 1 if lags is None else lags
    s, var = mk_test(Y)
    out = {"refused": False, "s": s, "var_s_uncorrected": f(var), "sen_slope": f(b), "lags": L}
    r = acf(d, L)
    if r is None:
        out.update(correction=None, var_s=None, z=0.0 if s == 0 else None, p=1.0 if s == 0 else None,
                   significant_lags=0)
        return out
    bound = Z975 / mpmath.sqrt(n) if level else None
    sig = [k for k in range(1, L + 1) if bound is None or abs(r[k - 1]) > bound]
    corr = 1 + 2 * sum((1 - mpf(k) / n) * r[k - 1] for k in sig)
    out["correction"] = f(corr)
    out["significant_lags"] = len(sig)
    out["lag1"] = f(r[0])
    vs = var * corr
    if corr <= 0 or vs <= 0:
        out.update(var_s=None, z=0.0 if s == 0 else None, p=1.0 if s == 0 else None)
        return out
    z, p = z_p(s, vs)
    out.update(var_s=f(vs), z=f(z), p=f(p), effective_n=f(n / corr))
    return out


def whiten(t, y, trend_free, level=None):
    n = len(y)
    if n < 4:
        return {"refused": True}
    T = [mpf(v) for v in t]
    Y = [mpf(v) for v in y]
    b = sen(T, Y)
    d = [Y[i] - b * T[i] for i in range(n)] if trend_free else Y
    r = acf(d, 1)
    r1 = None if r is None else r[0]
    whitened = r1 is not None and (level is None or abs(r1) > Z975 / mpmath.sqrt(n))
    if whitened:
        w = [d[i] - r1 * d[i - 1] + (b * T[i] if trend_free else 0) for i in range(1, n)]
    else:
        w = Y
    s, var = mk_test(w)
    z, p = z_p(s, var)
    m = len(w)
    return {"refused": False, "lag1": f(r1), "whitened": whitened, "tested": m, "s": s,
            "var_s": f(var), "z": f(z), "p": f(p), "tau_a": f(mpf(s) / (m * (m - 1) / 2)),
            "sen_slope": f(b)}


def pmk(fun, y, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            r = fun(np.asarray(y, dtype=float), **kw)
        except Exception as e:  # noqa: BLE001 - record what it does
            return {"error": type(e).__name__}
    z = float(r.z)
    out = {"s": float(r.s), "var_s": float(r.var_s), "z": z, "p": float(r.p), "Tau": float(r.Tau),
           "slope": float(r.slope)}
    out["p_sf"] = float(2 * mpmath.ncdf(-abs(mpf(z)))) if z == z else None
    return {k: (None if (isinstance(v, float) and v != v) else v) for k, v in out.items()}


def ar1(rng, n, phi, trend, sd=0.3, t=None):
    t = np.arange(1, n + 1, dtype=float) if t is None else t
    e = np.zeros(n)
    e[0] = rng.normal(0, sd)
    for i in range(1, n):
        e[i] = phi * e[i - 1] + rng.normal(0, sd)
    return t, np.round(4.5 + trend * t + e, 6)


def cases():
    rng = np.random.default_rng(20261129)
    out = []
    unit = lambda n: np.arange(1, n + 1, dtype=float)  # noqa: E731
    out.append(("n3_refused", unit(3), np.array([4.0, 4.5, 4.2])))
    out.append(("n4", unit(4), np.array([4.0, 4.5, 4.2, 4.9])))
    out.append(("constant_n6", unit(6), np.full(6, 5.0)))
    out.append(("pure_trend_n8", unit(8), 3.0 + 0.25 * unit(8)))
    out.append(("pure_trend_uneven_n7", np.array([1.0, 2, 4, 7, 8, 11, 15]),
                2.0 + 0.5 * np.array([1.0, 2, 4, 7, 8, 11, 15])))
    out.append(("likert_ties_n10", unit(10), np.array([5.0, 5, 6, 5, 6, 6, 7, 6, 7, 7])))
    out.append(("alternating_n6", unit(6), np.array([4.0, 5.0, 4.0, 5.0, 4.0, 5.0])))
    out.append(("short_noise_n5", unit(5), np.array([4.2, 3.9, 4.4, 4.1, 4.6])))
    for n, phi, trend in [(8, 0.0, 0.05), (12, 0.5, 0.03), (12, -0.6, 0.0), (20, 0.8, 0.0),
                          (20, 0.7, 0.04), (30, 0.9, 0.01), (40, -0.4, 0.02), (60, 0.6, 0.0),
                          (100, 0.5, 0.003)]:
        t, y = ar1(rng, n, phi, trend)
        out.append(("ar1_n%d_phi%g_trend%g" % (n, phi, trend), t, y))
    for n in [6, 9, 15, 30]:
        t = np.cumsum(rng.integers(1, 5, n)).astype(float)
        _, y = ar1(rng, n, 0.6, 0.02, t=t)
        out.append(("uneven_ar1_n%d" % n, t, y))
    # quarter-point scores on uneven times whose trend-free pre-whitened series has a tie in
    # exact arithmetic (y_5 = y_10 and d_4 = d_9) that float rounding splits (found by the
    # crate's property tests)
    out.append(("tfpw_exact_tie_uneven_n14",
                np.array([2.0, 6, 8, 9, 10, 11, 14, 16, 17, 20, 22, 26, 28, 30]),
                np.array([1.25, 9.0, 0.75, 3.0, 3.25, 9.25, 1.0, 0.5, 2.25, 4.0, 9.25, 1.25, 5.75, 5.75])))
    return out


def main():
    res = []
    for name, t, y in cases():
        t = [float(v) for v in t]
        y = [float(v) for v in y]
        unit = t == [float(i) for i in range(1, len(t) + 1)]
        case = {"name": name, "t": t, "y": y, "unit_times": unit}
        case["paper"] = {
            "yue_wang": yue_wang(t, y),
            "yue_wang_lag1": yue_wang(t, y, lags=1),
            "yue_wang_lag3_95": yue_wang(t, y, lags=min(3, len(y) - 1), level=0.95) if len(y) >= 4 else {"refused": True},
            "pre_whitening": whiten(t, y, False),
            "pre_whitening_95": whiten(t, y, False, level=0.95),
            "trend_free": whiten(t, y, True),
            "trend_free_95": whiten(t, y, True, level=0.95),
        }
        if unit:
            case["pymannkendall"] = {
                "yue_wang": pmk(mk.yue_wang_modification_test, y),
                "yue_wang_lag1": pmk(mk.yue_wang_modification_test, y, lag=1),
                "pre_whitening": pmk(mk.pre_whitening_modification_test, y),
                "trend_free": pmk(mk.trend_free_pre_whitening_modification_test, y),
            }
        res.append(case)
    json.dump({
        "source": "pymannkendall yue_wang_modification_test(y) / (y, lag=1), "
                  "pre_whitening_modification_test(y), trend_free_pre_whitening_modification_test(y); "
                  "independent mpmath implementation from Yue & Wang (2004), Kulkarni & von Storch (1995), "
                  "Yue et al. (2002) on real times (see the script's docstring)",
        "versions": {"pymannkendall": mk.__version__ if hasattr(mk, "__version__") else "1.4.3",
                     "mpmath": mpmath.__version__, "numpy": np.__version__,
                     "python": sys.version.split()[0]},
        "script": "tests/reference/trend_corrections.py",
        "cases": res,
    }, sys.stdout, indent=1)
    print()


main()
