"""A Report as Markdown: pipe tables and ``$...$`` math, for pandoc (``pandoc report.md -o
report.pdf``), JupyterLab or any viewer that typesets TeX math."""

import json

from .content import MATH

__all__ = ["render", "escape"]

_SPECIAL = set("\\`*_[]<>|$")


def escape(value):
    """Text with Markdown's special characters escaped."""
    return "".join("\\" + c if c in _SPECIAL else c for c in str(value))


def _cell(fragments):
    return "".join(f"${content}$" if kind == MATH else escape(content)
                   for kind, content in fragments)


def _table(header, rows):
    if not rows:
        return ""
    lines = ["| " + " | ".join(f"**{escape(h)}**" for h in header) + " |",
             "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _display(statement):
    if statement.latex:
        shown = f"$$\n{statement.latex}\n$$"
    else:
        shown = f"`{statement.source}`"
    if statement.notes:
        shown += f"\n\n({escape(', '.join(statement.notes))})"
    return shown + "\n"


def _model(model):
    parts = [f"## {escape(model.name)}\n"]
    if model.description:
        parts.append(escape(model.description) + "\n")
    users = "Populations" if model.kind == "neuron" else "Projections"
    parts.append(f"{users}: {escape(', '.join(model.used_by))}.\n")
    for title, attributes, first in (("Parameters", model.parameters, "Default value"),
                                     ("Variables", model.variables, "Initial value")):
        if attributes:
            parts.append(f"**{title}:**\n")
            parts.append(_table(["Name", first, "Locality", "Type"],
                                [[f"${a.symbol}$", _cell(a.init), escape(a.locality),
                                  escape(a.ctype)] for a in attributes]))
    if model.equations:
        label = "Subthreshold dynamics" if model.kind == "neuron" and model.spiking else \
            "Equations"
        parts.append(f"**{label}:**\n")
        parts.extend(_display(s) for s in model.equations)
    for title, statements in model.sections + ([("Functions", model.functions)]
                                               if model.functions else []):
        parts.append(f"**{escape(title)}:**\n")
        parts.extend(_display(s) for s in statements)
    return "\n".join(parts)


def _parameters(heading, groups):
    rows = []
    for owner, parameters in groups:
        for k, (symbol, value) in enumerate(parameters):
            rows.append([escape(owner) if k == 0 else "", _cell(symbol), _cell(value)])
    return f"## {heading}\n\n" + _table([heading.split()[0], "Name", "Value"], rows) \
        if rows else ""


def render(report):
    """The Markdown text of a Report (with a YAML title block, as pandoc reads it)."""
    parts = ["---", f"title: {json.dumps(report.title)}",
             f"author: {json.dumps(report.author)}", f"date: {json.dumps(report.date)}", "---",
             "", "# Structure of the network", ""]
    parts += [f"* {escape(label)}: {escape(value)}" for label, value in report.facts]
    parts.append("")
    sections = [
        ("## Summary", _table(["Item", "Description"],
                              [[escape(a), escape(b)] for a, b in report.summary])),
        ("## Populations", _table(["Population", "Neuron type", "Size"],
                                  [[_cell(c) for c in row] for row in report.populations])),
        ("## Projections", _table(["Source", "Destination", "Target", "Synapse type",
                                   "Pattern", "Synapses"],
                                  [[_cell(c) for c in row] for row in report.projections])),
        ("## Inputs", _table(["Name", "Type", "Description", "Size"],
                             [[_cell(c) for c in row] for row in report.inputs])),
        ("## Monitors", _table(["Recorded", "Variables", "Period"],
                               [[_cell(c) for c in row] for row in report.monitors])),
    ]
    parts += [f"{heading}\n\n{table}" for heading, table in sections if table]
    if report.functions:
        parts.append("## Functions\n")
        parts.extend(_display(s) for s in report.functions)
    for heading, models in (("# Neuron models", report.neurons),
                            ("# Synapse models", report.synapses)):
        if models:
            parts.append(f"{heading}\n")
            parts.extend(_model(m) for m in models)
    parts.append("# Parameters\n")
    if report.constants:
        parts.append("## Constants\n\n" + _table(["Name", "Value"],
                                                 [[_cell(a), _cell(b)]
                                                  for a, b in report.constants]))
    parts.append(_parameters("Population parameters", report.population_parameters))
    parts.append(_parameters("Projection parameters", report.projection_parameters))
    if not (report.constants or report.population_parameters or report.projection_parameters):
        parts.append("None.\n")
    return "\n".join(p for p in parts if p is not None) + "\n"
