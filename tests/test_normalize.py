from hypothesis import given, strategies as st
import pytest

from citex.normalize import normalize

ALPHABET = st.sampled_from(list("第条款项之一二三十百0123456789０１２（）()《》〈〉 \n\t\u3000\\]、，。法释〔〕[]華國條笫"))


def test_folds_and_maps_back():
    text = "《中\n\n华人民共和国民事诉讼法》第７４\n\n条第2款（法释［2018］3號）"
    n = normalize(text)
    assert n.text == "《中华人民共和国民事诉讼法》第74条第2款(法释[2018]3号)"
    i = n.text.index("第74")
    s, e = n.span(i, n.text.index("款") + 1)
    assert text[s:e] == "第７４\n\n条第2款"


def test_ocr_and_traditional():
    assert normalize("笫二百三十六條").text == "第二百三十六条"


def test_type_error():
    with pytest.raises(TypeError):
        normalize(b"bytes")  # type: ignore[arg-type]


@given(st.text(ALPHABET, max_size=60))
def test_offset_map_points_into_original(text):
    n = normalize(text)
    for i, ch in enumerate(n.text):
        o = n.orig(i)
        assert 0 <= o < len(text)
        assert normalize(text[o]).text == ch  # the original character folds to the normalized one


@given(st.text(ALPHABET, max_size=60))
def test_idempotent(text):
    once = normalize(text).text
    assert normalize(once).text == once


@given(st.text(max_size=40))
def test_input_untouched(text):
    copy = str(text)
    normalize(text)
    assert text == copy
