"""Generate tests/reference/kappa_tables.json: Cohen's kappa from contingency tables, with
agreement and disagreement weights, including the published examples of Cohen (1968) and
Fleiss, Cohen & Everitt (1969).

Run from the crate root:  python3 tests/reference/kappa_tables.py
References (versions recorded in the JSON):
  statsmodels  statsmodels.stats.inter_rater.cohens_kappa(table, weights=V)
               A 2-D `weights` is a matrix of DISAGREEMENT weights: kappa = 1 - sum(V p_o) /
               sum(V p_e), which ignores the scale of V; its variance uses w = 1 - V and
               "assumes max(V) <= 1", so V is passed divided by its maximum (the call is
               recorded). Unweighted: cohens_kappa(table).
  irrCAC       irrCAC.table.CAC(pd.DataFrame(table), weights=W, digits=17).cohen(), W the
               AGREEMENT weights 1 - V / max(V) (symmetric weights only: for asymmetric
               weights its SE transposes the weighted margins, see kappa_cases.py).
Tables: row i, column j counts subjects the first rater put in category i and the second in j.
"""
import json
import warnings
from importlib.metadata import version

import numpy as np
import pandas as pd
import statsmodels
from irrCAC.table import CAC as CACTable
from statsmodels.stats.inter_rater import cohens_kappa

warnings.filterwarnings("ignore")


def fnum(x):
    x = float(x)
    return None if not np.isfinite(x) else x


def case(name, table, disagreement=None, agreement=None):
    t = np.asarray(table, float)
    q = t.shape[0]
    if disagreement is not None:
        v = np.asarray(disagreement, float)
    elif agreement is not None:
        v = 1.0 - np.asarray(agreement, float)
    else:
        v = None
    if v is None:
        sm = cohens_kappa(t)
        call = "cohens_kappa(table)"
        w = np.eye(q)
    else:
        sm = cohens_kappa(t, weights=v / v.max())
        call = "cohens_kappa(table, weights=V / V.max())  # V: disagreement weights"
        w = 1.0 - v / v.max()
    out = {
        "name": name,
        "categories": list(range(1, q + 1)),
        "table": [[int(x) for x in row] for row in table],
        "disagreement_weights": None if disagreement is None else np.asarray(disagreement).tolist(),
        "agreement_weights": None if agreement is None else np.asarray(agreement).tolist(),
        "statsmodels": {
            "call": call,
            "kappa": fnum(sm.kappa),
            "se": fnum(sm.std_kappa),
            "se_null": fnum(sm.std_kappa0),
            "z": fnum(sm.z_value),
            "p_two_sided": fnum(sm.pvalue_two_sided),
            "ci_lower": fnum(sm.kappa_low),
            "ci_upper": fnum(sm.kappa_upp),
        },
    }
    if np.allclose(w, w.T):
        est = CACTable(pd.DataFrame(t), weights=w, digits=17).cohen()["est"]
        out["irrCAC"] = {
            "call": "irrCAC.table.CAC(pd.DataFrame(table), weights=1 - V / V.max(), digits=17).cohen()",
            "kappa": fnum(est["coefficient_value"]),
            "se": fnum(est["se"]),
            "pa": fnum(est["pa"]),
            "pe": fnum(est["pe"]),
        }
    return out


cases = []
# Cohen (1968), Weighted kappa, Psychological Bulletin 70:213-220: the example table of
# proportions (n = 200) with disagreement weights, as reproduced in R psych's cohen.kappa help
# ("cohen reports .492 and .348"; asymmetric weights: "Cohen reports kw = .353").
cohen = [[88, 14, 18], [10, 40, 10], [2, 6, 12]]  # 200 x [[.44 .07 .09] [.05 .20 .05] [.01 .03 .06]]
c = case("cohen1968_unweighted", cohen)
c["published"] = {"source": "Cohen (1968) via R psych cohen.kappa help", "kappa": 0.492, "decimals": 3}
cases.append(c)
c = case("cohen1968_disagreement", cohen, disagreement=[[0, 1, 3], [1, 0, 6], [3, 6, 0]])
c["published"] = {"source": "Cohen (1968) via R psych cohen.kappa help", "kappa": 0.348, "decimals": 3}
cases.append(c)
c = case("cohen1968_asymmetric", cohen, disagreement=[[0, 1, 4], [1, 0, 6], [2, 2, 0]])
c["published"] = {"source": "Cohen (1968) via R psych cohen.kappa help", "kappa": 0.353, "decimals": 3}
cases.append(c)
# Fleiss, Cohen & Everitt (1969), Psychological Bulletin 72:323-327: the example table
# (n = 200) with agreement ("similarity") weights as printed in R psych's cohen.kappa help.
fce = [[106, 10, 4], [22, 28, 10], [2, 12, 6]]
fce_w = [[1.0, 0.0, 0.4444], [0.0, 1.0, 0.6667], [0.4444, 0.6667, 1.0]]
cases.append(case("fce1969_agreement", fce, agreement=fce_w))
cases.append(case("fce1969_unweighted", fce))
# SAS PROC FREQ's table (statsmodels' tests), and tables with an unused category.
cases.append(case("sas_table10_unweighted", [[0, 4, 1], [0, 8, 0], [0, 1, 5]]))
cases.append(case("sas_table10_disagreement", [[0, 4, 1], [0, 8, 0], [0, 1, 5]],
                  disagreement=[[0, 1, 2], [1, 0, 1], [2, 1, 0]]))
cases.append(case("unused_category_quadratic_disagreement",
                  [[12, 3, 0, 1], [2, 9, 0, 2], [0, 0, 0, 0], [1, 2, 0, 7]],
                  disagreement=[[0, 1, 4, 9], [1, 0, 1, 4], [4, 1, 0, 1], [9, 4, 1, 0]]))
cases.append(case("unused_category_asymmetric_agreement",
                  [[12, 3, 0, 1], [2, 9, 0, 2], [0, 0, 0, 0], [1, 2, 0, 7]],
                  agreement=[[1, 0.5, 0, 0], [0.75, 1, 0.5, 0], [0, 0.75, 1, 0.5], [0, 0, 0.75, 1]]))

out = {
    "generated_by": "tests/reference/kappa_tables.py",
    "packages": {"statsmodels": statsmodels.__version__, "irrCAC": version("irrCAC"),
                 "numpy": np.__version__, "pandas": pd.__version__},
    "notes": [
        "statsmodels takes disagreement weights V; kappa ignores their scale; they are passed as V / max(V) "
        "because its variance uses 1 - V.",
        "Agreement-weight cases are given to statsmodels as V = 1 - W.",
    ],
    "cases": cases,
}
with open("tests/reference/kappa_tables.json", "w") as f:
    json.dump(out, f, indent=1)
print(len(cases), "cases")
