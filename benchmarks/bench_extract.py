"""Throughput of citex.extract, single process. Prints figures; asserts nothing.

Usage: python benchmarks/bench_extract.py [--laws ../shared/laws] [--big-mb 20]

1. every current law text under LAWS/current, one extract() call per file;
2. one document of BIG_MB MB (those texts concatenated), one extract() call;
3. the floor: a bare re.finditer for 第…条 over the same text;
4. linearity on pathological inputs (long 、 lists, unmatched 《, 第 runs) at 1/4, 1/2 and 1 MB.
"""
from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import citex

FLOOR = re.compile(r"第[零〇一二两三四五六七八九十百千0-9]+条")


def mb(s: str) -> float:
    return len(s.encode("utf-8")) / 1e6


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--laws", default=str(Path(__file__).resolve().parents[2] / "shared" / "laws"))
    ap.add_argument("--big-mb", type=float, default=20.0)
    a = ap.parse_args()
    files = sorted(Path(a.laws, "current").rglob("*.md"))
    texts = [p.read_text(encoding="utf-8") for p in files if not p.name.startswith("_")]
    citex.extract("刑法第一条")  # warm caches
    size = sum(mb(t) for t in texts)
    n, secs = 0, 0.0
    for t in texts:
        cits, dt = timed(lambda t=t: citex.extract(t))
        n += len(cits)
        secs += dt
    print(f"law texts: {len(texts)} files, {size:.1f} MB, {secs:.2f} s -> {size / secs:.2f} MB/s, "
          f"{n} citations, {n / secs:,.0f} citations/s")
    joined = "\n\n".join(texts)
    big = (joined * (int(a.big_mb / mb(joined)) + 1))
    big = big[: int(len(big) * a.big_mb / mb(big))]
    cits, dt = timed(lambda: citex.extract(big))
    print(f"one document: {mb(big):.1f} MB, {dt:.2f} s -> {mb(big) / dt:.2f} MB/s, {len(cits)} citations, {len(cits) / dt:,.0f} citations/s")
    hits, dt_floor = timed(lambda: sum(1 for _ in FLOOR.finditer(big)))
    print(f"floor (bare re.finditer 第…条): {dt_floor:.2f} s -> {mb(big) / dt_floor:.2f} MB/s, {hits} matches")
    print("linearity (seconds at 1/4, 1/2, 1 MB; linear = doubling):")
    for name, unit in [("、-list of pinpoints", "第1条、"), ("unmatched 《", "《"), ("第 run", "第"), ("compressed-list run", "第1、")]:
        row = []
        for frac in (0.25, 0.5, 1.0):
            reps = int(frac * 1e6 / len(unit.encode()))
            text = "依照《中华人民共和国刑法》" + unit * reps + "第二条"
            _, dt = timed(lambda: citex.extract(text))
            row.append(dt)
        print(f"  {name:22s} " + "  ".join(f"{x:6.2f}" for x in row))


if __name__ == "__main__":
    main()
