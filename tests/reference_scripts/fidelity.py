"""Differential script 5 (dt = 0.1): what users read, for the numbers of issue 12.

The networks are those of ``fidelity_networks.py`` (also used by tests/test_fidelity.py):

1. when conductances (declared, undeclared, zeroed by an equation) are seen by monitors and
   by the user after simulate(); IF_cond_alpha; a pulse-coupled Izhikevich network;
2. weights given as one number: proj.w and dendrite.w are one number, per-synapse
   assignments are refused, the single weight drives rate-coded and spiking transmission;
3. a PoissonPopulation driven by a rate-coded projection, decoded by a DecodingProjection
   connected with connect_with_func and a LILConnectivity;
4. Izhikevich neurons with four conductances, an inhibitory population fed by a projection
   with two targets, homeostatic STDP reading post.r;
5. gap junctions (continuous psp of a spiking synapse);
6. TimedArray: schedule and period, late inputs (update() or attributes after compile),
   update() with a period while running, reset(), truncated steps; TimedPoissonPopulation;
7. a uniform delay on a rate-coded synapse reading a population-wide pre variable (also in
   its equations), after reset() and after proj.delay = ...

No randomness reaches a compared number except the Poisson spikes of 3 (compared through
bounded statistics). Run as ``python fidelity.py <module> <results.json>`` in an empty
directory.
"""

import numpy as np

import fidelity_networks as nets
from _refcommon import ann, rec, guard, finish

ann.setup(dt=0.1)


def counts(monitor):
    return {str(k): len(v) for k, v in monitor.get("spike").items()}


cond = nets.conductances(ann)
alpha = nets.if_cond_alpha(ann)
izh = nets.izhikevich(ann)
single = nets.single_weights(ann)
hybrid = nets.hybrid(ann)
homeo = nets.homeostatic(ann)
gap = nets.gap_junctions(ann)
timed = nets.timed_arrays(ann)
delayed = nets.delayed_global(ann)

ann.compile(compiler_flags="-O0")

# (per-synapse weights read as lists in the reference, arrays in annbook: compared as arrays)
rec("single.before_run", lambda: {"w": single.single.w, "dendrite": single.single.dendrite(0).w,
                                  "forced": np.array(single.forced.w),
                                  "hebb": np.array(single.hebbian.w), "few": single.few.w,
                                  "spiking": single.spiking.w,
                                  "spiking_dendrite": single.spiking.dendrite(1).w})
rec("timed.after_compile", lambda: {name: pop.r for name, pop in timed.arrays.items()})
ann.simulate(0.3)
guard("timed.late_inputs", lambda: nets.timed_late_inputs(timed))
rec("timed.late_r_at_once", lambda: {name: timed.arrays[name].r for name in
                                     ("late_update", "late_attributes", "late_schedule_first")})
ann.simulate(0.4)
guard("timed.changes", lambda: nets.timed_changes(timed))
rec("timed.changed_r_at_once", lambda: {name: timed.arrays[name].r for name in
                                        ("updated", "listed")})

w = single.single
rec("single.set_number", lambda: (setattr(w, "w", 0.3), w.w)[1])
rec("single.set_numpy_number", lambda: (setattr(w, "w", np.float64(0.4)), w.w)[1])
rec("single.set_list", lambda: setattr(w, "w", [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
rec("single.set_array", lambda: setattr(w, "w", np.ones((2, 3))))
rec("single.set_distribution", lambda: setattr(w, "w", ann.Uniform(0.0, 1.0)))
rec("single.set_dendrite_list", lambda: setattr(w.dendrite(0), "w", [7.0, 8.0, 9.0]))
rec("single.set_dendrite_number", lambda: setattr(w.dendrite(0), "w", 2.0))
rec("single.set_synapse", lambda: setattr(w.dendrite(0).synapse(1), "w", 5.0))
rec("single.set_dict", lambda: w.set({"w": 0.45}))
rec("single.after_sets", lambda: {"w": w.w, "dendrite": w.dendrite(1).w})
rec("single.set_forced_list", lambda: (setattr(single.forced, "w", [[1.0, 2.0, 3.0],
                                                                    [0.0, 0.5, 1.0]]),
                                       np.array(single.forced.w))[1])
rec("single.spiking_set", lambda: (setattr(single.spiking, "w", 1.25), single.spiking.w)[1])

ann.simulate(49.3)                      # 50 ms in all

rec("cond.zeroed", lambda: cond.m_zeroed.get("g_exc")[8:14, 0])
g_decaying = cond.m_decaying.get("g_exc")[:, 0]
rec("cond.decaying", lambda: {"peak": float(g_decaying.max()), "at": int(g_decaying.argmax()),
                              "first": g_decaying[99:104], "second": g_decaying[299:304]})
rec("cond.reader", lambda: {"g_exc": cond.m_reader.get("g_exc")[:25],
                            "v": cond.m_reader.get("v")[:25], "spikes": counts(cond.m_reader),
                            "after": cond.reader.g_exc})
rec("cond.alpha.after", lambda: {name: getattr(alpha.pop, name) for name in
                                 ("g_exc", "alpha_exc", "gmax_exc", "gmax_inh", "g_inh",
                                  "alpha_inh", "v")})
rec("cond.alpha.monitor", lambda: {name: alpha.monitor.get(name)[40:140:5] for name in
                                   ("g_exc", "alpha_exc", "gmax_exc", "v")})
rec("cond.alpha.spikes", lambda: counts(alpha.monitor))
rec("cond.izhikevich.after", lambda: {name: getattr(izh.pop, name) for name in
                                      ("g_exc", "g_inh", "v", "I")})
rec("cond.izhikevich.monitor", lambda: {name: izh.monitor.get(name)[::25] for name in
                                        ("g_exc", "I", "v")})
rec("cond.izhikevich.spikes", lambda: counts(izh.spikes))

rec("single.summed", lambda: single.summed.r)
rec("single.spiking_post", lambda: single.m_spiking.get("v")[:40])

spikes = hybrid.m_poisson.get("spike")
rec("hybrid.rates", lambda: hybrid.poisson.rates)
rec("hybrid.monitor", lambda: hybrid.m_poisson.get("rates")[:3, :4])
rec("hybrid.rate_near_100", lambda: bool(abs(sum(len(v) for v in spikes.values()) / 400 / 0.05
                                             - 100.0) < 10.0))
rec("hybrid.decoded_near_100", lambda: bool(abs(hybrid.m_decoded.get("r")[200:].mean()
                                                - 100.0) < 15.0))

rec("homeostatic.inhibitory", lambda: {name: getattr(homeo.inhibitory, name) for name in
                                       ("g_ampa", "g_nmda", "I", "v", "r")})
rec("homeostatic.excitatory", lambda: {name: getattr(homeo.excitatory, name) for name in
                                       ("g_ampa", "g_nmda", "g_gabaa", "I", "v", "r")})
rec("homeostatic.w", lambda: np.array(homeo.competition.w))
rec("homeostatic.monitor", lambda: {"g_ampa": homeo.monitor.get("g_ampa")[::20],
                                    "g_nmda": homeo.monitor.get("g_nmda")[::20],
                                    "spikes": counts(homeo.monitor)})

rec("gap.after", lambda: {"g_gap": gap.pop.g_gap, "std": float(np.std(gap.pop.g_gap)),
                          "v": gap.pop.v})
rec("gap.monitor", lambda: {"g_gap": gap.monitor.get("g_gap")[::20],
                            "v": gap.monitor.get("v")[::20]})

rec("timed.monitors", lambda: {name: m.get("r")[:40, 0] for name, m in timed.monitors.items()})
rec("timed.reader", lambda: timed.m_reader.get("r")[:40, 0])
rec("timed.poisson", lambda: timed.m_poisson.get("spike")[0])
rec("timed.attributes", lambda: {
    "schedule": [timed.arrays[name].schedule for name in
                 ("late_attributes", "late_schedule_first", "updated", "periodic")],
    "period": [timed.arrays[name].period for name in ("updated", "truncated")]})

rec("delayed.x", lambda: np.array(delayed.proj.x))
rec("delayed.sum", lambda: delayed.monitor.get("sum(exc)")[:30, 0])
ann.reset()
ann.simulate(2.0)
rec("delayed.sum_after_reset", lambda: delayed.monitor.get("sum(exc)")[:, 0])
delayed.proj.delay = 0.3
ann.simulate(1.0)
rec("delayed.sum_after_new_delay", lambda: delayed.monitor.get("sum(exc)")[:, 0])
delayed.proj.delay = 1.5
ann.simulate(2.0)
rec("delayed.sum_after_longer_delay", lambda: delayed.monitor.get("sum(exc)")[:, 0])
finish()
