"""`xiaoneng demo`: the risk model trained on the year's records and the register scored."""

from __future__ import annotations

import datetime as dt

import pytest

from xiaoneng.registry.models import Entity, RiskScore
from xiaoneng.risk.models import RiskModel

pytestmark = [pytest.mark.slow, pytest.mark.django_db, pytest.mark.usefixtures("demo_year")]


def test_the_register_is_scored_before_the_plans_and_again_at_the_end(demo_year: str) -> None:
    versions = list(RiskModel.objects.order_by("version"))
    assert len(versions) == 2  # before this month's plans, then with complaints and cases
    latest = versions[-1]
    assert 0.65 <= latest.validation_auc <= 0.9
    assert latest.violations / latest.inspections >= 0.08
    operating = Entity.objects.operating().filter(archived_at__isnull=True)
    scored = RiskScore.objects.all()
    assert scored.count() == operating.count() > 0
    assert set(scored.values_list("model_version", flat=True)) == {latest.version}
    assert f"风险模型 risk model: v{latest.version}" in demo_year
    # trained a month before the demo's day, so its recent accuracy can be checked
    check = latest.drift_checks.get()
    assert check.inspections > 30  # a month of a 2,000-entity county: too few for an AUC
    assert check.recent_auc is None or abs(check.recent_auc - latest.validation_auc) < 0.15
    assert set(scored.values_list("scored_on", flat=True)) == {latest.until + dt.timedelta(30)}


def test_class_one_entities_score_higher_than_class_three() -> None:
    def mean(risk_class: str) -> float:
        scores = RiskScore.objects.filter(entity__risk_class=risk_class)
        values = list(scores.values_list("score", flat=True))
        assert values, risk_class
        return sum(values) / len(values)

    assert mean("I") > 1.5 * mean("III")
