"""The pandas side of the CLI's speed comparison (issue 9): read a wide WAI-SR CSV with
pandas.read_csv, score it with vectorised numpy under the same rules as `alliance score`
(item mean; prorated over the answered items; at most 3 missing, at most 1 per subscale;
answers must be 1-5), and write the scores. Run beside `alliance score` on the same file by
`benches/compare/cli_score.sh`.

    python3 benches/compare/cli_score.py study.csv scores.csv
"""
import sys
import time

import numpy as np
import pandas as pd

SUBSCALES = {"Task": [1, 2, 10, 12], "Bond": [3, 5, 7, 9], "Goal": [4, 6, 8, 11]}


def main(src, dst):
    t0 = time.perf_counter()
    df = pd.read_csv(src)
    items = df[[f"item{i}" for i in range(1, 13)]].to_numpy(dtype=np.float64)
    answered = ~np.isnan(items)
    on_scale = np.where(answered, (items >= 1) & (items <= 5) & (items == np.round(items)), True)
    valid = on_scale.all(axis=1) & ((~answered).sum(axis=1) <= 3)
    out = pd.DataFrame({c: df[c] for c in ["client", "therapist", "session", "rater", "instrument"]})
    for name, members in SUBSCALES.items():
        cols = [m - 1 for m in members]
        valid &= (~answered[:, cols]).sum(axis=1) <= 1
        out["subscale:" + name] = np.nanmean(items[:, cols], axis=1)
    total = np.nanmean(items, axis=1)
    out["total"] = total
    out["pomp"] = 100 * (total - 1) / 4
    out["answered"] = answered.sum(axis=1)
    out["prorated"] = answered.sum(axis=1) < 12
    out = out[valid]
    out.to_csv(dst, index=False)
    print(f"pandas {pd.__version__}: {len(out)} scored of {len(df)} in {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
