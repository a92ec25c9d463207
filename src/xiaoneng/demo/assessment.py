"""The demo county's effectiveness assessments (效能考核): the bureau's schemes for officers (and
one for the station directors) and stations, and the assessment of every whole month, quarter
and the past year of the demo's records, as the monthly job would have computed them — so the
ranking, each officer's score with its records and the trend are full on a fresh ``make run``.

Computed last, from the records every other builder made; the leader is the one who set the
schemes (seed 篇5: 将其作为效能考核的主要内容).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from xiaoneng.demo.org import Organisation
from xiaoneng.org.models import Officer, Role
from xiaoneng.reports.assessment import catalogue, services
from xiaoneng.reports.assessment.periods import Period, parse_period

NAMES = {
    catalogue.OFFICER: "执法人员效能考核方案",
    catalogue.STATION: "市场监管所效能考核方案",
}


# The directors' own weighting (a scheme for the role): more on what a station's head answers
# for — orders followed up, callbacks, time limits — than on their own patrol.
DIRECTOR_WEIGHTS = {
    "plan_completion": "0.10",
    "on_time": "0.05",
    "findings_adjusted": "0.10",
    "rectification_closure": "0.15",
    "rectification_days": "0.05",
    "cases_handled": "0.10",
    "callback_satisfaction": "0.15",
    "time_warnings": "0.15",
    "false_inspections": "0.10",
    "training_hours": "0.05",
}


def periods(first: dt.date, today: dt.date) -> list[Period]:
    """Every whole month, quarter and year between ``first`` and ``today``."""
    out: list[Period] = []
    day = first.replace(day=1)
    while True:
        month = parse_period(f"{day.year}-{day.month:02d}")
        if month.end >= today:
            break
        if month.start >= first:
            out.append(month)
            if day.month % 3 == 0:
                quarter = parse_period(f"{day.year}Q{day.month // 3}")
                if quarter.start >= first:
                    out.append(quarter)
            if day.month == 12 and dt.date(day.year, 1, 1) >= first:
                out.append(parse_period(str(day.year)))
        day = month.end + dt.timedelta(days=1)
    return out


def build_assessment(
    organisation: Organisation,
    *,
    now: dt.datetime,
    first: dt.date,
    progress: Callable[[str], None] = print,
) -> None:
    today = timezone.localtime(now).date()
    leader = Officer.objects.filter(roles__code=Role.BUREAU_LEADER).order_by("pk").first()
    for year in sorted({first.year, today.year}):
        for kind, name in NAMES.items():
            services.save_scheme(
                kind=kind,
                year=year,
                name=f"{year}年{name}",
                items=services.default_items(kind),
                actor=leader,
            )
    services.save_scheme(
        kind=catalogue.OFFICER,
        role=Role.STATION_DIRECTOR,
        year=first.year,
        name=f"{first.year}年所长效能考核方案",
        items=services.items_of(DIRECTOR_WEIGHTS),
        actor=leader,
    )
    count = 0
    for period in periods(first, today):
        for kind in catalogue.SUBJECT_KINDS:
            computed_at = timezone.make_aware(
                dt.datetime.combine(period.end + dt.timedelta(days=2), dt.time(5))
            )
            services.compute(kind=kind, period=period, actor=None, now=min(computed_at, now))
            count += 1
    progress(f"效能考核：{count} 次（{first:%Y-%m} 起每月、每季）")
