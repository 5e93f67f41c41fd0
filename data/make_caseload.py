"""Generate data/caseload.csv, the crate's bundled sample caseload (synthetic, no real patients).

Three client-therapist dyads, 8-12 sessions each. Each session has the client's VAS-4 session
scale (0-10 per item, one decimal), the client's WAI-SR (1-5), and client and therapist HAq-II
(1-6, items 4 8 11 16 19 negatively worded). A few answers are missing. Deterministic: run
`python3 data/make_caseload.py` to regenerate the same file.
"""
import csv, datetime, random

rng = random.Random(20261125)
HAQ_REVERSED = {4, 8, 11, 16, 19}

# (client, therapist, first session date, latent alliance per session on 0-1, therapist offset)
DYADS = [
    ("C01", "T01", datetime.date(2026, 1, 7),
     [0.55, 0.60, 0.63, 0.66, 0.70, 0.72, 0.75, 0.77, 0.80, 0.82], -0.05),
    # a rupture at session 6, repaired by session 8
    ("C02", "T02", datetime.date(2026, 1, 12),
     [0.70, 0.74, 0.76, 0.78, 0.79, 0.42, 0.60, 0.78, 0.80, 0.82, 0.83, 0.85], 0.02),
    # a slow decline; the therapist rates the alliance higher than the client
    ("C03", "T01", datetime.date(2026, 2, 2),
     [0.80, 0.78, 0.74, 0.70, 0.66, 0.62, 0.58, 0.55], 0.15),
]


def likert(level, lo, hi, reverse=False):
    x = level + rng.gauss(0, 0.08)
    x = min(max(x, 0.0), 1.0)
    if reverse:
        x = 1.0 - x
    return round(lo + x * (hi - lo))


def vas(level):
    x = min(max(level + 0.25 + rng.gauss(0, 0.03), 0.0), 1.0)
    return round(10 * x, 1)


rows = []
for client, therapist, start, levels, offset in DYADS:
    for i, level in enumerate(levels):
        session = i + 1
        date = start + datetime.timedelta(days=7 * i + (3 if session == 5 else 0))
        forms = [
            ("client", "VAS-4", [vas(level) for _ in range(4)]),
            ("client", "WAI-SR", [likert(level, 1, 5) for _ in range(12)]),
            ("client", "HAq-II", [likert(level, 1, 6, n in HAQ_REVERSED) for n in range(1, 20)]),
            ("therapist", "HAq-II",
             [likert(min(level + offset, 1.0), 1, 6, n in HAQ_REVERSED) for n in range(1, 20)]),
        ]
        for rater, instrument, answers in forms:
            answers = [str(a) for a in answers]
            # a little missing data: one WAI-SR item twice, one HAq-II item once
            if (client, session, instrument, rater) in {("C01", 3, "WAI-SR", "client"),
                                                        ("C03", 6, "WAI-SR", "client")}:
                answers[6] = ""
            if (client, session, instrument, rater) == ("C02", 9, "HAq-II", "therapist"):
                answers[12] = ""
            rows.append([client, therapist, session, date.isoformat(), rater, instrument,
                         ";".join(answers)])

with open("data/caseload.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["client", "therapist", "session", "date", "rater", "instrument", "answers"])
    w.writerows(rows)
print(f"wrote {len(rows)} responses")
