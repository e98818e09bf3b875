"""Shared fixtures: paths to ../shared (skipped with a reason when it is absent)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture
def data_copy(tmp_path):
    """A copy of one folder of the package data (``data_copy("patterns")``), to damage in a test."""
    import shutil

    from citex._data import data_dir

    def copy(sub: str) -> Path:
        d = tmp_path / sub
        shutil.copytree(data_dir() / sub, d)
        return d
    return copy


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test when ../shared is not there."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"../shared not found ({p}): the shared evaluation data is only present in the project workspace and CI")
    return p


@pytest.fixture(scope="session")
def gold_dev() -> list[dict]:
    path = shared_path("eval", "gold-dev.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The bundled real sample (a copy of ../shared/seed, shipped in examples/)."""
    return (REPO / "examples" / "spc-enforcement-press-conference.txt").read_text(encoding="utf-8")
