"""Locate the package data directory (patterns, law registry, correspondence tables).

In a wheel the repository's top-level ``data/`` is installed as ``citex/data``; in a source
checkout (editable install or ``PYTHONPATH=src``) it is the repository's ``data/`` folder.
"""
from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def data_dir() -> Path:
    """Return the directory holding ``patterns/``, ``laws/`` and ``correspondence/``.

    Raises:
        FileNotFoundError: when neither the installed nor the source-tree location exists.
    """
    for candidate in (_HERE / "data", _HERE.parent.parent / "data"):
        if (candidate / "patterns").is_dir():
            return candidate
    raise FileNotFoundError(
        f"citex data directory not found (looked in {_HERE / 'data'} and {_HERE.parent.parent / 'data'})"
    )
