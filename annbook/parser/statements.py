"""Split a description string into statements and their flags.

A description is a multi-line string: one definition per line, ``;`` also
separates definitions, ``#`` starts a comment, and a conditional
(``if c: a else: b``) may span several lines. A line without an assignment that
starts with an operator (``+ baseline : implicit``), or that follows a line ending
with one, continues the definition above it, as in the reference. Flags follow
the last colon that is not part of a conditional.
"""

import re
from dataclasses import dataclass, field

__all__ = ["Statement", "split_statements", "split_top_level", "strip_comments"]

_IF = re.compile(r"\bif\b")
# a line starting with one of these continues the definition above it ...
_LEADING_OPERATOR = re.compile(r"^(?:[-+*/^%]|and\b|or\b)")
# ... and so does any line after one ending with one of these
_TRAILING_OPERATOR = re.compile(r"(?:[-+*/^%]|\band|\bor)$")


@dataclass
class Statement:
    """One definition: its text without flags, its flags, and where it came from."""

    text: str
    flags: list = field(default_factory=list)
    source: str = ""          # the line(s) as the user wrote them, for error messages
    lineno: int = None        # line of the description (from 1) where the statement starts


def split_top_level(text, sep):
    """Split on ``sep`` where it is outside parentheses and brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _strip_comment(line):
    return line.split("#", 1)[0].rstrip()


def strip_comments(text):
    """A condition or expression without its comments, its lines joined by spaces."""
    lines = [_strip_comment(line).strip() for line in str(text).splitlines()]
    return " ".join(line for line in lines if line)


def _unbalanced(text):
    return text.count("(") > text.count(")")


def _logical_lines(description):
    """Join physical lines into definitions (conditionals and open parentheses continue).

    Returns (definition, number of the line where it starts) pairs.
    """
    pieces = []
    for lineno, raw in enumerate(description.splitlines(), start=1):
        for part in split_top_level(_strip_comment(raw), ";"):
            if part.strip():
                pieces.append((part.strip(), lineno))
    lines = []
    for piece, lineno in pieces:
        if lines:
            prev = lines[-1][0]
            continues = (prev.rstrip().endswith(":") or _unbalanced(prev)
                         or piece.startswith("else") or piece.startswith("elif")
                         or prev.rstrip().endswith("else"))
            if continues:
                lines[-1] = (prev + " " + piece, lines[-1][1])
                continue
        lines.append((piece, lineno))
    return lines


def split_flags(text):
    """Return (definition, flags) for one logical line.

    Each ``if`` of a conditional owns two colons (after its condition and after
    its ``else``); a colon beyond those starts the flags.
    """
    eq = _assignment_position(text)
    head, rhs = (text[:eq + 1], text[eq + 1:]) if eq is not None else ("", text)
    segments = split_top_level(rhs, ":")
    owned = 2 * sum(1 for m in _IF.finditer(rhs)
                    if rhs[:m.start()].count("(") == rhs[:m.start()].count(")"))
    if len(segments) <= owned + 1:
        return text.strip(), []
    body = ":".join(segments[:owned + 1])
    flag_text = ":".join(segments[owned + 1:])
    flags = [f.strip() for f in split_top_level(flag_text, ",") if f.strip()]
    return (head + body).strip(), flags


def _assignment_position(text):
    """Position of the '=' that separates the left side, or None."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "=" and depth == 0:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if before in "=!<>" or after == "=":
                continue
            return i
        elif ch == ":" and depth == 0:
            return None
    return None


def split_statements(description):
    """Turn a description string into a list of Statement."""
    if not description:
        return []
    if not isinstance(description, str):
        raise TypeError(f"a description must be a string, got {type(description).__name__}")
    statements = []
    for line, lineno in _logical_lines(description):
        text, flags = split_flags(line)
        if statements and _continues(statements[-1].text, text):
            previous = statements[-1]
            previous.text += " " + text
            previous.flags += flags
            previous.source += " " + line
            continue
        statements.append(Statement(text=text, flags=flags, source=line, lineno=lineno))
    return statements


def _continues(previous, text):
    """Whether a definition without an assignment carries on the previous one."""
    if _assignment_position(text) is not None:
        return False
    return bool(_LEADING_OPERATOR.match(text) or _TRAILING_OPERATOR.search(previous))
