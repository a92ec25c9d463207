"""The demo county's risk model (``xiaoneng.risk``): trained on the year's records, the register
scored with it, and one evaluation of the last three months stored for the model's page.

It runs twice. ``score_for_plans`` runs before this month's patrol plans are made, on the
inspections so far, so that the plans order their tasks by risk (``RiskScore``) as the
bureau's would. ``build_risk`` runs once the cases and complaints exist (two of the model's
features) and retrains, rescores and evaluates, as the monthly job would. A demo with too
little history (a few hundred entities) keeps the class order and says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from xiaoneng.risk import drift
from xiaoneng.risk.services import (
    TooLittleHistory,
    evaluate_period,
    score_register,
    train_model,
)
from xiaoneng.risk.services import (
    latest as latest_model,
)

EVALUATED_DAYS = 91  # the evaluation's period: the last three months
# The model in use was trained a month ago (a monthly retraining), so that the month since is
# its drift check's unseen history and the page shows its recent accuracy.
TRAINED_DAYS_AGO = 30


def _train_and_score(today: dt.date, progress: Callable[[str], None]) -> bool:
    """Train on the signed records up to a month ago and score the register today; False if
    there is too little history to learn from."""
    try:
        model = train_model(until=today - dt.timedelta(days=TRAINED_DAYS_AGO), actor=None)
    except TooLittleHistory as error:
        progress(
            "风险模型 risk model: 历史记录不足，巡查仍按风险类别排序 "
            f"(too little history, the model falls back to class order: {error})"
        )
        return False
    _model, scored = score_register(on=today, actor=None)
    progress(
        f"风险模型 risk model: v{model.version} {model.algorithm}, "
        f"{model.inspections:,} inspections ({model.violations:,} 严重), "
        f"validation AUC {model.validation_auc:.3f}; {scored:,} entities scored"
    )
    return True


def score_for_plans(*, now: dt.datetime, progress: Callable[[str], None] = print) -> None:
    """Score the register on the records so far, before this month's plans order by it."""
    _train_and_score(timezone.localtime(now).date(), progress)


def build_risk(*, now: dt.datetime, progress: Callable[[str], None] = print) -> None:
    """Retrain (up to a month ago) with the year's cases and complaints, rescore, check its
    recent accuracy on the month since, and evaluate the last three months."""
    today = timezone.localtime(now).date()
    if not _train_and_score(today, progress):
        return
    model = latest_model()
    assert model is not None  # trained just above
    state = drift.check(model)
    recent = "—" if state.recent_auc is None else f"{state.recent_auc:.3f}"
    progress(
        f"风险模型近期准确度 recent accuracy: {state.inspections:,} inspections since training, "
        f"AUC {recent} (validated {state.validated_auc:.3f})"
    )
    start, end = today - dt.timedelta(days=EVALUATED_DAYS), today - dt.timedelta(days=1)
    try:
        evaluation = evaluate_period(start=start, end=end, actor=None)
    except TooLittleHistory as error:
        progress(f"风险模型评估 evaluation {start}:{end}: too little history before it ({error})")
        return
    orders = evaluation.report["orders"]
    sooner = ", ".join(
        f"{name} {values['days_sooner']:+.1f}"
        for name, values in orders.items()
        if values.get("days_sooner") is not None
    )
    progress(f"风险模型评估 evaluation {start}:{end}: days sooner {sooner}")
