"""Integrity indicator: false inspections (虚假检查, 篇7: 虚假检查或在检查过程中弄虚作假的行为，
一旦查实要严肃处理) per hundred inspections.

The trace checks (``inspections.trace``) raise flags on signed inspections; a reviewer clears a
flag (排除) or confirms it (属实). Only a confirmed flag counts: an open or cleared one is a doubt,
not a finding. The inspections counted are the signed records (not their amendments, as the
targets and the period report count them) the subject led and dated in the period; of them, those
with at least one confirmed flag are false. An inspection with two confirmed flags is one false
inspection. The flag is kept with the inspection's period, so a flag confirmed later still lowers
the period the inspection belongs to (its score can change until the period's flags are resolved).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core import arrays
from xiaoneng.inspections.records.models import Inspection, TraceFlag
from xiaoneng.reports.assessment.catalogue import (
    LOWER,
    OFFICER,
    STATION,
    Indicator,
    Measure,
    RecordRow,
    percent,
    register,
)
from xiaoneng.reports.assessment.measures.followup import grouped, no_data, owned
from xiaoneng.reports.assessment.periods import Period

INSPECTIONS = ("lead_officer_id", "unit_id")


def _signed(period: Period) -> QuerySet[Inspection]:
    """The signed inspections of the period, amendments left out."""
    signed = Inspection.objects.filter(status=Inspection.Status.SIGNED, amends__isnull=True)
    return arrays.between_days(signed, "visited_on", period.start, period.end)


def _false(period: Period) -> QuerySet[Inspection]:
    """The period's signed inspections with a confirmed flag.

    Driven from the flags (few) rather than the inspections (a million a year): a flag is raised
    after its inspection, so only flags raised since the period began (a day earlier, for the
    time zone) can be on it.
    """
    since = timezone.make_aware(dt.datetime.combine(period.start - dt.timedelta(days=1), dt.time()))
    flagged = TraceFlag.objects.filter(
        status=TraceFlag.Status.CONFIRMED, raised_at__gte=since
    ).values("inspection_id")
    return _signed(period).filter(pk__in=flagged)


def false_measure(kind: str, subject_ids: Sequence[int], period: Period) -> dict[int, Measure]:
    # Two grouped counts rather than a flag lookup per inspection: flags are few, inspections
    # a million a year.
    signed = grouped(_signed(period), kind, subject_ids, INSPECTIONS, {"n": Count("id")})
    false = grouped(_false(period), kind, subject_ids, INSPECTIONS, {"n": Count("id")})
    result = {}
    for sid in subject_ids:
        total, found = signed[sid]["n"], false[sid]["n"]
        if not total:
            result[sid] = no_data(_("本期无已签名的检查记录"))
            continue
        value = percent(found, total)
        detail = _(
            "本期检查%(signed)d户次，经核实属实的虚假检查%(false)d户次，每百次%(rate)s次"
        ) % {"signed": total, "false": found, "rate": value}
        result[sid] = Measure(value, found, total, detail)
    return result


def false_records(kind: str, subject_id: int, period: Period) -> list[RecordRow]:
    inspections = owned(_signed(period), kind, subject_id, INSPECTIONS)
    flags: dict[int, list[str]] = {}
    confirmed = TraceFlag.objects.filter(
        status=TraceFlag.Status.CONFIRMED, inspection__in=_false(period).filter(pk__in=inspections)
    )
    for flag in confirmed.order_by("id"):
        flags.setdefault(flag.inspection_id, []).append(str(flag.get_kind_display()))
    rows = []
    for inspection in inspections.select_related("entity").order_by("-visited_on", "-id"):
        is_false = inspection.pk in flags
        state = (
            _("疑点属实：%(kinds)s") % {"kinds": "、".join(flags[inspection.pk])}
            if is_false
            else _("已签名")
        )
        rows.append(
            RecordRow(
                day=inspection.visited_on,
                kind=_("检查记录"),
                title=inspection.entity.name,
                state=state,
                url=reverse("inspections:inspection_detail", args=[inspection.pk]),
                counts="numerator" if is_false else "denominator",
            )
        )
    return rows


register(
    Indicator(
        code="false_inspections",
        label=gettext_lazy("虚假检查"),
        unit="件/百次",
        direction=LOWER,
        subjects=(OFFICER, STATION),
        target=Decimal(0),
        floor=Decimal(2),
        definition=gettext_lazy(
            "本期（检查日期在本期）已签名的检查记录中，痕迹疑点经核实属实的检查户次，每百次计；"
            "按主查人和检查单位计，已排除或待核实的疑点不计。"
        ),
        measure=false_measure,
        records=false_records,
    )
)
