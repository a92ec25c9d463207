"""The party's periods that a delivery starts: what the delivered document gives the party and
until when, counted from the day it was received (送达).

Days are counted as the law counts periods (《行政诉讼法》第八十二条 and 《民事诉讼法》第八十五条,
which 《行政复议法》 and 《行政处罚法》 follow): the day of delivery is not counted, and a period
whose last day is a rest day ends on the next working day. Working days are the working
calendar's (``core.calendar``), as everywhere in the system.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.limits import PAYMENT_DAYS, statement_period_end
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.documents.models import DocumentKind

K = DocumentKind
REVIEW_DAYS = 60  # 《行政复议法》第二十条：自知道之日起六十日内提出行政复议申请
LITIGATION_MONTHS = 6  # 《行政诉讼法》第四十六条：自知道之日起六个月内提出


@dataclass(frozen=True)
class Period:
    """What the party may or must do, and the last day to do it."""

    label: str
    ends_on: dt.date


def _months_later(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, month_calendar.monthrange(year, month)[1])
    )


def _last_day(day: dt.date, calendar: WorkingCalendar) -> dt.date:
    """A last day that falls on a rest day moves to the next working day."""
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def periods(kind: str, delivered_on: dt.date, calendar: WorkingCalendar) -> list[Period]:
    """The periods a document of ``kind`` received on ``delivered_on`` starts."""
    found: list[Period] = []
    if kind == K.CASE_NOTICE:
        found.append(
            Period(
                str(_("陈述、申辩或者要求听证")),
                statement_period_end(delivered_on, calendar),
            )
        )
    if kind == K.CASE_DECISION:
        found.append(
            Period(
                str(_("缴纳罚没款")),
                _last_day(delivered_on + dt.timedelta(days=PAYMENT_DAYS), calendar),
            )
        )
    if kind in (K.RECTIFICATION, K.CASE_DECISION):
        found.append(
            Period(
                str(_("申请行政复议")),
                _last_day(delivered_on + dt.timedelta(days=REVIEW_DAYS), calendar),
            )
        )
        found.append(
            Period(
                str(_("提起行政诉讼")),
                _last_day(_months_later(delivered_on, LITIGATION_MONTHS), calendar),
            )
        )
    return found
