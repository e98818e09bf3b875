"""``citex resolve`` and ``citex verify``: citations of texts, files, standard input or a JSONL corpus,
resolved across versions / checked against the registry (see docs/resolve.md).

Input conventions are those of ``citex extract`` (citex.cli._app), plus: an argument that is not an
existing file (and not ``-``) is taken as literal text. Output: a table by default, JSON lines with
``--jsonl``; a corpus gives one line per record (``{"id": …, "resolutions": […]}`` /
``{"id": …, "findings": […]}``).
"""
from __future__ import annotations

import json
import sys
from datetime import date
from typing import Callable, List, Optional

import typer

from citex.cli._app import AS_OF, ID_FIELD, INPUT_FORMAT, InputFormat, JSONL, RunStatus, TEXT_FIELD, app, documents, parse_date
from citex.resolve import Resolution, parse_target, resolve_text
from citex.verify import Finding, verify

_ARGS = typer.Argument(None, help="Texts, text files or .jsonl corpora; '-' or nothing for standard input.")


def _resolution_row(src: str, r: Resolution) -> str:
    s = r.source
    cited = f"{(s.law_title or '?').removeprefix('中华人民共和国')}（{s.version or '?'}）{s.pinpoint}"
    answer = "；".join(
        (f"{(t.law_title or '?').removeprefix('中华人民共和国')}（{t.version}）" if i == 0 else "") + t.pinpoint
        for i, t in enumerate(r.targets)) or "—"
    tail = r.reason or "; ".join(r.notes)
    return "\t".join([src, f"{r.start}-{r.end}", cited, answer, r.relation or "", f"{r.confidence:.2f}",
                      r.version_rule or "", " → ".join(r.chain), ("reviewed" if r.reviewed else "unreviewed"),
                      tail.replace("\n", " ")])


def _finding_row(src: str, f: Finding) -> str:
    return "\t".join([src, f"{f.start}-{f.end}", f.severity, f.code, f.surface.replace("\n", "⏎"), f.message])


def _run(inputs: List[str], fmt: InputFormat, text_field: str, id_field: str, jsonl: bool, key: str,
         work: Callable[[str], list], row: Callable[[str, object], str]) -> None:
    status = RunStatus()
    out = sys.stdout
    for src, rid, text, corpus in documents(inputs, fmt, text_field, id_field, status, literal_text=True):
        items = work(text)
        if corpus and jsonl:
            out.write(json.dumps({"id": rid, key: [x.to_record() for x in items]}, ensure_ascii=False) + "\n")
        elif jsonl:
            for x in items:
                out.write(json.dumps({"source": src, **x.to_record()}, ensure_ascii=False) + "\n")
        else:
            for x in items:
                out.write(row(str(rid) if corpus else src, x) + "\n")
            if not items and not corpus and key == "resolutions":
                typer.echo(f"{src}: no law citation found", err=True)
        out.flush()
    status.finish()


@app.command("resolve")
def resolve_cmd(
    inputs: List[str] = _ARGS,
    to: str = typer.Option("current", "--to", help="Target: current, a version label (2023年修正, 2023) or a date YYYY-MM-DD."),
    as_of: Optional[str] = AS_OF,
    jsonl: bool = JSONL,
    fmt: InputFormat = INPUT_FORMAT,
    text_field: str = TEXT_FIELD,
    id_field: str = ID_FIELD,
) -> None:
    """Resolve every law citation to the target version. Table columns: source, offsets, cited
    provision (with the inferred version), target(s), relation, confidence, version rule, chain,
    reviewed, reason or notes."""
    day = parse_date(as_of)
    try:
        target = parse_target(to)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--to") from None
    target_arg: object = target if isinstance(target, date) else to
    _run(inputs, fmt, text_field, id_field, jsonl, "resolutions",
         lambda text: resolve_text(text, to=target_arg, as_of=day), _resolution_row)


@app.command("verify")
def verify_cmd(
    inputs: List[str] = _ARGS,
    as_of: Optional[str] = AS_OF,
    jsonl: bool = JSONL,
    fmt: InputFormat = INPUT_FORMAT,
    text_field: str = TEXT_FIELD,
    id_field: str = ID_FIELD,
) -> None:
    """Check every law citation against the registry: unknown_law, unknown_version,
    version_not_in_force, no_such_article, law_repealed, doc_number_mismatch. Table columns:
    source, offsets, severity, code, citation, message."""
    day = parse_date(as_of)
    _run(inputs, fmt, text_field, id_field, jsonl, "findings", lambda text: verify(text, as_of=day), _finding_row)
