"""Recording training (篇8): a session and the units invited, then who attended it.

Whoever holds MANAGE_TRAINING records sessions organised by a unit of their scope for units of
their scope: division staff and the bureau leader for the whole bureau, a station director for
the station (所内培训). Attendance is recorded for the officers of one's scope: a station
director records their own officers at a division's session; the organiser's staff anyone's.
Every write is checked completely first, then written in one transaction, or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import FieldError, InvalidInput, NotPermitted
from xiaoneng.core.scoping import in_scope, visible_unit_ids
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.org.training.models import Attendance, Topic, TrainingSession

TITLE_LENGTH = 100
PLACE_LENGTH = 100
LECTURER_LENGTH = 50
NOTE_LENGTH = 1000
MAX_HOURS = Decimal("24")
OUT_OF_SCOPE = _("该记录不属于您所在单位的辖区。")


@dataclass(frozen=True)
class SessionDraft:
    """A session as typed; ``hours`` as text or a number (the service parses it)."""

    title: str
    topic: str
    organiser: Unit | None
    held_on: dt.date | None
    hours: Any
    audience: Sequence[Unit]
    place: str = ""
    lecturer: str = ""
    note: str = ""


def may_manage(actor: Officer, session: TrainingSession | None = None) -> bool:
    """Whether ``actor`` may record sessions (and change ``session``: its organiser in scope)."""
    if not access.can(actor, access.MANAGE_TRAINING):
        return False
    return session is None or in_scope(actor, session.organiser_id)


def may_record_attendance(actor: Officer, session: TrainingSession) -> bool:
    """Whether ``actor`` may record attendance at ``session``: they hold MANAGE_TRAINING and the
    organiser or an invited unit lies in their scope (whose officers they may then record)."""
    if not access.can(actor, access.MANAGE_TRAINING):
        return False
    ids = visible_unit_ids(actor)
    if ids is None or session.organiser_id in ids:
        return True
    audience = session.audience.values_list("path", flat=True)
    scope_paths = Unit.objects.filter(id__in=ids).values_list("path", flat=True)
    return any(p.startswith(a) or a.startswith(p) for p in scope_paths for a in audience)


def parse_hours(value: Any) -> tuple[Decimal | None, str]:
    """(hours, '') or (None, the message): more than 0, at most 24, one decimal at most."""
    text = str(value if value is not None else "").strip()
    if not text:
        return None, _("请填写学时")
    try:
        hours = Decimal(text)
    except InvalidOperation:
        return None, _("学时应为数字：%(v)s") % {"v": text[:20]}
    if not hours.is_finite():
        return None, _("学时应为数字：%(v)s") % {"v": text[:20]}
    if hours <= 0 or hours > MAX_HOURS:
        return None, _("学时应大于 0 且不超过 24：%(v)s") % {"v": text[:20]}
    if hours != hours.quantize(Decimal("0.1")):
        return None, _("学时最多保留一位小数：%(v)s") % {"v": text[:20]}
    return hours.quantize(Decimal("0.1")), ""


def _text_errors(draft: SessionDraft) -> list[FieldError]:
    errors = []
    title = (draft.title or "").strip()
    if not title:
        errors.append(FieldError("title", _("请填写培训专题")))
    elif len(title) > TITLE_LENGTH:
        errors.append(FieldError("title", _("培训专题不能超过 %(n)d 个字") % {"n": TITLE_LENGTH}))
    limits = (("place", PLACE_LENGTH, _("培训地点")), ("lecturer", LECTURER_LENGTH, _("授课人")))
    for name, limit, label in limits:
        if len((getattr(draft, name) or "").strip()) > limit:
            message = _("%(label)s不能超过 %(n)d 个字") % {"label": label, "n": limit}
            errors.append(FieldError(name, message))
    if len((draft.note or "").strip()) > NOTE_LENGTH:
        errors.append(FieldError("note", _("备注不能超过 %(n)d 个字") % {"n": NOTE_LENGTH}))
    return errors


def _session_errors(actor: Officer, draft: SessionDraft) -> tuple[list[FieldError], Decimal | None]:
    errors = _text_errors(draft)
    if not draft.topic:
        errors.append(FieldError("topic", _("请选择培训类别")))
    elif draft.topic not in Topic.values:
        errors.append(FieldError("topic", _("未知的培训类别：%(v)s") % {"v": draft.topic[:20]}))
    if draft.organiser is None:
        errors.append(FieldError("organiser", _("请选择组织单位")))
    elif not in_scope(actor, draft.organiser.pk):
        message = _("组织单位不在您的辖区内：%(u)s") % {"u": draft.organiser.name}
        errors.append(FieldError("organiser", message))
    if draft.held_on is None:
        errors.append(FieldError("held_on", _("请填写培训日期（YYYY-MM-DD）")))
    hours, problem = parse_hours(draft.hours)
    if problem:
        errors.append(FieldError("hours", problem))
    errors += _audience_errors(actor, draft.audience)
    return errors, hours


def _audience_errors(actor: Officer, audience: Sequence[Unit]) -> list[FieldError]:
    if not audience:
        return [FieldError("audience", _("请选择参训单位"))]
    ids = [unit.pk for unit in audience]
    if len(set(ids)) != len(ids):
        return [FieldError("audience", _("参训单位重复"))]
    outside = [unit.name for unit in audience if not in_scope(actor, unit.pk)]
    if outside:
        message = _("参训单位不在您的辖区内：%(u)s") % {"u": "、".join(outside)}
        return [FieldError("audience", message)]
    return []


def _refuse(errors: list[FieldError]) -> None:
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)


def create_session(*, actor: Officer, draft: SessionDraft) -> TrainingSession:
    """Record a training session with its audience."""
    access.require(actor, access.MANAGE_TRAINING)
    errors, hours = _session_errors(actor, draft)
    _refuse(errors)
    with transaction.atomic(), audit.attributed(actor):
        session = TrainingSession.objects.create(created_by=actor, **_fields(draft, hours))
        session.audience.set(draft.audience)
    return session


def update_session(
    *, session: TrainingSession, actor: Officer, draft: SessionDraft, today: dt.date | None = None
) -> TrainingSession:
    """Correct a recorded session; a session with attendance keeps a day not in the future."""
    access.require(actor, access.MANAGE_TRAINING)
    if not in_scope(actor, session.organiser_id):
        raise NotPermitted(OUT_OF_SCOPE)
    errors, hours = _session_errors(actor, draft)
    today = today or timezone.localdate()
    recorded = session.attendances.exists()
    if recorded and draft.held_on is not None and draft.held_on > today:
        message = _("已登记出勤的培训，日期不能晚于今天（%(today)s）：%(day)s")
        errors.append(FieldError("held_on", message % {"today": today, "day": draft.held_on}))
    if recorded and not errors:
        errors += _still_invited(session, draft)
    _refuse(errors)
    with transaction.atomic(), audit.attributed(actor):
        for name, value in _fields(draft, hours).items():
            setattr(session, name, value)
        session.save()
        session.audience.set(draft.audience)
    return session


def _still_invited(session: TrainingSession, draft: SessionDraft) -> list[FieldError]:
    """An officer already recorded must stay within the session's new units."""
    assert draft.organiser is not None
    paths = [unit.path for unit in [draft.organiser, *draft.audience]]
    left = [
        str(a.officer)
        for a in session.attendances.select_related("officer__unit")
        if not _within(a.officer, paths)
    ]
    if not left:
        return []
    message = _("已登记出勤的人员不在新的参训单位内：%(n)s") % {"n": "、".join(left[:5])}
    return [FieldError("audience", message)]


def _fields(draft: SessionDraft, hours: Decimal | None) -> dict[str, Any]:
    return {
        "title": draft.title.strip(),
        "topic": draft.topic,
        "organiser": draft.organiser,
        "held_on": draft.held_on,
        "hours": hours,
        "place": (draft.place or "").strip(),
        "lecturer": (draft.lecturer or "").strip(),
        "note": (draft.note or "").strip(),
    }


def _within(officer: Officer, paths: Sequence[str]) -> bool:
    unit = officer.unit
    return unit is not None and any(unit.path.startswith(p) for p in paths)


def eligible_officers(session: TrainingSession, actor: Officer) -> list[Officer]:
    """The officers ``actor`` may record at ``session``: active officers of the invited units'
    and the organiser's subtrees, within ``actor``'s scope, by unit and name."""
    paths = [session.organiser.path, *session.audience.values_list("path", flat=True)]
    rows = Officer.objects.filter(is_active=True, unit__isnull=False).select_related("unit")
    ids = visible_unit_ids(actor)
    if ids is not None:
        rows = rows.filter(unit_id__in=ids)
    return [o for o in rows.order_by("unit__path", "name", "username") if _within(o, paths)]


def record_attendance(
    *,
    session: TrainingSession,
    actor: Officer,
    entries: Sequence[tuple[Officer, str]],
    today: dt.date | None = None,
) -> list[Attendance]:
    """Record (or correct) whether each officer attended ``session``: (officer, status) pairs.

    Refused as a whole when the session lies in the future, an officer is named twice, is not of
    an invited unit or the organiser's, or is outside ``actor``'s scope, or a status is unknown.
    """
    if not may_record_attendance(actor, session):
        access.require(actor, access.MANAGE_TRAINING)
        raise NotPermitted(OUT_OF_SCOPE)
    today = today or timezone.localdate()
    errors = []
    if session.held_on > today:
        message = _("培训尚未举行（%(day)s），不能登记出勤")
        errors.append(FieldError("held_on", message % {"day": session.held_on}))
    if not entries:
        errors.append(FieldError("entries", _("请至少登记一名人员的出勤情况")))
    errors += _entry_errors(session, actor, entries)
    _refuse(errors)
    existing = {a.officer_id: a for a in session.attendances.all()}
    saved = []
    with transaction.atomic(), audit.attributed(actor):
        for officer, status in entries:
            found = existing.get(officer.pk)
            if found is None:
                found = Attendance.objects.create(
                    session=session, officer=officer, status=status, recorded_by=actor
                )
            elif found.status != status:
                found.status, found.recorded_by = status, actor
                found.save(update_fields=["status", "recorded_by", "recorded_at"])
            saved.append(found)
    return saved


def _entry_errors(
    session: TrainingSession, actor: Officer, entries: Sequence[tuple[Officer, str]]
) -> list[FieldError]:
    errors = []
    seen: set[int] = set()
    twice = []
    for officer, _status in entries:
        if officer.pk in seen:
            twice.append(str(officer))
        seen.add(officer.pk)
    if twice:
        message = _("人员重复：%(n)s") % {"n": "、".join(dict.fromkeys(twice))}
        errors.append(FieldError("entries", message))
    unknown = sorted({s for _o, s in entries if s not in Attendance.Status.values})
    if unknown:
        message = _("未知的出勤情况：%(v)s") % {"v": "、".join(v[:20] for v in unknown)}
        errors.append(FieldError("entries", message))
    ids = visible_unit_ids(actor)
    outside = [str(o) for o, _s in entries if ids is not None and o.unit_id not in ids]
    if outside:
        message = _("不在您辖区内的人员：%(n)s") % {"n": "、".join(dict.fromkeys(outside))}
        errors.append(FieldError("entries", message))
    paths = [session.organiser.path, *session.audience.values_list("path", flat=True)]
    strangers = [str(o) for o, _s in entries if not _within(o, paths) and str(o) not in outside]
    if strangers:
        message = _("不属于参训单位的人员：%(n)s") % {"n": "、".join(dict.fromkeys(strangers))}
        errors.append(FieldError("entries", message))
    return errors
