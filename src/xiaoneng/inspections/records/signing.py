"""Signing an inspection record: each member of the team signs, the last one makes it final.

The preconditions are checked at every signature (篇7: a record must show what was checked,
where and by whom): every item answered, two certified officers for an enforcement check
(行政处罚法 第42条), a check-in and times for an on-site check. The final signature moves the
record to signed and notes the visit on the register (``Entity.last_inspected_on``, from
which the patrol interval runs), then what follows in the later sub-domains runs (follow-up's
``consequences.after_signing``: the trace check, findings, exits, credit) and the task the
record came from is completed through planning's own service.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput, NotPermitted
from xiaoneng.core.models import AuditEvent
from xiaoneng.inspections.checklists.models import InspectionKind
from xiaoneng.inspections.records.models import Inspection
from xiaoneng.inspections.records.services import (
    CLOCK_SKEW,
    FAIL,
    SIGNED,
    check_revision,
    local_time,
    locked,
    refuse_if_signed,
)
from xiaoneng.inspections.records.transitions import INSPECTION
from xiaoneng.org.models import Officer
from xiaoneng.planning.patrol.models import Task
from xiaoneng.planning.patrol.tasks import TASK_TRANSITIONS, complete_task, may_record
from xiaoneng.registry.services import note_inspection


class AfterSigning(Protocol):
    """A step run after a final signature: a keyword-only service of a later sub-domain."""

    def __call__(self, *, inspection: Inspection, actor: Officer) -> None: ...


# What follows a final signature in the sub-domains above records (follow-up's
# ``consequences.after_signing``), registered from InspectionsConfig.ready() so that records
# never imports them (ADR 0012). Each runs inside the signing transaction, in order.
_AFTER_SIGNING: list[AfterSigning] = []


def register_after_signing(step: AfterSigning) -> None:
    """Run ``step(inspection=…, actor=officer)`` after every final signature, in the same
    transaction."""
    if step not in _AFTER_SIGNING:
        _AFTER_SIGNING.append(step)


def signing_errors(inspection: Inspection, at: dt.datetime | None = None) -> list[FieldError]:
    """What keeps ``inspection`` from being signed now (checked at each signature)."""
    errors = []
    missing = [
        r.item.number
        for r in inspection.results.select_related("item").order_by("item__position")
        if not r.result
    ]
    if missing:
        errors.append(
            FieldError(
                "results",
                _("以下检查事项尚无结论：第 %(numbers)s 项") % {"numbers": "、".join(missing)},
            )
        )
    if inspection.enforcement:
        team = [row.officer for row in inspection.team.select_related("officer")]
        if len(team) < 2:
            # 行政处罚法 第42条: 执法人员不得少于两人.
            errors.append(
                FieldError(
                    "team",
                    _(
                        "执法检查须由两名以上执法人员进行（《行政处罚法》第四十二条），"
                        "检查组现有 %(n)d 人"
                    )
                    % {"n": len(team)},
                )
            )
        uncertified = [str(o) for o in team if not (o.certificate_number or "").strip()]
        if uncertified:
            errors.append(
                FieldError(
                    "team",
                    _("执法检查的检查人员须持有执法证，%(names)s 没有执法证号")
                    % {"names": "、".join(uncertified)},
                )
            )
    if inspection.kind == InspectionKind.ONSITE:
        if inspection.checkin_longitude is None or inspection.checkin_at is None:
            errors.append(
                FieldError("checkin_longitude", _("实地检查须在现场签到（签到位置和时间）"))
            )
        if inspection.started_at is None or inspection.finished_at is None:
            errors.append(FieldError("finished_at", _("实地检查须填写开始时间和结束时间")))
    moment = at or timezone.now()
    if inspection.finished_at and moment < inspection.finished_at:
        errors.append(
            FieldError(
                "signed_at",
                _("签名时间 %(at)s 早于检查结束时间 %(end)s")
                % {"at": local_time(moment), "end": local_time(inspection.finished_at)},
            )
        )
    if moment > timezone.now() + CLOCK_SKEW:
        errors.append(
            FieldError(
                "signed_at", _("签名时间不能晚于当前时间：%(at)s") % {"at": local_time(moment)}
            )
        )
    return errors


def sign_inspection(
    *,
    inspection: Inspection,
    officer: Officer,
    at: dt.datetime | None = None,
    revision: int | str | None = None,
) -> Inspection:
    """``officer``, a member of the team, signs; the last signature makes the record final.

    ``revision``, when given, must be the stored one: a member signs what they read. Signing
    the last time moves the record to signed, counts the failed items, records the findings
    and completes the task the record came from.
    """
    with transaction.atomic(), audit.attributed(officer):
        current = locked(inspection)
        refuse_if_signed(current, _("签名"))
        member = current.team.filter(officer_id=officer.pk).first()
        if member is None:
            raise NotPermitted(_("只有检查组成员可以在检查记录上签名。"))
        if member.signed_at is not None:
            raise Conflict(
                _("您已于 %(at)s 签名，等待其他检查人员签名。")
                % {"at": local_time(member.signed_at)}
            )
        if revision is not None:
            check_revision(current, revision)
        moment = at or timezone.now()
        errors = signing_errors(current, moment)
        if errors:
            raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
        member.signed_at = moment
        member.save(update_fields=["signed_at"])
        audit.record(
            current,
            action=AuditEvent.Action.UPDATE,
            changes={_("签名"): [None, f"{officer} {local_time(moment)}"]},
        )
        if not current.team.filter(signed_at__isnull=True).exists():
            _finish(current, officer, moment)
    return current


def _finish(current: Inspection, officer: Officer, moment: dt.datetime) -> None:
    marks = list(current.results.values_list("result", "note"))
    INSPECTION.move(current, SIGNED)
    current.signed_at = moment
    current.items_failed = sum(1 for mark, _note in marks if mark == FAIL)
    current.uniform = len({mark for mark, _note in marks}) == 1 and not any(n for _m, n in marks)
    current.save()
    # Every signed record restarts the entity's patrol interval, whatever its origin.
    note_inspection(entity=current.entity, on=current.visited_on)
    for step in _AFTER_SIGNING:
        step(inspection=current, actor=officer)
    if current.task_id is not None:
        _complete_task(current, current.task_id, officer)


def _complete_task(current: Inspection, task_id: int, officer: Officer) -> None:
    """The task is done by its inspection, through planning's own service and rules."""
    task = Task.objects.select_related("plan", "officer").get(pk=task_id)
    if not TASK_TRANSITIONS.allows(task.status, Task.Status.DONE):
        return  # recorded already (a correction, or by hand before the record existed)
    candidates = (officer, current.lead_officer, task.officer)
    recorder = next((o for o in candidates if o is not None and may_record(o, task)), None)
    if recorder is None:
        return
    note = current.summary or _("检查 %(n)d 项，不符合 %(f)d 项（检查记录 #%(id)s）") % {
        "n": current.results.count(),
        "f": current.items_failed,
        "id": current.pk,
    }
    complete_task(
        task=task,
        officer=recorder,
        done_on=current.visited_on,
        note=note,
        violation_found=current.items_failed > 0,
    )
