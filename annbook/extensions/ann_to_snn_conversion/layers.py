"""The layers of a trained feed-forward network, whatever file or framework they come from.

Readers (``keras_files``, ``torch_models``) turn a model into a list of ``Layer``: weights
channels last, as Keras keeps them (a dense kernel as (units, inputs), a convolution as
(filters, height, width, channels)), and what decides the geometry (strides, padding, pool
size). ``output_shape`` follows the shapes through the list.
"""

from dataclasses import dataclass, field

import numpy as np

from ...errors import ConversionError

__all__ = ["Layer", "output_shape", "conv_geometry", "pool_geometry", "ACTIVATIONS"]

# activations an integrate-and-fire neuron reproduces ('softmax' only where the read-out is)
ACTIVATIONS = ("relu", "linear")


@dataclass
class Layer:
    """One layer. ``kind``: 'input', 'dense', 'conv', 'max_pool', 'average_pool', or 'pass'
    (no neurons: flatten, dropout, activation). ``source`` is its class in the model."""

    name: str
    kind: str
    source: str
    weights: np.ndarray = None
    shape: tuple = None                  # the input layer's shape, channels last
    size: tuple = ()                     # pool size (pooling)
    strides: tuple = (1, 1)
    padding: object = "valid"            # 'valid', 'same' or (top, left) zeros (PyTorch)
    activation: str = "linear"
    options: dict = field(default_factory=dict)

    def describe(self):
        return f"{self.source} layer '{self.name}'"


def _spatial(shape, layer):
    if len(shape) != 3:
        raise ConversionError(f"{layer.describe()}: expects images (height, width, channels), "
                              f"but its input has the shape {shape}")
    return shape


def conv_geometry(layer, shape):
    """Output shape of a convolution and the pre coordinates of each output's centre."""
    height, width, channels = _spatial(shape, layer)
    filters, kh, kw, cin = layer.weights.shape
    if cin != channels:
        raise ConversionError(f"{layer.describe()}: its kernel reads {cin} channels, its input "
                              f"has {channels}")
    axes = []
    for size, k, stride, d in ((height, kh, layer.strides[0], 0), (width, kw, layer.strides[1], 1)):
        if layer.padding == "same":
            out = -(-size // stride)
            before = max((out - 1) * stride + k - size, 0) // 2
        elif layer.padding == "valid":
            out, before = (size - k) // stride + 1, 0
        else:
            before = layer.padding[d]
            out = (size + 2 * before - k) // stride + 1
        if out < 1:
            raise ConversionError(f"{layer.describe()}: a kernel of {k} does not fit an input of "
                                  f"{size}")
        axes.append(stride * np.arange(out) - before + (k - 1) // 2)
    rows, cols = np.meshgrid(*axes, indexing="ij")
    centres = np.stack([rows.ravel(), cols.ravel(), np.full(rows.size, (cin - 1) // 2)], axis=1)
    return (len(axes[0]), len(axes[1]), filters), centres


def pool_geometry(layer, shape):
    """Output shape and extent of a pooling layer (blocks that do not overlap)."""
    height, width, channels = _spatial(shape, layer)
    if tuple(layer.strides) != tuple(layer.size):
        raise ConversionError(f"{layer.describe()}: strides {tuple(layer.strides)} differ from "
                              f"the pool size {tuple(layer.size)}; pooling converts only "
                              "non-overlapping blocks")
    out = []
    for size, p in zip((height, width), layer.size):
        if layer.padding == "same":
            blocks = -(-size // p)
            if (blocks * p - size) // 2 > 0:
                raise ConversionError(f"{layer.describe()}: padding='same' shifts the blocks "
                                      f"of {p} on an input of {size}; use padding='valid'")
            if blocks * p != size and layer.kind == "average_pool":
                raise ConversionError(f"{layer.describe()}: an average over a partial block "
                                      f"(input {size}, pool {p}, padding='same') cannot be "
                                      "converted; use padding='valid'")
        else:
            blocks = size // p
        out.append(blocks)
    return (out[0], out[1], channels), (layer.size[0], layer.size[1], 1)


def output_shape(layer, shape):
    """Shape after ``layer`` of an input of ``shape``."""
    if layer.kind == "dense":
        inputs = int(np.prod(shape))
        if layer.weights.shape[1] != inputs:
            raise ConversionError(f"{layer.describe()}: its kernel reads {layer.weights.shape[1]} "
                                  f"inputs, the layer before gives {inputs} {tuple(shape)}")
        return (layer.weights.shape[0],)
    if layer.kind == "conv":
        return conv_geometry(layer, shape)[0]
    if layer.kind in ("max_pool", "average_pool"):
        return pool_geometry(layer, shape)[0]
    if layer.options.get("flatten"):
        return (int(np.prod(shape)),)
    return tuple(shape)
