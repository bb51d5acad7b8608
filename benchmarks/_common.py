"""Helpers shared by the benchmark scripts of this folder.

The RESULT line format is the one of ../shared/bench/benchcommon.py
(``RESULT key=value ...``, floats with 4 decimals, ``load1`` appended), so the
same grep/parsing works on both.

Every measurement runs in a fresh child process (``run_child``): the child
prints one ``CHILD {json}`` line that the parent collects, so the parent can
take medians over repetitions and report the wall time of the whole process.
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import time

now = time.perf_counter


def cpu_s():
    """CPU time (user + system) of this process, all threads, ns resolution.

    (os.times() counts in clock ticks of 10 ms: too coarse for short runs.)
    """
    return time.process_time()


def all_cpu_s():
    """CPU time of this process and of its waited-for children (the C compiler).

    Resolution: one clock tick (10 ms), enough for compile times.
    """
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def peak_rss_mb():
    """Peak resident set size of this process, in MB (ru_maxrss is in kB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def result(**kw):
    """Print one machine-readable line: RESULT key=value ... (as benchcommon.result)."""
    kw.setdefault("load1", os.getloadavg()[0])
    parts = []
    for key, value in kw.items():
        if isinstance(value, float):
            value = "%.4f" % value
        parts.append("%s=%s" % (key, value))
    print("RESULT " + " ".join(parts), flush=True)


def child_report(**kw):
    """In a child process: hand a dict of measurements to the parent."""
    print("CHILD " + json.dumps(kw), flush=True)


def run_child(script, args, env=None, timeout=300):
    """Run ``python script args`` in a fresh process.

    Returns (report dict, wall seconds of the whole process as seen from here,
    i.e. interpreter start-up, imports, work and exit).
    """
    full_env = dict(os.environ)
    full_env.update(env or {})
    started = now()
    proc = subprocess.run([sys.executable, script] + list(args), env=full_env,
                          capture_output=True, text=True, timeout=timeout)
    wall = now() - started
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise RuntimeError(f"child {script} {' '.join(args)} failed (exit {proc.returncode})")
    reports = [json.loads(line[6:]) for line in proc.stdout.splitlines()
               if line.startswith("CHILD ")]
    if len(reports) != 1:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise RuntimeError(f"child {script} {' '.join(args)} printed {len(reports)} reports")
    return reports[0], wall


def median(values):
    return float(statistics.median(values))
