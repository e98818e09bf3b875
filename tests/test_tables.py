"""Correspondence tables: parser and aligner on synthetic texts, real pins on ../shared/laws, drift."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from citex.tables import (
    MANIFEST,
    Row,
    align,
    app,
    build_table,
    decision_rows,
    load_manifest,
    parse_articles,
    parse_decision,
    parse_label,
    parse_text,
    read_tsv,
    regenerate,
    table_drift,
    write_tsv,
)

REPO = Path(__file__).resolve().parent.parent
LAWS = REPO.parent / "shared" / "laws"
CORR = REPO / "data" / "correspondence"


def laws_path(*parts: str) -> Path:
    p = LAWS.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"../shared/laws not found: {p} (the law texts are only in the project workspace and CI)")
    return p


# ---------------------------------------------------------------------------
# synthetic texts
# ---------------------------------------------------------------------------

OLD = """# 中华人民共和国示例法

2000年1月1日　第九届全国人民代表大会常务委员会第一次会议通过

2005年6月1日 第十届全国人民代表大会常务委员会第五次会议《关于修改〈中华人民共和国示例法〉的决定》修正

<!-- INFO END -->

## 第一编 总 则

### 第一章　一般规定

第一条　为了规范示例活动，保护当事人的合法权益，维护社会经济秩序，制定本法。

第二条 在中华人民共和国境内从事示例活动，适用本法。

第三条 示例机构的设立应当向所在地县级人民政府登记机关申请登记，登记机关应当自受理申请之日起二十日内作出决定。示例机构的名称、住所和业务范围发生变化的，应当办理变更登记并向社会公告。

#### 第一节 内部管理

第四条 示例机构应当建立健全内部财务管理制度和档案保管制度。

第五条 示例机构应当每年向主管部门书面报告内部制度的执行情况。

第六条 国家鼓励高等院校开展示例理论研究，培养专门人才，推动国际交流与合作。

第七条 任何单位和个人发现违法示例活动的，有权向有关部门举报，有关部门应当为举报人保密。

第八条 违反本法规定，未经登记从事示例活动的，由登记机关责令停止违法行为，没收违法所得，并处一万元以上五万元以下的罚款。

第九条 本法自2001年1月1日起施行。

附件一

示例机构登记事项目录（略）
"""

NEW = """# 中华人民共和国示例法

2000年1月1日 第九届全国人民代表大会常务委员会第一次会议通过

2020年6月1日 第十三届全国人民代表大会常务委员会第二十次会议修订

<!-- INFO END -->

## 第一编 总 则

### 第一章 一般规定

第一条 为了规范示例活动，保护当事人的合法权益，维护社会经济秩序，制定本法。

第二条 在中华人民共和国境内从事示例活动，适用本法。

第三条 示例机构的设立应当向所在地县级人民政府登记机关申请登记，登记机关应当自受理申请之日起二十日内作出决定。

第四条 示例机构的名称、住所和业务范围发生变化的，应当办理变更登记并向社会公告。

第五条 示例机构应当建立健全内部财务管理制度和档案保管制度，并每年向主管部门书面报告内部制度的执行情况。

第六条 任何单位和个人发现违法示例活动的，有权向有关部门举报，有关部门应当为举报人保密。

第六条之一　网络平台为示例活动提供服务的，应当核验经营者的登记信息，并保存相关记录不少于三年。

第七条 违反本法规定，未经登记从事示例活动的，由登记机关责令停止违法行为，没收违法所得，并处二万元以上十万元以下的罚款。

第八条 本法自2001年1月1日起施行。
"""


@pytest.fixture()
def texts(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    return old, new


def rows_by_key(rows: list[Row]) -> dict[str, Row]:
    return {r.key: r for r in rows}


def test_parser_structure(texts):
    old, new = texts
    arts = parse_articles(old)
    assert [a.label for a in arts] == [str(k) for k in range(1, 10)]
    first = arts[0]
    assert first.number == 1 and first.suffix is None
    assert first.text.startswith("为了规范示例活动")  # full-width space after the heading
    assert "第一章" not in "".join(a.text for a in arts)  # headings are not article text
    assert arts[-1].text == "本法自2001年1月1日起施行。"  # the annex after the last article is dropped
    new_arts = parse_articles(new)
    assert [a.label for a in new_arts][-3:] == ["6之一", "7", "8"]
    assert new_arts[6].suffix == 1 and new_arts[6].key == (6, 1)


def test_parser_quirks():
    text = (
        "# 某法\n\n2001年1月1日 通过\n\n<!-- INFO END -->\n\n"
        "第一百二十七条 侦查人员应当依法进行勘验。\n\n"
        "第一百二十八 条侦查人员对于与犯罪有关的场所应当进行勘验或者检查。\n\n"
        "第一百二十九条　被害人死因不明的，公安机关有权决定解剖尸体，\n"
        "第五十二条 以及本法其他规定，并且通知死者家属到场。\n\n"  # a wrapped line, not a heading
        "第一百三十条的规定适用于搜查。\n\n"  # a cross-reference starting a line
        "附 则\n\n"
        "第一百三十条之二 本法自公布之日起施行。\n"
    )
    arts = parse_text(text)
    assert [a.label for a in arts] == ["127", "128", "129", "130之二"]
    assert arts[1].text.startswith("侦查人员对于")
    assert "第五十二条 以及" in arts[2].text and "第一百三十条的规定" in arts[2].text
    assert "附 则" not in arts[2].text
    assert parse_label("120之一") == (120, 1) and parse_label("第二百三十六条") == (236, None)


def test_parse_several_files_concatenated(tmp_path):
    a = tmp_path / "a.md"
    b = tmp_path / "b.md"
    a.write_text("# 法\n\n# 第一编\n\n<!-- INFO END -->\n\n第一条 甲乙丙丁戊己庚辛。\n\n第二条 子丑寅卯辰巳午未。\n", encoding="utf-8")
    b.write_text("# 法\n\n# 第二编\n\n<!-- INFO END -->\n\n第三条 天地玄黄宇宙洪荒。\n", encoding="utf-8")
    assert [x.label for x in parse_articles([b, a])] == ["1", "2", "3"]
    with pytest.raises(ValueError):
        parse_articles(a, a)


def test_align_relations(texts):
    old, new = texts
    rows = align(parse_articles(old), parse_articles(new))
    by = rows_by_key(rows)
    assert (by["1"].relation, by["1"].to_articles) == ("same", ["1"])
    assert (by["2"].relation, by["2"].to_articles) == ("same", ["2"])
    assert (by["3"].relation, by["3"].to_articles) == ("split", ["3", "4"])
    assert (by["4"].relation, by["4"].to_articles) == ("merged", ["5"])
    assert (by["5"].relation, by["5"].to_articles) == ("merged", ["5"])
    assert (by["6"].relation, by["6"].to_articles) == ("deleted", [])
    assert (by["7"].relation, by["7"].to_articles) == ("renumbered", ["6"])
    assert (by["8"].relation, by["8"].to_articles) == ("amended", ["7"])
    assert 0.8 < by["8"].similarity < 1
    assert (by["9"].relation, by["9"].to_articles) == ("renumbered", ["8"])
    assert by["+6之一"].relation == "new" and by["+6之一"].from_article == ""
    # every new article is accounted for exactly once, new rows follow their predecessor
    assert [r.key for r in rows].index("+6之一") == [r.key for r in rows].index("7") + 1


def test_align_is_whitespace_and_punctuation_insensitive():
    a = parse_text("第一条 当事人应当遵循诚信原则，秉持诚实，恪守承诺。\n")
    b = parse_text("第一条　当事人应当遵循诚信原则 秉持诚实；恪守承诺\n")
    assert align(a, b)[0].relation == "same"


def test_align_tolerates_one_character_variant():
    old = parse_text(
        "第一条 对其中一人的诉讼行为，经其他共同诉讼人承认，对其他共同诉讼的发生效力。\n"
        "第二条 当事人有权委托代理人，提出回避申请，收集、提供证据，进行辩论。\n"
    )
    new = parse_text(
        "第一条 对其中一人的诉讼行为，经其他共同诉讼人承认，对其他共同诉讼人发生效力。\n"
        "第二条 当事人有权委托代理人，提出回避申请，收集、提供证据，进行辩论。\n"
    )
    row = align(old, new)[0]
    assert row.to_articles == ["1"] and row.relation == "amended" and "1 character differ" in row.note


def test_succession_rows(texts):
    old, new = texts
    rows = align(parse_articles(old), parse_articles(new), kind="succession")
    assert all(r.from_article for r in rows)  # new-side articles are not listed
    by = rows_by_key(rows)
    assert by["7"].relation == "moved" and "identical" in by["7"].note
    assert by["8"].relation == "moved" and "amended" in by["8"].note


def test_pinned_rows_win(texts):
    old, new = texts
    pinned = [Row("6", ["6之一"], "amended", 0.1, True, "reviewer says so")]
    by = rows_by_key(align(parse_articles(old), parse_articles(new), pinned=pinned))
    assert by["6"] == pinned[0]
    assert "+6之一" not in by  # the pinned target is no longer new


def test_decision_statements(tmp_path):
    d = tmp_path / "decision.md"
    d.write_text(
        "# 关于修改《示例规则》的决定\n\n"
        "一、将第一条修改为：\n\n“为了规范示例活动，制定本规则。”\n\n"
        "二、删除第二条。\n\n"
        "三、将第三条改为第二条，修改为：“示例机构应当依法登记。”\n\n"
        "四、将第四条、第五条合并，改为第三条。\n\n"
        "五、删除第十九条第二款。\n\n"
        "六、第六条至第八条相应改为第四条至第六条。\n\n"
        "七、条文顺序作相应调整。\n",
        encoding="utf-8",
    )
    statements, reorder = parse_decision(d)
    got = [(s.kind, s.old, s.new) for s in statements]
    assert ("amend", ["1"], []) in got
    assert ("delete", ["2"], []) in got
    assert ("renumber", ["3"], ["2"]) in got
    assert ("merge", ["4", "5"], ["3"]) in got
    assert ("renumber", ["8"], ["6"]) in got
    assert not any(s.kind == "delete" and s.old == ["19"] for s in statements)  # a paragraph, not an article
    assert reorder


def test_decision_rows_follow_deletions(tmp_path):
    old = parse_text("".join(f"第{n}条 第{n}号规定的内容是关于事项{n}的详细安排和要求。\n" for n in "一二三四"))
    new = parse_text("".join(f"第{n}条 第{m}号规定的内容是关于事项{m}的详细安排和要求。\n" for n, m in zip("一二三", "一三四")))
    d = tmp_path / "d.md"
    d.write_text("1.删除第二条。\n\n2.将第四条修改为：\n\n“……”\n\n3.条文顺序作相应调整。\n", encoding="utf-8")
    rows = {r.from_article: r for r in decision_rows(*parse_decision(d), old, new, "test decision")}
    assert rows["2"].relation == "deleted"
    assert rows["4"].to_articles == ["3"] and "stated by test decision" in rows["4"].note


def test_tsv_roundtrip_and_cli_build(texts, tmp_path):
    old, new = texts
    out = tmp_path / "t.tsv"
    r = CliRunner().invoke(app, ["build", str(old), "--to", str(new), "--out", str(out)])
    assert r.exit_code == 0, r.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "from_article\tto_articles\trelation\tsimilarity\treviewed\tnote"
    rows = read_tsv(out)
    assert any(x.relation == "split" and x.to_articles == ["3", "4"] for x in rows)
    # a reviewed row survives a rebuild, the rest is rebuilt
    rows = [Row("6", ["6之一"], "amended", 0.2, True, "checked by hand") if x.key == "6" else x for x in rows]
    write_tsv(rows, out)
    r = CliRunner().invoke(app, ["build", str(old), "--to", str(new), "--out", str(out)])
    assert r.exit_code == 0, r.output
    rebuilt = rows_by_key(read_tsv(out))
    assert rebuilt["6"].reviewed and rebuilt["6"].note == "checked by hand"
    assert table_drift(rows, list(rebuilt.values())) is not None  # the new row for 6之一 is gone


def test_import_has_no_side_effects():
    import importlib

    import citex.tables as t

    before = sorted(p.name for p in CORR.rglob("*"))
    importlib.reload(t)
    assert sorted(p.name for p in CORR.rglob("*")) == before


# ---------------------------------------------------------------------------
# real texts (../shared/laws)
# ---------------------------------------------------------------------------


def manifest_entry(file: str) -> dict:
    for e in load_manifest()["tables"]:
        if e["file"] == file:
            return e
    raise KeyError(file)


def aligned(file: str) -> dict[str, Row]:
    """The aligner's own output for a manifest table (no reviewed rows), and the committed table."""
    e = manifest_entry(file)
    laws_path(e["from"]["paths"][0])
    rows = build_table(
        [LAWS / p for p in e["from"]["paths"]], [LAWS / p for p in e["to"]["paths"]], kind=e["kind"]
    )
    return rows_by_key(rows)


def committed(file: str) -> dict[str, Row]:
    return rows_by_key(read_tsv(CORR / file))


MSL = "民事诉讼法/"


@pytest.mark.parametrize(
    "file,old,new",
    [
        (MSL + "2021年修正__2023年修正.tsv", "231", ["235"]),
        (MSL + "2017年修正__2021年修正.tsv", "236", ["243"]),
        (MSL + "2021年修正__2023年修正.tsv", "243", ["247"]),
        ("合同法/1999年通过__民法典2020年通过.tsv", "107", ["577"]),
        ("合同法/1999年通过__民法典2020年通过.tsv", "114", ["585"]),
        ("侵权责任法/2009年通过__民法典2020年通过.tsv", "6", ["1165"]),
        ("刑事诉讼法/2012年修正__2018年修正.tsv", "50", ["52"]),  # 不得强迫任何人证实自己有罪
        ("刑事诉讼法/2012年修正__2018年修正.tsv", "54", ["56"]),  # 非法证据排除
    ],
)
def test_real_pins(file, old, new):
    assert aligned(file)[old].to_articles == new
    assert committed(file)[old].to_articles == new


def test_real_pin_relations():
    assert aligned(MSL + "2017年修正__2021年修正.tsv")["236"].relation == "renumbered"
    assert aligned("刑事诉讼法/2012年修正__2018年修正.tsv")["50"].relation == "renumbered"
    assert aligned("合同法/1999年通过__民法典2020年通过.tsv")["107"].relation == "moved"


def test_civil_procedure_2012_2017_share_numbering():
    rows = aligned(MSL + "2012年修正__2017年修正.tsv")
    assert all(r.from_article and r.to_articles == [r.from_article] for r in rows.values())
    assert {k for k, r in rows.items() if r.relation != "same"} == {"55"}


def test_manifest_covers_required_tables():
    laws_path("versions")
    files = {e["file"] for e in load_manifest()["tables"]}
    for f in [
        MSL + "1991年通过__2007年修正.tsv", MSL + "2007年修正__2012年修正.tsv", MSL + "2012年修正__2017年修正.tsv",
        MSL + "2017年修正__2021年修正.tsv", MSL + "2021年修正__2023年修正.tsv",
        "刑事诉讼法/2012年修正__2018年修正.tsv", "行政诉讼法/2014年修正__2017年修正.tsv",
        "刑法/2020年修正__2023年修正.tsv", "公司法/2018年修正__2023年修订.tsv",
    ]:
        assert f in files
    successions = {e["from"]["title"] for e in load_manifest()["tables"] if e["kind"] == "succession"}
    for short in ["合同法", "侵权责任法", "物权法", "担保法", "民法通则", "民法总则", "婚姻法", "继承法", "收养法",
                  "环境保护法", "大气污染防治法", "海洋环境保护法"]:
        assert "中华人民共和国" + short in successions
    for e in load_manifest()["tables"]:
        assert (CORR / e["file"]).is_file(), e["file"]
        for side in ("from", "to"):
            assert all((LAWS / p).is_file() for p in e[side]["paths"]), e["file"]


def test_no_drift(tmp_path):
    """Rebuild every table into a temp dir; unreviewed rows must equal the committed ones."""
    laws_path("versions")
    t0 = time.perf_counter()
    assert regenerate(LAWS, MANIFEST, out_dir=tmp_path, jobs=2) == []
    elapsed = time.perf_counter() - t0
    drifted = []
    for e in load_manifest()["tables"]:
        d = table_drift(read_tsv(CORR / e["file"]), read_tsv(tmp_path / e["file"]), e["file"])
        if d:
            drifted.append(d)
    assert not drifted, "\n".join(drifted[:5]) + "\nrun: python -m citex.tables regenerate --laws ../shared/laws"
    assert elapsed < 120, f"regeneration took {elapsed:.0f}s"
