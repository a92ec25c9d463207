"""The period report page (期间报告): a form, the sentences, the tables, xlsx and md downloads."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from xiaoneng.core.errors import DomainError
from xiaoneng.core.routing import stale_reads
from xiaoneng.core.scoping import scoped
from xiaoneng.org import access
from xiaoneng.org.models import Unit
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.reports import timeliness_bulletin as bulletins
from xiaoneng.reports.export import markdown, tables, write_xlsx
from xiaoneng.reports.period import period_report
from xiaoneng.reports.scope import parse_request
from xiaoneng.reports.text import sentences, title

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(report: Any, kind: str) -> HttpResponse:
    name = f"period-report-{report.unit_code or 'all'}-{report.start}-{report.end}"
    if kind == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(report, buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = HttpResponse(markdown(report), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.md"'
    return response


@login_required
@stale_reads
def period_report_page(request: OfficerRequest) -> HttpResponse:
    """期间报告 of a unit in the user's scope; ``download=xlsx|md`` answers the file instead."""
    today = timezone.localdate()
    # By default the user's whole scope: the bureau for bureau-wide roles (a division holds no
    # records of its own), the station for a station's people, everything for an administrator.
    root = access.scope_root(request.user)
    values = {
        "from": request.GET.get("from", f"{today:%Y}-01-01"),
        "to": request.GET.get("to", f"{today:%Y-%m-%d}"),
        "unit": request.GET.get("unit", root.code if root else ""),
    }
    errors: dict[str, str] = {}
    report = None
    status = 200
    try:
        start, end, unit = parse_request(
            start=values["from"], end=values["to"], unit_code=values["unit"], user=request.user
        )
        report = period_report(start=start, end=end, unit=unit, user=request.user)
    except DomainError as error:
        errors = error.by_field
        status = error.status_code if error.status_code == 403 else 200
    if report is not None and request.GET.get("download") in ("xlsx", "md"):
        return _download(report, request.GET["download"])
    query = urlencode({k: v for k, v in values.items() if v})
    context = {
        "values": values,
        "errors": errors,
        "report": report,
        "title": title(report) if report else "",
        "sentences": sentences(report) if report else [],
        "tables": tables(report) if report else [],
        "query": query,
        "units": scoped(Unit.objects.all(), request.user).order_by("path"),
    }
    return render(request, "reports/period.html", context, status=status)


@login_required
@stale_reads
def timeliness_bulletin_page(request: OfficerRequest) -> HttpResponse:
    """每月一通报 (篇9) of the user's scope: ``?month=YYYY-MM`` (default: last month)."""
    return _timeliness_bulletin(request, xlsx=False)


@login_required
@stale_reads
def timeliness_bulletin_xlsx(request: OfficerRequest) -> HttpResponse:
    """The monthly bulletin as XLSX (a bad month answers the page with its error, 422)."""
    return _timeliness_bulletin(request, xlsx=True)


def _timeliness_bulletin(request: OfficerRequest, *, xlsx: bool) -> HttpResponse:
    month = request.GET.get("month", "")
    try:
        start = bulletins.month_start(month)
        bulletin = bulletins.timeliness_bulletin(start=start, unit=None, user=request.user)
    except DomainError as error:
        refused = {"errors": error.by_field, "month": month, "months": bulletins.offered_months()}
        return render(
            request, "reports/timeliness_bulletin.html", refused, status=error.status_code
        )
    if xlsx:
        buffer = io.BytesIO()
        bulletins.write_xlsx(bulletin, buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        name = f"timeliness-bulletin-{bulletin.unit_code or 'all'}-{bulletin.month}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context: dict[str, Any] = {
        "bulletin": bulletin,
        "title": bulletins.title(bulletin),
        "sentences": bulletins.sentences(bulletin),
        "tables": bulletins.tables(bulletin),
        "month": bulletin.month,
        "months": bulletins.offered_months(),
        "errors": {},
    }
    return render(request, "reports/timeliness_bulletin.html", context)
