"""The campaign statistics page of advertising supervision and its XLSX export; both read
``ads.stats.figures``."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.ads.monitoring.views import ads_for
from xiaoneng.ads.notices.views import notices_for
from xiaoneng.ads.operators.views import checks_for
from xiaoneng.ads.stats.figures import HEADER, Figures, ad_figures, sheet_rows
from xiaoneng.core.pages import parse_day
from xiaoneng.core.routing import stale_reads
from xiaoneng.core.scoping import scoped
from xiaoneng.core.tabular import write_sheet
from xiaoneng.org.models import Unit
from xiaoneng.org.requests import OfficerRequest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _units(request: OfficerRequest) -> QuerySet[Unit]:
    return scoped(Unit.objects.all(), request.user).order_by("path")


def figures_for(request: OfficerRequest) -> tuple[Figures, dict[str, str], dict[str, str]]:
    """The period (default: this year to today) and unit asked for, checked, and its figures."""
    today = timezone.localdate()
    values = {
        "from": request.GET.get("from", f"{today:%Y}-01-01").strip(),
        "to": request.GET.get("to", today.isoformat()).strip(),
        "unit": request.GET.get("unit", "").strip(),
    }
    errors: dict[str, str] = {}
    start, end = parse_day(values["from"]), parse_day(values["to"])
    if start is None:
        errors["from"] = _("起始日期格式应为 YYYY-MM-DD：%(v)s") % {"v": values["from"]}
    if end is None:
        errors["to"] = _("截止日期格式应为 YYYY-MM-DD：%(v)s") % {"v": values["to"]}
    if start and end and start > end:
        errors["to"] = _("截止日期不能早于起始日期：%(v)s") % {"v": values["to"]}
    if errors or start is None or end is None:
        start, end = dt.date(today.year, 1, 1), today
    ads, notices, checks = (
        ads_for(request.user),
        notices_for(request.user),
        checks_for(request.user),
    )
    if values["unit"]:
        unit = _units(request).filter(code=values["unit"]).first()
        if unit is None:
            errors["unit"] = _("未找到该单位：%(v)s") % {"v": values["unit"]}
        else:
            inside = {"unit__path__startswith": unit.path}
            ads, notices, checks = (
                ads.filter(**inside),
                notices.filter(**inside),
                checks.filter(**inside),
            )
    labels = {u.code: u.name for u in _units(request)}
    return ad_figures(ads, notices, checks, start, end, labels), values, errors


@login_required
@stale_reads
def ad_stats(request: OfficerRequest) -> HttpResponse:
    """Ads monitored, hits, confirmed, notices, complied and cases by month, medium, category
    and unit."""
    figures, values, errors = figures_for(request)
    query = "&".join(f"{k}={v}" for k, v in values.items() if v and k not in errors)
    groups = [
        (_("按月份"), figures.by_month),
        (_("按媒介类型"), figures.by_medium),
        (_("按违法类别"), figures.by_category),
        (_("按监管单位"), figures.by_unit),
    ]
    context = {
        "figures": figures,
        "groups": groups,
        "header": HEADER[1:],
        "values": values,
        "errors": errors,
        "units": _units(request),
        "query": query,
    }
    return render(request, "ads/stats/ad_stats.html", context)


@login_required
@stale_reads
def ad_stats_xlsx(request: OfficerRequest) -> HttpResponse:
    """The stats page's figures as an XLSX workbook."""
    from openpyxl import Workbook

    figures, _values, _errors = figures_for(request)
    book = Workbook(write_only=True)
    title = _("广告监管统计 %(a)s 至 %(b)s") % {"a": figures.start, "b": figures.end}
    write_sheet(book, title, HEADER, sheet_rows(figures))
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"ads-{figures.start}-{figures.end}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
