"""Changes to the keyword library: validation refusals, versions, immutability, trace."""

from __future__ import annotations

import dataclasses

import pytest

from tests.conftest import County
from tests.keywords.factories import ABSOLUTE, GUARANTEE, MEDICAL, load, small_library
from xiaoneng import textscan
from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.keywords import library, services
from xiaoneng.keywords.models import ImmutableVersion, KeywordRule, LibraryVersion

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int]:
    return KeywordRule.objects.count(), LibraryVersion.objects.count()


def test_load_makes_version_one_with_counts_and_digest() -> None:
    loaded = load()
    version = loaded.version
    assert version.number == 1 and version.rule_count == 3
    assert version.term_count == len(ABSOLUTE.terms) + len(MEDICAL.terms) + len(GUARANTEE.terms)
    assert version.sha256 == library.digest(version.yaml)
    assert version.added == ["ABS-001", "GUA-001", "MED-001"]
    assert set(library.rules_of_version(version)) == {"ABS-001", "GUA-001", "MED-001"}
    assert library.rules_of_version(version)["GUA-001"] == GUARANTEE


def test_reloading_the_same_library_changes_nothing_but_makes_a_version() -> None:
    load()
    again = load(reason="再次载入")
    assert again.version.number == 2 and again.diff.empty
    first = LibraryVersion.objects.get(number=1)
    assert library.rules_of_version(again.version) == library.rules_of_version(first)
    assert "version: '2'" in again.version.yaml


def test_load_deactivates_rules_the_library_no_longer_holds() -> None:
    load()
    loaded = load(ABSOLUTE, MEDICAL)
    assert loaded.diff.removed == ["GUA-001"] and loaded.version.removed == ["GUA-001"]
    assert not KeywordRule.objects.get(code="GUA-001").active
    assert loaded.version.rule_count == 2


def test_create_rule_makes_a_version_and_a_trace(county: County) -> None:
    load(ABSOLUTE)
    rule = dataclasses.replace(MEDICAL, id="MED-002")
    row = services.create_rule(actor=county.division_staff, rule=rule, reason="新增疗效用语")
    version = services.current_version()
    assert version is not None and version.number == 2 and version.added == ["MED-002"]
    assert version.by == county.division_staff
    event = audit.history(row).first()
    assert event is not None and event.action == "create" and event.reason == "新增疗效用语"
    assert event.actor == county.division_staff


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"exceptions": ("最近", "今天")},
            "规则「ABS-001」：例外「今天」不包含本规则的任何词语",
        ),
        ({"category": "nope"}, "规则「ABS-001」：类别「nope」未定义"),
        ({"severity": "huge"}, "规则「ABS-001」：严重程度「huge」未定义"),
        ({"targets": ("tv",)}, "规则「ABS-001」：适用对象「tv」未定义"),
        ({"terms": ("最佳", "最佳"), "exceptions": ()}, "规则「ABS-001」：词语「最佳」重复"),
        ({"terms": (), "exceptions": ()}, "规则「ABS-001」：词语和模式不能都为空"),
    ],
)
def test_create_rule_refuses_an_invalid_rule_and_writes_nothing(
    county: County, change: dict[str, object], message: str
) -> None:
    rule = dataclasses.replace(ABSOLUTE, **change)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as refused:
        services.create_rule(actor=county.division_staff, rule=rule, reason="测试")
    assert message in [e.message for e in refused.value.errors]
    assert counts() == (0, 0)


def test_a_regex_that_does_not_compile_is_refused_naming_the_pattern(county: County) -> None:
    rule = dataclasses.replace(
        GUARANTEE, patterns=(textscan.Pattern(anchors=("有效率",), regex="有效率(\\d+"),)
    )
    with pytest.raises(InvalidInput) as refused:
        services.create_rule(actor=county.division_staff, rule=rule, reason="测试")
    (error,) = refused.value.errors
    assert error.field == "patterns"
    assert error.message.startswith("规则「GUA-001」：模式第1条的正则表达式「有效率(\\d+」无法编译")
    assert counts() == (0, 0)


def test_exception_messages_are_put_on_the_exceptions_field(county: County) -> None:
    rule = dataclasses.replace(ABSOLUTE, exceptions=("今天",))
    with pytest.raises(InvalidInput) as refused:
        services.create_rule(actor=county.division_staff, rule=rule, reason="测试")
    assert refused.value.by_field == {
        "exceptions": "规则「ABS-001」：例外「今天」不包含本规则的任何词语"
    }


def test_duplicate_code_missing_reason_and_role_are_refused(county: County) -> None:
    load(ABSOLUTE)
    with pytest.raises(InvalidInput) as duplicate:
        services.create_rule(actor=county.division_staff, rule=ABSOLUTE, reason="再加")
    assert duplicate.value.by_field == {"code": "规则编号「ABS-001」已存在"}
    with pytest.raises(InvalidInput) as no_reason:
        services.create_rule(actor=county.division_staff, rule=MEDICAL, reason="  ")
    assert no_reason.value.by_field == {"reason": "请填写变更原因"}
    with pytest.raises(InvalidInput) as long_reason:
        services.create_rule(actor=county.division_staff, rule=MEDICAL, reason="长" * 301)
    assert long_reason.value.by_field == {"reason": "变更原因不能超过300个字"}
    with pytest.raises(NotPermitted):
        services.create_rule(actor=county.east_officer, rule=MEDICAL, reason="越权")
    assert counts() == (1, 1)


def test_edit_rule_records_what_changed_in_the_version(county: County) -> None:
    load()
    row = KeywordRule.objects.get(code="ABS-001")
    changed = dataclasses.replace(ABSOLUTE, terms=("最佳", "最", "顶级"), exceptions=("最近",))
    services.edit_rule(actor=county.admin, row=row, rule=changed, reason="调整词语")
    version = LibraryVersion.objects.get(number=2)
    assert version.changed == ["ABS-001"] and version.added == [] and version.removed == []
    diff = library.diff(
        library.rules_of_version(LibraryVersion.objects.get(number=1)),
        library.rules_of_version(version),
    )
    (change,) = diff.changed
    assert change.terms_added == ["顶级"] and change.terms_removed == ["第一"]
    assert "terms" in change.fields
    event = audit.history(row).first()
    assert event is not None and event.reason == "调整词语"
    assert event.changes["terms"][1] == ["最佳", "最", "顶级"]


def test_edit_refuses_a_new_code_no_change_and_an_invalid_rule(county: County) -> None:
    load()
    row = KeywordRule.objects.get(code="ABS-001")
    with pytest.raises(InvalidInput) as recoded:
        services.edit_rule(
            actor=county.admin, row=row, rule=dataclasses.replace(ABSOLUTE, id="X"), reason="改"
        )
    assert recoded.value.by_field == {"code": "规则编号不可修改"}
    with pytest.raises(Conflict) as same:
        services.edit_rule(actor=county.admin, row=row, rule=ABSOLUTE, reason="无改动")
    assert same.value.message == "规则没有任何改动"
    bad = dataclasses.replace(ABSOLUTE, severity="")
    with pytest.raises(InvalidInput):
        services.edit_rule(actor=county.admin, row=row, rule=bad, reason="改")
    row.refresh_from_db()
    assert row.severity == "high" and LibraryVersion.objects.count() == 1


def test_deactivate_and_reactivate_make_versions(county: County) -> None:
    load()
    row = KeywordRule.objects.get(code="MED-001")
    services.set_active(actor=county.division_staff, row=row, active=False, reason="误报太多")
    version = services.current_version()
    assert version is not None and version.removed == ["MED-001"] and version.rule_count == 2
    assert audit.history(row).first().action == "archive"  # type: ignore[union-attr]
    with pytest.raises(Conflict) as again:
        services.set_active(actor=county.division_staff, row=row, active=False, reason="再停")
    assert again.value.message == "该规则已停用"
    services.set_active(actor=county.division_staff, row=row, active=True, reason="恢复")
    assert services.current_version().added == ["MED-001"]  # type: ignore[union-attr]


def test_a_version_is_immutable() -> None:
    version = load().version
    version.reason = "篡改"
    with pytest.raises(ImmutableVersion):
        version.save()
    with pytest.raises(ImmutableVersion):
        version.delete()
    assert LibraryVersion.objects.get(pk=version.pk).reason == "测试载入"


def test_load_validates_a_library_object_before_writing() -> None:
    bad = dataclasses.replace(MEDICAL, exceptions=("今天",))
    with pytest.raises(InvalidInput) as refused:
        services.load_library(small_library(ABSOLUTE, bad), actor=None, reason="载入")
    assert [e.message for e in refused.value.errors] == [
        "规则「MED-001」：例外「今天」不包含本规则的任何词语"
    ]
    twice = services.load_library
    with pytest.raises(InvalidInput) as duplicated:
        twice(small_library(ABSOLUTE, ABSOLUTE), actor=None, reason="载入")
    assert duplicated.value.by_field == {"file": "规则编号重复：ABS-001"}
    assert counts() == (0, 0)
