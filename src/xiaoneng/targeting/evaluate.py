"""Evaluate a model on one period against the actual, random and class orders.

The model is trained on the inspections before the period only (``model.time_split``); the
period's outcomes are read for the figures and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from xiaoneng.targeting.chicago import Inspections
from xiaoneng.targeting.errors import TargetingError
from xiaoneng.targeting.features import FeatureEncoder, risk_class
from xiaoneng.targeting.model import TrainedModel, time_split, train
from xiaoneng.targeting.protocol import (
    TOP_SHARES,
    OrderMetrics,
    auc,
    evaluate_order,
    first_half_share,
    mean_gain,
    new_dates,
    new_dates_within,
    ranked_order,
)

RANDOM_SHUFFLES = 50
GROUP_TOP = 0.20  # the breakdowns report each group's share of the top 20 % of the order


@dataclass(frozen=True)
class GroupRow:
    """One inspector group or area under the model's order (of the whole period)."""

    group: str
    inspections: int
    violations: int
    auc: float | None  # within the group; None when it has only one outcome
    days_sooner: float | None  # its violations' mean gain; None when it has none
    share_of_period: float  # its share of the period's inspections
    share_of_top: float  # its share of the top GROUP_TOP of the order


@dataclass(frozen=True)
class Report:
    start: str
    end: str
    training: int
    training_violations: int
    inspections: int
    violations: int
    model: TrainedModel
    orders: dict[str, OrderMetrics]  # model, actual, random, class
    within_inspector: tuple[float, float]  # model order inside each group: days, first half
    by_inspector: list[GroupRow]
    by_area: list[GroupRow]


def _mean_metrics(runs: list[OrderMetrics]) -> OrderMetrics:
    return OrderMetrics(
        days_sooner=float(np.mean([r.days_sooner for r in runs])),
        first_half_share=float(np.mean([r.first_half_share for r in runs])),
        actual_first_half_share=runs[0].actual_first_half_share,
        auc=float(np.mean([r.auc for r in runs])),
        top_shares={s: float(np.mean([r.top_shares[s] for r in runs])) for s in TOP_SHARES},
    )


def _groups(
    labels: list[str],
    scores: npt.NDArray[np.float64],
    dates: npt.NDArray[np.datetime64],
    ids: npt.NDArray[np.int64],
    found: npt.NDArray[np.float64],
) -> list[GroupRow]:
    names = np.array(labels)
    moved = new_dates(scores, dates, ids)
    gain = (dates - moved).astype("timedelta64[D]").astype(np.float64)
    k = int(np.ceil(GROUP_TOP * len(scores) - 1e-9))
    top = np.zeros(len(scores), dtype=bool)
    top[ranked_order(scores, dates, ids)[:k]] = True
    rows = []
    for name in sorted(set(labels)):
        mask = names == name
        hits = mask & (found > 0)
        both = 0 < hits.sum() < mask.sum()
        rows.append(
            GroupRow(
                group=name or "<none>",
                inspections=int(mask.sum()),
                violations=int(hits.sum()),
                auc=auc(scores[mask], found[mask]) if both else None,
                days_sooner=float(gain[hits].mean()) if hits.any() else None,
                share_of_period=float(mask.mean()),
                share_of_top=float((mask & top).sum() / k),
            )
        )
    return rows


@dataclass(frozen=True)
class Comparison:
    """The model's order of one period against the actual, random and class orders."""

    orders: dict[str, OrderMetrics]  # model, actual, random, class
    within: tuple[float, float] | None  # model order inside each group: days, first half
    breakdowns: dict[str, list[GroupRow]]


def compare(
    scores: npt.NDArray[np.float64],
    dates: npt.NDArray[np.datetime64],
    ids: npt.NDArray[np.int64],
    found: npt.NDArray[np.float64],
    start: np.datetime64,
    end: np.datetime64,
    *,
    classes: npt.NDArray[np.float64],
    within: list[str] | None = None,
    breakdowns: dict[str, list[str]] | None = None,
) -> Comparison:
    """Compare the orders of one period's inspections; ``classes`` 1 (Ⅰ, first) … 3.

    ``within`` names each inspection's group (inspector group, unit) when the dates can only
    be handed out inside a group; ``breakdowns`` are labellings reported group by group.
    """

    def metrics(order_scores: npt.NDArray[np.float64]) -> OrderMetrics:
        return evaluate_order(order_scores, dates, ids, found, start, end)

    actual_rank = np.empty(len(ids), dtype=np.float64)
    actual_rank[np.lexsort((ids, dates))] = -np.arange(len(ids), dtype=np.float64)
    shuffles = [
        metrics(np.random.default_rng(seed).permutation(len(ids)).astype(np.float64))
        for seed in range(RANDOM_SHUFFLES)
    ]
    orders = {
        "model": metrics(scores),
        "actual": metrics(actual_rank),
        "random": _mean_metrics(shuffles),
        "class": metrics(-np.asarray(classes, dtype=np.float64)),
    }
    inside = None
    if within is not None:
        moved = new_dates_within(scores, dates, ids, np.array(within))
        inside = (mean_gain(moved, dates, found), first_half_share(moved, found, start, end))
    return Comparison(
        orders=orders,
        within=inside,
        breakdowns={
            name: _groups(labels, scores, dates, ids, found)
            for name, labels in (breakdowns or {}).items()
        },
    )


def evaluate(
    table: Inspections, start: np.datetime64, end: np.datetime64, *, inspector: bool = True
) -> Report:
    """Train before ``start``, score ``start`` … ``end``, compare the orders.

    ``inspector=False`` trains without the inspector group (docs/targeting.md: why).
    """
    if table.outcome is None:
        raise TargetingError("evaluation needs the outcome column criticalFound")
    past, during = time_split(table.dates, start, end)
    period = table.take(during)
    if len(period) == 0:
        raise TargetingError(f"no inspections in the period {start} … {end}")
    history = table.take(past)
    if len(history) == 0:
        raise TargetingError(f"no inspections before the period start {start}: nothing to train")
    encoder = FeatureEncoder.fit(history, inspector=inspector)
    assert history.outcome is not None and period.outcome is not None
    model = train(encoder.transform(history), history.outcome, history.dates, encoder.names)
    found = period.outcome
    scores = model.predict(encoder.transform(period))
    areas = [z[:4] + "x" if len(z) >= 4 else "" for z in period.zips]
    compared = compare(
        scores,
        period.dates,
        period.ids,
        found,
        start,
        end,
        classes=risk_class(period.categorical["Risk"]),
        within=period.categorical["Inspector_Assigned"],
        breakdowns={"inspector": period.categorical["Inspector_Assigned"], "area": areas},
    )
    return Report(
        start=str(start),
        end=str(end),
        training=len(history),
        training_violations=int(history.outcome.sum()),
        inspections=len(period),
        violations=int(found.sum()),
        model=model,
        orders=compared.orders,
        within_inspector=compared.within or (0.0, 0.0),
        by_inspector=compared.breakdowns["inspector"],
        by_area=compared.breakdowns["area"],
    )
