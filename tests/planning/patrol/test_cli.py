"""`xiaoneng plan patrol`: --help, a report, exit status 2 and nothing written on bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.conftest import County
from tests.planning.patrol.test_schedule import (  # noqa: F401
    calendar_known_ahead,
    east_entity,
    expected,
)
from xiaoneng.planning.patrol.models import Plan, Task
from xiaoneng.planning.patrol.services import period_of


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xiaoneng.cli", *args], capture_output=True, text=True, timeout=60
    )


def next_month() -> str:
    return period_of(timezone.localdate().replace(day=28) + dt.timedelta(days=7))


@pytest.mark.slow
def test_help_explains_the_command_and_its_options() -> None:
    result = run("manage", "plan", "patrol", "--help")
    assert result.returncode == 0, result.stderr
    for option in ("--period", "--unit", "--capacity", "--dry-run", "--json"):
        assert option in result.stdout
    assert "Patrol plans" in run("manage", "plan", "--help").stdout


@pytest.mark.slow
def test_a_malformed_period_exits_2_with_the_message() -> None:
    result = run("manage", "plan", "patrol", "--period", "2026/12")
    assert result.returncode == 2
    assert "期间应为 YYYY-MM 格式的年月（如 2026-12）：2026/12" in result.stderr


def plan(*args: str) -> str:
    out = io.StringIO()
    call_command("plan", "patrol", *args, stdout=out)
    return out.getvalue()


def test_plan_patrol_writes_the_plan_and_prints_its_report(county: County) -> None:
    east_entity(county, registered_on=dt.date(2018, 1, 1))
    text = plan("--period", next_month(), "--unit", "S-E")
    assert "新排任务 new tasks: 1" in text and "未排入 overflow: 0" in text
    report = json.loads(plan("--period", next_month(), "--unit", "S-E", "--json"))
    assert (report["created"], report["kept"], report["overflow_total"]) == (0, 1, 0)
    assert Task.objects.count() == 1


def test_dry_run_writes_nothing(county: County) -> None:
    east_entity(county, registered_on=dt.date(2018, 1, 1))
    assert "dry run" in plan("--period", next_month(), "--dry-run")
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-13"], "期间的年份或月份超出范围：2026-13"),
        (["--period", "26-12"], "期间应为 YYYY-MM 格式的年月（如 2026-12）：26-12"),
        (["--unit", "NOPE"], "未知的单位代码：NOPE"),
        (["--capacity", "0"], "每人每日上限应为 1 至 50 之间的整数：0"),
        (["--user", "nobody"], "unknown user: nobody"),
        (["--user", "east_officer"], "您的角色无权执行此操作。"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    county: County, args: list[str], message: str
) -> None:
    east_entity(county, registered_on=dt.date(2018, 1, 1))
    values: dict[str, Any] = {"--period": next_month()}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        values[flag] = value
    flat = [item for pair in values.items() for item in pair]
    with pytest.raises(CommandError) as refused:
        plan(*flat)
    assert refused.value.returncode == 2
    assert expected(message) in str(refused.value)
    assert not Plan.objects.exists() and not Task.objects.exists()
