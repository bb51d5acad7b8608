"""ANNtoSNNConverter: a trained feed-forward network becomes a spiking one.

Layer by layer, as the reference (after Diehl et al., 2015, and the SNN Toolbox of Rueckauer
et al., 2017): the input is encoded in spikes (Poisson 'CPN', bursting 'IB', phase 'PSO'),
each dense, convolutional or pooling layer becomes a population of integrate-and-fire
neurons of the same geometry (channels last), dense layers receive the spikes of the layer
before (``g_exc += w``), convolutions and poolings its ``mask`` (a trace of its spikes). The
weights are normalised per layer (model-based normalisation: the largest sum of positive
weights onto one neuron becomes the layer's scale factor, 2, 3, ... by default). Thresholds
go down by 0.05 per layer depth. The class of a sample is read from the last layer: most
spikes ('spike_count'), first spike or first k spikes, or highest membrane potential.

Models come from Keras files (``.keras`` or ``.h5``, read with h5py: no TensorFlow) or
from PyTorch (an ``nn.Sequential`` or a state dict of linear layers).
"""

import numpy as np

from ...core.monitor import Monitor
from ...core.neuron import Neuron
from ...core.network import Network, global_network
from ...core.population import Population
from ...core.projection import Projection
from ...errors import ArgumentError, ConversionError, NetworkError
from ..convolution import Convolution, Pooling
from .keras_files import read_keras_model
from .layers import ACTIVATIONS, conv_geometry, output_shape, pool_geometry
from .models import INPUT_ENCODINGS, READ_OUTS, IaF, IaF_Acc, IaF_TTKS
from .torch_models import read_torch_model

__all__ = ["ANNtoSNNConverter"]

_NEURAL = ("dense", "conv", "max_pool", "average_pool")
_OPTIONS = ("k", "max_f")


class ANNtoSNNConverter:
    """Converts a trained feed-forward network (no biases; Dense, Conv2D, MaxPooling2D,
    AveragePooling2D, and layers without neurons such as Flatten, Dropout, ReLU) into a
    spiking network.

    ``input_encoding``: 'CPN' (Poisson, also 'poisson'), 'IB' or 'PSO', or a Neuron with
    a ``rates`` parameter and a ``mask`` variable. ``hidden_neuron``: 'IaF' or a Neuron
    (integrating ``g_exc``, with a ``mask``). ``read_out``: 'spike_count',
    'time_to_first_spike', 'time_to_k_spikes' (give ``k=``) or 'membrane_potential'.
    ``max_f`` (100 Hz): the firing rate of an input of 1.
    """

    def __init__(self, input_encoding="CPN", hidden_neuron="IaF", read_out="spike_count",
                 **kwargs):
        if isinstance(hidden_neuron, Neuron):
            self._hidden_neuron_model = hidden_neuron
        elif hidden_neuron == "IaF":
            self._hidden_neuron_model = IaF
        else:
            raise ArgumentError(f"ANNtoSNNConverter: hidden_neuron must be 'IaF' or a Neuron, got "
                                f"{hidden_neuron!r}")
        if isinstance(input_encoding, Neuron):
            self._input_model = input_encoding
        elif input_encoding in INPUT_ENCODINGS:
            self._input_model = INPUT_ENCODINGS[input_encoding]
        else:
            raise ArgumentError(f"ANNtoSNNConverter: unknown input encoding {input_encoding!r}; "
                                f"use one of {sorted(INPUT_ENCODINGS)} or a Neuron")
        if read_out not in READ_OUTS:
            raise ArgumentError(f"ANNtoSNNConverter: unknown read_out {read_out!r}; use one of "
                                f"{list(READ_OUTS)}")
        unknown = [key for key in kwargs if key not in _OPTIONS]
        if unknown:
            raise ArgumentError(f"ANNtoSNNConverter: unknown argument(s) {unknown}; the options "
                                f"are {list(_OPTIONS)}")
        if read_out == "time_to_k_spikes" and "k" not in kwargs:
            raise ArgumentError("ANNtoSNNConverter: read_out='time_to_k_spikes' needs the number "
                                "of spikes, k=...")
        self._input_encoding = input_encoding
        self._read_out = read_out
        self._k_param = kwargs.get("k")
        self._max_f = kwargs.get("max_f", 100)
        self._snn_network = None
        self._monitor = None
        self._input_geometry = None
        self._channels_first = False

    # ------------------------------------------------------------ loading
    def load_keras_model(self, filename, directory="annarchy", scale_factor=None,
                         show_info=True):
        """Builds and compiles the spiking network of a Keras model file (``.keras``, or the
        legacy ``.h5`` of ``model.save``), read with h5py; returns the Network.

        ``scale_factor``: one number for every layer, one per layer with weights or pooling,
        or None (2, 3, ... with the depth). ``directory`` is accepted as in the reference.
        """
        self._channels_first = False
        return self._build(read_keras_model(filename), directory, scale_factor, show_info)

    def load_pytorch_model(self, model, input_shape=None, directory="annarchy",
                           scale_factor=None, show_info=True):
        """As ``load_keras_model`` for a PyTorch ``nn.Sequential``, a state dict of linear
        layers, or the path of a file holding one. ``input_shape`` is (channels, height,
        width) for images; ``predict`` then takes samples channels first, as PyTorch."""
        layers = read_torch_model(model, input_shape)
        self._channels_first = len(layers[0].shape) == 3
        return self._build(layers, directory, scale_factor, show_info)

    def get_annarchy_network(self):
        """The Network of the last conversion (None before one)."""
        return self._snn_network

    # ------------------------------------------------------------ building
    def _build(self, layers, directory, scale_factor, show_info):
        neural = [i for i, layer in enumerate(layers) if layer.kind in _NEURAL]
        if not neural or layers[neural[-1]].kind != "dense":
            raise ConversionError("the last layer with neurons must be a dense (Dense/Linear) "
                                  "layer: it reads out the classes")
        _check_activations(layers, neural[-1])
        factors = _normalisation(layers, scale_factor)
        glob = global_network()
        if glob.compiled:
            raise NetworkError("ANNtoSNNConverter: the conversion creates its populations before "
                               "copying them into its own Network, which a compiled global "
                               "network refuses; convert first, or call clear()")
        created, lines = [], []
        try:
            last = self._create(layers, neural[-1], factors, created, lines)
            network = Network()
            network.add(created)
        finally:
            _forget(glob, created)
        self._monitor = Monitor(network.get(last), ["v", "spike"])
        network.compile(directory=directory, silent=True)
        self._snn_network = network
        self._input_geometry = tuple(layers[0].shape)
        if show_info:
            print("\n".join(lines))
        return network

    def _create(self, layers, readout, factors, created, lines):
        """Populations and projections of the layers (in the global network); returns the
        read-out population."""
        shape = tuple(layers[0].shape)
        pre = Population(geometry=shape, neuron=self._input_model, name=layers[0].name)
        created.append(pre)
        lines.append(f"* Input layer: {layers[0].name}, {shape}")
        weighted = 0
        for depth, layer in enumerate(layers[1:], start=1):
            if layer.kind not in _NEURAL:
                shape = output_shape(layer, shape)
                lines.append(f"* {layer.source} skipped.")
                continue
            factor = factors[weighted]
            weighted += 1
            shape, pop, proj = self._layer(layer, depth, shape, pre, factor, depth == readout)
            created += [pop, proj]
            lines.append(f"* {layer.source} layer: {layer.name}, {shape}")
            if layer.weights is not None:
                w = layer.weights * factor
                lines.append(f"    weights {w.shape}: mean {w.mean():.4g}, std {w.std():.4g}, "
                             f"min {w.min():.4g}, max {w.max():.4g}")
            pre = pop
        return pre

    def _layer(self, layer, depth, shape, pre, factor, readout):
        neuron, stop = self._hidden_neuron_model, None
        if readout:
            neuron, stop = {"membrane_potential": (IaF_Acc, None),
                            "time_to_first_spike": (self._hidden_neuron_model, "spiked: any"),
                            "time_to_k_spikes": (IaF_TTKS, "sc >= k: any")}.get(
                self._read_out, (neuron, None))
        geometry = output_shape(layer, shape)
        pop = Population(geometry=geometry, neuron=neuron, name=layer.name, stop_condition=stop)
        if readout and self._read_out == "time_to_k_spikes":
            pop.k = self._k_param
        if not readout and "vt" in pop.attributes:
            pop.vt = pop.vt - 0.05 * depth
        if layer.kind == "dense":
            proj = Projection(pre, pop, "exc", name=f"dense_proj_{depth}")
            proj.connect_from_matrix(layer.weights * factor)
        elif layer.kind == "conv":
            _, centres = conv_geometry(layer, shape)
            proj = Convolution(pre, pop, "exc", psp="pre.mask * w", name=f"conv_proj_{depth}")
            proj.connect_filters(layer.weights * factor, subsampling=centres)
        else:
            _, extent = pool_geometry(layer, shape)
            proj = Pooling(pre, pop, "exc", psp="pre.mask",
                           operation="max" if layer.kind == "max_pool" else "mean",
                           name=f"pool_proj_{depth}")
            proj.connect_pooling(extent=extent)
        return geometry, pop, proj

    # ------------------------------------------------------------ prediction
    def _inputs(self, samples):
        samples = np.asarray(samples, dtype=np.float64)
        geometry = self._input_geometry
        if self._channels_first:
            height, width, channels = geometry
            samples = samples.reshape(len(samples), channels, height, width).transpose(0, 2, 3, 1)
        if samples.ndim < 2 or samples[0].size != int(np.prod(geometry)):
            raise ArgumentError(f"predict(): each sample must hold {int(np.prod(geometry))} values "
                                f"(input shape {geometry}), got samples of shape {samples.shape}")
        return samples.reshape((len(samples),) + geometry)

    def predict(self, samples, duration_per_sample=1000, multiple=False):
        """Simulates each sample for ``duration_per_sample`` ms; returns the predicted class
        of each (a list of the tied classes with ``multiple=True``, otherwise one of them
        drawn at random)."""
        network = self._snn_network
        if network is None:
            raise NetworkError("predict(): load a model first (load_keras_model() or "
                               "load_pytorch_model())")
        samples = self._inputs(samples)
        populations = network.get_populations()
        first, last = populations[0], populations[-1]
        monitor = self._monitor
        try:
            from tqdm.auto import tqdm
            iterator = tqdm(range(len(samples)), disable=None)
        except ImportError:
            iterator = range(len(samples))
        predictions = []
        for i in iterator:
            network.reset(populations=True, monitors=True, projections=False)
            first.rates = samples[i] * self._max_f
            if self._read_out == "membrane_potential":
                network.simulate(duration_per_sample)
                potential = monitor.get("v")[-1]
                activity = np.asarray(potential).reshape(-1)
            else:
                if self._read_out in ("time_to_first_spike", "time_to_k_spikes"):
                    network.simulate_until(duration_per_sample, population=last)
                else:
                    network.simulate(duration_per_sample)
                spikes = monitor.get("spike")
                activity = np.zeros(last.size)
                for rank, times in spikes.items():
                    activity[rank] = len(times)
            tied = np.flatnonzero(activity == activity.max())
            predictions.append([int(c) for c in tied] if multiple else int(np.random.choice(tied)))
        return predictions


def _check_activations(layers, readout):
    """Integrate-and-fire neurons reproduce relu and linear units; a softmax only changes
    the output scale, so it may follow the read-out layer."""
    for index, layer in enumerate(layers[1:], start=1):
        allowed = ACTIVATIONS + (("softmax",) if index >= readout else ())
        if layer.activation not in allowed:
            raise ConversionError(f"{layer.describe()}: the activation '{layer.activation}' cannot "
                                  "be converted; spiking neurons reproduce relu and linear layers "
                                  "(softmax only at the read-out)")


def _normalisation(layers, scale_factor):
    """Factor of each layer with neurons (1 for poolings): the largest sum of positive
    weights onto one neuron becomes its scale."""
    neural = [layer for layer in layers if layer.kind in _NEURAL]
    if scale_factor is None:
        scales = np.arange(2, len(neural) + 2, dtype=float)
    elif np.ndim(scale_factor) == 0:
        scales = np.full(len(neural), float(scale_factor))
    else:
        scales = np.asarray(scale_factor, dtype=float).reshape(-1)
        if len(scales) != len(neural):
            raise ArgumentError(f"scale_factor: one value per layer with weights or pooling "
                                f"({len(neural)}), got {len(scales)}")
    factors = []
    for scale, layer in zip(scales, neural):
        if layer.weights is None:
            factors.append(1.0)
            continue
        w = layer.weights.reshape(layer.weights.shape[0], -1)
        largest = np.sum(np.clip(w, 0, None), axis=1).max()
        factors.append(scale / largest if largest > 0 else 1.0)
    return factors


def _forget(network, objects):
    """Takes the objects created for the conversion out of ``network`` (their copies live in
    the converter's own Network), so that their names are free again."""
    for obj in objects:
        for items in (network.populations, network.projections, network.monitors):
            if obj in items:
                items.remove(obj)
