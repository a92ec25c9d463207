"""What the case pages and the case API both read: the filters of the case list."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from xiaoneng.cases.models import Case
from xiaoneng.core.scoping import scoped
from xiaoneng.org.models import Officer, Unit


def filter_cases(
    cases: QuerySet[Case],
    *,
    user: Officer,
    status: str = "",
    kind: str = "",
    major: bool | None = None,
    unit: str = "",
    year: int | None = None,
) -> QuerySet[Case]:
    """The case list's filters, the one rule for the page and the API; empty ones do not filter.

    ``status`` and ``kind`` match exactly (a value that is none of them matches no case);
    ``unit`` is a unit's code and keeps the cases of its whole subtree, if the unit is in
    ``user``'s scope (else none); ``year`` keeps the leads received that year (a year no date
    can have, none). The page leaves out a status or kind it does not know before calling.
    """
    if status:
        cases = cases.filter(status=status)
    if kind:
        cases = cases.filter(kind=kind)
    if major is not None:
        cases = cases.filter(major=major)
    if unit:
        found = scoped(Unit.objects.all(), user).filter(code=unit).first()
        cases = cases.filter(Unit.objects.subtree_q(found, field="unit")) if found else cases.none()
    if year:
        if not dt.MINYEAR <= year <= dt.MAXYEAR:
            return cases.none()
        cases = cases.filter(
            received_on__gte=dt.date(year, 1, 1), received_on__lte=dt.date(year, 12, 31)
        )
    return cases
