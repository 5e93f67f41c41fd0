"""Reference values for Sen's slope with Gilbert's interpolated interval
(`alliance::IntervalMethod::InterpolatedSlopes`), from an independent implementation: the
MeteoSwiss `mannkendall` package (Python 1.1.1, `mannkendall.mk_stats.sen_slope`; the port of
the authors' R and MATLAB code, Collaud Coen et al. 2020, Atmos. Meas. Tech. 13:6945-6964).

Regenerate with (fresh venv: pip install mannkendall==1.1.1 numpy scipy):
    python3 tests/reference/sen_interpolated.py > tests/reference/sen_interpolated.json

Inputs are the series of tests/reference/trend_stats.json (read, never written). Times t are
passed as datetimes t seconds after 2000-01-01, so the package's slopes "per second" are slopes
per unit of t. Kendall's variance is computed here with the standard tie-corrected formula
(n(n-1)(2n+5) - sum t(t-1)(2t+5)) / 18 in Python integers, and passed as `k_var`.

Convention of the package (read from its source): with N ordered slopes d[0..N-1] and
C = z(1 - alpha/2) sqrt(Var S), lower = d at 0-based position (N - C)/2 - 1, upper = d at
0-based position (N + C)/2 - 1, linearly interpolated (scipy interp1d), clamped to d[0] and
d[N-1] outside (we store "in_range" so the Rust test knows where the crate says undefined).
"""
import datetime
import json
import sys

import mannkendall
import numpy as np
import scipy
from mannkendall import mk_stats
from scipy.stats import norm

CALL = "mannkendall.mk_stats.sen_slope(obs_dts, obs, k_var, alpha_cl=level_percent)"


def kendall_var(y):
    n = len(y)
    _, counts = np.unique(np.asarray(y), return_counts=True)
    ties = sum(int(t) * (int(t) - 1) * (2 * int(t) + 5) for t in counts)
    return (n * (n - 1) * (2 * n + 5) - ties) / 18


def main():
    with open("tests/reference/trend_stats.json") as f:
        source = json.load(f)
    base = datetime.datetime(2000, 1, 1)
    cases = []
    for case in source["cases"]:
        t, y = case["t"], case["y"]
        n = len(y)
        dts = np.array([base + datetime.timedelta(seconds=x) for x in t])
        obs = np.array(y, dtype=float)
        k_var = kendall_var(y)
        out = {"name": case["name"], "var_s": k_var}
        for level in (95, 90):
            slope, lcl, ucl = mk_stats.sen_slope(dts, obs, float(k_var), alpha_cl=float(level))
            big_n = n * (n - 1) // 2
            c = -norm.ppf((1 - level / 100) / 2) * k_var ** 0.5
            m1, m2 = 0.5 * (big_n - c) - 1, 0.5 * (big_n + c) - 1
            out[str(level)] = {
                "slope": slope,
                "lcl": float(lcl),
                "ucl": float(ucl),
                "in_range": bool(m1 >= 0 and m2 <= big_n - 1),
            }
        cases.append(out)
    doc = {
        "versions": {
            "mannkendall": mannkendall.__version__ if hasattr(mannkendall, "__version__") else "1.1.1",
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "python": sys.version.split()[0],
        },
        "call": CALL,
        "cases": cases,
    }
    json.dump(doc, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
