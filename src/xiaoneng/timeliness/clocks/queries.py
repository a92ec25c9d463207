"""Reading warnings and clocks: the filters the list page and the API share, and where a
clock's record is shown."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.urls import reverse

from xiaoneng.core.scoping import scoped
from xiaoneng.org.models import Officer, Role
from xiaoneng.timeliness.clocks.models import Clock, Escalation, Level, SubjectType, Warning

STATES = ("open", "cleared")  # 未解除 / 已解除
SUBJECT_PAGES = {
    SubjectType.SERVICE_CASE: "timeliness:service_case_detail",
    SubjectType.COMPLAINT: "timeliness:complaint_detail",
}


def warnings_for(viewer: Officer) -> QuerySet[Warning]:
    """The warnings of ``viewer``'s units, red first, then the latest."""
    return scoped(
        Warning.objects.select_related("clock", "unit", "officer", "handled_by", "cleared_by"),
        viewer,
    ).order_by(
        Case(When(level=Level.RED, then=Value(0)), default=Value(1), output_field=IntegerField()),
        "-raised_at",
        "-id",
    )


def filter_warnings(
    warnings: QuerySet[Warning],
    viewer: Officer,
    *,
    level: str = "",
    escalation: str = "",
    state: str = "",
    unit: str = "",
    mine: bool = False,
) -> QuerySet[Warning]:
    """The list's filters: level, escalation (0, 1, 2), open or cleared, unit code, and
    "mine": the viewer's own warnings, and for a director or the division those with them."""
    if level:
        warnings = warnings.filter(level=level)
    if escalation != "":
        warnings = warnings.filter(escalation=int(escalation))
    if state == "open":
        warnings = warnings.filter(cleared_at__isnull=True)
    elif state == "cleared":
        warnings = warnings.filter(cleared_at__isnull=False)
    if unit:
        warnings = warnings.filter(unit__code=unit)
    if mine:
        warnings = warnings.filter(pk__in=with_me(warnings, viewer).values("pk"))
    return warnings


def with_me(warnings: QuerySet[Warning], viewer: Officer) -> QuerySet[Warning]:
    """The open warnings waiting for ``viewer``: their own (at officer level), those escalated
    to them as a director of their station, or to the division as division staff."""
    from django.db.models import Q

    mine = Q(officer_id=viewer.pk, escalation=Escalation.OFFICER)
    if viewer.has_role(Role.STATION_DIRECTOR) and viewer.unit_id is not None:
        mine |= Q(unit_id=viewer.unit_id, escalation=Escalation.DIRECTOR)
    if viewer.has_role(Role.DIVISION_STAFF):
        mine |= Q(escalation=Escalation.DIVISION)
    return warnings.filter(mine, cleared_at__isnull=True, handled_at__isnull=True)


def subject_url(clock: Clock) -> str:
    """The page of the record the clock times (a service case, a complaint or report)."""
    return reverse(SUBJECT_PAGES[SubjectType(clock.subject_type)], args=[clock.subject_id])
