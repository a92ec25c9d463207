"""Pages of supervision items (督办): the list, the form that issues one, its detail with the
answer and the close."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core import audit
from xiaoneng.core.errors import DomainError, InvalidInput, NotPermitted
from xiaoneng.core.forms import posted
from xiaoneng.core.history import readable
from xiaoneng.core.pages import Choice, act, among, known_filters, paginate, params_query
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.inspections.models import Inspection
from xiaoneng.inspections.trace.views import stations
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.oversight.supervision import services as supervision
from xiaoneng.oversight.supervision.forms import AnswerForm, CloseForm, SupervisionForm
from xiaoneng.oversight.supervision.models import SupervisionItem
from xiaoneng.registry.models import Entity


def _items_for(request: OfficerRequest) -> QuerySet[SupervisionItem]:
    return scoped(
        SupervisionItem.objects.select_related("unit", "issued_by_unit", "issued_by", "entity"),
        request.user,
    )


@login_required
def supervision_list(request: OfficerRequest) -> HttpResponse:
    """Supervision items by unit, earliest deadline first; those overdue highlighted."""
    today = timezone.localdate()
    statuses = [*SupervisionItem.Status.values, "pending", "overdue"]
    known = known_filters(
        request,
        status=Choice(_("状态"), statuses),
        unit=Choice(_("承办单位"), among(_items_for(request), "unit__code")),
    )
    params = {name: known.get(name, "").strip() for name in ("status", "unit")}
    items = _items_for(request)
    if params["unit"]:
        items = items.filter(unit__code=params["unit"])
    by_unit = list(
        items.order_by()
        .values("unit__code", "unit__name")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=~Q(status=SupervisionItem.Status.CLOSED)),
            overdue=Count(
                "id", filter=~Q(status=SupervisionItem.Status.CLOSED) & Q(deadline__lt=today)
            ),
        )
        .order_by("unit__code")
    )
    if params["status"] == "overdue":
        items = supervision.overdue(items, today)
    elif params["status"] == "pending":
        items = items.exclude(status=SupervisionItem.Status.CLOSED)
    elif params["status"] in SupervisionItem.Status.values:
        items = items.filter(status=params["status"])
    page = paginate(request, items.order_by("unit__path", "deadline", "id"))
    for item in page:
        item.overdue = supervision.is_overdue(item, today)
    context = {
        "page": page,
        "query": params_query(params),
        "params": params,
        "statuses": SupervisionItem.Status.choices,
        "by_unit": by_unit,
        "stations": stations(request),
        "today": today,
        "may_issue": access.can(request.user, access.SUPERVISE),
    }
    return render(request, "oversight/supervision_list.html", context)


@login_required
def supervision_create(request: OfficerRequest) -> HttpResponse:
    """The form of ``issue_supervision``."""
    access.require(request.user, access.SUPERVISE)
    initial = {
        "entity": request.GET.get("entity", ""),
        "inspection": request.GET.get("inspection", ""),
    }
    form = SupervisionForm(
        **posted(request),
        initial=initial,
        stations=stations(request),
        entities=scoped(Entity.objects.all(), request.user),
        inspections=scoped(Inspection.objects.all(), request.user),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = supervision.issue_supervision(
                actor=request.user,
                unit=data["unit"],
                title=data["title"],
                description=data["description"],
                deadline=data["deadline"],
                entity=data["entity"],
                inspection=data["inspection"],
            )
        except NotPermitted:
            raise
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已督办：%(t)s") % {"t": item.title})
            return redirect("oversight:supervision_detail", pk=item.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    context = {
        "form": form.shown,
        "errors": form.field_errors,
        "stations": stations(request),
        "tomorrow": timezone.localdate() + dt.timedelta(days=1),
    }
    return render(request, "oversight/supervision_form.html", context)


def _supervision_context(
    request: OfficerRequest, item: SupervisionItem, errors: dict[str, str], form: Any
) -> dict[str, Any]:
    S = SupervisionItem.Status
    return {
        "item": item,
        "overdue": supervision.is_overdue(item),
        "steps": supervision.exchange(item),
        "may_answer": item.status in (S.OPEN, S.RETURNED)
        and supervision.may_answer(request.user, item),
        "may_close": item.status == S.ANSWERED and supervision.may_close(request.user, item),
        "errors": errors,
        "form": form,
        "history": readable(audit.history(item)[:50], SupervisionItem),
    }


@login_required
def supervision_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    """An item with its exchange, and the answer or close/return form for whoever may act."""
    item = get_scoped(_items_for(request), request.user, pk=pk)
    context = _supervision_context(request, item, {}, {})
    return render(request, "oversight/supervision_detail.html", context)


def _supervision_action(request: OfficerRequest, pk: int, action: str) -> HttpResponse:
    """Answer, or close or return, an item with ``core.pages.act``; a form that cannot be read
    or a refusal shows the item again with the form's fields marked."""
    item = get_scoped(_items_for(request), request.user, pk=pk)
    form = AnswerForm(**posted(request)) if action == "answer" else CloseForm(**posted(request))

    def run() -> str:
        data = form.cleaned_data
        if action == "answer":
            supervision.answer_supervision(item=item, actor=request.user, response=data["response"])
            return _("已回复督办事项")
        supervision.close_supervision(
            item=item, actor=request.user, accepted=data["decision"], note=data["note"]
        )
        return _("已办结") if data["decision"] else _("已退回重办")

    def shown_again(status: int) -> HttpResponse:
        item.refresh_from_db()
        context = _supervision_context(request, item, form.field_errors, form.shown)
        return render(request, "oversight/supervision_detail.html", context, status=status)

    def refused(error: DomainError) -> HttpResponse:
        form.add_service_errors(error)
        return shown_again(error.status_code)

    if not form.is_valid():
        messages.error(request, form.for_page)
        return shown_again(InvalidInput.status_code)
    back = redirect("oversight:supervision_detail", pk=item.pk)
    return act(request, run, None, back, refused=refused)


@login_required
@require_POST
def supervision_answer(request: OfficerRequest, pk: int) -> HttpResponse:
    return _supervision_action(request, pk, "answer")


@login_required
@require_POST
def supervision_close(request: OfficerRequest, pk: int) -> HttpResponse:
    return _supervision_action(request, pk, "close")
