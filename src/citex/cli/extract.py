"""``citex extract``: citations of text files, standard input or a JSONL corpus (see citex.cli._app)."""
from __future__ import annotations

import json
import sys
from datetime import date
from typing import List, Optional, TextIO

import typer

from citex.cli._app import (
    EXIT_BAD_RECORDS, EXIT_UNREADABLE, InputFormat, app, is_jsonl, iter_jsonl, open_input, parse_date,
)
from citex.extract import extract


def _pinpoint(rec: dict) -> str:
    parts = []
    if rec.get("article") is not None:
        a = f"第{rec['article']}条" + (f"之{rec['article_suffix']}" if rec.get("article_suffix") else "")
        if rec.get("article_end") is not None:
            a += f"至第{rec['article_end']}条"
        parts.append(a)
    for key, unit in (("paragraph", "款"), ("item", "项"), ("sub_item", "目")):
        if rec.get(key) is not None:
            p = f"第{rec[key]}{unit}"
            end = rec.get(f"{key}_end")
            parts.append(p + (f"至第{end}{unit}" if end is not None else ""))
    if rec["kind"] == "guiding_case":
        n = f"{rec['guiding_case_no']}号" + (f"至{rec['guiding_case_end']}号" if rec.get("guiding_case_end") else "")
        return n
    if rec["kind"] == "case_number":
        return rec["case_number"]
    return "".join(parts)


def _table_rows(source: str, text: str, as_of: Optional[date], out: TextIO) -> int:
    cits = extract(text, as_of=as_of)
    for c in cits:
        r = c.to_record()
        cells = [source, f"{r['start']}-{r['end']}", r["kind"], r.get("law_title") or "", _pinpoint(r),
                 r.get("version") or "", r.get("doc_number") or "", r["surface"].replace("\n", "⏎")]
        out.write("\t".join(cells) + "\n")
    return len(cits)


@app.command("extract")
def extract_cmd(
    inputs: List[str] = typer.Argument(None, help="Text or .jsonl files; '-' or nothing for standard input."),
    jsonl: bool = typer.Option(False, "--jsonl", help="Write JSON lines instead of a table."),
    fmt: InputFormat = typer.Option(InputFormat.auto, "--format", help="Input format: auto (by .jsonl suffix), text, jsonl."),
    text_field: str = typer.Option("text", "--text-field", help="Corpus field holding the text."),
    id_field: str = typer.Option("id", "--id-field", help="Corpus field holding the record id."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Document date YYYY-MM-DD (for version inference)."),
) -> None:
    """Extract citations. Text input → a table (or one JSON line per citation with --jsonl);
    a JSONL corpus → one line per record: {"id": ..., "citations": \\[record, ...]}."""
    day = parse_date(as_of)
    out = sys.stdout
    errors: list[str] = []
    unreadable = False
    for path in inputs or ["-"]:
        try:
            stream = open_input(path)
        except OSError as exc:
            typer.echo(f"{path}: cannot read: {exc.strerror}", err=True)
            unreadable = True
            continue
        try:
            if is_jsonl(path, fmt):
                from tqdm import tqdm

                records = iter_jsonl(path, stream, text_field, id_field, errors)
                for rid, text in tqdm(records, desc=path, unit="doc", disable=not sys.stderr.isatty()):
                    cits = extract(text, as_of=day)
                    if jsonl:
                        out.write(json.dumps({"id": rid, "citations": [c.to_record() for c in cits]}, ensure_ascii=False) + "\n")
                    else:
                        for c in cits:
                            r = c.to_record()
                            out.write("\t".join([str(rid), f"{r['start']}-{r['end']}", r["kind"], r.get("law_title") or "",
                                                 _pinpoint(r), r.get("version") or "", r.get("doc_number") or "",
                                                 r["surface"].replace("\n", "⏎")]) + "\n")
            else:
                text = stream.read()
                if jsonl:
                    for c in extract(text, as_of=day):
                        out.write(json.dumps({"source": path, **c.to_record()}, ensure_ascii=False) + "\n")
                else:
                    _table_rows(path, text, day, out)
        except UnicodeDecodeError as exc:
            typer.echo(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})", err=True)
            unreadable = True
        finally:
            if stream is not sys.stdin:
                stream.close()
        out.flush()
    for e in errors:
        typer.echo(e, err=True)
    if unreadable:
        raise typer.Exit(EXIT_UNREADABLE)
    if errors:
        raise typer.Exit(EXIT_BAD_RECORDS)
