"""Pages of ad operators and their annual qualification checks: the list, the form that
registers one, its detail with its checks and the actions the user may take."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.ads import common
from xiaoneng.ads.operators import services
from xiaoneng.ads.operators.forms import (
    CheckDecisionForm,
    CheckStartForm,
    OperatorForm,
    ReviewersForm,
)
from xiaoneng.ads.operators.models import AdOperator, Medium, QualificationCheck
from xiaoneng.ads.pages import Input, list_page, render_form, shown, with_entities
from xiaoneng.core.errors import DomainError, InvalidInput, NotPermitted
from xiaoneng.core.forms import PageForm, posted
from xiaoneng.core.pages import act, paginate, params_query
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest

S = QualificationCheck.Status
OUTCOMES = [(s.value, s.label) for s in S if s != S.CHECKING]


def operators_for(user: Any) -> QuerySet[AdOperator]:
    return scoped(AdOperator.objects.select_related("entity", "unit"), user)


def checks_for(user: Any) -> QuerySet[QualificationCheck]:
    return scoped(
        QualificationCheck.objects.select_related("operator__entity", "inspection", "case"),
        user,
    )


def operator_inputs() -> list[Input]:
    media = [("", "—"), *Medium.choices]
    return [
        Input("entity", _("市场主体（统一社会信用代码）")),
        Input("role", _("广告主体类型"), "select", list(AdOperator.Role.choices)),
        Input("medium", _("媒介类型（媒体必填）"), "select", media),
        Input("outlet", _("媒体名称（如“示范县电视台”）")),
        Input("reviewers", _("广告审查员（媒体必填，多人用顿号分隔）")),
        Input("since", _("登记日期"), "date"),
        Input("note", _("备注"), width=12),
    ]


@login_required
def operator_list(request: OfficerRequest) -> HttpResponse:
    """The ad operators, publishers and media of the user's units."""
    context = list_page(
        request,
        operators_for(request.user),
        choices={"role": AdOperator.Role.values, "medium": Medium.values},
        search=("entity__name", "outlet"),
    ) | {
        "roles": AdOperator.Role.choices,
        "media": Medium.choices,
        "may_edit": access.can(request.user, access.SUPERVISE_ADS),
    }
    return render(request, "ads/operators/operator_list.html", context)


@login_required
def operator_create(request: OfficerRequest) -> HttpResponse:
    """The form of ``register_operator``."""
    access.require(request.user, access.SUPERVISE_ADS)
    initial = {"role": AdOperator.Role.OPERATOR, "since": timezone.localdate().isoformat()}
    form = with_entities(OperatorForm(**posted(request), initial=initial), request)
    if form.is_valid():
        data = form.cleaned_data
        try:
            operator = services.register_operator(actor=request.user, **data)
        except NotPermitted:
            raise
        except DomainError as error:
            form.add_service_errors(error)
            messages.error(request, error.for_page)
        else:
            messages.success(request, _("已登记：%(o)s") % {"o": operator})
            return redirect("ads:operator_detail", pk=operator.pk)
    elif form.is_bound:
        messages.error(request, form.for_page)
    return render_form(
        request,
        title=_("登记广告经营单位"),
        back=reverse("ads:operator_list"),
        back_label=_("广告经营单位"),
        form=form,
        inputs=operator_inputs(),
    )


def _detail(
    request: OfficerRequest, operator: AdOperator, forms: dict[str, PageForm], status: int = 200
) -> HttpResponse:
    may = common.may_act(request.user, operator.unit_id)
    today = timezone.localdate()
    start = forms.get("start_check") or CheckStartForm(
        initial={"year": today.year, "checked_on": today.isoformat()}
    )
    decide = forms.get("decide") or CheckDecisionForm(initial={"on": today.isoformat()})
    reviewers = forms.get("reviewers") or ReviewersForm(initial={"reviewers": operator.reviewers})
    checks = list(checks_for(request.user).filter(operator=operator))
    context = {
        "operator": operator,
        "checks": [(c, services.in_first_quarter(c)) for c in checks],
        "may_act": may,
        "start_fields": shown(
            [
                Input("year", _("年度"), "number", width=3),
                Input("checked_on", _("检查日期"), "date"),
            ],
            start,
        ),
        "decide_fields": shown(
            [
                Input("outcome", _("检查结论"), "select", OUTCOMES, width=3),
                Input("on", _("结论日期"), "date", width=3),
                Input("deadline", _("整改期限（限期整改时必填）"), "date", width=3),
                Input("note", _("说明（合格以外必填）"), width=12),
            ],
            decide,
        ),
        "reviewer_fields": shown([Input("reviewers", _("广告审查员"), width=12)], reviewers),
        "errors": {k: f.field_errors for k, f in forms.items()},
    }
    return render(request, "ads/operators/operator_detail.html", context, status=status)


@login_required
def operator_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    operator = get_scoped(operators_for(request.user), request.user, pk=pk)
    return _detail(request, operator, {})


FORMS: dict[str, type[PageForm]] = {
    "start_check": CheckStartForm,
    "reviewers": ReviewersForm,
    "decide": CheckDecisionForm,
}


@login_required
@require_POST
def operator_action(request: OfficerRequest, pk: int, action: str) -> HttpResponse:
    """Start the year's check, decide a check (``check`` in the POST), or set the reviewers."""
    operator = get_scoped(operators_for(request.user), request.user, pk=pk)
    if action not in FORMS:
        raise Http404(_("没有这个操作"))
    common.require(request.user, operator.unit_id)
    form = FORMS[action](**posted(request))
    back = redirect("ads:operator_detail", pk=operator.pk)

    def refused(error: DomainError) -> HttpResponse:
        form.add_service_errors(error)
        return _detail(request, operator, {action: form}, error.status_code)

    if not form.is_valid():
        messages.error(request, form.for_page)
        return _detail(request, operator, {action: form}, InvalidInput.status_code)
    data, actor = form.cleaned_data, request.user

    def run() -> str:
        if action == "start_check":
            check = services.start_check(
                operator=operator, actor=actor, year=data["year"], checked_on=data["checked_on"]
            )
            return _("已开始 %(y)d 年度资格检查，请填写检查记录") % {"y": check.year}
        if action == "reviewers":
            services.set_reviewers(operator=operator, actor=actor, reviewers=data["reviewers"])
            return _("已更新广告审查员")
        check = get_scoped(
            checks_for(actor), actor, pk=request.POST.get("check", "0"), operator=operator
        )
        services.decide_check(
            check=check,
            actor=actor,
            outcome=data["outcome"],
            on=data["on"],
            deadline=data["deadline"],
            note=data["note"],
        )
        return _("已记录检查结论：%(o)s") % {"o": check.get_status_display()}

    return act(request, run, None, back, refused=refused)


@login_required
def check_list(request: OfficerRequest) -> HttpResponse:
    """The annual qualification checks of a year, with their outcomes."""
    year = request.GET.get("year", "").strip()
    rows = checks_for(request.user)
    if year.isdigit():
        rows = rows.filter(year=int(year))
    status = request.GET.get("status", "").strip()
    if status in S.values:
        rows = rows.filter(status=status)
    params = {"year": year, "status": status}
    context = {
        "page": paginate(request, rows),
        "params": params,
        "query": params_query(params),
        "statuses": S.choices,
    }
    return render(request, "ads/operators/check_list.html", context)
