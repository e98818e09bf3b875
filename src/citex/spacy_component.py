"""A spaCy pipeline component that puts citex citations on a ``Doc`` (needs ``pip install citex[spacy]``).

Usage::

    import spacy
    nlp = spacy.blank("zh")            # char segmenter; or config={"nlp": {"tokenizer": {"segmenter": "jieba"}}}
    nlp.add_pipe("citex")              # found through the ``spacy_factories`` entry point
    doc = nlp("依照《中华人民共和国刑法》第二百六十四条的规定")
    span = doc.spans["citations"][0]   # span.label_ == "statute"
    span._.citation                    # the StatuteCitation (exact str offsets: .start / .end)

What the component writes, per ``Doc``:

* ``doc.spans[span_key]`` — one :class:`spacy.tokens.Span` per citation, in document order, with
  ``label_`` = the citation's ``kind`` and ``id_`` = ``"citex:<span_key>:<index>"``. A span covers
  the tokens the citation touches (``doc.char_span(start, end, alignment_mode="expand")``), so a
  citation whose edge falls inside a token is widened to whole tokens, never dropped; the exact
  character offsets stay on ``span._.citation.start`` / ``.end`` (``str`` indices into ``doc.text``).
* ``doc.user_data["citex"][span_key]`` — the citations as JSON-safe dicts
  (``CITATION_ADAPTER.dump_python(..., mode="json")``: lossless, survives ``DocBin(store_user_data=True)``,
  ``Doc.to_bytes`` and ``nlp.pipe(n_process=...)``).
* ``span._.citation`` — a *getter* extension: it rebuilds the citation object from
  ``doc.user_data`` (via the span's ``id_``, or for a span without one, by matching label and
  token range), so it works after deserialization with no extra step. It returns an equal, new
  object on each access; :func:`citations_from_doc` decodes a whole list at once.
* with ``set_ents=True``, also ``doc.ents``: entities already on the doc are kept; a citation span
  overlapping one of them (or an earlier citation span) is skipped there (it is still in
  ``doc.spans``).

Config (``nlp.add_pipe("citex", config={...})`` or ``[components.citex]`` in a config.cfg):
``as_of`` (ISO date string ``YYYY-MM-DD`` or null), ``kinds`` (list of kinds to emit, null = all of
:data:`KINDS`), ``span_key`` (default ``"citations"``), ``set_ents`` (default false).
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Iterable, List, Optional

from pydantic import TypeAdapter
from spacy.language import Language
from spacy.tokens import Doc, Span

from citex.export import KINDS  # the citation kinds (also the label set of the spans)
from citex.extract import extract
from citex.models import CITATION_ADAPTER, Citation
from citex.registry import REGISTRY

__all__ = [
    "KINDS", "USER_DATA_KEY", "CitexComponent", "make_citex", "citations_from_doc", "add_law_titles_to_jieba",
]

#: ``doc.user_data`` key holding ``{span_key: [citation dict, ...]}``.
USER_DATA_KEY = "citex"
_ID_PREFIX = "citex:"
_ONE: TypeAdapter[Citation] = TypeAdapter(Citation)


def _stored(doc: Doc) -> dict[str, list]:
    data = doc.user_data.get(USER_DATA_KEY)
    return data if isinstance(data, dict) else {}


def citations_from_doc(doc: Doc, span_key: str = "citations") -> list[Citation]:
    """The citations the component stored on ``doc`` under ``span_key``, rebuilt as citex objects.

    Works on a doc read back from a ``DocBin`` (saved with ``store_user_data=True``), from
    ``Doc.from_bytes`` or from ``nlp.pipe(..., n_process=N)``.

    Returns:
        ``list[Citation]`` in document order; ``[]`` when the component ran and found nothing.
    Raises:
        TypeError: ``doc`` is not a :class:`spacy.tokens.Doc`.
        KeyError: no citex component with this ``span_key`` has run on ``doc`` (or its user data
            was not serialized: use ``DocBin(store_user_data=True)``).
    """
    if not isinstance(doc, Doc):
        raise TypeError(f"citations_from_doc expects a spacy Doc, got {type(doc).__name__}")
    stored = _stored(doc)
    if span_key not in stored:
        raise KeyError(f"no citex citations stored under span key {span_key!r} on this Doc "
                       f"(keys present: {sorted(stored)}); run the 'citex' pipe, and keep user data "
                       "when serializing (DocBin(store_user_data=True))")
    return CITATION_ADAPTER.validate_python(stored[span_key])


def _citation_of(span: Span) -> Citation | None:
    """Getter of ``Span._.citation``: the citation behind a span, or None for a span citex did not make."""
    stored = _stored(span.doc)
    if not stored:
        return None
    ident = span.id_
    if ident.startswith(_ID_PREFIX):
        key, _, index = ident[len(_ID_PREFIX):].rpartition(":")
        recs = stored.get(key)
        if recs is not None and index.isdigit() and int(index) < len(recs):
            return _ONE.validate_python(recs[int(index)])
    # A span without our id (e.g. made by hand): the first citation of that kind over those tokens.
    for recs in stored.values():
        for rec in recs:
            if rec.get("kind") != span.label_:
                continue
            cover = _cover(span.doc, rec["start"], rec["end"])
            if cover == (span.start, span.end):
                return _ONE.validate_python(rec)
    return None


if not Span.has_extension("citation"):
    Span.set_extension("citation", getter=_citation_of)


def _cover(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Token range ``[i, j)`` covering characters ``[start, end)`` of ``doc.text`` (widened to whole tokens)."""
    sp = doc.char_span(start, end, alignment_mode="expand")
    if sp is not None:
        return sp.start, sp.end
    # char_span gives None when the range only touches whitespace spaCy keeps outside tokens:
    # take every token overlapping the range (none only for a range of such whitespace).
    toks = [t.i for t in doc if t.idx < end and t.idx + len(t) > start]
    return (toks[0], toks[-1] + 1) if toks else None


def _parse_as_of(as_of: Any) -> date | None:
    if as_of is None or isinstance(as_of, date):
        return as_of
    if not isinstance(as_of, str):
        raise TypeError(f"citex component: as_of must be an ISO date string (YYYY-MM-DD) or null, got {type(as_of).__name__}")
    try:
        return date.fromisoformat(as_of)
    except ValueError:
        raise ValueError(f"citex component: as_of is not an ISO date (YYYY-MM-DD): {as_of!r}") from None


class CitexComponent:
    """The ``citex`` pipe: runs :func:`citex.extract` on ``doc.text`` and writes spans (see module doc).

    Args:
        nlp: the pipeline (used for its vocab only).
        name: the component's name in the pipeline.
        as_of: document date as ``YYYY-MM-DD`` (or a ``datetime.date``), passed to :func:`citex.extract`.
        kinds: kinds to emit (subset of :data:`KINDS`); None for all.
        span_key: key in ``doc.spans`` and ``doc.user_data["citex"]``.
        set_ents: also add the citations to ``doc.ents`` (existing entities win on overlap).
    Raises:
        ValueError: unknown kind, empty ``kinds``, empty ``span_key``, or ``as_of`` not an ISO date.
        TypeError: an option of the wrong type.
    """

    def __init__(self, nlp: Language, name: str = "citex", *, as_of: Any = None, kinds: Optional[Iterable[str]] = None,
                 span_key: str = "citations", set_ents: bool = False) -> None:
        self.name = name
        self.as_of = _parse_as_of(as_of)
        if kinds is None:
            self.kinds = KINDS
        else:
            if isinstance(kinds, str):
                raise TypeError(f"citex component: kinds must be a list of kinds, not the string {kinds!r}")
            kinds = tuple(kinds)
            unknown = [k for k in kinds if k not in KINDS]
            if unknown:
                raise ValueError(f"citex component: unknown kind(s) {unknown}; known kinds: {list(KINDS)}")
            if not kinds:
                raise ValueError("citex component: kinds is empty; give null for all kinds")
            self.kinds = kinds
        if not isinstance(span_key, str) or not span_key:
            raise ValueError(f"citex component: span_key must be a non-empty string, got {span_key!r}")
        if not isinstance(set_ents, bool):
            raise TypeError(f"citex component: set_ents must be true or false, got {set_ents!r}")
        self.span_key = span_key
        self.set_ents = set_ents

    def __call__(self, doc: Doc) -> Doc:
        """Annotate ``doc`` in place and return it."""
        cits = [c for c in extract(doc.text, as_of=self.as_of) if c.kind in self.kinds]
        spans = []
        for i, c in enumerate(cits):
            cover = _cover(doc, c.start, c.end)
            if cover is None:  # pragma: no cover - a citation is never whitespace only
                raise RuntimeError(f"citex: no token covers citation {c.surface!r} at {c.start}-{c.end}")
            spans.append(Span(doc, cover[0], cover[1], label=c.kind, span_id=f"{_ID_PREFIX}{self.span_key}:{i}"))
        data = doc.user_data.get(USER_DATA_KEY)
        if not isinstance(data, dict):
            data = doc.user_data[USER_DATA_KEY] = {}
        data[self.span_key] = CITATION_ADAPTER.dump_python(cits, mode="json")
        doc.spans[self.span_key] = spans
        if self.set_ents:
            taken = [False] * len(doc)
            for ent in doc.ents:
                for i in range(ent.start, ent.end):
                    taken[i] = True
            new = []
            for sp in spans:
                if not any(taken[sp.start:sp.end]):
                    new.append(sp)
                    for i in range(sp.start, sp.end):
                        taken[i] = True
            if new:
                doc.set_ents(new, default="unmodified")
        return doc


@Language.factory(
    "citex",
    default_config={"as_of": None, "kinds": None, "span_key": "citations", "set_ents": False},
    assigns=["doc.spans", "doc.user_data", "span._.citation"],
)
def make_citex(nlp: Language, name: str, as_of: Optional[str], kinds: Optional[List[str]], span_key: str,
               set_ents: bool) -> CitexComponent:
    """spaCy factory of the ``citex`` pipe (registered on import and through the ``spacy_factories``
    entry point, so ``nlp.add_pipe("citex")`` works without importing citex). See :class:`CitexComponent`."""
    return CitexComponent(nlp, name, as_of=as_of, kinds=kinds, span_key=span_key, set_ents=set_ents)


# jieba splits its input on characters outside this class before looking words up, so a word with
# 《》, 、 or （） in it could never be matched: such titles are not added.
_JIEBA_WORD = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")


def add_law_titles_to_jieba(tokenizer: Any = None, *, freq: int | None = None) -> int:
    """Add every registry law title, alias, bare name (刑法, 民诉法, 中华人民共和国民事诉讼法 …) and
    关于… form of a title (关于审理…若干问题的解释) to
    jieba's dictionary so that jieba segmentation (and spaCy's ``jieba`` segmenter, which uses the
    default ``jieba`` tokenizer) keeps them whole. Pinpoints (第…条) follow a grammar, not a word
    list, and are not added.

    Args:
        tokenizer: a ``jieba.Tokenizer``; None for jieba's default one (the one spaCy uses).
        freq: word frequency given to each name; None picks one high enough that jieba prefers the
            whole name over its parts (the largest frequency in jieba's dictionary).
    Returns:
        The number of names added (names jieba cannot match — with 《》 or other punctuation — are skipped).
    Raises:
        ImportError: jieba is not installed (``pip install citex[spacy]``).
        ValueError: ``freq`` is not a positive integer.

    The change is global to that tokenizer for the rest of the process (jieba has no removal API
    short of ``del_word``).
    """
    import jieba

    if freq is not None and (not isinstance(freq, int) or isinstance(freq, bool) or freq < 1):
        raise ValueError(f"freq must be a positive integer or None, got {freq!r}")
    tk = jieba.dt if tokenizer is None else tokenizer
    tk.check_initialized()
    if freq is None:
        freq = max(tk.FREQ.values())
    names = set(REGISTRY.bare) | set(REGISTRY.by_guanyu)  # by_guanyu: titles from 关于 on, as often written
    for law in REGISTRY.laws.values():
        names.add(law.title)
        names.update(law.aliases)
    added = 0
    for name in sorted(names):
        if len(name) >= 2 and _JIEBA_WORD.fullmatch(name):
            tk.add_word(name, freq)
            added += 1
    return added
