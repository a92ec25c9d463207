"""Pages of the training records (篇8): the sessions with their figures in the seed's words, a
session with its attendance, and the forms that record them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.errors import DomainError, NotPermitted
from xiaoneng.core.forms import posted
from xiaoneng.core.pages import (
    Choice,
    among,
    is_day,
    is_flag,
    known_filters,
    paginate,
    params_query,
    parse_day,
)
from xiaoneng.core.scoping import scoped, visible_unit_ids
from xiaoneng.org.models import Officer, Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.org.training import queries
from xiaoneng.org.training import services as service
from xiaoneng.org.training.forms import SessionForm
from xiaoneng.org.training.models import Attendance, Topic, TrainingSession

FILTERS = ("from", "to", "topic", "organiser", "mine")


def _organisers(request: OfficerRequest) -> Any:
    """The units that organised a session the user sees (the organiser filter's choices)."""
    organisers = queries.sessions(request.user).values("organiser_id")
    return Unit.objects.filter(id__in=organisers).order_by("path")


@login_required
def session_list(request: OfficerRequest) -> HttpResponse:
    """The sessions that concern the user's units, filtered, with the seed's sentence of their
    场次 and 人次, and the user's own training this year."""
    organisers = _organisers(request)
    params = known_filters(
        request,
        topic=Choice(_("培训类别"), Topic.values),
        organiser=Choice(_("组织单位"), among(organisers)),
        **{"from": Choice(_("开始日期"), is_day), "to": Choice(_("结束日期"), is_day)},
        mine=Choice(_("我参加的"), is_flag),
    )
    start, end = parse_day(params.get("from", "")), parse_day(params.get("to", ""))
    mine = params.get("mine", "").lower() in ("1", "true", "yes", "on")
    organiser = organisers.filter(code=params.get("organiser", "")).first()
    rows = queries.filtered(
        request.user,
        start=start,
        end=end,
        topic=params.get("topic", ""),
        organiser=organiser,
        attended_by=request.user.pk if mine else None,
    )
    found = queries.tally(rows, visible_unit_ids(request.user))
    today = timezone.localdate()
    year_start = dt.date(today.year, 1, 1)
    own_sessions, own_hours = queries.attended([request.user.pk], year_start, today)[
        request.user.pk
    ]
    context = {
        "page": paginate(request, rows),
        "total": found.total,
        "shown": {
            "start": params.get("from", ""),
            "end": params.get("to", ""),
            "topic": params.get("topic", ""),
            "organiser": params.get("organiser", ""),
        },
        "query": params_query({name: params.get(name, "") for name in FILTERS}),
        "topics": Topic.choices,
        "organisers": organisers,
        "mine": mine,
        "own": {"sessions": own_sessions, "hours": own_hours, "year": today.year},
        "may_manage": service.may_manage(request.user),
    }
    return render(request, "training/session_list.html", context)


def _session(request: OfficerRequest, pk: int) -> TrainingSession:
    return queries.session_for(request.user, pk)


@login_required
def session_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    """A session: what, when, by whom for whom, and the attendance the user may read."""
    session = _session(request, pk)
    shown = list(queries.attendances_shown(request.user, session))
    attended = sum(1 for a in shown if a.status == Attendance.Status.ATTENDED)
    context = {
        "session": session,
        "audience": session.audience.order_by("path"),
        "attendances": shown,
        "attended": attended,
        "may_manage": service.may_manage(request.user, session),
        "may_record": service.may_record_attendance(request.user, session),
    }
    return render(request, "training/session_detail.html", context)


def _form_page(request: OfficerRequest, session: TrainingSession | None) -> HttpResponse:
    units = scoped(Unit.objects.all(), request.user).order_by("path")
    initial: dict[str, Any] = {"held_on": timezone.localdate().isoformat(), "audience": []}
    if session is not None:
        initial = {
            "title": session.title,
            "topic": session.topic,
            "organiser": session.organiser.code,
            "held_on": session.held_on.isoformat(),
            "hours": str(session.hours),
            "place": session.place,
            "lecturer": session.lecturer,
            "note": session.note,
        }
    elif request.user.unit is not None:
        initial["organiser"] = request.user.unit.code
    form = SessionForm(**posted(request), initial=initial, units=units)
    if form.is_valid():
        try:
            if session is None:
                saved = service.create_session(actor=request.user, draft=form.draft())
            else:
                saved = service.update_session(
                    session=session, actor=request.user, draft=form.draft()
                )
        except NotPermitted:
            raise
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已保存培训：%(s)s") % {"s": saved.title})
            return redirect("training:session_detail", pk=saved.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    if form.is_bound:
        checked = request.POST.getlist("audience")
    elif session is not None:
        checked = list(session.audience.values_list("code", flat=True))
    else:
        checked = []
    context = {
        "form": form.shown,
        "errors": form.field_errors,
        "session": session,
        "units": units,
        "checked": checked,
        "topics": Topic.choices,
    }
    return render(request, "training/session_form.html", context)


@login_required
def session_create(request: OfficerRequest) -> HttpResponse:
    """The form of ``create_session``."""
    if not service.may_manage(request.user):
        raise NotPermitted(_("您的角色无权执行此操作。"))
    return _form_page(request, None)


@login_required
def session_edit(request: OfficerRequest, pk: int) -> HttpResponse:
    """The form of ``update_session``."""
    session = _session(request, pk)
    if not service.may_manage(request.user, session):
        raise NotPermitted(_("您的角色无权执行此操作。"))
    return _form_page(request, session)


@login_required
def session_attendance(request: OfficerRequest, pk: int) -> HttpResponse:
    """The attendance checklist: each officer the user may record, with a status to choose."""
    session = _session(request, pk)
    if not service.may_record_attendance(request.user, session):
        raise NotPermitted(_("您的角色无权执行此操作。"))
    officers = service.eligible_officers(session, request.user)
    current = {a.officer_id: a.status for a in Attendance.objects.filter(session=session)}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        entries = _entries(request, officers)
        try:
            service.record_attendance(session=session, actor=request.user, entries=entries)
        except NotPermitted:
            raise
        except DomainError as error:
            errors, status = error.by_field, error.status_code
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已登记 %(n)d 人的出勤情况") % {"n": len(entries)})
            return redirect("training:session_detail", pk=session.pk)
        current |= {officer.pk: value for officer, value in entries}
    rows = [{"officer": o, "status": current.get(o.pk, "")} for o in officers]
    context = {
        "session": session,
        "rows": rows,
        "statuses": Attendance.Status.choices,
        "errors": errors,
    }
    return render(request, "training/attendance_form.html", context, status=status)


def _entries(request: OfficerRequest, officers: list[Officer]) -> list[tuple[Officer, str]]:
    """(officer, status) for each officer of the checklist given a status (``status-<id>``)."""
    found = []
    for officer in officers:
        value = str(request.POST.get(f"status-{officer.pk}", "")).strip()
        if value:
            found.append((officer, value))
    return found
