"""The library as YAML: ``load_yaml`` validates every rule, ``dump_yaml`` round-trips.

version: "2026.1"
name: 起步特征库
rules:
  - id: ABS-001
    category: absolute
    law: 《广告法》第九条第（三）项
    severity: medium
    terms: [最好, 最佳]
    exceptions: [最好吃]          # optional
    patterns:                     # optional
      - anchors: [有效率]
        regex: '有效率\\s*\\d+%'
        window: 24
    contexts:                     # optional: lawful contexts (regex within before/after chars)
      - regex: '据[^。]{2,24}?统计[^。]*$'
        before: 60
        after: 0
    targets: [ad]                 # optional: ad / listing; empty = both
    kinds: []                     # optional: ad kinds it applies to; empty = all
    not_kinds: [medical]          # optional
    note: ""
"""

from __future__ import annotations

from typing import Any

import yaml

from xiaoneng.textscan.model import (
    Context,
    Library,
    LibraryError,
    Pattern,
    Rule,
    validate_rule,
)

RULE_FIELDS = (
    "id",
    "category",
    "law",
    "severity",
    "terms",
    "exceptions",
    "patterns",
    "contexts",
    "targets",
    "kinds",
    "not_kinds",
    "note",
)
LISTS = ("terms", "exceptions", "targets", "kinds", "not_kinds")


def _strings(value: Any, where: str, field: str, messages: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        messages.append(f"{where}：{field}应为文字列表")
        return ()
    return tuple(str(v) for v in value)


def _pattern(value: Any, where: str, number: int, messages: list[str]) -> Pattern | None:
    field = f"模式第{number}条"
    if not isinstance(value, dict):
        messages.append(f"{where}：{field}应为映射（anchors、regex、window）")
        return None
    unknown = sorted(set(value) - {"anchors", "regex", "window"})
    if unknown:
        messages.append(f"{where}：{field}含未知字段 {', '.join(map(str, unknown))}")
    regex = value.get("regex")
    if not isinstance(regex, str) or not regex:
        messages.append(f"{where}：{field}缺少正则表达式（regex）")
        return None
    window = value.get("window", 24)
    if not isinstance(window, int) or isinstance(window, bool):
        messages.append(f"{where}：{field}的窗口（window）应为整数")
        return None
    anchors = _strings(value.get("anchors"), where, f"{field}的锚定词", messages)
    return Pattern(anchors=anchors, regex=regex, window=window)


def _context(value: Any, where: str, number: int, messages: list[str]) -> Context | None:
    field = f"上下文例外第{number}条"
    if not isinstance(value, dict):
        messages.append(f"{where}：{field}应为映射（regex、before、after）")
        return None
    unknown = sorted(set(map(str, value)) - {"regex", "before", "after"})
    if unknown:
        messages.append(f"{where}：{field}含未知字段 {', '.join(unknown)}")
    regex = value.get("regex")
    if not isinstance(regex, str) or not regex:
        messages.append(f"{where}：{field}缺少正则表达式（regex）")
        return None
    sizes = [value.get(name, 0) for name in ("before", "after")]
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in sizes):
        messages.append(f"{where}：{field}的前后字数（before、after）应为整数")
        return None
    return Context(regex=regex, before=sizes[0], after=sizes[1])


def _rule(value: Any, number: int, messages: list[str]) -> Rule | None:
    if not isinstance(value, dict):
        messages.append(f"第{number}条规则应为映射")
        return None
    rule_id = value.get("id")
    where = f"规则「{rule_id}」" if rule_id not in (None, "") else f"第{number}条规则"
    before = len(messages)
    unknown = sorted(set(map(str, value)) - set(RULE_FIELDS))
    if unknown:
        messages.append(f"{where}：含未知字段 {', '.join(unknown)}")
    for field in ("id", "category", "law", "severity"):
        if not isinstance(value.get(field), str | int) or value.get(field) == "":
            messages.append(f"{where}：缺少{_LABELS[field]}")
    lists = {f: _strings(value.get(f), where, _LABELS[f], messages) for f in LISTS}
    raw = value.get("patterns") or []
    if not isinstance(raw, list):
        messages.append(f"{where}：模式应为列表")
        raw = []
    patterns = [_pattern(p, where, n, messages) for n, p in enumerate(raw, start=1)]
    raw = value.get("contexts") or []
    if not isinstance(raw, list):
        messages.append(f"{where}：上下文例外应为列表")
        raw = []
    contexts = [_context(c, where, n, messages) for n, c in enumerate(raw, start=1)]
    if len(messages) > before:
        return None
    return Rule(
        id=str(value["id"]),
        category=str(value["category"]),
        law=str(value["law"]),
        severity=str(value["severity"]),
        patterns=tuple(p for p in patterns if p is not None),
        contexts=tuple(c for c in contexts if c is not None),
        note=str(value.get("note") or ""),
        **lists,
    )


_LABELS = {
    "id": "编号",
    "category": "类别",
    "law": "法律依据",
    "severity": "严重程度",
    "terms": "词语",
    "exceptions": "例外",
    "targets": "适用对象",
    "kinds": "广告类别",
    "not_kinds": "不适用的广告类别",
}


def load_yaml(text: str) -> Library:
    """Parse and validate a library; raises LibraryError naming each faulty rule and field."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise LibraryError([f"YAML 格式错误：{error}"]) from error
    if not isinstance(data, dict):
        raise LibraryError(["特征库应为映射，含 version 与 rules"])
    messages: list[str] = []
    version = data.get("version")
    if version in (None, ""):
        messages.append("缺少版本号（version）")
    raw = data.get("rules")
    if not isinstance(raw, list):
        messages.append("缺少规则列表（rules）")
        raw = []
    rules: list[Rule] = []
    seen: set[str] = set()
    for number, value in enumerate(raw, start=1):
        rule = _rule(value, number, messages)
        if rule is None:
            continue
        messages += validate_rule(rule)
        if rule.id in seen:
            messages.append(f"规则「{rule.id}」：编号重复")
        seen.add(rule.id)
        rules.append(rule)
    if messages:
        raise LibraryError(messages)
    return Library(version=str(version), rules=tuple(rules), name=str(data.get("name") or ""))


def _rule_data(rule: Rule) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": rule.id,
        "category": rule.category,
        "law": rule.law,
        "severity": rule.severity,
        "terms": list(rule.terms),
    }
    for field in ("exceptions", "targets", "kinds", "not_kinds"):
        if getattr(rule, field):
            data[field] = list(getattr(rule, field))
    if rule.patterns:
        data["patterns"] = [
            {"anchors": list(p.anchors), "regex": p.regex, "window": p.window}
            for p in rule.patterns
        ]
    if rule.contexts:
        data["contexts"] = [
            {"regex": c.regex, "before": c.before, "after": c.after} for c in rule.contexts
        ]
    if rule.note:
        data["note"] = rule.note
    return data


def dump_yaml(library: Library) -> str:
    """The library as YAML text that ``load_yaml`` reads back to an equal library."""
    data: dict[str, Any] = {"version": library.version}
    if library.name:
        data["name"] = library.name
    data["rules"] = [_rule_data(rule) for rule in library.rules]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
