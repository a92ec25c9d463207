"""Pages of service cases and items (办件 / 事项): the list, 收件, a case with its stages, clock,
notices and the steps the user may take, and the items with their limits."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core import audit
from xiaoneng.core.errors import DomainError, InvalidInput, NotPermitted
from xiaoneng.core.forms import posted
from xiaoneng.core.history import readable
from xiaoneng.core.pages import Choice, act, among, is_flag, known_filters, paginate, params_query
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.registry.models import Entity
from xiaoneng.timeliness.clocks.models import Level, SubjectType, SuspensionReason
from xiaoneng.timeliness.clocks.views import clocks_panel_context
from xiaoneng.timeliness.permits import checks, figures, handover, queries, suspensions
from xiaoneng.timeliness.permits import items as item_service
from xiaoneng.timeliness.permits import services as permits
from xiaoneng.timeliness.permits.forms import ActionForm, CaseForm, ItemForm
from xiaoneng.timeliness.permits.models import ItemCategory, ServiceCase, ServiceItem
from xiaoneng.timeliness.permits.steps import next_actions

S = ServiceCase.Status
FILTERS = ("status", "item", "unit", "warning", "overdue", "breach")


def _stations(request: OfficerRequest) -> Any:
    return scoped(Unit.objects.filter(kind=Unit.Kind.STATION), request.user).order_by("path")


@login_required
def service_case_list(request: OfficerRequest) -> HttpResponse:
    """Cases, newest first, with their clock's warning; filters for status, item, unit,
    warning, overdue and one-time-notice breaches."""
    today = timezone.localdate()
    cases = queries.cases_for(request.user)
    known = known_filters(
        request,
        status=Choice(_("状态"), [*S.values, "open"]),
        item=Choice(_("服务事项"), among(ServiceItem.objects.all())),
        unit=Choice(_("办理单位"), among(_stations(request))),
        warning=Choice(_("预警"), queries.WARNINGS),
        overdue=Choice(_("已超期"), is_flag),
        breach=Choice(_("违反一次性告知"), is_flag),
    )
    params = {name: known.get(name, "").strip() for name in FILTERS}
    page = paginate(request, queries.filtered(cases, params, today).order_by("-received_on", "-id"))
    for case in page:
        case.overdue = queries.is_overdue(case, today)
    month = figures.figures(
        scoped(ServiceCase.objects.all(), request.user), today.replace(day=1), today
    )
    context = {
        "month": month,
        "page": page,
        "params": params,
        "query": params_query(params),
        "statuses": S.choices,
        "items": ServiceItem.objects.order_by("code"),
        "stations": _stations(request),
        "levels": Level.choices[1:],
        "may_receive": access.can(request.user, access.HANDLE_SERVICES),
    }
    return render(request, "timeliness/permits/case_list.html", context)


@login_required
def service_case_create(request: OfficerRequest) -> HttpResponse:
    """收件: the form of ``receive_case``."""
    access.require(request.user, access.HANDLE_SERVICES)
    stations = _stations(request)
    home = request.user.unit
    initial = {
        "received_on": timezone.localdate().isoformat(),
        "unit": home.code if home is not None and home.kind == Unit.Kind.STATION else "",
        "entity": request.GET.get("entity", ""),
    }
    form = CaseForm(
        **posted(request),
        initial=initial,
        stations=stations,
        entities=scoped(Entity.objects.all(), request.user),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            case = permits.receive_case(
                actor=request.user,
                item=data["item"],
                applicant=data["applicant"],
                applicant_phone=data["applicant_phone"],
                entity=data["entity"],
                unit=data["unit"],
                received_on=data["received_on"],
                note=data["note"],
            )
        except NotPermitted:
            raise
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已收件：%(n)s") % {"n": case.number})
            return redirect("timeliness:service_case_detail", pk=case.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    context = {
        "form": form.shown,
        "errors": form.field_errors,
        "stations": stations,
        "items": ServiceItem.objects.filter(active=True).order_by("code"),
    }
    return render(request, "timeliness/permits/case_form.html", context)


def _offered(request: OfficerRequest, case: ServiceCase) -> dict[str, bool]:
    """The steps the user may take on the case now (the buttons shown); none to a viewer who
    does not handle the case."""
    if not checks.may_handle(request.user, case):
        return {}
    steps = next_actions(case, request.user)
    return {action: action in steps for action in ACTIONS}


def _detail_context(
    request: OfficerRequest, case: ServiceCase, errors: dict[str, str], form: dict[str, Any]
) -> dict[str, Any]:
    roles = access.CAPABILITIES[access.HANDLE_SERVICES]
    handlers = (
        scoped(Officer.objects.filter(is_active=True, roles__code__in=roles), request.user)
        .exclude(pk=case.responsible_id)
        .select_related("unit")
        .distinct()
    )
    return {
        "case": case,
        "stages": list(case.stages.select_related("officer")),
        "notices": list(case.notices.select_related("officer", "suspension")),
        "hand_ons": handover.hand_ons(case),
        **clocks_panel_context(SubjectType.SERVICE_CASE, case.pk, request.user),
        "offered": _offered(request, case),
        "outcomes": ServiceCase.Outcome.choices[1:],
        "reasons": [(v, label) for v, label in SuspensionReason.choices if v != "correction"],
        "handlers": list(handlers),
        "materials": item_service.material_lines(case.item),
        "today": timezone.localdate(),
        "errors": errors,
        "form": form,
        "history": readable(audit.history(case)[:50], ServiceCase),
    }


@login_required
def service_case_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    """A case: its stages, clock, notices and hand-ons, and the steps the user may take."""
    case = get_scoped(queries.cases_for(request.user), request.user, pk=pk)
    context = _detail_context(request, case, {}, {})
    return render(request, "timeliness/permits/case_detail.html", context)


def _step(request: OfficerRequest, case: ServiceCase, action: str, data: dict[str, Any]) -> str:
    """Run the service of ``action`` with the form's data; the message of what was done."""
    user, on = request.user, data["on"]
    if action in ("accept", "review", "approve"):
        service = {
            "accept": permits.accept_case,
            "review": permits.review_case,
            "approve": permits.approve_case,
        }[action]
        service(case=case, actor=user, on=on, opinion=data["opinion"])
        return {"accept": _("已受理"), "review": _("已审查"), "approve": _("已核准")}[action]
    if action == "reject":
        permits.reject_case(case=case, actor=user, on=on, reason=data["reason"])
        return _("已决定不予受理")
    if action == "complete":
        permits.complete_case(
            case=case, actor=user, on=on, outcome=data["outcome"], opinion=data["opinion"]
        )
        return _("已办结")
    if action == "withdraw":
        permits.withdraw_case(case=case, actor=user, on=on, reason=data["reason"])
        return _("已撤回")
    if action == "hand_on":
        handover.hand_on_case(case=case, actor=user, officer=data["officer"], reason=data["reason"])
        return _("已移交")
    if action == "notice":
        suspensions.issue_notice(case=case, actor=user, materials=data["materials"], on=on)
        return _("已一次性告知，时限中止待补正")
    if action == "materials":
        suspensions.materials_received(case=case, actor=user, on=on)
        return _("补正材料已收到，时限恢复计算")
    if action == "suspend":
        suspensions.suspend_case(
            case=case, actor=user, reason=data["reason"], note=data["note"], on=on
        )
        return _("时限已中止")
    suspensions.resume_case(case=case, actor=user, on=on)
    return _("时限已恢复计算")


ACTIONS = (
    "accept",
    "reject",
    "review",
    "approve",
    "complete",
    "withdraw",
    "hand_on",
    "notice",
    "materials",
    "suspend",
    "resume",
)


@login_required
@require_POST
def service_case_action(request: OfficerRequest, pk: int, action: str) -> HttpResponse:
    """One step of a case (``ACTIONS``); a refusal shows the case again with the form marked."""
    case = get_scoped(queries.cases_for(request.user), request.user, pk=pk)
    if action not in ACTIONS:
        raise Http404
    officers = scoped(Officer.objects.filter(is_active=True), request.user)
    form = ActionForm(**posted(request), officers=officers)

    def shown_again(status: int) -> HttpResponse:
        fresh = get_scoped(queries.cases_for(request.user), request.user, pk=pk)
        errors = form.field_errors | {"action": action}
        context = _detail_context(request, fresh, errors, form.shown)
        return render(request, "timeliness/permits/case_detail.html", context, status=status)

    def refused(error: DomainError) -> HttpResponse:
        form.add_service_errors(error)
        return shown_again(error.status_code)

    if not form.is_valid():
        messages.error(request, form.for_page)
        return shown_again(InvalidInput.status_code)
    back = redirect("timeliness:service_case_detail", pk=case.pk)
    return act(
        request,
        lambda: _step(request, case, action, form.cleaned_data),
        None,
        back,
        refused=refused,
    )


@login_required
def service_item_list(request: OfficerRequest) -> HttpResponse:
    """The items with their statutory and committed limits."""
    context = {
        "items": ServiceItem.objects.order_by("code"),
        "may_manage": access.can(request.user, access.MANAGE_SERVICE_ITEMS),
    }
    return render(request, "timeliness/permits/item_list.html", context)


def _item_page(request: OfficerRequest, item: ServiceItem | None) -> HttpResponse:
    access.require(request.user, access.MANAGE_SERVICE_ITEMS)
    initial: dict[str, Any] = {"category": ItemCategory.REGISTRATION, "active": True}
    if item is not None:
        initial = {
            "code": item.code,
            "name": item.name,
            "category": item.category,
            "statutory_days": item.statutory_days,
            "committed_days": item.committed_days,
            "single_review": item.single_review,
            "basis": item.basis,
            "materials": item.materials,
            "active": item.active,
        }
    form = ItemForm(**posted(request), initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = item_service.save_item(actor=request.user, item=item, **data)
        except NotPermitted:
            raise
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已保存服务事项：%(name)s") % {"name": saved.name})
            return redirect("timeliness:service_item_list")
    elif form.is_bound:
        messages.error(request, form.for_page)
    context = {
        "item": item,
        "form": form.shown,
        "errors": form.field_errors,
        "categories": ItemCategory.choices,
    }
    return render(request, "timeliness/permits/item_form.html", context)


@login_required
def service_item_create(request: OfficerRequest) -> HttpResponse:
    return _item_page(request, None)


@login_required
def service_item_edit(request: OfficerRequest, pk: int) -> HttpResponse:
    return _item_page(request, get_object_or_404(ServiceItem, pk=pk))
