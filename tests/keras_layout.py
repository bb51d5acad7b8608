"""Writes Keras model files with h5py in the layouts Keras 3 uses (no Keras needed).

``.keras``: a zip of ``metadata.json``, ``config.json`` and ``model.weights.h5`` (variables of
a layer under ``layers/<snake-case class name>[_n]/vars/<i>``, the InputLayer counted for
functional models only); legacy ``.h5``: the ``model_config`` attribute and
``model_weights/<layer>/<layer>/<weight>`` datasets named by ``weight_names``. The layouts
were checked against files written by Keras 3.13 (``tests/data``).

A layer is ``(class_name, config, weights)``: the config as Keras writes it, the weights as
``layer.get_weights()`` returns them (a Dense kernel is (inputs, units), a Conv2D kernel
(height, width, channels, filters)).
"""

import io
import json
import re
import zipfile

import h5py
import numpy as np


def _snake(name):
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def _config(input_shape, layers, functional):
    entries = [{"module": "keras.layers", "class_name": "InputLayer",
                "config": {"batch_shape": [None, *input_shape], "dtype": "float32",
                           "name": "input_layer"}, "name": "input_layer"}]
    for class_name, config, _ in layers:
        entries.append({"module": "keras.layers", "class_name": class_name,
                        "config": dict(config), "name": config["name"]})
    if functional:
        for before, entry in zip(entries, entries[1:]):
            entry["inbound_nodes"] = [{"args": [{"class_name": "__keras_tensor__", "config": {
                "shape": [None], "dtype": "float32", "keras_history": [before["name"], 0, 0]}}],
                "kwargs": {}}]
        entries[0]["inbound_nodes"] = []
    model = {"module": "keras", "class_name": "Functional" if functional else "Sequential",
             "config": {"name": "functional" if functional else "sequential",
                        "trainable": True, "layers": entries}}
    if functional:
        model["config"]["input_layers"] = [["input_layer", 0, 0]]
        model["config"]["output_layers"] = [[entries[-1]["name"], 0, 0]]
    return model


def write_keras(path, input_shape, layers, functional=True):
    """A ``.keras`` archive of the model ``input -> layers``."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as store:
        store.create_group("vars").attrs["name"] = "functional" if functional else "sequential"
        counts = {}
        named = [("InputLayer", {"name": "input_layer"}, [])] if functional else []
        for class_name, config, weights in named + list(layers):
            base = _snake(class_name)
            n = counts.get(base, 0)
            counts[base] = n + 1
            group = store.create_group(f"layers/{base}" + (f"_{n}" if n else "") + "/vars")
            group.attrs["name"] = config["name"]
            for i, w in enumerate(weights):
                group[str(i)] = np.asarray(w, dtype=np.float32)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.13.0"}))
        archive.writestr("config.json", json.dumps(_config(input_shape, layers, functional)))
        archive.writestr("model.weights.h5", buffer.getvalue())


def write_legacy_h5(path, input_shape, layers, functional=True):
    """The legacy HDF5 file (``model.save('x.h5')``) of the model ``input -> layers``."""
    with h5py.File(path, "w") as store:
        store.attrs["keras_version"] = "3.13.0"
        store.attrs["backend"] = "numpy"
        store.attrs["model_config"] = json.dumps(_config(input_shape, layers, functional))
        weights_group = store.create_group("model_weights")
        names = ["input_layer"] + [config["name"] for _, config, _ in layers]
        weights_group.attrs["layer_names"] = np.array(names, dtype=h5py.string_dtype())
        weights_group.create_group("input_layer").attrs["weight_names"] = np.array([])
        for class_name, config, weights in layers:
            name = config["name"]
            group = weights_group.create_group(name)
            keys = [f"{name}/{key}" for key in ("kernel", "bias")[:len(weights)]]
            group.attrs["weight_names"] = np.array(keys, dtype=h5py.string_dtype()) if keys \
                else np.array([])
            for key, w in zip(keys, weights):
                group[key] = np.asarray(w, dtype=np.float32)


def dense(name, kernel, activation="relu"):
    return ("Dense", {"name": name, "units": int(kernel.shape[1]), "activation": activation,
                      "use_bias": False}, [kernel])


def conv2d(name, kernel, padding="same", strides=(1, 1), activation="relu"):
    return ("Conv2D", {"name": name, "filters": int(kernel.shape[-1]),
                       "kernel_size": list(kernel.shape[:2]), "strides": list(strides),
                       "padding": padding, "data_format": "channels_last",
                       "dilation_rate": [1, 1], "groups": 1, "activation": activation,
                       "use_bias": False}, [kernel])


def pooling(name, size=(2, 2), kind="MaxPooling2D"):
    return (kind, {"name": name, "pool_size": list(size), "strides": list(size),
                   "padding": "valid", "data_format": "channels_last"}, [])


def flatten(name="flatten"):
    return ("Flatten", {"name": name, "data_format": "channels_last"}, [])
