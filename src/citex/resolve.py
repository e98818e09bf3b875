"""Resolve citations across versions: which version a citation means, and where its article is now.

Two steps (see docs/resolve.md):

1. **Version inference** (:func:`infer_version`). A citation's version comes from, in order:

   * ``qualifier`` — an explicit qualifier: （2017年修正） / 2021年修正的《…》 (the version adopted that
     year); a bare year 2012年《…》 (the version adopted that year, else the one in force on 31
     December of that year); 修正前的 / 修改前 / 原 (the version before the one in force on ``as_of``, or
     before the current one; 原 of a repealed law is its last version); 现行 (the version in force on
     ``as_of``, else today). Source of the forms: shared/domain/citation-forms.md §2.
   * ``as_of`` — the document date: the version in force that day, by the registry's effective dates
     (adoption date where the effective date is unknown).
   * ``current`` — the version in force today.

   A qualifier naming a version the registry does not know gives ``version=None`` and a ``reason``
   (no guess).

2. **Resolution** (:func:`resolve`): the article is walked through the correspondence tables
   (data/correspondence, docs/correspondence.md) from the cited version to the target version, across
   successions (合同法 → 民法典) where the law was repealed. Nothing is guessed: a version without a
   table gives empty ``targets`` and a ``reason``; unreviewed low-similarity rows lower the confidence
   and are named in ``notes``.

The manifest and the tables are read lazily, on the first resolution, not at ``import citex``.
Table version labels (manifest) differ from registry labels in places (2020年通过 vs 2020年修正);
they are mapped to registry versions by the text path, then the adoption date, then the label.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

from citex._data import data_dir
from citex.extract import extract
from citex.models import JudicialInterpretationCitation, StatuteCitation
from citex.numerals import parse_number, to_chinese
from citex.patterns import PatternDataError, load_yaml
from citex.registry import REGISTRY, Law, LawVersion
from citex.correspondence import RELATIONS, read_tsv

__all__ = [
    "Provision", "Resolution", "VersionInference", "infer_version", "resolve", "resolve_text",
    "version_label", "find_version", "parse_target", "version_in_force", "current_version", "article_label", "RELATIONS",
]

_FROZEN = ConfigDict(frozen=True, extra="forbid")
LawCitation = Union[StatuteCitation, JudicialInterpretationCitation]
Relation = Literal["same", "renumbered", "amended", "split", "merged", "moved", "deleted", "new"]
VersionRule = Literal["qualifier", "as_of", "current"]
_PREFIX = "中华人民共和国"


# ---------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------


class Provision(BaseModel):
    """One provision of one version of a law: ``law_title`` (registry title), ``version`` (registry
    label, ``(MM-DD)`` appended where two versions share a label), ``article`` (条, int),
    ``article_suffix`` (之一 → 1), ``paragraph`` (款), ``item`` (项); None where not given."""

    model_config = _FROZEN
    law_title: Optional[str] = None
    version: Optional[str] = None
    article: Optional[int] = Field(default=None, ge=0)
    article_suffix: Optional[int] = Field(default=None, ge=1)
    paragraph: Optional[int] = Field(default=None, ge=0)
    item: Optional[int] = Field(default=None, ge=0)

    @property
    def pinpoint(self) -> str:
        """``第247条第1款第2项`` (``第133条之1``); empty when there is no article."""
        if self.article is None:
            return ""
        s = f"第{self.article}条" + (f"之{to_chinese(self.article_suffix)}" if self.article_suffix else "")
        if self.paragraph is not None:
            s += f"第{self.paragraph}款"
        if self.item is not None:
            s += f"第{self.item}项"
        return s

    def __str__(self) -> str:
        short = (self.law_title or "?").removeprefix(_PREFIX)
        return f"{short}（{self.version or '?'}）{self.pinpoint}"


class VersionInference(BaseModel):
    """Which version of ``law_title`` a citation means.

    ``version`` is the registry label (None when it cannot be told: then ``reason`` says why),
    ``rule`` which rule decided (``qualifier`` / ``as_of`` / ``current``), ``confidence`` 0..1,
    ``notes`` the caveats (a verb differing from the registry's, a year with no version adopted in it …).
    """

    model_config = _FROZEN
    law_title: Optional[str] = None
    version: Optional[str] = None
    adopted: Optional[date] = None
    effective: Optional[date] = None
    rule: VersionRule
    confidence: float = Field(ge=0.0, le=1.0)
    notes: list[str] = Field(default_factory=list)
    reason: Optional[str] = None


class Resolution(BaseModel):
    """Where a cited provision is in the target version.

    * ``source``: the provision as cited, with the inferred version (``version_rule``,
      ``version_confidence``); ``start``/``end`` are the citation's offsets in the caller's text.
    * ``targets``: the provisions it corresponds to (several for a split; empty when it cannot be
      told, and then ``reason`` says why: unknown law or version, no table, article deleted …).
    * ``relation``: same / renumbered / amended / split / merged / moved (across a succession) /
      deleted / new (walking back to an article that had no predecessor), composed over the chain.
    * ``confidence`` 0..1: version inference × the rows walked (reviewed rows 1.0, unreviewed rows by
      their similarity; see docs/resolve.md). ``chain``: version labels walked, e.g.
      ``["2017年修正", "2021年修正", "2023年修正"]`` (another law's versions prefixed by its short title).
    * ``reviewed``: every table row walked was checked by a person (True when no row was needed).
    """

    model_config = _FROZEN
    source: Provision
    start: Optional[int] = None
    end: Optional[int] = None
    targets: list[Provision] = Field(default_factory=list)
    relation: Optional[Relation] = None
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    chain: list[str] = Field(default_factory=list)
    version_rule: Optional[VersionRule] = None
    version_confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    reviewed: bool = False
    notes: list[str] = Field(default_factory=list)
    reason: Optional[str] = None

    def to_record(self) -> dict:
        """A flat JSON-ready dict (the CLI's ``--jsonl`` line)."""
        return self.model_dump(mode="json")


# ---------------------------------------------------------------------------
# Versions of a registry law
# ---------------------------------------------------------------------------


def _start(v: LawVersion) -> Optional[date]:
    return v.effective or v.adopted


def version_label(law: Law, index: int) -> str:
    """The label of ``law.versions[index]``; ``(MM-DD)`` of the adoption date is appended when two
    versions share a label (刑法 has two 2001年修正: ``2001年修正(08-31)``, ``2001年修正(12-29)``)."""
    v = law.versions[index]
    if sum(1 for w in law.versions if w.label == v.label) > 1 and v.adopted:
        return f"{v.label}({v.adopted:%m-%d})"
    return v.label


def version_in_force(law: Law, day: date) -> Optional[int]:
    """Index of the version of ``law`` in force on ``day`` (the latest whose effective date — the
    adoption date where unknown — is on or before ``day``), or None before the first one."""
    best = None
    for i, v in enumerate(law.versions):
        s = _start(v)
        if s is not None and s <= day and (best is None or s >= _start(law.versions[best])):
            best = i
    return best


def current_version(law: Law, today: Optional[date] = None) -> Optional[int]:
    """Index of the version in force ``today`` (default: the system date); the latest adopted one
    when none is in force yet; None for a law without versions."""
    if not law.versions:
        return None
    i = version_in_force(law, today or date.today())
    if i is None:
        dated = [j for j, v in enumerate(law.versions) if v.adopted]
        i = max(dated, key=lambda j: law.versions[j].adopted) if dated else len(law.versions) - 1
    return i


_LABEL_RE = re.compile(r"^(?P<year>\d{4})年?(?P<verb>修正|修订|修改|通过|公布|版)?本?(?:\((?P<md>\d\d-\d\d)\))?$")


def find_version(law: Law, label: str) -> tuple[Optional[int], Optional[str]]:
    """The version of ``law`` a label names: exact registry label (``2023年修正``, ``2001年修正(12-29)``),
    else the one version adopted in that year (``2023``, or ``2023年修订`` when the registry says 修正).

    Returns ``(index, None)``, or ``(None, reason)`` when no version or several match.
    """
    label = label.strip().translate({0xFF08: "(", 0xFF09: ")"})
    for i in range(len(law.versions)):
        if version_label(law, i) == label:
            return i, None
    m = _LABEL_RE.match(label)
    known = ", ".join(version_label(law, i) for i in range(len(law.versions))) or "none"
    if not m:
        return None, f"{label!r} is not a version label (known versions of {law.title}: {known})"
    year = int(m.group("year"))
    hits = [i for i, v in enumerate(law.versions) if v.adopted and v.adopted.year == year]
    if m.group("verb") and len(hits) > 1:
        same_verb = [i for i in hits if law.versions[i].label.endswith(m.group("verb"))]
        hits = same_verb or hits
    if len(hits) == 1:
        return hits[0], None
    if not hits:
        return None, f"the registry knows no version of {law.title} adopted in {year} (known: {known})"
    names = ", ".join(version_label(law, i) for i in hits)
    return None, f"{label} is ambiguous for {law.title}: {names}"


def _law_of(citation: LawCitation) -> Optional[Law]:
    law = None
    if citation.law is not None and citation.law.title:
        law = REGISTRY.laws.get(citation.law.title) or REGISTRY.lookup(citation.law.title)
    if law is None and citation.doc_number is not None:
        law = REGISTRY.by_doc_number(citation.doc_number.text)
    return law


def _check_citation(citation: object) -> None:
    if not isinstance(citation, (StatuteCitation, JudicialInterpretationCitation)):
        raise TypeError("expected a StatuteCitation or JudicialInterpretationCitation "
                        f"(guiding cases and case numbers have no versions), got {type(citation).__name__}")


def _check_date(value: object, name: str) -> Optional[date]:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date or None, got {type(value).__name__}")
    return value


def infer_version(citation: LawCitation, *, as_of: Optional[date] = None,
                  today: Optional[date] = None) -> VersionInference:
    """Infer the version a citation cites (rules in the module docstring; forms: citation-forms.md §2).

    Args:
        citation: a statute or judicial-interpretation citation from :func:`citex.extract`.
        as_of: the document's date (the version in force that day is meant when nothing is written).
        today: the date "current" refers to (default: the system date; for reproducible tests).
    Returns:
        a :class:`VersionInference`; ``version`` None with a ``reason`` when the law is unknown, the
        registry has no versions of it, or the qualifier names a version the registry does not know.
    Raises:
        TypeError: ``citation`` is not a law citation, or a date argument is not a ``datetime.date``.
    """
    _check_citation(citation)
    as_of = _check_date(as_of, "as_of")
    today = _check_date(today, "today") or date.today()
    law = _law_of(citation)
    q = citation.version
    rule: VersionRule = "qualifier" if q is not None and not (q.year is None and q.relation is None) else (
        "as_of" if as_of else "current")
    if law is None:
        title = citation.law.title if citation.law else None
        return VersionInference(law_title=title, rule=rule, confidence=0.0,
                                reason=f"law not in the registry: {title or '(no title)'}")
    if not law.versions:
        return VersionInference(law_title=law.title, rule=rule, confidence=0.0,
                                reason=f"the registry has no versions of {law.title}")

    def done(i: Optional[int], conf: float, notes: list[str], reason: Optional[str] = None,
             rule_: VersionRule = rule) -> VersionInference:
        if i is None:
            return VersionInference(law_title=law.title, rule=rule_, confidence=0.0, notes=notes, reason=reason)
        v = law.versions[i]
        return VersionInference(law_title=law.title, version=version_label(law, i), adopted=v.adopted,
                                effective=v.effective, rule=rule_, confidence=conf, notes=notes)

    ref_day = as_of or today
    if rule == "qualifier":
        assert q is not None
        if q.relation == "current":
            return done(current_version(law, ref_day), 0.9 if as_of else 0.85,
                        [f"现行: the version in force on {ref_day}"])
        if q.relation in ("before", "original"):
            repealed = law.repealed_on is not None and law.repealed_on <= ref_day
            if q.relation == "original" and (repealed or law.status == "repealed"):
                last = current_version(law, law.repealed_on - date.resolution if law.repealed_on else today)
                return done(last, 0.95, [f"原: {law.title} was repealed on {law.repealed_on}; its last version"])
            if q.year is not None:
                ref, why = find_version(law, f"{q.year}年{q.verb}" if q.verb else str(q.year))
                if ref is None:
                    return done(None, 0.0, [], f"unknown version in {q.raw!r}: {why}")
                basis = f"the version before {version_label(law, ref)}"
            else:
                ref = current_version(law, ref_day)
                basis = f"the version before the one in force on {ref_day}" + ("" if as_of else " (today)")
            order = sorted(range(len(law.versions)), key=lambda j: (law.versions[j].adopted or date.min, j))
            pos = order.index(ref)
            if pos == 0:
                return done(None, 0.0, [], f"{q.raw!r}: {version_label(law, ref)} is the first version of {law.title} the registry knows; nothing before it")
            return done(order[pos - 1], 0.9 if (as_of or q.year) else 0.8, [f"{q.raw}: {basis}"])
        # a year, with or without 修正/修订/修改
        if q.verb is None:
            hits = [i for i, v in enumerate(law.versions) if v.adopted and v.adopted.year == q.year]
            if len(hits) == 1:
                return done(hits[0], 0.9, [f"{q.raw}: the version adopted in {q.year}"])
            if len(hits) > 1:
                return done(None, 0.0, [], f"{q.raw!r} is ambiguous: {', '.join(version_label(law, i) for i in hits)}")
            i = version_in_force(law, date(q.year, 12, 31))
            if i is None:
                return done(None, 0.0, [], f"unknown version: {law.title} had no version in force in {q.year}")
            return done(i, 0.7, [f"{q.raw}: no version adopted in {q.year}; the one in force on {q.year}-12-31"])
        i, why = find_version(law, f"{q.year}年{q.verb}")
        if i is None:
            return done(None, 0.0, [], f"unknown version {q.raw!r}: {why}")
        notes = []
        conf = 1.0
        base = law.versions[i].label
        if not base.endswith(q.verb):
            notes.append(f"written {q.year}年{q.verb}, registry label {base}")
            conf = 0.9
        return done(i, conf, notes)
    if as_of is not None:
        i = version_in_force(law, as_of)
        if i is not None:
            notes = []
            if law.repealed_on is not None and law.repealed_on <= as_of:
                notes.append(f"{law.title} was repealed on {law.repealed_on}, before the document date {as_of}")
            return done(i, 0.9, notes)
        adopted = [j for j, v in enumerate(law.versions) if v.adopted and v.adopted <= as_of]
        if adopted:
            j = max(adopted, key=lambda k: law.versions[k].adopted)
            return done(j, 0.6, [f"no version in force on {as_of}; {version_label(law, j)} was adopted but not yet in force"])
        i = current_version(law, today)
        return done(i, 0.3, [f"{as_of} precedes every known version of {law.title}; assumed the current version"],
                    rule_="current")
    return done(current_version(law, today), 0.6,
                ["no version qualifier and no document date (as_of): assumed the version in force today"])


# ---------------------------------------------------------------------------
# Correspondence tables (read lazily)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    from_article: str
    to_articles: tuple[str, ...]
    relation: str
    similarity: Optional[float]
    reviewed: bool
    note: str


@dataclass(frozen=True)
class _Table:
    path: Path
    kind: str
    from_title: str
    from_idx: int
    to_title: str
    to_idx: int


@dataclass
class _Graph:
    nxt: dict[tuple[str, int], _Table]
    prev: dict[tuple[str, int], _Table]
    succ: dict[str, list[_Table]]
    nodes: dict[str, list[int]]




def _manifest_path() -> Path:
    return data_dir() / "correspondence" / "manifest.yaml"


def _side_index(law: Law, side: dict, where: str) -> int:
    paths = side.get("paths") or []
    first = str(paths[0]) if paths else None
    for i, v in enumerate(law.versions):
        if v.text and first and (v.text == first or ("*" in v.text and first.startswith(v.text.split("*")[0]))):
            return i
    for i, v in enumerate(law.versions):
        if v.adopted and str(side.get("date")) == v.adopted.isoformat():
            return i
    for i, v in enumerate(law.versions):
        if v.label == side.get("version"):
            return i
    raise PatternDataError(f"{where}: version {side.get('version')!r} ({side.get('date')}) of {law.title} "
                           "matches no registry version (by text path, date or label)")


@lru_cache(maxsize=1)
def _graph() -> _Graph:
    path = _manifest_path()
    manifest = load_yaml(path)
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tables"), list):
        raise PatternDataError(f"{path}:1: the manifest needs a 'tables' list")
    g = _Graph({}, {}, {}, {})
    for entry in manifest["tables"]:
        where = f"{path}:{entry.get('__line__', 0) if isinstance(entry, dict) else 0}"
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), dict) for k in ("from", "to")) \
                or not entry.get("file") or entry.get("kind") not in ("amendment", "succession"):
            raise PatternDataError(f"{where}: a table needs file, kind (amendment|succession), from and to")
        sides = []
        for key in ("from", "to"):
            title = entry[key].get("title")
            law = REGISTRY.laws.get(title)
            if law is None:
                raise PatternDataError(f"{where}: {key} title {title!r} is not in the law registry")
            sides.append((law.title, _side_index(law, entry[key], where)))
        t = _Table(path.parent / str(entry["file"]), entry["kind"], sides[0][0], sides[0][1], sides[1][0], sides[1][1])
        if t.kind == "amendment":
            if t.from_title != t.to_title:
                raise PatternDataError(f"{where}: an amendment table must stay within one law")
            g.nxt[(t.from_title, t.from_idx)] = t
            g.prev[(t.to_title, t.to_idx)] = t
            for idx in (t.from_idx, t.to_idx):
                g.nodes.setdefault(t.from_title, [])
                if idx not in g.nodes[t.from_title]:
                    g.nodes[t.from_title].append(idx)
        else:
            g.succ.setdefault(t.from_title, []).append(t)
    return g


@lru_cache(maxsize=256)
def _rows(path: Path) -> tuple[dict[str, _Row], dict[str, list[_Row]], frozenset]:
    """(rows by from_article, rows by each to_article, to_articles of ``new`` rows) of one table.
    Raises PatternDataError ``path:line: …`` on a malformed line (citex.correspondence.read_tsv)."""
    by_from: dict[str, _Row] = {}
    by_to: dict[str, list[_Row]] = {}
    new: set[str] = set()
    for r in read_tsv(path):
        row = _Row(r.from_article, tuple(r.to_articles), r.relation, r.similarity, r.reviewed, r.note)
        if r.relation == "new":
            new.update(row.to_articles)
            continue
        by_from[row.from_article] = row
        for a in row.to_articles:
            by_to.setdefault(a, []).append(row)
    return by_from, by_to, frozenset(new)


def article_label(article: int, suffix: Optional[int] = None) -> str:
    """Table label of an article: ``236``, ``120之一`` (the form of ``from_article`` / ``to_articles``)."""
    return f"{article}之{to_chinese(suffix)}" if suffix else str(article)


def _parse_article(label: str) -> tuple[int, Optional[int]]:
    num, _, suf = label.partition("之")
    return int(num), (parse_number(suf) if suf else None)


def _row_confidence(row: _Row) -> float:
    if row.reviewed:
        return 1.0
    sim = row.similarity
    if row.relation in ("same", "renumbered") or (row.relation == "moved" and sim is not None and sim >= 0.999):
        c = 0.98
    elif sim is None:
        c = 0.6
    elif sim >= 0.8:
        c = 0.9
    elif sim >= 0.5:
        c = 0.75
    else:
        c = 0.5
    if row.relation in ("split", "merged"):
        c *= 0.9
    return c


# ---------------------------------------------------------------------------
# Resolution
# ---------------------------------------------------------------------------


def _short(title: str) -> str:
    return title.removeprefix(_PREFIX)


def _is_repealed(law: Law, day: date) -> bool:
    if law.repealed_on is not None:
        return law.repealed_on <= day
    return law.status == "repealed"


def _target(law: Law, to: object, today: date) -> tuple[Optional[Law], Optional[int], Optional[str], list[str]]:
    """(target law, version index, reason, notes) for a ``to`` argument (already validated)."""
    notes: list[str] = []
    seen = {law.title}
    if to == "current" or isinstance(to, date):
        day = to if isinstance(to, date) else today
        while _is_repealed(law, day):
            succs = [REGISTRY.laws[s] for s in law.successors if s in REGISTRY.laws and s not in seen]
            if not succs:
                return None, None, (f"{law.title} was repealed on {law.repealed_on or '(date unknown)'} and the "
                                    "registry knows no successor"), notes
            have = [s for s in succs if any(t.to_title == s.title for t in _graph().succ.get(law.title, []))]
            nxt = (have or succs)[0]
            notes.append(f"{law.title} was repealed on {law.repealed_on}; followed succession to {nxt.title}")
            law = nxt
            seen.add(law.title)
        i = version_in_force(law, day) if isinstance(to, date) else current_version(law, today)
        if i is None:
            return law, None, f"no version of {law.title} was in force on {day}", notes
        if to == "current":
            later = [v for v in law.versions if v.adopted and v.adopted > law.versions[i].adopted and _start(v) and _start(v) > today]
            for v in later:
                notes.append(f"{law.title} {v.label} (adopted {v.adopted}) takes effect on {_start(v)}: not yet current")
        return law, i, None, notes
    assert isinstance(to, str)
    i, why = find_version(law, to)
    if i is not None:
        return law, i, None, notes
    for s in law.successors:
        succ = REGISTRY.laws.get(s)
        if succ is not None:
            j, _ = find_version(succ, to)
            if j is not None:
                notes.append(f"{to} is a version of {succ.title}, the successor of {law.title}")
                return succ, j, None, notes
    return law, None, f"unknown target version: {why}", notes


@dataclass
class _Branch:
    title: str
    label: str
    conf: float = 1.0
    reviewed: bool = True
    relations: tuple[str, ...] = ()


def _plan(src_title: str, src_idx: int, tgt_title: str, tgt_idx: int) -> tuple[list[tuple[_Table, bool]], Optional[str]]:
    """Tables to walk (table, forward?) from one version to another, or a reason there are none."""
    g = _graph()
    steps: list[tuple[_Table, bool]] = []
    title, idx = src_title, src_idx
    for _hop in range(8):
        if title == tgt_title:
            break
        succ = [t for t in g.succ.get(title, [])]
        if not succ:
            return [], f"no succession table from {title} (towards {tgt_title})"
        t = next((s for s in succ if s.to_title == tgt_title), succ[0])
        sub, why = _plan_within(title, idx, t.from_idx)
        if why:
            return [], why
        steps += sub + [(t, True)]
        title, idx = t.to_title, t.to_idx
    else:
        return [], f"no succession path from {src_title} to {tgt_title}"
    sub, why = _plan_within(title, idx, tgt_idx)
    if why:
        return [], why
    return steps + sub, None


def _plan_within(title: str, i: int, j: int) -> tuple[list[tuple[_Table, bool]], Optional[str]]:
    g = _graph()
    law = REGISTRY.laws[title]
    if i == j:
        return [], None
    nodes = g.nodes.get(title, [])
    for k in (i, j):
        if k not in nodes:
            have = " → ".join(version_label(law, n) for n in sorted(nodes, key=lambda n: law.versions[n].adopted or date.min))
            return [], (f"citex has no data for {_short(title)} {version_label(law, k)}: no text of it, so no correspondence "
                        f"table" + (f" (tables cover {have})" if have else " (no tables for this law)"))
    forward = (law.versions[j].adopted or date.min) > (law.versions[i].adopted or date.min)
    steps: list[tuple[_Table, bool]] = []
    k = i
    while k != j:
        t = (g.nxt if forward else g.prev).get((title, k))
        if t is None:
            return [], f"no correspondence table from {_short(title)} {version_label(law, k)} towards {version_label(law, j)}"
        steps.append((t, forward))
        k = t.to_idx if forward else t.from_idx
    return steps, None


def _bridge(law: Law, idx: int, label: str) -> tuple[Optional[int], Optional[str], Optional[str]]:
    """For a cited version without text lying between two versions A < cited < B joined by a table:
    the article's number in B when A→B keeps that number (or B's ``new`` article has it).
    Returns (B's index, label in B, note) or (None, None, None)."""
    g = _graph()
    nodes = g.nodes.get(law.title, [])
    adopted = law.versions[idx].adopted
    if adopted is None:
        return None, None, None
    for a in nodes:
        t = g.nxt.get((law.title, a))
        if t is None:
            continue
        da, db = law.versions[a].adopted, law.versions[t.to_idx].adopted
        if da and db and da < adopted < db:
            by_from, _, new = _rows(t.path)
            row = by_from.get(label)
            if (row is not None and row.to_articles == (label,)) or label in new:
                return t.to_idx, label, (
                    f"no text of {version_label(law, idx)}; article numbers there assumed to be those of "
                    f"{version_label(law, t.to_idx)} ({_pin(label)} keeps its number from {version_label(law, a)} to "
                    f"{version_label(law, t.to_idx)})" if row else
                    f"no text of {version_label(law, idx)}; {_pin(label)} was inserted between {version_label(law, a)} and "
                    f"{version_label(law, t.to_idx)} and is taken to keep its number")
    return None, None, None


def _pin(label: str) -> str:
    """``236`` → ``第236条``, ``120之一`` → ``第120条之一``."""
    num, sep, suf = label.partition("之")
    return f"第{num}条" + (f"之{suf}" if sep else "")


def _relation(relations: list[str], renumbered: bool, split: bool) -> str:
    for r in ("split", "merged", "moved", "amended"):
        if r in relations:
            return r
    if split:
        return "split"
    return "renumbered" if renumbered else "same"


def _version_ok(law: Law, idx: int, article: int, suffix: Optional[int]) -> Optional[str]:
    v = law.versions[idx]
    if not v.articles:  # unknown (None; 0 in a few registry records whose text was not parsed)
        return None
    if suffix:
        lab = article_label(article, suffix)
        if lab not in v.inserted:
            return f"{_short(law.title)} {version_label(law, idx)} has no 第{article}条之{to_chinese(suffix)}"
    elif article < 1 or article > v.articles:
        return f"{_short(law.title)} {version_label(law, idx)} has {v.articles} articles: no 第{article}条"
    return None


def parse_target(to: object) -> object:
    """Validate a ``to`` argument: ``"current"``, a ``datetime.date``, a label or year string (returned
    stripped), or a ``YYYY-MM-DD`` string (returned as a date). Raises TypeError / ValueError."""
    if isinstance(to, datetime):
        return to.date()
    if isinstance(to, date):
        return to
    if not isinstance(to, str):
        raise TypeError(f"to must be 'current', a version label, a year or a datetime.date, got {type(to).__name__}")
    s = to.strip()
    if s in ("current", "现行", ""):
        return "current"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        try:
            return date.fromisoformat(s)
        except ValueError:
            raise ValueError(f"to: not a valid date: {to!r}") from None
    if _LABEL_RE.match(s.translate({0xFF08: "(", 0xFF09: ")"})):
        return s
    raise ValueError(f"to must be 'current', a version label ('2023年修正'), a year ('2023') or a date "
                     f"(YYYY-MM-DD or datetime.date), got {to!r}")


def resolve(citation: LawCitation, *, to: Union[str, date] = "current", as_of: Optional[date] = None,
            today: Optional[date] = None) -> Resolution:
    """Resolve a cited provision to the target version ``to``.

    Args:
        citation: a :class:`~citex.models.StatuteCitation` or :class:`~citex.models.JudicialInterpretationCitation`.
        to: ``"current"`` (the version in force today; for a law repealed by then, its successor's, via the
            succession tables: 合同法 → 民法典), a version label (``"2023年修正"``, ``"2023"``; a label of
            the successor is accepted for a repealed law), or a ``datetime.date`` (the version in force that day).
        as_of: the document's date, for version inference (:func:`infer_version`).
        today: what "current" means (default: the system date).
    Returns:
        a :class:`Resolution` — ``targets`` empty with a ``reason`` when the answer is not in citex's data.
    Raises:
        TypeError: ``citation`` is not a law citation, or ``to`` / ``as_of`` has the wrong type.
        ValueError: ``to`` is a string that is neither ``current``, a label, a year nor a date.
        citex.patterns.PatternDataError: a correspondence table or the manifest is malformed (``path:line``).
    """
    _check_citation(citation)
    target = parse_target(to)
    as_of = _check_date(as_of, "as_of")
    today = _check_date(today, "today") or date.today()
    inf = infer_version(citation, as_of=as_of, today=today)
    law = REGISTRY.laws.get(inf.law_title) if inf.law_title else None
    source = Provision(law_title=inf.law_title, version=inf.version, article=citation.article,
                       article_suffix=citation.article_suffix, paragraph=citation.paragraph, item=citation.item)
    base = dict(source=source, start=citation.start, end=citation.end, version_rule=inf.rule,
                version_confidence=inf.confidence)
    notes = list(inf.notes)
    if law is None or inf.version is None:
        return Resolution(**base, notes=notes, reason=inf.reason)
    src_idx = next(i for i in range(len(law.versions)) if version_label(law, i) == inf.version)
    tlaw, tidx, why, tnotes = _target(law, target, today)
    notes += tnotes
    if tlaw is None or tidx is None:
        return Resolution(**base, notes=notes, reason=why)
    tlabel = version_label(tlaw, tidx)
    if citation.article_end is not None:
        notes.append(f"article range 第{citation.article}条至第{citation.article_end}条: only the first article is resolved")
    if citation.article is None:
        steps, why = _plan(law.title, src_idx, tlaw.title, tidx)
        if why:
            return Resolution(**base, notes=notes, reason=why)
        chain = [inf.version] + [_chain_label(law.title, *((t.to_title, t.to_idx) if fw else (t.from_title, t.from_idx)))
                                 for t, fw in steps]
        rel = "moved" if tlaw.title != law.title else "same"
        return Resolution(**base, targets=[Provision(law_title=tlaw.title, version=tlabel)], relation=rel,
                          confidence=inf.confidence, chain=chain, reviewed=True,
                          notes=notes + ["no article cited: resolved at the level of the law"])
    label = article_label(citation.article, citation.article_suffix)
    start_idx = src_idx
    chain = [inf.version]
    bridge_conf = 1.0
    if tlaw.title == law.title and tidx == src_idx:
        bad = _version_ok(law, src_idx, citation.article, citation.article_suffix)
        if bad:
            return Resolution(**base, chain=chain, notes=notes, reason=f"no such article: {bad}")
        return Resolution(**base, targets=[source], relation="same", confidence=inf.confidence, chain=chain,
                          reviewed=True, notes=notes + ["the target version is the cited version"])
    if src_idx not in _graph().nodes.get(law.title, []) and (law.title != tlaw.title or tidx != src_idx):
        b_idx, b_label, b_note = _bridge(law, src_idx, label)
        if b_idx is not None:
            start_idx, label = b_idx, b_label
            chain.append(version_label(law, b_idx))
            notes.append(b_note)
            bridge_conf = 0.8
    steps, why = _plan(law.title, start_idx, tlaw.title, tidx)
    if why:
        return Resolution(**base, chain=chain, notes=notes, reason=why)
    branches = [_Branch(law.title, label)]
    dead: list[str] = []
    for t, forward in steps:
        by_from, by_to, new = _rows(t.path)
        tlaw_step = REGISTRY.laws[t.to_title if forward else t.from_title]
        step_label = version_label(tlaw_step, t.to_idx if forward else t.from_idx)
        chain.append(step_label if tlaw_step.title == law.title else f"{_short(tlaw_step.title)} {step_label}")
        nxt: list[_Branch] = []
        for b in branches:
            if forward:
                row = by_from.get(b.label)
                if row is None:
                    dead.append(f"{_pin(b.label)} is not in the table {t.path.parent.name}/{t.path.name}"
                                + _count_hint(t.from_title, t.from_idx, b.label))
                    continue
                if row.relation == "deleted" or not row.to_articles:
                    dead.append(f"{_pin(b.label)} was deleted in {step_label}" + (f" ({row.note})" if row.note else ""))
                    continue
                rows, outs, rel = [row], list(row.to_articles), row.relation
            else:
                rows = by_to.get(b.label, [])
                if not rows:
                    dead.append(f"{_pin(b.label)} is new in {version_label(REGISTRY.laws[t.to_title], t.to_idx)}: "
                                f"no counterpart in {step_label}" if b.label in new else
                                f"{_pin(b.label)} is not in the table {t.path.parent.name}/{t.path.name}")
                    continue
                outs = [r.from_article for r in rows]
                rel = {"split": "merged", "merged": "split"}.get(rows[0].relation, rows[0].relation)
                if len(rows) > 1:
                    rel = "split"
            conf = min(_row_confidence(r) for r in rows)
            reviewed = all(r.reviewed for r in rows)
            for r in rows:
                if _row_confidence(r) < 0.9:
                    sim = "" if r.similarity is None else f", similarity {r.similarity:.2f}"
                    notes.append(f"unreviewed row {r.from_article} → {';'.join(r.to_articles) or '(none)'} "
                                 f"({r.relation}{sim}) in {t.path.parent.name}/{t.path.name}: less certain"
                                 + (f" — {r.note}" if r.note else ""))
            for o in outs:
                nxt.append(_Branch(tlaw_step.title, o, b.conf * conf, b.reviewed and reviewed,
                                   b.relations + (rel,) if len(outs) == 1 else b.relations + (rel, "split")))
        branches = nxt
        if not branches:
            break
    if not branches:
        return Resolution(**base, chain=chain, notes=notes, relation="deleted" if any("deleted" in d for d in dead) else None,
                          reason="; ".join(dead) or "no counterpart")
    notes += dead
    seen: dict[tuple[str, str], _Branch] = {}
    for b in branches:
        seen.setdefault((b.title, b.label), b)
    branches = list(seen.values())
    rels = [r for b in branches for r in b.relations]
    renumbered = any(b.label != article_label(citation.article, citation.article_suffix) or b.title != law.title
                     for b in branches)
    relation = _relation(rels, renumbered, len(branches) > 1)
    one_to_one = len(branches) == 1 and not {"split", "merged"} & set(rels)
    targets = []
    for b in branches:
        art, suf = _parse_article(b.label)
        para = citation.paragraph if one_to_one else None
        item = citation.item if one_to_one else None
        targets.append(Provision(law_title=b.title, version=tlabel, article=art, article_suffix=suf,
                                 paragraph=para, item=item))
    if citation.paragraph is not None or citation.item is not None:
        if one_to_one:
            notes.append("paragraph/item carried over unchanged (the article maps 1:1)"
                         + ("; its text was amended: check the paragraph" if relation in ("amended", "moved") else ""))
        else:
            notes.append(f"paragraph/item dropped: the article was {relation}, so they cannot be carried over")
    conf = min(b.conf for b in branches) * inf.confidence * bridge_conf
    return Resolution(**base, targets=targets, relation=relation, confidence=round(conf, 4), chain=chain,
                      reviewed=all(b.reviewed for b in branches) and bridge_conf == 1.0, notes=list(dict.fromkeys(notes)))


def _chain_label(src_title: str, title: str, idx: int) -> str:
    law = REGISTRY.laws[title]
    lab = version_label(law, idx)
    return lab if title == src_title else f"{_short(title)} {lab}"


def _count_hint(title: str, idx: int, label: str) -> str:
    v = REGISTRY.laws[title].versions[idx]
    return f" ({_short(title)} {v.label} has {v.articles} articles)" if v.articles else ""


def resolve_text(text: str, *, to: Union[str, date] = "current", as_of: Optional[date] = None,
                 today: Optional[date] = None) -> list[Resolution]:
    """Extract the citations of ``text`` (:func:`citex.extract`) and resolve every statute and
    judicial-interpretation citation (guiding cases and case numbers have no versions and are skipped).

    Raises TypeError when ``text`` is not a ``str``; otherwise as :func:`resolve`.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    parse_target(to)
    return [resolve(c, to=to, as_of=as_of, today=today) for c in extract(text, as_of=_check_date(as_of, "as_of"))
            if isinstance(c, (StatuteCitation, JudicialInterpretationCitation))]
