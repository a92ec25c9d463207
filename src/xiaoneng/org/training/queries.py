"""Reads of the training records, shared by the pages, the API and later reports: which sessions
concern a unit, and the one definition of their figures (docs/training.md).

- 场次 (sessions): sessions held in the period (``held_on`` within it), each counted once.
- 人次 (person-times): attendances with status 出席 at those sessions, by the officers counted.
- 学时 (hours): the sum of those sessions' hours; 人均 person-hours: each 人次 times its
  session's hours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from xiaoneng.core.actors import Viewer
from xiaoneng.core.scoping import visible_unit_ids
from xiaoneng.org.models import Unit
from xiaoneng.org.training.models import Attendance, Topic, TrainingSession

ZERO = Decimal("0")
ATTENDED = Attendance.Status.ATTENDED


def _ancestor_ids(units: Iterable[Unit]) -> set[int]:
    return {int(part) for unit in units for part in unit.path.strip("/").split("/") if part}


def concerning(subtree_ids: list[int] | None) -> QuerySet[TrainingSession]:
    """The sessions that concern the units ``subtree_ids`` (None: every session): organised by
    one of them or by a unit above them, or with one of them (or a unit above) in the audience.
    """
    rows = TrainingSession.objects.all()
    if subtree_ids is None:
        return rows
    readable = set(subtree_ids) | _ancestor_ids(Unit.objects.filter(id__in=subtree_ids))
    invited = TrainingSession.audience.through.objects.filter(
        trainingsession_id=OuterRef("pk"), unit_id__in=readable
    )
    return rows.filter(Q(organiser_id__in=readable) | Exists(invited))


def sessions(user: Viewer) -> QuerySet[TrainingSession]:
    """The sessions ``user`` may see: those that concern the units of their scope."""
    return concerning(visible_unit_ids(user)).select_related("organiser")


def session_for(user: Viewer, pk: int) -> TrainingSession:
    """The session ``pk`` if it concerns ``user``'s units; 404 otherwise, like a missing one.
    (Not ``get_scoped``: a session is read by its audience too, not only by its organiser's.)"""
    found = sessions(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def in_period(
    rows: QuerySet[TrainingSession], start: dt.date | None, end: dt.date | None
) -> QuerySet[TrainingSession]:
    if start is not None:
        rows = rows.filter(held_on__gte=start)
    if end is not None:
        rows = rows.filter(held_on__lte=end)
    return rows


def filtered(
    user: Viewer,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    topic: str = "",
    organiser: Unit | None = None,
    attended_by: int | None = None,
) -> QuerySet[TrainingSession]:
    """The list's sessions: ``user``'s, in the period, of the topic and organiser, and (with
    ``attended_by``) only those that officer attended; newest first."""
    rows = in_period(sessions(user), start, end)
    if topic:
        rows = rows.filter(topic=topic)
    if organiser is not None:
        rows = rows.filter(organiser=organiser)
    if attended_by is not None:
        mine = Attendance.objects.filter(
            session_id=OuterRef("pk"), officer_id=attended_by, status=ATTENDED
        )
        rows = rows.filter(Exists(mine))
    return rows.order_by("-held_on", "-id")


def attendances_shown(user: Viewer, session: TrainingSession) -> QuerySet[Attendance]:
    """The attendance rows of ``session`` that ``user`` may read: every row when the organiser
    is in their scope, else those of the officers of their scope (a station sees its own)."""
    rows = Attendance.objects.filter(session=session).select_related("officer__unit")
    ids = visible_unit_ids(user)
    if ids is None or session.organiser_id in ids:
        return rows
    return rows.filter(officer__unit_id__in=ids)


@dataclass
class Figures:
    """场次, 人次, the sessions' hours and the person-hours of some sessions (module docstring)."""

    sessions: int = 0
    person_times: int = 0
    hours: Decimal = ZERO
    person_hours: Decimal = ZERO


@dataclass
class Tally:
    """The figures in all, by topic (code → figures) and by organiser (unit id → figures)."""

    total: Figures = field(default_factory=Figures)
    by_topic: dict[str, Figures] = field(default_factory=dict)
    by_organiser: dict[int, Figures] = field(default_factory=dict)


def tally(rows: QuerySet[TrainingSession], officer_unit_ids: list[int] | None) -> Tally:
    """The figures of the sessions ``rows``, counting the attendances of the officers of the
    units ``officer_unit_ids`` (None: every officer's). The one definition of the figures."""
    counted = Q(attendances__status=ATTENDED)
    if officer_unit_ids is not None:
        counted &= Q(attendances__officer__unit_id__in=officer_unit_ids)
    per_session = (
        rows.order_by()
        .annotate(attended=Count("attendances", filter=counted))
        .values("id", "topic", "organiser_id", "hours", "attended")
    )
    found = Tally()
    for row in per_session:
        targets = [
            found.total,
            found.by_topic.setdefault(row["topic"], Figures()),
            found.by_organiser.setdefault(row["organiser_id"], Figures()),
        ]
        for figures in targets:
            figures.sessions += 1
            figures.person_times += row["attended"]
            figures.hours += row["hours"]
            figures.person_hours += row["hours"] * row["attended"]
    return found


def figures(unit: Unit | None, start: dt.date, end: dt.date) -> Tally:
    """The period's figures of ``unit``'s subtree (None: the whole organisation): the sessions
    that concern it, and the attendances of its officers."""
    ids = None if unit is None else Unit.objects.subtree_ids(unit)
    return tally(in_period(concerning(ids), start, end), ids)


def attended(
    officer_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, tuple[int, Decimal]]:
    """Officer id → (sessions attended, hours of training) in [start, end]: what the
    indicator "training attended" reads. Every id asked for has an entry, (0, 0) if none."""
    wanted = list(dict.fromkeys(officer_ids))
    found: dict[int, tuple[int, Decimal]] = {pk: (0, ZERO) for pk in wanted}
    rows = (
        Attendance.objects.filter(
            officer_id__in=wanted,
            status=ATTENDED,
            session__held_on__gte=start,
            session__held_on__lte=end,
        )
        .values("officer_id")
        .annotate(n=Count("id"), hours=Sum("session__hours"))
    )
    for row in rows:
        found[row["officer_id"]] = (row["n"], row["hours"] or ZERO)
    return found


def topic_label(code: str) -> str:
    return str(dict(Topic.choices).get(code, code))


def rows_of(found: Tally) -> dict[str, Any]:
    """The tally as plain rows (labelled), for the page and the API."""
    names = dict(Unit.objects.filter(id__in=found.by_organiser).values_list("id", "name"))
    codes = dict(Unit.objects.filter(id__in=found.by_organiser).values_list("id", "code"))
    return {
        "total": vars(found.total),
        "by_topic": [
            {"topic": code, "label": topic_label(code), **vars(figures)}
            for code, figures in sorted(found.by_topic.items(), key=lambda kv: _topic_order(kv[0]))
        ],
        "by_organiser": [
            {"code": codes[pk], "name": names[pk], **vars(figures)}
            for pk, figures in sorted(found.by_organiser.items(), key=lambda kv: codes[kv[0]])
        ],
    }


def _topic_order(code: str) -> int:
    values = list(Topic.values)
    return values.index(code) if code in values else len(values)
