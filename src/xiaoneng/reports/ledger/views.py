"""Pages of the ledger (篇5): the list with its total row, an entry with the records behind its
outputs, the entry form, the quotas and the efficiency page. Scoped to the user's units."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.cases.models import Case
from xiaoneng.core import audit
from xiaoneng.core.errors import DomainError, NotPermitted
from xiaoneng.core.forms import posted
from xiaoneng.core.history import readable
from xiaoneng.core.pages import paginate
from xiaoneng.core.routing import stale_reads
from xiaoneng.core.scoping import scoped
from xiaoneng.inspections.models import Inspection
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.reports.ledger import queries, services
from xiaoneng.reports.ledger.efficiency import ratios
from xiaoneng.reports.ledger.forms import EntryForm, QuotaForm
from xiaoneng.reports.ledger.models import ActivityKind, LedgerEntry, Quota
from xiaoneng.reports.ledger.outputs import attribute, outputs

GROUPS = (
    ("unit", gettext_lazy("按单位")),
    ("campaign", gettext_lazy("按专项整治")),
    ("kind", gettext_lazy("按工作类型")),
)


def _filter_values(request: OfficerRequest) -> dict[str, str]:
    today = timezone.localdate()
    return {
        "from": request.GET.get("from", f"{today:%Y}-01-01"),
        "to": request.GET.get("to", f"{today:%Y-%m-%d}"),
        "unit": request.GET.get("unit", ""),
        "kind": request.GET.get("kind", ""),
    }


def _filters(request: OfficerRequest, values: dict[str, str]) -> queries.Filters:
    return queries.parse_filters(
        start=values["from"],
        end=values["to"],
        unit=values["unit"],
        kind=values["kind"],
        user=request.user,
    )


def _common(request: OfficerRequest, values: dict[str, str]) -> dict[str, Any]:
    return {
        "values": values,
        "units": scoped(Unit.objects.all(), request.user).order_by("path"),
        "kinds": ActivityKind.choices,
        "query": urlencode({k: v for k, v in values.items() if v}),
        "may_record": services.may_record(request.user),
    }


@login_required
def entry_list(request: OfficerRequest) -> HttpResponse:
    """资源消耗台帐: the entries of the period with inputs, outputs and ratios, and the total."""
    values = _filter_values(request)
    context = _common(request, values)
    try:
        table = queries.ledger_table(request.user, _filters(request, values))
    except DomainError as error:
        if isinstance(error, NotPermitted):
            raise
        context["errors"] = error.by_field
        return render(request, "ledger/entry_list.html", context)
    context |= {"page": paginate(request, table.lines, exact=True), "total": table.total}
    return render(request, "ledger/entry_list.html", context)


@login_required
def entry_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    """An entry: its inputs, its computed outputs and the records they are made of."""
    entry = queries.entry_for(request.user, pk)
    found = outputs([entry])[entry.pk]
    behind = attribute([entry])
    inspection_ids = behind.inspections.get(entry.pk, [])
    context = {
        "entry": entry,
        "outputs": found,
        "ratios": ratios(queries.entry_lines_inputs(entry), found),
        "inspections": scoped(
            Inspection.objects.filter(pk__in=inspection_ids).select_related("entity"),
            request.user,
        ).order_by("visited_on", "id")[:200],
        "inspection_count": len(inspection_ids),
        "cases": scoped(Case.objects.filter(pk__in=behind.cases.get(entry.pk, [])), request.user),
        "may_edit": services.may_record(request.user, entry.unit_id),
        "history": readable(audit.history(entry)[:100], LedgerEntry),
    }
    return render(request, "ledger/entry_detail.html", context)


def _form(request: OfficerRequest, entry: LedgerEntry | None) -> EntryForm:
    user = request.user
    initial: dict[str, Any] = {}
    if entry is not None:
        initial = {
            "unit": entry.unit.code,
            "kind": entry.kind,
            "officer": entry.officer_id or "",
            "campaign": entry.campaign_id or "",
            "case": entry.case.number if entry.case else "",
            "draw": entry.draw_id or "",
            **{
                name: getattr(entry, name)
                for name in (
                    "title", "started_on", "ended_on", "officers", "person_hours", "vehicles",
                    "kilometres", "money", "other_resources", "note",
                )
            },
        }  # fmt: skip
    return EntryForm(
        **posted(request),
        initial=initial,
        units=scoped(Unit.objects.all(), user),
        officers=scoped(Officer.objects.filter(is_active=True), user),
        cases=scoped(Case.objects.all(), user),
        campaigns=queries.choosable_campaigns(user),
        draws=queries.choosable_draws(user),
    )


def _entry_page(request: OfficerRequest, entry: LedgerEntry | None) -> HttpResponse:
    user = request.user
    access.require(user, access.RECORD_LEDGER)
    form = _form(request, entry)
    if form.is_valid():
        try:
            if entry is None:
                saved = services.record_entry(data=form.entry_input(), actor=user)
            else:
                saved = services.edit_entry(
                    entry=entry,
                    data=form.entry_input(),
                    reason=form.cleaned_data["reason"],
                    actor=user,
                )
        except NotPermitted:
            raise
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已登记资源消耗：%(e)s") % {"e": saved})
            return redirect("ledger:entry_detail", pk=saved.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    context = {
        "entry": entry,
        "form": form.shown,
        "errors": form.field_errors,
        "units": scoped(Unit.objects.all(), user).order_by("path"),
        "kinds": ActivityKind.choices,
        "officers": scoped(Officer.objects.filter(is_active=True), user).order_by(
            "unit__path", "name"
        ),
        "campaigns": queries.choosable_campaigns(user).order_by("-start_on")[:200],
        "draws": queries.choosable_draws(user)
        .filter(drawn_at__isnull=False)
        .order_by("-drawn_at")[:200],
    }
    return render(request, "ledger/entry_form.html", context, status=422 if form.errors else 200)


@login_required
def entry_create(request: OfficerRequest) -> HttpResponse:
    """Register an activity's inputs (``services.record_entry``)."""
    return _entry_page(request, None)


@login_required
def entry_edit(request: OfficerRequest, pk: int) -> HttpResponse:
    """Correct an entry with a reason (``services.edit_entry``)."""
    entry = queries.entry_for(request.user, pk)
    return _entry_page(request, entry)


@login_required
def quota_list(request: OfficerRequest) -> HttpResponse:
    """定额: every year's quotas, for all who see the ledger; set by MANAGE_QUOTAS."""
    may_manage = services.may_manage_quotas(request.user)
    form = QuotaForm(**posted(request))
    if form.is_bound:
        access.require(request.user, access.MANAGE_QUOTAS)
        if form.is_valid():
            data = form.cleaned_data
            try:
                quota = services.set_quota(
                    year=data["year"],
                    kind=data["kind"] or "",
                    unit_kind=data["unit_kind"] or "",
                    limits=form.limits(),
                    note=data["note"],
                    actor=request.user,
                )
            except NotPermitted:
                raise
            except DomainError as error:
                form.add_service_errors(error)
                messages.error(request, error.for_page)
            else:
                messages.success(request, _("已设定定额：%(q)s") % {"q": quota})
                return redirect("ledger:quota_list")
        else:
            messages.error(request, form.for_page)
    context = {
        "quotas": Quota.objects.select_related("set_by"),
        "may_manage": may_manage,
        "form": form.shown,
        "errors": form.field_errors,
        "kinds": ActivityKind.choices,
        "unit_kinds": Unit.Kind.choices,
        "year": timezone.localdate().year,
    }
    return render(request, "ledger/quota_list.html", context, status=422 if form.errors else 200)


@login_required
@stale_reads
def efficiency_page(request: OfficerRequest) -> HttpResponse:
    """执法效能: ratios by unit, campaign or kind; overspends; 运动式执法."""
    values = _filter_values(request)
    by = request.GET.get("by", "unit")
    context = _common(request, values) | {"by": by, "groups": GROUPS}
    try:
        context["result"] = queries.efficiency(request.user, _filters(request, values), by)
    except DomainError as error:
        if isinstance(error, NotPermitted):
            raise
        context["errors"] = error.by_field
    return render(request, "ledger/efficiency.html", context)
