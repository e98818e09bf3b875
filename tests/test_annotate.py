"""Markup: annotate / annotate_html / strip_markup (units, round-trip properties, real passages)."""
from __future__ import annotations

import html as htmllib
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import citex
from citex.annotate import annotate, annotate_html, strip_markup
from citex.models import LawMention, StatuteCitation


class _Events(HTMLParser):
    """Start tags (with attributes) and citex elements of an HTML string."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple] = []          # non-citex start/end tags, in order
        self.cites: list[tuple[dict, str]] = []   # (attrs, text) of each outermost citex element
        self.depth = 0
        self.inside_other_tag = False        # a non-citex tag inside a citex element

    def handle_starttag(self, tag, attrs):
        d = dict(attrs)
        if "citex" in (d.get("class") or "").split():
            if self.depth == 0:
                self.cites.append((d, ""))
            self.depth += 1
        else:
            if self.depth:
                self.inside_other_tag = True
            self.tags.append(("start", tag, tuple(attrs)))

    def handle_endtag(self, tag):
        if self.depth and tag == "cite":
            self.depth -= 1
        else:
            self.tags.append(("end", tag))

    def handle_data(self, data):
        if self.depth:
            attrs, text = self.cites[-1]
            self.cites[-1] = (attrs, text + data)


def events(s: str) -> _Events:
    p = _Events()
    p.feed(s)
    p.close()
    return p


# ----------------------------------------------------------------------------- plain text

def test_default_markup_escapes_text_and_attributes():
    text = "依照《中华人民共和国刑法》第二百六十四条 & <b>"
    out = annotate(text)
    assert out == ('依照《中华人民共和国刑法》<cite class="citex" data-kind="statute" data-law="中华人民共和国刑法" '
                   'data-article="264">第二百六十四条</cite> &amp; &lt;b&gt;')
    assert strip_markup(out) == text


def test_attribute_values_are_escaped():
    text = "x第1条"
    c = StatuteCitation(start=1, end=4, surface="第1条", article=1, law=LawMention(title='A"B<C>&\'D'))
    out = annotate(text, [c])
    ev = events(out)
    assert ev.cites == [({"class": "citex", "data-kind": "statute", "data-law": 'A"B<C>&\'D', "data-article": "1"}, "第1条")]
    assert "&quot;" in out and "&#x27;" in out


def test_same_span_citations_nest():
    text = "依照刑法第八条第二、第三款"
    out = annotate(text)
    assert out.count("<cite ") == 2
    assert 'data-paragraph="2"><cite class="citex" data-kind="statute" data-law="中华人民共和国刑法" data-article="8" data-paragraph="3">' in out
    assert strip_markup(out) == text


def test_given_citations_are_used_and_not_mutated():
    text = "依照民诉法第一百条、第一百零一条"
    cits = citex.extract(text)
    before = [c.model_dump() for c in cits]
    out = annotate(text, cits[1:])
    assert out.count("<cite ") == 1 and "第一百零一条</cite>" in out
    assert [c.model_dump() for c in cits] == before


def test_format_string_template():
    out = annotate("依照刑法第一条", template='<a class="citex" href="/law/{law}#{article}">{surface}</a>')
    assert out == '依照刑法<a class="citex" href="/law/中华人民共和国刑法#1">第一条</a>'
    assert strip_markup(out) == "依照刑法第一条"


def test_callable_template_receives_citation_and_escaped_surface():
    seen = []

    def tpl(c, surface_html):
        seen.append((c.article, surface_html))
        return f'<mark class="citex x">{surface_html}</mark>'

    c = StatuteCitation(start=0, end=6, surface="第1条<&>", article=1)
    out = annotate("第1条<&>", [c], template=tpl)
    assert seen == [(1, "第1条&lt;&amp;&gt;")]
    assert strip_markup(out) == "第1条<&>"


@pytest.mark.parametrize("template, error", [
    ("<b>{article}</b>", ValueError),                    # no {surface}
    ("{surface}{surface}", ValueError),
    ("<b data-x={nope}>{surface}</b>", ValueError),      # unknown field
    ("<b>{surface</b>", ValueError),                     # not a format string
    (42, TypeError),
    (lambda c, s: "dropped", ValueError),                # callable must keep the surface
])
def test_bad_templates(template, error):
    with pytest.raises(error):
        annotate("依照刑法第一条", template=template)


def test_bad_inputs():
    with pytest.raises(TypeError, match="str"):
        annotate(b"bytes")
    with pytest.raises(TypeError, match="not a citation"):
        annotate("abc", [object()])
    c = StatuteCitation(start=0, end=4, surface="第1条x", article=1)
    with pytest.raises(ValueError, match="outside the text"):
        annotate("第1条", [c])
    with pytest.raises(ValueError, match="another text"):
        annotate("第2条x", [c])
    a = StatuteCitation(start=0, end=3, surface="第1条", article=1)
    b = StatuteCitation(start=2, end=5, surface="条第2", article=2)
    with pytest.raises(ValueError, match="cross"):
        annotate("第1条第2条", [a, b])
    with pytest.raises(TypeError):
        strip_markup(None)


# ----------------------------------------------------------------------------- HTML

def test_attribute_next_to_citation_stays_intact():
    h = '<p>依照《民事诉讼法》<a id="art236" data-page="236" title="第236条">第236条</a></p>'
    out = annotate_html(h)
    assert '<a id="art236" data-page="236" title="第236条"><cite class="citex"' in out
    assert events(out).tags == events(h).tags
    assert strip_markup(out, html=True) == h


def test_citation_across_tags_is_split_into_well_nested_pieces():
    h = "<p>依照《中华人民共和国民事诉讼法》第<b>236</b>条</p>"
    out = annotate_html(h)
    attrs = 'class="citex" data-kind="statute" data-law="中华人民共和国民事诉讼法" data-article="236"'
    assert out == f"<p>依照《中华人民共和国民事诉讼法》<cite {attrs}>第</cite><b><cite {attrs}>236</cite></b><cite {attrs}>条</cite></p>"
    assert not events(out).inside_other_tag


def test_entities_are_decoded_for_extraction_and_kept_raw():
    h = "<div>依照《中华人民共和国刑法》&#31532;二百六十四条&amp;&lt;刑法&gt;</div>"
    out = annotate_html(h)
    assert "<cite class=\"citex\" data-kind=\"statute\" data-law=\"中华人民共和国刑法\" data-article=\"264\">&#31532;二百六十四条</cite>" in out
    assert strip_markup(out, html=True) == h


def test_invisible_text_is_not_annotated():
    h = ('<html><head><title>刑法第一条</title><style>/* 刑法第二条 */</style></head><body>'
         '<!-- 刑法第三条 --><script>var s = "刑法第四条";</script><textarea>刑法第五条</textarea>'
         '<img alt="刑法第六条"></body></html>')
    assert annotate_html(h) == h


def test_block_tags_separate_words():
    # 刑法 and 第一条 in two table cells are not one citation
    assert "<cite" not in annotate_html("<table><tr><td>刑法</td><td>第一条</td></tr></table>")
    assert "<cite" in annotate_html("<span>刑法</span><span>第一条</span>")


def test_already_annotated_html_is_refused():
    out = annotate_html("<p>依照刑法第一条</p>")
    with pytest.raises(ValueError, match="already contains citex markup"):
        annotate_html(out)
    with pytest.raises(TypeError):
        annotate_html(None)


def test_strip_flag_matters():
    assert annotate("a&b") == annotate_html("a&amp;b") == "a&amp;b"
    assert strip_markup("a&amp;b") == "a&b" and strip_markup("a&amp;b", html=True) == "a&amp;b"


# ----------------------------------------------------------------------------- properties

_LEGAL = ["依照", "《中华人民共和国民事诉讼法》", "《刑法》", "刑法", "民诉法", "第236条", "第二百三十六条", "第一款",
          "第（一）项", "、", "和", "至", "之一", "。", "，", "指导性案例24号", "（2021）最高法民终123号",
          "法释〔2018〕3号", "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》", "\n", " ", "条", "第"]
_TEXTY = ["&", "<", ">", '"', "'", "&amp;", "&lt;", "&#31532;", "<cite class=\"citex\">x</cite>", "236"]
plain_texts = st.lists(st.one_of(st.sampled_from(_LEGAL + _TEXTY), st.text(max_size=5)), max_size=25).map("".join)

_MARKUP = ['<a id="art236" data-page="236" title="第236条">', "</a>", "<b>", "</b>", "<p>", "</p>", "<br>", "<br/>",
           '<span class="x" data-n="第1条">', "</span>", "<!-- 刑法第一条 -->", "<script>刑法第二条</script>",
           "<style>p{}</style>", "&amp;", "&#31532;", "&#x7B2C;", "&lt;", "&notit;", "&", "<", "<!DOCTYPE html>",
           "<title>刑法第三条</title>", "<img src='236.png' alt=\"第236条\"/>", "<td>", "</td>", "<![CDATA[第4条]]>"]
html_docs = st.lists(st.one_of(st.sampled_from(_LEGAL + _MARKUP), st.text(max_size=5)), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(plain_texts)
def test_property_plain_round_trip(text):
    out = annotate(text)
    assert strip_markup(out) == text
    ev = events(out)
    assert ev.tags == []  # the escaped text has no tags of its own
    assert htmllib.unescape("".join(t for _, t in ev.cites)) == "".join(
        c.surface for c in _outermost(citex.extract(text)))


def _outermost(cits):
    out, end = [], -1
    for c in sorted(cits, key=lambda c: (c.start, -c.end)):
        if c.start >= end and c.end > c.start:
            out.append(c)
            end = c.end
    return out


@settings(max_examples=400, deadline=None)
@given(html_docs)
def test_property_html_round_trip_and_tags_untouched(h):
    if "citex" in h:
        return
    out = annotate_html(h)
    assert strip_markup(out, html=True) == h
    ev_out, ev_in = events(out), events(h)
    assert ev_out.tags == ev_in.tags          # every tag and attribute as it was
    assert not ev_out.inside_other_tag        # markup only around text: well nested


# ----------------------------------------------------------------------------- real passages

def test_real_passages_plain(gold_dev):
    n = 0
    for row in gold_dev:
        text = row["text"]
        out = annotate(text)
        assert strip_markup(out) == text, row["id"]
        outer = _outermost(citex.extract(text))
        assert [t for _, t in events(out).cites] == [c.surface for c in outer], row["id"]
        n += len(outer)
    assert n > 50


def test_real_passages_as_html(gold_dev):
    """Each passage escaped into HTML with an anchor before every citation and the digits of one
    citation in <b>: the markup holds exactly the citations of the plain text."""
    for row in gold_dev:
        text = row["text"]
        cits = _outermost(citex.extract(text))
        parts, pos = [], 0
        for i, c in enumerate(cits):
            parts.append(htmllib.escape(text[pos:c.start], quote=False))
            parts.append(f'<a id="art{c.start}" data-page="{c.start}条"></a>')
            s = c.surface
            if i == 0 and len(s) >= 3:
                parts.append(htmllib.escape(s[0]) + "<b>" + htmllib.escape(s[1:-1]) + "</b>" + htmllib.escape(s[-1]))
            else:
                parts.append(htmllib.escape(s, quote=False))
            pos = c.end
        parts.append(htmllib.escape(text[pos:], quote=False))
        h = "<div>" + "".join(parts) + "</div>"
        out = annotate_html(h)
        assert strip_markup(out, html=True) == h, row["id"]
        ev = events(out)
        assert ev.tags == events(h).tags and not ev.inside_other_tag
        assert "".join(t for _, t in ev.cites) == "".join(c.surface for c in cits), row["id"]


# ----------------------------------------------------------------------------- CLI

def test_cli_annotate_text_and_html(tmp_path):
    import json

    from typer.testing import CliRunner

    from citex.cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["annotate"], input="依照《中华人民共和国刑法》第二百六十四条 & <b>")
    assert r.exit_code == 0 and r.stdout == annotate("依照《中华人民共和国刑法》第二百六十四条 & <b>")
    page = tmp_path / "p.html"
    h = '<p title="第1条">依照刑法第<b>1</b>条</p>'
    page.write_text(h, encoding="utf-8")
    out = tmp_path / "out.html"
    tpl = '<a class="citex" href="#{article}">{surface}</a>'
    r = runner.invoke(app, ["annotate", str(page), "--html", "--template", tpl, "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    got = out.read_text(encoding="utf-8")
    assert got == annotate_html(h, template=tpl) and strip_markup(got, html=True) == h
    assert '<p title="第1条">' in got and '<b><a class="citex" href="#1">1</a></b>' in got
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": "刑法第一条"}, ensure_ascii=False) + "\n{bad\n", encoding="utf-8")
    r = runner.invoke(app, ["annotate", str(corpus)])
    assert r.exit_code == 2 and f"{corpus}:2: invalid JSON" in r.stderr
    assert [json.loads(l) for l in r.stdout.splitlines()] == [{"id": "a", "annotated": annotate("刑法第一条")}]
    r = runner.invoke(app, ["annotate", "--template", "<b>{article}</b>"], input="刑法第一条")
    assert r.exit_code == 2 and "surface" in r.stderr


def test_docs_annotate_example_prints_what_it_says():
    import contextlib
    import io
    import re

    from conftest import REPO

    doc = (REPO / "docs" / "annotate.md").read_text(encoding="utf-8")
    code = re.findall(r"```python\n(.*?)```", doc, re.S)[0]
    expected = re.findall(r"```html\n(.*?)```", doc, re.S)[0]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "docs/annotate.md", "exec"), {})
    assert out.getvalue() == expected


@pytest.mark.parametrize("template", ["{surface}{article:d}", "{surface}{article:>99999999}", "{surface!r}"])
def test_template_with_format_spec_is_refused_up_front(template):
    with pytest.raises(ValueError, match="format spec"):
        annotate("刑法第一条", template=template)
