"""Generate tests/reference/krippendorff_cases.json: reference values for Krippendorff's alpha.

Run from the crate root:  python3 tests/reference/krippendorff_cases.py
References (versions recorded in the JSON):
  krippendorff 0.9.0  krippendorff.alpha(reliability_data=coders_x_units, level_of_measurement=m)
  irrCAC 0.4.4        irrCAC.raw.CAC(units_x_coders_df, weights=w, digits=17).krippendorff()
                      with w = "identity" (nominal), "quadratic" (interval), "ratio" (ratio),
                      "ordinal" (NOT Krippendorff's rank metric: Gwet's rank distance; recorded
                      for comparison only).
Data are stored units x coders (rows = units), None = missing.
"""
import json
import warnings
from importlib.metadata import version

import krippendorff
import numpy as np
import pandas as pd
from irrCAC.raw import CAC

warnings.filterwarnings("ignore")
rng = np.random.default_rng(11235813)
METRICS = ["nominal", "ordinal", "interval", "ratio"]
IRR_WEIGHTS = {"nominal": "identity", "ordinal": "ordinal", "interval": "quadratic", "ratio": "ratio"}


def fnum(x):
    x = float(x)
    return None if not np.isfinite(x) else x


def case(name, rows):
    units = np.array([[np.nan if x is None else x for x in r] for r in rows], float)
    out = {"name": name, "rows": rows, "krippendorff": {}, "irrCAC": {}}
    for m in METRICS:
        if m == "ratio" and np.nanmin(units) < 0:
            continue
        a = krippendorff.alpha(reliability_data=units.T, level_of_measurement=m)
        out["krippendorff"][m] = fnum(a)
        df = pd.DataFrame(units)
        try:
            est = CAC(df, weights=IRR_WEIGHTS[m], digits=17).krippendorff()["est"]
            out["irrCAC"][m] = fnum(est["coefficient_value"])
        except Exception as e:  # noqa: BLE001
            out["irrCAC"][m] = None
    return out


cases = []
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C (4 observers x
# 12 units, missing values). Published: nominal .743, ordinal .815, interval .849, ratio .797.
A = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
B = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
C = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
D = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]
k2011 = case("krippendorff2011_C", [list(u) for u in zip(A, B, C, D)])
k2011["published"] = {
    "source": "Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. "
    "Annenberg School for Communication Departmental Papers 43, section C (3 decimals)",
    "nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797, "decimals": 3,
}
cases.append(k2011)

domains = [
    [1, 2, 3, 4, 5],
    [0, 1],
    list(range(0, 8)),
    [1, 2, 4, 8, 16],
    [round(x * 0.1, 1) for x in range(0, 401)],  # one-decimal 0-40 scores
    [-2, -1, 0, 1, 2],
]
for k in range(30):
    dom = domains[k % len(domains)]
    n_units = int(rng.integers(5, 60))
    coders = int(rng.integers(2, 7))
    rows = []
    for u in range(n_units):
        t = rng.integers(0, len(dom))
        row = []
        for c in range(coders):
            if rng.random() < 0.7:
                j = t
            else:
                j = int(np.clip(t + rng.integers(-2, 3), 0, len(dom) - 1))
            row.append(dom[int(j)])
        rows.append(row)
    if k % 2 == 1:  # missing values, a unit with one value, a unit with none
        for r in rows:
            for c in range(coders):
                if rng.random() < 0.2:
                    r[c] = None
        rows[0] = [rows[0][0]] + [None] * (coders - 1)
        rows[1] = [None] * coders
    # keep only cases where alpha is defined and at least one unit is pairable
    cases.append(case(f"kripp_{k:02d}", rows))

out = {
    "generated_by": "tests/reference/krippendorff_cases.py",
    "packages": {"krippendorff": version("krippendorff"), "irrCAC": version("irrCAC"),
                 "numpy": np.__version__},
    "notes": [
        "krippendorff.alpha takes coders x units: it is called with the transpose of 'rows'.",
        "irrCAC's 'ordinal' weights are Gwet's rank distance over category positions, not "
        "Krippendorff's rank metric from marginal frequencies: it differs by design.",
        "irrCAC 'quadratic' weights rescale the interval metric by 1/span^2, which alpha ignores.",
    ],
    "cases": cases,
}
with open("tests/reference/krippendorff_cases.json", "w") as f:
    json.dump(out, f, indent=1)
print(len(cases), "cases")
