"""Reading and writing named arrays: .npz, gzipped pickle (.gz) or pickle."""

import gzip
import pickle

import numpy as np

__all__ = ["write", "read"]


def write(filename, values):
    """Save a dict of values; the format follows the file's extension."""
    if filename.endswith(".npz"):
        np.savez_compressed(filename, **values)
    elif filename.endswith(".gz"):
        with gzip.open(filename, "wb") as handle:
            pickle.dump(values, handle, protocol=pickle.HIGHEST_PROTOCOL)
    else:
        with open(filename, "wb") as handle:
            pickle.dump(values, handle, protocol=pickle.HIGHEST_PROTOCOL)


def read(filename, pickle_encoding=None):
    """Load a dict of values written by write()."""
    if filename.endswith(".npz"):
        with np.load(filename) as data:
            return {name: data[name] for name in data.files}
    opener = gzip.open if filename.endswith(".gz") else open
    with opener(filename, "rb") as handle:
        return pickle.load(handle, encoding=pickle_encoding or "ASCII")
