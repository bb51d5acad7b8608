"""A Report as LaTeX: the tables of Nordlie et al. (2009), A (summary) to H (measurements).

Tables are ``longtable`` s (they continue on the next page), equations inline math in
paragraph columns (long ones break after an operator). A standalone file compiles with
``pdflatex`` and the packages of ``texlive-latex-base`` and ``texlive-latex-recommended``;
a file to ``\\input`` needs ``amsmath``, ``array``, ``longtable`` and ``xcolor`` (option
``table``) in the including document.
"""

from .content import MATH

__all__ = ["render", "escape"]

_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
            "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
            "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}",
            "|": r"\textbar{}", "→": r"$\rightarrow$"}

PREAMBLE = r"""\documentclass[a4paper,10pt]{article}
\usepackage[utf8]{inputenc}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath}
\usepackage{array}
\usepackage{longtable}
\usepackage[table]{xcolor}
\setlength{\parindent}{0pt}
\renewcommand{\arraystretch}{1.3}
"""
MACROS = r"""\providecommand{\annbookheader}[3]{\rowcolor{black!85}\multicolumn{#1}{|l|}{%
  \color{white}\textbf{#2}\hspace{1.5em}\textbf{#3}}\\ \hline}
"""


def escape(value):
    """Text with LaTeX's special characters escaped."""
    return "".join(_SPECIAL.get(c, c) for c in str(value))


def _cell(fragments):
    return "".join(f"${content}$" if kind == MATH else escape(content)
                   for kind, content in fragments)


def _statement(statement):
    shown = (r"$\displaystyle " + statement.latex + "$") if statement.latex else \
        r"\texttt{" + escape(statement.source) + "}"
    if statement.notes:
        shown += r"\quad{\footnotesize (" + escape(", ".join(statement.notes)) + ")}"
    return shown


def _lines(items):
    return r" \newline ".join(items)


def _equations(statements):
    """Statements one per paragraph, spaced so that fractions do not touch."""
    return r"\par\smallskip ".join(_statement(s) for s in statements)


def _table(letter, title, widths, header, rows):
    """A longtable with the black title row, an optional header row, then the rows.

    ``widths`` are relative; they are scaled so that the table, column padding included,
    spans the line.
    """
    scale = (1.0 - 0.027 * len(widths)) / sum(widths)
    columns = "|" + "|".join(rf">{{\raggedright\arraybackslash}}p{{{w * scale:.3f}\linewidth}}"
                             for w in widths) + "|"
    lines = [rf"\begin{{longtable}}{{{columns}}}\hline"]
    if letter:
        lines.append(rf"\annbookheader{{{len(widths)}}}{{{letter}}}{{{escape(title)}}}")
    if header:
        lines.append(" & ".join(rf"\textbf{{{escape(h)}}}" for h in header) + r" \\ \hline")
    for row in rows:
        lines.append(" & ".join(row) + r" \\ \hline")
    if not rows and not header:
        lines.append(" & ".join(["---"] + [""] * (len(widths) - 1)) + r" \\ \hline")
    lines.append(r"\end{longtable}")
    return "\n".join(lines) + "\n"


def _pairs(letter, title, pairs):
    return _table(letter, title, (0.22, 0.70), None,
                  [[rf"\textbf{{{escape(label)}}}", value] for label, value in pairs])


def _attributes(attributes, variables):
    items = []
    for attr in attributes:
        what = ("initial value " if variables else "") + _cell(attr.init)
        items.append(f"${attr.symbol}$: {what}, {escape(attr.locality)}, {escape(attr.ctype)}")
    return _lines(items)


def _model(model, letter, title):
    used = "Populations" if model.kind == "neuron" else "Projections"
    pairs = [("Name", escape(model.name))]
    if model.description:
        pairs.append(("Description", escape(model.description)))
    pairs.append((used, escape(", ".join(model.used_by))))
    if model.parameters:
        pairs.append(("Parameters", _attributes(model.parameters, variables=False)))
    if model.variables:
        pairs.append(("Variables", _attributes(model.variables, variables=True)))
    if model.equations:
        label = "Subthreshold dynamics" if model.kind == "neuron" and model.spiking else \
            "Equations"
        pairs.append((label, _equations(model.equations)))
    for section, statements in model.sections:
        pairs.append((section, _equations(statements)))
    if model.functions:
        pairs.append(("Functions", _equations(model.functions)))
    return _pairs(letter, title, pairs)


def _models(models, letter, title):
    if not models:
        return _pairs(letter, title, [("Models", "---")])
    return "".join(_model(m, letter if k == 0 else None, title) for k, m in enumerate(models))


def _parameters(report):
    parts = [_table("F", "Parameters", (0.45, 0.47), ["Constant", "Value"],
                    [[_cell(symbol), _cell(value)] for symbol, value in report.constants]
                    or [["---", ""]])]
    if report.functions:
        parts.append(_pairs(None, "", [("Functions", _equations(report.functions))]))
    for owner_kind, groups in (("Population", report.population_parameters),
                               ("Projection", report.projection_parameters)):
        if not groups:
            continue
        rows = []
        for owner, parameters in groups:
            for k, (symbol, value) in enumerate(parameters):
                rows.append([escape(owner) if k == 0 else "", _cell(symbol), _cell(value)])
        parts.append(_table(None, "", (0.30, 0.30, 0.32), [owner_kind, "Parameter", "Value"],
                            rows))
    return "".join(parts)


def render(report, standalone=True):
    """The LaTeX text of a Report; ``standalone`` adds the preamble and the document."""
    body = [MACROS]
    if standalone:
        body.append(rf"\section*{{{escape(report.title)}}}" + "\n")
        byline = [escape(x) for x in (report.author, report.date) if x]
        if byline:
            body.append(r" \hfill ".join(byline) + "\n\n")
        body.append("\n\n".join(rf"\textbf{{{escape(k)}}}: {escape(v)}"
                                for k, v in report.facts) + "\n\n\\medskip\n")
    body.append(_pairs("A", "Model summary",
                       [(label, escape(value)) for label, value in report.summary]))
    body.append(_table("B", "Populations", (0.28, 0.34, 0.30), ["Name", "Elements", "Size"],
                       [[_cell(c) for c in row] for row in report.populations]))
    body.append(_table("C", "Connectivity", (0.12, 0.12, 0.08, 0.14, 0.30, 0.10),
                       ["Source", "Destination", "Target", "Synapse", "Pattern", "Synapses"],
                       [[_cell(c) for c in row] for row in report.projections]))
    body.append(_models(report.neurons, "D", "Neuron models"))
    body.append(_models(report.synapses, "E", "Synapse models"))
    body.append(_parameters(report))
    body.append(_table("G", "Input", (0.16, 0.22, 0.38, 0.14),
                       ["Name", "Type", "Description", "Size"],
                       [[_cell(c) for c in row] for row in report.inputs] or
                       [["---", "", "", ""]]))
    body.append(_table("H", "Measurements", (0.40, 0.34, 0.18),
                       ["Recorded", "Variables", "Period"],
                       [[_cell(c) for c in row] for row in report.monitors] or
                       [["---", "", ""]]))
    text = "\n".join(body)
    if standalone:
        return PREAMBLE + "\n\\begin{document}\n\n" + text + "\n\\end{document}\n"
    return text
