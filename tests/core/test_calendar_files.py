"""Loading a year's holidays: the file, its checks, the dry run, the load and the CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xiaoneng.core import calendar as core_calendar
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.calendar_files import (
    check_year,
    load_year,
    preview_year,
    read_year_file,
)
from xiaoneng.core.errors import Conflict, InvalidInput
from xiaoneng.core.models import AuditEvent, CalendarException, CalendarYear

D = dt.date
EXAMPLE = Path(__file__).parents[2] / "docs" / "calendar-2026.csv"


def year_2027_text(extra: str = "") -> str:
    """A made-up 2027 (test data, not the official schedule): one day of each festival."""
    return (
        "year,2027\nnotice,国办发明电〔2026〕7号\ndate,kind,name\n"
        "2027-01-01,休,元旦\n2027-02-08,休,春节\n2027-02-09,休,春节\n2027-02-06,班,春节\n"
        "2027-04-05,休,清明节\n2027-05-03,休,劳动节\n2027-06-09,休,端午节\n"
        "2027-09-15,休,中秋节\n2027-10-01,休,国庆节\n2027-10-04,休,国庆节\n" + extra
    )


def parsed(text: str):  # type: ignore[no-untyped-def]
    year, notice, rows = read_year_file(text.encode())
    return check_year(year=year, notice=notice, rows=rows)


def refusal(text: str) -> str:
    with pytest.raises(InvalidInput) as raised:
        parsed(text)
    return raised.value.message


def test_the_documented_2026_example_reads_as_chinesecalendar_has_it(db) -> None:  # type: ignore[no-untyped-def]
    year_file = parsed(EXAMPLE.read_text(encoding="utf-8"))
    stored = {
        e.date: (e.is_working_day, e.name)
        for e in CalendarException.objects.filter(date__year=2026)
    }
    assert year_file.exceptions() == stored
    change = preview_year(year_file)
    assert change.replaces and change.unchanged


def test_a_date_twice_is_refused_naming_both_lines() -> None:
    assert "第 14 行：2027-10-01 重复列出，见第 12 行" in refusal(
        year_2027_text("2027-10-01,休,国庆节\n")
    )


def test_a_holiday_that_is_also_an_adjusted_working_day_is_refused() -> None:
    message = refusal(year_2027_text("2027-02-09,班,春节\n"))
    assert "2027-02-09 既列为放假（休）又列为调休上班（班），见第 6 行" in message


def test_an_adjusted_working_day_on_a_weekday_is_refused() -> None:
    message = refusal(year_2027_text("2027-02-10,班,春节\n"))
    assert "调休上班日 2027-02-10 是星期三，本来就是工作日" in message


def test_a_date_outside_the_year_and_a_bad_kind_are_refused_together() -> None:
    message = refusal(year_2027_text("2026-12-31,休,元旦\n2027-03-01,假,植树节\n"))
    assert "2026-12-31 不在 2027 年内" in message and "类型应为“休”或“班”：假" in message


def test_a_year_half_given_names_the_missing_festivals() -> None:
    text = (
        year_2027_text()
        .replace("2027-09-15,休,中秋节\n", "")
        .replace("2027-04-05,休,清明节\n", "2027-04-10,班,清明节\n")
    )
    message = refusal(text)
    assert "缺少法定节日：清明节、中秋节" in message
    assert "“清明节”只有调休上班日，没有放假日期" in message


def test_a_missing_notice_and_a_bad_year_are_refused() -> None:
    message = refusal(year_2027_text().replace("notice,国办发明电〔2026〕7号", "notice,"))
    assert "请填写国务院办公厅通知文号" in message
    assert "年份应为" in refusal(year_2027_text().replace("year,2027", "year,27"))


def test_a_file_without_header_or_not_utf8_is_refused() -> None:
    with pytest.raises(InvalidInput, match="缺少表头行"):
        read_year_file(b"year,2027\n")
    with pytest.raises(InvalidInput, match="UTF-8"):
        read_year_file("year,2027\n".encode("gb18030") + "元旦".encode("gb18030"))


def test_a_weekend_holiday_outside_a_run_is_allowed_and_changes_nothing() -> None:
    year_file = parsed(year_2027_text("2027-09-18,休,中秋节\n"))  # a Saturday
    assert D(2027, 9, 18) not in year_file.exceptions()


def test_loading_a_year_writes_it_traces_it_and_recomputes(db) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[int, bool]] = []

    def recompute(year: int, calendar: WorkingCalendar) -> int:
        seen.append((year, calendar.is_working_day(D(2027, 10, 1))))
        return 3

    core_calendar.on_year_loaded("test", recompute)
    try:
        loaded = load_year(year_file=parsed(year_2027_text()), actor=None)
    finally:
        core_calendar._ON_YEAR_LOADED.pop("test")
    assert loaded.recomputed["test"] == 3 and seen == [(2027, False)]
    year = CalendarYear.objects.get(year=2027)
    assert year.notice == "国办发明电〔2026〕7号" and year.loaded_at is not None
    assert CalendarException.objects.filter(date__year=2027).count() == 10
    event = AuditEvent.objects.get(object_id="2027", action="create")
    assert event.changes["notice"] == [None, "国办发明电〔2026〕7号"]
    assert event.changes["working_days"] == [261, 253]
    calendar = WorkingCalendar.load(strict=True)
    assert not calendar.is_provisional(D(2027, 6, 1)) and calendar.is_provisional(D(2028, 1, 3))


def test_reloading_a_year_needs_replace_and_skipping_a_year_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    load_year(year_file=parsed(year_2027_text()), actor=None)
    again = parsed(year_2027_text().replace("2027-10-04,休,国庆节\n", ""))
    with pytest.raises(Conflict, match="2027 年已载入"):
        load_year(year_file=again, actor=None)
    assert CalendarException.objects.filter(date=D(2027, 10, 4)).exists()
    loaded = load_year(year_file=again, actor=None, replace=True)
    assert [d for d, _w, _n in loaded.change.removed] == [D(2027, 10, 4)]
    assert not CalendarException.objects.filter(date=D(2027, 10, 4)).exists()
    with pytest.raises(Conflict, match="请先载入 2028 年"):
        load_year(year_file=dataclasses.replace(again, year=2029), actor=None)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("calendar", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as raised:
        run(*args)
    assert raised.value.returncode == 2
    return str(raised.value)


def test_cli_counts_working_days_in_the_closed_interval(db) -> None:  # type: ignore[no-untyped-def]
    assert run("workdays", "2026-09-30", "2026-10-12") == ("5", "")  # 30 Sep, 8–10, 12 Oct
    assert run("add-days", "2026-09-30", "4") == ("2026-10-12", "")
    assert run("add-days", "2026-10-03", "0") == ("2026-10-03", "")


def test_cli_refuses_beyond_the_calendar_unless_provisional(db) -> None:  # type: ignore[no-untyped-def]
    assert refused("add-days", "2026-12-28", "10") == (
        "工作日历中没有 2027 年的节假日安排（已知年份：2004–2026），请管理员补充。"
        "（加 --provisional 可暂按周一至周五计算）"
    )
    assert run("add-days", "2026-12-28", "10", "--provisional") == (
        "2027-01-11",
        "（暂定：2027 年节假日安排未载入，按周一至周五计算）",
    )
    assert run("workdays", "2027-01-01", "2027-01-08", "--provisional")[0] == "6"


def test_cli_refuses_bad_dates_and_numbers(db) -> None:  # type: ignore[no-untyped-def]
    assert "FROM must be a date" in refused("workdays", "2026-13-01", "2026-12-01")
    assert "is before FROM" in refused("workdays", "2026-12-01", "2026-11-01")
    assert "N must be a whole number" in refused("add-days", "2026-12-01", "-3")


def test_cli_loads_a_file_and_reports_status(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "2027.csv"
    path.write_text(year_2027_text(), encoding="utf-8")
    assert "2027 年：未载入" in run("status")[0]
    out, _err = run("load", str(path), "--dry-run")
    assert (
        "新增 2027-10-01 休 国庆节" in out and not CalendarYear.objects.filter(year=2027).exists()
    )
    out, _err = run("load", str(path), "--notice", "国办发明电〔2026〕8号")
    assert "已载入 2027 年" in out
    assert CalendarYear.objects.get(year=2027).notice == "国办发明电〔2026〕8号"
    assert "2027 年已载入" in refused("load", str(path))
    assert "最后一年：2027（依据：国办发明电〔2026〕8号）" in run("status")[0]
    path.write_text(year_2027_text("2027-10-01,休,国庆节\n"), encoding="utf-8")
    assert "重复列出" in refused("load", str(path), "--replace")
