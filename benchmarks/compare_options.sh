#!/usr/bin/env bash
# The side-by-side comparison of ../shared/bench/compare.sh (annbook against the reference,
# alternating, ratios in one run) with setup() options given to both sides.
#
# usage: [PRECISION=float] [THREADS=N] benchmarks/compare_options.sh WORKLOAD [REPS]
#        WORKLOAD in coba, izh, rate, stdp; PRECISION: setup(precision=...), THREADS:
#        setup(num_threads=N) (the workloads' own --threads, which compare.sh does not pass)
# env:   SHARED_BENCH  the shared benchmark folder (default /work/shared/bench), and those
#        of compare.sh (ANNBOOK_PY, REF_VENV, BENCH_TMP)
# A copy of the shared folder is made in a temporary folder and its workloads.py given the
# options; its compare.sh runs from there. The shared files stay as they are.
set -eu
shared=${SHARED_BENCH:-/work/shared/bench}
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
cp "$shared"/*.py "$shared"/compare.sh "$copy"/
patch() {   # patch FROM TO: one line of workloads.py, exactly
  grep -qxF "$1" "$copy/workloads.py" || { echo "workloads.py changed: no line '$1'" >&2; exit 1; }
  sed -i "s|^$(printf '%s' "$1" | sed 's/[][\.*^$|]/\\&/g')\$|$2|" "$copy/workloads.py"
}
if [ -n "${PRECISION:-}" ]; then
  patch 'setup_kw = dict(dt=DT)' "setup_kw = dict(dt=DT, precision=\"$PRECISION\")"
fi
if [ -n "${THREADS:-}" ]; then
  patch 'ap.add_argument("--threads", type=int, default=0, help="0 = default (single thread)")' \
        "ap.add_argument(\"--threads\", type=int, default=$THREADS)"
fi
tag="${PRECISION:-double}-${THREADS:-1}"
export BENCH_TMP=${BENCH_TMP:-$(python3 -c "import tempfile; print(tempfile.gettempdir())")/annbook-compare}-$tag
"$copy/compare.sh" "$@"
