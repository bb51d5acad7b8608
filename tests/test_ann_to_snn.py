"""ANN-to-SNN conversion: Keras files read with h5py, PyTorch models, spiking accuracy."""

import os

import numpy as np
import pytest
from scipy import signal

import annbook as ann
from annbook.errors import ArgumentError, ConversionError, UnsupportedLayer
from annbook.extensions.ann_to_snn_conversion import ANNtoSNNConverter
from annbook.extensions.ann_to_snn_conversion.keras_files import read_keras_model
from annbook.extensions.ann_to_snn_conversion.layers import conv_geometry, pool_geometry
from annbook.extensions.convolution import Convolution, Pooling
from keras_layout import conv2d, dense, flatten, pooling, write_keras, write_legacy_h5

DATA = os.path.join(os.path.dirname(__file__), "data")
RELU = ann.Neuron(equations="r = pos(sum(exc))")
LINEAR = ann.Neuron(equations="r = sum(exc)")


# ------------------------------------------------------------------ data and training
def bars(count, rng):
    """8x8 images of four classes: a horizontal bar, a vertical bar, a diagonal, the other
    diagonal, at random places, with noise."""
    images = rng.uniform(0.0, 0.3, size=(count, 8, 8))
    labels = rng.integers(0, 4, size=count)
    for image, label in zip(images, labels):
        k = rng.integers(1, 7)
        if label == 0:
            image[k, :] = 1.0
        elif label == 1:
            image[:, k] = 1.0
        elif label == 2:
            np.fill_diagonal(image, 1.0)
        else:
            np.fill_diagonal(np.fliplr(image), 1.0)
    return images, labels


def train_dense(x, y, hidden, rng, steps=400, rate=0.5):
    """A relu network without biases (one hidden layer) trained with numpy on softmax
    cross-entropy; returns the Keras kernels (inputs, units)."""
    w1 = rng.normal(0, np.sqrt(2 / x.shape[1]), size=(x.shape[1], hidden))
    w2 = rng.normal(0, np.sqrt(2 / hidden), size=(hidden, 4))
    onehot = np.eye(4)[y]
    for _ in range(steps):
        h = np.maximum(x @ w1, 0)
        logits = h @ w2
        p = np.exp(logits - logits.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        grad = (p - onehot) / len(x)
        gh = grad @ w2.T * (h > 0)
        w2 -= rate * h.T @ grad
        w1 -= rate * x.T @ gh
    return w1, w2


def accuracy(predicted, labels):
    return float(np.mean(np.asarray(predicted) == labels))


# ------------------------------------------------------------------ reading Keras files
def test_real_keras_files_give_the_weights_keras_reports():
    expected = np.load(os.path.join(DATA, "keras_expected.npz"))
    for name in ("keras_functional.keras", "keras_functional.h5"):
        layers = read_keras_model(os.path.join(DATA, name))
        assert [layer.kind for layer in layers] == ["input", "conv", "conv", "max_pool", "pass",
                                                    "pass", "dense", "dense"]
        weighted = [layer for layer in layers if layer.weights is not None]
        np.testing.assert_array_equal(weighted[0].weights,
                                      np.moveaxis(expected["functional_0"], -1, 0))
        np.testing.assert_array_equal(weighted[2].weights, expected["functional_2"].T)
    layers = read_keras_model(os.path.join(DATA, "keras_sequential.keras"))
    assert [layer.name for layer in layers] == ["input_layer_1", "dense_2", "dense_3"]
    np.testing.assert_array_equal(layers[1].weights, expected["sequential_0"].T)


def rate_network(layers):
    """The layers as a rate-coded annbook network (relu neurons, the same geometry as the
    conversion), to compare with Keras' own outputs."""
    shape = layers[0].shape
    first = pre = ann.Population(shape, ann.Neuron(parameters="r = 0.0"))
    for layer in layers[1:]:
        if layer.kind == "conv":
            geometry, centres = conv_geometry(layer, shape)
            post = ann.Population(geometry, RELU)
            Convolution(pre, post, "exc").connect_filters(layer.weights, subsampling=centres)
        elif layer.kind == "max_pool":
            geometry, extent = pool_geometry(layer, shape)
            post = ann.Population(geometry, LINEAR)
            Pooling(pre, post, "exc").connect_pooling(extent=extent)
        elif layer.kind == "dense":
            geometry = (layer.weights.shape[0],)
            post = ann.Population(geometry, RELU if layer.activation == "relu" else LINEAR)
            ann.Projection(pre, post, "exc").connect_from_matrix(layer.weights)
        else:
            continue
        pre, shape = post, geometry
    return first, pre, len([layer for layer in layers if layer.kind != "pass"]) - 1


def test_the_layers_of_a_keras_file_compute_what_keras_computes():
    """Padding 'same' and 'valid', strides and pooling follow Keras' geometry exactly."""
    expected = np.load(os.path.join(DATA, "keras_expected.npz"))
    first, last, depth = rate_network(read_keras_model(os.path.join(DATA,
                                                                    "keras_functional.keras")))
    ann.compile()
    for sample, output in zip(expected["samples"], expected["outputs"]):
        first.r = sample
        ann.simulate(depth + 1)
        logits = last.r
        softmax = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
        np.testing.assert_allclose(softmax, output, rtol=1e-5, atol=1e-6)


def test_the_h5py_writer_uses_the_layout_of_keras(tmp_path):
    import io
    import zipfile

    import h5py
    expected = np.load(os.path.join(DATA, "keras_expected.npz"))
    path = os.path.join(DATA, "keras_sequential.keras")
    with zipfile.ZipFile(path) as archive:
        with h5py.File(io.BytesIO(archive.read("model.weights.h5"))) as real:
            real_paths = set()
            real.visit(real_paths.add)
    kernels = [expected["sequential_0"], expected["sequential_1"]]
    layers = [dense("dense_2", kernels[0]), dense("dense_3", kernels[1], "linear")]
    mine = str(tmp_path / "written.keras")
    write_keras(mine, (4,), layers, functional=False)
    with zipfile.ZipFile(mine) as archive:
        with h5py.File(io.BytesIO(archive.read("model.weights.h5"))) as written:
            written_paths = set()
            written.visit(written_paths.add)
    assert written_paths == real_paths
    np.testing.assert_array_equal(read_keras_model(mine)[1].weights, kernels[0].T)


# ------------------------------------------------------------------ conversion accuracy
@pytest.fixture(scope="module")
def bars_data():
    rng = np.random.default_rng(0)
    x_train, y_train = bars(400, rng)
    x_test, y_test = bars(60, rng)
    return x_train, y_train, x_test, y_test, rng


def test_dense_network_spikes_within_a_few_points_of_the_ann(tmp_path, bars_data):
    x_train, y_train, x_test, y_test, rng = bars_data
    w1, w2 = train_dense(x_train.reshape(400, -1), y_train, 24, rng)
    ann_accuracy = accuracy(np.argmax(np.maximum(x_test.reshape(60, -1) @ w1, 0) @ w2, 1), y_test)
    path = str(tmp_path / "dense.keras")
    write_keras(path, (64,), [dense("hidden", w1), dense("output", w2, "softmax")],
                functional=False)
    ann.setup(seed=1)
    converter = ANNtoSNNConverter(read_out="spike_count")
    network = converter.load_keras_model(path, show_info=False)
    assert converter.get_annarchy_network() is network
    predicted = converter.predict(x_test.reshape(60, -1), duration_per_sample=100)
    snn_accuracy = accuracy(predicted, y_test)
    assert ann_accuracy >= 0.9
    assert snn_accuracy >= ann_accuracy - 0.05, (snn_accuracy, ann_accuracy)
    first = ANNtoSNNConverter(read_out="time_to_first_spike")
    first.load_keras_model(path, show_info=False)
    assert accuracy(first.predict(x_test, duration_per_sample=100), y_test) >= ann_accuracy - 0.1


def bar_filters():
    """Four 3x3 detectors (horizontal, vertical, the two diagonals), Keras layout."""
    kernels = np.full((4, 3, 3), -0.25)
    kernels[0, 1, :] = kernels[1, :, 1] = 0.5
    np.fill_diagonal(kernels[2], 0.5)
    np.fill_diagonal(np.fliplr(kernels[3]), 0.5)
    return np.moveaxis(kernels, 0, -1)[:, :, None, :]      # (3, 3, 1, 4)


def conv_features(images, kernel):
    features = np.stack([np.maximum(signal.correlate(image, kernel[:, :, 0, f], mode="same"), 0)
                         for image in images for f in range(4)]).reshape(len(images), 4, 8, 8)
    pooled = features.reshape(len(images), 4, 4, 2, 4, 2).max(axis=(3, 5))
    return pooled.transpose(0, 2, 3, 1).reshape(len(images), -1)   # flattened channels last


def test_convolutional_network_spikes_within_a_few_points_of_the_ann(tmp_path, bars_data):
    x_train, y_train, x_test, y_test, rng = bars_data
    kernel = bar_filters()
    features = conv_features(x_train, kernel)
    onehot, w = np.eye(4)[y_train], np.zeros((features.shape[1], 4))
    for _ in range(300):                 # softmax regression on the pooled features
        logits = features @ w
        p = np.exp(logits - logits.max(1, keepdims=True))
        w -= 0.5 * features.T @ (p / p.sum(1, keepdims=True) - onehot) / len(features)
    ann_accuracy = accuracy(np.argmax(conv_features(x_test, kernel) @ w, 1), y_test)
    path = str(tmp_path / "conv.h5")
    write_legacy_h5(path, (8, 8, 1), [conv2d("conv", kernel), pooling("pool"), flatten(),
                                      dense("output", w, "softmax")])
    ann.setup(seed=2)
    converter = ANNtoSNNConverter()
    converter.load_keras_model(path, show_info=False)
    predicted = converter.predict(x_test[..., None], duration_per_sample=100)
    assert ann_accuracy >= 0.9
    assert accuracy(predicted, y_test) >= ann_accuracy - 0.05, (accuracy(predicted, y_test),
                                                                ann_accuracy)


def test_other_read_outs_and_encodings(tmp_path, bars_data, capsys):
    x_train, y_train, x_test, y_test, rng = bars_data
    w1, w2 = train_dense(x_train.reshape(400, -1), y_train, 16, rng, steps=200)
    path = str(tmp_path / "dense.keras")
    write_keras(path, (8, 8), [flatten(), dense("hidden", w1), dense("output", w2)])
    converter = ANNtoSNNConverter(read_out="membrane_potential")
    converter.load_keras_model(path)
    assert "Dense layer: hidden" in capsys.readouterr().out
    assert accuracy(converter.predict(x_test[:20], 50), y_test[:20]) >= 0.8
    counting = ANNtoSNNConverter(read_out="time_to_k_spikes", k=3)
    network = counting.load_keras_model(path, show_info=False)
    assert network.get_populations()[-1].k == 3
    assert all(len(p) >= 1 for p in counting.predict(x_test[:5], 50, multiple=True))
    bursting = ANNtoSNNConverter(input_encoding="IB")
    bursting.load_keras_model(path, show_info=False, scale_factor=[3.0, 4.0])
    assert len(bursting.predict(x_test[:3], 20)) == 3


def test_stop_condition_on_spiked_as_the_reference():
    neuron = ann.Neuron(parameters="vt = 1", equations="dv/dt = 0.1", spike="v > vt",
                        reset="v = 0")
    population = ann.Population(3, neuron, stop_condition="spiked: any")
    ann.compile()
    assert ann.simulate_until(100, population) == 11.0       # the reference's value


# ------------------------------------------------------------------ bad input
def test_unsupported_layers_and_models_are_named(tmp_path):
    kernel = np.ones((4, 2))
    path = str(tmp_path / "lstm.keras")
    write_keras(path, (4,), [("LSTM", {"name": "recurrent", "units": 2}, []),
                             dense("output", kernel)])
    with pytest.raises(UnsupportedLayer, match="LSTM layer 'recurrent' is not supported") as err:
        ANNtoSNNConverter().load_keras_model(path)
    assert err.value.layer == "recurrent" and err.value.layer_type == "LSTM"
    biased = str(tmp_path / "bias.keras")
    layer = dense("output", kernel)
    write_keras(biased, (4,), [("Dense", dict(layer[1], use_bias=True), [kernel, np.ones(2)])])
    with pytest.raises(ConversionError, match="'output' has a bias"):
        ANNtoSNNConverter().load_keras_model(biased)
    tanh = str(tmp_path / "tanh.keras")
    write_keras(tanh, (4,), [dense("hidden", np.ones((4, 3)), "tanh"),
                             dense("out", np.ones((3, 2)))])
    with pytest.raises(ConversionError, match="activation 'tanh'"):
        ANNtoSNNConverter().load_keras_model(tanh)
    pooled = str(tmp_path / "pool_last.keras")
    write_keras(pooled, (4, 4, 1), [pooling("pool")])
    with pytest.raises(ConversionError, match="must be a dense"):
        ANNtoSNNConverter().load_keras_model(pooled)
    import h5py
    weights_only = str(tmp_path / "weights.h5")
    with h5py.File(weights_only, "w") as store:
        store.create_group("dense")
    with pytest.raises(ConversionError, match="weights only"):
        ANNtoSNNConverter().load_keras_model(weights_only)
    with pytest.raises(ConversionError, match="no file"):
        ANNtoSNNConverter().load_keras_model(str(tmp_path / "missing.keras"))


def test_bad_converter_arguments():
    with pytest.raises(ArgumentError, match="unknown input encoding"):
        ANNtoSNNConverter(input_encoding="rate")
    with pytest.raises(ArgumentError, match="k=..."):
        ANNtoSNNConverter(read_out="time_to_k_spikes")
    with pytest.raises(ArgumentError, match="unknown read_out"):
        ANNtoSNNConverter(read_out="votes")
    with pytest.raises(ArgumentError, match=r"unknown argument\(s\) \['maxf'\]"):
        ANNtoSNNConverter(maxf=200)
    with pytest.raises(ann.NetworkError, match="load a model first"):
        ANNtoSNNConverter().predict(np.zeros((1, 4)))


# ------------------------------------------------------------------ PyTorch
def test_pytorch_sequential_converts_like_the_same_keras_model(tmp_path):
    torch = pytest.importorskip("torch")
    nn = torch.nn
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1, bias=False), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64, 4, bias=False))
    kernel = model[0].weight.detach().numpy().transpose(2, 3, 1, 0)      # Keras layout
    linear = model[4].weight.detach().numpy().reshape(4, 4, 4, 4)        # (out, C, H, W)
    keras_dense = linear.transpose(0, 2, 3, 1).reshape(4, 64).T           # channels last
    path = str(tmp_path / "same.keras")
    write_keras(path, (8, 8, 1), [conv2d("conv", kernel), pooling("pool"), flatten(),
                                  dense("output", keras_dense)])
    from_torch, from_keras = ANNtoSNNConverter(), ANNtoSNNConverter()
    torch_net = from_torch.load_pytorch_model(model, input_shape=(1, 8, 8), show_info=False)
    keras_net = from_keras.load_keras_model(path, show_info=False)
    conv_t, pool_t, dense_t = torch_net.projections
    conv_k, pool_k, dense_k = keras_net.projections
    np.testing.assert_allclose(conv_t.weights, conv_k.weights, rtol=1e-6)
    np.testing.assert_allclose(dense_t.connectivity_matrix(), dense_k.connectivity_matrix(),
                               rtol=1e-6)
    assert pool_t.extent == pool_k.extent
    assert [p.vt for p in torch_net.populations[1:]] == [p.vt for p in keras_net.populations[1:]]
    x = np.random.default_rng(0).uniform(size=(3, 1, 8, 8))
    ann.set_seed(3)
    np.random.seed(3)
    torch_net.set_seed(3)
    keras_net.set_seed(3)
    channels_last = x.transpose(0, 2, 3, 1)
    assert from_torch.predict(x, 30, multiple=True) == \
        from_keras.predict(channels_last, 30, multiple=True)


def test_pytorch_state_dict_of_linear_layers(tmp_path):
    torch = pytest.importorskip("torch")
    model = torch.nn.Sequential(torch.nn.Linear(6, 5, bias=False), torch.nn.ReLU(),
                                torch.nn.Linear(5, 3, bias=False))
    file = str(tmp_path / "state.pt")
    torch.save(model.state_dict(), file)
    network = ANNtoSNNConverter().load_pytorch_model(file, show_info=False)
    assert [p.size for p in network.get_populations()] == [6, 5, 3]
    conv = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3, bias=False))
    with pytest.raises(ConversionError, match="pass the nn.Sequential"):
        ANNtoSNNConverter().load_pytorch_model(conv.state_dict())
    with pytest.raises(UnsupportedLayer, match="LSTM layer '0'"):
        ANNtoSNNConverter().load_pytorch_model(torch.nn.Sequential(torch.nn.LSTM(3, 3)),
                                               input_shape=(3,))
