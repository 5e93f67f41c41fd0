"""Reference values for Lin's CCC standard errors and both intervals of DescTools::CCC.

Regenerate with:  /path/to/python tests/reference/continuous_ccc.py   (from the crate root;
needs mpmath and numpy). Reads the paired inputs (x, y) of continuous_reference.json, adds a
few hand-made pairs below, and writes continuous_ccc_reference.json beside itself. It never
reads the crate's output.

Why a re-implementation: R's DescTools is not packaged for the reference machine
(`apt-cache policy r-cran-desctools` on Debian bookworm: no candidate) and no other network
than the package registries is available, so the values are computed here from DescTools'
published code instead. The formula is transcribed from the body of `CCC()` in DescTools'
R/StatsAndCIs.r (CRAN source, mirrored at github.com/cran/DescTools), which itself follows
Lin (1989, 2000) and epiR::epi.ccc:

    k   <- length(y);  yb <- mean(y);  xb <- mean(x)
    sy2 <- var(y) * (k - 1) / k;  sx2 <- var(x) * (k - 1) / k
    r   <- cor(x, y);  sxy <- r * sqrt(sx2 * sy2)
    p   <- 2 * sxy / (sx2 + sy2 + (yb - xb)^2)
    u   <- (yb - xb) / ((sx2 * sy2)^0.25)
    sep <- sqrt(((1 - r^2) * p^2 * (1 - p^2) / r^2 + (2 * p^3 * (1 - p) * u^2 / r)
                 - 0.5 * p^4 * u^4 / r^2) / (k - 2))
    ll  <- p - zv * sep;  ul <- p + zv * sep                      # ci = "asymptotic"
    t   <- log((1 + p) / (1 - p)) / 2;  set = sep / (1 - p^2)
    llt <- tanh(t - zv * set);  ult <- tanh(t + zv * set)           # ci = "z-transform"

with zv = qnorm(1 - (1 - conf.level) / 2), conf.level = 0.95. Every quantity is computed in
mpmath at 50 significant digits (so the stored values are correctly rounded doubles of the
formula, not of one floating-point evaluation order), and once more in numpy float64 as a
cross-check that must agree to 1e-12 relative.
"""
import json, os, sys
import mpmath as mp
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
mp.mp.dps = 50
CONF = mp.mpf("0.95")


def desctools_ccc_mp(xs, ys):
    x = [mp.mpf(v) for v in xs]
    y = [mp.mpf(v) for v in ys]
    k = len(x)
    xb, yb = mp.fsum(x) / k, mp.fsum(y) / k
    var = lambda v, m: mp.fsum((a - m) ** 2 for a in v) / (k - 1)
    sx2, sy2 = var(x, xb) * (k - 1) / k, var(y, yb) * (k - 1) / k
    r = mp.fsum((a - xb) * (b - yb) for a, b in zip(x, y)) / mp.sqrt(
        mp.fsum((a - xb) ** 2 for a in x) * mp.fsum((b - yb) ** 2 for b in y))
    sxy = r * mp.sqrt(sx2 * sy2)
    p = 2 * sxy / (sx2 + sy2 + (yb - xb) ** 2)
    u = (yb - xb) / ((sx2 * sy2) ** mp.mpf("0.25"))
    sep = mp.sqrt(((1 - r**2) * p**2 * (1 - p**2) / r**2 + (2 * p**3 * (1 - p) * u**2 / r)
                   - mp.mpf("0.5") * p**4 * u**4 / r**2) / (k - 2))
    zv = mp.sqrt(2) * mp.erfinv(2 * (1 - (1 - CONF) / 2) - 1)
    t = mp.log((1 + p) / (1 - p)) / 2
    set_ = sep / (1 - p**2)
    return {"ccc": p, "se": sep, "se_z": set_,
            "asymptotic": [p - zv * sep, p + zv * sep],
            "z_transform": [mp.tanh(t - zv * set_), mp.tanh(t + zv * set_)]}


def desctools_ccc_np(x, y):
    x, y = np.asarray(x, float), np.asarray(y, float)
    k = len(x)
    yb, xb = y.mean(), x.mean()
    sy2, sx2 = y.var(ddof=1) * (k - 1) / k, x.var(ddof=1) * (k - 1) / k
    r = np.corrcoef(x, y)[0, 1]
    p = 2 * r * np.sqrt(sx2 * sy2) / (sx2 + sy2 + (yb - xb) ** 2)
    u = (yb - xb) / ((sx2 * sy2) ** 0.25)
    sep = np.sqrt(((1 - r**2) * p**2 * (1 - p**2) / r**2 + 2 * p**3 * (1 - p) * u**2 / r
                   - 0.5 * p**4 * u**4 / r**2) / (k - 2))
    from statistics import NormalDist
    zv = NormalDist().inv_cdf(0.975)
    t = np.arctanh(p)
    set_ = sep / (1 - p**2)
    return {"ccc": p, "se": sep, "se_z": set_, "asymptotic": [p - zv * sep, p + zv * sep],
            "z_transform": [np.tanh(t - zv * set_), np.tanh(t + zv * set_)]}


def flat(d):
    return [d["ccc"], d["se"], d["se_z"], *d["asymptotic"], *d["z_transform"]]


inputs = [(c["name"], c["x"], c["y"]) for c in json.load(open(os.path.join(HERE, "continuous_reference.json")))["cases"]]
inputs += [
    ("hand_doc_example_n5", [5.0, 6.0, 4.5, 6.5, 5.5], [4.5, 5.0, 4.0, 6.0, 5.5]),
    ("hand_n3", [1.0, 2.0, 4.0], [1.5, 2.0, 3.0]),
    ("hand_negative_n6", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [6.5, 4.0, 5.0, 2.5, 2.0, 1.0]),
    ("hand_near_perfect_n8", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [1.1, 2.0, 2.9, 4.1, 5.0, 5.9, 7.1, 8.0]),
]
cases = []
for name, x, y in inputs:
    xm, ym = np.mean(x), np.mean(y)
    if sum((a - xm) * (b - ym) for a, b in zip(x, y)) == 0:
        # r = 0 exactly: DescTools divides by r (NaN/Inf); nothing to store
        cases.append({"name": name, "x": list(x), "y": list(y), "desctools_formula": None,
                      "note": "r = 0: the formula divides by r"})
        continue
    exact = desctools_ccc_mp(x, y)
    check = desctools_ccc_np(x, y)
    for a, b in zip(flat(exact), flat(check)):
        assert abs(float(a) - b) <= 1e-12 * max(1.0, abs(b)), (name, float(a), b)
    as_float = lambda v: [float(e) for e in v] if isinstance(v, list) else float(v)
    cases.append({"name": name, "x": list(x), "y": list(y),
                  "desctools_formula": {key: as_float(v) for key, v in exact.items()}})

out = {
    "provenance": {
        "generator": "tests/reference/continuous_ccc.py",
        "formula": "DescTools::CCC (R/StatsAndCIs.r), conf.level = 0.95: sep, set = sep/(1 - p^2), "
                   "ci = 'asymptotic' (p -/+ zv sep) and ci = 'z-transform' (tanh(atanh p -/+ zv set))",
        "why_not_R": "r-cran-desctools has no Debian bookworm candidate; re-implemented from the published code",
        "precision": "mpmath " + mp.__version__ + " at 50 digits; numpy " + np.__version__ + " cross-check to 1e-12",
        "python": sys.version.split()[0],
        "keys": "ccc, se (sep), se_z (set), asymptotic [ll, ul], z_transform [llt, ult]",
    },
    "cases": cases,
}
json.dump(out, open(os.path.join(HERE, "continuous_ccc_reference.json"), "w"), indent=1)
print("wrote", len(cases), "CCC cases")
