"""Loading a YAML library: every rule validated first, nothing written on any error."""

from __future__ import annotations

import pytest

from tests.keywords.factories import load
from xiaoneng.core.errors import InvalidInput
from xiaoneng.keywords import services
from xiaoneng.keywords.models import KeywordRule, LibraryVersion

pytestmark = pytest.mark.django_db

RULE = """
  - id: {id}
    category: absolute
    law: 《广告法》第九条第（三）项
    severity: high
    terms: [{terms}]
    exceptions: [{exceptions}]
    patterns: {patterns}
"""


def library_text(*rules: str) -> str:
    return 'version: "t1"\nname: 测试\nrules:\n' + "".join(rules)


def rule(
    id: str = "ABS-001", terms: str = "最佳, 最", exceptions: str = "最近", patterns: str = "[]"
) -> str:
    return RULE.format(id=id, terms=terms, exceptions=exceptions, patterns=patterns)


def refused(text: str) -> list[str]:
    load()
    before = (KeywordRule.objects.count(), LibraryVersion.objects.count())
    with pytest.raises(InvalidInput) as error:
        services.load_library(text, actor=None, reason="导入")
    assert (KeywordRule.objects.count(), LibraryVersion.objects.count()) == before
    return [e.message for e in error.value.errors]


def test_a_valid_file_loads_as_a_new_version() -> None:
    loaded = services.load_library(
        library_text(rule(), rule("ABS-002", "第一", "第一次")), actor=None, reason="导入"
    )
    assert loaded.version.number == 1 and loaded.version.rule_count == 2
    assert KeywordRule.objects.get(code="ABS-002").exceptions == ["第一次"]


def test_malformed_yaml_writes_nothing() -> None:
    messages = refused("rules:\n  - id: [unclosed\n")
    assert messages and all(messages)


def test_an_empty_file_is_refused() -> None:
    load()
    with pytest.raises(InvalidInput) as error:
        services.load_library("  \n", actor=None, reason="导入")
    assert error.value.by_field == {"file": "文件为空"}


def test_duplicate_rule_ids_write_nothing() -> None:
    messages = refused(library_text(rule(), rule()))
    assert any("ABS-001" in m and "重复" in m for m in messages), messages


def test_a_bad_regex_writes_nothing() -> None:
    patterns = '[{anchors: [有效率], regex: "有效率(\\\\d+", window: 10}]'
    messages = refused(library_text(rule(patterns=patterns)))
    assert any("ABS-001" in m and "无法编译" in m for m in messages), messages


def test_an_exception_that_never_matches_writes_nothing() -> None:
    messages = refused(library_text(rule(exceptions="今天")))
    assert "规则「ABS-001」：例外「今天」不包含本规则的任何词语" in messages


def test_preview_tells_what_would_change_without_writing() -> None:
    load()
    lib = services.parse_library(library_text(rule(terms="最佳, 最, 顶级")))
    diff = services.preview(lib)
    assert diff.removed == ["GUA-001", "MED-001"]
    (change,) = diff.changed
    assert change.code == "ABS-001" and "顶级" in change.terms_added
    assert LibraryVersion.objects.count() == 1
