"""Pages of the organisation: the grid map, units, officers, grids."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xiaoneng.core import audit
from xiaoneng.core.history import readable
from xiaoneng.core.scoping import get_scoped, in_scope, scoped
from xiaoneng.org.models import Grid, Officer, Unit
from xiaoneng.registry.models import Entity, RiskClass

ACTIVE = Q(entities__archived_at__isnull=True)


@login_required
def grid_map(request: HttpRequest) -> HttpResponse:
    """Grid polygons and entity points on a plain background (no tile server)."""
    grids = scoped(Grid.objects.all(), request.user)
    return render(
        request,
        "org/map.html",
        {"grid_count": grids.count(), "risk_classes": RiskClass.choices},
    )


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    units = scoped(
        Unit.objects.annotate(officer_count=Count("officers", distinct=True)), request.user
    )
    entity_counts = dict(
        scoped(Entity.objects.filter(archived_at__isnull=True), request.user)
        .values_list("unit")
        .annotate(n=Count("id"))
    )
    grid_counts = dict(
        scoped(Grid.objects.all(), request.user).values_list("station").annotate(n=Count("id"))
    )
    rows = [(u, entity_counts.get(u.pk, 0), grid_counts.get(u.pk, 0)) for u in units]
    return render(request, "org/unit_list.html", {"rows": rows})


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_scoped(Unit.objects.select_related("parent"), request.user, code=code)
    context = {
        "unit": unit,
        # The parent is a link only for those who may open it (a station's staff may not).
        "parent_visible": unit.parent_id is not None and in_scope(request.user, unit.parent_id),
        "officers": unit.officers.prefetch_related("roles").order_by("username"),
        "grids": unit.grids.select_related("officer", "section__zone").annotate(
            entity_count=Count("entities", filter=ACTIVE)
        ),
        "children": unit.children.all(),
        "entity_count": Entity.objects.filter(unit=unit, archived_at__isnull=True).count(),
        "history": readable(audit.history(unit)[:100], Unit),
    }
    return render(request, "org/unit_detail.html", context)


@login_required
def officer_list(request: HttpRequest) -> HttpResponse:
    officers = scoped(
        Officer.objects.select_related("unit")
        .prefetch_related("roles")
        .annotate(grid_count=Count("grids")),
        request.user,
    ).order_by("unit__path", "username")
    text = request.GET.get("q", "").strip()
    if text:
        officers = officers.filter(
            Q(name__contains=text)
            | Q(username__contains=text)
            | Q(certificate_number__contains=text)
        )
    return render(request, "org/officer_list.html", {"officers": officers, "q": text})


@login_required
def officer_detail(request: HttpRequest, username: str) -> HttpResponse:
    officer = get_scoped(Officer.objects.select_related("unit"), request.user, username=username)
    grids = officer.grids.select_related("section__zone").annotate(
        entity_count=Count("entities", filter=ACTIVE)
    )
    context: dict[str, Any] = {
        "officer": officer,
        "grids": grids,
        "claimed": Entity.objects.filter(claimed_by=officer).count(),
        "history": readable(audit.history(officer)[:100], Officer),
    }
    return render(request, "org/officer_detail.html", context)


@login_required
def grid_detail(request: HttpRequest, code: str) -> HttpResponse:
    grid = get_scoped(
        Grid.objects.select_related("section__zone", "station", "officer"), request.user, code=code
    )
    entities = Entity.objects.filter(grid=grid, archived_at__isnull=True)
    by_class = dict(entities.values_list("risk_class").annotate(n=Count("id")))
    context = {
        "grid": grid,
        "entity_count": sum(by_class.values()),
        "by_class": [(RiskClass(c), by_class.get(c, 0)) for c in RiskClass.values],
        "history": readable(audit.history(grid)[:100], Grid),
    }
    return render(request, "org/grid_detail.html", context)
