"""Spark local-mode throughput of citex.spark.extract_column. Prints figures; asserts nothing.

Usage: python benchmarks/bench_spark.py [--shared ../shared] [--master local[2]] [--sample-mb 20]

1. the evaluation passages (SHARED/eval/*.jsonl), repeated to 2,000 rows;
2. a larger sample: current law texts (SHARED/laws/current/**, one row per file) up to SAMPLE_MB.
For each, the row-at-a-time UDF and (when pandas and pyarrow are installed) the pandas UDF; the
input is cached and counted first, so the figure is extraction (plus Spark/Python transfer).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--sample-mb", type=float, default=20.0)
    a = ap.parse_args()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession, functions as F

    from citex.spark import extract_column, pandas_available

    passages = [json.loads(l)["text"] for p in sorted((a.shared / "eval").glob("*.jsonl"))
                for l in p.read_text(encoding="utf-8").splitlines() if l.strip()]
    laws, size = [], 0
    for p in sorted((a.shared / "laws" / "current").rglob("*.md")):
        if not p.name.startswith("_") and size < a.sample_mb * 1e6:
            laws.append(p.read_text(encoding="utf-8"))
            size += len(laws[-1].encode("utf-8"))
    sets = {"eval passages x2000 rows": (passages * (2000 // len(passages) + 1))[:2000], "law texts": laws}

    t = time.perf_counter()
    spark = (SparkSession.builder.master(a.master).appName("citex-bench").config("spark.ui.enabled", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    print(f"Spark {spark.version} {a.master}: session in {time.perf_counter() - t:.1f} s; "
          f"pandas UDF {'available' if pandas_available() else 'unavailable (no pandas/pyarrow)'}")
    flavours = [False] + ([True] if pandas_available() else [])
    for name, texts in sets.items():
        mb = sum(len(x.encode("utf-8")) for x in texts) / 1e6
        df = spark.createDataFrame([(i, x) for i, x in enumerate(texts)], "id int, text string").repartition(4).cache()
        df.count()
        for vec in flavours:
            out = extract_column(df, "text", "citations", vectorized=vec)
            t = time.perf_counter()
            n = out.select(F.sum(F.size("citations"))).first()[0]
            dt = time.perf_counter() - t
            print(f"{name}: {len(texts):,} rows, {mb:.1f} MB, {'pandas' if vec else 'row'} UDF: {dt:.1f} s -> "
                  f"{len(texts) / dt:,.0f} docs/s, {mb / dt:.2f} MB/s, {n:,} citations")
        df.unpersist()
    spark.stop()


if __name__ == "__main__":
    main()
