"""Period reports (篇2): the figures of a unit's subtree over a period, from database aggregates.

Every figure is a few aggregate queries on indexed date columns — ``Inspection(visited_on,
status)``, ``Case(filed_on, unit)``, ``Collection(collected_on, unit)`` — never rows loaded
one by one, so a report over a million inspections takes seconds. Figures of records whose
status moves on (rectifications, trace flags, follow-ups) count them as they stand on the day
the report is made. This module holds the inspection figures, the annual targets and the
report itself; case figures are in ``reports.case_figures``, the others in
``reports.activity``. The sentences are written from these figures by ``report_text``; the
exports by ``report_export``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.cases.models import Target, TargetMetric
from xiaoneng.core.errors import InvalidInput
from xiaoneng.inspections.followup.figures import standings
from xiaoneng.inspections.models import (
    ExitCheck,
    Finding,
    Inspection,
    InspectionKind,
    Rectification,
    Sample,
    Severity,
    UnlicensedOperator,
)
from xiaoneng.org.models import Officer, Unit
from xiaoneng.reports.activity import (
    CampaignRow,
    OversightFigures,
    SamplingFigures,
    campaign_rows,
    oversight_figures,
    sampling_figures,
)
from xiaoneng.reports.case_figures import (
    CaseFigures,
    TargetProgress,
    case_figures,
    collected_in,
    filed_in,
    money,
    percent,
)
from xiaoneng.reports.scope import Scope, period_errors, report_scope


@dataclass
class InspectionFigures:
    """Signed inspections of the period and what followed them (篇7)."""

    signed: int = 0
    onsite: int = 0
    documentary: int = 0
    by_origin: dict[str, int] = field(default_factory=dict)
    entities: int = 0
    with_problems: int = 0
    findings: int = 0
    findings_by_severity: dict[str, int] = field(default_factory=dict)
    # Orders issued in the period, by where they stand on the day of the report
    # (followup.figures): rectified + escalated + overdue + in_time = rectifications, and
    # warned (逾期已警示) is a part of overdue.
    rectifications: int = 0
    rectified: int = 0
    escalated: int = 0
    overdue: int = 0
    warned: int = 0
    in_time: int = 0
    unlicensed: int = 0
    unlicensed_licensed: int = 0
    unlicensed_ceased: int = 0
    exit_found: int = 0


@dataclass
class PeriodReport:
    """Everything a period report says, for one unit's subtree."""

    start: dt.date
    end: dt.date
    unit_code: str
    unit_name: str
    made_on: dt.date
    inspections: InspectionFigures
    cases: CaseFigures
    campaigns: list[CampaignRow]
    sampling: SamplingFigures
    oversight: OversightFigures


def inspection_figures(
    scope: Scope, start: dt.date, end: dt.date, today: dt.date
) -> InspectionFigures:
    """Signed inspections (amendments not counted again), findings and rectification orders."""
    signed = scope.filter(
        Inspection.objects.filter(
            visited_on__range=(start, end),
            status=Inspection.Status.SIGNED,
            amends__isnull=True,
        )
    )
    origins = {f"origin_{o}": Count("id", filter=Q(origin=o)) for o in Inspection.Origin.values}
    counts: dict[str, Any] = {
        "signed": Count("id"),
        "onsite": Count("id", filter=Q(kind=InspectionKind.ONSITE)),
        "documentary": Count("id", filter=Q(kind=InspectionKind.DOCUMENTARY)),
        "with_problems": Count("id", filter=Q(items_failed__gt=0)),
        **origins,
    }
    # SQLite reads the rows once for all the counts and the distinct entities; PostgreSQL
    # counts the others in parallel workers, which a DISTINCT aggregate would forbid.
    together = connection.vendor != "postgresql"
    if together:
        counts["entities"] = Count("entity_id", distinct=True)
    counted = signed.aggregate(**counts)
    figures = InspectionFigures(
        signed=counted["signed"],
        onsite=counted["onsite"],
        documentary=counted["documentary"],
        with_problems=counted["with_problems"],
        by_origin={o: counted[f"origin_{o}"] for o in Inspection.Origin.values},
        entities=counted.get("entities", 0),
    )
    if figures.signed and not together:
        figures.entities = signed.aggregate(n=Count("entity_id", distinct=True))["n"]
    findings = scope.filter(Finding.objects.filter(found_on__range=(start, end)))
    severity = findings.aggregate(**{s: Count("id", filter=Q(severity=s)) for s in Severity.values})
    figures.findings_by_severity = severity
    figures.findings = sum(severity.values())
    # Where the orders of the period stand on the day of the report: the leader's view and
    # the order list count with the same definition (followup.figures).
    orders = standings(
        scope.filter(Rectification.objects.filter(issued_on__range=(start, end))), today
    )
    figures.rectifications = orders.issued
    figures.rectified = orders.rectified
    figures.escalated = orders.escalated
    figures.overdue = orders.overdue
    figures.warned = orders.warned
    figures.in_time = orders.in_time
    operators = scope.filter(UnlicensedOperator.objects.filter(found_on__range=(start, end)))
    unlicensed = operators.aggregate(
        found=Count("id"),
        licensed=Count("id", filter=Q(status=UnlicensedOperator.Status.LICENSED)),
        ceased=Count("id", filter=Q(status=UnlicensedOperator.Status.CEASED)),
    )
    figures.unlicensed = unlicensed["found"]
    figures.unlicensed_licensed = unlicensed["licensed"]
    figures.unlicensed_ceased = unlicensed["ceased"]
    figures.exit_found = scope.filter(
        ExitCheck.objects.filter(found_on__range=(start, end))
    ).count()
    return figures


# What each target metric counts from 1 January to the period's end, and how it is labelled.
TARGET_LABELS = {
    TargetMetric.FINES_COLLECTED: gettext_lazy("罚没款入库"),
    TargetMetric.CASES: gettext_lazy("立案数"),
    TargetMetric.MAJOR_CASES: gettext_lazy("大要案数"),
    TargetMetric.CASE_VALUE: gettext_lazy("案值"),
    TargetMetric.INSPECTIONS: gettext_lazy("检查户次"),
    TargetMetric.SAMPLES: gettext_lazy("监督抽查批次"),
}


def _achieved(scope: Scope, metrics: set[str], first: dt.date, end: dt.date) -> dict[str, Any]:
    """What each metric achieved from ``first`` (1 January) to ``end``."""
    done: dict[str, Any] = {}
    if TargetMetric.FINES_COLLECTED in metrics:
        total = collected_in(scope, first, end).aggregate(total=Sum("amount"))["total"]
        done[TargetMetric.FINES_COLLECTED] = money(total)
    if metrics & {TargetMetric.CASES, TargetMetric.MAJOR_CASES, TargetMetric.CASE_VALUE}:
        cases = filed_in(scope, first, end).aggregate(
            n=Count("id"), major=Count("id", filter=Q(major=True)), value=Sum("case_value")
        )
        done[TargetMetric.CASES] = cases["n"]
        done[TargetMetric.MAJOR_CASES] = cases["major"]
        done[TargetMetric.CASE_VALUE] = money(cases["value"])
    if TargetMetric.INSPECTIONS in metrics:
        done[TargetMetric.INSPECTIONS] = scope.filter(
            Inspection.objects.filter(
                visited_on__range=(first, end),
                status=Inspection.Status.SIGNED,
                amends__isnull=True,
            )
        ).count()
    if TargetMetric.SAMPLES in metrics:
        done[TargetMetric.SAMPLES] = scope.filter(
            Sample.objects.filter(sampled_on__range=(first, end))
        ).count()
    return done


def targets(
    scope: Scope,
    start: dt.date,
    end: dt.date,
    figures: CaseFigures,
    inspections: InspectionFigures,
    samples: int,
) -> list[TargetProgress]:
    """Completion of the unit's annual targets, when the period lies within one year.

    篇2: 罚没款入库154.22万元，完成全年目标的128% — what was achieved from 1 January up to
    the period's end, over the year's target, in whole percent.
    """
    if scope.unit is None or start.year != end.year:
        return []
    found = {t.metric: t.value for t in Target.objects.filter(unit=scope.unit, year=start.year)}
    if not found:
        return []
    first = dt.date(start.year, 1, 1)
    if start == first:
        # The period begins on 1 January: its own figures are the year's so far.
        done: dict[str, Any] = {
            TargetMetric.FINES_COLLECTED: figures.collected,
            TargetMetric.CASES: figures.filed,
            TargetMetric.MAJOR_CASES: figures.major,
            TargetMetric.CASE_VALUE: figures.value,
            TargetMetric.INSPECTIONS: inspections.signed,
            TargetMetric.SAMPLES: samples,
        }
    else:
        done = _achieved(scope, set(found), first, end)
    progress = []
    for metric in TARGET_LABELS:
        if metric not in found or metric not in done:
            continue
        target, achieved = found[metric], Decimal(done[metric])
        progress.append(
            TargetProgress(
                metric=str(metric),
                label=str(TARGET_LABELS[metric]),
                year=start.year,
                target=target,
                achieved=achieved,
                rate=percent(achieved, target),
            )
        )
    return progress


def period_report(
    *,
    start: dt.date,
    end: dt.date,
    unit: Unit | None,
    user: Officer | None,
    today: dt.date | None = None,
) -> PeriodReport:
    """The figures of ``unit``'s subtree (default: the user's whole scope) from ``start`` to
    ``end`` inclusive, as ``user`` may see them; ``user`` None reports as an administrator.

    Refused: ``end`` before ``start`` or a period over three years (InvalidInput on ``to``),
    a unit outside the user's scope (NotPermitted on ``unit``).
    """
    errors = period_errors(start, end)
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    today = today or timezone.localdate()
    scope = report_scope(unit=unit, user=user)
    inspections = inspection_figures(scope, start, end, today)
    cases = case_figures(scope, start, end)
    sampling = sampling_figures(scope, start, end)
    cases.targets = targets(scope, start, end, cases, inspections, sampling.batches)
    return PeriodReport(
        start=start,
        end=end,
        unit_code=scope.unit.code if scope.unit else "",
        unit_name=scope.unit.name if scope.unit else _("全部单位"),
        made_on=today,
        inspections=inspections,
        cases=cases,
        campaigns=campaign_rows(scope, start, end),
        sampling=sampling,
        oversight=oversight_figures(scope, start, end, today),
    )
