"""Split a description string into statements and their flags.

A description is a multi-line string: one definition per line, ``;`` also
separates definitions, ``#`` starts a comment, and a conditional
(``if c: a else: b``) may span several lines. Flags follow the last colon that
is not part of a conditional.
"""

from dataclasses import dataclass, field

__all__ = ["Statement", "split_statements", "split_top_level"]


@dataclass
class Statement:
    """One definition: its text without flags, its flags, and where it came from."""

    text: str
    flags: list = field(default_factory=list)
    source: str = ""          # the line(s) as the user wrote them, for error messages


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


def _unbalanced(text):
    return text.count("(") > text.count(")")


def _logical_lines(description):
    """Join physical lines into definitions (conditionals and open parentheses continue)."""
    pieces = []
    for raw in description.splitlines():
        for part in split_top_level(_strip_comment(raw), ";"):
            if part.strip():
                pieces.append(part.strip())
    lines = []
    for piece in pieces:
        if lines:
            prev = lines[-1]
            continues = (prev.rstrip().endswith(":") or _unbalanced(prev)
                         or piece.startswith("else") or piece.startswith("elif")
                         or prev.rstrip().endswith("else"))
            if continues:
                lines[-1] = prev + " " + piece
                continue
        lines.append(piece)
    return lines


def _conditional_end(segments, i):
    """Index of the first segment after the conditional starting at segments[i].

    ``if c: a else: b`` splits on colons into ``['if c', ' a else', ' b']``; the
    else branch may itself start another conditional.
    """
    if i + 2 >= len(segments):
        return None
    body = segments[i + 1].rstrip()
    if not body.endswith("else"):
        return None
    tail = segments[i + 2].strip()
    if tail.startswith("if ") or tail.startswith("if("):
        return _conditional_end(segments, i + 2)
    return i + 3


def split_flags(text):
    """Return (definition, flags) for one logical line."""
    eq = _assignment_position(text)
    head, rhs = (text[:eq + 1], text[eq + 1:]) if eq is not None else ("", text)
    segments = split_top_level(rhs, ":")
    if len(segments) == 1:
        return text.strip(), []
    first = segments[0].strip()
    if first.startswith("if ") or first.startswith("if("):
        end = _conditional_end(segments, 0)
        if end is None:
            return text.strip(), []          # malformed conditional: the parser reports it
        body = ":".join(segments[:end])
        flag_text = ":".join(segments[end:])
    else:
        body = segments[0]
        flag_text = ":".join(segments[1:])
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
    for line in _logical_lines(description):
        text, flags = split_flags(line)
        statements.append(Statement(text=text, flags=flags, source=line))
    return statements
