"""The grammar, one test per form and per fault kind (anchors.md), with the right values."""
from datetime import date

import pytest

import citex
from citex import extract

CPL = "中华人民共和国民事诉讼法"
CL = "中华人民共和国刑法"
CONTRACT = "中华人民共和国合同法"


def pins(text, **kw):
    """(law_title, article, suffix, article_end, paragraph, paragraph_end, item, item_end, version, doc) per citation."""
    out = []
    for c in extract(text, **kw):
        r = c.to_record()
        assert text[c.start:c.end] == c.surface
        out.append((r["law_title"], r["article"], r["article_suffix"], r["article_end"], r["paragraph"],
                    r["paragraph_end"], r["item"], r["item_end"], r["version"], r["doc_number"]))
    return out


def P(law, art=None, suf=None, art_end=None, para=None, para_end=None, item=None, item_end=None, ver=None, doc=None):
    return (law, art, suf, art_end, para, para_end, item, item_end, ver, doc)


CASES = [
    # titles: full, short, bare, abbreviation
    ("依照《中华人民共和国民事诉讼法》第二百三十六条第一款", [P(CPL, 236, para=1)]),
    ("根据《民事诉讼法》第236条", [P(CPL, 236)]),
    ("依照民诉法第一百条的规定", [P(CPL, 100)]),
    ("依照刑法第二百六十四条", [P(CL, 264)]),
    # spacing, full-width digits, OCR 笫, traditional characters
    ("依照《中华人民共和国民事诉讼法》第 236 条", [P(CPL, 236)]),
    ("依照《民事诉讼法》第２３６条", [P(CPL, 236)]),
    ("依照《民事诉讼法》笫二百三十六条", [P(CPL, 236)]),
    ("《中華人民共和國民事訴訟法》第二百三十六條", [P(CPL, 236)]),
    ("《中 华 人 民 共 和 国 刑 法》第一条", [P(CL, 1)]),
    # breaks inside a citation
    ("《中\n\n华人民共和国民事诉讼法》第74\n\n条第2款", [P(CPL, 74, para=2)]),
    ("《中华人民共和国民事诉讼法》\n（2017年修正）第二百三十六条", [P(CPL, 236, ver="2017年修正")]),
    # suffix 之一, and 之规定 is not a suffix
    ("《中华人民共和国刑法》第一百三十三条之一", [P(CL, 133, suf=1)]),
    ("触犯了《中华人民共和国刑法》第四百零八条之一之规定", [P(CL, 408, suf=1)]),
    # items and paragraphs
    ("《中华人民共和国道路交通安全法》第七十六条第一款第（二）项", [P("中华人民共和国道路交通安全法", 76, para=1, item=2)]),
    ("《中华人民共和国刑法》第五十七条一款", [P(CL, 57, para=1)]),
    ("构成《价格违法行为行政处罚规定》第九条（二）所列违法行为", [P("价格违法行为行政处罚规定", 9, item=2)]),
    # lists
    ("《中华人民共和国合同法》第107条、第113条第1款", [P(CONTRACT, 107), P(CONTRACT, 113, para=1)]),
    ("《中华人民共和国合同法》第九十四条及第二百零七条", [P(CONTRACT, 94), P(CONTRACT, 207)]),
    ("《中华人民共和国消防法》第二十一条、第六十四条第一项以及第六十三条第二项之规定",
     [P("中华人民共和国消防法", 21), P("中华人民共和国消防法", 64, item=1), P("中华人民共和国消防法", 63, item=2)]),
    ("《中华人民共和国民法通则》第五十八条第一款第（五）项、第二款", [P("中华人民共和国民法通则", 58, para=1, item=5), P("中华人民共和国民法通则", 58, para=2)]),
    # compressed lists
    ("《最高人民法院关于执行和解若干问题的规定》第1、8条", [P("最高人民法院关于执行和解若干问题的规定", 1), P("最高人民法院关于执行和解若干问题的规定", 8)]),
    ("《中华人民共和国刑法》第八条第二、第三款", [P(CL, 8, para=2), P(CL, 8, para=3)]),
    ("《中华人民共和国刑法》第八条第二、三款", [P(CL, 8, para=2), P(CL, 8, para=3)]),
    ("《中华人民共和国合同法》第五十二条第（一）、（二）项", [P(CONTRACT, 52, item=1), P(CONTRACT, 52, item=2)]),
    # ranges
    ("从刑法第二百零五条至第二百零八条的规定来看", [P(CL, 205, art_end=208)]),
    ("《民诉法解释》第508-512条", [P("最高人民法院关于适用《中华人民共和国民事诉讼法》的解释", 508, art_end=512)]),
    ("《中华人民共和国刑法》第5至7条", [P(CL, 5, art_end=7)]),
    # carry-over within a sentence, reset at its end
    ("从刑法第二百零五条的规定来看，第二百零八条第一款规定", [P(CL, 205), P(CL, 208, para=1)]),
    # …and into the next sentence of the same paragraph (judgments), but no further
    ("依照刑法第六十五条第一款从重处罚。被告人如实供述，依照第六十七条第三款可以从轻处罚。",
     [P(CL, 65, para=1), P(CL, 67, para=3)]),
    ("依照刑法第二百零五条处理。\n\n第二百零八条第一款规定", [P(CL, 205)]),
    ("依照刑法第二百零五条处理。另查明，被告人有前科。第二百零八条第一款规定", [P(CL, 205)]),
    # lists whose members drop 第, then refine
    ("依照《中华人民共和国刑法》第二百六十四条、六十七条第三款、六十四条之规定",
     [P(CL, 264), P(CL, 67, para=3), P(CL, 64)]),
    # 本法 with no antecedent still carries to the bare pinpoints after it
    ("公司有本法第一百一十六条第三款规定的事项，除应当依照第一百一十六条第三款的规定",
     [P(None, 116, para=3), P(None, 116, para=3)]),
    # anaphora
    ("《中华人民共和国食品安全法》第20条（该法于2015年4月24日修订，新法相关法条为第26条）",
     [P("中华人民共和国食品安全法", 20), P("中华人民共和国食品安全法", 26, ver="2015年修订")]),
    ("《中华人民共和国合同法》第二百零六条规定：“依照本法第六十一条的规定”", [P(CONTRACT, 206), P(CONTRACT, 61)]),
    # antecedent not too eager: 该法 after a parenthetical binds to the outer law
    ("《中华人民共和国刑法》第一条（参照《最高人民法院关于适用〈中华人民共和国刑事诉讼法〉的解释》第一条），该法第二条",
     [P(CL, 1), P("最高人民法院关于适用《中华人民共和国刑事诉讼法》的解释", 1), P(CL, 2)]),
    # after a quotation, a bare article belongs to the law quoted from, not to one cited inside the quote
    ("《最高人民法院关于执行和解若干问题的规定》第六条规定：“实施刑法第二百一十八条规定的行为。”第十六条规定",
     [P("最高人民法院关于执行和解若干问题的规定", 6), P(CL, 218), P("最高人民法院关于执行和解若干问题的规定", 16)]),
    # metadata bound to the right citation: the version belongs to B
    ("《中华人民共和国刑法》、《中华人民共和国民事诉讼法》（2017年修正）第二百三十六条", [P(CL), P(CPL, 236, ver="2017年修正")]),
    # versions before the title
    ("本案适用的是2017年6月27日修正的《中华人民共和国民事诉讼法》第106条", [P(CPL, 106, ver="2017年修正")]),
    ("原《中华人民共和国合同法》第五十二条", [P(CONTRACT, 52, ver="原")]),
    ("2012年《民事诉讼法》第六十四条", [P(CPL, 64, ver="2012年")]),
    ("修正前的《民事诉讼法》第六十四条", [P(CPL, 64, ver="修正前")]),
    # database-style version inside the marks
    ("《中华人民共和国民事诉讼法（2017年修正）》第二百三十六条", [P(CPL, 236, ver="2017年修正")]),
    # document numbers in every bracket style, before or after the title
    ("《最高人民法院关于执行和解若干问题的规定》（法释［2018］3号，2020年修正）第1条",
     [P("最高人民法院关于执行和解若干问题的规定", 1, ver="2020年修正", doc="法释〔2018〕3号")]),
    ("最高人民法院在法释（1998）18号《关于对怀孕妇女在羁押期间自然流产审判时是否适用死刑问题的批复》中指出",
     [P("最高人民法院关于对怀孕妇女在羁押期间自然流产审判时是否适用死刑问题的批复", doc="法释〔1998〕18号")]),
    ("《最高人民法院关于处理自首和立功若干具体问题的意见》（法发（2010\\]60号）",
     [P("最高人民法院关于处理自首和立功若干具体问题的意见", doc="法发〔2010〕60号")]),
    ("根据法释【2018】03号第一条", [P("最高人民法院关于执行和解若干问题的规定", 1, doc="法释〔2018〕3号")]),
    # 以下简称 aliases carry the law and its number
    ("《最高人民法院关于处理自首和立功若干具体问题的意见》（法发〔2010〕60号，以下简称《自首立功意见》）。依照《自首立功意见》第三条",
     [P("最高人民法院关于处理自首和立功若干具体问题的意见", doc="法发〔2010〕60号"),
      P("最高人民法院关于处理自首和立功若干具体问题的意见", 3, doc="法发〔2010〕60号")]),
    ("《中华人民共和国民事诉讼法》（以下简称民诉法）。依照民诉法第一百条", [P(CPL), P(CPL, 100)]),
    # issuer outside the marks
    ("最高人民法院、最高人民检察院《关于办理妨害信用卡管理刑事案件具体应用法律若干问题的解释》第六条",
     [P("最高人民法院、最高人民检察院关于办理妨害信用卡管理刑事案件具体应用法律若干问题的解释", 6)]),
    # list members written without 第 after a pinpoint
    ("依照《中华人民共和国刑法》第10条、11条规定", [P(CL, 10), P(CL, 11)]),
    ("《中华人民共和国刑法》第五十二条第一款、二款", [P(CL, 52, para=1), P(CL, 52, para=2)]),
    # several parentheticals after one title
    ("《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》（法释〔2020〕17号）（以下简称借贷规定）。借贷规定第二十五条",
     [P("最高人民法院关于审理民间借贷案件适用法律若干问题的规定", doc="法释〔2020〕17号"),
      P("最高人民法院关于审理民间借贷案件适用法律若干问题的规定", 25, doc="法释〔2020〕17号")]),
    # garbled titles
    ("《中华人民共和某某法通则》第五十八条", [P("中华人民共和国民法通则", 58)]),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:24] for c in CASES])
def test_forms(text, expected):
    assert pins(text) == expected


NOT_CITATIONS = [
    "刚刚更新了第一条微博，称创新的本质",
    "其中第一条纪律“行动听指挥”",
    "该协议第3条还约定：两周内交付",
    "原审判决认定没有履行房屋买卖协议书第3条的先行义务",
    "《借款及保证协议》第五条约定",
    "《公司章程》第十条规定",
    "依照《人民日报》第三版",
    "针对第2个争议焦点",
    "第二十条 人民法院在审理第三人提供的物的担保纠纷案件时",
    "第三人撤销之诉",
    # a company's or owners' own rules, and bare document types
    "公司《员工奖惩管理办法》第十五条规定",
    "《董事会议事规则》第十条",
    "《业主公约》第十条",
    "《会议纪要》第三条，双方同意延期付款",
    "《股东会决议》第三条",
]


@pytest.mark.parametrize("text", NOT_CITATIONS)
def test_not_citations(text):
    assert [c for c in extract(text) if c.kind in ("statute", "judicial_interpretation") and c.article is not None] == []


def test_range_ending_in_an_inserted_article():
    [c] = extract("依照《中华人民共和国刑法》第二百一十三条至第二百一十九条之一")
    assert (c.article, c.article_end, c.article_end_suffix) == (213, 219, 1)


def test_self_reference_by_kind_in_marks():
    cits = extract("本《规定》第三、四、五条")
    assert [(c.article, c.law.anaphor, c.law.title) for c in cits] == [(3, "本《规定》", None), (4, "本《规定》", None), (5, "本《规定》", None)]


def test_local_court_numbers_are_not_spc_numbers():
    assert extract("你院晋高法〔1996〕148号请示收悉") == []
    assert extract("京高法发〔2019〕3号") == []
    [c] = extract("最高人民法院法释〔2000〕8号")
    assert c.doc_number.text == "法释〔2000〕8号"


def test_legislative_decision_about_a_court_is_a_statute():
    [c] = extract("《全国人民代表大会常务委员会关于设立北京金融法院的决定》第三条")
    assert c.kind == "statute"


def test_fuzzy_match_never_swaps_article_numbers_or_issuers():
    for title in ("《全国人民代表大会常务委员会关于〈中华人民共和国刑法〉第三百零三条的解释》",
                  "《最高人民法院关于适用〈中华人民共和国刑法〉第十七条第二款的解释》",
                  "《中华人民共和国某某法》"):
        cits = extract(title + "第一条")
        assert all(not c.law.resolved or c.law.title.replace("《", "").replace("》", "") in title.replace("〈", "").replace("〉", "").replace("《", "").replace("》", "")
                   for c in cits), (title, [c.law.title for c in cits])


def test_law_text_headings_stop_the_carry_over():
    text = "第一条 依照《中华人民共和国刑法》第二条处理。\n第三条 依照第四条规定"
    assert pins(text) == [P(CL, 2)]


def test_self_reference_in_a_law_text():
    text = "# 中华人民共和国民事诉讼法\n\n第一条 依照《中华人民共和国刑法》第二条。本法第三条规定"
    assert pins(text) == [P(CL, 2), P(CPL, 3)]


def test_quotation_of_several_paragraphs():
    # the standard layout reopens “ at each quoted paragraph and closes only the last one
    paras = "".join(f"“依照本法第{i}条。\n" for i in range(1, 80))
    text = "《中华人民共和国刑法》第一条修改为：" + paras + "”"
    assert [p[1] for p in pins(text)] == [1] + list(range(1, 80))
    assert {p[0] for p in pins(text)} == {CL}


def test_unclosed_brackets_lose_no_citation():
    text = "".join(f"依照民法典第{i + 500}条：“欠款。\n" for i in range(80))
    assert [c.article for c in extract(text)] == [i + 500 for i in range(80)]


def test_contract_clause_breaks_the_chain():
    text = "依照《中华人民共和国合同法》第一百零七条，合同第三条约定的违约金"
    assert pins(text) == [P(CONTRACT, 107)]


def test_case_number_tail_is_not_an_article():
    cits = extract("四川省双流县人民法院作出（2011）双流刑初字第544号刑事判决")
    assert [(c.kind, c.surface, c.court, c.case_type, c.serial) for c in cits] == [
        ("case_number", "（2011）双流刑初字第544号", "双流", "刑初", 544)]


@pytest.mark.parametrize("text,court,ctype,serial,canonical", [
    ("（2021）最高法民终123号", "最高法", "民终", 123, "（2021）最高法民终123号"),
    ("(2019)京01民初123号", "京01", "民初", 123, "（2019）京01民初123号"),
    ("〔2019〕最高法民申1号", "最高法", "民申", 1, "（2019）最高法民申1号"),
    ("（2008）二中民终字第00453号", "二中", "民终", 453, "（2008）二中民终字第00453号"),
])
def test_case_numbers(text, court, ctype, serial, canonical):
    [c] = extract(text)
    assert (c.court, c.case_type, c.serial, c.text) == (court, ctype, serial, canonical)


def test_unknown_interpretation_title_is_judicial():
    [c] = extract("《关于办理醉酒危险驾驶刑事案件的意见》第一条")
    assert c.kind == "judicial_interpretation" and not c.law.resolved


def test_guiding_cases():
    cits = extract("指导性案例251号至253号，指导案例13号，第24号指导性案例，检例第40号")
    assert [(c.surface, c.number, c.number_end, c.issuer) for c in cits] == [
        ("指导性案例251号至253号", 251, 253, "最高人民法院"), ("指导案例13号", 13, None, "最高人民法院"),
        ("第24号指导性案例", 24, None, "最高人民法院"), ("检例第40号", 40, None, "最高人民检察院")]


def test_kinds_and_unknown_titles_kept():
    cits = extract("《北京市物业管理条例》第十条、《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》第十四条")
    assert [(c.kind, c.law.title, c.law.resolved) for c in cits] == [
        ("statute", "北京市物业管理条例", False),
        ("judicial_interpretation", "最高人民法院关于审理民间借贷案件适用法律若干问题的规定", True)]


def test_surfaces_of_compressed_list_are_shared():
    text = "《最高人民法院关于审理工伤保险行政案件若干问题的规定》（法释（2014）9号）第八条第二、第三款规定"
    cits = extract(text)
    assert [c.surface for c in cits] == ["第八条第二、第三款", "第八条第二、第三款"]
    assert [c.paragraph for c in cits] == [2, 3]


def test_title_offsets_point_into_original():
    text = "依照《中\n华人民共和国刑法》第一条"
    c = extract(text)[0]
    assert text[c.law.start:c.law.end] == c.law.written == "《中\n华人民共和国刑法》"


def test_bad_input():
    with pytest.raises(TypeError, match="str"):
        extract(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="str"):
        extract(b"\xe5\x88\x91\xe6\xb3\x95")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="as_of"):
        extract("刑法第一条", as_of="2020-01-01")  # type: ignore[arg-type]
    assert extract("") == []
    assert extract("刑法第一条", as_of=date(2020, 1, 1))


def test_long_lists_are_complete():
    # a 1 000-member list of pinpoints: every member found, in order (speed is measured in benchmarks/)
    text = "依照《中华人民共和国刑法》" + "、".join(f"第{i}条" for i in range(1, 1001))
    cits = extract(text)
    assert [c.article for c in cits] == list(range(1, 1001))


def test_round_trip_json():
    cits = extract("《最高人民法院关于执行和解若干问题的规定》（法释[2018]3号，2020年修正）第1条、第8条；（2021）最高法民终123号；指导性案例24号")
    data = citex.CITATION_ADAPTER.dump_json(cits)
    assert citex.CITATION_ADAPTER.validate_json(data) == cits


def test_list_broken_over_lines_is_not_a_heading():
    text = "依照《中华人民共和国刑法》\n第二百六十四条、\n第二百六十五条\n的规定"
    assert [c.article for c in extract(text)] == [264, 265]


def test_a_law_texts_own_title_line_cites_nothing():
    text = "# 最高人民法院关于适用《中华人民共和国民法典》有关担保制度的解释\n\n第一条 本解释第二条规定的，依照民法典第三条"
    cits = extract(text)
    assert [(c.law.title, c.article) for c in cits] == [
        ("最高人民法院关于适用《中华人民共和国民法典》有关担保制度的解释", 2), ("中华人民共和国民法典", 3)]


@pytest.mark.parametrize("text,title,article", [
    ("根据最高人民法院关于适用《中华人民共和国公司法》若干问题的规定（三）第二十四条的规定",
     "最高人民法院关于适用《中华人民共和国公司法》若干问题的规定（三）", 24),
    ("依照最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释第九十条",
     "最高人民法院关于适用《中华人民共和国民事诉讼法》的解释", 90),
])
def test_interpretation_written_without_outer_marks(text, title, article):
    # the 《》/〈〉 inside is the inner title: the citation is of the interpretation, not of that law
    [c] = extract(text)
    assert (c.kind, c.law.title, c.article) == ("judicial_interpretation", title, article)
    assert text[c.law.start:c.law.end] == c.law.written


@pytest.mark.parametrize("text,label", [
    ("依照原合同法第五十二条", "原"),
    ("2017年修正的民事诉讼法第二百三十六条", "2017年修正"),
    ("2012年民事诉讼法第六十四条", "2012年"),
    ("修正前的民事诉讼法第六十四条", "修正前"),
])
def test_version_before_a_bare_name(text, label):
    [c] = extract(text)
    assert c.version.label == label and text[c.version.start:c.version.end] == c.version.raw


def test_every_record_key_is_declared_once_with_its_type():
    text = ("《最高人民法院关于执行和解若干问题的规定》（法释〔2018〕3号，2020年修正）第1条至第3条之一；"
            "（2021）最高法民终123号；指导性案例24号")
    names = [name for name, _ in citex.RECORD_FIELDS]
    assert len(names) == len(set(names))
    for c in extract(text):
        assert set(c.to_record()) <= set(names), set(c.to_record()) - set(names)
