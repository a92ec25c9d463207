"""The leader's view (督查总览, 篇2 局领导监控): what is overdue, flagged or escalated, by unit,
scoped to the user; stage time limits of cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import County, client_for
from tests.inspections.factories import at, make_checklist, make_inspection
from tests.reports.test_period import collect, east_entity, make_case, rectification, west_entity
from xiaoneng.cases import limits
from xiaoneng.cases.models import Case
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import NotPermitted
from xiaoneng.inspections.models import (
    Finding,
    Inspection,
    Rectification,
    Sample,
    SampleFollowUp,
    SamplingPlan,
    TraceFlag,
)
from xiaoneng.org.models import Unit
from xiaoneng.oversight.leader.queries import existing, oversight
from xiaoneng.oversight.reviews import services as director_reviews
from xiaoneng.oversight.reviews.models import DirectorReview, ReviewRound
from xiaoneng.oversight.supervision.models import SupervisionItem

D = dt.date
TODAY = D(2026, 7, 15)
URL = "/oversight/"
API = "/api/v1/oversight"


def inspection_of(county: County, unit: Unit) -> Inspection:
    if unit == county.east:
        entity, team = east_entity(county), [county.east_officer, county.east_director]
    else:
        entity, team = west_entity(county), [county.west_officer, county.west_director]
    return make_inspection(entity=entity, officers=team, visited_on=D(2026, 6, 1))


def flag(inspection: Inspection, kind: str, status: str = "open") -> TraceFlag:
    return TraceFlag.objects.create(
        inspection=inspection,
        unit=inspection.unit,
        kind=kind,
        detail="签到距主体 2.3 公里",
        status=status,
        raised_at=at(D(2026, 6, 2), 9),
    )


def supervision(county: County, unit: Unit, deadline: D, status: str = "open") -> SupervisionItem:
    return SupervisionItem.objects.create(
        title=f"督办事项 {unit.code} {deadline}",
        description="限期办结",
        issued_by_unit=county.division,
        issued_by=county.division_staff,
        unit=unit,
        issued_on=D(2026, 6, 1),
        deadline=deadline,
        status=status,
    )


def review(unit: Unit, inspection: Inspection, month: str) -> DirectorReview:
    rounds, _new = ReviewRound.objects.get_or_create(
        unit=unit,
        month=month,
        defaults={
            "rate": Decimal("0.05"),
            "seed": "s",
            "population": 10,
            "drawn_at": at(D(2026, 7, 1), 8),
        },
    )
    return DirectorReview.objects.create(round=rounds, inspection=inspection, unit=unit)


def finding(inspection: Inspection, found_on: D, status: str = "escalated") -> Finding:
    checklist = make_checklist()
    item = checklist.items.first()
    assert item is not None
    return Finding.objects.create(
        inspection=inspection,
        item=item,
        entity=inspection.entity,
        unit=inspection.unit,
        severity="major",
        description="逾期未整改",
        found_on=found_on,
        status=status,
    )


def follow_up(county: County, unit: Unit, status: str, deadline: D | None = None) -> Any:
    plan, _new = SamplingPlan.objects.get_or_create(
        year=2026,
        title="化肥监督抽查",
        defaults={
            "category": "化肥",
            "region_code": "654002",
            "unit": county.division,
            "planned_batches": 10,
        },
    )
    sample = Sample.objects.create(
        plan=plan,
        firm_name=f"农资店{SampleFollowUp.objects.count()}",
        product="复合肥",
        batch_number="B1",
        sampled_on=D(2026, 5, 6),
        region_code="654002",
        unit=unit,
        result="fail",
    )
    return SampleFollowUp.objects.create(sample=sample, unit=unit, status=status, deadline=deadline)


@pytest.fixture
def troubles(county: County) -> County:
    """East: one of each trouble and some that are not; west: one overdue order."""
    east = inspection_of(county, county.east)
    west = inspection_of(county, county.west)
    R = Rectification.Status
    rectification(east, deadline=D(2026, 7, 1))  # overdue, not yet warned
    rectification(east, deadline=D(2026, 7, 15))  # due today: in time
    rectification(east, deadline=D(2026, 7, 1), status=R.RECTIFIED)
    rectification(west, deadline=D(2026, 6, 20), status=R.WARNED, warned_on=D(2026, 6, 22))
    flag(east, "far")
    flag(east, "short")
    flag(east, "uniform", status="cleared")
    flag(west, "far")
    supervision(county, county.east, D(2026, 7, 10))
    supervision(county, county.east, D(2026, 7, 10), status="returned")
    supervision(county, county.east, D(2026, 7, 10), status="answered")
    supervision(county, county.east, D(2026, 7, 31))
    review(county.east, east, "2026-06")
    review(county.east, inspection_of(county, county.east), "2026-07")  # this month: not yet due
    finding(east, D(2026, 6, 1))
    finding(inspection_of(county, county.east), D(2026, 3, 1))  # escalated long ago
    follow_up(county, county.east, "open", D(2026, 7, 1))
    follow_up(county, county.east, "closed")
    return county


def counts(view: Any) -> dict[str, int]:
    return {item.key: item.count for item in view.items}


def test_the_leader_sees_every_count(troubles: County) -> None:
    view = oversight(user=troubles.leader, today=TODAY)
    assert counts(view) == {
        "rectifications_overdue": 2,  # open or warned, past the deadline
        "rectifications_warned": 1,
        "trace_open": 3,
        "supervision_overdue": 3,  # open, returned or answered: not closed
        "reviews_pending": 1,  # June's; July's round is not due yet
        "cases_overdue": 0,
        "findings_escalated": 2,
        "samples_open": 1,
    }
    trace = view.item("trace_open")
    assert trace.by_unit == {troubles.east.pk: 2, troubles.west.pk: 1}
    assert sorted(view.trace_groups) == [
        ("检查时长过短", "城东所", 1),
        ("签到位置远离主体", "城东所", 1),
        ("签到位置远离主体", "城西所", 1),
    ]
    overdue = view.item("rectifications_overdue").entries
    assert [(e.unit, e.due_on, e.days_over) for e in overdue] == [
        ("城西所", D(2026, 6, 20), 25),
        ("城东所", D(2026, 7, 1), 14),
    ]
    assert [name for _id, name in view.units] == ["城东所", "城西所"]


def test_a_director_sees_their_station_only(troubles: County) -> None:
    view = oversight(user=troubles.west_director, today=TODAY)
    assert counts(view)["rectifications_overdue"] == 1
    assert counts(view)["rectifications_warned"] == 1
    assert counts(view)["trace_open"] == 1
    assert counts(view)["supervision_overdue"] == 0
    assert [name for _id, name in view.units] == ["城西所"]
    assert all(e.unit == "城西所" for item in view.items for e in item.entries)


def test_division_staff_see_the_whole_bureau(troubles: County) -> None:
    assert counts(oversight(user=troubles.division_staff, today=TODAY))["trace_open"] == 3


@pytest.mark.parametrize("who", ["east_officer", "west_officer"])
def test_grid_officers_are_refused(troubles: County, who: str) -> None:
    with pytest.raises(NotPermitted) as caught:
        oversight(user=getattr(troubles, who), today=TODAY)
    assert caught.value.message == "督查总览仅供局领导、科室人员和所长查看。"


# Cases past their stage time limit: the rule of cases.limits, as /cases/?warning=red ----------


def overdue_numbers(view: Any) -> set[str]:
    return {e.title.split(" ")[0] for e in view.item("cases_overdue").entries}


def test_cases_past_their_stage_time_limit(county: County) -> None:
    e, o = county.east, county.east_officer
    S = Case.Status
    late = [
        make_case(e, o, status=S.LEAD, filed_on=None, received_on=D(2026, 6, 1)),
        make_case(e, o, status=S.FILED, filed_on=TODAY - dt.timedelta(days=91)),
        make_case(
            e,
            o,
            status=S.NOTIFIED,
            filed_on=D(2026, 3, 2),
            stage_started_on=D(2026, 7, 1),
        ),
        make_case(
            e,
            o,
            status=S.INVESTIGATING,
            filed_on=TODAY - dt.timedelta(days=121),
            decision_extended=True,
        ),
        make_case(
            e,
            o,
            status=S.DECIDED,
            filed_on=D(2026, 5, 4),
            decided_on=D(2026, 6, 29),
            fine_decided=Decimal("5000"),
        ),
    ]
    make_case(e, o, status=S.LEAD, filed_on=None, received_on=D(2026, 7, 1))
    make_case(e, o, status=S.INVESTIGATING, filed_on=TODAY - dt.timedelta(days=90))  # due today
    make_case(
        e,
        o,
        status=S.INVESTIGATING,
        filed_on=TODAY - dt.timedelta(days=100),
        decision_extended=True,  # 30 days more
    )
    make_case(
        e,
        o,
        status=S.DECIDED,
        filed_on=D(2026, 5, 4),
        decided_on=D(2026, 6, 30),  # the fine is due today
        fine_decided=Decimal("5000"),
    )
    make_case(e, o, status=S.EXECUTING, filed_on=D(2025, 1, 6))
    make_case(e, o, status=S.CLOSED, filed_on=D(2025, 1, 6))
    view = oversight(user=county.leader, today=TODAY)
    assert view.item("cases_overdue").count == 5
    assert overdue_numbers(view) == {c.number for c in late}
    red = {
        w.case.number
        for w in limits.stage_warnings(Case.objects.all(), TODAY)
        if w.level == limits.RED
    }
    assert red == {c.number for c in late}
    assert view.item("cases_overdue").by_unit == {county.east.pk: 5}


def test_a_decided_case_paid_in_full_within_fifteen_days_is_not_overdue(county: County) -> None:
    def decided(**values: Any) -> Case:
        return make_case(
            county.east,
            county.east_officer,
            status=Case.Status.DECIDED,
            filed_on=D(2026, 4, 1),
            decided_on=D(2026, 6, 1),
            **values,
        )

    paid = decided(fine_decided=Decimal("8000"), confiscation_decided=Decimal("2000"))
    collect(paid, "8000", D(2026, 6, 10))
    collect(paid, "2000", D(2026, 6, 16))  # the fifteenth day
    unpaid = decided(fine_decided=Decimal("8000"))
    partly = decided(fine_decided=Decimal("8000"))
    collect(partly, "3000", D(2026, 6, 10))
    view = oversight(user=county.leader, today=TODAY)
    assert view.item("cases_overdue").count == 2
    assert overdue_numbers(view) == {unpaid.number, partly.number}
    entry = view.item("cases_overdue").entries[0]
    assert (entry.due_on, entry.days_over) == (D(2026, 6, 16), 29)
    assert "缴纳罚没款" in entry.detail


def test_a_leads_limit_is_fifteen_working_days_or_thirty_when_extended(county: County) -> None:
    lead = make_case(
        county.east,
        county.east_officer,
        status=Case.Status.LEAD,
        filed_on=None,
        received_on=D(2026, 9, 28),
    )

    def overdue_on(today: dt.date) -> int:
        return oversight(user=county.leader, today=today).item("cases_overdue").count

    # 国庆节: the holidays of October push 15 working days to 23 October.
    assert (overdue_on(D(2026, 10, 23)), overdue_on(D(2026, 10, 24))) == (0, 1)
    Case.objects.filter(pk=lead.pk).update(filing_extended=True)
    longer = WorkingCalendar.load().add_working_days(D(2026, 9, 28), 30)
    assert (overdue_on(longer), overdue_on(longer + dt.timedelta(days=1))) == (0, 1)
    later = oversight(user=county.leader, today=longer + dt.timedelta(days=1))
    assert later.item("cases_overdue").entries[0].due_on == longer


def test_a_year_the_calendar_does_not_know_skips_only_the_lead_limit(county: County) -> None:
    make_case(county.east, county.east_officer, filed_on=D(2098, 1, 2))
    make_case(
        county.east,
        county.east_officer,
        status=Case.Status.LEAD,
        filed_on=None,
        received_on=D(2099, 3, 2),
    )
    view = oversight(user=county.leader, today=D(2099, 6, 1))
    assert view.item("cases_overdue").count == 1
    assert view.notes and view.notes[0].startswith("1件案件的办案时限无法计算：工作日历中没有")


def listed(client: Client, link: str | None) -> int:
    """How many records the list page at ``link`` shows (its total, checked against its rows)."""
    assert link is not None
    response = client.get(link)
    assert response.status_code == 200, link
    if "by_officer" in response.context:  # the spot checks of a month, by officer
        return sum(len(reviews) for _officer, reviews in response.context["by_officer"])
    page = response.context["page"]
    assert len(page.object_list) == page.paginator.count  # one page holds them all here
    return int(page.paginator.count)


def test_the_overdue_count_is_what_the_case_list_shows_as_red(county: County) -> None:
    today = timezone.localdate()
    S = Case.Status

    def decided(unit: Unit, officer: Any, days_ago: int) -> Case:
        return make_case(
            unit,
            officer,
            status=S.DECIDED,
            filed_on=today - dt.timedelta(days=days_ago + 40),
            decided_on=today - dt.timedelta(days=days_ago),
            fine_decided=Decimal("5000"),
        )

    east, west = county.east, county.west
    paid = decided(east, county.east_officer, 30)
    collect(paid, "5000", today - dt.timedelta(days=20))  # in full, within 15 days
    decided(east, county.east_officer, 30)  # unpaid after 15 days
    decided(west, county.west_officer, 16)  # unpaid, one day late
    decided(west, county.west_officer, 15)  # due today
    make_case(east, county.east_officer, filed_on=today - dt.timedelta(days=100))
    make_case(east, county.east_officer, filed_on=today - dt.timedelta(days=10))
    expected = {"leader": 3, "division_staff": 3, "east_director": 2, "west_director": 1}
    for who, count in expected.items():
        user = getattr(county, who)
        response = client_for(user).get(URL)
        item = response.context["view"].item("cases_overdue")
        assert item.link == "/cases/?warning=red"
        assert item.count == count == listed(client_for(user), item.link), who


# Each card counts what its link lists --------------------------------------------------------


@pytest.fixture
def live(county: County) -> County:
    """One record of each trouble and some that are not, dated from the real today: the list
    pages a card links to filter on the real today."""
    today = timezone.localdate()

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    east = inspection_of(county, county.east)
    west = inspection_of(county, county.west)
    R = Rectification.Status
    rectification(east, deadline=ago(14))  # overdue, not yet warned
    rectification(east, deadline=ago(-3))  # in time
    rectification(east, deadline=ago(14), status=R.RECTIFIED)
    rectification(west, deadline=ago(25), status=R.WARNED, warned_on=ago(23))
    flag(east, "far")
    flag(east, "uniform", status="cleared")
    flag(west, "short")
    supervision(county, county.east, ago(5))
    supervision(county, county.east, ago(5), status="returned")
    supervision(county, county.west, ago(5), status="answered")
    supervision(county, county.west, ago(5), status="closed")
    supervision(county, county.east, ago(-10))
    last = director_reviews.last_month(today)
    before = director_reviews.last_month(dt.date.fromisoformat(f"{last}-01"))
    review(county.east, east, last)
    review(county.west, west, last)
    done = review(county.east, inspection_of(county, county.east), last)
    DirectorReview.objects.filter(pk=done.pk).update(status=DirectorReview.Status.CONFIRMED)
    review(county.east, inspection_of(county, county.east), before)  # named in a note
    review(county.west, inspection_of(county, county.west), f"{today:%Y-%m}")  # not yet due
    finding(east, ago(10))
    finding(inspection_of(county, county.east), ago(200))  # escalated long ago
    finding(west, ago(3), status="open")
    follow_up(county, county.east, "open", ago(5))
    follow_up(county, county.west, "rectifying", ago(-5))
    follow_up(county, county.east, "closed")
    paid = make_case(
        county.east,
        county.east_officer,
        status=Case.Status.DECIDED,
        filed_on=ago(60),
        decided_on=ago(30),
        fine_decided=Decimal("1000"),
    )
    collect(paid, "1000", ago(25))
    make_case(county.west, county.west_officer, filed_on=ago(100))
    return county


@pytest.mark.parametrize("who", ["leader", "division_staff", "east_director", "west_director"])
def test_every_card_counts_what_its_link_lists(live: County, who: str) -> None:
    user = getattr(live, who)
    client = client_for(user)
    response = client.get(URL)
    assert response.status_code == 200
    view = response.context["view"]
    for item in view.items:
        assert item.link is not None and f'href="{item.link}"'.replace("&", "&amp;") in (
            response.content.decode()
        ), item.key
        assert item.count == listed(client, item.link), item.key
    if who == "leader":
        assert counts(view) == {
            "rectifications_overdue": 2,
            "rectifications_warned": 1,
            "trace_open": 2,
            "supervision_overdue": 3,
            "reviews_pending": 2,
            "cases_overdue": 1,
            "findings_escalated": 2,
            "samples_open": 2,
        }


def test_pending_spot_checks_of_earlier_months_are_named_in_a_note(live: County) -> None:
    today = timezone.localdate()
    last = director_reviews.last_month(today)
    before = director_reviews.last_month(dt.date.fromisoformat(f"{last}-01"))
    view = oversight(user=live.leader)
    assert view.item("reviews_pending").link == f"/reviews/?month={last}&status=pending"
    assert view.notes == [f"更早月份尚有1份所长抽查未完成：{before}"]
    assert oversight(user=live.west_director).notes == []


# Links ----------------------------------------------------------------------------------------


def test_a_count_links_to_its_list_only_when_the_page_exists(troubles: County) -> None:
    assert existing("/reports/period/?from=2026-01-01") == "/reports/period/?from=2026-01-01"
    assert existing("/no-such-page/?status=open") is None
    view = oversight(user=troubles.leader, today=TODAY)
    expected = {
        "rectifications_overdue": "/rectifications/?state=overdue",
        "rectifications_warned": "/rectifications/?state=warned",
        "trace_open": "/trace/?status=open",
        "supervision_overdue": "/supervision/?status=overdue",
        "reviews_pending": "/reviews/?month=2026-06&status=pending",
        "cases_overdue": "/cases/?warning=red",
        "findings_escalated": "/findings/?status=escalated",
        "samples_open": "/sampling/follow-ups/?state=open",
    }
    for key, path in expected.items():
        assert view.item(key).link in (None, path)
        assert view.item(key).link == existing(path)


# Page and API ---------------------------------------------------------------------------------


def test_the_url_is_named_for_the_menu() -> None:
    assert reverse("oversight:leader_view") == URL


def test_the_page_shows_counts_units_and_lists(troubles: County) -> None:
    response = client_for(troubles.leader).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("责令整改已逾期", "痕迹疑点待核实", "科室督办逾期未办结", "案件超过办案时限"):
        assert label in html
    assert 'data-testid="by-unit"' in html and 'data-testid="trace-groups"' in html
    assert "城西所" in html


def test_a_directors_page_shows_nothing_of_another_station(troubles: County) -> None:
    response = client_for(troubles.west_director).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "城西所" in html
    assert "城东所" not in html


def test_the_page_refuses_a_grid_officer_and_asks_strangers_to_log_in(troubles: County) -> None:
    response = client_for(troubles.east_officer).get(URL)
    assert response.status_code == 403
    assert "督查总览仅供局领导、科室人员和所长查看。" in response.content.decode()
    assert Client().get(URL).status_code == 302


def test_api_counts_by_unit(troubles: County) -> None:
    response = client_for(troubles.leader).get(API)
    assert response.status_code == 200, response.content
    items = {i["key"]: i for i in response.json()["items"]}
    assert items["trace_open"]["count"] == 3
    assert items["trace_open"]["by_unit"] == [
        {"unit": "S-E", "unit_name": "城东所", "count": 2},
        {"unit": "S-W", "unit_name": "城西所", "count": 1},
    ]


def test_api_is_scoped_and_refuses_grid_officers(troubles: County) -> None:
    body = client_for(troubles.west_director).get(API).json()
    units = {u["unit"] for i in body["items"] for u in i["by_unit"]}
    assert units == {"S-W"}
    response = client_for(troubles.west_officer).get(API)
    assert response.status_code == 403
    assert response.json()["detail"] == "督查总览仅供局领导、科室人员和所长查看。"
