"""API of online-trading monitoring: /online/batches, /online/listings (the vertical search),
/online/sellers and their decisions, /online/networks; paged and scoped to the user's units."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from pydantic import Field

from xiaoneng.core.api_paging import Day, Id, OneOf, Paging, paged
from xiaoneng.core.errors import InvalidInput, Missing
from xiaoneng.core.scoping import get_scoped
from xiaoneng.online.labels import categories
from xiaoneng.online.listings import importer
from xiaoneng.online.listings.models import Batch, Hit, Listing
from xiaoneng.online.listings.search import ListingQuery, batches_for, listings_for, search
from xiaoneng.online.sellers import networks, services
from xiaoneng.online.sellers.models import Referral, Seller, UsccCheck
from xiaoneng.online.sellers.queries import SellerQuery, filtered, referrals_for, sellers_for
from xiaoneng.org.requests import OfficerRequest

router = Router(tags=["online"])


class BatchOut(Schema):
    id: int
    name: str
    unit: str
    imported_at: dt.datetime
    listing_count: int
    duplicate_count: int
    error_count: int
    hit_count: int
    new_seller_count: int
    library_version: int
    errors: list[str]

    @staticmethod
    def resolve_unit(obj: Batch) -> str:
        return obj.unit.code


class Page(Schema):
    count: int
    count_exact: bool
    page: int
    page_size: int


class BatchPage(Page):
    items: list[BatchOut]


@router.get("/online/batches", response=BatchPage, summary="Imported listing batches")
def list_batches(request: OfficerRequest, paging: Query[Paging]) -> dict[str, Any]:
    return paged(batches_for(request.user), paging)


@router.get("/online/batches/{batch_id}", response=BatchOut, summary="One batch")
def get_batch(request: OfficerRequest, batch_id: int) -> Batch:
    return get_scoped(batches_for(request.user), request.user, pk=batch_id)


@router.post(
    "/online/batches",
    response={201: BatchOut},
    summary="Import a listing file (JSONL or CSV; refused whole on a bad line unless "
    "keep_good_lines)",
)
def import_batch(
    request: OfficerRequest, file: File[UploadedFile], keep_good_lines: Form[bool] = False
) -> Status[Batch]:
    batch = importer.import_batch(
        data=file.read(),
        name=file.name or "",
        actor=request.user,
        keep_good_lines=keep_good_lines,
    )
    return Status(201, batch)


class HitOut(Schema):
    rule: str
    category: str
    severity: str
    law: str
    match: str
    start: int
    end: int
    library_version: int


class ListingOut(Schema):
    id: int
    batch: int = Field(alias="batch_id")
    seller: int = Field(alias="seller_id")
    platform: str
    shop: str
    title: str
    price: Decimal | None
    url: str
    domain: str
    ip: str
    payment_account: str
    logistics_company: str
    logistics_account: str
    captured_at: dt.datetime
    library_version: int
    hit_count: int
    categories: list[str]

    @staticmethod
    def resolve_categories(obj: Listing) -> list[str]:
        return [c for c in obj.categories.split(",") if c]


class ListingDetail(ListingOut):
    description: str
    hits: list[HitOut]

    @staticmethod
    def resolve_hits(obj: Listing) -> list[Hit]:
        return list(obj.hits.order_by("start"))


class ListingPage(Page):
    items: list[ListingOut]


class ListingFilter(Paging):
    q: str = Field("", max_length=100, description="a term in the title or description")
    seller: Id | None = None
    batch: Id | None = None
    platform: str = Field("", max_length=60)
    category: Annotated[str, OneOf(categories())] = ""
    start: Day | None = Field(None, alias="from")
    end: Day | None = Field(None, alias="to")
    hits: bool = False


@router.get("/online/listings", response=ListingPage, summary="Search imported listings")
def list_listings(request: OfficerRequest, filters: Query[ListingFilter]) -> dict[str, Any]:
    query = ListingQuery(
        q=filters.q,
        seller=filters.seller,
        batch=filters.batch,
        platform=filters.platform,
        category=filters.category,
        start=filters.start,
        end=filters.end,
        hits_only=filters.hits,
    )
    return paged(search(listings_for(request.user), query), filters)


@router.get("/online/listings/{listing_id}", response=ListingDetail, summary="One listing")
def get_listing(request: OfficerRequest, listing_id: int) -> Listing:
    return get_scoped(listings_for(request.user), request.user, pk=listing_id)


class SellerOut(Schema):
    id: int
    platform: str
    seller_id: str
    shop: str
    claimed_uscc: str
    uscc_check: str
    entity: str | None = Field(description="USCC of the local entity")
    unit: str
    listing_count: int
    hit_count: int
    hit_listing_count: int
    hits_by_category: dict[str, int]
    flagged: bool
    flag_reason: str
    status: str
    decision_reason: str
    decided_at: dt.datetime | None
    first_seen: dt.datetime
    last_seen: dt.datetime

    @staticmethod
    def resolve_entity(obj: Seller) -> str | None:
        return obj.entity.uscc if obj.entity else None

    @staticmethod
    def resolve_unit(obj: Seller) -> str:
        return obj.unit.code


class SellerPage(Page):
    items: list[SellerOut]


class SellerFilter(Paging):
    q: str = Field("", max_length=100)
    platform: str = Field("", max_length=60)
    flagged: bool = False
    status: Annotated[str, OneOf(Seller.Status.values)] = ""
    uscc_check: Annotated[str, OneOf(UsccCheck.values)] = ""


@router.get("/online/sellers", response=SellerPage, summary="Sellers, flagged first")
def list_sellers(request: OfficerRequest, filters: Query[SellerFilter]) -> dict[str, Any]:
    query = SellerQuery(
        q=filters.q,
        platform=filters.platform,
        flagged=filters.flagged,
        status=filters.status,
        uscc_check=filters.uscc_check,
    )
    return paged(filtered(sellers_for(request.user), query), filters)


@router.get("/online/sellers/{seller_id}", response=SellerOut, summary="One seller")
def get_seller(request: OfficerRequest, seller_id: int) -> Seller:
    return get_scoped(sellers_for(request.user), request.user, pk=seller_id)


class SellerDecisionIn(Schema):
    action: str = Field(description="task, referral or dismiss")
    reason: str = ""
    to_kind: str = Field("", description="referral: platform or jurisdiction")
    to_name: str = ""
    referred_on: dt.date | None = None


class ReferralOut(Schema):
    id: int
    seller: int = Field(alias="seller_id")
    to_kind: str
    to_name: str
    referred_on: dt.date
    status: str
    answer: str
    answered_on: dt.date | None


@router.post(
    "/online/sellers/{seller_id}/decision",
    response=SellerOut,
    summary="Decide on a flagged seller: task, referral or dismiss",
)
def decide(request: OfficerRequest, seller_id: int, payload: SellerDecisionIn) -> Seller:
    seller = get_scoped(sellers_for(request.user), request.user, pk=seller_id)
    actor = request.user
    if payload.action == "task":
        return services.decide_task(seller=seller, actor=actor, reason=payload.reason)
    if payload.action == "referral":
        services.decide_referral(
            seller=seller,
            actor=actor,
            to_kind=payload.to_kind,
            to_name=payload.to_name,
            referred_on=payload.referred_on,
            reason=payload.reason,
        )
        return get_object_or_404(Seller.objects.select_related("unit", "entity"), pk=seller.pk)
    if payload.action == "dismiss":
        return services.dismiss(seller=seller, actor=actor, reason=payload.reason)
    raise InvalidInput.single(
        "action", _("处理方式应为 task、referral 或 dismiss：%(v)s") % {"v": payload.action}
    )


class ReferralAnswerIn(Schema):
    status: str = Field(description="received or answered")
    on: dt.date | None = None
    answer: str = ""


@router.post(
    "/online/referrals/{referral_id}/answer",
    response=ReferralOut,
    summary="Record that a referral was received or answered",
)
def answer_referral(
    request: OfficerRequest, referral_id: int, payload: ReferralAnswerIn
) -> Referral:
    referral = get_scoped(referrals_for(request.user), request.user, pk=referral_id)
    return services.record_answer(
        referral=referral,
        actor=request.user,
        to=payload.status,
        on=payload.on,
        answer=payload.answer,
    )


class SharedOut(Schema):
    kind: str
    label: str
    value: str
    sellers: list[int] = Field(alias="seller_ids")


class NetworkOut(Schema):
    key: int = Field(description="the network's smallest seller id")
    size: int
    hit_count: int
    sellers: list[int] = Field(alias="seller_ids")
    shared: list[SharedOut]


class NetworkPage(Page):
    items: list[NetworkOut]


@router.get("/online/networks", response=NetworkPage, summary="Seller networks, ranked")
def list_networks(request: OfficerRequest, paging: Query[Paging]) -> dict[str, Any]:
    found = networks.networks(sellers_for(request.user))
    start = (paging.page - 1) * paging.page_size
    return {
        "count": len(found),
        "count_exact": True,
        "page": paging.page,
        "page_size": paging.page_size,
        "items": found[start : start + paging.page_size],
    }


@router.get(
    "/online/sellers/{seller_id}/network",
    response=NetworkOut,
    summary="The network of one seller",
)
def seller_network(request: OfficerRequest, seller_id: int) -> Any:
    seller = get_scoped(sellers_for(request.user), request.user, pk=seller_id)
    network = networks.network_of(sellers_for(request.user), seller.pk)
    if network is None:
        raise Missing("该卖家不属于任何关联网络")
    return network
