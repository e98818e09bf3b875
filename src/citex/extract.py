"""Stage 3 — extract: tokens → typed citations, by a small grammar.

The grammar walks the token list once, left to right, keeping a stack of *frames* (one per open
quotation or parenthesis; 。 ends a sentence within a frame). Each frame remembers the law cited
last (for bare pinpoints later in the sentence and for 该法/同法), the mentions it saw (for typed
anaphors such as 该解释), and the pinpoint chain it is building. A citation is emitted for every
leaf of a chain (第1条、第8条 → two citations; 第八条第二、第三款 → (8,2) and (8,3)).

Rules, in the order the code applies them:

* **Titles** 《…》 are canonicalized against the registry (aliases defined in the text by
  以下简称 first). A version written just before (2021年修正的《…》, 原《…》, 2012年《…》), a document
  number just before (法释（1998）18号《关于…》) and a parenthetical just after holding only
  document numbers, versions, dates and 以下简称 definitions (（法释〔2018〕3号，2020年修正）) belong
  to the title. A title starting with 关于 takes the issuer written before it in the sentence
  (最高人民法院、最高人民检察院《关于…》) or implied by its document number (法释 → 最高人民法院).
  Titles of private documents (《借款协议》, 《公司章程》, newspapers) block the sentence's law.
* **Pinpoints** attach to the law mention right before them (title, 以下简称 alias, anaphor, or a
  bare registry name such as 刑法 / 民诉法 read from the text before 第), else to the law carried
  over from earlier in the sentence; with no law at all they are dropped (第一条微博).
* **Lists and ranges**: the text between two pinpoints decides: 、 和 及 以及 … make a list, 至 到 -
  make a range; a lower unit after a list connector inherits the higher units (第118条第1款、第2款).
  Compressed lists take their unit from the last member (第1、8条, 第二、第三款, 第（一）、（二）项).
* **Not citations**: an article heading at the start of a line followed by a space (第二十条 人民法院…),
  a pinpoint right after a private document's name (该协议第3条), an ordinal with a measure word
  (第一条微博), the tail of a case number (（2011）双流刑初字第544号).
"""
from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from datetime import date

from citex.models import (
    CaseNumberCitation, Citation, DocNumber, GuidingCaseCitation, JudicialInterpretationCitation, LawMention,
    StatuteCitation, VersionQualifier,
)
from citex.normalize import Normalized, normalize
from citex.numerals import NumeralError, parse_number
from citex.patterns import GRAMMAR
from citex.registry import REGISTRY, Law, split_title_version, title_key
from citex.tokenize import Token, tokenize

__all__ = ["extract"]

_LEX = GRAMMAR.lexicon
_LIST = frozenset(_LEX["list_connectors"])
_RANGE = frozenset(_LEX["range_connectors"])
_PAREN_GAP = re.compile(_LEX["paren_gap"])
_VERSION_TITLE_GAP = re.compile(_LEX["version_title_gap"])
_LAW_PIN_GAP = re.compile(_LEX["law_pin_gap"])
_NONLAW_END = tuple(sorted(_LEX["nonlaw_title_endings"], key=len, reverse=True))
_LAW_END = tuple(sorted(_LEX["law_title_endings"], key=len, reverse=True))
_JUDICIAL = tuple(_LEX["judicial_markers"])
_JUDICIAL_FORMS = tuple(_LEX["judicial_forms"])
_PRIVATE_WORDS = tuple(_LEX["private_title_words"])
_GENERIC_TITLES = frozenset(_LEX["generic_titles"])
_NONJUDICIAL_ISSUERS = tuple(_LEX["nonjudicial_issuers"])
_JUDICIAL_WORDS = tuple(_LEX["judicial_subject_words"])
_ISSUERS: dict[str, str] = _LEX["issuers"]
_DOC_KIND: dict[str, str] = _LEX["doc_issuers"]
_DOC_BODY: dict[str, str] = _LEX["doc_issuer_bodies"]
_ANAPHORS: dict[str, str] = _LEX["law_anaphors"]
_RELATIVE: dict[str, str] = _LEX["relative_versions"]
_ORDINAL_NOUNS = tuple(_LEX["ordinal_nouns"])
_GC_ISSUERS: dict[str, str] = dict(sorted(_LEX["guiding_case_issuers"].items(), key=lambda kv: -len(kv[0])))
_CASE_TYPES = tuple(sorted(_LEX["case_types"], key=len, reverse=True))


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Words the grammar reads from the end of a gap (they are not tokens: see tokens.yaml).
_ANAPHOR_AT_END = re.compile(f"(?:{_alt(_ANAPHORS)})$")
_NONLAW_AT_END = re.compile(f"(?:{_alt(_LEX['nonlaw_heads'])})$")
_RELATIVE_AT_END = re.compile(f"(?:{_alt(_RELATIVE)})$")
_ISSUER_RUN = re.compile(f"(?:{_alt(_ISSUERS)})(?:[、,和与](?:{_alt(_ISSUERS)}))*")
_ISSUER_SPLIT = re.compile(r"[、,和与]")
_ISSUER_RUN_END = re.compile(_ISSUER_RUN.pattern + "$")
_OUTER_TAIL = re.compile(r"[^,。;:“”\"《》()!?]{0,30}?(?:的解释|的规定|的意见|的批复|的决定|的答复|的通知|的解答)(?:\([一二三四五六七八九十]{1,3}\))?")
# A version written right before a law's name: 原 / 修正前的 (relative), 2012年, 2017年6月27日修正的.
_VERSION_AT_END = re.compile(
    f"(?:(?P<rel>{_alt(_RELATIVE)})|(?P<year>1[89]\\d\\d|20\\d\\d)年(?:\\d{{1,2}}月(?:\\d{{1,2}}日)?)?(?P<verb>修正|修订|修改)?(?:版)?的?)$")
_NUM = GRAMMAR.fragments["num"]
_GAP_MEMBER = re.compile(f"(?P<conn>{_alt(_LIST | _RANGE)})(?P<n>{_NUM})(?P<unit>[条款项目])")
_MEMBER = re.compile(f"(?P<conn>{_alt(_LIST | _RANGE)})?第?(?:(?P<n>{_NUM})|\\((?P<p>{_NUM})\\))")
_OPENERS = {"(": ")", "“": "”", "‘": "’", "「": "」", "『": "』"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
_LEVEL_OF_UNIT = {"条": 1, "款": 2, "项": 3, "目": 4}
_PIN_KINDS = frozenset({"article", "paragraph", "item", "sub_item", "compressed"})
_MAX_DEPTH = 64
_ISSUER_WINDOW = 80
_SENTENCE_END = re.compile(_LEX["sentence_end"])
_CONNECTOR_FIRST = frozenset(c[0] for c in _LIST | _RANGE)


def _at_end(rx: re.Pattern[str], s: str) -> re.Match[str] | None:
    """``rx`` (anchored with $) searched in the last characters of ``s`` only: gaps can be long."""
    return rx.search(s, max(0, len(s) - _TAIL))


_TAIL = 24  # longer than any word read from the end of a gap (anaphors, versions, nouns)


def _relative(word: str, start: int | None, end: int | None) -> VersionQualifier:
    relation = _RELATIVE[word]
    verb = next((v for v in ("修正", "修订", "修改") if v in word), None)
    return VersionQualifier(raw=word, verb=verb, relation=relation, start=start, end=end)


@dataclass
class _Mention:
    """A law as mentioned in the text (internal; normalized offsets)."""

    title: str | None
    law: Law | None
    is_law: bool
    judicial: bool
    written: str | None = None
    start: int | None = None
    end: int | None = None
    anaphor: str | None = None
    version: VersionQualifier | None = None
    doc: DocNumber | None = None
    title_only: bool = True  # may be emitted as a title-only citation when no pinpoint uses it
    used: bool = False

    def as_reference(self, written: str | None, start: int | None, end: int | None, anaphor: str | None) -> "_Mention":
        """The same law mentioned again (alias, anaphor): never emitted on its own."""
        return replace(self, written=written, start=start, end=end, anaphor=anaphor, title_only=False, used=False)


_BLOCKER = _Mention(title=None, law=None, is_law=False, judicial=False, title_only=False)


@dataclass
class _Leaf:
    levels: dict  # level -> number (article: (number, suffix))
    start: int
    end: int
    ends: dict = field(default_factory=dict)  # level -> range end
    emitted: bool = False


@dataclass
class _Chain:
    mention: _Mention | None
    version: VersionQualifier | None
    leaf: _Leaf | None = None

    @property
    def level(self) -> int:
        return max(self.leaf.levels) if self.leaf else 0


@dataclass
class _Frame:
    opener: str | None
    law: _Mention | None = None
    history: list = field(default_factory=list)
    quote_law: _Mention | None = None
    chain: _Chain | None = None
    attach: _Mention | None = None
    attach_end: int = -1
    stale: _Mention | None = None  # the law of the sentence before (see _end_sentence)
    stale_pos: int = 0


@lru_cache(maxsize=8192)
def _resolve_title(body: str, issuer: str | None, doc_issuer: str | None, doc_text: str | None) -> tuple[str, Law | None, bool, bool]:
    """(canonical title, registry law, is_law, judicial) for a title body; see _Extractor._title."""
    key, _ = split_title_version(title_key(body))
    law = REGISTRY.lookup(key)
    if law is None and key.startswith("关于"):
        prefix = issuer or _DOC_BODY.get(doc_issuer)
        if prefix:
            law = REGISTRY.lookup(prefix + key)
    if law is None and doc_text is not None:
        law = REGISTRY.by_doc_number(doc_text)
    ends_nonlaw = key.endswith(_NONLAW_END) or key in _GENERIC_TITLES or any(w in key for w in _PRIVATE_WORDS)
    ends_law = key.endswith(_LAW_END)
    if law is None and ends_law and not ends_nonlaw:
        law = REGISTRY.fuzzy(((issuer or "") if key.startswith("关于") else "") + key)
    if law is not None:
        return law.title, law, True, law.is_judicial
    written, _ = split_title_version(body.replace("〈", "《").replace("〉", "》"))
    if key.startswith("关于") and issuer:
        written = issuer + written
    written = written.replace("(", "（").replace(")", "）")
    is_law = ends_law and not ends_nonlaw
    judicial = is_law and not key.startswith(_NONJUDICIAL_ISSUERS) and (any(m in written for m in _JUDICIAL)
                           or _DOC_KIND.get(doc_issuer) == "judicial_interpretation"
                           or (key.startswith("关于") and key.endswith(_JUDICIAL_FORMS))
                           or (key.startswith("关于") and any(w in key for w in _JUDICIAL_WORDS)))
    return written, None, is_law, judicial


class _Extractor:
    def __init__(self, norm: Normalized) -> None:
        self.norm = norm
        self.text = norm.text
        self.headings = norm.heading_starts  # the document's own 第X条 headings: not citations
        self.tokens = tokenize(norm.text, self.headings)
        self.frames = [_Frame(opener=None)]
        self.out: list[tuple[int, int, tuple]] = []  # (normalized start, sequence, draft)
        self.mentions: list[_Mention] = []
        self.doc_aliases: dict[str, _Mention] = {}
        self.law_mentions: dict[int, tuple[_Mention, LawMention]] = {}
        self.mapped: dict[int, tuple[object, object]] = {}  # id → (original, mapped): keeps the original alive
        self.doc_alias_suffixes: set[str] = set()
        self.prev_end = 0
        self.sentence_start = 0
        self.last_title_end = 0
        self.pending_version: VersionQualifier | None = None
        self.pending_doc: DocNumber | None = None
        self.seq = 0
        self.has_headings = bool(self.headings)  # a law's own text: no carry-over into the next sentence
        self.self_law, title_end = self._document_title(norm.original)
        # the title line itself cites nothing (its 《中华人民共和国民法典》 is part of the title)
        self.skip_until = norm.norm_pos(title_end) if self.self_law else 0

    @staticmethod
    def _document_title(original: str) -> "tuple[_Mention | None, int]":
        """The law the text itself is, when its first line is a registry title (a law's or an
        interpretation's own text): 本法 / 本解释 then mean it. Returns it and the line's end offset."""
        pos = 0
        for raw in original[:400].splitlines(keepends=True):
            pos += len(raw)
            line = raw.strip().lstrip("#").strip()
            if line:
                # a title line is the bare title; 《…》 at the start is a citation in running text
                law = REGISTRY.lookup(line) if len(line) <= 80 and not line.startswith("《") else None
                if law is None:
                    return None, 0
                return _Mention(title=law.title, law=law, is_law=True, judicial=law.is_judicial, title_only=False), pos
        return None, 0

    # ---- helpers -------------------------------------------------------------------------
    @property
    def frame(self) -> _Frame:
        return self.frames[-1]

    def _emit(self, start: int, draft: tuple) -> None:
        self.seq += 1
        self.out.append((start, self.seq, draft))

    @staticmethod
    def _version(tok: Token) -> VersionQualifier:
        f = tok.fields
        tail = f.get("tail") or ""
        return VersionQualifier(raw=tok.text, year=int(f["year"]), verb=f["verb"],
                                relation="before" if tail.startswith("前") else None, start=tok.start, end=tok.end)

    @staticmethod
    def _doc(tok: Token) -> DocNumber | None:
        f = tok.fields
        try:
            serial = parse_number(f["serial"])
        except NumeralError:
            return None
        if tok.kind == "order_number":
            issuer = "国务院令" if f["left"] == "国务院" else "中华人民共和国主席令"
            return DocNumber(raw=tok.text, issuer=issuer, serial=serial, start=tok.start, end=tok.end)
        year = int(f["year"].replace("I", "1").replace("l", "1"))
        return DocNumber(raw=tok.text, issuer=f["left"], year=year, serial=serial, start=tok.start, end=tok.end)

    def _version_before(self, gap: str, end: int) -> VersionQualifier | None:
        """A version written right before a law's name (a title or a bare name): 2021年修正的《…》 (a
        version token just before), 原《…》, 修正前的《…》, 2012年《…》, 原合同法第…."""
        if self.pending_version is not None and _VERSION_TITLE_GAP.match(gap):
            return self.pending_version
        return self._version_at_end(gap, end)

    @staticmethod
    def _version_at_end(gap: str, end: int) -> VersionQualifier | None:
        """The version written at the end of ``gap`` (ending at normalized ``end``), right before a
        law's name: 原《…》, 修正前的《…》, 2012年《…》, 原合同法第…, 2017年修正的民事诉讼法第…."""
        m = _at_end(_VERSION_AT_END, gap)
        if m is None or not m.group():
            return None
        start = end - len(m.group())
        if m.group("rel"):
            return _relative(m.group("rel"), start, end)
        return VersionQualifier(raw=m.group(), year=int(m.group("year")), verb=m.group("verb"), start=start, end=end)

    def _issuer_before(self, pos: int) -> str | None:
        """Issuers written before a title that starts with 关于, in the same sentence:
        最高人民法院、最高人民检察院《关于…》 → 最高人民法院、最高人民检察院."""
        lo = max(self.sentence_start, self.last_title_end, pos - _ISSUER_WINDOW)
        last = None
        for m in _ISSUER_RUN.finditer(self.text, lo, pos):
            last = m
        if last is None:
            return None
        names = [_ISSUERS.get(x, x) for x in _ISSUER_SPLIT.split(last.group()) if x]
        return "、".join(dict.fromkeys(names))

    def _resolve_title(self, body: str, issuer: str | None, doc: DocNumber | None) -> tuple[str, Law | None, bool, bool]:
        """(canonical title, registry law, is_law, judicial) for a title body (cached: titles recur)."""
        return _resolve_title(body, issuer, doc.issuer if doc else None, doc.text if doc else None)

    def _set_law(self, m: _Mention) -> None:
        fr = self.frame
        fr.law = m if m.is_law else _BLOCKER
        if m.is_law:
            fr.history.append(m)
            if len(fr.history) > 16:
                del fr.history[:8]

    def _attach(self, m: _Mention, end: int) -> None:
        fr = self.frame
        fr.attach = m
        fr.attach_end = end

    # ---- the law of a new pinpoint -------------------------------------------------------
    def _law_for_new_chain(self, tok: Token, gap: str) -> tuple[_Mention | None, VersionQualifier | None]:
        fr = self.frame
        g, g_end = gap, tok.start
        version = None
        m = _at_end(_RELATIVE_AT_END, g)
        if m:  # 《解释》原第六条
            version = _relative(m.group(), g_end - len(m.group()), g_end)
            g, g_end = g[: m.start()], g_end - len(m.group())
        if _at_end(_NONLAW_AT_END, g):  # 该协议第3条: a clause of a private document
            fr.law = _BLOCKER
            return _BLOCKER, None
        if fr.attach is not None and fr.attach_end == self.prev_end and _LAW_PIN_GAP.match(g):
            return fr.attach, version
        bare = self._bare_law(g, g_end)
        ana = _at_end(_ANAPHOR_AT_END, g)
        if ana and (bare is None or len(bare[0].written or "") <= len(ana.group())):
            m = self._anaphor(ana.group(), g_end - len(ana.group()), g_end)
            if m.is_law:
                fr.law = m  # 本法第116条…，依照第116条: later bare pinpoints of the sentence follow it
            return m, version
        if bare is not None:
            self._set_law(bare[0])
            return bare[0], version or bare[1]
        if fr.law is None and fr.stale is not None and self._same_paragraph(fr.stale_pos, tok.start):
            fr.law = fr.stale  # 依照刑法第六十五条…。…依照第六十七条: the law of the sentence before
        return fr.law, version

    def _bare_law(self, gap: str, end: int) -> tuple[_Mention, VersionQualifier | None] | None:
        """A law named without marks right before a pinpoint: 刑法第…, 民诉法解释第…, 行诉法解释第…."""
        if len(gap) < 2:
            return None
        suffixes, names = REGISTRY.bare_suffixes, REGISTRY.bare
        doc = self.doc_aliases
        found = 0
        n = 1
        while n <= len(gap):
            tail = gap[-n:]
            in_doc = tail in self.doc_alias_suffixes
            if tail not in suffixes and not in_doc:
                break
            if n >= 2 and (tail in doc or tail in names):
                found = n
            n += 1
        if not found:
            return self._bare_nested_title(gap, end)
        n = found  # the longest name: 劳动合同法 over 合同法
        name = gap[-n:]
        ref = doc.get(name)
        law = None if ref is not None else names[name]
        start = end - n
        if ref is not None:
            m = ref.as_reference(name, start, end, None)
        else:
            m = _Mention(title=law.title, law=law, is_law=True, judicial=law.is_judicial, written=name,
                         start=start, end=end, title_only=False)
        return m, self._version_before(gap[:-n], start)

    def _bare_nested_title(self, gap: str, end: int) -> tuple[_Mention, VersionQualifier | None] | None:
        """最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释第九十条: a registry title written without
        outer marks, its inner title in 〈〉 or “”: matched with the inner marks left out."""
        tail = gap[-90:]
        if "关于" not in tail or not any(c in tail for c in "〈〉“”"):
            return None
        kept = [j for j, c in enumerate(tail) if c not in "〈〉“”《》"]
        stripped = "".join(tail[j] for j in kept)
        names = REGISTRY.bare
        for n in range(len(stripped), 7, -1):
            law = names.get(stripped[-n:])
            if law is not None and law.is_judicial:
                start = end - (len(tail) - kept[-n])
                m = _Mention(title=law.title, law=law, is_law=True, judicial=True, written=self.text[start:end],
                             start=start, end=end, title_only=False)
                return m, None
        return None

    def _anaphor(self, word: str, start: int, end: int) -> _Mention:
        """该法 / 同法 → the law cited last; 该解释 → the last interpretation; 本法 → the law quoted
        from (inside a quotation), else the law cited last, else the document itself (unknown)."""
        want = _ANAPHORS.get(word, "any")
        fr = self.frame
        target: _Mention | None
        if want == "self":
            target = fr.quote_law or self.self_law or (fr.law if fr.law is not _BLOCKER else None)
        elif want == "any":
            target = fr.law if fr.law is not None and fr.law is not _BLOCKER else None
            if target is None:
                target = next((m for f in reversed(self.frames) for m in reversed(f.history)), None)
        else:
            target = next((m for f in reversed(self.frames) for m in reversed(f.history)
                           if m.title and (m.title.endswith(want) or (want == "解释" and m.judicial))), None)
        if target is None:
            return _Mention(title=None, law=None, is_law=want == "self", judicial=word.endswith(("解释", "规定")),
                            written=word, start=start, end=end, anaphor=word, title_only=False)
        return target.as_reference(word, start, end, word)

    # ---- pinpoint chains -----------------------------------------------------------------
    def _finish_chain(self, fr: _Frame | None = None) -> None:
        fr = fr or self.frame
        ch = fr.chain
        if ch is not None and ch.leaf is not None:
            self._emit_leaf(ch, ch.leaf)
        fr.chain = None

    def _emit_leaf(self, ch: _Chain, leaf: _Leaf) -> None:
        if leaf.emitted:
            return
        leaf.emitted = True
        m = ch.mention
        if m is None or not m.is_law or 1 not in leaf.levels:
            return
        m.used = True
        art, suffix = leaf.levels[1]
        self._emit(leaf.start, ("law", m, ch.version or m.version, leaf.start, leaf.end, art, suffix, leaf.ends.get(1),
                                leaf.levels.get(2), leaf.ends.get(2), leaf.levels.get(3), leaf.ends.get(3), leaf.levels.get(4),
                                leaf.ends.get("suffix")))

    def _components(self, tok: Token) -> list[tuple[int, int, int | None]]:
        """(level, number, suffix) of a pinpoint token: 第五十七条一款 → [(1, 57, None), (2, 1, None)]."""
        f = tok.fields
        kind = tok.kind
        if kind == "article":
            num = self._num(f["num"])
            if num is None:
                return []
            out = [(1, num, self._num(f["zhi"][1:]) if f.get("zhi") else None)]
            para = self._num(f.get("para"))
            if para is not None:
                out.append((2, para, None))
            return out
        level = {"paragraph": 2, "item": 3, "sub_item": 4}[kind]
        num = self._num(f.get("num") or f.get("pnum") or f.get("bnum"))
        return [] if num is None else [(level, num, None)]

    def _pin(self, tok: Token, gap: str) -> None:
        fr = self.frame
        ch = fr.chain
        if tok.kind == "compressed":
            self._compressed(tok, gap)
            return
        comps = self._components(tok)
        if not comps:
            return
        level, num, suffix = comps[0]
        bare_item = tok.kind == "item" and tok.fields.get("bnum") is not None
        value = (num, suffix) if level == 1 else num
        if ch is not None and ch.leaf is not None and gap == "" and level > ch.level:
            ch.leaf.levels[level] = value  # 第74条 + 第2款: a lower unit refines the leaf
            ch.leaf.end = tok.end
        elif bare_item and not (ch is not None and ch.leaf is not None and gap in _LIST and ch.level == 3):
            return  # （二） not right after a pinpoint (or in a list of items) is a list marker
        elif ch is not None and ch.leaf is not None and gap in _RANGE and level == ch.level:
            self._range_end(ch, level, num, suffix, tok.end)  # 第五条至第七条
        elif ch is not None and ch.leaf is not None and (gap in _LIST or gap == ""):
            self._next_leaf(ch, level, value, tok.start, tok.end)  # 第1条、第8条 / 第118条第1款、第2款
        else:
            self._finish_chain()
            if level != 1:
                return  # a 款/项 with no article before it is relative (前款, 第二款): not extracted
            if self.text.startswith(_ORDINAL_NOUNS, tok.end):
                return  # 第一条微博: an ordinal with a measure word (headings never reach here: tokenize drops them)
            mention, version = self._law_for_new_chain(tok, gap)
            fr.chain = _Chain(mention=mention, version=version, leaf=_Leaf(levels={1: value}, start=tok.start, end=tok.end))
        for lvl, n, _ in comps[1:]:
            fr.chain.leaf.levels[lvl] = n

    def _compressed(self, tok: Token, gap: str) -> None:
        """第1、8条 / 第二、第三款 / 第（一）、（二）项 / 第5至7条: the unit of the last member applies to all."""
        fr = self.frame
        ch = fr.chain
        level = _LEVEL_OF_UNIT[tok.fields["unit"]]
        numbers, conns = [], []
        for m in _MEMBER.finditer(tok.text, 0, len(tok.text) - 1):
            n = self._num(m.group("n") or m.group("p"))
            if n is None:
                return
            numbers.append(n)
            conns.append(m.group("conn"))
        if not numbers:
            return
        if ch is not None and ch.leaf is not None and level > 1 and (gap == "" or gap in _LIST) and level > min(ch.leaf.levels):
            parent_leaf = ch.leaf
            if gap != "":
                self._emit_leaf(ch, parent_leaf)
            parent = {k: v for k, v in parent_leaf.levels.items() if k < level}
            start = parent_leaf.start if gap == "" else tok.start
        elif ch is not None and ch.leaf is not None and level == 1 and gap in _LIST:
            self._emit_leaf(ch, ch.leaf)
            parent, start = {}, tok.start
        else:
            self._finish_chain()
            if level != 1 or tok.start in self.headings:
                return
            mention, version = self._law_for_new_chain(tok, gap)
            ch = fr.chain = _Chain(mention=mention, version=version)
            parent, start = {}, tok.start
        if 1 not in parent and level != 1:
            return
        value = (lambda n: (n, None)) if level == 1 else (lambda n: n)
        if len(numbers) == 2 and conns[1] in _RANGE:
            leaves = [_Leaf(levels={**parent, level: value(numbers[0])}, start=start, end=tok.end, ends={level: numbers[1]})]
        else:
            leaves = [_Leaf(levels={**parent, level: value(n)}, start=start, end=tok.end) for n in numbers]
        for leaf in leaves[:-1]:
            self._emit_leaf(ch, leaf)
        ch.leaf = leaves[-1]

    def _gap_members(self, start: int, end: int) -> None:
        """Members of a list written without 第 after a pinpoint: 第10条、11条 / 第一款、二款."""
        ch = self.frame.chain
        if ch is None or ch.leaf is None or start >= end:
            return
        pos = start
        while True:
            m = _GAP_MEMBER.match(self.text, pos, end)
            if m is None:
                return
            level = _LEVEL_OF_UNIT[m.group("unit")]
            num = self._num(m.group("n"))
            if num is None or level not in ch.leaf.levels and level != ch.level + 1:
                return
            if m.group("conn") in _RANGE and level == ch.level:
                self._range_end(ch, level, num, None, m.end())
            else:
                self._next_leaf(ch, level, (num, None) if level == 1 else num, m.start("n"), m.end())
            pos = m.end()
            self.prev_end = max(self.prev_end, pos)

    def _range_end(self, ch: _Chain, level: int, num: int, suffix: int | None, end: int) -> None:
        """至 / -: the current leaf becomes a range ending at ``num`` (第二百一十三条至第二百一十九条之一)."""
        ch.leaf.ends[level] = num
        if level == 1 and suffix:
            ch.leaf.ends["suffix"] = suffix
        ch.leaf.end = end

    def _next_leaf(self, ch: _Chain, level: int, value: object, start: int, end: int) -> None:
        """、 和 及 …: emit the current leaf; the next one keeps its higher units (第118条第1款、第2款)."""
        self._emit_leaf(ch, ch.leaf)
        levels = {k: v for k, v in ch.leaf.levels.items() if k < level}
        levels[level] = value
        ch.leaf = _Leaf(levels=levels, start=start, end=end)

    @staticmethod
    def _num(s: str | None) -> int | None:
        if not s:
            return None
        try:
            return parse_number(s)
        except NumeralError:
            return None

    # ---- main loop -----------------------------------------------------------------------
    def run(self) -> list[Citation]:
        toks, text = self.tokens, self.text
        i, n = 0, len(toks)
        while i < n and toks[i].start < self.skip_until:
            i += 1
        while i < n:
            tok = toks[i]
            start, kind = tok.start, tok.kind
            prev_end = self.prev_end
            nxt = i + 1
            if start > prev_end:
                gap = text[prev_end:start]
                if gap[0] in _CONNECTOR_FIRST:
                    self._gap_members(prev_end, start)
                    if self.prev_end != prev_end:  # 、六十七条 was read: what follows it refines that member
                        prev_end = self.prev_end
                        gap = text[prev_end:start]
                se = (_SENTENCE_END.search(text, prev_end, start)
                      if gap and ("。" in gap or "!" in gap or "?" in gap) else None)
                if se is not None:
                    self._end_sentence(max(text.rfind("。", prev_end, start), text.rfind("!", prev_end, start),
                                           text.rfind("?", prev_end, start)) + 1,
                                       several=_SENTENCE_END.search(text, se.end(), start) is not None)
            else:
                gap = ""
            if kind in _PIN_KINDS:
                self._pin(tok, gap)
            elif kind == "punct":
                self._punct(tok)
            elif kind == "title":
                nxt = self._title(i, gap)
            elif kind in ("doc_number", "order_number"):
                nxt = self._doc_token(i, gap)
            elif kind == "version":
                self._version_token(tok, gap)
            elif kind == "alias_def":
                fr = self.frame
                if fr.attach is not None and fr.attach_end >= 0 and _PAREN_GAP.match(text[fr.attach_end:start]):
                    self._define_alias(tok, fr.attach)
            elif kind == "guiding_case":
                self._guiding_case(tok)
            elif kind == "case_number":
                self._case_number(tok)
            if kind != "version":
                self.pending_version = None
            end = toks[nxt - 1].end
            if end > self.prev_end:
                self.prev_end = end
            i = nxt
        self._gap_members(self.prev_end, len(self.text))
        while self.frames:
            self._finish_chain(self.frames[-1])
            self.frames.pop()
        for m in self.mentions:
            if m.title_only and not m.used and m.is_law:
                self._emit(m.start, ("title", m))
        self.out.sort(key=lambda x: (x[0], x[1]))
        return [c for c in (self._build(d) for _, _, d in self.out) if c is not None]

    def _outer_title(self, i: int, gap: str) -> int | None:
        """最高人民法院关于适用《中华人民共和国公司法》若干问题的规定（三）第二十四条: an interpretation
        written without its outer marks; the 《…》 is the inner title, not the law cited. Returns the
        index of the next token, or None when the title token stands on its own."""
        k = gap.rfind("关于")
        if k < 0 or len(gap) - k > 4:  # 关于《 / 关于适用《 / 关于执行《
            return None
        tok = self.tokens[i]
        tail = _OUTER_TAIL.match(self.text, tok.end)
        if tail is None:
            return None
        gap_start = tok.start - len(gap)
        head = gap_start + k
        iss = _ISSUER_RUN_END.search(self.text, max(gap_start, head - 60), head)
        if iss is not None:
            head = iss.start()
        end = tail.end()
        title, law, is_law, judicial = self._resolve_title(self.text[head:end], None, None)
        if law is None and iss is None:
            return None  # no issuer and unknown: not sure enough that the marks are inner ones
        nxt = i + 1
        while nxt < len(self.tokens) and self.tokens[nxt].start < end:
            nxt += 1
        after, doc, version, aliases = self._absorb(nxt, end)
        m = _Mention(title=title, law=law, is_law=True, judicial=judicial, written=self.text[head:end],
                     start=head, end=end, title_only=doc is not None, version=version, doc=doc)
        self.mentions.append(m)
        for alias in aliases:
            self._define_alias(alias, m)
        self._set_law(m)
        self._attach(m, self.tokens[after - 1].end if after > nxt else end)
        self.last_title_end = end
        self.prev_end = max(self.prev_end, end)
        return after

    def _title(self, i: int, gap: str) -> int:
        tok = self.tokens[i]
        self._finish_chain()
        outer = self._outer_title(i, gap)
        if outer is not None:
            return outer
        body = tok.fields["body"]
        version = self._version_before(gap, tok.start)
        doc = self.pending_doc if gap == "" else None
        self.pending_doc = None
        nxt, doc2, ver2, aliases = self._absorb(i + 1, tok.end)
        while nxt > i + 1:  # （法释〔2020〕17号）（以下简称民间借贷规定）: several in a row
            more = self._absorb(nxt, self.tokens[nxt - 1].end)
            if more[0] == nxt:
                break
            nxt, doc2, ver2, aliases = more[0], doc2 or more[1], ver2 or more[2], aliases + more[3]
        doc = doc or doc2
        key = title_key(body)
        ref = self.doc_aliases.get(split_title_version(key)[0])
        if ref is None and gap.endswith("本") and len(key) <= 6:
            # 本《规定》第三条: the document itself, named by its kind (like 本规定)
            word = "本" + key if "本" + key in _ANAPHORS else "本法"
            m = replace(self._anaphor(word, tok.start - 1, tok.end), written="本" + tok.text, anaphor="本" + tok.text)
            if m.is_law:
                self._set_law(m)
            self._attach(m, tok.end)
            self.last_title_end = tok.end
            return i + 1
        if ref is not None:
            m = ref.as_reference(tok.text, tok.start, tok.end, None)
        else:
            issuer = self._issuer_before(tok.start) if key.startswith("关于") else None
            title, law, is_law, judicial = self._resolve_title(body, issuer, doc)
            m = _Mention(title=title, law=law, is_law=is_law, judicial=judicial, written=tok.text, start=tok.start, end=tok.end)
            self.mentions.append(m)
            _, inner = split_title_version(title_key(body))
            if inner is not None and version is None:
                version = VersionQualifier(raw=f"{inner[0]}年{inner[1]}", year=inner[0], verb=inner[1], start=tok.start, end=tok.end)
        m.version = version or ver2 or m.version
        m.doc = doc or m.doc
        for alias in aliases:
            self._define_alias(alias, m)
        self._set_law(m)
        end = self.tokens[nxt - 1].end
        self._attach(m if m.is_law else _BLOCKER, end)
        self.last_title_end = tok.end
        return nxt

    def _absorb(self, j: int, end: int) -> tuple[int, DocNumber | None, VersionQualifier | None, list[Token]]:
        """Read the parenthetical right after a title: （法释〔2018〕3号，2020年修正，以下简称《解释》）.
        Returns (index after it, doc number, version, alias definitions); nothing when the brackets
        hold anything else (（参照《…》第一条） is a nested context, not a qualifier)."""
        toks = self.tokens
        if j >= len(toks) or toks[j].kind != "punct" or toks[j].text != "(" or not _PAREN_GAP.match(self.text[end:toks[j].start]):
            return j, None, None, []
        doc = version = None
        aliases: list[Token] = []
        last = toks[j].end
        for k in range(j + 1, min(len(toks), j + 12)):
            t = toks[k]
            if not _PAREN_GAP.match(self.text[last:t.start]):
                break
            if t.kind == "punct" and t.text == ")":
                return k + 1, doc, version, aliases
            if t.kind in ("doc_number", "order_number") and doc is None:
                doc = self._doc(t)
            elif t.kind == "version" and version is None:
                version = self._version(t)
            elif t.kind == "alias_def":
                aliases.append(t)
            else:
                break
            last = t.end
        return j, None, None, []

    def _define_alias(self, tok: Token, m: _Mention) -> None:
        """以下简称: the alias names that law for the rest of the document."""
        if m is None or not m.is_law:
            return
        key = title_key(tok.fields["alias"])
        if not key:
            return
        self.doc_aliases[key] = m
        self.doc_alias_suffixes.update(key[-i:] for i in range(1, len(key) + 1))

    def _doc_token(self, i: int, gap: str) -> int:
        tok = self.tokens[i]
        doc = self._doc(tok)
        nxt_tok = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
        if doc is None:
            return i + 1
        if nxt_tok is not None and nxt_tok.kind == "title" and nxt_tok.start == tok.end:
            self.pending_doc = doc  # 法释（1998）18号《关于…》
            return i + 1
        self._finish_chain()
        law = REGISTRY.by_doc_number(doc.text)
        judicial = law.is_judicial if law else _DOC_KIND.get(doc.issuer, "statute") == "judicial_interpretation"
        m = _Mention(title=law.title if law else None, law=law, is_law=True, judicial=judicial, written=None,
                     start=tok.start, end=tok.end, doc=doc)
        self.mentions.append(m)
        nxt, _, ver2, aliases = self._absorb(i + 1, tok.end)
        m.version = ver2
        for alias in aliases:
            self._define_alias(alias, m)
        self._set_law(m)
        self._attach(m, self.tokens[nxt - 1].end)
        return nxt

    def _version_token(self, tok: Token, gap: str) -> None:
        v = self._version(tok)
        fr = self.frame
        g = gap[:-1] if gap.endswith("于") else gap
        ana = _at_end(_ANAPHOR_AT_END, g) if g else None
        target = None
        if ana:  # 该法于2015年4月24日修订: the version of the law that anaphor names
            target = self._anaphor(ana.group(), self.prev_end + ana.start(), self.prev_end + ana.end())
        elif g == "" and fr.attach is not None and fr.attach is not _BLOCKER and fr.attach_end == self.prev_end:
            target = fr.attach
        if target is not None and target.is_law:
            m = replace(target, version=v, title_only=False)
            self._attach(m, tok.end)
            if fr.law is not None and fr.law is not _BLOCKER and fr.law.title == m.title:
                fr.law = m
            return
        self.pending_version = v

    def _end_sentence(self, pos: int, several: bool = False) -> None:
        """。 ends the sentence. Its law is kept as ``stale`` for one more sentence of the same
        paragraph, but only in texts without article headings (judgments, news: there a bare 第X条
        in the next sentence continues the law just cited; in a law's own text it means the law
        itself). Aliases defined with 以下简称 stay for the whole document."""
        fr = self.frame
        self._finish_chain()
        law = fr.law
        fr.stale = law if (law is not None and law is not _BLOCKER and law.title and not self.has_headings
                           and not several) else None
        fr.stale_pos = pos
        fr.law = None
        fr.attach = None
        self.sentence_start = pos

    def _same_paragraph(self, a: int, b: int) -> bool:
        """No line break in the original text between normalized positions ``a`` and ``b``."""
        if a <= 0 or a > len(self.text) or b >= len(self.text):
            return False
        o1, o2 = self.norm.orig(a - 1) + 1, self.norm.orig(b)
        return "\n" not in self.norm.original[o1:o2]

    def _punct(self, tok: Token) -> None:
        ch = tok.text
        if ch == '"':
            if self.frame.opener == '"':
                self._close('"')
            else:
                self._open('"', tok.start)
            return
        if ch in _OPENERS:
            self._open(ch, tok.start)
        elif ch in _CLOSERS:
            self._close(_CLOSERS[ch])

    def _open(self, ch: str, pos: int) -> None:
        parent = self.frame
        if ch == "“" and parent.opener == "“" and self.norm.line_start(pos):
            return  # a quotation of several paragraphs reopens “ at each paragraph: still the same quotation
        quote = ch != "("
        law = parent.law if parent.law is not _BLOCKER else None
        child = _Frame(opener=ch, law=parent.law, history=list(parent.history[-8:]),
                       quote_law=law if quote else parent.quote_law)
        if len(self.frames) >= _MAX_DEPTH:  # brackets left open (OCR): forget the oldest, keeping its citations
            self._finish_chain(self.frames[1])
            self.frames.pop(1)
        self.frames.append(child)

    def _close(self, opener: str) -> None:
        for depth in range(len(self.frames) - 1, 0, -1):
            if self.frames[depth].opener == opener:
                while len(self.frames) > depth:
                    self._finish_chain(self.frames[-1])
                    self.frames.pop()
                return

    def _guiding_case(self, tok: Token) -> None:
        f = tok.fields
        no = self._num(f.get("no") or f.get("no2"))
        issuer = next((v for k, v in _GC_ISSUERS.items() if k in tok.text), None)
        if no is not None:
            self._emit(tok.start, ("guiding", tok, no, self._num(f.get("end")), issuer))

    def _case_number(self, tok: Token) -> None:
        f = tok.fields
        body = f["body"]
        ctype = next((t for t in _CASE_TYPES if body.endswith(t) and len(body) > len(t)), None)
        court = body[: len(body) - len(ctype)] if ctype else body
        self._emit(tok.start, ("case", tok, int(f["year"]), court, ctype, int(f["serial"])))

    # ---- building the public objects ------------------------------------------------------
    def _orig(self, start: int | None, end: int | None) -> tuple[int | None, int | None]:
        if start is None or end is None:
            return None, None
        return self.norm.span(start, end)

    def _law_mention(self, m: _Mention) -> LawMention:
        cached = self.law_mentions.get(id(m))
        if cached is not None:
            return cached[1]
        s, e = self._orig(m.start, m.end)
        written = self.norm.original[s:e] if s is not None else None
        lm = LawMention(title=m.title, written=written, start=s, end=e, resolved=m.law is not None,
                        law_kind=m.law.kind if m.law else None, anaphor=m.anaphor)
        self.law_mentions[id(m)] = (m, lm)  # keep m alive so its id is not reused
        return lm

    def _map(self, v):
        """A version qualifier or document number with its offsets mapped to the original text
        (once per object: the citations of one mention share it)."""
        if v is None or v.start is None:
            return v
        cached = self.mapped.get(id(v))
        if cached is None:
            s, e = self._orig(v.start, v.end)
            cached = self.mapped[id(v)] = (v, v.model_copy(update={"start": s, "end": e, "raw": self.norm.original[s:e]}))
        return cached[1]

    def _build(self, d: tuple) -> Citation | None:
        original = self.norm.original
        tag = d[0]
        if tag == "law":
            _, m, ver, ns, ne, art, suffix, art_end, para, para_end, item, item_end, sub, end_suffix = d
            s, e = self.norm.span(ns, ne)
            cls = JudicialInterpretationCitation if m.judicial else StatuteCitation
            return cls(start=s, end=e, surface=original[s:e], law=self._law_mention(m), version=self._map(ver),
                                       doc_number=self._map(m.doc), article=art, article_suffix=suffix, article_end=art_end,
                       article_end_suffix=end_suffix,
                                       paragraph=para, paragraph_end=para_end, item=item, item_end=item_end, sub_item=sub)
        if tag == "title":
            m = d[1]
            s, e = self.norm.span(m.start, m.end)
            cls = JudicialInterpretationCitation if m.judicial else StatuteCitation
            return cls(start=s, end=e, surface=original[s:e], law=self._law_mention(m),
                                       version=self._map(m.version), doc_number=self._map(m.doc))
        if tag == "guiding":
            _, tok, no, end, issuer = d
            s, e = self.norm.span(tok.start, tok.end)
            return GuidingCaseCitation(start=s, end=e, surface=original[s:e], number=no, number_end=end, issuer=issuer)
        _, tok, year, court, ctype, serial = d
        s, e = self.norm.span(tok.start, tok.end)
        text = f"（{year}）" + tok.text[6:]  # canonical brackets: （2021）最高法民终123号
        return CaseNumberCitation(start=s, end=e, surface=original[s:e], year=year, court=court, case_type=ctype,
                                  serial=serial, text=text)


def extract(text: str, *, as_of: date | None = None) -> list[Citation]:
    """Find every citation in ``text``.

    Args:
        text: any Chinese legal text (judgment, interpretation, law text, news, OCR output).
        as_of: the document's date, if known (used by version inference in :func:`citex.resolve`;
            extraction itself records it nowhere else).
    Returns:
        Citations in document order (by start offset), each a :class:`~citex.models.StatuteCitation`,
        :class:`~citex.models.JudicialInterpretationCitation`, :class:`~citex.models.GuidingCaseCitation`
        or :class:`~citex.models.CaseNumberCitation`. Offsets are ``str`` indices into ``text``:
        ``text[c.start:c.end] == c.surface`` for every citation. Empty text gives ``[]``.
    Raises:
        TypeError: ``text`` is not a ``str``, or ``as_of`` is neither ``None`` nor a ``datetime.date``.

    The function is pure: no state is kept between calls, and ``text`` is not modified.
    """
    if not isinstance(text, str):
        raise TypeError(f"citex.extract expects text as str, got {type(text).__name__}")
    if as_of is not None and not isinstance(as_of, date):
        raise TypeError(f"as_of must be a datetime.date or None, got {type(as_of).__name__}")
    if not text:
        return []
    # Extraction allocates many small objects and keeps none of them cyclic: pausing the cyclic
    # garbage collector for the call (and restoring it) makes large documents ~30% faster.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _Extractor(normalize(text)).run()
    finally:
        if was_enabled:
            gc.enable()
