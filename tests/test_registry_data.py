"""Checks on the generated law registry (data/laws/registry.jsonl) and data/laws/succession.yaml.

The registry is built by tools/build_registry.py from ../shared/laws; when that folder is at
hand, the last test re-runs the builder and requires the committed file byte for byte.
"""
from __future__ import annotations

import datetime as dt
import glob
import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
REGISTRY = REPO / "data" / "laws" / "registry.jsonl"
SUCCESSION = REPO / "data" / "laws" / "succession.yaml"
SHARED_LAWS = REPO.parent / "shared" / "laws"

KEYS = ["title", "kind", "issuer", "category", "doc_numbers", "status", "repealed_on",
        "current_articles", "versions", "sources"]
VERSION_KEYS = ["label", "adopted", "effective", "effective_source", "articles", "inserted", "text"]
KINDS = {"constitution", "law", "amendment", "legislative_interpretation", "decision",
         "administrative_regulation", "judicial_interpretation", "departmental_rule",
         "local_regulation", "other"}
STATUSES = {"in_force", "repealed", "unknown"}
LABEL_RE = re.compile(r"^(\d{4})年(修正|修订|修改|通过|公布)$")
DOC_NO_RE = re.compile(r"^[^\s〔〕\[\]［］]+〔(\d{4})〕([1-9]\d*)号$")
INSERTED_RE = re.compile(r"^([1-9]\d*)之([一二三四五六七八九十]+)$")


def is_date(s) -> bool:
    if not isinstance(s, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        return False
    try:
        dt.date.fromisoformat(s)
    except ValueError:
        return False
    return True


@pytest.fixture(scope="module")
def raw() -> bytes:
    return REGISTRY.read_bytes()


@pytest.fixture(scope="module")
def records(raw) -> list[dict]:
    return [json.loads(line) for line in raw.decode("utf-8").splitlines()]


@pytest.fixture(scope="module")
def by_title(records) -> dict[str, dict]:
    return {r["title"]: r for r in records}


@pytest.fixture(scope="module")
def succession() -> list[dict]:
    return yaml.safe_load(SUCCESSION.read_text(encoding="utf-8"))


def test_file_format(raw):
    text = raw.decode("utf-8")
    assert text.endswith("\n") and "\r" not in text
    assert "\\u" not in text, "written with ensure_ascii=False"
    for n, line in enumerate(text.splitlines(), 1):
        assert line.startswith("{") and line.endswith("}"), f"line {n}"


def test_record_schema(records):
    assert len(records) > 1000
    for r in records:
        where = r.get("title")
        assert list(r) == KEYS, where
        assert isinstance(r["title"], str) and r["title"] and not re.search(r"\s", r["title"]), where
        assert "〈" not in r["title"] and "<" not in r["title"], where
        assert r["kind"] in KINDS, where
        assert r["issuer"] is None or (isinstance(r["issuer"], str) and r["issuer"]), where
        assert r["category"] is None or isinstance(r["category"], str), where
        assert r["doc_numbers"] == sorted(set(r["doc_numbers"]), key=r["doc_numbers"].index), where
        for d in r["doc_numbers"]:
            assert DOC_NO_RE.match(d), (where, d)
        assert r["status"] in STATUSES, where
        assert r["repealed_on"] is None or is_date(r["repealed_on"]), where
        if r["status"] != "repealed":
            assert r["repealed_on"] is None, where
        assert r["current_articles"] is None or (isinstance(r["current_articles"], int) and r["current_articles"] > 0), where
        assert isinstance(r["sources"], list) and r["sources"], where
        assert all(isinstance(s, str) and s for s in r["sources"]), where


def test_version_schema(records):
    for r in records:
        where = r["title"]
        adopted = []
        for v in r["versions"]:
            assert list(v) == VERSION_KEYS, where
            m = LABEL_RE.match(v["label"])
            assert m, (where, v["label"])
            assert is_date(v["adopted"]), (where, v)
            assert m.group(1) == v["adopted"][:4], (where, v)
            assert v["effective"] is None or is_date(v["effective"]), (where, v)
            # a date always says where it comes from
            assert (v["effective"] is None) == (v["effective_source"] is None), (where, v)
            if v["effective_source"] is not None:
                assert isinstance(v["effective_source"], str) and v["effective_source"], (where, v)
            if v["text"] is None:
                assert v["articles"] is None and v["inserted"] == [], (where, v)
            else:
                assert isinstance(v["text"], str) and v["text"].startswith(("current/", "versions/")), (where, v)
                assert v["text"].endswith(".md"), (where, v)
                assert isinstance(v["articles"], int) and v["articles"] >= 0, (where, v)
            for tag in v["inserted"]:
                assert INSERTED_RE.match(tag), (where, tag)
            adopted.append(v["adopted"])
        assert adopted == sorted(adopted), f"{where}: versions oldest first"
        assert len(adopted) == len(set(adopted)), f"{where}: one version per adoption date"
        with_text = [v for v in r["versions"] if v["text"]]
        if not with_text or not with_text[-1]["articles"]:
            continue
        assert r["current_articles"] is not None, where


def test_titles_unique_and_sorted(records):
    titles = [r["title"] for r in records]
    assert len(titles) == len(set(titles))
    assert titles == sorted(titles)


def test_no_junk(by_title):
    assert "劳动仲裁和劳动诉讼的攻略" not in by_title
    assert not any(t.startswith("_index") for t in by_title)


def test_civil_procedure_law(by_title):
    r = by_title["中华人民共和国民事诉讼法"]
    assert r["kind"] == "law" and r["status"] == "in_force"
    assert r["issuer"] == "全国人民代表大会"
    assert r["category"] == "诉讼与非诉讼程序法"
    years = [v["adopted"][:4] for v in r["versions"]]
    assert years == ["1991", "2007", "2012", "2017", "2021", "2023"]
    assert [v["label"] for v in r["versions"]] == [
        "1991年通过", "2007年修正", "2012年修正", "2017年修正", "2021年修正", "2023年修正"]
    last = r["versions"][-1]
    assert last["adopted"] == "2023-09-01"
    assert last["effective"] == "2024-01-01"  # the amendment decision, not the index's 2023-09-01
    assert last["effective_source"].startswith("amendment decision")
    assert last["articles"] == 306 and r["current_articles"] == 306
    assert all(v["text"] for v in r["versions"])


def test_civil_code_is_one_law(by_title):
    r = by_title["中华人民共和国民法典"]
    assert r["current_articles"] == 1260
    assert len(r["versions"]) == 1
    v = r["versions"][0]
    assert v["articles"] == 1260 and v["effective"] == "2021-01-01"
    assert not any(t.startswith("中华人民共和国民法典") and t != "中华人民共和国民法典" for t in by_title)


def test_contract_law_repealed_by_civil_code(by_title, succession):
    r = by_title["中华人民共和国合同法"]
    assert r["status"] == "repealed" and r["repealed_on"] == "2021-01-01"
    e = [e for e in succession if e["from"] == "中华人民共和国合同法"]
    assert len(e) == 1 and e[0]["to"] == ["中华人民共和国民法典"]
    assert str(e[0]["effective"]) == "2021-01-01"


def test_civil_code_and_environment_code_successions(by_title, succession):
    civil = {e["from"] for e in succession if e["to"] == ["中华人民共和国民法典"]}
    assert civil == {f"中华人民共和国{t}" for t in (
        "婚姻法", "继承法", "民法通则", "收养法", "担保法", "合同法", "物权法", "侵权责任法", "民法总则")}
    eco = [e for e in succession if e["to"] == ["中华人民共和国生态环境法典"]]
    assert len(eco) == 10
    for e in eco:
        assert str(e["effective"]) == "2026-08-15"
        assert by_title[e["from"]]["status"] == "repealed"
        assert by_title[e["from"]]["repealed_on"] == "2026-08-15"


def test_succession_entries(by_title, succession):
    assert isinstance(succession, list) and succession
    seen = set()
    for e in succession:
        assert set(e) <= {"from", "to", "effective", "source", "from_doc_numbers", "from_version"}, e
        assert isinstance(e["source"], str) and e["source"].strip(), e
        assert isinstance(e["to"], list) and e["to"], e
        assert isinstance(e["effective"], dt.date), e
        assert e["from"] in by_title, e["from"]
        for t in e["to"]:
            assert t in by_title, t
        for d in e.get("from_doc_numbers") or []:
            assert DOC_NO_RE.match(d) and d in by_title[e["from"]]["doc_numbers"], (e["from"], d)
        if e.get("from_version"):
            assert e["to"] == [e["from"]], e  # a re-enactment under the same title
            continue
        assert e["from"] not in e["to"], e
        assert e["from"] not in seen, f"{e['from']} repealed twice"
        seen.add(e["from"])
        r = by_title[e["from"]]
        assert r["status"] == "repealed" and r["repealed_on"] == e["effective"].isoformat(), e["from"]


def test_amendment_dates_over_database_fields(by_title):
    crim = by_title["中华人民共和国刑法"]
    eff = {v["adopted"]: v["effective"] for v in crim["versions"]}
    assert eff["2020-12-26"] == "2021-03-01"  # 刑法修正案（十一）: 本修正案自2021年3月1日起施行
    assert eff["1997-03-14"] == "1997-10-01"
    assert "120之一" in crim["versions"][-1]["inserted"]
    spl = by_title["最高人民法院关于适用《中华人民共和国民事诉讼法》的解释"]
    assert "法释〔2015〕5号" in spl["doc_numbers"]
    assert [v["label"] for v in spl["versions"]] == ["2014年通过", "2020年修正", "2022年修正"]


def test_versions_after_the_snapshot_are_known(by_title):
    # revised after the 2026-06-03 snapshot: the registry says so instead of calling the old text current
    tm = by_title["中华人民共和国商标法"]
    assert tm["versions"][-1]["adopted"] == "2026-06-26" and tm["versions"][-1]["text"] is None


def _shared_laws() -> Path:
    if not (SHARED_LAWS / "MANIFEST.tsv").exists():
        pytest.skip(f"../shared not found: {SHARED_LAWS} (the registry is checked against its sources only there)")
    return SHARED_LAWS


def test_text_paths_exist():
    laws = _shared_laws()
    for line in REGISTRY.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        for v in r["versions"]:
            if v["text"]:
                assert glob.glob(str(laws / v["text"])), (r["title"], v["text"])
        for s in r["sources"]:
            if s.startswith(("current/", "versions/")):
                assert (laws / s).exists(), (r["title"], s)


def test_builder_reproduces_registry(tmp_path):
    laws = _shared_laws()
    spec = importlib.util.spec_from_file_location("build_registry", REPO / "tools" / "build_registry.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    try:
        spec.loader.exec_module(mod)
    finally:
        sys.modules.pop(spec.name, None)
    out = tmp_path / "registry.jsonl"
    assert mod.main(["--laws", str(laws), "--out", str(out), "--succession", str(SUCCESSION)]) == 0
    assert out.read_bytes() == REGISTRY.read_bytes(), "re-run tools/build_registry.py and commit data/laws/registry.jsonl"
