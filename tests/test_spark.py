"""citex.spark: schema of the flat record, and Spark local mode equal to citex.extract on real passages."""
from __future__ import annotations

import os
import shutil
import sys

import pytest

import citex
from citex.models import RECORD_KEYS
from citex.spark import RECORD_FIELDS, pandas_available, records

_PY = {"string": str, "int": int, "boolean": bool}
_SAMPLES = ["依照《中华人民共和国刑法》第二百六十四条之一第一款第（二）项", "参照指导性案例24号、检例第40号",
            "（2021）最高法民终123号判决", "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》（法释〔2015〕5号）第一条",
            "2012年修正的《中华人民共和国民事诉讼法》第二百三十六条", ""]


def _expected(text):
    return [{name: rec.get(name) for name, _ in RECORD_FIELDS} for rec in (c.to_record() for c in citex.extract(text))]


def test_record_fields_cover_every_record_key_with_the_right_type(gold_dev):
    names = [n for n, _ in RECORD_FIELDS]
    assert tuple(names[: len(RECORD_KEYS)]) == RECORD_KEYS and len(set(names)) == len(names)
    kinds = set()
    for text in _SAMPLES + [r["text"] for r in gold_dev]:
        for c in citex.extract(text):
            rec = c.to_record()
            kinds.add(rec["kind"])
            assert set(rec) <= set(names), set(rec) - set(names)
            for name, typ in RECORD_FIELDS:
                v = rec.get(name)
                assert v is None or type(v) is _PY[typ], (name, v)
    assert kinds == {"statute", "judicial_interpretation", "guiding_case", "case_number"}


def test_records_shape():
    assert records(None) is None
    assert records("") == []
    (row,) = records("依照刑法第一条")
    assert len(row) == len(RECORD_FIELDS) and row[:3] == ("statute", 4, 7)
    with pytest.raises(TypeError):
        records(42)


# ----------------------------------------------------------------------------- Spark

def _java_missing() -> bool:
    home = os.environ.get("JAVA_HOME")
    return not (shutil.which("java") or (home and os.path.exists(os.path.join(home, "bin", "java"))))


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'citex[spark]')")
    if _java_missing():
        pytest.skip("no Java runtime (java not on PATH, no JAVA_HOME): Spark local mode needs a JDK 17+")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # executors import citex from this interpreter
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("citex-tests")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _frame(spark, gold_dev):
    rows = [(r["id"], r["text"]) for r in gold_dev] + [(f"sample{i}", t) for i, t in enumerate(_SAMPLES)]
    rows.append(("null", None))
    return spark.createDataFrame(rows, "id string, text string").repartition(3), dict(rows)


def _check(out, texts):
    got = {r["id"]: r["citations"] for r in (row.asDict(recursive=True) for row in out.select("id", "citations").collect())}
    assert got.keys() == texts.keys()
    for rid, text in texts.items():
        assert got[rid] == (None if text is None else _expected(text)), rid
    assert sum(len(v or []) for v in got.values()) > 100


def test_schema(spark):
    from pyspark.sql import types as T

    from citex.spark import citations_type

    struct = citations_type().elementType
    assert [f.name for f in struct.fields] == [n for n, _ in RECORD_FIELDS]
    assert all(f.nullable for f in struct.fields)
    assert struct["article"].dataType == T.IntegerType() and struct["law_resolved"].dataType == T.BooleanType()


def test_row_udf_equals_extract(spark, gold_dev):
    from citex.spark import extract_column

    df, texts = _frame(spark, gold_dev)
    out = extract_column(df, "text", "citations", vectorized=False)
    assert out.schema["citations"].dataType.simpleString().startswith("array<struct<kind:string,start:int,end:int")
    _check(out, texts)


def test_pandas_udf_equals_extract(spark, gold_dev):
    if not pandas_available():
        pytest.skip("pandas and pyarrow are not installed: pandas UDFs need them (pip install 'citex[spark]')")
    from citex.spark import extract_column

    df, texts = _frame(spark, gold_dev)
    _check(extract_column(df, "text", "citations", vectorized=True), texts)


def test_extract_column_errors(spark):
    from citex.spark import citations_udf, extract_column

    df = spark.createDataFrame([(1, "刑法第一条")], "n int, text string")
    with pytest.raises(ValueError, match="no column 'body'"):
        extract_column(df, "body")
    with pytest.raises(ValueError, match="not string"):
        extract_column(df, "n")
    with pytest.raises(TypeError, match="as_of"):
        citations_udf(as_of="2020-01-01")
    if not pandas_available():
        with pytest.raises(ImportError, match="pandas and pyarrow"):
            citations_udf(vectorized=True)


def test_docs_scale_spark_example_runs(spark):
    """The python block of docs/scale.md (its own assert checks the values)."""
    import re

    from conftest import REPO

    block = re.findall(r"```python\n(.*?)```", (REPO / "docs" / "scale.md").read_text(encoding="utf-8"), re.S)[0]
    exec(compile(block, "docs/scale.md", "exec"), {})
