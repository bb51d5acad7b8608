"""The sweep a worker needs, packed once by the caller and unpacked once per process.

A sweep holds the caller's setup options, constants and global functions, the
user's method and the network to copy, pickled together so that the global
objects the method refers to are the very objects of that network (its
``net.get(pop)`` then finds the copies). Workers of this machine read it from
a file; other backends (a dask cluster) get its bytes, with the compiled
binaries, since they may share no file system with the caller.
"""

import contextlib
import mmap
import os
import pickle
import struct
import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass

import cloudpickle
import numpy as np

from ..build.cache import install_binary
from ..config import cache_directory, config
from ..core.constant import Constant, constant_names, constant_values, get_constant
from ..core.functions import add_function, global_functions
from ..core.network import all_networks, forget_network
from ..errors import InvalidConfiguration

__all__ = ["SweepRef", "Sweep", "pack", "unpack", "release"]

_HEAD = struct.Struct("<QQ")      # sizes of the pickle and of the buffer table
_lock = threading.Lock()
_current = {"token": None, "sweep": None, "networks": []}


@dataclass
class Sweep:
    method: object
    source: object          # the network copied for each run (None with networks=[...])


class SweepRef:
    """How a task finds its sweep: a token, a scratch folder holding it, or its bytes
    (context, body) for workers that may not see that folder.

    The folder also holds one marker per started network, with the process id,
    which tells the caller which networks were running when a process died.
    """

    def __init__(self, token, folder, data=None):
        self.token = token
        self.folder = folder
        self.data = data

    @property
    def path(self):
        return os.path.join(self.folder, "sweep.pkl")

    @property
    def context_path(self):
        return os.path.join(self.folder, "context.pkl")

    def mark_started(self, index):
        if os.path.isdir(self.folder):
            with open(self._marker(index), "w") as handle:
                handle.write(str(os.getpid()))

    def started(self, index):
        return os.path.exists(self._marker(index))

    def forget_started(self, index):
        with contextlib.suppress(OSError):
            os.remove(self._marker(index))

    def _marker(self, index):
        return os.path.join(self.folder, f"started-{index}")

    def remove(self):
        shutil.rmtree(self.folder, ignore_errors=True)


def pack(method, source, compiled, shared):
    """Write the sweep for the workers; ``compiled`` are the networks whose binaries they load.

    ``shared``: the workers see this machine's files (loky), else the bytes travel.
    """
    folder = tempfile.mkdtemp(prefix="annbook-sweep-")
    context = {"config": {k: v for k, v in config.items() if k != "cache_dir"},
               "constants": dict(zip(constant_names(), constant_values(constant_names()))),
               "functions": [entry[3] for entry in global_functions()], "binaries": {}}
    if not shared:
        for network in compiled:
            with open(network.last_compile["binary"], "rb") as handle:
                context["binaries"][network.last_compile["key"]] = handle.read()
    ref = SweepRef(uuid.uuid4().hex, folder)
    try:
        if shared:
            _dump_mapped((method, source), ref.path)
            with open(ref.context_path, "wb") as handle:
                pickle.dump(context, handle)
        else:
            ref.data = (pickle.dumps(context), cloudpickle.dumps((method, source)))
    except Exception as error:
        ref.remove()
        raise InvalidConfiguration(
            f"parallel_run(): the method, or an object it refers to, cannot be sent to the "
            f"workers ({type(error).__name__}: {error}); refer to it from inside the method, or "
            "use sequential=True") from error
    return ref


def unpack(ref):
    """The sweep of ``ref``, unpacked at its first task in this process and kept for the next."""
    with _lock:
        if _current["token"] != ref.token:
            _forget_current()
            if ref.data is not None:
                context = pickle.loads(ref.data[0])
            else:
                with open(ref.context_path, "rb") as handle:
                    context = pickle.load(handle)
            _apply(context)
            before = {id(network) for network in all_networks()}
            sweep = Sweep(*(pickle.loads(ref.data[1]) if ref.data is not None
                            else _load_mapped(ref.path)))
            _current.update(token=ref.token, sweep=sweep, networks=[
                network for network in all_networks() if id(network) not in before])
        return _current["sweep"]


def release(token):
    """Forget the sweep ``token`` if this process holds it (workers running in the caller)."""
    with _lock:
        if _current["token"] == token:
            _forget_current()


def _forget_current():
    for network in _current["networks"]:
        forget_network(network)
    _current.update(token=None, sweep=None, networks=[])


def _dump_mapped(obj, path):
    """Pickle ``obj`` to ``path`` with its arrays' memory written raw after the pickle,
    each 64-byte aligned, for ``_load_mapped``."""
    buffers = []
    header = cloudpickle.dumps(obj, protocol=5, buffer_callback=buffers.append)
    views = [buffer.raw() for buffer in buffers]
    position = _aligned(_HEAD.size + len(header) + 16 * len(views))
    offsets = []
    for view in views:
        offsets.append(position)
        position = _aligned(position + view.nbytes)
    with open(path, "wb") as handle:
        handle.write(_HEAD.pack(len(header), len(views)))
        handle.write(header)
        handle.write(np.array(offsets + [view.nbytes for view in views], dtype=np.int64))
        for offset, view in zip(offsets, views):
            handle.seek(offset)
            handle.write(view)


def _load_mapped(path):
    """What ``_dump_mapped`` wrote. The arrays are views of a private mapping of the file:
    nothing is read before it is used, pages only read are shared by every worker, and
    writes stay in this process."""
    with open(path, "rb") as handle:
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_COPY)
    header_size, count = _HEAD.unpack_from(mapped)
    table = np.frombuffer(mapped, dtype=np.int64, count=2 * count,
                          offset=_HEAD.size + header_size)
    memory = memoryview(mapped)
    buffers = [memory[offset:offset + size] for offset, size in zip(table[:count], table[count:])]
    return pickle.loads(memory[_HEAD.size:_HEAD.size + header_size], buffers=buffers)


def _aligned(position):
    return -(-position // 64) * 64


def _apply(context):
    """The caller's setup options, constants, functions and binaries, in this process."""
    config.update(context["config"])
    for key, binary in context["binaries"].items():
        install_binary(key, binary, cache_directory())
    for name, value in context["constants"].items():
        constant = get_constant(name)
        if constant is None:
            Constant(name, value)
        else:
            constant.set(value)
    for line in context["functions"]:
        add_function(line)
