#!/usr/bin/env bash
# The Python package's CI: from a clean clone, a fresh virtual environment, `pip install
# ./python[test]` (maturin is fetched by pip as the build backend; the extras bring pytest,
# hypothesis, numpy, pandas, scipy and the reference packages pingouin, krippendorff and
# pymannkendall), the crate's oracle for the property tests, then pytest. Prints how long
# each step took. Needs python3 (3.9+) with venv and pip, cargo, and the package registries.
#
#   bash python/ci.sh                      # from anywhere in the clone
#   PYTHON=python3.12 bash python/ci.sh    # another interpreter
#   ALLIANCE_VENV=/tmp/v bash python/ci.sh # keep the environment (default: a temporary one)
#
# Honours CARGO_TARGET_DIR (for the wheel and the oracle); extra arguments go to pytest.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
python="${PYTHON:-python3}"
start=$SECONDS
step() { printf '\n==> %s (%ss so far)\n' "$*" "$((SECONDS - start))"; }

venv="${ALLIANCE_VENV:-}"
if [ -z "$venv" ]; then
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  venv="$scratch/venv"
fi

step "fresh virtual environment ($("$python" --version 2>&1)) in $venv"
"$python" -m venv --clear "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip

step "pip install ./python[test] (builds the extension with maturin, release)"
t=$SECONDS
"$venv/bin/python" -m pip install --quiet "$here[test]"
echo "installed in $((SECONDS - t))s: $("$venv/bin/python" -c 'import alliance; print("alliance", alliance.__version__, "from", alliance.__file__)')"

step "the crate's oracle for the property tests (python/examples/oracle.rs)"
t=$SECONDS
target="${CARGO_TARGET_DIR:-$repo/target}"
(cd "$repo" && cargo build --quiet --release -p alliance-python --example oracle)
export ALLIANCE_ORACLE="$target/release/examples/oracle"
echo "built in $((SECONDS - t))s: $ALLIANCE_ORACLE"

step "pytest"
t=$SECONDS
# Run from the tests folder's parent with the installed package (not the source folder):
# the venv's pytest does not put the working directory on sys.path.
cd "$here"
export HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-ci}"
"$venv/bin/pytest" -p no:cacheprovider "$@"
echo "pytest took $((SECONDS - t))s"

printf '\npython/ci.sh: done in %ss\n' "$((SECONDS - start))"
