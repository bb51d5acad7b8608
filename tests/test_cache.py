"""The build cache: hits, misses, other processes, concurrent builds."""

import os
import subprocess
import sys
import textwrap

import annbook as ann

MODEL = ann.Neuron(parameters="tau = 10.0", equations="tau * dr/dt + r = 1.0")


def compile_network(size, tau):
    ann.clear()
    pop = ann.Population(size, MODEL)
    pop.tau = tau
    ann.compile()
    from annbook.core.network import global_network
    return global_network().last_compile


def test_values_and_sizes_are_not_part_of_the_key():
    first = compile_network(10, 5.0)
    second = compile_network(500, 20.0)
    assert first["key"] == second["key"] and not second["built"]


def test_default_values_in_the_model_text_are_not_part_of_the_key():
    first = compile_network(10, 5.0)
    ann.clear()
    edited = ann.Neuron(parameters="tau = 42.0", equations="tau * dr/dt + r = 1.0 : init=3.0")
    pop = ann.Population(10, edited)
    ann.compile()
    from annbook.core.network import global_network
    assert global_network().last_compile["key"] == first["key"]
    assert pop.tau[0] == 42.0 and pop.r[0] == 3.0


def test_equations_are_part_of_the_key():
    first = compile_network(10, 5.0)
    other = ann.Neuron(parameters="tau = 10.0", equations="tau * dr/dt + r = 2.0")
    ann.clear()
    ann.Population(10, other)
    ann.compile()
    from annbook.core.network import global_network
    assert global_network().last_compile["key"] != first["key"]


SCRIPT = textwrap.dedent("""
    import sys, annbook as ann
    from annbook.core.network import global_network
    n = ann.Neuron(parameters="tau = 10.0", equations="tau * dr/dt + r = 3.5 + t * 0.0")
    pop = ann.Population(int(sys.argv[1]), n)
    ann.compile()
    ann.simulate(50.0)
    print(global_network().last_compile["built"], round(float(pop.r[0]), 6))
""")


def run_script(cache_dir, size):
    env = dict(os.environ, ANNBOOK_CACHE_DIR=str(cache_dir))
    return subprocess.Popen([sys.executable, "-c", SCRIPT, str(size)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_another_process_loads_from_disk(tmp_path):
    out, err = run_script(tmp_path, 5).communicate()
    assert out.split()[0] == "True", err
    out, err = run_script(tmp_path, 50).communicate()
    assert out.split()[0] == "False", err


def test_two_processes_building_the_same_key_both_succeed(tmp_path):
    processes = [run_script(tmp_path, 5), run_script(tmp_path, 7)]
    results = [p.communicate() for p in processes]
    assert all(p.returncode == 0 for p in processes), results
    built = sorted(out.split()[0] for out, _ in results)
    assert built == ["False", "True"]                   # one built, the other waited and loaded
    assert len({out.split()[1] for out, _ in results}) == 1
    leftovers = [f for f in os.listdir(tmp_path) if not f.endswith((".so", ".pyx", ".lock"))]
    assert leftovers == []


def test_native_binaries_are_keyed_by_the_cpu(monkeypatch):
    """-march=native means another instruction set on another CPU: another key there."""
    from annbook.build import cache
    here = cache.build_key("structure")
    portable = cache.build_key("structure", portable=True)
    monkeypatch.setattr(cache, "_native", "  -march=  some-other-cpu")
    assert cache.build_key("structure") != here
    assert cache.build_key("structure", portable=True) == portable     # runs on any CPU
    monkeypatch.setattr(cache, "_native", None)
    assert cache.build_key("structure") == here and "-march=" in cache._native_target()
