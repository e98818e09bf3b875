"""Standoff exports of citations: the text stays as it is, citations point into it by offsets.

Offsets everywhere are Python ``str`` indices (code points) into the text, ``end`` exclusive — the
same numbers :func:`citex.extract` gives.

* :func:`to_jsonl_record` — ``{"id", "text", "citations": [record, ...]}`` (records as
  ``Citation.to_record()``), one JSON line per document.
* :func:`to_label_studio` + :func:`label_studio_config` — a Label Studio pre-annotation task
  (``data`` + ``predictions``, region type ``labels``, the labels being citation kinds) and the
  labeling config it matches. Label Studio stores Text region offsets as code points, i.e. the
  same numbers as Python ``str`` indices (HumanSignal/label-studio-frontend PR #308, "Store code
  points instead of js length"); older versions counted UTF-16 units, which differs only after a
  character outside the BMP (emoji, CJK Extension B …).
* :func:`to_docbin` — a spaCy ``DocBin`` with the citex component's spans and user data (needs
  ``citex[spacy]``; spaCy is imported only when this function is called).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Union, get_args
from xml.sax.saxutils import quoteattr

from citex.models import Citation

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import DocBin

__all__ = ["KINDS", "to_jsonl_record", "to_label_studio", "label_studio_config", "to_docbin"]

#: The citation kinds (``Citation.kind`` values), in model order.
KINDS: tuple[str, ...] = tuple(cls.model_fields["kind"].default for cls in get_args(get_args(Citation)[0]))


def _version() -> str:
    from citex import __version__

    return __version__


def _checked(text: str, citations: Iterable[Any]) -> list[tuple[str, int, int, str]]:
    """(kind, start, end, surface) per citation (objects or flat records), checked against ``text``."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if isinstance(citations, (str, bytes, Mapping)):
        raise TypeError(f"citations must be a list of citations or records, got {type(citations).__name__}")
    out = []
    for i, c in enumerate(citations):
        if isinstance(c, Mapping):
            try:
                kind, start, end = c["kind"], c["start"], c["end"]
            except KeyError as exc:
                raise ValueError(f"citation #{i}: record lacks {exc.args[0]!r}") from None
            surface = c.get("surface", text[start:end] if isinstance(start, int) and isinstance(end, int) else None)
        else:
            try:
                kind, start, end, surface = c.kind, c.start, c.end, c.surface
            except AttributeError:
                raise TypeError(f"citation #{i}: expected a citex Citation or a record dict, got {type(c).__name__}") from None
        if kind not in KINDS:
            raise ValueError(f"citation #{i}: unknown kind {kind!r}; known kinds: {list(KINDS)}")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise ValueError(f"citation #{i}: offsets {start!r}-{end!r} are not a non-empty range within the text "
                             f"(length {len(text)})")
        if text[start:end] != surface:
            raise ValueError(f"citation #{i}: text[{start}:{end}] is {text[start:end]!r}, not its surface {surface!r} "
                             "(citations from another text?)")
        out.append((kind, start, end, surface))
    return out


def to_jsonl_record(text: str, citations: Iterable[Citation], *, id: Any = None) -> dict[str, Any]:
    """One JSON-safe line of the ``jsonl`` export: ``{"id": id, "text": text, "citations": [record, ...]}``.

    Args:
        text: the text the citations were extracted from.
        citations: citex citation objects for ``text`` (as :func:`citex.extract` returns them).
        id: the document's id (any JSON value; None when unknown).
    Returns:
        A dict with the text and one flat record per citation (``Citation.to_record()``, offsets = ``str`` indices).
    Raises:
        TypeError: ``text`` is not a ``str`` or a citation is not a citex object.
        ValueError: a citation's offsets or surface do not fit ``text``.
    """
    cits = list(citations)
    for i, c in enumerate(cits):
        if isinstance(c, Mapping) or not hasattr(c, "to_record"):
            raise TypeError(f"citation #{i}: expected a citex Citation, got {type(c).__name__}")
    _checked(text, cits)
    return {"id": id, "text": text, "citations": [c.to_record() for c in cits]}


def to_label_studio(text: str, citations: Iterable[Any], *, from_name: str = "label", to_name: str = "text",
                    model_version: str | None = None, data: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A Label Studio task with the citations as pre-annotations (a ``predictions`` entry).

    Shape (Label Studio "Basic JSON format" for pre-annotations, Labels over a Text tag)::

        {"data": {"text": TEXT, **data},
         "predictions": [{"model_version": "citex-<version>",
                          "result": [{"id": "c0", "from_name": from_name, "to_name": to_name,
                                      "type": "labels",
                                      "value": {"start": 12, "end": 18, "text": "第一百条", "labels": ["statute"]}},
                                     ...]}]}

    Import a list of such tasks into a project whose labeling config is
    :func:`label_studio_config` (same ``from_name`` / ``to_name``).

    Args:
        text: the text (becomes ``data["text"]``, read by ``<Text value="$text"/>``).
        citations: citex citation objects, or flat records with ``kind``, ``start``, ``end`` (and
            ``surface``), for ``text``.
        from_name: name of the ``<Labels>`` control tag.
        to_name: name of the ``<Text>`` object tag.
        model_version: defaults to ``citex-<citex version>``.
        data: more task data fields (e.g. a document id); may not contain ``text``.
    Returns:
        The task as a JSON-safe dict. ``value.start`` / ``value.end`` are ``str`` indices (code points),
        ``value.text == text[start:end]``; region ids are ``c0``, ``c1``, … in citation order.
    Raises:
        TypeError: ``text`` is not a ``str``, or a citation is neither a citex object nor a mapping.
        ValueError: a citation's kind is unknown, or its offsets or surface do not fit ``text``;
            ``data`` has a ``text`` key; an empty ``from_name`` / ``to_name``.
    """
    for label, value in (("from_name", from_name), ("to_name", to_name)):
        if not isinstance(value, str) or not value:
            raise ValueError(f"{label} must be a non-empty string, got {value!r}")
    extra = dict(data or {})
    if "text" in extra:
        raise ValueError("data may not contain 'text': the task's text is the text argument")
    result = [{"id": f"c{i}", "from_name": from_name, "to_name": to_name, "type": "labels",
               "value": {"start": start, "end": end, "text": surface, "labels": [kind]}}
              for i, (kind, start, end, surface) in enumerate(_checked(text, citations))]
    return {"data": {"text": text, **extra},
            "predictions": [{"model_version": model_version or f"citex-{_version()}", "result": result}]}


def label_studio_config(kinds: Iterable[str] = KINDS, *, from_name: str = "label", to_name: str = "text") -> str:
    """The Label Studio labeling config (XML) that :func:`to_label_studio` tasks match::

        <View>
          <Labels name="label" toName="text">
            <Label value="statute"/>
            ...
          </Labels>
          <Text name="text" value="$text"/>
        </View>

    Args:
        kinds: the labels to offer (default all :data:`KINDS`).
        from_name / to_name: names of the Labels and Text tags.
    Returns:
        The XML as a string (attribute values escaped).
    Raises:
        ValueError: an unknown or repeated kind, no kinds, or an empty name.
    """
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    bad = [k for k in kinds if k not in KINDS]
    if bad or not kinds or len(set(kinds)) != len(kinds):
        raise ValueError(f"kinds must be distinct kinds among {list(KINDS)}, got {kinds}")
    for label, value in (("from_name", from_name), ("to_name", to_name)):
        if not isinstance(value, str) or not value:
            raise ValueError(f"{label} must be a non-empty string, got {value!r}")
    labels = "".join(f"    <Label value={quoteattr(k)}/>\n" for k in kinds)
    return (f"<View>\n  <Labels name={quoteattr(from_name)} toName={quoteattr(to_name)}>\n{labels}  </Labels>\n"
            f"  <Text name={quoteattr(to_name)} value=\"$text\"/>\n</View>\n")


def to_docbin(items: Iterable[Any], *, nlp: "Language | None" = None, as_of: Union[str, date, None] = None,
              kinds: Iterable[str] | None = None, span_key: str = "citations", set_ents: bool = False) -> "DocBin":
    """A spaCy ``DocBin`` (``store_user_data=True``) of the given texts or docs, with citations.

    Each item is a ``str`` (made into a Doc by ``nlp``) or a spaCy ``Doc``. A doc on which no citex
    component has stored citations under ``span_key`` gets them from a citex component built with
    ``as_of`` / ``kinds`` / ``set_ents`` (see :mod:`citex.spacy_component`); a doc that has them
    (e.g. ``nlp`` already has a ``citex`` pipe) is kept as it is.

    Read back with ``DocBin().from_disk(path).get_docs(nlp.vocab)``; ``doc.spans[span_key]`` and
    ``span._.citation`` / :func:`citex.spacy_component.citations_from_doc` work on the result.

    Args:
        items: texts and/or Docs, in output order.
        nlp: the pipeline for texts; default ``spacy.blank("zh")`` (character segmentation).
        as_of, kinds, span_key, set_ents: options of the citex component (``as_of`` as ``YYYY-MM-DD``).
    Returns:
        The ``DocBin`` (``.to_bytes()`` / ``.to_disk(path)`` to save it).
    Raises:
        ImportError: spaCy is not installed (``pip install citex[spacy]``).
        TypeError: an item is neither a ``str`` nor a ``Doc``.
        ValueError: a bad component option (see :class:`citex.spacy_component.CitexComponent`).
    """
    try:
        import spacy
        from spacy.tokens import Doc, DocBin
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("to_docbin needs spaCy: pip install 'citex[spacy]'") from exc
    from citex.spacy_component import USER_DATA_KEY, CitexComponent

    if nlp is None:
        nlp = spacy.blank("zh")
    component = CitexComponent(nlp, "citex", as_of=as_of, kinds=kinds, span_key=span_key, set_ents=set_ents)
    if isinstance(items, (str, Doc)):
        items = [items]
    db = DocBin(store_user_data=True)
    for i, item in enumerate(items):
        if isinstance(item, str):
            doc = nlp(item)
        elif isinstance(item, Doc):
            doc = item
        else:
            raise TypeError(f"item #{i}: expected a str or a spacy Doc, got {type(item).__name__}")
        stored = doc.user_data.get(USER_DATA_KEY)
        if not (isinstance(stored, dict) and span_key in stored):
            doc = component(doc)
        db.add(doc)
    return db
