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


def test_crlf_file_offsets_point_into_the_file(tmp_path):
    p = tmp_path / "crlf.txt"
    p.write_bytes("第一行\r\n第二行\r\n依照《中华人民共和国刑法》第二百六十四条\r\n".encode("utf-8"))
    r = runner.invoke(app, ["extract", str(p), "--jsonl"])
    [rec] = [json.loads(l) for l in r.stdout.splitlines()]
    text = p.read_bytes().decode("utf-8")
    assert text[rec["start"]:rec["end"]] == rec["surface"] == "第二百六十四条"


def test_corpus_line_with_lone_surrogate_is_reported_and_skipped(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text('{"id": "s", "text": "《中华人民\\ud800共和国刑法》第一条"}\n{"id": "ok", "text": "刑法第二条"}\n', encoding="utf-8")
    r = runner.invoke(app, ["extract", str(p), "--jsonl"])
    assert r.exit_code == 2
    assert [json.loads(l)["id"] for l in r.stdout.splitlines()] == ["ok"]
    assert f"{p}:1: text has unpaired surrogate" in r.stderr


def test_corpus_line_not_utf8_is_reported_with_its_line(tmp_path):
    p = tmp_path / "mixed.jsonl"
    p.write_bytes('{"id": 1, "text": "刑法第一条"}\n'.encode() + '{"id": 2, "text": "刑法第二条"}\n'.encode("gbk")
                  + '{"id": 3, "text": "刑法第三条"}\n'.encode())
    r = runner.invoke(app, ["extract", str(p), "--jsonl"])
    assert r.exit_code == 2
    assert [json.loads(l)["id"] for l in r.stdout.splitlines()] == [1, 3]
    assert f"{p}:2: not UTF-8" in r.stderr


def test_stdin_not_utf8_is_an_error():
    r = runner.invoke(app, ["extract"], input="依照刑法第一条".encode("gbk"))
    assert r.exit_code == 1 and "not UTF-8" in r.stderr


def test_directory_input_is_an_error(tmp_path):
    r = runner.invoke(app, ["extract", str(tmp_path)])
    assert r.exit_code == 1 and "cannot read" in r.stderr


def test_resolve_missing_file_is_not_taken_as_text(tmp_path):
    r = runner.invoke(app, ["verify", str(tmp_path / "nonexist.txt")])
    assert r.exit_code == 1 and "cannot read" in r.stderr


def test_same_problem_on_many_lines_is_summarised(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text("".join(json.dumps({"id": i, "body": "x"}) + "\n" for i in range(200)), encoding="utf-8")
    r = runner.invoke(app, ["extract", str(p), "--jsonl"])
    assert r.exit_code == 2
    lines = r.stderr.splitlines()
    assert len(lines) < 30 and "and 180 more lines" in lines[-1]
