"""The vertical search over imported listings (垂直搜索, 篇6): by term in the title or the
description, seller, platform, keyword category and capture dates; shared by page and API.

The filters each answer from an index (seller + capture time, capture time, hits + capture
time, the hits' category); the term is a substring search over what the other filters leave.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from xiaoneng.core.scoping import scoped
from xiaoneng.online.listings.models import Batch, Listing
from xiaoneng.online.sellers.models import Seller
from xiaoneng.org.models import Officer


@dataclass(frozen=True)
class ListingQuery:
    q: str = ""
    seller: int | None = None
    platform: str = ""
    category: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    hits_only: bool = False
    batch: int | None = None


def listings_for(user: Officer) -> QuerySet[Listing]:
    return scoped(Listing.objects.select_related("seller"), user)


def batches_for(user: Officer) -> QuerySet[Batch]:
    return scoped(Batch.objects.select_related("unit", "imported_by"), user)


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def search(rows: QuerySet[Listing], query: ListingQuery) -> QuerySet[Listing]:
    """``rows`` narrowed by ``query``, newest capture first."""
    if query.seller:
        rows = rows.filter(seller_id=query.seller)
    if query.batch:
        rows = rows.filter(batch_id=query.batch)
    if query.platform:
        rows = rows.filter(platform=query.platform)
    if query.start:
        rows = rows.filter(captured_at__gte=_moment(query.start))
    if query.end:
        rows = rows.filter(captured_at__lt=_moment(query.end + dt.timedelta(days=1)))
    if query.category:
        rows = rows.filter(hit_count__gt=0, categories__contains=f",{query.category},")
    elif query.hits_only:
        rows = rows.filter(hit_count__gt=0)
    term = query.q.strip()
    if term:
        rows = rows.filter(Q(title__contains=term) | Q(description__contains=term))
    return rows.order_by("-captured_at", "-id")


def platforms(user: Officer) -> list[str]:
    """The platforms of the sellers ``user`` sees (the filter's choices)."""
    rows = scoped(Seller.objects.all(), user).values_list("platform", flat=True).distinct()
    return sorted(set(rows))
