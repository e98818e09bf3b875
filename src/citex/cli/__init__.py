"""Command line: ``citex extract`` (and the maintainer's ``citex tables``). One module per
command group; they register on the shared Typer app of :mod:`citex.cli._app`."""
from __future__ import annotations

from citex.cli._app import app
from citex.cli import extract as _extract  # noqa: F401 - registers `citex extract`
from citex.cli import annotate as _annotate  # noqa: F401 - registers `citex annotate`
from citex.cli import export as _export  # noqa: F401 - registers `citex export`
from citex.cli import resolve as _resolve  # noqa: F401 - registers `citex resolve` and `citex verify`
from citex.tables import app as _tables_app

app.add_typer(_tables_app, name="tables", help="Maintainer tools: build and check article correspondence tables.")


def main() -> None:
    """Entry point of the ``citex`` command."""
    app()


__all__ = ["app", "main"]
