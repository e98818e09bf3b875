"""Stage 1 — normalize: fold the text into the form the tokenizer reads, keeping an offset map.

What changes (each rule is data-free and 1:1 per character, except deletions):
  * full-width ASCII → half-width (（２０１７年修正） → (2017年修正), ［ → [, ． → .), U+3000 → space;
  * OCR and font variants: 笫 → 第, ﹝﹞ → 〔〕;
  * traditional → simplified characters, one character for one (data/patterns/traditional.tsv);
  * deleted: every whitespace character (line and page breaks, spaces inside 第 236 条 or
    《中 华 人 民 共 和 国 刑 法》), zero-width characters, and Markdown escape backslashes (\\]).

The :class:`Normalized` result maps every position of the normalized text back to the caller's
text, so that spans found on the normalized text are reported in original character offsets
(``str`` indices, never bytes). Nothing the caller passed is modified.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
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


def _build_table() -> dict[int, int]:
    table = _load_traditional(data_dir() / "patterns" / "traditional.tsv")
    table.update({cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)})  # full-width ASCII
    table.update({0x3000: 0x20, ord("笫"): ord("第"), 0xFE5D: ord("〔"), 0xFE5E: ord("〕"),
                  0xFE59: ord("("), 0xFE5A: ord(")")})
    return table


_TABLE = _build_table()
# Whitespace (\s covers U+3000 and NBSP), zero-width characters, and a backslash escaping punctuation.
_DELETE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+|\\(?=[\[\]()*_#<>`.\-!|{}+])")


@dataclass(frozen=True)
class Normalized:
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

    def line_start(self, pos: int) -> bool:
        """True when the normalized character at ``pos`` begins a line of the original text.

        Only spaces, tabs and Markdown markers (``#``, ``>``, ``*``) may stand before it on its line.
        """
        o = self.orig(pos) - 1
        src = self.original
        while o >= 0 and src[o] in " \t\u3000\u00a0#>*":
            o -= 1
        return o < 0 or src[o] in "\n\r\u2028\u2029\f\v"

    def space_after(self, pos: int) -> bool:
        """True when whitespace (or the end of the text) follows the normalized character ``pos - 1``."""
        if pos >= len(self.text):
            return True
        o = self.orig(pos - 1) + 1
        return o < len(self.original) and self.original[o].isspace()


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
    folded = text.translate(_TABLE)
    pieces: list[str] = []
    norm_starts = [0]
    orig_starts = [0]
    pos = 0
    npos = 0
    for m in _DELETE.finditer(folded):
        a, b = m.span()
        if a > pos:
            pieces.append(folded[pos:a])
            npos += a - pos
        pos = b
        if norm_starts[-1] == npos:
            orig_starts[-1] = b
        else:
            norm_starts.append(npos)
            orig_starts.append(b)
    pieces.append(folded[pos:])
    return Normalized("".join(pieces), text, tuple(norm_starts), tuple(orig_starts))
