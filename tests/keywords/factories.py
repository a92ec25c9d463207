"""A small keyword library for the tests (the starter library is larger and changes)."""

from __future__ import annotations

from xiaoneng import textscan
from xiaoneng.keywords import services
from xiaoneng.keywords.services import Loaded

ABSOLUTE = textscan.Rule(
    id="ABS-001",
    category="absolute",
    law="《广告法》第九条第（三）项",
    severity="high",
    terms=("最佳", "第一", "最"),
    exceptions=("最近", "第一次"),
    targets=("ad", "listing"),
)
MEDICAL = textscan.Rule(
    id="MED-001",
    category="medical_claim",
    law="《广告法》第十七条",
    severity="high",
    terms=("根治", "药到病除"),
    not_kinds=("medical", "drug"),
    targets=("ad",),
)
GUARANTEE = textscan.Rule(
    id="GUA-001",
    category="guarantee",
    law="《广告法》第十六条",
    severity="medium",
    terms=("无效退款",),
    patterns=(textscan.Pattern(anchors=("有效率",), regex=r"有效率\s*\d{2,3}%", window=10),),
)
RULES = (ABSOLUTE, MEDICAL, GUARANTEE)


def small_library(*rules: textscan.Rule) -> textscan.Library:
    return textscan.Library(version="test", rules=rules or RULES, name="测试特征库")


def load(*rules: textscan.Rule, reason: str = "测试载入") -> Loaded:
    return services.load_library(small_library(*rules), actor=None, reason=reason)
