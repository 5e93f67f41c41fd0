"""Time the Python references on the workloads of benches/agreement.rs (not run by CI).

    python3 benches/compare/agreement_continuous.py [--cronbach-only]

Inputs are built by the same formula as `likert()` in benches/agreement.rs:
    x[i, j] = min(1 + i % 5 + j % 2 + ((i * 7919) ^ (j * 104729)) % 3, 7)
pingouin 0.6.1: intraclass_corr (long format, as it requires) and cronbach_alpha (wide).
Each workload is timed `repeat` times (best reported); the ICC ones once by default because a
single pingouin call takes tens of seconds. Building the DataFrame is outside the timing.
"""
import sys
import time
import numpy as np
import pandas as pd
import pingouin as pg


def likert(n, k):
    i = np.arange(n)[:, None]
    j = np.arange(k)[None, :]
    return np.minimum(1 + i % 5 + j % 2 + ((i * 7919) ^ (j * 104729)) % 3, 7).astype(float)


def best(f, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return min(times), out


def main():
    print(f"pingouin {pg.__version__}")
    icc_workloads = [] if "--cronbach-only" in sys.argv[1:] else [(100_000, 2, 1), (10_000, 10, 1)]
    for n, k, repeat in icc_workloads:
        x = likert(n, k)
        long = pd.DataFrame({
            "target": np.repeat(np.arange(n), k),
            "rater": np.tile(np.arange(k), n),
            "rating": x.ravel(),
        })
        t, res = best(lambda: pg.intraclass_corr(long, "target", "rater", "rating"), repeat)
        print(f"icc {n}x{k}: {t:.3f} s  (ICC(A,1) = {res['ICC'][1]:.12f})")
    x = likert(1_000_000, 12)
    wide = pd.DataFrame(x)
    t, res = best(lambda: pg.cronbach_alpha(wide), 5)
    print(f"cronbach_alpha 1000000x12: {t * 1e3:.1f} ms  (alpha = {res[0]:.12f})")


if __name__ == "__main__":
    main()
