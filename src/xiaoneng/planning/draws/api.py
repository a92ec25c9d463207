"""API of double-random draws: /api/v1/draws, /api/v1/conflicts, /api/v1/inspection-items."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from xiaoneng.core.api_paging import OneOf
from xiaoneng.core.calendar import WorkingCalendar
from xiaoneng.core.scoping import get_scoped, scoped
from xiaoneng.org.models import Officer
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.planning.draws import conflicts as draw_conflicts
from xiaoneng.planning.draws import inputs as draw_inputs
from xiaoneng.planning.draws import params as draw_params
from xiaoneng.planning.draws import publication as draw_publication
from xiaoneng.planning.draws import queries as draw_queries
from xiaoneng.planning.draws import services as draws
from xiaoneng.planning.draws.models import (
    SNAPSHOTS,
    ConflictDeclaration,
    DrawSelection,
    InspectionItem,
    RandomDraw,
)
from xiaoneng.planning.draws.verify import result_json, verify_draw
from xiaoneng.registry.models import Entity

router = Router(tags=["draws"])


class ItemOut(Schema):
    code: str
    name: str
    legal_basis: str
    industry_prefixes: list[str]


class PublicationOut(Schema):
    published_at: dt.datetime
    deadline: dt.date | None
    deadline_provisional: bool = Field(
        False, description="the deadline lies in a year whose holidays are not loaded yet"
    )
    text: str
    url: str


class DrawOut(Schema):
    id: int
    name: str
    unit: str = Field(description="organising unit code")
    status: str
    items: list[str]
    population_filter: dict[str, Any]
    selection: str = Field(description="ratio (per credit grade), policy, or count")
    ratios: dict[str, str]
    count: int | None
    pool: list[str] = Field(description="unit codes whose certified officers form the pool")
    team_size: int
    workload_cap: int
    inspections_end: dt.date
    seed_sha256: str
    seed: str = Field(description="empty until the draw is run")
    population_count: int
    population_digest: str
    pool_count: int
    pool_digest: str
    conflicts_digest: str
    previous_digest: str
    parameters_digest: str
    strata: dict[str, list[int]] = Field(description="stratum → [population, to draw]")
    planned_count: int
    selected_count: int
    result_digest: str
    record_version: int = Field(description="0: run before the record; 1: sealed record")
    record_digest: str = Field(description="SHA-256 of the sealed record (docs/draws.md)")
    policy_version: int | None
    code_version: str
    created_at: dt.datetime
    committed_at: dt.datetime | None
    drawn_at: dt.datetime | None
    publication_deadline: dt.date | None = Field(
        description="20 working days after inspections_end (weekdays only past the last "
        "loaded year); null only before the calendar begins"
    )
    publication_deadline_provisional: bool = Field(
        False, description="publication_deadline lies in a year whose holidays are not loaded yet"
    )
    overdue: bool
    publication: PublicationOut | None

    @staticmethod
    def resolve_unit(obj: RandomDraw) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_items(obj: RandomDraw) -> list[str]:
        return [item.code for item in obj.items.all()]

    @staticmethod
    def resolve_pool(obj: RandomDraw) -> list[str]:
        return [unit.code for unit in obj.pool_units.all()]

    @staticmethod
    def resolve_policy_version(obj: RandomDraw) -> int | None:
        return obj.policy.version if obj.policy else None

    @staticmethod
    def resolve_publication(obj: RandomDraw) -> Any:
        return getattr(obj, "publication", None) if obj.status == "published" else None


class DrawIn(Schema):
    name: str
    unit: str = Field(description="organising unit code")
    items: list[str] = Field(description="inspection item codes, e.g. R02")
    population_filter: dict[str, Any] = Field(
        default_factory=dict,
        description="region, grid, industry, risk_class, credit_grade, status, licence "
        "(lists or comma-separated), hot_industry (yes/no)",
    )
    selection: str = Field(description="ratio, policy or count")
    ratios: dict[str, str] | None = Field(None, description='per credit grade: {"A": "0.05"}')
    count: int | None = None
    pool: list[str] = Field(description="unit codes")
    team_size: int | str = 2
    workload_cap: int | str
    inspections_end: dt.date
    seed: str | None = Field(None, description="your own seed; only its SHA-256 is kept")
    commit: bool = Field(True, description="false: save a draft")


class SeedIn(Schema):
    seed: str | None = None


class PublishIn(Schema):
    text: str = ""
    url: str = ""


class VerificationOut(Schema):
    draw_id: int
    verified: bool
    problems: list[str]


class ConflictOut(Schema):
    id: int
    officer: str = Field(description="username")
    certificate_number: str | None
    entity: str = Field(description="uscc")
    entity_name: str
    reason: str
    declared_at: dt.datetime

    @staticmethod
    def resolve_officer(obj: ConflictDeclaration) -> str:
        return obj.officer.get_username()

    @staticmethod
    def resolve_certificate_number(obj: ConflictDeclaration) -> str | None:
        return obj.officer.certificate_number

    @staticmethod
    def resolve_entity(obj: ConflictDeclaration) -> str:
        return obj.entity.uscc

    @staticmethod
    def resolve_entity_name(obj: ConflictDeclaration) -> str:
        return obj.entity.name


class ConflictIn(Schema):
    entity: str = Field(description="uscc")
    reason: str
    officer: str | None = Field(None, description="username (default: yourself)")


def _with_deadlines(found: list[RandomDraw]) -> list[RandomDraw]:
    """Each draw with its publication deadline and whether it is overdue, computed once."""
    calendar, today = WorkingCalendar.load(), timezone.localdate()
    for draw in found:
        draw.publication_deadline = draw_publication.publication_deadline(draw, calendar)  # type: ignore[attr-defined]
        draw.overdue = draw_publication.is_overdue(draw, draw.publication_deadline, today)  # type: ignore[attr-defined]
        draw.publication_deadline_provisional = calendar.is_provisional(draw.publication_deadline)  # type: ignore[attr-defined]
        publication = getattr(draw, "publication", None)
        if publication is not None:
            publication.deadline_provisional = calendar.is_provisional(publication.deadline)
    return found


def _draws(request: OfficerRequest) -> Any:
    """The draws the caller sees: his units', and those assigning his staff or entities."""
    queryset = RandomDraw.objects.select_related("unit", "policy", "publication")
    queryset = queryset.prefetch_related("items", "pool_units")
    return draw_queries.visible_draws(queryset, request.user)


def _draw(request: OfficerRequest, pk: int, *, full: bool = False) -> RandomDraw:
    """The draw ``pk`` if the caller sees it (with ``full``: all of it), else 404."""
    draw = _draws(request).filter(pk=pk).first()
    if draw is None or (full and not draw_queries.sees_in_full(request.user, draw)):
        raise Http404
    return _with_deadlines([draw])[0]


def _visible_orders(request: OfficerRequest, draw: RandomDraw) -> set[int] | None:
    """The orders of the rows the caller sees; None for all."""
    if draw_queries.sees_in_full(request.user, draw):
        return None
    rows = DrawSelection.objects.filter(draw=draw)
    return set(draw_queries.visible_rows(rows, request.user, draw).values_list("order", flat=True))


@router.get("/inspection-items", response=list[ItemOut], summary="The random spot-check items")
def list_items(request: OfficerRequest) -> Any:
    return InspectionItem.objects.filter(active=True)


@router.get("/draws", response=list[DrawOut], summary="Draws of your units, newest first")
def list_draws(
    request: OfficerRequest, status: Annotated[str, OneOf(RandomDraw.Status.values)] = ""
) -> Any:
    queryset = _draws(request)
    return _with_deadlines(list(queryset.filter(status=status) if status else queryset))


@router.post("/draws", response={201: DrawOut}, summary="Create a draw and commit it")
def create_draw(request: OfficerRequest, payload: DrawIn) -> Status[RandomDraw]:
    draw = draws.create_draw(
        name=payload.name,
        unit=draw_params.find_unit(payload.unit, "unit"),
        item_codes=payload.items,
        population_filter=payload.population_filter,
        selection=payload.selection,
        ratios=payload.ratios,
        count=payload.count,
        pool_units=draw_params.find_units(payload.pool, "pool"),
        team_size=payload.team_size,
        workload_cap=payload.workload_cap,
        inspections_end=payload.inspections_end,
        seed=payload.seed,
        commit=payload.commit,
        actor=request.user,
    )
    return Status(201, _draw(request, draw.pk))


@router.get("/draws/{draw_id}", response=DrawOut, summary="One draw")
def get_draw(request: OfficerRequest, draw_id: int) -> RandomDraw:
    return _draw(request, draw_id)


@router.post("/draws/{draw_id}/commit", response=DrawOut, summary="Commit a draft")
def commit_draw(request: OfficerRequest, draw_id: int, payload: SeedIn) -> RandomDraw:
    draw = _draw(request, draw_id, full=True)
    draws.commit_draw(draw=draw, seed=payload.seed, actor=request.user)
    return _draw(request, draw_id)


@router.post("/draws/{draw_id}/run", summary="Run the draw: the result, with the seed revealed")
def run_draw(request: OfficerRequest, draw_id: int, payload: SeedIn) -> dict[str, Any]:
    draw = _draw(request, draw_id, full=True)
    drawn = draws.run_draw(draw=draw, seed=payload.seed, actor=request.user)
    return result_json(drawn)


@router.get("/draws/{draw_id}/result", summary="The drawn entities and their teams")
def draw_result(request: OfficerRequest, draw_id: int) -> dict[str, Any]:
    draw = _draw(request, draw_id)
    return result_json(draw, _visible_orders(request, draw))


@router.get(
    "/draws/{draw_id}/verify", response=VerificationOut, summary="Re-run and compare the result"
)
def verify(request: OfficerRequest, draw_id: int) -> Any:
    draw = _draw(request, draw_id)
    outcome = verify_draw(draw=draw)
    # The differences name other units' entities and officers: listed to full viewers only.
    problems = outcome.problems
    if problems and not draw_queries.sees_in_full(request.user, draw):
        problems = [_("%(n)d 处与记录不符，详情请向组织单位了解") % {"n": len(problems)}]
    return {"draw_id": outcome.draw_id, "verified": outcome.verified, "problems": problems}


@router.post("/draws/{draw_id}/publish", response=DrawOut, summary="Record the publication")
def publish(request: OfficerRequest, draw_id: int, payload: PublishIn) -> RandomDraw:
    draw_publication.publish_draw(
        draw=_draw(request, draw_id, full=True),
        text=payload.text,
        url=payload.url,
        actor=request.user,
    )
    return _draw(request, draw_id)


@router.get("/draws/{draw_id}/snapshots/{part}", summary="A snapshot's canonical text")
def snapshot(request: OfficerRequest, draw_id: int, part: str) -> HttpResponse:
    draw = _draw(request, draw_id, full=True)
    if part not in SNAPSHOTS:
        raise Http404
    return HttpResponse(
        draw_inputs.snapshot_text(draw, part), content_type="text/plain; charset=utf-8"
    )


@router.get("/conflicts", response=list[ConflictOut], summary="Conflict declarations (回避)")
def list_conflicts(request: OfficerRequest, officer: str = "", entity: str = "") -> Any:
    queryset = scoped(ConflictDeclaration.objects.select_related("officer", "entity"), request.user)
    if officer:
        queryset = queryset.filter(officer__username=officer)
    if entity:
        queryset = queryset.filter(entity__uscc=entity.upper())
    return queryset


@router.post("/conflicts", response={201: ConflictOut}, summary="Declare a conflict (回避)")
def declare_conflict(request: OfficerRequest, payload: ConflictIn) -> Status[ConflictDeclaration]:
    entity = get_scoped(Entity.objects.all(), request.user, uscc=payload.entity.strip().upper())
    officer: Officer = request.user
    if payload.officer and payload.officer != request.user.get_username():
        officer = get_scoped(Officer.objects.all(), request.user, username=payload.officer)
    declared = draw_conflicts.declare_conflict(
        officer=officer, entity=entity, reason=payload.reason, actor=request.user
    )
    return Status(201, declared)
