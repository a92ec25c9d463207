"""Rectification orders (责令整改): the deadline, issuing, closing; the orders' list states.

篇7 警示管理: a failed item becomes a finding; the findings of one inspection are ordered
rectified within a number of working days (Chinese holiday calendar); a re-inspection task
is put on the officer's calendar for the first working day after the deadline
(``followup.reinspection``); an order still open after that day is warned (警示) and the
entity's credit grade is proposed lower (``followup.overdue``). Order numbers are in
``followup.numbers``. Escalation to a case belongs to ``cases.services.open_case``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput
from xiaoneng.core.models import AuditEvent
from xiaoneng.inspections.followup import transitions
from xiaoneng.inspections.followup.models import Finding, Rectification
from xiaoneng.inspections.followup.numbers import lock_sequence, next_number
from xiaoneng.inspections.followup.reinspection import plan_reinspection, reinspection_plan
from xiaoneng.inspections.records.models import Inspection, ItemResult
from xiaoneng.org import access
from xiaoneng.org.models import Officer
from xiaoneng.planning.patrol import tasks as planning_tasks
from xiaoneng.planning.patrol.models import Task
from xiaoneng.planning.patrol.services import period_of

MIN_DAYS, MAX_DAYS = 1, 60
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


# The deadline ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """An order's deadline: its date and its length in working days after the day of issue."""

    working_days: int
    deadline: dt.date
    by_date: bool = False


def _days(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return -1


def checked_term(
    errors: list[FieldError], *, issued_on: dt.date, working_days: Any, deadline: dt.date | None
) -> Term:
    """The order's term (``rectification_term``); refused with ``errors`` and the term's own
    field errors together when there are any."""
    try:
        term = rectification_term(
            issued_on=issued_on,
            working_days=working_days,
            deadline=deadline,
            calendar=WorkingCalendar.load(),
        )
    except InvalidInput as error:
        errors = [*errors, *error.errors]
    if errors:
        raise InvalidInput(f"{errors[0].field}: {errors[0].message}", errors=errors)
    return term


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
    return Term(counted, deadline, by_date=True)


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
    actor: Officer,
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
    term = checked_term(errors, issued_on=today, working_days=working_days, deadline=deadline)
    with transaction.atomic(), audit.attributed(actor):
        rectification = save_order(
            Rectification(
                entity_id=inspection.entity_id, unit_id=inspection.unit_id, inspection=inspection
            ),
            findings=findings,
            actor=actor,
            requirements=requirements,
            term=term,
            today=today,
        )
        if inspection.task_id is not None:
            # The order is a notice issued on that visit: campaign statistics count it.
            planning_tasks.count_notice(task=Task.objects.get(pk=inspection.task_id))
    return rectification


def save_order(
    rectification: Rectification,
    *,
    findings: list[Finding],
    actor: Officer,
    requirements: str,
    term: Term,
    today: dt.date,
) -> Rectification:
    """Number and save the order, move its findings to 整改中, plan the re-inspection for the
    first working day after the deadline."""
    lock_sequence()
    rectification.number = next_number(today.year)
    rectification.requirements = requirements.strip()
    rectification.issued_on = today
    rectification.working_days = term.working_days
    rectification.deadline = term.deadline
    rectification.deadline_by_date = term.by_date
    rectification.issued_by = actor
    rectification.save()
    for finding in findings:
        transitions.FINDING.move(finding, Finding.Status.RECTIFYING)
        finding.rectification = rectification
        finding.save()
    rectification.reinspection_task = plan_reinspection(
        rectification=rectification,
        findings=findings,
        actor=actor,
        day=WorkingCalendar.load().add_working_days(term.deadline, 1),
    )
    rectification.save(update_fields=["reinspection_task"])
    return rectification


# A year's holidays loaded ----------------------------------------------------------------------


def recompute_deadlines(year: int, calendar: WorkingCalendar) -> int:
    """Recompute the deadlines set in working days that fall in ``year`` or later.

    A deadline computed on weekdays only (provisional) moves with the loaded holidays; one set
    as a date stays. Either way the planned re-inspection goes to the first working day after
    the deadline. Each change is saved through the model, so the trace records it with the
    reason. Returns the orders whose deadline or re-inspection moved.
    """
    reason = _("%(year)d 年节假日安排已载入，按工作日重新计算整改期限") % {"year": year}
    orders = Rectification.objects.filter(
        Q(deadline__year__gte=year) | Q(reinspection_task__due_on__year__gte=year)
    )
    changed = 0
    for order in orders.select_related("reinspection_task").order_by("pk"):
        moved = False
        if not order.deadline_by_date:
            deadline = calendar.add_working_days(order.issued_on, order.working_days)
            if deadline != order.deadline:
                order.deadline = deadline
                audit.set_reason(order, reason)
                order.save(update_fields=["deadline"])
                moved = True
        day = calendar.add_working_days(order.deadline, 1)
        moved = _move_reinspection(order.reinspection_task, day) or moved
        changed += moved
    return changed


def _move_reinspection(task: Task | None, day: dt.date) -> bool:
    """A re-inspection not yet done follows its order's deadline (into that month's plan)."""
    if task is None or task.status != Task.Status.PLANNED or task.due_on == day:
        return False
    period = period_of(day)
    if period != task.period:
        task.plan = reinspection_plan(
            unit=task.unit,
            period=period,
            entity_id=task.entity_id,
            actor=None,  # type: ignore[arg-type]  # the calendar's loading, not an officer
        )
        task.period = period
    task.due_on = day
    task.scheduled_on = day
    audit.set_reason(task, _("整改期限重新计算，复查日期随之调整"))
    task.save(update_fields=["plan", "period", "due_on", "scheduled_on"])
    return True


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
    *, rectification: Rectification, actor: Officer, outcome: str, today: dt.date | None = None
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


def reinspected(*, inspection: Inspection, actor: Officer) -> Rectification | None:
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
