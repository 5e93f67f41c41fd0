#!/usr/bin/env bash
# The package inside PySpark, local mode: a fresh virtual environment with ./python, pyspark
# (with pyarrow) and pytest, a Java runtime from Debian's packages when none is installed,
# then python/spark/test_apply_in_pandas.py: `groupBy(...).applyInPandas(...)` calling
# alliance in Spark's workers equals the single-process results. Prints how long it took.
#
#   bash python/spark_test.sh      # ALLIANCE_VENV=/tmp/v to keep the environment, or to reuse
#                                  # one where alliance is installed (python/ci.sh's)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-python3}"
start=$SECONDS
step() { printf '\n==> %s (%ss so far)\n' "$*" "$((SECONDS - start))"; }

step "Java runtime (Spark needs 17 or later)"
if ! command -v java >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends default-jre-headless
fi
java -version 2>&1 | head -1

venv="${ALLIANCE_VENV:-}"
if [ -z "$venv" ]; then
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  venv="$scratch/venv"
fi
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import alliance" 2>/dev/null; then
  # the environment python/ci.sh just built (.ci/run passes it on): no second build
  step "the virtual environment in $venv, with alliance; pip install pyspark pyarrow pytest"
  "$venv/bin/python" -m pip install --quiet "pyspark>=3.5" "pyarrow>=14" "pytest>=7"
else
  step "fresh virtual environment in $venv, pip install ./python pyspark pyarrow pytest"
  "$python" -m venv --clear "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet "$here" "pyspark>=3.5" "pyarrow>=14" "pytest>=7"
fi

step "pytest python/spark (local[2])"
# From python/spark: Spark's Python workers put their working directory on sys.path, and
# python/ holds the package's source folder, which must not shadow the installed package.
cd "$here/spark"
export PYSPARK_PYTHON="$venv/bin/python" PYSPARK_DRIVER_PYTHON="$venv/bin/python"
"$venv/bin/pytest" -p no:cacheprovider test_apply_in_pandas.py "$@"
printf '\npython/spark_test.sh: done in %ss\n' "$((SECONDS - start))"
