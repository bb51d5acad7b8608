"""The notebook layer: ``%load_ext annbook`` registers the ``%%neuron`` / ``%%synapse``
cell magics and the rich display of annbook's objects; live controls and live plots
(``annbook.widgets``).

Nothing in the core imports this package; ``annbook`` registers the display when it is
imported inside IPython.
"""

__all__ = ["load_ipython_extension", "unload_ipython_extension"]


def load_ipython_extension(ipython):
    """Register the cell magics and the HTML display in an IPython shell."""
    from .display import register
    from .magics import ModelMagics
    ipython.register_magics(ModelMagics)
    register(ipython)


def unload_ipython_extension(ipython):
    """Remove the cell magics and the HTML display (``%unload_ext annbook``)."""
    from .display import unregister
    cell_magics = ipython.magics_manager.magics["cell"]
    for name in ("neuron", "synapse"):
        cell_magics.pop(name, None)
    unregister(ipython)
