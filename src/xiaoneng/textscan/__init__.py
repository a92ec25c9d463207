"""The text-scanning engine of the keyword feature library: pure Python, no Django.

    from xiaoneng.textscan import Scanner, load_yaml
    scanner = Scanner.compile(load_yaml(text))
    scanner.scan("全网最好的面膜", target="ad", kind="cosmetics")

See docs/textscan.md.
"""

from xiaoneng.textscan.model import (
    AD_KINDS,
    CATEGORIES,
    CONTEXT_WINDOW,
    SEVERITIES,
    TARGETS,
    Context,
    Library,
    LibraryError,
    Pattern,
    Rule,
    Violation,
    validate_rule,
)
from xiaoneng.textscan.normalisation import Normalised, normalise
from xiaoneng.textscan.scanner import Scanner
from xiaoneng.textscan.yamlio import dump_yaml, load_yaml

__all__ = [
    "AD_KINDS",
    "CATEGORIES",
    "CONTEXT_WINDOW",
    "SEVERITIES",
    "TARGETS",
    "Context",
    "Library",
    "LibraryError",
    "Normalised",
    "Pattern",
    "Rule",
    "Scanner",
    "Violation",
    "dump_yaml",
    "load_yaml",
    "normalise",
    "validate_rule",
]
