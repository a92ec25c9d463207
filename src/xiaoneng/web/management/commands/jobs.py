"""xiaoneng jobs run NAME [--today YYYY-MM-DD] [--enqueue] | jobs status"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xiaoneng.core.models import JobRun
from xiaoneng.web import jobs


class Command(BaseCommand):
    help = (
        "定时任务。Scheduled jobs (ADR 0017): `jobs run NAME` runs one job now and records the "
        "run (exit status 1 when it fails); with --enqueue it is handed to the running "
        "`xiaoneng worker` instead. `jobs status` prints each job's last run and whether it is "
        "overdue (逾期). Jobs: " + ", ".join(jobs.JOBS) + ". An unknown job or a bad date exits "
        "with status 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True, metavar="{run,status}")
        run = verbs.add_parser("run", help="run one job now", description="Run one job now.")
        run.add_argument("name", help="the job: " + ", ".join(jobs.JOBS))
        run.add_argument("--today", help="the day to run it for, YYYY-MM-DD (default: today)")
        run.add_argument("--enqueue", action="store_true", help="hand it to the worker")
        verbs.add_parser("status", help="each job's last run", description="Each job's last run.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "status":
            self._status()
            return
        name = options["name"]
        if name not in jobs.JOBS:
            raise CommandError(f"unknown job {name!r}; jobs: {', '.join(jobs.JOBS)}", returncode=2)
        if options["enqueue"]:
            from xiaoneng.web.tasks import run_now

            run_now(name)
            self.stdout.write(f"{name}: 已交给 worker 执行 (enqueued)")
            return
        run = jobs.run_job(name, self._today(options["today"]))
        self.stdout.write(f"{name}: {run.get_status_display()} {json.dumps(run.counts)}")
        if run.status == JobRun.Status.FAILED:
            raise CommandError(run.error, returncode=1)

    def _today(self, text: str | None) -> dt.date:
        if not text:
            return timezone.localdate()
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError:
            raise CommandError(
                f"--today should be a date YYYY-MM-DD: {text}", returncode=2
            ) from None

    def _status(self) -> None:
        for status in jobs.statuses():
            last = status.last
            when = (
                f"{timezone.localtime(last.started_at):%Y-%m-%d %H:%M} "
                f"{last.get_status_display()} ({last.status})"
                if last
                else "从未运行 (never run)"
            )
            flag = "  逾期 OVERDUE" if status.overdue else ""
            self.stdout.write(f"{status.job.name:<14} {when}{flag}")
