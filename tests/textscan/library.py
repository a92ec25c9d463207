"""A small library for the engine's tests (the starter library is tested by its own owner)."""

from __future__ import annotations

from xiaoneng.textscan import Library, Pattern, Rule

LAW_9 = "《中华人民共和国广告法》第九条第（三）项"

ABSOLUTE = Rule(
    id="ABS-1",
    category="absolute",
    law=LAW_9,
    severity="medium",
    terms=("最", "最好", "最佳", "第一", "no.1", "国家级"),
    exceptions=("最近", "最后", "最初", "第一次", "第一天", "最高人民法院"),
)
PROHIBITED = Rule(
    id="PRO-1",
    category="prohibited_goods",
    law="《中华人民共和国电子商务法》第十三条",
    severity="high",
    terms=("口交", "黄片", "高仿"),
    exceptions=("路口交通", "三黄片"),
    targets=("listing",),
)
MEDICAL = Rule(
    id="MED-1",
    category="medical_claim",
    law="《中华人民共和国广告法》第十七条",
    severity="high",
    terms=("根治", "药到病除"),
    not_kinds=("medical", "drug"),
    patterns=(Pattern(anchors=("有效率",), regex=r"有效率\s*(达|高达|为)?\s*\d+(\.\d+)?\s*%"),),
)
STATE = Rule(
    id="GOV-1",
    category="state_organ",
    law="《中华人民共和国广告法》第九条第（二）项",
    severity="high",
    terms=("人民法院",),
    targets=("ad",),
    kinds=("general", "food"),
)

LIBRARY = Library(version="test-1", rules=(ABSOLUTE, PROHIBITED, MEDICAL, STATE), name="测试库")
