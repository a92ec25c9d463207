"""The risk model on the register's own records: train, store, score, explain, evaluate —
and the time split: nothing on or after the cut day moves what is learnt before it."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import County
from tests.risk import history
from xiaoneng.core import bulk
from xiaoneng.core.errors import InvalidInput, Missing, NotPermitted
from xiaoneng.inspections.checklists.models import Severity
from xiaoneng.inspections.followup.models import Finding
from xiaoneng.planning.patrol.risk_order import risk_scores
from xiaoneng.registry.models import ClassificationChange, Entity, RiskScore
from xiaoneng.risk import drift, services
from xiaoneng.risk.chicago import import_chicago
from xiaoneng.risk.models import ExternalEntity, RiskModel
from xiaoneng.risk.records import read_training
from xiaoneng.targeting.errors import TooLittleHistory

pytestmark = pytest.mark.django_db
CUT = dt.date(2012, 8, 1)


@pytest.fixture
def imported(tmp_path: Path) -> None:
    import_chicago(source=str(history.write(tmp_path / "h.csv", history.rows(days=300, per_day=5))))


def _entity(licence: int) -> int:
    return ExternalEntity.objects.get(source="chicago", external_id=str(licence)).entity_id


def test_a_version_is_stored_with_its_window_and_digest(imported: None) -> None:
    record = services.train_model(until=CUT, actor=None)
    assert record.version == 1
    assert record.until == CUT
    assert record.window_end < CUT and record.window_start == dt.date(2012, 1, 2)
    assert record.inspections == (CUT - dt.date(2012, 1, 2)).days * 5
    assert record.blob_sha256 == hashlib.sha256(bytes(record.blob)).hexdigest()
    assert "past_critical" in record.features and record.code_version.startswith("xiaoneng")
    assert record.algorithm in record.metrics["validation_auc"]
    assert services.train_model(actor=None).version == 2


def test_a_changed_blob_is_refused(imported: None) -> None:
    record = services.train_model(actor=None)
    RiskModel.objects.filter(pk=record.pk).update(blob=bytes(record.blob)[:-1] + b"x")
    with pytest.raises(InvalidInput, match="摘要不符"):
        services.load(RiskModel.objects.get(pk=record.pk))


def test_training_until_a_day_ignores_everything_from_that_day(imported: None) -> None:
    first = services.train_model(until=CUT, actor=None)
    # rewrite the future: every finding from the cut day on disappears, a class changes
    Finding.objects.filter(found_on__gte=CUT).delete()
    entity = Entity.objects.get(pk=_entity(8))
    ClassificationChange.objects.create(
        entity=entity,
        field=ClassificationChange.Field.RISK_CLASS,
        old_value=entity.risk_class,
        new_value="III",
        reason="测试",
        changed_at=dt.datetime(2012, 9, 1, tzinfo=dt.UTC),
    )
    Entity.objects.filter(pk=entity.pk).update(risk_class="III")
    second = services.train_model(until=CUT, actor=None)
    assert second.blob_sha256 == first.blob_sha256  # the same model, byte for byte
    assert second.inspections == first.inspections and second.violations == first.violations


def test_features_before_a_day_do_not_move_when_the_future_does(imported: None) -> None:
    before = read_training()
    early = before.visits.dates <= np.datetime64(CUT.isoformat())
    Finding.objects.filter(found_on__gt=CUT).update(severity=Severity.CRITICAL)
    ClassificationChange.objects.create(
        entity_id=_entity(8),
        field=ClassificationChange.Field.CREDIT_GRADE,
        old_value="B",
        new_value="D",
        reason="测试",
        changed_at=dt.datetime(2012, 9, 1, tzinfo=dt.UTC),
    )
    Entity.objects.filter(pk=_entity(8)).update(credit_grade="D")
    after = read_training()
    for name, column in before.visits.numeric.items():
        np.testing.assert_array_equal(column[early], after.visits.numeric[name][early], name)
    assert not np.array_equal(before.outcome, after.outcome)  # the future did change


def test_too_little_history_says_to_keep_class_order(db: None, tmp_path: Path) -> None:
    with pytest.raises(TooLittleHistory, match="风险类别"):
        services.train_model(actor=None)
    import_chicago(source=str(history.write(tmp_path / "h.csv", history.rows(days=20))))
    with pytest.raises(TooLittleHistory, match="fall back to class order"):
        services.train_model(actor=None)
    assert not RiskModel.objects.exists()


def test_scoring_needs_a_model(db: None) -> None:
    with pytest.raises(Missing, match="还没有训练过风险模型"):
        services.score_register(actor=None)


def test_scores_reach_the_register_and_the_patrol_order(imported: None) -> None:
    record = services.train_model(actor=None)
    day = dt.date(2012, 11, 1)
    _, count = services.score_register(on=day, actor=None)
    assert count == Entity.objects.filter(status=Entity.Status.OPERATING).count() > 0
    assert not Entity.objects.filter(risk=None, status=Entity.Status.OPERATING).exists()
    assert set(RiskScore.objects.values_list("model_version", "scored_on")) == {
        (record.version, day)
    }
    ids = np.array(sorted(Entity.objects.values_list("id", flat=True)), dtype=np.int64)
    licences = dict(ExternalEntity.objects.values_list("entity_id", "external_id"))
    scores = risk_scores(ids)
    careless = np.array([history.careless(int(licences[int(e)])) for e in ids])
    assert scores[careless].mean() > scores[~careless].mean() + 0.2
    # the patrol order reads the same numbers however many entities it asks for
    few = ids[:7]
    bulk.FEW_IDS, saved = 0, bulk.FEW_IDS
    try:
        np.testing.assert_array_equal(risk_scores(few), scores[:7])
    finally:
        bulk.FEW_IDS = saved
    assert not np.isnan(scores).any()


def test_explanations_name_past_problems_of_a_careless_business(imported: None) -> None:
    services.train_model(actor=None)
    services.score_register(on=dt.date(2012, 11, 1), actor=None)
    worst = (
        Finding.objects.filter(severity=Severity.CRITICAL)
        .values_list("entity_id", flat=True)
        .order_by()
    )
    counts: dict[int, int] = {}
    for entity in worst:
        counts[entity] = counts.get(entity, 0) + 1
    careless = max(counts, key=lambda e: (counts[e], -e))
    careful = Entity.objects.exclude(id__in=counts).order_by("id").first().pk  # type: ignore[union-attr]
    out = services.explain_entities([careless, careful])
    score, reasons, values = out[careless]
    assert reasons[0].group == "past_problems" and reasons[0].effect > 0
    assert values["past_critical"] > 0
    assert out[careful][0] < score


def test_evaluation_beats_random_and_class_order(imported: None) -> None:
    evaluation = services.evaluate_period(
        start=dt.date(2012, 9, 1), end=dt.date(2012, 10, 27), actor=None
    )
    orders = evaluation.report["orders"]
    assert orders["actual"]["days_sooner"] == 0
    assert orders["model"]["days_sooner"] > orders["random"]["days_sooner"] + 5
    assert orders["model"]["days_sooner"] > orders["class"]["days_sooner"] + 5
    assert orders["model"]["auc"] > 0.7
    assert evaluation.report["period"]["inspections"] == 57 * 5
    units = evaluation.report["breakdowns"]["unit"]
    assert sum(r["inspections"] for r in units) == 57 * 5
    assert {r["group"] for r in units} == {f"芝加哥检查组 {g}" for g in history.GROUPS}
    assert sum(r["share_of_top"] for r in units) == pytest.approx(1.0)
    assert evaluation.pk is not None


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (dt.date(2012, 9, 2), dt.date(2012, 9, 1), "结束日期早于开始日期"),
        (dt.date(2015, 1, 1), dt.date(2015, 2, 1), "没有已签名的检查记录"),
    ],
)
def test_evaluation_refuses_a_bad_period(
    imported: None, start: dt.date, end: dt.date, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        services.evaluate_period(start=start, end=end, actor=None)


def test_only_model_managers_may_train_score_or_evaluate(imported: None, county: County) -> None:
    for officer in (county.east_officer, county.east_director):
        with pytest.raises(NotPermitted):
            services.train_model(actor=officer)
        with pytest.raises(NotPermitted):
            services.score_register(actor=officer)
        with pytest.raises(NotPermitted):
            services.evaluate_period(start=CUT, end=CUT, actor=officer)
    assert not RiskModel.objects.exists()
    assert services.train_model(actor=county.division_staff).trained_by == county.division_staff


def test_drift_compares_recent_accuracy_with_the_validated(imported: None) -> None:
    record = services.train_model(until=dt.date(2012, 9, 1), actor=None)
    state = drift.check(record)
    assert state.inspections == 57 * 5 and state.enough
    assert state.recent_auc is not None and not state.drifted
    # the same model, told it once validated far better, is said to have drifted
    RiskModel.objects.filter(pk=record.pk).update(validation_auc=0.99)
    assert drift.check(RiskModel.objects.get(pk=record.pk)).drifted
    # with nothing signed since, there is too little to say
    late = services.train_model(actor=None)
    assert not drift.check(late).enough
