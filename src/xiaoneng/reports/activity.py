"""Period report figures beyond inspections and cases: campaigns (篇1), product sampling (篇4)
and the three-level oversight (篇2: 痕迹监控, 所长抽查, 科室督办)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from xiaoneng.inspections.models import (
    Inspection,
    InspectionOfficer,
    Sample,
    SampleFollowUp,
    TraceFlag,
)
from xiaoneng.oversight.reviews.models import DirectorReview
from xiaoneng.oversight.supervision.models import SupervisionItem
from xiaoneng.planning.campaigns import services as campaigns
from xiaoneng.planning.patrol.models import Campaign, Task

if TYPE_CHECKING:
    from xiaoneng.reports.scope import Scope


def pass_rate(passed: int, failed: int) -> Decimal | None:
    """Pass rate in percent with one decimal (篇4: 合格率仅为63.3%); None before any result."""
    decided = passed + failed
    if not decided:
        return None
    return (Decimal(passed) * 100 / decided).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The moments from the start of ``start`` to the start of the day after ``end``, local."""
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    after = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return first, after


# Campaigns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Confiscated:
    """Goods of one name confiscated on a campaign's visits, added up in one measure."""

    item: str
    quantity: int
    measure: str

    def __str__(self) -> str:
        """违法印刷品广告500份."""
        return f"{self.item}{self.quantity}{self.measure}"


@dataclass
class CampaignRow:
    """A campaign running in the period, with its statistics in the reported subtree (篇1)."""

    pk: int
    title: str
    start_on: dt.date
    end_on: dt.date
    unit_name: str
    tasks: int = 0
    checked: int = 0
    violations: int = 0
    notices: int = 0
    officers: int = 0
    confiscated: list[Confiscated] = field(default_factory=list)


def _officers(scope: Scope, campaign: Campaign) -> int:
    """出动执法人员（人次）: the team of each signed inspection of the campaign's tasks, and
    the one officer of a task completed without an inspection record."""
    team = scope.filter(
        InspectionOfficer.objects.filter(
            inspection__task__plan_id=campaign.plan_id,
            inspection__status=Inspection.Status.SIGNED,
        ),
        "inspection__unit_id",
    ).count()
    recorded = Inspection.objects.filter(task_id=OuterRef("pk"), status=Inspection.Status.SIGNED)
    alone = scope.filter(
        Task.objects.filter(
            plan_id=campaign.plan_id, status=Task.Status.DONE, done_by__isnull=False
        ).filter(~Exists(recorded))
    ).count()
    return team + alone


def campaign_rows(scope: Scope, start: dt.date, end: dt.date) -> list[CampaignRow]:
    """Campaigns whose dates overlap the period and that led or had tasks in the subtree.

    The statistics are ``planning.campaigns.statistics`` (added up from the completed tasks),
    restricted to the subtree's units; they cover the whole campaign, not only the period.
    """
    found = (
        Campaign.objects.filter(start_on__lte=end, end_on__gte=start)
        .select_related("unit")
        .order_by("start_on", "id")
    )
    rows = []
    for campaign in found:
        stats = campaigns.statistics(campaign)
        mine = [r for r in stats.by_unit if scope.covers(r["unit_id"])]
        if not mine and not scope.covers(campaign.unit_id):
            continue
        confiscated = (
            scope.filter(
                Task.objects.filter(
                    plan_id=campaign.plan_id,
                    status=Task.Status.DONE,
                    items_confiscated_quantity__gt=0,
                ).exclude(items_confiscated="")
            )
            .order_by()
            # Per measure: 500份 and 12千克 of the same goods are two figures, never one.
            .values("items_confiscated", "items_confiscated_measure")
            .annotate(n=Sum("items_confiscated_quantity"))
            .order_by("-n", "items_confiscated", "items_confiscated_measure")
        )
        rows.append(
            CampaignRow(
                pk=campaign.pk,
                title=campaign.title,
                start_on=campaign.start_on,
                end_on=campaign.end_on,
                unit_name=campaign.unit.name,
                tasks=sum(r["tasks"] for r in mine),
                checked=sum(r["checked"] for r in mine),
                violations=sum(r["violations"] for r in mine),
                notices=sum(r["notices"] or 0 for r in mine),
                officers=_officers(scope, campaign),
                confiscated=[
                    Confiscated(c["items_confiscated"], c["n"], c["items_confiscated_measure"])
                    for c in confiscated
                ],
            )
        )
    return rows


# Product sampling -----------------------------------------------------------------------------


@dataclass
class CategoryRow:
    """Samples of one product category taken in the period: batches = passed + failed +
    pending (检验中, still at the laboratory)."""

    category: str
    batches: int = 0
    firms: int = 0
    passed: int = 0
    failed: int = 0
    pending: int = 0

    @property
    def rate(self) -> Decimal | None:
        return pass_rate(self.passed, self.failed)


@dataclass
class SamplingFigures:
    """Product quality spot checks of the period (篇4): batches, firms, results, follow-up.

    batches = passed + failed + pending; the pass rate counts only batches with a verdict."""

    batches: int = 0
    firms: int = 0
    passed: int = 0
    failed: int = 0
    pending: int = 0
    by_category: list[CategoryRow] = field(default_factory=list)
    follow_ups: int = 0
    follow_ups_closed: int = 0
    follow_ups_escalated: int = 0

    @property
    def rate(self) -> Decimal | None:
        return pass_rate(self.passed, self.failed)


def sampling_figures(scope: Scope, start: dt.date, end: dt.date) -> SamplingFigures:
    """Batches sampled in the period, their results by category, and their follow-ups."""
    samples = scope.filter(Sample.objects.filter(sampled_on__range=(start, end)))
    result = Sample.Result
    rows = (
        samples.order_by()
        .values("plan__category")
        .annotate(
            batches=Count("id"),
            firms=Count("firm_name", distinct=True),
            passed=Count("id", filter=Q(result=result.PASS)),
            failed=Count("id", filter=Q(result=result.FAIL)),
        )
        .order_by("-batches", "plan__category")
    )
    by_category = [
        CategoryRow(
            r["plan__category"],
            r["batches"],
            r["firms"],
            r["passed"],
            r["failed"],
            pending=r["batches"] - r["passed"] - r["failed"],
        )
        for r in rows
    ]
    figures = SamplingFigures(
        batches=sum(r.batches for r in by_category),
        passed=sum(r.passed for r in by_category),
        failed=sum(r.failed for r in by_category),
        pending=sum(r.pending for r in by_category),
        by_category=by_category,
    )
    if not figures.batches:
        return figures
    figures.firms = samples.aggregate(n=Count("firm_name", distinct=True))["n"]
    status = SampleFollowUp.Status
    follow_ups = scope.filter(
        SampleFollowUp.objects.filter(sample__sampled_on__range=(start, end))
    ).aggregate(
        n=Count("id"),
        closed=Count("id", filter=Q(status=status.CLOSED)),
        escalated=Count("id", filter=Q(status=status.ESCALATED)),
    )
    figures.follow_ups = follow_ups["n"]
    figures.follow_ups_closed = follow_ups["closed"]
    figures.follow_ups_escalated = follow_ups["escalated"]
    return figures


# Three-level oversight ------------------------------------------------------------------------


@dataclass
class OversightFigures:
    """Trace flags raised, director reviews done and supervision items issued in the period."""

    flags_raised: int = 0
    flags_by_kind: dict[str, int] = field(default_factory=dict)
    flags_confirmed: int = 0
    flags_cleared: int = 0
    flags_open: int = 0
    reviews_done: int = 0
    reviews_problem: int = 0
    supervision_issued: int = 0
    supervision_closed: int = 0
    supervision_overdue: int = 0


def oversight_figures(
    scope: Scope, start: dt.date, end: dt.date, today: dt.date
) -> OversightFigures:
    """痕迹监控, 所长抽查 and 科室督办 of the period, each one aggregate query."""
    first, after = day_bounds(start, end)
    flag = TraceFlag.Status
    flags = scope.filter(TraceFlag.objects.filter(raised_at__gte=first, raised_at__lt=after))
    kinds = {f"kind_{k}": Count("id", filter=Q(kind=k)) for k in TraceFlag.Kind.values}
    counted = flags.aggregate(
        confirmed=Count("id", filter=Q(status=flag.CONFIRMED)),
        cleared=Count("id", filter=Q(status=flag.CLEARED)),
        open=Count("id", filter=Q(status=flag.OPEN)),
        **kinds,
    )
    figures = OversightFigures(
        flags_by_kind={k: counted[f"kind_{k}"] for k in TraceFlag.Kind.values},
        flags_confirmed=counted["confirmed"],
        flags_cleared=counted["cleared"],
        flags_open=counted["open"],
    )
    figures.flags_raised = sum(figures.flags_by_kind.values())
    review = DirectorReview.Status
    reviews = scope.filter(
        DirectorReview.objects.filter(reviewed_at__gte=first, reviewed_at__lt=after).exclude(
            status=review.PENDING
        )
    ).aggregate(done=Count("id"), problem=Count("id", filter=Q(status=review.PROBLEM)))
    figures.reviews_done = reviews["done"]
    figures.reviews_problem = reviews["problem"]
    item = SupervisionItem.Status
    items = scope.filter(SupervisionItem.objects.filter(issued_on__range=(start, end))).aggregate(
        issued=Count("id"),
        closed=Count("id", filter=Q(status=item.CLOSED)),
        overdue=Count("id", filter=Q(status__in=[item.OPEN, item.RETURNED], deadline__lt=today)),
    )
    figures.supervision_issued = items["issued"]
    figures.supervision_closed = items["closed"]
    figures.supervision_overdue = items["overdue"]
    return figures
