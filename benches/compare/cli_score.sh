#!/usr/bin/env bash
# The CLI's speed comparison (issue 9): on one wide WAI-SR file, in one run, each tool three
# times in turn: `alliance score`, pandas read_csv + numpy scoring (cli_score.py), and the
# csv crate merely parsing the file (cli/examples/csv_parse_only.rs). Run on a quiet machine.
#   bash benches/compare/cli_score.sh FILE [PYTHON]
set -euo pipefail
file=$1
python=${2:-python3}
cargo build --release -q -p alliance-cli --bin alliance --example csv_parse_only
bin=target/release/alliance
parse=target/release/examples/csv_parse_only
out=$(mktemp -d)
for round in 1 2 3; do
  /usr/bin/time -f "alliance score: %e s, peak RSS %M KB" "$bin" score "$file" --out "$out/a.csv" --rejects "$out/r.csv" 2>&1 | grep -v "rows read" || true
  /usr/bin/time -f "pandas: %e s, peak RSS %M KB" "$python" benches/compare/cli_score.py "$file" "$out/p.csv" 2>&1
  /usr/bin/time -f "csv parse only: %e s, peak RSS %M KB" "$parse" "$file" 2>&1
done
