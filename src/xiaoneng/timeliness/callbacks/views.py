"""Pages of callbacks (回访, 篇9): the callbacks to make (pending first) and the answer form a
caller fills on a phone. The rounds and rules are in ``round_views``, the problems raised in
``problem_views``, the satisfaction rates in ``satisfaction_views``; they share the scoped
querysets and the form handling below."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core import audit
from xiaoneng.core.errors import DomainError, InvalidInput
from xiaoneng.core.forms import PageForm, posted
from xiaoneng.core.history import readable
from xiaoneng.core.months import parse_month
from xiaoneng.core.pages import Choice, act, among, known_filters, paginate, params_query
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org.models import Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.timeliness.callbacks import checks, problems
from xiaoneng.timeliness.callbacks import services as callbacks
from xiaoneng.timeliness.callbacks.forms import AnswerForm, ProblemForm, UnreachableForm
from xiaoneng.timeliness.callbacks.models import (
    QUESTIONS,
    Answer,
    Callback,
    CallbackProblem,
    Channel,
    SubjectKind,
)
from xiaoneng.timeliness.callbacks.queries import pending_first

# Shared by the callback pages -----------------------------------------------------------------


def is_month(text: str) -> bool:
    """Whether ``text`` is a month (YYYY-MM), for a filter."""
    try:
        parse_month(text)
    except InvalidInput:
        return False
    return True


def units_of(request: OfficerRequest) -> QuerySet[Unit]:
    """The units the user sees, in tree order."""
    return scoped(Unit.objects.all(), request.user).order_by("path")


def callbacks_of(request: OfficerRequest) -> QuerySet[Callback]:
    """The callbacks the user sees."""
    return scoped(
        Callback.objects.select_related("unit", "officer", "caller", "round"), request.user
    )


def problems_of(request: OfficerRequest) -> QuerySet[CallbackProblem]:
    """The callback problems the user sees."""
    return scoped(
        CallbackProblem.objects.select_related("callback", "unit", "owner", "fed_back_by"),
        request.user,
    )


def in_unit(rows: QuerySet[Any], code: str, field: str = "unit") -> QuerySet[Any]:
    """The rows of the unit ``code`` and its subtree."""
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        return rows.none()
    ids = Unit.objects.subtree_ids(unit)
    return rows if ids is None else rows.filter(**{f"{field}_id__in": ids})


def form_action(
    request: OfficerRequest,
    record: Any,
    form: PageForm,
    run: Callable[[], str],
    back: HttpResponse,
    shown_again: Callable[[int], HttpResponse],
) -> HttpResponse:
    """Run a page form's service call: back to ``back`` when done, the page again with the
    errors when the form or the service refuses."""

    def refused(error: DomainError) -> HttpResponse:
        form.add_service_errors(error)
        return shown_again(error.status_code)

    if not form.is_valid():
        messages.error(request, form.for_page)
        return shown_again(InvalidInput.status_code)
    return act(request, run, None, back, refused=refused)


# Callbacks --------------------------------------------------------------------------------------

LIST_FILTERS = ("status", "channel", "kind", "month", "unit")


@login_required
def callback_list(request: OfficerRequest) -> HttpResponse:
    """Callbacks, pending first, then the latest; filters: status, channel, kind, month of the
    round, unit (its subtree)."""
    known = known_filters(
        request,
        status=Choice(_("状态"), Callback.Status.values),
        channel=Choice(_("回访方式"), Channel.values),
        kind=Choice(_("回访对象"), SubjectKind.values),
        month=Choice(_("月份"), is_month),
        unit=Choice(_("单位"), among(units_of(request))),
    )
    params = {name: known.get(name, "").strip() for name in LIST_FILTERS}
    rows = callbacks_of(request)
    if params["status"]:
        rows = rows.filter(status=params["status"])
    if params["channel"]:
        rows = rows.filter(channel=params["channel"])
    if params["kind"]:
        rows = rows.filter(subject_kind=params["kind"])
    if params["month"]:
        rows = rows.filter(round__month=params["month"])
    if params["unit"]:
        rows = in_unit(rows, params["unit"])
    rows = pending_first(rows)
    context = {
        "page": paginate(request, rows),
        "params": params,
        "query": params_query(params),
        "statuses": Callback.Status.choices,
        "channels": Channel.choices,
        "kinds": SubjectKind.choices,
        "units": units_of(request),
    }
    return render(request, "timeliness/callbacks/callback_list.html", context)


def _subject_url(callback: Callback) -> str:
    from django.urls import NoReverseMatch, reverse

    names = {
        SubjectKind.SERVICE_CASE: "timeliness:service_case_detail",
        SubjectKind.COMPLAINT: "timeliness:complaint_detail",
        SubjectKind.INSPECTION: "inspections:inspection_detail",
        SubjectKind.CASE: "cases:case_detail",
    }
    pk = getattr(callback, f"{callback.subject_kind}_id", None)
    if pk is None:
        return ""
    try:
        return reverse(names[SubjectKind(callback.subject_kind)], args=[pk])
    except NoReverseMatch:
        return ""


def _detail_context(
    request: OfficerRequest,
    callback: Callback,
    *,
    form: PageForm | None = None,
    which: str = "",
) -> dict[str, Any]:
    may = checks.may_call(request.user, callback)
    status = Callback.Status
    values: dict[str, Any] = (
        form.shown if form is not None else {"called_on": timezone.localdate().isoformat()}
    )
    errors = form.field_errors if form is not None else {}
    return {
        "asked": [
            (name, label, values.get(name, ""), errors.get(name, "")) for name, label in QUESTIONS
        ],
        "callback": callback,
        "subject_url": _subject_url(callback),
        "questions": [
            (name, label, getattr(callback, name), _answer_label(getattr(callback, name)))
            for name, label in QUESTIONS
        ],
        "answers": Answer.choices,
        "channels": Channel.choices,
        "may_answer": may and callback.status != status.DONE,
        "may_raise": may and callback.status == status.DONE,
        "owners": problems.owners(callback),
        "problems": callback.problems.select_related("owner").order_by("id"),
        "which": which,
        "values": values,
        "errors": errors,
        "today": timezone.localdate(),
        "history": readable(audit.history(callback)[:50], Callback),
    }


def _answer_label(value: str) -> str:
    return str(dict(Answer.choices).get(value, "")) if value else ""


@login_required
def callback_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    """A callback: the record asked about, the answers or the form to record them, and the
    problems raised."""
    callback = get_scoped(callbacks_of(request), request.user, pk=pk)
    return render(
        request, "timeliness/callbacks/callback_detail.html", _detail_context(request, callback)
    )


def _callback_action(request: OfficerRequest, pk: int, which: str) -> HttpResponse:
    callback = get_scoped(callbacks_of(request), request.user, pk=pk)
    checks.require_call(request.user, callback)
    owners = problems.owners(callback)
    form: PageForm
    if which == "answer":
        form = AnswerForm(**posted(request), owners=owners)
    elif which == "unreachable":
        form = UnreachableForm(**posted(request))
    else:
        form = ProblemForm(**posted(request), owners=owners)

    def run() -> str:
        data = form.cleaned_data
        if which == "answer":
            assert isinstance(form, AnswerForm)
            callbacks.record_callback(
                callback=callback,
                channel=data["channel"],
                called_on=data["called_on"],
                answers=form.answers(),
                remarks=data["remarks"],
                problem=form.problem(),
                no_problem_reason=data["no_problem_reason"],
                actor=request.user,
            )
            return _("已登记回访结果")
        if which == "unreachable":
            callbacks.mark_unreachable(
                callback=callback,
                called_on=data["called_on"],
                remarks=data["remarks"],
                actor=request.user,
            )
            return _("已登记：无法联系")
        callbacks.raise_problem(
            callback=callback,
            description=data["description"],
            owner=data["owner"],
            deadline=data["deadline"],
            actor=request.user,
        )
        return _("已交办整改")

    def shown_again(status: int) -> HttpResponse:
        callback.refresh_from_db()
        context = _detail_context(request, callback, form=form, which=which)
        return render(request, "timeliness/callbacks/callback_detail.html", context, status=status)

    back = redirect("timeliness:callback_detail", pk=callback.pk)
    return form_action(request, callback, form, run, back, shown_again)


@login_required
@require_POST
def callback_answer(request: OfficerRequest, pk: int) -> HttpResponse:
    return _callback_action(request, pk, "answer")


@login_required
@require_POST
def callback_unreachable(request: OfficerRequest, pk: int) -> HttpResponse:
    return _callback_action(request, pk, "unreachable")


@login_required
@require_POST
def callback_raise(request: OfficerRequest, pk: int) -> HttpResponse:
    return _callback_action(request, pk, "problem")
