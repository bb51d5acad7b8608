"""Keras model files read with h5py (no TensorFlow, no Keras).

Two layouts:

* ``.keras`` (Keras 3): a zip archive with ``config.json`` (the model's layers and their
  configuration) and ``model.weights.h5``, where the variables of a layer are
  ``layers/<name>/vars/0, 1, ...`` (kernel, then bias); ``<name>`` is the snake-case class
  name, numbered from the second of a class (``dense``, ``dense_1``), counting the
  InputLayer for functional models and not for Sequential ones.
* legacy HDF5 (``model.save('x.h5')``, tf.keras and Keras 3): the root attribute
  ``model_config`` (JSON) and the group ``model_weights/<layer name>``, whose attribute
  ``weight_names`` lists the datasets of the layer.
"""

import io
import json
import os
import re
import zipfile

import numpy as np

from ...errors import ConversionError, UnsupportedLayer
from .layers import Layer

__all__ = ["read_keras_model"]

_PASS = {"Flatten", "Dropout", "InputLayer", "Activation", "ReLU", "Softmax",
         "SpatialDropout2D", "GaussianDropout", "AlphaDropout"}
_POOLS = {"MaxPooling2D": "max_pool", "MaxPool2D": "max_pool", "AveragePooling2D":
          "average_pool", "AvgPool2D": "average_pool"}
_SUPPORTED = "Dense, Conv2D, MaxPooling2D, AveragePooling2D, Flatten, Dropout, Activation"


def _h5py():
    try:
        import h5py
    except ImportError:
        raise ConversionError("reading a Keras model needs h5py: pip install h5py") from None
    return h5py


def read_keras_model(filename):
    """The layers (``Layer`` list, the input first) of a ``.keras`` or ``.h5`` Keras model."""
    if not os.path.isfile(filename):
        raise ConversionError(f"load_keras_model(): no file '{filename}'")
    if zipfile.is_zipfile(filename):
        with zipfile.ZipFile(filename) as archive:
            names = archive.namelist()
            if "config.json" not in names or "model.weights.h5" not in names:
                raise ConversionError(f"'{filename}' is a zip archive but not a .keras model "
                                      "(it lacks config.json or model.weights.h5)")
            config = json.loads(archive.read("config.json"))
            weights = io.BytesIO(archive.read("model.weights.h5"))
        with _h5py().File(weights, "r") as store:
            return _layers(filename, config, _KerasStore(store, config))
    h5py = _h5py()
    try:
        store = h5py.File(filename, "r")
    except OSError:
        raise ConversionError(f"'{filename}' is neither a .keras archive nor an HDF5 "
                              "file") from None
    with store:
        if "model_config" not in store.attrs:
            raise ConversionError(f"'{filename}' holds weights only (no model_config): save "
                                  "the whole model, model.save('model.keras') or "
                                  "model.save('model.h5')")
        config = store.attrs["model_config"]
        config = json.loads(config.decode() if isinstance(config, bytes) else config)
        return _layers(filename, config, _LegacyStore(store))


def _model_layers(filename, config):
    if config.get("class_name") not in ("Sequential", "Functional", "Model"):
        raise ConversionError(f"'{filename}': the model is a {config.get('class_name')}; only "
                              "Sequential and functional models can be converted")
    layers = config["config"]["layers"] if isinstance(config["config"], dict) else config["config"]
    return config["class_name"] == "Sequential", layers


class _KerasStore:
    """Variables of the layers in a Keras 3 ``model.weights.h5``."""

    def __init__(self, store, config):
        self.store = store
        sequential, layers = _model_layers("", config)
        counts, self.paths = {}, {}
        for entry in layers:
            if sequential and entry["class_name"] == "InputLayer":
                continue                    # Sequential.layers leaves it out
            base = _snake_case(entry["class_name"])
            n = counts.get(base, 0)
            counts[base] = n + 1
            self.paths[entry["config"]["name"]] = f"layers/{base}" + (f"_{n}" if n else "")
        self.by_name = {}
        store.visititems(self._index)

    def _index(self, path, item):
        name = item.attrs.get("name") if path.endswith("vars") else None
        if name is not None:
            self.by_name[name.decode() if isinstance(name, bytes) else str(name)] = item

    def weights(self, name):
        group = self.by_name.get(name)
        path = self.paths.get(name)
        if group is None and path is not None and f"{path}/vars" in self.store:
            group = self.store[f"{path}/vars"]
        if group is None:
            return []
        return [np.asarray(group[key]) for key in sorted(group, key=int)]


class _LegacyStore:
    """Variables of the layers in a legacy HDF5 model file."""

    def __init__(self, store):
        self.store = store["model_weights"] if "model_weights" in store else store

    def weights(self, name):
        if name not in self.store:
            return []
        group = self.store[name]
        names = [n.decode() if isinstance(n, bytes) else str(n)
                 for n in group.attrs.get("weight_names", [])]
        return [np.asarray(group[n]) for n in names]


def _snake_case(name):
    """Keras' file names of layers: ``Conv2D`` -> ``conv2d``, ``MaxPooling2D`` ->
    ``max_pooling2d``."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def _input_shape(filename, entries, config):
    for entry in entries:
        settings = entry.get("config", {})
        for key in ("batch_shape", "batch_input_shape"):
            if settings.get(key):
                return tuple(int(s) for s in settings[key][1:])
        build = entry.get("build_config", {}).get("input_shape")
        if build:
            return tuple(int(s) for s in build[1:])
    build = config.get("build_config", {}).get("input_shape") or \
        config.get("config", {}).get("build_input_shape")
    if build:
        return tuple(int(s) for s in build[1:])
    raise ConversionError(f"'{filename}': the model does not say the shape of its input; "
                          "build it with keras.Input(shape=...)")


def _layers(filename, config, store):
    sequential, entries = _model_layers(filename, config)
    shape = _input_shape(filename, entries, config)
    first = entries[0] if entries and entries[0]["class_name"] == "InputLayer" else None
    layers = [Layer(first["config"]["name"] if first else "input", "input", "InputLayer",
                    shape=shape)]
    for entry in entries:
        if entry is first:
            continue
        layers.append(_layer(entry, store))
    return layers


def _pair(value):
    return tuple(int(v) for v in value) if isinstance(value, (list, tuple)) else (int(value),) * 2


def _layer(entry, store):
    kind, settings = entry["class_name"], entry.get("config", {})
    name = settings.get("name", entry.get("name", kind))
    described = f"{kind} layer '{name}'"
    if settings.get("data_format", "channels_last") != "channels_last":
        raise UnsupportedLayer(f"{described}: data_format='channels_first' is not supported; "
                               "use channels_last", name, kind)
    if kind == "Dense":
        kernel = _kernel(described, settings, store.weights(name))
        return Layer(name, "dense", kind, weights=kernel.T,
                     activation=_activation(settings.get("activation")))
    if kind == "Conv2D":
        if _pair(settings.get("dilation_rate", 1)) != (1, 1) or settings.get("groups", 1) != 1:
            raise UnsupportedLayer(f"{described}: dilated or grouped convolutions are not "
                                   "supported", name, kind)
        kernel = _kernel(described, settings, store.weights(name))
        return Layer(name, "conv", kind, weights=np.moveaxis(kernel, -1, 0),
                     strides=_pair(settings.get("strides", 1)),
                     padding=settings.get("padding", "valid"),
                     activation=_activation(settings.get("activation")))
    if kind in _POOLS:
        size = _pair(settings.get("pool_size", 2))
        strides = settings.get("strides")
        return Layer(name, _POOLS[kind], kind, size=size,
                     strides=size if strides is None else _pair(strides),
                     padding=settings.get("padding", "valid"))
    if kind in _PASS:
        activation = {"Activation": settings.get("activation"), "Softmax": "softmax",
                      "ReLU": "relu"}.get(kind, "linear")
        if kind == "ReLU" and (settings.get("max_value") is not None
                               or settings.get("negative_slope", 0)
                               or settings.get("threshold", 0)):
            raise UnsupportedLayer(f"{described}: a ReLU with a maximum, a slope or a threshold "
                                   "is not supported", name, kind)
        return Layer(name, "pass", kind, activation=_activation(activation),
                     options={"flatten": kind == "Flatten"})
    raise UnsupportedLayer(f"{described} is not supported by the conversion; the supported "
                           f"layers are {_SUPPORTED}", name, kind)


def _activation(value):
    if isinstance(value, dict):              # a serialized activation object
        value = value.get("config", {}).get("name") or value.get("class_name")
    return "linear" if value in (None, "linear") else str(value)


def _kernel(described, settings, weights):
    if not weights:
        raise ConversionError(f"{described}: the file holds no weights for it")
    kernel = weights[0]
    if settings.get("use_bias", True) and len(weights) > 1 and np.any(weights[1] != 0):
        raise ConversionError(f"{described} has a bias; the conversion needs layers without "
                              "bias (use_bias=False)")
    return np.asarray(kernel, dtype=np.float64)
