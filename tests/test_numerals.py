from hypothesis import given, strategies as st
import pytest

from citex.numerals import NumeralError, parse_number, to_chinese


@given(st.integers(min_value=0, max_value=99999))
def test_numeral_round_trip(n):
    assert parse_number(to_chinese(n)) == n
    assert parse_number(str(n)) == n


@pytest.mark.parametrize("text,value", [
    ("二百三十六", 236), ("十", 10), ("一千零八十五", 1085), ("二百零五", 205), ("两百", 200),
    ("０３", 3), ("２３６", 236), ("一百一十", 110),
])
def test_parse_forms(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("bad", ["", "第", "2百", "abc", "-1", "1.5"])
def test_parse_rejects(bad):
    with pytest.raises(NumeralError):
        parse_number(bad)


def test_to_chinese_rejects_negative():
    with pytest.raises(NumeralError):
        to_chinese(-1)
