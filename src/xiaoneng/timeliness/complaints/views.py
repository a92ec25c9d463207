"""Pages of complaints and reports (投诉举报): the list, the form that registers one, its detail
with the timeline, clocks and the actions its state allows, and the figures of a period."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core import audit
from xiaoneng.core.errors import DomainError, InvalidInput, NotPermitted
from xiaoneng.core.forms import posted
from xiaoneng.core.history import readable
from xiaoneng.core.pages import Choice, act, among, is_flag, known_filters, paginate, params_query
from xiaoneng.core.pages import parse_day as page_day
from xiaoneng.core.routing import stale_reads
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.core.tabular import Column, write_sheet
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.registry.models import Entity
from xiaoneng.timeliness.clocks.models import SubjectType
from xiaoneng.timeliness.clocks.views import clocks_panel_context
from xiaoneng.timeliness.complaints import checks, filing, queries, services
from xiaoneng.timeliness.complaints.figures import Figures, complaint_figures
from xiaoneng.timeliness.complaints.forms import ActionForm, ComplaintForm
from xiaoneng.timeliness.complaints.models import Channel, Complaint, Topic

ACTIONS = ("hand_on", "accept", "refuse", "end_mediation", "notify", "extend", "decide_filing")
FILTERS = ("kind", "channel", "topic", "status", "unit", "overdue")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def complaints_for(user: Officer) -> QuerySet[Complaint]:
    return scoped(
        Complaint.objects.select_related("unit", "entity", "handler", "first_officer", "case"),
        user,
    )


def _units(request: OfficerRequest) -> QuerySet[Unit]:
    return scoped(Unit.objects.exclude(kind=Unit.Kind.BUREAU), request.user).order_by("path")


@login_required
def complaint_list(request: OfficerRequest) -> HttpResponse:
    """Complaints and reports, newest first; those with a clock past due marked."""
    today = timezone.localdate()
    statuses = [*Complaint.Status.values, "pending"]
    known = known_filters(
        request,
        kind=Choice(_("类别"), Complaint.Kind.values),
        channel=Choice(_("来源渠道"), Channel.values),
        topic=Choice(_("涉及领域"), Topic.values),
        status=Choice(_("状态"), statuses),
        unit=Choice(_("承办单位"), among(_units(request))),
        overdue=Choice(_("只看逾期"), is_flag),
    )
    params = {name: known.get(name, "").strip() for name in FILTERS}
    rows = complaints_for(request.user)
    for name in ("kind", "channel", "topic"):
        if params[name]:
            rows = rows.filter(**{name: params[name]})
    if params["unit"]:
        rows = rows.filter(unit__code=params["unit"])
    if params["status"] == "pending":
        rows = queries.unfinished(rows)
    elif params["status"]:
        rows = rows.filter(status=params["status"])
    if params["overdue"].lower() in ("1", "true", "yes", "on"):
        rows = queries.overdue(rows, today)
    page = paginate(request, rows.annotate(late=queries.overdue_filter(today)))
    context = {
        "page": page,
        "params": params,
        "query": params_query(params),
        "kinds": Complaint.Kind.choices,
        "channels": Channel.choices,
        "topics": Topic.choices,
        "statuses": Complaint.Status.choices,
        "units": _units(request),
        "may_register": access.can(request.user, access.HANDLE_SERVICES),
    }
    return render(request, "timeliness/complaints/complaint_list.html", context)


@login_required
def complaint_create(request: OfficerRequest) -> HttpResponse:
    """The form of ``register_complaint``."""
    access.require(request.user, access.HANDLE_SERVICES)
    initial = {
        "kind": request.GET.get("kind", Complaint.Kind.COMPLAINT),
        "channel": Channel.PLATFORM,
        "topic": Topic.FOOD,
        "entity": request.GET.get("entity", ""),
        "received_on": timezone.localdate().isoformat(),
    }
    form = ComplaintForm(
        **posted(request), initial=initial, entities=scoped(Entity.objects.all(), request.user)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.register_complaint(
                actor=request.user,
                kind=data["kind"],
                channel=data["channel"],
                topic=data["topic"],
                received_on=data["received_on"],
                content=data["content"],
                person=data["person"],
                phone=data["phone"],
                real_name=not data["anonymous"],
                entity=data["entity"],
                respondent=data["respondent"],
            )
        except NotPermitted:
            raise
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已登记：%(n)s") % {"n": complaint.number})
            return redirect("timeliness:complaint_detail", pk=complaint.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    context = {
        "form": form.shown,
        "errors": form.field_errors,
        "kinds": Complaint.Kind.choices,
        "channels": Channel.choices,
        "topics": Topic.choices,
    }
    return render(request, "timeliness/complaints/complaint_form.html", context)


def _handlers(request: OfficerRequest) -> QuerySet[Officer]:
    """The officers of the user's scope a matter may be handed on to."""
    return scoped(Officer.objects.filter(is_active=True), request.user).order_by("username")


def _detail_context(
    request: OfficerRequest, complaint: Complaint, errors: dict[str, str], form: dict[str, Any]
) -> dict[str, Any]:
    actions = checks.actions_for(complaint, request.user)
    return {
        "complaint": complaint,
        "steps": queries.timeline(complaint),
        **clocks_panel_context(SubjectType.COMPLAINT, complaint.pk, request.user),
        "today": timezone.localdate(),
        "actions": actions,
        "officers": _handlers(request) if "hand_on" in actions else [],
        "founded_choices": Complaint.Founded.choices[1:],
        "errors": errors,
        "form": form,
        "history": readable(audit.history(complaint)[:50], Complaint),
    }


@login_required
def complaint_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    """A complaint with its timeline, its clocks and the actions its state allows."""
    complaint = get_scoped(complaints_for(request.user), request.user, pk=pk)
    context = _detail_context(request, complaint, {}, {})
    return render(request, "timeliness/complaints/complaint_detail.html", context)


def _flag(value: str) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on", "file", "agreed")


def _run(request: OfficerRequest, complaint: Complaint, action: str, form: ActionForm) -> str:
    data, actor = form.cleaned_data, request.user
    if action == "hand_on":
        if data["officer"] is None:
            raise InvalidInput.single("officer", _("请选择接办人"))
        services.hand_on(
            complaint=complaint, officer=data["officer"], actor=actor, note=data["note"]
        )
        return _("已移交：%(o)s") % {"o": data["officer"]}
    if action == "accept":
        services.accept(complaint=complaint, actor=actor, on=data["on"])
        return _("已受理")
    if action == "refuse":
        services.refuse(complaint=complaint, actor=actor, on=data["on"], reason=data["outcome"])
        return _("已决定不予受理")
    if action == "end_mediation":
        agreed = _flag(data["decision"])
        services.end_mediation(
            complaint=complaint,
            actor=actor,
            agreed=agreed,
            on=data["on"],
            outcome=data["outcome"],
            amount_recovered=data["amount_recovered"],
            founded=data["founded"],
        )
        return _("调解成功") if agreed else _("已终止调解")
    if action == "notify":
        services.notify(complaint=complaint, actor=actor, on=data["on"], note=data["note"])
        return _("已告知，办结")
    if action == "extend":
        filing.extend_verification(complaint=complaint, actor=actor, note=data["note"])
        return _("核查期限已延长 15 个工作日")
    filed = _flag(data["decision"])
    filing.decide_filing(
        complaint=complaint,
        actor=actor,
        file=filed,
        on=data["on"],
        founded=data["founded"],
        outcome=data["outcome"],
    )
    return _("已立案") if filed else _("已决定不予立案")


@login_required
@require_POST
def complaint_action(request: OfficerRequest, pk: int, action: str) -> HttpResponse:
    """One of ``ACTIONS`` on a complaint, through ``core.pages.act``; a form that cannot be
    read or a refusal shows the complaint again with the form's fields marked."""
    complaint = get_scoped(complaints_for(request.user), request.user, pk=pk)
    if action not in ACTIONS:
        raise Http404(_("没有这个操作"))
    access.require(request.user, access.HANDLE_SERVICES)
    form = ActionForm(**posted(request), officers=_handlers(request))

    def shown_again(status: int) -> HttpResponse:
        complaint.refresh_from_db()
        context = _detail_context(request, complaint, form.field_errors, form.shown)
        context["failed"] = action
        return render(
            request, "timeliness/complaints/complaint_detail.html", context, status=status
        )

    def refused(error: DomainError) -> HttpResponse:
        form.add_service_errors(error)
        return shown_again(error.status_code)

    if not form.is_valid():
        messages.error(request, form.for_page)
        return shown_again(InvalidInput.status_code)
    back = redirect("timeliness:complaint_detail", pk=complaint.pk)
    return act(request, lambda: _run(request, complaint, action, form), None, back, refused=refused)


# Figures ---------------------------------------------------------------------------------------


def _period(request: OfficerRequest) -> tuple[dt.date, dt.date, dict[str, str], dict[str, str]]:
    today = timezone.localdate()
    values = {
        "from": request.GET.get("from", f"{today:%Y}-01-01").strip(),
        "to": request.GET.get("to", today.isoformat()).strip(),
        "unit": request.GET.get("unit", "").strip(),
    }
    errors: dict[str, str] = {}
    start, end = page_day(values["from"]), page_day(values["to"])
    if start is None:
        errors["from"] = _("起始日期格式应为 YYYY-MM-DD：%(v)s") % {"v": values["from"]}
    if end is None:
        errors["to"] = _("截止日期格式应为 YYYY-MM-DD：%(v)s") % {"v": values["to"]}
    if start and end and start > end:
        errors["to"] = _("截止日期不能早于起始日期：%(v)s") % {"v": values["to"]}
    if errors or start is None or end is None:
        return dt.date(today.year, 1, 1), today, values, errors
    return start, end, values, errors


def figures_for(request: OfficerRequest) -> tuple[Figures, dict[str, str], dict[str, str]]:
    start, end, values, errors = _period(request)
    rows = complaints_for(request.user)
    if values["unit"]:
        unit = _units(request).filter(code=values["unit"]).first()
        if unit is None:
            errors["unit"] = _("未找到该单位：%(v)s") % {"v": values["unit"]}
        else:
            rows = rows.filter(unit__path__startswith=unit.path)
    return complaint_figures(rows, start, end), values, errors


@login_required
@stale_reads
def complaint_stats(request: OfficerRequest) -> HttpResponse:
    """Counts by kind, channel, topic, unit and entity for a period, and the rates."""
    figures, values, errors = figures_for(request)
    query = "&".join(f"{k}={v}" for k, v in values.items() if v and k not in errors)
    context = {
        "figures": figures,
        "values": values,
        "errors": errors,
        "units": _units(request),
        "query": query,
    }
    return render(request, "timeliness/complaints/complaint_stats.html", context)


def stats_rows(figures: Figures) -> list[tuple[str, str, Any]]:
    """The figures as (group, item, value) lines: the page's tables and the XLSX sheet."""
    lines: list[tuple[str, str, Any]] = [
        (_("合计"), _("投诉举报"), figures.total),
        (_("合计"), _("投诉"), figures.complaints),
        (_("合计"), _("举报"), figures.reports),
        (_("投诉"), _("已作出受理决定"), figures.decided),
        (_("投诉"), _("7个工作日内作出受理决定"), figures.decided_in_time),
        (_("投诉"), _("按时受理率（%）"), figures.in_time_rate),
        (_("投诉"), _("不予受理"), figures.refused),
        (_("投诉"), _("调解成功"), figures.agreed),
        (_("投诉"), _("终止调解"), figures.terminated),
        (_("投诉"), _("调解成功率（%）"), figures.mediation_rate),
        (_("投诉"), _("挽回经济损失（元）"), figures.amount_recovered),
        (_("举报"), _("作出立案决定"), figures.reports_decided),
        (_("举报"), _("立案"), figures.reports_filed),
        (_("合计"), _("核查属实（含部分属实）"), figures.founded),
    ]
    for group, rows in (
        (_("来源渠道"), figures.by_channel),
        (_("涉及领域"), figures.by_topic),
        (_("承办单位"), figures.by_unit),
        (_("被投诉举报较多的主体"), figures.top_entities),
    ):
        lines += [(group, row.label, row.count) for row in rows]
    return lines


@login_required
@stale_reads
def complaint_stats_xlsx(request: OfficerRequest) -> HttpResponse:
    """The stats page's figures as an XLSX workbook."""
    from openpyxl import Workbook

    figures, _values, _errors = figures_for(request)
    book = Workbook(write_only=True)
    columns = [Column("group", _("分组")), Column("item", _("项目")), Column("value", _("数值"))]
    title = _("投诉举报统计 %(a)s 至 %(b)s") % {"a": figures.start, "b": figures.end}
    write_sheet(book, title, [c.label for c in columns], stats_rows(figures))
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"complaints-{figures.start}-{figures.end}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
