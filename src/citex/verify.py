"""Check citations against the law registry: does the cited law, version and article exist?

``verify(citation_or_text, *, as_of=None) -> list[Finding]``. Each finding has a machine-readable
``code`` and a message; text input is extracted first and every finding carries the offsets of its
citation. Codes (source of each rule in brackets):

* ``unknown_law`` — the cited title is not in the law registry (data/laws/registry.jsonl).
* ``unknown_version`` — an explicit qualifier names a version the registry does not know (no version
  of that law adopted in that year; or two versions share the year) [registry versions, from the
  history lines of the texts in ../shared/laws and curated amendment decisions].
* ``version_not_in_force`` — the qualifier names a version adopted after the document date ``as_of``.
* ``no_such_article`` — the article number exceeds the version's article count, or an inserted
  article 之X is not among the version's inserted articles [article counts and 之X lists of the
  registry, parsed from the version's text]. Not checked where the registry has no count.
* ``law_repealed`` — the law was repealed on or before ``as_of`` and is cited without 原 (the form
  that says the writer knows) [data/laws/succession.yaml, repeal clauses of the successors].
* ``doc_number_mismatch`` — the document number (文号) belongs to another title in the registry
  [registry doc_numbers: the interpretations' own headers and curated aliases.yaml entries].

Which version a citation means is decided by :func:`citex.resolve.infer_version` (one set of rules
for resolve and verify).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Iterable, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

from citex.extract import extract
from citex.models import JudicialInterpretationCitation, StatuteCitation
from citex.numerals import to_chinese
from citex.registry import REGISTRY
from citex.resolve import article_label, find_version, infer_version, version_label

__all__ = ["Finding", "FindingCode", "verify"]

FindingCode = Literal["unknown_law", "unknown_version", "version_not_in_force", "no_such_article",
                      "law_repealed", "doc_number_mismatch"]
_SEVERITY = {"unknown_law": "warning", "unknown_version": "error", "version_not_in_force": "error",
             "no_such_article": "error", "law_repealed": "warning", "doc_number_mismatch": "error"}


class Finding(BaseModel):
    """One problem with one citation: ``code`` (see the module docstring), ``severity``
    (``error`` — the citation cannot be right as written; ``warning`` — worth a look), ``message``
    (Chinese titles, English prose), the citation's ``start``/``end``/``surface`` in the caller's
    text, and the law title / version label / article the check was made against."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    code: FindingCode
    severity: Literal["error", "warning"]
    message: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    surface: str
    law_title: Optional[str] = None
    version: Optional[str] = None
    article: Optional[str] = None

    def to_record(self) -> dict:
        """A JSON-ready dict (the CLI's ``--jsonl`` line)."""
        return self.model_dump(mode="json")


LawCitation = Union[StatuteCitation, JudicialInterpretationCitation]


def _check(c: LawCitation, as_of: Optional[date]) -> list[Finding]:
    out: list[Finding] = []

    def add(code: FindingCode, message: str, **kw) -> None:
        out.append(Finding(code=code, severity=_SEVERITY[code], message=message, start=c.start, end=c.end,
                           surface=c.surface, **kw))

    title = c.law.title if c.law else None
    law = REGISTRY.laws.get(title) if title and c.law.resolved else None
    if law is None and title:
        law = REGISTRY.lookup(title)
    if law is None and c.doc_number is not None:
        law = REGISTRY.by_doc_number(c.doc_number.text)
    if law is None:
        if title:
            add("unknown_law", f"《{title}》 is not in the law registry", law_title=title)
        return out
    if c.doc_number is not None:
        other = REGISTRY.by_doc_number(c.doc_number.text)
        if other is not None and other.title != law.title:
            add("doc_number_mismatch", f"{c.doc_number.text} is the document number of 《{other.title}》, "
                f"not of 《{law.title}》", law_title=law.title)
    q = c.version
    if q is not None and q.relation is None and q.year is not None:
        i, why = find_version(law, f"{q.year}年{q.verb}" if q.verb else str(q.year))
        if i is None and q.verb is not None:
            add("unknown_version", f"{q.raw}: {why}", law_title=law.title, version=q.label)
            return out
        if i is not None and as_of is not None:
            v = law.versions[i]
            if v.adopted is not None and v.adopted > as_of:
                add("version_not_in_force", f"{law.title} {v.label} was adopted on {v.adopted}, after the document "
                    f"date {as_of}", law_title=law.title, version=v.label)
    if (as_of is not None and law.repealed_on is not None and law.repealed_on <= as_of
            and not (q is not None and q.relation == "original")):
        succ = "、".join(f"《{s}》" for s in law.successors)
        add("law_repealed", f"《{law.title}》 was repealed on {law.repealed_on}, before the document date {as_of}"
            + (f"; replaced by {succ}" if succ else ""), law_title=law.title)
    if c.article is not None:
        inf = infer_version(c, as_of=as_of)
        if inf.version is None:
            if q is not None and inf.reason and not out:
                add("unknown_version", inf.reason, law_title=law.title, version=q.label)
            return out
        idx = next(i for i in range(len(law.versions)) if version_label(law, i) == inf.version)
        v = law.versions[idx]
        label = article_label(c.article, c.article_suffix)
        pin = f"第{c.article}条" + (f"之{to_chinese(c.article_suffix)}" if c.article_suffix else "")
        if v.articles:  # counts are unknown (None, or 0 where the text was not parsed) for some versions
            if c.article_suffix:
                if label not in v.inserted:
                    add("no_such_article", f"{law.title} {inf.version} has no {pin} (inserted articles: "
                        f"{', '.join(v.inserted[:8]) or 'none'}{' …' if len(v.inserted) > 8 else ''})",
                        law_title=law.title, version=inf.version, article=label)
            else:
                last = c.article_end if c.article_end is not None else c.article
                if c.article < 1 or last > v.articles:
                    add("no_such_article", f"{law.title} {inf.version} has {v.articles} articles: no "
                        f"第{last if last > v.articles else c.article}条 (version chosen by rule {inf.rule})",
                        law_title=law.title, version=inf.version, article=label)
    return out


def verify(citation_or_text: Union[str, LawCitation, Iterable[LawCitation]], *,
           as_of: Optional[date] = None) -> list[Finding]:
    """Check citations against the registry (codes and their sources: module docstring).

    Args:
        citation_or_text: text (extracted with :func:`citex.extract`, then every citation checked),
            one statute / judicial-interpretation citation, or an iterable of citations (guiding cases
            and case numbers in it are skipped: they have no registry entry to check).
        as_of: the document's date (enables ``law_repealed`` and ``version_not_in_force``, and picks
            the version in force that day for ``no_such_article``).
    Returns:
        findings in text order (empty when nothing is wrong or nothing could be checked).
    Raises:
        TypeError: for any other input type, or an ``as_of`` that is not a ``datetime.date``.
    """
    if isinstance(as_of, datetime):
        as_of = as_of.date()
    if as_of is not None and not isinstance(as_of, date):
        raise TypeError(f"as_of must be a datetime.date or None, got {type(as_of).__name__}")
    if isinstance(citation_or_text, str):
        cits = extract(citation_or_text, as_of=as_of)
    elif isinstance(citation_or_text, (StatuteCitation, JudicialInterpretationCitation)):
        cits = [citation_or_text]
    elif isinstance(citation_or_text, BaseModel) or not hasattr(citation_or_text, "__iter__"):
        raise TypeError("verify expects text (str), a StatuteCitation / JudicialInterpretationCitation or an "
                        f"iterable of citations, got {type(citation_or_text).__name__}")
    else:
        cits = list(citation_or_text)
    out: list[Finding] = []
    for c in cits:
        if isinstance(c, (StatuteCitation, JudicialInterpretationCitation)):
            out += _check(c, as_of)
        elif not isinstance(c, BaseModel):
            raise TypeError(f"verify: expected citations in the iterable, got {type(c).__name__}")
    return out
