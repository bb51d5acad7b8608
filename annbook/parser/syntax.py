"""Model expressions as Python syntax, without sympy.

A right-hand side is Python-like: ``^`` is a power and a conditional reads
``if c: a else: b``. ``python_syntax`` rewrites it as a Python expression and
``parse_expression`` returns its AST; the first reading of a model uses it to
reject syntax errors early, the second reading (``expressions.py``) and the
notebook's equation rendering walk the tree.
"""

import ast
import keyword
import re

from ..errors import ModelError

__all__ = ["conditional_to_ite", "python_syntax", "parse_expression", "original_text"]

_KEYWORD = re.compile(r"\b(if|else)\b")


def conditional_to_ite(text):
    """Rewrite ``if c: a else: b`` as ``ite(c, a, b)``; both branches may nest conditionals."""
    stripped = text.strip()
    if not (stripped.startswith("if ") or stripped.startswith("if(")):
        return text
    condition_end = _top_level(stripped, ":")
    if condition_end is None:
        raise SyntaxError("a conditional must read 'if condition: value else: value'")
    condition, rest = stripped[2:condition_end], stripped[condition_end + 1:]
    depth, split = 0, None
    for match in _KEYWORD.finditer(rest):
        if _inside_parentheses(rest, match.start()):
            continue
        if match.group(1) == "if":
            depth += 1
        elif depth == 0:
            split = match
            break
        else:
            depth -= 1
    if split is None:
        raise SyntaxError("a conditional must read 'if condition: value else: value'")
    then, otherwise = rest[:split.start()], rest[split.end():].lstrip()
    if not otherwise.startswith(":"):
        raise SyntaxError("'else' must be followed by ':'")
    return (f"ite({condition}, {conditional_to_ite(then)}, "
            f"{conditional_to_ite(otherwise[1:])})")


def _top_level(text, char):
    depth = 0
    for i, c in enumerate(text):
        depth += (c == "(") - (c == ")")
        if c == char and depth == 0:
            return i
    return None


def _inside_parentheses(text, position):
    return text[:position].count("(") > text[:position].count(")")


# sum(in): a target named like a Python keyword would not parse; it is renamed for the AST
_KEYWORD_TARGET = re.compile(r"\bsum\s*\(\s*(" + "|".join(keyword.kwlist) + r")\s*\)")
_KEYWORD_PREFIX = "_keyword_"


def python_syntax(text):
    """The Python expression of a model expression (conditionals as ite, ``^`` as ``**``,
    keyword-named targets renamed).

    Raises SyntaxError for a malformed conditional.
    """
    text = conditional_to_ite(text)
    text = _KEYWORD_TARGET.sub(lambda m: f"sum({_KEYWORD_PREFIX}{m.group(1)})", text)
    return text.replace("^", "**").replace("\n", " ").strip()


def original_text(text):
    """Text of a parsed expression as the user wrote it (keyword targets restored)."""
    return text.replace(_KEYWORD_PREFIX, "")


def parse_expression(model, text, line):
    """The AST (``ast.Expression``) of one model expression; ModelError on a syntax error.

    ``line`` is the statement quoted in the error message.
    """
    try:
        return ast.parse(python_syntax(text), mode="eval")
    except SyntaxError as err:
        raise ModelError(model, f"syntax error in '{text.strip()}' ({err.msg})", line,
                         "a Python-like expression: + - * / ^, functions, comparisons, "
                         "'if c: a else: b'") from None
