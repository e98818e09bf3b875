"""Real passages from ../shared/eval as regression tests, scored with the project's scorer."""
import io
import json
import runpy
import sys
from contextlib import redirect_stdout

import pytest

import citex
from conftest import shared_path


def _predictions(gold):
    return {g["id"]: [c.to_record() for c in citex.extract(g["text"])] for g in gold}


def test_dev_set_f1(gold_dev, tmp_path):
    scorer = shared_path("tools", "score_extract.py")
    pred = tmp_path / "pred.jsonl"
    with pred.open("w", encoding="utf-8") as f:
        for gid, recs in _predictions(gold_dev).items():
            f.write(json.dumps({"id": gid, "citations": recs}, ensure_ascii=False) + "\n")
    argv = sys.argv
    sys.argv = [str(scorer), str(shared_path("eval", "gold-dev.jsonl")), str(pred), "--min-f1", "0.95"]
    out = io.StringIO()
    try:
        with redirect_stdout(out), pytest.raises(SystemExit) as exc:
            runpy.run_path(str(scorer), run_name="__main__")
    finally:
        sys.argv = argv
    report = out.getvalue()
    assert exc.value.code == 0, report
    overall = [l for l in report.splitlines() if l.startswith("overall")][0]
    assert float(overall.rsplit("F1=", 1)[1]) >= 0.95, report


def test_every_passage_keeps_offsets(gold_dev):
    for g in gold_dev:
        for c in citex.extract(g["text"]):
            assert g["text"][c.start:c.end] == c.surface, g["id"]


def test_declared_non_citations_are_not_extracted(gold_dev):
    for g in gold_dev:
        spans = [(c.start, c.end) for c in citex.extract(g["text"]) if c.kind in ("statute", "judicial_interpretation")]
        for non in g.get("non_citations", []):
            assert not any(s < non["end"] and non["start"] < e for s, e in spans), (g["id"], non)


def test_whole_interpretation_document():
    path = shared_path("eval", "docs", "ji_full_text_civil_code_guarantee_2020.md")
    text = path.read_text(encoding="utf-8")
    cits = citex.extract(text)
    # its own 71 article headings are not citations; its references to the Civil Code are
    assert not any(c.surface.startswith("第一条") and c.law and c.law.title is None for c in cits)
    civil = [c for c in cits if c.law and c.law.title == "中华人民共和国民法典" and c.article]
    assert len(civil) >= 15
    assert all(text[c.start:c.end] == c.surface for c in cits)
