"""Reads of complaints and reports: their running clocks, the pending and overdue filters shared
by page and API, and a complaint's timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.timeliness.clocks.models import Clock, SubjectType
from xiaoneng.timeliness.complaints.models import Complaint

S = Complaint.Status
K = Complaint.Kind


def open_clock_of(complaint: Complaint, kind: str | None = None) -> Clock | None:
    """The complaint's running clock (of ``kind``), if any."""
    found = Clock.objects.filter(
        subject_type=SubjectType.COMPLAINT, subject_id=complaint.pk, stopped_on__isnull=True
    )
    if kind is not None:
        found = found.filter(kind=kind)
    return found.order_by("-started_on", "-id").first()


def overdue_filter(day: dt.date | None = None) -> Exists:
    """Complaints with a running clock past its due date (as of ``day``)."""
    return Exists(
        Clock.objects.filter(
            subject_type=SubjectType.COMPLAINT,
            subject_id=OuterRef("pk"),
            stopped_on__isnull=True,
            due_on__lt=day or timezone.localdate(),
        )
    )


def pending_filter() -> Exists:
    """Complaints with a running clock: something is still to be done by a date."""
    return Exists(
        Clock.objects.filter(
            subject_type=SubjectType.COMPLAINT, subject_id=OuterRef("pk"), stopped_on__isnull=True
        )
    )


def unfinished(complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Those of ``complaints`` with a running clock."""
    return complaints.filter(pending_filter())


def overdue(complaints: QuerySet[Complaint], day: dt.date | None = None) -> QuerySet[Complaint]:
    """Those of ``complaints`` with a running clock past its due date."""
    return complaints.filter(overdue_filter(day))


@dataclass(frozen=True)
class Step:
    """One step of a complaint's handling, for its timeline."""

    day: dt.date
    action: str
    text: str


def timeline(complaint: Complaint) -> list[Step]:
    """Received, handed on, accepted or refused, mediation ended or filing decided, told."""
    steps = [
        Step(
            complaint.received_on,
            _("登记"),
            _("首问责任人：%(o)s（%(c)s）")
            % {"o": complaint.first_officer, "c": complaint.get_channel_display()},
        )
    ]
    if complaint.handed_on_at:
        steps.append(
            Step(
                timezone.localdate(complaint.handed_on_at),
                _("移交"),
                _("接办人：%(o)s") % {"o": complaint.handler},
            )
        )
    if complaint.accepted_on:
        refused = complaint.status == S.REFUSED
        steps.append(
            Step(
                complaint.accepted_on,
                _("不予受理") if refused else _("受理"),
                complaint.outcome if refused else "",
            )
        )
    if complaint.ended_on:
        if complaint.kind == K.REPORT:
            label = _("立案") if complaint.case_id else _("不予立案")
        elif complaint.status == S.AGREED:
            label = _("调解成功")
        else:
            label = _("终止调解")
        steps.append(Step(complaint.ended_on, label, complaint.outcome))
    if complaint.notified_on and complaint.status == S.CLOSED:
        steps.append(Step(complaint.notified_on, _("告知"), ""))
    return sorted(steps, key=lambda s: s.day)
