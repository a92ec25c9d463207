"""Division supervision items (督办): issued with a deadline, answered, closed or returned."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import County
from tests.inspections.factories import make_inspection
from tests.registry.factories import make_entity
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.oversight.supervision import services as supervision
from xiaoneng.oversight.supervision.models import SupervisionItem
from xiaoneng.registry.models import Entity


def in_days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def issue(county: County, **values: Any) -> SupervisionItem:
    arguments: dict[str, Any] = {
        "actor": county.division_staff,
        "unit": county.east,
        "title": "核查群众投诉",
        "description": "群众投诉城东饭店后厨卫生差，请核查处理并回复。",
        "deadline": in_days(10),
    } | values
    return supervision.issue_supervision(**arguments)


@pytest.fixture
def east_shop(county: County) -> Entity:
    lon, lat = county.east_point()
    return make_entity(name="城东饭店", longitude=lon, latitude=lat)


def test_a_division_puts_a_matter_to_a_station(county: County, east_shop: Entity) -> None:
    item = issue(county, entity=east_shop)
    assert item.status == "open" and item.unit == county.east
    assert item.issued_by == county.division_staff and item.issued_by_unit == county.division
    assert item.issued_on == timezone.localdate() and item.entity == east_shop


def test_the_inspection_concerned_names_its_entity(county: County, east_shop: Entity) -> None:
    record = make_inspection(entity=east_shop, officers=[county.east_officer])
    item = issue(county, inspection=record)
    assert item.entity == east_shop and item.inspection == record


def test_a_bureau_leader_may_supervise_too(county: County) -> None:
    assert issue(county, actor=county.leader).issued_by_unit == county.bureau


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"title": " "}, "title", "请填写督办事项"),
        ({"title": "事" * 201}, "title", "督办事项不能超过 200 个字"),
        ({"description": ""}, "description", "请填写督办要求"),
        ({"deadline": None}, "deadline", "请填写办结期限（YYYY-MM-DD）"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    county: County, values: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        issue(county, **values)
    assert (refused.value.errors[0].field, refused.value.errors[0].message) == (field, message)
    assert not SupervisionItem.objects.exists()


@pytest.mark.parametrize("days", [0, -3])
def test_a_deadline_not_after_today_is_refused(county: County, days: int) -> None:
    with pytest.raises(InvalidInput) as refused:
        issue(county, deadline=in_days(days))
    today = timezone.localdate()
    assert refused.value.errors[0].field == "deadline"
    assert refused.value.errors[0].message == f"办结期限应晚于今天（{today}）：{in_days(days)}"
    assert not SupervisionItem.objects.exists()


def test_an_entity_or_record_of_another_station_is_refused(county: County) -> None:
    lon, lat = county.west_point()
    west_shop = make_entity(name="城西饭店", longitude=lon, latitude=lat)
    with pytest.raises(InvalidInput) as refused:
        issue(county, entity=west_shop)
    assert refused.value.errors[0].message == "该主体不归承办单位监管：城西饭店"
    record = make_inspection(entity=west_shop, officers=[county.west_officer])
    with pytest.raises(InvalidInput) as refused:
        issue(county, inspection=record)
    assert refused.value.errors[0].message == f"该检查记录不属于承办单位：#{record.pk}"
    assert not SupervisionItem.objects.exists()


def test_only_a_station_is_supervised(county: County) -> None:
    with pytest.raises(InvalidInput) as refused:
        issue(county, unit=county.division)
    assert refused.value.errors[0].message == "督办对象应为所：信用监管科"


@pytest.mark.parametrize("who", ["east_director", "east_officer", "admin"])
def test_only_division_or_bureau_staff_supervise(county: County, who: str) -> None:
    with pytest.raises(NotPermitted):
        issue(county, actor=getattr(county, who))
    assert not SupervisionItem.objects.exists()


def test_the_station_director_answers_and_the_division_closes(county: County) -> None:
    item = issue(county)
    supervision.answer_supervision(
        item=item, actor=county.east_director, response="已核查并责令整改"
    )
    item.refresh_from_db()
    assert item.status == "answered" and item.response == "已核查并责令整改"
    assert item.responded_at is not None
    supervision.close_supervision(item=item, actor=county.division_staff, accepted=True, note="")
    item.refresh_from_db()
    assert item.status == "closed" and item.closed_on == timezone.localdate()
    steps = supervision.exchange(item)
    assert [s.action for s in steps] == ["督办", "已回复", "已办结"]
    assert steps[1].text == "已核查并责令整改"


def test_a_returned_item_is_answered_again_and_the_exchange_keeps_both(county: County) -> None:
    item = issue(county)
    supervision.answer_supervision(item=item, actor=county.east_director, response="已处理")
    with pytest.raises(InvalidInput) as refused:
        supervision.close_supervision(
            item=item, actor=county.division_staff, accepted=False, note=""
        )
    assert (refused.value.errors[0].field, refused.value.errors[0].message) == (
        "note",
        "退回重办时请写明理由",
    )
    item.refresh_from_db()
    assert item.status == "answered"
    supervision.close_supervision(
        item=item, actor=county.division_staff, accepted=False, note="未附整改材料"
    )
    item.refresh_from_db()
    assert item.status == "returned" and item.closed_on is None
    supervision.answer_supervision(item=item, actor=county.east_director, response="已补充整改材料")
    steps = supervision.exchange(item)
    assert [(s.action, s.text) for s in steps] == [
        ("督办", "群众投诉城东饭店后厨卫生差，请核查处理并回复。"),
        ("已回复", "已处理"),
        ("退回重办", "未附整改材料"),
        ("已回复", "已补充整改材料"),
    ]
    assert steps[2].actor == str(county.division_staff)


def test_an_answer_needs_text_and_the_right_director(county: County) -> None:
    item = issue(county)
    with pytest.raises(InvalidInput) as refused:
        supervision.answer_supervision(item=item, actor=county.east_director, response=" ")
    assert refused.value.errors[0].field == "response"
    for who in ("west_director", "east_officer", "division_staff"):
        with pytest.raises(NotPermitted) as denied:
            supervision.answer_supervision(item=item, actor=getattr(county, who), response="已处理")
        assert denied.value.message == "只有承办所的所长可以回复督办事项。"
    item.refresh_from_db()
    assert item.status == "open" and item.response == ""


def test_only_the_issuing_side_closes(county: County) -> None:
    from tests.org.factories import OfficerFactory, UnitFactory
    from xiaoneng.org.models import Role, Unit

    other_division = UnitFactory(code="D2", kind=Unit.Kind.DIVISION, parent=county.bureau)
    other_staff = OfficerFactory(username="d2", unit=other_division, roles=[Role.DIVISION_STAFF])
    item = issue(county)
    supervision.answer_supervision(item=item, actor=county.east_director, response="已处理")
    for who in (other_staff, county.east_director):
        with pytest.raises(NotPermitted) as denied:
            supervision.close_supervision(item=item, actor=who, accepted=True, note="")
        assert denied.value.message == "只有督办单位可以办结或退回督办事项。"
    # The bureau above the issuing division may.
    supervision.close_supervision(item=item, actor=county.leader, accepted=True, note="同意办结")
    item.refresh_from_db()
    assert item.status == "closed"


def test_an_open_item_is_not_closed_and_a_closed_one_not_answered(county: County) -> None:
    item = issue(county)
    with pytest.raises(Conflict) as refused:
        supervision.close_supervision(
            item=item, actor=county.division_staff, accepted=True, note=""
        )
    assert refused.value.message == "督办事项状态为“督办中”，不能改为“已办结”"
    supervision.answer_supervision(item=item, actor=county.east_director, response="已处理")
    supervision.close_supervision(item=item, actor=county.division_staff, accepted=True, note="")
    with pytest.raises(Conflict):
        supervision.answer_supervision(item=item, actor=county.east_director, response="再补充")


def test_overdue_means_not_closed_by_the_deadline(county: County) -> None:
    late = issue(county, title="逾期事项")
    answered = issue(county, title="已回复未办结")
    closed = issue(county, title="已办结")
    on_time = issue(county, title="未到期")
    supervision.answer_supervision(item=answered, actor=county.east_director, response="已处理")
    supervision.answer_supervision(item=closed, actor=county.east_director, response="已处理")
    supervision.close_supervision(item=closed, actor=county.division_staff, accepted=True, note="")
    SupervisionItem.objects.filter(pk__in=[late.pk, answered.pk, closed.pk]).update(
        deadline=in_days(-1)
    )
    today = timezone.localdate()
    items = SupervisionItem.objects.all()
    assert {i.title for i in supervision.overdue(items, today)} == {"逾期事项", "已回复未办结"}
    on_time.refresh_from_db()
    late.refresh_from_db()
    assert supervision.is_overdue(late) and not supervision.is_overdue(on_time)
    assert {i.title for i in supervision.closed_late(items)} == {"已办结"}
