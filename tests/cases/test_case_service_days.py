"""The day the notice or the decision reached the party (送达) starts the party's periods: the
statement period (程序规定 第五十七条) and the payment period (行政处罚法 第六十七条)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.cases.factories import make_case
from tests.conftest import County, client_for
from xiaoneng.cases import limits, services
from xiaoneng.cases.models import Case
from xiaoneng.cases.service_days import DECISION, NOTICE
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.core.models import AuditEvent

D = dt.date
S = Case.Status


def reload(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def test_a_notice_served_later_moves_the_statement_period(county: County) -> None:
    # Notified Mon 2 March; served Wed 4 March: the five working days end Wed 11 March, not 9.
    case = make_case(unit=county.east, status=S.NOTIFIED, notified_on=D(2026, 3, 2))
    events = AuditEvent.objects.count()
    assert services.record_service(case, kind=NOTICE, day=D(2026, 3, 4), actor=county.east_officer)
    assert reload(case).notice_served_on == D(2026, 3, 4)
    assert AuditEvent.objects.count() == events + 1
    assert limits.statement_start(case) == D(2026, 3, 4)
    with pytest.raises(InvalidInput) as refused:
        services.decide(
            case=case,
            actor=county.east_officer,
            decided_on=D(2026, 3, 10),  # after 告知日期 + 5 working days, inside served + 5
            decision_number="伊市监罚〔2026〕1号",
            fine="1000",
        )
    assert (refused.value.errors[0].field, refused.value.errors[0].message) == (
        "decided_on",
        "陈述、申辩期未满（告知书于2026-03-04送达，须满 5 个工作日）",
    )
    assert reload(case).status == S.NOTIFIED
    services.decide(
        case=case,
        actor=county.east_officer,
        decided_on=D(2026, 3, 12),
        decision_number="伊市监罚〔2026〕1号",
        fine="1000",
    )
    assert reload(case).status == S.DECIDED


def test_the_first_delivery_counts(county: County) -> None:
    case = make_case(unit=county.east, status=S.NOTIFIED, notified_on=D(2026, 3, 2))
    actor = county.east_officer
    assert services.record_service(case, kind=NOTICE, day=D(2026, 3, 4), actor=actor)
    events = AuditEvent.objects.count()
    # A re-issued version delivered later changes nothing…
    assert not services.record_service(case, kind=NOTICE, day=D(2026, 3, 6), actor=actor)
    assert reload(case).notice_served_on == D(2026, 3, 4)
    assert AuditEvent.objects.count() == events
    # …one the party received earlier moves the day back.
    assert services.record_service(case, kind=NOTICE, day=D(2026, 3, 3), actor=actor)
    assert reload(case).notice_served_on == D(2026, 3, 3)


def test_service_before_the_stage_date_or_in_the_future_is_refused(county: County) -> None:
    case = make_case(
        unit=county.east, status=S.DECIDED, notified_on=D(2026, 3, 2), decided_on=D(2026, 3, 20)
    )
    events = AuditEvent.objects.count()
    refusals = [
        (NOTICE, D(2026, 3, 1), "notice_served_on", "告知书送达日期不能早于告知日期 2026-03-02：2026-03-01"),
        (DECISION, D(2026, 3, 19), "decision_served_on", "决定书送达日期不能早于决定日期 2026-03-20：2026-03-19"),
        (DECISION, D(2099, 1, 1), "decision_served_on", "决定书送达日期不能晚于今天：2099-01-01"),
    ]  # fmt: skip
    for kind, day, field, message in refusals:
        with pytest.raises(InvalidInput) as refused:
            services.record_service(case, kind=kind, day=day, actor=county.east_officer)
        assert (refused.value.errors[0].field, refused.value.errors[0].message) == (field, message)
    fresh = reload(case)
    assert (fresh.notice_served_on, fresh.decision_served_on) == (None, None)
    assert AuditEvent.objects.count() == events


def test_service_before_the_stage_is_reached_is_refused(county: County) -> None:
    case = make_case(unit=county.east, status=S.INVESTIGATING)
    with pytest.raises(Conflict) as refused:
        services.record_service(case, kind=DECISION, day=D(2026, 5, 4), actor=county.east_officer)
    assert refused.value.message == "案件尚未作出处罚决定，不能登记行政处罚决定书的送达"
    assert reload(case).decision_served_on is None


def levels(today: dt.date) -> dict[str, tuple[str, int]]:
    return {
        w.case.number: (w.level, w.days)
        for w in limits.stage_warnings(Case.objects.all(), today, WorkingCalendar.load())
    }


def test_the_payment_period_counts_from_the_decisions_service(county: County) -> None:
    case = make_case(
        unit=county.east, status=S.DECIDED, decided_on=D(2026, 4, 15), fine="5000", number="P1"
    )
    assert limits.payment_deadline(case) == D(2026, 4, 30)
    assert levels(D(2026, 5, 6))["P1"] == ("red", 6)
    services.record_service(case, kind=DECISION, day=D(2026, 4, 22), actor=county.east_officer)
    assert limits.payment_deadline(reload(case)) == D(2026, 5, 7)
    assert levels(D(2026, 5, 6))["P1"][0] == "yellow"
    assert levels(D(2026, 5, 8))["P1"] == ("red", 1)


def test_the_bulk_warnings_agree_with_the_per_case_deadline(county: County) -> None:
    served = {"S1": D(2026, 4, 20), "S2": D(2026, 4, 8), "S3": None, "S4": D(2026, 4, 28)}
    for number, day in served.items():
        make_case(
            unit=county.east,
            status=S.DECIDED,
            decided_on=D(2026, 4, 1),
            decision_served_on=day,
            fine="100",
            number=number,
        )
    today = D(2026, 4, 28)
    found = {w.case.number: w for w in limits.stage_warnings(Case.objects.all(), today)}
    assert {number: (w.level, w.deadline) for number, w in found.items()} == {
        "S1": ("yellow", D(2026, 5, 5)),
        "S2": ("red", D(2026, 4, 23)),
        "S3": ("red", D(2026, 4, 16)),
    }
    for case in Case.objects.all():
        assert limits.payment_deadline(case) == (served[case.number] or D(2026, 4, 1)) + (
            dt.timedelta(days=15)
        )
        if case.number in found:
            assert found[case.number].deadline == limits.payment_deadline(case)


def test_the_case_page_shows_the_days_of_service(county: County) -> None:
    case = make_case(
        unit=county.east, status=S.DECIDED, notified_on=D(2026, 3, 2), decided_on=D(2026, 3, 20)
    )
    services.record_service(case, kind=NOTICE, day=D(2026, 3, 3), actor=county.east_officer)
    services.record_service(case, kind=DECISION, day=D(2026, 3, 23), actor=county.east_officer)
    page = client_for(county.east_officer).get(reverse("cases:case_detail", args=[case.pk]))
    text = page.content.decode()
    assert "告知书送达 2026-03-03" in text and "决定书送达 2026-03-23" in text


def test_the_decide_form_and_the_api_count_from_the_served_day(county: County) -> None:
    case = make_case(unit=county.east, status=S.NOTIFIED, notified_on=D(2026, 3, 2))
    services.record_service(case, kind=NOTICE, day=D(2026, 3, 4), actor=county.east_officer)
    client = client_for(county.east_officer)
    form = client.get(reverse("cases:case_action", args=[case.pk, "decide"])).content.decode()
    assert "陈述、申辩期至 2026-03-11" in form
    detail = client.get(f"/api/v1/cases/{case.pk}").json()
    assert (detail["notified_on"], detail["notice_served_on"]) == ("2026-03-02", "2026-03-04")
    assert detail["decision_served_on"] is None
