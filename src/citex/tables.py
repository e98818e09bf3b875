"""Article correspondence tables between versions of a law and across succession.

Maintainer tool: it reads law texts (the markdown format of ``../shared/laws``), aligns the
articles of an old text with those of a new text and writes a TSV table that the runtime
resolver reads. The package ships only the derived tables (``data/correspondence``), never
the texts.

Importing this module has no side effects. Command line::

    python -m citex.tables build OLD.md [OLD2.md ...] --to NEW.md [--to NEW2.md ...] [--out FILE.tsv]
    python -m citex.tables regenerate --laws ../shared/laws [--check]

See ``docs/correspondence.md`` for the table format, the relations and the coverage.
"""
from __future__ import annotations

import csv
import difflib
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence

import cn2an
import typer
import yaml

from citex.correspondence import COLUMNS, RELATIONS, Row, format_tsv, read_tsv, write_tsv  # noqa: F401 - re-exported

__all__ = [
    "Article",
    "Row",
    "Statement",
    "parse_articles",
    "parse_text",
    "parse_header",
    "parse_decision",
    "align",
    "normalize",
    "similarity",
    "read_tsv",
    "write_tsv",
    "format_tsv",
    "build_table",
    "load_manifest",
    "app",
]

# ---------------------------------------------------------------------------
# Parsing law texts
# ---------------------------------------------------------------------------

_NUM = "零〇一二三四五六七八九十百千万两0-9０-９"
# ``第一百二十八条 …``, ``第一百二十八 条…`` (space inside the heading), ``第十条之一 …``
_ARTICLE_RE = re.compile(
    rf"^第(?P<num>[{_NUM}]+)(?P<sp>[ \t\u3000]*)条(?:之(?P<suf>[{_NUM}]+))?(?P<rest>.*)$"
)
# bare structural headings (some transcriptions have no ``#`` before chapter lines)
_STRUCT_RE = re.compile(rf"^第[{_NUM}]+(?:编|分编|章|节)(?:[ \t\u3000]|$)")
_STRUCT_BARE_RE = re.compile(rf"^第[{_NUM}]+(?:编|分编|章|节)[^。；：，、]{{0,24}}$")
# a short line with no punctuation at all is a heading (附 则, 分 则, a 节 title), or a separator (* * *)
_TITLE_LINE_RE = re.compile(r"^[^\W\d_][^。；：，、,;:（）()“”\"！？!?.．]{0,15}$|^[*\-_\s]+$")
_ANNEX_RE = re.compile(r"^(?:附件|附录|附表)[一二三四五六七八九十0-9：:\s]*")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_HEADER_END_RE = re.compile(r"<!--\s*(?:INFO END|LEGAL_HEADER_END)\s*-->")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = " \t\u3000\xa0"


def _to_int(s: str) -> int:
    """Chinese or Arabic numeral -> int (``一百零八`` -> 108, ``１２`` -> 12)."""
    s = unicodedata.normalize("NFKC", s)
    if s.isdigit():
        return int(s)
    return int(cn2an.cn2an(s, "smart"))


_CN_DIGITS = "零一二三四五六七八九"


def _cn(n: int) -> str:
    """int -> Chinese numeral as written in article headings (108 -> 一百零八, 10 -> 十)."""
    s = cn2an.an2cn(n, "low")
    return s


@dataclass
class Article:
    """One article (条) of a law text.

    Attributes:
        number: the article number (``第二百三十六条`` -> 236).
        suffix: ``之一`` -> 1, ``之二`` -> 2, ``None`` for a plain article.
        paragraphs: the article's paragraphs (款 and list items), heading removed.
        source: the file the article came from (informational).
    """

    number: int
    suffix: Optional[int] = None
    paragraphs: list[str] = field(default_factory=list)
    source: str = ""

    @property
    def text(self) -> str:
        """All paragraphs joined with newlines."""
        return "\n".join(self.paragraphs)

    @property
    def label(self) -> str:
        """``236``, ``120之一``."""
        return format_label(self.number, self.suffix)

    @property
    def key(self) -> tuple[int, int]:
        return (self.number, self.suffix or 0)


def format_label(number: int, suffix: Optional[int] = None) -> str:
    return f"{number}之{_cn(suffix)}" if suffix else str(number)


def parse_label(label: str) -> tuple[int, Optional[int]]:
    """``"120之一"`` -> ``(120, 1)``; ``"236"`` -> ``(236, None)``; Chinese ``第一百二十条之一`` too."""
    s = label.strip().removeprefix("第")
    m = re.fullmatch(rf"([{_NUM}]+)条?(?:之([{_NUM}]+))?", s)
    if not m:
        raise ValueError(f"not an article label: {label!r}")
    return _to_int(m.group(1)), (_to_int(m.group(2)) if m.group(2) else None)


def _clean_line(line: str) -> str:
    return line.translate(_INVISIBLE).strip(_SPACES + "\r\n")


def _body_lines(text: str) -> list[str]:
    """The lines after the header (title and history lines)."""
    # YAML front matter
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            text = text[end + 5 :]
    m = _HEADER_END_RE.search(text)
    if m:
        text = text[m.end() :]
    text = _COMMENT_RE.sub("", text)
    return text.splitlines()


def _is_heading_line(line: str) -> bool:
    return (
        line.startswith("#")
        or bool(_STRUCT_RE.match(line))
        or bool(_STRUCT_BARE_RE.match(line))
        or bool(_TITLE_LINE_RE.match(line))
    )


def parse_text(text: str, source: str = "") -> list[Article]:
    """Parse one law text (markdown) into articles, in file order.

    Article headings are lines starting ``第X条`` followed by a space, a full-width space or the
    end of the line, or with a space inside the heading (``第一百二十八 条侦查…``). A line starting
    ``第X条的…`` (a cross-reference that happens to begin a line) is not a heading, nor is a
    heading-like line that breaks the numbering (a wrapped line starting ``第五十二条 以及…``
    between articles 13 and 14): headings are kept only along the longest increasing run of
    numbers. ``#`` lines, bare ``第X章``/``第X节`` lines and annexes (``附件一`` …) end the current
    article.
    """
    items: list[tuple[str, object]] = []  # ("art", (number, suffix, rest)) | ("head", None) | ("text", line)
    for raw in _body_lines(text):
        line = _clean_line(raw)
        if not line:
            continue
        m = _ARTICLE_RE.match(line)
        if m and (m.group("sp") or not m.group("rest") or m.group("rest")[0] in _SPACES):
            number = _to_int(m.group("num"))
            suffix = _to_int(m.group("suf")) if m.group("suf") else None
            items.append(("art", (number, suffix, m.group("rest").strip(_SPACES), line)))
        elif _is_heading_line(line) or _ANNEX_RE.match(line):
            items.append(("head", None))
        else:
            items.append(("text", line))
    heads = [k for k, (t, _) in enumerate(items) if t == "art"]
    keep = set(increasing_subsequence([(items[k][1][0], items[k][1][1] or 0) for k in heads]))
    articles: list[Article] = []
    current: Optional[Article] = None
    for pos, k in enumerate(heads):
        if pos not in keep:
            items[k] = ("text", items[k][1][3])
    for kind, val in items:
        if kind == "art":
            number, suffix, rest, _ = val
            current = Article(number, suffix, [rest] if rest else [], source)
            articles.append(current)
        elif kind == "head":
            current = None  # headings are not article text; annexes follow the last article
        elif current is not None:
            current.paragraphs.append(val)
    return articles


def increasing_subsequence(keys: list[tuple[int, int]]) -> list[int]:
    """Indices of a longest strictly increasing subsequence of ``keys`` (ties: earliest)."""
    import bisect

    tails: list[tuple[int, int]] = []
    tail_idx: list[int] = []
    prev = [-1] * len(keys)
    for k, key in enumerate(keys):
        pos = bisect.bisect_left(tails, key)
        if pos == len(tails):
            tails.append(key)
            tail_idx.append(k)
        else:
            tails[pos] = key
            tail_idx[pos] = k
        prev[k] = tail_idx[pos - 1] if pos else -1
    out = []
    k = tail_idx[-1] if tail_idx else -1
    while k != -1:
        out.append(k)
        k = prev[k]
    return out[::-1]


def parse_articles(*paths: str | Path | Sequence[str | Path]) -> list[Article]:
    """Parse one or several law-text files into a list of articles sorted by number.

    Several paths are concatenated (民法典 is split into one file per book). Accepts
    ``parse_articles(p)``, ``parse_articles(p1, p2)`` or ``parse_articles([p1, p2])``.

    Raises:
        ValueError: when two articles have the same number (a parsing or input error).
    """
    flat: list[Path] = []
    for p in paths:
        if isinstance(p, (str, Path)):
            flat.append(Path(p))
        else:
            flat.extend(Path(q) for q in p)
    articles: list[Article] = []
    for p in flat:
        articles.extend(parse_text(p.read_text(encoding="utf-8"), source=str(p)))
    articles.sort(key=lambda a: a.key)
    seen: dict[tuple[int, int], Article] = {}
    for a in articles:
        if a.key in seen:
            raise ValueError(f"duplicate article {a.label} in {a.source} and {seen[a.key].source}")
        seen[a.key] = a
    return articles


_DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|(\d{4})-(\d{2})-(\d{2})")
_EVENT_RE = re.compile(r"(通过|修正|修订|公布|发布|施行)")


@dataclass
class Header:
    title: str
    events: list[tuple[str, str]]  # (YYYY-MM-DD, 通过/修正/修订/公布/发布)

    @property
    def last_event(self) -> Optional[tuple[str, str]]:
        ev = [e for e in self.events if e[1] != "施行"]
        return ev[-1] if ev else None


def parse_header(text: str) -> Header:
    """Title and history events (dated 通过/修正/修订/公布 lines) of a law text."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            text = text[end + 5 :]
    title = ""
    events: list[tuple[str, str]] = []
    for raw in text.splitlines():
        line = _clean_line(raw)
        if not line:
            continue
        if line.startswith("# ") and not title:
            title = line[2:].strip()
            continue
        if _HEADER_END_RE.search(line) or line.startswith("##") or _ARTICLE_RE.match(line):
            break
        if line.startswith("<!--") or line.startswith("#"):
            continue
        d = _DATE_RE.search(line)
        if not d:
            continue
        if d.group(1):
            date = f"{int(d.group(1)):04d}-{int(d.group(2)):02d}-{int(d.group(3)):02d}"
        else:
            date = f"{d.group(4)}-{d.group(5)}-{d.group(6)}"
        kinds = _EVENT_RE.findall(line[d.end() :])
        if kinds:
            # "…《关于修改…的决定》第一次修正" -> 修正; "…通过 …公布" -> the first event word
            kind = next((k for k in kinds if k in ("修正", "修订")), kinds[0])
            events.append((date, kind))
    return Header(title, events)


# ---------------------------------------------------------------------------
# Text similarity
# ---------------------------------------------------------------------------

_REF_RE = re.compile(rf"第[{_NUM}]+(?:条(?:之[{_NUM}]+)?|款|项|编|章|节)")
_MARKUP_RE = re.compile(r"\[\[|\]\]|\*\*")


def normalize(text: str) -> str:
    """Whitespace- and punctuation-insensitive form of an article's text (NFKC, letters and digits only)."""
    text = _MARKUP_RE.sub("", unicodedata.normalize("NFKC", text))
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def normalize_refs(text: str) -> str:
    """:func:`normalize` with every cross-reference number (第X条/款/项) replaced by ``第#``."""
    return normalize(_REF_RE.sub("第#", unicodedata.normalize("NFKC", text)))


def similarity(a: str, b: str) -> float:
    """difflib ratio of two normalized texts (0..1); 1.0 for identical texts."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _grams(s: str) -> frozenset[str]:
    if len(s) < 2:
        return frozenset([s])
    return frozenset(s[k : k + 2] for k in range(len(s) - 1))


def _containment(part: frozenset[str], whole: frozenset[str]) -> float:
    """Share of ``part``'s bigrams found in ``whole``."""
    return len(part & whole) / len(part) if part else 0.0


def _changed_chars(a: str, b: str) -> int:
    """Number of characters inserted, deleted or replaced between two normalized texts."""
    n = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            n += max(i2 - i1, j2 - j1)
    return n


# ---------------------------------------------------------------------------
# Alignment
# ---------------------------------------------------------------------------

@dataclass
class _Text:
    art: Article
    norm: str
    grams: frozenset[str]


class _Fenwick:
    """Prefix maximum over positions 0..n-1 with the index of the maximising item."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.val = [0.0] * (n + 1)
        self.arg = [-1] * (n + 1)

    def update(self, pos: int, value: float, arg: int) -> None:
        k = pos + 1
        while k <= self.n:
            if value > self.val[k]:
                self.val[k] = value
                self.arg[k] = arg
            k += k & -k

    def query(self, pos: int) -> tuple[float, int]:
        """max over positions < pos."""
        best, arg = 0.0, -1
        k = pos
        while k > 0:
            if self.val[k] > best:
                best, arg = self.val[k], self.arg[k]
            k -= k & -k
        return best, arg


def _monotone(pairs: list[tuple[int, int, float]], m: int) -> list[tuple[int, int]]:
    """Maximum-weight set of pairs strictly increasing in both coordinates."""
    pairs = sorted(pairs)
    fw = _Fenwick(m)
    score = [0.0] * len(pairs)
    prev = [-1] * len(pairs)
    k = 0
    while k < len(pairs):
        i = pairs[k][0]
        group = []
        while k < len(pairs) and pairs[k][0] == i:
            _, j, w = pairs[k]
            best, arg = fw.query(j)
            score[k], prev[k] = best + w, arg
            group.append(k)
            k += 1
        for g in group:
            fw.update(pairs[g][1], score[g], g)
    if not pairs:
        return []
    best = max(range(len(pairs)), key=lambda q: score[q])
    out = []
    while best != -1:
        out.append((pairs[best][0], pairs[best][1]))
        best = prev[best]
    return out[::-1]


def align(
    old_articles: Sequence[Article],
    new_articles: Sequence[Article],
    *,
    kind: str = "amendment",
    threshold: float = 0.5,
    gap_threshold: float = 0.35,
    pinned: Iterable[Row] = (),
) -> list[Row]:
    """Align the articles of an old text with those of a new text.

    Order of evidence: ``pinned`` rows (reviewed rows, explicit statements of amendment
    decisions) are kept as they are; then identical texts (whitespace/punctuation-insensitive);
    then an order-preserving alignment by text similarity (character-bigram Dice for candidates,
    a maximum-weight monotone chain, checked with difflib ratio); then the remaining articles
    are matched out of order when similar enough (moved within the law, or to another part of
    the successor law); finally neighbouring unmatched articles are attached as splits
    (one-to-many) and merges (many-to-one).

    Args:
        kind: ``amendment`` (adjacent versions of one law) or ``succession`` (a replaced law; 1:1
            matches are ``moved`` and new-side articles without a predecessor are not listed,
            since they may come from another predecessor).
        threshold: the lowest difflib ratio for a changed article to count as the same article
            (``amended``); out-of-order matches need ``threshold + 0.1``.
        gap_threshold: the lowest ratio for pairing an old article with a new one when both lie
            unmatched between the same two aligned neighbours (amendments only).
        pinned: rows to keep verbatim; their articles are not aligned again.

    Returns:
        rows in old-text order, ``new`` rows placed after the row of the preceding new article.
    """
    if kind not in ("amendment", "succession"):
        raise ValueError(f"kind must be amendment or succession, not {kind!r}")
    A = [_Text(a, normalize(a.text), frozenset()) for a in old_articles]
    B = [_Text(b, normalize(b.text), frozenset()) for b in new_articles]
    for t in A + B:
        t.grams = _grams(t.norm)
    n, m = len(A), len(B)
    a_index = {t.art.label: i for i, t in enumerate(A)}
    b_index = {t.art.label: j for j, t in enumerate(B)}

    pinned_rows: dict[int, Row] = {}
    pinned_new: list[Row] = []
    used_b: set[int] = set()
    anchor_pairs: list[tuple[int, int, float]] = []
    for r in pinned:
        if r.from_article:
            if r.from_article not in a_index:
                continue  # stale pinned row: the article no longer exists
            i = a_index[r.from_article]
            pinned_rows[i] = r
            js = [b_index[x] for x in r.to_articles if x in b_index]
            used_b.update(js)
            if js:
                anchor_pairs.append((i, js[0], 10.0))
        elif r.to_articles and all(x in b_index for x in r.to_articles):
            pinned_new.append(r)
            used_b.update(b_index[x] for x in r.to_articles)
    # placeholders (第一百九十九条 （删去）) keep a deleted article's number: the old article of
    # that number is deleted, and the placeholder is no new article
    placeholders = {j for j in range(m) if B[j].norm in _PLACEHOLDERS}
    for i in range(n):
        j = b_index.get(A[i].art.label)
        if i not in pinned_rows and j in placeholders and A[i].norm not in _PLACEHOLDERS:
            pinned_rows[i] = Row(A[i].art.label, [], "deleted", None, note="the number is kept as a placeholder (删去)")
    used_b |= placeholders
    free_a = [i for i in range(n) if i not in pinned_rows]
    free_b = [j for j in range(m) if j not in used_b]

    # -- candidates: bigram Dice through an inverted index ------------------------------------
    by_text: dict[str, list[int]] = {}
    postings: dict[str, list[int]] = {}
    for j in free_b:
        by_text.setdefault(B[j].norm, []).append(j)
        for g in B[j].grams:
            postings.setdefault(g, []).append(j)
    cands: dict[int, list[tuple[float, int]]] = {}
    for i in free_a:
        if A[i].norm in by_text:  # identical text: no need to look further
            cands[i] = [(1.0, j) for j in by_text[A[i].norm]]
            continue
        counts: dict[int, int] = {}
        for g in A[i].grams:
            for j in postings.get(g, ()):
                counts[j] = counts.get(j, 0) + 1
        la = len(A[i].grams)
        lst = []
        for j, c in counts.items():
            lb = len(B[j].grams)
            d = 2.0 * c / (la + lb)
            if min(la, lb) >= 8:  # a short text inside a long one (absorbed, or split off)
                d = max(d, 0.85 * c / min(la, lb))
            if d >= 0.3:
                lst.append((d, j))
        for j in by_text.get(A[i].norm, ()):
            lst.append((1.0, j))
        lst.sort(reverse=True)
        cands[i] = lst[:40]

    ratio_cache: dict[tuple[int, int], float] = {}

    def ratio(i: int, j: int) -> float:
        key = (i, j)
        if key not in ratio_cache:
            ratio_cache[key] = similarity(A[i].norm, B[j].norm)
        return ratio_cache[key]

    # -- 1. order-preserving chain (identical texts weigh most) -------------------------------
    pairs = list(anchor_pairs)
    for i, lst in cands.items():
        for d, j in lst:
            if A[i].norm == B[j].norm:
                pairs.append((i, j, 3.0))
            elif d >= 0.4:
                pairs.append((i, j, d - 0.3))
    match: dict[int, int] = {}
    out_of_order: set[int] = set()
    for i, j in _monotone(pairs, m):
        if i in pinned_rows:
            continue
        if A[i].norm == B[j].norm or ratio(i, j) >= threshold or _partial(A[i], B[j]):
            match[i] = j
    # -- 2. out-of-order matches (moved articles; a high bar) ---------------------------------------------
    t_loose = threshold if kind == "succession" else threshold + 0.1
    taken = set(match.values()) | used_b
    loose: list[tuple[float, int, int]] = []
    for i in free_a:
        if i in match:
            continue
        for d, j in cands[i][:5]:
            if j in taken:
                continue
            r = ratio(i, j)
            if r >= t_loose or _inside(A[i], B[j]):
                loose.append((r, i, j))
    for r, i, j in sorted(loose, reverse=True):
        if i in match or j in taken:
            continue
        match[i] = j
        taken.add(j)
        out_of_order.add(i)
    # -- 2b. gaps of the chain: an unmatched old article facing unmatched new ones between the
    # same neighbours is usually the same article rewritten; a lower bar applies there
    by_position: set[int] = set()
    if True:
        chain = sorted((i, j) for i, j in match.items() if i not in out_of_order)
        chain_b = set(match.values()) | used_b
        bounds = [(-1, -1)] + chain + [(n, m)]
        for (i1, j1), (i2, j2) in zip(bounds, bounds[1:]):
            gap_a = [i for i in range(i1 + 1, i2) if i not in pinned_rows]
            gap_b = [j for j in range(j1 + 1, j2) if j not in chain_b]
            if not gap_a or not gap_b or len(gap_a) * len(gap_b) > 400:
                continue
            # one article on each side between two aligned neighbours: rewritten in place, unless
            # the texts share almost nothing
            bar = 0.3 if len(gap_a) == len(gap_b) == 1 and i1 >= 0 and i2 < n else gap_threshold
            if kind == "succession":  # the new side's gap may hold articles of other predecessors
                bar = max(gap_threshold, 0.4)
            # and where the numbering around the gap is unchanged, the same number is the same slot
            # (刑法 第383条 rewritten in place by an amendment)
            kept = (
                kind == "amendment"
                and 0 <= i1 and i2 < n
                and A[i1].art.label == B[j1].art.label
                and A[i2].art.label == B[j2].art.label
            )
            gp = [
                (i, j, ratio(i, j) - (0.15 if kept and A[i].art.label == B[j].art.label else bar) + 0.01)
                for i in gap_a
                for j in gap_b
            ]
            for i, j in _monotone([p for p in gp if p[2] >= 0.01], m):
                match[i] = j
                taken.add(j)
                if ratio(i, j) < threshold:
                    by_position.add(i)
    # -- 3. splits: free new neighbours whose text comes from the old article -----------------
    targets: dict[int, list[int]] = {i: [j] for i, j in match.items()}
    for i, j in sorted(match.items()):
        for step in (1, -1):
            k = j + step
            while 0 <= k < m and k not in taken and (
                _contained(B[k].grams, A[i].grams) or ratio(i, k) >= gap_threshold
            ):
                cur = _joined(B, targets[i])
                new = _joined(B, sorted(targets[i] + [k]))
                if similarity(A[i].norm, new) <= similarity(A[i].norm, cur) + 0.02:
                    break
                targets[i] = sorted(targets[i] + [k])
                taken.add(k)
                k += step
    # -- 4. merges: unmatched old neighbours whose text went into the same new article ------
    merged_into: dict[int, list[int]] = {}
    matched_a = set(match) | set(pinned_rows)
    single = {js[0]: i for i, js in targets.items() if len(js) == 1}
    for j, i in sorted(single.items()):
        group = [i]
        for step in (1, -1):
            k = i + step
            while 0 <= k < n and k not in matched_a and _contained(A[k].grams, B[j].grams):
                cur = _joined(A, group)
                new = _joined(A, sorted(group + [k]))
                if not (ratio(k, j) >= threshold or similarity(new, B[j].norm) > similarity(cur, B[j].norm) + 0.02):
                    break
                group = sorted(group + [k])
                matched_a.add(k)
                k += step
        if len(group) > 1:
            merged_into[j] = group
    # non-adjacent merges: an unmatched old article very close to an already matched new one
    for i in free_a:
        if i in matched_a:
            continue
        best = max(
            ((ratio(i, j) + (1.0 if _inside(A[i], B[j], one_way=True) else 0.0), j) for d, j in cands[i][:5] if j in single),
            default=None,
        )
        if best and best[0] >= threshold + 0.1:
            j = best[1]
            merged_into[j] = sorted(merged_into.get(j, [single[j]]) + [i])
            matched_a.add(i)
    merged_of: dict[int, list[int]] = {}
    for j, group in merged_into.items():
        for k in group:
            merged_of[k] = group
            targets[k] = [j]

    # -- 4. rows ------------------------------------------------------------------------------
    rows_by_old: list[Row] = []
    for i in range(n):
        label = A[i].art.label
        if i in pinned_rows:
            rows_by_old.append(pinned_rows[i])
            continue
        if i in merged_of:
            group = merged_of[i]
            j = targets[i][0]
            sim = max(ratio(i, j), similarity(_joined(A, group), B[j].norm))
            others = [A[k].art.label for k in group if k != i]
            rows_by_old.append(
                Row(label, [B[j].art.label], "merged", sim, note="merged with " + ";".join(others))
            )
            continue
        if i not in targets:
            best = max(((ratio(i, j), j) for d, j in cands.get(i, [])[:3]), default=None)
            note = ""
            if best and best[0] >= 0.3:
                note = f"closest: {B[best[1]].art.label} ({best[0]:.2f})"
            rows_by_old.append(Row(label, [], "deleted", None, note=note))
            continue
        js = targets[i]
        to = [B[j].art.label for j in js]
        if len(js) > 1:
            sim = max([similarity(A[i].norm, _joined(B, js))] + [ratio(i, j) for j in js])
            rows_by_old.append(Row(label, to, "split", sim))
            continue
        j = js[0]
        sim = ratio(i, j)
        notes = []
        if A[i].norm == B[j].norm:
            relation = "same" if to[0] == label else "renumbered"
            if kind == "succession":
                relation, notes = "moved", ["identical text"]
        else:
            relation = "amended" if kind == "amendment" else "moved"
            if kind == "succession":
                notes.append("amended text")
            if normalize_refs(A[i].art.text) == normalize_refs(B[j].art.text):
                notes.append("cross-references renumbered only")
            else:
                c = _changed_chars(A[i].norm, B[j].norm)
                if c <= 2:
                    notes.append(f"{c} character{'s' if c > 1 else ''} differ")
        if i in out_of_order and kind == "amendment":
            notes.append("out of sequence")
        if i in by_position:
            notes.append("low similarity, matched by position")
        rows_by_old.append(Row(label, to, relation, sim, note="; ".join(notes)))

    if kind == "succession":
        return rows_by_old
    # -- 5. new articles ----------------------------------------------------------------------
    covered = set(used_b)
    for i in targets:
        covered.update(targets[i])
    new_rows: dict[int, Row] = {b_index[r.to_articles[0]]: r for r in pinned_new}
    for j in range(m):
        if j in covered or j in new_rows:
            continue
        new_rows[j] = Row("", [B[j].art.label], "new", None)
    # place each new row after the last old row whose target precedes it
    pos_of_b: dict[int, int] = {}
    for idx, r in enumerate(rows_by_old):
        for x in r.to_articles:
            if x in b_index:
                pos_of_b[b_index[x]] = idx
    out: list[Row] = []
    pending: dict[int, list[Row]] = {}
    last = -1
    for j in range(m):
        if j in pos_of_b:
            last = max(last, pos_of_b[j]) if j not in new_rows else last
        if j in new_rows:
            pending.setdefault(last, []).append(new_rows[j])
    out.extend(pending.get(-1, []))
    for idx, r in enumerate(rows_by_old):
        out.append(r)
        out.extend(pending.get(idx, []))
    return out


def _joined(T: Sequence[_Text], idx: Sequence[int]) -> str:
    return "".join(T[k].norm for k in idx)


def _contained(part: frozenset[str], whole: frozenset[str]) -> bool:
    return _containment(part, whole) >= 0.75


def _inside(a: _Text, b: _Text, one_way: bool = False) -> bool:
    """The old text ``a`` lies almost whole inside ``b`` (or, unless ``one_way``, ``b`` inside ``a``);
    the contained text must be long enough (12+ characters) not to match by boilerplate."""
    if len(a.norm) >= 12 and _containment(a.grams, b.grams) >= 0.9:
        return True
    return not one_way and len(b.norm) >= 12 and _containment(b.grams, a.grams) >= 0.9


_PLACEHOLDERS = {"删去", "删除"}


def _partial(a: _Text, b: _Text) -> bool:
    """One text is mostly contained in the other (a split or merge candidate kept by position)."""
    return _containment(a.grams, b.grams) >= 0.8 or _containment(b.grams, a.grams) >= 0.8


# ---------------------------------------------------------------------------
# Explicit statements of amendment decisions
# ---------------------------------------------------------------------------

_N = rf"[{_NUM}]+"
_ART = rf"第{_N}条(?:之{_N})?(?!第{_N}[款项])"
_SECTION_RE = re.compile(r"^([一二三四五六七八九十百]+)、")


@dataclass
class Statement:
    """One statement of an amendment decision, in the numbering of the amended text.

    kind: ``renumber`` (将第X条改为第Y条), ``merge`` (将第X条、第Y条合并，改为第Z条),
    ``delete`` (删除第X条), ``insert`` (增加一条，作为第Y条), ``amend`` (将第X条修改为：…, the number
    is kept unless the decision reorders: 条文顺序作相应调整).
    """

    kind: str
    old: list[str]
    new: list[str]
    source: str


def _labels(s: str) -> list[str]:
    return [format_label(*parse_label(x)) for x in re.findall(rf"第{_N}条(?:之{_N})?", s)]


def parse_decision(path: str | Path, section: Optional[str] = None) -> tuple[list[Statement], bool]:
    """Statements of an amendment decision (关于修改《…》的决定).

    Args:
        section: for decisions amending several texts (``一、修改《…》`` sections), only the
            section whose heading contains this string is read.

    Returns:
        the statements and whether the decision says the articles are renumbered
        (条文顺序作相应调整 / 条文顺序相应调整).
    """
    lines = [_clean_line(x) for x in Path(path).read_text(encoding="utf-8").splitlines()]
    if section is not None:
        keep, inside = [], False
        for line in lines:
            if _SECTION_RE.match(line) and "《" in line:
                inside = section in line
                continue
            if inside:
                keep.append(line)
        lines = keep
    out: list[Statement] = []
    reorder = False
    for line in lines:
        if not line or line.startswith("“") or line.startswith("\""):
            continue  # quoted new wording
        if "条文顺序" in line and "调整" in line:
            reorder = True
        for m in re.finditer(rf"第({_N})条至第({_N})条相应改为第({_N})条至第({_N})条", line):
            a, b, c, d = (_to_int(x) for x in m.groups())
            if b - a == d - c:
                for k in range(b - a + 1):
                    out.append(Statement("renumber", [str(a + k)], [str(c + k)], m.group(0)))
        m = re.search(rf"将((?:{_ART}[、和及]?)+)合并[，,]?\s*(?:改为|修改为|作为)({_ART})", line)
        if m:
            out.append(Statement("merge", _labels(m.group(1)), _labels(m.group(2)), m.group(0)))
            continue
        m = re.search(rf"将({_ART})(?:改为|修改为|作为)({_ART})", line)
        if m:
            out.append(Statement("renumber", _labels(m.group(1)), _labels(m.group(2)), m.group(0)))
            continue
        m = re.search(rf"删除((?:{_ART}[、和及]?)+)", line)
        if m and not re.search(rf"删除(?:{_ART}[、和及]?)*第{_N}条第", line):
            out.append(Statement("delete", _labels(m.group(1)), [], m.group(0)))
            continue
        m = re.search(rf"增加一条[，,]?\s*作为({_ART})", line)
        if m:
            out.append(Statement("insert", [], _labels(m.group(1)), m.group(0)))
            continue
        m = re.search(rf"将({_ART})修改为[：:]", line)
        if m:
            out.append(Statement("amend", _labels(m.group(1)), [], m.group(0)))
    return out, reorder


def decision_rows(
    statements: Sequence[Statement],
    reorder: bool,
    old_articles: Sequence[Article],
    new_articles: Sequence[Article],
    source: str,
) -> list[Row]:
    """Rows stated by a decision: renumbered, merged and deleted articles, and amended articles
    whose new number follows from the decision's deletions and insertions.

    A stated pair whose texts share almost nothing (difflib ratio < 0.2) is dropped as
    inconsistent with the texts at hand.
    """
    old = {a.label: a for a in old_articles}
    new = {b.label: b for b in new_articles}
    rows: dict[str, Row] = {}
    tag = f"stated by {source}"

    def add(o: str, targets: list[str], relation: Optional[str] = None) -> None:
        if o not in old or any(t not in new for t in targets):
            return
        a = normalize(old[o].text)
        b = "".join(normalize(new[t].text) for t in targets)
        sim = similarity(a, b)
        if targets and sim < 0.2:
            return
        if relation is None:
            if a == b:
                relation = "same" if targets == [o] else "renumbered"
            else:
                relation = "amended"
        rows[o] = Row(o, list(targets), relation, sim if targets else None, note=tag)

    deleted = {x for s in statements if s.kind == "delete" for x in s.old}
    inserted = sorted((parse_label(x) for s in statements if s.kind == "insert" for x in s.new))
    simple = all(a.suffix is None for a in old_articles) and not any(
        s.kind in ("renumber", "merge") for s in statements
    )
    implied: dict[str, str] = {}
    if simple and (reorder or not (deleted or inserted)):
        # number of each kept article after deletions, with inserted articles taking their slots
        ins = {n for n, _ in inserted}
        k = 0
        for a in old_articles:
            if a.label in deleted:
                continue
            k += 1
            while k in ins:
                k += 1
            implied[a.label] = str(k)
    for s in statements:
        if s.kind == "renumber":
            add(s.old[0], s.new)
        elif s.kind == "merge":
            for o in s.old:
                add(o, s.new, "merged")
        elif s.kind == "delete":
            for o in s.old:
                add(o, [], "deleted")
        elif s.kind == "amend" and s.old[0] in implied:
            add(s.old[0], [implied[s.old[0]]])
    return list(rows.values())


# ---------------------------------------------------------------------------
# TSV
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# Building tables
# ---------------------------------------------------------------------------


def build_table(
    old_paths: Sequence[str | Path],
    new_paths: Sequence[str | Path],
    *,
    kind: str = "amendment",
    threshold: float = 0.5,
    decisions: Sequence[tuple[str | Path, Optional[str]]] = (),
    reviewed: Sequence[Row] = (),
) -> list[Row]:
    """Parse the texts and align them.

    Args:
        decisions: ``(path, section)`` of amendment decisions whose statements are ground truth.
        reviewed: rows marked ``reviewed=yes`` in the committed table; they are kept verbatim
            and constrain the alignment of the other rows.
    """
    old = parse_articles(list(old_paths))
    new = parse_articles(list(new_paths))
    pinned: dict[str, Row] = {}
    for path, section in decisions:
        statements, reorder = parse_decision(path, section)
        name = re.sub(r"\(\d{4}-\d{2}-\d{2}\)$", "", Path(path).stem)
        name = re.sub(r"《.*》", "《…》", name)  # 关于修改《…》等二十七件民事类司法解释的决定
        for r in decision_rows(statements, reorder, old, new, f"decision {name}" + (f" ({section.replace('〉', '')})" if section else "")):
            pinned[r.key] = r
    for r in reviewed:
        if r.reviewed:
            pinned[r.key] = r
    return align(old, new, kind=kind, threshold=threshold, pinned=pinned.values())


# ---------------------------------------------------------------------------
# Manifest
# ---------------------------------------------------------------------------

REPO_ROOT = Path(__file__).resolve().parents[2]
MANIFEST = REPO_ROOT / "data" / "correspondence" / "manifest.yaml"
DEFAULT_LAWS = REPO_ROOT.parent / "shared" / "laws"

CIVIL_CODE = "中华人民共和国民法典"
CIVIL_CODE_BOOKS = ("总则", "物权编", "合同编", "人格权编", "婚姻家庭编", "继承编", "侵权责任编", "附则")
CIVIL_CODE_PREDECESSORS = (
    "中华人民共和国民法通则", "中华人民共和国民法总则", "中华人民共和国物权法", "中华人民共和国担保法",
    "中华人民共和国合同法", "中华人民共和国婚姻法", "中华人民共和国收养法", "中华人民共和国继承法",
    "中华人民共和国侵权责任法",
)
ENV_CODE = "中华人民共和国生态环境法典"
ENV_CODE_PREDECESSORS = (  # as listed in its article 1242
    "中华人民共和国环境保护法", "中华人民共和国环境影响评价法", "中华人民共和国海洋环境保护法",
    "中华人民共和国大气污染防治法", "中华人民共和国水污染防治法", "中华人民共和国土壤污染防治法",
    "中华人民共和国固体废物污染环境防治法", "中华人民共和国噪声污染防治法",
    "中华人民共和国放射性污染防治法", "中华人民共和国清洁生产促进法",
)
# Amendment decisions under current/司法解释 whose statements apply to a version pair:
# (title, new version file date) -> [(decision path, section)]
_CIVIL_27 = "current/司法解释/最高人民法院关于修改《最高人民法院关于在民事审判工作中适用〈工会法〉若干问题的解释》等二十七件民事类司法解释的决定.md"
_COMMERCIAL_29 = "current/司法解释/最高人民法院关于修改《最高人民法院关于破产企业国有划拨土地使用权应否列入破产财产等问题的批复》等二十九件商事类司法解释的决定.md"
DECISIONS: dict[tuple[str, str], list[tuple[str, str]]] = {
    ("最高人民法院关于审理民间借贷案件适用法律若干问题的规定", "2020-12-23"): [(_CIVIL_27, "民间借贷")],
    ("最高人民法院关于审理医疗损害责任纠纷案件适用法律若干问题的解释", "2020-12-23"): [(_CIVIL_27, "医疗损害")],
    ("最高人民法院关于适用《中华人民共和国公司法》若干问题的规定（二）", "2020-12-23"): [(_COMMERCIAL_29, "公司法〉若干问题的规定（二）")],
    ("最高人民法院关于适用《中华人民共和国公司法》若干问题的规定（三）", "2020-12-23"): [(_COMMERCIAL_29, "公司法〉若干问题的规定（三）")],
    ("最高人民法院关于适用《中华人民共和国公司法》若干问题的规定（五）", "2020-12-23"): [(_COMMERCIAL_29, "公司法〉若干问题的规定（五）")],
    ("最高人民法院关于适用《中华人民共和国企业破产法》若干问题的规定（二）", "2020-12-23"): [(_COMMERCIAL_29, "企业破产法〉若干问题的规定（二）")],
    ("最高人民法院关于适用《中华人民共和国企业破产法》若干问题的规定（三）", "2020-12-23"): [(_COMMERCIAL_29, "企业破产法〉若干问题的规定（三）")],
    ("最高人民法院关于适用《中华人民共和国保险法》若干问题的解释（二）", "2020-12-23"): [(_COMMERCIAL_29, "保险法〉若干问题的解释（二）")],
    ("最高人民法院关于适用《中华人民共和国保险法》若干问题的解释（四）", "2020-12-23"): [(_COMMERCIAL_29, "保险法〉若干问题的解释（四）")],
}


def short_name(title: str) -> str:
    """Directory name of a law's tables: the title without 中华人民共和国 (民事诉讼法, 最高人民法院关于适用《民事诉讼法》的解释)."""
    return title.replace("中华人民共和国", "")


def _file_date(path: Path) -> str:
    return path.name[:10]


def _manifest_labels(laws: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    tsv = laws / "MANIFEST.tsv"
    if tsv.exists():
        with tsv.open(encoding="utf-8") as f:
            for r in csv.DictReader(f, delimiter="\t"):
                out[r["path"]] = r.get("version_label") or ""
    return out


def version_label(laws: Path, rel: str, labels: dict[str, str]) -> str:
    """``2021年修正``: from the MANIFEST's version label, else the header line dated like the file."""
    m = re.match(r"(\d{4})年(?:第.次)?(修正|修订|通过|公布|发布)", labels.get(rel, ""))
    if m:
        return f"{m.group(1)}年{m.group(2).replace('发布', '公布')}"
    date = _file_date(Path(rel))
    header = parse_header((laws / rel).read_text(encoding="utf-8"))
    for d, k in reversed(header.events):
        if d == date and k != "施行":
            return f"{date[:4]}年{k.replace('发布', '公布')}"
    return f"{date[:4]}年版"


def _version_groups(folder: Path) -> list[list[Path]]:
    """Files of one law grouped by version (民法典's books share one date)."""
    groups: dict[str, list[Path]] = {}
    for p in sorted(folder.glob("*.md")):
        suffix = p.stem[11:]
        if suffix and suffix not in ("transcribed", "current") and any(suffix.endswith(b) for b in CIVIL_CODE_BOOKS):
            groups.setdefault(_file_date(p), []).append(p)
        else:
            groups[p.stem] = [p]
    out = list(groups.values())
    for g in out:
        if len(g) > 1:
            g.sort(key=lambda p: next((k for k, b in enumerate(CIVIL_CODE_BOOKS) if p.stem.endswith(b)), 99))
    return sorted(out, key=lambda g: g[0].name)


def _same_text(a: Sequence[Path], b: Sequence[Path]) -> bool:
    x, y = parse_articles(list(a)), parse_articles(list(b))
    return [(t.label, normalize(t.text)) for t in x] == [(t.label, normalize(t.text)) for t in y]


def discover(laws: Path) -> dict:
    """Build the manifest: every adjacent version pair under versions/ plus the successions."""
    laws = Path(laws)
    labels = _manifest_labels(laws)
    tables: list[dict] = []
    skipped: list[dict] = []

    def side(group: Sequence[Path], title: str) -> dict:
        rels = [str(p.relative_to(laws)) for p in group]
        return {
            "title": title,
            "version": version_label(laws, rels[0], labels),
            "date": _file_date(group[0]),
            "paths": rels,
        }

    latest: dict[str, list[Path]] = {}
    for folder in sorted((laws / "versions").iterdir()):
        if not folder.is_dir():
            continue
        title = folder.name
        groups = [g for g in _version_groups(folder) if parse_articles(list(g))]
        if groups:
            latest[title] = groups[-1]
        chain: list[list[Path]] = []
        for g in groups:
            if chain and _same_text(chain[-1], g):
                skipped.append({
                    "title": title,
                    "paths": [str(p.relative_to(laws)) for p in g],
                    "reason": "same articles as " + ", ".join(str(p.relative_to(laws)) for p in chain[-1])
                    + " (another copy of that version); no table",
                })
                continue
            chain.append(g)
        for a, b in zip(chain, chain[1:]):
            fa, fb = side(a, title), side(b, title)
            if fa["version"] == fb["version"]:
                fa["version"] += f"({fa['date'][5:]})"
                fb["version"] += f"({fb['date'][5:]})"
            entry = {
                "file": f"{short_name(title)}/{fa['version']}__{fb['version']}.tsv",
                "kind": "amendment",
                "from": fa,
                "to": fb,
            }
            dec = DECISIONS.get((title, fb["date"]))
            if dec:
                entry["decisions"] = [{"path": p, "section": s} for p, s in dec]
            tables.append(entry)
    for code, preds in ((CIVIL_CODE, CIVIL_CODE_PREDECESSORS), (ENV_CODE, ENV_CODE_PREDECESSORS)):
        if code not in latest:
            continue
        to = side(latest[code], code)
        for title in preds:
            if title not in latest:
                skipped.append({"title": title, "paths": [], "reason": f"no text under versions/; no succession table to {short_name(code)}"})
                continue
            fa = side(latest[title], title)
            tables.append({
                "file": f"{short_name(title)}/{fa['version']}__{short_name(code)}{to['version']}.tsv",
                "kind": "succession",
                "from": fa,
                "to": to,
            })
    return {
        "description": "Article correspondence tables (see docs/correspondence.md). Paths of texts are "
        "relative to the laws folder (../shared/laws from the repository root); files are relative "
        "to this manifest's folder. Regenerate: python -m citex.tables regenerate --laws ../shared/laws",
        "columns": list(COLUMNS),
        "tables": tables,
        "skipped": skipped,
    }


def load_manifest(path: str | Path = MANIFEST) -> dict:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def dump_manifest(manifest: dict, path: str | Path = MANIFEST) -> None:
    text = (
        "# Article correspondence tables: generated by `python -m citex.tables discover`, then kept by hand.\n"
        + yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False, width=200)
    )
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")


def _build_entry(entry: dict, laws: Path, committed: Optional[Path]) -> list[Row]:
    reviewed = [r for r in read_tsv(committed) if r.reviewed] if committed and committed.exists() else []
    return build_table(
        [laws / p for p in entry["from"]["paths"]],
        [laws / p for p in entry["to"]["paths"]],
        kind=entry["kind"],
        decisions=[(laws / d["path"], d.get("section")) for d in entry.get("decisions", [])],
        reviewed=reviewed,
    )


def _unreviewed(rows: Iterable[Row]) -> list[list[str]]:
    return [r.cells() for r in rows if not r.reviewed]


def table_drift(committed: Sequence[Row], generated: Sequence[Row], name: str = "") -> Optional[str]:
    """Difference between a committed table and a rebuilt one, reviewed rows excepted (None if none)."""
    old, new = _unreviewed(committed), _unreviewed(generated)
    if old == new:
        return None
    diff = list(difflib.unified_diff(["\t".join(x) for x in old], ["\t".join(x) for x in new], lineterm="", n=0))
    changed = sum(1 for d in diff if d[:1] in "+-" and d[:3] not in ("+++", "---"))
    return f"{name}: {changed} lines differ\n  " + "\n  ".join(diff[2:12])


def regenerate(
    laws: str | Path = DEFAULT_LAWS,
    manifest_path: str | Path = MANIFEST,
    out_dir: Optional[str | Path] = None,
    check: bool = False,
    only: Optional[str] = None,
    jobs: int = 1,
) -> list[str]:
    """Rebuild every table of the manifest.

    Reviewed rows (``reviewed=yes``) of the committed tables (next to the manifest) are kept.
    With ``check`` nothing is written: the rebuilt tables are compared with the committed ones
    (reviewed rows excepted) and the differences are returned. Otherwise the tables are written
    to ``out_dir`` (default: the manifest's folder) and the list is empty.
    """
    laws = Path(laws)
    manifest_path = Path(manifest_path)
    base = manifest_path.parent
    out = Path(out_dir) if out_dir else base
    entries = [e for e in load_manifest(manifest_path)["tables"] if not only or only in e["file"]]
    args = [(e, laws, base / e["file"]) for e in entries]
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs) as ex:
            results = list(ex.map(_build_star, args))
    else:
        results = [_build_star(a) for a in args]
    problems: list[str] = []
    for e, rows in zip(entries, results):
        committed = base / e["file"]
        if check:
            if not committed.exists():
                problems.append(f"{e['file']}: missing")
                continue
            drift = table_drift(read_tsv(committed), rows, e["file"])
            if drift:
                problems.append(drift)
        else:
            write_tsv(rows, out / e["file"])
    return problems


def _build_star(a: tuple[dict, Path, Path]) -> list[Row]:
    return _build_entry(*a)


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------

app = typer.Typer(help="Article correspondence tables between law versions (maintainer tool).", no_args_is_help=True)


@app.command()
def build(
    old: list[Path] = typer.Argument(..., help="old text(s); several files are concatenated"),
    to: list[Path] = typer.Option(..., "--to", help="new text(s); repeat for a law split into files"),
    out: Optional[Path] = typer.Option(None, "--out", help="TSV to write (default: stdout)"),
    kind: str = typer.Option("amendment", help="amendment or succession"),
    threshold: float = typer.Option(0.5, help="lowest similarity of an amended article"),
    decision: list[Path] = typer.Option([], "--decision", help="amendment decision whose statements are ground truth"),
    section: Optional[str] = typer.Option(None, help="section of a multi-law decision"),
) -> None:
    """Align OLD with --to NEW and write the correspondence table."""
    missing = [str(p) for p in [*old, *to, *decision] if not p.is_file()]
    if missing:
        raise typer.BadParameter(f"not a readable file: {', '.join(missing)}")
    reviewed = [r for r in read_tsv(out) if r.reviewed] if out and out.exists() else []
    rows = build_table(old, to, kind=kind, threshold=threshold, decisions=[(d, section) for d in decision], reviewed=reviewed)
    if out:
        write_tsv(rows, out)
        typer.echo(f"{out}: {len(rows)} rows", err=True)
    else:
        sys.stdout.write(format_tsv(rows))


@app.command("regenerate")
def regenerate_cmd(
    laws: Path = typer.Option(DEFAULT_LAWS, "--laws", help="the laws folder (../shared/laws)"),
    manifest: Path = typer.Option(MANIFEST, help="manifest.yaml"),
    check: bool = typer.Option(False, "--check", help="compare with the committed tables; exit 1 on drift"),
    only: Optional[str] = typer.Option(None, help="only tables whose file contains this string"),
    jobs: int = typer.Option(1, "--jobs", "-j", help="worker processes"),
) -> None:
    """Rebuild every table listed in the manifest (reviewed rows are kept)."""
    if not laws.is_dir():
        typer.echo(f"laws folder not found: {laws}", err=True)
        raise typer.Exit(2)
    t0 = time.perf_counter()
    problems = regenerate(laws, manifest, check=check, only=only, jobs=jobs)
    n = len([e for e in load_manifest(manifest)["tables"] if not only or only in e["file"]])
    for p in problems:
        typer.echo(p, err=True)
    typer.echo(f"{n} tables {'checked' if check else 'written'} in {time.perf_counter() - t0:.1f}s; {len(problems)} drifted", err=True)
    if problems:
        raise typer.Exit(1)


@app.command("discover")
def discover_cmd(
    laws: Path = typer.Option(DEFAULT_LAWS, "--laws"),
    manifest: Path = typer.Option(MANIFEST, help="manifest.yaml to write"),
) -> None:
    """Write a manifest listing every adjacent version pair and the successions (review before committing)."""
    m = discover(laws)
    dump_manifest(m, manifest)
    typer.echo(f"{manifest}: {len(m['tables'])} tables, {len(m['skipped'])} skipped", err=True)


@app.command("coverage")
def coverage_cmd(manifest: Path = typer.Option(MANIFEST, help="manifest.yaml")) -> None:
    """Print the coverage table (markdown) for docs/correspondence.md."""
    base = manifest.parent
    typer.echo("| law | kind | versions | rows | reviewed | not same |\n|---|---|---|---:|---:|---:|")
    tot = [0, 0, 0]
    for e in load_manifest(manifest)["tables"]:
        rows = read_tsv(base / e["file"])
        rev = sum(r.reviewed for r in rows)
        changed = sum(r.relation not in ("same", "renumbered") and not (r.relation == "moved" and "identical" in r.note) for r in rows)
        tot = [tot[0] + len(rows), tot[1] + rev, tot[2] + changed]
        to = e["to"]["version"] if e["kind"] == "amendment" else f"{short_name(e['to']['title'])} {e['to']['version']}"
        typer.echo(f"| {short_name(e['from']['title'])} | {e['kind']} | {e['from']['version']} → {to} | {len(rows)} | {rev} | {changed} |")
    typer.echo(f"| **total** | | | {tot[0]} | {tot[1]} | {tot[2]} |")


if __name__ == "__main__":
    app()
