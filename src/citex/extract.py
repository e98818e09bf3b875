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

import re
from dataclasses import dataclass, field, replace
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
_ISSUERS: dict[str, str] = _LEX["issuers"]
_DOC_KIND: dict[str, str] = _LEX["doc_issuers"]
_DOC_BODY: dict[str, str] = _LEX["doc_issuer_bodies"]
_ANAPHORS: dict[str, str] = _LEX["law_anaphors"]
_ORDINAL_NOUNS = tuple(_LEX["ordinal_nouns"])
_GC_ISSUERS: dict[str, str] = _LEX["guiding_case_issuers"]
_CASE_TYPES = tuple(sorted(_LEX["case_types"], key=len, reverse=True))
_ISSUER_SPLIT = re.compile(r"[、,和与]")
_BARE_PREFIX_VERSION = re.compile(
    r"(?:(?P<rel>原|修正前的|修订前的|修改前的|现行)|(?P<year>1[89]\d\d|20\d\d)年(?:\d{1,2}月(?:\d{1,2}日)?)?(?P<verb>修正|修订|修改)?的?)$")
_OPENERS = {"(": ")", "“": "”", "‘": "’", "「": "」", "『": "』"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
_LEVEL_OF_UNIT = {"条": 1, "款": 2, "项": 3, "目": 4}
_MAX_DEPTH = 64


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
    pending: list = field(default_factory=list)  # [(number, start, end, connector_before)]
    pending_refines: bool = False  # the compressed list refines the current leaf (第八条第二、第三款)

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
    issuer: str | None = None


class _Extractor:
    def __init__(self, norm: Normalized, as_of: date | None) -> None:
        self.norm = norm
        self.text = norm.text
        self.as_of = as_of
        self.tokens = tokenize(norm.text)
        self.frames = [_Frame(opener=None)]
        self.out: list[tuple[int, int, object]] = []  # (norm start, order, draft)
        self.mentions: list[_Mention] = []
        self.doc_aliases: dict[str, _Mention] = {}
        self.doc_alias_max = 0
        self.prev_end = 0
        self.pending_version: tuple[Token, VersionQualifier] | None = None
        self.pending_doc: DocNumber | None = None
        self.pending_rel: VersionQualifier | None = None
        self.seq = 0

    # ---- helpers -------------------------------------------------------------------------
    @property
    def frame(self) -> _Frame:
        return self.frames[-1]

    def _emit(self, start: int, draft: object) -> None:
        self.seq += 1
        self.out.append((start, self.seq, draft))

    def _version(self, tok: Token) -> VersionQualifier | None:
        f = tok.fields
        if tok.kind == "version":
            tail = f.get("tail") or ""
            return VersionQualifier(raw=tok.text, year=int(f["year"]), verb=f["verb"],
                                    relation="before" if tail.startswith("前") else None, start=tok.start, end=tok.end)
        if tok.kind == "version_year":
            return VersionQualifier(raw=tok.text, year=int(f["year"]), start=tok.start, end=tok.end)
        if tok.kind == "version_relative":
            rel = f["rel"]
            relation = "original" if rel == "原" else "current" if rel == "现行" else "before"
            verb = next((v for v in ("修正", "修订", "修改") if v in rel), None)
            return VersionQualifier(raw=tok.text, verb=verb, relation=relation, start=tok.start, end=tok.end)
        return None

    @staticmethod
    def _doc(tok: Token) -> DocNumber | None:
        f = tok.fields
        try:
            serial = parse_number(f["serial"])
        except NumeralError:
            return None
        if tok.kind == "order_number":
            issuer = "国务院令" if f["issuer"] == "国务院令" else "中华人民共和国主席令"
            return DocNumber(raw=tok.text, issuer=issuer, serial=serial, start=tok.start, end=tok.end)
        year = int(f["year"].replace("I", "1").replace("l", "1"))
        return DocNumber(raw=tok.text, issuer=f["issuer"], year=year, serial=serial, start=tok.start, end=tok.end)

    def _resolve_title(self, body: str, issuer: str | None, doc: DocNumber | None) -> tuple[str, Law | None, bool, bool]:
        """(canonical title, registry law, is_law, judicial) for a title body."""
        key, _ = split_title_version(title_key(body))
        law = REGISTRY.lookup(key)
        if law is None and key.startswith("关于"):
            prefix = issuer or (_DOC_BODY.get(doc.issuer) if doc else None)
            if prefix:
                law = REGISTRY.lookup(prefix + key)
        if law is None and doc is not None:
            law = REGISTRY.by_doc_number(doc.text)
        ends_nonlaw = key.endswith(_NONLAW_END)
        ends_law = key.endswith(_LAW_END)
        if law is None and ends_law and not ends_nonlaw:
            law = REGISTRY.fuzzy(((issuer or "") if key.startswith("关于") else "") + key)
        if law is not None:
            return law.title, law, True, law.is_judicial
        written = body.replace("〈", "《").replace("〉", "》")
        written, _ = split_title_version(written)
        if key.startswith("关于") and issuer:
            written = issuer + written
        written = written.replace("(", "（").replace(")", "）")
        is_law = ends_law and not ends_nonlaw
        judicial = is_law and (any(m in written for m in _JUDICIAL) or (doc is not None and _DOC_KIND.get(doc.issuer) == "judicial_interpretation"))
        return written, None, is_law, judicial

    def _title_version(self, body: str, tok: Token) -> VersionQualifier | None:
        _, ver = split_title_version(title_key(body))
        if ver is None:
            return None
        return VersionQualifier(raw=f"{ver[0]}年{ver[1]}", year=ver[0], verb=ver[1], start=tok.start, end=tok.end)

    def _set_law(self, m: _Mention) -> None:
        fr = self.frame
        fr.law = m
        if m.is_law:
            fr.history.append(m)

    # ---- chains --------------------------------------------------------------------------
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
        if m is None or not m.is_law:
            return
        if 1 not in leaf.levels:
            return
        m.used = True
        art, suffix = leaf.levels[1]
        self._emit(leaf.start, ("law", m, ch.version or m.version, leaf.start, leaf.end, art, suffix, leaf.ends.get(1),
                                leaf.levels.get(2), leaf.ends.get(2), leaf.levels.get(3), leaf.ends.get(3), leaf.levels.get(4)))

    def _law_for_new_chain(self, tok: Token, gap: str) -> tuple[_Mention | None, VersionQualifier | None]:
        fr = self.frame
        version = None
        if self.pending_rel is not None:
            version, self.pending_rel = self.pending_rel, None
        if fr.attach is not None and fr.attach_end == self.prev_end and _LAW_PIN_GAP.match(gap):
            return fr.attach, version
        bare = self._bare_law(gap, tok.start)
        if bare is not None:
            return bare
        return fr.law, version

    def _bare_law(self, gap: str, pos: int) -> tuple[_Mention, VersionQualifier | None] | None:
        if not gap:
            return None
        longest = min(len(gap), max(REGISTRY.max_bare_len, self.doc_alias_max))
        for n in range(longest, 1, -1):
            name = gap[-n:]
            ref = self.doc_aliases.get(name)
            law = None if ref is not None else REGISTRY.bare.get(name)
            if ref is None and law is None:
                continue
            start = pos - n
            if ref is not None:
                m = ref.as_reference(name, start, pos, None)
            else:
                m = _Mention(title=law.title, law=law, is_law=True, judicial=law.is_judicial, written=name,
                             start=start, end=pos, title_only=False)
            version = None
            vm = _BARE_PREFIX_VERSION.search(gap[:-n])
            if vm:
                vstart = start - len(vm.group(0))
                if vm.group("rel"):
                    rel = vm.group("rel")
                    version = VersionQualifier(raw=vm.group(0), relation="original" if rel == "原" else "current" if rel == "现行" else "before",
                                               verb=next((v for v in ("修正", "修订", "修改") if v in rel), None), start=vstart, end=start)
                elif vm.group("verb") or True:
                    version = VersionQualifier(raw=vm.group(0), year=int(vm.group("year")), verb=vm.group("verb"), start=vstart, end=start)
            self._set_law(m)
            return m, version
        return None

    def _pin(self, tok: Token, gap: str) -> None:
        kind, f = tok.kind, tok.fields
        fr = self.frame
        ch = fr.chain
        if kind == "ordinal_open":
            num = self._num(f.get("num") or f.get("pnum"))
            if num is None:
                return
            if ch is not None and (gap == "" or gap in _LIST or gap in _RANGE) and (ch.leaf is not None or ch.pending):
                if not ch.pending:
                    ch.pending_refines = gap == ""
                    if gap != "" and ch.leaf is not None:
                        self._emit_leaf(ch, ch.leaf)  # it stays as the parent of the compressed list
                ch.pending.append((num, tok.start, tok.end, gap))
                return
            self._finish_chain()
            if self._heading(tok):
                return
            mention, version = self._law_for_new_chain(tok, gap)
            fr.chain = _Chain(mention=mention, version=version, pending=[(num, tok.start, tok.end, "")])
            return
        level, num, suffix = self._level(tok)
        if num is None:
            return
        if ch is not None and ch.pending:
            self._close_compressed(ch, level, num, suffix, tok)
            return
        if ch is not None and ch.leaf is not None and gap == "" and level > ch.level:
            ch.leaf.levels[level] = num if level > 1 else (num, suffix)
            ch.leaf.end = tok.end
            return
        if ch is not None and ch.leaf is not None and gap in _RANGE and level in ch.leaf.levels and level == ch.level:
            ch.leaf.ends[level] = num
            ch.leaf.end = tok.end
            return
        if ch is not None and ch.leaf is not None and (gap in _LIST or gap == ""):
            self._emit_leaf(ch, ch.leaf)
            levels = {k: v for k, v in ch.leaf.levels.items() if k < level}
            levels[level] = num if level > 1 else (num, suffix)
            ch.leaf = _Leaf(levels=levels, start=tok.start, end=tok.end)
            return
        # a new chain
        self._finish_chain()
        if level != 1 or tok.kind != "article":
            return  # a bare 款/项 with no article before it: relative, not extracted
        if self._heading(tok) or self.text.startswith(_ORDINAL_NOUNS, tok.end):
            return
        mention, version = self._law_for_new_chain(tok, gap)
        fr.chain = _Chain(mention=mention, version=version, leaf=_Leaf(levels={1: (num, suffix)}, start=tok.start, end=tok.end))

    def _close_compressed(self, ch: _Chain, level: int, num: int, suffix: int | None, tok: Token) -> None:
        """Close 第1、8条 / 第二、第三款 / 第5至7条: the unit of the last member applies to all."""
        pending, ch.pending = ch.pending, []
        parent = {k: v for k, v in ch.leaf.levels.items() if k < level} if ch.leaf else {}
        if level > 1 and 1 not in parent:
            ch.leaf = None
            return
        start = ch.leaf.start if (ch.pending_refines and ch.leaf is not None) else pending[0][1]
        numbers = [n for n, _, _, _ in pending] + [num]
        last_gap = self.text[pending[-1][2]:tok.start]
        value = (lambda n, suf=None: (n, suf)) if level == 1 else (lambda n, suf=None: n)
        if len(numbers) == 2 and last_gap in _RANGE:
            leaf = _Leaf(levels={**parent, level: value(numbers[0])}, start=start, end=tok.end, ends={level: numbers[1]})
            self._emit_leaf(ch, leaf)
        else:
            for k, n in enumerate(numbers):
                sfx = suffix if k == len(numbers) - 1 else None
                self._emit_leaf(ch, _Leaf(levels={**parent, level: value(n, sfx)}, start=start, end=tok.end))
        # the last member stays as the parent of what follows, already emitted
        ch.leaf = _Leaf(levels={**parent, level: value(numbers[-1], suffix)}, start=start, end=tok.end, emitted=True)

    def _level(self, tok: Token) -> tuple[int, int | None, int | None]:
        f = tok.fields
        if tok.kind == "article":
            suffix = self._num(f["zhi"][1:]) if f.get("zhi") else None
            return 1, self._num(f["num"]), suffix
        if tok.kind == "paragraph":
            return 2, self._num(f["num"]), None
        if tok.kind == "item":
            return 3, self._num(f.get("num") or f.get("pnum")), None
        if tok.kind == "sub_item":
            return 4, self._num(f["num"]), None
        if tok.kind == "unit_num":
            return _LEVEL_OF_UNIT[f["unit"]], self._num(f["num"]), None
        return 0, None, None

    @staticmethod
    def _num(s: str | None) -> int | None:
        if not s:
            return None
        try:
            return parse_number(s)
        except NumeralError:
            return None

    def _heading(self, tok: Token) -> bool:
        """An article heading of the document itself: 第二十条 at a line start, then a space."""
        return self.norm.line_start(tok.start) and self.norm.space_after(tok.end)

    # ---- main loop -----------------------------------------------------------------------
    def run(self) -> list[Citation]:
        toks = self.tokens
        i, n = 0, len(toks)
        while i < n:
            tok = toks[i]
            gap = self.text[self.prev_end:tok.start]
            kind = tok.kind
            nxt = i + 1
            if gap and self.pending_version is not None:
                self.pending_version = None
            if kind in ("article", "paragraph", "item", "sub_item", "ordinal_open", "unit_num"):
                self._pin(tok, gap)
            elif kind == "title":
                nxt = self._title(i, gap)
            elif kind in ("doc_number", "order_number"):
                nxt = self._doc_token(i, gap)
            elif kind in ("version", "version_year", "version_relative"):
                self._version_token(tok, gap)
            elif kind == "law_anaphor":
                self._anaphor(tok)
            elif kind == "alias_def":
                self._alias_def(tok, self.frame.attach)
            elif kind == "issuer":
                names = [_ISSUERS.get(x, x) for x in _ISSUER_SPLIT.split(tok.fields["names"]) if x]
                self.frame.issuer = "、".join(dict.fromkeys(names))
            elif kind == "nonlaw_head":
                self._finish_chain()
                self.frame.law = _BLOCKER
                self.frame.attach = _BLOCKER
                self.frame.attach_end = tok.end
            elif kind == "guiding_case":
                self._guiding_case(tok)
            elif kind == "case_number":
                self._case_number(tok)
            elif kind == "punct":
                self._punct(tok)
            if kind not in ("version", "version_year", "version_relative"):
                self.pending_version = None
            if kind != "version_relative":
                self.pending_rel = None if kind not in ("title",) else self.pending_rel
            self.prev_end = toks[nxt - 1].end
            i = nxt
        while self.frames:
            self._finish_chain(self.frames[-1])
            self.frames.pop()
        for m in self.mentions:
            if m.title_only and not m.used and m.is_law:
                self._emit(m.start, ("title", m))
        self.out.sort(key=lambda x: (x[0], x[1]))
        return [c for c in (self._build(d) for _, _, d in self.out) if c is not None]

    def _title(self, i: int, gap: str) -> int:
        tok = self.tokens[i]
        self._finish_chain()
        fr = self.frame
        body = tok.fields["body"]
        version = None
        if self.pending_version is not None and _VERSION_TITLE_GAP.match(gap):
            version = self.pending_version[1]
        rel_before = self.pending_rel
        self.pending_rel = None
        if rel_before is not None and gap == "":
            version = rel_before
        doc = self.pending_doc if gap == "" else None
        self.pending_doc = None
        # the parenthetical right after the title
        nxt, doc2, ver2, aliases = self._absorb(i + 1, tok.end)
        doc = doc or doc2
        key = title_key(body)
        ref = self.doc_aliases.get(split_title_version(key)[0])
        if ref is not None:
            m = ref.as_reference(tok.text, tok.start, tok.end, None)
        else:
            issuer = fr.issuer if key.startswith("关于") else None
            title, law, is_law, judicial = self._resolve_title(body, issuer, doc)
            m = _Mention(title=title, law=law, is_law=is_law, judicial=judicial, written=tok.text, start=tok.start, end=tok.end)
            self.mentions.append(m)
        m.version = version or ver2 or self._title_version(body, tok) or m.version
        m.doc = doc or m.doc
        for alias in aliases:
            self._define_alias(alias, m)
        self._set_law(m if m.is_law else _BLOCKER)
        if not m.is_law:
            fr.law = _BLOCKER
        fr.attach = m if m.is_law else _BLOCKER
        fr.issuer = None
        self.prev_end = self.tokens[nxt - 1].end
        fr.attach_end = self.prev_end
        return nxt

    def _absorb(self, j: int, end: int) -> tuple[int, DocNumber | None, VersionQualifier | None, list[Token]]:
        """Read the parenthetical after a title: （法释〔2018〕3号，2020年修正，以下简称《解释》）."""
        toks = self.tokens
        if j >= len(toks) or toks[j].kind != "punct" or toks[j].text != "(" or not _PAREN_GAP.match(self.text[end:toks[j].start]):
            return j, None, None, []
        doc = version = None
        aliases: list[Token] = []
        k = j + 1
        last = toks[j].end
        while k < len(toks):
            t = toks[k]
            if not _PAREN_GAP.match(self.text[last:t.start]):
                return j, None, None, []
            if t.kind == "punct" and t.text == ")":
                return k + 1, doc, version, aliases
            if t.kind in ("doc_number", "order_number") and doc is None:
                doc = self._doc(t)
            elif t.kind == "version" and version is None:
                version = self._version(t)
            elif t.kind == "alias_def":
                aliases.append(t)
            else:
                return j, None, None, []
            last = t.end
            k += 1
        return j, None, None, []

    def _define_alias(self, tok: Token, m: _Mention) -> None:
        if m is None or not m.is_law:
            return
        alias = tok.fields["alias"]
        key = title_key(alias)
        if len(key) < 1:
            return
        self.doc_aliases[key] = m
        self.doc_alias_max = max(self.doc_alias_max, len(key))

    def _alias_def(self, tok: Token, m: _Mention | None) -> None:
        if m is not None and _PAREN_GAP.match(self.text[self.frame.attach_end if self.frame.attach_end >= 0 else 0:tok.start][-12:]):
            self._define_alias(tok, m)

    def _doc_token(self, i: int, gap: str) -> int:
        tok = self.tokens[i]
        doc = self._doc(tok)
        nxt_tok = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
        if doc is None:
            return i + 1
        if nxt_tok is not None and nxt_tok.kind == "title" and nxt_tok.start == tok.end:
            self.pending_doc = doc
            return i + 1
        self._finish_chain()
        fr = self.frame
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
        fr.attach = m
        self.prev_end = self.tokens[nxt - 1].end
        fr.attach_end = self.prev_end
        return nxt

    def _version_token(self, tok: Token, gap: str) -> None:
        v = self._version(tok)
        if v is None:
            return
        fr = self.frame
        if tok.kind == "version_relative":
            self.pending_rel = v
            return
        # 该法于2015年4月24日修订: the version of the law just mentioned (and carried over)
        if fr.attach is not None and fr.attach is not _BLOCKER and fr.attach_end == self.prev_end and gap == "":
            m = replace(fr.attach, version=v, title_only=False)
            fr.attach = m
            fr.attach_end = tok.end
            if fr.law is not None and fr.law.law is m.law and fr.law.title == m.title:
                fr.law = m
            return
        self.pending_version = (tok, v)

    def _anaphor(self, tok: Token) -> None:
        self._finish_chain()
        fr = self.frame
        word = tok.fields["word"]
        want = _ANAPHORS.get(word, "any")
        target: _Mention | None = None
        if want == "self":
            target = fr.quote_law or (fr.law if fr.law is not _BLOCKER else None)
        elif want == "any":
            target = fr.law if fr.law is not _BLOCKER else None
            if target is None:
                target = next((m for f in reversed(self.frames) for m in reversed(f.history)), None)
        else:
            target = next((m for f in reversed(self.frames) for m in reversed(f.history)
                           if m.title and (m.title.endswith(want) or (want == "解释" and m.judicial))), None)
        if target is None:
            m = _Mention(title=None, law=None, is_law=want == "self", judicial=word.endswith(("解释", "规定")),
                         written=word, start=tok.start, end=tok.end, anaphor=word, title_only=False)
        else:
            m = target.as_reference(word, tok.start, tok.end, word)
        fr.attach = m
        fr.attach_end = tok.end

    def _punct(self, tok: Token) -> None:
        ch = tok.text
        if ch in "。!?":
            fr = self.frame
            self._finish_chain()
            fr.law = None
            fr.attach = None
            fr.issuer = None
            return
        if ch == '"':
            if self.frame.opener == '"':
                self._close('"')
            else:
                self._open('"')
            return
        if ch in _OPENERS:
            self._open(ch)
        elif ch in _CLOSERS:
            self._close(_CLOSERS[ch])

    def _open(self, ch: str) -> None:
        parent = self.frame
        quote = ch != "("
        child = _Frame(opener=ch, law=parent.law, history=list(parent.history[-8:]),
                       quote_law=(parent.law if parent.law is not _BLOCKER else None) if quote else parent.quote_law,
                       issuer=parent.issuer)
        if len(self.frames) >= _MAX_DEPTH:
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
        series = f.get("series") or f.get("series2")
        no = self._num(f.get("no") or f.get("no2"))
        if no is None:
            return
        end = self._num(f.get("end"))
        self._emit(tok.start, ("guiding", tok, no, end, _GC_ISSUERS.get(series)))

    def _case_number(self, tok: Token) -> None:
        f = tok.fields
        body = f["body"]
        ctype = next((t for t in _CASE_TYPES if body.endswith(t) and len(body) > len(t)), None)
        court = body[: len(body) - len(ctype)] if ctype else body
        serial = int(f["serial"])
        self._emit(tok.start, ("case", tok, int(f["year"]), court, ctype, serial))

    # ---- building the public objects ------------------------------------------------------
    def _orig(self, start: int | None, end: int | None) -> tuple[int | None, int | None]:
        if start is None or end is None:
            return None, None
        return self.norm.span(start, end)

    def _law_mention(self, m: _Mention) -> LawMention:
        s, e = self._orig(m.start, m.end)
        written = self.norm.original[s:e] if s is not None else None
        return LawMention(title=m.title, written=written, start=s, end=e, resolved=m.law is not None,
                          law_kind=m.law.kind if m.law else None, anaphor=m.anaphor)

    def _map_version(self, v: VersionQualifier | None) -> VersionQualifier | None:
        if v is None or v.start is None:
            return v
        s, e = self._orig(v.start, v.end)
        return v.model_copy(update={"start": s, "end": e, "raw": self.norm.original[s:e]})

    def _map_doc(self, d: DocNumber | None) -> DocNumber | None:
        if d is None or d.start is None:
            return d
        s, e = self._orig(d.start, d.end)
        return d.model_copy(update={"start": s, "end": e, "raw": self.norm.original[s:e]})

    def _build(self, d: tuple) -> Citation | None:
        original = self.norm.original
        tag = d[0]
        if tag == "law":
            _, m, ver, ns, ne, art, suffix, art_end, para, para_end, item, item_end, sub = d
            s, e = self.norm.span(ns, ne)
            cls = JudicialInterpretationCitation if m.judicial else StatuteCitation
            return cls(start=s, end=e, surface=original[s:e], law=self._law_mention(m), version=self._map_version(ver),
                       doc_number=self._map_doc(m.doc), article=art, article_suffix=suffix, article_end=art_end,
                       paragraph=para, paragraph_end=para_end, item=item, item_end=item_end, sub_item=sub)
        if tag == "title":
            m = d[1]
            if m.start is None:
                return None
            s, e = self.norm.span(m.start, m.end)
            cls = JudicialInterpretationCitation if m.judicial else StatuteCitation
            return cls(start=s, end=e, surface=original[s:e], law=self._law_mention(m) if m.written else None,
                       version=self._map_version(m.version), doc_number=self._map_doc(m.doc))
        if tag == "guiding":
            _, tok, no, end, issuer = d
            s, e = self.norm.span(tok.start, tok.end)
            return GuidingCaseCitation(start=s, end=e, surface=original[s:e], number=no, number_end=end, issuer=issuer)
        if tag == "case":
            _, tok, year, court, ctype, serial = d
            s, e = self.norm.span(tok.start, tok.end)
            surface = original[s:e]
            text = "（" + tok.text[1:].replace(")", "）", 1)
            return CaseNumberCitation(start=s, end=e, surface=surface, year=year, court=court, case_type=ctype,
                                      serial=serial, text=text)
        return None


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
    return _Extractor(normalize(text), as_of).run()
