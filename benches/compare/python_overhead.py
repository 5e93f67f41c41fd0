"""What the Python binding costs: the crate's workloads through `alliance` (Python) against
the same in Rust (criterion), and against the Python references on the same inputs.

Workloads, built by the formulas of the Rust benches:
- ICC, all six forms, 100,000 targets x 2 raters, from a row-major buffer (`benches/agreement.rs`,
  `agreement/icc_from_cells/100000x2`: the matrix built and checked, then the six forms);
- Krippendorff's interval alpha, 1,000,000 units x 2 coders
  (`benches/agreement_krippendorff.rs`, `agreement/krippendorff/interval/1000000x2`);
- Mann-Kendall + Sen's slope on 100,000 series of 20 sessions (`benches/trend.rs`,
  `trend/batch_mk_sen/100000x20` on one core and `100000x20_all_cores`).

The Rust times are read from criterion's estimates under `target/criterion/` (run
`cargo bench --bench agreement -- agreement/icc_from_cells/100000x2`,
`cargo bench --bench agreement_krippendorff -- interval/1000000x2` and
`cargo bench --bench trend -- batch_mk_sen` first; a missing one is reported as such). The
references (pingouin, krippendorff, pymannkendall) run on a part of the workload and are
scaled, as the output says, unless `--full`.

    pip install ./python pingouin krippendorff pymannkendall
    python3 benches/compare/python_overhead.py [--full] [--repeat 5]

Not run by CI. Quote its numbers only from a quiet machine (nothing else building).
"""

from __future__ import annotations

import argparse
import json
import os
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import alliance

ROOT = Path(__file__).resolve().parents[2]


def likert(targets, raters):
    """benches/agreement.rs `likert`: 1-7, a target effect, a rater offset, formula noise."""
    c = np.arange(targets * raters, dtype=np.int64)
    i, j = c // raters, c % raters
    noise = ((i * 7919) ^ (j * 104_729)) % 3
    return np.minimum(1 + (i % 5) + (j % 2) + noise, 7).astype(float).reshape(targets, raters)


def coded(units, coders):
    """benches/agreement_krippendorff.rs `coded`, units x coders."""
    i = np.arange(units)
    truth = (i * 7919) % 7 + 1.0
    return np.stack([np.minimum(truth + ((i * 31 + c * 17) % 5 == 0), 7.0) for c in range(coders)], axis=1)


def batch(count, sessions):
    """benches/trend.rs `batch`: series k, session j."""
    k = np.arange(count)[:, None]
    j = np.arange(sessions)[None, :]
    return ((31 * k + 17 * j + (k * j) % 7) % 13) * 0.25 + 0.01 * j


def best_of(f, repeat):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t0)
    return best


def criterion(group, name):
    """criterion's mean estimate in seconds, or None when the bench has not been run."""
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    path = target / "criterion" / group / name / "new" / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["mean"]["point_estimate"] / 1e9


def fmt(seconds):
    if seconds is None:
        return "not run"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def ratio(a, b):
    return "-" if a is None or b is None else f"{a / b:.1f}x"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="run the references on the whole workload")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    rows = []

    # ---- ICC 100,000 x 2 ----
    m = likert(100_000, 2)
    py_raw = best_of(lambda: alliance.icc_table(m), args.repeat)
    py_frame = best_of(lambda: alliance.icc_wide(m), args.repeat)
    long = pd.DataFrame({"t": np.repeat(np.arange(len(m)), 2), "r": np.tile([0, 1], len(m)), "x": m.ravel()})
    py_long = best_of(lambda: alliance.icc(long, "t", "r", "x"), args.repeat)
    # the same call in Rust: the matrix built and checked from a row-major buffer, then the six
    # forms (`agreement/icc_from_cells`); `agreement/icc` alone starts from a built matrix
    rust = criterion("agreement_icc_from_cells", "100000x2")
    try:
        import pingouin as pg

        part = len(m) if args.full else 10_000
        sub = long[long.t < part]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = best_of(lambda: pg.intraclass_corr(sub, "t", "r", "x"), 1) * (len(m) / part)
        ref_note = "pingouin" + ("" if args.full else f" (on {part:,} targets, x{len(m) // part})")
    except ImportError:
        ref, ref_note = None, "pingouin not installed"
    rows += [
        ("ICC 100,000 x 2: icc_table(ndarray)", py_raw, rust, ref, ref_note),
        ("ICC 100,000 x 2: icc_wide -> DataFrame", py_frame, rust, ref, ref_note),
        ("ICC 100,000 x 2: icc(long DataFrame)", py_long, rust, ref, ref_note),
    ]

    # ---- Krippendorff interval 1,000,000 x 2 ----
    k = coded(1_000_000, 2)
    py = best_of(lambda: alliance.krippendorff_alpha(k, "interval", orientation="units_by_coders"), args.repeat)
    rust = criterion("agreement_krippendorff", "interval_1000000x2")
    try:
        import krippendorff

        coders = np.ascontiguousarray(k.T)
        ref = best_of(lambda: krippendorff.alpha(reliability_data=coders, level_of_measurement="interval"), 1)
        ref_note = "krippendorff"
    except ImportError:
        ref, ref_note = None, "krippendorff not installed"
    rows.append(("Krippendorff interval 1,000,000 x 2", py, rust, ref, ref_note))

    # ---- Mann-Kendall + Sen, 100,000 series of 20 ----
    b = batch(100_000, 20)
    py_one = best_of(lambda: alliance.mann_kendall_sen_batch(b, threads=1), args.repeat)
    py_all = best_of(lambda: alliance.mann_kendall_sen_batch(b), args.repeat)
    part = len(b) if args.full else 10_000

    def per_call():
        for y in b[:part]:
            alliance.mann_kendall(y)
            alliance.sen_slope(y)

    py_loop = best_of(per_call, 1) * (len(b) / part)
    rust_one = criterion("trend_batch_mk_sen", "100000x20")
    rust_all = criterion("trend_batch_mk_sen", "100000x20_all_cores")
    try:
        import pymannkendall as mk

        def pymk():
            for y in b[:part]:
                mk.original_test(y)
                mk.sens_slope(y)

        ref = best_of(pymk, 1) * (len(b) / part)
        ref_note = "pymannkendall" + ("" if args.full else f" (on {part:,} series, x{len(b) // part})")
    except ImportError:
        ref, ref_note = None, "pymannkendall not installed"
    rows += [
        ("MK + Sen 100,000 x 20: batch, 1 thread", py_one, rust_one, ref, ref_note),
        ("MK + Sen 100,000 x 20: batch, all cores", py_all, rust_all, ref, ref_note),
        (f"MK + Sen 100,000 x 20: a Python loop of calls{'' if args.full else ' (scaled)'}", py_loop, rust_one, ref, ref_note),
    ]

    print(f"{'workload':<52} {'Python':>10} {'Rust':>10} {'overhead':>9} {'reference':>10} {'ref/Python':>10}  reference")
    for name, py, rust, ref, note in rows:
        print(f"{name:<52} {fmt(py):>10} {fmt(rust):>10} {ratio(py, rust):>9} {fmt(ref):>10} {ratio(ref, py):>10}  {note}")
    print(f"\n{os.cpu_count()} cores; Python times are the best of {args.repeat}; Rust: criterion means.")


if __name__ == "__main__":
    main()
