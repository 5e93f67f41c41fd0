"""Time the Python references for the trend statistics on the inputs of benches/trend.rs.

pymannkendall 1.4.3 (original_test + sens_slope) and scipy 1.12 (kendalltau + theilslopes)
on long series of 1,000 and 10,000 points, and on the batch of 100,000 series of 20 sessions
(timed on the first 10,000 series and scaled by 10, as said in the output).
Run: python3 benches/compare/trend.py   (not run by CI)
"""
import time

import numpy as np
import pymannkendall as mk
from scipy import stats


def long_series(n):
    i = np.arange(n, dtype=float)
    return 4.0 + i / n + 0.5 * np.sin(12.9898 * i)


def batch(count, sessions):
    k = np.arange(count)[:, None]
    j = np.arange(sessions)[None, :]
    return ((31 * k + 17 * j + (k * j) % 7) % 13) * 0.25 + 0.01 * j


def best_of(f, repeats):
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t0)
    return best


def pymk(y):
    mk.original_test(y)
    mk.sens_slope(y)


def scipy_pair(y):
    t = np.arange(1, len(y) + 1, dtype=float)
    stats.kendalltau(t, y)
    stats.theilslopes(y, t, 0.95)


def main():
    for n, reps in [(1000, 5), (10000, 2)]:
        y = long_series(n)
        print(f"n={n}: pymannkendall original_test+sens_slope {best_of(lambda: pymk(y), reps) * 1e3:.2f} ms")
        print(f"n={n}: scipy kendalltau+theilslopes {best_of(lambda: scipy_pair(y), reps) * 1e3:.2f} ms")
    ys = batch(100_000, 20)[:10_000]
    t = best_of(lambda: [pymk(y) for y in ys], 1)
    print(f"batch: pymannkendall 10,000 series {t:.2f} s -> x10 = {t * 10:.1f} s for 100,000")
    t = best_of(lambda: [scipy_pair(y) for y in ys], 1)
    print(f"batch: scipy 10,000 series {t:.2f} s -> x10 = {t * 10:.1f} s for 100,000")


if __name__ == "__main__":
    main()
