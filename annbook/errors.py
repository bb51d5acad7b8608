"""Exceptions raised by annbook.

The two public base classes keep the names of ANNarchy 4.8.2 so that code
written for it (``except ANNarchyException``) keeps working.
"""

__all__ = [
    "ANNarchyException",
    "InvalidConfiguration",
    "ModelError",
    "NetworkError",
    "CompilationError",
    "ShapeError",
    "NetworkRunError",
]


class ANNarchyException(Exception):
    """Base class of every model and network error raised by annbook."""


class InvalidConfiguration(ANNarchyException):
    """A setup option or argument combination that annbook cannot honour."""


class ModelError(ANNarchyException):
    """An error in a neuron or synapse description.

    The message names the model, quotes the offending line and says what is
    expected. The pieces are kept as attributes for tools.
    """

    def __init__(self, model, problem, line=None, expected=None):
        self.model = model
        self.line = line
        self.problem = problem
        self.expected = expected
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
