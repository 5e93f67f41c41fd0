"""Generate tests/reference/kappa_cases.json: reference values for Cohen's kappa, Fleiss'
kappa, Gwet's AC1/AC2 and Brennan-Prediger.

Run from the crate root:  python3 tests/reference/kappa_cases.py
References (versions recorded in the JSON):
  statsmodels 0.15  statsmodels.stats.inter_rater.cohens_kappa(table, weights=..., wt=...)
                    statsmodels.stats.inter_rater.fleiss_kappa(counts, method="fleiss")
  irrCAC 0.4.4      irrCAC.raw.CAC(df, weights=W, categories=cats, digits=17).conger()/.fleiss()/.gwet()/.bp()
                    irrCAC.table.CAC(table_df, weights=W, digits=17).cohen()
Every generated case is computed by two independent implementations where both exist.
"""
import json
import warnings

import mpmath as mp
import numpy as np
import pandas as pd
import statsmodels
import irrCAC
from importlib.metadata import version
from irrCAC.raw import CAC
from irrCAC.table import CAC as CACTable
from statsmodels.stats.inter_rater import cohens_kappa, fleiss_kappa

warnings.filterwarnings("ignore")
rng = np.random.default_rng(20261125)


def weight_matrix(cats, kind, custom=None):
    x = np.asarray(cats, float)
    span = x[-1] - x[0]
    d = x[:, None] - x[None, :]
    if kind == "unweighted":
        return np.eye(len(x))
    if kind == "linear":
        return 1 - np.abs(d) / span
    if kind == "quadratic":
        return 1 - (d / span) ** 2
    return np.asarray(custom, float)


_custom_calls = [0]


def random_custom(q):
    # diagonal 1, off-diagonal in [0, 1]; every other matrix asymmetric
    w = rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], size=(q, q))
    _custom_calls[0] += 1
    if _custom_calls[0] % 2 == 0:
        w = np.triu(w) + np.triu(w, 1).T
    np.fill_diagonal(w, 1.0)
    return w


mp.mp.dps = 40


def t_quantile_exact(p, df):
    """Student t quantile by mpmath (scipy 1.12's t.ppf is off by up to ~3e-9 relative)."""
    f = lambda t: mp.betainc(mp.mpf(df) / 2, mp.mpf(1) / 2, 0, df / (df + t * t), regularized=True) / 2 - (1 - mp.mpf(p))
    return mp.findroot(f, 2.0)


def t_two_sided_exact(t, df):
    t = mp.mpf(t)
    return mp.betainc(mp.mpf(df) / 2, mp.mpf(1) / 2, 0, df / (df + t * t), regularized=True)


def fnum(x):
    x = float(x)
    return None if not np.isfinite(x) else x


# ---------------------------------------------------------------- Cohen's kappa
def cohen_case(name, a, b, cats, kind, custom=None):
    w = weight_matrix(cats, kind, custom)
    pairs = [(x, y) for x, y in zip(a, b) if x is not None and y is not None]
    q = len(cats)
    table = np.zeros((q, q))
    for x, y in pairs:
        table[cats.index(x), cats.index(y)] += 1
    if kind == "unweighted":
        call = "cohens_kappa(table)"
        sm = cohens_kappa(table)
    elif kind in ("linear", "quadratic"):
        call = f"cohens_kappa(table, weights=categories, wt='{kind}')"
        sm = cohens_kappa(table, weights=np.asarray(cats, float), wt=kind)
    else:
        call = "cohens_kappa(table, weights=1 - W)  # statsmodels takes disagreement weights"
        sm = cohens_kappa(table, weights=1 - w)
    df = pd.DataFrame({"a": [p[0] for p in pairs], "b": [p[1] for p in pairs]}, dtype=float)
    conger = CAC(df, weights=w, categories=[float(c) for c in cats], digits=17).conger()["est"]
    tab = CACTable(pd.DataFrame(table), weights=w, digits=17).cohen()["est"]
    return {
        "name": name,
        "categories": cats,
        "weighting": kind,
        "custom_weights": None if custom is None else np.asarray(custom).tolist(),
        "rater_a": a,
        "rater_b": b,
        "statsmodels": {
            "call": call + "  # table built over the declared categories after listwise deletion",
            "kappa": fnum(sm.kappa),
            "se": fnum(sm.std_kappa),
            "se_null": fnum(sm.std_kappa0),
            "z": fnum(sm.z_value),
            "p_two_sided": fnum(sm.pvalue_two_sided),
            "ci_lower": fnum(sm.kappa_low),
            "ci_upper": fnum(sm.kappa_upp),
        },
        "irrCAC": {
            "call": "CAC(df_listwise, weights=W, categories=cats, digits=17).conger(); "
            "irrCAC.table.CAC(pd.DataFrame(table), weights=W, digits=17).cohen()",
            "kappa_conger": fnum(conger["coefficient_value"]),
            "kappa_table": fnum(tab["coefficient_value"]),
            "se_table": fnum(tab["se"]),
            "pa": fnum(tab["pa"]),
            "pe": fnum(tab["pe"]),
        },
    }


cohen = []
# Published: SAS/STAT PROC FREQ example as reproduced in statsmodels' test suite
# (table [[0,4,1],[0,8,0],[0,1,5]]), printed to 4 decimals.
t10 = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]
a10, b10 = [], []
for i in range(3):
    for j in range(3):
        a10 += [i + 1] * t10[i][j]
        b10 += [j + 1] * t10[i][j]
c = cohen_case("sas_table10_unweighted", a10, b10, [1, 2, 3], "unweighted")
c["published"] = {
    "source": "SAS PROC FREQ printout, as quoted in statsmodels 0.15 "
    "stats/tests/test_inter_rater.py TestUnweightedCohens (4 decimals)",
    "kappa": 0.4842, "se": 0.1380, "ci_lower": 0.2137, "ci_upper": 0.7547,
    "se_null": 0.1484, "z": 3.2626, "p_two_sided": 0.0011, "decimals": 4,
}
cohen.append(c)
c = cohen_case("sas_table10_linear", a10, b10, [1, 2, 3], "linear")
c["published"] = {
    "source": "SAS PROC FREQ printout (Cicchetti-Allison weights), as quoted in statsmodels "
    "0.15 stats/tests/test_inter_rater.py TestWeightedCohens (4 decimals)",
    "kappa": 0.4701, "se": 0.1457, "ci_lower": 0.1845, "ci_upper": 0.7558,
    "se_null": 0.1426, "z": 3.2971, "p_two_sided": 0.0010, "decimals": 4,
}
cohen.append(c)

cat_sets = [[1, 2, 3, 4, 5], [0, 1, 2, 3], [1, 2, 3, 4, 5, 6, 7], [0, 1, 3, 7], [1, 2, 3]]
kinds = ["unweighted", "linear", "quadratic", "custom"]
for case in range(32):
    cats = cat_sets[case % len(cat_sets)]
    kind = kinds[case % len(kinds)]
    n = int(rng.integers(8, 80))
    # correlated raters, some categories left unused on purpose
    used = cats[: max(2, len(cats) - (case % 2))]
    a = rng.choice(used, size=n).tolist()
    b = [x if rng.random() < 0.6 else int(rng.choice(used)) for x in a]
    a = [int(x) for x in a]
    if case % 3 == 0:
        for k in rng.choice(n, size=max(1, n // 10), replace=False):
            if rng.random() < 0.5:
                a[k] = None
            else:
                b[k] = None
    custom = random_custom(len(cats)) if kind == "custom" else None
    cohen.append(cohen_case(f"cohen_{case:02d}_{kind}", a, b, cats, kind, custom))


# ---------------------------------------------------------------- multi-rater
def multi_case(name, rows, cats, kind, custom=None):
    w = weight_matrix(cats, kind, custom)
    df = pd.DataFrame(rows, dtype=float)
    out = {}
    for method in ("fleiss", "gwet", "bp"):
        est = getattr(CAC(df, weights=w, categories=[float(c) for c in cats], digits=17), method)()["est"]
        out[method] = {
            "call": f"CAC(df, weights=W, categories=cats, digits=17).{method}()",
            "value": fnum(est["coefficient_value"]),
            "pa": fnum(est["pa"]),
            "pe": fnum(est["pe"]),
            "se": fnum(est["se"]),
            "z": fnum(est["z"]),
            "p": fnum(est["p_value"]),
            "ci_lower": fnum(est["confidence_interval"][0]),
            "ci_upper_capped_at_1": fnum(est["confidence_interval"][1]),
        }
        # irrCAC's bounds and p inherit scipy's t.ppf error (up to ~3e-9 relative) and
        # 1 - t.cdf cancellation; recompute them from irrCAC's coefficient and SE with mpmath.
        n_subj = int(df.dropna(how="all").shape[0])
        tq = t_quantile_exact(0.975, n_subj - 1)
        v, se = mp.mpf(est["coefficient_value"]), mp.mpf(est["se"])
        out[method]["mpmath"] = {
            "call": "mpmath 40 digits: t quantile (0.975, n-1) and two-sided p of value/se on irrCAC's value and se",
            "df": n_subj - 1,
            "t_quantile": fnum(tq),
            "ci_lower": fnum(v - tq * se),
            "ci_upper": fnum(v + tq * se),
            "p_two_sided": fnum(t_two_sided_exact(v / se, n_subj - 1)),
        }
    case = {
        "name": name,
        "categories": cats,
        "weighting": kind,
        "custom_weights": None if custom is None else np.asarray(custom).tolist(),
        "rows": [[None if x is None else x for x in r] for r in rows],
        "irrCAC": out,
    }
    complete = all(x is not None for r in rows for x in r)
    if complete and kind == "unweighted":
        counts = np.array([[sum(1 for x in r if x == c) for c in cats] for r in rows], float)
        case["statsmodels"] = {
            "call": "fleiss_kappa(counts_over_declared_categories, method='fleiss')",
            "kappa": fnum(fleiss_kappa(counts, method="fleiss")),
        }
    return case


multi = []
for case in range(30):
    cats = cat_sets[case % len(cat_sets)]
    kind = kinds[(case // 2) % len(kinds)]
    n = int(rng.integers(6, 50))
    r = int(rng.integers(2, 7))
    used = cats[: max(2, len(cats) - (case % 2))]
    rows = []
    for i in range(n):
        truth = int(rng.choice(used))
        row = [truth if rng.random() < 0.65 else int(rng.choice(used)) for _ in range(r)]
        rows.append(row)
    if case % 2 == 1:  # missing ratings, including a subject with one rating and one with none
        for i in range(n):
            for j in range(r):
                if rng.random() < 0.15:
                    rows[i][j] = None
        rows[0] = [rows[0][0]] + [None] * (r - 1)
        if n > 3:
            rows[1] = [None] * r
    custom = random_custom(len(cats)) if kind == "custom" else None
    multi.append(multi_case(f"multi_{case:02d}_{kind}", rows, cats, kind, custom))

# Fleiss (1971) diagnoses: 30 patients x 6 psychiatrists, 5 categories, as in statsmodels'
# test suite (R irr's `diagnoses`). Published kappa .430 (Fleiss 1971); R irr 0.84.1
# kappam.fleiss(diagnoses) gives 0.4302445, z = 17.65183 (quoted in statsmodels' tests).
from statsmodels.stats.tests.test_inter_rater import diagnoses  # noqa: E402

fl = multi_case("fleiss1971_diagnoses", diagnoses.astype(int).tolist(), [1, 2, 3, 4, 5], "unweighted")
fl["published"] = {
    "source": "Fleiss (1971) Psychological Bulletin 76:378-382, kappa = .430; R irr "
    "kappam.fleiss(diagnoses) as quoted in statsmodels 0.15 stats/tests/test_inter_rater.py",
    "kappa": 0.4302445,
    "z_null": 17.65183,
    "decimals_kappa": 7,
    "significant_z": 7,
}
multi.append(fl)

out = {
    "generated_by": "tests/reference/kappa_cases.py",
    "packages": {
        "statsmodels": statsmodels.__version__,
        "irrCAC": version("irrCAC"),
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "mpmath": mp.__version__,
    },
    "notes": [
        "Linear/quadratic weights are over category values: 1-|x_i-x_j|/(max-min), "
        "1-((x_i-x_j)/(max-min))^2 (irrCAC raw; statsmodels given weights=categories).",
        "irrCAC CIs use t(n-1) and cap the upper bound at 1; its p-values use t(n-1); "
        "bp() p-value is one-sided (1 - cdf).",
        "Cohen cases: pairs with a missing rating are dropped before both references.",
        "Asymmetric custom weights: statsmodels and irrCAC table.cohen() agree on kappa, but "
        "irrCAC conger() symmetrizes chance agreement and table.cohen()'s SE uses the "
        "transposed weighted margins, so for those cases only statsmodels is the SE reference.",
    ],
    "cohen": cohen,
    "multi": multi,
}
with open("tests/reference/kappa_cases.json", "w") as f:
    json.dump(out, f, indent=1)
print(len(cohen), "cohen cases,", len(multi), "multi-rater cases")
