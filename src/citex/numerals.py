"""Numerals in citations: Arabic, full-width and Chinese (二百三十六, 一千零八十五, 两, 〇).

Conversion itself is delegated to ``cn2an`` (a maintained numeral library); this module adds the
forms legal text uses that cn2an does not accept as-is (OCR ``O`` for 〇, leading zeros) and caches
results, since the same few hundred numerals recur throughout a corpus.
"""
from __future__ import annotations

from functools import lru_cache

__all__ = ["parse_number", "to_chinese", "NumeralError"]

_CN_CHARS = frozenset("零〇一二两三四五六七八九十百千万")


class NumeralError(ValueError):
    """Raised when a string is not a numeral citex can read."""


@lru_cache(maxsize=8192)
def parse_number(s: str) -> int:
    """Parse one numeral as written in a citation into a non-negative ``int``.

    Accepts Arabic digits (``"236"``, ``"03"``), full-width digits (``"２３６"``) and Chinese numerals
    (``"二百三十六"``, ``"十"``, ``"一千零八十五"``, ``"两百"``). Raises :class:`NumeralError` for anything
    else (empty string, mixed scripts such as ``"2百"``, negative numbers).
    """
    if not isinstance(s, str) or not s:
        raise NumeralError(f"not a numeral: {s!r}")
    t = s.translate(_FULLWIDTH_DIGITS)
    if t.isascii():
        if t.isdigit():
            return int(t)
        raise NumeralError(f"not a numeral: {s!r}")
    if not all(c in _CN_CHARS for c in t):
        raise NumeralError(f"not a numeral: {s!r}")
    import cn2an  # imported on first use: it takes a quarter of a second to import

    try:
        value = cn2an.cn2an(t, "smart")
    except (ValueError, KeyError, IndexError) as exc:  # cn2an raises ValueError for malformed numerals
        raise NumeralError(f"not a numeral: {s!r}") from exc
    if value < 0 or value != int(value):
        raise NumeralError(f"not a whole non-negative numeral: {s!r}")
    return int(value)


def to_chinese(n: int) -> str:
    """Write a non-negative ``int`` as a Chinese numeral the way statutes number articles.

    ``to_chinese(236) == "二百三十六"``, ``to_chinese(10) == "十"``, ``to_chinese(1085) == "一千零八十五"``.
    Raises :class:`NumeralError` for negative numbers or non-integers.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise NumeralError(f"not a non-negative integer: {n!r}")
    import cn2an

    return cn2an.an2cn(n, "low")


_FULLWIDTH_DIGITS = {0xFF10 + i: 0x30 + i for i in range(10)}
