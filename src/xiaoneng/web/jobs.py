"""The scheduled jobs (定时任务): what each calls, when it is due, and how it stands.

Each job calls the same service as its cron command (docs/operations.md) and is recorded by
``core.jobs.record_run``; huey's periodic tasks (``web/tasks.py``) and ``xiaoneng jobs run``
both go through ``run_job``. The module sits in ``web`` because it imports every domain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases import limits
from xiaoneng.cases.models import Case
from xiaoneng.core import jobs as recorder
from xiaoneng.core.audit import acting_as
from xiaoneng.core.calendar import CalendarUnknown, WorkingCalendar
from xiaoneng.core.models import JobRun
from xiaoneng.inspections.followup.overdue import warn_overdue
from xiaoneng.inspections.records.models import TraceFlag
from xiaoneng.inspections.trace.services import check
from xiaoneng.org.models import Unit
from xiaoneng.oversight.reviews import services as director_reviews

DAILY = "daily"
MONTHLY = "monthly"
HOURLY = "hourly"
# An hourly job is overdue without a successful run in this long (one missed hour is let go).
HOURLY_GRACE = dt.timedelta(hours=2)


def followup_warn(today: dt.date) -> Mapping[str, int]:
    """``xiaoneng followup warn``: warn the overdue rectification orders."""
    return {"warned": warn_overdue(today=today)}


def trace_check(today: dt.date) -> Mapping[str, int]:
    """``xiaoneng trace check --since <yesterday>``."""
    summary = check(since=today - dt.timedelta(days=1))
    return {"checked": summary.checked, "raised": summary.total, **summary.raised}


def review_draw(today: dt.date) -> Mapping[str, int]:
    """``xiaoneng review draw --month <last month>``: every station's round of last month."""
    month = director_reviews.last_month(today)
    stations = Unit.objects.filter(kind=Unit.Kind.STATION).order_by("path")
    rounds = [director_reviews.draw_reviews(unit=s, month=month) for s in stations]
    return {"stations": len(rounds), "drawn": sum(r.reviews.count() for r in rounds)}


def case_warnings(today: dt.date) -> Mapping[str, int]:
    """``xiaoneng case warnings``: the stage time-limit warnings, counted by level."""
    found = limits.stage_warnings(Case.objects.all(), today)
    return {level: sum(1 for w in found if w.level == level) for level in limits.LEVEL_LABELS}


def warnings_recompute(today: dt.date) -> Mapping[str, int]:
    """The time-limit warnings of every open clock (电子监察, timeliness.clocks.warnings)."""
    from xiaoneng.timeliness.clocks.warnings import recompute

    return recompute(today=today).counts()


def callbacks_draw(today: dt.date) -> Mapping[str, int]:
    """The month's callback rounds under each unit's rules (timeliness.callbacks)."""
    from xiaoneng.timeliness.callbacks.rounds import draw_due_rounds

    return {"rounds": draw_due_rounds(today=today)}


def risk_drift(today: dt.date) -> Mapping[str, int]:
    """The latest risk model version's recent accuracy (risk.drift; nothing without a model)."""
    from xiaoneng.risk import drift
    from xiaoneng.risk.services import latest

    record = latest()
    if record is None:
        return {"models": 0}
    state = drift.check(record)
    return {"models": 1, "since": state.inspections, "drifted": int(state.drifted)}


def assessment(today: dt.date) -> Mapping[str, int]:
    """``xiaoneng report assess``: last month's assessment (and the quarter's and the year's
    when the month closed them) of each kind of subject with a scheme in force."""
    from xiaoneng.reports.assessment import catalogue, services
    from xiaoneng.reports.assessment.periods import parse_period

    last = today.replace(day=1) - dt.timedelta(days=1)
    keys = [f"{last.year}-{last.month:02d}"]
    if last.month % 3 == 0:
        keys.append(f"{last.year}Q{last.month // 3}")
    if last.month == 12:
        keys.append(str(last.year))
    counts = {"assessments": 0, "subjects": 0}
    for key in keys:
        period = parse_period(key)
        for kind in catalogue.SUBJECT_KINDS:
            if services.scheme_for(kind, period) is None:
                continue
            done = services.compute(kind=kind, period=period, actor=None)
            counts["assessments"] += 1
            counts["subjects"] += done.results.filter(whole=False).count()
    return counts


def backup(today: dt.date) -> Mapping[str, int]:
    """``xiaoneng backup -o XIAONENG_BACKUP_DIR/<time>``, then the backups beyond the newest
    XIAONENG_BACKUP_KEEP removed (only once the new one is whole)."""
    from xiaoneng.core.backup import scheduled_backup

    done = scheduled_backup(settings.XIAONENG_BACKUP_DIR, keep=settings.XIAONENG_BACKUP_KEEP)
    return {
        "tables": len(done.manifest.tables),
        "files": len(done.manifest.files),
        "bytes": done.manifest.total_bytes,
        "removed": len(done.removed),
    }


COUNT_LABELS: dict[str, str | Promise] = {
    "clocks": _("重算时限"),
    "changed": _("变化"),
    "escalated": _("逐级上报"),
    "cleared": _("解除"),
    "rounds": _("回访批次"),
    "warned": _("警示"),
    "checked": _("检查记录"),
    "raised": _("新增疑点"),
    "stations": _("所"),
    "drawn": _("抽取"),
    "models": _("模型"),
    "since": _("训练后检查"),
    "drifted": _("准确度下降"),
    "assessments": _("考核"),
    "subjects": _("考核对象"),
    "tables": _("表"),
    "files": _("文件"),
    "bytes": _("字节"),
    "removed": _("删除旧备份"),
    **limits.LEVEL_LABELS,
    **dict(TraceFlag.Kind.choices),
}


def labelled_counts(counts: Mapping[str, int]) -> list[tuple[str | Promise, int]]:
    """A run's counts with their Chinese labels, for the jobs page."""
    return [(COUNT_LABELS.get(key, key), value) for key, value in counts.items()]


def first_working_day(month_start: dt.date) -> dt.date:
    """The month's first working day (provisional weekdays past the calendar's last year, and
    weekdays when the calendar knows no year at all: the overview must still show)."""
    eve = month_start - dt.timedelta(days=1)
    try:
        return WorkingCalendar.load().add_working_days(eve, 1)
    except CalendarUnknown:
        # No year known at all: the next weekday (a Friday or Saturday eve skips to Monday).
        return eve + dt.timedelta(days={4: 3, 5: 2}.get(eve.weekday(), 1))


@dataclass(frozen=True)
class Job:
    """A scheduled job: its name on the command line, its label, cadence and work."""

    name: str
    label: str | Promise
    cadence: str
    schedule: str | Promise  # as the page and ``jobs status`` say it
    work: Callable[[dt.date], Mapping[str, int]]
    # Run outside a transaction: the backup reads the database through a connection of its
    # own while the others go on writing (ADR 0024).
    outside_transaction: bool = False

    def due_day(self, today: dt.date) -> dt.date:
        """The day this period's run is due: today, or the month's first working day."""
        if self.cadence == MONTHLY:
            return first_working_day(today.replace(day=1))
        return today

    def is_overdue(self, success: JobRun | None, now: dt.datetime) -> bool:
        if self.cadence == HOURLY:
            return success is None or success.started_at < now - HOURLY_GRACE
        if self.cadence == MONTHLY:
            return recorder.monthly_overdue(
                success, now, self.due_day(timezone.localtime(now).date())
            )
        return recorder.daily_overdue(success, now)


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job("followup-warn", _("逾期整改警示"), DAILY, _("每日 01:30"), followup_warn),
        Job("trace-check", _("痕迹监控检查（昨日以来）"), DAILY, _("每日 02:00"), trace_check),
        Job(
            "review-draw",
            _("所长抽查抽取（上月）"),
            MONTHLY,
            _("每月第一个工作日 03:00"),
            review_draw,
        ),
        Job("case-warnings", _("案件办理期限预警"), DAILY, _("每日 02:30"), case_warnings),
        Job("warnings-recompute", _("预警重算"), HOURLY, _("每小时第 5 分"), warnings_recompute),
        Job(
            "callbacks-draw",
            _("回访抽取"),
            MONTHLY,
            _("每月第一个工作日 03:30"),
            callbacks_draw,
        ),
        Job("risk-drift", _("风险模型近期准确度检查"), DAILY, _("每日 04:00"), risk_drift),
        Job(
            "assessment",
            _("效能考核（上月）"),
            MONTHLY,
            _("每月第一个工作日 05:00"),
            assessment,
        ),
        Job("backup", _("数据备份"), DAILY, _("每日 00:30"), backup, outside_transaction=True),
    )
}


def run_job(name: str, today: dt.date | None = None) -> JobRun:
    """Run the job ``name`` now, as nobody, and record the run (``KeyError`` for a bad name)."""
    job = JOBS[name]
    day = today or timezone.localdate()
    with acting_as(None):
        return recorder.record_run(
            name=name, work=lambda: job.work(day), atomic=not job.outside_transaction
        )


def run_if_due(name: str) -> JobRun | None:
    """What the scheduler calls: a daily job runs; a monthly one from its day on, until it has
    succeeded this month (a worker that was down on the first working day catches up)."""
    job, today = JOBS[name], timezone.localdate()
    if job.cadence == MONTHLY:
        success = recorder.last_success(name)
        done = success is not None and timezone.localtime(
            success.started_at
        ).date() >= today.replace(day=1)
        if today < job.due_day(today) or done:
            return None
    return run_job(name, today)


@dataclass(frozen=True)
class JobStatus:
    """How a job stands: its last run, its last success, whether it is overdue."""

    job: Job
    last: JobRun | None
    success: JobRun | None
    overdue: bool

    @property
    def failed(self) -> bool:
        return self.last is not None and self.last.status == JobRun.Status.FAILED

    @property
    def needs_attention(self) -> bool:
        return self.overdue or self.failed


def statuses(now: dt.datetime | None = None) -> list[JobStatus]:
    """Every job's standing at ``now`` (default: now)."""
    moment = now or timezone.now()
    found = []
    for job in JOBS.values():
        success = recorder.last_success(job.name)
        found.append(
            JobStatus(job, recorder.last_run(job.name), success, job.is_overdue(success, moment))
        )
    return found
