"""Corpus throughput of `citex extract CORPUS.jsonl --jsonl --jobs N`. Prints figures; asserts nothing.

Usage: python benchmarks/bench_corpus.py [--shared ../shared] [--mb 200] [--jobs 1 2] [--out /tmp/...]

Builds a JSONL corpus of at least MB megabytes (UTF-8) in /tmp from the current law texts
(SHARED/laws/current/**, one record per file) and the evaluation passages (SHARED/eval/*.jsonl),
repeated until big enough; then runs the CLI on it once per --jobs value, output to /dev/null,
and prints docs/s, MB/s and the peak resident memory (sum over the process tree, sampled every
0.1 s from /proc, and the largest single process), with the CPU seconds used (on a shared machine
wall-clock speed-up depends on what else runs: the load average is printed too). Run it twice with different --mb to see that
memory does not grow with the corpus.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"


def build_corpus(shared: Path, mb: float, out: Path) -> tuple[int, int]:
    """Write the corpus (if not already there with the right size); returns (docs, bytes)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((shared / "laws" / "current").rglob("*.md"))
             if not p.name.startswith("_")]
    for p in sorted((shared / "eval").glob("*.jsonl")):
        texts += [json.loads(l)["text"] for l in p.read_text(encoding="utf-8").splitlines() if l.strip()]
    lines = [json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts)]
    one = sum(len(l.encode("utf-8")) for l in lines)
    copies = int(mb * 1e6 // one) + 1
    docs, size = copies * len(lines), copies * one
    if out.exists() and out.stat().st_size == size:
        return docs, size
    with out.open("w", encoding="utf-8") as f:
        for k in range(copies):
            for i, t in enumerate(texts):
                f.write(json.dumps({"id": f"{k}-{i}", "text": t}, ensure_ascii=False) + "\n")
    return docs, out.stat().st_size


def _tree_rss_kb(pid: int) -> tuple[int, int]:
    """(sum, max) VmRSS in kB over pid and its descendants."""
    total = biggest = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    kb = int(line.split()[1])
                    total += kb
                    biggest = max(biggest, kb)
            for task in Path(f"/proc/{p}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total, biggest


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run(corpus: Path, jobs: int) -> tuple[float, float, int, int, int]:
    """(seconds, CPU seconds of the process tree, peak tree RSS kB, peak single-process RSS kB, exit code)."""
    cpu0 = _children_cpu()
    cmd = [sys.executable, "-m", "citex.cli", "extract", str(corpus), "--jsonl", "--jobs", str(jobs)]
    t = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        proc = subprocess.Popen(cmd, stdout=devnull, stderr=subprocess.PIPE)
        peak_sum = peak_one = 0
        while proc.poll() is None:
            s, b = _tree_rss_kb(proc.pid)
            peak_sum, peak_one = max(peak_sum, s), max(peak_one, b)
            time.sleep(0.1)
    secs = time.perf_counter() - t
    err = proc.stderr.read().decode()
    if proc.returncode:
        print(err[-2000:], file=sys.stderr)
    return secs, _children_cpu() - cpu0, peak_sum, peak_one, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--mb", type=float, default=200.0)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--out", type=Path, default=None)
    a = ap.parse_args()
    out = a.out or Path(f"/tmp/citex-bench-corpus-{int(a.mb)}mb.jsonl")
    t = time.perf_counter()
    docs, size = build_corpus(a.shared, a.mb, out)
    print(f"corpus: {out} {docs:,} docs, {size / 1e6:.1f} MB (built in {time.perf_counter() - t:.1f} s); "
          f"{os.cpu_count()} CPUs")
    for jobs in a.jobs:
        secs, cpu, peak_sum, peak_one, rc = run(out, jobs)
        print(f"--jobs {jobs}: {secs:7.1f} s  {docs / secs:8,.0f} docs/s  {size / 1e6 / secs:6.2f} MB/s  "
              f"(CPU {cpu:.0f} s, {size / 1e6 / cpu:.2f} MB per CPU-second, load average now {os.getloadavg()[0]:.1f})  "
              f"peak RSS {peak_sum / 1024:6.0f} MB total, {peak_one / 1024:5.0f} MB largest process  (exit {rc})")


if __name__ == "__main__":
    main()
