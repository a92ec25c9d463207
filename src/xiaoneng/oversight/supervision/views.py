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
from xiaoneng.core.errors import DomainError, NotPermitted
from xiaoneng.core.history import readable
from xiaoneng.core.pages import act, paginate, params_query, parse_day
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.inspections.models import Inspection
from xiaoneng.inspections.trace.views import stations
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.oversight.supervision import services as supervision
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
    params = {name: request.GET.get(name, "").strip() for name in ("status", "unit")}
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


def _lookups(request: OfficerRequest) -> tuple[dict[str, str], dict[str, Any]]:
    """The form's entity (USCC) and inspection (number), looked up within the user's scope."""
    post = request.POST
    errors: dict[str, str] = {}
    found: dict[str, Any] = {"entity": None, "inspection": None}
    uscc = post.get("entity", "").strip().upper()
    if uscc:
        found["entity"] = scoped(Entity.objects.all(), request.user).filter(uscc=uscc).first()
        if found["entity"] is None:
            errors["entity"] = _("未找到该统一社会信用代码的主体：%(v)s") % {"v": uscc}
    number = post.get("inspection", "").strip().lstrip("#")
    if number:
        found["inspection"] = (
            scoped(Inspection.objects.all(), request.user).filter(pk=int(number)).first()
            if number.isdigit()
            else None
        )
        if found["inspection"] is None:
            errors["inspection"] = _("未找到该检查记录：%(v)s") % {"v": number}
    return errors, found


@login_required
def supervision_create(request: OfficerRequest) -> HttpResponse:
    """The form of ``issue_supervision``."""
    access.require(request.user, access.SUPERVISE)
    errors: dict[str, str] = {}
    if request.method == "POST":
        errors, found = _lookups(request)
        station = stations(request).filter(code=request.POST.get("unit", "")).first()
        if station is None:
            errors.setdefault("unit", _("请选择承办所"))
        if errors:
            messages.error(request, next(iter(errors.values())))
        else:
            assert station is not None
            try:
                item = supervision.issue_supervision(
                    actor=request.user,
                    unit=station,
                    title=request.POST.get("title", ""),
                    description=request.POST.get("description", ""),
                    deadline=parse_day(request.POST.get("deadline")),
                    **found,
                )
            except NotPermitted:
                raise
            except DomainError as error:
                errors = error.by_field
                messages.error(request, error.for_page)
            else:
                messages.success(request, _("已督办：%(t)s") % {"t": item.title})
                return redirect("oversight:supervision_detail", pk=item.pk)
    initial = {
        "entity": request.GET.get("entity", ""),
        "inspection": request.GET.get("inspection", ""),
    }
    context = {
        "form": request.POST if request.method == "POST" else initial,
        "errors": errors,
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
    """Answer, or close or return, an item with ``core.pages.act``; a refusal shows the item
    again with the form's fields marked."""
    item = get_scoped(_items_for(request), request.user, pk=pk)
    post = request.POST

    def run() -> str:
        if action == "answer":
            supervision.answer_supervision(
                item=item, actor=request.user, response=post.get("response", "")
            )
            return _("已回复督办事项")
        accepted = post.get("decision") == "close"
        supervision.close_supervision(
            item=item, actor=request.user, accepted=accepted, note=post.get("note", "")
        )
        return _("已办结") if accepted else _("已退回重办")

    def refused(error: DomainError) -> HttpResponse:
        item.refresh_from_db()
        context = _supervision_context(request, item, error.by_field, post)
        return render(
            request, "oversight/supervision_detail.html", context, status=error.status_code
        )

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
