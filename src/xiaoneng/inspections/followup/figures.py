"""Where rectification orders stand on a day: the one definition the period report, the leader's
view (督查总览), the order list's ``?state=`` filter and the API count with.

On ``today`` every order stands in exactly one of four places, so the parts add up to the
orders issued:

- 已整改 (rectified) and 转立案 (escalated), final;
- 逾期未整改 (overdue): warned (逾期已警示), or still open past its deadline and not yet warned
  (the daily job warns it once its re-inspection day has passed, ``followup.overdue``);
- 整改期限内 (in time): open, its deadline not passed.

逾期警示 counts the orders that stand warned on ``today``, a part of 逾期未整改: an order warned
and later rectified or escalated is counted as rectified or escalated, never twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from xiaoneng.inspections.followup.models import Rectification

R = Rectification.Status


def standing(name: str, today: dt.date) -> Q:
    """The orders in the standing ``name`` on ``today``: rectified, escalated, overdue
    (warned, or open past the deadline), warned (a part of overdue), or in_time."""
    if name == "rectified":
        return Q(status=R.RECTIFIED)
    if name == "escalated":
        return Q(status=R.ESCALATED)
    if name == "overdue":
        return Q(status=R.WARNED) | Q(status=R.OPEN, deadline__lt=today)
    if name == "warned":
        return Q(status=R.WARNED)
    if name == "in_time":
        return Q(status=R.OPEN, deadline__gte=today)
    raise ValueError(name)


@dataclass(frozen=True)
class Standings:
    """How many orders stand where on a day; rectified + escalated + overdue + in_time = issued,
    and warned is a part of overdue."""

    issued: int = 0
    rectified: int = 0
    escalated: int = 0
    overdue: int = 0
    warned: int = 0
    in_time: int = 0


def standings(orders: QuerySet[Rectification], today: dt.date) -> Standings:
    """The standings of ``orders`` on ``today``, in one aggregate query."""
    names = ("rectified", "escalated", "overdue", "warned", "in_time")
    counted = orders.aggregate(
        issued=Count("id"), **{n: Count("id", filter=standing(n, today)) for n in names}
    )
    return Standings(**counted)
