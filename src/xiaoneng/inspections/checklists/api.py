"""API of checklists: /api/v1/checklists (the versions in force) and one version's items.

The mobile client downloads these to fill inspections offline. Checklists are bureau-wide
reference data that every logged-in user may read; the entity of ``/checklists/for-entity``
is scoped like every entity.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from xiaoneng.core.errors import InvalidInput
from xiaoneng.core.scoping import get_scoped
from xiaoneng.inspections.checklists import services as checklists
from xiaoneng.inspections.checklists.models import Checklist, InspectionKind
from xiaoneng.org.requests import OfficerRequest
from xiaoneng.registry.models import Entity

router = Router(tags=["checklists"])


class ChecklistOut(Schema):
    id: int
    code: str
    version: int
    title: str
    kind: str
    industry_prefixes: list[str]
    effective_on: dt.date
    retired_on: dt.date | None
    state: str
    item_count: int

    @staticmethod
    def resolve_industry_prefixes(obj: Checklist) -> list[str]:
        return checklists.prefixes(obj)

    @staticmethod
    def resolve_state(obj: Checklist) -> str:
        return checklists.state_of(obj)

    @staticmethod
    def resolve_item_count(obj: Checklist) -> int:
        return getattr(obj, "item_count", None) or obj.items.count()


class ChecklistItemOut(Schema):
    id: int
    number: str
    position: int
    title: str
    method: str
    legal_basis: str
    severity: str


class ChecklistDetail(ChecklistOut):
    description: str
    items: list[ChecklistItemOut]

    @staticmethod
    def resolve_items(obj: Checklist) -> list[Any]:
        return list(obj.items.order_by("position"))


@router.get(
    "/checklists",
    response=list[ChecklistOut],
    summary="The version in force of each checklist (optionally of one kind)",
)
def list_checklists(request: OfficerRequest, kind: str = "") -> list[Checklist]:
    if kind and kind not in InspectionKind.values:
        raise InvalidInput.single(
            "kind", _("检查方式应为 onsite 或 documentary：%(v)s") % {"v": kind}
        )
    return checklists.current_versions(kind=kind or None)


@router.get(
    "/checklists/{int:checklist_id}",
    response=ChecklistDetail,
    summary="One checklist version with its items (any version, current or not)",
)
def get_checklist(request: OfficerRequest, checklist_id: int) -> Checklist:
    checklist = Checklist.objects.filter(pk=checklist_id).first()
    if checklist is None:
        raise Http404
    return checklist


@router.get(
    "/checklists/for-entity/{int:entity_id}",
    response=ChecklistDetail,
    summary="The checklist in force for an entity of the user's units, by inspection kind",
)
def checklist_for_entity(
    request: OfficerRequest, entity_id: int, kind: str = InspectionKind.ONSITE
) -> Checklist:
    entity = get_scoped(Entity.objects.all(), request.user, pk=entity_id)
    return checklists.checklist_for(entity=entity, kind=kind)
