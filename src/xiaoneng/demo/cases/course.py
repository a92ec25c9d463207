"""The course a demo case takes along the state machine (cases.transitions) within the stage
limits of cases.limits, and the stage it has reached by a given day."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from xiaoneng.cases.models import Case
from xiaoneng.demo.inspections.context import Context

S = Case.Status


@dataclass
class Course:
    """The days a case reached each stage (−1: not reached) and its end."""

    filed: int = -1
    investigating: int = -1
    notified: int = -1
    decided: int = -1
    executing: int = -1
    closed: int = -1
    ended: int = -1  # not filed or withdrawn
    ended_as: str = ""
    payments: list[int] = field(default_factory=list)  # days of the instalments
    paid_share: float = 1.0
    decision_extended: bool = False


def plan_course(ctx: Context, received: int, penalised: bool, hold: str = "") -> Course:
    """The course a case would take from ``received``, whatever today is."""
    rng, days = ctx.rng, ctx.days

    def add(day: int, count: int) -> int:
        return int(days.add(np.array([day]), count)[0])

    course = Course()
    if hold == "lead":
        return course
    if rng.random() < 0.05:
        course.ended, course.ended_as = add(received, int(rng.integers(3, 14))), S.NOT_FILED
        return course
    course.filed = add(received, int(rng.integers(1, 13)))  # ≤ 15 working days (第十八条)
    course.investigating = add(course.filed, int(rng.integers(0, 3)))
    if hold == "filed":
        return course
    if rng.random() < 0.03:
        course.ended = course.investigating + int(rng.integers(10, 40))
        course.ended_as = S.WITHDRAWN
        return course
    course.notified = int(
        days.forward(np.array([course.investigating + int(rng.integers(20, 55))]))[0]
    )
    course.decided = add(course.notified, int(rng.integers(6, 16)))  # after the 5 working days
    if course.decided > course.filed + 90:  # 第六十四条: extended by the head, 30 days more
        course.decision_extended = True
        course.decided = min(course.decided, course.filed + 120)
    if not penalised:
        course.closed = add(course.decided, int(rng.integers(1, 8)))
        return course
    if rng.random() < 0.8:  # paid within 15 days of the decision (行政处罚法 第六十七条)
        course.payments = [course.decided + int(rng.integers(2, 15))]
        course.closed = add(course.payments[-1], int(rng.integers(2, 15)))
        return course
    course.executing = course.decided + int(rng.integers(16, 25))  # unpaid: execution (第七十二条)
    first = course.executing + int(rng.integers(10, 60))
    if rng.random() < 0.5:
        course.payments = [first, first + int(rng.integers(25, 70))]  # 分期缴纳
    else:
        course.payments = [first]
    course.closed = add(course.payments[-1], int(rng.integers(3, 20)))
    if rng.random() < 0.2:  # closed on 强制执行 applied for, part unpaid
        course.paid_share = float(rng.uniform(0.3, 0.7))
    return course


def status_on(course: Course, received: int, last: int) -> tuple[str, int]:
    """The status the course has reached by day ``last``, and the day its stage began."""
    stages = [
        (S.CLOSED, course.closed),
        (S.EXECUTING, course.executing),
        (S.DECIDED, course.decided),
        (S.NOTIFIED, course.notified),
        (S.INVESTIGATING, course.investigating),
        (S.FILED, course.filed),
    ]
    if 0 <= course.ended <= last:
        return course.ended_as, course.ended
    for status, day in stages:
        if 0 <= day <= last:
            return status, day
    return S.LEAD, received
