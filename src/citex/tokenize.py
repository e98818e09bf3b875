"""Stage 2 — tokenize: the normalized text → a list of :class:`Token`, left to right.

Each token pattern of ``data/patterns/tokens.yaml`` is searched for on its own (every pattern
begins with a literal or a character class, so the regex engine skips to candidates at C speed);
the matches are then merged in text order. Tokens never overlap: where two start at the same
position the one listed first in the file wins, and a match starting inside an accepted token is
dropped. A token declared with ``extend_left`` takes the lexicon word standing right before it
(法释 before 〔2018〕3号) into its span and its ``left`` field, and is dropped when there is none.
Text between tokens (the *gap*) is not a token: the grammar reads connectors and words such as
该法 or 刑法 from it. Every pattern is bounded, so tokenizing is linear in the length of the text.
"""
from __future__ import annotations

import re
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


def _passes(grammar: Grammar) -> list[tuple[int, str, re.Pattern[str], tuple[str, ...]]]:
    return [(order, t.name, re.compile(t.regex), t.extend_left, frozenset(t.reject_left)) for order, t in enumerate(grammar.tokens)]


_PASSES = _passes(GRAMMAR)


def tokenize(text: str, skip_articles: frozenset[int] = frozenset()) -> list[Token]:
    """Split normalized ``text`` into tokens (see module docstring). ``text`` must already be
    normalized (:func:`citex.normalize.normalize`); offsets are into that text. Article matches
    starting at a position in ``skip_articles`` (the document's own headings) are dropped."""
    found: list[tuple[int, int, int, str, re.Match[str], str | None]] = []
    for order, kind, rx, extend, reject in _PASSES:
        if extend:
            for m in rx.finditer(text):
                at = m.start()
                word = next((w for w in extend if at >= len(w) and text.startswith(w, at - len(w))), None)
                if word is not None:
                    left = at - len(word)
                    if left > 0 and text[left - 1] in reject:
                        continue
                    found.append((left, order, m.end(), kind, m, word))
        elif kind == "article" and skip_articles:
            found.extend((m.start(), order, m.end(), kind, m, None) for m in rx.finditer(text) if m.start() not in skip_articles)
        else:
            found.extend((m.start(), order, m.end(), kind, m, None) for m in rx.finditer(text))
    found.sort()  # by (start, order): two matches of one pass never share a start
    out: list[Token] = []
    end = 0
    for start, _, stop, kind, m, word in found:
        if start < end:
            continue
        fields = m.groupdict()
        if word is None:
            out.append(Token(kind, start, stop, m.group(), fields))
        else:
            fields["left"] = word
            out.append(Token(kind, start, stop, text[start:stop], fields))
        end = stop
    return out
