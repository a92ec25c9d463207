"""The overview's to-do cards: each role sees its own work, counted as its list counts it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.conftest import County, client_for
from tests.inspections.factories import make_checklist, make_inspection
from tests.registry.factories import make_entity
from xiaoneng.core.states import unlocked
from xiaoneng.inspections.models import Inspection, TraceFlag
from xiaoneng.inspections.records.services import open_inspection
from xiaoneng.web.todo import todo_for


def labels(cards: list) -> dict[str, int]:  # type: ignore[type-arg]
    return {str(c.label): c.count for c in cards}


def east_entity(county: County):  # type: ignore[no-untyped-def]
    lon, lat = county.east_point()
    return make_entity(longitude=lon, latitude=lat)


def test_a_grid_officer_sees_drafts_and_tasks_a_director_sees_flags_too(county: County) -> None:
    today = timezone.localdate()
    entity = east_entity(county)
    open_inspection(
        entity=entity,
        officer=county.east_officer,
        kind="onsite",
        origin=Inspection.Origin.AD_HOC,
        checklist=make_checklist(),
    )
    signed = make_inspection(entity=entity, officers=[county.east_officer])
    flag = TraceFlag(
        inspection=signed,
        unit=county.east,
        kind="short",
        detail="检查时长 2 分钟",
        raised_at=timezone.now(),
    )
    with unlocked(flag):
        flag.status = TraceFlag.Status.OPEN
    flag.save()

    officer = labels(todo_for(county.east_officer, today))
    assert officer["未签名的检查记录"] == 1
    assert officer["今日及逾期待查任务"] == 0
    assert "痕迹疑点待核实" not in officer
    director = labels(todo_for(county.east_director, today))
    assert director["痕迹疑点待核实"] == 1 and director["未签名的检查记录"] == 0
    # Another station's director sees none of it.
    assert labels(todo_for(county.west_director, today))["痕迹疑点待核实"] == 0
    # A leader supervises: overdue supervision items, no inspection work.
    assert set(labels(todo_for(county.leader, today))) == {"督办事项逾期未办结"}


def test_the_cards_show_on_the_overview_and_open_their_lists(county: County) -> None:
    html = client_for(county.east_director).get("/").content.decode()
    assert 'data-testid="todo"' in html
    assert 'href="/trace/?status=open"' in html
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    assert f'href="/reviews/?month={month}&amp;status=pending"' in html
    assert client_for(county.east_director).get("/trace/?status=open").status_code == 200
    admin = client_for(county.admin).get("/").content.decode()
    assert 'data-testid="todo"' not in admin
