"""The scripts of ``examples/`` run and print what their models are known to do.

Each example runs in its own subprocess with ``ANNBOOK_EXAMPLE_QUICK=1`` (shorter
simulations), in a temporary working directory (figures, if matplotlib is there, land in
it) and with the session's build cache. The examples selected for this session start at
once, two at a time; each test then waits for its own and checks the numbers it printed.
"""

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SPIKING = ["coba", "cuba", "izhikevich", "stdp", "stp", "hodgkin_huxley", "adex"]
TIMEOUT = 300     # seconds for one example (a cold build included)


def _run(name, directory, environment):
    return subprocess.run([sys.executable, str(EXAMPLES / f"{name}.py")], cwd=directory,
                          env=environment, capture_output=True, text=True, timeout=TIMEOUT)


@pytest.fixture(scope="module")
def runs(request, cache_directory, tmp_path_factory):
    """{example: future of its CompletedProcess}, for the examples this session tests."""
    wanted = [name for name in SPIKING
              if any(item.name == f"test_{name}" and item.module is request.module
                     for item in request.session.items)]
    environment = dict(os.environ, ANNBOOK_CACHE_DIR=cache_directory,
                       ANNBOOK_EXAMPLE_QUICK="1")
    pool = ThreadPoolExecutor(max_workers=2)
    futures = {name: pool.submit(_run, name, tmp_path_factory.mktemp(name), environment)
               for name in wanted}
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)


def output(runs, name):
    """What the example printed; fails with its stderr if it did not end normally."""
    done = runs[name].result()
    assert done.returncode == 0, f"examples/{name}.py failed:\n{done.stderr[-3000:]}"
    return done.stdout


def numbers(text):
    return [float(x) for x in re.findall(r"-?\d+\.?\d*", text)]


def line(text, start):
    """The first printed line that starts (after spaces) with ``start``."""
    found = [row for row in text.splitlines() if row.strip().startswith(start)]
    assert found, f"no line starting with {start!r} in:\n{text}"
    return found[0]


def rate_and_cv(text, population):
    match = re.search(population + r": mean firing rate\s+([\d.]+) Hz, CV of ISI ([\d.]+)", text)
    assert match, text
    return float(match.group(1)), float(match.group(2))


def test_coba(runs):
    text = output(runs, "coba")
    assert re.search(r"200 ms simulated in [\d.]+ s of wall time \([\d.]+ s simulated", text)
    for population in ("excitatory", "inhibitory"):
        rate, cv = rate_and_cv(text, population)
        assert 8.0 < rate < 35.0, text       # self-sustained activity (~17 Hz), neither dead
        assert 0.4 < cv < 2.0, text          # nor regular nor exploding


def test_cuba(runs):
    text = output(runs, "cuba")
    for population in ("excitatory", "inhibitory"):
        rate, cv = rate_and_cv(text, population)
        assert 3.0 < rate < 12.0, text       # ~6 Hz
        assert 0.1 < cv < 1.0, text


def test_izhikevich(runs):
    text = output(runs, "izhikevich")
    exc, inh = numbers(line(text, "mean firing rate"))
    assert 4.0 < exc < 15.0 and 4.0 < inh < 20.0, text
    peak = numbers(line(text, "population rhythm"))[0]
    assert 5.0 <= peak <= 100.0, text
    picture = re.search(r"\|(.{50})\|", text).group(1)
    assert len(set(picture)) > 3, text       # the activity varies: bursts and pauses


def test_stdp(runs):
    text = output(runs, "stdp")
    first, last = numbers(line(text, "20 s of learning"))[1:]
    assert first > 20.0 and last < 0.8 * first, text   # learning lowers the output rate
    rows = [numbers(row) for row in text.splitlines() if re.match(r"\s+0\.\d - ", row)]
    before = np.array([row[2] for row in rows])
    after = np.array([row[3] for row in rows])
    assert before.sum() == after.sum() == 1000, text
    # uniform at the start; weights pile up at both bounds
    assert after[0] > before[0] + 20 and after[-1] > before[-1] + 10, text
    assert after[0] > after[1:-1].mean() and after[-1] > after[1:-1].mean(), text


def test_stp(runs):
    text = output(runs, "stp")
    depressing = np.array(numbers(line(text, "depressing:")))
    facilitating = np.array(numbers(line(text, "facilitating:")))
    assert depressing.size == facilitating.size == 9, text
    # the values of the reference (ANNarchy 4.8.2.7) agree to 6 digits
    assert depressing[0] == pytest.approx(0.50, abs=0.005)
    assert facilitating[0] == pytest.approx(0.10, abs=0.005)
    assert np.all(np.diff(depressing[:8]) < 0), text
    assert np.all(np.diff(facilitating[:8]) > 0), text
    assert depressing[7] < depressing[8] < depressing[0], text     # partial recovery
    assert facilitating[8] > facilitating[0], text                 # facilitation outlasts


def test_hodgkin_huxley(runs):
    text = output(runs, "hodgkin_huxley")
    spikes = numbers(line(text, "spike times").split(":", 1)[1])
    # the reference spikes at the same steps: 21.91, 36.83, 51.48, ...
    assert spikes[:3] == [21.91, 36.83, 51.48], text
    curve = np.array([numbers(row) for row in text.splitlines()
                      if re.match(r"\s+\d+\.\d\s+\d+\s+\d+\.\d$", row)])
    current, count, rate = curve.T
    assert current.size == 10, text
    assert count[current == 2.0] == 0 and count[current == 4.0] == 1, text
    repetitive = current >= 6.5
    assert np.all(rate[repetitive] >= 50.0) and np.all(rate[~repetitive] < 30.0), text
    assert np.all(np.diff(rate[repetitive]) >= 0), text


def test_adex(runs):
    text = output(runs, "adex")
    plain = numbers(line(text, "no adaptation").split(":", 1)[1])
    both = numbers(line(text, "a = 4 nS, b").split(":", 1)[1])
    assert plain[:8] == [11.9] * 8 and plain[-1] == 42, text     # regular firing
    isi = both[:8]
    assert np.all(np.diff(isi) > 0), text                        # intervals lengthen
    assert isi[0] == pytest.approx(13.7) and both[8] == pytest.approx(36.2), text
