"""`citex extract CORPUS.jsonl --jobs N`: worker processes, order kept, bounded read-ahead, errors."""
from __future__ import annotations

import io
import json

import pytest
from typer.testing import CliRunner

import citex
from citex.cli import app
from citex.cli import extract as cli_extract

runner = CliRunner()


def _corpus(tmp_path, gold_dev, copies=3, bad_every=7):
    """The eval passages a few times over, with malformed lines sprinkled in; returns (path, expected
    output lines in order, expected error line numbers)."""
    lines, expected, bad = [], [], []
    for k in range(copies):
        for i, row in enumerate(gold_dev):
            lineno = len(lines) + 1
            if (lineno % bad_every) == 0:
                lines.append('{"id": "broken", "text": ' if lineno % 2 else json.dumps({"id": "no text"}))
                bad.append(lineno)
                continue
            rid = f"{k}:{row['id']}"
            lines.append(json.dumps({"id": rid, "text": row["text"]}, ensure_ascii=False))
            expected.append({"id": rid, "citations": [c.to_record() for c in citex.extract(row["text"])]})
    p = tmp_path / "corpus.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p, expected, bad


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jobs_keep_order_and_equal_extract(tmp_path, gold_dev, monkeypatch, jobs):
    monkeypatch.setattr(cli_extract, "_CHUNK_DOCS", 5)  # many chunks, so order across workers matters
    p, expected, bad = _corpus(tmp_path, gold_dev)
    r = runner.invoke(app, ["extract", str(p), "--jsonl", "--jobs", jobs])
    assert r.exit_code == 2, r.stderr
    assert [json.loads(l) for l in r.stdout.splitlines()] == expected
    reported = [int(line.split(":")[1]) for line in r.stderr.splitlines()]
    assert reported == bad
    assert all(line.startswith(f"{p}:") for line in r.stderr.splitlines())


def test_table_output_is_the_same_with_workers(tmp_path, gold_dev, monkeypatch):
    monkeypatch.setattr(cli_extract, "_CHUNK_DOCS", 4)
    p, _, _ = _corpus(tmp_path, gold_dev, copies=1, bad_every=10_000)
    one = runner.invoke(app, ["extract", str(p), "--jobs", "1"])
    two = runner.invoke(app, ["extract", str(p), "-j", "2"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout and one.stdout.count("\n") > 100


def test_read_ahead_is_bounded(monkeypatch):
    """Memory stays flat: never more than jobs × _IN_FLIGHT_PER_JOB chunks read but not yet written."""
    monkeypatch.setattr(cli_extract, "_CHUNK_DOCS", 2)
    pulled = 0
    worst = 0

    def records():
        nonlocal pulled
        for i in range(400):
            if i % 2 == 0:
                pulled += 1
            yield i, f"依照刑法第{i + 1}条"

    class Out(io.StringIO):
        written = 0

        def write(self, s):
            nonlocal worst
            Out.written += 1
            worst = max(worst, pulled - Out.written)
            return super().write(s)

    out = Out()
    cli_extract._run_corpus(cli_extract._chunks(records()), None, True, 2, out, lambda failed: None)
    assert Out.written == 200
    assert worst <= 2 * cli_extract._IN_FLIGHT_PER_JOB
    assert [json.loads(l)["id"] for l in out.getvalue().splitlines()] == list(range(400))


def test_extraction_failure_is_reported_not_fatal(tmp_path, monkeypatch):
    real = cli_extract.extract

    def flaky(text, as_of=None):
        if "boom" in text:
            raise RuntimeError("boom")
        return real(text, as_of=as_of)

    monkeypatch.setattr(cli_extract, "extract", flaky)
    p = tmp_path / "c.jsonl"
    p.write_text("\n".join(json.dumps({"id": i, "text": t}, ensure_ascii=False)
                           for i, t in enumerate(["刑法第一条", "boom", "刑法第二条"])) + "\n", encoding="utf-8")
    r = runner.invoke(app, ["extract", str(p), "--jsonl"])
    assert r.exit_code == 2
    assert [json.loads(l)["id"] for l in r.stdout.splitlines()] == [0, 2]
    assert f"{p}: record id=1: extraction failed (RuntimeError: boom)" in r.stderr


def test_jobs_option_values(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text(json.dumps({"text": "刑法第一条"}, ensure_ascii=False) + "\n", encoding="utf-8")
    r = runner.invoke(app, ["extract", str(p), "--jsonl", "--jobs", "0"])  # 0 = one per CPU
    assert r.exit_code == 0 and json.loads(r.stdout)["id"] == 1
    assert runner.invoke(app, ["extract", str(p), "--jobs", "-1"]).exit_code == 2


def test_docs_scale_jobs_example_runs(tmp_path):
    """The bash block of docs/scale.md, run as written (with this interpreter's citex on PATH)."""
    import os
    import re
    import subprocess
    import sys

    from conftest import REPO

    block = re.findall(r"```bash\n(.*?)```", (REPO / "docs" / "scale.md").read_text(encoding="utf-8"), re.S)[0]
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    r = subprocess.run(["bash", "-euc", block], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    out = [json.loads(l) for l in (tmp_path / "citations.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert [c["article"] for c in out[1]["citations"]] == [100, 101]
    assert r.stdout.count("\n") == 2
