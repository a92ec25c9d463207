"""The vocabulary of the keyword feature library: categories, rules, libraries, violations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

CATEGORIES: dict[str, str] = {
    "absolute": "绝对化用语",
    "medical_claim": "医疗/疗效用语",
    "guarantee": "保证性承诺",
    "state_organ": "使用国家机关或工作人员名义",
    "false_misleading": "虚假或引人误解",
    "superstition": "迷信",
    "minors": "未成年人",
    "prohibited_goods": "禁限售商品",
}

SEVERITIES: dict[str, str] = {"high": "严重", "medium": "一般", "low": "轻微"}

TARGETS: dict[str, str] = {"ad": "广告", "listing": "网络商品信息"}

AD_KINDS: dict[str, str] = {
    "general": "普通商品或服务",
    "medical": "医疗",
    "drug": "药品",
    "medical_device": "医疗器械",
    "health_food": "保健食品",
    "special_cosmetics": "特殊化妆品",
    "pesticide": "农药",
    "veterinary_drug": "兽药",
    "infant_food": "婴儿乳制品等",
    "education": "教育培训",
    "finance": "金融投资",
    "real_estate": "房地产",
    "food": "食品",
    "cosmetics": "化妆品",
    "alcohol": "酒类",
    "tobacco": "烟草",
}


@dataclass(frozen=True)
class Pattern:
    """A claim checked by ``regex`` in a window of ``window`` characters around an anchor hit."""

    anchors: tuple[str, ...]
    regex: str
    window: int = 24


CONTEXT_WINDOW = 500  # the largest ``before`` / ``after`` of a context exception


@dataclass(frozen=True)
class Context:
    """A lawful context: a hit is not reported when ``regex`` matches (a non-empty match) in the
    normalised text from ``before`` characters before the hit to ``after`` characters after it."""

    regex: str
    before: int = 0
    after: int = 0


@dataclass(frozen=True)
class Rule:
    """One rule of the library: what it forbids, under which law, and where it is lawful."""

    id: str
    category: str
    law: str
    severity: str
    terms: tuple[str, ...]
    exceptions: tuple[str, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    contexts: tuple[Context, ...] = ()
    targets: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    not_kinds: tuple[str, ...] = ()
    note: str = ""

    def applies(self, target: str | None, kind: str | None) -> bool:
        """Whether the rule is in force for a text of ``target`` and ad ``kind`` (None: any)."""
        if target is not None and self.targets and target not in self.targets:
            return False
        if kind is not None:
            if self.kinds and kind not in self.kinds:
                return False
            if kind in self.not_kinds:
                return False
        return True


@dataclass(frozen=True)
class Library:
    """A versioned set of rules."""

    version: str
    rules: tuple[Rule, ...]
    name: str = ""


@dataclass(frozen=True)
class Violation:
    """A rule hit at ``text[start:end]`` of the original text (character offsets, end exclusive)."""

    rule: str
    category: str
    law: str
    severity: str
    match: str
    start: int
    end: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "category": self.category,
            "law": self.law,
            "severity": self.severity,
            "match": self.match,
            "start": self.start,
            "end": self.end,
        }


class LibraryError(ValueError):
    """A library refused; ``messages`` name the rule and the field of each fault."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("；".join(messages))
        self.messages = list(messages)


def _unknown(values: tuple[str, ...], known: dict[str, str], field: str) -> list[str]:
    return [f"{field}「{value}」未定义" for value in values if value not in known]


def _context_faults(context: Context, field: str) -> list[str]:
    messages = []
    try:
        compiled = re.compile(context.regex)
    except re.error as error:
        messages.append(f"{field}的正则表达式「{context.regex}」无法编译：{error}")
    else:
        # A regex that matches the empty string would excuse every hit.
        if compiled.search("") is not None:
            messages.append(f"{field}的正则表达式「{context.regex}」能匹配空字符串")
    if not all(0 <= n <= CONTEXT_WINDOW for n in (context.before, context.after)):
        messages.append(f"{field}的前后字数应在 0 到 {CONTEXT_WINDOW} 之间")
    elif not (context.before or context.after):
        messages.append(f"{field}的前后字数不能都为 0")
    return messages


def validate_rule(rule: Rule) -> list[str]:
    """What is wrong with ``rule``, in Chinese, each message naming the field; [] when sound."""
    from xiaoneng.textscan.normalisation import normalise_term

    messages: list[str] = []
    if not rule.id.strip():
        messages.append("编号不能为空")
    if rule.category not in CATEGORIES:
        messages.append(f"类别「{rule.category}」未定义")
    if rule.severity not in SEVERITIES:
        messages.append(f"严重程度「{rule.severity}」未定义")
    messages += _unknown(rule.targets, TARGETS, "适用对象")
    messages += _unknown(rule.kinds, AD_KINDS, "广告类别")
    messages += _unknown(rule.not_kinds, AD_KINDS, "不适用的广告类别")
    if not rule.terms and not rule.patterns:
        messages.append("词语和模式不能都为空")
    seen: dict[str, str] = {}
    for term in rule.terms:
        key = normalise_term(term)
        if not key:
            messages.append(f"词语「{term}」为空")
        elif key in seen:
            messages.append(f"词语「{term}」重复")
        else:
            seen[key] = term
    anchors: list[str] = []
    for number, pattern in enumerate(rule.patterns, start=1):
        field = f"模式第{number}条"
        try:
            re.compile(pattern.regex)
        except re.error as error:
            messages.append(f"{field}的正则表达式「{pattern.regex}」无法编译：{error}")
        if not pattern.anchors:
            messages.append(f"{field}缺少锚定词")
        if pattern.window < 0 or pattern.window > 200:
            messages.append(f"{field}的窗口应在 0 到 200 之间")
        for anchor in pattern.anchors:
            if not normalise_term(anchor):
                messages.append(f"{field}的锚定词「{anchor}」为空")
            anchors.append(normalise_term(anchor))
    for number, context in enumerate(rule.contexts, start=1):
        messages += _context_faults(context, f"上下文例外第{number}条")
    keys = [key for key in seen] + [a for a in anchors if a]
    exceptions: set[str] = set()
    for exception in rule.exceptions:
        key = normalise_term(exception)
        if not key:
            messages.append(f"例外「{exception}」为空")
        elif key in exceptions:
            messages.append(f"例外「{exception}」重复")
        elif not any(k in key for k in keys):
            messages.append(f"例外「{exception}」不包含本规则的任何词语")
        elif key in seen:
            messages.append(f"例外「{exception}」与词语相同")
        exceptions.add(key)
    return [f"规则「{rule.id}」：{message}" for message in messages]
