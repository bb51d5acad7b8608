"""Exceptions raised by annbook.

Every exception annbook raises for bad input is an ``ANNarchyException`` (the
name of ANNarchy 4.8.2's, so that ``except ANNarchyException`` keeps working).
Where the reference lets a built-in error through (a duration that is not a
number, a feature it does not implement), the named class also derives from
that built-in one, so that ``except ValueError`` or ``except TypeError`` catch it
as before.
"""

__all__ = [
    "ANNarchyException",
    "InvalidConfiguration",
    "ModelError",
    "NetworkError",
    "CompilationError",
    "ShapeError",
    "ArgumentError",
    "StorageError",
    "UnsupportedFeature",
    "MissingDependency",
    "ConvolutionError",
    "ConversionError",
    "UnsupportedLayer",
    "NetworkRunError",
]


class ANNarchyException(Exception):
    """Base class of every model and network error raised by annbook."""


class InvalidConfiguration(ANNarchyException):
    """A setup option or argument combination that annbook cannot honour."""


class ModelError(ANNarchyException):
    """An error in a neuron or synapse description.

    The message names the model, quotes the offending line and says what is
    expected. The pieces are kept as attributes for tools: ``field`` is the
    argument of the model the line belongs to ('equations', 'spike'...) and
    ``lineno`` the line of that argument's text (from 1), when known.
    """

    def __init__(self, model, problem, line=None, expected=None, field=None, lineno=None):
        self.model = model
        self.line = line
        self.problem = problem
        self.expected = expected
        self.field = field
        self.lineno = lineno
        text = f"in model '{model}': {problem}"
        if line:
            text += f"\n    line: {line.strip()}"
        if expected:
            text += f"\n    expected: {expected}"
        super().__init__(text)


class NetworkError(ANNarchyException):
    """Misuse of populations, monitors or the simulation calls."""


class CompilationError(ANNarchyException):
    """The generated code could not be built.

    ``source`` is the path of the generated file, ``first_error`` the first
    error reported by Cython or the C compiler.
    """

    def __init__(self, message, source=None, first_error=None):
        self.message = message
        self.source = source
        self.first_error = first_error
        text = message
        if first_error:
            text += f"\n    first error: {first_error}"
        if source:
            text += f"\n    generated file: {source}"
        super().__init__(text)


class ShapeError(NetworkError, ValueError):
    """A value whose shape does not fit the population, view or attribute."""


class ArgumentError(NetworkError, TypeError, ValueError):
    """An argument of the wrong type or value, such as ``simulate(float("nan"))``."""


class StorageError(NetworkError, OSError):
    """A file that cannot be written or read back (save, load, save_parameters...)."""


class UnsupportedFeature(ANNarchyException, NotImplementedError):
    """A part of the ANNarchy 4.8.2 API that annbook does not provide (yet)."""


class MissingDependency(ANNarchyException, ImportError):
    """An optional package that a feature needs is not installed; the message names it and
    the command that installs it."""


class ConvolutionError(NetworkError, ValueError):
    """A filter, pooling extent or copied projection that does not fit the populations of a
    shared-weight projection (``annbook.extensions.convolution``)."""


class ConversionError(ANNarchyException, ValueError):
    """A trained network that cannot become a spiking one: a malformed or unknown model file,
    a bias, an activation the conversion cannot reproduce, a shape that does not fit."""


class UnsupportedLayer(ConversionError):
    """A layer of a trained network that the ANN-to-SNN conversion does not support.

    ``layer`` is its name, ``layer_type`` its class (``'LSTM'``, ``'BatchNormalization'``...).
    """

    def __init__(self, message, layer=None, layer_type=None):
        self.layer = layer
        self.layer_type = layer_type
        super().__init__(message)


class NetworkRunError(ANNarchyException):
    """A network of ``parallel_run()`` failed: its method raised, or its process died.

    ``index`` is the network's position in the sweep, ``worker_traceback`` the
    traceback in the process that ran it (None when the process died), and
    ``exception`` the original exception when it could be sent back.
    """

    def __init__(self, index, problem, worker_traceback=None, exception=None):
        self.index = index
        self.problem = problem
        self.worker_traceback = worker_traceback
        self.exception = exception
        text = f"parallel_run(): network {index} failed: {problem}"
        if worker_traceback:
            text += "\n\nTraceback in the process that ran it:\n" + worker_traceback.rstrip()
        super().__init__(text)

    def __reduce__(self):
        return type(self), (self.index, self.problem, self.worker_traceback, self.exception)
