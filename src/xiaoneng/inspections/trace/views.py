"""Pages of trace flags (痕迹疑点, 篇7): the list with counts by kind, and a flag's detail where
it is cleared or confirmed. Each page is scoped; each action calls ``trace.flags``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import DomainError, NotPermitted
from xiaoneng.core.forms import posted
from xiaoneng.core.history import readable
from xiaoneng.core.pages import (
    Choice,
    among,
    is_day,
    known_filters,
    paginate,
    params_query,
    parse_day,
)
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.inspections.records.models import TraceFlag
from xiaoneng.inspections.records.queries import inspection_content
from xiaoneng.inspections.trace import flags
from xiaoneng.inspections.trace.forms import ResolveForm
from xiaoneng.org import access
from xiaoneng.org.models import Unit
from xiaoneng.org.requests import OfficerRequest


def stations(request: OfficerRequest) -> QuerySet[Unit]:
    """The stations of the user's scope, for a list's station filter."""
    return scoped(Unit.objects.filter(kind=Unit.Kind.STATION), request.user).order_by("path")


# Trace flags ----------------------------------------------------------------------------------


FLAG_FILTERS = ("kind", "status", "unit", "officer", "date_from", "date_to")


@login_required
def trace_flag_list(request: OfficerRequest) -> HttpResponse:
    """Flags of the user's scope, newest first, with the counts of each kind on top."""
    known = known_filters(
        request,
        kind=Choice(_("疑点"), TraceFlag.Kind.values),
        status=Choice(_("状态"), [*TraceFlag.Status.values, "all"]),
        unit=Choice(_("单位"), among(stations(request))),
        date_from=Choice(_("检查日期自"), is_day),
        date_to=Choice(_("检查日期至"), is_day),
    )
    params = {name: known.get(name, "").strip() for name in FLAG_FILTERS}
    if "status" not in known:
        params["status"] = TraceFlag.Status.OPEN
    status = params["status"] if params["status"] in TraceFlag.Status.values else ""
    kind = params["kind"]
    narrowed = flags.filter_flags(
        flags.flags_for(request.user),
        status=status,
        unit=params["unit"],
        officer=params["officer"],
        date_from=parse_day(params["date_from"]),
        date_to=parse_day(params["date_to"]),
    )
    listed = flags.filter_flags(narrowed, kind=kind).order_by("-raised_at", "-id")
    context = {
        "page": paginate(request, listed),
        "query": params_query(params | {"status": params["status"] or "all"}),
        "params": params,
        "counts": flags.counts_by_kind(narrowed),
        "kinds": TraceFlag.Kind.choices,
        "statuses": TraceFlag.Status.choices,
        "stations": stations(request),
        "base_query": params_query(
            {k: v for k, v in params.items() if k != "kind"} | {"status": params["status"] or "all"}
        ),
    }
    return render(request, "inspections/trace_flag_list.html", context)


@login_required
def trace_flag_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    """A flag, the record it doubts, and the form that clears or confirms it."""
    flag = get_scoped(flags.flags_for(request.user), request.user, pk=pk)
    form = ResolveForm(**posted(request))
    if form.is_valid():
        try:
            flags.resolve_flag(
                flag=flag,
                actor=request.user,
                confirmed=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except NotPermitted:
            raise
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
            flag.refresh_from_db()
        else:
            messages.success(
                request, _("已核实痕迹疑点：%(status)s") % {"status": flag.get_status_display()}
            )
            return redirect("inspections:trace_flag_detail", pk=flag.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    context = {
        **inspection_content(flag.inspection),
        "flag": flag,
        "errors": form.field_errors,
        "form": form.shown,
        "may_resolve": flag.status == TraceFlag.Status.OPEN
        and access.can(request.user, access.REVIEW_INSPECTIONS),
        "history": readable(audit.history(flag)[:50], TraceFlag),
    }
    return render(request, "inspections/trace_flag_detail.html", context)
