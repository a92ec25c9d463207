"""The sealed record of a drawn draw: everything its published result shows, in one digest.

The result digest covers what the rule gives (order, USCC, team certificates), so anyone can
check it from the snapshots and the seed. The page and the API show more: which officer
account each certificate was recorded for, which entity each row links to, each row's
stratum, when the draw was committed and run and by whom, the counts, the strata, the policy
and code versions, and the digests themselves. The run writes all of it as one canonical
text (the *record*), keeps it compressed and its SHA-256 as ``record_digest``; ``verify``
rebuilds the record from the rows and names each field that differs (docs/draws.md,
*What verify checks*).

Formats are versioned (``RandomDraw.record_version``): 0 is a draw run before records
existed, which verifies as it did then; 1 is the format below. A new format gets a new
number and this module keeps every old one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.planning.draws import snapshots
from xiaoneng.planning.draws.models import DrawInspector, DrawSelection, RandomDraw

CURRENT_VERSION = 1
MAX_NAMED = 3  # differing rows named in full; the rest are counted

# The header's fields, in the order their differences are named, with their labels.
HEADER_LABELS: dict[str, Any] = {
    "draw": gettext_lazy("抽查编号"),
    "name": gettext_lazy("名称"),
    "unit": gettext_lazy("组织单位"),
    "items": gettext_lazy("检查事项"),
    "population_filter": gettext_lazy("抽查对象范围"),
    "pool_units": gettext_lazy("检查人员库"),
    "inspections_end": gettext_lazy("检查截止日期"),
    "policy": gettext_lazy("监管政策版本"),
    "code_version": gettext_lazy("程序版本"),
    "committed_at": gettext_lazy("锁定时间"),
    "drawn_at": gettext_lazy("抽取时间"),
    "drawn_by": gettext_lazy("抽取人"),
    "population_count": gettext_lazy("抽查对象数"),
    "pool_count": gettext_lazy("检查人员数"),
    "planned_count": gettext_lazy("应抽户数"),
    "selected_count": gettext_lazy("已抽户数"),
    "strata": gettext_lazy("分层"),
    "seed_sha256": gettext_lazy("种子摘要（SHA-256）"),
    "population_digest": gettext_lazy("抽查对象名单摘要"),
    "pool_digest": gettext_lazy("检查人员名单摘要"),
    "conflicts_digest": gettext_lazy("回避名单摘要"),
    "previous_digest": gettext_lazy("上次检查人员名单摘要"),
    "parameters_digest": gettext_lazy("抽取参数摘要"),
    "result_digest": gettext_lazy("抽取结果摘要"),
}
DIGESTS = tuple(key for key in HEADER_LABELS if key.endswith(("_sha256", "_digest")))


@dataclass(frozen=True)
class Member:
    """A team member as recorded: the certificate drawn and the officer account it links to."""

    certificate: str
    officer_id: int
    username: str

    def text(self) -> str:
        return f"{self.certificate}:{self.officer_id}:{self.username}"


@dataclass
class Row:
    """One drawn entity as recorded: its order, USCC, the entity it links to, its stratum."""

    order: int
    uscc: str
    entity_id: int
    stratum: str
    team: list[Member] = field(default_factory=list)

    def text(self) -> str:
        team = ";".join(member.text() for member in self.team)
        return f"{self.order},{self.uscc},{self.entity_id},{self.stratum},{team}\n"

    def shown(self) -> str:
        team = "、".join(f"{m.certificate}（{m.username}）" for m in self.team)
        return _("%(uscc)s（主体 #%(entity)d，%(stratum)s 层），检查组 %(team)s") % {
            "uscc": self.uscc,
            "entity": self.entity_id,
            "stratum": self.stratum,
            "team": team,
        }


def _moment(value: dt.datetime | None) -> str:
    return value.astimezone(dt.UTC).isoformat() if value is not None else ""


def header_of(draw: RandomDraw) -> dict[str, Any]:
    """The draw's published fields besides its rows, as canonical JSON values."""
    return {
        "draw": draw.pk,
        "name": draw.name,
        "unit": draw.unit.code,
        "items": sorted(item.code for item in draw.items.all()),
        "population_filter": draw.population_filter,
        "pool_units": sorted(unit.code for unit in draw.pool_units.all()),
        "inspections_end": draw.inspections_end.isoformat(),
        "policy": draw.policy.version if draw.policy else None,
        "code_version": draw.code_version,
        "committed_at": _moment(draw.committed_at),
        "drawn_at": _moment(draw.drawn_at),
        "drawn_by": f"{draw.drawn_by_id}:{draw.drawn_by.get_username()}" if draw.drawn_by else "",
        "population_count": draw.population_count,
        "pool_count": draw.pool_count,
        "planned_count": draw.planned_count,
        "selected_count": draw.selected_count,
        "strata": draw.strata,
        **{key: getattr(draw, key) for key in DIGESTS},
    }


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical(header: Mapping[str, Any], rows: Iterable[Row]) -> bytes:
    """Format 1: the header as canonical JSON on the first line, then one line per row
    ``order,uscc,entity id,stratum,certificate:officer id:username;…``; UTF-8."""
    return (_json(header) + "\n" + "".join(row.text() for row in rows)).encode("utf-8")


def stored_rows(draw: RandomDraw) -> list[Row]:
    """The draw's rows as the database holds them now, in draw order."""
    rows: dict[int, Row] = {}
    found = (
        DrawSelection.objects.filter(draw=draw)
        .order_by("order")
        .values_list("id", "order", "uscc", "entity_id", "stratum")
    )
    for pk, order, uscc, entity_id, stratum in found:
        rows[pk] = Row(order, uscc, entity_id, stratum)
    members = (
        DrawInspector.objects.filter(selection__draw=draw)
        .order_by("selection_id", "position")
        .values_list("selection_id", "certificate_number", "officer_id", "officer__username")
    )
    for selection_id, certificate, officer_id, username in members:
        rows[selection_id].team.append(Member(certificate, officer_id, username))
    return list(rows.values())


def seal(draw: RandomDraw, rows: Sequence[Row]) -> None:
    """Write the draw's record, its digest and its format (the caller saves the draw)."""
    text = canonical(header_of(draw), rows)
    draw.record_version = CURRENT_VERSION
    draw.record_digest = snapshots.digest(text)
    draw.record_snapshot = snapshots.compress(text)


def _parse(text: bytes) -> tuple[dict[str, Any], list[str]]:
    first, _newline, rest = text.decode("utf-8").partition("\n")
    return json.loads(first), rest.splitlines(keepends=True)


def _row_label(line: str) -> str:
    """A recorded row line as the ``shown`` text of its row."""
    order, uscc, entity_id, stratum, team = line.rstrip("\n").split(",", 4)
    members = [Member(c, int(i), u) for c, i, u in (m.split(":", 2) for m in team.split(";") if m)]
    return Row(int(order), uscc, int(entity_id), stratum, members).shown()


def _shown(value: Any) -> str:
    if value in ("", None):
        return _("（无）")
    return value if isinstance(value, str) else _json(value)


def _header_problems(sealed: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    return [
        _("%(field)s：抽取时记录为 %(sealed)s，现为 %(now)s")
        % {"field": label, "sealed": _shown(sealed.get(key)), "now": _shown(now.get(key))}
        for key, label in HEADER_LABELS.items()
        if sealed.get(key) != now.get(key)
    ]


def _row_problems(sealed: list[str], rows: list[Row]) -> list[str]:
    now = [row.text() for row in rows]
    differing = [
        n
        for n in range(max(len(sealed), len(now)))
        if (sealed[n] if n < len(sealed) else "") != (now[n] if n < len(now) else "")
    ]
    problems = [
        _("第 %(n)d 户：抽取时记录为 %(sealed)s，现为 %(now)s")
        % {
            "n": n + 1,
            "sealed": _row_label(sealed[n]) if n < len(sealed) else _("（无）"),
            "now": rows[n].shown() if n < len(rows) else _("（无）"),
        }
        for n in differing[:MAX_NAMED]
    ]
    if len(differing) > MAX_NAMED:
        problems.append(_("另有 %(count)d 户记录不同") % {"count": len(differing) - MAX_NAMED})
    return problems


def check(draw: RandomDraw) -> list[str]:
    """What differs between the sealed record and the draw as stored now ([] when nothing).

    A draw of format 0 has no record: it is checked as it was when it was run.
    """
    if draw.record_version == 0:
        return []
    if draw.record_version != CURRENT_VERSION:
        return [_("未知的抽取记录格式：%(version)s") % {"version": draw.record_version}]
    try:
        text = snapshots.decompress(draw.snapshot_bytes("record") or b"")
        sealed, lines = _parse(text)
    except Exception:  # zlib, UTF-8 or JSON errors: the record itself was damaged
        return [_("抽取记录无法读取，与抽取时的记录摘要不符")]
    problems = []
    if snapshots.digest(text) != draw.record_digest:
        problems.append(_("抽取记录与抽取时的记录摘要不符"))
    rows = stored_rows(draw)
    problems += _header_problems(sealed, header_of(draw))
    problems += _row_problems(lines, rows)
    return problems
