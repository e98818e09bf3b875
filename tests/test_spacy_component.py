"""The spaCy component (citex.spacy_component) on real passages of ../shared/eval.

Needs the ``spacy`` extra; the whole module is skipped without spaCy so the core suite still runs."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

spacy = pytest.importorskip("spacy", reason="spaCy is an extra: pip install 'citex[spacy]'")
from spacy.tokens import Doc, DocBin, Span  # noqa: E402

from citex import extract  # noqa: E402
from citex.spacy_component import (  # noqa: E402
    KINDS, USER_DATA_KEY, CitexComponent, add_law_titles_to_jieba, citations_from_doc,
)
from conftest import REPO  # noqa: E402


def _blank(segmenter: str):
    if segmenter == "jieba":
        pytest.importorskip("jieba", reason="jieba is part of the spacy extra: pip install 'citex[spacy]'")
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": segmenter}}})


@pytest.fixture(scope="module", params=["char", "jieba"])
def nlp(request):
    nlp = _blank(request.param)
    nlp.add_pipe("citex")
    return nlp


@pytest.fixture(scope="module")
def texts(gold_dev) -> list[str]:
    return [rec["text"] for rec in gold_dev]


def _view(doc, key="citations"):
    return [(s.start, s.end, s.label_, s._.citation) for s in doc.spans[key]]


# --- spans on the eval passages ----------------------------------------------------------------

def test_no_citation_dropped_on_eval_passages(nlp, texts):
    total = 0
    for text in texts:
        doc = nlp(text)
        expected = extract(text)
        spans = list(doc.spans["citations"])
        assert [s._.citation for s in spans] == expected, text[:40]
        for s, c in zip(spans, expected):
            assert s.label_ == c.kind
            # the span covers the citation (widened to whole tokens), the citation keeps exact offsets
            assert s.start_char <= c.start < c.end <= s.end_char
            assert doc.text[c.start:c.end] == c.surface
            if nlp.tokenizer.segmenter == "char":
                assert (s.start_char, s.end_char) == (c.start, c.end)
        total += len(expected)
    assert total > 100  # the dev set has ~150 citations: the comparison above is not vacuous


def test_citation_edges_inside_tokens_are_widened_not_dropped():
    # hand-made tokens: both edges of 第二百六十四条 fall inside a token
    nlp = spacy.blank("zh")
    doc = Doc(nlp.vocab, words=["依照刑法第二", "百六十四条规", "定"], spaces=[False, False, False])
    doc = CitexComponent(nlp)(doc)
    (span,) = doc.spans["citations"]
    c = span._.citation
    assert (span.start, span.end) == (0, 2)
    assert (c.start, c.end, c.surface, c.article) == (4, 11, "第二百六十四条", 264)


def test_component_writes_json_safe_user_data(texts):
    nlp = spacy.blank("zh")
    nlp.add_pipe("citex")
    doc = nlp(texts[0])
    stored = doc.user_data[USER_DATA_KEY]["citations"]
    assert json.loads(json.dumps(stored)) == stored
    assert citations_from_doc(doc) == extract(texts[0])


def test_kinds_filter_and_span_key():
    nlp = spacy.blank("zh")
    nlp.add_pipe("citex", config={"kinds": ["case_number"], "span_key": "cases"})
    doc = nlp("依照《中华人民共和国刑法》第二百六十四条，参见（2021）最高法民终123号判决。")
    assert "citations" not in doc.spans
    assert [(s.label_, s.text) for s in doc.spans["cases"]] == [("case_number", "（2021）最高法民终123号")]
    assert [c.kind for c in citations_from_doc(doc, "cases")] == ["case_number"]


def test_two_components_with_different_keys_keep_their_own_citations():
    nlp = spacy.blank("zh")
    nlp.add_pipe("citex", name="statutes", config={"kinds": ["statute"], "span_key": "statutes"})
    nlp.add_pipe("citex", name="cases", config={"kinds": ["case_number"], "span_key": "cases"})
    doc = nlp("依照刑法第一条，参见（2021）最高法民终123号。")
    assert [s._.citation.kind for s in doc.spans["statutes"]] == ["statute"]
    assert [s._.citation.kind for s in doc.spans["cases"]] == ["case_number"]


@pytest.mark.parametrize("config, error, match", [
    ({"kinds": ["statute", "law"]}, ValueError, "unknown kind"),
    ({"kinds": []}, ValueError, "kinds is empty"),
    ({"as_of": "2020-13-01"}, ValueError, "not an ISO date"),
    ({"span_key": ""}, ValueError, "span_key"),
])
def test_bad_config_is_a_clear_error(config, error, match):
    nlp = spacy.blank("zh")
    with pytest.raises(error, match=match):
        nlp.add_pipe("citex", config=config)


def test_as_of_is_passed_as_a_date():
    comp = CitexComponent(spacy.blank("zh"), as_of="2020-05-01")
    assert comp.as_of.isoformat() == "2020-05-01"
    with pytest.raises(TypeError, match="kinds must be a list"):
        CitexComponent(spacy.blank("zh"), kinds="statute")


def test_citations_from_doc_errors():
    nlp = spacy.blank("zh")
    with pytest.raises(KeyError, match="run the 'citex' pipe"):
        citations_from_doc(nlp("刑法第一条"))
    with pytest.raises(TypeError, match="spacy Doc"):
        citations_from_doc("刑法第一条")


# --- set_ents --------------------------------------------------------------------------------

def test_set_ents_keeps_existing_entities():
    nlp = spacy.blank("zh")  # one token per character
    text = "张某依照《中华人民共和国刑法》第二百六十四条、民诉法第一百条的规定"
    doc = nlp.make_doc(text)
    first = text.index("第二百六十四条")
    person = Span(doc, 0, 2, label="PERSON")
    clash = Span(doc, first + 2, first + 4, label="CARDINAL")  # inside the first citation
    doc.ents = [person, clash]
    comp = CitexComponent(nlp, set_ents=True)
    doc = comp(doc)
    ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    second = text.index("第一百条")
    assert (0, 2, "PERSON") in ents and (first + 2, first + 4, "CARDINAL") in ents
    assert (second, second + 4, "statute") in ents
    assert not any(e[2] == "statute" and e[0] == first for e in ents)
    assert len(doc.spans["citations"]) == 2  # the skipped one is still a span
    assert [e._.citation.article for e in doc.ents if e.label_ == "statute"] == [100]


def test_set_ents_on_eval_passages(texts):
    nlp = _blank("jieba")
    nlp.add_pipe("citex", config={"set_ents": True})
    n = 0
    for doc in nlp.pipe(texts):
        for e in doc.ents:
            assert e.label_ in KINDS and e._.citation is not None and e._.citation.kind == e.label_
            n += 1
    assert n > 100


# --- multiprocessing and serialization -------------------------------------------------------

def test_n_process_2_equals_single_process(nlp, texts):
    single = [_view(d) for d in nlp.pipe(texts)]
    multi = [_view(d) for d in nlp.pipe(texts, n_process=2, batch_size=7)]
    assert multi == single
    assert sum(map(len, single)) > 100


def test_docbin_round_trip(texts):
    nlp = _blank("jieba")
    nlp.add_pipe("citex", config={"set_ents": True})
    docs = list(nlp.pipe(texts))
    data = DocBin(docs=docs, store_user_data=True).to_bytes()
    back = list(DocBin().from_bytes(data).get_docs(spacy.blank("zh").vocab))
    assert [d.text for d in back] == texts
    for before, after in zip(docs, back):
        assert _view(after) == _view(before)
        assert [(e.start, e.end, e.label_, e._.citation) for e in after.ents] == \
               [(e.start, e.end, e.label_, e._.citation) for e in before.ents]
        assert citations_from_doc(after) == extract(after.text)


def test_doc_bytes_round_trip():
    nlp = spacy.blank("zh")
    nlp.add_pipe("citex")
    doc = nlp("依照民诉法第一百条、第一百零一条")
    back = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert _view(back) == _view(doc) and len(_view(doc)) == 2


def test_docbin_without_user_data_loses_the_citations_loudly():
    nlp = spacy.blank("zh")
    nlp.add_pipe("citex")
    doc = nlp("依照刑法第一条")
    back = next(DocBin(docs=[doc], store_user_data=False).from_bytes(
        DocBin(docs=[doc], store_user_data=False).to_bytes()).get_docs(nlp.vocab))
    assert back.spans["citations"][0]._.citation is None
    with pytest.raises(KeyError, match="store_user_data"):
        citations_from_doc(back)


def test_hand_made_span_finds_its_citation():
    nlp = spacy.blank("zh")
    nlp.add_pipe("citex")
    doc = nlp("依照刑法第一条")
    s = doc.spans["citations"][0]
    assert Span(doc, s.start, s.end, label="statute")._.citation == s._.citation
    assert Span(doc, 0, 2, label="statute")._.citation is None


# --- configuration and registration ----------------------------------------------------------

CONFIG = """
[nlp]
lang = "zh"
pipeline = ["citex"]

[nlp.tokenizer]
@tokenizers = "spacy.zh.ChineseTokenizer"
segmenter = "jieba"

[components]

[components.citex]
factory = "citex"
as_of = "2021-06-01"
kinds = ["statute", "judicial_interpretation"]
span_key = "cites"
set_ents = true
"""


def test_config_based_construction(texts):
    pytest.importorskip("jieba")
    from spacy.util import load_config_from_str

    nlp = spacy.util.get_lang_class("zh").from_config(load_config_from_str(CONFIG))
    assert nlp.pipe_names == ["citex"]
    comp = nlp.get_pipe("citex")
    assert (comp.as_of.isoformat(), comp.kinds, comp.span_key, comp.set_ents) == \
           ("2021-06-01", ("statute", "judicial_interpretation"), "cites", True)
    for text in texts:
        doc = nlp(text)
        want = [c for c in extract(text) if c.kind in ("statute", "judicial_interpretation")]
        assert [s._.citation for s in doc.spans["cites"]] == want
    # the config survives a round trip through nlp.config
    again = spacy.util.get_lang_class("zh").from_config(nlp.config)
    assert again.get_pipe("citex").span_key == "cites"


def test_pyproject_entry_point_lets_add_pipe_work_without_importing_citex(tmp_path):
    """Installs the pyproject's ``spacy_factories`` entry point into a throw-away dist-info (the
    venv's editable install may predate it) and uses it from a fresh interpreter."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    target = project["entry-points"]["spacy_factories"]["citex"]
    assert target == "citex.spacy_component:make_citex"
    dist = tmp_path / "citex_entry_point_probe-0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: citex-entry-point-probe\nVersion: 0\n")
    (dist / "entry_points.txt").write_text(f"[spacy_factories]\ncitex = {target}\n")
    code = textwrap.dedent("""
        import sys, spacy
        assert "citex" not in sys.modules
        nlp = spacy.blank("zh")
        nlp.add_pipe("citex")
        doc = nlp("依照刑法第一条")
        print([s.label_ for s in doc.spans["citations"]])
    """)
    env = {"PYTHONPATH": f"{tmp_path}:{REPO / 'src'}", "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "['statute']"


def test_pkuseg_segmenter():
    pytest.importorskip("spacy_pkuseg", reason="spacy-pkuseg is not installed (and its models download from the web)")
    from pathlib import Path

    if not (Path.home() / ".pkuseg").exists():
        pytest.skip("no pkuseg model on this machine: spaCy downloads them from the web, which is not reachable here")
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
    nlp.tokenizer.initialize(pkuseg_model="spacy_ontonotes")
    nlp.add_pipe("citex")
    text = "依照《中华人民共和国刑法》第二百六十四条的规定"
    assert [s._.citation for s in nlp(text).spans["citations"]] == extract(text)


# --- jieba helper ----------------------------------------------------------------------------

def test_add_law_titles_keeps_titles_whole_in_jieba():
    jieba = pytest.importorskip("jieba")
    tk = jieba.Tokenizer()  # a private tokenizer: the global one used by other tests stays as it is
    text = "依照中华人民共和国民事诉讼法第一百条和治安管理处罚法第二条"
    before = tk.lcut(text)
    assert "中华人民共和国民事诉讼法" not in before
    n = add_law_titles_to_jieba(tk)
    assert n > 1000
    after = tk.lcut(text)
    assert "中华人民共和国民事诉讼法" in after and "治安管理处罚法" in after
    with pytest.raises(ValueError, match="positive integer"):
        add_law_titles_to_jieba(tk, freq=0)


# --- property: any mix of citation fragments and filler --------------------------------------

_FRAGMENTS = ["依照", "《中华人民共和国刑法》", "刑法", "民诉法", "第一百条", "第二款", "第（三）项", "、", "和",
              "（2021）最高法民终12号", "指导性案例24号", "的规定", "，", "。", "本院认为", " ", "第", "条", "12"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=14).map("".join))
def test_spans_cover_every_citation_for_any_text(text):
    for seg in ("char", "jieba"):
        nlp = _NLP.setdefault(seg, _make(seg))
        doc = nlp(text)
        cits = extract(text)
        spans = list(doc.spans["citations"])
        assert len(spans) == len(cits)
        for s, c in zip(spans, cits):
            assert s._.citation == c and s.start_char <= c.start < c.end <= s.end_char


_NLP: dict = {}


def _make(seg):
    nlp = _blank(seg)
    nlp.add_pipe("citex")
    return nlp


# --- the documentation's example runs --------------------------------------------------------

def test_docs_example_runs():
    md = (REPO / "docs" / "spacy.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", md, flags=re.S)
    assert blocks, "docs/spacy.md has no ```python block"
    exec(compile(blocks[0], "docs/spacy.md", "exec"), {})
