"""What a draw is made of: its four inputs (population, pool, conflicts, previous inspectors)
loaded from the database in bulk at commit, packed as snapshots, and read back from them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core.bulk import paused_gc
from xiaoneng.core.errors import DomainError
from xiaoneng.org.models import Grid, Officer, Unit
from xiaoneng.planning.draws import engine, snapshots
from xiaoneng.planning.draws.models import (
    ConflictDeclaration,
    DrawInspector,
    DrawSelection,
    RandomDraw,
)
from xiaoneng.registry.models import Entity, Industry


def population_root(unit: Unit) -> Unit:
    """Whose entities a unit's draw chooses from: its own subtree; a division's, its bureau's.

    Divisions act county-wide (篇2 机关科室督办, 篇5 科室以指导、服务基层为主).
    """
    if unit.kind != Unit.Kind.DIVISION:
        return unit
    ancestors = [int(part) for part in unit.path.strip("/").split("/") if part]
    bureau = Unit.objects.filter(id__in=ancestors, kind=Unit.Kind.BUREAU).order_by("-depth").first()
    return bureau or unit


def population_queryset(unit: Unit, conditions: Mapping[str, Any], on: dt.date) -> QuerySet[Entity]:
    """The entities a draw of ``unit`` with these conditions chooses from (never archived)."""
    queryset = Entity.objects.active()
    units = Unit.objects.subtree_ids(population_root(unit))
    if units is not None:
        # A list of ids, not a subquery: a million rows are filtered by it.
        queryset = queryset.filter(unit_id__in=units)
    if "region" in conditions:
        queryset = queryset.filter(region_code__in=conditions["region"])
    if "grid" in conditions:
        queryset = queryset.filter(grid__code__in=conditions["grid"])
    if "industry" in conditions:
        by_prefix = Q()
        for prefix in conditions["industry"]:
            by_prefix |= Q(code__startswith=prefix)
        queryset = queryset.filter(
            industry_id__in=Industry.objects.filter(by_prefix).values("code")
        )
    for key in ("risk_class", "credit_grade", "status"):
        if key in conditions:
            queryset = queryset.filter(**{f"{key}__in": conditions[key]})
    if "hot_industry" in conditions:
        queryset = queryset.filter(hot_industry=conditions["hot_industry"])
    if "licence" in conditions:
        from xiaoneng.registry.models import Licence

        valid = Licence.objects.filter(
            entity=OuterRef("pk"), kind__in=conditions["licence"]
        ).filter(Q(expires__isnull=True) | Q(expires__gte=on))
        queryset = queryset.filter(Exists(valid))
    return queryset


def _fetch(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` queryset straight from the cursor (no ORM per row)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def load_population(queryset: QuerySet[Entity]) -> snapshots.Population:
    grid_codes: dict[object, str] = dict(Grid.objects.values_list("id", "code"))
    for code in grid_codes.values():
        if any(separator in code for separator in ",;\n"):
            raise DomainError(
                _("网格编号“%(code)s”含有逗号、分号或换行，无法写入抽查对象名单") % {"code": code}
            )
    with paused_gc():
        rows = _fetch(
            queryset.order_by().values_list("uscc", "credit_grade", "risk_class", "grid_id")
        )
    return snapshots.Population.from_rows(rows, grid_codes)


def pool_officers(units: Iterable[Unit]) -> QuerySet[Officer]:
    """The certified, active officers of the units' subtrees."""
    by_path = Q()
    for unit in units:
        by_path |= Unit.objects.subtree_q(unit, field="unit")
    return (
        Officer.objects.filter(by_path, is_active=True, certificate_number__isnull=False)
        .exclude(certificate_number="")
        .distinct()
    )


def load_pool(officers: QuerySet[Officer]) -> snapshots.Pool:
    rows: dict[str, list[str]] = {
        c: [] for c in officers.values_list("certificate_number", flat=True) if c
    }
    held = Grid.objects.filter(officer__in=officers).values_list(
        "officer__certificate_number", "code"
    )
    for certificate, code in held:
        if certificate:
            rows[certificate].append(code)
    return snapshots.Pool.from_rows(rows)


def load_conflicts(pool: snapshots.Pool, usccs: Container[str]) -> set[tuple[str, str]]:
    """Declarations of pool officers on entities of the population."""
    found = ConflictDeclaration.objects.filter(
        officer__certificate_number__in=pool.certificates
    ).values_list("officer__certificate_number", "entity__uscc")
    return {(c, u) for c, u in found if c and u in usccs}


def load_previous(usccs: Container[str]) -> dict[str, set[str]]:
    """For each entity of the population drawn before: the inspectors of its latest draw."""
    done = RandomDraw.objects.filter(
        status__in=(RandomDraw.Status.DRAWN, RandomDraw.Status.PUBLISHED)
    ).order_by("drawn_at", "id")
    rank = {pk: n for n, pk in enumerate(done.values_list("pk", flat=True))}  # later: higher
    if not rank:
        return {}
    latest: dict[str, tuple[int, int]] = {}
    with paused_gc():
        selections = _fetch(
            DrawSelection.objects.filter(draw__in=list(rank))
            .order_by()
            .values_list("id", "uscc", "draw_id")
        )
        for pk, uscc, draw_id in selections:
            if rank[draw_id] > latest.get(uscc, (-1, 0))[0]:
                latest[uscc] = (rank[draw_id], pk)
        chosen = {pk: uscc for uscc, (_rank, pk) in latest.items() if uscc in usccs}
        teams: dict[str, set[str]] = {}
        members = _fetch(
            DrawInspector.objects.filter(selection__draw__in=list(rank))
            .order_by()
            .values_list("selection_id", "certificate_number")
        )
        for selection_id, certificate in members:
            uscc = chosen.get(selection_id)
            if uscc is not None:
                teams.setdefault(uscc, set()).add(certificate)
    return teams


# Snapshots --------------------------------------------------------------------------------

SNAPSHOT_LABELS = {
    "population": gettext_lazy("抽查对象名单"),
    "pool": gettext_lazy("检查人员名单"),
    "conflicts": gettext_lazy("回避名单"),
    "previous": gettext_lazy("上次检查人员名单"),
}


def _pack(text: bytes) -> tuple[bytes, str]:
    """A snapshot compressed, and its digest."""
    return snapshots.compress(text), snapshots.digest(text)


def frozen_inputs(
    draw: RandomDraw, day: dt.date, rule: engine.Rule
) -> tuple[engine.Inputs, dict[str, tuple[bytes, str]]]:
    """The draw's four inputs as they are now, and each one's snapshot packed.

    The population's snapshot is compressed in a thread (zlib lets go of the interpreter)
    while the pool, conflicts and previous inspectors are read.
    """
    queryset = population_queryset(draw.unit, draw.population_filter, day)
    population = load_population(queryset)
    with ThreadPoolExecutor(max_workers=1) as packer:
        packing = packer.submit(_pack, population.canonical())
        pool = load_pool(pool_officers(draw.pool_units.all()))
        data = engine.Inputs(
            population=population,
            pool=pool,
            conflicts=load_conflicts(pool, population),
            previous=load_previous(population),
            rule=rule,
        )
        packed = {
            "population": packing.result(),
            "pool": _pack(pool.canonical()),
            "conflicts": _pack(snapshots.pairs_canonical(data.conflicts)),
            "previous": _pack(snapshots.teams_canonical(data.previous)),
        }
    return data, packed


def snapshot_text(draw: RandomDraw, part: str) -> bytes:
    """The canonical bytes of one snapshot (the digest is taken over exactly these)."""
    stored = draw.snapshot_bytes(part)
    return snapshots.decompress(stored) if stored else b""


def read_snapshots(draw: RandomDraw) -> tuple[dict[str, bytes], list[str]]:
    """Each snapshot's canonical bytes, and a message for each that no longer has its digest."""
    texts: dict[str, bytes] = {}
    problems = []
    for part, label in SNAPSHOT_LABELS.items():
        try:
            texts[part] = snapshot_text(draw, part)
        except Exception:  # zlib.error or a damaged column: the snapshot is unreadable
            texts[part] = b""
            problems.append(_("%(label)s快照与锁定时的摘要不符") % {"label": label})
            continue
        if snapshots.digest(texts[part]) != getattr(draw, f"{part}_digest"):
            problems.append(_("%(label)s快照与锁定时的摘要不符") % {"label": label})
    return texts, problems


def inputs_of(texts: dict[str, bytes], rule: engine.Rule) -> engine.Inputs:
    """The draw's inputs parsed from its snapshots' bytes."""
    return engine.Inputs(
        population=snapshots.Population.parse(texts["population"]),
        pool=snapshots.Pool.parse(texts["pool"]),
        conflicts=snapshots.pairs_parse(texts["conflicts"]),
        previous=snapshots.teams_parse(texts["previous"]),
        rule=rule,
    )
