"""A seller's figures recomputed from its listings and hits, its claim checked against the
register, and whether it is flagged (and why). Run for the sellers a batch touched."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Count
from django.utils.translation import gettext as _

from xiaoneng.online.labels import category_label
from xiaoneng.online.listings.models import Hit, Listing
from xiaoneng.online.rows import update_rows
from xiaoneng.online.sellers.models import FLAGGING_CHECKS, Seller, UsccCheck
from xiaoneng.online.sellers.register import check_claims

CHUNK = 900


def flag_reason(check_reason: str, flagging: bool, by_category: dict[str, int]) -> str:
    """The reasons a seller is flagged, in words; empty when it is not."""
    parts = [check_reason] if flagging and check_reason else []
    if by_category:
        hits = "、".join(
            f"{category_label(c)} {n}" for c, n in sorted(by_category.items(), key=lambda i: -i[1])
        )
        parts.append(_("命中关键词：%(hits)s") % {"hits": hits})
    return "；".join(parts)[:500]


def refresh(seller_ids: Sequence[int]) -> int:
    """Recompute the figures, the register check and the flag of ``seller_ids``."""
    updated = 0
    for start in range(0, len(seller_ids), CHUNK):
        chunk = list(seller_ids[start : start + CHUNK])
        counts = dict(
            Listing.objects.filter(seller_id__in=chunk)
            .values("seller_id")
            .annotate(n=Count("id"))
            .values_list("seller_id", "n")
        )
        hit_listings = dict(
            Listing.objects.filter(seller_id__in=chunk, hit_count__gt=0)
            .values("seller_id")
            .annotate(n=Count("id"))
            .values_list("seller_id", "n")
        )
        by_category: dict[int, dict[str, int]] = defaultdict(dict)
        rows = (
            Hit.objects.filter(listing__seller_id__in=chunk)
            .values("listing__seller_id", "category")
            .annotate(n=Count("id"))
            .values_list("listing__seller_id", "category", "n")
        )
        for seller_id, category, n in rows:
            by_category[seller_id][category] = n
        sellers = list(Seller.objects.filter(pk__in=chunk))
        claims = check_claims(s.claimed_uscc for s in sellers)
        for seller in sellers:
            claim = claims.get(seller.claimed_uscc)
            categories = by_category.get(seller.pk, {})
            seller.listing_count = counts.get(seller.pk, 0)
            seller.hit_listing_count = hit_listings.get(seller.pk, 0)
            seller.hit_count = sum(categories.values())
            seller.hits_by_category = categories
            seller.uscc_check = claim.check if claim else UsccCheck.NONE
            seller.entity_id = claim.entity_id if claim else None
            if claim and claim.unit_id:
                seller.unit_id = claim.unit_id
            flagging = seller.uscc_check in FLAGGING_CHECKS
            seller.flagged = flagging or seller.hit_count > 0
            seller.flag_reason = flag_reason(claim.reason if claim else "", flagging, categories)
        fields = [
            "listing_count",
            "hit_listing_count",
            "hit_count",
            "hits_by_category",
            "uscc_check",
            "entity",
            "unit",
            "flagged",
            "flag_reason",
        ]
        update_rows(Seller, sellers, fields)
        updated += len(sellers)
    return updated
