"""API of a case's money and goods: /api/v1/cases/{id}/collections and /cases/{id}/goods, scoped
to the user. Amounts are decimal strings in yuan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from ninja import Router, Schema, Status

from xiaoneng.cases import money
from xiaoneng.cases.api import Amount, scoped_cases
from xiaoneng.cases.models import Collection, ConfiscatedGoods
from xiaoneng.core.scoping import get_scoped
from xiaoneng.org.requests import OfficerRequest

router = Router(tags=["cases"])


class CollectionOut(Schema):
    id: int
    kind: str
    amount: Decimal
    collected_on: dt.date
    receipt_number: str


class CollectionIn(Schema):
    kind: str = Collection.Kind.FINE
    amount: Amount = None
    collected_on: dt.date | None = None
    receipt_number: str = ""


@router.get(
    "/cases/{int:case_id}/collections",
    response=list[CollectionOut],
    summary="Money paid in on a case (罚没款入库)",
)
def list_collections(request: OfficerRequest, case_id: int) -> QuerySet[Collection]:
    case = get_scoped(scoped_cases(request), request.user, pk=case_id)
    return case.collections.order_by("collected_on", "id")


@router.post(
    "/cases/{int:case_id}/collections",
    response={201: CollectionOut},
    summary="Record money paid in (case decided or executing; never above the decision)",
)
def add_collection(request: OfficerRequest, case_id: int, payload: CollectionIn) -> Status[Any]:
    case = get_scoped(scoped_cases(request), request.user, pk=case_id)
    created = money.record_collection(case=case, actor=request.user, **payload.dict())
    return Status(201, created)


class GoodsOut(Schema):
    id: int
    description: str
    quantity: Decimal
    measure: str
    value: Decimal
    disposal: str


class GoodsIn(Schema):
    description: str = ""
    quantity: Amount = None
    measure: str = ""
    value: Amount = 0
    disposal: str = ""


@router.get(
    "/cases/{int:case_id}/goods", response=list[GoodsOut], summary="Goods confiscated in a case"
)
def list_goods(request: OfficerRequest, case_id: int) -> QuerySet[ConfiscatedGoods]:
    case = get_scoped(scoped_cases(request), request.user, pk=case_id)
    return case.goods.order_by("id")


@router.post(
    "/cases/{int:case_id}/goods",
    response={201: GoodsOut},
    summary="Record confiscated goods (e.g. 206 吨 不合格化肥)",
)
def add_goods(request: OfficerRequest, case_id: int, payload: GoodsIn) -> Status[Any]:
    case = get_scoped(scoped_cases(request), request.user, pk=case_id)
    created = money.record_goods(case=case, actor=request.user, **payload.dict())
    return Status(201, created)
