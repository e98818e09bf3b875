"""citex.resolve: version inference (each rule), real correspondences, the seed, bad input, CLI, docs.

Pins come from the issue and shared/domain/citation-forms.md §7; the seed's own statement 2021 第231条
= 2023 第235条. Tables are package data; tests reading ../shared skip without it.
"""
from __future__ import annotations

import contextlib
import io
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import citex
from citex.cli import app
from citex.models import LawMention, StatuteCitation, VersionQualifier
from citex.resolve import find_version, infer_version, resolve_text, version_label
from conftest import REPO, shared_path

TODAY = date(2026, 1, 1)
MSL = "中华人民共和国民事诉讼法"


def one(text: str, **kw) -> citex.Resolution:
    (r,) = [x for x in resolve_text(text, today=TODAY, **kw) if x.source.article is not None]
    return r


def cit(title: str, article: int | None, *, suffix=None, paragraph=None, version: VersionQualifier | None = None):
    return StatuteCitation(start=0, end=1, surface="x", law=LawMention(title=title, resolved=True),
                           article=article, article_suffix=suffix, paragraph=paragraph, version=version)


def arts(r: citex.Resolution) -> list[tuple[int, int | None, int | None]]:
    return [(t.article, t.article_suffix, t.paragraph) for t in r.targets]


# --- real correspondences ---------------------------------------------------------------

@pytest.mark.parametrize("text, to, law, expected, chain", [
    ("《民事诉讼法》（2021年修正）第231条", "2023", MSL, [(235, None, None)], ["2021年修正", "2023年修正"]),
    ("《民事诉讼法》（2017年修正）第二百三十六条第一款", "current", MSL, [(247, None, 1)],
     ["2017年修正", "2021年修正", "2023年修正"]),
    ("本案适用的是2017年修正的《中华人民共和国民事诉讼法》第106条", "2021", MSL, [(109, None, None)],
     ["2017年修正", "2021年修正"]),
    ("《合同法》第107条", "current", "中华人民共和国民法典", [(577, None, None)], ["1999年通过", "民法典 2020年通过"]),
    ("《合同法》第114条", "current", "中华人民共和国民法典", [(585, None, None)], ["1999年通过", "民法典 2020年通过"]),
    ("《侵权责任法》第6条", "current", "中华人民共和国民法典", [(1165, None, None)], ["2009年通过", "民法典 2020年通过"]),
    ("《刑事诉讼法》（2012年修正）第50条", "2018", "中华人民共和国刑事诉讼法", [(52, None, None)], ["2012年修正", "2018年修正"]),
])
def test_real_correspondences(text, to, law, expected, chain):
    r = one(text, to=to)
    assert arts(r) == expected and r.chain == chain and r.reason is None
    assert {t.law_title for t in r.targets} == {law}


def test_chain_2017_236_walks_reviewed_steps_and_carries_paragraph():
    r = one("《民事诉讼法》（2017年修正）第二百三十六条第一款")
    assert r.relation == "renumbered" and r.targets[0].version == "2023年修正"
    assert any("carried over" in n for n in r.notes)


def test_backward_resolution():
    r = one("《民事诉讼法》（2023年修正）第247条", to="2017")
    assert arts(r) == [(236, None, None)] and r.chain == ["2023年修正", "2021年修正", "2017年修正"]


def test_to_date_picks_version_in_force():
    r = one("《民事诉讼法》（2017年修正）第236条", to=date(2023, 6, 1))
    assert arts(r) == [(243, None, None)] and r.targets[0].version == "2021年修正"


def test_split_drops_paragraph_with_note():
    r = one("原《中华人民共和国合同法》第五十二条第一款")
    assert r.relation == "split" and len(r.targets) > 1
    assert all(t.paragraph is None for t in r.targets) and any("dropped" in n for n in r.notes)


def test_no_data_version_says_so():
    r = one("《商标法》（1993年修正）第5条")
    assert r.targets == [] and "no data" in r.reason and "1993年修正" in r.reason


def test_unreviewed_low_similarity_lowers_confidence():
    # 传染病防治法 2013→2025: a wholesale revision; rows unreviewed
    rs = [one(f"《传染病防治法》（2013年修正）第{n}条") for n in range(1, 40)]
    low = [r for r in rs if r.targets and r.confidence < 0.8]
    assert low and all(not r.reviewed and any("unreviewed row" in n for n in r.notes) for r in low)


def test_seed_resolved_as_of_press_conference(seed_text):
    rs = resolve_text(seed_text, as_of=date(2025, 4, 7), today=TODAY)
    by = {(r.source.version, r.source.article, r.source.paragraph): r for r in rs if r.source.article}
    r236 = by[("2017年修正", 236, 1)]
    assert arts(r236) == [(247, None, 1)] and r236.version_rule == "qualifier"
    r235 = by[("2023年修正", 235, None)]
    assert r235.version_rule == "as_of" and arts(r235) == [(235, None, None)]
    r231 = by[("2021年修正", 231, None)]
    assert arts(r231) == [(235, None, None)]  # the seed states 2021 第231条 = 第235条


# --- version inference, one test per rule ---------------------------------------------------

def inf(text, **kw):
    (c,) = [c for c in citex.extract(text) if getattr(c, "article", None)]
    return infer_version(c, today=TODAY, **kw)


def test_rule_explicit_qualifier():
    v = inf("《民事诉讼法》（2017年修正）第1条", as_of=date(2025, 1, 1))
    assert (v.version, v.rule, v.confidence) == ("2017年修正", "qualifier", 1.0)


def test_rule_qualifier_before_title():
    assert inf("2021年修正的《民事诉讼法》第1条").version == "2021年修正"


def test_rule_bare_year_adopted_that_year():
    v = inf("2012年《民事诉讼法》第50条")
    assert (v.version, v.rule) == ("2012年修正", "qualifier")


def test_rule_bare_year_in_force_then():
    v = inf("2015年《民事诉讼法》第50条")
    assert v.version == "2012年修正" and v.confidence < 0.9 and v.notes


def test_rule_before_relative_to_as_of():
    assert inf("修正前的《民事诉讼法》第231条", as_of=date(2022, 6, 1)).version == "2017年修正"


def test_rule_before_relative_to_current():
    assert inf("修正前的《民事诉讼法》第231条").version == "2021年修正"


def test_rule_original_of_repealed_law():
    assert inf("原《中华人民共和国合同法》第一百零七条").version == "1999年通过"


def test_rule_as_of_uses_effective_dates():
    # 2023年修正 adopted 2023-09-01, in force 2024-01-01
    assert inf("《民事诉讼法》第1条", as_of=date(2023, 12, 31)).version == "2021年修正"
    v = inf("《民事诉讼法》第1条", as_of=date(2024, 1, 1))
    assert (v.version, v.rule) == ("2023年修正", "as_of")


def test_rule_current_without_date():
    v = inf("《民事诉讼法》第1条")
    assert (v.version, v.rule, v.confidence) == ("2023年修正", "current", 0.6)


def test_unknown_qualifier_is_not_guessed():
    v = inf("《民事诉讼法》（2016年修正）第1条")
    assert v.version is None and "2016" in v.reason
    r = one("《民事诉讼法》（2016年修正）第1条")
    assert r.targets == [] and r.reason


def test_ambiguous_label_is_not_guessed():
    law = citex.registry.REGISTRY.laws["中华人民共和国刑法"]
    assert find_version(law, "2001年修正")[0] is None
    i, _ = find_version(law, "2001年修正(12-29)")
    assert version_label(law, i) == "2001年修正(12-29)"


# --- bad input ------------------------------------------------------------------------------

def test_bad_inputs_raise_clear_errors():
    c = cit(MSL, 1)
    with pytest.raises(TypeError, match="StatuteCitation"):
        citex.resolve("《民事诉讼法》第1条")  # text goes to resolve_text
    with pytest.raises(ValueError, match="version label"):
        citex.resolve(c, to="next year")
    with pytest.raises(TypeError, match="to must be"):
        citex.resolve(c, to=2023)
    with pytest.raises(TypeError, match="as_of"):
        citex.resolve(c, as_of="2023-01-01")
    with pytest.raises(TypeError, match="text must be a str"):
        resolve_text(b"x")


def test_unknown_law_and_missing_article():
    r = one("《中华人民共和国火星探索法》第1条")
    assert r.targets == [] and "not in the registry" in r.reason
    r = citex.resolve(cit(MSL, 400, version=VersionQualifier(raw="2023年修正", year=2023, verb="修正")), to="2023")
    assert r.targets == [] and "no such article" in r.reason


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=284))
def test_round_trip_2017_to_2023_and_back(n):
    """Every 2017 article that maps 1:1 comes back to itself (tables are consistent both ways)."""
    fwd = citex.resolve(cit(MSL, n, version=VersionQualifier(raw="2017年修正", year=2017, verb="修正")), to="2023", today=TODAY)
    assert fwd.targets, fwd.reason
    if len(fwd.targets) == 1 and fwd.relation in ("same", "renumbered", "amended"):
        t = fwd.targets[0]
        back = citex.resolve(cit(MSL, t.article, version=VersionQualifier(raw="2023年修正", year=2023, verb="修正")),
                             to="2017", today=TODAY)
        assert n in [x.article for x in back.targets]
    assert 0 < fwd.confidence <= 1


# --- accuracy on correspondences derivable from ../shared -----------------------------------

def test_accuracy_reviewed_rows():
    """Every reviewed row (not `new`) of every table, resolved by document date → the row's targets."""
    shared_path("laws")
    from citex.resolve import _graph, _parse_article, _rows
    g = _graph()
    total = ok = 0
    for t in [*g.nxt.values(), *(t for ts in g.succ.values() for t in ts)]:
        fl, tl = citex.registry.REGISTRY.laws[t.from_title], citex.registry.REGISTRY.laws[t.to_title]
        v = fl.versions[t.from_idx]
        for label, row in _rows(t.path)[0].items():
            if not row.reviewed:
                continue
            a, s = _parse_article(label)
            r = citex.resolve(cit(fl.title, a, suffix=s), to=version_label(tl, t.to_idx), as_of=v.effective or v.adopted)
            total += 1
            ok += sorted((x.article, x.article_suffix) for x in r.targets) == sorted(map(_parse_article, row.to_articles))
    print(f"\nreviewed rows resolved to the reviewer's targets: {ok}/{total}")
    assert total > 600 and ok == total


@pytest.mark.parametrize("title, src, dst, floor", [
    (MSL, "2017年修正", "2023年修正", 0.98),
    ("中华人民共和国刑事诉讼法", "1996年修正", "2018年修正", 0.93),
])
def test_accuracy_multi_step_text_plausibility(title, src, dst, floor):
    """Across several tables: the target article's text is similar (difflib ratio ≥ 0.5) to the source's."""
    laws = shared_path("laws")
    from citex.tables import parse_articles, similarity
    law = citex.registry.REGISTRY.laws[title]
    idx = {version_label(law, i): i for i in range(len(law.versions))}

    def texts(i):
        return {(a.number, a.suffix): a.text for a in parse_articles(*sorted(laws.glob(law.versions[i].text)))}
    A, B = texts(idx[src]), texts(idx[dst])
    n = good = 0
    for (num, suf), txt in A.items():
        r = citex.resolve(cit(title, num, suffix=suf, version=None), to=dst, as_of=law.versions[idx[src]].effective)
        if not r.targets:
            continue
        n += 1
        joined = "\n".join(B.get((t.article, t.article_suffix), "") for t in r.targets)
        good += max(similarity(txt, joined), *(similarity(txt, B.get((t.article, t.article_suffix), "")) for t in r.targets)) >= 0.5
    print(f"\n{title} {src}→{dst}: {good}/{n} resolved articles text-plausible")
    assert n == len(A) and good / n >= floor


# --- CLI --------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_resolve_issue_example():
    res = runner.invoke(app, ["resolve", "本案适用的是2017年修正的《中华人民共和国民事诉讼法》第106条", "--to", "2021"])
    assert res.exit_code == 0 and "第109条" in res.stdout and "2021年修正" in res.stdout


def test_cli_resolve_no_data_says_so():
    res = runner.invoke(app, ["resolve", "《中华人民共和国商标法》（1993年修正）第5条", "--to", "2019"])
    assert res.exit_code == 0 and "no data" in res.stdout and "—" in res.stdout


def test_cli_resolve_file_jsonl_and_corpus(tmp_path: Path):
    f = tmp_path / "a.txt"
    f.write_text("《合同法》第114条", encoding="utf-8")
    res = runner.invoke(app, ["resolve", str(f), "--jsonl"])
    assert res.exit_code == 0 and '"article": 585' in res.stdout
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "《侵权责任法》第6条"}\nnot json\n', encoding="utf-8")
    res = runner.invoke(app, ["resolve", str(corpus), "--jsonl"])
    assert res.exit_code == 2 and res.stdout.count("\n") == 1 and '"article": 1165' in res.stdout
    assert "c.jsonl:2" in res.stderr


def test_cli_resolve_bad_options():
    assert runner.invoke(app, ["resolve", "x", "--to", "someday"]).exit_code == 2
    assert runner.invoke(app, ["resolve", "x", "--as-of", "2025-13-01"]).exit_code == 2


def test_cli_resolve_stdin():
    res = runner.invoke(app, ["resolve", "--as-of", "2025-04-07"], input="《民事诉讼法》第235条")
    assert res.exit_code == 0 and "as_of" in res.stdout


# --- the documentation's example --------------------------------------------------------

def test_docs_example_runs_and_prints_what_the_doc_says():
    doc = (REPO / "docs" / "resolve.md").read_text(encoding="utf-8")
    code, expected = re.findall(r"```(?:python)?\n(.*?)```", doc, re.S)[:2]
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(compile(code, "docs/resolve.md", "exec"), {})
    assert buf.getvalue().strip() == expected.strip()
