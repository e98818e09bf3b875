
import pytest

from citex.patterns import PatternDataError
from citex.registry import REGISTRY, load_registry, title_key

CIVIL_PROCEDURE = "中华人民共和国民事诉讼法"


@pytest.mark.parametrize("written", ["《中华人民共和国民事诉讼法》", "《民事诉讼法》", "民诉法", "中华人民共和国民事诉讼法"])
def test_titles_canonicalize(written):
    law = REGISTRY.lookup(written)
    assert law is not None and law.title == CIVIL_PROCEDURE


def test_nested_marks_any_style():
    for t in ("《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》",
              "最高人民法院关于适用《中华人民共和国民事诉讼法》的解释",
              "最高人民法院关于适用“中华人民共和国民事诉讼法”的解释", "民诉法解释"):
        law = REGISTRY.lookup(t)
        assert law is not None and law.title == "最高人民法院关于适用《中华人民共和国民事诉讼法》的解释", t
        assert law.is_judicial


def test_title_key():
    assert title_key("《中华人民共和国民事诉讼法（2017年修正）》") == "中华人民共和国民事诉讼法(2017年修正)"


def test_unknown_title_is_none():
    assert REGISTRY.lookup("《北京市某某条例》") is None


def test_doc_number_lookup():
    assert REGISTRY.by_doc_number("法释〔2018〕3号").title == "最高人民法院关于执行和解若干问题的规定"


def test_bad_registry_line_names_path_and_line(data_copy):
    d = data_copy("laws")
    p = d / "registry.jsonl"
    lines = p.read_text(encoding="utf-8").splitlines()
    lines.insert(3, '{"title": "x", "kind": "nonsense"}')
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PatternDataError) as exc:
        load_registry(d)
    assert f"{p}:4:" in str(exc.value) and "unknown kind" in str(exc.value)


@pytest.mark.parametrize("name,appended,message", [
    ("registry.jsonl", "{not json\n", "invalid JSON"),
    ("aliases.yaml", "  不存在的法律: [某法]\n", "alias target"),
])
def test_bad_data_fails_at_load(data_copy, name, appended, message):
    d = data_copy("laws")
    p = d / name
    p.write_text(p.read_text(encoding="utf-8") + appended, encoding="utf-8")
    with pytest.raises(PatternDataError, match=message) as exc:
        load_registry(d)
    assert str(p) in str(exc.value)
