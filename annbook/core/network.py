"""The network: the objects that are simulated together, their clock and their binary.

The module-level functions of annbook act on the global network (id 0).
"""

import contextlib
import ctypes
import logging
import math
import os
import signal
import threading
import time
import uuid
import warnings

import numpy as np

from ..config import cache_directory, config
from ..errors import ArgumentError, NetworkError
from .arguments import integer, number
from .constant import constant_values
from . import dense, structural
from .block_shares import BlockShares
from .callbacks import Callbacks
from .monitor import RECORDER_FIELDS
from .observers import ChunkPacer, updates_for_run

__all__ = ["Network", "global_network", "all_networks", "network_by_id", "network_of",
           "clear_networks", "forget_network"]

logger = logging.getLogger(__name__)

_capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_capsule_pointer.restype = ctypes.c_void_p
_capsule_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
POLL_SECONDS = 0.01
# Threads share the blocks of each population unevenly when one core runs slower (annbook_rt.h,
# ab_rebalance): 8 blocks a thread cut the work in steps of 1/16 on two threads.
BLOCKS_PER_THREAD = 8
MONITOR_BUFFER_BYTES = 16 * 2 ** 20
STOP_REQUESTED = 1        # clock[1] set by stop(): the loop ends after the current step
BUFFER_FULL = 3           # clock[1] when the loop stopped to let Python empty spike buffers
STRUCTURAL_STOP = 4       # ... when it stopped in a step to create and prune synapses
STRUCTURAL_RESUME = 5     # given to the loop: finish that step (codegen/structural.py)


class Network:
    """Objects simulated together, with their own state, time, seed and monitors.

    The module-level constructors build the global network (id 0). A new
    ``Network()`` is empty: ``add()`` puts copies of global objects in it, and
    ``get()`` returns them. ``Network(everything=True)`` copies everything.
    Networks of the same structure share one compiled binary. A network pickles
    with its state; unpickled in another process it loads its binary from the
    cache instead of compiling.
    """

    def __init__(self, everything=False):
        self.populations = []
        self.projections = []
        self.monitors = []
        self.extensions = []            # objects made of the above (BOLD monitors)
        self._dt = config["dt"]
        self.compiled = False
        self.cleared = False
        self._module = None
        self._clock = np.zeros(2, dtype=np.int64)      # [current step, stop flag]
        self._running = threading.RLock()               # held by the thread that runs it
        self._constants = None
        self._addresses = None
        self._static = []               # projections whose weights are copied in pre order
        self._structural_plasticity = False     # compiled with setup(structural_plasticity=True)
        self._threads = 1               # setup(num_threads=...) at compile: > 1 builds with OpenMP
        self._thread_cap = None         # at most this many at run time (parallel_run workers)
        self._shares = None             # threaded runs: how the threads share the blocks
        self._tuning = np.zeros(4)      # threaded runs: 1 or all threads (run_threads.pyx)
        self._mid_step = False          # stopped inside a step for structural plasticity
        self._rebind_needed = False     # synapses changed: addresses to collect before a run
        self._seed = config["seed"]
        self._callbacks = Callbacks()   # @every(net_id=self.id); copies start without any
        self._population_ids = 0
        self._projection_ids = 0
        self._copies = {}               # uid of the original object -> this network's copy
        self._origins = []              # networks whose objects were added (copied) here
        self._connectivity_seed = None
        self.last_compile = None
        self.id = len(_networks)
        _networks.append(self)
        if everything:
            source = global_network()
            self.add(source.populations + source.projections + source.monitors)
            self.add(source.extensions)

    def __repr__(self):
        counts = ", ".join(f"{len(items)} {word}{'s' * (len(items) != 1)}" for word, items in
                           (("population", self.populations), ("projection", self.projections),
                            ("monitor", self.monitors)))
        state = f"compiled, t = {self.get_time():g} ms" if self.compiled else "not compiled"
        return f"Network {self.id}: {counts}; {state}"

    # ------------------------------------------------------------ copies
    def add(self, objects):
        """Add copies of global populations, projections or monitors (one or a list)."""
        from .copies import copy_into
        for obj in objects if isinstance(objects, (list, tuple)) else [objects]:
            if self.compiled:
                raise NetworkError(f"Network {self.id}: cannot add '{getattr(obj, 'name', obj)}'"
                                   " after compile()")
            uid = getattr(obj, "_uid", None)
            if uid in self._copies:
                raise NetworkError(f"Network {self.id}: '{getattr(obj, 'name', obj)}' was "
                                   "already added")
            self._copies[uid] = copy_into(obj, self)
            source = getattr(obj, "_network", None)
            if source is not None and all(known is not source for known in self._origins):
                self._origins.append(source)

    def save(self, filename, populations=True, projections=True):
        """Save the state of this network (see annbook.save)."""
        from .io import save
        save(filename, populations, projections, net_id=self.id)

    def load(self, filename, populations=True, projections=True, pickle_encoding=None):
        """Load a state written by save() into this network."""
        from .io import load
        load(filename, populations, projections, pickle_encoding, net_id=self.id)

    def connectivity_seed(self):
        """Seed of the connectors re-applied in this network (None: fresh entropy).

        With ``setup(seed=...)`` each network draws reproducibly but differently.
        ``_connectivity_seed``, when set, is used instead: parallel_run gives each
        copy one derived from its own seed, whatever process makes the copy.
        """
        if self._connectivity_seed is not None:
            return self._connectivity_seed
        if self._seed is None:
            return None
        return np.random.SeedSequence([int(self._seed), self.id]).generate_state(1)[0]

    def get(self, obj):
        """This network's copy of a population, projection, monitor, view or dendrite.

        Also takes a list. Objects are matched by an identity that survives
        copies and pickling: the global ``pop`` finds its copy also in a network
        unpickled in another process.
        """
        from .dendrite import Dendrite
        from .views import IndividualNeuron, PopulationView
        if isinstance(obj, (list, tuple)):
            return [self.get(item) for item in obj]
        if getattr(obj, "_network", None) is self or obj in self.extensions:
            return obj
        uid = getattr(obj, "_uid", None)
        if uid is not None:
            if uid in self._copies:
                return self._copies[uid]
            for own in self.populations + self.projections + self.monitors:
                if own._uid == uid:                     # the same object, unpickled apart
                    return own
        if isinstance(obj, (PopulationView, IndividualNeuron, Dendrite)):
            from .copies import mapped
            return mapped(obj, self)
        raise NetworkError(f"Network {self.id}: '{getattr(obj, 'name', obj)}' was never added "
                           "to this network; call add() first")

    def get_populations(self):
        """All populations of the network."""
        return list(self.populations)

    # ------------------------------------------------------------ membership
    def next_population_id(self):
        self._population_ids += 1
        return self._population_ids - 1

    def add_population(self, population):
        if self.compiled:
            raise NetworkError(f"Population '{population.name}' created after compile(): "
                               "the compiled network cannot grow; create all populations before "
                               "compile(), or call clear() and build the network again")
        if any(p.name == population.name for p in self.populations):
            raise NetworkError(f"a population called '{population.name}' already exists; "
                               "choose another name")
        population.__dict__.setdefault("_uid", uuid.uuid4().hex)
        self.populations.append(population)

    def remove_population(self, population):
        """Forget a population whose construction failed (before compile)."""
        if population in self.populations and not self.compiled:
            self.populations.remove(population)

    def next_projection_id(self):
        self._projection_ids += 1
        return self._projection_ids - 1

    def add_projection(self, projection):
        if self.compiled:
            raise NetworkError(f"Projection '{projection.name}' created after compile(): "
                               "create all projections before compile()")
        for side in (projection.pre, projection.post):
            if side.population not in self.populations:
                raise NetworkError(f"Projection '{projection.name}': population "
                                   f"'{side.population.name}' is not part of this network")
        if any(p.name == projection.name for p in self.projections):
            raise NetworkError(f"a projection called '{projection.name}' already exists; "
                               "choose another name")
        projection.__dict__.setdefault("_uid", uuid.uuid4().hex)
        self.projections.append(projection)

    def get_projection(self, name):
        """The projection called ``name``, or None (with a warning)."""
        for projection in self.projections:
            if projection.name == name:
                return projection
        warnings.warn(f"get_projection(): no projection called '{name}'", stacklevel=3)
        return None

    def get_projections(self, post=None, pre=None, target=None, suppress_error=False):
        """Projections, optionally only those with the given post, pre and target."""
        found = [p for p in self.projections
                 if (post is None or p.post.population is getattr(post, "population", post))
                 and (pre is None or p.pre.population is getattr(pre, "population", pre))
                 and (target is None or target in p._targets)]
        if not found and (post or pre or target) and not suppress_error:
            raise NetworkError("no projection matches the given post, pre and target")
        return found

    def add_monitor(self, monitor):
        monitor.__dict__.setdefault("_uid", uuid.uuid4().hex)
        self.monitors.append(monitor)

    def add_extension(self, extension):
        """Register an object made of populations, projections and monitors of this network
        (a BOLD monitor), so that copies of the network copy it too."""
        extension.__dict__.setdefault("_uid", uuid.uuid4().hex)
        self.extensions.append(extension)

    def remove_monitor(self, monitor):
        """Stop a monitor and take it out of the network (its recordings are dropped)."""
        monitor.stop()
        if monitor in self.monitors:
            self.monitors.remove(monitor)

    def check_usable(self, obj):
        if self.cleared:
            raise NetworkError(f"'{getattr(obj, 'name', obj)}' belongs to a network that was "
                               "cleared by clear(); create the objects again")

    def get_population(self, name):
        """The population called ``name``, or None (with a warning) as in the reference."""
        for population in self.populations:
            if population.name == name:
                return population
        warnings.warn(f"get_population(): no population called '{name}'; the populations are "
                      f"{[p.name for p in self.populations]}", stacklevel=3)
        return None

    def get_monitors(self, obj=None):
        if obj is None:
            return list(self.monitors)
        return [m for m in self.monitors if m.object is obj or m._owner is obj]

    # ------------------------------------------------------------ compile
    def _structure(self):
        """The text that decides the generated code; its hash keys the build cache."""
        from .constant import constant_names
        from .functions import global_functions
        models, lines = [], []
        for population in self.populations:
            text = population.neuron_type._structure()
            if text not in models:
                models.append(text)
            lines.append(f"population {models.index(text)} stop={population.stop_condition!r} "
                         f"drawn={population._description.drawn}")
        for projection in self.projections:
            lines.append(self._projection_structure(projection))
        return "\n".join(
            [f"precision={config['precision']}"]
            + (["threads=openmp"] if self._threads > 1 else []) + [
             "constants=" + ",".join(constant_names()),
             "functions=" + "|".join(f[3] for f in global_functions())]
            + [f"model {i}:\n{text}" for i, text in enumerate(models)] + lines)

    def _projection_structure(self, projection):
        return (f"projection {self.populations.index(projection.pre.population)} -> "
                f"{self.populations.index(projection.post.population)} "
                f"targets={projection._targets} uniform={projection.uniform_delay} "
                f"single_weight={projection._single_weight} storage={projection._dense} "
                f"kind={projection.transmission_kind} layout={projection._layout}"
                + (" structural" if projection._structural_rules() else "") + "\n"
                + projection.synapse_type._structure())

    def _generate(self):
        from ..codegen.generator import ProjectionSpec, generate
        from ..parser.analysis import (analyse_condition, analyse_function, analyse_neuron,
                                       analyse_synapse)
        from .constant import constant_names
        from .functions import global_functions
        names = constant_names()
        functions = global_functions()
        arities = {f[0]: len(f[1]) for f in functions}
        analysed_functions = [(n, a, analyse_function("add_function", n, a, b, line, arities))
                              for n, a, b, line in functions]
        models, codes, indices, stops = [], [], [], []
        for population in self.populations:
            neuron = population.neuron_type
            description = population._description
            if description.structure() not in models:
                models.append(description.structure())
                codes.append(analyse_neuron(description, names, functions, neuron._method))
            indices.append(models.index(description.structure()))
            stops.append(analyse_condition(description, population.stop_condition, names,
                                           functions) if population.stop_condition else None)
        specs, synapse_codes = [], []
        for projection in self.projections:
            synapse = projection.synapse_type
            spiking_pre = projection.pre.population._spike_arrays is not None
            decoding = projection.transmission_kind == "decoding"
            if projection.spiking and not spiking_pre:
                raise NetworkError(
                    f"Projection '{projection.name}': a rate-coded pre-synaptic population "
                    "emits no spikes; its synapse needs a psp instead of pre_spike")
            if projection.spiking and projection.post.population._spike_arrays is None:
                raise NetworkError(
                    f"Projection '{projection.name}': spikes cannot reach the rate-coded "
                    f"population '{projection.post.population.name}' through pre_spike; use a "
                    "DecodingProjection to turn them into a rate")
            if spiking_pre and not projection.spiking and synapse.psp is None and not decoding:
                raise NetworkError(
                    f"Projection '{projection.name}': a spiking pre-synaptic population needs a "
                    "synapse with pre_spike (events), or a psp for continuous transmission")
            # spiking synapses may add a continuous psp to their events (gap junctions)
            psp = synapse.psp if projection.spiking else (synapse.psp or "w * pre.r")
            synapse_codes.append(analyse_synapse(
                projection._description, projection.pre.population._description,
                projection.post.population._description, psp, names,
                functions, synapse._method, projection.name))
            _check_delayed_reads(projection, synapse_codes[-1])
            specs.append(ProjectionSpec(len(synapse_codes) - 1,
                                        self.populations.index(projection.pre.population),
                                        self.populations.index(projection.post.population),
                                        projection._targets, synapse.operation,
                                        projection.uniform_delay, projection.transmission_kind,
                                        projection._layout,
                                        bool(projection._structural_rules()),
                                        projection._dense))
        return generate(indices, codes, specs, synapse_codes, analysed_functions, names,
                        config["precision"], stops, threaded=self._threads > 1).source

    def compile(self, directory="annarchy", clean=False, compiler="default",
                compiler_flags="default", add_sources="", extra_libs="", cuda_config={"device": 0},
                annarchy_json="", silent=False, debug_build=False, profile_enabled=False):
        """Generate, build (or load from the cache) and bind the network's code.

        ``compiler_flags`` other than 'default' replace annbook's optimisation flags
        (they are part of the cache key); the other keywords of the reference are
        accepted and have no effect.
        """
        from ..build.cache import build_key, load_or_build
        self.check_usable(self)
        if not self.populations:
            raise NetworkError("compile(): the network has no population; create populations "
                               "before compiling")
        for projection in self.projections:
            projection._check_connected()
        self._structural_plasticity = bool(config["structural_plasticity"])
        self._threads = config["num_threads"]
        cores = len(os.sched_getaffinity(0))
        if self._threads > cores:
            warnings.warn(f"compile(): num_threads={self._threads} but this process may use "
                          f"{cores} core(s); threads beyond the cores wait for each other "
                          "(the run falls back to one thread when that is faster)", stacklevel=2)
        if self._structural_plasticity:
            for projection in self.projections:
                projection._own_weights()
        for projection in self.projections:
            projection._dense = dense.choose_layout(projection, self._structural_plasticity)
        for population in self.populations:
            population._compile_variant(self)
        flags = None if compiler_flags in (None, "default") else compiler_flags.split()
        folder = cache_directory() if directory in (None, "annarchy") else directory
        started = time.perf_counter()
        origin = self._copied_from() if folder == cache_directory() and not (flags or clean) \
            else None
        if origin is not None:          # same structure: its binary, without hashing again
            key, folder = origin.last_compile["key"], origin.last_compile["directory"]
            self._module, built = origin._module, False
        else:
            key = build_key(self._structure(), config["portable"], flags)
            self._module, built = load_or_build(key, folder, self._generate, config["portable"],
                                                clean, flags, openmp=self._threads > 1)
        self._dt = config["dt"]
        self._bind()
        self.compiled = True
        self.last_compile = {"key": key, "built": built, "directory": folder,
                             "binary": self._module.__file__,
                             "seconds": time.perf_counter() - started}
        if not silent and config["verbose"]:
            print(f"annbook: network {'built' if built else 'loaded from cache'} in "
                  f"{time.perf_counter() - started:.2f} s")
        logger.info("compile: %s in %.2f s (key %s)", "built" if built else "cache hit",
                    time.perf_counter() - started, key)

    @property
    def dt(self):
        """Step in ms: setup()'s until compile(), then the one the network was compiled with."""
        return self._dt if self.compiled else config["dt"]

    def _copied_from(self):
        """The compiled network of which this one holds a copy of every population and
        projection, in the same order (so the same structure and binary), or None."""
        if len(self._origins) != 1 or not self._origins[0].compiled:
            return None
        origin = self._origins[0]
        copies = [self._copies.get(obj._uid) for obj in origin.populations + origin.projections]
        mine = self.populations + self.projections
        same = len(copies) == len(mine) and all(a is b for a, b in zip(copies, mine)) and \
            (origin._threads > 1) == (self._threads > 1)
        # connectors drawn again may give another layout (a nearly full random pattern)
        same = same and all(a._dense == b._dense for a, b in
                            zip(origin.projections, self.projections))
        return origin if same and all(a._description.drawn == b._description.drawn for a, b
                                      in zip(origin.populations, self.populations)) else None

    def _bind(self):
        """Allocate run-time buffers, collect the addresses the module expects, snapshot state."""
        self._constants = np.array(constant_values(self._module.CONSTANTS), dtype=np.float64)
        self._seed_generators()
        self.rebind()
        for obj in self.populations + self.projections:
            obj._snapshot()

    def rebind(self):
        """Addresses of every array, in the order of the module's SLOTS.

        Called again when an array is replaced (delays that need deeper ring buffers).
        """
        self._allocate_rings()
        self._clock = _isolated(self._clock)        # thread 0 writes it at every step
        self._align_neuron_arrays()
        addresses = []
        for slot in self._module.SLOTS:
            addresses.append(self._address(*slot))
        self._addresses = np.array(addresses, dtype=np.uint64)
        if getattr(self._module, "THREADED", False) and self._shares is None:
            self._shares = BlockShares(self._module.SHARES_LAYOUT, _isolated)
        self._rebind_needed = False
        self._static = [self.projections[slot[1]] for slot in self._module.SLOTS
                        if slot[0] == "pwpre"]

    def _align_neuron_arrays(self):
        """Neuron arrays on cache lines of their own. Threads write them block by block, and
        a line holding the end of one block and the start of the next went back and forth
        between the cores at every step (COBA on two threads ran 10-40 % slower in the
        processes where malloc had placed many arrays so); vectorised loops also read and
        write whole lines then."""
        for population in self.populations:
            for group in (population._state, population._spike_arrays or {},
                          population._buffers.get("sum", {})):
                for key, values in group.items():
                    if values.ctypes.data % 64:
                        group[key] = _isolated(values)

    def _address(self, kind, owner=None, key=None):
        if kind == "consts":
            return self._constants.ctypes.data
        if kind == "clock":
            return self._clock.ctypes.data
        if kind in ("n", "enabled", "rng", "rngs", "attr", "sum", "gop", "spk", "sched",
                    "timed"):
            population = self.populations[owner]
            if kind == "n":
                return population.size
            if kind == "enabled":
                return population._enabled.ctypes.data
            if kind == "rng":
                return _capsule_pointer(population._bitgen.capsule, b"BitGenerator")
            if kind == "rngs":
                return _generator_table(population).ctypes.data
            if kind == "attr":
                return population._state[key].ctypes.data
            if kind == "spk":
                return population._spike_arrays[key].ctypes.data
            if kind == "sched":
                return population._schedule[key].ctypes.data
            if kind == "timed":
                return population._table[key].ctypes.data
            return population._allocate(kind, key).ctypes.data
        projection = self.projections[owner]
        if kind == "proj":
            if key == "n_rows":
                return projection.size
            if key == "rng":
                return _capsule_pointer(projection._bitgen.capsule, b"BitGenerator")
            return projection._field(key).ctypes.data
        if kind == "prngs":
            return _generator_table(projection).ctypes.data
        if kind == "pattr":
            return projection._state[key].ctypes.data
        if kind == "ptarget":
            post = projection.post.population
            conductance = post._state.get("g_" + key) if post._spike_arrays is not None else None
            return (conductance if conductance is not None
                    else post._allocate("sum", key)).ctypes.data
        if kind == "pgop":
            return projection._allocate_gop(key).ctypes.data
        if kind == "pspk":
            if key == "last_event":
                return projection._last_event.ctypes.data
            if key == "block_starts":
                return projection._block_starts(self._blocks()).ctypes.data
            return projection._spike_index()[key].ctypes.data
        if kind == "pdense":
            return projection._dense_info().ctypes.data
        if kind == "pwpre":
            return projection._static_weights().ctypes.data
        if kind == "pcursor":
            return projection._cursor.ctypes.data
        if kind == "pstruct":
            return projection._rewiring.array(key, projection).ctypes.data
        if kind == "pdecode":
            return projection._decoding_arrays()[key].ctypes.data
        if kind == "pshared":
            return projection._shared[key].ctypes.data
        if kind == "pcond":
            post = projection.post.population
            conductance = post._state.get("g_" + key)
            return (conductance if conductance is not None
                    else post._allocate("sum", key)).ctypes.data
        pre = projection.pre.population
        if kind == "ring":
            return pre._buffers["ring"][key].ctypes.data
        if kind == "sring":
            return pre._buffers["spike_ring"][""].ctypes.data
        if kind == "scount":
            return pre._buffers["spike_count"][""].ctypes.data
        if kind == "sdepth":
            return pre._spike_depth.ctypes.data
        return pre._ring_depth.ctypes.data                       # 'depth'

    def _allocate_rings(self):
        """Ring buffers of past pre-synaptic values, deep enough for the longest delay.

        As the reference's delay queues, they start full of the current values, never get
        shallower, and keep their history when a longer delay deepens them (the steps they
        never held read 0); rings that kept no history (no delay yet) start full again.
        """
        for population in self.populations:
            outgoing = [p for p in self.projections if p.pre.population is population]
            depth = 1 + max([p.max_delay for p in outgoing], default=0)
            rings = population._buffers.setdefault("ring", {})
            current = int(population._ring_depth[0])
            names = {slot[2] for slot in self._module.SLOTS if slot[0] == "ring"
                     and self.projections[slot[1]].pre.population is population}
            deepest = max(depth, current)
            for name in names:
                values = population._state[name]
                if name not in rings or current <= 1:     # no history kept yet
                    rings[name] = np.tile(values, deepest)
                elif current != deepest:
                    rings[name] = _deepened(rings[name], current, deepest, self.current_step())
            population._ring_depth[0] = deepest
            if any(p.spiking for p in outgoing) and (
                    "spike_ring" not in population._buffers or population._spike_depth[0] != depth):
                population._buffers["spike_ring"] = {"": np.zeros(depth * population.size,
                                                                  dtype=np.int64)}
                population._buffers["spike_count"] = {"": np.zeros(depth, dtype=np.int64)}
                population._spike_depth[0] = depth
            for projection in outgoing:       # per-synapse delays: a cursor per spike in flight
                cursor = projection._cursor
                if projection.spiking and not projection.uniform_delay and (
                        cursor is None or cursor.size != depth * population.size):
                    projection._cursor = np.zeros(depth * population.size, dtype=np.int64)

    def _blocks(self):
        """The blocks that threaded runs cut every population into: BLOCKS_PER_THREAD for
        each thread of setup(), whatever the number of threads that run them."""
        return BLOCKS_PER_THREAD * self._threads if self._threads > 1 else 1

    def _seed_generators(self):
        """One generator per population and projection; with threads, one per block of each
        (the first is the object's own, the others spawned from its seed)."""
        owners = self.populations + self.projections
        sequence = np.random.SeedSequence(self._seed)
        for owner, child in zip(owners, sequence.spawn(len(owners))):
            owner._bitgen = np.random.PCG64(child)
            owner._block_bitgens = [owner._bitgen] + [
                np.random.PCG64(grandchild) for grandchild in child.spawn(self._blocks() - 1)]

    @property
    def num_threads(self):
        """Threads the compiled loop runs on (``setup(num_threads=...)`` at compile time,
        at most the limit of ``limit_threads``)."""
        return min(self._threads, self._thread_cap or self._threads)

    def limit_threads(self, threads):
        """Run the compiled loop on at most ``threads`` threads (None: no limit); the
        binary stays the same. parallel_run's workers run their networks on one."""
        self._thread_cap = None if threads is None else max(1, integer(threads, "threads"))

    def set_seed(self, seed, use_seed_seq=True):
        """Seed numpy's global generator and the compiled generators of this network."""
        self._seed = None if seed is None else integer(seed, "set_seed(): the seed")
        np.random.seed(self._seed)
        if self.compiled:
            self._bind()

    # ------------------------------------------------------------ pickling
    def __getstate__(self):
        """Objects, state, clock and generators; the binary stays in the cache folder."""
        state = dict(self.__dict__)
        state.update(_module=None, _addresses=None, _static=[], _constants=None, _origins=[],
                     _running=None, _callbacks=Callbacks())     # code, not state
        if self.compiled:
            names = self._module.CONSTANTS
            state["_constant_values"] = dict(zip(names, constant_values(names)))
        return state

    def __setstate__(self, state):
        """Join this process's networks; a compiled one loads its binary, never compiles.

        The binary is looked up in memory, in the folder it was compiled in, then
        in this process's cache folder. Constants it uses are defined if missing.
        Addresses are collected at the first run, once every object is unpickled.
        """
        from ..build.cache import load_cached
        from .constant import Constant, get_constant
        constants = state.pop("_constant_values", {})
        self.__dict__.update(state)
        self._running = threading.RLock()
        self.id = len(_networks)
        _networks.append(self)
        for name, value in constants.items():
            if get_constant(name) is None:
                Constant(name, value)
        if self.compiled:
            started = time.perf_counter()
            key = self.last_compile["key"]
            self._module = load_cached(key, [os.path.dirname(self.last_compile["binary"]),
                                             self.last_compile["directory"], cache_directory()])
            self._constants = np.array(constant_values(self._module.CONSTANTS), dtype=np.float64)
            self.last_compile = dict(self.last_compile, built=False,
                                     seconds=time.perf_counter() - started)

    # ------------------------------------------------------------ time
    def current_step(self):
        return int(self._clock[0])

    def get_time(self):
        return float(self._clock[0] * self.dt)

    def set_time(self, t, net_id=0):
        self._move_clock(int(number(t, "set_time(): the time") / self.dt + 1e-9))

    def get_current_step(self):
        return int(self._clock[0])

    def set_current_step(self, t):
        self._move_clock(integer(t, "set_current_step(): the step"))

    def _move_clock(self, step):
        """Set the current step; the rings of delayed values, laid out by step, turn with it
        so that a delay still reads the values of that many steps ago."""
        for population in self.populations:
            for name, ring in population._buffers.get("ring", {}).items():
                rows = ring.reshape(int(population._ring_depth[0]), -1)
                rows[:] = np.roll(rows, step - int(self._clock[0]), axis=0)
            population._clock_moved()
        self._clock[0] = step

    # ------------------------------------------------------------ simulate
    def _check_compiled(self, what):
        self.check_usable(self)
        if not self.compiled:
            raise NetworkError(f"{what} called before compile(): call compile() first")

    def steps_for(self, duration, what="simulate()"):
        """Number of steps for a duration in ms: ceil(duration / dt), as the reference
        (which converts the duration with float(): "10" is 10 ms there too)."""
        try:
            value = float(duration)
        except (TypeError, ValueError):
            raise ArgumentError(f"{what}: the duration must be a number of milliseconds, got "
                                f"{duration!r}") from None
        if not math.isfinite(value):
            raise ArgumentError(f"{what}: the duration must be a finite number of milliseconds, "
                                f"got {duration!r}")
        steps = int(math.ceil(value / self.dt - 1e-9))
        if steps < 0:
            raise NetworkError(f"{what}: the duration must be positive, got {duration} ms")
        return steps

    def run(self, steps, stop_populations=None, stop_mode=0, progress=None, callbacks=None):
        """Run ``steps`` steps; returns how many were done.

        Long runs go in chunks so that monitor buffers stay bounded, and, while a run
        observer follows the run (``core/observers.py``: progress bars, given
        ``progress``, the ``progress_bar`` keyword of simulate), chunks of bounded wall
        time. ``callbacks`` (a ``callbacks.Schedule``) ends chunks where callbacks are due
        and calls them there, between two steps. Ctrl-C or the stop flag (``stop()``, from
        another thread or a callback) stops between two steps with time, state and
        recordings consistent. Only one thread runs a network at a time.
        """
        if steps <= 0:
            return 0
        with self.claimed("simulate()"):
            return self._run(steps, stop_populations, stop_mode, progress, callbacks)

    @contextlib.contextmanager
    def claimed(self, what):
        """Run the block with the network reserved to this thread (a live control playing).

        Other threads get a NetworkError naming ``what`` from run() and reset() meanwhile;
        the same thread may nest.
        """
        if not self._running.acquire(blocking=False):
            raise NetworkError(f"{what}: network {self.id} is being simulated by another thread "
                               "(a live control playing?); pause it first")
        try:
            yield
        finally:
            self._running.release()

    def _run(self, steps, stop_populations, stop_mode, progress, callbacks):
        if self._addresses is None:         # unpickled: bind to this process's arrays
            self.rebind()
        self._prepare_chunks()
        select = np.zeros(len(self.populations), dtype=np.uint8)
        for population in stop_populations or []:
            select[self.populations.index(population)] = 1
        chunk = self._chunk_steps()
        updates = updates_for_run(self, steps, progress)
        pacer = ChunkPacer() if updates else None
        first = self.current_step()
        done = 0
        self._clock[1] = 0
        try:
            while done < steps:
                if callbacks is not None and done == callbacks.next_step():
                    callbacks.call_due(done, self)
                    self._prepare_chunks()              # what the callbacks changed
                    chunk = self._chunk_steps()         # monitors they started
                    if self._clock[1] == STOP_REQUESTED:
                        break
                if any([population._make_room_for_spikes() for population in self.populations]):
                    self.rebind()
                paced = min(chunk, steps - done, pacer.steps if pacer else chunk)
                wanted = paced if callbacks is None else min(paced, callbacks.next_step() - done)
                started = time.perf_counter()
                ran = self._run_chunk(wanted, select, stop_mode)
                done += ran
                if pacer:
                    if wanted == paced:     # a chunk cut short by a callback tells little
                        pacer.measured(ran, time.perf_counter() - started)
                    for update in updates:
                        update(done, False)
                if self._clock[1] == STRUCTURAL_STOP:       # the step resumes at its recording
                    self._mid_step = True
                    if _interrupted_during(structural.apply_conditions, self):
                        done += self._run_chunk(1, select, stop_mode)     # finish the step
                        raise KeyboardInterrupt
                    continue
                if self._clock[1] == BUFFER_FULL:
                    self._clock[1] = 0
                elif self._clock[1] != 0 or ran < wanted:
                    break
        finally:
            for update in updates:
                update(self.current_step() - first, True)
        return done

    def _prepare_chunks(self):
        """Values Python may have changed, in the form the compiled loop reads them:
        constants, refractory periods in steps, weights copied in pre order."""
        self._constants[:] = constant_values(self._module.CONSTANTS)
        for population in self.populations:
            population._prepare_spiking(self.dt)
        for projection in self._static:
            projection._static_weights()

    def stop(self):
        """Ask a run in progress to stop after its current step (from another thread), or
        at once (from a callback: ``simulate()`` returns before the step it was called at)."""
        self._clock[1] = STOP_REQUESTED

    def last_delivered_step(self):
        """The last step whose spikes were delivered: the current one when the loop stopped
        inside it for structural plasticity, else the previous one."""
        return self.current_step() - (0 if self._mid_step else 1)

    def _chunk_steps(self):
        """Steps per call of the compiled loop: monitor buffers stay under ~16 MB."""
        per_step = sum(m._bytes_per_step() for m in self.monitors)
        return max(1, int(MONITOR_BUFFER_BYTES // per_step)) if per_step else 2 ** 62

    def _run_chunk(self, steps, select, stop_mode):
        if self._rebind_needed:
            self.rebind()
        first = self.current_step()
        rows, owners = [], []
        for monitor in self.monitors:
            mine = monitor._prepare(first, steps)
            rows += mine
            owners.append((monitor, len(mine)))
        table = _isolated(np.array(rows, dtype=np.int64).reshape(-1, RECORDER_FIELDS))
        if self._mid_step:                  # finish the step stopped before its recording
            self._clock[1] = STRUCTURAL_RESUME
            self._mid_step = False
        # Only the main thread handles signals: elsewhere the loop need not take the GIL
        # back to poll for them (another thread holding it would make it wait).
        poll = POLL_SECONDS if threading.current_thread() is threading.main_thread() else 1e9
        threads = (self.num_threads, self._shares.address, self._blocks(),
                   self._tuning.ctypes.data) if getattr(self._module, "THREADED", False) else ()
        try:
            return self._module.run(steps, self._addresses.ctypes.data, table.ctypes.data, len(table),
                                    self._clock.ctypes.data, self.dt, poll,
                                    select.ctypes.data, stop_mode, *threads)
        finally:
            start = 0
            for monitor, count in owners:
                monitor._collect(table[start:start + count])
                start += count

    def simulate(self, duration, measure_time=False, progress_bar=None, callbacks=True):
        """Advance by ``duration`` ms.

        ``progress_bar``: True shows a progress bar, False never; None follows
        ``setup(progress=...)`` (by default a bar appears when the run is expected to
        last more than a second or two, in a notebook or a terminal). ``callbacks``:
        call the functions declared with ``@every(..., net_id=self.id)`` (unless
        ``disable_callbacks()``); False: not in this run.
        """
        self._check_compiled("simulate()")
        started = time.perf_counter()
        steps = self.steps_for(duration)
        self.run(steps, progress=progress_bar,
                 callbacks=self._callbacks.schedule(steps, self.dt) if callbacks else None)
        if measure_time:
            print(f"Simulating {duration / 1000.0} seconds of the network took "
                  f"{time.perf_counter() - started} seconds.")

    def simulate_until(self, max_duration, population, operator="and", measure_time=False):
        """Simulate until the stop conditions hold (and/or), at most max_duration ms.

        Callbacks are not called (as in the reference: only ``simulate()`` calls them).
        """
        self._check_compiled("simulate_until()")
        populations = population if isinstance(population, (list, tuple)) else [population]
        for pop in populations:
            if not hasattr(pop, "stop_condition"):
                raise ArgumentError(f"simulate_until(): expected a Population or a list of them, "
                                    f"got {pop!r}")
            if not pop.stop_condition:
                raise NetworkError(f"simulate_until(): population '{pop.name}' has no "
                                   "stop_condition; give one to Population(..., stop_condition=...)")
        if operator not in ("and", "or"):
            raise NetworkError(f"simulate_until(): operator must be 'and' or 'or', got {operator!r}")
        started = time.perf_counter()
        done = self.run(self.steps_for(max_duration, "simulate_until()"), populations,
                        1 if operator == "and" else 2)
        if measure_time:
            print(f"Simulating took {time.perf_counter() - started} seconds.")
        return done * self.dt

    def step(self):
        """Advance by one step (callbacks are not called, as in the reference)."""
        self._check_compiled("step()")
        self.run(1)

    # ------------------------------------------------------------ reset
    def reset(self, populations=True, projections=False, monitors=True, synapses=False):
        with self.claimed("reset()"):
            self._reset(populations, projections, monitors, synapses)

    def _reset(self, populations, projections, monitors, synapses):
        if populations:
            for population in self.populations:
                population.reset()
        if projections or synapses:
            for projection in self.projections:
                projection.reset(synapses=synapses)
        self._move_clock(0)                 # before the monitors: their timing restarts at 0
        for population in self.populations:
            population._clear_spikes()
        if monitors:
            for monitor in self.monitors:
                monitor.reset()

    def enable_learning(self, projections=None, period=None, offset=None):
        """Turn plasticity on for all (or the given) projections."""
        for projection in self._projections_of(projections, "enable_learning()"):
            projection.enable_learning(period, offset)

    def disable_learning(self, projections=None):
        """Turn plasticity off for all (or the given) projections."""
        for projection in self._projections_of(projections, "disable_learning()"):
            projection.disable_learning()

    def _projections_of(self, projections, what):
        """The given projections (all when None), each checked to be one."""
        from .projection import Projection
        chosen = projections or self.projections
        for projection in chosen:
            if not isinstance(projection, Projection):
                raise ArgumentError(f"{what}: expected projections, got {projection!r}")
        return chosen


def _generator_table(owner):
    """Addresses of the bit generators of each block of a population or projection."""
    owner._generator_addresses = np.array(
        [_capsule_pointer(g.capsule, b"BitGenerator") for g in owner._block_bitgens],
        dtype=np.uint64)
    return owner._generator_addresses


def _interrupted_during(function, *args):
    """Run ``function``; a Ctrl-C meanwhile waits for it to return (True: one came)."""
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or previous is None:
        function(*args)
        return False
    caught = []
    signal.signal(signal.SIGINT, lambda *_: caught.append(True))
    try:
        function(*args)
    finally:
        signal.signal(signal.SIGINT, previous)
    return bool(caught)


def _isolated(array):
    """A copy of ``array`` on cache lines of its own. Thread 0 writes the recorder table
    at every step: sharing a line with values that the other threads read (a weight, a
    parameter) made each of its writes cost them a cache miss (COBA on two threads spent
    0.4 us of a 4 us step recording 8 spikes, against 0.03 us on one). Neuron arrays: see
    ``Network._align_neuron_arrays``."""
    line = 64
    raw = np.zeros(array.nbytes + 2 * line, dtype=np.uint8)
    start = (-raw.ctypes.data) % line
    out = raw[start:start + array.nbytes].view(array.dtype).reshape(array.shape)
    out[...] = array
    return out


def _deepened(ring, depth, deeper, step):
    """A ring of ``deeper`` slots with the values of the ``depth - 1`` steps before ``step``
    that ``ring`` (of ``depth`` slots) kept for its longest delay; the older slots hold 0."""
    old = ring.reshape(depth, -1)
    new = np.zeros((deeper, old.shape[1]), dtype=ring.dtype)
    past = step - 1 - np.arange(depth - 1)
    new[past % deeper] = old[past % depth]
    return new.reshape(-1)


def _check_delayed_reads(projection, code):
    """As the reference, a population-wide pre value cannot be delayed synapse by synapse."""
    if projection.uniform_delay or projection.transmission_kind != "rate":
        return
    used = code.symbols()
    names = [a.name for a in projection.pre.population._description.attributes
             if a.locality == "global" and f"pre__{a.name}" in used]
    if names:
        raise NetworkError(
            f"Projection '{projection.name}': its synapse reads the population-wide "
            f"pre.{names[0]}, which cannot follow per-synapse delays; give the projection one "
            "delay (delays=a number) or read a per-neuron variable of the pre population")


_networks = []
Network()                               # the global network, id 0


def global_network():
    return _networks[0]


def network_by_id(net_id):
    """The network with the given id (0: the global one)."""
    if not 0 <= net_id < len(_networks) or _networks[net_id] is None:
        raise NetworkError(f"no network with id {net_id}; the ids are "
                           f"{[n.id for n in _networks if n is not None]}")
    return _networks[net_id]


def all_networks():
    """Every network of this process that was not forgotten."""
    return [network for network in _networks if network is not None]


def network_of(obj):
    return getattr(obj, "_network", _networks[0])


def clear_networks():
    """Forget every network; their objects raise an error when used again."""
    for network in _networks:
        if network is not None:
            network.cleared = True
    _networks.clear()
    Network()


def forget_network(network):
    """Drop a network from this process's list so that its memory can be freed.

    Its id is not reused and its objects keep working; ``network_by_id`` no
    longer finds it. Parallel workers forget each copy once its result is out.
    """
    if network.id < len(_networks) and _networks[network.id] is network:
        _networks[network.id] = None

