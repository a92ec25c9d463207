"""Inspection records (检查记录): who may fill them, opening a draft, and amendments.

A draft is filled by its team (or the unit's director): ``record_drafts.save_draft``, each
save naming the revision it started from (decision 0011). When the last member of the team
signs (``record_signing.sign_inspection``) the record is final and every later change is
refused. A correction is a new record that amends the signed one, with a reason (here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput, NotPermitted
from xiaoneng.core.models import AuditEvent
from xiaoneng.core.scoping import in_scope
from xiaoneng.inspections.checklists.models import Checklist, InspectionKind
from xiaoneng.inspections.checklists.services import state_of
from xiaoneng.inspections.records.models import Inspection, InspectionOfficer, ItemResult
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Role
from xiaoneng.planning.patrol.models import Task
from xiaoneng.planning.patrol.tasks import may_record, not_open_yet
from xiaoneng.registry.models import Entity
from xiaoneng.registry.services import note_inspections

SIGNED = Inspection.Status.SIGNED
DRAFT = Inspection.Status.DRAFT
FAIL = ItemResult.Result.FAIL
# Phones' clocks run a little ahead: a time this far in the future is still accepted.
CLOCK_SKEW = dt.timedelta(minutes=5)
MIN_REASON = 5
OPEN_TASK = (Task.Status.PLANNED, Task.Status.OVERFLOW)

# Who may do what ----------------------------------------------------------------------------


def is_director_of(officer: Officer, unit_id: int) -> bool:
    """A station director (or administrator) whose scope holds the unit ``unit_id``."""
    return bool(officer.has_role(Role.STATION_DIRECTOR) and in_scope(officer, unit_id))


def is_member(officer: Officer, inspection: Inspection) -> bool:
    """Whether ``officer`` is on the inspection's team."""
    return inspection.team.filter(officer_id=officer.pk).exists()


def may_edit(officer: Officer, inspection: Inspection) -> bool:
    """Members of the team and the director of the inspection's unit fill a draft."""
    if not getattr(officer, "is_authenticated", False):
        return False
    return is_member(officer, inspection) or is_director_of(officer, inspection.unit_id)


def require_editor(officer: Officer, inspection: Inspection) -> None:
    """Refuse unless ``officer`` may edit ``inspection`` (see ``may_edit``)."""
    if not may_edit(officer, inspection):
        raise NotPermitted(_("只有检查组成员或本单位所长可以修改该检查记录。"))


def refuse_if_signed(inspection: Inspection, action: str) -> None:
    """A signed record is immutable: every change is refused, naming when it was signed."""
    if inspection.status == SIGNED:
        raise Conflict(
            _("检查记录已于 %(at)s 签名，不能再%(action)s；如需更正，请提出更正。")
            % {"at": local_time(inspection.signed_at), "action": action}
        )


def locked(inspection: Inspection) -> Inspection:
    """The stored row of ``inspection``, locked until the transaction ends."""
    return Inspection.objects.select_for_update(of=("self",)).get(pk=inspection.pk)


def local_time(moment: dt.datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A stored (UTC) moment as Asia/Shanghai time for a message; "—" for none."""
    return timezone.localtime(moment).strftime(pattern) if moment else "—"


def check_revision(inspection: Inspection, revision: int | str | None) -> None:
    """Refuse a save started from another revision than the stored one (optimistic lock)."""
    try:
        given = int(str(revision).strip())
    except ValueError:
        raise InvalidInput.single(
            "revision", _("修订号无效：%(value)s") % {"value": revision}
        ) from None
    if given != inspection.revision:
        message = _("该草稿已被 %(who)s 于 %(at)s 修改，请刷新后再编辑；您的修改未保存") % {
            "who": inspection.updated_by or _("他人"),
            "at": local_time(inspection.updated_at, "%H:%M"),
        }
        raise Conflict(message, errors=[FieldError("revision", message)])


def clear_signatures(*, inspection: Inspection) -> None:
    """The record changed after some members signed: they must sign again."""
    signed = inspection.team.filter(signed_at__isnull=False)
    if signed.exists():
        names = "、".join(str(row.officer) for row in signed.select_related("officer"))
        signed.update(signed_at=None)
        audit.record(
            inspection,
            action=AuditEvent.Action.UPDATE,
            changes={_("签名"): [names, None]},
            reason=_("签名后记录被修改，须重新签名"),
        )


# Opening ----------------------------------------------------------------------------------


AD_HOC_ORIGINS = (Inspection.Origin.AD_HOC, Inspection.Origin.COMPLAINT)


def origin_of(task: Task) -> str:
    """Where a task's inspection comes from: its plan's kind (patrol, campaign, joint
    departmental inspection, re-inspection: each has an origin of the same name).

    A rectification order's re-inspection task is always made in a re-inspection plan
    (``followup.reinspection.reinspection_plan``), so its record is a re-inspection.
    """
    kind = task.plan.kind
    return kind if kind in Inspection.Origin.values else Inspection.Origin.PATROL


def open_inspection(
    *,
    entity: Entity | None = None,
    officer: Officer,
    kind: str,
    origin: str | None = None,
    task: Task | None = None,
    checklist: Checklist | None = None,
    enforcement: bool = False,
    team: Sequence[Officer] = (),
) -> Inspection:
    """A draft inspection of ``entity`` (or of the task's entity) led by ``officer``.

    From a task: only the task's officer, a member of its joint visit or the unit's director,
    once the task's period has begun (``not_open_yet``); the task's draft is returned if there
    is one, else the task must still be open (not cancelled, not done by hand). Ad hoc: an
    officer who may inspect, of an entity in their scope. ``checklist`` None means the current
    one for the entity's industry.
    """
    if task is not None:
        if not may_record(officer, task):
            raise NotPermitted(
                _("只有任务责任人、联合检查组成员或本单位所长可以开始该任务的检查。")
            )
        refusal = not_open_yet(task)
        if refusal is not None:
            raise Conflict(refusal)
        if entity is not None and entity.pk != task.entity_id:
            raise InvalidInput.single(
                "entity", _("市场主体与任务不符：%(name)s") % {"name": entity}
            )
        entity, origin = task.entity, origin_of(task)
    else:
        access.require(officer, access.INSPECT)
        if entity is None:
            raise InvalidInput.single("entity", _("请选择要检查的市场主体"))
        if not in_scope(officer, entity.unit_id):
            raise NotPermitted(
                _("市场主体“%(name)s”不在您的辖区内，不能对其开展检查。") % {"name": entity.name}
            )
        origin = origin or Inspection.Origin.AD_HOC
        if origin not in AD_HOC_ORIGINS:
            # Patrol, draw, campaign and re-inspection records come from their tasks.
            raise InvalidInput.single(
                "origin",
                _("不按任务的检查，来源应为临时检查或投诉举报：%(value)s") % {"value": origin},
            )
    if kind not in InspectionKind.values:
        raise InvalidInput.single(
            "kind",
            _("检查方式应为 onsite（实地）或 documentary（书式）：%(value)s") % {"value": kind},
        )
    with transaction.atomic(), audit.attributed(officer):
        if task is not None:
            existing = _draft_of_task(task)
            if existing is not None:
                return existing
        if checklist is None:
            from xiaoneng.inspections.checklists.services import checklist_for

            checklist = checklist_for(entity=entity, kind=kind)
        _check_checklist(checklist, kind)
        members = [officer, *[m for m in team if m.pk != officer.pk]]
        errors = [e for m in members[1:] if (e := member_error(m, entity.unit_id))]
        if errors:
            raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
        inspection = Inspection.objects.create(
            entity=entity,
            unit_id=entity.unit_id,
            region_code=entity.region_code,
            task=task,
            origin=origin,
            kind=kind,
            enforcement=enforcement,
            checklist=checklist,
            lead_officer=officer,
            visited_on=timezone.localdate(),
            updated_by=officer,
        )
        ItemResult.objects.bulk_create(
            ItemResult(inspection=inspection, item=item)
            for item in checklist.items.order_by("position")
        )
        InspectionOfficer.objects.bulk_create(
            InspectionOfficer(inspection=inspection, officer=member) for member in members
        )
    return inspection


def _draft_of_task(task: Task) -> Inspection | None:
    """The task's open draft; refuse when the task is signed off or closed."""
    current = Task.objects.select_for_update().filter(pk=task.pk).first() or task
    records = Inspection.objects.filter(task_id=task.pk, amends__isnull=True)
    signed = records.filter(status=SIGNED).first()
    if signed is not None:
        raise Conflict(
            _("该任务已有签名的检查记录（#%(id)s）；如需更正，请对该记录提出更正。")
            % {"id": signed.pk}
        )
    draft = records.filter(status=DRAFT).order_by("id").first()
    if draft is None and current.status not in OPEN_TASK:
        # Cancelled, or done by hand without a record: nothing is left to inspect.
        raise Conflict(
            _("任务状态为“%(status)s”，不能再开始检查") % {"status": current.get_status_display()}
        )
    return draft


def _check_checklist(checklist: Checklist, kind: str) -> None:
    if checklist.kind != kind:
        raise InvalidInput.single(
            "checklist",
            _("清单“%(title)s”用于%(its)s，与检查方式“%(kind)s”不符")
            % {
                "title": checklist,
                "its": checklist.get_kind_display(),
                "kind": InspectionKind(kind).label,
            },
        )
    state = state_of(checklist)  # only a version in force today is filled in
    if state == "retired":
        raise InvalidInput.single(
            "checklist",
            _("清单“%(title)s”已于 %(on)s 停用") % {"title": checklist, "on": checklist.retired_on},
        )
    if state == "pending":
        raise InvalidInput.single(
            "checklist",
            _("清单“%(title)s”自 %(on)s 起施行，尚未生效")
            % {"title": checklist, "on": checklist.effective_on},
        )
    if not checklist.items.exists():
        raise InvalidInput.single(
            "checklist", _("清单“%(title)s”没有检查事项") % {"title": checklist}
        )


def member_error(member: Officer, unit_id: int) -> FieldError | None:
    """Why ``member`` cannot join the team of a record of unit ``unit_id`` (None: they can)."""
    if not member.is_active or not access.can(member, access.INSPECT):
        return FieldError("team", _("%(name)s 不是执法检查人员，不能加入检查组") % {"name": member})
    if not in_scope(member, unit_id):
        # They could not see the record to sign it.
        return FieldError("team", _("%(name)s 不属于本单位辖区，不能加入检查组") % {"name": member})
    return None


# Amendments -------------------------------------------------------------------------------

COPIED = (
    "entity_id",
    "unit_id",
    "region_code",
    "task_id",
    "origin",
    "kind",
    "enforcement",
    "checklist_id",
    "lead_officer_id",
    "visited_on",
    "started_at",
    "finished_at",
    "checkin_at",
    "checkin_longitude",
    "checkin_latitude",
    "checkin_accuracy",
    "entity_operating",
    "summary",
)


def amend_inspection(*, inspection: Inspection, officer: Officer, reason: str) -> Inspection:
    """A draft correcting the signed ``inspection``: its results, times, team and check-in.

    The original stays as it was. A record is corrected at the end of its chain, one open
    correction at a time.
    """
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise InvalidInput.single(
            "reason", _("请填写更正理由（至少 %(n)d 个字）") % {"n": MIN_REASON}
        )
    with transaction.atomic(), audit.attributed(officer):
        original = locked(inspection)
        if original.status != SIGNED:
            raise Conflict(_("只有已签名的检查记录可以更正；草稿请直接修改。"))
        require_editor(officer, original)
        later = original.amendments.order_by("-id").first()
        if later is not None and later.status == DRAFT:
            raise Conflict(
                _("该记录已有未签名的更正草稿（#%(id)s），请先完成该草稿。") % {"id": later.pk}
            )
        if later is not None:
            raise Conflict(
                _("该记录已被更正（#%(id)s），请对最新的记录提出更正。") % {"id": later.pk}
            )
        amendment = Inspection.objects.create(
            **{name: getattr(original, name) for name in COPIED},
            amends=original,
            amendment_reason=reason,
            updated_by=officer,
        )
        ItemResult.objects.bulk_create(
            ItemResult(inspection=amendment, item_id=r.item_id, result=r.result, note=r.note)
            for r in original.results.order_by("id")
        )
        InspectionOfficer.objects.bulk_create(
            InspectionOfficer(inspection=amendment, officer_id=row.officer_id)
            for row in original.team.order_by("id")
        )
    return amendment


def amendment_chain(inspection: Inspection) -> list[Inspection]:
    """The record, the records it corrects and its corrections, oldest first."""
    chain = [inspection]
    while chain[0].amends_id is not None:
        chain.insert(0, Inspection.objects.get(pk=chain[0].amends_id))
    while (later := chain[-1].amendments.order_by("id").first()) is not None:
        chain.append(later)
    return chain


def note_signed_records(*, records: QuerySet[Inspection] | None = None) -> int:
    """Tell the register the latest visit day of each entity's signed records (of
    ``records``, else all): for writers that sign records in bulk, such as the demo, as
    ``sign_inspection`` does one at a time. Returns the number of entities moved forward."""
    signed = (Inspection.objects.all() if records is None else records).filter(status=SIGNED)
    latest = signed.order_by().values("entity_id").annotate(day=Max("visited_on"))
    return note_inspections(days={row["entity_id"]: row["day"] for row in latest})
