"""Reference values for the repeated-measures agreement statistics (src/agreement/repeated.rs):
repeated-measures correlation, Bland-Altman limits for repeated pairs per subject (true value
varying and constant) with MOVER confidence limits, and proportional bias.

Three independent sources per case where they apply:
  * mpmath (60 digits) from the published formulas (Bland & Altman 1995, 1999, 2007;
    Bakdash & Marusich 2017; Zou 2013), cross-checked in this script against a statsmodels
    ANCOVA (`y ~ C(subject) + x`) and statsmodels OLS;
  * pingouin `rm_corr` (needs 3 or more subjects; its interval is rounded to 2 decimals);
  * R: `rmcorr()` of CRAN rmcorr 0.7.0 and `agree_nest(TOST = FALSE, ccc = FALSE)` of CRAN
    SimplyAgree 0.3.0, their R files `source()`d (see repeated_r.R).

Usage (from this directory, with the R sources of those two packages at hand):
    python3 repeated_reference.py /path/to/rmcorr.R /path/to/agree_nest.R \
        /path/to/rmcorr/data/bland1995.rda /path/to/SimplyAgree/data/reps.rda
writes repeated_reference.json.
"""

import json
import os
import subprocess
import sys
import tempfile

import mpmath as mp
import numpy as np
import pandas as pd
import pingouin as pg
import scipy
import statsmodels
import statsmodels.formula.api as smf
from statsmodels.stats.anova import anova_lm

mp.mp.dps = 60
LEVEL = mp.mpf("0.95")
HERE = os.path.dirname(os.path.abspath(__file__))


# ---- the cases ---------------------------------------------------------------------------

def grouped(sizes, seed, scale=1.0, within=0.8, offset=0.0, step=0.5, slope=1.0):
    """Subjects of the given sizes with a subject level, a within-subject common signal and
    noise, rounded to `step` (so the values are short decimals)."""
    rng = np.random.default_rng(seed)
    subj, x, y = [], [], []
    for i, m in enumerate(sizes):
        level = rng.normal(0, 1.5)
        bias = rng.normal(0.3, 0.5)
        for _ in range(m):
            common = rng.normal(0, 1)
            a = offset + scale * (4 + level + common + rng.normal(0, 0.4))
            b = offset + scale * (4 + level - bias + slope * within * common + rng.normal(0, 0.5))
            subj.append(f"s{i + 1}")
            x.append(float(np.round(a / step) * step))
            y.append(float(np.round(b / step) * step))
    return subj, x, y


def case(name, source, subjects, first, second):
    return {"name": name, "source": source, "subjects": subjects, "first": first, "second": second}


def load_rda(rda, name, columns):
    out = subprocess.run(
        ["Rscript", "-e",
         f'load("{rda}"); d <- {name}; cat(jsonlite::toJSON(d[, c({",".join(repr(c) for c in columns)})], na = "null", digits = NA))'],
        check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def make_cases(bland_rda, reps_rda):
    cases = []
    b = load_rda(bland_rda, "bland1995", ["Subject", "PaCO2", "pH"])
    cases.append(case("bland1995", "Bland & Altman (1995) BMJ 310:446, PaCO2 and pH; rmcorr data(bland1995); "
                      "published r_rm = -0.507, df = 38",
                      [str(r["Subject"]) for r in b], [r["PaCO2"] for r in b], [r["pH"] for r in b]))
    r = load_rda(reps_rda, "reps", ["id", "x", "y"])
    cases.append(case("reps", "SimplyAgree 0.3.0 data(reps), two missing y dropped",
                      [str(v["id"]) for v in r], [v.get("x") for v in r], [v.get("y") for v in r]))
    y2 = [v.get("y") for v in r]
    y2[4], y2[8] = 6.35, 4.09
    cases.append(case("reps_zou", "SimplyAgree 0.3.0 test 'examples from Zou': reps with y[5] = 6.35, y[9] = 4.09",
                      [str(v["id"]) for v in r], [v.get("x") for v in r], y2))

    def add(name, source, sizes, seed, **kw):
        s, x, y = grouped(sizes, seed, **kw)
        cases.append(case(name, source, s, x, y))

    add("balanced_5x4", "simulated, balanced", [4] * 5, 1)
    add("unbalanced", "simulated, 2 to 7 pairs per subject", [2, 3, 5, 7, 4], 2)
    add("single_pair_subjects", "simulated, two subjects with one pair", [4, 1, 3, 5, 1], 3)
    add("two_subjects", "simulated, two subjects only", [3, 4], 4)
    add("one_subject", "simulated, one subject (rm_corr = Pearson)", [6], 5)
    add("two_by_two", "simulated, two subjects of two pairs (df = 1)", [2, 2], 6)
    add("many_small", "simulated, 15 subjects of 2 pairs", [2] * 15, 7)
    add("unbalanced_offset", "the 'unbalanced' design with 1000 added to both measures", [2, 3, 5, 7, 4], 2, offset=1000.0)
    add("negative_within", "simulated, negative within-subject association", [5, 4, 6, 3], 8, slope=-1.0)
    add("wide_unbalanced", "simulated, 1 to 10 pairs per subject", list(range(1, 11)), 9)
    add("one_pair_plus_two", "simulated, one subject of two pairs and one of one (df = 0)", [2, 1], 10)
    add("alliance_like", "simulated 7-point ratings of 6 dyads, 3 to 12 sessions", [8, 5, 12, 3, 6, 9], 11, step=0.25)
    # every difference equal (dyadic values, so each subtraction is exact)
    s, x, _ = grouped([3, 4, 2], 12, step=0.25)
    cases.append(case("all_differences_equal", "simulated; second = first - 0.5 exactly", s, x, [v - 0.5 for v in x]))
    # the first measure constant within each subject
    s, _, y = grouped([3, 3, 4], 13)
    firsts = {"s1": 4.0, "s2": 5.5, "s3": 3.0}
    cases.append(case("first_constant_within", "simulated; first measure constant within subjects", s, [firsts[v] for v in s], y))
    # every subject rated once
    s, x, y = grouped([1] * 6, 14)
    cases.append(case("all_single", "simulated; every subject has one pair", s, x, y))
    # missing values
    s, x, y = grouped([4, 5, 3, 4], 15)
    xm = [None if i in (2, 9) else v for i, v in enumerate(x)]
    ym = [None if i in (5, 9, 14) else v for i, v in enumerate(y)]
    cases.append(case("with_missing", "simulated; 4 pairs missing a value", s, xm, ym))
    # subject mean differences nearly equal, large within-subject spread: the ANOVA
    # between-subject estimate is negative
    s = ["a"] * 4 + ["b"] * 4 + ["c"] * 4
    x = [5.0, 6.0, 4.0, 7.0, 3.0, 5.5, 4.5, 6.5, 5.0, 6.0, 2.0, 4.0]
    d = [1.0, -1.5, 2.0, -0.5, 1.5, -2.0, 0.5, 1.0, -1.0, 2.5, 0.0, -0.5]
    cases.append(case("negative_between", "hand-made; MS_B < MS_W", s, x, [a - e for a, e in zip(x, d)]))
    # every pair with the same mean: the regression on the mean is undefined
    cases.append(case("equal_means", "hand-made; every pair's mean is 5", ["a", "a", "b", "b"],
                      [4.0, 5.0, 6.0, 3.0], [6.0, 5.0, 4.0, 7.0]))
    return cases


def complete(c):
    rows = [(s, a, b) for s, a, b in zip(c["subjects"], c["first"], c["second"]) if a is not None and b is not None]
    return rows


def groups(rows):
    out = {}
    for s, a, b in rows:
        out.setdefault(s, []).append((mp.mpf(a), mp.mpf(b)))
    return out


# ---- mpmath from the formulas ------------------------------------------------------------

def z_quantile(p):
    return mp.sqrt(2) * mp.erfinv(2 * p - 1)


def t_two_sided_p(t, df):
    return mp.betainc(df / 2, mp.mpf(1) / 2, 0, df / (df + t * t), regularized=True)


def t_quantile(p, df):
    from scipy.stats import t as tdist
    return mp.findroot(lambda q: 1 - t_two_sided_p(q, df) / 2 - p if q > 0 else t_two_sided_p(q, df) / 2 - p,
                       mp.mpf(tdist.ppf(float(p), float(df))))


def chi2_quantile(p, df):
    """P(X <= x) = p."""
    from scipy.stats import chi2
    return mp.findroot(lambda x: mp.gammainc(df / 2, 0, x / 2, regularized=True) - p,
                       mp.mpf(chi2.ppf(float(p), float(df))))


def num(x):
    return None if x is None else float(x)


def rm_corr_mp(rows):
    g = groups(rows)
    n, k = len(rows), len(g)
    sxx = syy = sxy = mp.mpf(0)
    pairable = False
    for v in g.values():
        if len(v) < 2:
            continue
        pairable = True
        mx = mp.fsum(a for a, _ in v) / len(v)
        my = mp.fsum(b for _, b in v) / len(v)
        sxx += mp.fsum((a - mx) ** 2 for a, _ in v)
        syy += mp.fsum((b - my) ** 2 for _, b in v)
        sxy += mp.fsum((a - mx) * (b - my) for a, b in v)
    df = max(n - k - 1, 0)
    out = {"n": n, "subjects": k, "single_pair_subjects": sum(1 for v in g.values() if len(v) == 1),
           "df": df, "r": None, "slope": None, "t": None, "p": None, "ci": None}
    if not pairable:
        out["undefined"] = "NoPairableUnit"
        return out
    if sxx == 0 or syy == 0:
        out["undefined"] = "ZeroVariance"
        if sxx != 0:
            out["slope"] = 0.0
        return out
    r = sxy / mp.sqrt(sxx * syy)
    out["r"], out["slope"] = num(r), num(sxy / sxx)
    if df > 0 and abs(r) < 1:
        t = r * mp.sqrt(df / (1 - r * r))
        out["t"], out["p"] = num(t), num(t_two_sided_p(t, df))
    if df >= 2:
        z = z_quantile(1 - (1 - LEVEL) / 2)
        h = z / mp.sqrt(df - 1)
        out["ci"] = [num(mp.tanh(mp.atanh(r) - h)), num(mp.tanh(mp.atanh(r) + h))]
    return out


def rm_corr_statsmodels(rows):
    d = pd.DataFrame(rows, columns=["s", "x", "y"])
    fit = smf.ols("y ~ C(s) + x", data=d).fit() if d["s"].nunique() > 1 else smf.ols("y ~ x", data=d).fit()
    aov = anova_lm(fit, typ=2)
    ssx, ssres = aov.loc["x", "sum_sq"], aov.loc["Residual", "sum_sq"]
    return np.sign(fit.params["x"]) * np.sqrt(ssx / (ssx + ssres)), fit.df_resid, aov.loc["x", "PR(>F)"]


def mover(components, alpha):
    value = below = above = mp.mpf(0)
    for c, s2, df in components:
        if c == 0:
            continue
        upper_q = chi2_quantile(1 - alpha / 2, df)  # P(X > x) = alpha/2
        lower_q = chi2_quantile(alpha / 2, df)
        part = c * s2
        value += part
        below += (part * (1 - df / upper_q)) ** 2
        above += (part * (df / lower_q - 1)) ** 2
    return max(value - mp.sqrt(below), 0), value + mp.sqrt(above)


def ba_repeated_mp(rows, varying, multiplier):
    g = groups(rows)
    k, n = len(g), len(rows)
    if k < 2:
        return None
    means, ss, ms = [], mp.mpf(0), []
    for v in g.values():
        d = [a - b for a, b in v]
        m = mp.fsum(d) / len(d)
        means.append(m)
        ms.append(len(d))
        ss += mp.fsum((e - m) ** 2 for e in d)
    pairable = any(m > 1 for m in ms)
    mean_of_means = mp.fsum(means) / k
    grand = mp.fsum(m * c for m, c in zip(means, ms)) / n
    s2_means = mp.fsum((m - mean_of_means) ** 2 for m in means) / (k - 1)
    ms_b = mp.fsum(c * (m - grand) ** 2 for m, c in zip(means, ms)) / (k - 1)
    ms_w = ss / (n - k) if pairable else mp.mpf(0)
    mh = k / mp.fsum(mp.mpf(1) / c for c in ms)
    m2 = sum(c * c for c in ms)
    lam = mp.mpf(n * n - m2) / ((k - 1) * n)
    between = (ms_b - ms_w) / lam
    w = (1 - 1 / mh) if pairable else 0
    if varying:
        bias = mean_of_means
        comps = [(1, s2_means, k - 1), (w, ms_w, n - k)]
        se2 = s2_means / k
    else:
        bias = grand
        comps = [(1 / lam, ms_b, k - 1), (1 - 1 / lam, ms_w, n - k)] if between >= 0 else [(1, ms_w, n - k)]
        se2 = ms_w / n + max(between, 0) * m2 / mp.mpf(n * n)
    var = mp.fsum(c * v for c, v, _ in comps)
    sd = mp.sqrt(var)
    z = mp.mpf(multiplier)
    alpha = 1 - LEVEL
    zc = z_quantile(1 - alpha / 2)
    lo, hi = mover(comps, alpha)
    se = mp.sqrt(se2)
    left = mp.sqrt(zc ** 2 * se2 + z ** 2 * (mp.sqrt(hi) - sd) ** 2)
    right = mp.sqrt(zc ** 2 * se2 + z ** 2 * (sd - mp.sqrt(lo)) ** 2)
    lower, upper = bias - z * sd, bias + z * sd
    return {
        "n": n, "subjects": k, "single_pair_subjects": sum(1 for c in ms if c == 1),
        "bias": num(bias), "variance": num(var), "sd": num(sd),
        "lower_limit": num(lower), "upper_limit": num(upper),
        "within_variance": num(ms_w) if pairable else None,
        "subject_mean_variance": num(s2_means), "between_variance": num(between),
        "harmonic_mean_pairs": num(mh), "divisor": num(lam),
        "bias_ci": [num(bias - zc * se), num(bias + zc * se)],
        "variance_ci": [num(lo), num(hi)],
        "lower_limit_ci": [num(lower - left), num(lower + right)],
        "upper_limit_ci": [num(upper - right), num(upper + left)],
    }


def proportional_bias_mp(rows, multiplier):
    a = [(mp.mpf(x) + mp.mpf(y)) / 2 for _, x, y in rows]
    d = [mp.mpf(x) - mp.mpf(y) for _, x, y in rows]
    n = len(rows)
    ma, md = mp.fsum(a) / n, mp.fsum(d) / n
    saa = mp.fsum((v - ma) ** 2 for v in a)
    out = {"n": n, "df": max(n - 2, 0)}
    if saa == 0:
        out["undefined"] = "ZeroVariance"
        return out
    b1 = mp.fsum((u - ma) * (v - md) for u, v in zip(a, d)) / saa
    b0 = md - b1 * ma
    res = [abs(v - b0 - b1 * u) for u, v in zip(a, d)]
    mr = mp.fsum(res) / n
    c1 = mp.fsum((u - ma) * (r - mr) for u, r in zip(a, res)) / saa
    c0 = mr - c1 * ma
    out.update({"intercept": num(b0), "slope": num(b1), "spread_intercept": num(c0), "spread_slope": num(c1)})
    at = []
    for A in (min(a), ma, max(a)):
        bias = b0 + b1 * A
        half = mp.mpf(multiplier) * mp.sqrt(mp.pi / 2) * (c0 + c1 * A)
        at.append({"mean": num(A), "bias": num(bias), "lower": num(bias - half), "upper": num(bias + half)})
    out["limits_at"] = at
    if n > 2:
        rss = mp.fsum(r * r for r in res)
        se = mp.sqrt(rss / (n - 2) / saa)
        out["se"] = num(se)
        if se > 0:
            t = b1 / se
            out["t"], out["p"] = num(t), num(t_two_sided_p(t, n - 2))
        q = t_quantile(1 - (1 - LEVEL) / 2, n - 2)
        out["ci"] = [num(b1 - q * se), num(b1 + q * se)]
    return out


def proportional_bias_statsmodels(rows):
    d = pd.DataFrame([((x + y) / 2, x - y) for _, x, y in rows], columns=["a", "d"])
    fit = smf.ols("d ~ a", data=d).fit()
    ci = fit.conf_int(0.05).loc["a"]
    return {"intercept": fit.params["Intercept"], "slope": fit.params["a"], "se": fit.bse["a"],
            "t": fit.tvalues["a"], "p": fit.pvalues["a"], "ci": [ci[0], ci[1]]}


def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-300)


def main():
    rmcorr_r, agree_nest_r, bland_rda, reps_rda = sys.argv[1:5]
    cases = make_cases(bland_rda, reps_rda)
    multiplier = float(z_quantile(mp.mpf("0.975")))  # SimplyAgree's agreeq = qnorm(0.975)
    with tempfile.TemporaryDirectory() as tmp:
        inp, outp = os.path.join(tmp, "cases.json"), os.path.join(tmp, "r.json")
        with open(inp, "w") as f:
            json.dump(cases, f)
        subprocess.run(["Rscript", os.path.join(HERE, "repeated_r.R"), rmcorr_r, agree_nest_r, bland_rda, inp, outp],
                       check=True)
        with open(outp) as f:
            from_r = json.load(f)
        r_versions = from_r.pop("versions")
    for c in cases:
        rows = complete(c)
        c["dropped"] = len(c["subjects"]) - len(rows)
        rm = rm_corr_mp(rows)
        if rm["r"] is not None and rm["df"] > 0:
            r_sm, df_sm, p_sm = rm_corr_statsmodels(rows)
            assert rel(r_sm, rm["r"]) < 1e-9 and df_sm == rm["df"], (c["name"], r_sm, rm)
            if rm["p"] is not None and rm["p"] > 1e-300:
                assert rel(p_sm, rm["p"]) < 1e-6, (c["name"], p_sm, rm["p"])
        c["rm_corr"] = rm
        if len({s for s, _, _ in rows}) >= 3 and rm["r"] is not None:
            d = pd.DataFrame(rows, columns=["subject", "x", "y"])
            res = pg.rm_corr(data=d, x="x", y="y", subject="subject")
            c["pingouin_rm_corr"] = {"r": float(res["r"].iloc[0]), "dof": int(res["dof"].iloc[0]),
                                     "pval": float(res["pval"].iloc[0]),
                                     "ci_rounded_2dp": [float(v) for v in res["CI95"].iloc[0]]}
        rr = from_r["cases"][c["name"]]
        rr = rr if isinstance(rr, dict) else {}  # R writes an empty list as []
        if rr.get("rmcorr"):
            c["rmcorr"] = rr["rmcorr"]
        c["multiplier"] = multiplier
        c["bland_altman_varying"] = ba_repeated_mp(rows, True, multiplier)
        c["bland_altman_constant"] = ba_repeated_mp(rows, False, multiplier)
        if rr.get("agree_nest"):
            c["agree_nest"] = rr["agree_nest"]
        pb = proportional_bias_mp(rows, multiplier)
        # statsmodels reports a p from rounding noise on a perfect fit (all differences equal,
        # se 3.6e-17, p 0.42): recorded only where the slope's t exists
        if "undefined" not in pb and pb["n"] > 2 and pb.get("p") is not None:
            sm = proportional_bias_statsmodels([(s, float(x), float(y)) for s, x, y in rows])
            for key in ("intercept", "slope", "se", "t", "p"):
                if key in pb and pb[key] is not None and abs(pb[key]) > 1e-12:
                    assert rel(sm[key], pb[key]) < 1e-6, (c["name"], key, sm[key], pb[key])
            c["proportional_bias_statsmodels"] = {k: float(v) if not isinstance(v, list) else [float(u) for u in v]
                                                  for k, v in sm.items()}
        c["proportional_bias"] = pb
    out = {
        "about": "Repeated-measures correlation, Bland-Altman for repeated pairs (true value varying and "
                 "constant, MOVER limits) and proportional bias. Made by repeated_reference.py (mpmath from the "
                 "formulas, statsmodels and pingouin cross-checks) and repeated_r.R (R rmcorr rmcorr() and "
                 "SimplyAgree agree_nest(TOST = FALSE, ccc = FALSE), their R files source()d). Level 0.95; "
                 "limits multiplier qnorm(0.975) as SimplyAgree. agree_nest is recorded only for cases without "
                 "single-pair subjects (see README: it divides the pooled within-subject variance by N minus the "
                 "subjects with 2+ pairs).",
        "versions": {"python": sys.version.split()[0], "mpmath": mp.__version__, "numpy": np.__version__,
                     "scipy": scipy.__version__, "statsmodels": statsmodels.__version__,
                     "pingouin": pg.__version__, **r_versions},
        "level": float(LEVEL),
        "cases": cases,
    }
    with open(os.path.join(HERE, "repeated_reference.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
