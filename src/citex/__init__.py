"""citex — citations in Chinese legal text, as typed objects with exact offsets.

Public API (few verbs):
    extract(text, *, as_of=None) -> list[Citation]
    normalize(text) -> Normalized           (what the tokenizer reads, with its offset map)
    resolve(citation, *, to="current", as_of=None) -> Resolution   (docs/resolve.md)
    resolve_text(text, *, to="current", as_of=None) -> list[Resolution]
    verify(citation_or_text, *, as_of=None) -> list[Finding]

See docs/architecture.md for the stages (normalize → tokenize → extract → resolve → verify/annotate).
"""
from citex.extract import extract
from citex.models import (
    CITATION_ADAPTER, RECORD_FIELDS, RECORD_KEYS, CaseNumberCitation, Citation, DocNumber, GuidingCaseCitation,
    JudicialInterpretationCitation, LawMention, StatuteCitation, VersionQualifier,
)
from citex.normalize import Normalized, normalize
from citex.patterns import PatternDataError
from citex.resolve import Provision, Resolution, VersionInference, infer_version, resolve, resolve_text
from citex.verify import Finding, verify

__version__ = "0.1.0"

__all__ = [
    "extract", "normalize", "Normalized", "Citation", "StatuteCitation", "JudicialInterpretationCitation",
    "GuidingCaseCitation", "CaseNumberCitation", "LawMention", "VersionQualifier", "DocNumber",
    "CITATION_ADAPTER", "RECORD_FIELDS", "RECORD_KEYS", "PatternDataError", "__version__",
    "resolve", "resolve_text", "infer_version", "Resolution", "Provision", "VersionInference", "verify", "Finding",
]
