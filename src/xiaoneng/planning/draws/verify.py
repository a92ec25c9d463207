"""Checking a drawn draw (``xiaoneng draw verify``) and reading its result as JSON."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from xiaoneng.core.bulk import paused_gc
from xiaoneng.core.errors import Conflict
from xiaoneng.planning.draws import engine, record, snapshots
from xiaoneng.planning.draws.inputs import inputs_of, read_snapshots
from xiaoneng.planning.draws.models import DrawInspector, DrawSelection, RandomDraw
from xiaoneng.planning.draws.services import rule_of, shortfall_message

MAX_NAMED = 3  # differing rows named in full; the rest are counted


@dataclass
class StoredRow:
    order: int
    uscc: str
    entity_uscc: str
    team: list[str] = field(default_factory=list)


def stored_rows(draw: RandomDraw) -> list[StoredRow]:
    """The recorded result, in draw order, with each team in its order."""
    rows: dict[int, StoredRow] = {}
    found = (
        DrawSelection.objects.filter(draw=draw)
        .order_by("order")
        .values_list("id", "order", "uscc", "entity__uscc")
    )
    for pk, order, uscc, entity_uscc in found:
        rows[pk] = StoredRow(order, uscc, entity_uscc)
    members = (
        DrawInspector.objects.filter(selection__draw=draw)
        .order_by("selection_id", "position")
        .values_list("selection_id", "certificate_number")
    )
    for selection_id, certificate in members:
        rows[selection_id].team.append(certificate)
    return list(rows.values())


def _canonical(rows: list[StoredRow]) -> bytes:
    return "".join(f"{r.order},{r.uscc},{';'.join(r.team)}\n" for r in rows).encode("utf-8")


@dataclass
class Verification:
    """The outcome of re-running a draw: verified, or what differs."""

    draw_id: int
    problems: list[str]

    @property
    def verified(self) -> bool:
        return not self.problems


def _describe(uscc: str, team: list[str]) -> str:
    return f"{uscc}（{'、'.join(team)}）" if uscc else _("（无）")


def _compare(stored: list[StoredRow], result: engine.Result) -> list[str]:
    expected = list(zip(result.usccs, result.teams, strict=True))
    differing = []
    for index in range(max(len(stored), len(expected))):
        have = (stored[index].uscc, stored[index].team) if index < len(stored) else ("", [])
        want = expected[index] if index < len(expected) else ("", [])
        if have != want:
            differing.append((index + 1, have, want))
    problems = [
        _("第 %(n)d 户：记录为 %(stored)s，重新抽取为 %(expected)s")
        % {"n": n, "stored": _describe(*have), "expected": _describe(*want)}
        for n, have, want in differing[:MAX_NAMED]
    ]
    if len(differing) > MAX_NAMED:
        problems.append(_("另有 %(count)d 户不同") % {"count": len(differing) - MAX_NAMED})
    return problems


def verify_draw(*, draw: RandomDraw) -> Verification:
    """Re-run the draw from its snapshots and its revealed seed; name whatever differs."""
    if draw.status not in (RandomDraw.Status.DRAWN, RandomDraw.Status.PUBLISHED):
        raise Conflict(_("该抽查尚未抽取，无法验证"))
    problems = []
    if snapshots.seed_digest(draw.seed) != draw.seed_sha256:
        problems.append(_("公开的种子与锁定名单时公布的 SHA-256 摘要不符"))
    texts, damaged = read_snapshots(draw)
    problems += damaged
    if snapshots.digest(rule_of(draw).canonical()) != draw.parameters_digest:
        problems.append(_("抽取参数（比例、数量、每组人数、每人上限）与锁定时不一致"))
    stored = stored_rows(draw)
    if snapshots.digest(_canonical(stored)) != draw.result_digest:
        problems.append(_("记录的抽取结果与抽取时的结果摘要不符"))
    problems += [
        _("第 %(n)d 户：记录的统一社会信用代码 %(uscc)s 与所链接的市场主体 %(entity)s 不符")
        % {"n": row.order, "uscc": row.uscc, "entity": row.entity_uscc}
        for row in stored
        if row.uscc != row.entity_uscc
    ]
    problems += record.check(draw)
    if problems:
        return Verification(draw.pk, problems)
    with paused_gc():
        data = inputs_of(texts, rule_of(draw))
        try:
            result = engine.run(draw.seed, data)
        except engine.TeamShortfall as shortfall:
            return Verification(draw.pk, [shortfall_message(shortfall)])
        problems = _compare(stored, result) + _count_problems(draw, data, result)
        return Verification(draw.pk, problems)


def _count_problems(draw: RandomDraw, data: engine.Inputs, result: engine.Result) -> list[str]:
    """The counts and strata the page shows, against what the snapshots and the re-run give
    (a draw of record format 0 has no other witness of them)."""
    sizes = engine.stratum_sizes(data.population, data.rule)
    wanted = engine.targets(sizes, data.rule)
    strata = {key: [sizes[key], wanted[key]] for key in sorted(sizes)}
    shown = [
        (_("抽查对象数"), draw.population_count, len(data.population)),
        (_("检查人员数"), draw.pool_count, len(data.pool)),
        (_("应抽户数"), draw.planned_count, sum(wanted.values())),
        (_("已抽户数"), draw.selected_count, len(result.usccs)),
        (_("分层"), draw.strata, strata),
    ]
    return [
        _("%(field)s：记录为 %(stored)s，按名单和种子应为 %(expected)s")
        % {"field": label, "stored": stored, "expected": expected}
        for label, stored, expected in shown
        if stored != expected
    ]


def result_json(draw: RandomDraw, orders: Collection[int] | None = None) -> dict[str, Any]:
    """The draw's result: the four keys every reader relies on first, then the record.

    ``orders``: only these rows (a reader who sees the rows of his units only)."""
    rows = stored_rows(draw)
    if orders is not None:
        rows = [row for row in rows if row.order in orders]
    return {
        "draw_id": draw.pk,
        "seed_sha256": draw.seed_sha256,
        "population_digest": draw.population_digest,
        "selected": [{"uscc": row.uscc, "inspectors": row.team} for row in rows],
        "seed": draw.seed,
        "status": draw.status,
        "population_count": draw.population_count,
        "selected_count": draw.selected_count,
        "strata": draw.strata,
        "pool_digest": draw.pool_digest,
        "conflicts_digest": draw.conflicts_digest,
        "previous_digest": draw.previous_digest,
        "parameters_digest": draw.parameters_digest,
        "result_digest": draw.result_digest,
        "record_version": draw.record_version,
        "record_digest": draw.record_digest,
        "policy_version": draw.policy.version if draw.policy else None,
        "code_version": draw.code_version,
    }
