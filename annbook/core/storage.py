"""Reading and writing named arrays: .npz, gzipped pickle (.gz) or pickle."""

import gzip
import pickle

import numpy as np

from ..errors import ArgumentError, StorageError

__all__ = ["write", "read", "check_filename"]


def write(filename, values):
    """Save a dict of values; the format follows the file's extension."""
    check_filename(filename)
    try:
        if filename.endswith(".npz"):
            np.savez_compressed(filename, **values)
        elif filename.endswith(".gz"):
            with gzip.open(filename, "wb") as handle:
                pickle.dump(values, handle, protocol=pickle.HIGHEST_PROTOCOL)
        else:
            with open(filename, "wb") as handle:
                pickle.dump(values, handle, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError as error:
        raise StorageError(f"cannot write '{filename}' ({error}); make sure its folder "
                           "exists") from None


def read(filename, pickle_encoding=None):
    """Load a dict of values written by write()."""
    check_filename(filename)
    try:
        if filename.endswith(".npz"):
            with np.load(filename) as data:
                return {name: data[name] for name in data.files}
        opener = gzip.open if filename.endswith(".gz") else open
        with opener(filename, "rb") as handle:
            return pickle.load(handle, encoding=pickle_encoding or "ASCII")
    except OSError as error:
        raise StorageError(f"cannot read '{filename}' ({error})") from None
    except (pickle.UnpicklingError, EOFError, ValueError) as error:
        raise StorageError(f"'{filename}' was not written by save() ({error})") from None


def check_filename(filename):
    """``filename``, when it is a string."""
    if not isinstance(filename, str):
        raise ArgumentError(f"the file name must be a string, got {filename!r}")
    return filename
