"""Pages of follow-up: findings, rectification orders, exit supervision, unlicensed operators
and credit proposals. Each reads through the scoping helpers and acts through a service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, DomainError, FieldError, InvalidInput
from xiaoneng.core.paging import CappedPaginator
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.inspections import exits, followup, unlicensed
from xiaoneng.inspections.models import (
    ExitCheck,
    Finding,
    Inspection,
    Rectification,
    Severity,
    UnlicensedOperator,
)
from xiaoneng.org import access
from xiaoneng.registry.feedback import decide_proposal
from xiaoneng.registry.models import CreditProposal, CreditRule, Entity

Refusal = (InvalidInput, Conflict)  # shown on the page; NotPermitted answers 403


def _page(request: HttpRequest, rows: Any) -> Any:
    return CappedPaginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def _query(request: HttpRequest, *names: str) -> str:
    return "&".join(f"{n}={request.GET[n]}" for n in names if request.GET.get(n))


def _date(value: Any) -> dt.date | None:
    try:
        return parse_date(str(value or "").strip())
    except ValueError:
        return None


def _errors(error: DomainError) -> dict[str, str]:
    return {e.field: e.message for e in error.errors or [FieldError("", error.message)]}


def case_link(source: str, pk: int) -> str:
    """The case form for a source (rectification, finding, exit_check, unlicensed)."""
    try:
        base = reverse("cases:case_create")
    except NoReverseMatch:
        base = "/cases/new/"
    return f"{base}?{source}={pk}"


def _history(instance: Any) -> list[dict[str, Any]]:
    """The record's trace, newest first, its status moves with their labels."""
    labels = dict(type(instance)._meta.get_field("status").flatchoices)
    rows = []
    for event in audit.history(instance)[:50]:
        moved = event.changes.get("status") if isinstance(event.changes, dict) else None
        rows.append(
            {
                "at": event.at,
                "actor": event.actor_name,
                "action": event.get_action_display(),
                "status_from": labels.get(moved[0], "") if moved else "",
                "status_to": labels.get(moved[1], "") if moved else "",
                "reason": event.reason,
            }
        )
    return rows


def _act(
    request: HttpRequest, action: Callable[[], Any], done: str, back: HttpResponse
) -> HttpResponse:
    """Run a POSTed action: its message on success, the refusal's message otherwise."""
    try:
        action()
    except Refusal as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return back


# Findings -----------------------------------------------------------------------------------


@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    """Findings of the user's units by status and severity, newest first."""
    findings = scoped(
        Finding.objects.select_related("entity", "item", "rectification"), request.user
    )
    status = request.GET.get("status", "open")
    if status in Finding.Status.values:
        findings = findings.filter(status=status)
    severity = request.GET.get("severity", "")
    if severity in Severity.values:
        findings = findings.filter(severity=severity)
    q = request.GET.get("q", "").strip()
    if q:
        findings = findings.filter(entity__name__contains=q) | findings.filter(
            entity__uscc=q.upper()
        )
    page = _page(request, findings.order_by("-found_on", "-id"))
    for finding in page:
        finding.inspection_url = followup.inspection_url(finding.inspection_id)
        finding.case_url = case_link("finding", finding.pk)
    context = {
        "page": page,
        "query": _query(request, "status", "severity", "q"),
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


def _orders(request: HttpRequest) -> QuerySet[Rectification]:
    return scoped(
        Rectification.objects.select_related("entity", "unit", "issued_by", "reinspection_task"),
        request.user,
    )


@login_required
def rectification_list(request: HttpRequest) -> HttpResponse:
    """Orders: open, due soon, overdue, warned, re-inspection failed… deadline first."""
    today = timezone.localdate()
    state = request.GET.get("state", "open")
    orders = followup.filter_state(_orders(request), state, today)
    orders = orders.annotate(reinspection_failed=followup.reinspection_failed())
    page = _page(request, orders.order_by("deadline", "id"))
    for order in page:
        order.days_left = followup.working_days_left(order, today)
        order.days_over = -order.days_left if order.days_left else 0
    context = {
        "page": page,
        "query": _query(request, "state"),
        "state": state,
        "states": [(s, str(STATE_LABELS[s])) for s in followup.STATES],
        "today": today,
    }
    return render(request, "inspections/rectification_list.html", context)


@login_required
def rectification_create(request: HttpRequest) -> HttpResponse:
    """The order form for open findings of one signed inspection (?inspection=<id>)."""
    access.require(request.user, access.INSPECT)
    inspection = get_scoped(
        Inspection.objects.select_related("entity"), request.user, pk=_int(request, "inspection")
    )
    errors: dict[str, str] = {}
    post = request.POST
    if request.method == "POST":
        by_date = post.get("term") == "date"
        try:
            order = followup.issue_rectification(
                inspection=inspection,
                findings=followup.select_findings(
                    inspection=inspection, ids=post.getlist("findings")
                ),
                actor=request.user,
                requirements=post.get("requirements", ""),
                working_days=None if by_date else post.get("working_days", ""),
                deadline=_date(post.get("deadline")) if by_date else None,
            )
        except Refusal as error:
            errors = _errors(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("已下达责令整改：%(number)s") % {"number": order.number})
            return redirect("inspections:rectification_detail", pk=order.pk)
    findings = inspection.findings.select_related("item").filter(status=Finding.Status.OPEN)
    chosen = set(post.getlist("findings")) if request.method == "POST" else None
    context = {
        "inspection": inspection,
        "inspection_url": followup.inspection_url(inspection.pk),
        "findings": [(f, chosen is None or str(f.pk) in chosen) for f in findings],
        "form": post if request.method == "POST" else {"term": "days", "working_days": "10"},
        "errors": errors,
        "today": timezone.localdate(),
        "max_days": followup.MAX_DAYS,
    }
    return render(request, "inspections/rectification_form.html", context)


def _int(request: HttpRequest, name: str) -> int:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return 0


@login_required
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One order: its findings, deadline in working days left, re-inspection task, history."""
    order = get_scoped(_orders(request), request.user, pk=pk)
    today = timezone.localdate()
    open_order = order.status in followup.OPEN_STATES
    days_left = followup.working_days_left(order, today)
    context = {
        "order": order,
        "findings": order.findings.select_related("item"),
        "days_left": days_left,
        "days_over": -days_left if days_left else 0,
        "inspection_url": followup.inspection_url(order.inspection_id),
        "history": _history(order),
        "may_record": open_order and access.can(request.user, access.INSPECT),
        "case_url": case_link("rectification", order.pk) if open_order else "",
        "today": today,
    }
    return render(request, "inspections/rectification_detail.html", context)


@login_required
@require_POST
def rectification_rectified(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_scoped(_orders(request), request.user, pk=pk)
    return _act(
        request,
        lambda: followup.record_rectified(
            rectification=order, actor=request.user, outcome=request.POST.get("outcome", "")
        ),
        _("已登记整改结果：%(number)s") % {"number": order.number},
        redirect("inspections:rectification_detail", pk=order.pk),
    )


# Exit supervision ---------------------------------------------------------------------------


def _checks(request: HttpRequest) -> QuerySet[ExitCheck]:
    return scoped(ExitCheck.objects.select_related("entity", "found_by"), request.user)


@login_required
def exit_list(request: HttpRequest) -> HttpResponse:
    """Exit checks (退出督查), the open ones first."""
    checks = _checks(request)
    status = request.GET.get("status", "")
    if status in ExitCheck.Status.values:
        checks = checks.filter(status=status)
    context = {
        "page": _page(request, exits.checks_open_first(checks)),
        "query": _query(request, "status"),
        "status": status,
        "statuses": ExitCheck.Status.choices,
        "can_act": access.can(request.user, access.INSPECT),
    }
    return render(request, "inspections/exit_list.html", context)


@login_required
def exit_entities(request: HttpRequest) -> HttpResponse:
    """Deregistered or revoked entities with open tasks or found operating."""
    context = {"page": _page(request, exits.exited_entities(request.user)), "query": ""}
    return render(request, "inspections/exit_entities.html", context)


@login_required
def exit_create(request: HttpRequest) -> HttpResponse:
    """Report a deregistered or revoked entity found operating without an inspection."""
    access.require(request.user, access.INSPECT)
    errors: dict[str, str] = {}
    form: Any = {"uscc": request.GET.get("uscc", ""), "found_on": timezone.localdate().isoformat()}
    if request.method == "POST":
        form = request.POST
        uscc = form.get("uscc", "").strip().upper()
        entity = scoped(Entity.objects.all(), request.user).filter(uscc=uscc).first()
        try:
            if entity is None:
                raise InvalidInput.single(
                    "uscc", _("辖区内没有该统一社会信用代码的主体：%(v)s") % {"v": uscc}
                )
            check = exits.report_exit_operating(
                entity=entity,
                actor=request.user,
                circumstances=form.get("circumstances", ""),
                found_on=_date(form.get("found_on")),
            )
        except Refusal as error:
            errors = _errors(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("已登记退出督查：%(name)s") % {"name": entity.name})
            return redirect("inspections:exit_detail", pk=check.pk)
    return render(request, "inspections/exit_form.html", {"form": form, "errors": errors})


@login_required
def exit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_scoped(_checks(request), request.user, pk=pk)
    is_open = check.status == ExitCheck.Status.OPEN
    context = {
        "check": check,
        "inspection_url": followup.inspection_url(check.inspection_id)
        if check.inspection_id
        else "",
        "may_close": is_open and access.can(request.user, access.INSPECT),
        "case_url": case_link("exit_check", check.pk) if is_open else "",
        "history": _history(check),
    }
    return render(request, "inspections/exit_detail.html", context)


@login_required
@require_POST
def exit_close(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_scoped(_checks(request), request.user, pk=pk)
    return _act(
        request,
        lambda: exits.close_exit_check(
            exit_check=check, actor=request.user, outcome=request.POST.get("outcome", "")
        ),
        _("已办结退出督查：%(name)s") % {"name": check.entity.name},
        redirect("inspections:exit_detail", pk=check.pk),
    )


# Unlicensed operators -----------------------------------------------------------------------


def _records(request: HttpRequest) -> QuerySet[UnlicensedOperator]:
    return scoped(
        UnlicensedOperator.objects.select_related("unit", "found_by", "entity"), request.user
    )


@login_required
def unlicensed_list(request: HttpRequest) -> HttpResponse:
    """Operators found without a licence (无照经营) and how each was dealt with."""
    records = _records(request)
    status = request.GET.get("status", "")
    if status in UnlicensedOperator.Status.values:
        records = records.filter(status=status)
    context = {
        "page": _page(request, records.order_by("-found_on", "-id")),
        "query": _query(request, "status"),
        "status": status,
        "statuses": UnlicensedOperator.Status.choices,
        "can_act": access.can(request.user, access.INSPECT),
    }
    return render(request, "inspections/unlicensed_list.html", context)


UNLICENSED_FIELDS = [
    ("name", gettext_lazy("经营者（字号）")),
    ("operator", gettext_lazy("经营者姓名")),
    ("address", gettext_lazy("经营场所")),
    ("business", gettext_lazy("经营项目")),
    ("found_on", gettext_lazy("发现日期")),
    ("longitude", gettext_lazy("经度")),
    ("latitude", gettext_lazy("纬度")),
]


@login_required
def unlicensed_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.INSPECT)
    errors: dict[str, str] = {}
    form: Any = {"found_on": timezone.localdate().isoformat()}
    if request.method == "POST":
        form = request.POST
        try:
            found = unlicensed.record_unlicensed(
                actor=request.user,
                name=form.get("name", ""),
                address=form.get("address", ""),
                business=form.get("business", ""),
                found_on=_date(form.get("found_on")),
                longitude=form.get("longitude") or None,
                latitude=form.get("latitude") or None,
                operator=form.get("operator", ""),
            )
        except Refusal as error:
            errors = _errors(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("已登记无照经营：%(name)s") % {"name": found.name})
            return redirect("inspections:unlicensed_detail", pk=found.pk)
    fields = [
        {"name": name, "label": label, "value": form.get(name, ""), "error": errors.get(name, "")}
        for name, label in UNLICENSED_FIELDS
    ]
    return render(request, "inspections/unlicensed_form.html", {"fields": fields})


@login_required
def unlicensed_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_scoped(_records(request), request.user, pk=pk)
    can_act = access.can(request.user, access.INSPECT)
    U = UnlicensedOperator.Status
    context = {
        "record": found,
        "may_guide": can_act and found.status == U.FOUND,
        "may_license": can_act and found.status == U.GUIDED,
        "may_cease": can_act and found.status in (U.FOUND, U.GUIDED),
        "case_url": case_link("unlicensed", found.pk)
        if found.status in (U.FOUND, U.GUIDED)
        else "",
        "history": _history(found),
    }
    return render(request, "inspections/unlicensed_detail.html", context)


@login_required
@require_POST
def unlicensed_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """guide / licensed / ceased: the three ways a record moves on."""
    found = get_scoped(_records(request), request.user, pk=pk)
    post = request.POST
    back = redirect("inspections:unlicensed_detail", pk=found.pk)

    def run() -> Any:
        if action == "guide":
            return unlicensed.guide_unlicensed(
                record=found, actor=request.user, note=post.get("note", "")
            )
        if action == "licensed":
            uscc = post.get("uscc", "").strip().upper()
            entity = scoped(Entity.objects.all(), request.user).filter(uscc=uscc).first()
            if entity is None:
                raise InvalidInput.single(
                    "uscc", _("辖区内没有该统一社会信用代码的主体：%(v)s") % {"v": uscc}
                )
            return unlicensed.mark_licensed(record=found, entity=entity, actor=request.user)
        return unlicensed.mark_ceased(
            record=found, actor=request.user, outcome=post.get("outcome", "")
        )

    return _act(request, run, _("已更新：%(name)s") % {"name": found.name}, back)


# Credit proposals ---------------------------------------------------------------------------


@login_required
def credit_list(request: HttpRequest) -> HttpResponse:
    """Credit grade proposals (pending first) with their source, and the rule table."""
    proposals = scoped(CreditProposal.objects.select_related("entity", "decided_by"), request.user)
    status = request.GET.get("status", "pending")
    if status in CreditProposal.Status.values:
        proposals = proposals.filter(status=status)
    context = {
        "page": _page(request, proposals.order_by("-proposed_at", "-id")),
        "query": _query(request, "status"),
        "status": status,
        "statuses": CreditProposal.Status.choices,
        "rules": CreditRule.objects.order_by("trigger"),
        "may_decide": access.can(request.user, access.EDIT_REGISTER),
        "rules_admin": request.user.is_staff,
    }
    return render(request, "inspections/credit_list.html", context)


@login_required
@require_POST
def credit_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_scoped(CreditProposal.objects.select_related("entity"), request.user, pk=pk)
    confirm = request.POST.get("decision") == "confirm"
    done = _("已确认调整信用等级") if confirm else _("已驳回调整建议")
    return _act(
        request,
        lambda: decide_proposal(
            proposal=proposal,
            confirm=confirm,
            reason=request.POST.get("reason", ""),
            actor=request.user,
        ),
        f"{done}：{proposal.entity.name}",
        redirect(f"{reverse('inspections:credit_list')}?status=pending"),
    )
