"""``citex annotate``: the input with every citation wrapped in HTML markup (see citex.annotate).

Same input conventions as ``citex extract`` (citex.cli._app): text files or standard input, or a
JSONL corpus (→ one line ``{"id": ..., "annotated": "<html>"}`` per record, in input order,
malformed lines reported as ``FILE:LINE: reason``, exit code 2).
"""
from __future__ import annotations

import json
import sys
from typing import List, Optional

import typer

from citex.annotate import annotate, annotate_html
from citex.cli._app import AS_OF, ID_FIELD, INPUT_FORMAT, InputFormat, RunStatus, TEXT_FIELD, app, documents, parse_date


@app.command("annotate")
def annotate_cmd(
    inputs: List[str] = typer.Argument(None, help="Text, HTML or .jsonl files; '-' or nothing for standard input."),
    html: bool = typer.Option(False, "--html", help="The input is HTML: mark up citations of its visible text, "
                                                    "leaving tags and attributes untouched."),
    template: Optional[str] = typer.Option(None, "--template", help="Format string with {surface} and record "
                                           "fields, e.g. '<a class=\"citex\" href=\"/law/{law}#{article}\">{surface}</a>'."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
    fmt: InputFormat = INPUT_FORMAT,
    text_field: str = TEXT_FIELD,
    id_field: str = ID_FIELD,
    as_of: Optional[str] = AS_OF,
) -> None:
    """Wrap every citation in <cite class="citex" data-…> markup. Plain text is HTML-escaped;
    with --html the document is kept byte for byte outside the inserted markup."""
    day = parse_date(as_of)
    try:
        annotate("", template=template)  # check the template once, before reading anything
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--template")

    def mark(text: str) -> str:
        return annotate_html(text, template=template, as_of=day) if html else annotate(text, template=template, as_of=day)

    try:
        out = open(output, "w", encoding="utf-8") if output else sys.stdout
    except OSError as exc:
        raise typer.BadParameter(f"cannot write {output}: {exc.strerror}", param_hint="--output")
    status = RunStatus()
    try:
        for src, rid, text, corpus in documents(inputs, fmt, text_field, id_field, status):
            try:
                marked = mark(text)
            except ValueError as exc:
                if corpus:
                    status.errors.append(f"{src}: record id={rid!r}: {exc}; record skipped")
                else:
                    status.cannot_read(f"{src}: {exc}")
                continue
            if corpus:
                out.write(json.dumps({"id": rid, "annotated": marked}, ensure_ascii=False) + "\n")
            else:
                out.write(marked)
            out.flush()
    finally:
        if out is not sys.stdout:
            out.close()
    status.finish()
