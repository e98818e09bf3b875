"""Stage 1 — normalize: fold the text into the form the tokenizer reads, keeping an offset map.

What changes (each rule is data-free and 1:1 per character, except deletions):
  * full-width ASCII → half-width (（２０１７年修正） → (2017年修正), ［ → [, ． → .), U+3000 → space;
  * OCR and font variants: 笫 → 第, ﹝﹞ → 〔〕;
  * traditional → simplified characters, one character for one (data/patterns/traditional.tsv), in
    texts that show traditional characters (a probe of the most frequent ones: 條 國 華 號 …);
  * deleted: every whitespace character (line and page breaks, spaces inside 第 236 条 or
    《中 华 人 民 共 和 国 刑 法》), zero-width characters, and Markdown escape backslashes (\\]).

The :class:`Normalized` result maps every position of the normalized text back to the caller's
text, so that spans found on the normalized text are reported in original character offsets
(``str`` indices, never bytes). Nothing the caller passed is modified.
"""
from __future__ import annotations

import re
from itertools import accumulate
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from citex._data import data_dir
from citex.patterns import PatternDataError

__all__ = ["Normalized", "normalize"]


def _load_traditional(path: Path) -> dict[int, int]:
    table: dict[int, int] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or len(parts[0]) != 1 or len(parts[1]) != 1:
            raise PatternDataError(f"{path}:{lineno}: expected 'traditional<TAB>simplified', one character each")
        table[ord(parts[0])] = ord(parts[1])
    return table


def _build_tables() -> tuple[dict[int, int], dict[str, str], tuple[str, ...]]:
    traditional = _load_traditional(data_dir() / "patterns" / "traditional.tsv")
    always = {chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}  # full-width ASCII
    always.update({"\u3000": " ", "笫": "第", "\ufe5d": "〔", "\ufe5e": "〕", "\ufe59": "(", "\ufe5a": ")"})
    full = dict(traditional)
    full.update({ord(k): ord(v) for k, v in always.items()})
    # Characters that betray a traditional-script text (the most frequent ones in legal writing).
    probes = tuple(c for c in "條國華號於為與對這個時會說們來業發實經關規權釋訴訟務員產議當證據責償擔" if ord(c) in traditional)
    return full, always, probes


_TABLE, _ALWAYS, _TRADITIONAL_PROBES = _build_tables()


def _fold(text: str) -> str:
    """Apply the character table (1:1). Fast path for simplified text: only the few full-width
    characters actually present are replaced; a text showing traditional characters is translated whole."""
    if _PROBE.search(text):
        return text.translate(_TABLE)
    pos = 0
    while True:
        m = _FOLDABLE.search(text, pos)
        if m is None:
            return text
        c = m.group()
        text = text.replace(c, _ALWAYS[c])  # every occurrence at once: one search per distinct character
        pos = m.start()


_PROBE = re.compile("[" + "".join(_TRADITIONAL_PROBES) + "]")
_FOLDABLE = re.compile("[" + "".join(re.escape(c) for c in _ALWAYS) + "]")


# Whitespace (every character str.isspace() accepts, listed so the engine uses a bitmap) and
# zero-width characters; in texts with a backslash, also backslashes escaping punctuation (\]).
_SPACE = "\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff"
_DELETE = re.compile(f"([{_SPACE}]+)")
_DELETE_ESCAPES = re.compile(f"((?:[{_SPACE}]|\\\\(?=[\\\\{_SPACE}]{{0,8}}[\\[\\]()*_#<>`.\\-!|{{}}+]))+)")


# A 第…条 alone at a line start, followed by whitespace: the document's own heading — unless the
# line before ends with a list connector (第二百六十四条、⏎第二百六十五条 is a list broken over lines).
_LIST_END = "、，,和及与或至到\\-"
_HEADING = re.compile(
    rf"(?m)^(?<![{_LIST_END}]\n)(?<![{_LIST_END}]\n\n)(?<![{_LIST_END}]\r\n)(?<![{_LIST_END}] \n)(?<![{_LIST_END}]\r\n\r\n)"
    r"[ \t\u3000\xa0#>*]*(第[^\n第条]{1,16}条(?:之[一二三四五六七八九十]{1,3})?)(?=[ \t\u3000\xa0]|\r?$)")


@dataclass(frozen=True)
class Normalized:  # noqa: B903 - cached_property needs a __dict__
    """A normalized text and its map back to the original.

    ``text`` is the normalized string; ``original`` the caller's string, untouched. Segment ``k`` of
    kept characters starts at ``norm_starts[k]`` in ``text`` and at ``orig_starts[k]`` in ``original``.
    """

    text: str
    original: str
    norm_starts: tuple[int, ...]
    orig_starts: tuple[int, ...]

    def orig(self, pos: int) -> int:
        """Original offset of the normalized character at ``pos`` (``0 <= pos < len(text)``)."""
        k = bisect_right(self.norm_starts, pos) - 1
        return self.orig_starts[k] + (pos - self.norm_starts[k])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the normalized span ``[start, end)``; ``end`` exclusive.

        Whitespace deleted inside the span is part of the original span; whitespace deleted at
        its edges is not.
        """
        if end <= start:
            o = self.orig(start) if start < len(self.text) else len(self.original)
            return o, o
        return self.orig(start), self.orig(end - 1) + 1

    @cached_property
    def segment_starts(self) -> frozenset[int]:
        """Normalized positions right after deleted characters (where a line break may have stood)."""
        return frozenset(self.norm_starts)

    @cached_property
    def heading_starts(self) -> frozenset[int]:
        """Normalized positions of the document's own article headings: a 第…条 that begins a line
        (after spaces or Markdown markers only) and is followed by whitespace (第二十条　人民法院…)."""
        return frozenset(self.norm_pos(m.start(1)) for m in _HEADING.finditer(self.original))

    def norm_pos(self, orig: int) -> int:
        """Normalized position of the first kept character at or after original offset ``orig``
        (the inverse of :meth:`orig` on kept characters)."""
        k = bisect_right(self.orig_starts, orig) - 1
        if k < 0:
            return 0
        nxt = self.norm_starts[k + 1] if k + 1 < len(self.norm_starts) else len(self.text)
        return min(self.norm_starts[k] + (orig - self.orig_starts[k]), nxt)

    def line_start(self, pos: int) -> bool:
        """True when the normalized character at ``pos`` begins a line of the original text.

        Only spaces, tabs and Markdown markers (``#``, ``>``, ``*``) may stand before it on its line.
        """
        if pos and pos not in self.segment_starts:
            return False  # nothing was deleted before it, so no line break either
        o = self.orig(pos) - 1
        src = self.original
        while o >= 0 and src[o] in " \t\u3000\u00a0#>*":
            o -= 1
        return o < 0 or src[o] in "\n\r\u2028\u2029\f\v"


def normalize(text: str) -> Normalized:
    """Normalize ``text`` for tokenizing (see the module docstring for the rules).

    Args:
        text: the caller's text, any length (``str``; offsets are ``str`` indices).
    Returns:
        :class:`Normalized` with the folded text and the offset map.
    Raises:
        TypeError: when ``text`` is not a ``str``.
    """
    if not isinstance(text, str):
        raise TypeError(f"citex expects text as str, got {type(text).__name__}")
    folded = _fold(text)
    # split() with a capturing group alternates kept and deleted runs: kept, deleted, kept, …
    parts = (_DELETE_ESCAPES if "\\" in folded else _DELETE).split(folded)
    if len(parts) == 1:
        return Normalized(folded, text, (0,), (0,))
    kept = parts[0::2]
    orig_starts = tuple(accumulate(map(len, parts), initial=0))[0::2]
    norm_starts = tuple(accumulate(map(len, kept), initial=0))[:-1]
    return Normalized("".join(kept), text, norm_starts, orig_starts)
