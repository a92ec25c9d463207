"""Pages of the follow-up of failed spot-check batches (不合格后处理, 篇4): the list, one
follow-up, and its steps — rectification, re-inspection, closing.

Forms show a refused input next to its field; a refusal by role or unit (``NotPermitted``) is
left to ``DomainErrorMiddleware``, which answers 403.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.core.forms import PageForm, posted
from xiaoneng.core.pages import Choice, known_filters, paginate
from xiaoneng.core.scoping import get_scoped
from xiaoneng.inspections.sampling import followup as sampling_followup
from xiaoneng.inspections.sampling import services as sampling
from xiaoneng.inspections.sampling.forms import CloseForm, RectifyForm, ReinspectForm
from xiaoneng.inspections.sampling.models import SampleFollowUp
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest

FOLLOW_UP_STATES = {
    "open": gettext_lazy("处理中"),
    "overdue": gettext_lazy("已逾期"),
    "closed": gettext_lazy("已办结 / 转立案"),
    "all": gettext_lazy("全部"),
}


@login_required
def follow_up_list(request: OfficerRequest) -> HttpResponse:
    """Follow-ups of failed samples: in progress, overdue, closed (or all)."""
    today = timezone.localdate()
    rows = sampling_followup.visible_follow_ups(request.user).select_related(
        "sample", "sample__plan"
    )
    params = known_filters(request, state=Choice(_("状态"), FOLLOW_UP_STATES))
    state = params.get("state") or "open"
    if state == "open":
        rows = rows.filter(status__in=sampling_followup.OPEN_STATES)
    elif state == "overdue":
        rows = sampling_followup.overdue(rows, today)
    elif state == "closed":
        rows = rows.filter(status__in=sampling_followup.DONE_STATES)
    page = paginate(request, rows.order_by("deadline", "id"))
    late = sampling_followup.overdue_filter(today)
    late_ids = set(
        SampleFollowUp.objects.filter(late, pk__in=[row.pk for row in page]).values_list(
            "pk", flat=True
        )
    )
    for row in page:
        row.is_overdue = row.pk in late_ids
    context = {
        "page": page,
        "query": f"state={state}",
        "state": state,
        "states": FOLLOW_UP_STATES,
        "overdue_count": sampling_followup.overdue(
            sampling_followup.visible_follow_ups(request.user), today
        ).count(),
        "today": today,
    }
    return render(request, "inspections/sampling_follow_up_list.html", context)


def _follow_up(request: OfficerRequest, pk: int) -> SampleFollowUp:
    return get_scoped(
        SampleFollowUp.objects.select_related("sample", "sample__plan", "sample__entity", "unit"),
        request.user,
        pk=pk,
    )


def _follow_up_page(
    request: OfficerRequest, follow_up: SampleFollowUp, extra: dict[str, Any] | None = None
) -> HttpResponse:
    today = timezone.localdate()
    S = SampleFollowUp.Status
    may_act = access.can(request.user, access.INSPECT) or access.can(
        request.user, access.MANAGE_SAMPLING
    )
    status = follow_up.status
    context: dict[str, Any] = {
        "follow_up": follow_up,
        "sample": follow_up.sample,
        "today": today,
        "is_overdue": sampling_followup.overdue(
            SampleFollowUp.objects.filter(pk=follow_up.pk), today
        ).exists(),
        "reinspection_due": sampling_followup.reinspection_due(follow_up),
        "latest_deadline": today + dt.timedelta(days=sampling.RECTIFY_DAYS),
        "may_rectify": may_act and status == S.OPEN,
        "may_reinspect": may_act and status == S.RECTIFYING,
        "may_close": may_act
        and (status == S.OPEN or (status == S.REINSPECTED and follow_up.reinspection_passed)),
        "form": {},
        "errors": {},
        "action": "",
    }
    context.update(extra or {})
    return render(request, "inspections/sampling_follow_up_detail.html", context)


@login_required
def follow_up_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    """One follow-up: the failed sample, where its handling stands, and the next step's form."""
    return _follow_up_page(request, _follow_up(request, pk))


def _follow_up_action(
    request: OfficerRequest,
    pk: int,
    action: str,
    form_class: type[PageForm],
    run: Callable[[SampleFollowUp, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Bind the step's form and ``run`` the step with its values; a form that cannot be read or
    a refusal shows the follow-up again with the step's form marked."""
    follow_up = _follow_up(request, pk)
    form = form_class(**posted(request))
    if not form.is_valid():
        messages.error(request, form.for_page)
        return _refused(request, follow_up, form, action)
    try:
        run(follow_up, form.cleaned_data)
    except (InvalidInput, Conflict) as error:
        form.add_service_errors(error)
        messages.error(request, error.for_page)
        return _refused(request, follow_up, form, action)
    messages.success(request, done)
    return redirect("inspections:sampling_follow_up", pk=follow_up.pk)


def _refused(
    request: OfficerRequest, follow_up: SampleFollowUp, form: PageForm, action: str
) -> HttpResponse:
    follow_up.refresh_from_db()
    extra = {"form": form.shown, "errors": form.field_errors, "action": action}
    return _follow_up_page(request, follow_up, extra)


@login_required
@require_POST
def follow_up_rectify(request: OfficerRequest, pk: int) -> HttpResponse:
    """责令整改: measures and deadline."""

    def run(follow_up: SampleFollowUp, data: dict[str, Any]) -> None:
        sampling_followup.start_rectifying(
            follow_up=follow_up,
            actor=request.user,
            actions=data["actions"],
            deadline=data["deadline"],
            ordered_on=data["ordered_on"],
        )

    return _follow_up_action(request, pk, "rectify", RectifyForm, run, _("已责令整改"))


@login_required
@require_POST
def follow_up_reinspect(request: OfficerRequest, pk: int) -> HttpResponse:
    """复查: passed or not, the day, what was found."""

    def run(follow_up: SampleFollowUp, data: dict[str, Any]) -> None:
        sampling_followup.record_reinspection(
            follow_up=follow_up,
            actor=request.user,
            passed=data["passed"],
            reinspected_on=data["reinspected_on"],
            note=data["note"],
        )

    return _follow_up_action(request, pk, "reinspect", ReinspectForm, run, _("已登记复查结果"))


@login_required
@require_POST
def follow_up_close(request: OfficerRequest, pk: int) -> HttpResponse:
    """办结, with a note."""

    def run(follow_up: SampleFollowUp, data: dict[str, Any]) -> None:
        sampling_followup.close_follow_up(
            follow_up=follow_up, actor=request.user, note=data["note"]
        )

    return _follow_up_action(request, pk, "close", CloseForm, run, _("已办结"))
