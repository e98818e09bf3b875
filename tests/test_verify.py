"""citex.verify: one test per finding code (with the value it must carry), clean citations, bad input, CLI."""
from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

import citex
from citex.cli import app


def codes(text, **kw):
    return [(f.code, f.severity) for f in citex.verify(text, **kw)]


def test_no_such_article_beyond_count():
    (f,) = citex.verify("《民事诉讼法》第400条")
    assert (f.code, f.version, f.article) == ("no_such_article", "2023年修正", "400") and "306" in f.message
    assert (f.start, f.end, f.surface) == (7, 12, "第400条")


def test_inserted_article_exists_and_unknown_one_does_not():
    assert citex.verify("《刑法》第一百三十三条之一") == []
    (f,) = citex.verify("《刑法》第一百三十三条之九")
    assert (f.code, f.article) == ("no_such_article", "133之九")


def test_article_checked_against_the_cited_version():
    # 民事诉讼法 2017 had 284 articles, 2023 has 306
    assert codes("《民事诉讼法》（2017年修正）第300条") == [("no_such_article", "error")]
    assert codes("《民事诉讼法》（2023年修正）第300条") == []


def test_law_repealed_before_as_of():
    (f,) = citex.verify("《合同法》第107条", as_of=date(2022, 1, 1))
    assert (f.code, f.severity) == ("law_repealed", "warning") and "2021-01-01" in f.message and "民法典" in f.message
    assert citex.verify("《合同法》第107条", as_of=date(2020, 12, 31)) == []
    assert citex.verify("原《合同法》第107条", as_of=date(2022, 1, 1)) == []


def test_doc_number_mismatch():
    (f,) = citex.verify("《最高人民法院关于执行和解若干问题的规定》（法释〔2015〕5号）第1条")
    assert f.code == "doc_number_mismatch" and "民事诉讼法》的解释" in f.message


def test_unknown_law():
    (f,) = citex.verify("《中华人民共和国火星探索法》第1条")
    assert (f.code, f.law_title) == ("unknown_law", "中华人民共和国火星探索法")


def test_unknown_version():
    (f,) = citex.verify("《民事诉讼法》（2016年修正）第1条")
    assert (f.code, f.version) == ("unknown_version", "2016年修正")


def test_version_not_in_force():
    (f,) = citex.verify("《民事诉讼法》（2023年修正）第1条", as_of=date(2022, 1, 1))
    assert (f.code, f.version) == ("version_not_in_force", "2023年修正") and "2023-09-01" in f.message
    assert citex.verify("《民事诉讼法》（2023年修正）第1条", as_of=date(2023, 9, 2)) == []


def test_clean_citations_have_no_findings(seed_text):
    assert citex.verify(seed_text, as_of=date(2025, 4, 7)) == []


def test_offsets_point_into_the_text():
    text = "前文。依照《民事诉讼法》第400条和《刑法》第一百三十三条之九处理。"
    fs = citex.verify(text)
    assert [text[f.start:f.end] for f in fs] == [f.surface for f in fs] == ["第400条", "第一百三十三条之九"]


def test_citation_objects_and_lists_accepted():
    cits = citex.extract("《民事诉讼法》第400条；指导性案例24号")
    assert [f.code for f in citex.verify(cits[0])] == ["no_such_article"]
    assert [f.code for f in citex.verify(cits)] == ["no_such_article"]


def test_bad_input():
    with pytest.raises(TypeError, match="verify expects"):
        citex.verify(42)
    with pytest.raises(TypeError, match="as_of"):
        citex.verify("x", as_of="2022-01-01")
    with pytest.raises(TypeError, match="expected citations"):
        citex.verify(["《民事诉讼法》第1条"])


def test_cli_verify():
    runner = CliRunner()
    res = runner.invoke(app, ["verify", "《民事诉讼法》第400条"])
    assert res.exit_code == 0 and "no_such_article" in res.stdout and "7-12" in res.stdout
    res = runner.invoke(app, ["verify", "《合同法》第107条", "--as-of", "2022-01-01", "--jsonl"])
    assert res.exit_code == 0 and '"code": "law_repealed"' in res.stdout
