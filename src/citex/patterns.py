"""Load the grammar's data files (``data/patterns/*.yaml``) and compile the master token regex.

Everything the tokenizer matches is data: ``tokens.yaml`` holds named regex fragments and token
patterns with their examples, ``lexicon.yaml`` the word lists (connectors, anaphors, issuers…).
Files are validated when this module is imported; a bad file raises :class:`PatternDataError`
naming its path and line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from citex._data import data_dir

__all__ = ["PatternDataError", "TokenPattern", "Grammar", "load_grammar", "GRAMMAR"]

_PLACEHOLDER = re.compile(r"\{(lex:)?([A-Za-z_][A-Za-z0-9_]*)\}")
_GROUP = re.compile(r"\(\?P<([A-Za-z_][A-Za-z0-9_]*)>")


class PatternDataError(ValueError):
    """A data file under ``data/`` is malformed. The message starts with ``path:line:``."""


class _Str(str):
    line: int


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping and string (1-based)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


def _construct_str(loader: _LineLoader, node: yaml.ScalarNode) -> _Str:
    s = _Str(loader.construct_scalar(node))
    s.line = node.start_mark.line + 1
    return s


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG, _construct_str)


def load_yaml(path: Path) -> Any:
    """Parse a YAML data file, keeping line numbers (``__line__`` on mappings, ``.line`` on strings).

    Raises :class:`PatternDataError` ``path:line: message`` on a YAML syntax error or a missing file.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PatternDataError(f"{path}:0: cannot read data file: {exc}") from exc
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise PatternDataError(f"{path}:{line}: invalid YAML: {exc}") from exc


def _line(obj: Any, default: int = 0) -> int:
    if isinstance(obj, dict):
        return obj.get("__line__", default)
    return getattr(obj, "line", default)


@dataclass(frozen=True)
class TokenPattern:
    """One token of the grammar: its name, expanded regex, field names and examples."""

    name: str
    regex: str
    fields: tuple[str, ...]
    examples: tuple[str, ...]
    non_examples: tuple[str, ...]
    line: int
    starts: str = ""
    extend_left: tuple[str, ...] = ()
    reject_left: str = ""


@dataclass
class Grammar:
    """The compiled grammar data: token patterns, the master regex, and the lexicon."""

    tokens: list[TokenPattern]
    lexicon: dict[str, Any]
    source: dict[str, Path] = field(default_factory=dict)
    fragments: dict[str, str] = field(default_factory=dict)

    @cached_property
    def master(self) -> re.Pattern[str]:
        """One regex with each token as a named alternative ``(?P<name>...)``, in file order."""
        parts = []
        for tok in self.tokens:
            parts.append(f"(?P<{tok.name}>{_prefix_groups(tok.regex, tok.name)})")
        return re.compile("|".join(parts))

    @cached_property
    def starts(self) -> str:
        """Every character a token can begin with (union of the tokens' ``starts``)."""
        return "".join(sorted({c for t in self.tokens for c in t.starts}))

    def compiled(self, name: str) -> re.Pattern[str]:
        """The regex of one token on its own (used by the data tests)."""
        for tok in self.tokens:
            if tok.name == name:
                return re.compile(tok.regex)
        raise KeyError(name)

    def lex(self, name: str) -> Any:
        """A lexicon entry by name (list, mapping or string)."""
        return self.lexicon[name]


def _prefix_groups(regex: str, token: str) -> str:
    return _GROUP.sub(lambda m: f"(?P<{token}__{m.group(1)}>", regex)


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _clean(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items() if k != "__line__"}
    if isinstance(obj, list):
        return [_clean(v) for v in obj]
    if isinstance(obj, _Str):
        return str(obj)
    return obj


def _load_lexicon(path: Path) -> dict[str, Any]:
    raw = load_yaml(path)
    if not isinstance(raw, dict):
        raise PatternDataError(f"{path}:1: expected a mapping of lexicon entries")
    for key, value in raw.items():
        if key == "__line__":
            continue
        items = value.keys() if isinstance(value, dict) else value if isinstance(value, list) else [value]
        for item in items:
            if item == "__line__":
                continue
            if not isinstance(item, str) or not item:
                raise PatternDataError(f"{path}:{_line(value, _line(raw))}: lexicon entry {key!r} has an empty or non-string item {item!r}")
        if isinstance(value, dict):
            for k, v in value.items():
                if k != "__line__" and (not isinstance(v, str) or not v):
                    raise PatternDataError(f"{path}:{_line(value)}: lexicon mapping {key!r}: value of {k!r} must be a non-empty string")
        if isinstance(value, str) and key.endswith("gap"):
            try:
                re.compile(value)
            except re.error as exc:
                raise PatternDataError(f"{path}:{_line(value)}: lexicon regex {key!r} does not compile: {exc}") from exc
    return _clean(raw)


def _expand(regex: str, fragments: dict[str, str], lexicon: dict[str, Any], path: Path, line: int, seen: tuple[str, ...] = ()) -> str:
    def repl(m: re.Match[str]) -> str:
        is_lex, name = m.group(1), m.group(2)
        if is_lex:
            if name not in lexicon:
                raise PatternDataError(f"{path}:{line}: unknown lexicon list {{lex:{name}}}")
            words = lexicon[name]
            words = list(words.keys()) if isinstance(words, dict) else words
            return f"(?:{_alternation(words)})"
        if name not in fragments:
            raise PatternDataError(f"{path}:{line}: unknown fragment {{{name}}}")
        if name in seen:
            raise PatternDataError(f"{path}:{line}: fragment {{{name}}} refers to itself")
        return _expand(fragments[name], fragments, lexicon, path, line, seen + (name,))

    return _PLACEHOLDER.sub(repl, regex)


def load_grammar(directory: Path | None = None) -> Grammar:
    """Load and validate ``tokens.yaml`` and ``lexicon.yaml`` from ``directory`` (default: the package data).

    Returns a :class:`Grammar`. Raises :class:`PatternDataError` (``path:line: message``) when a file is
    missing, is not valid YAML, has a token without name/regex, an unknown fragment, a regex that does
    not compile, duplicate token names, or examples that are not lists of strings.
    """
    directory = directory or data_dir() / "patterns"
    tok_path, lex_path = directory / "tokens.yaml", directory / "lexicon.yaml"
    lexicon = _load_lexicon(lex_path)
    raw = load_yaml(tok_path)
    if not isinstance(raw, dict) or "tokens" not in raw:
        raise PatternDataError(f"{tok_path}:1: expected a mapping with 'fragments' and 'tokens'")
    fragments_raw = raw.get("fragments") or {}
    fragments = {k: str(v) for k, v in fragments_raw.items() if k != "__line__"}
    tokens: list[TokenPattern] = []
    names: set[str] = set()
    for entry in raw["tokens"]:
        line = _line(entry)
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("regex"):
            raise PatternDataError(f"{tok_path}:{line}: a token needs 'name' and 'regex'")
        name = str(entry["name"])
        if not re.fullmatch(r"[a-z_]+", name):
            raise PatternDataError(f"{tok_path}:{line}: token name {name!r} must be lowercase letters and _")
        if name in names:
            raise PatternDataError(f"{tok_path}:{line}: duplicate token name {name!r}")
        names.add(name)
        regex = _expand(str(entry["regex"]), fragments, lexicon, tok_path, line)
        try:
            compiled = re.compile(regex)
        except re.error as exc:
            raise PatternDataError(f"{tok_path}:{line}: token {name!r} regex does not compile: {exc}") from exc
        starts = entry.get("starts")
        if not isinstance(starts, str) or not starts:
            raise PatternDataError(f"{tok_path}:{line}: token {name!r} needs 'starts': the characters it can begin with")
        extend = entry.get("extend_left")
        if extend is not None:
            if extend not in lexicon:
                raise PatternDataError(f"{tok_path}:{line}: token {name!r}: extend_left names unknown lexicon list {extend!r}")
            words = lexicon[extend]
            extend_words = tuple(sorted(words.keys() if isinstance(words, dict) else words, key=len, reverse=True))
        else:
            extend_words = ()
        reject = entry.get("reject_left")
        if reject is not None and not isinstance(lexicon.get(reject), str):
            raise PatternDataError(f"{tok_path}:{line}: token {name!r}: reject_left must name a lexicon string, got {reject!r}")
        for key in ("examples", "non_examples"):
            value = entry.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise PatternDataError(f"{tok_path}:{line}: token {name!r}: {key} must be a list of strings")
        tokens.append(
            TokenPattern(
                name=name,
                regex=regex,
                fields=tuple(compiled.groupindex),
                examples=tuple(str(v) for v in entry.get("examples", [])),
                non_examples=tuple(str(v) for v in entry.get("non_examples", [])),
                line=line,
                starts=str(starts),
                extend_left=extend_words,
                reject_left=lexicon[reject] if reject else "",
            )
        )
    expanded = {k: _expand(v, fragments, lexicon, tok_path, _line(fragments_raw)) for k, v in fragments.items()}
    grammar = Grammar(tokens=tokens, lexicon=lexicon, source={"tokens": tok_path, "lexicon": lex_path}, fragments=expanded)
    try:
        grammar.master  # noqa: B018 - compile now so a clash of group names fails at import
    except re.error as exc:
        raise PatternDataError(f"{tok_path}:1: the master regex does not compile: {exc}") from exc
    return grammar


GRAMMAR: Grammar = load_grammar()
