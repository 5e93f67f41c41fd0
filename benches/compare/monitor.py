"""Python reference timing for benches/monitor.rs (not run by CI).

Times the plain-Python reference detectors of tests/reference/detectors_cases.py (ruptures,
sudden drops, CUSUM, EWMA, PCOMS; numpy.polyfit for the divergence slope) on the benchmark's
formula inputs. Python gets the cheaper task: each dyad's 20 sessions are analysed ONCE in
batch, where the Rust monitor re-derives everything after every session. Run on a subset of
dyads (DYADS below) and reported per session.

    python3 benches/compare/monitor.py
"""
import ast
import os
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
src = open(os.path.join(ROOT, "tests", "reference", "detectors_cases.py")).read()
tree = ast.parse(src)
# keep imports, constants and the detector functions; skip the case tables and file writes
body = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom, ast.FunctionDef))
        or (isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") in ("T_CRIT", "HERE"))]
ns = {"__file__": os.path.join(ROOT, "tests", "reference", "detectors_cases.py")}
exec(compile(ast.Module(body=body, type_ignores=[]), "detectors_cases", "exec"), ns)

SESSIONS = 20
DYADS = 5_000


def score(d, s):
    level = 30.0 + (d % 9)
    wobble = ((d * 31 + s * 17) % 11) * 0.3 - 1.5
    dip = -9.0 if (d % 7 == 0 and s == 8) else 0.0
    return min(max(level + 0.1 * s + wobble + dip, 0.0), 40.0)


def therapist(d, s):
    return min(max(score(d, s) - 1.0 - (d % 3), 0.0), 40.0)


data = [([score(d, s) for s in range(SESSIONS)], [therapist(d, s) for s in range(SESSIONS)])
        for d in range(DYADS)]
t = np.arange(1, SESSIONS + 1, dtype=float)
start = time.perf_counter()
alerts = 0
for c, th in data:
    alerts += len(ns["ruptures"](c, 2.0))
    alerts += sum(1 for e in ns["sudden"](c, 5.0) if e["size_met"] and e["relative_met"] and e["stability_met"])
    alerts += len(ns["cusum"](c, ["first", 3], 2.0)["alarms"])
    alerts += len(ns["ewma"](c, ["first", 3], 2.0)["alarms"])
    alerts += len(ns["pcoms"](c, 36.0))
    d = np.array(c) - np.array(th)
    np.polyfit(t, d, 1)
    alerts += int(np.sum(np.abs(d) > 4.16))
elapsed = time.perf_counter() - start
n = DYADS * SESSIONS
print(f"python reference batch: {n} sessions in {elapsed:.3f} s = {elapsed / n * 1e9:.0f} ns/session "
      f"({alerts} alerts)")
