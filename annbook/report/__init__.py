"""report(): a description of the network as a LaTeX table set or a Markdown document.

``content.py`` gathers what the network holds (models with their parsed equations, values,
connectivity); ``tex.py`` and ``markdown.py`` write it (imported on call: ``import annbook``
stays fast). The file is replaced atomically.
"""

import os

from ..core import storage
from ..errors import NetworkError

__all__ = ["report"]


def report(filename="./report.tex", standalone=True, gather_subprojections=False, title=None,
           author=None, date=None, net_id=0):
    """Write a description of the network: LaTeX for ``.tex``, Markdown for ``.md``.

    The LaTeX follows the tables of Nordlie, Gewaltig & Plesser (2009), "Towards Reproducible
    Descriptions of Neuronal Network Models", PLoS Comput Biol 5(8): e1000456 (cite it when
    you publish them): model summary, populations, connectivity, neuron and synapse models
    with their equations, parameters with their current values, constants and functions,
    inputs, monitors. ``standalone=False`` writes only the tables, to ``\\input`` into a
    document that loads amsmath, array, longtable and xcolor (option ``table``). The Markdown
    holds the same content for pandoc (``pandoc report.md -o report.pdf``).

    ``gather_subprojections`` shows the projections between the same two populations, for the
    same target and synapse model, as one row. ``title``, ``author`` and ``date`` head the
    document. The folder of ``filename`` must exist.
    """
    from ..core.network import network_by_id
    from . import markdown, tex
    from .content import collect
    filename = os.fspath(filename)
    kind = storage.extension(filename)
    if kind not in (".tex", ".md"):
        raise NetworkError(f"report(): the file name must end with .tex (LaTeX) or .md "
                           f"(Markdown), got '{filename}'")
    network = network_by_id(net_id)
    described = collect(network, gather_subprojections, title, author, date)
    text = tex.render(described, standalone) if kind == ".tex" else markdown.render(described)
    with storage.atomic_file(filename, "report()") as handle:
        handle.write(text.encode("utf-8"))
