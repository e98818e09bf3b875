"""Stage 2 — tokenize: the normalized text → a list of :class:`Token`, left to right.

One pass of the master regex compiled from ``data/patterns/tokens.yaml``. Tokens never overlap;
where two patterns could start at the same position the one listed first in the file wins. Text
between tokens (the *gap*) is not a token: the grammar reads connectors (、 和 及 至 …) and bare law
names from it. Every pattern is bounded, so a pass is linear in the length of the text.
"""
from __future__ import annotations

from dataclasses import dataclass

from citex.patterns import GRAMMAR, Grammar

__all__ = ["Token", "tokenize"]


@dataclass(frozen=True, slots=True)
class Token:
    """A token: ``kind`` (a token name of tokens.yaml), its span ``[start, end)`` in the
    normalized text, the matched ``text`` and its named ``fields`` (None when a group did not match)."""

    kind: str
    start: int
    end: int
    text: str
    fields: dict


def _field_table(grammar: Grammar) -> dict[str, tuple[tuple[str, str], ...]]:
    return {t.name: tuple((f, f"{t.name}__{f}") for f in t.fields) for t in grammar.tokens}


_FIELDS = _field_table(GRAMMAR)
_MASTER = GRAMMAR.master


def tokenize(text: str) -> list[Token]:
    """Split normalized ``text`` into tokens (see module docstring). ``text`` must already be
    normalized (:func:`citex.normalize.normalize`); offsets are into that text."""
    out: list[Token] = []
    fields_of = _FIELDS
    for m in _MASTER.finditer(text):
        kind = m.lastgroup
        groups = m.groupdict()
        fields = {short: groups[full] for short, full in fields_of[kind]}
        out.append(Token(kind, m.start(), m.end(), m.group(), fields))
    return out
