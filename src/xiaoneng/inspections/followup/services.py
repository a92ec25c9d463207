"""Rectification orders (责令整改): the deadline, the re-inspection task, warnings (警示).

篇7 警示管理: a failed item becomes a finding; the findings of one inspection are ordered
rectified within a number of working days (Chinese holiday calendar); a re-inspection task
is put on the officer's calendar for the first working day after the deadline; an order
still open after that day is warned (警示) and the entity's credit grade is proposed lower
(registry.feedback). Escalation to a case belongs to ``cases.services.open_case``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Length
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.calendar import CalendarUnknown, WorkingCalendar
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput
from xiaoneng.core.models import AuditEvent
from xiaoneng.inspections import transitions
from xiaoneng.inspections.models import Finding, Inspection, ItemResult, Rectification
from xiaoneng.org import access
from xiaoneng.org.models import Officer, Unit
from xiaoneng.planning.patrol import assign
from xiaoneng.planning.patrol import tasks as planning_tasks
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.planning.patrol.services import period_of
from xiaoneng.registry.credit.services import credit_event
from xiaoneng.registry.models import CreditTrigger, Entity

MIN_DAYS, MAX_DAYS = 1, 60
DUE_SOON_DAYS = 3  # working days before the deadline when an order shows as due soon
R = Rectification.Status
OPEN_STATES = (R.OPEN, R.WARNED)


def url_or_blank(name: str, *args: Any) -> str:
    """The address of a page, or "" while the module that serves it is not there yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def inspection_url(inspection_id: int) -> str:
    return url_or_blank("inspections:inspection_detail", inspection_id)


# Numbers ------------------------------------------------------------------------------------


def number_prefix() -> str:
    """The bureau's document prefix (setting DOCUMENT_NUMBER_PREFIX, default 伊市监)."""
    return str(settings.DOCUMENT_NUMBER_PREFIX)


def next_number(year: int) -> str:
    """The next order number of ``year``: 伊市监责改〔2026〕0001号 (the bureau's yearly sequence).

    The caller holds the lock (``_lock_sequence``) so that two orders never share a number.
    """
    head = f"{number_prefix()}责改〔{year}〕"
    last = (
        Rectification.objects.filter(number__startswith=head)
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    found = re.search(r"〕(\d+)号$", last or "")
    sequence = int(found[1]) + 1 if found else 1
    return f"{head}{sequence:04d}号"


def _lock_sequence() -> None:
    root = Unit.objects.filter(parent__isnull=True).order_by("pk").values_list("pk", flat=True)
    list(Unit.objects.select_for_update().filter(pk__in=list(root[:1])))


# The deadline ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """An order's deadline: its date and its length in working days after the day of issue."""

    working_days: int
    deadline: dt.date


def _days(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return -1


def rectification_term(
    *, issued_on: dt.date, working_days: Any, deadline: dt.date | None, calendar: WorkingCalendar
) -> Term:
    """The deadline from exactly one of ``working_days`` (1–60) or a ``deadline`` date.

    A date in the past or today is refused; the working days are counted with the holiday
    calendar, the day of issue not counted.
    """
    days = _days(working_days)
    if (days is None) == (deadline is None):
        message = (
            _("整改期限请填写工作日数或截止日期，二者只填一项")
            if days is not None
            else _("请填写整改期限：工作日数或截止日期（二选一）")
        )
        raise InvalidInput.single("working_days", message)
    if days is not None:
        if not MIN_DAYS <= days <= MAX_DAYS:
            raise InvalidInput.single(
                "working_days",
                _("整改期限应为 %(min)d 至 %(max)d 个工作日：%(value)s")
                % {"min": MIN_DAYS, "max": MAX_DAYS, "value": working_days},
            )
        calendar.check(issued_on)
        end = calendar.add_working_days(issued_on, days)
        return Term(days, end)
    assert deadline is not None
    if deadline <= issued_on:
        raise InvalidInput.single(
            "deadline", _("整改期限应晚于今天：%(date)s") % {"date": deadline}
        )
    calendar.check(issued_on)
    calendar.check(deadline)
    counted = calendar.working_days_between(issued_on, deadline)
    if not MIN_DAYS <= counted <= MAX_DAYS:
        raise InvalidInput.single(
            "deadline",
            _("整改期限应为 %(min)d 至 %(max)d 个工作日：%(date)s 为 %(n)d 个工作日")
            % {"min": MIN_DAYS, "max": MAX_DAYS, "date": deadline, "n": counted},
        )
    return Term(counted, deadline)


# Issuing ------------------------------------------------------------------------------------


def _check_findings(inspection: Inspection, findings: list[Finding]) -> list[FieldError]:
    if not findings:
        return [FieldError("findings", _("请选择至少一项检查发现"))]
    errors = []
    for finding in findings:
        if finding.inspection_id != inspection.pk:
            errors.append(
                FieldError(
                    "findings",
                    _("检查发现 #%(id)s 不属于该检查记录") % {"id": finding.pk},
                )
            )
        elif finding.status != Finding.Status.OPEN:
            errors.append(
                FieldError(
                    "findings",
                    _("检查发现“%(item)s”已处理（%(status)s）")
                    % {"item": finding.item.title, "status": finding.get_status_display()},
                )
            )
    return errors


def select_findings(*, inspection: Inspection, ids: list[Any]) -> list[Finding]:
    """The findings of ``inspection`` with ``ids`` (as a form or API body gives them); an id
    that is not one of its findings is refused by name."""
    wanted: list[int] = []
    for value in ids:
        try:
            wanted.append(int(str(value).strip()))
        except ValueError:
            raise InvalidInput.single(
                "findings", _("检查发现编号无效：%(value)s") % {"value": value}
            ) from None
    found = {
        f.pk: f
        for f in Finding.objects.select_related("item").filter(inspection=inspection, pk__in=wanted)
    }
    strangers = [pk for pk in wanted if pk not in found]
    if strangers:
        raise InvalidInput.single(
            "findings",
            _("检查发现 #%(id)s 不属于该检查记录") % {"id": strangers[0]},
        )
    return [found[pk] for pk in dict.fromkeys(wanted)]


def issue_rectification(
    *,
    inspection: Inspection,
    findings: list[Finding],
    actor: Any,
    requirements: str,
    working_days: Any = None,
    deadline: dt.date | None = None,
    today: dt.date | None = None,
) -> Rectification:
    """Order the entity to rectify ``findings`` of a signed ``inspection`` by a deadline.

    The findings move to 整改中; a re-inspection task is planned for the first working day
    after the deadline (六定 filled from the order). Nothing is written when refused.
    """
    access.require(actor, access.INSPECT)
    access.require_unit(actor, inspection.unit_id)
    if inspection.status != Inspection.Status.SIGNED:
        raise Conflict(_("检查记录尚未签名，不能下达责令整改"))
    today = today or timezone.localdate()
    findings = list(findings)
    errors = _check_findings(inspection, findings)
    if not (requirements or "").strip():
        errors.append(FieldError("requirements", _("请填写整改要求")))
    calendar = WorkingCalendar.load()
    try:
        term = rectification_term(
            issued_on=today, working_days=working_days, deadline=deadline, calendar=calendar
        )
    except InvalidInput as error:
        errors += error.errors
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    reinspect_on = calendar.add_working_days(term.deadline, 1)
    with transaction.atomic(), audit.attributed(actor):
        _lock_sequence()
        rectification = Rectification.objects.create(
            number=next_number(today.year),
            entity_id=inspection.entity_id,
            unit_id=inspection.unit_id,
            inspection=inspection,
            requirements=requirements.strip(),
            issued_on=today,
            working_days=term.working_days,
            deadline=term.deadline,
            issued_by=actor,
        )
        for finding in findings:
            transitions.FINDING.move(finding, Finding.Status.RECTIFYING)
            finding.rectification = rectification
            finding.save()
        rectification.reinspection_task = _reinspection_task(
            rectification, findings, actor, reinspect_on
        )
        rectification.save(update_fields=["reinspection_task"])
        if inspection.task_id is not None:
            # The order is a notice issued on that visit: campaign statistics count it.
            planning_tasks.count_notice(task=Task.objects.get(pk=inspection.task_id))
    return rectification


def reinspection_plan(unit: Unit, period: str, entity_id: int, actor: Any) -> Plan:
    """The unit's re-inspection plan of ``period`` with room for ``entity_id`` (one task each).

    A second open order on the same entity in the same month gets a second plan, since a
    plan holds one task per entity.
    """
    plans = Plan.objects.filter(kind=Plan.Kind.REINSPECTION, unit=unit, period=period)
    free = plans.exclude(tasks__entity_id=entity_id).order_by("pk").first()
    if free is not None:
        return free
    count = plans.count()
    suffix = "" if count == 0 else f"（{count + 1}）"
    return Plan.objects.create(
        kind=Plan.Kind.REINSPECTION,
        period=period,
        unit=unit,
        title=f"{unit.name} {period} 整改复查计划{suffix}",
        capacity=assign.default_capacity(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def _reinspector(rectification: Rectification, actor: Any) -> Officer | None:
    """The issuing officer re-inspects; one from another unit hands it to the grid's officer."""
    grid = rectification.entity.grid
    if getattr(actor, "unit_id", None) == rectification.unit_id or grid is None:
        return actor if getattr(actor, "pk", None) else None
    return grid.officer or actor


def _reinspection_task(
    rectification: Rectification, findings: list[Finding], actor: Any, day: dt.date
) -> Task:
    unit = rectification.unit
    entity = rectification.entity
    officer = _reinspector(rectification, actor)
    grid = entity.grid
    info = assign.officer_table([officer.pk]).get(officer.pk) if officer else None
    ordered = sorted(findings, key=lambda f: (f.item.position, f.pk))
    items = "、".join(f.item.title for f in ordered)
    post = f"{info.post}（{grid.code} 网格）" if info and grid else (info.post if info else "")
    duty = (
        f"{officer}对复查结论负责，{unit.name}所长督促"
        if officer
        else f"{unit.name}所长负责安排人员复查"
    )
    return Task.objects.create(
        plan=reinspection_plan(unit, period_of(day), entity.pk, actor),
        entity=entity,
        unit=unit,
        period=period_of(day),
        grid=grid,
        post=post[:100],
        officer=officer,
        description=f"整改复查：{rectification.number}"[:300],
        standard=(f"对照责令整改要求逐项复查（期限 {rectification.deadline:%Y-%m-%d}）：{items}")[
            :300
        ],
        responsibility=duty[:200],
        due_on=day,
        scheduled_on=day,
    )


# Closing ------------------------------------------------------------------------------------


def _close(rectification: Rectification, outcome: str, on: dt.date) -> None:
    """Rectified: the order closes, its findings are resolved, an open re-inspection goes."""
    transitions.RECTIFICATION.move(rectification, R.RECTIFIED)
    rectification.closed_on = on
    rectification.outcome = outcome
    rectification.save()
    for finding in rectification.findings.filter(status=Finding.Status.RECTIFYING):
        transitions.FINDING.move(finding, Finding.Status.RESOLVED)
        finding.save()


def record_rectified(
    *, rectification: Rectification, actor: Any, outcome: str, today: dt.date | None = None
) -> Rectification:
    """Record that an order was complied with on documentary proof (书式), with the outcome.

    The planned re-inspection is no longer needed and is cancelled with the reason.
    """
    access.require(actor, access.INSPECT)
    access.require_unit(actor, rectification.unit_id)
    outcome = (outcome or "").strip()
    if not outcome:
        raise InvalidInput.single("outcome", _("请填写整改结果"))
    transitions.RECTIFICATION.check(rectification, R.RECTIFIED)
    today = today or timezone.localdate()
    with transaction.atomic(), audit.attributed(actor):
        _close(rectification, outcome, today)
        task = rectification.reinspection_task
        if task is not None and planning_tasks.TASK_TRANSITIONS.allows(
            task.status, Task.Status.CANCELLED
        ):
            planning_tasks.transition(task, Task.Status.CANCELLED)
            task.note = _("已确认整改（%(outcome)s），无需复查") % {"outcome": outcome[:200]}
            task.save()
    return rectification


def reinspected(inspection: Inspection, actor: Any) -> Rectification | None:
    """A signed re-inspection closes its order when nothing failed; else the order stays open.

    A failed re-inspection is noted in the order's trace; the director sees it in the list
    (复查未通过) and the order is warned once its re-inspection day has passed.
    """
    if inspection.origin != Inspection.Origin.REINSPECTION or inspection.task_id is None:
        return None
    rectification = Rectification.objects.filter(reinspection_task_id=inspection.task_id).first()
    if rectification is None or rectification.status not in OPEN_STATES:
        return rectification
    failed = ItemResult.objects.filter(
        inspection=inspection, result=ItemResult.Result.FAIL
    ).exists()
    with transaction.atomic(), audit.attributed(actor):
        if not failed:
            _close(
                rectification,
                _("复查合格（检查记录 #%(id)s，%(day)s）")
                % {"id": inspection.pk, "day": f"{inspection.visited_on:%Y-%m-%d}"},
                inspection.visited_on,
            )
        else:
            audit.record(
                rectification,
                action=AuditEvent.Action.UPDATE,
                reason=_("复查发现仍未整改到位（检查记录 #%(id)s，%(day)s）")
                % {"id": inspection.pk, "day": f"{inspection.visited_on:%Y-%m-%d}"},
            )
    return rectification


# Warnings -----------------------------------------------------------------------------------


def overdue(today: dt.date) -> Q:
    """Open orders whose deadline and re-inspection day have both passed by ``today``."""
    return Q(status=R.OPEN, deadline__lt=today) & (
        Q(reinspection_task__isnull=True)
        | Q(reinspection_task__due_on__isnull=True)
        | Q(reinspection_task__due_on__lt=today)
    )


def warn_overdue(*, today: dt.date) -> int:
    """Warn (警示) every overdue order and report it to the credit feedback; returns how many.

    The daily job. An order is overdue once the first working day after its deadline (its
    re-inspection day) has passed without it being rectified. Idempotent: a warned order is
    not warned again.
    """
    count = 0
    orders = Rectification.objects.filter(overdue(today))
    for rectification in orders.order_by("deadline", "pk").iterator(chunk_size=500):
        with transaction.atomic():
            transitions.RECTIFICATION.move(rectification, R.WARNED)
            rectification.warned_on = today
            day = f"{rectification.deadline:%Y-%m-%d}"
            audit.set_reason(rectification, _("整改期限 %(day)s 已过，未整改到位") % {"day": day})
            rectification.save()
            credit_event(
                # Read afresh: an earlier order of the same entity may have lowered its grade.
                entity=Entity.objects.get(pk=rectification.entity_id),
                trigger=CreditTrigger.RECTIFICATION_OVERDUE,
                source=_("%(number)s 逾期未整改") % {"number": rectification.number},
                source_url=url_or_blank("inspections:rectification_detail", rectification.pk),
            )
        count += 1
    return count


# Reading ------------------------------------------------------------------------------------


def reinspection_failed() -> Exists:
    """Whether a signed re-inspection of the order found problems (for filters, annotations)."""
    return Exists(
        Finding.objects.filter(
            inspection__task_id=OuterRef("reinspection_task_id"),
            inspection__status=Inspection.Status.SIGNED,
        )
    )


STATES = ("open", "due_soon", "overdue", "warned", "failed", "rectified", "escalated")


def filter_state(
    queryset: QuerySet[Rectification], state: str, today: dt.date
) -> QuerySet[Rectification]:
    """Orders in one of the list's states: open, due soon, overdue, warned, re-inspection
    failed, rectified, escalated (anything else: all)."""
    if state == "open":
        return queryset.filter(status__in=OPEN_STATES)
    if state == "due_soon":
        return queryset.filter(status=R.OPEN, deadline__gte=today, deadline__lte=soon(today))
    if state == "overdue":
        return queryset.filter(status__in=OPEN_STATES, deadline__lt=today)
    if state == "warned":
        return queryset.filter(status=R.WARNED)
    if state == "failed":
        return queryset.filter(reinspection_failed(), status__in=OPEN_STATES)
    if state == "rectified":
        return queryset.filter(status=R.RECTIFIED)
    if state == "escalated":
        return queryset.filter(status=R.ESCALATED)
    return queryset


def soon(today: dt.date) -> dt.date:
    """The last deadline that counts as due soon: ``DUE_SOON_DAYS`` working days ahead."""
    try:
        return WorkingCalendar.load().add_working_days(today, DUE_SOON_DAYS)
    except CalendarUnknown:
        return today + dt.timedelta(days=DUE_SOON_DAYS + 2)


def working_days_left(
    rectification: Rectification, today: dt.date, calendar: WorkingCalendar | None = None
) -> int | None:
    """Working days from ``today`` to the deadline (negative once past); None if unknown."""
    calendar = calendar or WorkingCalendar.load()
    try:
        if rectification.deadline >= today:
            return calendar.working_days_between(today, rectification.deadline)
        return -calendar.working_days_between(rectification.deadline, today)
    except CalendarUnknown:
        return None
