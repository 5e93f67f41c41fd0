"""Reference values for alliance::trend::siegel_slopes (Siegel's repeated-median line).

Regenerate with:  python3 tests/reference/siegel.py > tests/reference/siegel.json
Packages: scipy, numpy (versions recorded in "versions").
Each case stores its input x, y and, for method "hierarchical" and "separate":
  - "scipy": scipy.stats.siegelslopes(y, x, method=...) (slope, intercept; NaN as null);
  - "exact": the same definition in exact rational arithmetic (Python fractions, written from
    Siegel 1982 and scipy's documented convention), rounded to the nearest double once: an
    independent check of scipy's floating point.
Convention (scipy's): for point j the slopes to every point with a different x are taken (pairs
with equal x are skipped); median(even count) = mean of the two middle values. Hierarchical
intercept: median(y - slope * x); separate: median over j of median over i (x_i != x_j) of
(y_i x_j - y_j x_i) / (x_j - x_i). When every x is equal scipy returns NaN (the crate: undefined).
"""
import json
import sys
import warnings
from fractions import Fraction

import numpy as np
import scipy
from scipy import stats


def med(v):
    v = sorted(v)
    m = len(v)
    if m == 0:
        return None
    if m % 2 == 1:
        return v[m // 2]
    return (v[m // 2 - 1] + v[m // 2]) / 2


def exact(x, y, method):
    X = [Fraction(a) for a in x]
    Y = [Fraction(b) for b in y]
    n = len(X)
    slopes, inters = [], []
    for j in range(n):
        s = [(Y[i] - Y[j]) / (X[i] - X[j]) for i in range(n) if X[i] != X[j]]
        if not s:
            return None, None
        slopes.append(med(s))
        if method == "separate":
            inters.append(med([(Y[i] * X[j] - Y[j] * X[i]) / (X[j] - X[i])
                               for i in range(n) if X[i] != X[j]]))
    b = med(slopes)
    a = med(inters) if method == "separate" else med([Y[i] - b * X[i] for i in range(n)])
    return float(b), float(a)


def num(v):
    v = float(v)
    return None if v != v else v


def cases():
    rng = np.random.default_rng(20261129)
    out = []
    out.append(("two_points", [1.0, 2.0], [4.0, 4.5]))
    out.append(("three_points", [1.0, 2.0, 4.0], [4.0, 4.5, 4.2]))
    out.append(("constant_y", [1.0, 2.0, 3.0, 4.0, 5.0], [5.0] * 5))
    out.append(("exact_line_unit", [1.0, 2, 3, 4, 5, 6], [2.0 + 0.25 * t for t in range(1, 7)]))
    out.append(("exact_line_uneven", [0.0, 7, 14, 35, 42, 70, 91],
                [4.0 - 0.01 * t for t in [0, 7, 14, 35, 42, 70, 91]]))
    out.append(("line_with_3_of_8_outliers", [1.0, 2, 3, 4, 5, 6, 7, 8],
                [1.0, 1.5, 50.0, 2.5, -40.0, 3.5, 4.0, 99.0]))
    out.append(("ties_in_x", [1.0, 1.0, 2.0, 3.0, 3.0, 3.0, 5.0], [4.0, 4.4, 4.1, 4.9, 5.2, 4.6, 5.5]))
    out.append(("ties_in_x_and_y", [1.0, 2.0, 2.0, 4.0, 4.0, 6.0], [3.0, 3.0, 4.0, 3.0, 5.0, 5.0]))
    out.append(("all_x_equal", [2.0, 2.0, 2.0], [1.0, 2.0, 3.0]))
    out.append(("unsorted_x", [5.0, 1.0, 4.0, 2.0, 3.0], [2.0, 1.1, 2.3, 1.0, 1.7]))
    out.append(("negative_slope_likert", [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10],
                [7.0, 6, 6, 5, 6, 4, 4, 3, 4, 2]))
    out.append(("two_distinct_x", [1.0, 1.0, 1.0, 4.0], [2.0, 3.0, 4.0, 8.0]))
    for n, gaps in [(4, False), (5, True), (9, True), (12, False), (25, True), (60, False), (201, True)]:
        if gaps:
            t = np.cumsum(rng.integers(1, 15, n)).astype(float)
        else:
            t = np.arange(1, n + 1, dtype=float)
        y = np.round(4.0 + 0.02 * t + rng.normal(0, 0.5, n), 4)
        out.append(("random_n%d%s" % (n, "_gaps" if gaps else ""), list(t), list(y)))
    # heavy contamination: 49% of 100 points far off an exact line
    t = np.arange(1, 101, dtype=float)
    y = 3.0 + 0.5 * t
    bad = rng.choice(100, 49, replace=False)
    y[bad] = rng.normal(0, 1000, 49)
    out.append(("line_with_49_of_100_outliers", list(t), list(np.round(y, 3))))
    return out


def main():
    warnings.simplefilter("ignore")
    res = []
    for name, x, y in cases():
        case = {"name": name, "x": [float(v) for v in x], "y": [float(v) for v in y]}
        for method in ["hierarchical", "separate"]:
            r = stats.siegelslopes(np.array(y, dtype=float), np.array(x, dtype=float), method=method)
            eb, ea = exact(x, y, method)
            defined = eb is not None
            case[method] = {
                # scipy returns uninitialised memory (e.g. 2.3e-310), not NaN, when every x
                # is equal (the median of an empty array in its pythran kernel): recorded as
                # it is, with "scipy_defined": false.
                "scipy_defined": defined,
                "scipy": {"slope": num(r.slope), "intercept": num(r.intercept)},
                "exact": {"slope": eb, "intercept": ea},
            }
        res.append(case)
    json.dump({
        "source": "scipy.stats.siegelslopes(y, x, method='hierarchical' | 'separate'); exact rationals",
        "versions": {"scipy": scipy.__version__, "numpy": np.__version__,
                     "python": sys.version.split()[0]},
        "script": "tests/reference/siegel.py",
        "cases": res,
    }, sys.stdout, indent=1)
    print()


main()
