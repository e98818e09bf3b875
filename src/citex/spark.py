"""Spark: the citations of a string column, as ``array<struct<…>>`` of flat records.

    from citex.spark import extract_column
    df = extract_column(spark.read.json("corpus.jsonl"), "text", "citations")

Each struct is ``Citation.to_record()`` (``citex extract --jsonl``) with the fields of
:data:`RECORD_FIELDS`: first :data:`citex.models.RECORD_KEYS`, then the extra keys of the four
kinds (pinpoint and title details of statutes / interpretations, guiding-case and case-number
fields). Integers are ``int`` (offsets are ``str`` indices, end exclusive, as in ``citex.extract``),
``law_resolved`` is ``boolean``, everything else ``string``; every field is nullable (null when a
kind does not have it). A null text gives a null array; a text without citations an empty one.

Two UDF flavours give the same values: a pandas (Arrow, vectorized) UDF, which needs ``pandas``
and ``pyarrow`` (``pip install citex[spark]``), and a row-at-a-time Python UDF that needs only
pyspark. ``vectorized=None`` picks the pandas UDF when both are importable. Executors must be able
to import citex (see docs/scale.md for spark-submit recipes).

pyspark is imported lazily: importing this module without it works, calling the functions raises
``ImportError`` naming the extra to install.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from citex.extract import extract
from citex.models import RECORD_FIELDS

__all__ = ["RECORD_FIELDS", "records", "citation_struct", "citations_type", "citations_udf", "extract_column",
           "pandas_available"]

_NAMES = tuple(name for name, _ in RECORD_FIELDS)


def _check_as_of(as_of: Any) -> None:
    if as_of is not None and not isinstance(as_of, date):
        raise TypeError(f"as_of must be a datetime.date or None, not {type(as_of).__name__}")


def records(text: str | None, as_of: date | None = None) -> list[tuple] | None:
    """The struct values of one text: one tuple per citation, fields in :data:`RECORD_FIELDS` order
    (absent → None). ``None`` for a null text. Raises ``TypeError`` for a value that is not a str."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise TypeError(f"citations of a string column: got {type(text).__name__}")
    out = []
    for c in extract(text, as_of=as_of):
        rec = c.to_record()
        out.append(tuple(rec.get(name) for name in _NAMES))
    return out


def _pyspark_types():
    try:
        from pyspark.sql import types as T
    except ImportError as exc:
        raise ImportError("citex.spark needs pyspark: pip install 'citex[spark]'") from exc
    return T


def pandas_available() -> bool:
    """True when pandas and pyarrow (needed by pandas UDFs) can be imported."""
    try:
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def citation_struct():
    """The ``StructType`` of one citation record (see :data:`RECORD_FIELDS`), all fields nullable."""
    T = _pyspark_types()
    kinds = {"string": T.StringType(), "int": T.IntegerType(), "boolean": T.BooleanType()}
    return T.StructType([T.StructField(name, kinds[kind], nullable=True) for name, kind in RECORD_FIELDS])


def citations_type():
    """``ArrayType(citation_struct())``: the type of the column the UDF returns."""
    T = _pyspark_types()
    return T.ArrayType(citation_struct(), containsNull=False)


def citations_udf(as_of: date | None = None, *, vectorized: bool | None = None):
    """A UDF: string column → ``array<struct<RECORD_FIELDS>>``, the citations of each row's text
    (``citex.extract(text, as_of=as_of)``).

    ``vectorized``: True → pandas UDF (needs pandas + pyarrow, else ``ImportError``); False →
    row-at-a-time Python UDF; None → pandas UDF when available. An extraction error on a row fails
    the task with the Python traceback (Spark's usual behaviour); ``TypeError`` when ``as_of`` is
    not a date.
    """
    _check_as_of(as_of)
    _pyspark_types()
    from pyspark.sql import functions as F

    rtype = citations_type()
    if vectorized is None:
        vectorized = pandas_available()
    if vectorized:
        if not pandas_available():
            raise ImportError("a pandas UDF needs pandas and pyarrow: pip install 'citex[spark]' "
                              "(or pass vectorized=False for a plain Python UDF)")
        import pandas as pd

        def _extract_series(texts):
            return pd.Series([records(t if isinstance(t, str) else None, as_of) for t in texts], dtype=object)

        # real classes, not strings (this module has postponed annotations and pd is local)
        _extract_series.__annotations__ = {"texts": pd.Series, "return": pd.Series}

        return F.pandas_udf(_extract_series, rtype)

    def _extract_one(text):
        return records(text, as_of)

    try:
        return F.udf(_extract_one, rtype, useArrow=False)
    except TypeError:  # pyspark < 3.5 has no useArrow
        return F.udf(_extract_one, rtype)


def extract_column(df, text_col: str = "text", out_col: str = "citations", *, as_of: date | None = None,
                   vectorized: bool | None = None):
    """``df`` with a new (or replaced) column ``out_col``: the citations of the string column
    ``text_col`` (see :func:`citations_udf`). Lazy, like every DataFrame transformation.

    Raises ``ValueError`` when ``text_col`` is not a column of ``df`` or not a string column,
    ``TypeError`` for a bad ``as_of`` or column name.
    """
    T = _pyspark_types()
    if not isinstance(text_col, str) or not isinstance(out_col, str):
        raise TypeError("text_col and out_col must be column names (str)")
    fields = {f.name: f for f in df.schema.fields}
    if text_col not in fields:
        raise ValueError(f"no column {text_col!r} in the DataFrame (columns: {sorted(fields)})")
    if not isinstance(fields[text_col].dataType, T.StringType):
        raise ValueError(f"column {text_col!r} is {fields[text_col].dataType.simpleString()}, not string")
    return df.withColumn(out_col, citations_udf(as_of, vectorized=vectorized)(df[text_col]))
