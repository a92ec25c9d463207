"""Pages of follow-up: findings and rectification orders. Each reads through the scoping
helpers and acts through a service.

Exit supervision and unlicensed operators: ``exit_views``; credit proposals: ``credit_views``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xiaoneng.core.forms import posted
from xiaoneng.core.pages import (
    Choice,
    Refusal,
    act,
    history_rows,
    known_filters,
    paginate,
    query_string,
)
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.inspections.checklists.models import Severity
from xiaoneng.inspections.followup import queries as followup_queries
from xiaoneng.inspections.followup import services as followup
from xiaoneng.inspections.followup.forms import OutcomeForm, RectificationForm
from xiaoneng.inspections.followup.models import Finding, Rectification
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest

# Findings -----------------------------------------------------------------------------------


@login_required
def finding_list(request: OfficerRequest) -> HttpResponse:
    """Findings of the user's units by status and severity, newest first."""
    findings = scoped(
        Finding.objects.select_related("entity", "item", "rectification"), request.user
    )
    params = known_filters(
        request,
        status=Choice(_("状态"), [*Finding.Status.values, "all"]),
        severity=Choice(_("严重程度"), Severity.values),
    )
    status = params.get("status", "open")
    if status in Finding.Status.values:
        findings = findings.filter(status=status)
    severity = params.get("severity", "")
    if severity:
        findings = findings.filter(severity=severity)
    q = params.get("q", "").strip()
    if q:
        findings = findings.filter(entity__name__contains=q) | findings.filter(
            entity__uscc=q.upper()
        )
    page = paginate(request, findings.order_by("-found_on", "-id"))
    for finding in page:
        finding.inspection_url = (
            followup.inspection_url(finding.inspection_id)
            if finding.inspection_id
            else finding.source_url
        )
    context = {
        "page": page,
        "query": query_string(params, "status", "severity", "q"),
        "status": status,
        "severity": severity,
        "q": q,
        "statuses": Finding.Status.choices,
        "severities": Severity.choices,
        "can_act": access.can(request.user, access.INSPECT),
    }
    return render(request, "inspections/finding_list.html", context)


# Rectifications -----------------------------------------------------------------------------

STATE_LABELS = {
    "open": gettext_lazy("整改中"),
    "due_soon": gettext_lazy("即将到期"),
    "overdue": gettext_lazy("已逾期"),
    "warned": gettext_lazy("已警示"),
    "failed": gettext_lazy("复查未通过"),
    "rectified": gettext_lazy("已整改"),
    "escalated": gettext_lazy("已转立案"),
}


def _orders(request: OfficerRequest) -> QuerySet[Rectification]:
    return scoped(
        Rectification.objects.select_related("entity", "unit", "issued_by", "reinspection_task"),
        request.user,
    )


@login_required
def rectification_list(request: OfficerRequest) -> HttpResponse:
    """Orders: open, due soon, overdue, warned, re-inspection failed… deadline first."""
    today = timezone.localdate()
    params = known_filters(request, state=Choice(_("状态"), [*followup_queries.STATES, "all"]))
    state = params.get("state", "open")
    orders = followup_queries.filter_state(_orders(request), state, today)
    orders = orders.annotate(reinspection_failed=followup_queries.reinspection_failed())
    page = paginate(request, orders.order_by("deadline", "id"))
    for order in page:
        order.days_left = followup_queries.working_days_left(order, today)
        order.days_over = -order.days_left if order.days_left else 0
    context = {
        "page": page,
        "query": query_string(params, "state"),
        "state": state,
        "states": [(s, str(STATE_LABELS[s])) for s in followup_queries.STATES],
        "today": today,
    }
    return render(request, "inspections/rectification_list.html", context)


@login_required
def rectification_create(request: OfficerRequest) -> HttpResponse:
    """The order form for open findings of one signed inspection (?inspection=<id>)."""
    access.require(request.user, access.INSPECT)
    inspection = get_scoped(
        Inspection.objects.select_related("entity"), request.user, pk=_int(request, "inspection")
    )
    form = RectificationForm(**posted(request), initial={"term": "days", "working_days": "10"})
    if form.is_valid():
        data = form.cleaned_data
        try:
            order = followup.issue_rectification(
                inspection=inspection,
                findings=followup.select_findings(inspection=inspection, ids=data["findings"]),
                actor=request.user,
                requirements=data["requirements"],
                working_days=data.get("working_days"),
                deadline=data.get("deadline"),
            )
        except Refusal as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已下达责令整改：%(number)s") % {"number": order.number})
            return redirect("inspections:rectification_detail", pk=order.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    findings = inspection.findings.select_related("item").filter(status=Finding.Status.OPEN)
    chosen = set(form["findings"].value()) if form.is_bound else None
    context = {
        "inspection": inspection,
        "inspection_url": followup.inspection_url(inspection.pk),
        "findings": [(f, chosen is None or str(f.pk) in chosen) for f in findings],
        "form": form.shown,
        "errors": form.field_errors,
        "today": timezone.localdate(),
        "max_days": followup.MAX_DAYS,
    }
    return render(request, "inspections/rectification_form.html", context)


def _int(request: OfficerRequest, name: str) -> int:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return 0


@login_required
def rectification_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    """One order: its findings, deadline in working days left, re-inspection task, history."""
    order = get_scoped(_orders(request), request.user, pk=pk)
    today = timezone.localdate()
    open_order = order.status in followup.OPEN_STATES
    days_left = followup_queries.working_days_left(order, today)
    context = {
        "order": order,
        "findings": order.findings.select_related("item"),
        "days_left": days_left,
        "days_over": -days_left if days_left else 0,
        "inspection_url": (
            followup.inspection_url(order.inspection_id) if order.inspection_id else ""
        ),
        "history": history_rows(order),
        "may_record": open_order and access.can(request.user, access.INSPECT),
        "today": today,
    }
    return render(request, "inspections/rectification_detail.html", context)


@login_required
@require_POST
def rectification_rectified(request: OfficerRequest, pk: int) -> HttpResponse:
    order = get_scoped(_orders(request), request.user, pk=pk)
    back = redirect("inspections:rectification_detail", pk=order.pk)
    form = OutcomeForm(**posted(request))
    if not form.is_valid():
        messages.error(request, form.for_page)
        return back
    return act(
        request,
        lambda: followup.record_rectified(
            rectification=order, actor=request.user, outcome=form.cleaned_data["outcome"]
        ),
        _("已登记整改结果：%(number)s") % {"number": order.number},
        back,
    )
