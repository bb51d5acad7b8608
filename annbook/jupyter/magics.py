"""The ``%%neuron NAME`` and ``%%synapse NAME`` cell magics.

The body of the cell is split into sections: a line ``section:`` at column 0
opens one, the indented lines under it are its text (dedented), and a short
section may sit on its header line (``spike: v > 1.0``). Each section is a
keyword argument of ``Neuron`` / ``Synapse``. The model is read at once (its
first reading, without sympy) so that a mistake stops the cell, with a short
message that points at the line of the cell; then it is bound to NAME in the
user namespace and displayed.
"""

import difflib
import inspect
import keyword
import re
import textwrap
from dataclasses import dataclass, field

from IPython.core import magic_arguments
from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, magics_class, no_var_expand

from ..core.neuron import Neuron
from ..core.synapse import Synapse
from ..errors import ModelError

__all__ = ["ModelMagics", "CellError", "NEURON_SECTIONS", "SYNAPSE_SECTIONS", "split_sections",
           "model_from_cell"]

_COMMON = {
    "parameters": "one 'name = value : flags' per line (flags: population, int, bool, ...)",
    "equations": "ODEs ('tau * dv/dt = ...') and assignments, one per line, with flags",
    "functions": "'name(x, y) = expression', one per line",
}
NEURON_SECTIONS = {
    **_COMMON,
    "spike": "condition that emits a spike (makes the neuron spiking), e.g. 'v > v_thresh'",
    "reset": "statements applied after a spike, e.g. 'v = v_reset'",
    "axon_spike": "condition of an axonal spike (no reset of the neuron)",
    "axon_reset": "statements applied after an axonal spike",
    "refractory": "refractory period: a number in ms or the name of a parameter",
    "description": "free text shown with the model",
}
SYNAPSE_SECTIONS = {
    **_COMMON,
    "psp": "rate-coded: what each synapse transmits (default 'w * pre.r')",
    "operation": "rate-coded: how the psp of a dendrite combine: sum (default), max, min, mean",
    "pre_spike": "spiking: statements run when the pre-synaptic neuron spikes, "
                 "e.g. 'g_target += w'",
    "post_spike": "spiking: statements run when the post-synaptic neuron spikes",
    "pre_axon_spike": "spiking: statements run on an axonal spike of the pre-synaptic neuron",
    "pruning": "condition to prune a synapse (structural plasticity)",
    "creating": "condition to create a synapse (structural plasticity)",
    "description": "free text shown with the model",
}
_MODELS = {"neuron": (Neuron, NEURON_SECTIONS), "synapse": (Synapse, SYNAPSE_SECTIONS)}
_HEADER = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:(.*)$")
_RED, _BOLD, _RESET = "\x1b[31m", "\x1b[1m", "\x1b[0m"
FIRST_BODY_LINE = 2           # the magic's own line is line 1 of the cell


class CellError(ModelError):
    """A mistake in a ``%%neuron`` / ``%%synapse`` cell, at a line of the cell.

    It is a ``ModelError`` (so "Run All" and nbclient stop at the cell) that IPython
    shows as a short message instead of a traceback. ``cell_lineno`` is the line
    of the cell (the magic's line is 1), ``cell_line`` its text.
    """

    def __init__(self, magic, model, cell_lineno, cell_line, problem, expected=None,
                 field=None, lineno=None):
        super().__init__(model, problem, cell_line, expected, field, lineno)
        self.magic = magic
        self.cell_lineno = cell_lineno
        self.cell_line = cell_line
        text = f"in %%{magic} {model}, line {cell_lineno} of the cell: {problem}"
        if cell_line is not None:
            text += f"\n    {cell_lineno:>4} | {cell_line}"
        if expected:
            text += f"\n    expected: {expected}"
        self.args = (text,)

    def _render_traceback_(self):
        """What IPython shows instead of a traceback: a few lines, the cell's line quoted."""
        lines = str(self).splitlines()
        lines[0] = f"{_RED}{_BOLD}ModelError{_RESET} {lines[0]}"
        return lines


@dataclass
class Section:
    """The text of one section and, for each of its lines, the line of the cell."""

    name: str
    header: int                                   # line of the cell holding 'name:'
    lines: list = field(default_factory=list)     # (line of the cell, text)

    @property
    def text(self):
        return "\n".join(text for _, text in self.lines)

    def cell_line(self, lineno):
        """Line of the cell of the section's line ``lineno`` (from 1); the header if unknown."""
        if lineno is None or not 1 <= lineno <= len(self.lines):
            return self.header
        return self.lines[lineno - 1][0]


def split_sections(magic, name, body, sections):
    """{section: Section} of a cell body; CellError for text outside a known section."""
    found, current, pending = {}, None, []
    cell_lines = body.splitlines()

    def fail(index, problem, expected):
        raise CellError(magic, name, index + FIRST_BODY_LINE, cell_lines[index], problem,
                        expected)

    def close():
        if current is not None:
            dedented = textwrap.dedent("\n".join(text for _, text in pending)).splitlines()
            current.lines += [(lineno, text) for (lineno, _), text in zip(pending, dedented)]

    for index, line in enumerate(cell_lines):
        comment = line.lstrip().startswith("#")
        if not line.strip() or comment:
            if current is not None:        # a comment at column 0 must not stop the dedent
                pending.append((index + FIRST_BODY_LINE, line if line[:1] in " \t" else ""))
            continue
        match = _HEADER.match(line)
        if current is None and (line[0] in " \t" or not match):
            fail(index, "text before the first section",
                 "a section header at column 0 first, e.g. 'equations:'")
        if line[0] in " \t":
            pending.append((index + FIRST_BODY_LINE, line))
            continue
        if not match:
            fail(index, "this line is not indented under a section header",
                 "indented lines under a header such as 'equations:', or a new header "
                 "'name:' at column 0")
        section = match.group(1)
        if section not in sections:
            close_matches = difflib.get_close_matches(section, sections, n=1)
            hint = f"did you mean '{close_matches[0]}'? " if close_matches else ""
            fail(index, f"unknown section '{section}'",
                 hint + "one of " + ", ".join(sections))
        if section in found:
            fail(index, f"the section '{section}' appears twice (first at line "
                        f"{found[section].header} of the cell)", "each section once")
        close()
        current, pending = Section(section, index + FIRST_BODY_LINE), []
        found[section] = current
        inline = match.group(2).strip()
        if inline:
            current.lines.append((current.header, inline))
    close()
    return found


def _value(section, text):
    """The keyword value of a section: numbers for refractory, text otherwise."""
    if section in ("refractory", "operation"):
        text = text.split("#", 1)[0].strip()
        if section == "refractory":
            try:
                return float(text)
            except ValueError:
                return text
        return text
    if section == "description":
        return text.strip()
    return text


def model_from_cell(magic, name, body):
    """The Neuron or Synapse of a cell, read at once; CellError at the line of the mistake."""
    cls, known = _MODELS[magic]
    sections = split_sections(magic, name, body, known)
    arguments = {section: _value(section, part.text) for section, part in sections.items()}
    try:
        model = cls(name=name, **arguments)
        model._describe()
    except ModelError as error:
        raise _located(magic, name, body, sections, error) from error
    return model


def _located(magic, name, body, sections, error):
    """The CellError of a model's error: the section's line it names, else the magic line."""
    section = sections.get(error.field)
    if section is None:
        cell_lineno, text = 1, None
    else:
        cell_lineno = section.cell_line(error.lineno)
        text = body.splitlines()[cell_lineno - FIRST_BODY_LINE]
    return CellError(magic, name, cell_lineno, text, error.problem, error.expected,
                     error.field, error.lineno)


def _documented(magic):
    """Fill the docstring's {sections} with the sections of the magic's model."""
    def decorate(function):
        width = max(len(name) for name in _MODELS[magic][1]) + 2
        listing = "\n".join(f"    {name + ':':<{width}} {help}"
                            for name, help in _MODELS[magic][1].items())
        function.__doc__ = inspect.cleandoc(function.__doc__).replace("{sections}", listing)
        return function
    return decorate


@magics_class
class ModelMagics(Magics):
    """``%%neuron`` and ``%%synapse``."""

    def _define(self, magic, function, line, cell):
        args = magic_arguments.parse_argstring(function, line)
        name = args.name
        if not name:
            raise UsageError(f"%%{magic} needs the name of the model: %%{magic} NAME, "
                             f"e.g. %%{magic} {'LIF' if magic == 'neuron' else 'Hebb'}")
        if not name.isidentifier() or keyword.iskeyword(name):
            raise UsageError(f"%%{magic} {name}: '{name}' is not a valid Python name; use "
                             "letters, digits and '_', not starting with a digit")
        model = model_from_cell(magic, name, cell)
        self.shell.push({name: model})
        return None if args.quiet else model

    @no_var_expand
    @magic_arguments.magic_arguments("%neuron")       # the usage line reads %%neuron
    @magic_arguments.argument("name", nargs="?", metavar="NAME",
                              help="the variable the Neuron is bound to (also its name)")
    @magic_arguments.argument("-q", "--quiet", action="store_true",
                              help="do not display the model")
    @_documented("neuron")
    @cell_magic
    def neuron(self, line, cell):
        """Define a Neuron from the sections of the cell and bind it to NAME.

        A line 'section:' at column 0 opens a section; the indented lines under it
        are its text. A short section may sit on its header line. The sections are
        the keyword arguments of annbook.Neuron:

        {sections}

        Example::

            %%neuron LIF
            parameters:
                tau = 10.0 : population
                I = 2.0
            equations:
                tau * dv/dt = I - v : init=0.0
            spike: v > 1.0
            reset: v = 0.0
            refractory: 5.0

        The cell is not variable-expanded ($x and {x} stay as written). A mistake
        stops the cell with the line of the cell it is on. Running the cell again
        replaces the model; populations created from the previous one keep it
        (create them again, after ann.clear() if the network was compiled).
        """
        return self._define("neuron", self.neuron, line, cell)

    @no_var_expand
    @magic_arguments.magic_arguments("%synapse")
    @magic_arguments.argument("name", nargs="?", metavar="NAME",
                              help="the variable the Synapse is bound to (also its name)")
    @magic_arguments.argument("-q", "--quiet", action="store_true",
                              help="do not display the model")
    @_documented("synapse")
    @cell_magic
    def synapse(self, line, cell):
        """Define a Synapse from the sections of the cell and bind it to NAME.

        A line 'section:' at column 0 opens a section; the indented lines under it
        are its text. A short section may sit on its header line. The sections are
        the keyword arguments of annbook.Synapse:

        {sections}

        Example::

            %%synapse Oja
            parameters:
                eta = 0.01 : projection
                alpha = 1.0 : projection
            equations:
                dw/dt = eta * (pre.r * post.r - alpha * post.r^2 * w) : min=0.0
            psp: w * pre.r

        The cell is not variable-expanded ($x and {x} stay as written). A mistake
        stops the cell with the line of the cell it is on. Running the cell again
        replaces the model; projections created from the previous one keep it.
        """
        return self._define("synapse", self.synapse, line, cell)
