"""Context exceptions of a rule through the database, the form, the pages, the diff and the API."""

from __future__ import annotations

import dataclasses

import pytest

from tests.conftest import County, client_for
from tests.keywords.factories import ABSOLUTE, GUARANTEE, load
from xiaoneng import textscan
from xiaoneng.core.errors import InvalidInput
from xiaoneng.keywords import library, scanning, services
from xiaoneng.keywords.models import KeywordRule, LibraryVersion

pytestmark = pytest.mark.django_db

SOURCE = textscan.Context(regex=r"据[^。]{2,24}?(统计|报告)[^。]*$", before=60, after=0)
SALES = textscan.Rule(
    id="ABS-004",
    category="absolute",
    law="《广告法》第九条第（三）项",
    severity="medium",
    terms=("销量冠军",),
    contexts=(SOURCE, textscan.Context(regex="数据来源", before=0, after=40)),
)


def test_contexts_round_trip_through_the_database_and_the_version() -> None:
    load(ABSOLUTE, SALES)
    row = KeywordRule.objects.get(code="ABS-004")
    assert row.contexts == [
        {"regex": SOURCE.regex, "before": 60, "after": 0},
        {"regex": "数据来源", "before": 0, "after": 40},
    ]
    assert library.rule_of(row) == SALES
    version = LibraryVersion.objects.get()
    assert library.rules_of_version(version)["ABS-004"] == SALES
    assert "contexts:" in version.yaml


def test_the_scanner_in_force_applies_them() -> None:
    load(ABSOLUTE, SALES)
    passed = scanning.scan_text("据欧睿国际2023年统计，本品牌销量冠军", target="ad", kind=None)
    assert passed.violations == []
    found = scanning.scan_text("据统计，本品牌销量冠军", target="ad", kind=None)
    assert [v.match for v in found.violations] == ["销量冠军"]


def test_an_unsound_context_is_refused_on_its_field_and_nothing_is_written(
    county: County,
) -> None:
    rule = dataclasses.replace(SALES, contexts=(textscan.Context(regex="(来源)?", after=10),))
    with pytest.raises(InvalidInput) as refused:
        services.create_rule(actor=county.division_staff, rule=rule, reason="测试")
    assert refused.value.by_field == {
        "contexts": "规则「ABS-004」：上下文例外第1条的正则表达式「(来源)?」能匹配空字符串"
    }
    assert KeywordRule.objects.count() == 0 and LibraryVersion.objects.count() == 0


def test_an_edit_of_the_contexts_is_in_the_version_diff(county: County) -> None:
    load(ABSOLUTE, SALES)
    row = KeywordRule.objects.get(code="ABS-004")
    changed = dataclasses.replace(SALES, contexts=(SOURCE,))
    services.edit_rule(actor=county.admin, row=row, rule=changed, reason="收紧出处")
    version = LibraryVersion.objects.get(number=2)
    assert version.changed == ["ABS-004"]
    diff = library.diff(
        library.rules_of_version(LibraryVersion.objects.get(number=1)),
        library.rules_of_version(version),
    )
    assert diff.changed[0].fields == ["contexts"]
    html = client_for(county.east_officer).get("/keywords/versions/2/").content.decode()
    assert "ABS-004</strong>：上下文例外" in html


def form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "ABS-009",
        "category": "absolute",
        "severity": "medium",
        "law": "《广告法》第九条第（三）项",
        "terms": "销量冠军",
        "targets": ["ad"],
        "reason": "新增",
    }
    return data | changes


def test_the_form_saves_contexts_and_the_pages_show_them(county: County) -> None:
    load()
    client = client_for(county.division_staff)
    lines = "60 | 0 | 据[^。]{2,24}?(统计|报告)[^。]*$\n0 | 40 | 数据来源"
    answer = client.post("/keywords/rules/new/", form(contexts=lines))
    row = KeywordRule.objects.get(code="ABS-009")
    assert answer.status_code == 302
    assert row.contexts == [
        {"regex": "据[^。]{2,24}?(统计|报告)[^。]*$", "before": 60, "after": 0},
        {"regex": "数据来源", "before": 0, "after": 40},
    ]
    detail = client_for(county.east_officer).get(f"/keywords/rules/{row.pk}/").content.decode()
    assert "60 | 0 | 据[^。]{2,24}?(统计|报告)[^。]*$" in detail
    edit = client.get(f"/keywords/rules/{row.pk}/edit/").content.decode()
    assert "0 | 40 | 数据来源" in edit


@pytest.mark.parametrize(
    ("contexts", "message"),
    [
        ("数据来源", "第1行格式应为「前字数 | 后字数 | 正则表达式」：数据来源"),
        ("0 | 40 |", "第1行格式应为「前字数 | 后字数 | 正则表达式」：0 | 40 |"),
        ("-1 | 40 | 来源", "第1行格式应为「前字数 | 后字数 | 正则表达式」：-1 | 40 | 来源"),
        ("0 | 600 | 来源", "规则「ABS-009」：上下文例外第1条的前后字数应在 0 到 500 之间"),
        ("0 | 0 | 来源", "规则「ABS-009」：上下文例外第1条的前后字数不能都为 0"),
        ("0 | 40 | 来源|", "规则「ABS-009」：上下文例外第1条的正则表达式「来源|」能匹配空字符串"),
        ("0 | 40 | 来源(", "规则「ABS-009」：上下文例外第1条的正则表达式「来源(」无法编译："),
    ],
)
def test_bad_context_lines_are_refused_and_nothing_is_written(
    county: County, contexts: str, message: str
) -> None:
    load()
    answer = client_for(county.division_staff).post("/keywords/rules/new/", form(contexts=contexts))
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert KeywordRule.objects.count() == 3 and LibraryVersion.objects.count() == 1


def test_the_api_gives_the_contexts(county: County) -> None:
    load(ABSOLUTE, GUARANTEE, SALES)
    client = client_for(county.east_officer)
    one = client.get("/api/v1/keywords/rules/ABS-004").json()
    assert one["contexts"] == [
        {"regex": SOURCE.regex, "before": 60, "after": 0},
        {"regex": "数据来源", "before": 0, "after": 40},
    ]
    assert client.get("/api/v1/keywords/rules/GUA-001").json()["contexts"] == []
