"""The demo county's double-random draws: two finished ones of the past year and one committed.

Made through the services (so they verify), dated in the past: each service call's trace
events are moved to the moment the demo says it happened, and each draw is committed on the
register as it stood then (``register_as_of``): entities registered later are left out, and
the grades and classes frozen are those of the classification history at that moment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from xiaoneng.core.errors import DomainError
from xiaoneng.core.models import AuditEvent
from xiaoneng.org.models import Officer, Role, Unit
from xiaoneng.planning.draws import conflicts as draw_conflicts
from xiaoneng.planning.draws import publication as draw_publication
from xiaoneng.planning.draws import services as draws
from xiaoneng.planning.draws.models import RandomDraw
from xiaoneng.registry.models import ClassificationChange, Entity

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
CHUNK = 5000  # ids in one UPDATE (SQLite's limit of variables)
CONFLICT_REASONS = (
    "配偶经营该店",
    "近亲属为该企业股东",
    "本人曾在该企业任职，离职未满三年",
    "与经营者有债务往来",
    "经营者为本人同学，交往密切",
)


@contextmanager
def _dated(when: dt.datetime) -> Iterator[None]:
    """Trace events written inside the block are dated ``when`` (historic demo data)."""
    last = AuditEvent.objects.aggregate(top=Max("id"))["top"] or 0
    yield
    AuditEvent.objects.filter(id__gt=last).update(at=when)


@contextmanager
def register_as_of(when: dt.datetime) -> Iterator[None]:
    """Inside the block the register is as it stood at ``when``, then it is put back.

    Entities registered after that day are archived for the while (no draw reads an
    archived entity); an entity whose credit grade or risk class changed since has the value
    of its first later change's ``old_value``. Plain UPDATEs: nothing is traced, and the
    caller's transaction undoes them if the block fails.
    """
    day = timezone.localdate(when)
    active = Entity.objects.active()
    later = list(active.filter(registered_on__gt=day).values_list("pk", flat=True))
    then: dict[str, dict[int, str]] = {}
    changes = (
        ClassificationChange.objects.filter(changed_at__gt=when)
        .order_by("entity_id", "field", "changed_at", "id")
        .values_list("entity_id", "field", "old_value")
    )
    for entity, field, old in changes:  # the first change after ``when`` says what was then
        then.setdefault(field, {}).setdefault(entity, old)
    then = {f: {e: old for e, old in values.items() if old} for f, values in then.items()}
    now = {field: _values_of(field, list(values)) for field, values in then.items()}
    _set_values(then)
    _set_archived(later, when)
    try:
        yield
    finally:
        _set_archived(later, None)
        _set_values(now)


def _values_of(field: str, ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = Entity.objects.filter(pk__in=ids[start : start + CHUNK])
        found.update(chunk.values_list("pk", field))
    return found


def _set_archived(ids: list[int], when: dt.datetime | None) -> None:
    for start in range(0, len(ids), CHUNK):
        Entity.objects.filter(pk__in=ids[start : start + CHUNK]).update(archived_at=when)


def _set_values(values: dict[str, dict[int, str]]) -> None:
    for field, by_entity in values.items():
        groups: dict[str, list[int]] = {}
        for entity, value in by_entity.items():
            groups.setdefault(value, []).append(entity)
        for value, ids in groups.items():
            for start in range(0, len(ids), CHUNK):
                Entity.objects.filter(pk__in=ids[start : start + CHUNK]).update(**{field: value})


def _working_morning(day: dt.date, hour: int = 10) -> dt.datetime:
    """``hour`` o'clock in Shanghai on ``day``, moved forward to a Monday–Friday."""
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


def _staff(bureau: Unit, division_code: str) -> Officer:
    found = Officer.objects.filter(
        unit__code=f"{bureau.code}-{division_code}", roles=Role.DIVISION_STAFF
    ).order_by("id")
    officer = found.first()
    assert officer is not None, division_code
    return officer


def _conflicts(rng: np.random.Generator, stations: list[Unit], before: dt.datetime) -> int:
    """A few officers declare 回避 on entities of their station, early in the year."""
    made = 0
    for station in stations[:4]:
        officers = list(
            Officer.objects.filter(unit=station, roles=Role.GRID_OFFICER).order_by("id")[:2]
        )
        entities = list(Entity.objects.active().filter(unit=station).order_by("id")[:200])
        for officer in officers:
            if not entities:
                break
            entity = entities[int(rng.integers(len(entities)))]
            when = before - dt.timedelta(days=int(rng.integers(20, 120)))
            with _dated(when):
                draw_conflicts.declare_conflict(
                    officer=officer,
                    entity=entity,
                    reason=CONFLICT_REASONS[made % len(CONFLICT_REASONS)],
                    actor=officer,
                    at=when,
                )
            made += 1
    return made


def _finished(
    *, seed: str, staff: Officer, start: dt.datetime, inspections_days: int, **values: Any
) -> RandomDraw | None:
    """A draw committed at ``start``, drawn half an hour later, published after inspection.

    None when a small demo county cannot hold it (too few entities for the ratios).
    """
    try:
        with transaction.atomic(), _dated(start), register_as_of(start):
            draw = draws.create_draw(
                seed=seed,
                actor=staff,
                at=start,
                inspections_end=(start + dt.timedelta(days=inspections_days)).date(),
                **values,
            )
    except DomainError:
        return None
    drawn_at = start + dt.timedelta(minutes=30)
    with _dated(drawn_at):
        draw = draws.run_draw(draw=draw, seed=seed, actor=staff, at=drawn_at)
    published = _working_morning(draw.inspections_end + dt.timedelta(days=14), 15)
    with _dated(published):
        draw_publication.publish_draw(
            draw=draw, url=f"https://www.gsxt.gov.cn/ccjg/{draw.pk}", actor=staff, at=published
        )
    return draw


def build_draws(
    rng: np.random.Generator,
    bureau: Unit,
    stations: list[Unit],
    *,
    now: dt.datetime | None = None,
    progress: Callable[[str], None] = print,
) -> None:
    """Conflict declarations, two published draws of the past year, and one just committed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    food_staff, market_staff = _staff(bureau, "K04"), _staff(bureau, "K02")
    food_division = food_staff.unit
    market_division = market_staff.unit
    assert food_division is not None and market_division is not None
    pool = [*stations, food_division, market_division]
    first = _working_morning(today - dt.timedelta(days=265))
    with transaction.atomic():
        declared = _conflicts(rng, stations, first)
        food = _finished(
            seed=rng.bytes(16).hex(),
            staff=food_staff,
            start=first,
            inspections_days=88,
            name=f"{first.year} 年食品经营者“双随机”抽查",
            unit=food_division,
            item_codes=["R02", "R12"],
            population_filter={"industry": "F512,F521,F522,H62", "status": "operating"},
            selection="policy",
            pool_units=pool,
            team_size=2,
            workload_cap=40,
        )
        second = _working_morning(today - dt.timedelta(days=115))
        ads = _finished(
            seed=rng.bytes(16).hex(),
            staff=market_staff,
            start=second,
            inspections_days=56,
            name=f"{second.year} 年广告发布行为“双随机”抽查",
            unit=market_division,
            item_codes=["R06", "R01"],
            population_filter={"industry": "L725", "status": "operating"},
            selection="ratio",
            ratios="A=0.1,B=0.2,C=0.5,D=1",
            pool_units=pool,
            team_size=2,
            workload_cap=10,
        )
        third = _working_morning(today - dt.timedelta(days=4), 9)
        upcoming = _committed(
            staff=market_staff,
            at=third,
            name=f"{third.year} 年第四季度农资经营“双随机”抽查",
            unit=market_division,
            item_codes=["R07"],
            population_filter={"status": "operating"},
            selection="ratio",
            ratios="A=0.1,B=0.2,C=0.5,D=1",
            pool_units=pool,
            team_size=2,
            workload_cap=10,
            inspections_end=today + dt.timedelta(days=30),
        )
    made = [d for d in (food, ads) if d is not None]
    progress(
        f"双随机抽查 draws: {len(made)} 项已抽取并公示（"
        + " + ".join(f"{d.selected_count} 户" for d in made)
        + f"）, {1 if upcoming else 0} 项已锁定名单, {declared} 项回避声明"
    )


def _committed(*, staff: Officer, at: dt.datetime, **values: Any) -> RandomDraw | None:
    """A draw committed at ``at`` and not yet run (its seed kept secret by the system)."""
    try:
        with transaction.atomic(), _dated(at), register_as_of(at):
            return draws.create_draw(actor=staff, at=at, **values)
    except DomainError:
        return None
