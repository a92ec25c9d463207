"""API of planning: /api/v1/policy (and, as they land, plans and draws)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from xiaoneng.org.requests import OfficerRequest
from xiaoneng.planning.models import Policy
from xiaoneng.planning.policy import services as policies

router = Router(tags=["planning"])


class CellOut(Schema):
    risk_class: str
    credit_grade: str
    distance: str
    patrol_interval_days: int
    draw_ratio: Decimal


class PolicyOut(Schema):
    version: int
    effective_from: dt.date
    note: str
    in_force: bool
    cells: list[CellOut]

    @staticmethod
    def resolve_cells(obj: Policy) -> Any:
        return obj.cells.all()

    @staticmethod
    def resolve_in_force(obj: Policy, context: dict[str, Any]) -> bool:
        return obj.pk == context["request"].policy_in_force_pk


class CellIn(Schema):
    distance: str
    patrol_interval_days: int | str
    draw_ratio: Decimal | str


class PolicyIn(Schema):
    effective_from: dt.date
    note: str = ""
    cells: dict[str, CellIn]


def _mark_in_force(request: OfficerRequest) -> None:
    try:
        request.policy_in_force_pk = policies.policy_in_force().pk  # type: ignore[attr-defined]
    except policies.PolicyUnknown:
        request.policy_in_force_pk = None  # type: ignore[attr-defined]


@router.get("/policy", response=list[PolicyOut], summary="Every policy version, newest first")
def list_policies(request: OfficerRequest) -> Any:
    _mark_in_force(request)
    return Policy.objects.order_by("-effective_from").prefetch_related("cells")


@router.get("/policy/{version}", response=PolicyOut, summary="One policy version")
def get_policy(request: OfficerRequest, version: int) -> Policy:
    _mark_in_force(request)
    return get_object_or_404(Policy, version=version)


@router.post("/policy", response={201: PolicyOut}, summary="A new policy version (administrators)")
def create_policy(request: OfficerRequest, payload: PolicyIn) -> Status[Policy]:
    cells = {key: cell.dict() for key, cell in payload.cells.items()}
    created = policies.create_policy(
        effective_from=payload.effective_from, cells=cells, note=payload.note, actor=request.user
    )
    _mark_in_force(request)
    return Status(201, created)
