#!/usr/bin/env bash
# The CLI's speed comparison (issue 9): on one wide WAI-SR file, in one run, each tool three
# times in turn: `alliance score`, pandas read_csv + numpy scoring (cli_score.py), and the
# csv crate merely parsing the file (cli/examples/csv_parse_only.rs); then `alliance score`
# to /dev/null (the work without the cost of the output file). Run on a quiet machine.
#   bash benches/compare/cli_score.sh FILE [PYTHON]
# Before each timed run the outputs of the run before are deleted and `sync` writes back
# what is dirty, so that no run pays for the write-back of another's output (1.3 GB for 10
# million rows; overwriting it while it was being written back doubled a run's time).
set -euo pipefail
file=$1
python=${2:-python3}
cargo build --release -q -p alliance-cli --bin alliance --example csv_parse_only
bin=target/release/alliance
parse=target/release/examples/csv_parse_only
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
settle() { rm -f "$out"/*.csv; sync; sleep 1; }
for round in 1 2 3; do
  settle
  /usr/bin/time -f "alliance score: %e s (user %U s, system %S s), peak RSS %M KB" "$bin" score "$file" --out "$out/a.csv" --rejects "$out/r.csv" 2>&1 | grep -v "rows read" || true
  settle
  /usr/bin/time -f "pandas: %e s (user %U s, system %S s), peak RSS %M KB" "$python" benches/compare/cli_score.py "$file" "$out/p.csv" 2>&1
  settle
  /usr/bin/time -f "csv parse only: %e s (user %U s, system %S s), peak RSS %M KB" "$parse" "$file" 2>&1 | grep -v records
  settle
  /usr/bin/time -f "alliance score to /dev/null: %e s (user %U s, system %S s), peak RSS %M KB" "$bin" score "$file" --out /dev/null --rejects "$out/r.csv" 2>&1 | grep -v "rows read" || true
done
