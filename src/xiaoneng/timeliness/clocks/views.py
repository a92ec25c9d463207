"""Pages of warnings (电子监察): the list, one warning with its clock and the handle and clear
forms, the warning settings; and the clocks panel other pages include."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core import audit
from xiaoneng.core.errors import DomainError, InvalidInput
from xiaoneng.core.forms import posted
from xiaoneng.core.history import readable
from xiaoneng.core.pages import Choice, act, among, is_flag, known_filters, paginate, params_query
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.timeliness.clocks import queries, services
from xiaoneng.timeliness.clocks.forms import ClearForm, HandleForm, PolicyForm
from xiaoneng.timeliness.clocks.models import (
    Clock,
    Escalation,
    Level,
    Warning,
    WarningPolicy,
)
from xiaoneng.timeliness.clocks.warnings import policy

ESCALATIONS = [str(value) for value in Escalation.values]


def _stations(request: OfficerRequest) -> Any:
    return scoped(Unit.objects.filter(kind=Unit.Kind.STATION), request.user).order_by("path")


@login_required
def warning_list(request: OfficerRequest) -> HttpResponse:
    """Warnings of the user's units, red first; filters level, escalation, open or cleared,
    unit and "mine"."""
    warnings = queries.warnings_for(request.user)
    known = known_filters(
        request,
        level=Choice(_("预警"), Level.values[1:]),
        escalation=Choice(_("督办层级"), ESCALATIONS),
        state=Choice(_("状态"), queries.STATES),
        unit=Choice(_("承办单位"), among(scoped(Unit.objects.all(), request.user), "code")),
        mine=Choice(_("我的"), is_flag),
    )
    params = {n: known.get(n, "").strip() for n in ("level", "escalation", "state", "unit", "mine")}
    mine = params["mine"].lower() in ("1", "true", "yes", "on")
    found = queries.filter_warnings(
        warnings,
        request.user,
        level=params["level"],
        escalation=params["escalation"],
        state=params["state"],
        unit=params["unit"],
        mine=mine,
    )
    context = {
        "page": paginate(request, found),
        "params": params,
        "query": params_query(params),
        "levels": Level.choices[1:],
        "escalations": Escalation.choices,
        "stations": _stations(request),
        "mine": mine,
    }
    return render(request, "timeliness/clocks/warning_list.html", context)


def _detail_context(
    request: OfficerRequest, warning: Warning, errors: dict[str, str], form: Any
) -> dict[str, Any]:
    clock = warning.clock
    return {
        "warning": warning,
        "clock": clock,
        "suspensions": list(clock.suspensions.all()),
        "subject_url": queries.subject_url(clock),
        "may_handle": services.may_handle(request.user, warning),
        "may_clear": services.may_clear(request.user, warning),
        "errors": errors,
        "form": form,
        "history": readable(audit.history(warning)[:50], Warning),
    }


@login_required
def warning_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    warning = get_scoped(queries.warnings_for(request.user), request.user, pk=pk)
    return render(
        request, "timeliness/clocks/warning_detail.html", _detail_context(request, warning, {}, {})
    )


def _warning_action(request: OfficerRequest, pk: int, action: str) -> HttpResponse:
    warning = get_scoped(queries.warnings_for(request.user), request.user, pk=pk)
    form = HandleForm(**posted(request)) if action == "handle" else ClearForm(**posted(request))

    def run() -> str:
        data = form.cleaned_data
        if action == "handle":
            services.handle_warning(warning=warning, note=data["note"], actor=request.user)
            return _("已记录处理情况")
        services.clear_warning(warning=warning, reason_note=data["reason_note"], actor=request.user)
        return _("已解除预警")

    def refused(error: DomainError) -> HttpResponse:
        form.add_service_errors(error)
        warning.refresh_from_db()
        context = _detail_context(request, warning, form.field_errors, form.shown)
        return render(
            request, "timeliness/clocks/warning_detail.html", context, status=error.status_code
        )

    if not form.is_valid():
        return refused(InvalidInput(form.for_page))
    back = redirect("timeliness:warning_detail", pk=warning.pk)
    return act(request, run, None, back, refused=refused)


@login_required
@require_POST
def warning_handle(request: OfficerRequest, pk: int) -> HttpResponse:
    return _warning_action(request, pk, "handle")


@login_required
@require_POST
def warning_clear(request: OfficerRequest, pk: int) -> HttpResponse:
    return _warning_action(request, pk, "clear")


@login_required
def warning_policy(request: OfficerRequest) -> HttpResponse:
    """The warning settings: shown to every bureau role, changed by whoever manages the
    service items."""
    current = policy()
    may_edit = access.can(request.user, access.MANAGE_SERVICE_ITEMS)
    form = PolicyForm(**posted(request)) if may_edit else PolicyForm()
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        access.require(request.user, access.MANAGE_SERVICE_ITEMS)

        def run() -> str:
            data = form.cleaned_data
            services.update_policy(
                actor=request.user,
                yellow_share=data["yellow_share"],
                handle_days=data["handle_days"],
            )
            return _("已保存预警设置")

        def refused(error: DomainError) -> HttpResponse:
            form.add_service_errors(error)
            context = _policy_context(request, policy(), may_edit, form.field_errors, form.shown)
            return render(
                request, "timeliness/clocks/warning_policy.html", context, status=error.status_code
            )

        if not form.is_valid():
            return refused(InvalidInput(form.for_page))
        return act(request, run, None, redirect("timeliness:warning_policy"), refused=refused)
    context = _policy_context(request, current, may_edit, errors, {})
    return render(request, "timeliness/clocks/warning_policy.html", context, status=status)


def _policy_context(
    request: OfficerRequest,
    current: WarningPolicy,
    may_edit: bool,
    errors: dict[str, str],
    form: Any,
) -> dict[str, Any]:
    return {
        "policy": current,
        "may_edit": may_edit,
        "errors": errors,
        "form": form,
        "percent": int(current.yellow_share * 100),
    }


def clocks_panel_context(subject_type: str, subject_id: int, viewer: Officer) -> dict[str, Any]:
    """What ``timeliness/clocks/_clocks.html`` shows of a record's clocks: used days, limit,
    due date (provisional marked), level and suspensions; and each open warning's link."""
    from xiaoneng.core.calendar import WorkingCalendar
    from xiaoneng.timeliness.clocks.services import today, used_days

    calendar = WorkingCalendar.load()
    day = today()
    clocks: list[Clock] = services.clocks_of(subject_type, subject_id)
    rows = []
    for clock in clocks:
        warnings = scoped(clock.warnings.filter(cleared_at__isnull=True), viewer)
        rows.append(
            {
                "clock": clock,
                "used": used_days(clock, day, calendar),
                "limit": clock.limit_days + clock.extended_days,
                "suspensions": list(clock.suspensions.all()),
                "warnings": list(warnings),
            }
        )
    return {"clock_rows": rows}
