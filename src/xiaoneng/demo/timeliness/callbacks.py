"""A year of callbacks (回访, 篇9) in the demo county, through the services: a rule per station
(service cases: a share of 0.3; complaints: all; inspections: 10 a month; cases: all), each past
month's rounds drawn on the first working day of the next month, and the callbacks made in the
working days after it — about 70 % by phone, 30 % on site, nearly all 满意 or 基本满意 (the
seed's 99.6 %), a handful 不满意 with a problem raised: most rectified and fed back, one or two
open, one of them overdue. Last month's round is partly still to call.

Reads whatever completed work exists (the permits and complaints builders run before; the
inspections and cases exist already). Every callback lies after its record's completion and
the round's draw, and by ``now``; callers are the supervision staff (the station's director or
the bureau's division staff), never the officer whose work is asked about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.demo.days import is_working, month_start, window_of
from xiaoneng.demo.org import Organisation
from xiaoneng.org.models import Officer, Role
from xiaoneng.timeliness.callbacks import problems, rounds, rules
from xiaoneng.timeliness.callbacks import services as callbacks
from xiaoneng.timeliness.callbacks.models import (
    Answer,
    Callback,
    CallbackProblem,
    CallbackRound,
    Channel,
    SubjectKind,
)

RULES = (
    (SubjectKind.SERVICE_CASE, {"mode": "share", "share": "0.3"}),
    (SubjectKind.COMPLAINT, {"mode": "all"}),
    (SubjectKind.INSPECTION, {"mode": "count", "count": 10}),
    (SubjectKind.CASE, {"mode": "all"}),
)
ON_SITE_SHARE = 0.3
UNREACHABLE_SHARE = 0.02
BASIC_SHARE = 0.06
UNSATISFIED_SHARE = 0.004
NOT_ASKED_SHARE = 0.15  # integrity (廉洁) is not always asked
# Of last month's round, the share still to call.
LAST_PENDING_SHARE = 0.4
PROBLEMS = (
    "办事窗口等候时间较长，希望增加窗口。",
    "检查人员对整改要求解释不够清楚。",
    "办结后未及时通知领取证照。",
    "承办人电话多次无人接听。",
    "一次性告知的材料清单与实际要求不一致。",
)
OUTCOMES = (
    "已对承办人进行提醒谈话，并在窗口公示办理流程。",
    "已重新上门说明整改要求，经营者表示理解。",
    "已完善办结通知流程，办结当日短信告知。",
)
REMARKS = ("对办事效率表示满意。", "称工作人员态度热情。", "无意见建议。", "")


def _first_working_day(calendar: WorkingCalendar, first: dt.date) -> dt.date:
    day = first
    while not is_working(calendar, day):
        day += dt.timedelta(days=1)
    return day


def _working_after(calendar: WorkingCalendar, day: dt.date, count: int) -> dt.date:
    while count > 0:
        day += dt.timedelta(days=1)
        if is_working(calendar, day):
            count -= 1
    return day


def _people(station_id: int) -> list[Officer]:
    """Who calls back a station's work (篇9: the supervision staff, RUN_CALLBACKS): its director
    and the bureau's division staff."""
    return list(
        Officer.objects.filter(is_active=True)
        .filter(
            Q(unit_id=station_id, roles__code=Role.STATION_DIRECTOR)
            | Q(roles__code=Role.DIVISION_STAFF)
        )
        .distinct()
        .order_by("pk")
    )


def _answers(rng: np.random.Generator, overall: str) -> dict[str, str]:
    answers = {"overall": overall}
    for name in ("attitude", "quality", "one_time_notice", "time_limit", "integrity"):
        if name == "integrity" and rng.random() < NOT_ASKED_SHARE:
            answers[name] = ""
        elif overall == Answer.SATISFIED:
            answers[name] = Answer.BASIC if rng.random() < 0.03 else Answer.SATISFIED
        else:
            answers[name] = overall if rng.random() < 0.5 else Answer.SATISFIED
    return answers


def _rounds(
    rng: np.random.Generator, organisation: Organisation, calendar: WorkingCalendar, today: dt.date
) -> list[tuple[CallbackRound, dt.date]]:
    """Each past month's rounds of every station's rules, with the day they were drawn."""
    drawn = []
    first = window_of(today)
    month = first
    while month_start(month, -1) <= today:
        after = month_start(month, -1)
        day = _first_working_day(calendar, after)
        if day > today:
            break
        text = month.strftime("%Y-%m")
        for station in organisation.stations:
            for kind, _rule in RULES:
                found = rounds.draw_round(
                    unit=station,
                    month=text,
                    subject_kind=kind,
                    actor=None,
                    today=day,
                    seed=f"{station.code}:{text}:{kind}:{rng.bytes(8).hex()}",
                )
                drawn.append((found, day))
        month = after
    return drawn


def build_callbacks(
    rng: np.random.Generator,
    organisation: Organisation,
    *,
    now: dt.datetime,
    progress: Callable[[str], None] = print,
) -> None:
    """The rules, a year of rounds and the callbacks made on them (see the module)."""
    today = timezone.localdate(now)
    calendar = WorkingCalendar.load()
    zone = timezone.get_default_timezone()
    with transaction.atomic():
        for station in organisation.stations:
            for kind, rule in RULES:
                rules.save_rule(actor=None, unit=station, subject_kind=kind, **rule)
        rounds = _rounds(rng, organisation, calendar, today)
        for drawn, day in rounds:
            moment = dt.datetime.combine(day, dt.time(8, 30), tzinfo=zone)
            CallbackRound.objects.filter(pk=drawn.pk).update(drawn_at=moment)
        last = max((day for _r, day in rounds), default=None)
        people = {s.pk: _people(s.pk) for s in organisation.stations}
        made: list[Callback] = []
        for drawn, day in rounds:
            for callback in drawn.callbacks.select_related("unit").order_by("id"):
                if day == last and rng.random() < LAST_PENDING_SHARE:
                    continue
                called_on = _working_after(calendar, day, int(rng.integers(0, 12)))
                if called_on > today:
                    continue
                callers = [
                    p for p in people.get(callback.unit_id, []) if p.pk != callback.officer_id
                ]
                if not callers:
                    continue
                caller = callers[int(rng.integers(len(callers)))]
                if rng.random() < UNREACHABLE_SHARE:
                    callbacks.mark_unreachable(
                        callback=callback,
                        called_on=called_on,
                        remarks="电话无人接听，短信已告知。",
                        actor=caller,
                        today=today,
                    )
                    continue
                overall = Answer.BASIC if rng.random() < BASIC_SHARE else Answer.SATISFIED
                callbacks.record_callback(
                    callback=callback,
                    channel=Channel.ON_SITE if rng.random() < ON_SITE_SHARE else Channel.PHONE,
                    called_on=called_on,
                    answers=_answers(rng, overall),
                    remarks=str(rng.choice(REMARKS)),
                    actor=caller,
                    today=today,
                )
                made.append(callback)
        problems = _unsatisfied(rng, made, people, calendar, today)
    progress(
        f"回访: {len(rounds)} 批次, {len(made)} 次回访, {problems} 个问题整改"
        f" ({Callback.objects.filter(status=Callback.Status.PENDING).count()} 待回访)"
    )


def _unsatisfied(
    rng: np.random.Generator,
    made: list[Callback],
    people: dict[int, list[Officer]],
    calendar: WorkingCalendar,
    today: dt.date,
) -> int:
    """Turn a handful of the callbacks made into 不满意 with a problem raised: rectified and
    fed back, but the latest two (one still open in time, one overdue)."""
    if not made:
        return 0
    count = min(len(made), max(4, round(UNSATISFIED_SHARE * len(made))))
    chosen = sorted(
        (made[int(i)] for i in rng.choice(len(made), count, replace=False)),
        key=lambda c: (c.called_on, c.pk),
    )
    for index, callback in enumerate(chosen):
        assert callback.called_on is not None
        director = next(
            (p for p in people[callback.unit_id] if p.has_role(Role.STATION_DIRECTOR)), None
        )
        owner = callback.officer or director
        if owner is None:
            continue
        description = str(rng.choice(PROBLEMS))
        Callback.objects.filter(pk=callback.pk).update(
            overall=Answer.UNSATISFIED, attitude=Answer.UNSATISFIED, remarks=description
        )
        left = len(chosen) - index
        if left == 2:  # overdue: its deadline passed, not yet rectified
            deadline = min(
                today - dt.timedelta(days=3), _working_after(calendar, callback.called_on, 10)
            )
            deadline = max(deadline, callback.called_on)
        else:
            deadline = _working_after(calendar, callback.called_on, 10)
            if left == 1:
                deadline = max(deadline, today + dt.timedelta(days=7))
        problem = CallbackProblem.objects.create(
            callback=callback,
            description=description,
            unit=callback.unit,
            owner=owner,
            deadline=deadline,
        )
        if left <= 2:
            continue
        rectified = _working_after(calendar, callback.called_on, int(rng.integers(2, 9)))
        if rectified > today:
            continue
        problems.rectify(
            problem=problem,
            outcome=str(rng.choice(OUTCOMES)),
            on=rectified,
            actor=None,
            today=today,
        )
        fed = _working_after(calendar, rectified, int(rng.integers(0, 3)))
        if fed <= today:
            problems.feed_back(
                problem=problem,
                on=fed,
                channel=str(rng.choice(["phone", "on_site", "sms"])),
                actor=director,
                today=today,
            )
    return len(chosen)
