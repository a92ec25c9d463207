"""Pages of the organisation: units, officers, grids.

What later domains show on them (the register's entity counts) comes through their panels and
table columns (ADR 0012); the grid map with its entity points is a register page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render

from xiaoneng.core import audit
from xiaoneng.core.history import readable
from xiaoneng.core.scoping import get_scoped, in_scope, scoped
from xiaoneng.org.models import Grid, Officer, Unit
from xiaoneng.org.requests import OfficerRequest


@login_required
def unit_list(request: OfficerRequest) -> HttpResponse:
    units = list(
        scoped(Unit.objects.annotate(officer_count=Count("officers", distinct=True)), request.user)
    )
    grid_counts = dict(
        scoped(Grid.objects.all(), request.user).values_list("station").annotate(n=Count("id"))
    )
    rows = [(u, grid_counts.get(u.pk, 0)) for u in units]
    return render(request, "org/unit_list.html", {"units": units, "rows": rows})


@login_required
def unit_detail(request: OfficerRequest, code: str) -> HttpResponse:
    unit = get_scoped(Unit.objects.select_related("parent"), request.user, code=code)
    context = {
        "unit": unit,
        # The parent is a link only for those who may open it (a station's staff may not).
        "parent_visible": unit.parent_id is not None and in_scope(request.user, unit.parent_id),
        "officers": unit.officers.prefetch_related("roles").order_by("username"),
        "grids": list(unit.grids.select_related("officer", "section__zone")),
        "children": unit.children.all(),
        "history": readable(audit.history(unit)[:100], Unit),
    }
    return render(request, "org/unit_detail.html", context)


@login_required
def officer_list(request: OfficerRequest) -> HttpResponse:
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
def officer_detail(request: OfficerRequest, username: str) -> HttpResponse:
    officer = get_scoped(Officer.objects.select_related("unit"), request.user, username=username)
    context: dict[str, Any] = {
        "officer": officer,
        "grids": list(officer.grids.select_related("section__zone")),
        "history": readable(audit.history(officer)[:100], Officer),
    }
    return render(request, "org/officer_detail.html", context)


@login_required
def grid_detail(request: OfficerRequest, code: str) -> HttpResponse:
    grid = get_scoped(
        Grid.objects.select_related("section__zone", "station", "officer"), request.user, code=code
    )
    context = {
        "grid": grid,
        "history": readable(audit.history(grid)[:100], Grid),
    }
    return render(request, "org/grid_detail.html", context)


# A filter form lists the user's grids as suggestions while there are at most this many; a
# province-wide scope (thousands) asks for them as the user types (``grid_options``).
GRID_SUGGESTIONS = 200
GRID_MATCHES = 30


def grid_suggestions(user: Officer) -> list[tuple[str, str]] | None:
    """The (code, name) of every grid of ``user``'s scope for a form's suggestions, or None
    when there are more than ``GRID_SUGGESTIONS``: the form then searches (``grid_options``)."""
    grids = scoped(Grid.objects.all(), user).order_by("code").values_list("code", "name")
    found = list(grids[: GRID_SUGGESTIONS + 1])
    return None if len(found) > GRID_SUGGESTIONS else found


@login_required
def grid_options(request: OfficerRequest) -> HttpResponse:
    """The grids of the user's scope whose code starts with, or whose name contains, what was
    typed (the ``grid`` or ``q`` parameter): at most ``GRID_MATCHES`` ``<option>``s for a
    form's datalist."""
    typed = (request.GET.get("grid") or request.GET.get("q") or "").strip()[:100]
    grids = scoped(Grid.objects.all(), request.user)
    if typed:
        grids = grids.filter(Q(code__istartswith=typed) | Q(name__icontains=typed))
    options = grids.order_by("code").values_list("code", "name")[:GRID_MATCHES]
    return render(request, "org/_grid_options.html", {"options": options})
