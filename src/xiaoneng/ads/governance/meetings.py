"""Joint meetings (联席会议, 篇1): 以健全落实违法广告部门联席会议制度为载体，加强与宣传、卫生、
药监、公安、监察等部门的协作，积极推进广告监管信息沟通与共享 — the bureau records each meeting, the
follow-ups it assigned to member departments and the leads they shared.

Meetings are the bureau's records: they are written by station directors and division staff
holding SUPERVISE_ADS whose scope is the bureau (in practice division staff), and every unit
of the bureau reads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.ads.governance.departments import departments
from xiaoneng.ads.governance.models import FollowUpItem, JointMeeting, SharedLead
from xiaoneng.ads.governance.services import DECIDER_ROLES
from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput, NotPermitted
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit

TITLE_LENGTH = 100


@dataclass(frozen=True)
class FollowUpDraft:
    """A follow-up as typed: the task, the owner department's code and the deadline."""

    task: str
    owner_department: str
    deadline: dt.date | None


def meeting_unit(actor: Officer) -> Unit | None:
    """The bureau ``actor`` records meetings for, or None if their scope is not a bureau."""
    root = access.scope_root(actor)
    return root if root is not None and root.kind == Unit.Kind.BUREAU else None


def may_record_meetings(actor: Officer) -> bool:
    """Whether ``actor`` may record and update joint meetings."""
    return (
        access.can(actor, access.SUPERVISE_ADS)
        and actor.has_role(*DECIDER_ROLES)
        and meeting_unit(actor) is not None
    )


def _require_recorder(actor: Officer, meeting: JointMeeting | None = None) -> Unit:
    access.require(actor, access.SUPERVISE_ADS)
    unit = meeting_unit(actor)
    if not actor.has_role(*DECIDER_ROLES) or unit is None:
        raise NotPermitted(_("联席会议由局科室人员登记。"))
    if meeting is not None:
        access.require_unit(actor, meeting.unit_id)
    return unit


def _department_error(field: str, code: str) -> FieldError | None:
    if not code:
        return FieldError(field, _("请选择部门"))
    if code not in departments():
        return FieldError(field, _("未知的部门：%(v)s") % {"v": code})
    return None


def _follow_up_errors(
    draft: FollowUpDraft, held_on: dt.date | None, prefix: str
) -> list[FieldError]:
    errors = []
    if not (draft.task or "").strip():
        errors.append(FieldError(f"{prefix}task", _("请填写落实事项")))
    problem = _department_error(f"{prefix}owner_department", (draft.owner_department or "").strip())
    if problem:
        errors.append(problem)
    if draft.deadline is None:
        errors.append(FieldError(f"{prefix}deadline", _("请填写完成期限（YYYY-MM-DD）")))
    elif held_on is not None and draft.deadline < held_on:
        message = _("完成期限不能早于会议日期（%(held)s）：%(day)s")
        values = {"held": held_on, "day": draft.deadline}
        errors.append(FieldError(f"{prefix}deadline", message % values))
    return errors


def _meeting_errors(
    *,
    held_on: dt.date | None,
    title: str,
    convening_department: str,
    member_departments: Sequence[str],
    attendees: str,
    topics: str,
) -> list[FieldError]:
    errors: list[FieldError] = []
    today = timezone.localdate()
    if held_on is None:
        errors.append(FieldError("held_on", _("请填写会议日期（YYYY-MM-DD）")))
    elif held_on > today:
        message = _("会议日期不能晚于今天（%(today)s）：%(day)s")
        errors.append(FieldError("held_on", message % {"today": today, "day": held_on}))
    if not title:
        errors.append(FieldError("title", _("请填写会议名称")))
    elif len(title) > TITLE_LENGTH:
        errors.append(FieldError("title", _("会议名称不能超过 %(n)d 个字") % {"n": TITLE_LENGTH}))
    problem = _department_error("convening_department", convening_department)
    if problem:
        errors.append(problem)
    if not member_departments:
        errors.append(FieldError("member_departments", _("请选择成员单位")))
    unknown = [code for code in member_departments if code not in departments()]
    if unknown:
        message = _("未知的部门：%(v)s") % {"v": "、".join(unknown)}
        errors.append(FieldError("member_departments", message))
    if len(set(member_departments)) != len(member_departments):
        errors.append(FieldError("member_departments", _("成员单位重复")))
    if not attendees:
        errors.append(FieldError("attendees", _("请填写参会人员")))
    if not topics:
        errors.append(FieldError("topics", _("请填写议题")))
    return errors


def record_meeting(
    *,
    held_on: dt.date | None,
    title: str,
    convening_department: str,
    member_departments: Sequence[str],
    attendees: str,
    topics: str,
    decisions: str,
    actor: Officer,
    follow_ups: Sequence[FollowUpDraft] = (),
) -> JointMeeting:
    """Record a joint meeting of the bureau with its follow-ups, in one transaction."""
    unit = _require_recorder(actor)
    title, convening = (title or "").strip(), (convening_department or "").strip()
    members = [str(code).strip() for code in member_departments if str(code).strip()]
    if convening and convening not in members:
        members.insert(0, convening)  # the convener sits in its own meeting
    attendees, topics = (attendees or "").strip(), (topics or "").strip()
    errors = _meeting_errors(
        held_on=held_on,
        title=title,
        convening_department=convening,
        member_departments=members,
        attendees=attendees,
        topics=topics,
    )
    for index, draft in enumerate(follow_ups, start=1):
        errors += _follow_up_errors(draft, held_on, f"follow_ups.{index}.")
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    assert held_on is not None
    if JointMeeting.objects.filter(unit=unit, held_on=held_on, title=title).exists():
        raise Conflict(_("该联席会议已登记：%(day)s %(t)s") % {"day": held_on, "t": title})
    with transaction.atomic(), audit.attributed(actor):
        meeting = JointMeeting.objects.create(
            unit=unit,
            held_on=held_on,
            title=title,
            convening_department=convening,
            member_departments=members,
            attendees=attendees,
            topics=topics,
            decisions=(decisions or "").strip(),
            recorded_by=actor,
        )
        for draft in follow_ups:
            _create_follow_up(meeting, draft)
    return meeting


def _create_follow_up(meeting: JointMeeting, draft: FollowUpDraft) -> FollowUpItem:
    assert draft.deadline is not None
    return FollowUpItem.objects.create(
        meeting=meeting,
        task=draft.task.strip(),
        owner_department=draft.owner_department.strip(),
        deadline=draft.deadline,
    )


def add_follow_up(*, meeting: JointMeeting, draft: FollowUpDraft, actor: Officer) -> FollowUpItem:
    """Add a follow-up item to a recorded meeting."""
    _require_recorder(actor, meeting)
    errors = _follow_up_errors(draft, meeting.held_on, "")
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    with transaction.atomic(), audit.attributed(actor):
        return _create_follow_up(meeting, draft)


def complete_follow_up(
    *, item: FollowUpItem, done_on: dt.date | None, result: str, actor: Officer
) -> FollowUpItem:
    """Mark a follow-up done (办结) on a day, with its result."""
    _require_recorder(actor, item.meeting)
    if item.status == FollowUpItem.Status.DONE:
        raise Conflict(_("该落实事项已于 %(day)s 办结") % {"day": item.done_on})
    errors = []
    result = (result or "").strip()
    if not result:
        errors.append(FieldError("result", _("请填写办理结果")))
    today = timezone.localdate()
    if done_on is None:
        errors.append(FieldError("done_on", _("请填写办结日期（YYYY-MM-DD）")))
    elif done_on > today:
        message = _("办结日期不能晚于今天（%(today)s）：%(day)s")
        errors.append(FieldError("done_on", message % {"today": today, "day": done_on}))
    elif done_on < item.meeting.held_on:
        message = _("办结日期不能早于会议日期（%(held)s）：%(day)s")
        errors.append(
            FieldError("done_on", message % {"held": item.meeting.held_on, "day": done_on})
        )
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    with transaction.atomic(), audit.attributed(actor):
        item.status = FollowUpItem.Status.DONE
        item.done_on = done_on
        item.result = result
        item.save()
    return item


def share_lead(
    *, meeting: JointMeeting, from_department: str, content: str, party_name: str, actor: Officer
) -> SharedLead:
    """Record a lead (通报的线索) a member department shared at the meeting."""
    _require_recorder(actor, meeting)
    errors = []
    code = (from_department or "").strip()
    problem = _department_error("from_department", code)
    if problem:
        errors.append(problem)
    elif code not in meeting.member_departments:
        errors.append(
            FieldError("from_department", _("该部门不是本次会议的成员单位：%(v)s") % {"v": code})
        )
    content = (content or "").strip()
    if not content:
        errors.append(FieldError("content", _("请填写线索内容")))
    party_name = (party_name or "").strip()
    if len(party_name) > 200:
        errors.append(FieldError("party_name", _("涉及主体不能超过 200 个字")))
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    with transaction.atomic(), audit.attributed(actor):
        return SharedLead.objects.create(
            meeting=meeting, from_department=code, content=content, party_name=party_name
        )


def is_overdue(item: FollowUpItem, today: dt.date | None = None) -> bool:
    """Whether an open follow-up is past its deadline."""
    today = today or timezone.localdate()
    return item.status == FollowUpItem.Status.OPEN and item.deadline < today
