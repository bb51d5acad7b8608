"""PyTorch models as layers: an ``nn.Sequential`` (or a state dict of linear layers).

Modules are recognised by their class name, so this module imports torch only to read a
state dict from a file. Images are channels first in PyTorch; the layers come out channels
last (the geometry of the populations): convolution kernels are moved, and the first linear
layer after a flattened image has its inputs reordered from (channels, height, width) to
(height, width, channels).
"""

from collections.abc import Mapping

import numpy as np

from ...errors import ConversionError, UnsupportedLayer
from .layers import Layer, output_shape

__all__ = ["read_torch_model"]

_PASS = {"ReLU": "relu", "Identity": "linear", "Dropout": "linear", "Dropout2d": "linear",
         "Flatten": "linear", "Softmax": "softmax", "LogSoftmax": "softmax"}
_SUPPORTED = "Linear, Conv2d, MaxPool2d, AvgPool2d, ReLU, Flatten, Dropout, Softmax"


def _array(tensor):
    return np.asarray(tensor.detach().cpu().numpy() if hasattr(tensor, "detach") else tensor,
                      dtype=np.float64)


def _pair(value):
    return tuple(int(v) for v in value) if isinstance(value, (list, tuple)) else (int(value),) * 2


def read_torch_model(model, input_shape=None):
    """The layers (``Layer`` list, the input first) of a PyTorch model.

    ``model``: an ``nn.Sequential`` (nested Sequentials are flattened), a state dict of
    linear layers (``{'0.weight': ..., '2.weight': ...}``), or the path of a file holding
    one (read with ``torch.load(weights_only=True)``). ``input_shape`` is (channels, height,
    width) for images; a network of linear layers only needs none.
    """
    if isinstance(model, str):
        try:
            import torch
        except ImportError:
            raise ConversionError("reading a PyTorch file needs torch: pip install torch") from None
        model = torch.load(model, map_location="cpu", weights_only=True)
    if isinstance(model, Mapping):
        modules = _from_state_dict(model)
    elif hasattr(model, "named_children"):
        modules = list(_leaves("", model))
    else:
        raise ConversionError(f"load_pytorch_model(): expected an nn.Sequential or a state dict, "
                              f"got {type(model).__name__}")
    if not modules:
        raise ConversionError("load_pytorch_model(): the model has no layers")
    shape = _input_shape(modules, input_shape)
    layers = [Layer("input", "input", "input", shape=shape)]
    flattened = None                # the image shape a Flatten turned into a vector
    for name, module in modules:
        layer = _layer(name, module)
        if layer.kind == "dense" and flattened is not None:
            height, width, channels = flattened
            units = layer.weights.shape[0]
            if layer.weights.shape[1] == channels * height * width:
                layer.weights = layer.weights.reshape(units, channels, height, width) \
                    .transpose(0, 2, 3, 1).reshape(units, -1)
            flattened = None
        if layer.options.get("flatten") and len(shape) == 3:
            flattened = shape
        shape = output_shape(layer, shape)
        if layer.kind == "pass" and not layer.options["flatten"] and len(layers) > 1:
            _merge_activation(layers[-1], layer)       # as Keras' activation= of a layer
            continue
        layers.append(layer)
    return layers


def _merge_activation(before, layer):
    """An activation module applies to the layer before it (layer depths then count as in
    Keras, where the activation is an argument of the layer)."""
    if layer.activation != "linear":
        if before.activation != "linear":
            before.activation = f"{before.activation} then {layer.activation}"
        else:
            before.activation = layer.activation


def _leaves(prefix, module):
    children = list(module.named_children())
    if not children:
        yield prefix or type(module).__name__.lower(), module
    for name, child in children:
        yield from _leaves(f"{prefix}.{name}" if prefix else name, child)


class _Linear:
    """A linear layer known from its weight only (state dicts)."""

    def __init__(self, weight, bias):
        self.weight, self.bias = weight, bias


def _from_state_dict(state):
    modules = []
    for key in state:
        if not key.endswith(".weight"):
            continue
        name = key[:-len(".weight")]
        weight = _array(state[key])
        if weight.ndim != 2:
            raise ConversionError(f"layer '{name}' of the state dict has a weight of shape "
                                  f"{weight.shape}: a state dict does not say how convolutions "
                                  "are padded or where pooling happens; pass the nn.Sequential")
        modules.append((name, _Linear(weight, state.get(f"{name}.bias"))))
    return modules


def _input_shape(modules, input_shape):
    if input_shape is not None:
        shape = tuple(int(s) for s in np.atleast_1d(input_shape))
        if len(shape) == 3:
            return shape[1], shape[2], shape[0]        # channels last
        if len(shape) == 1:
            return shape
        raise ConversionError(f"load_pytorch_model(): input_shape must be (features,) or "
                              f"(channels, height, width), got {input_shape}")
    name, first = modules[0]
    if type(first).__name__ in ("Linear", "_Linear"):
        return (int(_array(first.weight).shape[1]),)
    raise ConversionError(f"load_pytorch_model(): the first layer '{name}' is a "
                          f"{type(first).__name__}: give input_shape=(channels, height, width)")


def _no_bias(name, kind, module):
    bias = getattr(module, "bias", None)
    if bias is not None and np.any(_array(bias) != 0):
        raise ConversionError(f"{kind} layer '{name}' has a bias; the conversion needs layers "
                              "without bias (bias=False)")


def _layer(name, module):
    kind = type(module).__name__
    if kind in ("Linear", "_Linear"):
        _no_bias(name, "Linear", module)
        return Layer(name, "dense", "Linear", weights=_array(module.weight))
    if kind == "Conv2d":
        _no_bias(name, kind, module)
        if _pair(module.dilation) != (1, 1) or module.groups != 1:
            raise UnsupportedLayer(f"Conv2d layer '{name}': dilated or grouped convolutions are "
                                   "not supported", name, kind)
        padding = module.padding
        if isinstance(padding, str):
            padding = "same" if padding == "same" else "valid"
        else:
            padding = _pair(padding)
        if getattr(module, "padding_mode", "zeros") != "zeros":
            raise UnsupportedLayer(f"Conv2d layer '{name}': only zero padding is supported",
                                   name, kind)
        return Layer(name, "conv", kind, weights=_array(module.weight).transpose(0, 2, 3, 1),
                     strides=_pair(module.stride), padding=padding)
    if kind in ("MaxPool2d", "AvgPool2d"):
        if any(_pair(module.padding)) or (kind == "MaxPool2d" and _pair(module.dilation) != (1, 1)):
            raise UnsupportedLayer(f"{kind} layer '{name}': padding and dilation are not "
                                   "supported", name, kind)
        size = _pair(module.kernel_size)
        strides = size if module.stride is None else _pair(module.stride)
        return Layer(name, "max_pool" if kind == "MaxPool2d" else "average_pool", kind,
                     size=size, strides=strides,
                     padding="same" if module.ceil_mode else "valid")
    if kind in _PASS:
        return Layer(name, "pass", kind, activation=_PASS[kind],
                     options={"flatten": kind == "Flatten"})
    raise UnsupportedLayer(f"{kind} layer '{name}' is not supported by the conversion; the "
                           f"supported layers are {_SUPPORTED}", name, kind)
