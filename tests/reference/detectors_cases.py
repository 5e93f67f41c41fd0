"""Reference values for the change detectors (ruptures, sudden drops, CUSUM, EWMA, PCOMS,
divergence), computed straight from the published criteria with plain Python loops (an
implementation independent of the Rust code: no shared code, no running moments, exact
decimal arithmetic for the PCOMS drop rule) and numpy.polyfit for the divergence slope.

Regenerate:  python3 tests/reference/detectors_cases.py   (Python 3.11, numpy)
Each JSON file carries its source and, per case, the hand computation in `explanation`.
"""
import json
import math
import os
from decimal import Decimal

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def mean(xs):
    return math.fsum(xs) / len(xs)


def sd(xs):
    m = mean(xs)
    return math.sqrt(math.fsum((x - m) ** 2 for x in xs) / (len(xs) - 1))


def dump(name, source, cases):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump({"source": source, "generator": "tests/reference/detectors_cases.py",
                   "cases": cases}, f, indent=1)
        f.write("\n")


# ---- ruptures (crate rule, instruments.md 2.4; Stiles 2004, Strauss 2006, Gumz 2012) ------
def ruptures(x, ref_sd, lenient=1.0, strict=2.0, window=3, fraction=0.5, min_history=3,
             reference="preceding"):
    out = []
    for t in range(len(x)):
        prior = x[:t] if reference == "preceding" else x[:t] + x[t + 1:]
        if len(prior) < min_history:
            continue
        m, s = mean(prior), sd(prior)
        su = max(s, ref_sd)
        z = (x[t] - m) / su
        if z > -lenient:
            continue
        thr = m - fraction * su
        repair = {"status": "pending"}
        for u in range(t + 1, min(len(x), t + window + 1)):
            if x[u] >= thr:
                repair = {"status": "repaired", "index": u}
                break
        else:
            if len(x) - 1 >= t + window:
                repair = {"status": "unrepaired"}
        out.append({"index": t, "z": z, "baseline_mean": m, "baseline_sd": s, "sd_used": su,
                    "depth": m - x[t], "level": "strict" if z <= -strict else "lenient",
                    "repair_threshold": thr, "repair": repair})
    return out


rupture_cases = []
for name, x, params, expl in [
    ("v_shape_strict_repaired", [30, 31, 30, 31, 24, 29, 31], dict(ref_sd=1.0),
     "Session 4: earlier 30,31,30,31 -> m = 30.5, s = sqrt(4 x 0.25 / 3) = 0.5774, floored to "
     "1.0; z = (24 - 30.5)/1 = -6.5 <= -2: strict. Repair threshold 30.5 - 0.5 = 30.0; session 5 "
     "(29) is below, session 6 (31) reaches it: repaired at 6. Session 5: m = 29.2, "
     "s = sqrt(34.8/4) = 2.950, z = -0.068: none."),
    ("lenient_unrepaired_then_repaired", [5, 5, 5, 5, 4.2, 4.3, 4.4, 4.5, 5], dict(ref_sd=0.5),
     "Session 4: m = 5, s = 0 (flat), floored to 0.5; z = -0.8/0.5 = -1.6: lenient. Threshold "
     "5 - 0.25 = 4.75; 4.3, 4.4, 4.5 stay below: unrepaired when session 7 arrives. Session 5: "
     "m = 24.2/5 = 4.84, s = sqrt(0.512/4) = 0.3578 -> 0.5; z = (4.3 - 4.84)/0.5 = -1.08: lenient; "
     "threshold 4.59; 4.4, 4.5 below, session 8 (5) repairs it."),
    ("flat_series_no_alarm", [4, 4, 4, 4, 4, 4, 4], dict(ref_sd=0.1),
     "s = 0 everywhere, floored to 0.1; z = 0: nothing."),
    ("rupture_at_last_session_pending", [6, 7, 6, 7, 6, 3], dict(ref_sd=0.5),
     "Session 5: m = 6.4, s = sqrt(1.2/4) = 0.5477; z = (3 - 6.4)/0.5477 = -6.21: strict; "
     "no later session yet: pending."),
    ("custom_thresholds_min_history_2", [3.5, 4.0, 3.0, 4.5, 2.5, 4.0, 3.9, 4.2],
     dict(ref_sd=0.2, lenient=1.5, strict=2.5, window=2, fraction=0.0, min_history=2),
     "min history 2, thresholds 1.5/2.5 SD, repair window 2 to the mean itself (fraction 0). "
     "Session 2: m = 3.75, s = 0.3536; z = -2.12: lenient. Session 4: m = 3.75, s = 0.6455; "
     "z = -1.94: lenient; threshold 3.75, session 5 (4.0) repairs it. Session 2 threshold 3.75: "
     "session 3 (4.5) repairs it."),
    ("all_others_v_shape", [30, 31, 30, 31, 24, 29, 31], dict(ref_sd=1.0, reference="all_others"),
     "Leave-one-out over the whole course. Session 4: others 30,31,30,31,29,31 -> m = 30.333, "
     "s = sqrt(3.333/5) = 0.8165 -> 1.0; z = -6.33: strict; threshold 29.833; 29 below, 31 "
     "repairs at 6. Session 5: others m = 29.5, s = sqrt(37.5/5) = 2.739; z = -0.18: none."),
    ("all_others_late_drop_counts_future", [5, 5, 3, 5, 5, 5, 5], dict(ref_sd=0.5, reference="all_others"),
     "Session 2 (3) with min history 3: under Preceding it would have only 2 earlier sessions and "
     "not be assessed; leave-one-out has 6 others, all 5: m = 5, s = 0 -> 0.5; z = -4: strict; "
     "session 3 (5 >= 4.75) repairs it."),
    ("all_others_flat", [4, 4, 4, 4], dict(ref_sd=0.1, reference="all_others"),
     "Flat: nothing."),
]:
    rupture_cases.append({"name": name, "values": x, "params": params,
                          "expected": ruptures(x, **params), "explanation": expl})
dump("detectors_ruptures.json",
     "Rupture rule of instruments.md 2.4 (z against the mean and SD of the EARLIER sessions, "
     "SD floored by a reference SD; 1 SD Strauss et al. 2006, 2 SD Stiles et al. 2004, both per "
     "Gumz et al. 2012; repair within w sessions to m - 0.5 s*). Hand-worked; values by plain loops.",
     rupture_cases)

# ---- sudden drops (Tang & DeRubeis 1999; Lutz et al. 2013; suddengains identify_sg) -------
T_CRIT = {(3, 3): 2.776, (2, 3): 3.182, (3, 2): 3.182, (2, 2): 4.303}


def sudden(x, cutoff, scale_min=0.0, fraction=0.25, end="wait"):
    need_after = 3 if end == "wait" else 2
    out = []
    for n in range(1, len(x)):
        if n + need_after >= len(x):
            continue
        pre = x[max(0, n - 2):n + 1]
        post = x[n + 1:min(len(x), n + 4)]
        tc = T_CRIT[(len(pre), len(post))]
        ss = math.fsum((v - mean(pre)) ** 2 for v in pre) + math.fsum((v - mean(post)) ** 2 for v in post)
        pooled = math.sqrt(ss / (len(pre) + len(post) - 2))
        drop = Decimal(str(x[n])) - Decimal(str(x[n + 1]))
        rel = fraction * (x[n] - scale_min)
        out.append({"before": n, "drop": float(drop), "size_met": drop >= Decimal(str(cutoff)),
                    "relative_threshold": rel, "relative_met": float(drop) >= rel,
                    "mean_before": mean(pre), "mean_after": mean(post),
                    "sessions_before": len(pre), "sessions_after": len(post),
                    "pooled_sd": pooled, "critical_value": tc,
                    "stability_met": mean(pre) - mean(post) > tc * pooled})
    return out


sudden_cases = []
for name, x, params, expl in [
    ("suddengains_check_interval_example", [32, 31, 33, 5, 6, 7], dict(cutoff=7),
     "The check_interval example of suddengains (pre 32,31,33; post 5,6,7; cutoff 7): drop "
     "33 - 5 = 28 >= 7; 28 >= 0.25 x 33 = 8.25; means 32 and 6, SDs 1 and 1, pooled "
     "sqrt((2 + 2)/4) = 1; 26 > 2.776: a drop (suddengains: a gain). Interval 1->2 also tested "
     "(pre 32,31; post 33,5,6): drop -2 fails."),
    ("start_window_two_sessions", [20, 20, 12, 12, 13, 12], dict(cutoff=5),
     "Interval 1->2: pre 20,20 (2 values: t = 3.182), post 12,12,13; pooled "
     "sqrt((0 + 0.6667)/3) = 0.4714; 20 - 12.333 = 7.667 > 1.5: stable; 8 >= 5, 8 >= 5: drop. "
     "Interval 2->3: pre 20,20,12; post 12,13,12: drop 0."),
    ("end_window_truncate", [30, 30, 31, 30, 22, 22], dict(cutoff=4, end="truncate"),
     "Truncate (suddengains): interval 3->4 tested with post 22,22 (3+2: t = 3.182): "
     "pooled sqrt((0.6667 + 0)/3) = 0.4714; 30.333 - 22 = 8.333 > 1.5: drop. Under Wait it is not tested."),
    ("end_window_wait", [30, 30, 31, 30, 22, 22], dict(cutoff=4),
     "Wait: interval 3->4 needs 3 sessions after it and is not tested; intervals 1->2 and 2->3 are (no drop)."),
    ("two_plus_two", [30, 30, 20, 21], dict(cutoff=5, end="truncate"),
     "Interval 1->2: pre 30,30, post 20,21 (2+2: t = 4.303); pooled sqrt(0.5/2) = 0.5; "
     "30 - 20.5 = 9.5 > 2.15; 10 >= 5, 10 >= 7.5: drop."),
    ("unstable_zigzag", [30, 20, 35, 25, 20, 30, 25], dict(cutoff=5),
     "Interval 2->3 (35 -> 25): size and relative size met, but pre 30,20,35 and post 25,20,30 give "
     "a pooled SD of 6.455 and a mean difference of 3.33 < 2.776 x 6.455: not stable. No drop."),
    ("relative_size_above_scale_min", [6, 6, 6, 4.6, 4.7, 4.6], dict(cutoff=1, scale_min=1),
     "1-7 scale: drop 1.4 >= 0.25 x (6 - 1) = 1.25: met (measured from 0 it would need 1.5)."),
    ("relative_size_from_zero", [6, 6, 6, 4.6, 4.7, 4.6], dict(cutoff=1, scale_min=0),
     "Same data, relative size from 0 (suddengains): 1.4 < 1.5: no drop."),
]:
    sudden_cases.append({"name": name, "values": x, "params": params,
                         "expected": sudden(x, **params), "explanation": expl})
dump("detectors_sudden.json",
     "Tang & DeRubeis (1999) criteria turned to a fall in a higher-is-better score; critical values "
     "2.776/3.182/4.303 (Lutz et al. 2013) as hard-coded in suddengains::identify_sg; windows at the "
     "start and end as identify_sg (pre max(1, n-2)..n; post n+1..min(N, n+3)). Hand-worked; "
     "differences by exact decimal arithmetic.",
     sudden_cases)

# ---- CUSUM (Page 1954) and EWMA (Roberts 1959) ------------------------------------------
def baseline(x, spec, floor):
    if spec[0] == "first":
        b = spec[1]
        if len(x) < b:
            return None, b
        m, s = mean(x[:b]), sd(x[:b])
        return (m, s, max(s, floor)), b
    return (spec[1], spec[2], max(spec[2], floor)), 0


def cusum(x, spec, floor, k=0.5, h=4.0):
    base, start = baseline(x, spec, floor)
    alarms, c = [], 0.0
    if base is None:
        return {"alarms": [], "final": 0.0, "baseline": None}
    m, s, sig = base
    for t in range(start, len(x)):
        c = max(0.0, c + (m - k * sig) - x[t])
        if c > h * sig:
            alarms.append({"index": t, "statistic": c, "limit": h * sig})
            c = 0.0
    return {"alarms": alarms, "final": c, "baseline": [m, s, sig]}


def ewma(x, spec, floor, lam=0.2, L=2.7):
    base, start = baseline(x, spec, floor)
    if base is None:
        return {"alarms": [], "final": None, "baseline": None}
    m, s, sig = base
    z, alarms = m, []
    for i, t in enumerate(range(start, len(x)), start=1):
        z = lam * x[t] + (1 - lam) * z
        lcl = m - L * sig * math.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * i)))
        if z < lcl:
            alarms.append({"index": t, "step": i, "ewma": z, "lower_limit": lcl})
    return {"alarms": alarms, "final": z if len(x) > start else None, "baseline": [m, s, sig]}


cusum_cases, ewma_cases = [], []
for name, x, spec, floor, kw, expl in [
    ("first3_slide", [30, 31, 29, 28, 27, 26], ["first", 3], 0.5, {},
     "mu0 = 30, s = 1 (floor 0.5 not binding), mu0 - k sigma = 29.5; C = 1.5, 1.5 + 2.5 = 4.0 "
     "(not > 4), 4.0 + 3.5 = 7.5 > 4: alarm at session 5, reset."),
    ("flat_baseline_floor_and_reset", [5, 5, 5, 4, 4, 4, 4, 4], ["first", 3], 0.3, {},
     "Flat baseline: s = 0, sigma = floor 0.3; mu0 - k sigma = 4.85, h sigma = 1.2. "
     "C = 0.85, 1.70 > 1.2 alarm (session 4), reset; 0.85, 1.70 alarm (session 6); 0.85."),
    ("given_norm_k1_h2", [32, 30, 29, 31, 27, 26, 33], ["given", 31.0, 2.0], 1.0, {"k": 1.0, "h": 2.0},
     "Given mu0 = 31, sigma = 2: reference 29, limit 4. C = 0, 0, 0, 0, 2, 5 > 4 alarm at "
     "session 5, reset; then max(0, 29 - 33) = 0."),
    ("too_short_for_baseline", [30, 29], ["first", 3], 1.0, {},
     "Two sessions, a 3-session baseline: still collecting, nothing charted."),
]:
    cusum_cases.append({"name": name, "values": x, "baseline": spec, "sd_floor": floor,
                        "params": kw, "expected": cusum(x, spec, floor, **kw), "explanation": expl})
for name, x, spec, floor, kw, expl in [
    ("given_mu30_sd2", [30, 25, 25], ["given", 30.0, 2.0], 1.0, {},
     "z = 30, 29, 28.2; LCL_t = 30 - 5.4 sqrt(0.2/1.8 (1 - 0.8^(2t))) = 28.92, 28.617, 28.454; "
     "only z_3 = 28.2 < 28.454: alarm at session 2."),
    ("first3_run_of_alarms", [30, 31, 29, 27, 26, 26, 30, 31], ["first", 3], 0.5, {},
     "mu0 = 30, sigma = 1: z = 29.4, 28.72, 28.176, 28.541, 29.033; LCL = 29.46, 29.308, 29.227, "
     "29.179, 29.150: alarms at sessions 3 to 7 (no reset; z_5 = 29.03 is still below 29.15)."),
    ("lambda_one_is_shewhart", [10, 10, 10, 7, 9.5], ["first", 3], 1.0, {"lam": 1.0, "L": 2.0},
     "lambda = 1: z_t = x_t, LCL = mu0 - L sigma = 10 - 2 = 8: alarm at session 3 only."),
]:
    ewma_cases.append({"name": name, "values": x, "baseline": spec, "sd_floor": floor,
                       "params": kw, "expected": ewma(x, spec, floor, **kw), "explanation": expl})
dump("detectors_cusum.json",
     "Lower one-sided tabular CUSUM, Page (1954) in the form of Montgomery (Introduction to "
     "Statistical Quality Control): C_t = max(0, C_{t-1} + (mu0 - k sigma) - x_t), alarm C_t > h sigma, "
     "reset to 0. Baseline sessions not charted. Hand-worked; values by plain loops.", cusum_cases)
dump("detectors_ewma.json",
     "EWMA chart, Roberts (1959), exact limits (Montgomery): z_0 = mu0, z_t = lambda x_t + "
     "(1 - lambda) z_{t-1}, LCL_t = mu0 - L sigma sqrt(lambda/(2 - lambda) (1 - (1 - lambda)^(2t))). "
     "Hand-worked; values by plain loops.", ewma_cases)

# ---- PCOMS (OpenFIT rules) --------------------------------------------------------------
def pcoms(x, cutoff, drop=1.0):
    out = []
    for t, v in enumerate(x):
        if Decimal(str(v)) < Decimal(str(cutoff)):
            out.append({"kind": "below_cutoff", "index": t})
        if t > 0 and Decimal(str(x[t - 1])) - Decimal(str(v)) >= Decimal(str(drop)):
            out.append({"kind": "drop_from_previous", "index": t})
    return out


pcoms_cases = []
for name, x, params, expl in [
    ("srs_tenths", [38, 37.5, 36.9, 35.9, 36, 34.9, 38], dict(cutoff=36),
     "Below 36: 35.9 (session 3) and 34.9 (session 5); 36 itself is not below. Drops of at least "
     "1 point: 36.9 -> 35.9 (exactly 1 in decimal; 0.99999999999999645 in binary) and 36 -> 34.9."),
    ("drop_two_points", [40, 39, 37, 35.5, 36, 33.9], dict(cutoff=30, drop=2),
     "Cutoff 30 never crossed; drops >= 2: 39 -> 37 (exactly 2), 36 -> 33.9; 37 -> 35.5 is 1.5."),
]:
    pcoms_cases.append({"name": name, "values": x, "params": params,
                        "expected": pcoms(x, **params), "explanation": expl})
dump("detectors_pcoms.json",
     "PCOMS session rules as documented by OpenFIT (support.openfit.care, article 204000069702): SRS "
     "below the cutoff (36 of 40; Duncan et al. 2003), or at least 1 point below the previous session. "
     "Hand-worked; exact decimal arithmetic.", pcoms_cases)

# ---- divergence (numpy.polyfit for the running slope) -----------------------------------
div_cases = []
for name, t, c, th, bound, expl in [
    ("growing_gap", [1, 2, 3, 4], [4.0, 4.2, 4.5, 4.8], [3.9, 3.8, 3.8, 3.7], 0.6,
     "D = 0.1, 0.4, 0.7, 1.1; slope over all four = 1.65/5 = 0.33; |D| > 0.6 at sessions 2 and 3."),
    ("gaps_in_time", [1, 2, 5, 6, 10], [30, 28, 33, 35, 31], [29, 30, 28, 30, 32], 4.0,
     "Uneven times; D = 1, -2, 5, 5, -1; exceeds at sessions 2 and 3 (5 > 4)."),
]:
    pts = []
    for i in range(len(t)):
        d = [c[j] - th[j] for j in range(i + 1)]
        slope = None if i == 0 else float(np.polyfit(np.array(t[:i + 1], float), np.array(d), 1)[0])
        pts.append({"difference": d[-1], "mean_difference": mean(d), "slope": slope,
                    "exceeds": abs(d[-1]) > bound})
    div_cases.append({"name": name, "times": t, "client": c, "therapist": th, "bound": bound,
                      "expected": pts, "explanation": expl})
dump("detectors_divergence.json",
     "Running D = C - T, its mean, the OLS slope of D on time by numpy %s polyfit(t, D, 1), "
     "flag |D| > bound (instruments.md Part 3)." % np.__version__, div_cases)
