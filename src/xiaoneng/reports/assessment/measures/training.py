"""Training (教育培训): 参训学时, the hours of training an officer attended.

The hours are the training app's one definition (``org.training.queries.attended``: sessions
held in the period with the officer's attendance marked 出席, each session's hours). An
officer who attended nothing has 0 hours: that is data (the required training was not
taken), never "no data". A station's value is hours per officer: the hours of its subtree's
active officers over their number; a station without officers has no data.

The requirement is ``HOURS_PER_YEAR`` a year, so a month asks for 2 hours and a quarter for
6 (``required_hours``). A scheme's target is one figure for every period, so the value is the
hours *as a yearly rate* (小时/年): the hours attended × 24 ÷ the period's requirement — 2
hours in a month is 24 a year and meets the target of 24 (docs/assessment.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.org.models import Officer, Unit
from xiaoneng.org.training.models import Attendance
from xiaoneng.org.training.queries import ATTENDED, attended
from xiaoneng.reports.assessment.catalogue import (
    HIGHER,
    OFFICER,
    STATION,
    Indicator,
    Measure,
    RecordRow,
    ratio,
    register,
    rounded,
)
from xiaoneng.reports.assessment.measures.plans import subjects_by_unit
from xiaoneng.reports.assessment.periods import Period

# Each officer's yearly training requirement, in hours (学时).
HOURS_PER_YEAR = Decimal(24)
SESSION_KIND = gettext_lazy("培训")


def required_hours(period: Period) -> Decimal:
    """The requirement over the period: a twelfth of the year's per month (2 a month, 6 a
    quarter, 24 a year), whatever the months' lengths."""
    months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month
    return rounded(HOURS_PER_YEAR * (months + 1) / 12)


def _officers_of(subject_ids: Sequence[int]) -> dict[int, list[int]]:
    """Station id → the ids of the active officers of its subtree."""
    owners = subjects_by_unit(subject_ids)
    found: dict[int, list[int]] = {pk: [] for pk in subject_ids}
    rows = Officer.objects.filter(is_active=True, unit_id__in=list(owners)).values_list(
        "id", "unit_id"
    )
    for officer, unit in rows:
        for subject in owners.get(unit, []):
            found[subject].append(officer)
    return found


def yearly(hours: Decimal, period: Period) -> Decimal:
    """``hours`` over ``period`` as hours a year (the requirement's rate)."""
    return rounded(hours * HOURS_PER_YEAR / required_hours(period))


def measure(kind: str, subject_ids: Sequence[int], period: Period) -> dict[int, Measure]:
    if kind == OFFICER:
        hours = attended(subject_ids, period.start, period.end)
        out = {}
        for pk, (sessions, total) in hours.items():
            detail = _("参加培训%(n)d次，计%(hours)s学时，折合全年%(yearly)s学时") % {
                "n": sessions,
                "hours": total,
                "yearly": yearly(total, period),
            }
            out[pk] = Measure(yearly(total, period), rounded(total), None, detail)
        return out
    staff = _officers_of(subject_ids)
    hours = attended([o for ids in staff.values() for o in ids], period.start, period.end)
    out = {}
    for pk, officers in staff.items():
        if not officers:
            out[pk] = Measure(None, 0, 0, _("本单位无在岗人员"))
            continue
        total = sum((hours[o][1] for o in officers), Decimal(0))
        each = ratio(total, len(officers))
        assert each is not None
        detail = _("在岗人员%(n)d人，参训共%(hours)s学时，人均折合全年%(yearly)s学时") % {
            "n": len(officers),
            "hours": total,
            "yearly": yearly(each, period),
        }
        out[pk] = Measure(yearly(each, period), rounded(total), len(officers), detail)
    return out


def records(kind: str, subject_id: int, period: Period) -> list[RecordRow]:
    if kind == OFFICER:
        officers = [subject_id]
    else:
        if not Unit.objects.filter(pk=subject_id).exists():
            return []
        officers = _officers_of([subject_id])[subject_id]
    rows = (
        Attendance.objects.filter(
            officer_id__in=officers,
            status=ATTENDED,
            session__held_on__gte=period.start,
            session__held_on__lte=period.end,
        )
        .select_related("session", "officer")
        .order_by("-session__held_on", "-session_id", "officer_id")
    )
    out = []
    for row in rows:
        session = row.session
        title = session.title if kind == OFFICER else f"{row.officer.name}：{session.title}"
        out.append(
            RecordRow(
                day=session.held_on,
                kind=str(SESSION_KIND),
                title=title,
                state=_("出席，%(hours)s学时") % {"hours": session.hours},
                url=reverse("training:session_detail", args=[session.pk]),
            )
        )
    return out


TRAINING_HOURS = register(
    Indicator(
        code="training_hours",
        label=gettext_lazy("参训学时"),
        unit="小时/年",
        direction=HIGHER,
        subjects=(OFFICER, STATION),
        target=HOURS_PER_YEAR,
        floor=Decimal(0),
        definition=gettext_lazy(
            "考核期内举办、本人出席的培训场次学时之和（所站按在岗人员人均计）；"
            "未参加任何培训计0学时；折合为全年学时（月度×12、季度×4）与年度要求24学时比较。"
        ),
        measure=measure,
        records=records,
    )
)
