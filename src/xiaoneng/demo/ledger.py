"""The demo county's resource ledger (资源消耗登记台帐, 篇5) over its year: a share of the
officers' patrol days, every campaign's participating units, some draws and cases, and the
year's quotas (定额) — with a couple of campaign entries of large inputs and few outputs, so
that the efficiency page has 运动式执法 to show, and a few entries over their quotas.

Only inputs are written: the outputs are computed from the inspections and cases already
built. Every entry lies within its activity and the demo's year (no entry before its activity
started, none after today), and the consistency test runs the ledger's own checks on each.
The demo stands beside ``reports`` (the import contract keeps the two apart), so the ledger's
tables are taken by their app label, not imported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
from django.apps import apps
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from xiaoneng.cases.models import Case
from xiaoneng.core import audit
from xiaoneng.core.models import AuditEvent
from xiaoneng.demo.days import local_moment
from xiaoneng.demo.org import Organisation
from xiaoneng.inspections.models import Inspection
from xiaoneng.org.models import Officer, Role
from xiaoneng.planning.draws.models import RandomDraw
from xiaoneng.planning.patrol.models import Campaign, Task

PATROL_SHARE = 0.35  # of the officers' days with a patrol visit, registered in the ledger
DRAW_SHARE = 0.7
CASE_SHARE = 0.3
WASTEFUL = 2  # campaign entries given large inputs for few visits (运动式执法)
QUOTAS: dict[str, dict[str, str]] = {
    "patrol_day": {"hours_per_inspection": "8", "kilometres_per_inspection": "60"},
    "campaign": {"money_per_inspection": "400", "hours_per_inspection": "16"},
    "draw": {"hours_per_inspection": "6", "money_per_inspection": "150"},
    "case": {"money_per_activity": "1500"},
}
QUOTA_NOTE = "县局行政支出定额管理办法"


def _entry(**values: Any) -> Any:
    return apps.get_model("ledger", "LedgerEntry")(**values)


def _moment(day: dt.date, now: dt.datetime) -> dt.datetime:
    """The evening of ``day`` when it was registered, never after now."""
    return min(local_moment(day, 18), now)


def _patrol_days(
    rng: np.random.Generator, organisation: Organisation, start: dt.date, today: dt.date
) -> list[Any]:
    """A share of the days on which a station officer led a patrol visit in their station."""
    stations = {s.pk for s in organisation.stations}
    days = (
        Inspection.objects.filter(
            status=Inspection.Status.SIGNED,
            amends__isnull=True,
            visited_on__range=(start, today),
            lead_officer__unit__in=stations,
        )
        .exclude(origin__in=(Inspection.Origin.CAMPAIGN, Inspection.Origin.DRAW))
        .values_list("lead_officer_id", "lead_officer__unit_id", "visited_on", "unit_id")
        .order_by("lead_officer_id", "visited_on")
        .distinct()
    )
    pairs = sorted({(o, u, d) for o, u, d, visited in days if visited == u})
    chosen = rng.random(len(pairs)) < PATROL_SHARE
    entries = []
    for (officer, unit, day), take in zip(pairs, chosen.tolist(), strict=True):
        if not take:
            continue
        people = 2 if rng.random() < 0.15 else 1
        hours = Decimal(int(rng.integers(8, 17))) / 2 * people
        car = rng.random() < 0.4
        km = Decimal(int(rng.integers(20, 81))) if car else Decimal(0)
        money = Decimal(int(rng.integers(0, 31))) + (km * Decimal("0.8") if car else 0)
        entries.append(
            _entry(
                unit_id=unit,
                kind="patrol_day",
                officer_id=officer,
                started_on=day,
                ended_on=day,
                officers=people,
                person_hours=hours,
                vehicles=int(car),
                kilometres=km,
                money=money.quantize(Decimal("0.01")),
                recorded_by_id=organisation.directors.get(unit),
            )
        )
    return entries


def _campaigns(rng: np.random.Generator, today: dt.date) -> list[Any]:
    """One entry per participating unit of each campaign begun, the organiser's included."""
    entries = []
    station_entries: list[tuple[int, Any]] = []
    for campaign in Campaign.objects.filter(start_on__lte=today).order_by("start_on", "pk"):
        end = min(campaign.end_on, today)
        days = (end - campaign.start_on).days + 1
        done = dict(
            Task.objects.filter(plan_id=campaign.plan_id, status=Task.Status.DONE)
            .order_by()
            .values_list("unit_id")
            .annotate(n=Count("id"))
        )
        units = sorted(
            set(Task.objects.filter(plan_id=campaign.plan_id).values_list("unit_id", flat=True))
        )
        for unit in [campaign.unit_id, *[u for u in units if u != campaign.unit_id]]:
            organiser = unit == campaign.unit_id
            people = int(rng.integers(3, 9) if organiser else rng.integers(6, 21))
            active = min(days, int(rng.integers(2, 7)))
            vehicles = 0 if organiser else int(rng.integers(1, 5))
            helpers = int(rng.integers(0, 4))
            entry = _entry(
                unit_id=unit,
                kind="campaign",
                campaign_id=campaign.pk,
                started_on=campaign.start_on,
                ended_on=end,
                officers=people,
                person_hours=Decimal(people * active * int(rng.integers(4, 8))),
                vehicles=vehicles,
                kilometres=Decimal(vehicles * int(rng.integers(40, 121))),
                money=Decimal(
                    int(rng.integers(800, 3001) if organiser else rng.integers(500, 5001))
                ),
                other_resources=f"借调社会力量 {helpers} 人" if helpers and not organiser else "",
                note="宣传资料印制、快检试剂" if not organiser else "方案制定、宣传发动",
            )
            entries.append(entry)
            if not organiser:
                station_entries.append((done.get(unit, 0), entry))
    # 运动式执法: the units that checked least are given the largest turnout.
    for _done, entry in sorted(station_entries, key=lambda p: (p[0], p[1].started_on))[:WASTEFUL]:
        days = (entry.ended_on - entry.started_on).days + 1
        entry.officers = 30
        entry.person_hours = Decimal(30 * min(days, 5) * 8)
        entry.vehicles, entry.kilometres = 8, Decimal(8 * 150)
        entry.money = Decimal(12000)
        entry.note = "集中统一行动，全员出动"
    return entries


def _draws(rng: np.random.Generator, today: dt.date) -> list[Any]:
    """The division's entry of some of the draws drawn, from the day after the draw."""
    entries = []
    for draw in RandomDraw.objects.filter(drawn_at__isnull=False).order_by("drawn_at", "pk"):
        assert draw.drawn_at is not None
        first = timezone.localdate(draw.drawn_at) + dt.timedelta(days=1)
        end = min(draw.inspections_end, today)
        if rng.random() >= DRAW_SHARE or first > end:
            continue
        people = min(max(draw.selected_count // 3, 2), 12)
        vehicles = int(rng.integers(1, 4))
        entries.append(
            _entry(
                unit_id=draw.unit_id,
                kind="draw",
                draw_id=draw.pk,
                started_on=first,
                ended_on=end,
                officers=people,
                person_hours=Decimal(max(draw.selected_count, 1) * int(rng.integers(2, 6))),
                vehicles=vehicles,
                kilometres=Decimal(vehicles * int(rng.integers(30, 151))),
                money=Decimal(int(rng.integers(200, 1501))),
                note="抽查结果公示、文书印制",
            )
        )
    return entries


def _cases(rng: np.random.Generator, today: dt.date) -> list[Any]:
    """Some filed cases' investigations, from the lead's registration."""
    entries = []
    filed = Case.objects.filter(filed_on__isnull=False, received_on__lte=today).exclude(
        status=Case.Status.WITHDRAWN
    )
    for case in filed.order_by("received_on", "pk"):
        if rng.random() >= CASE_SHARE:
            continue
        last = case.closed_on or case.decided_on or case.received_on + dt.timedelta(days=30)
        end = min(max(last, case.received_on), today)
        car = rng.random() < 0.5
        entries.append(
            _entry(
                unit_id=case.unit_id,
                kind="case",
                case_id=case.pk,
                started_on=case.received_on,
                ended_on=end,
                officers=2,
                person_hours=Decimal(int(rng.integers(8, 41))),
                vehicles=int(car),
                kilometres=Decimal(int(rng.integers(10, 120))) if car else Decimal(0),
                money=Decimal(int(rng.integers(50, 2001))),
                note="调查取证、检验鉴定",
            )
        )
    return entries


def _quotas(years: set[int], actor: Officer | None, now: dt.datetime) -> list[Any]:
    quota = apps.get_model("ledger", "Quota")
    return [
        quota(
            year=year,
            kind=kind,
            note=QUOTA_NOTE,
            set_by=actor,
            set_at=now,
            **{name: Decimal(value) for name, value in limits.items()},
        )
        for year in sorted(years)
        for kind, limits in QUOTAS.items()
    ]


def build_ledger(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> None:
    """The year's ledger entries and quotas, written in bulk with their trace."""
    today = timezone.localdate(now)
    start = today - dt.timedelta(days=364)
    staff = (
        Officer.objects.filter(roles__code=Role.DIVISION_STAFF, is_active=True)
        .order_by("pk")
        .first()
    )
    entries = _patrol_days(rng, organisation, start, today)
    others = _campaigns(rng, today) + _draws(rng, today) + _cases(rng, today)
    for entry in others:
        entry.recorded_by = staff
    entries += others
    for entry in entries:
        entry.recorded_at = entry.updated_at = _moment(entry.ended_on, now)
    quotas = _quotas({start.year, today.year}, staff, now)
    model = apps.get_model("ledger", "LedgerEntry")
    with transaction.atomic(), audit.acting_as(staff, source=AuditEvent.Source.IMPORT):
        written = model.objects.bulk_create(entries, batch_size=2000)
        saved = apps.get_model("ledger", "Quota").objects.bulk_create(quotas)
        audit.record_many(
            [
                (row, AuditEvent.Action.CREATE, audit.created_changes(row))
                for row in written + saved
            ],
            at=now,
        )
    progress(f"资源消耗台帐：{len(written)} 项登记，{len(saved)} 项定额")
