"""Stage time limits: yellow with three working days or fewer left, red once overdue."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.cases.factories import make_case, make_collection
from tests.conftest import County
from xiaoneng.cases import limits
from xiaoneng.cases.models import Case
from xiaoneng.core.calendar import WorkingCalendar

D = dt.date
S = Case.Status


def levels(today: dt.date, calendar: WorkingCalendar | None = None) -> dict[str, tuple[str, int]]:
    return {
        w.case.number: (w.level, w.days)
        for w in limits.stage_warnings(Case.objects.all(), today, calendar)
    }


# 线索: 15 working days to decide whether to file (第十八条) ------------------------------------


def test_a_leads_deadline_is_fifteen_working_days_after_receipt(county: County) -> None:
    case = make_case(unit=county.east, received_on=D(2026, 3, 2))
    assert limits.filing_deadline(case, WorkingCalendar.load()) == D(2026, 3, 23)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 3, 17), None),  # 4 working days left
        (D(2026, 3, 18), ("yellow", 3)),
        (D(2026, 3, 23), ("yellow", 0)),  # due today
        (D(2026, 3, 24), ("red", 1)),
    ],
)
def test_a_lead_turns_yellow_then_red(
    county: County, today: dt.date, expected: tuple[str, int] | None
) -> None:
    make_case(unit=county.east, received_on=D(2026, 3, 2), number="L1")
    assert levels(today).get("L1") == expected


def test_an_extended_lead_has_fifteen_working_days_more(county: County) -> None:
    make_case(unit=county.east, received_on=D(2026, 3, 2), number="L1", filing_extended=True)
    assert "L1" not in levels(D(2026, 3, 24))


# 立案 → 决定: 90 days (第六十四条) -------------------------------------------------------------


@pytest.mark.parametrize("status", [S.FILED, S.INVESTIGATING, S.NOTIFIED])
@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 5, 28), None),  # 4 working days left before Wednesday 3 June
        (D(2026, 5, 29), ("yellow", 3)),
        (D(2026, 6, 3), ("yellow", 0)),
        (D(2026, 6, 4), ("red", 1)),
    ],
)
def test_a_filed_case_must_be_decided_within_ninety_days(
    county: County, status: str, today: dt.date, expected: tuple[str, int] | None
) -> None:
    make_case(unit=county.east, status=status, filed_on=D(2026, 3, 5), number="F1")
    assert levels(today).get("F1") == expected


def test_an_extended_case_has_thirty_days_more(county: County) -> None:
    make_case(
        unit=county.east,
        status=S.FILED,
        filed_on=D(2026, 3, 5),
        number="F1",
        decision_extended=True,
    )
    assert "F1" not in levels(D(2026, 6, 4))
    assert levels(D(2026, 7, 4))["F1"] == ("red", 1)


# 决定 → payment within 15 days (行政处罚法 第六十七条) -----------------------------------------


def test_an_unpaid_penalty_turns_red_after_fifteen_days(county: County) -> None:
    case = make_case(
        unit=county.east, status=S.DECIDED, decided_on=D(2026, 4, 15), fine="5000", number="P1"
    )
    assert levels(D(2026, 4, 27))["P1"] == ("yellow", 3)  # due Thursday 30 April
    assert levels(D(2026, 5, 1))["P1"] == ("red", 1)
    make_collection(case, "4000")
    assert levels(D(2026, 5, 1))["P1"] == ("red", 1)  # still 1,000 yuan short
    make_collection(case, "1000")
    assert "P1" not in levels(D(2026, 5, 1))


def test_a_decision_without_money_has_no_payment_limit(county: County) -> None:
    make_case(unit=county.east, status=S.DECIDED, decided_on=D(2026, 4, 15), number="P1")
    assert levels(D(2026, 6, 1)) == {}


@pytest.mark.parametrize("status", [S.EXECUTING, S.CLOSED, S.NOT_FILED, S.WITHDRAWN])
def test_cases_past_the_watched_stages_never_warn(county: County, status: str) -> None:
    make_case(unit=county.east, status=status, received_on=D(2026, 1, 5), fine="100")
    assert levels(D(2026, 11, 1)) == {}


def test_warnings_come_red_first_with_their_legal_basis(county: County) -> None:
    make_case(unit=county.east, received_on=D(2026, 3, 2), number="L1")  # red on 3 June
    make_case(unit=county.east, status=S.FILED, filed_on=D(2026, 3, 5), number="F1")  # yellow
    found = limits.stage_warnings(Case.objects.all(), D(2026, 6, 3))
    assert [(w.case.number, w.level) for w in found] == [("L1", "red"), ("F1", "yellow")]
    assert found[0].message == (
        "决定是否立案已超期 72 天（期限 2026-03-23，《市场监督管理行政处罚程序规定》第十八条）"
    )
    assert found[1].message == (
        "距作出处理决定期限还剩 0 个工作日（2026-06-03，《市场监督管理行政处罚程序规定》第六十四条）"
    )


def test_a_deadline_after_the_last_loaded_year_is_provisional_on_weekdays(county: County) -> None:
    # Received Sunday 2026-12-20: 9 working days in 2026, then 1 January 2027 and 4–8 January
    # counted as weekdays, since 2027's holidays are not loaded.
    make_case(unit=county.east, received_on=D(2026, 12, 20), number="L1")
    calendar = WorkingCalendar([2026], {})
    found = limits.stage_warnings(Case.objects.all(), D(2027, 1, 5), calendar)
    assert [(w.case.number, w.level, w.deadline, w.days) for w in found] == [
        ("L1", "yellow", D(2027, 1, 8), 3)
    ]
    assert found[0].provisional
    assert found[0].message == (
        "距决定是否立案期限还剩 3 个工作日（2027-01-08（暂定），"
        "《市场监督管理行政处罚程序规定》第十八条）"
    )


def test_a_loaded_year_makes_the_limit_exact_again(county: County) -> None:
    make_case(unit=county.east, received_on=D(2026, 12, 20), number="L1")
    # 2027 loaded with 1 January a holiday: the deadline moves one working day later.
    calendar = WorkingCalendar([2026, 2027], {D(2027, 1, 1): False})
    found = limits.stage_warnings(Case.objects.all(), D(2027, 1, 6), calendar)
    assert [(w.deadline, w.days, w.provisional) for w in found] == [(D(2027, 1, 11), 3, False)]
    assert "暂定" not in found[0].message


def test_a_strict_calendar_still_refuses_the_unknown_year(county: County) -> None:
    make_case(unit=county.east, received_on=D(2026, 12, 20), number="L1")
    calendar = WorkingCalendar([2026], {}, strict=True)
    found = limits.stage_warnings(Case.objects.all(), D(2027, 1, 4), calendar)
    assert [(w.case.number, w.level, w.deadline) for w in found] == [("L1", "unknown", None)]
    assert "2027" in found[0].message


# The command ------------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("case", *args, stdout=out)
    return out.getvalue()


def test_the_command_lists_the_warnings_of_a_day(county: County) -> None:
    make_case(unit=county.east, received_on=D(2026, 3, 2), number="伊市监城东所案〔2026〕0001号")
    make_case(unit=county.west, status=S.FILED, filed_on=D(2026, 3, 5), number="W1")
    text = run("warnings", "--today", "2026-06-03")
    assert text.splitlines()[0] == "2026-06-03: 已超期 1 件，临近期限 1 件"
    assert "red     伊市监城东所案〔2026〕0001号  线索  S-E  决定是否立案已超期 72 天" in text
    rows = json.loads(run("warnings", "--today", "2026-06-03", "--unit", "S-W", "--json"))
    assert [(r["case"], r["level"], r["deadline"]) for r in rows] == [
        ("W1", "yellow", "2026-06-03")
    ]


def test_the_command_says_when_nothing_is_due(county: County) -> None:
    assert run("warnings", "--today", "2026-03-03") == "2026-03-03: 没有期限预警\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--today", "2026-13-01"], "--today must be a date YYYY-MM-DD: 2026-13-01"),
        (["--unit", "NOPE"], "unknown unit: NOPE"),
    ],
)
def test_the_command_refuses_bad_input_with_status_2(
    county: County, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError) as refused:
        run("warnings", *args)
    assert str(refused.value) == message
    assert refused.value.returncode == 2
