"""The database the load benchmark's servers share, and what its clients need to know of it.

The register is ``entities.py``'s bulk fill (six stations, 73 grids); beside it, the people the
clients act as: a bureau leader and the director of the busiest station (sessions created in the
database, as a log-in would: the login throttle would refuse hundreds of log-ins from one
address, and logging in is not what is measured), grid officers of that station with API tokens
(``xiaoneng token create``'s service) and one draft inspection for every client that saves.

Used by ``bench_load``; not a benchmark itself (``run.py`` names the scripts it runs).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import common
from common import say, timed
from entities import analyze, entity_columns, write_entities

# Grid officers saving drafts: each holds an API token and DRAFTS // OFFICERS drafts.
OFFICERS = 50
DRAFTS = 300
CHECKLIST_ITEMS = 8
# Entities whose dossiers the clients open (in the director's station: seen by both users).
DOSSIERS = 500


@dataclass
class World:
    """What the client process needs: cookies, tokens, drafts and the paths to ask for."""

    leader_sessions: list[str]
    director_sessions: list[str]
    tokens: list[str]
    # (inspection id, token index, checklist item ids)
    drafts: list[tuple[int, int, list[int]]]
    usccs: list[str]
    grid: str
    entities: int

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), ensure_ascii=False))

    @classmethod
    def load(cls, path: Path) -> World:
        return cls(**json.loads(path.read_text()))


def fill(count: int) -> None:
    """The register, written in bulk, and the statistics the planner needs."""
    from django.db import transaction

    with transaction.atomic():
        organisation = common.build_organisation(73, stations=6)
    spent, columns = timed(lambda: entity_columns(count, organisation, seed=1))
    say(f"generated {count:,} entities in {spent:.1f} s")
    written, _ = timed(lambda: write_entities(columns))
    analysed, _ = timed(analyze)
    say(f"wrote {count:,} entities in {written:.0f} s; VACUUM ANALYZE {analysed:.1f} s")


def _busiest_station() -> Any:
    from django.db.models import Count

    from xiaoneng.org.models import Unit
    from xiaoneng.registry.models import Entity

    busiest = (
        Entity.objects.filter(unit__kind=Unit.Kind.STATION)
        .values("unit")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None, "the register is empty"
    return Unit.objects.get(pk=busiest["unit"])


def _sessions(user: Any, count: int) -> list[str]:
    """``count`` sessions of ``user`` stored in the database, as many log-ins would leave."""
    from django.test import Client

    keys = []
    for _ in range(count):
        client = Client()
        client.force_login(user)
        keys.append(client.cookies["sessionid"].value)
    return keys


def _checklist() -> tuple[Any, list[int]]:
    import datetime as dt

    from xiaoneng.inspections.models import Checklist, ChecklistItem

    checklist = Checklist.objects.create(
        code="load",
        version=1,
        title="负载测试检查清单",
        kind="onsite",
        effective_on=dt.date(2026, 1, 1),
    )
    items = [
        ChecklistItem.objects.create(
            checklist=checklist,
            number=str(n),
            position=n,
            title=f"检查事项{n}",
            method="查看现场",
            legal_basis="《中华人民共和国食品安全法》第三十三条",
            severity="minor",
        ).pk
        for n in range(1, CHECKLIST_ITEMS + 1)
    ]
    return checklist, items


def people(sessions: int) -> World:
    """Officers, sessions, tokens and drafts; ``sessions`` of each user (one per client)."""
    from django.db import transaction

    from xiaoneng.core.tokens import create_token
    from xiaoneng.inspections.records.services import open_inspection
    from xiaoneng.org import services
    from xiaoneng.org.models import Grid, Officer, Role, Unit
    from xiaoneng.registry.models import Entity

    bureau = Unit.objects.filter(kind=Unit.Kind.BUREAU).order_by("depth", "pk").first()
    station = _busiest_station()
    with transaction.atomic():
        Officer.objects.filter(username__startswith="load_").delete()
        leader = services.create_officer(
            username="load_leader", name="局领导", unit=bureau, roles=[Role.BUREAU_LEADER]
        )
        director = services.create_officer(
            username="load_director", name="所长", unit=station, roles=[Role.STATION_DIRECTOR]
        )
        officers = [
            services.create_officer(
                username=f"load_officer{n:02d}",
                name=f"网格员{n}",
                unit=station,
                roles=[Role.GRID_OFFICER],
                certificate_number=f"6540{n:05d}",
            )
            for n in range(OFFICERS)
        ]
        tokens = [create_token(user=o, name="load benchmark")[1] for o in officers]
        checklist, items = _checklist()
    in_station = Entity.objects.filter(unit=station, archived_at__isnull=True, status="operating")
    usccs = list(in_station.order_by("-id").values_list("uscc", flat=True)[:DOSSIERS])
    targets = list(in_station.order_by("id")[:DRAFTS])
    drafts = []
    with transaction.atomic():
        for n, entity in enumerate(targets):
            officer = officers[n % OFFICERS]
            record = open_inspection(
                entity=entity, officer=officer, kind="onsite", checklist=checklist
            )
            drafts.append((record.pk, n % OFFICERS, items))
    grid = Grid.objects.filter(station=station).order_by("code").values_list("code", flat=True)[0]
    return World(
        leader_sessions=_sessions(leader, sessions),
        director_sessions=_sessions(director, sessions),
        tokens=tokens,
        drafts=drafts,
        usccs=usccs,
        grid=grid,
        entities=Entity.objects.count(),
    )
