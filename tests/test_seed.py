"""The seed article (a real SPC press conference with PDF noise), bundled in examples/."""


def recs(seed_text):
    import citex
    out = []
    for c in citex.extract(seed_text):
        assert seed_text[c.start:c.end] == c.surface
        out.append(c.to_record())
    return out


def test_civil_procedure_235_twice(seed_text):
    r = [x for x in recs(seed_text) if x["article"] == 235]
    assert len(r) == 2 and all(x["law_title"] == "中华人民共和国民事诉讼法" and x["version"] is None for x in r)


def test_231_with_title_split_by_page_break(seed_text):
    [r] = [x for x in recs(seed_text) if x["article"] == 231]
    assert r["version"] == "2021年修正" and r["law_title"] == "中华人民共和国民事诉讼法"
    assert "\n" in r["title_surface"]


def test_enforcement_rules_74_2_across_break(seed_text):
    [r] = [x for x in recs(seed_text) if x["article"] == 74]
    assert (r["doc_number"], r["version"], r["paragraph"]) == ("法释〔1998〕15号", "2020年修正", 2)
    assert r["surface"] == "第74\n\n条第2款"
    assert r["kind"] == "judicial_interpretation"


def test_settlement_rules_1_and_8(seed_text):
    r = [x for x in recs(seed_text) if x["doc_number"] == "法释〔2018〕3号"]
    assert [(x["article"], x["surface"]) for x in r] == [(1, "第1条"), (8, "第8条")]


def test_236_1_each_occurrence(seed_text):
    r = [x for x in recs(seed_text) if x["article"] == 236]
    assert len(r) == seed_text.count("(2017年修正)第二百三十六条第一款") == 6
    assert all((x["version"], x["paragraph"]) == ("2017年修正", 1) for x in r)


def test_guiding_cases(seed_text):
    r = [(x["surface"], x["guiding_case_no"], x["guiding_case_end"]) for x in recs(seed_text) if x["kind"] == "guiding_case"]
    assert r[0] == ("指导性案例251号至253号", 251, 253)
    assert ("指导性案例254号", 254, None) in r
