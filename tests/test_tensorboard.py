"""annbook.extensions.tensorboard.Logger: event files written through tensorboardX, read back
record by record (TFRecord framing, CRCs checked) with tensorboardX's own protobuf classes."""

import builtins
import io
import struct
import sys
from pathlib import Path

import numpy as np
import pytest

import annbook as ann
from annbook.extensions.tensorboard import Logger

tensorboardX = pytest.importorskip("tensorboardX")
from tensorboardX.proto import event_pb2, plugin_hparams_pb2  # noqa: E402
from tensorboardX.record_writer import masked_crc32c  # noqa: E402


def read_events(folder):
    """Every event of the event files of ``folder`` (not its sub-folders)."""
    events = []
    for path in sorted(Path(folder).glob("events.out.tfevents*")):
        data, position = path.read_bytes(), 0
        while position < len(data):
            header = data[position:position + 8]
            (length,) = struct.unpack("<Q", header)
            (header_crc,) = struct.unpack("<I", data[position + 8:position + 12])
            assert header_crc == masked_crc32c(header)
            record = data[position + 12:position + 12 + length]
            (record_crc,) = struct.unpack("<I", data[position + 12 + length:position + 16 + length])
            assert record_crc == masked_crc32c(record)
            events.append(event_pb2.Event.FromString(record))
            position += 16 + length
    return events


def summaries(folder):
    """[(step, summary value)] of the events that hold one."""
    return [(event.step, value) for event in read_events(folder) for value in event.summary.value]


def decoded(value):
    """An image summary's pixels (PNG decoded by matplotlib) as 0..255 integers."""
    import matplotlib.image
    pixels = matplotlib.image.imread(io.BytesIO(value.image.encoded_image_string), format="png")
    return np.round(pixels * 255).astype(int)


def test_scalars_histograms_and_parameters(tmp_path):
    with Logger(logdir=str(tmp_path), experiment="trial") as logger:
        for step, accuracy in enumerate([0.5, 0.75, 0.875]):
            logger.add_scalar("Accuracy", np.float64(accuracy), step)
        logger.add_scalars("Rates", {"first": 2.0, "second": np.int64(3)}, 7)
        logger.add_histogram("Weights", np.arange(10.0), 3)
        logger.add_parameters({"tau": 10.0, "size": np.int64(100), "rule": "hebb",
                               "plastic": True}, {"accuracy": 0.875})
    run = tmp_path / "trial"
    values = [(step, v.tag, v.simple_value) for step, v in summaries(run)
              if v.HasField("simple_value")]
    assert values == [(0, "Accuracy", 0.5), (1, "Accuracy", 0.75), (2, "Accuracy", 0.875)]
    histogram = [(step, v.histo) for step, v in summaries(run) if v.tag == "Weights"]
    assert len(histogram) == 1 and histogram[0][0] == 3
    histo = histogram[0][1]
    assert (histo.min, histo.max, histo.num, histo.sum) == (0.0, 9.0, 10, 45.0)
    assert histo.sum_squares == float(np.sum(np.arange(10.0) ** 2))
    # add_scalars: one sub-folder per curve, as tensorboardX writes them
    for name, expected in (("first", 2.0), ("second", 3.0)):
        [(step, value)] = summaries(run / "Rates" / name)
        assert (step, value.tag, value.simple_value) == (7, "Rates", expected)
    # add_parameters: the hparams plugin's session in a sub-folder of its own
    [session] = [p for p in run.iterdir() if p.is_dir() and p.name != "Rates"]
    plugin = {value.tag: value.metadata.plugin_data for _, value in summaries(session)}
    info = plugin_hparams_pb2.HParamsPluginData.FromString(
        plugin["_hparams_/session_start_info"].content).session_start_info
    assert info.hparams["tau"].number_value == 10.0
    assert info.hparams["size"].number_value == 100
    assert info.hparams["rule"].string_value == "hebb"
    assert info.hparams["plastic"].bool_value is True
    [(_, metric)] = [(s, v) for s, v in summaries(session) if v.tag == "accuracy"]
    assert metric.simple_value == 0.875


def test_images_and_figures(tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    grey = np.array([[0.0, 0.5], [1.0, 2.0]])            # values above 1 are white
    levels = np.array([[0, 255], [128, 64]], dtype=np.int64)
    colour = np.zeros((2, 3, 3))
    colour[0, 0] = [1.0, 0.0, 0.0]
    batch = np.stack([np.full((2, 2), 3.0), np.array([[1.0, 2.0], [3.0, 5.0]])])
    figure = plt.figure(figsize=(2, 1), dpi=50)
    plt.plot([0, 1], [0, 1])
    with Logger(logdir=str(tmp_path), experiment="images") as logger:
        logger.add_image("grey", grey, 1)
        logger.add_image("levels", levels, 2)
        logger.add_image("equalized", np.array([[2.0, 4.0], [6.0, 10.0]]), 3, equalize=True)
        logger.add_image("colour", colour, 4)
        logger.add_images("fields", batch, 5, equalize=True)
        logger.add_images("fields_apart", batch, 6, equalize=True, equalize_per_image=True)
        logger.add_figure("figure", figure, 7)
        logger.flush()
        assert summaries(tmp_path / "images")             # flush() wrote them already
    assert not plt.fignum_exists(figure.number)          # closed by default
    images = {value.tag: (step, value) for step, value in summaries(tmp_path / "images")}
    assert decoded(images["grey"][1])[..., 0].tolist() == [[0, 128], [255, 255]]
    assert decoded(images["levels"][1])[..., 0].tolist() == levels.tolist()
    assert decoded(images["equalized"][1])[..., 0].tolist() == [[0, 64], [128, 255]]
    pixels = decoded(images["colour"][1])
    assert pixels.shape[:3] == (2, 3, 3) and pixels[0, 0, :3].tolist() == [255, 0, 0]
    # a batch is one grid image; equalised over the whole batch, the first image is mid-grey
    whole, apart = decoded(images["fields"][1]), decoded(images["fields_apart"][1])
    assert whole[0, 0, 0] == 128 and apart[0, 0, 0] == 0
    step, value = images["figure"]
    assert step == 7 and (value.image.height, value.image.width) == (50, 100)


def test_bad_values_are_named(tmp_path):
    with Logger(logdir=str(tmp_path), experiment="bad") as logger:
        with pytest.raises(ann.ArgumentError, match="add_scalar\\('Accuracy'\\): expected a "
                                                    "number"):
            logger.add_scalar("Accuracy", "high", 1)
        with pytest.raises(ann.ArgumentError, match="the step must be an integer"):
            logger.add_scalar("Accuracy", 1.0, 1.5)
        with pytest.raises(ann.ArgumentError, match="takes a dict"):
            logger.add_scalars("Rates", [1.0, 2.0])
        with pytest.raises(ann.ShapeError, match="colour images have the shape"):
            logger.add_image("rgba", np.zeros((2, 2, 4)))
        with pytest.raises(ann.ShapeError, match="must have the shape"):
            logger.add_images("line", np.zeros(4))
        with pytest.raises(ann.ArgumentError, match="expected a Matplotlib figure"):
            logger.add_figure("figure", np.zeros((2, 2)))
        with pytest.raises(ann.ArgumentError, match="non-empty list or array of numbers"):
            logger.add_histogram("empty", [])
        with pytest.raises(ann.ArgumentError, match="a tag must be a non-empty string"):
            logger.add_scalar(3, 1.0)


def test_default_folder_and_missing_package(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    logger = Logger()
    logger.add_scalar("x", 1.0)
    logger.close()
    [run] = list((tmp_path / "runs").iterdir())
    assert run.name.endswith("_" + __import__("socket").gethostname())
    assert summaries(run)[0][1].simple_value == 1.0

    real_import = builtins.__import__

    def without_tensorboardx(name, *args, **kwargs):
        if name.startswith("tensorboardX"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "tensorboardX", raising=False)
    monkeypatch.setattr(builtins, "__import__", without_tensorboardx)
    with pytest.raises(ann.MissingDependency, match="pip install tensorboardX"):
        Logger(logdir=str(tmp_path))
