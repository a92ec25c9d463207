"""The leader's view (督查总览, 篇2 局领导监控): what is overdue, flagged or escalated, by unit,
scoped to the user; stage time limits of cases; the links of the counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import County
from tests.oversight.leader.helpers import TODAY, D, counts
from tests.reports.helpers import collect, make_case
from xiaoneng.cases import limits
from xiaoneng.cases.models import Case
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import NotPermitted
from xiaoneng.oversight.leader.queries import existing, oversight
from xiaoneng.oversight.reviews import services as director_reviews


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


def test_a_year_after_the_loaded_calendar_counts_its_limits_on_weekdays(county: County) -> None:
    """Beyond the last loaded year a limit is provisional (Monday–Friday), not unknown."""
    make_case(county.east, county.east_officer, filed_on=D(2098, 1, 2))
    make_case(
        county.east,
        county.east_officer,
        status=Case.Status.LEAD,
        filed_on=None,
        received_on=D(2099, 3, 2),
    )
    view = oversight(user=county.leader, today=D(2099, 6, 1))
    assert view.item("cases_overdue").count == 2
    assert not [note for note in view.notes if "工作日历" in note]


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
