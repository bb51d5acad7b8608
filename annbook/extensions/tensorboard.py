"""``Logger``: TensorBoard logs of a simulation (scalars, images, histograms, figures,
hyper-parameters), written by tensorboardX; TensorFlow is not needed.

    from annbook.extensions.tensorboard import Logger
    with Logger() as logger:                      # logs in runs/<date>_<host>
        for trial in range(100):
            simulate(1000.0)
            logger.add_scalar("Accuracy", accuracy, trial)

Then ``tensorboard --logdir runs`` shows them.
"""

import io
import os
import socket
from datetime import datetime
from numbers import Real

import numpy as np

from ..core.arguments import mapping
from ..errors import ArgumentError, MissingDependency, ShapeError, StorageError

__all__ = ["Logger"]


def _summary_writer():
    try:
        from tensorboardX import SummaryWriter
    except ImportError:
        raise MissingDependency("Logger: the TensorBoard logger needs the tensorboardX package; "
                                "install it with 'pip install tensorboardX'") from None
    return SummaryWriter


class Logger:
    """Writes TensorBoard event files for one run of a simulation.

    The run's folder is ``logdir/experiment``, or ``logdir/<date>_<hostname>`` without an
    experiment name (an existing experiment is appended to). Data are queued and written
    every 10 s, on ``flush()`` and on ``close()``; use the logger as a context manager
    (``with Logger() as logger:``) so that it is closed.

    Parameters
    ----------
    logdir : str
        Folder of the runs, created if needed (default ``runs/``).
    experiment : str
        Name of this run's sub-folder.
    """

    def __init__(self, logdir="runs/", experiment=None):
        writer = _summary_writer()
        self.logdir = logdir
        self.experiment = experiment
        if experiment:
            self.currentlogdir = os.path.join(logdir, experiment)
        else:
            stamp = datetime.now().strftime("%b%d_%H-%M-%S")
            self.currentlogdir = os.path.join(logdir, f"{stamp}_{socket.gethostname()}")
        try:
            os.makedirs(self.currentlogdir, exist_ok=True)
        except OSError as error:
            raise StorageError(f"Logger: cannot create the folder '{self.currentlogdir}': "
                               f"{error.strerror or error}") from None
        print("Logging in", self.currentlogdir)
        self._summary = writer(self.currentlogdir, comment="", purge_step=None, max_queue=10,
                               flush_secs=10, filename_suffix="", write_to_disk=True)

    def __repr__(self):
        return f"Logger writing in '{self.currentlogdir}'"

    # ------------------------------------------------------------ values
    def add_scalar(self, tag, value, step=None):
        """Log one number under ``tag`` at ``step`` (e.g. an accuracy per trial)."""
        self._summary.add_scalar(_tag(tag), _number(value, f"add_scalar('{tag}')"),
                                 global_step=_step(step))

    def add_scalars(self, tag, value, step=None):
        """Log several numbers ({name: value}) drawn in one plot ``tag``."""
        values = mapping(value, f"Logger.add_scalars('{tag}')")
        self._summary.add_scalars(_tag(tag), {str(name): _number(v, f"add_scalars('{tag}'): "
                                                                    f"'{name}'")
                                              for name, v in values.items()},
                                  global_step=_step(step))

    def add_histogram(self, tag, hist, step=None):
        """Log the distribution of values (a list or an array, e.g. the weights)."""
        values = np.asarray(hist, dtype=float).reshape(-1) if _numeric(hist) else None
        if values is None or values.size == 0:
            raise ArgumentError(f"Logger.add_histogram('{tag}'): expected a non-empty list or "
                                f"array of numbers, got {type(hist).__name__}")
        self._summary.add_histogram(_tag(tag), values, global_step=_step(step))

    def add_parameters(self, params, metrics):
        """Log the parameters of a run with its resulting metrics (once per run, at the end),
        to compare runs in TensorBoard's HPARAMS tab."""
        params = mapping(params, "Logger.add_parameters(): params")
        metrics = mapping(metrics, "Logger.add_parameters(): metrics")
        plain = {}
        for name, value in params.items():
            if isinstance(value, (bool, np.bool_, str)):
                plain[str(name)] = value.item() if isinstance(value, np.bool_) else value
            elif isinstance(value, (int, np.integer)):
                plain[str(name)] = int(value)
            else:
                plain[str(name)] = _number(value, f"add_parameters(): the parameter '{name}'")
        self._summary.add_hparams(plain, {str(name): _number(v, f"add_parameters(): the "
                                                               f"metric '{name}'")
                                          for name, v in metrics.items()})

    # ------------------------------------------------------------ images
    def add_image(self, tag, img, step=None, equalize=False):
        """Log one image: (height, width) grey levels or (height, width, 3) colours, floats in
        [0, 1] or integers in [0, 255]; ``equalize`` stretches the values to [0, 1]."""
        image = _pixels(tag, img, (2, 3))
        if image.ndim == 3 and image.shape[2] != 3:
            raise ShapeError(f"Logger.add_image('{tag}'): colour images have the shape "
                             f"(height, width, 3), got {image.shape}")
        if equalize:
            image = _stretched(image)
        self._summary.add_image(_tag(tag), _levels(image), global_step=_step(step),
                                dataformats="HW" if image.ndim == 2 else "HWC")

    def add_images(self, tag, img, step=None, equalize=False, equalize_per_image=False):
        """Log a batch of images (number, height, width) or (number, height, width, 3), e.g.
        receptive fields; ``equalize`` stretches the values to [0, 1] over the whole batch, or
        image by image with ``equalize_per_image``."""
        images = _pixels(tag, img, (3, 4))
        if images.ndim == 3:
            images = images[..., np.newaxis]
        if images.shape[3] not in (1, 3):
            raise ShapeError(f"Logger.add_images('{tag}'): expected (number, height, width) or "
                             f"(number, height, width, 3), got {images.shape}")
        if equalize:
            images = np.stack([_stretched(i) for i in images]) if equalize_per_image \
                else _stretched(images)
        self._summary.add_images(_tag(tag), _levels(images), global_step=_step(step),
                                 dataformats="NHWC")

    def add_figure(self, tag, figure, step=None, close=True):
        """Log a Matplotlib figure as an image (closed afterwards unless ``close=False``)."""
        if not hasattr(figure, "savefig"):
            raise ArgumentError(f"Logger.add_figure('{tag}'): expected a Matplotlib figure, got "
                                f"{type(figure).__name__}")
        import matplotlib.image
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")       # leaves the figure's own canvas alone
        buffer.seek(0)
        image = matplotlib.image.imread(buffer, format="png")[..., :3]
        if close:
            import matplotlib.pyplot as plt
            plt.close(figure)
        self._summary.add_image(_tag(tag), _levels(image), global_step=_step(step),
                                dataformats="HWC")

    # ------------------------------------------------------------ files
    def flush(self):
        """Write what is queued to the event files now."""
        self._summary.flush()

    def close(self):
        """Write what is queued and close the event files."""
        self._summary.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()


def _tag(tag):
    if not isinstance(tag, str) or not tag:
        raise ArgumentError(f"Logger: a tag must be a non-empty string such as 'Accuracy', got "
                            f"{tag!r}")
    return tag


def _step(step):
    if step is None:
        return None
    if isinstance(step, (bool, np.bool_)) or not isinstance(step, (int, np.integer)):
        if not (isinstance(step, (float, np.floating)) and float(step).is_integer()):
            raise ArgumentError(f"Logger: the step must be an integer (a trial, an epoch), got "
                                f"{step!r}")
    return int(step)


def _number(value, what):
    """A Python float of a number (or of an array holding one)."""
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(-1)[0]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
        raise ArgumentError(f"Logger.{what}: expected a number, got {value!r}")
    return float(value)


def _numeric(values):
    try:
        return np.asarray(values).dtype.kind in "biuf"
    except (TypeError, ValueError):
        return False


def _pixels(tag, img, dimensions):
    """The image as floats, 1 for white (integers are read as levels 0..255)."""
    if not _numeric(img):
        raise ArgumentError(f"Logger: the image '{tag}' must be an array of numbers, got "
                            f"{type(img).__name__}")
    image = np.asarray(img)
    if image.ndim not in dimensions:
        shapes = {(2, 3): "(height, width) or (height, width, 3)",
                  (3, 4): "(number, height, width) or (number, height, width, 3)"}[dimensions]
        raise ShapeError(f"Logger: the image '{tag}' must have the shape {shapes}, got "
                         f"{image.shape}")
    if image.dtype.kind in "biu":
        return image.astype(np.float64) / 255.0
    return image.astype(np.float64)


def _levels(image):
    """Floats in [0, 1] as 8-bit levels (values outside are clipped, NaN is black)."""
    return np.round(np.clip(np.nan_to_num(image), 0.0, 1.0) * 255.0).astype(np.uint8)


def _stretched(image):
    """Values rescaled to [0, 1] by their minimum and maximum (a flat image becomes 0)."""
    low, high = float(image.min()), float(image.max())
    return (image - low) / (high - low) if high > low else np.zeros_like(image)
