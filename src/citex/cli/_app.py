"""The ``citex`` command's Typer application and the input conventions its commands share.

Input conventions (all commands):
  * plain-text files, or standard input when no file (or ``-``) is given;
  * a JSONL corpus (a file ending in ``.jsonl``, or ``--format jsonl``): one JSON object per line,
    the text in ``--text-field`` (default ``text``), the id in ``--id-field`` (default ``id``; the
    line number when absent). Output is one line per input record, in input order, streamed.
Malformed corpus lines are reported on stderr as ``FILE:LINE: reason`` and skipped; the exit code
is then 2 (1 for unreadable files), 0 when everything was read.
"""
from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import BinaryIO, Iterable, Iterator, NamedTuple, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Find citations in Chinese legal text (statutes, judicial interpretations, cases).")

EXIT_BAD_RECORDS = 2
MAX_REPEATS = 20  # the same problem on more lines than this is counted, not printed
EXIT_UNREADABLE = 1


@app.callback()
def _root() -> None:
    """Find citations in Chinese legal text (statutes, judicial interpretations, cases)."""


class InputFormat(str, Enum):
    auto = "auto"
    text = "text"
    jsonl = "jsonl"


# The options of the input conventions, declared once for every command.
INPUT_FORMAT = typer.Option(InputFormat.auto, "--format", help="Input format: auto (by .jsonl suffix), text, jsonl.")
TEXT_FIELD = typer.Option("text", "--text-field", help="Corpus field holding the text.")
ID_FIELD = typer.Option("id", "--id-field", help="Corpus field holding the record id.")
AS_OF = typer.Option(None, "--as-of", help="Document date YYYY-MM-DD (for version inference).")
JSONL = typer.Option(False, "--jsonl", help="Write JSON lines instead of a table.")


def parse_date(value: Optional[str], option: str = "--as-of") -> Optional[date]:
    """``YYYY-MM-DD`` → date (None passes through); a bad value is a usage error naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"not a date (YYYY-MM-DD): {value!r}", param_hint=option)


_SURROGATE = re.compile("[\ud800-\udfff]")


def iter_jsonl(path: str, stream: BinaryIO, text_field: str, id_field: str, errors: list) -> Iterator[tuple[object, str]]:
    """(id, text) per well-formed corpus line of a binary stream, each line decoded as UTF-8 on its
    own; problems are appended to ``errors`` as ``FILE:LINE: reason`` and the line is skipped."""
    for lineno, raw in enumerate(stream, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            errors.append(f"{path}:{lineno}: not UTF-8 ({exc.reason} at byte {exc.start} of the line); line skipped")
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{path}:{lineno}: invalid JSON ({exc.msg}); line skipped")
            continue
        if not isinstance(obj, dict):
            errors.append(f"{path}:{lineno}: expected a JSON object, got {type(obj).__name__}; line skipped")
            continue
        text = obj.get(text_field)
        if not isinstance(text, str):
            errors.append(f"{path}:{lineno}: field {text_field!r} missing or not a string; line skipped")
            continue
        if _SURROGATE.search(text):
            errors.append(f"{path}:{lineno}: text has unpaired surrogate code points (\\ud800-\\udfff), "
                          "which no UTF-8 output can hold; line skipped")
            continue
        yield obj.get(id_field, lineno), text


def open_input(path: str) -> BinaryIO:
    """Standard input for ``-``, else the file, as bytes (OSError when unreadable, IsADirectoryError
    for a directory). Text is decoded by the caller, strictly, so that offsets count the caller's
    characters: line ends (\\r\\n) are kept as they are."""
    if path == "-":
        return sys.stdin.buffer
    if os.path.isdir(path):
        raise IsADirectoryError(21, "is a directory", path)
    return open(path, "rb")


def read_text(path: str, stream: BinaryIO) -> str:
    """The whole stream decoded as UTF-8 (a leading BOM dropped). Raises UnicodeDecodeError whose
    ``reason`` names the line of the first bad byte."""
    data = stream.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UnicodeDecodeError(exc.encoding, exc.object, exc.start, exc.end, f"{exc.reason}, line {line}") from None


def is_jsonl(path: str, fmt: InputFormat) -> bool:
    return fmt == InputFormat.jsonl or (fmt == InputFormat.auto and path.endswith(".jsonl"))


_LINE_MESSAGE = re.compile(r"^(?P<src>.+?):\d+: (?P<reason>.*)$")
_LITERAL = re.compile("[\u4e00-\u9fff]")


class Document(NamedTuple):
    """One text to work on: ``source`` (file name, ``-`` or ``<text>``), the corpus record ``id``
    (None outside a corpus), the ``text``, and whether it came from a JSONL corpus."""

    source: str
    id: object
    text: str
    corpus: bool


@dataclass
class RunStatus:
    """What went wrong during a command, reported as it is met; ``finish()`` sets the exit code
    (1: an input could not be read, 2: records were skipped, 0: all read)."""

    errors: list[str] = field(default_factory=list)
    unreadable: bool = False
    bad: bool = False

    repeats: dict[str, int] = field(default_factory=dict)

    def report(self, extra: Iterable[str] = ()) -> None:
        """Print the problems collected so far (and ``extra``) on stderr; a reason met more than
        ``MAX_REPEATS`` times is counted instead, and summed up by :meth:`finish`."""
        for e in [*self.errors, *extra]:
            self.bad = True
            m = _LINE_MESSAGE.match(e)
            reason = f"{m.group('src')}: {m.group('reason')}" if m else e
            n = self.repeats[reason] = self.repeats.get(reason, 0) + 1
            if n <= MAX_REPEATS:
                typer.echo(e, err=True)
        self.errors.clear()

    def cannot_read(self, message: str) -> None:
        typer.echo(message, err=True)
        self.unreadable = True

    def finish(self) -> None:
        self.report()
        for reason, n in self.repeats.items():
            if n > MAX_REPEATS:
                typer.echo(f"… and {n - MAX_REPEATS} more lines: {reason}", err=True)
        if self.unreadable:
            raise typer.Exit(EXIT_UNREADABLE)
        if self.bad:
            raise typer.Exit(EXIT_BAD_RECORDS)


def documents(inputs: Optional[list[str]], fmt: InputFormat, text_field: str, id_field: str, status: RunStatus,
              *, literal_text: bool = False) -> Iterator[Document]:
    """Every document of the command's inputs, streamed, with the shared conventions (module
    docstring). With ``literal_text``, an argument that is not an existing file is the text itself."""
    for arg in inputs or ["-"]:
        if literal_text and arg != "-" and not os.path.exists(arg) and _LITERAL.search(arg):
            yield Document("<text>", None, arg, False)  # a text with Chinese characters, not a path
            continue
        try:
            stream = open_input(arg)
        except OSError as exc:
            status.cannot_read(f"{arg}: cannot read: {exc.strerror}")
            continue
        try:
            if is_jsonl(arg, fmt):
                for rid, text in iter_jsonl(arg, stream, text_field, id_field, status.errors):
                    yield Document(arg, rid, text, True)
                    if len(status.errors) > 100:
                        status.report()
            else:
                yield Document(arg, None, read_text(arg, stream), False)
        except UnicodeDecodeError as exc:
            status.cannot_read(f"{arg}: not UTF-8 text ({exc.reason}, byte {exc.start})")
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()
        status.report()
