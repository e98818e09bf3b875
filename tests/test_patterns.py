"""Patterns are data: every example is read as its token, no non-example is; bad files fail loudly."""

import pytest

from citex.normalize import normalize
from citex.patterns import GRAMMAR, PatternDataError, load_grammar
from citex.tokenize import tokenize

CASES = [(t.name, ex) for t in GRAMMAR.tokens for ex in t.examples]
NON = [(t.name, ex) for t in GRAMMAR.tokens for ex in t.non_examples]


@pytest.mark.parametrize("name,example", CASES)
def test_example_is_one_whole_token(name, example):
    text = normalize(example).text
    toks = tokenize(text)
    assert [(t.kind, t.start, t.end) for t in toks] == [(name, 0, len(text))], toks


@pytest.mark.parametrize("name,example", NON)
def test_non_example_is_not_that_token(name, example):
    text = normalize(example).text
    assert GRAMMAR.compiled(name).fullmatch(text) is None


def test_every_token_has_examples_or_is_contextual():
    for t in GRAMMAR.tokens:
        assert t.examples or t.non_examples, f"token {t.name} (tokens.yaml line {t.line}) has no examples"


def test_bad_regex_names_path_and_line(data_copy):
    d = data_copy("patterns")
    p = d / "tokens.yaml"
    lines = p.read_text(encoding="utf-8").splitlines()
    idx = next(i for i, l in enumerate(lines) if "- name: article" in l)
    reg = next(i for i in range(idx, len(lines)) if lines[i].strip().startswith("regex:"))
    lines[reg] = '    regex: "第(?P<num>{num}条"'
    p.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(PatternDataError) as exc:
        load_grammar(d)
    assert f"{p}:{idx + 1}:" in str(exc.value)


@pytest.mark.parametrize("name,old,new,message", [
    ("tokens.yaml", "第(?P<num>{num})条", "第(?P<num>{nosuch})条", "unknown fragment"),
    ("lexicon.yaml", 'list_connectors: ["、",', 'list_connectors: ["", "、",', "list_connectors"),
])
def test_bad_data_fails_at_load(data_copy, name, old, new, message):
    d = data_copy("patterns")
    p = d / name
    text = p.read_text(encoding="utf-8")
    assert old in text
    p.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(PatternDataError, match=message) as exc:
        load_grammar(d)
    assert str(p) in str(exc.value)


def test_yaml_syntax_error_names_line(data_copy):
    d = data_copy("patterns")
    p = d / "lexicon.yaml"
    p.write_text("list_connectors: [\"、\"\nrange: : :\n", encoding="utf-8")
    with pytest.raises(PatternDataError) as exc:
        load_grammar(d)
    assert str(p) in str(exc.value) and "invalid YAML" in str(exc.value)
