"""Plan and campaign pages: they render, they are scoped, and their forms refuse bad input."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import County, client_for
from tests.org.factories import OfficerFactory
from tests.planning.patrol.test_schedule import calendar_known_ahead, east_entity  # noqa: F401
from tests.registry.factories import make_entity
from xiaoneng.core.models import AuditEvent
from xiaoneng.org.models import Officer, Role
from xiaoneng.planning.campaigns.services import CampaignInput, create_campaign
from xiaoneng.planning.patrol.models import Campaign, Plan, Task
from xiaoneng.planning.patrol.services import generate_patrol_plan, period_of

D = dt.date


def this_month() -> str:
    return period_of(timezone.localdate())


@pytest.fixture
def planned(county: County) -> dict[str, Any]:
    """This month's plans of both stations, and a campaign led by the east station."""
    east = east_entity(county, name="城东专属饭店", registered_on=D(2018, 1, 1))
    lon, lat = county.west_point()
    west = make_entity(
        name="城西专属饭店", longitude=lon, latitude=lat, registered_on=D(2018, 1, 1)
    )
    last_day = timezone.localdate().replace(day=28)
    east_plan = generate_patrol_plan(period=this_month(), unit_code="S-E", today=last_day)
    west_plan = generate_patrol_plan(period=this_month(), unit_code="S-W", today=last_day)
    campaign = create_campaign(
        data=CampaignInput(
            title="城东校园周边食品安全专项整治",
            theme="area",
            checkpoints="食品经营许可、进货查验",
            start_on=timezone.localdate(),
            end_on=timezone.localdate() + dt.timedelta(days=20),
            unit_code="S-E",
            usccs=[east.uscc],
        ),
        actor=county.leader,
    )
    return {
        "east": east,
        "west": west,
        "east_plan": Plan.objects.get(pk=east_plan.plan_id),
        "west_plan": Plan.objects.get(pk=west_plan.plan_id),
        "east_task": Task.objects.get(plan_id=east_plan.plan_id),
        "campaign": campaign,
    }


def pages(p: dict[str, Any]) -> list[str]:
    return [
        f"/plans/{p['east_plan'].pk}/",
        f"/plans/tasks/{p['east_task'].pk}/",
        "/plans/calendar/officer/east_officer/",
        "/plans/calendar/station/S-E/",
        "/plans/due/?grid=G-E",
        "/plans/due/?officer=east_officer",
        "/plans/due/?station=S-E",
        f"/campaigns/{p['campaign'].pk}/",
        f"/api/v1/plans/{p['east_plan'].pk}",
        f"/api/v1/tasks/{p['east_task'].pk}",
        "/api/v1/calendar/officer/east_officer",
        "/api/v1/calendar/station/S-E",
        "/api/v1/due?grid=G-E",
        "/api/v1/due?officer=east_officer",
        "/api/v1/due?station=S-E",
        f"/api/v1/campaigns/{p['campaign'].pk}",
    ]


def test_every_page_and_endpoint_answers_its_own_units_staff(
    county: County, planned: dict[str, Any]
) -> None:
    for client in (client_for(county.east_director), client_for(county.leader)):
        for path in pages(planned):
            response = client.get(path)
            assert response.status_code == 200, path
    officer = client_for(county.east_officer)
    assert officer.get(f"/plans/tasks/{planned['east_task'].pk}/").status_code == 200


def test_another_units_plan_task_calendar_due_list_and_campaign_answer_404(
    county: County, planned: dict[str, Any]
) -> None:
    client = client_for(county.west_officer)
    for path in pages(planned):
        assert client.get(path).status_code == 404, path


def test_another_units_task_cannot_be_cancelled_or_completed(
    county: County, planned: dict[str, Any]
) -> None:
    task = planned["east_task"]
    client = client_for(county.west_director)
    assert client.post(f"/plans/tasks/{task.pk}/cancel/", {"reason": "x"}).status_code == 404
    assert client.post(f"/plans/tasks/{task.pk}/", {"note": "x"}).status_code == 404
    task.refresh_from_db()
    assert task.status == Task.Status.PLANNED


LISTS = [
    "/plans/",
    "/campaigns/",
    "/plans/due/?all=1&overdue=0",
    "/plans/calendar/station/S-W/",
    "/api/v1/plans",
    "/api/v1/tasks?page_size=500",
    "/api/v1/campaigns",
    "/api/v1/due?overdue_only=false",
    "/api/v1/calendar/station/S-W",
]


@pytest.mark.parametrize("path", LISTS)
def test_lists_show_only_the_users_units(
    county: County, planned: dict[str, Any], path: str
) -> None:
    response = client_for(county.west_director).get(path)
    assert response.status_code == 200
    text = response.content.decode()
    for secret in ("城东专属饭店", planned["east"].uscc, "城东所", "校园周边", "east_officer"):
        assert secret not in text, f"{path} shows {secret}"


def test_the_west_lists_show_the_west(county: County, planned: dict[str, Any]) -> None:
    client = client_for(county.west_director)
    assert "城西专属饭店" in client.get("/plans/due/?station=S-W").content.decode()
    tasks = client.get("/api/v1/tasks").json()
    assert [t["entity"] for t in tasks["items"]] == ["城西专属饭店"]
    assert client.get("/plans/").content.decode().count(this_month()) >= 1


def test_officer_calendar_lists_todays_tasks_on_top(
    county: County, planned: dict[str, Any]
) -> None:
    task = planned["east_task"]
    Task.objects.filter(pk=task.pk).update(scheduled_on=timezone.localdate())
    response = client_for(county.east_officer).get("/plans/calendar/")
    assert response.status_code == 302
    page = client_for(county.east_officer).get(response["Location"]).content.decode()
    top = page.index('data-testid="today-tasks"')
    assert page.index("城东专属饭店", top) < page.index('data-testid="month"')


def test_station_director_without_grids_is_sent_to_the_station_calendar(
    county: County, planned: dict[str, Any]
) -> None:
    response = client_for(county.east_director).get("/plans/calendar/")
    assert response["Location"] == "/plans/calendar/station/S-E/"


def test_the_station_calendar_links_only_the_officers_calendars_that_open(
    county: County, planned: dict[str, Any]
) -> None:
    """An officer since moved to the west station kept a task of the east one: his calendar
    is out of the east director's scope (404), so his name is shown without a link."""
    moved = OfficerFactory(username="moved.officer-1", unit=county.east, roles=[Role.GRID_OFFICER])
    task = planned["east_task"]
    Task.objects.filter(pk=task.pk).update(officer=moved, scheduled_on=timezone.localdate())
    moved.unit = county.west
    moved.save()
    left = OfficerFactory(username="left.officer", unit=county.east)
    Officer.objects.filter(pk=left.pk).update(is_active=False)
    client = client_for(county.east_director)
    page = client.get("/plans/calendar/station/S-E/")
    body = page.content.decode()
    names = [row[0].username for row in page.context["table"]]
    assert "moved.officer-1" in names and "left.officer" not in names
    links = re.findall(r'href="(/plans/calendar/officer/[^"?]+/)', body)
    assert links and "/plans/calendar/officer/moved.officer-1/" not in links
    assert all(client.get(link).status_code == 200 for link in links)
    assert 'data-testid="unlinked-officer"' in body and "城西所" in body
    assert client.get("/plans/calendar/officer/moved.officer-1/").status_code == 404
    assert left.username not in body
    # The leader sees both stations: the moved officer's calendar opens, so it is linked.
    leader = client_for(county.leader).get("/plans/calendar/station/S-E/").content.decode()
    assert "/plans/calendar/officer/moved.officer-1/" in leader


@pytest.mark.parametrize(
    ("due_in", "scheduled_in", "shown"),
    [
        (400, -2, "计划日已过"),  # due next year, only its planned day has passed
        (-1, -2, "逾期未查"),  # due yesterday, still not done
        (30, 3, "待检查"),
    ],
)
def test_a_task_is_overdue_only_once_its_due_date_has_passed(
    county: County, planned: dict[str, Any], due_in: int, scheduled_in: int, shown: str
) -> None:
    task = planned["east_task"]
    today = timezone.localdate()
    Task.objects.filter(pk=task.pk).update(
        due_on=today + dt.timedelta(days=due_in),
        scheduled_on=today + dt.timedelta(days=scheduled_in),
    )
    body = client_for(county.east_officer).get(f"/plans/tasks/{task.pk}/").content.decode()
    status = body[body.index('<span class="badge') :].split("</span>", 1)[0]
    assert shown in status
    assert ("逾期未查" in body) == (shown == "逾期未查")


def test_a_task_without_a_due_date_is_overdue_after_its_period(county: County) -> None:
    task = Task(period="2026-02", due_on=None)
    assert task.deadline == D(2026, 2, 28)
    assert Task(period="2026-02", due_on=D(2027, 1, 4)).deadline == D(2027, 1, 4)


def test_a_bad_month_falls_back_to_this_month_with_a_message(
    county: County, planned: dict[str, Any]
) -> None:
    client = client_for(county.east_officer)
    page = client.get("/plans/calendar/officer/east_officer/?month=2026-13").content.decode()
    assert "期间的年份或月份超出范围：2026-13" in page
    api = client.get("/api/v1/calendar/officer/east_officer?month=26-12")
    assert api.status_code == 422
    body = api.json()
    assert body["detail"] == "请求数据无效"
    assert [error["field"] for error in body["errors"]] == ["month"]


def test_generate_form_dry_run_reports_and_run_redirects(county: County) -> None:
    east_entity(county, registered_on=D(2018, 1, 1))
    client = client_for(county.east_director)
    form = {"period": this_month(), "unit": "S-E", "capacity": "6"}
    if timezone.localdate().day > 27:
        form["period"] = period_of(timezone.localdate() + dt.timedelta(days=10))
    dry = client.post("/plans/generate/", {**form, "dry_run": "1"})
    assert dry.status_code == 200 and 'data-testid="plan-report"' in dry.content.decode()
    assert not Plan.objects.exists()
    run = client.post("/plans/generate/", {**form, "dry_run": "0"})
    plan = Plan.objects.get()
    assert run.status_code == 302 and run["Location"] == f"/plans/{plan.pk}/"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"period": "2026/12"}, "期间应为 YYYY-MM 格式的年月（如 2026-12）：2026/12"),
        ({"period": ""}, "期间应为 YYYY-MM 格式的年月（如 2026-12）："),
        ({"period": "2026-00"}, "期间的年份或月份超出范围：2026-00"),
        ({"unit": "NOPE"}, "未知的单位代码：NOPE"),
        ({"unit": "S-W"}, "该记录不属于您所在单位的辖区。"),
        ({"capacity": "0"}, "每人每日上限应为 1 至 50 之间的整数：0"),
        ({"capacity": "x"}, "每人每日上限应为 1 至 50 之间的整数：x"),
    ],
)
def test_generate_form_refuses_bad_input_and_writes_nothing(
    county: County, form: dict[str, str], message: str
) -> None:
    east_entity(county, registered_on=D(2018, 1, 1))
    values = {"period": period_of(timezone.localdate()), "unit": "S-E", "capacity": "6"} | form
    response = client_for(county.east_director).post("/plans/generate/", values)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Plan.objects.exists() and not Task.objects.exists()


def test_generate_form_is_refused_to_a_grid_officer(county: County) -> None:
    response = client_for(county.east_officer).get("/plans/generate/")
    assert response.status_code == 403


def test_complete_form_records_the_result_and_refuses_bad_values(
    county: County, planned: dict[str, Any]
) -> None:
    task = planned["east_task"]
    client = client_for(county.east_officer)
    path = f"/plans/tasks/{task.pk}/"
    today = timezone.localdate()
    bad = client.post(path, {"done_on": "", "note": ""})
    assert "请填写检查日期（YYYY-MM-DD）" in bad.content.decode()
    bad = client.post(path, {"done_on": today.isoformat(), "note": "x", "notices_issued": "2"})
    assert "发出通知书时应勾选“发现违法行为”" in bad.content.decode()
    bad = client.post(
        path, {"done_on": today.isoformat(), "note": "x", "items_confiscated_quantity": "-1"}
    )
    assert "收缴数量不能为负数：-1" in bad.content.decode()
    task.refresh_from_db()
    assert task.status == Task.Status.PLANNED
    good = client.post(
        path,
        {
            "done_on": today.isoformat(),
            "note": "亮照经营，未发现问题",
            "violation_found": "1",
            "notices_issued": "1",
        },
    )
    assert good.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.done_by, task.notices_issued) == ("done", county.east_officer, 1)


def test_another_officer_sees_no_complete_form(county: County, planned: dict[str, Any]) -> None:
    task = planned["east_task"]
    page = client_for(county.leader).get(f"/plans/tasks/{task.pk}/").content.decode()
    assert 'data-testid="complete-form"' not in page
    assert 'data-testid="six-fixes"' in page


def test_campaign_form_creates_a_campaign_from_a_list(county: County) -> None:
    entity = east_entity(county)
    today = timezone.localdate()
    form = {
        "title": "清理整顿涉医广告行动",
        "theme": "list",
        "checkpoints": "医疗广告是否经审查",
        "start_on": today.isoformat(),
        "end_on": (today + dt.timedelta(days=20)).isoformat(),
        "population": "list",
        "usccs": entity.uscc,
    }
    response = client_for(county.division_staff).post("/campaigns/new/", form)
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/campaigns/{campaign.pk}/"
    detail = client_for(county.division_staff).get(response["Location"]).content.decode()
    assert 'data-testid="campaign-stats"' in detail


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"title": ""}, "请填写名称"),
        ({"start_on": "2026-02-30"}, "请填写开始日期（YYYY-MM-DD）"),
        ({"end_on": "yesterday"}, "请填写结束日期（YYYY-MM-DD）"),
        ({"industry": "Q99"}, "未知的行业代码：Q99"),
        ({"industry": "", "grid": "G-NONE"}, "未知的网格编号：G-NONE"),
        ({"industry": ""}, "请至少设定一个筛选条件，或上传名单"),
        ({"population": "list", "usccs": "NOT-A-CODE"}, "统一社会信用代码无效：NOT-A-CODE"),
    ],
)
def test_campaign_form_refuses_bad_input_and_writes_nothing(
    county: County, form: dict[str, str], message: str
) -> None:
    east_entity(county)
    today = timezone.localdate()
    values = {
        "title": "清理整顿涉医广告行动",
        "theme": "industry",
        "checkpoints": "医疗广告是否经审查",
        "start_on": today.isoformat(),
        "end_on": (today + dt.timedelta(days=20)).isoformat(),
        "population": "filters",
        "industry": "H62",
    } | form
    events = AuditEvent.objects.count()
    response = client_for(county.division_staff).post("/campaigns/new/", values)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Campaign.objects.exists() and AuditEvent.objects.count() == events


def test_navigation_has_plans_and_campaigns(county: County) -> None:
    page = client_for(county.east_officer).get("/").content.decode()
    assert 'href="/plans/"' in page and 'href="/campaigns/"' in page


def test_a_task_of_a_divisions_plan_names_the_plan_without_a_link_the_officer_cannot_open(
    county: County,
) -> None:
    plan = Plan.objects.create(
        kind=Plan.Kind.CAMPAIGN,
        period="2026-10",
        unit=county.division,
        title="农资打假",
        capacity=6,
    )
    task = Task.objects.create(
        plan=plan,
        entity=make_entity(longitude=county.east_point()[0], latitude=county.east_point()[1]),
        unit=county.east,
        period="2026-10",
        officer=county.east_officer,
        description="农资检查",
        standard="按检查要点",
        responsibility="网格责任人",
        scheduled_on=dt.date(2026, 10, 12),
    )
    officer = client_for(county.east_officer)
    html = officer.get(f"/plans/tasks/{task.pk}/").content.decode()
    assert "农资打假" in html and f'href="/plans/{plan.pk}/"' not in html
    assert officer.get(f"/plans/{plan.pk}/").status_code == 404
    staff = client_for(county.division_staff).get(f"/plans/tasks/{task.pk}/").content.decode()
    assert f'href="/plans/{plan.pk}/"' in staff


def test_the_hand_result_form_is_folded_away_and_gone_once_a_record_exists(
    county: County,
) -> None:
    from tests.inspections.factories import make_checklist
    from xiaoneng.inspections.records.services import open_inspection

    plan = Plan.objects.create(
        kind=Plan.Kind.PATROL, period="2026-10", unit=county.east, title="10月巡查", capacity=6
    )
    task = Task.objects.create(
        plan=plan,
        entity=make_entity(longitude=county.east_point()[0], latitude=county.east_point()[1]),
        unit=county.east,
        period="2026-10",
        officer=county.east_officer,
        description="日常巡查",
        standard="按检查清单",
        responsibility="网格责任人",
        scheduled_on=dt.date(2026, 10, 12),
    )
    officer = client_for(county.east_officer)
    html = officer.get(f"/plans/tasks/{task.pk}/").content.decode()
    assert 'data-testid="complete-form"' in html and "<details" in html
    open_inspection(
        task=task, officer=county.east_officer, kind="onsite", checklist=make_checklist()
    )
    html = officer.get(f"/plans/tasks/{task.pk}/").content.decode()
    assert 'data-testid="complete-form"' not in html
