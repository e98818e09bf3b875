"""How many citation edges fall inside spaCy tokens, by Chinese segmenter, with and without
``citex.spacy_component.add_law_titles_to_jieba()``, on the real passages of ../shared/eval.

An *edge* is a citation's start or end offset (``str`` index); it falls inside a token when it is not
a token boundary of the segmented doc (the component then widens the span to whole tokens; the exact
offsets stay on ``span._.citation``). Counted twice: for the citation spans themselves (pinpoints
第…条, titles, case numbers) and for the law-title mentions they carry (``law.start``/``law.end``:
《…》, 刑法, 民诉法 …), which is what the jieba helper is about.

    .venv/bin/python benchmarks/bench_spacy_edges.py [GOLD.jsonl ...]

Needs ``citex[spacy]``. jieba's dictionary is changed for the process by the helper, so the run
"without" comes first.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import spacy

from citex import extract
from citex.spacy_component import add_law_titles_to_jieba

REPO = Path(__file__).resolve().parent.parent
DEFAULT = [REPO.parent / "shared" / "eval" / "gold-dev.jsonl", REPO.parent / "shared" / "eval" / "docs"]


def load_texts(paths: list[Path]) -> list[str]:
    texts = []
    for p in paths:
        if p.is_dir():
            texts += [f.read_text(encoding="utf-8") for f in sorted(p.iterdir()) if f.is_file()]
        elif p.suffix == ".jsonl":
            texts += [json.loads(l)["text"] for l in p.read_text(encoding="utf-8").splitlines() if l.strip()]
        elif p.exists():
            texts.append(p.read_text(encoding="utf-8"))
    return texts


def count(nlp, texts: list[str]) -> dict[str, int]:
    n = {"citations": 0, "cit_edges_inside": 0, "cit_with_inside_edge": 0,
         "titles": 0, "title_edges_inside": 0, "titles_split": 0}
    for text in texts:
        doc = nlp(text)
        bounds = {t.idx for t in doc} | {t.idx + len(t) for t in doc}
        titles = set()
        for c in extract(text):
            n["citations"] += 1
            inside = (c.start not in bounds) + (c.end not in bounds)
            n["cit_edges_inside"] += inside
            n["cit_with_inside_edge"] += bool(inside)
            law = getattr(c, "law", None)
            if law is not None and law.start is not None:
                titles.add((law.start, law.end))
        for s, e in titles:
            n["titles"] += 1
            inside = (s not in bounds) + (e not in bounds)
            n["title_edges_inside"] += inside
            # a title mention that is not one token (ignoring 《》): the segmenter broke the name
            toks = [t for t in doc if t.idx < e and t.idx + len(t) > s and t.text not in "《》〈〉"]
            n["titles_split"] += len(toks) > 1
    return n


def main(argv: list[str]) -> None:
    paths = [Path(a) for a in argv] or DEFAULT
    texts = load_texts(paths)
    print(f"{len(texts)} texts, {sum(map(len, texts))} characters, from {', '.join(map(str, paths))}")
    rows = []
    char = spacy.blank("zh")
    rows.append(("char", count(char, texts)))
    jieba_nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    rows.append(("jieba", count(jieba_nlp, texts)))
    t0 = time.perf_counter()
    added = add_law_titles_to_jieba()
    dt = time.perf_counter() - t0
    rows.append(("jieba + law titles", count(jieba_nlp, texts)))
    print(f"add_law_titles_to_jieba(): {added} names added in {dt:.2f} s")
    print(f"{'segmenter':<20} {'citations':>9} {'edges inside':>12} {'cits affected':>13} "
          f"{'titles':>7} {'title edges inside':>18} {'titles split':>12}")
    for name, n in rows:
        print(f"{name:<20} {n['citations']:>9} {n['cit_edges_inside']:>12} {n['cit_with_inside_edge']:>13} "
              f"{n['titles']:>7} {n['title_edges_inside']:>18} {n['titles_split']:>12}")


if __name__ == "__main__":
    main(sys.argv[1:])
