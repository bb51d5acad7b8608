"""Files of annbook: one atomic write for every file it saves, formats chosen by extension.

Every save (network state, parameters, connectivity, monitors, reports) goes through
:func:`atomic_file`: the data is written to a temporary file in the target's folder, flushed
to disk, then renamed over the target. A save that fails or is killed midway therefore leaves
the previous file as it was (at worst a hidden ``.NAME.XXXX.tmp`` file stays behind).

Formats by extension: ``.npz`` (numpy archive, compressed), ``.mat`` (MATLAB, through scipy),
``.gz`` (gzipped pickle), ``.npy`` (one array), anything else pickle. Reading a ``.npz`` never
unpickles (``allow_pickle=False``): its object arrays come back as :class:`Pickled`
placeholders. Reading a pickle (``.gz`` or other extensions) runs whatever code the file
holds: load pickles only from sources you trust.
"""

import gzip
import os
import pickle
import secrets
from contextlib import contextmanager

import numpy as np

from ..errors import ArgumentError, StorageError

__all__ = ["atomic_file", "write", "read", "Pickled", "refuse_pickled", "extension",
           "check_filename"]


def check_filename(filename, what="save()"):
    """``filename`` (a string or a path) as a string; ArgumentError for anything else."""
    try:
        return os.fspath(filename)
    except TypeError:
        raise ArgumentError(f"{what}: the file name must be a string or a path, got "
                            f"{filename!r}") from None


def extension(filename):
    """The extension that decides the format (``.npz``, ``.gz``, ``.mat``, ...), lower case."""
    return os.path.splitext(str(filename))[1].lower()


def _folder(filename, what, create):
    folder = os.path.dirname(os.path.abspath(filename))
    if os.path.isdir(folder):
        return folder
    if not create:
        raise StorageError(f"{what}: the folder '{os.path.dirname(filename) or folder}' does not "
                           f"exist; create it first (os.makedirs) or choose another path")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as error:
        raise StorageError(f"{what}: cannot create the folder '{folder}' ({error})") from None
    return folder


def _sync_folder(folder):
    """Make the rename durable (best effort: not every system can open a folder)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


@contextmanager
def atomic_file(filename, what="save()", create_folder=False):
    """A binary file handle whose content replaces ``filename`` only once it is complete.

    The temporary file lives in the target's folder (so the rename is atomic) and gets the
    permissions of a file opened normally. On an exception, the temporary file is removed and
    ``filename`` is untouched. ``create_folder`` creates a missing folder; otherwise a missing
    folder raises a StorageError naming it. ``what`` names the caller in error messages.
    """
    filename = check_filename(filename, what)
    folder = _folder(filename, what, create_folder)
    if os.path.isdir(filename):
        raise StorageError(f"{what}: '{filename}' is a folder; give a file name")
    temporary = os.path.join(folder, f".{os.path.basename(filename)}.{secrets.token_hex(4)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise StorageError(f"{what}: cannot write in the folder '{folder}' ({error})") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, filename)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise StorageError(f"{what}: cannot write '{filename}' ({error}); the previous "
                               "file, if any, is unchanged") from None
        raise
    _sync_folder(folder)


def write(filename, values, what="save()", create_folder=True):
    """Save ``values`` (a dict; an array for ``.npy``) atomically in the format of the extension.

    ``.npz`` takes a flat dict of arrays, ``.mat`` a dict of arrays and dicts (scipy writes
    nested dicts as MATLAB structs); pickles take anything.
    """
    kind = extension(filename)
    if kind == ".mat":
        try:
            import scipy.io
        except ImportError:
            raise StorageError(f"{what}: the .mat format needs scipy (pip install scipy)") \
                from None
    with atomic_file(filename, what, create_folder) as handle:
        if kind == ".npz":
            np.savez_compressed(handle, **values)
        elif kind == ".npy":
            np.save(handle, values, allow_pickle=False)
        elif kind == ".mat":
            try:
                scipy.io.savemat(handle, values)
            except (TypeError, ValueError) as error:
                raise StorageError(f"{what}: cannot write '{filename}' as a MATLAB file "
                                   f"({error})") from None
        elif kind == ".gz":
            with gzip.GzipFile(filename=os.path.basename(filename), mode="wb",
                               fileobj=handle) as packed:
                pickle.dump(values, packed, protocol=pickle.HIGHEST_PROTOCOL)
        else:
            pickle.dump(values, handle, protocol=pickle.HIGHEST_PROTOCOL)


class Pickled:
    """Stands for an entry of a ``.npz`` file that only unpickling could read."""

    def __init__(self, key):
        self.key = key

    def __repr__(self):
        return f"Pickled({self.key!r})"


def refuse_pickled(data, filename, what, keys=None):
    """Raise a StorageError if an entry (of ``keys``, default all) needs unpickling."""
    names = [k for k in (data if keys is None else keys) if isinstance(data.get(k), Pickled)]
    if names:
        raise StorageError(
            f"{what}: '{filename}' stores {', '.join(repr(n) for n in names[:5])} as pickled "
            "Python objects; annbook never unpickles .npz files, because unpickling runs "
            "whatever code the file holds. If you trust the file, read it with "
            "numpy.load(filename, allow_pickle=True), or save it again in a pickle format "
            "(.gz, .data) and load that")


def _read_npz(filename):
    values = {}
    with np.load(filename, allow_pickle=False) as archive:
        for key in archive.files:
            try:
                values[key] = archive[key]
            except ValueError:        # an object array: reading it would unpickle
                values[key] = Pickled(key)
    return values


def read(filename, pickle_encoding=None, what="load()"):
    """The content of a file written by :func:`write` (or by the reference).

    ``.npz``: a dict of arrays, object arrays as :class:`Pickled`. ``.mat``: scipy's dict.
    Other extensions are pickles: unpickling runs code from the file, load trusted files only.
    """
    filename = check_filename(filename, what)
    if not os.path.isfile(filename):
        raise StorageError(f"{what}: no file '{filename}'")
    kind = extension(filename)
    try:
        if kind == ".npz":
            return _read_npz(filename)
        if kind == ".npy":
            return np.load(filename, allow_pickle=False)
        if kind == ".mat":
            import scipy.io
            return scipy.io.loadmat(filename)
        opener = gzip.open if kind == ".gz" else open
        with opener(filename, "rb") as handle:
            return pickle.load(handle, encoding=pickle_encoding or "ASCII")
    except Exception as error:       # an unreadable file: say which one and why
        raise StorageError(f"{what}: unable to read '{filename}' ({type(error).__name__}: "
                           f"{error})") from None
