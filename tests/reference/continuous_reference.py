"""Reference values for the continuous agreement methods and Cronbach's alpha.

Regenerate with:  python3 tests/reference/continuous_reference.py   (from the crate root)
Writes icc_reference.json, continuous_reference.json, cronbach_reference.json beside itself.

Sources, per value (every value is stored unrounded, as the package returned it):
- pingouin 0.6.1: pingouin.intraclass_corr(data, targets="target", raters="rater",
  ratings="rating", nan_policy="omit") -> ICC, F, df1, df2, pval, CI95% (CI95% is ROUNDED to
  2 decimals by pingouin); pingouin.cronbach_alpha(df, ci=.95, nan_policy="listwise") ->
  alpha, CI (ROUNDED to 3 decimals, and with missing data using n BEFORE deletion);
  pingouin.corr(x, y, method=...) -> r, p-val, CI95% (rounded to 2 decimals).
- R psych (version recorded in the JSON): psych::ICC(na.omit(x), alpha=.05, lmer=FALSE)
  -> ICC, F, df1, df2, p, lower bound, upper bound (unrounded); psych::alpha(x,
  use="complete.obs") -> total$raw_alpha, total$std.alpha, alpha.drop$raw_alpha,
  item.stats$r.drop. Called through continuous_psych.R.
- R stats (version recorded): cor.test(x, y, method="spearman", exact=TRUE) -> p.value for
  14 untied samples with n <= 9 (exact permutation p), in continuous_reference.json.
- scipy 1.12: scipy.stats.pearsonr(x, y) -> statistic, pvalue, confidence_interval(0.95);
  scipy.stats.spearmanr(x, y) -> statistic, pvalue.
- "independent re-computation from the formulas" (numpy/scipy code in THIS script, written
  from the papers, not from the crate): unrounded McGraw-Wong ICC intervals, unrounded Feldt
  intervals with n after deletion, Fisher-z intervals for Spearman, Lin's CCC (Lin 1989/2000
  as written in DescTools::CCC / epiR::epi.ccc, ci="z-transform"; the CCC value is also
  computed a second, algebraically different way, 1 - mean((x-y)^2)/(sx2+sy2+(mx-my)^2),
  and the two must agree), and Bland-Altman (Bland & Altman 1986/1999), its t quantile from mpmath because
  scipy 1.12's stats.t.ppf is only good to ~1e-9 relative.
"""
import json, os, subprocess, sys, tempfile
import numpy as np
import pandas as pd
import pingouin as pg
import scipy
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261125)
ALPHA = 0.05


def clean(o):
    """NaN (a formula dividing by r = 0) -> null, so the JSON stays standard."""
    if isinstance(o, dict):
        return {k: clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [clean(v) for v in o]
    if isinstance(o, (float, np.floating)):
        return None if np.isnan(o) else float(o)
    if isinstance(o, np.integer):
        return int(o)
    return o


def jl(a):
    """Matrix -> nested lists with None for missing."""
    return [[None if (v is None or (isinstance(v, float) and np.isnan(v))) else float(v) for v in row] for row in a]


# ---------------------------------------------------------------- ICC
def icc_case(n, k, integer, missing=0, spread=1.0, offset=0.5):
    t = rng.normal(0, spread, size=(n, 1))
    r = rng.normal(0, offset, size=(1, k))
    x = 4 + t + r + rng.normal(0, 1, size=(n, k))
    x = np.clip(np.round(x), 1, 7) if integer else np.round(x, 3)
    x = x.astype(float)
    for _ in range(missing):
        x[rng.integers(n), rng.integers(k)] = np.nan
    return x


def mcgraw_wong(x):
    """Independent re-computation of the six ICCs and unrounded intervals (McGraw & Wong 1996)."""
    x = x[~np.isnan(x).any(axis=1)]
    n, k = x.shape
    g = x.mean()
    ssr = k * ((x.mean(axis=1) - g) ** 2).sum()
    ssc = n * ((x.mean(axis=0) - g) ** 2).sum()
    sst = ((x - g) ** 2).sum()
    sse = sst - ssr - ssc
    msr, msc, mse = ssr / (n - 1), ssc / (k - 1), sse / ((n - 1) * (k - 1))
    msw = (ssc + sse) / (n * (k - 1))
    f = stats.f
    q = 1 - ALPHA / 2
    F1, F3 = msr / msw, msr / mse
    df1, d1, d3 = n - 1, n * (k - 1), (n - 1) * (k - 1)
    icc2 = (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)
    f1l, f1u = F1 / f.ppf(q, df1, d1), F1 * f.ppf(q, d1, df1)
    f3l, f3u = F3 / f.ppf(q, df1, d3), F3 * f.ppf(q, d3, df1)
    fj = msc / mse
    b = n * (1 + (k - 1) * icc2) - k * icc2
    v = (k - 1) * (n - 1) * (k * icc2 * fj + b) ** 2 / ((n - 1) * k**2 * icc2**2 * fj**2 + b**2)
    fu, fl = f.ppf(q, n - 1, v), f.ppf(q, v, n - 1)
    c = k * msc + (k * n - k - n) * mse
    l2 = n * (msr - fu * mse) / (fu * c + n * msr)
    u2 = n * (fl * msr - mse) / (c + n * fl * msr)
    sb = lambda r: k * r / (1 + (k - 1) * r)
    return {
        "ms": {"rows": msr, "columns": msc, "error": mse, "within": msw},
        "lower": [(f1l - 1) / (f1l + k - 1), l2, (f3l - 1) / (f3l + k - 1), 1 - 1 / f1l, sb(l2), 1 - 1 / f3l],
        "upper": [(f1u - 1) / (f1u + k - 1), u2, (f3u - 1) / (f3u + k - 1), 1 - 1 / f1u, sb(u2), 1 - 1 / f3u],
    }


def pingouin_icc(x):
    n, k = x.shape
    df = pd.DataFrame([(i, j, x[i, j]) for i in range(n) for j in range(k)], columns=["target", "rater", "rating"])
    res = pg.intraclass_corr(data=df, targets="target", raters="rater", ratings="rating", nan_policy="omit")
    return {
        "type": list(res["Type"]), "ICC": list(map(float, res["ICC"])), "F": list(map(float, res["F"])),
        "df1": list(map(float, res["df1"])), "df2": list(map(float, res["df2"])),
        "pval": list(map(float, res["pval"])),
        "ci95_rounded_2dp": [list(map(float, c)) for c in res["CI95"]],
    }


shrout_fleiss = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]], float)
icc_data = [("shrout_fleiss_1979_table2", shrout_fleiss)]
shapes = [(5, 2), (6, 3), (8, 2), (10, 4), (12, 2), (15, 3), (20, 5), (25, 2), (30, 3), (40, 6),
          (50, 2), (60, 4), (7, 7), (9, 3), (11, 2), (16, 8), (35, 3), (45, 2), (80, 3), (100, 2)]
for i, (n, k) in enumerate(shapes):
    icc_data.append((f"generated_{i:02}_{n}x{k}_{'int' if i % 2 == 0 else 'dec'}", icc_case(n, k, i % 2 == 0, spread=[0.3, 1, 2][i % 3])))
icc_data.append(("generated_low_agreement_30x3", icc_case(30, 3, False, spread=0.1, offset=2.0)))
icc_data.append(("generated_missing_listwise_20x3", icc_case(20, 3, True, missing=4)))
icc_data.append(("generated_missing_listwise_25x4_dec", icc_case(25, 4, False, missing=6)))

# ---------------------------------------------------------------- Cronbach
def items_case(n, k, integer, missing=0, constant_item=False, loading=0.7):
    f = rng.normal(size=(n, 1))
    x = 3 + loading * f + rng.normal(0, 0.8, size=(n, k))
    x = np.clip(np.round(x), 1, 5) if integer else np.round(x, 2)
    x = x.astype(float)
    if constant_item:
        x[:, 0] = 3.0
    for _ in range(missing):
        x[rng.integers(n), rng.integers(k)] = np.nan
    return x


def feldt(x):
    """Independent re-computation: raw alpha and unrounded Feldt interval, n after deletion."""
    x = x[~np.isnan(x).any(axis=1)]
    n, k = x.shape
    c = np.cov(x, rowvar=False, ddof=1)
    a = k / (k - 1) * (1 - np.trace(c) / c.sum())
    d1, d2 = n - 1, (n - 1) * (k - 1)
    return {"alpha": a, "n": n,
            "lower": 1 - (1 - a) * stats.f.isf(ALPHA / 2, d1, d2),
            "upper": 1 - (1 - a) * stats.f.isf(1 - ALPHA / 2, d1, d2)}


alpha_data = []
for i, (n, k) in enumerate([(5, 3), (8, 4), (10, 3), (12, 5), (15, 6), (20, 3), (25, 4), (30, 8), (40, 5),
                             (50, 10), (60, 3), (75, 6), (100, 4), (120, 12), (150, 5), (200, 7), (9, 9),
                             (18, 4), (33, 3), (300, 6)]):
    alpha_data.append((f"generated_{i:02}_{n}x{k}_{'int' if i % 2 == 0 else 'dec'}",
                       items_case(n, k, i % 2 == 0, loading=[0.2, 0.7, 1.2][i % 3])))
alpha_data.append(("generated_two_items_40x2", items_case(40, 2, True)))
alpha_data.append(("generated_missing_listwise_30x5", items_case(30, 5, True, missing=5)))
alpha_data.append(("generated_constant_item_25x4", items_case(25, 4, True, constant_item=True)))

# ---------------------------------------------------------------- paired
def pair_case(n, integer, r=0.6, bias=0.3, scale=1.0):
    a = rng.normal(size=n)
    b = r * a + np.sqrt(1 - r * r) * rng.normal(size=n)
    x, y = 5 + a, 5 + bias + scale * b
    if integer:
        x, y = np.clip(np.round(x), 1, 9), np.clip(np.round(y), 1, 9)
    else:
        x, y = np.round(x, 3), np.round(y, 3)
    return x.astype(float), y.astype(float)


def lin_ccc(x, y):
    """Lin 1989 / 2000 as in DescTools::CCC and epiR::epi.ccc (z-transform interval)."""
    k = len(x)
    yb, xb = y.mean(), x.mean()
    sy2, sx2 = y.var(ddof=1) * (k - 1) / k, x.var(ddof=1) * (k - 1) / k
    sd1, sd2 = y.std(ddof=1), x.std(ddof=1)
    r = np.corrcoef(x, y)[0, 1]
    sxy = r * np.sqrt(sx2 * sy2)
    p = 2 * sxy / (sx2 + sy2 + (yb - xb) ** 2)
    # second, algebraically different route to the same value (Lin 1989, eq. 1)
    p2 = 1 - np.mean((x - y) ** 2) / (sx2 + sy2 + (yb - xb) ** 2)
    assert abs(p - p2) <= 1e-12 * max(1, abs(p)), (p, p2)
    v = sd1 / sd2
    u = (yb - xb) / ((sx2 * sy2) ** 0.25)
    sep = np.sqrt(((1 - r**2) * p**2 * (1 - p**2) / r**2 + 2 * p**3 * (1 - p) * u**2 / r
                   - 0.5 * p**4 * u**4 / r**2) / (k - 2))
    zv = stats.norm.ppf(1 - ALPHA / 2)
    t = np.arctanh(p)
    set_ = sep / (1 - p**2)
    return {"ccc": p, "r": r, "c_b": p / r, "scale_shift": v, "location_shift": u, "se": sep,
            "lower": np.tanh(t - zv * set_), "upper": np.tanh(t + zv * set_)}


def t_ppf(q, df):
    """Student t quantile by mpmath (50 digits). scipy 1.12's stats.t.ppf is off by up to
    1.3e-9 relative (e.g. df = 7: 2.3646242510102993 vs 2.3646242515927853), too coarse here."""
    import mpmath as mp
    mp.mp.dps = 50
    tail = mp.mpf(1 - q) * 2 if q > 0.5 else mp.mpf(q) * 2
    root = mp.findroot(lambda t: mp.betainc(mp.mpf(df) / 2, mp.mpf(1) / 2, 0, df / (df + t * t), regularized=True) - tail,
                       float(stats.t.ppf(q if q > 0.5 else 1 - q, df)))
    return float(root) if q > 0.5 else -float(root)


def bland_altman(x, y, mult=1.96):
    d = x - y
    n = len(d)
    bias, sd = d.mean(), d.std(ddof=1)
    t = t_ppf(1 - ALPHA / 2, n - 1)
    hb, hl = t * sd / np.sqrt(n), t * np.sqrt(3 * sd**2 / n)
    lo, hi = bias - mult * sd, bias + mult * sd
    return {"bias": bias, "sd": sd, "lower_limit": lo, "upper_limit": hi,
            "bias_ci": [bias - hb, bias + hb], "lower_limit_ci": [lo - hl, lo + hl],
            "upper_limit_ci": [hi - hl, hi + hl]}


pair_data = []
for i, n in enumerate([4, 5, 6, 8, 10, 12, 15, 18, 20, 25, 30, 35, 40, 50, 60, 75, 90, 120, 150, 200, 7, 9, 300, 500]):
    pair_data.append((f"generated_{i:02}_n{n}_{'int' if i % 2 == 0 else 'dec'}",
                      pair_case(n, i % 2 == 0, r=[0.2, 0.6, 0.9, -0.3][i % 4], bias=[0.0, 0.4, -0.8][i % 3],
                                scale=[1.0, 0.7, 1.4][i % 3])))

# exact Spearman p (n <= 9, no ties): continuous values, so no ties
spearman_data = []
for i, n in enumerate([3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 9]):
    a = rng.normal(size=n)
    b = [0.0, 0.5, 0.9, -0.7][i % 4] * a + rng.normal(size=n)
    spearman_data.append((f"exact_{i:02}_n{n}", np.round(a, 4), np.round(b, 4)))

# pairwise deletion for Cronbach's alpha
pairwise_data = []
for i, (n, k, miss) in enumerate([(20, 3, 4), (30, 4, 8), (40, 5, 12), (60, 6, 20), (25, 4, 6), (80, 8, 40)]):
    pairwise_data.append((f"pairwise_{i:02}_{n}x{k}_missing{miss}", items_case(n, k, i % 2 == 0, missing=miss)))


def pairwise_feldt(x):
    """Independent re-computation: alpha from pandas pairwise covariances; Feldt interval with
    n = the smallest pairwise-complete count (pingouin uses n = all rows)."""
    df = pd.DataFrame(x)
    c = df.cov().to_numpy()
    k = x.shape[1]
    a = k / (k - 1) * (1 - np.trace(c) / c.sum())
    present = ~np.isnan(x)
    n = int(min((present[:, i] & present[:, j]).sum() for i in range(k) for j in range(k)))
    d1, d2 = n - 1, (n - 1) * (k - 1)
    return {"alpha": a, "n": n, "lower": 1 - (1 - a) * stats.f.isf(ALPHA / 2, d1, d2),
            "upper": 1 - (1 - a) * stats.f.isf(1 - ALPHA / 2, d1, d2)}


# ---------------------------------------------------------------- R psych
def run_psych():
    with tempfile.TemporaryDirectory() as d:
        inp, out = os.path.join(d, "in.json"), os.path.join(d, "out.json")
        json.dump({"icc": [jl(x) for _, x in icc_data], "alpha": [jl(x) for _, x in alpha_data],
                   "spearman": [{"x": a.tolist(), "y": b.tolist()} for _, a, b in spearman_data]}, open(inp, "w"))
        subprocess.run(["Rscript", os.path.join(HERE, "continuous_psych.R"), inp, out], check=True)
        return json.load(open(out))


psych = run_psych()
provenance = {
    "generator": "tests/reference/continuous_reference.py (seed 20261125)",
    "python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
    "pingouin": pg.__version__, "R": psych["r_version"], "psych": psych["psych_version"],
}

icc_cases = []
for (name, x), ps in zip(icc_data, psych["icc"]):
    icc_cases.append({
        "name": name, "data": jl(x),
        "pingouin": pingouin_icc(x),
        "psych": {**ps, "call": "psych::ICC(na.omit(x), alpha=.05, lmer=FALSE)$results"},
        "formula_recomputation": mcgraw_wong(x),
    })
json.dump(clean({"provenance": {**provenance, "order": "ICC1, ICC2 (A,1), ICC3 (C,1), ICC1k, ICC2k (A,k), ICC3k (C,k)",
                          "published": "Shrout & Fleiss (1979) Table 4: .17 .29 .71 .44 .62 .91"},
           "cases": icc_cases}), open(os.path.join(HERE, "icc_reference.json"), "w"), indent=1)

alpha_cases = []
for (name, x), ps in zip(alpha_data, psych["alpha"]):
    df = pd.DataFrame(x)
    a, ci = pg.cronbach_alpha(df, ci=0.95, nan_policy="listwise")
    alpha_cases.append({
        "name": name, "data": jl(x),
        "pingouin": {"alpha": float(a), "ci_rounded_3dp_n_before_deletion": list(map(float, ci)),
                     "call": "pingouin.cronbach_alpha(df, ci=.95, nan_policy='listwise')"},
        "psych": {**ps, "call": "psych::alpha(x, use='complete.obs'); NOTE psych drops zero-variance items"},
        "formula_recomputation": feldt(x),
    })
pairwise_cases = []
for name, x in pairwise_data:
    a, ci = pg.cronbach_alpha(pd.DataFrame(x), ci=0.95, nan_policy="pairwise")
    pairwise_cases.append({
        "name": name, "data": jl(x),
        "pingouin": {"alpha": float(a), "ci_rounded_3dp_n_all_rows": list(map(float, ci)),
                     "call": "pingouin.cronbach_alpha(df, ci=.95, nan_policy='pairwise')"},
        "formula_recomputation": pairwise_feldt(x),
    })
json.dump(clean({"provenance": provenance, "cases": alpha_cases, "pairwise_cases": pairwise_cases}), open(os.path.join(HERE, "cronbach_reference.json"), "w"), indent=1)

pair_cases = []
for name, (x, y) in pair_data:
    pr = stats.pearsonr(x, y)
    pci = pr.confidence_interval(0.95)
    sr = stats.spearmanr(x, y)
    n = len(x)
    zq = stats.norm.ppf(1 - ALPHA / 2)
    s_lo, s_hi = (np.tanh(np.arctanh(sr.statistic) - zq / np.sqrt(n - 3)), np.tanh(np.arctanh(sr.statistic) + zq / np.sqrt(n - 3))) if n > 3 else (None, None)
    pgp = pg.corr(x, y, method="pearson")
    pgs = pg.corr(x, y, method="spearman")
    pair_cases.append({
        "name": name, "x": x.tolist(), "y": y.tolist(),
        "scipy_pearsonr": {"r": float(pr.statistic), "p": float(pr.pvalue), "ci": [float(pci.low), float(pci.high)],
                           "call": "scipy.stats.pearsonr(x, y); .confidence_interval(0.95)"},
        "scipy_spearmanr": {"r": float(sr.statistic), "p": float(sr.pvalue), "call": "scipy.stats.spearmanr(x, y)"},
        "spearman_fisher_ci_recomputation": [s_lo, s_hi],
        "pingouin_corr": {"pearson": {"r": float(pgp["r"].iloc[0]), "p": float(pgp["p_val"].iloc[0]), "ci_rounded_2dp": list(map(float, pgp["CI95"].iloc[0]))},
                          "spearman": {"r": float(pgs["r"].iloc[0]), "p": float(pgs["p_val"].iloc[0]), "ci_rounded_2dp": list(map(float, pgs["CI95"].iloc[0]))},
                          "call": "pingouin.corr(x, y, method=...)"},
        "ccc_recomputation": lin_ccc(x, y) if n > 2 else None,
        "bland_altman_recomputation": bland_altman(x, y),
    })
spearman_exact = [{"name": name, "x": a.tolist(), "y": b.tolist(), "r_cor_test": r,
                   "call": "cor.test(x, y, method='spearman', exact=TRUE) -> p.value, estimate"}
                  for (name, a, b), r in zip(spearman_data, psych["spearman_exact"])]
json.dump(clean({"provenance": provenance, "cases": pair_cases, "spearman_exact": spearman_exact}), open(os.path.join(HERE, "continuous_reference.json"), "w"), indent=1)
print("wrote", len(icc_cases), "ICC,", len(alpha_cases), "Cronbach,", len(pair_cases), "paired cases")
