"""Pages of accountability (问责, 篇9): the list (an officer sees his own; those who oversee the
units, theirs), an action with its sources, the form that decides one, and its revocation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core import audit
from xiaoneng.core.errors import DomainError, InvalidInput, NotPermitted
from xiaoneng.core.forms import ReasonForm, posted
from xiaoneng.core.history import readable
from xiaoneng.core.pages import Choice, act, among, is_year, known_filters, paginate, params_query
from xiaoneng.core.scoping import scoped, visible_unit_ids
from xiaoneng.inspections.records.models import TraceFlag
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.timeliness.accountability import queries
from xiaoneng.timeliness.accountability import services as accountability
from xiaoneng.timeliness.accountability.figures import accountability_figures
from xiaoneng.timeliness.accountability.forms import ActionForm
from xiaoneng.timeliness.accountability.models import AccountabilityAction, ActionKind
from xiaoneng.timeliness.callbacks.models import Callback, CallbackProblem
from xiaoneng.timeliness.clocks.models import Warning

# A source's page, by its URL name.
SOURCE_PAGES = {
    "warning": "timeliness:warning_detail",
    "callback": "timeliness:callback_detail",
    "callback_problem": "timeliness:callback_problem_detail",
    "trace_flag": "inspections:trace_flag_detail",
}
SOURCE_LABELS = {
    "warning": "来源预警",
    "callback": "来源回访",
    "callback_problem": "来源回访问题",
    "trace_flag": "来源痕迹疑点",
}


def _page_of(name: str, pk: int) -> str:
    return reverse(SOURCE_PAGES[name], kwargs={"pk": pk})


def _units(request: OfficerRequest) -> QuerySet[Unit]:
    return scoped(Unit.objects.all(), request.user).order_by("path")


@login_required
def accountability_list(request: OfficerRequest) -> HttpResponse:
    """The actions the user may see, newest first, by kind, unit and year."""
    oversees = queries.oversees(request.user)
    known = known_filters(
        request,
        kind=Choice(_("问责方式"), ActionKind.values),
        unit=Choice(_("单位"), among(_units(request))),
        year=Choice(_("年度"), is_year),
    )
    params = {name: known.get(name, "").strip() for name in ("kind", "unit", "year")}
    actions = queries.filtered(
        queries.visible_actions(request.user),
        kind=params["kind"],
        unit=params["unit"],
        year=params["year"],
    )
    page = paginate(request, actions.order_by("-decided_on", "-id"))
    figures = None
    if oversees:
        year = int(params["year"] or timezone.localdate().year)
        figures = accountability_figures(
            start=dt.date(year, 1, 1),
            end=dt.date(year, 12, 31),
            unit_ids=visible_unit_ids(request.user),
        )
    context = {
        "page": page,
        "params": params,
        "query": params_query(params),
        "kinds": ActionKind.choices,
        "units": _units(request) if oversees else [],
        "figures": figures,
        "figure_kinds": [(label, figures.by_kind[k]) for k, label in ActionKind.choices]
        if figures
        else [],
        "oversees": oversees,
        "may_decide": accountability.may_decide(request.user),
    }
    return render(request, "timeliness/accountability/list.html", context)


def _detail_context(
    request: OfficerRequest, action: AccountabilityAction, errors: dict[str, str]
) -> dict[str, Any]:
    sources = []
    for name, label in SOURCE_LABELS.items():
        source = getattr(action, name)
        if source is not None:
            sources.append(
                {
                    "label": _(label),
                    "text": str(source),
                    "pk": source.pk,
                    "url": _page_of(name, source.pk),
                }
            )
    return {
        "action": action,
        "sources": sources,
        "may_revoke": action.revoked_at is None
        and accountability.may_decide(request.user, action.unit_id),
        "errors": errors,
        "history": readable(audit.history(action)[:50], AccountabilityAction),
    }


@login_required
def accountability_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    """An action: the facts, the rule, the deduction, and the records it came from."""
    action = queries.get_visible(request.user, pk)
    return render(
        request, "timeliness/accountability/detail.html", _detail_context(request, action, {})
    )


def _sources(request: OfficerRequest) -> dict[str, QuerySet[Any]]:
    user = request.user
    return {
        "warning": scoped(Warning.objects.select_related("officer", "clock"), user),
        "callback": scoped(Callback.objects.select_related("officer"), user),
        "callback_problem": scoped(CallbackProblem.objects.select_related("owner"), user),
        "trace_flag": scoped(TraceFlag.objects.select_related("inspection"), user),
    }


def _prefill(request: OfficerRequest, sources: dict[str, QuerySet[Any]]) -> dict[str, str]:
    """Initial values from ``?warning=ID``, ``?callback=ID``, ``?problem=ID`` or ``?flag=ID``:
    the source and the officer it concerns."""
    initial = {"decided_on": timezone.localdate().isoformat()}
    asked = {
        "warning": request.GET.get("warning", ""),
        "callback": request.GET.get("callback", ""),
        "callback_problem": request.GET.get("problem", ""),
        "trace_flag": request.GET.get("flag", ""),
    }
    for name, text in asked.items():
        text = text.strip()
        if not (text.isascii() and text.isdigit() and len(text) < 19):
            continue
        source = sources[name].filter(pk=int(text)).first()
        if source is None:
            continue
        initial[name] = str(source.pk)
        concerned = _concerned(name, source)
        if concerned is not None and "officer" not in initial:
            initial["officer"] = concerned.username
    return initial


def _concerned(name: str, source: Any) -> Officer | None:
    if name == "callback_problem":
        return source.owner
    if name == "trace_flag":
        return source.inspection.lead_officer
    return source.officer


@login_required
def accountability_create(request: OfficerRequest) -> HttpResponse:
    """The form of ``decide_action``."""
    access.require(request.user, access.DECIDE_ACCOUNTABILITY)
    sources = _sources(request)
    officers = scoped(Officer.objects.filter(is_active=True), request.user).select_related("unit")
    form = ActionForm(
        **posted(request), initial=_prefill(request, sources), officers=officers, sources=sources
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            action = accountability.decide_action(actor=request.user, **data)
        except NotPermitted:
            raise
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已登记问责：%(a)s") % {"a": action})
            return redirect("timeliness:accountability_detail", pk=action.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    context = {
        "form": form.shown,
        "errors": form.field_errors,
        "kinds": ActionKind.choices,
        "officers": officers.order_by("unit__path", "username"),
        "source_fields": [
            {
                "name": name,
                "label": _(label),
                "value": form.shown.get(name, ""),
                "error": form.field_errors.get(name, ""),
            }
            for name, label in SOURCE_LABELS.items()
        ],
        "today": timezone.localdate(),
        "max_deduction": accountability.MAX_DEDUCTION,
    }
    return render(request, "timeliness/accountability/form.html", context)


@login_required
@require_POST
def accountability_revoke(request: OfficerRequest, pk: int) -> HttpResponse:
    """Revoke an action with a reason (撤销问责决定)."""
    action = queries.get_visible(request.user, pk)
    form = ReasonForm(**posted(request))
    back = redirect("timeliness:accountability_detail", pk=action.pk)

    def refused(error: DomainError) -> HttpResponse:
        context = _detail_context(request, action, error.by_field)
        return render(
            request, "timeliness/accountability/detail.html", context, status=error.status_code
        )

    if not form.is_valid():
        messages.error(request, form.for_page)
        return refused(InvalidInput(form.for_page, errors=form.error_list))
    return act(
        request,
        lambda: accountability.revoke_action(
            action=action, reason=form.cleaned_data["reason"], actor=request.user
        ),
        _("已撤销该问责决定"),
        back,
        refused=refused,
    )
