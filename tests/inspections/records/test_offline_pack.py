"""``GET /api/v1/inspections/offline-pack``: the officer's tasks of the coming days, with their
entities, checklists, drafts and last findings, for the phone to keep offline."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import County, client_for
from tests.inspections.factories import make_checklist, make_inspection
from tests.inspections.records.helpers import fill, second_officer
from tests.registry.factories import make_entity
from xiaoneng.inspections.checklists.services import checklist_for
from xiaoneng.inspections.models import Checklist, Inspection
from xiaoneng.inspections.records.offline_pack import checklists_in_force
from xiaoneng.inspections.records.services import open_inspection
from xiaoneng.org.models import Officer
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.registry.models import Entity, Licence

URL = "/api/v1/inspections/offline-pack"

pytestmark = pytest.mark.usefixtures("media")


def today() -> dt.date:
    return timezone.localdate()


def in_days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def entity(county: County, name: str, **values: Any) -> Entity:
    lon, lat = county.east_point()
    return make_entity(longitude=lon, latitude=lat, name=name, **values)


def task(
    county: County,
    name: str,
    *,
    day: dt.date | None,
    due: dt.date | None = None,
    officer: Officer | None = None,
    status: str = Task.Status.PLANNED,
) -> Task:
    """A task of the east station on ``day`` (its period: today's month)."""
    period = today().strftime("%Y-%m")
    plan, _ = Plan.objects.get_or_create(
        kind="patrol",
        period=period,
        unit=county.east,
        defaults={"title": "本月巡查", "capacity": 6},
    )
    return Task.objects.create(
        plan=plan,
        entity=entity(county, name),
        unit=county.east,
        period=period,
        officer=officer or county.east_officer,
        description="日常巡查",
        standard="按检查清单逐项检查",
        responsibility="责任区干部",
        scheduled_on=day,
        due_on=due,
        status=status,
    )


@pytest.fixture
def in_force(db: Any) -> Checklist:
    """The checklist in force for the test entities' industry (H6210): its whole code is the
    longest prefix, before the starter checklist (catering, H62)."""
    checklist = make_checklist(items=3, code="test-restaurants")
    checklist.industry_prefixes = "H6210"
    checklist.save()
    return checklist


def get(client: Any, query: str = "") -> Any:
    return client.get(URL + query)


def pack(county: County, query: str = "") -> dict[str, Any]:
    response = get(client_for(county.east_officer), query)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_pack_answers_its_documented_shape(county: County, in_force: Checklist) -> None:
    planned = task(county, "城东便民超市", day=today(), due=in_days(10))
    body = pack(county)
    assert set(body) == {"generated_at", "days", "through", "officer", "tasks", "checklists"}
    assert body["days"] == 3
    assert body["through"] == in_days(2).isoformat()
    assert body["officer"] == {"username": "east_officer", "name": str(county.east_officer)}
    [answer] = body["tasks"]
    place = planned.entity
    assert answer == {
        "task_id": planned.pk,
        "scheduled_on": today().isoformat(),
        "due_on": in_days(10).isoformat(),
        "description": "日常巡查",
        "standard": "按检查清单逐项检查",
        "entity": {
            "id": place.pk,
            "uscc": place.uscc,
            "name": "城东便民超市",
            "address": place.address,
            "longitude": place.longitude,
            "latitude": place.latitude,
            "industry": place.industry.name,
            "grid": place.grid.code if place.grid else None,
        },
        "kind": "onsite",
        "checklist_id": in_force.pk,
        "draft": None,
        "last_inspection": None,
    }
    [checklist] = body["checklists"]
    assert {k: v for k, v in checklist.items() if k != "items"} == {
        "id": in_force.pk,
        "code": "test-restaurants",
        "version": 1,
        "title": "测试检查清单",
        "kind": "onsite",
    }
    items = list(in_force.items.order_by("position"))
    assert checklist["items"] == [
        {
            "id": item.pk,
            "number": item.number,
            "title": item.title,
            "method": item.method,
            "legal_basis": item.legal_basis,
            "severity": item.severity,
        }
        for item in items
    ]


def test_only_the_officers_own_planned_tasks_through_the_last_day(
    county: County, in_force: Checklist
) -> None:
    colleague = second_officer(county)
    overdue = task(county, "E 逾期未查", day=in_days(-4))
    later_today = task(county, "B 今日", day=today())
    first_today = task(county, "A 今日", day=today())
    last_day = task(county, "C 第三日", day=in_days(2))
    due_only = task(county, "D 仅有应查日期", day=None, due=in_days(1))
    task(county, "F 第四日", day=in_days(3))
    task(county, "G 同事的任务", day=today(), officer=colleague)
    task(county, "H 已完成", day=today(), status=Task.Status.DONE)
    task(county, "I 已取消", day=today(), status=Task.Status.CANCELLED)
    task(county, "J 没有日期", day=None)
    ids = [t["task_id"] for t in pack(county)["tasks"]]
    assert ids == [overdue.pk, first_today.pk, later_today.pk, due_only.pk, last_day.pk]
    # One more day reaches the fourth day's task; the colleague sees only their own.
    assert len(pack(county, "?days=4")["tasks"]) == 6
    response = get(client_for(colleague), "?days=1")
    assert [t["task_id"] for t in response.json()["tasks"]] == [
        Task.objects.get(entity__name="G 同事的任务").pk
    ]


def test_a_tasks_draft_comes_with_its_revision_results_and_checklist(
    county: County, in_force: Checklist
) -> None:
    planned = task(county, "城东便民超市", day=today())
    own = make_checklist(items=2)
    record = open_inspection(
        officer=county.east_officer, kind="onsite", task=planned, checklist=own
    )
    record = fill(record, county.east_officer, marks=("pass", "fail"), notes=("", "冷柜过期酸奶"))
    assert record.revision == 2
    body = pack(county)
    [answer] = body["tasks"]
    first, second = own.items.order_by("position")
    assert answer["checklist_id"] == own.pk
    draft = answer["draft"]
    assert draft["updated_at"]
    assert {k: v for k, v in draft.items() if k != "updated_at"} == {
        "inspection_id": record.pk,
        "revision": 2,
        "checklist_id": own.pk,
        "results": [
            {"item": first.pk, "result": "pass", "note": ""},
            {"item": second.pk, "result": "fail", "note": "冷柜过期酸奶"},
        ],
        "summary": "证照齐全，经营正常",
        "updated_by": "east_officer",
    }
    # Only the draft's checklist is sent: the one in force is no task's.
    assert [c["id"] for c in body["checklists"]] == [own.pk]


def test_the_last_signed_inspection_brings_its_failed_items(
    county: County, in_force: Checklist
) -> None:
    planned = task(county, "城东便民超市", day=today())
    place = planned.entity
    people = [county.east_officer]
    make_inspection(
        entity=place,
        officers=people,
        checklist=in_force,
        results=["fail", "fail", "fail"],
        visited_on=in_days(-90),
    )
    latest = make_inspection(
        entity=place,
        officers=people,
        checklist=in_force,
        results=["pass", "fail", "fail"],
        notes=["", "健康证过期", "未索证索票"],
        visited_on=in_days(-30),
        summary="两项不合格，责令改正",
    )
    # A draft, however recent, is no finding.
    make_inspection(entity=place, officers=people, checklist=in_force, signed=False)
    last = pack(county)["tasks"][0]["last_inspection"]
    assert last == {
        "inspection_id": latest.pk,
        "visited_on": in_days(-30).isoformat(),
        "summary": "两项不合格，责令改正",
        "failed": [
            {"number": "2", "title": "检查事项2", "note": "健康证过期"},
            {"number": "3", "title": "检查事项3", "note": "未索证索票"},
        ],
    }
    # A signed correction of the latest record stands for it.
    correction = make_inspection(
        entity=place,
        officers=people,
        checklist=in_force,
        results=["pass", "pass", "fail"],
        notes=["", "", "未索证索票"],
        visited_on=in_days(-30),
        amends=latest,
        amendment_reason="第 2 项误判",
    )
    last = pack(county)["tasks"][0]["last_inspection"]
    assert last["inspection_id"] == correction.pk
    assert [f["number"] for f in last["failed"]] == ["3"]


def test_another_units_record_is_not_the_last_finding(county: County, in_force: Checklist) -> None:
    planned = task(county, "城东便民超市", day=today())
    record = make_inspection(
        entity=planned.entity,
        officers=[county.west_officer],
        checklist=in_force,
        results=["fail", "pass", "pass"],
    )
    Inspection.objects.filter(pk=record.pk).update(unit=county.west)
    assert pack(county)["tasks"][0]["last_inspection"] is None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?days=0", "不能小于 1"),
        ("?days=15", "不能大于 14"),
        ("?days=abc", "应为整数"),
    ],
)
def test_days_out_of_range_answers_422(county: County, query: str, message: str) -> None:
    response = get(client_for(county.east_officer), query)
    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert body["errors"] == [{"field": "days", "message": message}]


def test_fourteen_days_is_the_longest_pack(county: County, in_force: Checklist) -> None:
    task(county, "城东便民超市", day=in_days(13))
    body = pack(county, "?days=14")
    assert (body["days"], body["through"]) == (14, in_days(13).isoformat())
    assert len(body["tasks"]) == 1


def test_an_anonymous_request_answers_401(county: County) -> None:
    response = get(Client())
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}


def test_the_number_of_queries_does_not_grow_with_the_tasks(
    county: County, in_force: Checklist, django_assert_max_num_queries: Any
) -> None:
    client = client_for(county.east_officer)
    for index in range(6):
        planned = task(county, f"主体{index}", day=in_days(index % 3))
        make_inspection(
            entity=planned.entity,
            officers=[county.east_officer],
            checklist=in_force,
            results=["fail", "pass", "pass"],
            notes=["未公示许可证", "", ""],
        )
        if index % 2:
            open_inspection(officer=county.east_officer, kind="onsite", task=planned)
    Licence.objects.create(
        entity=Task.objects.get(entity__name="主体0").entity,
        kind="food_business",
        number="JY16540020000001",
        issued=dt.date(2025, 1, 1),
    )
    with django_assert_max_num_queries(13):
        response = get(client)
    body = response.json()
    assert len(body["tasks"]) == 6
    assert sum(t["draft"] is not None for t in body["tasks"]) == 3
    assert all(t["last_inspection"]["failed"] for t in body["tasks"])
    assert [c["id"] for c in body["checklists"]] == [in_force.pk]


def test_the_checklists_in_force_are_those_of_checklist_for(county: County) -> None:
    # The starter checklists: catering (H62), food-retail (F5212…), agricultural-supplies
    # (a pesticide licence), general-trade (any trade).
    restaurant = make_entity(name="餐馆")
    grocer = make_entity(name="食杂店", industry="F5212")
    seller = make_entity(name="农资店", industry="F5299")
    shop = make_entity(name="杂货店", industry="F5299")
    Licence.objects.create(
        entity=seller, kind="pesticide", number="NY1", issued=dt.date(2025, 1, 1)
    )
    places = (restaurant, grocer, seller, shop)
    found = checklists_in_force(places, on=today())
    assert {e.name: found[e.pk].code for e in places} == {
        "餐馆": "catering",
        "食杂店": "food-retail",
        "农资店": "agricultural-supplies",
        "杂货店": "general-trade",
    }
    for place in places:
        assert found[place.pk] == checklist_for(entity=place, kind="onsite")


def test_no_checklist_in_force_gives_none(county: County) -> None:
    Checklist.objects.filter(kind="onsite").update(retired_on=in_days(-1))
    planned = task(county, "城东便民超市", day=today())
    body = pack(county)
    assert body["tasks"][0]["task_id"] == planned.pk
    assert body["tasks"][0]["checklist_id"] is None
    assert body["checklists"] == []
    assert not Inspection.objects.exists()
