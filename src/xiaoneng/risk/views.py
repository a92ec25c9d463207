"""Pages of the risk model (风险预测): the latest version with its drift, the versions and the
evaluations, the buttons that train and score, the evaluation form and an evaluation's report.

Only MANAGE_RISK_MODEL holders (administrator, division staff, bureau leader) see them: the
model is trained on, and scores, the whole register. Training and scoring run in the request,
as they take seconds on a county's history (docs/targeting.md).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xiaoneng.core.errors import DomainError, NotPermitted
from xiaoneng.core.forms import posted
from xiaoneng.core.scoping import get_scoped
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.registry.models import Entity
from xiaoneng.risk import drift, panels, services
from xiaoneng.risk.forms import EvaluationForm, TrainForm
from xiaoneng.risk.models import Evaluation, RiskModel
from xiaoneng.risk.words import ALGORITHMS, engine_error_text
from xiaoneng.targeting.errors import TargetingError

RECENT_EVALUATIONS = 50
ORDERS = {
    "model": gettext_lazy("模型排序"),
    "actual": gettext_lazy("实际顺序"),
    "random": gettext_lazy("随机顺序"),
    "class": gettext_lazy("按风险类别"),
}
BREAKDOWNS = {"unit": gettext_lazy("按检查单位"), "area": gettext_lazy("按区域")}
TOP_SHARES = ("0.10", "0.20", "0.50")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def fixed(value: float | None, places: int = 2) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def _refused(error: DomainError | TargetingError) -> str:
    if isinstance(error, TargetingError):
        return engine_error_text(error)
    return error.for_page


def _home(
    request: OfficerRequest,
    train_form: TrainForm | None = None,
    evaluation_form: EvaluationForm | None = None,
) -> HttpResponse:
    record = services.latest()
    found = drift.latest(record) if record is not None else None
    evaluations = [
        (e, e.report.get("period", {}), e.report.get("orders", {}).get("model", {}))
        for e in Evaluation.objects.select_related("created_by")[:RECENT_EVALUATIONS]
    ]
    train_form = train_form or TrainForm()
    evaluation_form = evaluation_form or EvaluationForm()
    context = {
        "record": record,
        "algorithm": ALGORITHMS.get(record.algorithm, record.algorithm) if record else "",
        "drift": found,
        "recent_auc": fixed(found.recent_auc, 3) if found else "—",
        "drift_minimum": (drift.MIN_INSPECTIONS, drift.MIN_VIOLATIONS),
        "versions": [
            (v, ALGORITHMS.get(v.algorithm, v.algorithm))
            for v in RiskModel.objects.defer("blob").select_related("trained_by")
        ],
        "evaluations": [
            (e, period, fixed(model.get("days_sooner")), fixed(model.get("auc"), 3))
            for e, period, model in evaluations
        ],
        "train_form": train_form.shown,
        "train_errors": train_form.field_errors,
        "evaluation_form": evaluation_form.shown,
        "evaluation_errors": evaluation_form.field_errors,
    }
    return render(request, "risk/home.html", context)


@login_required
def home(request: OfficerRequest) -> HttpResponse:
    """风险预测: the latest version, its drift, the versions and the evaluations."""
    access.require(request.user, access.MANAGE_RISK_MODEL)
    return _home(request)


@login_required
@require_POST
def train(request: OfficerRequest) -> HttpResponse:
    """Train a new version (``services.train_model``), up to the optional cut-off day."""
    access.require(request.user, access.MANAGE_RISK_MODEL)
    form = TrainForm(**posted(request))
    if not form.is_valid():
        messages.error(request, form.for_page)
        return _home(request, train_form=form)
    try:
        record = services.train_model(until=form.cleaned_data["until"], actor=request.user)
    except NotPermitted:
        raise
    except (DomainError, TargetingError) as error:
        messages.error(request, _refused(error))
    else:
        messages.success(
            request,
            _("已训练模型 v%(v)s：%(alg)s，训练检查 %(n)d 次，验证AUC %(auc)s。")
            % {
                "v": record.version,
                "alg": ALGORITHMS.get(record.algorithm, record.algorithm),
                "n": record.inspections,
                "auc": fixed(record.validation_auc, 3),
            },
        )
    return redirect("risk:home")


@login_required
@require_POST
def score(request: OfficerRequest) -> HttpResponse:
    """Score every entity in business with the latest version (``services.score_register``)."""
    access.require(request.user, access.MANAGE_RISK_MODEL)
    try:
        record, count = services.score_register(actor=request.user)
    except NotPermitted:
        raise
    except (DomainError, TargetingError) as error:
        messages.error(request, _refused(error))
    else:
        messages.success(
            request,
            _("已用模型 v%(v)s 为 %(n)d 户在业主体评分。") % {"v": record.version, "n": count},
        )
    return redirect("risk:home")


@login_required
@require_POST
def check_drift(request: OfficerRequest) -> HttpResponse:
    """Check the latest version's recent accuracy now (the daily job does it at night)."""
    access.require(request.user, access.MANAGE_RISK_MODEL)
    record = services.latest()
    if record is None:
        messages.error(request, _("还没有训练过风险模型。"))
        return redirect("risk:home")
    try:
        drift.check(record)
    except (DomainError, TargetingError) as error:
        messages.error(request, _refused(error))
    else:
        messages.success(request, _("已检查模型 v%(v)s 的近期准确度。") % {"v": record.version})
    return redirect("risk:home")


@login_required
@require_POST
def evaluate(request: OfficerRequest) -> HttpResponse:
    """Evaluate a period (``services.evaluate_period``) and open the stored evaluation."""
    access.require(request.user, access.MANAGE_RISK_MODEL)
    form = EvaluationForm(**posted(request))
    if not form.is_valid():
        messages.error(request, form.for_page)
        return _home(request, evaluation_form=form)
    data = form.cleaned_data
    try:
        evaluation = services.evaluate_period(
            start=data["start"], end=data["end"], actor=request.user
        )
    except NotPermitted:
        raise
    except (DomainError, TargetingError) as error:
        messages.error(request, _refused(error))
        return _home(request, evaluation_form=form)
    messages.success(request, _("评估完成。"))
    return redirect("risk:evaluation_detail", pk=evaluation.pk)


def _order_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for name, m in report.get("orders", {}).items():
        top = m.get("top_shares", {})
        rows.append(
            {
                "name": ORDERS.get(name, name),
                "key": name,
                "days_sooner": fixed(m.get("days_sooner")),
                "first_half": percent(m.get("first_half_share")),
                "auc": fixed(m.get("auc"), 3),
                "top": [percent(top.get(k)) for k in TOP_SHARES],
            }
        )
    return rows


def _group_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            # the engine names a group without a label "<none>" (no area, no unit recorded)
            "group": _("未记录") if r["group"] in ("", "<none>") else r["group"],
            "inspections": r["inspections"],
            "violations": r["violations"],
            "auc": fixed(r["auc"], 3),
            "days_sooner": fixed(r["days_sooner"]),
            "share_of_period": percent(r["share_of_period"]),
            "share_of_top": percent(r["share_of_top"]),
        }
        for r in rows
    ]


@login_required
def evaluation_detail(request: OfficerRequest, pk: int) -> HttpResponse:
    """An evaluation as stored: the orders compared, within units, by unit and by area."""
    access.require(request.user, access.MANAGE_RISK_MODEL)
    evaluation = get_object_or_404(Evaluation.objects.select_related("created_by"), pk=pk)
    report = evaluation.report
    model = report.get("model", {})
    within = report.get("within_unit")
    actual = report.get("orders", {}).get("model", {}).get("actual_first_half_share")
    context = {
        "evaluation": evaluation,
        "report": report,
        "algorithm": ALGORITHMS.get(model.get("algorithm", ""), model.get("algorithm", "")),
        "validation": [
            (ALGORITHMS.get(name, name), fixed(value, 3))
            for name, value in sorted(model.get("validation_auc", {}).items())
        ],
        "window": report.get("training", {}).get("window", []),
        "orders": _order_rows(report),
        "actual_first_half": percent(actual),
        "within": (fixed(within[0]), percent(within[1])) if within else None,
        "breakdowns": [
            (BREAKDOWNS.get(name, name), name, _group_rows(rows))
            for name, rows in report.get("breakdowns", {}).items()
        ],
    }
    return render(request, "risk/evaluation.html", context)


@login_required
def entity_risk_card(request: OfficerRequest, uscc: str) -> HttpResponse:
    """The dossier's risk card of one entity of the user's units, fetched by the dossier's
    placeholder (``panels.EntityRisk``); empty when no model explains it."""
    entity = get_scoped(Entity.objects.all(), request.user, uscc=uscc)
    return HttpResponse(panels.entity_risk_card(entity, request))
