"""The article correspondence table format (``data/correspondence/**.tsv``): rows, relations,
reading with validation (``path:line:`` errors) and writing. Read at run time by citex.resolve; the
tables are built by the maintainer tool citex.tables (docs/correspondence.md)."""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from citex.patterns import PatternDataError

__all__ = ["RELATIONS", "COLUMNS", "Row", "format_tsv", "write_tsv", "read_tsv"]

RELATIONS = ("same", "renumbered", "amended", "split", "merged", "moved", "deleted", "new")
COLUMNS = ("from_article", "to_articles", "relation", "similarity", "reviewed", "note")


@dataclass
class Row:
    """One row of a correspondence table.

    ``from_article`` is empty for ``new`` rows; ``to_articles`` is empty for ``deleted`` rows.
    ``similarity`` is the difflib ratio of the normalized texts (old article vs the concatenated
    target articles; for ``merged`` rows, the concatenated merged old articles vs the target).
    """

    from_article: str
    to_articles: list[str]
    relation: str
    similarity: Optional[float] = None
    reviewed: bool = False
    note: str = ""

    @property
    def key(self) -> str:
        """Identity of the row in a table: the old article, or ``+<new article>`` for ``new`` rows."""
        return self.from_article if self.from_article else "+" + ";".join(self.to_articles)

    def cells(self) -> list[str]:
        return [
            self.from_article,
            ";".join(self.to_articles),
            self.relation,
            "" if self.similarity is None else f"{self.similarity:.3f}",
            "yes" if self.reviewed else "no",
            self.note,
        ]


def format_tsv(rows: Iterable[Row]) -> str:
    buf = io.StringIO()
    buf.write("\t".join(COLUMNS) + "\n")
    for r in rows:
        cells = [c.replace("\t", " ").replace("\n", " ") for c in r.cells()]
        buf.write("\t".join(cells) + "\n")
    return buf.getvalue()


def write_tsv(rows: Iterable[Row], path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(format_tsv(rows), encoding="utf-8")


def read_tsv(path: Path | str) -> list[Row]:
    """Read a correspondence table written by :func:`write_tsv` (header :data:`COLUMNS`). Raises
    :class:`citex.patterns.PatternDataError` (a ValueError) ``path:line: …`` on a malformed line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise PatternDataError(f"{path}:0: cannot read correspondence table: {exc}") from exc
    if not lines or tuple(lines[0].split("\t")) != COLUMNS:
        raise PatternDataError(f"{path}:1: header must be {' '.join(COLUMNS)}")
    rows = []
    for n, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != len(COLUMNS):
            raise PatternDataError(f"{path}:{n}: expected {len(COLUMNS)} columns, got {len(cells)}")
        f, t, rel, sim, rev, note = cells
        if rel not in RELATIONS:
            raise PatternDataError(f"{path}:{n}: unknown relation {rel!r}")
        if rev not in ("yes", "no"):
            raise PatternDataError(f"{path}:{n}: reviewed must be yes or no, not {rev!r}")
        if not f and rel != "new":
            raise PatternDataError(f"{path}:{n}: from_article is empty in a {rel!r} row")
        try:
            similarity = float(sim) if sim else None
        except ValueError:
            raise PatternDataError(f"{path}:{n}: similarity {sim!r} is not a number") from None
        rows.append(Row(f, [x for x in t.split(";") if x], rel, similarity, rev == "yes", note))
    return rows
