"""``citex export``: citations as standoff data (JSONL, Label Studio tasks, spaCy DocBin).

Same input conventions as ``citex extract`` (see :mod:`citex.cli._app`): text files, standard input
(``-`` or no file), JSONL corpora (``.jsonl`` or ``--input-format jsonl``) with ``--text-field`` /
``--id-field``. A text file's id is its path. Output formats (``--format``):

* ``jsonl`` — one line per document: ``{"id", "text", "citations": [record, ...]}``;
* ``labelstudio`` — a JSON array of Label Studio tasks (``data.text``, ``data.doc_id``, ``predictions``);
  ``--label-config FILE`` also writes the matching labeling config XML;
* ``docbin`` — a spaCy DocBin file (needs ``citex[spacy]``; binary, so ``-o FILE`` is required), char
  segmentation, each document's id in ``doc.user_data['doc_id']``.
"""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from citex.cli._app import AS_OF, EXIT_UNREADABLE, ID_FIELD, InputFormat, RunStatus, TEXT_FIELD, app, documents, parse_date
from citex.export import KINDS, label_studio_config, to_jsonl_record, to_label_studio
from citex.extract import extract


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    labelstudio = "labelstudio"
    docbin = "docbin"


@app.command("export")
def export_cmd(
    inputs: List[str] = typer.Argument(None, help="Text or .jsonl files; '-' or nothing for standard input."),
    out_format: ExportFormat = typer.Option(..., "--format", "-f", help="Output: jsonl, labelstudio or docbin."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Output file (default standard output; required for docbin)."),
    input_format: InputFormat = typer.Option(InputFormat.auto, "--input-format", help="Input format: auto (by .jsonl suffix), text, jsonl."),
    text_field: str = TEXT_FIELD,
    id_field: str = ID_FIELD,
    as_of: Optional[str] = AS_OF,
    kinds: Optional[List[str]] = typer.Option(None, "--kind", help=f"Only these kinds (repeatable): {', '.join(KINDS)}."),
    label_config: Optional[Path] = typer.Option(None, "--label-config", help="labelstudio: also write the labeling config XML here."),
) -> None:
    """Export citations with their text as standoff annotations (offsets = character indices)."""
    day = parse_date(as_of)
    bad = [k for k in kinds or [] if k not in KINDS]
    if bad:
        raise typer.BadParameter(f"unknown kind(s) {bad}; known: {', '.join(KINDS)}", param_hint="--kind")
    wanted = tuple(kinds) if kinds else KINDS
    if label_config is not None and out_format != ExportFormat.labelstudio:
        raise typer.BadParameter("only with --format labelstudio", param_hint="--label-config")
    if out_format == ExportFormat.docbin and output is None:
        raise typer.BadParameter("a DocBin is binary: give an output file (-o corpus.spacy)", param_hint="--output")
    if output is not None and not output.resolve().parent.is_dir():
        raise typer.BadParameter(f"cannot write {output}: no such folder {output.resolve().parent}", param_hint="--output")
    status = RunStatus()
    docs = ((d.id if d.corpus else d.source, d.text) for d in documents(inputs, input_format, text_field, id_field, status))

    if out_format == ExportFormat.docbin:
        try:
            from citex.export import to_docbin
            import spacy
        except ImportError:
            typer.echo("--format docbin needs spaCy: pip install 'citex[spacy]'", err=True)
            raise typer.Exit(EXIT_UNREADABLE)
        nlp = spacy.blank("zh")

        def spacy_docs():
            for rid, text in docs:
                doc = nlp(text)
                doc.user_data["doc_id"] = rid
                yield doc

        db = to_docbin(spacy_docs(), nlp=nlp, as_of=day, kinds=wanted)
        db.to_disk(output)
    else:
        out = open(output, "w", encoding="utf-8") if output is not None else sys.stdout
        try:
            first = True
            if out_format == ExportFormat.labelstudio:
                out.write("[")
            for rid, text in docs:
                cits = [c for c in extract(text, as_of=day) if c.kind in wanted]
                if out_format == ExportFormat.jsonl:
                    out.write(json.dumps(to_jsonl_record(text, cits, id=rid), ensure_ascii=False) + "\n")
                else:
                    task = to_label_studio(text, cits, data={"doc_id": rid})
                    out.write(("\n" if first else ",\n") + json.dumps(task, ensure_ascii=False))
                    first = False
                out.flush()
            if out_format == ExportFormat.labelstudio:
                out.write("\n]\n")
        finally:
            if out is not sys.stdout:
                out.close()
        if label_config is not None:
            label_config.write_text(label_studio_config(wanted), encoding="utf-8")
    status.finish()
