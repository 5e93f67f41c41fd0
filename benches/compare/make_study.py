"""A wide WAI-SR study for the CLI's speed comparison (issue 9): ROWS responses (default 10
million) of 12 answers 1-5, in dyads of 12 sessions, about 2% of answers missing (so some rows
are prorated and a few have too many missing) and about 0.01% off the scale (rejected rows).
Seeded, so every run writes the same file.

    python3 benches/compare/make_study.py study.csv [ROWS]
"""
import sys

import numpy as np

HEADER = "client,therapist,session,rater,instrument," + ",".join(f"item{i}" for i in range(1, 13))
CHUNK = 500_000


def main(path, rows):
    rng = np.random.default_rng(20261129)
    with open(path, "w", newline="") as out:
        out.write(HEADER + "\n")
        for start in range(0, rows, CHUNK):
            n = min(CHUNK, rows - start)
            index = np.arange(start, start + n)
            dyad = index // 12 + 1
            session = index % 12 + 1
            level = rng.integers(1, 6, size=(n, 1))  # each response leans to one level
            answers = np.clip(level + rng.integers(-1, 2, size=(n, 12)), 1, 5).astype(str)
            answers[rng.random((n, 12)) < 0.02] = ""
            answers[rng.random((n, 12)) < 0.00001] = "7"
            ids = np.char.add(np.char.add("C", dyad.astype(str)), np.char.add(",T", (dyad % 50 + 1).astype(str)))
            lines = np.char.add(ids, np.char.add(",", session.astype(str)))
            lines = np.char.add(lines, ",client,WAI-SR")
            for j in range(12):
                lines = np.char.add(np.char.add(lines, ","), answers[:, j])
            out.write("\n".join(lines.tolist()) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10_000_000)
