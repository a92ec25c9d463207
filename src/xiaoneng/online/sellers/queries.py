"""Reads of sellers shared by page and API: the scoped list and its filters."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from xiaoneng.core.scoping import scoped
from xiaoneng.online.sellers.models import Referral, Seller
from xiaoneng.org.models import Officer


@dataclass(frozen=True)
class SellerQuery:
    q: str = ""
    platform: str = ""
    flagged: bool = False
    status: str = ""
    uscc_check: str = ""


def sellers_for(user: Officer) -> QuerySet[Seller]:
    """The sellers ``user`` sees: those of the units of their scope (a seller belongs to the
    unit of its local entity, or else to the unit that first imported it)."""
    return scoped(Seller.objects.select_related("entity", "unit", "campaign"), user)


def referrals_for(user: Officer) -> QuerySet[Referral]:
    return scoped(Referral.objects.select_related("seller"), user)


def filtered(rows: QuerySet[Seller], query: SellerQuery) -> QuerySet[Seller]:
    if query.platform:
        rows = rows.filter(platform=query.platform)
    if query.flagged:
        rows = rows.filter(flagged=True)
    if query.status:
        rows = rows.filter(flagged=True, status=query.status)
    if query.uscc_check:
        rows = rows.filter(uscc_check=query.uscc_check)
    term = query.q.strip()
    if term:
        rows = rows.filter(
            Q(shop__contains=term) | Q(seller_id=term) | Q(claimed_uscc=term.upper())
        )
    return rows.order_by("-flagged", "-hit_count", "platform", "seller_id")
