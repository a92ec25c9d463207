"""The monthly bulletin of 电子监察 (篇9 每月一通报): its sentences against a hand-built month
(exact strings), tables by unit that add up to their 合计 row, a station's own figures, and a
month that is not one refused (422 on the page, exit 2 on the CLI)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from itertools import count
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tests.conftest import County, client_for
from tests.timeliness.accountability.factories import (
    decide,
    make_callback,
    make_problem,
    make_warning,
)
from xiaoneng.org.models import Officer, Unit
from xiaoneng.reports import timeliness_bulletin as bulletins
from xiaoneng.timeliness.callbacks.models import Callback, CallbackProblem
from xiaoneng.timeliness.clocks.models import Clock, ClockKind, SubjectType, Warning
from xiaoneng.timeliness.complaints.models import Complaint
from xiaoneng.timeliness.permits.models import OneTimeNotice, ServiceCase, ServiceItem

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)
AFTER = dt.date(2026, 4, 15)  # the day the bulletin is made
_numbers = count(1)


def service_case(
    officer: Officer, started: dt.date, stopped: dt.date, limit: int, breach: bool = False
) -> ServiceCase:
    """A case accepted on ``started`` and completed on ``stopped``, with its stopped clock."""
    item, _created = ServiceItem.objects.get_or_create(
        code=f"T{limit}",
        defaults={
            "name": "食品经营许可",
            "category": "licence",
            "statutory_days": 20,
            "committed_days": limit,
            "basis": "《食品经营许可管理办法》",
        },
    )
    case = ServiceCase.objects.create(
        number=f"BJ{next(_numbers):05d}",
        item=item,
        applicant="申请人",
        unit=officer.unit,
        region_code="654002",
        status=ServiceCase.Status.COMPLETED,
        first_officer=officer,
        responsible=officer,
        received_on=started,
        accepted_on=started,
        completed_on=stopped,
        outcome="granted",
    )
    Clock.objects.create(
        kind=ClockKind.SERVICE,
        subject_type=SubjectType.SERVICE_CASE,
        subject_id=case.pk,
        subject=str(case),
        unit=officer.unit,
        officer=officer,
        region_code="654002",
        started_on=started,
        limit_days=limit,
        statutory_days=20,
        basis="《食品经营许可管理办法》",
        due_on=started + dt.timedelta(days=limit + 10),
        stopped_on=stopped,
    )
    if breach:
        for sequence in (1, 2):
            OneTimeNotice.objects.create(
                case=case,
                sequence=sequence,
                issued_on=started,
                officer=officer,
                materials="营业执照副本",
                breach=sequence == 2,
            )
    return case


def complaint(officer: Officer, kind: str) -> Complaint:
    return Complaint.objects.create(
        number=f"TS{next(_numbers):05d}",
        kind=kind,
        channel="12315",
        topic="food",
        received_on=dt.date(2026, 3, 9),
        respondent="城东饭店",
        content="饭菜变质",
        unit=officer.unit,
        region_code="654002",
        first_officer=officer,
        handler=officer,
    )


@pytest.fixture
def march(county: County) -> None:
    """March 2026, by hand (no holiday in March: working days are weekdays).

    Service cases completed: east 2 (4 working days of 5; 14 of 10, late), west 1 (4 of 5),
    with one second one-time notice (a breach) in the east. Complaints: east 2 投诉, west 1
    举报. Callbacks: east 3 by phone (满意, 满意, 不满意), west 2 on site (满意, 基本满意), and an
    unreachable one; problems: 2 raised in the east, one rectified and fed back in March, the
    other open past its deadline. Accountability: east 诫勉谈话, west 通报批评 deducting 200.00.
    """
    east, west = county.east_officer, county.west_officer
    yellow = make_warning(county, raised_on=dt.date(2026, 3, 5))
    Warning.objects.filter(pk=yellow.pk).update(level="yellow", handle_by=None, escalation=0)
    red = make_warning(county, raised_on=dt.date(2026, 3, 12))
    Warning.objects.filter(pk=red.pk).update(
        escalation=1, handled_at=timezone.make_aware(dt.datetime(2026, 3, 13, 10))
    )
    west_red = make_warning(county, officer=west, raised_on=dt.date(2026, 3, 20))
    Warning.objects.filter(pk=west_red.pk).update(escalation=0)
    make_warning(county, raised_on=dt.date(2026, 2, 27))  # February's
    service_case(east, dt.date(2026, 3, 2), dt.date(2026, 3, 6), 5, breach=True)
    service_case(east, dt.date(2026, 3, 2), dt.date(2026, 3, 20), 10)
    service_case(west, dt.date(2026, 3, 9), dt.date(2026, 3, 13), 5)
    complaint(east, Complaint.Kind.COMPLAINT)
    complaint(east, Complaint.Kind.COMPLAINT)
    complaint(west, Complaint.Kind.REPORT)
    day = dt.date(2026, 3, 10)
    answers = [(east, "phone", "satisfied"), (east, "phone", "satisfied")]
    answers += [(east, "phone", "unsatisfied"), (west, "on_site", "satisfied")]
    answers += [(west, "on_site", "basic")]
    made = [
        make_callback(county, officer=o, channel=c, overall=a, called_on=day) for o, c, a in answers
    ]
    make_callback(county, officer=east, status=Callback.Status.UNREACHABLE)
    rectified = make_problem(made[2])
    CallbackProblem.objects.filter(pk=rectified.pk).update(
        status="fed_back",
        rectified_on=dt.date(2026, 3, 18),
        fed_back_on=dt.date(2026, 3, 20),
        feedback_channel="phone",
    )
    make_problem(made[0], deadline=dt.date(2026, 3, 5))  # due 03-15, still open
    decide(county, decided_on=dt.date(2026, 3, 25))
    decide(
        county,
        officer=west,
        kind="criticism",
        deduction=Decimal("200.00"),
        decided_on=dt.date(2026, 3, 26),
    )


def bulletin_of(user: Officer | None = None) -> bulletins.TimelinessBulletin:
    return bulletins.timeliness_bulletin(start=MARCH, unit=None, user=user, today=AFTER)


@pytest.mark.usefixtures("march")
def test_the_sentences_of_a_hand_built_month() -> None:
    assert bulletins.sentences(bulletin_of()) == [
        "本月发出时限预警3次，其中黄色预警1次，红色预警2次，红色预警逐级上报1次，处理预警1次。",
        "本月办结办件3件，其中承诺时限内办结2件，超过承诺时限办结1件，按时办结率达66.7%。",
        "本月收到投诉举报3件，其中投诉2件，举报1件。",
        "本月回访服务对象和群众5人次，其中电话回访3人次，上门回访2人次，回访满意率达80.0%。",
        "本月回访中群众反映问题2个，整改到位1个，向反映问题的群众反馈整改情况1人次，"
        "逾期未整改1个。",
        "本月发现违反一次性告知制1起。",
        "本月问责干部2人次，其中诫勉谈话1人次，通报批评1人次；扣发个人补助1人次，共计200元。",
    ]


def test_an_empty_month_says_so(county: County) -> None:
    assert bulletins.sentences(bulletin_of()) == [
        "本月没有发出时限预警。",
        "本月没有办结的办件。",
        "本月没有收到投诉举报。",
        "本月没有回访。",
        "本月回访中群众没有反映问题。",
        "本月没有违反一次性告知制的情况。",
        "本月没有问责。",
    ]


def _numbers_of(row: list[Any]) -> list[Any]:
    return [v if isinstance(v, int | Decimal) else None for v in row[1:]]


@pytest.mark.usefixtures("march")
def test_every_table_adds_up_to_its_total_row() -> None:
    for table in bulletins.tables(bulletin_of()):
        *units, total = table.rows
        assert total[0] == "合计"
        assert [row[0] for row in units] == ["城东所", "城西所"], table.title
        for column, value in enumerate(_numbers_of(total)):
            if value is None:  # a rate
                continue
            parts = [_numbers_of(row)[column] for row in units]
            assert sum(parts) == value, (table.title, table.columns[column + 1])


@pytest.mark.usefixtures("march")
def test_the_units_rows_hold_their_own_records() -> None:
    tables = {t.title: t for t in bulletins.tables(bulletin_of())}
    callbacks = tables["回访与整改"]
    assert callbacks.rows[0][:8] == ["城东所", 3, 3, 0, 2, 0, 1, "66.7%"]
    assert callbacks.rows[1][:8] == ["城西所", 2, 0, 2, 1, 1, 0, "100.0%"]
    assert callbacks.rows[2][7] == "80.0%"
    assert tables["问责"].rows[1][-3:] == [1, 1, Decimal("200.00")]
    assert tables["时限预警与办件"].rows[0][1:5] == [1, 1, 1, 1]
    assert tables["时限预警与办件"].rows[1][1:5] == [0, 1, 0, 0]


@pytest.mark.usefixtures("march")
def test_a_station_gets_its_own_figures(county: County) -> None:
    bulletin = bulletin_of(county.east_director)
    assert [u.unit for u in bulletin.units] == [county.east]
    text = bulletins.sentences(bulletin)
    assert (
        "本月回访服务对象和群众3人次，其中电话回访3人次，上门回访0人次，回访满意率达66.7%。" in text
    )
    assert "本月问责干部1人次，其中诫勉谈话1人次。" in text
    assert bulletins.title(bulletin) == "城东所2026年3月电子监察通报"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13", "月份应为 YYYY-MM 格式，如 2026-11：2026-13"),
        ("2026-3", "月份应为 YYYY-MM 格式，如 2026-11：2026-3"),
        ("1899-12", "月份应为 YYYY-MM 格式，如 2026-11：1899-12"),
        ("三月", "月份应为 YYYY-MM 格式，如 2026-11：三月"),
    ],
)
def test_a_month_that_is_not_one_is_refused(county: County, text: str, message: str) -> None:
    url = reverse("reports:timeliness_bulletin")
    response = client_for(county.leader).get(url, {"month": text})
    assert response.status_code == 422
    assert message in response.content.decode()
    xlsx = client_for(county.leader).get(
        reverse("reports:timeliness_bulletin_xlsx"), {"month": text}
    )
    assert xlsx.status_code == 422


def test_a_month_after_this_one_is_refused(county: County) -> None:
    today = timezone.localdate()
    later = (today.replace(day=28) + dt.timedelta(days=5)).strftime("%Y-%m")
    response = client_for(county.leader).get(
        reverse("reports:timeliness_bulletin"), {"month": later}
    )
    assert response.status_code == 422
    assert f"月份不能晚于本月（{today:%Y-%m}）：{later}" in response.content.decode()


def test_the_default_month_is_last_month() -> None:
    assert bulletins.month_start("", today=dt.date(2026, 1, 15)) == dt.date(2025, 12, 1)
    assert bulletins.month_start(" ", today=dt.date(2026, 3, 31)) == dt.date(2026, 2, 1)


@pytest.mark.usefixtures("march")
def test_the_page_and_the_xlsx(county: County) -> None:
    from openpyxl import load_workbook

    client = client_for(county.leader)
    page = client.get(reverse("reports:timeliness_bulletin"), {"month": "2026-03"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "示范县市场监督管理局2026年3月电子监察通报" in text
    assert "本月问责干部2人次" in text
    xlsx = client.get(reverse("reports:timeliness_bulletin_xlsx"), {"month": "2026-03"})
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["通报", "时限预警与办件", "投诉举报", "回访与整改", "问责"]
    cells = [row[0] for row in book["通报"].iter_rows(values_only=True)]
    assert "本月发现违反一次性告知制1起。" in cells


@pytest.mark.usefixtures("march")
def test_the_west_station_page_shows_no_east_record(county: County) -> None:
    page = client_for(county.west_director).get(
        reverse("reports:timeliness_bulletin"), {"month": "2026-03"}
    )
    text = page.content.decode()
    assert "城西所" in text and "城东所" not in text


@pytest.mark.usefixtures("march")
def test_the_cli_prints_the_sentences_and_writes_xlsx(tmp_path: Any) -> None:
    out = io.StringIO()
    call_command("report", "timeliness", "--month", "2026-03", "--unit", "S-W", stdout=out)
    assert "城西所2026年3月电子监察通报" in out.getvalue()
    assert "本月问责干部1人次，其中通报批评1人次；扣发个人补助1人次，共计200元。" in out.getvalue()
    target = tmp_path / "bulletin.xlsx"
    call_command("report", "timeliness", "--month", "2026-03", "-o", str(target), stdout=out)
    assert target.exists()


def test_the_cli_refuses_a_bad_month_or_unit(county: County, tmp_path: Any) -> None:
    with pytest.raises(CommandError, match="--month: 月份应为 YYYY-MM 格式，如 2026-11：2026-00"):
        call_command("report", "timeliness", "--month", "2026-00")
    with pytest.raises(CommandError, match="--unit: 未知的单位代码：NOPE"):
        call_command("report", "timeliness", "--month", "2026-03", "--unit", "NOPE")
    with pytest.raises(CommandError, match=r"-o: 应为 \.xlsx 文件"):
        call_command("report", "timeliness", "--month", "2026-03", "-o", str(tmp_path / "x.md"))
    assert Unit.objects.count() == 4
