"""Context exceptions: a hit is passed when a regex of its rule matches in a window around it."""

from __future__ import annotations

import dataclasses

import pytest

from tests.textscan.library import ABSOLUTE, LIBRARY
from xiaoneng.textscan import (
    Context,
    Library,
    LibraryError,
    Rule,
    Scanner,
    dump_yaml,
    load_yaml,
    validate_rule,
)

SOURCE_BEFORE = Context(regex=r"据[^。]{2,24}?统计[^。]*$", before=60, after=0)
SOURCE_AFTER = Context(regex=r"^[^。]{0,40}?数据来源", before=0, after=60)
SALES = Rule(
    id="SAL-1",
    category="absolute",
    law="《中华人民共和国广告法》第九条第（三）项",
    severity="medium",
    terms=("销量冠军",),
    contexts=(SOURCE_BEFORE, SOURCE_AFTER),
)


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner.compile(Library(version="t", rules=(*LIBRARY.rules, SALES)))


def rules(scanner: Scanner, text: str) -> list[tuple[str, str]]:
    return [(v.rule, v.match) for v in scanner.scan(text)]


@pytest.mark.parametrize(
    "text",
    [
        "据欧睿国际2023年统计，本品牌销量冠军",  # source before, same sentence
        "本品牌销量冠军（数据来源：欧睿国际）",  # source after
        "据歐睿國際2023年統計，本品牌銷量冠軍",  # traditional: the normalised text is searched
        "本品牌銷量冠軍（數據來源：歐睿國際）",
        "据欧睿国际2023年统计，本品牌销 量 冠 军",  # an evasive claim keeps its lawful context
        "㈠据欧睿国际2023年统计，本品牌销量冠军",  # an expanding character before the window
    ],
)
def test_a_hit_in_a_lawful_context_is_passed(scanner: Scanner, text: str) -> None:
    assert rules(scanner, text) == []


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("本品牌销量冠军", "销量冠军"),
        ("据统计，本品牌销量冠军", "销量冠军"),  # no source named: the regex wants 2+ characters
        ("据欧睿国际统计。本品牌销量冠军", "销量冠军"),  # another sentence
        ("本品牌销量冠军。数据来源：欧睿国际", "销量冠军"),  # after: same sentence only here
        ("销 量 冠 军，品质保证", "销 量 冠 军"),
    ],
)
def test_a_hit_without_its_context_is_reported(scanner: Scanner, text: str, match: str) -> None:
    assert rules(scanner, text) == [("SAL-1", match)]


def test_windows_are_measured_from_the_hit() -> None:
    near = Context(regex="来源", before=0, after=5)
    rule = dataclasses.replace(SALES, contexts=(near,))
    scanner = Scanner.compile(Library(version="t", rules=(rule,)))
    assert scanner.scan("销量冠军，来源见") == []  # 来源 ends 3 characters after the hit
    assert [v.match for v in scanner.scan("销量冠军，详见下文来源")] == ["销量冠军"]
    # ``before`` only: a source after the claim is outside the window.
    rule = dataclasses.replace(SALES, contexts=(Context(regex="来源", before=20),))
    scanner = Scanner.compile(Library(version="t", rules=(rule,)))
    assert scanner.scan("来源：欧睿，销量冠军") == []
    assert [v.match for v in scanner.scan("销量冠军，来源：欧睿")] == ["销量冠军"]


def test_a_context_excuses_only_its_rule_and_stays_in_its_record(scanner: Scanner) -> None:
    # 最好 is ABS-1's: the sales source does not excuse it.
    found = rules(scanner, "据欧睿国际2023年统计，最好的销量冠军")
    assert found == [("ABS-1", "最好")]
    # The source of one record does not excuse the claim of the next.
    results = scanner.scan_many([("据欧睿国际2023年统计，", None), ("本品牌销量冠军", None)])
    assert [[v.match for v in r] for r in results] == [[], ["销量冠军"]]


def test_spans_stay_right_around_passed_hits(scanner: Scanner) -> None:
    text = "最好的，据欧睿国际2023年统计，本品牌销量冠军；最佳"
    found = scanner.scan(text)
    assert [(v.rule, v.match) for v in found] == [("ABS-1", "最好"), ("ABS-1", "最佳")]
    assert all(text[v.start : v.end] == v.match for v in found)


def test_a_zero_width_match_does_not_count() -> None:
    # A lookahead that can match empty inside a text but not on "" itself passes validation;
    # only a non-empty match excuses a hit.
    rule = dataclasses.replace(SALES, contexts=(Context(regex=r"(?=来源)", after=20),))
    assert validate_rule(rule) == []
    scanner = Scanner.compile(Library(version="t", rules=(rule,)))
    assert [v.match for v in scanner.scan("销量冠军，来源：欧睿")] == ["销量冠军"]


@pytest.mark.parametrize(
    ("context", "message"),
    [
        (
            Context(regex="据(统计", before=10),
            "规则「ABS-1」：上下文例外第1条的正则表达式「据(统计」无法编译："
            "missing ), unterminated subpattern at position 1",
        ),
        (
            Context(regex="(来源)?", after=10),
            "规则「ABS-1」：上下文例外第1条的正则表达式「(来源)?」能匹配空字符串",
        ),
        (
            Context(regex="来源", after=501),
            "规则「ABS-1」：上下文例外第1条的前后字数应在 0 到 500 之间",
        ),
        (
            Context(regex="来源", before=-1),
            "规则「ABS-1」：上下文例外第1条的前后字数应在 0 到 500 之间",
        ),
        (Context(regex="来源"), "规则「ABS-1」：上下文例外第1条的前后字数不能都为 0"),
    ],
)
def test_unsound_context_is_refused(context: Context, message: str) -> None:
    rule = dataclasses.replace(ABSOLUTE, contexts=(context,))
    assert validate_rule(rule) == [message]
    with pytest.raises(LibraryError) as error:
        Scanner.compile(Library(version="t", rules=(rule,)))
    assert error.value.messages == [message]


def test_contexts_round_trip_through_yaml() -> None:
    library = Library(version="t", rules=(SALES,), name="试")
    text = dump_yaml(library)
    assert "contexts:" in text
    assert load_yaml(text) == library
    assert dump_yaml(load_yaml(text)) == text


RULE_YAML = """version: "1"
rules:
  - id: SAL-1
    category: absolute
    law: 《广告法》第九条第（三）项
    severity: medium
    terms: [销量冠军]
    contexts:
{contexts}
"""


@pytest.mark.parametrize(
    ("contexts", "message"),
    [
        ("      - regex: 来源\n        after: 10", None),
        ("      - before: 10", "规则「SAL-1」：上下文例外第1条缺少正则表达式（regex）"),
        ("      - 来源", "规则「SAL-1」：上下文例外第1条应为映射（regex、before、after）"),
        (
            "      - {regex: 来源, after: ten}",
            "规则「SAL-1」：上下文例外第1条的前后字数（before、after）应为整数",
        ),
        (
            "      - {regex: 来源, after: 10, window: 3}",
            "规则「SAL-1」：上下文例外第1条含未知字段 window",
        ),
        ("      {regex: 来源, after: 10}", "规则「SAL-1」：上下文例外应为列表"),
        (
            "      - {regex: '来源|', after: 10}",
            "规则「SAL-1」：上下文例外第1条的正则表达式「来源|」能匹配空字符串",
        ),
        (
            "      - {regex: 来源, after: 600}",
            "规则「SAL-1」：上下文例外第1条的前后字数应在 0 到 500 之间",
        ),
    ],
)
def test_yaml_contexts_are_read_and_checked(contexts: str, message: str | None) -> None:
    text = RULE_YAML.format(contexts=contexts)
    if message is None:
        assert load_yaml(text).rules[0].contexts == (Context(regex="来源", before=0, after=10),)
        return
    with pytest.raises(LibraryError) as error:
        load_yaml(text)
    assert error.value.messages == [message]


def test_rules_without_contexts_scan_as_before(scanner: Scanner) -> None:
    plain = Scanner.compile(LIBRARY)
    texts = ["最好的面膜", "第一次来", "最 好", "据统计，最佳"]
    assert plain.scan_many([(t, None) for t in texts]) == scanner.scan_many(
        [(t, None) for t in texts]
    )
