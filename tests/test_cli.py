import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from citex.cli import app
from citex.models import RECORD_KEYS

runner = CliRunner()


def test_table_from_stdin():
    r = runner.invoke(app, ["extract"], input="依照《中华人民共和国刑法》第二百六十四条")
    assert r.exit_code == 0
    assert "中华人民共和国刑法\t第264条" in r.stdout


def test_jsonl_from_text_file(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("依照民诉法第一百条、第一百零一条", encoding="utf-8")
    r = runner.invoke(app, ["extract", str(p), "--jsonl"])
    lines = [json.loads(l) for l in r.stdout.splitlines()]
    assert [l["article"] for l in lines] == [100, 101]
    assert all(set(RECORD_KEYS) <= set(l) for l in lines)


def test_corpus_mode_keeps_order_and_reports_bad_lines(tmp_path):
    p = tmp_path / "corpus.jsonl"
    p.write_text("\n".join([
        json.dumps({"doc": "a", "body": "刑法第一条"}, ensure_ascii=False),
        "{not json",
        json.dumps({"doc": "b"}),
        json.dumps({"doc": "c", "body": "民诉法第二条"}, ensure_ascii=False),
    ]) + "\n", encoding="utf-8")
    r = runner.invoke(app, ["extract", str(p), "--jsonl", "--text-field", "body", "--id-field", "doc"])
    assert r.exit_code == 2
    out = [json.loads(l) for l in r.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "c"]
    assert out[0]["citations"][0]["article"] == 1
    assert f"{p}:2: invalid JSON" in r.stderr
    assert f"{p}:3: field 'body' missing" in r.stderr


def test_unreadable_file(tmp_path):
    r = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert r.exit_code == 1 and "cannot read" in r.stderr


def test_bad_date():
    r = runner.invoke(app, ["extract", "--as-of", "yesterday"], input="刑法第一条")
    assert r.exit_code != 0


def test_console_script_runs_on_the_bundled_sample():
    from conftest import REPO
    r = subprocess.run([sys.executable, "-m", "citex.cli", "extract", str(REPO / "examples" / "spc-enforcement-press-conference.txt")],
                       capture_output=True, text=True, check=True)
    assert "第236条第1款" in r.stdout and "法释〔2018〕3号" in r.stdout
