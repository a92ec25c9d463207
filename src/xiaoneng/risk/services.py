"""Train, store, load, score, explain and evaluate the risk model on the register's records.

- ``train_model`` learns from the signed inspections before ``until`` (all of them by default)
  and stores an immutable version: window, features, validation metrics, code version and the
  pickled model with its SHA-256.
- ``score_register`` scores every entity in business with the latest version and writes the
  scores to the register (``registry.risk_scores``), where patrol plans read them.
- ``explain`` gives the few features that raise or lower given entities' risk most.
- ``evaluate_period`` trains on what came before a period and compares the model's order of the
  period's inspections with the order actually used, random order and class order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import InvalidInput, Missing
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.registry.models import RiskScore
from xiaoneng.registry.risk_scores import set_risk_scores
from xiaoneng.risk.models import Evaluation, RiskModel
from xiaoneng.risk.records import read_register, read_training
from xiaoneng.risk.threads import single_threaded
from xiaoneng.targeting.encoding import Reason, RecordEncoder, explain, score_in_chunks
from xiaoneng.targeting.errors import TargetingError, TooLittleHistory
from xiaoneng.targeting.evaluate import Comparison, GroupRow, compare
from xiaoneng.targeting.model import TrainedModel, train
from xiaoneng.targeting.protocol import OrderMetrics
from xiaoneng.targeting.records import FloatArray, Visits

__all__ = ["TargetingError", "TooLittleHistory"]


def code_version() -> str:
    try:
        version = metadata.version("xiaoneng")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        version = "dev"
    import sklearn

    return f"xiaoneng {version} / scikit-learn {sklearn.__version__}"


def _check(actor: Officer | None) -> None:
    """None is the operator at the command line; a user needs the capability."""
    if actor is not None:
        access.require(actor, access.MANAGE_RISK_MODEL)


@dataclass
class Loaded:
    """A stored version, unpickled after its digest was checked."""

    record: RiskModel
    model: TrainedModel
    encoder: RecordEncoder

    def predict(self, matrix: Any) -> Any:
        return self.model.predict(matrix)

    def score(self, visits: Visits) -> FloatArray:
        """The calibrated probability of each visit, encoded and predicted in blocks."""
        return score_in_chunks(
            self.model.predict, self.encoder, visits.numeric, visits.categorical, visits.dates
        )


def _fit(training: Any, mask: Any) -> tuple[TrainedModel, RecordEncoder]:
    visits = training.visits.take(mask)
    encoder = RecordEncoder.fit(visits.numeric, visits.categorical)
    matrix = encoder.transform(visits.numeric, visits.categorical, visits.dates)
    model = train(matrix, training.outcome[mask], visits.dates, encoder.names)
    return model, encoder


@single_threaded
def train_model(*, until: dt.date | None = None, actor: Officer | None) -> RiskModel:
    """Train on the signed inspections before ``until`` and store the version.

    Too little history raises ``TooLittleHistory``: its message says to keep class order.
    """
    _check(actor)
    training = read_training(until)
    if len(training.visits) == 0:
        raise TooLittleHistory(_("没有已签名的检查记录，无法训练；请继续按风险类别排序。"))
    mask = np.ones(len(training.visits), dtype=bool)
    model, encoder = _fit(training, mask)
    blob = pickle.dumps((model, encoder), protocol=pickle.HIGHEST_PROTOCOL)
    dates = training.visits.dates
    best = model.validation_auc[model.name]
    with transaction.atomic(), audit.attributed(actor):
        version = (RiskModel.objects.aggregate(v=Max("version"))["v"] or 0) + 1
        record = RiskModel.objects.create(
            version=version,
            algorithm=model.name,
            params=model.params,
            features=encoder.names,
            until=until or (dates.max() + np.timedelta64(1, "D")).item(),
            window_start=dates.min().item(),
            window_end=dates.max().item(),
            validation_from=dt.date.fromisoformat(model.validation_from),
            inspections=len(dates),
            violations=int(training.outcome.sum()),
            validation_auc=best,
            metrics={
                "validation_auc": model.validation_auc,
                "base_rate": float(training.outcome.mean()),
            },
            code_version=code_version(),
            blob=blob,
            blob_sha256=hashlib.sha256(blob).hexdigest(),
            trained_at=timezone.now(),
            trained_by=actor,
        )
    return record


def latest() -> RiskModel | None:
    return RiskModel.objects.order_by("-version").first()


def load(record: RiskModel) -> Loaded:
    """Unpickle a stored version after checking its digest (a changed blob is refused)."""
    blob = bytes(record.blob)
    if hashlib.sha256(blob).hexdigest() != record.blob_sha256:
        raise InvalidInput(_("模型 v%(v)s 的摘要不符，拒绝加载。") % {"v": record.version})
    model, encoder = pickle.loads(blob)
    return Loaded(record, model, encoder)


def _require_model() -> Loaded:
    record = latest()
    if record is None:
        raise Missing(_("还没有训练过风险模型：请先运行 xiaoneng targeting train。"))
    return load(record)


@single_threaded
def score_register(*, on: dt.date | None = None, actor: Officer | None) -> tuple[RiskModel, int]:
    """Score every entity in business on ``on`` (today) with the latest version."""
    _check(actor)
    loaded = _require_model()
    day = on or timezone.localdate()
    visits = read_register(day)
    scores = loaded.score(visits)
    with transaction.atomic(), audit.attributed(actor):
        count = set_risk_scores(
            scores=dict(zip(visits.entity.tolist(), scores.tolist(), strict=True)),
            version=loaded.record.version,
            on=day,
        )
        audit.record(
            loaded.record,
            action="score",
            changes={"scored": [None, count], "on": [None, day.isoformat()]},
        )
    return loaded.record, count


@single_threaded
def explain_entities(
    entity_ids: list[int], *, on: dt.date | None = None, top: int = 3
) -> dict[int, tuple[float, list[Reason], dict[str, float]]]:
    """For each entity: its score today, its ``top`` reasons, and the feature values named."""
    record = latest()
    if record is None or not entity_ids:
        return {}
    loaded = load(record)
    # The day the register was scored (a dataset's history may end long before today).
    scored = RiskScore.objects.filter(entity_id__in=entity_ids).aggregate(d=Max("scored_on"))["d"]
    day = on or scored or timezone.localdate()
    visits = read_register(day, entity_ids)
    matrix = loaded.encoder.transform(visits.numeric, visits.categorical, visits.dates)
    scores = loaded.predict(matrix)
    reasons = explain(loaded.predict, loaded.encoder, matrix, top=top)
    out = {}
    for k, entity in enumerate(visits.entity.tolist()):
        values = {name: float(column[k]) for name, column in visits.numeric.items()}
        out[entity] = (float(scores[k]), reasons[k], values)
    return out


@single_threaded
def evaluate_period(
    *, start: dt.date, end: dt.date, actor: Officer | None, store: bool = True
) -> Evaluation:
    """Train before ``start``, order ``start`` … ``end``'s inspections, compare the orders."""
    _check(actor)
    if end < start:
        raise InvalidInput(_("评估期的结束日期早于开始日期。"))
    training = read_training()
    dates = training.visits.dates
    first, last = np.datetime64(start.isoformat(), "D"), np.datetime64(end.isoformat(), "D")
    past, during = dates < first, (dates >= first) & (dates <= last)
    if not during.any():
        raise InvalidInput(
            _("%(start)s 至 %(end)s 之间没有已签名的检查记录。") % {"start": start, "end": end}
        )
    model, encoder = _fit(training, past)
    period = training.visits.take(during)
    scores = score_in_chunks(
        model.predict, encoder, period.numeric, period.categorical, period.dates
    )
    names = dict(Unit.objects.values_list("id", "name"))
    units = [names.get(int(u), u) if u.isdigit() else u for u in period.categorical["unit"]]
    areas = [a for a, keep in zip(training.areas, during, strict=True) if keep]
    compared = compare(
        scores,
        period.dates,
        period.ids,
        training.outcome[during],
        first,
        last,
        classes=period.numeric["risk_class"],
        within=units,
        breakdowns={"unit": units, "area": areas},
    )
    report = report_json(model, compared, training.outcome[past], training.outcome[during])
    report["training"]["window"] = [str(dates[past].min()), str(dates[past].max())]
    evaluation = Evaluation(
        start=start,
        end=end,
        report=report,
        code_version=code_version(),
        created_at=timezone.now(),
        created_by=actor,
    )
    if store:
        with transaction.atomic(), audit.attributed(actor):
            evaluation.save()
    return evaluation


def _metrics(m: OrderMetrics) -> dict[str, Any]:
    return {
        "days_sooner": m.days_sooner,
        "first_half_share": m.first_half_share,
        "actual_first_half_share": m.actual_first_half_share,
        "auc": m.auc,
        "top_shares": {f"{k:.2f}": v for k, v in m.top_shares.items()},
    }


def _group(row: GroupRow) -> dict[str, Any]:
    return {
        "group": row.group,
        "inspections": row.inspections,
        "violations": row.violations,
        "auc": row.auc,
        "days_sooner": row.days_sooner,
        "share_of_period": row.share_of_period,
        "share_of_top": row.share_of_top,
    }


def report_json(
    model: TrainedModel, compared: Comparison, trained_on: Any, found: Any
) -> dict[str, Any]:
    """The evaluation as stored (JSON): the numbers every page and the CLI print."""
    return {
        "model": {
            "algorithm": model.name,
            "params": model.params,
            "validation_from": model.validation_from,
            "validation_auc": model.validation_auc,
            "features": len(model.feature_names),
        },
        "training": {"inspections": len(trained_on), "violations": int(trained_on.sum())},
        "period": {"inspections": len(found), "violations": int(found.sum())},
        "orders": {name: _metrics(m) for name, m in compared.orders.items()},
        "within_unit": list(compared.within) if compared.within else None,
        "breakdowns": {
            name: [_group(r) for r in rows] for name, rows in compared.breakdowns.items()
        },
    }
