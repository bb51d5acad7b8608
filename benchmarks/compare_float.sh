#!/usr/bin/env bash
# The side-by-side comparison of ../shared/bench/compare.sh (annbook against the reference,
# alternating, ratios in one run) with setup(precision="float") on both sides.
#
# usage: benchmarks/compare_float.sh WORKLOAD [REPS]    (WORKLOAD in coba, izh, rate, stdp)
# env:   SHARED_BENCH  the shared benchmark folder (default: ../shared/bench of the main tree)
#        and those of compare.sh (ANNBOOK_PY, REF_VENV, BENCH_TMP)
# A copy of the shared folder is made in a temporary folder, its workloads' setup() given
# precision="float", and its compare.sh run from there; the shared files stay as they are.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
shared=${SHARED_BENCH:-/work/shared/bench}
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
cp "$shared"/*.py "$shared"/compare.sh "$copy"/
sed -i 's/^setup_kw = dict(dt=DT)$/setup_kw = dict(dt=DT, precision="float")/' "$copy/workloads.py"
grep -q 'precision="float"' "$copy/workloads.py" || { echo "workloads.py changed: cannot set the precision" >&2; exit 1; }
export BENCH_TMP=${BENCH_TMP:-$(python3 -c "import tempfile; print(tempfile.gettempdir())")/annbook-compare-float}
"$copy/compare.sh" "$@"
