"""Stage time limits of a case and their warnings: yellow (≤ 3 working days left), red (overdue).

The limits, from 《市场监督管理行政处罚程序规定》 (总局令第2号, 2021、2022 修正) and
《中华人民共和国行政处罚法》 (2021 修订):

- 线索 → decide whether to file within 15 working days of receiving the lead; the head of the
  bureau may approve 15 working days more (程序规定 第十八条).
- 立案 → a decision within 90 days of filing; 30 days more with the head's approval
  (程序规定 第六十四条). Time suspended for hearings, tests, notices… (same article, 第二款) is not
  recorded here, so the warning may come early, never late.
- 告知 → the party has 5 working days from service of the notice to state, defend or ask for a
  hearing (程序规定 第五十七条; 行政处罚法 第四十四、四十五、六十四条); a decision before the
  period has run is refused.
- 决定 → the party pays within 15 days of receiving the decision (行政处罚法 第六十七条). Unpaid,
  the case moves to execution (第七十二条).

Both periods count from the day the document reached the party (送达): the case's
``notice_served_on`` / ``decision_served_on``, set when the delivery of the 行政处罚告知书 /
行政处罚决定书 is recorded (documents.delivery → cases.service_days). Until a delivery is
recorded they count from the stage's own date (告知日期 / 决定日期), the earliest the party can
have received it. ``statement_start`` and ``payment_start`` are the one rule; the bulk warnings
(``stage_warnings``) call the same per-case functions, their query (``watched``) does not filter
decided cases by date.

A limit counted in working days that ends after the calendar's last loaded year is provisional
(weekdays only): the warning says 「（暂定）」 after the date and carries ``provisional``. Nothing
is stored, so loading the year corrects every limit at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.cases.models import Case
from xiaoneng.core.calendar import CalendarUnknown, WorkingCalendar
from xiaoneng.core.errors import InvalidInput

S = Case.Status

FILING_WORKING_DAYS = 15  # 程序规定 第十八条
FILING_EXTENSION_WORKING_DAYS = 15  # 同条：经负责人批准可以延长十五个工作日
DECISION_DAYS = 90  # 程序规定 第六十四条：自立案之日起九十日内
DECISION_EXTENSION_DAYS = 30  # 同条：经负责人批准可以延长三十日
STATEMENT_WORKING_DAYS = 5  # 程序规定 第五十七条：告知书送达之日起五个工作日
PAYMENT_DAYS = 15  # 行政处罚法 第六十七条：收到决定书之日起十五日内缴纳罚款
YELLOW_WORKING_DAYS = 3  # a warning turns yellow this many working days before the deadline
# Beyond this many calendar days no deadline can be within 3 working days (the longest holiday
# run is 9 days), so the calendar is not consulted.
FAR_DAYS = 31

FILING_BASIS = gettext_lazy("《市场监督管理行政处罚程序规定》第十八条")
DECISION_BASIS = gettext_lazy("《市场监督管理行政处罚程序规定》第六十四条")
STATEMENT_BASIS = gettext_lazy("《市场监督管理行政处罚程序规定》第五十七条")
PAYMENT_BASIS = gettext_lazy("《中华人民共和国行政处罚法》第六十七条")

RED = "red"
YELLOW = "yellow"
UNKNOWN = "unknown"
LEVEL_LABELS = {
    RED: gettext_lazy("已超期"),
    YELLOW: gettext_lazy("临近期限"),
    UNKNOWN: gettext_lazy("期限无法计算"),
}
DECISION_STAGES = (S.FILED, S.INVESTIGATING, S.NOTIFIED)


def filing_deadline(case: Case, calendar: WorkingCalendar) -> dt.date:
    """The last day to decide whether to file a lead (第十八条; extended if approved)."""
    days = FILING_WORKING_DAYS + (FILING_EXTENSION_WORKING_DAYS if case.filing_extended else 0)
    return calendar.add_working_days(case.received_on, days)


def decision_deadline(case: Case) -> dt.date:
    """The last day for the decision on a filed case (第六十四条; extended if approved)."""
    assert case.filed_on is not None
    days = DECISION_DAYS + (DECISION_EXTENSION_DAYS if case.decision_extended else 0)
    return case.filed_on + dt.timedelta(days=days)


def statement_start(case: Case) -> dt.date | None:
    """The day the party's statement period counts from: the notice's service, else 告知日期."""
    return case.notice_served_on or case.notified_on


def payment_start(case: Case) -> dt.date | None:
    """The day the payment period counts from: the decision's service, else 决定日期."""
    return case.decision_served_on or case.decided_on


def payment_deadline(case: Case) -> dt.date:
    """The last day to pay what the decision imposed (行政处罚法 第六十七条), counted from the day
    the decision was served (``payment_start``)."""
    start = payment_start(case)
    assert start is not None
    return start + dt.timedelta(days=PAYMENT_DAYS)


def statement_period_end(served_on: dt.date, calendar: WorkingCalendar) -> dt.date:
    """The last day of the party's statement and hearing period (第五十七条: 5 working days from
    ``served_on``, the day the notice reached the party)."""
    return calendar.add_working_days(served_on, STATEMENT_WORKING_DAYS)


def check_statement_period(case: Case, decided_on: dt.date, calendar: WorkingCalendar) -> None:
    """Refuse a decision made before the party's statement period has run (from
    ``statement_start``: the notice's service when recorded)."""
    start = statement_start(case)
    assert start is not None
    if decided_on <= statement_period_end(start, calendar):
        if case.notice_served_on is not None:
            message = _("陈述、申辩期未满（告知书于%(date)s送达，须满 %(days)d 个工作日）")
        else:
            message = _("陈述、申辩期未满（告知于%(date)s，须满 %(days)d 个工作日）")
        raise InvalidInput.single(
            "decided_on", message % {"date": start, "days": STATEMENT_WORKING_DAYS}
        )


@dataclass(frozen=True)
class StageWarning:
    """A case whose stage time limit is near (yellow) or passed (red), or cannot be computed."""

    case: Case
    level: str
    deadline: dt.date | None
    # Working days left (yellow) or calendar days overdue (red); 0 when unknown.
    days: int
    what: str
    basis: str
    message: str
    # The deadline lies after the last loaded year: counted on weekdays only.
    provisional: bool = False

    @property
    def css(self) -> str:
        return {RED: "danger", YELLOW: "warning"}.get(self.level, "secondary")

    @property
    def label(self) -> str:
        return str(LEVEL_LABELS[self.level])


def _level(deadline: dt.date, today: dt.date, calendar: WorkingCalendar) -> tuple[str, int] | None:
    if today > deadline:
        return RED, (today - deadline).days
    if (deadline - today).days > FAR_DAYS:
        return None
    left = calendar.working_days_between(today, deadline)
    return (YELLOW, left) if left <= YELLOW_WORKING_DAYS else None


def _stage(case: Case, calendar: WorkingCalendar) -> tuple[dt.date, str, str]:
    if case.status == S.LEAD:
        return filing_deadline(case, calendar), _("决定是否立案"), str(FILING_BASIS)
    if case.status in DECISION_STAGES:
        return decision_deadline(case), _("作出处理决定"), str(DECISION_BASIS)
    return payment_deadline(case), _("缴纳罚没款"), str(PAYMENT_BASIS)


def _warning(case: Case, today: dt.date, calendar: WorkingCalendar) -> StageWarning | None:
    try:
        deadline, what, basis = _stage(case, calendar)
        found = _level(deadline, today, calendar)
    except CalendarUnknown as error:
        return StageWarning(case, UNKNOWN, None, 0, "", "", error.message)
    if found is None:
        return None
    level, days = found
    provisional = calendar.is_provisional(deadline)
    date = f"{deadline}{_('（暂定）')}" if provisional else str(deadline)
    values = {"what": what, "date": date, "days": days, "basis": basis}
    if level == RED:
        message = _("%(what)s已超期 %(days)d 天（期限 %(date)s，%(basis)s）") % values
    else:
        message = _("距%(what)s期限还剩 %(days)d 个工作日（%(date)s，%(basis)s）") % values
    return StageWarning(case, level, deadline, days, what, basis, message, provisional)


def watched(queryset: QuerySet[Case], today: dt.date) -> QuerySet[Case]:
    """The cases of ``queryset`` whose stage limit may warn today (a superset, found by date)."""
    money: DecimalField[Decimal, Decimal] = DecimalField(max_digits=16, decimal_places=2)
    zero = Value(Decimal("0"), output_field=money)
    near = dt.timedelta(days=FAR_DAYS)
    # A lead warns once at most 3 of its 15 working days are left: 12 have passed, so at least
    # 12 calendar days.
    early_lead = FILING_WORKING_DAYS - YELLOW_WORKING_DAYS
    return (
        queryset.annotate(collected_total=Coalesce(Sum("collections__amount"), zero))
        .filter(
            Q(
                status=S.LEAD,
                received_on__lte=today - dt.timedelta(days=early_lead),
            )
            | Q(
                status__in=DECISION_STAGES,
                filed_on__lte=today + near - dt.timedelta(days=DECISION_DAYS),
            )
            | Q(
                status=S.DECIDED,
                fine_decided__gt=0,
            )
            | Q(status=S.DECIDED, confiscation_decided__gt=0)
        )
        .filter(
            ~Q(status=S.DECIDED)
            | Q(collected_total__lt=F("fine_decided") + F("confiscation_decided"))
        )
    )


def stage_warnings(
    queryset: QuerySet[Case], today: dt.date, calendar: WorkingCalendar | None = None
) -> list[StageWarning]:
    """Warnings of the cases in ``queryset`` as of ``today``: red first, then yellow, then those
    whose deadline falls in a year the calendar does not know; by deadline within each."""
    calendar = calendar or WorkingCalendar.load()
    found = []
    for case in watched(queryset, today).select_related("unit", "handler").order_by("id"):
        warning = _warning(case, today, calendar)
        if warning is not None:
            found.append(warning)
    order = {RED: 0, YELLOW: 1, UNKNOWN: 2}
    found.sort(key=lambda w: (order[w.level], w.deadline or dt.date.max, w.case.pk))
    return found
