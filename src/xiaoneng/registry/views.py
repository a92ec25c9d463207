"""Pages of the entity register: list, dossier, forms, claims, placement, import/export."""

from __future__ import annotations

import io
import math
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core import audit, panels
from xiaoneng.core.calendar import CalendarUnknown
from xiaoneng.core.errors import DomainError, InvalidInput
from xiaoneng.core.forms import posted
from xiaoneng.core.history import readable
from xiaoneng.core.pages import Choice, act, among, is_flag, known_filters, paginate
from xiaoneng.core.routing import stale_reads
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.core.tabular import ImportRejected
from xiaoneng.org import access
from xiaoneng.org.models import Grid
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.org.views import grid_suggestions
from xiaoneng.registry import clusters, queries, services
from xiaoneng.registry.forms import (
    CreditGradeForm,
    DossierForm,
    EntityForm,
    ImportForm,
    PlaceForm,
    ReasonForm,
    RiskClassForm,
)
from xiaoneng.registry.models import CreditGrade, Entity, RiskClass
from xiaoneng.registry.queries import EntityFilter
from xiaoneng.registry.transfer import KIND_LABELS, export_file, import_file

# The map draws at most this many points at once; beyond it the user zooms in.
MAP_POINT_LIMIT = 30000


def _entities(request: OfficerRequest) -> Any:
    return scoped(
        Entity.objects.select_related("grid", "unit", "industry", "claimed_by"), request.user
    )


def _listed(request: OfficerRequest) -> Any:
    """The list's rows with only what the table shows joined: the grid (without its boundary,
    a polygon decoded for nothing on every row) and the industry, not the unit or claimant."""
    return scoped(
        Entity.objects.select_related("grid", "industry").defer("grid__boundary"), request.user
    )


def _entity(request: OfficerRequest, uscc: str) -> Entity:
    return get_scoped(_entities(request), request.user, uscc=uscc)


def _grids(request: OfficerRequest) -> Any:
    return scoped(Grid.objects.select_related("station", "officer"), request.user).order_by("code")


@login_required
def entity_list(request: OfficerRequest) -> HttpResponse:
    params = known_filters(
        request,
        grid=Choice(_("网格"), among(_grids(request))),
        risk_class=Choice(_("风险类别"), RiskClass.values),
        credit_grade=Choice(_("信用等级"), CreditGrade.values),
        status=Choice(_("登记状态"), Entity.Status.values),
        hot_industry=Choice(_("重热点"), is_flag),
        include_archived=Choice(_("含已归档"), is_flag),
    )
    filters = EntityFilter.from_params(params)
    page = paginate(request, filters.apply(_listed(request)).order_by("id"))
    context = {
        "page": page,
        "filters": filters,
        "query": "&".join(f"{k}={v}" for k, v in filters.active().items()),
        "grids": grid_suggestions(request.user),
        "risk_classes": RiskClass.choices,
        "credit_grades": CreditGrade.choices,
        "statuses": Entity.Status.choices,
        "can_edit": access.can(request.user, access.EDIT_REGISTER),
    }
    template = (
        "registry/_entity_table.html"
        if request.headers.get("HX-Request")
        else "registry/entity_list.html"
    )
    return render(request, template, context)


@login_required
def entity_detail(request: OfficerRequest, uscc: str) -> HttpResponse:
    entity = _entity(request, uscc)
    can_edit = access.can(request.user, access.EDIT_REGISTER) and entity.archived_at is None
    context = {
        "entity": entity,
        "licences": entity.licences.all(),
        "changes": entity.classification_changes.select_related("changed_by"),
        "history": readable(audit.history(entity)[:200], Entity),
        "can_edit": can_edit,
        "can_claim": entity.claimed_at is None and services.can_claim(request.user, entity),
        "grids": grid_suggestions(request.user) if can_edit else [],
        "grade_form": CreditGradeForm(initial={"credit_grade": entity.credit_grade}),
        "risk_form": RiskClassForm(
            initial={"risk_class": entity.risk_class if entity.risk_class_overridden else ""}
        ),
        "reason_form": ReasonForm(),
        "today": timezone.localdate(),
    }
    return render(request, "registry/entity_detail.html", context)


@login_required
def entity_create(request: OfficerRequest) -> HttpResponse:
    form = EntityForm(**posted(request), initial={"status": Entity.Status.OPERATING})
    if request.method == "POST" and form.is_valid():
        try:
            entity = services.create_entity(values=form.values(), actor=request.user)
        except DomainError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("已登记：%(name)s") % {"name": entity.name})
            return redirect("registry:entity_detail", uscc=entity.uscc)
    return render(request, "registry/entity_form.html", {"form": form, "entity": None})


@login_required
def entity_edit(request: OfficerRequest, uscc: str) -> HttpResponse:
    entity = _entity(request, uscc)
    form = EntityForm(**posted(request), initial=EntityForm.initial_for(entity))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_entity(entity=entity, values=form.values(), actor=request.user)
        except DomainError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("已保存"))
            return redirect("registry:entity_detail", uscc=entity.uscc)
    return render(request, "registry/entity_form.html", {"form": form, "entity": entity})


def _dossier_action(
    request: OfficerRequest, uscc: str, form: DossierForm, action: Any
) -> HttpResponse:
    """Run a dossier action (it returns its message) with the form's values and
    ``core.pages.act``, back on the dossier or the page ``next`` names."""
    entity = _entity(request, uscc)
    valid = form.is_valid()
    target = form.cleaned_data.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("registry:entity_detail", kwargs={"uscc": entity.uscc})
    if not valid:
        messages.error(request, form.for_page)
        return redirect(target)
    return act(request, lambda: action(entity, form.cleaned_data), None, redirect(target))


@login_required
@require_POST
def entity_claim(request: OfficerRequest, uscc: str) -> HttpResponse:
    def claim(entity: Entity, data: dict[str, Any]) -> str:
        services.claim_entity(entity=entity, officer=request.user)
        return _("已认领：%(name)s") % {"name": entity.name}

    return _dossier_action(request, uscc, DossierForm(**posted(request)), claim)


@login_required
@require_POST
def entity_grade(request: OfficerRequest, uscc: str) -> HttpResponse:
    def grade(entity: Entity, data: dict[str, Any]) -> str:
        services.change_credit_grade(
            entity=entity, grade=data["credit_grade"], reason=data["reason"], actor=request.user
        )
        return _("信用等级已调整为 %(grade)s") % {"grade": entity.credit_grade}

    return _dossier_action(request, uscc, CreditGradeForm(**posted(request)), grade)


@login_required
@require_POST
def entity_risk_class(request: OfficerRequest, uscc: str) -> HttpResponse:
    def classify(entity: Entity, data: dict[str, Any]) -> str:
        services.set_risk_class(
            entity=entity,
            risk_class=data["risk_class"] or None,
            reason=data["reason"],
            actor=request.user,
        )
        return _("风险类别现为 %(cls)s") % {"cls": entity.get_risk_class_display()}

    return _dossier_action(request, uscc, RiskClassForm(**posted(request)), classify)


@login_required
@require_POST
def entity_place(request: OfficerRequest, uscc: str) -> HttpResponse:
    def place(entity: Entity, data: dict[str, Any]) -> str:
        code = data["grid"].strip()
        grid = scoped(Grid.objects.all(), request.user).filter(code=code).first() if code else None
        if code and grid is None:
            raise InvalidInput.single(
                "grid", _("网格 %(code)s 不存在，或不在您的辖区内") % {"code": code}
            )
        services.place_entity(entity=entity, grid=grid, reason=data["reason"], actor=request.user)
        return _("网格现为 %(grid)s") % {"grid": entity.grid or _("无")}

    return _dossier_action(request, uscc, PlaceForm(**posted(request)), place)


@login_required
@require_POST
def entity_archive(request: OfficerRequest, uscc: str) -> HttpResponse:
    def archive(entity: Entity, data: dict[str, Any]) -> str:
        services.archive_entity(entity=entity, reason=data["reason"], actor=request.user)
        return _("已归档：%(name)s") % {"name": entity.name}

    return _dossier_action(request, uscc, ReasonForm(**posted(request)), archive)


@login_required
def unclaimed(request: OfficerRequest) -> HttpResponse:
    """New entities waiting for their grid officer's claim; overdue ones first."""
    today = timezone.localdate()
    try:
        cutoff: Any = queries.claim_cutoff(today)
    except CalendarUnknown as error:  # the list still helps; only the deadline is unknown
        messages.warning(request, error.message)
        cutoff = None
    queryset = queries.unclaimed(_entities(request))
    params = known_filters(
        request,
        overdue=Choice(_("已逾期"), ("1", "0")),
        mine=Choice(_("我的网格"), ("1", "0")),
    )
    only_overdue = params.get("overdue") == "1" and cutoff is not None
    if only_overdue:
        queryset = queryset.filter(registered_on__lte=cutoff)
    if params.get("mine") == "1":
        queryset = queryset.filter(grid__officer_id=request.user.pk or 0)
    page = paginate(
        request, queryset.select_related("grid__officer").order_by("registered_on", "id")
    )
    for entity in page:
        entity.overdue = cutoff is not None and entity.registered_on <= cutoff
        entity.may_claim = services.can_claim(request.user, entity)
    context = {
        "page": page,
        "cutoff": cutoff,
        "today": today,  # counted on weekdays only while its year's holidays are not loaded
        "only_overdue": only_overdue,
        "mine": params.get("mine") == "1",
    }
    return render(request, "registry/unclaimed.html", context)


@login_required
def outside_grids(request: OfficerRequest) -> HttpResponse:
    """Entities no grid holds, for a person to place."""
    page = paginate(request, queries.outside_grids(_entities(request)).order_by("id"))
    context = {
        "page": page,
        "grids": grid_suggestions(request.user),
        "can_edit": access.can(request.user, access.EDIT_REGISTER),
    }
    return render(request, "registry/outside_grids.html", context)


@login_required
@stale_reads
def grid_map(request: OfficerRequest) -> HttpResponse:
    """Grid polygons and entity points on a plain background (no tile server).

    A register page drawn over the organisation's grids: the grids come from the org API,
    the points from ``entity_points``.
    """
    # What later domains count per grid (the grid API's columns, ADR 0012) colours the grids
    # as a share of their entities: the register's Ⅰ类主体, planning's 逾期未查.
    return render(request, "registry/map.html", map_context(request))


def map_context(request: OfficerRequest, colour: str | None = None) -> dict[str, Any]:
    """What the grid map's template (``registry/map_body.html``) needs: the user's grids, the
    risk classes, and the figures the grids can be coloured by, ``colour`` (or the request's
    ``colour``) chosen among them."""
    # What later domains give per grid (the grid API's columns, ADR 0012) colours the grids:
    # counts as a share of their entities (the register's Ⅰ类主体, planning's 逾期未查), rates
    # and scores as they are (the risk model's mean risk, the assessment's score).
    shares = [
        {"name": column.name, "header": str(column.header), "scale": column.scale}
        for column in panels.columns_for("org.grid", [])
        if column.name != "entities"
    ]
    chosen = colour if colour is not None else request.GET.get("colour", "")
    return {
        "grid_count": _grids(request).count(),
        "risk_classes": RiskClass.choices,
        "shares": shares,
        "colour": chosen if chosen in {s["name"] for s in shares} else "",
    }


def _map_box(text: str) -> tuple[float, float, float, float] | None:
    """``west,south,east,north`` as four finite numbers, or None when it is not that."""
    try:
        box = tuple(float(v) for v in text.split(","))
    except ValueError:
        return None
    if len(box) != 4 or not all(math.isfinite(v) for v in box):
        return None
    return box


def _map_zoom(text: str) -> int | None:
    """The map's zoom level (0–22), or None when it is not one."""
    if not (text.isascii() and text.isdigit() and len(text) <= 2):
        return None
    return int(text) if int(text) <= clusters.MAX_ZOOM else None


@login_required
@stale_reads
def entity_points(request: OfficerRequest) -> JsonResponse:
    """Entity positions for the map within the view's box: ``[lon, lat, class, uscc]``.

    With ``zoom`` (the map's zoom level) the points are gathered into clusters
    ``[lon, lat, entities, class Ⅰ entities]`` when too many are in view (ADR 0016).
    """
    filters = EntityFilter.from_params(request.GET)
    queryset = filters.apply(scoped(Entity.objects.all(), request.user)).filter(
        longitude__isnull=False
    )
    box = request.GET.get("bbox", "")
    if box:
        found = _map_box(box)
        if found is None:
            return JsonResponse({"detail": _("bbox 应为 西,南,东,北"), "errors": []}, status=400)
        west, south, east, north = found
        queryset = queryset.filter(
            longitude__gte=west, longitude__lte=east, latitude__gte=south, latitude__lte=north
        )
    if "zoom" in request.GET:
        zoom = _map_zoom(request.GET["zoom"])
        if zoom is None:
            return JsonResponse(
                {"detail": _("zoom 应为 0 到 %d 的整数") % clusters.MAX_ZOOM, "errors": []},
                status=400,
            )
        drawn = clusters.map_points(queryset, zoom=zoom)
        return JsonResponse(
            {
                "points": drawn.points,
                "clusters": drawn.clusters,
                "total": drawn.total,
                "truncated": False,
            }
        )
    rows = list(
        queryset.values_list("longitude", "latitude", "risk_class", "uscc")[: MAP_POINT_LIMIT + 1]
    )
    return JsonResponse(
        {
            "points": rows[:MAP_POINT_LIMIT],
            "truncated": len(rows) > MAP_POINT_LIMIT,
            "limit": MAP_POINT_LIMIT,
        }
    )


@login_required
def transfer(request: OfficerRequest) -> HttpResponse:
    """Import a file (one transaction) and export files of what the user may see."""
    form = ImportForm(**posted(request))
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_file(
                kind=form.cleaned_data["kind"],
                source=upload,
                filename=upload.name,
                update=form.cleaned_data["update"],
                actor=request.user,
            )
        except ImportRejected as rejected:
            errors = rejected.row_errors
            messages.error(request, rejected.message)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("导入完成：新增 %(created)d，更新 %(updated)d，未变 %(unchanged)d")
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            return redirect("registry:transfer")
    context = {
        "form": form,
        "errors": errors,
        "kinds": list(KIND_LABELS.items()),
        "can_import_entities": access.can(request.user, access.EDIT_REGISTER),
        "can_import_organisation": access.can(request.user, access.MANAGE_ORGANISATION),
    }
    return render(request, "registry/transfer.html", context)


@login_required
@stale_reads
def export(request: OfficerRequest, kind: str) -> HttpResponse:
    try:
        exported = export_file(
            kind=kind,
            fmt=request.GET.get("format", "csv"),
            user=request.user,
            params=request.GET,
            buffer=io.BytesIO(),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("registry:transfer")
    return exported.response()
