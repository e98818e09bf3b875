"""``citex extract``: citations of text files, standard input or a JSONL corpus (see citex.cli._app)."""
from __future__ import annotations

import json
import os
import sys
from datetime import date
from itertools import groupby
from typing import Callable, Iterable, Iterator, List, Optional, TextIO

import typer

from citex.cli._app import AS_OF, ID_FIELD, INPUT_FORMAT, InputFormat, JSONL, RunStatus, TEXT_FIELD, app, documents, parse_date
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


# Corpus mode: records are read (and checked) in this process, grouped in chunks of at most
# _CHUNK_DOCS records / _CHUNK_CHARS characters, and extracted by _extract_chunk, here or in worker
# processes. At most _IN_FLIGHT_PER_JOB chunks per worker are pending at a time and results are
# written in input order as soon as the oldest chunk is done, so memory does not grow with the
# corpus (a few chunks of input and output, whatever its size).
_CHUNK_DOCS = 256
_CHUNK_CHARS = 1 << 20
_IN_FLIGHT_PER_JOB = 3


def _chunks(records: Iterable[tuple[object, str]]) -> Iterator[list[tuple[object, str]]]:
    chunk: list[tuple[object, str]] = []
    size = 0
    for rec in records:
        chunk.append(rec)
        size += len(rec[1])
        if len(chunk) >= _CHUNK_DOCS or size >= _CHUNK_CHARS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _row(rid: object, r: dict) -> str:
    return "\t".join([str(rid), f"{r['start']}-{r['end']}", r["kind"], r.get("law_title") or "", _pinpoint(r),
                      r.get("version") or "", r.get("doc_number") or "", r["surface"].replace("\n", "⏎")]) + "\n"


def _extract_chunk(chunk: list[tuple[object, str]], as_of: Optional[date], jsonl: bool) -> tuple[str, list[str]]:
    """Output text of a chunk of (id, text) records, and the ids whose extraction failed (with why).
    Runs in worker processes: module-level, arguments and result picklable."""
    out: list[str] = []
    failed: list[str] = []
    for rid, text in chunk:
        try:
            records = [c.to_record() for c in extract(text, as_of=as_of)]
        except Exception as exc:  # a bug on one record must not end a corpus run: report it, go on
            failed.append(f"record id={rid!r}: extraction failed ({type(exc).__name__}: {exc}); record skipped")
            continue
        if jsonl:
            out.append(json.dumps({"id": rid, "citations": records}, ensure_ascii=False) + "\n")
        else:
            out.extend(_row(rid, r) for r in records)
    return "".join(out), failed


def _warm_up() -> None:
    extract("依照《中华人民共和国刑法》第一条")  # load the registry once per worker, not on its first chunk


def _run_corpus(chunks: Iterator[list[tuple[object, str]]], as_of: Optional[date], jsonl: bool, jobs: int,
                out: TextIO, report: Callable[[list[str]], None]) -> None:
    """Extract every chunk (in ``jobs`` worker processes when > 1), writing results in input order."""
    if jobs <= 1:
        for chunk in chunks:
            text, failed = _extract_chunk(chunk, as_of, jsonl)
            out.write(text)
            report(failed)
        return
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    pending: deque = deque()
    with ProcessPoolExecutor(max_workers=jobs, initializer=_warm_up) as pool:
        try:
            for chunk in chunks:
                pending.append(pool.submit(_extract_chunk, chunk, as_of, jsonl))
                while len(pending) >= jobs * _IN_FLIGHT_PER_JOB or (pending and pending[0].done()):
                    text, failed = pending.popleft().result()
                    out.write(text)
                    report(failed)
            while pending:
                text, failed = pending.popleft().result()
                out.write(text)
                report(failed)
        except BaseException:
            for f in pending:
                f.cancel()
            raise


@app.command("extract")
def extract_cmd(
    inputs: List[str] = typer.Argument(None, help="Text or .jsonl files; '-' or nothing for standard input."),
    jsonl: bool = JSONL,
    fmt: InputFormat = INPUT_FORMAT,
    text_field: str = TEXT_FIELD,
    id_field: str = ID_FIELD,
    as_of: Optional[str] = AS_OF,
    jobs: int = typer.Option(1, "--jobs", "-j", min=0,
                             help="Worker processes for a JSONL corpus (0 = one per CPU). Output order is kept."),
) -> None:
    """Extract citations. Text input → a table (or one JSON line per citation with --jsonl);
    a JSONL corpus → one line per record: {"id": ..., "citations": \\[record, ...]}, in input order,
    streamed (--jobs N extracts in N worker processes; memory stays flat in the corpus size).
    Malformed corpus lines are reported on stderr as FILE:LINE: reason, as they are met."""
    day = parse_date(as_of)
    if jobs == 0:
        jobs = os.cpu_count() or 1
    out = sys.stdout
    status = RunStatus()
    docs = documents(inputs, fmt, text_field, id_field, status)
    for (source, corpus), group in groupby(docs, key=lambda d: (d.source, d.corpus)):
        if corpus:
            from tqdm import tqdm

            records = tqdm(((d.id, d.text) for d in group), desc=source, unit="doc", disable=not sys.stderr.isatty())
            _run_corpus(_chunks(records), day, jsonl, jobs, out,
                        lambda failed, source=source: status.report(f"{source}: {f}" for f in failed))
        else:
            for d in group:
                if jsonl:
                    for c in extract(d.text, as_of=day):
                        out.write(json.dumps({"source": source, **c.to_record()}, ensure_ascii=False) + "\n")
                else:
                    _table_rows(source, d.text, day, out)
        out.flush()
    status.finish()
