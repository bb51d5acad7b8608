"""Live control of a running network in Jupyter (``annbook.widgets.control``)."""

from .jupyter.widgets import LiveControl, control

__all__ = ["control", "LiveControl"]
