"""Rules and libraries: validation messages, YAML round trip, bad input refused."""

from __future__ import annotations

import dataclasses

import pytest

from tests.textscan.library import ABSOLUTE, LIBRARY, MEDICAL
from xiaoneng.textscan import (
    AD_KINDS,
    CATEGORIES,
    SEVERITIES,
    TARGETS,
    Library,
    LibraryError,
    Pattern,
    Rule,
    Scanner,
    dump_yaml,
    load_yaml,
    validate_rule,
)

GOOD = """
version: "2026.1"
name: 测试
rules:
  - id: ABS-1
    category: absolute
    law: 《广告法》第九条
    severity: medium
    terms: [最好]
    exceptions: [最好吃不过]
"""


def test_vocabularies_are_the_agreed_ones() -> None:
    assert list(CATEGORIES) == [
        "absolute",
        "medical_claim",
        "guarantee",
        "state_organ",
        "false_misleading",
        "superstition",
        "minors",
        "prohibited_goods",
    ]
    assert SEVERITIES == {"high": "严重", "medium": "一般", "low": "轻微"}
    assert TARGETS == {"ad": "广告", "listing": "网络商品信息"}
    assert len(AD_KINDS) == 16 and AD_KINDS["infant_food"] == "婴儿乳制品等"


def test_sound_rules_have_no_messages() -> None:
    assert [validate_rule(rule) for rule in LIBRARY.rules] == [[], [], [], []]


def test_regex_that_does_not_compile_is_refused_with_the_error() -> None:
    rule = dataclasses.replace(
        MEDICAL, patterns=(Pattern(anchors=("有效率",), regex="有效率(\\d+"),)
    )
    (message,) = validate_rule(rule)
    assert message.startswith("规则「MED-1」：模式第1条的正则表达式「有效率(\\d+」无法编译：")


def test_exception_that_never_matches_its_term_is_refused() -> None:
    rule = dataclasses.replace(ABSOLUTE, exceptions=("最近", "路口交通"))
    assert validate_rule(rule) == ["规则「ABS-1」：例外「路口交通」不包含本规则的任何词语"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": " "}, "规则「 」：编号不能为空"),
        ({"category": "spam"}, "规则「ABS-1」：类别「spam」未定义"),
        ({"severity": "huge"}, "规则「ABS-1」：严重程度「huge」未定义"),
        ({"targets": ("tv",)}, "规则「ABS-1」：适用对象「tv」未定义"),
        ({"kinds": ("toys",)}, "规则「ABS-1」：广告类别「toys」未定义"),
        ({"not_kinds": ("toys",)}, "规则「ABS-1」：不适用的广告类别「toys」未定义"),
        ({"terms": ("最好", "最好")}, "规则「ABS-1」：词语「最好」重复"),
        ({"terms": ("no.1", "ＮＯ．１")}, "规则「ABS-1」：词语「ＮＯ．１」重复"),
        ({"terms": ("最好", " ")}, "规则「ABS-1」：词语「 」为空"),
        ({"terms": (), "exceptions": ()}, "规则「ABS-1」：词语和模式不能都为空"),
        ({"exceptions": ("最近", "最近")}, "规则「ABS-1」：例外「最近」重复"),
    ],
)
def test_unsound_rule_is_refused_naming_rule_and_field(change: dict, message: str) -> None:
    rule = dataclasses.replace(ABSOLUTE, **{"exceptions": ("最近",), **change})
    assert message in validate_rule(rule)


def test_compile_refuses_an_unsound_library_with_every_message() -> None:
    bad = dataclasses.replace(ABSOLUTE, category="spam", exceptions=("路口交通",))
    with pytest.raises(LibraryError) as caught:
        Scanner.compile(Library(version="1", rules=(bad, ABSOLUTE)))
    assert caught.value.messages == [
        "规则「ABS-1」：类别「spam」未定义",
        "规则「ABS-1」：例外「路口交通」不包含本规则的任何词语",
        "规则「ABS-1」：编号重复",
    ]


def test_yaml_round_trips() -> None:
    text = dump_yaml(LIBRARY)
    assert load_yaml(text) == LIBRARY
    assert dump_yaml(load_yaml(text)) == text


def test_yaml_loads_a_library() -> None:
    library = load_yaml(GOOD)
    assert library.version == "2026.1" and library.name == "测试"
    assert library.rules == (
        Rule(
            id="ABS-1",
            category="absolute",
            law="《广告法》第九条",
            severity="medium",
            terms=("最好",),
            exceptions=("最好吃不过",),
        ),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: [", "YAML 格式错误："),
        ("- 1", "特征库应为映射，含 version 与 rules"),
        ("rules: []", "缺少版本号（version）"),
        ("version: 1", "缺少规则列表（rules）"),
        ("version: 1\nrules: [1]", "第1条规则应为映射"),
        (GOOD.replace("    law: 《广告法》第九条\n", ""), "规则「ABS-1」：缺少法律依据"),
        (GOOD.replace("terms: [最好]", "terms: {a: 1}"), "规则「ABS-1」：词语应为文字列表"),
        (GOOD + "    colour: red\n", "规则「ABS-1」：含未知字段 colour"),
        (GOOD + GOOD.split("rules:\n")[1], "规则「ABS-1」：编号重复"),
        (GOOD.replace("absolute", "spam"), "规则「ABS-1」：类别「spam」未定义"),
        (
            GOOD + "    patterns:\n      - anchors: [有效]\n        regex: '(('\n",
            "规则「ABS-1」：模式第1条的正则表达式「((」无法编译：",
        ),
        (
            GOOD + "    patterns:\n      - anchors: [有效]\n",
            "规则「ABS-1」：模式第1条缺少正则表达式（regex）",
        ),
        (
            GOOD + "    patterns: [1]\n",
            "规则「ABS-1」：模式第1条应为映射（anchors、regex、window）",
        ),
    ],
)
def test_bad_yaml_is_refused_with_a_message(text: str, message: str) -> None:
    with pytest.raises(LibraryError) as caught:
        load_yaml(text)
    assert any(m.startswith(message) for m in caught.value.messages), caught.value.messages
