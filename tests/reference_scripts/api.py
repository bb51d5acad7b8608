"""Differential script 2 (dt = 1.0): monitors, time API, reset, views and coordinates.

Run as ``python api.py <module> <results.json>`` in an empty directory.  Three populations,
one compile.  The sequence of calls is linear: every call goes through rec()/guard() so that
an exception is recorded (and compared) instead of stopping the script.
"""

import numpy as np

from _refcommon import ann, rec, guard, finish

ann.setup(dt=1.0)
step = lambda: ann.get_current_step()

A = ann.Population(6, ann.Neuron(parameters="s = 1.0", equations="dr/dt = s\ng = t : population"),
                   name="A", stop_condition="r > 4.5")
B = ann.Population((3, 4), ann.Neuron(parameters="base = 0.0", equations="dr/dt = base"),
                   name="B", stop_condition="r > 20.0 : all")
C = ann.Population((2, 3, 4), ann.Neuron(equations="r = t"), name="C")
B.base = np.arange(12, dtype=float) + 1.0
A.s = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.5])

# ---- geometry, coordinates, views (no compile needed) ---------------------------------------
for name, pop in [("A", A), ("B", B), ("C", C)]:
    rec("geom.%s" % name, lambda: {"geometry": list(pop.geometry), "size": pop.size,
                                   "dimension": pop.dimension, "ranks": np.asarray(pop.ranks)})
rec("geom.B.wh", lambda: [B.width, B.height])
rec("geom.C.whd", lambda: [C.width, C.height, C.depth])
# (the reference needs a tuple: rank_from_coordinates(4) raises there)
rec("coord.A.rank_from", lambda: A.rank_from_coordinates((4,)))
rec("coord.A.coords", lambda: A.coordinates_from_rank(3))
rec("coord.A.norm", lambda: A.normalized_coordinates_from_rank(3))
rec("coord.B.rank_from", lambda: B.rank_from_coordinates((1, 2)))
rec("coord.B.coords", lambda: [B.coordinates_from_rank(r) for r in range(12)])
rec("coord.B.norm", lambda: [B.normalized_coordinates_from_rank(r) for r in range(12)])
# normalized_coordinates_from_rank(rank, norm=2.0): the reference ignores `norm` for 1-3D
# populations (its Cython fast path has no norm argument) -- reference bug, not compared.
# NB: the reference computes normalized coordinates in float32 (compared with rtol 1e-6).
rec("coord.C.rank_from", lambda: [C.rank_from_coordinates((1, 2, 3)), C.rank_from_coordinates((0, 1, 2))])
rec("coord.C.coords", lambda: [C.coordinates_from_rank(r) for r in (0, 5, 17, 23)])
rec("coord.C.norm", lambda: [C.normalized_coordinates_from_rank(r) for r in (0, 5, 17, 23)])

VIEWS = {
    "A[2:5]": lambda: A[2:5], "A[3]": lambda: A[3], "A[[0,2,4]]": lambda: A[[0, 2, 4]],
    "A[arr(4,0,2)]": lambda: A[np.array([4, 0, 2])], "A[-3:-1]": lambda: A[-3:-1],
    "A[::2]": lambda: A[::2], "A[2:3]+A[0:1]": lambda: A[2:3] + A[0:1],
    "A[0:2]+A[1:3]": lambda: A[0:2] + A[1:3],
    "B[1,:]": lambda: B[1, :], "B[0:2,0:2]": lambda: B[0:2, 0:2], "B[0:2,1]": lambda: B[0:2, 1],
    "B[:,3]": lambda: B[:, 3], "B[1:3]": lambda: B[1:3], "C[1,0:2,1:3]": lambda: C[1, 0:2, 1:3],
}
for key, make in VIEWS.items():
    rec("view.%s.type" % key, lambda: type(make()).__name__)
    rec("view.%s.ranks" % key, lambda: np.asarray(make().ranks))
    rec("view.%s.size" % key, lambda: [make().size, len(make())])
    if "+" not in key:   # the reference's view1 + view2 has geometry None (not compared)
        rec("view.%s.geometry" % key, lambda: list(make().geometry))
rec("view.B[1,2]", lambda: {"type": type(B[1, 2]).__name__, "rank": int(B[1, 2].rank)})
rec("view.A.neuron(2).rank", lambda: int(A.neuron(2).rank))

# ---- connectivity helpers: Matrix Market files, sparse matrices ------------------------------
import scipy.io
from scipy import sparse

dense = np.arange(1.0, 1.0 + 6 * 24).reshape(6, 24)            # post A (6) x pre C (24)
scipy.io.mmwrite("dense.mtx", dense)
coo = sparse.coo_matrix(([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5],
                         ([0, 1, 2, 3, 4, 5, 5], [3, 0, 23, 7, 7, 1, 2])), shape=(6, 24))
scipy.io.mmwrite("sparse.mtx", coo)
MMD = ann.Projection(C, A, "mm_dense")
guard("helpers.connect_dense", lambda: MMD.connect_from_matrix_market("dense.mtx"))
MMS = ann.Projection(C, A, "mm_sparse")
guard("helpers.connect_sparse", lambda: MMS.connect_from_matrix_market("sparse.mtx"))
full = ann.sparse_random_matrix(5, 7, 1.0, 2.0)
rec("helpers.random", lambda: {"shape": list(full.shape), "format": full.format,
                               "nnz": full.nnz, "w": full.toarray(),
                               "empty": ann.sparse_random_matrix(5, 7, 0.0, 1.0).nnz})
rec("helpers.delays", lambda: ann.sparse_delays_from_weights(full, 3.0).toarray())

ann.compile(compiler_flags="-O0")
rec("helpers.mm", lambda: {"dense": MMD.connectivity_matrix(), "sparse": MMS.connectivity_matrix(),
                           "n": [MMD.nb_synapses, MMS.nb_synapses],
                           "post_ranks": [MMD.post_ranks, MMS.post_ranks]})

# ---- monitors ------------------------------------------------------------------------------
m1 = ann.Monitor(A, "r")
m2 = ann.Monitor(A, "r", period=2.0)
m3 = ann.Monitor(A, "r", period=2.0, period_offset=1)
m4 = ann.Monitor(B[0:2, 1:3], "r")
m5 = ann.Monitor(A, "r", start=False)
m6 = ann.Monitor(A[1:4], ["r"])
mg = ann.Monitor(A, ["g", "r"])
mb = ann.Monitor(B, "r")
rec("mon.period", lambda: [m1.period, m2.period, m3.period])
rec("mon.period_offset", lambda: [m2.period_offset, m3.period_offset])
rec("mon.variables", lambda: [m1.variables, mg.variables])
rec("mon.times_before", lambda: m1.times())
rec("mon.get_before", lambda: m1.get("r", keep=True))

ann.simulate(5)
rec("mon.m1.keep1", lambda: m1.get("r", keep=True))
rec("mon.m1.keep2", lambda: m1.get("r", keep=True))
rec("mon.m1.times_keep", lambda: m1.times())
rec("mon.m1.get", lambda: m1.get("r"))
rec("mon.m1.get_empty", lambda: m1.get("r"))
rec("mon.m1.getdict_empty", lambda: m1.get())
rec("mon.m1.times_after", lambda: m1.times())
rec("mon.m2.period2", lambda: m2.get("r"))
rec("mon.m3.period2_offset1", lambda: m3.get("r"))
rec("mon.m4.view2d_flat", lambda: m4.get("r", keep=True))
rec("mon.m4.view2d_reshape", lambda: m4.get("r", reshape=True))
rec("mon.m6.view1d", lambda: m6.get("r"))
rec("mon.mg.dict", lambda: mg.get())
rec("mon.mb.reshape", lambda: mb.get("r", reshape=True, keep=True))
rec("mon.mb.force_dict", lambda: mb.get("r", force_dict=True))
rec("mon.m5.not_started", lambda: m5.get("r"))

# start / pause / resume and times()
guard("mon.m5.start", m5.start)
ann.simulate(2)
guard("mon.m5.pause", m5.pause)
ann.simulate(3)
guard("mon.m5.resume", m5.resume)
ann.simulate(1)
rec("mon.m5.step", step)
rec("mon.m5.rows", lambda: m5.get("r"))
rec("mon.m5.times", lambda: m5.times())
ann.simulate(2)
guard("mon.m5.pause2", m5.pause)
ann.simulate(1)
guard("mon.m5.start2", m5.start)
ann.simulate(1)
rec("mon.m5.rows2", lambda: m5.get("r"))
rec("mon.m5.times2", lambda: m5.times())
rec("mon.m1.times_live", lambda: m1.times())

# monitor created in the middle of a run, with period / period_offset
rec("mon.step_before_m7", step)
m7 = ann.Monitor(A, "r", period=3.0)
m8 = ann.Monitor(A, "g", period=3.0, period_offset=2)
ann.simulate(9)
rec("mon.m7.mid_run", lambda: m7.get("r"))
rec("mon.m8.mid_run_offset", lambda: m8.get("g"))
guard("mon.m1.reset", m1.reset)
ann.simulate(1)
rec("mon.m1.after_reset", lambda: m1.get("r"))
rec("mon.m1.times_after_reset", lambda: m1.times())

# ---- time API ------------------------------------------------------------------------------
rec("time.before_10_5", lambda: [ann.get_current_step(), ann.get_time()])
ann.simulate(10.5)
rec("time.after_10_5", lambda: [ann.get_current_step(), ann.get_time()])
ann.simulate(0.2)
rec("time.after_0_2", lambda: [ann.get_current_step(), ann.get_time()])
ann.simulate(0)
rec("time.after_0", lambda: [ann.get_current_step(), ann.get_time()])
guard("time.step", ann.step)
rec("time.after_step", lambda: [ann.get_current_step(), ann.get_time()])
guard("time.set_time_100", lambda: ann.set_time(100.0))
rec("time.after_set_time", lambda: [ann.get_current_step(), ann.get_time()])
ann.simulate(1)
rec("time.g_after_set_time", lambda: A.g)
guard("time.set_time_3_7", lambda: ann.set_time(3.7))
rec("time.after_set_time_3_7", lambda: [ann.get_current_step(), ann.get_time()])
guard("time.set_current_step", lambda: ann.set_current_step(50))
rec("time.after_set_current_step", lambda: [ann.get_current_step(), ann.get_time()])
ann.simulate(1)
rec("time.g_after_set_current_step", lambda: A.g)
rec("time.dt", lambda: ann.dt())

# ---- simulate_until (dt = 1: steps/dt == steps*dt, so the return-value bug does not show) ---
A.r = 0.0
s0 = step()
rec("until.A", lambda: ann.simulate_until(100.0, A))
rec("until.A.steps", lambda: step() - s0)
rec("until.A.r", lambda: A.r)
s0 = step()
rec("until.A.already_true", lambda: ann.simulate_until(100.0, A))
rec("until.A.already_true.steps", lambda: step() - s0)
A.r = 0.0
B.r = 0.0
s0 = step()
rec("until.AB.or", lambda: ann.simulate_until(50.0, [A, B], operator="or"))
rec("until.AB.or.steps", lambda: step() - s0)
A.r = 0.0
B.r = 0.0
s0 = step()
rec("until.AB.and", lambda: ann.simulate_until(50.0, [A, B], operator="and"))
rec("until.AB.and.steps", lambda: step() - s0)
rec("until.AB.and.r", lambda: [A.r, B.r])
B.r = 0.0
s0 = step()
rec("until.max_duration", lambda: ann.simulate_until(7.0, B))
rec("until.max_duration.steps", lambda: step() - s0)

# ---- views: read / write --------------------------------------------------------------------
rec("viewrw.A[1:4].r", lambda: A[1:4].r)
rec("viewrw.B[0:2,1].r", lambda: B[0:2, 1].r)
rec("viewrw.B[1,:].get", lambda: B[1, :].get("r"))
guard("viewrw.write_array", lambda: setattr(A[2:4], "r", np.array([5.0, 6.0])))
guard("viewrw.write_scalar", lambda: setattr(B[0:2, 0:2], "r", 7.0))
guard("viewrw.write_list", lambda: setattr(A[[0, 5]], "s", [2.0, 3.0]))
rec("viewrw.A.after", lambda: [A.r, A.s])
rec("viewrw.B.after", lambda: B.r)
guard("viewrw.neuron_write", lambda: setattr(B.neuron(2, 3), "r", 42.0))
rec("viewrw.neuron_read", lambda: [B.neuron(2, 3).r, B.neuron(11).r, B.r[2, 3]])

# ---- disable + reset -----------------------------------------------------------------------
guard("reset.disable_B", B.disable)
ann.simulate(2)
rec("reset.before", lambda: [ann.get_current_step(), A.r, B.r, C.r])
guard("reset.global", ann.reset)
rec("reset.after", lambda: {"step": ann.get_current_step(), "time": ann.get_time(), "A.r": A.r,
                             "A.s": A.s, "B.r": B.r, "C.r": C.r, "B.enabled": B.enabled,
                             "m1": m1.get("r"), "mb": mb.get("r"), "m1.times": m1.times()})
ann.simulate(2)
rec("reset.sim_after", lambda: {"m1": m1.get("r"), "mb": mb.get("r", reshape=True), "g": A.g,
                                 "C.r": C.r})
guard("reset.enable_B", B.enable)
ann.simulate(1)
guard("reset.pop_A", A.reset)
rec("reset.pop_A_after", lambda: [A.r, A.s, B.r])

finish()
