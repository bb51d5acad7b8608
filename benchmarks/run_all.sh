#!/usr/bin/env bash
# Run every benchmark of this folder and print their RESULT lines and summaries.
#
# usage: benchmarks/run_all.sh [REPS]        (default 3 repetitions; about 1 minute in all)
# env:   PYTHON   the python with annbook installed (default: python3)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
py=${PYTHON:-python3}
reps=${1:-3}
commit=$(git -C "$here/.." rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$here/.." status --porcelain -- annbook 2>/dev/null | grep -q . && echo "+dirty" || true)
echo "# annbook benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), commit ${commit}${dirty}"
echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $("$py" -c 'import sys, numpy, Cython, sympy; print("python", sys.version.split()[0], "numpy", numpy.__version__, "Cython", Cython.__version__, "sympy", sympy.__version__)')"
echo
echo "## compile_time.py --reps $reps"
"$py" "$here/compile_time.py" --reps "$reps"
echo
echo "## rate_noise.py --reps $reps"
"$py" "$here/rate_noise.py" --reps "$reps"
