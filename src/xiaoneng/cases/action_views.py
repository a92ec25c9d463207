"""Pages of a case's actions: one form per transition (立案, 告知, 决定…), the extension of a
time limit, and the forms for money collected and goods confiscated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.cases import limits, money, services
from xiaoneng.cases.forms import CollectionForm, GoodsForm, TransitionForm
from xiaoneng.cases.models import Case, Collection
from xiaoneng.cases.transitions import CASE
from xiaoneng.cases.views import BY_SLUG, Action, case_of
from xiaoneng.core.calendar import CalendarUnknown, WorkingCalendar
from xiaoneng.core.errors import DomainError
from xiaoneng.core.forms import PageForm, ReasonForm, posted
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest

S = Case.Status


@dataclass(frozen=True)
class Field:
    """A field of a transition form."""

    name: str
    label: Any
    kind: str = "text"  # text, date, money, textarea, checkbox
    help: str = ""


def _fields(case: Case, action: Action) -> list[Field]:
    date_label = {
        "file": (_("立案日期"), "filed_on"),
        "refuse": (_("不予立案日期"), "refused_on"),
        "investigate": (_("调查开始日期"), "started_on"),
        "notify": (_("告知日期（告知书送达日）"), "notified_on"),
        "decide": (_("决定日期"), "decided_on"),
        "execute": (_("执行开始日期"), "started_on"),
        "close": (_("结案日期"), "closed_on"),
        "withdraw": (_("撤销日期"), "withdrawn_on"),
    }[action.slug]
    fields = [Field(date_label[1], date_label[0], "date")]
    if action.slug in ("refuse", "withdraw") or (
        action.slug == "investigate" and case.status == S.NOTIFIED
    ):
        fields.append(Field("reason", _("理由"), "textarea"))
    if action.slug == "notify":
        fields.append(Field("proposed_fine", _("拟罚款（元）"), "money"))
    if action.slug == "decide":
        fields += [
            Field("decision_number", _("处罚决定书文号")),
            Field("fine", _("罚款（元）"), "money"),
            Field("confiscation", _("没收违法所得（元）"), "money"),
            Field("case_value", _("案值（元）"), "money"),
            Field("major", _("大要案"), "checkbox"),
        ]
    if action.slug == "execute":
        fields.append(Field("note", _("执行说明（如：申请法院强制执行）"), "textarea"))
    if action.slug == "close" and money.outstanding(case) > 0:
        fields.append(
            Field(
                "shortfall_reason",
                _("未足额入库说明"),
                "textarea",
                _("尚有 %(amount)s 未入库") % {"amount": money.yuan(money.outstanding(case))},
            )
        )
    return fields


def _form_page(
    request: OfficerRequest,
    case: Case,
    action: Action,
    fields: list[Field],
    form: PageForm,
    hint: str = "",
    kinds: Any = None,
) -> HttpResponse:
    shown, errors = form.shown, form.field_errors
    rows = [
        {"field": f, "value": shown.get(f.name, ""), "error": errors.get(f.name, "")}
        for f in fields
    ]
    context = {
        "case": case,
        "action": action,
        "rows": rows,
        "errors": errors,
        "hint": hint,
        "kinds": kinds,
        "today": timezone.localdate(),
    }
    return render(request, "cases/case_action.html", context)


def _initial(case: Case, action: Action) -> dict[str, Any]:
    today = timezone.localdate().isoformat()
    initial: dict[str, Any] = {f.name: today for f in _fields(case, action) if f.kind == "date"}
    if action.slug == "notify":
        initial["proposed_fine"] = "0.00"
    if action.slug == "decide":
        initial.update(
            {
                "fine": f"{case.proposed_fine:.2f}",
                "confiscation": "0.00",
                "case_value": f"{case.case_value:.2f}",
                "major": "1" if case.major else "",
            }
        )
    return initial


def _statement_hint(case: Case) -> str:
    start = limits.statement_start(case)
    if case.status != S.NOTIFIED or start is None:
        return ""
    calendar = WorkingCalendar.load()
    try:
        end = limits.statement_period_end(start, calendar)
    except CalendarUnknown as error:  # only before the calendar's first year
        return error.message
    provisional = _("（暂定）") if calendar.is_provisional(end) else ""
    return _("陈述、申辩期至 %(date)s（%(basis)s：%(days)d 个工作日），此后方可作出决定。") % {
        "date": f"{end}{provisional}",
        "basis": limits.STATEMENT_BASIS,
        "days": limits.STATEMENT_WORKING_DAYS,
    }


@login_required
def case_action(request: OfficerRequest, pk: int, action: str) -> HttpResponse:
    """The form of one transition (立案, 告知, 决定…); POST runs its service."""
    case = case_of(request, pk)
    chosen = BY_SLUG.get(action)
    if chosen is None:
        raise Http404
    access.require(request.user, access.HANDLE_CASES)
    access.require_unit(request.user, case.unit_id)
    CASE.check(case, chosen.to)  # refused (409) before any form is shown
    fields = _fields(case, chosen)
    form = TransitionForm(
        **posted(request),
        inputs=[(f.name, f.kind) for f in fields],
        initial=_initial(case, chosen),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.apply_transition(
                case=case, actor=request.user, to=chosen.to, values=form.values()
            )
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
            case.refresh_from_db()
        else:
            messages.success(
                request,
                _("%(number)s：%(status)s")
                % {"number": case.number, "status": case.get_status_display()},
            )
            return redirect("cases:case_detail", pk=case.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    hint = _statement_hint(case) if chosen.slug == "decide" else ""
    return _form_page(request, case, chosen, fields, form, hint)


@login_required
def case_extend(request: OfficerRequest, pk: int) -> HttpResponse:
    """Extend the current stage's time limit once, with the head's approval."""
    case = case_of(request, pk)
    form = ReasonForm(**posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.extend_time_limit(
                case=case, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            if error.status_code == 403:
                raise
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已延长办案期限"))
            return redirect("cases:case_detail", pk=case.pk)
    return _form_page(
        request,
        case,
        Action("extend", case.status, _("延长期限")),
        [Field("reason", _("延长理由（经负责人批准）"), "textarea")],
        form,
        _("立案核查期限可延长 15 个工作日（第十八条），办案期限可延长 30 日（第六十四条）。"),
    )


# Money and goods --------------------------------------------------------------------------------


def _money_form(
    request: OfficerRequest, pk: int, kind: str, fields: list[Field], form: PageForm
) -> HttpResponse:
    case = case_of(request, pk)
    access.require(request.user, access.HANDLE_CASES)
    access.require_unit(request.user, case.unit_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if kind == "collection":
                money.record_collection(
                    case=case,
                    actor=request.user,
                    kind=data["kind"],
                    amount=data["amount"],
                    collected_on=data["collected_on"],
                    receipt_number=data["receipt_number"],
                )
            else:
                money.record_goods(
                    case=case,
                    actor=request.user,
                    description=data["description"],
                    quantity=data["quantity"],
                    measure=data["measure"],
                    value=data["value"],
                    disposal=data["disposal"],
                )
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已登记"))
            return redirect("cases:case_detail", pk=case.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    title = _("登记罚没款入库") if kind == "collection" else _("登记罚没物品")
    kinds = Collection.Kind.choices if kind == "collection" else None
    return _form_page(request, case, Action(kind, case.status, title), fields, form, "", kinds)


@login_required
def collection_create(request: OfficerRequest, pk: int) -> HttpResponse:
    """Record money paid into the treasury (罚没款入库)."""
    fields = [
        Field("kind", _("款项"), "kind"),
        Field("amount", _("金额（元）"), "money"),
        Field("collected_on", _("入库日期"), "date"),
        Field("receipt_number", _("缴款书号")),
    ]
    initial = {"kind": Collection.Kind.FINE, "collected_on": timezone.localdate().isoformat()}
    form = CollectionForm(**posted(request), initial=initial)
    return _money_form(request, pk, "collection", fields, form)


@login_required
def goods_create(request: OfficerRequest, pk: int) -> HttpResponse:
    """Record confiscated goods (罚没物品), e.g. 206 吨 不合格化肥."""
    fields = [
        Field("description", _("物品")),
        Field("quantity", _("数量"), "money"),
        Field("measure", _("计量单位（如：吨、件、瓶）")),
        Field("value", _("货值（元）"), "money"),
        Field("disposal", _("处置方式")),
    ]
    form = GoodsForm(**posted(request), initial={"value": "0.00"})
    return _money_form(request, pk, "goods", fields, form)
