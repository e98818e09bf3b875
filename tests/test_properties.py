"""Invariants over any input: offsets point into the caller's text, nothing raises, calls are pure."""
from hypothesis import HealthCheck, given, settings, strategies as st

import citex

PIECES = st.sampled_from([
    "《中华人民共和国民事诉讼法》", "《民事诉讼法》", "刑法", "民诉法解释", "第", "条", "款", "项", "之一", "第二百三十六条",
    "第1", "8条", "、", "和", "及", "至", "-", "（", "）", "(", ")", "“", "”", "\"", "。", "，", "\n\n", " ", "\u3000",
    "法释", "〔2018〕", "[2018]", "3号", "（2021）最高法民终123号", "指导性案例", "24号", "以下简称", "《解释》",
    "该法", "本法", "原", "2017年修正", "（2017年修正）", "《", "》", "〈", "〉", "第（一）", "项", "某某", "合同",
    "笫", "條", "２", "二", "十", "百", "0", "\\]",
])
CITATIONISH = st.lists(PIECES, max_size=40).map("".join)


def _check(text: str) -> None:
    copy = str(text)
    cits = citex.extract(text)
    assert text == copy
    for c in cits:
        assert 0 <= c.start <= c.end <= len(text)
        assert text[c.start:c.end] == c.surface
        law = getattr(c, "law", None)
        if law is not None and law.start is not None:
            assert text[law.start:law.end] == law.written
    assert [c.start for c in cits] == sorted(c.start for c in cits)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(CITATIONISH)
def test_offsets_on_citation_like_text(text):
    _check(text)


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_never_raises_on_arbitrary_unicode(text):
    _check(text)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(CITATIONISH)
def test_pure_and_deterministic(text):
    assert citex.extract(text) == citex.extract(text)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(CITATIONISH)
def test_json_round_trip(text):
    cits = citex.extract(text)
    assert citex.CITATION_ADAPTER.validate_json(citex.CITATION_ADAPTER.dump_json(cits)) == cits


@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=1, max_value=3000), st.sampled_from(["、", "《", "第", "（", "“", "第1、"]))
def test_pathological_runs_complete(n, unit):
    # long runs of list connectors or unmatched marks: must finish and keep the invariants
    # (their speed is measured by benchmarks/bench_extract.py, not here)
    _check("依照《中华人民共和国刑法》第一条" + unit * n + "第二条")
