"""Pages of callbacks (回访, 篇9): the callbacks to make (pending first) and the answer form a
caller fills on a phone, the monthly rounds with their seeds, the rules, the problems raised
with their rectification and feedback, and the satisfaction rates with their XLSX."""

from __future__ import annotations

import datetime as dt
import io
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
from xiaoneng.core.errors import DomainError, InvalidInput, NotPermitted
from xiaoneng.core.forms import PageForm, posted
from xiaoneng.core.history import readable
from xiaoneng.core.months import parse_month
from xiaoneng.core.pages import (
    Choice,
    act,
    among,
    is_day,
    known_filters,
    paginate,
    params_query,
    parse_day,
)
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.core.tabular import write_sheet
from xiaoneng.org import access
from xiaoneng.org.models import Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.timeliness.callbacks import checks, figures, problems, rounds, rules
from xiaoneng.timeliness.callbacks import services as callbacks
from xiaoneng.timeliness.callbacks.forms import (
    AnswerForm,
    DrawForm,
    FeedbackForm,
    ProblemForm,
    RectifyForm,
    RuleForm,
    UnreachableForm,
)
from xiaoneng.timeliness.callbacks.models import (
    QUESTIONS,
    Answer,
    Callback,
    CallbackProblem,
    CallbackRound,
    CallbackRule,
    Channel,
    SampleMode,
    SubjectKind,
)
from xiaoneng.timeliness.callbacks.queries import pending_first


def _is_month(text: str) -> bool:
    try:
        parse_month(text)
    except InvalidInput:
        return False
    return True


def _units(request: OfficerRequest) -> QuerySet[Unit]:
    return scoped(Unit.objects.all(), request.user).order_by("path")


def _callbacks(request: OfficerRequest) -> QuerySet[Callback]:
    return scoped(
        Callback.objects.select_related("unit", "officer", "caller", "round"), request.user
    )


def _problems(request: OfficerRequest) -> QuerySet[CallbackProblem]:
    return scoped(
        CallbackProblem.objects.select_related("callback", "unit", "owner", "fed_back_by"),
        request.user,
    )


def _in_unit(rows: QuerySet[Any], code: str, field: str = "unit") -> QuerySet[Any]:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        return rows.none()
    ids = Unit.objects.subtree_ids(unit)
    return rows if ids is None else rows.filter(**{f"{field}_id__in": ids})


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
        month=Choice(_("月份"), _is_month),
        unit=Choice(_("单位"), among(_units(request))),
    )
    params = {name: known.get(name, "").strip() for name in LIST_FILTERS}
    rows = _callbacks(request)
    if params["status"]:
        rows = rows.filter(status=params["status"])
    if params["channel"]:
        rows = rows.filter(channel=params["channel"])
    if params["kind"]:
        rows = rows.filter(subject_kind=params["kind"])
    if params["month"]:
        rows = rows.filter(round__month=params["month"])
    if params["unit"]:
        rows = _in_unit(rows, params["unit"])
    rows = pending_first(rows)
    context = {
        "page": paginate(request, rows),
        "params": params,
        "query": params_query(params),
        "statuses": Callback.Status.choices,
        "channels": Channel.choices,
        "kinds": SubjectKind.choices,
        "units": _units(request),
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
    callback = get_scoped(_callbacks(request), request.user, pk=pk)
    return render(
        request, "timeliness/callbacks/callback_detail.html", _detail_context(request, callback)
    )


def _action(
    request: OfficerRequest,
    record: Any,
    form: PageForm,
    run: Callable[[], str],
    back: HttpResponse,
    shown_again: Callable[[int], HttpResponse],
) -> HttpResponse:
    def refused(error: DomainError) -> HttpResponse:
        form.add_service_errors(error)
        return shown_again(error.status_code)

    if not form.is_valid():
        messages.error(request, form.for_page)
        return shown_again(InvalidInput.status_code)
    return act(request, run, None, back, refused=refused)


def _callback_action(request: OfficerRequest, pk: int, which: str) -> HttpResponse:
    callback = get_scoped(_callbacks(request), request.user, pk=pk)
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
    return _action(request, callback, form, run, back, shown_again)


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


# Rounds -----------------------------------------------------------------------------------------


def _rounds_context(request: OfficerRequest, form: PageForm | None = None) -> dict[str, Any]:
    known = known_filters(request, month=Choice(_("月份"), _is_month))
    month = known.get("month", "").strip()
    drawn = scoped(CallbackRound.objects.select_related("unit", "drawn_by"), request.user)
    if month:
        drawn = drawn.filter(month=month)
    return {
        "page": paginate(request, drawn.order_by("-month", "unit__path", "subject_kind")),
        "params": {"month": month},
        "query": params_query({"month": month}),
        "may_draw": access.can(request.user, access.RUN_CALLBACKS),
        "units": _units(request),
        "kinds": SubjectKind.choices,
        "values": form.shown if form is not None else {"month": rounds.last_month()},
        "errors": form.field_errors if form is not None else {},
    }


@login_required
def callback_rounds(request: OfficerRequest) -> HttpResponse:
    """The rounds drawn, latest month first, and the draw form."""
    return render(request, "timeliness/callbacks/callback_rounds.html", _rounds_context(request))


@login_required
@require_POST
def callback_round_draw(request: OfficerRequest) -> HttpResponse:
    access.require(request.user, access.RUN_CALLBACKS)
    form = DrawForm(**posted(request), units=_units(request))
    holder: dict[str, CallbackRound] = {}

    def run() -> str:
        data = form.cleaned_data
        holder["round"] = rounds.draw_round(
            unit=data["unit"],
            month=data["month"],
            subject_kind=data["subject_kind"],
            actor=request.user,
        )
        drawn = holder["round"]
        return _("已抽取 %(n)d 条回访（可回访 %(p)d 条）") % {
            "n": drawn.callbacks.count(),
            "p": drawn.population,
        }

    def shown_again(status: int) -> HttpResponse:
        context = _rounds_context(request, form)
        return render(request, "timeliness/callbacks/callback_rounds.html", context, status=status)

    def refused(error: DomainError) -> HttpResponse:
        form.add_service_errors(error)
        return shown_again(error.status_code)

    if not form.is_valid():
        messages.error(request, form.for_page)
        return shown_again(InvalidInput.status_code)
    try:
        message = run()
    except NotPermitted:
        raise
    except DomainError as error:
        messages.error(request, error.for_page)
        return refused(error)
    messages.success(request, message)
    return redirect("timeliness:callback_round", pk=holder["round"].pk)


@login_required
def callback_round(request: OfficerRequest, pk: int) -> HttpResponse:
    """A round: its seed, population digest, whether drawing again matches, its callbacks."""
    drawn = get_scoped(
        CallbackRound.objects.select_related("unit", "drawn_by"), request.user, pk=pk
    )
    context = {
        "round": drawn,
        "verification": rounds.check_round(drawn),
        "callbacks": scoped(drawn.callbacks.select_related("officer"), request.user).order_by("id"),
        "history": readable(audit.history(drawn)[:50], CallbackRound),
    }
    return render(request, "timeliness/callbacks/callback_round.html", context)


# Rules ------------------------------------------------------------------------------------------


def _rules_context(request: OfficerRequest, form: PageForm | None = None) -> dict[str, Any]:
    return {
        "rules": scoped(CallbackRule.objects.select_related("unit"), request.user),
        "may_edit": access.can(request.user, access.RUN_CALLBACKS),
        "units": _units(request),
        "kinds": SubjectKind.choices,
        "modes": SampleMode.choices,
        "channels": Channel.choices,
        "values": form.shown if form is not None else {"mode": SampleMode.ALL, "active": "1"},
        "errors": form.field_errors if form is not None else {},
    }


@login_required
def callback_rules(request: OfficerRequest) -> HttpResponse:
    """Each unit's sampling rules, and the form that sets one."""
    return render(request, "timeliness/callbacks/callback_rules.html", _rules_context(request))


@login_required
@require_POST
def callback_rule_save(request: OfficerRequest) -> HttpResponse:
    access.require(request.user, access.RUN_CALLBACKS)
    form = RuleForm(**posted(request), units=_units(request))

    def run() -> str:
        data = form.cleaned_data
        rule = rules.save_rule(
            actor=request.user,
            unit=data["unit"],
            subject_kind=data["subject_kind"],
            mode=data["mode"],
            share=data["share"],
            count=data["count"],
            channel=data["channel"] or Channel.PHONE,
            active=data["active"] == "1",
        )
        return _("已保存回访规则：%(r)s") % {"r": rule}

    def shown_again(status: int) -> HttpResponse:
        context = _rules_context(request, form)
        return render(request, "timeliness/callbacks/callback_rules.html", context, status=status)

    return _action(request, None, form, run, redirect("timeliness:callback_rules"), shown_again)


# Problems ---------------------------------------------------------------------------------------

PROBLEM_FILTERS = ("status", "unit")


@login_required
def callback_problem_list(request: OfficerRequest) -> HttpResponse:
    """Problems raised on callbacks, earliest deadline first; overdue ones marked."""
    today = timezone.localdate()
    known = known_filters(
        request,
        status=Choice(_("状态"), [*CallbackProblem.Status.values, "overdue"]),
        unit=Choice(_("单位"), among(_units(request))),
    )
    params = {name: known.get(name, "").strip() for name in PROBLEM_FILTERS}
    rows = _problems(request)
    if params["status"] == "overdue":
        rows = rows.filter(status=CallbackProblem.Status.OPEN, deadline__lt=today)
    elif params["status"]:
        rows = rows.filter(status=params["status"])
    if params["unit"]:
        rows = _in_unit(rows, params["unit"])
    page = paginate(request, rows.order_by("deadline", "id"))
    for problem in page:
        problem.overdue = problems.is_overdue(problem, today)
    context = {
        "page": page,
        "params": params,
        "query": params_query(params),
        "statuses": CallbackProblem.Status.choices,
        "units": _units(request),
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
    problem = get_scoped(_problems(request), request.user, pk=pk)
    return render(
        request, "timeliness/callbacks/problem_detail.html", _problem_context(request, problem)
    )


def _problem_action(request: OfficerRequest, pk: int, which: str) -> HttpResponse:
    problem = get_scoped(_problems(request), request.user, pk=pk)
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
    return _action(request, problem, form, run, back, shown_again)


@login_required
@require_POST
def callback_problem_rectify(request: OfficerRequest, pk: int) -> HttpResponse:
    return _problem_action(request, pk, "rectify")


@login_required
@require_POST
def callback_problem_feedback(request: OfficerRequest, pk: int) -> HttpResponse:
    return _problem_action(request, pk, "feedback")


# Satisfaction -----------------------------------------------------------------------------------


def _period(request: OfficerRequest) -> tuple[dt.date, dt.date]:
    known = known_filters(
        request, **{"from": Choice(_("开始日期"), is_day), "to": Choice(_("结束日期"), is_day)}
    )
    today = timezone.localdate()
    start = parse_day(known.get("from", "")) or today.replace(month=1, day=1)
    end = parse_day(known.get("to", "")) or today
    if end < start:
        messages.warning(request, _("结束日期早于开始日期，已互换"))
        start, end = end, start
    return start, end


def satisfaction_tables(
    request: OfficerRequest, start: dt.date, end: dt.date
) -> tuple[figures.Tally, list[tuple[str, list[figures.Row]]]]:
    rows = _callbacks(request)
    total = figures.tally(rows, start, end)
    groups = [(str(label), fn(rows, start, end)) for label, fn in figures.GROUPINGS.values()]
    return total, groups


@login_required
def satisfaction(request: OfficerRequest) -> HttpResponse:
    """The satisfaction rates over a period, by unit, officer, channel, month and kind."""
    start, end = _period(request)
    total, groups = satisfaction_tables(request, start, end)
    context = {
        "start": start,
        "end": end,
        "total": total,
        "sentence": figures.sentence(total),
        "groups": groups,
        "problems": figures.problems(_problems(request), start, end),
        "query": f"from={start.isoformat()}&to={end.isoformat()}",
    }
    return render(request, "timeliness/callbacks/satisfaction.html", context)


HEADER = [
    _("分组"),
    _("名称"),
    _("回访人次"),
    _("电话回访"),
    _("上门回访"),
    _("无法联系"),
    _("作答"),
    _("满意"),
    _("基本满意"),
    _("不满意"),
    _("满意率（%）"),
]


@login_required
def satisfaction_xlsx(request: OfficerRequest) -> HttpResponse:
    """The satisfaction page as one XLSX sheet: the total, then each grouping's rows."""
    from openpyxl import Workbook

    start, end = _period(request)
    total, groups = satisfaction_tables(request, start, end)

    def line(group: str, name: str, t: figures.Tally) -> list[Any]:
        rate = t.satisfaction
        return [
            group,
            name,
            t.made,
            t.phone,
            t.on_site,
            t.unreachable,
            t.answered,
            t.satisfied,
            t.basic,
            t.unsatisfied,
            "" if rate is None else float(rate),
        ]

    rows = [line(_("合计"), f"{start}～{end}", total)]
    for label, found in groups:
        rows += [line(label, row.label, row.tally) for row in found]
    book = Workbook(write_only=True)
    write_sheet(book, str(_("回访满意率")), [str(h) for h in HEADER], rows)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"callbacks-satisfaction-{start}-{end}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
