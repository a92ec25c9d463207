"""Case indicators: cases filed and fines collected against the station's annual targets
(立案目标完成率, 罚没款入库目标完成率), and the cases an officer handles (办案数).

What counts as a filed case is ``cases.targets.services.filed_cases`` (filed in the period, not
withdrawn), the definition the targets page and the period report count with; money collected
is ``Collection.amount`` by ``collected_on``, as there. ``achieved`` and ``completion`` there
read one unit over a whole year; here the same records are counted over the period for every
station at once, and the annual target is prorated to the period's days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.cases.models import Case, Collection, Target, TargetMetric
from xiaoneng.cases.targets.services import filed_cases, format_value
from xiaoneng.reports.assessment.catalogue import (
    HIGHER,
    OFFICER,
    STATION,
    Indicator,
    Measure,
    RecordRow,
    percent,
    ratio,
    register,
    rounded,
)
from xiaoneng.reports.assessment.measures.followup import grouped, no_data, owned
from xiaoneng.reports.assessment.periods import Period

CASES = ("handler_id", "unit_id")
COLLECTIONS = ("case__handler_id", "unit_id")
HANDLED_PER_YEAR = Decimal(6)


def year_share(period: Period) -> Decimal:
    """The period's days over its year's days: a month of 2026 is 30/365 or 31/365."""
    year = period.start.year
    days = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
    return Decimal(period.days()) / Decimal(days)


def prorated_targets(metric: str, unit_ids: Sequence[int], period: Period) -> dict[int, Decimal]:
    """Each unit's target of ``metric`` for the period's year times the period's share of it;
    a unit without a target is left out."""
    targets = Target.objects.filter(unit_id__in=unit_ids, year=period.start.year, metric=metric)
    share = year_share(period)
    return {t.unit_id: rounded(t.value * share) for t in targets}


def _target_measures(
    metric: str,
    achieved: dict[int, Decimal],
    targets: dict[int, Decimal],
    subject_ids: Sequence[int],
) -> dict[int, Measure]:
    result = {}
    for sid in subject_ids:
        target = targets.get(sid)
        if not target:
            result[sid] = no_data(_("本单位未设定本年度%(label)s目标") % {"label": _label(metric)})
            continue
        done = achieved[sid]
        detail = _("%(label)s%(done)s，全年目标按本期折算为%(target)s") % {
            "label": _label(metric),
            "done": format_value(metric, done),
            "target": _target_text(metric, target),
        }
        result[sid] = Measure(percent(done, target), done, target, detail)
    return result


def _label(metric: str) -> str:
    return str(TargetMetric(metric).label).split("（")[0]


def _target_text(metric: str, target: Decimal) -> str:
    if metric == TargetMetric.CASES:
        return _("%(n)s起") % {"n": target}
    return format_value(metric, target)


# 立案目标完成率 ---------------------------------------------------------------------------


def cases_measure(kind: str, subject_ids: Sequence[int], period: Period) -> dict[int, Measure]:
    filed = grouped(
        filed_cases(period.start, period.end), kind, subject_ids, CASES, {"n": Count("id")}
    )
    achieved = {sid: Decimal(c["n"]) for sid, c in filed.items()}
    targets = prorated_targets(TargetMetric.CASES, subject_ids, period)
    return _target_measures(TargetMetric.CASES, achieved, targets, subject_ids)


def _case_rows(cases: QuerySet[Case]) -> list[RecordRow]:
    return [
        RecordRow(
            day=case.filed_on,
            kind=_("案件"),
            title=f"{case.number} {case.title}",
            state=str(case.get_status_display()),
            url=reverse("cases:case_detail", args=[case.pk]),
            counts="numerator",
        )
        for case in cases.order_by("-filed_on", "-id")
    ]


def cases_records(kind: str, subject_id: int, period: Period) -> list[RecordRow]:
    return _case_rows(owned(filed_cases(period.start, period.end), kind, subject_id, CASES))


# 罚没款入库目标完成率 -----------------------------------------------------------------------


def _collected(period: Period) -> QuerySet[Collection]:
    return Collection.objects.filter(collected_on__range=(period.start, period.end))


def fines_measure(kind: str, subject_ids: Sequence[int], period: Period) -> dict[int, Measure]:
    sums = grouped(_collected(period), kind, subject_ids, COLLECTIONS, {"yuan": Sum("amount")})
    achieved = {sid: Decimal(c["yuan"]) for sid, c in sums.items()}
    targets = prorated_targets(TargetMetric.FINES_COLLECTED, subject_ids, period)
    return _target_measures(TargetMetric.FINES_COLLECTED, achieved, targets, subject_ids)


def fines_records(kind: str, subject_id: int, period: Period) -> list[RecordRow]:
    collections = owned(_collected(period), kind, subject_id, COLLECTIONS).select_related("case")
    return [
        RecordRow(
            day=c.collected_on,
            kind=_("罚没款入库"),
            title=f"{c.case.number} {c.case.title}",
            state=_("%(kind)s%(amount)s元") % {"kind": c.get_kind_display(), "amount": c.amount},
            url=reverse("cases:case_detail", args=[c.case_id]),
            counts="numerator",
        )
        for c in collections.order_by("-collected_on", "-id")
    ]


# 办案数 -----------------------------------------------------------------------------------


def handled_measure(kind: str, subject_ids: Sequence[int], period: Period) -> dict[int, Measure]:
    filed = grouped(
        filed_cases(period.start, period.end), kind, subject_ids, CASES, {"n": Count("id")}
    )
    share = year_share(period)
    result = {}
    for sid, c in filed.items():
        yearly = ratio(Decimal(c["n"]), share)
        detail = _("本期承办立案案件%(n)d起，折合全年%(yearly)s起") % {
            "n": c["n"],
            "yearly": yearly,
        }
        result[sid] = Measure(yearly, c["n"], None, detail)
    return result


def handled_records(kind: str, subject_id: int, period: Period) -> list[RecordRow]:
    return _case_rows(owned(filed_cases(period.start, period.end), kind, subject_id, CASES))


register(
    Indicator(
        code="cases_target",
        label=gettext_lazy("立案目标完成率"),
        unit="%",
        direction=HIGHER,
        subjects=(STATION,),
        target=Decimal(100),
        floor=Decimal(50),
        definition=gettext_lazy(
            "本期立案（立案日期在本期、未撤销）的案件数，占本单位本年度立案目标按本期天数折算数的比例；"
            "案件按承办单位及其下级单位计，未设目标为无数据。"
        ),
        measure=cases_measure,
        records=cases_records,
    )
)

register(
    Indicator(
        code="fines_target",
        label=gettext_lazy("罚没款入库目标完成率"),
        unit="%",
        direction=HIGHER,
        subjects=(STATION,),
        target=Decimal(100),
        floor=Decimal(50),
        definition=gettext_lazy(
            "本期入库（入库日期在本期）的罚没款，占本单位本年度罚没款入库目标按本期天数折算数的比例；"
            "按案件承办单位及其下级单位计，未设目标为无数据。"
        ),
        measure=fines_measure,
        records=fines_records,
    )
)

register(
    Indicator(
        code="cases_handled",
        label=gettext_lazy("办案数"),
        unit="件/年",
        direction=HIGHER,
        subjects=(OFFICER,),
        target=HANDLED_PER_YEAR,
        floor=Decimal(0),
        definition=gettext_lazy(
            "本人作为主办人承办、本期立案且未撤销的案件数，按本期天数折合为全年数（目标每年6起）。"
        ),
        measure=handled_measure,
        records=handled_records,
    )
)
