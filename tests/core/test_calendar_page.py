"""The administrators' calendar page (org/calendar_views.py) and the overview's nag."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import County, client_for
from tests.core.test_calendar_files import year_2027_text
from xiaoneng.core import calendar as core_calendar
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.models import AuditEvent, CalendarException, CalendarYear
from xiaoneng.web.todo import calendar_nag

D = dt.date


def test_only_administrators_open_the_calendar_page(county: County) -> None:
    assert client_for(county.east_director).get("/calendar/").status_code == 403
    page = client_for(county.admin).get("/calendar/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "已知年份：2004–2026 年" in html and 'href="/calendar/"' in html  # in the navigation


def test_a_file_is_previewed_then_saved_with_the_recomputed_counts(county: County) -> None:
    client = client_for(county.admin)
    upload = SimpleUploadedFile("2027.csv", year_2027_text().encode(), "text/csv")
    preview = client.post("/calendar/", {"action": "file", "file": upload})
    html = preview.content.decode()
    assert 'data-testid="calendar-preview"' in html and "2027-10-04" in html
    assert "全年工作日：261 → 253 天" in html
    assert not CalendarYear.objects.filter(year=2027).exists()  # the dry run writes nothing
    content = preview.context["content"]

    core_calendar.on_year_loaded("案件期限", lambda year, calendar: 2)
    try:
        saved = client.post("/calendar/", {"action": "save", "content": content}, follow=True)
    finally:
        core_calendar._ON_YEAR_LOADED.pop("案件期限")
    html = saved.content.decode()
    assert "已载入 2027 年节假日安排（国办发明电〔2026〕7号）" in html
    assert "重新计算的暂定日期：" in html and "案件期限 2 条" in html
    year = CalendarYear.objects.get(year=2027)
    assert year.loaded_by == county.admin
    assert AuditEvent.objects.filter(object_id="2027", actor=county.admin).exists()
    assert WorkingCalendar.load().is_working_day(D(2027, 10, 1)) is False


def test_days_typed_by_hand_with_a_conflict_are_refused_and_nothing_written(
    county: County,
) -> None:
    rows = year_2027_text().split("date,kind,name\n")[1] + "2027-10-01,班,国庆节\n"
    page = client_for(county.admin).post(
        "/calendar/",
        {"action": "hand", "year": "2027", "notice": "国办发明电〔2026〕7号", "days": rows},
    )
    html = page.content.decode()
    assert 'data-testid="calendar-errors"' in html
    assert "2027-10-01 既列为放假（休）又列为调休上班（班），见第 9 行" in html
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarException.objects.filter(date__year=2027).exists()


def test_reloading_a_known_year_on_the_page_needs_the_replace_box(county: County) -> None:
    client = client_for(county.admin)
    preview = client.post(
        "/calendar/",
        {"action": "file", "file": SimpleUploadedFile("y.csv", year_2027_text().encode())},
    )
    client.post("/calendar/", {"action": "save", "content": preview.context["content"]})
    again = client.post("/calendar/", {"action": "save", "content": preview.context["content"]})
    assert "2027 年已载入" in again.content.decode()
    done = client.post(
        "/calendar/",
        {"action": "save", "content": preview.context["content"], "replace": "on"},
    )
    assert done.status_code == 302


def test_the_nag_shows_administrators_from_november_until_next_year_is_loaded(
    county: County,
) -> None:
    assert calendar_nag(county.admin, D(2026, 10, 31)) is None
    nag = calendar_nag(county.admin, D(2026, 11, 1))
    assert nag is not None and nag.year == 2027 and nag.url == "/calendar/"
    assert nag.text == "2027 年节假日安排尚未载入：2027 年的期限暂按周一至周五计算（暂定）。"
    assert calendar_nag(county.east_director, D(2026, 11, 1)) is None
    late = calendar_nag(county.admin, D(2027, 3, 1))
    assert late is not None and late.year == 2027
    CalendarYear.objects.create(year=2027, notice="国办发明电〔2026〕7号")
    assert calendar_nag(county.admin, D(2026, 12, 6)) is None


def test_the_overview_shows_the_nag_with_its_link(county: County, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("xiaoneng.web.views.timezone.localdate", lambda: D(2026, 12, 6))
    html = client_for(county.admin).get("/").content.decode()
    assert 'data-testid="calendar-nag"' in html
    assert "2027 年节假日安排尚未载入" in html and 'href="/calendar/">载入 →' in html
