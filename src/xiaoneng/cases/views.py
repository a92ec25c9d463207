"""Pages of cases: the list with stage warnings, the create form (prefilled from a source) and
the detail with its timeline; the action forms are in ``cases.action_views``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.cases import limits, money, services, sources
from xiaoneng.cases.forms import CaseForm
from xiaoneng.cases.models import Case, CaseKind
from xiaoneng.cases.queries import filter_cases
from xiaoneng.core import audit
from xiaoneng.core.errors import DomainError
from xiaoneng.core.forms import posted
from xiaoneng.core.history import readable
from xiaoneng.core.pages import Choice, among, is_year, known_filters, paginate, params_query
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.inspections.models import SampleFollowUp
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.registry.models import Entity

S = Case.Status


# List -----------------------------------------------------------------------------------------

FILTERS = ("status", "kind", "major", "unit", "year", "warning")


def _filtered(request: OfficerRequest) -> tuple[QuerySet[Case], dict[str, str]]:
    cases = scoped(Case.objects.select_related("unit", "handler"), request.user)
    params = known_filters(
        request,
        status=Choice(_("状态"), S.values),
        kind=Choice(_("案件类别"), CaseKind.values),
        major=Choice(_("大要案"), ("1", "0")),
        unit=Choice(_("承办单位"), among(scoped(Unit.objects.all(), request.user))),
        year=Choice(_("年度"), is_year),
        warning=Choice(_("办案时限"), (limits.RED, limits.YELLOW)),
    )
    values = {name: params.get(name, "").strip() for name in FILTERS}
    cases = filter_cases(
        cases,
        user=request.user,
        status=values["status"],
        kind=values["kind"],
        major={"1": True, "0": False}.get(values["major"]),
        unit=values["unit"],
        year=int(values["year"]) if values["year"] else None,
    )
    return cases, values


@login_required
def case_list(request: OfficerRequest) -> HttpResponse:
    """Cases of the user's scope, newest lead first; stage warnings coloured."""
    cases, values = _filtered(request)
    today = timezone.localdate()
    warnings = limits.stage_warnings(cases, today)
    by_case = {w.case.pk: w for w in warnings}
    if values["warning"] in (limits.RED, limits.YELLOW):
        cases = cases.filter(pk__in=[w.case.pk for w in warnings if w.level == values["warning"]])
    page = paginate(request, cases.order_by("-received_on", "-id"))
    for case in page:
        case.warning = by_case.get(case.pk)
    context = {
        "page": page,
        "query": params_query(values),
        "values": values,
        "statuses": S.choices,
        "kinds": CaseKind.choices,
        "units": scoped(Unit.objects.all(), request.user).order_by("path"),
        "years": range(today.year, today.year - 6, -1),
        "red": sum(1 for w in warnings if w.level == limits.RED),
        "yellow": sum(1 for w in warnings if w.level == limits.YELLOW),
        "unknown": [w for w in warnings if w.level == limits.UNKNOWN][:1],
        "can_handle": access.can(request.user, access.HANDLE_CASES),
    }
    return render(request, "cases/case_list.html", context)


# Sources ----------------------------------------------------------------------------------------


def _sources(request: OfficerRequest, data: Any) -> dict[str, Any]:
    """The source records named by the request (each scoped: another unit's is 404)."""
    found: dict[str, Any] = {}
    for kind in sources.KINDS:
        value = str(data.get(kind.param) or "").strip()
        if not value:
            continue
        if not value.isdigit():
            raise Http404
        found[kind.field] = get_scoped(
            kind.model._default_manager.all(), request.user, pk=int(value)
        )
    return found


def _try_reverse(name: str, pk: int, fallback: str) -> str:
    try:
        return reverse(name, kwargs={"pk": pk})
    except NoReverseMatch:
        return fallback


def source_link(field: str, record: Any) -> str:
    """The page of a case's source (plain paths while a module has not named its pages)."""
    if field == "inspection":
        return _try_reverse(
            "inspections:inspection_detail", record.pk, f"/inspections/{record.pk}/"
        )
    if field == "finding":
        return _try_reverse(
            "inspections:inspection_detail",
            record.inspection_id,
            f"/inspections/{record.inspection_id}/",
        )
    if field == "rectification":
        return _try_reverse(
            "inspections:rectification_detail", record.pk, f"/rectifications/{record.pk}/"
        )
    if field == "exit_check":
        return _try_reverse("inspections:exit_detail", record.pk, f"/exits/{record.pk}/")
    if field == "unlicensed_operator":
        return _try_reverse("inspections:unlicensed_detail", record.pk, f"/unlicensed/{record.pk}/")
    follow_up = SampleFollowUp.objects.filter(sample=record).first()
    if follow_up is None:
        return _try_reverse(
            "inspections:sampling_plan_detail", record.plan_id, f"/sampling/plans/{record.plan_id}/"
        )
    return _try_reverse(
        "inspections:sampling_follow_up", follow_up.pk, f"/sampling/follow-ups/{follow_up.pk}/"
    )


# Create -----------------------------------------------------------------------------------------


def _handlers(request: OfficerRequest) -> QuerySet[Officer]:
    return scoped(
        Officer.objects.filter(is_active=True, unit__isnull=False), request.user
    ).order_by("unit__path", "username")


def _prefill(found: dict[str, Any]) -> dict[str, Any]:
    if not found:
        return {"received_on": timezone.localdate().isoformat(), "kind": CaseKind.OTHER}
    field, record = next(iter(found.items()))
    source = sources.resolve({field: record})
    assert source is not None
    title, kind = sources.BY_FIELD[field].title, sources.BY_FIELD[field].case_kind
    if field == "finding":
        title = _("检查发现：%(item)s") % {"item": record.item.title}
    elif field == "sample":
        title = _("销售不合格产品：%(product)s") % {"product": record.product}
    return {
        "title": str(title)[:200],
        "kind": kind,
        "party": source.party,
        "entity": source.entity.uscc if source.entity else "",
        "received_on": timezone.localdate().isoformat(),
        "source_note": str(record._meta.verbose_name) + "：" + str(record),
    }


@login_required
def case_create(request: OfficerRequest) -> HttpResponse:
    """Register a lead; ``?finding=ID`` (or inspection, rectification, exit_check, unlicensed,
    sample) opens it from that source."""
    access.require(request.user, access.HANDLE_CASES)
    entities = scoped(Entity.objects.all(), request.user)
    form = CaseForm(**posted(request), handlers=_handlers(request), entities=entities)
    valid = form.is_valid()
    found = _sources(request, form.source_params() if form.is_bound else request.GET)
    if valid:
        data = form.cleaned_data
        try:
            case = services.open_case(
                actor=request.user,
                title=data["title"],
                kind=data["kind"],
                party=data["party"],
                entity=data["entity"],
                received_on=data["received_on"],
                facts=data["facts"],
                source_note=data["source_note"],
                handler=data["handler"],
                co_handler=data["co_handler"],
                case_value=data["case_value"] or "0",
                major=data["major"],
                **found,
            )
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已登记线索：%(number)s") % {"number": case.number})
            return redirect("cases:case_detail", pk=case.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    source = next(iter(found.items()), None)
    context = {
        "form": form.shown
        if form.is_bound
        else {**_prefill(found), "handler": str(request.user.pk)},
        "errors": form.field_errors,
        "kinds": CaseKind.choices,
        "handlers": _handlers(request),
        "source": {
            "field": source[0],
            "param": sources.BY_FIELD[source[0]].param,
            "record": source[1],
            "label": source[1]._meta.verbose_name,
            "url": source_link(*source),
        }
        if source
        else None,
        "today": timezone.localdate(),
    }
    return render(request, "cases/case_form.html", context)


# Detail -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """A transition form: its slug, the status it moves to, its button label and its fields."""

    slug: str
    to: str
    label: Any
    css: str = "primary"


ACTIONS = [
    Action("file", S.FILED, gettext_lazy("立案")),
    Action("refuse", S.NOT_FILED, gettext_lazy("不予立案"), "outline-secondary"),
    Action("investigate", S.INVESTIGATING, gettext_lazy("调查")),
    Action("notify", S.NOTIFIED, gettext_lazy("告知")),
    Action("decide", S.DECIDED, gettext_lazy("作出决定")),
    Action("execute", S.EXECUTING, gettext_lazy("转入执行")),
    Action("close", S.CLOSED, gettext_lazy("结案"), "success"),
    Action("withdraw", S.WITHDRAWN, gettext_lazy("撤销"), "outline-danger"),
]
BY_SLUG = {a.slug: a for a in ACTIONS}


def case_of(request: OfficerRequest, pk: int) -> Case:
    """The case ``pk`` if the user may see it; 404 otherwise."""
    return get_scoped(
        Case.objects.select_related("unit", "handler", "co_handler", "entity"), request.user, pk=pk
    )


def _warning(case: Case) -> limits.StageWarning | None:
    found = limits.stage_warnings(Case.objects.filter(pk=case.pk), timezone.localdate())
    return found[0] if found else None


@login_required
def case_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    """A case: facts, source, stages, money decided against collected, goods, timeline."""
    case = case_of(request, pk)
    source = sources.source_of(case)
    moves = services.allowed_moves(case, request.user)
    extendable = request.user.has_role(*services.APPROVERS) and (
        (case.status == S.LEAD and not case.filing_extended)
        or (case.status in limits.DECISION_STAGES and not case.decision_extended)
    )
    money_stage = case.status in (S.DECIDED, S.EXECUTING) and access.can(
        request.user, access.HANDLE_CASES
    )
    context = {
        "case": case,
        "source": {
            "label": source[1]._meta.verbose_name,
            "record": source[1],
            "url": source_link(*source),
        }
        if source
        else None,
        "warning": _warning(case),
        "actions": [
            Action(
                a.slug,
                a.to,
                _("重新调查") if a.to == S.INVESTIGATING and case.status == S.NOTIFIED else a.label,
                a.css,
            )
            for a in ACTIONS
            if a.to in moves
        ],
        "extendable": extendable,
        "money_stage": money_stage,
        "lines": money.money_lines(case),
        "collections": case.collections.order_by("collected_on", "id"),
        "goods": case.goods.order_by("id"),
        "history": readable(audit.history(case)[:100], Case),
    }
    return render(request, "cases/case_detail.html", context)
