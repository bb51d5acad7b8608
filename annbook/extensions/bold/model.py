"""``BoldModel``: a hemodynamic model written like a rate-coded neuron."""

import re

from ...core.neuron import Neuron
from ...errors import ModelError

__all__ = ["BoldModel"]


class BoldModel(Neuron):
    """A model turning neural input signals into a BOLD signal, for ``BoldMonitor``.

    It is written as a rate-coded neuron whose inputs are weighted sums: each name of
    ``inputs`` must be read as ``sum(name)`` in the equations (a monitor's ``mapping``
    sends a population variable there). ``output`` names the variables a monitor records
    by default. The model needs no ``r``: one that nothing changes is added, as in the
    reference.

    Parameters
    ----------
    parameters, equations : str
        As for a ``Neuron`` (time is in ms: hemodynamic constants given per second are
        divided by 1000 in the equations).
    inputs : str or list of str
        The targets the model reads, e.g. ``'I_CBF'`` or ``['I_CBF', 'I_CMRO2']``.
    output : str or list of str
        The variables recorded by default (``'BOLD'``).
    name, description : str
        As for a ``Neuron``.
    """

    _implicit_r = True

    def __init__(self, parameters, equations, inputs, output=["BOLD"],
                 name="Custom BOLD model", description=""):
        super().__init__(parameters=parameters, equations=equations, name=name,
                         description=description)
        self._inputs = _names(self.name, "inputs", inputs)
        self._output = _names(self.name, "output", output)
        self._check_inputs_and_outputs()

    def _check_inputs_and_outputs(self):
        description = self._describe()
        read = set()
        for definition in description.definitions:
            read.update(_SUM.findall(definition.rhs))
        for target in self._inputs:
            if target not in read:
                raise ModelError(self.name, f"the input '{target}' is never read: the "
                                 f"equations have no sum({target})", None,
                                 f"an equation such as '{target} = sum({target})', or remove "
                                 f"'{target}' from inputs", field="equations")
        for variable in self._output:
            attribute = description.attribute(variable)
            if attribute is None or attribute.kind != "variable":
                raise ModelError(self.name, f"the output '{variable}' is not a variable of the "
                                 "model", None, "the name of a variable defined in the "
                                 f"equations: {description.variables}", field="equations")


_SUM = re.compile(r"\bsum\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)")


def _names(model, what, value):
    """One name or a list of names, as a new list."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, (list, tuple)) or not names or \
            not all(isinstance(n, str) and n.isidentifier() for n in names):
        raise ModelError(model, f"'{what}' must be a name or a list of names, got {value!r}",
                         None, "e.g. 'I_CBF' or ['I_CBF', 'I_CMRO2']", field=what)
    return list(names)
