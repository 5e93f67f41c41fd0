"""Time the Python references on the workloads of benches/agreement_krippendorff.rs.

Run from the crate root:  python3 benches/compare/agreement_categorical.py [--huge]
Not run by CI. Same formula-built inputs as the Rust bench.

krippendorff 0.9.0 builds a units x V x V array: on one-decimal 0-40 scores (V = 401) it needs
about 1,000,000 x 401 x 401 x 8 bytes (1.3 TB) for 1,000,000 units and 62 GiB already for
100,000 units, so that workload is skipped unless --huge is given (do not, on a 24 GiB box);
it is timed at 1,000 units instead (1.3 GB already).
"""
import sys
import time

import krippendorff
import numpy as np
from statsmodels.stats.inter_rater import cohens_kappa


def coded(units, coders):
    i = np.arange(units)
    truth = (i * 7919) % 7 + 1.0
    cols = []
    for c in range(coders):
        off = ((i * 31 + c * 17) % 5 == 0).astype(float)
        cols.append(np.minimum(truth + off, 7.0))
    return np.vstack(cols)  # coders x units


def continuous(units):
    i = np.arange(units)
    t = ((i * 7919) % 401) / 10.0
    d = (((i * 31) % 11) - 5.0) / 10.0
    u = np.clip(np.round((t + d) * 10.0), 0, 400) / 10.0
    return np.vstack([t, u])


def best_of(f, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = f()
        times.append(time.perf_counter() - t0)
    return min(times), r


def main():
    print("krippendorff", krippendorff.__version__ if hasattr(krippendorff, "__version__") else "0.9.0")
    for name, data, level in [
        ("interval/1000000x2", coded(1_000_000, 2), "interval"),
        ("interval/100000x10", coded(100_000, 10), "interval"),
        ("nominal/1000000x2", coded(1_000_000, 2), "nominal"),
        ("ordinal/1000000x2", coded(1_000_000, 2), "ordinal"),
        ("interval_continuous/1000x2", continuous(1_000), "interval"),
    ]:
        t, a = best_of(lambda: krippendorff.alpha(reliability_data=data, level_of_measurement=level))
        print(f"krippendorff.alpha {name}: {t:.4f} s (alpha {a:.6f})")
    if "--huge" in sys.argv:
        data = continuous(1_000_000)
        t, a = best_of(lambda: krippendorff.alpha(reliability_data=data, level_of_measurement="interval"), 1)
        print(f"krippendorff.alpha interval_continuous/1000000x2: {t:.4f} s (alpha {a:.6f})")
    else:
        print("krippendorff.alpha interval_continuous/1000000x2: skipped (units x 401 x 401 array, > 1 TB)")

    n = 1_000_000
    i = np.arange(n)
    a = (i * 7919) % 5 + 1
    b = np.where(i % 4 == 0, a % 5 + 1, a)

    def sm(weights=None, wt=None):
        table = np.zeros((5, 5))
        np.add.at(table, (a - 1, b - 1), 1)
        return cohens_kappa(table, weights=weights, wt=wt).kappa

    t, k = best_of(sm)
    print(f"statsmodels cohens_kappa unweighted/1000000 (incl. table): {t:.4f} s (kappa {k:.6f})")
    t, k = best_of(lambda: sm(np.arange(1, 6, dtype=float), "quadratic"))
    print(f"statsmodels cohens_kappa quadratic/1000000 (incl. table): {t:.4f} s (kappa {k:.6f})")


if __name__ == "__main__":
    main()
