"""Pages of the problems raised on callbacks (回访问题, 篇9): the list, earliest deadline first
with the overdue marked, and one problem with its rectification and feedback forms."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core import audit
from xiaoneng.core.errors import NotPermitted
from xiaoneng.core.forms import PageForm, posted
from xiaoneng.core.history import readable
from xiaoneng.core.pages import Choice, among, known_filters, paginate, params_query
from xiaoneng.core.scoping import get_scoped
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.timeliness.callbacks import checks, problems
from xiaoneng.timeliness.callbacks.forms import FeedbackForm, RectifyForm
from xiaoneng.timeliness.callbacks.models import CallbackProblem
from xiaoneng.timeliness.callbacks.views import form_action, in_unit, problems_of, units_of

# Problems ---------------------------------------------------------------------------------------

PROBLEM_FILTERS = ("status", "unit")


@login_required
def callback_problem_list(request: OfficerRequest) -> HttpResponse:
    """Problems raised on callbacks, earliest deadline first; overdue ones marked."""
    today = timezone.localdate()
    known = known_filters(
        request,
        status=Choice(_("状态"), [*CallbackProblem.Status.values, "overdue"]),
        unit=Choice(_("单位"), among(units_of(request))),
    )
    params = {name: known.get(name, "").strip() for name in PROBLEM_FILTERS}
    rows = problems_of(request)
    if params["status"] == "overdue":
        rows = rows.filter(status=CallbackProblem.Status.OPEN, deadline__lt=today)
    elif params["status"]:
        rows = rows.filter(status=params["status"])
    if params["unit"]:
        rows = in_unit(rows, params["unit"])
    page = paginate(request, rows.order_by("deadline", "id"))
    for problem in page:
        problem.overdue = problems.is_overdue(problem, today)
    context = {
        "page": page,
        "params": params,
        "query": params_query(params),
        "statuses": CallbackProblem.Status.choices,
        "units": units_of(request),
    }
    return render(request, "timeliness/callbacks/problem_list.html", context)


def _problem_context(
    request: OfficerRequest, problem: CallbackProblem, form: PageForm | None = None, which: str = ""
) -> dict[str, Any]:
    may = checks.may_rectify(request.user, problem)
    S = CallbackProblem.Status
    return {
        "problem": problem,
        "overdue": problems.is_overdue(problem),
        "may_rectify": may and problem.status == S.OPEN,
        "may_feed_back": may and problem.status == S.RECTIFIED,
        "feedback_channels": CallbackProblem.FeedbackChannel.choices,
        "which": which,
        "values": form.shown if form is not None else {"on": timezone.localdate().isoformat()},
        "errors": form.field_errors if form is not None else {},
        "history": readable(audit.history(problem)[:50], CallbackProblem),
    }


@login_required
def callback_problem_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    problem = get_scoped(problems_of(request), request.user, pk=pk)
    return render(
        request, "timeliness/callbacks/problem_detail.html", _problem_context(request, problem)
    )


def _problem_action(request: OfficerRequest, pk: int, which: str) -> HttpResponse:
    problem = get_scoped(problems_of(request), request.user, pk=pk)
    if not checks.may_rectify(request.user, problem):
        raise NotPermitted(_("只有整改责任人或回访管理人员可以登记整改和反馈。"))
    form: PageForm = (
        RectifyForm(**posted(request)) if which == "rectify" else FeedbackForm(**posted(request))
    )

    def run() -> str:
        data = form.cleaned_data
        if which == "rectify":
            problems.rectify(
                problem=problem, outcome=data["outcome"], on=data["on"], actor=request.user
            )
            return _("已登记整改情况")
        problems.feed_back(
            problem=problem, on=data["on"], channel=data["channel"], actor=request.user
        )
        return _("已登记反馈")

    def shown_again(status: int) -> HttpResponse:
        problem.refresh_from_db()
        context = _problem_context(request, problem, form, which)
        return render(request, "timeliness/callbacks/problem_detail.html", context, status=status)

    back = redirect("timeliness:callback_problem_detail", pk=problem.pk)
    return form_action(request, problem, form, run, back, shown_again)


@login_required
@require_POST
def callback_problem_rectify(request: OfficerRequest, pk: int) -> HttpResponse:
    return _problem_action(request, pk, "rectify")


@login_required
@require_POST
def callback_problem_feedback(request: OfficerRequest, pk: int) -> HttpResponse:
    return _problem_action(request, pk, "feedback")
