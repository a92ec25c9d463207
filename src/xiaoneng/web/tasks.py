"""huey's periodic tasks: the jobs of ``web/jobs.py`` on their schedule (ADR 0017).

``xiaoneng worker`` (huey's ``run_huey``) finds this module by its name and runs the schedule in
local time (``HUEY["utc"]`` is off, so the hours are Asia/Shanghai's). ``run_now`` is what
``xiaoneng jobs run NAME --enqueue`` hands to a running worker.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from xiaoneng.web import jobs


@db_periodic_task(crontab(minute="30", hour="1"))
def followup_warn() -> None:
    jobs.run_if_due("followup-warn")


@db_periodic_task(crontab(minute="0", hour="2"))
def trace_check() -> None:
    jobs.run_if_due("trace-check")


@db_periodic_task(crontab(minute="30", hour="2"))
def case_warnings() -> None:
    jobs.run_if_due("case-warnings")


# Daily: the job runs from the month's first working day until it has succeeded that month.
@db_periodic_task(crontab(minute="0", hour="3"))
def review_draw() -> None:
    jobs.run_if_due("review-draw")


@db_periodic_task(crontab(minute="5"))
def warnings_recompute() -> None:
    jobs.run_if_due("warnings-recompute")


@db_periodic_task(crontab(minute="30", hour="3"))
def callbacks_draw() -> None:
    jobs.run_if_due("callbacks-draw")


@db_periodic_task(crontab(minute="0", hour="4"))
def risk_drift() -> None:
    jobs.run_if_due("risk-drift")


@db_periodic_task(crontab(minute="0", hour="5"))
def assessment() -> None:
    jobs.run_if_due("assessment")


@db_periodic_task(crontab(minute="30", hour="0"))
def backup() -> None:
    jobs.run_if_due("backup")


@db_task()
def run_now(name: str) -> None:
    jobs.run_job(name)
