"""Typed citations: frozen pydantic v2 models with a ``kind`` discriminator.

Offsets (``start``, ``end``, ``title_start`` …) are ``str`` indices into the text the caller passed
to :func:`citex.extract`, ``end`` exclusive, so ``text[c.start:c.end] == c.surface`` always holds.
Dates are :class:`datetime.date`. ``Citation`` is the union of the four kinds;
``CITATION_ADAPTER.validate_json`` / ``.dump_json`` round-trip a list of them losslessly, and
``Citation.to_record()`` gives the flat record the CLI writes (``citex extract --jsonl``).
"""
from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

__all__ = [
    "LawMention", "VersionQualifier", "DocNumber", "StatuteCitation", "JudicialInterpretationCitation",
    "GuidingCaseCitation", "CaseNumberCitation", "Citation", "CITATION_ADAPTER", "RECORD_KEYS", "RECORD_FIELDS",
]

_FROZEN = ConfigDict(frozen=True, extra="forbid")

#: Keys every flat record has, in this order (``None`` when absent); more keys follow them.
RECORD_KEYS = ("kind", "start", "end", "surface", "law_title", "version", "doc_number", "article",
               "article_suffix", "article_end", "paragraph", "paragraph_end", "item", "item_end")


#: Every key a flat record can have, with its type name (string, int, boolean — Spark SQL's names, used
#: by citex.spark for its struct schema and by citex.annotate for template fields): RECORD_KEYS first.
RECORD_FIELDS: tuple[tuple[str, str], ...] = (
    ("kind", "string"), ("start", "int"), ("end", "int"), ("surface", "string"), ("law_title", "string"),
    ("version", "string"), ("doc_number", "string"), ("article", "int"), ("article_suffix", "int"),
    ("article_end", "int"), ("paragraph", "int"), ("paragraph_end", "int"), ("item", "int"), ("item_end", "int"),
    # extras of statute / judicial-interpretation citations
    ("sub_item", "int"), ("article_end_suffix", "int"), ("title_surface", "string"), ("title_start", "int"), ("title_end", "int"),
    ("law_resolved", "boolean"), ("anaphor", "string"), ("version_raw", "string"), ("doc_number_raw", "string"),
    ("doc_start", "int"), ("doc_end", "int"),
    # guiding cases
    ("guiding_case_no", "int"), ("guiding_case_end", "int"), ("guiding_case_issuer", "string"),
    # case numbers
    ("case_number", "string"), ("case_year", "int"), ("court", "string"), ("case_type", "string"), ("serial", "int"),
)
assert tuple(name for name, _ in RECORD_FIELDS[: len(RECORD_KEYS)]) == RECORD_KEYS


class _Spanned(BaseModel):
    model_config = _FROZEN
    start: int = Field(ge=0, description="offset of the first character in the caller's text")
    end: int = Field(ge=0, description="offset after the last character (exclusive)")

    @model_validator(mode="after")
    def _check_span(self) -> "_Spanned":
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) < start ({self.start})")
        return self


class LawMention(BaseModel):
    """The law a citation cites, as written and as canonicalized against the law registry.

    ``title`` is the canonical full title (registry title, nested titles with 《》) when ``resolved``;
    otherwise the title as written (whitespace removed, 〈〉 → 《》) or ``None`` when the text never
    names the law (e.g. 本法 in an excerpt). ``written`` is the mention as it stands in the text
    (《民事诉讼法》, 民诉法, 该法, 《解释》), at ``[start, end)`` of the caller's text (``None`` when the
    law was carried over from an earlier mention in the sentence). ``anaphor`` is set for 该法 / 本法 /
    同法 / 本解释 …; ``law_kind`` is the registry kind (law, judicial_interpretation, …).
    """

    model_config = _FROZEN
    title: str | None = None
    written: str | None = None
    start: int | None = None
    end: int | None = None
    resolved: bool = False
    law_kind: str | None = None
    anaphor: str | None = None


class VersionQualifier(BaseModel):
    """A version qualifier as written (``raw``, at ``[start, end)``) and normalized.

    ``year`` + ``verb`` (修正 / 修订 / 修改, or None for a bare year: 2012年《民事诉讼法》);
    ``relation`` is ``"before"`` (修正前的, 2012年修改前), ``"original"`` (原《合同法》) or
    ``"current"`` (现行). ``label`` is the normalized text: ``2017年修正``, ``2012年修改前``, ``原``.
    Source of the form: the 修正/修订 history lines of each law (全国人大常委会 amendment decisions).
    """

    model_config = _FROZEN
    raw: str
    start: int | None = None
    end: int | None = None
    year: int | None = None
    verb: Literal["修正", "修订", "修改"] | None = None
    relation: Literal["before", "original", "current"] | None = None

    @property
    def label(self) -> str:
        """Normalized version text, e.g. ``2017年修正``, ``2012年``, ``2012年修改前``, ``原``, ``现行``."""
        if self.relation == "original":
            return "原"
        if self.relation == "current":
            return "现行"
        base = f"{self.year}年{self.verb or ''}" if self.year else (self.verb or "")
        if self.relation == "before":
            return f"{base}前" if base else "修改前"
        return base


class DocNumber(BaseModel):
    """A document number (文号) such as 法释〔2018〕3号, as written and parsed.

    ``issuer`` is the issuer code as written (法释, 法发, 法, 高检发释字, 国办发, 主席令 …), ``year`` the
    year in the brackets (None for orders such as 国务院令第588号), ``serial`` the number.
    ``text`` is canonical: ``ISSUER〔YEAR〕SERIAL号`` (brackets 〔〕, no leading zeros, no 第), or
    ``ISSUER第SERIAL号`` for orders. Bracket style: 国务院办公厅《党政机关公文格式》(GB/T 9704-2012) 7.2.4
    fixes 〔〕 for the year of a 发文字号.
    """

    model_config = _FROZEN
    raw: str
    start: int | None = None
    end: int | None = None
    issuer: str
    year: int | None = None
    serial: int

    @property
    def text(self) -> str:
        """The canonical document number, e.g. ``法释〔2018〕3号``."""
        if self.year is None:
            return f"{self.issuer}第{self.serial}号"
        return f"{self.issuer}〔{self.year}〕{self.serial}号"


class _LawCitation(_Spanned):
    surface: str = Field(description="text[start:end]: the pinpoint (第…条…), or the title / number when there is no pinpoint")
    law: LawMention | None = None
    version: VersionQualifier | None = None
    doc_number: DocNumber | None = None
    article: int | None = Field(default=None, ge=0)
    article_suffix: int | None = Field(default=None, ge=1, description="之一 → 1: an article inserted by amendment")
    article_end: int | None = Field(default=None, ge=0, description="last article of a range (至)")
    article_end_suffix: int | None = Field(default=None, ge=1, description="之一 of the last article of a range: 第213条至第219条之一")
    paragraph: int | None = Field(default=None, ge=0)
    paragraph_end: int | None = Field(default=None, ge=0)
    item: int | None = Field(default=None, ge=0)
    item_end: int | None = Field(default=None, ge=0)
    sub_item: int | None = Field(default=None, ge=0)

    def to_record(self) -> dict[str, Any]:
        """The flat record (keys :data:`RECORD_KEYS`, then ``sub_item``, ``title_surface``,
        ``title_start``, ``title_end``, ``law_resolved``, ``anaphor``, ``version_raw``,
        ``doc_number_raw``, ``doc_start``, ``doc_end``)."""
        law, ver, doc = self.law, self.version, self.doc_number
        return {
            "kind": self.kind, "start": self.start, "end": self.end, "surface": self.surface,
            "law_title": law.title if law else None,
            "version": ver.label if ver else None,
            "doc_number": doc.text if doc else None,
            "article": self.article, "article_suffix": self.article_suffix, "article_end": self.article_end,
            "article_end_suffix": self.article_end_suffix,
            "paragraph": self.paragraph, "paragraph_end": self.paragraph_end,
            "item": self.item, "item_end": self.item_end, "sub_item": self.sub_item,
            "title_surface": law.written if law else None,
            "title_start": law.start if law else None, "title_end": law.end if law else None,
            "law_resolved": law.resolved if law else False,
            "anaphor": law.anaphor if law else None,
            "version_raw": ver.raw if ver else None,
            "doc_number_raw": doc.raw if doc else None,
            "doc_start": doc.start if doc else None, "doc_end": doc.end if doc else None,
        }


class StatuteCitation(_LawCitation):
    """A citation of a law, administrative regulation, rule, legislative interpretation or treaty:
    《中华人民共和国民事诉讼法》第二百三十六条第一款 → article 236, paragraph 1."""

    kind: Literal["statute"] = "statute"


class JudicialInterpretationCitation(_LawCitation):
    """A citation of a judicial interpretation (法释) or another judicial normative document
    (法发 opinions, 纪要, SPP 高检发释字 rules), with its document number when the text gives it."""

    kind: Literal["judicial_interpretation"] = "judicial_interpretation"


class GuidingCaseCitation(_Spanned):
    """A guiding-case reference: 指导性案例24号 (SPC) or 检例第40号 (SPP); ``number_end`` for
    指导性案例251号至253号. Source: 最高人民法院关于案例指导工作的规定 (法发〔2010〕51号)."""

    kind: Literal["guiding_case"] = "guiding_case"
    surface: str
    number: int = Field(ge=0)
    number_end: int | None = Field(default=None, ge=0)
    issuer: str | None = None

    def to_record(self) -> dict[str, Any]:
        """Flat record: :data:`RECORD_KEYS` (law fields None) + ``guiding_case_no``,
        ``guiding_case_end``, ``guiding_case_issuer``."""
        rec = dict.fromkeys(RECORD_KEYS)
        rec.update(kind=self.kind, start=self.start, end=self.end, surface=self.surface,
                   guiding_case_no=self.number, guiding_case_end=self.number_end, guiding_case_issuer=self.issuer)
        return rec


class CaseNumberCitation(_Spanned):
    """A case number (案号) such as （2021）最高法民终123号: ``year``, ``court`` code (最高法, 京01,
    双流), ``case_type`` code (民终, 刑初, 执), ``serial``. ``text`` is canonical with full-width
    parentheses and without 字/第 padding changes. Format: 最高人民法院关于人民法院案件案号的若干规定
    (法〔2015〕137号, revised 2018); older numbers (before 2016) carry 字第: （2011）双流刑初字第544号."""

    kind: Literal["case_number"] = "case_number"
    surface: str
    year: int
    court: str
    case_type: str | None = None
    serial: int = Field(ge=0)
    text: str

    def to_record(self) -> dict[str, Any]:
        """Flat record: :data:`RECORD_KEYS` (law fields None) + ``case_number``, ``case_year``,
        ``court``, ``case_type``, ``serial``."""
        rec = dict.fromkeys(RECORD_KEYS)
        rec.update(kind=self.kind, start=self.start, end=self.end, surface=self.surface, case_number=self.text,
                   case_year=self.year, court=self.court, case_type=self.case_type, serial=self.serial)
        return rec


Citation = Annotated[
    Union[StatuteCitation, JudicialInterpretationCitation, GuidingCaseCitation, CaseNumberCitation],
    Field(discriminator="kind"),
]
#: Validates / serializes ``list[Citation]`` (JSON round-trips are lossless).
CITATION_ADAPTER: TypeAdapter[list[Citation]] = TypeAdapter(list[Citation])
