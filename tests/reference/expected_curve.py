"""Reference values for the expected-alliance curve (alliance::trend::expected_curve).

At each session number s the curve takes one score per reference dyad with a session in
s-h..=s+h (its score nearest to s, the earlier on a tie), for the first h = 0, 1, ...,
max_half_width whose window holds at least `fewest` dyads, and reports
the median and the (1 - level)/2 and (1 + level)/2 quantiles of Hyndman & Fan (1996),
definition 6, as computed by numpy.quantile(method="weibull"). A session whose widest window
holds fewer dyads has no band (null). The windowing is the crate's documented rule, written
again here; the quantiles are numpy's, checked against scipy.stats.mstats.mquantiles with
alphap = betap = 0 (the same definition, a separate implementation).

Run: python3 expected_curve.py > expected_curve.json
"""
import json
import math
import sys

import numpy as np
import scipy
from scipy.stats import mstats


def fewest(level, min_reference):
    p = (1.0 - level) / 2.0
    need = max(math.ceil(1.0 / p - 1.0 - 1e-9), 1)
    return max(need, min_reference)


def nearest(dyad, s, reach):
    """(distance, score) of the dyad's score nearest to session s, the earlier on a tie."""
    best = None
    for t, x in sorted(dyad):
        d = abs(t - s)
        if d <= reach and (best is None or d < best[0]):
            best = (d, x)
    return best


def curve(dyads, level, min_reference, max_half_width):
    sessions = [s for d in dyads for s, _ in d]
    first, last = min(sessions), max(sessions)
    need = fewest(level, min_reference)
    p_lo, p_hi = (1.0 - level) / 2.0, (1.0 + level) / 2.0
    points = []
    for s in range(first, last + 1):
        near = [nearest(d, s, max_half_width) for d in dyads]
        near = [x for x in near if x is not None]
        h = 0
        while True:
            pooled = [x for d, x in near if d <= h]
            if len(pooled) >= need or h == max_half_width:
                break
            h += 1
        at = sum(1 for d, _ in near if d == 0)
        point = {"session": s, "n": len(pooled), "at_session": at, "half_width": h}
        if len(pooled) >= need:
            a = np.asarray(pooled, dtype=float)
            q = np.quantile(a, [0.5, p_lo, p_hi], method="weibull")
            m = mstats.mquantiles(a, prob=[0.5, p_lo, p_hi], alphap=0.0, betap=0.0)
            assert np.allclose(q, m, rtol=1e-12, atol=1e-12), (s, q, m)
            point.update(expected=float(q[0]), lower=float(q[1]), upper=float(q[2]))
        else:
            point.update(expected=None, lower=None, upper=None)
        points.append(point)
    return points


def growth(rng, dyads, sessions, dropout=0.0, scale=(1.0, 5.0), decimals=2):
    """Log-linear growth with random intercepts and slopes, clipped to the scale."""
    dyads_out = []
    for _ in range(dyads):
        a = rng.normal(3.6, 0.5)
        b = rng.normal(0.25, 0.12)
        n = sessions
        if dropout > 0:
            n = max(1, min(sessions, int(rng.geometric(dropout))))
        obs = []
        for s in range(1, n + 1):
            y = a + b * math.log(s) + rng.normal(0.0, 0.3)
            obs.append([s, round(float(min(max(y, scale[0]), scale[1])), decimals)])
        dyads_out.append(obs)
    return dyads_out


def main():
    rng = np.random.default_rng(20261129)
    cases = []

    def add(name, dyads, level=0.8, min_reference=20, max_half_width=2):
        cases.append({
            "name": name,
            "level": level,
            "min_reference": min_reference,
            "max_half_width": max_half_width,
            "dyads": dyads,
            "points": curve(dyads, level, min_reference, max_half_width),
        })

    def across(sessions, scores_per_session):
        """Dyad i has the i-th score of each session (sessions given as {s: [scores]})."""
        n = max(len(v) for v in scores_per_session)
        return [[[s, float(v[i])] for s, v in zip(sessions, scores_per_session) if i < len(v)]
                for i in range(n)]

    add("one session, 25 dyads", [[[1, float(x)]] for x in rng.integers(20, 41, 25)])
    add("one session, one dyad (refused)", [[[3, 4.5]]])
    add("one dyad, min_reference 1 (fewest 9: refused)", [[[1, 4.5]]], min_reference=1)
    add("one dyad, 12 sessions (refused everywhere)", [[[s, 4.0 + s / 20] for s in range(1, 13)]])
    add("one dyad, level 0.5, min_reference 1 (fewest 3: refused)",
        [[[s, 4.0 + s / 20] for s in range(1, 13)]], level=0.5, min_reference=1)
    add("three dyads, level 0.5, min_reference 1, window 2",
        [[[s, 4.0 + s / 20 + k / 7] for s in range(k + 1, 13, 2)] for k in range(3)],
        level=0.5, min_reference=1)
    add("all equal scores", [[[s, 5.0] for s in range(1, 6)] for _ in range(22)])
    add("gap: sessions 4-6 have no data",
        across([1, 2, 3, 7, 8], [rng.integers(1, 8, 21) for _ in range(5)]))
    add("gap wider than the window (refused inside)",
        across([1, 9], [rng.integers(1, 8, 30) for _ in range(2)]), max_half_width=2)
    add("growth, 200 dyads x 12 sessions", growth(rng, 200, 12))
    add("growth, 25 dyads x 10 sessions, drop-out", growth(rng, 25, 10, dropout=0.15))
    add("growth, 60 dyads x 20 sessions, drop-out, level 0.9",
        growth(rng, 60, 20, dropout=0.1), level=0.9)
    add("growth, 80 dyads, level 0.95 (fewest 39)", growth(rng, 80, 8, dropout=0.2), level=0.95)
    add("growth, 15 dyads, no pooling (max_half_width 0)",
        growth(rng, 15, 6), min_reference=10, max_half_width=0)
    add("growth, 30 dyads, wide window (max_half_width 5)",
        growth(rng, 30, 14, dropout=0.1), max_half_width=5)
    add("ties: whole-point VAS totals", across(range(1, 7), [rng.integers(30, 41, 24) for _ in range(6)]))
    add("negative and zero scores",
        across(range(2, 5), [rng.integers(-20, 21, 23) / 4 for _ in range(3)]))
    add("scores and dyads in reverse session order",
        [list(reversed(d)) for d in across(range(1, 7), [rng.integers(0, 101, 20) for _ in range(6)])])
    add("min_reference 9 at level 0.8, n = 9 and 10",
        across([1, 2], [list(range(9)), list(range(10))]), min_reference=9, max_half_width=0)
    add("session 0 and large session numbers",
        across([0, 1, 2], [rng.integers(0, 41, 20) for _ in range(3)]) + [[[300, 33.0]]])
    add("POMP element scores, level 0.6, alternate sessions",
        [[[s, round(float(rng.uniform(40, 100)), 3)] for s in range(1 + k % 2, 9, 2)] for k in range(36)],
        level=0.6, min_reference=15, max_half_width=1)
    add("sparse dyads: each seen at 2 of 10 sessions",
        [[[int(s), round(float(rng.normal(4, 0.6)), 2)] for s in sorted(rng.choice(range(1, 11), 2, replace=False))]
         for _ in range(70)])
    out = {
        "source": ("numpy.quantile(a, [0.5, (1 - level) / 2, (1 + level) / 2], "
                   "method='weibull') on each session's window (one score per dyad); checked against "
                   "scipy.stats.mstats.mquantiles(a, prob=..., alphap=0, betap=0); windowing as "
                   "documented for alliance::trend::expected_curve"),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "python": sys.version.split()[0],
        "cases": cases,
    }
    # one case per line, so that the file stays small and a diff names the case
    cases_text = ",\n".join(json.dumps(c, separators=(",", ":")) for c in out.pop("cases"))
    head = json.dumps(out, indent=1)[:-2]
    sys.stdout.write(head + ',\n "cases": [\n' + cases_text + "\n ]\n}\n")


if __name__ == "__main__":
    main()
