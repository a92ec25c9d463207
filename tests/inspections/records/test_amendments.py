"""Correcting a signed record: a linked amendment with a reason; the original never changes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import County
from tests.inspections.factories import at, make_checklist
from tests.inspections.records.helpers import (
    DAY,
    draft,
    east_entity,
    east_task,
    fill,
    item_ids,
    second_officer,
)
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.inspections.models import Inspection
from xiaoneng.inspections.records.drafts import save_draft
from xiaoneng.inspections.records.services import amend_inspection, amendment_chain, open_inspection
from xiaoneng.inspections.records.signing import sign_inspection
from xiaoneng.planning.patrol.models import Task

SIGN_AT = at(DAY, 10)


def signed_record(county: County, **options: Any) -> Inspection:
    inspection = fill(
        draft(county, **options),
        county.east_officer,
        marks=("pass", "fail", "na"),
        notes=("", "未建立进货台账", ""),
    )
    for row in inspection.team.order_by("id"):
        sign_inspection(inspection=inspection, officer=row.officer, at=SIGN_AT)
    inspection.refresh_from_db()
    return inspection


def test_an_amendment_copies_the_record_and_links_to_it(county: County) -> None:
    helper = second_officer(county)
    original = signed_record(county, team=[helper])
    amendment = amend_inspection(
        inspection=original, officer=county.east_officer, reason="第 2 项说明写错了主体"
    )
    assert amendment.status == Inspection.Status.DRAFT and amendment.amends == original
    assert amendment.amendment_reason == "第 2 项说明写错了主体"
    assert amendment.checklist_id == original.checklist_id
    same = ("started_at", "finished_at", "checkin_at", "checkin_longitude", "summary", "visited_on")
    assert all(getattr(amendment, f) == getattr(original, f) for f in same)
    results = list(amendment.results.order_by("item__position").values_list("result", "note"))
    assert results == [("pass", ""), ("fail", "未建立进货台账"), ("na", "")]
    team = list(amendment.team.order_by("id").values_list("officer_id", "signed_at"))
    assert team == [(county.east_officer.pk, None), (helper.pk, None)]
    assert list(original.amendments.all()) == [amendment]


def test_signing_an_amendment_follows_the_same_rules_and_leaves_the_original(
    county: County,
) -> None:
    original = signed_record(county)
    amendment = amend_inspection(
        inspection=original, officer=county.east_officer, reason="第 3 项应为符合"
    )
    third = item_ids(amendment)[2]
    save_draft(
        inspection=amendment,
        officer=county.east_officer,
        revision=amendment.revision,
        values={"results": {third: {"result": ""}}},
    )
    with pytest.raises(InvalidInput) as refused:
        sign_inspection(inspection=amendment, officer=county.east_officer, at=SIGN_AT)
    assert refused.value.message == "results: 以下检查事项尚无结论：第 3 项"
    save_draft(
        inspection=amendment,
        officer=county.east_officer,
        revision=amendment.revision + 1,
        values={"results": {third: {"result": "pass"}}},
    )
    signed = sign_inspection(inspection=amendment, officer=county.east_officer, at=SIGN_AT)
    assert signed.status == Inspection.Status.SIGNED
    original.refresh_from_db()
    assert original.results.get(item_id=third).result == "na"
    assert original.status == Inspection.Status.SIGNED and original.revision == 2


def test_a_reason_of_at_least_five_characters_is_required(county: County) -> None:
    original = signed_record(county)
    with pytest.raises(InvalidInput) as refused:
        amend_inspection(inspection=original, officer=county.east_officer, reason=" 写错 ")
    assert refused.value.message == "reason: 请填写更正理由（至少 5 个字）"
    assert Inspection.objects.count() == 1


def test_a_draft_is_edited_not_amended(county: County) -> None:
    with pytest.raises(Conflict) as refused:
        amend_inspection(inspection=draft(county), officer=county.east_officer, reason="五个字以上")
    assert refused.value.message == "只有已签名的检查记录可以更正；草稿请直接修改。"


def test_only_one_open_amendment_at_a_time(county: County) -> None:
    original = signed_record(county)
    first = amend_inspection(inspection=original, officer=county.east_officer, reason="更正第二项")
    with pytest.raises(Conflict) as refused:
        amend_inspection(inspection=original, officer=county.east_officer, reason="再更正一次")
    assert refused.value.message == f"该记录已有未签名的更正草稿（#{first.pk}），请先完成该草稿。"
    assert Inspection.objects.count() == 2


def test_an_amended_record_is_corrected_again_only_at_the_end_of_its_chain(
    county: County,
) -> None:
    original = signed_record(county)
    first = amend_inspection(inspection=original, officer=county.east_officer, reason="更正第二项")
    first = sign_inspection(inspection=first, officer=county.east_officer, at=SIGN_AT)
    with pytest.raises(Conflict) as refused:
        amend_inspection(inspection=original, officer=county.east_officer, reason="再更正一次")
    assert refused.value.message == f"该记录已被更正（#{first.pk}），请对最新的记录提出更正。"
    second = amend_inspection(inspection=first, officer=county.east_officer, reason="再更正一次")
    assert second.amends == first
    assert [r.pk for r in amendment_chain(first)] == [original.pk, first.pk, second.pk]
    assert [r.pk for r in amendment_chain(original)] == [original.pk, first.pk, second.pk]


def test_someone_outside_the_team_cannot_amend(county: County) -> None:
    original = signed_record(county)
    with pytest.raises(NotPermitted):
        amend_inspection(inspection=original, officer=second_officer(county), reason="五个字以上")
    amendment = amend_inspection(
        inspection=original, officer=county.east_director, reason="所长抽查发现时间有误"
    )
    assert amendment.updated_by == county.east_director


def test_an_amendment_of_a_tasks_record_leaves_the_task_done_once(county: County) -> None:
    task = east_task(county, east_entity(county))
    inspection = open_inspection(
        officer=county.east_officer, kind="onsite", task=task, checklist=make_checklist()
    )
    fill(inspection, county.east_officer)
    sign_inspection(inspection=inspection, officer=county.east_officer, at=SIGN_AT)
    amendment = amend_inspection(
        inspection=inspection, officer=county.east_officer, reason="补充检查情况"
    )
    assert amendment.task == task
    sign_inspection(inspection=amendment, officer=county.east_officer, at=SIGN_AT)
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    with pytest.raises(Conflict) as refused:
        open_inspection(
            officer=county.east_officer, kind="onsite", task=task, checklist=make_checklist()
        )
    assert refused.value.message == (
        f"该任务已有签名的检查记录（#{inspection.pk}）；如需更正，请对该记录提出更正。"
    )


def test_signing_an_amendment_keeps_the_original_finding_instead_of_a_second_one(
    county: County,
) -> None:
    from xiaoneng.inspections.models import Finding

    original = signed_record(county)
    assert original.findings.count() == 1
    amendment = amend_inspection(
        inspection=original, officer=county.east_officer, reason="第 1 项也不符合，补记"
    )
    first = item_ids(amendment)[0]
    save_draft(
        inspection=amendment,
        officer=county.east_officer,
        revision=amendment.revision,
        values={"results": {first: {"result": "fail", "note": "过期食品未下架"}}},
    )
    sign_inspection(inspection=amendment, officer=county.east_officer, at=SIGN_AT)
    # The second item's finding stays on the original; only the newly failed item is added.
    assert Finding.objects.filter(inspection=original).count() == 1
    assert list(
        Finding.objects.filter(inspection=amendment).values_list("description", flat=True)
    ) == ["过期食品未下架"]
