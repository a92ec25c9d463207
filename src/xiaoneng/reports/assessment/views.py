"""Pages of 效能考核: the ranking of a period, one subject's score and the records behind each
indicator, and the schemes (weights)."""

from __future__ import annotations

import io
import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core.errors import DomainError, Missing
from xiaoneng.core.routing import stale_reads
from xiaoneng.org import access
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.registry.views import map_context
from xiaoneng.reports.assessment import bulletin as bulletins
from xiaoneng.reports.assessment import catalogue, queries, services
from xiaoneng.reports.assessment import cockpit as cockpits
from xiaoneng.reports.assessment.catalogue import OFFICER, STATION
from xiaoneng.reports.assessment.models import ROLE_CHOICES, Scheme
from xiaoneng.reports.assessment.periods import parse_period


def _kind(value: str | None) -> str:
    return value if value in catalogue.SUBJECT_KINDS else OFFICER


@login_required
@stale_reads
def assessment_page(request: OfficerRequest) -> HttpResponse:
    """效能考核: the ranking of one period for officers or stations, within the user's scope."""
    today = timezone.localdate()
    kind = _kind(request.GET.get("kind"))
    text = request.GET.get("period") or queries.default_period(today).key
    context: dict[str, Any] = {
        "kind": kind,
        "kinds": [(OFFICER, services.kind_label(OFFICER)), (STATION, services.kind_label(STATION))],
        "period_text": text,
        "periods": queries.offered_periods(today),
        "may_manage": access.can(request.user, access.MANAGE_ASSESSMENT),
    }
    try:
        period = parse_period(text)
    except DomainError as error:
        context["error"] = error.for_page
        return render(request, "assessment/ranking.html", context, status=400)
    assessment = services.latest(kind, period)
    context["period"] = period
    context["scheme"] = services.scheme_for(kind, period)
    context["assessment"] = assessment
    if assessment is not None:
        weighting = queries.weighting(assessment)
        known = catalogue.load()
        context["columns"] = [(row.indicator, known.get(row.indicator)) for row in weighting]
        context["role_schemes"] = queries.role_schemes(assessment)
        results = list(queries.visible_results(assessment, request.user).prefetch_related("items"))
        context["rows"] = [
            (result, queries.subject_name(result), _scores(result, weighting)) for result in results
        ]
        context["count"] = assessment.results.exclude(rank__isnull=True).count()
    return render(request, "assessment/ranking.html", context)


def _scores(result: Any, weighting: list[Any]) -> list[Any]:
    by_code = {item.indicator: item for item in result.items.all()}
    return [by_code.get(row.indicator) for row in weighting]


@login_required
@require_POST
def compute_page(request: OfficerRequest) -> HttpResponse:
    """Compute (or recompute) a period's assessment; back to its ranking."""
    access.require(request.user, access.MANAGE_ASSESSMENT)
    kind = _kind(request.POST.get("kind"))
    period = parse_period(request.POST.get("period", ""))
    services.compute(kind=kind, period=period, actor=request.user)
    query = urlencode({"kind": kind, "period": period.key})
    return redirect(f"{reverse('assessment:ranking')}?{query}")


@login_required
@stale_reads
def result_page(request: OfficerRequest, result_id: int) -> HttpResponse:
    """One subject's score: each indicator's value, what it counted, weight and score."""
    result = queries.result_for(request.user, result_id)
    assessment = result.assessment
    return render(
        request,
        "assessment/result.html",
        {
            "result": result,
            "assessment": assessment,
            "name": queries.subject_name(result),
            "lines": queries.lines(result),
            "count": assessment.results.exclude(rank__isnull=True).count(),
            "trend": queries.trend(result),
            "superseded": services.latest(assessment.subject_kind, parse_period(assessment.period))
            != assessment,
        },
    )


@login_required
@stale_reads
def records_page(request: OfficerRequest, result_id: int, code: str) -> HttpResponse:
    """The records behind one indicator of a result, read from the records as they are now."""
    result = queries.result_for(request.user, result_id)
    item = result.items.filter(indicator=code).first()
    indicator = services.indicator(code)
    if item is None or indicator is None:
        raise Missing(_("该考核结果没有此指标：%(code)s") % {"code": code})
    assessment = result.assessment
    subject = result.officer_id if result.officer_id is not None else result.unit_id
    period = parse_period(assessment.period)
    rows = indicator.records(assessment.subject_kind, subject, period)
    counted = sum(1 for row in rows if row.counts == "numerator")
    in_denominator = sum(1 for row in rows if row.counts in ("numerator", "denominator"))
    # Compared only where the rows say where they count: a mean (days to rectify) or a ratio
    # to a target (cases against the prorated target) has no denominator rows to count.
    listed_denominator = any(row.counts == "denominator" for row in rows)
    changed = any(row.counts for row in rows) and (
        (item.numerator is not None and counted != item.numerator)
        or (
            listed_denominator
            and item.denominator is not None
            and in_denominator != item.denominator
        )
    )
    return render(
        request,
        "assessment/records.html",
        {
            "result": result,
            "assessment": assessment,
            "name": queries.subject_name(result),
            "item": item,
            "indicator": indicator,
            "rows": rows,
            "counted": counted,
            "in_denominator": in_denominator,
            "changed": changed,
        },
    )


@login_required
def scheme_list(request: OfficerRequest) -> HttpResponse:
    """考核方案: every scheme with its weights; the one in force this year first."""
    known = catalogue.load()
    schemes = list(Scheme.objects.prefetch_related("items").select_related("created_by"))
    return render(
        request,
        "assessment/schemes.html",
        {
            "schemes": [
                (scheme, [(item, known.get(item.indicator)) for item in scheme.items.all()])
                for scheme in schemes
            ],
            "may_manage": access.can(request.user, access.MANAGE_ASSESSMENT),
            "kinds": [
                (OFFICER, services.kind_label(OFFICER)),
                (STATION, services.kind_label(STATION)),
            ],
        },
    )


@login_required
def scheme_new(request: OfficerRequest) -> HttpResponse:
    """A new scheme for officers or stations, starting from the latest one (or the defaults)."""
    access.require(request.user, access.MANAGE_ASSESSMENT)
    kind = _kind(request.GET.get("kind") or request.POST.get("kind"))
    today = timezone.localdate()
    indicators = catalogue.indicators_for(kind)
    error = ""
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in request.POST}
        try:
            items = [
                services.Item(
                    indicator.code,
                    services.decimal_of(values.get(f"weight_{indicator.code}", ""), "items"),
                    services.decimal_of(values.get(f"target_{indicator.code}", ""), "items"),
                    services.decimal_of(values.get(f"floor_{indicator.code}", ""), "items"),
                )
                for indicator in indicators
                if values.get(f"use_{indicator.code}")
            ]
            year = int(values.get("year", "") or 0)
            services.save_scheme(
                kind=kind,
                year=year,
                name=values.get("name", ""),
                note=values.get("note", ""),
                role=values.get("role", ""),
                items=items,
                actor=request.user,
            )
            return redirect("assessment:schemes")
        except ValueError:
            error = _("年度应为四位数字：%(year)s") % {"year": values.get("year", "")}
        except DomainError as refused:
            error = refused.for_page
        rows = [
            (
                indicator,
                bool(values.get(f"use_{indicator.code}")),
                values.get(f"weight_{indicator.code}", ""),
                values.get(f"target_{indicator.code}", ""),
                values.get(f"floor_{indicator.code}", ""),
            )
            for indicator in indicators
        ]
        name, year_text, note, role = (
            values.get("name", ""),
            values.get("year", ""),
            values.get("note", ""),
            values.get("role", ""),
        )
    else:
        role = request.GET.get("role", "") if kind == OFFICER else ""
        role = role if role in dict(ROLE_CHOICES) else ""
        rows = _starting_rows(kind, role, indicators, today.year)
        name = _("%(year)s年%(kind)s效能考核方案") % {
            "year": today.year,
            "kind": services.role_label(role) if role else services.kind_label(kind),
        }
        year_text, note = str(today.year), ""
    return render(
        request,
        "assessment/scheme_form.html",
        {
            "kind": kind,
            "kind_label": services.kind_label(kind),
            "roles": ROLE_CHOICES if kind == OFFICER else [],
            "role": role,
            "rows": rows,
            "name": name,
            "year": year_text,
            "note": note,
            "error": error,
        },
        status=400 if error else 200,
    )


def _starting_rows(
    kind: str, role: str, indicators: list[catalogue.Indicator], year: int
) -> list[Any]:
    """The rows of a new scheme: the weights of the latest scheme for the role (else for the
    kind), or the recommended ones."""
    period = parse_period(str(year))
    latest = services.scheme_for(kind, period, role) or services.scheme_for(kind, period)
    given = (
        {i.indicator: (i.weight, i.target, i.floor) for i in latest.items.all()}
        if latest
        else {i.indicator: (i.weight, i.target, i.floor) for i in services.default_items(kind)}
    )
    rows = []
    for indicator in indicators:
        weight, target, floor = given.get(indicator.code, ("", indicator.target, indicator.floor))
        rows.append((indicator, indicator.code in given, weight, target, floor))
    return rows


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@stale_reads
def bulletin_page(request: OfficerRequest) -> HttpResponse:
    """效能通报 of a period for the user's scope; ``download=xlsx|md`` answers the file."""
    today = timezone.localdate()
    text = request.GET.get("period") or queries.default_period(today).key
    context: dict[str, Any] = {"period_text": text, "periods": queries.offered_periods(today)}
    try:
        period = parse_period(text)
        found = bulletins.bulletin(period=period, unit=None, user=request.user)
    except DomainError as error:
        context["error"] = error.for_page
        return render(request, "assessment/bulletin.html", context, status=400)
    download = request.GET.get("download")
    name = f"bulletin-{period.key}"
    if download == "xlsx":
        buffer = io.BytesIO()
        bulletins.write_xlsx(found, buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    if download == "md":
        response = HttpResponse(
            bulletins.markdown(found), content_type="text/markdown; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.md"'
        return response
    context["bulletin"] = found
    return render(request, "assessment/bulletin.html", context)


@login_required
@stale_reads
def cockpit_page(request: OfficerRequest) -> HttpResponse:
    """效能驾驶舱: the month's figures of the user's scope, its trend and its parts."""
    month = request.GET.get("month") or None
    if month is not None:
        try:
            if parse_period(month).kind != "month":
                raise ValueError(month)
        except (DomainError, ValueError):
            return render(
                request,
                "assessment/cockpit.html",
                {"error": _("月份应为 YYYY-MM：%(value)s") % {"value": month}},
                status=400,
            )
    found = cockpits.cockpit(request.user, month)
    return render(
        request,
        "assessment/cockpit.html",
        {
            "cockpit": found,
            "trend_json": json.dumps(found.trend, ensure_ascii=False),
            "grid_json": json.dumps(found.grid, ensure_ascii=False),
            "may_manage": access.can(request.user, access.MANAGE_ASSESSMENT),
            "today": timezone.localdate(),
            # The cockpit's grid map starts coloured by the grids' scores (its own figure).
            **map_context(request, colour=request.GET.get("colour", "score")),
        },
    )


@login_required
@stale_reads
def cockpit_today(request: OfficerRequest) -> HttpResponse:
    """The cockpit's live counts of today (overdue, waiting), as cards the page loads after it
    has shown the stored figures: counting them reads the whole register."""
    cards = cockpits.today_cards(request.user, timezone.localdate())
    return render(request, "assessment/cockpit_today.html", {"cards": cards})
