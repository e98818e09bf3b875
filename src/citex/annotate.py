"""Markup: wrap each citation of a text in an HTML element, and take it off again.

Three verbs:

``annotate(text, citations=None, *, template=None, as_of=None) -> str``
    Plain text in, HTML out. Every character of ``text`` is HTML-escaped (``&`` ``<`` ``>``, so the
    text *between* citations too) and each citation ``text[c.start:c.end]`` is wrapped by the
    template, by default ``<cite class="citex" data-kind=… data-law=… data-article=…>…</cite>``.
``annotate_html(html, *, template=None, as_of=None) -> str``
    HTML in, HTML out. Citations are found in the *visible text* (tags, attributes, comments,
    declarations and the content of script / style / title / textarea … are skipped; entities are
    decoded for extraction; block tags such as ``<p>`` ``<br>`` ``<td>`` separate words as a line
    break would), and markup is inserted only inside text nodes of the raw HTML: a tag or an
    attribute is never touched, everything else is kept byte for byte. A citation that crosses a
    tag boundary (``第<b>236</b>条``) is wrapped piecewise, one element per text node it covers
    (``<cite …>第</cite><b><cite …>236</cite></b><cite …>条</cite>``, every piece with the same
    attributes), so the result always nests well. An entity is never cut: a citation that starts
    or ends inside the characters of an entity takes the whole entity.
``strip_markup(annotated, *, html=False) -> str``
    Removes exactly what the two above added: ``strip_markup(annotate(t)) == t`` and
    ``strip_markup(annotate_html(h), html=True) == h``. The flag is needed because the same string
    can come from both: ``annotate("a&b")`` and ``annotate_html("a&amp;b")`` are both ``a&amp;b``;
    with ``html=False`` the escaping annotate added is undone as well.

Nesting: citations with the same span (第八条第二、第三款 cites paragraphs 2 and 3) or one inside
another are nested elements, the longer (then earlier) outside. Two citations that cross raise
``ValueError`` (``extract`` never produces them). Zero-width citations are left out.

Templates: ``None`` for the default; a format string with exactly one ``{surface}`` and any of
the fields of :func:`template_fields` (the keys of ``Citation.to_record()`` of every kind, plus
``law`` = ``law_title``), all HTML-escaped (absent → ``""``, integers as integers); or a callable
``(citation, surface_html) -> str`` whose result must contain ``surface_html`` (the escaped text
of the citation, with the markup of citations nested inside it). :func:`strip_markup` recognizes
markup by the class token ``citex`` on the element that holds the surface directly: a custom
template that should be removable must keep ``class="citex"`` on that element.
"""
from __future__ import annotations

import html as _html
import re
import string
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from typing import Any, Callable, Iterable, Sequence, Union

from citex.extract import extract
from citex.models import RECORD_FIELDS

__all__ = ["annotate", "annotate_html", "strip_markup", "default_template", "template_fields", "Template"]

#: A format string with ``{surface}`` or a callable ``(citation, surface_html) -> str``.
Template = Union[str, Callable[[Any, str], str]]

_FIELDS = frozenset(name for name, _ in RECORD_FIELDS) | {"law"}

# data-* attributes of the default template: record key → attribute name, in this order.
_DEFAULT_ATTRS = (
    ("kind", "data-kind"), ("law_title", "data-law"), ("version", "data-version"), ("doc_number", "data-doc-number"),
    ("article", "data-article"), ("article_suffix", "data-article-suffix"), ("article_end", "data-article-end"),
    ("paragraph", "data-paragraph"), ("paragraph_end", "data-paragraph-end"), ("item", "data-item"),
    ("item_end", "data-item-end"), ("sub_item", "data-sub-item"), ("guiding_case_no", "data-guiding-case"),
    ("guiding_case_end", "data-guiding-case-end"), ("case_number", "data-case-number"),
)

# An element whose start tag carries the class token ``citex`` and whose content is text only.
_CITEX_ELEMENT = re.compile(
    r"""<(?P<tag>[A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]*?\sclass\s*=\s*"""
    r"""(?:"(?:[^"]*\s)?citex(?:\s[^"]*)?"|'(?:[^']*\s)?citex(?:\s[^']*)?'|citex(?=[\s/>]))"""
    r"""[^<>]*>(?P<body>[^<]*)</(?P=tag)\s*>""",
    re.IGNORECASE,
)

# Elements whose content is not visible text (raw text, escapable raw text, templates).
_SKIP_CONTENT = frozenset({"script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes",
                           "noscript", "template"})
# Tags that end a line of visible text: a citation is not read across them.
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "html", "legend", "li", "main", "nav", "ol", "option", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})


def template_fields() -> frozenset[str]:
    """The field names a format-string template may use (besides ``{surface}``)."""
    return _FIELDS


def _record(c: Any) -> dict[str, Any]:
    rec = c.to_record()
    rec["law"] = rec.get("law_title")
    return rec


def default_template(citation: Any, surface_html: str) -> str:
    """``<cite class="citex" data-kind=… data-law=… data-article=…>surface_html</cite>``: one
    ``data-*`` attribute per field of the citation that is set (kind, law, version, doc-number,
    article, article-suffix, article-end, paragraph(-end), item(-end), sub-item, guiding-case(-end),
    case-number), values HTML-escaped."""
    rec = citation.to_record()
    attrs = "".join(f' {name}="{_html.escape(str(rec[key]), quote=True)}"'
                    for key, name in _DEFAULT_ATTRS if rec.get(key) is not None)
    return f'<cite class="citex"{attrs}>{surface_html}</cite>'


class _Fields(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _compile_template(template: Template | None) -> Callable[[Any, str], str]:
    if template is None:
        return default_template
    if callable(template):
        def call(c: Any, surface_html: str) -> str:
            out = template(c, surface_html)
            if not isinstance(out, str) or surface_html not in out:
                raise ValueError(f"template {template!r} must return a str containing the surface HTML it was given "
                                 f"({surface_html!r}); got {out!r}")
            return out
        return call
    if not isinstance(template, str):
        raise TypeError(f"template must be None, a format string or a callable, not {type(template).__name__}")
    try:
        parts = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        raise ValueError(f"template is not a valid format string: {exc}") from None
    names = [f for f, _, _ in parts]
    if any(spec or conv for _, spec, conv in parts):
        # {article:d} fails on a guiding case, {x:>99999999} builds huge strings: values go in as escaped text only
        raise ValueError(f"template fields take no format spec or conversion (e.g. {{article}}, not {{article:d}}); got {template!r}")
    unknown = sorted({n for n in names if n != "surface" and n not in _FIELDS})
    if unknown or names.count("surface") != 1:
        raise ValueError(f"template must contain {{surface}} exactly once and only the fields {sorted(_FIELDS)}; "
                         f"got {template!r}" + (f" (unknown: {unknown})" if unknown else ""))

    def fmt(c: Any, surface_html: str) -> str:
        fields = _Fields((k, _html.escape(v, quote=True) if isinstance(v, str) else v)
                         for k, v in _record(c).items() if v is not None)
        fields["surface"] = surface_html
        return template.format_map(fields)
    return fmt


@dataclass
class _Span:
    start: int
    end: int
    order: int
    citation: Any


def _check_citations(text: str, citations: Iterable[Any]) -> list[_Span]:
    spans = []
    for i, c in enumerate(citations):
        try:
            s, e, surface = c.start, c.end, c.surface
        except AttributeError:
            raise TypeError(f"citations[{i}] is not a citation (needs start, end, surface): {c!r}") from None
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s <= e <= len(text)):
            raise ValueError(f"citations[{i}] span [{s}, {e}) is outside the text (length {len(text)})")
        if text[s:e] != surface:
            raise ValueError(f"citations[{i}] surface {surface!r} is not text[{s}:{e}] ({text[s:e]!r}): "
                             "were they extracted from another text?")
        if e > s:
            spans.append(_Span(s, e, i, c))
    return _nest_order(spans)


def _nest_order(spans: list[_Span]) -> list[_Span]:
    """Sorted outermost first; raises ValueError when two spans cross."""
    spans = sorted(spans, key=lambda sp: (sp.start, -sp.end, sp.order))
    stack: list[_Span] = []
    for sp in spans:
        while stack and stack[-1].end <= sp.start:
            stack.pop()
        if stack and sp.end > stack[-1].end:
            a = stack[-1]
            raise ValueError(f"citations {a.citation.surface!r} [{a.start}, {a.end}) and {sp.citation.surface!r} "
                             f"[{sp.start}, {sp.end}) cross: they cannot both be marked up as nested elements")
        stack.append(sp)
    return spans


def _render(text: str, lo: int, hi: int, spans: Sequence[_Span], escape: Callable[[str], str],
            render: Callable[[Any, str], str]) -> str:
    """text[lo:hi] escaped, with ``spans`` (outermost first, nested, inside [lo, hi)) wrapped."""
    out: list[str] = []
    # Explicit stack instead of recursion: (span, parts) frames; parts collect the span's content.
    stack: list[tuple[_Span | None, list[str]]] = [(None, out)]
    pos = lo

    def close_until(limit: int) -> None:
        nonlocal pos
        while len(stack) > 1 and stack[-1][0].end <= limit:
            sp, parts = stack.pop()
            parts.append(escape(text[pos:sp.end]))
            pos = sp.end
            stack[-1][1].append(render(sp.citation, "".join(parts)))

    for sp in spans:
        close_until(sp.start)
        stack[-1][1].append(escape(text[pos:sp.start]))
        pos = sp.start
        stack.append((sp, []))
    close_until(hi)
    out.append(escape(text[pos:hi]))
    return "".join(out)


def _escape_text(s: str) -> str:
    return _html.escape(s, quote=False)


def annotate(text: str, citations: Iterable[Any] | None = None, *, template: Template | None = None,
             as_of: date | None = None) -> str:
    """Plain text → HTML with every citation wrapped in markup.

    ``text``: the plain text (``str``). ``citations``: citations of *this* text (``start``/``end``
    are ``str`` offsets, end exclusive, ``text[start:end] == surface``), or ``None`` to extract them
    with ``citex.extract(text, as_of=as_of)``; the iterable is read, never modified.
    ``template``: see the module docstring (default :func:`default_template`).

    Returns HTML: the whole text escaped (``&`` → ``&amp;``, ``<`` → ``&lt;``, ``>`` → ``&gt;``,
    also between citations; line breaks are kept as they are), each citation wrapped.
    ``strip_markup(result) == text``.

    Raises ``TypeError`` (text not a str, a citation without start/end/surface, a template of
    another type), ``ValueError`` (a citation outside the text or whose surface differs from the
    text, two crossing citations, a bad format-string template or a callable template whose result
    does not contain the surface it was given).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    render = _compile_template(template)
    cits = extract(text, as_of=as_of) if citations is None else citations
    spans = _check_citations(text, cits)
    return _render(text, 0, len(text), spans, _escape_text, render)


# --------------------------------------------------------------------------- HTML input

@dataclass
class _Piece:
    """A stretch of visible text: ``vis`` offsets in the visible text, ``raw`` offsets in the HTML.
    kind: "data" (raw text, one visible char per raw char), "entity" (atomic), "sep" (a line break
    that stands for a block tag; no raw text)."""
    vis_start: int
    vis_end: int
    raw_start: int
    raw_end: int
    kind: str


class _VisibleText(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.pieces: list[_Piece] = []
        self.chunks: list[str] = []
        self.vis = 0
        self.skip: list[str] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _add(self, visible: str, raw_start: int, raw_end: int, kind: str) -> None:
        if not visible:
            return
        self.pieces.append(_Piece(self.vis, self.vis + len(visible), raw_start, raw_end, kind))
        self.chunks.append(visible)
        self.vis += len(visible)

    def _sep(self, tag: str) -> None:
        if tag in _BLOCK and not self.skip and self.chunks and self.chunks[-1] != "\n":
            pos = self._offset()
            self._add("\n", pos, pos, "sep")

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "body":  # an unclosed <title> or <noscript> in the head ends here
            self.skip.clear()
        self._sep(tag)
        if tag in _SKIP_CONTENT:
            self.skip.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._sep(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skip:
            while self.skip.pop() != tag:
                pass
        self._sep(tag)

    def handle_data(self, data: str) -> None:
        if self.skip or getattr(self, "cdata_elem", None):
            return
        pos = self._offset()
        if self.source.startswith(data, pos):  # positions are exact; anything else stays opaque
            self._add(data, pos, pos + len(data), "data")

    def _ref(self, raw_prefix: str, name: str) -> None:
        if self.skip:
            return
        pos = self._offset()
        raw = raw_prefix + name
        if not self.source.startswith(raw, pos):
            return
        if self.source.startswith(";", pos + len(raw)):
            raw += ";"
        self._add(_html.unescape(raw), pos, pos + len(raw), "entity")

    def handle_entityref(self, name: str) -> None:
        self._ref("&", name)

    def handle_charref(self, name: str) -> None:
        self._ref("&#", name)


def _visible_text(source: str) -> tuple[str, list[_Piece]]:
    parser = _VisibleText(source)
    parser.feed(source)
    parser.close()
    return "".join(parser.chunks), parser.pieces


def _raw_segments(pieces: list[_Piece], starts: list[int], s: int, e: int) -> list[tuple[int, int]]:
    """Raw [start, end) segments covering visible [s, e), adjacent ones merged."""
    segs: list[tuple[int, int]] = []
    i = max(bisect_right(starts, s) - 1, 0)
    while i < len(pieces) and pieces[i].vis_start < e:
        p = pieces[i]
        i += 1
        if p.vis_end <= s or p.kind == "sep":
            continue
        if p.kind == "data":
            rs = p.raw_start + max(s - p.vis_start, 0)
            re_ = p.raw_start + min(e, p.vis_end) - p.vis_start
        else:
            rs, re_ = p.raw_start, p.raw_end
        if segs and segs[-1][1] == rs:
            segs[-1] = (segs[-1][0], re_)
        else:
            segs.append((rs, re_))
    return segs


def annotate_html(html: str, *, template: Template | None = None, as_of: date | None = None) -> str:
    """HTML → the same HTML with every citation of its visible text wrapped in markup.

    ``html``: an HTML document or fragment (``str``; tolerant parsing by :mod:`html.parser`).
    Citations are extracted with ``citex.extract(visible_text, as_of=as_of)`` and marked up inside
    text nodes only (see the module docstring for what counts as visible text and how a citation
    crossing a tag is split). Everything outside the inserted markup is the input, unchanged:
    ``strip_markup(result, html=True) == html``.

    Raises ``TypeError`` when ``html`` is not a str or the template has another type,
    ``ValueError`` for a bad template or when ``html`` already holds citex markup (an element with
    class ``citex`` around text: run :func:`strip_markup` first, or the round trip would not hold).
    """
    if not isinstance(html, str):
        raise TypeError(f"html must be a str, not {type(html).__name__}")
    render = _compile_template(template)
    found = _CITEX_ELEMENT.search(html)
    if found:
        raise ValueError(f"the HTML already contains citex markup at offset {found.start()} ({found.group()[:80]!r}); "
                         "strip_markup(html, html=True) it first")
    visible, pieces = _visible_text(html)
    starts = [p.vis_start for p in pieces]
    # Raw text runs: maximal stretches of adjacent data/entity pieces (text between two tags).
    runs: list[list[int]] = []
    for p in pieces:
        if p.kind == "sep":
            continue
        if runs and runs[-1][1] == p.raw_start:
            runs[-1][1] = p.raw_end
        else:
            runs.append([p.raw_start, p.raw_end])
    run_starts = [r[0] for r in runs]
    per_run: dict[int, list[_Span]] = {}
    for order, c in enumerate(extract(visible, as_of=as_of)):
        for rs, re_ in _raw_segments(pieces, starts, c.start, c.end):
            if re_ > rs:
                k = bisect_right(run_starts, rs) - 1
                per_run.setdefault(k, []).append(_Span(rs, re_, order, c))
    out: list[str] = []
    pos = 0
    for k in sorted(per_run):
        lo, hi = runs[k]
        spans = _clip_crossing(sorted(per_run[k], key=lambda sp: (sp.start, -sp.end, sp.order)))
        out.append(html[pos:lo])
        out.append(_render(html, lo, hi, spans, lambda s: s, render))
        pos = hi
    out.append(html[pos:])
    return "".join(out)


def _clip_crossing(spans: list[_Span]) -> list[_Span]:
    """Entity snapping can make two pieces cross; the later one then starts where the earlier ends."""
    kept: list[_Span] = []
    stack: list[_Span] = []
    for sp in spans:
        while stack and stack[-1].end <= sp.start:
            stack.pop()
        if stack and sp.end > stack[-1].end:
            sp = _Span(stack[-1].end, sp.end, sp.order, sp.citation)
            while stack and stack[-1].end <= sp.start:
                stack.pop()
        kept.append(sp)
        stack.append(sp)
    return sorted(kept, key=lambda sp: (sp.start, -sp.end, sp.order))


def strip_markup(annotated: str, *, html: bool = False) -> str:
    """Remove the markup :func:`annotate` (``html=False``) or :func:`annotate_html` (``html=True``) added.

    Every element whose start tag has the class token ``citex`` and whose content is text (no
    tags; nested citex elements are removed innermost first) is replaced by its content. With
    ``html=False`` the result is then unescaped (``&amp;`` → ``&`` …), giving back the plain text;
    with ``html=True`` the rest is returned untouched. Raises ``TypeError`` when not given a str.
    """
    if not isinstance(annotated, str):
        raise TypeError(f"annotated must be a str, not {type(annotated).__name__}")
    out = annotated
    while True:
        new = _CITEX_ELEMENT.sub(lambda m: m.group("body"), out)
        if new == out:
            break
        out = new
    return out if html else _html.unescape(out)
