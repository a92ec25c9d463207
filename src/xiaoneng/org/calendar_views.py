"""The working-day calendar page (administrators): which years are known, and loading the next.

A year comes from a file (docs/calendar.md) or is typed by hand, one ``日期,休/班,名称`` a line.
Either way the page first shows what would change (the dry run, nothing written) and carries
the checked year as CSV in the confirmation form; saving loads it through
``core.calendar_files.load_year`` and names how many provisional dates each domain recomputed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.calendar_files import (
    MAX_FILE_BYTES,
    YearFile,
    check_year,
    hand_rows,
    load_year,
    preview_year,
    read_year_file,
    year_file_text,
)
from xiaoneng.core.errors import DomainError
from xiaoneng.core.forms import PageForm, posted
from xiaoneng.core.models import CalendarYear
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest


class CalendarYearForm(PageForm):
    """One way in: a file, or the year, notice and days typed by hand; or the confirmation."""

    action = forms.ChoiceField(choices=[("file", ""), ("hand", ""), ("save", "")])
    file = forms.FileField(label=gettext_lazy("节假日安排文件（CSV）"), required=False)
    year = forms.CharField(label=gettext_lazy("年份"), required=False, max_length=10)
    notice = forms.CharField(label=gettext_lazy("通知文号"), required=False, max_length=100)
    days = forms.CharField(
        label=gettext_lazy("放假与调休日期"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy("每行一天：日期,休/班,名称，如 2027-10-01,休,国庆节"),
    )
    content = forms.CharField(required=False, max_length=MAX_FILE_BYTES, widget=forms.HiddenInput)
    replace = forms.BooleanField(label=gettext_lazy("替换已载入的该年安排"), required=False)

    def year_file(self) -> YearFile:
        """The checked year this submission describes (``DomainError`` naming every problem)."""
        data = self.cleaned_data
        if data["action"] == "hand":
            return check_year(
                year=data["year"], notice=data["notice"], rows=hand_rows(data["days"])
            )
        if data["action"] == "file":
            upload = data.get("file")
            if upload is None:
                return check_year(year="", notice="", rows=[])  # names what is missing
            content: bytes | str = upload.read(MAX_FILE_BYTES + 1)
        else:
            content = data["content"]
        year, notice, rows = read_year_file(content)
        notice = data["notice"] if data["action"] == "file" and data["notice"] else notice
        return check_year(year=year, notice=notice, rows=rows)


def _status() -> dict[str, Any]:
    years = list(CalendarYear.objects.select_related("loaded_by").order_by("-year"))
    today = timezone.localdate()
    calendar = WorkingCalendar.load()
    last = calendar.last_known_year
    return {
        "years": years[:10],
        "first_year": years[-1].year if years else None,
        "last_year": last,
        "next_year": today.year + 1,
        "next_loaded": last is not None and last > today.year,
        "days_left": ((today.replace(month=12, day=31) - today).days + 1),
    }


@login_required
def calendar_years(request: OfficerRequest) -> HttpResponse:
    """Known years and their sources; a year loaded from a file or by hand, previewed first."""
    access.require(request.user, access.MANAGE_CALENDAR)
    form = CalendarYearForm(**posted(request))
    context: dict[str, Any] = {"form": form, **_status()}
    if request.method == "POST" and not form.is_valid():
        context["errors"] = [
            f"{form.fields[name].label or name}：{message}" if name in form.fields else message
            for name, messages_ in form.errors.items()
            for message in messages_
        ]
    elif request.method == "POST":
        try:
            year_file = form.year_file()
            if form.cleaned_data["action"] == "save":
                loaded = load_year(
                    year_file=year_file,
                    actor=request.user,
                    replace=form.cleaned_data["replace"],
                )
                messages.success(request, _loaded_message(year_file, loaded.recomputed))
                return redirect("org:calendar")
            context["change"] = preview_year(year_file)
            context["content"] = year_file_text(year_file)
        except DomainError as error:
            context["errors"] = [
                e.message if not e.field else f"{e.field}：{e.message}" for e in error.errors
            ] or [error.message]
    return render(request, "org/calendar.html", context)


def _loaded_message(year_file: YearFile, recomputed: dict[str, int]) -> str:
    counts = "，".join(f"{name} {count} 条" for name, count in recomputed.items()) or _("无")
    return _("已载入 %(year)d 年节假日安排（%(notice)s）。重新计算的暂定日期：%(counts)s。") % {
        "year": year_file.year,
        "notice": year_file.notice,
        "counts": counts,
    }
