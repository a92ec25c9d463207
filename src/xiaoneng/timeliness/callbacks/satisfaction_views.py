"""Pages of the callbacks' satisfaction rates (回访满意率, 篇9): the rates over a period by unit,
officer, channel, month and kind, with the problems raised, and the same as an XLSX sheet."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.pages import Choice, is_day, known_filters, parse_day
from xiaoneng.core.tabular import write_sheet
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.timeliness.callbacks import figures
from xiaoneng.timeliness.callbacks.views import callbacks_of, problems_of

# Satisfaction -----------------------------------------------------------------------------------


def _period(request: OfficerRequest) -> tuple[dt.date, dt.date]:
    known = known_filters(
        request, **{"from": Choice(_("开始日期"), is_day), "to": Choice(_("结束日期"), is_day)}
    )
    today = timezone.localdate()
    start = parse_day(known.get("from", "")) or today.replace(month=1, day=1)
    end = parse_day(known.get("to", "")) or today
    if end < start:
        messages.warning(request, _("结束日期早于开始日期，已互换"))
        start, end = end, start
    return start, end


def satisfaction_tables(
    request: OfficerRequest, start: dt.date, end: dt.date
) -> tuple[figures.Tally, list[tuple[str, list[figures.Row]]]]:
    rows = callbacks_of(request)
    total = figures.tally(rows, start, end)
    groups = [(str(label), fn(rows, start, end)) for label, fn in figures.GROUPINGS.values()]
    return total, groups


@login_required
def satisfaction(request: OfficerRequest) -> HttpResponse:
    """The satisfaction rates over a period, by unit, officer, channel, month and kind."""
    start, end = _period(request)
    total, groups = satisfaction_tables(request, start, end)
    context = {
        "start": start,
        "end": end,
        "total": total,
        "sentence": figures.sentence(total),
        "groups": groups,
        "problems": figures.problems(problems_of(request), start, end),
        "query": f"from={start.isoformat()}&to={end.isoformat()}",
    }
    return render(request, "timeliness/callbacks/satisfaction.html", context)


HEADER = [
    _("分组"),
    _("名称"),
    _("回访人次"),
    _("电话回访"),
    _("上门回访"),
    _("无法联系"),
    _("作答"),
    _("满意"),
    _("基本满意"),
    _("不满意"),
    _("满意率（%）"),
]


@login_required
def satisfaction_xlsx(request: OfficerRequest) -> HttpResponse:
    """The satisfaction page as one XLSX sheet: the total, then each grouping's rows."""
    from openpyxl import Workbook

    start, end = _period(request)
    total, groups = satisfaction_tables(request, start, end)

    def line(group: str, name: str, t: figures.Tally) -> list[Any]:
        rate = t.satisfaction
        return [
            group,
            name,
            t.made,
            t.phone,
            t.on_site,
            t.unreachable,
            t.answered,
            t.satisfied,
            t.basic,
            t.unsatisfied,
            "" if rate is None else float(rate),
        ]

    rows = [line(_("合计"), f"{start}～{end}", total)]
    for label, found in groups:
        rows += [line(label, row.label, row.tally) for row in found]
    book = Workbook(write_only=True)
    write_sheet(book, str(_("回访满意率")), [str(h) for h in HEADER], rows)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"callbacks-satisfaction-{start}-{end}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
