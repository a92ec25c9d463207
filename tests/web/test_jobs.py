"""Scheduled jobs (web/jobs.py, web/tasks.py, core/jobs.py): each calls its service through huey
in immediate mode and records its run; failures and overdue jobs are shown to administrators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from huey.contrib.djhuey import HUEY

from tests.conftest import County, client_for
from xiaoneng.core import jobs as recorder
from xiaoneng.core.models import JobRun
from xiaoneng.inspections.trace.services import TraceSummary
from xiaoneng.web import jobs, tasks
from xiaoneng.web.todo import jobs_nag

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[misc]


@pytest.fixture
def immediate() -> Iterator[None]:
    """huey runs a task as it is called, in this process, with the test's database."""
    HUEY.immediate = True
    yield
    HUEY.immediate = False


@pytest.fixture
def services(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """The four services the cron commands call, replaced by recorders of their arguments."""
    calls: dict[str, list[Any]] = {}

    def warn_overdue(*, today: dt.date) -> int:
        calls.setdefault("warn_overdue", []).append(today)
        return 3

    def check(*, since: dt.date) -> TraceSummary:
        calls.setdefault("check", []).append(since)
        return TraceSummary(checked=10, raised={"far": 2})

    def stage_warnings(queryset: Any, today: dt.date) -> list[Any]:
        calls.setdefault("stage_warnings", []).append(today)
        return []

    def draw_reviews(*, unit: Any, month: str) -> Any:
        calls.setdefault("draw_reviews", []).append((unit.code, month))
        return SimpleNamespace(reviews=SimpleNamespace(count=lambda: 2))

    monkeypatch.setattr(jobs, "warn_overdue", warn_overdue)
    monkeypatch.setattr(jobs, "check", check)
    monkeypatch.setattr(jobs.limits, "stage_warnings", stage_warnings)
    monkeypatch.setattr(jobs.director_reviews, "draw_reviews", draw_reviews)
    return calls


def test_each_daily_task_calls_its_service_and_records_the_run(
    immediate: None, services: dict[str, list[Any]]
) -> None:
    tasks.followup_warn()
    tasks.trace_check()
    tasks.case_warnings()
    assert set(services) == {"warn_overdue", "check", "stage_warnings"}
    today = services["warn_overdue"][0]
    assert services["check"] == [today - dt.timedelta(days=1)]  # since yesterday
    runs = {run.name: run for run in JobRun.objects.all()}
    assert runs["followup-warn"].counts == {"warned": 3}
    assert runs["trace-check"].counts == {"checked": 10, "raised": 2, "far": 2}
    assert runs["case-warnings"].counts == {"red": 0, "yellow": 0, "unknown": 0}
    assert all(r.status == JobRun.Status.OK and r.finished_at for r in runs.values())


def test_the_monthly_draw_calls_the_review_service_for_last_month(
    immediate: None, services: dict[str, list[Any]], county: County
) -> None:
    run = jobs.run_job("review-draw", dt.date(2026, 10, 8))
    assert services["draw_reviews"] == [("S-E", "2026-09"), ("S-W", "2026-09")]
    assert run.status == JobRun.Status.OK and run.counts == {"stations": 2, "drawn": 4}


def test_run_now_task_runs_a_job_by_name(immediate: None, services: dict[str, list[Any]]) -> None:
    tasks.run_now("followup-warn")
    assert JobRun.objects.get().name == "followup-warn"


def test_a_failing_job_is_recorded_as_failed_with_its_message(
    immediate: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*, today: dt.date) -> int:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(jobs, "warn_overdue", broken)
    tasks.followup_warn()
    run = JobRun.objects.get()
    assert run.status == JobRun.Status.FAILED
    assert run.error == "RuntimeError: database is locked"
    assert run.finished_at is not None and run.counts == {}


def test_the_monthly_job_is_due_from_the_first_working_day_after_national_day() -> None:
    assert jobs.first_working_day(dt.date(2026, 10, 1)) == dt.date(2026, 10, 8)
    assert jobs.first_working_day(dt.date(2026, 12, 1)) == dt.date(2026, 12, 1)


def ok_run(name: str, started: dt.datetime) -> JobRun:
    return JobRun.objects.create(
        name=name, started_at=started, finished_at=started, status=JobRun.Status.OK
    )


def test_a_daily_job_is_overdue_without_a_success_in_26_hours() -> None:
    job = jobs.JOBS["followup-warn"]
    assert job.is_overdue(None, at(2026, 10, 9, 8))  # never run
    success = ok_run("followup-warn", at(2026, 10, 8, 1, 30))
    assert not job.is_overdue(success, at(2026, 10, 9, 3, 29))
    assert job.is_overdue(success, at(2026, 10, 9, 3, 31))


def test_a_monthly_job_is_overdue_after_its_day_without_a_success_this_month() -> None:
    job = jobs.JOBS["review-draw"]
    september = ok_run("review-draw", at(2026, 9, 1, 3))
    assert not job.is_overdue(september, at(2026, 10, 8, 23))  # its day (after National Day)
    assert job.is_overdue(september, at(2026, 10, 9, 0, 1))
    assert job.is_overdue(None, at(2026, 10, 9, 0, 1))
    october = ok_run("review-draw", at(2026, 10, 8, 3))
    assert not job.is_overdue(october, at(2026, 10, 31, 12))


def test_the_scheduler_runs_the_monthly_job_once_from_its_day(
    immediate: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[dt.date] = []
    monkeypatch.setattr(jobs, "run_job", lambda name, today: ran.append(today))
    monkeypatch.setattr(jobs.timezone, "localdate", lambda *a: dt.date(2026, 10, 7))
    assert jobs.run_if_due("review-draw") is None  # still the holiday
    monkeypatch.setattr(jobs.timezone, "localdate", lambda *a: dt.date(2026, 10, 12))
    jobs.run_if_due("review-draw")  # the worker was down on the 8th: it catches up
    assert ran == [dt.date(2026, 10, 12)]
    ok_run("review-draw", at(2026, 10, 12, 3))
    assert jobs.run_if_due("review-draw") is None


def test_jobs_run_records_and_jobs_status_shows_last_run_and_overdue(
    services: dict[str, list[Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("jobs", "run", "followup-warn", "--today", "2026-10-09")
    assert services["warn_overdue"] == [dt.date(2026, 10, 9)]
    call_command("jobs", "status")
    out = capsys.readouterr().out
    assert 'followup-warn: 成功 {"warned": 3}' in out
    lines = {
        line.split()[0]: line for line in out.splitlines() if line.startswith(tuple(jobs.JOBS))
    }
    assert "OVERDUE" not in lines["followup-warn"] and "成功" in lines["followup-warn"]
    assert "从未运行" in lines["trace-check"] and "逾期 OVERDUE" in lines["trace-check"]


def test_jobs_run_with_an_unknown_name_or_date_exits_2() -> None:
    with pytest.raises(CommandError) as error:
        call_command("jobs", "run", "nightly")
    assert error.value.returncode == 2 and "unknown job 'nightly'" in str(error.value)
    with pytest.raises(CommandError) as error:
        call_command("jobs", "run", "trace-check", "--today", "9.10.2026")
    assert error.value.returncode == 2


def test_jobs_run_of_a_failing_job_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "warn_overdue", lambda *, today: 1 / 0)
    with pytest.raises(CommandError) as error:
        call_command("jobs", "run", "followup-warn")
    assert error.value.returncode == 1 and "ZeroDivisionError" in str(error.value)


def test_only_administrators_open_the_jobs_page(county: County) -> None:
    for officer in (county.east_officer, county.east_director, county.division_staff):
        assert client_for(officer).get("/jobs/").status_code == 403
    assert client_for(county.leader).get("/jobs/").status_code == 403
    recorder.record_run(name="trace-check", work=lambda: {"checked": 7})
    page = client_for(county.admin).get("/jobs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="/jobs/"' in html  # in the 组织 menu
    assert "痕迹监控检查（昨日以来）" in html and "检查记录 7" in html
    rows = {row.split('"')[0]: row for row in html.split('data-job="')[1:]}
    assert "正常" in rows["trace-check"] and "逾期" not in rows["trace-check"]
    assert "从未运行" in rows["followup-warn"] and "逾期" in rows["followup-warn"]


def test_the_overview_tells_administrators_of_overdue_or_failed_jobs(county: County) -> None:
    now = at(2026, 10, 9, 9)
    for name in jobs.JOBS:
        ok_run(name, at(2026, 10, 9, 8, 30))
    assert jobs_nag(county.admin, now) is None
    recorder.record_run(name="trace-check", work=lambda: 1 / 0)  # type: ignore[arg-type,return-value]
    nag = jobs_nag(county.admin, now)
    assert nag is not None and nag.failed == ["痕迹监控检查（昨日以来）"] and not nag.overdue
    assert jobs_nag(county.east_director, now) is None
    home = client_for(county.admin).get("/").content.decode()
    assert 'data-testid="jobs-nag"' in home and "定时任务上次运行失败" in home
    assert (
        'data-testid="jobs-nag"'
        not in client_for(county.leader).get("/?overview=1").content.decode()
    )


def test_the_hourly_warning_recompute_runs_the_recompute_and_is_overdue_after_2_hours(
    immediate: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xiaoneng.timeliness.clocks import warnings

    days: list[dt.date] = []

    def recompute(*, today: dt.date) -> warnings.Summary:
        days.append(today)
        return warnings.Summary(clocks=5, changed=2, yellow=1, red=1)

    monkeypatch.setattr(warnings, "recompute", recompute)
    tasks.warnings_recompute()
    run = JobRun.objects.get(name="warnings-recompute")
    assert run.status == JobRun.Status.OK and len(days) == 1
    assert run.counts == {
        "clocks": 5,
        "changed": 2,
        "yellow": 1,
        "red": 1,
        "escalated": 0,
        "cleared": 0,
    }
    job = jobs.JOBS["warnings-recompute"]
    success = ok_run("warnings-recompute", at(2026, 10, 9, 8, 5))
    assert not job.is_overdue(success, at(2026, 10, 9, 10, 4))
    assert job.is_overdue(success, at(2026, 10, 9, 10, 6))
    assert job.is_overdue(None, at(2026, 10, 9, 10, 6))


def test_the_monthly_callback_draw_calls_the_callbacks_service(
    immediate: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xiaoneng.timeliness.callbacks import rounds

    calls: list[dt.date] = []

    def draw_due_rounds(*, today: dt.date) -> int:
        calls.append(today)
        return 3

    monkeypatch.setattr(rounds, "draw_due_rounds", draw_due_rounds)
    run = jobs.run_job("callbacks-draw", dt.date(2026, 10, 8))
    assert calls == [dt.date(2026, 10, 8)]
    assert run.status == JobRun.Status.OK and run.counts == {"rounds": 3}
    assert jobs.JOBS["callbacks-draw"].due_day(dt.date(2026, 10, 3)) == dt.date(2026, 10, 8)
