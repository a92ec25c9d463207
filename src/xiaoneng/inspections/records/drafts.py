"""Saving a draft inspection: results, times, check-in, team, with an optimistic lock.

Two officers may fill the same draft on two phones. Each save names the revision it started
from; a save from an older revision is refused with who changed the draft and when, and
nothing is written, so the first officer's work is never overwritten silently.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core import audit
from xiaoneng.core.errors import FieldError, InvalidInput
from xiaoneng.core.models import AuditEvent
from xiaoneng.inspections.records.models import Inspection, InspectionOfficer, ItemResult
from xiaoneng.inspections.records.services import (
    CLOCK_SKEW,
    FAIL,
    check_revision,
    clear_signatures,
    local_time,
    locked,
    member_error,
    refuse_if_signed,
    require_editor,
)
from xiaoneng.org.geo import outside_china
from xiaoneng.org.models import Officer
from xiaoneng.registry.fields import outside_china_error

NOTE_MAX = 500
MOMENTS = {
    "started_at": gettext_lazy("开始时间"),
    "finished_at": gettext_lazy("结束时间"),
    "checkin_at": gettext_lazy("签到时间"),
}
NUMBERS = {
    "checkin_longitude": gettext_lazy("签到经度"),
    "checkin_latitude": gettext_lazy("签到纬度"),
    "checkin_accuracy": gettext_lazy("定位精度"),
}
FLAGS = ("entity_operating", "enforcement")
DRAFT_FIELDS = frozenset({*MOMENTS, *NUMBERS, *FLAGS, "summary", "results", "team"})


def save_draft(
    *, inspection: Inspection, officer: Officer, revision: int | str, values: Mapping[str, Any]
) -> Inspection:
    """Save what the team filled in; only the keys present in ``values`` change.

    ``values`` may hold ``results`` ({item id: {"result": pass|fail|na|"", "note": …}}),
    ``summary``, ``started_at``, ``finished_at``, ``checkin_at`` (datetimes or ISO text),
    ``checkin_longitude``/``checkin_latitude``/``checkin_accuracy``, ``entity_operating``,
    ``enforcement`` and
    ``team`` (usernames; the lead stays first). ``revision`` must be the stored revision,
    else the save is refused and nothing is written. A change after someone signed clears
    the signatures: they sign again what they now read.
    """
    unknown = sorted(set(values) - DRAFT_FIELDS)
    if unknown:
        raise InvalidInput.single(unknown[0], _("未知字段：%(name)s") % {"name": unknown[0]})
    with transaction.atomic(), audit.attributed(officer):
        current = locked(inspection)
        refuse_if_signed(current, _("修改"))
        require_editor(officer, current)
        check_revision(current, revision)
        errors = _apply_fields(current, values)
        rows, result_changes, result_errors = _apply_results(current, values.get("results"))
        members, team_change, team_errors = _apply_team(current, values.get("team"))
        errors += result_errors + team_errors
        if errors:
            raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
        ItemResult.objects.bulk_update(rows, ["result", "note"])
        if team_change:
            _replace_team(current, members)
            result_changes[_("检查组")] = team_change
        before = audit.snapshot(Inspection.objects.get(pk=current.pk))
        if result_changes:
            audit.record(current, action=AuditEvent.Action.UPDATE, changes=result_changes)
        if result_changes or audit.diff(before, audit.snapshot(current)):
            clear_signatures(inspection=current)
        current.revision += 1
        current.updated_by = officer
        current.save()
    return current


def _moment(field: str, value: Any, errors: list[FieldError]) -> dt.datetime | None:
    if value is None or value == "":
        return None
    moment = value if isinstance(value, dt.datetime) else None
    if isinstance(value, str):
        try:
            moment = parse_datetime(value.strip())
        except ValueError:
            moment = None
    if moment is None:
        errors.append(
            FieldError(
                field,
                _("%(label)s应为“YYYY-MM-DD HH:MM”格式的时间：%(value)s")
                % {"label": MOMENTS[field], "value": value},
            )
        )
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > timezone.now() + CLOCK_SKEW:
        errors.append(
            FieldError(
                field,
                _("%(label)s不能晚于当前时间：%(value)s")
                % {"label": MOMENTS[field], "value": local_time(moment)},
            )
        )
    return moment


def _number(field: str, value: Any, errors: list[FieldError]) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value if isinstance(value, float | int) else str(value).strip())
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        message = _("%(label)s应为数字：%(value)s") % {"label": NUMBERS[field], "value": value}
        errors.append(FieldError(field, message))
        return None
    return number


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def _apply_fields(current: Inspection, values: Mapping[str, Any]) -> list[FieldError]:
    """Set the record's own fields from ``values`` (unsaved) and check them together."""
    errors: list[FieldError] = []
    for field in MOMENTS:
        if field in values:
            setattr(current, field, _moment(field, values[field], errors))
    for field in NUMBERS:
        if field in values:
            setattr(current, field, _number(field, values[field], errors))
    if "summary" in values:
        current.summary = str(values["summary"] or "").strip()
    for flag in FLAGS:
        if flag in values:
            setattr(current, flag, _flag(values[flag]))
    if errors:
        return errors
    if current.started_at and current.finished_at and current.finished_at < current.started_at:
        errors.append(
            FieldError(
                "finished_at",
                _("结束时间 %(end)s 早于开始时间 %(start)s")
                % {"end": local_time(current.finished_at), "start": local_time(current.started_at)},
            )
        )
    errors += _check_position(current)
    if current.started_at:
        current.visited_on = timezone.localdate(current.started_at)
    return errors


def _check_position(current: Inspection) -> list[FieldError]:
    """Both coordinates or neither, inside China, with the time the device took them."""
    lon, lat = current.checkin_longitude, current.checkin_latitude
    if (lon is None) != (lat is None):
        missing = "checkin_latitude" if lat is None else "checkin_longitude"
        return [FieldError(missing, _("经度和纬度须同时填写"))]
    if lon is None or lat is None:
        current.checkin_accuracy = None
        return []
    errors = []
    if outside_china([lon], [lat])[0]:
        errors.append(FieldError("checkin_longitude", outside_china_error(lon, lat).message))
    if current.checkin_accuracy is not None and current.checkin_accuracy < 0:
        errors.append(
            FieldError(
                "checkin_accuracy",
                _("定位精度不能为负数：%(value)s") % {"value": current.checkin_accuracy},
            )
        )
    if current.checkin_at is None:
        errors.append(FieldError("checkin_at", _("签到位置须同时记录签到时间")))
    return errors


def _apply_results(
    current: Inspection, given: Any
) -> tuple[list[ItemResult], dict[str, list[Any]], list[FieldError]]:
    """The changed result rows (unsaved), their trace, and what is wrong with ``given``."""
    if not given:
        return [], {}, []
    if not isinstance(given, Mapping):
        return [], {}, [FieldError("results", _("检查结果应为“事项 → 结论”的对应表"))]
    rows = {r.item_id: r for r in current.results.select_related("item")}
    labels = dict(ItemResult.Result.choices)
    changed, changes, errors = [], {}, []
    for key, answer in given.items():
        row = rows.get(int(key)) if str(key).isdigit() else None
        if row is None:
            errors.append(
                FieldError("results", _("检查事项 %(id)s 不在本记录的检查清单中") % {"id": key})
            )
            continue
        answer = answer if isinstance(answer, Mapping) else {"result": answer}
        field = f"results.{row.item_id}"
        mark = str(answer.get("result", row.result) or "").strip()
        note = str(answer.get("note", row.note) or "").strip()
        number = row.item.number
        if mark and mark not in labels:
            errors.append(
                FieldError(
                    field,
                    _(
                        "第 %(n)s 项的结论应为 pass（符合）、fail（不符合）"
                        "或 na（不适用）：%(value)s"
                    )
                    % {"n": number, "value": mark},
                )
            )
        elif len(note) > NOTE_MAX:
            errors.append(
                FieldError(
                    field, _("第 %(n)s 项的说明超过 %(max)d 字") % {"n": number, "max": NOTE_MAX}
                )
            )
        elif mark == FAIL and not note:
            errors.append(
                FieldError(
                    field,
                    _("第 %(n)s 项“%(title)s”不符合，请在说明中写明存在的问题")
                    % {"n": number, "title": row.item.title},
                )
            )
        elif (mark, note) != (row.result, row.note):
            old = f"{labels.get(row.result, '—')} {row.note}".strip()
            changes[_("第 %(n)s 项") % {"n": number}] = [
                old,
                f"{labels.get(mark, '—')} {note}".strip(),
            ]
            row.result, row.note = mark, note
            changed.append(row)
    return changed, changes, errors


def _apply_team(
    current: Inspection, given: Any
) -> tuple[list[Officer], list[str] | None, list[FieldError]]:
    """The new team (lead first) from usernames, the trace of the change, and the errors."""
    if given is None:
        return [], None, []
    names = [str(n).strip() for n in given if str(n).strip()]
    found = {o.get_username(): o for o in Officer.objects.filter(username__in=names)}
    errors = [
        FieldError("team", _("检查人员 %(name)s 不存在") % {"name": n})
        for n in names
        if n not in found
    ]
    lead = current.lead_officer
    members = [lead, *[found[n] for n in dict.fromkeys(names) if n in found and found[n] != lead]]
    before = list(current.team.select_related("officer").order_by("id"))
    known = {row.officer_id for row in before}
    errors += [e for m in members if m.pk not in known and (e := member_error(m, current.unit_id))]
    if known == {m.pk for m in members}:
        return members, None, errors
    kept = [m for m in members if m.pk in known]
    new = [str(row.officer) for row in before if row.officer in kept] + [
        str(m) for m in members if m.pk not in known
    ]
    return members, ["、".join(str(row.officer) for row in before), "、".join(new)], errors


def _replace_team(current: Inspection, members: list[Officer]) -> None:
    current.team.exclude(officer__in=members).delete()
    present = set(current.team.values_list("officer_id", flat=True))
    InspectionOfficer.objects.bulk_create(
        InspectionOfficer(inspection=current, officer=m) for m in members if m.pk not in present
    )
