"""A year's holidays and adjusted working days (国务院办公厅通知), read, checked and loaded.

The file is UTF-8 CSV (docs/calendar.md)::

    year,2026
    notice,国办发明电〔2025〕7号
    date,kind,name
    2026-01-01,休,元旦
    2026-01-04,班,元旦

``休`` lists every day of a holiday run as the notice gives it (weekend days included), ``班``
each adjusted working day (调休上班, always a Saturday or Sunday). The page's hand entry builds
the same rows. A file is checked whole and every problem named; nothing is written unless it
is all right. Loading writes the year and its exceptions in one transaction, traces the year,
and lets every domain recompute the dates it stored as provisional (``recompute_year``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.actors import Actor
from xiaoneng.core.boundary import CONTROL_CHARACTER_MESSAGE, has_control_characters
from xiaoneng.core.calendar import WorkingCalendar, recompute_year
from xiaoneng.core.errors import Conflict, FieldError, InvalidInput
from xiaoneng.core.models import AuditEvent, CalendarException, CalendarYear

# 《全国年节及纪念日放假办法》第二条: the festivals every citizen has off.
STATUTORY_FESTIVALS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
REST, WORK = "休", "班"
MAX_FILE_BYTES = 100_000
WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class YearDay:
    """One row: a day off (休) or an adjusted working day (班) of a named holiday."""

    date: dt.date
    working: bool
    name: str


@dataclass(frozen=True)
class YearFile:
    """A checked year: what the notice says, ready to load."""

    year: int
    notice: str
    days: tuple[YearDay, ...]

    def exceptions(self) -> dict[dt.date, tuple[bool, str]]:
        """The days that break the Monday–Friday rule, as the calendar stores them."""
        return {
            d.date: (d.working, d.name) for d in self.days if d.working == (d.date.weekday() >= 5)
        }


@dataclass(frozen=True)
class RawRow:
    """A row as typed: its line (or form row) number and three texts."""

    line: int
    date: str
    kind: str
    name: str


def read_year_file(content: bytes | str) -> tuple[str, str, list[RawRow]]:
    """The year text, notice and rows of a CSV file; a file that is no such CSV is refused."""
    if isinstance(content, bytes):
        if len(content) > MAX_FILE_BYTES:
            raise InvalidInput.single(_("文件"), _("文件超过 100 KB，不是一年的节假日安排"))
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput.single(_("文件"), _("文件应为 UTF-8 编码的 CSV")) from None
    if has_control_characters(content):
        raise InvalidInput.single(_("文件"), str(CONTROL_CHARACTER_MESSAGE))
    year, notice, rows = "", "", []
    in_rows = False
    for number, cells in enumerate(csv.reader(io.StringIO(content)), start=1):
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        key = cells[0].lower()
        if not in_rows and key == "year":
            year = cells[1] if len(cells) > 1 else ""
        elif not in_rows and key == "notice":
            notice = cells[1] if len(cells) > 1 else ""
        elif not in_rows and key == "date":
            in_rows = True
        elif in_rows:
            padded = [*cells, "", "", ""]
            if len([c for c in cells if c]) > 3:
                raise InvalidInput.single(
                    _("第 %(line)d 行") % {"line": number}, _("每行应为 日期,休/班,名称 三列")
                )
            rows.append(RawRow(number, padded[0], padded[1], padded[2]))
        else:
            raise InvalidInput.single(
                _("第 %(line)d 行") % {"line": number},
                _("应先写 year、notice 两行，再写表头 date,kind,name"),
            )
    if not in_rows:
        raise InvalidInput.single(_("文件"), _("缺少表头行 date,kind,name"))
    return year, notice, rows


def year_file_text(year_file: YearFile) -> str:
    """``year_file`` as the CSV it could have come from (what the page's preview carries)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([["year", year_file.year], ["notice", year_file.notice]])
    writer.writerow(["date", "kind", "name"])
    writer.writerows(
        [d.date.isoformat(), WORK if d.working else REST, d.name] for d in year_file.days
    )
    return out.getvalue()


def hand_rows(text: str) -> list[RawRow]:
    """The rows typed into the page's box, one ``日期,休/班,名称`` a line (，、tab also part)."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = [c.strip() for c in re.split(r"[,，\t]", line)]
        padded = [*cells, "", "", ""]
        rows.append(
            RawRow(number, padded[0], padded[1], "".join(cells[2:]) if len(cells) > 2 else "")
        )
    return rows


def check_year(*, year: str | int, notice: str, rows: Sequence[RawRow]) -> YearFile:
    """The year the rows describe, or every problem with them at once (``InvalidInput``)."""
    errors: list[FieldError] = []
    number = _year_number(year, errors)
    notice = notice.strip()
    if not notice:
        errors.append(
            FieldError(_("通知文号"), _("请填写国务院办公厅通知文号，如 国办发明电〔2026〕7号"))
        )
    days = _days(rows, number, errors)
    if number is not None and days is not None:
        _check_runs(days, errors)
    if errors:
        raise InvalidInput("；".join(_labelled(e) for e in errors), errors=errors)
    assert number is not None and days is not None
    return YearFile(number, notice, tuple(sorted(days.values(), key=lambda d: d.date)))


def _labelled(error: FieldError) -> str:
    return f"{error.field}：{error.message}" if error.field else error.message


def _year_number(year: str | int, errors: list[FieldError]) -> int | None:
    text = str(year).strip()
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        errors.append(
            FieldError(_("年份"), _("年份应为 2000–2100 之间的四位数：%(v)s") % {"v": text})
        )
        return None
    return int(text)


def _days(
    rows: Sequence[RawRow], year: int | None, errors: list[FieldError]
) -> dict[dt.date, YearDay] | None:
    days: dict[dt.date, YearDay] = {}
    lines: dict[dt.date, int] = {}
    start = len(errors)
    if not rows:
        errors.append(FieldError(_("日期"), _("没有任何放假或调休日期")))
    for row in rows:
        where = _("第 %(line)d 行") % {"line": row.line}
        try:
            day = dt.date.fromisoformat(row.date)
        except ValueError:
            errors.append(FieldError(where, _("日期应为 YYYY-MM-DD：%(v)s") % {"v": row.date}))
            continue
        if row.kind not in (REST, WORK):
            errors.append(FieldError(where, _("类型应为“休”或“班”：%(v)s") % {"v": row.kind}))
            continue
        if not row.name:
            errors.append(FieldError(where, _("请写明 %(d)s 属于哪个节日") % {"d": day}))
            continue
        if year is not None and day.year != year:
            errors.append(FieldError(where, _("%(d)s 不在 %(y)d 年内") % {"d": day, "y": year}))
            continue
        working = row.kind == WORK
        if day in days:
            first = days[day]
            if first.working != working:
                message = _("%(d)s 既列为放假（休）又列为调休上班（班），见第 %(l)d 行")
            else:
                message = _("%(d)s 重复列出，见第 %(l)d 行")
            errors.append(FieldError(where, message % {"d": day, "l": lines[day]}))
            continue
        if working and day.weekday() < 5:
            errors.append(
                FieldError(
                    where,
                    _("调休上班日 %(d)s 是星期%(w)s，本来就是工作日；调休上班日应是周六或周日")
                    % {"d": day, "w": WEEKDAYS[day.weekday()]},
                )
            )
            continue
        days[day], lines[day] = YearDay(day, working, row.name), row.line
    return days if len(errors) == start else None


def _check_runs(days: dict[dt.date, YearDay], errors: list[FieldError]) -> None:
    """A year half given: a statutory festival missing, or a name with working days only."""
    rest_names = {d.name for d in days.values() if not d.working}
    missing = [f for f in STATUTORY_FESTIVALS if not any(f in name for name in rest_names)]
    if missing:
        errors.append(
            FieldError(
                _("节日"),
                _(
                    "缺少法定节日：%(names)s（《全国年节及纪念日放假办法》规定的七个节日都应列出放假日期）"
                )
                % {"names": "、".join(missing)},
            )
        )
    for name in sorted({d.name for d in days.values() if d.working} - rest_names):
        errors.append(FieldError(_("节日"), _("“%(n)s”只有调休上班日，没有放假日期") % {"n": name}))


@dataclass
class YearChange:
    """What loading a year would change: the exceptions added, removed and renamed or flipped,
    and the year's working days before (as now counted, perhaps provisionally) and after."""

    year: int
    notice: str
    replaces: bool
    old_notice: str = ""
    added: list[tuple[dt.date, bool, str]] = field(default_factory=list)
    removed: list[tuple[dt.date, bool, str]] = field(default_factory=list)
    changed: list[tuple[dt.date, bool, str]] = field(default_factory=list)
    working_days_before: int = 0
    working_days_after: int = 0

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.changed) and self.replaces


def preview_year(year_file: YearFile) -> YearChange:
    """What ``load_year`` would change, without writing anything (the dry run)."""
    year = year_file.year
    known = CalendarYear.objects.filter(year=year).first()
    calendar = WorkingCalendar.load()
    if known is None:
        _check_no_gap(year, calendar)
    old = {
        e.date: (e.is_working_day, e.name)
        for e in CalendarException.objects.filter(date__year=year)
    }
    if known is None:
        old = {}  # a provisional year counts weekdays only, whatever rows it may hold
    new = year_file.exceptions()
    change = YearChange(
        year,
        year_file.notice,
        replaces=known is not None,
        old_notice=(known.notice or known.source) if known else "",
    )
    change.added = [(d, *new[d]) for d in sorted(new.keys() - old.keys())]
    change.removed = [(d, *old[d]) for d in sorted(old.keys() - new.keys())]
    change.changed = [(d, *new[d]) for d in sorted(new.keys() & old.keys()) if new[d] != old[d]]
    first, last = dt.date(year - 1, 12, 31), dt.date(year, 12, 31)
    change.working_days_before = calendar.working_days_between(first, last)
    after = WorkingCalendar(
        {*calendar.years, year},
        {
            **{d: w for d, w in calendar.exceptions.items() if d.year != year},
            **{d: w for d, (w, _n) in new.items()},
        },
    )
    change.working_days_after = after.working_days_between(first, last)
    return change


def _check_no_gap(year: int, calendar: WorkingCalendar) -> None:
    last = calendar.last_known_year
    if last is not None and year > last + 1:
        raise Conflict(
            _("请先载入 %(next)d 年：工作日历已知到 %(last)d 年，不能跳过中间的年份。")
            % {"next": last + 1, "last": last}
        )
    if last is not None and year < min(calendar.years):
        raise Conflict(
            _("%(year)d 年早于工作日历的第一年 %(first)d 年，无需载入。")
            % {"year": year, "first": min(calendar.years)}
        )


@dataclass(frozen=True)
class YearLoaded:
    """A loaded year: what changed and how many stored dates each domain recomputed."""

    change: YearChange
    recomputed: dict[str, int]


def load_year(*, year_file: YearFile, actor: Actor | None, replace: bool = False) -> YearLoaded:
    """Write the year and its exceptions (replacing a known year's only when ``replace``),
    trace it, then recompute every provisional date the domains stored for it."""
    change = preview_year(year_file)
    if change.replaces and not replace:
        raise Conflict(
            _("%(year)d 年已载入（依据：%(old)s）；确认替换后才会改写。")
            % {"year": year_file.year, "old": change.old_notice or _("未记录")}
        )
    with transaction.atomic():
        year, created = CalendarYear.objects.select_for_update().get_or_create(year=year_file.year)
        before = {"notice": year.notice, "source": year.source}
        CalendarException.objects.filter(date__year=year_file.year).delete()
        CalendarException.objects.bulk_create(
            CalendarException(date=d, is_working_day=w, name=n)
            for d, (w, n) in sorted(year_file.exceptions().items())
        )
        year.notice, year.source = year_file.notice, year_file.notice
        year.loaded_at, year.loaded_by = timezone.now(), cast(Any, actor)
        year.save()
        audit.record(
            year,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            changes=_traced_changes(before, change),
            reason=_("载入 %(year)d 年节假日安排（%(notice)s）")
            % {"year": year_file.year, "notice": year_file.notice},
        )
        recomputed = recompute_year(year_file.year)
    return YearLoaded(change, recomputed)


def _traced_changes(before: dict[str, str], change: YearChange) -> dict[str, Any]:
    def listed(days: Iterable[tuple[dt.date, bool, str]]) -> list[str]:
        return [f"{d.isoformat()} {WORK if w else REST} {n}" for d, w, n in days]

    changes: dict[str, Any] = {}
    if before["notice"] != change.notice:
        changes["notice"] = [before["notice"] or None, change.notice]
    for key, days in (("added", change.added), ("removed", change.removed)):
        if days:
            changes[key] = [None, listed(days)] if key == "added" else [listed(days), None]
    if change.changed:
        changes["changed"] = [None, listed(change.changed)]
    changes["working_days"] = [change.working_days_before, change.working_days_after]
    return changes
