"""Ctrl-C / kernel interrupt stops simulate() between two steps."""

import _thread
import threading
import time

import numpy as np
import pytest

import annbook as ann


def test_interrupt_stops_quickly_with_consistent_state():
    model = ann.Neuron(parameters="tau = 10.0", equations="tau * dr/dt + r = 1.0\ncount += 1")
    pop = ann.Population(1000, model)
    m = ann.Monitor(pop, "count", period=10.0)
    ann.compile()
    fired = []
    timer = threading.Timer(0.3, lambda: (fired.append(time.perf_counter()), _thread.interrupt_main()))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        ann.simulate(1e9)
    latency = time.perf_counter() - fired[0]
    assert latency < 0.1
    steps = ann.get_current_step()
    assert 0 < steps < 1e9
    assert np.all(pop.count == steps)                    # every neuron did every step
    recorded = m.get("count")
    assert len(recorded) == (steps + 9) // 10            # monitors kept what was recorded
    ann.simulate(5.0)                                    # and the network goes on
    assert ann.get_current_step() == steps + 5 and np.all(pop.count == steps + 5)
