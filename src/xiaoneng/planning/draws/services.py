"""Double-random draws (双随机、一公开): create, commit and run (verify, publish and 回避 are in
draw_verify, draw_publication and draw_conflicts).

A draw is committed before it is run: its population, inspector pool, conflict declarations
and previous inspectors are frozen as canonical snapshots with their SHA-256 digests, and
only the SHA-256 of its seed is shown. Running reveals the seed; anyone can then re-run the
rule of ``draw_engine`` on the snapshots (``verify_draw``, docs/draws.md).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from decimal import Decimal
from importlib import metadata
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import bulk
from xiaoneng.core.audit import attributed
from xiaoneng.core.errors import Conflict, DomainError, FieldError, InvalidInput
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.planning.draws import engine, inputs, params, record, snapshots
from xiaoneng.planning.draws.models import (
    TRANSITIONS,
    DrawInspector,
    DrawSelection,
    RandomDraw,
)
from xiaoneng.planning.policy.services import (
    CLASSES,
    GRADES,
    PolicyTable,
    cell_key,
    policy_in_force,
)
from xiaoneng.registry.models import Entity

Status = RandomDraw.Status
RUN_FIELDS = (
    "status",
    "seed",
    "held_seed",
    "selected_count",
    "result_digest",
    "drawn_at",
    "drawn_by",
    "record_version",
    "record_digest",
    "record_snapshot",
)


def code_version() -> str:
    try:
        version = metadata.version("xiaoneng")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        version = "dev"
    return f"xiaoneng {version} / {engine.ALGORITHM}"


def moment(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def check_actor(actor: Officer | None, unit_ids: Iterable[int | None]) -> None:
    """None is the operator at the command line; a user needs the capability and the units."""
    if actor is None:
        return
    access.require(actor, access.RUN_DRAWS)
    for unit_id in unit_ids:
        access.require_unit(actor, unit_id)


def transition(draw: RandomDraw, to: str) -> None:
    """Move ``draw`` to status ``to`` if the table allows it (the caller saves and so traces)."""
    TRANSITIONS.move(draw, to)


# Creating and committing -------------------------------------------------------------------


def create_draw(
    *,
    name: str,
    unit: Unit | None,
    item_codes: Iterable[str],
    population_filter: Mapping[str, Any],
    selection: str,
    ratios: Mapping[str, Any] | str | None = None,
    count: Any = None,
    pool_units: Iterable[Unit],
    team_size: Any = 2,
    workload_cap: Any,
    inspections_end: dt.date | None,
    seed: str | None = None,
    commit: bool = True,
    actor: Officer | None,
    at: dt.datetime | None = None,
) -> RandomDraw:
    """A new draw of ``unit``, committed at once unless ``commit`` is False (a draft).

    ``seed``: given, only its SHA-256 is kept and the same seed must be given to run the draw;
    absent, the system generates one and keeps it secret until the draw.
    """
    pool_units = list(pool_units)
    items, errors = params.read_items(item_codes)
    population, filter_errors = params.read_filter(population_filter, items)
    rule, rule_errors = params.read_rule(
        selection=selection,
        ratios=ratios,
        count=count,
        team_size=team_size,
        workload_cap=workload_cap,
    )
    errors += filter_errors + rule_errors + params.read_seed(seed)
    if seed is not None and not commit:
        errors.append(FieldError("seed", _("草稿不保存种子，请在锁定名单时提供")))
    if not name.strip():
        errors.insert(0, FieldError("name", _("请填写抽查名称")))
    if unit is None:
        errors.append(FieldError("unit", _("请指定组织单位")))
    if not pool_units:
        errors.append(FieldError("pool", _("请指定检查人员库的单位")))
    if inspections_end is None:
        errors.append(FieldError("inspections_end", _("请填写检查截止日期（YYYY-MM-DD）")))
    elif inspections_end < timezone.localdate(moment(at)):
        errors.append(
            FieldError(
                "inspections_end",
                _("检查截止日期不能早于今天：%(date)s") % {"date": inspections_end},
            )
        )
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    assert unit is not None and inspections_end is not None
    check_actor(actor, [unit.pk, *(u.pk for u in pool_units)])
    with transaction.atomic(), attributed(actor):
        draw = RandomDraw.objects.create(
            name=name.strip(),
            unit=unit,
            population_filter=population,
            selection=rule["selection"],
            ratios={k: str(v) for k, v in rule["ratios"].items()},
            count=rule["count"],
            team_size=rule["team_size"],
            workload_cap=rule["workload_cap"],
            inspections_end=inspections_end,
            created_by=actor if getattr(actor, "pk", None) else None,
            created_at=moment(at),
        )
        draw.items.set(items)
        draw.pool_units.set(pool_units)
        if commit:
            draw = commit_draw(draw=draw, seed=seed, actor=actor, at=at)
    return draw


def rule_of(draw: RandomDraw) -> engine.Rule:
    return engine.Rule(
        selection=draw.selection,
        ratios={k: Decimal(v) for k, v in draw.ratios.items()},
        count=draw.count,
        team_size=draw.team_size,
        workload_cap=draw.workload_cap,
    )


def _policy_ratios(on: dt.date) -> tuple[Any, dict[str, str]]:
    table = PolicyTable.in_force(on)
    ratios = {
        cell_key(c, g): str(table.treatment(c, g).draw_ratio.normalize())
        for c in CLASSES
        for g in GRADES
    }
    return table.policy, ratios


def _check_feasible(draw: RandomDraw, data: engine.Inputs, planned: int) -> None:
    """Refuse a draw that cannot give every chosen entity a full team, before it is fixed."""
    if not len(data.population):
        raise DomainError(_("抽查对象为空：没有符合范围条件的市场主体"))
    if planned == 0:
        raise DomainError(_("按此抽取方式抽不到任何主体：各层应抽户数均为 0"))
    if draw.count and draw.count > len(data.population):
        raise DomainError(
            _("抽取数量 %(count)d 超过抽查对象数 %(population)d")
            % {"count": draw.count, "population": len(data.population)}
        )
    if not len(data.pool):
        raise DomainError(_("检查人员库中没有持证的在岗执法人员"))
    if len(data.pool) < draw.team_size:
        raise DomainError(
            _("检查人员库只有 %(pool)d 名持证执法人员，不足每组 %(team)d 人")
            % {"pool": len(data.pool), "team": draw.team_size}
        )
    shortfall = engine.unavoidable_shortfall(data)
    if shortfall is not None:
        raise DomainError(shortfall_message(shortfall))
    needed, capacity = planned * draw.team_size, len(data.pool) * draw.workload_cap
    if needed > capacity:
        raise DomainError(
            _(
                "工作量上限不足：需要 %(needed)d 人次（%(count)d 户 × 每组 %(team)d 人），"
                "检查人员库 %(pool)d 人 × 每人上限 %(cap)d 户只有 %(capacity)d 人次"
            )
            % {
                "needed": needed,
                "count": planned,
                "team": draw.team_size,
                "pool": len(data.pool),
                "cap": draw.workload_cap,
                "capacity": capacity,
            }
        )


def shortfall_message(shortfall: engine.TeamShortfall) -> str:
    return _(
        "无法为 %(uscc)s 组成 %(team)d 人检查组：检查人员库 %(pool)d 人中，"
        "负责其所在网格 %(own)d 人，声明回避 %(conflicted)d 人，"
        "上次抽查检查过该主体 %(previous)d 人，已达工作量上限 %(cap)d 人"
    ) % {
        "uscc": shortfall.uscc,
        "team": shortfall.team_size,
        "pool": shortfall.pool_size,
        "own": shortfall.own_grid,
        "conflicted": shortfall.conflicted,
        "previous": shortfall.previous,
        "cap": shortfall.at_cap,
    }


def commit_draw(
    *,
    draw: RandomDraw,
    seed: str | None = None,
    actor: Officer | None,
    at: dt.datetime | None = None,
) -> RandomDraw:
    """Freeze the draw's inputs and its seed's SHA-256 (draft → committed).

    A draw that no seed could carry out (no population, too few officers, caps too low in
    total, an entity whose own-grid officers, conflicts and previous inspectors leave less
    than a team) is refused with the reason, and nothing is written.
    """
    check_actor(actor, [draw.unit_id])
    errors = params.read_seed(seed)
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    when = moment(at)
    day = timezone.localdate(when)
    with transaction.atomic(), attributed(actor):
        draw = RandomDraw.objects.select_for_update().get(pk=draw.pk)
        if draw.status != Status.DRAFT:
            raise Conflict(_("该抽查已锁定名单，不能再次锁定"))
        transition(draw, Status.COMMITTED)
        policy = policy_in_force(day)
        if draw.selection == RandomDraw.Selection.POLICY:
            policy, draw.ratios = _policy_ratios(day)
        with bulk.paused_gc():
            data, packed = inputs.frozen_inputs(draw, day, rule_of(draw))
        population = data.population
        sizes = engine.stratum_sizes(population, data.rule)
        wanted = engine.targets(sizes, data.rule)
        _check_feasible(draw, data, sum(wanted.values()))
        held = "" if seed is not None else secrets.token_hex(32)
        for part, (snapshot, digest) in packed.items():
            setattr(draw, f"{part}_snapshot", snapshot)
            setattr(draw, f"{part}_digest", digest)
        draw.population_count = len(population)
        draw.pool_count = len(data.pool)
        draw.strata = {key: [sizes[key], wanted[key]] for key in sorted(sizes)}
        draw.planned_count = sum(wanted.values())
        draw.policy = policy
        draw.code_version = code_version()
        draw.parameters_digest = snapshots.digest(data.rule.canonical())
        draw.seed_sha256 = snapshots.seed_digest(seed if seed is not None else held)
        draw.held_seed = held
        draw.committed_at = when
        draw.save()
    return draw


# Running -----------------------------------------------------------------------------------


def _seed_for_run(draw: RandomDraw, seed: str | None) -> str:
    if seed is not None:
        if snapshots.seed_digest(seed) != draw.seed_sha256:
            raise DomainError(_("种子与锁定名单时公布的 SHA-256 摘要不符"))
        return seed
    if not draw.held_seed:
        raise DomainError(_("该抽查的种子由创建人保管，抽取时请提供种子"))
    return draw.held_seed


def run_draw(
    *,
    draw: RandomDraw,
    seed: str | None = None,
    actor: Officer | None,
    at: dt.datetime | None = None,
) -> RandomDraw:
    """Draw the entities and their teams from the frozen inputs (committed → drawn)."""
    check_actor(actor, [draw.unit_id])
    with transaction.atomic(), attributed(actor):
        draw = RandomDraw.objects.select_for_update().get(pk=draw.pk)
        if draw.status != Status.COMMITTED:
            raise Conflict(
                _("该抽查已抽取，不能再次抽取")
                if draw.status in (Status.DRAWN, Status.PUBLISHED)
                else _("该抽查尚未锁定名单，不能抽取")
            )
        used = _seed_for_run(draw, seed)
        texts, damaged = inputs.read_snapshots(draw)
        if damaged:
            raise DomainError(damaged[0])
        # Hundreds of thousands of small objects, none in a cycle: no collection passes.
        with bulk.paused_gc():
            try:
                result = engine.run(used, inputs.inputs_of(texts, rule_of(draw)))
            except engine.TeamShortfall as shortfall:
                raise DomainError(shortfall_message(shortfall)) from None
            rows = _write_result(draw, result)
        transition(draw, Status.DRAWN)
        draw.seed = used
        draw.held_seed = ""
        draw.selected_count = len(result.usccs)
        draw.result_digest = snapshots.digest(result.canonical())
        draw.drawn_at = moment(at)
        draw.drawn_by = actor if getattr(actor, "pk", None) else None
        # Everything the published result shows, sealed with the result (docs/draws.md).
        record.seal(draw, rows)
        # Not the snapshots again: megabytes that did not change.
        draw.save(update_fields=[*RUN_FIELDS])
    return draw


def _entity_ids(usccs: list[str]) -> dict[str, int]:
    """The ids of the entities with these USCCs, by USCC."""
    if connection.vendor == "postgresql":
        # One array parameter: a list of tens of thousands of placeholders is slow to build.
        table = connection.ops.quote_name(Entity._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT uscc, id FROM {table} WHERE uscc = ANY(%s)", [usccs])
            return dict(cursor.fetchall())
    found: dict[str, int] = {}
    batch = (connection.features.max_query_params or 1000) - 1
    for start in range(0, len(usccs), batch):
        chunk = usccs[start : start + batch]
        found.update(Entity.objects.filter(uscc__in=chunk).values_list("uscc", "id"))
    return found


def _write_result(draw: RandomDraw, result: engine.Result) -> list[record.Row]:
    """Write the result's rows; answer them as the record will show them."""
    entity_ids = _entity_ids(result.usccs)
    certificates = sorted({c for team in result.teams for c in team})
    members = {
        str(certificate): record.Member(str(certificate), pk, username)
        for certificate, pk, username in Officer.objects.filter(
            certificate_number__in=certificates
        ).values_list("certificate_number", "id", "username")
    }
    officer_ids = {certificate: member.officer_id for certificate, member in members.items()}
    missing = [c for c in certificates if c not in officer_ids]
    if missing:
        raise DomainError(
            _("执法证号 %(numbers)s 已不属于任何人员，无法记录检查组")
            % {"numbers": "、".join(missing[:5])}
        )
    count = len(result.usccs)
    ids = bulk.insert(
        DrawSelection,
        {
            "draw_id": [draw.pk] * count,
            "order": list(range(1, count + 1)),
            "entity_id": [entity_ids[u] for u in result.usccs],
            "uscc": result.usccs,
            "stratum": result.strata,
        },
        count,
    )
    rows = [
        (selection, position, officer_ids[c], c)
        for selection, team in zip(ids, result.teams, strict=True)
        for position, c in enumerate(team, start=1)
    ]
    bulk.insert(
        DrawInspector,
        {
            "selection_id": [r[0] for r in rows],
            "position": [r[1] for r in rows],
            "officer_id": [r[2] for r in rows],
            "certificate_number": [r[3] for r in rows],
        },
        len(rows),
    )
    return [
        record.Row(order, uscc, entity_ids[uscc], stratum, [members[c] for c in team])
        for order, (uscc, stratum, team) in enumerate(
            zip(result.usccs, result.strata, result.teams, strict=True), start=1
        )
    ]
