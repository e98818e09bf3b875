"""Standoff exports (citex.export, ``citex export``): JSONL, Label Studio tasks + config, DocBin."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from citex import extract
from citex.cli import app
from citex.export import KINDS, label_studio_config, to_docbin, to_jsonl_record, to_label_studio
from conftest import REPO

runner = CliRunner()

# --- Label Studio pre-annotation task: a JSON Schema written from Label Studio's documentation ---
# "Import pre-annotated data into Label Studio" (labelstud.io/guide/predictions): a task is a
# ``data`` object (keys read by the labeling config's $variables) and a ``predictions`` list; each
# prediction has ``model_version`` (string), optional ``score`` (number) and a ``result`` list of
# regions {id, from_name, to_name, type, value}; for a Labels control over a Text object,
# type = "labels" and value = {start, end, text, labels: [label ...]} with character offsets.
REGION = {
    "type": "object",
    "required": ["id", "from_name", "to_name", "type", "value"],
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "from_name": {"type": "string", "minLength": 1},
        "to_name": {"type": "string", "minLength": 1},
        "type": {"const": "labels"},
        "value": {
            "type": "object",
            "required": ["start", "end", "text", "labels"],
            "additionalProperties": False,
            "properties": {
                "start": {"type": "integer", "minimum": 0},
                "end": {"type": "integer", "minimum": 1},
                "text": {"type": "string", "minLength": 1},
                "labels": {"type": "array", "minItems": 1, "items": {"enum": list(KINDS)}},
            },
        },
    },
}
TASK_SCHEMA = {
    "type": "object",
    "required": ["data", "predictions"],
    "additionalProperties": False,
    "properties": {
        "data": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}},
        "predictions": {
            "type": "array", "minItems": 1,
            "items": {
                "type": "object",
                "required": ["model_version", "result"],
                "properties": {
                    "model_version": {"type": "string", "minLength": 1},
                    "score": {"type": "number"},
                    "result": {"type": "array", "items": REGION},
                },
            },
        },
    },
}

_TYPES = {"object": dict, "array": list, "string": str, "number": (int, float)}


def schema_errors(value, schema, path="$") -> list[str]:
    """The JSON Schema keywords used above (``jsonschema`` is not a dependency of citex)."""
    errs = []
    t = schema.get("type")
    if t == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            return [f"{path}: not an integer"]
    elif t and not isinstance(value, _TYPES[t]) or t and isinstance(value, bool):
        return [f"{path}: not {t}"]
    if "const" in schema and value != schema["const"]:
        errs.append(f"{path}: {value!r} != {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errs.append(f"{path}: {value!r} not in {schema['enum']}")
    if "minimum" in schema and value < schema["minimum"]:
        errs.append(f"{path}: {value} < {schema['minimum']}")
    if "minLength" in schema and len(value) < schema["minLength"]:
        errs.append(f"{path}: shorter than {schema['minLength']}")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        errs.append(f"{path}: does not match {schema['pattern']}")
    if isinstance(value, dict):
        errs += [f"{path}: missing {k!r}" for k in schema.get("required", []) if k not in value]
        props = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            errs += [f"{path}: unexpected {k!r}" for k in value if k not in props]
        for k, sub in props.items():
            if k in value:
                errs += schema_errors(value[k], sub, f"{path}.{k}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errs.append(f"{path}: fewer than {schema['minItems']} items")
        for i, item in enumerate(value):
            errs += schema_errors(item, schema.get("items", {}), f"{path}[{i}]")
    return errs


def check_task(task: dict, config_xml: str) -> None:
    """Schema + what the schema cannot say: regions point at their text, and match the config."""
    assert schema_errors(task, TASK_SCHEMA) == []
    root = ET.fromstring(config_xml)
    labels_tag, text_tag = root.find("Labels"), root.find("Text")
    allowed = {lab.get("value") for lab in labels_tag.findall("Label")}
    data_key = text_tag.get("value").lstrip("$")
    text = task["data"][data_key]
    ids = [r["id"] for r in task["predictions"][0]["result"]]
    assert len(ids) == len(set(ids))
    for r in task["predictions"][0]["result"]:
        v = r["value"]
        assert r["from_name"] == labels_tag.get("name") and r["to_name"] == text_tag.get("name") == labels_tag.get("toName")
        assert v["start"] < v["end"] <= len(text) and text[v["start"]:v["end"]] == v["text"]
        assert set(v["labels"]) <= allowed


def test_the_schema_check_can_fail():
    good = to_label_studio("刑法第一条", extract("刑法第一条"))
    check_task(good, label_studio_config())
    bad = json.loads(json.dumps(good))
    bad["predictions"][0]["result"][0]["type"] = "choices"
    del bad["predictions"][0]["result"][0]["value"]["labels"]
    bad["predictions"][0]["result"][0]["value"]["start"] = -1
    errs = schema_errors(bad, TASK_SCHEMA)
    assert len(errs) == 3, errs
    shifted = json.loads(json.dumps(good))
    shifted["predictions"][0]["result"][0]["value"]["start"] += 1
    with pytest.raises(AssertionError):
        check_task(shifted, label_studio_config())
    with pytest.raises(AssertionError):
        check_task(good, label_studio_config(["case_number"]))


def test_label_studio_tasks_for_every_eval_passage(gold_dev):
    config = label_studio_config()
    regions = 0
    for rec in gold_dev:
        cits = extract(rec["text"])
        task = to_label_studio(rec["text"], cits, data={"doc_id": rec["id"]})
        check_task(task, config)
        result = task["predictions"][0]["result"]
        assert [(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]) for r in result] == \
               [(c.start, c.end, c.kind) for c in cits]
        assert task["data"]["doc_id"] == rec["id"]
        assert json.loads(json.dumps(task, ensure_ascii=False)) == task
        assert re.fullmatch(r"citex-\d+\.\d+\.\d+.*", task["predictions"][0]["model_version"])
        regions += len(result)
    assert regions > 100


def test_label_studio_offsets_are_code_points_past_astral_characters():
    text = "𠀀𠀁某依照刑法第一条"  # two CJK Extension B characters (two UTF-16 units each) first
    task = to_label_studio(text, extract(text))
    (r,) = task["predictions"][0]["result"]
    # Python str indices (code points), what current Label Studio stores; UTF-16 would give 9-12
    assert (r["value"]["start"], r["value"]["end"], r["value"]["text"]) == (7, 10, "第一条")


def test_label_studio_names_records_and_version():
    text = "依照民诉法第一百条"
    recs = [c.to_record() for c in extract(text)]
    task = to_label_studio(text, recs, from_name="cite", to_name="doc", model_version="m1")
    check_task(task, label_studio_config(from_name="cite", to_name="doc"))
    assert task["predictions"][0]["model_version"] == "m1"


@pytest.mark.parametrize("args, error, match", [
    (("刑法第一条", [{"kind": "statute", "start": 0, "end": 3, "surface": "刑法"}]), ValueError, "not its surface"),
    (("刑法第一条", [{"kind": "statute", "start": 2, "end": 9}]), ValueError, "within the text"),
    (("刑法第一条", [{"kind": "law", "start": 2, "end": 5}]), ValueError, "unknown kind"),
    (("刑法第一条", [{"start": 2, "end": 5}]), ValueError, "lacks 'kind'"),
    (("刑法第一条", [object()]), TypeError, "Citation or a record"),
    ((b"bytes", []), TypeError, "text must be a str"),
    (("刑法第一条", {"kind": "statute"}), TypeError, "list of citations"),
])
def test_label_studio_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        to_label_studio(*args)


def test_label_studio_rejects_citations_of_another_text():
    with pytest.raises(ValueError, match="another text"):
        to_label_studio("民诉法第一百条是其他内容", extract("依照民诉法第一百条"))
    with pytest.raises(ValueError, match="may not contain 'text'"):
        to_label_studio("刑法第一条", [], data={"text": "x"})


def test_label_studio_config():
    xml = label_studio_config(["statute", "case_number"], from_name='a"b', to_name="t")
    root = ET.fromstring(xml)
    assert root.tag == "View"
    assert root.find("Labels").get("name") == 'a"b' and root.find("Labels").get("toName") == "t"
    assert [l.get("value") for l in root.find("Labels")] == ["statute", "case_number"]
    assert root.find("Text").attrib == {"name": "t", "value": "$text"}
    for bad in (["statute", "statute"], [], ["law"]):
        with pytest.raises(ValueError, match="distinct kinds"):
            label_studio_config(bad)


def test_jsonl_record(gold_dev):
    rec = gold_dev[0]
    out = to_jsonl_record(rec["text"], extract(rec["text"]), id=rec["id"])
    assert out["id"] == rec["id"] and out["text"] == rec["text"]
    assert out["citations"] == [c.to_record() for c in extract(rec["text"])]
    for c in out["citations"]:
        assert rec["text"][c["start"]:c["end"]] == c["surface"]
    with pytest.raises(TypeError, match="citex Citation"):
        to_jsonl_record("刑法第一条", [{"kind": "statute", "start": 2, "end": 5}])


# --- DocBin (needs the spacy extra) ----------------------------------------------------------

def test_to_docbin_texts_and_docs(gold_dev):
    spacy = pytest.importorskip("spacy", reason="spaCy is an extra: pip install 'citex[spacy]'")
    from spacy.tokens import DocBin
    from citex.spacy_component import citations_from_doc

    texts = [r["text"] for r in gold_dev]
    nlp = spacy.blank("zh")
    items = texts[:10] + [nlp(t) for t in texts[10:]]
    db = to_docbin(items, kinds=["statute", "case_number"])
    back = list(DocBin().from_bytes(db.to_bytes()).get_docs(nlp.vocab))
    assert [d.text for d in back] == texts
    for doc in back:
        want = [c for c in extract(doc.text) if c.kind in ("statute", "case_number")]
        assert citations_from_doc(doc) == want == [s._.citation for s in doc.spans["citations"]]
    with pytest.raises(TypeError, match="item #1"):
        to_docbin(["刑法第一条", 3])


def test_to_docbin_keeps_a_docs_own_citations():
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    nlp = spacy.blank("zh")
    nlp.add_pipe("citex", config={"kinds": ["case_number"]})
    doc = nlp("刑法第一条，（2021）最高法民终1号")
    back = next(DocBin().from_bytes(to_docbin([doc], nlp=nlp).to_bytes()).get_docs(nlp.vocab))
    assert [s.label_ for s in back.spans["citations"]] == ["case_number"]  # not recomputed with all kinds


# --- the command ------------------------------------------------------------------------------

def test_cli_jsonl_corpus_with_fields_and_bad_lines(tmp_path, gold_dev):
    corpus = tmp_path / "c.jsonl"
    lines = [json.dumps({"doc": r["id"], "body": r["text"]}, ensure_ascii=False) for r in gold_dev[:5]]
    corpus.write_text("\n".join(lines[:2] + ["{oops"] + lines[2:]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = runner.invoke(app, ["export", "--format", "jsonl", str(corpus), "--text-field", "body", "--id-field", "doc",
                            "-o", str(out)])
    assert r.exit_code == 2 and f"{corpus}:3: invalid JSON" in r.stderr
    got = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert [g["id"] for g in got] == [x["id"] for x in gold_dev[:5]]
    for g in got:
        assert g["citations"] == [c.to_record() for c in extract(g["text"])]


def test_cli_labelstudio_from_stdin_and_config(tmp_path, gold_dev):
    cfg = tmp_path / "config.xml"
    text = gold_dev[0]["text"]
    r = runner.invoke(app, ["export", "-f", "labelstudio", "--label-config", str(cfg)], input=text)
    assert r.exit_code == 0, r.stderr
    tasks = json.loads(r.stdout)
    assert isinstance(tasks, list) and len(tasks) == 1 and tasks[0]["data"]["doc_id"] == "-"
    check_task(tasks[0], cfg.read_text(encoding="utf-8"))
    assert len(tasks[0]["predictions"][0]["result"]) == len(extract(text)) > 0


def test_cli_labelstudio_kinds_and_many_files(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("依照刑法第一条，（2021）最高法民终1号", encoding="utf-8")
    b.write_text("无引用", encoding="utf-8")
    r = runner.invoke(app, ["export", "-f", "labelstudio", "--kind", "case_number", str(a), str(b)])
    tasks = json.loads(r.stdout)
    assert [t["data"]["doc_id"] for t in tasks] == [str(a), str(b)]
    assert [x["value"]["labels"] for x in tasks[0]["predictions"][0]["result"]] == [["case_number"]]
    assert tasks[1]["predictions"][0]["result"] == []


def test_cli_usage_errors(tmp_path):
    r = runner.invoke(app, ["export", "-f", "docbin"], input="刑法第一条")
    assert r.exit_code == 2 and "-o" in r.output
    r = runner.invoke(app, ["export", "-f", "jsonl", "--kind", "law"], input="刑法第一条")
    assert r.exit_code == 2 and "unknown kind" in r.output
    r = runner.invoke(app, ["export", "-f", "jsonl", "--label-config", str(tmp_path / "x.xml")], input="x")
    assert r.exit_code == 2 and "labelstudio" in r.output
    r = runner.invoke(app, ["export", "-f", "jsonl", str(tmp_path / "missing.txt")])
    assert r.exit_code == 1 and "cannot read" in r.stderr


def test_cli_docbin(tmp_path, gold_dev):
    spacy = pytest.importorskip("spacy", reason="spaCy is an extra: pip install 'citex[spacy]'")
    from spacy.tokens import DocBin
    from citex.spacy_component import citations_from_doc

    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n"
                              for r in gold_dev[:6]), encoding="utf-8")
    out = tmp_path / "c.spacy"
    r = runner.invoke(app, ["export", "-f", "docbin", str(corpus), "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("zh").vocab))
    assert [d.user_data["doc_id"] for d in docs] == [x["id"] for x in gold_dev[:6]]
    for d in docs:
        assert citations_from_doc(d) == extract(d.text)


# --- the documentation's example runs --------------------------------------------------------

def test_docs_example_runs(tmp_path, monkeypatch):
    md = (REPO / "docs" / "exports.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", md, flags=re.S)
    assert blocks, "docs/exports.md has no ```python block"
    monkeypatch.chdir(tmp_path)
    exec(compile(blocks[0], "docs/exports.md", "exec"), {})
    assert (tmp_path / "tasks.json").exists() and (tmp_path / "config.xml").exists()
    if len(blocks) > 1:  # the DocBin example
        pytest.importorskip("spacy", reason="the DocBin example needs the spacy extra")
        exec(compile(blocks[1], "docs/exports.md", "exec"), {})
        assert (tmp_path / "corpus.spacy").exists()
