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
from citex.cli._app import (
    EXIT_BAD_RECORDS, EXIT_UNREADABLE, InputFormat, app, is_jsonl, iter_jsonl, open_input, parse_date,
)


@app.command("annotate")
def annotate_cmd(
    inputs: List[str] = typer.Argument(None, help="Text, HTML or .jsonl files; '-' or nothing for standard input."),
    html: bool = typer.Option(False, "--html", help="The input is HTML: mark up citations of its visible text, "
                                                    "leaving tags and attributes untouched."),
    template: Optional[str] = typer.Option(None, "--template", help="Format string with {surface} and record "
                                           "fields, e.g. '<a class=\"citex\" href=\"/law/{law}#{article}\">{surface}</a>'."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
    fmt: InputFormat = typer.Option(InputFormat.auto, "--format", help="Input format: auto (by .jsonl suffix), text, jsonl."),
    text_field: str = typer.Option("text", "--text-field", help="Corpus field holding the text."),
    id_field: str = typer.Option("id", "--id-field", help="Corpus field holding the record id."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Document date YYYY-MM-DD (for version inference)."),
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
    errors: list[str] = []
    unreadable = False
    try:
        for path in inputs or ["-"]:
            try:
                stream = open_input(path)
            except OSError as exc:
                typer.echo(f"{path}: cannot read: {exc.strerror}", err=True)
                unreadable = True
                continue
            try:
                if is_jsonl(path, fmt):
                    for rid, text in iter_jsonl(path, stream, text_field, id_field, errors):
                        try:
                            marked = mark(text)
                        except ValueError as exc:
                            errors.append(f"{path}: record id={rid!r}: {exc}; record skipped")
                            continue
                        out.write(json.dumps({"id": rid, "annotated": marked}, ensure_ascii=False) + "\n")
                else:
                    try:
                        out.write(mark(stream.read()))
                    except ValueError as exc:
                        typer.echo(f"{path}: {exc}", err=True)
                        unreadable = True
            except UnicodeDecodeError as exc:
                typer.echo(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})", err=True)
                unreadable = True
            finally:
                if stream is not sys.stdin:
                    stream.close()
            out.flush()
    finally:
        if out is not sys.stdout:
            out.close()
    for e in errors:
        typer.echo(e, err=True)
    if unreadable:
        raise typer.Exit(EXIT_UNREADABLE)
    if errors:
        raise typer.Exit(EXIT_BAD_RECORDS)
