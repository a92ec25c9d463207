"""Scheduled jobs, whatever they do: each run recorded as a ``JobRun``, and when one is overdue.

The jobs themselves (which service each calls, and when) live with the consumers
(``web/jobs.py``), which may import every domain; this module only records and judges (ADR 0017).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Mapping

from django.db import transaction
from django.utils import timezone

from xiaoneng.core.errors import DomainError
from xiaoneng.core.models import JobRun

logger = logging.getLogger(__name__)

# A daily job is overdue when it has not succeeded within this long: a day and a margin for a
# run that starts late or takes a while.
DAILY_GRACE = dt.timedelta(hours=26)
ERROR_MAX_CHARS = 2000


def record_run(*, name: str, work: Callable[[], Mapping[str, int]], atomic: bool = True) -> JobRun:
    """Run ``work`` in its own transaction (``atomic``; without, for work that must not hold
    one, such as a backup reading the database through a connection of its own while others
    write) and record the run: its counts, or why it failed.

    A failure is recorded, logged and not raised: the scheduler goes on with the other jobs and
    the administrators see it on the jobs page and the overview.
    """
    run = JobRun.objects.create(name=name, started_at=timezone.now())
    try:
        with transaction.atomic() if atomic else contextlib.nullcontext():
            counts = dict(work())
    except Exception as error:  # any failure is the run's result, recorded
        logger.exception("job %s failed", name)
        message = error.message if isinstance(error, DomainError) else str(error)
        run.status = JobRun.Status.FAILED
        run.error = f"{type(error).__name__}: {message}"[:ERROR_MAX_CHARS]
    else:
        run.status = JobRun.Status.OK
        run.counts = counts
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "counts", "error", "finished_at"])
    return run


def last_run(name: str) -> JobRun | None:
    """The latest run of the job ``name``, whatever its result."""
    return JobRun.objects.filter(name=name).order_by("-started_at").first()


def last_success(name: str) -> JobRun | None:
    """The latest run of the job ``name`` that succeeded."""
    return JobRun.objects.filter(name=name, status=JobRun.Status.OK).order_by("-started_at").first()


def daily_overdue(success: JobRun | None, now: dt.datetime) -> bool:
    """A daily job is overdue without a successful run in the last ``DAILY_GRACE``."""
    return success is None or success.started_at < now - DAILY_GRACE


def monthly_overdue(success: JobRun | None, now: dt.datetime, due_day: dt.date) -> bool:
    """A monthly job is overdue once its day this month has passed without a successful run
    since the month began (its day itself is left to the job)."""
    today = timezone.localtime(now).date()
    if today <= due_day:
        return False
    if success is None:
        return True
    return timezone.localtime(success.started_at).date() < today.replace(day=1)
