"""Warnings of clocks (issue 10, item 5): levels, the 80 % boundary, red the day after due,
escalation officer → director → division, handling, clearing, suspensions, the calendar's
holidays and provisional years, idempotence, and the arrays against the one-by-one count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from tests.conftest import County
from tests.timeliness.clocks.factories import make_clock, set_today
from xiaoneng.core import audit
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import Conflict, InvalidInput, NotPermitted
from xiaoneng.core.models import AuditEvent
from xiaoneng.timeliness.clocks import compute, services
from xiaoneng.timeliness.clocks.models import (
    ClearReason,
    Clock,
    Escalation,
    Level,
    SuspensionReason,
    Warning,
    WarningPolicy,
)
from xiaoneng.timeliness.clocks.warnings import policy, recompute

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def on(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    return set_today(monkeypatch)


def open_warnings(clock: Clock) -> list[tuple[str, int]]:
    return list(
        Warning.objects.filter(clock=clock, cleared_at__isnull=True).values_list(
            "level", "escalation"
        )
    )


def level_on(clock: Clock, day: D) -> str:
    recompute(today=day)
    clock.refresh_from_db()
    return clock.level


def test_levels_none_yellow_at_80_percent_and_red_the_day_after_due(county: County, on) -> None:
    on(D(2026, 11, 2))  # a Monday; 10 working days → due Monday 16 November
    clock = make_clock(county, started_on=D(2026, 11, 2), limit_days=10)
    assert clock.due_on == D(2026, 11, 16)
    assert level_on(clock, D(2026, 11, 11)) == Level.NONE  # 7 of 10 used
    assert level_on(clock, D(2026, 11, 12)) == Level.YELLOW  # 8 of 10: ceil(0.8 × 10)
    assert open_warnings(clock) == [(Level.YELLOW, Escalation.OFFICER)]
    assert level_on(clock, D(2026, 11, 16)) == Level.YELLOW  # the due day itself
    assert level_on(clock, D(2026, 11, 17)) == Level.RED
    assert open_warnings(clock) == [(Level.RED, Escalation.OFFICER)]
    yellow = Warning.objects.get(clock=clock, level=Level.YELLOW)
    assert yellow.clear_reason == ClearReason.RAISED and yellow.cleared_at is not None
    red = Warning.objects.get(clock=clock, level=Level.RED)
    assert red.handle_by == D(2026, 11, 19) and red.used_days == 11 and red.limit_days == 10
    assert red.officer == county.east_officer and red.unit == county.east


def test_red_the_day_after_due_even_on_a_weekend(county: County, on) -> None:
    on(D(2026, 11, 2))
    clock = make_clock(county, started_on=D(2026, 11, 2), limit_days=4)  # due Friday 6th
    assert clock.due_on == D(2026, 11, 6)
    assert level_on(clock, D(2026, 11, 7)) == Level.RED  # Saturday: overdue


def test_the_yellow_share_is_configurable_and_rounds_up(county: County, on) -> None:
    on(D(2026, 11, 2))
    clock = make_clock(county, started_on=D(2026, 11, 2), limit_days=7)
    # 80 % of 7 = 5.6 → yellow from 6 used days.
    assert level_on(clock, D(2026, 11, 6)) == Level.NONE  # 4... Friday: 4 used
    assert level_on(clock, D(2026, 11, 9)) == Level.NONE  # 5 used
    assert level_on(clock, D(2026, 11, 10)) == Level.YELLOW  # 6 used
    other = make_clock(county, started_on=D(2026, 11, 2), limit_days=10)
    services.update_policy(actor=county.division_staff, yellow_share="0.50", handle_days=3)
    assert policy().yellow_share == Decimal("0.50") and policy().handle_days == 3
    assert level_on(other, D(2026, 11, 6)) == Level.NONE  # 4 of 10
    assert level_on(other, D(2026, 11, 9)) == Level.YELLOW  # 5 of 10 = 50 %
    assert WarningPolicy.objects.count() == 1


@pytest.mark.parametrize(
    ("share", "days", "field", "message"),
    [
        ("0.05", "2", "yellow_share", "黄色预警用时比例应为 0.10 至 0.99 之间的小数：0.05"),
        ("1.5", "2", "yellow_share", "黄色预警用时比例应为 0.10 至 0.99 之间的小数：1.5"),
        ("abc", "2", "yellow_share", "黄色预警用时比例应为 0.10 至 0.99 之间的小数：abc"),
        ("", "2", "yellow_share", "黄色预警用时比例应为 0.10 至 0.99 之间的小数："),
        ("0.805", "2", "yellow_share", "黄色预警用时比例最多两位小数：0.805"),
        ("0.8", "0", "handle_days", "红色预警处理期限应为 1 至 30 个工作日：0"),
        ("0.8", "31", "handle_days", "红色预警处理期限应为 1 至 30 个工作日：31"),
        ("0.8", "两天", "handle_days", "红色预警处理期限应为 1 至 30 个工作日：两天"),
    ],
)
def test_bad_policy_values_are_refused_and_nothing_written(
    county: County, share: str, days: str, field: str, message: str
) -> None:
    policy()
    with pytest.raises(InvalidInput) as error:
        services.update_policy(actor=county.division_staff, yellow_share=share, handle_days=days)
    assert error.value.by_field == {field: message}
    assert policy().yellow_share == Decimal("0.80") and policy().handle_days == 2


def test_only_managers_of_service_items_change_the_policy(county: County) -> None:
    with pytest.raises(NotPermitted):
        services.update_policy(actor=county.east_director, yellow_share="0.7", handle_days=2)


def test_escalation_officer_director_division_with_handle_by(county: County, on) -> None:
    on(D(2026, 11, 2))
    clock = make_clock(county, started_on=D(2026, 11, 2), limit_days=10)  # due 16th
    recompute(today=D(2026, 11, 17))  # red, to be handled by Thursday 19th
    red = Warning.objects.get(clock=clock, level=Level.RED)
    assert (red.escalation, red.handle_by) == (Escalation.OFFICER, D(2026, 11, 19))
    recompute(today=D(2026, 11, 19))
    red.refresh_from_db()
    assert red.escalation == Escalation.OFFICER  # its last day
    recompute(today=D(2026, 11, 20))
    red.refresh_from_db()
    clock.refresh_from_db()
    assert (red.escalation, red.handle_by) == (Escalation.DIRECTOR, D(2026, 11, 24))
    assert red.escalated_at is not None and clock.escalation == Escalation.DIRECTOR
    recompute(today=D(2026, 11, 25))
    red.refresh_from_db()
    clock.refresh_from_db()
    assert red.escalation == Escalation.DIVISION == clock.escalation
    recompute(today=D(2026, 12, 31))
    red.refresh_from_db()
    assert red.escalation == Escalation.DIVISION  # no level above the division
    events = AuditEvent.objects.filter(object_id=str(red.pk), reason__contains="逐级上报")
    assert events.count() == 2


def test_handling_a_red_stops_its_escalation_and_only_the_holder_may(county: County, on) -> None:
    on(D(2026, 11, 2))
    clock = make_clock(county, started_on=D(2026, 11, 2), limit_days=10)
    recompute(today=D(2026, 11, 17))
    red = Warning.objects.get(clock=clock, level=Level.RED)
    for stranger in (county.west_officer, county.east_director, county.division_staff):
        with pytest.raises(NotPermitted):
            services.handle_warning(warning=red, note="已督促", actor=stranger)
    with pytest.raises(InvalidInput) as error:
        services.handle_warning(warning=red, note="  ", actor=county.east_officer)
    assert error.value.by_field == {"note": "请填写处理情况"}
    services.handle_warning(warning=red, note="已联系申请人补齐材料", actor=county.east_officer)
    with pytest.raises(Conflict):
        services.handle_warning(warning=red, note="再次", actor=county.east_officer)
    recompute(today=D(2026, 11, 30))
    red.refresh_from_db()
    assert red.escalation == Escalation.OFFICER and red.handled_by == county.east_officer


def test_an_escalated_red_is_handled_at_its_level(county: County, on) -> None:
    on(D(2026, 11, 2))
    clock = make_clock(county, started_on=D(2026, 11, 2), limit_days=10)
    recompute(today=D(2026, 11, 17))
    recompute(today=D(2026, 11, 20))
    red = Warning.objects.get(clock=clock, level=Level.RED)
    with pytest.raises(NotPermitted):
        services.handle_warning(warning=red, note="处理", actor=county.east_officer)
    with pytest.raises(NotPermitted):
        services.handle_warning(warning=red, note="处理", actor=county.west_director)
    services.handle_warning(warning=red, note="所长督办", actor=county.east_director)


def test_clearing_needs_a_reason_and_a_director_or_the_division(county: County, on) -> None:
    on(D(2026, 11, 2))
    clock = make_clock(county, started_on=D(2026, 11, 2), limit_days=10)
    recompute(today=D(2026, 11, 12))
    yellow = Warning.objects.get(clock=clock)
    with pytest.raises(InvalidInput) as error:
        services.clear_warning(warning=yellow, reason_note="", actor=county.east_director)
    assert error.value.by_field == {"reason_note": "请说明解除预警的理由"}
    for who in (county.east_officer, county.west_director):
        with pytest.raises(NotPermitted):
            services.clear_warning(warning=yellow, reason_note="误报", actor=who)
    yellow.refresh_from_db()
    assert yellow.cleared_at is None
    services.clear_warning(warning=yellow, reason_note="申请人已撤回", actor=county.east_director)
    yellow.refresh_from_db()
    assert yellow.clear_reason == ClearReason.MANUAL and yellow.cleared_by == county.east_director
    recompute(today=D(2026, 11, 13))  # still yellow: not raised again
    assert open_warnings(clock) == []
    recompute(today=D(2026, 11, 17))  # red is another level
    assert open_warnings(clock) == [(Level.RED, Escalation.OFFICER)]
    red = Warning.objects.get(clock=clock, level=Level.RED)
    services.clear_warning(warning=red, reason_note="经核实不计时", actor=county.division_staff)
    with pytest.raises(Conflict):
        services.clear_warning(warning=red, reason_note="再次", actor=county.division_staff)


def test_a_suspension_stops_the_clock_and_clears_its_yellow(county: County, on) -> None:
    on(D(2026, 11, 12))
    clock = make_clock(county, started_on=D(2026, 11, 2), limit_days=10)
    assert clock.level == Level.YELLOW  # recomputed on opening: 8 of 10 used
    suspension = services.suspend(
        clock=clock,
        reason=SuspensionReason.CORRECTION,
        note="等待补正材料",
        on=D(2026, 11, 12),
        actor=county.east_officer,
    )
    clock.refresh_from_db()
    assert clock.level == Level.NONE
    assert Warning.objects.get(clock=clock).clear_reason == ClearReason.SUSPENDED
    assert level_on(clock, D(2026, 11, 30)) == Level.NONE  # stands still, however long
    on(D(2026, 11, 30))
    services.resume(suspension=suspension, on=D(2026, 11, 30), actor=county.east_officer)
    clock.refresh_from_db()
    # 12 working days suspended (13th–30th): due 16 Nov + 12 → 2 December.
    assert clock.suspended_days == 12 and clock.due_on == D(2026, 12, 2)
    assert clock.level == Level.YELLOW
    assert services.used_days(clock, D(2026, 11, 30), WorkingCalendar.load()) == 8


def test_a_clock_already_overdue_stays_red_when_suspended(county: County, on) -> None:
    on(D(2026, 11, 18))
    clock = make_clock(county, started_on=D(2026, 11, 2), limit_days=10)
    assert clock.level == Level.RED
    services.suspend(
        clock=clock,
        reason=SuspensionReason.TESTING,
        note="送检",
        on=D(2026, 11, 18),
        actor=county.east_officer,
    )
    assert level_on(clock, D(2026, 11, 25)) == Level.RED
    assert [level for level, _e in open_warnings(clock)] == [Level.RED]


def test_suspension_errors_overlap_and_no_reason(county: County, on) -> None:
    on(D(2026, 11, 20))
    clock = make_clock(county, started_on=D(2026, 11, 2), limit_days=20)
    with pytest.raises(InvalidInput) as error:
        services.suspend(
            clock=clock,
            reason=SuspensionReason.CORRECTION,
            note=" ",
            on=D(2026, 11, 5),
            actor=county.east_officer,
        )
    assert error.value.by_field == {"note": "请说明中止的理由"}
    with pytest.raises(InvalidInput) as error:
        services.suspend(
            clock=clock, reason="holiday", note="休假", on=D(2026, 11, 5), actor=county.east_officer
        )
    assert error.value.by_field == {"reason": "中止原因无效：holiday"}
    first = services.suspend(
        clock=clock,
        reason=SuspensionReason.CORRECTION,
        note="补正",
        on=D(2026, 11, 5),
        actor=county.east_officer,
    )
    with pytest.raises(Conflict):
        services.suspend(
            clock=clock,
            reason=SuspensionReason.ANNOUNCEMENT,
            note="公告",
            on=D(2026, 11, 6),
            actor=county.east_officer,
        )
    services.resume(suspension=first, on=D(2026, 11, 10), actor=county.east_officer)
    with pytest.raises(InvalidInput) as error:
        services.suspend(
            clock=clock,
            reason=SuspensionReason.ANNOUNCEMENT,
            note="公告",
            on=D(2026, 11, 9),
            actor=county.east_officer,
        )
    assert error.value.by_field == {"started_on": "与已有中止期重叠：上次中止至 2026-11-10 才恢复"}
    assert clock.suspensions.count() == 1


def test_stopping_a_clock_clears_its_warnings(county: County, on) -> None:
    on(D(2026, 11, 17))
    clock = make_clock(county, started_on=D(2026, 11, 2), limit_days=10)
    assert open_warnings(clock) == [(Level.RED, Escalation.OFFICER)]
    services.stop(clock=clock, on=D(2026, 11, 17), actor=county.east_officer)
    assert open_warnings(clock) == []
    assert Warning.objects.get(clock=clock).clear_reason == ClearReason.STOPPED


def test_an_extension_takes_a_red_back_to_yellow(county: County, on) -> None:
    on(D(2026, 11, 17))
    clock = make_clock(county, started_on=D(2026, 11, 2), limit_days=10)
    services.extend(clock=clock, days=3, actor=county.east_director)  # 11 of 13 used
    assert open_warnings(clock) == [(Level.YELLOW, Escalation.OFFICER)]
    red = Warning.objects.get(clock=clock, level=Level.RED)
    assert red.clear_reason == ClearReason.RECOMPUTED


def test_working_days_across_national_day_with_tiaoxiu(county: County, on) -> None:
    # 2026: 1–7 October off; Saturday 10 October worked (调休).
    on(D(2026, 9, 30))
    clock = make_clock(county, started_on=D(2026, 9, 30), limit_days=5)
    # Counted: 8, 9, 10 (Saturday, worked), 12, 13 October.
    assert clock.due_on == D(2026, 10, 13)
    calendar = WorkingCalendar.load()
    assert services.used_days(clock, D(2026, 10, 7), calendar) == 0
    assert services.used_days(clock, D(2026, 10, 10), calendar) == 3
    assert level_on(clock, D(2026, 10, 11)) == Level.NONE  # 3 of 5
    assert level_on(clock, D(2026, 10, 12)) == Level.YELLOW  # 4 of 5 = 80 %
    assert level_on(clock, D(2026, 10, 14)) == Level.RED


def test_working_days_across_spring_festival_with_tiaoxiu(county: County, on) -> None:
    # 2026: 15–23 February off; Saturdays 14 and 28 February worked (调休).
    on(D(2026, 2, 13))
    clock = make_clock(county, started_on=D(2026, 2, 13), limit_days=5)
    # Counted: 14 (Saturday, worked), 24, 25, 26, 27 February.
    assert clock.due_on == D(2026, 2, 27)
    calendar = WorkingCalendar.load()
    assert services.used_days(clock, D(2026, 2, 23), calendar) == 1
    assert level_on(clock, D(2026, 2, 26)) == Level.YELLOW
    assert level_on(clock, D(2026, 2, 28)) == Level.RED


def test_across_a_provisional_year(county: County, on) -> None:
    on(D(2026, 12, 21))
    clock = make_clock(county, started_on=D(2026, 12, 21), limit_days=20)
    # 2027 is past the calendar's last year: weekdays only (1 January too), provisional.
    # Counted: 22–31 December (8, the 26th–27th a weekend), then 12 weekdays of 2027.
    assert clock.due_provisional is True and clock.due_on == D(2027, 1, 18)
    assert level_on(clock, clock.due_on + dt.timedelta(days=1)) == Level.RED


def test_the_recompute_traces_what_it_writes_as_the_services_would(county: County, on) -> None:
    """The trace events built in SQL (clocks.staging) are those ``audit`` would write: a new
    warning's non-empty fields, a cleared or escalated warning's changed fields, its name, who
    and why — for a clock with an officer and one without."""
    on(D(2026, 11, 2))
    clock = make_clock(county, started_on=D(2026, 11, 2), limit_days=10)
    nobody = make_clock(county, started_on=D(2026, 11, 2), limit_days=10)
    Clock.objects.filter(pk=nobody.pk).update(officer=None)
    with audit.acting_as(county.division_staff):
        recompute(today=D(2026, 11, 12))
        recompute(today=D(2026, 11, 17))
        recompute(today=D(2026, 11, 20))  # the red warnings' handle_by (19th) has passed
    for warning in Warning.objects.filter(clock__in=[clock, nobody]):
        events = {e.action: e for e in audit.history(warning).order_by("id")}
        created = events[AuditEvent.Action.CREATE]
        expected = audit.created_changes(warning)  # as it was raised: not yet cleared nor up
        for later in ("cleared_at", "clear_reason", "escalated_at"):
            expected.pop(later, None)
        if warning.escalated_at is not None:
            expected |= {"escalation": [None, 0], "handle_by": [None, "2026-11-19"]}
        assert created.changes == expected
        assert ("officer" in created.changes) == (warning.officer_id is not None)
        assert created.object_repr == str(warning)
        assert created.actor == county.division_staff and created.reason == "预警重算"
    yellow = Warning.objects.get(clock=clock, level=Level.YELLOW)
    cleared = audit.history(yellow).get(action=AuditEvent.Action.UPDATE)
    assert cleared.changes == {
        "cleared_at": [None, yellow.cleared_at.isoformat()],
        "clear_reason": ["", ClearReason.RAISED],
    }
    assert cleared.reason == ClearReason.RAISED.label and cleared.object_repr == str(yellow)
    red = Warning.objects.get(clock=clock, level=Level.RED)
    escalated = audit.history(red).get(action=AuditEvent.Action.UPDATE)
    assert escalated.changes == {
        "escalation": [Escalation.OFFICER, Escalation.DIRECTOR],
        "escalated_at": [None, red.escalated_at.isoformat()],
        "handle_by": [None, red.handle_by.isoformat()],
    }
    assert escalated.object_repr == str(red)


def test_recompute_twice_changes_nothing(county: County, on) -> None:
    on(D(2026, 11, 2))
    for limit in (5, 10, 15, 30):
        make_clock(county, started_on=D(2026, 11, 2), limit_days=limit)
    first = recompute(today=D(2026, 11, 20))
    assert first.yellow + first.red > 0
    before = (Warning.objects.count(), AuditEvent.objects.count())
    assert recompute(today=D(2026, 11, 20)).clocks == 0  # none is due for a recheck
    again = recompute(today=D(2026, 11, 20), everything=True)
    assert again.counts() == {
        "clocks": 4,
        "changed": 0,
        "yellow": 0,
        "red": 0,
        "escalated": 0,
        "cleared": 0,
    }
    assert (Warning.objects.count(), AuditEvent.objects.count()) == before


def test_the_arrays_agree_with_the_one_by_one_count_on_random_clocks(county: County) -> None:
    rng = np.random.default_rng(5)
    calendar = WorkingCalendar.load()
    count = 400
    starts = np.datetime64("2025-09-01") + rng.integers(0, 500, count).astype("timedelta64[D]")
    limits = rng.integers(1, 60, count)
    ended = rng.integers(0, 5, count)
    suspended = rng.random(count) < 0.3
    since = np.where(
        suspended,
        starts + rng.integers(1, 30, count).astype("timedelta64[D]"),
        np.datetime64("NaT"),
    ).astype("datetime64[D]")
    today = D(2027, 1, 20)
    found = compute.evaluate(
        compute.OpenClocks(starts, limits, ended, since), today, calendar, Decimal("0.80")
    )
    for k in range(count):
        clock = Clock(
            started_on=compute.day_of(starts[k]),
            limit_days=int(limits[k]),
            extended_days=0,
            suspended_days=int(ended[k]),
            suspended_since=None if np.isnat(since[k]) else compute.day_of(since[k]),
        )
        assert found.used[k] == services.used_days(clock, today, calendar)
        services.set_due(clock, calendar, today)
        assert compute.day_of(found.due_on[k]) == clock.due_on


def test_loading_the_provisional_year_recomputes_the_due_date_with_a_trace(
    county: County, on
) -> None:
    from xiaoneng.core.calendar import recompute_year
    from xiaoneng.core.models import CalendarException, CalendarYear

    on(D(2026, 12, 21))
    clock = make_clock(county, started_on=D(2026, 12, 21), limit_days=20)
    assert (clock.due_on, clock.due_provisional) == (D(2027, 1, 18), True)
    CalendarYear.objects.create(year=2027, source="国办发明电〔2026〕测试")
    CalendarException.objects.create(date=D(2027, 1, 1), is_working_day=False, name="元旦")
    changed = recompute_year(2027)
    assert changed["办件与投诉时限"] == 1
    clock.refresh_from_db()
    assert (clock.due_on, clock.due_provisional) == (D(2027, 1, 19), False)
    assert AuditEvent.objects.filter(object_id=str(clock.pk), changes__has_key="due_on").exists()


def test_handing_on_moves_the_open_warnings_to_the_new_officer(county: County, on) -> None:
    on(D(2026, 11, 17))
    clock = make_clock(county, started_on=D(2026, 11, 2), limit_days=10)
    services.hand_on(
        clock=clock, officer=county.east_director, unit=None, actor=county.east_director
    )
    red = Warning.objects.get(clock=clock, level=Level.RED)
    assert red.officer == county.east_director


def test_a_recompute_holds_the_advisory_lock_on_postgresql(county: County, on) -> None:
    """Two recomputes at once (the hourly job and a clock's change) run one after the other:
    on PostgreSQL each holds a transaction-level advisory lock (SQLite has one writer)."""
    from django.db import connection, transaction

    from xiaoneng.timeliness.clocks.warnings import LOCK_KEY

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers by itself")
    on(D(2026, 11, 2))
    make_clock(county, started_on=D(2026, 11, 2), limit_days=10)
    with transaction.atomic():
        recompute(today=D(2026, 11, 12))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                "AND pid = pg_backend_pid() AND objid = %s",
                [LOCK_KEY],
            )
            assert cursor.fetchone()[0] == 1
